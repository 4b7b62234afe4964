/* Terms from JSON files (cli/terms_json.c, `parley offer --terms`): the
 * JSON form of the terms map of SPEC §15.2 gives the same canonical bytes
 * (SPEC §15.1) as the flags and as the spec's own example; the file is
 * refused with the protocol's error wherever a receiver would refuse the
 * same terms (SPEC §15.6), and every JSON-level error (syntax with line and
 * column, duplicate keys, numbers with a fraction, nesting, size) exits 2
 * and says where. Every record of spec/vectors/terms.vec that has a `json:`
 * line is read as a file and gives the record's result (SPEC §11.3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "cli.h"
#include "testutil.h"

static pl_terms T, U;
static uint8_t buf[PL_TERMS_MAX_BYTES], buf2[PL_TERMS_MAX_BYTES];
static cli_terms_json_error E;

/* SPEC §15.1: the example (Case 1's agreement with short facts), 151 bytes. */
static const char spec_example_hex[] =
    "86a7636861726765739182a761727469636c65a53133332d31a46e616d65b164616e6765726f7573"
    "2064726976696e67a56661637473b864726f7665206472756e6b3b206e6f206163636964656e74a4"
    "66696e65ce00061a80a770656e616c747983a46b696e64a9646574656e74696f6ea36d617802a36d"
    "696e02a970726f626174696f6e03a970726f636564757265a6737065656479";

/* The same terms as a person would write the file: any key order, any layout. */
static const char case1_json[] =
    "{\n"
    "  \"procedure\": \"speedy\",\n"
    "  \"penalty\": {\"kind\": \"detention\", \"min\": 2, \"max\": 2},\n"
    "  \"probation\": 3,\n"
    "  \"fine\": 400000,\n"
    "  \"charges\": [{\"name\": \"dangerous driving\", "
    "\"article\": \"133-1\"}],\n"
    "  \"facts\": \"drove drunk; no accident\"\n"
    "}\n";

static int parse(const char *json)
{
    return cli_terms_json_parse(json, strlen(json), &T, &E);
}

/* Case 1 with one piece of text replaced: from, to (to may be longer). */
static int parse_case1_with(const char *from, const char *to)
{
    const char *at = strstr(case1_json, from);
    assert_non_null(at);
    size_t n = sizeof case1_json + strlen(to);
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "%.*s%s%s", (int)(at - case1_json), case1_json, to, at + strlen(from));
    int rc = parse(text);
    free(text);
    return rc;
}

static size_t encode(const pl_terms *t, uint8_t *out)
{
    size_t n;
    assert_int_equal(pl_terms_encode(t, out, PL_TERMS_MAX_BYTES, &n), PL_OK);
    return n;
}

#define assert_text_has(s)                                                                         \
    do {                                                                                           \
        if (strstr(E.text, (s)) == NULL)                                                           \
            fail_msg("message lacks '%s': %s", (s), E.text);                                       \
    } while (0)

/* Refused by the protocol with code, exit 2 for PL_E_TERMS_SCHEMA and 1 for
 * the rules of the fields and the law; the struct is zeroed. */
static void assert_refused(int rc, int code)
{
    if (E.code != code)
        fail_msg("expected %s, got %s: %s", pl_errname(code), pl_errname(E.code), E.text);
    assert_int_equal(rc, code == PL_E_TERMS_SCHEMA ? EXIT_USAGE : EXIT_CHECK);
    assert_int_equal(E.line, 0);
    assert_int_equal(T.ncharges, 0);
}

/* A JSON-level refusal: exit 2, no protocol code. */
static void assert_json_error(int rc)
{
    assert_int_equal(rc, EXIT_USAGE);
    assert_int_equal(E.code, 0);
    assert_int_equal(T.ncharges, 0);
}

/* ---- the same bytes ---------------------------------------------------- */

