/* The streaming verifier (SPEC §6, §7.1): order independence, chains,
 * references, timestamps, duplicates, equivocation, and its bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static uint8_t CASE[32];
static const uint64_t T0 = 1795000000000ull;

#define N 16
static pl_key *K[4];
static pl_msg *LOG[N];

/* A 4-author log where every message references the others' latest. */
static void build_log(void)
{
    pl_msg *last[4] = {0};
    for (int i = 0; i < N; i++) {
        int a = (i * 7 + i / 4) % 4;
        const pl_msg *refs[3];
        size_t nrefs = 0;
        for (int b = 0; b < 4; b++)
            if (b != a && last[b])
                refs[nrefs++] = last[b];
        LOG[i] = tu_msg(K[a], CASE, last[a], refs, nrefs, T0 + (uint64_t)i, PL_T_OPINION, "m");
        last[a] = LOG[i];
    }
}

/* The verifier of the last run(): its report (copied into *out) points into
 * it, so it lives until the next run() or the teardown. */
static pl_verifier *cur;

static int run(pl_msg *const *msgs, size_t n, const pl_verify_limits *lim, pl_verify_report *out)
{
    pl_verifier_destroy(&cur);
    pl_verifier *v = pl_verifier_new(CASE, lim);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const uint8_t *b = pl_msg_bytes(msgs[i], &len);
        (void)!pl_verifier_add(v, b, len);
    }
    int rc = pl_verifier_finish(v);
    if (out)
        *out = *pl_verifier_report(v);
    cur = v;
    return rc;
}

/* SPEC §6.7: the same messages in any order verify the same; 200 seeded
 * shuffles of a 16-message, 4-author log all come out clean. */
static void test_verify_order_independent_s6_7(void **state)
{
    (void)state;
    pl_msg *shuf[N];
    unsigned seed = 12345;
    for (int round = 0; round < 200; round++) {
        memcpy(shuf, LOG, sizeof shuf);
        for (int i = N - 1; i > 0; i--) {
            seed = seed * 1103515245u + 12345u;
            int j = (int)((seed >> 16) % (unsigned)(i + 1));
            pl_msg *t = shuf[i];
            shuf[i] = shuf[j];
            shuf[j] = t;
        }
        pl_verify_report r;
        assert_int_equal(run(shuf, N, NULL, &r), PL_OK);
        assert_int_equal(r.accepted, N);
        assert_int_equal(r.rejected, 0);
        assert_int_equal(r.authors, 4);
    }
}

/* SPEC §6.4: repeats are ignored, counted, and not problems. */
static void test_verify_duplicates_ignored_s6_4(void **state)
{
    (void)state;
    pl_msg *m[2 * N];
    for (int i = 0; i < N; i++)
        m[2 * i] = m[2 * i + 1] = LOG[N - 1 - i]; /* pending duplicates too */
    pl_verify_report r;
    assert_int_equal(run(m, 2 * N, NULL, &r), PL_OK);
    assert_int_equal(r.accepted, N);
    assert_int_equal(r.duplicates, N);
}

/* SPEC §6.7: a missing message leaves its dependants unresolved, each
 * reported with its id. */
static void test_verify_gap_unresolved_s6_7(void **state)
{
    (void)state;
    pl_verify_report r;
    /* Drop LOG[0], the very first message: every other one depends on it
     * through a chain or a reference. */
    assert_int_equal(run(LOG + 1, N - 1, NULL, &r), PL_E_UNRESOLVED);
    assert_int_equal(r.accepted, 0);
    assert_int_equal(r.nproblems, N - 1);
    for (size_t i = 0; i < r.nproblems; i++) {
        assert_int_equal(r.problems[i].code, PL_E_UNRESOLVED);
        assert_string_equal(r.problems[i].section, "6.7");
    }
}

/* SPEC §6.7: the pending set is bounded; beyond it, PL_E_PENDING_FULL. */
static void test_verify_pending_bound_s6_7(void **state)
{
    (void)state;
    pl_msg *rev[N];
    for (int i = 0; i < N; i++)
        rev[i] = LOG[N - 1 - i];
    pl_verify_limits lim = {.max_pending = 4, .max_authors = 0};
    pl_verify_report r;
    assert_int_not_equal(run(rev, N, &lim, &r), PL_OK);
    assert_int_equal(r.problems[0].code, PL_E_PENDING_FULL);
    assert_true(r.accepted < N);
}

