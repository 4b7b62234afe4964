/* A Parley node's logic (SPEC §14): the cases it hosts, what it does with
 * each frame a peer sends, the messages it signs for its own keys, and the
 * attestations an observer signs. No sockets here: the shell (net.c) hands
 * in frames from authenticated peers and sends the frames this code emits,
 * and passes the time in. The store (store.c) is the only I/O.
 *
 * Everything that leaves the node waits for the store: frames produced while
 * handling a batch of input are queued and emitted by pl_node_flush only
 * after the batch's transaction is committed, so an ACK, a relayed message
 * or an own message is never seen by a peer before it is durable here
 * (SPEC §14.6, §14.7).
 *
 * Ownership: pl_node_open returns a node the caller frees with
 * pl_node_close; it takes over the keys in the config (it frees them). The
 * node keeps no pointer to frames passed in. */
#ifndef PARLEY_NODE_H
#define PARLEY_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "parley/parley.h"
#include "store.h"

#define PL_NODE_MAX_KEYS PL_CONTROL_MAX_KEYS /* common/ctl.h */
#define PL_NODE_MAX_PEERS 256       /* connections at once, both directions */
#define PL_NODE_MAX_CASES 100000    /* cases one node hosts */
#define PL_NODE_MAX_INVITES 16      /* cases offered by peers, waiting for their charter */
#define PL_NODE_DEFAULT_RATE 20000  /* frames a second read from one peer */
#define PL_NODE_MAX_REFUSED 1000    /* refused frames before a peer is dropped */
#define PL_NODE_HEADS_MS 5000       /* HEADS again to peers that lack something */
#define PL_NODE_MAX_PROOFS 64       /* forks proven per case */
#define PL_NODE_INVITE_MS 30000     /* an invitation not answered by a charter expires */
#define PL_NODE_QUEUE_BYTES (32u << 20) /* output to one peer per batch */
#define PL_NODE_PENDING_BYTES (2u << 20) /* a case's messages waiting for predecessors (SPEC §6.7); a key's at most an eighth */
#define PL_NODE_DEFAULT_CACHE_BYTES (256u << 20) /* issue 17: resident cases, estimated */
#define PL_NODE_DEFAULT_IDLE_MS 30000u /* issue 17: unused this long, a case is idle */
#define PL_NODE_SKEW_MS (10u * 60u * 1000u) /* SPEC §6.5: a timestamp this far ahead is warned of */

typedef enum { PL_LOG_ERROR = 0, PL_LOG_WARN, PL_LOG_INFO, PL_LOG_DEBUG } pl_log_level;

/* Emits one frame to a peer. */
typedef void (*pl_node_send_fn)(void *ctx, uint32_t peer, const uint8_t *frame, size_t len);
/* A log line (no newline). */
typedef void (*pl_node_log_fn)(void *ctx, pl_log_level level, const char *line);
/* The node wants a connection closed (it refused too much from the peer). */
typedef void (*pl_node_drop_fn)(void *ctx, uint32_t peer);

typedef struct {
    const char *store_path;
    pl_key *keys[PL_NODE_MAX_KEYS]; /* keys[0] is the node's identity on the wire */
    size_t nkeys;
    /* SPEC §14.12 *Held keys*: participants' keys whose secret stays in
     * their files, locked by their holders' own passphrases; the node knows
     * only the public keys and signs with one only when pl_node_post_with
     * is handed it, unlocked for that one act. nkeys + nheld <=
     * PL_NODE_MAX_KEYS. */
    uint8_t held[PL_NODE_MAX_KEYS][PL_PK_BYTES];
    const char *held_files[PL_NODE_MAX_KEYS]; /* their files, for the control channel */
    size_t nheld;
    int observer;                   /* attest the heads of cases it observes (SPEC §13.13) */
    uint64_t attest_interval_ms;    /* at most one attestation per case per interval */
    uint32_t rate;                  /* frames a second per peer; 0 means the default */
    /* Issue 17: what the cases held in memory may cost (an estimate from
     * their stored bytes) before the least recently used idle ones are
     * dropped, to be judged again from the store on their next use; 0
     * means PL_NODE_DEFAULT_CACHE_BYTES. A node starts from the store's
     * case summaries, loading none. */
    size_t cache_bytes;
    /* How long a case must go unused before it may leave memory; 0 means
     * PL_NODE_DEFAULT_IDLE_MS. Cases in use stay, past the budget. */
    uint64_t cache_idle_ms;
    const uint8_t (*allow)[PL_PK_BYTES]; /* extra keys the operator admits */
    size_t nallow;
    int accept_invitations; /* SPEC §14.3: host every case offered (else ask) */
    pl_node_send_fn send;
    pl_node_log_fn log;
    pl_node_drop_fn drop;
    pl_log_level log_level;         /* lines above it are not even formatted */
    void *ctx;
} pl_node_config;

