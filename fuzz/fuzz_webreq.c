/* Fuzz target: the web app's act requests (node/webreq.c), what any page
 * in the browser can POST once logged in. Whatever the body, the parser
 * must refuse it with a reason or yield an argument list that holds only
 * what the verb's row allows: a known verb first, ids of hex digits,
 * every flag one the row names, no NUL inside a value, the passphrase
 * only through fd 3, and the bounds of webreq.h. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "webreq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_webreq r;
    char err[PL_WEBREQ_ERR_MAX];
    if (pl_webreq_parse((const char *)data, size, &r, err) != 0) {
        if (err[0] == '\0' || memchr(err, '\0', sizeof err) == NULL)
            abort(); /* a refusal always says why */
        return 0;
    }
    if (r.argc < 1 || r.argc > PL_WEBREQ_MAX_ARGV || r.argv[r.argc] != NULL)
        abort();
    for (int i = 0; i < r.argc; i++)
        if (r.argv[i] == NULL || strlen(r.argv[i]) > PL_WEBREQ_VALUE_MAX)
            abort();
    /* no value can pass itself off as the home or the passphrase file */
    for (int i = 0; i < r.argc; i++) {
        int is_value = i > 0 && strncmp(r.argv[i - 1], "--", 2) == 0;
        if (!is_value && (strcmp(r.argv[i], "--home") == 0 ||
                          (strcmp(r.argv[i], "--passphrase-file") == 0 && r.passphrase == NULL)))
            abort();
    }
    for (int i = 0; i < r.nfiles; i++)
        if (r.file_len[i] > PL_WEBREQ_FILE_MAX || r.file_at[i] <= 0 || r.file_at[i] >= r.argc)
            abort();
    if (strcmp(r.lang, "zh") != 0 && strcmp(r.lang, "en") != 0)
        abort();
    pl_webreq_free(&r);
    return 0;
}
