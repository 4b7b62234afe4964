/* The bounded canonical walk (SPEC §3): every rule, each boundary, and the
 * inputs that make an unchecked msgpack-c 4.0 allocate gigabytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "testutil.h"

static int walk(const char *bytes, size_t len, size_t *used)
{
    size_t u;
    return pl_mp_walk((const uint8_t *)bytes, len, NULL, used ? used : &u);
}

#define W(lit) walk(lit, sizeof(lit) - 1, NULL)

/* SPEC §3.1: one value; the walk reports where it ends. */
static void test_mp_walk_reports_length_s3_1(void **state)
{
    (void)state;
    size_t used;
    assert_int_equal(walk("\x92\x01\xa1x\xc0", 5, &used), PL_OK);
    assert_int_equal(used, 4);
    assert_int_equal(walk("", 0, &used), PL_E_TRUNCATED);
    assert_int_equal(W("\x92\x01"), PL_E_TRUNCATED);
    assert_int_equal(W("\xa3xy"), PL_E_TRUNCATED);
    assert_int_equal(W("\xcd\x01"), PL_E_TRUNCATED);
}

/* SPEC §3.2: floats, ext and 0xc1 are forbidden anywhere. */
static void test_mp_rejects_forbidden_types_s3_2(void **state)
{
    (void)state;
    assert_int_equal(W("\xca\0\0\0\0"), PL_E_FORBIDDEN_TYPE);
    assert_int_equal(W("\x91\xcb\0\0\0\0\0\0\0\0"), PL_E_FORBIDDEN_TYPE);
    assert_int_equal(W("\xc1"), PL_E_FORBIDDEN_TYPE);
    assert_int_equal(W("\xc7\x01\x01\x00"), PL_E_FORBIDDEN_TYPE);
    assert_int_equal(W("\xd8\x01" "0123456789abcdef"), PL_E_FORBIDDEN_TYPE);
    assert_int_equal(W("\xc0"), PL_OK);
    assert_int_equal(W("\xc2"), PL_OK);
    assert_int_equal(W("\xc3"), PL_OK);
}

