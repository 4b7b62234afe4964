/* The node's durable store on SQLite (see store.h for the contract).
 *
 * One database file per node, in WAL mode with synchronous=FULL, so that a
 * committed transaction survives a killed process and a power cut; a lock
 * file held with fcntl() so that a second parleyd on the same home refuses
 * to start rather than fork its own chain (LESSONS: forks are mostly two
 * writers on one key). Messages are kept as their exact signed bytes. */
#define _GNU_SOURCE /* F_OFD_SETLK */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "store.h"

/* 2: the cases table (issue 17), which a version 1 store gets on opening. */
#define STORE_VERSION 2

struct pl_store {
    sqlite3 *db;
    int lock_fd;
    sqlite3_stmt *put, *get_slot, *each, *put_proof, *each_proof, *count, *range;
    sqlite3_stmt *case_msg, *case_proof, *put_summary;
    int in_batch;
    int failed; /* a put of the open batch failed: the batch is lost whole */
    uint64_t id; /* its identity (meta store_id), never 0 */
    char *marker; /* removed after a clean close, before the lock goes */
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    /* Two B-trees per row: the table in arrival order (rowid: loading
     * replays it, so predecessors come first) and the primary key, which
     * also serves lookups by case. No index on the id: the verifier in
     * memory tells duplicates from forks, and random 32-byte keys are the
     * costliest to maintain. */
    "CREATE TABLE IF NOT EXISTS messages ("
    "  case_id BLOB NOT NULL, author BLOB NOT NULL, seq INTEGER NOT NULL,"
    "  id BLOB NOT NULL, bytes BLOB NOT NULL,"
    "  PRIMARY KEY (case_id, author, seq));"
    "CREATE TABLE IF NOT EXISTS proofs ("
    "  case_id BLOB NOT NULL, author BLOB NOT NULL, seq INTEGER NOT NULL, bytes BLOB NOT NULL,"
    "  PRIMARY KEY (case_id, author, seq));"
    "CREATE TABLE IF NOT EXISTS peers (key BLOB PRIMARY KEY, endpoint TEXT NOT NULL);"
    /* Issue 17: one row per case, so that a node starts from this table
     * alone. messages and proofs count what is stored, in the transaction
     * that stores it; summary is what the node last said of the case, and
     * holds while summary_messages and summary_proofs still equal them
     * (a crash between the two leaves it stale, never wrong). */
    "CREATE TABLE IF NOT EXISTS cases ("
    "  case_id BLOB PRIMARY KEY, messages INTEGER NOT NULL, proofs INTEGER NOT NULL DEFAULT 0,"
    "  summary BLOB, summary_messages INTEGER, summary_proofs INTEGER) WITHOUT ROWID;";

/* Version 1 to 2: the cases table, counted from what is stored; every
 * summary is missing, so the node judges each case once more. */
static const char upgrade_1_2[] =
    "BEGIN IMMEDIATE;"
    "INSERT OR IGNORE INTO cases (case_id, messages)"
    "  SELECT case_id, count(*) FROM messages GROUP BY case_id;"
    "UPDATE cases SET proofs = (SELECT count(*) FROM proofs WHERE proofs.case_id = cases.case_id);"
    "UPDATE meta SET value = 2 WHERE key = 'version';"
    "COMMIT;";

/* Issue 18 §8: what the last failure was, with SQLite's own words and
 * code and what to do about it, for the one line parleyd prints. */
static char last_error[640];

const char *pl_store_error(void)
{
    return last_error[0] ? last_error : "no detail";
}

void pl_store_set_error(const char *what)
{
    snprintf(last_error, sizeof last_error, "%s", what);
}

static const char *next_step(int code)
{
    switch (code & 0xff) {
    case SQLITE_FULL:
        return "the disk is full: free space; a running node resumes by itself";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return "the file is damaged: restore store.db (with store.db-wal) from a backup, or start "
               "with --recover-from-peers";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return "check that the home and its store files belong to this user and are writable";
    case SQLITE_IOERR:
        return "the disk reported an I/O error: check it (dmesg), then start parleyd again";
    case SQLITE_NOMEM:
        return "out of memory: free memory or raise the limit, then start parleyd again";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "another program holds the database: stop it";
    default:
        return "see the SQLite code; restore from a backup if the file is damaged";
    }
}

/* Records db's last error for what was being done; returns PL_E_DISK when
 * the disk is full or cannot be written (issue 18 §4: the node waits for
 * it), PL_E_STORE otherwise. */
static int fail(sqlite3 *db, const char *what)
{
    int code = db ? sqlite3_extended_errcode(db) : SQLITE_CANTOPEN;
    int e = db ? sqlite3_system_errno(db) : errno;
    snprintf(last_error, sizeof last_error, "%s: SQLite: %s (code %d%s%s); %s", what,
             db ? sqlite3_errmsg(db) : "cannot open", code, e ? ", " : "", e ? strerror(e) : "",
             next_step(code));
    /* errno only where SQLite says the system failed (it keeps the last
     * one, which a later corrupt or busy error would otherwise inherit) */
    int sys = (code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_CANTOPEN ||
              (code & 0xff) == SQLITE_READONLY;
    if ((code & 0xff) == SQLITE_FULL ||
        (sys && (e == ENOSPC || e == EDQUOT || e == EROFS || e == EIO)))
        return PL_E_DISK;
    return PL_E_STORE;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    return sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK ? PL_OK
                                                                    : fail(db, "preparing a query");
}

/* Reads the store's random identity, making it the first time. */
static int store_identity(pl_store *s)
{
    sqlite3_stmt *st;
    if (prepare(s->db, "SELECT value FROM meta WHERE key = 'store_id'", &st) != PL_OK)
        return PL_E_STORE;
    int step = sqlite3_step(st);
    int64_t id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (step == SQLITE_ROW && id > 0) {
        s->id = (uint64_t)id;
        return PL_OK;
    }
    if (step != SQLITE_DONE)
        return PL_E_STORE;
    uint64_t r;
    do {
        randombytes_buf(&r, sizeof r);
        r &= INT64_MAX;
    } while (r == 0);
    if (prepare(s->db, "INSERT INTO meta VALUES ('store_id', ?)", &st) != PL_OK)
        return PL_E_STORE;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)r);
    step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return PL_E_STORE;
    s->id = r;
    return PL_OK;
}

