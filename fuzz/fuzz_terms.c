/* Fuzz target: the sentencing-terms decoder (SPEC §15.6), and what runs on
 * what it accepts. Invariants beyond "no crash":
 * - accepted terms re-encode to exactly the input (one encoding per value,
 *   SPEC §15.1), pass validation, format, and differ from themselves in
 *   nothing (SPEC §15.5);
 * - refused terms leave the output zeroed and a problem whose code is the
 *   returned one, with a section, a basis and a one-line detail;
 * - validate, encode, format and diff cope with any struct at all, not only
 *   decoded ones (the CLI builds structs from what people type): the input
 *   bytes are also laid over a struct and run through them.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

static pl_terms t, zero, other;
static uint8_t enc[PL_TERMS_MAX_BYTES];
static pl_terms_change changes[PL_TERMS_DIFF_MAX];

static void check_detail(const pl_terms_problem *why, int rc)
{
    if (why->code != rc || why->section == NULL || why->basis == NULL || why->detail[0] == '\0' ||
        strlen(why->detail) >= sizeof why->detail || strchr(why->detail, '\n') != NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_terms_problem why;
    char text[PL_TERMS_TEXT_MAX];
    size_t n, len;

    if (pl_init() != PL_OK)
        abort();
    int rc = pl_terms_decode(data, size, &t, &why);
    if (rc == PL_OK) {
        if (why.code != PL_OK || why.detail[0] != '\0')
            abort();
        if (pl_terms_encode(&t, enc, sizeof enc, &len) != PL_OK || len != size ||
            memcmp(enc, data, size) != 0)
            abort();
        if (pl_terms_validate(&t, &why) != PL_OK)
            abort();
        if (pl_terms_format(&t, text, sizeof text) != PL_OK || strlen(text) == 0)
            abort();
        if (pl_terms_diff(&t, &t, changes, PL_TERMS_DIFF_MAX, &n) != PL_OK || n != 0)
            abort();
        /* Against the empty struct every field that is set differs. */
        if (pl_terms_diff(&zero, &t, changes, PL_TERMS_DIFF_MAX, &n) != PL_OK || n == 0)
            abort();
        uint8_t h[PL_HASH_BYTES];
        pl_terms_hash(data, size, h);
    } else {
        if (memcmp(&t, &zero, sizeof t) != 0)
            abort();
        check_detail(&why, rc);
        if (pl_errname(rc)[0] == '\0' || strcmp(pl_errname(rc), "PL_E_UNKNOWN") == 0)
            abort();
    }

    /* Any struct at all: the input bytes laid over one (the rest zero). The
     * renderers must stay within their buffers and terminate their strings;
     * validation must refuse without reading past an unterminated string. */
    memset(&other, 0, sizeof other);
    memcpy(&other, data, size < sizeof other ? size : sizeof other);
    rc = pl_terms_validate(&other, &why);
    if (rc != PL_OK)
        check_detail(&why, rc);
    else if (pl_terms_encode(&other, enc, sizeof enc, &len) != PL_OK)
        abort();
    if (pl_terms_format(&other, text, sizeof text) != PL_OK || strlen(text) >= sizeof text)
        abort();
    if (pl_terms_diff(&t, &other, changes, PL_TERMS_DIFF_MAX, &n) != PL_OK || n > PL_TERMS_DIFF_MAX)
        abort();
    for (size_t i = 0; i < n; i++)
        if (strnlen(changes[i].old_value, PL_TERMS_VALUE_MAX) == PL_TERMS_VALUE_MAX ||
            strnlen(changes[i].new_value, PL_TERMS_VALUE_MAX) == PL_TERMS_VALUE_MAX)
            abort();
    return 0;
}
