/* The suite's negotiations (see conform.h): each case opens its own, with
 * fresh keys for the five roles and a fresh case id, so that cases never
 * share state in the node and the suite can run again against the same
 * node. The prosecution's charter names the node's key as a second victim:
 * the node follows the case after the invitation of SPEC §14.3, and never
 * has to say anything in it. Messages are signed by libparley; malformed
 * ones are written byte by byte here, and signed over what was written,
 * so that the node sees exactly the one fault a case is about. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "conform.h"

/* ---- bytes ------------------------------------------------------------------- */

void cf_buf_put(cf_buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        uint8_t *g = realloc(b->b, cap);
        if (g == NULL)
            abort(); /* the suite's own buffers: nothing sensible to do */
        b->b = g, b->cap = cap;
    }
    if (n)
        memcpy(b->b + b->n, p, n);
    b->n += n;
}

void cf_buf_byte(cf_buf *b, uint8_t c)
{
    cf_buf_put(b, &c, 1);
}

static void put_be(cf_buf *b, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        cf_buf_byte(b, (uint8_t)(v >> (8 * i)));
}

/* SPEC §3.3: the shortest form. */
void cf_mp_uint(cf_buf *b, uint64_t v)
{
    if (v < 128)
        cf_buf_byte(b, (uint8_t)v);
    else if (v < 256)
        cf_buf_byte(b, 0xcc), put_be(b, v, 1);
    else if (v < 65536)
        cf_buf_byte(b, 0xcd), put_be(b, v, 2);
    else if (v < 4294967296ull)
        cf_buf_byte(b, 0xce), put_be(b, v, 4);
    else
        cf_buf_byte(b, 0xcf), put_be(b, v, 8);
}

static void len_hdr(cf_buf *b, size_t n, uint8_t fix, size_t fixmax, uint8_t b8, uint8_t b16,
                    uint8_t b32)
{
    if (fix && n <= fixmax)
        cf_buf_byte(b, (uint8_t)(fix | n));
    else if (b8 && n < 256)
        cf_buf_byte(b, b8), put_be(b, n, 1);
    else if (n < 65536)
        cf_buf_byte(b, b16), put_be(b, n, 2);
    else
        cf_buf_byte(b, b32), put_be(b, n, 4);
}

void cf_mp_array(cf_buf *b, uint32_t n)
{
    len_hdr(b, n, 0x90, 15, 0, 0xdc, 0xdd);
}

void cf_mp_map(cf_buf *b, uint32_t n)
{
    len_hdr(b, n, 0x80, 15, 0, 0xde, 0xdf);
}

void cf_mp_str(cf_buf *b, const char *s, size_t n)
{
    len_hdr(b, n, 0xa0, 31, 0xd9, 0xda, 0xdb);
    cf_buf_put(b, s, n);
}

void cf_mp_bin(cf_buf *b, const uint8_t *p, size_t n)
{
    len_hdr(b, n, 0, 0, 0xc4, 0xc5, 0xc6);
    cf_buf_put(b, p, n);
}

void cf_mp_nil(cf_buf *b)
{
    cf_buf_byte(b, 0xc0);
}

void cf_buf_free(cf_buf *b)
{
    free(b->b);
    memset(b, 0, sizeof *b);
}

/* SPEC §4.6: "parley/v2/message" || 0x00 || case_id || header bytes. */
static void sign_header(const pl_key *k, const uint8_t case_id[PL_CASE_ID_BYTES],
                        const uint8_t *hdr, size_t hlen, uint8_t sig[PL_SIG_BYTES])
{
    static const char ctx[] = "parley/v2/message"; /* and its NUL */
    cf_buf s = {0};
    cf_buf_put(&s, ctx, sizeof ctx);
    cf_buf_put(&s, case_id, PL_CASE_ID_BYTES);
    cf_buf_put(&s, hdr, hlen);
    pl_key_sign(k, s.b, s.n, sig);
    cf_buf_free(&s);
}

