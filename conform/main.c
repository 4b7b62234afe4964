/* parley-conform: options, the wire identity, running the cases and the
 * reports (one line per case and a summary as text; --json; --junit FILE).
 * See conform.h for what the suite is, and SPEC §11.5 for how another
 * implementation runs it.
 *
 * Exit status: 0 when no MUST failed (SHOULDs may be non-strict), 1 when a
 * MUST failed, 2 on a usage error or a node that cannot be reached. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "io.h"
#include "conform.h"

cf_run cf_g;

/* SPEC §11.5: without --key, the tool's wire identity is the key whose seed
 * is H("parley-conform/v1/wire identity"), so an operator admits it once
 * (parleyd --allow, the key --print-key shows). Everyone can compute this
 * seed: admit the key on nodes under test only. */
static const char WIRE_SEED_CONTEXT[] = "parley-conform/v1/wire identity";

typedef struct {
    const cf_case *c;
    cf_result result;
    char detail[600];
    double ms;
} outcome;

/* ---- small helpers shared by the cases ---------------------------------------- */

void cf_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void cf_hex(const uint8_t *b, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, b, n);
}

const char *cf_short(const uint8_t *id)
{
    static char ring[8][9];
    static unsigned next;
    char *s = ring[next++ % 8];
    sodium_bin2hex(s, 9, id, 4);
    return s;
}

__attribute__((format(printf, 2, 0))) static void vnote(cf_t *t, const char *fmt, va_list ap)
{
    vsnprintf(t->detail, sizeof t->detail, fmt, ap);
}

void cf_note(cf_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnote(t, fmt, ap);
    va_end(ap);
}

/* cf_fail and cf_miss: the detail, the result, and out of the case. */
void cf_fail(cf_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnote(t, fmt, ap);
    va_end(ap);
    t->result = CF_FAIL;
    longjmp(t->jb, 1);
}

void cf_miss(cf_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnote(t, fmt, ap);
    va_end(ap);
    t->result = CF_NONSTRICT;
    longjmp(t->jb, 1);
}

/* ---- running ------------------------------------------------------------------- */

static void release(cf_t *t)
{
    for (size_t i = 0; i < t->npeers; i++) {
        cf_peer *p = t->peers[i];
        h_peer_close(&p->hp);
        cf_clear(p);
        free(p->inbox);
        free(p);
    }
    for (size_t i = 0; i < t->nnegs; i++) {
        cf_neg *n = t->negs[i];
        for (size_t j = 0; j < n->nall; j++)
            pl_msg_destroy(&n->all[j]);
        for (int k = 0; k < CF_NPARTY; k++)
            pl_key_destroy(&n->k[k]);
        free(n->all);
        free(n->pub);
        free(n);
    }
    t->npeers = t->nnegs = 0;
}

static void run_one(const cf_case *c, outcome *o)
{
    /* static: longjmp leaves locals of this frame indeterminate otherwise */
    static cf_t t;
    memset(&t, 0, sizeof t);
    t.c = c;
    t.result = CF_PASS;
    uint64_t t0 = h_now_ms();
    if (setjmp(t.jb) == 0)
        c->run(&t);
    release(&t);
    o->c = c;
    o->result = t.result;
    snprintf(o->detail, sizeof o->detail, "%s", t.detail);
    o->ms = (double)(h_now_ms() - t0);
}

/* The case runs if no filter is given, or its id starts with one of them
 * at a component boundary: "13.1" runs 13.1-1 and 13.1-2, not 13.10-1. */
static int selected(const char *id, char **filters, size_t nfilters)
{
    if (nfilters == 0)
        return 1;
    for (size_t i = 0; i < nfilters; i++) {
        size_t n = strlen(filters[i]);
        if (strncmp(id, filters[i], n) != 0)
            continue;
        char next = id[n], last = n ? filters[i][n - 1] : '.';
        if (next == '\0' || next == '-' || next == '.' || last == '-' || last == '.')
            return 1;
    }
    return 0;
}

/* "14" for "14.6-1": the chapter, for the summary table. */
static int chapter(const char *id)
{
    return atoi(id);
}

