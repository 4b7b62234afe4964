/* Cases of the core layer as a node receives it (SPEC §3, §4, §6, §7): each
 * sends one message that breaks one rule, built byte by byte and signed
 * over exactly what is sent, expects the spec's error code, and then
 * checks that the node still serves the same connection. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "conform.h"

/* A body the victim's opinion could have, written raw (keys in order). */
static void opinion_body(cf_buf *b, const char *text)
{
    cf_mp_map(b, 2);
    cf_mp_str(b, "text", 4), cf_mp_str(b, text, strlen(text));
    cf_mp_str(b, "topic", 5), cf_mp_str(b, "other", 5);
}

typedef void (*edit_fn)(cf_neg *n, pl_header *h);

/* The victim's next message, with the header edited and the tweaks
 * applied; body NULL is a valid opinion. Sent; expects ERROR code; then
 * the node must still serve. */
static void raw_refused(cf_t *t, uint64_t type, const uint8_t *body, size_t blen,
                        const cf_tweak *tw, edit_fn edit, int code)
{
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_header h;
    cf_next_header(n, CF_V, type ? type : PL_T_OPINION, CF_ALL, &h);
    if (edit)
        edit(n, &h);
    cf_buf ob = {0};
    if (body == NULL) {
        opinion_body(&ob, "an opinion with one fault");
        body = ob.b, blen = ob.n;
    }
    size_t len;
    uint8_t *m = cf_raw_msg(&h, n->k[CF_V], body, blen, tw, &len);
    cf_buf_free(&ob);
    cf_send_msg_bytes(p, m, len);
    free(m);
    cf_expect_refused(p, n, NULL, NULL, code, 0);
    cf_alive(n, p);
}

static void raw_body_refused(cf_t *t, const cf_buf *body, int code)
{
    raw_refused(t, PL_T_OPINION, body->b, body->n, NULL, NULL, code);
}

/* ---- §3 ------------------------------------------------------------------------ */

/* A MSG frame around a valid message, changed by how; expects code. */
static void frame_refused(cf_t *t, int how, int code)
{
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = cf_opinion("a valid opinion in a broken frame");
    pl_msg *m = cf_make(n, CF_V, &b, CF_ALL, 0);
    size_t len;
    const uint8_t *mb = pl_msg_bytes(m, &len);
    cf_buf f = {0};
    cf_buf_put(&f, "\x93\x01\x04", 3);
    if (how == 0) { /* cut short */
        cf_buf_put(&f, mb, len - 10);
    } else { /* a byte after the value */
        cf_buf_put(&f, mb, len);
        cf_buf_byte(&f, 0x00);
    }
    cf_send_raw(p, f.b, f.n);
    cf_buf_free(&f);
    cf_expect_refused(p, n, m, NULL, code, 0);
    cf_alive(n, p);
}

static void c3_1_truncated(cf_t *t)
{
    /* SPEC §3.1: input that ends inside a value is PL_E_TRUNCATED */
    frame_refused(t, 0, PL_E_TRUNCATED);
}

static void c3_1_trailing(cf_t *t)
{
    /* SPEC §3.1: a byte after the end of the value is PL_E_TRAILING */
    frame_refused(t, 1, PL_E_TRAILING);
}

static void c3_2_float(cf_t *t)
{
    /* SPEC §3.2: a float is PL_E_FORBIDDEN_TYPE */
    cf_buf b = {0};
    cf_mp_map(&b, 2);
    cf_mp_str(&b, "text", 4);
    cf_buf_put(&b, "\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00", 9); /* 1.0 */
    cf_mp_str(&b, "topic", 5), cf_mp_str(&b, "other", 5);
    raw_body_refused(t, &b, PL_E_FORBIDDEN_TYPE);
    cf_buf_free(&b);
}

static void c3_3_seq_long(cf_t *t)
{
    /* SPEC §3.3: seq 2 written as uint 8 (cc 02) is PL_E_NONCANONICAL */
    cf_tweak tw = {.seq_prefix = 0xcc};
    raw_refused(t, 0, NULL, 0, &tw, NULL, PL_E_NONCANONICAL);
}

static void c3_3_signed_positive(cf_t *t)
{
    /* SPEC §3.3: a non-negative integer as int 8 (d0 11) is PL_E_NONCANONICAL */
    cf_tweak tw = {.type_prefix = 0xd0};
    raw_refused(t, 0, NULL, 0, &tw, NULL, PL_E_NONCANONICAL);
}

