/* Sentencing terms (SPEC §15): encoding and decoding, every statutory limit
 * of SPEC §15.4 just inside and just outside, the fields of SPEC §15.2, the
 * order of checks (SPEC §15.6), the terms hash (SPEC §15.3), the renderings
 * (SPEC §15.5), the cases of CASES.md, and spec/vectors/terms.vec (SPEC
 * §11.3). Every refusal is also checked to come with a detail that quotes
 * the offending value, since a lawyer reads it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "internal.h"
#include "testutil.h"

static pl_terms T, U;                   /* scratch terms for each test */
static uint8_t buf[PL_TERMS_MAX_BYTES]; /* scratch encoding */

/* ---- fixtures ---------------------------------------------------------- */

static void charge(pl_terms *t, const char *article, const char *name)
{
    pl_charge *c = &t->charges[t->ncharges++];
    snprintf(c->article, sizeof c->article, "%s", article);
    snprintf(c->name, sizeof c->name, "%s", name);
}

/* One charge, some facts, the penalty, ordinary procedure, nothing else. */
static pl_terms *base(pl_terms *t, pl_penalty_kind kind, uint64_t min, uint64_t max)
{
    memset(t, 0, sizeof *t);
    charge(t, "234", "intentional injury");
    snprintf(t->facts, sizeof t->facts, "A fight; the victim suffered a minor injury.");
    t->penalty.kind = kind;
    t->penalty.min = min;
    t->penalty.max = max;
    t->procedure = PL_PROCEDURE_ORDINARY;
    return t;
}

/* Several charges, with individual terms when terms != NULL (0 = none). */
static pl_terms *combined(pl_terms *t, pl_penalty_kind kind, uint64_t min, uint64_t max, size_t n,
                          const uint64_t *terms)
{
    base(t, kind, min, max);
    t->ncharges = 0;
    for (size_t i = 0; i < n; i++) {
        char art[8];
        snprintf(art, sizeof art, "%zu", 260 + i);
        charge(t, art, "a crime");
        if (terms && terms[i]) {
            t->charges[i].has_term = 1;
            t->charges[i].term = terms[i];
        }
    }
    return t;
}

/* CASES.md, Case 1: dangerous driving. */
static pl_terms *case1(pl_terms *t, uint64_t detention, uint64_t probation, uint64_t fine_yuan)
{
    base(t, PL_PENALTY_DETENTION, detention, detention);
    t->ncharges = 0;
    charge(t, "133-1", "dangerous driving 危险驾驶罪");
    snprintf(t->facts, sizeof t->facts,
             "Drove on a public road with blood alcohol of 150 mg/100 ml; no accident.");
    t->has_probation = probation > 0;
    t->probation = probation;
    t->has_fine = 1;
    t->fine = fine_yuan * 100;
    t->grounds = PL_GROUND_CONFESSION;
    t->procedure = PL_PROCEDURE_SPEEDY;
    return t;
}

/* CASES.md, Case 2: aiding information-network criminal activities. */
static pl_terms *case2(pl_terms *t, uint64_t months, uint64_t probation, uint64_t fine_yuan)
{
    base(t, PL_PENALTY_IMPRISONMENT, months, months);
    t->ncharges = 0;
    charge(t, "287-2", "aiding information-network criminal activities");
    t->has_probation = probation > 0;
    t->probation = probation;
    t->has_fine = fine_yuan > 0;
    t->fine = fine_yuan * 100;
    t->grounds = PL_GROUND_SURRENDER | PL_GROUND_RESTITUTION;
    t->procedure = PL_PROCEDURE_SPEEDY;
    return t;
}

/* ---- checks ------------------------------------------------------------ */

/* t validates with code; a refusal has a detail containing each needle (a
 * quoted value); encode agrees with validate; valid terms survive encode,
 * decode, encode unchanged. */
static void check(const pl_terms *t, int code, const char *needle, const char *needle2)
{
    pl_terms_problem why;
    size_t n;
    int rc = pl_terms_validate(t, &why);
    if (rc != code)
        fail_msg("expected %s, got %s: %s", pl_errname(code), pl_errname(rc), why.detail);
    assert_int_equal(why.code, rc);
    if (code != PL_OK) {
        assert_true(strlen(why.detail) > 20);
        assert_true(strlen(why.detail) < sizeof why.detail - 1); /* not cut */
        assert_string_equal(why.section, pl_errsection(code));
        assert_non_null(why.basis);
        if (needle && !strstr(why.detail, needle))
            fail_msg("detail \"%s\" does not quote \"%s\"", why.detail, needle);
        if (needle2 && !strstr(why.detail, needle2))
            fail_msg("detail \"%s\" does not quote \"%s\"", why.detail, needle2);
        assert_int_equal(pl_terms_encode(t, buf, sizeof buf, &n), code);
        assert_int_equal(n, 0);
        return;
    }
    assert_string_equal(why.detail, "");
    assert_int_equal(pl_terms_encode(t, buf, sizeof buf, &n), PL_OK);
    static pl_terms d;
    static uint8_t again[PL_TERMS_MAX_BYTES];
    size_t n2;
    assert_int_equal(pl_terms_decode(buf, n, &d, &why), PL_OK);
    assert_int_equal(pl_terms_encode(&d, again, sizeof again, &n2), PL_OK);
    assert_int_equal(n2, n);
    assert_memory_equal(again, buf, n);
    size_t nch;
    assert_int_equal(pl_terms_diff(t, &d, NULL, 0, &nch), PL_OK);
    assert_int_equal(nch, 0);
}

static void ok(const pl_terms *t)
{
    check(t, PL_OK, NULL, NULL);
}

/* Decodes the terms a one-line JSON (keys in the order written, see
 * tu_json_msgpack) packs to: inputs the encoder refuses to write. */
static int decode_json(const char *json, pl_terms *t, pl_terms_problem *why)
{
    const char *bad = NULL;
    size_t n = 0;
    uint8_t *b = tu_json_msgpack(json, &n, &bad);
    if (b == NULL)
        fail_msg("%s: not JSON the helper packs: %s", json, bad);
    int rc = pl_terms_decode(b, n, t, why);
    free(b);
    return rc;
}

#define CH "\"charges\":[{\"article\":\"133-1\",\"name\":\"dangerous driving\"}]"
#define FA "\"facts\":\"drove drunk\""
#define DET2 "\"penalty\":{\"kind\":\"detention\",\"max\":2,\"min\":2}"
#define PROC "\"procedure\":\"speedy\""

static void decode_expect(const char *json, int code, const char *needle)
{
    pl_terms_problem why;
    int rc = decode_json(json, &T, &why);
    if (rc != code)
        fail_msg("%s: expected %s, got %s: %s", json, pl_errname(code), pl_errname(rc), why.detail);
    assert_int_equal(why.code, code);
    if (needle && !strstr(why.detail, needle))
        fail_msg("detail \"%s\" does not quote \"%s\"", why.detail, needle);
    if (code != PL_OK) {
        static const pl_terms zero;
        assert_memory_equal(&T, &zero, sizeof T); /* outputs zeroed on failure */
    }
}

/* ---- SPEC §15.1: encoding ------------------------------------------------ */

/* SPEC §15.1, §15.3: the example of the spec, Case 1's agreement, encodes to
 * exactly its bytes (keys ascending bytewise, absent fields left out,
 * shortest integers) and has its hash and its one-line text (§15.5). */
static void test_terms_spec_example_s15_1(void **state)
{
    (void)state;
    static const char hex[] =
        "86a7636861726765739182a761727469636c65a53133332d31a46e616d65b164616e6765726f7573"
        "2064726976696e67a56661637473b864726f7665206472756e6b3b206e6f206163636964656e74a4"
        "66696e65ce00061a80a770656e616c747983a46b696e64a9646574656e74696f6ea36d617802a36d"
        "696e02a970726f626174696f6e03a970726f636564757265a6737065656479";
    static const char hash[] = "c79cc0e24f81231e5f663e8332081103c8dbeb9b906d86866da2d80ccae0bfd5";
    uint8_t want[sizeof hex / 2], h[PL_HASH_BYTES], wanth[PL_HASH_BYTES];
    char text[PL_TERMS_TEXT_MAX];
    size_t n;
    assert_int_equal(tu_unhex(hex, want, sizeof want), 151);
    assert_int_equal(tu_unhex(hash, wanth, sizeof wanth), 32);
    case1(&T, 2, 3, 4000);
    snprintf(T.charges[0].name, sizeof T.charges[0].name, "dangerous driving");
    snprintf(T.facts, sizeof T.facts, "drove drunk; no accident");
    T.grounds = 0;
    assert_int_equal(pl_terms_encode(&T, buf, sizeof buf, &n), PL_OK);
    assert_int_equal(n, 151);
    assert_memory_equal(buf, want, n);
    pl_terms_hash(buf, n, h);
    assert_memory_equal(h, wanth, 32);
    assert_int_equal(pl_terms_format(&T, text, sizeof text), PL_OK);
    assert_string_equal(text,
                        "criminal detention 2 months, probation 3 months, fine 4,000.00 yuan, "
                        "speedy trial");
}

/* SPEC §15.1: encode then decode gives the same terms, for every field. */
static void test_terms_roundtrip_every_field_s15_1(void **state)
{
    (void)state;
    const uint64_t terms[2] = {60, 48};
    combined(&T, PL_PENALTY_IMPRISONMENT, 60, 100, 2, terms);
    T.confiscation = PL_CONFISCATION_PART;
    T.deportation = 1;
    T.has_fine = 1, T.fine = 12345678;
    T.grounds = PL_GROUND_ALL;
    snprintf(T.grounds_text, sizeof T.grounds_text, "first offence;\nrestitution made");
    T.has_political_rights = 1, T.political_rights = 36;
    T.recidivist = 1, T.ringleader = 1;
    size_t n;
    pl_terms_problem why;
    assert_int_equal(pl_terms_encode(&T, buf, sizeof buf, &n), PL_OK);
    assert_int_equal(pl_terms_decode(buf, n, &U, &why), PL_OK);
    assert_int_equal(U.ncharges, 2);
    assert_string_equal(U.charges[1].article, "261");
    assert_int_equal(U.charges[1].term, 48);
    assert_int_equal(U.penalty.kind, PL_PENALTY_IMPRISONMENT);
    assert_int_equal(U.penalty.min, 60);
    assert_int_equal(U.penalty.max, 100);
    assert_int_equal(U.confiscation, PL_CONFISCATION_PART);
    assert_int_equal(U.deportation, 1);
    assert_int_equal(U.fine, 12345678);
    assert_int_equal(U.grounds, PL_GROUND_ALL);
    assert_string_equal(U.grounds_text, T.grounds_text);
    assert_int_equal(U.political_rights, 36);
    assert_int_equal(U.recidivist, 1);
    assert_int_equal(U.ringleader, 1);
    assert_int_equal(U.procedure, PL_PROCEDURE_ORDINARY);
    /* Decoded terms own their strings: nothing points into the input. */
    memset(buf, 0, n);
    assert_string_equal(U.facts, T.facts);
    ok(&T);
}

