/* Wire frames (SPEC §14.2-§14.9): every kind round-trips byte for byte, and
 * malformed frames are refused with the named code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "world.h"

/* Encodes w, decodes it, encodes again: the same bytes (one encoding). */
static void roundtrip(const pl_wire *w)
{
    uint8_t *a, *b;
    size_t na, nb;
    pl_wire d;
    assert_int_equal(pl_wire_encode(w, &a, &na), PL_OK);
    assert_int_equal(pl_wire_decode(a, na, &d), PL_OK);
    assert_int_equal(d.kind, w->kind);
    assert_int_equal(pl_wire_encode(&d, &b, &nb), PL_OK);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    pl_wire_free(&d);
    pl_wire_free(&d); /* safe twice */
    free(a), free(b);
}

/* SPEC §14.3-§14.9: one frame of each kind. */
static void test_wire_roundtrip_every_kind_s14_2(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_wire f;
    uint8_t cases[2][32];
    memset(cases[0], 1, 32), memset(cases[1], 2, 32);
    f = (pl_wire){.kind = PL_W_HELLO};
    memcpy(f.u.hello.node, pl_key_pk(w.k[W_P]), 32);
    f.u.hello.cases = cases, f.u.hello.ncases = 2;
    roundtrip(&f);
    f = (pl_wire){.kind = PL_W_HEADS};
    memcpy(f.u.heads.case_id, w.case_id, 32);
    f.u.heads.n = 1;
    memcpy(f.u.heads.heads[0].author, pl_key_pk(w.k[W_P]), 32);
    f.u.heads.heads[0].seq = 1;
    memcpy(f.u.heads.heads[0].id, pl_msg_id(w.log[0]), 32);
    roundtrip(&f);
    f = (pl_wire){.kind = PL_W_WANT};
    memcpy(f.u.want.case_id, w.case_id, 32);
    memcpy(f.u.want.author, pl_key_pk(w.k[W_C]), 32);
    f.u.want.from_seq = 1, f.u.want.max = 100;
    roundtrip(&f);
    f = (pl_wire){.kind = PL_W_MSG};
    size_t n;
    f.u.msg.bytes = (uint8_t *)pl_msg_bytes(w.log[0], &n);
    f.u.msg.len = n;
    roundtrip(&f);
    /* the embedded message comes out exactly as it went in, and verifies */
    uint8_t *enc;
    size_t en;
    pl_wire d;
    assert_int_equal(pl_wire_encode(&f, &enc, &en), PL_OK);
    assert_int_equal(pl_wire_decode(enc, en, &d), PL_OK);
    assert_int_equal(d.u.msg.len, n);
    assert_memory_equal(d.u.msg.bytes, pl_msg_bytes(w.log[0], NULL), n);
    pl_msg *m;
    assert_int_equal(pl_msg_decode(d.u.msg.bytes, d.u.msg.len, w.case_id, &m), PL_OK);
    pl_msg_destroy(&m);
    pl_wire_free(&d);
    free(enc);
    f = (pl_wire){.kind = PL_W_ACK};
    memcpy(f.u.ack.case_id, w.case_id, 32);
    memcpy(f.u.ack.id, pl_msg_id(w.log[1]), 32);
    roundtrip(&f);
    f = (pl_wire){.kind = PL_W_ERROR};
    f.u.error.code = PL_E_SIG;
    f.u.error.has_id = 1;
    memcpy(f.u.error.id, pl_msg_id(w.log[1]), 32);
    strcpy(f.u.error.text, "signature does not verify");
    roundtrip(&f);
    f.u.error.has_id = 0;
    roundtrip(&f);
    w_free(&w);
}

#define BAD(bytes, code)                                                                          \
    do {                                                                                          \
        pl_wire d_;                                                                               \
        assert_int_equal(pl_wire_decode((const uint8_t *)(bytes), sizeof(bytes) - 1, &d_), code); \
        assert_int_equal(d_.kind, 0);                                                             \
    } while (0)

/* SPEC §14.2: version, kind, shape; limits and canonical form as for every
 * peer input (SPEC §3). */
