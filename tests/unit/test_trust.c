/* Trust anchors (SPEC §16.5): endorsements made and verified alone, the
 * trust file read, written and refused line by line, and the check of a
 * signer's key against anchors, endorsements and validity periods. */
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

#define DAY 86400000ull

static pl_endorsement statement(const pl_key *subject, pl_role role)
{
    pl_endorsement e;
    memset(&e, 0, sizeof e);
    memcpy(e.subject, pl_key_pk(subject), 32);
    e.role = role;
    snprintf(e.name, sizeof e.name, "%s", role == PL_ROLE_COUNSEL ? "Attorney Zhao" : "Prosecutor Wang");
    snprintf(e.unit, sizeof e.unit, "%s",
             role == PL_ROLE_COUNSEL ? "Zhao & Partners" : "Haidian District Procuratorate");
    if (role == PL_ROLE_COUNSEL) {
        snprintf(e.licence, sizeof e.licence, "11101201910123456");
        snprintf(e.bar, sizeof e.bar, "Beijing Lawyers Association");
    }
    e.not_before = 1700000000000ull;
    e.not_after = e.not_before + 365 * DAY;
    return e;
}

/* SPEC §16.5: an endorsement verifies alone; any byte changed, a statement
 * without a lawyer's licence, or a period backwards, does not. */
static void test_endorsement_s16_5(void **state)
{
    (void)state;
    pl_key *bar = tu_key(10), *lawyer = tu_key(11);
    pl_endorsement e = statement(lawyer, PL_ROLE_COUNSEL), got;
    uint8_t b[PL_ENDORSEMENT_MAX_BYTES];
    size_t n;
    assert_int_equal(pl_endorsement_make(bar, &e, b, sizeof b, &n), PL_OK);
    assert_int_equal(pl_endorsement_verify(b, n, &got), PL_OK);
    assert_memory_equal(got.issuer, pl_key_pk(bar), 32);
    assert_memory_equal(got.subject, pl_key_pk(lawyer), 32);
    assert_string_equal(got.licence, "11101201910123456");
    assert_int_equal(got.role, PL_ROLE_COUNSEL);
    for (size_t i = 0; i < n; i++) {
        b[i] ^= 0x01;
        assert_int_not_equal(pl_endorsement_verify(b, n, &got), PL_OK);
        b[i] ^= 0x01;
    }
    assert_int_equal(pl_endorsement_verify(b, n - 1, &got), PL_E_TRUST);
    pl_endorsement bad = statement(lawyer, PL_ROLE_COUNSEL);
    bad.licence[0] = '\0';
    assert_int_equal(pl_endorsement_make(bar, &bad, b, sizeof b, &n), PL_E_TRUST);
    bad = statement(lawyer, PL_ROLE_PROSECUTION);
    bad.not_after = bad.not_before - 1;
    assert_int_equal(pl_endorsement_make(bar, &bad, b, sizeof b, &n), PL_E_TRUST);
    bad = statement(lawyer, PL_ROLE_SUSPECT);
    assert_int_equal(pl_endorsement_make(bar, &bad, b, sizeof b, &n), PL_E_TRUST);
    bad = statement(lawyer, PL_ROLE_PROSECUTION);
    snprintf(bad.name, sizeof bad.name, "line\nbreak");
    assert_int_equal(pl_endorsement_make(bar, &bad, b, sizeof b, &n), PL_E_TRUST);
    pl_key_destroy(&bar), pl_key_destroy(&lawyer);
}

/* SPEC §16.5: a key is trusted for a role when it is an anchor of that role
 * or an anchor of that role endorsed it, for the time it signed; an anchor
 * of the other role, an expired endorsement or an unknown key is not. */
