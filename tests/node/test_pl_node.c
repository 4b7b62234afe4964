/* The node core's wire duties (SPEC §14), one test per duty, in process.
 *
 * Why in process: the conformance suite (conform/) drives a real parleyd
 * over ZeroMQ, where a duty that depends on time (a rate bucket, an
 * invitation's expiry, periodic HEADS, an observer's interval) can only be
 * tested by waiting, and what the node emits is seen only after the
 * transport has had its way with it. pl_node takes the time as an argument
 * and hands every frame to a callback, so here the test owns the clock (a
 * uint64_t it advances by exactly the milliseconds a rule names) and sees
 * each frame the node emits, with the peer it went to, at the moment it is
 * emitted: whether something leaves before the batch commits is a fact the
 * test can check, not a race.
 *
 * The cases are the test world's (tests/unit/world.c): a charter by the
 * prosecution naming suspect, counsel, victim and observer, their joins, a
 * signing session and a notice, then a few more messages. Most tests run a
 * node that speaks for counsel on a store that already holds the world's
 * first messages, with the victim's and the suspect's nodes as peers; the
 * frames those peers "send" are built with the library's codec. Every
 * frame the node sends must itself decode (SPEC §14.2: a sender sends no
 * frame it could not decode), so the send callback decodes each one.
 *
 * Scratch stores live in a mkdtemp directory (on /dev/shm when it is
 * writable: no fsync cost), removed at the end. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "node.h"
#include "store.h"
#include "testutil.h"
#include "world.h"

/* A day after the world's first message: every world message is in the
 * past of the node's clock unless a test says otherwise. */
#define NOW0 (1796112000000ull + 86400000ull)

/* The world's log, as built by setup (w_init, then build_world). */
enum {
    IX_CHARTER = 0,  /* P1 */
    IX_S_JOIN = 1,   /* S1 */
    IX_C_JOIN = 2,   /* C1 */
    IX_V_JOIN = 3,   /* V1 */
    IX_O_JOIN = 4,   /* O1 */
    IX_P_NOTICE = 7, /* P3 */
    SEEDED = 9,      /* what most nodes hold at start: through the notice's ack (S2) */
    IX_P4 = 9,       /* P's offer */
    IX_P5 = 10,      /* P's disclosure: only P4 before it is new */
    IX_V2 = 11,      /* V's opinion */
    IX_FLAG = 12,    /* V "signs" the offer: flagged (a victim cannot sign) */
    NWORLD = 13
};

static world W;
static pl_msg *fork_v2; /* V's second message at seq 2: a fork of IX_V2 */
static uint8_t proof_v2[PL_EQUIV_PROOF_MAX_BYTES]; /* a proof of V's fork at IX_V2 */
static size_t proof_v2_len;
static char dir[128];

/* ---- what the node emits ---------------------------------------------------------- */

struct out {
    uint32_t peer;
    uint8_t *b;
    size_t len;
};

struct cap {
    struct out *f;
    size_t n, cap;
    uint32_t drop[16];
    size_t drop_after[16]; /* frames emitted before the drop: the order */
    size_t ndrop;
    size_t nskew; /* warnings of a future timestamp (SPEC §6.5) */
};

static void on_send(void *ctx, uint32_t peer, const uint8_t *frame, size_t len)
{
    struct cap *c = ctx;
    pl_wire w;
    assert_int_equal(pl_wire_decode(frame, len, &w), PL_OK); /* SPEC §14.2 */
    pl_wire_free(&w);
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->f = realloc(c->f, c->cap * sizeof *c->f);
        assert_non_null(c->f);
    }
    uint8_t *b = malloc(len);
    assert_non_null(b);
    memcpy(b, frame, len);
    c->f[c->n++] = (struct out){peer, b, len};
}

static void on_drop(void *ctx, uint32_t peer)
{
    struct cap *c = ctx;
    assert_true(c->ndrop < 16);
    c->drop_after[c->ndrop] = c->n;
    c->drop[c->ndrop++] = peer;
}

static void on_log(void *ctx, pl_log_level level, const char *line)
{
    struct cap *c = ctx;
    if (level == PL_LOG_WARN && strstr(line, "SPEC §6.5") != NULL)
        c->nskew++;
}

static void cap_clear(struct cap *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->f[i].b);
    c->n = 0;
    c->ndrop = 0;
}

static void cap_free(struct cap *c)
{
    cap_clear(c);
    free(c->f);
    c->f = NULL;
    c->cap = 0;
}

/* ---- a node on a scratch store ---------------------------------------------------- */

typedef struct {
    int who;     /* the node speaks for W.k[who] */
    size_t seed; /* the world's first messages in its store before it opens */
    uint32_t rate;
    int observer;
    uint64_t attest_interval_ms;
    int accept_invitations;
    const uint8_t (*allow)[PL_PK_BYTES];
    size_t nallow;
} opts;

typedef struct {
    pl_node *n;
    struct cap cap;
    uint64_t now; /* the injected clock */
    opts o;
    char path[256];
} fx;

static void seed_store(const char *path, size_t k)
{
    pl_store *s = NULL;
    assert_int_equal(pl_store_open(path, &s), PL_OK);
    for (size_t i = 0; i < k; i++)
        assert_true(pl_store_put(s, W.log[i]) >= 0);
    pl_store_close(&s);
}

static void node_open(fx *f)
{
    pl_node_config cfg = {.store_path = f->path,
                          .nkeys = 1,
                          .rate = f->o.rate,
                          .observer = f->o.observer,
                          .attest_interval_ms = f->o.attest_interval_ms,
                          .accept_invitations = f->o.accept_invitations,
                          .allow = f->o.allow,
                          .nallow = f->o.nallow,
                          .send = on_send,
                          .drop = on_drop,
                          .log = on_log,
                          .log_level = PL_LOG_DEBUG,
                          .ctx = &f->cap};
    cfg.keys[0] = tu_key(40u + (unsigned)f->o.who); /* the world's keys (w_init) */
    assert_non_null(cfg.keys[0]);
    assert_int_equal(pl_node_open(&cfg, f->now, &f->n), PL_OK);
}

static void fx_start(fx *f, const char *name, const opts *o, uint64_t now)
{
    memset(f, 0, sizeof *f);
    f->o = *o;
    f->now = now;
    snprintf(f->path, sizeof f->path, "%s/%s.db", dir, name);
    if (o->seed > 0)
        seed_store(f->path, o->seed);
    node_open(f);
}

static void fx_end(fx *f)
{
    pl_node_close(&f->n);
    cap_free(&f->cap);
}

static void fx_flush(fx *f)
{
    assert_int_equal(pl_node_flush(f->n), PL_OK);
}

static void put_raw(fx *f, uint32_t peer, const uint8_t *b, size_t len)
{
    pl_node_frame(f->n, peer, b, len, f->now);
}

static void put_wire(fx *f, uint32_t peer, const pl_wire *w)
{
    uint8_t *b;
    size_t len;
    assert_int_equal(pl_wire_encode(w, &b, &len), PL_OK);
    put_raw(f, peer, b, len);
    pl_free(b);
}

static void put_msg(fx *f, uint32_t peer, const pl_msg *m)
{
    pl_wire w = {.kind = PL_W_MSG};
    w.u.msg.bytes = (uint8_t *)pl_msg_bytes(m, &w.u.msg.len);
    put_wire(f, peer, &w);
}

static void put_hello(fx *f, uint32_t peer, const uint8_t pk[PL_PK_BYTES], const uint8_t *case_id)
{
    pl_wire w = {.kind = PL_W_HELLO};
    uint8_t ids[1][PL_CASE_ID_BYTES];
    memcpy(w.u.hello.node, pk, PL_PK_BYTES);
    if (case_id != NULL) {
        memcpy(ids[0], case_id, PL_CASE_ID_BYTES);
        w.u.hello.cases = ids;
        w.u.hello.ncases = 1;
    }
    put_wire(f, peer, &w);
}

static void put_want(fx *f, uint32_t peer, const uint8_t *case_id, const uint8_t *author,
                     uint64_t from, uint64_t max)
{
    pl_wire w = {.kind = PL_W_WANT};
    memcpy(w.u.want.case_id, case_id, PL_CASE_ID_BYTES);
    memcpy(w.u.want.author, author, PL_PK_BYTES);
    w.u.want.from_seq = from;
    w.u.want.max = max;
    put_wire(f, peer, &w);
}

static void put_error(fx *f, uint32_t peer, int code)
{
    pl_wire w = {.kind = PL_W_ERROR};
    w.u.error.code = code;
    snprintf(w.u.error.text, sizeof w.u.error.text, "a peer's complaint");
    put_wire(f, peer, &w);
}

/* HEADS of the world's case as its first k messages stand (SPEC §14.4:
 * the latest message of every author, ascending by author). */
static pl_wire heads_of(size_t k)
{
    return w_heads(&W, k);
}

/* HEADS of one author of a case. */
static pl_wire heads_one(const uint8_t *case_id, const uint8_t *author, uint64_t seq,
                         const uint8_t *id)
{
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, case_id, PL_CASE_ID_BYTES);
    h.u.heads.n = 1;
    memcpy(h.u.heads.heads[0].author, author, PL_PK_BYTES);
    h.u.heads.heads[0].seq = seq;
    memcpy(h.u.heads.heads[0].id, id, PL_ID_BYTES);
    return h;
}

/* A peer whose connection authenticated pk connects; with hello, it says
 * HELLO naming the world's case. What the node says on the way is flushed
 * and forgotten. */
static uint32_t peer_up(fx *f, const uint8_t pk[PL_PK_BYTES], int hello)
{
    int p = pl_node_peer_open(f->n, pk, f->now);
    assert_true(p >= 0);
    if (hello)
        put_hello(f, (uint32_t)p, pk, W.case_id);
    fx_flush(f);
    cap_clear(&f->cap);
    return (uint32_t)p;
}

static const uint8_t *pk_of(int who)
{
    return pl_key_pk(W.k[who]);
}

/* ---- reading what was emitted ----------------------------------------------------- */

#define ANY (-1)

/* How many frames of kind went to peer (ANY: to anyone). */
static size_t nsent(const fx *f, int peer, int kind)
{
    size_t k = 0;
    for (size_t i = 0; i < f->cap.n; i++) {
        pl_wire w;
        if (peer != ANY && f->cap.f[i].peer != (uint32_t)peer)
            continue;
        assert_int_equal(pl_wire_decode(f->cap.f[i].b, f->cap.f[i].len, &w), PL_OK);
        k += (int)w.kind == kind;
        pl_wire_free(&w);
    }
    return k;
}

