/* The raw wire peer (see peer.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <zmq.h>

#include "peer.h"

uint64_t h_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int h_peer_open_key(h_peer *p, pl_key *key, int take, const uint8_t server_pk[PL_PK_BYTES],
                    const char *endpoint)
{
    memset(p, 0, sizeof *p);
    p->key = key;
    p->owns_key = take;
    uint8_t cpk[32], csk[32], spk[32];
    if (key == NULL || pl_key_curve_pk(pl_key_pk(key), cpk) != PL_OK ||
        pl_key_curve_sk(key, csk) != PL_OK || pl_key_curve_pk(server_pk, spk) != PL_OK)
        return -1;
    p->ctx = zmq_ctx_new();
    p->sock = p->ctx ? zmq_socket(p->ctx, ZMQ_DEALER) : NULL;
    if (p->sock == NULL) {
        sodium_memzero(csk, sizeof csk);
        return -1;
    }
    int zero = 0;
    zmq_setsockopt(p->sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(p->sock, ZMQ_CURVE_SERVERKEY, spk, 32);
    zmq_setsockopt(p->sock, ZMQ_CURVE_PUBLICKEY, cpk, 32);
    zmq_setsockopt(p->sock, ZMQ_CURVE_SECRETKEY, csk, 32);
    sodium_memzero(csk, sizeof csk);
    return zmq_connect(p->sock, endpoint) == 0 ? 0 : -1;
}

void h_peer_close(h_peer *p)
{
    if (p->sock)
        zmq_close(p->sock);
    if (p->ctx)
        zmq_ctx_term(p->ctx);
    if (p->owns_key)
        pl_key_destroy(&p->key);
    memset(p, 0, sizeof *p);
}

int h_peer_send_raw(h_peer *p, const uint8_t *b, size_t len)
{
    return zmq_send(p->sock, b, len, 0) == (int)len ? 0 : -1;
}

int h_peer_send(h_peer *p, const pl_wire *w)
{
    uint8_t *b;
    size_t len;
    if (pl_wire_encode(w, &b, &len) != PL_OK)
        return -1;
    int rc = h_peer_send_raw(p, b, len);
    free(b);
    return rc;
}

int h_peer_recv_raw(h_peer *p, uint8_t **b, size_t *len, int timeout_ms)
{
    *b = NULL;
    *len = 0;
    zmq_setsockopt(p->sock, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms);
    zmq_msg_t m;
    zmq_msg_init(&m);
    int rc = zmq_msg_recv(&m, p->sock, 0);
    if (rc >= 0) {
        *len = zmq_msg_size(&m);
        *b = malloc(*len ? *len : 1);
        if (*b == NULL)
            rc = -1;
        else
            memcpy(*b, zmq_msg_data(&m), *len);
        /* SPEC §14.1: one frame per message; the rest is not ours to read. */
        while (zmq_msg_more(&m)) {
            zmq_msg_close(&m);
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, p->sock, 0) < 0)
                break;
        }
    }
    zmq_msg_close(&m);
    return rc < 0 ? -1 : 0;
}

int h_peer_recv(h_peer *p, pl_wire *w, int timeout_ms)
{
    uint8_t *b;
    size_t len;
    if (h_peer_recv_raw(p, &b, &len, timeout_ms) != 0)
        return -1;
    int rc = pl_wire_decode(b, len, w) == PL_OK ? 0 : -1;
    free(b);
    return rc;
}

int h_peer_expect(h_peer *p, pl_wire_kind kind, int code, const uint8_t *id, int timeout_ms)
{
    uint64_t until = h_now_ms() + (uint64_t)timeout_ms;
    while (h_now_ms() < until) {
        pl_wire w;
        if (h_peer_recv(p, &w, (int)(until - h_now_ms()) + 1) != 0)
            return -1;
        int match = w.kind == kind;
        if (match && kind == PL_W_ERROR && code != 0)
            match = w.u.error.code == code;
        if (match && kind == PL_W_ACK && id != NULL)
            match = memcmp(w.u.ack.id, id, PL_ID_BYTES) == 0;
        if (!match && getenv("PARLEY_TEST_DEBUG"))
            fprintf(stderr, "harness: skipped a %s frame%s%s\n", pl_wire_kind_name(w.kind),
                    w.kind == PL_W_ERROR ? ": " : "",
                    w.kind == PL_W_ERROR ? pl_errname(w.u.error.code) : "");
        pl_wire_free(&w);
        if (match)
            return 0;
    }
    return -1;
}

int h_peer_hello(h_peer *p, const uint8_t case_id[PL_CASE_ID_BYTES])
{
    if (h_peer_send_hello(p, case_id) != 0)
        return -1;
    return h_peer_expect(p, PL_W_HELLO, 0, NULL, 5000);
}

int h_peer_send_hello(h_peer *p, const uint8_t case_id[PL_CASE_ID_BYTES])
{
    pl_wire w = {.kind = PL_W_HELLO};
    uint8_t cases[1][PL_CASE_ID_BYTES];
    memcpy(w.u.hello.node, pl_key_pk(p->key), PL_PK_BYTES);
    if (case_id) {
        memcpy(cases[0], case_id, PL_CASE_ID_BYTES);
        w.u.hello.cases = cases;
        w.u.hello.ncases = 1;
    }
    return h_peer_send(p, &w);
}
