/* Cases of the negotiation rules as a node receives them (SPEC §13): every
 * rule R1–R12 broken by a message from a peer, which the node must store
 * as evidence, acknowledge, relay, and report with the rule's code in an
 * ERROR notice (SPEC §13.21, §14.6); and the valid paths of the same rules,
 * which must be acknowledged with no notice. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "conform.h"

/* An offer of who (criminal detention, months; answers may be NULL). */
static pl_msg *offer(cf_neg *n, cf_peer *p, int who, uint64_t months, const uint8_t *answers,
                     uint8_t terms_hash[PL_HASH_BYTES])
{
    uint8_t body[4096], th[PL_HASH_BYTES];
    size_t blen = cf_offer_body(months, answers, body, sizeof body, terms_hash ? terms_hash : th);
    if (blen == 0)
        cf_fail(n->t, "internal: offer body");
    return cf_post_raw(n, p, who, PL_T_OFFER, body, blen, CF_ALL);
}

static pl_msg *say(cf_neg *n, cf_peer *p, int who, const pl_body *b)
{
    return cf_post(n, p, who, b, CF_ALL);
}

static pl_msg *respond(cf_neg *n, cf_peer *p, const pl_msg *input)
{
    pl_body b = {.type = PL_T_RESPONSE};
    memcpy(b.u.response.answers, pl_msg_id(input), PL_ID_BYTES);
    b.u.response.decision = PL_DECISION_PARTLY;
    b.u.response.reasons = (char *)"Heard; partly adopted, for the reasons given at the session.";
    return say(n, p, CF_P, &b);
}

/* Sends m's flagged twin: expects ACK and the notice; then the node serves. */
static void flagged(cf_neg *n, cf_peer *p, const pl_msg *m, int code)
{
    cf_expect_flag(p, m, code);
    cf_alive(n, p);
}

static void r2_victim_offer(cf_t *t)
{
    /* SPEC §13.6 step 2 (R2: offers come from the two sides): a victim's
     * offer is PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    flagged(n, p, offer(n, p, CF_V, 3, NULL, NULL), PL_E_ROLE);
}

static void r2_no_turns(cf_t *t)
{
    /* SPEC §13.6 (R2): no turn-taking: the defense may make offers in a row */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_expect_valid(p, n, offer(n, p, CF_S, 2, NULL, NULL));
    cf_expect_valid(p, n, offer(n, p, CF_C, 2, NULL, NULL));
    cf_expect_valid(p, n, offer(n, p, CF_S, 1, NULL, NULL));
}

static void no_charter(cf_t *t)
{
    /* SPEC §13.2: a message with no valid charter in its past is
     * PL_E_NO_CHARTER */
    cf_peer *p;
    cf_neg *n = cf_open_joins(t, &p, CF_JOINERS & ~CF_BIT(CF_S));
    pl_body j = cf_ref_body(PL_T_JOIN, pl_msg_id(n->charter));
    pl_msg *m = cf_post(n, p, CF_S, &j, 0); /* sees nothing: not the charter */
    flagged(n, p, m, PL_E_NO_CHARTER);
}

static void second_charter(cf_t *t)
{
    /* SPEC §13.2: a second charter in a case is PL_E_CHARTER */
    cf_peer *p;
    cf_neg *n = cf_open_joins(t, &p, CF_JOINERS & ~CF_BIT(CF_C));
    /* Counsel may open a case (SPEC §13.2 check 5), but this one has one:
     * a charter that would be valid on its own, with a fresh nonce. */
    static const struct {
        int who;
        pl_role role;
    } r[] = {{CF_P, PL_ROLE_PROSECUTION}, {CF_S, PL_ROLE_SUSPECT}, {CF_C, PL_ROLE_COUNSEL}};
    pl_participant all[3];
    memset(all, 0, sizeof all);
    for (int i = 0; i < 3; i++) {
        memcpy(all[i].key, cf_pk(n, r[i].who), PL_PK_BYTES);
        all[i].role = r[i].role;
        all[i].name = (char *)pl_role_name(r[i].role);
        for (int j = i; j > 0 && memcmp(all[j - 1].key, all[j].key, PL_PK_BYTES) > 0; j--) {
            pl_participant x = all[j];
            all[j] = all[j - 1], all[j - 1] = x;
        }
    }
    pl_body ch = {.type = PL_T_CHARTER};
    randombytes_buf(ch.u.charter.case_nonce, 32);
    ch.u.charter.title = (char *)"a second charter";
    ch.u.charter.participants = all;
    ch.u.charter.nparticipants = 3;
    pl_msg *m = cf_post(n, p, CF_C, &ch, 0);
    flagged(n, p, m, PL_E_CHARTER);
}

static void not_joined(cf_t *t)
{
    /* SPEC §13.3: a participant's message before its join is PL_E_NOT_JOINED */
    cf_peer *p;
    cf_neg *n = cf_open_joins(t, &p, CF_JOINERS & ~CF_BIT(CF_S));
    pl_body b = cf_opinion("before joining");
    flagged(n, p, say(n, p, CF_S, &b), PL_E_NOT_JOINED);
}

static void second_join(cf_t *t)
{
    /* SPEC §13.3: a join after a valid join is PL_E_NOT_JOINED */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body j = cf_ref_body(PL_T_JOIN, pl_msg_id(n->charter));
    flagged(n, p, say(n, p, CF_V, &j), PL_E_NOT_JOINED);
}

static void target(cf_t *t)
{
    /* SPEC §13.4, §13.8 step 2: a response to a message outside its past is
     * PL_E_TARGET */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = {.type = PL_T_RESPONSE};
    randombytes_buf(b.u.response.answers, PL_ID_BYTES);
    b.u.response.decision = PL_DECISION_NOT_ADOPTED;
    b.u.response.reasons = (char *)"answering nothing anyone said";
    flagged(n, p, say(n, p, CF_P, &b), PL_E_TARGET);
}

static void body_unknown_key(cf_t *t)
{
    /* SPEC §13.5: a body with a key its type does not define is PL_E_BODY */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_buf b = {0};
    cf_mp_map(&b, 3);
    cf_mp_str(&b, "mood", 4), cf_mp_str(&b, "cross", 5);
    cf_mp_str(&b, "text", 4), cf_mp_str(&b, "an opinion with an extra key", 28);
    cf_mp_str(&b, "topic", 5), cf_mp_str(&b, "other", 5);
    pl_msg *m = cf_post_raw(n, p, CF_V, PL_T_OPINION, b.b, b.n, CF_ALL);
    cf_buf_free(&b);
    flagged(n, p, m, PL_E_BODY);
}

static void body_nul(cf_t *t)
{
    /* SPEC §13.5: a str holding U+0000 is PL_E_BODY */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_buf b = {0};
    cf_mp_map(&b, 2);
    cf_mp_str(&b, "text", 4), cf_mp_str(&b, "a\0b", 3);
    cf_mp_str(&b, "topic", 5), cf_mp_str(&b, "other", 5);
    pl_msg *m = cf_post_raw(n, p, CF_V, PL_T_OPINION, b.b, b.n, CF_ALL);
    cf_buf_free(&b);
    flagged(n, p, m, PL_E_BODY);
}

static void unlawful_terms(cf_t *t)
{
    /* SPEC §13.6, §15.4: an offer of criminal detention for 7 months is
     * flagged PL_E_TERMS_DETENTION */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    flagged(n, p, offer(n, p, CF_P, 7, NULL, NULL), PL_E_TERMS_DETENTION);
}

/* An offer of these terms bytes (encoded elsewhere, maybe unlawful). */
static pl_msg *offer_raw_terms(cf_neg *n, cf_peer *p, const uint8_t *terms, size_t tn)
{
    cf_buf b = {0};
    cf_mp_map(&b, 1);
    cf_mp_str(&b, "terms", 5);
    cf_buf_put(&b, terms, tn);
    pl_msg *m = cf_post_raw(n, p, CF_P, PL_T_OFFER, b.b, b.n, CF_ALL);
    cf_buf_free(&b);
    return m;
}