/* SPEC §15.1: the JSON of the spec's example gives its 151 bytes and its
 * terms hash (SPEC §15.3), whatever the key order and layout of the file. */
static void test_terms_json_spec_example_s15_1(void **state)
{
    (void)state;
    size_t n;
    uint8_t *want = tu_unhex_alloc(spec_example_hex, &n);
    assert_int_equal(n, 151);
    assert_int_equal(parse(case1_json), 0);
    assert_int_equal(E.code, 0);
    assert_int_equal(encode(&T, buf), 151);
    assert_memory_equal(buf, want, 151);
    uint8_t h[PL_HASH_BYTES];
    char hex[2 * PL_HASH_BYTES + 1];
    pl_terms_hash(buf, 151, h);
    tu_hex(h, sizeof h, hex);
    assert_string_equal(hex, "c79cc0e24f81231e5f663e8332081103c8dbeb9b906d86866da2d80ccae0bfd5");
    free(want);
}

/* SPEC §15.1: equal terms have equal bytes, so Case 1 from a file and Case 1
 * from the flags (`--charge "133-1:dangerous driving" --penalty detention:2
 * --probation 3 --fine 4000 --procedure speedy --facts ...`, built here as
 * cmd_offer_main builds it: the fine in yuan times 100) sign the same thing. */
static void test_terms_json_case1_same_as_flags_s15_1(void **state)
{
    (void)state;
    memset(&U, 0, sizeof U);
    snprintf(U.charges[0].article, sizeof U.charges[0].article, "133-1");
    snprintf(U.charges[0].name, sizeof U.charges[0].name, "dangerous driving");
    U.ncharges = 1;
    U.penalty.kind = PL_PENALTY_DETENTION;
    U.penalty.min = U.penalty.max = 2;
    U.has_probation = 1, U.probation = 3;
    U.has_fine = 1, U.fine = 4000 * 100;
    U.procedure = PL_PROCEDURE_SPEEDY;
    snprintf(U.facts, sizeof U.facts, "drove drunk; no accident");
    size_t nu = encode(&U, buf2);

    assert_int_equal(parse(case1_json), 0);
    assert_int_equal(encode(&T, buf), nu);
    assert_memory_equal(buf, buf2, nu);
    assert_memory_equal(&T, &U, sizeof T);
}

/* ---- CASES.md Case 1's invalid variants (SPEC §15.4, §15.2) -------------- */

static void test_terms_json_case1_invalid_variants_s15_4(void **state)
{
    (void)state;
    /* Detention 7 months: at most 6 for one crime (art. 42). */
    assert_refused(parse_case1_with("\"min\": 2, \"max\": 2", "\"min\": 7, \"max\": 7"),
                   PL_E_TERMS_DETENTION);
    assert_string_equal(E.why.section, "15.4");
    assert_text_has("the terms have 7 months");
    /* Probation 1 month: at least 2 with detention (art. 73). */
    assert_refused(parse_case1_with("\"probation\": 3", "\"probation\": 1"),
                   PL_E_TERMS_PROBATION_PERIOD);
    assert_text_has("the terms have 1 month");
    /* Probation 14 months: at most 12 with detention (art. 73). */
    assert_refused(parse_case1_with("\"probation\": 3", "\"probation\": 14"),
                   PL_E_TERMS_PROBATION_PERIOD);
    assert_text_has("the terms have 14 months");
    /* A fine of -1 fen is a wrong fine, not a wrong type (SPEC §15.2). */
    assert_refused(parse_case1_with("\"fine\": 400000", "\"fine\": -1"), PL_E_TERMS_FINE);
    assert_text_has("-0.01 yuan (-1 fen)");
    assert_refused(parse_case1_with("\"fine\": 400000", "\"fine\": 0"), PL_E_TERMS_FINE);
}

/* SPEC §15.2: a negative number in any field that counts is refused with
 * that field's error, as a receiver refuses it. */
