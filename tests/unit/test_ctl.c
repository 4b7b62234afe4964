/* The control channel's table of requests (common/ctl.c, SPEC §14.12
 * *Control channel*; issue 13 §2): every request a client builds from the
 * table is one the server accepts, and every request the table does not
 * describe is refused with PL_E_CONTROL and a sentence naming what is
 * wrong — the version, the verb, the count, or the argument by position
 * and name — before the node acts on anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <msgpack.h>

#include "ctl.h"

/* A request [version, verb, args…] whose arguments are packed by fill. */
typedef void (*fill_fn)(msgpack_packer *pk, unsigned i, pl_ctl_arg kind);

static void pack_valid(msgpack_packer *pk, unsigned i, pl_ctl_arg kind)
{
    static const uint8_t k32[32] = {1, 2, 3};
    (void)i;
    switch (kind) {
    case PL_CTL_ARG_CASE:
    case PL_CTL_ARG_KEY:
    case PL_CTL_ARG_ID:
    case PL_CTL_ARG_KEY_OR_NIL:
        msgpack_pack_bin(pk, 32);
        msgpack_pack_bin_body(pk, k32, 32);
        break;
    case PL_CTL_ARG_CASE_REF:
        msgpack_pack_str(pk, 8);
        msgpack_pack_str_body(pk, "0123abCD", 8);
        break;
    case PL_CTL_ARG_TYPE: msgpack_pack_uint64(pk, 3); break;
    case PL_CTL_ARG_BODY:
        msgpack_pack_bin(pk, 1);
        msgpack_pack_bin_body(pk, "\x80", 1);
        break;
    case PL_CTL_ARG_BOOL: msgpack_pack_false(pk); break;
    case PL_CTL_ARG_PASS_OR_NIL:
        msgpack_pack_str(pk, 4);
        msgpack_pack_str_body(pk, "pass", 4);
        break;
    case PL_CTL_ARG_ENDPOINT:
        msgpack_pack_str(pk, 19);
        msgpack_pack_str_body(pk, "tcp://127.0.0.1:999", 19);
        break;
    }
}

/* Parses b; the code, and why in why. */
static int parse_bytes(const char *b, size_t n, pl_ctl_verb *v, unsigned *nargs, char *why)
{
    msgpack_unpacked up;
    size_t off = 0;
    msgpack_unpacked_init(&up);
    assert_int_equal(msgpack_unpack_next(&up, b, n, &off), MSGPACK_UNPACK_SUCCESS);
    const msgpack_object *args;
    why[0] = '\0';
    int rc = pl_control_parse(&up.data, v, &args, nargs, why, 256);
    if (rc == PL_OK)
        assert_ptr_equal(args, up.data.via.array.ptr + 2);
    msgpack_unpacked_destroy(&up);
    return rc;
}

/* A request of the table's verb r with nargs arguments packed by fill,
 * and version ver. */
static int parse_built(unsigned ver, const pl_ctl_request *r, unsigned nargs, fill_fn fill,
                       pl_ctl_verb *v, unsigned *got, char *why)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_array(&pk, 2 + nargs);
    msgpack_pack_uint64(&pk, ver);
    msgpack_pack_str(&pk, strlen(r->verb));
    msgpack_pack_str_body(&pk, r->verb, strlen(r->verb));
    for (unsigned i = 0; i < nargs; i++)
        fill(&pk, i, i < r->nargs ? r->args[i] : PL_CTL_ARG_BOOL);
    int rc = parse_bytes(sb.data, sb.size, v, got, why);
    msgpack_sbuffer_destroy(&sb);
    return rc;
}

/* SPEC §14.12: every verb of the table, with arguments of its kinds (all
 * of them, and without the optional ones), is accepted as that verb. */
