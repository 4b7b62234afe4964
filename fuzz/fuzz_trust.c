/* Fuzz target: trust files and endorsements (SPEC §16.5). A court clerk's
 * verifier reads a trust file someone handed it; a bad file must be
 * refused with the line that failed, never crash, and what it accepts must
 * write back to a file that parses to the same anchors and endorsements. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parley/parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the bytes as one endorsement */
    pl_endorsement e;
    if (pl_endorsement_verify(data, size, &e) == PL_OK &&
        (memchr(e.name, 0, sizeof e.name) == NULL || e.not_before > e.not_after))
        abort();
    /* and as a trust file */
    pl_trust *t = NULL;
    size_t line = 0;
    int rc = pl_trust_parse((const char *)data, size, &t, &line);
    if (rc != PL_OK) {
        if (t != NULL || (rc != PL_E_TRUST && rc != PL_E_NOMEM))
            abort();
        return 0;
    }
    char *text = NULL;
    if (pl_trust_write(t, &text) != PL_OK)
        abort();
    pl_trust *again = NULL;
    if (pl_trust_parse(text, strlen(text), &again, &line) != PL_OK ||
        pl_trust_anchors(again) != pl_trust_anchors(t) ||
        pl_trust_endorsements(again) != pl_trust_endorsements(t))
        abort();
    uint8_t pk[32] = {0};
    pl_trust_result r;
    (void)pl_trust_check(t, PL_ROLE_PROSECUTION, pk, 0, &r);
    free(text);
    pl_trust_free(&again);
    pl_trust_free(&t);
    return 0;
}
