/* Messages: canonical encoding, signing and decoding (SPEC §4).
 *
 * The wire form is [header, body, signature]. The signature and the message
 * id are computed over the domain-separated header bytes exactly as they
 * appear on the wire (SPEC §4.6, §4.7); nothing is ever re-serialized to be
 * verified. The body is bound to the header by its BLAKE2b-256 hash. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

/* SPEC §4.6: the context string that starts every signed message. */
static const uint8_t msg_ctx[] = "parley/v2/message"; /* NUL included */

#define HEADER_FIELDS 9
#define SIG_ENC_BYTES (2 + PL_SIG_BYTES) /* bin8 header c4 40, then 64 bytes */

/* One allocation: these fields, the decoded header cut after its nrefs
 * references (a header holds up to 32; most have 1 to 4, and a node keeps
 * every message of every open case), then the exact wire bytes. */
struct pl_msg {
    uint8_t id[PL_ID_BYTES];
    uint8_t sig[PL_SIG_BYTES];
    size_t len, hdr_off, hdr_len, body_off, body_len;
    size_t size;    /* of the whole allocation */
    uint8_t *bytes; /* the exact wire bytes, at the end of the allocation */
    pl_header hdr;  /* last: only refs[0..nrefs) are allocated */
};

static size_t hdr_size(size_t nrefs)
{
    return offsetof(pl_header, refs) + nrefs * sizeof(pl_ref);
}

static const char *const type_names[] = {
    [PL_T_CHARTER] = "charter",
    [PL_T_JOIN] = "join",
    [PL_T_PARTICIPANTS] = "participants",
    [PL_T_KEY_ROTATE] = "key-rotate",
    [PL_T_KEY_REPLACE] = "key-replace",
    [PL_T_DRAW_COMMIT] = "draw-commit",
    [PL_T_DRAW_REVEAL] = "draw-reveal",
    [PL_T_OFFER] = "offer",
    [PL_T_OPINION] = "opinion",
    [PL_T_RESPONSE] = "response",
    [PL_T_SIGN] = "sign",
    [PL_T_DISCLOSE] = "disclose",
    [PL_T_DISCLOSE_ACK] = "disclose-ack",
    [PL_T_SESSION_PROPOSE] = "session-propose",
    [PL_T_SESSION_ACCEPT] = "session-accept",
    [PL_T_SESSION_DECLINE] = "session-decline",
    [PL_T_RECORDING] = "recording",
    [PL_T_OBSERVATION] = "observation",
    [PL_T_ATTESTATION] = "attestation",
    [PL_T_WITHDRAW] = "withdraw",
    [PL_T_CLOSE] = "close",
    [PL_T_RETRACT] = "retract",
    [PL_T_COURT_ADJUST] = "court-adjust",
    [PL_T_JUDGMENT] = "judgment",
    [PL_T_REOPEN] = "reopen",
    [PL_T_NOTICE] = "notice",
    [PL_T_NOTICE_ACK] = "notice-ack",
    [PL_T_SETTLEMENT] = "settlement",
    [PL_T_CONSENT] = "consent",
    [PL_T_SETTLEMENT_WITHDRAW] = "settlement-withdraw",
    [PL_T_INTERPRETATION] = "interpretation",
    [PL_T_PUBLICITY] = "publicity",
};

const char *pl_msg_type_name(uint64_t type)
{
    if (type >= sizeof type_names / sizeof type_names[0])
        return NULL;
    return type_names[type];
}

void pl_header_id(const uint8_t case_id[PL_CASE_ID_BYTES], const uint8_t *hdr, size_t hdr_len,
                  uint8_t id[PL_ID_BYTES])
{
    pl_hash3(id, msg_ctx, sizeof msg_ctx, case_id, PL_CASE_ID_BYTES, hdr, hdr_len);
}

int pl_header_sig_verify(const uint8_t case_id[PL_CASE_ID_BYTES],
                         const uint8_t author[PL_PK_BYTES], const uint8_t *hdr, size_t hdr_len,
                         const uint8_t sig[PL_SIG_BYTES])
{
    /* The signing input is small (context, case id, header): assemble it on
     * the stack rather than hash twice. */
    uint8_t buf[sizeof msg_ctx + PL_CASE_ID_BYTES + 4096];
    size_t n = sizeof msg_ctx + PL_CASE_ID_BYTES + hdr_len;
    if (n > sizeof buf)
        return PL_E_TOO_BIG;
    memcpy(buf, msg_ctx, sizeof msg_ctx);
    memcpy(buf + sizeof msg_ctx, case_id, PL_CASE_ID_BYTES);
    memcpy(buf + sizeof msg_ctx + PL_CASE_ID_BYTES, hdr, hdr_len);
    if (crypto_sign_verify_detached(sig, buf, n, author) != 0)
        return PL_E_SIG;
    return PL_OK;
}

