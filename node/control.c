/* The control channel (see control.h): decoding a request, calling the
 * node, encoding the answer; and the client call the CLI and tests use. */
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
#include <sodium.h>

#include "control.h"

static void pack_bin(msgpack_packer *pk, const uint8_t *b, size_t n)
{
    msgpack_pack_bin(pk, n);
    msgpack_pack_bin_body(pk, b, n);
}

static void pack_str(msgpack_packer *pk, const char *s)
{
    size_t n = strlen(s);
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, s, n);
}

static void pack_error(msgpack_packer *pk, int code, const char *text)
{
    msgpack_pack_array(pk, 2);
    msgpack_pack_int(pk, code);
    pack_str(pk, text);
}

/* the endpoint a request may carry fits what the net dials */
_Static_assert(PL_CONTROL_ENDPOINT_MAX == PL_NET_ENDPOINT_MAX, "ctl.h and net.h disagree");

static void do_status(pl_node *node, pl_net *net, msgpack_packer *pk)
{
    msgpack_pack_array(pk, 2);
    msgpack_pack_int(pk, 0);
    msgpack_pack_map(pk, 8);
    pack_str(pk, "key");
    pack_bin(pk, pl_key_pk(pl_node_key(node, 0)), PL_PK_BYTES);
    /* every key the node speaks for; "held" those it never unlocks
     * (SPEC §14.12 *Held keys*) */
    pack_str(pk, "keys");
    size_t nk = 0, nh = 0;
    int held;
    while (pl_node_own_pk(node, nk, &held) != NULL)
        nk++, nh += (size_t)held;
    msgpack_pack_array(pk, nk);
    for (size_t i = 0; i < nk; i++)
        pack_bin(pk, pl_node_own_pk(node, i, NULL), PL_PK_BYTES);
    pack_str(pk, "held");
    msgpack_pack_array(pk, nh);
    for (size_t i = 0; i < nk; i++)
        if (pl_node_own_pk(node, i, &held) != NULL && held)
            pack_bin(pk, pl_node_own_pk(node, i, NULL), PL_PK_BYTES);
    pack_str(pk, "endpoint");
    pack_str(pk, pl_net_endpoint(net));
    pack_str(pk, "cases");
    msgpack_pack_uint64(pk, pl_node_ncases(node));
    pack_str(pk, "peers");
    size_t np = 0;
    uint8_t key[PL_PK_BYTES];
    int hello;
    for (uint32_t i = 0; i < PL_NODE_MAX_PEERS; i++)
        np += (size_t)pl_node_peer_info(node, i, key, &hello);
    msgpack_pack_array(pk, np);
    for (uint32_t i = 0; i < PL_NODE_MAX_PEERS; i++)
        if (pl_node_peer_info(node, i, key, &hello)) {
            msgpack_pack_array(pk, 2);
            pack_bin(pk, key, PL_PK_BYTES);
            if (hello)
                msgpack_pack_true(pk);
            else
                msgpack_pack_false(pk);
        }
    pack_str(pk, "dialled");
    size_t nd = 0;
    for (size_t i = 0; i < pl_net_nout(net); i++) {
        const char *ep;
        int up;
        nd += (size_t)pl_net_out_info(net, i, key, &ep, &up); /* not those disconnected */
    }
    msgpack_pack_array(pk, (uint32_t)nd);
    for (size_t i = 0; i < pl_net_nout(net); i++) {
        const char *ep;
        int up;
        if (!pl_net_out_info(net, i, key, &ep, &up))
            continue;
        msgpack_pack_array(pk, 3);
        pack_bin(pk, key, PL_PK_BYTES);
        pack_str(pk, ep);
        if (up)
            msgpack_pack_true(pk);
        else
            msgpack_pack_false(pk);
    }
    pl_node_stats st;
    pl_node_stats_get(node, &st);
    pack_str(pk, "stats");
    msgpack_pack_map(pk, 9);
    pack_str(pk, "frames_in"), msgpack_pack_uint64(pk, st.frames_in);
    pack_str(pk, "frames_out"), msgpack_pack_uint64(pk, st.frames_out);
    pack_str(pk, "refused"), msgpack_pack_uint64(pk, st.refused);
    pack_str(pk, "accepted"), msgpack_pack_uint64(pk, st.accepted);
    pack_str(pk, "stored"), msgpack_pack_uint64(pk, st.stored);
    pack_str(pk, "proofs"), msgpack_pack_uint64(pk, st.proofs);
    pack_str(pk, "attestations"), msgpack_pack_uint64(pk, st.attestations);
    pack_str(pk, "future_stamped"), msgpack_pack_uint64(pk, st.future);
    pack_str(pk, "disk_full"), msgpack_pack_uint64(pk, st.disk_full);
}