static void c3_4_utf8(cf_t *t)
{
    /* SPEC §3.4: an overlong form (c0 80) is PL_E_UTF8 */
    cf_buf b = {0};
    opinion_body(&b, "\xc0\x80");
    raw_body_refused(t, &b, PL_E_UTF8);
    cf_buf_free(&b);
}

static void c3_5_order(cf_t *t)
{
    /* SPEC §3.5: keys out of order are PL_E_MAP_ORDER */
    cf_buf b = {0};
    cf_mp_map(&b, 2);
    cf_mp_str(&b, "topic", 5), cf_mp_str(&b, "other", 5);
    cf_mp_str(&b, "text", 4), cf_mp_str(&b, "keys out of order", 17);
    raw_body_refused(t, &b, PL_E_MAP_ORDER);
    cf_buf_free(&b);
}

static void c3_5_duplicate(cf_t *t)
{
    /* SPEC §3.5: a repeated key is PL_E_MAP_ORDER */
    cf_buf b = {0};
    cf_mp_map(&b, 3);
    cf_mp_str(&b, "text", 4), cf_mp_str(&b, "once", 4);
    cf_mp_str(&b, "text", 4), cf_mp_str(&b, "twice", 5);
    cf_mp_str(&b, "topic", 5), cf_mp_str(&b, "other", 5);
    raw_body_refused(t, &b, PL_E_MAP_ORDER);
    cf_buf_free(&b);
}

static void c3_5_key_type(cf_t *t)
{
    /* SPEC §3.5: a map key that is not a str is PL_E_MAP_KEY */
    cf_buf b = {0};
    cf_mp_map(&b, 1);
    cf_mp_uint(&b, 1), cf_mp_str(&b, "x", 1);
    raw_body_refused(t, &b, PL_E_MAP_KEY);
    cf_buf_free(&b);
}

static void c3_6_depth(cf_t *t)
{
    /* SPEC §3.6: a container at nesting level 9 is PL_E_DEPTH (the body
     * is at level 2; eight arrays inside reach level 9) */
    cf_buf b = {0};
    cf_buf_put(&b, "\x91\x91\x91\x91\x91\x91\x91\x90", 8);
    raw_body_refused(t, &b, PL_E_DEPTH);
    cf_buf_free(&b);
}

static void c3_6_count(cf_t *t)
{
    /* SPEC §3.6: an array of 4097 elements is PL_E_COUNT */
    cf_buf b = {0};
    cf_mp_array(&b, 4097);
    for (int i = 0; i < 4097; i++)
        cf_mp_nil(&b);
    raw_body_refused(t, &b, PL_E_COUNT);
    cf_buf_free(&b);
}

static void c3_6_str_len(cf_t *t)
{
    /* SPEC §3.6: a str longer than 65535 bytes is PL_E_STR_LEN */
    char *s = malloc(65536);
    if (s == NULL)
        cf_fail(t, "out of memory");
    memset(s, 'a', 65536);
    cf_buf b = {0};
    cf_mp_map(&b, 2);
    cf_mp_str(&b, "text", 4), cf_mp_str(&b, s, 65536);
    cf_mp_str(&b, "topic", 5), cf_mp_str(&b, "other", 5);
    free(s);
    raw_body_refused(t, &b, PL_E_STR_LEN);
    cf_buf_free(&b);
}

static void c3_6_claimed(cf_t *t)
{
    /* SPEC §3.6: an array claiming more elements than bytes remain is
     * PL_E_TRUNCATED, before anything is allocated for it */
    cf_buf b = {0};
    cf_buf_put(&b, "\xdc\x0f\xff", 3); /* 4095 elements; 66 bytes follow */
    raw_body_refused(t, &b, PL_E_TRUNCATED);
    cf_buf_free(&b);
}

/* ---- §4 ------------------------------------------------------------------------ */

static void c4_1_two(cf_t *t)
{
    /* SPEC §4.1: a message that is not [header, body, signature] is PL_E_SCHEMA */
    cf_tweak tw = {.two_elements = 1};
    raw_refused(t, 0, NULL, 0, &tw, NULL, PL_E_SCHEMA);
}

static void c4_1_short_sig(cf_t *t)
{
    /* SPEC §4.1: a signature that is not a 64-byte bin is PL_E_SCHEMA */
    cf_tweak tw = {.short_sig = 1};
    raw_refused(t, 0, NULL, 0, &tw, NULL, PL_E_SCHEMA);
}

