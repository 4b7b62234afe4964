/* The bounded walk over untrusted msgpack, and small msgpack-c helpers.
 *
 * pl_mp_walk is the gate every peer-controlled byte passes before msgpack-c
 * unpacks it. It enforces Parley's canonical subset (SPEC §3) in one pass with
 * an explicit stack, so neither allocation nor recursion depends on what a
 * peer claims. msgpack-c then unpacks only values the walk accepted, which
 * bounds its allocations by the input size. */
#include <string.h>

#include <sodium.h>

#include "internal.h"

#define STACK_MAX 32

const pl_mp_limits pl_mp_default_limits = {
    .max_depth = PL_MAX_DEPTH,
    .max_count = PL_MAX_COUNT,
    .max_items = PL_MAX_ITEMS,
    .max_str = PL_STR_MAX_BYTES,
};

/* SPEC §3.4: strings are UTF-8 as RFC 3629 defines it: no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
int pl_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) {
            need = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            need = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            need = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i <= need)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += need + 1;
    }
    return 1;
}

static uint64_t be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Keys compare as byte strings; a proper prefix sorts first (SPEC §3.5). */
static int key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0)
        return c;
    return (alen > blen) - (alen < blen);
}

struct frame {
    size_t rem;         /* values still to read in this container */
    int is_map;
    const uint8_t *key; /* previous key of a map, NULL before the first */
    size_t key_len;
};

int pl_mp_walk(const uint8_t *in, size_t len, const pl_mp_limits *lim, size_t *used)
{
    struct frame st[STACK_MAX + 1];
    size_t sp = 0, pos = 0, items = 0;

    if (lim == NULL)
        lim = &pl_mp_default_limits;
    if (lim->max_depth > STACK_MAX || used == NULL)
        return PL_E_ARG;
    *used = 0;
    st[0] = (struct frame){.rem = 1};

    for (;;) {
        while (st[sp].rem == 0) {
            if (sp == 0) {
                *used = pos;
                return PL_OK;
            }
            sp--;
        }
        struct frame *f = &st[sp];
        int is_key = f->is_map && (f->rem % 2 == 0);
        f->rem--;

        if (pos >= len)
            return PL_E_TRUNCATED;
        if (++items > lim->max_items)
            return PL_E_COUNT;

        uint8_t b = in[pos++];
        size_t avail = len - pos;
        size_t hdr = 0;     /* bytes of length/value after the type byte */
        uint64_t n = 0;     /* str/bin length or container count */
        enum { SCALAR, STR, BIN, ARRAY, MAP } kind = SCALAR;

        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
            kind = SCALAR; /* fixints, nil, booleans: always canonical */
        } else if (b >= 0x80 && b <= 0x8f) {
            kind = MAP, n = b & 0x0f;
        } else if (b >= 0x90 && b <= 0x9f) {
            kind = ARRAY, n = b & 0x0f;
        } else if (b >= 0xa0 && b <= 0xbf) {
            kind = STR, n = b & 0x1f;
        } else {
            static const uint8_t width[] = {
                /* c4 bin8..c6 */ 1, 2, 4,
                /* c7 ext..cb float */ 0, 0, 0, 0, 0,
                /* cc uint8..cf */ 1, 2, 4, 8,
                /* d0 int8..d3 */ 1, 2, 4, 8,
                /* d4..d8 fixext */ 0, 0, 0, 0, 0,
                /* d9 str8..db */ 1, 2, 4,
                /* dc array16, dd */ 2, 4,
                /* de map16, df */ 2, 4,
            };
            /* SPEC §3.2: no float, no ext, and 0xc1 is never used. */
            if (b == 0xc1 || (b >= 0xc7 && b <= 0xcb) || (b >= 0xd4 && b <= 0xd8))
                return PL_E_FORBIDDEN_TYPE;
            hdr = width[b - 0xc4];
            if (avail < hdr)
                return PL_E_TRUNCATED;
            uint64_t v = be(in + pos, hdr);
            pos += hdr;
            avail -= hdr;
            /* SPEC §3.3: the shortest form msgpack allows, as msgpack-c packs. */
            int canonical = 1;
            switch (b) {
            case 0xcc: canonical = v > 0x7f; break;
            case 0xcd: canonical = v > 0xff; break;
            case 0xce: canonical = v > 0xffff; break;
            case 0xcf: canonical = v > 0xffffffffu; break;
            case 0xd0: canonical = (int8_t)v < -32; break;
            case 0xd1: canonical = (int16_t)v < INT8_MIN; break;
            case 0xd2: canonical = (int32_t)v < INT16_MIN; break;
            case 0xd3: canonical = (int64_t)v < INT32_MIN; break;
            case 0xc4: kind = BIN, n = v; break;
            case 0xc5: kind = BIN, n = v, canonical = v > 0xff; break;
            case 0xc6: kind = BIN, n = v, canonical = v > 0xffff; break;
            case 0xd9: kind = STR, n = v, canonical = v > 0x1f; break;
            case 0xda: kind = STR, n = v, canonical = v > 0xff; break;
            case 0xdb: kind = STR, n = v, canonical = v > 0xffff; break;
            case 0xdc: kind = ARRAY, n = v, canonical = v > 0x0f; break;
            case 0xdd: kind = ARRAY, n = v, canonical = v > 0xffff; break;
            case 0xde: kind = MAP, n = v, canonical = v > 0x0f; break;
            case 0xdf: kind = MAP, n = v, canonical = v > 0xffff; break;
            default: break;
            }
            if (!canonical)
                return PL_E_NONCANONICAL;
        }

        /* SPEC §3.5: map keys are strings, strictly ascending. */
        if (is_key && kind != STR)
            return PL_E_MAP_KEY;

        switch (kind) {
        case SCALAR:
            break;
        case STR:
        case BIN:
            /* Limits first, then the input, as for containers below. */
            if (n > lim->max_str)
                return PL_E_STR_LEN;
            if (n > avail)
                return PL_E_TRUNCATED;
            if (kind == STR && !pl_utf8_valid(in + pos, (size_t)n))
                return PL_E_UTF8;
            if (is_key) {
                if (f->key != NULL && key_cmp(f->key, f->key_len, in + pos, (size_t)n) >= 0)
                    return PL_E_MAP_ORDER;
                f->key = in + pos;
                f->key_len = (size_t)n;
            }
            pos += (size_t)n;
            break;
        case ARRAY:
        case MAP:
            /* Every element takes at least one byte: a count the remaining
             * input cannot hold is rejected before anything trusts it. */
            if (n > lim->max_count)
                return PL_E_COUNT;
            if ((kind == MAP ? 2 * n : n) > avail)
                return PL_E_TRUNCATED;
            if (sp + 1 > lim->max_depth)
                return PL_E_DEPTH;
            st[++sp] = (struct frame){.rem = (size_t)(kind == MAP ? 2 * n : n),
                                      .is_map = kind == MAP};
            break;
        }
    }
}