/* The k-th frame (from 0) of kind sent to peer, decoded into *w (free it):
 * 1, or 0 if there is none. */
static int nth(const fx *f, int peer, int kind, size_t k, pl_wire *w)
{
    for (size_t i = 0; i < f->cap.n; i++) {
        if (peer != ANY && f->cap.f[i].peer != (uint32_t)peer)
            continue;
        assert_int_equal(pl_wire_decode(f->cap.f[i].b, f->cap.f[i].len, w), PL_OK);
        if ((int)w->kind == kind && k-- == 0)
            return 1;
        pl_wire_free(w);
    }
    memset(w, 0, sizeof *w);
    return 0;
}

/* The code of the k-th ERROR to peer, 0 if none; its id in id (NULL: not
 * wanted), *has_id whether it carries one. */
static int nth_error(const fx *f, int peer, size_t k, int *has_id, uint8_t id[PL_ID_BYTES])
{
    pl_wire w;
    if (!nth(f, peer, PL_W_ERROR, k, &w))
        return 0;
    int code = w.u.error.code;
    if (has_id)
        *has_id = w.u.error.has_id;
    if (id)
        memcpy(id, w.u.error.id, PL_ID_BYTES);
    pl_wire_free(&w);
    return code;
}

/* Whether some MSG frame to peer carries exactly m. */
static int sent_msg(const fx *f, int peer, const pl_msg *m)
{
    size_t len;
    const uint8_t *b = pl_msg_bytes(m, &len);
    pl_wire w;
    for (size_t k = 0; nth(f, peer, PL_W_MSG, k, &w); k++) {
        int same = w.u.msg.len == len && memcmp(w.u.msg.bytes, b, len) == 0;
        pl_wire_free(&w);
        if (same)
            return 1;
    }
    return 0;
}

/* Whether an ACK of message id of the case went to peer. */
static int sent_ack_in(const fx *f, int peer, const uint8_t *case_id, const uint8_t id[PL_ID_BYTES])
{
    pl_wire w;
    for (size_t k = 0; nth(f, peer, PL_W_ACK, k, &w); k++) {
        int same = memcmp(w.u.ack.id, id, PL_ID_BYTES) == 0 &&
                   memcmp(w.u.ack.case_id, case_id, PL_CASE_ID_BYTES) == 0;
        pl_wire_free(&w);
        if (same)
            return 1;
    }
    return 0;
}

/* The same in the world's case. */
static int sent_ack(const fx *f, int peer, const uint8_t id[PL_ID_BYTES])
{
    return sent_ack_in(f, peer, W.case_id, id);
}

static uint64_t stored(fx *f, const uint8_t *case_id)
{
    uint64_t k = 0;
    assert_int_equal(pl_store_count(pl_node_store(f->n), case_id, &k), PL_OK);
    return k;
}

static pl_node_stats stats(const fx *f)
{
    pl_node_stats st;
    pl_node_stats_get(f->n, &st);
    return st;
}

/* A charter by the prosecution naming the world's parties, of the case
 * its nonce (32 bytes of nonce_byte) makes: the body, and the case id. */
static size_t charter_body(uint8_t nonce_byte, uint8_t *body, size_t cap,
                           uint8_t case_id[PL_CASE_ID_BYTES])
{
    uint8_t nonce[32];
    memset(nonce, nonce_byte, sizeof nonce);
    wb_charter_mem mem;
    pl_body b = wb_charter(&W, 0, nonce, &mem);
    size_t len;
    assert_int_equal(pl_body_encode(&b, body, cap, &len), PL_OK);
    pl_case_id_derive(pk_of(W_P), nonce, case_id);
    return len;
}

/* The same charter, signed by the prosecution at ts. */
static pl_msg *charter_msg(uint8_t nonce_byte, uint64_t ts, uint8_t case_id[PL_CASE_ID_BYTES])
{
    uint8_t body[4096];
    size_t len = charter_body(nonce_byte, body, sizeof body, case_id);
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, case_id, PL_CASE_ID_BYTES);
    h.seq = 1;
    h.timestamp_ms = ts;
    h.type = PL_T_CHARTER;
    pl_msg *m = NULL;
    assert_int_equal(pl_msg_sign(&h, body, len, W.k[W_P], &m), PL_OK);
    return m;
}

/* ---- SPEC §14.1 ------------------------------------------------------------------- */

/* SPEC §14.1: ZAP admits a client only if its key is one a hosted case
 * names or a configured peer's; the CURVE key maps back to the Ed25519 key
 * it was converted from (never the inverse). pl_node_allow (`parley
 * connect`) admits a key no case names; pl_node_disallow takes it back. */
static void test_s14_1_admission(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_1", &o, NOW0);
    pl_key *x = tu_key(7); /* no case names it */
    const uint8_t *xpk = pl_key_pk(x);
    uint8_t xcurve[32], vcurve[32], ed[PL_PK_BYTES];
    assert_int_equal(crypto_sign_ed25519_pk_to_curve25519(xcurve, xpk), 0);
    assert_int_equal(crypto_sign_ed25519_pk_to_curve25519(vcurve, pk_of(W_V)), 0);

    for (int who = W_P; who <= W_O; who++) /* every key the charter names */
        assert_int_equal(pl_node_admit_key(f.n, pk_of(who)), 1);
    assert_int_equal(pl_node_admit_key(f.n, xpk), 0);
    assert_int_equal(pl_node_admit_key(f.n, pk_of(W_NEWC)), 0);
    assert_int_equal(pl_node_admit(f.n, xcurve, ed), 0);
    memset(ed, 0, sizeof ed);
    assert_int_equal(pl_node_admit(f.n, vcurve, ed), 1);
    assert_memory_equal(ed, pk_of(W_V), PL_PK_BYTES);

    assert_int_equal(pl_node_allow(f.n, xpk), PL_OK);
    assert_int_equal(pl_node_admit_key(f.n, xpk), 1);
    memset(ed, 0, sizeof ed);
    assert_int_equal(pl_node_admit(f.n, xcurve, ed), 1);
    assert_memory_equal(ed, xpk, PL_PK_BYTES);

    pl_node_disallow(f.n, xpk);
    assert_int_equal(pl_node_admit_key(f.n, xpk), 0);
    assert_int_equal(pl_node_admit(f.n, xcurve, ed), 0);
    pl_node_disallow(f.n, pk_of(W_V)); /* a key a case names stays admitted */
    assert_int_equal(pl_node_admit_key(f.n, pk_of(W_V)), 1);
    pl_key_destroy(&x);
    fx_end(&f);
}

/* ---- SPEC §14.2 ------------------------------------------------------------------- */

/* SPEC §14.2: a frame that fails decoding is answered with ERROR carrying
 * the code of the first failing step (size, the walk, the array, the
 * version, the kind, the fields), and otherwise ignored; the node goes on
 * serving the same peer (§14.8). */
static void test_s14_2_malformed_frames_answered(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_2", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);

    static const struct {
        const char *b;
        size_t len;
        int code;
    } bad[] = {
        {"\x80", 1, PL_E_WIRE},                 /* step 3: not an array */
        {"\x92\xa1x\x01", 4, PL_E_WIRE},        /* step 3: the version is not a uint */
        {"\x92\x02\x01", 3, PL_E_WIRE_VERSION}, /* step 4: version 2 */
        {"\x92\x01\x09", 3, PL_E_WIRE_KIND},    /* step 4: kind 9 */
        {"\x93\x01\x04\x01", 4, PL_E_WIRE},     /* step 5: a MSG embedding a non-array */
        {"\x93\x01\x03\x01", 4, PL_E_WIRE},     /* step 5: a WANT without its fields */
        {"\x92\x01\x01\xc0", 4, PL_E_TRAILING}, /* step 2: a value after the value */
        {"\x93\x01", 2, PL_E_TRUNCATED},        /* step 2: ends inside the array */
    };
    size_t nbad = sizeof bad / sizeof *bad;
    /* step 1: one byte more than the largest frame */
    size_t big_len = PL_WIRE_MAX_FRAME + 1;
    uint8_t *big = calloc(1, big_len);
    assert_non_null(big);
    big[0] = 0x93;
    put_raw(&f, v, big, big_len);
    free(big);
    for (size_t i = 0; i < nbad; i++)
        put_raw(&f, v, (const uint8_t *)bad[i].b, bad[i].len);
    /* and then a valid frame, which is served */
    put_want(&f, v, W.case_id, pk_of(W_P), 1, 1);
    fx_flush(&f);

    assert_int_equal(nsent(&f, v, PL_W_ERROR), nbad + 1);
    int has_id = 1;
    assert_int_equal(nth_error(&f, v, 0, &has_id, NULL), PL_E_TOO_BIG);
    assert_int_equal(has_id, 0);
    for (size_t i = 0; i < nbad; i++) {
        has_id = 1;
        assert_int_equal(nth_error(&f, v, i + 1, &has_id, NULL), bad[i].code);
        assert_int_equal(has_id, 0);
    }
    assert_int_equal(nsent(&f, v, PL_W_MSG), 1);
    assert_true(sent_msg(&f, (int)v, W.log[IX_CHARTER]));
    assert_int_equal(f.cap.ndrop, 0);
    assert_int_equal(stats(&f).refused, nbad + 1);
    fx_end(&f);
}

/* ---- SPEC §14.3 ------------------------------------------------------------------- */

/* SPEC §14.3, §14.4: a new connection starts with the node's HELLO (its
 * identity, the hosted cases that name the peer), queued by
 * pl_node_peer_open and emitted only by the flush; after the peer's HELLO
 * the node sends HEADS for every case both follow. A peer no case names
 * is offered no case. */
