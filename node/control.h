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
 * Ownership: pl_control_handle allocates *resp (free()). */
#ifndef PARLEY_NODE_CONTROL_H
#define PARLEY_NODE_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "ctl.h"
#include "net.h"
#include "node.h"

void pl_control_handle(pl_node *node, pl_net *net, const uint8_t *req, size_t len, uint64_t now_ms,
                       uint8_t **resp, size_t *resp_len);

#endif
