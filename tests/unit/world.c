/* The negotiation test world: see world.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "world.h"

static void die(const char *what, int rc)
{
    fprintf(stderr, "world: %s: %s\n", what, pl_errname(rc));
    abort();
}

/* Issue 17: every world judges its log twice, in a full case (w->c) and
 * in a lean one (w->lean, PL_CASE_LEAN, as a node keeps its cases): every
 * message must get the same verdict from both, and both cases the same
 * status, or the test dies. */
static void twin_same(world *w, int rc, int rc_lean, const char *what)
{
    if (w->lean == NULL)
        return;
    if (rc != rc_lean) {
        fprintf(stderr, "world: %s: %s in the full case, %s in the lean one\n", what,
                pl_errname(rc), pl_errname(rc_lean));
        die("a lean case judges differently", rc_lean);
    }
    pl_case_status a, b;
    pl_case_status_get(w->c, &a);
    pl_case_status_get(w->lean, &b);
    if (memcmp(&a, &b, sizeof a) != 0 || pl_case_count(w->c) != pl_case_count(w->lean))
        die("a lean case's status differs from the full one's", PL_E_ARG);
}

int w_add(world *w, const pl_msg *m)
{
    int rc = pl_case_add(w->c, m);
    if (w->lean)
        twin_same(w, rc, pl_case_add(w->lean, m), "adding a message");
    return rc;
}

int w_add_proof(world *w, const uint8_t *proof, size_t len)
{
    int rc = pl_case_add_proof(w->c, proof, len);
    if (w->lean)
        twin_same(w, rc, pl_case_add_proof(w->lean, proof, len), "adding a proof");
    return rc;
}

/* Every message's verdict, round and role, in both. */
static void twin_all_same(world *w)
{
    if (w->lean == NULL)
        return;
    size_t n = pl_case_count(w->c);
    for (size_t i = 0; i < n; i++) {
        long j = pl_case_find(w->lean, pl_msg_id(pl_case_msg(w->c, i)));
        pl_case_msg_info a, b;
        if (j < 0 || pl_case_verdict(w->c, i) != pl_case_verdict(w->lean, (size_t)j) ||
            pl_case_round(w->c, i) != pl_case_round(w->lean, (size_t)j) ||
            pl_case_msg_role(w->c, i) != pl_case_msg_role(w->lean, (size_t)j))
            die("a lean case judged a message differently", PL_E_ARG);
        if (pl_case_msg(w->lean, (size_t)j) != NULL ||
            pl_case_msg_info_get(w->c, i, &a) != PL_OK ||
            pl_case_msg_info_get(w->lean, (size_t)j, &b) != PL_OK || memcmp(&a, &b, sizeof a) != 0)
            die("a lean case keeps a message, or not what it says of it", PL_E_ARG);
        /* and what both say is the message's own header */
        const pl_msg *m = pl_case_msg(w->c, i);
        const pl_header *h = pl_msg_header(m);
        size_t len;
        (void)pl_msg_bytes(m, &len);
        if (memcmp(a.id, pl_msg_id(m), PL_ID_BYTES) != 0 ||
            memcmp(a.author, h->author, PL_PK_BYTES) != 0 ||
            memcmp(a.body_hash, h->body_hash, PL_HASH_BYTES) != 0 || a.seq != h->seq ||
            a.type != h->type || a.timestamp_ms != h->timestamp_ms || a.len != len)
            die("a case says of a message what its header does not", PL_E_ARG);
    }
}


static int ref_cmp(const void *a, const void *b)
{
    return memcmp(((const pl_ref *)a)->author, ((const pl_ref *)b)->author, PL_PK_BYTES);
}

