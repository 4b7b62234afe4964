/* Which unauthenticated connection goes (node/young.c, SPEC §14.1): the
 * host holding the most goes first, then the one silent longest, then the
 * oldest; connections shut down or older than 11 s are not counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "young.h"

static uint64_t idle_by_fd[1024];

static uint64_t idle(int fd, void *ctx)
{
    (void)ctx;
    return idle_by_fd[fd];
}

static pl_young_conn conn(int fd, const char *ip, uint16_t port, uint64_t at)
{
    pl_young_conn c;
    memset(&c, 0, sizeof c);
    struct sockaddr_in *a = (struct sockaddr_in *)&c.peer;
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    inet_pton(AF_INET, ip, &a->sin_addr);
    c.plen = sizeof *a;
    c.fd = fd;
    c.at_ms = at;
    return c;
}

/* A party's connection is never the one that goes while a host holds
 * more, however long it has been silent (a slow link). */
static void test_the_flooding_host_goes_first(void **state)
{
    (void)state;
    pl_young t = {.n = 0};
    memset(idle_by_fd, 0, sizeof idle_by_fd);
    pl_young_conn party = conn(10, "10.0.0.1", 4000, 1000);
    assert_int_equal(pl_young_add(&t, &party), 0);
    idle_by_fd[10] = 5000; /* silent longest of all */
    for (int i = 0; i < 5; i++) {
        pl_young_conn c = conn(20 + i, "10.0.0.9", (uint16_t)(5000 + i), 1001 + (uint64_t)i);
        assert_int_equal(pl_young_add(&t, &c), 0);
        idle_by_fd[20 + i] = (uint64_t)(10 * i);
    }
    long i = pl_young_pick(&t, idle, NULL);
    assert_true(i >= 0);
    assert_int_equal(t.c[i].fd, 24); /* the flood's quietest */
}

static pl_young_conn conn6(int fd, const char *ip, uint16_t port, uint64_t at)
{
    pl_young_conn c;
    memset(&c, 0, sizeof c);
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&c.peer;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    inet_pton(AF_INET6, ip, &a->sin6_addr);
    c.plen = sizeof *a;
    c.fd = fd;
    c.at_ms = at;
    return c;
}

/* A flood from one IPv6 /64 counts as one host, however many addresses it
 * uses; an IPv4 address mapped into IPv6 is that IPv4 host. */
static void test_ipv6_by_prefix(void **state)
{
    (void)state;
    pl_young t = {.n = 0};
    memset(idle_by_fd, 0, sizeof idle_by_fd);
    pl_young_conn party = conn6(40, "2001:db8:1::1", 4000, 1);
    assert_int_equal(pl_young_add(&t, &party), 0);
    idle_by_fd[40] = 9000;
    char ip[64];
    for (int i = 0; i < 3; i++) {
        snprintf(ip, sizeof ip, "2001:db8:2:0::%x", 0x100 + i); /* one /64, three addresses */
        pl_young_conn c = conn6(50 + i, ip, (uint16_t)(5000 + i), 2 + (uint64_t)i);
        assert_int_equal(pl_young_add(&t, &c), 0);
    }
    long i = pl_young_pick(&t, idle, NULL);
    assert_true(i >= 0);
    assert_int_not_equal(t.c[i].fd, 40); /* the /64 holding three goes first */
    /* ::ffff:10.0.0.1 is 10.0.0.1 */
    pl_young u = {.n = 0};
    pl_young_conn a = conn6(60, "::ffff:10.0.0.1", 1, 1), b = conn(61, "10.0.0.1", 2, 2),
                  c = conn(62, "10.0.0.2", 3, 3);
    idle_by_fd[62] = 9000;
    assert_int_equal(pl_young_add(&u, &a), 0);
    assert_int_equal(pl_young_add(&u, &b), 0);
    assert_int_equal(pl_young_add(&u, &c), 0);
    assert_int_equal(u.c[pl_young_pick(&u, idle, NULL)].fd, 60);
}

/* Of one host, the one silent longest; of equals, the oldest. */
static void test_silent_longest_then_oldest(void **state)
{
    (void)state;
    pl_young t = {.n = 0};
    memset(idle_by_fd, 0, sizeof idle_by_fd);
    for (int i = 0; i < 4; i++) {
        pl_young_conn c = conn(30 + i, "127.0.0.2", (uint16_t)(6000 + i), 100 + (uint64_t)i);
        assert_int_equal(pl_young_add(&t, &c), 0);
        idle_by_fd[30 + i] = 7;
    }
    assert_int_equal(t.c[pl_young_pick(&t, idle, NULL)].fd, 30);
    idle_by_fd[32] = 8;
    assert_int_equal(t.c[pl_young_pick(&t, idle, NULL)].fd, 32);
}

/* Shut and old connections are not counted; a full table makes room only
 * from shut ones. */
static void test_counting(void **state)
{
    (void)state;
    pl_young t = {.n = 0};
    for (int i = 0; i < PL_YOUNG_SLOTS; i++) {
        pl_young_conn c = conn(100 + i, "127.0.0.3", (uint16_t)(7000 + i), 50000);
        assert_int_equal(pl_young_add(&t, &c), 0);
    }
    pl_young_conn extra = conn(999, "127.0.0.3", 9999, 50000);
    assert_int_equal(pl_young_add(&t, &extra), -1); /* nothing shut: no room */
    assert_int_equal(pl_young_live(&t, 50000), PL_YOUNG_SLOTS);
    t.c[3].shut = 1;
    assert_int_equal(pl_young_live(&t, 50000), PL_YOUNG_SLOTS - 1);
    assert_int_equal(pl_young_add(&t, &extra), 0); /* the shut one made room */
    assert_int_equal(t.c[t.n - 1].fd, 999);
    pl_young_forget(&t, 999);
    assert_int_equal(t.n, PL_YOUNG_SLOTS - 1);
    /* 11 s later none is young */
    assert_int_equal(pl_young_live(&t, 50000 + PL_YOUNG_MS), 0);
    assert_int_equal(t.n, 0);
    assert_int_equal(pl_young_pick(&t, idle, NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_flooding_host_goes_first),
        cmocka_unit_test(test_silent_longest_then_oldest),
        cmocka_unit_test(test_ipv6_by_prefix),
        cmocka_unit_test(test_counting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
