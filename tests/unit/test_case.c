/* The negotiation rules (SPEC §13), one scenario per rule R1-R12, each the
 * allowed path and the ways to break it, plus charter, participation,
 * concurrency and order independence. The parties come from world.h: the
 * prosecution P, suspect S, counsel C, victim V, observer O, an outsider X. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "world.h"

#define DET PL_PENALTY_DETENTION

static void expect_state(world *w, pl_agreement_state s)
{
    pl_case_status st;
    pl_case_status_get(w->c, &st);
    if (st.state != s)
        fail_msg("agreement state %s, expected %s", pl_agreement_state_name(st.state),
                 pl_agreement_state_name(s));
}

/* Case 1 up to a prosecution offer: returns the offer. */
static size_t pl_case_open_inputs(world *w)
{
    pl_case_status st;
    pl_case_status_get(w->c, &st);
    return st.open_inputs;
}

static pl_msg *offer_made(world *w)
{
    pl_msg *o;
    pl_body b = wb_offer(w, DET, 3, 0, 5000, NULL);
    assert_int_equal(w_say(w, W_P, &b, &o), PL_OK);
    return o;
}

/* SPEC §13.9 R1, §13.20: final only with the prosecution's, the suspect's
 * and counsel's signatures over the same terms; any two are not enough. */
static void test_r1_bilateral_finality_s13_9(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    expect_state(&w, PL_AGREEMENT_NONE);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_true(st.sign_prosecution >= 0 && st.sign_suspect >= 0 && st.sign_counsel >= 0);
    /* after it, no more offers or signatures in this round */
    pl_body again = wb_offer(&w, DET, 2, 0, 1000, NULL);
    assert_int_equal(w_say(&w, W_C, &again, NULL), PL_E_ENDED);
    w_free(&w);
}

/* SPEC §13.9: the defense cannot sign first, signatures over other terms
 * do not combine, and a wrong terms hash is refused. */
static void test_r1_no_subset_is_final_s13_9(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_E_SIGN_ORDER);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_E_SIGN_ORDER);
    expect_state(&w, PL_AGREEMENT_NONE);
    /* the victim and the observer never sign */
    assert_int_equal(w_say(&w, W_V, &sg, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_O, &sg, NULL), PL_E_ROLE);
    /* P signs offer A; S signs A; C signs a counter-offer B: not final */
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    pl_msg *ob;
    pl_body b = wb_offer(&w, DET, 2, 4, 3000, o);
    assert_int_equal(w_say(&w, W_C, &b, &ob), PL_OK);
    pl_body sgb = wb_sign(ob);
    assert_int_equal(w_say(&w, W_C, &sgb, NULL), PL_E_SIGN_ORDER);
    expect_state(&w, PL_AGREEMENT_PENDING);
    /* a signature whose hash is not the offer's terms */
    pl_body bad = wb_sign(o);
    bad.u.sign.terms_hash[0] ^= 1;
    assert_int_equal(w_say(&w, W_C, &bad, NULL), PL_E_TERMS_MISMATCH);
    expect_state(&w, PL_AGREEMENT_PENDING);
    w_free(&w);
}

/* SPEC §13.9: the three signatures name one offer. The prosecution's
 * signature on a withdrawn offer does not carry over to another offer with
 * the same terms, and a defense key signs once per round. */
static void test_r1_same_offer_one_signature_s13_9(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *a = offer_made(&w), *bo;
    pl_body sa = wb_sign(a), wd = wb_withdraw_offer(a, "reconsidered");
    assert_int_equal(w_say(&w, W_P, &sa, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &wd, NULL), PL_OK);
    pl_body same = wb_offer(&w, DET, 3, 0, 5000, a); /* byte-identical terms */
    assert_int_equal(w_say(&w, W_C, &same, &bo), PL_OK);
    pl_body sb = wb_sign(bo);
    assert_int_equal(w_say(&w, W_S, &sb, NULL), PL_E_SIGN_ORDER);
    assert_int_equal(w_say(&w, W_C, &sb, NULL), PL_E_SIGN_ORDER);
    expect_state(&w, PL_AGREEMENT_PENDING);
    /* only the offer's own side withdraws it */
    pl_body theirs = wb_withdraw_offer(a, "not yours");
    assert_int_equal(w_say(&w, W_C, &theirs, NULL), PL_E_ROLE);
    w_free(&w);

    /* two prosecution-signed offers: the suspect may sign only one */
    w_init(&w, 0);
    pl_msg *o1 = offer_made(&w), *o2;
    pl_body b2 = wb_offer(&w, DET, 2, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &b2, &o2), PL_OK);
    pl_body s1 = wb_sign(o1), s2 = wb_sign(o2);
    assert_int_equal(w_say(&w, W_P, &s1, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &s2, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &s1, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &s2, NULL), PL_E_SIGNED);
    assert_int_equal(w_say(&w, W_C, &s2, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING); /* S on o1, C on o2: no agreement */
    w_free(&w);
}

/* SPEC §13.6 R2, §13.1: either side proposes, as often as it likes, no
 * turns; the victim and the observer do not make offers. */
static void test_r2_either_side_proposes_s13_6(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_body d1 = wb_offer(&w, DET, 2, 4, 3000, NULL), d2 = wb_offer(&w, DET, 1, 2, 2000, NULL);
    assert_int_equal(w_say(&w, W_C, &d1, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &d2, NULL), PL_OK); /* twice in a row */
    assert_int_equal(w_say(&w, W_S, &d1, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_V, &d1, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_O, &d1, NULL), PL_E_ROLE);
    /* unlawful terms are flagged with the terms' own code (SPEC §15.4) */
    pl_body bad = wb_offer(&w, DET, 7, 0, 0, NULL);
    assert_int_equal(w_say(&w, W_C, &bad, NULL), PL_E_TERMS_DETENTION);
    w_free(&w);
}

/* SPEC §13.8 R3: an input the prosecution has seen blocks its offers,
 * signatures and close until it answers with reasons. */
static void test_r3_duty_to_answer_s13_8(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w), *op, *counter;
    pl_body opinion = wb_opinion(PL_TOPIC_SENTENCE, "Immediate confession and a clean record.");
    assert_int_equal(w_say(&w, W_C, &opinion, &op), PL_OK);
    pl_body co = wb_offer(&w, DET, 2, 4, 3000, o);
    assert_int_equal(w_say(&w, W_C, &co, &counter), PL_OK);

    pl_body next = wb_offer(&w, DET, 2, 3, 4000, NULL), sg = wb_sign(o);
    pl_body close = wb_simple(PL_T_CLOSE, "deliberation complete");
    assert_int_equal(w_say(&w, W_P, &next, NULL), PL_E_UNANSWERED);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_E_UNANSWERED);
    assert_int_equal(w_say(&w, W_P, &close, NULL), PL_E_UNANSWERED);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.open_inputs, 2);

    /* only the prosecution answers, and only inputs */
    pl_body r1 = wb_response(op, PL_DECISION_PARTLY, "Probation accepted; fine 4,000 yuan.");
    assert_int_equal(w_say(&w, W_C, &r1, NULL), PL_E_ROLE);
    pl_body rbad = wb_response(o, PL_DECISION_ADOPTED, "answering my own offer");
    assert_int_equal(w_say(&w, W_P, &rbad, NULL), PL_E_TARGET);
    assert_int_equal(w_say(&w, W_P, &r1, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &next, NULL), PL_E_UNANSWERED); /* one left */
    pl_body r2 = wb_response(counter, PL_DECISION_PARTLY, "High blood alcohol: fine 4,000 yuan.");
    assert_int_equal(w_say(&w, W_P, &r2, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &next, NULL), PL_OK);
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.open_inputs, 0);
    w_free(&w);
}

/* SPEC §13.8, §13.19, §13.4: the duty covers what the prosecution had seen; an
 * input sent concurrently does not retroactively break its offer, but
 * blocks the next one. */
static void test_r3_concurrent_input_s13_19(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *op;
    pl_body opinion = wb_opinion(PL_TOPIC_FACTS, "The blood test was taken late.");
    assert_int_equal(w_say(&w, W_C, &opinion, &op), PL_OK);
    pl_body o1 = wb_offer(&w, DET, 3, 0, 5000, NULL);
    /* P has not seen counsel's latest message */
    assert_int_equal(w_say_seeing(&w, W_P, &o1, W_BIT(W_S) | W_BIT(W_V) | W_BIT(W_O), NULL), PL_OK);
    pl_body o2 = wb_offer(&w, DET, 2, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &o2, NULL), PL_E_UNANSWERED);
    w_free(&w);
}

/* SPEC §13.7 R4: the victim's opinions (compensation, forgiveness) are
 * inputs like the defense's; the observer's are not opinions at all. */
static void test_r4_victim_heard_s13_7(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *vo;
    pl_body v = wb_opinion(PL_TOPIC_COMPENSATION, "Asks 50,000 yuan compensation before leniency.");
    assert_int_equal(w_say(&w, W_V, &v, &vo), PL_OK);
    assert_int_equal(pl_case_is_input(w.c, w.n - 1), 1);
    pl_body o = wb_offer(&w, DET, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &o, NULL), PL_E_UNANSWERED);
    pl_body r = wb_response(vo, PL_DECISION_ADOPTED, "Compensation is a condition of leniency.");
    assert_int_equal(w_say(&w, W_P, &r, NULL), PL_OK);
    assert_int_equal(pl_case_input_answered(w.c, (size_t)pl_case_find(w.c, pl_msg_id(vo))), 1);
    assert_int_equal(w_say(&w, W_P, &o, NULL), PL_OK);
    pl_body obs = wb_opinion(PL_TOPIC_OTHER, "observers do not give opinions");
    assert_int_equal(w_say(&w, W_O, &obs, NULL), PL_E_ROLE);
    w_free(&w);
}

/* SPEC §13.10 R5: one side's close is not a close; both close it; a
 * withdrawal ends it unilaterally and says who. */
static void test_r5_no_unilateral_close_s13_10(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_body close = wb_simple(PL_T_CLOSE, "deliberation complete");
    assert_int_equal(w_say(&w, W_P, &close, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_NONE);
    assert_int_equal(w_say(&w, W_V, &close, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_C, &close, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_CLOSED);
    pl_body o = wb_offer(&w, DET, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &o, NULL), PL_E_ENDED);
    w_free(&w);

    /* a close is not mutual while an input the completing close saw is
     * unanswered: the victim spoke after the prosecution closed */
    w_init(&w, 0);
    assert_int_equal(w_say(&w, W_P, &close, NULL), PL_OK);
    pl_body vop = wb_opinion(PL_TOPIC_SENTENCE, "I want to be heard first.");
    assert_int_equal(w_say(&w, W_V, &vop, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &close, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_NONE);
    w_free(&w);

    w_init(&w, 0);
    o = wb_offer(&w, DET, 3, 0, 5000, NULL);
    pl_body wd = wb_simple(PL_T_WITHDRAW, "the defense ends the negotiation");
    assert_int_equal(w_say(&w, W_C, &wd, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_WITHDRAWN);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.withdrawn_by, PL_SIDE_DEFENSE);
    assert_int_equal(w_say(&w, W_P, &o, NULL), PL_E_ENDED);
    w_free(&w);
}

/* SPEC §13.10, §13.19: a withdrawn offer cannot be signed by whoever saw the
 * withdrawal; a signature that had not seen it completes the agreement. */
static void test_r5_withdrawal_race_s13_19(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o), wd = wb_withdraw_offer(o, "new evidence");
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    /* P withdraws while counsel signs without having seen the withdrawal */
    assert_int_equal(w_say_seeing(&w, W_P, &wd, W_ALL & ~W_BIT(W_C), NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_C, &sg, W_ALL & ~W_BIT(W_P), NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    w_free(&w);

    w_init(&w, 0);
    o = offer_made(&w);
    sg = wb_sign(o), wd = wb_withdraw_offer(o, "new evidence");
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &wd, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_E_WITHDRAWN);
    expect_state(&w, PL_AGREEMENT_PENDING);
    w_free(&w);
}

/* SPEC §13.11 R6: a session is fixed only by the other side's acceptance,
 * and answered once. */
static void test_r6_sessions_by_consent_s13_11(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *prop, *prop2;
    pl_body p = wb_propose(1, 0);
    assert_int_equal(w_say(&w, W_C, &p, &prop), PL_OK);
    pl_body acc = wb_ref(PL_T_SESSION_ACCEPT, prop);
    assert_int_equal(w_say(&w, W_S, &acc, NULL), PL_E_SAME_SIDE);
    assert_int_equal(w_say(&w, W_V, &acc, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_P, &acc, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &acc, NULL), PL_E_SESSION_STATE);
    pl_body p2 = wb_propose(0, 1); /* detention facility, not public */
    assert_int_equal(w_say(&w, W_P, &p2, &prop2), PL_OK);
    pl_body dec = wb_decline(prop2);
    assert_int_equal(w_say(&w, W_C, &dec, NULL), PL_OK);
    pl_body acc2 = wb_ref(PL_T_SESSION_ACCEPT, prop2);
    assert_int_equal(w_say(&w, W_S, &acc2, NULL), PL_E_SESSION_STATE);
    w_free(&w);
}

/* SPEC §13.12 R7: the prosecution discloses, the defense acknowledges. */
static void test_r7_disclosure_s13_12(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *d;
    pl_body dis = wb_disclose();
    assert_int_equal(w_say(&w, W_C, &dis, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_P, &dis, &d), PL_OK);
    pl_body ack = wb_ref(PL_T_DISCLOSE_ACK, d);
    assert_int_equal(w_say(&w, W_P, &ack, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_V, &ack, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_C, &ack, NULL), PL_OK);
    pl_body wrong = wb_ref(PL_T_DISCLOSE_ACK, w.log[0]); /* the charter */
    assert_int_equal(w_say(&w, W_S, &wrong, NULL), PL_E_TARGET);
    w_free(&w);
}

/* SPEC §13.13 R8: the observer is drawn by commit-reveal; only the drawn
 * pool member may join; reveals come after seeing the other commitment. */
static void test_r8_observer_draw_s13_13(void **state)
{
    (void)state;
    world w;
    w_init(&w, 1);
    uint8_t rp[32], rd[32], cp[32], cd[32];
    memset(rp, 0x11, 32), memset(rd, 0x22, 32);
    pl_draw_commitment(rp, cp);
    pl_draw_commitment(rd, cd);
    pl_body pc = wb_draw(PL_T_DRAW_COMMIT, 1, cp), dc = wb_draw(PL_T_DRAW_COMMIT, 1, cd);
    pl_body pr = wb_draw(PL_T_DRAW_REVEAL, 1, rp), dr = wb_draw(PL_T_DRAW_REVEAL, 1, rd);
    assert_int_equal(w_say(&w, W_P, &pc, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &pc, NULL), PL_E_DRAW); /* one per side and round */
    assert_int_equal(w_say(&w, W_P, &pr, NULL), PL_E_DRAW); /* not before the other commits */
    assert_int_equal(w_say(&w, W_V, &dc, NULL), PL_E_ROLE); /* the victim does not draw */
    assert_int_equal(w_say(&w, W_C, &dc, NULL), PL_OK);
    pl_body wrong = wb_draw(PL_T_DRAW_REVEAL, 1, rd);
    assert_int_equal(w_say(&w, W_P, &wrong, NULL), PL_E_DRAW); /* not its commitment */
    assert_int_equal(w_say(&w, W_P, &pr, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &dr, NULL), PL_OK);

    /* exactly one pool member is now the observer; a late commitment by
     * the suspect to round 1, made without seeing counsel's, changes
     * nothing: the reveals are bound to the commitments they had seen */
    uint8_t before[32], after[32], rs[32], cs[32];
    memset(rs, 0x33, 32);
    pl_draw_commitment(rs, cs);
    int found = 0;
    for (int q = W_O; q <= W_Q2; q++)
        if ((q == W_O || q == W_Q1 || q == W_Q2) &&
            pl_case_role(w.c, pl_key_pk(w.k[q])) == PL_ROLE_OBSERVER)
            memcpy(before, pl_key_pk(w.k[q]), 32), found++;
    assert_int_equal(found, 1);
    pl_body late = wb_draw(PL_T_DRAW_COMMIT, 1, cs);
    assert_int_equal(w_say_seeing(&w, W_S, &late, 0, NULL), PL_OK);
    found = 0;
    for (int q = W_O; q <= W_Q2; q++)
        if ((q == W_O || q == W_Q1 || q == W_Q2) &&
            pl_case_role(w.c, pl_key_pk(w.k[q])) == PL_ROLE_OBSERVER)
            memcpy(after, pl_key_pk(w.k[q]), 32), found++;
    assert_int_equal(found, 1);
    assert_memory_equal(before, after, 32);
    /* round 2: a second defense commitment made concurrently by the
     * suspect makes counsel's reveal invalid (two in its view) */
    pl_body sc = wb_draw(PL_T_DRAW_COMMIT, 2, cs), pc2 = wb_draw(PL_T_DRAW_COMMIT, 2, cp),
            dc2 = wb_draw(PL_T_DRAW_COMMIT, 2, cd), dr2 = wb_draw(PL_T_DRAW_REVEAL, 2, rd);
    assert_int_equal(w_say(&w, W_P, &pc2, NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_C, &dc2, W_BIT(W_P), NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_S, &sc, W_BIT(W_P), NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &dr2, NULL), PL_E_DRAW);

    int drawn = -1, others = 0;
    int pool[3] = {W_O, W_Q1, W_Q2};
    for (int i = 0; i < 3; i++) {
        if (pl_case_role(w.c, pl_key_pk(w.k[pool[i]])) == PL_ROLE_OBSERVER)
            drawn = pool[i];
        else
            others++;
    }
    assert_true(drawn >= 0);
    assert_int_equal(others, 2);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    for (int i = 0; i < 3; i++)
        assert_int_equal(w_say(&w, pool[i], &join, NULL),
                         pool[i] == drawn ? PL_OK : PL_E_NOT_PARTICIPANT);
    pl_body att = wb_simple(PL_T_ATTESTATION, "heads verified");
    assert_int_equal(w_say(&w, drawn, &att, NULL), PL_OK);
    pl_body obs = wb_simple(PL_T_OBSERVATION, "the session started 20 minutes late");
    assert_int_equal(w_say(&w, drawn, &obs, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &obs, NULL), PL_E_ROLE);
    /* an attestation must not name older heads than the previous one */
    assert_int_equal(w_say_seeing(&w, drawn, &att, 0, NULL), PL_E_ATTESTATION);

    /* SPEC §13.13 withholding, §17.2: the report names the drawn observer
     * and, for round 2 (both sides committed, nobody revealed validly),
     * each side that has not revealed. */
    uint8_t pk[32];
    uint64_t round = 0;
    assert_int_equal(pl_case_drawn_observer(w.c, pk, &round), 1);
    assert_int_equal(round, 1);
    assert_memory_equal(pk, pl_key_pk(w.k[drawn]), 32);
    char fp[PL_FINGERPRINT_STR_BYTES], *text, *json, want[160];
    pl_fingerprint(pk, fp);
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(text, "round 1: prosecution revealed, defense revealed\n"));
    assert_non_null(strstr(text, "round 2: prosecution committed (NOT REVEALED), defense committed (NOT REVEALED)"));
    snprintf(want, sizeof want, "observer drawn in round 1 from a pool of 3: %s", fp);
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(json, "{\"round\":2,\"prosecution\":\"committed\",\"defense\":"
                                 "\"committed\",\"not_revealed\":[\"prosecution\",\"defense\"]}"));
    snprintf(want, sizeof want, "\"observer\":\"%s\",\"observer_round\":1}", fp);
    assert_non_null(strstr(json, want));
    free(text);
    free(json);
    w_free(&w);
}

/* The observer drawn in w's case (its index in w.k), or -1. */
static int drawn_in(world *w)
{
    static const int pool[3] = {W_O, W_Q1, W_Q2};
    for (int i = 0; i < 3; i++)
        if (pl_case_role(w->c, pl_key_pk(w->k[pool[i]])) == PL_ROLE_OBSERVER)
            return pool[i];
    return -1;
}

/* SPEC §13.13 *Standing joins*, §13.14, §17.2, issue 18 §6: the
 * prosecution forks its key at its draw reveal after the drawn observer
 * has joined and filed an observation. The forking key's reveal and later
 * offer are void, but the observer's join stands on its own past: the
 * observer stays drawn, its join and observation stay valid, and it can
 * still act; the verdicts are the same with the proof first or last; the
 * report shows the reveal both as counting for the draw and as forked. */
static void test_standing_join_fork_at_reveal_s13_13(void **state)
{
    (void)state;
    world w;
    w_init(&w, 1);
    pl_msg *preveal, *later, *join_m, *obs_m;
    assert_int_equal(w_draw(&w, W_P, W_C, 1, 0x11, 0x22, W_ALL, &preveal, NULL), PL_OK);
    int drawn = drawn_in(&w);
    assert_true(drawn >= 0);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, drawn, &join, &join_m), PL_OK);
    pl_body obs = wb_simple(PL_T_OBSERVATION, "the prosecution pressured the suspect");
    assert_int_equal(w_say(&w, drawn, &obs, &obs_m), PL_OK);
    pl_body op = wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &op, &later), PL_OK);

    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t n = w_fork_proof(&w, preveal, proof);
    assert_int_equal(w_add_proof(&w, proof, n), PL_OK);
#define VERDICT(m) pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(m)))
    assert_int_equal(VERDICT(later), PL_E_EQUIVOCATED);
    assert_int_equal(VERDICT(preveal), PL_E_EQUIVOCATED);
    assert_int_equal(drawn_in(&w), drawn);
    assert_int_equal(VERDICT(join_m), PL_OK);
    assert_int_equal(VERDICT(obs_m), PL_OK);
    /* the forked reveal still counts for the draw (pl_case_draw_side) */
    assert_int_equal(pl_case_draw_side(w.c, (size_t)pl_case_find(w.c, pl_msg_id(preveal))),
                     PL_SIDE_PROSECUTION);
    /* the observer goes on: checked (the twin's scratch entry) and added */
    pl_body att = wb_simple(PL_T_ATTESTATION, NULL);
    w.check_only = 1;
    assert_int_equal(w_say(&w, drawn, &att, NULL), PL_OK);
    w.check_only = 0;
    pl_msg *att_m;
    assert_int_equal(w_say(&w, drawn, &att, &att_m), PL_OK);
    assert_int_equal(VERDICT(att_m), PL_OK);
#undef VERDICT
    uint8_t fpk[32];
    uint64_t from;
    assert_int_equal(pl_case_equivocator(w.c, 0, fpk, &from), 1);
    assert_memory_equal(fpk, pl_key_pk(w.k[W_P]), 32);
    assert_int_equal(from, pl_msg_header(preveal)->seq);
    assert_int_equal(pl_case_equivocator(w.c, 1, fpk, &from), 0);
    char *text, *json;
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(text, "the prosecution pressured the suspect"));
    assert_null(strstr(text, "NOT REVEALED"));
    assert_non_null(strstr(json, "\"prosecution\":\"revealed\""));
    assert_non_null(strstr(text, "FORKS (R9)"));
    assert_non_null(strstr(text, "signed two messages at seq"));
    assert_non_null(strstr(json, "\"forks\":[{\"key\":"));
    free(text);
    free(json);

    /* the proof first, then the log: the same verdicts */
    pl_case *c2 = pl_case_new(w.case_id);
    assert_int_equal(pl_case_add_proof(c2, proof, n), PL_OK);
    for (size_t i = 0; i < w.n; i++)
        assert_int_not_equal(pl_case_add(c2, w.log[i]), PL_E_NOMEM);
    for (size_t i = 0; i < w.n; i++)
        assert_int_equal(pl_case_verdict(c2, (size_t)pl_case_find(c2, pl_msg_id(w.log[i]))),
                         pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(w.log[i]))));
    pl_case_destroy(&c2);
    w_free(&w);
}

/* SPEC §13.13 *Standing joins*: a fork below the draw messages — counsel,
 * the defense's drawing key, forks at its join — voids every message of
 * counsel, its commitment and reveal included, but not the observer's
 * join, which stands on its own past: the observer stays drawn and its
 * messages keep the verdicts a log without the proof gives them, with the
 * proof first or last. */
static void test_standing_join_fork_below_s13_13(void **state)
{
    (void)state;
    world w;
    w_init(&w, 1);
    pl_msg *creveal, *join_m, *obs_m;
    assert_int_equal(w_draw(&w, W_P, W_C, 1, 0x55, 0x66, W_ALL, NULL, &creveal), PL_OK);
    int drawn = drawn_in(&w);
    assert_true(drawn >= 0);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, drawn, &join, &join_m), PL_OK);
    pl_body obs = wb_simple(PL_T_OBSERVATION, "counsel was not present");
    assert_int_equal(w_say(&w, drawn, &obs, &obs_m), PL_OK);
    const pl_msg *cjoin = NULL;
    for (size_t i = 0; i < w.n && !cjoin; i++)
        if (memcmp(pl_msg_header(w.log[i])->author, pl_key_pk(w.k[W_C]), 32) == 0)
            cjoin = w.log[i];
    assert_non_null(cjoin);
    assert_int_equal(pl_msg_header(cjoin)->seq, 1);
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t n = w_fork_proof(&w, cjoin, proof);

    /* a log without the proof: the verdicts the draw reads */
    pl_case *free_ = pl_case_new(w.case_id);
    for (size_t i = 0; i < w.n; i++)
        assert_int_not_equal(pl_case_add(free_, w.log[i]), PL_E_NOMEM);
    assert_int_equal(w_add_proof(&w, proof, n), PL_OK);
#define AT(c, m) (size_t)pl_case_find((c), pl_msg_id(m))
    assert_int_equal(pl_case_verdict(w.c, AT(w.c, cjoin)), PL_E_EQUIVOCATED);
    assert_int_equal(pl_case_verdict(w.c, AT(w.c, creveal)), PL_E_EQUIVOCATED);
    assert_int_equal(pl_case_draw_side(w.c, AT(w.c, creveal)), PL_SIDE_DEFENSE);
    assert_int_equal(drawn_in(&w), drawn);
    assert_int_equal(pl_case_verdict(w.c, AT(w.c, join_m)), PL_OK);
    assert_int_equal(pl_case_verdict(w.c, AT(w.c, obs_m)), PL_OK);
    assert_int_equal(pl_case_verdict(w.c, AT(w.c, obs_m)),
                     pl_case_verdict(free_, AT(free_, obs_m)));
    pl_case_destroy(&free_);

    /* the proof first: the same verdicts, message by message */
    pl_case *c2 = pl_case_new(w.case_id);
    assert_int_equal(pl_case_add_proof(c2, proof, n), PL_OK);
    for (size_t i = 0; i < w.n; i++)
        assert_int_not_equal(pl_case_add(c2, w.log[i]), PL_E_NOMEM);
    for (size_t i = 0; i < w.n; i++)
        assert_int_equal(pl_case_verdict(c2, AT(c2, w.log[i])),
                         pl_case_verdict(w.c, AT(w.c, w.log[i])));
    uint8_t o2[32];
    assert_int_equal(pl_case_drawn_observer(c2, o2, NULL), 1);
    assert_memory_equal(o2, pl_key_pk(w.k[drawn]), 32);
#undef AT
    pl_case_destroy(&c2);
    w_free(&w);
}