uint8_t *cf_raw_msg(const pl_header *h, const pl_key *author, const uint8_t *body, size_t blen,
                    const cf_tweak *tw, size_t *len)
{
    static const cf_tweak none;
    if (tw == NULL)
        tw = &none;
    cf_buf hb = {0};
    cf_mp_array(&hb, tw->drop_body_hash ? 8 : 9);
    cf_mp_uint(&hb, tw->version ? tw->version : PL_PROTOCOL_VERSION);
    cf_mp_bin(&hb, h->case_id, PL_CASE_ID_BYTES);
    cf_mp_bin(&hb, pl_key_pk(author), PL_PK_BYTES);
    if (tw->seq_prefix == 0xcc)
        cf_buf_byte(&hb, 0xcc), put_be(&hb, h->seq, 1);
    else
        cf_mp_uint(&hb, h->seq);
    if (h->has_prev)
        cf_mp_bin(&hb, h->prev, PL_ID_BYTES);
    else
        cf_mp_nil(&hb);
    cf_mp_array(&hb, (uint32_t)h->nrefs);
    for (size_t i = 0; i < h->nrefs; i++) {
        cf_mp_array(&hb, 3);
        cf_mp_bin(&hb, h->refs[i].author, PL_PK_BYTES);
        cf_mp_uint(&hb, h->refs[i].seq);
        cf_mp_bin(&hb, h->refs[i].id, PL_ID_BYTES);
    }
    cf_mp_uint(&hb, h->timestamp_ms);
    if (tw->type_prefix == 0xd0)
        cf_buf_byte(&hb, 0xd0), put_be(&hb, h->type, 1);
    else
        cf_mp_uint(&hb, h->type);
    if (!tw->drop_body_hash) {
        uint8_t hash[PL_HASH_BYTES];
        crypto_generichash(hash, sizeof hash, body, blen, NULL, 0);
        if (tw->wrong_body_hash)
            hash[0] ^= 0x01;
        cf_mp_bin(&hb, hash, sizeof hash);
    }
    uint8_t sig[PL_SIG_BYTES];
    sign_header(tw->signer ? tw->signer : author, tw->sign_case ? tw->sign_case : h->case_id, hb.b,
                hb.n, sig);
    if (tw->flip_sig)
        sig[17] ^= 0x01;
    cf_buf m = {0};
    cf_buf_byte(&m, tw->two_elements ? 0x92 : 0x93);
    cf_buf_put(&m, hb.b, hb.n);
    cf_buf_put(&m, body, blen);
    if (!tw->two_elements) {
        if (tw->short_sig)
            cf_mp_bin(&m, sig, PL_SIG_BYTES - 1);
        else
            cf_mp_bin(&m, sig, PL_SIG_BYTES);
    }
    cf_buf_free(&hb);
    *len = m.n;
    return m.b;
}

/* ---- bodies -------------------------------------------------------------------- */

pl_body cf_opinion(const char *text)
{
    pl_body b = {.type = PL_T_OPINION};
    b.u.opinion.topic = PL_TOPIC_OTHER;
    b.u.opinion.text = (char *)text;
    return b;
}

pl_body cf_observation(const char *text)
{
    pl_body b = {.type = PL_T_OBSERVATION};
    b.u.observation.text = (char *)text;
    return b;
}