static void test_s14_3_hello_then_heads(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_3_hello", &o, NOW0);

    int v = pl_node_peer_open(f.n, pk_of(W_V), f.now);
    assert_true(v >= 0);
    assert_int_equal(f.cap.n, 0); /* queued, not sent */
    fx_flush(&f);
    assert_int_equal(f.cap.n, 1);
    pl_wire w;
    assert_true(nth(&f, v, PL_W_HELLO, 0, &w));
    assert_memory_equal(w.u.hello.node, pk_of(W_C), PL_PK_BYTES);
    assert_int_equal(w.u.hello.ncases, 1);
    assert_memory_equal(w.u.hello.cases[0], W.case_id, PL_CASE_ID_BYTES);
    pl_wire_free(&w);
    cap_clear(&f.cap);

    put_hello(&f, (uint32_t)v, pk_of(W_V), W.case_id);
    assert_int_equal(f.cap.n, 0);
    fx_flush(&f);
    assert_int_equal(nsent(&f, v, PL_W_HEADS), 1);
    assert_true(nth(&f, v, PL_W_HEADS, 0, &w));
    pl_wire want = heads_of(SEEDED); /* P3, S2, C2, V1, O1 */
    assert_int_equal(want.u.heads.n, 5);
    assert_memory_equal(w.u.heads.case_id, W.case_id, PL_CASE_ID_BYTES);
    assert_int_equal(w.u.heads.n, want.u.heads.n);
    for (size_t i = 0; i < want.u.heads.n; i++) {
        assert_memory_equal(w.u.heads.heads[i].author, want.u.heads.heads[i].author, 32);
        assert_int_equal(w.u.heads.heads[i].seq, want.u.heads.heads[i].seq);
        assert_memory_equal(w.u.heads.heads[i].id, want.u.heads.heads[i].id, 32);
    }
    pl_wire_free(&w);
    uint8_t pk[PL_PK_BYTES];
    int hello = 0;
    assert_int_equal(pl_node_peer_info(f.n, (uint32_t)v, pk, &hello), 1);
    assert_int_equal(hello, 1);
    cap_clear(&f.cap);

    /* a stranger: its HELLO from us names no case, and its HELLO gets no HEADS */
    pl_key *x = tu_key(7);
    int xp = pl_node_peer_open(f.n, pl_key_pk(x), f.now);
    assert_true(xp >= 0);
    put_hello(&f, (uint32_t)xp, pl_key_pk(x), NULL);
    fx_flush(&f);
    assert_true(nth(&f, xp, PL_W_HELLO, 0, &w));
    assert_int_equal(w.u.hello.ncases, 0);
    pl_wire_free(&w);
    assert_int_equal(nsent(&f, xp, PL_W_HEADS), 0);
    pl_key_destroy(&x);
    fx_end(&f);
}

/* SPEC §14.3: a frame before the peer's HELLO, and a second HELLO, are
 * answered with PL_E_HELLO and ignored; a HELLO naming another key than
 * the one the connection authenticated is answered so and the connection
 * closed, after that ERROR was handed to the transport (§14.8). */
static void test_s14_3_hello_rules(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_3_rules", &o, NOW0);

    uint32_t v = peer_up(&f, pk_of(W_V), 0);
    put_want(&f, v, W.case_id, pk_of(W_P), 1, 1); /* before HELLO */
    fx_flush(&f);
    assert_int_equal(nth_error(&f, (int)v, 0, NULL, NULL), PL_E_HELLO);
    assert_int_equal(nsent(&f, (int)v, PL_W_MSG), 0);
    cap_clear(&f.cap);

    put_hello(&f, v, pk_of(W_V), W.case_id);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)v, PL_W_ERROR), 0);
    cap_clear(&f.cap);
    put_hello(&f, v, pk_of(W_V), W.case_id); /* once per connection */
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)v, PL_W_ERROR), 1);
    assert_int_equal(nth_error(&f, (int)v, 0, NULL, NULL), PL_E_HELLO);
    assert_int_equal(nsent(&f, (int)v, PL_W_HEADS), 0);
    assert_int_equal(f.cap.ndrop, 0); /* served on */
    cap_clear(&f.cap);

    /* the suspect's connection says it is the victim */
    uint32_t s = peer_up(&f, pk_of(W_S), 0);
    put_hello(&f, s, pk_of(W_V), W.case_id);
    put_want(&f, s, W.case_id, pk_of(W_P), 1, 1); /* after it: no answer */
    assert_int_equal(f.cap.ndrop, 0);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)s, PL_W_ERROR), 1);
    assert_int_equal(nth_error(&f, (int)s, 0, NULL, NULL), PL_E_HELLO);
    assert_int_equal(nsent(&f, (int)s, PL_W_MSG), 0);
    assert_int_equal(nsent(&f, (int)s, PL_W_HEADS), 0);
    assert_int_equal(f.cap.ndrop, 1);
    assert_int_equal(f.cap.drop[0], s);
    assert_int_equal(f.cap.drop_after[0], f.cap.n); /* the ERROR went first */
    fx_end(&f);
}

/* Brings a waiting-for-the-operator invitation about (SPEC §14.3): the
 * prosecution's node offers the world's case by HEADS, the node asks each
 * author's first message, ignores an answer that is not the charter (while
 * an invitation is pending), and gets the charter. Returns P's peer
 * handle. */
static uint32_t invite(fx *f)
{
    uint32_t p = peer_up(f, pk_of(W_P), 1);
    pl_wire h = heads_of(SEEDED);
    put_wire(f, p, &h);
    fx_flush(f);
    /* WANT from seq 1, max 1, of each author listed, to the inviting peer */
    assert_int_equal(nsent(f, (int)p, PL_W_WANT), h.u.heads.n);
    for (size_t i = 0; i < h.u.heads.n; i++) {
        pl_wire w;
        assert_true(nth(f, (int)p, PL_W_WANT, i, &w));
        assert_memory_equal(w.u.want.case_id, W.case_id, PL_CASE_ID_BYTES);
        assert_int_equal(w.u.want.from_seq, 1);
        assert_int_equal(w.u.want.max, 1);
        int listed = 0;
        for (size_t k = 0; k < h.u.heads.n; k++)
            listed |= memcmp(h.u.heads.heads[k].author, w.u.want.author, 32) == 0;
        assert_true(listed);
        pl_wire_free(&w);
    }
    assert_int_equal(pl_node_hosts(f->n, W.case_id), 0);
    cap_clear(&f->cap);
    /* a fetched answer that is not the charter: ignored, nothing kept */
    put_msg(f, p, W.log[IX_S_JOIN]);
    fx_flush(f);
    assert_int_equal(f->cap.n, 0);
    put_msg(f, p, W.log[IX_CHARTER]);
    fx_flush(f);
    return p;
}

/* SPEC §14.3 (v2, R14): a charter naming the node's key, offered by a
 * peer whose key the operator did not configure, waits for the operator:
 * kept, not hosted; nothing of the case stored or relayed, its WANT
 * answered with PL_E_UNKNOWN_CASE. pl_node_accept hosts it: the charter is
 * stored, HEADS go to the inviter, and the rest is asked for (WANT). The
 * case is not synced while the inviter showed more of the node's own keys
 * than it holds (§14.11). */
static void test_s14_3_invitation_accept(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C};
    fx_start(&f, "s14_3_accept", &o, NOW0);
    uint32_t p = invite(&f);

    assert_int_equal(pl_node_ninvitations(f.n), 1);
    assert_int_equal(pl_node_hosts(f.n, W.case_id), 0);
    assert_int_equal(pl_node_ncases(f.n), 0);
    uint8_t id[PL_CASE_ID_BYTES];
    const pl_msg *ch = NULL;
    assert_int_equal(pl_node_invitation(f.n, 0, id, &ch), 1);
    assert_memory_equal(id, W.case_id, PL_CASE_ID_BYTES);
    assert_non_null(ch);
    assert_memory_equal(pl_msg_id(ch), pl_msg_id(W.log[IX_CHARTER]), PL_ID_BYTES);
    assert_int_equal(pl_node_invitation(f.n, 1, id, &ch), 0);
    assert_int_equal(nsent(&f, ANY, PL_W_ACK), 0); /* nothing stored */
    cap_clear(&f.cap);

    put_want(&f, p, W.case_id, pk_of(W_P), 1, 1);
    put_msg(&f, p, W.log[IX_S_JOIN]);
    fx_flush(&f);
    assert_int_equal(nth_error(&f, (int)p, 0, NULL, NULL), PL_E_UNKNOWN_CASE);
    assert_int_equal(nth_error(&f, (int)p, 1, NULL, NULL), PL_E_UNKNOWN_CASE);
    assert_int_equal(nsent(&f, ANY, PL_W_MSG), 0);
    assert_int_equal(nsent(&f, ANY, PL_W_ACK), 0);
    assert_int_equal(pl_node_ncases(f.n), 0);
    cap_clear(&f.cap);

    assert_int_equal(pl_node_accept(f.n, W.case_id, f.now), PL_OK);
    fx_flush(&f);
    assert_int_equal(pl_node_ninvitations(f.n), 0);
    assert_int_equal(pl_node_hosts(f.n, W.case_id), 1);
    assert_int_equal(stored(&f, W.case_id), 1);
    assert_int_equal(nsent(&f, (int)p, PL_W_HEADS), 1);
    /* the rest of what the HEADS showed: P's 2 and 3, among others */
    int asked_p = 0;
    pl_wire w;
    for (size_t k = 0; nth(&f, (int)p, PL_W_WANT, k, &w); k++) {
        if (memcmp(w.u.want.author, pk_of(W_P), 32) == 0)
            asked_p = w.u.want.from_seq == 2 && w.u.want.max == 2;
        pl_wire_free(&w);
    }
    assert_true(asked_p);
    /* the HEADS showed counsel at 2; the node holds none of its own */
    assert_int_equal(pl_node_case_synced(f.n, W.case_id), 0);
    assert_int_equal(pl_node_accept(f.n, W.case_id, f.now), PL_E_UNKNOWN_CASE);
    fx_end(&f);
}

/* SPEC §14.3: pl_node_decline forgets a waiting invitation (nothing
 * hosted); a later offer of the case starts over. A charter whose creator
 * is a configured key (allow) has the operator's standing consent: hosted
 * at once. */
static void test_s14_3_invitation_decline_and_consent(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C};
    fx_start(&f, "s14_3_decline", &o, NOW0);
    uint32_t p = invite(&f);
    assert_int_equal(pl_node_ninvitations(f.n), 1);
    assert_int_equal(pl_node_decline(f.n, W.case_id), PL_OK);
    assert_int_equal(pl_node_ninvitations(f.n), 0);
    assert_int_equal(pl_node_hosts(f.n, W.case_id), 0);
    assert_int_equal(pl_node_ncases(f.n), 0);
    assert_int_equal(pl_node_decline(f.n, W.case_id), PL_E_UNKNOWN_CASE);
    assert_int_equal(pl_node_accept(f.n, W.case_id, f.now), PL_E_UNKNOWN_CASE);
    cap_clear(&f.cap);
    pl_wire h = heads_of(SEEDED);
    put_wire(&f, p, &h);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)p, PL_W_WANT), h.u.heads.n);
    fx_end(&f);

    uint8_t allow[1][PL_PK_BYTES];
    memcpy(allow[0], pk_of(W_P), PL_PK_BYTES);
    opts oc = {.who = W_C, .allow = (const uint8_t(*)[PL_PK_BYTES])allow, .nallow = 1};
    fx_start(&f, "s14_3_consent", &oc, NOW0);
    (void)invite(&f);
    assert_int_equal(pl_node_ninvitations(f.n), 0);
    assert_int_equal(pl_node_hosts(f.n, W.case_id), 1);
    assert_int_equal(stored(&f, W.case_id), 1);
    fx_end(&f);
}

