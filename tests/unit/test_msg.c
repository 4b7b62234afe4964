/* Messages (SPEC §4): signing, decoding, and the header rules, both from the
 * sender's side (pl_msg_sign refuses) and the receiver's (pl_msg_decode). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "testutil.h"

static uint8_t CASE[32], OTHER[32];

static pl_header header(uint64_t seq)
{
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, CASE, 32);
    h.seq = seq;
    h.has_prev = seq > 1;
    memset(h.prev, 0x42, 32);
    h.timestamp_ms = 1795000000000ull;
    h.type = PL_T_OPINION;
    return h;
}

static const uint8_t BODY[] = {0x81, 0xa4, 't', 'e', 'x', 't', 0xa2, 'h', 'i'};

/* SPEC §4.1, §4.7: what is signed decodes to the same header, body and id;
 * the decoded message owns a copy of its bytes. */
static void test_msg_sign_decode_roundtrip_s4_1(void **state)
{
    (void)state;
    pl_key *k = tu_key(0);
    pl_header h = header(1);
    pl_msg *m = NULL, *d = NULL;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_OK);
    size_t n, bl;
    const uint8_t *b = pl_msg_bytes(m, &n);
    uint8_t *copy = malloc(n);
    memcpy(copy, b, n);
    assert_int_equal(pl_msg_decode(copy, n, CASE, &d), PL_OK);
    memset(copy, 0, n); /* d must not point into the input */
    free(copy);
    assert_memory_equal(pl_msg_id(d), pl_msg_id(m), PL_ID_BYTES);
    assert_memory_equal(pl_msg_header(d)->author, pl_key_pk(k), 32);
    assert_int_equal(pl_msg_header(d)->seq, 1);
    assert_int_equal(pl_msg_header(d)->has_prev, 0);
    assert_int_equal(pl_msg_header(d)->type, PL_T_OPINION);
    assert_memory_equal(pl_msg_body(d, &bl), BODY, sizeof BODY);
    assert_int_equal(bl, sizeof BODY);
    pl_msg *c = pl_msg_dup(d);
    assert_memory_equal(pl_msg_id(c), pl_msg_id(d), 32);
    pl_msg_destroy(&c);
    pl_msg_destroy(&d);
    pl_msg_destroy(&d); /* safe twice */
    pl_msg_destroy(&m);
    pl_key_destroy(&k);
}

/* SPEC §4.7: the id is BLAKE2b-256 over context, case id and header bytes
 * exactly: recomputed here from the spec's description. */
static void test_msg_id_is_hash_of_signing_input_s4_7(void **state)
{
    (void)state;
    pl_key *k = tu_key(1);
    pl_header h = header(1);
    pl_msg *m = NULL;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_OK);
    size_t hl;
    const uint8_t *hb = pl_msg_header_bytes(m, &hl);
    uint8_t id[32];
    pl_hash3(id, "parley/v2/message", 18, CASE, 32, hb, hl);
    assert_memory_equal(id, pl_msg_id(m), 32);
    pl_msg_destroy(&m);
    pl_key_destroy(&k);
}

/* SPEC §4.2, §4.3, §4.5: the sender's API refuses every header a receiver
 * would reject, with the receiver's code. */
static void test_msg_sign_refuses_bad_headers_s4_2(void **state)
{
    (void)state;
    pl_key *k = tu_key(0), *k2 = tu_key(1), *k3 = tu_key(2);
    pl_msg *m = NULL;
    pl_header h;

    h = header(1), h.version = 1;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_VERSION);
    h = header(0);
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_SEQ);
    h = header(1), h.has_prev = 1;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_SEQ);
    h = header(2), h.has_prev = 0;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_SEQ);
    h = header(1), h.type = 0;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_MSG_TYPE);
    h = header(1), h.type = 8; /* a gap in the registry */
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_MSG_TYPE);
    /* SPEC §4.3: refs to self, unsorted, seq 0, too many. */
    h = header(1), h.nrefs = 1;
    memcpy(h.refs[0].author, pl_key_pk(k), 32), h.refs[0].seq = 1;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_REFS);
    h = header(1), h.nrefs = 2;
    const uint8_t *lo = pl_key_pk(k2), *hi = pl_key_pk(k3);
    if (memcmp(lo, hi, 32) > 0) {
        const uint8_t *t = lo;
        lo = hi, hi = t;
    }
    memcpy(h.refs[0].author, hi, 32), h.refs[0].seq = 1;
    memcpy(h.refs[1].author, lo, 32), h.refs[1].seq = 1;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_REFS);
    memcpy(h.refs[0].author, lo, 32), memcpy(h.refs[1].author, lo, 32);
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_REFS);
    memcpy(h.refs[1].author, hi, 32);
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_OK);
    pl_msg_destroy(&m);
    h.refs[0].seq = 0;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_REFS);
    h = header(1), h.nrefs = PL_MAX_REFS + 1;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_E_REFS);
    assert_null(m);
    pl_key_destroy(&k), pl_key_destroy(&k2), pl_key_destroy(&k3);
}

