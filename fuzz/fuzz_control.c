/* Fuzz target: the control channel's requests (node/control.c), what
 * `parley` sends parleyd over HOME/control. Only the node's owner reaches
 * that socket (mode 0600), but a request is still decoded, bounded and
 * answered, never trusted: the input is a sequence of requests, each
 * [length: 3 bytes big-endian][msgpack request], handed to
 * pl_control_handle against the fixture's node (no network: connect is
 * refused, stop only flags), each batch committed. Every answer must be
 * [0, result] or [negative code, text] (control.h).
 *
 * With PARLEY_FUZZ_CONTROL_SEEDS=DIR set, the target writes its seeds (each
 * verb of the table once, and a post of a close) and exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "control.h"
#include "fuzz.h"
#include "node_fixture.h"

static void check_answer(const uint8_t *resp, size_t len)
{
    msgpack_unpacked up;
    size_t off = 0;
    msgpack_unpacked_init(&up);
    if (msgpack_unpack_next(&up, (const char *)resp, len, &off) != MSGPACK_UNPACK_SUCCESS ||
        off != len || up.data.type != MSGPACK_OBJECT_ARRAY || up.data.via.array.size != 2)
        abort();
    const msgpack_object *code = &up.data.via.array.ptr[0], *res = &up.data.via.array.ptr[1];
    if (!(code->type == MSGPACK_OBJECT_POSITIVE_INTEGER && code->via.u64 == 0) &&
        !(code->type == MSGPACK_OBJECT_NEGATIVE_INTEGER && res->type == MSGPACK_OBJECT_STR))
        abort(); /* an error always comes with its text */
    if (fx_trace)
        fprintf(stderr, "  control -> %s\n",
                code->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ? pl_errname((int)code->via.i64) : "ok");
    msgpack_unpacked_destroy(&up);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready)
        fx_setup(), ready = 1;
    uint8_t charter_id[PL_ID_BYTES];
    pl_node *n = fx_node_new(charter_id);
    uint64_t now = FX_T0 + 2;
    size_t off = 0;
    uint8_t *req;
    size_t len;
    while ((req = fx_next(data, size, &off, &len)) != NULL) {
        uint8_t *resp = NULL;
        size_t rlen = 0;
        pl_control_handle(n, NULL, req, len, now, &resp, &rlen);
        free(req);
        check_answer(resp, rlen);
        free(resp);
        if (pl_node_flush(n) != PL_OK)
            abort();
        now += 700;
    }
    pl_node_close(&n);
    return 0;
}

/* ---- seed corpus ---------------------------------------------------------------- */

static size_t put(uint8_t *out, size_t off, msgpack_sbuffer *sb)
{
    off = fx_put(out, off, (const uint8_t *)sb->data, sb->size);
    msgpack_sbuffer_destroy(sb);
    return off;
}

static void write_seeds(const char *dir)
{
    fx_setup();
    static uint8_t buf[4096];
    msgpack_sbuffer sb;
    msgpack_packer pk;
    size_t k = 0;
    /* every verb of the table (common/ctl.c), with arguments of its kinds */
    uint8_t close_body[64];
    size_t close_len;
    pl_body cb = {.type = PL_T_CLOSE};
    cb.u.close.reasons = "deliberation complete";
    if (pl_body_encode(&cb, close_body, sizeof close_body, &close_len) != PL_OK)
        abort();
    char prefix[17];
    for (int i = 0; i < 8; i++)
        snprintf(prefix + 2 * i, 3, "%02x", fx_case_id[i]);
    for (int v = 0; v < PL_CTL_NVERBS; v++) {
        const pl_ctl_request *r = &pl_control_requests[v];
        pl_control_request_init(&sb, &pk, 1 + r->nargs, r->verb);
        for (unsigned a = 0; a < r->nargs; a++)
            switch (r->args[a]) {
            case PL_CTL_ARG_CASE:
                msgpack_pack_bin(&pk, PL_CASE_ID_BYTES);
                msgpack_pack_bin_body(&pk, fx_case_id, PL_CASE_ID_BYTES);
                break;
            case PL_CTL_ARG_CASE_REF:
                msgpack_pack_str(&pk, 16);
                msgpack_pack_str_body(&pk, prefix, 16);
                break;
            case PL_CTL_ARG_KEY:
            case PL_CTL_ARG_ID:
                msgpack_pack_bin(&pk, PL_PK_BYTES);
                msgpack_pack_bin_body(&pk, pl_key_pk(fx_keys[FX_COUNSEL]), PL_PK_BYTES);
                break;
            case PL_CTL_ARG_KEY_OR_NIL:
            case PL_CTL_ARG_PASS_OR_NIL: msgpack_pack_nil(&pk); break;
            case PL_CTL_ARG_TYPE: msgpack_pack_uint64(&pk, PL_T_CLOSE); break;
            case PL_CTL_ARG_BODY:
                msgpack_pack_bin(&pk, close_len);
                msgpack_pack_bin_body(&pk, close_body, close_len);
                break;
            case PL_CTL_ARG_BOOL: msgpack_pack_true(&pk); break;
            case PL_CTL_ARG_ENDPOINT:
                msgpack_pack_str(&pk, 17);
                msgpack_pack_str_body(&pk, "tcp://127.0.0.1:1", 17);
                break;
            }
        k = put(buf, k, &sb);
    }
    fx_write_seed(dir, "every-verb", buf, k);

    /* the prosecution closes its deliberation: a post the rules accept */
    uint8_t body[64];
    size_t blen;
    pl_body b = {.type = PL_T_CLOSE};
    b.u.close.reasons = "deliberation complete";
    if (pl_body_encode(&b, body, sizeof body, &blen) != PL_OK)
        abort();
    pl_control_request_init(&sb, &pk, 6, "post");
    msgpack_pack_bin(&pk, PL_CASE_ID_BYTES);
    msgpack_pack_bin_body(&pk, fx_case_id, PL_CASE_ID_BYTES);
    msgpack_pack_uint64(&pk, PL_T_CLOSE);
    msgpack_pack_bin(&pk, blen);
    msgpack_pack_bin_body(&pk, body, blen);
    msgpack_pack_nil(&pk);
    msgpack_pack_true(&pk);
    k = put(buf, 0, &sb);
    fx_write_seed(dir, "post-close", buf, k);
    exit(0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *seeds = getenv("PARLEY_FUZZ_CONTROL_SEEDS");
    if (seeds != NULL)
        write_seeds(seeds);
    return 0;
}
