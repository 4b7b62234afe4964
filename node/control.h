/* The local control channel: how `parley` (and tests) drive a running
 * parleyd. Requests and answers are msgpack on a 0600 Unix stream socket in
 * the node's home (HOME/control); only the node's owner can reach it. One
 * connection carries one request and its answer, each framed as a 4-byte
 * big-endian length and that many bytes; the node then closes it.
 *
 * The requests, their arguments and their answers are one table,
 * pl_control_requests[] in common/ctl.c (see common/ctl.h); this side
 * checks a request against it (pl_control_parse) and acts.
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
