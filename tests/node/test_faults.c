/* Fault injection for parleyd (SPEC §14.7, §14.11, §13.9, §13.20): four
 * real nodes negotiate Case 1 on loopback while a seeded schedule cuts,
 * refuses and holds their connections (a TCP proxy on every link a node
 * dials), stalls nodes (SIGSTOP), stops and restarts them, and kills them
 * with SIGKILL — at least 200 times — while the parties keep posting
 * (opinions, offers, responses, signatures, retractions, observations).
 *
 * Asserted all along: no message a node acknowledged (its control `post`
 * answered with an id, which it does only after the commit) is ever lost;
 * after every kill and restart the store passes SQLite's integrity check,
 * the node reloads it (verifying every message), its exported log
 * verifies and holds every acknowledged message of the node's keys; no
 * judged log, of any node at any time it is looked at, is final without
 * valid signatures of prosecution, suspect and counsel on one offer of the
 * current round; nobody equivocates. At the end, with every link restored,
 * the four nodes converge to byte-identical logs with identical heads that
 * hold every acknowledged message, and the negotiation is driven to a
 * final agreement that every node judges final.
 *
 * The seed is printed first (seed=N). PARLEY_FAULT_SEED=N replays the
 * fault schedule (what is done to which node or link, and when); process
 * timing is not replayed, so what the parties manage to post between
 * faults may differ. PARLEY_FAULT_KILLS sets the number of kills (default
 * 200), PARLEY_FAULT_SECONDS the time limit of the fault phase (default
 * 600). */
#define _GNU_SOURCE /* accept4, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "harness.h"
#include "testutil.h"
#include "world.h"

#define SEED(party) (40u + (unsigned)(party))

enum { NP, ND, NV, NO, NNODES }; /* the four nodes */
static const char *const node_name[NNODES] = {"prosecution", "defense", "victim", "observer"};

/* ---- a seeded PRNG (splitmix64) ------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(uint64_t *s, unsigned n)
{
    return (unsigned)(rng_next(s) % n);
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- a loopback TCP proxy per dialled link -------------------------------- */

/* One thread forwards every proxy's connections with poll(). The test
 * tells a proxy to cut its connections (FIN or RST), to refuse new ones for
 * a while (accepted and closed at once), or to hold them (nothing
 * forwarded, the bytes wait in the kernel: a partition that TCP does not
 * see, which only ZMTP heartbeats detect after 6 s, SPEC §14.1). Every
 * descriptor is close-on-exec: a node started meanwhile must not inherit
 * a connection and keep it open. */
#define PX_N 5
#define PX_CONNS 16
#define PX_BUF 65536
enum { PX_UP, PX_DOWN, PX_HOLD };

struct px_dir {
    uint8_t *buf;
    size_t off, len;
};
struct px_conn {
    int fd[2];          /* the dialler's side, the target's side; -1 when free */
    struct px_dir d[2]; /* d[k]: bytes read from fd[k], to write to fd[1 - k] */
};
struct proxy {
    int from, to; /* nodes */
    int lfd;
    uint16_t port, target_port;
    char endpoint[64];
    /* Set by the test under px.mu. */
    int mode, cut, rst;
    uint64_t until_ms;
    /* The thread's own. */
    struct px_conn c[PX_CONNS];
    uint64_t accepted;
};
static struct {
    pthread_t th;
    int running, stop;
    pthread_mutex_t mu;
    int wake[2];
    struct proxy p[PX_N];
} px = {.mu = PTHREAD_MUTEX_INITIALIZER, .wake = {-1, -1}};