static int verdict_in(pl_case *c, const pl_msg *m)
{
    long k = pl_case_find(c, pl_msg_id(m));
    return k < 0 ? 1 : pl_case_verdict(c, (size_t)k);
}

/* SPEC §13.13 *Standing joins*: whether a join stands is a fact of its
 * past. The victim forks its seq 2: one branch an opinion, the other a
 * rotation to the key counsel had rotated to (NEWC, which drew the
 * observer), in a past without counsel's rotation. A node holding that
 * branch and the proof and a node holding the other branch and the proof
 * agree on the observer's join and observation (a proof-free judging of
 * the whole log did not: the branch's rotation contested NEWC's seat). */
static void test_standing_join_same_on_both_branches_s13_13(void **state)
{
    (void)state;
    world w;
    w_init(&w, 1);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWC]), 32);
    pl_msg *vjoin = w.head[W_V];
    assert_int_equal(pl_msg_header(vjoin)->seq, 1);
    assert_int_equal(w_say(&w, W_C, &rot, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_OK);
    pl_msg *va;
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "victim speaks");
    assert_int_equal(w_say(&w, W_V, &op, &va), PL_OK);
    unsigned noV = W_ALL & ~W_BIT(W_V);
    assert_int_equal(w_draw(&w, W_P, W_NEWC, 1, 0x11, 0x22, noV, NULL, NULL), PL_OK);
    int drawn = drawn_in(&w);
    assert_true(drawn >= 0);
    pl_msg *ojoin, *obs;
    assert_int_equal(w_say_seeing(&w, drawn, &join, noV, &ojoin), PL_OK);
    pl_body ob = wb_simple(PL_T_OBSERVATION, "counsel was not present");
    assert_int_equal(w_say_seeing(&w, drawn, &ob, noV, &obs), PL_OK);
    size_t n_a = w.n;
    pl_msg *vb = w_sign_at(&w, W_V, vjoin, &rot, 0);
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t plen;
    assert_int_equal(pl_equiv_proof_build(va, vb, proof, sizeof proof, &plen), PL_OK);
    pl_case *b = pl_case_new(w.case_id);
    for (size_t i = 0; i < n_a; i++)
        if (w.log[i] != va)
            assert_int_not_equal(pl_case_add(b, w.log[i]), PL_E_NOMEM);
    assert_int_not_equal(pl_case_add(b, vb), PL_E_NOMEM);
    assert_int_equal(w_add_proof(&w, proof, plen), PL_OK);
    assert_int_equal(pl_case_add_proof(b, proof, plen), PL_OK);
    assert_int_equal(verdict_in(w.c, ojoin), PL_OK);
    assert_int_equal(verdict_in(w.c, obs), PL_OK);
    assert_int_equal(verdict_in(b, ojoin), PL_OK);
    assert_int_equal(verdict_in(b, obs), PL_OK);
    uint8_t oa[32], obk[32];
    assert_int_equal(pl_case_drawn_observer(w.c, oa, NULL), 1);
    assert_int_equal(pl_case_drawn_observer(b, obk, NULL), 1);
    assert_memory_equal(oa, obk, 32);
    pl_case_destroy(&b);
    w_free(&w);
}

/* SPEC §13.13 *Standing joins*: nothing of a proven equivocator counts
 * but a standing join's pair. After counsel's fork is proven, counsel
 * rotates to NEWC: the rotation is void, NEWC has no seat, its commitment
 * is PL_E_NOT_PARTICIPANT, and the prosecution's reveal against it is
 * refused (PL_E_DRAW): no round completes, no observer is drawn. */
static void test_standing_join_forked_key_seats_nobody_s13_13(void **state)
{
    (void)state;
    world w;
    w_init(&w, 1);
    pl_msg *cop;
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "counsel speaks");
    assert_int_equal(w_say(&w, W_C, &op, &cop), PL_OK);
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t n = w_fork_proof(&w, cop, proof);
    assert_int_equal(w_add_proof(&w, proof, n), PL_OK);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWC]), 32);
    assert_int_equal(w_say(&w, W_C, &rot, NULL), PL_E_EQUIVOCATED);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_E_NOT_PARTICIPANT);
    uint8_t rp[32], rd[32], cp[32], cd[32];
    memset(rp, 0x11, 32), memset(rd, 0x22, 32);
    pl_draw_commitment(rp, cp);
    pl_draw_commitment(rd, cd);
    pl_body pc = wb_draw(PL_T_DRAW_COMMIT, 1, cp), dc = wb_draw(PL_T_DRAW_COMMIT, 1, cd);
    pl_body pr = wb_draw(PL_T_DRAW_REVEAL, 1, rp), dr = wb_draw(PL_T_DRAW_REVEAL, 1, rd);
    assert_int_equal(w_say(&w, W_P, &pc, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWC, &dc, NULL), PL_E_NOT_PARTICIPANT);
    w.check_only = 1;
    assert_int_equal(w_say(&w, W_P, &pr, NULL), PL_E_DRAW);
    w.check_only = 0;
    assert_int_equal(w_say(&w, W_NEWC, &dr, NULL), PL_E_NOT_PARTICIPANT);
    assert_int_equal(drawn_in(&w), -1);
    w_free(&w);
}

/* SPEC §13.13 *Standing joins*, §13.9 F1, issue 18 §6, the attack as the
 * issue states it: the prosecution holds a spare key (X, seated by both
 * sides), draws with it, and the drawn citizen attests the victim's
 * unanswered opinion before the three sign without looking at it, so F1
 * holds the agreement back. The prosecution then forks X at its reveal.
 * Before version 2 the proof voided the draw, the attestation with it, and
 * the agreement became final over the unheard victim; now the observer's
 * join stands on its own past and the agreement stays pending until the
 * prosecution answers. */
static void test_standing_join_spare_key_keeps_f1_s13_13(void **state)
{
    (void)state;
    world w;
    w_init(&w, 1);
    pl_participant slot;
    memset(&slot, 0, sizeof slot);
    memcpy(slot.key, pl_key_pk(w.k[W_X]), 32);
    slot.role = PL_ROLE_PROSECUTION;
    slot.name = (char *)"assistant prosecutor";
    pl_body add = {.type = PL_T_PARTICIPANTS};
    add.u.participants.add = &slot;
    add.u.participants.nadd = 1;
    assert_int_equal(w_say(&w, W_P, &add, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &add, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_X, &join, NULL), PL_OK);
    pl_msg *xreveal;
    assert_int_equal(w_draw(&w, W_X, W_C, 1, 0x77, 0x88, W_ALL, &xreveal, NULL), PL_OK);
    int drawn = drawn_in(&w);
    assert_true(drawn >= 0);
    assert_int_equal(w_say(&w, drawn, &join, NULL), PL_OK);
    pl_msg *o = offer_made(&w), *op, *att_m;
    pl_body vo = wb_opinion(PL_TOPIC_FORGIVENESS, "I do not forgive; I ask to be heard.");
    assert_int_equal(w_say(&w, W_V, &vo, &op), PL_OK);
    pl_body att = wb_simple(PL_T_ATTESTATION, "heads verified");
    assert_int_equal(w_say(&w, drawn, &att, &att_m), PL_OK);
    pl_body sg = wb_sign(o);
    unsigned parties = W_BIT(W_P) | W_BIT(W_S) | W_BIT(W_C) | W_BIT(W_X);
    assert_int_equal(w_say_seeing(&w, W_P, &sg, parties, NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_S, &sg, parties, NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_C, &sg, parties, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING); /* F1: the victim is unheard */

    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t n = w_fork_proof(&w, xreveal, proof);
    assert_int_equal(w_add_proof(&w, proof, n), PL_OK);
    assert_int_equal(verdict_in(w.c, xreveal), PL_E_EQUIVOCATED);
    assert_int_equal(verdict_in(w.c, att_m), PL_OK);
    assert_int_equal(drawn_in(&w), drawn);
    expect_state(&w, PL_AGREEMENT_PENDING);
    pl_body r = wb_response(op, PL_DECISION_NOT_ADOPTED, "Heard; the recommendation stands because ...");
    assert_int_equal(w_say(&w, W_P, &r, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    w_free(&w);
}

/* SPEC §6.1, §6.2, §6.5, §13.4: the next header of a key is composed by
 * the library (what node.c, the CLI and the web app sign): the next seq
 * and prev of its own chain, the head of every other author ascending by
 * key, and a timestamp never before its own latest. */
static void test_next_header_s6_2(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_header h;
    const pl_msg *ph = w.head[W_P];
    assert_int_equal(pl_case_next_header(w.c, pl_key_pk(w.k[W_P]), PL_T_OPINION, 5, &h), PL_OK);
    assert_int_equal(h.version, PL_PROTOCOL_VERSION);
    assert_memory_equal(h.case_id, w.case_id, 32);
    assert_int_equal(h.type, PL_T_OPINION);
    assert_int_equal(h.seq, pl_msg_header(ph)->seq + 1);
    assert_true(h.has_prev);
    assert_memory_equal(h.prev, pl_msg_id(ph), 32);
    /* a clock behind the author's last message does not go back */
    assert_int_equal(h.timestamp_ms, pl_msg_header(ph)->timestamp_ms);
    size_t others = 0;
    for (int k = 0; k < W_NK; k++)
        if (k != W_P && w.head[k]) {
            others++;
            int found = 0;
            for (size_t r = 0; r < h.nrefs; r++)
                if (memcmp(h.refs[r].author, pl_key_pk(w.k[k]), 32) == 0) {
                    found = 1;
                    assert_int_equal(h.refs[r].seq, pl_msg_header(w.head[k])->seq);
                    assert_memory_equal(h.refs[r].id, pl_msg_id(w.head[k]), 32);
                }
            assert_true(found);
        }
    assert_int_equal(h.nrefs, others);
    for (size_t r = 1; r < h.nrefs; r++)
        assert_true(memcmp(h.refs[r - 1].author, h.refs[r].author, 32) < 0);
    /* signed as composed, it places: the case judges it by the rules */
    pl_body b = wb_simple(PL_T_CLOSE, "the prosecution closes");
    uint8_t body[256];
    size_t blen;
    assert_int_equal(pl_body_encode(&b, body, sizeof body, &blen), PL_OK);
    h.type = PL_T_CLOSE;
    pl_msg *m;
    assert_int_equal(pl_msg_sign(&h, body, blen, w.k[W_P], &m), PL_OK);
    assert_int_equal(pl_case_check(w.c, m), PL_OK);
    pl_msg_destroy(&m);
    /* a key with no message yet starts its chain */
    assert_int_equal(pl_case_next_header(w.c, pl_key_pk(w.k[W_X]), PL_T_JOIN, 7, &h), PL_OK);
    assert_int_equal(h.seq, 1);
    assert_false(h.has_prev);
    assert_int_equal(h.timestamp_ms, 7);
    assert_int_equal(pl_case_next_header(NULL, pl_key_pk(w.k[W_X]), PL_T_JOIN, 7, &h), PL_E_ARG);
    w_free(&w);
}

/* The keys of P, S, C, V and O, in that order: what pl_case_todo is asked
 * about. */
static void party_keys(world *w, uint8_t keys[5][PL_PK_BYTES])
{
    static const int who[5] = {W_P, W_S, W_C, W_V, W_O};
    for (int i = 0; i < 5; i++)
        memcpy(keys[i], pl_key_pk(w->k[who[i]]), 32);
}

/* The kinds pl_case_todo gives key k (an index into keys) about msg. */
static int has_todo(const pl_todo *t, size_t n, size_t k, pl_todo_kind kind, long msg)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].key == k && t[i].kind == kind && (msg < 0 || t[i].msg == (size_t)msg))
            return 1;
    return 0;
}

/* SPEC §13.8 R3, §13.12 R4, §13.9: what the rules expect of each party
 * now, from the library (pl_case_todo; `parley status` and the web app
 * render it): the prosecution answers the victim's opinion, which the
 * victim awaits; each defense key acknowledges a disclosure; once the
 * prosecution signed, the suspect signs in the fixed session and counsel
 * witnesses, while the prosecution awaits them. */
static void test_todo_s13_8(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    uint8_t keys[5][PL_PK_BYTES];
    party_keys(&w, keys);
    pl_msg *op, *dis;
    pl_body vo = wb_opinion(PL_TOPIC_COMPENSATION, "I ask for compensation.");
    assert_int_equal(w_say(&w, W_V, &vo, &op), PL_OK);
    pl_body d = wb_disclose();
    assert_int_equal(w_say(&w, W_P, &d, &dis), PL_OK);
    pl_todo t[64];
    size_t n;
    assert_int_equal(pl_case_todo(w.c, (const uint8_t(*)[PL_PK_BYTES])keys, 5, t, 64, &n), PL_OK);
    long iop = pl_case_find(w.c, pl_msg_id(op)), idis = pl_case_find(w.c, pl_msg_id(dis));
    assert_true(has_todo(t, n, 0, PL_TODO_ANSWER_INPUT, iop));
    assert_true(has_todo(t, n, 3, PL_TODO_AWAIT_ANSWER, iop));
    assert_true(has_todo(t, n, 1, PL_TODO_ACK_DISCLOSURE, idis));
    assert_true(has_todo(t, n, 2, PL_TODO_ACK_DISCLOSURE, idis));
    assert_false(has_todo(t, n, 3, PL_TODO_ACK_DISCLOSURE, idis));
    /* a short array: the count is still the whole */
    size_t n1;
    assert_int_equal(pl_case_todo(w.c, (const uint8_t(*)[PL_PK_BYTES])keys, 5, t, 1, &n1), PL_OK);
    assert_int_equal(n1, n);
    pl_body r = wb_response(op, PL_DECISION_PARTLY, "Compensation of 5000 yuan is in the terms.");
    assert_int_equal(w_say(&w, W_P, &r, NULL), PL_OK);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(pl_case_todo(w.c, (const uint8_t(*)[PL_PK_BYTES])keys, 5, t, 64, &n), PL_OK);
    long io = pl_case_find(w.c, pl_msg_id(o));
    assert_false(has_todo(t, n, 0, PL_TODO_ANSWER_INPUT, -1));
    assert_true(has_todo(t, n, 0, PL_TODO_AWAIT_SIGNATURES, io));
    assert_true(has_todo(t, n, 1, PL_TODO_SIGN_IN_SESSION, io));
    assert_true(has_todo(t, n, 2, PL_TODO_WITNESS, io));
    assert_int_equal(pl_case_todo(NULL, NULL, 0, NULL, 0, &n), PL_E_ARG);
    w_free(&w);
}

/* SPEC §13.14 R9: once a fork is proven, the forking author's messages from
 * that seq on count for nothing, and what depended on them falls. */
static void test_r9_equivocation_voids_s13_14(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w), *psig;
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, &psig), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    /* P also signed something else at the same seq: the proof arrives */
    pl_header h2;
    pl_msg_header_copy(psig, &h2);
    uint8_t body[] = {0x81, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0xa1, 'x'};
    h2.type = PL_T_CLOSE;
    pl_msg *fork;
    assert_int_equal(pl_msg_sign(&h2, body, sizeof body, w.k[W_P], &fork), PL_OK);
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t n;
    assert_int_equal(pl_equiv_proof_build(psig, fork, proof, sizeof proof, &n), PL_OK);
    assert_int_equal(w_add_proof(&w, proof, n), PL_OK);
    assert_int_equal(pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(psig))),
                     PL_E_EQUIVOCATED);
    expect_state(&w, PL_AGREEMENT_NONE);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.equivocations, 1);
    /* the offer before the fork still stands */
    assert_int_equal(pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o))), PL_OK);
    pl_msg_destroy(&fork);
    w_free(&w);
}

/* SPEC §13.15 R10, §13.16: the defense retracts a final agreement; a court
 * adjustment reopens it; either opens a new round where offers resume. */
static void test_r10_r11_retraction_and_rounds_s13_15(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_body rt = wb_simple(PL_T_RETRACT, "I withdraw my plea");
    assert_int_equal(w_say(&w, W_S, &rt, NULL), PL_E_NOT_FINAL);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &rt, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_S, &rt, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_RETRACTED);
    /* round 1: old signatures no longer count; a new agreement can form */
    pl_msg *o2;
    pl_body b2 = wb_offer(&w, DET, 2, 3, 4000, NULL);
    assert_int_equal(w_say(&w, W_P, &b2, &o2), PL_OK);
    assert_int_equal(pl_case_round(w.c, w.n - 1), 1);
    pl_body sg2 = wb_sign(o2);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_E_TARGET); /* last round's offer */
    assert_int_equal(w_say(&w, W_P, &sg2, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING); /* the new round has its own status */
    assert_int_equal(w_say(&w, W_S, &sg2, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg2, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    /* SPEC §13.16: the court asks to adjust; only the prosecution records
     * it, and (v2) the request alone changes nothing */
    pl_body adj = wb_simple(PL_T_COURT_ADJUST, "CPL art. 201: the court asks to adjust");
    assert_int_equal(w_say(&w, W_C, &adj, NULL), PL_E_ROLE);
    pl_msg *req;
    assert_int_equal(w_say(&w, W_P, &adj, &req), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.round, 1);
    assert_int_equal(st.court_request, pl_case_find(w.c, pl_msg_id(req)));
    /* the prosecution answers it by reopening, naming it: a new round */
    pl_body ro = wb_reopen(PL_REOPEN_COURT_REQUEST, req);
    assert_int_equal(w_say(&w, W_P, &ro, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_REOPENED); /* v2: not the suspect's retraction */
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.round, 2);
    assert_int_equal(st.court_request, -1);
    w_free(&w);
}

/* SPEC §13.16 (v2): the prosecution cannot un-finalize alone. A reopen
 * needs a final agreement, a ground, and names the court's request
 * exactly when that is its ground; a court request is declined by a
 * response, and the agreement stays final. */
static void test_reopen_s13_16(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_body ro = wb_reopen(PL_REOPEN_NEW_EVIDENCE, NULL);
    assert_int_equal(w_say(&w, W_P, &ro, NULL), PL_E_NOT_FINAL);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    w.check_only = 1;
    assert_int_equal(w_say(&w, W_C, &ro, NULL), PL_E_ROLE);
    pl_body bad = wb_reopen(PL_REOPEN_COURT_REQUEST, NULL); /* no request named */
    assert_int_equal(w_say(&w, W_P, &bad, NULL), PL_E_REOPEN);
    bad = wb_reopen(PL_REOPEN_NEW_FACTS, o); /* a request on another ground */
    assert_int_equal(w_say(&w, W_P, &bad, NULL), PL_E_REOPEN);
    bad = wb_reopen(PL_REOPEN_COURT_REQUEST, o); /* names what is not a court request */
    assert_int_equal(w_say(&w, W_P, &bad, NULL), PL_E_TARGET);
    assert_int_equal(w_say(&w, W_P, &ro, NULL), PL_OK); /* new evidence: it could */
    w.check_only = 0;
    /* the court asks; the prosecution declines with reasons: still final */
    pl_body adj = wb_simple(PL_T_COURT_ADJUST, "lower the fine");
    pl_msg *req;
    assert_int_equal(w_say(&w, W_P, &adj, &req), PL_OK);
    char *text;
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_non_null(strstr(text, "prosecution has not answered yet"));
    assert_non_null(strstr(text, "Court A asks to adjust the recommendation (CPL art. 201, clearly_improper)"));
    free(text);
    /* adopting the court's request is a reopen, not a response */
    pl_body yes = wb_response(req, PL_DECISION_ADOPTED, "We agree with the court.");
    w.check_only = 1;
    assert_int_equal(w_say(&w, W_P, &yes, NULL), PL_E_TARGET);
    w.check_only = 0;
    pl_body no = wb_response(req, PL_DECISION_NOT_ADOPTED, "The fine is within the range.");
    assert_int_equal(w_say(&w, W_P, &no, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.court_request, -1);
    /* a court adjustment by anyone else, or a body without a ground */
    static const uint8_t noground[] = {0x82, 0xa8, 'd', 'o', 'c', 'u', 'm', 'e', 'n', 't', 0xc4,
                                       0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
                                       32, 0xa4, 't', 'e', 'x', 't', 0xa1, 'x'};
    pl_body b;
    assert_int_equal(pl_body_decode(PL_T_COURT_ADJUST, noground, sizeof noground, &b), PL_E_BODY);
    w_free(&w);
}

/* SPEC §13.17 R12: recordings are anchored to a fixed session. */
static void test_r12_recording_anchor_s13_17(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *prop;
    pl_body p = wb_propose(1, 1);
    assert_int_equal(w_say(&w, W_P, &p, &prop), PL_OK);
    pl_body rec = wb_recording(prop);
    assert_int_equal(w_say(&w, W_P, &rec, NULL), PL_E_RECORDING); /* not fixed yet */
    pl_body acc = wb_ref(PL_T_SESSION_ACCEPT, prop);
    assert_int_equal(w_say(&w, W_C, &acc, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &rec, NULL), PL_OK);
    w_free(&w);
}

/* SPEC §13.2, §13.3: the charter comes first, is bound to the case id, and
 * only its participants take part, each after joining. */
static void test_charter_and_participation_s13_3(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_body o = wb_offer(&w, DET, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_X, &o, NULL), PL_E_NOT_PARTICIPANT);
    /* a second charter */
    pl_body ch = {.type = PL_T_CHARTER};
    pl_participant p = {.role = PL_ROLE_COUNSEL, .name = (char *)"x"};
    memcpy(p.key, pl_key_pk(w.k[W_C]), 32);
    ch.u.charter.participants = &p, ch.u.charter.nparticipants = 1;
    ch.u.charter.title = (char *)"another";
    assert_int_equal(w_say(&w, W_C, &ch, NULL), PL_E_CHARTER);
    w_free(&w);

    /* a message that never saw the charter */
    w_init(&w, 0);
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "hello");
    assert_int_equal(w_say_seeing(&w, W_NEWC, &op, 0, NULL), PL_E_NO_CHARTER);
    w_free(&w);
}

/* SPEC §13.18: the defense adds a new counsel; the prosecution consents by
 * signing the same change; the prosecution cannot add defense people. A
 * counsel seat (v2) also needs the suspect's own signature: the prosecution
 * and counsel together cannot seat a second counsel. */
static void test_participant_change_needs_both_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_participant add;
    pl_body ch = wb_add_counsel(&w, &add);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_P, &ch, NULL), PL_E_PARTICIPANTS); /* not P's people... */
    assert_int_equal(w_say(&w, W_C, &ch, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_E_NOT_PARTICIPANT); /* one side only */
    w_free(&w);

    w_init(&w, 0);
    ch = wb_add_counsel(&w, &add);
    assert_int_equal(w_say(&w, W_C, &ch, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &ch, NULL), PL_OK); /* ...but it may second it */
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_E_NOT_PARTICIPANT); /* no suspect yet */
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWC])), PL_ROLE_NONE);
    assert_int_equal(w_say(&w, W_S, &ch, NULL), PL_OK); /* the suspect retains counsel */
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWC])), PL_ROLE_COUNSEL);
    w_free(&w);
}

/* SPEC §13.18: a key rotation signed by the old key hands its role to the
 * new one, which joins; the old key is retired. */
static void test_key_rotation_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    assert_int_equal(w_say(&w, W_S, &rot, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWS, &join, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_S])), PL_ROLE_NONE);
    /* retired for good (a node stops serving it the case, issue 18 §6) */
    assert_true(pl_case_retired(w.c, pl_key_pk(w.k[W_S])));
    assert_false(pl_case_retired(w.c, pl_key_pk(w.k[W_NEWS])));
    assert_false(pl_case_retired(w.c, pl_key_pk(w.k[W_V])));
    assert_false(pl_case_retired(w.c, pl_key_pk(w.k[W_X]))); /* never named: not retired */
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "still me?");
    assert_int_equal(w_say(&w, W_S, &op, NULL), PL_E_NOT_PARTICIPANT);
    assert_int_equal(w_say(&w, W_NEWS, &op, NULL), PL_OK);
    w_free(&w);
}

/* SPEC §13.18: once every consent a replacement needs is in, the old
 * key's messages that no signer of the replacement had seen count for
 * nothing, even when they leave the replacement out of their references.
 * (A victim's key: the v1 rule of both sides still holds for it.) */
static void test_key_replacement_retires_old_key_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_body rep = wb_replace(&w, W_V, W_NEWV, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &rep, NULL), PL_OK);
    /* the "lost" key speaks, seeing nothing after its join */
    pl_body op = wb_opinion(PL_TOPIC_COMPENSATION, "I was not compensated.");
    pl_msg *late;
    assert_int_equal(w_say_seeing(&w, W_V, &op, 0, &late), PL_OK);
    assert_int_equal(pl_case_open_inputs(&w), 1); /* for now: one side only */
    assert_int_equal(w_say(&w, W_C, &rep, NULL), PL_OK); /* the defense seconds it */
    assert_int_equal(pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(late))),
                     PL_E_NOT_PARTICIPANT);
    assert_int_equal(pl_case_open_inputs(&w), 0);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWV, &join, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWV, &op, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWV])), PL_ROLE_VICTIM);
    w_free(&w);
}

/* SPEC §13.18 (v2): the suspect who lost a key gets the seat back under a
 * new key only with the prosecution's and counsel's signatures over a body
 * that names a fixed session and carries the new key's acceptance; the
 * replacement opens a new round, so the old round's signatures do not
 * combine with the new key's; the lost key's unseen messages are cut. */
