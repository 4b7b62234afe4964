/* Display order of a log (SPEC §6.6): a deterministic topological order of
 * the DAG that per-author chains and references form, ties broken by the
 * smallest message id. Every node shows the same log in the same order. */
#ifndef PARLEY_ORDER_H
#define PARLEY_ORDER_H

#include "parley/export.h"

#include <stddef.h>

#include "parley/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sorts msgs[0..n) in place into display order. The messages must form a
 * verified log (pl_verifier found no problem); predecessors missing from the
 * array are treated as already shown. Returns PL_E_NOMEM or PL_OK. */
PL_API PL_NODISCARD int pl_log_order(const pl_msg **msgs, size_t n);

#ifdef __cplusplus
}
#endif
#endif
