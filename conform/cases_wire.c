/* Cases of the wire protocol (SPEC §14): the transport's bounds, frames
 * that fail to decode, HELLO, invitations, heads and catch-up, pushes and
 * acknowledgements, errors, proofs, relaying and rate limits. The last two
 * cases judge everything the node sent during the whole run. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zmq.h>

#include "conform.h"

static void frame_refused(cf_t *t, const uint8_t *f, size_t len, int code)
{
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_send_raw(p, f, len);
    cf_expect_refused(p, n, NULL, NULL, code, 0);
    cf_alive(n, p);
}

/* A frame [1, 5, case id, id] (ACK) with the bytes changed by the caller. */
static size_t ack_frame(uint8_t *out, const uint8_t case_id[PL_CASE_ID_BYTES])
{
    out[0] = 0x94, out[1] = 0x01, out[2] = 0x05;
    out[3] = 0xc4, out[4] = 32;
    memcpy(out + 5, case_id, 32);
    out[37] = 0xc4, out[38] = 32;
    memset(out + 39, 0x11, 32);
    return 71;
}

static pl_msg *opinion_of(cf_neg *n, int who, const char *text, int advance)
{
    pl_body b = cf_opinion(text);
    return cf_make(n, who, &b, CF_ALL, advance);
}

/* ---- §14.1 ------------------------------------------------------------------------ */

static void zap_refuses(cf_t *t)
{
    /* SPEC §14.1: a key no hosted case names, and not configured, is refused */
    uint8_t seed[32];
    randombytes_buf(seed, sizeof seed);
    pl_key *k = pl_key_from_seed(seed);
    if (k == NULL)
        cf_fail(t, "out of memory");
    cf_peer *x = cf_peer_open(t, "outsider", k);
    x->hp.owns_key = 1; /* freed with the peer */
    pl_wire w = {.kind = PL_W_HELLO};
    memcpy(w.u.hello.node, pl_key_pk(k), PL_PK_BYTES);
    cf_send(x, &w);
    cf_listen(x, cf_g.quiet_ms);
    if (x->frames > 0)
        cf_fail(t,
                "a peer whose key no case names and no operator admitted was served: "
                "%llu frame(s) came back",
                (unsigned long long)x->frames);
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_alive(n, p);
}

static void frame_too_big(cf_t *t)
{
    /* SPEC §14.1, §14.2: a frame over 262208 bytes, within the transport's
     * 524416, is answered with ERROR PL_E_TOO_BIG */
    size_t len = PL_WIRE_MAX_FRAME + 1000;
    uint8_t *f = calloc(1, len);
    if (f == NULL)
        cf_fail(t, "out of memory");
    f[0] = 0x93;
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_send_raw(p, f, len);
    free(f);
    cf_expect_refused(p, n, NULL, NULL, PL_E_TOO_BIG, 0);
    cf_alive(n, p);
}

static void transport_bound(cf_t *t)
{
    /* SPEC §14.1: a ZeroMQ message over 524416 bytes is not read (the
     * connection is cut); the node serves new connections */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    size_t len = 2 * PL_WIRE_MAX_FRAME + 4096;
    uint8_t *f = calloc(1, len);
    if (f == NULL)
        cf_fail(t, "out of memory");
    f[0] = 0x93;
    cf_send_raw(p, f, len);
    free(f);
    cf_listen(p, cf_g.quiet_ms);
    cf_match big = {.kind = PL_W_ERROR, .code = PL_E_TOO_BIG};
    if (cf_have(p, &big))
        cf_note(t, "the node read the message and answered PL_E_TOO_BIG");
    cf_alive_new(n);
}

static void multipart(cf_t *t)
{
    /* SPEC §14.1, §14.8: a ZeroMQ message of two parts may be discarded,
     * whole or in part; the node goes on serving */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *m = opinion_of(n, CF_V, "the first part of two", 0);
    size_t len;
    const uint8_t *mb = pl_msg_bytes(m, &len);
    uint8_t *f = malloc(len + 3);
    if (f == NULL)
        cf_fail(t, "out of memory");
    f[0] = 0x93, f[1] = 0x01, f[2] = PL_W_MSG;
    memcpy(f + 3, mb, len);
    int ok = zmq_send(p->hp.sock, f, len + 3, ZMQ_SNDMORE) >= 0 &&
             zmq_send(p->hp.sock, "\xc1", 1, 0) >= 0;
    free(f);
    if (!ok)
        cf_fail(t, "could not send a two-part message");
    cf_listen(p, cf_g.quiet_ms / 2);
    cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(m)};
    if (cf_have(p, &ack)) {
        /* It kept the first part: the victim's chain moved on. */
        n->head[CF_V] = m;
        cf_publish(n, m);
        cf_note(t, "the node read the first part and acknowledged it");
    }
    cf_alive(n, p);
}

/* ---- §14.2 ------------------------------------------------------------------------ */

static void not_array(cf_t *t)
{
    /* SPEC §14.2 step 3: a frame that is not an array is PL_E_WIRE */
    frame_refused(t, (const uint8_t *)"\x05", 1, PL_E_WIRE);
}

static void unknown_kind(cf_t *t)
{
    /* SPEC §14.2 step 4: an unknown kind is PL_E_WIRE_KIND */
    frame_refused(t, (const uint8_t *)"\x92\x01\x08", 3, PL_E_WIRE_KIND);
}

static void wire_version(cf_t *t)
{
    /* SPEC §14.2 step 4: a version other than 1 is PL_E_WIRE_VERSION (before
     * the kind) */
    frame_refused(t, (const uint8_t *)"\x92\x02\x63", 3, PL_E_WIRE_VERSION);
}

