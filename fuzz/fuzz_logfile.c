/* Fuzz target: splitting a log file (SPEC §8), ordering what decodes (SPEC
 * §6.6) and judging it by the negotiation rules (SPEC §13). Each message
 * found ends where the walk says, never past the buffer; the display order
 * is a permutation of its input; a final agreement has three signatures. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

#define MAX_MSGS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t case_id[PL_CASE_ID_BYTES];
    size_t off, mlen, n = 0;
    const uint8_t *m;
    pl_msg *msgs[MAX_MSGS];

    if (pl_init() != PL_OK)
        abort();
    if (pl_logfile_open(data, size, case_id, &off) != PL_OK)
        return 0;
    while (n < MAX_MSGS && pl_logfile_next(data, size, &off, &m, &mlen) == PL_OK) {
        if (m < data || m + mlen > data + size || mlen == 0)
            abort();
        if (pl_msg_decode(m, mlen, case_id, &msgs[n]) == PL_OK)
            n++;
    }
    const pl_msg *order[MAX_MSGS];
    memcpy(order, msgs, n * sizeof *order);
    if (pl_log_order(order, n) != PL_OK)
        abort();
    for (size_t i = 0; i < n; i++) {
        size_t seen = 0;
        for (size_t j = 0; j < n; j++)
            seen += order[j] == msgs[i];
        if (seen != 1)
            abort();
    }
    /* Judge the ordered log by the negotiation rules (SPEC §13): display
     * order puts predecessors first, so nothing may be unresolved unless a
     * predecessor was not among the decoded messages. */
    pl_case *c = pl_case_new(case_id);
    if (c == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        int rc = pl_case_add(c, order[i]);
        if (rc == PL_E_NOMEM)
            abort();
    }
    pl_case_status st;
    pl_case_status_get(c, &st);
    if (st.state == PL_AGREEMENT_FINAL &&
        (st.sign_prosecution < 0 || st.sign_suspect < 0 || st.sign_counsel < 0))
        abort(); /* R1: nothing short of three signatures is final */
    pl_case_destroy(&c);
    for (size_t i = 0; i < n; i++)
        pl_msg_destroy(&msgs[i]);
    return 0;
}
