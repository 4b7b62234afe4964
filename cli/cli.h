/* Shared pieces of the `parley` command: the subcommand table's entry type,
 * and the exit codes (0 ok, 1 failed check,
 * 2 usage or unusable input), as wireguard-tools and minisign do. */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parley/parley.h"
#include "i18n.h"
#include "io.h"

enum { EXIT_OK = 0, EXIT_CHECK = 1, EXIT_USAGE = 2 };

void cli_hex(const uint8_t *b, size_t n, char *out); /* out: 2n+1 */

/* Prints s to stdout as a JSON string, quoted and escaped. */
void cli_json_str(const char *s);

/* Terms from a JSON file (terms_json.c): the terms map of SPEC §15.2 key for
 * key, judged by pl_terms_decode as a receiver would judge it. path "-" is
 * stdin. 0 with *out filled; else *out is zeroed, why is printed, and the
 * exit code is EXIT_USAGE (not JSON, or not terms: PL_E_TERMS_SCHEMA) or
 * EXIT_CHECK (terms the protocol refuses, printed as cli_terms_refused). */
int cli_terms_json_read(const char *verb, const char *path, pl_terms *out, pl_terms_problem *why);
/* The same on text in memory, printing nothing; err says why. */
typedef struct {
    int code;             /* the protocol's PL_E_* when it refused the terms, else 0 */
    int line, column;     /* of a JSON syntax error (1-based), else 0 */
    pl_terms_problem why; /* the protocol's reason, when code is set */
    char text[320];       /* one sentence */
} cli_terms_json_error;
int cli_terms_json_parse(const char *json, size_t len, pl_terms *out, cli_terms_json_error *err);
/* "parley VERB: unlawful terms, nothing was sent: NAME (SPEC §S; law): detail"
 * on stderr; returns EXIT_CHECK. */
int cli_terms_refused(const char *verb, const pl_terms_problem *why);

/* A log file read and verified (log.c). msgs are the messages the verifier
 * accepted, in its order until cli_log_judge puts them in display order;
 * rejected ones are only in the verifier's report (SPEC §8.3). */
typedef struct {
    uint8_t case_id[PL_CASE_ID_BYTES];
    pl_verifier *v; /* its report says every problem, and holds the proofs */
    pl_msg **msgs;
    size_t n, cap;
    pl_msg **forks; /* messages refused as the second of a fork (PL_E_EQUIVOCATION) */
    size_t nforks, capforks;
    int failed;   /* out of memory while keeping a message */
    int split;    /* 1: the file ended cleanly; negative: the reader's error */
    int verified; /* no problem at all */
    /* SPEC §8.3 (v2): the proofs the file carries: the valid ones (copies,
     * applied when judging), and the error of each in file order */
    uint8_t **proofs;
    size_t *proof_lens, nproofs, capproofs;
    int proof_err[64];
    size_t nproof_err;
    /* accepted messages per author, in first-seen order (kept or not) */
    struct {
        uint8_t pk[PL_PK_BYTES];
        uint64_t messages;
    } authors[PL_VERIFY_DEFAULT_MAX_AUTHORS];
    size_t nauthors;
    /* the charter's body (names and roles for people: issue 15), decoded
     * from the first charter the verifier accepted; type 0 when none */
    pl_body charter;
} cli_log;

/* PL_E_LOGFILE if b is not a log file, PL_E_NOMEM; else PL_OK, even when the
 * log does not verify (then l->verified is 0). */
int cli_log_read(const uint8_t *b, size_t len, cli_log *l);
/* The same for a log this user's own node sent over its control channel
 * (pl_control_call checks that the node is this user's process):
 * signatures are not checked again — the node checked each before storing
 * it, and trusts its store as this does (a store restored from a backup
 * is the owner's to vouch for) — while structure, hashes, chains,
 * references and forks are. For acts and what waits, never for verify,
 * report or log, and never for a log that leaves the machine. */
int cli_log_read_own(const uint8_t *b, size_t len, cli_log *l);
/* The same, streaming a file (issue 17): read in chunks, each message
 * decoded and signature-checked once, on every core, and given to the
 * verifier in file order, so the report is the one cli_log_read gives.
 * With keep 0 no message is kept (l->msgs stays empty): memory is the
 * verifier's own state and one chunk, whatever the file's size. Returns
 * PL_E_IO (printed) when the file cannot be read. */
