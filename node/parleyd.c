/* parleyd: a party's Parley node. Reads its configuration (HOME/parleyd.conf
 * and flags), unlocks its key(s), opens the store and runs the loop of
 * net.c until SIGTERM, SIGINT or `parley stop`.
 *
 * Exit codes: 0 clean stop; 1 runtime failure (the store could not commit:
 * nothing unstored was acknowledged); 2 usage or configuration error, wrong
 * passphrase; 3 another parleyd owns this home (its store is locked); 4 the
 * home's store is missing, emptied, cut short or another home's (it is not
 * replaced by a new one without --recover-from-peers). */
#define _GNU_SOURCE /* F_OFD_GETLK, realpath */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <time.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "io.h"
#include "config.h"
#include "web.h"
#include "control.h"
#include "net.h"
#include "node.h"
#include "store.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int usage(int rc)
{
    fprintf(rc ? stderr : stdout,
            "usage: parleyd --home DIR [options]\n\n"
            "Runs a Parley node for the keys in DIR. Options (each may also be a line\n"
            "`name = value` in DIR/parleyd.conf; flags add to or override it):\n"
            "  --listen ENDPOINT        accept peers, e.g. tcp://0.0.0.0:7400 (port * picks one;\n"
            "                           the bound endpoint is written to DIR/endpoint)\n"
            "  --peer KEY@ENDPOINT      dial a peer (its public key in hex); repeatable\n"
            "  --allow KEY              admit a key that no hosted case names; repeatable\n"
            "  --key FILE               a key file (default DIR/key); repeatable, the first\n"
            "                           is the node's identity on the wire\n"
            "  --passphrase-file FILE   the key files' passphrase (else asked on the terminal)\n"
            "  --held-key FILE          a participant's key the node never unlocks: its holder\n"
            "                           gives its own passphrase for each act (parley sign\n"
            "                           asks); repeatable, at most 4 keys in all\n"
            "  --observer               attest the heads of the cases it observes\n"
            "  --accept-invitations     host every case a peer offers whose charter names this\n"
            "                           node (default: only from configured keys; ask for others:\n"
            "                           parley invitations, parley accept)\n"
            "  --recover-from-peers     this home's store is lost: set what is left of it aside\n"
            "                           (*.lost-TIME) and start an empty one, whose cases come\n"
            "                           back from peers (no signing in a case until the node\n"
            "                           holds its own messages again)\n"
            "  --attest-interval MS     at most one attestation per case per MS (default 1000)\n"
            "  --rate N                 frames a second read from one peer (default %d)\n"
            "  --cache-mb N             memory for the cases in use, in MiB (default %u): the\n"
            "                           least recently used ones idle for 30 s are dropped and\n"
            "                           judged again from the store when next used\n"
            "  --log-level LEVEL        error, warn, info (default) or debug\n"
            "  --ui PORT                serve the web app on 127.0.0.1:PORT (0 picks one);\n"
            "                           `parley ui` prints a one-time login link\n\n"
            "Control it with `parley` (status, cases, post, export, connect, stop) over\n"
            "DIR/control. Exit: 0 stopped, 1 store failure, 2 usage, 3 home in use,\n"
            "4 the home's store is missing or not its own (see the message).\n",
            PL_NODE_DEFAULT_RATE, (unsigned)(PL_NODE_DEFAULT_CACHE_BYTES >> 20));
    return rc;
}

/* ---- the home's store (issue 18 §3) ------------------------------------------
 *
 * A home records the identity of the store it created (HOME/store.id), and
 * while parleyd runs, that the store is open (HOME/store.open). At start a
 * home whose store.db is missing or empty, whose WAL vanished after a run
 * that did not stop cleanly (SQLite deletes the WAL only on a clean close),
 * or whose store.db is another store, is refused: opening it would start a
 * new, empty store in its place (and an emptied store.db would overwrite
 * the WAL that still held the messages). --recover-from-peers sets what is
 * left aside and starts an empty store on purpose. */

#define STORE_ID_MAGIC "parley store v1 "

static int path_in(char *out, size_t cap, const char *home, const char *name)
{
    return snprintf(out, cap, "%s/%s", home, name) < (int)cap ? 0 : -1;
}

