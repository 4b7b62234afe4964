/* The suite's peers (see conform.h): a raw wire peer (peer.h)
 * with an inbox. Every frame the node sends is read here: counted for the
 * run-wide checks (does every frame decode, does every ERROR carry a
 * text), a WANT is answered at once from what the case's negotiations have
 * published, as a well-behaved peer would, and the rest waits in the inbox
 * until a check takes it. HEADS of cases this case did not open (the node
 * offers a configured peer every case it hosts) are dropped on arrival. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "conform.h"

#define INBOX_MAX 20000 /* frames kept per peer; the oldest go first */

cf_peer *cf_peer_open(cf_t *t, const char *name, const pl_key *key)
{
    if (t->npeers == CF_MAX_RES)
        cf_fail(t, "internal: too many peers in one case");
    cf_peer *p = calloc(1, sizeof *p);
    if (p == NULL)
        cf_fail(t, "out of memory");
    p->t = t;
    snprintf(p->name, sizeof p->name, "%s", name);
    t->peers[t->npeers++] = p;
    if (h_peer_open_key(&p->hp, (pl_key *)(key ? key : cf_g.wire_key), 0, cf_g.node_pk,
                        cf_g.endpoint) != 0)
        cf_fail(t, "cannot dial %s as the %s peer", cf_g.endpoint, name);
    return p;
}

void cf_in_free(cf_in *in)
{
    pl_wire_free(&in->w);
}

void cf_clear(cf_peer *p)
{
    for (size_t i = 0; i < p->n; i++)
        cf_in_free(&p->inbox[i]);
    p->n = 0;
}

void cf_send_raw(cf_peer *p, const uint8_t *b, size_t len)
{
    if (h_peer_send_raw(&p->hp, b, len) != 0)
        cf_fail(p->t, "could not send a %zu-byte frame on the %s connection", len, p->name);
}

void cf_send(cf_peer *p, const pl_wire *w)
{
    uint8_t *b;
    size_t len;
    if (pl_wire_encode(w, &b, &len) != PL_OK)
        cf_fail(p->t, "internal: a %s frame did not encode", pl_wire_kind_name(w->kind));
    cf_send_raw(p, b, len);
    free(b);
}

void cf_send_msg_bytes(cf_peer *p, const uint8_t *m, size_t len)
{
    /* [1, 4, message]: the prefix, then the message as it is (SPEC §14.2). */
    uint8_t *b = malloc(len + 3);
    if (b == NULL)
        cf_fail(p->t, "out of memory");
    b[0] = 0x93, b[1] = 0x01, b[2] = PL_W_MSG;
    memcpy(b + 3, m, len);
    cf_send_raw(p, b, len + 3);
    free(b);
}

void cf_send_msg(cf_peer *p, const pl_msg *m)
{
    size_t len;
    const uint8_t *b = pl_msg_bytes(m, &len);
    cf_send_msg_bytes(p, b, len);
}

static int seq_cmp(const void *a, const void *b)
{
    uint64_t x = pl_msg_header(*(pl_msg *const *)a)->seq;
    uint64_t y = pl_msg_header(*(pl_msg *const *)b)->seq;
    return x < y ? -1 : x > y;
}

/* SPEC §14.5: what the node asks for, from what the case has published. */
static void serve_want(cf_peer *p, const pl_wire *w)
{
    cf_t *t = p->t;
    for (size_t i = 0; i < t->nnegs; i++) {
        cf_neg *n = t->negs[i];
        if (memcmp(n->id, w->u.want.case_id, PL_CASE_ID_BYTES) != 0)
            continue;
        pl_msg **sel = calloc(n->npub + 1, sizeof *sel);
        size_t k = 0;
        for (size_t j = 0; sel && j < n->npub; j++) {
            const pl_header *h = pl_msg_header(n->pub[j]);
            if (memcmp(h->author, w->u.want.author, PL_PK_BYTES) == 0 &&
                h->seq >= w->u.want.from_seq && h->seq - w->u.want.from_seq < w->u.want.max)
                sel[k++] = n->pub[j];
        }
        qsort(sel, k, sizeof *sel, seq_cmp);
        for (size_t j = 0; j < k; j++) {
            size_t len;
            const uint8_t *b = pl_msg_bytes(sel[j], &len);
            uint8_t *f = malloc(len + 3);
            if (f == NULL)
                break;
            f[0] = 0x93, f[1] = 0x01, f[2] = PL_W_MSG;
            memcpy(f + 3, b, len);
            (void)h_peer_send_raw(&p->hp, f, len + 3);
            free(f);
        }
        free(sel);
    }
}

