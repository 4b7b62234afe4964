/* SPEC §13.13 *Standing joins*, §13.18: the scenarios a review of the
 * observer's standing (issue 18 §6) attacked it with, each now asserting
 * the outcome the spec requires — a seat change into the observer's key is
 * refused; a contest lifted by a later fork does not bring back a higher
 * round over a standing join; a citizen who joined while holding a proof
 * that voided a higher round still stands; a join whose past cannot be
 * held within the author limit is judged, not an out-of-memory failure.
 * Every scenario is also checked in many arrival orders, proofs first and
 * last, rebuilt, and with pl_case_check against pl_case_add. Written as a
 * review's tests (printing what they find), kept as regression tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "testutil.h"
#include "world.h"

static const char *who_name(int k)
{
    static const char *n[] = {"P", "S", "C", "V", "O", "X", "Q1", "Q2", "NEWC", "NEWS", "NEWV"};
    return k >= 0 && k < W_NK ? n[k] : k == -1 ? "none" : "?";
}

static int drawn_c(world *w, pl_case *c)
{
    static const int pool[3] = {W_O, W_Q1, W_Q2};
    uint8_t pk[32];
    if (!pl_case_drawn_observer(c, pk, NULL))
        return -1;
    for (int i = 0; i < 3; i++)
        if (memcmp(pk, pl_key_pk(w->k[pool[i]]), 32) == 0)
            return pool[i];
    return -2;
}

static int V(pl_case *c, const pl_msg *m)
{
    long k = pl_case_find(c, pl_msg_id(m));
    return k < 0 ? 999 : pl_case_verdict(c, (size_t)k);
}
#define VN(c, m) pl_errname(V((c), (m)))

static int draw_index(world *w, uint64_t d, const uint8_t rp[32], const uint8_t rd[32])
{
    static const char ctx[] = "parley/v2/draw-result";
    uint8_t buf[sizeof ctx + 32 + 8 + 64], h[32];
    size_t o = 0;
    memcpy(buf, ctx, sizeof ctx), o += sizeof ctx;
    memcpy(buf + o, w->case_id, 32), o += 32;
    for (int k = 7; k >= 0; k--)
        buf[o++] = (uint8_t)(d >> (8 * k));
    memcpy(buf + o, rp, 32), o += 32;
    memcpy(buf + o, rd, 32), o += 32;
    crypto_generichash(h, 32, buf, o, NULL, 0);
    uint64_t x = 0;
    for (int k = 0; k < 8; k++)
        x = (x << 8) | h[k];
    int pool[3] = {W_O, W_Q1, W_Q2};
    for (int i = 1; i < 3; i++)
        for (int j = i;
             j > 0 && memcmp(pl_key_pk(w->k[pool[j - 1]]), pl_key_pk(w->k[pool[j]]), 32) > 0; j--) {
            int t = pool[j];
            pool[j] = pool[j - 1];
            pool[j - 1] = t;
        }
    return pool[x % 3];
}

/* rd[0] ground until round d of (rp, rd) draws `want` (or, want < 0, not
 * -want-1). */
static void grind(world *w, uint64_t d, const uint8_t rp[32], uint8_t rd[32], int want)
{
    for (int g = 0; g < 256; g++) {
        rd[0] = (uint8_t)g;
        int x = draw_index(w, d, rp, rd);
        if (want >= 0 ? x == want : x != -want - 1)
            return;
    }
    fail();
}

/* A draw round: pk commits, dk commits, pk reveals, dk reveals, each seeing
 * `see`; the four messages in out (may be NULL). */
static void round_(world *w, uint64_t d, int pk, int dk, const uint8_t rp[32],
                   const uint8_t rd[32], unsigned see, pl_msg *out[4], int expect_ok)
{
    uint8_t cp[32], cd[32];
    pl_draw_commitment(rp, cp);
    pl_draw_commitment(rd, cd);
    pl_body pc = wb_draw(PL_T_DRAW_COMMIT, d, cp), dc = wb_draw(PL_T_DRAW_COMMIT, d, cd);
    pl_body pr = wb_draw(PL_T_DRAW_REVEAL, d, rp), dr = wb_draw(PL_T_DRAW_REVEAL, d, rd);
    pl_msg *m[4];
    int rc[4];
    rc[0] = w_say_seeing(w, pk, &pc, see, &m[0]);
    rc[1] = w_say_seeing(w, dk, &dc, see, &m[1]);
    rc[2] = w_say_seeing(w, pk, &pr, see, &m[2]);
    rc[3] = w_say_seeing(w, dk, &dr, see, &m[3]);
    for (int i = 0; i < 4; i++) {
        if (expect_ok)
            assert_int_equal(rc[i], PL_OK);
        if (out)
            out[i] = m[i];
    }
}

