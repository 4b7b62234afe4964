/* Negotiation vectors (SPEC §11.3, §13, §16): spec/vectors/negotiation.vec.
 *
 * Two complete Case 1 negotiations from fixed keys and clocks, one that
 * breaks rules on purpose, with the verdict every message must get, the
 * agreement status, each message type's body on its own, invalid bodies,
 * and the certificate of the agreement. Every record is checked against
 * the library before it is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "testutil.h"
#include "world.h"

void gen_negotiation_vectors(const char *dir, const char *corpus_root);

static FILE *out;
static const char *corpus_root;

/* A fuzz seed: corpus_root/target/name, prefixed by one byte when prefix
 * is not negative (fuzz_body reads the message type from it). */
static void seed(const char *target, const char *name, int prefix, const uint8_t *b, size_t n)
{
    if (tu_seed(corpus_root, target, name, prefix, b, n) != 0) {
        fprintf(stderr, "parley-vectors: cannot write the seed %s/%s\n", target, name);
        exit(1);
    }
}

static void die(const char *what)
{
    fprintf(stderr, "parley-vectors: negotiation: %s\n", what);
    exit(1);
}

static void hexline(const char *key, const uint8_t *b, size_t n)
{
    tu_hexline(out, key, b, n);
}

static void head(const char *name, const char *section, const char *desc)
{
    fprintf(out, "\nname: %s\nsection: %s\ndescription: %s\n", name, section, desc);
}

/* A body on its own: type, expected decode result, bytes. */
static void body_record(const char *name, const char *section, const char *desc, uint64_t type,
                        const uint8_t *b, size_t n, int expect)
{
    pl_body body;
    int rc = pl_body_decode(type, b, n, &body);
    pl_body_free(&body);
    if (rc != expect) {
        fprintf(stderr, "%s: expected %s, got %s\n", name, pl_errname(expect), pl_errname(rc));
        die("vector disagrees with the library");
    }
    head(name, section, desc);
    fprintf(out, "type: %s\nexpect: %s\n", pl_msg_type_name(type), expect ? pl_errname(expect) : "ok");
    hexline("hex", b, n);
    seed("fuzz_body", name, (int)type, b, n);
}

/* A whole negotiation: the log file, each message's verdict in log order,
 * and the resulting agreement status. */
/* A whole negotiation; with proof (len plen), an equivocation proof a
 * reader applies after the messages (SPEC §13.14). */
static void case_record_proof(const char *name, const char *section, const char *desc, world *w,
                              const uint8_t *proof, size_t plen);

static void case_record(const char *name, const char *section, const char *desc, world *w)
{
    case_record_proof(name, section, desc, w, NULL, 0);
}

static void case_record_proof(const char *name, const char *section, const char *desc, world *w,
                              const uint8_t *proof, size_t plen)
{
    size_t cap = PL_LOGFILE_HEADER_BYTES, n;
    for (size_t i = 0; i < w->n; i++) {
        pl_msg_bytes(w->log[i], &n);
        cap += n;
    }
    uint8_t *f = malloc(cap), *p = f + PL_LOGFILE_HEADER_BYTES;
    pl_logfile_header(w->case_id, f);
    for (size_t i = 0; i < w->n; i++) {
        const uint8_t *b = pl_msg_bytes(w->log[i], &n);
        memcpy(p, b, n);
        p += n;
    }
    pl_case_status st;
    pl_case_status_get(w->c, &st);
    head(name, section, desc);
    fprintf(out, "expect: ");
    for (size_t i = 0; i < w->n; i++) {
        /* the verdict the whole log gives (a later objection, cut or proof
         * can change the one a message got when it was said) */
        long at = pl_case_find(w->c, pl_msg_id(w->log[i]));
        int v = at >= 0 ? pl_case_verdict(w->c, (size_t)at) : w->verdict[i];
        fprintf(out, "%s%s", i ? "," : "", v ? pl_errname(v) : "ok");
    }
    fprintf(out, "\nstatus: %s\n", pl_agreement_state_name(st.state));
    hexline("hex", f, (size_t)(p - f));
    if (proof != NULL)
        hexline("proof", proof, plen);
    seed("fuzz_logfile", name, -1, f, (size_t)(p - f));
    free(f);
}

/* Each message type's body on its own, the first time a valid one appears. */
static uint64_t seen_types;

static void bodies_of(const world *w, const char *scenario)
{
    for (size_t i = 0; i < w->n; i++) {
        const pl_header *h = pl_msg_header(w->log[i]);
        if ((seen_types & (1ull << h->type)) || w->verdict[i] != PL_OK)
            continue;
        seen_types |= 1ull << h->type;
        size_t n;
        const uint8_t *b = pl_msg_body(w->log[i], &n);
        char name[64], desc[128];
        snprintf(name, sizeof name, "body-%s", pl_msg_type_name(h->type));
        snprintf(desc, sizeof desc, "the body of this type in %s", scenario);
        body_record(name, "13.5", desc, h->type, b, n, PL_OK);
    }
}

/* Replaces the first len bytes equal to from in buf[0..n) with to; 1 when
 * found. */
static int patch(uint8_t *buf, size_t n, const char *from, const char *to, size_t len)
{
    for (size_t q = 0; q + len <= n; q++)
        if (memcmp(buf + q, from, len) == 0) {
            memcpy(buf + q, to, len);
            return 1;
        }
    return 0;
}

/* SPEC §13.2 *Particulars*: the world's charter with a suspect of
 * Chinese nationality, born 1990-05-04, who understands Uyghur. */
static void particulars_hook(pl_body *ch)
{
    for (size_t i = 0; i < ch->u.charter.nparticipants; i++)
        if (ch->u.charter.participants[i].role == PL_ROLE_SUSPECT) {
            ch->u.charter.participants[i].birth = 19900504;
            ch->u.charter.participants[i].language = (char *)"ug";
            memcpy(ch->u.charter.participants[i].nationality, "CHN", 4);
        }
}