static int case_known(cf_t *t, const uint8_t id[PL_CASE_ID_BYTES])
{
    for (size_t i = 0; i < t->nnegs; i++)
        if (memcmp(t->negs[i]->id, id, PL_CASE_ID_BYTES) == 0)
            return 1;
    return 0;
}

/* Reads one frame if one comes within timeout_ms: 1 if one came. */
static int pump(cf_peer *p, int timeout_ms)
{
    uint8_t *b;
    size_t len;
    if (h_peer_recv_raw(&p->hp, &b, &len, timeout_ms < 0 ? 0 : timeout_ms) != 0)
        return 0;
    cf_g.frames_in++;
    p->frames++;
    cf_in in;
    memset(&in, 0, sizeof in);
    /* SPEC §14.2: a sender MUST NOT send a frame it could not decode. */
    if (pl_wire_decode(b, len, &in.w) != PL_OK) {
        if (cf_g.undecodable++ == 0)
            cf_hex(b, len < 36 ? len : 36, cf_g.undecodable_hex);
        free(b);
        return 1;
    }
    free(b);
    if (p->frames == 1)
        p->first_was_hello = in.w.kind == PL_W_HELLO;
    switch (in.w.kind) {
    case PL_W_HELLO:
        if (!p->hello_seen) {
            p->hello_seen = 1;
            memcpy(p->hello_node, in.w.u.hello.node, PL_PK_BYTES);
        }
        break;
    case PL_W_ERROR:
        cf_g.errors_in++;
        if (in.w.u.error.text[0] == '\0')
            cf_g.errors_without_text++;
        if (cf_g.verbose)
            fprintf(stderr, "  [%s] ERROR %s%s%s: %s\n", p->name, pl_errname(in.w.u.error.code),
                    in.w.u.error.has_id ? " about " : "",
                    in.w.u.error.has_id ? cf_short(in.w.u.error.id) : "", in.w.u.error.text);
        break;
    case PL_W_WANT:
        serve_want(p, &in.w);
        break;
    case PL_W_HEADS:
        if (!case_known(p->t, in.w.u.heads.case_id)) {
            pl_wire_free(&in.w); /* another case the node hosts: not ours */
            return 1;
        }
        break;
    case PL_W_MSG: {
        pl_msg *m;
        if (pl_msg_decode(in.w.u.msg.bytes, in.w.u.msg.len, NULL, &m) == PL_OK) {
            const pl_header *h = pl_msg_header(m);
            in.has_msg = 1;
            memcpy(in.msg_id, pl_msg_id(m), PL_ID_BYTES);
            memcpy(in.msg_case, h->case_id, PL_CASE_ID_BYTES);
            memcpy(in.msg_author, h->author, PL_PK_BYTES);
            in.msg_seq = h->seq;
            pl_msg_destroy(&m);
        }
        break;
    }
    default:
        break;
    }
    if (p->n == INBOX_MAX) {
        cf_in_free(&p->inbox[0]);
        memmove(&p->inbox[0], &p->inbox[1], (p->n - 1) * sizeof *p->inbox);
        p->n--;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        cf_in *g = realloc(p->inbox, cap * sizeof *g);
        if (g == NULL) {
            cf_in_free(&in);
            return 1;
        }
        p->inbox = g, p->cap = cap;
    }
    p->inbox[p->n++] = in;
    return 1;
}

