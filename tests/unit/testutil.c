/* Test helpers: deterministic keys, case ids, signed messages, vector files
 * and msgpack from JSON. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>
#include <sodium.h>

#include "testutil.h"

pl_key *tu_key(unsigned n)
{
    uint8_t seed[PL_SEED_BYTES];
    memset(seed, (int)(n + 1), sizeof seed);
    return pl_key_from_seed(seed);
}

void tu_case(unsigned n, uint8_t out[PL_CASE_ID_BYTES])
{
    memset(out, (int)(0xc0 + n), PL_CASE_ID_BYTES);
}

size_t tu_body(const char *text, uint8_t *out, size_t cap)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 1);
    msgpack_pack_str_with_body(&pk, "text", 4);
    msgpack_pack_str_with_body(&pk, text, strlen(text));
    size_t n = sb.size;
    if (n > cap)
        abort();
    memcpy(out, sb.data, n);
    msgpack_sbuffer_destroy(&sb);
    return n;
}

static int ref_cmp(const void *a, const void *b)
{
    return memcmp(((const pl_ref *)a)->author, ((const pl_ref *)b)->author, PL_PK_BYTES);
}

pl_msg *tu_msg(const pl_key *k, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_msg *prev,
               const pl_msg *const *refs, size_t nrefs, uint64_t ts, uint64_t type,
               const char *text)
{
    pl_header h;
    uint8_t body[4096];
    pl_msg *m = NULL;

    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, case_id, PL_CASE_ID_BYTES);
    h.seq = prev ? pl_msg_header(prev)->seq + 1 : 1;
    h.has_prev = prev != NULL;
    if (prev)
        memcpy(h.prev, pl_msg_id(prev), PL_ID_BYTES);
    h.nrefs = nrefs;
    for (size_t i = 0; i < nrefs; i++) {
        memcpy(h.refs[i].author, pl_msg_header(refs[i])->author, PL_PK_BYTES);
        h.refs[i].seq = pl_msg_header(refs[i])->seq;
        memcpy(h.refs[i].id, pl_msg_id(refs[i]), PL_ID_BYTES);
    }
    qsort(h.refs, nrefs, sizeof h.refs[0], ref_cmp);
    h.timestamp_ms = ts;
    h.type = type;
    size_t blen = tu_body(text, body, sizeof body);
    if (pl_msg_sign(&h, body, blen, k, &m) != PL_OK)
        abort();
    return m;
}

uint8_t *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0, r;
    uint8_t *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            uint8_t *g = realloc(buf, cap *= 2);
            if (g == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = g;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

void tu_hex(const uint8_t *in, size_t len, char *out)
{
    sodium_bin2hex(out, 2 * len + 1, in, len);
}

long tu_unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n;
    if (sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &n, NULL) != 0)
        return -1;
    return (long)n;
}

void tu_log_verdict(const uint8_t *file, size_t file_len, char *outs, size_t cap)
{
    uint8_t case_id[PL_CASE_ID_BYTES];
    size_t off, mlen;
    const uint8_t *m;
    outs[0] = '\0';
    int rc = pl_logfile_open(file, file_len, case_id, &off);
    if (rc != PL_OK) {
        snprintf(outs, cap, "%s", pl_errname(rc));
        return;
    }
    pl_verifier *v = pl_verifier_new(case_id, NULL);
    int proof_err[64];
    size_t nproofs = 0;
    while ((rc = pl_logfile_next(file, file_len, &off, &m, &mlen)) == PL_OK) {
        if (mlen > 0 && m[0] == 0x95) { /* SPEC §8.3 step 4 (v2): a proof */
            pl_equiv_info info;
            int prc = pl_equiv_proof_verify(m, mlen, &info);
            if (prc == PL_OK && memcmp(info.case_id, case_id, PL_CASE_ID_BYTES) != 0)
                prc = PL_E_CASE;
            if (nproofs < 64)
                proof_err[nproofs++] = prc == PL_OK ? PL_E_EQUIVOCATION : prc;
            continue;
        }
        (void)!pl_verifier_add(v, m, mlen);
    }
    (void)!pl_verifier_finish(v);
    const pl_verify_report *r = pl_verifier_report(v);
    for (size_t i = 0; i < r->nproblems; i++) {
        size_t used = strlen(outs);
        snprintf(outs + used, cap - used, "%s%s", i ? "," : "", pl_errname(r->problems[i].code));
    }
    for (size_t i = 0; i < nproofs; i++) {
        size_t used = strlen(outs);
        snprintf(outs + used, cap - used, "%s%s", used ? "," : "", pl_errname(proof_err[i]));
    }
    if (rc < 0) {
        size_t used = strlen(outs);
        snprintf(outs + used, cap - used, "%s%s", used ? "," : "", pl_errname(rc));
    }
    if (outs[0] == '\0')
        snprintf(outs, cap, "ok");
    pl_verifier_destroy(&v);
}


const char *tu_rec_get(const tu_rec *r, const char *key)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->key[i], key) == 0)
            return r->val[i];
    return NULL;
}