static void test_terms_json_negative_values_s15_2(void **state)
{
    (void)state;
    assert_refused(parse_case1_with("\"min\": 2", "\"min\": -2"), PL_E_TERMS_DETENTION);
    assert_refused(parse_case1_with("\"probation\": 3", "\"probation\": -3"),
                   PL_E_TERMS_PROBATION_PERIOD);
    assert_refused(
        parse_case1_with("\"fine\": 400000", "\"fine\": 400000, \"political_rights\": -12"),
        PL_E_TERMS_POLITICAL_RIGHTS);
    assert_refused(
        parse_case1_with("\"article\": \"133-1\"", "\"article\": \"133-1\", \"term\": -1"),
        PL_E_TERMS_CHARGE_TERM);
    assert_refused(parse_case1_with("\"fine\": 400000", "\"fine\": -9223372036854775808"),
                   PL_E_TERMS_FINE);
}

/* ---- the schema (SPEC §15.2, §15.6 steps 3-5) -------------------------- */

static void test_terms_json_unknown_keys_s15_2(void **state)
{
    (void)state;
    assert_refused(parse_case1_with("\"fine\"", "\"fines\""), PL_E_TERMS_SCHEMA);
    assert_text_has("unknown key \"fines\"");
    assert_refused(parse_case1_with("\"min\"", "\"minimum\""), PL_E_TERMS_SCHEMA);
    assert_text_has("unknown key \"minimum\" in \"penalty\"");
    assert_refused(parse_case1_with("\"article\"", "\"art\""), PL_E_TERMS_SCHEMA);
    assert_text_has("unknown key \"art\" in \"charges[1]\"");
}

static void test_terms_json_wrong_types_s15_2(void **state)
{
    (void)state;
    /* No numbers in strings. */
    assert_refused(parse_case1_with("400000", "\"400000\""), PL_E_TERMS_SCHEMA);
    assert_text_has("\"fine\" must be a non-negative integer; the terms have a string");
    assert_refused(parse_case1_with("\"min\": 2", "\"min\": \"2\""), PL_E_TERMS_SCHEMA);
    assert_text_has("penalty.min");
    assert_refused(parse_case1_with("\"speedy\"", "1"), PL_E_TERMS_SCHEMA);
    assert_text_has("\"procedure\" must be a string");
    assert_refused(parse_case1_with("\"probation\": 3", "\"probation\": null"), PL_E_TERMS_SCHEMA);
    assert_text_has("\"probation\"");
    /* Flags are true or absent (SPEC §15.1: one encoding for absence). */
    assert_refused(parse_case1_with("\"probation\": 3", "\"probation\": 3, \"deportation\": false"),
                   PL_E_TERMS_SCHEMA);
    assert_text_has("\"deportation\" must be true when present");
    assert_refused(parse_case1_with("[{\"name\": \"dangerous driving\", \"article\": \"133-1\"}]",
                                    "{\"article\": \"133-1\"}"),
                   PL_E_TERMS_SCHEMA);
    assert_text_has("\"charges\" must be an array");
    /* An object where a string belongs gets the protocol's type error. */
    assert_refused(parse_case1_with("\"133-1\"", "{\"n\": 1}"), PL_E_TERMS_SCHEMA);
    assert_text_has("\"charges[1].article\" must be a string");
    /* The file is one object (the terms map). */
    assert_refused(parse("[\"charges\", \"facts\"]"), PL_E_TERMS_SCHEMA);
    assert_text_has("the terms must be a map");
}

static void test_terms_json_missing_fields_s15_6(void **state)
{
    (void)state;
    assert_refused(parse_case1_with(",\n  \"facts\": \"drove drunk; no accident\"", ""),
                   PL_E_TERMS_SCHEMA);
    assert_text_has("no \"facts\"; it is required");
    assert_refused(parse_case1_with(", \"max\": 2", ""), PL_E_TERMS_SCHEMA);
    assert_text_has("\"penalty\" has no \"max\"");
    assert_refused(parse_case1_with("\"name\": \"dangerous driving\", ", ""), PL_E_TERMS_SCHEMA);
    assert_text_has("\"charges[1]\" has no \"name\"");
    assert_refused(parse("{}"), PL_E_TERMS_SCHEMA);
    assert_text_has("no \"charges\"");
}

