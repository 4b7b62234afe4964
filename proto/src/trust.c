/* Trust anchors and endorsements (SPEC §16.5).
 *
 * An endorsement is the canonical array [issuer, statement, signature]:
 * the statement a map whose exact bytes the issuer signed after the
 * context "parley/v2/endorsement" and its zero byte, so it can never pass
 * for a message or any other signature of the protocol (SPEC §10.2). The
 * trust file around endorsements is text, so the person who keeps it can
 * read what it trusts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

static const char endorse_ctx[] = "parley/v2/endorsement"; /* with its NUL: 22 bytes */

struct anchor {
    pl_role role;
    uint8_t pk[PL_PK_BYTES];
    char name[PL_TRUST_NAME_MAX + 1];
};

struct pl_trust {
    struct anchor *a;
    size_t na, capa;
    pl_endorsement *e;
    uint8_t **raw; /* each endorsement's bytes, for writing the file back */
    size_t *rawlen;
    size_t ne, cape;
};

/* ---- endorsements --------------------------------------------------------------- */

/* Text a person reads: 1..max bytes of UTF-8 with no control character. */
static int text_ok(const char *s, size_t max, int required)
{
    size_t n = strlen(s);
    if (n == 0)
        return !required;
    if (n > max || !pl_utf8_valid((const uint8_t *)s, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

static int statement_ok(const pl_endorsement *e)
{
    if (e->role != PL_ROLE_PROSECUTION && e->role != PL_ROLE_COUNSEL)
        return 0;
    if (!text_ok(e->name, PL_TRUST_NAME_MAX, 1) || !text_ok(e->unit, PL_TRUST_NAME_MAX, 1) ||
        e->not_before > e->not_after)
        return 0;
    int counsel = e->role == PL_ROLE_COUNSEL;
    /* SPEC §16.5: a lawyer's endorsement names the licence and the bar */
    return text_ok(e->licence, PL_TRUST_LICENCE_MAX, counsel) &&
           text_ok(e->bar, PL_TRUST_NAME_MAX, counsel) &&
           (counsel || (e->licence[0] == '\0' && e->bar[0] == '\0'));
}

static void put_str(msgpack_packer *pk, const char *k, const char *v)
{
    msgpack_pack_str_with_body(pk, k, strlen(k));
    msgpack_pack_str_with_body(pk, v, strlen(v));
}

/* The statement's canonical map: keys in ascending bytewise order. */
static int statement_encode(const pl_endorsement *e, pl_packbuf *b)
{
    int counsel = e->role == PL_ROLE_COUNSEL;
    msgpack_pack_map(&b->pk, counsel ? 8 : 6);
    if (counsel)
        put_str(&b->pk, "bar", e->bar);
    if (counsel)
        put_str(&b->pk, "licence", e->licence);
    put_str(&b->pk, "name", e->name);
    msgpack_pack_str_with_body(&b->pk, "not_after", 9);
    msgpack_pack_uint64(&b->pk, e->not_after);
    msgpack_pack_str_with_body(&b->pk, "not_before", 10);
    msgpack_pack_uint64(&b->pk, e->not_before);
    put_str(&b->pk, "role", pl_role_name(e->role));
    msgpack_pack_str_with_body(&b->pk, "subject", 7);
    msgpack_pack_bin_with_body(&b->pk, e->subject, PL_PK_BYTES);
    put_str(&b->pk, "unit", e->unit);
    return b->failed ? PL_E_NOMEM : PL_OK;
}

static void sign_input(const uint8_t *st, size_t n, uint8_t *out)
{
    memcpy(out, endorse_ctx, sizeof endorse_ctx);
    memcpy(out + sizeof endorse_ctx, st, n);
}

int pl_endorsement_make(const pl_key *issuer, pl_endorsement *e, uint8_t *out, size_t cap,
                        size_t *len)
{
    if (issuer == NULL || e == NULL || len == NULL)
        return PL_E_ARG;
    memcpy(e->issuer, pl_key_pk(issuer), PL_PK_BYTES);
    if (!statement_ok(e))
        return PL_E_TRUST;
    pl_packbuf st;
    pl_packbuf_init(&st);
    int rc = statement_encode(e, &st);
    size_t n = 1 + 2 + PL_PK_BYTES + st.sb.size + 2 + PL_SIG_BYTES;
    *len = n;
    if (rc == PL_OK && (n > cap || out == NULL))
        rc = PL_E_BUFSIZE;
    if (rc == PL_OK) {
        uint8_t in[sizeof endorse_ctx + PL_ENDORSEMENT_MAX_BYTES], sig[PL_SIG_BYTES];
        if (st.sb.size > PL_ENDORSEMENT_MAX_BYTES) {
            pl_packbuf_free(&st);
            return PL_E_TRUST;
        }
        sign_input((const uint8_t *)st.sb.data, st.sb.size, in);
        pl_key_sign(issuer, in, sizeof endorse_ctx + st.sb.size, sig);
        size_t o = 0;
        out[o++] = 0x93;
        out[o++] = 0xc4, out[o++] = PL_PK_BYTES;
        memcpy(out + o, e->issuer, PL_PK_BYTES), o += PL_PK_BYTES;
        memcpy(out + o, st.sb.data, st.sb.size), o += st.sb.size;
        out[o++] = 0xc4, out[o++] = PL_SIG_BYTES;
        memcpy(out + o, sig, PL_SIG_BYTES);
    }
    pl_packbuf_free(&st);
    return rc;
}

static int copy_str(const msgpack_object *v, char *out, size_t max)
{
    if (v->type != MSGPACK_OBJECT_STR || v->via.str.size > max ||
        memchr(v->via.str.ptr, 0, v->via.str.size) != NULL)
        return 0;
    memcpy(out, v->via.str.ptr, v->via.str.size);
    out[v->via.str.size] = '\0';
    return 1;
}

int pl_endorsement_verify(const uint8_t *in, size_t len, pl_endorsement *e)
{
    size_t used;
    if (in == NULL || e == NULL)
        return PL_E_ARG;
    memset(e, 0, sizeof e[0]);
    /* [bin32 issuer, map statement, bin64 signature], canonical (SPEC §3) */
    if (len > PL_ENDORSEMENT_MAX_BYTES || len < 3 + PL_PK_BYTES + 2 + PL_SIG_BYTES ||
        in[0] != 0x93 || in[1] != 0xc4 || in[2] != PL_PK_BYTES ||
        pl_mp_walk(in, len, NULL, &used) != PL_OK || used != len)
        return PL_E_TRUST;
    const uint8_t *st = in + 3 + PL_PK_BYTES;
    size_t stlen;
    if (pl_mp_walk(st, len - 3 - PL_PK_BYTES, NULL, &stlen) != PL_OK ||
        3 + PL_PK_BYTES + stlen + 2 + PL_SIG_BYTES != len || st[stlen] != 0xc4 ||
        st[stlen + 1] != PL_SIG_BYTES)
        return PL_E_TRUST;
    msgpack_zone zone;
    msgpack_object obj;
    if (pl_mp_decode(st, stlen, &zone, &obj) != PL_OK)
        return PL_E_TRUST;
    int ok = obj.type == MSGPACK_OBJECT_MAP, have = 0;
    for (uint32_t k = 0; ok && k < obj.via.map.size; k++) {
        const msgpack_object *key = &obj.via.map.ptr[k].key, *v = &obj.via.map.ptr[k].val;
        char name[16] = "";
        ok = copy_str(key, name, sizeof name - 1);
        if (!ok)
            break;
        if (strcmp(name, "bar") == 0)
            ok = copy_str(v, e->bar, PL_TRUST_NAME_MAX), have |= 1;
        else if (strcmp(name, "licence") == 0)
            ok = copy_str(v, e->licence, PL_TRUST_LICENCE_MAX), have |= 2;
        else if (strcmp(name, "name") == 0)
            ok = copy_str(v, e->name, PL_TRUST_NAME_MAX), have |= 4;
        else if (strcmp(name, "not_after") == 0)
            ok = pl_mp_get_uint(v, &e->not_after) == PL_OK, have |= 8;
        else if (strcmp(name, "not_before") == 0)
            ok = pl_mp_get_uint(v, &e->not_before) == PL_OK, have |= 16;
        else if (strcmp(name, "role") == 0) {
            char r[16] = "";
            ok = copy_str(v, r, sizeof r - 1);
            e->role = ok ? pl_role_from_name(r, strlen(r)) : PL_ROLE_NONE;
            have |= 32;
        } else if (strcmp(name, "subject") == 0)
            ok = pl_mp_get_bin(v, PL_PK_BYTES, e->subject) == PL_OK, have |= 64;
        else if (strcmp(name, "unit") == 0)
            ok = copy_str(v, e->unit, PL_TRUST_NAME_MAX), have |= 128;
        else
            ok = 0; /* an unknown key */
    }
    msgpack_zone_destroy(&zone);
    /* name, not_after, not_before, role, subject, unit are required; bar
     * and licence exactly for counsel (statement_ok) */
    /* bar and licence are absent, not empty, unless the role is counsel */
    if (ok && e->role != PL_ROLE_COUNSEL && (have & 3) != 0)
        ok = 0;
    if (!ok || (have & 0xfc) != 0xfc || !statement_ok(e))
        return memset(e, 0, sizeof e[0]), PL_E_TRUST;
    memcpy(e->issuer, in + 3, PL_PK_BYTES);
    uint8_t sin[sizeof endorse_ctx + PL_ENDORSEMENT_MAX_BYTES];
    sign_input(st, stlen, sin);
    if (crypto_sign_verify_detached(st + stlen + 2, sin, sizeof endorse_ctx + stlen, e->issuer) != 0)
        return memset(e, 0, sizeof e[0]), PL_E_TRUST;
    return PL_OK;
}

/* ---- the set --------------------------------------------------------------------- */

pl_trust *pl_trust_new(void)
{
    return calloc(1, sizeof(pl_trust));
}

void pl_trust_free(pl_trust **tp)
{
    if (tp == NULL || *tp == NULL)
        return;
    pl_trust *t = *tp;
    for (size_t i = 0; i < t->ne; i++)
        free(t->raw[i]);
    free(t->a), free(t->e), free(t->raw), free(t->rawlen), free(t);
    *tp = NULL;
}

int pl_trust_add_anchor(pl_trust *t, pl_role role, const uint8_t pk[PL_PK_BYTES],
                        const char *name)
{
    if (t == NULL || pk == NULL || name == NULL)
        return PL_E_ARG;
    if ((role != PL_ROLE_PROSECUTION && role != PL_ROLE_COUNSEL) ||
        !text_ok(name, PL_TRUST_NAME_MAX, 1) || t->na + t->ne >= PL_TRUST_MAX_ENTRIES)
        return PL_E_TRUST;
    for (size_t i = 0; i < t->na; i++)
        if (memcmp(t->a[i].pk, pk, PL_PK_BYTES) == 0)
            return PL_E_TRUST;
    if (t->na == t->capa) {
        size_t cap = t->capa ? 2 * t->capa : 8;
        struct anchor *g = realloc(t->a, cap * sizeof *g);
        if (g == NULL)
            return PL_E_NOMEM;
        t->a = g, t->capa = cap;
    }
    struct anchor *a = &t->a[t->na++];
    a->role = role;
    memcpy(a->pk, pk, PL_PK_BYTES);
    snprintf(a->name, sizeof a->name, "%s", name);
    return PL_OK;
}

int pl_trust_add_endorsement(pl_trust *t, const uint8_t *in, size_t len)
{
    pl_endorsement e;
    if (t == NULL || in == NULL)
        return PL_E_ARG;
    int rc = pl_endorsement_verify(in, len, &e);
    if (rc != PL_OK)
        return rc;
    if (t->na + t->ne >= PL_TRUST_MAX_ENTRIES)
        return PL_E_TRUST;
    if (t->ne == t->cape) {
        size_t cap = t->cape ? 2 * t->cape : 8;
        pl_endorsement *g = realloc(t->e, cap * sizeof *g);
        if (g == NULL)
            return PL_E_NOMEM;
        t->e = g;
        uint8_t **r = realloc(t->raw, cap * sizeof *r);
        if (r == NULL)
            return PL_E_NOMEM;
        t->raw = r;
        size_t *rl = realloc(t->rawlen, cap * sizeof *rl);
        if (rl == NULL)
            return PL_E_NOMEM;
        t->rawlen = rl, t->cape = cap;
    }
    if ((t->raw[t->ne] = malloc(len)) == NULL)
        return PL_E_NOMEM;
    memcpy(t->raw[t->ne], in, len);
    t->rawlen[t->ne] = len;
    t->e[t->ne++] = e;
    return PL_OK;
}

size_t pl_trust_anchors(const pl_trust *t)
{
    return t ? t->na : 0;
}

size_t pl_trust_endorsements(const pl_trust *t)
{
    return t ? t->ne : 0;
}

int pl_trust_anchor(const pl_trust *t, size_t i, pl_role *role, uint8_t pk[PL_PK_BYTES],
                    const char **name)
{
    if (t == NULL || i >= t->na)
        return PL_E_ARG;
    *role = t->a[i].role;
    memcpy(pk, t->a[i].pk, PL_PK_BYTES);
    *name = t->a[i].name;
    return PL_OK;
}

int pl_trust_endorsement(const pl_trust *t, size_t i, pl_endorsement *e)
{
    if (t == NULL || i >= t->ne)
        return PL_E_ARG;
    *e = t->e[i];
    return PL_OK;
}

/* ---- the file -------------------------------------------------------------------- */

static const char magic_line[] = "parley trust v1";

static int unhex(const char *s, size_t n, uint8_t *out, size_t cap, size_t *len)
{
    size_t bin;
    const char *end;
    if (sodium_hex2bin(out, cap, s, n, NULL, &bin, &end) != 0 || end != s + n)
        return -1;
    *len = bin;
    return 0;
}

int pl_trust_parse(const char *text, size_t len, pl_trust **out, size_t *bad_line)
{
    size_t line = 0, dummy;
    if (bad_line == NULL)
        bad_line = &dummy;
    *bad_line = 0;
    if (text == NULL || out == NULL)
        return PL_E_ARG;
    *out = NULL;
    if (len > PL_TRUST_MAX_BYTES || memchr(text, 0, len) != NULL)
        return PL_E_TRUST;
    pl_trust *t = pl_trust_new();
    if (t == NULL)
        return PL_E_NOMEM;
    int seen_magic = 0, rc = PL_OK;
    size_t off = 0;
    while (off < len && rc == PL_OK) {
        const char *p = text + off;
        const char *nl = memchr(p, '\n', len - off);
        size_t n = nl ? (size_t)(nl - p) : len - off;
        off += n + (nl != NULL);
        line++;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n == 0 || p[0] == '#')
            continue;
        char buf[4096];
        if (n >= sizeof buf) {
            rc = PL_E_TRUST;
            break;
        }
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (!seen_magic) {
            /* SPEC §16.5: the first entry says what the file is */
            rc = strcmp(buf, magic_line) == 0 ? PL_OK : PL_E_TRUST;
            seen_magic = 1;
            continue;
        }
        if (strncmp(buf, "anchor ", 7) == 0) {
            char *role = buf + 7, *sp = strchr(role, ' ');
            uint8_t pk[PL_PK_BYTES];
            size_t pl;
            if (sp == NULL || strlen(sp + 1) < 2 * PL_PK_BYTES + 2 ||
                sp[1 + 2 * PL_PK_BYTES] != ' ' ||
                unhex(sp + 1, 2 * PL_PK_BYTES, pk, sizeof pk, &pl) != 0 || pl != PL_PK_BYTES) {
                rc = PL_E_TRUST;
                break;
            }
            *sp = '\0';
            rc = pl_trust_add_anchor(t, pl_role_from_name(role, strlen(role)), pk,
                                     sp + 2 + 2 * PL_PK_BYTES);
        } else if (strncmp(buf, "endorsement ", 12) == 0) {
            uint8_t e[PL_ENDORSEMENT_MAX_BYTES];
            size_t el;
            rc = unhex(buf + 12, strlen(buf + 12), e, sizeof e, &el) == 0
                     ? pl_trust_add_endorsement(t, e, el)
                     : PL_E_TRUST;
        } else {
            rc = PL_E_TRUST; /* an unknown entry: refused, never skipped */
        }
    }
    if (rc == PL_OK && !seen_magic)
        rc = PL_E_TRUST, line = 0;
    if (rc != PL_OK) {
        *bad_line = line;
        pl_trust_free(&t);
        return rc == PL_E_NOMEM ? rc : PL_E_TRUST;
    }
    *out = t;
    return PL_OK;
}

int pl_trust_write(const pl_trust *t, char **out)
{
    if (t == NULL || out == NULL)
        return PL_E_ARG;
    size_t cap = 256 + t->na * (PL_TRUST_NAME_MAX + 100);
    for (size_t i = 0; i < t->ne; i++)
        cap += 16 + 2 * t->rawlen[i];
    char *s = malloc(cap), *p = s;
    if (s == NULL)
        return PL_E_NOMEM;
    p += sprintf(p, "%s\n# anchor ROLE KEY NAME: a key that vouches for the keys of its role "
                    "(SPEC §16.5)\n# endorsement HEX: an anchor's signed statement about one key\n",
                 magic_line);
    for (size_t i = 0; i < t->na; i++) {
        char hex[2 * PL_PK_BYTES + 1];
        sodium_bin2hex(hex, sizeof hex, t->a[i].pk, PL_PK_BYTES);
        p += sprintf(p, "anchor %s %s %s\n", pl_role_name(t->a[i].role), hex, t->a[i].name);
    }
    for (size_t i = 0; i < t->ne; i++) {
        p += sprintf(p, "endorsement ");
        sodium_bin2hex(p, 2 * t->rawlen[i] + 1, t->raw[i], t->rawlen[i]);
        p += 2 * t->rawlen[i];
        *p++ = '\n';
    }
    *p = '\0';
    *out = s;
    return PL_OK;
}

/* ---- the check ------------------------------------------------------------------- */

static const struct anchor *anchor_of(const pl_trust *t, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; t && i < t->na; i++)
        if (memcmp(t->a[i].pk, pk, PL_PK_BYTES) == 0)
            return &t->a[i];
    return NULL;
}

int pl_trust_check(const pl_trust *t, pl_role role, const uint8_t pk[PL_PK_BYTES],
                   uint64_t at_ms, pl_trust_result *r)
{
    pl_trust_result dummy;
    if (r == NULL)
        r = &dummy;
    memset(r, 0, sizeof *r);
    if (pk == NULL)
        return PL_E_ARG;
    if (role != PL_ROLE_PROSECUTION && role != PL_ROLE_COUNSEL) {
        snprintf(r->why, sizeof r->why,
                 "no institution vouches for a %s's key; compare it with the person",
                 pl_role_name(role));
        return PL_E_UNTRUSTED;
    }
    const struct anchor *a = anchor_of(t, pk);
    if (a != NULL && a->role == role) {
        r->anchor = 1;
        r->anchor_name = a->name;
        return PL_OK;
    }
    int expired = 0;
    for (size_t i = 0; t && i < t->ne; i++) {
        const pl_endorsement *e = &t->e[i];
        const struct anchor *by = anchor_of(t, e->issuer);
        if (memcmp(e->subject, pk, PL_PK_BYTES) != 0 || e->role != role || by == NULL ||
            by->role != role)
            continue;
        if (at_ms < e->not_before || at_ms > e->not_after) {
            expired = 1;
            continue;
        }
        r->by = *e;
        r->anchor_name = by->name;
        return PL_OK;
    }
    snprintf(r->why, sizeof r->why,
             expired ? "its endorsement was not valid when it signed"
                     : "no %s anchor in the trust file vouches for this key",
             pl_role_name(role));
    return PL_E_UNTRUSTED;
}