/* SPEC §14.3: at most 16 invitations pending (fetching their charter); a
 * HEADS for a further unknown case is answered with PL_E_UNKNOWN_CASE, and
 * further HEADS for a pending one are ignored. An invitation whose charter
 * never comes is dropped after PL_NODE_INVITE_MS (the reference node: 30 s
 * after the HEADS that started it), by pl_node_tick on the node's clock;
 * then the slot takes a new offer. */
static void test_s14_3_invitation_expires(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C};
    fx_start(&f, "s14_3_expire", &o, NOW0);
    uint32_t p = peer_up(&f, pk_of(W_P), 1);
    uint8_t some_id[PL_ID_BYTES];
    memset(some_id, 0x11, sizeof some_id);
    uint8_t cid[PL_NODE_MAX_INVITES + 1][PL_CASE_ID_BYTES];
    for (unsigned i = 0; i <= PL_NODE_MAX_INVITES; i++)
        tu_case(i, cid[i]);
    uint64_t t0 = f.now;
    for (unsigned i = 0; i < PL_NODE_MAX_INVITES; i++) {
        pl_wire h = heads_one(cid[i], pk_of(W_P), 1, some_id);
        put_wire(&f, p, &h);
    }
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)p, PL_W_WANT), PL_NODE_MAX_INVITES);
    assert_int_equal(nsent(&f, (int)p, PL_W_ERROR), 0);
    cap_clear(&f.cap);

    pl_wire h17 = heads_one(cid[PL_NODE_MAX_INVITES], pk_of(W_P), 1, some_id);
    pl_wire h1 = heads_one(cid[0], pk_of(W_P), 1, some_id);
    put_wire(&f, p, &h17); /* a 17th */
    put_wire(&f, p, &h1);  /* a pending one again: ignored */
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)p, PL_W_ERROR), 1);
    assert_int_equal(nth_error(&f, (int)p, 0, NULL, NULL), PL_E_UNKNOWN_CASE);
    assert_int_equal(nsent(&f, (int)p, PL_W_WANT), 0);
    cap_clear(&f.cap);

    /* the limit, not yet past it */
    f.now = t0 + PL_NODE_INVITE_MS;
    pl_node_tick(f.n, f.now);
    put_wire(&f, p, &h17);
    fx_flush(&f);
    assert_int_equal(nth_error(&f, (int)p, 0, NULL, NULL), PL_E_UNKNOWN_CASE);
    assert_int_equal(nsent(&f, (int)p, PL_W_WANT), 0);
    cap_clear(&f.cap);

    /* past it: every one expired; the 17th and the first are taken again */
    f.now = t0 + PL_NODE_INVITE_MS + 1;
    pl_node_tick(f.n, f.now);
    put_wire(&f, p, &h17);
    put_wire(&f, p, &h1);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)p, PL_W_ERROR), 0);
    assert_int_equal(nsent(&f, (int)p, PL_W_WANT), 2);
    assert_int_equal(pl_node_ninvitations(f.n), 0);
    assert_int_equal(pl_node_ncases(f.n), 0);
    fx_end(&f);
}

/* SPEC §14.3 (v2): at most 16 invitations wait for the operator; a 17th
 * makes the oldest go. The time limit of the fetching stage is not theirs:
 * a waiting invitation stays until the operator answers it (node.h:
 * "until pl_node_accept or pl_node_decline (or the node stops)"). */
static void test_s14_3_waiting_invitations_bounded(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C};
    fx_start(&f, "s14_3_waiting", &o, NOW0);
    uint32_t p = peer_up(&f, pk_of(W_P), 1);
    uint8_t cid[PL_NODE_MAX_INVITES + 1][PL_CASE_ID_BYTES];
    for (unsigned i = 0; i <= PL_NODE_MAX_INVITES; i++) {
        pl_msg *ch = charter_msg((uint8_t)(0xa0 + i), NOW0 - 1000, cid[i]);
        pl_wire h = heads_one(cid[i], pk_of(W_P), 1, pl_msg_id(ch));
        put_wire(&f, p, &h);
        put_msg(&f, p, ch);
        fx_flush(&f);
        pl_msg_destroy(&ch);
        size_t want = i < PL_NODE_MAX_INVITES ? i + 1 : PL_NODE_MAX_INVITES;
        assert_int_equal(pl_node_ninvitations(f.n), want);
    }
    uint8_t id[PL_CASE_ID_BYTES];
    const pl_msg *ch;
    assert_int_equal(pl_node_invitation(f.n, 0, id, &ch), 1);
    assert_memory_equal(id, cid[1], PL_CASE_ID_BYTES); /* the oldest went */
    assert_int_equal(pl_node_invitation(f.n, PL_NODE_MAX_INVITES - 1, id, &ch), 1);
    assert_memory_equal(id, cid[PL_NODE_MAX_INVITES], PL_CASE_ID_BYTES);
    assert_int_equal(pl_node_decline(f.n, cid[0]), PL_E_UNKNOWN_CASE);

    f.now += 10 * PL_NODE_INVITE_MS;
    pl_node_tick(f.n, f.now);
    assert_int_equal(pl_node_ninvitations(f.n), PL_NODE_MAX_INVITES);
    assert_int_equal(pl_node_ncases(f.n), 0);
    fx_end(&f);
}

/* SPEC §14.3: a peer the case does not name (and not configured) gets
 * PL_E_NOT_FOLLOWED for the case's HEADS, WANT and MSG; a WANT or MSG of a
 * case the node does not host is PL_E_UNKNOWN_CASE (with the message id
 * for a MSG); an ACK of such a case is ignored. */
static void test_s14_3_not_followed_unknown_case(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_3_followed", &o, NOW0);
    pl_key *x = tu_key(7);
    uint32_t xp = peer_up(&f, pl_key_pk(x), 1);
    pl_wire h = heads_of(SEEDED);
    put_wire(&f, xp, &h);
    put_want(&f, xp, W.case_id, pk_of(W_P), 1, 1);
    put_msg(&f, xp, W.log[IX_P4]);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)xp, PL_W_ERROR), 3);
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(nth_error(&f, (int)xp, k, NULL, NULL), PL_E_NOT_FOLLOWED);
    uint8_t eid[PL_ID_BYTES];
    int has_id = 0;
    assert_int_equal(nth_error(&f, (int)xp, 2, &has_id, eid), PL_E_NOT_FOLLOWED);
    assert_int_equal(has_id, 1);
    assert_memory_equal(eid, pl_msg_id(W.log[IX_P4]), PL_ID_BYTES);
    assert_int_equal(nsent(&f, (int)xp, PL_W_MSG), 0);
    assert_int_equal(nsent(&f, (int)xp, PL_W_HEADS), 0);
    assert_int_equal(stored(&f, W.case_id), SEEDED); /* nothing kept */
    cap_clear(&f.cap);

    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint8_t other[PL_CASE_ID_BYTES];
    tu_case(9, other);
    put_want(&f, v, other, pk_of(W_P), 1, 1);
    pl_msg *m = tu_msg(W.k[W_V], other, NULL, NULL, 0, NOW0, PL_T_OBSERVATION, "elsewhere");
    put_msg(&f, v, m);
    pl_wire a = {.kind = PL_W_ACK};
    memcpy(a.u.ack.case_id, other, PL_CASE_ID_BYTES);
    memcpy(a.u.ack.id, pl_msg_id(m), PL_ID_BYTES);
    put_wire(&f, v, &a);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)v, PL_W_ERROR), 2); /* none for the ACK */
    assert_int_equal(nth_error(&f, (int)v, 0, NULL, NULL), PL_E_UNKNOWN_CASE);
    has_id = 0;
    assert_int_equal(nth_error(&f, (int)v, 1, &has_id, eid), PL_E_UNKNOWN_CASE);
    assert_int_equal(has_id, 1);
    assert_memory_equal(eid, pl_msg_id(m), PL_ID_BYTES);
    assert_int_equal(pl_node_hosts(f.n, other), 0);
    pl_msg_destroy(&m);
    pl_key_destroy(&x);
    fx_end(&f);
}

/* ---- SPEC §14.4, §14.5 ------------------------------------------------------------ */

/* SPEC §14.4, §14.5: a peer's HEADS claiming more of an author than the
 * node holds makes it send that peer WANT from its own next seq for the
 * missing count; the claim is kept with who made it and since when
 * (pl_node_claim), raised by a higher claim and not by a lower. Heads of an
 * author the case does not name are ignored: no WANT, no claim. */