static void test_suspect_key_replacement_in_session_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    pl_msg *sess = w_fixed_session(&w, W_C, W_P);
    /* without the session, or without the acceptance: not a seat change */
    pl_body bare = wb_replace(&w, W_S, W_NEWS, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &bare, NULL), PL_E_SEAT);
    pl_body unaccepted = wb_replace(&w, W_S, W_NEWS, sess, 0);
    assert_int_equal(w_say(&w, W_P, &unaccepted, NULL), PL_E_SEAT);
    /* an acceptance signed by another key than the new one */
    pl_body forged = wb_replace(&w, W_S, W_NEWS, sess, 1);
    pl_seat_accept_sign(w.k[W_X], w.case_id, pl_key_pk(w.k[W_S]), pl_msg_id(sess),
                        forged.u.key_replace.accept);
    assert_int_equal(w_say(&w, W_P, &forged, NULL), PL_E_SEAT);
    pl_body rep = wb_replace(&w, W_S, W_NEWS, sess, 1);
    assert_int_equal(w_say(&w, W_P, &rep, NULL), PL_OK);
    /* the lost key signs, seeing nothing after the prosecution's signature */
    pl_msg *late;
    assert_int_equal(w_say_seeing(&w, W_S, &sg, W_BIT(W_C), &late), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL); /* for now: the replacement lacks counsel */
    pl_msg *second;
    assert_int_equal(w_say_seeing(&w, W_C, &rep, W_BIT(W_P), &second), PL_OK);
    assert_int_equal(pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(late))),
                     PL_E_NOT_PARTICIPANT);
    assert_int_equal(pl_case_round(w.c, (size_t)pl_case_find(w.c, pl_msg_id(second))), 0);
    expect_state(&w, PL_AGREEMENT_NONE); /* round 1: nothing signed in it yet */
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWS, &join, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    /* the offer and its signatures are of the round before the replacement */
    assert_int_equal(w_say(&w, W_NEWS, &sg, NULL), PL_E_TARGET);
    pl_msg *o2;
    pl_body ob = wb_offer(&w, DET, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, &o2), PL_OK);
    assert_int_equal(pl_case_round(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o2))), 1);
    pl_body sg2 = wb_sign(o2);
    assert_int_equal(w_say(&w, W_P, &sg2, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWS, &sg2, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING);
    assert_int_equal(w_say(&w, W_C, &sg2, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    w_free(&w);
}

/* SPEC §13.18 (v2), R1: each pair of the three required parties tries to
 * act without the third. Prosecution + counsel cannot remove the suspect,
 * nor seat a suspect key without its acceptance, nor have a second counsel
 * sign for the suspect; and when they do seat a key of their own making, the
 * real suspect, still holding its key, voids the replacement by signing
 * anything that had seen it: the sham key's signature stops counting and
 * the suspect's retraction is valid. */
static void test_pair_prosecution_counsel_cannot_replace_suspect_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_body rm = {.type = PL_T_PARTICIPANTS};
    uint8_t gone[1][32];
    memcpy(gone[0], pl_key_pk(w.k[W_S]), 32);
    rm.u.participants.remove = gone, rm.u.participants.nremove = 1;
    assert_int_equal(w_say(&w, W_C, &rm, NULL), PL_E_PARTICIPANTS);
    assert_int_equal(w_say(&w, W_P, &rm, NULL), PL_E_PARTICIPANTS);
    /* a second counsel, seated by all three, cannot stand in for the suspect */
    pl_participant add;
    pl_body ch = wb_add_counsel(&w, &add);
    assert_int_equal(w_say(&w, W_C, &ch, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &ch, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &ch, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_OK);
    pl_msg *sess = w_fixed_session(&w, W_P, W_C);
    /* a counsel seat is the suspect's to give: a second counsel cannot
     * sign a replacement of the first in the suspect's place */
    pl_body swap = wb_replace(&w, W_C, W_X, sess, 1);
    assert_int_equal(w_say(&w, W_NEWC, &swap, NULL), PL_E_SEAT);
    /* the suspect's own key cannot sign its replacement (it rotates) */
    pl_body rep = wb_replace(&w, W_S, W_X, sess, 1);
    assert_int_equal(w_say_seeing(&w, W_S, &rep, 0, NULL), PL_E_SEAT);
    w_free(&w);

    w_init(&w, 0);
    pl_msg *o = offer_made(&w);
    sess = w_fixed_session(&w, W_P, W_C);
    rep = wb_replace(&w, W_S, W_X, sess, 1);
    /* the suspect is offline: it sees none of this */
    assert_int_equal(w_say(&w, W_P, &rep, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &rep, NULL), PL_OK);
    join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_X, &join, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_X])), PL_ROLE_SUSPECT);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_S])), PL_ROLE_NONE);
    pl_msg *o2, *xs;
    pl_body ob = wb_offer(&w, DET, 6, 0, 20000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, &o2), PL_OK);
    pl_body sg = wb_sign(o2);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_X, &sg, &xs), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL); /* a sham, until the suspect speaks */
    (void)o;
    /* the real suspect comes back and objects, having seen the replacement */
    pl_body obj = wb_opinion(PL_TOPIC_OTHER, "My key was never lost; I did not accept this.");
    pl_msg *objm;
    assert_int_equal(w_say(&w, W_S, &obj, &objm), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_S])), PL_ROLE_SUSPECT);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_X])), PL_ROLE_NONE);
    assert_int_equal(pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(xs))),
                     PL_E_NOT_PARTICIPANT);
    expect_state(&w, PL_AGREEMENT_PENDING);
    /* the suspect's answer obliges the prosecution (R3), as any opinion */
    assert_int_equal(pl_case_is_input(w.c, (size_t)pl_case_find(w.c, pl_msg_id(objm))), 1);
    w_free(&w);
}

/* SPEC §13.18, §13.21 (v2): the replaced key's own node can send its
 * objection (the check judges it as if the replacement were void); a key
 * that rotated cannot be replaced by others, nor its rotation cut; and the
 * objection protects a victim's key as well (no victim opinion, nor the
 * observer's attestation of it, is erased by replacing its author). */
static void test_objection_sendable_and_rotation_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *sess = w_fixed_session(&w, W_P, W_C);
    pl_body rep = wb_replace(&w, W_S, W_X, sess, 1);
    assert_int_equal(w_say(&w, W_P, &rep, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &rep, NULL), PL_OK);
    pl_body obj = wb_opinion(PL_TOPIC_OTHER, "I object: my key was never lost.");
    w.check_only = 1;
    assert_int_equal(w_say(&w, W_S, &obj, NULL), PL_OK); /* the node may send it */
    w.check_only = 0;
    assert_int_equal(w_say(&w, W_S, &obj, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_S])), PL_ROLE_SUSPECT);
    w_free(&w);

    /* the suspect rotated; prosecution and counsel replace the old key */
    w_init(&w, 0);
    sess = w_fixed_session(&w, W_P, W_C); /* before the rotation, which P and C leave out */
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    assert_int_equal(w_say(&w, W_S, &rot, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWS, &join, NULL), PL_OK);
    rep = wb_replace(&w, W_S, W_X, sess, 1);
    unsigned pc = W_BIT(W_P) | W_BIT(W_C);
    assert_int_equal(w_say_seeing(&w, W_P, &rep, pc, NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_C, &rep, pc, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_X])), PL_ROLE_NONE);
    w_free(&w);

    /* prosecution and counsel replace the victim's key over its opinion */
    w_init(&w, 0);
    pl_msg *op;
    pl_body vo = wb_opinion(PL_TOPIC_COMPENSATION, "Hear me.");
    assert_int_equal(w_say(&w, W_V, &vo, &op), PL_OK);
    rep = wb_replace(&w, W_V, W_X, NULL, 0);
    assert_int_equal(w_say_seeing(&w, W_P, &rep, pc, NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_C, &rep, pc, NULL), PL_OK);
    assert_int_equal(pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(op))),
                     PL_E_NOT_PARTICIPANT);
    pl_body vo2 = wb_opinion(PL_TOPIC_OTHER, "I am still here.");
    assert_int_equal(w_say(&w, W_V, &vo2, NULL), PL_OK); /* the objection */
    assert_int_equal(pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(op))), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_V])), PL_ROLE_VICTIM);
    w_free(&w);
}

/* SPEC §13.18: a rotation by the old key voids a replacement of it also
 * when it arrives after the replacement (the log is judged again), and a
 * replacement that the retired key writes itself, flagged, lifts no cut. */
static void test_objection_order_and_self_replace_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *sess = w_fixed_session(&w, W_P, W_C);
    pl_body rep = wb_replace(&w, W_S, W_X, sess, 1);
    unsigned pc = W_BIT(W_P) | W_BIT(W_C);
    assert_int_equal(w_say_seeing(&w, W_P, &rep, pc, NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_C, &rep, pc, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    pl_msg *xj;
    assert_int_equal(w_say(&w, W_X, &join, &xj), PL_OK);
    /* the suspect's concurrent rotation, arriving last */
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    assert_int_equal(w_say_seeing(&w, W_S, &rot, 0, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_X])), PL_ROLE_NONE);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    assert_int_equal(pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(xj))),
                     PL_E_NOT_PARTICIPANT);
    w_free(&w);

    /* counsel dismissed by the suspect and the prosecution */
    w_init(&w, 0);
    uint8_t gone[1][32];
    memcpy(gone[0], pl_key_pk(w.k[W_C]), 32);
    pl_body rm = {.type = PL_T_PARTICIPANTS};
    rm.u.participants.remove = gone, rm.u.participants.nremove = 1;
    unsigned ps = W_BIT(W_P) | W_BIT(W_S);
    assert_int_equal(w_say_seeing(&w, W_S, &rm, ps, NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_P, &rm, ps, NULL), PL_OK);
    /* it writes a replacement of itself (flagged), then speaks as if
     * nothing happened */
    pl_body self = wb_replace(&w, W_C, W_X, NULL, 0);
    assert_int_equal(w_say_seeing(&w, W_C, &self, 0, NULL), PL_E_NOT_PARTICIPANT);
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "still counsel?");
    w.check_only = 1;
    assert_int_equal(w_say_seeing(&w, W_C, &op, 0, NULL), PL_E_NOT_PARTICIPANT);
    w.check_only = 0;
    assert_int_equal(w_say_seeing(&w, W_C, &op, 0, NULL), PL_E_NOT_PARTICIPANT);
    w_free(&w);
}

/* SPEC §13.22: acts are not counted, but their bytes have a budget of
 * their own: long responses cannot grow a case without bound. */
static void test_quota_act_bytes_s13_22(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    static char big[60001];
    memset(big, 'r', sizeof big - 1);
    int refused = 0;
    for (int i = 0; i < 300 && !refused; i++) {
        pl_msg *op;
        pl_body vo = wb_opinion(PL_TOPIC_OTHER, "an input");
        assert_int_equal(w_say(&w, W_V, &vo, &op), PL_OK);
        pl_body r = wb_response(op, PL_DECISION_PARTLY, big);
        int rc = w_say(&w, W_P, &r, NULL);
        if (rc == PL_E_QUOTA)
            refused = i;
        else
            assert_int_equal(rc, PL_OK);
    }
    /* 16 MiB of 60 KB responses: about 279 acts */
    assert_in_range(refused, 270, 290);
    w_free(&w);
}

/* SPEC §13.18 (v2), R1: prosecution + suspect cannot replace counsel's key
 * without the new key's acceptance in a fixed session, nor over counsel's
 * objection; prosecution + counsel cannot seat another counsel without the
 * suspect; the two defense roles cannot touch a prosecution key alone. */
static void test_pairs_cannot_take_a_seat_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *sess = w_fixed_session(&w, W_P, W_S);
    pl_body bare = wb_replace(&w, W_C, W_NEWC, NULL, 0);
    assert_int_equal(w_say(&w, W_S, &bare, NULL), PL_E_SEAT);
    pl_body rep = wb_replace(&w, W_C, W_NEWC, sess, 1);
    assert_int_equal(w_say(&w, W_S, &rep, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &rep, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWC])), PL_ROLE_COUNSEL);
    /* counsel, still holding its key, objects: the replacement is void */
    pl_body obj = wb_opinion(PL_TOPIC_OTHER, "I still represent the suspect.");
    assert_int_equal(w_say(&w, W_C, &obj, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWC])), PL_ROLE_NONE);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_C])), PL_ROLE_COUNSEL);
    w_free(&w);

    /* prosecution + counsel: a counsel seat needs the suspect */
    w_init(&w, 0);
    pl_participant add;
    pl_body ch = wb_add_counsel(&w, &add);
    assert_int_equal(w_say(&w, W_C, &ch, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &ch, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWC])), PL_ROLE_NONE);
    w_free(&w);

    /* suspect + counsel: a prosecution key needs the prosecution */
    w_init(&w, 0);
    rep = wb_replace(&w, W_P, W_X, NULL, 0);
    assert_int_equal(w_say(&w, W_S, &rep, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &rep, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_X])), PL_ROLE_NONE);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_P])), PL_ROLE_PROSECUTION);
    w_free(&w);
}

/* SPEC §13.18: a key retired before any of its messages was seen counts for
 * nothing, whichever arrives first: the retirement or the key's join. */
static void test_retired_key_without_messages_s13_18(void **state)
{
    (void)state;
    for (int order = 0; order < 2; order++) {
        world w;
        w_init(&w, 0);
        pl_participant add;
        pl_body ch = wb_add_counsel(&w, &add);
        assert_int_equal(w_say(&w, W_C, &ch, NULL), PL_OK);
        assert_int_equal(w_say(&w, W_P, &ch, NULL), PL_OK);
        assert_int_equal(w_say(&w, W_S, &ch, NULL), PL_OK);
        /* counsel has seen the change; the new counsel will see only that */
        pl_body op = wb_opinion(PL_TOPIC_OTHER, "noted");
        assert_int_equal(w_say(&w, W_C, &op, NULL), PL_OK);
        /* the prosecution and the suspect replace the new counsel's key
         * before it said anything, in a session its successor attends */
        pl_msg *sess = w_fixed_session(&w, W_P, W_S);
        pl_body rep = wb_replace(&w, W_NEWC, W_NEWV, sess, 1);
        assert_int_equal(w_say_seeing(&w, W_S, &rep, W_BIT(W_P) | W_BIT(W_C), NULL), PL_OK);
        pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
        pl_msg *j;
        if (order == 0) {
            /* the retirement first: no message of the old key is held yet */
            assert_int_equal(w_say_seeing(&w, W_P, &rep, W_BIT(W_C) | W_BIT(W_S), NULL), PL_OK);
            (void)!w_say_seeing(&w, W_NEWC, &join, W_BIT(W_C), &j);
        } else {
            /* the join first, valid until the retirement completes */
            assert_int_equal(w_say_seeing(&w, W_NEWC, &join, W_BIT(W_C), &j), PL_OK);
            assert_int_equal(w_say_seeing(&w, W_P, &rep, W_BIT(W_C) | W_BIT(W_S), NULL), PL_OK);
        }
        assert_int_equal(pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(j))),
                         PL_E_NOT_PARTICIPANT);
        w_free(&w);
    }
}

/* SPEC §13.3: a join refused because it came too early (before the change
 * that adds the key was seconded) can be sent again. */
static void test_join_again_after_early_join_s13_3(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_participant add;
    pl_body ch = wb_add_counsel(&w, &add);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_C, &ch, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_E_NOT_PARTICIPANT);
    assert_int_equal(w_say(&w, W_P, &ch, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &ch, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_OK);
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "new counsel speaking");
    assert_int_equal(w_say(&w, W_NEWC, &op, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_E_NOT_JOINED); /* only once */
    w_free(&w);
}

/* SPEC §13.19: the same messages delivered in many orders give the same
 * verdict on every message and the same status. */
static void test_order_independent_state_s13_19(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w), *op, *co;
    pl_body opinion = wb_opinion(PL_TOPIC_SENTENCE, "Clean record.");
    assert_int_equal(w_say_seeing(&w, W_C, &opinion, W_BIT(W_S), &op), PL_OK);
    pl_body cb = wb_offer(&w, DET, 2, 4, 3000, o);
    assert_int_equal(w_say(&w, W_C, &cb, &co), PL_OK);
    pl_body vop = wb_opinion(PL_TOPIC_FORGIVENESS, "Forgives.");
    assert_int_equal(w_say_seeing(&w, W_V, &vop, W_BIT(W_P), NULL), PL_OK);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say_seeing(&w, W_P, &sg, W_BIT(W_S), NULL), PL_OK); /* before the inputs */
    pl_body r = wb_response(op, PL_DECISION_NOT_ADOPTED, "no");
    assert_int_equal(w_say(&w, W_P, &r, NULL), PL_OK);
    /* v2: the defense signs over the counter-offer and the victim's
     * opinion, both unanswered: flagged (SPEC §13.9 step 9) */
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_E_UNANSWERED);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_E_UNANSWERED);
    pl_body late = wb_offer(&w, DET, 2, 3, 4000, NULL);
    (void)!w_say(&w, W_P, &late, NULL); /* flagged either way */
    pl_case_status ref;
    pl_case_status_get(w.c, &ref);

    unsigned seed = 99;
    for (int round = 0; round < 100; round++) {
        /* shuffle, then feed through the verifier, which hands messages to
         * the case in an order that respects causality */
        pl_msg *sh[1024];
        memcpy(sh, w.log, w.n * sizeof *sh);
        for (size_t i = w.n - 1; i > 0; i--) {
            seed = seed * 1103515245u + 12345u;
            size_t j = (seed >> 16) % (i + 1);
            pl_msg *t = sh[i];
            sh[i] = sh[j], sh[j] = t;
        }
        pl_verifier *v = pl_verifier_new(w.case_id, NULL);
        pl_case *c2 = pl_case_new(w.case_id);
        size_t n = 0;
        /* accepted order = the order the verifier first reports acceptance:
         * replay by repeatedly adding whatever has its predecessors in c2 */
        for (size_t i = 0; i < w.n; i++) {
            size_t len;
            const uint8_t *b = pl_msg_bytes(sh[i], &len);
            assert_int_equal(pl_verifier_add(v, b, len), PL_OK);
        }
        assert_int_equal(pl_verifier_finish(v), PL_OK);
        int progress = 1;
        int added[1024] = {0};
        while (progress) {
            progress = 0;
            for (size_t i = 0; i < w.n; i++) {
                if (added[i])
                    continue;
                int rc = pl_case_add(c2, sh[i]);
                if (rc == PL_E_UNRESOLVED)
                    continue;
                added[i] = 1, progress = 1;
                n++;
            }
        }
        assert_int_equal(n, w.n);
        for (size_t i = 0; i < w.n; i++) {
            long j = pl_case_find(c2, pl_msg_id(w.log[i]));
            assert_true(j >= 0);
            assert_int_equal(pl_case_verdict(c2, (size_t)j), w.verdict[i]);
        }
        pl_case_status st;
        pl_case_status_get(c2, &st);
        assert_int_equal(st.state, ref.state);
        assert_int_equal(st.open_inputs, ref.open_inputs);
        assert_int_equal(st.violations, ref.violations);
        pl_case_destroy(&c2);
        pl_verifier_destroy(&v);
    }
    w_free(&w);
}

/* SPEC §13.5: bodies are strict: unknown keys, missing keys and wrong types
 * are PL_E_BODY; encode and decode agree. */
static void test_body_schema_s13_5(void **state)
{
    (void)state;
    pl_body b;
#define STAGE 0xa5, 's', 't', 'a', 'g', 'e', 0xa6, 'r', 'e', 'v', 'i', 'e', 'w'
    static const uint8_t unknown[] = {0x83, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0xa1, 'x',
                                      STAGE, 0xa4, 'z', 'z', 'z', 'z', 0xc0};
    assert_int_equal(pl_body_decode(PL_T_RETRACT, unknown, sizeof unknown, &b), PL_E_BODY);
    static const uint8_t empty[] = {0x80};
    assert_int_equal(pl_body_decode(PL_T_RETRACT, empty, sizeof empty, &b), PL_E_BODY);
    static const uint8_t wrongtype[] = {0x82, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0x01, STAGE};
    assert_int_equal(pl_body_decode(PL_T_RETRACT, wrongtype, sizeof wrongtype, &b), PL_E_BODY);
    static const uint8_t nul[] = {0x82, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0xa1, 0x00, STAGE};
    assert_int_equal(pl_body_decode(PL_T_RETRACT, nul, sizeof nul, &b), PL_E_BODY);
    /* SPEC §13.15 (v2): the stage is required, and one of two words */
    static const uint8_t nostage[] = {0x81, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0xa1, 'x'};
    assert_int_equal(pl_body_decode(PL_T_RETRACT, nostage, sizeof nostage, &b), PL_E_BODY);
    static const uint8_t badstage[] = {0x82, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0xa1, 'x',
                                       0xa5, 's', 't', 'a', 'g', 'e', 0xa6, 'a', 'p', 'p', 'e', 'a', 'l'};
    assert_int_equal(pl_body_decode(PL_T_RETRACT, badstage, sizeof badstage, &b), PL_E_BODY);
    static const uint8_t ok[] = {0x82, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0xa1, 'x', STAGE};
#undef STAGE
    assert_int_equal(pl_body_decode(PL_T_RETRACT, ok, sizeof ok, &b), PL_OK);
    uint8_t out[64];
    size_t n;
    assert_int_equal(pl_body_encode(&b, out, sizeof out, &n), PL_OK);
    assert_int_equal(n, sizeof ok);
    assert_memory_equal(out, ok, n);
    pl_body_free(&b);
    pl_body_free(&b); /* safe twice */
    /* the encoder refuses what a receiver would */
    pl_body r = wb_opinion(PL_TOPIC_FACTS, "");
    assert_int_equal(pl_body_encode(&r, out, sizeof out, &n), PL_E_BODY);
}

/* A complete Case 1 negotiation up to the observer's attestation. */
static void case1_final(world *w)
{
    pl_msg *d, *prop, *o, *co, *op;
    pl_body dis = wb_disclose();
    assert_int_equal(w_say(w, W_P, &dis, &d), PL_OK);
    pl_body ack = wb_ref(PL_T_DISCLOSE_ACK, d);
    assert_int_equal(w_say(w, W_C, &ack, NULL), PL_OK);
    pl_body p = wb_propose(1, 0);
    assert_int_equal(w_say(w, W_C, &p, &prop), PL_OK);
    pl_body acc = wb_ref(PL_T_SESSION_ACCEPT, prop);
    assert_int_equal(w_say(w, W_P, &acc, NULL), PL_OK);
    pl_body b1 = wb_offer(w, DET, 3, 0, 5000, NULL);
    assert_int_equal(w_say(w, W_P, &b1, &o), PL_OK);
    pl_body b2 = wb_offer(w, DET, 2, 4, 3000, o);
    assert_int_equal(w_say(w, W_C, &b2, &co), PL_OK);
    pl_body vo = wb_opinion(PL_TOPIC_FORGIVENESS, "No injury; no objection to leniency.");
    assert_int_equal(w_say(w, W_V, &vo, &op), PL_OK);
    pl_body r1 = wb_response(co, PL_DECISION_PARTLY, "Probation accepted; fine 4,000 yuan.");
    pl_body r2 = wb_response(op, PL_DECISION_ADOPTED, "Noted.");
    assert_int_equal(w_say(w, W_P, &r1, NULL), PL_OK);
    assert_int_equal(w_say(w, W_P, &r2, NULL), PL_OK);
    pl_msg *fin;
    pl_body b3 = wb_offer(w, DET, 2, 3, 4000, co);
    assert_int_equal(w_say(w, W_P, &b3, &fin), PL_OK);
    pl_body sg = wb_sign(fin);
    assert_int_equal(w_say(w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(w, W_C, &sg, NULL), PL_OK);
    pl_body att = wb_simple(PL_T_ATTESTATION, "all heads verified");
    assert_int_equal(w_say(w, W_O, &att, NULL), PL_OK);
}

/* SPEC §16.1, §16.3: the certificate of a final agreement verifies alone,
 * shows what R3 and R7 looked like, and any damage makes it fail. */
static void test_certificate_s16_3(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    uint8_t *cert;
    size_t n;
    assert_int_equal(pl_cert_build(w.c, &cert, &n), PL_E_NOT_FINAL);
    case1_final(&w);
    assert_int_equal(pl_cert_build(w.c, &cert, &n), PL_OK);
    pl_cert_report r;
    assert_int_equal(pl_cert_verify(cert, n, &r), PL_OK);
    assert_true(r.valid);
    assert_true(r.attestation >= 0);
    assert_int_equal(r.inputs_seen, 2);
    assert_int_equal(r.inputs_answered, 2);
    assert_int_equal(r.disclosures, 1);
    assert_int_equal(r.disclosures_acknowledged, 1);
    assert_int_equal(pl_case_msg_role(r.c, (size_t)r.sign_suspect), PL_ROLE_SUSPECT);
    pl_cert_report_free(&r);
    pl_cert_report_free(&r); /* safe twice */

    /* damage: every 5th byte flipped, and truncations */
    uint8_t *d = malloc(n);
    for (size_t i = 0; i < n; i += 5) {
        memcpy(d, cert, n);
        d[i] ^= 0x20;
        if (pl_cert_verify(d, n, &r) == PL_OK)
            fail_msg("byte %zu flipped and the certificate still verifies", i);
        assert_false(r.valid);
        pl_cert_report_free(&r);
    }
    for (size_t len = 0; len < n; len += 97) {
        assert_int_not_equal(pl_cert_verify(cert, len, &r), PL_OK);
        pl_cert_report_free(&r);
    }
    free(d);
    free(cert);
    w_free(&w);
}

/* SPEC §16.3: a certificate whose claim is not a final agreement fails:
 * here the suspect's and counsel's claimed signatures are swapped. */
static void test_certificate_claim_checked_s16_3(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    case1_final(&w);
    uint8_t *cert;
    size_t n;
    assert_int_equal(pl_cert_build(w.c, &cert, &n), PL_OK);
    /* the claim starts after magic and case id: 94 c4 20 <p> c4 20 <s> c4 20 <c> */
    size_t o = PL_CERT_MAGIC_BYTES + PL_CASE_ID_BYTES;
    assert_int_equal(cert[o], 0x94);
    uint8_t t[32];
    memcpy(t, cert + o + 1 + 34 + 2, 32);
    memcpy(cert + o + 1 + 34 + 2, cert + o + 1 + 68 + 2, 32);
    memcpy(cert + o + 1 + 68 + 2, t, 32);
    pl_cert_report r;
    assert_int_equal(pl_cert_verify(cert, n, &r), PL_E_CERT);
    pl_cert_report_free(&r);
    free(cert);
    w_free(&w);
}

/* Issue 17 (SPEC §14.12 *Cases in memory*): a lean case keeps no bytes,
 * references or texts, judges as the full one (the world's twin checks
 * that for every test), and refuses what would need them. */
static void test_lean_case_keeps_what_rules_read(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    case1_final(&w);
    size_t n = pl_case_count(w.lean), offers = 0, opinions = 0;
    assert_int_equal(n, pl_case_count(w.c));
    for (size_t i = 0; i < n; i++) {
        pl_case_msg_info mi, fi;
        assert_null(pl_case_msg(w.lean, i));
        assert_int_equal(pl_case_msg_info_get(w.lean, i, &mi), PL_OK);
        long j = pl_case_find(w.c, mi.id);
        assert_true(j >= 0);
        const pl_msg *full = pl_case_msg(w.c, (size_t)j);
        assert_int_equal(pl_case_msg_info_get(w.c, (size_t)j, &fi), PL_OK);
        assert_memory_equal(&mi, &fi, sizeof mi);
        size_t flen;
        assert_non_null(pl_msg_bytes(full, &flen));
        assert_int_equal(mi.len, flen);
        assert_int_equal(mi.seq, pl_msg_header(full)->seq);
        assert_int_equal(mi.type, pl_msg_header(full)->type);
        assert_int_equal(mi.timestamp_ms, pl_msg_header(full)->timestamp_ms);
        assert_memory_equal(mi.author, pl_msg_header(full)->author, PL_PK_BYTES);
        assert_memory_equal(mi.body_hash, pl_msg_header(full)->body_hash, PL_HASH_BYTES);
        const pl_body *b = pl_case_body(w.lean, i), *fb = pl_case_body(w.c, (size_t)j);
        if (b == NULL)
            continue;
        if (b->type == PL_T_OFFER) {
            offers++;
            assert_null(b->u.offer.terms);
            assert_non_null(fb->u.offer.terms);
            assert_memory_equal(b->u.offer.terms_hash, fb->u.offer.terms_hash, PL_HASH_BYTES);
        } else if (b->type == PL_T_OPINION) {
            opinions++;
            assert_null(b->u.opinion.text);
            assert_non_null(fb->u.opinion.text);
        }
    }
    assert_true(offers > 0 && opinions > 0);
    pl_case_msg_info past;
    assert_int_equal(pl_case_msg_info_get(w.lean, n, &past), PL_E_ARG);
    char *text;
    uint8_t *cert;
    size_t clen;
    assert_int_equal(pl_report_text(w.lean, &text), PL_E_ARG);
    assert_int_equal(pl_cert_build(w.lean, &cert, &clen), PL_E_ARG);
    assert_int_equal(pl_cert_build(w.c, &cert, &clen), PL_OK);
    free(cert);
    assert_int_equal(pl_case_flags(w.lean), PL_CASE_LEAN);
    assert_int_equal(pl_case_flags(w.c), 0);
    assert_null(pl_case_new_flags(w.case_id, 2));
    w_free(&w);
}

/* SPEC §17: the observer report says what happened: the agreement, every
 * input with its answer or UNANSWERED, sessions, violations with their rule. */
/* SPEC §17.2, §3.4: strings in messages may hold any character but U+0000;
 * the text form a person reads on a terminal shows peer text on one line
 * with nothing a terminal acts on, so a peer cannot recolour, retitle or
 * clear the screen, nor forge report lines; JSON keeps the text exactly. */
static void test_report_text_defangs_peer_strings_s17_2(void **state)
{
    (void)state;
    char s[] = "a\x1b[2Jb\r\nc\x7f\xc2\x9b" "31m\xe2\x80\xae" "evil\xe2\x81\xa9 \xe4\xb8\xad";
    pl_text_oneline(s);
    assert_string_equal(s, "a?[2Jb  c???31m???evil??? \xe4\xb8\xad"); /* 中 is kept */
    /* the marks and separators that reorder or break a line: LRM, RLM,
     * U+2028, U+2029, ALM; a neighbour (U+2010 hyphen) is kept */
    char m[] = "x\xe2\x80\x8ey\xe2\x80\x8fz\xe2\x80\xa8w\xe2\x80\xa9v\xd8\x9cu\xe2\x80\x90";
    pl_text_oneline(m);
    assert_string_equal(m, "x???y???z???w???v??u\xe2\x80\x90");
    world w;
    w_init(&w, 0);
    pl_body op = wb_opinion(PL_TOPIC_SENTENCE,
                            "fine\n\nVIOLATIONS\n  none\x1b]0;owned\x07");
    assert_int_equal(w_say(&w, W_C, &op, NULL), PL_OK);
    char *text, *json;
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_null(strchr(text, 0x1b));
    assert_null(strchr(text, 0x07));
    assert_non_null(strstr(text, "[sentence] fine  VIOLATIONS   none?]0;owned?"));
    /* one VIOLATIONS heading: the report's own */
    const char *v = strstr(text, "\nVIOLATIONS\n");
    assert_non_null(v);
    assert_null(strstr(v + 1, "\nVIOLATIONS\n"));
    assert_non_null(strstr(json, "fine\\u000a\\u000aVIOLATIONS\\u000a  none\\u001b]0;owned\\u0007"));
    free(text);
    free(json);
    w_free(&w);
}

static void test_observer_report_s17_2(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    case1_final(&w);
    pl_body op = wb_opinion(PL_TOPIC_PROCEDURE, "Counsel asks for the recording.");
    assert_int_equal(w_say(&w, W_C, &op, NULL), PL_OK);
    pl_body bad = wb_disclose();
    assert_int_equal(w_say(&w, W_S, &bad, NULL), PL_E_ROLE);
    char *text, *json;
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(text, "agreement   final"));
    assert_non_null(strstr(text, "-> partly_adopted after"));
    assert_non_null(strstr(text, "-> UNANSWERED"));
    assert_non_null(strstr(text, "PL_E_ROLE"));
    /* §13.11 (v2): both sides made the session public, the victim did not
     * say: not publicly observed until it consents */
    assert_null(strstr(text, "public observation yes"));
    pl_msg *sess = NULL;
    for (size_t i = 0; i < w.n && sess == NULL; i++) { /* case 1's public session */
        const pl_body *sb = pl_case_body(w.c, (size_t)pl_case_find(w.c, pl_msg_id(w.log[i])));
        if (pl_msg_header(w.log[i])->type == PL_T_SESSION_PROPOSE && sb && sb->u.session_propose.public_ok)
            sess = w.log[i];
    }
    assert_non_null(sess);
    pl_body vpub = {.type = PL_T_PUBLICITY};
    memcpy(vpub.u.publicity.proposal, pl_msg_id(sess), 32);
    vpub.u.publicity.public_ok = 1;
    assert_int_equal(w_say(&w, W_V, &vpub, NULL), PL_OK);
    free(text);
    free(json);
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(text, "public observation yes"));
    assert_non_null(strstr(text, "the victim consents to public observation of the session"));
    assert_non_null(strstr(json, "\"state\":\"final\""));
    assert_non_null(strstr(json, "\"answered\":false"));
    assert_non_null(strstr(json, "\"code\":\"PL_E_ROLE\",\"section\":\"13.1\""));
    assert_non_null(strstr(json, "\"open_inputs\":1"));
    free(text);
    free(json);
    w_free(&w);
}