int w_say_seeing(world *w, int who, const pl_body *b, unsigned see, pl_msg **out)
{
    uint8_t body[65536];
    size_t blen;
    pl_body filled;
    if (b->type == PL_T_SIGN && !w->raw_sign && who != W_P && w->sign_session &&
        !b->u.sign.has_session) {
        filled = *b;
        filled.u.sign.has_session = 1;
        memcpy(filled.u.sign.session, pl_msg_id(w->sign_session), 32);
        filled.u.sign.witness = who == W_C || who == W_NEWC;
        b = &filled;
    }
    int rc = pl_body_encode(b, body, sizeof body, &blen);
    if (rc != PL_OK && b->type == PL_T_OFFER && !b->u.offer.has_answers) {
        /* Unlawful terms: the encoder refuses them (as it should), but the
         * tests must send them to see receivers flag them. {"terms": …} */
        memcpy(body, "\x81\xa5terms", 7);
        memcpy(body + 7, b->u.offer.terms, b->u.offer.terms_len);
        blen = 7 + b->u.offer.terms_len;
    } else if (rc != PL_OK) {
        die("encode", rc);
    }
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, w->case_id, 32);
    h.seq = w->head[who] ? pl_msg_header(w->head[who])->seq + 1 : 1;
    h.has_prev = w->head[who] != NULL;
    if (h.has_prev)
        memcpy(h.prev, pl_msg_id(w->head[who]), 32);
    for (int p = 0; p < W_NK; p++)
        if (p != who && (see & W_BIT(p)) && w->head[p]) {
            pl_ref *r = &h.refs[h.nrefs++];
            memcpy(r->author, pl_msg_header(w->head[p])->author, 32);
            r->seq = pl_msg_header(w->head[p])->seq;
            memcpy(r->id, pl_msg_id(w->head[p]), 32);
        }
    qsort(h.refs, h.nrefs, sizeof h.refs[0], ref_cmp);
    h.timestamp_ms = w->clock += 60000;
    h.type = b->type;
    pl_msg *m;
    if ((rc = pl_msg_sign(&h, body, blen, w->k[who], &m)) != PL_OK)
        die("sign", rc);
    if (w->check_only) {
        /* what a node would decide before sending it (SPEC §13.21) */
        rc = pl_case_check(w->c, m);
        if (w->lean)
            twin_same(w, rc, pl_case_check(w->lean, m), "checking a message");
        pl_msg_destroy(&m);
        w->clock -= 60000;
        return rc;
    }
    rc = w_add(w, m);
    if (w->n == W_LOG_MAX)
        die("the world's log is full", PL_E_TOO_BIG);
    w->log[w->n] = m;
    w->verdict[w->n++] = rc;
    w->head[who] = m;
    if (out)
        *out = m;
    return rc;
}

int w_say(world *w, int who, const pl_body *b, pl_msg **out)
{
    return w_say_seeing(w, who, b, W_ALL, out);
}

pl_body wb_charter(world *w, int pool, const uint8_t nonce[32], wb_charter_mem *mem)
{
    static const struct {
        int who;
        pl_role role;
        const char *name;
    } parties[] = {{W_P, PL_ROLE_PROSECUTION, "Prosecutor Wang"},
                   {W_S, PL_ROLE_SUSPECT, W_SUSPECT_NAME},
                   {W_C, PL_ROLE_COUNSEL, "Counsel Zhao"},
                   {W_V, PL_ROLE_VICTIM, "Chen (victim)"},
                   {W_O, PL_ROLE_OBSERVER, "Observer Liu"}};
    pl_participant *ps = mem->ps;
    memset(mem, 0, sizeof *mem);
    size_t np = pool ? 4 : 5;
    for (size_t i = 0; i < np; i++) {
        memcpy(ps[i].key, pl_key_pk(w->k[parties[i].who]), 32);
        ps[i].role = parties[i].role;
        ps[i].name = (char *)parties[i].name;
    }
    for (size_t i = 1; i < np; i++) /* ascending by key */
        for (size_t j = i; j > 0 && memcmp(ps[j - 1].key, ps[j].key, 32) > 0; j--) {
            pl_participant t = ps[j];
            ps[j] = ps[j - 1];
            ps[j - 1] = t;
        }
    int pool_who[3] = {W_O, W_Q1, W_Q2};
    for (int i = 0; i < 3; i++)
        memcpy(mem->pool[i], pl_key_pk(w->k[pool_who[i]]), 32);
    qsort(mem->pool, 3, 32, (int (*)(const void *, const void *))ref_cmp);
    pl_body ch = {.type = PL_T_CHARTER};
    memcpy(ch.u.charter.case_nonce, nonce, 32);
    ch.u.charter.title = (char *)"Case 1: dangerous driving (art. 133-1)";
    ch.u.charter.participants = ps;
    ch.u.charter.nparticipants = np;
    if (pool) {
        ch.u.charter.pool = mem->pool;
        ch.u.charter.npool = 3;
    }
    if (w_charter_hook != NULL)
        w_charter_hook(&ch);
    return ch;
}

