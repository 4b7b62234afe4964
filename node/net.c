/* The node's ZeroMQ shell (see net.h). One thread, one zmq_poll loop:
 * read a batch of frames from every ready socket into node.c, commit and
 * send (pl_node_flush), answer control requests, run the timers.
 *
 * Peers are handles of node.c. A dialled peer gets its handle when its
 * CURVE handshake succeeds (seen on the DEALER's monitor) and loses it on
 * disconnect; a peer that dialled us gets one on its first frame, keyed by
 * the ROUTER's routing id, and loses it when a send finds it gone. */
#define _GNU_SOURCE /* accept4 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/resource.h>
#ifdef __linux__
#include <linux/tcp.h> /* struct tcp_info with tcpi_bytes_received */
#include <netinet/in.h>
#endif
#include <time.h>
#include <unistd.h>

#include <pthread.h>
#include <stdatomic.h>

#include <sodium.h>
#include <zmq.h>

#include "ctl.h"
#include "net.h"
#include "young.h"

#define RID_MAX 256
#define ZAP_ENDPOINT "inproc://zeromq.zap.01"

struct link {
    int used;
    int dialled;      /* index into out[], or -1 for a ROUTER peer */
    uint8_t rid[RID_MAX];
    size_t rid_len;
    uint64_t last_ms;
    int gone;         /* a send found it disconnected: close after the flush */
    uint64_t gen;     /* which connection holds this handle now */
    /* A ROUTER peer's connection, from its first frame (ZMQ_SRCFD), so that
     * the listener's monitor can say when it is gone: descriptor + 1 (0:
     * unknown) and the peer's address, which tells it from a later
     * connection that reuses the number. */
    int srcfd1;
    struct sockaddr_storage peer;
    socklen_t plen;
    uint64_t recheck_ms; /* a DISCONNECTED named its descriptor: look again then */
};

/* A frame read and not yet handled: the batch is decoded (signatures
 * checked) on every core, then handed to the node in arrival order. */
struct inframe {
    uint32_t peer;
    uint64_t gen; /* the handle's connection when read: a handle reused (even
                     by the same key) must not inherit its frames */
    zmq_msg_t data;
    pl_node_pre pre;
};

struct out {
    uint8_t pk[PL_PK_BYTES];
    char endpoint[PL_NET_ENDPOINT_MAX];
    void *sock, *mon;
    int handle; /* node peer handle while connected, else -1 */
    /* A peer that refused our key (its ZAP said no: no case it hosts
     * named us yet) is dialled again at this time: libzmq itself does not
     * retry after a refused handshake (libzmq issue 3519), and the case
     * that names us may be created a moment later. 0: none pending. */
    uint64_t retry_ms;
    uint32_t retry_ivl;
};

struct pl_net {
    pl_node *node;
    pl_net_ui_fn ui_fn;
    void *ui_ctx;
    void *zctx;
    void *router, *zap;
    int control;   /* the control channel's listening Unix socket, or -1 */
    int spare_fd;  /* held open, so that an accept can succeed at EMFILE */
    uint8_t curve_pk[32], curve_sk[32];
    char home[4096];
    char endpoint[PL_NET_ENDPOINT_MAX];
    struct link links[PL_NODE_MAX_PEERS];
    struct out out[PL_NET_MAX_OUT];
    size_t nout;
    pl_log_level level;
    int stop;
    int control_bound;
    pl_net_control_fn control_fn; /* who answers it (parleyd: pl_control_handle) */
    void *control_ctx;
    int endpoint_written; /* HOME/endpoint is ours: removed at close */
    uint64_t zap_logged_ms;
    /* SPEC §14.1: accepted connections that have not authenticated, seen
     * on the ROUTER's monitor (lmon); at most young_cap are counted. */
    void *lmon;
    pl_young young;
    size_t young_cap;
    uint64_t young_logged_ms, young_shut;
    /* Connections the node closed: a ROUTER cannot cut one, so their
     * frames are dropped unread for a while (SPEC §14.8). */
    struct {
        uint8_t rid[RID_MAX];
        size_t rid_len;
        uint64_t until_ms;
    } banned[PL_NET_BANNED];
    size_t nbanned_next;
    /* Two batches in a pipeline: frames are read into batch and decoded
     * (on every core) while the previous batch, ready, is handed to the
     * node; so checking signatures overlaps storing and judging. */
    struct inframe *batch, *ready;
    size_t nbatch, nready;
    size_t batch_bytes; /* of the frames in batch */
    size_t uncommitted; /* frames handed to the node since the last commit */
    uint64_t next_gen;
    uint64_t mon_seq; /* dialled sockets' monitors, named once each */
    uint64_t first_uncommitted_ms;
    atomic_size_t next_decode;
    unsigned workers; /* threads besides this one that decode a batch */
};

uint64_t pl_net_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void pl_net_log(void *ctx, pl_log_level level, const char *line)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    pl_net *net = ctx;
    if (net != NULL && level > net->level)
        return;
    time_t t = time(NULL);
    struct tm tm;
    char ts[32];
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s parleyd %s: %s\n", ts, names[level], line);
}

static void logf_(pl_net *net, pl_log_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void logf_(pl_net *net, pl_log_level lv, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    pl_net_log(net, lv, line);
}

static void sockopt_int(void *s, int opt, int v)
{
    zmq_setsockopt(s, opt, &v, sizeof v);
}

/* Options every peer socket gets: bounds (SPEC §14.10) and liveness. */
static void peer_socket_opts(void *s)
{
    int64_t max = PL_NET_MAX_FRAME_READ;
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &max, sizeof max);
    sockopt_int(s, ZMQ_SNDHWM, PL_NET_SNDHWM);
    sockopt_int(s, ZMQ_RCVHWM, PL_NET_RCVHWM);
    sockopt_int(s, ZMQ_LINGER, 0);
    sockopt_int(s, ZMQ_HEARTBEAT_IVL, 2000);
    sockopt_int(s, ZMQ_HEARTBEAT_TIMEOUT, 6000);
    sockopt_int(s, ZMQ_HEARTBEAT_TTL, 6000);
    sockopt_int(s, ZMQ_RECONNECT_IVL, 200);
    sockopt_int(s, ZMQ_RECONNECT_IVL_MAX, 5000);
    sockopt_int(s, ZMQ_HANDSHAKE_IVL, 10000);
}

