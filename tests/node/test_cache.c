/* Lazy cases (issue 17): a node that keeps no idle case in memory must be
 * indistinguishable from one that keeps every case. Two nodes on scratch
 * stores take the same frames from the same two peers; one has a cache
 * budget of one byte (every idle case is dropped at every tick and judged
 * again from the store when next used), the other the default. Every frame
 * either sends must be byte for byte the same, and every case the same:
 * its messages, their verdicts, its agreement and its summary. Then both
 * start again: from the stored summaries, from summaries made unreadable,
 * stale (a crash between a put and the summary) or missing (a store of
 * format 1), and must still agree with what the cases were.
 *
 * The cases are negotiations of the test world (tests/unit/world.c), each
 * with its own prosecution key, so each has its own case id; the node
 * speaks for counsel, and the peers are the victim's node (which relays
 * every message) and the suspect's node (which follows the cases and gets
 * relays). One case carries a proven fork. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "node.h"
#include "store.h"
#include "testutil.h"
#include "world.h"

#define NCASES 5
#define T0 1796112000000ull
#define DET PL_PENALTY_DETENTION

static world W[NCASES];
static uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES]; /* of case 3 */
static size_t proof_len;
static char dir[64];

/* ---- what a node sends ----------------------------------------------------------- */

struct sent {
    uint8_t *b; /* [peer:4][len:4][frame] repeated */
    size_t n, cap;
};

static void on_send(void *ctx, uint32_t peer, const uint8_t *frame, size_t len)
{
    struct sent *s = ctx;
    if (s->n + len + 8 > s->cap) {
        s->cap = 2 * (s->n + len + 8);
        s->b = realloc(s->b, s->cap);
        assert_non_null(s->b);
    }
    memcpy(s->b + s->n, &peer, 4);
    uint32_t l = (uint32_t)len;
    memcpy(s->b + s->n + 4, &l, 4);
    memcpy(s->b + s->n + 8, frame, len);
    s->n += len + 8;
}

static void on_log(void *ctx, pl_log_level level, const char *line)
{
    (void)ctx, (void)level, (void)line;
}

static void on_drop(void *ctx, uint32_t peer)
{
    (void)ctx, (void)peer;
}

static pl_node *open_node(const char *name, size_t cache_bytes, struct sent *out)
{
    static char paths[2][160]; /* the node keeps the path */
    char *path = paths[strcmp(name, "lazy") == 0];
    snprintf(path, 160, "%s/%s.db", dir, name);
    pl_node_config cfg = {.store_path = path, .nkeys = 1, .attest_interval_ms = 1000,
                          .send = on_send, .log = on_log, .drop = on_drop, .ctx = out,
                          .accept_invitations = 1, .cache_bytes = cache_bytes,
                          .cache_idle_ms = 1, /* every case idle a frame later */
                          .log_level = PL_LOG_ERROR};
    cfg.keys[0] = tu_key(40u + W_C);
    pl_node *n = NULL;
    assert_int_equal(pl_node_open(&cfg, T0, &n), PL_OK);
    return n;
}

/* ---- the cases -------------------------------------------------------------------- */

static void build_worlds(void)
{
    for (int i = 0; i < NCASES; i++) {
        pl_key *given[5] = {tu_key(200u + (unsigned)i), tu_key(40u + W_S), tu_key(40u + W_C),
                            tu_key(40u + W_V), tu_key(40u + W_O)};
        world *w = &W[i];
        w_init_keys(w, 0, given);
        pl_msg *o, *op, *o2;
        pl_body b = wb_offer(w, DET, 2 + (uint64_t)i % 4, 0, 5000, NULL);
        assert_int_equal(w_say(w, W_P, &b, &o), PL_OK);
        pl_body vo = wb_opinion(PL_TOPIC_SENTENCE, "the victim asks to be heard");
        assert_int_equal(w_say(w, W_V, &vo, &op), PL_OK);
        if (i == 1)
            continue; /* an open input: the prosecution cannot sign */
        pl_body r = wb_response(op, PL_DECISION_PARTLY, "heard; the term stays");
        assert_int_equal(w_say(w, W_P, &r, NULL), PL_OK);
        if (i == 2) { /* a counter-offer, and a flagged message kept as evidence */
            pl_body c = wb_offer(w, DET, 2, 0, 3000, o);
            assert_int_equal(w_say(w, W_C, &c, &o2), PL_OK);
            pl_body bad = wb_sign(o); /* the victim cannot sign */
            assert_int_not_equal(w_say(w, W_V, &bad, NULL), PL_OK);
            continue;
        }
        pl_body sg = wb_sign(o);
        assert_int_equal(w_say(w, W_P, &sg, NULL), PL_OK);
        assert_int_equal(w_say(w, W_S, &sg, NULL), PL_OK);
        if (i == 3) /* the victim forks at its opinion, and the fork is proven */
            proof_len = w_fork_proof(w, op, proof);
        assert_int_equal(w_say(w, W_C, &sg, NULL), PL_OK);
    }
}

