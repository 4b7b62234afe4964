/* Fuzz target: the node's handling of what a peer sends (node/node.c), with
 * no sockets: a node with a scratch store on tmpfs hosts one case that
 * names the peer (counsel), and the input is a sequence of frames from that
 * peer, each [length: 3 bytes big-endian][frame] (3 bytes: frames reach
 * PL_WIRE_MAX_FRAME, past 64 KiB), handed to pl_node_frame
 * one by one, each batch committed (pl_node_flush), the timers run in
 * between. Whatever arrives, the node must not crash, and every frame it
 * emits must be a valid frame (SPEC §14.2).
 *
 * Each input starts from the same state (a fresh store, the same charter at
 * the same time), so a crash replays from its input alone.
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
#include "node.h"

#define T0 1800000000000ull /* the fixed clock the case starts at */

enum { K_PROSECUTION, K_SUSPECT, K_COUNSEL, K_VICTIM, NKEYS };

static char dir[64], store[128];
static pl_key *keys[NKEYS];
static uint8_t case_id[PL_CASE_ID_BYTES], charter_body[1024];
static size_t charter_len;
static int trace;

static pl_key *key_of(int who)
{
    uint8_t seed[PL_SEED_BYTES];
    memset(seed, 0x50 + who, sizeof seed);
    return pl_key_from_seed(seed);
}

static void on_send(void *ctx, uint32_t peer, const uint8_t *frame, size_t len)
{
    (void)ctx, (void)peer;
    pl_wire w;
    if (pl_wire_decode(frame, len, &w) != PL_OK)
        abort(); /* the node emitted a frame no peer could read */
    if (trace) /* PARLEY_FUZZ_NODE_TRACE: what the node answers, to check the seeds */
        fprintf(stderr, "  node -> %s%s%s\n", pl_wire_kind_name(w.kind),
                w.kind == PL_W_ERROR ? " " : "", w.kind == PL_W_ERROR ? pl_errname(w.u.error.code) : "");
    pl_wire_free(&w);
}

static void on_log(void *ctx, pl_log_level level, const char *line)
{
    (void)ctx, (void)level, (void)line;
}

static void on_drop(void *ctx, uint32_t peer)
{
    (void)ctx, (void)peer;
}

static void cleanup(void)
{
    char path[160];
    static const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", store, suffix[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void setup(void)
{
    if (pl_init() != PL_OK)
        abort();
    snprintf(dir, sizeof dir, "/dev/shm/parley-fuzz-node-%ld", (long)getpid());
    if (access("/dev/shm", W_OK) != 0)
        snprintf(dir, sizeof dir, "/tmp/parley-fuzz-node-%ld", (long)getpid());
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        abort();
    snprintf(store, sizeof store, "%s/store.db", dir);
    atexit(cleanup);
    trace = getenv("PARLEY_FUZZ_NODE_TRACE") != NULL;
    for (int i = 0; i < NKEYS; i++)
        keys[i] = key_of(i);
    static const pl_role roles[NKEYS] = {PL_ROLE_PROSECUTION, PL_ROLE_SUSPECT, PL_ROLE_COUNSEL,
                                         PL_ROLE_VICTIM};
    static char *names[NKEYS] = {"P", "S", "C", "V"};
    pl_participant ps[NKEYS];
    for (int i = 0; i < NKEYS; i++) {
        memcpy(ps[i].key, pl_key_pk(keys[i]), PL_PK_BYTES);
        ps[i].role = roles[i];
        ps[i].name = names[i];
    }
    for (int i = 1; i < NKEYS; i++) /* ascending by key */
        for (int j = i; j > 0 && memcmp(ps[j - 1].key, ps[j].key, PL_PK_BYTES) > 0; j--) {
            pl_participant t = ps[j];
            ps[j] = ps[j - 1], ps[j - 1] = t;
        }
    pl_body b = {.type = PL_T_CHARTER};
    memset(b.u.charter.case_nonce, 0x77, 32);
    b.u.charter.title = "fuzz case";
    b.u.charter.participants = ps;
    b.u.charter.nparticipants = NKEYS;
    if (pl_body_encode(&b, charter_body, sizeof charter_body, &charter_len) != PL_OK)
        abort();
    pl_case_id_derive(pl_key_pk(keys[K_PROSECUTION]), b.u.charter.case_nonce, case_id);
}

/* A node on a fresh store with the case; the charter's id in charter_id. */
static pl_node *node_new(uint8_t charter_id[PL_ID_BYTES])
{
    char path[160];
    static const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", store, suffix[i]);
        unlink(path);
    }
    pl_node_config cfg = {.store_path = store, .nkeys = 1, .attest_interval_ms = 1000,
                          .send = on_send, .log = on_log, .drop = on_drop,
                          .log_level = PL_LOG_ERROR};
    cfg.keys[0] = key_of(K_PROSECUTION);
    pl_node *n;
    if (pl_node_open(&cfg, T0, &n) != PL_OK ||
        pl_node_post(n, case_id, PL_T_CHARTER, charter_body, charter_len, NULL, 1, T0,
                     charter_id) != PL_OK ||
        pl_node_flush(n) != PL_OK)
        abort();
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready)
        setup(), ready = 1;
    uint8_t charter_id[PL_ID_BYTES];
    pl_node *n = node_new(charter_id);
    int peer = pl_node_peer_open(n, pl_key_pk(keys[K_COUNSEL]), T0 + 1);
    if (peer < 0)
        abort();
    uint64_t now = T0 + 2;
    size_t off = 0;
    while (off + 3 <= size) {
        size_t len = (size_t)data[off] << 16 | (size_t)data[off + 1] << 8 | data[off + 2];
        off += 3;
        if (len > size - off)
            len = size - off;
        /* a copy of exactly len bytes, so ASan sees any read past the frame */
        uint8_t *frame = malloc(len ? len : 1);
        if (frame == NULL)
            abort();
        memcpy(frame, data + off, len);
        off += len;
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
    if (pl_wire_encode(w, &f, &len) != PL_OK || len > 0xffffff)
        abort();
    out[off] = (uint8_t)(len >> 16), out[off + 1] = (uint8_t)(len >> 8), out[off + 2] = (uint8_t)len;
    memcpy(out + off + 3, f, len);
    free(f);
    return off + 3 + len;
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
    h.version = 1;
    memcpy(h.case_id, case_id, 32);
    h.seq = seq;
    h.has_prev = prev != NULL;
    if (prev)
        memcpy(h.prev, pl_msg_id(prev), 32);
    h.timestamp_ms = at;
    h.type = b->type;
    h.nrefs = 1;
    memcpy(h.refs[0].author, pl_key_pk(keys[K_PROSECUTION]), 32);
    h.refs[0].seq = 1;
    memcpy(h.refs[0].id, charter_id, 32);
    pl_msg *m;
    if (pl_body_encode(b, body, sizeof body, &blen) != PL_OK ||
        pl_msg_sign(&h, body, blen, keys[K_COUNSEL], &m) != PL_OK)
        abort();
    return m;
}

