/* The node test harness (see harness.h). */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <msgpack.h>
#include <sodium.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <zmq.h>

#include "control.h"
#include "harness.h"
#include "testutil.h"

#ifndef PARLEYD_PATH
#error "PARLEYD_PATH must name the parleyd binary"
#endif

static char root[256];
static char passfile[300];
/* Every process started, so a failed test still leaves none behind. */
static pid_t spawned[64];
static size_t nspawned;

/* Remembers a started process, in a slot a reaped one left if any (a
 * test that restarts nodes hundreds of times must still track them all). */
static void track(pid_t pid)
{
    for (size_t i = 0; i < nspawned; i++)
        if (spawned[i] == 0) {
            spawned[i] = pid;
            return;
        }
    if (nspawned < sizeof spawned / sizeof spawned[0])
        spawned[nspawned++] = pid;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void h_setup(const char *test_name)
{
    signal(SIGPIPE, SIG_IGN);
    if (pl_init() != PL_OK)
        abort();
    snprintf(root, sizeof root, "/tmp/parley-%s-XXXXXX", test_name);
    if (mkdtemp(root) == NULL)
        abort();
    snprintf(passfile, sizeof passfile, "%s/pass", root);
    FILE *f = fopen(passfile, "w");
    fputs("correct horse battery staple\n", f);
    fclose(f);
    chmod(passfile, 0600);
}

void h_teardown(void)
{
    for (size_t i = 0; i < nspawned; i++)
        if (spawned[i] > 0 && kill(spawned[i], SIGKILL) == 0)
            waitpid(spawned[i], NULL, 0);
    nspawned = 0;
    if (root[0] && getenv("PARLEY_KEEP_TEST_DIR") == NULL) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        if (system(cmd) != 0)
            fprintf(stderr, "harness: could not remove %s\n", root);
    }
    root[0] = '\0';
}

static int write_keyfile(const char *path, unsigned seed)
{
    pl_key *k = tu_key(seed);
    uint8_t salt[PL_KEYFILE_SALT_BYTES], nonce[PL_KEYFILE_NONCE_BYTES], out[PL_KEYFILE_MAX_BYTES];
    size_t n;
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    const char *pass = "correct horse battery staple";
    int rc = pl_keyfile_seal(k, pass, strlen(pass), salt, nonce, PL_KDF_MIN, out, sizeof out, &n);
    pl_key_destroy(&k);
    if (rc != PL_OK)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    int ok = write(fd, out, n) == (ssize_t)n;
    close(fd);
    return ok ? 0 : -1;
}

/* ---- control ------------------------------------------------------------ */

/* An answer: the unpacked object points into raw (msgpack-c does not copy
 * str and bin), so both live until answer_free. */
typedef struct {
    msgpack_unpacked up;
    uint8_t *raw;
} answer;

static void answer_free(answer *a)
{
    msgpack_unpacked_destroy(&a->up);
    free(a->raw);
    a->raw = NULL;
}

/* Sends a request built by the caller's packer; returns the code and the
 * answer (the caller frees it with answer_free, whatever the code). */
static int call(h_node *n, msgpack_sbuffer *req, answer *a, int timeout_ms)
{
    size_t rlen;
    msgpack_unpacked_init(&a->up);
    a->raw = NULL;
    int rc = pl_control_call(n->home, (const uint8_t *)req->data, req->size, timeout_ms, &a->raw,
                             &rlen);
    msgpack_sbuffer_destroy(req);
    if (rc != PL_OK)
        return rc;
    size_t off = 0;
    msgpack_unpacked *up = &a->up;
    msgpack_unpack_return ur = msgpack_unpack_next(up, (const char *)a->raw, rlen, &off);
    if (ur != MSGPACK_UNPACK_SUCCESS || up->data.type != MSGPACK_OBJECT_ARRAY ||
        up->data.via.array.size != 2)
        return PL_E_CONTROL;
    const msgpack_object *c = &up->data.via.array.ptr[0];
    if (c->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        return 0;
    return c->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ? (int)c->via.i64 : PL_E_CONTROL;
}

static void pack_bin(msgpack_packer *pk, const uint8_t *b, size_t n)
{
    msgpack_pack_bin(pk, n);
    msgpack_pack_bin_body(pk, b, n);
}

static const msgpack_object *map_get(const msgpack_object *m, const char *key)
{
    if (m->type != MSGPACK_OBJECT_MAP)
        return NULL;
    for (uint32_t i = 0; i < m->via.map.size; i++) {
        const msgpack_object *k = &m->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == strlen(key) &&
            memcmp(k->via.str.ptr, key, k->via.str.size) == 0)
            return &m->via.map.ptr[i].val;
    }
    return NULL;
}

