/* parley-bench: measures the protocol core against raw libsodium, and the
 * node against raw libzmq, fsync, libsodium and SQLite, in the same run,
 * and prints one JSON object per line with --json:
 *   {"name":…, "value":…, "unit":…, "baseline":…, "ratio":…}
 * ratio is ours over the baseline (rates: higher is better; times and
 * sizes: lower is better).
 *
 *   sign               messages encoded and signed per second, against
 *                      crypto_sign_detached over the same signing inputs
 *   verify             messages decoded and verified per second, against
 *                      crypto_sign_verify_detached over the same inputs
 *   verify_1m_log_rss  peak RSS (MiB) of streaming verification of a
 *                      generated 1,000,000-message, 5-author log, measured
 *                      in a child process so nothing else is counted
 *   cli_verify_1m      `parley verify FILE` as a person runs it (the CLI binary,
 *                      a child process) on a generated 1,000,000-message,
 *                      5-author log of ~1.2 KB messages (cached in build/),
 *                      messages per second, against raw
 *                      crypto_sign_verify_detached on all cores (one thread
 *                      per core) in the same run; best of 3 interleaved
 *   cli_verify_1m_rss  that child's peak RSS (MiB)
 *   cli_verify_threads the same with --threads 1, against cli_verify_1m: the
 *                      gain of checking signatures on every core
 *   case_judge         messages judged per second by the rules engine
 *                      (pl_case_add) on a 1,000-message negotiation of
 *                      opinions, reasoned responses and offers (each offer
 *                      checks the duty to answer over every input; no
 *                      baseline)
 *   report_proposal_flood  ms that 300 unseconded proposals, each adding 32
 *                      victim keys, add to pl_report_text (what `parley
 *                      report` renders) of a case with one public session
 *                      (SPEC §13.11; no baseline: the case without them is
 *                      subtracted)
 *   durable_rtt, flood_case, flood_act_ms, ingest_1k_cases, case_memory,
 *   case_idle_memory, startup_10k_cases, startup_100k_cases, act_5k
 *                      real parleyd processes on loopback: see bench_node.c
 *
 * Usage: parley-bench [--json] [--node | --core | --act] [--log-messages N] [--seconds S]
 *                     [--rtt-messages N] [--cases N] [--ingest-messages N]
 *                     [--startup-cases N] [--case-messages N] [--startup-runs N]
 * --node runs only the node metrics, --core only the others, --act only
 * act_5k (what one act of `parley` costs on a large case); the other
 * flags scale them down for
 * a quick run (a metric run at another scale than its name says is
 * reported under a name with the scale in it). */
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "bench.h"
#include "internal.h"
#include "world.h"

static int json;
static double seconds = 1.0;

double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void report(const char *name, double value, const char *unit, double baseline)
{
    if (json) {
        if (baseline > 0)
            printf("{\"name\":\"%s\",\"value\":%.1f,\"unit\":\"%s\",\"baseline\":%.1f,\"ratio\":%.3f}\n",
                   name, value, unit, baseline, value / baseline);
        else
            printf("{\"name\":\"%s\",\"value\":%.1f,\"unit\":\"%s\",\"baseline\":null,\"ratio\":null}\n",
                   name, value, unit);
    } else if (baseline > 0) {
        printf("%-20s %12.1f %-6s baseline %12.1f  ratio %.3f\n", name, value, unit, baseline,
               value / baseline);
    } else {
        printf("%-20s %12.1f %-6s\n", name, value, unit);
    }
    fflush(stdout);
}

#define NMSG 512

static pl_key *key;
static pl_header hdrs[NMSG];
static uint8_t body[64];
static size_t body_len;
static pl_msg *msgs[NMSG];
static uint8_t *inputs[NMSG]; /* signing inputs, as SPEC §4.6 builds them */
static size_t input_lens[NMSG];
static uint8_t sigs[NMSG][PL_SIG_BYTES];

