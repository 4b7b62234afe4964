/* parley report: the observer report (SPEC §17) of a log file, or of a
 * case as the local node holds it, as text, JSON or one HTML page. The log
 * is verified first (SPEC §6); a log that does not verify gets no report,
 * since a report over a broken record would mislead. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define LOG_MAX_BYTES (1024u * 1024u * 1024u)

static int usage(int rc)
{
    fprintf(rc ? stderr : stdout, "%s",
            _("usage: parley report FILE [--json | --html] [-o OUT]\n"
            "       parley report CASE [--home DIR] [--json | --html] [-o OUT]\n\n"
            "Prints the observer report of a case's log file (from 'parley export'), or,\n"
            "when no file of that name exists, of the case the local node holds (CASE:\n"
            "its id or a unique prefix of 8+ hex digits, as 'parley cases' lists them):\n"
            "participants, agreement and terms, timeline, every input with its response\n"
            "and how long it took, sessions, disclosures, unilateral acts, violations.\n"
            "--html writes one self-contained page (tables and a chart of the proposed\n"
            "penalties; nothing is fetched from the network). -o writes to OUT instead\n"
            "of standard output.\n"
            "exit status: 0 ok, 1 the log does not verify, or the node does not answer\n"
            "or lacks the case, 2 usage or unusable input\n"));
    return rc;
}

/* The log to report on: the file arg when there is one, else the case arg
 * names on the local node (*from_node is then 1). Exit code. */
static int load(const char *arg, const char *home, uint8_t **b, size_t *n, int *from_node)
{
    struct stat st;
    uint8_t id[PL_CASE_ID_BYTES];
    *from_node = stat(arg, &st) != 0 && errno == ENOENT;
    if (!*from_node) {
        /* a log file is streamed (issue 17: decoded on every core, no size
         * cap); a certificate is read whole; a file that cannot be read:
         * reading says why */
        uint8_t head[PL_LOGFILE_MAGIC_BYTES];
        FILE *f = fopen(arg, "rb");
        size_t got = f ? fread(head, 1, sizeof head, f) : 0;
        if (f)
            fclose(f);
        if (got == sizeof head && memcmp(head, PL_LOGFILE_MAGIC, sizeof head) == 0) {
            *b = NULL, *n = 0;
            return EXIT_OK;
        }
        return (*b = io_read_file(arg, LOG_MAX_BYTES, n)) != NULL ? EXIT_OK : EXIT_USAGE;
    }
    if (strspn(arg, "0123456789abcdefABCDEF") != strlen(arg)) {
        fprintf(stderr, _("parley report: there is no file '%s', and it is not a case id (64 hex "
                          "digits or a unique prefix; see parley cases)\n"), arg);
        return EXIT_USAGE;
    }
    return cli_node_read("report", cli_home(home), arg, id, b, n, NULL, 0, NULL);
}

int cmd_report_main(int argc, char **argv)
{
    const char *path = NULL, *outpath = NULL, *home = NULL;
    int json = 0, html = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(EXIT_OK);
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--html") == 0)
            html = 1;
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            outpath = argv[++i];
        else if (strcmp(argv[i], "--home") == 0 && i + 1 < argc)
            home = argv[++i];
        else if (path == NULL && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, _("parley report: unexpected argument '%s'\n"), argv[i]);
            return usage(EXIT_USAGE);
        }
    }
    if (path == NULL || (json && html))
        return usage(EXIT_USAGE);
    size_t n;
    uint8_t *b = NULL;
    int from_node, rc = load(path, home, &b, &n, &from_node);
    if (rc != EXIT_OK)
        return rc;
    char label[300];
    snprintf(label, sizeof label, from_node ? _("the node's log of case %s") : "'%s'", path);
    cli_log l;
    memset(&l, 0, sizeof l);
    pl_case *c = NULL;
    char verified[320];
    if (b != NULL && n >= PL_CERT_MAGIC_BYTES && memcmp(b, PL_CERT_MAGIC, PL_CERT_MAGIC_BYTES) == 0) {
        /* SPEC §16.3, §17.1: a certificate is reported on once it verifies
         * alone; the report covers the messages it holds. */
        pl_cert_report cr;
        int cerr = pl_cert_verify(b, n, &cr);
        free(b);
        if (cerr != PL_OK) {
            fprintf(stderr, _("parley report: %s is not a valid agreement certificate: %s [%s]; run "
                              "'parley verify %s' for the details\n"), label, cr.detail,
                    pl_errname(cerr), path);
            pl_cert_report_free(&cr);
            return EXIT_CHECK;
        }
        c = cr.c;
        cr.c = NULL;
        snprintf(verified, sizeof verified,
                 _("the certificate verifies: %zu messages, a final agreement"), pl_case_count(c));
        goto render;
    }
    int err = b != NULL ? cli_log_read(b, n, &l) : cli_log_stream(path, 1, &l);
    free(b);
    if (err == PL_E_LOGFILE) {
        fprintf(stderr, _("parley report: %s is not a Parley log file; export one with "
                          "'parley export'\n"), label);
        return EXIT_USAGE;
    }
    if (err == PL_E_IO)
        return EXIT_USAGE; /* printed */
    if (err != PL_OK) {
        fprintf(stderr, _("parley report: out of memory\n"));
        return EXIT_CHECK;
    }
    /* SPEC §17.1: no report over a log that does not verify; but one whose
     * only errors are proven equivocations is whole, and reported (v2). */
    size_t nequiv = 0;
    int forked = !l.verified && cli_log_only_equivocations(&l, &nequiv);
    if (!l.verified && !forked) {
        fprintf(stderr, _("parley report: %s does not verify; run 'parley %s %s' for the "
                          "reasons\n"), label, from_node ? "log" : "verify", path);
        cli_log_free(&l);
        return EXIT_CHECK;
    }
    c = cli_log_judge(&l);
    if (forked)
        snprintf(verified, sizeof verified,
                 _("every message of the log verifies (%zu), but it holds %zu proven "
                   "equivocation(s): an author signed two messages with one seq, and its messages "
                   "from there on count for nothing (SPEC §13.14)"), l.n, nequiv);
    else
        snprintf(verified, sizeof verified, _("the log verifies: %zu messages, no problem found"),
                 l.n);
render:;
    char *text = NULL;
    size_t text_len = 0;
    if (c != NULL && html) {
        /* into memory first, so the file is written whole or not at all */
        FILE *f = open_memstream(&text, &text_len);
        if (f == NULL || cli_report_html(c, verified, f) != PL_OK)
            rc = EXIT_CHECK;
        if (f != NULL && fclose(f) != 0)
            rc = EXIT_CHECK;
    } else if (c != NULL) {
        if ((json ? pl_report_json(c, &text)
                  : pl_report_text_lang(c, cli_zh() ? PL_LANG_ZH : PL_LANG_EN, &text)) != PL_OK)
            rc = EXIT_CHECK;
        else
            text_len = strlen(text);
    } else {
        rc = EXIT_CHECK;
    }
    if (rc != EXIT_OK)
        fprintf(stderr, _("parley report: out of memory\n"));
    else if (outpath)
        rc = io_write_file(outpath, (const uint8_t *)text, text_len, 0600, 1) == 0 ? EXIT_OK
                                                                                 : EXIT_CHECK;
    else
        fwrite(text, 1, text_len, stdout);
    free(text);
    pl_case_destroy(&c);
    cli_log_free(&l);
    return rc;
}