size_t cf_offer_body(uint64_t months, const uint8_t *answers, uint8_t *out, size_t cap,
                     uint8_t terms_hash[PL_HASH_BYTES])
{
    static pl_terms t; /* about 26 KB: not on the stack */
    memset(&t, 0, sizeof t);
    t.ncharges = 1;
    strcpy(t.charges[0].article, "133-1");
    strcpy(t.charges[0].name, "dangerous driving");
    strcpy(t.facts, "Drove with 150 mg/100 ml blood alcohol; no accident; confessed at once.");
    t.penalty.kind = PL_PENALTY_DETENTION;
    t.penalty.min = t.penalty.max = months;
    t.procedure = PL_PROCEDURE_SPEEDY;
    t.grounds = PL_GROUND_CONFESSION;
    uint8_t terms[PL_TERMS_MAX_BYTES];
    size_t tn;
    if (pl_terms_encode(&t, terms, sizeof terms, &tn) != PL_OK) {
        /* Unlawful terms (a case sends them on purpose): the encoder
         * refuses them, so encode 3 months and write the months over the
         * two fixints, which keeps the encoding canonical. */
        t.penalty.min = t.penalty.max = 3;
        if (months > 127 || pl_terms_encode(&t, terms, sizeof terms, &tn) != PL_OK)
            return 0;
        for (size_t i = 0; i + 4 < tn; i++)
            if (memcmp(terms + i, "\xa3max\x03", 5) == 0 ||
                memcmp(terms + i, "\xa3min\x03", 5) == 0)
                terms[i + 4] = (uint8_t)months;
    }
    pl_terms_hash(terms, tn, terms_hash);
    cf_buf b = {0};
    cf_mp_map(&b, answers ? 2 : 1);
    if (answers)
        cf_mp_str(&b, "answers", 7), cf_mp_bin(&b, answers, PL_ID_BYTES);
    cf_mp_str(&b, "terms", 5);
    cf_buf_put(&b, terms, tn);
    size_t n = b.n <= cap ? b.n : 0;
    if (n)
        memcpy(out, b.b, n);
    cf_buf_free(&b);
    return n;
}

pl_body cf_sign_body(const uint8_t offer[PL_ID_BYTES], const uint8_t terms_hash[PL_HASH_BYTES])
{
    pl_body b = {.type = PL_T_SIGN};
    memcpy(b.u.sign.offer, offer, PL_ID_BYTES);
    memcpy(b.u.sign.terms_hash, terms_hash, PL_HASH_BYTES);
    return b;
}

pl_body cf_propose(void)
{
    pl_body b = {.type = PL_T_SESSION_PROPOSE};
    b.u.session_propose.time_ms = 1796292000000ull;
    b.u.session_propose.venue = (char *)"Procuratorate, room 301";
    b.u.session_propose.public_ok = 1;
    b.u.session_propose.mode = PL_MODE_IN_PERSON;
    return b;
}

pl_body cf_ref_body(uint64_t type, const uint8_t id[PL_ID_BYTES])
{
    pl_body b = {.type = type};
    switch (type) {
    case PL_T_JOIN:
        memcpy(b.u.join.charter, id, PL_ID_BYTES);
        break;
    case PL_T_DISCLOSE_ACK:
        memcpy(b.u.disclose_ack.disclosure, id, PL_ID_BYTES);
        break;
    case PL_T_SESSION_ACCEPT:
        memcpy(b.u.session_answer.proposal, id, PL_ID_BYTES);
        b.u.session_answer.public_ok = 1;
        break;
    default:
        abort(); /* a case asked for a body this does not make */
    }
    return b;
}

pl_body cf_reopen_body(const uint8_t *request, const char *reasons)
{
    pl_body r = {.type = PL_T_REOPEN};
    r.u.reopen.ground = PL_REOPEN_COURT_REQUEST;
    memset(r.u.reopen.document, 0xd1, PL_HASH_BYTES);
    r.u.reopen.reasons = (char *)reasons;
    if ((r.u.reopen.has_request = request != NULL))
        memcpy(r.u.reopen.request, request, PL_ID_BYTES);
    return r;
}

pl_body cf_text_body(uint64_t type, const char *text)
{
    pl_body b = {.type = type};
    switch (type) {
    case PL_T_CLOSE:
        b.u.close.reasons = (char *)text;
        break;
    case PL_T_RETRACT:
        b.u.retract.reasons = (char *)text;
        b.u.retract.stage = PL_STAGE_REVIEW;
        break;
    case PL_T_WITHDRAW:
        b.u.withdraw.reasons = (char *)text;
        break;
    case PL_T_COURT_ADJUST:
        memset(b.u.court_adjust.document, 0xd0, PL_HASH_BYTES);
        b.u.court_adjust.text = (char *)text;
        b.u.court_adjust.court = (char *)"Court A";
        b.u.court_adjust.ground = PL_COURT_CLEARLY_IMPROPER;
        break;
    default:
        abort();
    }
    return b;
}

/* ---- negotiations ---------------------------------------------------------------- */