int pl_net_open(pl_node *node, const pl_key *identity, const char *home, pl_log_level level,
                pl_net **out)
{
    *out = NULL;
    pl_net *net = calloc(1, sizeof *net);
    if (net != NULL)
        net->control = -1, net->spare_fd = -1;
    if (net == NULL)
        return PL_E_NOMEM;
    net->node = node;
    net->level = level;
    net->batch = calloc(PL_NET_BATCH_MAX, sizeof *net->batch);
    net->ready = calloc(PL_NET_BATCH_MAX, sizeof *net->ready);
    if (net->batch == NULL || net->ready == NULL) {
        pl_net_close(&net);
        return PL_E_NOMEM;
    }
    /* One decoding thread per core besides the loop's own: the loop thread
     * spends much of its time in the kernel (sends, fsync), and a core it
     * leaves idle then still checks signatures. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    net->workers = cores > 1 ? (unsigned)cores : 0;
    if (net->workers > PL_NET_MAX_WORKERS)
        net->workers = PL_NET_MAX_WORKERS;
    snprintf(net->home, sizeof net->home, "%s", home);
    /* SPEC §14.1: the CURVE key pair is the Ed25519 identity, converted. */
    if (crypto_sign_ed25519_pk_to_curve25519(net->curve_pk, pl_key_pk(identity)) != 0 ||
        pl_key_curve_sk(identity, net->curve_sk) != PL_OK) {
        pl_net_close(&net);
        return PL_E_CRYPTO;
    }
    /* SPEC §14.1: without CURVE there is no transport worth having. */
    if (!zmq_has("curve")) {
        logf_(net, PL_LOG_ERROR, "this libzmq was built without CURVE; install a libzmq with libsodium");
        pl_net_close(&net);
        return PL_E_CRYPTO;
    }
    net->zctx = zmq_ctx_new();
    if (net->zctx == NULL) {
        pl_net_close(&net);
        return PL_E_IO;
    }
    /* The ZAP handler must be bound before any CURVE server socket. */
    net->zap = zmq_socket(net->zctx, ZMQ_REP);
    if (net->zap == NULL || zmq_bind(net->zap, ZAP_ENDPOINT) != 0) {
        pl_net_close(&net);
        return PL_E_IO;
    }
    *out = net;
    return PL_OK;
}

int pl_net_control(pl_net *net)
{
    /* The control channel: a Unix socket in the home directory, 0600, in a
     * directory that is 0700 (parleyd makes it so). Called once the store's
     * lock is ours, so the stale socket removed here is not a live node's.
     * A socket of the node's own, not libzmq's: libzmq's ipc listener aborts
     * the process when an accept finds no descriptor left (issue 18 §2),
     * while this one keeps a spare descriptor to answer its owner even then
     * (control.h says the framing). */
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int n = snprintf(sa.sun_path, sizeof sa.sun_path, "%s/control", net->home);
    if (n < 0 || (size_t)n >= sizeof sa.sun_path) {
        logf_(net, PL_LOG_ERROR, "home path too long for a control socket: %s", net->home);
        return PL_E_CONFIG;
    }
    unlink(sa.sun_path);
    net->control = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (net->control < 0)
        return PL_E_IO;
    mode_t old = umask(0077);
    int brc = bind(net->control, (const struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (brc != 0 || chmod(sa.sun_path, 0600) != 0 || listen(net->control, 64) != 0) {
        logf_(net, PL_LOG_ERROR, "cannot bind the control socket %s: %s", sa.sun_path,
              strerror(errno));
        return PL_E_IO;
    }
    net->control_bound = 1;
    net->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    return PL_OK;
}

void pl_net_set_node(pl_net *net, pl_node *node)
{
    net->node = node;
}

void pl_net_set_control(pl_net *net, pl_net_control_fn fn, void *ctx)
{
    net->control_fn = fn;
    net->control_ctx = ctx;
}

void pl_net_set_ui(pl_net *net, pl_net_ui_fn fn, void *ctx)
{
    net->ui_fn = fn;
    net->ui_ctx = ctx;
}

int pl_net_ui_link(pl_net *net, char *url, size_t cap)
{
    return net && net->ui_fn ? net->ui_fn(net->ui_ctx, url, cap) : PL_E_CONFIG;
}

void pl_net_close(pl_net **np)
{
    if (np == NULL || *np == NULL)
        return;
    pl_net *net = *np;
    for (size_t i = 0; i < net->nout; i++) {
        if (net->out[i].mon)
            zmq_close(net->out[i].mon);
        if (net->out[i].sock)
            zmq_close(net->out[i].sock);
    }
    for (size_t i = 0; net->batch && i < net->nbatch; i++)
        zmq_msg_close(&net->batch[i].data);
    for (size_t i = 0; net->ready && i < net->nready; i++) {
        pl_node_pre_free(&net->ready[i].pre);
        zmq_msg_close(&net->ready[i].data);
    }
    free(net->batch);
    free(net->ready);
    if (net->lmon) {
        zmq_socket_monitor(net->router, NULL, 0);
        zmq_close(net->lmon);
    }
    if (net->router)
        zmq_close(net->router);
    if (net->control >= 0)
        close(net->control);
    if (net->spare_fd >= 0)
        close(net->spare_fd);
    if (net->zap)
        zmq_close(net->zap);
    if (net->zctx)
        zmq_ctx_term(net->zctx);
    if (net->control_bound) {
        char path[4200];
        snprintf(path, sizeof path, "%s/control", net->home);
        unlink(path);
    }
    if (net->endpoint_written) { /* nobody listens there any more */
        char path[4200];
        snprintf(path, sizeof path, "%s/endpoint", net->home);
        unlink(path);
    }
    sodium_memzero(net->curve_sk, sizeof net->curve_sk);
    free(net);
    *np = NULL;
}

/* Writes HOME/endpoint atomically: tests and scripts read it. A temp of
 * this process's own (never through a planted link), synced, renamed, the
 * directory synced (issue 18 §5). */
static void write_endpoint(pl_net *net)
{
    char tmp[4200], path[4200];
    snprintf(path, sizeof path, "%s/endpoint", net->home);
    snprintf(tmp, sizeof tmp, "%s/endpoint.tmp.%ld", net->home, (long)getpid());
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    char line[PL_NET_ENDPOINT_MAX + 2];
    int n = snprintf(line, sizeof line, "%s\n", net->endpoint);
    int ok = n > 0 && write(fd, line, (size_t)n) == n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return;
    }
    net->endpoint_written = 1;
    int dfd = open(net->home, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
}

/* ---- young connections (SPEC §14.1) ------------------------------------
 * Anyone who reaches the port can open TCP connections, and each holds a
 * descriptor until libzmq's handshake timer closes it. The ROUTER's monitor
 * reports each accepted descriptor; a connection stops counting when its
 * first frame arrives (it authenticated: ZMQ_SRCFD names its descriptor).
 * Beyond young_cap the node shuts one down (young.c chooses), so strangers
 * never keep more than young_cap connections open.
 *
 * The address is read when the node reads the event, not at accept: that
 * is sound because libzmq (one io thread) queues DISCONNECTED for a
 * descriptor before it closes it, so a number is never reused before the
 * node has read its DISCONNECTED. Shut down, never closed: the descriptor
 * is libzmq's, which then sees end of file and closes it (a write of its
 * after the shutdown fails with EPIPE: parleyd ignores SIGPIPE). */

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The bound: PL_YOUNG_MAX, or a third of the descriptors the limit
 * leaves once the node is set up (listening, dialling, the web app), if
 * that is less; never below PL_YOUNG_MIN. */
static size_t young_bound(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return PL_YOUNG_MAX;
    size_t open_now = 0;
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL)
        return PL_YOUNG_MAX;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        open_now += e->d_name[0] != '.';
    closedir(d);
    open_now = open_now > 0 ? open_now - 1 : 0; /* the listing's own */
    size_t left = rl.rlim_cur > open_now ? (size_t)rl.rlim_cur - open_now : 0;
    size_t cap = left / 3;
    return cap > PL_YOUNG_MAX ? PL_YOUNG_MAX : cap < PL_YOUNG_MIN ? PL_YOUNG_MIN : cap;
}

/* Milliseconds since the peer last sent anything on fd, as the kernel
 * counts them (since the connection was made if it never did); 0 when it
 * cannot tell. */
static uint64_t idle_ms(int fd)
{
#ifdef __linux__
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
        len >= offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof ti.tcpi_last_data_recv)
        return ti.tcpi_last_data_recv;
#else
    (void)fd;
#endif
    return 0;
}