/* SPEC §4.2, §4.3, §4.5: the rules a header obeys on its own. */
int pl_header_check(const pl_header *h)
{
    /* SPEC §4.2: version MUST be 1. */
    if (h->version != PL_PROTOCOL_VERSION)
        return PL_E_VERSION;
    /* SPEC §4.2: seq starts at 1; prev is nil exactly for seq 1. */
    if (h->seq == 0 || (h->seq == 1) != !h->has_prev)
        return PL_E_SEQ;
    if (h->nrefs > PL_MAX_REFS)
        return PL_E_REFS;
    /* SPEC §4.3: references ascend strictly by author, never name the author
     * itself, and name a sequence number of at least 1. */
    for (size_t i = 0; i < h->nrefs; i++) {
        const pl_ref *r = &h->refs[i];
        if (r->seq == 0 || memcmp(r->author, h->author, PL_PK_BYTES) == 0)
            return PL_E_REFS;
        if (i > 0 && memcmp(h->refs[i - 1].author, r->author, PL_PK_BYTES) >= 0)
            return PL_E_REFS;
    }
    /* SPEC §4.5: only registered types. */
    if (pl_msg_type_name(h->type) == NULL)
        return PL_E_MSG_TYPE;
    return PL_OK;
}

int pl_header_encode(const pl_header *h, pl_packbuf *b)
{
    msgpack_packer *pk = &b->pk;
    msgpack_pack_array(pk, HEADER_FIELDS);
    msgpack_pack_uint64(pk, h->version);
    msgpack_pack_bin_with_body(pk, h->case_id, PL_CASE_ID_BYTES);
    msgpack_pack_bin_with_body(pk, h->author, PL_PK_BYTES);
    msgpack_pack_uint64(pk, h->seq);
    if (h->has_prev)
        msgpack_pack_bin_with_body(pk, h->prev, PL_ID_BYTES);
    else
        msgpack_pack_nil(pk);
    msgpack_pack_array(pk, h->nrefs);
    for (size_t i = 0; i < h->nrefs; i++) {
        msgpack_pack_array(pk, 3);
        msgpack_pack_bin_with_body(pk, h->refs[i].author, PL_PK_BYTES);
        msgpack_pack_uint64(pk, h->refs[i].seq);
        msgpack_pack_bin_with_body(pk, h->refs[i].id, PL_ID_BYTES);
    }
    msgpack_pack_uint64(pk, h->timestamp_ms);
    msgpack_pack_uint64(pk, h->type);
    msgpack_pack_bin_with_body(pk, h->body_hash, PL_HASH_BYTES);
    return b->failed ? PL_E_NOMEM : PL_OK;
}

/* Decodes header bytes that already passed pl_mp_walk. SPEC §4.2. */
int pl_header_decode(const uint8_t *in, size_t len, pl_header *h)
{
    msgpack_zone zone;
    msgpack_object obj;
    const msgpack_object *f, *r;
    int rc;

    memset(h, 0, sizeof *h);
    if (!msgpack_zone_init(&zone, 4096))
        return PL_E_NOMEM;
    if ((rc = pl_mp_unpack(in, len, &zone, &obj)) != PL_OK)
        goto out;
    rc = PL_E_SCHEMA;
    /* A newer version may change the layout: read the version first, so such
     * a header is PL_E_VERSION, not PL_E_SCHEMA (SPEC §4.2). */
    if (obj.type != MSGPACK_OBJECT_ARRAY || obj.via.array.size < 1 ||
        pl_mp_get_uint(&obj.via.array.ptr[0], &h->version) != PL_OK)
        goto out;
    if (h->version != PL_PROTOCOL_VERSION) {
        rc = PL_E_VERSION;
        goto out;
    }
    if (pl_mp_get_array(&obj, HEADER_FIELDS, &f) != PL_OK)
        goto out;
    if (pl_mp_get_bin(&f[1], PL_CASE_ID_BYTES, h->case_id) != PL_OK ||
        pl_mp_get_bin(&f[2], PL_PK_BYTES, h->author) != PL_OK ||
        pl_mp_get_uint(&f[3], &h->seq) != PL_OK)
        goto out;
    if (f[4].type == MSGPACK_OBJECT_NIL)
        h->has_prev = 0;
    else if (pl_mp_get_bin(&f[4], PL_ID_BYTES, h->prev) == PL_OK)
        h->has_prev = 1;
    else
        goto out;
    if (f[5].type != MSGPACK_OBJECT_ARRAY)
        goto out;
    if (f[5].via.array.size > PL_MAX_REFS) {
        rc = PL_E_REFS;
        goto out;
    }
    h->nrefs = f[5].via.array.size;
    for (size_t i = 0; i < h->nrefs; i++) {
        if (pl_mp_get_array(&f[5].via.array.ptr[i], 3, &r) != PL_OK ||
            pl_mp_get_bin(&r[0], PL_PK_BYTES, h->refs[i].author) != PL_OK ||
            pl_mp_get_uint(&r[1], &h->refs[i].seq) != PL_OK ||
            pl_mp_get_bin(&r[2], PL_ID_BYTES, h->refs[i].id) != PL_OK)
            goto out;
    }
    if (pl_mp_get_uint(&f[6], &h->timestamp_ms) != PL_OK ||
        pl_mp_get_uint(&f[7], &h->type) != PL_OK ||
        pl_mp_get_bin(&f[8], PL_HASH_BYTES, h->body_hash) != PL_OK)
        goto out;
    rc = PL_OK;
out:
    msgpack_zone_destroy(&zone);
    return rc;
}