/* SPEC §15.1: the size is reported for a buffer too small, and NULL with a
 * capacity of 0 asks for it. */
static void test_terms_encode_bufsize_s15_1(void **state)
{
    (void)state;
    size_t n, need;
    case1(&T, 2, 3, 4000);
    assert_int_equal(pl_terms_encode(&T, NULL, 0, &need), PL_E_BUFSIZE);
    assert_true(need > 0);
    assert_int_equal(pl_terms_encode(&T, buf, need - 1, &n), PL_E_BUFSIZE);
    assert_int_equal(n, need);
    assert_int_equal(pl_terms_encode(&T, buf, need, &n), PL_OK);
    assert_int_equal(n, need);
    assert_int_equal(pl_terms_encode(NULL, buf, sizeof buf, &n), PL_E_ARG);
    assert_int_equal(pl_terms_encode(&T, NULL, 10, &n), PL_E_ARG);
}

/* SPEC §15.1: one encoding per value: no single-bit change of valid terms
 * is accepted unless it re-encodes to exactly the changed bytes. */
static void test_terms_every_bit_flip_s15_1(void **state)
{
    (void)state;
    size_t n, m;
    static uint8_t flip[PL_TERMS_MAX_BYTES], again[PL_TERMS_MAX_BYTES];
    pl_terms_problem why;
    case1(&T, 2, 3, 4000);
    assert_int_equal(pl_terms_encode(&T, buf, sizeof buf, &n), PL_OK);
    for (size_t i = 0; i < n; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(flip, buf, n);
            flip[i] ^= (uint8_t)(1u << bit);
            if (pl_terms_decode(flip, n, &U, &why) != PL_OK)
                continue;
            assert_int_equal(pl_terms_encode(&U, again, sizeof again, &m), PL_OK);
            assert_int_equal(m, n);
            assert_memory_equal(again, flip, n);
        }
}

/* SPEC §15.1, §3: what is not canonical is refused with the §3 error. */
static void test_terms_decode_encoding_errors_s15_1(void **state)
{
    (void)state;
    pl_terms_problem why;
    size_t n;
    case1(&T, 2, 3, 4000);
    assert_int_equal(pl_terms_encode(&T, buf, sizeof buf, &n), PL_OK);
    assert_int_equal(pl_terms_decode(buf, n - 1, &U, &why), PL_E_TRUNCATED);
    buf[n] = 0xc0;
    assert_int_equal(pl_terms_decode(buf, n + 1, &U, &why), PL_E_TRAILING);
    assert_int_equal(pl_terms_decode(buf, 0, &U, &why), PL_E_TRUNCATED);
    assert_int_equal(pl_terms_decode(buf, PL_TERMS_MAX_BYTES + 1, &U, &why), PL_E_TOO_BIG);
    assert_non_null(strstr(why.detail, "32769"));
    decode_expect("{" FA "," CH "," DET2 "," PROC "}", PL_E_MAP_ORDER, NULL);
    assert_int_equal(pl_terms_decode(NULL, 1, &U, &why), PL_E_ARG);
    assert_int_equal(pl_terms_decode(buf, n, NULL, &why), PL_E_ARG);
    /* why may be NULL. */
    assert_int_equal(pl_terms_decode(buf, n - 1, &U, NULL), PL_E_TRUNCATED);
}

/* ---- SPEC §15.2: fields -------------------------------------------------- */

/* SPEC §15.2: keys, presence, types, each refused naming the key. */
static void test_terms_decode_schema_s15_2(void **state)
{
    (void)state;
    decode_expect("{" CH "," FA "," DET2 "," PROC "}", PL_OK, NULL);
    decode_expect("[1]", PL_E_TERMS_SCHEMA, "map");
    decode_expect("{" CH "," FA "," DET2 "," PROC ",\"victim\":1}", PL_E_TERMS_SCHEMA,
                  "\"victim\"");
    decode_expect("{" CH "," DET2 "," PROC "}", PL_E_TERMS_SCHEMA, "\"facts\"");
    decode_expect("{" FA "," DET2 "," PROC "}", PL_E_TERMS_SCHEMA, "\"charges\"");
    decode_expect("{" CH "," FA "," PROC "}", PL_E_TERMS_SCHEMA, "\"penalty\"");
    decode_expect("{" CH "," FA "," DET2 "}", PL_E_TERMS_SCHEMA, "\"procedure\"");
    decode_expect("{\"charges\":{}," FA "," DET2 "," PROC "}", PL_E_TERMS_SCHEMA, "charges");
    decode_expect("{\"charges\":[1]," FA "," DET2 "," PROC "}", PL_E_TERMS_SCHEMA, "charges[1]");
    decode_expect("{\"charges\":[{\"article\":\"1\"}]," FA "," DET2 "," PROC "}", PL_E_TERMS_SCHEMA,
                  "\"name\"");
    decode_expect("{\"charges\":[{\"article\":\"1\",\"name\":\"x\",\"tern\":1}]," FA "," DET2
                  "," PROC "}",
                  PL_E_TERMS_SCHEMA, "\"tern\"");
    decode_expect("{\"charges\":[{\"article\":\"\",\"name\":\"x\"}]," FA "," DET2 "," PROC "}",
                  PL_E_TERMS_SCHEMA, "charges[1].article");
    decode_expect("{\"charges\":[{\"article\":1,\"name\":\"x\"}]," FA "," DET2 "," PROC "}",
                  PL_E_TERMS_SCHEMA, "an integer");
    decode_expect("{\"charges\":[{\"article\":\"1\",\"name\":\"x\",\"term\":\"6\"}]," FA "," DET2
                  "," PROC "}",
                  PL_E_TERMS_SCHEMA, "charges[1].term");
    decode_expect("{" CH ",\"deportation\":false," FA "," DET2 "," PROC "}", PL_E_TERMS_SCHEMA,
                  "deportation");
    decode_expect("{" CH ",\"deportation\":1," FA "," DET2 "," PROC "}", PL_E_TERMS_SCHEMA,
                  "deportation");
    decode_expect("{" CH ",\"facts\":\"\"," DET2 "," PROC "}", PL_E_TERMS_SCHEMA, "\"facts\"");
    decode_expect("{" CH ",\"facts\":null," DET2 "," PROC "}", PL_E_TERMS_SCHEMA, "nil");
    decode_expect("{" CH "," FA ",\"fine\":true," DET2 "," PROC "}", PL_E_TERMS_SCHEMA, "fine");
    decode_expect("{" CH "," FA ",\"grounds\":\"confession\"," DET2 "," PROC "}", PL_E_TERMS_SCHEMA,
                  "grounds");
    decode_expect("{" CH "," FA ",\"grounds_text\":\"\"," DET2 "," PROC "}", PL_E_TERMS_SCHEMA,
                  "grounds_text");
    decode_expect("{" CH "," FA ",\"penalty\":\"detention\"," PROC "}", PL_E_TERMS_SCHEMA,
                  "penalty");
    decode_expect("{" CH "," FA ",\"penalty\":{\"max\":2,\"min\":2}," PROC "}", PL_E_TERMS_SCHEMA,
                  "\"kind\"");
    decode_expect("{" CH "," FA ",\"penalty\":{\"kind\":\"detention\",\"max\":2}," PROC "}",
                  PL_E_TERMS_SCHEMA, "\"min\"");
    decode_expect("{" CH "," FA ",\"penalty\":{\"kind\":\"detention\",\"min\":2}," PROC "}",
                  PL_E_TERMS_SCHEMA, "\"max\"");
    decode_expect("{" CH "," FA ",\"penalty\":{\"kind\":\"life\",\"max\":2}," PROC "}",
                  PL_E_TERMS_SCHEMA, "penalty.max");
    decode_expect("{" CH "," FA ",\"penalty\":{\"kind\":\"exemption\",\"min\":0}," PROC "}",
                  PL_E_TERMS_SCHEMA, "penalty.min");
    decode_expect("{" CH "," FA
                  ",\"penalty\":{\"kind\":\"detention\",\"max\":2,\"min\":\"2\"}," PROC "}",
                  PL_E_TERMS_SCHEMA, "penalty.min");
    decode_expect("{" CH "," FA ",\"penalty\":{\"days\":1,\"kind\":\"detention\",\"max\":2,"
                  "\"min\":2}," PROC "}",
                  PL_E_TERMS_SCHEMA, "\"days\"");
    decode_expect("{" CH "," FA "," DET2 ",\"political_rights\":null," PROC "}", PL_E_TERMS_SCHEMA,
                  "political_rights");
    decode_expect("{" CH "," FA "," DET2 ",\"probation\":[]," PROC "}", PL_E_TERMS_SCHEMA,
                  "probation");
    decode_expect("{" CH "," FA "," DET2 ",\"procedure\":1}", PL_E_TERMS_SCHEMA, "procedure");
    decode_expect("{" CH "," FA "," DET2 "," PROC ",\"recidivist\":false}", PL_E_TERMS_SCHEMA,
                  "recidivist");
    decode_expect("{" CH "," FA "," DET2 "," PROC ",\"ringleader\":\"yes\"}", PL_E_TERMS_SCHEMA,
                  "ringleader");
}

/* SPEC §15.2: the registered values of the enumerated fields, each refused
 * with its own error, quoting what was sent. */
