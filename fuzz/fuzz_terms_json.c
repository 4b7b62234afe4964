/* Fuzz target: terms from a JSON file (cli/terms_json.c), what `parley offer
 * --terms FILE` reads. A file may come from anyone (a template passed
 * around); whatever it holds, the reader must refuse it with a reason or
 * yield terms the protocol accepts, which encode to the bytes that decode
 * back to the same terms (SPEC §15.2, §15.3). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_terms *t = malloc(sizeof *t), *back = malloc(sizeof *back);
    static uint8_t enc[PL_TERMS_MAX_BYTES], enc2[PL_TERMS_MAX_BYTES];
    cli_terms_json_error err;
    if (t == NULL || back == NULL)
        abort();
    memset(&err, 0, sizeof err);
    int rc = cli_terms_json_parse((const char *)data, size, t, &err);
    if (rc != 0) {
        if (err.text[0] == '\0' || memchr(err.text, '\0', sizeof err.text) == NULL)
            abort(); /* a refusal always says why */
    } else {
        size_t n, n2;
        /* terms the reader accepted are terms the protocol accepts, and
         * they round-trip through their canonical bytes */
        if (pl_terms_encode(t, enc, sizeof enc, &n) != PL_OK ||
            pl_terms_decode(enc, n, back, NULL) != PL_OK ||
            pl_terms_encode(back, enc2, sizeof enc2, &n2) != PL_OK || n != n2 ||
            memcmp(enc, enc2, n) != 0)
            abort();
    }
    free(t);
    free(back);
    return 0;
}
