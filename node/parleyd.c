/* parleyd: a party's Parley node. Reads its configuration (HOME/parleyd.conf
 * and flags), unlocks its key(s), opens the store and runs the loop of
 * net.c until SIGTERM, SIGINT or `parley stop`.
 *
 * Exit codes: 0 clean stop; 1 runtime failure (the store could not commit:
 * nothing unstored was acknowledged); 2 usage or configuration error, wrong
 * passphrase; 3 another parleyd owns this home (its store is locked). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../cli/cli.h"
#include "config.h"
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
            "  --observer               attest the heads of the cases it observes\n"
            "  --accept-invitations     host every case a peer offers whose charter names this\n"
            "                           node (default: only from configured keys; ask for others:\n"
            "                           parley invitations, parley accept)\n"
            "  --attest-interval MS     at most one attestation per case per MS (default 1000)\n"
            "  --rate N                 frames a second read from one peer (default %d)\n"
            "  --log-level LEVEL        error, warn, info (default) or debug\n\n"
            "Control it with `parley` (status, cases, post, export, connect, stop) over\n"
            "DIR/control. Exit: 0 stopped, 1 store failure, 2 usage, 3 home in use.\n",
            PL_NODE_DEFAULT_RATE);
    return rc;
}

/* HOME/parleyd.conf, if there is one. 0, or -1 with the reason printed. */
static int read_config(pl_conf *c)
{
    char path[4200], err[PL_CONF_ERR_MAX];
    snprintf(path, sizeof path, "%s/parleyd.conf", c->home);
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 0;
    size_t len;
    uint8_t *text = cli_read_file(path, PL_CONF_MAX_BYTES, &len);
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
        uint8_t *b = cli_read_file(c->keyfiles[i], PL_KEYFILE_MAX_BYTES, &len);
        if (b == NULL) {
            rc = -1;
            break;
        }
        if (pass == NULL && (pass = cli_passphrase(c->passfile[0] ? c->passfile : NULL, 0)) == NULL) {
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
    return rc;
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
    chmod(home, 0700); /* the control socket lives here */
    if (realpath(home, c.home) == NULL) {
        fprintf(stderr, "parleyd: %s: %s\n", home, strerror(errno));
        return 2;
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
    pl_node *node = NULL;
    char store[4200];
    snprintf(store, sizeof store, "%s/store.db", c.home);
    nc.store_path = store;
    nc.observer = c.observer;
    nc.accept_invitations = c.accept_invitations;
    nc.attest_interval_ms = c.attest_ms;
    nc.rate = c.rate;
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
    int rc = pl_net_open(NULL, nc.keys[0], c.home, c.level, &net);
    if (rc == PL_OK) {
        nc.ctx = net;
        rc = pl_node_open(&nc, pl_net_now_ms(), &node);
        if (rc != PL_OK)
            fprintf(stderr, "parleyd: %s: %s%s\n", store, pl_strerror(rc),
                    rc == PL_E_LOCKED ? " (stop the other parleyd, or use another --home)" : "");
    }
    if (rc != PL_OK) {
        for (size_t i = 0; i < nc.nkeys; i++)
            pl_key_destroy(&nc.keys[i]);
        exit_code = rc == PL_E_LOCKED ? 3 : rc == PL_E_CONFIG || rc == PL_E_ARG ? 2 : 1;
        goto out;
    }
    pl_net_set_node(net, node);
    if (pl_net_control(net) != PL_OK || (c.listen[0] && pl_net_listen(net, c.listen) != PL_OK)) {
        exit_code = 2;
        goto out;
    }
    for (size_t i = 0; i < c.npeers; i++)
        if (pl_net_connect(net, c.peers[i].pk, c.peers[i].endpoint) != PL_OK) {
            exit_code = 2;
            goto out;
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
    pl_net_close(&net);
    pl_node_close(&node);
    pl_conf_free(&c);
    return exit_code;
}