static void test_terms_decode_enumerations_s15_2(void **state)
{
    (void)state;
    decode_expect("{\"charges\":[]," FA "," DET2 "," PROC "}", PL_E_TERMS_CHARGES, "no charge");
    decode_expect("{" CH ",\"confiscation\":\"some\"," FA "," DET2 "," PROC "}",
                  PL_E_TERMS_CONFISCATION, "\"some\"");
    decode_expect("{" CH ",\"confiscation\":\"all\"," FA "," DET2 "," PROC "}", PL_OK, NULL);
    decode_expect("{" CH "," FA ",\"penalty\":{\"kind\":\"death\"},\"procedure\":\"ordinary\"}",
                  PL_E_TERMS_PENALTY_KIND, "\"death\"");
    decode_expect("{" CH "," FA ",\"penalty\":{\"kind\":\"Detention\",\"max\":2,\"min\":2}," PROC
                  "}",
                  PL_E_TERMS_PENALTY_KIND, "\"Detention\"");
    decode_expect("{" CH "," FA "," DET2 ",\"procedure\":\"fast\"}", PL_E_TERMS_PROCEDURE,
                  "\"fast\"");
    decode_expect("{" CH "," FA ",\"grounds\":[\"remorse\"]," DET2 "," PROC "}", PL_E_TERMS_GROUNDS,
                  "\"remorse\"");
    decode_expect("{" CH "," FA ",\"grounds\":[\"surrender\",\"confession\"]," DET2 "," PROC "}",
                  PL_E_TERMS_GROUNDS, "\"confession\" after \"surrender\"");
    decode_expect("{" CH "," FA ",\"grounds\":[\"other\",\"other\"]," DET2 "," PROC "}",
                  PL_E_TERMS_GROUNDS, "\"other\"");
    decode_expect("{" CH "," FA ",\"grounds\":[]," DET2 "," PROC "}", PL_E_TERMS_GROUNDS, "0");
    decode_expect("{" CH "," FA ",\"grounds\":[\"compensation\",\"confession\",\"forgiveness\","
                  "\"other\",\"restitution\",\"surrender\"]," DET2 "," PROC "}",
                  PL_OK, NULL);
    decode_expect("{" CH "," FA ",\"grounds\":[\"compensation\",\"confession\",\"forgiveness\","
                  "\"other\",\"restitution\",\"surrender\",\"surrender\"]," DET2 "," PROC "}",
                  PL_E_TERMS_GROUNDS, "7");
    decode_expect("{" CH "," FA ",\"grounds\":[null]," DET2 "," PROC "}", PL_E_TERMS_SCHEMA,
                  "grounds[1]");
    /* An unknown key is quoted safely, however long or odd. */
    decode_expect("{" CH "," FA "," DET2 "," PROC ",\"x\\u001by\":1}", PL_E_TERMS_SCHEMA,
                  "\"x\\u{1b}y\"");
}

/* SPEC §15.2: a negative amount or number of months is refused with the
 * error of the field's own rule, not as a type error. */
static void test_terms_decode_negative_values_s15_2(void **state)
{
    (void)state;
    decode_expect("{" CH "," FA ",\"fine\":-1," DET2 "," PROC "}", PL_E_TERMS_FINE,
                  "-0.01 yuan (-1 fen)");
    decode_expect("{" CH "," FA ",\"fine\":-400000," DET2 "," PROC "}", PL_E_TERMS_FINE,
                  "-4,000.00 yuan");
    decode_expect("{" CH "," FA ",\"fine\":-9223372036854775807," DET2 "," PROC "}",
                  PL_E_TERMS_FINE, "-92,233,720,368,547,758.07 yuan");
    decode_expect("{" CH "," FA "," DET2 ",\"probation\":-3," PROC "}", PL_E_TERMS_PROBATION_PERIOD,
                  "-3");
    decode_expect("{" CH "," FA "," DET2 ",\"political_rights\":-12," PROC "}",
                  PL_E_TERMS_POLITICAL_RIGHTS, "-12");
    decode_expect("{" CH "," FA ",\"penalty\":{\"kind\":\"detention\",\"max\":-2,\"min\":1}," PROC
                  "}",
                  PL_E_TERMS_DETENTION, "-2");
    decode_expect("{" CH "," FA
                  ",\"penalty\":{\"kind\":\"imprisonment\",\"max\":8,\"min\":-8}," PROC "}",
                  PL_E_TERMS_IMPRISONMENT, "-8");
    decode_expect("{" CH "," FA
                  ",\"penalty\":{\"kind\":\"surveillance\",\"max\":-1,\"min\":3}," PROC "}",
                  PL_E_TERMS_SURVEILLANCE, "-1");
    decode_expect("{\"charges\":[{\"article\":\"1\",\"name\":\"x\",\"term\":-6},{\"article\":\"2\","
                  "\"name\":\"y\"}]," FA "," DET2 "," PROC "}",
                  PL_E_TERMS_CHARGE_TERM, "-6");
}

/* SPEC §15.2: text limits, in bytes, and the characters text may not hold. */
static void test_terms_text_rules_s15_2(void **state)
{
    (void)state;
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    memset(T.charges[0].article, '1', PL_TERMS_ARTICLE_MAX);
    ok(&T);
    T.charges[0].article[PL_TERMS_ARTICLE_MAX] = 'x'; /* unterminated: 33 bytes */
    check(&T, PL_E_TERMS_SCHEMA, "charges[1].article", "33 bytes");
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    memset(T.charges[0].name, 'n', PL_TERMS_NAME_MAX);
    ok(&T);
    T.charges[0].name[0] = '\0';
    check(&T, PL_E_TERMS_SCHEMA, "charges[1].name", "empty");
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    memset(T.facts, 'f', PL_TERMS_FACTS_MAX);
    ok(&T);
    T.facts[PL_TERMS_FACTS_MAX] = 'f';
    check(&T, PL_E_TERMS_SCHEMA, "facts", "16385 bytes");
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    memset(T.grounds_text, 'g', PL_TERMS_GROUNDS_TEXT_MAX);
    ok(&T);
    T.grounds_text[PL_TERMS_GROUNDS_TEXT_MAX] = 'g';
    check(&T, PL_E_TERMS_SCHEMA, "grounds_text", "4097 bytes");

    /* Controls and bidirectional overrides: never in a name; tab and line
     * feed only in facts and grounds text. */
    static const struct {
        const char *s;
        int in_name, in_facts;
    } cases[] = {
        {"plain text 中文", 1, 1},     {"tab\there", 0, 1},          {"line\nfeed", 0, 1},
        {"carriage\rreturn", 0, 0},    {"escape\x1b[2J", 0, 0},      {"delete\x7f", 0, 0},
        {"c1 \xc2\x9b", 0, 0},         {"rlo \xe2\x80\xae", 0, 0},   {"isolate \xe2\x81\xa6", 0, 0},
        {"lrm \xe2\x80\x8e ok", 1, 1}, {"bad utf-8 \xc0\x80", 0, 0}, {"cut \xe4\xb8", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        base(&T, PL_PENALTY_DETENTION, 2, 2);
        snprintf(T.charges[0].name, sizeof T.charges[0].name, "%s", cases[i].s);
        check(&T, cases[i].in_name ? PL_OK : PL_E_TERMS_SCHEMA, NULL, NULL);
        base(&T, PL_PENALTY_DETENTION, 2, 2);
        snprintf(T.facts, sizeof T.facts, "%s", cases[i].s);
        check(&T, cases[i].in_facts ? PL_OK : PL_E_TERMS_SCHEMA, NULL, NULL);
        base(&T, PL_PENALTY_DETENTION, 2, 2);
        snprintf(T.grounds_text, sizeof T.grounds_text, "%s", cases[i].s);
        check(&T, cases[i].in_facts ? PL_OK : PL_E_TERMS_SCHEMA, NULL, NULL);
    }
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    snprintf(T.charges[0].name, sizeof T.charges[0].name, "ab\x1b");
    check(&T, PL_E_TERMS_SCHEMA, "U+001B", "byte 2");
}

/* SPEC §15.2: a struct is held to what a decoder would accept, with the
 * decoder's codes: counts, enumerations, flags. */
static void test_terms_struct_fields_s15_2(void **state)
{
    (void)state;
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    T.ncharges = 0;
    check(&T, PL_E_TERMS_CHARGES, "no charge", NULL);
    combined(&T, PL_PENALTY_DETENTION, 2, 2, PL_TERMS_MAX_CHARGES, NULL);
    ok(&T);
    T.ncharges = PL_TERMS_MAX_CHARGES + 1;
    check(&T, PL_E_TERMS_CHARGES, "17 charges", NULL);
    base(&T, 0, 2, 2);
    check(&T, PL_E_TERMS_PENALTY_KIND, "kind 0", NULL);
    base(&T, PL_PENALTY_KIND_LAST + 1, 2, 2);
    check(&T, PL_E_TERMS_PENALTY_KIND, "kind 7", NULL);
    base(&T, PL_PENALTY_ADDITIONAL, 2, 2);
    check(&T, PL_E_TERMS_SCHEMA, "additional penalties alone has no term", NULL);
    base(&T, PL_PENALTY_LIFE, 0, 240);
    check(&T, PL_E_TERMS_SCHEMA, "life imprisonment has no term", NULL);
    base(&T, PL_PENALTY_EXEMPTION, 1, 1);
    check(&T, PL_E_TERMS_SCHEMA, "exemption", NULL);
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    T.procedure = 0;
    check(&T, PL_E_TERMS_PROCEDURE, "value 0", NULL);
    T.procedure = 4;
    check(&T, PL_E_TERMS_PROCEDURE, "value 4", NULL);
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    T.confiscation = 3;
    check(&T, PL_E_TERMS_CONFISCATION, "value 3", NULL);
    T.confiscation = PL_CONFISCATION_ALL;
    ok(&T);
    T.grounds = 0x40;
    check(&T, PL_E_TERMS_GROUNDS, "0x40", NULL);
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    T.deportation = 2;
    check(&T, PL_E_TERMS_SCHEMA, "deportation", NULL);
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    T.has_fine = -1, T.fine = 5;
    check(&T, PL_E_TERMS_SCHEMA, "has_fine", NULL);
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    T.charges[0].has_term = 7;
    check(&T, PL_E_TERMS_SCHEMA, "has_term", NULL);
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    T.ringleader = 3;
    check(&T, PL_E_TERMS_SCHEMA, "ringleader", NULL);
    pl_terms_problem why;
    assert_int_equal(pl_terms_validate(NULL, &why), PL_E_ARG);
    assert_int_equal(pl_terms_validate(NULL, NULL), PL_E_ARG);
    assert_string_equal(pl_penalty_kind_name(PL_PENALTY_DETENTION), "detention");
    assert_null(pl_penalty_kind_name(0));
    assert_string_equal(pl_procedure_name(PL_PROCEDURE_SPEEDY), "speedy");
    assert_null(pl_procedure_name(9));
    assert_string_equal(pl_ground_name(PL_GROUND_SURRENDER), "surrender");
    assert_null(pl_ground_name(PL_GROUND_SURRENDER | PL_GROUND_OTHER));
}

/* ---- SPEC §15.3: terms hash ---------------------------------------------- */

/* SPEC §15.3: H("parley/v2/terms" || 0x00 || bytes), recomputed here from
 * the spec's words with libsodium directly. */
static void test_terms_hash_s15_3(void **state)
{
    (void)state;
    size_t n;
    uint8_t h[PL_HASH_BYTES], want[PL_HASH_BYTES];
    case1(&T, 2, 3, 4000);
    assert_int_equal(pl_terms_encode(&T, buf, sizeof buf, &n), PL_OK);
    pl_terms_hash(buf, n, h);
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const uint8_t *)"parley/v2/terms", 16); /* with the NUL */
    crypto_generichash_update(&st, buf, n);
    crypto_generichash_final(&st, want, 32);
    assert_memory_equal(h, want, 32);
    /* Different terms, different hash; the hash is of the bytes. */
    case1(&T, 2, 4, 4000);
    assert_int_equal(pl_terms_encode(&T, buf, sizeof buf, &n), PL_OK);
    pl_terms_hash(buf, n, want);
    assert_memory_not_equal(h, want, 32);
}

