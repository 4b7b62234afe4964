/* Equivocation proofs (SPEC §7).
 *
 * An author equivocates when it signs two different headers with the same
 * case and sequence number. The proof is the two signed headers, smallest id
 * first: anyone can check it offline with nothing else (SPEC §7.3).
 *
 * Ownership: pl_equiv_proof_build writes into the caller's buffer. */
#ifndef PARLEY_EQUIV_H
#define PARLEY_EQUIV_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest encoded proof: two maximal headers and signatures. */
#define PL_EQUIV_PROOF_MAX_BYTES 8192

/* Builds the proof from two messages; PL_E_PROOF if they do not equivocate
 * (different author, case or seq, or the same header). */
PL_API PL_NODISCARD int pl_equiv_proof_build(const pl_msg *a, const pl_msg *b,
                                             uint8_t *out, size_t cap,
                                             size_t *out_len);

/* The same, from raw signed headers (header bytes and signature of each). */
PL_API PL_NODISCARD int
pl_equiv_proof_build_raw(const uint8_t *hdr_a, size_t hdr_a_len, const uint8_t sig_a[PL_SIG_BYTES],
                         const uint8_t *hdr_b, size_t hdr_b_len, const uint8_t sig_b[PL_SIG_BYTES],
                         uint8_t *out, size_t cap, size_t *out_len);

/* What a verified proof shows. */
typedef struct {
    uint8_t case_id[PL_CASE_ID_BYTES];
    uint8_t author[PL_PK_BYTES];
    uint64_t seq;
    uint8_t id_a[PL_ID_BYTES]; /* id_a < id_b */
    uint8_t id_b[PL_ID_BYTES];
} pl_equiv_info;

/* Verifies a proof alone (SPEC §7.3). On failure *info is zeroed. */
PL_API PL_NODISCARD int pl_equiv_proof_verify(const uint8_t *in, size_t len, pl_equiv_info *info);

#ifdef __cplusplus
}
#endif
#endif