static void frame_noncanonical(cf_t *t)
{
    /* SPEC §14.2 step 2, §3.3: a frame with an integer in a longer form is
     * PL_E_NONCANONICAL */
    uint8_t f[80], g[81];
    size_t n = ack_frame(f, (const uint8_t *)"parley-conform: any 32-byte id..");
    g[0] = f[0], g[1] = 0xcc, g[2] = 0x01; /* version 1 as uint 8 */
    memcpy(g + 3, f + 2, n - 2);
    frame_refused(t, g, n + 1, PL_E_NONCANONICAL);
}

static void frame_empty(cf_t *t)
{
    /* SPEC §14.2, §3.1: an empty frame is PL_E_TRUNCATED */
    frame_refused(t, (const uint8_t *)"", 0, PL_E_TRUNCATED);
}

static void hello_fields(cf_t *t)
{
    /* SPEC §14.2 step 5: a HELLO without its case list is PL_E_WIRE */
    uint8_t f[40];
    f[0] = 0x93, f[1] = 0x01, f[2] = 0x01, f[3] = 0xc4, f[4] = 32;
    memcpy(f + 5, pl_key_pk(cf_g.wire_key), 32);
    frame_refused(t, f, 37, PL_E_WIRE);
}

static void want_max(cf_t *t)
{
    /* SPEC §14.2 step 5: a WANT for 0 messages, or for more than 1024, is
     * PL_E_WIRE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_buf f = {0};
    for (int i = 0; i < 2; i++) {
        f.n = 0;
        cf_mp_array(&f, 6);
        cf_mp_uint(&f, 1), cf_mp_uint(&f, PL_W_WANT);
        cf_mp_bin(&f, n->id, 32), cf_mp_bin(&f, cf_pk(n, CF_P), 32);
        cf_mp_uint(&f, 1), cf_mp_uint(&f, i == 0 ? 0 : 1025);
        cf_send_raw(p, f.b, f.n);
        cf_expect_refused(p, n, NULL, NULL, PL_E_WIRE, 0);
    }
    cf_buf_free(&f);
    cf_alive(n, p);
}

static void heads_order(cf_t *t)
{
    /* SPEC §14.2: HEADS whose authors are not ascending is PL_E_WIRE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    int a = CF_S, b = CF_C;
    if (memcmp(cf_pk(n, a), cf_pk(n, b), PL_PK_BYTES) < 0)
        a = CF_C, b = CF_S; /* descending */
    cf_buf f = {0};
    cf_mp_array(&f, 4);
    cf_mp_uint(&f, 1), cf_mp_uint(&f, PL_W_HEADS);
    cf_mp_bin(&f, n->id, 32);
    cf_mp_array(&f, 2);
    int who[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        cf_mp_array(&f, 3);
        cf_mp_bin(&f, cf_pk(n, who[i]), 32);
        cf_mp_uint(&f, 1);
        cf_mp_bin(&f, pl_msg_id(n->head[who[i]]), 32);
    }
    cf_send_raw(p, f.b, f.n);
    cf_buf_free(&f);
    cf_expect_refused(p, n, NULL, NULL, PL_E_WIRE, 0);
    cf_alive(n, p);
}

static void ack_short_id(cf_t *t)
{
    /* SPEC §14.2 step 5: an ACK whose message id is 31 bytes is PL_E_WIRE */
    uint8_t f[80];
    size_t len = ack_frame(f, (const uint8_t *)"parley-conform: any 32-byte id..");
    f[38] = 31;
    frame_refused(t, f, len - 1, PL_E_WIRE);
}

static void msg_not_message(cf_t *t)
{
    /* SPEC §14.2 step 5: a MSG frame whose field is not an array is PL_E_WIRE */
    frame_refused(t, (const uint8_t *)"\x93\x01\x04\xc0", 4, PL_E_WIRE);
}

/* ---- §14.3 ------------------------------------------------------------------------ */

static void before_hello(cf_t *t)
{
    /* SPEC §14.3: a frame before the peer's HELLO is answered with ERROR
     * PL_E_HELLO; HELLO then works */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_peer_open(t, "new", NULL);
    pl_wire w = {.kind = PL_W_WANT};
    memcpy(w.u.want.case_id, n->id, 32);
    memcpy(w.u.want.author, cf_pk(n, CF_P), 32);
    w.u.want.from_seq = 1, w.u.want.max = 1;
    cf_send(q, &w);
    cf_expect_refused(q, NULL, NULL, NULL, PL_E_HELLO, 0);
    cf_match msg = {.kind = PL_W_MSG};
    if (cf_have(q, &msg))
        cf_fail(t, "a WANT sent before HELLO was answered with the messages (SPEC §14.3)");
    cf_hello(q, NULL, 0);
    cf_alive(n, q);
}

static void hello_twice(cf_t *t)
{
    /* SPEC §14.3: a second HELLO on a connection is answered with PL_E_HELLO */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_wire w = {.kind = PL_W_HELLO};
    memcpy(w.u.hello.node, pl_key_pk(cf_g.wire_key), 32);
    cf_send(p, &w);
    cf_expect_refused(p, n, NULL, NULL, PL_E_HELLO, 0);
    cf_alive(n, p);
}

static void hello_other_key(cf_t *t)
{
    /* SPEC §14.3: a HELLO naming another key than the connection's is
     * answered with PL_E_HELLO, and the connection is closed */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_peer_open(t, "liar", NULL);
    pl_wire w = {.kind = PL_W_HELLO};
    memcpy(w.u.hello.node, cf_pk(n, CF_P), 32);
    cf_send(q, &w);
    cf_expect_refused(q, NULL, NULL, NULL, PL_E_HELLO, 0);
    /* Closed: nothing more is answered on it. */
    pl_wire want = {.kind = PL_W_WANT};
    memcpy(want.u.want.case_id, n->id, 32);
    memcpy(want.u.want.author, cf_pk(n, CF_P), 32);
    want.u.want.from_seq = 1, want.u.want.max = 1;
    cf_send(q, &want);
    cf_listen(q, cf_g.quiet_ms);
    cf_match any_msg = {.kind = PL_W_MSG};
    if (cf_have(q, &any_msg))
        cf_fail(t, "after a HELLO naming another key, the connection was still served "
                   "(SPEC §14.3: close it)");
    cf_alive_new(n);
}