static uint64_t idle_of(int fd, void *ctx)
{
    (void)ctx;
    return idle_ms(fd);
}

/* Shuts connections down (young.h says which) until at most young_cap
 * are counted. */
static void young_evict(pl_net *net, uint64_t now)
{
    long i;
    while (pl_young_live(&net->young, mono_ms()) > net->young_cap &&
           (i = pl_young_pick(&net->young, idle_of, NULL)) >= 0) {
        pl_young_conn *pick = &net->young.c[i];
        /* only if it is still the connection that was accepted */
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        if (getpeername(pick->fd, (struct sockaddr *)&ss, &len) == 0 && len == pick->plen &&
            memcmp(&ss, &pick->peer, len) == 0)
            (void)shutdown(pick->fd, SHUT_RDWR);
        pick->shut = 1;
        net->young_shut++;
        if (now - net->young_logged_ms >= 1000) {
            logf_(net, PL_LOG_WARN,
                  "more than %zu connections have not authenticated; closing one of the host "
                  "with the most, idle longest (%llu so far; SPEC §14.1)", net->young_cap,
                  (unsigned long long)net->young_shut);
            net->young_logged_ms = now;
        }
    }
}

/* One event of a socket monitor: 0 and *event, *value, or -1 when none
 * waits (ZMQ monitor framing: u16 event and u32 value, then the address). */
static int monitor_event(void *mon, uint16_t *event, uint32_t *value)
{
    zmq_msg_t ev, addr;
    zmq_msg_init(&ev);
    if (zmq_msg_recv(&ev, mon, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&ev);
        return -1;
    }
    zmq_msg_init(&addr);
    if (zmq_msg_more(&ev))
        zmq_msg_recv(&addr, mon, 0);
    *event = 0, *value = 0;
    if (zmq_msg_size(&ev) >= 6) {
        memcpy(event, zmq_msg_data(&ev), 2);
        memcpy(value, (const uint8_t *)zmq_msg_data(&ev) + 2, 4);
    }
    zmq_msg_close(&ev);
    zmq_msg_close(&addr);
    return 0;
}

static void link_recheck(pl_net *net, uint32_t h, uint64_t now);

static void read_listen_monitor(pl_net *net, uint64_t now)
{
    uint16_t event;
    uint32_t value;
    while (monitor_event(net->lmon, &event, &value) == 0) {
        int fd = (int)value;
        if (fd < 0)
            continue; /* not a descriptor (never, from libzmq 4.3) */
        if (event == ZMQ_EVENT_DISCONNECTED) {
            pl_young_forget(&net->young, fd);
            for (uint32_t h = 0; h < PL_NODE_MAX_PEERS; h++)
                if (net->links[h].used && net->links[h].dialled < 0 && net->links[h].srcfd1 == fd + 1)
                    link_recheck(net, h, now);
        } else if (event == ZMQ_EVENT_ACCEPTED) {
            pl_young_forget(&net->young, fd); /* a missed DISCONNECTED: the number is reused */
            pl_young_conn y = {.fd = fd, .at_ms = mono_ms(), .plen = sizeof y.peer};
            if (getpeername(fd, (struct sockaddr *)&y.peer, &y.plen) != 0)
                continue; /* gone already */
            pl_young_live(&net->young, y.at_ms);
            (void)pl_young_add(&net->young, &y); /* no room: only shut ones past the bound */
            young_evict(net, now); /* after each: the table never overflows */
        }
    }
}