/* A hand-made certificate: the claim (att may be NULL) and the messages
 * of w's log whose index has keep[i] set (all when keep is NULL), in log
 * order, or with the first two kept swapped when swap. */
static uint8_t *hand_cert(world *w, const pl_msg *claim[4], const char *keep, int swap, size_t *len)
{
    size_t cap = 1 << 20, n = 0;
    uint8_t *cert = malloc(cap);
    memcpy(cert, PL_CERT_MAGIC, PL_CERT_MAGIC_BYTES), n += PL_CERT_MAGIC_BYTES;
    memcpy(cert + n, w->case_id, 32), n += 32;
    cert[n++] = 0x94;
    for (int i = 0; i < 4; i++) {
        if (claim[i] == NULL) {
            cert[n++] = 0xc0;
            continue;
        }
        cert[n++] = 0xc4, cert[n++] = 32;
        memcpy(cert + n, pl_msg_id(claim[i]), 32), n += 32;
    }
    size_t idx[W_LOG_MAX], m = 0;
    for (size_t i = 0; i < w->n; i++)
        if (keep == NULL || keep[i])
            idx[m++] = i;
    if (swap && m >= 2) {
        size_t t = idx[0];
        idx[0] = idx[1], idx[1] = t;
    }
    for (size_t i = 0; i < m; i++) {
        size_t l;
        const uint8_t *b = pl_msg_bytes(w->log[idx[i]], &l);
        memcpy(cert + n, b, l), n += l;
    }
    *len = n;
    return cert;
}

/* The messages of w's log that are x or in its past, for each x given. */
static void past_of(world *w, const pl_msg *const *xs, size_t nx, char *keep)
{
    memset(keep, 0, w->n);
    for (size_t k = 0; k < nx; k++) {
        if (xs[k] == NULL)
            continue;
        long xi = pl_case_find(w->c, pl_msg_id(xs[k]));
        for (size_t i = 0; i < w->n; i++) {
            long ii = pl_case_find(w->c, pl_msg_id(w->log[i]));
            if (ii == xi || pl_case_saw(w->c, (size_t)xi, (size_t)ii))
                keep[i] = 1;
        }
    }
}

static const pl_msg *by_id_index(world *w, long i)
{
    return pl_case_msg(w->c, (size_t)i);
}

/* SPEC §16.1, §16.3 (v2): a certificate holds its claim's causal past and
 * nothing else, each message after its predecessors; a message outside
 * that past, or out of order, fails it. */
static void test_certificate_exact_contents_s16_1(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    case1_final(&w);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    pl_msg *later;
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "said after the attestation");
    assert_int_equal(w_say(&w, W_V, &op, &later), PL_OK);
    long att = -1;
    for (size_t i = 0; i < pl_case_count(w.c); i++)
        if (pl_msg_header(pl_case_msg(w.c, i))->type == PL_T_ATTESTATION)
            att = (long)i;
    const pl_msg *claim[4] = {by_id_index(&w, st.sign_prosecution), by_id_index(&w, st.sign_suspect),
                              by_id_index(&w, st.sign_counsel), by_id_index(&w, att)};
    char keep[W_LOG_MAX];
    past_of(&w, claim, 4, keep);
    size_t n;
    uint8_t *cert = hand_cert(&w, claim, keep, 0, &n);
    pl_cert_report r;
    assert_int_equal(pl_cert_verify(cert, n, &r), PL_OK); /* exactly the past: valid */
    pl_cert_report_free(&r);
    free(cert);
    keep[w.n - 1] = 1; /* and the later opinion */
    cert = hand_cert(&w, claim, keep, 0, &n);
    assert_int_equal(pl_cert_verify(cert, n, &r), PL_E_CERT);
    assert_non_null(strstr(r.detail, "not in the past of its claim"));
    pl_cert_report_free(&r);
    free(cert);
    keep[w.n - 1] = 0;
    cert = hand_cert(&w, claim, keep, 1, &n); /* the join before the charter */
    assert_int_equal(pl_cert_verify(cert, n, &r), PL_E_CERT);
    assert_non_null(strstr(r.detail, "before one of its predecessors"));
    pl_cert_report_free(&r);
    free(cert);
    w_free(&w);
}

/* SPEC §13.9 F0 (v2): counsel's signature is a witness, not a veto. The
 * suspect and counsel sign in one fixed session, counsel witnessing; a
 * counsel who disagrees still witnesses and names its dissent, which the
 * report shows. Without the witness, or in different sessions, nothing is
 * final; a suspect's witness, a session not fixed, or another's opinion
 * as dissent are refused. */
static void test_counsel_witnesses_s13_9(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    w.raw_sign = 1;
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    pl_body ss = sg;
    ss.u.sign.has_session = 1;
    memcpy(ss.u.sign.session, pl_msg_id(w.sign_session), 32);
    w.check_only = 1;
    pl_body bad = ss;
    bad.u.sign.witness = 1;
    assert_int_equal(w_say(&w, W_S, &bad, NULL), PL_E_PRESENCE); /* the suspect witnesses nothing */
    pl_msg *open;
    w.check_only = 0;
    pl_body pr = wb_propose(0, 0);
    assert_int_equal(w_say(&w, W_P, &pr, &open), PL_OK); /* proposed, never accepted */
    w.check_only = 1;
    bad = ss;
    memcpy(bad.u.sign.session, pl_msg_id(open), 32);
    assert_int_equal(w_say(&w, W_S, &bad, NULL), PL_E_PRESENCE); /* not fixed */
    w.check_only = 0;
    assert_int_equal(w_say(&w, W_S, &ss, NULL), PL_OK);
    /* counsel without its witness: valid, but not final */
    w.check_only = 1;
    assert_int_equal(w_say(&w, W_C, &ss, NULL), PL_OK);
    w.check_only = 0;
    pl_msg *vop, *cop;
    pl_body vo = wb_opinion(PL_TOPIC_SENTENCE, "Too lenient.");
    assert_int_equal(w_say(&w, W_V, &vo, &vop), PL_OK);
    pl_body ans = wb_response(vop, PL_DECISION_NOT_ADOPTED, "Within the range.");
    assert_int_equal(w_say(&w, W_P, &ans, NULL), PL_OK);
    pl_body co = wb_opinion(PL_TOPIC_SENTENCE, "Counsel thinks the fine too high.");
    assert_int_equal(w_say(&w, W_C, &co, &cop), PL_OK);
    pl_body ans2 = wb_response(cop, PL_DECISION_NOT_ADOPTED, "The fine stands.");
    assert_int_equal(w_say(&w, W_P, &ans2, NULL), PL_OK);
    pl_body ks = ss;
    ks.u.sign.witness = 1;
    ks.u.sign.has_dissent = 1;
    memcpy(ks.u.sign.dissent, pl_msg_id(vop), 32);
    w.check_only = 1;
    assert_int_equal(w_say(&w, W_C, &ks, NULL), PL_E_TARGET); /* the victim's, not counsel's */
    pl_body nowit = ss;
    assert_int_equal(w_say(&w, W_C, &nowit, NULL), PL_OK);
    w.check_only = 0;
    memcpy(ks.u.sign.dissent, pl_msg_id(cop), 32);
    assert_int_equal(w_say(&w, W_C, &ks, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    char *text, *json;
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(text, "counsel present and witnessing"));
    assert_non_null(strstr(text, "recording   NONE anchored for the signing session"));
    assert_non_null(strstr(text, "dissent     counsel witnessed but disagrees: Counsel thinks the fine too high."));
    assert_non_null(strstr(json, "\"witness\":true,\"recordings\":0,\"dissent\":\"Counsel thinks"));
    free(text);
    free(json);
    w_free(&w);

    /* counsel's signature without the witness, or in another session,
     * completes nothing */
    for (int variant = 0; variant < 2; variant++) {
        w_init(&w, 0);
        w.raw_sign = 1;
        pl_msg *o2 = offer_made(&w);
        pl_body s2 = wb_sign(o2);
        pl_msg *other = w_fixed_session(&w, W_C, W_P);
        assert_int_equal(w_say(&w, W_P, &s2, NULL), PL_OK);
        pl_body a = s2, k = s2;
        a.u.sign.has_session = k.u.sign.has_session = 1;
        memcpy(a.u.sign.session, pl_msg_id(w.sign_session), 32);
        memcpy(k.u.sign.session, pl_msg_id(variant ? other : w.sign_session), 32);
        k.u.sign.witness = variant;
        assert_int_equal(w_say(&w, W_S, &a, NULL), PL_OK);
        assert_int_equal(w_say(&w, W_C, &k, NULL), PL_OK);
        expect_state(&w, PL_AGREEMENT_PENDING);
        w_free(&w);
    }
}

/* ---- CASES.md as scenarios (issue 14) ---------------------------------------------- */

/* An offer of these terms (answering the offer answers, or none); with
 * speedy, the terms' procedure is made "speedy" in their canonical bytes,
 * which the encoder would refuse to write for a minor. The body points at
 * memory the world frees. */
static pl_body terms_offer(world *w, const pl_terms *t, const pl_msg *answers, int speedy);

/* The prosecution offers t (answering answers, or none), the three sign
 * it, and the agreement is final: the offer. */
static pl_msg *agree(world *w, const pl_terms *t, const pl_msg *answers)
{
    pl_msg *o;
    pl_body ob = terms_offer(w, t, answers, 0);
    assert_int_equal(w_say(w, W_P, &ob, &o), PL_OK);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(w, W_C, &sg, NULL), PL_OK);
    expect_state(w, PL_AGREEMENT_FINAL);
    return o;
}

/* Terms of one charge, all else zero: what each scenario starts from. */
static void one_charge(pl_terms *t, const char *article, const char *name, const char *facts)
{
    memset(t, 0, sizeof *t);
    t->ncharges = 1;
    snprintf(t->charges[0].article, sizeof t->charges[0].article, "%s", article);
    snprintf(t->charges[0].name, sizeof t->charges[0].name, "%s", name);
    snprintf(t->facts, sizeof t->facts, "%s", facts);
}

static pl_body terms_offer(world *w, const pl_terms *t, const pl_msg *answers, int speedy)
{
    uint8_t enc[PL_TERMS_MAX_BYTES];
    size_t n, o = 0;
    assert_int_equal(pl_terms_encode(t, enc, sizeof enc, &n), PL_OK);
    uint8_t *buf = malloc(PL_TERMS_MAX_BYTES);
    assert_non_null(buf);
    static const uint8_t from[] = "\xa9procedure\xa7summary", to[] = "\xa9procedure\xa6speedy";
    for (size_t i = 0; i < n; i++)
        if (speedy && i + sizeof from - 1 <= n && memcmp(enc + i, from, sizeof from - 1) == 0) {
            memcpy(buf + o, to, sizeof to - 1);
            o += sizeof to - 1, i += sizeof from - 2;
        } else {
            buf[o++] = enc[i];
        }
    w->blobs[w->nblobs++] = buf;
    pl_body b = {.type = PL_T_OFFER};
    b.u.offer.terms = buf;
    b.u.offer.terms_len = o;
    if (answers) {
        b.u.offer.has_answers = 1;
        memcpy(b.u.offer.answers, pl_msg_id(answers), 32);
    }
    pl_terms_hash(buf, o, b.u.offer.terms_hash);
    return b;
}

/* CASES.md, Case 4: theft by a minor. The prosecution offers detention 2
 * months, probation 3 months and a fine; the defense asks for a fine
 * alone citing minority, the return of the phone and the victim's
 * forgiveness; the victim forgives; the agreement is a fine alone of
 * 1,000 yuan in the summary procedure (SPEC §15.4 rows 15, 19, 20, 21).
 * On the way: an offer in the speedy procedure is flagged (kept, with no
 * effect), and terms naming the minor a recidivist are refused by the
 * encoder. (A duty lawyer witnessing a minor's agreement:
 * test_duty_lawyer_not_for_a_minor_s13_9.) */
static void test_cases_md_case4_minor_theft(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    static pl_participant mother;
    w_seat_guardian(&w, &mother); /* her mother, the legal representative (SPEC §13.26) */
    static pl_terms t;
    one_charge(&t, "264", "盗窃罪",
               "在校学生，十六周岁，盗窃同学手机一部，价值人民币三千二百元，当日退还。");
    t.minor = 1;
    t.procedure = PL_PROCEDURE_SUMMARY;
    t.penalty.kind = PL_PENALTY_DETENTION, t.penalty.min = t.penalty.max = 2;
    t.has_probation = 1, t.probation = 3;
    t.has_fine = 1, t.fine = 100000;
    t.grounds = PL_GROUND_CONFESSION | PL_GROUND_RESTITUTION;
    pl_msg *o1, *bad, *vop, *cop, *c1;
    /* the speedy procedure, for a minor: flagged, kept as evidence */
    pl_body sp = terms_offer(&w, &t, NULL, 1);
    assert_int_equal(w_say(&w, W_P, &sp, &bad), PL_E_TERMS_SPEEDY_EXCLUDED);
    pl_body ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o1), PL_OK);
    /* the victim (through her father) forgives; counsel asks for a fine alone */
    pl_body vo = wb_opinion(PL_TOPIC_SENTENCE, "我方已获退赔，谅解犯罪嫌疑人，请求从宽处理。");
    assert_int_equal(w_say(&w, W_V, &vo, &vop), PL_OK);
    pl_body co = wb_opinion(PL_TOPIC_SENTENCE, "犯罪时未满十八周岁，应当从轻（刑法第十七条）；请求单处罚金。");
    assert_int_equal(w_say(&w, W_C, &co, &cop), PL_OK);
    static pl_terms alone;
    alone = t;
    alone.penalty.kind = PL_PENALTY_ADDITIONAL, alone.penalty.min = alone.penalty.max = 0;
    alone.has_probation = 0, alone.probation = 0;
    alone.grounds |= PL_GROUND_FORGIVENESS;
    pl_body cb = terms_offer(&w, &alone, o1, 0);
    assert_int_equal(w_say(&w, W_C, &cb, &c1), PL_OK);
    /* the prosecution answers every input, then offers the fine alone */
    pl_body r1 = wb_response(vop, PL_DECISION_ADOPTED, "采纳：被害人已谅解。");
    pl_body r2 = wb_response(cop, PL_DECISION_ADOPTED, "采纳：未成年人犯罪，依法从轻。");
    pl_body r3 = wb_response(c1, PL_DECISION_ADOPTED, "采纳：单处罚金人民币一千元。");
    assert_int_equal(w_say(&w, W_P, &r1, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &r2, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &r3, NULL), PL_OK);
    static pl_terms rec;
    rec = alone;
    rec.recidivist = 1; /* unlawful: art. 65 excludes crimes under 18 */
    uint8_t enc[PL_TERMS_MAX_BYTES];
    size_t n;
    assert_int_equal(pl_terms_encode(&rec, enc, sizeof enc, &n), PL_E_TERMS_MINOR);
    /* the defender witnesses, her mother present and consenting (F0d) */
    pl_msg *fo;
    pl_body fob = terms_offer(&w, &alone, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &fob, &fo), PL_OK);
    pl_body fsg = wb_sign(fo);
    assert_int_equal(w_say(&w, W_P, &fsg, NULL), PL_OK);
    pl_body yes = wb_consent(&w, fo, 1, "本人作为法定代理人到场，同意。");
    assert_int_equal(w_say(&w, W_G, &yes, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &fsg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &fsg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_case_status fst;
    pl_case_status_get(w.c, &fst);
    assert_false(fst.no_statement);
    char text[PL_TERMS_TEXT_MAX];
    assert_int_equal(pl_terms_format(&alone, text, sizeof text), PL_OK);
    assert_non_null(strstr(text, "additional penalties alone, fine 1,000.00 yuan"));
    (void)bad;
    w_free(&w);
}

/* CASES.md, Case 3: intentional injury, minor injury (art. 234 para. 1).
 * A first session at the detention facility, recorded and anchored; a
 * range of 8-12 months offered; counsel asks for a determinate term and is
 * partly adopted; the victim first refuses forgiveness and demands 50,000
 * yuan, and the prosecution cannot sign over her unanswered opinion (R3);
 * compensation paid, she forgives; a second session, public with both
 * sides' consent, observed by a citizen the two sides drew from the pool
 * (R8: the world's pool is three citizens, CASES.md's seven); the agreement
 * is 8 months with 12 months' probation; counsel cannot withdraw the plea
 * for the suspect, the suspect can, and the plea statement is then void.
 * The payment and forgiveness are a settlement agreement counsel proposes
 * and the victim accepts (SPEC §13.25), so the certificate of the
 * agreement, which cites both grounds, warns of neither. */
static void test_cases_md_case3_injury(void **state)
{
    (void)state;
    world w;
    w_init(&w, 1);
    /* session 1, at the detention facility: flagged as such, recorded */
    pl_body p1 = wb_propose(0, 1);
    pl_msg *s1, *rec;
    assert_int_equal(w_say(&w, W_C, &p1, &s1), PL_OK);
    pl_body rec_early = wb_recording(s1);
    assert_int_equal(w_say(&w, W_P, &rec_early, NULL), PL_E_RECORDING); /* not fixed yet */
    pl_body a1 = wb_ref(PL_T_SESSION_ACCEPT, s1);
    assert_int_equal(w_say(&w, W_P, &a1, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &rec_early, &rec), PL_OK);
    assert_int_equal(pl_case_body(w.c, (size_t)pl_case_find(w.c, pl_msg_id(s1)))
                         ->u.session_propose.detention_facility, 1);
    /* a range: 8 to 12 months' imprisonment */
    static pl_terms t;
    one_charge(&t, "234", "故意伤害罪",
               "因琐事与被害人发生争执，拳击其面部，致轻伤二级。");
    t.procedure = PL_PROCEDURE_SUMMARY;
    t.grounds = PL_GROUND_CONFESSION;
    t.penalty.kind = PL_PENALTY_IMPRISONMENT, t.penalty.min = 8, t.penalty.max = 12;
    pl_msg *o1, *cop, *vop, *vcomp, *vforgive;
    pl_body ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o1), PL_OK);
    pl_body co = wb_opinion(PL_TOPIC_SENTENCE, "请求提出确定刑量刑建议：有期徒刑八个月，适用缓刑。");
    assert_int_equal(w_say(&w, W_C, &co, &cop), PL_OK);
    pl_body vo = wb_opinion(PL_TOPIC_FORGIVENESS, "不予谅解，请求判处实刑。");
    assert_int_equal(w_say(&w, W_V, &vo, &vop), PL_OK);
    pl_body vc = wb_opinion(PL_TOPIC_COMPENSATION, "请求赔偿医疗费、误工费等损失。");
    vc.u.opinion.has_amount = 1, vc.u.opinion.amount = 5000000; /* 50,000 yuan, in fen */
    assert_int_equal(w_say(&w, W_V, &vc, &vcomp), PL_OK);
    /* R3: the prosecution answers counsel, but not yet the victim: it
     * cannot sign, offer or close over her opinions */
    pl_body r1 = wb_response(cop, PL_DECISION_PARTLY, "部分采纳：同意提出确定刑，缓刑待赔偿后再议。");
    assert_int_equal(w_say(&w, W_P, &r1, NULL), PL_OK);
    pl_body sg1 = wb_sign(o1);
    assert_int_equal(w_say(&w, W_P, &sg1, NULL), PL_E_UNANSWERED);
    pl_body r2 = wb_response(vop, PL_DECISION_NOT_ADOPTED, "被害人意见已记录；是否谅解不影响认罪认罚的适用，但影响从宽幅度。");
    pl_body r3 = wb_response(vcomp, PL_DECISION_ADOPTED, "采纳：赔偿为从宽的前提。");
    assert_int_equal(w_say(&w, W_P, &r2, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &r3, NULL), PL_OK);
    /* paid; she forgives: a new input, answered too */
    pl_body vf = wb_opinion(PL_TOPIC_FORGIVENESS, "已收到赔偿款人民币五万元，对犯罪嫌疑人予以谅解。");
    assert_int_equal(w_say(&w, W_V, &vf, &vforgive), PL_OK);
    pl_body r4 = wb_response(vforgive, PL_DECISION_ADOPTED, "采纳：已赔偿并取得谅解，依法从宽。");
    assert_int_equal(w_say(&w, W_P, &r4, NULL), PL_OK);
    /* the settlement agreement (和解协议): counsel proposes, she accepts */
    pl_msg *sp;
    pl_body st1 = wb_settlement(PL_SETTLEMENT_AGREEMENT, 50000, 50000, 1, 3, NULL);
    assert_int_equal(w_say(&w, W_C, &st1, &sp), PL_OK);
    pl_body st2 = wb_settlement(PL_SETTLEMENT_AGREEMENT, 50000, 50000, 1, 3, sp);
    assert_int_equal(w_say(&w, W_V, &st2, NULL), PL_OK);
    /* session 2, public with both sides' consent; a citizen drawn from
     * the pool observes it */
    pl_body p2 = wb_propose(1, 0);
    pl_msg *s2;
    assert_int_equal(w_say(&w, W_P, &p2, &s2), PL_OK);
    pl_body a2 = wb_ref(PL_T_SESSION_ACCEPT, s2); /* public_ok: the defense consents */
    assert_int_equal(w_say(&w, W_C, &a2, NULL), PL_OK);
    assert_int_equal(w_drawn(&w), -1);
    assert_int_equal(w_draw(&w, W_P, W_C, 1, 0x31, 0x32, W_ALL, NULL, NULL), PL_OK);
    int drawn = w_drawn(&w);
    assert_true(drawn == W_O || drawn == W_Q1 || drawn == W_Q2);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, drawn, &join, NULL), PL_OK);
    for (int q = W_O; q <= W_Q2; q++) /* the others are no participants */
        if (q != drawn) {
            pl_body ob2 = wb_simple(PL_T_OBSERVATION, "旁听");
            assert_int_equal(w_say(&w, q, &ob2, NULL), PL_E_NOT_PARTICIPANT);
        }
    pl_body obs = wb_simple(PL_T_OBSERVATION, "第二次协商公开进行，双方均到场，被害人已谅解。");
    obs.u.observation.has_regarding = 1;
    memcpy(obs.u.observation.regarding, pl_msg_id(s2), 32);
    assert_int_equal(w_say(&w, drawn, &obs, NULL), PL_OK);
    /* the agreement: 8 months, probation 12 months */
    static pl_terms a;
    a = t;
    a.penalty.min = a.penalty.max = 8;
    a.has_probation = 1, a.probation = 12;
    a.grounds |= PL_GROUND_COMPENSATION | PL_GROUND_FORGIVENESS;
    (void)agree(&w, &a, NULL);
    uint8_t *cert;
    size_t clen;
    pl_cert_report cr;
    assert_int_equal(pl_cert_build(w.c, &cert, &clen), PL_OK);
    assert_int_equal(pl_cert_verify(cert, clen, &cr), PL_OK);
    assert_int_equal(cr.settlements_made, 1);
    assert_int_equal(cr.warnings, 0);
    pl_cert_report_free(&cr);
    free(cert);
    char text[PL_TERMS_TEXT_MAX];
    assert_int_equal(pl_terms_format_zh(&a, text, sizeof text), PL_OK);
    assert_non_null(strstr(text, "有期徒刑八个月"));
    assert_non_null(strstr(text, "缓刑一年"));
    /* counsel cannot withdraw the suspect's plea; the suspect can */
    pl_body rt = wb_simple(PL_T_RETRACT, "本人撤回认罪认罚。");
    assert_int_equal(w_say(&w, W_C, &rt, NULL), PL_E_ROLE);
    expect_state(&w, PL_AGREEMENT_FINAL);
    assert_int_equal(w_say(&w, W_S, &rt, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_RETRACTED);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    const char *meaning = pl_report_state_meaning(w.c, &st);
    assert_non_null(meaning);
    assert_non_null(strstr(meaning, "the plea statement is void"));
    (void)rec;
    w_free(&w);
}

