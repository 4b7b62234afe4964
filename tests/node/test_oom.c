/* Allocation-failure injection over a negotiation, as SQLite's OOM tests do
 * (issue 18 §1): a node on a scratch store takes a peer's frames in
 * batches, and from the Nth allocation on every allocation fails, for N
 * over the whole scenario. Whatever N, the node must stop cleanly (no crash,
 * nothing half-stored), the store must reopen, and every message the node
 * acknowledged must be in it; a restarted node then takes the whole
 * scenario again.
 *
 * What is injected: malloc, calloc and realloc called from libparley and the
 * node (the test links with --wrap), and SQLite's allocator
 * (SQLITE_CONFIG_MALLOC). Allocations inside other shared libraries
 * (msgpack-c, libzmq, libc's own) are not: the node uses msgpack-c only
 * through libparley's codec, and no socket is involved here.
 *
 * Each N is run twice, as SQLite's tests do: transient (only the Nth
 * allocation fails: memory comes back, and the node must not go on storing
 * past what it lost) and persistent (every allocation from N on fails, a
 * process at its address-space limit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "node.h"
#include "store.h"

/* ---- the injector ----------------------------------------------------------- */

static long long inj_count, inj_at = -1; /* fail the inj_at-th allocation (and on) */
static int inj_failed, inj_persistent;

static int inject(void)
{
    if (inj_at < 0)
        return 0;
    long long k = inj_count++;
    if (k == inj_at || (inj_persistent && k > inj_at)) {
        inj_failed = 1;
        return 1;
    }
    return 0;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n)
{
    return inject() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return inject() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return inject() ? NULL : __real_realloc(p, n);
}

static sqlite3_mem_methods sqlite_mem;

static void *sq_malloc(int n)
{
    return inject() ? NULL : sqlite_mem.xMalloc(n);
}

static void *sq_realloc(void *p, int n)
{
    return inject() ? NULL : sqlite_mem.xRealloc(p, n);
}

static void arm(long long at)
{
    inj_count = 0, inj_failed = 0, inj_at = at;
}

static void disarm(void)
{
    inj_at = -1;
}

/* ---- the scenario ------------------------------------------------------------ */

#define T0 1800000000000ull
#define NOPINIONS 24
#define PER_BATCH 3

enum { K_P, K_C, K_N };
static pl_key *keys[K_N];
static uint8_t case_id[PL_CASE_ID_BYTES], charter_id[PL_ID_BYTES];
static uint8_t charter_body[1024];
static size_t charter_len;
static char dir[64], store_path[128];
static uint8_t *frames[NOPINIONS + 2];
static size_t frame_len[NOPINIONS + 2], nframes;
static uint8_t ids[NOPINIONS + 1][PL_ID_BYTES]; /* the peer's messages, in order */

/* What the node sent: the ids it acknowledged. */
static uint8_t acked[NOPINIONS + 1][PL_ID_BYTES];
static size_t nacked;

static pl_key *key(int who)
{
    uint8_t seed[PL_SEED_BYTES];
    memset(seed, 0x60 + who, sizeof seed);
    return pl_key_from_seed(seed);
}

static void on_send(void *ctx, uint32_t peer, const uint8_t *frame, size_t len)
{
    (void)ctx, (void)peer;
    pl_wire w;
    long long saved = inj_at;
    disarm(); /* the test's own bookkeeping is not under test */
    if (pl_wire_decode(frame, len, &w) == PL_OK) {
        if (w.kind == PL_W_ACK && nacked < NOPINIONS + 1)
            memcpy(acked[nacked++], w.u.ack.id, PL_ID_BYTES);
        pl_wire_free(&w);
    }
    inj_at = saved;
}

static void on_log(void *ctx, pl_log_level level, const char *line)
{
    (void)ctx, (void)level, (void)line;
}

static void on_drop(void *ctx, uint32_t peer)
{
    (void)ctx, (void)peer;
}