static void node_hello(cf_t *t)
{
    /* SPEC §14.3: the node's first frame is its HELLO, naming its key and,
     * for a configured peer, the cases it hosts */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_peer_open(t, "new", NULL);
    pl_wire w = {.kind = PL_W_HELLO};
    memcpy(w.u.hello.node, pl_key_pk(cf_g.wire_key), 32);
    cf_send(q, &w);
    cf_in in;
    cf_match h = {.kind = PL_W_HELLO};
    if (!cf_wait(q, &h, cf_g.timeout_ms, &in))
        cf_fail(t, "no HELLO from the node within %d ms", cf_g.timeout_ms);
    int first = q->first_was_hello, named = 0;
    size_t ncases = in.w.u.hello.ncases;
    for (size_t i = 0; i < in.w.u.hello.ncases; i++)
        named |= memcmp(in.w.u.hello.cases[i], n->id, 32) == 0;
    int key_ok = memcmp(in.w.u.hello.node, cf_g.node_pk, 32) == 0;
    cf_in_free(&in);
    if (!first)
        cf_fail(t, "the node's first frame on a connection was not its HELLO");
    if (!key_ok)
        cf_fail(t, "the node's HELLO names another key than the one it authenticates with");
    /* At most 1024 cases fit (SPEC §14.2): a node that hosts more may
     * leave this one out. */
    if (!named && ncases < PL_WIRE_MAX_CASES)
        cf_fail(t, "the node's HELLO to a configured peer does not list a case it hosts");
}

static void invitation(cf_t *t)
{
    /* SPEC §14.3: offered a case whose charter names it, the node fetches
     * the charter (WANT from seq 1), starts hosting the case and sends HEADS */
    cf_peer *p = cf_peer_open(t, "main", NULL);
    cf_hello(p, NULL, 0);
    cf_neg *n = cf_neg_new(t, 0);
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, n->id, 32);
    h.u.heads.n = 1;
    memcpy(h.u.heads.heads[0].author, cf_pk(n, CF_P), 32);
    h.u.heads.heads[0].seq = 1;
    memcpy(h.u.heads.heads[0].id, pl_msg_id(n->charter), 32);
    cf_send(p, &h);
    cf_in in;
    cf_match want = {.kind = PL_W_WANT, .case_id = n->id};
    if (!cf_wait(p, &want, cf_g.timeout_ms, &in))
        cf_fail(t, "no WANT for the charter of a case offered to the node");
    uint64_t from = in.w.u.want.from_seq;
    cf_in_free(&in);
    if (from != 1)
        cf_fail(t, "the node asked for the offered case's messages from seq %llu, not 1",
                (unsigned long long)from);
    cf_match heads = {.kind = PL_W_HEADS, .case_id = n->id};
    if (!cf_wait(p, &heads, cf_g.timeout_ms, NULL))
        cf_fail(t, "the node did not start hosting the case (no HEADS for it)");
    cf_join(n, p, CF_JOINERS);
    cf_alive(n, p);
}

static void invitation_not_named(cf_t *t)
{
    /* SPEC §14.3: a charter that does not name the node does not make it
     * host the case */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_neg *x = cf_neg_new(t, CF_NEG_NOT_NODE);
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, x->id, 32);
    h.u.heads.n = 1;
    memcpy(h.u.heads.heads[0].author, cf_pk(x, CF_P), 32);
    h.u.heads.heads[0].seq = 1;
    memcpy(h.u.heads.heads[0].id, pl_msg_id(x->charter), 32);
    cf_send(p, &h);
    /* If it asks, it gets the charter (answered as it arrives). */
    cf_match want = {.kind = PL_W_WANT, .case_id = x->id};
    cf_wait(p, &want, cf_g.quiet_ms, NULL);
    cf_barrier(p, n);
    pl_wire w = {.kind = PL_W_WANT};
    memcpy(w.u.want.case_id, x->id, 32);
    memcpy(w.u.want.author, cf_pk(x, CF_P), 32);
    w.u.want.from_seq = 1, w.u.want.max = 1;
    cf_send(p, &w);
    cf_expect_refused(p, n, NULL, NULL, PL_E_UNKNOWN_CASE, 0);
    cf_match msg = {.kind = PL_W_MSG, .case_id = x->id};
    if (cf_have(p, &msg))
        cf_fail(t, "the node serves a case whose charter does not name it");
    cf_alive(n, p);
}

static void want_unknown_case(cf_t *t)
{
    /* SPEC §14.3: a WANT of a case the node does not host is answered with
     * PL_E_UNKNOWN_CASE */
    uint8_t f[120];
    cf_buf b = {0};
    uint8_t id[32], author[32];
    randombytes_buf(id, 32), randombytes_buf(author, 32);
    cf_mp_array(&b, 6);
    cf_mp_uint(&b, 1), cf_mp_uint(&b, PL_W_WANT);
    cf_mp_bin(&b, id, 32), cf_mp_bin(&b, author, 32);
    cf_mp_uint(&b, 1), cf_mp_uint(&b, 10);
    memcpy(f, b.b, b.n);
    size_t len = b.n;
    cf_buf_free(&b);
    frame_refused(t, f, len, PL_E_UNKNOWN_CASE);
}

