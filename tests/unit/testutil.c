/* Test helpers: deterministic keys, case ids and signed messages. */
#include <stdio.h>
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
    while ((rc = pl_logfile_next(file, file_len, &off, &m, &mlen)) == PL_OK)
        (void)!pl_verifier_add(v, m, mlen);
    (void)!pl_verifier_finish(v);
    const pl_verify_report *r = pl_verifier_report(v);
    for (size_t i = 0; i < r->nproblems; i++) {
        size_t used = strlen(outs);
        snprintf(outs + used, cap - used, "%s%s", i ? "," : "", pl_errname(r->problems[i].code));
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