/* The spare prosecution key X: added by P with C seconding; X joins. */
static pl_msg *add_spare(world *w)
{
    static pl_participant slot;
    memset(&slot, 0, sizeof slot);
    memcpy(slot.key, pl_key_pk(w->k[W_X]), 32);
    slot.role = PL_ROLE_PROSECUTION;
    slot.name = (char *)"assistant prosecutor";
    pl_body add = {.type = PL_T_PARTICIPANTS};
    add.u.participants.add = &slot;
    add.u.participants.nadd = 1;
    assert_int_equal(w_say(w, W_P, &add, NULL), PL_OK);
    assert_int_equal(w_say(w, W_C, &add, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w->log[0]);
    pl_msg *xj;
    assert_int_equal(w_say(w, W_X, &join, &xj), PL_OK);
    return xj;
}

/* Every verdict of w's log in c2 equals w.c's; prints the first few
 * differences; returns their number. */
static int compare(world *w, pl_case *c2, const char *what)
{
    int diff = 0;
    for (size_t i = 0; i < w->n; i++) {
        int a = V(w->c, w->log[i]), b = V(c2, w->log[i]);
        if (a != b) {
            if (diff < 4)
                printf("#   %s: log[%zu] type %llu: %s vs %s\n", what, i,
                       (unsigned long long)pl_msg_header(w->log[i])->type, pl_errname(a),
                       pl_errname(b));
            diff++;
        }
    }
    if (drawn_c(w, w->c) != drawn_c(w, c2)) {
        printf("#   %s: drawn %s vs %s\n", what, who_name(drawn_c(w, w->c)),
               who_name(drawn_c(w, c2)));
        diff++;
    }
    return diff;
}

/* Order checks: the log rebuilt (as a node on restart) with the proofs
 * first, last, and in 20 random valid orders with the proofs at random
 * places; plus pl_case_check == pl_case_add for each message in the log's
 * order. */
static void orders(world *w, uint8_t (*proofs)[PL_EQUIV_PROOF_MAX_BYTES], size_t *plens,
                   size_t nproofs, const char *name)
{
    int bad = 0;
    /* proofs first */
    pl_case *c2 = pl_case_new(w->case_id);
    for (size_t p = 0; p < nproofs; p++)
        assert_int_equal(pl_case_add_proof(c2, proofs[p], plens[p]), PL_OK);
    for (size_t i = 0; i < w->n; i++)
        assert_int_not_equal(pl_case_add(c2, w->log[i]), PL_E_NOMEM);
    bad += compare(w, c2, "proofs first");
    pl_case_destroy(&c2);
    /* proofs last, check before add */
    c2 = pl_case_new(w->case_id);
    int cdiff = 0;
    for (size_t i = 0; i < w->n; i++) {
        int ck = pl_case_check(c2, w->log[i]);
        int ad = pl_case_add(c2, w->log[i]);
        if (ck != ad && cdiff++ < 4)
            printf("#   check %s != add %s at log[%zu]\n", pl_errname(ck), pl_errname(ad), i);
    }
    for (size_t p = 0; p < nproofs; p++)
        assert_int_equal(pl_case_add_proof(c2, proofs[p], plens[p]), PL_OK);
    bad += compare(w, c2, "proofs last") + cdiff;
    pl_case_destroy(&c2);
    /* random topological orders */
    srand(12345);
    for (int t = 0; t < 20; t++) {
        c2 = pl_case_new(w->case_id);
        char *done = calloc(w->n, 1);
        size_t left = w->n;
        size_t pdone = 0;
        while (left) {
            if (pdone < nproofs && rand() % 8 == 0) {
                assert_int_equal(pl_case_add_proof(c2, proofs[pdone], plens[pdone]), PL_OK);
                pdone++;
            }
            /* pick a random addable message */
            size_t start = (size_t)rand() % w->n, i;
            int added = 0;
            for (size_t k = 0; k < w->n && !added; k++) {
                i = (start + k) % w->n;
                if (done[i])
                    continue;
                int rc = pl_case_add(c2, w->log[i]);
                if (rc == PL_E_UNRESOLVED)
                    continue;
                assert_int_not_equal(rc, PL_E_NOMEM);
                done[i] = 1, left--, added = 1;
            }
            assert_true(added);
        }
        for (; pdone < nproofs; pdone++)
            assert_int_equal(pl_case_add_proof(c2, proofs[pdone], plens[pdone]), PL_OK);
        char what[32];
        snprintf(what, sizeof what, "random order %d", t);
        bad += compare(w, c2, what);
        free(done);
        pl_case_destroy(&c2);
    }
    printf("# %s: order/rebuild/check differences: %d\n", name, bad);
    assert_int_equal(bad, 0);
}

/* ---- 1. A party rotates into the observer's key -------------------------------------- */

/* After the drawn observer joined and observed, a key whose chain predates
 * the draw (the victim, idle since its join; or a spare prosecution key)
 * rotates to the observer's key. */
static void rotate_into_observer(int rotator)
{
    world w;
    w_init(&w, 1);
    if (rotator == W_X)
        (void)add_spare(&w);
    pl_msg *rot_base = w.head[rotator];
    uint8_t rp[32], rd[32];
    memset(rp, 0x11, 32), memset(rd, 0x22, 32);
    round_(&w, 1, W_P, W_C, rp, rd, W_ALL, NULL, 1);
    int A = drawn_c(&w, w.c);
    assert_true(A >= 0);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    pl_msg *ja, *obs1, *att1;
    assert_int_equal(w_say(&w, A, &join, &ja), PL_OK);
    pl_body ob = wb_simple(PL_T_OBSERVATION, "the suspect was pressured");
    assert_int_equal(w_say(&w, A, &ob, &obs1), PL_OK);
    pl_body att = wb_simple(PL_T_ATTESTATION, NULL);
    assert_int_equal(w_say(&w, A, &att, &att1), PL_OK);
    (void)rot_base;
    /* the rotation, in a past that has not seen the draw */
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[A]), 32);
    pl_msg *r;
    int rc = w_say_seeing(&w, rotator, &rot, 0, &r);
    pl_msg *att2, *obs2;
    int a2 = w_say(&w, A, &att, &att2);
    pl_body ob2 = wb_simple(PL_T_OBSERVATION, "and again");
    int o2 = w_say(&w, A, &ob2, &obs2);
    printf("# %s rotates to the observer %s: rotation %s; observer's role now %d (observer=%d); "
           "join %s, earlier observation %s, earlier attestation %s; new attestation %s, new "
           "observation %s; drawn %s\n",
           who_name(rotator), who_name(A), pl_errname(rc),
           pl_case_role(w.c, pl_key_pk(w.k[A])), PL_ROLE_OBSERVER, VN(w.c, ja), VN(w.c, obs1),
           VN(w.c, att1), pl_errname(a2), pl_errname(o2), who_name(drawn_c(&w, w.c)));
    /* SPEC §13.18 (v2): a pool key is never seated by a change */
    assert_int_equal(rc, PL_E_KEY);
    assert_int_equal(a2, PL_OK);
    assert_int_equal(o2, PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[A])), PL_ROLE_OBSERVER);
    /* what can the observer's key do now? an offer as the prosecution */
    if (rotator == W_X) {
        pl_body op = wb_opinion(PL_TOPIC_OTHER, "the citizen speaks for the prosecution");
        printf("# the citizen's opinion: %s, role %d\n", pl_errname(w_say(&w, A, &op, NULL)),
               pl_case_role(w.c, pl_key_pk(w.k[A])));
    }
    orders(&w, NULL, NULL, 0, "rotate_into_observer");
    w_free(&w);
}