static void msg_unknown_case(cf_t *t)
{
    /* SPEC §14.3: a MSG of a case the node does not host is answered with
     * PL_E_UNKNOWN_CASE and its id, and nothing of it is kept */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_neg *x = cf_neg_new(t, 0); /* never offered */
    pl_body b = cf_propose();
    pl_msg *m = cf_make(x, CF_P, &b, CF_ALL, 1);
    cf_send_msg(p, m);
    cf_expect_refused(p, n, m, NULL, PL_E_UNKNOWN_CASE, 1);
    pl_wire w = {.kind = PL_W_WANT};
    memcpy(w.u.want.case_id, x->id, 32);
    memcpy(w.u.want.author, cf_pk(x, CF_P), 32);
    w.u.want.from_seq = 1, w.u.want.max = 2;
    cf_send(p, &w);
    cf_expect_refused(p, n, NULL, NULL, PL_E_UNKNOWN_CASE, 0);
    cf_alive(n, p);
}

static void proof_unknown_case(cf_t *t)
{
    /* SPEC §14.9, §14.3: a valid proof of a case the node does not host is
     * answered with PL_E_UNKNOWN_CASE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_neg *x = cf_neg_new(t, 0);
    pl_body a = cf_propose(), b = cf_opinion("no");
    pl_msg *ma = cf_make(x, CF_P, &a, CF_ALL, 0);
    pl_msg *mb = cf_make(x, CF_P, &b, CF_ALL, 0);
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t len;
    if (pl_equiv_proof_build(ma, mb, proof, sizeof proof, &len) != PL_OK)
        cf_fail(t, "internal: proof");
    pl_wire w = {.kind = PL_W_PROOF};
    w.u.proof.bytes = proof, w.u.proof.len = len;
    cf_send(p, &w);
    cf_expect_refused(p, n, NULL, NULL, PL_E_UNKNOWN_CASE, 0);
    cf_alive(n, p);
}

static void not_followed(cf_t *t)
{
    /* SPEC §14.3: WANT and HEADS of a hosted case that does not name the peer
     * (not a configured peer) are answered with PL_E_NOT_FOLLOWED */
    cf_peer *p;
    cf_neg *a = cf_open(t, &p);
    cf_neg *b = cf_neg_new(t, 0);
    cf_invite(b, p);
    cf_peer *q = cf_peer_open(t, "a's suspect", a->k[CF_S]);
    cf_hello(q, NULL, 0);
    pl_wire w = {.kind = PL_W_WANT};
    memcpy(w.u.want.case_id, b->id, 32);
    memcpy(w.u.want.author, cf_pk(b, CF_P), 32);
    w.u.want.from_seq = 1, w.u.want.max = 1;
    cf_send(q, &w);
    cf_expect_refused(q, NULL, NULL, NULL, PL_E_NOT_FOLLOWED, 0);
    cf_match msg = {.kind = PL_W_MSG, .case_id = b->id};
    if (cf_have(q, &msg))
        cf_fail(t, "a peer that the case does not name was sent its messages");
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, b->id, 32);
    cf_send(q, &h);
    cf_expect_refused(q, NULL, NULL, NULL, PL_E_NOT_FOLLOWED, 0);
    cf_alive(a, q);
}

/* ---- §14.4, §14.5 ------------------------------------------------------------------ */

static void heads_after_hello(cf_t *t)
{
    /* SPEC §14.4: after HELLO, HEADS for the case, listing every author's
     * latest accepted message, a flagged one included */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body s = cf_sign_body(pl_msg_id(n->charter), pl_msg_id(n->charter));
    pl_msg *flag = cf_post(n, p, CF_V, &s, CF_ALL);
    cf_expect_flag(p, flag, PL_E_ROLE);
    cf_peer *q = cf_peer_open(t, "second", n->k[CF_S]);
    cf_hello(q, (const uint8_t(*)[PL_CASE_ID_BYTES])n->id, 1);
    cf_in in;
    cf_match hm = {.kind = PL_W_HEADS, .case_id = n->id};
    if (!cf_wait(q, &hm, cf_g.timeout_ms, &in))
        cf_fail(t, "no HEADS for a case named in the peer's HELLO within %d ms", cf_g.timeout_ms);
    int who[5] = {CF_P, CF_S, CF_C, CF_V, CF_O};
    char why[160] = "";
    if (in.w.u.heads.n != 5)
        snprintf(why, sizeof why, "HEADS lists %zu authors, the case has 5", in.w.u.heads.n);
    for (int i = 0; i < 5 && !why[0]; i++) {
        const pl_msg *head = n->head[who[i]];
        int found = 0;
        for (size_t j = 0; j < in.w.u.heads.n; j++)
            found |= memcmp(in.w.u.heads.heads[j].author, cf_pk(n, who[i]), 32) == 0 &&
                     in.w.u.heads.heads[j].seq == pl_msg_header(head)->seq &&
                     memcmp(in.w.u.heads.heads[j].id, pl_msg_id(head), 32) == 0;
        if (!found)
            snprintf(why, sizeof why, "HEADS does not list the latest message %s%s",
                     cf_short(pl_msg_id(head)), head == flag ? " (the flagged one)" : "");
    }
    cf_in_free(&in);
    if (why[0])
        cf_fail(t, "%s", why);
}