/* HOME/store.id: 1 and *id, 0 when there is none, -1 if unreadable. */
static int read_store_id(const char *home, uint64_t *id)
{
    char p[4200], line[64];
    if (path_in(p, sizeof p, home, "store.id") != 0)
        return -1;
    int fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    ssize_t n = read(fd, line, sizeof line - 1);
    close(fd);
    if (n <= 0)
        return -1;
    line[n] = '\0';
    unsigned long long v;
    char nl;
    if (strncmp(line, STORE_ID_MAGIC, strlen(STORE_ID_MAGIC)) != 0 ||
        sscanf(line + strlen(STORE_ID_MAGIC), "%16llx%c", &v, &nl) != 2 || nl != '\n' || v == 0)
        return -1;
    *id = v;
    return 1;
}

/* A small file of the home, written whole or not at all (io_write_file:
 * a private temp that follows no link, synced, renamed, directory synced). */
static int write_atomic(const char *home, const char *name, const char *text)
{
    char p[4200];
    if (path_in(p, sizeof p, home, name) != 0)
        return -1;
    return io_write_file(p, (const uint8_t *)text, strlen(text), 0600, 1);
}

static int exists(const char *home, const char *name, off_t *size)
{
    char p[4200];
    struct stat st;
    if (path_in(p, sizeof p, home, name) != 0 || lstat(p, &st) != 0)
        return 0;
    if (size)
        *size = st.st_size;
    return 1;
}

/* Renames HOME/name to name.lost-T if it exists; 0 or -1. */
static int set_aside(const char *home, const char *name, long t)
{
    char from[4200], to[4300];
    if (path_in(from, sizeof from, home, name) != 0)
        return -1;
    snprintf(to, sizeof to, "%s.lost-%ld", from, t);
    return rename(from, to) == 0 || errno == ENOENT ? 0 : -1;
}


/* Before the store is opened. 0 (with *expect the recorded identity, or 0
 * when the home has none yet), or an exit code with the reason printed. */
static int home_store_check(const char *home, int recover, uint64_t *expect)
{
    *expect = 0;
    int r = read_store_id(home, expect);
    if (r < 0) {
        fprintf(stderr, "parleyd: %s/store.id is unreadable or damaged; it records which store "
                        "this home holds. Restore it from a backup together with store.db.\n",
                home);
        return 4;
    }
    if (r == 0)
        return 0; /* a new home, or one from before store.id: recorded at open */
    off_t size = 0;
    const char *why = NULL;
    if (!exists(home, "store.db", &size))
        why = "is missing";
    else if (size == 0)
        why = "is empty";
    else if (exists(home, "store.open", NULL) && !exists(home, "store.db-wal", NULL))
        why = "lost its write-ahead log (store.db-wal) after a run that did not stop cleanly";
    if (why == NULL && recover) {
        /* a store that is here but will not open (damaged) is lost too */
        char db[4200];
        pl_store *probe = NULL;
        int prc = path_in(db, sizeof db, home, "store.db") == 0 ? pl_store_open(db, &probe)
                                                                : PL_E_ARG;
        if (prc != PL_OK && prc != PL_E_LOCKED)
            why = "does not open (damaged or unreadable)";
        pl_store_close(&probe);
        if (why == NULL) {
            fprintf(stderr, "parleyd: --recover-from-peers: the store is here and opens; nothing "
                            "to recover\n");
            return 0;
        }
    }
    if (why == NULL)
        return 0;
    if (!recover) {
        fprintf(stderr,
                "parleyd: %s/store.db %s, but this home had a store (store.id %016" PRIx64 ").\n"
                "parleyd will not start a new, empty store in its place: it would forget every\n"
                "case this node hosts and every message it signed. Either\n"
                "  - restore store.db, and store.db-wal if there is one, from a backup (or put\n"
                "    back what was moved), then start parleyd again; or\n"
                "  - start parleyd with --recover-from-peers: what is left is renamed\n"
                "    *.lost-TIME, an empty store is started, and the cases come back from\n"
                "    peers; the node signs nothing in a case until it holds its own\n"
                "    messages again (SPEC §14.11).\n",
                home, why, *expect);
        return 4;
    }
    long t = (long)time(NULL);
    if (set_aside(home, "store.db", t) != 0 || set_aside(home, "store.db-wal", t) != 0 ||
        set_aside(home, "store.db-shm", t) != 0 || set_aside(home, "store.id", t) != 0) {
        fprintf(stderr, "parleyd: --recover-from-peers: cannot set the old store aside in %s: %s\n",
                home, strerror(errno));
        return 1;
    }
    char p[4200];
    if (path_in(p, sizeof p, home, "store.open") == 0)
        unlink(p);
    fprintf(stderr, "parleyd: --recover-from-peers: the old store %s; what was left is kept as "
                    "*.lost-%ld; starting an empty store\n", why, t);
    *expect = 0;
    return 0;
}