static void test_s14_4_heads_claim_want(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_4", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);
    pl_key *x = tu_key(7);
    uint8_t some_id[PL_ID_BYTES];
    memset(some_id, 0x22, sizeof some_id);

    /* P at 7 (the node holds 3), and a stranger at 3, ascending by author */
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, W.case_id, PL_CASE_ID_BYTES);
    int x_first = memcmp(pl_key_pk(x), pk_of(W_P), 32) < 0;
    pl_ref *rp = &h.u.heads.heads[x_first], *rx = &h.u.heads.heads[!x_first];
    h.u.heads.n = 2;
    memcpy(rp->author, pk_of(W_P), 32), rp->seq = 7, memcpy(rp->id, some_id, 32);
    memcpy(rx->author, pl_key_pk(x), 32), rx->seq = 3, memcpy(rx->id, some_id, 32);
    uint64_t t_v = f.now;
    put_wire(&f, v, &h);
    fx_flush(&f);
    assert_int_equal(nsent(&f, ANY, PL_W_WANT), 1);
    pl_wire w;
    assert_true(nth(&f, (int)v, PL_W_WANT, 0, &w));
    assert_memory_equal(w.u.want.case_id, W.case_id, PL_CASE_ID_BYTES);
    assert_memory_equal(w.u.want.author, pk_of(W_P), PL_PK_BYTES);
    assert_int_equal(w.u.want.from_seq, 4);
    assert_int_equal(w.u.want.max, 4);
    pl_wire_free(&w);

    uint64_t seq = 0, since = 0;
    uint8_t by[PL_PK_BYTES];
    assert_int_equal(pl_node_claim(f.n, W.case_id, pk_of(W_P), &seq, by, &since), 1);
    assert_int_equal(seq, 7);
    assert_memory_equal(by, pk_of(W_V), PL_PK_BYTES);
    assert_int_equal(since, t_v);
    assert_int_equal(pl_node_claim(f.n, W.case_id, pl_key_pk(x), &seq, by, &since), 0);
    cap_clear(&f.cap);

    /* a higher claim from the suspect's node replaces it; a lower one not */
    f.now += 10;
    pl_wire h8 = heads_one(W.case_id, pk_of(W_P), 8, some_id);
    put_wire(&f, s, &h8);
    f.now += 10;
    pl_wire h5 = heads_one(W.case_id, pk_of(W_P), 5, some_id);
    put_wire(&f, v, &h5);
    fx_flush(&f);
    assert_int_equal(pl_node_claim(f.n, W.case_id, pk_of(W_P), &seq, by, &since), 1);
    assert_int_equal(seq, 8);
    assert_memory_equal(by, pk_of(W_S), PL_PK_BYTES);
    assert_int_equal(since, f.now - 10);
    assert_true(nth(&f, (int)s, PL_W_WANT, 0, &w));
    assert_int_equal(w.u.want.from_seq, 4);
    assert_int_equal(w.u.want.max, 5);
    pl_wire_free(&w);
    pl_key_destroy(&x);
    fx_end(&f);
}

/* SPEC §14.5: a WANT is answered with the author's messages the node
 * holds from the asked seq on, each in its own MSG frame, in seq order, at
 * most max; nothing for what it does not hold. */
static void test_s14_5_want_answered(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_5", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);

    put_want(&f, v, W.case_id, pk_of(W_P), 2, 1024); /* P2 and P3 */
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)v, PL_W_MSG), 2);
    pl_wire w;
    size_t len;
    const uint8_t *b;
    static const int order[2] = {6, IX_P_NOTICE}; /* P2 (the session's acceptance), P3 */
    for (size_t k = 0; k < 2; k++) {
        assert_true(nth(&f, (int)v, PL_W_MSG, k, &w));
        b = pl_msg_bytes(W.log[order[k]], &len);
        assert_int_equal(w.u.msg.len, len);
        assert_memory_equal(w.u.msg.bytes, b, len);
        pl_wire_free(&w);
    }
    cap_clear(&f.cap);

    put_want(&f, v, W.case_id, pk_of(W_P), 1, 2); /* at most max */
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)v, PL_W_MSG), 2);
    assert_true(sent_msg(&f, (int)v, W.log[IX_CHARTER]));
    assert_true(sent_msg(&f, (int)v, W.log[6]));
    cap_clear(&f.cap);

    put_want(&f, v, W.case_id, pk_of(W_P), 4, 10); /* not held */
    fx_flush(&f);
    assert_int_equal(f.cap.n, 0);
    fx_end(&f);
}

/* ---- SPEC §14.6 ------------------------------------------------------------------- */

/* SPEC §14.6, §14.10: a valid MSG is stored, acknowledged to its sender
 * and relayed to every other peer following the case, not back to the
 * sender; a duplicate is acknowledged again (§14.7) and not relayed. */
static void test_s14_6_msg_stored_acked_relayed(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_6_msg", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);

    put_msg(&f, v, W.log[IX_P4]);
    fx_flush(&f);
    assert_int_equal(stored(&f, W.case_id), SEEDED + 1);
    assert_int_equal(nsent(&f, (int)v, PL_W_ACK), 1);
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_P4])));
    assert_int_equal(nsent(&f, (int)v, PL_W_MSG), 0);
    assert_int_equal(nsent(&f, (int)v, PL_W_ERROR), 0);
    assert_int_equal(nsent(&f, (int)s, PL_W_MSG), 1);
    assert_true(sent_msg(&f, (int)s, W.log[IX_P4]));
    assert_int_equal(nsent(&f, (int)s, PL_W_ACK), 0);
    pl_case *pc = pl_node_case(f.n, W.case_id);
    assert_non_null(pc);
    assert_true(pl_case_find(pc, pl_msg_id(W.log[IX_P4])) >= 0);
    cap_clear(&f.cap);

    put_msg(&f, v, W.log[IX_P4]);
    fx_flush(&f);
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_P4])));
    assert_int_equal(nsent(&f, ANY, PL_W_MSG), 0);
    assert_int_equal(stored(&f, W.case_id), SEEDED + 1);
    fx_end(&f);
}

/* SPEC §14.6, §6.7, §14.7: a message whose predecessor is missing waits:
 * not acknowledged, not stored, not relayed. When the predecessor comes,
 * both are stored, both acknowledged to the peer that sent the
 * predecessor, and both relayed to the other peer, in chain order. */
static void test_s14_6_msg_waits_for_predecessor(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_6_pending", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);

    put_msg(&f, v, W.log[IX_P5]);
    fx_flush(&f);
    assert_int_equal(f.cap.n, 0);
    assert_int_equal(stored(&f, W.case_id), SEEDED);

    put_msg(&f, v, W.log[IX_P4]);
    fx_flush(&f);
    assert_int_equal(stored(&f, W.case_id), SEEDED + 2);
    assert_int_equal(nsent(&f, (int)v, PL_W_ACK), 2);
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_P4])));
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_P5])));
    assert_int_equal(nsent(&f, (int)v, PL_W_MSG), 0);
    assert_int_equal(nsent(&f, (int)s, PL_W_MSG), 2);
    pl_wire w;
    size_t len;
    assert_true(nth(&f, (int)s, PL_W_MSG, 0, &w));
    const uint8_t *b = pl_msg_bytes(W.log[IX_P4], &len);
    assert_int_equal(w.u.msg.len, len);
    assert_memory_equal(w.u.msg.bytes, b, len);
    pl_wire_free(&w);
    assert_true(nth(&f, (int)s, PL_W_MSG, 1, &w));
    b = pl_msg_bytes(W.log[IX_P5], &len);
    assert_int_equal(w.u.msg.len, len);
    assert_memory_equal(w.u.msg.bytes, b, len);
    pl_wire_free(&w);
    fx_end(&f);
}

/* SPEC §14.6, §4.8: a message that fails §4.8 (here its signature) is
 * answered with ERROR naming the code (the reference node gives no id for
 * a §4.8 failure); one by an author the case does not name with
 * PL_E_NOT_PARTICIPANT and the id. Neither is stored nor relayed, and the
 * node serves the next message. */
static void test_s14_6_msg_refused(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_6_refused", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);

    size_t len;
    const uint8_t *b = pl_msg_bytes(W.log[IX_P4], &len);
    uint8_t *bad = malloc(len);
    assert_non_null(bad);
    memcpy(bad, b, len);
    bad[len - 1] ^= 0x01; /* the signature's last byte */
    pl_msg *probe = NULL; /* the input is what we mean it to be */
    assert_int_equal(pl_msg_decode(bad, len, NULL, &probe), PL_E_SIG);
    pl_wire mw = {.kind = PL_W_MSG};
    mw.u.msg.bytes = bad;
    mw.u.msg.len = len;
    put_wire(&f, v, &mw);
    free(bad);

    pl_key *x = tu_key(7);
    pl_msg *stranger = tu_msg(x, W.case_id, NULL, NULL, 0, NOW0, PL_T_OBSERVATION, "hello");
    put_msg(&f, v, stranger);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)v, PL_W_ERROR), 2);
    int has_id = 1;
    uint8_t eid[PL_ID_BYTES];
    assert_int_equal(nth_error(&f, (int)v, 0, &has_id, NULL), PL_E_SIG);
    assert_int_equal(has_id, 0);
    assert_int_equal(nth_error(&f, (int)v, 1, &has_id, eid), PL_E_NOT_PARTICIPANT);
    assert_int_equal(has_id, 1);
    assert_memory_equal(eid, pl_msg_id(stranger), PL_ID_BYTES);
    assert_int_equal(nsent(&f, ANY, PL_W_ACK), 0);
    assert_int_equal(nsent(&f, ANY, PL_W_MSG), 0);
    assert_int_equal(stored(&f, W.case_id), SEEDED);
    assert_int_equal(stats(&f).refused, 2);
    cap_clear(&f.cap);

    put_msg(&f, v, W.log[IX_P4]);
    fx_flush(&f);
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_P4])));
    assert_true(sent_msg(&f, (int)s, W.log[IX_P4]));
    pl_msg_destroy(&stranger);
    pl_key_destroy(&x);
    fx_end(&f);
}

/* SPEC §14.6, §14.8, §14.10: a message that passes §4.8 and §6 but breaks
 * a rule of §13 is stored and relayed as evidence; its sender gets ACK and
 * an ERROR with the rule's code and the id, a notice that does not count
 * as a refusal. */
static void test_s14_6_flagged_is_kept_and_noticed(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = IX_FLAG};
    fx_start(&f, "s14_6_flagged", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);
    assert_int_not_equal(W.verdict[IX_FLAG], PL_OK);

    put_msg(&f, v, W.log[IX_FLAG]);
    fx_flush(&f);
    assert_int_equal(stored(&f, W.case_id), IX_FLAG + 1);
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_FLAG])));
    int has_id = 0;
    uint8_t eid[PL_ID_BYTES];
    assert_int_equal(nth_error(&f, (int)v, 0, &has_id, eid), W.verdict[IX_FLAG]);
    assert_int_equal(has_id, 1);
    assert_memory_equal(eid, pl_msg_id(W.log[IX_FLAG]), PL_ID_BYTES);
    assert_true(sent_msg(&f, (int)s, W.log[IX_FLAG]));
    assert_int_equal(stats(&f).refused, 0);
    fx_end(&f);
}

/* ---- SPEC §14.7 ------------------------------------------------------------------- */

static int64_t committed_messages(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t k = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM messages", -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        k = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return k;
}

/* SPEC §14.7: nothing produced while handling a batch (ACK, relayed MSG)
 * leaves the node before the batch is committed: until pl_node_flush, no
 * frame is emitted and another reader of the store does not see the
 * message; after it, the message is there and so is the ACK. */