/* Whether a ROUTER peer's connection is still the one on its descriptor;
 * closes the link if not, else looks again in 200 ms (the DISCONNECTED may
 * precede the close by a moment). Only a link whose connection is gone is
 * closed: a later connection on the same number has another address. */
static void link_close(pl_net *net, uint32_t h);

static void link_recheck(pl_net *net, uint32_t h, uint64_t now)
{
    struct link *l = &net->links[h];
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getpeername(l->srcfd1 - 1, (struct sockaddr *)&ss, &len) != 0 || len != l->plen ||
        memcmp(&ss, &l->peer, len) != 0) {
        link_close(net, h);
        return;
    }
    l->recheck_ms = l->recheck_ms ? 0 : now + 200; /* once more, then it lives */
}

/* A frame came on fd: that connection authenticated (SPEC §14.1). */
static void young_authenticated(pl_net *net, zmq_msg_t *data)
{
    int fd = zmq_msg_get(data, ZMQ_SRCFD);
    if (fd >= 0 && net->young.n > 0)
        pl_young_forget(&net->young, fd);
}

int pl_net_listen(pl_net *net, const char *endpoint)
{
    net->router = zmq_socket(net->zctx, ZMQ_ROUTER);
    if (net->router == NULL)
        return PL_E_IO;
    peer_socket_opts(net->router);
    sockopt_int(net->router, ZMQ_ROUTER_MANDATORY, 1);
    sockopt_int(net->router, ZMQ_CURVE_SERVER, 1);
    zmq_setsockopt(net->router, ZMQ_CURVE_SECRETKEY, net->curve_sk, 32);
    zmq_setsockopt(net->router, ZMQ_ZAP_DOMAIN, "parley", 6);
    /* SPEC §14.1: every accepted connection is seen, from the first. An
     * unbounded monitor queue: at a bounded one libzmq's io thread would
     * block on a full queue and stall every connection. */
    if (zmq_socket_monitor(net->router, "inproc://parley-mon-listen",
                           ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED) != 0 ||
        (net->lmon = zmq_socket(net->zctx, ZMQ_PAIR)) == NULL ||
        zmq_setsockopt(net->lmon, ZMQ_RCVHWM, &(int){0}, sizeof(int)) != 0 ||
        zmq_connect(net->lmon, "inproc://parley-mon-listen") != 0) {
        logf_(net, PL_LOG_ERROR, "cannot watch the listening socket: %s", zmq_strerror(errno));
        return PL_E_IO;
    }
    if (zmq_bind(net->router, endpoint) != 0) {
        logf_(net, PL_LOG_ERROR, "cannot listen on %s: %s", endpoint, zmq_strerror(errno));
        return PL_E_IO;
    }
    size_t sz = sizeof net->endpoint;
    zmq_getsockopt(net->router, ZMQ_LAST_ENDPOINT, net->endpoint, &sz);
    write_endpoint(net);
    logf_(net, PL_LOG_INFO, "listening on %s", net->endpoint);
    return PL_OK;
}

int pl_net_connect(pl_net *net, const uint8_t pk[PL_PK_BYTES], const char *endpoint)
{
    if (net == NULL)
        return PL_E_ARG;
    for (size_t i = 0; i < net->nout; i++)
        if (net->out[i].sock != NULL && memcmp(net->out[i].pk, pk, PL_PK_BYTES) == 0 &&
            strcmp(net->out[i].endpoint, endpoint) == 0)
            return PL_OK; /* dialled already */
    if (strlen(endpoint) >= PL_NET_ENDPOINT_MAX)
        return PL_E_ARG;
    /* a slot a disconnect emptied, else a new one */
    size_t slot = net->nout;
    for (size_t i = 0; i < net->nout && slot == net->nout; i++)
        if (net->out[i].sock == NULL)
            slot = i;
    if (slot == PL_NET_MAX_OUT)
        return PL_E_ARG;
    struct out *o = &net->out[slot];
    memset(o, 0, sizeof *o);
    o->handle = -1;
    memcpy(o->pk, pk, PL_PK_BYTES);
    snprintf(o->endpoint, sizeof o->endpoint, "%s", endpoint);
    uint8_t server[32];
    if (crypto_sign_ed25519_pk_to_curve25519(server, pk) != 0)
        return PL_E_ARG;
    o->sock = zmq_socket(net->zctx, ZMQ_DEALER);
    if (o->sock == NULL)
        return PL_E_IO;
    peer_socket_opts(o->sock);
    /* Only to a completed connection: nothing may precede our HELLO. */
    sockopt_int(o->sock, ZMQ_IMMEDIATE, 1);
    zmq_setsockopt(o->sock, ZMQ_CURVE_SERVERKEY, server, 32);
    zmq_setsockopt(o->sock, ZMQ_CURVE_PUBLICKEY, net->curve_pk, 32);
    zmq_setsockopt(o->sock, ZMQ_CURVE_SECRETKEY, net->curve_sk, 32);
    /* a name never used before: a closed monitor's is released later */
    char mon[64];
    snprintf(mon, sizeof mon, "inproc://parley-mon-%llu", (unsigned long long)++net->mon_seq);
    if (zmq_socket_monitor(o->sock, mon,
                           ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED |
                               ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                               ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                               ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) != 0 ||
        (o->mon = zmq_socket(net->zctx, ZMQ_PAIR)) == NULL || zmq_connect(o->mon, mon) != 0 ||
        zmq_connect(o->sock, endpoint) != 0) {
        logf_(net, PL_LOG_ERROR, "cannot dial %s: %s", endpoint, zmq_strerror(errno));
        if (o->mon)
            zmq_close(o->mon);
        zmq_close(o->sock);
        o->sock = o->mon = NULL;
        return PL_E_IO;
    }
    if (slot == net->nout)
        net->nout++;
    logf_(net, PL_LOG_INFO, "dialling %s", endpoint);
    return PL_OK;
}

