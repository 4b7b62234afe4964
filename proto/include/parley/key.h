/* Identities: Ed25519 keys, their fingerprints and encrypted key files
 * (SPEC §2).
 *
 * A pl_key holds a secret key in sodium_malloc'd memory (guard pages, locked,
 * wiped on free). The caller owns it and frees it with pl_key_destroy. This
 * library never draws random bytes: seeds, salts and nonces come in from the
 * caller (randombytes_buf in node/ and cli/, fixed values in vectors). */
#ifndef PARLEY_KEY_H
#define PARLEY_KEY_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PL_PK_BYTES 32
#define PL_SK_BYTES 64
#define PL_SEED_BYTES 32
#define PL_SIG_BYTES 64
#define PL_FINGERPRINT_BYTES 10 /* shown as 5 groups of 4 hex digits */
#define PL_FINGERPRINT_STR_BYTES 25 /* "xxxx-xxxx-xxxx-xxxx-xxxx" + NUL */

#define PL_KEYFILE_SALT_BYTES 16
#define PL_KEYFILE_NONCE_BYTES 24
#define PL_KEYFILE_MAX_BYTES 512

typedef struct pl_key pl_key;

/* Must be called once before anything else (it calls sodium_init). Returns 0,
 * or PL_E_CRYPTO if libsodium cannot initialise. Safe to call again. */
PL_API int pl_init(void);

/* Frees a buffer the library allocated and handed over (a certificate,
 * a report, a trust file's text, a wire frame): a program need not share
 * the library's allocator. NULL is ignored. */
PL_API void pl_free(void *p);

/* A key from a 32-byte seed (crypto_sign_seed_keypair); NULL if out of memory. */
PL_API pl_key *pl_key_from_seed(const uint8_t seed[PL_SEED_BYTES]);
PL_API void pl_key_destroy(pl_key **k);
PL_API const uint8_t *pl_key_pk(const pl_key *k);

/* The X25519 (CURVE) form of a key, for the node's ZeroMQ transport
 * (SPEC §14.1): one identity serves signing and transport. The secret one
 * is the caller's to wipe (sodium_memzero). PL_E_ARG if pk is not a
 * valid Ed25519 point. */
#define PL_CURVE_KEY_BYTES 32
PL_API PL_NODISCARD int pl_key_curve_sk(const pl_key *k, uint8_t out[PL_CURVE_KEY_BYTES]);
PL_API PL_NODISCARD int pl_key_curve_pk(const uint8_t pk[PL_PK_BYTES],
                                        uint8_t out[PL_CURVE_KEY_BYTES]);

/* Signs msg with the key: raw Ed25519 over exactly these bytes. */
PL_API void pl_key_sign(const pl_key *k, const uint8_t *msg, size_t len, uint8_t sig[PL_SIG_BYTES]);

/* The fingerprint people compare (SPEC §2.2), NUL-terminated. */
PL_API void pl_fingerprint(const uint8_t pk[PL_PK_BYTES], char out[PL_FINGERPRINT_STR_BYTES]);

/* Argon2id cost of a key file. PL_KDF_INTERACTIVE is the default for people;
 * PL_KDF_MIN exists for tests and vectors only. */
typedef enum { PL_KDF_MIN = 0, PL_KDF_INTERACTIVE = 1, PL_KDF_MODERATE = 2 } pl_kdf_cost;

/* Seals k into a key file (SPEC §2.3): Argon2id(passphrase, salt) keys
 * crypto_secretbox over the seed. Writes at most cap bytes to out. */
PL_API PL_NODISCARD int
pl_keyfile_seal(const pl_key *k, const char *pass, size_t pass_len,
                const uint8_t salt[PL_KEYFILE_SALT_BYTES],
                const uint8_t nonce[PL_KEYFILE_NONCE_BYTES], pl_kdf_cost cost, uint8_t *out,
                size_t cap, size_t *out_len);

/* Opens a key file. PL_E_KEYFILE if it is malformed, PL_E_PASSPHRASE if the
 * passphrase is wrong or the file was altered. The public key in the file is
 * checked against the decrypted seed. *out is NULL on failure. */
PL_API PL_NODISCARD int pl_keyfile_open(const uint8_t *in, size_t len,
                                        const char *pass, size_t pass_len,
                                        pl_key **out);

/* The public key stored in a key file, without the passphrase. */
PL_API PL_NODISCARD int pl_keyfile_pk(const uint8_t *in, size_t len, uint8_t pk[PL_PK_BYTES]);

#ifdef __cplusplus
}
#endif
#endif