/* SPEC §4.4: the sender's body must be one canonical value. */
static void test_msg_sign_refuses_bad_body_s4_4(void **state)
{
    (void)state;
    pl_key *k = tu_key(0);
    pl_msg *m = NULL;
    pl_header h = header(1);
    assert_int_equal(pl_msg_sign(&h, (const uint8_t *)"\xcc\x01", 2, k, &m), PL_E_NONCANONICAL);
    assert_int_equal(pl_msg_sign(&h, (const uint8_t *)"\xc0\xc0", 2, k, &m), PL_E_TRAILING);
    assert_int_equal(pl_msg_sign(&h, NULL, 0, k, &m), PL_E_TRUNCATED);
    uint8_t *big = calloc(1, PL_MSG_MAX_BYTES);
    big[0] = 0xc6, big[1] = 0, big[2] = 0x03, big[3] = 0xff, big[4] = 0xf0;
    assert_int_equal(pl_msg_sign(&h, big, 5 + 0x3fff0, k, &m), PL_E_STR_LEN);
    free(big);
    assert_null(m);
    pl_key_destroy(&k);
}

/* SPEC §3.6: the limits hold for the whole message, header included: a body
 * nested 8 deep is 9 deep inside the message, and the signer refuses it
 * rather than sign what every receiver rejects. */
static void test_msg_sign_applies_limits_to_whole_message_s3_6(void **state)
{
    (void)state;
    pl_key *k = tu_key(0);
    pl_msg *m = NULL;
    pl_header h = header(1);
    static const uint8_t deep8[] = {0x91, 0x91, 0x91, 0x91, 0x91, 0x91, 0x91, 0x90};
    static const uint8_t deep7[] = {0x91, 0x91, 0x91, 0x91, 0x91, 0x91, 0x90};
    assert_int_equal(pl_msg_sign(&h, deep8, sizeof deep8, k, &m), PL_E_DEPTH);
    assert_null(m);
    assert_int_equal(pl_msg_sign(&h, deep7, sizeof deep7, k, &m), PL_OK);
    size_t n;
    const uint8_t *b = pl_msg_bytes(m, &n);
    pl_msg *d = NULL;
    assert_int_equal(pl_msg_decode(b, n, CASE, &d), PL_OK);
    pl_msg_destroy(&d);
    pl_msg_destroy(&m);
    pl_key_destroy(&k);
}

/* SPEC §4.2, §10.1: the version is read before the layout, so a header of
 * another version with another number of fields is PL_E_VERSION, not
 * PL_E_SCHEMA. */
static void test_msg_version_before_layout_s4_2(void **state)
{
    (void)state;
    uint8_t b[1 + 12 + 1 + 66] = {0x93, 0x9b, 0x03};
    memset(b + 3, 0xc0, 10); /* ten more nil fields: eleven in all */
    b[13] = 0xc0;            /* body */
    b[14] = 0xc4, b[15] = 64;
    pl_msg *d = NULL;
    assert_int_equal(pl_msg_decode(b, sizeof b, NULL, &d), PL_E_VERSION);
    b[2] = 0x01; /* so is version 1 (the rules of version 2 differ) */
    assert_int_equal(pl_msg_decode(b, sizeof b, NULL, &d), PL_E_VERSION);
    b[2] = 0x02; /* version 2 with eleven fields is a layout error */
    assert_int_equal(pl_msg_decode(b, sizeof b, NULL, &d), PL_E_SCHEMA);
    assert_null(d);
}

/* SPEC §4.8: any single-bit flip anywhere in a signed message is rejected;
 * none is ever accepted as a different valid message. */
static void test_msg_decode_rejects_every_bit_flip_s4_8(void **state)
{
    (void)state;
    pl_key *k = tu_key(2);
    pl_header h = header(2);
    pl_msg *m = NULL, *d = NULL;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_OK);
    size_t n;
    const uint8_t *b = pl_msg_bytes(m, &n);
    uint8_t *c = malloc(n);
    for (size_t i = 0; i < n; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(c, b, n);
            c[i] ^= (uint8_t)(1u << bit);
            int rc = pl_msg_decode(c, n, CASE, &d);
            if (rc == PL_OK)
                fail_msg("bit %d of byte %zu flipped and still accepted", bit, i);
            assert_null(d);
        }
    }
    free(c);
    pl_msg_destroy(&m);
    pl_key_destroy(&k);
}

/* SPEC §6.3: a message is bound to its case; offered to another it is
 * PL_E_CASE, not a signature error, so the replay is named. */
static void test_msg_decode_case_binding_s6_3(void **state)
{
    (void)state;
    pl_key *k = tu_key(0);
    pl_header h = header(1);
    pl_msg *m = NULL, *d = NULL;
    assert_int_equal(pl_msg_sign(&h, BODY, sizeof BODY, k, &m), PL_OK);
    size_t n;
    const uint8_t *b = pl_msg_bytes(m, &n);
    assert_int_equal(pl_msg_decode(b, n, OTHER, &d), PL_E_CASE);
    assert_null(d);
    assert_int_equal(pl_msg_decode(b, n, NULL, &d), PL_OK);
    pl_msg_destroy(&d);
    pl_msg_destroy(&m);
    pl_key_destroy(&k);
}