/* SPEC §6.7: the pending set is also bounded in bytes. */
static void test_verify_pending_bytes_bound_s6_7(void **state)
{
    (void)state;
    pl_msg *rev[N];
    for (int i = 0; i < N; i++)
        rev[i] = LOG[N - 1 - i];
    size_t one;
    pl_msg_bytes(LOG[N - 1], &one);
    pl_verify_limits lim = {.max_pending_bytes = 2 * one + one / 2};
    pl_verify_report r;
    assert_int_not_equal(run(rev, N, &lim, &r), PL_OK);
    assert_int_equal(r.problems[0].code, PL_E_PENDING_FULL);
    assert_int_equal(r.problems[0].index, 2); /* the third message did not fit */
}

/* SPEC §6.7: with a bound on each author's share of the pending set, one
 * author's messages waiting on a predecessor that never comes cannot fill
 * it: its next waiting one is PL_E_PENDING_FULL, another author's still
 * waits, and the missing predecessor, which waits for nothing, is accepted
 * and releases them all. */
static void test_verify_pending_author_share_s6_7(void **state)
{
    (void)state;
    pl_msg *chain[6];
    const pl_msg *prev = NULL;
    for (int i = 0; i < 6; i++) /* K[0]'s own chain, no references */
        prev = chain[i] = tu_msg(K[0], CASE, prev, NULL, 0, T0 + (uint64_t)i, PL_T_OPINION,
                                 "waits for its predecessor");
    pl_msg *other1 = tu_msg(K[1], CASE, NULL, NULL, 0, T0, PL_T_OPINION, "another author");
    pl_msg *other2 = tu_msg(K[1], CASE, other1, NULL, 0, T0 + 1, PL_T_OPINION, "another author");
    size_t one;
    pl_msg_bytes(chain[1], &one);
    pl_verify_limits lim = {.max_pending_author_bytes = 3 * one + one / 2};
    pl_verifier *v = pl_verifier_new(CASE, &lim);
    assert_non_null(v);
    for (int i = 2; i < 5; i++) /* seq 3..5 wait for seq 2 (and 1) */
        assert_int_equal(pl_verifier_add_msg(v, chain[i]), PL_OK);
    assert_int_equal(pl_verifier_report(v)->pending, 3);
    assert_int_equal(pl_verifier_add_msg(v, chain[5]), PL_E_PENDING_FULL); /* its share is used */
    assert_int_equal(pl_verifier_add_msg(v, other2), PL_OK); /* another author's still waits */
    assert_int_equal(pl_verifier_report(v)->pending, 4);
    /* seq 2 would wait too (for seq 1): over the share, refused, not held */
    assert_int_equal(pl_verifier_add_msg(v, chain[1]), PL_E_PENDING_FULL);
    assert_int_equal(pl_verifier_report(v)->pending, 4);
    assert_int_equal(pl_verifier_add_msg(v, chain[0]), PL_OK); /* accepted: waits for nothing */
    assert_int_equal(pl_verifier_add_msg(v, chain[1]), PL_OK); /* offered again: accepted */
    assert_int_equal(pl_verifier_add_msg(v, other1), PL_OK);
    assert_int_equal(pl_verifier_report(v)->pending, 0); /* all released */
    assert_int_equal(pl_verifier_add_msg(v, chain[5]), PL_OK); /* offered again: accepted */
    assert_int_equal(pl_verifier_finish(v), PL_E_PENDING_FULL); /* its first problem */
    assert_int_equal(pl_verifier_report(v)->accepted, 8);
    pl_verifier_destroy(&v);
    /* the share in messages: two of K[0]'s wait, the third is refused */
    pl_verify_limits two = {.max_pending_author = 2};
    assert_non_null(v = pl_verifier_new(CASE, &two));
    assert_int_equal(pl_verifier_add_msg(v, chain[2]), PL_OK);
    assert_int_equal(pl_verifier_add_msg(v, chain[3]), PL_OK);
    assert_int_equal(pl_verifier_add_msg(v, chain[4]), PL_E_PENDING_FULL);
    assert_int_equal(pl_verifier_add_msg(v, other2), PL_OK);
    assert_int_equal(pl_verifier_report(v)->pending, 3);
    size_t l2, l3, lo;
    pl_msg_bytes(chain[2], &l2), pl_msg_bytes(chain[3], &l3), pl_msg_bytes(other2, &lo);
    assert_int_equal(pl_verifier_report(v)->pending_bytes, l2 + l3 + lo);
    pl_verifier_destroy(&v);
    for (int i = 0; i < 6; i++)
        pl_msg_destroy(&chain[i]);
    pl_msg_destroy(&other1);
    pl_msg_destroy(&other2);
}

