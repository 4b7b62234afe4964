/* The node's durable store: persistence, idempotence, forks refused, one
 * owner at a time, exports that verify, and no acknowledged message lost
 * when the writing process is killed. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"
#include "testutil.h"
#include "world.h"

static char dir[256], path[300];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/parley-store-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/store.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int count_cb(void *ctx, const uint8_t *b, size_t n)
{
    (void)b, (void)n;
    (*(size_t *)ctx)++;
    return 0;
}

/* What was put is there after closing and opening again, once. */
static void test_store_persists_and_is_idempotent(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_store *s;
    assert_int_equal(pl_store_open(path, &s), PL_OK);
    for (size_t i = 0; i < w.n; i++)
        assert_int_equal(pl_store_put(s, w.log[i]), 0);
    assert_int_equal(pl_store_put(s, w.log[0]), 1); /* again: already there */
    pl_store_close(&s);
    pl_store_close(&s); /* safe twice */
    assert_int_equal(pl_store_open(path, &s), PL_OK);
    uint64_t n;
    assert_int_equal(pl_store_count(s, w.case_id, &n), PL_OK);
    assert_int_equal(n, w.n);
    size_t seen = 0;
    assert_int_equal(pl_store_each(s, w.case_id, count_cb, &seen), PL_OK);
    assert_int_equal(seen, w.n);
    pl_store_close(&s);
    w_free(&w);
}

/* SPEC §7.1: a second message in a taken (case, author, seq) is a fork and
 * is refused; the store keeps the first. Proofs are kept once. */
static void test_store_refuses_fork_keeps_proof_s7_4(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_store *s;
    assert_int_equal(pl_store_open(path, &s), PL_OK);
    pl_header h2;
    pl_msg_header_copy(w.log[0], &h2);
    h2.timestamp_ms++;
    size_t blen;
    const uint8_t *body = pl_msg_body(w.log[0], &blen);
    pl_msg *fork;
    assert_int_equal(pl_msg_sign(&h2, body, blen, w.k[W_P], &fork), PL_OK);
    assert_int_equal(pl_store_put(s, w.log[0]), 0);
    assert_int_equal(pl_store_put(s, fork), PL_E_EQUIVOCATION);
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t pn;
    assert_int_equal(pl_equiv_proof_build(w.log[0], fork, proof, sizeof proof, &pn), PL_OK);
    assert_int_equal(pl_store_put_proof(s, proof, pn), 0);
    assert_int_equal(pl_store_put_proof(s, proof, pn), 1); /* already held */
    proof[pn - 1] ^= 1;
    assert_int_equal(pl_store_put_proof(s, proof, pn), PL_E_PROOF);
    size_t seen = 0;
    assert_int_equal(pl_store_each_proof(s, w.case_id, count_cb, &seen), PL_OK);
    assert_int_equal(seen, 1);
    pl_msg_destroy(&fork);
    pl_store_close(&s);
    w_free(&w);
}

/* One process owns a store: a second one is refused at once. */
static void test_store_single_owner(void **state)
{
    (void)state;
    pl_store *s;
    assert_int_equal(pl_store_open(path, &s), PL_OK);
    pid_t pid = fork();
    if (pid == 0) {
        pl_store *t = NULL;
        _exit(pl_store_open(path, &t) == PL_E_LOCKED && t == NULL ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    pl_store_close(&s);
    /* released on close */
    pid = fork();
    if (pid == 0) {
        pl_store *t = NULL;
        int rc = pl_store_open(path, &t);
        pl_store_close(&t);
        _exit(rc == PL_OK ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* SPEC §8: an exported case is a log file the verifier accepts. */
static void test_store_export_verifies_s8_2(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    pl_store *s;
    assert_int_equal(pl_store_open(path, &s), PL_OK);
    for (size_t i = w.n; i-- > 0;) /* stored in any order: export orders it */
        assert_true(pl_store_put(s, w.log[i]) >= 0);
    uint8_t *f;
    size_t n;
    assert_int_equal(pl_store_export(s, w.case_id, &f, &n), PL_OK);
    char verdict[256];
    tu_log_verdict(f, n, verdict, sizeof verdict);
    assert_string_equal(verdict, "ok");
    free(f);
    pl_store_close(&s);
    w_free(&w);
}

/* A store written by an unknown version is refused, not misread. */
static void test_store_refuses_unknown_version(void **state)
{
    (void)state;
    pl_store *s;
    assert_int_equal(pl_store_open(path, &s), PL_OK);
    pl_store_close(&s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value = 99 WHERE key = 'version'", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(pl_store_open(path, &s), PL_E_STORE_VERSION);
    assert_null(s);
}

/* Killed while writing: every message the writer had been told was stored
 * (pl_store_put returned) is there after a restart, and the store opens.
 * The writer reports each acknowledgement through a pipe; the parent kills
 * it with SIGKILL at several moments. */
static void test_store_survives_sigkill(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    /* a longer case: many opinions */
    for (int i = 0; i < 150; i++) {
        pl_body op = wb_opinion(PL_TOPIC_OTHER, "burst");
        (void)!w_say(&w, i % 2 ? W_C : W_V, &op, NULL);
    }
    for (int trial = 0; trial < 5; trial++) {
        char p[320];
        snprintf(p, sizeof p, "%s/kill-%d.db", dir, trial);
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            pl_store *s;
            if (pl_store_open(p, &s) != PL_OK)
                _exit(2);
            for (size_t i = 0; i < w.n; i++) {
                if (pl_store_put(s, w.log[i]) < 0)
                    _exit(3);
                uint32_t k = (uint32_t)i + 1;
                if (write(fds[1], &k, sizeof k) != sizeof k)
                    _exit(4);
            }
            _exit(0);
        }
        close(fds[1]);
        uint32_t acked = 0, k;
        uint32_t kill_after = 10 + (uint32_t)trial * 30;
        while (read(fds[0], &k, sizeof k) == sizeof k) {
            acked = k;
            if (acked == kill_after) {
                kill(pid, SIGKILL);
                break;
            }
        }
        /* drain what the child wrote before it died */
        while (read(fds[0], &k, sizeof k) == sizeof k)
            acked = k;
        close(fds[0]);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        pl_store *s;
        assert_int_equal(pl_store_open(p, &s), PL_OK);
        uint64_t n;
        assert_int_equal(pl_store_count(s, w.case_id, &n), PL_OK);
        assert_true(n >= acked);
        uint8_t *f;
        size_t fl;
        assert_int_equal(pl_store_export(s, w.case_id, &f, &fl), PL_OK);
        char verdict[256];
        tu_log_verdict(f, fl, verdict, sizeof verdict);
        assert_string_equal(verdict, "ok"); /* a prefix in causal order */
        free(f);
        pl_store_close(&s);
    }
    w_free(&w);
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_persists_and_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_refuses_fork_keeps_proof_s7_4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_single_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_export_verifies_s8_2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_refuses_unknown_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_survives_sigkill, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