static void remove_store(void)
{
    char path[160];
    static const char *suffix[] = {"", "-wal", "-shm", ".lock"};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s%s", store_path, suffix[i]);
        unlink(path);
    }
}

static size_t cache_bytes; /* issue 17: 0, or the budget of a lazy node */

static int open_node(pl_node **n)
{
    pl_node_config cfg = {.store_path = store_path, .nkeys = 1, .attest_interval_ms = 1000,
                          .send = on_send, .log = on_log, .drop = on_drop,
                          .cache_bytes = cache_bytes, .cache_idle_ms = 1,
                          .log_level = PL_LOG_ERROR};
    cfg.keys[0] = key(K_P);
    return pl_node_open(&cfg, T0, n);
}

static void frame_of(const pl_wire *w)
{
    if (pl_wire_encode(w, &frames[nframes], &frame_len[nframes]) != PL_OK)
        abort();
    nframes++;
}

/* Counsel's seq with this body, after prev, seeing the charter. */
static pl_msg *counsel_says(uint64_t seq, const pl_msg *prev, const pl_body *b)
{
    static uint8_t body[PL_BODY_MAX_BYTES];
    size_t blen;
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, case_id, 32);
    h.seq = seq;
    h.has_prev = prev != NULL;
    if (prev)
        memcpy(h.prev, pl_msg_id(prev), 32);
    h.timestamp_ms = T0 + 10 * seq;
    h.type = b->type;
    h.nrefs = 1;
    memcpy(h.refs[0].author, pl_key_pk(keys[K_P]), 32);
    h.refs[0].seq = 1;
    memcpy(h.refs[0].id, charter_id, 32);
    pl_msg *m;
    if (pl_body_encode(b, body, sizeof body, &blen) != PL_OK ||
        pl_msg_sign(&h, body, blen, keys[K_C], &m) != PL_OK)
        abort();
    return m;
}

/* The node on a fresh store, with the charter it signed. */
static pl_node *fresh_node(void)
{
    remove_store();
    pl_node *n;
    uint8_t id[PL_ID_BYTES];
    if (open_node(&n) != PL_OK ||
        pl_node_post(n, case_id, PL_T_CHARTER, charter_body, charter_len, NULL, 1, T0, id) != PL_OK ||
        pl_node_flush(n) != PL_OK)
        abort();
    memcpy(charter_id, id, PL_ID_BYTES);
    return n;
}