uint64_t pl_store_id(const pl_store *s)
{
    return s ? s->id : 0;
}

/* Exclusive, non-blocking: a second process gets PL_E_LOCKED at once. */
static int take_lock(const char *path, int *fd_out)
{
    char lock[4096];
    if (snprintf(lock, sizeof lock, "%s.lock", path) >= (int)sizeof lock)
        return PL_E_ARG;
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return PL_E_IO;
    /* An open-file-description lock: unlike a classic fcntl lock, it is not
     * dropped when this process closes another descriptor of the file,
     * and a second open in the same process is refused too. */
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    if (fcntl(fd, F_OFD_SETLK, &fl) != 0) {
        int e = errno;
        close(fd);
        return e == EACCES || e == EAGAIN ? PL_E_LOCKED : PL_E_IO;
    }
    *fd_out = fd;
    return PL_OK;
}

int pl_store_open(const char *path, pl_store **out)
{
    int rc;
    if (path == NULL || out == NULL)
        return PL_E_ARG;
    *out = NULL;
    pl_store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return PL_E_NOMEM;
    s->lock_fd = -1;
    if ((rc = take_lock(path, &s->lock_fd)) != PL_OK) {
        free(s);
        return rc;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        fail(s->db, "opening the store");
        pl_store_close(&s);
        return PL_E_STORE;
    }
    sqlite3_extended_result_codes(s->db, 1);
    /* Durable commits: WAL with a full fsync at every commit. The WAL is
     * folded back into the database every 10000 pages (40 MiB) rather than
     * SQLite's 1000: under a sustained load each checkpoint rewrites the
     * index pages many commits touched, so fewer checkpoints write much
     * less (measured: ingest_1k_cases over 150,000 messages 0.62 -> 0.78). */
    /* A page cache of 8 MiB, not 64: the same ingest (ingest_1k_cases,
     * ingest_sustained over a million messages: 0.43 and 0.33 at 8, 16 and
     * 64 MiB) in an eighth of the memory (case_memory, 2026-12-07: 159,800
     * B per active case at 64 MiB, 117,700 at 16; with lean cases 50,300
     * at 16 MiB, 41,400 at 8). */
    if (sqlite3_exec(s->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                     "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=10000;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(s->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        fail(s->db, "reading the store's schema");
        pl_store_close(&s);
        return PL_E_STORE;
    }
    /* The store's format version: refuse what a newer release wrote. */
    sqlite3_stmt *v;
    if (prepare(s->db, "SELECT value FROM meta WHERE key = 'version'", &v) != PL_OK) {
        pl_store_close(&s);
        return PL_E_STORE;
    }
    int step = sqlite3_step(v);
    int64_t version = step == SQLITE_ROW ? sqlite3_column_int64(v, 0) : -1;
    sqlite3_finalize(v);
    if (step == SQLITE_DONE) {
        if (sqlite3_exec(s->db, "INSERT INTO meta VALUES ('version', 2)", NULL, NULL, NULL) !=
            SQLITE_OK) {
            pl_store_close(&s);
            return PL_E_STORE;
        }
    } else if (version == 1) {
        if (sqlite3_exec(s->db, upgrade_1_2, NULL, NULL, NULL) != SQLITE_OK) {
            int urc = fail(s->db, "upgrading the store to format 2");
            if (!sqlite3_get_autocommit(s->db))
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            pl_store_close(&s);
            return urc;
        }
    } else if (version != STORE_VERSION) {
        if (step == SQLITE_ROW)
            snprintf(last_error, sizeof last_error,
                     "the store has format %lld; this parleyd reads format %d: use the release "
                     "that wrote it", (long long)version, STORE_VERSION);
        else
            fail(s->db, "reading the store's version");
        pl_store_close(&s);
        return step == SQLITE_ROW ? PL_E_STORE_VERSION : PL_E_STORE;
    }
    /* Its identity, made once: the home records it (store.id), so that a
     * store that went missing is noticed instead of silently replaced by
     * a new, empty one (parleyd). Older stores get one now. */
    if ((rc = store_identity(s)) != PL_OK) {
        pl_store_close(&s);
        return rc;
    }
    if (prepare(s->db, "INSERT INTO messages (case_id, author, seq, id, bytes) VALUES (?,?,?,?,?)",
                &s->put) != PL_OK ||
        prepare(s->db, "SELECT id FROM messages WHERE case_id = ? AND author = ? AND seq = ?",
                &s->get_slot) != PL_OK ||
        prepare(s->db, "SELECT bytes FROM messages WHERE case_id = ? ORDER BY rowid", &s->each) !=
            PL_OK ||
        prepare(s->db, "INSERT OR IGNORE INTO proofs (case_id, author, seq, bytes) VALUES (?,?,?,?)",
                &s->put_proof) != PL_OK ||
        prepare(s->db, "SELECT bytes FROM proofs WHERE case_id = ? ORDER BY rowid",
                &s->each_proof) != PL_OK ||
        prepare(s->db, "SELECT count(*) FROM messages WHERE case_id = ?", &s->count) != PL_OK ||
        prepare(s->db,
                "SELECT bytes FROM messages WHERE case_id = ? AND author = ? AND seq >= ? "
                "ORDER BY seq LIMIT ?",
                &s->range) != PL_OK ||
        prepare(s->db,
                "INSERT INTO cases (case_id, messages) VALUES (?, 1) "
                "ON CONFLICT (case_id) DO UPDATE SET messages = messages + 1",
                &s->case_msg) != PL_OK ||
        prepare(s->db, "UPDATE cases SET proofs = proofs + 1 WHERE case_id = ?", &s->case_proof) !=
            PL_OK ||
        prepare(s->db,
                "UPDATE cases SET summary = ?, summary_messages = messages, summary_proofs = proofs "
                "WHERE case_id = ?",
                &s->put_summary) != PL_OK) {
        pl_store_close(&s);
        return PL_E_STORE;
    }
    *out = s;
    return PL_OK;
}

void pl_store_close(pl_store **sp)
{
    if (sp == NULL || *sp == NULL)
        return;
    pl_store *s = *sp;
    sqlite3_finalize(s->put);
    sqlite3_finalize(s->get_slot);
    sqlite3_finalize(s->each);
    sqlite3_finalize(s->put_proof);
    sqlite3_finalize(s->each_proof);
    sqlite3_finalize(s->count);
    sqlite3_finalize(s->range);
    sqlite3_finalize(s->case_msg);
    sqlite3_finalize(s->case_proof);
    sqlite3_finalize(s->put_summary);
    int clean = s->db == NULL || sqlite3_close(s->db) == SQLITE_OK;
    if (clean && s->marker)
        unlink(s->marker);
    free(s->marker);
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* releases the fcntl lock: last */
    free(s);
    *sp = NULL;
}

int pl_store_remove_on_close(pl_store *s, const char *path)
{
    if (s == NULL || path == NULL)
        return PL_E_ARG;
    char *p = strdup(path);
    if (p == NULL)
        return PL_E_NOMEM;
    free(s->marker);
    s->marker = p;
    return PL_OK;
}

/* Inside a batch, whether the transaction is still open and whole: SQLite
 * rolls a transaction back by itself on some errors, after which a
 * statement would run (and commit) on its own. */
static int batch_lost(pl_store *s)
{
    if (s->in_batch && !s->failed && sqlite3_get_autocommit(s->db))
        s->failed = 1;
    return s->in_batch && s->failed;
}

/* Ends the savepoint name that made a put outside a batch one transaction:
 * released when step is SQLITE_DONE, rolled back to and released
 * otherwise. step, or SQLITE_ERROR when the release failed (the
 * transaction is then rolled back whole). */
static int savepoint_end(pl_store *s, const char *name, int step)
{
    char sql[64];
    if (step != SQLITE_DONE) {
        snprintf(sql, sizeof sql, "ROLLBACK TO %s", name);
        sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    }
    snprintf(sql, sizeof sql, "RELEASE %s", name);
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return step;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return SQLITE_ERROR;
}

/* The message and its count, in the open transaction. SQLITE_DONE, or the
 * step that failed. */
static int put_counted(pl_store *s, const pl_msg *m)
{
    const pl_header *h = pl_msg_header(m);
    size_t len;
    const uint8_t *bytes = pl_msg_bytes(m, &len);
    sqlite3_reset(s->put);
    sqlite3_bind_blob(s->put, 1, h->case_id, PL_CASE_ID_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s->put, 2, h->author, PL_PK_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(s->put, 3, (sqlite3_int64)h->seq);
    sqlite3_bind_blob(s->put, 4, pl_msg_id(m), PL_ID_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s->put, 5, bytes, (int)len, SQLITE_STATIC);
    int step = sqlite3_step(s->put);
    sqlite3_reset(s->put);
    if (step != SQLITE_DONE)
        return step;
    sqlite3_bind_blob(s->case_msg, 1, h->case_id, PL_CASE_ID_BYTES, SQLITE_STATIC);
    step = sqlite3_step(s->case_msg);
    sqlite3_reset(s->case_msg);
    return step;
}

int pl_store_put(pl_store *s, const pl_msg *m)
{
    const pl_header *h = pl_msg_header(m);

    if (batch_lost(s))
        return PL_E_STORE;
    /* Outside a batch the message and its count are one transaction of
     * their own (a savepoint): durable on return. Inside one, durable at
     * pl_store_commit. */
    int own = !s->in_batch;
    if (own && sqlite3_exec(s->db, "SAVEPOINT put", NULL, NULL, NULL) != SQLITE_OK)
        return fail(s->db, "storing a message");
    int step = put_counted(s, m);
    if (own && (step = savepoint_end(s, "put", step)) == SQLITE_ERROR)
        return fail(s->db, "storing a message");
    if (step == SQLITE_DONE && !batch_lost(s))
        return 0;
    if (step == SQLITE_DONE || (step & 0xff) != SQLITE_CONSTRAINT) {
        s->failed = s->in_batch;
        return step == SQLITE_DONE ? PL_E_STORE : fail(s->db, "storing a message");
    }
    /* (a constraint: the slot is taken) */
    /* The slot is taken: the same message again, or a fork. */
    sqlite3_reset(s->get_slot);
    sqlite3_bind_blob(s->get_slot, 1, h->case_id, PL_CASE_ID_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s->get_slot, 2, h->author, PL_PK_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(s->get_slot, 3, (sqlite3_int64)h->seq);
    int rc = PL_E_STORE;
    if (sqlite3_step(s->get_slot) == SQLITE_ROW) {
        const void *id = sqlite3_column_blob(s->get_slot, 0);
        rc = sqlite3_column_bytes(s->get_slot, 0) == PL_ID_BYTES &&
                     memcmp(id, pl_msg_id(m), PL_ID_BYTES) == 0
                 ? 1
                 : PL_E_EQUIVOCATION;
    }
    sqlite3_reset(s->get_slot);
    return rc;
}

int pl_store_put_proof(pl_store *s, const uint8_t *proof, size_t len)
{
    pl_equiv_info info;
    int rc = pl_equiv_proof_verify(proof, len, &info);
    if (rc != PL_OK)
        return rc;
    if (batch_lost(s))
        return PL_E_STORE;
    int own = !s->in_batch;
    if (own && sqlite3_exec(s->db, "SAVEPOINT proof", NULL, NULL, NULL) != SQLITE_OK)
        return fail(s->db, "storing a proof");
    sqlite3_reset(s->put_proof);
    sqlite3_bind_blob(s->put_proof, 1, info.case_id, PL_CASE_ID_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(s->put_proof, 2, info.author, PL_PK_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(s->put_proof, 3, (sqlite3_int64)info.seq);
    sqlite3_bind_blob(s->put_proof, 4, proof, (int)len, SQLITE_STATIC);
    int step = sqlite3_step(s->put_proof);
    sqlite3_reset(s->put_proof);
    int stored = step == SQLITE_DONE && sqlite3_changes(s->db) == 1;
    if (stored) { /* counted in the same transaction */
        sqlite3_bind_blob(s->case_proof, 1, info.case_id, PL_CASE_ID_BYTES, SQLITE_STATIC);
        step = sqlite3_step(s->case_proof);
        sqlite3_reset(s->case_proof);
    }
    if (own)
        step = savepoint_end(s, "proof", step);
    if (step != SQLITE_DONE || batch_lost(s)) {
        s->failed = s->in_batch;
        return fail(s->db, "storing a proof");
    }
    return stored ? 0 : 1;
}

/* Calls fn on column 0 of each row of a bound statement; resets it. */
static int rows(sqlite3_stmt *st, pl_store_msg_fn fn, void *ctx)
{
    int rc = PL_OK, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *b = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        if ((rc = fn(ctx, b, (size_t)n)) != 0)
            break;
    }
    if (rc == PL_OK && step != SQLITE_DONE)
        rc = fail(sqlite3_db_handle(st), "reading the store");
    sqlite3_reset(st);
    return rc;
}

int pl_store_begin(pl_store *s)
{
    if (s->in_batch)
        return PL_OK;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(s->db, "beginning a batch");
    s->in_batch = 1;
    s->failed = 0;
    return PL_OK;
}

void pl_store_rollback(pl_store *s)
{
    if (s == NULL || !s->in_batch)
        return;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_batch = 0;
    s->failed = 0;
}

int pl_store_commit(pl_store *s)
{
    if (!s->in_batch)
        return PL_OK;
    if (batch_lost(s)) {
        pl_store_rollback(s);
        return PL_E_STORE;
    }
    s->in_batch = 0;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = fail(s->db, "committing a batch");
        if (!sqlite3_get_autocommit(s->db))
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return PL_OK;
}

int pl_store_probe(pl_store *s)
{
    if (s->in_batch)
        return PL_E_ARG;
    /* a small write of its own, as a batch would write: the WAL grows */
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE; INSERT OR REPLACE INTO meta VALUES ('probe', 1); "
                            "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = fail(s->db, "writing again");
        if (!sqlite3_get_autocommit(s->db))
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return PL_OK;
}

int pl_store_range(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES],
                   const uint8_t author[PL_PK_BYTES], uint64_t from_seq, uint64_t max,
                   pl_store_msg_fn fn, void *ctx)
{
    sqlite3_stmt *st = s->range;
    if (from_seq > INT64_MAX || max > INT64_MAX)
        return PL_E_ARG;
    sqlite3_reset(st);
    sqlite3_bind_blob(st, 1, case_id, PL_CASE_ID_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, author, PL_PK_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)from_seq);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)max);
    return rows(st, fn, ctx);
}