/* ---- the frames ------------------------------------------------------------------- */

struct frames {
    uint8_t *f[4096];
    size_t len[4096];
    int peer[4096]; /* 0: the victim's node, 1: the suspect's */
    size_t n;
};

static void add_wire(struct frames *fs, int peer, const pl_wire *w)
{
    assert_true(fs->n < 4096);
    assert_int_equal(pl_wire_encode(w, &fs->f[fs->n], &fs->len[fs->n]), PL_OK);
    fs->peer[fs->n++] = peer;
}

static void add_msg(struct frames *fs, int peer, const pl_msg *m)
{
    pl_wire w = {.kind = PL_W_MSG};
    w.u.msg.bytes = (uint8_t *)pl_msg_bytes(m, &w.u.msg.len);
    add_wire(fs, peer, &w);
}

/* The HEADS the victim's node shows of world w after its first k messages. */
static void add_heads(struct frames *fs, int peer, const world *w, size_t k)
{
    pl_wire h = w_heads(w, k);
    add_wire(fs, peer, &h);
}

static void add_hello(struct frames *fs, int peer, pl_key *k)
{
    pl_wire h = {.kind = PL_W_HELLO};
    memcpy(h.u.hello.node, pl_key_pk(k), 32);
    uint8_t ids[NCASES][PL_CASE_ID_BYTES];
    for (int i = 0; i < NCASES; i++) { /* ascending (SPEC §14.3) */
        int at = i;
        while (at > 0 && memcmp(ids[at - 1], W[i].case_id, PL_CASE_ID_BYTES) > 0) {
            memcpy(ids[at], ids[at - 1], PL_CASE_ID_BYTES);
            at--;
        }
        memcpy(ids[at], W[i].case_id, PL_CASE_ID_BYTES);
    }
    h.u.hello.cases = ids;
    h.u.hello.ncases = NCASES;
    add_wire(fs, peer, &h);
}

/* The cases arrive interleaved, as a node hosting many sees them: HEADS
 * (an invitation), then each case's messages a few at a time, round robin;
 * the proof; then everything again (duplicates of idle cases) and HEADS. */
static void build_frames(struct frames *fs, pl_key *victim, pl_key *suspect)
{
    add_hello(fs, 0, victim);
    add_hello(fs, 1, suspect);
    for (int i = 0; i < NCASES; i++)
        add_heads(fs, 0, &W[i], W[i].n);
    size_t at[NCASES] = {0};
    for (int more = 1; more;) {
        more = 0;
        for (int i = 0; i < NCASES; i++)
            for (int k = 0; k < 3 && at[i] < W[i].n; k++, more = 1)
                add_msg(fs, 0, W[i].log[at[i]++]);
    }
    pl_wire p = {.kind = PL_W_PROOF};
    p.u.proof.bytes = proof;
    p.u.proof.len = proof_len;
    add_wire(fs, 0, &p);
    for (int i = 0; i < NCASES; i++)
        for (size_t k = 0; k < W[i].n; k += 4)
            add_msg(fs, 0, W[i].log[k]);
    for (int i = 0; i < NCASES; i++)
        add_heads(fs, 1, &W[i], W[i].n);
}

/* The frames of the victim's and the suspect's nodes (build_frames). */
static void frames_of_peers(struct frames *fs)
{
    pl_key *victim = tu_key(40u + W_V), *suspect = tu_key(40u + W_S);
    build_frames(fs, victim, suspect);
    pl_key_destroy(&victim);
    pl_key_destroy(&suspect);
}

