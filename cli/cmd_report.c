/* parley report: the observer report (SPEC §17) of a log file, as text or
 * JSON. The log is verified first (SPEC §6); a log that does not verify
 * gets no report, since a report over a broken record would mislead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define LOG_MAX_BYTES (1024u * 1024u * 1024u)

static int usage(int rc)
{
    fprintf(rc ? stderr : stdout,
            "usage: parley report FILE [--json | --html] [-o OUT]\n\n"
            "Prints the observer report of a case's log file (from 'parley export'):\n"
            "participants, agreement and terms, timeline, every input with its response\n"
            "and how long it took, sessions, disclosures, unilateral acts, violations.\n"
            "--html writes one self-contained page (tables and a chart of the proposed\n"
            "penalties; nothing is fetched from the network). -o writes to OUT instead\n"
            "of standard output.\n"
            "exit status: 0 ok, 1 the log does not verify, 2 usage or unusable input\n");
    return rc;
}

int cmd_report_main(int argc, char **argv)
{
    const char *path = NULL, *outpath = NULL;
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
        else if (path == NULL && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "parley report: unexpected argument '%s'\n", argv[i]);
            return usage(EXIT_USAGE);
        }
    }
    if (path == NULL || (json && html))
        return usage(EXIT_USAGE);
    size_t n, off, mlen;
    uint8_t *b = cli_read_file(path, LOG_MAX_BYTES, &n), case_id[PL_CASE_ID_BYTES];
    const uint8_t *m;
    if (b == NULL)
        return EXIT_USAGE;
    if (pl_logfile_open(b, n, case_id, &off) != PL_OK) {
        fprintf(stderr, "parley report: '%s' is not a Parley log file; export one with "
                        "'parley export'\n", path);
        free(b);
        return EXIT_USAGE;
    }
    pl_verifier *v = pl_verifier_new(case_id, NULL);
    pl_msg **msgs = NULL;
    size_t nmsgs = 0, cap = 0;
    int split;
    while (v && (split = pl_logfile_next(b, n, &off, &m, &mlen)) == PL_OK) {
        (void)!pl_verifier_add(v, m, mlen);
        pl_msg *d;
        if (pl_msg_decode(m, mlen, case_id, &d) != PL_OK)
            continue;
        if (nmsgs == cap) {
            cap = cap ? 2 * cap : 64;
            pl_msg **g = realloc(msgs, cap * sizeof *g);
            if (g == NULL)
                abort();
            msgs = g;
        }
        msgs[nmsgs++] = d;
    }
    free(b);
    int rc = EXIT_OK;
    if (v == NULL || pl_verifier_finish(v) != PL_OK || split != 1) {
        fprintf(stderr, "parley report: '%s' does not verify; run 'parley verify %s' for the "
                        "reasons\n", path, path);
        rc = EXIT_CHECK;
    } else if (pl_log_order((const pl_msg **)msgs, nmsgs) != PL_OK) {
        rc = EXIT_CHECK;
    } else {
        pl_case *c = pl_case_new(case_id);
        for (size_t i = 0; c && i < nmsgs; i++)
            (void)!pl_case_add(c, msgs[i]);
        char *text = NULL;
        if (html && c) {
            char verified[128];
            snprintf(verified, sizeof verified, "the log verifies: %zu messages, no problem found",
                     nmsgs);
            FILE *f = outpath ? fopen(outpath, "w") : stdout;
            if (f == NULL || cli_report_html(c, verified, f) != PL_OK) {
                fprintf(stderr, "parley report: cannot write '%s'\n", outpath ? outpath : "-");
                rc = EXIT_CHECK;
            }
            if (f && f != stdout && fclose(f) != 0)
                rc = EXIT_CHECK;
        } else if (c == NULL || (json ? pl_report_json(c, &text) : pl_report_text(c, &text)) != PL_OK) {
            fprintf(stderr, "parley report: out of memory\n");
            rc = EXIT_CHECK;
        } else if (outpath) {
            if (cli_write_file(outpath, (const uint8_t *)text, strlen(text), 0644, 1) != 0)
                rc = EXIT_CHECK;
        } else {
            fputs(text, stdout);
        }
        free(text);
        pl_case_destroy(&c);
    }
    for (size_t i = 0; i < nmsgs; i++)
        pl_msg_destroy(&msgs[i]);
    free(msgs);
    pl_verifier_destroy(&v);
    return rc;
}