/* A minor offender's theft (SPEC §15.4 rows 20, 21): lawful with the
 * summary procedure; then the same terms made unlawful in their canonical
 * bytes (the encoder refuses to write them). */
static size_t minor_terms(uint8_t *out, size_t cap, int speedy, int recidivist)
{
    static pl_terms t;
    memset(&t, 0, sizeof t);
    t.ncharges = 1;
    strcpy(t.charges[0].article, "264");
    strcpy(t.charges[0].name, "theft");
    strcpy(t.facts, "Took a bicycle from a school yard, aged 16; returned it; confessed.");
    t.penalty.kind = PL_PENALTY_DETENTION;
    t.penalty.min = t.penalty.max = 2;
    t.procedure = PL_PROCEDURE_SUMMARY;
    t.minor = 1;
    uint8_t enc[PL_TERMS_MAX_BYTES];
    size_t tn, o = 0;
    if (pl_terms_encode(&t, enc, sizeof enc, &tn) != PL_OK || tn + 16 > cap || enc[0] < 0x80 ||
        enc[0] >= 0x8f)
        return 0;
    static const uint8_t summary[] = "\xa9procedure\xa7summary";
    for (size_t i = 0; i < tn; i++) {
        if (i == 0 && recidivist) { /* one key more: "recidivist" sorts last */
            out[o++] = (uint8_t)(enc[0] + 1);
            continue;
        }
        if (speedy && i + sizeof summary - 1 <= tn &&
            memcmp(enc + i, summary, sizeof summary - 1) == 0) {
            memcpy(out + o, "\xa9procedure\xa6speedy", 17);
            o += 17, i += sizeof summary - 2;
            continue;
        }
        out[o++] = enc[i];
    }
    if (recidivist) {
        memcpy(out + o, "\xaarecidivist\xc3", 12);
        o += 12;
    }
    return o;
}

static void minor_rows(cf_t *t)
{
    /* SPEC §15.4 rows 20, 21 (version 2): a minor offender's offer in the
     * summary procedure is valid; in the speedy procedure it is flagged
     * PL_E_TERMS_SPEEDY_EXCLUDED, and naming the minor a recidivist
     * PL_E_TERMS_MINOR */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t terms[PL_TERMS_MAX_BYTES];
    size_t tn = minor_terms(terms, sizeof terms, 0, 0);
    if (tn == 0)
        cf_fail(t, "internal: a minor's terms");
    cf_expect_valid(p, n, offer_raw_terms(n, p, terms, tn));
    if ((tn = minor_terms(terms, sizeof terms, 1, 0)) == 0)
        cf_fail(t, "internal: a minor's speedy terms");
    flagged(n, p, offer_raw_terms(n, p, terms, tn), PL_E_TERMS_SPEEDY_EXCLUDED);
    if ((tn = minor_terms(terms, sizeof terms, 0, 1)) == 0)
        cf_fail(t, "internal: a minor recidivist's terms");
    flagged(n, p, offer_raw_terms(n, p, terms, tn), PL_E_TERMS_MINOR);
}

static void r4_victim_heard(cf_t *t)
{
    /* SPEC §13.7 (R4): the victim's opinion is valid */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = cf_opinion("I was compensated in full and forgive him.");
    b.u.opinion.topic = PL_TOPIC_FORGIVENESS;
    cf_expect_valid(p, n, say(n, p, CF_V, &b));
}

static void r4_observer_opinion(cf_t *t)
{
    /* SPEC §13.7 step 1 (R4): an opinion by the observer is PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = cf_opinion("the observer's opinion");
    flagged(n, p, say(n, p, CF_O, &b), PL_E_ROLE);
}

static void r3_unanswered(cf_t *t)
{
    /* SPEC §13.8 (R3): a prosecution offer over an unanswered opinion it had
     * seen is PL_E_UNANSWERED */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = cf_opinion("Please consider probation.");
    cf_expect_valid(p, n, say(n, p, CF_V, &b));
    flagged(n, p, offer(n, p, CF_P, 4, NULL, NULL), PL_E_UNANSWERED);
}

static void r3_response_role(cf_t *t)
{
    /* SPEC §13.8 step 1 (R3): a response by the defense is PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = cf_opinion("an input");
    pl_msg *op = say(n, p, CF_V, &b);
    cf_expect_valid(p, n, op);
    pl_body r = {.type = PL_T_RESPONSE};
    memcpy(r.u.response.answers, pl_msg_id(op), PL_ID_BYTES);
    r.u.response.decision = PL_DECISION_ADOPTED;
    r.u.response.reasons = (char *)"the suspect answering the victim";
    flagged(n, p, say(n, p, CF_S, &r), PL_E_ROLE);
}

static void r3_answered(cf_t *t)
{
    /* SPEC §13.8 (R3): once every input it had seen has a reasoned response,
     * the prosecution's offer is valid */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = cf_opinion("Please consider probation.");
    pl_msg *op = say(n, p, CF_V, &b);
    cf_expect_valid(p, n, op);
    cf_expect_valid(p, n, respond(n, p, op));
    cf_expect_valid(p, n, offer(n, p, CF_P, 4, NULL, NULL));
}

static void r1_sign_order(cf_t *t)
{
    /* SPEC §13.9 step 8 (R1): the defense signing before the prosecution is
     * PL_E_SIGN_ORDER */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t th[PL_HASH_BYTES];
    pl_msg *o = offer(n, p, CF_P, 4, NULL, th);
    cf_expect_valid(p, n, o);
    pl_body s = cf_sign_body(pl_msg_id(o), th);
    flagged(n, p, say(n, p, CF_S, &s), PL_E_SIGN_ORDER);
}

static void r1_terms_mismatch(cf_t *t)
{
    /* SPEC §13.9 step 3 (R1): a signature over other terms than the offer's
     * is PL_E_TERMS_MISMATCH */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t th[PL_HASH_BYTES];
    pl_msg *o = offer(n, p, CF_P, 4, NULL, th);
    cf_expect_valid(p, n, o);
    th[0] ^= 0x01;
    pl_body s = cf_sign_body(pl_msg_id(o), th);
    flagged(n, p, say(n, p, CF_P, &s), PL_E_TERMS_MISMATCH);
}

/* An offer by the prosecution and its signature, both valid. */
static pl_msg *signed_offer(cf_neg *n, cf_peer *p, uint8_t th[PL_HASH_BYTES])
{
    pl_msg *o = offer(n, p, CF_P, 4, NULL, th);
    cf_expect_valid(p, n, o);
    pl_body s = cf_sign_body(pl_msg_id(o), th);
    cf_expect_valid(p, n, say(n, p, CF_P, &s));
    return o;
}

static void r3_defense_unanswered(cf_t *t)
{
    /* SPEC §13.9 step 9 (v2, R3): the suspect signing over a victim's
     * opinion it had seen, with no answer in its past, is PL_E_UNANSWERED */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t th[PL_HASH_BYTES];
    pl_msg *o = signed_offer(n, p, th);
    pl_body b = cf_opinion("I ask to be heard before anyone signs.");
    cf_expect_valid(p, n, say(n, p, CF_V, &b));
    pl_body s = cf_sign_body(pl_msg_id(o), th);
    flagged(n, p, say(n, p, CF_S, &s), PL_E_UNANSWERED);
}

static void r1_signed_twice(cf_t *t)
{
    /* SPEC §13.9 step 7 (R1): the suspect signing twice in a round is
     * PL_E_SIGNED */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t th[PL_HASH_BYTES];
    pl_msg *o = signed_offer(n, p, th);
    pl_body s = cf_sign_body(pl_msg_id(o), th);
    cf_expect_valid(p, n, say(n, p, CF_S, &s));
    flagged(n, p, say(n, p, CF_S, &s), PL_E_SIGNED);
}

