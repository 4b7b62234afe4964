/* Identity keys, fingerprints and encrypted key files (SPEC §2).
 *
 * Secret keys live only in sodium_malloc'd memory and are wiped on every
 * path. Key files are the msgpack array of SPEC §2.3: the seed sealed with
 * crypto_secretbox under a key Argon2id derives from the passphrase. */
#include <string.h>

#include <sodium.h>

#include "internal.h"

_Static_assert(PL_PK_BYTES == crypto_sign_PUBLICKEYBYTES, "pk size");
_Static_assert(PL_SK_BYTES == crypto_sign_SECRETKEYBYTES, "sk size");
_Static_assert(PL_SEED_BYTES == crypto_sign_SEEDBYTES, "seed size");
_Static_assert(PL_SIG_BYTES == crypto_sign_BYTES, "sig size");
_Static_assert(PL_KEYFILE_SALT_BYTES == crypto_pwhash_SALTBYTES, "salt size");
_Static_assert(PL_KEYFILE_NONCE_BYTES == crypto_secretbox_NONCEBYTES, "nonce size");
_Static_assert(PL_HASH_BYTES <= crypto_generichash_BYTES_MAX, "hash size");

#define KEYFILE_MAGIC "parley-key"
#define KEYFILE_VERSION 1
#define KDF_NAME "argon2id13"
#define SEALED_BYTES (PL_SEED_BYTES + crypto_secretbox_MACBYTES)

/* SPEC §2.3: a reader refuses costs above these, so a crafted key file cannot
 * make it spend minutes or gigabytes before the passphrase is even tried. */
#define KDF_OPS_MAX crypto_pwhash_OPSLIMIT_SENSITIVE
#define KDF_MEM_MAX crypto_pwhash_MEMLIMIT_SENSITIVE

struct pl_key {
    uint8_t pk[PL_PK_BYTES];
    uint8_t sk[PL_SK_BYTES];
    uint8_t seed[PL_SEED_BYTES];
};

int pl_init(void)
{
    return sodium_init() < 0 ? PL_E_CRYPTO : PL_OK;
}

pl_key *pl_key_from_seed(const uint8_t seed[PL_SEED_BYTES])
{
    pl_key *k = sodium_malloc(sizeof *k);
    if (k == NULL)
        return NULL;
    memcpy(k->seed, seed, PL_SEED_BYTES);
    crypto_sign_seed_keypair(k->pk, k->sk, seed);
    return k;
}

void pl_key_destroy(pl_key **k)
{
    if (k == NULL || *k == NULL)
        return;
    sodium_free(*k); /* sodium_free wipes before unmapping */
    *k = NULL;
}

const uint8_t *pl_key_pk(const pl_key *k)
{
    return k->pk;
}

int pl_key_curve_sk(const pl_key *k, uint8_t out[PL_CURVE_KEY_BYTES])
{
    /* SPEC §14.1 */
    return crypto_sign_ed25519_sk_to_curve25519(out, k->sk) == 0 ? PL_OK : PL_E_CRYPTO;
}

int pl_key_curve_pk(const uint8_t pk[PL_PK_BYTES], uint8_t out[PL_CURVE_KEY_BYTES])
{
    return crypto_sign_ed25519_pk_to_curve25519(out, pk) == 0 ? PL_OK : PL_E_ARG;
}

void pl_key_sign(const pl_key *k, const uint8_t *msg, size_t len, uint8_t sig[PL_SIG_BYTES])
{
    crypto_sign_detached(sig, NULL, msg, len, k->sk);
}

/* SPEC §2.2 */
void pl_fingerprint(const uint8_t pk[PL_PK_BYTES], char out[PL_FINGERPRINT_STR_BYTES])
{
    static const char ctx[] = "parley v1 fingerprint";
    static const char hex[] = "0123456789abcdef";
    uint8_t h[PL_HASH_BYTES];
    pl_hash3(h, ctx, sizeof ctx, pk, PL_PK_BYTES, NULL, 0);
    size_t o = 0;
    for (size_t i = 0; i < PL_FINGERPRINT_BYTES; i++) {
        if (i > 0 && i % 2 == 0)
            out[o++] = '-';
        out[o++] = hex[h[i] >> 4];
        out[o++] = hex[h[i] & 15];
    }
    out[o] = '\0';
}

