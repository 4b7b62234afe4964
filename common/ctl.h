/* The local control channel: how `parley` (and tests) drive a running
 * parleyd. Requests and answers are msgpack on a 0600 Unix stream socket in
 * the node's home (HOME/control); only the node's owner can reach it. One
 * connection carries one request and its answer, each framed as a 4-byte
 * big-endian length and that many bytes; the node then closes it.
 *
 * Request: [version, verb, args…] (version PL_CONTROL_VERSION: a request
 * of another version is refused with PL_E_CONTROL saying so). Answer:
 * [0, result] or [code, text] with code a negative PL_E_* (the text says
 * what to do next).
 *
 * The verbs, their arguments and their answers are one table,
 * pl_control_requests[] (ctl.c): the node's server checks every request
 * against it before it acts (pl_control_parse), and says which argument
 * is wrong; clients build requests from the same table
 * (pl_control_request_init checks the verb and the count).
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
#define PL_CONTROL_ENDPOINT_MAX 256 /* bytes of an endpoint, with its NUL (connect) */
#define PL_CONTROL_MAX_ARGS 6    /* arguments of a request, after the verb */

/* What an argument must be. */
typedef enum {
    PL_CTL_ARG_CASE = 1,   /* bin of 32 bytes: a case id */
    PL_CTL_ARG_CASE_REF,   /* a case id, or a str of 8 to 64 hex digits: a unique prefix */
    PL_CTL_ARG_KEY,        /* bin of 32 bytes: an Ed25519 public key */
    PL_CTL_ARG_KEY_OR_NIL, /* the same, or nil */
    PL_CTL_ARG_ID,         /* bin of 32 bytes: a message id */
    PL_CTL_ARG_TYPE,       /* a non-negative integer: a message type (SPEC §5) */
    PL_CTL_ARG_BODY,       /* bin: an encoded body */
    PL_CTL_ARG_BOOL,
    PL_CTL_ARG_PASS_OR_NIL, /* str of at most PL_CONTROL_PASS_MAX bytes, or nil */
    PL_CTL_ARG_ENDPOINT    /* str shorter than PL_CONTROL_ENDPOINT_MAX */
} pl_ctl_arg;

/* The verbs, in the order of pl_control_requests[]. */
typedef enum {
    PL_CTL_STATUS,
    PL_CTL_CASES,
    PL_CTL_HEADS,
    PL_CTL_READ,
    PL_CTL_POST,
    PL_CTL_EXPORT,
    PL_CTL_CONNECT,
    PL_CTL_DISCONNECT,
    PL_CTL_INVITATIONS,
    PL_CTL_ACCEPT,
    PL_CTL_DECLINE,
    PL_CTL_UI,
    PL_CTL_HELD,
    PL_CTL_STOP,
    PL_CTL_NVERBS
} pl_ctl_verb;

typedef struct {
    const char *verb;
    unsigned nargs;    /* arguments after the verb */
    unsigned optional; /* how many of the last may be left out */
    pl_ctl_arg args[PL_CONTROL_MAX_ARGS];
    const char *names[PL_CONTROL_MAX_ARGS]; /* each argument's name, for errors */
    const char *answer; /* the result, in words */
} pl_ctl_request;

extern const pl_ctl_request pl_control_requests[PL_CTL_NVERBS];

/* Whether the first n hex digits of a 32-byte id (a case's) are hex[0..n),
 * either case: how a person names a case by a prefix, on both sides of
 * the channel (the node's "read", parley's own listing). 0 for anything
 * but 0 to 64 hex digits. */
int pl_control_id_has_prefix(const uint8_t id[32], const char *hex, size_t n);

/* The server side: checks a decoded request o against the table: an
 * array [version, verb, args…] of this version, a known verb, the count
 * and the kind of every argument. PL_OK with *verb and *args (the first
 * argument, inside o) and *nargs; otherwise PL_E_CONTROL and, in why, a
 * sentence naming what is wrong (the version, the verb, or the argument by
 * position and name). */
int pl_control_parse(const msgpack_object *o, pl_ctl_verb *verb, const msgpack_object **args,
                     unsigned *nargs, char *why, size_t cap);

/* The client side: starts a request [version, verb, …] in sb (which the
 * caller destroys): n counts the verb and its n - 1 arguments, which the
 * caller packs with pk; the version is added here. The verb and the count
 * must be the table's (asserted: a client that drifts from the table fails
 * its tests, not a user's request). */
void pl_control_request_init(msgpack_sbuffer *sb, msgpack_packer *pk, size_t n, const char *verb);

/* The client side: one request, one answer, with a timeout. *resp is the
 * whole answer (free()); PL_E_IO if the node did not answer in time (is it
 * running? the error says so); PL_E_CONTROL, before anything is sent, if
 * the process at the socket is not this user's (SO_PEERCRED): the owner's
 * tools trust their node's word, and nobody else's. */
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
