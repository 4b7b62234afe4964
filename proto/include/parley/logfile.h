/* The exported log file (SPEC §8): a magic line, the case id, then the
 * case's messages one after another in canonical encoding. These functions
 * only split a buffer; pl_verifier checks what they return.
 *
 * Ownership: the writer appends to the caller's buffer; the reader returns
 * slices of the caller's buffer, valid while it is. */
#ifndef PARLEY_LOGFILE_H
#define PARLEY_LOGFILE_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_LOGFILE_MAGIC "parley log v1\n"
#define PL_LOGFILE_MAGIC_BYTES 14
#define PL_LOGFILE_HEADER_BYTES (PL_LOGFILE_MAGIC_BYTES + PL_CASE_ID_BYTES)

/* Writes the file header (magic and case id) into out (at least
 * PL_LOGFILE_HEADER_BYTES). */
PL_API void pl_logfile_header(const uint8_t case_id[PL_CASE_ID_BYTES],
                              uint8_t out[PL_LOGFILE_HEADER_BYTES]);

/* Reads the file header: PL_E_LOGFILE if the magic is wrong or the input too
 * short. *off is set to the first message. */
PL_API PL_NODISCARD int pl_logfile_open(const uint8_t *in, size_t len,
                                        uint8_t case_id[PL_CASE_ID_BYTES],
                                        size_t *off);

/* The next message at *off: sets *msg and *msg_len to its bytes and advances
 * *off. Returns PL_END at the end of the file, PL_OK for a message, or a code if
 * the bytes at *off cannot be a message (they are then unusable: the walk
 * cannot find where the next message starts). */
PL_API PL_NODISCARD int pl_logfile_next(const uint8_t *in, size_t len,
                                        size_t *off, const uint8_t **msg,
                                        size_t *msg_len);

#ifdef __cplusplus
}
#endif
#endif