static void test_rotate_into_observer_victim(void **state)
{
    (void)state;
    rotate_into_observer(W_V);
}

static void test_rotate_into_observer_spare(void **state)
{
    (void)state;
    rotate_into_observer(W_X);
}

/* ---- 2. A higher round voided in the join's past, revived later ---------------------- */

/* Round 1 (P, C) draws A. Counsel rotates to NEWC, and round 2 (P, NEWC)
 * draws B != A. The spare prosecution key X, idle since its join, rotates
 * to NEWC too (its past does not hold counsel's rotation): NEWC's seat is
 * contested, round 2 falls, A is the observer again. A joins (its past:
 * both rounds and the contest), stands on round 1, observes. Then X's fork
 * at its rotation is proven: the rotation is void, the contest gone, round
 * 2 counts again in A's join's past and outranks A's standing pair. */
static void revived_higher_round(int contester)
{
    world w;
    w_init(&w, 1);
    (void)add_spare(&w);
    uint8_t rp[32], rd[32], rp2[32], rd2[32];
    memset(rp, 0x11, 32), memset(rd, 0x22, 32);
    round_(&w, 1, W_P, W_C, rp, rd, W_ALL, NULL, 1);
    int A = drawn_c(&w, w.c);
    assert_true(A >= 0);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWC]), 32);
    assert_int_equal(w_say(&w, W_C, &rot, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_OK);
    memset(rp2, 0x33, 32), memset(rd2, 0x44, 32);
    grind(&w, 2, rp2, rd2, -A - 1);
    pl_msg *r2[4];
    round_(&w, 2, W_P, W_NEWC, rp2, rd2, W_ALL, r2, 1);
    int B = drawn_c(&w, w.c);
    assert_true(B >= 0 && B != A);
    /* X contests NEWC's seat, in a past without counsel's rotation */
    pl_msg *xr;
    int rc = w_say_seeing(&w, contester, &rot, 0, &xr);
    printf("# contester %s\n", who_name(contester));
    printf("# contester's rotation to NEWC: %s; NEWC role %d; round-2 reveals %s %s; drawn %s (A=%s, "
           "B=%s)\n",
           pl_errname(rc), pl_case_role(w.c, pl_key_pk(w.k[W_NEWC])), VN(w.c, r2[2]),
           VN(w.c, r2[3]), who_name(drawn_c(&w, w.c)), who_name(A), who_name(B));
    assert_int_equal(drawn_c(&w, w.c), A);
    /* SPEC §14.10: the undrawn citizen sees only the draw view; the
     * contester brings its rotation into it with a draw message of its
     * own (a commitment for round 3; contester X only) */
    unsigned jsee = W_ALL;
    if (contester == W_X) {
        uint8_t r3[32], c3[32];
        memset(r3, 0x77, 32);
        pl_draw_commitment(r3, c3);
        pl_body x3 = wb_draw(PL_T_DRAW_COMMIT, 3, c3);
        int rc3 = w_say_seeing(&w, W_X, &x3, 0, NULL);
        printf("# X's round-3 commitment (past: its own chain): %s\n", pl_errname(rc3));
        jsee = W_BIT(W_P) | W_BIT(W_NEWC) | W_BIT(W_X); /* heads: draw messages */
    }
    pl_msg *ja, *obs;
    assert_int_equal(w_say_seeing(&w, A, &join, jsee, &ja), PL_OK);
    pl_body ob = wb_simple(PL_T_OBSERVATION, "the suspect was pressured");
    assert_int_equal(w_say(&w, A, &ob, &obs), PL_OK);
    /* the prosecution's P goes on: an offer seeing A's join (F1 etc.) */
    pl_msg *att;
    pl_body at = wb_simple(PL_T_ATTESTATION, NULL);
    assert_int_equal(w_say(&w, A, &at, &att), PL_OK);
    printf("# before the proof: A's join %s, observation %s, attestation %s, drawn %s\n",
           VN(w.c, ja), VN(w.c, obs), VN(w.c, att), who_name(drawn_c(&w, w.c)));
    uint8_t proofs[1][PL_EQUIV_PROOF_MAX_BYTES];
    size_t plens[1];
    plens[0] = w_fork_proof(&w, xr, proofs[0]);
    assert_int_equal(w_add_proof(&w, proofs[0], plens[0]), PL_OK);
    printf("# after the contester's fork at its rotation is proven: its rotation %s; NEWC role %d; round-2 "
           "reveals %s %s; A's join %s, observation %s, attestation %s; drawn %s\n",
           VN(w.c, xr), pl_case_role(w.c, pl_key_pk(w.k[W_NEWC])), VN(w.c, r2[2]),
           VN(w.c, r2[3]), VN(w.c, ja), VN(w.c, obs), VN(w.c, att), who_name(drawn_c(&w, w.c)));
    /* the pairs inside A's past count as A's past judged them */
    assert_int_equal(V(w.c, ja), PL_OK);
    assert_int_equal(V(w.c, obs), PL_OK);
    assert_int_equal(V(w.c, att), PL_OK);
    assert_int_equal(drawn_c(&w, w.c), A);
    pl_body ob2 = wb_simple(PL_T_OBSERVATION, "A again");
    printf("# A's next observation: %s; B's join: %s\n", pl_errname(w_say(&w, A, &ob2, NULL)),
           pl_errname(w_say(&w, B, &join, NULL)));
    orders(&w, proofs, plens, 1, "revived_higher_round");
    w_free(&w);
}

