/* Log files (SPEC §8): split a buffer into messages. Checking them is the
 * verifier's job; this only finds where each message ends, with the same
 * bounded walk every peer input gets. */
#include <string.h>

#include "internal.h"

void pl_logfile_header(const uint8_t case_id[PL_CASE_ID_BYTES], uint8_t out[PL_LOGFILE_HEADER_BYTES])
{
    memcpy(out, PL_LOGFILE_MAGIC, PL_LOGFILE_MAGIC_BYTES);
    memcpy(out + PL_LOGFILE_MAGIC_BYTES, case_id, PL_CASE_ID_BYTES);
}

int pl_logfile_open(const uint8_t *in, size_t len, uint8_t case_id[PL_CASE_ID_BYTES], size_t *off)
{
    memset(case_id, 0, PL_CASE_ID_BYTES);
    *off = 0;
    if (in == NULL || len < PL_LOGFILE_HEADER_BYTES ||
        memcmp(in, PL_LOGFILE_MAGIC, PL_LOGFILE_MAGIC_BYTES) != 0)
        return PL_E_LOGFILE;
    memcpy(case_id, in + PL_LOGFILE_MAGIC_BYTES, PL_CASE_ID_BYTES);
    *off = PL_LOGFILE_HEADER_BYTES;
    return PL_OK;
}

int pl_logfile_next(const uint8_t *in, size_t len, size_t *off, const uint8_t **msg,
                    size_t *msg_len)
{
    size_t used;
    *msg = NULL;
    *msg_len = 0;
    if (*off >= len)
        return PL_END;
    size_t avail = len - *off;
    /* Never look further than one message may be long. */
    if (avail > PL_MSG_MAX_BYTES)
        avail = PL_MSG_MAX_BYTES;
    int rc = pl_mp_walk(in + *off, avail, NULL, &used);
    if (rc == PL_E_TRUNCATED && avail == PL_MSG_MAX_BYTES)
        rc = PL_E_TOO_BIG;
    if (rc != PL_OK)
        return rc;
    *msg = in + *off;
    *msg_len = used;
    *off += used;
    return PL_OK;
}