static void test_trust_check_s16_5(void **state)
{
    (void)state;
    pl_key *proc = tu_key(12), *pros = tu_key(13), *bar = tu_key(10), *lawyer = tu_key(11),
           *sham = tu_key(14);
    pl_trust *t = pl_trust_new();
    assert_int_equal(pl_trust_add_anchor(t, PL_ROLE_PROSECUTION, pl_key_pk(proc), "Haidian Procuratorate"), PL_OK);
    assert_int_equal(pl_trust_add_anchor(t, PL_ROLE_COUNSEL, pl_key_pk(bar), "Beijing Lawyers Association"), PL_OK);
    assert_int_equal(pl_trust_add_anchor(t, PL_ROLE_COUNSEL, pl_key_pk(bar), "again"), PL_E_TRUST);
    uint8_t b[PL_ENDORSEMENT_MAX_BYTES];
    size_t n;
    pl_endorsement e = statement(pros, PL_ROLE_PROSECUTION);
    assert_int_equal(pl_endorsement_make(proc, &e, b, sizeof b, &n), PL_OK);
    assert_int_equal(pl_trust_add_endorsement(t, b, n), PL_OK);
    e = statement(lawyer, PL_ROLE_COUNSEL);
    assert_int_equal(pl_endorsement_make(bar, &e, b, sizeof b, &n), PL_OK);
    assert_int_equal(pl_trust_add_endorsement(t, b, n), PL_OK);
    /* the prosecution endorses a "lawyer" of its own making: not a bar */
    e = statement(sham, PL_ROLE_COUNSEL);
    assert_int_equal(pl_endorsement_make(proc, &e, b, sizeof b, &n), PL_OK);
    assert_int_equal(pl_trust_add_endorsement(t, b, n), PL_OK);

    uint64_t when = 1700000000000ull + 10 * DAY;
    pl_trust_result r;
    assert_int_equal(pl_trust_check(t, PL_ROLE_PROSECUTION, pl_key_pk(pros), when, &r), PL_OK);
    assert_string_equal(r.by.name, "Prosecutor Wang");
    assert_string_equal(r.anchor_name, "Haidian Procuratorate");
    assert_int_equal(pl_trust_check(t, PL_ROLE_COUNSEL, pl_key_pk(lawyer), when, &r), PL_OK);
    assert_string_equal(r.by.licence, "11101201910123456");
    assert_int_equal(pl_trust_check(t, PL_ROLE_PROSECUTION, pl_key_pk(proc), when, &r), PL_OK);
    assert_true(r.anchor);
    assert_int_equal(pl_trust_check(t, PL_ROLE_COUNSEL, pl_key_pk(sham), when, &r), PL_E_UNTRUSTED);
    assert_int_equal(pl_trust_check(t, PL_ROLE_COUNSEL, pl_key_pk(pros), when, &r), PL_E_UNTRUSTED);
    assert_int_equal(pl_trust_check(t, PL_ROLE_PROSECUTION, pl_key_pk(pros), when + 400 * DAY, &r),
                     PL_E_UNTRUSTED);
    assert_non_null(strstr(r.why, "not valid when it signed"));
    assert_int_equal(pl_trust_check(t, PL_ROLE_SUSPECT, pl_key_pk(pros), when, &r), PL_E_UNTRUSTED);

    /* written and read back: the same decisions */
    char *text;
    assert_int_equal(pl_trust_write(t, &text), PL_OK);
    pl_trust *u = NULL;
    size_t line;
    assert_int_equal(pl_trust_parse(text, strlen(text), &u, &line), PL_OK);
    assert_int_equal(pl_trust_anchors(u), 2);
    assert_int_equal(pl_trust_endorsements(u), 3);
    assert_int_equal(pl_trust_check(u, PL_ROLE_COUNSEL, pl_key_pk(lawyer), when, &r), PL_OK);
    assert_int_equal(pl_trust_check(u, PL_ROLE_COUNSEL, pl_key_pk(sham), when, &r), PL_E_UNTRUSTED);
    free(text);
    pl_trust_free(&u);
    pl_trust_free(&t);
    pl_trust_free(&t); /* safe twice */
    pl_key_destroy(&proc), pl_key_destroy(&pros), pl_key_destroy(&bar), pl_key_destroy(&lawyer);
    pl_key_destroy(&sham);
}

/* SPEC §16.5: a trust file is refused at the first bad line, which is named;
 * an unknown entry is refused, never skipped. */