static int status(h_node *n, answer *up, int timeout_ms)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    pl_control_request_init(&sb, &pk, 1, "status");
    return call(n, &sb, up, timeout_ms);
}

/* ---- processes ---------------------------------------------------------- */

/* The endpoint a status answer reports, kept so a restart binds it again. */
static void take_endpoint(h_node *n, const answer *up)
{
    const msgpack_object *ep = map_get(&up->up.data.via.array.ptr[1], "endpoint");
    if (ep && ep->type == MSGPACK_OBJECT_STR && ep->via.str.size < sizeof n->endpoint &&
        ep->via.str.size > 0) {
        memcpy(n->endpoint, ep->via.str.ptr, ep->via.str.size);
        n->endpoint[ep->via.str.size] = '\0';
    }
}

static pid_t exec_node(h_node *n);
static int reap(h_node *n, int timeout_ms);

int h_run_to_exit(h_node *n, int timeout_ms)
{
    n->pid = exec_node(n);
    if (n->pid < 0)
        return -1;
    int rc = reap(n, timeout_ms);
    if (rc < 0)
        h_kill(n);
    return rc;
}

static int spawn(h_node *n)
{
    pid_t pid = exec_node(n);
    if (pid < 0)
        return -1;
    char logpath[600];
    snprintf(logpath, sizeof logpath, "%s/parleyd.log", n->home);
    n->pid = pid;
    track(pid);
    /* Ready when it answers on its control channel. */
    uint64_t until = h_now_ms() + 20000;
    while (h_now_ms() < until) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            fprintf(stderr, "harness: %s exited at start (see %s)\n", n->name, logpath);
            n->pid = 0;
            return -1;
        }
        answer up;
        if (status(n, &up, 200) == 0) {
            take_endpoint(n, &up);
            answer_free(&up);
            return 0;
        }
        answer_free(&up);
        sleep_ms(20);
    }
    fprintf(stderr, "harness: %s did not answer in time\n", n->name);
    return -1;
}

static pid_t exec_node(h_node *n)
{
    char *argv[32];
    int a = 0;
    char keyargs[4][600];
    argv[a++] = (char *)PARLEYD_PATH;
    argv[a++] = (char *)"--home";
    argv[a++] = n->home;
    argv[a++] = (char *)"--passphrase-file";
    argv[a++] = passfile;
    for (size_t i = 0; i < n->nkeys; i++) {
        snprintf(keyargs[i], sizeof keyargs[i], "%s/key%zu", n->home, i);
        argv[a++] = (char *)"--key";
        argv[a++] = keyargs[i];
    }
    char listen[300];
    if (n->listen) {
        snprintf(listen, sizeof listen, "%s", n->endpoint[0] ? n->endpoint : "tcp://127.0.0.1:*");
        argv[a++] = (char *)"--listen";
        argv[a++] = listen;
    }
    if (n->observer) {
        argv[a++] = (char *)"--observer";
        argv[a++] = (char *)"--attest-interval";
        argv[a++] = (char *)"300";
    }
    argv[a++] = (char *)"--log-level";
    argv[a++] = getenv("PARLEY_TEST_LOG") ? getenv("PARLEY_TEST_LOG") : (char *)"warn";
    argv[a] = NULL;

    char logpath[600];
    snprintf(logpath, sizeof logpath, "%s/parleyd.log", n->home);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 2);
            close(fd);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

int h_start(h_node *n, const char *name, const unsigned *seeds, size_t nkeys, int listen,
            int observer)
{
    return h_create(n, name, seeds, nkeys, listen, observer) == 0 ? spawn(n) : -1;
}

