/* Fuzz target: negotiation bodies (SPEC §13.5). The first byte picks the
 * message type, the rest is the body. A body that decodes must encode back
 * to exactly its bytes (one encoding per body), and a failed decode leaves
 * the body empty. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[PL_MSG_MAX_BYTES];
    pl_body b;
    size_t n;

    if (pl_init() != PL_OK)
        abort();
    if (size < 1)
        return 0;
    if (pl_body_decode(data[0], data + 1, size - 1, &b) != PL_OK) {
        if (b.type != 0)
            abort(); /* a failed decode leaves nothing behind */
        return 0;
    }
    if (pl_body_encode(&b, out, sizeof out, &n) != PL_OK || n != size - 1 ||
        memcmp(out, data + 1, n) != 0)
        abort();
    pl_body_free(&b);
    return 0;
}