void (*w_charter_hook)(pl_body *charter);

void w_init(world *w, int pool)
{
    w_init_keys(w, pool, NULL);
}

extern int w_no_notice;

void w_init_keys(world *w, int pool, pl_key *given[5])
{
    memset(w, 0, sizeof *w);
    w->clock = 1796112000000ull;
    for (int i = 0; i < W_NK; i++)
        w->k[i] = given && i < 5 ? given[i] : tu_key(40u + (unsigned)i);
    uint8_t nonce[32];
    memset(nonce, 0x77, sizeof nonce);
    pl_case_id_derive(pl_key_pk(w->k[W_P]), nonce, w->case_id);
    w->c = pl_case_new(w->case_id);
    w->lean = pl_case_new_flags(w->case_id, PL_CASE_LEAN);
    if (w->c == NULL || w->lean == NULL)
        die("a new case", PL_E_NOMEM);

    wb_charter_mem mem;
    pl_body ch = wb_charter(w, pool, nonce, &mem);
    pl_msg *charter;
    int rc = w_say(w, W_P, &ch, &charter);
    if (rc != PL_OK)
        die("charter", rc);
    pl_body join = wb_ref(PL_T_JOIN, charter);
    for (int who = W_S; who <= (pool ? W_V : W_O); who++)
        if ((rc = w_say(w, who, &join, NULL)) != PL_OK)
            die("join", rc);
    w->sign_session = w_fixed_session(w, W_C, W_P);
    if (!w_no_notice)
        w_notice(w);
}

int w_no_notice;
int w_terms_minor;

pl_body wb_notice(const char *withdrawal)
{
    pl_body n = {.type = PL_T_NOTICE};
    memset(n.u.notice.document, 0x70, 32);
    n.u.notice.language = (char *)"zh";
    n.u.notice.withdrawal = (char *)withdrawal;
    return n;
}

pl_body wb_notice_ack(const uint8_t notice[32])
{
    pl_body a = {.type = PL_T_NOTICE_ACK};
    memcpy(a.u.notice_ack.notice, notice, 32);
    return a;
}

void w_notice(world *w)
{
    pl_body n = wb_notice("撤回认罪认罚的，具结书失效。");
    pl_msg *nm;
    int rc;
    if ((rc = w_say(w, W_P, &n, &nm)) != PL_OK)
        die("notice", rc);
    pl_body a = wb_notice_ack(pl_msg_id(nm));
    if ((rc = w_say(w, W_S, &a, NULL)) != PL_OK)
        die("notice acknowledgment", rc);
}

pl_body wb_confirm(world *w, const char *name, const uint8_t id_hash[32], const pl_msg *session)
{
    pl_body j = wb_ref(PL_T_JOIN, w->log[0]);
    j.u.join.has_identity = 1;
    j.u.join.name = (char *)name;
    memcpy(j.u.join.id_hash, id_hash, 32);
    memcpy(j.u.join.session, pl_msg_id(session), 32);
    return j;
}

