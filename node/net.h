/* The node's ZeroMQ shell (SPEC §14.1): CURVE keys derived from the node's
 * Ed25519 key, a ROUTER that peers dial, a DEALER per peer this node dials
 * (the counsel's laptop behind NAT only dials out), the ZAP handler that
 * admits participants only, the local control socket, and the poll loop
 * that feeds node.c and sends what it emits.
 *
 * Ownership: pl_net_open returns a net the caller frees with pl_net_close;
 * the node stays the caller's (it must outlive the net). */
#ifndef PARLEY_NODE_NET_H
#define PARLEY_NODE_NET_H

#include <signal.h>
#include <stdint.h>

#include "node.h"

#define PL_NET_MAX_OUT 64               /* peers this node dials */
#define PL_NET_ENDPOINT_MAX 256
#define PL_NET_SNDHWM 10000              /* frames queued to send per connection: several commits' worth */
/* Frames read ahead per connection: with the batch's bytes below, what
 * one peer pushing large frames holds in memory before it is judged
 * (issue 17, flood_rss: 200 frames of 60 KiB were 12 MiB) */
#define PL_NET_RCVHWM 32
#define PL_NET_MAX_FRAME_READ (2 * PL_WIRE_MAX_FRAME) /* larger: the connection is cut */
#define PL_NET_BANNED 64                 /* closed incoming connections remembered */
#define PL_NET_BAN_MS 60000              /* for this long their frames are dropped */
#define PL_NET_BATCH_MAX 512             /* frames decoded together, across peers */
#define PL_NET_BATCH_BYTES (4u << 20)    /* and their bytes: reading stops past it */
#define PL_NET_MAX_WORKERS 7             /* decoding threads besides the loop's */
#define PL_NET_COMMIT_FRAMES 2048        /* under load, commit at least this often */
#define PL_NET_COMMIT_MS 20              /* and at least this often */
#define PL_NET_BATCH 256                 /* frames read before a commit */
#define PL_NET_CONTROL_MAX (1u << 20)    /* bytes of one control request */

typedef struct pl_net pl_net;

/* The node's logging goes through the net's logger; level filters it. */
__attribute__((warn_unused_result)) int pl_net_open(pl_node *node, const pl_key *identity,
                                                    const char *home, pl_log_level level,
                                                    pl_net **out);
void pl_net_close(pl_net **net);

/* The log sink to put into pl_node_config (ctx: the net). */
void pl_net_log(void *net, pl_log_level level, const char *line);
void pl_net_send(void *net, uint32_t peer, const uint8_t *frame, size_t len);
void pl_net_drop(void *net, uint32_t peer);
/* Sets the node once it is open (the config above needs the net first). */
void pl_net_set_node(pl_net *net, pl_node *node);
/* The control verb "ui" (issue 16): how to make a one-time login link of
 * the web app the node serves (web.h, in parleyd); without one, the node
 * serves none and pl_net_ui_link is PL_E_CONFIG. */
typedef int (*pl_net_ui_fn)(void *ctx, char *url, size_t cap);
void pl_net_set_ui(pl_net *net, pl_net_ui_fn fn, void *ctx);
int pl_net_ui_link(pl_net *net, char *url, size_t cap);

/* Who answers the control channel (node/control.c's pl_control_handle,
 * wired by parleyd): the net only frames requests and answers, so that
 * net.c and control.c do not call each other (issue 13 §2). Without a
 * handler a request is closed unanswered. *resp is malloc'd (free()). */
typedef void (*pl_net_control_fn)(void *ctx, const uint8_t *req, size_t len, uint64_t now_ms,
                                  uint8_t **resp, size_t *resp_len);
void pl_net_set_control(pl_net *net, pl_net_control_fn fn, void *ctx);

/* Binds the control socket HOME/control (0600); after the store is open. */
__attribute__((warn_unused_result)) int pl_net_control(pl_net *net);

/* Listens on endpoint (tcp://host:port, port may be *); the bound endpoint
 * is written to HOME/endpoint and reported by status. */
__attribute__((warn_unused_result)) int pl_net_listen(pl_net *net, const char *endpoint);

/* Dials a peer: its Ed25519 key names its CURVE server key. */
__attribute__((warn_unused_result)) int pl_net_connect(pl_net *net, const uint8_t pk[PL_PK_BYTES],
                                                       const char *endpoint);

/* Stops dialling every endpoint of the peer with this key (parley
 * disconnect): its connection, if any, is closed. The number stopped. */
int pl_net_disconnect(pl_net *net, const uint8_t pk[PL_PK_BYTES]);

/* Runs until *stop is set (by a signal) or the control channel asks it to
 * stop. Returns 0 on a clean stop, a negative code on a fatal store error. */
int pl_net_run(pl_net *net, volatile sig_atomic_t *stop);

/* For the control channel. */
/* The read accessors and pl_net_request_stop accept NULL (no network: the
 * control channel's fuzz target drives pl_control_handle without one);
 * pl_net_connect(NULL, …) is PL_E_ARG. */
const char *pl_net_endpoint(const pl_net *net); /* "" when not listening */
void pl_net_request_stop(pl_net *net);
size_t pl_net_nout(const pl_net *net);
int pl_net_out_info(const pl_net *net, size_t i, uint8_t pk[PL_PK_BYTES], const char **endpoint,
                    int *connected);

/* Milliseconds since the epoch (the node's only clock). */
uint64_t pl_net_now_ms(void);

#endif
