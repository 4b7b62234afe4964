/* Keys, fingerprints and key files (SPEC §2). Ed25519 itself is checked
 * against RFC 8032 §7.1, so our vectors are not only checked against
 * ourselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "testutil.h"

static const struct {
    const char *seed, *pk, *msg, *sig;
} rfc8032[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
     "1cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
     "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760"
     "984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

/* SPEC §2.1: keys are RFC 8032 Ed25519; the library's signer matches the
 * RFC's signatures and libsodium's verifier accepts them. */
static void test_key_matches_rfc8032_s2_1(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rfc8032 / sizeof rfc8032[0]; i++) {
        uint8_t seed[32], pk[32], msg[8], sig[64], got[64];
        assert_int_equal(tu_unhex(rfc8032[i].seed, seed, sizeof seed), 32);
        assert_int_equal(tu_unhex(rfc8032[i].pk, pk, sizeof pk), 32);
        long mlen = tu_unhex(rfc8032[i].msg, msg, sizeof msg);
        assert_int_equal(tu_unhex(rfc8032[i].sig, sig, sizeof sig), 64);
        pl_key *k = pl_key_from_seed(seed);
        assert_non_null(k);
        assert_memory_equal(pl_key_pk(k), pk, 32);
        pl_key_sign(k, msg, (size_t)mlen, got);
        assert_memory_equal(got, sig, 64);
        assert_int_equal(crypto_sign_verify_detached(sig, msg, (unsigned long long)mlen, pk), 0);
        pl_key_destroy(&k);
    }
}

/* SPEC §2.2: five groups of four lowercase hex digits, stable per key,
 * different for different keys. */
static void test_fingerprint_format_s2_2(void **state)
{
    (void)state;
    pl_key *a = tu_key(0), *b = tu_key(1);
    char fa[PL_FINGERPRINT_STR_BYTES], fa2[PL_FINGERPRINT_STR_BYTES], fb[PL_FINGERPRINT_STR_BYTES];
    pl_fingerprint(pl_key_pk(a), fa);
    pl_fingerprint(pl_key_pk(a), fa2);
    pl_fingerprint(pl_key_pk(b), fb);
    assert_int_equal(strlen(fa), 24);
    for (int i = 0; i < 24; i++) {
        if (i % 5 == 4)
            assert_int_equal(fa[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", fa[i]));
    }
    assert_string_equal(fa, fa2);
    assert_string_not_equal(fa, fb);
    pl_key_destroy(&a);
    pl_key_destroy(&b);
}

static const uint8_t SALT[16] = {1, 2, 3}, NONCE[24] = {4, 5, 6};

/* SPEC §2.3: seal then open gives the same key; the file holds no seed in
 * clear; a wrong passphrase is PL_E_PASSPHRASE and leaves *out NULL. */
static void test_keyfile_roundtrip_s2_3(void **state)
{
    (void)state;
    uint8_t f[PL_KEYFILE_MAX_BYTES], seed[32], pk[32];
    size_t n;
    pl_key *k = tu_key(3), *back = NULL;
    memset(seed, 4, sizeof seed); /* tu_key(3)'s seed */
    assert_int_equal(pl_keyfile_seal(k, "pw", 2, SALT, NONCE, PL_KDF_MIN, f, sizeof f, &n), PL_OK);
    for (size_t i = 0; i + sizeof seed <= n; i++)
        assert_memory_not_equal(f + i, seed, sizeof seed);
    assert_int_equal(pl_keyfile_pk(f, n, pk), PL_OK);
    assert_memory_equal(pk, pl_key_pk(k), 32);
    assert_int_equal(pl_keyfile_open(f, n, "pw", 2, &back), PL_OK);
    assert_memory_equal(pl_key_pk(back), pl_key_pk(k), 32);
    pl_key_destroy(&back);
    back = (pl_key *)&n; /* must be reset to NULL on failure */
    assert_int_equal(pl_keyfile_open(f, n, "pW", 2, &back), PL_E_PASSPHRASE);
    assert_null(back);
    pl_key_destroy(&k);
    pl_key_destroy(&k); /* safe twice */
}

/* SPEC §2.3: a buffer too small is reported, not overrun. */
static void test_keyfile_seal_small_buffer_s2_3(void **state)
{
    (void)state;
    uint8_t f[64];
    size_t n = 99;
    pl_key *k = tu_key(0);
    assert_int_equal(pl_keyfile_seal(k, "pw", 2, SALT, NONCE, PL_KDF_MIN, f, sizeof f, &n),
                     PL_E_BUFSIZE);
    assert_int_equal(n, 0);
    pl_key_destroy(&k);
}

/* SPEC §2.3: every truncation and every single-bit flip of a key file is
 * refused with KEYFILE or PASSPHRASE, never accepted as some other key. */
static void test_keyfile_rejects_any_damage_s2_3(void **state)
{
    (void)state;
    uint8_t f[PL_KEYFILE_MAX_BYTES], g[PL_KEYFILE_MAX_BYTES];
    size_t n;
    pl_key *k = tu_key(1), *back;
    assert_int_equal(pl_keyfile_seal(k, "pw", 2, SALT, NONCE, PL_KDF_MIN, f, sizeof f, &n), PL_OK);
    for (size_t len = 0; len < n; len++) {
        back = NULL;
        assert_int_equal(pl_keyfile_open(f, len, "pw", 2, &back), PL_E_KEYFILE);
        assert_null(back);
    }
    /* Flip one bit in every byte (the first bit only, to keep it fast). */
    for (size_t i = 0; i < n; i++) {
        memcpy(g, f, n);
        g[i] ^= 0x01;
        back = NULL;
        int rc = pl_keyfile_open(g, n, "pw", 2, &back);
        if (rc != PL_E_KEYFILE && rc != PL_E_PASSPHRASE)
            fail_msg("byte %zu flipped: %s", i, pl_errname(rc));
        assert_null(back);
    }
    assert_int_equal(pl_keyfile_open(f, PL_KEYFILE_MAX_BYTES + 1, "pw", 2, &back), PL_E_KEYFILE);
    pl_key_destroy(&k);
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_matches_rfc8032_s2_1),
        cmocka_unit_test(test_fingerprint_format_s2_2),
        cmocka_unit_test(test_keyfile_roundtrip_s2_3),
        cmocka_unit_test(test_keyfile_seal_small_buffer_s2_3),
        cmocka_unit_test(test_keyfile_rejects_any_damage_s2_3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