void w_init_bound(world *w)
{
    memset(w, 0, sizeof *w);
    w->clock = 1796112000000ull;
    for (int i = 0; i < W_NK; i++)
        w->k[i] = tu_key(40u + (unsigned)i);
    uint8_t nonce[32];
    memset(nonce, 0x78, sizeof nonce);
    pl_case_id_derive(pl_key_pk(w->k[W_P]), nonce, w->case_id);
    w->c = pl_case_new(w->case_id);
    w->lean = pl_case_new_flags(w->case_id, PL_CASE_LEAN);
    if (w->c == NULL || w->lean == NULL)
        die("a new case", PL_E_NOMEM);
    int rc = pl_identity_hash(w->case_id, W_ID_NUMBER, w->id_hash);
    if (rc != PL_OK)
        die("identity hash", rc);
    wb_charter_mem mem;
    pl_body ch = wb_charter(w, 0, nonce, &mem);
    for (size_t i = 0; i < ch.u.charter.nparticipants; i++)
        if (mem.ps[i].role == PL_ROLE_SUSPECT)
            mem.ps[i].has_id_hash = 1, memcpy(mem.ps[i].id_hash, w->id_hash, 32);
    pl_msg *charter;
    if ((rc = w_say(w, W_P, &ch, &charter)) != PL_OK)
        die("charter", rc);
    pl_body join = wb_ref(PL_T_JOIN, charter);
    for (int who = W_C; who <= W_O; who++)
        if ((rc = w_say(w, who, &join, NULL)) != PL_OK)
            die("join", rc);
    w->id_session = w_fixed_session(w, W_P, W_C);
    pl_body conf = wb_confirm(w, W_SUSPECT_NAME, w->id_hash, w->id_session);
    if ((rc = w_say(w, W_S, &conf, NULL)) != PL_OK)
        die("confirming join", rc);
    w->sign_session = w->id_session;
    w_notice(w);
}

void w_free(world *w)
{
    twin_all_same(w);
    pl_case_destroy(&w->c);
    pl_case_destroy(&w->lean);
    for (size_t i = 0; i < w->n; i++)
        pl_msg_destroy(&w->log[i]);
    for (size_t i = 0; i < w->nblobs; i++)
        free(w->blobs[i]);
    for (int i = 0; i < W_NK; i++)
        pl_key_destroy(&w->k[i]);
}

pl_body wb_offer(world *w, uint64_t kind, uint64_t months, uint64_t probation, uint64_t fine_yuan,
                 const pl_msg *answers)
{
    return wb_offer_id(w, kind, months, probation, fine_yuan, answers ? pl_msg_id(answers) : NULL);
}

pl_body wb_offer_id(world *w, uint64_t kind, uint64_t months, uint64_t probation,
                    uint64_t fine_yuan, const uint8_t *answers)
{
    pl_terms *t = calloc(1, sizeof *t);
    t->ncharges = 1;
    strcpy(t->charges[0].article, "133-1");
    strcpy(t->charges[0].name, "dangerous driving");
    strcpy(t->facts, "Drove with 150 mg/100 ml blood alcohol; no accident; confessed at once.");
    t->penalty.kind = (pl_penalty_kind)kind;
    t->penalty.min = t->penalty.max = months;
    if (probation)
        t->has_probation = 1, t->probation = probation;
    if (fine_yuan)
        t->has_fine = 1, t->fine = fine_yuan * 100;
    t->procedure = PL_PROCEDURE_SPEEDY;
    t->grounds = PL_GROUND_CONFESSION;
    if (w_terms_minor) /* SPEC §15.4 rows 20, 21: a minor, never the speedy procedure */
        t->minor = 1, t->procedure = PL_PROCEDURE_SUMMARY;
    uint8_t *buf = malloc(PL_TERMS_MAX_BYTES);
    size_t n;
    int rc = pl_terms_encode(t, buf, PL_TERMS_MAX_BYTES, &n);
    if (rc != PL_OK) {
        /* Unlawful terms, which some tests want to send: the encoder refuses
         * them, so encode lawful months and patch the two fixints. */
        t->penalty.min = t->penalty.max = 3;
        if (pl_terms_encode(t, buf, PL_TERMS_MAX_BYTES, &n) != PL_OK || months > 127)
            die("terms", rc);
        for (size_t i = 0; i + 4 < n; i++)
            if (memcmp(buf + i, "\xa3max\x03", 5) == 0 || memcmp(buf + i, "\xa3min\x03", 5) == 0)
                buf[i + 4] = (uint8_t)months;
    }
    free(t);
    w->blobs[w->nblobs++] = buf;
    pl_body b = {.type = PL_T_OFFER};
    b.u.offer.terms = buf;
    b.u.offer.terms_len = n;
    if (answers) {
        b.u.offer.has_answers = 1;
        memcpy(b.u.offer.answers, answers, 32);
    }
    pl_terms_hash(b.u.offer.terms, b.u.offer.terms_len, b.u.offer.terms_hash);
    return b;
}