static void c4_2_version(cf_t *t)
{
    /* SPEC §4.2: a header whose version is not 2 is PL_E_VERSION: a
     * version 1 message (whose rules differ) and a future version 3 */
    cf_tweak tw = {.version = 1};
    raw_refused(t, 0, NULL, 0, &tw, NULL, PL_E_VERSION);
    tw.version = 3;
    raw_refused(t, 0, NULL, 0, &tw, NULL, PL_E_VERSION);
}

static void c4_2_fields(cf_t *t)
{
    /* SPEC §4.2: a header of 8 fields is PL_E_SCHEMA */
    cf_tweak tw = {.drop_body_hash = 1};
    raw_refused(t, 0, NULL, 0, &tw, NULL, PL_E_SCHEMA);
}

static void seq_zero(cf_neg *n, pl_header *h)
{
    (void)n;
    h->seq = 0;
    h->has_prev = 0;
}

static void c4_2_seq0(cf_t *t)
{
    /* SPEC §4.2: seq 0 is PL_E_SEQ */
    raw_refused(t, 0, NULL, 0, NULL, seq_zero, PL_E_SEQ);
}

static void prev_nil(cf_neg *n, pl_header *h)
{
    (void)n;
    h->has_prev = 0;
}

static void c4_2_prev_nil(cf_t *t)
{
    /* SPEC §4.2: prev nil while seq > 1 is PL_E_SEQ */
    raw_refused(t, 0, NULL, 0, NULL, prev_nil, PL_E_SEQ);
}

static void refs_reversed(cf_neg *n, pl_header *h)
{
    (void)n;
    for (size_t i = 0; i < h->nrefs / 2; i++) {
        pl_ref x = h->refs[i];
        h->refs[i] = h->refs[h->nrefs - 1 - i];
        h->refs[h->nrefs - 1 - i] = x;
    }
}

static void c4_3_order(cf_t *t)
{
    /* SPEC §4.3: references not in ascending order of author are PL_E_REFS */
    raw_refused(t, 0, NULL, 0, NULL, refs_reversed, PL_E_REFS);
}

static void ref_self(cf_neg *n, pl_header *h)
{
    /* The victim's own join, as a reference, in its sorted place. */
    pl_ref self;
    memcpy(self.author, cf_pk(n, CF_V), PL_PK_BYTES);
    self.seq = 1;
    memcpy(self.id, pl_msg_id(n->head[CF_V]), PL_ID_BYTES);
    size_t at = 0;
    while (at < h->nrefs && memcmp(h->refs[at].author, self.author, PL_PK_BYTES) < 0)
        at++;
    memmove(&h->refs[at + 1], &h->refs[at], (h->nrefs - at) * sizeof h->refs[0]);
    h->refs[at] = self;
    h->nrefs++;
}

static void c4_3_self(cf_t *t)
{
    /* SPEC §4.3: a reference naming the message's own author is PL_E_REFS */
    raw_refused(t, 0, NULL, 0, NULL, ref_self, PL_E_REFS);
}

static void c4_4_body_hash(cf_t *t)
{
    /* SPEC §4.4: a body that does not match body_hash is PL_E_BODY_HASH */
    cf_tweak tw = {.wrong_body_hash = 1};
    raw_refused(t, 0, NULL, 0, &tw, NULL, PL_E_BODY_HASH);
}

static void c4_5_type(cf_t *t)
{
    /* SPEC §4.5: an unregistered type (8) is PL_E_MSG_TYPE */
    raw_refused(t, 8, NULL, 0, NULL, NULL, PL_E_MSG_TYPE);
}

static void c4_6_flipped(cf_t *t)
{
    /* SPEC §4.6: a signature with one bit flipped is PL_E_SIG */
    cf_tweak tw = {.flip_sig = 1};
    raw_refused(t, 0, NULL, 0, &tw, NULL, PL_E_SIG);
}

static void c4_6_other_key(cf_t *t)
{
    /* SPEC §4.6: a signature by a key other than the author's is PL_E_SIG */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_header h;
    cf_next_header(n, CF_V, PL_T_OPINION, CF_ALL, &h);
    cf_buf b = {0};
    opinion_body(&b, "signed by the suspect in the victim's name");
    cf_tweak tw = {.signer = n->k[CF_S]};
    size_t len;
    uint8_t *m = cf_raw_msg(&h, n->k[CF_V], b.b, b.n, &tw, &len);
    cf_buf_free(&b);
    cf_send_msg_bytes(p, m, len);
    free(m);
    cf_expect_refused(p, n, NULL, NULL, PL_E_SIG, 0);
    cf_alive(n, p);
}