static void kdf_cost(pl_kdf_cost cost, uint64_t *ops, uint64_t *mem)
{
    switch (cost) {
    case PL_KDF_MIN:
        *ops = crypto_pwhash_OPSLIMIT_MIN, *mem = crypto_pwhash_MEMLIMIT_MIN;
        break;
    case PL_KDF_MODERATE:
        *ops = crypto_pwhash_OPSLIMIT_MODERATE, *mem = crypto_pwhash_MEMLIMIT_MODERATE;
        break;
    case PL_KDF_INTERACTIVE:
    default:
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE, *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
        break;
    }
}

int pl_keyfile_seal(const pl_key *k, const char *pass, size_t pass_len,
                    const uint8_t salt[PL_KEYFILE_SALT_BYTES],
                    const uint8_t nonce[PL_KEYFILE_NONCE_BYTES], pl_kdf_cost cost, uint8_t *out,
                    size_t cap, size_t *out_len)
{
    uint64_t ops, mem;
    uint8_t sealed[SEALED_BYTES];
    uint8_t *kek;
    int rc = PL_OK;

    if (k == NULL || pass == NULL || out == NULL || out_len == NULL)
        return PL_E_ARG;
    *out_len = 0;
    kdf_cost(cost, &ops, &mem);
    if ((kek = sodium_malloc(crypto_secretbox_KEYBYTES)) == NULL)
        return PL_E_NOMEM;
    if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, pass, pass_len, salt, ops, (size_t)mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        sodium_free(kek);
        return PL_E_NOMEM; /* Argon2 fails only when it cannot get its memory */
    }
    crypto_secretbox_easy(sealed, k->seed, PL_SEED_BYTES, nonce, kek);
    sodium_free(kek);

    pl_packbuf b;
    pl_packbuf_init(&b);
    msgpack_pack_array(&b.pk, 9);
    msgpack_pack_str_with_body(&b.pk, KEYFILE_MAGIC, strlen(KEYFILE_MAGIC));
    msgpack_pack_uint64(&b.pk, KEYFILE_VERSION);
    msgpack_pack_bin_with_body(&b.pk, k->pk, PL_PK_BYTES);
    msgpack_pack_str_with_body(&b.pk, KDF_NAME, strlen(KDF_NAME));
    msgpack_pack_uint64(&b.pk, ops);
    msgpack_pack_uint64(&b.pk, mem);
    msgpack_pack_bin_with_body(&b.pk, salt, PL_KEYFILE_SALT_BYTES);
    msgpack_pack_bin_with_body(&b.pk, nonce, PL_KEYFILE_NONCE_BYTES);
    msgpack_pack_bin_with_body(&b.pk, sealed, SEALED_BYTES);
    if (b.failed)
        rc = PL_E_NOMEM;
    else if (b.sb.size > cap)
        rc = PL_E_BUFSIZE;
    else {
        memcpy(out, b.sb.data, b.sb.size);
        *out_len = b.sb.size;
    }
    pl_packbuf_free(&b);
    return rc;
}

struct keyfile {
    uint8_t pk[PL_PK_BYTES];
    uint64_t ops, mem;
    uint8_t salt[PL_KEYFILE_SALT_BYTES];
    uint8_t nonce[PL_KEYFILE_NONCE_BYTES];
    uint8_t sealed[SEALED_BYTES];
};

static int str_is(const msgpack_object *o, const char *s)
{
    return o->type == MSGPACK_OBJECT_STR && o->via.str.size == strlen(s) &&
           memcmp(o->via.str.ptr, s, o->via.str.size) == 0;
}