/* The three signatures of one offer: a final agreement. */
/* SPEC §13.9 F0 (v2): counsel proposes the signing session and the
 * prosecution accepts it, so that it is fixed; returns its proposal. */
static pl_msg *signing_session(cf_neg *n, cf_peer *p)
{
    pl_body pr = cf_propose();
    pl_msg *prop = say(n, p, CF_C, &pr);
    cf_expect_valid(p, n, prop);
    pl_body a = cf_ref_body(PL_T_SESSION_ACCEPT, pl_msg_id(prop));
    cf_expect_valid(p, n, say(n, p, CF_P, &a));
    /* SPEC §13.24 F0c (v2): the rights notice, acknowledged by the suspect */
    pl_body nb = {.type = PL_T_NOTICE};
    memset(nb.u.notice.document, 0x70, PL_HASH_BYTES);
    nb.u.notice.language = (char *)"zh";
    nb.u.notice.withdrawal = (char *)"The plea statement becomes void.";
    pl_msg *notice = say(n, p, CF_P, &nb);
    cf_expect_valid(p, n, notice);
    pl_body ab = {.type = PL_T_NOTICE_ACK};
    memcpy(ab.u.notice_ack.notice, pl_msg_id(notice), PL_ID_BYTES);
    cf_expect_valid(p, n, say(n, p, CF_S, &ab));
    return prop;
}

/* A final agreement: the suspect signs in the fixed session, counsel as
 * its witness (SPEC §13.9 F0). */
static void final(cf_neg *n, cf_peer *p)
{
    uint8_t th[PL_HASH_BYTES];
    pl_msg *sess = signing_session(n, p);
    pl_msg *o = signed_offer(n, p, th);
    pl_body s = cf_sign_body(pl_msg_id(o), th);
    s.u.sign.has_session = 1;
    memcpy(s.u.sign.session, pl_msg_id(sess), PL_ID_BYTES);
    cf_expect_valid(p, n, say(n, p, CF_S, &s));
    s.u.sign.witness = 1;
    cf_expect_valid(p, n, say(n, p, CF_C, &s));
}

/* SPEC §13.25 (v2): a settlement body; accepting `accepts` when not NULL. */
static pl_body settlement(uint64_t paid, const pl_msg *accepts)
{
    pl_body b = {.type = PL_T_SETTLEMENT};
    memset(b.u.settlement.document, 0x5e, PL_HASH_BYTES);
    b.u.settlement.kind = PL_SETTLEMENT_AGREEMENT;
    b.u.settlement.agreed = 3000000;
    b.u.settlement.paid = paid;
    b.u.settlement.forgiveness = 1;
    if ((b.u.settlement.has_accepts = accepts != NULL))
        memcpy(b.u.settlement.accepts, pl_msg_id(accepts), PL_ID_BYTES);
    return b;
}

static void settlement_made(cf_t *t)
{
    /* SPEC §13.25 (v2): the victim proposes, counsel accepts it as it is:
     * both valid */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = settlement(3000000, NULL);
    pl_msg *prop = say(n, p, CF_V, &b);
    cf_expect_valid(p, n, prop);
    pl_body a = settlement(3000000, prop);
    cf_expect_valid(p, n, say(n, p, CF_C, &a));
}

static void settlement_role(cf_t *t)
{
    /* SPEC §13.25 step 1 (v2): the prosecution is no party to a settlement */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = settlement(0, NULL);
    flagged(n, p, say(n, p, CF_P, &b), PL_E_ROLE);
}

static void settlement_changed(cf_t *t)
{
    /* SPEC §13.25 step 3 (v2): an acceptance that changes the amount paid,
     * and one by the proposer's own party, are PL_E_SETTLEMENT */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = settlement(3000000, NULL);
    pl_msg *prop = say(n, p, CF_V, &b);
    cf_expect_valid(p, n, prop);
    pl_body less = settlement(1000000, prop);
    flagged(n, p, say(n, p, CF_S, &less), PL_E_SETTLEMENT);
    pl_body own = settlement(3000000, prop);
    flagged(n, p, say(n, p, CF_V, &own), PL_E_SETTLEMENT);
}

static void consent_role(cf_t *t)
{
    /* SPEC §13.26 step 1 (v2): only a guardian consents to a minor's
     * plea; counsel's consent is PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t th[PL_HASH_BYTES];
    pl_msg *o = signed_offer(n, p, th);
    pl_body b = {.type = PL_T_CONSENT};
    memcpy(b.u.consent.offer, pl_msg_id(o), PL_ID_BYTES);
    memcpy(b.u.consent.session, pl_msg_id(o), PL_ID_BYTES);
    b.u.consent.agrees = 1;
    flagged(n, p, say(n, p, CF_C, &b), PL_E_ROLE);
}

static void interpreter_f0e(cf_t *t)
{
    /* SPEC §13.27, §13.9 step 10 (v2): a suspect who understands Uyghur, in
     * proceedings in Chinese, signs only after the interpreter's statement
     * for that offer and session into Uyghur; counsel's statement is
     * PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open_flags(t, &p, CF_JOINERS | CF_BIT(CF_R), CF_NEG_INTERPRETED);
    uint8_t th[PL_HASH_BYTES];
    pl_msg *sess = signing_session(n, p);
    pl_msg *o = signed_offer(n, p, th);
    pl_body s = cf_sign_body(pl_msg_id(o), th);
    s.u.sign.has_session = 1;
    memcpy(s.u.sign.session, pl_msg_id(sess), PL_ID_BYTES);
    flagged(n, p, say(n, p, CF_S, &s), PL_E_PRESENCE);
    pl_body b = {.type = PL_T_INTERPRETATION};
    memcpy(b.u.interpretation.offer, pl_msg_id(o), PL_ID_BYTES);
    memcpy(b.u.interpretation.session, pl_msg_id(sess), PL_ID_BYTES);
    b.u.interpretation.language = (char *)"ug";
    flagged(n, p, say(n, p, CF_C, &b), PL_E_ROLE);
    cf_expect_valid(p, n, say(n, p, CF_R, &b));
    cf_expect_valid(p, n, say(n, p, CF_S, &s));
}

static void publicity_role(cf_t *t)
{
    /* SPEC §13.11 (v2): only a victim gives its word on public
     * observation; counsel's is PL_E_ROLE, the victim's valid */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body pr = cf_propose();
    pl_msg *prop = say(n, p, CF_P, &pr);
    cf_expect_valid(p, n, prop);
    pl_body b = {.type = PL_T_PUBLICITY};
    memcpy(b.u.publicity.proposal, pl_msg_id(prop), PL_ID_BYTES);
    b.u.publicity.public_ok = 1;
    flagged(n, p, say(n, p, CF_C, &b), PL_E_ROLE);
    cf_expect_valid(p, n, say(n, p, CF_V, &b));
}

static void settlement_withdrawn(cf_t *t)
{
    /* SPEC §13.25 (v2): the victim withdraws her proposal; counsel's later
     * acceptance of it is PL_E_WITHDRAWN */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = settlement(3000000, NULL);
    pl_msg *prop = say(n, p, CF_V, &b);
    cf_expect_valid(p, n, prop);
    pl_body w = {.type = PL_T_SETTLEMENT_WITHDRAW};
    memcpy(w.u.settlement_withdraw.settlement, pl_msg_id(prop), PL_ID_BYTES);
    w.u.settlement_withdraw.reasons = (char *)"I no longer forgive.";
    cf_expect_valid(p, n, say(n, p, CF_V, &w));
    pl_body a = settlement(3000000, prop);
    flagged(n, p, say(n, p, CF_C, &a), PL_E_WITHDRAWN);
}