static void setup_scenario(void)
{
    snprintf(dir, sizeof dir, "/dev/shm/parley-oom-%ld", (long)getpid());
    if (access("/dev/shm", W_OK) != 0)
        snprintf(dir, sizeof dir, "/tmp/parley-oom-%ld", (long)getpid());
    if (mkdir(dir, 0700) != 0)
        abort();
    snprintf(store_path, sizeof store_path, "%s/store.db", dir);
    for (int i = 0; i < K_N; i++)
        keys[i] = key(i);
    pl_participant ps[2];
    memset(ps, 0, sizeof ps);
    memcpy(ps[0].key, pl_key_pk(keys[K_P]), 32), ps[0].role = PL_ROLE_PROSECUTION, ps[0].name = (char *)"P";
    memcpy(ps[1].key, pl_key_pk(keys[K_C]), 32), ps[1].role = PL_ROLE_COUNSEL, ps[1].name = (char *)"C";
    if (memcmp(ps[0].key, ps[1].key, 32) > 0) {
        pl_participant t = ps[0];
        ps[0] = ps[1], ps[1] = t;
    }
    /* a suspect is required (SPEC §13.2): a key nobody here uses */
    pl_participant all[3];
    memset(all, 0, sizeof all);
    pl_key *s = key(9);
    memcpy(all[0].key, pl_key_pk(s), 32), all[0].role = PL_ROLE_SUSPECT, all[0].name = (char *)"S";
    pl_key_destroy(&s);
    all[1] = ps[0], all[2] = ps[1];
    for (int i = 1; i < 3; i++)
        for (int j = i; j > 0 && memcmp(all[j - 1].key, all[j].key, 32) > 0; j--) {
            pl_participant t = all[j];
            all[j] = all[j - 1], all[j - 1] = t;
        }
    pl_body b = {.type = PL_T_CHARTER};
    memset(b.u.charter.case_nonce, 0x33, 32);
    b.u.charter.title = (char *)"allocation failures";
    b.u.charter.participants = all;
    b.u.charter.nparticipants = 3;
    if (pl_body_encode(&b, charter_body, sizeof charter_body, &charter_len) != PL_OK)
        abort();
    pl_case_id_derive(pl_key_pk(keys[K_P]), b.u.charter.case_nonce, case_id);
    pl_node *n = fresh_node(); /* fixes the charter's id */
    pl_node_close(&n);

    pl_wire hello = {.kind = PL_W_HELLO};
    memcpy(hello.u.hello.node, pl_key_pk(keys[K_C]), 32);
    hello.u.hello.ncases = 1;
    hello.u.hello.cases = &case_id;
    frame_of(&hello);
    pl_body join = {.type = PL_T_JOIN};
    memcpy(join.u.join.charter, charter_id, 32);
    pl_msg *prev = counsel_says(1, NULL, &join);
    static char text[6000];
    for (int i = 0; i <= NOPINIONS; i++) {
        pl_msg *m = prev;
        if (i > 0) {
            /* some long enough for SQLite's overflow pages */
            size_t len = i % 4 == 0 ? sizeof text - 1 : 40;
            memset(text, 'a' + i % 26, len);
            text[len] = '\0';
            pl_body op = {.type = PL_T_OPINION};
            op.u.opinion.topic = PL_TOPIC_SENTENCE;
            op.u.opinion.text = text;
            m = counsel_says((uint64_t)i + 1, prev, &op);
            pl_msg_destroy(&prev);
        }
        memcpy(ids[i], pl_msg_id(m), PL_ID_BYTES);
        pl_wire w = {.kind = PL_W_MSG};
        w.u.msg.bytes = (uint8_t *)pl_msg_bytes(m, &w.u.msg.len);
        frame_of(&w);
        prev = m;
    }
    pl_msg_destroy(&prev);
}

/* Feeds the scenario to n in batches until the end or a failed batch;
 * 0 if every batch committed. */
static int play(pl_node *n)
{
    int peer = pl_node_peer_open(n, pl_key_pk(keys[K_C]), T0 + 1);
    if (peer < 0)
        return PL_E_NOMEM;
    uint64_t now = T0 + 2;
    int rc = PL_OK;
    for (size_t i = 0; i < nframes && rc == PL_OK; i++) {
        pl_node_frame(n, (uint32_t)peer, frames[i], frame_len[i], now);
        now += 50;
        if ((i + 1) % PER_BATCH == 0 || i + 1 == nframes)
            rc = pl_node_flush(n);
    }
    pl_node_peer_close(n, (uint32_t)peer);
    return rc;
}

struct held {
    uint8_t (*ids)[PL_ID_BYTES];
    size_t n;
};

static int held_one(void *ctx, const uint8_t *b, size_t len)
{
    struct held *h = ctx;
    pl_msg *m;
    if (pl_msg_load(b, len, case_id, &m) != PL_OK)
        return PL_E_STORE;
    memcpy(h->ids[h->n++], pl_msg_id(m), PL_ID_BYTES);
    pl_msg_destroy(&m);
    return PL_OK;
}

/* Whether the store holds the message. */
static int stored(uint8_t (*in)[PL_ID_BYTES], size_t n, const uint8_t id[PL_ID_BYTES])
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(in[i], id, PL_ID_BYTES) == 0)
            return 1;
    return 0;
}

/* One run failing from allocation at on; returns how many allocations the
 * run made when at < 0 (nothing failing). */