/* SPEC §13.25: a settlement is made by the victim and the defense
 * together. Who may send one, what an acceptance must match, and what the
 * certificate and the report say of grounds without one. */
static void test_settlement_s13_25(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *vp, *cp, *acc, *o;
    /* step 1: the prosecution and the observer are no party to it */
    pl_body s = wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 1, NULL);
    assert_int_equal(w_say(&w, W_P, &s, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_O, &s, NULL), PL_E_ROLE);
    /* the victim proposes her letter: one party's word, not yet made */
    assert_int_equal(w_say(&w, W_V, &s, &vp), PL_OK);
    long vi = pl_case_find(w.c, pl_msg_id(vp)), by = 7;
    assert_int_equal(pl_case_settlement_made(w.c, (size_t)vi, &by), 0);
    assert_int_equal(by, -1);
    assert_int_equal(pl_case_settled(w.c), 0);
    assert_int_equal(pl_case_settlement_made(w.c, 0, NULL), -1); /* the charter */
    /* what waits: the defense keys may accept it; not the victim, nor
     * the prosecution or the observer (pl_case_todo) */
    uint8_t keys[5][PL_PK_BYTES];
    party_keys(&w, keys);
    pl_todo td[64];
    size_t ntd;
    assert_int_equal(pl_case_todo(w.c, (const uint8_t(*)[PL_PK_BYTES])keys, 5, td, 64, &ntd), PL_OK);
    assert_true(has_todo(td, ntd, 1, PL_TODO_ANSWER_SETTLEMENT, vi));
    assert_true(has_todo(td, ntd, 2, PL_TODO_ANSWER_SETTLEMENT, vi));
    for (size_t k = 0; k < 5; k++)
        if (k != 1 && k != 2)
            assert_false(has_todo(td, ntd, k, PL_TODO_ANSWER_SETTLEMENT, -1));
    /* step 2: accepts must name a valid settlement its author had seen */
    pl_body bad = wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 1, w.log[0]);
    assert_int_equal(w_say(&w, W_C, &bad, NULL), PL_E_TARGET);
    pl_body unseen = wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 1, vp);
    assert_int_equal(w_say_seeing(&w, W_S, &unseen, W_BIT(W_P), NULL), PL_E_TARGET);
    /* step 3: the same party cannot make it alone, and the acceptance
     * signs what was proposed, field by field */
    assert_int_equal(w_say(&w, W_V, &unseen, NULL), PL_E_SETTLEMENT);
    pl_body diff[5] = {wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 2, vp),
                       wb_settlement(PL_SETTLEMENT_AGREEMENT, 0, 0, 1, 1, vp),
                       wb_settlement(PL_SETTLEMENT_LETTER, 10, 0, 1, 1, vp),
                       wb_settlement(PL_SETTLEMENT_LETTER, 10, 10, 1, 1, vp),
                       wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 0, 1, vp)};
    for (int k = 0; k < 5; k++)
        assert_int_equal(w_say(&w, W_S, &diff[k], NULL), PL_E_SETTLEMENT);
    /* the suspect accepts: made, on both messages; forgiven, not compensated */
    assert_int_equal(w_say(&w, W_S, &unseen, &acc), PL_OK);
    long ai = pl_case_find(w.c, pl_msg_id(acc));
    assert_int_equal(pl_case_settlement_made(w.c, (size_t)vi, &by), 1);
    assert_int_equal(by, ai);
    assert_int_equal(pl_case_settlement_made(w.c, (size_t)ai, &by), 1);
    assert_int_equal(by, ai);
    assert_int_equal(pl_case_settled(w.c), PL_GROUND_FORGIVENESS);
    assert_int_equal(pl_case_todo(w.c, (const uint8_t(*)[PL_PK_BYTES])keys, 5, td, 64, &ntd), PL_OK);
    assert_false(has_todo(td, ntd, 2, PL_TODO_ANSWER_SETTLEMENT, vi)); /* made: nothing waits */
    /* an acceptance is not a proposal: accepting it is refused */
    pl_body again = wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 1, acc);
    assert_int_equal(w_say(&w, W_V, &again, NULL), PL_E_SETTLEMENT);
    /* counsel proposes a payment; counsel's own suspect cannot accept it */
    pl_body pay = wb_settlement(PL_SETTLEMENT_AGREEMENT, 20000, 5000, 0, 9, NULL);
    assert_int_equal(w_say(&w, W_C, &pay, &cp), PL_OK);
    pl_body same_side = wb_settlement(PL_SETTLEMENT_AGREEMENT, 20000, 5000, 0, 9, cp);
    assert_int_equal(w_say(&w, W_S, &same_side, NULL), PL_E_SETTLEMENT);

    /* an agreement that cites compensation and forgiveness: the record
     * shows the forgiveness only; the certificate stays valid and warns */
    static pl_terms t;
    one_charge(&t, "234", "故意伤害罪", "致被害人轻伤二级。");
    t.procedure = PL_PROCEDURE_SUMMARY;
    t.grounds = PL_GROUND_COMPENSATION | PL_GROUND_CONFESSION | PL_GROUND_FORGIVENESS;
    t.penalty.kind = PL_PENALTY_IMPRISONMENT, t.penalty.min = t.penalty.max = 8;
    o = agree(&w, &t, NULL);
    unsigned warn = 9;
    assert_int_equal(pl_case_settlement_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn),
                     PL_OK);
    assert_int_equal(warn, PL_GROUND_COMPENSATION);
    assert_int_equal(pl_case_settlement_warnings(w.c, 0, &warn), PL_E_ARG); /* not an offer */
    assert_int_equal(pl_case_settlement_warnings(w.lean, (size_t)pl_case_find(w.lean, pl_msg_id(o)),
                                                 &warn),
                     PL_E_ARG); /* a lean case keeps no terms */
    uint8_t *cert;
    size_t n;
    pl_cert_report r;
    assert_int_equal(pl_cert_build(w.c, &cert, &n), PL_OK);
    assert_int_equal(pl_cert_verify(cert, n, &r), PL_OK);
    assert_true(r.valid);
    assert_int_equal(r.warnings, PL_GROUND_COMPENSATION);
    assert_int_equal(r.settlements_made, 1);
    pl_cert_report_free(&r);
    free(cert);
    char *json, *text;
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(json, "\"warnings\":[\"compensation\"]"));
    assert_non_null(strstr(json, "\"kind\":\"letter\",\"agreed\":0,\"paid\":0,\"forgiveness\":true"));
    assert_non_null(strstr(json, "\"made\":false")); /* counsel's payment proposal */
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_non_null(strstr(text, "WARNING     the terms cite compensation"));
    assert_null(strstr(text, "WARNING     the terms cite the victim's forgiveness"));
    assert_non_null(strstr(text, "NOT ACCEPTED by the other party"));
    pl_free(json);
    pl_free(text);

    /* a party withdraws its own proposal: not the other party's, not an
     * acceptance, not the prosecution; an acceptance that had seen the
     * withdrawal is PL_E_WITHDRAWN, and nothing waits for it any more */
    pl_msg *vp2, *vw;
    pl_body s2 = wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 7, NULL);
    assert_int_equal(w_say(&w, W_V, &s2, &vp2), PL_OK);
    pl_body wd = {.type = PL_T_SETTLEMENT_WITHDRAW};
    memcpy(wd.u.settlement_withdraw.settlement, pl_msg_id(vp2), 32);
    wd.u.settlement_withdraw.reasons = (char *)"我不再谅解。";
    assert_int_equal(w_say(&w, W_P, &wd, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_C, &wd, NULL), PL_E_SETTLEMENT);
    pl_body wacc = wd;
    memcpy(wacc.u.settlement_withdraw.settlement, pl_msg_id(acc), 32);
    assert_int_equal(w_say(&w, W_V, &wacc, NULL), PL_E_TARGET); /* made: not withdrawn */
    /* a made settlement is not withdrawn: the letter the suspect accepted */
    pl_body wmade = wd;
    memcpy(wmade.u.settlement_withdraw.settlement, pl_msg_id(vp), 32);
    assert_int_equal(w_say(&w, W_V, &wmade, NULL), PL_E_SETTLEMENT);
    assert_int_equal(w_say(&w, W_V, &wd, &vw), PL_OK);
    assert_int_equal(pl_case_settlement_withdrawn(w.c, (size_t)pl_case_find(w.c, pl_msg_id(vp2))), 1);
    pl_body late2 = wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 7, vp2);
    assert_int_equal(w_say(&w, W_S, &late2, NULL), PL_E_WITHDRAWN);
    assert_int_equal(pl_case_todo(w.c, (const uint8_t(*)[PL_PK_BYTES])keys, 5, td, 64, &ntd), PL_OK);
    assert_false(has_todo(td, ntd, 2, PL_TODO_ANSWER_SETTLEMENT,
                          pl_case_find(w.c, pl_msg_id(vp2))));
    (void)vw;
    /* the victim accepts the payment after the agreement (no round binds
     * it): the record is compensated too, and the warning goes */
    pl_body pay_ok = wb_settlement(PL_SETTLEMENT_AGREEMENT, 20000, 5000, 0, 9, cp);
    assert_int_equal(w_say(&w, W_V, &pay_ok, NULL), PL_OK);
    assert_int_equal(pl_case_settled(w.c), PL_GROUND_COMPENSATION | PL_GROUND_FORGIVENESS);
    assert_int_equal(pl_case_settlement_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn),
                     PL_OK);
    assert_int_equal(warn, 0);
    expect_state(&w, PL_AGREEMENT_FINAL);
    w_free(&w);
}

/* SPEC §13.26, §13.9 F0d: a minor's guardian. Who may consent, what a
 * consent must name, that a minor's agreement needs the guardian's word
 * in a defense signature's past, that an objection or counsel's dissent
 * makes it a plea without a plea statement (still final), and that the
 * guardian may withdraw the plea. */
/* SPEC §13.2 *Particulars*, §13.27: the charter's suspect map, through
 * the hook of the world's charter. */
static const char *hook_language, *hook_case_language;
static uint32_t hook_birth;
static pl_closed hook_closed;
static void particulars_hook(pl_body *ch)
{
    for (size_t i = 0; i < ch->u.charter.nparticipants; i++)
        if (ch->u.charter.participants[i].role == PL_ROLE_SUSPECT) {
            ch->u.charter.participants[i].language = (char *)hook_language;
            ch->u.charter.participants[i].birth = hook_birth;
            memcpy(ch->u.charter.participants[i].nationality, "CHN", 4);
        }
    ch->u.charter.language = (char *)hook_case_language;
    ch->u.charter.closed = hook_closed;
}

static void init_with(world *w, const char *lang, const char *case_lang, uint32_t birth,
                      pl_closed closed)
{
    hook_language = lang, hook_case_language = case_lang, hook_birth = birth, hook_closed = closed;
    w_charter_hook = particulars_hook;
    w_init(w, 0);
    w_charter_hook = NULL;
}

/* SPEC §13.27 (F0e, §13.9 step 10, §13.18): a suspect who does not
 * understand the language of the proceedings signs after an interpreter's
 * statement for that offer and session, into the suspect's language; the
 * interpreter is seated by the prosecution and the suspect. */
static void test_interpreter_s13_27(void **state)
{
    (void)state;
    world w;
    init_with(&w, "ug", NULL, 0, PL_CLOSED_NONE);
    assert_true(pl_case_needs_interpreter(w.c));
    assert_string_equal(pl_case_language(w.c), "zh");
    static pl_participant interp;
    interp = (pl_participant){.role = PL_ROLE_INTERPRETER, .name = (char *)"Aziz (interpreter)"};
    memcpy(interp.key, pl_key_pk(w.k[W_X]), 32);
    pl_body seat = {.type = PL_T_PARTICIPANTS};
    seat.u.participants.add = &interp, seat.u.participants.nadd = 1;
    /* prosecution and counsel cannot seat an interpreter: it takes the suspect */
    assert_int_equal(w_say(&w, W_P, &seat, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &seat, NULL), PL_OK);
    pl_body xjoin = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_X, &xjoin, NULL), PL_E_NOT_PARTICIPANT);
    pl_body vseat = seat;
    assert_int_equal(w_say(&w, W_V, &vseat, NULL), PL_E_ROLE); /* no side */
    /* the seat accepted by the interpreter's own key (§13.18 *Acceptance*):
     * one signed by another key, or for another role, is PL_E_SEAT */
    static pl_participant acc;
    acc = interp;
    acc.has_accept = 1;
    pl_seat_add_sign(w.k[W_V], w.case_id, PL_ROLE_INTERPRETER, acc.accept);
    pl_body aseat = {.type = PL_T_PARTICIPANTS};
    aseat.u.participants.add = &acc, aseat.u.participants.nadd = 1;
    assert_int_equal(w_say(&w, W_P, &aseat, NULL), PL_E_SEAT);
    pl_seat_add_sign(w.k[W_X], w.case_id, PL_ROLE_GUARDIAN, acc.accept);
    assert_int_equal(w_say(&w, W_P, &aseat, NULL), PL_E_SEAT);
    pl_seat_add_sign(w.k[W_X], w.case_id, PL_ROLE_INTERPRETER, acc.accept);
    assert_int_equal(pl_seat_add_verify(w.case_id, acc.key, PL_ROLE_INTERPRETER, acc.accept), PL_OK);
    assert_int_equal(w_say(&w, W_P, &aseat, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &aseat, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_X, &xjoin, NULL), PL_OK);

    pl_msg *o;
    pl_body ob = wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_E_PRESENCE); /* step 10, F0e */
    /* the steps of an interpretation */
    pl_body i1 = wb_interpretation(&w, o, "ug");
    assert_int_equal(w_say(&w, W_C, &i1, NULL), PL_E_ROLE);      /* step 1 */
    assert_int_equal(w_say(&w, W_P, &i1, NULL), PL_E_ROLE);
    pl_body i2 = wb_interpretation(&w, w.log[0], "ug");
    assert_int_equal(w_say(&w, W_X, &i2, NULL), PL_E_TARGET);    /* step 2 */
    pl_msg *unfixed;
    pl_body pr = wb_propose(0, 0);
    assert_int_equal(w_say(&w, W_P, &pr, &unfixed), PL_OK);
    pl_body i3 = wb_interpretation(&w, o, "ug");
    memcpy(i3.u.interpretation.session, pl_msg_id(unfixed), 32);
    assert_int_equal(w_say(&w, W_X, &i3, NULL), PL_E_PRESENCE); /* step 4 */
    pl_body xo = wb_opinion(PL_TOPIC_SENTENCE, "interpreters give no opinions");
    assert_int_equal(w_say(&w, W_X, &xo, NULL), PL_E_ROLE);
    /* into another language: valid, recorded, and it does not count */
    pl_msg *en, *ug;
    pl_body i4 = wb_interpretation(&w, o, "en");
    assert_int_equal(w_say(&w, W_X, &i4, &en), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_E_PRESENCE);
    /* into the suspect's language (a subtag more is the same language) */
    pl_body i5 = wb_interpretation(&w, o, "UG-Arab");
    assert_int_equal(w_say(&w, W_X, &i5, &ug), PL_OK);
    pl_msg *ss;
    assert_int_equal(w_say(&w, W_S, &sg, &ss), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    long sidx = pl_case_find(w.c, pl_msg_id(ss));
    assert_int_equal(pl_case_interpretation_counts(w.c, sidx, (size_t)pl_case_find(w.c, pl_msg_id(ug))), 1);
    assert_int_equal(pl_case_interpretation_counts(w.c, sidx, (size_t)pl_case_find(w.c, pl_msg_id(en))), 0);
    char *json;
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(json, "\"language\":\"zh\",\"closed\":null,\"suspect\":{\"name\":"));
    assert_non_null(strstr(json, "\"nationality\":\"CHN\",\"language\":\"ug\",\"interpreter_needed\":true}"));
    assert_non_null(strstr(json, "\"interpreter\":[{\"fingerprint\":"));
    assert_non_null(strstr(json, "\"name\":\"Aziz (interpreter)\",\"language\":\"UG-Arab\"}]"));
    pl_free(json);
    /* the certificate carries the statement, and a verifier finds it */
    uint8_t *cert;
    size_t clen;
    pl_cert_report r;
    assert_int_equal(pl_cert_build(w.c, &cert, &clen), PL_OK);
    assert_int_equal(pl_cert_verify(cert, clen, &r), PL_OK);
    int found = 0;
    for (size_t i = 0; i < pl_case_count(r.c); i++)
        found += pl_case_interpretation_counts(r.c, r.sign_suspect, i);
    assert_int_equal(found, 1);
    pl_cert_report_free(&r);
    pl_free(cert);
    /* a silent party (the observer) rotates to the interpreter's key from a past that
     * never saw the seating: the accepted addition prevails, the rotation
     * is void, and the agreement stays final (§13.18 *Prevailing change*) */
    pl_body steal = {.type = PL_T_KEY_ROTATE};
    memcpy(steal.u.key_rotate.new_key, pl_key_pk(w.k[W_X]), 32);
    assert_int_equal(w_say_seeing(&w, W_O, &steal, W_BIT(W_O), NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_X])), PL_ROLE_INTERPRETER);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_O])), PL_ROLE_OBSERVER);
    w_free(&w);

    /* without the key's acceptance the same rotation voids the seat, and
     * with it the agreement: why a proposer obtains the acceptance */
    init_with(&w, "ug", NULL, 0, PL_CLOSED_NONE);
    memcpy(interp.key, pl_key_pk(w.k[W_X]), 32);
    assert_int_equal(w_say(&w, W_P, &seat, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &seat, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_X, &xjoin, NULL), PL_OK);
    ob = wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    i5 = wb_interpretation(&w, o, "ug");
    assert_int_equal(w_say(&w, W_X, &i5, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    assert_int_equal(w_say_seeing(&w, W_O, &steal, W_BIT(W_O), NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING);
    w_free(&w);

    /* the proceedings' language, by its primary subtag: no interpreter */
    init_with(&w, "zh-CN", NULL, 0, PL_CLOSED_NONE);
    assert_false(pl_case_needs_interpreter(w.c));
    ob = wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    w_free(&w);
    /* proceedings in Uyghur (an autonomous area's language): a Uyghur
     * suspect needs none, a Chinese-speaking one would */
    init_with(&w, "ug", "ug-CN", 0, PL_CLOSED_NONE);
    assert_false(pl_case_needs_interpreter(w.c));
    assert_string_equal(pl_case_language(w.c), "ug-CN");
    w_free(&w);
    init_with(&w, "zh", "ug", 0, PL_CLOSED_NONE);
    assert_true(pl_case_needs_interpreter(w.c));
    w_free(&w);
}

/* SPEC §13.2 *Particulars*, *Language*, *Closed case*, §13.5: the values
 * and where they may stand. */
static void test_particulars_s13_2(void **state)
{
    (void)state;
    /* language tags: the shape, not the registry */
    static const char *good[] = {"zh", "ZH", "zh-CN", "zh-Hans-CN", "ug", "yue", "en-GB", "sgn-CN",
                                 "abcdefgh", "zh-1"};
    static const char *bad[] = {"", "z", "zh-", "-zh", "zh--CN", "zh_CN", "abcdefghi", "zh-123456789",
                                "中文", "1zh", "zh CN", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-b", "x-1",
                                "en1", "zh12345678", "abcdefgh12345678", /* a digit is a subtag's */
                                "i-klingon"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!pl_language_tag_valid(good[i], strlen(good[i])))
            fail_msg("%s refused", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (pl_language_tag_valid(bad[i], strlen(bad[i])))
            fail_msg("%s accepted", bad[i]);
    assert_true(pl_language_same("zh", "ZH-cn"));
    assert_true(pl_language_same("zh-Hans", "zh"));
    assert_false(pl_language_same("zh", "yue"));
    assert_false(pl_language_same("zh", "zha"));
    /* an extended language subtag names the language (BCP 47, section 2.2.2) */
    assert_false(pl_language_same("zh", "zh-yue"));
    assert_true(pl_language_same("yue", "zh-yue-HK"));
    assert_false(pl_language_same("zh", "zh-cmn-Hans"));
    assert_true(pl_language_same("zh-Hant", "zh-TW")); /* a script, a region: zh */
    assert_true(pl_language_same("zh-419", "zh"));
    /* birth dates: real dates of 1900 to 9999 */
    assert_true(pl_birth_valid(20080314));
    assert_true(pl_birth_valid(20000229));  /* 2000 is a leap year */
    assert_false(pl_birth_valid(19000229)); /* 1900 is not */
    assert_false(pl_birth_valid(20080230));
    assert_false(pl_birth_valid(19991300));
    assert_false(pl_birth_valid(18991231));
    assert_false(pl_birth_valid(20080300));
    assert_false(pl_birth_valid(100000101));
    /* from the day after the birthday; 29 February is 28 February in a
     * common year */
    assert_true(pl_has_turned(20080229, 18, 20260301));
    assert_false(pl_has_turned(20080229, 18, 20260228));
    assert_true(pl_has_turned(20080229, 16, 20240301)); /* a leap year */
    assert_false(pl_has_turned(20080229, 16, 20240229));
    assert_true(pl_has_turned(20080314, 18, 20260315));
    assert_false(pl_has_turned(20080314, 18, 20260314));

    /* the particulars stand only in a suspect's map, and round-trip */
    pl_participant p[2] = {{.role = PL_ROLE_PROSECUTION, .name = (char *)"P"},
                           {.role = PL_ROLE_SUSPECT, .name = (char *)"S"}};
    memset(p[0].key, 1, 32), memset(p[1].key, 2, 32);
    pl_body ch = {.type = PL_T_CHARTER}, back;
    ch.u.charter.title = (char *)"t";
    ch.u.charter.participants = p, ch.u.charter.nparticipants = 2;
    ch.u.charter.language = (char *)"zh";
    ch.u.charter.closed = PL_CLOSED_PRIVACY;
    p[1].birth = 20080314, p[1].language = (char *)"ug";
    memcpy(p[1].nationality, "CHN", 4);
    uint8_t buf[4096];
    size_t n;
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_OK);
    assert_int_equal(pl_body_decode(PL_T_CHARTER, buf, n, &back), PL_OK);
    assert_int_equal(back.u.charter.participants[1].birth, 20080314);
    assert_string_equal(back.u.charter.participants[1].nationality, "CHN");
    assert_string_equal(back.u.charter.participants[1].language, "ug");
    assert_string_equal(back.u.charter.language, "zh");
    assert_int_equal(back.u.charter.closed, PL_CLOSED_PRIVACY);
    pl_body_free(&back);
    /* each refused by the encoder's own decode check: PL_E_BODY */
    p[0].birth = 20080314; /* a prosecutor has no particulars */
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    p[0].birth = 0, p[0].language = (char *)"zh";
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    p[0].language = NULL;
    memcpy(p[0].nationality, "CHN", 4);
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    memset(p[0].nationality, 0, 4);
    memcpy(p[1].nationality, "chn", 4); /* capitals only */
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    memcpy(p[1].nationality, "CN", 3); /* three letters */
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    memcpy(p[1].nationality, "CHN", 4);
    p[1].birth = 20080230;
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    p[1].birth = 20080314, p[1].language = (char *)"zh_CN";
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    p[1].language = (char *)"ug", ch.u.charter.language = (char *)"chinese language";
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    ch.u.charter.language = NULL, ch.u.charter.closed = (pl_closed)4;
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    ch.u.charter.closed = PL_CLOSED_NONE;
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_OK);
    p[0].has_accept = 1; /* a seat's acceptance only in a change's addition */
    assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &n), PL_E_BODY);
    pl_body add = {.type = PL_T_PARTICIPANTS};
    add.u.participants.add = p, add.u.participants.nadd = 1;
    p[0].role = PL_ROLE_VICTIM;
    assert_int_equal(pl_body_encode(&add, buf, sizeof buf, &n), PL_OK);
    assert_int_equal(pl_body_decode(PL_T_PARTICIPANTS, buf, n, &back), PL_OK);
    assert_true(back.u.participants.add[0].has_accept);
    pl_body_free(&back);
    p[0].has_accept = 0, p[0].role = PL_ROLE_PROSECUTION;
    pl_body ib = {.type = PL_T_INTERPRETATION};
    ib.u.interpretation.language = (char *)"ug zh";
    assert_int_equal(pl_body_encode(&ib, buf, sizeof buf, &n), PL_E_BODY);
    ib.u.interpretation.language = (char *)"ug";
    assert_int_equal(pl_body_encode(&ib, buf, sizeof buf, &n), PL_OK);

    /* a resident number carries the holder's birth date (GB 11643) */
    uint32_t born;
    assert_int_equal(pl_identity_birth(W_ID_NUMBER, &born), PL_OK);
    assert_int_equal(born, 19491231);
    assert_int_equal(pl_identity_birth("E12345678", &born), PL_OK); /* a passport */
    assert_int_equal(born, 0);
    assert_int_equal(pl_identity_birth("110105194912310021", &born), PL_E_IDENTITY); /* check */

    /* SPEC §13.2 *Particulars*: the verifier's check of a number the clerk
     * was shown, against the hash and against the charter's birth date */
    world w;
    int matches, differs;
    hook_language = NULL, hook_case_language = NULL, hook_closed = PL_CLOSED_NONE;
    hook_birth = 19491231; /* the specimen number's own */
    w_charter_hook = particulars_hook;
    w_init_bound(&w);
    w_charter_hook = NULL;
    assert_int_equal(pl_report_identity_check(w.c, W_ID_NUMBER, &matches, &differs), PL_OK);
    assert_true(matches);
    assert_false(differs);
    assert_int_equal(pl_report_identity_check(w.c, "E12345678", &matches, &differs), PL_OK);
    assert_false(matches);
    assert_false(differs);
    assert_int_equal(pl_report_identity_check(w.c, "110105194912310021", &matches, &differs),
                     PL_E_IDENTITY);
    /* a lean case keeps no message to read the case id from */
    assert_int_equal(pl_report_identity_check(w.lean, W_ID_NUMBER, &matches, &differs), PL_E_ARG);
    w_free(&w);
    hook_birth = 19500101; /* the charter's birth date is not the number's */
    w_charter_hook = particulars_hook;
    w_init_bound(&w);
    w_charter_hook = NULL;
    assert_int_equal(pl_report_identity_check(w.c, W_ID_NUMBER, &matches, &differs), PL_OK);
    assert_false(matches);
    assert_true(differs);
    w_free(&w);
    init_with(&w, NULL, NULL, 0, PL_CLOSED_NONE); /* a charter that binds nothing */
    assert_int_equal(pl_report_identity_check(w.c, W_ID_NUMBER, &matches, &differs), PL_E_ARG);
    w_free(&w);

    /* a closed case: no session is publicly observed, whatever consents */
    init_with(&w, NULL, NULL, 0, PL_CLOSED_STATE_SECRET);
    pl_msg *prop;
    pl_body pr = wb_propose(1, 0);
    assert_int_equal(w_say(&w, W_P, &pr, &prop), PL_OK);
    pl_body acc = wb_ref(PL_T_SESSION_ACCEPT, prop);
    acc.u.session_answer.public_ok = 1;
    assert_int_equal(w_say(&w, W_C, &acc, NULL), PL_OK);
    const char *outcome;
    int pub, recs;
    pl_report_session(w.c, (size_t)pl_case_find(w.c, pl_msg_id(prop)), &outcome, &pub, &recs);
    assert_string_equal(outcome, "fixed");
    assert_false(pub);
    w_free(&w);
    init_with(&w, NULL, NULL, 0, PL_CLOSED_NONE); /* the same, open: public */
    assert_int_equal(w_say(&w, W_P, &pr, &prop), PL_OK);
    acc = wb_ref(PL_T_SESSION_ACCEPT, prop);
    acc.u.session_answer.public_ok = 1;
    assert_int_equal(w_say(&w, W_C, &acc, NULL), PL_OK);
    pl_report_session(w.c, (size_t)pl_case_find(w.c, pl_msg_id(prop)), &outcome, &pub, &recs);
    assert_false(pub); /* §13.11 (v2): not without the victim's word */
    pl_body vp = {.type = PL_T_PUBLICITY};
    memcpy(vp.u.publicity.proposal, pl_msg_id(prop), 32);
    vp.u.publicity.public_ok = 1;
    assert_int_equal(w_say(&w, W_S, &vp, NULL), PL_E_ROLE);   /* a victim's word only */
    assert_int_equal(w_say(&w, W_P, &vp, NULL), PL_E_ROLE);
    pl_body vbad = vp;
    memcpy(vbad.u.publicity.proposal, pl_msg_id(w.log[0]), 32); /* the charter */
    assert_int_equal(w_say(&w, W_V, &vbad, NULL), PL_E_TARGET);
    assert_int_equal(w_say(&w, W_V, &vp, NULL), PL_OK);
    pl_report_session(w.c, (size_t)pl_case_find(w.c, pl_msg_id(prop)), &outcome, &pub, &recs);
    assert_true(pub);
    /* a proposal never seconded seats no victim: its key's word is not
     * asked for; an effective addition's is */
    static pl_participant v2;
    v2 = (pl_participant){.role = PL_ROLE_VICTIM, .name = (char *)"Victim two"};
    memcpy(v2.key, pl_key_pk(w.k[W_NEWV]), 32);
    pl_body addv = {.type = PL_T_PARTICIPANTS};
    addv.u.participants.add = &v2, addv.u.participants.nadd = 1;
    assert_int_equal(w_say(&w, W_P, &addv, NULL), PL_OK);
    pl_report_session(w.c, (size_t)pl_case_find(w.c, pl_msg_id(prop)), &outcome, &pub, &recs);
    assert_true(pub);
    assert_int_equal(w_say(&w, W_C, &addv, NULL), PL_OK); /* seconded: V2 is a victim */
    pl_report_session(w.c, (size_t)pl_case_find(w.c, pl_msg_id(prop)), &outcome, &pub, &recs);
    assert_false(pub);
    pl_body v2join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWV, &v2join, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWV, &vp, NULL), PL_OK);
    pl_report_session(w.c, (size_t)pl_case_find(w.c, pl_msg_id(prop)), &outcome, &pub, &recs);
    assert_true(pub);
    /* a key's name is the one the change that seats it gives, not an
     * earlier proposal's that was never completed */
    static pl_participant v3a, v3b;
    v3a = (pl_participant){.role = PL_ROLE_VICTIM, .name = (char *)"Court-certified expert"};
    memcpy(v3a.key, pl_key_pk(w.k[W_X]), 32);
    v3b = v3a;
    v3b.name = (char *)"Victim three";
    pl_body add3a = {.type = PL_T_PARTICIPANTS}, add3b = {.type = PL_T_PARTICIPANTS};
    add3a.u.participants.add = &v3a, add3a.u.participants.nadd = 1;
    add3b.u.participants.add = &v3b, add3b.u.participants.nadd = 1;
    assert_int_equal(w_say(&w, W_P, &add3a, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &add3b, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &add3b, NULL), PL_OK);
    assert_string_equal(pl_report_name(w.c, pl_key_pk(w.k[W_X])), "Victim three");
    assert_int_equal(w_say(&w, W_X, &v2join, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_X, &vp, NULL), PL_OK); /* and consents, keeping it public */
    /* removed, the second victim cannot be added again (SPEC §13.18, v2) */
    pl_body rmv = {.type = PL_T_PARTICIPANTS};
    uint8_t gone[1][32];
    memcpy(gone[0], pl_key_pk(w.k[W_NEWV]), 32);
    rmv.u.participants.remove = gone, rmv.u.participants.nremove = 1;
    assert_int_equal(w_say(&w, W_P, &rmv, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &rmv, NULL), PL_OK);
    v2.name = (char *)"Victim two, again";
    assert_int_equal(w_say(&w, W_P, &addv, NULL), PL_E_KEY);
    vp.u.publicity.public_ok = 0; /* a change of mind: the latest word counts */
    assert_int_equal(w_say(&w, W_V, &vp, NULL), PL_OK);
    pl_report_session(w.c, (size_t)pl_case_find(w.c, pl_msg_id(prop)), &outcome, &pub, &recs);
    assert_false(pub);
    assert_string_equal(outcome, "fixed"); /* it neither fixes nor declines */
    w_free(&w);
}