static void r1_final(cf_t *t)
{
    /* SPEC §13.9 (R1): the prosecution, the suspect and counsel signing one
     * offer are each valid (a final agreement) */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    final(n, p);
}

static void r5_ended(cf_t *t)
{
    /* SPEC §13.10 (R5): after a withdrawal from the negotiation, an offer
     * that has seen it is PL_E_ENDED */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body w = cf_text_body(PL_T_WITHDRAW, "The prosecution leaves the negotiation.");
    cf_expect_valid(p, n, say(n, p, CF_P, &w));
    flagged(n, p, offer(n, p, CF_S, 2, NULL, NULL), PL_E_ENDED);
}

static void r5_withdraw_other(cf_t *t)
{
    /* SPEC §13.10 step 3 (R5): withdrawing the other side's offer is PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *o = offer(n, p, CF_S, 2, NULL, NULL);
    cf_expect_valid(p, n, o);
    pl_body w = cf_text_body(PL_T_WITHDRAW, "withdrawing the defense's offer");
    w.u.withdraw.has_offer = 1;
    memcpy(w.u.withdraw.offer, pl_msg_id(o), PL_ID_BYTES);
    flagged(n, p, say(n, p, CF_P, &w), PL_E_ROLE);
}

static void r6_same_side(cf_t *t)
{
    /* SPEC §13.11 (R6): a session accepted by the proposer's own side is
     * PL_E_SAME_SIDE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body pr = cf_propose();
    pl_msg *prop = say(n, p, CF_P, &pr);
    cf_expect_valid(p, n, prop);
    pl_body a = cf_ref_body(PL_T_SESSION_ACCEPT, pl_msg_id(prop));
    flagged(n, p, say(n, p, CF_P, &a), PL_E_SAME_SIDE);
}

static void r6_answered_twice(cf_t *t)
{
    /* SPEC §13.11 step 5 (R6): a proposal answered again is PL_E_SESSION_STATE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body pr = cf_propose();
    pl_msg *prop = say(n, p, CF_P, &pr);
    cf_expect_valid(p, n, prop);
    pl_body a = cf_ref_body(PL_T_SESSION_ACCEPT, pl_msg_id(prop));
    cf_expect_valid(p, n, say(n, p, CF_S, &a));
    flagged(n, p, say(n, p, CF_C, &a), PL_E_SESSION_STATE);
}

static pl_body disclose_body(void)
{
    static pl_item items[1];
    memset(items[0].hash, 0xa1, PL_HASH_BYTES);
    items[0].size = 20480;
    items[0].title = (char *)"blood test report";
    pl_body b = {.type = PL_T_DISCLOSE};
    b.u.disclose.items = items;
    b.u.disclose.nitems = 1;
    return b;
}

static void r7_disclose_role(cf_t *t)
{
    /* SPEC §13.12 (R7): a disclosure by the defense is PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body d = disclose_body();
    flagged(n, p, say(n, p, CF_S, &d), PL_E_ROLE);
}

static void r7_ack_target(cf_t *t)
{
    /* SPEC §13.12 (R7): acknowledging what is not a disclosure is PL_E_TARGET */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body a = cf_ref_body(PL_T_DISCLOSE_ACK, pl_msg_id(n->charter));
    flagged(n, p, say(n, p, CF_S, &a), PL_E_TARGET);
}

static void r7_disclosed(cf_t *t)
{
    /* SPEC §13.12 (R7): the prosecution's disclosure and the defense's
     * acknowledgement are valid */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body d = disclose_body();
    pl_msg *dm = say(n, p, CF_P, &d);
    cf_expect_valid(p, n, dm);
    pl_body a = cf_ref_body(PL_T_DISCLOSE_ACK, pl_msg_id(dm));
    cf_expect_valid(p, n, say(n, p, CF_C, &a));
}

static void r8_no_pool(cf_t *t)
{
    /* SPEC §13.13 (R8): a draw commitment in a case without a pool is
     * PL_E_DRAW */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = {.type = PL_T_DRAW_COMMIT};
    b.u.draw.round = 1;
    randombytes_buf(b.u.draw.value, 32);
    flagged(n, p, say(n, p, CF_P, &b), PL_E_DRAW);
}

static void r8_attestation(cf_t *t)
{
    /* SPEC §13.13 (R8): an attestation that drops a head its previous one
     * named is PL_E_ATTESTATION */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body a = {.type = PL_T_ATTESTATION};
    cf_expect_valid(p, n, say(n, p, CF_O, &a));
    pl_msg *m = cf_post(n, p, CF_O, &a, CF_BIT(CF_P));
    flagged(n, p, m, PL_E_ATTESTATION);
}

static void r8_observation_role(cf_t *t)
{
    /* SPEC §13.13 (R8): an observation by anyone but the observer is PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = cf_observation("the victim, observing");
    flagged(n, p, say(n, p, CF_V, &b), PL_E_ROLE);
}

static void r9_equivocated(cf_t *t)
{
    /* SPEC §13.14 (R9): once the node has proven a fork, the forked author's
     * later message is stored and flagged PL_E_EQUIVOCATED */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_header h;
    cf_next_header(n, CF_V, PL_T_OPINION, CF_BIT(CF_P), &h);
    h.seq = 1, h.has_prev = 0; /* another seq 1 */
    pl_body b = cf_opinion("the other branch");
    uint8_t body[512];
    size_t blen;
    pl_msg *f;
    if (pl_body_encode(&b, body, sizeof body, &blen) != PL_OK ||
        pl_msg_sign(&h, body, blen, n->k[CF_V], &f) != PL_OK)
        cf_fail(t, "internal: fork");
    cf_keep(n, f);
    cf_send_msg(p, f);
    cf_expect_refused(p, n, f, NULL, PL_E_EQUIVOCATION, 0);
    pl_body next = cf_opinion("after the fork");
    flagged(n, p, say(n, p, CF_V, &next), PL_E_EQUIVOCATED);
}

static void r9_received_proof(cf_t *t)
{
    /* SPEC §13.14, §7.4 (R9): a valid proof from a peer voids the forked
     * author's messages: its next one is flagged PL_E_EQUIVOCATED */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_header h;
    cf_next_header(n, CF_C, PL_T_OPINION, CF_BIT(CF_P), &h);
    h.seq = 1, h.has_prev = 0;
    pl_body b = cf_opinion("counsel's other seq 1, shown elsewhere");
    uint8_t body[512], proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t blen, plen;
    pl_msg *f;
    if (pl_body_encode(&b, body, sizeof body, &blen) != PL_OK ||
        pl_msg_sign(&h, body, blen, n->k[CF_C], &f) != PL_OK)
        cf_fail(t, "internal: fork");
    cf_keep(n, f);
    if (pl_equiv_proof_build(n->head[CF_C], f, proof, sizeof proof, &plen) != PL_OK)
        cf_fail(t, "internal: proof");
    pl_wire w = {.kind = PL_W_PROOF};
    w.u.proof.bytes = proof, w.u.proof.len = plen;
    cf_send(p, &w);
    pl_body next = cf_opinion("counsel, after the proof");
    flagged(n, p, say(n, p, CF_C, &next), PL_E_EQUIVOCATED);
}

static void r10_not_final(cf_t *t)
{
    /* SPEC §13.15 (R10): a retraction without a final agreement is
     * PL_E_NOT_FINAL */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body r = cf_text_body(PL_T_RETRACT, "I retract my plea.");
    flagged(n, p, say(n, p, CF_S, &r), PL_E_NOT_FINAL);
}

static void r10_retract(cf_t *t)
{
    /* SPEC §13.15 (R10): after a final agreement, the suspect's retraction
     * is valid */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    final(n, p);
    pl_body r = cf_text_body(PL_T_RETRACT, "I retract my plea after advice.");
    cf_expect_valid(p, n, say(n, p, CF_S, &r));
}