static long long run(long long at, int persistent)
{
    inj_persistent = persistent;
    pl_node *n = fresh_node();
    nacked = 0;
    arm(at < 0 ? (long long)1 << 62 : at);
    int rc = play(n);
    long long made = inj_count;
    int failed = inj_failed;
    disarm();
    pl_node_close(&n);
    if (at < 0)
        assert_int_equal(rc, PL_OK);
    if (!failed)
        assert_int_equal(rc, PL_OK);

    /* the store reopens: no chain with a gap, nothing half-written */
    int orc = open_node(&n);
    if (orc != PL_OK)
        fail_msg("allocation %lld of %s: the store does not reopen: %s", at,
                 failed ? "a failed run" : "a run", pl_strerror(orc));
    pl_node_close(&n);
    /* and holds every message the node acknowledged */
    pl_store *s;
    assert_int_equal(pl_store_open(store_path, &s), PL_OK);
    static uint8_t have[NOPINIONS + 2][PL_ID_BYTES];
    struct held h = {have, 0};
    assert_int_equal(pl_store_each(s, case_id, held_one, &h), PL_OK);
    pl_store_close(&s);
    for (size_t i = 0; i < nacked; i++)
        if (!stored(have, h.n, acked[i]))
            fail_msg("allocation %lld: an acknowledged message is not in the store", at);
    /* a restarted node takes everything the peer sends again */
    assert_int_equal(open_node(&n), PL_OK);
    nacked = 0;
    assert_int_equal(play(n), PL_OK);
    pl_node_close(&n);
    assert_int_equal(pl_store_open(store_path, &s), PL_OK);
    h.n = 0;
    assert_int_equal(pl_store_each(s, case_id, held_one, &h), PL_OK);
    pl_store_close(&s);
    for (int i = 0; i <= NOPINIONS; i++)
        if (!stored(have, h.n, ids[i]))
            fail_msg("allocation %lld: after the restart message %d was not stored", at, i);
    return made;
}

static void test_allocation_failures_keep_the_store(void **state)
{
    (void)state;
    long long total = run(-1, 0);
    assert_true(total > 100);
    /* every allocation for the first few hundred, then a stride: a few
     * hundred runs of each kind, whatever the scenario costs */
    long long stride = total / 400 + 1, runs = 0;
    for (long long at = 0; at < total; at += at < 300 ? 1 : stride, runs++) {
        run(at, 0);
        run(at, 1);
    }
    printf("test_oom: %lld allocations, each failed alone and from there on (%lld runs)\n",
           total, 2 * runs);
}

/* SPEC §6.5 (issue 18 §7): a message stamped far ahead of the node's clock
 * is kept (clocks are claims) but counted and warned of. */
static void test_future_timestamp_warned_s6_5(void **state)
{
    (void)state;
    pl_node *n = fresh_node();
    int peer = pl_node_peer_open(n, pl_key_pk(keys[K_C]), T0 + 1);
    assert_true(peer >= 0);
    pl_node_frame(n, (uint32_t)peer, frames[0], frame_len[0], T0 + 2); /* HELLO */
    pl_node_frame(n, (uint32_t)peer, frames[1], frame_len[1], T0 + 3); /* join, at T0 + 10 */
    assert_int_equal(pl_node_flush(n), PL_OK);
    pl_node_stats st;
    pl_node_stats_get(n, &st);
    assert_int_equal(st.future, 0);
    pl_body op = {.type = PL_T_OPINION};
    op.u.opinion.topic = PL_TOPIC_SENTENCE;
    op.u.opinion.text = (char *)"from the future";
    static uint8_t body[1024];
    size_t blen;
    assert_int_equal(pl_body_encode(&op, body, sizeof body, &blen), PL_OK);
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, case_id, 32);
    h.seq = 2, h.has_prev = 1;
    memcpy(h.prev, ids[0], 32);
    h.timestamp_ms = T0 + PL_NODE_SKEW_MS + 60000; /* 11 minutes ahead */
    h.type = PL_T_OPINION;
    pl_msg *m;
    assert_int_equal(pl_msg_sign(&h, body, blen, keys[K_C], &m), PL_OK);
    pl_wire w = {.kind = PL_W_MSG};
    w.u.msg.bytes = (uint8_t *)pl_msg_bytes(m, &w.u.msg.len);
    uint8_t *f;
    size_t flen;
    assert_int_equal(pl_wire_encode(&w, &f, &flen), PL_OK);
    nacked = 0;
    pl_node_frame(n, (uint32_t)peer, f, flen, T0 + 4);
    assert_int_equal(pl_node_flush(n), PL_OK);
    pl_node_stats_get(n, &st);
    assert_int_equal(st.future, 1);
    assert_int_equal(nacked, 1); /* kept all the same */
    free(f);
    pl_msg_destroy(&m);
    pl_node_peer_close(n, (uint32_t)peer);
    pl_node_close(&n);
}