typedef struct pl_node pl_node;

/* Opens the store and reads every case's summary from it (SPEC §14.5:
 * catch-up resumes from what is durable); a case is judged from its stored
 * messages on first use, or at once if its summary is missing or stale
 * (issue 17). */
__attribute__((warn_unused_result)) int pl_node_open(pl_node_config *cfg, uint64_t now_ms,
                                                     pl_node **out);
void pl_node_close(pl_node **n);

/* The ZAP decision (SPEC §14.1): whether a client whose CURVE public key is
 * curve_pk may connect; on yes, its Ed25519 key in ed_pk. */
int pl_node_admit(pl_node *n, const uint8_t curve_pk[32], uint8_t ed_pk[PL_PK_BYTES]);

/* Admits a key as a configured peer from now on (a peer the operator
 * added with `parley connect`, SPEC §14.1). */
__attribute__((warn_unused_result)) int pl_node_allow(pl_node *n, const uint8_t pk[PL_PK_BYTES]);
/* Undoes pl_node_allow (parley disconnect); keys a case names or the
 * configuration allows stay admitted. */
void pl_node_disallow(pl_node *n, const uint8_t pk[PL_PK_BYTES]);
/* Whether ZAP admits this Ed25519 key now. */
int pl_node_admit_key(pl_node *n, const uint8_t pk[PL_PK_BYTES]);

/* SPEC §14.3: invitations waiting for the operator. A case whose charter
 * names one of the node's keys, offered by a peer, is hosted at once only
 * when its creator is a key the operator configured (peer, allow, or
 * `parley connect`) or the operator accepts every invitation; otherwise it
 * waits here until pl_node_accept or pl_node_decline (or the node stops).
 * pl_node_invitation fills the i-th (0-based): the case id, the charter
 * and the peer that offered it; 0 past the end. */
size_t pl_node_ninvitations(const pl_node *n);
int pl_node_invitation(const pl_node *n, size_t i, uint8_t case_id[PL_CASE_ID_BYTES],
                       const pl_msg **charter);
/* PL_OK, or PL_E_UNKNOWN_CASE when no invitation to that case waits. */
int pl_node_accept(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t now_ms);
int pl_node_decline(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES]);

/* A connection is up; pk is the key it authenticated with. Returns the peer
 * handle (< PL_NODE_MAX_PEERS) or -1 when the table is full. The node
 * queues its HELLO (SPEC §14.3); HEADS follow the peer's HELLO. */
int pl_node_peer_open(pl_node *n, const uint8_t pk[PL_PK_BYTES], uint64_t now_ms);
void pl_node_peer_close(pl_node *n, uint32_t peer);

/* One frame from a peer. Output is queued until pl_node_flush. */
void pl_node_frame(pl_node *n, uint32_t peer, const uint8_t *in, size_t len, uint64_t now_ms);

/* The same in two steps, so that the costly part (decoding and checking
 * the signature of an embedded message) can run on other threads:
 * pl_node_predecode reads only its input and is safe to call concurrently;
 * pl_node_frame_pre then acts on it, in arrival order, and frees it. */
typedef struct {
    int rc;       /* of the frame's decoding */
    pl_wire w;
    int msg_rc;   /* of the embedded message's, for a MSG */
    pl_msg *m;
    size_t len;
} pl_node_pre;
void pl_node_predecode(const uint8_t *in, size_t len, pl_node_pre *pre);
/* The peer's rate bucket (SPEC §14.10), before any work on a frame: 1 to
 * go on, 0 if the frame is to be dropped (the node tells the peer). */
int pl_node_rate(pl_node *n, uint32_t peer, uint64_t now_ms);
void pl_node_frame_pre(pl_node *n, uint32_t peer, pl_node_pre *pre, uint64_t now_ms);
void pl_node_pre_free(pl_node_pre *pre);

/* Commits the batch and emits the queued frames. A failed commit is fatal
 * for the process (the caller exits; nothing was acknowledged). */
__attribute__((warn_unused_result)) int pl_node_flush(pl_node *n);

/* Timers: attestations, periodic HEADS, invitations fetching their
 * charter, the disk's retry. now_ms is the wall clock; when it steps back,
 * each timer restarts from the new time (nothing fires at the step, nothing
 * waits for the old time to come back). */
void pl_node_tick(pl_node *n, uint64_t now_ms);