static pl_msg *msg_alloc(size_t len, const pl_header *h)
{
    size_t at = offsetof(pl_msg, hdr) + hdr_size(h->nrefs);
    at = (at + 15) & ~(size_t)15;
    pl_msg *m = malloc(at + len);
    if (m != NULL) {
        m->len = len;
        m->size = at + len;
        m->bytes = (uint8_t *)m + at;
        memcpy(&m->hdr, h, hdr_size(h->nrefs));
    }
    return m;
}

static int msg_decode(const uint8_t *in, size_t len, const uint8_t *case_id, int check_sig,
                      pl_msg **out)
{
    size_t used, hlen, blen, pos;
    pl_header h;
    uint8_t hash[PL_HASH_BYTES];
    int rc;

    if (out == NULL || (in == NULL && len > 0))
        return PL_E_ARG;
    *out = NULL;
    /* SPEC §4.8 step 1: size. */
    if (len > PL_MSG_MAX_BYTES)
        return PL_E_TOO_BIG;
    /* Step 2: structure and canonical form, before msgpack-c sees a byte. */
    if ((rc = pl_mp_walk(in, len, NULL, &used)) != PL_OK)
        return rc;
    if (used != len)
        return PL_E_TRAILING;
    /* SPEC §4.1: [header, body, signature]. */
    if (in[0] != 0x93)
        return PL_E_SCHEMA;
    pos = 1;
    if ((rc = pl_mp_walk(in + pos, len - pos, NULL, &hlen)) != PL_OK)
        return rc;
    if ((rc = pl_mp_walk(in + pos + hlen, len - pos - hlen, NULL, &blen)) != PL_OK)
        return rc;
    pos += hlen + blen;
    if (len - pos != SIG_ENC_BYTES || in[pos] != 0xc4 || in[pos + 1] != PL_SIG_BYTES)
        return PL_E_SCHEMA;

    /* Step 3: header fields and the rules a header obeys alone. */
    if ((rc = pl_header_decode(in + 1, hlen, &h)) != PL_OK)
        return rc;
    if ((rc = pl_header_check(&h)) != PL_OK)
        return rc;
    /* Step 4: the body is the one the header names. */
    pl_hash3(hash, in + 1 + hlen, blen, NULL, 0, NULL, 0);
    if (sodium_memcmp(hash, h.body_hash, PL_HASH_BYTES) != 0)
        return PL_E_BODY_HASH;
    /* Step 5: the signature, over the header bytes as received. */
    if (check_sig &&
        (rc = pl_header_sig_verify(h.case_id, h.author, in + 1, hlen, in + pos + 2)) != PL_OK)
        return rc;
    /* Step 6: case binding. A valid signature for another case is a replay. */
    if (case_id != NULL && memcmp(case_id, h.case_id, PL_CASE_ID_BYTES) != 0)
        return PL_E_CASE;

    pl_msg *m = msg_alloc(len, &h);
    if (m == NULL)
        return PL_E_NOMEM;
    memcpy(m->bytes, in, len);
    m->hdr_off = 1, m->hdr_len = hlen;
    m->body_off = 1 + hlen, m->body_len = blen;
    memcpy(m->sig, in + pos + 2, PL_SIG_BYTES);
    pl_header_id(h.case_id, in + 1, hlen, m->id);
    *out = m;
    return PL_OK;
}

int pl_msg_decode(const uint8_t *in, size_t len, const uint8_t *case_id, pl_msg **out)
{
    return msg_decode(in, len, case_id, 1, out);
}

int pl_msg_load(const uint8_t *in, size_t len, const uint8_t *case_id, pl_msg **out)
{
    return msg_decode(in, len, case_id, 0, out);
}