static void test_s14_7_nothing_before_commit(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_7", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);
    assert_int_equal(committed_messages(f.path), SEEDED);

    put_msg(&f, v, W.log[IX_P4]);
    put_want(&f, s, W.case_id, pk_of(W_P), 1, 1);
    assert_int_equal(f.cap.n, 0);
    assert_int_equal(committed_messages(f.path), SEEDED); /* not yet durable */
    fx_flush(&f);
    assert_int_equal(committed_messages(f.path), SEEDED + 1);
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_P4])));
    assert_true(sent_msg(&f, (int)s, W.log[IX_P4]));
    assert_true(sent_msg(&f, (int)s, W.log[IX_CHARTER]));
    fx_end(&f);
}

/* ---- SPEC §14.8 ------------------------------------------------------------------- */

/* SPEC §14.8: an ERROR frame is never answered, before HELLO or after,
 * and changes nothing (no refusal counted, no drop). The one exception,
 * PL_E_HELLO, may be answered by HELLO again, at most once a second on a
 * connection (§14.3). */
static void test_s14_8_error_not_answered(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_8", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 0); /* no HELLO from it */

    put_error(&f, v, PL_E_SIG);
    put_error(&f, v, PL_E_WIRE);
    put_error(&f, s, PL_E_WIRE);
    fx_flush(&f);
    assert_int_equal(f.cap.n, 0);
    assert_int_equal(f.cap.ndrop, 0);
    assert_int_equal(stats(&f).refused, 0);

    put_error(&f, v, PL_E_HELLO);
    fx_flush(&f);
    assert_int_equal(f.cap.n, 1);
    assert_int_equal(nsent(&f, (int)v, PL_W_HELLO), 1);
    cap_clear(&f.cap);
    f.now += 999;
    put_error(&f, v, PL_E_HELLO);
    fx_flush(&f);
    assert_int_equal(f.cap.n, 0);
    f.now += 1;
    put_error(&f, v, PL_E_HELLO);
    fx_flush(&f);
    assert_int_equal(f.cap.n, 1);
    assert_int_equal(nsent(&f, (int)v, PL_W_HELLO), 1);
    assert_int_equal(stats(&f).refused, 0);
    fx_end(&f);
}

/* ---- SPEC §14.9 ------------------------------------------------------------------- */

/* SPEC §14.9, §7: a second message by one author at a seq the node holds
 * is refused with PL_E_EQUIVOCATION and its id; the node builds the proof
 * from the stored message and the new one, and sends it in a PROOF frame
 * to every other peer following the case; stats.proofs counts it. The same
 * fork offered again is refused again but not proven twice. */
static void test_s14_9_equivocation_builds_proof(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = IX_FLAG};
    fx_start(&f, "s14_9_fork", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);

    put_msg(&f, s, fork_v2);
    fx_flush(&f);
    int has_id = 0;
    uint8_t eid[PL_ID_BYTES];
    assert_int_equal(nth_error(&f, (int)s, 0, &has_id, eid), PL_E_EQUIVOCATION);
    assert_int_equal(has_id, 1);
    assert_memory_equal(eid, pl_msg_id(fork_v2), PL_ID_BYTES);
    assert_int_equal(nsent(&f, (int)s, PL_W_PROOF), 0);
    assert_int_equal(nsent(&f, (int)v, PL_W_PROOF), 1);
    pl_wire w;
    assert_true(nth(&f, (int)v, PL_W_PROOF, 0, &w));
    pl_equiv_info info;
    assert_int_equal(pl_equiv_proof_verify(w.u.proof.bytes, w.u.proof.len, &info), PL_OK);
    pl_wire_free(&w);
    assert_memory_equal(info.case_id, W.case_id, PL_CASE_ID_BYTES);
    assert_memory_equal(info.author, pk_of(W_V), PL_PK_BYTES);
    assert_int_equal(info.seq, 2);
    const uint8_t *a = pl_msg_id(W.log[IX_V2]), *b = pl_msg_id(fork_v2);
    int a_first = memcmp(a, b, PL_ID_BYTES) < 0;
    assert_memory_equal(info.id_a, a_first ? a : b, PL_ID_BYTES);
    assert_memory_equal(info.id_b, a_first ? b : a, PL_ID_BYTES);
    assert_int_equal(stats(&f).proofs, 1);
    assert_int_equal(stored(&f, W.case_id), IX_FLAG); /* the fork is not kept */
    cap_clear(&f.cap);

    put_msg(&f, s, fork_v2);
    fx_flush(&f);
    assert_int_equal(nth_error(&f, (int)s, 0, NULL, NULL), PL_E_EQUIVOCATION);
    assert_int_equal(nsent(&f, ANY, PL_W_PROOF), 0);
    assert_int_equal(stats(&f).proofs, 1);
    fx_end(&f);
}

/* SPEC §14.9: a received proof is verified alone (§7.3), applied, and sent
 * to every other peer following the case, once: a proof of a fork already
 * proven is not relayed again. An invalid one (a bad signature; an array
 * that is no proof, which §14.2 hands to §7.3) is answered with PL_E_PROOF,
 * whatever the underlying failure. */
static void test_s14_9_proof_frame(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = IX_FLAG};
    fx_start(&f, "s14_9_proof", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);
    pl_wire pw = {.kind = PL_W_PROOF};
    pw.u.proof.bytes = proof_v2;
    pw.u.proof.len = proof_v2_len;

    put_wire(&f, s, &pw);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)s, PL_W_ERROR), 0);
    assert_int_equal(nsent(&f, (int)s, PL_W_PROOF), 0);
    assert_int_equal(nsent(&f, (int)v, PL_W_PROOF), 1);
    pl_wire w;
    assert_true(nth(&f, (int)v, PL_W_PROOF, 0, &w));
    assert_int_equal(w.u.proof.len, proof_v2_len);
    assert_memory_equal(w.u.proof.bytes, proof_v2, proof_v2_len);
    pl_wire_free(&w);
    assert_int_equal(stats(&f).proofs, 1);
    cap_clear(&f.cap);

    put_wire(&f, v, &pw); /* the same fork again, from the other side */
    fx_flush(&f);
    assert_int_equal(nsent(&f, ANY, PL_W_PROOF), 0);
    assert_int_equal(stats(&f).proofs, 1);
    cap_clear(&f.cap);

    uint8_t bad[PL_EQUIV_PROOF_MAX_BYTES];
    memcpy(bad, proof_v2, proof_v2_len);
    bad[proof_v2_len - 1] ^= 0x01; /* the second signature's last byte */
    pl_equiv_info info;
    assert_int_equal(pl_equiv_proof_verify(bad, proof_v2_len, &info), PL_E_PROOF);
    pw.u.proof.bytes = bad;
    put_wire(&f, s, &pw);
    static const uint8_t not_a_proof[] = {0x93, 0x01, 0x07, 0x93, 0x01, 0x02, 0x03};
    put_raw(&f, s, not_a_proof, sizeof not_a_proof); /* [1, 7, [1, 2, 3]]: §7.3, not §14.2 */
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)s, PL_W_ERROR), 2);
    assert_int_equal(nth_error(&f, (int)s, 0, NULL, NULL), PL_E_PROOF);
    assert_int_equal(nth_error(&f, (int)s, 1, NULL, NULL), PL_E_PROOF);
    assert_int_equal(nsent(&f, ANY, PL_W_PROOF), 0);
    fx_end(&f);
}

/* ---- SPEC §14.10 ------------------------------------------------------------------ */

/* SPEC §14.10: frames read from one peer pass a token bucket of `rate` a
 * second holding one second's worth, checked before decoding; a frame
 * beyond it is dropped unread and the peer told PL_E_RATE, at most once a
 * second; a second later the bucket is full again. */
static void test_s14_10_rate_bucket(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED, .rate = 5};
    fx_start(&f, "s14_10_rate", &o, NOW0);
    int v = pl_node_peer_open(f.n, pk_of(W_V), f.now);
    assert_true(v >= 0);
    fx_flush(&f);
    cap_clear(&f.cap);

    for (int i = 0; i < 5; i++)
        assert_int_equal(pl_node_rate(f.n, (uint32_t)v, f.now), 1);
    assert_int_equal(pl_node_rate(f.n, (uint32_t)v, f.now), 0); /* the 6th in the same ms */
    assert_int_equal(pl_node_rate(f.n, (uint32_t)v, f.now), 0);
    fx_flush(&f);
    assert_int_equal(f.cap.n, 1); /* told once */
    assert_int_equal(nth_error(&f, v, 0, NULL, NULL), PL_E_RATE);
    cap_clear(&f.cap);

    /* a second on: five frames again (HELLO and four more), the sixth, a
     * WANT, dropped unread */
    f.now += 1000;
    put_hello(&f, (uint32_t)v, pk_of(W_V), W.case_id);
    for (int i = 0; i < 4; i++)
        assert_int_equal(pl_node_rate(f.n, (uint32_t)v, f.now), 1);
    put_want(&f, (uint32_t)v, W.case_id, pk_of(W_P), 1, 1);
    fx_flush(&f);
    assert_int_equal(nsent(&f, v, PL_W_MSG), 0);
    assert_int_equal(nsent(&f, v, PL_W_ERROR), 1);
    assert_int_equal(nth_error(&f, v, 0, NULL, NULL), PL_E_RATE);
    assert_int_equal(nsent(&f, v, PL_W_HEADS), 1); /* the HELLO was read */
    cap_clear(&f.cap);

    f.now += 1000;
    put_want(&f, (uint32_t)v, W.case_id, pk_of(W_P), 1, 1);
    fx_flush(&f);
    assert_int_equal(nsent(&f, v, PL_W_ERROR), 0);
    assert_true(sent_msg(&f, v, W.log[IX_CHARTER]));
    assert_int_equal(f.cap.ndrop, 0); /* dropped frames are not refusals */
    fx_end(&f);
}

/* SPEC §14.10, §14.8: after PL_NODE_MAX_REFUSED refused frames on one
 * connection the node closes it (the drop callback), only after the ERROR
 * frames that explain it were handed to the transport, and answers nothing
 * more on it meanwhile. One fewer is not enough. */
