/* Terms from a JSON file, for `parley offer --terms FILE`.
 *
 * The file is the canonical terms map of SPEC §15.2 written as JSON, key for
 * key: the same names, the same units (months, and fen for the fine), the
 * enumerations by their wire names; the `json:` lines of
 * spec/vectors/terms.vec are such files. It is read in two steps. jansson
 * parses it (duplicate keys refused, line and column for syntax errors), and
 * this file turns the JSON into msgpack: objects into maps with their keys in
 * canonical order (SPEC §3.5), integers into integers, nothing else changed;
 * a number with a fraction or an exponent is refused here, since no amount
 * is ever a float (SPEC §15). Then pl_terms_decode judges the result exactly
 * as a receiver judges terms (SPEC §15.6): unknown and missing keys, types,
 * negative values, the statutory limits. There is no second list of fields
 * here: a file is refused when, and with the error with which, the protocol
 * would refuse the same terms from a peer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <msgpack.h>

#include "cli.h"

/* The largest lawful terms hold about 25 000 bytes of text (SPEC §15.1);
 * written entirely as \u escapes of 4-byte characters, that is three times
 * as many bytes of JSON. 128 KiB leaves room for layout and still stops a
 * wrong file (a log, a video) before it is parsed. */
#define TERMS_JSON_MAX (128u * 1024u)

/* Terms nest three levels deep (SPEC §15.1: the map, charges, one charge).
 * One level more is let through so that an object written where a string
 * belongs still gets the protocol's own "must be a string"; anything deeper
 * is not terms, and the conversion's recursion stays this shallow. */
#define TERMS_JSON_DEPTH 4

#define PATH_MAX_LEN 96

/* ---- JSON to msgpack ------------------------------------------------------ */

struct conv {
    msgpack_packer pk;
    msgpack_sbuffer sb;
    int failed; /* a write into sb ran out of memory */
    cli_terms_json_error *err;
    char path[PATH_MAX_LEN]; /* where we are, as the protocol names it: charges[1].term */
};

struct member {
    const char *key;
    size_t len;
    json_t *val;
};

/* SPEC §3.5: keys compare as byte strings; a proper prefix sorts first.
 * jansson rejected duplicates, so no two compare equal. */
static int member_cmp(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

static int sb_write(void *data, const char *buf, size_t len)
{
    struct conv *c = data;
    if (msgpack_sbuffer_write(&c->sb, buf, len) != 0)
        c->failed = 1;
    return 0;
}

static const char *where(const struct conv *c)
{
    return c->path[0] ? c->path : "the terms";
}

/* Appends to the path from position at; a path too long is cut, which only
 * shortens a message. Returns the new end. */
__attribute__((format(printf, 3, 4))) static size_t path_add(struct conv *c, size_t at,
                                                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->path + at, sizeof c->path - at, fmt, ap);
    va_end(ap);
    size_t end = n < 0 ? at : at + (size_t)n;
    return end < sizeof c->path ? end : sizeof c->path - 1;
}

/* Control characters from the file are shown as '?': a message must not
 * rewrite the terminal it is printed on (the protocol's own details quote
 * values escaped already). */
static void scrub(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

static int put(struct conv *c, json_t *v, size_t plen, int depth);

static int put_object(struct conv *c, json_t *v, size_t plen, int depth)
{
    size_t n = json_object_size(v), i = 0;
    struct member *m = calloc(n ? n : 1, sizeof *m);
    int rc = 0;
    if (m == NULL) {
        snprintf(c->err->text, sizeof c->err->text, "out of memory");
        return EXIT_CHECK;
    }
    for (void *it = json_object_iter(v); it != NULL && i < n;
         it = json_object_iter_next(v, it), i++) {
        /* jansson refuses U+0000 in keys, so strlen is the key's length */
        m[i].key = json_object_iter_key(it);
        m[i].len = strlen(m[i].key);
        m[i].val = json_object_iter_value(it);
    }
    qsort(m, n, sizeof *m, member_cmp);
    msgpack_pack_map(&c->pk, n);
    for (i = 0; i < n && rc == 0; i++) {
        msgpack_pack_str_with_body(&c->pk, m[i].key, m[i].len);
        size_t q = path_add(c, plen, "%s%.*s", plen ? "." : "", (int)m[i].len, m[i].key);
        scrub(c->path + plen);
        rc = put(c, m[i].val, q, depth + 1);
    }
    free(m);
    return rc;
}

static int put(struct conv *c, json_t *v, size_t plen, int depth)
{
    c->path[plen] = '\0';
    if ((json_is_object(v) || json_is_array(v)) && depth >= TERMS_JSON_DEPTH) {
        snprintf(c->err->text, sizeof c->err->text,
                 "\"%s\" nests objects and arrays %d levels deep; terms nest at most 3 (the "
                 "terms, \"charges\", one charge; SPEC §15.1)",
                 where(c), depth + 1);
        return EXIT_USAGE;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return put_object(c, v, plen, depth);
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        int rc = 0;
        msgpack_pack_array(&c->pk, n);
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = put(c, json_array_get(v, i), path_add(c, plen, "[%zu]", i + 1), depth + 1);
        return rc;
    }
    case JSON_STRING:
        msgpack_pack_str_with_body(&c->pk, json_string_value(v), json_string_length(v));
        return 0;
    case JSON_INTEGER: {
        /* Negative integers go through: the protocol names the rule a
         * negative fine or term breaks (SPEC §15.2), not just its type. */
        json_int_t x = json_integer_value(v);
        if (x >= 0)
            msgpack_pack_uint64(&c->pk, (uint64_t)x);
        else
            msgpack_pack_int64(&c->pk, (int64_t)x);
        return 0;
    }
    case JSON_REAL: {
        char *s = json_dumps(v, JSON_ENCODE_ANY);
        snprintf(c->err->text, sizeof c->err->text,
                 "\"%s\" is %s, a number with a fraction or an exponent; months and fen are "
                 "whole numbers written without a point (a fine of 4,000 yuan is 400000; "
                 "SPEC §15)",
                 where(c), s ? s : "a real number");
        free(s);
        return EXIT_USAGE;
    }
    case JSON_TRUE:
        msgpack_pack_true(&c->pk);
        return 0;
    case JSON_FALSE:
        msgpack_pack_false(&c->pk);
        return 0;
    case JSON_NULL:
        msgpack_pack_nil(&c->pk);
        return 0;
    }
    return EXIT_USAGE;
}