/* SPEC §13.28: warnings of the record, never verdicts. The world's clock
 * starts on 2026-12-01 (UTC). */
static void test_warnings_s13_28(void **state)
{
    (void)state;
    static pl_terms t;
    one_charge(&t, "264", "盗窃罪", "盗窃手机一部，价值人民币三千二百元。");
    t.procedure = PL_PROCEDURE_SUMMARY;
    t.penalty.kind = PL_PENALTY_IMPRISONMENT, t.penalty.min = t.penalty.max = 8;
    t.has_fine = 1, t.fine = 200000;
    t.grounds = PL_GROUND_CONFESSION;
    world w;
    unsigned warn;
    pl_msg *o;
    /* 16 at the offer, the terms do not say minor: `minor` */
    init_with(&w, NULL, NULL, 20100601, PL_CLOSED_NONE);
    pl_body ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK); /* a warning, not a verdict */
    assert_int_equal(pl_case_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn), PL_OK);
    assert_int_equal(warn, PL_WARN_MINOR);
    /* saying minor: then no probation on eight months is `probation` */
    t.minor = 1;
    t.fine = 100000;
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    assert_int_equal(pl_case_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn), PL_OK);
    assert_int_equal(warn, PL_WARN_PROBATION);
    pl_body psg = wb_sign(o); /* the report reads the offer the status names */
    assert_int_equal(w_say(&w, W_P, &psg, NULL), PL_OK);
    char *json;
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(json, "\"warnings\":[\"probation\"]"));
    assert_non_null(strstr(json, "\"birth\":\"2010-06-01\""));
    pl_free(json);
    /* with probation, or above three years: nothing */
    t.has_probation = 1, t.probation = 12;
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    assert_int_equal(pl_case_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn), PL_OK);
    assert_int_equal(warn, 0);
    w_free(&w);
    /* 18 the day before the offer (in China Standard Time, 2026-12-01):
     * from the day after the birthday, an adult: no warning */
    init_with(&w, NULL, NULL, 20081130, PL_CLOSED_NONE);
    t.minor = 0, t.has_probation = 0, t.fine = 200000;
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    assert_int_equal(pl_case_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn), PL_OK);
    assert_int_equal(warn, 0);
    w_free(&w);
    /* the 18th birthday on the offer's day: still a minor that day */
    init_with(&w, NULL, NULL, 20081201, PL_CLOSED_NONE);
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    assert_int_equal(pl_case_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn), PL_OK);
    assert_int_equal(warn, PL_WARN_MINOR);
    w_free(&w);
    /* 75 or more: `probation`; and a ground without its settlement too */
    init_with(&w, NULL, NULL, 19400101, PL_CLOSED_NONE);
    t.grounds = PL_GROUND_CONFESSION | PL_GROUND_FORGIVENESS;
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    assert_int_equal(pl_case_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn), PL_OK);
    assert_int_equal(warn, PL_WARN_PROBATION | PL_WARN_FORGIVENESS);
    assert_int_equal(pl_case_warnings(w.c, 0, &warn), PL_E_ARG); /* not an offer */
    assert_string_equal(pl_warning_name(PL_WARN_PROBATION), "probation");
    assert_string_equal(pl_warning_name(3), "?");
    /* a recidivist is never given probation (CL art. 74): no warning */
    t.recidivist = 1, t.grounds = PL_GROUND_CONFESSION;
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    assert_int_equal(pl_case_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn), PL_OK);
    assert_int_equal(warn, 0);
    t.recidivist = 0;
    /* detention is short whatever its months */
    t.penalty.kind = PL_PENALTY_DETENTION, t.penalty.min = t.penalty.max = 4;
    t.grounds = PL_GROUND_CONFESSION;
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    assert_int_equal(pl_case_warnings(w.c, (size_t)pl_case_find(w.c, pl_msg_id(o)), &warn), PL_OK);
    assert_int_equal(warn, PL_WARN_PROBATION);
    w_free(&w);
}

static void test_guardian_s13_26(void **state)
{
    (void)state;
    static pl_terms t;
    one_charge(&t, "264", "盗窃罪", "十六周岁，盗窃手机一部，价值人民币三千二百元，已退还。");
    t.minor = 1;
    t.procedure = PL_PROCEDURE_SUMMARY;
    t.penalty.kind = PL_PENALTY_ADDITIONAL, t.penalty.min = t.penalty.max = 0;
    t.has_fine = 1, t.fine = 100000;
    t.grounds = PL_GROUND_CONFESSION | PL_GROUND_RESTITUTION;

    /* 1. the minor does not sign before the guardian's word (F0d as a
     * signing rule): refused, and so not the round's one signature; after
     * the word it signs. Prosecution and counsel alone cannot seat a
     * guardian: it takes the suspect (SPEC §13.18). */
    world w;
    w_init(&w, 0);
    static pl_participant mother, fake;
    fake = (pl_participant){.role = PL_ROLE_GUARDIAN, .name = (char *)"not the mother"};
    memcpy(fake.key, pl_key_pk(w.k[W_X]), 32);
    pl_body seat = {.type = PL_T_PARTICIPANTS};
    seat.u.participants.add = &fake, seat.u.participants.nadd = 1;
    assert_int_equal(w_say(&w, W_P, &seat, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &seat, NULL), PL_OK);
    pl_body xjoin = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_X, &xjoin, NULL), PL_E_NOT_PARTICIPANT);
    w_seat_guardian(&w, &mother);
    pl_msg *o;
    pl_body ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_E_PRESENCE);
    /* a change of mind: the latest word before the minor signs counts */
    pl_body first = wb_consent(&w, o, 0, "先提出异议。");
    assert_int_equal(w_say(&w, W_G, &first, NULL), PL_OK);
    pl_body then = wb_consent(&w, o, 1, "经解释后同意。");
    assert_int_equal(w_say(&w, W_G, &then, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    /* an objection after the minor signed does not count */
    pl_body late = wb_consent(&w, o, 0, "签署后又反对。");
    assert_int_equal(w_say(&w, W_G, &late, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_false(st.no_statement);
    char *json;
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(json, "\"agrees\":true,\"reasons\":\"经解释后同意。\"}]"));
    /* the later objection is in the timeline, not the word at the signing */
    char *g = strstr(json, "\"guardian\":["), *gend = g ? strchr(g, ']') : NULL;
    assert_non_null(gend);
    *gend = '\0';
    assert_null(strstr(g, "签署后又反对"));
    assert_null(strstr(g, "先提出异议"));
    pl_free(json);
    w_free(&w);

    /* 2. the steps of a consent, then consent: final with a statement */
    w_init(&w, 0);
    w_seat_guardian(&w, &mother);
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    sg = wb_sign(o);
    pl_body c1 = wb_consent(&w, o, 1, NULL);
    assert_int_equal(w_say(&w, W_S, &c1, NULL), PL_E_ROLE);  /* step 1 */
    assert_int_equal(w_say(&w, W_C, &c1, NULL), PL_E_ROLE);
    pl_body c2 = wb_consent(&w, w.log[0], 1, NULL);          /* the charter */
    assert_int_equal(w_say(&w, W_G, &c2, NULL), PL_E_TARGET); /* step 2 */
    pl_msg *unfixed;
    pl_body pr = wb_propose(0, 0);
    assert_int_equal(w_say(&w, W_P, &pr, &unfixed), PL_OK);
    pl_body c3 = wb_consent(&w, o, 1, NULL);
    memcpy(c3.u.consent.session, pl_msg_id(unfixed), 32);
    assert_int_equal(w_say(&w, W_G, &c3, NULL), PL_E_PRESENCE); /* step 4 */
    /* the guardian is heard: an opinion is an input (R3) */
    pl_msg *gop;
    pl_body go = wb_opinion(PL_TOPIC_SENTENCE, "孩子是初犯，请求从宽。");
    assert_int_equal(w_say(&w, W_G, &go, &gop), PL_OK);
    assert_int_equal(pl_case_is_input(w.c, (size_t)pl_case_find(w.c, pl_msg_id(gop))), 1);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_E_UNANSWERED);
    pl_body gr = wb_response(gop, PL_DECISION_ADOPTED, "采纳。");
    assert_int_equal(w_say(&w, W_P, &gr, NULL), PL_OK);
    pl_body goff = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_G, &goff, NULL), PL_E_ROLE); /* no offers */
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    pl_body yes = wb_consent(&w, o, 1, "同意。");
    assert_int_equal(w_say(&w, W_G, &yes, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_case_status_get(w.c, &st);
    assert_false(st.no_statement);
    /* the guardian may withdraw the minor's plea */
    pl_body rt = wb_simple(PL_T_RETRACT, "撤回。");
    assert_int_equal(w_say(&w, W_G, &rt, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_RETRACTED);
    pl_case_status_get(w.c, &st);
    assert_non_null(strstr(pl_report_state_meaning(w.c, &st), "guardian withdrew"));
    w_free(&w);

    /* 3. the guardian objects: final, without a plea statement */
    w_init(&w, 0);
    w_seat_guardian(&w, &mother);
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    pl_body no = wb_consent(&w, o, 0, "孩子不理解后果，不同意签署具结书。");
    assert_int_equal(w_say(&w, W_G, &no, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_case_status_get(w.c, &st);
    assert_true(st.no_statement);
    assert_non_null(strstr(pl_report_state_meaning(w.c, &st), "without a plea statement"));
    char *text;
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(json, "\"no_statement\":true,\"guardian\":[{"));
    assert_non_null(strstr(json, "\"agrees\":false"));
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_non_null(strstr(text, "statement   NONE"));
    /* SPEC §17.2 item 14: the checklist, here with no recording anchored */
    assert_non_null(strstr(text, "[ ] (1) NO recording of the signing session is anchored"));
    assert_non_null(strstr(text, "[x] (7) the suspect signed in a fixed session, counsel witnessing"));
    assert_non_null(strstr(text, "[x] a minor: the guardian was present"));
    pl_report_checklist ck;
    assert_int_equal(pl_report_checklist_get(w.c, &ck), PL_OK);
    assert_int_equal(ck.recorded, 0);
    assert_true(ck.notice >= 0);
    assert_non_null(ck.consequences);
    assert_int_equal(ck.guardian, 1);
    assert_true(ck.witnessed);
    assert_non_null(strstr(json, "\"checklist\":{\"recorded\":0,\"notice\":true"));
    pl_free(json), pl_free(text);
    uint8_t *cert;
    size_t n;
    pl_cert_report r;
    assert_int_equal(pl_cert_build(w.c, &cert, &n), PL_OK);
    assert_int_equal(pl_cert_verify(cert, n, &r), PL_OK); /* the certificate holds the objection */
    pl_case_status_get(r.c, &st);
    assert_true(st.no_statement);
    pl_cert_report_free(&r);
    free(cert);
    w_free(&w);

    /* 4. the defender's dissent makes it one too (CPL art. 174 para. 2) */
    w_init(&w, 0);
    w_seat_guardian(&w, &mother);
    ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    sg = wb_sign(o);
    yes = wb_consent(&w, o, 1, "同意。");
    pl_msg *cop;
    pl_body co = wb_opinion(PL_TOPIC_SENTENCE, "辩护人认为不应认罚。");
    assert_int_equal(w_say(&w, W_C, &co, &cop), PL_OK);
    pl_body cr = wb_response(cop, PL_DECISION_NOT_ADOPTED, "不予采纳。");
    assert_int_equal(w_say(&w, W_P, &cr, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_G, &yes, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    pl_body dis = wb_sign(o);
    dis.u.sign.has_dissent = 1;
    memcpy(dis.u.sign.dissent, pl_msg_id(cop), 32);
    assert_int_equal(w_say(&w, W_C, &dis, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_case_status_get(w.c, &st);
    assert_true(st.no_statement);
    w_free(&w);

    pl_report_checklist none;
    w_init(&w, 0);
    assert_int_equal(pl_report_checklist_get(w.c, &none), PL_E_NOT_FINAL);
    w_free(&w);
    /* 5. an adult's terms need no guardian; a session both sides make
     * public is publicly observed for an adult, never in a minor's case
     * (SPEC §13.11, CPL art. 285) */
    const char *outcome;
    int pub, recs;
    pl_msg *pp;
    pl_body pubp = wb_propose(1, 0);
    pl_body puba;
    t.minor = 0;
    w_init(&w, 0);
    assert_int_equal(w_say(&w, W_C, &pubp, &pp), PL_OK);
    puba = wb_ref(PL_T_SESSION_ACCEPT, pp);
    assert_int_equal(w_say(&w, W_P, &puba, NULL), PL_OK);
    pl_body vpub = {.type = PL_T_PUBLICITY}; /* and the victim consents (§13.11) */
    memcpy(vpub.u.publicity.proposal, pl_msg_id(pp), 32);
    vpub.u.publicity.public_ok = 1;
    assert_int_equal(w_say(&w, W_V, &vpub, NULL), PL_OK);
    pl_report_session(w.c, (size_t)pl_case_find(w.c, pl_msg_id(pp)), &outcome, &pub, &recs);
    assert_true(pub);
    w_seat_guardian(&w, &mother); /* a guardian seated: a minor's case */
    pl_report_session(w.c, (size_t)pl_case_find(w.c, pl_msg_id(pp)), &outcome, &pub, &recs);
    assert_false(pub);
    assert_string_equal(outcome, "fixed");
    w_free(&w);
    w_init(&w, 0);
    w_seat_guardian(&w, &mother);
    (void)agree(&w, &t, NULL);
    pl_case_status_get(w.c, &st);
    assert_false(st.no_statement);
    /* ... and its guardian cannot withdraw an adult's plea */
    pl_body grt = wb_simple(PL_T_RETRACT, "撤回。");
    assert_int_equal(w_say(&w, W_G, &grt, NULL), PL_E_ROLE);
    expect_state(&w, PL_AGREEMENT_FINAL);
    w_free(&w);
}

/* SPEC §13.2 *Deadline* (v2): the charter may state the procuratorate's
 * deadline, shown and never enforced; a negotiation the prosecution left
 * says the case goes on without an agreement. */
static void test_deadline_s13_2(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    size_t n, en;
    const uint8_t *bb = pl_msg_body(w.log[0], &n);
    pl_body cb, back;
    uint8_t enc[4096];
    assert_int_equal(pl_body_decode(PL_T_CHARTER, bb, n, &cb), PL_OK);
    assert_false(cb.u.charter.has_deadline);
    cb.u.charter.has_deadline = 1, cb.u.charter.deadline_ms = 1799928000000ull;
    assert_int_equal(pl_body_encode(&cb, enc, sizeof enc, &en), PL_OK);
    assert_int_equal(en, n + 1 + 8 + 9); /* "deadline" and a uint64 */
    assert_int_equal(pl_body_decode(PL_T_CHARTER, enc, en, &back), PL_OK);
    assert_true(back.u.charter.has_deadline);
    assert_int_equal(back.u.charter.deadline_ms, 1799928000000ull);
    pl_body_free(&back);
    /* SPEC §13.5: a day of years 1970 to 9999 */
    cb.u.charter.deadline_ms = 253402300800000ull;
    assert_int_equal(pl_body_encode(&cb, enc, sizeof enc, &en), PL_E_BODY);
    /* SPEC §13.2 step 5: the deadline is the procuratorate's word, not
     * that of a counsel who creates the case */
    cb.u.charter.deadline_ms = 1799928000000ull; /* 2027-01-14, noon UTC */
    for (int with = 0; with < 2; with++) {
        pl_header h;
        uint8_t nonce[32], cid[PL_CASE_ID_BYTES], cbody[4096];
        size_t cn;
        memset(nonce, 0x41 + with, sizeof nonce);
        memcpy(cb.u.charter.case_nonce, nonce, 32);
        cb.u.charter.has_deadline = with;
        assert_int_equal(pl_body_encode(&cb, cbody, sizeof cbody, &cn), PL_OK);
        pl_case_id_derive(pl_key_pk(w.k[W_C]), nonce, cid);
        memset(&h, 0, sizeof h);
        h.version = PL_PROTOCOL_VERSION, h.seq = 1, h.type = PL_T_CHARTER;
        h.timestamp_ms = 1796112000000ull;
        memcpy(h.case_id, cid, 32);
        pl_msg *m;
        assert_int_equal(pl_msg_sign(&h, cbody, cn, w.k[W_C], &m), PL_OK);
        pl_case *cc = pl_case_new(cid);
        assert_int_equal(pl_case_add(cc, m), with ? PL_E_CHARTER : PL_OK);
        pl_case_destroy(&cc);
        pl_msg_destroy(&m);
    }
    pl_body_free(&cb);
    pl_body leave = wb_simple(PL_T_WITHDRAW, "起诉，不再协商。");
    assert_int_equal(w_say(&w, W_P, &leave, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_WITHDRAWN);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_non_null(strstr(pl_report_state_meaning(w.c, &st), "without an agreement"));
    w_free(&w);
}

/* SPEC §13.5: paid above agreed is not a settlement body. */
static void test_settlement_body_s13_5(void **state)
{
    (void)state;
    pl_body b = wb_settlement(PL_SETTLEMENT_AGREEMENT, 100, 100, 0, 1, NULL), back;
    uint8_t enc[256];
    size_t n;
    assert_int_equal(pl_body_encode(&b, enc, sizeof enc, &n), PL_OK);
    assert_int_equal(pl_body_decode(PL_T_SETTLEMENT, enc, n, &back), PL_OK);
    assert_int_equal(back.u.settlement.paid, 10000);
    assert_false(back.u.settlement.has_accepts);
    pl_body_free(&back);
    b.u.settlement.paid = 10001;
    assert_int_equal(pl_body_encode(&b, enc, sizeof enc, &n), PL_E_BODY);
    b.u.settlement.paid = 0, b.u.settlement.kind = (pl_settlement_kind)7;
    assert_int_equal(pl_body_encode(&b, enc, sizeof enc, &n), PL_E_BODY);
}

/* CASES.md, Case 2: aiding information-network crime (art. 287-2). The
 * prosecution offers 10 months and a fine of 10,000 yuan; the defense
 * counters 8 months, probation 12 months, 5,000 yuan; the agreement is 9
 * months, probation 12 months, 8,000 yuan, speedy trial. On the way:
 * probation of 10 months is refused (row 10), 48 months too (row 19). */
static void test_cases_md_case2_card_rental(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    static pl_terms t;
    one_charge(&t, "287-2", "帮助信息网络犯罪活动罪",
               "出租银行卡两张，违法所得人民币八千元，已全部退缴；自首。");
    t.procedure = PL_PROCEDURE_SPEEDY;
    t.grounds = PL_GROUND_RESTITUTION | PL_GROUND_SURRENDER;
    t.penalty.kind = PL_PENALTY_IMPRISONMENT, t.penalty.min = t.penalty.max = 10;
    t.has_fine = 1, t.fine = 1000000;
    pl_msg *o1, *c1;
    pl_body ob = terms_offer(&w, &t, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &ob, &o1), PL_OK);
    static pl_terms c;
    c = t;
    c.penalty.min = c.penalty.max = 8, c.has_probation = 1, c.probation = 12, c.fine = 500000;
    pl_body cb = terms_offer(&w, &c, o1, 0);
    assert_int_equal(w_say(&w, W_C, &cb, &c1), PL_OK);
    /* unlawful on the way: refused by the encoder, naming the rule */
    static pl_terms x;
    x = c, x.probation = 10;
    uint8_t enc[PL_TERMS_MAX_BYTES];
    size_t n;
    assert_int_equal(pl_terms_encode(&x, enc, sizeof enc, &n), PL_E_TERMS_PROBATION_PERIOD);
    x = t, x.procedure = PL_PROCEDURE_ORDINARY, x.penalty.min = x.penalty.max = 48;
    assert_int_equal(pl_terms_encode(&x, enc, sizeof enc, &n), PL_E_TERMS_ARTICLE);
    pl_body r = wb_response(c1, PL_DECISION_PARTLY, "部分采纳：同意缓刑，罚金人民币八千元。");
    assert_int_equal(w_say(&w, W_P, &r, NULL), PL_OK);
    static pl_terms a;
    a = c;
    a.penalty.min = a.penalty.max = 9, a.fine = 800000;
    (void)agree(&w, &a, c1);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    uint8_t h[PL_HASH_BYTES];
    assert_int_equal(pl_terms_encode(&a, enc, sizeof enc, &n), PL_OK);
    pl_terms_hash(enc, n, h);
    assert_memory_equal(st.terms_hash, h, PL_HASH_BYTES); /* the agreed terms */
    w_free(&w);
}

/* SPEC §13.9 F0b (v2), CPL arts. 35, 278: a minor (or impaired) offender
 * must have a defender: a duty lawyer does not sign an offer whose terms say the
 * offender is a minor, and no agreement on it is final without a
 * defender's signature. */
static void test_duty_lawyer_not_for_a_minor_s13_9(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_participant slot;
    w_seat_duty_lawyer(&w, &slot);
    uint8_t gone[1][32]; /* no defender any more: only the duty lawyer */
    memcpy(gone[0], pl_key_pk(w.k[W_C]), 32);
    pl_body rm = {.type = PL_T_PARTICIPANTS};
    rm.u.participants.remove = gone;
    rm.u.participants.nremove = 1;
    assert_int_equal(w_say(&w, W_S, &rm, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &rm, NULL), PL_OK);
    pl_msg *minor;
    w_terms_minor = 1;
    pl_body om = wb_offer(&w, PL_PENALTY_DETENTION, 2, 0, 0, NULL);
    w_terms_minor = 0;
    assert_int_equal(w_say(&w, W_P, &om, &minor), PL_OK);
    size_t blen;
    pl_body ob;
    const uint8_t *bb = pl_msg_body(minor, &blen);
    assert_int_equal(pl_body_decode(PL_T_OFFER, bb, blen, &ob), PL_OK);
    assert_int_equal(ob.u.offer.needs_defender, 1); /* decoded from the terms */
    pl_body_free(&ob);
    { /* an impaired offender's terms need a defender too (CPL art. 35) */
        static pl_terms t;
        one_charge(&t, "264", "theft",
                   "Took a bicycle.");
        t.penalty.kind = PL_PENALTY_DETENTION, t.penalty.min = t.penalty.max = 2;
        t.procedure = PL_PROCEDURE_ORDINARY;
        t.impairment = PL_IMPAIRMENT_DEAF;
        static uint8_t tb[PL_TERMS_MAX_BYTES], body[PL_TERMS_MAX_BYTES + 64];
        size_t tn, bn;
        assert_int_equal(pl_terms_encode(&t, tb, sizeof tb, &tn), PL_OK);
        pl_body ib = {.type = PL_T_OFFER};
        ib.u.offer.terms = tb, ib.u.offer.terms_len = tn;
        assert_int_equal(pl_body_encode(&ib, body, sizeof body, &bn), PL_OK);
        assert_int_equal(pl_body_decode(PL_T_OFFER, body, bn, &ob), PL_OK);
        assert_int_equal(ob.u.offer.needs_defender, 1);
        pl_body_free(&ob);
        t.impairment = 0; /* an adult without impairment: no */
        assert_int_equal(pl_terms_encode(&t, tb, sizeof tb, &tn), PL_OK);
        ib.u.offer.terms_len = tn;
        assert_int_equal(pl_body_encode(&ib, body, sizeof body, &bn), PL_OK);
        assert_int_equal(pl_body_decode(PL_T_OFFER, body, bn, &ob), PL_OK);
        assert_int_equal(ob.u.offer.needs_defender, 0);
        pl_body_free(&ob);
    }
    pl_body sg = wb_sign(minor);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    static pl_participant guardian; /* a minor signs after the guardian's word (§13.26) */
    w_seat_guardian(&w, &guardian);
    pl_body yes = wb_consent(&w, minor, 1, NULL);
    assert_int_equal(w_say(&w, W_G, &yes, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWC, &sg, NULL), PL_E_PRESENCE);
    expect_state(&w, PL_AGREEMENT_PENDING);
    w_free(&w);
    /* (an adult's offer the duty lawyer signs, and it is final: the test
     * below, test_duty_lawyer_does_not_bypass_defender_s13_9) */
}

/* SPEC §13.9 F0b (v2): a duty lawyer's witness does not complete an
 * agreement while the suspect's retained defender holds the counsel role;
 * once the suspect has dismissed the defender (a recorded change that opens
 * a new round), it does. Capacity and licence are counsel's alone. */
static void test_duty_lawyer_does_not_bypass_defender_s13_9(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_participant slot;
    pl_body add = wb_add_counsel(&w, &slot);
    slot.capacity = PL_CAPACITY_DUTY_LAWYER;
    slot.licence = (char *)"11101201810000001";
    assert_int_equal(w_say(&w, W_S, &add, NULL), PL_OK); /* the suspect chooses, */
    assert_int_equal(w_say(&w, W_P, &add, NULL), PL_OK); /* the prosecution seconds */
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWC])), PL_ROLE_COUNSEL);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    /* the defender holds the counsel role: the duty lawyer does not sign */
    assert_int_equal(w_say(&w, W_NEWC, &sg, NULL), PL_E_PRESENCE);
    expect_state(&w, PL_AGREEMENT_PENDING);
    /* the suspect dismisses its defender, with the prosecution */
    uint8_t gone[1][32];
    memcpy(gone[0], pl_key_pk(w.k[W_C]), 32);
    pl_body rm = {.type = PL_T_PARTICIPANTS};
    rm.u.participants.remove = gone;
    rm.u.participants.nremove = 1;
    assert_int_equal(w_say(&w, W_S, &rm, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &rm, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_C])), PL_ROLE_NONE);
    pl_msg *o2;
    pl_body ob = wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, &o2), PL_OK);
    pl_body sg2 = wb_sign(o2);
    assert_int_equal(w_say(&w, W_P, &sg2, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg2, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWC, &sg2, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    /* the capacity, read back from the log's bytes, and shown */
    assert_int_equal(pl_case_capacity(w.c, pl_key_pk(w.k[W_NEWC])), PL_CAPACITY_DUTY_LAWYER);
    assert_int_equal(pl_case_capacity(w.c, pl_key_pk(w.k[W_C])), PL_CAPACITY_DEFENDER);
    char *text;
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_non_null(strstr(text, "(duty lawyer, 值班律师)"));
    free(text);
    w_free(&w);

    /* only counsel's map has a capacity or a licence */
    world v;
    w_init(&v, 0);
    pl_participant bad = {.role = PL_ROLE_VICTIM, .name = (char *)"x",
                          .capacity = PL_CAPACITY_DEFENDER};
    memcpy(bad.key, pl_key_pk(v.k[W_NEWV]), 32);
    pl_body b = {.type = PL_T_PARTICIPANTS};
    b.u.participants.add = &bad;
    b.u.participants.nadd = 1;
    uint8_t buf[512];
    size_t n;
    assert_int_equal(pl_body_encode(&b, buf, sizeof buf, &n), PL_E_BODY); /* nor is it sent */
    pl_body back;
    bad.role = PL_ROLE_COUNSEL, bad.licence = (char *)"L-1";
    assert_int_equal(pl_body_encode(&b, buf, sizeof buf, &n), PL_OK);
    assert_int_equal(pl_body_decode(PL_T_PARTICIPANTS, buf, n, &back), PL_OK);
    assert_int_equal(back.u.participants.add[0].capacity, PL_CAPACITY_DEFENDER);
    assert_string_equal(back.u.participants.add[0].licence, "L-1");
    pl_body_free(&back);
    w_free(&v);
}

static void replay_order(world *w, const size_t *order, size_t n, int *verdict);

/* Whether replaying w's log in the order that moves message `late` to
 * just before message `early` gives every message the verdict it has in
 * w's case. */
static void expect_same_verdicts_moved(world *w, size_t early, size_t late)
{
    size_t order[W_LOG_MAX], n = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (i == late)
            continue;
        if (i == early)
            order[n++] = late;
        order[n++] = i;
    }
    int a[W_LOG_MAX], b[W_LOG_MAX];
    for (size_t i = 0; i < w->n; i++)
        a[i] = pl_case_verdict(w->c, (size_t)pl_case_find(w->c, pl_msg_id(w->log[i])));
    replay_order(w, order, n, b);
    assert_memory_equal(a, b, w->n * sizeof a[0]);
}