static uint64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const uint8_t *cf_pk(cf_neg *n, int who)
{
    return pl_key_pk(n->k[who]);
}

/* Appends m to a growing list of the negotiation. */
static void push(cf_neg *n, pl_msg ***list, size_t *len, size_t *cap, pl_msg *m)
{
    if (*len == *cap) {
        size_t c = *cap ? 2 * *cap : 32;
        pl_msg **g = realloc(*list, c * sizeof *g);
        if (g == NULL)
            cf_fail(n->t, "out of memory");
        *list = g, *cap = c;
    }
    (*list)[(*len)++] = m;
}

pl_msg *cf_keep(cf_neg *n, pl_msg *m)
{
    push(n, &n->all, &n->nall, &n->all_cap, m);
    return m;
}

void cf_publish(cf_neg *n, pl_msg *m)
{
    push(n, &n->pub, &n->npub, &n->pub_cap, m);
}

static int participant_cmp(const void *a, const void *b)
{
    return memcmp(((const pl_participant *)a)->key, ((const pl_participant *)b)->key, PL_PK_BYTES);
}

cf_neg *cf_neg_new(cf_t *t, unsigned flags)
{
    if (t->nnegs == CF_MAX_RES)
        cf_fail(t, "internal: too many negotiations in one case");
    cf_neg *n = calloc(1, sizeof *n);
    if (n == NULL)
        cf_fail(t, "out of memory");
    n->t = t;
    t->negs[t->nnegs++] = n;
    for (int i = 0; i < CF_NPARTY; i++) {
        uint8_t seed[PL_SEED_BYTES];
        randombytes_buf(seed, sizeof seed);
        n->k[i] = pl_key_from_seed(seed);
        sodium_memzero(seed, sizeof seed);
        if (n->k[i] == NULL)
            cf_fail(t, "out of memory");
    }
    /* A fresh nonce: a case id the node has never seen (SPEC §13.2). */
    randombytes_buf(n->nonce, sizeof n->nonce);
    pl_case_id_derive(cf_pk(n, CF_P), n->nonce, n->id);
    n->clock = wall_ms();

    static const struct {
        int who;
        pl_role role;
        const char *name;
    } roles[] = {{CF_P, PL_ROLE_PROSECUTION, "Prosecutor (parley-conform)"},
                 {CF_S, PL_ROLE_SUSPECT, "Suspect (parley-conform)"},
                 {CF_C, PL_ROLE_COUNSEL, "Counsel (parley-conform)"},
                 {CF_V, PL_ROLE_VICTIM, "Victim (parley-conform)"},
                 {CF_O, PL_ROLE_OBSERVER, "Observer (parley-conform)"}};
    pl_participant ps[7];
    memset(ps, 0, sizeof ps);
    size_t np = 0;
    for (size_t i = 0; i < 5; i++) {
        memcpy(ps[np].key, cf_pk(n, roles[i].who), PL_PK_BYTES);
        ps[np].role = roles[i].role;
        ps[np++].name = (char *)roles[i].name;
    }
    if (!(flags & CF_NEG_NOT_NODE)) {
        /* SPEC §14.3: a charter that names the node's key, so that the node
         * may take the invitation; a victim, who is heard but never has to
         * speak. */
        memcpy(ps[np].key, cf_g.node_pk, PL_PK_BYTES);
        ps[np].role = PL_ROLE_VICTIM;
        ps[np++].name = (char *)"Node under test";
    }
    if (flags & CF_NEG_BOUND) {
        if (pl_identity_hash(n->id, CF_ID_NUMBER, n->id_hash) != PL_OK)
            cf_fail(t, "internal: the identity hash failed");
        ps[1].has_id_hash = 1; /* roles[1] is the suspect */
        memcpy(ps[1].id_hash, n->id_hash, PL_HASH_BYTES);
    }
    if (flags & CF_NEG_INTERPRETED) { /* SPEC §13.2 *Particulars*, §13.27 */
        ps[1].language = (char *)"ug";
        memcpy(ps[np].key, cf_pk(n, CF_R), PL_PK_BYTES);
        ps[np].role = PL_ROLE_INTERPRETER;
        ps[np++].name = (char *)"Interpreter (parley-conform)";
    }
    qsort(ps, np, sizeof ps[0], participant_cmp);
    pl_body ch = {.type = PL_T_CHARTER};
    memcpy(ch.u.charter.case_nonce, n->nonce, 32);
    ch.u.charter.title = (char *)"parley-conform test case";
    ch.u.charter.participants = ps;
    ch.u.charter.nparticipants = np;
    n->charter = cf_make(n, CF_P, &ch, 0, 1);
    return n;
}