static void test_wire_refuses_malformed_s14_2(void **state)
{
    (void)state;
    BAD("\x92\x02\x05", PL_E_WIRE_VERSION);
    BAD("\x92\x01\x09", PL_E_WIRE_KIND);
    BAD("\x92\x01\x00", PL_E_WIRE_KIND);
    BAD("\x91\x01", PL_E_WIRE);
    BAD("\x80", PL_E_WIRE);
    BAD("\x92\x01\x05", PL_E_WIRE);                 /* ack without fields */
    BAD("\x93\x01\x04\xc0", PL_E_WIRE);             /* msg that is not an array */
    BAD("\x93\x01\x04\x90\xc0", PL_E_TRAILING);
    BAD("\x92\xcc\x01\x05", PL_E_NONCANONICAL);
    BAD("\xdd\xff\xff\xff\xff", PL_E_COUNT);
    BAD("", PL_E_TRUNCATED);
    /* error frames: a negative code, nil or an id, a short text */
    BAD("\x95\x01\x06\x05\xc0\xa0", PL_E_WIRE);     /* positive code */
    BAD("\x95\x01\x06\xe0\xc0\x01", PL_E_WIRE);     /* text not a string */
    /* want: from_seq >= 1, 1 <= max <= 1024 */
    uint8_t want[80] = {0x96, 0x01, 0x03, 0xc4, 32};
    size_t o = 5 + 32;
    want[o++] = 0xc4, want[o++] = 32, o += 32;
    want[o++] = 0x00, want[o++] = 0x01; /* from_seq 0 */
    pl_wire d;
    assert_int_equal(pl_wire_decode(want, o, &d), PL_E_WIRE);
    want[o - 2] = 0x01, want[o - 1] = 0x00; /* max 0 */
    assert_int_equal(pl_wire_decode(want, o, &d), PL_E_WIRE);
    want[o - 1] = 0x05;
    assert_int_equal(pl_wire_decode(want, o, &d), PL_OK);
    /* frames over the limit are refused before anything is parsed */
    uint8_t *big = calloc(1, PL_WIRE_MAX_FRAME + 1);
    assert_int_equal(pl_wire_decode(big, PL_WIRE_MAX_FRAME + 1, &d), PL_E_TOO_BIG);
    free(big);
}

/* SPEC §14.3, §14.4: lists are ascending (so unique): one encoding each. */
static void test_wire_lists_ascending_s14_4(void **state)
{
    (void)state;
    pl_wire f = {.kind = PL_W_HELLO};
    uint8_t cases[2][32];
    memset(cases[0], 2, 32), memset(cases[1], 1, 32);
    f.u.hello.cases = cases, f.u.hello.ncases = 2;
    uint8_t *out;
    size_t n;
    assert_int_equal(pl_wire_encode(&f, &out, &n), PL_E_ARG); /* the sender refuses too */
    f = (pl_wire){.kind = PL_W_HEADS};
    f.u.heads.n = 2;
    memset(f.u.heads.heads[0].author, 9, 32), f.u.heads.heads[0].seq = 1;
    memset(f.u.heads.heads[1].author, 9, 32), f.u.heads.heads[1].seq = 2;
    assert_int_equal(pl_wire_encode(&f, &out, &n), PL_E_ARG);
}

static void check_record(const tu_rec *r, void *ctx)
{
    size_t n;
    uint8_t *in = tu_unhex_alloc(tu_rec_get(r, "hex"), &n);
    assert_non_null(in);
    const char *e = tu_rec_get(r, "expect");
    int want = strcmp(e, "ok") == 0 ? PL_OK : pl_err_from_name(e);
    pl_wire w;
    int rc = pl_wire_decode(in, n, &w);
    if (rc != want)
        fail_msg("%s: expected %s, got %s", tu_rec_get(r, "name"), e, pl_errname(rc));
    pl_wire_free(&w);
    free(in);
    (*(int *)ctx)++;
}

/* SPEC §11.3, §14.2: every record of wire.vec gives its expected result. */
static void test_wire_vectors_s14_2(void **state)
{
    (void)state;
    char path[4096];
    int n = 0;
    snprintf(path, sizeof path, "%s/spec/vectors/wire.vec", PARLEY_SOURCE_DIR);
    assert_true(tu_vec_each(path, check_record, &n) >= 14);
    assert_true(n >= 14);
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wire_roundtrip_every_kind_s14_2),
        cmocka_unit_test(test_wire_refuses_malformed_s14_2),
        cmocka_unit_test(test_wire_lists_ascending_s14_4),
        cmocka_unit_test(test_wire_vectors_s14_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