static void write_seed(const char *out_dir, const char *name, const uint8_t *b, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(b, 1, n, f) != n || fclose(f) != 0)
        abort();
}

static void write_seeds(const char *out_dir)
{
    setup();
    uint8_t charter_id[PL_ID_BYTES];
    pl_node *n = node_new(charter_id);
    pl_node_close(&n);
    static uint8_t buf[65536];
    size_t k = 0;

    pl_wire hello = {.kind = PL_W_HELLO};
    memcpy(hello.u.hello.node, pl_key_pk(keys[K_COUNSEL]), 32);
    hello.u.hello.ncases = 1;
    hello.u.hello.cases = &case_id;
    k = put_frame(buf, 0, &hello);
    write_seed(out_dir, "hello", buf, k);

    pl_wire heads = {.kind = PL_W_HEADS}, want = {.kind = PL_W_WANT};
    memcpy(heads.u.heads.case_id, case_id, 32);
    heads.u.heads.n = 1;
    memcpy(heads.u.heads.heads[0].author, pl_key_pk(keys[K_PROSECUTION]), 32);
    heads.u.heads.heads[0].seq = 1;
    memcpy(heads.u.heads.heads[0].id, charter_id, 32);
    memcpy(want.u.want.case_id, case_id, 32);
    memcpy(want.u.want.author, pl_key_pk(keys[K_PROSECUTION]), 32);
    want.u.want.from_seq = 1;
    want.u.want.max = 16;
    size_t h2 = put_frame(buf, k, &heads);
    h2 = put_frame(buf, h2, &want);
    write_seed(out_dir, "hello-heads-want", buf, h2);

    pl_body join = {.type = PL_T_JOIN};
    memcpy(join.u.join.charter, charter_id, 32);
    pl_msg *j = counsel_says(1, NULL, charter_id, &join, T0 + 10);
    pl_body op = {.type = PL_T_OPINION};
    op.u.opinion.topic = PL_TOPIC_SENTENCE;
    op.u.opinion.text = "probation, please";
    pl_msg *o = counsel_says(2, j, charter_id, &op, T0 + 20);
    size_t m = put_msg(buf, k, j);
    write_seed(out_dir, "hello-join", buf, m);
    m = put_msg(buf, m, o);
    pl_wire ack = {.kind = PL_W_ACK};
    memcpy(ack.u.ack.case_id, case_id, 32);
    memcpy(ack.u.ack.id, charter_id, 32);
    m = put_frame(buf, m, &ack);
    write_seed(out_dir, "hello-join-opinion-ack", buf, m);
    m = put_msg(buf, m, o); /* a replay */
    write_seed(out_dir, "replay", buf, m);

    /* a fork of counsel's seq 2: an equivocation the node must prove */
    op.u.opinion.text = "no probation after all";
    pl_msg *fork = counsel_says(2, j, charter_id, &op, T0 + 30);
    m = put_msg(buf, put_msg(buf, put_msg(buf, k, j), o), fork);
    write_seed(out_dir, "fork", buf, m);

    /* a gap: seq 2 before seq 1 */
    m = put_msg(buf, put_msg(buf, k, o), j);
    write_seed(out_dir, "gap", buf, m);

    /* a message past 64 KiB, so the fuzzer's inputs may grow that far */
    static uint8_t big_buf[2 * 65536 + 4096];
    char *text = malloc(65001);
    if (text == NULL)
        abort();
    memset(text, 'x', 65000);
    text[65000] = '\0';
    op.u.opinion.text = text;
    pl_msg *big = counsel_says(2, j, charter_id, &op, T0 + 40);
    m = put_msg(big_buf, put_msg(big_buf, put_frame(big_buf, 0, &hello), j), big);
    write_seed(out_dir, "big-opinion", big_buf, m);
    pl_msg_destroy(&big);
    free(text);

    pl_wire err = {.kind = PL_W_ERROR};
    err.u.error.code = PL_E_SIG;
    snprintf(err.u.error.text, sizeof err.u.error.text, "bad signature");
    m = put_frame(buf, k, &err);
    write_seed(out_dir, "hello-error", buf, m);
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