static void test_s14_10_refused_peer_dropped(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_10_refused", &o, NOW0);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);
    static const uint8_t junk[] = {0x80};

    for (int i = 0; i < PL_NODE_MAX_REFUSED - 1; i++)
        put_raw(&f, v, junk, sizeof junk);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)v, PL_W_ERROR), PL_NODE_MAX_REFUSED - 1);
    assert_int_equal(f.cap.ndrop, 0);
    cap_clear(&f.cap);

    put_raw(&f, v, junk, sizeof junk);            /* the last straw */
    put_raw(&f, v, junk, sizeof junk);            /* not answered: the link is closing */
    put_want(&f, s, W.case_id, pk_of(W_P), 1, 1); /* other peers are served */
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)v, PL_W_ERROR), 1);
    assert_true(sent_msg(&f, (int)s, W.log[IX_CHARTER]));
    assert_int_equal(f.cap.ndrop, 1);
    assert_int_equal(f.cap.drop[0], v);
    assert_int_equal(f.cap.drop_after[0], f.cap.n); /* after the ERROR */
    fx_end(&f);
}

/* ---- SPEC §14.11 ------------------------------------------------------------------ */

struct grab {
    uint8_t b[PL_WIRE_MAX_FRAME];
    size_t len;
};

static int grab_one(void *ctx, const uint8_t *b, size_t len)
{
    struct grab *g = ctx;
    assert_true(len <= sizeof g->b);
    memcpy(g->b, b, len);
    g->len = len;
    return 1;
}

static void vacuum_into(const char *from, const char *to)
{
    sqlite3 *db = NULL;
    char sql[600];
    snprintf(sql, sizeof sql, "VACUUM INTO '%s'", to);
    assert_int_equal(sqlite3_open(from, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* The store at f->path replaced by the copy at from (the copy is kept). */
static void restore_copy(fx *f, const char *from)
{
    char p[300];
    static const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    vacuum_into(from, f->path);
}

/* SPEC §14.11: a node reopened on a copy of an older store does not know
 * its latest own message. It refuses to sign in a case it hosted at start
 * with PL_E_NOT_SYNCED until (a) a peer's HEADS came and (b) it holds what
 * any peer claimed of its keys: a HEADS showing its lost seq 2 is not
 * enough; the message itself, fetched by WANT, is; nor is the message
 * without a HEADS. force overrides. */
static void test_s14_11_restore_refuses_until_synced(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_P};
    fx_start(&f, "s14_11", &o, NOW0);
    uint8_t body[4096], cid[PL_CASE_ID_BYTES], id1[PL_ID_BYTES], id2[PL_ID_BYTES], id[PL_ID_BYTES];
    size_t blen = charter_body(0x55, body, sizeof body, cid);
    assert_int_equal(pl_node_post(f.n, cid, PL_T_CHARTER, body, blen, NULL, 0, f.now, id1), PL_OK);
    assert_int_equal(pl_node_case_synced(f.n, cid), 1); /* created here */
    char backup[300];
    snprintf(backup, sizeof backup, "%s/s14_11-backup.db", dir);
    vacuum_into(f.path, backup);

    pl_body d = wb_disclose();
    uint8_t dbody[1024];
    size_t dlen;
    assert_int_equal(pl_body_encode(&d, dbody, sizeof dbody, &dlen), PL_OK);
    f.now += 1000;
    assert_int_equal(pl_node_post(f.n, cid, PL_T_DISCLOSE, dbody, dlen, NULL, 0, f.now, id2),
                     PL_OK);
    struct grab *m2 = malloc(sizeof *m2);
    assert_non_null(m2);
    assert_int_equal(pl_store_range(pl_node_store(f.n), cid, pk_of(W_P), 2, 1, grab_one, m2), 1);
    pl_node_close(&f.n);

    /* the old copy comes back */
    restore_copy(&f, backup);
    f.now += 1000;
    node_open(&f);
    assert_int_equal(stored(&f, cid), 1);
    assert_int_equal(pl_node_case_synced(f.n, cid), 0);
    assert_int_equal(pl_node_post(f.n, cid, PL_T_DISCLOSE, dbody, dlen, NULL, 0, f.now, id),
                     PL_E_NOT_SYNCED);
    uint32_t s = (uint32_t)pl_node_peer_open(f.n, pk_of(W_S), f.now);
    put_hello(&f, s, pk_of(W_S), cid);
    pl_wire h = heads_one(cid, pk_of(W_P), 2, id2);
    put_wire(&f, s, &h);
    fx_flush(&f);
    pl_wire w;
    assert_true(nth(&f, (int)s, PL_W_WANT, 0, &w));
    assert_memory_equal(w.u.want.author, pk_of(W_P), PL_PK_BYTES);
    assert_int_equal(w.u.want.from_seq, 2);
    assert_int_equal(w.u.want.max, 1);
    pl_wire_free(&w);
    assert_int_equal(pl_node_case_synced(f.n, cid), 0);
    assert_int_equal(pl_node_post(f.n, cid, PL_T_DISCLOSE, dbody, dlen, NULL, 0, f.now, id),
                     PL_E_NOT_SYNCED);
    cap_clear(&f.cap);
    pl_wire mw = {.kind = PL_W_MSG};
    mw.u.msg.bytes = m2->b;
    mw.u.msg.len = m2->len;
    put_wire(&f, s, &mw);
    fx_flush(&f);
    assert_true(sent_ack_in(&f, (int)s, cid, id2));
    assert_int_equal(pl_node_case_synced(f.n, cid), 1);
    f.now += 1000;
    assert_int_equal(pl_node_post(f.n, cid, PL_T_DISCLOSE, dbody, dlen, NULL, 0, f.now, id), PL_OK);
    struct grab *m3 = malloc(sizeof *m3);
    assert_non_null(m3);
    assert_int_equal(pl_store_range(pl_node_store(f.n), cid, pk_of(W_P), 3, 1, grab_one, m3), 1);
    pl_msg *signed3 = NULL;
    assert_int_equal(pl_msg_decode(m3->b, m3->len, cid, &signed3), PL_OK);
    assert_int_equal(pl_msg_header(signed3)->seq, 3); /* after the lost one, not over it */
    assert_memory_equal(pl_msg_id(signed3), id, PL_ID_BYTES);
    pl_msg_destroy(&signed3);
    pl_node_close(&f.n);

    /* again from the copy: the operator's override signs at once (and here
     * it forks: that is why it is the operator's call) */
    restore_copy(&f, backup);
    node_open(&f);
    assert_int_equal(pl_node_post(f.n, cid, PL_T_DISCLOSE, dbody, dlen, NULL, 0, f.now, id),
                     PL_E_NOT_SYNCED);
    assert_int_equal(pl_node_post(f.n, cid, PL_T_DISCLOSE, dbody, dlen, NULL, 1, f.now, id), PL_OK);
    pl_node_close(&f.n);

    /* and from the copy once more: the lost message comes back unasked,
     * but no peer's HEADS came yet, so (a) is not met; then a HEADS that
     * claims less than the node now holds makes the case synced */
    restore_copy(&f, backup);
    node_open(&f);
    cap_clear(&f.cap);
    s = (uint32_t)pl_node_peer_open(f.n, pk_of(W_S), f.now);
    put_hello(&f, s, pk_of(W_S), cid);
    put_wire(&f, s, &mw);
    fx_flush(&f);
    assert_true(sent_ack_in(&f, (int)s, cid, id2));
    assert_int_equal(pl_node_case_synced(f.n, cid), 0); /* a HELLO and a MSG are no HEADS */
    assert_int_equal(pl_node_post(f.n, cid, PL_T_DISCLOSE, dbody, dlen, NULL, 0, f.now, id),
                     PL_E_NOT_SYNCED);
    h = heads_one(cid, pk_of(W_P), 1, id1);
    put_wire(&f, s, &h);
    fx_flush(&f);
    assert_int_equal(pl_node_case_synced(f.n, cid), 1);
    assert_int_equal(pl_node_post(f.n, cid, PL_T_DISCLOSE, dbody, dlen, NULL, 0, f.now, id), PL_OK);
    free(m2);
    free(m3);
    unlink(backup);
    fx_end(&f);
}

/* ---- SPEC §6.5 -------------------------------------------------------------------- */

/* SPEC §6.5: a timestamp further ahead of the node's clock than its
 * tolerance (PL_NODE_SKEW_MS) is flagged, and not a reason to refuse: the
 * message is stored and acknowledged, counted in stats.future, and the
 * node warns (the reference node: at most a line a second). One exactly at
 * the tolerance is not counted. */
static void test_s6_5_future_timestamps_counted(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    uint64_t ts4 = pl_msg_header(W.log[IX_P4])->timestamp_ms;
    uint64_t tsv = pl_msg_header(W.log[IX_V2])->timestamp_ms;
    fx_start(&f, "s6_5", &o, ts4 - PL_NODE_SKEW_MS - 1);
    uint32_t v = peer_up(&f, pk_of(W_V), 1);

    put_msg(&f, v, W.log[IX_P4]);
    fx_flush(&f);
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_P4])));
    assert_int_equal(stats(&f).future, 1);
    assert_int_equal(f.cap.nskew, 1);
    f.now += 999; /* P5 is further ahead still; warned of within the second: no line */
    put_msg(&f, v, W.log[IX_P5]);
    fx_flush(&f);
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_P5])));
    assert_int_equal(stats(&f).future, 2);
    assert_int_equal(f.cap.nskew, 1);

    f.now = tsv - PL_NODE_SKEW_MS; /* exactly the tolerance ahead */
    put_msg(&f, v, W.log[IX_V2]);
    fx_flush(&f);
    assert_true(sent_ack(&f, (int)v, pl_msg_id(W.log[IX_V2])));
    assert_int_equal(stats(&f).future, 2);
    assert_int_equal(f.cap.nskew, 1);
    assert_int_equal(stored(&f, W.case_id), SEEDED + 3);
    fx_end(&f);
}

/* ---- periodic duties -------------------------------------------------------------- */

/* SPEC §13.13, §14.12 (attest-interval), §14.11: an observer node attests
 * the heads of a case it observes when something new was accepted, at most
 * once per attest_interval_ms, and not while the case is not synced (the
 * attempt then waits a whole interval). The attestation is its own
 * message: stored and sent to the peers following the case. */
