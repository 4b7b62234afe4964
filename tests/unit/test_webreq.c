/* The web app's act requests (node/webreq.c, SPEC §14.12 *Web app* rule 5):
 * what a page may run, and every kind of request refused with a reason
 * before anything runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "webreq.h"

#define CASE "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int parse(const char *json, pl_webreq *r, char err[PL_WEBREQ_ERR_MAX])
{
    return pl_webreq_parse(json, strlen(json), r, err);
}

/* The argument list, joined by spaces. */
static void joined(const pl_webreq *r, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; i < r->argc; i++) {
        strncat(out, i ? " " : "", cap - strlen(out) - 1);
        strncat(out, r->argv[i], cap - strlen(out) - 1);
    }
}

static void test_sign_with_a_passphrase(void **state)
{
    (void)state;
    pl_webreq r;
    char err[PL_WEBREQ_ERR_MAX], line[1024];
    assert_int_equal(parse("{\"verb\":\"sign\",\"args\":[\"" CASE "\",\"fedcba98\"],"
                           "\"flags\":{\"--as\":\"counsel\",\"--witness\":true},"
                           "\"passphrase\":\"secret words\",\"lang\":\"en\"}",
                           &r, err),
                     0);
    joined(&r, line, sizeof line);
    /* the passphrase never in argv: a pipe (fd 3) carries it */
    assert_string_equal(line, "sign " CASE " fedcba98 --as counsel --witness --passphrase-file "
                              "/dev/fd/3 --json");
    assert_string_equal(r.passphrase, "secret words\n");
    assert_true(r.node);
    assert_string_equal(r.lang, "en");
    pl_webreq_free(&r);
}

/* A case page asks for its own case's status (one case judged). */
static void test_status_of_one_case(void **state)
{
    (void)state;
    pl_webreq r;
    char err[PL_WEBREQ_ERR_MAX], line[1024];
    assert_int_equal(parse("{\"verb\":\"status\",\"flags\":{\"--case\":\"" CASE "\"}}", &r, err),
                     0);
    joined(&r, line, sizeof line);
    assert_string_equal(line, "status --case " CASE " --json");
    pl_webreq_free(&r);
}

/* A disclosure's files keep the names they had (the log records each
 * item's name); an acknowledgment takes the received files the same way. */
static void test_files_with_names(void **state)
{
    (void)state;
    pl_webreq r;
    char err[PL_WEBREQ_ERR_MAX], line[1024];
    assert_int_equal(parse("{\"verb\":\"disclose\",\"args\":[\"" CASE "\",null],"
                           "\"files\":{\"1\":[\"aGVsbG8=\",\"YQ==\"]},"
                           "\"names\":{\"1\":[\"\u8d77\u8bc9.txt\",\"blood test.txt\"]},"
                           "\"flags\":{\"--as\":\"prosecution\"}}",
                           &r, err),
                     0);
    joined(&r, line, sizeof line);
    assert_string_equal(line, "disclose " CASE " (file) (file) --as prosecution --json");
    assert_int_equal(r.nfiles, 2);
    assert_int_equal(r.file_at[0], 2);
    assert_int_equal(r.file_at[1], 3);
    assert_string_equal(r.file_name[0], "\xe8\xb5\xb7\xe8\xaf\x89.txt");
    assert_string_equal(r.file_name[1], "blood test.txt");
    assert_int_equal(r.file_len[1], 1);
    pl_webreq_free(&r);
    /* one file without an array, and no names: allowed */
    assert_int_equal(parse("{\"verb\":\"ack\",\"args\":[\"" CASE "\",\"abcdef01\",null],"
                           "\"files\":{\"2\":\"YQ==\"}}",
                           &r, err),
                     0);
    assert_int_equal(r.nfiles, 1);
    assert_null(r.file_name[0]);
    pl_webreq_free(&r);
}

static void refused(const char *json, const char *why);

/* SPEC §13.7 (v2): a compensation demand's amount passes to the verb. */
static void test_opinion_amount(void **state)
{
    (void)state;
    pl_webreq r;
    char err[PL_WEBREQ_ERR_MAX], line[1024];
    assert_int_equal(parse("{\"verb\":\"opinion\",\"args\":[\"" CASE "\"],\"flags\":{\"--topic\":"
                           "\"compensation\",\"--amount\":\"30000\",\"--text\":\"x\"}}",
                           &r, err),
                     0);
    joined(&r, line, sizeof line);
    assert_non_null(strstr(line, "--amount 30000"));
    pl_webreq_free(&r);
    refused("{\"verb\":\"sign\",\"args\":[\"" CASE "\",\"abcdef01\"],\"flags\":{\"--amount\":\"1\"}}",
            "--amount");
}