void cf_next_header(cf_neg *n, int who, uint64_t type, unsigned see, pl_header *h)
{
    memset(h, 0, sizeof *h);
    h->version = PL_PROTOCOL_VERSION;
    memcpy(h->case_id, n->id, PL_CASE_ID_BYTES);
    h->type = type;
    h->seq = n->head[who] ? pl_msg_header(n->head[who])->seq + 1 : 1;
    h->has_prev = n->head[who] != NULL;
    if (h->has_prev)
        memcpy(h->prev, pl_msg_id(n->head[who]), PL_ID_BYTES);
    for (int p = 0; p < CF_NPARTY; p++) {
        if (p == who || !(see & CF_BIT(p)) || n->head[p] == NULL)
            continue;
        pl_ref *r = &h->refs[h->nrefs++];
        memcpy(r->author, cf_pk(n, p), PL_PK_BYTES);
        r->seq = pl_msg_header(n->head[p])->seq;
        memcpy(r->id, pl_msg_id(n->head[p]), PL_ID_BYTES);
    }
    /* SPEC §4.3: ascending by author. */
    for (size_t i = 1; i < h->nrefs; i++)
        for (size_t j = i; j > 0 && memcmp(h->refs[j - 1].author, h->refs[j].author, 32) > 0; j--) {
            pl_ref x = h->refs[j];
            h->refs[j] = h->refs[j - 1];
            h->refs[j - 1] = x;
        }
    h->timestamp_ms = ++n->clock;
}

pl_msg *cf_make_raw(cf_neg *n, int who, uint64_t type, const uint8_t *body, size_t blen,
                    unsigned see, int advance)
{
    pl_header h;
    cf_next_header(n, who, type, see, &h);
    pl_msg *m;
    int rc = pl_msg_sign(&h, body, blen, n->k[who], &m);
    if (rc != PL_OK)
        cf_fail(n->t, "internal: could not sign a %s message: %s", pl_msg_type_name(type),
                pl_errname(rc));
    cf_keep(n, m);
    if (advance) {
        n->head[who] = m;
        cf_publish(n, m);
    }
    return m;
}

pl_msg *cf_make(cf_neg *n, int who, const pl_body *b, unsigned see, int advance)
{
    uint8_t *body = malloc(PL_MSG_MAX_BYTES);
    size_t blen;
    if (body == NULL)
        cf_fail(n->t, "out of memory");
    int rc = pl_body_encode(b, body, PL_MSG_MAX_BYTES, &blen);
    if (rc != PL_OK) {
        free(body);
        cf_fail(n->t, "internal: a %s body did not encode: %s", pl_msg_type_name(b->type),
                pl_errname(rc));
    }
    pl_msg *m = cf_make_raw(n, who, b->type, body, blen, see, advance);
    free(body);
    return m;
}

pl_msg *cf_post(cf_neg *n, cf_peer *p, int who, const pl_body *b, unsigned see)
{
    pl_msg *m = cf_make(n, who, b, see, 1);
    cf_send_msg(p, m);
    return m;
}

pl_msg *cf_post_raw(cf_neg *n, cf_peer *p, int who, uint64_t type, const uint8_t *body, size_t blen,
                    unsigned see)
{
    pl_msg *m = cf_make_raw(n, who, type, body, blen, see, 1);
    cf_send_msg(p, m);
    return m;
}

/* ---- the node's answers ---------------------------------------------------------- */