int tu_vec_each(const char *path, void (*fn)(const tu_rec *r, void *ctx), void *ctx)
{
    size_t len;
    char *text = (char *)tu_read_file(path, &len);
    if (text == NULL)
        return -1;
    char *buf = realloc(text, len + 1);
    if (buf == NULL) {
        free(text);
        return -1;
    }
    buf[len] = '\0';
    int count = 0;
    tu_rec r = {.n = 0};
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
        /* strtok_r skips blank lines, so a record ends at the next "name:" */
        if (line == NULL || strncmp(line, "name: ", 6) == 0) {
            if (r.n > 0) {
                fn(&r, ctx);
                count++;
            }
            r.n = 0;
            if (line == NULL)
                break;
        }
        if (line[0] == '#')
            continue;
        char *colon = strstr(line, ": ");
        if (colon == NULL || r.n == TU_VEC_MAX_FIELDS) {
            free(buf);
            return -1;
        }
        *colon = '\0';
        r.key[r.n] = line;
        r.val[r.n++] = colon + 2;
    }
    free(buf);
    return count;
}

uint8_t *tu_unhex_alloc(const char *hex, size_t *n)
{
    size_t cap = strlen(hex) / 2 + 1;
    uint8_t *b = malloc(cap);
    long got = b ? tu_unhex(hex, b, cap) : -1;
    if (got < 0) {
        free(b);
        return NULL;
    }
    *n = (size_t)got;
    return b;
}

/* ---- one-line JSON to msgpack, keys in the order given ------------------ */

struct jp {
    const char *s;   /* the next character to read */
    char *str;       /* scratch for one string (see tu_json_msgpack) */
    const char *why; /* the problem found, NULL while there is none */
};

static int j_fail(struct jp *p, const char *why)
{
    p->why = why;
    return -1;
}

static void j_ws(struct jp *p)
{
    while (*p->s == ' ')
        p->s++;
}

static int j_hexdigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Exactly n hex digits at s. Not sscanf("%2x"), which also takes a sign or
 * fewer digits and would then step over what follows them. */
static int j_hex(const char *s, int n, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        int d = j_hexdigit(s[i]); /* stops at the NUL, so no read past it */
        if (d < 0)
            return -1;
        *v = *v << 4 | (unsigned)d;
    }
    return 0;
}

/* One escape, the backslash read: \" \\ \n \t \uXXXX (BMP, put as UTF-8
 * without checks, so a lone surrogate can be written on purpose) and, beyond
 * JSON, \xNN for a raw byte; any other escaped character stands for itself.
 * Appends to p->str at *n. */
static int j_escape(struct jp *p, size_t *n)
{
    char e = *p->s++;
    unsigned v;
    if (e == '\0') /* a backslash at the very end */
        return j_fail(p, "unterminated string");
    if (e == 'u') {
        if (j_hex(p->s, 4, &v) != 0)
            return j_fail(p, "bad \\u escape");
        p->s += 4;
        if (v < 0x80) {
            p->str[(*n)++] = (char)v;
        } else if (v < 0x800) {
            p->str[(*n)++] = (char)(0xc0 | (v >> 6));
            p->str[(*n)++] = (char)(0x80 | (v & 0x3f));
        } else {
            p->str[(*n)++] = (char)(0xe0 | (v >> 12));
            p->str[(*n)++] = (char)(0x80 | ((v >> 6) & 0x3f));
            p->str[(*n)++] = (char)(0x80 | (v & 0x3f));
        }
        return 0;
    }
    if (e == 'x') {
        if (j_hex(p->s, 2, &v) != 0)
            return j_fail(p, "bad \\x escape");
        p->s += 2;
        e = (char)v;
    } else if (e == 'n') {
        e = '\n';
    } else if (e == 't') {
        e = '\t';
    }
    p->str[(*n)++] = e;
    return 0;
}

/* A JSON string into p->str; its length in *len. */
static int j_string(struct jp *p, size_t *len)
{
    size_t n = 0;
    if (*p->s != '"')
        return j_fail(p, "expected a string");
    p->s++;
    while (*p->s != '"') {
        char c = *p->s++;
        if (c == '\0')
            return j_fail(p, "unterminated string");
        if (c != '\\')
            p->str[n++] = c;
        else if (j_escape(p, &n) != 0)
            return -1;
    }
    p->s++;
    *len = n;
    return 0;
}

static int j_value(struct jp *p, msgpack_packer *pk);

/* An integer from INT64_MIN to UINT64_MAX, in its shortest msgpack form. */
static int j_int(struct jp *p, msgpack_packer *pk)
{
    int neg = *p->s == '-';
    const char *digits = p->s + neg;
    char *end;
    if (*digits < '0' || *digits > '9') /* strtoull would take a space or sign */
        return j_fail(p, "bad number");
    errno = 0;
    unsigned long long v = strtoull(digits, &end, 10);
    if (errno == ERANGE || (neg && v > (unsigned long long)INT64_MAX + 1))
        return j_fail(p, "number out of range");
    p->s = end;
    if (!neg)
        msgpack_pack_uint64(pk, v);
    else if (v == (unsigned long long)INT64_MAX + 1) /* -v would overflow */
        msgpack_pack_int64(pk, INT64_MIN);
    else
        msgpack_pack_int64(pk, -(int64_t)v);
    return 0;
}

