/* Fuzz target: wire frames (SPEC §14.2), the first thing a node decodes from
 * a peer. A frame that decodes encodes back to exactly its bytes; a failed
 * decode leaves the frame empty. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_wire w;
    uint8_t *out;
    size_t n;

    if (pl_init() != PL_OK)
        abort();
    if (pl_wire_decode(data, size, &w) != PL_OK) {
        if (w.kind != 0)
            abort();
        return 0;
    }
    if (pl_wire_encode(&w, &out, &n) != PL_OK || n != size || memcmp(out, data, size) != 0)
        abort();
    free(out);
    pl_wire_free(&w);
    return 0;
}