static const char *what(const pl_msg *m)
{
    static char buf[64];
    const pl_header *h = pl_msg_header(m);
    snprintf(buf, sizeof buf, "%s %s (seq %llu)", pl_msg_type_name(h->type), cf_short(pl_msg_id(m)),
             (unsigned long long)h->seq);
    return buf;
}

void cf_barrier(cf_peer *p, cf_neg *n)
{
    cf_match cm = {.kind = PL_W_MSG, .id = pl_msg_id(n->charter)};
    while (cf_wait(p, &cm, 0, NULL)) /* an older copy is not the answer */
        ;
    pl_wire w = {.kind = PL_W_WANT};
    memcpy(w.u.want.case_id, n->id, PL_CASE_ID_BYTES);
    memcpy(w.u.want.author, cf_pk(n, CF_P), PL_PK_BYTES);
    w.u.want.from_seq = 1;
    w.u.want.max = 1;
    cf_send(p, &w);
    if (!cf_wait(p, &cm, cf_g.timeout_ms, NULL))
        cf_fail(p->t,
                "the node did not answer a WANT for the case's charter within %d ms on the %s "
                "connection (SPEC §14.5)",
                cf_g.timeout_ms, p->name);
}

void cf_expect_valid(cf_peer *p, cf_neg *n, const pl_msg *m)
{
    char errs[256];
    cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(m)};
    if (!cf_wait(p, &ack, cf_g.timeout_ms, NULL))
        cf_fail(p->t, "no ACK within %d ms for the valid %s (errors received: %s; SPEC §14.7)",
                cf_g.timeout_ms, what(m), cf_errors_seen(p, errs, sizeof errs));
    cf_barrier(p, n);
    cf_in e;
    cf_match err = {.kind = PL_W_ERROR, .id = pl_msg_id(m)};
    if (cf_wait(p, &err, 0, &e)) {
        int code = e.w.u.error.code;
        cf_in_free(&e);
        cf_fail(p->t, "the valid %s was acknowledged but also answered with ERROR %s (SPEC §13.21)",
                what(m), pl_errname(code));
    }
}

void cf_expect_flag(cf_peer *p, const pl_msg *m, int code)
{
    char errs[256];
    cf_in e;
    cf_match err = {.kind = PL_W_ERROR, .id = pl_msg_id(m)};
    if (!cf_wait(p, &err, cf_g.timeout_ms, &e))
        cf_fail(p->t,
                "no ERROR notice %s about %s within %d ms (errors received: %s; SPEC §14.6: "
                "a message that breaks a rule is stored, acknowledged and reported with the "
                "rule's code)",
                pl_errname(code), what(m), cf_g.timeout_ms, cf_errors_seen(p, errs, sizeof errs));
    int got = e.w.u.error.code;
    cf_in_free(&e);
    if (got != code)
        cf_fail(p->t, "%s was answered with %s, expected %s", what(m), pl_errname(got),
                pl_errname(code));
    cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(m)};
    if (!cf_wait(p, &ack, cf_g.timeout_ms, NULL))
        cf_fail(p->t,
                "%s was flagged %s but not acknowledged within %d ms (SPEC §14.6, §13.21: a "
                "flagged message is stored as evidence and acknowledged)",
                what(m), pl_errname(code), cf_g.timeout_ms);
}

void cf_expect_refused(cf_peer *p, cf_neg *n, const pl_msg *m, const uint8_t *id, int code,
                       int need_id)
{
    char errs[256];
    if (id == NULL && m != NULL)
        id = pl_msg_id(m);
    cf_in e;
    cf_match any = {.kind = PL_W_ERROR}, err = {.kind = PL_W_ERROR, .code = code};
    /* Once some ERROR has come, the right one gets a short while more:
     * a node that answered with another code fails at once. */
    if (!cf_await(p, &any, cf_g.timeout_ms))
        cf_fail(p->t, "no ERROR within %d ms, expected %s", cf_g.timeout_ms, pl_errname(code));
    if (!cf_wait(p, &err, cf_g.quiet_ms, &e))
        cf_fail(p->t, "answered with ERROR %s, expected %s", cf_errors_seen(p, errs, sizeof errs),
                pl_errname(code));
    int has = e.w.u.error.has_id;
    uint8_t got[PL_ID_BYTES];
    memcpy(got, e.w.u.error.id, PL_ID_BYTES);
    cf_in_free(&e);
    if (has && id != NULL && memcmp(got, id, PL_ID_BYTES) != 0)
        cf_fail(p->t, "the ERROR %s names the message %s, not the one sent (%s)", pl_errname(code),
                cf_short(got), cf_short(id));
    if (need_id && !has)
        cf_fail(p->t, "the ERROR %s does not carry the message's id (SPEC §14.6)",
                pl_errname(code));
    if (n != NULL && id != NULL) {
        cf_barrier(p, n);
        cf_match ack = {.kind = PL_W_ACK, .id = id};
        if (cf_have(p, &ack))
            cf_fail(p->t, "the message was refused with %s and also acknowledged",
                    pl_errname(code));
    }
}