/* SPEC §15.2: the enumerations by their wire names, and nothing else. */
static void test_terms_json_enumerations_s15_2(void **state)
{
    (void)state;
    assert_refused(parse_case1_with("\"detention\"", "\"Detention\""), PL_E_TERMS_PENALTY_KIND);
    assert_refused(parse_case1_with("\"speedy\"", "\"fast\""), PL_E_TERMS_PROCEDURE);
    assert_refused(parse_case1_with("\"probation\": 3", "\"probation\": 3, \"grounds\": "
                                                        "[\"surrender\", \"confession\"]"),
                   PL_E_TERMS_GROUNDS);
    assert_int_equal(parse_case1_with("\"probation\": 3", "\"probation\": 3, \"grounds\": "
                                                          "[\"confession\", \"surrender\"]"),
                     0);
    assert_int_equal(T.grounds, PL_GROUND_CONFESSION | PL_GROUND_SURRENDER);
}

/* ---- JSON-level errors: exit 2, with where ------------------------------- */

static void test_terms_json_syntax_error_line_column(void **state)
{
    (void)state;
    /* Line 4 of case1_json, the one with "probation", loses its colon. */
    assert_json_error(parse_case1_with("\"probation\": 3", "\"probation\" 3"));
    assert_int_equal(E.line, 4);
    assert_true(E.column > 1);
    assert_json_error(parse_case1_with("\"facts\": \"drove drunk; no accident\"\n}",
                                       "\"facts\": \"drove drunk; no accident\",\n}"));
    assert_int_equal(E.line, 8);
    assert_json_error(parse(""));
    assert_int_equal(E.line, 1);
    /* Two values, or a value that is not an object or array. */
    assert_json_error(parse("{} {}"));
    assert_json_error(parse("42"));
    /* No NUL in strings (SPEC §15.2 forbids U+0000), no invalid UTF-8. */
    assert_json_error(parse_case1_with("no accident", "no\\u0000accident"));
    assert_json_error(parse_case1_with("no accident", "no \xff accident"));
    /* Integers jansson cannot hold: the message gives the limit. */
    assert_json_error(parse_case1_with("400000", "18446744073709551615"));
    assert_text_has("at most 9223372036854775807");
}

/* Two values under one key would let two readers see different terms. */
static void test_terms_json_duplicate_keys(void **state)
{
    (void)state;
    assert_json_error(parse_case1_with("\"fine\": 400000", "\"fine\": 400000, \"fine\": 1"));
    assert_int_equal(E.line, 5);
    assert_text_has("duplicate");
    assert_json_error(parse_case1_with("\"min\": 2", "\"min\": 2, \"min\": 2"));
    assert_int_equal(E.line, 3);
}

/* SPEC §15: months and fen are integers; no float, not even 2.0. */
static void test_terms_json_no_floats_s15(void **state)
{
    (void)state;
    assert_json_error(parse_case1_with("400000", "4000.5"));
    assert_text_has("\"fine\" is 4000.5");
    assert_json_error(parse_case1_with("\"max\": 2", "\"max\": 2.0"));
    assert_text_has("\"penalty.max\" is 2.0");
    assert_json_error(parse_case1_with("400000", "4e5"));
    assert_json_error(
        parse_case1_with("\"article\": \"133-1\"", "\"article\": \"133-1\", \"term\": 1.5"));
    assert_text_has("\"charges[1].term\"");
    /* A key is quoted without its control characters: no terminal escapes. */
    assert_json_error(parse("{\"f\\u001b[2Jx\": 1.5}"));
    assert_text_has("\"f?[2Jx\" is 1.5");
}