/* Every hosted case from its summary: a listing loads none (issue 17). */
static void do_cases(pl_node *node, msgpack_packer *pk)
{
    size_t n = pl_node_ncases(node);
    msgpack_pack_array(pk, 2);
    msgpack_pack_int(pk, 0);
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++) {
        pl_node_case_info ci;
        if (pl_node_case_summary(node, i, &ci) != PL_OK)
            memset(&ci, 0, sizeof ci);
        msgpack_pack_array(pk, 7);
        pack_bin(pk, ci.case_id, PL_CASE_ID_BYTES);
        msgpack_pack_uint64(pk, ci.messages);
        pack_str(pk, pl_agreement_state_name(ci.state));
        msgpack_pack_uint64(pk, ci.round);
        if (ci.synced)
            msgpack_pack_true(pk);
        else
            msgpack_pack_false(pk);
        msgpack_pack_uint64(pk, ci.violations);
        msgpack_pack_uint64(pk, ci.open_inputs);
    }
}

static void do_heads(pl_node *node, const uint8_t *id, msgpack_packer *pk)
{
    pl_case *c = pl_node_case(node, id);
    pl_verifier *v = pl_node_verifier(node, id);
    if (c == NULL) {
        pack_error(pk, PL_E_UNKNOWN_CASE, "this node does not host the case; see `parley cases`");
        return;
    }
    /* Authors in first-seen order. */
    uint8_t authors[PL_CASE_MAX_AUTHORS][PL_PK_BYTES];
    size_t na = 0;
    for (size_t i = 0; i < pl_case_count(c) && na < PL_CASE_MAX_AUTHORS; i++) {
        pl_case_msg_info mi;
        (void)pl_case_msg_info_get(c, i, &mi);
        size_t k = 0;
        while (k < na && memcmp(authors[k], mi.author, PL_PK_BYTES) != 0)
            k++;
        if (k == na)
            memcpy(authors[na++], mi.author, PL_PK_BYTES);
    }
    msgpack_pack_array(pk, 2);
    msgpack_pack_int(pk, 0);
    msgpack_pack_array(pk, na);
    for (size_t i = 0; i < na; i++) {
        uint64_t seq, claimed = 0, since;
        uint8_t hid[PL_ID_BYTES], by[PL_PK_BYTES];
        pl_verifier_head(v, authors[i], &seq, hid);
        int has = pl_node_claim(node, id, authors[i], &claimed, by, &since);
        msgpack_pack_array(pk, 5);
        pack_bin(pk, authors[i], PL_PK_BYTES);
        msgpack_pack_uint64(pk, seq);
        pack_bin(pk, hid, PL_ID_BYTES);
        msgpack_pack_uint64(pk, has ? claimed : 0);
        if (has)
            pack_bin(pk, by, PL_PK_BYTES);
        else
            msgpack_pack_nil(pk);
    }
}

/* A held key's file, unlocked with the passphrase its holder gave; the
 * key in it must still be the one configured (a file swapped since start
 * is refused). The passphrase's copy is wiped here; the request buffer is
 * wiped by the caller. */
static int open_held(const char *path, const char *pass, size_t pass_len,
                     const uint8_t want[PL_PK_BYTES], pl_key **out)
{
    uint8_t buf[PL_KEYFILE_MAX_BYTES];
    char *p = sodium_malloc(pass_len + 1);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    if (fd >= 0)
        close(fd);
    int rc = p == NULL ? PL_E_NOMEM : len <= 0 ? PL_E_IO : PL_OK;
    if (rc == PL_OK) {
        memcpy(p, pass, pass_len);
        p[pass_len] = '\0';
        rc = pl_keyfile_open(buf, (size_t)len, p, pass_len, out);
    }
    if (rc == PL_OK && memcmp(pl_key_pk(*out), want, PL_PK_BYTES) != 0) {
        pl_key_destroy(out);
        rc = PL_E_KEYFILE;
    }
    if (p != NULL)
        sodium_free(p);
    return rc;
}