/* ---- the terms ------------------------------------------------------------ */

/* Whether the protocol refused the terms for what they say (a PL_E_TERMS_*
 * code of a field's content or of the law, SPEC §15.2, §15.4) rather than
 * because the file is not terms at all (PL_E_TERMS_SCHEMA, or an encoding
 * error such as PL_E_TOO_BIG). */
static int refused_for_content(int code)
{
    return code != PL_E_TERMS_SCHEMA && strncmp(pl_errname(code), "PL_E_TERMS_", 11) == 0;
}

int cli_terms_json_parse(const char *json, size_t len, pl_terms *out, cli_terms_json_error *err)
{
    json_error_t je;
    struct conv c;
    int rc;

    memset(err, 0, sizeof *err);
    memset(out, 0, sizeof *out);
    /* Duplicate keys would let two readers of one file see different terms. */
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        err->line = je.line > 0 ? je.line : 1;
        err->column = je.column > 0 ? je.column : 1;
        /* jansson reads integers as long long: the wire allows fines up to
         * 2^64 - 1 fen, a file up to 2^63 - 1 (92 trillion yuan). */
        snprintf(err->text, sizeof err->text, "%s%s", je.text,
                 json_error_code(&je) == json_error_numeric_overflow
                     ? " (integers in a terms file are at most 9223372036854775807)"
                     : "");
        scrub(err->text);
        return EXIT_USAGE;
    }
    memset(&c, 0, sizeof c);
    c.err = err;
    msgpack_sbuffer_init(&c.sb);
    msgpack_packer_init(&c.pk, &c, sb_write);
    rc = put(&c, root, 0, 0);
    json_decref(root);
    if (rc == 0 && c.failed) {
        snprintf(err->text, sizeof err->text, "out of memory");
        rc = EXIT_CHECK;
    }
    if (rc == 0) {
        /* SPEC §15.6: every check a receiver makes, in its order. */
        int v = pl_terms_decode((const uint8_t *)c.sb.data, c.sb.size, out, &err->why);
        if (v != PL_OK) {
            err->code = v;
            snprintf(err->text, sizeof err->text, "%s", err->why.detail);
            rc = refused_for_content(v) ? EXIT_CHECK : EXIT_USAGE;
        }
    }
    msgpack_sbuffer_destroy(&c.sb);
    if (rc != 0)
        memset(out, 0, sizeof *out);
    return rc;
}

int cli_terms_refused(const char *verb, const pl_terms_problem *why)
{
    char basis[256];
    /* the basis as Chinese legal writing cites it; the rule in words from
     * the error table, both in the reader's language (the detail, with
     * the offending values, is the library's English) */
    if (cli_zh())
        pl_zh_basis(why->basis, basis, sizeof basis);
    else
        snprintf(basis, sizeof basis, "%s", why->basis != NULL ? why->basis : "");
    fprintf(stderr, _("parley %s: unlawful terms, nothing was sent: %s (SPEC §%s%s%s): %s\n"), verb,
            pl_errname(why->code), why->section != NULL ? why->section : "15", basis[0] ? "; " : "",
            basis, why->detail);
    fprintf(stderr, _("  the rule: %s\n"), cli_strerror(why->code));
    return EXIT_CHECK;
}

int cli_terms_json_read(const char *verb, const char *path, pl_terms *out, pl_terms_problem *why)
{
    cli_terms_json_error err;
    if (why)
        memset(why, 0, sizeof *why);
    size_t len;
    int stdin_ = strcmp(path, "-") == 0;
    const char *name = stdin_ ? "stdin" : path;

    memset(out, 0, sizeof *out);
    /* /dev/stdin keeps io_read_file's bound and messages for a pipe too. */
    uint8_t *b = io_read_file(stdin_ ? "/dev/stdin" : path, TERMS_JSON_MAX, &len);
    if (b == NULL)
        return EXIT_USAGE;
    int rc = cli_terms_json_parse((const char *)b, len, out, &err);
    free(b);
    if (rc == EXIT_CHECK && err.code != 0) {
        if (why)
            *why = err.why, why->code = err.code;
        return cli_terms_refused(verb, &err.why);
    }
    if (rc != 0 && err.line > 0)
        fprintf(stderr,
                _("parley %s: %s:%d:%d: not valid JSON: %s; a terms file holds one JSON object "
                  "(see TERMS FILES in parley(1))\n"),
                verb, name, err.line, err.column, err.text);
    else if (rc != 0 && err.code != 0)
        fprintf(stderr,
                _("parley %s: %s: not Parley terms, nothing was sent: %s (SPEC §%s): %s (see "
                  "TERMS FILES in parley(1))\n"),
                verb, name, pl_errname(err.code), err.why.section ? err.why.section : "15",
                err.text);
    else if (rc != 0)
        fprintf(stderr, "parley %s: %s: %s\n", verb, name, err.text);
    return rc;
}