int pl_store_peer_put(pl_store *s, const uint8_t key[PL_PK_BYTES], const char *endpoint)
{
    sqlite3_stmt *st;
    if (prepare(s->db, "INSERT OR REPLACE INTO peers (key, endpoint) VALUES (?, ?)", &st) != PL_OK)
        return PL_E_STORE;
    sqlite3_bind_blob(st, 1, key, PL_PK_BYTES, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, endpoint, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? PL_OK : PL_E_STORE;
}

int pl_store_peer_del(pl_store *s, const uint8_t key[PL_PK_BYTES])
{
    sqlite3_stmt *st;
    if (prepare(s->db, "DELETE FROM peers WHERE key = ?", &st) != PL_OK)
        return PL_E_STORE;
    sqlite3_bind_blob(st, 1, key, PL_PK_BYTES, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? (sqlite3_changes(s->db) > 0) : PL_E_STORE;
}

int pl_store_peers(pl_store *s,
                   int (*fn)(void *ctx, const uint8_t key[PL_PK_BYTES], const char *endpoint),
                   void *ctx)
{
    sqlite3_stmt *st;
    if (prepare(s->db, "SELECT key, endpoint FROM peers ORDER BY key", &st) != PL_OK)
        return PL_E_STORE;
    int rc = PL_OK, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != PL_PK_BYTES) {
            rc = PL_E_STORE;
            break;
        }
        if ((rc = fn(ctx, sqlite3_column_blob(st, 0),
                     (const char *)sqlite3_column_text(st, 1))) != 0)
            break;
    }
    if (rc == PL_OK && step != SQLITE_DONE)
        rc = PL_E_STORE;
    sqlite3_finalize(st);
    return rc;
}

