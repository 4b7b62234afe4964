/* The control channel's client and framing (see ctl.h): what the CLI,
 * the tests and the conformance suite need to talk to a running parleyd,
 * and the length-prefixed frames the node's server side reads and writes
 * too. Nothing here knows the node's insides. */
#define _GNU_SOURCE /* F_OFD_GETLK */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <msgpack.h>

#include "ctl.h"

/* how many of the n bytes at s are hex digits, from the start */
static size_t hex_prefix_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isxdigit((unsigned char)s[i]))
        i++;
    return i;
}

static int nibble(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

int pl_control_id_has_prefix(const uint8_t id[32], const char *hex, size_t n)
{
    if (n > 64 || hex_prefix_len(hex, n) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (nibble(hex[i]) != (i % 2 ? id[i / 2] & 0x0f : id[i / 2] >> 4))
            return 0;
    return 1;
}

/* issue 13 §2: every verb of the channel, once. SPEC §14.12 lists them in
 * words; the answers below are what a client decodes. */
#define A(...) {__VA_ARGS__}
const pl_ctl_request pl_control_requests[PL_CTL_NVERBS] = {
    [PL_CTL_STATUS] = {"status", 0, 0, A(0), A(NULL),
                       "{key, keys, held, endpoint, cases, peers, dialled, stats}"},
    [PL_CTL_CASES] = {"cases", 0, 0, A(0), A(NULL),
                      "[[case id, messages, state, round, synced, violations, open inputs]]"},
    [PL_CTL_HEADS] = {"heads", 1, 0, A(PL_CTL_ARG_CASE), A("case"),
                      "[[author, seq, id, claimed seq, claimed by | nil]] (SPEC §14.4)"},
    [PL_CTL_READ] = {"read", 1, 0, A(PL_CTL_ARG_CASE_REF), A("case"),
                     "{case: id, keys: [the node's keys], log: the case's log file (SPEC "
                     "§8)}: what an act is built from, in one round trip"},
    [PL_CTL_POST] = {"post", 6, 1,
                     A(PL_CTL_ARG_CASE, PL_CTL_ARG_TYPE, PL_CTL_ARG_BODY, PL_CTL_ARG_KEY_OR_NIL,
                       PL_CTL_ARG_BOOL, PL_CTL_ARG_PASS_OR_NIL),
                     A("case", "type", "body", "author", "force", "passphrase"),
                     "the message id (signed, stored, sent; SPEC §14.6, §14.11, §14.12)"},
    [PL_CTL_EXPORT] = {"export", 1, 0, A(PL_CTL_ARG_CASE), A("case"),
                       "the case's log file (SPEC §8)"},
    [PL_CTL_CONNECT] = {"connect", 2, 0, A(PL_CTL_ARG_KEY, PL_CTL_ARG_ENDPOINT),
                        A("key", "endpoint"), "nil (dials now and after restarts)"},
    [PL_CTL_DISCONNECT] = {"disconnect", 1, 0, A(PL_CTL_ARG_KEY), A("key"),
                           "nil (stops dialling it, and forgets it)"},
    [PL_CTL_INVITATIONS] = {"invitations", 0, 0, A(0), A(NULL),
                            "[[case id, charter bytes]] (SPEC §14.3)"},
    [PL_CTL_ACCEPT] = {"accept", 1, 0, A(PL_CTL_ARG_CASE), A("case"), "nil (hosts the case)"},
    [PL_CTL_DECLINE] = {"decline", 1, 0, A(PL_CTL_ARG_CASE), A("case"),
                        "nil (forgets the invitation)"},
    [PL_CTL_UI] = {"ui", 0, 0, A(0), A(NULL), "a one-time login URL of the web app"},
    [PL_CTL_HELD] = {"held", 2, 0, A(PL_CTL_ARG_CASE, PL_CTL_ARG_ID), A("case", "message id"),
                     "[key of each connected peer known to hold it] (SPEC §14.7)"},
    [PL_CTL_STOP] = {"stop", 0, 0, A(0), A(NULL), "nil (clean shutdown)"},
};
#undef A

static const char *arg_kind_words(pl_ctl_arg k)
{
    switch (k) {
    case PL_CTL_ARG_CASE: return "a case id (32 bytes)";
    case PL_CTL_ARG_CASE_REF: return "a case id (32 bytes) or 8 to 64 hex digits of one";
    case PL_CTL_ARG_KEY: return "a public key (32 bytes)";
    case PL_CTL_ARG_KEY_OR_NIL: return "a public key (32 bytes) or nil";
    case PL_CTL_ARG_ID: return "a message id (32 bytes)";
    case PL_CTL_ARG_TYPE: return "a message type (an unsigned integer)";
    case PL_CTL_ARG_BODY: return "bytes";
    case PL_CTL_ARG_BOOL: return "true or false";
    case PL_CTL_ARG_PASS_OR_NIL: return "a passphrase of at most 1024 bytes, or nil";
    case PL_CTL_ARG_ENDPOINT: return "an endpoint (a string under 256 bytes)";
    }
    return "?";
}

static int bin32(const msgpack_object *o)
{
    return o->type == MSGPACK_OBJECT_BIN && o->via.bin.size == 32;
}

static int arg_ok(pl_ctl_arg k, const msgpack_object *o)
{
    switch (k) {
    case PL_CTL_ARG_CASE:
    case PL_CTL_ARG_KEY:
    case PL_CTL_ARG_ID: return bin32(o);
    case PL_CTL_ARG_CASE_REF:
        return bin32(o) || (o->type == MSGPACK_OBJECT_STR && o->via.str.size >= 8 &&
                            o->via.str.size <= 64 &&
                            hex_prefix_len(o->via.str.ptr, o->via.str.size) == o->via.str.size);
    case PL_CTL_ARG_KEY_OR_NIL: return o->type == MSGPACK_OBJECT_NIL || bin32(o);
    case PL_CTL_ARG_TYPE: return o->type == MSGPACK_OBJECT_POSITIVE_INTEGER;
    case PL_CTL_ARG_BODY: return o->type == MSGPACK_OBJECT_BIN;
    case PL_CTL_ARG_BOOL: return o->type == MSGPACK_OBJECT_BOOLEAN;
    case PL_CTL_ARG_PASS_OR_NIL:
        return o->type == MSGPACK_OBJECT_NIL ||
               (o->type == MSGPACK_OBJECT_STR && o->via.str.size <= PL_CONTROL_PASS_MAX);
    case PL_CTL_ARG_ENDPOINT:
        return o->type == MSGPACK_OBJECT_STR && o->via.str.size < PL_CONTROL_ENDPOINT_MAX &&
               memchr(o->via.str.ptr, '\0', o->via.str.size) == NULL;
    }
    return 0;
}

int pl_control_parse(const msgpack_object *o, pl_ctl_verb *verb, const msgpack_object **args,
                     unsigned *nargs, char *why, size_t cap)
{
    if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size == 0) {
        snprintf(why, cap, "malformed control request: not [version, verb, arguments...]");
        return PL_E_CONTROL;
    }
    const msgpack_object *a = o->via.array.ptr;
    uint32_t n = o->via.array.size;
    /* a client of another release is told so, instead of being misread */
    if (a[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER || a[0].via.u64 != PL_CONTROL_VERSION) {
        snprintf(why, cap,
                 "this node speaks control version %d and the request another: use the parley "
                 "of the same release as this parleyd",
                 PL_CONTROL_VERSION);
        return PL_E_CONTROL;
    }
    if (n < 2 || a[1].type != MSGPACK_OBJECT_STR) {
        snprintf(why, cap, "malformed control request: no verb");
        return PL_E_CONTROL;
    }
    const pl_ctl_request *r = NULL;
    int v;
    for (v = 0; v < PL_CTL_NVERBS; v++)
        if (strlen(pl_control_requests[v].verb) == a[1].via.str.size &&
            memcmp(pl_control_requests[v].verb, a[1].via.str.ptr, a[1].via.str.size) == 0) {
            r = &pl_control_requests[v];
            break;
        }
    if (r == NULL) {
        snprintf(why, cap, "unknown control request '%.*s': use the parley of the same release "
                 "as this parleyd",
                 (int)(a[1].via.str.size < 32 ? a[1].via.str.size : 32), a[1].via.str.ptr);
        return PL_E_CONTROL;
    }
    unsigned given = n - 2;
    if (given > r->nargs || given < r->nargs - r->optional) {
        if (r->optional)
            snprintf(why, cap, "%s takes %u or %u arguments, not %u", r->verb,
                     r->nargs - r->optional, r->nargs, given);
        else
            snprintf(why, cap, "%s takes %u argument%s, not %u", r->verb, r->nargs,
                     r->nargs == 1 ? "" : "s", given);
        return PL_E_CONTROL;
    }
    for (unsigned i = 0; i < given; i++)
        if (!arg_ok(r->args[i], &a[2 + i])) {
            snprintf(why, cap, "%s: argument %u (%s) must be %s", r->verb, i + 1, r->names[i],
                     arg_kind_words(r->args[i]));
            return PL_E_CONTROL;
        }
    *verb = (pl_ctl_verb)v;
    *args = a + 2;
    *nargs = given;
    return PL_OK;
}

void pl_control_request_init(msgpack_sbuffer *sb, msgpack_packer *pk, size_t n, const char *verb)
{
#ifndef NDEBUG
    int known = 0;
    for (int v = 0; v < PL_CTL_NVERBS; v++)
        known |= strcmp(pl_control_requests[v].verb, verb) == 0 && n >= 1 &&
                 n - 1 <= pl_control_requests[v].nargs &&
                 n - 1 >= pl_control_requests[v].nargs - pl_control_requests[v].optional;
    assert(known && "a control request the table does not have (common/ctl.c)");
#endif
    msgpack_sbuffer_init(sb);
    msgpack_packer_init(pk, sb, msgpack_sbuffer_write);
    msgpack_pack_array(pk, n + 1);
    msgpack_pack_uint64(pk, PL_CONTROL_VERSION);
    msgpack_pack_str(pk, strlen(verb));
    msgpack_pack_str_body(pk, verb, strlen(verb));
}


static int full_io(int fd, uint8_t *b, size_t n, int writing)
{
    size_t off = 0;
    while (off < n) {
        ssize_t r = writing ? write(fd, b + off, n - off) : read(fd, b + off, n - off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return PL_E_IO; /* an error, a timeout, or the other side closed */
        off += (size_t)r;
    }
    return PL_OK;
}

int pl_control_write(int fd, const uint8_t *b, size_t len)
{
    if (len > 0xffffffffu)
        return PL_E_TOO_BIG;
    uint8_t hdr[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                      (uint8_t)len};
    int rc = full_io(fd, hdr, 4, 1);
    return rc == PL_OK ? full_io(fd, (uint8_t *)b, len, 1) : rc;
}

int pl_control_read(int fd, size_t max, uint8_t **out, size_t *len)
{
    uint8_t hdr[4];
    *out = NULL;
    *len = 0;
    int rc = full_io(fd, hdr, 4, 0);
    if (rc != PL_OK)
        return rc;
    size_t n = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
    if (n > max)
        return PL_E_TOO_BIG;
    uint8_t *b = malloc(n ? n : 1);
    if (b == NULL)
        return PL_E_NOMEM;
    if ((rc = full_io(fd, b, n, 0)) != PL_OK) {
        free(b);
        return rc;
    }
    *out = b, *len = n;
    return PL_OK;
}

int pl_control_call(const char *home, const uint8_t *req, size_t len, int timeout_ms,
                    uint8_t **resp, size_t *resp_len)
{
    *resp = NULL;
    *resp_len = 0;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int n = snprintf(sa.sun_path, sizeof sa.sun_path, "%s/control", home);
    if (n < 0 || (size_t)n >= sizeof sa.sun_path)
        return PL_E_IO;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return PL_E_IO;
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int rc = PL_E_IO;
    struct ucred peer;
    socklen_t plen = sizeof peer;
    if (connect(fd, (const struct sockaddr *)&sa, sizeof sa) == 0) {
        /* The owner's tools trust what their node says (an act is built
         * from its log without checking every signature again: SPEC
         * §14.12): only a process of this same user may answer. */
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &plen) != 0 || plen != sizeof peer ||
            peer.uid != geteuid()) {
            close(fd);
            return PL_E_CONTROL;
        }
        if (pl_control_write(fd, req, len) == PL_OK)
            rc = pl_control_read(fd, (size_t)0x7fffffff, resp, resp_len);
    }
    close(fd);
    return rc == PL_OK ? PL_OK : rc == PL_E_NOMEM ? PL_E_NOMEM : PL_E_IO;
}

int pl_store_in_use(const char *path)
{
    char lock[4096];
    if (path == NULL || snprintf(lock, sizeof lock, "%s.lock", path) >= (int)sizeof lock)
        return PL_E_ARG;
    int fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? 0 : PL_E_IO;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    int rc = fcntl(fd, F_OFD_GETLK, &fl);
    close(fd);
    if (rc != 0)
        return PL_E_IO;
    return fl.l_type != F_UNLCK;
}