/* ---- comparing -------------------------------------------------------------------- */

/* Case by case, what a node says of it must equal the world's own judging
 * (the node judges the same messages) and the other node's. */
static void same_cases(pl_node *a, pl_node *b)
{
    assert_int_equal(pl_node_ncases(a), NCASES);
    assert_int_equal(pl_node_ncases(b), NCASES);
    for (size_t i = 0; i < NCASES; i++) {
        pl_node_case_info ia, ib;
        assert_int_equal(pl_node_case_summary(a, i, &ia), PL_OK);
        assert_int_equal(pl_node_case_summary(b, i, &ib), PL_OK);
        assert_memory_equal(ia.case_id, ib.case_id, PL_CASE_ID_BYTES);
        assert_int_equal(ia.messages, ib.messages);
        assert_int_equal(ia.bytes, ib.bytes);
        assert_int_equal(ia.state, ib.state);
        assert_int_equal(ia.round, ib.round);
        assert_int_equal(ia.open_inputs, ib.open_inputs);
        assert_int_equal(ia.violations, ib.violations);
        assert_int_equal(ia.synced, ib.synced);
        pl_case *ca = pl_node_case(a, ia.case_id), *cb = pl_node_case(b, ia.case_id);
        assert_non_null(ca);
        assert_non_null(cb);
        assert_int_equal(pl_case_count(ca), pl_case_count(cb));
        assert_int_equal(pl_case_count(ca), ia.messages);
        for (size_t k = 0; k < pl_case_count(ca); k++) {
            pl_case_msg_info mi;
            assert_int_equal(pl_case_msg_info_get(ca, k, &mi), PL_OK);
            long j = pl_case_find(cb, mi.id);
            assert_true(j >= 0);
            assert_int_equal(pl_case_verdict(ca, k), pl_case_verdict(cb, (size_t)j));
        }
        pl_case_status sa, sb;
        pl_case_status_get(ca, &sa);
        pl_case_status_get(cb, &sb);
        assert_int_equal(sa.state, sb.state);
        assert_int_equal(sa.equivocations, sb.equivocations);
        assert_int_equal(sa.has_terms, sb.has_terms);
        assert_memory_equal(sa.terms_hash, sb.terms_hash, PL_HASH_BYTES);
        assert_int_equal(sa.state, ia.state);
        /* the heads the node would send */
        pl_verifier *va = pl_node_verifier(a, ia.case_id), *vb = pl_node_verifier(b, ia.case_id);
        for (size_t k = 0; k < pl_case_count(ca); k++) {
            pl_case_msg_info mi;
            assert_int_equal(pl_case_msg_info_get(ca, k, &mi), PL_OK);
            const uint8_t *au = mi.author;
            uint64_t qa, qb;
            uint8_t ha[32], hb[32];
            pl_verifier_head(va, au, &qa, ha);
            pl_verifier_head(vb, au, &qb, hb);
            assert_int_equal(qa, qb);
            assert_memory_equal(ha, hb, 32);
        }
    }
}

/* Which world case i of a node (ascending by id) is. */
static const world *world_of(const uint8_t id[PL_CASE_ID_BYTES])
{
    for (int i = 0; i < NCASES; i++)
        if (memcmp(W[i].case_id, id, PL_CASE_ID_BYTES) == 0)
            return &W[i];
    return NULL;
}

/* The node's agreement states are the world's (which judged each message
 * as it was said): the frames made it whole. */
static void as_the_world(pl_node *n)
{
    for (size_t i = 0; i < NCASES; i++) {
        pl_node_case_info ci;
        assert_int_equal(pl_node_case_summary(n, i, &ci), PL_OK);
        const world *w = world_of(ci.case_id);
        assert_non_null(w);
        pl_case_status st;
        pl_case_status_get(w->c, &st);
        assert_int_equal(ci.messages, w->n);
        if (w == &W[3]) {
            assert_int_equal(ci.state, PL_AGREEMENT_FINAL); /* the victim's fork changes nothing */
            continue;
        }
        assert_int_equal(ci.state, st.state);
        assert_int_equal(ci.open_inputs, st.open_inputs);
        assert_int_equal(ci.violations, st.violations);
    }
}

