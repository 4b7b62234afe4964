/* Fuzz target: the equivocation-proof verifier (SPEC §7.3). A proof that
 * verifies must be rebuilt byte for byte from its own parts. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_equiv_info info;
    static const pl_equiv_info zero;

    if (pl_init() != PL_OK)
        abort();
    if (pl_equiv_proof_verify(data, size, &info) != PL_OK) {
        if (memcmp(&info, &zero, sizeof info) != 0)
            abort(); /* outputs are zeroed on failure */
        return 0;
    }
    /* Split the proof again and rebuild it: the one encoding must come out. */
    size_t ha, hb, pos = 2;
    if (pl_mp_walk(data + pos, size - pos, NULL, &ha) != PL_OK)
        abort();
    const uint8_t *hdr_a = data + pos, *sig_a = data + pos + ha + 2;
    pos += ha + 2 + PL_SIG_BYTES;
    if (pl_mp_walk(data + pos, size - pos, NULL, &hb) != PL_OK)
        abort();
    const uint8_t *hdr_b = data + pos, *sig_b = data + pos + hb + 2;
    uint8_t out[PL_EQUIV_PROOF_MAX_BYTES];
    size_t n;
    if (pl_equiv_proof_build_raw(hdr_b, hb, sig_b, hdr_a, ha, sig_a, out, sizeof out, &n) != PL_OK ||
        n != size || memcmp(out, data, size) != 0)
        abort();
    return 0;
}