int h_restart(h_node *n)
{
    return spawn(n);
}

static int reap(h_node *n, int timeout_ms)
{
    uint64_t until = h_now_ms() + (uint64_t)timeout_ms;
    while (h_now_ms() < until) {
        int st;
        if (waitpid(n->pid, &st, WNOHANG) == n->pid) {
            for (size_t i = 0; i < nspawned; i++) /* reaped: its pid may be reused */
                if (spawned[i] == n->pid)
                    spawned[i] = 0;
            n->pid = 0;
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
        sleep_ms(10);
    }
    return -1;
}

int h_stop(h_node *n)
{
    if (n->pid <= 0)
        return 0;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    answer up;
    pl_control_request_init(&sb, &pk, 1, "stop");
    call(n, &sb, &up, 2000);
    answer_free(&up);
    int rc = reap(n, 10000);
    if (rc < 0) {
        h_kill(n);
        return -1;
    }
    if (rc != 0)
        fprintf(stderr, "harness: %s exited with %d on stop (sanitizer report? see %s/parleyd.log)\n",
                n->name, rc, n->home);
    return rc;
}

int h_signal(h_node *n, int sig)
{
    if (n->pid <= 0 || kill(n->pid, sig) != 0)
        return -1;
    return reap(n, 10000);
}

void h_kill(h_node *n)
{
    if (n->pid <= 0)
        return;
    kill(n->pid, SIGKILL);
    reap(n, 10000);
    n->pid = 0;
}

int h_connect(h_node *a, const h_node *b)
{
    return h_connect_to(a, b->pk, b->endpoint);
}

int h_connect_to(h_node *a, const uint8_t key[PL_PK_BYTES], const char *endpoint)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    answer up;
    pl_control_request_init(&sb, &pk, 3, "connect");
    pack_bin(&pk, key, PL_PK_BYTES);
    msgpack_pack_str(&pk, strlen(endpoint));
    msgpack_pack_str_body(&pk, endpoint, strlen(endpoint));
    int rc = call(a, &sb, &up, 5000);
    answer_free(&up);
    return rc;
}

/* A post request in sb (initialised here; the caller destroys it). */
static int post_req(msgpack_sbuffer *sb, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_body *b,
                    const uint8_t *author, int force)
{
    uint8_t body[65536];
    size_t blen;
    int rc = pl_body_encode(b, body, sizeof body, &blen);
    if (rc != PL_OK)
        return rc;
    msgpack_packer pk;
    pl_control_request_init(sb, &pk, 6, "post");
    pack_bin(&pk, case_id, PL_CASE_ID_BYTES);
    msgpack_pack_uint64(&pk, b->type);
    pack_bin(&pk, body, blen);
    if (author)
        pack_bin(&pk, author, PL_PK_BYTES);
    else
        msgpack_pack_nil(&pk);
    if (force)
        msgpack_pack_true(&pk);
    else
        msgpack_pack_false(&pk);
    return PL_OK;
}

static int post(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_body *b,
                const uint8_t *author, int force, uint8_t id[PL_ID_BYTES])
{
    msgpack_sbuffer sb;
    answer up;
    int rc = post_req(&sb, case_id, b, author, force);
    if (rc != PL_OK)
        return rc;
    rc = call(n, &sb, &up, 10000);
    if (rc == 0) {
        const msgpack_object *r = &up.up.data.via.array.ptr[1];
        if (r->type == MSGPACK_OBJECT_BIN && r->via.bin.size == PL_ID_BYTES && id)
            memcpy(id, r->via.bin.ptr, PL_ID_BYTES);
    }
    answer_free(&up);
    return rc;
}

int h_post(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_body *b,
           const uint8_t *author, uint8_t id[PL_ID_BYTES])
{
    return post(n, case_id, b, author, 0, id);
}

int h_post_force(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_body *b,
                 const uint8_t *author, uint8_t id[PL_ID_BYTES])
{
    return post(n, case_id, b, author, 1, id);
}

