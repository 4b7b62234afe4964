/* Reading a log file for the CLI: split it (SPEC §8), verify every message
 * (SPEC §6), keep the messages the verifier accepted (never a rejected one:
 * of a fork, the one accepted first; the proof voids both), and on request
 * judge them by the negotiation rules in display order with every proof
 * applied (SPEC §6.6, §8.3, §13.14). `parley verify` and
 * `parley report` both start here, so they can never read a log
 * differently. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

static int grow(cli_log *l)
{
    size_t cap = l->cap ? 2 * l->cap : 64;
    pl_msg **g = realloc(l->msgs, cap * sizeof *g);
    if (g == NULL)
        return -1;
    l->msgs = g, l->cap = cap;
    return 0;
}

/* Counts an accepted message for its author, and keeps the charter's
 * body: the names people read beside the fingerprints. */
static void count_author(cli_log *l, const pl_msg *m)
{
    if (l->charter.type == 0 && pl_msg_header(m)->type == PL_T_CHARTER) {
        size_t blen;
        const uint8_t *b = pl_msg_body(m, &blen);
        if (pl_body_decode(PL_T_CHARTER, b, blen, &l->charter) != PL_OK)
            memset(&l->charter, 0, sizeof l->charter);
    }
    const uint8_t *pk = pl_msg_header(m)->author;
    size_t a;
    for (a = 0; a < l->nauthors; a++)
        if (memcmp(l->authors[a].pk, pk, PL_PK_BYTES) == 0)
            break;
    if (a == l->nauthors) {
        if (a == PL_VERIFY_DEFAULT_MAX_AUTHORS)
            return; /* the verifier refuses a further author anyway */
        memcpy(l->authors[a].pk, pk, PL_PK_BYTES);
        l->authors[a].messages = 0;
        l->nauthors++;
    }
    l->authors[a].messages++;
}

static void count_accepted(void *ctx, const pl_msg *m)
{
    count_author(ctx, m);
}

/* SPEC §8.3 (v2): what the verifier accepts, in the order it accepts it. */
static void keep_accepted(void *ctx, const pl_msg *m)
{
    cli_log *l = ctx;
    count_author(l, m);
    if (l->failed)
        return;
    pl_msg *d = pl_msg_dup(m);
    if (d == NULL || (l->n == l->cap && grow(l) != 0)) {
        pl_msg_destroy(&d);
        l->failed = 1;
        return;
    }
    l->msgs[l->n++] = d;
}

/* SPEC §8.3 step 4 (v2): a value of the file that is a proof (first byte
 * 95): verified alone, of the file's case; a valid one is kept to apply.
 * Either way it is one of the file's errors (PL_E_EQUIVOCATION when
 * valid). Returns whether the value was a proof. */
static int take_proof(cli_log *l, const uint8_t *m, size_t len)
{
    if (len == 0 || m[0] != 0x95)
        return 0;
    pl_equiv_info info;
    int rc = pl_equiv_proof_verify(m, len, &info);
    if (rc == PL_OK && memcmp(info.case_id, l->case_id, PL_CASE_ID_BYTES) != 0)
        rc = PL_E_CASE;
    size_t room = sizeof l->proof_err / sizeof l->proof_err[0];
    if (l->nproof_err < room)
        l->proof_err[l->nproof_err++] = rc == PL_OK ? PL_E_EQUIVOCATION : rc;
    else if (rc != PL_OK)
        l->proof_err[room - 1] = rc; /* past the list: a bad one still shows */
    if (rc != PL_OK)
        return 1;
    if (l->nproofs == l->capproofs) {
        size_t cap = l->capproofs ? 2 * l->capproofs : 4;
        uint8_t **g = realloc(l->proofs, cap * sizeof *g);
        size_t *gl = g ? realloc(l->proof_lens, cap * sizeof *gl) : NULL;
        if (g)
            l->proofs = g;
        if (gl == NULL) {
            l->failed = 1;
            return 1;
        }
        l->proof_lens = gl, l->capproofs = cap;
    }
    uint8_t *copy = malloc(len);
    if (copy == NULL) {
        l->failed = 1;
        return 1;
    }
    memcpy(copy, m, len);
    l->proofs[l->nproofs] = copy, l->proof_lens[l->nproofs++] = len;
    return 1;
}