static int each(sqlite3_stmt *st, const uint8_t *case_id, pl_store_msg_fn fn, void *ctx)
{
    sqlite3_reset(st);
    sqlite3_bind_blob(st, 1, case_id, PL_CASE_ID_BYTES, SQLITE_STATIC);
    return rows(st, fn, ctx);
}

int pl_store_each(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], pl_store_msg_fn fn,
                  void *ctx)
{
    return each(s->each, case_id, fn, ctx);
}

int pl_store_each_proof(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], pl_store_msg_fn fn,
                        void *ctx)
{
    return each(s->each_proof, case_id, fn, ctx);
}

int pl_store_cases(pl_store *s, pl_store_case_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    /* the primary key's order: ascending by case id, as the node keeps them */
    if (prepare(s->db,
                "SELECT case_id, summary, summary_messages IS messages AND summary_proofs IS proofs "
                "FROM cases ORDER BY case_id",
                &st) != PL_OK)
        return PL_E_STORE;
    int rc = PL_OK, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != PL_CASE_ID_BYTES) {
            rc = PL_E_STORE;
            break;
        }
        const uint8_t *sum = sqlite3_column_blob(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        int fresh = sum != NULL && sqlite3_column_int(st, 2) == 1;
        if ((rc = fn(ctx, sqlite3_column_blob(st, 0), fresh ? sum : NULL, fresh ? len : 0)) != 0)
            break;
    }
    if (rc == PL_OK && step != SQLITE_DONE)
        rc = fail(s->db, "reading the store's cases");
    sqlite3_finalize(st);
    return rc;
}