/* SPEC §5.2: the largest message that fits is accepted, one byte more is
 * PL_E_TOO_BIG before anything is parsed. */
static void test_msg_size_limit_s5_2(void **state)
{
    (void)state;
    pl_key *k = tu_key(0);
    pl_header h = header(1);
    pl_msg *m = NULL, *d = NULL;
    /* Find the body size that makes the message exactly the limit: a map of
     * four 65000-byte strings plus padding string. */
    size_t overhead;
    {
        assert_int_equal(pl_msg_sign(&h, (const uint8_t *)"\xc0", 1, k, &m), PL_OK);
        pl_msg_bytes(m, &overhead);
        overhead -= 1;
        pl_msg_destroy(&m);
    }
    size_t body_len = PL_MSG_MAX_BYTES - overhead;
    uint8_t *body = malloc(body_len);
    /* [str16 x 4 of equal size, str16 rest] as an array of 5 */
    size_t each = 65000, rest = body_len - 1 - 4 * (3 + each) - 3;
    uint8_t *p = body;
    *p++ = 0x95;
    for (int i = 0; i < 5; i++) {
        size_t l = i < 4 ? each : rest;
        *p++ = 0xda, *p++ = (uint8_t)(l >> 8), *p++ = (uint8_t)l;
        memset(p, 'a', l);
        p += l;
    }
    assert_int_equal((size_t)(p - body), body_len);
    assert_int_equal(pl_msg_sign(&h, body, body_len, k, &m), PL_OK);
    size_t n;
    const uint8_t *b = pl_msg_bytes(m, &n);
    assert_int_equal(n, PL_MSG_MAX_BYTES);
    assert_int_equal(pl_msg_decode(b, n, CASE, &d), PL_OK);
    pl_msg_destroy(&d);
    uint8_t *bigger = malloc(n + 1);
    memcpy(bigger, b, n);
    bigger[n] = 0xc0;
    assert_int_equal(pl_msg_decode(bigger, n + 1, CASE, &d), PL_E_TOO_BIG);
    free(bigger);
    pl_msg_destroy(&m);
    /* One more byte of body: the signer refuses too. */
    body[body_len - 1] = 'b';
    uint8_t *b2 = malloc(body_len + 1);
    memcpy(b2, body, body_len);
    b2[body_len] = 'c';
    b2[1 + 4 * (3 + each) + 1] = (uint8_t)((rest + 1) >> 8);
    b2[1 + 4 * (3 + each) + 2] = (uint8_t)(rest + 1);
    assert_int_equal(pl_msg_sign(&h, b2, body_len + 1, k, &m), PL_E_TOO_BIG);
    free(b2);
    free(body);
    pl_key_destroy(&k);
}

/* SPEC §4.5, §10.2: registered names, and nothing for unregistered numbers
 * (which pl_msg_sign and pl_msg_decode refuse with PL_E_MSG_TYPE). */
static void test_msg_type_registry_s4_5(void **state)
{
    (void)state;
    assert_string_equal(pl_msg_type_name(PL_T_OFFER), "offer");
    assert_string_equal(pl_msg_type_name(PL_T_CHARTER), "charter");
    assert_null(pl_msg_type_name(0));
    assert_null(pl_msg_type_name(8));
    assert_null(pl_msg_type_name(1000));
}

/* SPEC §9.2: every code has its stable name, a message and a section, and
 * names map back to codes. */
static void test_errors_named_s9_2(void **state)
{
    (void)state;
    static const int codes[] = {
#define X(name, value, section, msg) value,
        PL_ERRORS(X)
#undef X
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_string_not_equal(pl_errname(codes[i]), "PL_E_UNKNOWN");
        assert_int_equal(pl_err_from_name(pl_errname(codes[i])), codes[i]);
        assert_true(strlen(pl_strerror(codes[i])) > 5);
    }
    assert_string_equal(pl_errname(-9999), "PL_E_UNKNOWN");
    assert_int_equal(pl_err_from_name("nope"), 1);
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    tu_case(0, CASE);
    tu_case(1, OTHER);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_msg_sign_decode_roundtrip_s4_1),
        cmocka_unit_test(test_msg_id_is_hash_of_signing_input_s4_7),
        cmocka_unit_test(test_msg_sign_refuses_bad_headers_s4_2),
        cmocka_unit_test(test_msg_sign_refuses_bad_body_s4_4),
        cmocka_unit_test(test_msg_sign_applies_limits_to_whole_message_s3_6),
        cmocka_unit_test(test_msg_version_before_layout_s4_2),
        cmocka_unit_test(test_msg_decode_rejects_every_bit_flip_s4_8),
        cmocka_unit_test(test_msg_decode_case_binding_s6_3),
        cmocka_unit_test(test_msg_size_limit_s5_2),
        cmocka_unit_test(test_msg_type_registry_s4_5),
        cmocka_unit_test(test_errors_named_s9_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