/* ---- the test --------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/parley-cache-%ld", (long)getpid());
    if (mkdir(dir, 0700) != 0)
        return -1;
    build_worlds();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Plays the frames into both nodes, ticking after every flush (which is
 * when the one-byte node drops every idle case); the frames they send must
 * be the same bytes in the same order. */
static void play_both(pl_node *a, struct sent *sa, pl_node *b, struct sent *sb,
                      const struct frames *fs, uint64_t *now)
{
    pl_key *victim = tu_key(40u + W_V), *suspect = tu_key(40u + W_S);
    int pa[2] = {pl_node_peer_open(a, pl_key_pk(victim), *now),
                 pl_node_peer_open(a, pl_key_pk(suspect), *now)};
    int pb[2] = {pl_node_peer_open(b, pl_key_pk(victim), *now),
                 pl_node_peer_open(b, pl_key_pk(suspect), *now)};
    pl_key_destroy(&victim);
    pl_key_destroy(&suspect);
    assert_true(pa[0] >= 0 && pa[1] >= 0 && pb[0] >= 0 && pb[1] >= 0);
    for (size_t i = 0; i < fs->n; i++) {
        *now += 1000; /* every 6th frame passes a HEADS interval (SPEC §14.4) */
        pl_node_frame(a, (uint32_t)pa[fs->peer[i]], fs->f[i], fs->len[i], *now);
        pl_node_frame(b, (uint32_t)pb[fs->peer[i]], fs->f[i], fs->len[i], *now);
        if (i % 2 == 1 || i + 1 == fs->n) {
            assert_int_equal(pl_node_flush(a), PL_OK);
            assert_int_equal(pl_node_flush(b), PL_OK);
            pl_node_tick(a, *now + 1); /* a millisecond on, every case is idle */
            pl_node_tick(b, *now + 1);
            size_t res, bytes, budget;
            pl_node_cache_get(a, &res, &bytes, &budget);
            assert_int_equal(res, 0); /* every case idle: none stays */
        }
        assert_int_equal(sa->n, sb->n);
        assert_memory_equal(sa->b, sb->b, sa->n);
    }
    for (int k = 0; k < 2; k++) {
        pl_node_peer_close(a, (uint32_t)pa[k]);
        pl_node_peer_close(b, (uint32_t)pb[k]);
    }
}

static void sql(const char *name, const char *stmt)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(db, stmt, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", stmt, err ? err : "?");
    sqlite3_free(err);
    sqlite3_close(db);
    assert_int_equal(rc, SQLITE_OK);
}

static void close_node(pl_node **n)
{
    pl_node_close(n);
}

static void test_evicted_cases_behave_as_resident(void **state)
{
    (void)state;
    struct frames fs = {0};
    frames_of_peers(&fs);
    struct sent sa = {0}, sb = {0};
    pl_node *a = open_node("lazy", 1, &sa), *b = open_node("resident", 0, &sb);
    uint64_t now = T0 + 10;
    play_both(a, &sa, b, &sb, &fs, &now);
    assert_true(sa.n > 0);
    same_cases(a, b);
    as_the_world(a);

    /* again from the stored summaries: the frames answered the same */
    close_node(&a);
    close_node(&b);
    sa.n = sb.n = 0;
    a = open_node("lazy", 1, &sa);
    b = open_node("resident", 0, &sb);
    size_t res, bytes, budget;
    pl_node_cache_get(b, &res, &bytes, &budget);
    assert_int_equal(res, 0); /* a start loads no case */
    play_both(a, &sa, b, &sb, &fs, &now);
    same_cases(a, b);
    as_the_world(b);
    close_node(&a);
    close_node(&b);

    /* summaries unreadable, stale (a message counted after the summary:
     * the crash between them), or absent (format 1): each case is judged
     * from its messages, and the node says the same as before */
    static const char *damage[] = {
        "UPDATE cases SET summary = x'93010203'",
        "UPDATE cases SET summary_messages = summary_messages - 1",
        "DROP TABLE cases; UPDATE meta SET value = 1 WHERE key = 'version'",
    };
    for (size_t d = 0; d < sizeof damage / sizeof *damage; d++) {
        sql("lazy", damage[d]);
        sa.n = 0;
        a = open_node("lazy", 1, &sa);
        b = open_node("resident", 0, &sb);
        same_cases(a, b);
        as_the_world(a);
        close_node(&a);
        close_node(&b);
    }
    /* and the summaries were written again: a start from them agrees */
    a = open_node("lazy", 1, &sa);
    b = open_node("resident", 0, &sb);
    pl_node_cache_get(a, &res, &bytes, &budget);
    assert_int_equal(res, 0);
    same_cases(a, b);
    close_node(&a);
    close_node(&b);
    for (size_t i = 0; i < fs.n; i++)
        free(fs.f[i]);
    free(sa.b);
    free(sb.b);
}

