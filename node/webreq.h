/* The web app's requests to act (issue 16): a browser's JSON request,
 * turned into the argument list of one `parley` verb, or refused. The web
 * app holds no protocol rule: every act it offers is the same verb a
 * terminal user runs, so the two interfaces cannot disagree, and every
 * rule is applied by the CLI and the node behind it. What this file holds
 * is the boundary: which verbs and flags a page may use, and the bounds on
 * every value a page sends (SPEC §14.12 *Web app*).
 *
 * A request is one JSON object:
 *   {"verb": "sign", "args": ["<case hex>", "<message hex>"],
 *    "flags": {"--as": "suspect", "--witness": true},
 *    "passphrase": "...",            (a held key's, SPEC §14.12)
 *    "stdin": "...",                 (the terms of an offer, as JSON)
 *    "files": {"1": "<base64>"},     (args that are files, by position; an
 *                                     array of 1 to 4 for a verb taking files)
 *    "names": {"1": "notice.pdf"},   (their names, optional: a disclosure
 *                                     records each item's name)
 *    "lang": "zh" | "en"}
 * Kept apart from the HTTP code so that it is fuzzed alone
 * (fuzz/fuzz_webreq.c).
 *
 * Ownership: pl_webreq_parse fills a plan the caller frees with
 * pl_webreq_free (it wipes the passphrase). */
#ifndef PARLEY_NODE_WEBREQ_H
#define PARLEY_NODE_WEBREQ_H

#include <stddef.h>
#include <stdint.h>

#define PL_WEBREQ_MAX_BYTES (24u << 20) /* a request body (a file, base64) */
#define PL_WEBREQ_FILE_MAX (16u << 20)  /* one file's bytes */
#define PL_WEBREQ_VALUE_MAX 65536       /* one flag's value or the stdin text */
#define PL_WEBREQ_PASS_MAX 1024         /* a passphrase (PL_CONTROL_PASS_MAX) */
#define PL_WEBREQ_MAX_ARGV 64
#define PL_WEBREQ_MAX_FILES 4
#define PL_WEBREQ_NAME_MAX 128          /* a file's name, bytes */
#define PL_WEBREQ_ERR_MAX 200

typedef struct {
    /* argv[0] is the verb; the caller adds the program, --home and the
     * file paths (file i replaces argv[file_at[i]]). */
    char *argv[PL_WEBREQ_MAX_ARGV + 1];
    int argc;
    int node;  /* the verb talks to the node: --home is added */
    char *stdin_text; /* or NULL */
    char *passphrase; /* or NULL; sodium-wiped by pl_webreq_free */
    uint8_t *files[PL_WEBREQ_MAX_FILES];
    size_t file_len[PL_WEBREQ_MAX_FILES];
    int file_at[PL_WEBREQ_MAX_FILES];
    char *file_name[PL_WEBREQ_MAX_FILES]; /* the name the person's file had, or NULL */
    int nfiles;
    char lang[3]; /* "zh" or "en" */
} pl_webreq;

/* 0, or -1 with err saying what is wrong (for the page's developer, in
 * English: a well-formed page never sends a refused request). */
int pl_webreq_parse(const char *body, size_t len, pl_webreq *out, char err[PL_WEBREQ_ERR_MAX]);
void pl_webreq_free(pl_webreq *r);

/* Whether s is 8 to 64 hex digits (a case or message id, or its prefix). */
int pl_webreq_hexid(const char *s);

#endif