static void presence_needs_witness(cf_t *t)
{
    /* SPEC §13.9 F0 (v2): signatures of the suspect and counsel that name
     * no common session, or counsel's without its witness, make no final
     * agreement: a retraction after them is PL_E_NOT_FINAL */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t th[PL_HASH_BYTES];
    pl_msg *sess = signing_session(n, p);
    pl_msg *o = signed_offer(n, p, th);
    pl_body s = cf_sign_body(pl_msg_id(o), th);
    s.u.sign.has_session = 1;
    memcpy(s.u.sign.session, pl_msg_id(sess), PL_ID_BYTES);
    cf_expect_valid(p, n, say(n, p, CF_S, &s));
    cf_expect_valid(p, n, say(n, p, CF_C, &s)); /* valid, but no witness */
    pl_body r = cf_text_body(PL_T_RETRACT, "I withdraw my plea.");
    flagged(n, p, say(n, p, CF_S, &r), PL_E_NOT_FINAL);
}

static void suspect_does_not_witness(cf_t *t)
{
    /* SPEC §13.9 step 10 (v2): a suspect's signature carrying a witness is
     * PL_E_PRESENCE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t th[PL_HASH_BYTES];
    pl_msg *o = signed_offer(n, p, th);
    pl_body s = cf_sign_body(pl_msg_id(o), th);
    s.u.sign.witness = 1;
    flagged(n, p, say(n, p, CF_S, &s), PL_E_PRESENCE);
}

static void r10_counsel_may_not_retract(cf_t *t)
{
    /* SPEC §13.15 (v2): the plea is the suspect's: counsel's retraction of
     * a final agreement is PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    final(n, p);
    pl_body r = cf_text_body(PL_T_RETRACT, "Counsel advises against the plea.");
    flagged(n, p, say(n, p, CF_C, &r), PL_E_ROLE);
}

static void judgment_closes_retraction(cf_t *t)
{
    /* SPEC §13.23 (v2): once the prosecution and the defense have recorded
     * one judgment, the suspect's retraction is PL_E_AFTER_JUDGMENT */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    final(n, p);
    pl_body j = {.type = PL_T_JUDGMENT};
    j.u.judgment.adopted = 1;
    j.u.judgment.court = (char *)"Court A";
    memset(j.u.judgment.document, 0x3a, PL_HASH_BYTES);
    j.u.judgment.time_ms = 1767225600000ull;
    cf_expect_valid(p, n, say(n, p, CF_P, &j));
    cf_expect_valid(p, n, say(n, p, CF_C, &j));
    pl_body r = cf_text_body(PL_T_RETRACT, "I withdraw my plea.");
    flagged(n, p, say(n, p, CF_S, &r), PL_E_AFTER_JUDGMENT);
}

static void r11_not_final(cf_t *t)
{
    /* SPEC §13.16 (R11): a court adjustment without a final agreement is
     * PL_E_NOT_FINAL */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body c = cf_text_body(PL_T_COURT_ADJUST, "The court asks for a lower recommendation.");
    flagged(n, p, say(n, p, CF_P, &c), PL_E_NOT_FINAL);
}

static void r11_adjust(cf_t *t)
{
    /* SPEC §13.16 (R11): after a final agreement, the prosecution's record
     * of the court's request is valid; the suspect's is PL_E_ROLE */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    final(n, p);
    pl_body c = cf_text_body(PL_T_COURT_ADJUST, "The court asks for a lower recommendation.");
    cf_expect_valid(p, n, say(n, p, CF_P, &c));
    flagged(n, p, say(n, p, CF_S, &c), PL_E_ROLE);
}

static void r11_request_opens_nothing(cf_t *t)
{
    /* SPEC §13.16 (v2): a court adjustment opens no round: an offer after
     * it is PL_E_ENDED (the round is final) until the prosecution answers
     * it with a reopen naming it, which opens the next round */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    final(n, p);
    pl_body c = cf_text_body(PL_T_COURT_ADJUST, "The court asks for a lower recommendation.");
    pl_msg *req = say(n, p, CF_P, &c);
    cf_expect_valid(p, n, req);
    flagged(n, p, offer(n, p, CF_P, 3, NULL, NULL), PL_E_ENDED);
    pl_body r = cf_reopen_body(pl_msg_id(req), "At the court's request.");
    cf_expect_valid(p, n, say(n, p, CF_P, &r));
    cf_expect_valid(p, n, offer(n, p, CF_P, 3, NULL, NULL));
}

static void reopen_needs_its_ground(cf_t *t)
{
    /* SPEC §13.16 (v2): a reopen on the court's request that names no
     * court adjustment is PL_E_REOPEN */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    final(n, p);
    pl_body r = cf_reopen_body(NULL, "The court asked, we say.");
    flagged(n, p, say(n, p, CF_P, &r), PL_E_REOPEN);
}

static pl_body recording(const pl_msg *proposal)
{
    pl_body b = {.type = PL_T_RECORDING};
    memcpy(b.u.recording.session, pl_msg_id(proposal), PL_ID_BYTES);
    memset(b.u.recording.hash, 0x5e, PL_HASH_BYTES);
    b.u.recording.size = 1234567890;
    b.u.recording.media = (char *)"video/mp4";
    return b;
}

static void r12_not_fixed(cf_t *t)
{
    /* SPEC §13.17 (R12): a recording of a session no one accepted is
     * PL_E_RECORDING */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body pr = cf_propose();
    pl_msg *prop = say(n, p, CF_P, &pr);
    cf_expect_valid(p, n, prop);
    pl_body r = recording(prop);
    flagged(n, p, say(n, p, CF_P, &r), PL_E_RECORDING);
}

static void r12_anchored(cf_t *t)
{
    /* SPEC §13.17 (R12): a recording of a fixed session is valid */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body pr = cf_propose();
    pl_msg *prop = say(n, p, CF_P, &pr);
    cf_expect_valid(p, n, prop);
    pl_body a = cf_ref_body(PL_T_SESSION_ACCEPT, pl_msg_id(prop));
    cf_expect_valid(p, n, say(n, p, CF_C, &a));
    pl_body r = recording(prop);
    cf_expect_valid(p, n, say(n, p, CF_P, &r));
}

static void add_suspect(cf_t *t)
{
    /* SPEC §13.18: a participants change adding a suspect is PL_E_PARTICIPANTS */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_participant add = {.role = PL_ROLE_SUSPECT, .name = (char *)"A second suspect"};
    memcpy(add.key, cf_pk(n, CF_X), PL_PK_BYTES);
    pl_body b = {.type = PL_T_PARTICIPANTS};
    b.u.participants.add = &add;
    b.u.participants.nadd = 1;
    flagged(n, p, say(n, p, CF_P, &b), PL_E_PARTICIPANTS);
}

static void rotate_to_participant(cf_t *t)
{
    /* SPEC §13.18: a rotation to a key that already has a role is PL_E_KEY */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = {.type = PL_T_KEY_ROTATE};
    memcpy(b.u.key_rotate.new_key, cf_pk(n, CF_S), PL_PK_BYTES);
    flagged(n, p, say(n, p, CF_V, &b), PL_E_KEY);
}

static void rotated_away(cf_t *t)
{
    /* SPEC §13.18, §13.3: after a valid rotation, the old key's message is
     * PL_E_NOT_PARTICIPANT (kept: the charter still names the key) */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = {.type = PL_T_KEY_ROTATE};
    memcpy(b.u.key_rotate.new_key, cf_pk(n, CF_R), PL_PK_BYTES);
    cf_expect_valid(p, n, say(n, p, CF_V, &b));
    pl_body o = cf_opinion("the old key speaks again");
    flagged(n, p, say(n, p, CF_V, &o), PL_E_NOT_PARTICIPANT);
}

/* SPEC §13.3 (v2): the suspect's join in a case whose charter binds the
 * seat, with the confirmation as given (name NULL: none), naming session. */
