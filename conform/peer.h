/* A raw wire peer: a ZeroMQ DEALER secured with CURVE that speaks the
 * frames of SPEC §14.2 directly, to send what a well-behaved node never
 * would. The node tests (harness.h) and the black-box conformance suite
 * (conform/, whose program it is) both use it; it needs nothing of the node but its
 * endpoint and its public key, so the suite links no node code. */
#ifndef PARLEY_TEST_PEER_H
#define PARLEY_TEST_PEER_H

#include <stddef.h>
#include <stdint.h>

#include "parley/parley.h"

uint64_t h_now_ms(void); /* monotonic */

typedef struct {
    void *ctx, *sock;
    pl_key *key;  /* the peer's identity: its CURVE key is this key, converted */
    int owns_key; /* h_peer_close destroys key */
} h_peer;

/* Dials endpoint as key, expecting the server whose Ed25519 key is
 * server_pk (SPEC §14.1: its CURVE server key is that key, converted).
 * With take, the peer owns key (even on failure); otherwise key must
 * outlive the peer. 0 or -1. */
int h_peer_open_key(h_peer *p, pl_key *key, int take, const uint8_t server_pk[PL_PK_BYTES],
                    const char *endpoint);
void h_peer_close(h_peer *p);
int h_peer_send_raw(h_peer *p, const uint8_t *b, size_t len);
int h_peer_send(h_peer *p, const pl_wire *w);
/* The next ZeroMQ message's first part as it came (malloc'd; free it), or
 * -1 after timeout_ms. */
int h_peer_recv_raw(h_peer *p, uint8_t **b, size_t *len, int timeout_ms);
/* The next frame (decoded), or -1 after timeout_ms or if it does not decode. */
int h_peer_recv(h_peer *p, pl_wire *w, int timeout_ms);
/* Waits for a frame of the kind (skipping others); for ERROR, with code
 * when code != 0; for ACK, with id when id != NULL. 0 or -1. */
int h_peer_expect(h_peer *p, pl_wire_kind kind, int code, const uint8_t *id, int timeout_ms);
/* HELLO naming the case (or none), then waits for the node's HELLO. */
int h_peer_hello(h_peer *p, const uint8_t case_id[PL_CASE_ID_BYTES]);
int h_peer_send_hello(h_peer *p, const uint8_t case_id[PL_CASE_ID_BYTES]);

#endif