static void px_close(struct px_conn *c, int rst)
{
    for (int k = 0; k < 2; k++) {
        if (c->fd[k] >= 0) {
            if (rst) {
                struct linger lg = {1, 0};
                setsockopt(c->fd[k], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            }
            close(c->fd[k]);
        }
        c->fd[k] = -1;
        free(c->d[k].buf);
        c->d[k].buf = NULL;
        c->d[k].off = c->d[k].len = 0;
    }
}

static int px_dial(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0)
        return -1;
    /* Loopback: refused or accepted (into the backlog) at once. */
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static void px_accept(struct proxy *p, int mode)
{
    int fd = accept4(p->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        return;
    struct px_conn *c = NULL;
    for (int i = 0; i < PX_CONNS && c == NULL; i++)
        if (p->c[i].fd[0] < 0)
            c = &p->c[i];
    int up = mode == PX_DOWN || c == NULL ? -1 : px_dial(p->target_port);
    if (up < 0) {
        close(fd);
        return;
    }
    c->fd[0] = fd, c->fd[1] = up;
    c->d[0].buf = malloc(PX_BUF);
    c->d[1].buf = malloc(PX_BUF);
    if (c->d[0].buf == NULL || c->d[1].buf == NULL)
        px_close(c, 0);
    else
        p->accepted++;
}

/* Moves bytes one way; 0, or -1 when the connection is over. */
static int px_pump(struct px_conn *c, int k, int writable)
{
    struct px_dir *d = &c->d[k];
    if (d->len == 0 && !writable) {
        ssize_t n = recv(c->fd[k], d->buf, PX_BUF, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            return -1;
        if (n < 0)
            return 0;
        d->off = 0, d->len = (size_t)n;
    }
    while (d->off < d->len) {
        ssize_t n = send(c->fd[1 - k], d->buf + d->off, d->len - d->off, MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR ? 0 : -1;
        d->off += (size_t)n;
    }
    d->off = d->len = 0;
    return 0;
}

static void *px_run(void *arg)
{
    (void)arg;
    enum { MAXFD = 1 + PX_N * (1 + 2 * PX_CONNS) };
    struct pollfd pf[MAXFD];
    struct {
        int p, c, k, what; /* what: 0 accept, 1 read fd[k], 2 write d[k] to fd[1-k] */
    } tag[MAXFD];
    int mode[PX_N];
    for (;;) {
        pthread_mutex_lock(&px.mu);
        if (px.stop) {
            pthread_mutex_unlock(&px.mu);
            break;
        }
        uint64_t now = h_now_ms();
        for (int i = 0; i < PX_N; i++) {
            struct proxy *p = &px.p[i];
            if (p->mode != PX_UP && now >= p->until_ms)
                p->mode = PX_UP;
            if (p->cut)
                for (int j = 0; j < PX_CONNS; j++)
                    px_close(&p->c[j], p->rst);
            p->cut = 0;
            mode[i] = p->mode;
        }
        pthread_mutex_unlock(&px.mu);

        int n = 0;
        pf[n] = (struct pollfd){.fd = px.wake[0], .events = POLLIN};
        tag[n++].what = -1;
        for (int i = 0; i < PX_N; i++) {
            struct proxy *p = &px.p[i];
            if (p->lfd < 0)
                continue;
            for (int j = 0; j < PX_CONNS && mode[i] != PX_HOLD; j++) {
                struct px_conn *c = &p->c[j];
                if (c->fd[0] < 0)
                    continue;
                for (int k = 0; k < 2; k++) {
                    int w = c->d[k].len > 0;
                    pf[n] =
                        (struct pollfd){.fd = c->fd[w ? 1 - k : k], .events = w ? POLLOUT : POLLIN};
                    tag[n].p = i, tag[n].c = j, tag[n].k = k, tag[n++].what = w ? 2 : 1;
                }
            }
            pf[n] = (struct pollfd){.fd = p->lfd, .events = POLLIN};
            tag[n].p = i, tag[n++].what = 0;
        }
        if (poll(pf, (nfds_t)n, 20) <= 0)
            continue;
        if (pf[0].revents & POLLIN) {
            char b[64];
            while (read(px.wake[0], b, sizeof b) > 0) {
            }
        }
        /* Connections first, accepts last: a descriptor closed here must
         * not be reused by an accept before its later entries are seen. */
        for (int e = 1; e < n; e++) {
            if (tag[e].what == 0 || pf[e].revents == 0)
                continue;
            struct px_conn *c = &px.p[tag[e].p].c[tag[e].c];
            if (c->fd[0] < 0)
                continue;
            if (px_pump(c, tag[e].k, tag[e].what == 2) != 0)
                px_close(c, 0);
        }
        for (int e = 1; e < n; e++)
            if (tag[e].what == 0 && (pf[e].revents & POLLIN))
                px_accept(&px.p[tag[e].p], mode[tag[e].p]);
    }
    return NULL;
}

static void px_wake(void)
{
    (void)!write(px.wake[1], "x", 1);
}

static int px_open(struct proxy *p, int from, int to, const h_node *target)
{
    memset(p, 0, sizeof *p);
    p->from = from, p->to = to;
    for (int j = 0; j < PX_CONNS; j++)
        p->c[j].fd[0] = p->c[j].fd[1] = -1;
    const char *colon = strrchr(target->endpoint, ':');
    if (colon == NULL)
        return -1;
    p->target_port = (uint16_t)atoi(colon + 1);
    p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(p->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (p->lfd < 0 || bind(p->lfd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(p->lfd, 64) != 0 || getsockname(p->lfd, (struct sockaddr *)&a, &al) != 0)
        return -1;
    p->port = ntohs(a.sin_port);
    snprintf(p->endpoint, sizeof p->endpoint, "tcp://127.0.0.1:%u", p->port);
    return 0;
}

static void px_stop(void)
{
    if (px.running) {
        pthread_mutex_lock(&px.mu);
        px.stop = 1;
        pthread_mutex_unlock(&px.mu);
        px_wake();
        pthread_join(px.th, NULL);
        px.running = 0;
    }
    for (int i = 0; i < PX_N; i++) {
        for (int j = 0; j < PX_CONNS; j++)
            if (px.p[i].c[j].fd[0] >= 0)
                px_close(&px.p[i].c[j], 0);
        if (px.p[i].lfd > 0)
            close(px.p[i].lfd);
        px.p[i].lfd = -1;
    }
    for (int k = 0; k < 2; k++)
        if (px.wake[k] >= 0)
            close(px.wake[k]);
    px.wake[0] = px.wake[1] = -1;
    px.stop = 0;
}

/* mode PX_UP with cut: close the connections now; PX_DOWN: and refuse new
 * ones for ms; PX_HOLD: forward nothing for ms. */
static void px_set(int i, int mode, int cut, int rst, unsigned ms)
{
    pthread_mutex_lock(&px.mu);
    px.p[i].mode = mode;
    px.p[i].cut = cut;
    px.p[i].rst = rst;
    px.p[i].until_ms = h_now_ms() + ms;
    pthread_mutex_unlock(&px.mu);
    px_wake();
}

/* ---- the fixture ----------------------------------------------------------- */

#define NTMPL 8
#define MAX_INFLIGHT 64

typedef struct {
    uint8_t id[PL_ID_BYTES];
    int party;
} acked_msg;

typedef struct { /* an input of SPEC §13.8 */
    uint8_t id[PL_ID_BYTES];
    int answered; /* by a response the prosecution's node acknowledged */
} pending_input;

/* A post sent and not yet answered. */
typedef struct {
    int party;
    uint64_t type;
    long input;                  /* the input a response answers, or -1 */
    uint8_t offer[PL_ID_BYTES];  /* the offer a signature names */
    uint8_t hash[PL_HASH_BYTES]; /* and its terms hash */
} inflight;

typedef struct {
    world w;
    int world_up;
    h_node n[NNODES];
    h_ctl ctl[NNODES];
    inflight fl[NNODES][MAX_INFLIGHT];
    int nfl[NNODES];
    uint64_t stall_until[NNODES]; /* 0: running freely */
    uint8_t case_id[PL_CASE_ID_BYTES];
    pl_body tmpl[NTMPL]; /* lawful terms to offer */

    acked_msg *acked;
    size_t nacked, capacked;
    pending_input *inputs;
    size_t ninputs, capinputs;

    /* What the parties know of the negotiation (from acknowledgements and
     * the logs judged along the way). */
    uint64_t round;
    int has_p_offer, has_d_offer, has_psign;
    uint8_t p_offer[PL_ID_BYTES], d_offer[PL_ID_BYTES];
    uint8_t psign_offer[PL_ID_BYTES]; /* the offer the prosecution signed this round */
    uint8_t psign_hash[PL_HASH_BYTES];
    int signed_s, signed_c;
    int d_sees_final;
    uint8_t session[PL_ID_BYTES]; /* the fixed session the defense signs in (SPEC §13.9 F0) */
    uint64_t last_checked[NNODES]; /* messages when a node's final state was last checked */

    uint64_t rng_sched, rng_move;
    uint64_t seed;
    unsigned kills, stops, cuts, downs, holds, stalls, steps, psign_tries;
    unsigned startup_kills, double_kills, pair_kills, burst_kills;
    unsigned zmq_aborts; /* libzmq's own assertion, upstream issue 4841 */
    unsigned posts, acks, lost_answers, finals_checked, texts;
    int refused_code[32];
    unsigned refused_count[32];
    double restart_ms[2048], sync_ms[2048];
    unsigned nrestart, nsync, sync_late;
} fixture;

static fixture F;
static volatile sig_atomic_t interrupted; /* by SIGTERM or SIGINT */

static const uint8_t *pk_of(int party)
{
    return pl_key_pk(F.w.k[party]);
}

static int node_of(int party)
{
    switch (party) {
    case W_P:
        return NP;
    case W_S:
    case W_C:
        return ND;
    case W_V:
        return NV;
    default:
        return NO;
    }
}

/* PARLEY_FAULT_DEBUG=1: what was refused, what the prosecution saw
 * before signing, a resync that took long. */
static void dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void dbg(const char *fmt, ...)
{
    if (getenv("PARLEY_FAULT_DEBUG") == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "faults: step %u: ", F.steps);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int node_avail(int i)
{
    return F.n[i].pid > 0 && F.stall_until[i] == 0;
}

/* Prints the end of every node's log, so a failure shows what the nodes
 * said; then fails. */
static void fail_with_logs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail_with_logs(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (interrupted)
        fail_msg("seed=%llu: interrupted by signal %d (%s)", (unsigned long long)F.seed,
                 (int)interrupted, msg);
    for (int i = 0; i < NNODES; i++) {
        char cmd[1200];
        fprintf(stderr, "---- %s (pid %d): last lines of %s/parleyd.log\n", node_name[i],
                (int)F.n[i].pid, F.n[i].home);
        snprintf(cmd, sizeof cmd, "tail -n 15 '%s/parleyd.log' >&2", F.n[i].home);
        (void)!system(cmd);
    }
    fail_msg("seed=%llu: %s (replay: PARLEY_FAULT_SEED=%llu)", (unsigned long long)F.seed, msg,
             (unsigned long long)F.seed);
}

static void ack_note(int party, const uint8_t id[PL_ID_BYTES])
{
    if (F.nacked == F.capacked) {
        F.capacked = F.capacked ? 2 * F.capacked : 1024;
        F.acked = realloc(F.acked, F.capacked * sizeof *F.acked);
        assert_non_null(F.acked);
    }
    memcpy(F.acked[F.nacked].id, id, PL_ID_BYTES);
    F.acked[F.nacked++].party = party;
    F.acks++;
}

static long input_find(const uint8_t id[PL_ID_BYTES])
{
    for (size_t i = 0; i < F.ninputs; i++)
        if (memcmp(F.inputs[i].id, id, PL_ID_BYTES) == 0)
            return (long)i;
    return -1;
}

static void input_note(const uint8_t id[PL_ID_BYTES], int answered)
{
    long i = input_find(id);
    if (i < 0) {
        if (F.ninputs == F.capinputs) {
            F.capinputs = F.capinputs ? 2 * F.capinputs : 256;
            F.inputs = realloc(F.inputs, F.capinputs * sizeof *F.inputs);
            assert_non_null(F.inputs);
        }
        i = (long)F.ninputs++;
        memcpy(F.inputs[i].id, id, PL_ID_BYTES);
        F.inputs[i].answered = 0;
    }
    F.inputs[i].answered |= answered;
}

static void new_round(uint64_t round)
{
    F.round = round;
    F.has_psign = F.signed_s = F.signed_c = 0;
    F.d_sees_final = 0;
}

/* ---- checks of a judged log -------------------------------------------------- */

/* SPEC §13.9, §13.20: a final state names valid signatures of the
 * prosecution, the suspect and counsel, by their keys, of the current
 * round, on one valid offer of that round and its terms; the defense's
 * after the prosecution's. And nobody forked (SPEC §14.11, §7). */
static void check_case(pl_case *c, const char *where)
{
    pl_case_status st;
    pl_case_status_get(c, &st);
    if (st.equivocations != 0)
        fail_with_logs("%s: %zu equivocations", where, st.equivocations);
    if (st.state == PL_AGREEMENT_WITHDRAWN || st.state == PL_AGREEMENT_CLOSED)
        fail_with_logs("%s: state %s, which nobody posted", where,
                       pl_agreement_state_name(st.state));
    if (st.state != PL_AGREEMENT_FINAL)
        return;
    F.finals_checked++;
    if (!st.has_terms || st.offer < 0)
        fail_with_logs("%s: final without an offer", where);
    const pl_body *ob = pl_case_body(c, (size_t)st.offer);
    if (ob == NULL || ob->type != PL_T_OFFER || pl_case_verdict(c, (size_t)st.offer) != PL_OK ||
        pl_case_round(c, (size_t)st.offer) != st.round ||
        memcmp(ob->u.offer.terms_hash, st.terms_hash, PL_HASH_BYTES) != 0)
        fail_with_logs("%s: final on an offer that is not a valid offer of round %llu", where,
                       (unsigned long long)st.round);
    const uint8_t *offer_id = pl_msg_id(pl_case_msg(c, (size_t)st.offer));
    const long sig[3] = {st.sign_prosecution, st.sign_suspect, st.sign_counsel};
    const pl_role role[3] = {PL_ROLE_PROSECUTION, PL_ROLE_SUSPECT, PL_ROLE_COUNSEL};
    const int party[3] = {W_P, W_S, W_C};
    static const char *const who[3] = {"prosecution", "suspect", "counsel"};
    for (int k = 0; k < 3; k++) {
        if (sig[k] < 0)
            fail_with_logs("%s: final without the %s's signature", where, who[k]);
        size_t i = (size_t)sig[k];
        const pl_body *b = pl_case_body(c, i);
        const pl_msg *m = pl_case_msg(c, i);
        if (b == NULL || b->type != PL_T_SIGN || pl_case_verdict(c, i) != PL_OK ||
            pl_case_msg_role(c, i) != role[k] ||
            memcmp(pl_msg_header(m)->author, pk_of(party[k]), PL_PK_BYTES) != 0 ||
            pl_case_round(c, i) != st.round ||
            memcmp(b->u.sign.offer, offer_id, PL_ID_BYTES) != 0 ||
            memcmp(b->u.sign.terms_hash, st.terms_hash, PL_HASH_BYTES) != 0)
            fail_with_logs("%s: final, but the %s's is not a valid signature of its role on "
                           "the offer",
                           where, who[k]);
        if (k > 0 && !pl_case_saw(c, i, (size_t)sig[0]))
            fail_with_logs("%s: a defense signature of the final agreement had not seen the "
                           "prosecution's",
                           where);
    }
}

/* What the parties learn from a judged log. */
static void learn(pl_case *c, int from_prosecution)
{
    pl_case_status st;
    pl_case_status_get(c, &st);
    if (st.round > F.round)
        new_round(st.round);
    if (st.round == F.round &&
        (st.state == PL_AGREEMENT_PENDING || st.state == PL_AGREEMENT_FINAL) && st.offer >= 0) {
        memcpy(F.psign_offer, pl_msg_id(pl_case_msg(c, (size_t)st.offer)), PL_ID_BYTES);
        memcpy(F.psign_hash, st.terms_hash, PL_HASH_BYTES);
        F.has_psign = 1;
        F.signed_s |= st.sign_suspect >= 0;
        F.signed_c |= st.sign_counsel >= 0;
    }
    if (!from_prosecution)
        return;
    /* Inputs stored but never acknowledged (their node was killed before
     * it answered) still oblige the prosecution (SPEC §13.8). */
    for (size_t i = 0; i < pl_case_count(c); i++)
        if (pl_case_is_input(c, i) == 1)
            input_note(pl_msg_id(pl_case_msg(c, i)), pl_case_input_answered(c, i) == 1);
}

/* Exports the case from node i, verifies and judges it: the caller
 * destroys the case. */
static pl_case *judged(int i, const char *where, uint8_t **log_out, size_t *len_out)
{
    uint8_t *log;
    size_t len;
    int rc = h_export(&F.n[i], F.case_id, &log, &len);
    if (rc != 0)
        fail_with_logs("%s: export from %s failed: %s", where, node_name[i], pl_errname(rc));
    int verified;
    pl_case *c = h_log_judge(log, len, &verified);
    if (c == NULL || verified != 0)
        fail_with_logs("%s: the log of %s does not verify (SPEC §6)", where, node_name[i]);
    check_case(c, where);
    if (log_out) {
        *log_out = log;
        *len_out = len;
    } else {
        free(log);
    }
    return c;
}

/* SPEC §14.7: every message node i acknowledged for its keys is in c. */
static void acked_present(pl_case *c, int node, const char *where)
{
    for (size_t a = 0; a < F.nacked; a++)
        if ((node < 0 || node_of(F.acked[a].party) == node) && pl_case_find(c, F.acked[a].id) < 0) {
            char hex[17];
            sodium_bin2hex(hex, sizeof hex, F.acked[a].id, 8);
            fail_with_logs("%s: acknowledged message %s… of party %d lost", where, hex,
                           F.acked[a].party);
        }
}

/* The store as SQLite sees it, next to the running node. */
static void store_integrity(int i, const char *where)
{
    char path[700];
    snprintf(path, sizeof path, "%s/store.db", F.n[i].home);
    sqlite3 *db;
    sqlite3_stmt *q;
    int ok = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_busy_timeout(db, 10000) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) == SQLITE_OK) {
        ok = sqlite3_step(q) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0 &&
             sqlite3_step(q) == SQLITE_DONE;
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    if (!ok)
        fail_with_logs("%s: the store of %s fails SQLite's integrity check", where, node_name[i]);
}

/* ---- posting --------------------------------------------------------------------- */

static int refusal_expected(int rc)
{
    switch (rc) {
    case PL_E_NOT_SYNCED: /* SPEC §14.11: after a restart, until a peer showed its heads */
    case PL_E_UNANSWERED: /* SPEC §13.8: an input the parties do not know of yet */
    case PL_E_TARGET:     /* SPEC §13.4: what it names has not reached the node yet */
    case PL_E_SIGN_ORDER: /* SPEC §13.9: the prosecution's signature has not reached it */
    case PL_E_SIGNED:     /* SPEC §13.9: signed already (its answer lost to a kill) */
    case PL_E_ENDED:      /* SPEC §13.10: the round ended meanwhile */
    case PL_E_NOT_FINAL:  /* SPEC §13.15: a retraction that came too early or too late */
        return 1;
    default:
        return 0;
    }
}

static void refusal_note(int rc)
{
    int k = 0;
    while (k < 32 && F.refused_count[k] > 0 && F.refused_code[k] != rc)
        k++;
    if (k < 32) {
        F.refused_code[k] = rc;
        F.refused_count[k]++;
    }
}

/* An answer to a post of node i: the acknowledgement, or a refusal. */
static void on_answer(int i, const inflight *f, int rc, const uint8_t id[PL_ID_BYTES])
{
    if (rc != 0) {
        if (!refusal_expected(rc))
            fail_with_logs("%s: post of type %llu by party %d refused: %s", node_name[i],
                           (unsigned long long)f->type, f->party, pl_errname(rc));
        refusal_note(rc);
        dbg("%s: type %llu by party %d refused: %s", node_name[i], (unsigned long long)f->type,
            f->party, pl_errname(rc));
        return;
    }
    ack_note(f->party, id);
    switch (f->type) {
    case PL_T_OPINION:
        input_note(id, 0);
        break;
    case PL_T_OFFER:
        if (f->party == W_P) {
            memcpy(F.p_offer, id, PL_ID_BYTES);
            F.has_p_offer = 1;
        } else {
            memcpy(F.d_offer, id, PL_ID_BYTES);
            F.has_d_offer = 1;
            input_note(id, 0); /* SPEC §13.8: a defense offer is an input */
        }
        break;
    case PL_T_RESPONSE:
        if (f->input >= 0)
            F.inputs[f->input].answered = 1;
        break;
    case PL_T_SIGN:
        if (f->party == W_P) {
            memcpy(F.psign_offer, f->offer, PL_ID_BYTES);
            memcpy(F.psign_hash, f->hash, PL_HASH_BYTES);
            F.has_psign = 1;
        }
        F.signed_s |= f->party == W_S;
        F.signed_c |= f->party == W_C;
        break;
    case PL_T_RETRACT:
        new_round(F.round + 1); /* SPEC §13.15: it opens the next round */
        break;
    default:
        break;
    }
}

static void send_post(int i, const pl_body *b, int party, long input)
{
    if (F.nfl[i] == MAX_INFLIGHT)
        return;
    inflight *f = &F.fl[i][F.nfl[i]];
    f->party = party;
    f->type = b->type;
    f->input = input;
    if (b->type == PL_T_SIGN) {
        memcpy(f->offer, b->u.sign.offer, PL_ID_BYTES);
        memcpy(f->hash, b->u.sign.terms_hash, PL_HASH_BYTES);
    }
    if (h_ctl_post(&F.ctl[i], F.case_id, b, pk_of(party)) != 0)
        fail_with_logs("could not send a post to %s", node_name[i]);
    F.nfl[i]++;
    F.posts++;
}

static void check_alive(void);

/* Waits for the answers to node i's posts: all of them from a running
 * node, and whatever had already left a node just killed. */
static void collect(int i, int killed)
{
    uint64_t until = h_now_ms() + 30000;
    for (int k = 0; k < F.nfl[i]; k++) {
        uint8_t id[PL_ID_BYTES];
        int rc;
        while ((rc = h_ctl_answer(&F.ctl[i], killed ? 50 : 200, id)) == 1 && !killed &&
               h_now_ms() < until)
            check_alive(); /* a node that crashed mid-post fails the test now */
        if (rc == 1) {
            if (!killed)
                fail_with_logs("%s did not answer a post in 30 s", node_name[i]);
            F.lost_answers += (unsigned)(F.nfl[i] - k);
            break;
        }
        on_answer(i, &F.fl[i][k], rc, id);
    }
    F.nfl[i] = 0;
}

static pl_body offer_body(unsigned tmpl, const uint8_t *answers)
{
    pl_body b = F.tmpl[tmpl % NTMPL];
    if (answers) {
        b.u.offer.has_answers = 1;
        memcpy(b.u.offer.answers, answers, PL_ID_BYTES);
    }
    return b;
}

static pl_body sign_body(const uint8_t offer[PL_ID_BYTES], const uint8_t hash[PL_HASH_BYTES])
{
    pl_body b = {.type = PL_T_SIGN};
    memcpy(b.u.sign.offer, offer, PL_ID_BYTES);
    memcpy(b.u.sign.terms_hash, hash, PL_HASH_BYTES);
    return b;
}

/* SPEC §13.9 F0 (v2): a defense signature names the fixed session, and
 * counsel's carries its witness. */
static pl_body defense_sign(pl_body b, int party)
{
    b.u.sign.has_session = 1;
    memcpy(b.u.sign.session, F.session, PL_ID_BYTES);
    b.u.sign.witness = party == W_C;
    return b;
}

static long open_input(void)
{
    long open[64];
    int n = 0;
    for (size_t i = 0; i < F.ninputs && n < 64; i++)
        if (!F.inputs[i].answered)
            open[n++] = (long)i;
    return n ? open[below(&F.rng_move, (unsigned)n)] : -1;
}

static pl_body response_body(long input, char *text, size_t cap)
{
    static const pl_decision d[] = {PL_DECISION_ADOPTED, PL_DECISION_PARTLY,
                                    PL_DECISION_NOT_ADOPTED};
    pl_body b = {.type = PL_T_RESPONSE};
    memcpy(b.u.response.answers, F.inputs[input].id, PL_ID_BYTES);
    b.u.response.decision = d[below(&F.rng_move, 3)];
    snprintf(text, cap, "Considered with the file (%u).", F.texts++);
    b.u.response.reasons = text;
    return b;
}

/* SPEC §13.9: the prosecution signs one offer per round, after answering
 * every input. Whether it has signed in this round is read from its own
 * log first: a signature stored but never acknowledged (a kill) counts,
 * and signing a second offer could leave a round no signatures complete. */
static void p_sign(void)
{
    F.psign_tries++;
    pl_case *c = judged(NP, "before a prosecution signature", NULL, NULL);
    learn(c, 1);
    pl_case_status st;
    pl_case_status_get(c, &st);
    long offer = -1;
    for (size_t i = 0; i < pl_case_count(c); i++)
        if (pl_case_body(c, i) && pl_case_body(c, i)->type == PL_T_OFFER &&
            pl_case_verdict(c, i) == PL_OK && pl_case_msg_role(c, i) == PL_ROLE_PROSECUTION &&
            pl_case_round(c, i) == st.round)
            offer = (long)i;
    dbg("before signing, the prosecution's log is %s in round %llu, %zu open inputs, %s",
        pl_agreement_state_name(st.state), (unsigned long long)st.round, st.open_inputs,
        offer >= 0 ? "an offer of the round" : "no offer of the round");
    if ((st.state == PL_AGREEMENT_NONE || st.state == PL_AGREEMENT_RETRACTED) &&
        st.open_inputs == 0 && offer >= 0) {
        const pl_body *ob = pl_case_body(c, (size_t)offer);
        const uint8_t *oid = pl_msg_id(pl_case_msg(c, (size_t)offer));
        pl_body s = sign_body(oid, ob->u.offer.terms_hash);
        send_post(NP, &s, W_P, -1);
    }
    pl_case_destroy(&c);
}

/* The next thing a party of node i says, sent without waiting for it. */
static void move(int i)
{
    char text[128];
    unsigned x = below(&F.rng_move, 100);
    pl_body b;
    switch (i) {
    case NP: {
        long in = open_input();
        if (in >= 0) {
            b = response_body(in, text, sizeof text);
            send_post(NP, &b, W_P, in);
        } else {
            /* SPEC §13.6: an offer, now and then countering the defense's. */
            b = offer_body(below(&F.rng_move, NTMPL), F.has_d_offer && x % 2 ? F.d_offer : NULL);
            send_post(NP, &b, W_P, -1);
        }
        return;
    }
    case ND: {
        int party = below(&F.rng_move, 2) ? W_S : W_C;
        int done = party == W_S ? F.signed_s : F.signed_c;
        if (F.has_psign && !done && x < 60) {
            /* SPEC §13.9: the defense signs what the prosecution signed. */
            b = defense_sign(sign_body(F.psign_offer, F.psign_hash), party);
        } else if (F.d_sees_final && party == W_S && x < 80) {
            /* SPEC §13.15: the suspect may retract (v2: only the suspect),
             * which opens the next round. */
            snprintf(text, sizeof text, "The suspect withdraws his plea (%u).", F.texts++);
            b = wb_simple(PL_T_RETRACT, text);
        } else if (x % 4 == 0) {
            snprintf(text, sizeof text, "The defense's view, number %u.", F.texts++);
            b = wb_opinion(PL_TOPIC_SENTENCE, text);
        } else if (x % 4 == 1) {
            b = offer_body(below(&F.rng_move, NTMPL), F.has_p_offer ? F.p_offer : NULL);
        } else {
            return; /* inputs come slower than answers, or nothing is ever signed */
        }
        send_post(ND, &b, party, -1);
        return;
    }
    case NV:
        if (x >= 30)
            return;
        snprintf(text, sizeof text, "The victim's view, number %u.", F.texts++);
        b = wb_opinion(x % 2 ? PL_TOPIC_COMPENSATION : PL_TOPIC_FORGIVENESS, text);
        send_post(NV, &b, W_V, -1);
        return;
    default:
        snprintf(text, sizeof text, "Observed at step %u.", F.steps);
        b = wb_simple(PL_T_OBSERVATION, text);
        send_post(NO, &b, W_O, -1);
        return;
    }
}

/* A message of a burst: responses to inputs answered already (several
 * may answer one, SPEC §13.8), observations, opinions. */
static void burst_move(int i)
{
    char text[128];
    pl_body b;
    if (i == NP && F.ninputs > 0) {
        long in = (long)below(&F.rng_move, (unsigned)F.ninputs);
        b = response_body(in, text, sizeof text);
        send_post(NP, &b, W_P, in);
    } else if (i == NO) {
        snprintf(text, sizeof text, "Observed in a burst (%u).", F.texts++);
        b = wb_simple(PL_T_OBSERVATION, text);
        send_post(NO, &b, W_O, -1);
    } else if (i == ND || i == NV) {
        int party = i == NV ? W_V : below(&F.rng_move, 2) ? W_S : W_C;
        snprintf(text, sizeof text, "A view in a burst (%u).", F.texts++);
        b = wb_opinion(PL_TOPIC_OTHER, text);
        send_post(i, &b, party, -1);
    }
}

/* ---- processes ------------------------------------------------------------------- */

static void ctl_open(int i)
{
    h_ctl_close(&F.ctl[i]);
    if (h_ctl_open(&F.ctl[i], &F.n[i]) != 0)
        fail_with_logs("no control connection to %s", node_name[i]);
}

static void restart_checked(int i, const char *why, unsigned startup_kill_us);

/* Whether node i's log ends with libzmq's assertion `!_io_error` in
 * stream_engine_base.cpp: an upstream bug (libzmq issue 4841: a POLLOUT
 * dispatched after the POLLIN of the same epoll batch failed the
 * connection) that aborts the process inside libzmq's I/O thread. Our code
 * cannot catch it; what it must do is start again from its store with
 * nothing acknowledged lost, as after a kill, which is what is checked. */
static int zmq_io_abort(int i)
{
    char path[600], line[512];
    int found = 0;
    snprintf(path, sizeof path, "%s/parleyd.log", F.n[i].home);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        found = strstr(line, "Assertion failed: !_io_error (src/stream_engine_base.cpp") != NULL;
    if (f)
        fclose(f);
    return found;
}

/* Fails if a node ended without being told to (a crash, or exit 1: its
 * store or rules engine failed, SPEC §14.12), except libzmq's own abort
 * above, after which the node must recover like a killed one. */
static void check_alive(void)
{
    if (interrupted)
        fail_msg("seed=%llu: interrupted by signal %d", (unsigned long long)F.seed,
                 (int)interrupted);
    for (int i = 0; i < NNODES; i++) {
        int rc = h_exited(&F.n[i]);
        /* at most two a run: more would be a pattern of ours, not a race */
        if (rc == 128 + SIGABRT && zmq_io_abort(i) && F.zmq_aborts < 2) {
            F.zmq_aborts++;
            fprintf(stderr, "faults: %s aborted in libzmq (!_io_error, upstream issue 4841); "
                            "restarting it as after a kill\n", node_name[i]);
            restart_checked(i, "kill", 0);
            continue;
        }
        if (rc >= 0)
            fail_with_logs("%s exited by itself with %d", node_name[i], rc);
    }
}

static void kill_node(int i)
{
    h_kill(&F.n[i]);
    F.kills++;
}

/* After a kill or a stop: the store opens (the node starts, which reloads
 * and verifies every stored message), passes SQLite's integrity check, its
 * export verifies and holds everything the node acknowledged; SPEC §14.7. */
static void restart_checked(int i, const char *why, unsigned startup_kill_us)
{
    char where[96];
    snprintf(where, sizeof where, "after %s %u (%s)", why, *why == 'k' ? F.kills : F.stops,
             node_name[i]);
    h_ctl_close(&F.ctl[i]);
    F.stall_until[i] = 0;
    if (startup_kill_us > 0) {
        /* Killed again while it starts: exec, key unlock, store load
         * (SQLite's WAL recovery), binding. */
        if (h_spawn(&F.n[i]) != 0)
            fail_with_logs("%s: cannot start the node", where);
        struct timespec ts = {startup_kill_us / 1000000u,
                              (long)(startup_kill_us % 1000000u) * 1000L};
        nanosleep(&ts, NULL);
        kill_node(i);
        F.startup_kills++;
    }
    double ms;
    if (h_start_timed(&F.n[i], 30000, &ms) != 0)
        fail_with_logs("%s: the node does not start again", where);
    if (F.nrestart < sizeof F.restart_ms / sizeof F.restart_ms[0])
        F.restart_ms[F.nrestart++] = ms;
    store_integrity(i, where);
    pl_case *c = judged(i, where, NULL, NULL);
    acked_present(c, i, where);
    learn(c, i == NP);
    pl_case_destroy(&c);
    ctl_open(i);
}

static void resume(int i)
{
    if (F.stall_until[i] != 0 && F.n[i].pid > 0)
        kill(F.n[i].pid, SIGCONT);
    F.stall_until[i] = 0;
}

/* SPEC §14.11: how long a restarted node waits for a peer to show it its
 * own heads. Not a failure if it takes long: its links may be down. */
static void wait_synced(int i)
{
    uint64_t t0 = h_now_ms();
    h_case_info ci;
    while (h_now_ms() - t0 < 10000) {
        for (int k = 0; k < NNODES; k++)
            if (F.stall_until[k] != 0 && h_now_ms() >= F.stall_until[k])
                resume(k);
        if (h_case(&F.n[i], F.case_id, &ci) != 0)
            fail_with_logs("%s does not answer `cases`", node_name[i]);
        if (ci.synced) {
            if (F.nsync < sizeof F.sync_ms / sizeof F.sync_ms[0])
                F.sync_ms[F.nsync++] = (double)(h_now_ms() - t0);
            return;
        }
        sleep_ms(10);
    }
    F.sync_late++;
    dbg("%s not synced after 10 s, with %d peers", node_name[i], h_peers(&F.n[i]));
}

/* SPEC §13.20: whenever a node says final, its log must show the three
 * signatures; the round and the defense's view also tell the parties
 * what to do next. */
static void look_at_states(void)
{
    for (int i = 0; i < NNODES; i++) {
        if (!node_avail(i))
            continue;
        h_case_info ci;
        if (h_case(&F.n[i], F.case_id, &ci) != 0 || !ci.hosted)
            fail_with_logs("%s does not answer `cases`", node_name[i]);
        if (ci.round > F.round)
            new_round(ci.round);
        if (i == ND)
            F.d_sees_final = ci.round == F.round && strcmp(ci.state, "final") == 0;
        if (strcmp(ci.state, "final") == 0 && ci.messages != F.last_checked[i]) {
            F.last_checked[i] = ci.messages;
            pl_case *c = judged(i, "a node saying final", NULL, NULL);
            learn(c, i == NP);
            pl_case_destroy(&c);
        }
    }
}

/* ---- the fault schedule ----------------------------------------------------------- */

/* One step: the parties post (each node a few messages, pipelined), and
 * meanwhile one fault. The schedule draws the same numbers every step,
 * whatever happened, so a seed replays the same faults. */
static void step(void)
{
    uint64_t *r = &F.rng_sched;
    unsigned action = below(r, 100), target = below(r, NNODES), link = below(r, PX_N);
    unsigned delay = below(r, 4000), dur = below(r, 1000), variant = below(r, 100);
    unsigned wait_sync = below(r, 100);
    unsigned nposts[NNODES] = {below(r, 4), below(r, 3), below(r, 2), below(r, 2)};
    unsigned try_sign = below(r, 100);
    F.steps++;

    uint64_t now = h_now_ms();
    for (int i = 0; i < NNODES; i++)
        if (F.stall_until[i] != 0 && now >= F.stall_until[i])
            resume(i);
    check_alive();
    look_at_states();

    if (node_avail(NP) && try_sign < 30 && open_input() < 0)
        p_sign();
    /* The prosecution answers faster when inputs pile up (after a burst). */
    unsigned open = 0;
    for (size_t k = 0; k < F.ninputs; k++)
        open += !F.inputs[k].answered;
    nposts[NP] += open < 8 ? open : 8;
    for (int i = 0; i < NNODES; i++)
        for (unsigned k = 0; node_avail(i) && k < nposts[i]; k++)
            move(i);

    if (action < 50) {
        /* SIGKILL (SPEC §14.7): mid-post or mid-relay, within 4 ms of the
         * posts above; or amid a burst of up to 60 pipelined posts
         * (grouped commits, heavy relaying); sometimes two nodes at once;
         * sometimes again right after the restart, or during it. */
        int other = variant >= 15 && variant < 25 ? (int)(target + 1 + dur % 3) % NNODES : -1;
        if (action >= 40) {
            for (unsigned k = 0; node_avail((int)target) && k < 20 + dur % 41; k++)
                burst_move((int)target);
            F.burst_kills++;
        }
        struct timespec ts = {0, (long)delay * (action >= 40 ? 5000L : 1000L)};
        nanosleep(&ts, NULL);
        int was = F.n[target].pid > 0, was_other = other >= 0 && F.n[other].pid > 0;
        if (was)
            kill_node((int)target);
        if (was_other) {
            kill_node(other);
            F.pair_kills++;
        }
        for (int i = 0; i < NNODES; i++)
            collect(i, i == (int)target || i == other);
        if (was_other)
            restart_checked(other, "kill", 0);
        if (was) {
            restart_checked((int)target, "kill", variant >= 25 && variant < 35 ? 1 + delay * 5 : 0);
            if (variant < 15) {
                sleep_ms(dur / 20);
                kill_node((int)target);
                F.double_kills++;
                restart_checked((int)target, "kill", 0);
            }
            if (wait_sync < 60) /* else the next faults come while it catches up */
                wait_synced((int)target);
        }
        return;
    }
    for (int i = 0; i < NNODES; i++)
        collect(i, 0);
    if (action < 60) {
        /* only the parties' posts */
    } else if (action < 70) {
        px_set((int)link, PX_UP, 1, variant % 2, 0); /* cut: FIN or RST */
        F.cuts++;
    } else if (action < 78) {
        px_set((int)link, PX_DOWN, 1, variant % 2, 50 + 2 * dur); /* refuse up to 2 s */
        F.downs++;
    } else if (action < 85) {
        /* Held, mostly shorter than the heartbeat's 6 s, sometimes longer. */
        px_set((int)link, PX_HOLD, 0, 0, variant < 10 ? 7000 : 100 + 3 * dur);
        F.holds++;
    } else if (action < 93) {
        if (F.n[target].pid > 0 && F.stall_until[target] == 0) {
            kill(F.n[target].pid, SIGSTOP);
            F.stall_until[target] = h_now_ms() + (variant < 5 ? 7000 : 20 + dur);
            F.stalls++;
        }
    } else if (F.n[target].pid > 0) {
        /* SPEC §14.12: a clean stop exits 0; the restart is checked alike. */
        resume((int)target);
        h_ctl_close(&F.ctl[target]);
        int rc = h_stop(&F.n[target]);
        if (rc != 0)
            fail_with_logs("%s stopped with %d", node_name[target], rc);
        F.stops++;
        restart_checked((int)target, "stop", 0);
        if (wait_sync < 60)
            wait_synced((int)target);
    }
}

/* ---- the end: convergence and a final agreement -------------------------------- */

/* Every node running freely, every link restored; then waits until the
 * four exports are byte-identical (SPEC §6.6) and every node reports the
 * same head of every author (SPEC §14.4). Returns P's judged case. */
static pl_case *converge(const char *where)
{
    for (int i = 0; i < PX_N; i++)
        px_set(i, PX_UP, 0, 0, 0);
    for (int i = 0; i < NNODES; i++)
        resume(i);
    uint64_t t0 = h_now_ms();
    for (;;) {
        check_alive();
        h_case_info ci[NNODES];
        int same = 1;
        for (int i = 0; i < NNODES; i++) {
            if (h_case(&F.n[i], F.case_id, &ci[i]) != 0)
                fail_with_logs("%s: %s does not answer", where, node_name[i]);
            same &= ci[i].synced && ci[i].messages == ci[0].messages;
        }
        if (same) {
            uint8_t *log[NNODES];
            size_t len[NNODES];
            pl_case *c[NNODES];
            for (int i = 0; i < NNODES; i++) {
                c[i] = judged(i, where, &log[i], &len[i]);
                same &= len[i] == len[0] && memcmp(log[i], log[0], len[0]) == 0;
            }
            for (int i = 0; i < NNODES; i++) {
                free(log[i]);
                if (i > 0)
                    pl_case_destroy(&c[i]);
            }
            if (same) {
                const int authors[] = {W_P, W_S, W_C, W_V, W_O};
                for (size_t a = 0; a < sizeof authors / sizeof authors[0]; a++) {
                    uint64_t seq[NNODES], claimed;
                    uint8_t by[PL_PK_BYTES];
                    for (int i = 0; i < NNODES; i++)
                        if (h_heads(&F.n[i], F.case_id, pk_of(authors[a]), &seq[i], &claimed, by) !=
                                0 ||
                            seq[i] != seq[0])
                            same = 0;
                }
            }
            if (same) {
                fprintf(stderr, "faults: %s: converged in %.1f s, %llu messages\n", where,
                        (double)(h_now_ms() - t0) / 1e3, (unsigned long long)ci[0].messages);
                return c[0];
            }
            pl_case_destroy(&c[0]);
        }
        if (h_now_ms() - t0 > 120000)
            fail_with_logs("%s: the nodes have not converged in 120 s (messages %llu %llu %llu "
                           "%llu)",
                           where, (unsigned long long)ci[0].messages,
                           (unsigned long long)ci[1].messages, (unsigned long long)ci[2].messages,
                           (unsigned long long)ci[3].messages);
        sleep_ms(200);
    }
}

/* A post at the end, retried while what it needs is on its way. */
static void post_final(int party, const pl_body *b, uint8_t id[PL_ID_BYTES])
{
    int i = node_of(party);
    uint64_t until = h_now_ms() + 60000;
    for (;;) {
        int rc = h_post(&F.n[i], F.case_id, b, pk_of(party), id);
        if (rc == 0) {
            ack_note(party, id);
            return;
        }
        if ((rc != PL_E_NOT_SYNCED && rc != PL_E_TARGET && rc != PL_E_SIGN_ORDER &&
             rc != PL_E_UNANSWERED) ||
            h_now_ms() > until)
            fail_with_logs("at the end: post of type %llu by party %d refused: %s",
                           (unsigned long long)b->type, party, pl_errname(rc));
        sleep_ms(100);
    }
}

/* SPEC §13.9, §13.20: from wherever the faults left the negotiation, to a
 * final agreement: a final one is retracted first (§13.15), a pending one
 * gets its missing defense signatures; otherwise the prosecution answers
 * every open input, offers, signs, and the suspect and counsel sign. */
static void drive_to_final(void)
{
    pl_case *c = converge("after the faults");
    pl_case_status st;
    pl_case_status_get(c, &st);
    uint8_t id[PL_ID_BYTES];
    char text[128];
    if (st.state == PL_AGREEMENT_FINAL) {
        pl_body r = wb_simple(PL_T_RETRACT, "The suspect withdraws his plea.");
        post_final(W_S, &r, id);
        pl_case_destroy(&c);
        c = converge("after the retraction");
        pl_case_status_get(c, &st);
    }
    /* SPEC §13.8, §13.9 step 9 (v2): every open input is answered before
     * anyone signs, the defense included */
    for (size_t i = 0; i < pl_case_count(c); i++)
        if (pl_case_is_input(c, i) == 1 && pl_case_input_answered(c, i) == 0) {
            pl_body r = {.type = PL_T_RESPONSE};
            memcpy(r.u.response.answers, pl_msg_id(pl_case_msg(c, i)), PL_ID_BYTES);
            r.u.response.decision = PL_DECISION_PARTLY;
            snprintf(text, sizeof text, "Answered before the agreement (%zu).", i);
            r.u.response.reasons = text;
            post_final(W_P, &r, id);
        }
    if (st.state == PL_AGREEMENT_PENDING) {
        const uint8_t *oid = pl_msg_id(pl_case_msg(c, (size_t)st.offer));
        pl_body s = sign_body(oid, st.terms_hash);
        pl_body ss = defense_sign(s, W_S), cs = defense_sign(s, W_C);
        if (st.sign_suspect < 0)
            post_final(W_S, &ss, id);
        if (st.sign_counsel < 0)
            post_final(W_C, &cs, id);
    } else {
        assert_true(st.state == PL_AGREEMENT_NONE || st.state == PL_AGREEMENT_RETRACTED);
        uint8_t offer[PL_ID_BYTES];
        pl_body o = offer_body(1, NULL);
        post_final(W_P, &o, offer);
        pl_body s = sign_body(offer, o.u.offer.terms_hash);
        pl_body ss = defense_sign(s, W_S), cs = defense_sign(s, W_C);
        post_final(W_P, &s, id);
        post_final(W_S, &ss, id);
        post_final(W_C, &cs, id);
    }
    pl_case_destroy(&c);
    c = converge("after the signatures");
    pl_case_status_get(c, &st);
    pl_case_destroy(&c);
    if (st.state != PL_AGREEMENT_FINAL)
        fail_with_logs("the agreement is %s, not final", pl_agreement_state_name(st.state));
}

/* ---- the test ------------------------------------------------------------------------ */

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 10) : dflt;
}

/* SIGTERM or SIGINT (ctest's timeout, ^C): the nodes are killed at once,
 * and the test fails at its next check, so the teardown removes its
 * directory; a second signal ends the process. */
static void on_signal(int sig)
{
    if (interrupted) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
    interrupted = sig;
    h_kill_all();
}

static void setup_net(void)
{
    h_setup("faults");
    w_init(&F.w, 0);
    F.world_up = 1;
    static const unsigned ps[] = {SEED(W_P)}, ds[] = {SEED(W_C), SEED(W_S)}, vs[] = {SEED(W_V)},
                          os[] = {SEED(W_O)};
    assert_int_equal(h_start(&F.n[NP], node_name[NP], ps, 1, 1, 0), 0);
    assert_int_equal(h_start(&F.n[NV], node_name[NV], vs, 1, 1, 0), 0);
    assert_int_equal(h_start(&F.n[NO], node_name[NO], os, 1, 0, 1), 0);
    assert_int_equal(h_start(&F.n[ND], node_name[ND], ds, 2, 0, 0), 0);

    /* Every dialled link through its proxy: the defense and the victim
     * reach the prosecution, the defense and the observer the victim, and
     * the observer the prosecution. */
    static const int links[PX_N][2] = {{ND, NP}, {ND, NV}, {NV, NP}, {NO, NP}, {NO, NV}};
    assert_int_equal(pipe2(px.wake, O_CLOEXEC | O_NONBLOCK), 0);
    for (int i = 0; i < PX_N; i++)
        assert_int_equal(px_open(&px.p[i], links[i][0], links[i][1], &F.n[links[i][1]]), 0);
    assert_int_equal(pthread_create(&px.th, NULL, px_run, NULL), 0);
    px.running = 1;

    uint8_t nonce[32], id[PL_ID_BYTES];
    memset(nonce, 0x77, sizeof nonce);
    pl_case_id_derive(pk_of(W_P), nonce, F.case_id);
    wb_charter_mem mem;
    pl_body ch = wb_charter(&F.w, 0, nonce, &mem);
    uint8_t charter[PL_ID_BYTES];
    assert_int_equal(h_post(&F.n[NP], F.case_id, &ch, NULL, charter), 0);
    ack_note(W_P, charter);
    /* SPEC §14.1, §14.3: admitted since the charter names them; the victim
     * learns the case from the prosecution's invitation before anyone
     * dials it. */
    for (int i = 0; i < PX_N; i++)
        if (links[i][1] == NP)
            assert_int_equal(h_connect_to(&F.n[links[i][0]], F.n[NP].pk, px.p[i].endpoint), 0);
    for (int i = 1; i < NNODES; i++)
        assert_int_equal(h_wait_messages(&F.n[i], F.case_id, 1, 30000), 0);
    for (int i = 0; i < PX_N; i++)
        if (links[i][1] == NV)
            assert_int_equal(h_connect_to(&F.n[links[i][0]], F.n[NV].pk, px.p[i].endpoint), 0);
    pl_body join = {.type = PL_T_JOIN};
    memcpy(join.u.join.charter, charter, PL_ID_BYTES);
    const int joiners[] = {W_S, W_C, W_V, W_O};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(h_post(&F.n[node_of(joiners[k])], F.case_id, &join, pk_of(joiners[k]), id),
                         0);
        ack_note(joiners[k], id);
    }
    for (int i = 0; i < NNODES; i++)
        assert_int_equal(h_wait_messages(&F.n[i], F.case_id, 5, 30000), 0);
    /* SPEC §13.9 F0 (v2): counsel proposes the signing session and the
     * prosecution accepts it, before any fault */
    pl_body pr = wb_propose(0, 0);
    assert_int_equal(h_post(&F.n[node_of(W_C)], F.case_id, &pr, pk_of(W_C), F.session), 0);
    ack_note(W_C, F.session);
    assert_int_equal(h_wait_messages(&F.n[NP], F.case_id, 6, 30000), 0);
    pl_body acc = {.type = PL_T_SESSION_ACCEPT};
    memcpy(acc.u.session_answer.proposal, F.session, PL_ID_BYTES);
    assert_int_equal(h_post(&F.n[NP], F.case_id, &acc, pk_of(W_P), id), 0);
    ack_note(W_P, id);
    /* SPEC §13.24 F0c (v2): the rights notice, acknowledged by the suspect */
    uint8_t notice[PL_ID_BYTES];
    pl_body nb = wb_notice("The plea statement becomes void.");
    assert_int_equal(h_post(&F.n[NP], F.case_id, &nb, pk_of(W_P), notice), 0);
    ack_note(W_P, notice);
    assert_int_equal(h_wait_messages(&F.n[node_of(W_S)], F.case_id, 8, 30000), 0);
    pl_body nack = wb_notice_ack(notice);
    assert_int_equal(h_post(&F.n[node_of(W_S)], F.case_id, &nack, pk_of(W_S), id), 0);
    ack_note(W_S, id);
    for (int i = 0; i < NNODES; i++) {
        assert_int_equal(h_wait_messages(&F.n[i], F.case_id, 9, 30000), 0);
        ctl_open(i);
    }

    /* Lawful terms (SPEC §15.4): criminal detention of 2 to 6 months, with
     * or without probation, and a fine. */
    static const unsigned t[NTMPL][3] = {{2, 3, 2000}, {3, 4, 3000}, {4, 5, 4000}, {5, 6, 5000},
                                         {3, 0, 3000}, {4, 0, 5000}, {5, 0, 6000}, {6, 0, 8000}};
    for (int k = 0; k < NTMPL; k++) {
        F.tmpl[k] = wb_offer_id(&F.w, PL_PENALTY_DETENTION, t[k][0], t[k][1], t[k][2], NULL);
        uint8_t body[PL_TERMS_MAX_BYTES + 256];
        size_t blen;
        assert_int_equal(pl_body_encode(&F.tmpl[k], body, sizeof body, &blen), PL_OK);
    }
}

static double median(double *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    return n ? v[n / 2] : 0;
}

/* SPEC §14.7, §14.11, §13.9, §13.20 under faults: see the top of the file. */
static void test_faults_kills_cuts_stalls_s14_7(void **state)
{
    (void)state;
    memset(&F, 0, sizeof F);
    F.seed = env_u64("PARLEY_FAULT_SEED", 0);
    if (F.seed == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        F.seed = ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid();
    }
    unsigned want_kills = (unsigned)env_u64("PARLEY_FAULT_KILLS", 200);
    uint64_t limit_ms = env_u64("PARLEY_FAULT_SECONDS", 600) * 1000;
    printf("seed=%llu kills=%u (replay: PARLEY_FAULT_SEED=%llu)\n", (unsigned long long)F.seed,
           want_kills, (unsigned long long)F.seed);
    fflush(stdout);
    F.rng_sched = F.seed;
    F.rng_move = F.seed ^ 0x5eed5eed5eed5eedull;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    uint64_t t0 = h_now_ms();
    setup_net();
    while (F.kills < want_kills) {
        step();
        if (F.steps % 50 == 0)
            fprintf(stderr, "faults: step %u, %u kills, %u acknowledged, %.1f s\n", F.steps,
                    F.kills, F.acks, (double)(h_now_ms() - t0) / 1e3);
        if (h_now_ms() - t0 > limit_ms)
            fail_with_logs("only %u of %u kills in %llu s", F.kills, want_kills,
                           (unsigned long long)(limit_ms / 1000));
    }
    uint64_t t_faults = h_now_ms();

    /* SPEC §14.4, §14.5: once the links are back, everyone holds
     * everything, and everything acknowledged is there. */
    pl_case *c = converge("at the end of the faults");
    for (int i = 0; i < NNODES; i++) {
        h_case_info ci;
        assert_int_equal(h_case(&F.n[i], F.case_id, &ci), 0);
        assert_int_equal(ci.violations, 0); /* nothing the rules flag was ever sent */
        assert_int_equal(h_stat(&F.n[i], "proofs"), 0);
    }
    acked_present(c, -1, "at the end of the faults");
    pl_case_status st;
    pl_case_status_get(c, &st);
    uint64_t rounds = st.round;
    pl_case_destroy(&c);

    drive_to_final();
    c = converge("at the end");
    acked_present(c, -1, "at the end");
    pl_case_destroy(&c);
    for (int i = 0; i < NNODES; i++) {
        h_case_info ci;
        assert_int_equal(h_case(&F.n[i], F.case_id, &ci), 0);
        assert_string_equal(ci.state, "final");
        assert_int_equal(ci.violations, 0);
    }
    for (int i = 0; i < NNODES; i++) {
        h_ctl_close(&F.ctl[i]);
        assert_int_equal(h_stop(&F.n[i]), 0);
    }

    fprintf(stderr,
            "faults: seed=%llu: %u steps in %.1f s, then %.1f s to converge and agree\n"
            "faults: %u kills (%u amid bursts of posts, %u of two nodes at once, %u again at "
            "once, %u during start-up), %u clean stops; links: %u cuts, %u refusal periods, %u "
            "holds; %u stalls\n"
            "faults: %u posts, %u acknowledged, %u answers lost to kills; %u prosecution "
            "signatures tried; %llu rounds reached final and were retracted; final states "
            "checked %u times\n"
            "faults: restart median %.0f ms; resync median %.0f ms (%u waits, %u over 10 s)\n",
            (unsigned long long)F.seed, F.steps, (double)(t_faults - t0) / 1e3,
            (double)(h_now_ms() - t_faults) / 1e3, F.kills, F.burst_kills, F.pair_kills,
            F.double_kills, F.startup_kills, F.stops, F.cuts, F.downs, F.holds, F.stalls, F.posts,
            F.acks, F.lost_answers, F.psign_tries, (unsigned long long)rounds, F.finals_checked,
            median(F.restart_ms, F.nrestart), median(F.sync_ms, F.nsync), F.nsync, F.sync_late);
    for (int k = 0; k < 32 && F.refused_count[k]; k++)
        fprintf(stderr, "faults: refused %s: %u\n", pl_errname(F.refused_code[k]),
                F.refused_count[k]);
    if (F.zmq_aborts)
        fprintf(stderr, "faults: %u libzmq abort(s) (upstream issue 4841), each recovered\n",
                F.zmq_aborts);
}

static int cleanup(void **state)
{
    (void)state;
    for (int i = 0; i < NNODES; i++)
        h_ctl_close(&F.ctl[i]);
    h_teardown(); /* kills what a failed test left running, stalled or not */
    px_stop();
    if (F.world_up)
        w_free(&F.w);
    F.world_up = 0;
    free(F.acked);
    free(F.inputs);
    F.acked = NULL;
    F.inputs = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_faults_kills_cuts_stalls_s14_7, cleanup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
