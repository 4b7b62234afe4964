/* The wire frames of SPEC §14.2: decode (walk, unpack, schema) and encode.
 * Embedded messages and proofs are located with the walk and copied as
 * their exact bytes, never re-encoded, so the signature the receiver
 * checks is over what the sender sent. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const kind_names[] = {
    [PL_W_HELLO] = "hello", [PL_W_HEADS] = "heads", [PL_W_WANT] = "want", [PL_W_MSG] = "msg",
    [PL_W_ACK] = "ack",     [PL_W_ERROR] = "error", [PL_W_PROOF] = "proof",
};

const char *pl_wire_kind_name(uint64_t kind)
{
    return kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : NULL;
}

void pl_wire_free(pl_wire *w)
{
    if (w == NULL)
        return;
    if (w->kind == PL_W_HELLO)
        free(w->u.hello.cases);
    else if (w->kind == PL_W_MSG || w->kind == PL_W_PROOF)
        free(w->u.msg.bytes);
    memset(w, 0, sizeof *w);
}

/* SPEC §14.2: MSG and PROOF embed a value; its bytes are the frame's bytes
 * after the 3-byte prefix [array of 3, version, kind]. */
/* The embedded message or proof, as its exact bytes. Its own size limit
 * is not judged here: SPEC §14.2 hands the bytes unjudged to §4.8 or §7.3,
 * whose codes (PL_E_TOO_BIG, PL_E_PROOF) say what was wrong; the frame's
 * limit already bounds the copy. */
static int embedded(const uint8_t *in, size_t len, pl_wire *out)
{
    size_t used;
    if (len < 4 || in[0] != 0x93)
        return PL_E_WIRE;
    if (pl_mp_walk(in + 3, len - 3, NULL, &used) != PL_OK || used != len - 3)
        return PL_E_WIRE;
    if ((out->u.msg.bytes = malloc(used)) == NULL)
        return PL_E_NOMEM;
    memcpy(out->u.msg.bytes, in + 3, used);
    out->u.msg.len = used;
    return PL_OK;
}