static void c4_6_replay(cf_t *t)
{
    /* SPEC §4.6, §12.1: a message signed for one case, its case id changed
     * to another case the node hosts, does not verify: PL_E_SIG */
    cf_peer *p;
    cf_neg *a = cf_open(t, &p);
    cf_neg *b = cf_neg_new(t, 0);
    cf_invite(b, p);
    cf_join(b, p, CF_JOINERS);
    pl_header h;
    cf_next_header(a, CF_V, PL_T_OPINION, CF_ALL, &h);
    memcpy(h.case_id, b->id, PL_CASE_ID_BYTES);
    cf_buf body = {0};
    opinion_body(&body, "said in one case, replayed into another");
    cf_tweak tw = {.sign_case = a->id};
    size_t len;
    uint8_t *m = cf_raw_msg(&h, a->k[CF_V], body.b, body.n, &tw, &len);
    cf_buf_free(&body);
    cf_send_msg_bytes(p, m, len);
    free(m);
    cf_expect_refused(p, b, NULL, NULL, PL_E_SIG, 0);
    cf_alive(b, p);
}

static void c4_8_too_big(cf_t *t)
{
    /* SPEC §4.8, §5.1: a message over 262144 bytes is PL_E_TOO_BIG, also in
     * a frame within the frame limit (262208 bytes, SPEC §14.2) */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_header h;
    cf_next_header(n, CF_V, PL_T_OPINION, CF_ALL, &h);
    /* The header's size first, then a body of bins that makes the message
     * 262150 bytes. */
    size_t hlen;
    uint8_t *probe = cf_raw_msg(&h, n->k[CF_V], (const uint8_t *)"\xc0", 1, NULL, &hlen);
    free(probe);
    hlen -= 1 + 1 + 66; /* array byte, the nil body, the signature */
    size_t want = PL_MSG_MAX_BYTES + 6 - 1 - hlen - 66;
    cf_buf b = {0};
    cf_mp_array(&b, 5);
    size_t left = want - 1;
    uint8_t *fill = calloc(1, 65535);
    if (fill == NULL)
        cf_fail(t, "out of memory");
    for (int i = 0; i < 5; i++) {
        size_t chunk = i < 4 ? 60000 : left - 3; /* bin 16: 3 bytes of header */
        cf_mp_bin(&b, fill, chunk);
        left -= chunk + 3;
    }
    free(fill);
    size_t len;
    uint8_t *m = cf_raw_msg(&h, n->k[CF_V], b.b, b.n, NULL, &len);
    cf_buf_free(&b);
    if (len != PL_MSG_MAX_BYTES + 6) {
        free(m);
        cf_fail(t, "internal: built a %zu-byte message", len);
    }
    cf_send_msg_bytes(p, m, len);
    free(m);
    cf_expect_refused(p, n, NULL, NULL, PL_E_TOO_BIG, 0);
    cf_alive(n, p);
}

static void c4_8_order(cf_t *t)
{
    /* SPEC §4.8: the first failure in order: an unregistered type with a
     * wrong body hash and a bad signature is PL_E_MSG_TYPE */
    cf_tweak tw = {.wrong_body_hash = 1, .flip_sig = 1};
    raw_refused(t, 9, NULL, 0, &tw, NULL, PL_E_MSG_TYPE);
}

/* ---- §6 ------------------------------------------------------------------------- */

/* The victim's next opinion with the header edited, signed properly;
 * expects the §6 code with the message's id, and nothing stored. */
static void log_refused(cf_t *t, edit_fn edit, int code)
{
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_header h;
    cf_next_header(n, CF_V, PL_T_OPINION, CF_ALL, &h);
    edit(n, &h);
    pl_body b = cf_opinion("an opinion that does not fit the log");
    uint8_t body[512];
    size_t blen;
    if (pl_body_encode(&b, body, sizeof body, &blen) != PL_OK)
        cf_fail(t, "internal: opinion body");
    pl_msg *m;
    if (pl_msg_sign(&h, body, blen, n->k[CF_V], &m) != PL_OK)
        cf_fail(t, "internal: could not sign");
    cf_keep(n, m);
    cf_send_msg(p, m);
    cf_expect_refused(p, n, m, NULL, code, 1);
    cf_expect_held(p, n, CF_V, NULL, 2, NULL, 0);
    cf_alive(n, p);
}