static const char *level_name(cf_level l)
{
    return l == CF_MUST ? "MUST" : "SHOULD";
}

static const char *result_name(cf_result r)
{
    return r == CF_PASS ? "pass" : r == CF_NONSTRICT ? "non-strict" : "FAIL";
}

/* ---- reports --------------------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void xml_str(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            if (*p < 0x20 && *p != '\t' && *p != '\n')
                fputc(' ', f);
            else
                fputc(*p, f);
        }
    }
}

static void print_line(const outcome *o)
{
    printf("%-10s  %-8s %-6s %s%s\n", result_name(o->result), o->c->id, level_name(o->c->level),
           o->c->requirement, o->c->bad_input ? " [bad input]" : "");
    if (o->result != CF_PASS || (cf_g.verbose && o->detail[0]))
        printf("            %s\n", o->detail);
    fflush(stdout);
}

static void summary(const outcome *o, size_t n, size_t passed, size_t failed, size_t nonstrict,
                    double secs)
{
    printf("\n%-9s %6s %7s %7s %11s %10s\n", "section", "cases", "passed", "failed", "non-strict",
           "bad input");
    for (int ch = 0; ch < 32; ch++) {
        size_t c = 0, p = 0, f = 0, s = 0, b = 0;
        for (size_t i = 0; i < n; i++) {
            if (chapter(o[i].c->id) != ch)
                continue;
            c++;
            p += o[i].result == CF_PASS;
            f += o[i].result == CF_FAIL;
            s += o[i].result == CF_NONSTRICT;
            b += o[i].c->bad_input != 0;
        }
        if (c > 0) {
            char name[8];
            snprintf(name, sizeof name, "§%d", ch);
            printf("%-10s %6zu %7zu %7zu %11zu %10zu\n", name, c, p, f, s, b);
        }
    }
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += o[i].c->bad_input != 0;
    printf("%-9s %6zu %7zu %7zu %11zu %10zu\n", "total", n, passed, failed, nonstrict, bad);
    printf("\nparley-conform: %zu cases against %s in %.1f s\n", n, cf_g.endpoint, secs);
    printf("%zu passed, %zu failed\n", passed, failed);
    printf("%zu non-strict\n", nonstrict);
}

static void write_json(FILE *f, const outcome *o, size_t n, size_t passed, size_t failed,
                       size_t nonstrict, double secs)
{
    char hex[65], tool[65];
    cf_hex(cf_g.node_pk, PL_PK_BYTES, hex);
    cf_hex(pl_key_pk(cf_g.wire_key), PL_PK_BYTES, tool);
    fprintf(f, "{\"tool\":\"parley-conform\",\"version\":\"%s\",\"spec\":\"parley-v2\",",
            PL_VERSION_STRING);
    fprintf(f, "\"endpoint\":");
    json_str(f, cf_g.endpoint);
    fprintf(f, ",\"node_key\":\"%s\",\"tool_key\":\"%s\",\"seconds\":%.3f,\"cases\":[", hex, tool,
            secs);
    for (size_t i = 0; i < n; i++) {
        char section[32];
        snprintf(section, sizeof section, "%.*s", (int)strcspn(o[i].c->id, "-"), o[i].c->id);
        fprintf(f, "%s\n{\"id\":\"%s\",\"section\":\"%s\",\"level\":\"%s\",\"bad_input\":%s,",
                i ? "," : "", o[i].c->id, section, level_name(o[i].c->level),
                o[i].c->bad_input ? "true" : "false");
        fprintf(f, "\"requirement\":");
        json_str(f, o[i].c->requirement);
        fprintf(f, ",\"result\":\"%s\",\"detail\":",
                o[i].result == CF_PASS   ? "pass"
                : o[i].result == CF_FAIL ? "fail"
                                         : "non-strict");
        json_str(f, o[i].detail);
        fprintf(f, ",\"ms\":%.0f}", o[i].ms);
    }
    fprintf(f,
            "\n],\"summary\":{\"total\":%zu,\"passed\":%zu,\"failed\":%zu,\"non_strict\":%zu}}\n",
            n, passed, failed, nonstrict);
}

/* JUnit XML as CI systems read it: one testcase per case, a failure for a
 * broken MUST; a missed SHOULD passes, with a property and its reason. */