static void test_revived_higher_round(void **state)
{
    (void)state;
    revived_higher_round(W_X);
    revived_higher_round(W_V);
    revived_higher_round(W_S);
}

/* ---- 3. A citizen's first join that does not stand (proof in its view) -------------- */

/* X and C run round hi; before its observer joins, X's fork at its
 * commitment is proven (everyone holds it): round hi is void. P and C run
 * round lo, drawing A. A joins holding the proof; its past (no proof) has
 * round hi counting. Later P's fork at its round-lo reveal is proven. */
static void first_join_not_standing(uint64_t hi, uint64_t lo)
{
    world w;
    w_init(&w, 1);
    (void)add_spare(&w);
    uint8_t rx[32], rc5[32], rp[32], rd[32];
    memset(rx, 0x55, 32), memset(rc5, 0x66, 32);
    memset(rp, 0x11, 32), memset(rd, 0x22, 32);
    pl_msg *rh[4], *rl[4];
    round_(&w, hi, W_X, W_C, rx, rc5, W_ALL, rh, 1);
    int B = drawn_c(&w, w.c);
    uint8_t proofs[2][PL_EQUIV_PROOF_MAX_BYTES];
    size_t plens[2];
    plens[0] = w_fork_proof(&w, rh[0], proofs[0]);
    assert_int_equal(w_add_proof(&w, proofs[0], plens[0]), PL_OK);
    printf("# rounds %llu then %llu: round %llu drew %s, void after X's proof (drawn %s)\n",
           (unsigned long long)hi, (unsigned long long)lo, (unsigned long long)hi, who_name(B),
           who_name(drawn_c(&w, w.c)));
    grind(&w, lo, rp, rd, -B - 1);
    round_(&w, lo, W_P, W_C, rp, rd, W_ALL, rl, 1);
    int A = drawn_c(&w, w.c);
    assert_true(A >= 0 && A != B);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    pl_msg *ja, *obs;
    assert_int_equal(w_say(&w, A, &join, &ja), PL_OK);
    pl_body ob = wb_simple(PL_T_OBSERVATION, "observed");
    assert_int_equal(w_say(&w, A, &ob, &obs), PL_OK);
    size_t ja_i = (size_t)pl_case_find(w.c, pl_msg_id(ja));
    printf("#   A=%s joined: %s; draw_side(P's round-%llu reveal) %d\n", who_name(A),
           VN(w.c, ja), (unsigned long long)lo,
           pl_case_draw_side(w.c, (size_t)pl_case_find(w.c, pl_msg_id(rl[2]))));
    (void)ja_i;
    plens[1] = w_fork_proof(&w, rl[2], proofs[1]);
    assert_int_equal(w_add_proof(&w, proofs[1], plens[1]), PL_OK);
    printf("#   after P's fork at its round-%llu reveal: A's join %s, observation %s, drawn %s\n",
           (unsigned long long)lo, VN(w.c, ja), VN(w.c, obs), who_name(drawn_c(&w, w.c)));
    /* the higher round the citizen's proof voided does not keep it from standing */
    assert_int_equal(V(w.c, ja), PL_OK);
    assert_int_equal(V(w.c, obs), PL_OK);
    assert_int_equal(drawn_c(&w, w.c), A);
    orders(&w, proofs, plens, 2, "first_join_not_standing");
    w_free(&w);
}