/* SPEC §15.1: terms nest three levels deep; a fourth is let through for the
 * protocol's type error above, a fifth is refused here. */
static void test_terms_json_too_deep_s15_1(void **state)
{
    (void)state;
    assert_json_error(parse_case1_with("\"133-1\"", "[[\"133-1\"]]"));
    assert_text_has("\"charges[1].article[1]\" nests objects and arrays 5 levels deep");
    char deep[8192];
    int n = 0;
    n += snprintf(deep + n, sizeof deep - (size_t)n, "{\"charges\":");
    for (int i = 0; i < 1000; i++)
        n += snprintf(deep + n, sizeof deep - (size_t)n, "[");
    for (int i = 0; i < 1000; i++)
        n += snprintf(deep + n, sizeof deep - (size_t)n, "]");
    snprintf(deep + n, sizeof deep - (size_t)n, "}");
    assert_json_error(parse(deep));
}

/* SPEC §15.1: encoded terms are at most 32768 bytes (PL_E_TOO_BIG, exit 2). */
static void test_terms_json_too_big_s15_1(void **state)
{
    (void)state;
    static char facts[40000];
    memset(facts, 'x', sizeof facts - 1);
    facts[sizeof facts - 1] = '\0';
    assert_int_equal(parse_case1_with("drove drunk; no accident", facts), EXIT_USAGE);
    assert_int_equal(E.code, PL_E_TOO_BIG);
}

/* ---- files ------------------------------------------------------------- */

static void write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* The terms as a JSON object, from a struct: what a printer of terms would
 * write (the CLI prints none yet), to check that every field of SPEC §15.2
 * has its JSON form. */
static json_t *terms_to_json(const pl_terms *t)
{
    json_t *o = json_object(), *charges = json_array(), *p = json_object();
    for (size_t i = 0; i < t->ncharges; i++) {
        json_t *c =
            json_pack("{s:s, s:s}", "article", t->charges[i].article, "name", t->charges[i].name);
        if (t->charges[i].has_term)
            json_object_set_new(c, "term", json_integer((json_int_t)t->charges[i].term));
        if (t->charges[i].bracket)
            json_object_set_new(c, "bracket", json_integer((json_int_t)t->charges[i].bracket));
        json_array_append_new(charges, c);
    }
    json_object_set_new(o, "charges", charges);
    json_object_set_new(o, "facts", json_string(t->facts));
    json_object_set_new(p, "kind", json_string(pl_penalty_kind_name(t->penalty.kind)));
    if (t->penalty.kind != PL_PENALTY_EXEMPTION && t->penalty.kind != PL_PENALTY_LIFE &&
        t->penalty.kind != PL_PENALTY_ADDITIONAL) {
        json_object_set_new(p, "min", json_integer((json_int_t)t->penalty.min));
        json_object_set_new(p, "max", json_integer((json_int_t)t->penalty.max));
    }
    json_object_set_new(o, "penalty", p);
    json_object_set_new(o, "procedure", json_string(pl_procedure_name(t->procedure)));
    if (t->has_probation)
        json_object_set_new(o, "probation", json_integer((json_int_t)t->probation));
    if (t->has_fine)
        json_object_set_new(o, "fine", json_integer((json_int_t)t->fine));
    if (t->has_political_rights)
        json_object_set_new(o, "political_rights", json_integer((json_int_t)t->political_rights));
    if (t->confiscation)
        json_object_set_new(o, "confiscation",
                            json_string(t->confiscation == PL_CONFISCATION_ALL ? "all" : "part"));
    if (t->occupation_ban[0]) {
        json_object_set_new(o, "occupation_ban", json_string(t->occupation_ban));
        json_object_set_new(o, "occupation_ban_months",
                            json_integer((json_int_t)t->occupation_ban_months));
    }
    if (t->prohibition[0]) {
        json_object_set_new(o, "prohibition", json_string(t->prohibition));
        json_object_set_new(o, "prohibition_months", json_integer((json_int_t)t->prohibition_months));
    }
    if (t->has_custody_days)
        json_object_set_new(o, "custody_days", json_integer((json_int_t)t->custody_days));
    if (t->has_designated_residence_days)
        json_object_set_new(o, "designated_residence_days",
                            json_integer((json_int_t)t->designated_residence_days));
    if (t->deportation)
        json_object_set_new(o, "deportation", json_true());
    if (t->grounds) {
        json_t *g = json_array();
        for (unsigned b = 1; b <= PL_GROUND_ALL; b <<= 1)
            if (t->grounds & b)
                json_array_append_new(g, json_string(pl_ground_name(b)));
        json_object_set_new(o, "grounds", g);
    }
    if (t->grounds_text[0])
        json_object_set_new(o, "grounds_text", json_string(t->grounds_text));
    if (t->recidivist)
        json_object_set_new(o, "recidivist", json_true());
    if (t->ringleader)
        json_object_set_new(o, "ringleader", json_true());
    if (t->minor)
        json_object_set_new(o, "minor", json_true());
    if (t->impairment) {
        json_t *a = json_array();
        for (unsigned b = 1; b <= PL_IMPAIRMENT_ALL; b <<= 1)
            if (t->impairment & b)
                json_array_append_new(a, json_string(pl_impairment_name(b)));
        json_object_set_new(o, "impairment", a);
    }
    return o;
}

