/* Fuzz target: the node's handling of what a peer sends (node/node.c), with
 * no sockets: a node with a scratch store on tmpfs hosts one case that
 * names the peer (counsel), and the input is a sequence of frames from that
 * peer, each [length: 3 bytes big-endian][frame] (3 bytes: frames reach
 * PL_WIRE_MAX_FRAME, past 64 KiB), handed to pl_node_frame
 * one by one, each batch committed (pl_node_flush), the timers run in
 * between. Whatever arrives, the node must not crash, and every frame it
 * emits must be a valid frame (SPEC §14.2).
 *
 * The node and its case come from node_fixture.c: each input starts from
 * the same state, so a crash replays from its input alone.
 *
 * With PARLEY_FUZZ_NODE_SEEDS=DIR set, the target writes its seed corpus
 * there (a HELLO, HEADS, WANT, a join and an opinion by counsel, a replay, a
 * fork) and exits: the seeds need the case id and signatures of this
 * setup, so they are generated, not written by hand. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "node_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready)
        fx_setup(), ready = 1;
    uint8_t charter_id[PL_ID_BYTES];
    pl_node *n = fx_node_new(charter_id);
    int peer = pl_node_peer_open(n, pl_key_pk(fx_keys[FX_COUNSEL]), FX_T0 + 1);
    if (peer < 0)
        abort();
    uint64_t now = FX_T0 + 2;
    size_t off = 0;
    uint8_t *frame;
    size_t len;
    while ((frame = fx_next(data, size, &off, &len)) != NULL) {
        if (pl_node_rate(n, (uint32_t)peer, now))
            pl_node_frame(n, (uint32_t)peer, frame, len, now);
        free(frame);
        if (pl_node_flush(n) != PL_OK)
            abort(); /* bad input must never make the store fail */
        now += 700;  /* timers fire every few frames */
        pl_node_tick(n, now);
        if (pl_node_flush(n) != PL_OK)
            abort();
    }
    pl_node_peer_close(n, (uint32_t)peer);
    pl_node_close(&n);
    return 0;
}

/* ---- seed corpus ---------------------------------------------------------------- */

static size_t put_frame(uint8_t *out, size_t off, const pl_wire *w)
{
    uint8_t *f;
    size_t len;
    if (pl_wire_encode(w, &f, &len) != PL_OK)
        abort();
    off = fx_put(out, off, f, len);
    free(f);
    return off;
}

static size_t put_msg(uint8_t *out, size_t off, const pl_msg *m)
{
    pl_wire w = {.kind = PL_W_MSG};
    w.u.msg.bytes = (uint8_t *)pl_msg_bytes(m, &w.u.msg.len);
    return put_frame(out, off, &w);
}

/* counsel's message seq with the given body, referencing the charter. */
static pl_msg *counsel_says(uint64_t seq, const pl_msg *prev, const uint8_t charter_id[32],
                            const pl_body *b, uint64_t at)
{
    static uint8_t body[PL_BODY_MAX_BYTES];
    size_t blen;
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, fx_case_id, 32);
    h.seq = seq;
    h.has_prev = prev != NULL;
    if (prev)
        memcpy(h.prev, pl_msg_id(prev), 32);
    h.timestamp_ms = at;
    h.type = b->type;
    h.nrefs = 1;
    memcpy(h.refs[0].author, pl_key_pk(fx_keys[FX_PROSECUTION]), 32);
    h.refs[0].seq = 1;
    memcpy(h.refs[0].id, charter_id, 32);
    pl_msg *m;
    if (pl_body_encode(b, body, sizeof body, &blen) != PL_OK ||
        pl_msg_sign(&h, body, blen, fx_keys[FX_COUNSEL], &m) != PL_OK)
        abort();
    return m;
}