static pl_body confirm_join(cf_neg *n, const char *name, const pl_msg *session)
{
    pl_body j = cf_ref_body(PL_T_JOIN, pl_msg_id(n->charter));
    if (name != NULL) {
        j.u.join.has_identity = 1;
        j.u.join.name = (char *)name;
        memcpy(j.u.join.id_hash, n->id_hash, PL_HASH_BYTES);
        memcpy(j.u.join.session, pl_msg_id(session), PL_ID_BYTES);
    }
    return j;
}

static pl_msg *fixed_session(cf_neg *n, cf_peer *p);

static void identity_unconfirmed(cf_t *t)
{
    /* SPEC §13.3 (v2): in a charter that binds the suspect's seat, the
     * suspect's join without the confirmation, or with another name, is
     * PL_E_IDENTITY; the node keeps it flagged and serves on */
    cf_peer *p;
    cf_neg *n = cf_open_flags(t, &p, CF_BIT(CF_C) | CF_BIT(CF_V) | CF_BIT(CF_O), CF_NEG_BOUND);
    pl_msg *sess = fixed_session(n, p);
    pl_body j = confirm_join(n, NULL, NULL);
    flagged(n, p, say(n, p, CF_S, &j), PL_E_IDENTITY);
    j = confirm_join(n, "Someone else", sess);
    flagged(n, p, say(n, p, CF_S, &j), PL_E_IDENTITY);
}

static void identity_no_session(cf_t *t)
{
    /* SPEC §13.3 (v2): a confirmation naming a session that is not fixed is
     * PL_E_IDENTITY; in the fixed session it is valid */
    cf_peer *p;
    cf_neg *n = cf_open_flags(t, &p, CF_BIT(CF_C) | CF_BIT(CF_V) | CF_BIT(CF_O), CF_NEG_BOUND);
    pl_body pr = cf_propose();
    pl_msg *open = say(n, p, CF_P, &pr);
    cf_expect_valid(p, n, open);
    pl_body j = confirm_join(n, "Suspect (parley-conform)", open);
    flagged(n, p, say(n, p, CF_S, &j), PL_E_IDENTITY);
    pl_msg *sess = fixed_session(n, p);
    j = confirm_join(n, "Suspect (parley-conform)", sess);
    cf_expect_valid(p, n, say(n, p, CF_S, &j));
}

static void identity_unbound(cf_t *t)
{
    /* SPEC §13.3 (v2): a confirmation in a case whose charter binds no
     * identity is PL_E_IDENTITY */
    cf_peer *p;
    cf_neg *n = cf_open_joins(t, &p, CF_BIT(CF_C) | CF_BIT(CF_V) | CF_BIT(CF_O));
    pl_msg *sess = fixed_session(n, p);
    pl_body j = confirm_join(n, "Suspect (parley-conform)", sess);
    flagged(n, p, say(n, p, CF_S, &j), PL_E_IDENTITY);
}

/* A new key in party who's place: its chain starts afresh (the key it
 * replaces in the tool has been retired in the case). */
static void fresh_key(cf_neg *n, int who, uint8_t tag)
{
    uint8_t seed[PL_SEED_BYTES];
    randombytes_buf(seed, sizeof seed);
    seed[0] = tag;
    n->k[who] = pl_key_from_seed(seed);
    if (n->k[who] == NULL)
        abort();
    n->head[who] = NULL;
}

static void seat_fourth_rotation(cf_t *t)
{
    /* SPEC §13.22 (v2, R14): a seat rotates at most three times, each new
     * key going on with the seat's quota; the node refuses a fourth
     * rotation with PL_E_QUOTA before storing it, and keeps serving */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body j = cf_ref_body(PL_T_JOIN, pl_msg_id(n->charter));
    pl_body b = {.type = PL_T_KEY_ROTATE};
    /* V -> R -> X -> a fresh key in V's place */
    memcpy(b.u.key_rotate.new_key, cf_pk(n, CF_R), PL_PK_BYTES);
    cf_expect_valid(p, n, say(n, p, CF_V, &b));
    cf_expect_valid(p, n, say(n, p, CF_R, &j));
    memcpy(b.u.key_rotate.new_key, cf_pk(n, CF_X), PL_PK_BYTES);
    cf_expect_valid(p, n, say(n, p, CF_R, &b));
    cf_expect_valid(p, n, say(n, p, CF_X, &j));
    fresh_key(n, CF_V, 0x56);
    memcpy(b.u.key_rotate.new_key, cf_pk(n, CF_V), PL_PK_BYTES);
    cf_expect_valid(p, n, say(n, p, CF_X, &b));
    cf_expect_valid(p, n, say(n, p, CF_V, &j));
    fresh_key(n, CF_R, 0x52);
    memcpy(b.u.key_rotate.new_key, cf_pk(n, CF_R), PL_PK_BYTES);
    pl_msg *m = cf_make(n, CF_V, &b, CF_ALL, 0);
    cf_send_msg(p, m);
    cf_expect_refused(p, n, m, pl_msg_id(m), PL_E_QUOTA, 1);
    cf_alive(n, p);
}

/* A fixed session (proposed by P, accepted by C) and a replacement of old
 * by CF_R naming it, with CF_R's acceptance when accepted (SPEC §13.18). */
static pl_msg *fixed_session(cf_neg *n, cf_peer *p)
{
    pl_body pr = cf_propose();
    pl_msg *prop = say(n, p, CF_P, &pr);
    cf_expect_valid(p, n, prop);
    pl_body a = cf_ref_body(PL_T_SESSION_ACCEPT, pl_msg_id(prop));
    cf_expect_valid(p, n, say(n, p, CF_C, &a));
    return prop;
}

static pl_body seat_replace(cf_neg *n, int old, const pl_msg *session, int accepted)
{
    pl_body b = {.type = PL_T_KEY_REPLACE};
    memcpy(b.u.key_replace.old_key, cf_pk(n, old), PL_PK_BYTES);
    memcpy(b.u.key_replace.new_key, cf_pk(n, CF_R), PL_PK_BYTES);
    if (session) {
        b.u.key_replace.has_session = 1;
        memcpy(b.u.key_replace.session, pl_msg_id(session), PL_ID_BYTES);
    }
    if (session && accepted) {
        b.u.key_replace.has_accept = 1;
        pl_seat_accept_sign(n->k[CF_R], n->id, cf_pk(n, old), pl_msg_id(session),
                            b.u.key_replace.accept);
    }
    return b;
}

static void seat_no_session(cf_t *t)
{
    /* SPEC §13.18 (R1): replacing the suspect's key without a session and
     * the new key's acceptance is PL_E_SEAT */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = seat_replace(n, CF_S, NULL, 0);
    flagged(n, p, say(n, p, CF_P, &b), PL_E_SEAT);
}

static void seat_no_accept(cf_t *t)
{
    /* SPEC §13.18 (R1): a replacement naming a fixed session but without
     * the new key's acceptance is PL_E_SEAT */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *sess = fixed_session(n, p);
    pl_body b = seat_replace(n, CF_S, sess, 0);
    flagged(n, p, say(n, p, CF_C, &b), PL_E_SEAT);
}

static void seat_forged_accept(cf_t *t)
{
    /* SPEC §13.18 (R1): an acceptance that does not verify with the new key
     * is PL_E_SEAT */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *sess = fixed_session(n, p);
    pl_body b = seat_replace(n, CF_S, sess, 1);
    b.u.key_replace.accept[0] ^= 1;
    flagged(n, p, say(n, p, CF_P, &b), PL_E_SEAT);
}

static void seat_by_old_key(cf_t *t)
{
    /* SPEC §13.18 (R1): the old key signing its own replacement is
     * PL_E_SEAT (it rotates instead) */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *sess = fixed_session(n, p);
    pl_body b = seat_replace(n, CF_S, sess, 1);
    flagged(n, p, say(n, p, CF_S, &b), PL_E_SEAT);
}