/* SPEC §6.7: unresolved messages are reported in the order they arrived. */
static void test_verify_unresolved_in_arrival_order_s6_7(void **state)
{
    (void)state;
    pl_msg *m[N - 1];
    for (int i = 0; i < N - 1; i++)
        m[i] = LOG[N - 1 - i]; /* newest first, LOG[0] missing */
    pl_verify_report r;
    assert_int_equal(run(m, N - 1, NULL, &r), PL_E_UNRESOLVED);
    for (size_t i = 0; i < r.nproblems; i++)
        assert_int_equal(r.problems[i].index, i);
}

/* SPEC §6.7: the number of authors per log is bounded. */
static void test_verify_author_bound_s6_7(void **state)
{
    (void)state;
    pl_verify_limits lim = {.max_pending = 0, .max_authors = 3};
    pl_verify_report r;
    assert_int_not_equal(run(LOG, N, &lim, &r), PL_OK);
    assert_int_equal(r.problems[0].code, PL_E_AUTHOR_LIMIT);
}

/* SPEC §7.1, §7.2, §7.4: a second message at an author's head seq is
 * rejected, the first kept, and a proof that verifies alone is handed to the
 * caller to store and pass on. */
static void test_verify_equivocation_at_head_s7_1(void **state)
{
    (void)state;
    pl_msg *a1 = tu_msg(K[0], CASE, NULL, NULL, 0, T0, PL_T_OFFER, "3 months");
    pl_msg *a1b = tu_msg(K[0], CASE, NULL, NULL, 0, T0, PL_T_OFFER, "6 months");
    pl_msg *m[] = {a1, a1b};
    pl_verify_report r;
    pl_verifier *v = pl_verifier_new(CASE, NULL);
    size_t len;
    const uint8_t *b = pl_msg_bytes(a1, &len);
    assert_int_equal(pl_verifier_add(v, b, len), PL_OK);
    b = pl_msg_bytes(a1b, &len);
    assert_int_equal(pl_verifier_add(v, b, len), PL_E_EQUIVOCATION);
    r = *pl_verifier_report(v);
    assert_int_equal(r.accepted, 1);
    assert_int_equal(r.nproofs, 1);
    assert_true(r.problems[0].has_proof);
    assert_memory_equal(r.problems[0].other_id, pl_msg_id(a1), 32);
    pl_equiv_info info;
    assert_int_equal(pl_equiv_proof_verify(r.proofs[0], r.proof_lens[0], &info), PL_OK);
    assert_memory_equal(info.author, pl_key_pk(K[0]), 32);
    assert_int_equal(info.seq, 1);
    uint64_t seq;
    uint8_t head[32];
    pl_verifier_head(v, pl_key_pk(K[0]), &seq, head);
    assert_int_equal(seq, 1);
    assert_memory_equal(head, pl_msg_id(a1), 32); /* the first one stays */
    pl_verifier_destroy(&v);
    (void)m;
    pl_msg_destroy(&a1), pl_msg_destroy(&a1b);
}

/* SPEC §7.1: two pending messages with one (author, seq) are caught too,
 * and an equivocation below the head is reported with both ids. */
