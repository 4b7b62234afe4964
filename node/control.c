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

static int get_bin(const msgpack_object *o, size_t n, const uint8_t **out)
{
    if (o->type != MSGPACK_OBJECT_BIN || o->via.bin.size != n)
        return 0;
    *out = (const uint8_t *)o->via.bin.ptr;
    return 1;
}

static int verb_is(const msgpack_object *o, const char *v)
{
    return o->type == MSGPACK_OBJECT_STR && o->via.str.size == strlen(v) &&
           memcmp(o->via.str.ptr, v, o->via.str.size) == 0;
}

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
        off != len || up.data.type != MSGPACK_OBJECT_ARRAY || up.data.via.array.size == 0) {
        pack_error(&pk, PL_E_CONTROL, "malformed control request");
        goto out;
    }
    const msgpack_object *a = up.data.via.array.ptr;
    uint32_t n = up.data.via.array.size;
    /* issue 13 §2: [version, verb, args…]; a client of another release is
     * told so, instead of being misread */
    if (a[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER || a[0].via.u64 != PL_CONTROL_VERSION) {
        char text[160];
        snprintf(text, sizeof text,
                 "this node speaks control version %d and the request another: use the parley "
                 "of the same release as this parleyd",
                 PL_CONTROL_VERSION);
        pack_error(&pk, PL_E_CONTROL, text);
        goto out;
    }
    a++, n--;
    if (n == 0) {
        pack_error(&pk, PL_E_CONTROL, "malformed control request");
        goto out;
    }
    const uint8_t *id, *key, *author = NULL, *mid_in;
    if (verb_is(&a[0], "status") && n == 1) {
        do_status(node, net, &pk);
    } else if (verb_is(&a[0], "cases") && n == 1) {
        do_cases(node, &pk);
    } else if (verb_is(&a[0], "heads") && n == 2 && get_bin(&a[1], PL_CASE_ID_BYTES, &id)) {
        do_heads(node, id, &pk);
    } else if (verb_is(&a[0], "post") && (n == 6 || n == 7) &&
               get_bin(&a[1], PL_CASE_ID_BYTES, &id) &&
               a[2].type == MSGPACK_OBJECT_POSITIVE_INTEGER && a[3].type == MSGPACK_OBJECT_BIN &&
               (a[4].type == MSGPACK_OBJECT_NIL || get_bin(&a[4], PL_PK_BYTES, &author)) &&
               a[5].type == MSGPACK_OBJECT_BOOLEAN &&
               (n == 6 || a[6].type == MSGPACK_OBJECT_NIL ||
                (a[6].type == MSGPACK_OBJECT_STR && a[6].via.str.size <= PL_CONTROL_PASS_MAX))) {
        uint8_t mid[PL_ID_BYTES];
        const char *held = author ? pl_node_held_file(node, author) : NULL;
        int rc;
        if (held != NULL) {
            /* SPEC §14.12 *Held keys*: unlocked for this act, wiped after */
            pl_key *k = NULL;
            rc = n == 7 && a[6].type == MSGPACK_OBJECT_STR
                     ? open_held(held, a[6].via.str.ptr, a[6].via.str.size, author, &k)
                     : PL_E_PASSPHRASE;
            if (rc == PL_OK)
                rc = pl_node_post_with(node, id, a[2].via.u64, (const uint8_t *)a[3].via.bin.ptr,
                                       a[3].via.bin.size, k, a[5].via.boolean, now_ms, mid);
            pl_key_destroy(&k);
            if (rc == PL_E_PASSPHRASE) {
                pack_error(&pk, rc, n == 7 && a[6].type == MSGPACK_OBJECT_STR
                                        ? "wrong passphrase for this key: its holder types "
                                          "their own passphrase; nothing was signed"
                                        : "this key is held by its owner: the act needs the "
                                          "holder's passphrase (parley asks for it)");
                goto out;
            }
        } else {
            rc = pl_node_post(node, id, a[2].via.u64, (const uint8_t *)a[3].via.bin.ptr,
                              a[3].via.bin.size, author, a[5].via.boolean, now_ms, mid);
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
    } else if (verb_is(&a[0], "export") && n == 2 && get_bin(&a[1], PL_CASE_ID_BYTES, &id)) {
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
    } else if (verb_is(&a[0], "connect") && n == 3 && get_bin(&a[1], PL_PK_BYTES, &key) &&
               a[2].type == MSGPACK_OBJECT_STR && a[2].via.str.size < PL_NET_ENDPOINT_MAX) {
        char ep[PL_NET_ENDPOINT_MAX];
        memcpy(ep, a[2].via.str.ptr, a[2].via.str.size);
        ep[a[2].via.str.size] = '\0';
        /* Dial first: a bad key or endpoint is refused before it is kept. */
        int rc = pl_net_connect(net, key, ep);
        if (rc == PL_OK)
            rc = pl_node_allow(node, key);
        if (rc == PL_OK)
            rc = pl_store_peer_put(pl_node_store(node), key, ep);
        if (rc == PL_OK) {
            msgpack_pack_array(&pk, 2);
            msgpack_pack_int(&pk, 0);
            msgpack_pack_nil(&pk);
        } else {
            pack_error(&pk, rc, "cannot dial that endpoint: use tcp://HOST:PORT and the peer's public key");
        }
    } else if (verb_is(&a[0], "invitations") && n == 1) {
        /* SPEC §14.3: [case id, charter bytes, creator] each */
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
    } else if ((verb_is(&a[0], "accept") || verb_is(&a[0], "decline")) && n == 2 &&
               get_bin(&a[1], PL_CASE_ID_BYTES, &id)) {
        int rc = verb_is(&a[0], "accept") ? pl_node_accept(node, id, now_ms)
                                          : pl_node_decline(node, id);
        if (rc == PL_OK) {
            msgpack_pack_array(&pk, 2);
            msgpack_pack_int(&pk, 0);
            msgpack_pack_nil(&pk);
        } else {
            pack_error(&pk, rc, "no invitation to that case waits; see `parley invitations`");
        }
    } else if (verb_is(&a[0], "ui") && n == 1) {
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
    } else if (verb_is(&a[0], "disconnect") && n == 2 && get_bin(&a[1], PL_PK_BYTES, &key)) {
        /* stop dialling a peer and forget it (connect's opposite) */
        pl_node_disallow(node, key);
        int stopped = pl_net_disconnect(net, key);
        int kept = pl_store_peer_del(pl_node_store(node), key);
        if (kept < 0) {
            pack_error(&pk, kept, pl_strerror(kept));
        } else if (stopped == 0 && kept == 0) {
            pack_error(&pk, PL_E_ARG, "this node does not dial that key; parley status lists the "
                                      "peers it dials");
        } else {
            msgpack_pack_array(&pk, 2);
            msgpack_pack_int(&pk, 0);
            msgpack_pack_nil(&pk);
        }
    } else if (verb_is(&a[0], "held") && n == 3 && get_bin(&a[1], PL_CASE_ID_BYTES, &id) &&
               get_bin(&a[2], PL_ID_BYTES, &mid_in)) {
        /* which connected peers hold a message (parley wait) */
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
    } else if (verb_is(&a[0], "stop") && n == 1) {
        pl_net_request_stop(net);
        msgpack_pack_array(&pk, 2);
        msgpack_pack_int(&pk, 0);
        msgpack_pack_nil(&pk);
    } else {
        pack_error(&pk, PL_E_CONTROL, "unknown control request or wrong arguments");
    }
out:
    msgpack_unpacked_destroy(&up);
    *resp = (uint8_t *)sb.data;
    *resp_len = sb.size;
}