/* Fills s with n bytes of U+1F600 (4 bytes each), the worst case for a
 * JSON writer that escapes everything (a surrogate pair, 12 bytes). */
static void emoji(char *s, size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        memcpy(s + i, "\xf0\x9f\x98\x80", 4);
    s[i] = '\0';
}

/* SPEC §15.1, §15.2: the largest lawful terms, every string at its limit,
 * written as JSON with every character escaped, fit the file bound and
 * read back to the same bytes. */
static void test_terms_json_largest_file_reads_s15_1(void **state)
{
    (void)state;
    memset(&U, 0, sizeof U);
    U.ncharges = PL_TERMS_MAX_CHARGES;
    for (size_t i = 0; i < U.ncharges; i++) {
        emoji(U.charges[i].article, PL_TERMS_ARTICLE_MAX);
        emoji(U.charges[i].name, PL_TERMS_NAME_MAX);
        U.charges[i].has_term = 1, U.charges[i].term = 180;
    }
    emoji(U.facts, PL_TERMS_FACTS_MAX);
    emoji(U.grounds_text, PL_TERMS_GROUNDS_TEXT_MAX);
    U.penalty.kind = PL_PENALTY_IMPRISONMENT, U.penalty.min = 180, U.penalty.max = 240;
    U.has_fine = 1, U.fine = 1;
    U.has_political_rights = 1, U.political_rights = 60;
    U.confiscation = PL_CONFISCATION_ALL, U.deportation = 1, U.recidivist = 1;
    U.ringleader = 1;
    U.grounds = PL_GROUND_ALL;
    U.procedure = PL_PROCEDURE_ORDINARY;
    size_t nu = encode(&U, buf2);

    json_t *o = terms_to_json(&U);
    char *s = json_dumps(o, JSON_ENSURE_ASCII | JSON_INDENT(4));
    json_decref(o);
    assert_non_null(s);
    assert_true(strlen(s) > 70000);
    char path[] = "/tmp/parley-terms-json-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, s, strlen(s));
    free(s);
    assert_int_equal(cli_terms_json_read("offer", path, &T, NULL), 0);
    assert_int_equal(encode(&T, buf), nu);
    assert_memory_equal(buf, buf2, nu);
    unlink(path);
}

/* A file larger than the bound is refused before it is parsed; a missing
 * file exits 2; unlawful terms in a file exit 1. */