static int write_junit(const char *path, const outcome *o, size_t n, size_t failed, double secs)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "parley-conform: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f,
            "<testsuites name=\"parley-conform\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n",
            n, failed, secs);
    fprintf(f,
            "  <testsuite name=\"parley-conform\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
            "skipped=\"0\" time=\"%.3f\">\n",
            n, failed, secs);
    for (size_t i = 0; i < n; i++) {
        char section[32];
        snprintf(section, sizeof section, "%.*s", (int)strcspn(o[i].c->id, "-"), o[i].c->id);
        fprintf(f, "    <testcase classname=\"parley.spec.%s\" name=\"%s ", section, o[i].c->id);
        xml_str(f, o[i].c->requirement);
        fprintf(f, "\" time=\"%.3f\">\n", o[i].ms / 1000.0);
        fprintf(f,
                "      <properties><property name=\"level\" value=\"%s\"/>"
                "<property name=\"bad_input\" value=\"%s\"/>"
                "<property name=\"result\" value=\"%s\"/></properties>\n",
                level_name(o[i].c->level), o[i].c->bad_input ? "true" : "false",
                o[i].result == CF_PASS   ? "pass"
                : o[i].result == CF_FAIL ? "fail"
                                         : "non-strict");
        if (o[i].result == CF_FAIL) {
            fprintf(f, "      <failure message=\"");
            xml_str(f, o[i].detail);
            fprintf(f, "\" type=\"MUST\"/>\n");
        } else if (o[i].result == CF_NONSTRICT) {
            fprintf(f, "      <system-out>non-strict (a SHOULD not met): ");
            xml_str(f, o[i].detail);
            fprintf(f, "</system-out>\n");
        }
        fprintf(f, "    </testcase>\n");
    }
    fprintf(f, "  </testsuite>\n</testsuites>\n");
    return fclose(f) == 0 ? 0 : -1;
}

/* ---- options ---------------------------------------------------------------------- */

static int usage(int rc)
{
    fprintf(rc ? stderr : stdout,
            "usage: parley-conform ENDPOINT --node-key HEX [options]\n"
            "       parley-conform --print-key [--key FILE --passphrase-file F]\n"
            "       parley-conform --list [--case PREFIX]... [--json]\n\n"
            "Checks a Parley node against the protocol (SPEC §14): it dials ENDPOINT\n"
            "(tcp://HOST:PORT) as a peer whose key the node must admit (parleyd --allow\n"
            "KEY, where KEY is what --print-key prints), opens cases the node joins by\n"
            "invitation, and sends good and bad input. Options:\n"
            "  --node-key HEX          the node's public key (64 hex digits)\n"
            "  --key FILE              the tool's wire identity from a key file (default: a\n"
            "                          fixed, public test key; see SPEC §11.5)\n"
            "  --passphrase-file F     the passphrase of --key (else asked on the terminal)\n"
            "  --case PREFIX           run only the cases whose id starts with PREFIX\n"
            "                          (\"14.6\", \"13\", \"3.5-2\"); repeatable\n"
            "  --timeout MS            how long an expected answer may take (default 5000)\n"
            "  --json                  print the results as one JSON document\n"
            "  --junit FILE            also write the results as JUnit XML\n"
            "  --list                  list the cases and exit\n"
            "  --print-key             print the tool's public key and exit\n"
            "  -v, --verbose           print details of passing cases and the ERRORs seen\n\n"
            "Exit: 0 every MUST held, 1 a MUST failed, 2 usage or the node unreachable.\n");
    return rc;
}