void gen_negotiation_vectors(const char *dir, const char *corpus)
{
    corpus_root = corpus;
    char path[4096];
    snprintf(path, sizeof path, "%s/negotiation.vec", dir);
    if ((out = fopen(path, "w")) == NULL)
        die("cannot write negotiation.vec");
    fprintf(out, "# Parley v2 negotiation vectors (SPEC §13, §16)\n"
                 "# Generated by tests/tools/vectors_negotiation.c; format in spec/parley-v2.md §11.\n"
                 "# Do not edit: run `make vectors`.\n");

    /* 1. Case 1 to a final agreement, with a declined session, a recording,
     * an observation and the attestation: most types, all valid. */
    world w;
    w_init(&w, 0);
    pl_msg *d, *prop, *prop2, *o1, *co, *vo, *fin;
#define OK(who, body, out)                                                                        \
    do {                                                                                          \
        pl_body b_ = (body);                                                                      \
        if (w_say(&w, who, &b_, out) != PL_OK)                                                    \
            die("a valid step was refused");                                                      \
    } while (0)
    OK(W_P, wb_disclose(), &d);
    OK(W_C, wb_ref(PL_T_DISCLOSE_ACK, d), NULL);
    OK(W_P, wb_propose(0, 1), &prop2);
    OK(W_C, wb_decline(prop2), NULL);
    OK(W_C, wb_propose(1, 0), &prop);
    OK(W_P, wb_ref(PL_T_SESSION_ACCEPT, prop), NULL);
    OK(W_P, wb_recording(prop), NULL);
    OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &o1);
    OK(W_C, wb_offer(&w, PL_PENALTY_DETENTION, 2, 4, 3000, o1), &co);
    OK(W_V, wb_opinion(PL_TOPIC_FORGIVENESS, "No injury; no objection to leniency."), &vo);
    OK(W_P, wb_response(co, PL_DECISION_PARTLY, "Probation accepted; fine 4,000 yuan."), NULL);
    OK(W_P, wb_response(vo, PL_DECISION_ADOPTED, "Taken into account."), NULL);
    OK(W_O, wb_simple(PL_T_OBSERVATION, "The session began on time; both sides spoke freely."),
       NULL);
    OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 2, 3, 4000, co), &fin);
    OK(W_P, wb_sign(fin), NULL);
    OK(W_S, wb_sign(fin), NULL);
    pl_msg *csig;
    OK(W_C, wb_sign(fin), &csig);
    OK(W_O, wb_simple(PL_T_ATTESTATION, "All heads verified."), NULL);
    case_record("case1-final", "13.20", "Case 1 negotiated to a final agreement, attested", &w);

    bodies_of(&w, "case1-final");
    {
        /* SPEC §13.7 (v2): a victim's compensation demand as a number */
        pl_body ob;
        memset(&ob, 0, sizeof ob);
        ob.type = PL_T_OPINION;
        ob.u.opinion.topic = PL_TOPIC_COMPENSATION;
        ob.u.opinion.text = "医疗费、误工费共计人民币三万元。";
        ob.u.opinion.has_amount = 1;
        ob.u.opinion.amount = 3000000;
        uint8_t obb[256];
        size_t on;
        if (pl_body_encode(&ob, obb, sizeof obb, &on) != PL_OK)
            die("compensation demand body");
        body_record("body-opinion-amount", "13.7",
                    "a victim's compensation demand of 30,000 yuan (v2)", PL_T_OPINION, obb, on,
                    PL_OK);
    }
    {
        size_t n;
        const uint8_t *bb = pl_msg_body(csig, &n);
        body_record("body-sign-witness", "13.9",
                    "counsel's signature (case1-final): the session it is signed in, and its "
                    "witness (v2, F0)",
                    PL_T_SIGN, bb, n, PL_OK);
    }

    uint8_t *cert;
    size_t cn;
    pl_cert_report rep;
    if (pl_cert_build(w.c, &cert, &cn) != PL_OK || pl_cert_verify(cert, cn, &rep) != PL_OK)
        die("certificate");
    pl_cert_report_free(&rep);
    head("certificate-case1", "16.1", "the agreement certificate of case1-final");
    fprintf(out, "expect: ok\n");
    uint8_t ch[PL_CERT_HASH_BYTES];
    if (pl_cert_hash(cert, cn, ch) != PL_OK)
        die("certificate hash");
    hexline("cert_hash", ch, sizeof ch);
    hexline("hex", cert, cn);
    seed("fuzz_cert", "certificate-case1", -1, cert, cn);
    cert[cn / 2] ^= 1;
    int rc = pl_cert_verify(cert, cn, &rep);
    pl_cert_report_free(&rep);
    if (rc == PL_OK)
        die("damaged certificate verified");
    head("certificate-damaged", "16.3", "certificate-case1 with one bit flipped in the middle");
    fprintf(out, "expect: %s\n", pl_errname(rc));
    if (pl_cert_hash(cert, cn, ch) != PL_OK)
        die("certificate hash");
    hexline("cert_hash", ch, sizeof ch);
    hexline("hex", cert, cn);
    seed("fuzz_cert", "certificate-damaged", -1, cert, cn);
    free(cert);
    w_free(&w);

    /* 2. The same case with rules broken, each flagged with its rule. */
    w_init(&w, 0);
    pl_body b;
    OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &o1);
    b = wb_sign(o1);
    (void)!w_say(&w, W_S, &b, NULL);                                 /* SIGN_ORDER */
    OK(W_C, wb_opinion(PL_TOPIC_SENTENCE, "Clean record; immediate confession."), &vo);
    b = wb_offer(&w, PL_PENALTY_DETENTION, 2, 0, 5000, NULL);
    (void)!w_say(&w, W_P, &b, NULL);                                 /* UNANSWERED */
    b = wb_offer(&w, PL_PENALTY_DETENTION, 7, 0, 0, NULL);
    (void)!w_say(&w, W_C, &b, NULL);                                 /* TERMS_DETENTION */
    b = wb_propose(1, 1);
    OK(W_C, b, &prop);
    b = wb_ref(PL_T_SESSION_ACCEPT, prop);
    (void)!w_say(&w, W_S, &b, NULL);                                 /* SAME_SIDE */
    b = wb_simple(PL_T_CLOSE, "deliberation complete");
    (void)!w_say(&w, W_P, &b, NULL);                                 /* UNANSWERED */
    b = wb_simple(PL_T_RETRACT, "I retract");
    (void)!w_say(&w, W_S, &b, NULL);                                 /* NOT_FINAL */
    b = wb_opinion(PL_TOPIC_OTHER, "an outsider speaks");
    (void)!w_say(&w, W_X, &b, NULL);                                 /* NOT_PARTICIPANT */
    b = wb_recording(prop);
    (void)!w_say(&w, W_P, &b, NULL);                                 /* RECORDING */
    OK(W_P, wb_response(vo, PL_DECISION_NOT_ADOPTED, "The blood alcohol level was high."), NULL);
    b = wb_simple(PL_T_WITHDRAW, "the prosecution ends the negotiation");
    OK(W_P, b, NULL);
    b = wb_offer(&w, PL_PENALTY_DETENTION, 2, 0, 5000, NULL);
    (void)!w_say(&w, W_C, &b, NULL);                                 /* ENDED */
    case_record("case1-violations", "13.21",
                "rule-breaking messages stay in the log, each flagged with its rule", &w);
    bodies_of(&w, "case1-violations");
    w_free(&w);

    /* 3. Drawn observer, a new counsel, a rotated suspect key, a replaced
     * victim key, retraction, court adjustment and a mutual close. */
    w_init(&w, 1);
    uint8_t rp[32], rd[32], cp[32], cd[32];
    memset(rp, 0x31, 32), memset(rd, 0x32, 32);
    pl_draw_commitment(rp, cp);
    pl_draw_commitment(rd, cd);
    OK(W_P, wb_draw(PL_T_DRAW_COMMIT, 1, cp), NULL);
    OK(W_C, wb_draw(PL_T_DRAW_COMMIT, 1, cd), NULL);
    OK(W_P, wb_draw(PL_T_DRAW_REVEAL, 1, rp), NULL);
    OK(W_C, wb_draw(PL_T_DRAW_REVEAL, 1, rd), NULL);
    int obs = -1;
    for (int q = W_O; q <= W_Q2; q++)
        if ((q == W_O || q == W_Q1 || q == W_Q2) &&
            pl_case_role(w.c, pl_key_pk(w.k[q])) == PL_ROLE_OBSERVER)
            obs = q;
    if (obs < 0)
        die("no observer drawn");
    OK(obs, wb_ref(PL_T_JOIN, w.log[0]), NULL);
    pl_participant add;
    b = wb_add_counsel(&w, &add);
    OK(W_C, b, NULL);
    OK(W_P, b, NULL);
    OK(W_S, b, NULL); /* a counsel seat needs the suspect (v2) */
    OK(W_NEWC, wb_ref(PL_T_JOIN, w.log[0]), NULL);
    b = (pl_body){.type = PL_T_KEY_ROTATE};
    memcpy(b.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
    OK(W_S, b, NULL);
    OK(W_NEWS, wb_ref(PL_T_JOIN, w.log[0]), NULL);
    b = (pl_body){.type = PL_T_KEY_REPLACE};
    memcpy(b.u.key_replace.old_key, pl_key_pk(w.k[W_V]), 32);
    memcpy(b.u.key_replace.new_key, pl_key_pk(w.k[W_NEWV]), 32);
    OK(W_P, b, NULL);
    OK(W_C, b, NULL);
    OK(W_NEWV, wb_ref(PL_T_JOIN, w.log[0]), NULL);
    OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 2, 3, 4000, NULL), &fin);
    OK(W_P, wb_sign(fin), NULL);
    OK(W_NEWS, wb_sign(fin), NULL);
    OK(W_NEWC, wb_sign(fin), NULL);
    OK(W_NEWS, wb_simple(PL_T_RETRACT, "I withdraw my plea before judgment."), NULL);
    OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 2, 2, 4000, NULL), &fin);
    OK(W_P, wb_sign(fin), NULL);
    OK(W_NEWS, wb_sign(fin), NULL);
    OK(W_C, wb_sign(fin), NULL);
    pl_msg *req;
    OK(W_P, wb_simple(PL_T_COURT_ADJUST, "The court asks to adjust the fine (CPL art. 201)."),
       &req);
    OK(W_P, wb_reopen(PL_REOPEN_COURT_REQUEST, req), NULL); /* v2: the answer opens the round */
    OK(W_P, wb_withdraw_offer(fin, "superseded by the court's request"), NULL);
    OK(W_P, wb_simple(PL_T_CLOSE, "deliberation complete"), NULL);
    OK(W_C, wb_simple(PL_T_CLOSE, "deliberation complete"), NULL);
    case_record("case1-rounds", "13.16",
                "draw, participant and key changes, retraction, court adjustment answered by a "
                "reopen, mutual close",
                &w);
    bodies_of(&w, "case1-rounds");
    w_free(&w);

    /* 4. The defense's seats (v2, SPEC §13.18): each pair of the three
     * required parties tries to act without the third. */
    w_init(&w, 0);
    uint8_t gone[1][32];
    memcpy(gone[0], pl_key_pk(w.k[W_S]), 32);
    b = (pl_body){.type = PL_T_PARTICIPANTS};
    b.u.participants.remove = gone, b.u.participants.nremove = 1;
    (void)!w_say(&w, W_C, &b, NULL);                                 /* PARTICIPANTS */
    (void)!w_say(&w, W_P, &b, NULL);                                 /* PARTICIPANTS */
    pl_msg *sess = w_fixed_session(&w, W_P, W_C);
    b = wb_replace(&w, W_S, W_X, NULL, 0);
    (void)!w_say(&w, W_P, &b, NULL);                                 /* SEAT: no session */
    b = wb_replace(&w, W_S, W_X, sess, 0);
    (void)!w_say(&w, W_C, &b, NULL);                                 /* SEAT: no acceptance */
    /* prosecution and counsel seat a key of their own making, the
     * suspect offline; it signs a final agreement */
    OK(W_P, wb_replace(&w, W_S, W_X, sess, 1), NULL);
    OK(W_C, wb_replace(&w, W_S, W_X, sess, 1), NULL);
    OK(W_X, wb_ref(PL_T_JOIN, w.log[0]), NULL);
    OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 6, 0, 20000, NULL), &fin);
    OK(W_P, wb_sign(fin), NULL);
    OK(W_X, wb_sign(fin), NULL);                                     /* NOT_PARTICIPANT, later */
    OK(W_C, wb_sign(fin), NULL);
    /* prosecution and counsel try to seat a second counsel */
    b = wb_add_counsel(&w, &add);
    OK(W_C, b, NULL);
    OK(W_P, b, NULL);
    b = wb_ref(PL_T_JOIN, w.log[0]);
    (void)!w_say(&w, W_NEWC, &b, NULL);                              /* NOT_PARTICIPANT */
    /* the suspect's key was never lost: its holder objects */
    OK(W_S, wb_opinion(PL_TOPIC_OTHER, "My key was never lost; I accepted nothing."), NULL);
    b = wb_simple(PL_T_RETRACT, "I withdraw my plea.");
    (void)!w_say(&w, W_S, &b, NULL);                                 /* NOT_FINAL */
    /* suspect and counsel try to replace the prosecutor */
    b = wb_replace(&w, W_P, W_NEWV, NULL, 0);
    OK(W_S, b, NULL);
    OK(W_C, b, NULL);
    b = wb_opinion(PL_TOPIC_OTHER, "the new prosecutor speaks");
    (void)!w_say(&w, W_NEWV, &b, NULL);                              /* NOT_PARTICIPANT */
    case_record("seat-pairs", "13.18",
                "each pair of prosecution, suspect and counsel acting without the third: no "
                "removal of the suspect, no seat without the new key's acceptance in a fixed "
                "session, no counsel seat without the suspect, and the old key's objection "
                "voids a replacement (the sham suspect's signature falls, nothing is final)",
                &w);
    w_free(&w);

    /* 5. Finality over what signers left out (v2, SPEC §13.9 F1, step 9):
     * the observer attested a victim's opinion; the three sign without
     * referencing it; nothing is final until it is answered. */
    w_init(&w, 0);
    OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
    OK(W_V, wb_opinion(PL_TOPIC_FORGIVENESS, "I do not forgive; hear me first."), NULL);
    OK(W_O, wb_simple(PL_T_ATTESTATION, "heads verified"), NULL);
    unsigned three = W_BIT(W_P) | W_BIT(W_S) | W_BIT(W_C);
    b = wb_sign(fin);
    if (w_say_seeing(&w, W_P, &b, three, NULL) != PL_OK)
        die("a valid step was refused");
    if (w_say_seeing(&w, W_S, &b, three, NULL) != PL_OK ||
        w_say_seeing(&w, W_C, &b, three, NULL) != PL_OK)
        die("a valid step was refused");
    case_record("unheard-f1", "13.9",
                "three valid signatures that left out an input the observer had attested before "
                "them are not final until it is answered (F1)",
                &w);
    w_free(&w);

    /* 6. A withdrawal the observer attested before the defense signed,
     * left out of the defense's references (SPEC §13.9 F2). */
    w_init(&w, 0);
    OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
    OK(W_P, wb_sign(fin), NULL);
    OK(W_C, wb_propose(0, 0), NULL);
    OK(W_S, wb_propose(0, 0), NULL);
    OK(W_P, wb_withdraw_offer(fin, "new evidence; the offer is withdrawn"), NULL);
    OK(W_O, wb_simple(PL_T_ATTESTATION, "heads verified"), NULL);
    b = wb_sign(fin);
    if (w_say_seeing(&w, W_C, &b, 0, NULL) != PL_OK || w_say_seeing(&w, W_S, &b, 0, NULL) != PL_OK)
        die("a valid step was refused");
    case_record("untimely-f2", "13.9",
                "a defense that left the withdrawal out of its references signs after the "
                "observer attested it: the signatures are valid, the agreement is not final (F2)",
                &w);
    w_free(&w);

    /* 7. One seat's own key changes (v2, SPEC §13.22): three rotations
     * are acts; the fourth is over the seat's quota, and the key it names
     * never gets a role. */
    w_init(&w, 0);
    OK(W_V, wb_opinion(PL_TOPIC_COMPENSATION, "I ask for compensation."), NULL);
    {
        int seat[] = {W_V, W_NEWV, W_X, W_Q1, W_Q2};
        for (int r = 0; r < 4; r++) {
            b = (pl_body){.type = PL_T_KEY_ROTATE};
            memcpy(b.u.key_rotate.new_key, pl_key_pk(w.k[seat[r + 1]]), 32);
            if (r < PL_QUOTA_ROTATIONS) {
                OK(seat[r], b, NULL);
                OK(seat[r + 1], wb_ref(PL_T_JOIN, w.log[0]), NULL);
            } else if (w_say(&w, seat[r], &b, NULL) != PL_E_QUOTA) {
                die("a fourth rotation was not refused");
            }
        }
        b = wb_ref(PL_T_JOIN, w.log[0]);
        (void)!w_say(&w, W_Q2, &b, NULL);                          /* NOT_PARTICIPANT */
    }
    case_record("seat-rotations", "13.22",
                "a victim's seat rotates three times, each new key joining; the fourth "
                "rotation is PL_E_QUOTA and its new key has no role",
                &w);
    w_free(&w);
    /* 8. The suspect's identity (v2, SPEC §13.2, §13.3): the charter binds
     * the seat to a person; the suspect confirms in a fixed session, and
     * so must a key the suspect rotates to. */
    w_init_bound(&w);
    pl_msg *confirm;
    {
        b = (pl_body){.type = PL_T_KEY_ROTATE};
        memcpy(b.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
        OK(W_S, b, NULL);
        b = wb_ref(PL_T_JOIN, w.log[0]);
        (void)!w_say(&w, W_NEWS, &b, NULL);                        /* IDENTITY: none */
        b = wb_confirm(&w, "Li Si", w.id_hash, w.id_session);
        (void)!w_say(&w, W_NEWS, &b, NULL);                        /* IDENTITY: name */
        b = wb_confirm(&w, W_SUSPECT_NAME, w.id_hash, w.log[0]);
        (void)!w_say(&w, W_NEWS, &b, NULL);                        /* IDENTITY: session */
        OK(W_NEWS, wb_confirm(&w, W_SUSPECT_NAME, w.id_hash, w.id_session), &confirm);
        OK(W_V, wb_opinion(PL_TOPIC_COMPENSATION, "Compensated in full."), &fin);
        OK(W_P, wb_response(fin, PL_DECISION_ADOPTED, "Compensation noted."), NULL);
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
        OK(W_P, wb_sign(fin), NULL);
        OK(W_NEWS, wb_sign(fin), NULL);
        OK(W_C, wb_sign(fin), NULL);
    }
    case_record("identity-bound", "13.3",
                "a charter binding the suspect's seat (the identity hash of 11010519491231002X); "
                "the suspect confirms in a fixed session; its rotated-to key's joins without the "
                "confirmation, with another name and naming no session are PL_E_IDENTITY; the "
                "confirmed key signs a final agreement",
                &w);
    {
        size_t n;
        const uint8_t *bb = pl_msg_body(w.log[0], &n);
        body_record("body-charter-bound", "13.5",
                    "a charter whose suspect map has id_hash (identity-bound)", PL_T_CHARTER, bb, n,
                    PL_OK);
        bb = pl_msg_body(confirm, &n);
        body_record("body-join-confirmation", "13.5",
                    "a join with the suspect's confirmation (identity-bound)", PL_T_JOIN, bb, n,
                    PL_OK);
        /* the same join without its session: a confirmation is whole or absent */
        uint8_t cut[256];
        memcpy(cut, bb, n);
        if (n < 45 || n > sizeof cut || cut[0] != 0x84)
            die("unexpected join encoding");
        cut[0] = 0x83; /* session is the last key: 8 + 2 + 32 bytes */
        body_record("body-join-partial-confirmation", "13.5",
                    "a join with id_hash and name but no session", PL_T_JOIN, cut, n - 42,
                    PL_E_BODY);
        /* v2, SPEC §13.2 *Deadline*: the same charter stating the
         * procuratorate's deadline, 2027-01-14 at noon UTC */
        pl_body cb;
        static uint8_t enc[PL_MSG_MAX_BYTES];
        size_t en;
        bb = pl_msg_body(w.log[0], &n);
        if (pl_body_decode(PL_T_CHARTER, bb, n, &cb) != PL_OK)
            die("charter body");
        cb.u.charter.has_deadline = 1, cb.u.charter.deadline_ms = 1799928000000ull;
        if (pl_body_encode(&cb, enc, sizeof enc, &en) != PL_OK)
            die("charter with a deadline");
        pl_body_free(&cb);
        body_record("body-charter-deadline", "13.5",
                    "a charter stating the procuratorate's deadline (v2, SPEC 13.2)", PL_T_CHARTER, enc,
                    en, PL_OK);
    }
    w_free(&w);
    /* 9. A contested key (v2, SPEC §13.18): the suspect rotates; the victim,
     * leaving that out of its references, rotates to the same key. Both
     * rotations are void: the suspect's old key keeps the seat. */
    w_init_bound(&w);
    {
        b = (pl_body){.type = PL_T_KEY_ROTATE};
        memcpy(b.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
        OK(W_S, b, NULL);
        OK(W_NEWS, wb_confirm(&w, W_SUSPECT_NAME, w.id_hash, w.id_session), NULL);
        if (w_say_seeing(&w, W_V, &b, 0, NULL) != PL_OK)
            die("the victim's concurrent rotation was refused");
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
        OK(W_P, wb_sign(fin), NULL);
        b = wb_sign(fin);
        (void)!w_say(&w, W_NEWS, &b, NULL);                        /* NOT_PARTICIPANT */
        OK(W_S, wb_sign(fin), NULL);
        OK(W_C, wb_sign(fin), NULL);
    }
    case_record("contested-rotation", "13.18",
                "the suspect and the victim each rotate to one new key: both rotations are void "
                "(the new key's confirming join, valid when it arrived, is judged again: "
                "PL_E_NOT_PARTICIPANT), and the suspect's old key signs a final agreement",
                &w);
    w_free(&w);
    /* 10. A prevailing replacement (v2, SPEC §13.18): the suspect's lost
     * key is replaced in a fixed session with the new key's acceptance;
     * the victim rotates to that key, leaving the replacement out of its
     * references. The replacement alone carries the key's signature: it
     * stands, the rotation is void, and the new key signs a final
     * agreement. */
    w_init(&w, 0);
    {
        pl_msg *rsess = w_fixed_session(&w, W_C, W_P);
        pl_body srep = wb_replace(&w, W_S, W_NEWS, rsess, 1);
        OK(W_P, srep, NULL);
        OK(W_C, srep, NULL);
        b = (pl_body){.type = PL_T_KEY_ROTATE};
        memcpy(b.u.key_rotate.new_key, pl_key_pk(w.k[W_NEWS]), 32);
        if (w_say_seeing(&w, W_V, &b, 0, NULL) != PL_OK)
            die("the victim's concurrent rotation was refused");
        OK(W_NEWS, wb_ref(PL_T_JOIN, w.log[0]), NULL);
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
        OK(W_P, wb_sign(fin), NULL);
        OK(W_NEWS, wb_sign(fin), NULL);
        OK(W_C, wb_sign(fin), NULL);
        b = wb_sign(fin);
        (void)!w_say(&w, W_V, &b, NULL); /* ROLE: the victim is still the victim */
    }
    case_record("prevailing-replacement", "13.18",
                "the suspect's key is replaced with the new key's acceptance and the victim "
                "rotates to the same key: the replacement prevails, the rotation is void, the "
                "new key signs a final agreement, and the victim's signature is PL_E_ROLE",
                &w);
    w_free(&w);
    /* 11. A fork at a draw reveal (SPEC §13.14, §13.13; the open issue of
     * §13.14): the prosecution forks its key at its draw reveal after the
     * drawn citizen joined and filed an observation. The reveal and the
     * offer after the fork are void; the observer's join stands on its own
     * past (§13.13 *Standing joins*), and its observation with it. */
    w_init(&w, 1);
    {
        pl_msg *reveal;
        int drawn = -1;
        if (w_draw(&w, W_P, W_C, 1, 0x11, 0x22, W_ALL, &reveal, NULL) != PL_OK ||
            (drawn = w_drawn(&w)) < 0)
            die("no observer drawn");
        OK(drawn, wb_ref(PL_T_JOIN, w.log[0]), NULL);
        OK(drawn, wb_simple(PL_T_OBSERVATION, "the prosecution pressured the suspect"), NULL);
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), NULL);
        uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
        size_t plen = w_fork_proof(&w, reveal, proof);
        if (w_add_proof(&w, proof, plen) != PL_OK)
            die("the fork's proof");
        case_record_proof("fork-at-draw-reveal", "13.14",
                          "the prosecution forks its key at its draw reveal (the proof) after the "
                          "drawn citizen joined and filed an observation: the reveal and the later "
                          "offer are PL_E_EQUIVOCATED, but the observer's join stands on its own "
                          "past (SPEC 13.13 Standing joins), so it and the observation stay valid",
                          &w, proof, plen);
    }
    w_free(&w);
    /* 11b. A fork below the draw: counsel, the defense's drawing key, forks
     * at its join (seq 1). Every message of counsel is void, its
     * commitment and reveal included, yet they count for the draw, and
     * the drawn citizen's join and observation stay valid (SPEC §13.13
     * *Standing joins*). */
    w_init(&w, 1);
    {
        int drawn = -1;
        if (w_draw(&w, W_P, W_C, 1, 0x33, 0x44, W_ALL, NULL, NULL) != PL_OK ||
            (drawn = w_drawn(&w)) < 0)
            die("no observer drawn");
        OK(drawn, wb_ref(PL_T_JOIN, w.log[0]), NULL);
        OK(drawn, wb_simple(PL_T_OBSERVATION, "counsel was not present"), NULL);
        const pl_msg *cjoin = NULL;
        for (size_t i = 0; i < w.n && !cjoin; i++)
            if (memcmp(pl_msg_header(w.log[i])->author, pl_key_pk(w.k[W_C]), 32) == 0)
                cjoin = w.log[i];
        uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
        size_t plen = w_fork_proof(&w, cjoin, proof);
        if (w_add_proof(&w, proof, plen) != PL_OK)
            die("the fork's proof");
        case_record_proof("fork-at-drawing-join", "13.14",
                          "counsel, the defense's drawing key, forks at its join (the proof) after "
                          "the draw and the drawn citizen's join and observation: every message of "
                          "counsel is PL_E_EQUIVOCATED, its commitment and reveal included, and the "
                          "prosecution's reveal bound to that commitment is PL_E_DRAW; yet the "
                          "observer's join stands on its own past (SPEC 13.13 Standing joins) and "
                          "its messages stay valid",
                          &w, proof, plen);
    }
    w_free(&w);
    /* 11c. No change seats a key of the pool (v2, SPEC §13.18): after the
     * drawn citizen joined, the victim rotates to its key in a past that
     * predates the draw: PL_E_KEY, and the observer's next observation is
     * still valid. */
    w_init(&w, 1);
    {
        int drawn = -1;
        if (w_draw(&w, W_P, W_C, 1, 0x55, 0x66, W_ALL, NULL, NULL) != PL_OK ||
            (drawn = w_drawn(&w)) < 0)
            die("no observer drawn");
        OK(drawn, wb_ref(PL_T_JOIN, w.log[0]), NULL);
        pl_body rot = {.type = PL_T_KEY_ROTATE};
        memcpy(rot.u.key_rotate.new_key, pl_key_pk(w.k[drawn]), 32);
        (void)!w_say_seeing(&w, W_V, &rot, 0, NULL);                  /* KEY */
        OK(drawn, wb_simple(PL_T_OBSERVATION, "the victim tried to take my key's seat"), NULL);
        case_record("rotate-into-pool-key", "13.18",
                    "the victim rotates to the drawn citizen's key in a past without the draw: "
                    "PL_E_KEY (v2: no change seats a key of the pool), and the observer's next "
                    "observation is valid",
                    &w);
    }
    w_free(&w);
    /* 12. The plea is the suspect's (v2, SPEC §13.15) and a judgment both
     * sides recorded ends the negotiation (§13.23): counsel's retraction
     * is PL_E_ROLE; after the prosecution's and counsel's identical
     * judgment the suspect's retraction, a new offer and another judgment
     * are PL_E_AFTER_JUDGMENT; the agreement stays final. */
    w_init(&w, 0);
    OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
    OK(W_P, wb_sign(fin), NULL);
    OK(W_S, wb_sign(fin), NULL);
    OK(W_C, wb_sign(fin), NULL);
    b = wb_simple(PL_T_RETRACT, "Counsel advises against the plea.");
    (void)!w_say(&w, W_C, &b, NULL);                                 /* ROLE */
    OK(W_P, wb_judgment(1, 0x3a), NULL);
    OK(W_C, wb_judgment(1, 0x3a), NULL);
    b = wb_simple(PL_T_RETRACT, "I withdraw my plea.");
    (void)!w_say(&w, W_S, &b, NULL);                                 /* AFTER_JUDGMENT */
    b = wb_offer(&w, PL_PENALTY_DETENTION, 2, 0, 5000, NULL);
    (void)!w_say(&w, W_P, &b, NULL);                                 /* AFTER_JUDGMENT */
    b = wb_judgment(0, 0x3b);
    (void)!w_say(&w, W_S, &b, NULL);                                 /* AFTER_JUDGMENT */
    case_record("judgment", "13.23",
                "counsel's retraction is PL_E_ROLE; a judgment recorded by the prosecution and "
                "counsel with one body closes the negotiation: the suspect's retraction, a new "
                "offer and a second judgment are PL_E_AFTER_JUDGMENT; the agreement stays final",
                &w);
    bodies_of(&w, "judgment");
    w_free(&w);
    /* 13. No bypassing the defender (v2, SPEC §13.9 F0b): a duty lawyer
     * added by the suspect and the prosecution does not sign while the
     * retained defender holds the counsel role (PL_E_PRESENCE); after the
     * suspect dismisses the defender (a new round), the same three roles
     * sign again: final. */
    w_init(&w, 0);
    {
        pl_participant slot;
        w_seat_duty_lawyer(&w, &slot);
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
        OK(W_P, wb_sign(fin), NULL);
        OK(W_S, wb_sign(fin), NULL);
        b = wb_sign(fin);
        (void)!w_say(&w, W_NEWC, &b, NULL); /* PRESENCE: the defender holds the role */
        uint8_t dgone[1][32];
        memcpy(dgone[0], pl_key_pk(w.k[W_C]), 32);
        b = (pl_body){.type = PL_T_PARTICIPANTS};
        b.u.participants.remove = dgone;
        b.u.participants.nremove = 1;
        OK(W_S, b, NULL);
        OK(W_P, b, NULL);
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
        OK(W_P, wb_sign(fin), NULL);
        OK(W_S, wb_sign(fin), NULL);
        OK(W_NEWC, wb_sign(fin), NULL);
    }
    case_record("duty-lawyer", "13.9",
                "a duty lawyer (capacity duty_lawyer) does not sign while the retained defender "
                "holds the counsel role (PL_E_PRESENCE); after the suspect dismisses the "
                "defender, the new round's signatures are final",
                &w);
    w_free(&w);
    /* 14. The procedure's finer rules (v2, SPEC §13.9 steps 9-11, §13.16,
     * §13.23): a suspect's witness and an unfixed session are
     * PL_E_PRESENCE; a defense signature over an unanswered input is
     * PL_E_UNANSWERED; counsel witnesses with a dissent: final; a response
     * adopting a court adjustment is PL_E_TARGET, one declining it is
     * valid; reopens naming the request on another ground, or on the
     * court's ground without it, are PL_E_REOPEN; a reopen naming the
     * request opens the round (state reopened); an adopted judgment with
     * nothing final is PL_E_NOT_FINAL; the prosecution's own judgment bars
     * its offer and its withdrawal. */
    w_init(&w, 0);
    {
        pl_msg *open, *vop, *cop, *req1, *req2;
        OK(W_P, wb_propose(0, 0), &open); /* never accepted */
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
        OK(W_P, wb_sign(fin), NULL);
        b = wb_sign(fin);
        b.u.sign.has_session = 1;
        memcpy(b.u.sign.session, pl_msg_id(w.sign_session), 32);
        b.u.sign.witness = 1;
        (void)!w_say(&w, W_S, &b, NULL); /* PRESENCE: the suspect witnesses nothing */
        b.u.sign.witness = 0;
        memcpy(b.u.sign.session, pl_msg_id(open), 32);
        (void)!w_say(&w, W_S, &b, NULL); /* PRESENCE: not fixed */
        OK(W_V, wb_opinion(PL_TOPIC_SENTENCE, "Too lenient."), &vop);
        b = wb_sign(fin);
        (void)!w_say(&w, W_S, &b, NULL); /* UNANSWERED */
        OK(W_P, wb_response(vop, PL_DECISION_NOT_ADOPTED, "Within the range."), NULL);
        OK(W_C, wb_opinion(PL_TOPIC_SENTENCE, "Counsel thinks the fine too high."), &cop);
        OK(W_P, wb_response(cop, PL_DECISION_NOT_ADOPTED, "The fine stands."), NULL);
        OK(W_S, wb_sign(fin), NULL);
        b = wb_sign(fin);
        b.u.sign.has_dissent = 1;
        memcpy(b.u.sign.dissent, pl_msg_id(cop), 32);
        OK(W_C, b, NULL); /* witness and session filled by the world: final */
        OK(W_P, wb_simple(PL_T_COURT_ADJUST, "The court finds the fine too high."), &req1);
        b = wb_response(req1, PL_DECISION_ADOPTED, "Agreed.");
        (void)!w_say(&w, W_P, &b, NULL); /* TARGET: adopting is a reopen */
        OK(W_P, wb_response(req1, PL_DECISION_NOT_ADOPTED, "The fine is within the range."),
           NULL);
        OK(W_P, wb_simple(PL_T_COURT_ADJUST, "The court asks again."), &req2);
        b = wb_reopen(PL_REOPEN_NEW_FACTS, req2);
        (void)!w_say(&w, W_P, &b, NULL); /* REOPEN: a request on another ground */
        b = wb_reopen(PL_REOPEN_COURT_REQUEST, NULL);
        (void)!w_say(&w, W_P, &b, NULL); /* REOPEN: the court's ground names no request */
        OK(W_P, wb_reopen(PL_REOPEN_COURT_REQUEST, req2), NULL); /* reopened */
        b = wb_judgment(1, 0x41);
        (void)!w_say(&w, W_P, &b, NULL); /* NOT_FINAL: nothing to adopt in this round */
        OK(W_P, wb_judgment(0, 0x42), NULL);
        b = wb_offer(&w, PL_PENALTY_DETENTION, 2, 0, 5000, NULL);
        (void)!w_say(&w, W_P, &b, NULL); /* AFTER_JUDGMENT: its own record bars it */
        b = wb_simple(PL_T_WITHDRAW, "The prosecution leaves.");
        (void)!w_say(&w, W_P, &b, NULL); /* AFTER_JUDGMENT */
    }
    case_record("procedure-rules", "13.9",
                "presence (PL_E_PRESENCE for a suspect's witness and an unfixed session), a "
                "defense signature over an unanswered input, counsel's dissent, a court "
                "adjustment declined and one answered by a reopen (state reopened), reopens "
                "on the wrong ground, an adopted judgment with nothing final, and the "
                "prosecution's own judgment barring its acts",
                &w);
    w_free(&w);
    /* 15. The rights notice (v2, SPEC §13.24, §13.9 F0c, step 10): a
     * prosecution signature carrying a witness is PL_E_PRESENCE; without
     * the suspect's acknowledgment of a notice in its signature's past
     * nothing is final; counsel cannot acknowledge for the suspect, an
     * acknowledgment must name a notice; acknowledged later, the earlier
     * signature still lacks it. */
    w_no_notice = 1;
    w_init(&w, 0);
    w_no_notice = 0;
    {
        pl_msg *nm;
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
        b = wb_sign(fin);
        b.u.sign.witness = 1;
        (void)!w_say(&w, W_P, &b, NULL); /* PRESENCE */
        OK(W_P, wb_sign(fin), NULL);
        OK(W_S, wb_sign(fin), NULL);
        OK(W_C, wb_sign(fin), NULL); /* pending: no notice acknowledged */
        b = wb_notice("The plea statement becomes void.");
        OK(W_P, b, &nm);
        b = wb_notice_ack(pl_msg_id(nm));
        (void)!w_say(&w, W_C, &b, NULL); /* ROLE */
        pl_body bad = wb_notice_ack(pl_msg_id(fin));
        (void)!w_say(&w, W_S, &bad, NULL); /* TARGET */
        OK(W_S, b, NULL);
    }
    case_record("notice", "13.24",
                "a prosecution signature with a witness is PL_E_PRESENCE; the three sign before "
                "any rights notice: pending; counsel's acknowledgment is PL_E_ROLE, one naming "
                "an offer PL_E_TARGET; the suspect's later acknowledgment does not make the "
                "earlier signature final",
                &w);
    w_free(&w);
    /* 16. Victim settlement (v2, SPEC §13.25): the prosecution sends none
     * (PL_E_ROLE); the victim proposes a letter of forgiveness; an
     * acceptance naming an offer is PL_E_TARGET, by the victim herself or
     * changing the amount PL_E_SETTLEMENT; the suspect accepts it as it
     * is; an agreement citing compensation and forgiveness is final (the
     * missing payment is a warning of the certificate and report, not a
     * verdict). */
    w_init(&w, 0);
    {
        pl_msg *vp;
        (void)!w_say(&w, W_P, (b = wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 1, NULL), &b), NULL);
        OK(W_V, wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 1, NULL), &vp);
        (void)!w_say(&w, W_S, (b = wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 1, w.log[0]), &b),
                     NULL); /* TARGET */
        (void)!w_say(&w, W_V, (b = wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 1, vp), &b),
                     NULL); /* SETTLEMENT: her own */
        (void)!w_say(&w, W_S, (b = wb_settlement(PL_SETTLEMENT_LETTER, 100, 0, 1, 1, vp), &b),
                     NULL); /* SETTLEMENT: another amount */
        OK(W_S, wb_settlement(PL_SETTLEMENT_LETTER, 0, 0, 1, 1, vp), NULL);
        /* counsel proposes a payment, then withdraws it: its acceptance
         * by the victim after the withdrawal is PL_E_WITHDRAWN */
        pl_msg *payp;
        OK(W_C, wb_settlement(PL_SETTLEMENT_AGREEMENT, 20000, 0, 0, 2, NULL), &payp);
        b = (pl_body){.type = PL_T_SETTLEMENT_WITHDRAW};
        memcpy(b.u.settlement_withdraw.settlement, pl_msg_id(payp), 32);
        b.u.settlement_withdraw.reasons = (char *)"The family cannot pay.";
        OK(W_C, b, NULL);
        (void)!w_say(&w, W_V, (b = wb_settlement(PL_SETTLEMENT_AGREEMENT, 20000, 0, 0, 2, payp), &b),
                     NULL); /* WITHDRAWN */
        pl_terms *t = calloc(1, sizeof *t);
        t->ncharges = 1;
        strcpy(t->charges[0].article, "234");
        strcpy(t->charges[0].name, "intentional injury");
        strcpy(t->facts, "Struck the victim once; minor injury (grade 2).");
        t->procedure = PL_PROCEDURE_SUMMARY;
        t->grounds = PL_GROUND_COMPENSATION | PL_GROUND_CONFESSION | PL_GROUND_FORGIVENESS;
        t->penalty.kind = PL_PENALTY_IMPRISONMENT, t->penalty.min = t->penalty.max = 8;
        uint8_t *buf = malloc(PL_TERMS_MAX_BYTES);
        size_t tn = 0;
        if (buf == NULL || pl_terms_encode(t, buf, PL_TERMS_MAX_BYTES, &tn) != PL_OK)
            die("settlement terms");
        free(t);
        w.blobs[w.nblobs++] = buf;
        b = (pl_body){.type = PL_T_OFFER};
        b.u.offer.terms = buf, b.u.offer.terms_len = tn;
        pl_terms_hash(buf, tn, b.u.offer.terms_hash);
        OK(W_P, b, &fin);
        OK(W_P, wb_sign(fin), NULL);
        OK(W_S, wb_sign(fin), NULL);
        OK(W_C, wb_sign(fin), NULL);
    }
    case_record("settlement", "13.25",
                "a prosecution settlement is PL_E_ROLE; the victim's letter is accepted by the "
                "suspect after an acceptance naming the charter (PL_E_TARGET), the victim's own "
                "and one with another amount (PL_E_SETTLEMENT); counsel's payment proposal, "
                "withdrawn, cannot be accepted (PL_E_WITHDRAWN); terms citing compensation "
                "without a paid settlement are final",
                &w);
    bodies_of(&w, "settlement");
    w_free(&w);
    /* 17. A minor's guardian (v2, SPEC §13.26, §13.9 F0d): the guardian is
     * seated by the prosecution and counsel; a consent by counsel is
     * PL_E_ROLE, one naming the charter PL_E_TARGET; the guardian objects
     * before the defense signs: final, a plea without a plea statement. */
    w_init(&w, 0);
    w_terms_minor = 1;
    {
        static pl_participant mother;
        w_seat_guardian(&w, &mother);
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 2, 3, 1000, NULL), &fin);
        OK(W_P, wb_sign(fin), NULL);
        (void)!w_say(&w, W_C, (b = wb_consent(&w, fin, 1, NULL), &b), NULL); /* ROLE */
        (void)!w_say(&w, W_G, (b = wb_consent(&w, w.log[0], 1, NULL), &b), NULL); /* TARGET */
        OK(W_G, wb_consent(&w, fin, 0, "The child does not understand the consequences."), NULL);
        OK(W_S, wb_sign(fin), NULL);
        OK(W_C, wb_sign(fin), NULL);
    }
    w_terms_minor = 0;
    case_record("guardian", "13.26",
                "the guardian, seated by the prosecution and the suspect, objects in the signing session "
                "before the defense signs: final, a plea without a plea statement; a consent by "
                "counsel is PL_E_ROLE, one naming the charter PL_E_TARGET",
                &w);
    bodies_of(&w, "guardian");
    w_free(&w);
    /* 18. The suspect's particulars and the interpreter (v2, SPEC §13.2,
     * §13.27, §13.9 F0e): the charter states a Uyghur-speaking suspect of
     * Chinese nationality, born 1990-05-04, in proceedings in Chinese; the
     * interpreter is seated by the prosecution and the suspect; the
     * suspect's signature before the interpreter's statement is
     * PL_E_PRESENCE, a statement by counsel PL_E_ROLE; a statement into
     * English counts for nothing; after one into Uyghur the suspect signs
     * and the agreement is final. */
    w_charter_hook = particulars_hook;
    w_init(&w, 0);
    w_charter_hook = NULL;
    {
        static pl_participant interp;
        interp = (pl_participant){.role = PL_ROLE_INTERPRETER, .name = (char *)"Aziz (interpreter)"};
        memcpy(interp.key, pl_key_pk(w.k[W_X]), 32);
        interp.has_accept = 1; /* the seat accepted by the interpreter's key (§13.18) */
        pl_seat_add_sign(w.k[W_X], w.case_id, PL_ROLE_INTERPRETER, interp.accept);
        b = (pl_body){.type = PL_T_PARTICIPANTS};
        b.u.participants.add = &interp, b.u.participants.nadd = 1;
        pl_msg *seating;
        OK(W_P, b, &seating);
        OK(W_S, b, NULL);
        size_t sn;
        const uint8_t *sb = pl_msg_body(seating, &sn);
        body_record("body-participants-accept", "13.5",
                    "a participants change adding an interpreter that accepted its seat (v2, SPEC 13.18)",
                    PL_T_PARTICIPANTS, sb, sn, PL_OK);
        OK(W_X, wb_ref(PL_T_JOIN, w.log[0]), NULL);
        OK(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL), &fin);
        OK(W_P, wb_sign(fin), NULL);
        (void)!w_say(&w, W_S, (b = wb_sign(fin), &b), NULL);                     /* PRESENCE */
        (void)!w_say(&w, W_C, (b = wb_interpretation(&w, fin, "ug"), &b), NULL); /* ROLE */
        OK(W_X, wb_interpretation(&w, fin, "en"), NULL);
        (void)!w_say(&w, W_S, (b = wb_sign(fin), &b), NULL);                     /* PRESENCE */
        OK(W_X, wb_interpretation(&w, fin, "ug"), NULL);
        OK(W_S, wb_sign(fin), NULL);
        OK(W_C, wb_sign(fin), NULL);
        /* the observer rotates to the interpreter's key, having seen
         * nothing of the seating: the accepted addition prevails */
        b = (pl_body){.type = PL_T_KEY_ROTATE};
        memcpy(b.u.key_rotate.new_key, pl_key_pk(w.k[W_X]), 32);
        if (w_say_seeing(&w, W_O, &b, W_BIT(W_O), NULL) != PL_OK)
            die("the observer's rotation was refused");
    }
    case_record("interpreter", "13.27",
                "a Uyghur-speaking suspect in proceedings in Chinese, the interpreter seated by "
                "the prosecution and the suspect with its key's acceptance: the suspect's "
                "signature before the interpreter's statement is PL_E_PRESENCE, counsel's "
                "statement PL_E_ROLE; a statement into English counts for nothing; after one "
                "into Uyghur the suspect signs and the agreement is final; the observer's later "
                "rotation to the interpreter's key is void (the accepted addition prevails, "
                "SPEC 13.18) and the agreement stays final",
                &w);
    bodies_of(&w, "interpreter");
    {
        size_t n;
        const uint8_t *bb = pl_msg_body(w.log[0], &n);
        static uint8_t cut[PL_MSG_MAX_BYTES];
        body_record("body-charter-particulars", "13.5",
                    "a charter with the suspect's birth, nationality and language (v2, SPEC 13.2)",
                    PL_T_CHARTER, bb, n, PL_OK);
        /* the same with one value broken, each of the same length */
        static const struct {
            const char *name, *desc, *from, *to;
            size_t len;
        } breaks[] = {
            {"body-birth-not-a-date", "a birth of 1990-02-30 (v2, SPEC 13.2)",
             "\xa5" "birth\xce\x01\x2f\xa8\x58", "\xa5" "birth\xce\x01\x2f\xa7\x46", 11},
            {"body-nationality-lowercase", "a nationality written chn (v2, SPEC 13.2)",
             "\xa3" "CHN", "\xa3" "chn", 4},
            {"body-language-not-a-tag", "a suspect's language written u_ (v2, SPEC 13.2)",
             "\xa8" "language\xa2" "ug", "\xa8" "language\xa2" "u_", 12},
        };
        for (size_t k = 0; k < sizeof breaks / sizeof breaks[0]; k++) {
            memcpy(cut, bb, n);
            if (!patch(cut, n, breaks[k].from, breaks[k].to, breaks[k].len))
                die("a particular to break is not in the charter");
            body_record(breaks[k].name, "13.5", breaks[k].desc, PL_T_CHARTER, cut, n, PL_E_BODY);
        }
        /* "ug1": a digit run straight on from the primary subtag, with no
         * hyphen (one byte longer: a str's header counts its bytes, the
         * maps and arrays around it count elements) */
        {
            static const uint8_t from[] = "\xa8" "language\xa2" "ug";
            size_t q = 0;
            while (q + 12 <= n && memcmp(bb + q, from, 12) != 0)
                q++;
            if (q + 12 > n || n + 1 > sizeof cut)
                die("no suspect language in the charter");
            memcpy(cut, bb, q + 10);
            cut[q + 9] = 0xa3;
            memcpy(cut + q + 10, "ug1", 3);
            memcpy(cut + q + 13, bb + q + 12, n - q - 12);
            body_record("body-language-digit", "13.5",
                        "a suspect's language written ug1: no hyphen after the primary subtag (v2, "
                        "SPEC 13.2)",
                        PL_T_CHARTER, cut, n + 1, PL_E_BODY);
        }
        /* the suspect's map made counsel's: particulars outside a suspect's
         * map (the two maps stay in key order) */
        memcpy(cut, bb, n);
        if (!patch(cut, n, "\xa7" "suspect", "\xa7" "counsel", 8))
            die("no suspect role in the charter");
        body_record("body-birth-not-suspect", "13.5",
                    "particulars in a map whose role is not suspect (v2, SPEC 13.5)", PL_T_CHARTER, cut,
                    n, PL_E_BODY);
        /* the charter with the proceedings' language and a closure */
        pl_body cb;
        size_t en;
        if (pl_body_decode(PL_T_CHARTER, bb, n, &cb) != PL_OK)
            die("charter body");
        cb.u.charter.language = (char *)"ug-CN";
        cb.u.charter.closed = PL_CLOSED_PRIVACY;
        if (pl_body_encode(&cb, cut, sizeof cut, &en) != PL_OK)
            die("charter with a language and a closure");
        cb.u.charter.language = NULL; /* not the body's to free */
        pl_body_free(&cb);
        body_record("body-charter-closed", "13.5",
                    "a charter with the language of the proceedings and closed privacy (v2, SPEC 13.2)",
                    PL_T_CHARTER, cut, en, PL_OK);
        if (!patch(cut, en, "\xa7" "privacy", "\xa7" "private", 8))
            die("no closure in the charter");
        body_record("body-closed-unknown", "13.5", "a charter closed for a reason not listed (v2)",
                    PL_T_CHARTER, cut, en, PL_E_BODY);
        /* an interpretation into no language tag */
        for (size_t i = 0; i < w.n; i++) {
            if (pl_msg_header(w.log[i])->type != PL_T_INTERPRETATION || w.verdict[i] != PL_OK)
                continue;
            bb = pl_msg_body(w.log[i], &n);
            memcpy(cut, bb, n);
            if (!patch(cut, n, "\xa8" "language\xa2" "en", "\xa8" "language\xa2" "e_", 12))
                die("no language in the interpretation");
            body_record("body-interpretation-not-a-tag", "13.5",
                        "an interpretation into e_, no language tag (v2, SPEC 13.2, 13.27)",
                        PL_T_INTERPRETATION, cut, n, PL_E_BODY);
            break;
        }
    }
    w_free(&w);
    /* 19. The victim's word on public observation (v2, SPEC §13.11): the
     * prosecution proposes a public session that counsel accepts publicly;
     * the suspect's publicity is PL_E_ROLE, the victim's naming the
     * charter PL_E_TARGET; the victim consents, then withdraws its consent
     * (the latest word counts: not publicly observed). */
    w_init(&w, 0);
    {
        pl_msg *pubprop;
        OK(W_P, wb_propose(1, 0), &pubprop);
        b = wb_ref(PL_T_SESSION_ACCEPT, pubprop);
        b.u.session_answer.public_ok = 1;
        OK(W_C, b, NULL);
        b = (pl_body){.type = PL_T_PUBLICITY};
        memcpy(b.u.publicity.proposal, pl_msg_id(pubprop), 32);
        b.u.publicity.public_ok = 1;
        (void)!w_say(&w, W_S, &b, NULL);                                      /* ROLE */
        pl_body t = b;
        memcpy(t.u.publicity.proposal, pl_msg_id(w.log[0]), 32);
        (void)!w_say(&w, W_V, &t, NULL);                                      /* TARGET */
        OK(W_V, b, NULL);
        b.u.publicity.public_ok = 0;
        OK(W_V, b, NULL);
    }
    case_record("publicity", "13.11",
                "a session both sides make public: the suspect's publicity is PL_E_ROLE, the "
                "victim's naming the charter PL_E_TARGET; the victim consents, then does not "
                "(its latest word: the session is not publicly observed)",
                &w);
    bodies_of(&w, "publicity");
    w_free(&w);
    for (uint64_t t = 1; t < 64; t++)
        if (pl_msg_type_name(t) && !(seen_types & (1ull << t))) {
            fprintf(stderr, "no body vector for type %s\n", pl_msg_type_name(t));
            die("every registered type needs a body vector");
        }

    /* 3. Invalid bodies. */
    static const struct {
        const char *name, *desc;
        uint64_t type;
        const char *bytes;
        size_t len;
    } bad[] = {
        {"body-unknown-key", "close with an extra key", PL_T_CLOSE,
         "\x82\xa7reasons\xa1x\xa4zzzz\xc0", 17},
        {"body-missing-key", "response without reasons", PL_T_RESPONSE,
         "\x82\xa7" "answers\xc4\x20" "0123456789abcdef0123456789abcdef\xa8" "decision\xa7" "adopted", 60},
        {"body-wrong-type", "close whose reasons is an integer", PL_T_CLOSE,
         "\x81\xa7reasons\x01", 10},
        {"body-empty-text", "close with empty reasons", PL_T_CLOSE, "\x81\xa7reasons\xa0", 10},
        {"body-nul", "close whose reasons contain U+0000", PL_T_CLOSE,
         "\x81\xa7reasons\xa1\x00", 11},
        {"body-sign-witness-false", "a signature whose witness is false (v2, SPEC 13.5, 13.9)",
         PL_T_SIGN,
         "\x83\xa5offer\xc4\x20" "0123456789abcdef0123456789abcdef"
         "\xaaterms_hash\xc4\x20" "0123456789abcdef0123456789abcdef\xa7witness\xc2", 95},
        {"body-capacity-not-counsel", "a victim's participant map with a capacity (v2, SPEC 13.5)",
         PL_T_PARTICIPANTS,
         "\x81\xa3" "add\x91\x84\xa8" "capacity\xa8" "defender\xa3" "key\xc4\x20"
         "0123456789abcdef0123456789abcdef\xa4" "name\xa1x\xa4" "role\xa6" "victim", 82},
        {"body-licence-nul", "counsel's licence containing U+0000 (v2, SPEC 13.5)",
         PL_T_PARTICIPANTS,
         "\x81\xa3" "add\x91\x84\xa3" "key\xc4\x20" "0123456789abcdef0123456789abcdef"
         "\xa7" "licence\xa3L\x00X\xa4" "name\xa1x\xa4" "role\xa7" "counsel", 77},
        {"body-retract-no-stage", "retract without its stage (v2, SPEC 13.15)", PL_T_RETRACT,
         "\x81\xa7reasons\xa1x", 11},
        {"body-retract-unknown-stage", "retract at the stage \"appeal\" (v2, SPEC 13.15)",
         PL_T_RETRACT, "\x82\xa7reasons\xa1x\xa5stage\xa6" "appeal", 24},
        {"body-unknown-topic", "opinion on an unknown topic", PL_T_OPINION,
         "\x82\xa4text\xa1x\xa5topic\xa5weird", 20},
        {"body-amount-other-topic", "an amount on an opinion about the facts (v2, SPEC 13.7)",
         PL_T_OPINION, "\x83\xa6" "amount\x01\xa4text\xa1x\xa5topic\xa5" "facts", 28},
        {"body-amount-zero", "a compensation demand of 0 fen (v2, SPEC 13.7)", PL_T_OPINION,
         "\x83\xa6" "amount\x00\xa4text\xa1x\xa5topic\xac" "compensation", 35},
        {"body-not-a-map", "close as an array", PL_T_CLOSE, "\x90", 1},
        {"body-settlement-paid-above-agreed",
         "a settlement paying 2 fen of 1 agreed (v2, SPEC 13.5, 13.25)", PL_T_SETTLEMENT,
         "\x85\xa6" "agreed\x01\xa8" "document\xc4\x20" "0123456789abcdef0123456789abcdef"
         "\xab" "forgiveness\xc2\xa4" "kind\xa6" "letter\xa4" "paid\x02", 83},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        body_record(bad[i].name, "13.5", bad[i].desc, bad[i].type, (const uint8_t *)bad[i].bytes,
                    bad[i].len, PL_E_BODY);
    fclose(out);
#undef OK
}