static void heads_are_claims(cf_t *t)
{
    /* SPEC §14.4, §14.5: HEADS claiming more than the node holds makes it ask
     * from its next seq, and records nothing */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, n->id, 32);
    h.u.heads.n = 1;
    memcpy(h.u.heads.heads[0].author, cf_pk(n, CF_V), 32);
    h.u.heads.heads[0].seq = 9;
    randombytes_buf(h.u.heads.heads[0].id, 32);
    cf_send(p, &h);
    cf_in in;
    cf_match want = {.kind = PL_W_WANT, .case_id = n->id, .author = cf_pk(n, CF_V)};
    if (!cf_wait(p, &want, cf_g.timeout_ms, &in))
        cf_fail(t,
                "HEADS showed 8 messages the node lacks and it did not ask for them (SPEC §14.5)");
    uint64_t from = in.w.u.want.from_seq, max = in.w.u.want.max;
    cf_in_free(&in);
    if (from != 2)
        cf_fail(t, "the node asked from seq %llu, not from its next seq 2",
                (unsigned long long)from);
    if (max < 8)
        cf_fail(t, "the node asked for %llu messages, not the 8 it lacks", (unsigned long long)max);
    const uint8_t(*ids)[PL_ID_BYTES] = (const uint8_t(*)[PL_ID_BYTES])pl_msg_id(n->head[CF_V]);
    cf_expect_held(p, n, CF_V, NULL, 1, ids, 1);
    cf_alive(n, p);
}

static void heads_unnamed(cf_t *t)
{
    /* SPEC §14.4: heads of authors the case does not name are ignored: no
     * WANT for them */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *v2 = opinion_of(n, CF_V, "published, not yet sent", 1);
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, n->id, 32);
    int first = memcmp(cf_pk(n, CF_V), cf_pk(n, CF_X), 32) < 0 ? CF_V : CF_X;
    int second = first == CF_V ? CF_X : CF_V;
    int who[2] = {first, second};
    h.u.heads.n = 2;
    for (int i = 0; i < 2; i++) {
        memcpy(h.u.heads.heads[i].author, cf_pk(n, who[i]), 32);
        h.u.heads.heads[i].seq = who[i] == CF_V ? 2 : 3;
        if (who[i] == CF_V)
            memcpy(h.u.heads.heads[i].id, pl_msg_id(v2), 32);
        else
            randombytes_buf(h.u.heads.heads[i].id, 32);
    }
    cf_send(p, &h);
    cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(v2)};
    if (!cf_wait(p, &ack, cf_g.timeout_ms, NULL))
        cf_fail(t, "the node did not fetch (WANT) and store the named author's message it lacked");
    cf_barrier(p, n);
    cf_match wx = {.kind = PL_W_WANT, .author = cf_pk(n, CF_X)};
    if (cf_have(p, &wx))
        cf_fail(t, "the node asked (WANT) for the messages of an author the case does not name");
    cf_alive(n, p);
}

static void anti_entropy(cf_t *t)
{
    /* SPEC §14.4: HEADS again, periodically, to a peer that has not shown it
     * holds every head (this suite waits 12 s, or --timeout if longer) */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_follower(t, n);
    cf_match hm = {.kind = PL_W_HEADS, .case_id = n->id};
    int wait_ms = cf_g.timeout_ms > 12000 ? cf_g.timeout_ms : 12000;
    if (!cf_wait(q, &hm, wait_ms, NULL))
        cf_fail(t, "no second HEADS within %d s to a peer that never showed it holds the heads",
                wait_ms / 1000);
}

static void want_answered(cf_t *t)
{
    /* SPEC §14.5: WANT is answered with the author's messages from the seq
     * asked, in seq order, at most max */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *m[3];
    for (int i = 0; i < 3; i++) {
        m[i] = opinion_of(n, CF_V, i == 0 ? "one" : i == 1 ? "two" : "three", 1);
        cf_send_msg(p, m[i]);
    }
    for (int i = 0; i < 3; i++)
        cf_expect_valid(p, n, m[i]);
    cf_match mine = {.kind = PL_W_MSG, .case_id = n->id, .author = cf_pk(n, CF_V)};
    while (cf_wait(p, &mine, 0, NULL))
        ;
    pl_wire w = {.kind = PL_W_WANT};
    memcpy(w.u.want.case_id, n->id, 32);
    memcpy(w.u.want.author, cf_pk(n, CF_V), 32);
    w.u.want.from_seq = 2, w.u.want.max = 2;
    cf_send(p, &w);
    cf_barrier(p, n);
    for (int i = 0; i < 3; i++) {
        cf_in in;
        int got = cf_wait(p, &mine, 0, &in);
        uint64_t seq = got ? in.msg_seq : 0;
        if (got)
            cf_in_free(&in);
        if (i < 2 && (!got || seq != (uint64_t)(2 + i)))
            cf_fail(t, "WANT from seq 2, max 2: answer %d is %s", i + 1,
                    got ? "another seq than asked, or out of order" : "missing");
        if (i == 2 && got)
            cf_fail(t, "WANT for at most 2 messages was answered with more");
    }
}

static void want_absent(cf_t *t)
{
    /* SPEC §14.5: nothing is sent for messages the node does not hold */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_expect_held(p, n, CF_V, NULL, 2, NULL, 0);
    cf_expect_held(p, n, -1, cf_pk(n, CF_X), 1, NULL, 0);
}

static void catch_up(cf_t *t)
{
    /* SPEC §14.5: shown more than it holds, the node asks, and stores what
     * comes */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *m[3];
    for (int i = 0; i < 3; i++)
        m[i] = opinion_of(n, CF_V, "written while the node was away", 1);
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, n->id, 32);
    h.u.heads.n = 1;
    memcpy(h.u.heads.heads[0].author, cf_pk(n, CF_V), 32);
    h.u.heads.heads[0].seq = 4;
    memcpy(h.u.heads.heads[0].id, pl_msg_id(m[2]), 32);
    cf_send(p, &h);
    for (int i = 0; i < 3; i++) {
        cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(m[i])};
        if (!cf_wait(p, &ack, cf_g.timeout_ms, NULL))
            cf_fail(t,
                    "the node did not catch up: message %d of 3 it was shown was not "
                    "fetched and acknowledged",
                    i + 1);
    }
    uint8_t ids[3][PL_ID_BYTES];
    for (int i = 0; i < 3; i++)
        memcpy(ids[i], pl_msg_id(m[i]), PL_ID_BYTES);
    cf_expect_held(p, n, CF_V, NULL, 2, (const uint8_t(*)[PL_ID_BYTES])ids, 3);
}