/* ---- SPEC §15.4: statutory limits, each just inside and just outside ----- */

/* SPEC §15.4 row 1. */
static void test_terms_range_s15_4(void **state)
{
    (void)state;
    ok(base(&T, PL_PENALTY_IMPRISONMENT, 8, 12));  /* 幅度刑 */
    ok(base(&T, PL_PENALTY_IMPRISONMENT, 12, 12)); /* 确定刑 */
    check(base(&T, PL_PENALTY_IMPRISONMENT, 13, 12), PL_E_TERMS_PENALTY_RANGE, "from 13 down to 12",
          NULL);
    check(base(&T, PL_PENALTY_DETENTION, 3, 2), PL_E_TERMS_PENALTY_RANGE, "criminal detention",
          NULL);
    check(base(&T, PL_PENALTY_SURVEILLANCE, 24, 3), PL_E_TERMS_PENALTY_RANGE, "24", NULL);
}

/* SPEC §15.4 row 4: criminal detention 1-6 months (art. 42), 12 for several
 * crimes (art. 69). */
static void test_terms_detention_limits_s15_4(void **state)
{
    (void)state;
    check(base(&T, PL_PENALTY_DETENTION, 0, 0), PL_E_TERMS_DETENTION, "at least 1 month",
          "have 0 months");
    ok(base(&T, PL_PENALTY_DETENTION, 1, 1));
    ok(base(&T, PL_PENALTY_DETENTION, 1, 6));
    check(base(&T, PL_PENALTY_DETENTION, 7, 7), PL_E_TERMS_DETENTION, "1 to 6 months",
          "have 7 months");
    check(base(&T, PL_PENALTY_DETENTION, 2, 7), PL_E_TERMS_DETENTION, "2 to 7 months", "art. 42");
    ok(combined(&T, PL_PENALTY_DETENTION, 12, 12, 2, NULL));
    check(combined(&T, PL_PENALTY_DETENTION, 13, 13, 2, NULL), PL_E_TERMS_DETENTION,
          "at most 12 months", "art. 69");
    check(combined(&T, PL_PENALTY_DETENTION, 0, 3, 3, NULL), PL_E_TERMS_DETENTION,
          "at least 1 month", NULL);
}

/* SPEC §15.4 row 3: public surveillance 3-24 months (art. 38), 36 for several
 * crimes (art. 69). */
static void test_terms_surveillance_limits_s15_4(void **state)
{
    (void)state;
    check(base(&T, PL_PENALTY_SURVEILLANCE, 2, 2), PL_E_TERMS_SURVEILLANCE, "at least 3 months",
          "have 2 months");
    ok(base(&T, PL_PENALTY_SURVEILLANCE, 3, 3));
    ok(base(&T, PL_PENALTY_SURVEILLANCE, 24, 24));
    check(base(&T, PL_PENALTY_SURVEILLANCE, 25, 25), PL_E_TERMS_SURVEILLANCE, "3 to 24 months",
          "art. 38");
    ok(combined(&T, PL_PENALTY_SURVEILLANCE, 36, 36, 2, NULL));
    check(combined(&T, PL_PENALTY_SURVEILLANCE, 30, 37, 2, NULL), PL_E_TERMS_SURVEILLANCE,
          "at most 36 months", "30 to 37 months");
}

/* SPEC §15.4 row 5: fixed-term imprisonment 6-180 months (art. 45); for
 * several crimes 240, or 300 when their terms total 420 or more (art. 69). */
static void test_terms_imprisonment_limits_s15_4(void **state)
{
    (void)state;
    check(base(&T, PL_PENALTY_IMPRISONMENT, 5, 5), PL_E_TERMS_IMPRISONMENT, "at least 6 months",
          "have 5 months");
    ok(base(&T, PL_PENALTY_IMPRISONMENT, 6, 6));
    ok(base(&T, PL_PENALTY_IMPRISONMENT, 180, 180));
    check(base(&T, PL_PENALTY_IMPRISONMENT, 181, 181), PL_E_TERMS_IMPRISONMENT, "6 to 180 months",
          "181 months");
    ok(combined(&T, PL_PENALTY_IMPRISONMENT, 240, 240, 2, NULL));
    check(combined(&T, PL_PENALTY_IMPRISONMENT, 241, 241, 2, NULL), PL_E_TERMS_IMPRISONMENT,
          "at most 240 months", "241 months");
    const uint64_t t420[3] = {180, 180, 60}, t419[3] = {180, 180, 59};
    ok(combined(&T, PL_PENALTY_IMPRISONMENT, 300, 300, 3, t420));
    check(combined(&T, PL_PENALTY_IMPRISONMENT, 301, 301, 3, t420), PL_E_TERMS_IMPRISONMENT,
          "total 420 months", "at most 300 months");
    ok(combined(&T, PL_PENALTY_IMPRISONMENT, 240, 240, 3, t419));
    check(combined(&T, PL_PENALTY_IMPRISONMENT, 241, 241, 3, t419), PL_E_TERMS_IMPRISONMENT,
          "at most 240 months", NULL);
    /* 300 needs every term: with one missing, the total is unknown. */
    const uint64_t partial[3] = {180, 180, 0};
    check(combined(&T, PL_PENALTY_IMPRISONMENT, 241, 241, 3, partial), PL_E_TERMS_IMPRISONMENT,
          "every charge gives its term", NULL);
}

/* SPEC §15.4 row 2: individual terms, only for several crimes, in the
 * penalty's kind and within its limits for one crime. */
static void test_terms_charge_term_s15_4(void **state)
{
    (void)state;
    base(&T, PL_PENALTY_IMPRISONMENT, 12, 12);
    T.charges[0].has_term = 1, T.charges[0].term = 12;
    check(&T, PL_E_TERMS_CHARGE_TERM, "charges[1]", "two or more crimes");
    uint64_t t[2] = {6, 180};
    ok(combined(&T, PL_PENALTY_IMPRISONMENT, 180, 186, 2, t));
    t[0] = 5;
    check(combined(&T, PL_PENALTY_IMPRISONMENT, 180, 185, 2, t), PL_E_TERMS_CHARGE_TERM,
          "charges[1]", "5 months");
    t[0] = 6, t[1] = 181;
    check(combined(&T, PL_PENALTY_IMPRISONMENT, 181, 187, 2, t), PL_E_TERMS_CHARGE_TERM,
          "charges[2]", "181 months");
    uint64_t d[2] = {1, 6};
    ok(combined(&T, PL_PENALTY_DETENTION, 6, 7, 2, d));
    d[1] = 7;
    check(combined(&T, PL_PENALTY_DETENTION, 7, 8, 2, d), PL_E_TERMS_CHARGE_TERM, "1 to 6", NULL);
    uint64_t s[2] = {3, 24};
    ok(combined(&T, PL_PENALTY_SURVEILLANCE, 24, 27, 2, s));
    s[0] = 2;
    check(combined(&T, PL_PENALTY_SURVEILLANCE, 24, 26, 2, s), PL_E_TERMS_CHARGE_TERM, "2 months",
          NULL);
    const uint64_t l[2] = {180, 12};
    check(combined(&T, PL_PENALTY_LIFE, 0, 0, 2, l), PL_E_TERMS_CHARGE_TERM, "life imprisonment",
          NULL);
    check(combined(&T, PL_PENALTY_EXEMPTION, 0, 0, 2, l), PL_E_TERMS_CHARGE_TERM, "exemption",
          NULL);
    /* An individual term of 0 is below every kind's minimum. */
    const uint64_t z[2] = {6, 6};
    combined(&T, PL_PENALTY_IMPRISONMENT, 6, 12, 2, z);
    T.charges[0].term = 0;
    check(&T, PL_E_TERMS_CHARGE_TERM, "0 months", NULL);
}

/* SPEC §15.4 row 6: the combined sentence lies from the longest individual
 * term up to their total (art. 69). */
static void test_terms_combined_span_s15_4(void **state)
{
    (void)state;
    const uint64_t t[2] = {6, 12}, partial[2] = {0, 12};
    ok(combined(&T, PL_PENALTY_IMPRISONMENT, 12, 18, 2, t));
    check(combined(&T, PL_PENALTY_IMPRISONMENT, 11, 18, 2, t), PL_E_TERMS_COMBINED_SPAN,
          "12 months (charges[2])", "minimum of 11 months");
    check(combined(&T, PL_PENALTY_IMPRISONMENT, 12, 19, 2, t), PL_E_TERMS_COMBINED_SPAN,
          "total of the individual terms, 18 months", "maximum of 19 months");
    /* Without every term the total is unknown: only the lower bound holds. */
    ok(combined(&T, PL_PENALTY_IMPRISONMENT, 12, 100, 2, partial));
    check(combined(&T, PL_PENALTY_IMPRISONMENT, 11, 100, 2, partial), PL_E_TERMS_COMBINED_SPAN,
          "12 months", NULL);
    const uint64_t d[3] = {2, 3, 4};
    ok(combined(&T, PL_PENALTY_DETENTION, 4, 9, 3, d));
    check(combined(&T, PL_PENALTY_DETENTION, 4, 10, 3, d), PL_E_TERMS_COMBINED_SPAN, "9 months",
          NULL);
}

/* SPEC §15.4 row 7: exemption from punishment carries no penalty (arts. 32,
 * 37). */
