/* The node's durable store (SQLite): every message a node accepted, as its
 * exact signed bytes, by case, author and sequence number; equivocation
 * proofs; and a lock so that one process at a time owns the store.
 *
 * The store decides nothing: callers verify and judge with libparley before
 * they store, and load what is stored back into a verifier and a pl_case
 * at start. Outside a batch each put is one transaction, committed with
 * synchronous=FULL in WAL mode before the call returns; inside a batch
 * (pl_store_begin) the puts are durable when pl_store_commit returns. A
 * message acknowledged after that survives a killed process or a power cut.
 *
 * Ownership: pl_store_open returns a store the caller closes with
 * pl_store_close (safe on NULL and twice). Buffers handed to callbacks live
 * only during the callback. */
#ifndef PARLEY_NODE_STORE_H
#define PARLEY_NODE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "parley/parley.h"
#include "ctl.h"

typedef struct pl_store pl_store;

/* Opens (creating if needed) the store at path, and takes its lock
 * (path + ".lock"): PL_E_LOCKED if another process holds it. */
__attribute__((warn_unused_result)) int pl_store_open(const char *path, pl_store **out);
void pl_store_close(pl_store **s);

/* A file (the reference node's HOME/store.open) that pl_store_close
 * removes once SQLite has closed the store cleanly, and before it lets the
 * lock go: whoever takes the lock next never sees the marker of a run that
 * stopped cleanly. */
__attribute__((warn_unused_result)) int pl_store_remove_on_close(pl_store *s, const char *path);

/* pl_store_in_use (common/ctl.h): whether a node holds the store. */

/* Stores one message of a case, durably. 1 if it was there already (same
 * id), 0 if stored now; PL_E_EQUIVOCATION if another message holds its
 * (case, author, seq); PL_E_STORE / PL_E_IO on failure (nothing stored). */
__attribute__((warn_unused_result)) int pl_store_put(pl_store *s, const pl_msg *m);

/* Stores a verified equivocation proof (one per case, author and seq): 0 if
 * stored now, 1 if one was there already. */
__attribute__((warn_unused_result)) int pl_store_put_proof(pl_store *s, const uint8_t *proof,
                                                           size_t len);

typedef int (*pl_store_msg_fn)(void *ctx, const uint8_t *bytes, size_t len);

/* Batches: between pl_store_begin and pl_store_commit, puts are one
 * transaction, durable (with one fsync) when pl_store_commit returns 0. A
 * node acknowledges a batch's messages only after its commit.
 *
 * A batch fails whole: once a put inside it fails (SQLite may already have
 * rolled the transaction back, on SQLITE_NOMEM, SQLITE_FULL or SQLITE_IOERR),
 * every later put of the batch fails too instead of committing on its own
 * (which would store a message without its predecessors: a chain with a
 * gap), and pl_store_commit rolls back and fails. pl_store_rollback ends a
 * batch without storing anything of it. */
__attribute__((warn_unused_result)) int pl_store_begin(pl_store *s);
__attribute__((warn_unused_result)) int pl_store_commit(pl_store *s);
void pl_store_rollback(pl_store *s);

/* Issue 18 §4: whether the store can be written again, by a small write of
 * its own (outside a batch). PL_OK, PL_E_DISK while the disk is full or
 * failing, or PL_E_STORE. Puts and commits return PL_E_DISK in the same
 * conditions (SQLITE_FULL, ENOSPC, EDQUOT, EROFS, EIO). */
int pl_store_probe(pl_store *s);

/* The store's identity: a random number made when the store was created
 * (never 0). The home records it, so that parleyd can tell its own store
 * from a missing one, an emptied one or another home's. */
uint64_t pl_store_id(const pl_store *s);

/* The last failure of a store in this process, in one line: what was being
 * done, SQLite's message and code (and errno), and the next step. The
 * node adds what it found on loading (pl_store_set_error). */
const char *pl_store_error(void);
void pl_store_set_error(const char *what);

/* Calls fn for the author's messages of the case from from_seq on, in seq
 * order, at most max of them (the answer to a WANT, SPEC §14.5). */
int pl_store_range(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES],
                   const uint8_t author[PL_PK_BYTES], uint64_t from_seq, uint64_t max,
                   pl_store_msg_fn fn, void *ctx);

/* Peers the operator added at run time (parley connect), kept across
 * restarts: key and endpoint. */
__attribute__((warn_unused_result)) int pl_store_peer_put(pl_store *s,
                                                          const uint8_t key[PL_PK_BYTES],
                                                          const char *endpoint);
/* Forgets a peer `connect` kept: 1 if there was one, 0 if not, or a code. */
int pl_store_peer_del(pl_store *s, const uint8_t key[PL_PK_BYTES]);
int pl_store_peers(pl_store *s,
                   int (*fn)(void *ctx, const uint8_t key[PL_PK_BYTES], const char *endpoint),
                   void *ctx);

/* Calls fn for each stored message of the case in the order stored (which
 * is an order where predecessors come first). Stops early if fn returns
 * non-zero, and returns that value. */
int pl_store_each(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], pl_store_msg_fn fn,
                  void *ctx);

/* Calls fn for each stored proof of the case. */
int pl_store_each_proof(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], pl_store_msg_fn fn,
                        void *ctx);

/* Issue 17: what a node starts from, one row per case with at least one
 * stored message. fn gets the case id and the summary the node last wrote
 * for it (pl_store_summary_put), or NULL when there is none or it is stale:
 * a message or a proof of the case was stored after it. A summary is the
 * node's; the store keeps its bytes and knows nothing of their meaning. */
typedef int (*pl_store_case_fn)(void *ctx, const uint8_t case_id[PL_CASE_ID_BYTES],
                                const uint8_t *summary, size_t len);
/* Calls fn for every case, ascending by id; stops when fn returns non-zero
 * and returns that. */
int pl_store_cases(pl_store *s, pl_store_case_fn fn, void *ctx);
/* Records the summary of a case that holds at least one stored message, as
 * of every message and proof stored so far: in the open batch, or on its
 * own. */
__attribute__((warn_unused_result)) int pl_store_summary_put(pl_store *s,
                                                             const uint8_t case_id[PL_CASE_ID_BYTES],
                                                             const uint8_t *b, size_t len);

/* Writes the case's log file (SPEC §8) into a new buffer (free() it), the
 * messages in display order (SPEC §6.6). Every stored message's signature
 * is checked again on the way: an export leaves for others (a court), and
 * a damaged database must not leak into it. */
__attribute__((warn_unused_result)) int pl_store_export(pl_store *s,
                                                        const uint8_t case_id[PL_CASE_ID_BYTES],
                                                        uint8_t **out, size_t *out_len);
/* The same for the node's owner's own tools (the control request "read",
 * issue 13 §2): signatures are not checked again — the node checked each
 * before storing it, and loads cases the same way (pl_msg_load) — while
 * structure, body hash and case still are. */
__attribute__((warn_unused_result)) int pl_store_export_own(pl_store *s,
                                                            const uint8_t case_id[PL_CASE_ID_BYTES],
                                                            uint8_t **out, size_t *out_len);

/* The number of stored messages of a case. */
int pl_store_count(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t *n);

#endif