int h_case(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], h_case_info *ci)
{
    memset(ci, 0, sizeof *ci);
    msgpack_sbuffer sb;
    msgpack_packer pk;
    answer up;
    pl_control_request_init(&sb, &pk, 1, "cases");
    int rc = call(n, &sb, &up, 5000);
    if (rc == 0) {
        const msgpack_object *list = &up.up.data.via.array.ptr[1];
        for (uint32_t i = 0; list->type == MSGPACK_OBJECT_ARRAY && i < list->via.array.size; i++) {
            const msgpack_object *e = list->via.array.ptr[i].via.array.ptr;
            if (e[0].via.bin.size != PL_CASE_ID_BYTES ||
                memcmp(e[0].via.bin.ptr, case_id, PL_CASE_ID_BYTES) != 0)
                continue;
            ci->hosted = 1;
            ci->messages = e[1].via.u64;
            snprintf(ci->state, sizeof ci->state, "%.*s", (int)e[2].via.str.size, e[2].via.str.ptr);
            ci->round = e[3].via.u64;
            ci->synced = e[4].via.boolean;
            ci->violations = e[5].via.u64;
            ci->open_inputs = e[6].via.u64;
        }
    }
    answer_free(&up);
    return rc;
}

int h_wait_messages(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t messages,
                    int timeout_ms)
{
    uint64_t until = h_now_ms() + (uint64_t)timeout_ms;
    h_case_info ci;
    while (h_now_ms() < until) {
        if (h_case(n, case_id, &ci) == 0 && ci.hosted && ci.messages >= messages)
            return 0;
        sleep_ms(50);
    }
    fprintf(stderr, "harness: %s holds %llu of %llu messages after %d ms\n", n->name,
            (unsigned long long)ci.messages, (unsigned long long)messages, timeout_ms);
    return -1;
}

int64_t h_stat(h_node *n, const char *name)
{
    answer up;
    int64_t v = -1;
    if (status(n, &up, 5000) == 0) {
        const msgpack_object *st = map_get(&up.up.data.via.array.ptr[1], "stats");
        const msgpack_object *x = st ? map_get(st, name) : NULL;
        if (x && x->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            v = (int64_t)x->via.u64;
    }
    answer_free(&up);
    return v;
}

int h_peers(h_node *n)
{
    answer up;
    int count = -1;
    if (status(n, &up, 5000) == 0) {
        const msgpack_object *ps = map_get(&up.up.data.via.array.ptr[1], "peers");
        count = 0;
        for (uint32_t i = 0; ps && i < ps->via.array.size; i++)
            count += ps->via.array.ptr[i].via.array.ptr[1].via.boolean ? 1 : 0;
    }
    answer_free(&up);
    return count;
}

int h_export(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint8_t **log, size_t *len)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    answer up;
    pl_control_request_init(&sb, &pk, 2, "export");
    pack_bin(&pk, case_id, PL_CASE_ID_BYTES);
    int rc = call(n, &sb, &up, 10000);
    *log = NULL;
    *len = 0;
    if (rc == 0) {
        const msgpack_object *r = &up.up.data.via.array.ptr[1];
        *log = malloc(r->via.bin.size);
        memcpy(*log, r->via.bin.ptr, r->via.bin.size);
        *len = r->via.bin.size;
    }
    answer_free(&up);
    return rc;
}

int h_heads(h_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], const uint8_t author[PL_PK_BYTES],
            uint64_t *seq, uint64_t *claimed, uint8_t claimed_by[PL_PK_BYTES])
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    answer up;
    pl_control_request_init(&sb, &pk, 2, "heads");
    pack_bin(&pk, case_id, PL_CASE_ID_BYTES);
    int rc = call(n, &sb, &up, 5000);
    int found = 0;
    if (rc == 0) {
        const msgpack_object *list = &up.up.data.via.array.ptr[1];
        for (uint32_t i = 0; i < list->via.array.size; i++) {
            const msgpack_object *e = list->via.array.ptr[i].via.array.ptr;
            if (memcmp(e[0].via.bin.ptr, author, PL_PK_BYTES) != 0)
                continue;
            found = 1;
            *seq = e[1].via.u64;
            *claimed = e[3].via.u64;
            if (e[4].type == MSGPACK_OBJECT_BIN)
                memcpy(claimed_by, e[4].via.bin.ptr, PL_PK_BYTES);
        }
    }
    answer_free(&up);
    return rc != 0 ? rc : found ? 0 : -1;
}