static void test_terms_exemption_s15_4(void **state)
{
    (void)state;
    base(&T, PL_PENALTY_EXEMPTION, 0, 0);
    T.procedure = PL_PROCEDURE_SPEEDY;
    ok(&T);
    T.has_fine = 1, T.fine = 100000;
    check(&T, PL_E_TERMS_EXEMPTION, "a fine of 1,000.00 yuan", "art");
    base(&T, PL_PENALTY_EXEMPTION, 0, 0);
    T.has_political_rights = 1, T.political_rights = 12;
    check(&T, PL_E_TERMS_EXEMPTION, "political rights", NULL);
    base(&T, PL_PENALTY_EXEMPTION, 0, 0);
    T.confiscation = PL_CONFISCATION_PART;
    check(&T, PL_E_TERMS_EXEMPTION, "confiscation", NULL);
    base(&T, PL_PENALTY_EXEMPTION, 0, 0);
    T.deportation = 1;
    check(&T, PL_E_TERMS_EXEMPTION, "deportation", NULL);
}

/* SPEC §15.4 row 8: probation only with criminal detention or with at most
 * 36 months of imprisonment (art. 72); a range counts by its maximum. */
static void test_terms_probation_kind_s15_4(void **state)
{
    (void)state;
    base(&T, PL_PENALTY_IMPRISONMENT, 36, 36);
    T.has_probation = 1, T.probation = 36;
    ok(&T);
    T.penalty.min = T.penalty.max = 37;
    T.probation = 40;
    check(&T, PL_E_TERMS_PROBATION_KIND, "at most 36 months",
          "the terms have 37 months of fixed-term imprisonment");
    T.penalty.min = 24, T.penalty.max = 48;
    check(&T, PL_E_TERMS_PROBATION_KIND, "24 to 48 months of fixed-term imprisonment", NULL);
    base(&T, PL_PENALTY_IMPRISONMENT, 48, 48);
    T.has_probation = 1, T.probation = 48;
    check(&T, PL_E_TERMS_PROBATION_KIND,
          "probation requires criminal detention or at most 36 months of fixed-term "
          "imprisonment",
          "the terms have 48 months of fixed-term imprisonment");
    base(&T, PL_PENALTY_SURVEILLANCE, 6, 6);
    T.has_probation = 1, T.probation = 12;
    check(&T, PL_E_TERMS_PROBATION_KIND, "6 months of public surveillance", NULL);
    base(&T, PL_PENALTY_LIFE, 0, 0);
    T.has_probation = 1, T.probation = 60;
    check(&T, PL_E_TERMS_PROBATION_KIND, "life imprisonment", NULL);
    base(&T, PL_PENALTY_EXEMPTION, 0, 0);
    T.has_probation = 1, T.probation = 12;
    check(&T, PL_E_TERMS_PROBATION_KIND, "exemption from criminal punishment", NULL);
}

/* SPEC §15.4 row 9: never for recidivists or ringleaders (art. 74). */
static void test_terms_probation_excluded_s15_4(void **state)
{
    (void)state;
    case1(&T, 2, 3, 4000);
    ok(&T);
    T.recidivist = 1;
    check(&T, PL_E_TERMS_PROBATION_EXCLUDED, "a recidivist", "3 months of probation");
    T.recidivist = 0, T.ringleader = 1;
    check(&T, PL_E_TERMS_PROBATION_EXCLUDED, "ringleader", NULL);
    T.has_probation = 0; /* a recidivist without probation is fine */
    ok(&T);
}

/* SPEC §15.4 row 10: the probation period (art. 73): detention, from the
 * term and at least 2 up to 12 months; imprisonment, from the term and at
 * least 12 up to 60 months. */
static void test_terms_probation_period_s15_4(void **state)
{
    (void)state;
    static const struct {
        pl_penalty_kind kind;
        uint64_t min, max, probation;
        int ok;
    } rows[] = {
        {PL_PENALTY_DETENTION, 1, 1, 1, 0},       {PL_PENALTY_DETENTION, 1, 1, 2, 1},
        {PL_PENALTY_DETENTION, 2, 2, 1, 0},       {PL_PENALTY_DETENTION, 2, 2, 2, 1},
        {PL_PENALTY_DETENTION, 4, 4, 3, 0},       {PL_PENALTY_DETENTION, 4, 4, 4, 1},
        {PL_PENALTY_DETENTION, 2, 2, 12, 1},      {PL_PENALTY_DETENTION, 2, 2, 13, 0},
        {PL_PENALTY_DETENTION, 2, 5, 4, 0},       {PL_PENALTY_DETENTION, 2, 5, 5, 1},
        {PL_PENALTY_DETENTION, 6, 6, 0, 0},       {PL_PENALTY_IMPRISONMENT, 6, 6, 11, 0},
        {PL_PENALTY_IMPRISONMENT, 6, 6, 12, 1},   {PL_PENALTY_IMPRISONMENT, 9, 9, 12, 1},
        {PL_PENALTY_IMPRISONMENT, 24, 24, 23, 0}, {PL_PENALTY_IMPRISONMENT, 24, 24, 24, 1},
        {PL_PENALTY_IMPRISONMENT, 36, 36, 60, 1}, {PL_PENALTY_IMPRISONMENT, 36, 36, 61, 0},
        {PL_PENALTY_IMPRISONMENT, 8, 12, 12, 1},  {PL_PENALTY_IMPRISONMENT, 20, 24, 20, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char have[40];
        base(&T, rows[i].kind, rows[i].min, rows[i].max);
        T.has_probation = 1, T.probation = rows[i].probation;
        snprintf(have, sizeof have, "have %llu month", (unsigned long long)rows[i].probation);
        check(&T, rows[i].ok ? PL_OK : PL_E_TERMS_PROBATION_PERIOD, rows[i].ok ? NULL : have,
              rows[i].ok ? NULL : "art. 73");
    }
}

/* SPEC §15.4 row 11: a fine is a positive amount (art. 52). */
static void test_terms_fine_s15_4(void **state)
{
    (void)state;
    case1(&T, 2, 3, 4000);
    T.fine = 0;
    check(&T, PL_E_TERMS_FINE, "positive", "0.00 yuan");
    /* row 23 (v2): dangerous driving sets no fine standard: 1,000 yuan at
     * least, 500 for a minor (SPC property penalties, 2000, art. 2) */
    T.fine = 1;
    check(&T, PL_E_TERMS_FINE_FLOOR, "1,000 yuan", "0.01 yuan");
    T.fine = 99999;
    check(&T, PL_E_TERMS_FINE_FLOOR, "art. 133-1", "999.99 yuan");
    T.fine = 100000;
    ok(&T);
    T.minor = 1, T.procedure = PL_PROCEDURE_SUMMARY, T.fine = 49999;
    check(&T, PL_E_TERMS_FINE_FLOOR, "500 yuan", "499.99 yuan");
    T.fine = 50000;
    ok(&T);
    T.minor = 0;
    T.fine = UINT64_MAX;
    ok(&T);
    /* an article outside the catalogue is not checked by row 23 */
    snprintf(T.charges[0].article, sizeof T.charges[0].article, "%s", "128");
    T.fine = 1;
    ok(&T);
}

/* SPEC §15.4 row 24 (v2): art. 196's fine has a ceiling in figures,
 * 200,000 yuan for bracket 1 and 500,000 above, added over several such
 * crimes; a crime without one lifts it; the floor is not checked (a
 * mitigating circumstance lowers it). */
static void test_terms_fine_standard_s15_4(void **state)
{
    (void)state;
    base(&T, PL_PENALTY_IMPRISONMENT, 24, 24);
    snprintf(T.charges[0].article, sizeof T.charges[0].article, "%s", "196");
    snprintf(T.charges[0].name, sizeof T.charges[0].name, "%s", "信用卡诈骗罪");
    T.charges[0].bracket = 1;
    T.has_fine = 1, T.fine = 20000000; /* 200,000 yuan */
    ok(&T);
    T.fine = 20000001;
    check(&T, PL_E_TERMS_FINE_STANDARD, "200,000.00 yuan", "200,000.01 yuan");
    T.fine = 100; /* 1 yuan: the floor of the article is not the row's */
    ok(&T);
    T.charges[0].bracket = 0; /* no bracket: the highest ceiling */
    T.fine = 50000000;
    ok(&T);
    T.fine = 50000001;
    check(&T, PL_E_TERMS_FINE_STANDARD, "500,000.00 yuan", "art. 196");
    /* two such crimes: the ceilings add (art. 69 para. 3) */
    T.ncharges = 2;
    T.charges[1] = T.charges[0];
    T.charges[1].bracket = 1;
    T.fine = 70000000;
    ok(&T);
    T.fine = 70000001;
    check(&T, PL_E_TERMS_FINE_STANDARD, "700,000.00 yuan", "these crimes together");
    /* with a crime whose fine has no ceiling, nothing is checked */
    snprintf(T.charges[1].article, sizeof T.charges[1].article, "%s", "266");
    T.charges[1].bracket = 0;
    T.fine = UINT64_MAX;
    ok(&T);
}

/* SPEC §15.4 row 12: political rights 12-60 months (art. 55); with
 * surveillance as long as the surveillance (art. 55); with life imprisonment
 * for life by law, so never in months (art. 57). */
static void test_terms_political_rights_s15_4(void **state)
{
    (void)state;
    static const uint64_t months[] = {11, 12, 60, 61, 0};
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
        char have[40];
        base(&T, PL_PENALTY_IMPRISONMENT, 60, 60);
        T.has_political_rights = 1, T.political_rights = months[i];
        snprintf(have, sizeof have, "have %llu month", (unsigned long long)months[i]);
        int good = months[i] >= 12 && months[i] <= 60;
        check(&T, good ? PL_OK : PL_E_TERMS_POLITICAL_RIGHTS, good ? NULL : "12 to 60 months",
              good ? NULL : have);
    }
    base(&T, PL_PENALTY_SURVEILLANCE, 6, 9);
    T.has_political_rights = 1, T.political_rights = 6;
    ok(&T);
    T.political_rights = 9;
    ok(&T);
    T.political_rights = 5;
    check(&T, PL_E_TERMS_POLITICAL_RIGHTS, "as long as the surveillance, 6 to 9 months",
          "have 5 months");
    T.political_rights = 12;
    check(&T, PL_E_TERMS_POLITICAL_RIGHTS, "have 12 months", NULL);
    combined(&T, PL_PENALTY_LIFE, 0, 0, 2, NULL);
    ok(&T);
    T.has_political_rights = 1, T.political_rights = 60;
    check(&T, PL_E_TERMS_POLITICAL_RIGHTS, "for life", "art. 57");
}