/* Plays the victim's frames into a fresh node at 10 ms steps, ticking after
 * each; the node (open) and the time of the last frame. max_res: the most
 * cases resident after any tick. */
static pl_node *play_lazy(const char *name, size_t cache_bytes, const struct frames *fs,
                          struct sent *so, uint64_t *now, size_t *max_res)
{
    static char paths[3][160];
    static int k;
    char *path = paths[k++ % 3];
    snprintf(path, 160, "%s/%s.db", dir, name);
    pl_node_config cfg = {.store_path = path, .nkeys = 1, .attest_interval_ms = 1000,
                          .send = on_send, .log = on_log, .drop = on_drop, .ctx = so,
                          .accept_invitations = 1, .cache_bytes = cache_bytes,
                          .cache_idle_ms = 60000, .log_level = PL_LOG_ERROR};
    cfg.keys[0] = tu_key(40u + W_C);
    pl_node *n = NULL;
    assert_int_equal(pl_node_open(&cfg, T0, &n), PL_OK);
    pl_key *victim = tu_key(40u + W_V);
    int peer = pl_node_peer_open(n, pl_key_pk(victim), T0);
    pl_key_destroy(&victim);
    assert_true(peer >= 0);
    *now = T0, *max_res = 0;
    for (size_t i = 0; i < fs->n; i++) {
        if (fs->peer[i] != 0)
            continue;
        *now += 10;
        pl_node_frame(n, (uint32_t)peer, fs->f[i], fs->len[i], *now);
        assert_int_equal(pl_node_flush(n), PL_OK);
        pl_node_tick(n, *now);
        size_t res, bytes, budget;
        pl_node_cache_get(n, &res, &bytes, &budget);
        if (res > *max_res)
            *max_res = res;
    }
    pl_node_peer_close(n, (uint32_t)peer);
    return n;
}

/* Cases in use stay in memory past the budget (issue 17): only a case idle
 * for cache_idle_ms leaves it, so a node with more active cases than its
 * budget holds never judges a case again at each use; past sixteen times
 * the budget, cases in use leave too, so a scan of every case cannot take
 * all memory. */
static void test_active_cases_stay(void **state)
{
    (void)state;
    struct frames fs = {0};
    frames_of_peers(&fs);
    struct sent so = {0};
    uint64_t now;
    size_t res, bytes, budget, max_res;
    /* what the five cases cost together */
    pl_node *n = play_lazy("idle-all", 0, &fs, &so, &now, &max_res);
    size_t all;
    pl_node_cache_get(n, &res, &all, &budget);
    assert_int_equal(res, NCASES);
    pl_node_close(&n);
    /* a budget of half of it: all used within the minute, all stay */
    n = play_lazy("idle-half", all / 2, &fs, &so, &now, &max_res);
    pl_node_cache_get(n, &res, &bytes, &budget);
    assert_int_equal(res, NCASES);
    assert_true(bytes > budget);
    pl_node_tick(n, now + 60000); /* idle now: they leave until within the budget */
    pl_node_cache_get(n, &res, &bytes, &budget);
    assert_true(res < NCASES && bytes <= budget);
    pl_node_close(&n);
    /* a budget of a hundredth: past sixteen times it, cases in use leave too */
    n = play_lazy("idle-tiny", all / 100, &fs, &so, &now, &max_res);
    assert_true(max_res < NCASES);
    pl_node_cache_get(n, &res, &bytes, &budget);
    assert_true(bytes <= 16 * budget || res <= 1);
    pl_node_close(&n);
    for (size_t i = 0; i < fs.n; i++)
        free(fs.f[i]);
    free(so.b);
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evicted_cases_behave_as_resident),
        cmocka_unit_test(test_active_cases_stay),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