static void seat_remove_suspect(cf_t *t)
{
    /* SPEC §13.18 (R1): a participants change removing the suspect is
     * PL_E_PARTICIPANTS */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t gone[1][PL_PK_BYTES];
    memcpy(gone[0], cf_pk(n, CF_S), PL_PK_BYTES);
    pl_body b = {.type = PL_T_PARTICIPANTS};
    b.u.participants.remove = gone;
    b.u.participants.nremove = 1;
    flagged(n, p, say(n, p, CF_C, &b), PL_E_PARTICIPANTS);
}

static void seat_accepted(cf_t *t)
{
    /* SPEC §13.18: the prosecution's and counsel's carriers of a suspect
     * replacement naming a fixed session, with the new key's acceptance,
     * are valid */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *sess = fixed_session(n, p);
    pl_body b = seat_replace(n, CF_S, sess, 1);
    cf_expect_valid(p, n, say(n, p, CF_P, &b));
    cf_expect_valid(p, n, say(n, p, CF_C, &b));
}

static void seat_objection(cf_t *t)
{
    /* SPEC §13.18 (R1), §14: the suspect, still holding its key, objects
     * to a replacement it never accepted by signing anything that had seen
     * it; the new key then has no role and the node refuses its messages */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *sess = fixed_session(n, p);
    pl_body b = seat_replace(n, CF_S, sess, 1);
    cf_expect_valid(p, n, say(n, p, CF_P, &b));
    cf_expect_valid(p, n, say(n, p, CF_C, &b));
    pl_body j = cf_ref_body(PL_T_JOIN, pl_msg_id(n->charter));
    cf_expect_valid(p, n, say(n, p, CF_R, &j));
    pl_body o = cf_opinion("My key was never lost; I accepted no replacement.");
    cf_expect_valid(p, n, say(n, p, CF_S, &o));
    pl_body o2 = cf_opinion("the replacement key speaks");
    pl_msg *m = cf_make(n, CF_R, &o2, CF_ALL, 0); /* refused: nobody's head */
    cf_send_msg(p, m);
    cf_expect_refused(p, n, m, pl_msg_id(m), PL_E_NOT_PARTICIPANT, 1);
    cf_alive(n, p);
}

static void quota_refused(cf_t *t)
{
    /* SPEC §13.22 (R14): an author's counted messages stop at 1000; the
     * node refuses the next one before storing it (ERROR PL_E_QUOTA, no
     * ACK) and keeps serving */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *last = NULL;
    for (int i = 1; i < PL_QUOTA_MESSAGES; i++) { /* the join was the first */
        char text[48];
        snprintf(text, sizeof text, "opinion %d", i);
        pl_body o = cf_opinion(text);
        last = cf_post(n, p, CF_V, &o, CF_BIT(CF_V));
    }
    cf_expect_valid(p, n, last);
    pl_body o = cf_opinion("one too many");
    pl_msg *m = cf_make(n, CF_V, &o, CF_BIT(CF_V), 0);
    cf_send_msg(p, m);
    cf_expect_refused(p, n, m, pl_msg_id(m), PL_E_QUOTA, 1);
    cf_alive(n, p);
}

static void flagged_kept(cf_t *t)
{
    /* SPEC §13.21: a flagged message is stored and relayed to the other
     * peers following the case, not dropped */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_follower(t, n);
    pl_body s = cf_sign_body(pl_msg_id(n->charter), pl_msg_id(n->charter));
    pl_msg *m = say(n, p, CF_V, &s);
    cf_expect_flag(p, m, PL_E_ROLE);
    cf_match relay = {.kind = PL_W_MSG, .id = pl_msg_id(m)};
    if (!cf_wait(q, &relay, cf_g.timeout_ms, NULL))
        cf_fail(t,
                "the flagged message was not relayed to the other peer following the case "
                "within %d ms (SPEC §13.21, §14.10)",
                cf_g.timeout_ms);
    const uint8_t(*ids)[PL_ID_BYTES] = (const uint8_t(*)[PL_ID_BYTES])pl_msg_id(m);
    cf_expect_held(p, n, CF_V, NULL, 2, ids, 1);
    cf_alive(n, p);
}

static void after_flag(cf_t *t)
{
    /* SPEC §13.21: an author's later messages are not refused because of a
     * flagged one */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body d = disclose_body();
    cf_expect_flag(p, say(n, p, CF_V, &d), PL_E_ROLE);
    pl_body o = cf_opinion("a valid opinion after a flagged message");
    cf_expect_valid(p, n, say(n, p, CF_V, &o));
}