static void test_verify_equivocation_pending_and_old_s7_1(void **state)
{
    (void)state;
    pl_msg *a1 = tu_msg(K[0], CASE, NULL, NULL, 0, T0, PL_T_OFFER, "one");
    pl_msg *a2 = tu_msg(K[0], CASE, a1, NULL, 0, T0, PL_T_OFFER, "two");
    pl_msg *a2b = tu_msg(K[0], CASE, a1, NULL, 0, T0, PL_T_OFFER, "two, again");
    pl_msg *a3 = tu_msg(K[0], CASE, a2, NULL, 0, T0, PL_T_OFFER, "three");
    pl_msg *a1b = tu_msg(K[0], CASE, NULL, NULL, 0, T0, PL_T_OFFER, "one, again");
    pl_verify_report r;
    pl_msg *m1[] = {a2, a2b, a1};
    assert_int_equal(run(m1, 3, NULL, &r), PL_E_EQUIVOCATION);
    assert_int_equal(r.accepted, 2);
    assert_int_equal(r.nproofs, 1);
    pl_msg *m2[] = {a1, a2, a3, a1b};
    assert_int_equal(run(m2, 4, NULL, &r), PL_E_EQUIVOCATION);
    assert_int_equal(r.accepted, 3);
    assert_memory_equal(r.problems[0].other_id, pl_msg_id(a1), 32);
    assert_memory_equal(r.problems[0].id, pl_msg_id(a1b), 32);
    pl_msg_destroy(&a1), pl_msg_destroy(&a2), pl_msg_destroy(&a2b);
    pl_msg_destroy(&a3), pl_msg_destroy(&a1b);
}

/* SPEC §6.1, §6.2, §6.5: chain, reference and timestamp violations. */
static void test_verify_chain_ref_timestamp_s6_1(void **state)
{
    (void)state;
    pl_msg *a1 = tu_msg(K[0], CASE, NULL, NULL, 0, T0 + 5, PL_T_OFFER, "one");
    pl_msg *a2 = tu_msg(K[0], CASE, a1, NULL, 0, T0 + 4, PL_T_OFFER, "earlier");
    pl_verify_report r;
    pl_msg *m1[] = {a1, a2};
    assert_int_equal(run(m1, 2, NULL, &r), PL_E_TIMESTAMP);
    assert_string_equal(r.problems[0].section, "6.5");

    /* b1 references a1; a different a1' is what the log holds. */
    pl_msg *a1x = tu_msg(K[0], CASE, NULL, NULL, 0, T0, PL_T_OFFER, "other one");
    pl_msg *b1 = tu_msg(K[1], CASE, NULL, (const pl_msg *const[]){a1x}, 1, T0, PL_T_JOIN, "b");
    pl_msg *m2[] = {a1, b1};
    assert_int_equal(run(m2, 2, NULL, &r), PL_E_REF_MISMATCH);
    assert_string_equal(r.problems[0].section, "6.2");

    /* a2 chained on a1x arrives after a1 was accepted: prev mismatch. */
    pl_msg *a2x = tu_msg(K[0], CASE, a1x, NULL, 0, T0 + 9, PL_T_OFFER, "two");
    pl_msg *m3[] = {a1, a2x};
    assert_int_equal(run(m3, 2, NULL, &r), PL_E_PREV);
    assert_string_equal(r.problems[0].section, "6.1");
    pl_msg_destroy(&a1), pl_msg_destroy(&a2), pl_msg_destroy(&a1x);
    pl_msg_destroy(&b1), pl_msg_destroy(&a2x);
}

/* SPEC §6.3, §4.8: undecodable and foreign messages are problems with
 * their index; the verifier keeps going. */
static void test_verify_bad_input_reported_s6_3(void **state)
{
    (void)state;
    uint8_t other[32];
    tu_case(7, other);
    pl_msg *x = tu_msg(K[0], other, NULL, NULL, 0, T0, PL_T_OFFER, "x");
    pl_verifier *v = pl_verifier_new(CASE, NULL);
    size_t len;
    const uint8_t *b = pl_msg_bytes(x, &len);
    assert_int_equal(pl_verifier_add(v, b, len), PL_E_CASE);
    assert_int_equal(pl_verifier_add(v, (const uint8_t *)"\xc1", 1), PL_E_FORBIDDEN_TYPE);
    b = pl_msg_bytes(LOG[0], &len);
    assert_int_equal(pl_verifier_add(v, b, len), PL_OK);
    const pl_verify_report *r = pl_verifier_report(v);
    assert_int_equal(r->received, 3);
    assert_int_equal(r->accepted, 1);
    assert_int_equal(r->problems[1].index, 1);
    pl_verifier_destroy(&v);
    pl_msg_destroy(&x);
}

