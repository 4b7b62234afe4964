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
        printf(_("file:        %s\npublic key:  %s\nfingerprint: %s\n"), path, hex, fp);
}

/* --kdf's value: 0 and *cost, or EXIT_USAGE with the reason printed. */
static int kdf_arg(const char *verb, const char *c, pl_kdf_cost *cost)
{
    if (strcmp(c, "min") == 0)
        *cost = PL_KDF_MIN;
    else if (strcmp(c, "interactive") == 0)
        *cost = PL_KDF_INTERACTIVE;
    else if (strcmp(c, "moderate") == 0)
        *cost = PL_KDF_MODERATE;
    else {
        fprintf(stderr, _("parley %s: unknown --kdf '%s'; use interactive, moderate or min\n"), verb,
                c);
        return EXIT_USAGE;
    }
    return 0;
}

static int keygen_usage(int rc)
{
    fprintf(rc ? stderr : stdout, "%s",
            _("usage: parley keygen -o FILE [--passphrase-file F] [--kdf interactive|moderate|min]\n"
            "                     [--force] [--short-passphrase] [--json]\n\n"
            "Creates an Ed25519 identity and writes it to FILE (mode 0600), sealed with a\n"
            "passphrase (Argon2id + XSalsa20-Poly1305). Without --passphrase-file the\n"
            "passphrase is asked twice on the terminal, without echo. --kdf min is for\n"
            "tests only: it makes a stolen file cheap to attack. A passphrase of fewer\n"
            "than 10 characters is refused unless --short-passphrase is given.\n"));
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
            if (kdf_arg("keygen", argv[++i], &cost) != 0)
                return EXIT_USAGE;
        } else {
            fprintf(stderr, _("parley keygen: unexpected argument '%s'\n"), argv[i]);
            return keygen_usage(EXIT_USAGE);
        }
    }
    if (out == NULL) {
        fprintf(stderr, _("parley keygen: say where to write the key with -o FILE\n"));
        return keygen_usage(EXIT_USAGE);
    }

    /* Before asking for a passphrase: a key file is never overwritten by
     * accident (it may be the only copy of an identity). */
    if (!force && access(out, F_OK) == 0) {
        fprintf(stderr, _("parley keygen: '%s' already exists; choose another name, or pass "
                          "--force to replace it\n"), out);
        return EXIT_USAGE;
    }
    char *pass = io_passphrase(passfile, 1);
    if (pass == NULL)
        return EXIT_USAGE;
    /* The passphrase is all that protects a stolen key file: a short one
     * falls to a guessing attack whatever the KDF's cost. */
    if (strlen(pass) < IO_PASSPHRASE_MIN && !short_ok) {
        fprintf(stderr,
                _("parley keygen: the passphrase has %zu characters; use at least %d (a few "
                  "words is best), or pass --short-passphrase to accept it anyway\n"),
                strlen(pass), IO_PASSPHRASE_MIN);
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
        fprintf(stderr, _("parley keygen: %s\n"), cli_strerror(err));
    else if (io_write_file(out, file, n, 0600, force) == 0) {
        print_key(pl_key_pk(k), out, json);
        rc = EXIT_OK;
    }
    pl_key_destroy(&k);
    return rc;
}

static int key_usage(int rc)
{
    fprintf(rc ? stderr : stdout, "%s",
            _("usage: parley key FILE [--json]\n"
              "       parley key FILE --change-passphrase [--passphrase-file OLD]\n"
              "                  [--new-passphrase-file NEW] [--kdf interactive|moderate|min]\n"
              "                  [--short-passphrase] [--json]\n\n"
              "Shows the public key and fingerprint stored in a key file. No passphrase is\n"
              "needed; compare fingerprints with the other parties out of band.\n\n"
              "--change-passphrase seals the same key with a new passphrase: the current one\n"
              "is asked first (or read from --passphrase-file), then the new one twice (or\n"
              "read from --new-passphrase-file). A wrong current passphrase changes nothing.\n"
              "The file is replaced atomically and stays 0600; the key, its fingerprint and\n"
              "every signature made with it stay the same. A running parleyd that holds the\n"
              "key (--held-key) asks for the new passphrase from the next act; one that\n"
              "unlocked it at start (--key) needs the new one at its next start.\n"));
    return rc;
}

/* SPEC §2.3: the same seed sealed again under a new passphrase, fresh salt
 * and nonce; the old file is replaced only once the new one is written. */