static void setup(void)
{
    uint8_t seed[32] = {7}, case_id[32] = {9};
    key = pl_key_from_seed(seed);
    pl_packbuf b;
    pl_packbuf_init(&b);
    msgpack_pack_map(&b.pk, 1);
    msgpack_pack_str_with_body(&b.pk, "text", 4);
    msgpack_pack_str_with_body(&b.pk, "the defense asks for probation", 30);
    memcpy(body, b.sb.data, b.sb.size);
    body_len = b.sb.size;
    pl_packbuf_free(&b);
    for (int i = 0; i < NMSG; i++) {
        pl_header *h = &hdrs[i];
        memset(h, 0, sizeof *h);
        h->version = PL_PROTOCOL_VERSION;
        memcpy(h->case_id, case_id, 32);
        h->seq = (uint64_t)i + 1;
        h->has_prev = i > 0;
        if (i > 0)
            memcpy(h->prev, pl_msg_id(msgs[i - 1]), 32);
        h->nrefs = 2;
        for (int r = 0; r < 2; r++) {
            memset(h->refs[r].author, 0x10 * (r + 1), 32);
            h->refs[r].seq = (uint64_t)i + 1;
            memset(h->refs[r].id, 0x33 + r, 32);
        }
        h->timestamp_ms = 1795000000000ull + (uint64_t)i;
        h->type = PL_T_OPINION;
        if (pl_msg_sign(h, body, body_len, key, &msgs[i]) != PL_OK)
            abort();
        size_t hl;
        const uint8_t *hb = pl_msg_header_bytes(msgs[i], &hl);
        input_lens[i] = 18 + 32 + hl;
        inputs[i] = malloc(input_lens[i]);
        memcpy(inputs[i], "parley/v2/message", 18);
        memcpy(inputs[i] + 18, case_id, 32);
        memcpy(inputs[i] + 50, hb, hl);
        memcpy(sigs[i], pl_msg_sig(msgs[i]), 64);
    }
}

/* Runs fn over all NMSG items repeatedly for `seconds`; returns items/s. */
static double rate(void (*fn)(int))
{
    double t0 = now(), t;
    long n = 0;
    do {
        for (int i = 0; i < NMSG; i++)
            fn(i);
        n += NMSG;
    } while ((t = now()) - t0 < seconds);
    return (double)n / (t - t0);
}

static void ours_sign(int i)
{
    pl_msg *m;
    if (pl_msg_sign(&hdrs[i], body, body_len, key, &m) != PL_OK)
        abort();
    pl_msg_destroy(&m);
}

static void raw_sign(int i)
{
    uint8_t sig[64];
    pl_key_sign(key, inputs[i], input_lens[i], sig);
}

static void ours_verify(int i)
{
    pl_msg *m;
    size_t n;
    const uint8_t *b = pl_msg_bytes(msgs[i], &n);
    if (pl_msg_decode(b, n, NULL, &m) != PL_OK)
        abort();
    pl_msg_destroy(&m);
}

static void raw_verify(int i)
{
    if (crypto_sign_verify_detached(sigs[i], inputs[i], input_lens[i], pl_key_pk(key)) != 0)
        abort();
}

/* Best of three alternating runs each, so a noisy neighbour hits both. */
static void compare(const char *name, void (*ours)(int), void (*base)(int))
{
    double best_o = 0, best_b = 0;
    for (int r = 0; r < 3; r++) {
        double o = rate(ours), b = rate(base);
        if (o > best_o)
            best_o = o;
        if (b > best_b)
            best_b = b;
    }
    report(name, best_o, "msg/s", best_b);
}

/* Message i of a generated 5-author log: author i % 5, after its own
 * previous message, referencing the latest message of every other author
 * (the shape of the logs the verify metrics read). NULL if signing failed. */