/* SPEC §3.3: every boundary of the shortest-form table. */
static void test_mp_shortest_form_boundaries_s3_3(void **state)
{
    (void)state;
    assert_int_equal(W("\x7f"), PL_OK);
    assert_int_equal(W("\xcc\x7f"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xcc\x80"), PL_OK);
    assert_int_equal(W("\xcd\x00\xff"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xcd\x01\x00"), PL_OK);
    assert_int_equal(W("\xce\x00\x00\xff\xff"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xce\x00\x01\x00\x00"), PL_OK);
    assert_int_equal(W("\xcf\x00\x00\x00\x00\xff\xff\xff\xff"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xcf\x00\x00\x00\x01\x00\x00\x00\x00"), PL_OK);
    assert_int_equal(W("\xe0"), PL_OK);                /* -32 */
    assert_int_equal(W("\xd0\xe0"), PL_E_NONCANONICAL); /* -32 as int8 */
    assert_int_equal(W("\xd0\xdf"), PL_OK);            /* -33 */
    assert_int_equal(W("\xd0\x00"), PL_E_NONCANONICAL); /* 0 as int8 */
    assert_int_equal(W("\xd1\xff\x80"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xd1\xff\x7f"), PL_OK); /* -129 */
    assert_int_equal(W("\xd2\xff\xff\x80\x00"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xd2\xff\xff\x7f\xff"), PL_OK);
    assert_int_equal(W("\xd3\xff\xff\xff\xff\x80\x00\x00\x00"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xd3\xff\xff\xff\xff\x7f\xff\xff\xff"), PL_OK);
    assert_int_equal(W("\xd9\x1f" "0123456789012345678901234567890"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xd9\x20" "01234567890123456789012345678901"), PL_OK);
    assert_int_equal(W("\xc5\x00\x01x"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xc4\x01x"), PL_OK);
    assert_int_equal(W("\xdc\x00\x0f" "012345678901234"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xde\x00\x00"), PL_E_NONCANONICAL);
    assert_int_equal(W("\xdd\x00\x00\x00\x00"), PL_E_NONCANONICAL);
}

/* The walk and msgpack-c's packer agree: what msgpack-c writes, the walk
 * accepts, across the integer range. */
static void test_mp_accepts_msgpack_c_output_s3_3(void **state)
{
    (void)state;
    static const int64_t v[] = {0, 1, 31, 32, 127, 128, 255, 256, 65535, 65536,
                                4294967295LL, 4294967296LL, -1, -32, -33, -128, -129,
                                -32768, -32769, -2147483648LL, -2147483649LL, INT64_MIN};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        pl_packbuf b;
        size_t used;
        pl_packbuf_init(&b);
        msgpack_pack_int64(&b.pk, v[i]);
        assert_int_equal(pl_mp_walk((uint8_t *)b.sb.data, b.sb.size, NULL, &used), PL_OK);
        assert_int_equal(used, b.sb.size);
        pl_packbuf_free(&b);
    }
}

/* SPEC §3.4 */
static void test_mp_utf8_s3_4(void **state)
{
    (void)state;
    assert_int_equal(W("\xa3\xe4\xb8\xad"), PL_OK);         /* 中 */
    assert_int_equal(W("\xa4\xf0\x9f\x98\x80"), PL_OK);     /* U+1F600 */
    assert_int_equal(W("\xa2\xc0\x80"), PL_E_UTF8);         /* overlong NUL */
    assert_int_equal(W("\xa3\xe0\x80\x80"), PL_E_UTF8);     /* overlong */
    assert_int_equal(W("\xa3\xed\xbf\xbf"), PL_E_UTF8);     /* surrogate */
    assert_int_equal(W("\xa4\xf4\x90\x80\x80"), PL_E_UTF8); /* > U+10FFFF */
    assert_int_equal(W("\xa1\x80"), PL_E_UTF8);             /* lone continuation */
    assert_int_equal(W("\xa2\xe4\xb8"), PL_E_UTF8);         /* cut inside */
    assert_int_equal(W("\xa1\xff"), PL_E_UTF8);
    assert_int_equal(W("\xc4\x02\xff\xfe"), PL_OK); /* bin is not UTF-8 */
}

/* SPEC §3.5 */
static void test_mp_map_keys_s3_5(void **state)
{
    (void)state;
    assert_int_equal(W("\x82\xa1" "a\x01\xa2" "ab\x02"), PL_OK); /* prefix first */
    assert_int_equal(W("\x82\xa2" "ab\x01\xa1" "a\x02"), PL_E_MAP_ORDER);
    assert_int_equal(W("\x82\xa1" "a\x01\xa1" "a\x02"), PL_E_MAP_ORDER);
    assert_int_equal(W("\x81\x01\x02"), PL_E_MAP_KEY);
    assert_int_equal(W("\x81\xc4\x01" "a\x02"), PL_E_MAP_KEY);
    /* Order is per map: an inner map starts afresh. */
    assert_int_equal(W("\x82\xa1" "a\x81\xa1" "z\x01\xa1" "b\x81\xa1" "a\x01"), PL_OK);
    assert_int_equal(W("\x80"), PL_OK);
}

/* SPEC §3.6: depth, counts, total values, string length; claims checked
 * against remaining input before anything allocates. */
static void test_mp_limits_s3_6(void **state)
{
    (void)state;
    assert_int_equal(W("\x91\x91\x91\x91\x91\x91\x91\x90"), PL_OK); /* depth 8 */
    assert_int_equal(W("\x91\x91\x91\x91\x91\x91\x91\x91\x90"), PL_E_DEPTH);
    assert_int_equal(W("\xdd\xff\xff\xff\xff\x90"), PL_E_COUNT);
    assert_int_equal(W("\xdf\x00\x01\x00\x00"), PL_E_COUNT);
    assert_int_equal(W("\xdc\x10\x00\x90"), PL_E_TRUNCATED);
    assert_int_equal(W("\xde\x00\x10\xa0\x90"), PL_E_TRUNCATED);
    assert_int_equal(W("\xdb\xff\xff\xff\xff"), PL_E_STR_LEN); /* limit before input */
    assert_int_equal(W("\xda\x01\x00"), PL_E_TRUNCATED);
    /* 16385 values in total: four arrays of 4096 nils plus the outer ones. */
    size_t n = 1 + 4 * (3 + 4096);
    uint8_t *big = malloc(n), *p = big;
    *p++ = 0x94;
    for (int a = 0; a < 4; a++) {
        *p++ = 0xdc, *p++ = 0x10, *p++ = 0x00;
        memset(p, 0xc0, 4096);
        p += 4096;
    }
    size_t used;
    assert_int_equal(pl_mp_walk(big, n, NULL, &used), PL_E_COUNT);
    big[0] = 0x93; /* 3 * 4097 + 1 values: under the limit */
    assert_int_equal(pl_mp_walk(big, n - 3 - 4096, NULL, &used), PL_OK);
    free(big);
    /* A string of exactly 65535 bytes is fine; 65536 is not. */
    uint8_t *s = calloc(1, 5 + 65536);
    s[0] = 0xda, s[1] = 0xff, s[2] = 0xff;
    assert_int_equal(pl_mp_walk(s, 3 + 65535, NULL, &used), PL_OK);
    s[0] = 0xdb, s[1] = 0, s[2] = 1, s[3] = 0, s[4] = 0;
    assert_int_equal(pl_mp_walk(s, 5 + 65536, NULL, &used), PL_E_STR_LEN);
    free(s);
}

/* SPEC §3.7: limits are checked before the remaining input, and a forbidden
 * type byte before anything after it. */
static void test_mp_limits_before_input_s3_7(void **state)
{
    (void)state;
    assert_int_equal(W("\xdc\x10\x01"), PL_E_COUNT);            /* 4097 claimed, none there */
    assert_int_equal(W("\xdb\x00\x01\x00\x00"), PL_E_STR_LEN);  /* 65536 claimed */
    assert_int_equal(W("\xc6\x00\x01\x00\x00"), PL_E_STR_LEN);  /* bin alike */
    assert_int_equal(W("\xcb"), PL_E_FORBIDDEN_TYPE);             /* float, cut short */
    assert_int_equal(W("\x91\x91\x91\x91\x91\x91\x91\x91\x91"), PL_E_TRUNCATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mp_walk_reports_length_s3_1),
        cmocka_unit_test(test_mp_rejects_forbidden_types_s3_2),
        cmocka_unit_test(test_mp_shortest_form_boundaries_s3_3),
        cmocka_unit_test(test_mp_accepts_msgpack_c_output_s3_3),
        cmocka_unit_test(test_mp_utf8_s3_4),
        cmocka_unit_test(test_mp_map_keys_s3_5),
        cmocka_unit_test(test_mp_limits_s3_6),
        cmocka_unit_test(test_mp_limits_before_input_s3_7),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