static void write_seeds(const char *out_dir)
{
    fx_setup();
    uint8_t charter_id[PL_ID_BYTES];
    pl_node *n = fx_node_new(charter_id);
    pl_node_close(&n);
    static uint8_t buf[65536];
    size_t k = 0;

    pl_wire hello = {.kind = PL_W_HELLO};
    memcpy(hello.u.hello.node, pl_key_pk(fx_keys[FX_COUNSEL]), 32);
    hello.u.hello.ncases = 1;
    hello.u.hello.cases = &fx_case_id;
    k = put_frame(buf, 0, &hello);
    fx_write_seed(out_dir, "hello", buf, k);

    pl_wire heads = {.kind = PL_W_HEADS}, want = {.kind = PL_W_WANT};
    memcpy(heads.u.heads.case_id, fx_case_id, 32);
    heads.u.heads.n = 1;
    memcpy(heads.u.heads.heads[0].author, pl_key_pk(fx_keys[FX_PROSECUTION]), 32);
    heads.u.heads.heads[0].seq = 1;
    memcpy(heads.u.heads.heads[0].id, charter_id, 32);
    memcpy(want.u.want.case_id, fx_case_id, 32);
    memcpy(want.u.want.author, pl_key_pk(fx_keys[FX_PROSECUTION]), 32);
    want.u.want.from_seq = 1;
    want.u.want.max = 16;
    size_t h2 = put_frame(buf, k, &heads);
    h2 = put_frame(buf, h2, &want);
    fx_write_seed(out_dir, "hello-heads-want", buf, h2);

    pl_body join = {.type = PL_T_JOIN};
    memcpy(join.u.join.charter, charter_id, 32);
    pl_msg *j = counsel_says(1, NULL, charter_id, &join, FX_T0 + 10);
    pl_body op = {.type = PL_T_OPINION};
    op.u.opinion.topic = PL_TOPIC_SENTENCE;
    op.u.opinion.text = "probation, please";
    pl_msg *o = counsel_says(2, j, charter_id, &op, FX_T0 + 20);
    size_t m = put_msg(buf, k, j);
    fx_write_seed(out_dir, "hello-join", buf, m);
    m = put_msg(buf, m, o);
    pl_wire ack = {.kind = PL_W_ACK};
    memcpy(ack.u.ack.case_id, fx_case_id, 32);
    memcpy(ack.u.ack.id, charter_id, 32);
    m = put_frame(buf, m, &ack);
    fx_write_seed(out_dir, "hello-join-opinion-ack", buf, m);
    m = put_msg(buf, m, o); /* a replay */
    fx_write_seed(out_dir, "replay", buf, m);

    /* a fork of counsel's seq 2: an equivocation the node must prove */
    op.u.opinion.text = "no probation after all";
    pl_msg *fork = counsel_says(2, j, charter_id, &op, FX_T0 + 30);
    m = put_msg(buf, put_msg(buf, put_msg(buf, k, j), o), fork);
    fx_write_seed(out_dir, "fork", buf, m);

    /* a gap: seq 2 before seq 1 */
    m = put_msg(buf, put_msg(buf, k, o), j);
    fx_write_seed(out_dir, "gap", buf, m);

    /* a message past 64 KiB, so the fuzzer's inputs may grow that far */
    static uint8_t big_buf[2 * 65536 + 4096];
    char *text = malloc(65001);
    if (text == NULL)
        abort();
    memset(text, 'x', 65000);
    text[65000] = '\0';
    op.u.opinion.text = text;
    pl_msg *big = counsel_says(2, j, charter_id, &op, FX_T0 + 40);
    m = put_msg(big_buf, put_msg(big_buf, put_frame(big_buf, 0, &hello), j), big);
    fx_write_seed(out_dir, "big-opinion", big_buf, m);
    pl_msg_destroy(&big);
    free(text);

    pl_wire err = {.kind = PL_W_ERROR};
    err.u.error.code = PL_E_SIG;
    snprintf(err.u.error.text, sizeof err.u.error.text, "bad signature");
    m = put_frame(buf, k, &err);
    fx_write_seed(out_dir, "hello-error", buf, m);
    pl_msg_destroy(&j), pl_msg_destroy(&o), pl_msg_destroy(&fork);
    exit(0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *seeds = getenv("PARLEY_FUZZ_NODE_SEEDS");
    if (seeds != NULL)
        write_seeds(seeds);
    return 0;
}