/* After the store is open: it must be the one the home recorded; a home
 * without a record records it now. 0 or an exit code (printed). */
static int home_store_record(const char *home, uint64_t expect, uint64_t id)
{
    char text[64];
    if (expect != 0 && id != expect) {
        fprintf(stderr,
                "parleyd: %s/store.db is another store (%016" PRIx64 ") than the one this home "
                "holds (%016" PRIx64 "): put this home's store.db back, or start with another "
                "--home for that store.\n",
                home, id, expect);
        return 4;
    }
    snprintf(text, sizeof text, STORE_ID_MAGIC "%016" PRIx64 "\n", id);
    if ((expect == 0 && write_atomic(home, "store.id", text) != 0) ||
        write_atomic(home, "store.open", "running\n") != 0) {
        fprintf(stderr, "parleyd: cannot record the store in %s: %s\n", home, strerror(errno));
        return 1;
    }
    return 0;
}

/* The first 16 hex digits of a key, for a message. */
static const char *hex16(const uint8_t pk[PL_PK_BYTES])
{
    static char out[17];
    sodium_bin2hex(out, sizeof out, pk, 8);
    return out;
}

/* Issue 18 §2: descriptors are what peers' connections, the store and the
 * control channel share, and libzmq aborts when an accept finds none left.
 * The soft limit goes up to the hard one, so that the default 1024 of a
 * login shell is not what a busy node runs into. */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* Issue 18 §5: a home another user owns, or others may write to, is not
 * this node's: whoever controls it can swap the store or the keys under
 * the node. 0, or an exit code with the reason printed. */
static int home_owned(const char *home)
{
    struct stat st;
    if (lstat(home, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "parleyd: %s is not a directory\n", home);
        return 2;
    }
    if (st.st_uid != geteuid()) {
        fprintf(stderr, "parleyd: %s belongs to another user (uid %ld): run parleyd as that "
                        "user, or use a home of your own\n", home, (long)st.st_uid);
        return 2;
    }
    if ((st.st_mode & 077) != 0 && chmod(home, 0700) != 0) {
        fprintf(stderr, "parleyd: %s is open to other users and cannot be made private: %s\n",
                home, strerror(errno));
        return 2;
    }
    char draw[4200];
    if (snprintf(draw, sizeof draw, "%s/draw", home) < (int)sizeof draw &&
        lstat(draw, &st) == 0 &&
        (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
         ((st.st_mode & 077) != 0 && chmod(draw, 0700) != 0))) {
        fprintf(stderr, "parleyd: %s (the draw secrets) is not a private directory of this "
                        "user: remove it or make it one (mode 0700)\n", draw);
        return 2;
    }
    return 0;
}

/* Temp files a crashed writer left (NAME.tmp.PID of a process that is no
 * longer running), in DIR. */
static void clean_stale_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *t = strstr(de->d_name, ".tmp.");
        char *end;
        if (t == NULL)
            continue;
        long pid = strtol(t + 5, &end, 10);
        if (*end != '\0' || pid <= 0 || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue;
        char p[4200];
        if (snprintf(p, sizeof p, "%s/%s", dir, de->d_name) < (int)sizeof p)
            unlink(p);
    }
    closedir(d);
}

/* HOME/parleyd.conf, if there is one. 0, or -1 with the reason printed. */
static int read_config(pl_conf *c)
{
    char path[4200], err[PL_CONF_ERR_MAX];
    snprintf(path, sizeof path, "%s/parleyd.conf", c->home);
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 0;
    size_t len;
    uint8_t *text = io_read_file(path, PL_CONF_MAX_BYTES, &len);
    if (text == NULL)
        return -1;
    int rc = pl_conf_parse(c, (const char *)text, len, path, err);
    free(text);
    if (rc != PL_OK)
        fprintf(stderr, "parleyd: %s\n", err);
    return rc == PL_OK ? 0 : -1;
}