/* "@N*c" (beyond JSON) is a string of N copies of the character c: the
 * longest strings a limit allows, without writing them out. */
static int j_repeat(struct jp *p, msgpack_packer *pk)
{
    char block[256];
    char *end;
    if (p->s[1] < '0' || p->s[1] > '9')
        return j_fail(p, "bad @N*c");
    errno = 0;
    unsigned long long n = strtoull(p->s + 1, &end, 10);
    /* A typo in N should fail here, not fill the memory. */
    if (errno == ERANGE || n > 1u << 24 || end[0] != '*' || end[1] == '\0')
        return j_fail(p, "bad @N*c");
    memset(block, end[1], sizeof block);
    p->s = end + 2;
    msgpack_pack_str(pk, (size_t)n);
    while (n > 0) {
        size_t k = n < sizeof block ? (size_t)n : sizeof block;
        msgpack_pack_str_body(pk, block, k);
        n -= k;
    }
    return 0;
}

/* The members of an object or array, the opening bracket read; keys are
 * packed in the order given, so unsorted maps can be made on purpose. */
static int j_members(struct jp *p, msgpack_packer *pk, char open, uint32_t *count)
{
    char close = open == '{' ? '}' : ']';
    size_t n;
    j_ws(p);
    while (*p->s != close) {
        if (*count > 0) {
            if (*p->s != ',')
                return j_fail(p, "expected ,");
            p->s++;
            j_ws(p);
        }
        if (open == '{') {
            if (j_string(p, &n) != 0)
                return -1;
            msgpack_pack_str_with_body(pk, p->str, n);
            j_ws(p);
            if (*p->s != ':')
                return j_fail(p, "expected :");
            p->s++;
        }
        if (j_value(p, pk) != 0)
            return -1;
        j_ws(p);
        (*count)++;
    }
    p->s++;
    return 0;
}

static int j_value(struct jp *p, msgpack_packer *pk)
{
    size_t n;
    j_ws(p);
    char c = *p->s;
    if (c == '"') {
        if (j_string(p, &n) != 0)
            return -1;
        msgpack_pack_str_with_body(pk, p->str, n);
    } else if (c == '@') {
        return j_repeat(p, pk);
    } else if (c == '{' || c == '[') {
        /* Pack the members into a scratch buffer to count them first. */
        msgpack_sbuffer sb;
        msgpack_packer sub;
        uint32_t count = 0;
        msgpack_sbuffer_init(&sb);
        msgpack_packer_init(&sub, &sb, msgpack_sbuffer_write);
        p->s++;
        int rc = j_members(p, &sub, c, &count);
        if (rc == 0) {
            if (c == '{')
                msgpack_pack_map(pk, count);
            else
                msgpack_pack_array(pk, count);
            /* Raw bytes, no header; an empty one has no buffer at all. */
            if (sb.size > 0)
                msgpack_pack_str_body(pk, sb.data, sb.size);
        }
        msgpack_sbuffer_destroy(&sb);
        return rc;
    } else if (strncmp(p->s, "true", 4) == 0) {
        msgpack_pack_true(pk), p->s += 4;
    } else if (strncmp(p->s, "false", 5) == 0) {
        msgpack_pack_false(pk), p->s += 5;
    } else if (strncmp(p->s, "null", 4) == 0) {
        msgpack_pack_nil(pk), p->s += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        return j_int(p, pk);
    } else {
        return j_fail(p, "unexpected character");
    }
    return 0;
}

uint8_t *tu_json_msgpack(const char *json, size_t *len, const char **why)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    /* No escape gives more bytes than it is written with, so a string never
     * needs more room than the whole text. */
    struct jp p = {json, malloc(strlen(json) + 1), NULL};
    if (p.str == NULL) {
        *why = "out of memory";
        return NULL;
    }
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    if (j_value(&p, &pk) == 0) {
        j_ws(&p);
        if (*p.s != '\0')
            j_fail(&p, "text after the value");
    }
    free(p.str);
    if (p.why != NULL) {
        *why = p.why;
        msgpack_sbuffer_destroy(&sb);
        return NULL;
    }
    *len = sb.size;
    return (uint8_t *)msgpack_sbuffer_release(&sb);
}

void tu_hexline(FILE *f, const char *key, const uint8_t *b, size_t n)
{
    fprintf(f, "%s: ", key);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", b[i]);
    fputc('\n', f);
}

int tu_seed(const char *root, const char *target, const char *name, int prefix, const uint8_t *b,
            size_t n)
{
    char path[4096];
    if (root == NULL)
        return 0;
    snprintf(path, sizeof path, "%s/%s", root, target);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/%s", root, target, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    int ok = (prefix < 0 || fputc(prefix, f) != EOF) && fwrite(b, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}