pl_body wb_opinion(pl_topic topic, const char *text)
{
    pl_body b = {.type = PL_T_OPINION};
    b.u.opinion.topic = topic;
    b.u.opinion.text = (char *)text;
    return b;
}

pl_body wb_response(const pl_msg *input, pl_decision d, const char *reasons)
{
    pl_body b = {.type = PL_T_RESPONSE};
    memcpy(b.u.response.answers, pl_msg_id(input), 32);
    b.u.response.decision = d;
    b.u.response.reasons = (char *)reasons;
    return b;
}

pl_body wb_sign(const pl_msg *offer)
{
    pl_body b = {.type = PL_T_SIGN}, o;
    size_t n;
    const uint8_t *body = pl_msg_body(offer, &n);
    memcpy(b.u.sign.offer, pl_msg_id(offer), 32);
    if (pl_body_decode(PL_T_OFFER, body, n, &o) == PL_OK)
        memcpy(b.u.sign.terms_hash, o.u.offer.terms_hash, 32);
    pl_body_free(&o);
    return b;
}

pl_body wb_simple(uint64_t type, const char *text)
{
    pl_body b = {.type = type};
    switch (type) {
    case PL_T_CLOSE: b.u.close.reasons = (char *)text; break;
    case PL_T_RETRACT:
        b.u.retract.reasons = (char *)text;
        b.u.retract.stage = PL_STAGE_REVIEW;
        break;
    case PL_T_WITHDRAW: b.u.withdraw.reasons = (char *)text; break;
    case PL_T_OBSERVATION: b.u.observation.text = (char *)text; break;
    case PL_T_ATTESTATION: b.u.attestation.note = (char *)text; break;
    case PL_T_COURT_ADJUST:
        memset(b.u.court_adjust.document, 0xd0, 32);
        b.u.court_adjust.text = (char *)text;
        b.u.court_adjust.court = (char *)"Court A";
        b.u.court_adjust.ground = PL_COURT_CLEARLY_IMPROPER;
        break;
    default: die("wb_simple type", PL_E_ARG);
    }
    return b;
}

pl_body wb_withdraw_offer(const pl_msg *offer, const char *reasons)
{
    pl_body b = {.type = PL_T_WITHDRAW};
    b.u.withdraw.has_offer = 1;
    memcpy(b.u.withdraw.offer, pl_msg_id(offer), 32);
    b.u.withdraw.reasons = (char *)reasons;
    return b;
}

pl_body wb_ref(uint64_t type, const pl_msg *target)
{
    pl_body b = {.type = type};
    switch (type) {
    case PL_T_JOIN: memcpy(b.u.join.charter, pl_msg_id(target), 32); break;
    case PL_T_DISCLOSE_ACK: memcpy(b.u.disclose_ack.disclosure, pl_msg_id(target), 32); break;
    case PL_T_SESSION_ACCEPT:
        memcpy(b.u.session_answer.proposal, pl_msg_id(target), 32);
        b.u.session_answer.public_ok = 1;
        break;
    default: die("wb_ref type", PL_E_ARG);
    }
    return b;
}