/* ---- sending ------------------------------------------------------------- */

void pl_net_send(void *ctx, uint32_t peer, const uint8_t *frame, size_t len)
{
    pl_net *net = ctx;
    struct link *l = &net->links[peer];
    if (!l->used || l->gone)
        return;
    int rc;
    if (l->dialled >= 0) {
        rc = zmq_send(net->out[l->dialled].sock, frame, len, ZMQ_DONTWAIT);
    } else {
        rc = zmq_send(net->router, l->rid, l->rid_len, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        if (rc >= 0)
            rc = zmq_send(net->router, frame, len, ZMQ_DONTWAIT);
    }
    if (rc < 0 && errno == EHOSTUNREACH)
        l->gone = 1;
    /* EAGAIN: the peer's queue is full (SPEC §14.10); the frame is dropped
     * and the peer catches up from the next HEADS. */
}

static void link_close(pl_net *net, uint32_t h)
{
    struct link *l = &net->links[h];
    if (!l->used)
        return;
    pl_node_peer_close(net->node, h);
    if (l->dialled >= 0)
        net->out[l->dialled].handle = -1;
    memset(l, 0, sizeof *l);
}

void pl_net_drop(void *ctx, uint32_t peer)
{
    pl_net *net = ctx;
    struct link *l = &net->links[peer];
    if (!l->used)
        return;
    if (l->dialled >= 0) {
        /* Re-dial later: the connection starts again with HELLO. */
        struct out *o = &net->out[l->dialled];
        zmq_disconnect(o->sock, o->endpoint);
        zmq_connect(o->sock, o->endpoint);
    } else {
        size_t b = net->nbanned_next++ % PL_NET_BANNED;
        memcpy(net->banned[b].rid, l->rid, l->rid_len);
        net->banned[b].rid_len = l->rid_len;
        net->banned[b].until_ms = pl_net_now_ms() + PL_NET_BAN_MS;
    }
    l->gone = 1;
}

static int is_banned(const pl_net *net, const uint8_t *rid, size_t len, uint64_t now)
{
    for (size_t b = 0; b < PL_NET_BANNED; b++)
        if (net->banned[b].until_ms > now && net->banned[b].rid_len == len &&
            memcmp(net->banned[b].rid, rid, len) == 0)
            return 1;
    return 0;
}

static void close_gone(pl_net *net)
{
    for (uint32_t h = 0; h < PL_NODE_MAX_PEERS; h++)
        if (net->links[h].used && net->links[h].gone)
            link_close(net, h);
}

/* ---- ZAP ------------------------------------------------------------------- */

/* RFC 27: version, request id, domain, address, identity, mechanism,
 * credentials; the reply names the user id we read back on each frame. */
static void zap_handle(pl_net *net)
{
    zmq_msg_t part[8];
    int n = 0, more = 1;
    while (more && n < 8) {
        zmq_msg_init(&part[n]);
        if (zmq_msg_recv(&part[n], net->zap, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&part[n]);
            break;
        }
        more = zmq_msg_more(&part[n]);
        n++;
    }
    while (more) { /* drain a malformed request */
        zmq_msg_t x;
        zmq_msg_init(&x);
        if (zmq_msg_recv(&x, net->zap, 0) < 0)
            more = 0;
        else
            more = zmq_msg_more(&x);
        zmq_msg_close(&x);
    }
    if (n < 2)
        goto done;
    const char *status = "400", *text = "refused: not a participant of a case this node hosts";
    char user[2 * PL_PK_BYTES + 1] = "";
    if (n == 7 && zmq_msg_size(&part[5]) == 5 && memcmp(zmq_msg_data(&part[5]), "CURVE", 5) == 0 &&
        zmq_msg_size(&part[6]) == 32) {
        uint8_t ed[PL_PK_BYTES];
        /* SPEC §14.1: participants of a hosted case, or configured peers. */
        if (pl_node_admit(net->node, zmq_msg_data(&part[6]), ed)) {
            status = "200", text = "OK";
            sodium_bin2hex(user, sizeof user, ed, PL_PK_BYTES);
        } else {
            char hex[65];
            sodium_bin2hex(hex, sizeof hex, zmq_msg_data(&part[6]), 32);
            char addr[64] = "?";
            size_t al = zmq_msg_size(&part[3]) < sizeof addr - 1 ? zmq_msg_size(&part[3])
                                                                  : sizeof addr - 1;
            memcpy(addr, zmq_msg_data(&part[3]), al);
            addr[al] = '\0';
            uint64_t now = pl_net_now_ms();
            if (now - net->zap_logged_ms >= 1000) { /* a line a second at most */
                logf_(net, PL_LOG_WARN, "refused connection from %s: CURVE key %.16s… names no participant (SPEC §14.1)",
                      addr, hex);
                net->zap_logged_ms = now;
            }
        }
    }
    zmq_send(net->zap, "1.0", 3, ZMQ_SNDMORE);
    zmq_send(net->zap, zmq_msg_data(&part[1]), zmq_msg_size(&part[1]), ZMQ_SNDMORE);
    zmq_send(net->zap, status, 3, ZMQ_SNDMORE);
    zmq_send(net->zap, text, strlen(text), ZMQ_SNDMORE);
    zmq_send(net->zap, user, strlen(user), ZMQ_SNDMORE);
    zmq_send(net->zap, "", 0, 0);
done:
    for (int i = 0; i < n; i++)
        zmq_msg_close(&part[i]);
}

/* ---- reading ---------------------------------------------------------------- */

static int find_rid(pl_net *net, const uint8_t *rid, size_t len)
{
    for (int h = 0; h < PL_NODE_MAX_PEERS; h++) {
        struct link *l = &net->links[h];
        if (l->used && l->dialled < 0 && l->rid_len == len && memcmp(l->rid, rid, len) == 0)
            return h;
    }
    return -1;
}

/* When the table is full, the ROUTER peer idle longest makes room. */
static void evict_idle(pl_net *net)
{
    int victim = -1, victim_hello = 1;
    for (int h = 0; h < PL_NODE_MAX_PEERS; h++) {
        struct link *l = &net->links[h];
        uint8_t pk[PL_PK_BYTES];
        int hello = 1;
        if (!l->used || l->dialled >= 0)
            continue;
        pl_node_peer_info(net->node, (uint32_t)h, pk, &hello);
        /* A connection that never said HELLO goes first, then the one idle
         * longest. */
        if (victim < 0 || (!hello && victim_hello) ||
            (hello == victim_hello && l->last_ms < net->links[victim].last_ms))
            victim = h, victim_hello = hello;
    }
    if (victim >= 0)
        link_close(net, (uint32_t)victim);
}

static void batch_add(pl_net *net, uint32_t peer, zmq_msg_t *data, uint64_t now)
{
    /* Over its rate, a frame costs the node nothing but this. */
    if (!pl_node_rate(net->node, peer, now))
        return;
    struct inframe *f = &net->batch[net->nbatch++];
    net->batch_bytes += zmq_msg_size(data);
    f->peer = peer;
    f->gen = net->links[peer].gen;
    zmq_msg_init(&f->data);
    zmq_msg_move(&f->data, data);
}

static void *decode_some(void *arg)
{
    pl_net *net = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&net->next_decode, 1);
        if (i >= net->nbatch)
            return NULL;
        struct inframe *f = &net->batch[i];
        pl_node_predecode(zmq_msg_data(&f->data), zmq_msg_size(&f->data), &f->pre);
    }
}