/* ---- §14.6, §14.7, §14.8 ----------------------------------------------------------- */

static void not_participant(cf_t *t)
{
    /* SPEC §14.6: a message whose author the case does not name is refused
     * with PL_E_NOT_PARTICIPANT and its id, and not stored */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = cf_observation("a stranger's message");
    pl_msg *m = cf_make(n, CF_X, &b, CF_ALL, 0);
    cf_send_msg(p, m);
    cf_expect_refused(p, n, m, NULL, PL_E_NOT_PARTICIPANT, 1);
    cf_expect_held(p, n, -1, cf_pk(n, CF_X), 1, NULL, 0);
    cf_alive(n, p);
}

static void ack_names(cf_t *t)
{
    /* SPEC §14.7: the ACK names the case and the message */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *m = opinion_of(n, CF_V, "acknowledge me", 1);
    cf_send_msg(p, m);
    cf_in in;
    cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(m)};
    if (!cf_wait(p, &ack, cf_g.timeout_ms, &in))
        cf_fail(t, "no ACK within %d ms", cf_g.timeout_ms);
    int same = memcmp(in.w.u.ack.case_id, n->id, 32) == 0;
    cf_in_free(&in);
    if (!same)
        cf_fail(t, "the ACK names another case");
}

static void dup_flagged(cf_t *t)
{
    /* SPEC §14.7: a duplicate of a flagged message is acknowledged too */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body o = cf_opinion("the observer's opinion");
    pl_msg *m = cf_post(n, p, CF_O, &o, CF_ALL);
    cf_expect_flag(p, m, PL_E_ROLE);
    cf_send_msg(p, m);
    cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(m)};
    if (!cf_wait(p, &ack, cf_g.timeout_ms, NULL))
        cf_fail(t, "a duplicate of a flagged message was not acknowledged");
    cf_alive(n, p);
}

static void error_not_answered(cf_t *t)
{
    /* SPEC §14.8: a node does not answer an ERROR frame */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_wire e = {.kind = PL_W_ERROR};
    e.u.error.code = PL_E_SIG;
    snprintf(e.u.error.text, sizeof e.u.error.text, "parley-conform: an ERROR to ignore");
    cf_clear(p);
    cf_send(p, &e);
    cf_barrier(p, n);
    cf_match err = {.kind = PL_W_ERROR};
    char errs[256];
    if (cf_have(p, &err))
        cf_fail(t, "an ERROR frame was answered (%s)", cf_errors_seen(p, errs, sizeof errs));
    cf_alive(n, p);
}

static void error_text(cf_t *t)
{
    /* SPEC §14.8: each ERROR SHOULD carry a short text (over the whole run) */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_send_raw(p, (const uint8_t *)"\x05", 1);
    cf_expect_refused(p, n, NULL, NULL, PL_E_WIRE, 0);
    if (cf_g.errors_without_text > 0)
        cf_miss(t, "%llu of %llu ERROR frames the node sent in this run carry no text",
                (unsigned long long)cf_g.errors_without_text, (unsigned long long)cf_g.errors_in);
    cf_note(t, "%llu ERROR frames, each with a text", (unsigned long long)cf_g.errors_in);
}

/* ---- §14.9, §14.10 ------------------------------------------------------------------ */

static pl_msg *fork_join(cf_neg *n, int who)
{
    pl_header h;
    cf_next_header(n, who, PL_T_OPINION, CF_BIT(CF_P), &h);
    h.seq = 1, h.has_prev = 0;
    pl_body b = cf_opinion("the other branch");
    uint8_t body[512];
    size_t blen;
    pl_msg *f;
    if (pl_body_encode(&b, body, sizeof body, &blen) != PL_OK ||
        pl_msg_sign(&h, body, blen, n->k[who], &f) != PL_OK)
        cf_fail(n->t, "internal: fork");
    return cf_keep(n, f);
}

static void proof_built(cf_t *t)
{
    /* SPEC §14.9, §7.1: on a fork, the node builds the proof and sends it to
     * the other peers following the case */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_follower(t, n);
    pl_msg *f = fork_join(n, CF_V);
    cf_send_msg(p, f);
    cf_expect_refused(p, n, f, NULL, PL_E_EQUIVOCATION, 0);
    cf_in in;
    cf_match pm = {.kind = PL_W_PROOF};
    if (!cf_wait(q, &pm, cf_g.timeout_ms, &in))
        cf_fail(t, "no PROOF reached the other peer following the case within %d ms",
                cf_g.timeout_ms);
    pl_equiv_info info;
    int rc = pl_equiv_proof_verify(in.w.u.proof.bytes, in.w.u.proof.len, &info);
    cf_in_free(&in);
    if (rc != PL_OK)
        cf_fail(t, "the PROOF the node built does not verify: %s (SPEC §7.3)", pl_errname(rc));
    const uint8_t *a = pl_msg_id(n->head[CF_V]), *b = pl_msg_id(f);
    if (memcmp(info.author, cf_pk(n, CF_V), 32) != 0 || info.seq != 1 ||
        memcmp(info.case_id, n->id, 32) != 0 ||
        !((memcmp(info.id_a, a, 32) == 0 && memcmp(info.id_b, b, 32) == 0) ||
          (memcmp(info.id_a, b, 32) == 0 && memcmp(info.id_b, a, 32) == 0)))
        cf_fail(t, "the PROOF the node built is not the proof of this fork (SPEC §7.2)");
}