/* The second message of a fork, kept aside for its proof (SPEC §8.3 step
 * 7): l takes *d (NULL after), or marks itself failed and frees it. */
static void keep_fork(cli_log *l, pl_msg **d)
{
    if (l->nforks == l->capforks) {
        size_t cap = l->capforks ? 2 * l->capforks : 8;
        pl_msg **g = realloc(l->forks, cap * sizeof *g);
        if (g == NULL) {
            pl_msg_destroy(d);
            l->failed = 1;
            return;
        }
        l->forks = g, l->capforks = cap;
    }
    l->forks[l->nforks++] = *d;
    *d = NULL;
}

/* The end of either reader: the verifier's stream ended, the verdict. */
static int finish(cli_log *l)
{
    l->verified = pl_verifier_finish(l->v) == PL_OK && l->split == PL_END && l->nproof_err == 0;
    if (l->failed) {
        cli_log_free(l);
        return PL_E_NOMEM;
    }
    return PL_OK;
}

/* own: the bytes come from this user's own node, which verified every
 * signature when the message arrived (issue 13 §2: an act does not check
 * them all again); everything else SPEC §4.8 and §6 ask is still checked. */
static int read_log(const uint8_t *b, size_t len, cli_log *l, int own)
{
    size_t off, mlen;
    const uint8_t *m;

    memset(l, 0, sizeof *l);
    if (pl_logfile_open(b, len, l->case_id, &off) != PL_OK)
        return PL_E_LOGFILE;
    if ((l->v = pl_verifier_new(l->case_id, NULL)) == NULL)
        return PL_E_NOMEM;
    pl_verifier_on_accept(l->v, keep_accepted, l);
    while ((l->split = pl_logfile_next(b, len, &off, &m, &mlen)) == PL_OK) {
        /* problems land in the verifier's report; the second message of a
         * fork is kept aside, so the proof can be built whatever the
         * verifier kept of the first (SPEC §8.3 step 7) */
        pl_msg *d = NULL;
        if (take_proof(l, m, mlen))
            continue;
        if (own) {
            if (pl_msg_load(m, mlen, l->case_id, &d) != PL_OK) {
                /* damaged: the verifier's full check says how, in its report */
                int damaged = pl_verifier_add(l->v, m, mlen);
                (void)damaged;
                continue;
            }
            if (pl_verifier_add_msg(l->v, d) == PL_E_EQUIVOCATION)
                keep_fork(l, &d);
            pl_msg_destroy(&d);
            continue;
        }
        if (pl_verifier_add(l->v, m, mlen) != PL_E_EQUIVOCATION ||
            pl_msg_decode(m, mlen, l->case_id, &d) != PL_OK)
            continue;
        keep_fork(l, &d);
    }
    return finish(l);
}

int cli_log_read(const uint8_t *b, size_t len, cli_log *l)
{
    return read_log(b, len, l, 0);
}

int cli_log_read_own(const uint8_t *b, size_t len, cli_log *l)
{
    return read_log(b, len, l, 1);
}

pl_case *cli_log_judge(cli_log *l)
{
    return cli_log_judge_steps(l, NULL);
}

pl_case *cli_log_judge_steps(cli_log *l, cli_step *after)
{
    /* Display order puts every message after its predecessors. (An empty
     * log has no order to compute, and msgs is NULL then.) */
    if (l->n > 0 && pl_log_order((const pl_msg **)l->msgs, l->n) != PL_OK)
        return NULL;
    pl_case *c = pl_case_new(l->case_id);
    /* SPEC §8.3, §13.14 (v2): a reader holding both messages of a fork
     * built the proof; it applies before any message is judged, so the
     * forked author's messages from the fork on count for nothing,
     * whichever of the two the file held first. */
    const pl_verify_report *r = pl_verifier_report(l->v);
    for (size_t k = 0; c && k < r->nproofs; k++)
        if (pl_case_add_proof(c, r->proofs[k], r->proof_lens[k]) == PL_E_NOMEM)
            pl_case_destroy(&c);
    /* and every proof the file carries (v2): a fork a writer proved */
    for (size_t k = 0; c && k < l->nproofs; k++)
        if (pl_case_add_proof(c, l->proofs[k], l->proof_lens[k]) == PL_E_NOMEM)
            pl_case_destroy(&c);
    for (size_t k = 0; c && k < l->nforks; k++) {
        const pl_header *f = pl_msg_header(l->forks[k]);
        for (size_t i = 0; i < l->n; i++) {
            const pl_header *h = pl_msg_header(l->msgs[i]);
            uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
            size_t plen;
            if (h->seq != f->seq || memcmp(h->author, f->author, PL_PK_BYTES) != 0 ||
                pl_equiv_proof_build(l->msgs[i], l->forks[k], proof, sizeof proof, &plen) != PL_OK)
                continue;
            if (pl_case_add_proof(c, proof, plen) == PL_E_NOMEM)
                pl_case_destroy(&c);
            break;
        }
    }
    for (size_t i = 0; c && i < l->n; i++) {
        int verdict = pl_case_add(c, l->msgs[i]); /* the verdict also stays in the case */
        if (after != NULL) {
            after[i].verdict = verdict;
            pl_case_status_get(c, &after[i].status);
        }
    }
    return c;
}

