/* parley keygen / parley key: identity key files (SPEC §2). The seed, salt
 * and nonce come from libsodium's CSPRNG; the file is written 0600. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <sodium.h>

#include "cli.h"

static void print_key(const uint8_t pk[PL_PK_BYTES], const char *path, int json)
{
    char hex[2 * PL_PK_BYTES + 1], fp[PL_FINGERPRINT_STR_BYTES];
    cli_hex(pk, PL_PK_BYTES, hex);
    pl_fingerprint(pk, fp);
    if (json) {
        printf("{\"file\":");
        cli_json_str(path);
        printf(",\"public_key\":\"%s\",\"fingerprint\":\"%s\"}\n", hex, fp);
    } else
        printf("file:        %s\npublic key:  %s\nfingerprint: %s\n", path, hex, fp);
}

static int keygen_usage(int rc)
{
    fprintf(rc ? stderr : stdout,
            "usage: parley keygen -o FILE [--passphrase-file F] [--kdf interactive|moderate|min]\n"
            "                     [--force] [--short-passphrase] [--json]\n\n"
            "Creates an Ed25519 identity and writes it to FILE (mode 0600), sealed with a\n"
            "passphrase (Argon2id + XSalsa20-Poly1305). Without --passphrase-file the\n"
            "passphrase is asked twice on the terminal, without echo. --kdf min is for\n"
            "tests only: it makes a stolen file cheap to attack. A passphrase of fewer\n"
            "than 10 characters is refused unless --short-passphrase is given.\n");
    return rc;
}

int cmd_keygen_main(int argc, char **argv)
{
    const char *out = NULL, *passfile = NULL;
    int json = 0, force = 0, short_ok = 0;
    pl_kdf_cost cost = PL_KDF_INTERACTIVE;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return keygen_usage(EXIT_OK);
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--passphrase-file") == 0 && i + 1 < argc)
            passfile = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--force") == 0)
            force = 1;
        else if (strcmp(argv[i], "--short-passphrase") == 0)
            short_ok = 1;
        else if (strcmp(argv[i], "--kdf") == 0 && i + 1 < argc) {
            const char *c = argv[++i];
            if (strcmp(c, "min") == 0)
                cost = PL_KDF_MIN;
            else if (strcmp(c, "interactive") == 0)
                cost = PL_KDF_INTERACTIVE;
            else if (strcmp(c, "moderate") == 0)
                cost = PL_KDF_MODERATE;
            else {
                fprintf(stderr, "parley keygen: unknown --kdf '%s'; use interactive, moderate or min\n", c);
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "parley keygen: unexpected argument '%s'\n", argv[i]);
            return keygen_usage(EXIT_USAGE);
        }
    }
    if (out == NULL) {
        fprintf(stderr, "parley keygen: say where to write the key with -o FILE\n");
        return keygen_usage(EXIT_USAGE);
    }

    /* Before asking for a passphrase: a key file is never overwritten by
     * accident (it may be the only copy of an identity). */
    if (!force && access(out, F_OK) == 0) {
        fprintf(stderr, "parley keygen: '%s' already exists; choose another name, or pass "
                        "--force to replace it\n", out);
        return EXIT_USAGE;
    }
    char *pass = cli_passphrase(passfile, 1);
    if (pass == NULL)
        return EXIT_USAGE;
    /* The passphrase is all that protects a stolen key file: a short one
     * falls to a guessing attack whatever the KDF's cost. */
    if (strlen(pass) < CLI_PASSPHRASE_MIN && !short_ok) {
        fprintf(stderr,
                "parley keygen: the passphrase has %zu characters; use at least %d (a few "
                "words is best), or pass --short-passphrase to accept it anyway\n",
                strlen(pass), CLI_PASSPHRASE_MIN);
        sodium_free(pass);
        return EXIT_USAGE;
    }
    uint8_t *seed = sodium_malloc(PL_SEED_BYTES);
    uint8_t salt[PL_KEYFILE_SALT_BYTES], nonce[PL_KEYFILE_NONCE_BYTES];
    uint8_t file[PL_KEYFILE_MAX_BYTES];
    size_t n;
    int rc = EXIT_CHECK;
    if (seed == NULL) {
        sodium_free(pass);
        return EXIT_CHECK;
    }
    randombytes_buf(seed, PL_SEED_BYTES);
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    pl_key *k = pl_key_from_seed(seed);
    sodium_free(seed);
    int err = k ? pl_keyfile_seal(k, pass, strlen(pass), salt, nonce, cost, file, sizeof file, &n)
                : PL_E_NOMEM;
    sodium_free(pass);
    if (err != PL_OK)
        fprintf(stderr, "parley keygen: %s\n", cli_strerror(err));
    else if (cli_write_file(out, file, n, 0600, force) == 0) {
        print_key(pl_key_pk(k), out, json);
        rc = EXIT_OK;
    }
    pl_key_destroy(&k);
    return rc;
}

static int key_usage(int rc)
{
    fprintf(rc ? stderr : stdout,
            "usage: parley key FILE [--json]\n\n"
            "Shows the public key and fingerprint stored in a key file. No passphrase is\n"
            "needed; compare fingerprints with the other parties out of band.\n");
    return rc;
}

int cmd_key_main(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return key_usage(EXIT_OK);
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (path == NULL && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "parley key: unexpected argument '%s'\n", argv[i]);
            return key_usage(EXIT_USAGE);
        }
    }
    if (path == NULL)
        return key_usage(EXIT_USAGE);
    size_t n;
    uint8_t *b = cli_read_file(path, PL_KEYFILE_MAX_BYTES, &n), pk[PL_PK_BYTES];
    if (b == NULL)
        return EXIT_USAGE;
    int err = pl_keyfile_pk(b, n, pk);
    free(b);
    if (err != PL_OK) {
        fprintf(stderr, "parley key: '%s': %s (%s); is it a file made by 'parley keygen'?\n",
                path, cli_strerror(err), pl_errname(err));
        return EXIT_CHECK;
    }
    print_key(pk, path, json);
    return EXIT_OK;
}