/* SPEC §6.6: display order is a topological order, and the same for every
 * input permutation. */
static void test_order_deterministic_s6_6(void **state)
{
    (void)state;
    const pl_msg *a[N], *b[N];
    for (int i = 0; i < N; i++)
        a[i] = LOG[i], b[i] = LOG[N - 1 - i];
    assert_int_equal(pl_log_order(a, N), PL_OK);
    assert_int_equal(pl_log_order(b, N), PL_OK);
    for (int i = 0; i < N; i++)
        assert_ptr_equal(a[i], b[i]);
    /* Every predecessor comes before its successor. */
    for (int i = 0; i < N; i++) {
        const pl_header *h = pl_msg_header(a[i]);
        for (int j = i + 1; j < N; j++) {
            const pl_header *g = pl_msg_header(a[j]);
            int is_prev = h->has_prev && memcmp(h->prev, pl_msg_id(a[j]), 32) == 0;
            int is_ref = 0;
            for (size_t r = 0; r < h->nrefs; r++)
                is_ref |= memcmp(h->refs[r].id, pl_msg_id(a[j]), 32) == 0;
            (void)g;
            assert_false(is_prev || is_ref);
        }
    }
}

/* SPEC §8.2: a written log file reads back message for message. */
static void test_logfile_roundtrip_s8_2(void **state)
{
    (void)state;
    static uint8_t f[1 << 16];
    size_t n = PL_LOGFILE_HEADER_BYTES, off, len;
    pl_logfile_header(CASE, f);
    for (int i = 0; i < N; i++) {
        const uint8_t *b = pl_msg_bytes(LOG[i], &len);
        memcpy(f + n, b, len);
        n += len;
    }
    uint8_t c[32];
    const uint8_t *m;
    assert_int_equal(pl_logfile_open(f, n, c, &off), PL_OK);
    assert_memory_equal(c, CASE, 32);
    for (int i = 0; i < N; i++) {
        assert_int_equal(pl_logfile_next(f, n, &off, &m, &len), PL_OK);
        size_t want;
        const uint8_t *b = pl_msg_bytes(LOG[i], &want);
        assert_int_equal(len, want);
        assert_memory_equal(m, b, len);
    }
    assert_int_equal(pl_logfile_next(f, n, &off, &m, &len), PL_END);
    char verdict[64];
    tu_log_verdict(f, n, verdict, sizeof verdict);
    assert_string_equal(verdict, "ok");
}

/* SPEC §8.3: bad magic or a short file fails the file; a message cut short
 * or bytes that cannot start a message stop the reader with the walk's code;
 * a run of bytes longer than any message is PL_E_TOO_BIG. */
static void test_logfile_reader_rejects_s8_3(void **state)
{
    (void)state;
    uint8_t c[32];
    size_t off, len;
    const uint8_t *m;
    static uint8_t f[PL_LOGFILE_HEADER_BYTES + PL_MSG_MAX_BYTES + 16];
    pl_logfile_header(CASE, f);
    assert_int_equal(pl_logfile_open(f, PL_LOGFILE_HEADER_BYTES - 1, c, &off), PL_E_LOGFILE);
    f[3] ^= 1;
    assert_int_equal(pl_logfile_open(f, PL_LOGFILE_HEADER_BYTES, c, &off), PL_E_LOGFILE);
    f[3] ^= 1;
    const uint8_t *b = pl_msg_bytes(LOG[0], &len);
    memcpy(f + PL_LOGFILE_HEADER_BYTES, b, len);
    assert_int_equal(pl_logfile_open(f, PL_LOGFILE_HEADER_BYTES + len - 1, c, &off), PL_OK);
    assert_int_equal(pl_logfile_next(f, PL_LOGFILE_HEADER_BYTES + len - 1, &off, &m, &len),
                     PL_E_TRUNCATED);
    assert_null(m);
    f[PL_LOGFILE_HEADER_BYTES] = 0xc1;
    off = PL_LOGFILE_HEADER_BYTES;
    assert_int_equal(pl_logfile_next(f, PL_LOGFILE_HEADER_BYTES + 1, &off, &m, &len),
                     PL_E_FORBIDDEN_TYPE);
    /* a bin32 longer than any message: the reader looks no further */
    uint8_t *p = f + PL_LOGFILE_HEADER_BYTES;
    p[0] = 0xc6, p[1] = 0x00, p[2] = 0x01, p[3] = 0x00, p[4] = 0x00;
    memset(p + 5, 0, PL_MSG_MAX_BYTES);
    off = PL_LOGFILE_HEADER_BYTES;
    assert_int_equal(pl_logfile_next(f, sizeof f, &off, &m, &len), PL_E_STR_LEN);
    p[0] = 0xdc, p[1] = 0x0f, p[2] = 0xff; /* 4095 nils... then more than fits */
    memset(p + 3, 0xc4, PL_MSG_MAX_BYTES); /* bin8 chains that run past the window */
    off = PL_LOGFILE_HEADER_BYTES;
    assert_int_equal(pl_logfile_next(f, sizeof f, &off, &m, &len), PL_E_TOO_BIG);
}

