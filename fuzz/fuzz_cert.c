/* Fuzz target: the agreement-certificate verifier (SPEC §16.3). Beyond "no
 * crash": a certificate that verifies names three valid signatures of the
 * three required roles over one terms hash, and its counts are coherent. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_cert_report r;

    if (pl_init() != PL_OK)
        abort();
    int rc = pl_cert_verify(data, size, &r);
    if ((rc == PL_OK) != (r.valid == 1))
        abort();
    if (rc == PL_OK) {
        long s[3] = {r.sign_prosecution, r.sign_suspect, r.sign_counsel};
        static const pl_role want[3] = {PL_ROLE_PROSECUTION, PL_ROLE_SUSPECT, PL_ROLE_COUNSEL};
        for (int i = 0; i < 3; i++)
            if (s[i] < 0 || pl_case_verdict(r.c, (size_t)s[i]) != PL_OK ||
                pl_case_msg_role(r.c, (size_t)s[i]) != want[i])
                abort();
        if (r.inputs_answered > r.inputs_seen ||
            r.disclosures_acknowledged > r.disclosures)
            abort();
    }
    pl_cert_report_free(&r);
    return 0;
}
