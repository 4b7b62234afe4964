/* The suspect's identity binding (SPEC §13.2 *Identity*, §13.3).
 *
 * A charter binds the suspect's seat to a person by the hash of the
 * person's identity document number; the suspect's key confirms it in its
 * join, in a fixed session. The number itself never enters a log: whoever
 * is shown it (the suspect's own node, a court clerk with the defendant's
 * ID card) computes the hash and compares. */
#ifndef PARLEY_IDENTITY_H
#define PARLEY_IDENTITY_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_IDENTITY_NUMBER_MAX 64 /* characters of a normalized number */

/* The number as the hash reads it: ASCII letters upper-cased, spaces and
 * hyphens dropped, 1 to PL_IDENTITY_NUMBER_MAX characters left; an
 * 18-character resident identity number must carry its GB 11643 check
 * character. PL_OK, or PL_E_IDENTITY for anything else (any other byte, an
 * empty or too long number, a wrong check character). */
PL_API PL_NODISCARD int pl_identity_normalize(const char *number,
                                              char out[PL_IDENTITY_NUMBER_MAX + 1]);

/* id_hash for the case: Argon2id (t 3, 64 MiB, one lane) of the normalized
 * number, salted with the first 16 bytes of the case id. PL_OK,
 * PL_E_IDENTITY for a number pl_identity_normalize refuses, or PL_E_NOMEM
 * when the 64 MiB cannot be had. Takes about a tenth of a second. */
PL_API PL_NODISCARD int pl_identity_hash(const uint8_t case_id[PL_CASE_ID_BYTES],
                                         const char *number,
                                         uint8_t out[PL_HASH_BYTES]);

/* SPEC §13.2 *Particulars* (v2): the birth date (YYYYMMDD) a resident
 * identity number carries in its characters 7 to 14, into *birth; 0 there
 * for a number of another document. PL_OK, or pl_identity_normalize's
 * refusal. */
PL_API PL_NODISCARD int pl_identity_birth(const char *number, uint32_t *birth);

#ifdef __cplusplus
}
#endif

#endif