static const char *post_hint(int rc)
{
    switch (rc) {
    case PL_E_NOT_SYNCED:
        return "no peer has shown this node its own latest messages in the case since it "
               "started; wait until a peer is connected (parley status), or pass --force if "
               "you are sure no other copy of this key or store exists";
    case PL_E_UNKNOWN_CASE:
        return "this node does not host the case; check the id with `parley cases`";
    default:
        return NULL;
    }
}

/* issue 13 §2: "read" resolves a case id or a unique prefix of one and
 * answers with what an act is built from, so that `parley` needs one round
 * trip before it posts: the case, the node's keys, the case's log. */
static void do_read(pl_node *node, const msgpack_object *ref, msgpack_packer *pk)
{
    uint8_t id[PL_CASE_ID_BYTES];
    if (ref->type == MSGPACK_OBJECT_BIN) {
        memcpy(id, ref->via.bin.ptr, PL_CASE_ID_BYTES);
    } else {
        /* a prefix of hex digits (pl_control_parse checked them) */
        size_t found = 0, n = ref->via.str.size;
        const uint8_t *cid;
        for (size_t i = 0; (cid = pl_node_case_id(node, i)) != NULL; i++)
            if (pl_control_id_has_prefix(cid, ref->via.str.ptr, n) && found++ == 0)
                memcpy(id, cid, PL_CASE_ID_BYTES);
        if (found != 1) {
            pack_error(pk, found ? PL_E_ARG : PL_E_UNKNOWN_CASE,
                       found ? "more than one case matches; give more digits (see `parley cases`)"
                             : "this node does not host the case; see `parley cases`");
            return;
        }
    }
    uint8_t *log;
    size_t loglen;
    int rc = !pl_node_hosts(node, id) ? PL_E_UNKNOWN_CASE
                                      : pl_store_export_own(pl_node_store(node), id, &log, &loglen);
    if (rc != PL_OK) {
        pack_error(pk, rc, rc == PL_E_UNKNOWN_CASE
                               ? "this node does not host the case; see `parley cases`"
                               : pl_strerror(rc));
        return;
    }
    msgpack_pack_array(pk, 2);
    msgpack_pack_int(pk, 0);
    msgpack_pack_map(pk, 3);
    pack_str(pk, "case");
    pack_bin(pk, id, PL_CASE_ID_BYTES);
    pack_str(pk, "keys");
    size_t nk = 0;
    while (pl_node_own_pk(node, nk, NULL) != NULL)
        nk++;
    msgpack_pack_array(pk, (uint32_t)nk);
    for (size_t i = 0; i < nk; i++)
        pack_bin(pk, pl_node_own_pk(node, i, NULL), PL_PK_BYTES);
    pack_str(pk, "log");
    pack_bin(pk, log, loglen);
    free(log);
}

static void pack_nil_ok(msgpack_packer *pk)
{
    msgpack_pack_array(pk, 2);
    msgpack_pack_int(pk, 0);
    msgpack_pack_nil(pk);
}