static void test_first_join_not_standing_inverted(void **state)
{
    (void)state;
    first_join_not_standing(5, 2);
}

static void test_first_join_not_standing_control(void **state)
{
    (void)state;
    first_join_not_standing(5, 6);
}


/* Round lo draws A; the sides agree to redraw (A slow to join): X and C run
 * round hi > lo, drawing B; X's fork at its commitment is proven before B
 * joins, so round hi is void and A is the observer again. A joins holding
 * the proof; later P forks at its round-lo reveal. No inverted numbers. */
static void test_first_join_not_standing_redraw(void **state)
{
    (void)state;
    world w;
    w_init(&w, 1);
    (void)add_spare(&w);
    uint8_t rx[32], rc5[32], rp[32], rd[32];
    memset(rx, 0x55, 32), memset(rc5, 0x66, 32);
    memset(rp, 0x11, 32), memset(rd, 0x22, 32);
    pl_msg *rh[4], *rl[4];
    round_(&w, 1, W_P, W_C, rp, rd, W_ALL, rl, 1);
    int A = drawn_c(&w, w.c);
    grind(&w, 2, rx, rc5, -A - 1);
    round_(&w, 2, W_X, W_C, rx, rc5, W_ALL, rh, 1);
    int B = drawn_c(&w, w.c);
    assert_true(B >= 0 && B != A);
    uint8_t proofs[2][PL_EQUIV_PROOF_MAX_BYTES];
    size_t plens[2];
    plens[0] = w_fork_proof(&w, rh[0], proofs[0]);
    assert_int_equal(w_add_proof(&w, proofs[0], plens[0]), PL_OK);
    assert_int_equal(drawn_c(&w, w.c), A);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    pl_msg *ja, *obs;
    assert_int_equal(w_say(&w, A, &join, &ja), PL_OK);
    pl_body ob = wb_simple(PL_T_OBSERVATION, "observed");
    assert_int_equal(w_say(&w, A, &ob, &obs), PL_OK);
    plens[1] = w_fork_proof(&w, rl[2], proofs[1]);
    assert_int_equal(w_add_proof(&w, proofs[1], plens[1]), PL_OK);
    printf("# redraw: round 1 drew A=%s, round 2 (X) drew B=%s then void; A joined; after P's "
           "fork at its round-1 reveal: A's join %s, observation %s, drawn %s\n",
           who_name(A), who_name(B), VN(w.c, ja), VN(w.c, obs), who_name(drawn_c(&w, w.c)));
    assert_int_equal(V(w.c, ja), PL_OK);
    assert_int_equal(V(w.c, obs), PL_OK);
    assert_int_equal(drawn_c(&w, w.c), A);
    orders(&w, proofs, plens, 2, "first_join_not_standing_redraw");
    w_free(&w);
}