static void test_ctl_every_verb_accepted_s14_12(void **state)
{
    (void)state;
    char why[256];
    for (int i = 0; i < PL_CTL_NVERBS; i++) {
        const pl_ctl_request *r = &pl_control_requests[i];
        assert_non_null(r->verb);
        for (unsigned n = r->nargs - r->optional; n <= r->nargs; n++) {
            pl_ctl_verb v = PL_CTL_NVERBS;
            unsigned got = 99;
            assert_int_equal(parse_built(PL_CONTROL_VERSION, r, n, pack_valid, &v, &got, why),
                             PL_OK);
            assert_int_equal(v, i);
            assert_int_equal(got, n);
        }
    }
}

/* The client's side and the server's use the same names: no two verbs
 * share one, and each argument has a name for its errors. */
static void test_ctl_table_well_formed(void **state)
{
    (void)state;
    for (int i = 0; i < PL_CTL_NVERBS; i++) {
        const pl_ctl_request *r = &pl_control_requests[i];
        assert_true(r->nargs <= PL_CONTROL_MAX_ARGS);
        assert_true(r->optional <= r->nargs);
        assert_non_null(r->answer);
        for (unsigned a = 0; a < r->nargs; a++) {
            assert_true(r->args[a] != 0);
            assert_non_null(r->names[a]);
        }
        for (int j = 0; j < i; j++)
            assert_string_not_equal(r->verb, pl_control_requests[j].verb);
    }
}

/* SPEC §14.12: a request of another version is refused, and says to use
 * the parley of the node's release. */
static void test_ctl_other_version_refused_s14_12(void **state)
{
    (void)state;
    char why[256];
    pl_ctl_verb v;
    unsigned n;
    assert_int_equal(parse_built(PL_CONTROL_VERSION + 1, &pl_control_requests[PL_CTL_STATUS], 0,
                                 pack_valid, &v, &n, why),
                     PL_E_CONTROL);
    assert_non_null(strstr(why, "same release"));
    /* and one with no version at all: ["status"] */
    assert_int_equal(parse_bytes("\x91\xa6status", 8, &v, &n, why), PL_E_CONTROL);
    assert_non_null(strstr(why, "version"));
}

static void test_ctl_unknown_verb_named(void **state)
{
    (void)state;
    char why[256];
    pl_ctl_verb v;
    unsigned n;
    /* [1, "sing"] */
    assert_int_equal(parse_bytes("\x92\x01\xa4sing", 7, &v, &n, why), PL_E_CONTROL);
    assert_non_null(strstr(why, "unknown control request 'sing'"));
    /* [1, 7]: no verb */
    assert_int_equal(parse_bytes("\x92\x01\x07", 3, &v, &n, why), PL_E_CONTROL);
    assert_non_null(strstr(why, "no verb"));
    /* not an array */
    assert_int_equal(parse_bytes("\x01", 1, &v, &n, why), PL_E_CONTROL);
    assert_non_null(strstr(why, "malformed"));
}

static void test_ctl_count_refused(void **state)
{
    (void)state;
    char why[256];
    pl_ctl_verb v;
    unsigned n;
    const pl_ctl_request *heads = &pl_control_requests[PL_CTL_HEADS];
    assert_int_equal(parse_built(PL_CONTROL_VERSION, heads, 0, pack_valid, &v, &n, why),
                     PL_E_CONTROL);
    assert_string_equal(why, "heads takes 1 argument, not 0");
    assert_int_equal(parse_built(PL_CONTROL_VERSION, heads, 2, pack_valid, &v, &n, why),
                     PL_E_CONTROL);
    assert_string_equal(why, "heads takes 1 argument, not 2");
    const pl_ctl_request *post = &pl_control_requests[PL_CTL_POST];
    assert_int_equal(parse_built(PL_CONTROL_VERSION, post, 4, pack_valid, &v, &n, why),
                     PL_E_CONTROL);
    assert_string_equal(why, "post takes 5 or 6 arguments, not 4");
}

/* Each argument of the wrong kind is named by position and name. */
static int bad_at; /* the argument pack_bad spoils */