int cli_log_stream(const char *path, int keep, cli_log *l);
/* The threads cli_log_stream checks signatures on: 0 (the default) one per
 * core, at most CLI_STREAM_MAX_THREADS (parley verify --threads). */
#define CLI_STREAM_MAX_THREADS 8
extern size_t cli_stream_threads;
/* Orders l->msgs for display and judges them; NULL when out of memory. */
pl_case *cli_log_judge(cli_log *l);
/* The same, and after[i] (l->n of them) says what judging l->msgs[i] gave:
 * its verdict (or why the case could not keep it) and the case's status
 * just after it, for a timeline that shows how the agreement evolved. */
typedef struct {
    int verdict;
    pl_case_status status;
} cli_step;
pl_case *cli_log_judge_steps(cli_log *l, cli_step *after);
void cli_log_free(cli_log *l);
/* A message of the log by id or unique prefix (8+ hex digits): its index;
 * -2 when arg is no id at all, -1 when no single message matches (both
 * said on stderr, for verb). */
long cli_log_find(const cli_log *l, const char *verb, const char *arg);
/* SPEC §17.1 (v2): whether every error of l is an equivocation (a fork's
 * second message, a proof the file carries): the record is whole and an
 * author misbehaved. Sets *n to how many. */
int cli_log_only_equivocations(const cli_log *l, size_t *n);

/* Verifies a log held in memory and prints the report (and the timeline):
 * what `parley verify FILE` and `parley log CASE` print; file is NULL for a
 * log from the local node (named then by its case). Exit code. */
int cli_verify_log(const char *file, const uint8_t *b, size_t n, int json, int timeline);

/* The timeline of a read log (timeline.c): every message in display order
 * with its author, verdict, content, what it answers or signs, what a
 * counter-offer changes (SPEC §15.5) and the agreement after it. As text
 * lines; or as JSON members `,"timeline":[…],"agreement":{…}` the caller
 * puts inside its object. Returns 0, or EXIT_CHECK out of memory. */
int cli_timeline(cli_log *l, int json);
/* ms since 1970 as ISO-8601 UTC, "2026-12-01T08:01:00Z" (with_ms:
 * "…:00.250Z"); out holds 32 bytes. */
void cli_iso_time(uint64_t ms, int with_ms, char out[32]);
/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (UTC) as ms since 1970; -1 if not
 * exactly that, or not a date. */
int64_t cli_parse_utc(const char *s);
/* YYYY-MM-DDTHH:MM in local time (TZ, else Beijing time), or with Z or an
 * offset (+08:00) after it; ms since the epoch, or -1. */
int64_t cli_parse_local(const char *s);
/* A public key from 64 hex digits or a key file; 0, or -1 with the reason
 * printed. */
int cli_read_pk(const char *arg, uint8_t pk[PL_PK_BYTES]);

int cmd_keygen_main(int argc, char **argv);
int cmd_key_main(int argc, char **argv);
int cmd_verify_main(int argc, char **argv);
int cmd_report_main(int argc, char **argv);
int cmd_trust_main(int argc, char **argv);
int cmd_invitations_main(int argc, char **argv);
int cmd_accept_main(int argc, char **argv);
int cmd_decline_main(int argc, char **argv);
/* The local node (cmd_node.c): its home (--home, else $PARLEY_HOME, else
 * ~/.parley); a case named by id or unique prefix; a case's log as the node
 * holds it (malloc'd; free()). Each prints why it failed and returns an
 * exit code. */
const char *cli_home(const char *flag);
int cli_node_export(const char *verb, const char *home, const uint8_t id[PL_CASE_ID_BYTES],
                    uint8_t **log, size_t *len);
/* issue 13 §2: what an act is built from, in one request: the case named
 * by id or unique prefix, its log as the node holds it (malloc'd;
 * free()), and the node's public keys (at most max, its first key
 * first; keys NULL: not wanted). */