/* ---- 4. The sub-case holds more authors than the case ------------------------------ */

static pl_msg *outsider_msg(world *w, pl_key *k, const pl_msg *ref)
{
    pl_body b = wb_opinion(PL_TOPIC_OTHER, "hello");
    uint8_t body[256];
    size_t blen;
    assert_int_equal(pl_body_encode(&b, body, sizeof body, &blen), PL_OK);
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, w->case_id, 32);
    h.seq = 1;
    if (ref) {
        h.nrefs = 1;
        memcpy(h.refs[0].author, pl_msg_header(ref)->author, 32);
        h.refs[0].seq = pl_msg_header(ref)->seq;
        memcpy(h.refs[0].id, pl_msg_id(ref), 32);
    }
    h.timestamp_ms = w->clock += 1000;
    h.type = PL_T_OPINION;
    pl_msg *m;
    assert_int_equal(pl_msg_sign(&h, body, blen, k, &m), PL_OK);
    return m;
}

/* Two keys Z1, Z2 (never speaking) are seated as victims by P and C and
 * removed by X and C; X's fork at its removal carrier is proven before C
 * signs, so in the case the removal never takes effect and Z1, Z2 are no
 * authors; in the drawn observer's past, judged without the proof, it
 * does, and the cut records Z1 and Z2 as authors. Outsiders fill the case
 * to 63 authors; the observer's join is the 64th. */