static void prev_random(cf_neg *n, pl_header *h)
{
    (void)n;
    randombytes_buf(h->prev, PL_ID_BYTES);
}

static void c6_1_prev(cf_t *t)
{
    /* SPEC §6.1: prev that is not the id of the author's previous message
     * is PL_E_PREV */
    log_refused(t, prev_random, PL_E_PREV);
}

static void ref_wrong_id(cf_neg *n, pl_header *h)
{
    for (size_t i = 0; i < h->nrefs; i++)
        if (memcmp(h->refs[i].author, cf_pk(n, CF_P), PL_PK_BYTES) == 0)
            randombytes_buf(h->refs[i].id, PL_ID_BYTES);
}

static void c6_2_ref(cf_t *t)
{
    /* SPEC §6.2: a reference whose id is not the accepted message's at that
     * slot is PL_E_REF_MISMATCH */
    log_refused(t, ref_wrong_id, PL_E_REF_MISMATCH);
}

static void ts_back(cf_neg *n, pl_header *h)
{
    h->timestamp_ms = pl_msg_header(n->head[CF_V])->timestamp_ms - 1;
}

static void c6_5_timestamp(cf_t *t)
{
    /* SPEC §6.5: a timestamp lower than the author's previous message's is
     * PL_E_TIMESTAMP */
    log_refused(t, ts_back, PL_E_TIMESTAMP);
}

static void c6_4_duplicate(cf_t *t)
{
    /* SPEC §6.4, §14.7: a message received twice is acknowledged again and
     * held once */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *join = n->head[CF_V];
    cf_send_msg(p, join);
    cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(join)};
    if (!cf_wait(p, &ack, cf_g.timeout_ms, NULL))
        cf_fail(t, "a duplicate of an accepted message was not acknowledged (SPEC §14.7)");
    const uint8_t(*ids)[PL_ID_BYTES] = (const uint8_t(*)[PL_ID_BYTES])pl_msg_id(join);
    cf_expect_held(p, n, CF_V, NULL, 1, ids, 1);
    cf_alive(n, p);
}

static void c6_7_gap(cf_t *t)
{
    /* SPEC §6.7, §14.6: a message after a gap in its author's chain waits:
     * no ACK while it waits; stored once its predecessor arrives */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b2 = cf_opinion("second"), b3 = cf_opinion("third, sent first");
    pl_msg *m2 = cf_make(n, CF_V, &b2, CF_ALL, 1);
    pl_msg *m3 = cf_make(n, CF_V, &b3, CF_ALL, 1);
    cf_send_msg(p, m3);
    cf_barrier(p, n);
    cf_match ack3 = {.kind = PL_W_ACK, .id = pl_msg_id(m3)};
    cf_match err3 = {.kind = PL_W_ERROR, .id = pl_msg_id(m3)};
    if (cf_have(p, &ack3))
        cf_fail(t, "a message waiting for its predecessor was acknowledged (SPEC §14.6)");
    if (cf_have(p, &err3))
        cf_fail(t, "a message that must wait for its predecessor was refused (SPEC §6.7)");
    cf_send_msg(p, m2);
    cf_expect_valid(p, n, m2);
    const uint8_t(*ids)[PL_ID_BYTES] = (const uint8_t(*)[PL_ID_BYTES])pl_msg_id(m3);
    cf_expect_held(p, n, CF_V, NULL, 3, ids, 1);
    cf_alive(n, p);
}

static void c6_7_ref_wait(cf_t *t)
{
    /* SPEC §6.7: a message referencing a message the node does not hold
     * waits, and is stored once that message arrives */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body bs = cf_opinion("the suspect's, delayed"), bv = cf_opinion("the victim's, seeing it");
    pl_msg *s2 = cf_make(n, CF_S, &bs, CF_ALL, 1);
    pl_msg *v2 = cf_make(n, CF_V, &bv, CF_ALL, 1);
    cf_send_msg(p, v2);
    cf_barrier(p, n);
    cf_match ack = {.kind = PL_W_ACK, .id = pl_msg_id(v2)};
    if (cf_have(p, &ack))
        cf_fail(t, "a message whose reference the node does not hold was acknowledged "
                   "(SPEC §6.7, §14.6)");
    cf_send_msg(p, s2);
    cf_expect_valid(p, n, s2);
    const uint8_t(*ids)[PL_ID_BYTES] = (const uint8_t(*)[PL_ID_BYTES])pl_msg_id(v2);
    cf_expect_held(p, n, CF_V, NULL, 2, ids, 1);
    cf_alive(n, p);
}

