/* Fuzz target: the streaming log verifier (SPEC §6, §7), fed a log file
 * (SPEC §8). Invariants: accepted + duplicates + rejected + pending account
 * for every message received, and each equivocation proof it emits verifies
 * on its own. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t case_id[PL_CASE_ID_BYTES];
    size_t off;
    const uint8_t *m;
    size_t mlen;

    if (pl_init() != PL_OK)
        abort();
    if (pl_logfile_open(data, size, case_id, &off) != PL_OK)
        return 0;
    pl_verify_limits lim = {.max_pending = 64, .max_authors = 8};
    pl_verifier *v = pl_verifier_new(case_id, &lim);
    if (v == NULL)
        abort();
    while (pl_logfile_next(data, size, &off, &m, &mlen) == PL_OK)
        (void)!pl_verifier_add(v, m, mlen);
    (void)!pl_verifier_finish(v);
    const pl_verify_report *r = pl_verifier_report(v);
    if (r->accepted + r->duplicates + r->rejected != r->received || r->pending != 0)
        abort();
    for (size_t i = 0; i < r->nproofs; i++) {
        pl_equiv_info info;
        if (pl_equiv_proof_verify(r->proofs[i], r->proof_lens[i], &info) != PL_OK)
            abort();
    }
    pl_verifier_destroy(&v);
    return 0;
}