static void test_author_limit_in_past(void **state)
{
    (void)state;
    world w;
    w_init(&w, 1);
    (void)add_spare(&w);
    pl_key *z[2];
    uint8_t seed[PL_SEED_BYTES];
    static pl_participant slots[2];
    uint8_t rm[2][32];
    for (int i = 0; i < 2; i++) {
        memset(seed, 0x3c + i, sizeof seed);
        z[i] = pl_key_from_seed(seed);
        memset(&slots[i], 0, sizeof slots[i]);
        memcpy(slots[i].key, pl_key_pk(z[i]), 32);
        slots[i].role = PL_ROLE_VICTIM;
        slots[i].name = (char *)"agent";
        memcpy(rm[i], pl_key_pk(z[i]), 32);
    }
    if (memcmp(slots[0].key, slots[1].key, 32) > 0) {
        pl_participant t = slots[0];
        slots[0] = slots[1], slots[1] = t;
    }
    if (memcmp(rm[0], rm[1], 32) > 0) {
        uint8_t t[32];
        memcpy(t, rm[0], 32), memcpy(rm[0], rm[1], 32), memcpy(rm[1], t, 32);
    }
    pl_body add = {.type = PL_T_PARTICIPANTS};
    add.u.participants.add = slots;
    add.u.participants.nadd = 2;
    assert_int_equal(w_say(&w, W_P, &add, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &add, NULL), PL_OK);
    pl_body del = {.type = PL_T_PARTICIPANTS};
    del.u.participants.remove = rm;
    del.u.participants.nremove = 2;
    pl_msg *xdel;
    assert_int_equal(w_say(&w, W_X, &del, &xdel), PL_OK);
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t plen = w_fork_proof(&w, xdel, proof);
    assert_int_equal(w_add_proof(&w, proof, plen), PL_OK);
    assert_int_equal(w_say(&w, W_C, &del, NULL), PL_OK);
    printf("# Z1 role %d (victim=%d); ", pl_case_role(w.c, slots[0].key), PL_ROLE_VICTIM);
    /* outsiders, chained by reference, until the case has 63 authors */
    pl_key *ks[64];
    pl_msg *prev = NULL;
    size_t nk = 0;
    uint32_t dummy;
    uint64_t db;
    for (;;) {
        size_t authors = 0;
        /* count authors: pl_case_usage per known key is not enough; probe */
        for (size_t i = 0; i < nk; i++)
            (void)pl_case_usage(w.c, pl_key_pk(ks[i]), &dummy, &db);
        authors = 5 + nk; /* P S C V X + outsiders */
        if (authors == 63)
            break;
        memset(seed, 0xa5, sizeof seed);
        seed[0] = (uint8_t)nk, seed[1] = 0x5b;
        ks[nk] = pl_key_from_seed(seed);
        pl_msg *m = outsider_msg(&w, ks[nk], prev);
        int rc = w_add(&w, m);
        assert_true(rc != PL_E_NOMEM && rc != PL_E_AUTHOR_LIMIT);
        w.log[w.n] = m, w.verdict[w.n++] = rc;
        prev = m;
        nk++;
    }
    w.head[W_NEWS] = prev; /* so that w_say references the outsiders' chain */
    uint8_t rp[32], rd[32];
    memset(rp, 0x11, 32), memset(rd, 0x22, 32);
    round_(&w, 1, W_P, W_C, rp, rd, W_ALL, NULL, 1);
    int A = drawn_c(&w, w.c);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    w.check_only = 1;
    int ck = w_say(&w, A, &join, NULL);
    w.check_only = 0;
    pl_msg *ja;
    int rc = w_say(&w, A, &join, &ja);
    int again = w_add(&w, ja);
    /* the same log without the proof */
    pl_case *np = pl_case_new(w.case_id);
    for (size_t i = 0; i < w.n; i++)
        if (pl_case_add(np, w.log[i]) == PL_E_NOMEM) printf("# np NOMEM\n");
    printf("observer %s's join: check %s, add %s, again %s; without the proof: %s\n",
           who_name(A), pl_errname(ck), pl_errname(rc), pl_errname(again), VN(np, ja));
    /* judged, never an out-of-memory failure that would stop a node */
    assert_int_not_equal(ck, PL_E_NOMEM);
    assert_int_not_equal(rc, PL_E_NOMEM);
    assert_int_equal(ck, rc);
    pl_case_destroy(&np);
    w.head[W_NEWS] = NULL;
    for (size_t i = 0; i < nk; i++)
        pl_key_destroy(&ks[i]);
    for (int i = 0; i < 2; i++)
        pl_key_destroy(&z[i]);
    w_free(&w);
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rotate_into_observer_victim),
        cmocka_unit_test(test_rotate_into_observer_spare),
        cmocka_unit_test(test_revived_higher_round),
        cmocka_unit_test(test_first_join_not_standing_inverted),
        cmocka_unit_test(test_first_join_not_standing_control),
        cmocka_unit_test(test_first_join_not_standing_redraw),
        cmocka_unit_test(test_author_limit_in_past),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