/* ---- §7 ------------------------------------------------------------------------- */

/* A second message for the victim's accepted seq 1 (its join). */
static pl_msg *fork_of_join(cf_neg *n, int who, const char *text)
{
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, n->id, PL_CASE_ID_BYTES);
    h.seq = 1;
    h.nrefs = 1;
    memcpy(h.refs[0].author, cf_pk(n, CF_P), PL_PK_BYTES);
    h.refs[0].seq = 1;
    memcpy(h.refs[0].id, pl_msg_id(n->charter), PL_ID_BYTES);
    h.timestamp_ms = ++n->clock;
    h.type = PL_T_OPINION;
    pl_body b = cf_opinion(text);
    uint8_t body[512];
    size_t blen;
    pl_msg *m;
    if (pl_body_encode(&b, body, sizeof body, &blen) != PL_OK ||
        pl_msg_sign(&h, body, blen, n->k[who], &m) != PL_OK)
        cf_fail(n->t, "internal: could not build a fork");
    return cf_keep(n, m);
}

static void c7_1_fork(cf_t *t)
{
    /* SPEC §7.1, §14.6: a second message for an accepted slot is refused
     * with PL_E_EQUIVOCATION and its id; the first is kept */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_msg *join = n->head[CF_V];
    pl_msg *f = fork_of_join(n, CF_V, "a second seq 1");
    cf_send_msg(p, f);
    cf_expect_refused(p, n, f, NULL, PL_E_EQUIVOCATION, 1);
    const uint8_t(*ids)[PL_ID_BYTES] = (const uint8_t(*)[PL_ID_BYTES])pl_msg_id(join);
    cf_expect_held(p, n, CF_V, NULL, 1, ids, 1);
    cf_alive(n, p);
}

static void c7_1_before_chain(cf_t *t)
{
    /* SPEC §7.1: the slot is checked before chain, timestamp and references:
     * a fork with a wrong prev, an earlier timestamp and a wrong reference
     * is still PL_E_EQUIVOCATION */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    pl_body b = cf_opinion("the accepted seq 2");
    pl_msg *m2 = cf_post(n, p, CF_V, &b, CF_ALL);
    cf_expect_valid(p, n, m2);
    pl_header h;
    pl_msg_header_copy(m2, &h);
    randombytes_buf(h.prev, PL_ID_BYTES);
    h.timestamp_ms -= 10;
    for (size_t i = 0; i < h.nrefs; i++)
        randombytes_buf(h.refs[i].id, PL_ID_BYTES);
    pl_body fb = cf_opinion("another seq 2, with a broken chain");
    uint8_t body[512];
    size_t blen;
    pl_msg *f;
    if (pl_body_encode(&fb, body, sizeof body, &blen) != PL_OK ||
        pl_msg_sign(&h, body, blen, n->k[CF_V], &f) != PL_OK)
        cf_fail(t, "internal: could not build the fork");
    cf_keep(n, f);
    cf_send_msg(p, f);
    cf_expect_refused(p, n, f, NULL, PL_E_EQUIVOCATION, 1);
    cf_alive(n, p);
}

/* The proof of a fork of who's join (built, not sent). */
static size_t join_fork_proof(cf_neg *n, int who, const char *text, uint8_t *out, size_t cap)
{
    pl_msg *f = fork_of_join(n, who, text);
    size_t len;
    if (pl_equiv_proof_build(n->head[who], f, out, cap, &len) != PL_OK)
        cf_fail(n->t, "internal: could not build a proof");
    return len;
}

static void send_proof(cf_peer *p, const uint8_t *proof, size_t len)
{
    cf_buf f = {0};
    cf_buf_put(&f, "\x93\x01\x07", 3);
    cf_buf_put(&f, proof, len);
    cf_send_raw(p, f.b, f.n);
    cf_buf_free(&f);
}

static void c7_3_invalid(cf_t *t)
{
    /* SPEC §7.3, §14.9: a proof whose second signature does not verify is
     * PL_E_PROOF */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t len = join_fork_proof(n, CF_C, "a fork", proof, sizeof proof);
    proof[len - 1] ^= 0x01;
    send_proof(p, proof, len);
    cf_expect_refused(p, n, NULL, NULL, PL_E_PROOF, 0);
    cf_alive(n, p);
}