void cf_expect_held(cf_peer *p, cf_neg *n, int who, const uint8_t *author, uint64_t seq,
                    const uint8_t (*ids)[PL_ID_BYTES], size_t count)
{
    if (author == NULL)
        author = cf_pk(n, who);
    cf_match mine = {.kind = PL_W_MSG, .case_id = n->id, .author = author};
    while (cf_wait(p, &mine, 0, NULL)) /* relays that came before: not the answer */
        ;
    pl_wire w = {.kind = PL_W_WANT};
    memcpy(w.u.want.case_id, n->id, PL_CASE_ID_BYTES);
    memcpy(w.u.want.author, author, PL_PK_BYTES);
    w.u.want.from_seq = seq;
    w.u.want.max = count + 1;
    cf_send(p, &w);
    cf_barrier(p, n);
    size_t got = 0;
    cf_in in;
    while (cf_wait(p, &mine, 0, &in)) {
        if (got >= count) {
            cf_in_free(&in);
            cf_fail(p->t,
                    "the node answered a WANT from seq %llu with %zu message(s) or more; "
                    "it should hold %zu there (SPEC §14.5, §14.6)",
                    (unsigned long long)seq, got + 1, count);
        }
        int same = memcmp(in.msg_id, ids[got], PL_ID_BYTES) == 0;
        uint64_t s = in.msg_seq;
        cf_in_free(&in);
        if (!same)
            cf_fail(p->t, "the node holds another message at seq %llu than the one expected (%s)",
                    (unsigned long long)s, cf_short(ids[got]));
        got++;
    }
    if (got < count)
        cf_fail(p->t,
                "the node answered a WANT from seq %llu with %zu message(s), expected %zu: "
                "the message %s is not stored (SPEC §14.5, §14.6)",
                (unsigned long long)seq, got, count, cf_short(ids[got]));
}

void cf_alive(cf_neg *n, cf_peer *p)
{
    /* An observation by the observer, or a session proposal by the
     * prosecution when the observer has not joined: valid, and changing
     * nothing the case is about. */
    pl_msg *m;
    if (n->joined & CF_BIT(CF_O)) {
        pl_body b = cf_observation("parley-conform: does the node still serve?");
        m = cf_post(n, p, CF_O, &b, CF_ALL);
    } else {
        pl_body b = cf_propose();
        m = cf_post(n, p, CF_P, &b, CF_ALL);
    }
    cf_expect_valid(p, n, m);
}

void cf_alive_new(cf_neg *n)
{
    cf_peer *q = cf_peer_open(n->t, "fresh", NULL);
    cf_hello(q, NULL, 0);
    cf_alive(n, q);
}

