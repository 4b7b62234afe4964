/* The policy of SPEC §14.1 for connections that have not authenticated
 * (see young.h): which are counted, and which one goes. */
#include <string.h>

#include <netinet/in.h>

#include "young.h"

/* A host as a flood comes from: an IPv4 address (also when mapped into
 * IPv6), or an IPv6 /64, which one subscriber commonly holds whole. 16
 * bytes; the family's byte first. */
static void host_of(const pl_young_conn *c, uint8_t out[17])
{
    const struct sockaddr *x = (const struct sockaddr *)&c->peer;
    memset(out, 0, 17);
    if (x->sa_family == AF_INET) {
        out[0] = 4;
        memcpy(out + 1, &((const struct sockaddr_in *)x)->sin_addr, 4);
    } else if (x->sa_family == AF_INET6) {
        const uint8_t *a = ((const struct sockaddr_in6 *)x)->sin6_addr.s6_addr;
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(a, mapped, 12) == 0) {
            out[0] = 4;
            memcpy(out + 1, a + 12, 4);
        } else {
            out[0] = 6;
            memcpy(out + 1, a, 8);
        }
    }
}

size_t pl_young_live(pl_young *t, uint64_t mono_ms)
{
    size_t k = 0, live = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (mono_ms - t->c[i].at_ms >= PL_YOUNG_MS)
            continue;
        t->c[k++] = t->c[i];
        live += !t->c[k - 1].shut;
    }
    t->n = k;
    return live;
}

static void drop(pl_young *t, size_t i)
{
    memmove(&t->c[i], &t->c[i + 1], (t->n - i - 1) * sizeof t->c[0]);
    t->n--;
}

void pl_young_forget(pl_young *t, int fd)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->c[i].fd == fd) {
            drop(t, i);
            return;
        }
}

int pl_young_add(pl_young *t, const pl_young_conn *c)
{
    if (t->n == PL_YOUNG_SLOTS)
        for (size_t i = 0; i < t->n; i++)
            if (t->c[i].shut) {
                drop(t, i);
                break;
            }
    if (t->n == PL_YOUNG_SLOTS)
        return -1;
    t->c[t->n] = *c;
    host_of(c, t->c[t->n].host);
    t->n++;
    return 0;
}

/* Whether two peers are the same host (host_of, computed once at add). */
static int same_host(const pl_young_conn *a, const pl_young_conn *b)
{
    return memcmp(a->host, b->host, sizeof a->host) == 0;
}

long pl_young_pick(const pl_young *t, uint64_t (*idle)(int fd, void *ctx), void *ctx)
{
    /* the host holding the most; idle times (a system call each) are asked
     * only of its connections: this runs once per accept under a flood */
    size_t count[PL_YOUNG_SLOTS] = {0}, most = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->c[i].shut)
            continue;
        for (size_t k = 0; k < t->n; k++)
            count[i] += !t->c[k].shut && same_host(&t->c[i], &t->c[k]);
        if (count[i] > most)
            most = count[i];
    }
    long pick = -1;
    uint64_t pick_idle = 0;
    for (size_t i = 0; i < t->n; i++) { /* oldest first: equals keep the oldest */
        if (t->c[i].shut || count[i] != most)
            continue;
        uint64_t quiet = idle(t->c[i].fd, ctx);
        if (pick < 0 || quiet > pick_idle)
            pick = (long)i, pick_idle = quiet;
    }
    return pick;
}