static void c7_3_oversized(cf_t *t)
{
    /* SPEC §7.3, §14.9: a proof over 8192 bytes is PL_E_PROOF (it is
     * handed to §7.3, not judged while decoding the frame, SPEC §14.2) */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_buf b = {0};
    cf_mp_array(&b, 2);
    cf_mp_uint(&b, 1);
    uint8_t *fill = calloc(1, 9000);
    if (fill == NULL)
        cf_fail(t, "out of memory");
    cf_mp_bin(&b, fill, 9000);
    free(fill);
    send_proof(p, b.b, b.n);
    cf_buf_free(&b);
    cf_expect_refused(p, n, NULL, NULL, PL_E_PROOF, 0);
    cf_alive(n, p);
}

static void expect_proof(cf_peer *q, cf_neg *n, int who, const uint8_t *bytes, size_t len)
{
    cf_in in;
    cf_match m = {.kind = PL_W_PROOF};
    if (!cf_wait(q, &m, cf_g.timeout_ms, &in))
        cf_fail(n->t,
                "the other peer following the case received no PROOF within %d ms "
                "(SPEC §14.9)",
                cf_g.timeout_ms);
    pl_equiv_info info;
    int rc = pl_equiv_proof_verify(in.w.u.proof.bytes, in.w.u.proof.len, &info);
    int same =
        bytes == NULL || (in.w.u.proof.len == len && memcmp(in.w.u.proof.bytes, bytes, len) == 0);
    cf_in_free(&in);
    if (rc != PL_OK)
        cf_fail(n->t, "the PROOF the node sent does not verify: %s (SPEC §7.3)", pl_errname(rc));
    if (memcmp(info.case_id, n->id, PL_CASE_ID_BYTES) != 0 ||
        memcmp(info.author, cf_pk(n, who), PL_PK_BYTES) != 0 || info.seq != 1)
        cf_fail(n->t, "the PROOF the node sent is about another fork (SPEC §7.2)");
    if (!same)
        cf_fail(n->t, "the PROOF relayed differs from the proof received (SPEC §7.2: one "
                      "encoding per fork)");
}

static void c7_4_received(cf_t *t)
{
    /* SPEC §7.4, §14.9: a valid proof from a peer is accepted and sent on
     * to the other peers following the case */
    cf_peer *p;
    cf_neg *n = cf_open(t, &p);
    cf_peer *q = cf_follower(t, n);
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t len = join_fork_proof(n, CF_C, "counsel's other seq 1", proof, sizeof proof);
    send_proof(p, proof, len);
    expect_proof(q, n, CF_C, proof, len);
    cf_barrier(p, n);
    cf_match err = {.kind = PL_W_ERROR};
    char errs[256];
    if (cf_have(p, &err))
        cf_fail(t, "a valid proof was answered with ERROR (%s)",
                cf_errors_seen(p, errs, sizeof errs));
    cf_alive(n, p);
}