int pl_store_summary_put(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], const uint8_t *b,
                         size_t len)
{
    if (batch_lost(s))
        return PL_E_STORE;
    sqlite3_reset(s->put_summary);
    sqlite3_bind_blob(s->put_summary, 1, b, (int)len, SQLITE_STATIC);
    sqlite3_bind_blob(s->put_summary, 2, case_id, PL_CASE_ID_BYTES, SQLITE_STATIC);
    int step = sqlite3_step(s->put_summary);
    sqlite3_reset(s->put_summary);
    if (step != SQLITE_DONE || batch_lost(s)) {
        s->failed = s->in_batch;
        return fail(s->db, "storing a case's summary");
    }
    return PL_OK;
}

int pl_store_count(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t *n)
{
    sqlite3_reset(s->count);
    sqlite3_bind_blob(s->count, 1, case_id, PL_CASE_ID_BYTES, SQLITE_STATIC);
    int ok = sqlite3_step(s->count) == SQLITE_ROW;
    *n = ok ? (uint64_t)sqlite3_column_int64(s->count, 0) : 0;
    sqlite3_reset(s->count);
    return ok ? PL_OK : PL_E_STORE;
}

struct collect {
    pl_msg **msgs;
    size_t n, cap;
    const uint8_t *case_id;
    int own; /* pl_store_export_own: no signature checked again */
};