static pl_msg *five_author_msg(pl_key *const k[5], pl_msg *const last[5],
                               const uint8_t case_id[32], long i, const uint8_t *b, size_t blen)
{
    int a = (int)(i % 5);
    pl_header h;
    memset(&h, 0, sizeof h);
    h.version = PL_PROTOCOL_VERSION;
    memcpy(h.case_id, case_id, 32);
    h.seq = last[a] ? pl_msg_header(last[a])->seq + 1 : 1;
    h.has_prev = last[a] != NULL;
    if (last[a])
        memcpy(h.prev, pl_msg_id(last[a]), 32);
    for (int o = 0; o < 5; o++) {
        if (o == a || last[o] == NULL)
            continue;
        pl_ref *r = &h.refs[h.nrefs++];
        memcpy(r->author, pl_key_pk(k[o]), 32);
        r->seq = pl_msg_header(last[o])->seq;
        memcpy(r->id, pl_msg_id(last[o]), 32);
    }
    /* refs ascend by author (SPEC §4.3): insertion sort of <= 4 */
    for (size_t x = 1; x < h.nrefs; x++)
        for (size_t y = x; y > 0 && memcmp(h.refs[y - 1].author, h.refs[y].author, 32) > 0; y--) {
            pl_ref t = h.refs[y];
            h.refs[y] = h.refs[y - 1];
            h.refs[y - 1] = t;
        }
    h.timestamp_ms = 1795000000000ull + (uint64_t)i;
    h.type = PL_T_OPINION;
    pl_msg *m;
    return pl_msg_sign(&h, b, blen, k[a], &m) == PL_OK ? m : NULL;
}

/* The child: generate and stream-verify an n-message, 5-author log. Each
 * message references the latest message of every other author. Exit status
 * 0 when the verifier accepted all of it. */
static int rss_child(long n)
{
    enum { A = 5 };
    uint8_t case_id[32] = {1};
    pl_key *k[A];
    pl_msg *last[A] = {0};
    pl_verifier *v = pl_verifier_new(case_id, NULL);
    for (int a = 0; a < A; a++) {
        uint8_t seed[32];
        memset(seed, a + 1, sizeof seed);
        k[a] = pl_key_from_seed(seed);
    }
    for (long i = 0; i < n; i++) {
        int a = (int)(i % A);
        pl_msg *m = five_author_msg(k, last, case_id, i, body, body_len);
        if (m == NULL)
            return 3;
        size_t len;
        const uint8_t *bytes = pl_msg_bytes(m, &len);
        if (pl_verifier_add(v, bytes, len) != PL_OK)
            return 4;
        pl_msg_destroy(&last[a]);
        last[a] = m;
    }
    int rc = pl_verifier_finish(v);
    const pl_verify_report *r = pl_verifier_report(v);
    if (rc != PL_OK || r->accepted != (uint64_t)n)
        return 5;
    return 0;
}

/* ---- parley verify, as a person runs it (issue 17) ------------------------ */

/* A 5-author log file of n opinions of ~800 bytes, each referencing the
 * latest message of every other author; cached by n in the build tree. */