static void judge_one(void *ctx, const pl_msg *m)
{
    (void)!pl_case_add(ctx, m); /* a rule verdict stays in the case */
}

pl_case *h_log_judge(const uint8_t *log, size_t len, int *verified)
{
    uint8_t case_id[PL_CASE_ID_BYTES];
    size_t off, mlen;
    const uint8_t *m;
    *verified = -1;
    if (pl_logfile_open(log, len, case_id, &off) != PL_OK)
        return NULL;
    pl_verifier *v = pl_verifier_new(case_id, NULL);
    pl_case *c = pl_case_new(case_id);
    pl_verifier_on_accept(v, judge_one, c);
    int rc = 0, split;
    while ((split = pl_logfile_next(log, len, &off, &m, &mlen)) == PL_OK) {
        if (mlen > 0 && m[0] == 0x95) { /* SPEC §8.1 (v2): a proof the node held */
            if (pl_case_add_proof(c, m, mlen) != PL_OK)
                rc = -1;
            continue;
        }
        if (pl_verifier_add(v, m, mlen) != PL_OK)
            rc = -1;
    }
    if (split != PL_END || pl_verifier_finish(v) != PL_OK)
        rc = -1;
    pl_verifier_destroy(&v);
    *verified = rc;
    return c;
}

int h_log_verify(const uint8_t *log, size_t len, pl_case_status *st, size_t *nmsgs)
{
    int rc;
    pl_case *c = h_log_judge(log, len, &rc);
    if (c == NULL)
        return -1;
    if (st)
        pl_case_status_get(c, st);
    if (nmsgs)
        *nmsgs = pl_case_count(c);
    pl_case_destroy(&c);
    return rc;
}

int h_exited(h_node *n)
{
    int st;
    if (n->pid <= 0 || waitpid(n->pid, &st, WNOHANG) != n->pid)
        return -1;
    h_forget(n->pid);
    n->pid = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int h_spawn(h_node *n)
{
    if (n->pid > 0 || (n->pid = exec_node(n)) < 0)
        return -1;
    track(n->pid);
    return 0;
}

/* ---- asynchronous control ------------------------------------------------- */

int h_ctl_open(h_ctl *c, const h_node *n)
{
    memset(c, 0, sizeof *c);
    snprintf(c->home, sizeof c->home, "%s", n->home);
    return 0;
}

void h_ctl_close(h_ctl *c)
{
    for (size_t k = 0; k < c->n; k++)
        close(c->fd[(c->head + k) % H_CTL_MAX]);
    c->n = c->head = 0;
}

int h_ctl_post(h_ctl *c, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_body *b,
               const uint8_t *author)
{
    msgpack_sbuffer sb;
    if (c->n == H_CTL_MAX || post_req(&sb, case_id, b, author, 0) != PL_OK)
        return -1;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (snprintf(sa.sun_path, sizeof sa.sun_path, "%s/control", c->home) >=
        (int)sizeof sa.sun_path) {
        msgpack_sbuffer_destroy(&sb);
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct timeval tv = {.tv_sec = 30, .tv_usec = 0};
    int rc = -1;
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (connect(fd, (const struct sockaddr *)&sa, sizeof sa) == 0 &&
            pl_control_write(fd, (const uint8_t *)sb.data, sb.size) == PL_OK) {
            c->fd[(c->head + c->n++) % H_CTL_MAX] = fd;
            rc = 0;
        } else {
            close(fd);
        }
    }
    msgpack_sbuffer_destroy(&sb);
    return rc;
}

int h_ctl_answer(h_ctl *c, int timeout_ms, uint8_t id[PL_ID_BYTES])
{
    if (c->n == 0)
        return 1;
    int fd = c->fd[c->head];
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) <= 0)
        return 1;
    c->head = (c->head + 1) % H_CTL_MAX, c->n--;
    uint8_t *raw = NULL;
    size_t rlen = 0;
    int got = pl_control_read(fd, (size_t)64 << 20, &raw, &rlen);
    close(fd);
    if (got != PL_OK)
        return 1; /* closed unanswered: the node was killed mid-post */
    answer a;
    msgpack_unpacked_init(&a.up);
    a.raw = raw;
    size_t off = 0;
    int rc = PL_E_CONTROL;
    if (msgpack_unpack_next(&a.up, (const char *)raw, rlen, &off) == MSGPACK_UNPACK_SUCCESS &&
        a.up.data.type == MSGPACK_OBJECT_ARRAY && a.up.data.via.array.size == 2) {
        const msgpack_object *code = &a.up.data.via.array.ptr[0];
        const msgpack_object *r = &a.up.data.via.array.ptr[1];
        if (code->type == MSGPACK_OBJECT_POSITIVE_INTEGER && r->type == MSGPACK_OBJECT_BIN &&
            r->via.bin.size == PL_ID_BYTES) {
            memcpy(id, r->via.bin.ptr, PL_ID_BYTES);
            rc = 0;
        } else if (code->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
            rc = (int)code->via.i64;
        }
    }
    answer_free(&a);
    return rc;
}

