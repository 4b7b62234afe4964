/* The node the node-level fuzz targets drive (fuzz_node, fuzz_control):
 * one identity (the prosecution's key), a scratch store on tmpfs, and one
 * case naming suspect, counsel and victim, signed at a fixed time, so each
 * input starts from the same state and a crash replays from its input
 * alone. Every frame the node sends must decode (SPEC §14.2). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "node_fixture.h"

static char dir[64], store[128];
static uint8_t charter_body[1024];
static size_t charter_len;
pl_key *fx_keys[FX_NKEYS];
uint8_t fx_case_id[PL_CASE_ID_BYTES];
int fx_trace;

pl_key *fx_key(int who)
{
    uint8_t seed[PL_SEED_BYTES];
    memset(seed, 0x50 + who, sizeof seed);
    return pl_key_from_seed(seed);
}

static void on_send(void *ctx, uint32_t peer, const uint8_t *frame, size_t len)
{
    (void)ctx, (void)peer;
    pl_wire w;
    if (pl_wire_decode(frame, len, &w) != PL_OK)
        abort(); /* the node emitted a frame no peer could read */
    if (fx_trace) /* PARLEY_FUZZ_NODE_TRACE: what the node sends, to check the seeds */
        fprintf(stderr, "  node -> %s%s%s\n", pl_wire_kind_name(w.kind),
                w.kind == PL_W_ERROR ? " " : "", w.kind == PL_W_ERROR ? pl_errname(w.u.error.code) : "");
    pl_wire_free(&w);
}

static void on_log(void *ctx, pl_log_level level, const char *line)
{
    (void)ctx, (void)level, (void)line;
}

static void on_drop(void *ctx, uint32_t peer)
{
    (void)ctx, (void)peer;
}

static void cleanup(void)
{
    char path[160];
    static const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", store, suffix[i]);
        unlink(path);
    }
    rmdir(dir);
}

void fx_setup(void)
{
    if (pl_init() != PL_OK)
        abort();
    snprintf(dir, sizeof dir, "/dev/shm/parley-fuzz-%ld", (long)getpid());
    if (access("/dev/shm", W_OK) != 0)
        snprintf(dir, sizeof dir, "/tmp/parley-fuzz-%ld", (long)getpid());
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        abort();
    snprintf(store, sizeof store, "%s/store.db", dir);
    atexit(cleanup);
    fx_trace = getenv("PARLEY_FUZZ_NODE_TRACE") != NULL;
    for (int i = 0; i < FX_NKEYS; i++)
        fx_keys[i] = fx_key(i);
    static const pl_role roles[FX_NKEYS] = {PL_ROLE_PROSECUTION, PL_ROLE_SUSPECT, PL_ROLE_COUNSEL,
                                         PL_ROLE_VICTIM};
    static char *names[FX_NKEYS] = {"P", "S", "C", "V"};
    pl_participant ps[FX_NKEYS];
    memset(ps, 0, sizeof ps);
    for (int i = 0; i < FX_NKEYS; i++) {
        memcpy(ps[i].key, pl_key_pk(fx_keys[i]), PL_PK_BYTES);
        ps[i].role = roles[i];
        ps[i].name = names[i];
    }
    for (int i = 1; i < FX_NKEYS; i++) /* ascending by key */
        for (int j = i; j > 0 && memcmp(ps[j - 1].key, ps[j].key, PL_PK_BYTES) > 0; j--) {
            pl_participant t = ps[j];
            ps[j] = ps[j - 1], ps[j - 1] = t;
        }
    pl_body b = {.type = PL_T_CHARTER};
    memset(b.u.charter.case_nonce, 0x77, 32);
    b.u.charter.title = "fuzz case";
    b.u.charter.participants = ps;
    b.u.charter.nparticipants = FX_NKEYS;
    if (pl_body_encode(&b, charter_body, sizeof charter_body, &charter_len) != PL_OK)
        abort();
    pl_case_id_derive(pl_key_pk(fx_keys[FX_PROSECUTION]), b.u.charter.case_nonce, fx_case_id);
}

/* A node on a fresh store with the case; the charter's id in charter_id. */
pl_node *fx_node_new(uint8_t charter_id[PL_ID_BYTES])
{
    char path[160];
    static const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", store, suffix[i]);
        unlink(path);
    }
    /* issue 17: a budget of one byte and 1 ms to idle, so the case leaves
     * memory at every tick and every frame after one finds it loaded again
     * from the store (what a peer does to an idle case) */
    pl_node_config cfg = {.store_path = store, .nkeys = 1, .attest_interval_ms = 1000,
                          .send = on_send, .log = on_log, .drop = on_drop,
                          .cache_bytes = 1, .cache_idle_ms = 1,
                          .log_level = PL_LOG_ERROR};
    cfg.keys[0] = fx_key(FX_PROSECUTION);
    pl_node *n;
    if (pl_node_open(&cfg, FX_T0, &n) != PL_OK ||
        pl_node_post(n, fx_case_id, PL_T_CHARTER, charter_body, charter_len, NULL, 1, FX_T0,
                     charter_id) != PL_OK ||
        pl_node_flush(n) != PL_OK)
        abort();
    return n;
}


uint8_t *fx_next(const uint8_t *data, size_t size, size_t *off, size_t *len)
{
    if (*off + 3 > size)
        return NULL;
    size_t n = (size_t)data[*off] << 16 | (size_t)data[*off + 1] << 8 | data[*off + 2];
    *off += 3;
    if (n > size - *off)
        n = size - *off;
    uint8_t *b = malloc(n ? n : 1);
    if (b == NULL)
        abort();
    memcpy(b, data + *off, n);
    *off += n;
    *len = n;
    return b;
}

size_t fx_put(uint8_t *out, size_t off, const uint8_t *b, size_t n)
{
    if (n > 0xffffff)
        abort();
    out[off] = (uint8_t)(n >> 16), out[off + 1] = (uint8_t)(n >> 8), out[off + 2] = (uint8_t)n;
    memcpy(out + off + 3, b, n);
    return off + 3 + n;
}

void fx_write_seed(const char *out_dir, const char *name, const uint8_t *b, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(b, 1, n, f) != n || fclose(f) != 0)
        abort();
}