const cf_case cf_cases_rules[] = {
    {"13.1-1", CF_MUST, 1, r2_victim_offer, "R2: an offer by the victim is flagged PL_E_ROLE"},
    {"13.2-1", CF_MUST, 1, no_charter,
     "a message with no charter in its past is flagged PL_E_NO_CHARTER"},
    {"13.2-2", CF_MUST, 1, second_charter, "a second charter in the case is flagged PL_E_CHARTER"},
    {"13.3-1", CF_MUST, 1, not_joined,
     "a participant's message before its join is flagged PL_E_NOT_JOINED"},
    {"13.3-2", CF_MUST, 1, second_join, "a second join is flagged PL_E_NOT_JOINED"},
    {"13.4-1", CF_MUST, 1, target,
     "a response naming a message outside its past is flagged PL_E_TARGET"},
    {"13.5-1", CF_MUST, 1, body_unknown_key,
     "a body with a key its type does not define is flagged PL_E_BODY"},
    {"13.5-2", CF_MUST, 1, body_nul, "a body str holding U+0000 is flagged PL_E_BODY"},
    {"13.6-1", CF_MUST, 1, unlawful_terms,
     "an offer of unlawful terms (detention 7 months) is flagged PL_E_TERMS_DETENTION"},
    {"15.4-1", CF_MUST, 1, minor_rows,
     "a minor offender's offer: valid in the summary procedure, flagged "
     "PL_E_TERMS_SPEEDY_EXCLUDED in the speedy one and PL_E_TERMS_MINOR as a recidivist"},
    {"13.6-2", CF_MUST, 0, r2_no_turns,
     "R2: no turn-taking: the defense's offers in a row are each valid"},
    {"13.7-1", CF_MUST, 0, r4_victim_heard, "R4: the victim's opinion is valid (no notice)"},
    {"13.7-2", CF_MUST, 1, r4_observer_opinion,
     "R4: an opinion by the observer is flagged PL_E_ROLE"},
    {"13.8-1", CF_MUST, 1, r3_unanswered,
     "R3: a prosecution offer over an unanswered opinion is flagged PL_E_UNANSWERED"},
    {"13.8-2", CF_MUST, 1, r3_response_role, "R3: a response by the defense is flagged PL_E_ROLE"},
    {"13.8-3", CF_MUST, 0, r3_answered,
     "R3: once answered with reasons, the prosecution's offer is valid"},
    {"13.9-1", CF_MUST, 1, r1_sign_order,
     "R1: the defense signing before the prosecution is flagged PL_E_SIGN_ORDER"},
    {"13.9-2", CF_MUST, 1, r1_terms_mismatch,
     "R1: a signature over other terms than the offer's is flagged PL_E_TERMS_MISMATCH"},
    {"13.9-5", CF_MUST, 1, r3_defense_unanswered,
     "R3: a defense signature over an unanswered opinion it had seen is flagged "
     "PL_E_UNANSWERED"},
    {"13.9-3", CF_MUST, 1, r1_signed_twice,
     "R1: the suspect signing twice in a round is flagged PL_E_SIGNED"},
    {"13.9-4", CF_MUST, 0, r1_final,
     "R1: prosecution, suspect and counsel signing one offer are each valid"},
    {"13.25-1", CF_MUST, 0, settlement_made,
     "v2: the victim's settlement and counsel's acceptance of it as it is are valid"},
    {"13.25-2", CF_MUST, 1, settlement_role, "v2: a settlement by the prosecution is flagged PL_E_ROLE"},
    {"13.25-3", CF_MUST, 1, settlement_changed,
     "v2: an acceptance changing the amount paid, or by the proposer's own party, is flagged "
     "PL_E_SETTLEMENT"},
    {"13.25-4", CF_MUST, 1, settlement_withdrawn,
     "v2: accepting a settlement proposal its party withdrew is flagged PL_E_WITHDRAWN"},
    {"13.26-1", CF_MUST, 1, consent_role, "v2: a guardian's consent sent by counsel is flagged PL_E_ROLE"},
    {"13.11-3", CF_MUST, 1, publicity_role,
     "v2: a word on public observation by counsel is flagged PL_E_ROLE; the victim's is valid"},
    {"13.27-1", CF_MUST, 1, interpreter_f0e,
     "v2: a suspect who needs an interpreter signing before the interpreter's statement is flagged "
     "PL_E_PRESENCE, counsel's statement PL_E_ROLE; after the interpreter's it signs"},
    {"13.10-1", CF_MUST, 1, r5_ended,
     "R5: an offer after a withdrawal from the negotiation is flagged PL_E_ENDED"},
    {"13.10-2", CF_MUST, 1, r5_withdraw_other,
     "R5: withdrawing the other side's offer is flagged PL_E_ROLE"},
    {"13.11-1", CF_MUST, 1, r6_same_side,
     "R6: a session accepted by the proposer's side is flagged PL_E_SAME_SIDE"},
    {"13.11-2", CF_MUST, 1, r6_answered_twice,
     "R6: a proposal answered twice is flagged PL_E_SESSION_STATE"},
    {"13.12-1", CF_MUST, 1, r7_disclose_role,
     "R7: a disclosure by the defense is flagged PL_E_ROLE"},
    {"13.12-2", CF_MUST, 1, r7_ack_target,
     "R7: acknowledging what is not a disclosure is flagged PL_E_TARGET"},
    {"13.12-3", CF_MUST, 0, r7_disclosed,
     "R7: a disclosure and the defense's acknowledgement are valid"},
    {"13.13-1", CF_MUST, 1, r8_no_pool,
     "R8: a draw commitment in a case without a pool is flagged PL_E_DRAW"},
    {"13.13-2", CF_MUST, 1, r8_attestation,
     "R8: an attestation dropping a head it named before is flagged PL_E_ATTESTATION"},
    {"13.13-3", CF_MUST, 1, r8_observation_role,
     "R8: an observation by a non-observer is flagged PL_E_ROLE"},
    {"13.14-1", CF_MUST, 1, r9_equivocated,
     "R9: after a fork the node found, the author's next message is flagged PL_E_EQUIVOCATED"},
    {"13.14-2", CF_MUST, 1, r9_received_proof,
     "R9: after a proof received from a peer, the author's next message is flagged "
     "PL_E_EQUIVOCATED"},
    {"13.15-1", CF_MUST, 1, r10_not_final,
     "R10: a retraction without a final agreement is flagged PL_E_NOT_FINAL"},
    {"13.15-2", CF_MUST, 0, r10_retract,
     "R10: after a final agreement, the suspect's retraction is valid"},
    {"13.9-F0-1", CF_MUST, 1, presence_needs_witness,
     "v2: without counsel's witness in the suspect's signing session nothing is final"},
    {"13.9-F0-2", CF_MUST, 1, suspect_does_not_witness,
     "v2: a suspect's signature carrying a witness is flagged PL_E_PRESENCE"},
    {"13.15-3", CF_MUST, 1, r10_counsel_may_not_retract,
     "v2: counsel's retraction of the suspect's plea is flagged PL_E_ROLE"},
    {"13.23-1", CF_MUST, 1, judgment_closes_retraction,
     "v2: after a judgment both sides recorded, a retraction is flagged PL_E_AFTER_JUDGMENT"},
    {"13.16-1", CF_MUST, 1, r11_not_final,
     "R11: a court adjustment without a final agreement is flagged PL_E_NOT_FINAL"},
    {"13.16-2", CF_MUST, 1, r11_adjust,
     "R11: after a final agreement the prosecution's court adjustment is valid, the suspect's "
     "PL_E_ROLE"},
    {"13.16-3", CF_MUST, 1, r11_request_opens_nothing,
     "v2: a court adjustment opens no round until a reopen naming it answers it"},
    {"13.16-4", CF_MUST, 1, reopen_needs_its_ground,
     "v2: a reopen on the court's request naming no court adjustment is flagged PL_E_REOPEN"},
    {"13.17-1", CF_MUST, 1, r12_not_fixed,
     "R12: a recording of a session no one accepted is flagged PL_E_RECORDING"},
    {"13.17-2", CF_MUST, 0, r12_anchored, "R12: a recording of a fixed session is valid"},
    {"13.18-1", CF_MUST, 1, add_suspect,
     "a participants change adding a suspect is flagged PL_E_PARTICIPANTS"},
    {"13.18-2", CF_MUST, 1, rotate_to_participant,
     "a key rotation to a key that has a role is flagged PL_E_KEY"},
    {"13.18-3", CF_MUST, 1, rotated_away,
     "after a rotation, the old key's message is flagged PL_E_NOT_PARTICIPANT"},
    {"13.18-4", CF_MUST, 1, seat_no_session,
     "R1: a replacement of the suspect's key without a fixed session and the new key's "
     "acceptance is flagged PL_E_SEAT"},
    {"13.18-5", CF_MUST, 1, seat_no_accept,
     "R1: a replacement of the suspect's key without the new key's acceptance is flagged "
     "PL_E_SEAT"},
    {"13.18-6", CF_MUST, 1, seat_forged_accept,
     "R1: a replacement whose acceptance does not verify is flagged PL_E_SEAT"},
    {"13.18-7", CF_MUST, 1, seat_by_old_key,
     "R1: the suspect's key signing its own replacement is flagged PL_E_SEAT"},
    {"13.18-8", CF_MUST, 1, seat_remove_suspect,
     "R1: a participants change removing the suspect is flagged PL_E_PARTICIPANTS"},
    {"13.18-9", CF_MUST, 0, seat_accepted,
     "a replacement of the suspect's key carried by the prosecution and counsel, in a fixed "
     "session, with the new key's acceptance, is valid"},
    {"13.18-10", CF_MUST, 1, seat_objection,
     "R1: the suspect's message that had seen its replacement voids it; the replacement key's "
     "next message is refused PL_E_NOT_PARTICIPANT"},
    {"13.22-1", CF_MUST, 1, quota_refused,
     "R14: an author's 1001st counted message is refused PL_E_QUOTA before it is stored"},
    {"13.3-3", CF_MUST, 1, identity_unconfirmed,
     "the suspect's join in a charter that binds its seat, unconfirmed or with another name, is PL_E_IDENTITY"},
    {"13.3-4", CF_MUST, 1, identity_no_session,
     "the suspect's confirmation must name a fixed session (PL_E_IDENTITY); then it is valid"},
    {"13.3-5", CF_MUST, 1, identity_unbound,
     "a confirmation in a charter that binds no identity is PL_E_IDENTITY"},
    {"13.22-2", CF_MUST, 1, seat_fourth_rotation,
     "R14: a seat's fourth key rotation is refused PL_E_QUOTA before it is stored"},
    {"13.21-1", CF_MUST, 1, flagged_kept,
     "a flagged message is stored and relayed to the other peers, not dropped"},
    {"13.21-2", CF_MUST, 1, after_flag,
     "a flagged message does not make the author's later valid message refused"},
};
const size_t cf_ncases_rules = sizeof cf_cases_rules / sizeof cf_cases_rules[0];