static int collect_one(void *ctx, const uint8_t *b, size_t len)
{
    struct collect *c = ctx;
    pl_msg *m;
    /* What is stored was verified before it was stored; an export decodes
     * it again anyway, signature and all: a damaged database must not leak
     * into a record for others. The owner's own read checks what loading
     * the store checks (pl_msg_load). */
    int rc = c->own ? pl_msg_load(b, len, c->case_id, &m) : pl_msg_decode(b, len, c->case_id, &m);
    if (rc != PL_OK)
        return PL_E_STORE;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        pl_msg **g = realloc(c->msgs, cap * sizeof *g);
        if (g == NULL) {
            pl_msg_destroy(&m);
            return PL_E_NOMEM;
        }
        c->msgs = g, c->cap = cap;
    }
    c->msgs[c->n++] = m;
    return PL_OK;
}

/* SPEC §8.2 (v2): the case's proofs, appended after the messages. */
struct proofs {
    uint8_t *b;
    size_t n, cap;
};

static int collect_proof(void *ctx, const uint8_t *b, size_t len)
{
    struct proofs *p = ctx;
    if (p->n + len > p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 4096;
        while (cap < p->n + len)
            cap *= 2;
        uint8_t *g = realloc(p->b, cap);
        if (g == NULL)
            return PL_E_NOMEM;
        p->b = g, p->cap = cap;
    }
    memcpy(p->b + p->n, b, len);
    p->n += len;
    return PL_OK;
}