/* ---- a disk that fills up (issue 18 §4) ------------------------------------ */

/* SQLite's "unix" VFS, except that every write fails with SQLITE_FULL
 * while disk_full is set: what a full disk does, in-process. */
static int disk_full;
static sqlite3_vfs *unix_vfs, full_vfs;

typedef struct {
    sqlite3_file base;
    sqlite3_file *real;
} full_file;

#define REAL(f) (((full_file *)(f))->real)
static int ff_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
    free(REAL(f));
    return rc;
}
static int ff_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int ff_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    return disk_full ? SQLITE_FULL : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int ff_sync(sqlite3_file *f, int flags)
{
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int ff_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int ff_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int ff_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int ff_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int ff_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int ff_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int ff_chars(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int ff_shm_map(sqlite3_file *f, int i, int size, int extend, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), i, size, extend, p);
}
static int ff_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void ff_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int ff_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static const sqlite3_io_methods full_io = {
    2, ff_close, ff_read, ff_write, ff_truncate, ff_sync, ff_size, ff_lock, ff_unlock,
    ff_reserved, ff_control, ff_sector, ff_chars, ff_shm_map, ff_shm_lock, ff_shm_barrier,
    ff_shm_unmap, NULL, NULL};

static int fv_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    full_file *ff = (full_file *)f;
    ff->base.pMethods = NULL;
    if ((ff->real = calloc(1, (size_t)unix_vfs->szOsFile)) == NULL)
        return SQLITE_NOMEM;
    int rc = unix_vfs->xOpen(unix_vfs, name, ff->real, flags, out);
    if (rc == SQLITE_OK)
        ff->base.pMethods = &full_io;
    else
        free(ff->real);
    return rc;
}

/* The default VFS from now on (before any store is opened). */
static void install_full_vfs(void)
{
    unix_vfs = sqlite3_vfs_find(NULL);
    full_vfs = *unix_vfs;
    full_vfs.iVersion = 2; /* no xNextSystemCall: the wrapper has none to pass on */
    full_vfs.szOsFile = (int)sizeof(full_file);
    full_vfs.zName = "parley-test-full";
    full_vfs.xOpen = fv_open;
    full_vfs.pNext = NULL;
    sqlite3_vfs_register(&full_vfs, 1);
}

/* Issue 18 §4 (review): the lost batch held this node's own message, which
 * a peer had brought back (a restore). After the node went back to its
 * store it must not sign at that seq again: it is not synced until the
 * peer shows it the message again, and then it signs after it. */