void cf_invite(cf_neg *n, cf_peer *p)
{
    pl_wire h = {.kind = PL_W_HEADS};
    memcpy(h.u.heads.case_id, n->id, PL_CASE_ID_BYTES);
    h.u.heads.n = 1;
    memcpy(h.u.heads.heads[0].author, cf_pk(n, CF_P), PL_PK_BYTES);
    h.u.heads.heads[0].seq = 1;
    memcpy(h.u.heads.heads[0].id, pl_msg_id(n->charter), PL_ID_BYTES);
    cf_send(p, &h);
    /* The WANT is answered as it arrives (inbox.c). */
    cf_match want = {.kind = PL_W_WANT, .case_id = n->id};
    if (!cf_wait(p, &want, cf_g.timeout_ms, NULL))
        cf_fail(n->t,
                "the node did not ask (WANT) for the charter of a case offered to it within "
                "%d ms: this suite needs nodes to take invitations (SPEC §14.3)",
                cf_g.timeout_ms);
    cf_in in;
    cf_match heads = {.kind = PL_W_HEADS, .case_id = n->id};
    if (!cf_wait(p, &heads, cf_g.timeout_ms, &in))
        cf_fail(n->t,
                "after fetching a charter that names it, the node sent no HEADS for the case "
                "within %d ms: it did not start hosting it (SPEC §14.3)",
                cf_g.timeout_ms);
    int found = 0;
    for (size_t i = 0; i < in.w.u.heads.n; i++)
        found |= memcmp(in.w.u.heads.heads[i].author, cf_pk(n, CF_P), PL_PK_BYTES) == 0 &&
                 in.w.u.heads.heads[i].seq == 1 &&
                 memcmp(in.w.u.heads.heads[i].id, pl_msg_id(n->charter), PL_ID_BYTES) == 0;
    cf_in_free(&in);
    if (!found)
        cf_fail(n->t, "the node's HEADS for the case it joined do not show the charter "
                      "(SPEC §14.4)");
}

void cf_join(cf_neg *n, cf_peer *p, unsigned mask)
{
    pl_msg *sent[CF_NPARTY];
    int who[CF_NPARTY], k = 0;
    pl_body b = cf_ref_body(PL_T_JOIN, pl_msg_id(n->charter));
    for (int i = 0; i < CF_NPARTY; i++)
        if ((mask & CF_BIT(i)) && i != CF_P) {
            who[k] = i;
            sent[k++] = cf_post(n, p, i, &b, CF_BIT(CF_P));
        }
    char errs[256];
    for (int i = 0; i < k; i++) {
        cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(sent[i])};
        if (!cf_wait(p, &ack, cf_g.timeout_ms, NULL))
            cf_fail(n->t,
                    "no ACK within %d ms for a participant's join (errors received: %s; "
                    "SPEC §13.3, §14.7)",
                    cf_g.timeout_ms, cf_errors_seen(p, errs, sizeof errs));
        n->joined |= CF_BIT(who[i]);
    }
    for (int i = 0; i < k; i++) {
        cf_match err = {.kind = PL_W_ERROR, .id = pl_msg_id(sent[i])};
        if (cf_have(p, &err))
            cf_fail(n->t, "a valid join was answered with ERROR (errors received: %s; SPEC §13.3)",
                    cf_errors_seen(p, errs, sizeof errs));
    }
}

cf_neg *cf_open_joins(cf_t *t, cf_peer **main, unsigned mask)
{
    return cf_open_flags(t, main, mask, 0);
}

cf_neg *cf_open_flags(cf_t *t, cf_peer **main, unsigned mask, unsigned flags)
{
    cf_peer *p = cf_peer_open(t, "main", NULL);
    cf_hello(p, NULL, 0);
    cf_neg *n = cf_neg_new(t, flags);
    cf_invite(n, p);
    cf_join(n, p, mask);
    *main = p;
    return n;
}

cf_neg *cf_open(cf_t *t, cf_peer **main)
{
    return cf_open_joins(t, main, CF_JOINERS);
}

cf_peer *cf_follower(cf_t *t, cf_neg *n)
{
    cf_peer *q = cf_peer_open(t, "second", n->k[CF_S]);
    cf_hello(q, (const uint8_t(*)[PL_CASE_ID_BYTES])n->id, 1);
    cf_match heads = {.kind = PL_W_HEADS, .case_id = n->id};
    if (!cf_wait(q, &heads, cf_g.timeout_ms, NULL))
        cf_fail(t,
                "a participant's peer named the case in its HELLO and got no HEADS for it "
                "within %d ms (SPEC §14.4)",
                cf_g.timeout_ms);
    return q;
}
