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
    size_t n;
    uint8_t *b = cli_read_file(path, LOG_MAX_BYTES, &n);
    if (b == NULL)
        return EXIT_USAGE;
    cli_log l;
    int err = cli_log_read(b, n, &l);
    free(b);
    if (err == PL_E_LOGFILE) {
        fprintf(stderr, "parley report: '%s' is not a Parley log file; export one with "
                        "'parley export'\n", path);
        return EXIT_USAGE;
    }
    if (err != PL_OK) {
        fprintf(stderr, "parley report: out of memory\n");
        return EXIT_CHECK;
    }
    /* SPEC §17.1: no report over a log that does not verify. */
    if (!l.verified) {
        fprintf(stderr, "parley report: '%s' does not verify; run 'parley verify %s' for the "
                        "reasons\n", path, path);
        cli_log_free(&l);
        return EXIT_CHECK;
    }
    int rc = EXIT_OK;
    pl_case *c = cli_log_judge(&l);
    char *text = NULL;
    size_t text_len = 0;
    if (c != NULL && html) {
        /* into memory first, so the file is written whole or not at all */
        char verified[128];
        snprintf(verified, sizeof verified, "the log verifies: %zu messages, no problem found",
                 l.n);
        FILE *f = open_memstream(&text, &text_len);
        if (f == NULL || cli_report_html(c, verified, f) != PL_OK)
            rc = EXIT_CHECK;
        if (f != NULL && fclose(f) != 0)
            rc = EXIT_CHECK;
    } else if (c != NULL) {
        if ((json ? pl_report_json(c, &text) : pl_report_text(c, &text)) != PL_OK)
            rc = EXIT_CHECK;
        else
            text_len = strlen(text);
    } else {
        rc = EXIT_CHECK;
    }
    if (rc != EXIT_OK)
        fprintf(stderr, "parley report: out of memory\n");
    else if (outpath)
        rc = cli_write_file(outpath, (const uint8_t *)text, text_len, 0644, 1) == 0 ? EXIT_OK
                                                                                 : EXIT_CHECK;
    else
        fwrite(text, 1, text_len, stdout);
    free(text);
    pl_case_destroy(&c);
    cli_log_free(&l);
    return rc;
}
