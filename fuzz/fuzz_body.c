/* Fuzz target: negotiation bodies (SPEC §13.5). The first byte picks the
 * message type, the rest is the body. A body that decodes must encode back
 * to exactly its bytes (one encoding per body), and a failed decode leaves
 * the body empty and says why (issue 13 §3): pl_body_decode_why returns
 * the same code as pl_body_decode, its problem carries that code, and a
 * schema refusal names what is wrong in a sentence. */
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
    pl_body_problem why;
    int rc = pl_body_decode_why(data[0], data + 1, size - 1, &b, &why);
    if (why.code != rc || why.section == NULL)
        abort();
    if (rc != PL_OK) {
        if (b.type != 0)
            abort(); /* a failed decode leaves nothing behind */
        if (why.detail[0] == '\0' || pl_body_decode(data[0], data + 1, size - 1, &b) != rc)
            abort();
        return 0;
    }
    if (why.field[0] != '\0' || why.detail[0] != '\0')
        abort();
    if (pl_body_encode(&b, out, sizeof out, &n) != PL_OK || n != size - 1 ||
        memcmp(out, data + 1, n) != 0)
        abort();
    pl_body_free(&b);
    return 0;
}