static void test_terms_json_read_files(void **state)
{
    (void)state;
    char path[] = "/tmp/parley-terms-json-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, case1_json, strlen(case1_json));
    assert_int_equal(cli_terms_json_read("offer", path, &T, NULL), 0);
    assert_int_equal(T.fine, 400000);

    size_t big = 200 * 1024;
    char *s = malloc(big);
    assert_non_null(s);
    memset(s, ' ', big);
    memcpy(s, case1_json, strlen(case1_json)); /* valid JSON, then spaces */
    write_file(path, s, big);
    free(s);
    assert_int_equal(cli_terms_json_read("offer", path, &T, NULL), EXIT_USAGE);
    assert_int_equal(T.ncharges, 0);

    write_file(path, "{\"fine\": 1.5}", 13);
    assert_int_equal(cli_terms_json_read("offer", path, &T, NULL), EXIT_USAGE);
    write_file(path, "{\n\"fine\" 1}", 11);
    assert_int_equal(cli_terms_json_read("offer", path, &T, NULL), EXIT_USAGE);
    const char *unlawful = "{\"charges\":[{\"article\":\"133-1\",\"name\":\"dangerous driving\"}],"
                           "\"facts\":\"f\",\"penalty\":{\"kind\":\"detention\",\"min\":7,"
                           "\"max\":7},\"procedure\":\"speedy\"}";
    write_file(path, unlawful, strlen(unlawful));
    assert_int_equal(cli_terms_json_read("offer", path, &T, NULL), EXIT_CHECK);
    /* the rule broken comes back too (`offer --check --json`, the web app) */
    pl_terms_problem why;
    assert_int_equal(cli_terms_json_read("offer", path, &T, &why), EXIT_CHECK);
    assert_int_equal(why.code, PL_E_TERMS_DETENTION);
    unlink(path);
    assert_int_equal(cli_terms_json_read("offer", path, &T, NULL), EXIT_USAGE);
}

/* ---- the vectors (SPEC §11.3) ------------------------------------------- */

static int nok, nrefused;

static void check_record(const tu_rec *r, void *ctx)
{
    (void)ctx;
    const char *name = tu_rec_get(r, "name"), *expect = tu_rec_get(r, "expect");
    const char *json = tu_rec_get(r, "json"), *hex = tu_rec_get(r, "hex");
    if (name == NULL || expect == NULL || json == NULL || hex == NULL)
        return; /* the header, and records too large for a json line */
    int rc = parse(json);
    size_t n;
    uint8_t *want = tu_unhex_alloc(hex, &n);
    assert_non_null(want);
    if (strcmp(expect, "ok") == 0) {
        if (strcmp(name, "valid-fine-largest") == 0) {
            /* 2^64 - 1 fen: lawful on the wire, beyond what jansson reads. */
            assert_json_error(rc);
        } else {
            if (rc != 0)
                fail_msg("%s: expected ok, got exit %d: %s", name, rc, E.text);
            assert_int_equal(encode(&T, buf), n);
            assert_memory_equal(buf, want, n);
            /* and back: the struct written as JSON reads to the same bytes */
            json_t *o = terms_to_json(&T);
            char *s = json_dumps(o, JSON_COMPACT);
            json_decref(o);
            assert_int_equal(parse(s), 0);
            free(s);
            assert_int_equal(encode(&T, buf), n);
            assert_memory_equal(buf, want, n);
            nok++;
        }
    } else if (strncmp(expect, "PL_E_TERMS_", 11) == 0) {
        int code = pl_err_from_name(expect);
        if (E.code != code)
            fail_msg("%s: expected %s, got exit %d, %s: %s", name, expect, rc,
                     E.code ? pl_errname(E.code) : "no code", E.text);
        assert_refused(rc, code);
        nrefused++;
    } else if (strcmp(expect, "PL_E_MAP_ORDER") == 0) {
        /* A JSON object has no order: the file is read in canonical order. */
        assert_int_equal(rc, 0);
    }
    free(want);
}

