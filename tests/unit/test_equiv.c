/* Equivocation proofs (SPEC §7.2, §7.3): built from two messages, verified
 * alone, refused for anything that is not an equivocation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static uint8_t CASE[32], OTHER[32];
static const uint64_t T0 = 1795000000000ull;

/* SPEC §7.2: one encoding per equivocation, whichever order the messages
 * are given in; it verifies with nothing else and names author and seq. */
static void test_equiv_build_verify_s7_2(void **state)
{
    (void)state;
    pl_key *k = tu_key(0);
    pl_msg *a = tu_msg(k, CASE, NULL, NULL, 0, T0, PL_T_OFFER, "a");
    pl_msg *b = tu_msg(k, CASE, NULL, NULL, 0, T0, PL_T_OFFER, "b");
    uint8_t p1[PL_EQUIV_PROOF_MAX_BYTES], p2[PL_EQUIV_PROOF_MAX_BYTES];
    size_t n1, n2;
    assert_int_equal(pl_equiv_proof_build(a, b, p1, sizeof p1, &n1), PL_OK);
    assert_int_equal(pl_equiv_proof_build(b, a, p2, sizeof p2, &n2), PL_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(p1, p2, n1);
    pl_equiv_info info;
    assert_int_equal(pl_equiv_proof_verify(p1, n1, &info), PL_OK);
    assert_memory_equal(info.author, pl_key_pk(k), 32);
    assert_memory_equal(info.case_id, CASE, 32);
    assert_int_equal(info.seq, 1);
    assert_true(memcmp(info.id_a, info.id_b, 32) < 0);
    assert_int_equal(pl_equiv_proof_build(a, b, p1, 10, &n1), PL_E_BUFSIZE);
    /* SPEC §7.3: the builder checks what it builds; a bad signature in
     * makes no proof out. */
    size_t la, lb;
    const uint8_t *ha = pl_msg_header_bytes(a, &la), *hb = pl_msg_header_bytes(b, &lb);
    uint8_t bad[64];
    memcpy(bad, pl_msg_sig(b), 64);
    bad[0] ^= 1;
    assert_int_equal(pl_equiv_proof_build_raw(ha, la, pl_msg_sig(a), hb, lb, bad, p1, sizeof p1,
                                              &n1),
                     PL_E_PROOF);
    assert_int_equal(n1, 0);
    pl_msg_destroy(&a), pl_msg_destroy(&b);
    pl_key_destroy(&k);
}

/* SPEC §7.1: the same message twice, different seqs, authors or cases are
 * not equivocations; the builder refuses them. */
static void test_equiv_build_refuses_non_equivocation_s7_1(void **state)
{
    (void)state;
    pl_key *k = tu_key(0), *k2 = tu_key(1);
    pl_msg *a = tu_msg(k, CASE, NULL, NULL, 0, T0, PL_T_OFFER, "a");
    pl_msg *a2 = tu_msg(k, CASE, a, NULL, 0, T0, PL_T_OFFER, "a2");
    pl_msg *o = tu_msg(k2, CASE, NULL, NULL, 0, T0, PL_T_OFFER, "o");
    pl_msg *x = tu_msg(k, OTHER, NULL, NULL, 0, T0, PL_T_OFFER, "a");
    uint8_t p[PL_EQUIV_PROOF_MAX_BYTES];
    size_t n;
    assert_int_equal(pl_equiv_proof_build(a, a, p, sizeof p, &n), PL_E_PROOF);
    assert_int_equal(pl_equiv_proof_build(a, a2, p, sizeof p, &n), PL_E_PROOF);
    assert_int_equal(pl_equiv_proof_build(a, o, p, sizeof p, &n), PL_E_PROOF);
    assert_int_equal(pl_equiv_proof_build(a, x, p, sizeof p, &n), PL_E_PROOF);
    assert_int_equal(n, 0);
    pl_msg_destroy(&a), pl_msg_destroy(&a2), pl_msg_destroy(&o), pl_msg_destroy(&x);
    pl_key_destroy(&k), pl_key_destroy(&k2);
}

/* SPEC §7.3: every single-bit flip and every truncation of a valid proof is
 * refused, and the output is zeroed. */
static void test_equiv_verify_rejects_damage_s7_3(void **state)
{
    (void)state;
    pl_key *k = tu_key(2);
    pl_msg *a = tu_msg(k, CASE, NULL, NULL, 0, T0, PL_T_OFFER, "a");
    pl_msg *b = tu_msg(k, CASE, NULL, NULL, 0, T0 + 1, PL_T_OFFER, "a");
    uint8_t p[PL_EQUIV_PROOF_MAX_BYTES], q[PL_EQUIV_PROOF_MAX_BYTES];
    size_t n;
    static const pl_equiv_info zero;
    pl_equiv_info info;
    assert_int_equal(pl_equiv_proof_build(a, b, p, sizeof p, &n), PL_OK);
    for (size_t i = 0; i < n; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(q, p, n);
            q[i] ^= (uint8_t)(1u << bit);
            if (pl_equiv_proof_verify(q, n, &info) == PL_OK)
                fail_msg("bit %d of byte %zu flipped, proof still verifies", bit, i);
            assert_memory_equal(&info, &zero, sizeof info);
        }
    for (size_t len = 0; len < n; len++)
        assert_int_equal(pl_equiv_proof_verify(p, len, &info), PL_E_PROOF);
    pl_msg_destroy(&a), pl_msg_destroy(&b);
    pl_key_destroy(&k);
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    tu_case(0, CASE);
    tu_case(1, OTHER);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equiv_build_verify_s7_2),
        cmocka_unit_test(test_equiv_build_refuses_non_equivocation_s7_1),
        cmocka_unit_test(test_equiv_verify_rejects_damage_s7_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