/* Hands the ready batch to the node in arrival order. */
static void ready_run(pl_net *net, uint64_t now)
{
    if (net->nready > 0 && net->uncommitted == 0)
        net->first_uncommitted_ms = now;
    net->uncommitted += net->nready;
    for (size_t i = 0; i < net->nready; i++) {
        struct inframe *f = &net->ready[i];
        struct link *l = &net->links[f->peer];
        if (l->used && !l->gone && l->gen == f->gen)
            pl_node_frame_pre(net->node, f->peer, &f->pre, now);
        else
            pl_node_pre_free(&f->pre);
        zmq_msg_close(&f->data);
    }
    net->nready = 0;
}

/* One step of the pipeline: the worker threads start decoding the batch
 * just read; this thread hands the previous batch to the node, then helps
 * decode; the decoded batch becomes the ready one. */
static void batch_run(pl_net *net, uint64_t now)
{
    pthread_t t[PL_NET_MAX_WORKERS];
    unsigned started = 0;
    atomic_store(&net->next_decode, 0);
    if (net->nbatch >= 16)
        for (; started < net->workers; started++)
            if (pthread_create(&t[started], NULL, decode_some, net) != 0)
                break;
    ready_run(net, now);
    decode_some(net);
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    struct inframe *x = net->ready;
    net->ready = net->batch;
    net->nready = net->nbatch;
    net->batch = x;
    net->nbatch = 0;
    net->batch_bytes = 0;
}

static int read_router(pl_net *net, uint64_t now)
{
    int got = 0;
    for (; got < PL_NET_BATCH && net->nbatch < PL_NET_BATCH_MAX &&
           net->batch_bytes < PL_NET_BATCH_BYTES;
         got++) {
        zmq_msg_t rid, data;
        zmq_msg_init(&rid);
        if (zmq_msg_recv(&rid, net->router, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&rid);
            break;
        }
        zmq_msg_init(&data);
        int ok = zmq_msg_more(&rid) && zmq_msg_recv(&data, net->router, 0) >= 0;
        while (ok && zmq_msg_more(&data)) { /* SPEC §14.1: one part; drop extras */
            zmq_msg_t x;
            zmq_msg_init(&x);
            zmq_msg_recv(&x, net->router, 0);
            int m = zmq_msg_more(&x);
            zmq_msg_close(&x);
            if (!m)
                break;
        }
        if (ok)
            young_authenticated(net, &data);
        if (ok && zmq_msg_size(&rid) <= RID_MAX &&
            !is_banned(net, zmq_msg_data(&rid), zmq_msg_size(&rid), now)) {
            const char *user = zmq_msg_gets(&data, "User-Id");
            uint8_t pk[PL_PK_BYTES];
            size_t pl;
            int authed = user != NULL &&
                         sodium_hex2bin(pk, sizeof pk, user, strlen(user), NULL, &pl, NULL) == 0 &&
                         pl == PL_PK_BYTES;
            int h = find_rid(net, zmq_msg_data(&rid), zmq_msg_size(&rid));
            /* A routing id is the peer's to choose: the link must also be
             * the key this frame was authenticated with, or it is another
             * connection reusing a stale id. */
            uint8_t lk[PL_PK_BYTES];
            int hello;
            if (h >= 0 && (!authed || !pl_node_peer_info(net->node, (uint32_t)h, lk, &hello) ||
                           sodium_memcmp(lk, pk, PL_PK_BYTES) != 0)) {
                link_close(net, (uint32_t)h);
                h = -1;
            }
            if (h < 0) {
                if (authed) {
                    h = pl_node_peer_open(net->node, pk, now);
                    if (h < 0) {
                        evict_idle(net);
                        h = pl_node_peer_open(net->node, pk, now);
                    }
                }
                if (h >= 0) {
                    struct link *l = &net->links[h];
                    memset(l, 0, sizeof *l);
                    l->used = 1;
                    l->gen = ++net->next_gen;
                    l->dialled = -1;
                    l->rid_len = zmq_msg_size(&rid);
                    memcpy(l->rid, zmq_msg_data(&rid), l->rid_len);
                }
            }
            if (h >= 0 && net->links[h].srcfd1 == 0) {
                struct link *l = &net->links[h];
                int fd = zmq_msg_get(&data, ZMQ_SRCFD);
                l->plen = sizeof l->peer;
                if (fd >= 0 && getpeername(fd, (struct sockaddr *)&l->peer, &l->plen) == 0)
                    l->srcfd1 = fd + 1;
            }
            if (h >= 0) {
                net->links[h].last_ms = now;
                if (!net->links[h].gone)
                    batch_add(net, (uint32_t)h, &data, now);
            }
        }
        zmq_msg_close(&data);
        zmq_msg_close(&rid);
    }
    return got;
}