static int gen_log_file(long n, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
        fclose(f);
        return 0;
    }
    enum { A = 5 };
    uint8_t case_id[32] = {2}, hdr[PL_LOGFILE_HEADER_BYTES];
    pl_key *k[A];
    pl_msg *last[A] = {0};
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if ((f = fopen(tmp, "wb")) == NULL)
        return -1;
    pl_logfile_header(case_id, hdr);
    fwrite(hdr, 1, sizeof hdr, f);
    static char text[700];
    memset(text, 'p', sizeof text - 1);
    pl_packbuf b;
    pl_packbuf_init(&b);
    msgpack_pack_map(&b.pk, 1);
    msgpack_pack_str_with_body(&b.pk, "text", 4);
    msgpack_pack_str_with_body(&b.pk, text, strlen(text));
    for (int a = 0; a < A; a++) {
        uint8_t seed[32];
        memset(seed, 0x40 + a, sizeof seed);
        k[a] = pl_key_from_seed(seed);
    }
    int rc = 0;
    for (long i = 0; i < n && rc == 0; i++) {
        int a = (int)(i % A);
        size_t len;
        pl_msg *m = five_author_msg(k, last, case_id, i, (const uint8_t *)b.sb.data, b.sb.size);
        if (m == NULL) {
            rc = -1;
            break;
        }
        const uint8_t *bytes = pl_msg_bytes(m, &len);
        if (fwrite(bytes, 1, len, f) != len)
            rc = -1;
        pl_msg_destroy(&last[a]);
        last[a] = m;
    }
    for (int a = 0; a < A; a++)
        pl_msg_destroy(&last[a]), pl_key_destroy(&k[a]);
    pl_packbuf_free(&b);
    if (fclose(f) != 0 || rc != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static void *raw_verify_thread(void *arg)
{
    double *out = arg;
    *out = rate(raw_verify);
    return NULL;
}

/* Raw Ed25519 verification on every core at once: the limit. */
static double raw_verify_all_cores(void)
{
    long nc = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = nc < 1 ? 1 : nc > 16 ? 16 : (size_t)nc;
    pthread_t t[16];
    double r[16] = {0}, sum = 0;
    for (size_t i = 1; i < n; i++)
        if (pthread_create(&t[i], NULL, raw_verify_thread, &r[i]) != 0)
            r[i] = -1;
    raw_verify_thread(&r[0]);
    for (size_t i = 1; i < n; i++)
        if (r[i] >= 0)
            pthread_join(t[i], NULL);
    for (size_t i = 0; i < n; i++)
        sum += r[i] > 0 ? r[i] : 0;
    return sum;
}

/* `parley verify FILE` in a child (with --threads N unless threads is 0);
 * its wall time and peak RSS. */
static int run_verify(const char *path, int threads, double *secs, double *rss_mib)
{
    char nt[16];
    snprintf(nt, sizeof nt, "%d", threads);
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_WRONLY);
        if (nul >= 0)
            dup2(nul, 1);
        if (threads > 0)
            execl(PARLEY_CLI_PATH, "parley", "verify", path, "--threads", nt, (char *)NULL);
        else
            execl(PARLEY_CLI_PATH, "parley", "verify", path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    *secs = now() - t0;
    *rss_mib = (double)ru.ru_maxrss / 1024.0;
    return 0;
}

static int bench_cli_verify(long n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/bench-verify-%ld.log", PARLEY_BENCH_CACHE, n);
    if (gen_log_file(n, path) != 0) {
        fprintf(stderr, "parley-bench: cannot write %s\n", path);
        return 1;
    }
    double best = 0, rss = 0, limit = 0;
    for (int r = 0; r < 3; r++) { /* interleaved, so a noisy neighbour hits both */
        double secs, mib;
        if (run_verify(path, 0, &secs, &mib) != 0) {
            fprintf(stderr, "parley-bench: parley verify %s failed\n", path);
            return 1;
        }
        if ((double)n / secs > best)
            best = (double)n / secs, rss = mib;
        double l = raw_verify_all_cores();
        if (l > limit)
            limit = l;
    }
    char name[64];
    snprintf(name, sizeof name, n == 1000000 ? "cli_verify_1m" : "cli_verify_%ld", n);
    report(name, best, "msg/s", limit);
    snprintf(name, sizeof name, n == 1000000 ? "cli_verify_1m_rss" : "cli_verify_%ld_rss", n);
    report(name, rss, "MiB", 0);
    /* the same on one thread: what the threads give (issue 17) */
    double secs1, mib1;
    if (run_verify(path, 1, &secs1, &mib1) != 0) {
        fprintf(stderr, "parley-bench: parley verify --threads 1 %s failed\n", path);
        return 1;
    }
    report("cli_verify_threads", (double)n / secs1, "msg/s", best);
    return 0;
}

static int cmp_participant_key(const void *a, const void *b)
{
    return memcmp(((const pl_participant *)a)->key, ((const pl_participant *)b)->key, 32);
}

/* The rules engine: build a long negotiation once (signing is not
 * measured), then time judging all of it into a fresh case. */
static void bench_judge(void)
{
    world w;
    w_init(&w, 0);
    while (w.n < 1000) { /* the test world holds at most 1024 */
        pl_msg *op;
        pl_body b = wb_opinion(PL_TOPIC_SENTENCE, "the defense asks for probation");
        (void)!w_say(&w, W_C, &b, &op);
        pl_body r = wb_response(op, PL_DECISION_PARTLY, "partly: a shorter probation period");
        (void)!w_say(&w, W_P, &r, NULL);
        if (w.n % 40 == 0) { /* an offer: the duty to answer is checked over every input */
            pl_body o = wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL);
            (void)!w_say(&w, W_P, &o, NULL);
        }
    }
    double best = 0;
    for (int round = 0; round < 3; round++) {
        pl_case *c = pl_case_new(w.case_id);
        double t0 = now();
        for (size_t i = 0; i < w.n; i++)
            (void)!pl_case_add(c, w.log[i]);
        double rate = (double)w.n / (now() - t0);
        if (rate > best)
            best = rate;
        pl_case_destroy(&c);
    }
    report("case_judge", best, "msg/s", 0);
    w_free(&w);
}

