/* The observer report (SPEC §17): what happened in a case, for people
 * (plain text) and programs (JSON), derived from the judged log alone.
 *
 * It lists the participants, the agreement's status and terms, the
 * timeline, every input with its response and how long the answer took
 * (R3, R4), the disclosures and what the defense had acknowledged before it
 * signed (R7), the sessions with venue, detention-facility flag and consent
 * to public observation (R6), recordings (R12), unilateral acts (R5),
 * violations and equivocations (R9).
 *
 * Ownership: both functions allocate *out (NUL-terminated); the caller
 * frees it with free(). */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include "parley/case.h"

#ifdef __cplusplus
extern "C" {
#endif

__attribute__((warn_unused_result)) int pl_report_text(const pl_case *c, char **out);
__attribute__((warn_unused_result)) int pl_report_json(const pl_case *c, char **out);

/* The facts the renderers share, for other renderers (the CLI's HTML). */

/* One line saying what message i says (terms in words for an offer). */
void pl_report_summary(const pl_case *c, size_t i, char *out, size_t cap);
/* The first valid prosecution response to input i, or -1 (SPEC §17.2). */
long pl_report_response_to(const pl_case *c, size_t input);
/* A session proposal's outcome ("fixed", "declined", "open"), whether
 * both sides consented to public observation, and its recordings. */
void pl_report_session(const pl_case *c, size_t proposal, const char **outcome, int *public_ok,
                       int *recordings);
/* Whether disclosure i was acknowledged, and before the last defense
 * signature of the agreement the status names. */
void pl_report_disclosure(const pl_case *c, size_t i, int *acked, int *before_signing);

#ifdef __cplusplus
}
#endif
#endif