static int read_dealer(pl_net *net, struct out *o, uint64_t now)
{
    int got = 0;
    for (; got < PL_NET_BATCH && net->nbatch < PL_NET_BATCH_MAX &&
           net->batch_bytes < PL_NET_BATCH_BYTES;
         got++) {
        zmq_msg_t data;
        zmq_msg_init(&data);
        if (zmq_msg_recv(&data, o->sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&data);
            break;
        }
        int multi = zmq_msg_more(&data);
        while (zmq_msg_more(&data)) { /* SPEC §14.1: one part; drop the whole message */
            zmq_msg_close(&data);
            zmq_msg_init(&data);
            if (zmq_msg_recv(&data, o->sock, 0) < 0)
                break;
        }
        if (o->handle >= 0 && !multi && !net->links[o->handle].gone) {
            net->links[o->handle].last_ms = now;
            batch_add(net, (uint32_t)o->handle, &data, now);
        }
        zmq_msg_close(&data);
    }
    return got;
}

static void read_monitor(pl_net *net, size_t oi, uint64_t now)
{
    struct out *o = &net->out[oi];
    uint16_t event;
    uint32_t value;
    while (monitor_event(o->mon, &event, &value) == 0) {
        if (event == ZMQ_EVENT_DISCONNECTED && o->handle >= 0) {
            logf_(net, PL_LOG_INFO, "lost %s; re-dialling", o->endpoint);
            link_close(net, (uint32_t)o->handle);
        } else if ((event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH ||
                    event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL ||
                    event == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) &&
                   o->handle < 0 && o->retry_ms == 0) {
            /* refused: dial again later, backing off to 10 s */
            o->retry_ivl = o->retry_ivl ? (o->retry_ivl >= 5000 ? 10000 : o->retry_ivl * 2) : 1000;
            o->retry_ms = now + o->retry_ivl;
            logf_(net, PL_LOG_INFO, "%s refused this node's key; dialling again in %u s",
                  o->endpoint, o->retry_ivl / 1000);
        } else if (event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
            o->retry_ms = 0;
            o->retry_ivl = 0;
            if (o->handle >= 0)
                link_close(net, (uint32_t)o->handle);
            int h = pl_node_peer_open(net->node, o->pk, now); /* queues HELLO */
            if (h >= 0) {
                struct link *l = &net->links[h];
                memset(l, 0, sizeof *l);
                l->used = 1;
                l->gen = ++net->next_gen;
                l->dialled = (int)oi;
                l->last_ms = now;
                o->handle = h;
            }
        }
    }
}

/* One control client: its request, the answer, closed (control.h). Only
 * the node's owner can connect (0600 in a 0700 home); a client that stalls
 * costs the loop at most the socket timeouts. */
