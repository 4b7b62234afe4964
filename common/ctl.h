/* The local control channel: how `parley` (and tests) drive a running
 * parleyd. Requests and answers are msgpack on a 0600 Unix stream socket in
 * the node's home (HOME/control); only the node's owner can reach it. One
 * connection carries one request and its answer, each framed as a 4-byte
 * big-endian length and that many bytes; the node then closes it.
 *
 * Request: [version, verb, args…] (version PL_CONTROL_VERSION: a request
 * of another version is refused with PL_E_CONTROL saying so). Answer:
 * [0, result] or [code, text] with code a negative PL_E_* (the text says
 * what to do next). Below, requests are shown without the version.
 *
 *   ["status"]                      → {key, keys, held, endpoint, cases, peers, dialled,
 *                                      stats}
 *   ["cases"]                       → [[case id, messages, state, round, synced,
 *                                       violations, open inputs]]
 *   ["heads", case]                 → [[author, seq, id, claimed seq, claimed by | nil]]
 *   ["post", case, type, body, author | nil, force, passphrase | nil]
 *                                   → message id (signed, stored, sent); the
 *                                     passphrase (optional) unlocks a held key
 *                                     for this act only (SPEC §14.12)
 *   ["export", case]                → the case's log file bytes (SPEC §8)
 *   ["connect", key, endpoint]      → nil (dials now and after restarts)
 *   ["disconnect", key]             → nil (stops dialling it, and forgets it)
 *   ["ui"]                          → a one-time login URL of the web app
 *   ["held", case, message id]      → [key of each connected peer known to
 *                                      hold it (its ACK, HEADS, or it sent it)]
 *   ["stop"]                        → nil (clean shutdown)
 *
 * This header is the channel's client side and its framing, which the
 * node's server side (node/control.c) shares; the CLI, the tests and
 * parley-conform talk to a node through it alone, never through the
 * node's own library.
 *
 * Ownership: *resp and *out are malloc'd (free()). */
#ifndef PARLEY_COMMON_CTL_H
#define PARLEY_COMMON_CTL_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "parley/parley.h"

#define PL_CONTROL_VERSION 1
#define PL_CONTROL_PASS_MAX 1024 /* bytes of a held key's passphrase in a post */
#define PL_CONTROL_MAX_KEYS 4    /* keys a node signs with (status "keys"): a defense node
                                    holds suspect and counsel keys */

/* The client side: starts a request [version, verb, …] in sb (which the
 * caller destroys): n counts the verb and its n - 1 arguments, which the
 * caller packs with pk; the version is added here. */
void pl_control_request_init(msgpack_sbuffer *sb, msgpack_packer *pk, size_t n, const char *verb);

/* The client side: one request, one answer, with a timeout. *resp is the
 * whole answer (free()); PL_E_IO if the node did not answer in time (is it
 * running? the error says so). */
__attribute__((warn_unused_result)) int pl_control_call(const char *home, const uint8_t *req,
                                                        size_t len, int timeout_ms,
                                                        uint8_t **resp, size_t *resp_len);

/* The framing, both sides: one length-prefixed value on a blocking socket
 * (its timeouts bound the wait). read refuses a length over max. PL_OK,
 * PL_E_IO, PL_E_TOO_BIG or PL_E_NOMEM; *out is malloc'd. */
int pl_control_read(int fd, size_t max, uint8_t **out, size_t *len);
int pl_control_write(int fd, const uint8_t *b, size_t len);

/* Whether a process holds the lock of the store at path (HOME/store.db),
 * as a running node does until its store is closed: 1 held, 0 free (or
 * no store yet), negative on failure (SPEC §14.12 *Stop*). Takes nothing
 * (F_OFD_GETLK on path.lock): `parley stop` waits on it, and parleyd
 * refuses a home in use with it. */
__attribute__((warn_unused_result)) int pl_store_in_use(const char *path);

#endif