int cli_node_read(const char *verb, const char *home, const char *arg,
                  uint8_t id[PL_CASE_ID_BYTES], uint8_t **log, size_t *len,
                  uint8_t keys[][PL_PK_BYTES], size_t max, size_t *nkeys);

/* What the rules expect now of each of keys in the case, and what each is
 * waiting for (todo.c): printed as lines, or as JSON objects separated by
 * commas (the caller writes the brackets). Returns the number of items. */
int cli_todo(const pl_case *c, const uint8_t (*keys)[PL_PK_BYTES], size_t nkeys, int json);

/* The local node's verbs (cmd_node.c). */
int cmd_status_main(int argc, char **argv);
int cmd_cases_main(int argc, char **argv);
int cmd_export_main(int argc, char **argv);
int cmd_connect_main(int argc, char **argv);
int cmd_stop_main(int argc, char **argv);
int cmd_ui_main(int argc, char **argv);
int cmd_wait_main(int argc, char **argv);
int cmd_disconnect_main(int argc, char **argv);
int cmd_log_main(int argc, char **argv);
/* The negotiation verbs that sign through the node (cmd_act.c). */
int cmd_case_create_main(int argc, char **argv);
int cmd_join_main(int argc, char **argv);
int cmd_offer_main(int argc, char **argv);
int cmd_opinion_main(int argc, char **argv);
int cmd_respond_main(int argc, char **argv);
int cmd_sign_main(int argc, char **argv);
int cmd_withdraw_main(int argc, char **argv);
int cmd_close_main(int argc, char **argv);
int cmd_disclose_main(int argc, char **argv);
int cmd_ack_main(int argc, char **argv);
int cmd_session_propose_main(int argc, char **argv);
int cmd_session_accept_main(int argc, char **argv);
int cmd_session_decline_main(int argc, char **argv);
int cmd_observe_main(int argc, char **argv);
int cmd_recording_main(int argc, char **argv);
int cmd_draw_commit_main(int argc, char **argv);
int cmd_draw_reveal_main(int argc, char **argv);
int cmd_retract_main(int argc, char **argv);
int cmd_judgment_main(int argc, char **argv);
int cmd_notice_main(int argc, char **argv);
int cmd_notice_ack_main(int argc, char **argv);
int cmd_settle_main(int argc, char **argv);
int cmd_consent_main(int argc, char **argv);
int cmd_interpret_main(int argc, char **argv);
int cmd_publicity_main(int argc, char **argv);
/* What verification of a certificate found beyond the certificate itself
 * (SPEC §16.6): the anchors file (NULL: none given) and whether it vouched
 * for the prosecution's and counsel's keys, an identity number's check, and
 * the certificate hash in hex ("" when not computed). */
typedef struct {
    const char *anchors;
    int trusted;
    int id_checked, id_matches;
    char hash[2 * PL_CERT_HASH_BYTES + 1];
} cli_statement_check;

/* A verified certificate as a 认罪认罚具结书 (cli/statement.c); terms is the
 * decoded pl_terms of the signed offer, or NULL. On stdout as text, or as
 * a self-contained HTML page for printing, with qr_svg (an inline <svg>,
 * or NULL) beside it. */
void cli_print_statement(const pl_cert_report *r, const pl_terms *t, const cli_statement_check *v);
int cli_statement_html(FILE *f, const pl_cert_report *r, const pl_terms *t,
                       const cli_statement_check *v, const char *qr_svg);

/* The printed copy (cli/print.c, SPEC §16.6): an inline SVG QR code of
 * text (malloc'd, NULL on failure); and an HTML page printed to PDF by
 * headless Chromium ($PARLEY_CHROMIUM, else chromium on PATH), in a
 * private directory removed after: 0 and *pdf (malloc'd, starts %PDF-),
 * or -1 with the reason printed. */
char *cli_qr_svg(const char *text);
int cli_html_to_pdf(const uint8_t *html, size_t len, uint8_t **pdf, size_t *pdf_len);
int cmd_court_adjust_main(int argc, char **argv);
int cmd_reopen_main(int argc, char **argv);

/* The report as one self-contained HTML page; verified says what the
 * verification found. */
int cli_report_html(const pl_case *c, const char *verified, FILE *f);

#endif