static void test_disk_full_loses_own_message_s14_11(void **state)
{
    (void)state;
    pl_node *n = fresh_node(); /* holds the charter, P's seq 1 */
    static uint8_t body[1024];
    size_t blen;
    pl_item item = {.size = 1, .title = (char *)"lab report"};
    memset(item.hash, 1, sizeof item.hash);
    pl_body d = {.type = PL_T_DISCLOSE};
    d.u.disclose.nitems = 1, d.u.disclose.items = &item;
    assert_int_equal(pl_body_encode(&d, body, sizeof body, &blen), PL_OK);
    /* P's seq 2, signed elsewhere (this store lost it) */
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, case_id, 32);
    h.seq = 2, h.has_prev = 1;
    memcpy(h.prev, charter_id, 32);
    h.timestamp_ms = T0 + 10;
    h.type = PL_T_DISCLOSE;
    pl_msg *p2;
    assert_int_equal(pl_msg_sign(&h, body, blen, keys[K_P], &p2), PL_OK);
    pl_node_close(&n);
    assert_int_equal(open_node(&n), PL_OK); /* restarted: not synced until a peer shows it */
    int peer = pl_node_peer_open(n, pl_key_pk(keys[K_C]), T0 + 1);
    assert_true(peer >= 0);
    pl_node_frame(n, (uint32_t)peer, frames[0], frame_len[0], T0 + 2); /* HELLO */
    pl_wire hw = {.kind = PL_W_HEADS};
    memcpy(hw.u.heads.case_id, case_id, 32);
    hw.u.heads.n = 1;
    memcpy(hw.u.heads.heads[0].author, pl_key_pk(keys[K_P]), 32);
    hw.u.heads.heads[0].seq = 2;
    memcpy(hw.u.heads.heads[0].id, pl_msg_id(p2), 32);
    uint8_t *f;
    size_t flen;
    assert_int_equal(pl_wire_encode(&hw, &f, &flen), PL_OK);
    pl_node_frame(n, (uint32_t)peer, f, flen, T0 + 3);
    free(f);
    assert_int_equal(pl_node_flush(n), PL_OK);
    pl_wire mw = {.kind = PL_W_MSG};
    mw.u.msg.bytes = (uint8_t *)pl_msg_bytes(p2, &mw.u.msg.len);
    assert_int_equal(pl_wire_encode(&mw, &f, &flen), PL_OK);
    pl_node_frame(n, (uint32_t)peer, f, flen, T0 + 4);
    disk_full = 1;
    assert_int_equal(pl_node_flush(n), PL_E_DISK); /* lost: back to the store */
    disk_full = 0;
    pl_node_tick(n, T0 + 5000); /* the disk has room again */
    item.title = (char *)"another report";
    assert_int_equal(pl_body_encode(&d, body, sizeof body, &blen), PL_OK);
    uint8_t id[PL_ID_BYTES];
    assert_int_equal(pl_node_post(n, case_id, PL_T_DISCLOSE, body, blen, NULL, 0, T0 + 5001, id),
                     PL_E_NOT_SYNCED); /* never a second seq 2 */
    /* the peer sends it again; then the node signs seq 3 */
    pl_node_frame(n, (uint32_t)peer, f, flen, T0 + 5002);
    assert_int_equal(pl_node_flush(n), PL_OK);
    assert_int_equal(pl_node_post(n, case_id, PL_T_DISCLOSE, body, blen, NULL, 0, T0 + 5003, id),
                     PL_OK);
    free(f);
    pl_msg_destroy(&p2);
    pl_node_peer_close(n, (uint32_t)peer);
    pl_node_close(&n);
}

/* Issue 18 §4 (review): allocations failing while a full disk makes the
 * node go back to its store: whatever fails, the node is left whole (no
 * case freed twice) and closes cleanly (ASan checks it in CI). */
static void test_disk_full_reload_failures(void **state)
{
    (void)state;
    for (long long at = 0; at < 400; at += 3) {
        pl_node *n = fresh_node();
        int peer = pl_node_peer_open(n, pl_key_pk(keys[K_C]), T0 + 1);
        assert_true(peer >= 0);
        for (size_t i = 0; i < 3; i++)
            pl_node_frame(n, (uint32_t)peer, frames[i], frame_len[i], T0 + 2 + i);
        disk_full = 1;
        inj_persistent = 1;
        arm(at);
        int rc = pl_node_flush(n);
        disarm();
        disk_full = 0;
        assert_true(rc == PL_E_DISK || rc == PL_E_NOMEM || rc == PL_E_STORE);
        pl_node_tick(n, T0 + 10000);
        pl_node_peer_close(n, (uint32_t)peer);
        pl_node_close(&n);
    }
}