static void proof_once(cf_t *t)
{
    /* SPEC §14.9: a proof of a fork already proven is not relayed again */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_follower(t, n);
    pl_msg *f1 = fork_join(n, CF_C), *f2 = fork_join(n, CF_C);
    uint8_t p1[PL_EQUIV_PROOF_MAX_BYTES], p2[PL_EQUIV_PROOF_MAX_BYTES];
    size_t l1, l2;
    if (pl_equiv_proof_build(n->head[CF_C], f1, p1, sizeof p1, &l1) != PL_OK ||
        pl_equiv_proof_build(n->head[CF_C], f2, p2, sizeof p2, &l2) != PL_OK)
        cf_fail(t, "internal: proofs");
    pl_wire w = {.kind = PL_W_PROOF};
    w.u.proof.bytes = p1, w.u.proof.len = l1;
    cf_send(p, &w);
    cf_match pm = {.kind = PL_W_PROOF};
    if (!cf_wait(q, &pm, cf_g.timeout_ms, NULL))
        cf_fail(t, "the first proof of the fork was not relayed (SPEC §14.9)");
    w.u.proof.bytes = p2, w.u.proof.len = l2;
    cf_send(p, &w);
    cf_send(p, &w);
    cf_barrier(p, n);
    cf_barrier(q, n);
    if (cf_have(q, &pm))
        cf_fail(t, "a second proof of the same fork (author and seq) was relayed");
}

static void relay(cf_t *t)
{
    /* SPEC §14.10: a message accepted from one peer is relayed to another
     * peer following the case, byte for byte */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_follower(t, n);
    pl_msg *m = opinion_of(n, CF_V, "pass this on", 1);
    cf_send_msg(p, m);
    cf_expect_valid(p, n, m);
    cf_in in;
    cf_match rm = {.kind = PL_W_MSG, .id = pl_msg_id(m)};
    if (!cf_wait(q, &rm, cf_g.timeout_ms, &in))
        cf_fail(t, "the message was not relayed to the other peer following the case within %d ms",
                cf_g.timeout_ms);
    size_t len;
    const uint8_t *mb = pl_msg_bytes(m, &len);
    int same = in.w.u.msg.len == len && memcmp(in.w.u.msg.bytes, mb, len) == 0;
    cf_in_free(&in);
    if (!same)
        cf_fail(t, "the relayed message's bytes differ from the bytes sent");
}

static void not_back(cf_t *t)
{
    /* SPEC §14.10: a message is not relayed back to the peer it came from */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *m = opinion_of(n, CF_V, "do not echo this", 1);
    cf_send_msg(p, m);
    cf_expect_valid(p, n, m);
    cf_listen(p, cf_g.quiet_ms / 2);
    cf_match echo = {.kind = PL_W_MSG, .id = pl_msg_id(m)};
    if (cf_have(p, &echo))
        cf_fail(t, "the node sent the message back to the peer it came from");
}

static void relay_released(cf_t *t)
{
    /* SPEC §14.10: a message released from the pending set is relayed too */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_follower(t, n);
    pl_msg *m2 = opinion_of(n, CF_V, "second", 1), *m3 = opinion_of(n, CF_V, "third", 1);
    cf_send_msg(p, m3);
    cf_barrier(p, n);
    cf_send_msg(p, m2);
    cf_expect_valid(p, n, m2);
    cf_match r3 = {.kind = PL_W_MSG, .id = pl_msg_id(m3)};
    if (!cf_wait(q, &r3, cf_g.timeout_ms, NULL))
        cf_fail(t, "the message released once its predecessor came was not relayed");
}

static void rate_limit(cf_t *t)
{
    /* SPEC §14.10: a peer sending beyond the node's rate is told PL_E_RATE,
     * at most once a second, and served again afterwards */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t f[80], other[32];
    randombytes_buf(other, sizeof other);
    size_t len = ack_frame(f, other); /* an ACK of a case it does not host: ignored */
    uint64_t t0 = h_now_ms(), sent = 0;
    cf_match rate = {.kind = PL_W_ERROR, .code = PL_E_RATE};
    while (!cf_have(p, &rate) && h_now_ms() - t0 < 4000 && sent < 400000) {
        for (int i = 0; i < 5000; i++)
            cf_send_raw(p, f, len);
        sent += 5000;
        cf_listen(p, 0);
    }
    uint64_t t1 = h_now_ms();
    cf_listen(p, 1500);
    double secs = (double)(h_now_ms() - t0) / 1000.0;
    size_t told = 0;
    while (cf_wait(p, &rate, 0, NULL))
        told++;
    cf_sleep_ms(1100); /* a second's worth of tokens again */
    cf_alive(n, p);
    if (told == 0)
        cf_miss(t, "%llu frames in %.1f s brought no ERROR PL_E_RATE", (unsigned long long)sent,
                (double)(t1 - t0) / 1000.0);
    if ((double)told > secs + 1.0)
        cf_miss(t, "ERROR PL_E_RATE came %zu times in %.1f s (at most once a second)", told, secs);
    cf_note(t, "%llu frames in %.1f s: PL_E_RATE %zu time(s)", (unsigned long long)sent,
            (double)(t1 - t0) / 1000.0, told);
}

static void frames_decode(cf_t *t)
{
    /* SPEC §14.2: a node MUST NOT send a frame it could not decode (every
     * frame it sent in this run) */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_alive(n, p);
    if (cf_g.undecodable > 0)
        cf_fail(t,
                "%llu of %llu frames the node sent do not decode by SPEC §14.2; the first "
                "begins %s",
                (unsigned long long)cf_g.undecodable, (unsigned long long)cf_g.frames_in,
                cf_g.undecodable_hex);
    cf_note(t, "%llu frames received, all decode", (unsigned long long)cf_g.frames_in);
}