static int wire_identity(const char *keyfile, const char *passfile)
{
    if (keyfile == NULL) {
        uint8_t seed[PL_SEED_BYTES];
        crypto_generichash(seed, sizeof seed, (const uint8_t *)WIRE_SEED_CONTEXT,
                           sizeof WIRE_SEED_CONTEXT - 1, NULL, 0);
        cf_g.wire_key = pl_key_from_seed(seed);
        sodium_memzero(seed, sizeof seed);
        return cf_g.wire_key ? 0 : -1;
    }
    size_t len;
    uint8_t *file = io_read_file(keyfile, PL_KEYFILE_MAX_BYTES, &len);
    if (file == NULL)
        return -1;
    char *pass = io_passphrase(passfile, 0);
    if (pass == NULL) {
        free(file);
        return -1;
    }
    int rc = pl_keyfile_open(file, len, pass, strlen(pass), &cf_g.wire_key);
    sodium_free(pass);
    free(file);
    if (rc != PL_OK) {
        fprintf(stderr, "parley-conform: %s: %s\n", keyfile, pl_strerror(rc));
        return -1;
    }
    return 0;
}

static int parse_key(const char *s, uint8_t pk[PL_PK_BYTES])
{
    size_t got;
    uint8_t curve[32];
    return strlen(s) == 2 * PL_PK_BYTES &&
                   sodium_hex2bin(pk, PL_PK_BYTES, s, strlen(s), NULL, &got, NULL) == 0 &&
                   got == PL_PK_BYTES && pl_key_curve_pk(pk, curve) == PL_OK
               ? 0
               : -1;
}

/* Before the cases: one HELLO, so that a wrong endpoint, key or --allow is
 * one clear message instead of a hundred failures. */
static int reachable(void)
{
    h_peer p;
    int ok = 0;
    if (h_peer_open_key(&p, cf_g.wire_key, 0, cf_g.node_pk, cf_g.endpoint) == 0) {
        pl_wire w = {.kind = PL_W_HELLO};
        memcpy(w.u.hello.node, pl_key_pk(cf_g.wire_key), PL_PK_BYTES);
        ok = h_peer_send(&p, &w) == 0 &&
             h_peer_expect(&p, PL_W_HELLO, 0, NULL, cf_g.timeout_ms) == 0;
    }
    h_peer_close(&p);
    return ok;
}