struct accepted {
    const uint8_t *ids[N];
    size_t n;
};

static void on_accept(void *ctx, const pl_msg *m)
{
    struct accepted *a = ctx;
    for (int i = 0; i < N; i++)
        if (memcmp(pl_msg_id(LOG[i]), pl_msg_id(m), 32) == 0)
            a->ids[a->n++] = pl_msg_id(LOG[i]);
}

/* SPEC §6.7: the accept callback sees every accepted message once, pending
 * ones when released, each after its predecessors; so a node can store and
 * judge in that order. */
static void test_verify_accept_callback_causal_s6_7(void **state)
{
    (void)state;
    struct accepted acc = {.n = 0};
    pl_verifier *v = pl_verifier_new(CASE, NULL);
    pl_verifier_on_accept(v, on_accept, &acc);
    for (int i = N - 1; i >= 0; i--) {
        size_t len;
        const uint8_t *b = pl_msg_bytes(LOG[i], &len);
        assert_int_equal(pl_verifier_add(v, b, len), PL_OK);
    }
    assert_int_equal(acc.n, N);
    /* each message's prev and refs were accepted before it */
    pl_case *c = pl_case_new(CASE);
    for (size_t k = 0; k < acc.n; k++) {
        for (int i = 0; i < N; i++)
            if (pl_msg_id(LOG[i]) == acc.ids[k])
                assert_int_not_equal(pl_case_add(c, LOG[i]), PL_E_UNRESOLVED);
    }
    pl_case_destroy(&c);
    pl_verifier_destroy(&v);
}

static int setup(void **state)
{
    (void)state;
    tu_case(0, CASE);
    for (int i = 0; i < 4; i++)
        K[i] = tu_key((unsigned)i);
    build_log();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pl_verifier_destroy(&cur);
    pl_verifier_destroy(&cur); /* safe twice */
    for (int i = 0; i < N; i++)
        pl_msg_destroy(&LOG[i]);
    for (int i = 0; i < 4; i++)
        pl_key_destroy(&K[i]);
    return 0;
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_order_independent_s6_7),
        cmocka_unit_test(test_verify_duplicates_ignored_s6_4),
        cmocka_unit_test(test_verify_gap_unresolved_s6_7),
        cmocka_unit_test(test_verify_pending_bound_s6_7),
        cmocka_unit_test(test_verify_pending_bytes_bound_s6_7),
        cmocka_unit_test(test_verify_pending_author_share_s6_7),
        cmocka_unit_test(test_verify_unresolved_in_arrival_order_s6_7),
        cmocka_unit_test(test_verify_author_bound_s6_7),
        cmocka_unit_test(test_verify_equivocation_at_head_s7_1),
        cmocka_unit_test(test_verify_equivocation_pending_and_old_s7_1),
        cmocka_unit_test(test_verify_chain_ref_timestamp_s6_1),
        cmocka_unit_test(test_verify_bad_input_reported_s6_3),
        cmocka_unit_test(test_order_deterministic_s6_6),
        cmocka_unit_test(test_verify_accept_callback_causal_s6_7),
        cmocka_unit_test(test_logfile_roundtrip_s8_2),
        cmocka_unit_test(test_logfile_reader_rejects_s8_3),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
