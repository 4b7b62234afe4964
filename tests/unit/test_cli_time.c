/* What people type and read in tables (issue 15 §1): session-propose
 * --time is local time (TZ, else Beijing time), or carries Z or an offset
 * (cli/io.c); columns are padded by terminal columns, a CJK character
 * taking two (cli/i18n.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"

/* 2026-12-03T01:30:00Z */
#define T0130Z 1796261400000LL

static void test_zones(void **state)
{
    (void)state;
    unsetenv("TZ");
    assert_int_equal(cli_parse_local("2026-12-03T09:30"), T0130Z);          /* Beijing */
    assert_int_equal(cli_parse_local("2026-12-03T01:30Z"), T0130Z);
    assert_int_equal(cli_parse_local("2026-12-03T09:30+08:00"), T0130Z);
    assert_int_equal(cli_parse_local("2026-12-02T20:30-05:00"), T0130Z);
    setenv("TZ", "UTC", 1);
    assert_int_equal(cli_parse_local("2026-12-03T01:30"), T0130Z);
    setenv("TZ", "Asia/Shanghai", 1);
    assert_int_equal(cli_parse_local("2026-12-03T09:30"), T0130Z);
    unsetenv("TZ");
}

/* The zone's own rules, at the hour they change (mktime), not the offset
 * of another instant */
static void test_daylight_saving(void **state)
{
    (void)state;
    setenv("TZ", "America/New_York", 1);
    /* 2026-03-08: clocks go from 02:00 EST to 03:00 EDT; 03:30 EDT is 07:30Z */
    assert_int_equal(cli_parse_local("2026-03-08T03:30"), 1772955000000LL);
    /* 01:30 EST that day is 06:30Z */
    assert_int_equal(cli_parse_local("2026-03-08T01:30"), 1772951400000LL);
    setenv("TZ", "Europe/Berlin", 1);
    /* 2026-03-29: 00:30 CET is 23:30Z the day before, 03:30 CEST is 01:30Z */
    assert_int_equal(cli_parse_local("2026-03-29T00:30"), 1774740600000LL);
    assert_int_equal(cli_parse_local("2026-03-29T03:30"), 1774747800000LL);
    unsetenv("TZ");
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"2026-12-03T9:30", "2026-12-03", "2026-12-03T09:30+15:00",
                                      "2026-12-03T09:30+8:00", "2026-12-03T09:30 ", "2026-02-30T09:30",
                                      "2026-12-03T24:00", "2026-12-03T09:30z", "tomorrow", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(cli_parse_local(bad[i]), -1);
}

static void test_columns(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(cli_pad(b, sizeof b, "counsel", 11), "counsel    ");
    assert_string_equal(cli_pad(b, sizeof b, "检察机关", 11), "检察机关   "); /* 8 columns + 3 */
    assert_string_equal(cli_pad(b, sizeof b, "辩护人", 11), "辩护人     ");   /* 6 + 5 */
    assert_string_equal(cli_pad(b, sizeof b, "a longer text", 4), "a longer text");
    char small[6];
    assert_string_equal(cli_pad(small, sizeof small, "abcdefgh", 11), "abcde"); /* bounded */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zones),
        cmocka_unit_test(test_daylight_saving),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
