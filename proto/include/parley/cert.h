/* Agreement certificates (SPEC §16): one file a court verifies offline.
 *
 * A certificate holds the claim — which three signatures make the
 * agreement final and which observer attestation covers them — and every
 * message those depend on: the causal past of the three signatures and of
 * the attestation (SPEC §13.4). That past contains the charter, the
 * participants' joins, the offer and its terms, every input the prosecution
 * had seen and its response (R3), the disclosures and acknowledgements
 * (R7), so verification needs nothing but the file and reaches the same
 * verdicts every node reached.
 *
 * Ownership: pl_cert_build writes into a buffer it allocates (pl_free() it);
 * pl_cert_verify fills a report the caller owns and frees with
 * pl_cert_report_free. */
#ifndef PARLEY_CERT_H
#define PARLEY_CERT_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/case.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_CERT_MAGIC "parley certificate v1\n"
#define PL_CERT_MAGIC_BYTES 22
#define PL_CERT_MAX_BYTES (64u * 1024u * 1024u)
#define PL_CERT_HASH_BYTES 32

/* Builds the certificate of the case's final agreement: PL_E_NOT_FINAL if
 * there is none. The claim is chosen from the log alone (SPEC §16.1): the
 * smallest-id valid signature per role of the agreement's round naming its
 * offer, and of the valid attestations holding all three in their past,
 * each observer's first, the smallest id; so every export of one agreement
 * is the same file. PL_E_ARG for a lean case (PL_CASE_LEAN). */
PL_API PL_NODISCARD int pl_cert_build(const pl_case *c, uint8_t **out, size_t *out_len);

typedef struct {
    int valid;       /* 1 when every check below passed */
    int code;        /* PL_OK or the first failure */
    char detail[256];
    uint8_t case_id[PL_CASE_ID_BYTES];
    pl_case *c;      /* the certificate's messages, judged (owned by the report) */
    long sign_prosecution, sign_suspect, sign_counsel, attestation; /* indices in c, -1 */
    long offer;      /* the offer whose terms were signed */
    size_t inputs_seen, inputs_answered;     /* R3, as the prosecution signed */
    size_t inputs_total, inputs_unanswered;  /* R3, every input the certificate holds */
    size_t disclosures, disclosures_acknowledged; /* R7, before the defense's last signature */
    /* v2, SPEC §13.25: settlements made (proposals accepted) the certificate
     * holds; SPEC §13.28: the warnings of the record for the agreed terms
     * (PL_WARN_* bits of case.h: grounds no made settlement shows, CL 72
     * probation, a minor by birth date): warnings, the certificate stays
     * valid */
    size_t settlements_made;
    unsigned warnings;
} pl_cert_report;

/* Verifies a certificate alone (SPEC §16.3). Returns PL_OK when it is valid;
 * otherwise the first failure, also in report->code with a sentence in
 * report->detail. The report is filled as far as verification got. */
PL_API PL_NODISCARD int pl_cert_verify(const uint8_t *in, size_t len, pl_cert_report *report);
PL_API void pl_cert_report_free(pl_cert_report *r);

/* The certificate's hash (SPEC §16.6): BLAKE2b-256 of the domain
 * "parley/v2/certificate", a zero byte and the file's bytes. Printed on
 * the court's copy and in its QR code, so that a clerk can tell that a
 * paper copy and a file are the same certificate. Any bytes hash; it says
 * nothing of validity. */
PL_API PL_NODISCARD int pl_cert_hash(const uint8_t *in, size_t len,
                                     uint8_t out[PL_CERT_HASH_BYTES]);

#ifdef __cplusplus
}
#endif
#endif