/* SPEC §13.9 F0b (v2), found by review: a capacity comes with the seat,
 * from the change that seats the key in the view; a proposal that never
 * took effect gives none. A duty lawyer that proposes its next key as a
 * "defender" (or has the prosecution propose to replace the defender by
 * it), then rotates to it, is still a duty lawyer; a key the defender
 * rotated to stays a defender whatever a concurrent proposal says, in
 * either arrival order; and a duty lawyer's refused signature does not
 * spend counsel's one signature of the round. */
static void test_capacity_comes_with_the_seat_s13_9(void **state)
{
    (void)state;
    world w;
    pl_participant slot, lslot;
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    for (int via = 0; via < 2; via++) {
        w_init(&w, 0);
        w_seat_duty_lawyer(&w, &slot);
        memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_X]), 32);
        if (via == 0) { /* an unseconded addition of its next key as a defender */
            lslot = (pl_participant){.role = PL_ROLE_COUNSEL, .name = (char *)"Laundered",
                                     .capacity = PL_CAPACITY_DEFENDER};
            memcpy(lslot.key, pl_key_pk(w.k[W_X]), 32);
            pl_body b = {.type = PL_T_PARTICIPANTS};
            b.u.participants.add = &lslot;
            b.u.participants.nadd = 1;
            assert_int_equal(w_say(&w, W_NEWC, &b, NULL), PL_OK); /* proposed, never effective */
        } else { /* an unseconded replacement of the defender by that key */
            pl_msg *sess = w_fixed_session(&w, W_P, W_C);
            pl_body rp = wb_replace(&w, W_C, W_X, sess, 1);
            assert_int_equal(w_say(&w, W_P, &rp, NULL), PL_OK);
        }
        assert_int_equal(w_say(&w, W_NEWC, &rot, NULL), PL_OK);
        pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
        assert_int_equal(w_say(&w, W_X, &join, NULL), PL_OK);
        assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_X])), PL_ROLE_COUNSEL);
        assert_int_equal(pl_case_capacity(w.c, pl_key_pk(w.k[W_X])), PL_CAPACITY_DUTY_LAWYER);
        pl_msg *o = offer_made(&w);
        pl_body sg = wb_sign(o);
        assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
        assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
        pl_body k = sg;
        k.u.sign.has_session = 1;
        memcpy(k.u.sign.session, pl_msg_id(w.sign_session), 32);
        k.u.sign.witness = 1;
        assert_int_equal(w_say(&w, W_X, &k, NULL), PL_E_PRESENCE);
        expect_state(&w, PL_AGREEMENT_PENDING);
        /* the duty lawyer's refused signature spent nothing: the
         * defender witnesses, and the agreement is final */
        assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
        expect_state(&w, PL_AGREEMENT_FINAL);
        w_free(&w);
    }

    /* the defender rotates to X; the duty lawyer, not seeing it, proposes
     * X as a duty lawyer: X is a defender in both arrival orders */
    w_init(&w, 0);
    w_seat_duty_lawyer(&w, &slot);
    size_t i_rot = w.n;
    assert_int_equal(w_say(&w, W_C, &rot, NULL), PL_OK);
    lslot = (pl_participant){.role = PL_ROLE_COUNSEL, .name = (char *)"Relabelled",
                             .capacity = PL_CAPACITY_DUTY_LAWYER};
    memcpy(lslot.key, pl_key_pk(w.k[W_X]), 32);
    pl_body b = {.type = PL_T_PARTICIPANTS};
    b.u.participants.add = &lslot;
    b.u.participants.nadd = 1;
    size_t i_prop = w.n;
    assert_int_equal(w_say_seeing(&w, W_NEWC, &b, W_ALL & ~W_BIT(W_C), NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_X, &join, NULL), PL_OK);
    assert_int_equal(pl_case_capacity(w.c, pl_key_pk(w.k[W_X])), PL_CAPACITY_DEFENDER);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWC, &sg, NULL), PL_E_PRESENCE);
    expect_state(&w, PL_AGREEMENT_PENDING);
    expect_same_verdicts_moved(&w, i_rot, i_prop);
    w_free(&w);
}

/* SPEC §13.24, §13.9 F0c (v2): without the suspect's acknowledgment of
 * the rights notice in its signature's past nothing is final; only the
 * prosecution gives a notice and only the suspect acknowledges one. */
static void test_rights_notice_s13_24(void **state)
{
    (void)state;
    world w;
    w_no_notice = 1;
    w_init(&w, 0);
    w_no_notice = 0;
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING); /* the suspect was never told */
    pl_body n = wb_notice("The plea statement becomes void.");
    w.check_only = 1;
    assert_int_equal(w_say(&w, W_C, &n, NULL), PL_E_ROLE);
    w.check_only = 0;
    pl_msg *nm;
    assert_int_equal(w_say(&w, W_P, &n, &nm), PL_OK);
    pl_body a = wb_notice_ack(pl_msg_id(o));
    w.check_only = 1;
    assert_int_equal(w_say(&w, W_S, &a, NULL), PL_E_TARGET); /* not a notice */
    a = wb_notice_ack(pl_msg_id(nm));
    assert_int_equal(w_say(&w, W_C, &a, NULL), PL_E_ROLE); /* counsel cannot for the suspect */
    w.check_only = 0;
    assert_int_equal(w_say(&w, W_S, &a, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING); /* the signature came before it */
    w_free(&w);
}

/* SPEC §13.15 (v2): the plea is the suspect's. Counsel cannot retract
 * it (it files an opinion instead); the suspect can, and the report says
 * the plea statement is void and at which stage. */
static void test_retraction_is_the_suspects_s13_15(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_body rt = wb_simple(PL_T_RETRACT, "Counsel advises against the plea.");
    assert_int_equal(w_say(&w, W_C, &rt, NULL), PL_E_ROLE);
    assert_int_equal(w_say(&w, W_P, &rt, NULL), PL_E_ROLE);
    expect_state(&w, PL_AGREEMENT_FINAL);
    pl_body op = wb_opinion(PL_TOPIC_PROCEDURE, "Counsel advises against the plea.");
    assert_int_equal(w_say(&w, W_C, &op, NULL), PL_OK);
    pl_body mine = wb_simple(PL_T_RETRACT, "I withdraw my plea.");
    mine.u.retract.stage = PL_STAGE_TRIAL;
    assert_int_equal(w_say(&w, W_S, &mine, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_RETRACTED);
    char *text;
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_non_null(strstr(text, "THE SUSPECT WITHDRAWS THE PLEA (trial stage)"));
    assert_non_null(strstr(text, "the suspect withdrew the plea at trial: the plea statement is void"));
    free(text);
    w_free(&w);
}

/* SPEC §13.23 (v2): a judgment closes the negotiation only when both
 * sides recorded it with one body. One side's record alone closes
 * nothing (the prosecution cannot end the suspect's right to retract by
 * claiming a judgment); "adopted" needs a final agreement; a case has one
 * judgment. */
static void test_judgment_s13_23(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_body adopted = wb_judgment(1, 0x3a);
    assert_int_equal(w_say(&w, W_P, &adopted, NULL), PL_E_NOT_FINAL); /* nothing to adopt */
    assert_int_equal(w_say(&w, W_V, &adopted, NULL), PL_E_ROLE);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    /* the prosecution alone records a judgment: the suspect may still
     * retract (here concurrently, in a copy of the world's order) */
    pl_msg *pj;
    assert_int_equal(w_say(&w, W_P, &adopted, &pj), PL_OK);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.judgment, pl_case_find(w.c, pl_msg_id(pj)));
    assert_int_equal(st.judgment_confirmed, 0);
    pl_body rt = wb_simple(PL_T_RETRACT, "I withdraw my plea.");
    w.check_only = 1;
    assert_int_equal(w_say(&w, W_S, &rt, NULL), PL_OK);
    /* the prosecution, having said the case is judged, cannot reopen */
    pl_body ro = wb_reopen(PL_REOPEN_NEW_EVIDENCE, NULL);
    assert_int_equal(w_say(&w, W_P, &ro, NULL), PL_E_AFTER_JUDGMENT);
    /* nor record a second, different judgment; the defense may record the
     * one it holds true (one side's record bars nothing of the other's) */
    pl_body other = wb_judgment(0, 0x3b);
    assert_int_equal(w_say(&w, W_P, &other, NULL), PL_E_AFTER_JUDGMENT);
    assert_int_equal(w_say(&w, W_C, &other, NULL), PL_OK);
    w.check_only = 0;
    /* counsel records the same judgment: confirmed */
    assert_int_equal(w_say(&w, W_C, &adopted, NULL), PL_OK);
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.judgment_confirmed, 1);
    assert_int_equal(st.state, PL_AGREEMENT_FINAL);
    assert_int_equal(w_say(&w, W_S, &rt, NULL), PL_E_AFTER_JUDGMENT);
    pl_body ob = wb_offer(&w, PL_PENALTY_DETENTION, 2, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, NULL), PL_E_AFTER_JUDGMENT);
    pl_body wd = wb_simple(PL_T_WITHDRAW, "we leave");
    assert_int_equal(w_say(&w, W_C, &wd, NULL), PL_E_AFTER_JUDGMENT);
    pl_body ca = wb_simple(PL_T_COURT_ADJUST, "adjust");
    assert_int_equal(w_say(&w, W_P, &ca, NULL), PL_E_AFTER_JUDGMENT);
    assert_int_equal(w_say(&w, W_S, &adopted, NULL), PL_OK); /* the same one again */
    /* once confirmed, a different judgment by anyone is barred */
    assert_int_equal(w_say(&w, W_S, &other, NULL), PL_E_AFTER_JUDGMENT);
    expect_state(&w, PL_AGREEMENT_FINAL);
    w_free(&w);

    /* a false judgment recorded first by the suspect does not keep the
     * prosecution and counsel from recording the true one, and the suspect,
     * having said the case is judged, cannot retract */
    w_init(&w, 0);
    o = offer_made(&w);
    sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    pl_body fake = wb_judgment(0, 0x66);
    assert_int_equal(w_say(&w, W_S, &fake, NULL), PL_OK);
    pl_msg *real;
    assert_int_equal(w_say(&w, W_P, &adopted, &real), PL_OK);
    assert_int_equal(w_say(&w, W_S, &rt, NULL), PL_E_AFTER_JUDGMENT);
    assert_int_equal(w_say(&w, W_C, &adopted, NULL), PL_OK); /* counsel saw the suspect's */
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.judgment_confirmed, 1);
    assert_int_equal(st.judgments_differ, 1);
    assert_memory_equal(pl_msg_header(pl_case_msg(w.c, (size_t)st.judgment))->body_hash,
                        pl_msg_header(real)->body_hash, 32);
    char *text;
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_non_null(strstr(text, "judgment of Court A on 2026-01-01: the recommendation was adopted"));
    free(text);
    w_free(&w);
}

/* SPEC §16.3 step 6 (v2): a certificate whose own messages undo the
 * agreement — here an attestation that had seen the suspect's retraction —
 * is not reported final, although each claimed signature is valid. */
static void test_certificate_whole_record_s16_3(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    case1_final(&w);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    const pl_msg *p = by_id_index(&w, st.sign_prosecution), *s = by_id_index(&w, st.sign_suspect),
                 *k = by_id_index(&w, st.sign_counsel);
    pl_body rt = wb_simple(PL_T_RETRACT, "I withdraw my plea before judgment.");
    assert_int_equal(w_say(&w, W_S, &rt, NULL), PL_OK);
    pl_msg *att;
    pl_body ab = wb_simple(PL_T_ATTESTATION, "heads verified");
    assert_int_equal(w_say(&w, W_O, &ab, &att), PL_OK);
    uint8_t *built;
    size_t bn;
    assert_int_equal(pl_cert_build(w.c, &built, &bn), PL_E_NOT_FINAL);
    const pl_msg *claim[4] = {p, s, k, att};
    char keep[W_LOG_MAX];
    past_of(&w, claim, 4, keep);
    size_t n;
    uint8_t *cert = hand_cert(&w, claim, keep, 0, &n);
    pl_cert_report r;
    assert_int_equal(pl_cert_verify(cert, n, &r), PL_E_CERT);
    assert_false(r.valid);
    assert_non_null(strstr(r.detail, "retracted"));
    pl_cert_report_free(&r);
    free(cert);
    w_free(&w);
}

/* SPEC §16.1 (v2): exporting one agreement twice gives the same bytes,
 * also after later attestations and messages. */
static void test_certificate_same_bytes_s16_1(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    case1_final(&w);
    uint8_t *a, *b;
    size_t na, nb;
    assert_int_equal(pl_cert_build(w.c, &a, &na), PL_OK);
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "after the agreement");
    assert_int_equal(w_say(&w, W_V, &op, NULL), PL_OK);
    pl_body ab = wb_simple(PL_T_ATTESTATION, "heads verified again");
    assert_int_equal(w_say(&w, W_O, &ab, NULL), PL_OK);
    assert_int_equal(pl_cert_build(w.c, &b, &nb), PL_OK);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
    w_free(&w);
}

/* SPEC §13.9 step 9 (v2): the defense does not sign over an input it had
 * seen without an answer; once the prosecution answers, it does. */
static void test_r3_defense_signs_over_unanswered_s13_9(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    pl_msg *op;
    pl_body vo = wb_opinion(PL_TOPIC_COMPENSATION, "I have not been compensated.");
    assert_int_equal(w_say(&w, W_V, &vo, &op), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_E_UNANSWERED);
    pl_body r = wb_response(op, PL_DECISION_PARTLY, "Compensation is a condition of the fine.");
    assert_int_equal(w_say(&w, W_P, &r, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    w_free(&w);
}

/* SPEC §13.9 F1 (v2): an input the observer had attested before it had
 * seen the three signatures must be answered, even when no signer
 * referenced it: the prosecution cannot leave the victim unheard by not
 * looking. An input attested after the agreement does not undo it. */
static void test_r3_observer_witnessed_input_s13_9(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w), *op;
    pl_body vo = wb_opinion(PL_TOPIC_FORGIVENESS, "I do not forgive; I ask to be heard.");
    assert_int_equal(w_say(&w, W_V, &vo, &op), PL_OK);
    pl_body att = wb_simple(PL_T_ATTESTATION, "heads verified");
    assert_int_equal(w_say(&w, W_O, &att, NULL), PL_OK);
    /* the three sign without referencing the victim or the observer */
    pl_body sg = wb_sign(o);
    unsigned parties = W_BIT(W_P) | W_BIT(W_S) | W_BIT(W_C);
    assert_int_equal(w_say_seeing(&w, W_P, &sg, parties, NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_S, &sg, parties, NULL), PL_OK);
    assert_int_equal(w_say_seeing(&w, W_C, &sg, parties, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING);
    pl_body r = wb_response(op, PL_DECISION_NOT_ADOPTED, "Heard; the recommendation stands because ...");
    assert_int_equal(w_say(&w, W_P, &r, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    /* after the agreement: a new opinion, attested with the signatures */
    pl_body vo2 = wb_opinion(PL_TOPIC_OTHER, "said after the agreement");
    assert_int_equal(w_say(&w, W_V, &vo2, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_O, &att, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    w_free(&w);
}

/* SPEC §13.10 F2 (v2): a withdrawn offer signed by a defense that left the
 * withdrawal out of its references is not final once the observer attested
 * the withdrawal before those signatures (1), or another key of the defense
 * had seen it (3); without such a witness the race stands (0), and a signer
 * who learns of the withdrawal only after signing cannot un-final the
 * agreement by saying so (2). */
static void test_r5_withdrawal_witnessed_s13_10(void **state)
{
    (void)state;
    for (int witness = 0; witness < 4; witness++) {
        world w;
        w_init(&w, 0);
        if (witness == 3) { /* a second counsel, seated by all three */
            pl_participant add;
            pl_body ch = wb_add_counsel(&w, &add);
            assert_int_equal(w_say(&w, W_C, &ch, NULL), PL_OK);
            assert_int_equal(w_say(&w, W_P, &ch, NULL), PL_OK);
            assert_int_equal(w_say(&w, W_S, &ch, NULL), PL_OK);
            pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
            assert_int_equal(w_say(&w, W_NEWC, &join, NULL), PL_OK);
        }
        pl_msg *o = offer_made(&w);
        pl_body sg = wb_sign(o);
        assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
        /* each defense key has seen the prosecution's signature */
        pl_body pr = wb_propose(0, 0);
        assert_int_equal(w_say(&w, W_C, &pr, NULL), PL_OK);
        assert_int_equal(w_say(&w, W_S, &pr, NULL), PL_OK);
        pl_body wd = wb_withdraw_offer(o, "new evidence; the offer is withdrawn");
        assert_int_equal(w_say(&w, W_P, &wd, NULL), PL_OK);
        pl_body pr2 = wb_propose(0, 1);
        if (witness == 1) {
            pl_body att = wb_simple(PL_T_ATTESTATION, "heads verified");
            assert_int_equal(w_say(&w, W_O, &att, NULL), PL_OK);
        } else if (witness == 3) {
            assert_int_equal(w_say_seeing(&w, W_NEWC, &pr2, W_BIT(W_P), NULL), PL_OK);
        }
        /* counsel signs, seeing only its own chain */
        assert_int_equal(w_say_seeing(&w, W_C, &sg, 0, NULL), PL_OK);
        /* the suspect signs, leaving the withdrawal out of its references */
        assert_int_equal(w_say_seeing(&w, W_S, &sg, 0, NULL), PL_OK);
        if (witness == 2) {
            expect_state(&w, PL_AGREEMENT_FINAL);
            /* counsel sees the withdrawal only now, after signing */
            assert_int_equal(w_say_seeing(&w, W_C, &pr2, W_BIT(W_P), NULL), PL_OK);
        }
        expect_state(&w, witness == 1 || witness == 3 ? PL_AGREEMENT_PENDING : PL_AGREEMENT_FINAL);
        w_free(&w);
    }
}

/* SPEC §13.22 (R14): a victim who floods opinions is heard, but past 32
 * unanswered ones its opinions oblige no answer; the prosecution answers
 * the 32 and goes on. */
static void test_quota_open_inputs_s13_22(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *first = NULL, *m;
    for (int i = 0; i < 40; i++) {
        char text[64];
        snprintf(text, sizeof text, "opinion %d", i);
        pl_body op = wb_opinion(PL_TOPIC_OTHER, text);
        assert_int_equal(w_say(&w, W_V, &op, &m), PL_OK); /* kept, valid */
        if (i == 0)
            first = m;
        size_t at = (size_t)pl_case_find(w.c, pl_msg_id(m));
        assert_int_equal(pl_case_is_input(w.c, at), i < PL_QUOTA_OPEN_INPUTS);
    }
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    assert_int_equal(st.open_inputs, PL_QUOTA_OPEN_INPUTS);
    /* answering all 32 unblocks the prosecution; the 8 others never blocked it */
    for (size_t i = 0; i < pl_case_count(w.c); i++)
        if (pl_case_is_input(w.c, i) == 1 && pl_case_input_answered(w.c, i) == 0) {
            pl_body r = wb_response(pl_case_msg(w.c, i), PL_DECISION_NOT_ADOPTED, "Heard.");
            assert_int_equal(w_say(&w, W_P, &r, NULL), PL_OK);
        }
    pl_body o = wb_offer(&w, DET, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &o, NULL), PL_OK);
    /* with the answers in its past, the victim's next opinion is an input */
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "after the answers");
    assert_int_equal(w_say(&w, W_V, &op, &m), PL_OK);
    assert_int_equal(pl_case_is_input(w.c, (size_t)pl_case_find(w.c, pl_msg_id(m))), 1);
    (void)first;
    w_free(&w);
}

/* SPEC §13.22 (R14): an author's counted messages stop at 1000 (PL_E_QUOTA
 * after); its acts — here counsel's signature — are never counted, so a
 * flood never blocks them. */
static void test_quota_volume_and_acts_s13_22(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *o = offer_made(&w);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    pl_msg *m;
    /* the join and the signing session's proposal (w_init) counted two */
    for (int i = 0; i < PL_QUOTA_MESSAGES - 2; i++) {
        pl_body pr = wb_propose(0, 0);
        assert_int_equal(w_say_seeing(&w, W_C, &pr, 0, &m), PL_OK);
    }
    uint32_t used;
    uint64_t bytes;
    assert_int_equal(pl_case_usage(w.c, pl_key_pk(w.k[W_C]), &used, &bytes), PL_OK);
    assert_int_equal(used, PL_QUOTA_MESSAGES);
    pl_body pr = wb_propose(0, 0);
    assert_int_equal(pl_case_check(w.c, NULL), PL_E_ARG);
    assert_int_equal(w_say_seeing(&w, W_C, &pr, 0, NULL), PL_E_QUOTA);
    /* the act still goes through */
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    assert_int_equal(pl_case_usage(w.c, pl_key_pk(w.k[W_C]), &used, &bytes), PL_OK);
    assert_int_equal(used, PL_QUOTA_MESSAGES + 1); /* the flagged one counts; the act does not */
    w_free(&w);
}

/* SPEC §13.22 (v2): a rotation seats its new key on the seat's quota, not
 * a fresh one, and a seat rotates at most PL_QUOTA_ROTATIONS times: one
 * participant cannot fill the case's author table (§6.7) with keys of its
 * own, nor buy a fresh quota with each. */
static void test_quota_seat_rotations_s13_22(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    for (int i = 0; i < 10; i++) {
        pl_body op = wb_opinion(PL_TOPIC_OTHER, "again");
        assert_int_equal(w_say_seeing(&w, W_V, &op, 0, NULL), PL_OK);
    }
    uint32_t used, before;
    uint64_t bytes;
    assert_int_equal(pl_case_usage(w.c, pl_key_pk(w.k[W_V]), &before, &bytes), PL_OK);
    assert_int_equal(before, 11); /* the join and ten opinions */
    /* V -> NEWV -> X -> Q1: three rotations, each an act */
    int chain[] = {W_V, W_NEWV, W_X, W_Q1, W_Q2};
    for (int r = 0; r < 4; r++) {
        pl_body rot = {.type = PL_T_KEY_ROTATE};
        memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[chain[r + 1]]), 32);
        int want = r < PL_QUOTA_ROTATIONS ? PL_OK : PL_E_QUOTA;
        assert_int_equal(w_say(&w, chain[r], &rot, NULL), want);
        if (want != PL_OK)
            break;
        pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
        assert_int_equal(w_say(&w, chain[r + 1], &join, NULL), PL_OK);
        assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[chain[r + 1]])), PL_ROLE_VICTIM);
        /* the new key's count goes on from the seat's: its join adds one */
        assert_int_equal(pl_case_usage(w.c, pl_key_pk(w.k[chain[r + 1]]), &used, &bytes), PL_OK);
        assert_int_equal(used, before + (uint32_t)r + 1);
    }
    /* the fourth rotation is refused; Q1 keeps the seat, Q2 has no role */
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_Q1])), PL_ROLE_VICTIM);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_Q2])), PL_ROLE_NONE);
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "still here");
    assert_int_equal(w_say(&w, W_Q1, &op, NULL), PL_OK);
    w_free(&w);
}