/* SPEC §2.3: walk, unpack, then check each field; any failure is KEYFILE. */
static int keyfile_parse(const uint8_t *in, size_t len, struct keyfile *kf)
{
    msgpack_zone zone;
    msgpack_object obj;
    const msgpack_object *f;
    uint64_t version;
    int rc;

    if (in == NULL || len > PL_KEYFILE_MAX_BYTES)
        return PL_E_KEYFILE;
    if ((rc = pl_mp_decode(in, len, &zone, &obj)) != PL_OK)
        return rc == PL_E_NOMEM ? rc : PL_E_KEYFILE;
    if (pl_mp_get_array(&obj, 9, &f) != PL_OK || !str_is(&f[0], KEYFILE_MAGIC) ||
        pl_mp_get_uint(&f[1], &version) != PL_OK || version != KEYFILE_VERSION ||
        pl_mp_get_bin(&f[2], PL_PK_BYTES, kf->pk) != PL_OK || !str_is(&f[3], KDF_NAME) ||
        pl_mp_get_uint(&f[4], &kf->ops) != PL_OK || pl_mp_get_uint(&f[5], &kf->mem) != PL_OK ||
        pl_mp_get_bin(&f[6], PL_KEYFILE_SALT_BYTES, kf->salt) != PL_OK ||
        pl_mp_get_bin(&f[7], PL_KEYFILE_NONCE_BYTES, kf->nonce) != PL_OK ||
        pl_mp_get_bin(&f[8], SEALED_BYTES, kf->sealed) != PL_OK)
        rc = PL_E_KEYFILE;
    else if (kf->ops < crypto_pwhash_OPSLIMIT_MIN || kf->ops > KDF_OPS_MAX ||
             kf->mem < crypto_pwhash_MEMLIMIT_MIN || kf->mem > KDF_MEM_MAX ||
             kf->mem % 1024 != 0)
        rc = PL_E_KEYFILE; /* Argon2 counts memory in KiB: only one encoding
                            * per cost, so no bit of the file can change
                            * without the file being refused */
    msgpack_zone_destroy(&zone);
    return rc;
}

int pl_keyfile_pk(const uint8_t *in, size_t len, uint8_t pk[PL_PK_BYTES])
{
    struct keyfile kf;
    int rc = keyfile_parse(in, len, &kf);
    if (rc == PL_OK)
        memcpy(pk, kf.pk, PL_PK_BYTES);
    else
        memset(pk, 0, PL_PK_BYTES);
    return rc;
}

int pl_keyfile_open(const uint8_t *in, size_t len, const char *pass, size_t pass_len,
                    pl_key **out)
{
    struct keyfile kf;
    uint8_t *kek = NULL, *seed = NULL;
    pl_key *k = NULL;
    int rc;

    if (out == NULL || pass == NULL)
        return PL_E_ARG;
    *out = NULL;
    if ((rc = keyfile_parse(in, len, &kf)) != PL_OK)
        return rc;
    kek = sodium_malloc(crypto_secretbox_KEYBYTES);
    seed = sodium_malloc(PL_SEED_BYTES);
    if (kek == NULL || seed == NULL) {
        rc = PL_E_NOMEM;
    } else if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, pass, pass_len, kf.salt, kf.ops,
                             (size_t)kf.mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        rc = PL_E_NOMEM;
    } else if (crypto_secretbox_open_easy(seed, kf.sealed, SEALED_BYTES, kf.nonce, kek) != 0) {
        rc = PL_E_PASSPHRASE;
    } else if ((k = pl_key_from_seed(seed)) == NULL) {
        rc = PL_E_NOMEM;
    } else if (sodium_memcmp(k->pk, kf.pk, PL_PK_BYTES) != 0) {
        /* The seed decrypted but belongs to another key: the file was
         * assembled from parts, never written by pl_keyfile_seal. */
        pl_key_destroy(&k);
        rc = PL_E_KEYFILE;
    }
    sodium_free(kek);
    sodium_free(seed);
    *out = k;
    return rc;
}