/* SPEC §15.4 row 13: speedy trial only where the sentence is at most 36
 * months of imprisonment (CPL art. 222). */
static void test_terms_speedy_trial_s15_4(void **state)
{
    (void)state;
    base(&T, PL_PENALTY_IMPRISONMENT, 36, 36);
    T.procedure = PL_PROCEDURE_SPEEDY;
    ok(&T);
    T.penalty.max = 37;
    check(&T, PL_E_TERMS_SPEEDY_TRIAL, "36 to 37 months of fixed-term imprisonment", NULL);
    case2(&T, 48, 0, 0);
    check(&T, PL_E_TERMS_SPEEDY_TRIAL, "CPL art. 222",
          "the terms have 48 months of fixed-term imprisonment");
    /* SPEC §15.4 row 19, CASES.md Case 2: art. 287-2 ends at 36 months */
    T.procedure = PL_PROCEDURE_SUMMARY;
    check(&T, PL_E_TERMS_ARTICLE, "art. 287-2", "36 months");
    base(&T, PL_PENALTY_IMPRISONMENT, 48, 48);
    T.procedure = PL_PROCEDURE_SUMMARY;
    ok(&T);
    combined(&T, PL_PENALTY_LIFE, 0, 0, 2, NULL);
    T.procedure = PL_PROCEDURE_SPEEDY;
    check(&T, PL_E_TERMS_SPEEDY_TRIAL, "life imprisonment", NULL);
    combined(&T, PL_PENALTY_SURVEILLANCE, 36, 36, 2, NULL);
    T.procedure = PL_PROCEDURE_SPEEDY;
    ok(&T);
    base(&T, PL_PENALTY_DETENTION, 6, 6);
    T.procedure = PL_PROCEDURE_SPEEDY;
    ok(&T);
    base(&T, PL_PENALTY_EXEMPTION, 0, 0);
    T.procedure = PL_PROCEDURE_SPEEDY;
    ok(&T);
}

/* SPEC §15.4 row 14: summary procedure is not for life imprisonment (CPL
 * arts. 21, 214). */
static void test_terms_summary_s15_4(void **state)
{
    (void)state;
    combined(&T, PL_PENALTY_LIFE, 0, 0, 2, NULL);
    ok(&T);
    T.procedure = PL_PROCEDURE_SUMMARY;
    check(&T, PL_E_TERMS_SUMMARY, "life imprisonment", "CPL arts. 21, 214");
    base(&T, PL_PENALTY_IMPRISONMENT, 180, 180);
    T.procedure = PL_PROCEDURE_SUMMARY;
    ok(&T);
}

/* SPEC §15.4: CASES.md, every valid case and every invalid variant, with
 * the values quoted back. */
static void test_terms_cases_s15_4(void **state)
{
    (void)state;
    /* Case 1: offer, counter-offer, agreement. */
    ok(case1(&T, 3, 0, 5000));
    ok(case1(&T, 2, 4, 3000));
    ok(case1(&T, 2, 3, 4000));
    check(case1(&T, 7, 0, 4000), PL_E_TERMS_DETENTION, "1 to 6 months", "7 months");
    check(case1(&T, 2, 1, 4000), PL_E_TERMS_PROBATION_PERIOD, "2 to 12 months", "have 1 month");
    check(case1(&T, 2, 14, 4000), PL_E_TERMS_PROBATION_PERIOD, "2 to 12 months", "14 months");
    /* Case 2. */
    ok(case2(&T, 10, 0, 10000));
    ok(case2(&T, 8, 12, 5000));
    ok(case2(&T, 9, 12, 8000));
    check(case2(&T, 9, 10, 8000), PL_E_TERMS_PROBATION_PERIOD, "12 to 60 months", "have 10 months");
    check(case2(&T, 48, 0, 0), PL_E_TERMS_SPEEDY_TRIAL, "36 months", "48 months");
    /* Case 3: the range, then the agreement. */
    base(&T, PL_PENALTY_IMPRISONMENT, 8, 12);
    ok(&T);
    T.penalty.max = 8;
    T.has_probation = 1, T.probation = 12;
    T.grounds = PL_GROUND_COMPENSATION | PL_GROUND_FORGIVENESS;
    ok(&T);
    /* Case 1's fine of -1 can only arrive as bytes. */
    decode_expect("{\"charges\":[{\"article\":\"133-1\",\"name\":\"dangerous driving\"}],"
                  "\"facts\":\"drunk\",\"fine\":-1,\"penalty\":{\"kind\":\"detention\",\"max\":2,"
                  "\"min\":2},\"probation\":3,\"procedure\":\"speedy\"}",
                  PL_E_TERMS_FINE, "positive amount");
}

/* ---- SPEC §15.6: order of checks ----------------------------------------- */

/* SPEC §15.6: unknown keys, then missing keys, then values in key order,
 * then the rows of §15.4 in order; refused output is zeroed. */
static void test_terms_order_of_checks_s15_6(void **state)
{
    (void)state;
    /* Unknown key before a missing one. */
    decode_expect("{" CH "," DET2 "," PROC ",\"zzz\":1}", PL_E_TERMS_SCHEMA, "\"zzz\"");
    /* Missing key before a bad value. */
    decode_expect("{" CH "," FA ",\"fine\":-1," DET2 "}", PL_E_TERMS_SCHEMA, "\"procedure\"");
    /* Values in key order: "confiscation" sorts before "fine". */
    decode_expect("{" CH ",\"confiscation\":\"some\"," FA ",\"fine\":-1," DET2 "," PROC "}",
                  PL_E_TERMS_CONFISCATION, NULL);
    /* Values before the law. */
    decode_expect("{" CH "," FA ",\"fine\":-1,\"penalty\":{\"kind\":\"detention\",\"max\":7,"
                  "\"min\":7}," PROC "}",
                  PL_E_TERMS_FINE, NULL);
    /* Rows in order: detention (4) before probation (10) before fine (11). */
    decode_expect("{" CH "," FA ",\"fine\":0,\"penalty\":{\"kind\":\"detention\",\"max\":7,"
                  "\"min\":7},\"probation\":1," PROC "}",
                  PL_E_TERMS_DETENTION, "7 months");
    decode_expect("{" CH "," FA ",\"fine\":0," DET2 ",\"probation\":1," PROC "}",
                  PL_E_TERMS_PROBATION_PERIOD, NULL);
    decode_expect("{" CH "," FA ",\"fine\":0," DET2 "," PROC "}", PL_E_TERMS_FINE, NULL);
    /* The §3 walk before anything: a float fine is not a fine problem. */
    uint8_t b[] = {0x81, 0xa4, 'f', 'i', 'n', 'e', 0xca, 0, 0, 0, 0};
    pl_terms_problem why;
    assert_int_equal(pl_terms_decode(b, sizeof b, &T, &why), PL_E_FORBIDDEN_TYPE);
    assert_int_equal(why.code, PL_E_FORBIDDEN_TYPE);
}

/* ---- SPEC §15.5: display ------------------------------------------------- */

static void format_is(const pl_terms *t, const char *want)
{
    char text[PL_TERMS_TEXT_MAX];
    assert_int_equal(pl_terms_format(t, text, sizeof text), PL_OK);
    assert_string_equal(text, want);
}

/* SPEC §15.5: the one-line summary. */
static void test_terms_format_s15_5(void **state)
{
    (void)state;
    format_is(case1(&T, 2, 3, 4000),
              "criminal detention 2 months, probation 3 months, fine 4,000.00 yuan, speedy trial");
    format_is(case1(&T, 3, 0, 5000),
              "criminal detention 3 months, fine 5,000.00 yuan, speedy trial");
    format_is(case2(&T, 9, 12, 8000), "fixed-term imprisonment 9 months, probation 12 months, fine "
                                      "8,000.00 yuan, speedy trial");
    format_is(base(&T, PL_PENALTY_IMPRISONMENT, 8, 12),
              "fixed-term imprisonment 8 to 12 months, ordinary procedure");
    format_is(base(&T, PL_PENALTY_DETENTION, 1, 1),
              "criminal detention 1 month, ordinary procedure");
    base(&T, PL_PENALTY_LIFE, 0, 0);
    T.confiscation = PL_CONFISCATION_ALL;
    T.deportation = 1;
    format_is(&T, "life imprisonment, confiscation of all property, deportation, ordinary "
                  "procedure");
    base(&T, PL_PENALTY_EXEMPTION, 0, 0);
    T.procedure = PL_PROCEDURE_SUMMARY;
    format_is(&T, "exemption from criminal punishment, summary procedure");
    base(&T, PL_PENALTY_SURVEILLANCE, 6, 6);
    T.has_political_rights = 1, T.political_rights = 6;
    T.has_fine = 1, T.fine = 123456789;
    T.confiscation = PL_CONFISCATION_PART;
    format_is(&T, "public surveillance 6 months, fine 1,234,567.89 yuan, deprivation of political "
                  "rights 6 months, confiscation of part of the property, ordinary procedure");
    T.fine = 5;
    format_is(&T, "public surveillance 6 months, fine 0.05 yuan, deprivation of political rights 6 "
                  "months, confiscation of part of the property, ordinary procedure");
    /* The buffer: too small is an error and leaves "". */
    char small[20];
    case1(&T, 2, 3, 4000);
    assert_int_equal(pl_terms_format(&T, small, sizeof small), PL_E_BUFSIZE);
    assert_string_equal(small, "");
    assert_int_equal(pl_terms_format(&T, small, 0), PL_E_BUFSIZE);
    assert_int_equal(pl_terms_format(NULL, small, sizeof small), PL_E_ARG);
    /* Any struct formats within PL_TERMS_TEXT_MAX, even the largest values. */
    base(&T, PL_PENALTY_IMPRISONMENT, UINT64_MAX - 1, UINT64_MAX);
    T.has_probation = T.has_fine = T.has_political_rights = 1;
    T.probation = T.fine = T.political_rights = UINT64_MAX;
    T.confiscation = PL_CONFISCATION_PART, T.deportation = 1;
    char text[PL_TERMS_TEXT_MAX];
    assert_int_equal(pl_terms_format(&T, text, sizeof text), PL_OK);
    assert_non_null(strstr(text, "fine 184,467,440,737,095,516.15 yuan"));
    T.penalty.kind = 99, T.procedure = 0, T.confiscation = 7;
    assert_int_equal(pl_terms_format(&T, text, sizeof text), PL_OK);
    assert_non_null(strstr(text, "unknown penalty (kind 99)"));
}