static int export(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], int own, uint8_t **out,
                  size_t *out_len);

int pl_store_export(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], uint8_t **out,
                    size_t *out_len)
{
    return export(s, case_id, 0, out, out_len);
}

int pl_store_export_own(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], uint8_t **out,
                        size_t *out_len)
{
    return export(s, case_id, 1, out, out_len);
}

static int export(pl_store *s, const uint8_t case_id[PL_CASE_ID_BYTES], int own, uint8_t **out,
                  size_t *out_len)
{
    struct collect c = {.case_id = case_id, .own = own};
    struct proofs pr = {0};
    *out = NULL;
    *out_len = 0;
    int rc = pl_store_each(s, case_id, collect_one, &c);
    if (rc == PL_OK)
        rc = pl_store_each_proof(s, case_id, collect_proof, &pr);
    if (rc == PL_OK)
        rc = pl_log_order((const pl_msg **)c.msgs, c.n);
    size_t total = PL_LOGFILE_HEADER_BYTES + pr.n;
    for (size_t i = 0; rc == PL_OK && i < c.n; i++) {
        size_t len;
        pl_msg_bytes(c.msgs[i], &len);
        total += len;
    }
    uint8_t *buf = rc == PL_OK ? malloc(total) : NULL;
    if (rc == PL_OK && buf == NULL)
        rc = PL_E_NOMEM;
    if (rc == PL_OK) {
        pl_logfile_header(case_id, buf);
        size_t o = PL_LOGFILE_HEADER_BYTES;
        for (size_t i = 0; i < c.n; i++) {
            size_t len;
            const uint8_t *b = pl_msg_bytes(c.msgs[i], &len);
            memcpy(buf + o, b, len);
            o += len;
        }
        if (pr.n)
            memcpy(buf + o, pr.b, pr.n);
        *out = buf;
        *out_len = total;
    }
    for (size_t i = 0; i < c.n; i++)
        pl_msg_destroy(&c.msgs[i]);
    free(c.msgs);
    free(pr.b);
    return rc;
}