/* SPEC §13.2 *Identity*, §13.3 *Confirmation* (v2): in a case whose
 * charter binds the suspect's seat, every key that takes the seat joins
 * confirming the charter's name and identity hash in a fixed session;
 * anything less, and any confirmation by another role, is PL_E_IDENTITY. */
static void test_identity_confirmation_s13_3(void **state)
{
    (void)state;
    world w;
    w_init_bound(&w); /* the charter's suspect key confirmed already */
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_S])), PL_ROLE_SUSPECT);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    assert_int_equal(w_say(&w, W_S, &rot, NULL), PL_OK);
    /* the rotated-to key is in the suspect's seat: a plain join will not do */
    pl_body plain = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWS, &plain, NULL), PL_E_IDENTITY);
    pl_body wrong_name = wb_confirm(&w, "Li Si", w.id_hash, w.id_session);
    assert_int_equal(w_say(&w, W_NEWS, &wrong_name, NULL), PL_E_IDENTITY);
    uint8_t other[32];
    assert_int_equal(pl_identity_hash(w.case_id, "E12345678", other), PL_OK);
    pl_body wrong_hash = wb_confirm(&w, W_SUSPECT_NAME, other, w.id_session);
    assert_int_equal(w_say(&w, W_NEWS, &wrong_hash, NULL), PL_E_IDENTITY);
    /* a session proposed but never accepted is not fixed */
    pl_body pr = wb_propose(0, 1);
    pl_msg *open_session;
    assert_int_equal(w_say(&w, W_P, &pr, &open_session), PL_OK);
    pl_body unfixed = wb_confirm(&w, W_SUSPECT_NAME, w.id_hash, open_session);
    assert_int_equal(w_say(&w, W_NEWS, &unfixed, NULL), PL_E_IDENTITY);
    /* nor is a message that is no session proposal at all */
    pl_body not_session = wb_confirm(&w, W_SUSPECT_NAME, w.id_hash, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWS, &not_session, NULL), PL_E_IDENTITY);
    /* none of these joined it; the confirmation in the fixed session does */
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "I am here.");
    assert_int_equal(w_say(&w, W_NEWS, &op, NULL), PL_E_NOT_JOINED);
    pl_body conf = wb_confirm(&w, W_SUSPECT_NAME, w.id_hash, w.id_session);
    assert_int_equal(w_say(&w, W_NEWS, &conf, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWS, &op, NULL), PL_OK);
    /* another role never confirms the suspect's identity */
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWV]), 32);
    assert_int_equal(w_say(&w, W_V, &rot, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWV, &conf, NULL), PL_E_IDENTITY);
    assert_int_equal(w_say(&w, W_NEWV, &plain, NULL), PL_OK);
    w_free(&w);

    /* a charter that binds nothing: a confirmation is refused, plain joins do */
    w_init(&w, 0);
    pl_msg *sess = w_fixed_session(&w, W_P, W_C);
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    assert_int_equal(w_say(&w, W_S, &rot, NULL), PL_OK);
    uint8_t h[32];
    assert_int_equal(pl_identity_hash(w.case_id, W_ID_NUMBER, h), PL_OK);
    conf = wb_confirm(&w, W_SUSPECT_NAME, h, sess);
    plain = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWS, &conf, NULL), PL_E_IDENTITY);
    assert_int_equal(w_say(&w, W_NEWS, &plain, NULL), PL_OK);
    w_free(&w);
}

/* The verdicts of w's log added to a fresh case in the order given
 * (indices into w.log), in w.log's order. */
static void replay_order(world *w, const size_t *order, size_t n, int *verdict)
{
    pl_case *c = pl_case_new(w->case_id);
    for (size_t i = 0; i < n; i++)
        if (pl_case_add(c, w->log[order[i]]) == PL_E_NOMEM)
            fail_msg("out of memory");
    for (size_t i = 0; i < n; i++) {
        long k = pl_case_find(c, pl_msg_id(w->log[i]));
        verdict[i] = k < 0 ? PL_E_UNRESOLVED : pl_case_verdict(c, (size_t)k);
    }
    pl_case_destroy(&c);
}

/* SPEC §13.18 (v2) *Contested keys*: the suspect rotates to a new key and
 * the victim, leaving that rotation out of its references, rotates to the
 * same key. Neither rotation seats it, whichever a node received first:
 * the suspect keeps its seat under its old key, the victim its own, and
 * the new key has no role; the verdicts are the same in both orders. */
static void test_contested_rotation_s13_18(void **state)
{
    (void)state;
    world w;
    w_init_bound(&w);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    size_t srot = w.n;
    assert_int_equal(w_say(&w, W_S, &rot, NULL), PL_OK);
    pl_body conf = wb_confirm(&w, W_SUSPECT_NAME, w.id_hash, w.id_session);
    assert_int_equal(w_say(&w, W_NEWS, &conf, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    size_t vrot = w.n;
    assert_int_equal(w_say_seeing(&w, W_V, &rot, 0, NULL), PL_OK);
    /* contested: void, both of them */
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_NONE);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_S])), PL_ROLE_SUSPECT);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_V])), PL_ROLE_VICTIM);
    assert_int_equal(pl_case_change_state(w.c, srot), PL_CHANGE_OBJECTED);
    assert_false(pl_case_retired(w.c, pl_key_pk(w.k[W_S]))); /* a void rotation retires no one */
    assert_int_equal(pl_case_change_state(w.c, vrot), PL_CHANGE_OBJECTED);
    pl_msg *o;
    pl_body ob = wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWS, &sg, NULL), PL_E_NOT_PARTICIPANT);
    assert_int_equal(w_say(&w, W_S, &sg, NULL), PL_OK); /* the suspect's own key still signs */
    /* the other order: the victim's rotation first */
    size_t order[W_LOG_MAX], n = 0;
    for (size_t i = 0; i < w.n; i++) {
        if (i == vrot)
            continue;
        if (i == srot)
            order[n++] = vrot;
        order[n++] = i;
    }
    int a[W_LOG_MAX], b[W_LOG_MAX];
    for (size_t i = 0; i < w.n; i++)
        a[i] = pl_case_verdict(w.c, (size_t)pl_case_find(w.c, pl_msg_id(w.log[i])));
    replay_order(&w, order, n, b);
    assert_memory_equal(a, b, w.n * sizeof a[0]);
    w_free(&w);
}

/* SPEC §13.18 (v2) *Prevailing change*: the suspect lost its key, and the
 * prosecution and counsel replace it in a fixed session with the new key's
 * acceptance. The victim, having seen the new key, rotates to it, leaving
 * the replacement out of its references. The replacement carries the key's
 * own signature and the rotation does not: the replacement prevails, in
 * either arrival order, and the victim's rotation is void (the victim
 * keeps its own key). Without an acceptance (a victim's replacement needs
 * none), the same rotation voids the replacement and itself. */
static void test_accepted_replacement_prevails_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *sess = w_fixed_session(&w, W_C, W_P);
    pl_body rep = wb_replace(&w, W_S, W_NEWS, sess, 1);
    size_t prep = w.n;
    assert_int_equal(w_say(&w, W_P, &rep, NULL), PL_OK);
    size_t crep = w.n;
    assert_int_equal(w_say(&w, W_C, &rep, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    size_t vrot = w.n;
    assert_int_equal(w_say_seeing(&w, W_V, &rot, 0, NULL), PL_OK);
    /* the replacement stands; the rotation is void */
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_S])), PL_ROLE_NONE);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_V])), PL_ROLE_VICTIM);
    assert_false(pl_case_retired(w.c, pl_key_pk(w.k[W_V])));
    assert_int_equal(pl_case_change_state(w.c, prep), PL_CHANGE_EFFECTIVE);
    assert_int_equal(pl_case_change_state(w.c, crep), PL_CHANGE_EFFECTIVE);
    assert_int_equal(pl_case_change_state(w.c, vrot), PL_CHANGE_OBJECTED);
    /* the new key acts as the suspect: joins and completes an agreement */
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWS, &join, NULL), PL_OK);
    pl_msg *o;
    pl_body ob = wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWS, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_FINAL);
    assert_int_equal(w_say(&w, W_V, &sg, NULL), PL_E_ROLE); /* still the victim, not the suspect */
    /* the rotation received before the replacement: the same verdicts */
    expect_same_verdicts_moved(&w, prep, vrot);
    w_free(&w);

    /* a victim's replacement without the new key's acceptance: the
     * observer's rotation to its new key voids both */
    w_init(&w, 0);
    pl_body vrep = wb_replace(&w, W_V, W_NEWV, NULL, 0);
    assert_int_equal(w_say(&w, W_P, &vrep, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &vrep, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWV])), PL_ROLE_VICTIM);
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWV]), 32);
    assert_int_equal(w_say_seeing(&w, W_O, &rot, 0, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWV])), PL_ROLE_NONE);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_V])), PL_ROLE_VICTIM);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_O])), PL_ROLE_OBSERVER);
    w_free(&w);
}

/* SPEC §13.18 (v2): a contest decided can make another change effective,
 * which contests another key. The suspect's lost key is replaced with the
 * new key's acceptance while the victim rotates to that key (the
 * replacement prevails); the new suspect key proposes a co-counsel that
 * the prosecution seconds, and the observer rotates to the co-counsel's
 * key. Whichever concurrent change a node received first, both end with
 * the same roles: the replacement seats the suspect, the addition and the
 * observer's rotation void each other. */
static void test_contests_settle_in_any_order_s13_18(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *sess = w_fixed_session(&w, W_C, W_P);
    pl_body rep = wb_replace(&w, W_S, W_NEWS, sess, 1);
    size_t prep = w.n;
    assert_int_equal(w_say(&w, W_P, &rep, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &rep, NULL), PL_OK);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    size_t vrot = w.n;
    assert_int_equal(w_say_seeing(&w, W_V, &rot, 0, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWS, &join, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    pl_participant slot;
    pl_body add = wb_add_counsel(&w, &slot);
    assert_int_equal(w_say(&w, W_NEWS, &add, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_P, &add, NULL), PL_OK);
    pl_body rot2 = {.type = PL_T_KEY_ROTATE};
    memcpy(rot2.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWC]), 32);
    size_t orot = w.n;
    assert_int_equal(w_say_seeing(&w, W_O, &rot2, 0, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWC])), PL_ROLE_NONE);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_O])), PL_ROLE_OBSERVER);
    assert_int_equal(pl_case_change_state(w.c, orot), PL_CHANGE_OBJECTED);
    /* the victim's rotation first: the same verdicts and roles */
    expect_same_verdicts_moved(&w, prep, vrot);
    size_t order[W_LOG_MAX], n = 0;
    for (size_t i = 0; i < w.n; i++) {
        if (i == vrot)
            continue;
        if (i == prep)
            order[n++] = vrot;
        order[n++] = i;
    }
    pl_case *c2 = pl_case_new(w.case_id);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(pl_case_add(c2, w.log[order[i]]), PL_E_NOMEM);
    assert_int_equal(pl_case_role(c2, pl_key_pk(w.k[W_NEWS])), PL_ROLE_SUSPECT);
    assert_int_equal(pl_case_role(c2, pl_key_pk(w.k[W_NEWC])), PL_ROLE_NONE);
    assert_int_equal(pl_case_role(c2, pl_key_pk(w.k[W_O])), PL_ROLE_OBSERVER);
    pl_case_destroy(&c2);
    w_free(&w);
}

/* SPEC §13.3 (v2): a key that joined in another role and came to the
 * suspect's seat of a bound case never confirmed the identity: nothing it
 * signs counts (here it comes by the victim's rotation, then the
 * suspect's, concurrent: contested, so it has no role at all; and a key
 * with the seat but an unconfirming join is PL_E_IDENTITY). */
static void test_unconfirmed_key_in_seat_s13_3(void **state)
{
    (void)state;
    world w;
    w_init_bound(&w);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    assert_int_equal(w_say(&w, W_V, &rot, NULL), PL_OK);
    pl_body join = wb_ref(PL_T_JOIN, w.log[0]);
    assert_int_equal(w_say(&w, W_NEWS, &join, NULL), PL_OK); /* as the victim */
    assert_int_equal(w_say_seeing(&w, W_S, &rot, 0, NULL), PL_OK);
    assert_int_equal(pl_case_role(w.c, pl_key_pk(w.k[W_NEWS])), PL_ROLE_NONE);
    pl_msg *o;
    pl_body ob = wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
    assert_int_equal(w_say(&w, W_P, &ob, &o), PL_OK);
    pl_body sg = wb_sign(o);
    assert_int_equal(w_say(&w, W_P, &sg, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_NEWS, &sg, NULL), PL_E_NOT_PARTICIPANT);
    assert_int_equal(w_say(&w, W_C, &sg, NULL), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING);
    w_free(&w);
}

/* SPEC §13.5 (v2): only a suspect's participant map carries id_hash, and
 * a join's confirmation is whole or absent. */
static void test_identity_bodies_s13_5(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    wb_charter_mem mem;
    uint8_t nonce[32] = {1};
    pl_body ch = wb_charter(&w, 0, nonce, &mem);
    uint8_t buf[4096];
    size_t len;
    pl_body back;
    for (size_t i = 0; i < ch.u.charter.nparticipants; i++) {
        mem.ps[i].has_id_hash = 1;
        memset(mem.ps[i].id_hash, 0x42, 32);
        /* the encoder checks what it writes, as a receiver would */
        int want = mem.ps[i].role == PL_ROLE_SUSPECT ? PL_OK : PL_E_BODY;
        assert_int_equal(pl_body_encode(&ch, buf, sizeof buf, &len), want);
        mem.ps[i].has_id_hash = 0;
        if (want != PL_OK)
            continue;
        assert_int_equal(pl_body_decode(PL_T_CHARTER, buf, len, &back), PL_OK);
        assert_true(back.u.charter.participants[i].has_id_hash);
        assert_memory_equal(back.u.charter.participants[i].id_hash, mem.ps[i].id_hash, 32);
        pl_body_free(&back);
    }
    pl_body conf = wb_confirm(&w, W_SUSPECT_NAME, mem.ps[0].id_hash, w.log[0]);
    assert_int_equal(pl_body_encode(&conf, buf, sizeof buf, &len), PL_OK);
    assert_int_equal(pl_body_decode(PL_T_JOIN, buf, len, &back), PL_OK);
    assert_true(back.u.join.has_identity);
    assert_string_equal(back.u.join.name, W_SUSPECT_NAME);
    pl_body_free(&back);
    /* a join with id_hash and name but no session: not whole */
    static const uint8_t partial[] = {
        0x83, 0xa7, 'c', 'h', 'a', 'r', 't', 'e', 'r', 0xc4, 0x20,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        0xa7, 'i', 'd', '_', 'h', 'a', 's', 'h', 0xc4, 0x20,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        0xa4, 'n', 'a', 'm', 'e', 0xa2, 'L', 'i'};
    assert_int_equal(pl_body_decode(PL_T_JOIN, partial, sizeof partial, &back), PL_E_BODY);
    pl_body_free(&back);
    w_free(&w);
}

/* SPEC §17.2, §13.18: the report lists who holds each role now and who
 * held it before, and every role change with its kind, keys, session and
 * signers; a replacement the old key objected to is shown void. */
static void test_report_role_changes_s17_2(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *sess = w_fixed_session(&w, W_C, W_P);
    pl_body rep = wb_replace(&w, W_S, W_NEWS, sess, 1);
    assert_int_equal(w_say(&w, W_P, &rep, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_C, &rep, NULL), PL_OK);
    pl_body rot = {.type = PL_T_KEY_ROTATE};
    memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWV]), 32);
    assert_int_equal(w_say(&w, W_V, &rot, NULL), PL_OK);
    pl_role_change rc[8];
    assert_int_equal(pl_report_role_changes(w.c, rc, 8), 2);
    assert_int_equal(rc[0].type, PL_T_KEY_REPLACE);
    assert_int_equal(rc[0].role, PL_ROLE_SUSPECT);
    assert_int_equal(rc[0].state, PL_CHANGE_EFFECTIVE);
    assert_int_equal(rc[0].nsigners, 2);
    assert_memory_equal(rc[0].old_key, pl_key_pk(w.k[W_S]), 32);
    assert_memory_equal(rc[0].new_key, pl_key_pk(w.k[W_NEWS]), 32);
    assert_true(rc[0].has_session);
    assert_int_equal(rc[1].type, PL_T_KEY_ROTATE);
    assert_int_equal(rc[1].role, PL_ROLE_VICTIM);
    char *text, *json;
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_non_null(strstr(text, "ROLE CHANGES"));
    assert_non_null(strstr(text, "suspect replace:"));
    assert_non_null(strstr(text, "victim rotate:"));
    assert_non_null(strstr(text, "held it before; no longer"));
    assert_non_null(strstr(text, "accepted by the new key"));
    assert_null(strstr(text, "VOID"));
    free(text);
    /* the real suspect objects: the change is shown void, its key holds the role */
    pl_body obj = wb_opinion(PL_TOPIC_OTHER, "I did not accept this.");
    assert_int_equal(w_say(&w, W_S, &obj, NULL), PL_OK);
    assert_int_equal(pl_report_role_changes(w.c, rc, 8), 2);
    assert_int_equal(rc[0].state, PL_CHANGE_OBJECTED);
    assert_int_equal(pl_report_text(w.c, &text), PL_OK);
    assert_int_equal(pl_report_json(w.c, &json), PL_OK);
    assert_non_null(strstr(text, "[VOID: objected by the old key]"));
    assert_non_null(strstr(json, "\"kind\":\"replace\",\"role\":\"suspect\",\"state\":\"void"));
    assert_non_null(strstr(json, "\"holds_role_now\":false"));
    free(text);
    free(json);
    w_free(&w);
}

/* SPEC §16.3: a claim whose signatures name two offers (even with equal
 * terms) is not a final agreement, and the certificate fails. */
static void test_certificate_one_offer_s16_3(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_msg *a, *b, *pa, *sa, *cb;
    pl_body ba = wb_offer(&w, DET, 2, 3, 4000, NULL), bb = wb_offer(&w, DET, 2, 3, 4000, NULL);
    assert_int_equal(w_say(&w, W_P, &ba, &a), PL_OK);
    assert_int_equal(w_say(&w, W_P, &bb, &b), PL_OK); /* same terms, another offer */
    pl_body sga = wb_sign(a), sgb = wb_sign(b);
    assert_int_equal(w_say(&w, W_P, &sga, &pa), PL_OK);
    assert_int_equal(w_say(&w, W_P, &sgb, NULL), PL_OK);
    assert_int_equal(w_say(&w, W_S, &sga, &sa), PL_OK);
    assert_int_equal(w_say(&w, W_C, &sgb, &cb), PL_OK);
    expect_state(&w, PL_AGREEMENT_PENDING);
    /* a hand-made certificate claiming (pa, sa, cb) over the whole log */
    size_t cap = 1 << 20, n = 0;
    uint8_t *cert = malloc(cap);
    memcpy(cert, PL_CERT_MAGIC, PL_CERT_MAGIC_BYTES), n += PL_CERT_MAGIC_BYTES;
    memcpy(cert + n, w.case_id, 32), n += 32;
    cert[n++] = 0x94;
    const pl_msg *claim[3] = {pa, sa, cb};
    for (int i = 0; i < 3; i++) {
        cert[n++] = 0xc4, cert[n++] = 32;
        memcpy(cert + n, pl_msg_id(claim[i]), 32), n += 32;
    }
    cert[n++] = 0xc0;
    for (size_t i = 0; i < w.n; i++) {
        size_t len;
        const uint8_t *m = pl_msg_bytes(w.log[i], &len);
        memcpy(cert + n, m, len), n += len;
    }
    pl_cert_report r;
    assert_int_equal(pl_cert_verify(cert, n, &r), PL_E_CERT);
    assert_false(r.valid);
    pl_cert_report_free(&r);
    free(cert);
    w_free(&w);
}

int main(int argc, char **argv)
{
    if (pl_init() != PL_OK)
        return 1;
    if (argc > 1) /* a pattern: ctest's `observer_standing` runs a part */
        cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r1_bilateral_finality_s13_9),
        cmocka_unit_test(test_r1_no_subset_is_final_s13_9),
        cmocka_unit_test(test_r1_same_offer_one_signature_s13_9),
        cmocka_unit_test(test_r2_either_side_proposes_s13_6),
        cmocka_unit_test(test_r3_duty_to_answer_s13_8),
        cmocka_unit_test(test_r3_concurrent_input_s13_19),
        cmocka_unit_test(test_r4_victim_heard_s13_7),
        cmocka_unit_test(test_r5_no_unilateral_close_s13_10),
        cmocka_unit_test(test_r5_withdrawal_race_s13_19),
        cmocka_unit_test(test_r6_sessions_by_consent_s13_11),
        cmocka_unit_test(test_r7_disclosure_s13_12),
        cmocka_unit_test(test_r8_observer_draw_s13_13),
        cmocka_unit_test(test_standing_join_fork_at_reveal_s13_13),
        cmocka_unit_test(test_standing_join_fork_below_s13_13),
        cmocka_unit_test(test_standing_join_same_on_both_branches_s13_13),
        cmocka_unit_test(test_standing_join_forked_key_seats_nobody_s13_13),
        cmocka_unit_test(test_standing_join_spare_key_keeps_f1_s13_13),
        cmocka_unit_test(test_next_header_s6_2),
        cmocka_unit_test(test_todo_s13_8),
        cmocka_unit_test(test_r9_equivocation_voids_s13_14),
        cmocka_unit_test(test_r10_r11_retraction_and_rounds_s13_15),
        cmocka_unit_test(test_counsel_witnesses_s13_9),
        cmocka_unit_test(test_rights_notice_s13_24),
        cmocka_unit_test(test_duty_lawyer_does_not_bypass_defender_s13_9),
        cmocka_unit_test(test_duty_lawyer_not_for_a_minor_s13_9),
        cmocka_unit_test(test_cases_md_case4_minor_theft),
        cmocka_unit_test(test_cases_md_case2_card_rental),
        cmocka_unit_test(test_cases_md_case3_injury),
        cmocka_unit_test(test_settlement_s13_25),
        cmocka_unit_test(test_settlement_body_s13_5),
        cmocka_unit_test(test_guardian_s13_26),
        cmocka_unit_test(test_interpreter_s13_27),
        cmocka_unit_test(test_particulars_s13_2),
        cmocka_unit_test(test_warnings_s13_28),
        cmocka_unit_test(test_deadline_s13_2),
        cmocka_unit_test(test_capacity_comes_with_the_seat_s13_9),
        cmocka_unit_test(test_retraction_is_the_suspects_s13_15),
        cmocka_unit_test(test_reopen_s13_16),
        cmocka_unit_test(test_judgment_s13_23),
        cmocka_unit_test(test_r12_recording_anchor_s13_17),
        cmocka_unit_test(test_charter_and_participation_s13_3),
        cmocka_unit_test(test_participant_change_needs_both_s13_18),
        cmocka_unit_test(test_key_rotation_s13_18),
        cmocka_unit_test(test_key_replacement_retires_old_key_s13_18),
        cmocka_unit_test(test_suspect_key_replacement_in_session_s13_18),
        cmocka_unit_test(test_pair_prosecution_counsel_cannot_replace_suspect_s13_18),
        cmocka_unit_test(test_pairs_cannot_take_a_seat_s13_18),
        cmocka_unit_test(test_objection_sendable_and_rotation_s13_18),
        cmocka_unit_test(test_quota_act_bytes_s13_22),
        cmocka_unit_test(test_objection_order_and_self_replace_s13_18),
        cmocka_unit_test(test_join_again_after_early_join_s13_3),
        cmocka_unit_test(test_retired_key_without_messages_s13_18),
        cmocka_unit_test(test_order_independent_state_s13_19),
        cmocka_unit_test(test_body_schema_s13_5),
        cmocka_unit_test(test_certificate_s16_3),
        cmocka_unit_test(test_certificate_claim_checked_s16_3),
        cmocka_unit_test(test_certificate_one_offer_s16_3),
        cmocka_unit_test(test_certificate_exact_contents_s16_1),
        cmocka_unit_test(test_certificate_whole_record_s16_3),
        cmocka_unit_test(test_certificate_same_bytes_s16_1),
        cmocka_unit_test(test_report_role_changes_s17_2),
        cmocka_unit_test(test_r3_defense_signs_over_unanswered_s13_9),
        cmocka_unit_test(test_r3_observer_witnessed_input_s13_9),
        cmocka_unit_test(test_r5_withdrawal_witnessed_s13_10),
        cmocka_unit_test(test_quota_open_inputs_s13_22),
        cmocka_unit_test(test_quota_volume_and_acts_s13_22),
        cmocka_unit_test(test_quota_seat_rotations_s13_22),
        cmocka_unit_test(test_identity_confirmation_s13_3),
        cmocka_unit_test(test_identity_bodies_s13_5),
        cmocka_unit_test(test_contested_rotation_s13_18),
        cmocka_unit_test(test_accepted_replacement_prevails_s13_18),
        cmocka_unit_test(test_contests_settle_in_any_order_s13_18),
        cmocka_unit_test(test_unconfirmed_key_in_seat_s13_3),
        cmocka_unit_test(test_observer_report_s17_2),
        cmocka_unit_test(test_report_text_defangs_peer_strings_s17_2),
        cmocka_unit_test(test_lean_case_keeps_what_rules_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