static void change_is(const pl_terms_change *c, const char *field, const char *old_value,
                      const char *new_value)
{
    assert_string_equal(c->field, field);
    assert_string_equal(c->old_value, old_value);
    assert_string_equal(c->new_value, new_value);
}

/* SPEC §15.5: Case 1's offer against the defense's counter-offer. */
static void test_terms_diff_case1_s15_5(void **state)
{
    (void)state;
    pl_terms_change c[PL_TERMS_DIFF_MAX];
    size_t n;
    case1(&T, 3, 0, 5000);
    case1(&U, 2, 4, 3000);
    snprintf(U.grounds_text, sizeof U.grounds_text, "immediate confession; clean record");
    assert_int_equal(pl_terms_diff(&T, &U, c, PL_TERMS_DIFF_MAX, &n), PL_OK);
    assert_int_equal(n, 4);
    change_is(&c[0], "penalty", "criminal detention 3 months", "criminal detention 2 months");
    change_is(&c[1], "probation", "none", "4 months");
    change_is(&c[2], "fine", "5,000.00 yuan", "3,000.00 yuan");
    change_is(&c[3], "grounds_text", "none", "immediate confession; clean record");
    /* The prosecution's answer: probation 3, fine 4,000. */
    case1(&T, 2, 3, 4000);
    assert_int_equal(pl_terms_diff(&U, &T, c, PL_TERMS_DIFF_MAX, &n), PL_OK);
    assert_int_equal(n, 3);
    change_is(&c[0], "probation", "4 months", "3 months");
    change_is(&c[1], "fine", "3,000.00 yuan", "4,000.00 yuan");
    change_is(&c[2], "grounds_text", "immediate confession; clean record", "none");
    assert_int_equal(pl_terms_diff(&T, &T, c, PL_TERMS_DIFF_MAX, &n), PL_OK);
    assert_int_equal(n, 0);
}

/* SPEC §15.5: every field, charges by position, and the buffer protocol. */
/* SPEC §15.4 rows 20, 21 (version 2): a minor offender (under 18 when the
 * crime was committed) is never a recidivist (art. 65 ¶1) and is never
 * tried in the speedy procedure (CPL art. 223 item 2); the rows come after
 * row 19, in order, and name the article. */
static void test_terms_minor_rows_20_21_s15_4(void **state)
{
    (void)state;
    base(&T, PL_PENALTY_DETENTION, 3, 3);
    T.minor = 1;
    check(&T, PL_OK, NULL, NULL); /* ordinary procedure: lawful */
    T.procedure = PL_PROCEDURE_SUMMARY;
    check(&T, PL_OK, NULL, NULL);
    T.recidivist = 1;
    check(&T, PL_E_TERMS_MINOR, "art. 65", "recidivist");
    T.recidivist = 0;
    T.procedure = PL_PROCEDURE_SPEEDY;
    check(&T, PL_E_TERMS_SPEEDY_EXCLUDED, "CPL art. 223", "summary");
    T.recidivist = 1; /* both: row 20 first */
    check(&T, PL_E_TERMS_MINOR, "art. 65", NULL);
    T.minor = 0; /* an adult recidivist in the speedy procedure: no row */
    check(&T, PL_OK, NULL, NULL);
    T.minor = 2; /* a flag is 0 or 1 */
    check(&T, PL_E_TERMS_SCHEMA, "minor", NULL);
    /* row 19 comes first: 48 months for art. 287-2 (ceiling 36) */
    base(&T, PL_PENALTY_IMPRISONMENT, 48, 48);
    snprintf(T.charges[0].article, sizeof T.charges[0].article, "287-2");
    T.minor = 1, T.recidivist = 1;
    check(&T, PL_E_TERMS_ARTICLE, "287-2", NULL);
    /* the diff names it */
    pl_terms_change c[PL_TERMS_DIFF_MAX];
    size_t n;
    base(&T, PL_PENALTY_DETENTION, 3, 3);
    base(&U, PL_PENALTY_DETENTION, 3, 3);
    U.minor = 1;
    assert_int_equal(pl_terms_diff(&T, &U, c, PL_TERMS_DIFF_MAX, &n), PL_OK);
    assert_int_equal(n, 1);
    change_is(&c[0], "minor", "no", "yes");
}

/* SPEC §15.4 rows 21, 22 (version 2): an offender blind, deaf, mute or
 * partly mentally ill is tried in the ordinary procedure only (CPL arts.
 * 223 item 1, 215 item 1); the impairments are a set, shown in a diff. */
static void test_terms_impairment_rows_21_22_s15_4(void **state)
{
    (void)state;
    base(&T, PL_PENALTY_DETENTION, 3, 3);
    T.impairment = PL_IMPAIRMENT_DEAF | PL_IMPAIRMENT_MUTE;
    check(&T, PL_OK, NULL, NULL); /* ordinary: lawful */
    T.procedure = PL_PROCEDURE_SUMMARY;
    check(&T, PL_E_TERMS_SUMMARY_EXCLUDED, "CPL art. 215", "ordinary");
    T.procedure = PL_PROCEDURE_SPEEDY;
    check(&T, PL_E_TERMS_SPEEDY_EXCLUDED, "CPL art. 223 item 1", "ordinary");
    T.minor = 1; /* both: item 2 is named, and the ordinary procedure */
    check(&T, PL_E_TERMS_SPEEDY_EXCLUDED, "item 2", "ordinary");
    T.minor = 0, T.procedure = PL_PROCEDURE_ORDINARY;
    T.impairment = 0x10; /* an unknown bit */
    check(&T, PL_E_TERMS_SCHEMA, "impairments", NULL);
    pl_terms_change c[PL_TERMS_DIFF_MAX];
    size_t n;
    base(&T, PL_PENALTY_DETENTION, 3, 3);
    base(&U, PL_PENALTY_DETENTION, 3, 3);
    U.impairment = PL_IMPAIRMENT_BLIND | PL_IMPAIRMENT_PARTIAL_MENTAL;
    assert_int_equal(pl_terms_diff(&T, &U, c, PL_TERMS_DIFF_MAX, &n), PL_OK);
    assert_int_equal(n, 1);
    change_is(&c[0], "impairment", "none", "blind, partial_mental");
}

static void test_terms_diff_fields_s15_5(void **state)
{
    (void)state;
    pl_terms_change c[PL_TERMS_DIFF_MAX];
    size_t n;
    base(&T, PL_PENALTY_IMPRISONMENT, 8, 12);
    const uint64_t terms[2] = {0, 9};
    combined(&U, PL_PENALTY_LIFE, 0, 0, 2, terms);
    snprintf(U.facts, sizeof U.facts, "line one\nline two");
    U.has_political_rights = 1, U.political_rights = 24;
    U.confiscation = PL_CONFISCATION_ALL;
    U.deportation = 1;
    U.grounds = PL_GROUND_CONFESSION | PL_GROUND_SURRENDER;
    U.recidivist = U.ringleader = 1;
    assert_int_equal(pl_terms_diff(&T, &U, c, PL_TERMS_DIFF_MAX, &n), PL_OK);
    assert_int_equal(n, 10);
    change_is(&c[0], "penalty", "fixed-term imprisonment 8 to 12 months", "life imprisonment");
    change_is(&c[1], "political_rights", "none", "24 months");
    change_is(&c[2], "confiscation", "none", "all property");
    change_is(&c[3], "deportation", "no", "yes");
    change_is(&c[4], "charges[1]", "intentional injury (art. 234)", "a crime (art. 260)");
    change_is(&c[5], "charges[2]", "none", "a crime (art. 261), individual term 9 months");
    change_is(&c[6], "facts", "A fight; the victim suffered a minor injury.", "line one line two");
    change_is(&c[7], "grounds", "none", "confession, surrender");
    change_is(&c[8], "recidivist", "no", "yes");
    change_is(&c[9], "ringleader", "no", "yes");

    /* Counting with no buffer, then a buffer too small for all. */
    assert_int_equal(pl_terms_diff(&T, &U, NULL, 0, &n), PL_E_BUFSIZE);
    assert_int_equal(n, 10);
    memset(c, 0, sizeof c);
    assert_int_equal(pl_terms_diff(&T, &U, c, 2, &n), PL_E_BUFSIZE);
    assert_int_equal(n, 10);
    change_is(&c[1], "political_rights", "none", "24 months");
    assert_string_equal(c[2].field, ""); /* nothing past cap */
    assert_int_equal(pl_terms_diff(NULL, &U, c, 2, &n), PL_E_ARG);
    assert_int_equal(pl_terms_diff(&T, &U, NULL, 2, &n), PL_E_ARG);

    /* Long text is cut at a character boundary with an ellipsis; values are
     * compared, not their cut renderings. */
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    U = T;
    for (size_t i = 0; i + 3 <= 600; i += 3)
        memcpy(T.facts + i, "\xe4\xb8\xad", 3); /* 中 */
    T.facts[600] = '\0';
    memcpy(U.facts, T.facts, sizeof U.facts);
    U.facts[597] = '\0';
    assert_int_equal(pl_terms_diff(&T, &U, c, PL_TERMS_DIFF_MAX, &n), PL_OK);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].field, "facts");
    assert_string_equal(c[0].old_value, c[0].new_value); /* same cut, different facts */
    size_t len = strlen(c[0].old_value);
    assert_true(len <= 203);
    assert_memory_equal(c[0].old_value + len - 3, "\xe2\x80\xa6", 3);
    assert_int_equal((len - 3) % 3, 0);

    /* Sixteen charges against none: every position, within the maximum. */
    combined(&T, PL_PENALTY_DETENTION, 2, 2, PL_TERMS_MAX_CHARGES, NULL);
    U = T;
    U.ncharges = 0;
    U.penalty.kind = PL_PENALTY_LIFE;
    U.deportation = U.recidivist = U.ringleader = 1;
    U.minor = 1; /* version 2: every field of §15.5, the minor's flag too */
    U.impairment = PL_IMPAIRMENT_BLIND;
    U.has_fine = U.has_probation = U.has_political_rights = 1;
    U.has_custody_days = U.has_designated_residence_days = 1; /* version 2 */
    U.custody_days = 61, U.designated_residence_days = 1;
    snprintf(U.occupation_ban, sizeof U.occupation_ban, "securities");
    U.occupation_ban_months = 36;
    snprintf(U.prohibition, sizeof U.prohibition, "bars");
    U.prohibition_months = 2;
    U.confiscation = PL_CONFISCATION_PART;
    U.procedure = PL_PROCEDURE_SPEEDY;
    U.grounds = PL_GROUND_OTHER;
    snprintf(U.facts, sizeof U.facts, "other facts");
    snprintf(U.grounds_text, sizeof U.grounds_text, "text");
    assert_int_equal(pl_terms_diff(&T, &U, c, PL_TERMS_DIFF_MAX, &n), PL_OK);
    assert_int_equal(n, PL_TERMS_DIFF_MAX);
    /* SPEC §15.5: custody_days and designated_residence_days after deportation */
    change_is(&c[6], "custody_days", "none", "61 days");
    change_is(&c[7], "designated_residence_days", "none", "1 day");
    change_is(&c[8], "occupation_ban", "none", "36 months: securities");
    change_is(&c[9], "prohibition", "none", "2 months: bars");
    assert_string_equal(c[11 + 15].field, "charges[16]");
    assert_string_equal(c[11 + 15].new_value, "none");
}