/* The observer's view (the report) and the draw steps. */
static void test_report_and_draw(void **state)
{
    (void)state;
    pl_webreq r;
    char err[PL_WEBREQ_ERR_MAX], line[1024];
    assert_int_equal(parse("{\"verb\":\"report\",\"args\":[\"" CASE "\"]}", &r, err), 0);
    joined(&r, line, sizeof line);
    assert_string_equal(line, "report " CASE " --json");
    assert_true(r.node);
    pl_webreq_free(&r);
    assert_int_equal(parse("{\"verb\":\"draw-commit\",\"args\":[\"" CASE "\"],"
                           "\"flags\":{\"--as\":\"counsel\",\"--round\":\"2\"}}",
                           &r, err),
                     0);
    joined(&r, line, sizeof line);
    assert_string_equal(line, "draw-commit " CASE " --as counsel --round 2 --json");
    pl_webreq_free(&r);
    /* a report of a file is not a page's to ask: a case id only */
    refused("{\"verb\":\"report\",\"args\":[\"/etc/passwd\"]}", "case id");
    refused("{\"verb\":\"draw-reveal\",\"args\":[\"" CASE "\"],\"flags\":{\"--round\":\"-1\"}}",
            "may not start with '-'");
}

static void test_files_and_terms(void **state)
{
    (void)state;
    pl_webreq r;
    char err[PL_WEBREQ_ERR_MAX], line[1024];
    assert_int_equal(parse("{\"verb\":\"notice\",\"args\":[\"" CASE "\",null],"
                           "\"files\":{\"1\":\"aGVsbG8=\"},\"flags\":{\"--language\":\"zh\"}}",
                           &r, err),
                     0);
    assert_int_equal(r.nfiles, 1);
    assert_int_equal(r.file_at[0], 2);
    assert_int_equal(r.file_len[0], 5);
    assert_memory_equal(r.files[0], "hello", 5);
    assert_string_equal(r.lang, "zh"); /* Chinese unless the page says */
    pl_webreq_free(&r);
    assert_int_equal(parse("{\"verb\":\"offer-check\",\"stdin\":\"{}\"}", &r, err), 0);
    joined(&r, line, sizeof line);
    assert_string_equal(line, "offer --check --terms - --json");
    assert_false(r.node); /* a check of the terms alone needs no node */
    assert_string_equal(r.stdin_text, "{}");
    pl_webreq_free(&r);
    /* SPEC §13.25: withdrawing a settlement proposal is parley settle
     * --withdraw, with no file */
    assert_int_equal(parse("{\"verb\":\"settle-withdraw\",\"args\":[\"0123456789abcdef\"],"
                           "\"flags\":{\"--withdraw\":\"89abcdef89abcdef\",\"--text\":\"why\"}}",
                           &r, err),
                     0);
    joined(&r, line, sizeof line);
    assert_string_equal(line, "settle 0123456789abcdef --withdraw 89abcdef89abcdef --text why --json");
    pl_webreq_free(&r);
    assert_int_equal(parse("{\"verb\":\"settle-withdraw\",\"args\":[\"0123456789abcdef\"],"
                           "\"flags\":{\"--withdraw\":\"not hex\"}}",
                           &r, err),
                     -1);
    pl_webreq_free(&r);
    assert_int_equal(parse("{\"verb\":\"case-create\",\"flags\":{\"--title\":\"T\","
                           "\"--participant\":[\"prosecution:a:W\",\"victim:b:C\"]}}",
                           &r, err),
                     0);
    joined(&r, line, sizeof line);
    assert_string_equal(line, "case-create --title T --participant prosecution:a:W --participant "
                              "victim:b:C --json");
    pl_webreq_free(&r);
}

static void refused(const char *json, const char *why)
{
    pl_webreq r;
    char err[PL_WEBREQ_ERR_MAX];
    if (pl_webreq_parse(json, strlen(json), &r, err) == 0) {
        pl_webreq_free(&r);
        fail_msg("accepted: %s", json);
    }
    if (strstr(err, why) == NULL)
        fail_msg("refused %s with '%s', not '%s'", json, err, why);
}