int pl_msg_sign(const pl_header *hin, const uint8_t *body, size_t body_len, const pl_key *key,
                pl_msg **out)
{
    pl_header h;
    pl_packbuf b;
    size_t used;
    int rc;

    if (hin == NULL || key == NULL || out == NULL || (body == NULL && body_len > 0))
        return PL_E_ARG;
    *out = NULL;
    h = *hin;
    memcpy(h.author, pl_key_pk(key), PL_PK_BYTES);
    if ((rc = pl_header_check(&h)) != PL_OK)
        return rc;
    /* SPEC §4.4: the body is exactly one canonical value. */
    if (body_len > PL_MSG_MAX_BYTES)
        return PL_E_TOO_BIG;
    if ((rc = pl_mp_walk(body, body_len, NULL, &used)) != PL_OK)
        return rc;
    if (used != body_len)
        return PL_E_TRAILING;
    pl_hash3(h.body_hash, body, body_len, NULL, 0, NULL, 0);

    pl_packbuf_init(&b);
    if ((rc = pl_header_encode(&h, &b)) != PL_OK) {
        pl_packbuf_free(&b);
        return rc;
    }
    size_t hlen = b.sb.size;
    size_t len = 1 + hlen + body_len + SIG_ENC_BYTES;
    if (len > PL_MSG_MAX_BYTES) {
        pl_packbuf_free(&b);
        return PL_E_TOO_BIG;
    }
    pl_msg *m = msg_alloc(len, &h);
    if (m == NULL) {
        pl_packbuf_free(&b);
        return PL_E_NOMEM;
    }
    uint8_t *p = m->bytes;
    *p++ = 0x93;
    memcpy(p, b.sb.data, hlen);
    p += hlen;
    if (body_len > 0)
        memcpy(p, body, body_len);
    p += body_len;
    *p++ = 0xc4;
    *p++ = PL_SIG_BYTES;
    pl_packbuf_free(&b);
    /* The limits of SPEC §3.6 apply to the whole message (the header adds
     * depth and values to the body's): walk it exactly as a receiver will,
     * so we never sign what others must reject. */
    memset(p, 0, PL_SIG_BYTES);
    if ((rc = pl_mp_walk(m->bytes, len, NULL, &used)) != PL_OK) {
        free(m);
        return rc;
    }

    /* SPEC §4.6: sign context || case id || header bytes. */
    uint8_t in[sizeof msg_ctx + PL_CASE_ID_BYTES + 4096];
    if (sizeof msg_ctx + PL_CASE_ID_BYTES + hlen > sizeof in) {
        free(m);
        return PL_E_TOO_BIG;
    }
    memcpy(in, msg_ctx, sizeof msg_ctx);
    memcpy(in + sizeof msg_ctx, h.case_id, PL_CASE_ID_BYTES);
    memcpy(in + sizeof msg_ctx + PL_CASE_ID_BYTES, m->bytes + 1, hlen);
    pl_key_sign(key, in, sizeof msg_ctx + PL_CASE_ID_BYTES + hlen, m->sig);
    memcpy(p, m->sig, PL_SIG_BYTES);

    m->hdr_off = 1, m->hdr_len = hlen;
    m->body_off = 1 + hlen, m->body_len = body_len;
    pl_header_id(h.case_id, m->bytes + 1, hlen, m->id);
    *out = m;
    return PL_OK;
}

void pl_msg_destroy(pl_msg **m)
{
    if (m == NULL || *m == NULL)
        return;
    free(*m);
    *m = NULL;
}

pl_msg *pl_msg_dup(const pl_msg *m)
{
    pl_msg *c = malloc(m->size);
    if (c != NULL) {
        memcpy(c, m, m->size);
        c->bytes = (uint8_t *)c + (m->bytes - (const uint8_t *)m);
    }
    return c;
}

void pl_msg_header_copy(const pl_msg *m, pl_header *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out, &m->hdr, hdr_size(m->hdr.nrefs));
}

const pl_header *pl_msg_header(const pl_msg *m)
{
    return &m->hdr;
}

const uint8_t *pl_msg_id(const pl_msg *m)
{
    return m->id;
}

const uint8_t *pl_msg_sig(const pl_msg *m)
{
    return m->sig;
}

const uint8_t *pl_msg_bytes(const pl_msg *m, size_t *len)
{
    if (len)
        *len = m->len;
    return m->bytes;
}

const uint8_t *pl_msg_header_bytes(const pl_msg *m, size_t *len)
{
    if (len)
        *len = m->hdr_len;
    return m->bytes + m->hdr_off;
}

const uint8_t *pl_msg_body(const pl_msg *m, size_t *len)
{
    if (len)
        *len = m->body_len;
    return m->bytes + m->body_off;
}