void pl_control_handle(pl_node *node, pl_net *net, const uint8_t *req, size_t len, uint64_t now_ms,
                       uint8_t **resp, size_t *resp_len)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_unpacked up;
    size_t off = 0;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_unpacked_init(&up);

    /* Bounded before msgpack-c sees it, like every peer input (SPEC §3.7). */
    if (pl_mp_check(req, len) != PL_OK ||
        msgpack_unpack_next(&up, (const char *)req, len, &off) != MSGPACK_UNPACK_SUCCESS ||
        off != len) {
        pack_error(&pk, PL_E_CONTROL, "malformed control request");
        goto out;
    }
    /* issue 13 §2: the version, the verb and every argument checked against
     * the one table of requests (common/ctl.c) before anything is done */
    pl_ctl_verb verb;
    const msgpack_object *a;
    unsigned n;
    char why[256];
    if (pl_control_parse(&up.data, &verb, &a, &n, why, sizeof why) != PL_OK) {
        pack_error(&pk, PL_E_CONTROL, why);
        goto out;
    }
    const uint8_t *id = NULL, *key, *author, *mid_in;
    switch (verb) {
    case PL_CTL_STATUS:
        do_status(node, net, &pk);
        break;
    case PL_CTL_CASES:
        do_cases(node, &pk);
        break;
    case PL_CTL_HEADS:
        do_heads(node, (const uint8_t *)a[0].via.bin.ptr, &pk);
        break;
    case PL_CTL_READ:
        do_read(node, &a[0], &pk);
        break;
    case PL_CTL_POST: {
        id = (const uint8_t *)a[0].via.bin.ptr;
        author = a[3].type == MSGPACK_OBJECT_BIN ? (const uint8_t *)a[3].via.bin.ptr : NULL;
        const msgpack_object *pass = n == 6 && a[5].type == MSGPACK_OBJECT_STR ? &a[5] : NULL;
        uint8_t mid[PL_ID_BYTES];
        const char *held = author ? pl_node_held_file(node, author) : NULL;
        int rc;
        if (held != NULL) {
            /* SPEC §14.12 *Held keys*: unlocked for this act, wiped after */
            pl_key *k = NULL;
            rc = pass ? open_held(held, pass->via.str.ptr, pass->via.str.size, author, &k)
                      : PL_E_PASSPHRASE;
            if (rc == PL_OK)
                rc = pl_node_post_with(node, id, a[1].via.u64, (const uint8_t *)a[2].via.bin.ptr,
                                       a[2].via.bin.size, k, a[4].via.boolean, now_ms, mid);
            pl_key_destroy(&k);
            if (rc == PL_E_PASSPHRASE) {
                pack_error(&pk, rc, pass ? "wrong passphrase for this key: its holder types "
                                           "their own passphrase; nothing was signed"
                                         : "this key is held by its owner: the act needs the "
                                           "holder's passphrase (parley asks for it)");
                break;
            }
        } else {
            rc = pl_node_post(node, id, a[1].via.u64, (const uint8_t *)a[2].via.bin.ptr,
                              a[2].via.bin.size, author, a[4].via.boolean, now_ms, mid);
        }
        if (rc == PL_OK) {
            msgpack_pack_array(&pk, 2);
            msgpack_pack_int(&pk, 0);
            pack_bin(&pk, mid, PL_ID_BYTES);
        } else {
            const char *hint = post_hint(rc);
            char text[512];
            snprintf(text, sizeof text, "%s%s%s", pl_strerror(rc), hint ? ": " : "",
                     hint ? hint : "");
            pack_error(&pk, rc, text);
        }
        break;
    }
    case PL_CTL_EXPORT: {
        id = (const uint8_t *)a[0].via.bin.ptr;
        uint8_t *log;
        size_t loglen;
        int rc = !pl_node_hosts(node, id)
                     ? PL_E_UNKNOWN_CASE
                     : pl_store_export(pl_node_store(node), id, &log, &loglen);
        if (rc == PL_OK) {
            msgpack_pack_array(&pk, 2);
            msgpack_pack_int(&pk, 0);
            pack_bin(&pk, log, loglen);
            free(log);
        } else {
            pack_error(&pk, rc, pl_strerror(rc));
        }
        break;
    }
    case PL_CTL_CONNECT: {
        key = (const uint8_t *)a[0].via.bin.ptr;
        char ep[PL_CONTROL_ENDPOINT_MAX];
        memcpy(ep, a[1].via.str.ptr, a[1].via.str.size);
        ep[a[1].via.str.size] = '\0';
        /* Dial first: a bad key or endpoint is refused before it is kept. */
        int rc = pl_net_connect(net, key, ep);
        if (rc == PL_OK)
            rc = pl_node_allow(node, key);
        if (rc == PL_OK)
            rc = pl_store_peer_put(pl_node_store(node), key, ep);
        if (rc == PL_OK)
            pack_nil_ok(&pk);
        else
            pack_error(&pk, rc, "cannot dial that endpoint: use tcp://HOST:PORT and the peer's public key");
        break;
    }
    case PL_CTL_INVITATIONS: {
        /* SPEC §14.3: [case id, charter bytes] each */
        size_t ni = pl_node_ninvitations(node);
        msgpack_pack_array(&pk, 2);
        msgpack_pack_int(&pk, 0);
        msgpack_pack_array(&pk, ni);
        for (size_t i = 0; i < ni; i++) {
            uint8_t cid[PL_CASE_ID_BYTES];
            const pl_msg *ch;
            size_t clen;
            (void)pl_node_invitation(node, i, cid, &ch);
            const uint8_t *cb = pl_msg_bytes(ch, &clen);
            msgpack_pack_array(&pk, 2);
            pack_bin(&pk, cid, PL_CASE_ID_BYTES);
            pack_bin(&pk, cb, clen);
        }
        break;
    }
    case PL_CTL_ACCEPT:
    case PL_CTL_DECLINE: {
        id = (const uint8_t *)a[0].via.bin.ptr;
        int rc = verb == PL_CTL_ACCEPT ? pl_node_accept(node, id, now_ms) : pl_node_decline(node, id);
        if (rc == PL_OK)
            pack_nil_ok(&pk);
        else
            pack_error(&pk, rc, "no invitation to that case waits; see `parley invitations`");
        break;
    }
    case PL_CTL_UI: {
        /* issue 16: a one-time login link to the node's web app */
        char url[256];
        if (pl_net_ui_link(net, url, sizeof url) == PL_OK) {
            msgpack_pack_array(&pk, 2);
            msgpack_pack_int(&pk, 0);
            pack_str(&pk, url);
        } else {
            pack_error(&pk, PL_E_CONFIG,
                       "this node serves no web app: start parleyd with --ui PORT (0 picks a "
                       "port), or add `ui = 0` to its parleyd.conf");
        }
        break;
    }
    case PL_CTL_DISCONNECT: {
        /* stop dialling a peer and forget it (connect's opposite) */
        key = (const uint8_t *)a[0].via.bin.ptr;
        pl_node_disallow(node, key);
        int stopped = pl_net_disconnect(net, key);
        int kept = pl_store_peer_del(pl_node_store(node), key);
        if (kept < 0)
            pack_error(&pk, kept, pl_strerror(kept));
        else if (stopped == 0 && kept == 0)
            pack_error(&pk, PL_E_ARG, "this node does not dial that key; parley status lists the "
                                      "peers it dials");
        else
            pack_nil_ok(&pk);
        break;
    }
    case PL_CTL_HELD: {
        /* which connected peers hold a message (parley wait) */
        id = (const uint8_t *)a[0].via.bin.ptr;
        mid_in = (const uint8_t *)a[1].via.bin.ptr;
        uint8_t pks[PL_NODE_MAX_PEERS][PL_PK_BYTES];
        int k = pl_node_holders(node, id, mid_in, pks, PL_NODE_MAX_PEERS);
        if (k < 0) {
            pack_error(&pk, !pl_node_hosts(node, id) ? PL_E_UNKNOWN_CASE : PL_E_ARG,
                       !pl_node_hosts(node, id)
                           ? "this node does not host the case; see `parley cases`"
                           : "the case holds no such message");
        } else {
            msgpack_pack_array(&pk, 2);
            msgpack_pack_int(&pk, 0);
            msgpack_pack_array(&pk, (uint32_t)k);
            for (int i = 0; i < k && i < PL_NODE_MAX_PEERS; i++)
                pack_bin(&pk, pks[i], PL_PK_BYTES);
        }
        break;
    }
    case PL_CTL_STOP:
        pl_net_request_stop(net);
        pack_nil_ok(&pk);
        break;
    case PL_CTL_NVERBS:
        pack_error(&pk, PL_E_CONTROL, "unknown control request");
        break;
    }
out:
    msgpack_unpacked_destroy(&up);
    *resp = (uint8_t *)sb.data;
    *resp_len = sb.size;
}