pl_body wb_propose(int public_ok, int detention_facility)
{
    pl_body b = {.type = PL_T_SESSION_PROPOSE};
    b.u.session_propose.time_ms = 1796292000000ull;
    b.u.session_propose.venue = (char *)(detention_facility ? "Detention center no. 2"
                                                            : "Procuratorate, room 301");
    b.u.session_propose.detention_facility = detention_facility;
    b.u.session_propose.public_ok = public_ok;
    b.u.session_propose.mode = PL_MODE_IN_PERSON;
    return b;
}

pl_body wb_decline(const pl_msg *proposal)
{
    pl_body b = {.type = PL_T_SESSION_DECLINE};
    memcpy(b.u.session_answer.proposal, pl_msg_id(proposal), 32);
    b.u.session_answer.reasons = (char *)"counsel is in court that day";
    return b;
}

pl_body wb_disclose(void)
{
    static pl_item items[2];
    memset(items[0].hash, 0xa1, 32), items[0].size = 20480, items[0].title = (char *)"blood test report";
    memset(items[1].hash, 0xa2, 32), items[1].size = 73400320, items[1].title = (char *)"dash-cam video";
    pl_body b = {.type = PL_T_DISCLOSE};
    b.u.disclose.items = items;
    b.u.disclose.nitems = 2;
    return b;
}

pl_body wb_recording(const pl_msg *proposal)
{
    pl_body b = {.type = PL_T_RECORDING};
    memcpy(b.u.recording.session, pl_msg_id(proposal), 32);
    memset(b.u.recording.hash, 0x5e, 32);
    b.u.recording.size = 1234567890;
    b.u.recording.media = (char *)"video/mp4";
    return b;
}

pl_body wb_draw(uint64_t type, uint64_t round, const uint8_t value[32])
{
    pl_body b = {.type = type};
    b.u.draw.round = round;
    memcpy(b.u.draw.value, value, 32);
    return b;
}

int w_draw(world *w, int pkey, int dkey, uint64_t round, uint8_t pbyte, uint8_t dbyte, unsigned see,
           pl_msg **preveal, pl_msg **dreveal)
{
    uint8_t rp[32], rd[32], cp[32], cd[32];
    memset(rp, pbyte, 32), memset(rd, dbyte, 32);
    pl_draw_commitment(rp, cp);
    pl_draw_commitment(rd, cd);
    pl_body pc = wb_draw(PL_T_DRAW_COMMIT, round, cp), dc = wb_draw(PL_T_DRAW_COMMIT, round, cd);
    pl_body pr = wb_draw(PL_T_DRAW_REVEAL, round, rp), dr = wb_draw(PL_T_DRAW_REVEAL, round, rd);
    int rc;
    if ((rc = w_say_seeing(w, pkey, &pc, see, NULL)) != PL_OK ||
        (rc = w_say_seeing(w, dkey, &dc, see, NULL)) != PL_OK ||
        (rc = w_say_seeing(w, pkey, &pr, see, preveal)) != PL_OK)
        return rc;
    return w_say_seeing(w, dkey, &dr, see, dreveal);
}

/* A proof that m's author also signed a close at m's slot. */
size_t w_fork_proof(world *w, const pl_msg *m, uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES])
{
    pl_header h2;
    pl_msg_header_copy(m, &h2);
    uint8_t body[] = {0x81, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0xa1, 'x'};
    h2.type = PL_T_CLOSE;
    int who = -1;
    for (int k = 0; k < W_NK; k++)
        if (memcmp(pl_key_pk(w->k[k]), pl_msg_header(m)->author, 32) == 0)
            who = k;
    if (who < 0)
        die("the fork's author is no key of the world", PL_E_ARG);
    pl_msg *fork;
    if (pl_msg_sign(&h2, body, sizeof body, w->k[who], &fork) != PL_OK)
        die("sign the fork", PL_E_CRYPTO);
    size_t n;
    if (pl_equiv_proof_build(m, fork, proof, PL_EQUIV_PROOF_MAX_BYTES, &n) != PL_OK)
        die("build the proof", PL_E_PROOF);
    pl_msg_destroy(&fork);
    return n;
}