static int load_keys(pl_conf *c, pl_node_config *nc)
{
    char *pass = NULL;
    int rc = 0;
    for (size_t i = 0; i < c->nkeys && rc == 0; i++) {
        size_t len;
        uint8_t *b = io_read_file(c->keyfiles[i], PL_KEYFILE_MAX_BYTES, &len);
        if (b == NULL) {
            rc = -1;
            break;
        }
        if (pass == NULL && (pass = io_passphrase(c->passfile[0] ? c->passfile : NULL, 0)) == NULL) {
            free(b);
            rc = -1;
            break;
        }
        int r = pl_keyfile_open(b, len, pass, strlen(pass), &nc->keys[i]);
        free(b);
        if (r != PL_OK) {
            fprintf(stderr, "parleyd: %s: %s\n", c->keyfiles[i], pl_strerror(r));
            rc = -1;
        } else {
            nc->nkeys++;
        }
    }
    if (pass)
        sodium_free(pass);
    /* SPEC §14.12 *Held keys*: only the public part is read; the holder
     * unlocks the file for each act. */
    for (size_t i = 0; i < c->nheld && rc == 0; i++) {
        size_t len;
        /* the control channel opens it again at each act: by its full path */
        char *full = realpath(c->heldfiles[i], NULL);
        if (full != NULL) {
            free(c->heldfiles[i]);
            c->heldfiles[i] = full;
        }
        uint8_t *b = io_read_file(c->heldfiles[i], PL_KEYFILE_MAX_BYTES, &len);
        if (b == NULL) {
            rc = -1;
            break;
        }
        int r = pl_keyfile_pk(b, len, nc->held[i]);
        free(b);
        for (size_t k = 0; r == PL_OK && k < nc->nkeys + i; k++)
            if (memcmp(k < nc->nkeys ? pl_key_pk(nc->keys[k]) : nc->held[k - nc->nkeys],
                       nc->held[i], PL_PK_BYTES) == 0)
                r = PL_E_CONFIG;
        if (r != PL_OK) {
            fprintf(stderr, "parleyd: %s: %s\n", c->heldfiles[i],
                    r == PL_E_CONFIG ? "the same key is configured twice" : pl_strerror(r));
            rc = -1;
        } else {
            nc->held_files[i] = c->heldfiles[i];
            nc->nheld++;
        }
    }
    return rc;
}

/* The `parley` the web app runs: PARLEY_CLI, else the one beside this
 * program (installed), else the build tree's (cli/ beside node/). */
static void cli_path(char *out, size_t cap)
{
    const char *env = getenv("PARLEY_CLI");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        snprintf(out, cap, "parley");
        return;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    snprintf(out, cap, "%s/parley", self);
    if (access(out, X_OK) != 0)
        snprintf(out, cap, "%s/../cli/parley", self);
}

/* The control channel's answers, from control.c (the net only frames). */
struct control_ctx {
    pl_node *node;
    pl_net *net;
};

static void answer_control(void *ctx, const uint8_t *req, size_t len, uint64_t now_ms,
                           uint8_t **resp, size_t *resp_len)
{
    struct control_ctx *cc = ctx;
    pl_control_handle(cc->node, cc->net, req, len, now_ms, resp, resp_len);
}

static int ui_link(void *ctx, char *url, size_t cap)
{
    return pl_web_login_url(ctx, url, cap);
}

struct redial_ctx {
    pl_net *net;
    pl_node *node;
};

static int redial(void *ctx, const uint8_t key[PL_PK_BYTES], const char *endpoint)
{
    struct redial_ctx *r = ctx;
    if (pl_node_allow(r->node, key) != PL_OK || pl_net_connect(r->net, key, endpoint) != PL_OK)
        fprintf(stderr, "parleyd: cannot dial the stored peer %s\n", endpoint);
    return 0;
}