const cf_case cf_cases_core[] = {
    {"3.1-1", CF_MUST, 1, c3_1_truncated,
     "input that ends inside a value is refused with PL_E_TRUNCATED"},
    {"3.1-2", CF_MUST, 1, c3_1_trailing,
     "a byte after the end of the value is refused with PL_E_TRAILING"},
    {"3.2-1", CF_MUST, 1, c3_2_float, "a float in a message is refused with PL_E_FORBIDDEN_TYPE"},
    {"3.3-1", CF_MUST, 1, c3_3_seq_long,
     "an integer in a longer form than needed (seq as cc 02) is PL_E_NONCANONICAL"},
    {"3.3-2", CF_MUST, 1, c3_3_signed_positive,
     "a non-negative integer as int 8 (d0 11) is PL_E_NONCANONICAL"},
    {"3.4-1", CF_MUST, 1, c3_4_utf8, "a str that is not valid UTF-8 (overlong c0 80) is PL_E_UTF8"},
    {"3.5-1", CF_MUST, 1, c3_5_order, "map keys out of bytewise order are PL_E_MAP_ORDER"},
    {"3.5-2", CF_MUST, 1, c3_5_duplicate, "a map key repeated is PL_E_MAP_ORDER"},
    {"3.5-3", CF_MUST, 1, c3_5_key_type, "a map key that is not a str is PL_E_MAP_KEY"},
    {"3.6-1", CF_MUST, 1, c3_6_depth, "a container at nesting level 9 is PL_E_DEPTH"},
    {"3.6-2", CF_MUST, 1, c3_6_count, "an array of more than 4096 elements is PL_E_COUNT"},
    {"3.6-3", CF_MUST, 1, c3_6_str_len, "a str longer than 65535 bytes is PL_E_STR_LEN"},
    {"3.6-4", CF_MUST, 1, c3_6_claimed,
     "a count the remaining input cannot hold is PL_E_TRUNCATED"},
    {"4.1-1", CF_MUST, 1, c4_1_two, "a message that is not an array of 3 is PL_E_SCHEMA"},
    {"4.1-2", CF_MUST, 1, c4_1_short_sig, "a signature that is not a 64-byte bin is PL_E_SCHEMA"},
    {"4.2-1", CF_MUST, 1, c4_2_version, "a header whose version is not 2 (1 or 3) is PL_E_VERSION"},
    {"4.2-2", CF_MUST, 1, c4_2_fields, "a header with a wrong number of fields is PL_E_SCHEMA"},
    {"4.2-3", CF_MUST, 1, c4_2_seq0, "seq 0 is PL_E_SEQ"},
    {"4.2-4", CF_MUST, 1, c4_2_prev_nil, "prev nil while seq > 1 is PL_E_SEQ"},
    {"4.3-1", CF_MUST, 1, c4_3_order, "references not ascending by author are PL_E_REFS"},
    {"4.3-2", CF_MUST, 1, c4_3_self, "a reference naming the message's own author is PL_E_REFS"},
    {"4.4-1", CF_MUST, 1, c4_4_body_hash, "a body that does not match body_hash is PL_E_BODY_HASH"},
    {"4.5-1", CF_MUST, 1, c4_5_type, "an unregistered message type is PL_E_MSG_TYPE"},
    {"4.6-1", CF_MUST, 1, c4_6_flipped, "a signature that does not verify is PL_E_SIG"},
    {"4.6-2", CF_MUST, 1, c4_6_other_key, "a signature by another key than the author is PL_E_SIG"},
    {"4.6-3", CF_MUST, 1, c4_6_replay,
     "a message replayed into another case (its case id changed) is PL_E_SIG"},
    {"4.8-1", CF_MUST, 1, c4_8_too_big,
     "a message over 262144 bytes is PL_E_TOO_BIG, in a frame within the frame limit"},
    {"4.8-2", CF_MUST, 1, c4_8_order,
     "checks run in order: unregistered type, bad body hash and bad signature is PL_E_MSG_TYPE"},
    {"6.1-1", CF_MUST, 1, c6_1_prev,
     "prev not the id of the author's previous message is PL_E_PREV, with the id; not stored"},
    {"6.2-1", CF_MUST, 1, c6_2_ref,
     "a reference whose id differs from the accepted message is PL_E_REF_MISMATCH; not stored"},
    {"6.4-1", CF_MUST, 1, c6_4_duplicate, "a duplicate is acknowledged again and held once"},
    {"6.5-1", CF_MUST, 1, c6_5_timestamp,
     "a timestamp lower than the author's previous one is PL_E_TIMESTAMP; not stored"},
    {"6.7-1", CF_MUST, 1, c6_7_gap,
     "a sequence gap waits, unacknowledged, and is stored when the gap is filled"},
    {"6.7-2", CF_MUST, 1, c6_7_ref_wait,
     "a reference to a message not yet held waits, and is stored when it arrives"},
    {"7.1-1", CF_MUST, 1, c7_1_fork,
     "a second message for an accepted slot is PL_E_EQUIVOCATION with its id; the first is kept"},
    {"7.1-2", CF_MUST, 1, c7_1_before_chain,
     "the slot is checked before chain, timestamp and references (still PL_E_EQUIVOCATION)"},
    {"7.3-1", CF_MUST, 1, c7_3_invalid, "a proof whose signature does not verify is PL_E_PROOF"},
    {"7.3-2", CF_MUST, 1, c7_3_oversized, "a proof over 8192 bytes is PL_E_PROOF"},
    {"7.4-1", CF_MUST, 1, c7_4_received,
     "a valid proof from a peer is accepted and passed to the other peers following the case"},
};
const size_t cf_ncases_core = sizeof cf_cases_core / sizeof cf_cases_core[0];