static int decode_fields(const msgpack_object *f, uint32_t n, const uint8_t *in, size_t len,
                         uint64_t kind, pl_wire *w)
{
    switch (kind) {
    case PL_W_HELLO: {
        /* SPEC §14.3 */
        if (n != 4 || pl_mp_get_bin(&f[2], PL_PK_BYTES, w->u.hello.node) != PL_OK ||
            f[3].type != MSGPACK_OBJECT_ARRAY || f[3].via.array.size > PL_WIRE_MAX_CASES)
            return PL_E_WIRE;
        size_t nc = f[3].via.array.size;
        if (nc > 0 && (w->u.hello.cases = malloc(nc * PL_CASE_ID_BYTES)) == NULL)
            return PL_E_NOMEM;
        for (size_t i = 0; i < nc; i++) {
            if (pl_mp_get_bin(&f[3].via.array.ptr[i], PL_CASE_ID_BYTES, w->u.hello.cases[i]) != PL_OK ||
                (i > 0 && memcmp(w->u.hello.cases[i - 1], w->u.hello.cases[i], PL_CASE_ID_BYTES) >= 0))
                return PL_E_WIRE; /* ascending, so unique */
            w->u.hello.ncases = i + 1;
        }
        return PL_OK;
    }
    case PL_W_HEADS: {
        /* SPEC §14.4 */
        if (n != 4 || pl_mp_get_bin(&f[2], PL_CASE_ID_BYTES, w->u.heads.case_id) != PL_OK ||
            f[3].type != MSGPACK_OBJECT_ARRAY || f[3].via.array.size > PL_WIRE_MAX_HEADS)
            return PL_E_WIRE;
        for (uint32_t i = 0; i < f[3].via.array.size; i++) {
            const msgpack_object *r;
            pl_ref *h = &w->u.heads.heads[i];
            if (pl_mp_get_array(&f[3].via.array.ptr[i], 3, &r) != PL_OK ||
                pl_mp_get_bin(&r[0], PL_PK_BYTES, h->author) != PL_OK ||
                pl_mp_get_uint(&r[1], &h->seq) != PL_OK || h->seq == 0 ||
                pl_mp_get_bin(&r[2], PL_ID_BYTES, h->id) != PL_OK ||
                (i > 0 && memcmp(w->u.heads.heads[i - 1].author, h->author, PL_PK_BYTES) >= 0))
                return PL_E_WIRE;
            w->u.heads.n = i + 1;
        }
        return PL_OK;
    }
    case PL_W_WANT:
        /* SPEC §14.5 */
        if (n != 6 || pl_mp_get_bin(&f[2], PL_CASE_ID_BYTES, w->u.want.case_id) != PL_OK ||
            pl_mp_get_bin(&f[3], PL_PK_BYTES, w->u.want.author) != PL_OK ||
            pl_mp_get_uint(&f[4], &w->u.want.from_seq) != PL_OK || w->u.want.from_seq == 0 ||
            pl_mp_get_uint(&f[5], &w->u.want.max) != PL_OK || w->u.want.max == 0 ||
            w->u.want.max > PL_WIRE_MAX_WANT)
            return PL_E_WIRE;
        return PL_OK;
    case PL_W_MSG:
        /* SPEC §14.6: one message, embedded whole */
        if (n != 3 || f[2].type != MSGPACK_OBJECT_ARRAY)
            return PL_E_WIRE;
        return embedded(in, len, w);
    case PL_W_PROOF:
        /* SPEC §14.9 */
        if (n != 3 || f[2].type != MSGPACK_OBJECT_ARRAY)
            return PL_E_WIRE;
        return embedded(in, len, w);
    case PL_W_ACK:
        /* SPEC §14.7 */
        if (n != 4 || pl_mp_get_bin(&f[2], PL_CASE_ID_BYTES, w->u.ack.case_id) != PL_OK ||
            pl_mp_get_bin(&f[3], PL_ID_BYTES, w->u.ack.id) != PL_OK)
            return PL_E_WIRE;
        return PL_OK;
    case PL_W_ERROR:
        /* SPEC §14.8: a negative code, the message it is about, a text */
        if (n != 5 || f[2].type != MSGPACK_OBJECT_NEGATIVE_INTEGER || f[2].via.i64 < -999 ||
            f[4].type != MSGPACK_OBJECT_STR || f[4].via.str.size > PL_WIRE_TEXT_MAX ||
            (f[4].via.str.size > 0 && memchr(f[4].via.str.ptr, 0, f[4].via.str.size) != NULL))
            return PL_E_WIRE;
        w->u.error.code = (int)f[2].via.i64;
        if (f[3].type == MSGPACK_OBJECT_NIL)
            w->u.error.has_id = 0;
        else if (pl_mp_get_bin(&f[3], PL_ID_BYTES, w->u.error.id) == PL_OK)
            w->u.error.has_id = 1;
        else
            return PL_E_WIRE;
        if (f[4].via.str.size > 0) /* an empty str may carry no pointer */
            memcpy(w->u.error.text, f[4].via.str.ptr, f[4].via.str.size);
        w->u.error.text[f[4].via.str.size] = '\0';
        return PL_OK;
    default:
        return PL_E_WIRE_KIND;
    }
}

int pl_wire_decode(const uint8_t *in, size_t len, pl_wire *out)
{
    msgpack_zone zone;
    msgpack_object obj;
    uint64_t version, kind;
    int rc;

    if (out == NULL)
        return PL_E_ARG;
    memset(out, 0, sizeof *out);
    /* SPEC §14.2: size, then the walk before msgpack-c sees a byte. */
    if (in == NULL || len > PL_WIRE_MAX_FRAME)
        return PL_E_TOO_BIG;
    if ((rc = pl_mp_decode(in, len, &zone, &obj)) != PL_OK)
        return rc;
    if (obj.type != MSGPACK_OBJECT_ARRAY || obj.via.array.size < 2 ||
        pl_mp_get_uint(&obj.via.array.ptr[0], &version) != PL_OK ||
        pl_mp_get_uint(&obj.via.array.ptr[1], &kind) != PL_OK)
        rc = PL_E_WIRE;
    else if (version != PL_WIRE_VERSION)
        rc = PL_E_WIRE_VERSION;
    else if (pl_wire_kind_name(kind) == NULL)
        rc = PL_E_WIRE_KIND;
    else {
        out->kind = (pl_wire_kind)kind;
        rc = decode_fields(obj.via.array.ptr, obj.via.array.size, in, len, kind, out);
    }
    msgpack_zone_destroy(&zone);
    if (rc != PL_OK)
        pl_wire_free(out);
    return rc;
}

