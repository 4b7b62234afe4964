/* The streaming, multi-core log reader of `parley verify` (cli/log.c,
 * cli_log_stream, issue 17) against the one-thread reader over a buffer
 * (cli_log_read): the same report, message for message, on every log
 * vector (spec/vectors/logs.vec and negotiation.vec) and on random logs —
 * shuffled, with duplicates, forks, damaged and cut-off bytes, and one
 * larger than the reader's chunk, so that batches and refills cross every
 * kind of boundary. SPEC §6.7, §8.3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "cli.h"
#include "testutil.h"
#include "world.h"

static char tmp_path[64];

static void write_tmp(const uint8_t *b, size_t n)
{
    FILE *f = fopen(tmp_path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* The two readers agree on everything parley verify prints or judges. */
static void compare(const uint8_t *b, size_t n, const char *what)
{
    cli_log a, s;
    write_tmp(b, n);
    int ra = cli_log_read(b, n, &a);
    /* kept or not; on every core (0), one thread, and three */
    static const size_t threads[] = {0, 1, 3};
    for (int run = 0; run < 6; run++) {
        int keep = run % 2;
        cli_stream_threads = threads[run / 2];
        int rs = cli_log_stream(tmp_path, keep, &s);
        if (ra != rs)
            fail_msg("%s: read %d, stream %d", what, ra, rs);
        if (ra != PL_OK) {
            if (rs == PL_OK)
                cli_log_free(&s);
            continue;
        }
        const pl_verify_report *x = pl_verifier_report(a.v), *y = pl_verifier_report(s.v);
        if (x->received != y->received || x->accepted != y->accepted ||
            x->duplicates != y->duplicates || x->rejected != y->rejected ||
            x->nproblems != y->nproblems || x->nproofs != y->nproofs || a.split != s.split ||
            a.verified != s.verified || a.nforks != s.nforks || a.nauthors != s.nauthors ||
            a.nproofs != s.nproofs || a.nproof_err != s.nproof_err ||
            memcmp(a.proof_err, s.proof_err, a.nproof_err * sizeof a.proof_err[0]) != 0)
            fail_msg("%s (keep %d): reports differ: received %llu/%llu accepted %llu/%llu "
                     "rejected %llu/%llu problems %zu/%zu proofs %zu/%zu split %d/%d",
                     what, keep, (unsigned long long)x->received, (unsigned long long)y->received,
                     (unsigned long long)x->accepted, (unsigned long long)y->accepted,
                     (unsigned long long)x->rejected, (unsigned long long)y->rejected,
                     x->nproblems, y->nproblems, x->nproofs, y->nproofs, a.split, s.split);
        for (size_t i = 0; i < x->nproblems; i++)
            if (x->problems[i].code != y->problems[i].code ||
                x->problems[i].index != y->problems[i].index ||
                memcmp(x->problems[i].id, y->problems[i].id, PL_ID_BYTES) != 0)
                fail_msg("%s: problem %zu differs: %s at %zu / %s at %zu", what, i,
                         pl_errname(x->problems[i].code), x->problems[i].index,
                         pl_errname(y->problems[i].code), y->problems[i].index);
        for (size_t i = 0; i < a.nauthors; i++)
            if (memcmp(a.authors[i].pk, s.authors[i].pk, PL_PK_BYTES) != 0 ||
                a.authors[i].messages != s.authors[i].messages)
                fail_msg("%s: author %zu differs", what, i);
        if (keep) {
            assert_int_equal(a.n, s.n);
            for (size_t i = 0; i < a.n; i++)
                assert_memory_equal(pl_msg_id(a.msgs[i]), pl_msg_id(s.msgs[i]), PL_ID_BYTES);
        } else {
            assert_int_equal(s.n, 0); /* nothing kept: memory is the verifier's */
        }
        cli_log_free(&s);
    }
    if (ra == PL_OK)
        cli_log_free(&a);
}

/* Every "hex:" log of a vector file. */
static size_t vector_logs(const char *file)
{
    char path[4096], *line = NULL;
    size_t cap = 0, count = 0;
    snprintf(path, sizeof path, "%s/spec/vectors/%s", PARLEY_SOURCE_DIR, file);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    ssize_t got;
    while ((got = getline(&line, &cap, f)) > 0) {
        if (strncmp(line, "hex: ", 5) != 0)
            continue;
        size_t hl = strcspn(line + 5, "\r\n"), n;
        uint8_t *b = malloc(hl / 2 + 1);
        assert_non_null(b);
        if (sodium_hex2bin(b, hl / 2 + 1, line + 5, hl, NULL, &n, NULL) == 0 &&
            n >= PL_LOGFILE_MAGIC_BYTES && memcmp(b, PL_LOGFILE_MAGIC, PL_LOGFILE_MAGIC_BYTES) == 0) {
            compare(b, n, file);
            count++;
        }
        free(b);
    }
    free(line);
    fclose(f);
    return count;
}

static void test_stream_vectors_s8_3(void **state)
{
    (void)state;
    assert_true(vector_logs("logs.vec") >= 8);
    assert_true(vector_logs("negotiation.vec") >= 8);
}