/* ---- raw peer ------------------------------------------------------------- */

int h_peer_open(h_peer *p, unsigned seed, const h_node *server)
{
    return h_peer_open_key(p, tu_key(seed), 1, server->pk, server->endpoint);
}

/* ---- for the benchmark (tests/bench) --------------------------------------- */

const char *h_root(void)
{
    return root;
}

int h_create(h_node *n, const char *name, const unsigned *seeds, size_t nkeys, int listen,
             int observer)
{
    memset(n, 0, sizeof *n);
    snprintf(n->name, sizeof n->name, "%s", name);
    snprintf(n->home, sizeof n->home, "%s/%s", root, name);
    if (nkeys == 0 || nkeys > 4 || mkdir(n->home, 0700) != 0)
        return -1;
    for (size_t i = 0; i < nkeys; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/key%zu", n->home, i);
        n->seeds[i] = seeds[i];
        if (write_keyfile(path, seeds[i]) != 0)
            return -1;
    }
    n->nkeys = nkeys;
    n->listen = listen;
    n->observer = observer;
    pl_key *k = tu_key(seeds[0]);
    memcpy(n->pk, pl_key_pk(k), PL_PK_BYTES);
    pl_key_destroy(&k);
    return 0;
}

int h_start_timed(h_node *n, int timeout_ms, double *ready_ms)
{
    char sock[600];
    snprintf(sock, sizeof sock, "%s/control", n->home);
    if (n->pid > 0)
        return -1;
    unlink(sock); /* a stale socket of a node that is not running */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = exec_node(n);
    if (pid < 0)
        return -1;
    n->pid = pid;
    track(pid);
    /* The control socket appears once the store is loaded; a request sent
     * before then would wait out a reconnect interval. Watch for the file
     * every 0.2 ms, then ask. */
    uint64_t until = h_now_ms() + (uint64_t)timeout_ms;
    while (h_now_ms() < until) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            fprintf(stderr, "harness: %s exited at start (see %s/parleyd.log)\n", n->name,
                    n->home);
            n->pid = 0;
            return -1;
        }
        struct stat sb;
        if (stat(sock, &sb) != 0) {
            struct timespec ts = {0, 200000L};
            nanosleep(&ts, NULL);
            continue;
        }
        answer up;
        int rc = status(n, &up, 1000);
        if (rc == 0) {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            *ready_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                        (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
            take_endpoint(n, &up);
            answer_free(&up);
            return 0;
        }
        answer_free(&up);
    }
    fprintf(stderr, "harness: %s did not answer in %d ms\n", n->name, timeout_ms);
    return -1;
}

void h_forget(pid_t pid)
{
    for (size_t i = 0; pid > 0 && i < nspawned; i++)
        if (spawned[i] == pid)
            spawned[i] = 0;
}

void h_kill_all(void)
{
    for (size_t i = 0; i < nspawned; i++)
        if (spawned[i] > 0)
            kill(spawned[i], SIGKILL);
}