static void pack_bad(msgpack_packer *pk, unsigned i, pl_ctl_arg kind)
{
    if (i != (unsigned)bad_at) {
        pack_valid(pk, i, kind);
        return;
    }
    switch (kind) {
    case PL_CTL_ARG_CASE_REF: /* hex digits, but seven */
        msgpack_pack_str(pk, 7);
        msgpack_pack_str_body(pk, "0123abc", 7);
        break;
    case PL_CTL_ARG_TYPE: msgpack_pack_int64(pk, -1); break;
    case PL_CTL_ARG_BOOL: msgpack_pack_nil(pk); break;
    default: /* 31 bytes where 32 or a string is due */
        msgpack_pack_bin(pk, 31);
        msgpack_pack_bin_body(pk, "0123456789012345678901234567890", 31);
        break;
    }
}

static void test_ctl_argument_named(void **state)
{
    (void)state;
    char why[256], want[256];
    for (int i = 0; i < PL_CTL_NVERBS; i++) {
        const pl_ctl_request *r = &pl_control_requests[i];
        for (bad_at = 0; bad_at < (int)r->nargs; bad_at++) {
            pl_ctl_verb v;
            unsigned n;
            if (r->args[bad_at] == PL_CTL_ARG_BODY)
                continue; /* any bytes are a body to the table; the rules judge it */
            assert_int_equal(parse_built(PL_CONTROL_VERSION, r, r->nargs, pack_bad, &v, &n, why),
                             PL_E_CONTROL);
            snprintf(want, sizeof want, "%s: argument %d (%s) must be ", r->verb, bad_at + 1,
                     r->names[bad_at]);
            assert_memory_equal(why, want, strlen(want));
        }
    }
    /* a prefix of something else than hex digits */
    const pl_ctl_request *read = &pl_control_requests[PL_CTL_READ];
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_array(&pk, 3);
    msgpack_pack_uint64(&pk, PL_CONTROL_VERSION);
    msgpack_pack_str(&pk, 4);
    msgpack_pack_str_body(&pk, "read", 4);
    msgpack_pack_str(&pk, 8);
    msgpack_pack_str_body(&pk, "0123abcg", 8);
    pl_ctl_verb v;
    unsigned n;
    assert_int_equal(parse_bytes(sb.data, sb.size, &v, &n, why), PL_E_CONTROL);
    assert_non_null(strstr(why, read->names[0]));
    msgpack_sbuffer_destroy(&sb);
}

/* A case named by a prefix of its id's hex digits, either case, an odd
 * number of digits included (SPEC §14.12 "read"; parley's listings). */
static void test_ctl_id_prefix_s14_12(void **state)
{
    (void)state;
    uint8_t id[32];
    for (int i = 0; i < 32; i++)
        id[i] = (uint8_t)(0xa0 + i);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", id[i]);
    assert_true(pl_control_id_has_prefix(id, hex, 64));
    assert_true(pl_control_id_has_prefix(id, "a0a1a2a3", 8));
    assert_true(pl_control_id_has_prefix(id, "A0A1A2A3a", 9)); /* odd, mixed case */
    assert_false(pl_control_id_has_prefix(id, "a0a1a2a3b", 9));
    assert_false(pl_control_id_has_prefix(id, "a0a1a2a4", 8));
    assert_false(pl_control_id_has_prefix(id, "a0a1a2ag", 8)); /* not hex */
    char longer[66];
    snprintf(longer, sizeof longer, "%s0", hex);
    assert_false(pl_control_id_has_prefix(id, longer, 65));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctl_every_verb_accepted_s14_12),
        cmocka_unit_test(test_ctl_table_well_formed),
        cmocka_unit_test(test_ctl_other_version_refused_s14_12),
        cmocka_unit_test(test_ctl_unknown_verb_named),
        cmocka_unit_test(test_ctl_count_refused),
        cmocka_unit_test(test_ctl_argument_named),
        cmocka_unit_test(test_ctl_id_prefix_s14_12),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