pl_msg *w_sign_at(world *w, int who, pl_msg *prev, const pl_body *b, unsigned see)
{
    pl_case *keep = w->c, *keep_lean = w->lean;
    pl_msg *keep_head = w->head[who];
    w->c = pl_case_new(w->case_id);
    w->lean = NULL;
    w->head[who] = prev;
    pl_msg *m;
    (void)w_say_seeing(w, who, b, see, &m);
    pl_case_destroy(&w->c);
    w->c = keep, w->lean = keep_lean;
    w->head[who] = keep_head;
    return m;
}

int w_drawn(world *w)
{
    static const int pool[3] = {W_O, W_Q1, W_Q2};
    for (int i = 0; i < 3; i++)
        if (pl_case_role(w->c, pl_key_pk(w->k[pool[i]])) == PL_ROLE_OBSERVER)
            return pool[i];
    return -1;
}

pl_body wb_add_counsel(world *w, pl_participant *slot)
{
    *slot = (pl_participant){.role = PL_ROLE_COUNSEL, .name = (char *)"Counsel Sun"};
    memcpy(slot->key, pl_key_pk(w->k[W_NEWC]), 32);
    pl_body b = {.type = PL_T_PARTICIPANTS};
    b.u.participants.add = slot;
    b.u.participants.nadd = 1;
    return b;
}

/* The change add carried by first and second (a proposal and its
 * seconding, SPEC §13.18), then the new key's join; aborts if refused. */
static void seat(world *w, const pl_body *add, int first, int second, int joiner, const char *what)
{
    int rc;
    if ((rc = w_say(w, first, add, NULL)) != PL_OK || (rc = w_say(w, second, add, NULL)) != PL_OK)
        die(what, rc);
    pl_body join = wb_ref(PL_T_JOIN, w->log[0]);
    if ((rc = w_say(w, joiner, &join, NULL)) != PL_OK)
        die(what, rc);
}

void w_seat_duty_lawyer(world *w, pl_participant *slot)
{
    pl_body add = wb_add_counsel(w, slot);
    slot->capacity = PL_CAPACITY_DUTY_LAWYER;
    slot->licence = (char *)"11101201810000001";
    seat(w, &add, W_S, W_P, W_NEWC, "seating a duty lawyer");
}

void w_seat_guardian(world *w, pl_participant *slot)
{
    *slot = (pl_participant){.role = PL_ROLE_GUARDIAN, .name = (char *)"Wang (mother)"};
    memcpy(slot->key, pl_key_pk(w->k[W_G]), 32);
    pl_body add = {.type = PL_T_PARTICIPANTS};
    add.u.participants.add = slot;
    add.u.participants.nadd = 1;
    seat(w, &add, W_P, W_S, W_G, "seating a guardian");
}

pl_body wb_interpretation(world *w, const pl_msg *offer, const char *language)
{
    pl_body b = {.type = PL_T_INTERPRETATION};
    memcpy(b.u.interpretation.offer, pl_msg_id(offer), 32);
    memcpy(b.u.interpretation.session, pl_msg_id(w->sign_session), 32);
    b.u.interpretation.language = (char *)language;
    return b;
}

pl_body wb_consent(world *w, const pl_msg *offer, int agrees, const char *reasons)
{
    pl_body b = {.type = PL_T_CONSENT};
    memcpy(b.u.consent.offer, pl_msg_id(offer), 32);
    memcpy(b.u.consent.session, pl_msg_id(w->sign_session), 32);
    b.u.consent.agrees = agrees;
    b.u.consent.reasons = (char *)reasons;
    return b;
}

