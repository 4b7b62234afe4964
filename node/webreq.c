/* The web app's act requests (see webreq.h): the verbs a page may run,
 * each with the kinds of its arguments and the flags it may pass, and the
 * checks on every value before it becomes an argument. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "webreq.h"

/* args: one letter per positional argument: c a case id (or prefix), m a
 * message id (or prefix), f a file the page uploads, F one to four files
 * (each with the name it had: a disclosure records it). flags: " --name=" a
 * flag with a value, " --name=#" one whose value is a message or case id, " --name=*"
 * one that may repeat, " --name " one without, space-separated. A value
 * never starts with '-' but for the free texts (--text, --title, --venue):
 * a verb's own first pass (offer's) must not take a value for a flag. */
static const struct verb {
    const char *verb, *args, *flags;
    int node, json, stdin_ok;
} verbs[] = {
    {"status", "", " --case=# ", 1, 1, 0},
    {"cases", "", "", 1, 1, 0},
    {"invitations", "", "", 1, 1, 0},
    {"accept", "c", "", 1, 1, 0},
    {"decline", "c", "", 1, 1, 0},
    {"log", "c", "", 1, 1, 0},
    {"report", "c", "", 1, 1, 0},
    {"case-create", "",
     " --title= --participant=* --pool=* --deadline= --language= --closed= --suspect-birth= "
     "--suspect-nationality= --suspect-language= ",
     1, 1, 0},
    {"join", "c", " --as= --session=# ", 1, 1, 0},
    {"offer", "c", " --as= --answers=# ", 1, 1, 1},
    {"offer-check", "", "", 0, 1, 1},
    {"opinion", "c", " --as= --topic= --text= --regarding=# --amount= ", 1, 1, 0},
    {"respond", "cm", " --as= --decision= --text= ", 1, 1, 0},
    {"sign", "cm", " --as= --session=# --witness --dissent=# ", 1, 1, 0},
    {"withdraw", "c", " --as= --offer=# --text= ", 1, 1, 0},
    {"close", "c", " --as= --text= ", 1, 1, 0},
    {"retract", "c", " --as= --stage= --text= ", 1, 1, 0},
    {"notice", "cf", " --as= --language= --text= ", 1, 1, 0},
    {"notice-ack", "cmf", " --as= ", 1, 1, 0},
    {"consent", "cm", " --as= --agrees= --session=# --text= ", 1, 1, 0},
    {"interpret", "cm", " --as= --language= --session=# ", 1, 1, 0},
    {"publicity", "cm", " --as= --agrees= ", 1, 1, 0},
    {"settle", "cf", " --as= --kind= --agreed= --paid= --forgiveness --accepts=# ", 1, 1, 0},
    {"settle-withdraw", "c", " --as= --withdraw=# --text= ", 1, 1, 0}, /* parley settle --withdraw */
    {"disclose", "cF", " --as= ", 1, 1, 0},
    {"ack", "cmF", " --as= ", 1, 1, 0},
    {"session-propose", "c", " --as= --time= --venue= --mode= --detention-facility --public ", 1, 1,
     0},
    {"session-accept", "cm", " --as= --public ", 1, 1, 0},
    {"session-decline", "cm", " --as= --text= ", 1, 1, 0},
    {"observe", "c", " --as= --text= --regarding=# ", 1, 1, 0},
    {"draw-commit", "c", " --as= --round= ", 1, 1, 0},
    {"draw-reveal", "c", " --as= --round= ", 1, 1, 0},
    {"verify", "f", " --statement ", 0, 1, 0},
};

static int fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, PL_WEBREQ_ERR_MAX, fmt, ap);
    va_end(ap);
    return -1;
}
#define FAIL(...) fail(err, __VA_ARGS__)

int pl_webreq_hexid(const char *s)
{
    size_t n = strlen(s);
    return n >= 8 && n <= 64 && strspn(s, "0123456789abcdefABCDEF") == n;
}

/* A JSON string with no NUL inside, at most max bytes; NULL otherwise. */
static const char *str_of(const json_t *v, size_t max)
{
    if (!json_is_string(v))
        return NULL;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    return n <= max && strlen(s) == n ? s : NULL;
}

static int push(pl_webreq *r, const char *s)
{
    if (r->argc == PL_WEBREQ_MAX_ARGV || (r->argv[r->argc] = strdup(s)) == NULL)
        return -1;
    r->argc++;
    return 0;
}

/* Whether the verb's table row allows flag: 0 no, 1 without a value, 2
 * with one, 3 with one or an array of them, 4 with a message id. */
static int flag_kind(const struct verb *v, const char *flag)
{
    size_t n = strlen(flag);
    if (n < 3 || n > 40 || strncmp(flag, "--", 2) != 0 ||
        strspn(flag + 2, "abcdefghijklmnopqrstuvwxyz-") != n - 2)
        return 0;
    const char *p = v->flags;
    while ((p = strstr(p, flag)) != NULL) {
        if (p[-1] == ' ' && (p[n] == ' ' || p[n] == '='))
            return p[n] == ' ' ? 1 : p[n + 1] == '*' ? 3 : p[n + 1] == '#' ? 4 : 2;
        p += n;
    }
    return 0;
}