static void test_trust_file_refused_s16_5(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t line;
    } bad[] = {
        {"", 0},
        {"# only a comment\n", 0},
        {"parley trust v2\n", 1},
        {"parley trust v1\nanchor prosecution 00 short\n", 2},
        {"parley trust v1\n\n# c\nanchor judge "
         "0000000000000000000000000000000000000000000000000000000000000000 X\n", 4},
        {"parley trust v1\nanchor prosecution "
         "000000000000000000000000000000000000000000000000000000000000000g X\n", 2},
        {"parley trust v1\nendorsement 00ff\n", 2},
        {"parley trust v1\nsomething else\n", 2},
        {"parley trust v1\nanchor counsel "
         "0000000000000000000000000000000000000000000000000000000000000000 \n", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pl_trust *t = NULL;
        size_t line = 99;
        assert_int_equal(pl_trust_parse(bad[i].text, strlen(bad[i].text), &t, &line), PL_E_TRUST);
        assert_null(t);
        if (line != bad[i].line)
            fail_msg("case %zu: line %zu, expected %zu", i, line, bad[i].line);
    }
    const char *ok = "parley trust v1\r\n# comment\n\nanchor counsel "
                     "1111111111111111111111111111111111111111111111111111111111111111 北京市律师协会\n";
    pl_trust *t = NULL;
    assert_int_equal(pl_trust_parse(ok, strlen(ok), &t, NULL), PL_OK);
    assert_int_equal(pl_trust_anchors(t), 1);
    pl_trust_free(&t);
}

/* SPEC §13.2 *Identity*: the spec's example hash; one number however it
 * is typed; refused numbers (a wrong GB 11643 check character, other
 * characters, none, too many). */
static void test_identity_hash_s13_2(void **state)
{
    (void)state;
    uint8_t cid[32], h[32], h2[32], want[32];
    size_t got;
    assert_int_equal(sodium_hex2bin(cid, 32, "5253438237764c7a8b83eae92b98a1bafc9f67d872e6b343f1d6123d12b8c7f9",
                                    64, NULL, &got, NULL), 0);
    assert_int_equal(sodium_hex2bin(want, 32, "e97fb41a7f813298e54cb4121c211e1fdbd1843dba77bba8e237c9dbaec812a7",
                                    64, NULL, &got, NULL), 0);
    assert_int_equal(pl_identity_hash(cid, "11010519491231002X", h), PL_OK);
    assert_memory_equal(h, want, 32);
    assert_int_equal(pl_identity_hash(cid, "110105-19491231-002x ", h2), PL_OK);
    assert_memory_equal(h2, want, 32);
    /* another case, another salt */
    cid[0] ^= 1;
    assert_int_equal(pl_identity_hash(cid, "11010519491231002X", h2), PL_OK);
    assert_memory_not_equal(h2, want, 32);
    char n[PL_IDENTITY_NUMBER_MAX + 1];
    assert_int_equal(pl_identity_normalize("e 1234-5678", n), PL_OK);
    assert_string_equal(n, "E12345678");
    static const char *bad[] = {
        "110105194912310021", /* check character 1, not X */
        "11010519491231002Y", /* 18 characters but not a resident number: Y is no check char… */
        "",
        " - ",
        "1101051949123100２X", /* a full-width digit */
        "110105.19491231",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* 65 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = pl_identity_normalize(bad[i], n);
        if (i == 1) {
            assert_int_equal(rc, PL_OK); /* …so it is some other document's number */
            continue;
        }
        assert_int_equal(rc, PL_E_IDENTITY);
        assert_int_equal(pl_identity_hash(cid, bad[i], h2), PL_E_IDENTITY);
    }
    char max[PL_IDENTITY_NUMBER_MAX + 1];
    memset(max, 'A', PL_IDENTITY_NUMBER_MAX);
    max[PL_IDENTITY_NUMBER_MAX] = '\0';
    assert_int_equal(pl_identity_normalize(max, n), PL_OK);
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endorsement_s16_5),
        cmocka_unit_test(test_trust_check_s16_5),
        cmocka_unit_test(test_trust_file_refused_s16_5),
        cmocka_unit_test(test_identity_hash_s13_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
