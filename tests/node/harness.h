/* A harness for tests that run real parleyd processes on loopback: start,
 * stop, kill and restart nodes in a scratch directory, drive them over
 * their control channel, and speak the wire protocol directly as a raw
 * peer (to send what a well-behaved node never would).
 *
 * Keys are the test world's (tests/unit/world.h: tu_key(40 + party)), so a
 * test can build bodies with the world's helpers and check signatures. */
#ifndef PARLEY_TEST_HARNESS_H
#define PARLEY_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "parley/parley.h"
#include "peer.h"

typedef struct {
    char name[32];
    char home[512];
    pid_t pid;
    uint8_t pk[PL_PK_BYTES];   /* the node's identity (its first key) */
    unsigned seeds[4];         /* tu_key seeds of its keys */
    size_t nkeys;
    int listen, observer;
    char endpoint[256];        /* bound endpoint, "" when not listening */
} h_node;

/* A scratch root for this process (removed by h_teardown). */
void h_setup(const char *test_name);
void h_teardown(void);

/* Starts parleyd with the keys tu_key(seed) for each seed; waits until it
 * answers on its control channel. 0 or -1. */
int h_start(h_node *n, const char *name, const unsigned *seeds, size_t nkeys, int listen,
            int observer);
/* Starts it again with the same home and, when listening, the same port. */
int h_restart(h_node *n);
/* Runs the node expecting it to exit: its exit code, or -1 (killed) if it
 * still runs after timeout_ms. */
int h_run_to_exit(h_node *n, int timeout_ms);
/* "stop" over control, then waits: its exit code (0 for a clean stop; a
 * sanitizer's report makes it non-zero), -1 if it had to be killed. */
int h_stop(h_node *n);
void h_kill(h_node *n); /* SIGKILL and wait */
/* Sends sig and waits: the exit code, -1 if it did not exit in 10 s. */
int h_signal(h_node *n, int sig);

/* a dials b. */
int h_connect(h_node *a, const h_node *b);
/* a dials key at endpoint (b's key through a proxy, say). */
int h_connect_to(h_node *a, const uint8_t key[PL_PK_BYTES], const char *endpoint);

/* Signs, stores and sends a message of the node (author NULL: its first
 * key). Returns the node's code (0 or a PL_E_*). */
int h_post(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_body *b,
           const uint8_t *author, uint8_t id[PL_ID_BYTES]);
int h_post_force(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_body *b,
                 const uint8_t *author, uint8_t id[PL_ID_BYTES]);

typedef struct {
    uint64_t messages, round, violations, open_inputs;
    char state[32];
    int synced;
    int hosted;
} h_case_info;
int h_case(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], h_case_info *ci);

/* Polls until the node hosts the case with at least messages messages;
 * 0, or -1 after timeout_ms. */
int h_wait_messages(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t messages,
                    int timeout_ms);
/* A counter of the node's "stats" (frames_in, refused, proofs, …); -1 on error. */
int64_t h_stat(h_node *n, const char *name);
/* Number of peers connected with HELLO done. */
int h_peers(h_node *n);

/* The node's view of an author's head: verified seq, and the highest seq
 * a peer claimed (0 if none) and by whom (SPEC §14.4). -1 if unknown. */
int h_heads(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], const uint8_t author[PL_PK_BYTES],
            uint64_t *seq, uint64_t *claimed, uint8_t claimed_by[PL_PK_BYTES]);

/* The exported log (SPEC §8); free() it. */
int h_export(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint8_t **log, size_t *len);
/* Verifies a log and judges it; 0 if every message verifies. */
int h_log_verify(const uint8_t *log, size_t len, pl_case_status *st, size_t *nmsgs);
/* The same, keeping the judged case (pl_case_destroy it; NULL if the log
 * does not open); *verified is 0 if every message verifies, else -1. */
pl_case *h_log_judge(const uint8_t *log, size_t len, int *verified);

/* The node's exit code (128 + signal if killed) if its process has ended
 * by itself, reaped now; -1 while it runs (or if it was not started). */
int h_exited(h_node *n);
/* Starts the node without waiting for it to answer (to kill it during its
 * start-up): 0 or -1. */
int h_spawn(h_node *n);

/* An asynchronous control client: a DEALER on the node's control socket,
 * several requests in flight, answers in order; for tests that kill a node
 * while it handles them. */
/* Posts in flight to one node, answered in order: one control connection
 * each (control.h), oldest first. */
#define H_CTL_MAX 64
typedef struct {
    char home[512];
    int fd[H_CTL_MAX];
    size_t head, n;
} h_ctl;
int h_ctl_open(h_ctl *c, const h_node *n);
void h_ctl_close(h_ctl *c); /* safe twice */
/* Sends a post request (as h_post): 0 or -1. */
int h_ctl_post(h_ctl *c, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_body *b,
               const uint8_t *author);
/* The next answer: 0 and the message id, the node's PL_E_* code, or 1 if
 * none came within timeout_ms. */
int h_ctl_answer(h_ctl *c, int timeout_ms, uint8_t id[PL_ID_BYTES]);

/* A raw wire peer (peer.h) as the key tu_key(seed), dialling server. */
int h_peer_open(h_peer *p, unsigned seed, const h_node *server);

#endif

/* ---- for the benchmark (tests/bench) --------------------------------------- */

/* The scratch root of h_setup ("" before it). */
const char *h_root(void);
/* Like h_start without starting the node: its home and key files only, so
 * the caller can put a store.db or a parleyd.conf there first. Start it
 * with h_start_timed or h_restart. 0 or -1. */
int h_create(h_node *n, const char *name, const unsigned *seeds, size_t nkeys, int listen,
             int observer);
/* Starts the node and waits (up to timeout_ms) until it answers "status",
 * polling closely enough to time it: *ready_ms is the time from fork to the
 * answer. 0 or -1. */
int h_start_timed(h_node *n, int timeout_ms, double *ready_ms);
/* Forgets a node process that h_stop or h_kill reaped, so that h_teardown
 * never signals a pid that may since name another process. */
void h_forget(pid_t pid);
/* SIGKILLs every node process still known; only kill(2), so a signal
 * handler may call it. */
void h_kill_all(void);