/* The observer report of a case in which one side flooded the log with
 * proposals nobody seconded, each adding 32 victim keys, around one
 * session both sides made public (SPEC §13.11: the victims' consent is
 * asked only of keys an effective change seats; a review found 0.95 s a
 * session before): what the flood adds to pl_report_text, which `parley
 * report` calls, in ms (the same case without it is subtracted). */
static double report_ms(world *w)
{
    double best = 1e9;
    for (int round = 0; round < 3; round++) {
        char *text = NULL;
        double t0 = now();
        if (pl_report_text(w->c, &text) != PL_OK)
            return -1;
        double ms = (now() - t0) * 1000.0;
        free(text);
        if (ms < best)
            best = ms;
    }
    return best;
}

static void bench_report_flood(void)
{
    static pl_participant adds[300][32];
    world w;
    w_init(&w, 0);
    pl_msg *prop;
    pl_body pr = wb_propose(1, 0);
    (void)!w_say(&w, W_C, &pr, &prop);
    pl_body acc = wb_ref(PL_T_SESSION_ACCEPT, prop);
    acc.u.session_answer.public_ok = 1;
    (void)!w_say(&w, W_P, &acc, NULL);
    pl_body pub = {.type = PL_T_PUBLICITY};
    memcpy(pub.u.publicity.proposal, pl_msg_id(prop), 32);
    pub.u.publicity.public_ok = 1;
    (void)!w_say(&w, W_V, &pub, NULL);
    double plain = report_ms(&w);
    for (int i = 0; i < 300; i++) {
        for (int k = 0; k < 32; k++) {
            uint8_t seed[32];
            randombytes_buf(seed, sizeof seed);
            pl_key *fk = pl_key_from_seed(seed);
            adds[i][k] = (pl_participant){.role = PL_ROLE_VICTIM, .name = (char *)"flood"};
            memcpy(adds[i][k].key, pl_key_pk(fk), 32);
            pl_key_destroy(&fk);
        }
        qsort(adds[i], 32, sizeof adds[i][0], cmp_participant_key);
        pl_body b = {.type = PL_T_PARTICIPANTS};
        b.u.participants.add = adds[i], b.u.participants.nadd = 32;
        (void)!w_say(&w, W_P, &b, NULL);
    }
    /* the flood's cost: before the review's fix it was about 950 ms */
    report("report_proposal_flood", report_ms(&w) - plain, "ms", 0);
    w_free(&w);
}