int main(int argc, char **argv)
{
    pl_conf c;
    char err[PL_CONF_ERR_MAX];
    pl_conf_init(&c);
    const char *home = NULL;
    int recover = 0;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(0);
        else if (strcmp(argv[i], "--home") == 0 && i + 1 < argc)
            home = argv[++i];
    if (home == NULL) {
        fprintf(stderr, "parleyd: --home DIR is required\n");
        return usage(2);
    }
    if (pl_init() != PL_OK)
        return 1;
    raise_nofile();
    /* Everything parleyd creates — the store and its WAL, the control
     * socket, the endpoint — is the owner's alone, whatever the umask. */
    umask(077);
    /* From here on SIGTERM and SIGINT mean a clean stop (SPEC §14.12). */
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (mkdir(home, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "parleyd: cannot create %s: %s\n", home, strerror(errno));
        return 2;
    }
    if (realpath(home, c.home) == NULL) {
        fprintf(stderr, "parleyd: %s: %s\n", home, strerror(errno));
        return 2;
    }
    int owned = home_owned(c.home); /* the control socket lives here */
    if (owned != 0)
        return owned;
    /* tested before anything in the home is touched, so a second parleyd
     * on a running home changes nothing there */
    char lockpath[4200];
    if (path_in(lockpath, sizeof lockpath, c.home, "store.db") == 0 &&
        pl_store_in_use(lockpath) == 1) {
        fprintf(stderr, "parleyd: another parleyd owns %s (its store is locked): stop it, or use "
                        "another --home\n", c.home);
        return 3;
    }
    {
        char p[4200];
        clean_stale_tmp(c.home);
        if (snprintf(p, sizeof p, "%s/draw", c.home) < (int)sizeof p)
            clean_stale_tmp(p);
        /* never the previous run's port (written again once listening) */
        if (path_in(p, sizeof p, c.home, "endpoint") == 0)
            unlink(p);
    }
    int bad = read_config(&c) != 0;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--home") == 0) {
            i++;
        } else if (strcmp(a, "--observer") == 0) {
            c.observer = 1;
        } else if (strcmp(a, "--accept-invitations") == 0) {
            c.accept_invitations = 1;
        } else if (strcmp(a, "--recover-from-peers") == 0) {
            recover = 1;
        } else if (strncmp(a, "--", 2) == 0 && i + 1 < argc) {
            bad = pl_conf_set(&c, a + 2, argv[++i], "command line", err) != PL_OK;
            if (bad)
                fprintf(stderr, "parleyd: %s\n", err);
        } else {
            fprintf(stderr, "parleyd: unknown argument '%s'\n", a);
            bad = 1;
        }
    }
    if (!bad && c.nkeys == 0) {
        char def[4200];
        snprintf(def, sizeof def, "%s/key", c.home);
        bad = pl_conf_set(&c, "key", def, "default", err) != PL_OK;
    }
    pl_node_config nc = {0};
    if (bad || load_keys(&c, &nc) != 0) {
        for (size_t i = 0; i < PL_NODE_MAX_KEYS; i++)
            pl_key_destroy(&nc.keys[i]);
        pl_conf_free(&c);
        return 2;
    }

    pl_net *net = NULL;
    struct control_ctx cctx = {0};
    pl_node *node = NULL;
    pl_web *web = NULL;
    char store[4200];
    snprintf(store, sizeof store, "%s/store.db", c.home);
    nc.store_path = store;
    nc.observer = c.observer;
    nc.accept_invitations = c.accept_invitations;
    nc.attest_interval_ms = c.attest_ms;
    nc.rate = c.rate;
    nc.cache_bytes = (size_t)c.cache_mb << 20;
    nc.allow = (const uint8_t(*)[PL_PK_BYTES])c.allow;
    nc.nallow = c.nallow;
    for (size_t i = 0; i < c.npeers; i++) /* the peers we dial are configured peers too */
        if (nc.nallow < PL_CONF_MAX_ALLOW)
            memcpy(c.allow[nc.nallow++], c.peers[i].pk, PL_PK_BYTES);
    nc.send = pl_net_send;
    nc.log = pl_net_log;
    nc.log_level = c.level;
    nc.drop = pl_net_drop;

    /* The store first: its lock says whether this home is ours. */
    int exit_code = 0;
    char p_open[4200];
    uint64_t expect = 0;
    int rc = pl_net_open(NULL, nc.keys[0], c.home, c.level, &net);
    if (rc == PL_OK && (exit_code = home_store_check(c.home, recover, &expect)) != 0)
        rc = PL_E_STORE;
    else if (rc == PL_OK) {
        nc.ctx = net;
        rc = pl_node_open(&nc, pl_net_now_ms(), &node);
        if (rc == PL_E_LOCKED)
            fprintf(stderr, "parleyd: %s: %s (stop the other parleyd, or use another --home)\n",
                    store, pl_strerror(rc));
        else if (rc == PL_E_STORE || rc == PL_E_STORE_VERSION)
            fprintf(stderr, "parleyd: %s: %s\n", store, pl_store_error());
        else if (rc != PL_OK)
            fprintf(stderr, "parleyd: %s: %s\n", store, pl_strerror(rc));
        else if ((exit_code = home_store_record(c.home, expect,
                                                pl_store_id(pl_node_store(node)))) != 0)
            rc = PL_E_STORE;
        else if (path_in(p_open, sizeof p_open, c.home, "store.open") != 0 ||
                 pl_store_remove_on_close(pl_node_store(node), p_open) != PL_OK)
            rc = PL_E_NOMEM;
    }
    if (rc != PL_OK) {
        for (size_t i = 0; i < nc.nkeys; i++)
            pl_key_destroy(&nc.keys[i]);
        /* a store that fails to open is a runtime failure, never a usage
         * error, whatever code the failure bubbled up with */
        if (exit_code == 0)
            exit_code = rc == PL_E_LOCKED ? 3 : 1;
        goto out;
    }
    pl_net_set_node(net, node);
    cctx.node = node, cctx.net = net;
    pl_net_set_control(net, answer_control, &cctx);
    if (pl_net_control(net) != PL_OK || (c.listen[0] && pl_net_listen(net, c.listen) != PL_OK)) {
        exit_code = 2;
        goto out;
    }
    for (size_t i = 0; i < c.npeers; i++) {
        if (pl_net_connect(net, c.peers[i].pk, c.peers[i].endpoint) != PL_OK) {
            exit_code = 2;
            goto out;
        }
        /* issue 15 §4: a flag lasts one run; say how to keep the peer */
        if (c.peers[i].from_flag)
            fprintf(stderr, "parleyd: --peer %.16s…@%s is dialled for this run only; to keep it, "
                            "add `peer = KEY@ENDPOINT` to %s/parleyd.conf or run parley connect "
                            "KEY@ENDPOINT\n",
                    hex16(c.peers[i].pk), c.peers[i].endpoint,
                    c.home);
    }
    /* issue 16: the web app, on loopback only, beside the control socket */
    if (c.ui) {
        char cli[4200], werr[256];
        cli_path(cli, sizeof cli);
        if (pl_web_start(c.home, cli, c.ui_port, &web, werr) != PL_OK) {
            fprintf(stderr, "parleyd: web app: %s\n", werr);
            exit_code = 2;
            goto out;
        }
        pl_net_set_ui(net, ui_link, web);
        char wl[200];
        snprintf(wl, sizeof wl, "web app on http://127.0.0.1:%u/ (parley ui prints a login link)",
                 pl_web_port(web));
        pl_net_log(net, PL_LOG_INFO, wl);
    }
    /* Peers added with `parley connect` before a restart. */
    struct redial_ctx rctx = {net, node};
    if (pl_store_peers(pl_node_store(node), redial, &rctx) != PL_OK) {
        exit_code = 1;
        goto out;
    }


    char fp[PL_FINGERPRINT_STR_BYTES];
    pl_fingerprint(pl_key_pk(pl_node_key(node, 0)), fp);
    char line[4400];
    snprintf(line, sizeof line, "started: key %s, %zu case(s), home %s", fp, pl_node_ncases(node),
             c.home);
    pl_net_log(net, PL_LOG_INFO, line);
    rc = pl_net_run(net, &stop_flag);
    pl_net_log(net, PL_LOG_INFO, rc == PL_OK ? "stopped" : "stopped on a store failure");
    exit_code = rc == PL_OK ? 0 : 1;
out:
    /* The order `parley stop` relies on (SPEC §14.12): the web app, the
     * connections and the endpoint file, then the store, which removes
     * store.open after a clean close and lets its lock go last. */
    pl_web_stop(&web); /* before the node: its verbs talk to the node */
    pl_net_close(&net);
    pl_node_close(&node);
    pl_conf_free(&c);
    return exit_code;
}
