/* Streaming log verification (SPEC §6).
 *
 * A pl_verifier takes the messages of one case in any order, one at a time,
 * and checks each one: decoding and signature (SPEC §4.8), case binding,
 * chain continuity, references, timestamps, duplicates and equivocation. A
 * message whose predecessor (prev) or a referenced message has not arrived
 * yet waits in a bounded pending set and is checked when it can be.
 *
 * Memory: per author, a few hundred bytes plus the ids of its messages
 * (PL_ID_BYTES each, needed to check references and to tell a duplicate from
 * an equivocation); plus the pending messages, at most max_pending of them
 * and max_pending_bytes in all. Nothing else grows with the log.
 *
 * Pending messages are kept, released and finally reported in the order
 * they arrived, so the report is the same on every implementation.
 *
 * Ownership: pl_verifier_new returns a verifier the caller frees with
 * pl_verifier_destroy. pl_verifier_add copies what it keeps; the report and
 * the proofs it points to live until the next call that changes the
 * verifier. */
#ifndef PARLEY_VERIFY_H
#define PARLEY_VERIFY_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_VERIFY_DEFAULT_MAX_PENDING 4096
#define PL_VERIFY_DEFAULT_MAX_PENDING_BYTES (16u * 1024u * 1024u)
#define PL_VERIFY_DEFAULT_MAX_AUTHORS 64
#define PL_VERIFY_MAX_PROBLEMS 256 /* problems kept in detail; all are counted */

typedef struct {
    size_t max_pending;       /* 0 means PL_VERIFY_DEFAULT_MAX_PENDING */
    size_t max_authors;       /* 0 means PL_VERIFY_DEFAULT_MAX_AUTHORS */
    size_t max_pending_bytes; /* 0 means PL_VERIFY_DEFAULT_MAX_PENDING_BYTES */
    /* SPEC §6.7: the messages and bytes one author's messages may hold in
     * the pending set; 0 means no bound of its own (the set's bound alone) */
    size_t max_pending_author;
    size_t max_pending_author_bytes;
} pl_verify_limits;

/* One rejected message. id and author are zero when the message could not be
 * decoded far enough to know them. */
typedef struct {
    int code;                 /* a PL_E_* code */
    const char *section;      /* SPEC section, as pl_errsection(code) */
    uint8_t id[PL_ID_BYTES];
    uint8_t author[PL_PK_BYTES];
    uint64_t seq;
    size_t index;             /* position in the input, counting from 0 */
    /* For PL_E_EQUIVOCATION: the id of the other message at (author, seq),
     * and whether a proof is in the report's proofs list. */
    uint8_t other_id[PL_ID_BYTES];
    int has_proof;
} pl_problem;

typedef struct {
    uint64_t received;   /* messages given to pl_verifier_add */
    uint64_t accepted;   /* messages verified and part of the log */
    uint64_t duplicates; /* repeats of a message already held (same id) */
    uint64_t rejected;   /* problems found, all kinds */
    size_t pending;      /* messages still waiting for predecessors */
    size_t pending_bytes; /* and their bytes */
    size_t authors;
    size_t nproblems;    /* problems kept (at most PL_VERIFY_MAX_PROBLEMS) */
    const pl_problem *problems;
    size_t nproofs;      /* equivocation proofs (SPEC §7.2), encoded */
    const uint8_t *const *proofs;
    const size_t *proof_lens;
} pl_verify_report;

typedef struct pl_verifier pl_verifier;

/* A verifier for the case case_id; lim may be NULL for the defaults. */
PL_API pl_verifier *pl_verifier_new(const uint8_t case_id[PL_CASE_ID_BYTES],
                                    const pl_verify_limits *lim);
PL_API void pl_verifier_destroy(pl_verifier **v);

/* Calls fn(ctx, m) for every message the verifier accepts, at the moment it
 * does: the message just added, or a pending one it released. The calls come
 * in an order where every message follows its predecessors, which is the
 * order a node stores and judges them in. m lives only during the call. */
typedef void (*pl_verify_accept_fn)(void *ctx, const pl_msg *m);
PL_API void pl_verifier_on_accept(pl_verifier *v, pl_verify_accept_fn fn, void *ctx);

/* Adds one encoded message. Returns PL_OK when it was accepted, is a
 * duplicate, or waits in the pending set (and releases whatever it unblocks);
 * otherwise the code of the problem, which is also in the report. */
PL_API PL_NODISCARD int pl_verifier_add(pl_verifier *v, const uint8_t *in, size_t len);

/* Adds a message already decoded by pl_msg_decode (or pl_msg_load), for a
 * caller that needed the decoded message first (a node reads the case id
 * and the id of what a peer sent before it picks the verifier). Same result
 * as pl_verifier_add of its bytes; m is copied if kept. */
PL_API PL_NODISCARD int pl_verifier_add_msg(pl_verifier *v, const pl_msg *m);

/* Ends the stream: every message still pending is reported as
 * PL_E_UNRESOLVED. Returns PL_OK if the log had no problem at all. */
PL_API PL_NODISCARD int pl_verifier_finish(pl_verifier *v);

PL_API const pl_verify_report *pl_verifier_report(const pl_verifier *v);

/* The head (latest accepted message) of an author: 0 and *seq = 0 if the
 * author has no accepted message. */
PL_API int pl_verifier_head(const pl_verifier *v, const uint8_t author[PL_PK_BYTES], uint64_t *seq,
                            uint8_t id[PL_ID_BYTES]);

#ifdef __cplusplus
}
#endif
#endif
