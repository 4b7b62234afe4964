/* Fuzz target: the message decoder (SPEC §3, §4.8).
 * Invariants beyond "no crash": whatever the walk accepts, msgpack-c
 * re-encodes to the same bytes (the walk and msgpack-c agree on canonical
 * form); an accepted message re-encodes to its input and decodes again to
 * the same id. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

static int same_after_repack(const uint8_t *in, size_t len)
{
    msgpack_zone zone;
    msgpack_object obj;
    pl_packbuf b;
    int same;
    if (!msgpack_zone_init(&zone, 4096))
        return 1;
    if (pl_mp_unpack(in, len, &zone, &obj) != PL_OK) {
        msgpack_zone_destroy(&zone);
        return 0;
    }
    pl_packbuf_init(&b);
    msgpack_pack_object(&b.pk, obj);
    same = !b.failed && b.sb.size == len && memcmp(b.sb.data, in, len) == 0;
    pl_packbuf_free(&b);
    msgpack_zone_destroy(&zone);
    return same;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t used;
    pl_msg *m = NULL;

    if (pl_init() != PL_OK)
        abort();
    if (pl_mp_walk(data, size, NULL, &used) == PL_OK && !same_after_repack(data, used))
        abort();
    if (pl_msg_decode(data, size, NULL, &m) == PL_OK) {
        size_t len;
        const uint8_t *bytes = pl_msg_bytes(m, &len);
        pl_msg *again = NULL;
        if (len != size || memcmp(bytes, data, size) != 0)
            abort();
        if (pl_msg_decode(bytes, len, pl_msg_header(m)->case_id, &again) != PL_OK ||
            memcmp(pl_msg_id(again), pl_msg_id(m), PL_ID_BYTES) != 0)
            abort();
        pl_msg_destroy(&again);
        pl_msg_destroy(&m);
    } else if (m != NULL) {
        abort(); /* outputs are NULL on failure */
    }
    return 0;
}