int main(int argc, char **argv)
{
    const char *keyfile = NULL, *passfile = NULL, *junit = NULL, *node_key = NULL;
    char *filters[64];
    size_t nfilters = 0;
    int json = 0, list = 0, print_key = 0;
    cf_g.timeout_ms = 5000;
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return usage(0);
        else if (strcmp(a, "--node-key") == 0 && more)
            node_key = argv[++i];
        else if (strcmp(a, "--key") == 0 && more)
            keyfile = argv[++i];
        else if (strcmp(a, "--passphrase-file") == 0 && more)
            passfile = argv[++i];
        else if (strcmp(a, "--case") == 0 && more && nfilters < 64)
            filters[nfilters++] = argv[++i];
        else if (strcmp(a, "--junit") == 0 && more)
            junit = argv[++i];
        else if (strcmp(a, "--timeout") == 0 && more) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end != '\0' || v < 100 || v > 600000) {
                fprintf(stderr,
                        "parley-conform: --timeout wants milliseconds from 100 to "
                        "600000, not '%s'\n",
                        argv[i]);
                return 2;
            }
            cf_g.timeout_ms = (int)v;
        } else if (strcmp(a, "--json") == 0)
            json = 1;
        else if (strcmp(a, "--list") == 0)
            list = 1;
        else if (strcmp(a, "--print-key") == 0)
            print_key = 1;
        else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
            cf_g.verbose = 1;
        else if (a[0] != '-' && cf_g.endpoint[0] == '\0' && strlen(a) < sizeof cf_g.endpoint)
            snprintf(cf_g.endpoint, sizeof cf_g.endpoint, "%s", a);
        else {
            fprintf(stderr, "parley-conform: unexpected argument '%s'\n", a);
            return usage(2);
        }
    }
    /* Listening for an answer that must not come: long enough for a node
     * that answers late, short enough for a quick run. */
    cf_g.quiet_ms = cf_g.timeout_ms / 5 < 1000 ? cf_g.timeout_ms / 5 : 1000;
    if (cf_g.quiet_ms < 100)
        cf_g.quiet_ms = 100;

    const struct {
        const cf_case *c;
        size_t n;
    } groups[] = {{cf_cases_core, cf_ncases_core},
                  {cf_cases_rules, cf_ncases_rules},
                  {cf_cases_wire, cf_ncases_wire}};
    size_t total = 0;
    for (size_t g = 0; g < 3; g++)
        total += groups[g].n;
    const cf_case **run = calloc(total, sizeof *run);
    size_t nrun = 0;
    for (size_t g = 0; g < 3; g++)
        for (size_t i = 0; i < groups[g].n; i++)
            if (selected(groups[g].c[i].id, filters, nfilters))
                run[nrun++] = &groups[g].c[i];

    if (list) {
        size_t bad = 0;
        for (size_t i = 0; i < nrun; i++) {
            bad += run[i]->bad_input != 0;
            if (json)
                continue;
            printf("%-8s %-6s %s%s\n", run[i]->id, level_name(run[i]->level), run[i]->requirement,
                   run[i]->bad_input ? " [bad input]" : "");
        }
        if (json) {
            printf("[");
            for (size_t i = 0; i < nrun; i++) {
                printf("%s\n{\"id\":\"%s\",\"level\":\"%s\",\"bad_input\":%s,\"requirement\":",
                       i ? "," : "", run[i]->id, level_name(run[i]->level),
                       run[i]->bad_input ? "true" : "false");
                json_str(stdout, run[i]->requirement);
                printf("}");
            }
            printf("\n]\n");
        } else {
            printf("%zu cases, %zu with bad input\n", nrun, bad);
        }
        free(run);
        return 0;
    }

    if (pl_init() != PL_OK) {
        fprintf(stderr, "parley-conform: libsodium did not initialise\n");
        return 2;
    }
    if (wire_identity(keyfile, passfile) != 0)
        return 2;
    if (print_key) {
        char hex[65];
        cf_hex(pl_key_pk(cf_g.wire_key), PL_PK_BYTES, hex);
        printf("%s\n", hex);
        pl_key_destroy(&cf_g.wire_key);
        free(run);
        return 0;
    }
    if (cf_g.endpoint[0] == '\0' || node_key == NULL) {
        fprintf(stderr, "parley-conform: give the node's ENDPOINT and --node-key\n");
        return usage(2);
    }
    if (parse_key(node_key, cf_g.node_pk) != 0) {
        fprintf(stderr,
                "parley-conform: --node-key needs the node's public key as 64 hex "
                "digits, not '%s'\n",
                node_key);
        return 2;
    }
    if (!reachable()) {
        char hex[65];
        cf_hex(pl_key_pk(cf_g.wire_key), PL_PK_BYTES, hex);
        fprintf(stderr,
                "parley-conform: no HELLO from %s within %d ms. Check the endpoint and "
                "--node-key, and that the node admits this tool's key: parleyd --allow %s\n",
                cf_g.endpoint, cf_g.timeout_ms, hex);
        pl_key_destroy(&cf_g.wire_key);
        free(run);
        return 2;
    }

    outcome *out = calloc(nrun ? nrun : 1, sizeof *out);
    size_t passed = 0, failed = 0, nonstrict = 0;
    uint64_t t0 = h_now_ms();
    for (size_t i = 0; i < nrun; i++) {
        run_one(run[i], &out[i]);
        passed += out[i].result == CF_PASS;
        failed += out[i].result == CF_FAIL;
        nonstrict += out[i].result == CF_NONSTRICT;
        if (!json)
            print_line(&out[i]);
    }
    double secs = (double)(h_now_ms() - t0) / 1000.0;
    if (json)
        write_json(stdout, out, nrun, passed, failed, nonstrict, secs);
    else
        summary(out, nrun, passed, failed, nonstrict, secs);
    int rc = failed ? 1 : 0;
    if (junit && write_junit(junit, out, nrun, failed, secs) != 0)
        rc = 2;
    free(out);
    free(run);
    pl_key_destroy(&cf_g.wire_key);
    return rc;
}
