/* Fuzz target: the key-file reader (SPEC §2.3). Only the parse is fuzzed at
 * full speed: pl_keyfile_pk runs every check that precedes the KDF, which is
 * the part a crafted file controls (a parsed file would make each run pay
 * the Argon2id cost it names, so files that parse are not opened here; the
 * unit tests open them). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t pk[PL_PK_BYTES];
    static const uint8_t zero[PL_PK_BYTES];

    if (pl_init() != PL_OK)
        abort();
    if (pl_keyfile_pk(data, size, pk) != PL_OK) {
        if (memcmp(pk, zero, sizeof pk) != 0)
            abort();
        pl_key *k = (pl_key *)1;
        if (pl_keyfile_open(data, size, "x", 1, &k) == PL_OK || k != NULL)
            abort(); /* a file that does not parse never opens */
        return 0;
    }
    return 0;
}