int pl_mp_unpack(const uint8_t *in, size_t len, msgpack_zone *zone, msgpack_object *obj)
{
    size_t off = 0;
    msgpack_unpack_return r = msgpack_unpack((const char *)in, len, &off, zone, obj);
    if (r == MSGPACK_UNPACK_NOMEM_ERROR)
        return PL_E_NOMEM;
    if ((r != MSGPACK_UNPACK_SUCCESS && r != MSGPACK_UNPACK_EXTRA_BYTES) || off != len)
        return PL_E_TRUNCATED;
    return PL_OK;
}

int pl_mp_decode(const uint8_t *in, size_t len, msgpack_zone *zone, msgpack_object *obj)
{
    size_t used;
    int rc = pl_mp_walk(in, len, NULL, &used);
    if (rc != PL_OK)
        return rc;
    if (used != len)
        return PL_E_TRAILING;
    if (!msgpack_zone_init(zone, 4096))
        return PL_E_NOMEM;
    if ((rc = pl_mp_unpack(in, len, zone, obj)) != PL_OK)
        msgpack_zone_destroy(zone);
    return rc;
}

int pl_mp_check(const uint8_t *in, size_t len)
{
    size_t used;
    int rc = in ? pl_mp_walk(in, len, NULL, &used) : PL_E_ARG;
    return rc != PL_OK ? rc : used != len ? PL_E_TRAILING : PL_OK;
}

int pl_mp_get_uint(const msgpack_object *o, uint64_t *v)
{
    if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return PL_E_SCHEMA;
    *v = o->via.u64;
    return PL_OK;
}

int pl_mp_get_bin(const msgpack_object *o, size_t n, uint8_t *out)
{
    if (o->type != MSGPACK_OBJECT_BIN || o->via.bin.size != n)
        return PL_E_SCHEMA;
    memcpy(out, o->via.bin.ptr, n);
    return PL_OK;
}

int pl_mp_get_array(const msgpack_object *o, uint32_t n, const msgpack_object **items)
{
    if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != n)
        return PL_E_SCHEMA;
    *items = o->via.array.ptr;
    return PL_OK;
}

static int packbuf_write(void *data, const char *buf, size_t len)
{
    pl_packbuf *b = data;
    if (b->failed)
        return -1;
    /* msgpack_sbuffer_write aborts nothing but returns -1 on realloc failure. */
    if (msgpack_sbuffer_write(&b->sb, buf, len) != 0) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

void pl_packbuf_init(pl_packbuf *b)
{
    msgpack_sbuffer_init(&b->sb);
    msgpack_packer_init(&b->pk, b, packbuf_write);
    b->failed = 0;
}

void pl_packbuf_free(pl_packbuf *b)
{
    msgpack_sbuffer_destroy(&b->sb);
    msgpack_sbuffer_init(&b->sb);
}

uint8_t *pl_packbuf_take(pl_packbuf *b, size_t *len)
{
    *len = b->sb.size;
    return (uint8_t *)msgpack_sbuffer_release(&b->sb);
}

void pl_hash3(uint8_t out[PL_HASH_BYTES], const void *a, size_t alen, const void *b,
              size_t blen, const void *c, size_t clen)
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, PL_HASH_BYTES);
    if (alen)
        crypto_generichash_update(&st, a, alen);
    if (blen)
        crypto_generichash_update(&st, b, blen);
    if (clen)
        crypto_generichash_update(&st, c, clen);
    crypto_generichash_final(&st, out, PL_HASH_BYTES);
}