/* ---- streaming (issue 17) ------------------------------------------------------ */

#define STREAM_CHUNK (8u << 20) /* bytes read at a time, beyond a message's maximum */
#define STREAM_BATCH 2048       /* messages decoded in parallel at a time */
#define STREAM_THREADS CLI_STREAM_MAX_THREADS

size_t cli_stream_threads; /* 0: one per core */

struct batch {
    const uint8_t *m[STREAM_BATCH];
    size_t len[STREAM_BATCH];
    pl_msg *d[STREAM_BATCH];
    size_t n;
    const uint8_t *case_id;
};

struct worker {
    struct batch *b;
    size_t first, step;
};

/* Decodes (structure, hash, signature: SPEC §4.8) every step-th message. */
static void *decode_part(void *arg)
{
    struct worker *w = arg;
    for (size_t i = w->first; i < w->b->n; i += w->step)
        if (pl_msg_decode(w->b->m[i], w->b->len[i], w->b->case_id, &w->b->d[i]) != PL_OK)
            w->b->d[i] = NULL;
    return NULL;
}

static size_t stream_threads(void)
{
    if (cli_stream_threads > 0)
        return cli_stream_threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > STREAM_THREADS ? STREAM_THREADS : (size_t)n;
}

/* The batch, decoded on every core, then given to the verifier in order:
 * a message that decoded is added as decoded (pl_verifier_add_msg gives
 * the result pl_verifier_add gives its bytes); one that did not is added
 * as bytes, so the verifier records its problem exactly as one thread
 * would. */
static void run_batch(cli_log *l, struct batch *b, size_t nthreads)
{
    pthread_t t[STREAM_THREADS];
    struct worker w[STREAM_THREADS];
    size_t started = 0;
    if (b->n < 64)
        nthreads = 1; /* not worth a thread */
    for (size_t k = 0; k < nthreads; k++)
        w[k] = (struct worker){b, k, nthreads};
    for (size_t k = 1; k < nthreads; k++)
        if (pthread_create(&t[k], NULL, decode_part, &w[k]) == 0)
            started = k;
        else
            break;
    /* this thread takes its own share, and any a thread could not */
    for (size_t k = 0; k < nthreads; k++)
        if (k == 0 || k > started)
            decode_part(&w[k]);
    for (size_t k = 1; k <= started; k++)
        pthread_join(t[k], NULL);
    for (size_t i = 0; i < b->n; i++) {
        pl_msg *d = b->d[i];
        int rc = d ? pl_verifier_add_msg(l->v, d) : pl_verifier_add(l->v, b->m[i], b->len[i]);
        if (rc == PL_E_EQUIVOCATION && d != NULL)
            keep_fork(l, &d);
        pl_msg_destroy(&d);
        b->d[i] = NULL;
    }
    b->n = 0;
}

