/* verify-cert: check an agreement certificate with the installed libparley
 * alone — the smallest program a court's or a bar's own tool needs
 * (SPEC §16.3, §16.6). It says whether the certificate is valid, the
 * first failure if not, and the certificate hash printed on the court's
 * copy.
 *
 * Build against an installed libparley:
 *   cc verify-cert.c $(pkg-config --cflags --libs parley) -o verify-cert
 * Run:
 *   ./verify-cert agreement.cert       exit 0 valid, 1 not valid, 2 usage
 *
 * It trusts nothing but the file: whether the signers' keys are the
 * people they claim is a question for trust anchors (SPEC §16.5), which
 * `parley verify --trust` answers. */
#include <stdio.h>
#include <stdlib.h>

#include <parley/parley.h>

/* The whole file, or NULL (a certificate is at most a few MiB). */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    for (size_t got; buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            unsigned char *g = cap < (64u << 20) ? realloc(buf, cap *= 2) : NULL;
            if (g == NULL) {
                free(buf);
                buf = NULL;
            } else {
                buf = g;
            }
        }
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: verify-cert FILE.cert\n");
        return 2;
    }
    if (pl_init() != PL_OK) {
        fprintf(stderr, "verify-cert: libsodium failed to initialise\n");
        return 1;
    }
    size_t len;
    unsigned char *cert = slurp(argv[1], &len);
    if (cert == NULL) {
        perror(argv[1]);
        return 2;
    }
    uint8_t hash[PL_CERT_HASH_BYTES];
    pl_cert_report r;
    int rc = pl_cert_verify(cert, len, &r);
    printf("libparley %s\n", pl_version());
    if (pl_cert_hash(cert, len, hash) == PL_OK) {
        printf("certificate hash ");
        for (size_t i = 0; i < sizeof hash; i++)
            printf("%02x", hash[i]);
        printf("\n");
    }
    if (rc == PL_OK)
        printf("valid: signed by the prosecution, the suspect and counsel (SPEC §16.3)\n");
    else
        printf("NOT valid: %s (%s, SPEC §%s)\n", r.detail[0] ? r.detail : pl_strerror(rc),
               pl_errname(rc), pl_errsection(rc));
    pl_cert_report_free(&r);
    free(cert);
    return rc == PL_OK ? 0 : 1;
}