const cf_case cf_cases_wire[] = {
    {"14.1-1", CF_MUST, 1, zap_refuses,
     "a key no hosted case names, and not configured, is refused (ZAP)"},
    {"14.1-2", CF_MUST, 1, frame_too_big,
     "a frame over 262208 bytes within 524416 is answered with PL_E_TOO_BIG"},
    {"14.1-3", CF_MUST, 1, transport_bound,
     "a ZeroMQ message over 524416 bytes is not read; new connections are served"},
    {"14.1-4", CF_MUST, 1, multipart,
     "a ZeroMQ message of several parts is discarded or cut to one; the node serves on"},
    {"14.2-1", CF_MUST, 1, not_array, "a frame that is not an array is PL_E_WIRE"},
    {"14.2-2", CF_MUST, 1, unknown_kind, "an unknown frame kind is PL_E_WIRE_KIND"},
    {"14.2-3", CF_MUST, 1, wire_version, "a wire version other than 1 is PL_E_WIRE_VERSION"},
    {"14.2-4", CF_MUST, 1, frame_noncanonical,
     "a frame with a non-canonical integer is PL_E_NONCANONICAL"},
    {"14.2-5", CF_MUST, 1, frame_empty, "an empty frame is PL_E_TRUNCATED"},
    {"14.2-6", CF_MUST, 1, hello_fields, "a HELLO missing its case list is PL_E_WIRE"},
    {"14.2-7", CF_MUST, 1, want_max, "a WANT for 0 or for more than 1024 messages is PL_E_WIRE"},
    {"14.2-8", CF_MUST, 1, heads_order, "HEADS not ascending by author is PL_E_WIRE"},
    {"14.2-9", CF_MUST, 1, ack_short_id, "an ACK with a 31-byte message id is PL_E_WIRE"},
    {"14.2-10", CF_MUST, 1, msg_not_message, "a MSG frame that embeds no message is PL_E_WIRE"},
    {"14.3-1", CF_MUST, 1, before_hello,
     "a frame before HELLO is answered with PL_E_HELLO and not served"},
    {"14.3-2", CF_MUST, 1, hello_twice,
     "a second HELLO on a connection is answered with PL_E_HELLO"},
    {"14.3-3", CF_MUST, 1, hello_other_key,
     "a HELLO naming another key is answered with PL_E_HELLO and the connection closed"},
    {"14.3-4", CF_MUST, 0, node_hello,
     "the node's first frame is HELLO, naming its key and the cases it hosts"},
    {"14.3-5", CF_MUST, 0, invitation,
     "invitation: offered a case naming it, the node fetches the charter and hosts the case"},
    {"14.3-6", CF_MUST, 1, invitation_not_named,
     "a charter that does not name the node does not make it host the case"},
    {"14.3-7", CF_MUST, 1, want_unknown_case, "a WANT of a case not hosted is PL_E_UNKNOWN_CASE"},
    {"14.3-8", CF_MUST, 1, msg_unknown_case,
     "a MSG of a case not hosted is PL_E_UNKNOWN_CASE with its id; nothing kept"},
    {"14.3-9", CF_MUST, 1, not_followed,
     "WANT and HEADS of a hosted case that does not name the peer are PL_E_NOT_FOLLOWED"},
    {"14.3-10", CF_MUST, 1, proof_unknown_case,
     "a PROOF of a case not hosted is PL_E_UNKNOWN_CASE"},
    {"14.4-1", CF_MUST, 0, heads_after_hello,
     "after HELLO, HEADS lists every author's latest message, a flagged one included"},
    {"14.4-2", CF_MUST, 1, heads_are_claims,
     "claimed heads are claims: the node asks from its next seq and records nothing"},
    {"14.4-3", CF_MUST, 1, heads_unnamed,
     "heads of authors the case does not name are ignored (no WANT)"},
    {"14.4-4", CF_MUST, 0, anti_entropy,
     "anti-entropy: HEADS again to a peer that has not shown it holds every head"},
    {"14.5-1", CF_MUST, 0, want_answered,
     "WANT is answered with the messages from seq, in order, at most max"},
    {"14.5-2", CF_MUST, 0, want_absent, "nothing is sent for messages the node does not hold"},
    {"14.5-3", CF_MUST, 0, catch_up,
     "catch-up: shown more than it holds, the node asks and stores what comes"},
    {"14.6-1", CF_MUST, 1, not_participant,
     "a message whose author the case does not name is PL_E_NOT_PARTICIPANT with its id; not "
     "stored"},
    {"14.7-1", CF_MUST, 0, ack_names, "the ACK names the case and the message"},
    {"14.7-2", CF_MUST, 1, dup_flagged, "a duplicate of a flagged message is acknowledged"},
    {"14.8-1", CF_MUST, 1, error_not_answered, "an ERROR frame is not answered"},
    {"14.9-1", CF_MUST, 1, proof_built,
     "on a fork, the node builds the proof and sends it to the other peers following the case"},
    {"14.9-2", CF_MUST, 1, proof_once, "a proof of a fork already proven is not relayed again"},
    {"14.10-1", CF_MUST, 0, relay,
     "a message is relayed, byte for byte, to another peer following the case"},
    {"14.10-2", CF_MUST, 0, not_back, "a message is not relayed back to the peer it came from"},
    {"14.10-3", CF_MUST, 1, relay_released, "a message released from the pending set is relayed"},
    {"14.10-4", CF_SHOULD, 1, rate_limit,
     "a peer over the node's rate gets PL_E_RATE, at most once a second, and is served again"},
    {"14.8-2", CF_SHOULD, 0, error_text, "every ERROR the node sent in the run carries a text"},
    {"14.2-11", CF_MUST, 0, frames_decode, "every frame the node sent in the run decodes"},
};
const size_t cf_ncases_wire = sizeof cf_cases_wire / sizeof cf_cases_wire[0];