static int matches(const cf_in *in, const cf_match *m)
{
    const pl_wire *w = &in->w;
    if (m->kind && (int)w->kind != m->kind)
        return 0;
    if (m->code && (w->kind != PL_W_ERROR || w->u.error.code != m->code))
        return 0;
    if (m->id) {
        const uint8_t *id = NULL;
        if (w->kind == PL_W_ACK)
            id = w->u.ack.id;
        else if (w->kind == PL_W_ERROR && w->u.error.has_id)
            id = w->u.error.id;
        else if (w->kind == PL_W_MSG && in->has_msg)
            id = in->msg_id;
        if (id == NULL || memcmp(id, m->id, PL_ID_BYTES) != 0)
            return 0;
    }
    if (m->case_id) {
        const uint8_t *c = NULL;
        if (w->kind == PL_W_HEADS)
            c = w->u.heads.case_id;
        else if (w->kind == PL_W_WANT)
            c = w->u.want.case_id;
        else if (w->kind == PL_W_ACK)
            c = w->u.ack.case_id;
        else if (w->kind == PL_W_MSG && in->has_msg)
            c = in->msg_case;
        if (c == NULL || memcmp(c, m->case_id, PL_CASE_ID_BYTES) != 0)
            return 0;
    }
    if (m->author) {
        const uint8_t *a = NULL;
        if (w->kind == PL_W_WANT)
            a = w->u.want.author;
        else if (w->kind == PL_W_MSG && in->has_msg)
            a = in->msg_author;
        if (a == NULL || memcmp(a, m->author, PL_PK_BYTES) != 0)
            return 0;
    }
    return 1;
}

static long find(cf_peer *p, const cf_match *m)
{
    for (size_t i = 0; i < p->n; i++)
        if (matches(&p->inbox[i], m))
            return (long)i;
    return -1;
}

int cf_have(cf_peer *p, const cf_match *m)
{
    return find(p, m) >= 0;
}

int cf_await(cf_peer *p, const cf_match *m, int timeout_ms)
{
    uint64_t until = h_now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        if (find(p, m) >= 0)
            return 1;
        uint64_t now = h_now_ms();
        if (now >= until)
            return 0;
        pump(p, (int)(until - now));
    }
}

int cf_wait(cf_peer *p, const cf_match *m, int timeout_ms, cf_in *out)
{
    uint64_t until = h_now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        long i = find(p, m);
        if (i >= 0) {
            if (out)
                *out = p->inbox[i];
            else
                cf_in_free(&p->inbox[i]);
            memmove(&p->inbox[i], &p->inbox[i + 1], (p->n - (size_t)i - 1) * sizeof *p->inbox);
            p->n--;
            return 1;
        }
        uint64_t now = h_now_ms();
        if (now >= until)
            return 0;
        pump(p, (int)(until - now));
    }
}

void cf_listen(cf_peer *p, int ms)
{
    uint64_t until = h_now_ms() + (uint64_t)(ms < 0 ? 0 : ms);
    for (;;) {
        uint64_t now = h_now_ms();
        int left = now < until ? (int)(until - now) : 0;
        if (!pump(p, left) && left == 0)
            break;
    }
}

const char *cf_errors_seen(cf_peer *p, char *buf, size_t cap)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n && off + 1 < cap; i++) {
        const pl_wire *w = &p->inbox[i].w;
        if (w->kind != PL_W_ERROR)
            continue;
        int k = snprintf(buf + off, cap - off, "%s%s%s%s", off ? ", " : "",
                         pl_errname(w->u.error.code), w->u.error.has_id ? " about " : "",
                         w->u.error.has_id ? cf_short(w->u.error.id) : "");
        if (k < 0)
            break;
        off += (size_t)k;
    }
    if (off == 0)
        snprintf(buf, cap, "none");
    return buf;
}

void cf_hello(cf_peer *p, const uint8_t (*cases)[PL_CASE_ID_BYTES], size_t ncases)
{
    pl_wire w = {.kind = PL_W_HELLO};
    memcpy(w.u.hello.node, pl_key_pk(p->hp.key), PL_PK_BYTES);
    w.u.hello.cases = (uint8_t(*)[PL_CASE_ID_BYTES])cases;
    w.u.hello.ncases = ncases;
    cf_send(p, &w);
    /* SPEC §14.3: the node's HELLO comes first, naming its identity. */
    cf_match m = {.kind = PL_W_HELLO};
    if (!p->hello_seen && !cf_wait(p, &m, cf_g.timeout_ms, NULL))
        cf_fail(p->t,
                "no HELLO from the node within %d ms on the %s connection (is the tool's key "
                "admitted? SPEC §14.1, §14.3)",
                cf_g.timeout_ms, p->name);
    if (memcmp(p->hello_node, cf_g.node_pk, PL_PK_BYTES) != 0) {
        char hex[65];
        cf_hex(p->hello_node, PL_PK_BYTES, hex);
        cf_fail(p->t,
                "the node's HELLO names the key %s, not the key it authenticated with "
                "(SPEC §14.3)",
                hex);
    }
}