static void test_terms_json_vectors_s11_3(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/spec/vectors/terms.vec", PARLEY_SOURCE_DIR);
    nok = nrefused = 0;
    assert_true(tu_vec_each(path, check_record, NULL) > 0);
    assert_true(nok >= 29);
    assert_true(nrefused >= 79);
}

/* SPEC §15.1: the files of examples/terms/ are CASES.md's Case 1 and give
 * the bytes of the flags scripts/demo.sh offers them with (--charge
 * "133-1:dangerous driving" --procedure speedy --grounds confession --facts
 * ... --penalty detention:N [--probation N] --fine YUAN). */
static void test_terms_json_examples_s15_1(void **state)
{
    (void)state;
    static const struct {
        const char *file, *text;
        uint64_t detention, probation, fine_yuan;
    } ex[] = {
        {"case1-offer.json", "criminal detention 3 months, fine 5,000.00 yuan, speedy trial", 3, 0,
         5000},
        {"case1-counter.json",
         "criminal detention 2 months, probation 4 months, fine 3,000.00 yuan, speedy trial", 2, 4,
         3000},
        {"case1-final.json",
         "criminal detention 2 months, probation 3 months, fine 4,000.00 yuan, speedy trial", 2, 3,
         4000},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        char path[4096], text[PL_TERMS_TEXT_MAX];
        snprintf(path, sizeof path, "%s/examples/terms/%s", PARLEY_SOURCE_DIR, ex[i].file);
        assert_int_equal(cli_terms_json_read("offer", path, &T, NULL), 0);
        assert_int_equal(pl_terms_format(&T, text, sizeof text), PL_OK);
        assert_string_equal(text, ex[i].text);

        memset(&U, 0, sizeof U);
        snprintf(U.charges[0].article, sizeof U.charges[0].article, "133-1");
        snprintf(U.charges[0].name, sizeof U.charges[0].name, "dangerous driving");
        U.ncharges = 1;
        snprintf(U.facts, sizeof U.facts,
                 "Blood alcohol 150 mg/100 ml; no accident; confessed at once");
        U.grounds = PL_GROUND_CONFESSION;
        U.procedure = PL_PROCEDURE_SPEEDY;
        U.penalty.kind = PL_PENALTY_DETENTION;
        U.penalty.min = U.penalty.max = ex[i].detention;
        U.has_probation = ex[i].probation > 0, U.probation = ex[i].probation;
        U.has_fine = 1, U.fine = ex[i].fine_yuan * 100;
        size_t nu = encode(&U, buf2);
        assert_int_equal(encode(&T, buf), nu);
        assert_memory_equal(buf, buf2, nu);
    }
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms_json_spec_example_s15_1),
        cmocka_unit_test(test_terms_json_case1_same_as_flags_s15_1),
        cmocka_unit_test(test_terms_json_case1_invalid_variants_s15_4),
        cmocka_unit_test(test_terms_json_negative_values_s15_2),
        cmocka_unit_test(test_terms_json_unknown_keys_s15_2),
        cmocka_unit_test(test_terms_json_wrong_types_s15_2),
        cmocka_unit_test(test_terms_json_missing_fields_s15_6),
        cmocka_unit_test(test_terms_json_enumerations_s15_2),
        cmocka_unit_test(test_terms_json_syntax_error_line_column),
        cmocka_unit_test(test_terms_json_duplicate_keys),
        cmocka_unit_test(test_terms_json_no_floats_s15),
        cmocka_unit_test(test_terms_json_too_deep_s15_1),
        cmocka_unit_test(test_terms_json_too_big_s15_1),
        cmocka_unit_test(test_terms_json_largest_file_reads_s15_1),
        cmocka_unit_test(test_terms_json_read_files),
        cmocka_unit_test(test_terms_json_vectors_s11_3),
        cmocka_unit_test(test_terms_json_examples_s15_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