/* A file's name as a person's file had it: a name, not a path (it becomes
 * the last part of a path the node makes). */
static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > PL_WEBREQ_NAME_MAX || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
            return 0;
    return 1;
}

static int add_file(pl_webreq *r, const json_t *b64v, const json_t *namev, size_t pos, char *err)
{
    if (r->nfiles == PL_WEBREQ_MAX_FILES)
        return FAIL("at most %d files", PL_WEBREQ_MAX_FILES);
    const char *b64 = str_of(b64v, (PL_WEBREQ_FILE_MAX / 3 + 1) * 4);
    if (b64 == NULL)
        return FAIL("argument %zu is a file: send it in files[\"%zu\"] as base64", pos, pos);
    const char *name = NULL;
    if (namev != NULL && ((name = str_of(namev, PL_WEBREQ_NAME_MAX)) == NULL || !name_ok(name)))
        return FAIL("names[\"%zu\"] is a file name: 1 to %d bytes, no '/', no control "
                    "character, not . or ..", pos, PL_WEBREQ_NAME_MAX);
    size_t n = strlen(b64), got;
    uint8_t *b = malloc(n / 4 * 3 + 3);
    char *nm = name ? strdup(name) : NULL;
    if (b == NULL || (name && nm == NULL)) {
        free(b);
        free(nm);
        return FAIL("out of memory");
    }
    if (sodium_base642bin(b, n / 4 * 3 + 3, b64, n, NULL, &got, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got > PL_WEBREQ_FILE_MAX) {
        free(b);
        free(nm);
        return FAIL("files[\"%zu\"] is not base64 of at most %u bytes", pos, PL_WEBREQ_FILE_MAX);
    }
    r->files[r->nfiles] = b;
    r->file_len[r->nfiles] = got;
    r->file_name[r->nfiles] = nm;
    r->file_at[r->nfiles] = r->argc;
    r->nfiles++;
    return push(r, "(file)") == 0 ? 0 : FAIL("too many arguments");
}

/* Argument pos: one file (kind 'f') or 1 to PL_WEBREQ_MAX_FILES ('F'). */
static int add_files(pl_webreq *r, char kind, const json_t *files, const json_t *names, size_t pos,
                     char *err)
{
    char key[24];
    snprintf(key, sizeof key, "%zu", pos);
    const json_t *f = json_object_get(files, key), *nm = json_object_get(names, key);
    if (kind == 'f' || !json_is_array(f))
        return add_file(r, f, nm, pos, err);
    size_t k = json_array_size(f);
    if (k == 0 || k > PL_WEBREQ_MAX_FILES)
        return FAIL("files[\"%zu\"] holds 1 to %d files", pos, PL_WEBREQ_MAX_FILES);
    if (nm != NULL && (!json_is_array(nm) || json_array_size(nm) != k))
        return FAIL("names[\"%zu\"] names each file of files[\"%zu\"]", pos, pos);
    for (size_t i = 0; i < k; i++)
        if (add_file(r, json_array_get(f, i), nm ? json_array_get(nm, i) : NULL, pos, err) != 0)
            return -1;
    return 0;
}

int pl_webreq_parse(const char *body, size_t len, pl_webreq *r, char err[PL_WEBREQ_ERR_MAX])
{
    memset(r, 0, sizeof *r);
    strcpy(r->lang, "zh");
    err[0] = '\0';
    if (len > PL_WEBREQ_MAX_BYTES)
        return FAIL("request over %u bytes", PL_WEBREQ_MAX_BYTES);
    json_error_t je;
    json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    int rc = -1;
    if (!json_is_object(o)) {
        FAIL("not one JSON object");
        goto out;
    }
    const char *verb = str_of(json_object_get(o, "verb"), 32);
    const struct verb *v = NULL;
    for (size_t i = 0; verb && i < sizeof verbs / sizeof verbs[0]; i++)
        if (strcmp(verbs[i].verb, verb) == 0)
            v = &verbs[i];
    if (v == NULL) {
        FAIL("unknown verb");
        goto out;
    }
    r->node = v->node;
    /* offer-check is `parley offer --check`: the terms alone, no case;
     * settle-withdraw is `parley settle CASE --withdraw ID` */
    if (push(r, strcmp(v->verb, "offer-check") == 0       ? "offer"
                : strcmp(v->verb, "settle-withdraw") == 0 ? "settle"
                                                           : v->verb) != 0 ||
        (strcmp(v->verb, "offer-check") == 0 && push(r, "--check") != 0))
        goto nomem;
    const json_t *lang = json_object_get(o, "lang");
    if (lang != NULL) {
        const char *l = str_of(lang, 2);
        if (l == NULL || (strcmp(l, "zh") != 0 && strcmp(l, "en") != 0)) {
            FAIL("lang is zh or en");
            goto out;
        }
        strcpy(r->lang, l);
    }
    const json_t *args = json_object_get(o, "args"), *files = json_object_get(o, "files"),
                 *names = json_object_get(o, "names");
    size_t nargs = args ? json_array_size(args) : 0;
    if ((args && !json_is_array(args)) || nargs != strlen(v->args) ||
        (files && !json_is_object(files)) || (names && !json_is_object(names))) {
        FAIL("%s takes %zu argument(s)", v->verb, strlen(v->args));
        goto out;
    }
    for (size_t i = 0; i < nargs; i++) {
        char kind = v->args[i];
        if (kind == 'f' || kind == 'F') {
            if (add_files(r, kind, files, names, i, err) != 0)
                goto out;
            continue;
        }
        const char *s = str_of(json_array_get(args, i), 64);
        if (s == NULL || !pl_webreq_hexid(s)) {
            FAIL("argument %zu is a %s id: 8 to 64 hex digits", i, kind == 'c' ? "case" : "message");
            goto out;
        }
        if (push(r, s) != 0)
            goto nomem;
    }
    const json_t *flags = json_object_get(o, "flags");
    if (flags && !json_is_object(flags)) {
        FAIL("flags is an object");
        goto out;
    }
    const char *name;
    json_t *val;
    json_object_foreach((json_t *)flags, name, val)
    {
        int k = flag_kind(v, name);
        if (k == 0) {
            FAIL("%s does not take %.40s", v->verb, name);
            goto out;
        }
        if (k == 1) {
            if (!json_is_boolean(val)) {
                FAIL("%.40s is true or false", name);
                goto out;
            }
            if (json_is_true(val) && push(r, name) != 0)
                goto nomem;
            continue;
        }
        size_t nv = json_is_array(val) ? json_array_size(val) : 1;
        if ((json_is_array(val) && k != 3) || nv > 16) {
            FAIL("%.40s takes one value", name);
            goto out;
        }
        for (size_t i = 0; i < nv; i++) {
            const char *s = str_of(json_is_array(val) ? json_array_get(val, i) : val,
                                   PL_WEBREQ_VALUE_MAX);
            if (s == NULL) {
                FAIL("%.40s needs a string of at most %u bytes", name, PL_WEBREQ_VALUE_MAX);
                goto out;
            }
            if (k == 4 && !pl_webreq_hexid(s)) {
                FAIL("%.40s takes an id: 8 to 64 hex digits", name);
                goto out;
            }
            if (s[0] == '-' && strcmp(name, "--text") != 0 && strcmp(name, "--title") != 0 &&
                strcmp(name, "--venue") != 0) {
                FAIL("%.40s: a value may not start with '-'", name);
                goto out;
            }
            /* the value goes after its flag: parley takes the next
             * argument as the value whatever it starts with */
            if (push(r, name) != 0 || push(r, s) != 0)
                goto nomem;
        }
    }
    const json_t *in = json_object_get(o, "stdin");
    if (in != NULL) {
        const char *s = str_of(in, PL_WEBREQ_VALUE_MAX);
        if (s == NULL || !v->stdin_ok) {
            FAIL("stdin is for the terms of an offer (a string of at most %u bytes)",
                 PL_WEBREQ_VALUE_MAX);
            goto out;
        }
        if ((r->stdin_text = strdup(s)) == NULL || push(r, "--terms") != 0 || push(r, "-") != 0)
            goto nomem;
    }
    const json_t *pass = json_object_get(o, "passphrase");
    if (pass != NULL && !json_is_null(pass)) {
        const char *s = str_of(pass, PL_WEBREQ_PASS_MAX);
        if (s == NULL || !v->node || *s == '\0') {
            FAIL("passphrase is a non-empty string of at most %u bytes", PL_WEBREQ_PASS_MAX);
            goto out;
        }
        size_t n = strlen(s);
        if (sodium_init() < 0 || (r->passphrase = sodium_malloc(n + 2)) == NULL)
            goto nomem;
        memcpy(r->passphrase, s, n);
        memcpy(r->passphrase + n, "\n", 2);
        /* the CLI reads it from a pipe of its own (fd 3), never argv */
        if (push(r, "--passphrase-file") != 0 || push(r, "/dev/fd/3") != 0)
            goto nomem;
    }
    if (v->json && push(r, "--json") != 0)
        goto nomem;
    rc = 0;
    goto out;
nomem:
    FAIL("out of memory, or too many arguments");
out:
    if (o != NULL) { /* jansson's copy of the passphrase */
        json_t *pv = json_object_get(o, "passphrase");
        if (json_is_string(pv))
            sodium_memzero((char *)json_string_value(pv), json_string_length(pv));
    }
    json_decref(o);
    if (rc != 0)
        pl_webreq_free(r);
    return rc;
}

void pl_webreq_free(pl_webreq *r)
{
    for (int i = 0; i < r->argc; i++)
        free(r->argv[i]);
    for (int i = 0; i < r->nfiles; i++)
        free(r->files[i]), free(r->file_name[i]);
    free(r->stdin_text);
    if (r->passphrase)
        sodium_free(r->passphrase);
    memset(r, 0, sizeof *r);
}