/* ---- SPEC §11.3: spec/vectors/terms.vec ---------------------------------- */

#define get tu_rec_get

static uint8_t *unhex(const char *hex, size_t *n)
{
    uint8_t *b = tu_unhex_alloc(hex, n);
    assert_non_null(b);
    return b;
}

static int nvalid, ninvalid;
static char seen[256][64];
static int nseen;

/* SPEC §11.3: decode hex, compare the verdict with expect; for valid records
 * also the hash (§15.3), the text (§15.5) and the re-encoding (§15.1). */
static void check_record(const tu_rec *r, void *ctx)
{
    (void)ctx;
    const char *name = get(r, "name"), *expect = get(r, "expect"), *hex = get(r, "hex");
    assert_non_null(name);
    assert_non_null(expect);
    assert_non_null(hex);
    assert_non_null(get(r, "section"));
    assert_non_null(get(r, "description"));
    for (int i = 0; i < nseen; i++)
        if (strcmp(seen[i], name) == 0)
            fail_msg("terms.vec: name %s appears twice", name);
    assert_true(nseen < 256);
    snprintf(seen[nseen++], sizeof seen[0], "%s", name);

    int want = strcmp(expect, "ok") == 0 ? PL_OK : pl_err_from_name(expect);
    assert_true(want <= 0);
    size_t n;
    uint8_t *in = unhex(hex, &n);
    pl_terms_problem why;
    int rc = pl_terms_decode(in, n, &T, &why);
    if (rc != want)
        fail_msg("%s: expected %s, got %s: %s", name, expect, pl_errname(rc), why.detail);
    if (rc == PL_OK) {
        size_t hn, m;
        char text[PL_TERMS_TEXT_MAX];
        uint8_t h[PL_HASH_BYTES], *wanth = unhex(get(r, "hash"), &hn);
        assert_int_equal(hn, PL_HASH_BYTES);
        pl_terms_hash(in, n, h);
        assert_memory_equal(h, wanth, PL_HASH_BYTES);
        assert_int_equal(pl_terms_format(&T, text, sizeof text), PL_OK);
        assert_string_equal(text, get(r, "text"));
        assert_int_equal(pl_terms_encode(&T, buf, sizeof buf, &m), PL_OK);
        assert_int_equal(m, n);
        assert_memory_equal(buf, in, n);
        free(wanth);
        nvalid++;
    } else {
        assert_true(strncmp(name, "invalid-", 8) == 0);
        ninvalid++;
    }
    free(in);
}

/* SPEC §11.3, §15: every record of terms.vec gives its expected result. */
static void test_terms_vectors_s11_3(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/spec/vectors/terms.vec", PARLEY_SOURCE_DIR);
    nvalid = ninvalid = nseen = 0;
    assert_true(tu_vec_each(path, check_record, NULL) > 0);
    assert_true(nvalid >= 10);
    assert_true(ninvalid >= 15);
}

/* Issue 15 §1 (GLOSSARY-zh "Writing terms the way judgments do"): numbers
 * in Chinese numerals, months as years and months, money in 人民币…元, the
 * additional penalties with 并处, articles as 第…条之…. */
static void test_terms_chinese_legal_writing(void **state)
{
    (void)state;
    static const struct {
        uint64_t n;
        const char *zh;
    } nums[] = {{0, "零"},          {2, "二"},         {10, "十"},           {12, "十二"},
                {20, "二十"},       {110, "一百一十"}, {1005, "一千零五"},   {4000, "四千"},
                {4500, "四千五百"}, {10050, "一万零五十"}, {12000, "一万二千"}, {20000, "二万"},
                {100000, "十万"},   {234, "二百三十四"}, {100000000ull, "100000000"}};
    char out[64];
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        pl_zh_number(nums[i].n, out);
        assert_string_equal(out, nums[i].zh);
    }
    char art[96];
    pl_zh_article("133-1", art);
    assert_string_equal(art, "第一百三十三条之一");
    pl_zh_article("234", art);
    assert_string_equal(art, "第二百三十四条");
    pl_zh_article("287-2", art);
    assert_string_equal(art, "第二百八十七条之二");
    pl_zh_article("x1", art);
    assert_string_equal(art, "x1");
    /* a refusal's basis as Chinese legal writing cites it */
    static const struct {
        const char *en, *zh;
    } bases[] = {
        {"Criminal Law art. 52", "《中华人民共和国刑法》第五十二条"},
        {"Criminal Law arts. 41, 44, 47", "《中华人民共和国刑法》第四十一条、第四十四条、第四十七条"},
        {"Criminal Law art. 37-1", "《中华人民共和国刑法》第三十七条之一"},
        {"CPL arts. 214, 222", "《中华人民共和国刑事诉讼法》第二百一十四条、第二百二十二条"},
        {"2019 Guiding Opinions art. 33", "《关于适用认罪认罚从宽制度的指导意见》（2019年）第三十三条"},
        {"SPC provisions on property penalties art. 2",
         "《最高人民法院关于适用财产刑若干问题的规定》第二条"},
        {"SPEC §15.7", "规范 §15.7"},
        {"", ""},
        {"Criminal Law para. 2", "Criminal Law para. 2"}, /* another shape: as given */
        {"Criminal Law art. x", "Criminal Law art. x"},
    };
    char zb[256];
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        pl_zh_basis(bases[i].en, zb, sizeof zb);
        assert_string_equal(zb, bases[i].zh);
    }

    char text[PL_TERMS_TEXT_MAX];
    base(&T, PL_PENALTY_IMPRISONMENT, 14, 14);
    T.has_probation = 1, T.probation = 24;
    T.has_fine = 1, T.fine = 2000000; /* 20,000 yuan */
    T.procedure = PL_PROCEDURE_SPEEDY;
    assert_int_equal(pl_terms_format_zh(&T, text, sizeof text), PL_OK);
    assert_string_equal(text, "有期徒刑一年二个月，缓刑二年，并处罚金人民币二万元，适用速裁程序");
    base(&T, PL_PENALTY_DETENTION, 2, 2);
    T.has_fine = 1, T.fine = 450050; /* 4,500.50 yuan */
    T.procedure = PL_PROCEDURE_SUMMARY;
    assert_int_equal(pl_terms_format_zh(&T, text, sizeof text), PL_OK);
    assert_string_equal(text, "拘役二个月，并处罚金人民币4,500.50元，适用简易程序");
    base(&T, PL_PENALTY_IMPRISONMENT, 12, 18);
    T.has_political_rights = 1, T.political_rights = 24;
    T.confiscation = PL_CONFISCATION_PART;
    T.procedure = PL_PROCEDURE_ORDINARY;
    assert_int_equal(pl_terms_format_zh(&T, text, sizeof text), PL_OK);
    assert_string_equal(text, "有期徒刑一年至一年六个月，并处剥夺政治权利二年，并处没收个人部分财产，"
                              "适用普通程序");
    char small[8];
    assert_int_equal(pl_terms_format_zh(&T, small, sizeof small), PL_E_BUFSIZE);
    assert_string_equal(small, "");
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms_spec_example_s15_1),
        cmocka_unit_test(test_terms_chinese_legal_writing),
        cmocka_unit_test(test_terms_roundtrip_every_field_s15_1),
        cmocka_unit_test(test_terms_encode_bufsize_s15_1),
        cmocka_unit_test(test_terms_every_bit_flip_s15_1),
        cmocka_unit_test(test_terms_decode_encoding_errors_s15_1),
        cmocka_unit_test(test_terms_decode_schema_s15_2),
        cmocka_unit_test(test_terms_decode_enumerations_s15_2),
        cmocka_unit_test(test_terms_decode_negative_values_s15_2),
        cmocka_unit_test(test_terms_text_rules_s15_2),
        cmocka_unit_test(test_terms_struct_fields_s15_2),
        cmocka_unit_test(test_terms_hash_s15_3),
        cmocka_unit_test(test_terms_range_s15_4),
        cmocka_unit_test(test_terms_detention_limits_s15_4),
        cmocka_unit_test(test_terms_surveillance_limits_s15_4),
        cmocka_unit_test(test_terms_imprisonment_limits_s15_4),
        cmocka_unit_test(test_terms_charge_term_s15_4),
        cmocka_unit_test(test_terms_combined_span_s15_4),
        cmocka_unit_test(test_terms_exemption_s15_4),
        cmocka_unit_test(test_terms_probation_kind_s15_4),
        cmocka_unit_test(test_terms_probation_excluded_s15_4),
        cmocka_unit_test(test_terms_probation_period_s15_4),
        cmocka_unit_test(test_terms_fine_s15_4),
        cmocka_unit_test(test_terms_fine_standard_s15_4),
        cmocka_unit_test(test_terms_political_rights_s15_4),
        cmocka_unit_test(test_terms_speedy_trial_s15_4),
        cmocka_unit_test(test_terms_summary_s15_4),
        cmocka_unit_test(test_terms_cases_s15_4),
        cmocka_unit_test(test_terms_order_of_checks_s15_6),
        cmocka_unit_test(test_terms_format_s15_5),
        cmocka_unit_test(test_terms_diff_case1_s15_5),
        cmocka_unit_test(test_terms_diff_fields_s15_5),
        cmocka_unit_test(test_terms_minor_rows_20_21_s15_4),
        cmocka_unit_test(test_terms_impairment_rows_21_22_s15_4),
        cmocka_unit_test(test_terms_vectors_s11_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