static void test_s13_13_attestation_interval(void **state)
{
    (void)state;
    fx f;
    const uint64_t iv = 10000;
    opts o = {.who = W_O, .seed = SEEDED, .observer = 1, .attest_interval_ms = iv};
    fx_start(&f, "s13_13", &o, NOW0);
    uint32_t p = peer_up(&f, pk_of(W_P), 1);
    /* the HELLO exchange alone leaves it unsynced (no HEADS from a peer) */
    put_msg(&f, p, W.log[IX_P4]);
    fx_flush(&f);
    cap_clear(&f.cap);
    uint64_t a = f.now;
    pl_node_tick(f.n, a);
    assert_int_equal(stats(&f).attestations, 0); /* not synced: it waits */
    pl_wire h = heads_of(IX_P4 + 1);
    put_wire(&f, p, &h);
    fx_flush(&f);
    assert_int_equal(pl_node_case_synced(f.n, W.case_id), 1);
    cap_clear(&f.cap);

    f.now = a + iv - 1;
    pl_node_tick(f.n, f.now);
    assert_int_equal(stats(&f).attestations, 0);
    assert_int_equal(nsent(&f, ANY, PL_W_MSG), 0);
    f.now = a + iv;
    pl_node_tick(f.n, f.now);
    assert_int_equal(stats(&f).attestations, 1);
    pl_wire w;
    assert_true(nth(&f, (int)p, PL_W_MSG, 0, &w));
    pl_msg *att = NULL;
    assert_int_equal(pl_msg_decode(w.u.msg.bytes, w.u.msg.len, W.case_id, &att), PL_OK);
    pl_wire_free(&w);
    assert_int_equal(pl_msg_header(att)->type, PL_T_ATTESTATION);
    assert_memory_equal(pl_msg_header(att)->author, pk_of(W_O), PL_PK_BYTES);
    assert_int_equal(pl_msg_header(att)->seq, 2);
    pl_msg_destroy(&att);
    assert_int_equal(stored(&f, W.case_id), IX_P4 + 2);
    cap_clear(&f.cap);

    /* nothing new: nothing to attest, however long */
    f.now = a + 3 * iv;
    pl_node_tick(f.n, f.now);
    assert_int_equal(stats(&f).attestations, 1);
    /* something new: attested an interval after the last, not sooner */
    uint64_t last = a + iv;
    put_msg(&f, p, W.log[IX_P5]);
    fx_flush(&f);
    f.now = last + 3 * iv; /* the interval has long passed: at the next tick */
    pl_node_tick(f.n, f.now);
    assert_int_equal(stats(&f).attestations, 2);
    last = f.now;
    put_msg(&f, p, W.log[IX_V2]);
    fx_flush(&f);
    f.now = last + iv - 1;
    pl_node_tick(f.n, f.now);
    assert_int_equal(stats(&f).attestations, 2);
    f.now = last + iv;
    pl_node_tick(f.n, f.now);
    assert_int_equal(stats(&f).attestations, 3);
    fx_end(&f);
}

/* SPEC §14.4 (anti-entropy): HEADS are sent again every PL_NODE_HEADS_MS
 * to each peer following a case that has not shown it holds every head
 * the node holds, and not sooner; a peer that has shown it all gets none. */
static void test_s14_4_heads_resent_periodically(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "s14_4_resend", &o, NOW0);
    uint64_t t0 = f.now;
    uint32_t v = peer_up(&f, pk_of(W_V), 1);
    uint32_t s = peer_up(&f, pk_of(W_S), 1);

    pl_node_tick(f.n, t0 + PL_NODE_HEADS_MS - 1);
    assert_int_equal(nsent(&f, ANY, PL_W_HEADS), 0);
    pl_node_tick(f.n, t0 + PL_NODE_HEADS_MS);
    assert_int_equal(nsent(&f, (int)v, PL_W_HEADS), 1);
    assert_int_equal(nsent(&f, (int)s, PL_W_HEADS), 1);
    cap_clear(&f.cap);

    /* the victim's node shows it holds everything */
    f.now = t0 + PL_NODE_HEADS_MS + 1;
    pl_wire h = heads_of(SEEDED);
    put_wire(&f, v, &h);
    fx_flush(&f);
    assert_int_equal(f.cap.n, 0); /* it follows the case already: no answer */
    pl_node_tick(f.n, t0 + 2 * PL_NODE_HEADS_MS - 1);
    assert_int_equal(nsent(&f, ANY, PL_W_HEADS), 0);
    pl_node_tick(f.n, t0 + 2 * PL_NODE_HEADS_MS);
    assert_int_equal(nsent(&f, (int)s, PL_W_HEADS), 1);
    assert_int_equal(nsent(&f, (int)v, PL_W_HEADS), 0);
    fx_end(&f);
}

/* The node's clock is the wall clock (SPEC §6.5: its messages carry it),
 * and a wall clock can step back (an NTP correction, a mis-set clock put
 * right). Every timer then restarts from the new time: an invitation being
 * fetched does not expire at the step (the unsigned difference used to
 * wrap and expire all of them), HEADS are not sent at the step, and
 * neither waits for the old time to come back. */
static void test_s14_3_s14_4_clock_steps_back(void **state)
{
    (void)state;
    fx f;
    opts o = {.who = W_C, .seed = SEEDED};
    fx_start(&f, "clock_back", &o, NOW0);
    uint64_t t0 = f.now;
    uint32_t p = peer_up(&f, pk_of(W_P), 1);
    uint8_t some_id[PL_ID_BYTES], cid[PL_CASE_ID_BYTES];
    memset(some_id, 0x11, sizeof some_id);
    tu_case(7, cid);
    pl_wire h = heads_one(cid, pk_of(W_P), 1, some_id);
    put_wire(&f, p, &h); /* an invitation, fetching its charter */
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)p, PL_W_WANT), 1);
    cap_clear(&f.cap);

    /* an hour back */
    uint64_t back = t0 - 3600000;
    f.now = back;
    pl_node_tick(f.n, back);
    assert_int_equal(nsent(&f, ANY, PL_W_HEADS), 0); /* nothing fired at the step */
    put_wire(&f, p, &h); /* still pending: the same offer is ignored */
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)p, PL_W_WANT), 0);
    cap_clear(&f.cap);

    /* the timers run from the new time, not from the old one */
    pl_node_tick(f.n, back + PL_NODE_HEADS_MS - 1);
    assert_int_equal(nsent(&f, ANY, PL_W_HEADS), 0);
    pl_node_tick(f.n, back + PL_NODE_HEADS_MS);
    assert_int_equal(nsent(&f, (int)p, PL_W_HEADS), 1);
    cap_clear(&f.cap);
    f.now = back + PL_NODE_INVITE_MS;
    pl_node_tick(f.n, f.now);
    put_wire(&f, p, &h);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)p, PL_W_WANT), 0); /* not yet expired */
    cap_clear(&f.cap);
    f.now = back + PL_NODE_INVITE_MS + 1;
    pl_node_tick(f.n, f.now);
    put_wire(&f, p, &h);
    fx_flush(&f);
    assert_int_equal(nsent(&f, (int)p, PL_W_WANT), 1); /* expired, and offered anew */
    fx_end(&f);
}

/* ---- setup ------------------------------------------------------------------------ */

static void build_world(void)
{
    w_init(&W, 0);
    assert_int_equal(W.n, SEEDED);
    assert_memory_equal(pl_msg_header(W.log[IX_V_JOIN])->author, pk_of(W_V), PL_PK_BYTES);
    assert_memory_equal(pl_msg_header(W.log[IX_O_JOIN])->author, pk_of(W_O), PL_PK_BYTES);
    assert_memory_equal(pl_msg_header(W.log[IX_P_NOTICE])->author, pk_of(W_P), PL_PK_BYTES);
    pl_msg *offer = NULL;
    pl_body b = wb_offer(&W, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&W, W_P, &b, &offer), PL_OK); /* IX_P4 */
    b = wb_disclose();
    assert_int_equal(w_say(&W, W_P, &b, NULL), PL_OK); /* IX_P5 */
    b = wb_opinion(PL_TOPIC_SENTENCE, "the victim asks to be heard");
    assert_int_equal(w_say(&W, W_V, &b, NULL), PL_OK); /* IX_V2 */
    b = wb_sign(offer);
    assert_int_not_equal(w_say(&W, W_V, &b, NULL), PL_OK); /* IX_FLAG */
    assert_int_equal(W.n, NWORLD);
    assert_int_equal(pl_msg_header(W.log[IX_P5])->seq, 5);
    assert_int_equal(pl_msg_header(W.log[IX_V2])->seq, 2);
    /* V's fork at seq 2, seeing what V2 saw */
    pl_body op = wb_opinion(PL_TOPIC_SENTENCE, "the victim says something else at seq 2");
    fork_v2 = w_sign_at(&W, W_V, W.log[IX_V_JOIN], &op, W_ALL);
    assert_int_equal(pl_msg_header(fork_v2)->seq, 2);
    proof_v2_len = w_fork_proof(&W, W.log[IX_V2], proof_v2);
}

static void rm_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return;
    struct dirent *e;
    char p[600];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(path);
}

static int setup(void **state)
{
    (void)state;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/parley-nodeunit-XXXXXX", base);
    if (mkdtemp(dir) == NULL)
        return -1;
    build_world();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    w_free(&W);
    rm_dir(dir);
    return 0;
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_s14_1_admission),
        cmocka_unit_test(test_s14_2_malformed_frames_answered),
        cmocka_unit_test(test_s14_3_hello_then_heads),
        cmocka_unit_test(test_s14_3_hello_rules),
        cmocka_unit_test(test_s14_3_invitation_accept),
        cmocka_unit_test(test_s14_3_invitation_decline_and_consent),
        cmocka_unit_test(test_s14_3_invitation_expires),
        cmocka_unit_test(test_s14_3_waiting_invitations_bounded),
        cmocka_unit_test(test_s14_3_not_followed_unknown_case),
        cmocka_unit_test(test_s14_4_heads_claim_want),
        cmocka_unit_test(test_s14_4_heads_resent_periodically),
        cmocka_unit_test(test_s14_3_s14_4_clock_steps_back),
        cmocka_unit_test(test_s14_5_want_answered),
        cmocka_unit_test(test_s14_6_msg_stored_acked_relayed),
        cmocka_unit_test(test_s14_6_msg_waits_for_predecessor),
        cmocka_unit_test(test_s14_6_msg_refused),
        cmocka_unit_test(test_s14_6_flagged_is_kept_and_noticed),
        cmocka_unit_test(test_s14_7_nothing_before_commit),
        cmocka_unit_test(test_s14_8_error_not_answered),
        cmocka_unit_test(test_s14_9_equivocation_builds_proof),
        cmocka_unit_test(test_s14_9_proof_frame),
        cmocka_unit_test(test_s14_10_rate_bucket),
        cmocka_unit_test(test_s14_10_refused_peer_dropped),
        cmocka_unit_test(test_s14_11_restore_refuses_until_synced),
        cmocka_unit_test(test_s6_5_future_timestamps_counted),
        cmocka_unit_test(test_s13_13_attestation_interval),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