pl_msg *w_fixed_session(world *w, int proposer, int acceptor)
{
    pl_body pr = wb_propose(0, 0);
    pl_msg *p = NULL;
    int rc;
    if ((rc = w_say(w, proposer, &pr, &p)) != PL_OK)
        die("session proposal", rc);
    pl_body acc = wb_ref(PL_T_SESSION_ACCEPT, p);
    if ((rc = w_say(w, acceptor, &acc, NULL)) != PL_OK)
        die("session acceptance", rc);
    return p;
}

pl_body wb_reopen(pl_reopen_ground ground, const pl_msg *request)
{
    pl_body b = {.type = PL_T_REOPEN};
    b.u.reopen.ground = ground;
    memset(b.u.reopen.document, 0xd1, 32);
    b.u.reopen.reasons = (char *)"The procuratorate reopens the agreement.";
    if (request) {
        b.u.reopen.has_request = 1;
        memcpy(b.u.reopen.request, pl_msg_id(request), 32);
    }
    return b;
}

pl_body wb_settlement(pl_settlement_kind kind, uint64_t agreed_yuan, uint64_t paid_yuan, int forgiveness,
                      uint8_t doc_byte, const pl_msg *accepts)
{
    pl_body b = {.type = PL_T_SETTLEMENT};
    memset(b.u.settlement.document, 0x5e, 31);
    b.u.settlement.document[31] = doc_byte;
    b.u.settlement.kind = kind;
    b.u.settlement.agreed = agreed_yuan * 100;
    b.u.settlement.paid = paid_yuan * 100;
    b.u.settlement.forgiveness = forgiveness;
    if ((b.u.settlement.has_accepts = accepts != NULL))
        memcpy(b.u.settlement.accepts, pl_msg_id(accepts), PL_ID_BYTES);
    return b;
}

pl_body wb_judgment(int adopted, uint8_t court_byte)
{
    pl_body b = {.type = PL_T_JUDGMENT};
    b.u.judgment.adopted = adopted;
    b.u.judgment.court = (char *)"Court A";
    memset(b.u.judgment.document, court_byte, 32);
    b.u.judgment.time_ms = 1767225600000ull; /* 2026-01-01 */
    return b;
}

pl_body wb_replace(world *w, int old, int new_, const pl_msg *session, int accepted)
{
    pl_body b = {.type = PL_T_KEY_REPLACE};
    memcpy(b.u.key_replace.old_key, pl_key_pk(w->k[old]), 32);
    memcpy(b.u.key_replace.new_key, pl_key_pk(w->k[new_]), 32);
    if (session) {
        b.u.key_replace.has_session = 1;
        memcpy(b.u.key_replace.session, pl_msg_id(session), 32);
    }
    if (session && accepted) {
        b.u.key_replace.has_accept = 1;
        pl_seat_accept_sign(w->k[new_], w->case_id, pl_key_pk(w->k[old]), pl_msg_id(session),
                            b.u.key_replace.accept);
    }
    return b;
}

pl_wire w_heads(const world *w, size_t k)
{
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, w->case_id, PL_CASE_ID_BYTES);
    for (size_t i = 0; i < k; i++) {
        const pl_header *mh = pl_msg_header(w->log[i]);
        size_t a = 0;
        while (a < h.u.heads.n && memcmp(h.u.heads.heads[a].author, mh->author, 32) != 0)
            a++;
        if (a == h.u.heads.n) {
            /* ascending by author (SPEC §14.2) */
            while (a > 0 && memcmp(h.u.heads.heads[a - 1].author, mh->author, 32) > 0) {
                h.u.heads.heads[a] = h.u.heads.heads[a - 1];
                a--;
            }
            h.u.heads.n++;
            memcpy(h.u.heads.heads[a].author, mh->author, 32);
            h.u.heads.heads[a].seq = 0;
        }
        if (mh->seq > h.u.heads.heads[a].seq) {
            h.u.heads.heads[a].seq = mh->seq;
            memcpy(h.u.heads.heads[a].id, pl_msg_id(w->log[i]), 32);
        }
    }
    return h;
}