static void serve_control(pl_net *net, int fd, uint64_t now)
{
    struct timeval tv = {.tv_sec = 5, .tv_usec = 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    uint8_t *req = NULL;
    size_t len;
    if (pl_control_read(fd, PL_NET_CONTROL_MAX, &req, &len) == PL_OK) {
        uint8_t *resp = NULL;
        size_t rlen = 0;
        if (net->control_fn)
            net->control_fn(net->control_ctx, req, len, now, &resp, &rlen);
        if (resp != NULL)
            (void)pl_control_write(fd, resp, rlen);
        free(resp);
        sodium_memzero(req, len); /* a post may carry a held key's passphrase */
    }
    free(req);
}

static void read_control(pl_net *net, uint64_t now)
{
    for (int k = 0; k < 16; k++) {
        int fd = accept4(net->control, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0 && (errno == EMFILE || errno == ENFILE) && net->spare_fd >= 0) {
            /* issue 18 §2: no descriptor left (peers' connections took
             * them): give the spare up for this one client, say so */
            close(net->spare_fd);
            net->spare_fd = -1;
            fd = accept4(net->control, NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0)
                logf_(net, PL_LOG_WARN, "no file descriptor left (peers' connections hold them); "
                                        "the control channel answers on a spare one");
        }
        if (fd < 0) {
            if (net->spare_fd < 0)
                net->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
            return;
        }
        serve_control(net, fd, now);
        close(fd);
        if (net->spare_fd < 0)
            net->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
}

int pl_net_run(pl_net *net, volatile sig_atomic_t *stop)
{
    /* SPEC §14.1: the bound, now that the node is set up (listening,
     * dialling, the web app) and before any stranger holds a descriptor */
    net->young_cap = young_bound();
    zmq_pollitem_t items[4 + 2 * PL_NET_MAX_OUT];
    while (!*stop && !net->stop) {
        size_t ni = 0;
        items[ni++] = (zmq_pollitem_t){.socket = net->zap, .events = ZMQ_POLLIN};
        items[ni++] = (zmq_pollitem_t){.socket = NULL, .fd = net->control, .events = ZMQ_POLLIN};
        if (net->router) {
            items[ni++] = (zmq_pollitem_t){.socket = net->router, .events = ZMQ_POLLIN};
            items[ni++] = (zmq_pollitem_t){.socket = net->lmon, .events = ZMQ_POLLIN};
        }
        size_t first_out = ni;
        for (size_t i = 0; i < net->nout; i++) {
            /* a peer no longer dialled (parley disconnect) keeps its place,
             * polled as no descriptor at all */
            void *so = net->out[i].sock, *mo = net->out[i].mon;
            items[ni++] = so ? (zmq_pollitem_t){.socket = so, .events = ZMQ_POLLIN}
                             : (zmq_pollitem_t){.socket = NULL, .fd = -1, .events = 0};
            items[ni++] = mo ? (zmq_pollitem_t){.socket = mo, .events = ZMQ_POLLIN}
                             : (zmq_pollitem_t){.socket = NULL, .fd = -1, .events = 0};
        }
        /* Decoded frames wait: look for more without blocking. */
        int rc = zmq_poll(items, (int)ni, net->nready > 0 ? 0 : 200);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            logf_(net, PL_LOG_ERROR, "poll: %s", zmq_strerror(errno));
            return PL_E_IO;
        }
        uint64_t now = pl_net_now_ms();
        if (net->router && (items[3].revents & ZMQ_POLLIN))
            read_listen_monitor(net, now);
        if (items[0].revents & ZMQ_POLLIN)
            zap_handle(net);
        for (size_t i = 0; i < net->nout; i++)
            if (items[first_out + 2 * i + 1].revents & ZMQ_POLLIN)
                read_monitor(net, i, now);
        if (net->router && (items[2].revents & ZMQ_POLLIN))
            read_router(net, now);
        for (size_t i = 0; i < net->nout; i++)
            if (items[first_out + 2 * i].revents & ZMQ_POLLIN)
                read_dealer(net, &net->out[i], now);
        batch_run(net, now);
        /* SPEC §14.7: commit, then acknowledge and relay. Under load the
         * commits are grouped (one fsync for many frames); when nothing
         * more is waiting, at once, so a lone message is not delayed. */
        if (net->nready == 0 || net->uncommitted >= PL_NET_COMMIT_FRAMES ||
            now - net->first_uncommitted_ms >= PL_NET_COMMIT_MS) {
            net->uncommitted = 0;
            /* a full disk is waited out (issue 18 §4); anything else stops */
            if ((rc = pl_node_flush(net->node)) != PL_OK && rc != PL_E_DISK) {
                logf_(net, PL_LOG_ERROR,
                      "batch failed: %s (%s); stopping (nothing unstored was acknowledged)",
                      pl_strerror(rc), rc == PL_E_STORE ? pl_store_error() : "the node stopped it");
                return rc;
            }
        }
        close_gone(net);
        if (items[1].revents & ZMQ_POLLIN) {
            /* What the control channel reports (export, cases) is durable. */
            net->uncommitted = 0;
            if ((rc = pl_node_flush(net->node)) != PL_OK && rc != PL_E_DISK)
                return rc;
            read_control(net, now);
        }
        pl_node_tick(net->node, now);
        for (uint32_t h = 0; h < PL_NODE_MAX_PEERS; h++)
            if (net->links[h].used && net->links[h].recheck_ms && now >= net->links[h].recheck_ms)
                link_recheck(net, h, now);
        for (size_t i = 0; i < net->nout; i++) {
            struct out *o = &net->out[i];
            if (o->sock != NULL && o->retry_ms != 0 && now >= o->retry_ms && o->handle < 0) {
                o->retry_ms = 0;
                zmq_disconnect(o->sock, o->endpoint);
                zmq_connect(o->sock, o->endpoint);
            }
        }
        close_gone(net);
    }
    /* A store failure seen by a control post or an attestation ends the
     * run as a failure too (exit 1), whatever stopped the loop. */
    int frc = pl_node_flush(net->node);
    return frc == PL_E_DISK ? PL_OK : frc; /* nothing unstored was acknowledged */
}

int pl_net_disconnect(pl_net *net, const uint8_t pk[PL_PK_BYTES])
{
    int n = 0;
    for (size_t i = 0; net != NULL && i < net->nout; i++) {
        struct out *o = &net->out[i];
        if (o->sock == NULL || memcmp(o->pk, pk, PL_PK_BYTES) != 0)
            continue;
        if (o->handle >= 0)
            link_close(net, (uint32_t)o->handle);
        zmq_socket_monitor(o->sock, NULL, 0);
        zmq_close(o->mon);
        zmq_close(o->sock);
        o->sock = o->mon = NULL;
        o->retry_ms = 0;
        logf_(net, PL_LOG_INFO, "no longer dialling %s", o->endpoint);
        n++;
    }
    /* and no connection of that key's stays open (the node no longer
     * admits it unless a case names it) */
    for (uint32_t h = 0; net != NULL && h < PL_NODE_MAX_PEERS; h++) {
        uint8_t k[PL_PK_BYTES];
        int hello;
        if (net->links[h].used && net->links[h].dialled < 0 &&
            pl_node_peer_info(net->node, h, k, &hello) && memcmp(k, pk, PL_PK_BYTES) == 0 &&
            !pl_node_admit_key(net->node, pk))
            link_close(net, h);
    }
    return n;
}

const char *pl_net_endpoint(const pl_net *net)
{
    return net ? net->endpoint : "";
}

void pl_net_request_stop(pl_net *net)
{
    if (net)
        net->stop = 1;
}

size_t pl_net_nout(const pl_net *net)
{
    return net ? net->nout : 0;
}

int pl_net_out_info(const pl_net *net, size_t i, uint8_t pk[PL_PK_BYTES], const char **endpoint,
                    int *connected)
{
    if (net == NULL || i >= net->nout || net->out[i].sock == NULL)
        return 0;
    memcpy(pk, net->out[i].pk, PL_PK_BYTES);
    *endpoint = net->out[i].endpoint;
    *connected = net->out[i].handle >= 0;
    return 1;
}
