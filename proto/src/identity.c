/* The suspect's identity hash (SPEC §13.2 *Identity*). Argon2id comes from
 * libsodium (crypto_pwhash with its Argon2id 1.3 algorithm, one lane), so
 * this file only fixes the normalization and the parameters. */
#include <string.h>

#include <sodium.h>

#include "internal.h"
#include "parley/identity.h"

_Static_assert(crypto_pwhash_SALTBYTES == 16, "the salt is 16 bytes of the case id");

#define ID_OPSLIMIT 3u
#define ID_MEMLIMIT (64u * 1024u * 1024u)

/* GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits. */
static int resident_check_ok(const char *n)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (n[i] - '0') * w[i];
    return n[17] == check[sum % 11];
}

static int is_resident_shape(const char *n, size_t len)
{
    if (len != 18)
        return 0;
    for (size_t i = 0; i < 17; i++)
        if (n[i] < '0' || n[i] > '9')
            return 0;
    return (n[17] >= '0' && n[17] <= '9') || n[17] == 'X';
}

int pl_identity_normalize(const char *number, char out[PL_IDENTITY_NUMBER_MAX + 1])
{
    size_t n = 0;
    if (number == NULL || out == NULL)
        return PL_E_ARG;
    for (const char *p = number; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return PL_E_IDENTITY;
        if (n == PL_IDENTITY_NUMBER_MAX)
            return PL_E_IDENTITY;
        out[n++] = c;
    }
    out[n] = '\0';
    if (n == 0 || (is_resident_shape(out, n) && !resident_check_ok(out)))
        return PL_E_IDENTITY;
    return PL_OK;
}

int pl_identity_hash(const uint8_t case_id[PL_CASE_ID_BYTES], const char *number,
                     uint8_t out[PL_HASH_BYTES])
{
    char n[PL_IDENTITY_NUMBER_MAX + 1];
    if (case_id == NULL || out == NULL)
        return PL_E_ARG;
    int rc = pl_identity_normalize(number, n);
    if (rc != PL_OK)
        return rc;
    /* crypto_pwhash_SALTBYTES is 16: the first 16 bytes of the case id */
    if (crypto_pwhash(out, PL_HASH_BYTES, n, strlen(n), case_id, ID_OPSLIMIT, ID_MEMLIMIT,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        sodium_memzero(n, sizeof n);
        return PL_E_NOMEM; /* libsodium fails only when it cannot allocate */
    }
    sodium_memzero(n, sizeof n);
    return PL_OK;
}

int pl_identity_birth(const char *number, uint32_t *birth)
{
    char n[PL_IDENTITY_NUMBER_MAX + 1];
    uint32_t d = 0;
    if (birth == NULL)
        return PL_E_ARG;
    *birth = 0;
    int rc = pl_identity_normalize(number, n);
    if (rc != PL_OK)
        return rc;
    /* GB 11643-1999: characters 7 to 14 are the holder's birth date */
    if (is_resident_shape(n, strlen(n))) {
        for (int i = 6; i < 14; i++)
            d = d * 10 + (uint32_t)(n[i] - '0');
        *birth = d;
    }
    sodium_memzero(n, sizeof n);
    return PL_OK;
}