/* Issue 17 (review): a batch lost to a full disk on a node that keeps no
 * idle case in memory. Going back to the store must leave the case whole
 * (its summary names the peer, its heads are the stored ones), so that
 * once the disk has room the peer's frames sent again are all stored. */
static void test_disk_full_lazy_case_stays_whole(void **state)
{
    (void)state;
    cache_bytes = 1;
    pl_node *n = fresh_node();
    int peer = pl_node_peer_open(n, pl_key_pk(keys[K_C]), T0 + 1);
    assert_true(peer >= 0);
    uint64_t now = T0 + 2;
    for (size_t i = 0; i < 5; i++) /* HELLO, the join, three opinions: stored */
        pl_node_frame(n, (uint32_t)peer, frames[i], frame_len[i], now++);
    assert_int_equal(pl_node_flush(n), PL_OK);
    pl_node_tick(n, now += 1000); /* idle: the case leaves memory */
    for (size_t i = 5; i < 9; i++)
        pl_node_frame(n, (uint32_t)peer, frames[i], frame_len[i], now++);
    disk_full = 1;
    assert_int_equal(pl_node_flush(n), PL_E_DISK); /* those four are lost */
    disk_full = 0;
    uint64_t stored;
    assert_int_equal(pl_store_count(pl_node_store(n), case_id, &stored), PL_OK);
    assert_int_equal(stored, 5); /* the charter, the join, three opinions */
    pl_node_case_info ci;
    assert_int_equal(pl_node_case_summary(n, 0, &ci), PL_OK);
    assert_int_equal(ci.messages, 5);
    pl_node_tick(n, now += 5000); /* the disk has room again */
    for (size_t i = 5; i < nframes; i++)
        pl_node_frame(n, (uint32_t)peer, frames[i], frame_len[i], now++);
    assert_int_equal(pl_node_flush(n), PL_OK);
    assert_int_equal(pl_store_count(pl_node_store(n), case_id, &stored), PL_OK);
    assert_int_equal(stored, nframes); /* every message: the charter and the peer's */
    pl_node_tick(n, now += 1000);
    assert_int_equal(pl_node_case_summary(n, 0, &ci), PL_OK);
    assert_int_equal(ci.messages, nframes);
    pl_node_peer_close(n, (uint32_t)peer);
    pl_node_close(&n);
    /* and from its summary after a restart */
    assert_int_equal(open_node(&n), PL_OK);
    assert_int_equal(pl_node_case_summary(n, 0, &ci), PL_OK);
    assert_int_equal(ci.messages, nframes);
    assert_int_equal(ci.resident, 0);
    pl_node_close(&n);
    cache_bytes = 0;
}

static void cleanup(void)
{
    remove_store();
    rmdir(dir);
    for (size_t i = 0; i < nframes; i++)
        free(frames[i]);
    for (int i = 0; i < K_N; i++)
        pl_key_destroy(&keys[i]);
}

int main(void)
{
    /* SQLite's allocator, wrapped, before SQLite initializes */
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) != SQLITE_OK)
        return 1;
    sqlite3_mem_methods wrapped = sqlite_mem;
    wrapped.xMalloc = sq_malloc;
    wrapped.xRealloc = sq_realloc;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped) != SQLITE_OK)
        return 1;
    install_full_vfs();
    if (pl_init() != PL_OK)
        return 1;
    setup_scenario();
    atexit(cleanup);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocation_failures_keep_the_store),
        cmocka_unit_test(test_future_timestamp_warned_s6_5),
        cmocka_unit_test(test_disk_full_loses_own_message_s14_11),
        cmocka_unit_test(test_disk_full_reload_failures),
        cmocka_unit_test(test_disk_full_lazy_case_stays_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
