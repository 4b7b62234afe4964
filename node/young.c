/* The policy of SPEC §14.1 for connections that have not authenticated
 * (see young.h): which are counted, and which one goes. */
#include <string.h>

#include <netinet/in.h>

#include "young.h"

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
    t->c[t->n++] = *c;
    return 0;
}

/* Whether two peers are the same host: the address without the port. */
static int same_host(const pl_young_conn *a, const pl_young_conn *b)
{
    const struct sockaddr *x = (const struct sockaddr *)&a->peer,
                          *y = (const struct sockaddr *)&b->peer;
    if (x->sa_family != y->sa_family)
        return 0;
    if (x->sa_family == AF_INET)
        return memcmp(&((const struct sockaddr_in *)x)->sin_addr,
                      &((const struct sockaddr_in *)y)->sin_addr, sizeof(struct in_addr)) == 0;
    if (x->sa_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)x)->sin6_addr,
                      &((const struct sockaddr_in6 *)y)->sin6_addr, sizeof(struct in6_addr)) == 0;
    return 1;
}

long pl_young_pick(const pl_young *t, uint64_t (*idle)(int fd, void *ctx), void *ctx)
{
    long pick = -1;
    size_t pick_host = 0;
    uint64_t pick_idle = 0;
    for (size_t i = 0; i < t->n; i++) { /* oldest first: equals keep the oldest */
        if (t->c[i].shut)
            continue;
        size_t host = 0;
        for (size_t k = 0; k < t->n; k++)
            host += !t->c[k].shut && same_host(&t->c[i], &t->c[k]);
        uint64_t quiet = idle(t->c[i].fd, ctx);
        if (pick < 0 || host > pick_host || (host == pick_host && quiet > pick_idle))
            pick = (long)i, pick_host = host, pick_idle = quiet;
    }
    return pick;
}