/* The protocol core's metrics (the first four above); 0, or 1 with the
 * reason printed. */
static int bench_core(const char *argv0, long log_messages, long verify_messages)
{
    setup();
    compare("sign", ours_sign, raw_sign);
    compare("verify", ours_verify, raw_verify);
    bench_judge();
    bench_report_flood();

    int rc = verify_messages > 0 ? bench_cli_verify(verify_messages) : 0;
    if (log_messages > 0) {
        char n[32];
        snprintf(n, sizeof n, "%ld", log_messages);
        pid_t pid = fork();
        if (pid == 0) {
            execl("/proc/self/exe", argv0, "--rss-child", n, (char *)NULL);
            _exit(127);
        }
        int status = 0;
        struct rusage ru;
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) != 0 ||
            !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "parley-bench: the %ld-message log did not verify (status %d)\n",
                    log_messages, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            rc = 1;
        } else {
            char name[64];
            snprintf(name, sizeof name,
                     log_messages == 1000000 ? "verify_1m_log_rss" : "verify_%ld_log_rss",
                     log_messages);
            report(name, (double)ru.ru_maxrss / 1024.0, "MiB", 0);
        }
    }
    for (int i = 0; i < NMSG; i++) {
        pl_msg_destroy(&msgs[i]);
        free(inputs[i]);
    }
    pl_key_destroy(&key);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: parley-bench [--json] [--node | --core | --act] [--log-messages N] [--seconds S]\n"
                    "         [--verify-messages N]\n"
                    "         [--rtt-messages N] [--cases N] [--ingest-messages N]\n"
                    "         [--startup-cases N] [--case-messages N] [--startup-runs N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    long log_messages = 1000000, verify_messages = 1000000;
    int node_only = 0, core_only = 0;
    bench_node_opts nopt = BENCH_NODE_DEFAULTS;
    /* The node metrics' scale: each at least 1. */
    const struct {
        const char *flag;
        long *v;
    } scale[] = {{"--rtt-messages", &nopt.rtt_messages},
                 {"--cases", &nopt.cases},
                 {"--ingest-messages", &nopt.ingest_messages},
                 {"--startup-cases", &nopt.startup_cases},
                 {"--case-messages", &nopt.case_messages}};
    const size_t nscale = sizeof scale / sizeof scale[0];
    for (int i = 1; i < argc; i++) {
        size_t k = 0;
        while (k < nscale && strcmp(argv[i], scale[k].flag) != 0)
            k++;
        if (k < nscale) {
            if (i + 1 == argc || (*scale[k].v = atol(argv[++i])) < 1)
                return usage();
        } else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--node") == 0)
            node_only = 1;
        else if (strcmp(argv[i], "--core") == 0)
            core_only = 1;
        else if (strcmp(argv[i], "--act") == 0)
            node_only = 1, nopt.act_only = 1;
        else if (strcmp(argv[i], "--startup-runs") == 0 && i + 1 < argc) {
            if ((nopt.startup_runs = atoi(argv[++i])) < 1)
                return usage();
        } else if (strcmp(argv[i], "--log-messages") == 0 && i + 1 < argc)
            log_messages = atol(argv[++i]);
        else if (strcmp(argv[i], "--verify-messages") == 0 && i + 1 < argc)
            verify_messages = atol(argv[++i]);
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--rss-child") == 0 && i + 1 < argc) {
            if (pl_init() != PL_OK)
                return 2;
            setup();
            return rss_child(atol(argv[++i]));
        } else {
            return usage();
        }
    }
    if (pl_init() != PL_OK)
        return 1;
    if (!node_only && bench_core(argv[0], log_messages, verify_messages) != 0)
        return 1;
    if (core_only)
        return 0;
    return bench_node(&nopt) == 0 ? 0 : 1;
}