static int change_passphrase(const char *path, const uint8_t *file, size_t n, const char *oldfile,
                             const char *newfile, pl_kdf_cost cost, int short_ok, int json)
{
    if ((oldfile == NULL || newfile == NULL) && !isatty(STDIN_FILENO)) {
        fprintf(stderr, _("parley key: no terminal to ask for the passphrases; use "
                          "--passphrase-file OLD and --new-passphrase-file NEW\n"));
        return EXIT_USAGE;
    }
    char *old = io_passphrase_as(oldfile, 0, _("current passphrase: "), NULL);
    if (old == NULL)
        return EXIT_USAGE;
    pl_key *k = NULL;
    int err = pl_keyfile_open(file, n, old, strlen(old), &k);
    sodium_free(old);
    if (err != PL_OK) {
        fprintf(stderr, _("parley key: %s (%s); the file is unchanged\n"), cli_strerror(err),
                pl_errname(err));
        return EXIT_CHECK;
    }
    char *pass = io_passphrase_as(newfile, 1, _("new passphrase: "), _("new passphrase (again): "));
    if (pass == NULL) {
        pl_key_destroy(&k);
        return EXIT_USAGE;
    }
    if (strlen(pass) < IO_PASSPHRASE_MIN && !short_ok) {
        fprintf(stderr,
                _("parley key: the new passphrase has %zu characters; use at least %d (a few "
                  "words is best), or pass --short-passphrase to accept it anyway; the file is "
                  "unchanged\n"),
                strlen(pass), IO_PASSPHRASE_MIN);
        sodium_free(pass);
        pl_key_destroy(&k);
        return EXIT_USAGE;
    }
    uint8_t salt[PL_KEYFILE_SALT_BYTES], nonce[PL_KEYFILE_NONCE_BYTES];
    uint8_t out[PL_KEYFILE_MAX_BYTES];
    size_t outn;
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    err = pl_keyfile_seal(k, pass, strlen(pass), salt, nonce, cost, out, sizeof out, &outn);
    sodium_free(pass);
    int rc = EXIT_CHECK;
    if (err != PL_OK)
        fprintf(stderr, _("parley key: %s\n"), cli_strerror(err));
    else if (io_write_file(path, out, outn, 0600, 1) == 0) {
        if (!json)
            printf(_("the passphrase of %s is changed; the key is the same:\n"), path);
        print_key(pl_key_pk(k), path, json);
        rc = EXIT_OK;
    }
    sodium_memzero(out, sizeof out);
    pl_key_destroy(&k);
    return rc;
}

int cmd_key_main(int argc, char **argv)
{
    const char *path = NULL, *oldfile = NULL, *newfile = NULL;
    int json = 0, change = 0, short_ok = 0, kdf_given = 0;
    pl_kdf_cost cost = PL_KDF_INTERACTIVE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return key_usage(EXIT_OK);
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--change-passphrase") == 0)
            change = 1;
        else if (strcmp(argv[i], "--short-passphrase") == 0)
            short_ok = 1;
        else if (strcmp(argv[i], "--passphrase-file") == 0 && i + 1 < argc)
            oldfile = argv[++i];
        else if (strcmp(argv[i], "--new-passphrase-file") == 0 && i + 1 < argc)
            newfile = argv[++i];
        else if (strcmp(argv[i], "--kdf") == 0 && i + 1 < argc) {
            kdf_given = 1;
            if (kdf_arg("key", argv[++i], &cost) != 0)
                return EXIT_USAGE;
        } else if (path == NULL && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, _("parley key: unexpected argument '%s'\n"), argv[i]);
            return key_usage(EXIT_USAGE);
        }
    }
    if (path == NULL)
        return key_usage(EXIT_USAGE);
    if (!change && (oldfile || newfile || kdf_given || short_ok)) {
        fprintf(stderr, _("parley key: --passphrase-file, --new-passphrase-file, --kdf and "
                          "--short-passphrase go with --change-passphrase\n"));
        return EXIT_USAGE;
    }
    size_t n;
    uint8_t *b = io_read_file(path, PL_KEYFILE_MAX_BYTES, &n), pk[PL_PK_BYTES];
    if (b == NULL)
        return EXIT_USAGE;
    int err = pl_keyfile_pk(b, n, pk);
    if (err != PL_OK) {
        free(b);
        fprintf(stderr, _("parley key: '%s': %s (%s); is it a file made by 'parley keygen'?\n"),
                path, cli_strerror(err), pl_errname(err));
        return EXIT_CHECK;
    }
    int rc = change ? change_passphrase(path, b, n, oldfile, newfile, cost, short_ok, json)
                    : (print_key(pk, path, json), EXIT_OK);
    free(b);
    return rc;
}