int cli_log_stream(const char *path, int keep, cli_log *l)
{
    memset(l, 0, sizeof *l);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, _("parley: cannot read '%s': %s\n"), path, strerror(errno));
        return PL_E_IO;
    }
    size_t cap = STREAM_CHUNK + PL_MSG_MAX_BYTES + 64, have = 0, off = 0;
    uint8_t *buf = malloc(cap);
    struct batch *b = calloc(1, sizeof *b);
    int rc = buf && b ? PL_OK : PL_E_NOMEM, eof = 0;
    size_t nthreads = stream_threads();
    /* fill: keep at least a whole message's worth beyond off, or the rest */
    while (rc == PL_OK) {
        if (!eof && have - off < PL_MSG_MAX_BYTES + 64) {
            if (b->n > 0)
                run_batch(l, b, nthreads); /* the slices point into buf */
            memmove(buf, buf + off, have - off);
            have -= off, off = 0;
            while (!eof && have < cap) {
                ssize_t r = read(fd, buf + have, cap - have);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r < 0) {
                    fprintf(stderr, _("parley: cannot read '%s': %s\n"), path, strerror(errno));
                    rc = PL_E_IO;
                    break;
                }
                if (r == 0)
                    eof = 1;
                have += (size_t)r;
            }
            if (rc != PL_OK)
                break;
        }
        if (l->v == NULL) { /* the header first */
            if (pl_logfile_open(buf, have, l->case_id, &off) != PL_OK) {
                rc = PL_E_LOGFILE;
                break;
            }
            if ((l->v = pl_verifier_new(l->case_id, NULL)) == NULL) {
                rc = PL_E_NOMEM;
                break;
            }
            pl_verifier_on_accept(l->v, keep ? keep_accepted : count_accepted, l);
            b->case_id = l->case_id;
        }
        const uint8_t *m;
        size_t mlen;
        l->split = pl_logfile_next(buf, have, &off, &m, &mlen);
        if (l->split != PL_OK)
            break; /* the end (1), or bytes that cannot be a message */
        if (take_proof(l, m, mlen))
            continue;
        b->m[b->n] = m, b->len[b->n] = mlen, b->n++;
        if (b->n == STREAM_BATCH)
            run_batch(l, b, nthreads);
    }
    if (rc == PL_OK && b->n > 0)
        run_batch(l, b, nthreads);
    close(fd);
    free(buf);
    free(b);
    if (rc != PL_OK) {
        cli_log_free(l);
        return rc;
    }
    return finish(l);
}

int cli_log_only_equivocations(const cli_log *l, size_t *n)
{
    const pl_verify_report *r = pl_verifier_report(l->v);
    *n = 0;
    if (l->split != PL_END || r->rejected != r->nproblems)
        return 0;
    for (size_t i = 0; i < r->nproblems; i++)
        if (r->problems[i].code != PL_E_EQUIVOCATION)
            return 0;
        else
            (*n)++;
    for (size_t i = 0; i < l->nproof_err; i++)
        if (l->proof_err[i] != PL_E_EQUIVOCATION)
            return 0;
        else
            (*n)++;
    return 1;
}

void cli_log_free(cli_log *l)
{
    for (size_t i = 0; i < l->n; i++)
        pl_msg_destroy(&l->msgs[i]);
    free(l->msgs);
    for (size_t i = 0; i < l->nforks; i++)
        pl_msg_destroy(&l->forks[i]);
    free(l->forks);
    for (size_t i = 0; i < l->nproofs; i++)
        free(l->proofs[i]);
    free(l->proofs);
    free(l->proof_lens);
    pl_verifier_destroy(&l->v);
    if (l->charter.type != 0)
        pl_body_free(&l->charter);
    memset(l, 0, sizeof *l);
}

/* A message of the log by id or unique prefix; its index, or (printed) -2
 * when arg is no id at all and -1 when no single message matches. */
long cli_log_find(const cli_log *l, const char *verb, const char *arg)
{
    size_t n = strlen(arg);
    long hit = -1;
    int count = 0;
    if (n < 8 || n > 64 || strspn(arg, "0123456789abcdefABCDEF") != n) {
        fprintf(stderr, _("parley %s: '%s' is not a message id (64 hex digits, or a unique prefix "
                          "of at least 8; see parley log CASE)\n"), verb, arg);
        return -2;
    }
    for (size_t i = 0; i < l->n; i++) {
        char hex[65];
        cli_hex(pl_msg_id(l->msgs[i]), 32, hex);
        if (strncasecmp(hex, arg, n) == 0)
            hit = (long)i, count++;
    }
    if (count != 1) {
        fprintf(stderr,
                count ? _("parley %s: more than one message matches '%s' in the case; give more "
                          "digits (see parley log CASE)\n")
                      : _("parley %s: no message matches '%s' in the case (see parley log CASE)\n"),
                verb, arg);
        return -1;
    }
    return hit;
}