/* Signs, stores and sends a message of one of the node's keys (author NULL:
 * keys[0]). Refused with the rule's code if the message would break one
 * (SPEC §13, pl_case_check), with PL_E_NOT_SYNCED when the node has not yet
 * learned its own latest messages in the case from a peer since it started
 * (SPEC §14.11) unless force is set. For a CHARTER the case is created. */
__attribute__((warn_unused_result)) int pl_node_post(pl_node *n,
                                                     const uint8_t case_id[PL_CASE_ID_BYTES],
                                                     uint64_t type, const uint8_t *body,
                                                     size_t body_len, const uint8_t *author,
                                                     int force, uint64_t now_ms,
                                                     uint8_t id[PL_ID_BYTES]);

/* The same with a key the caller unlocked for this one act (SPEC §14.12
 * *Held keys*): signer must be one of the held keys (else PL_E_ARG); the
 * node keeps no pointer to it, and the caller wipes it after. */
__attribute__((warn_unused_result)) int pl_node_post_with(pl_node *n,
                                                          const uint8_t case_id[PL_CASE_ID_BYTES],
                                                          uint64_t type, const uint8_t *body,
                                                          size_t body_len, const pl_key *signer,
                                                          int force, uint64_t now_ms,
                                                          uint8_t id[PL_ID_BYTES]);

/* Read access for the control channel. */
pl_store *pl_node_store(pl_node *n);
const pl_key *pl_node_key(const pl_node *n, size_t i); /* NULL past the last */
/* Every key the node speaks for: the unlocked ones, then the held ones;
 * NULL past the last. *held says which kind. */
const uint8_t *pl_node_own_pk(const pl_node *n, size_t i, int *held);
/* The file of a held key, or NULL when pk is not one. */
const char *pl_node_held_file(const pl_node *n, const uint8_t pk[PL_PK_BYTES]);
size_t pl_node_ncases(const pl_node *n);
/* The i-th hosted case (ascending by id); NULL past the last. */
const uint8_t *pl_node_case_id(const pl_node *n, size_t i);
/* The case's rules engine and verifier, loaded from the store if the case
 * is not resident (issue 17); NULL when the node does not host it or cannot
 * load it. Valid until the node next handles a frame, a post or a tick. */
pl_case *pl_node_case(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES]);
pl_verifier *pl_node_verifier(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES]);
int pl_node_case_synced(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES]);

/* Whether the node hosts the case (loads nothing). */
int pl_node_hosts(const pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES]);
/* Issue 17: what the node knows of the i-th case without loading it. */
typedef struct {
    uint8_t case_id[PL_CASE_ID_BYTES];
    uint64_t messages, bytes; /* messages held, and their stored bytes */
    pl_agreement_state state;
    uint64_t round, open_inputs, violations;
    int synced;   /* SPEC §14.11 */
    int resident; /* its rules engine is in memory now */
} pl_node_case_info;
int pl_node_case_summary(pl_node *n, size_t i, pl_node_case_info *info);
/* The cache of resident cases: how many, their estimated bytes, the budget. */
void pl_node_cache_get(const pl_node *n, size_t *resident, size_t *bytes, size_t *budget);

/* The connected peers known to hold message id of the case (SPEC §14.7:
 * their ACK, their HEADS, or they sent it): up to max of their keys into
 * pks, and the number; -1 when the node lacks the case or the message. */
int pl_node_holders(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES],
                    const uint8_t id[PL_ID_BYTES], uint8_t (*pks)[PL_PK_BYTES], size_t max);

/* The highest head of an author any peer claimed (SPEC §14.4), and which
 * peer key claimed it: 0 if none. An observer compares it with what it has
 * verified to tell when a relay withholds. */
int pl_node_claim(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES],
                  const uint8_t author[PL_PK_BYTES], uint64_t *seq, uint8_t by[PL_PK_BYTES],
                  uint64_t *since_ms);

/* Connected peers: whether handle i is in use, its key, whether HELLO came. */
int pl_node_peer_info(const pl_node *n, uint32_t i, uint8_t pk[PL_PK_BYTES], int *hello);

/* Counters since start. */
typedef struct {
    uint64_t frames_in, frames_out, refused, accepted, stored, proofs, attestations;
    uint64_t future; /* SPEC §6.5: messages stamped beyond PL_NODE_SKEW_MS ahead of our clock */
    uint64_t disk_full; /* issue 18 §4: 1 while the disk is full: nothing is stored */
} pl_node_stats;
void pl_node_stats_get(const pl_node *n, pl_node_stats *st);

#endif