/* A world's log as a file: the messages in the order given. */
static uint8_t *log_file(world *w, const size_t *order, size_t n, size_t *len)
{
    size_t cap = PL_LOGFILE_HEADER_BYTES, ml;
    for (size_t i = 0; i < n; i++) {
        (void)pl_msg_bytes(w->log[order[i]], &ml);
        cap += ml;
    }
    uint8_t *b = malloc(cap), *p = b + PL_LOGFILE_HEADER_BYTES;
    assert_non_null(b);
    pl_logfile_header(w->case_id, b);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *m = pl_msg_bytes(w->log[order[i]], &ml);
        memcpy(p, m, ml);
        p += ml;
    }
    *len = cap;
    return b;
}

static void test_stream_random_logs_s6_7(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    /* a case with some volume, and big messages so the file passes the
     * reader's 8 MiB chunk: 40 opinions of 60 KB by each of two authors,
     * then many small ones (2048 decode per batch) */
    static char big[60000];
    memset(big, 'x', sizeof big - 1);
    for (int i = 0; i < 150; i++) {
        pl_body op = wb_opinion(PL_TOPIC_OTHER, big);
        big[i % 100] = (char)('a' + i % 26);
        assert_int_equal(w_say_seeing(&w, i % 2 ? W_V : W_C, &op, 0, NULL), PL_OK);
    }
    for (int i = 0; i < 1500 && w.n < W_LOG_MAX - 8; i++) {
        pl_body op = wb_opinion(PL_TOPIC_OTHER, "short");
        (void)w_say_seeing(&w, i % 2 ? W_V : W_C, &op, 0, NULL);
    }
    size_t n = w.n, order[W_LOG_MAX], len;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    uint8_t *b = log_file(&w, order, n, &len);
    assert_true(len > (8u << 20) + PL_MSG_MAX_BYTES);
    compare(b, len, "in order");
    free(b);
    uint32_t seed = 12345;
    for (int round = 0; round < 6; round++) {
        /* shuffled (messages wait for predecessors), with repeats */
        size_t m = n;
        for (size_t i = n - 1; i > 0; i--) {
            seed = seed * 1103515245u + 12345u;
            size_t j = (seed >> 8) % (i + 1), t = order[i];
            order[i] = order[j], order[j] = t;
        }
        for (size_t k = 0; k < 20 && m < W_LOG_MAX; k++) {
            seed = seed * 1103515245u + 12345u;
            order[m++] = order[(seed >> 8) % n];
        }
        b = log_file(&w, order, m, &len);
        compare(b, len, "shuffled with repeats");
        /* damaged: one flipped byte somewhere, then a cut-off end */
        seed = seed * 1103515245u + 12345u;
        size_t at = PL_LOGFILE_HEADER_BYTES + (seed >> 4) % (len - PL_LOGFILE_HEADER_BYTES);
        b[at] ^= (uint8_t)(1u << (seed % 8));
        compare(b, len, "a flipped byte");
        compare(b, len - 1 - (seed >> 12) % 1000, "cut off");
        free(b);
        for (size_t i = 0; i < n; i++)
            order[i] = i;
    }
    /* a fork: a second message at one seq, after the first */
    pl_body op = wb_opinion(PL_TOPIC_OTHER, "fork");
    pl_msg *fork = NULL;
    {
        pl_header h;
        pl_msg_header_copy(w.log[5], &h);
        uint8_t body[256];
        size_t blen;
        assert_int_equal(pl_body_encode(&op, body, sizeof body, &blen), PL_OK);
        h.type = PL_T_OPINION;
        h.timestamp_ms += 1;
        int who = -1;
        for (int k = 0; k < W_NK; k++)
            if (memcmp(pl_key_pk(w.k[k]), h.author, 32) == 0)
                who = k;
        assert_true(who >= 0);
        assert_int_equal(pl_msg_sign(&h, body, blen, w.k[who], &fork), PL_OK);
    }
    size_t fl, ml;
    b = log_file(&w, order, n, &len);
    const uint8_t *fb = pl_msg_bytes(fork, &fl);
    b = realloc(b, len + fl);
    assert_non_null(b);
    memcpy(b + len, fb, fl);
    (void)ml;
    compare(b, len + fl, "a fork");
    free(b);
    pl_msg_destroy(&fork);
    w_free(&w);
}

static void test_stream_missing_file(void **state)
{
    (void)state;
    cli_log l;
    assert_int_equal(cli_log_stream("/nonexistent/parley.log", 0, &l), PL_E_IO);
    write_tmp((const uint8_t *)"not a log", 9);
    assert_int_equal(cli_log_stream(tmp_path, 0, &l), PL_E_LOGFILE);
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    snprintf(tmp_path, sizeof tmp_path, "/tmp/parley-stream-%ld.log", (long)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_vectors_s8_3),
        cmocka_unit_test(test_stream_random_logs_s6_7),
        cmocka_unit_test(test_stream_missing_file),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(tmp_path);
    return rc;
}
