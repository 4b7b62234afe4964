/* Connections accepted and not yet authenticated (SPEC §14.1): the table
 * and the choice of which one to shut down, kept apart from the sockets
 * (net.c) so that the policy can be tested with made-up connections.
 *
 * Ownership: a pl_young table is plain data the caller embeds; nothing here
 * allocates, closes or shuts anything down. */
#ifndef PARLEY_NODE_YOUNG_H
#define PARLEY_NODE_YOUNG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define PL_YOUNG_MAX 64     /* counted connections at most, */
#define PL_YOUNG_MIN 4      /* whatever the descriptor limit */
#define PL_YOUNG_MS 11000   /* counted: accepted this recently, open, no frame yet */
#define PL_YOUNG_SLOTS (2 * PL_YOUNG_MAX)

typedef struct {
    int fd;
    struct sockaddr_storage peer; /* to tell the connection from a later one
                                     that reuses its descriptor */
    socklen_t plen;
    uint64_t at_ms; /* accepted, monotonic */
    int shut;       /* shut down already; no longer counted */
    uint8_t host[17]; /* set by pl_young_add: the host it counts for */
} pl_young_conn;

typedef struct {
    pl_young_conn c[PL_YOUNG_SLOTS]; /* oldest first */
    size_t n;
} pl_young;

/* Forgets what is no longer young at mono_ms; the number still counted. */
size_t pl_young_live(pl_young *t, uint64_t mono_ms);

/* Forgets the connection on fd (closed, or it delivered a frame). */
void pl_young_forget(pl_young *t, int fd);

/* Adds a connection accepted at c->at_ms (after pl_young_live): when the
 * table is full, only a connection already shut down makes room. 0, or -1
 * when there is no room (then it is not counted). */
int pl_young_add(pl_young *t, const pl_young_conn *c);

/* Which counted connection goes when there are too many: of the host
 * (address without port) that holds the most counted connections, the one
 * whose peer has been silent longest, the oldest of equals. idle(fd, ctx)
 * says how long, in ms. The index, or -1 when none is counted. */
long pl_young_pick(const pl_young *t, uint64_t (*idle)(int fd, void *ctx), void *ctx);

#endif