static void test_refusals(void **state)
{
    (void)state;
    refused("not json", "not one JSON object");
    refused("[1]", "not one JSON object");
    refused("{\"verb\":\"keygen\"}", "unknown verb");
    refused("{\"verb\":\"stop\"}", "unknown verb"); /* a page cannot stop the node */
    refused("{\"verb\":\"sign\",\"args\":[\"" CASE "\"]}", "takes 2 argument(s)");
    refused("{\"verb\":\"log\",\"args\":[\"--home\"]}", "case id");
    refused("{\"verb\":\"log\",\"args\":[\"abc\"]}", "case id");
    refused("{\"verb\":\"sign\",\"args\":[\"" CASE "\",\"" CASE "\"],\"flags\":{\"--home\":\"/\"}}",
            "does not take --home");
    refused("{\"verb\":\"sign\",\"args\":[\"" CASE "\",\"" CASE "\"],"
            "\"flags\":{\"--passphrase-file\":\"/etc/shadow\"}}",
            "does not take --passphrase-file");
    refused("{\"verb\":\"sign\",\"args\":[\"" CASE "\",\"" CASE "\"],\"flags\":{\"--witness\":\"x\"}}",
            "true or false");
    refused("{\"verb\":\"opinion\",\"args\":[\"" CASE "\"],\"flags\":{\"--text\":[\"a\",\"b\"]}}",
            "takes one value");
    /* a NUL inside a value: jansson refuses the whole body */
    refused("{\"verb\":\"opinion\",\"args\":[\"" CASE "\"],\"flags\":{\"--text\":\"a\\u0000b\"}}",
            "not one JSON object");
    refused("{\"verb\":\"opinion\",\"args\":[\"" CASE "\"],\"stdin\":\"x\"}", "stdin");
    refused("{\"verb\":\"verify\",\"args\":[null],\"files\":{\"0\":\"AAEC\"},\"passphrase\":\"p\"}",
            "passphrase");
    refused("{\"verb\":\"verify\",\"args\":[null]}", "send it in files");
    /* a value that is a flag of the verb's own first pass (review finding) */
    refused("{\"verb\":\"offer\",\"args\":[\"" CASE "\"],\"flags\":{\"--as\":\"--terms\"}}",
            "may not start with '-'");
    refused("{\"verb\":\"offer\",\"args\":[\"" CASE "\"],\"flags\":{\"--answers\":\"latest\"}}",
            "takes an id");
    refused("{\"verb\":\"verify\",\"args\":[null],\"files\":{\"0\":\"***\"}}", "base64");
    refused("{\"verb\":\"status\",\"lang\":\"fr\"}", "lang");
    /* file names are names, not paths */
    refused("{\"verb\":\"disclose\",\"args\":[\"" CASE "\",null],\"files\":{\"1\":[\"YQ==\"]},"
            "\"names\":{\"1\":[\"../store.db\"]}}", "file name");
    refused("{\"verb\":\"disclose\",\"args\":[\"" CASE "\",null],\"files\":{\"1\":[\"YQ==\"]},"
            "\"names\":{\"1\":[\"..\"]}}", "file name");
    refused("{\"verb\":\"disclose\",\"args\":[\"" CASE "\",null],\"files\":{\"1\":[\"YQ==\"]},"
            "\"names\":{\"1\":[\"a\\u0001b\"]}}", "file name");
    refused("{\"verb\":\"disclose\",\"args\":[\"" CASE "\",null],\"files\":{\"1\":[\"YQ==\"]},"
            "\"names\":{\"1\":[\"a\\\\b\"]}}", "file name");
    refused("{\"verb\":\"disclose\",\"args\":[\"" CASE "\",null],\"files\":{\"1\":[\"YQ==\",\"YQ==\"]},"
            "\"names\":{\"1\":[\"a\"]}}", "names each file");
    refused("{\"verb\":\"disclose\",\"args\":[\"" CASE "\",null],\"files\":{\"1\":[]}}", "1 to 4");
    refused("{\"verb\":\"disclose\",\"args\":[\"" CASE "\",null],"
            "\"files\":{\"1\":[\"YQ==\",\"YQ==\",\"YQ==\",\"YQ==\",\"YQ==\"]}}", "1 to 4");
    /* a verb of one file takes no array */
    refused("{\"verb\":\"notice\",\"args\":[\"" CASE "\",null],\"files\":{\"1\":[\"YQ==\"]}}",
            "as base64");
    /* a case page's status names its case by id, nothing else */
    refused("{\"verb\":\"status\",\"flags\":{\"--case\":\"--home\"}}", "takes an id");
    refused("{\"verb\":\"status\",\"flags\":{\"--case\":\"../x\"}}", "takes an id");
    refused("{\"verb\":\"status\",\"verb\":\"cases\"}", "not one JSON object"); /* duplicates */
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_with_a_passphrase),
        cmocka_unit_test(test_files_and_terms),
        cmocka_unit_test(test_status_of_one_case),
        cmocka_unit_test(test_files_with_names),
        cmocka_unit_test(test_opinion_amount),
        cmocka_unit_test(test_report_and_draw),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