int pl_wire_encode(const pl_wire *w, uint8_t **out, size_t *out_len)
{
    pl_packbuf b;
    msgpack_packer *pk = &b.pk;
    if (w == NULL || out == NULL || out_len == NULL)
        return PL_E_ARG;
    *out = NULL;
    *out_len = 0;
    pl_packbuf_init(&b);
    switch (w->kind) {
    case PL_W_HELLO:
        msgpack_pack_array(pk, 4);
        msgpack_pack_uint64(pk, PL_WIRE_VERSION), msgpack_pack_uint64(pk, w->kind);
        msgpack_pack_bin_with_body(pk, w->u.hello.node, PL_PK_BYTES);
        msgpack_pack_array(pk, w->u.hello.ncases);
        for (size_t i = 0; i < w->u.hello.ncases; i++)
            msgpack_pack_bin_with_body(pk, w->u.hello.cases[i], PL_CASE_ID_BYTES);
        break;
    case PL_W_HEADS:
        msgpack_pack_array(pk, 4);
        msgpack_pack_uint64(pk, PL_WIRE_VERSION), msgpack_pack_uint64(pk, w->kind);
        msgpack_pack_bin_with_body(pk, w->u.heads.case_id, PL_CASE_ID_BYTES);
        msgpack_pack_array(pk, w->u.heads.n);
        for (size_t i = 0; i < w->u.heads.n; i++) {
            msgpack_pack_array(pk, 3);
            msgpack_pack_bin_with_body(pk, w->u.heads.heads[i].author, PL_PK_BYTES);
            msgpack_pack_uint64(pk, w->u.heads.heads[i].seq);
            msgpack_pack_bin_with_body(pk, w->u.heads.heads[i].id, PL_ID_BYTES);
        }
        break;
    case PL_W_WANT:
        msgpack_pack_array(pk, 6);
        msgpack_pack_uint64(pk, PL_WIRE_VERSION), msgpack_pack_uint64(pk, w->kind);
        msgpack_pack_bin_with_body(pk, w->u.want.case_id, PL_CASE_ID_BYTES);
        msgpack_pack_bin_with_body(pk, w->u.want.author, PL_PK_BYTES);
        msgpack_pack_uint64(pk, w->u.want.from_seq);
        msgpack_pack_uint64(pk, w->u.want.max);
        break;
    case PL_W_MSG:
    case PL_W_PROOF:
        msgpack_pack_array(pk, 3);
        msgpack_pack_uint64(pk, PL_WIRE_VERSION), msgpack_pack_uint64(pk, w->kind);
        /* the embedded value, byte for byte */
        if (w->u.msg.bytes == NULL ||
            msgpack_sbuffer_write(&b.sb, (const char *)w->u.msg.bytes, w->u.msg.len) != 0)
            b.failed = 1;
        break;
    case PL_W_ACK:
        msgpack_pack_array(pk, 4);
        msgpack_pack_uint64(pk, PL_WIRE_VERSION), msgpack_pack_uint64(pk, w->kind);
        msgpack_pack_bin_with_body(pk, w->u.ack.case_id, PL_CASE_ID_BYTES);
        msgpack_pack_bin_with_body(pk, w->u.ack.id, PL_ID_BYTES);
        break;
    case PL_W_ERROR:
        msgpack_pack_array(pk, 5);
        msgpack_pack_uint64(pk, PL_WIRE_VERSION), msgpack_pack_uint64(pk, w->kind);
        msgpack_pack_int64(pk, w->u.error.code);
        if (w->u.error.has_id)
            msgpack_pack_bin_with_body(pk, w->u.error.id, PL_ID_BYTES);
        else
            msgpack_pack_nil(pk);
        msgpack_pack_str_with_body(pk, w->u.error.text, strlen(w->u.error.text));
        break;
    default:
        pl_packbuf_free(&b);
        return PL_E_WIRE_KIND;
    }
    if (b.failed) {
        pl_packbuf_free(&b);
        return PL_E_NOMEM;
    }
    /* What leaves here decodes: the receiver's own checks, run by the sender. */
    pl_wire check;
    int rc = pl_wire_decode((const uint8_t *)b.sb.data, b.sb.size, &check);
    pl_wire_free(&check);
    if (rc != PL_OK) {
        pl_packbuf_free(&b);
        return rc == PL_E_NOMEM ? rc : PL_E_ARG;
    }
    *out = pl_packbuf_take(&b, out_len);
    return PL_OK;
}
