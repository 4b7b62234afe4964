/* Reading a log file for the CLI: split it (SPEC §8), verify every message
 * (SPEC §6), keep the messages the verifier accepted (never a rejected one:
 * of a fork, the one accepted first; the proof voids both), and on request
 * judge them by the negotiation rules in display order with every proof
 * applied (SPEC §6.6, §8.3, §13.14). `parley verify` and
 * `parley report` both start here, so they can never read a log
 * differently. */
#include <stdlib.h>
#include <string.h>

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

/* SPEC §8.3 (v2): what the verifier accepts, in the order it accepts it. */
static void keep_accepted(void *ctx, const pl_msg *m)
{
    cli_log *l = ctx;
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

int cli_log_read(const uint8_t *b, size_t len, cli_log *l)
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
        pl_msg *d;
        if (pl_verifier_add(l->v, m, mlen) != PL_E_EQUIVOCATION ||
            pl_msg_decode(m, mlen, l->case_id, &d) != PL_OK)
            continue;
        if (l->nforks == l->capforks) {
            size_t cap = l->capforks ? 2 * l->capforks : 8;
            pl_msg **g = realloc(l->forks, cap * sizeof *g);
            if (g == NULL) {
                pl_msg_destroy(&d);
                l->failed = 1;
                continue;
            }
            l->forks = g, l->capforks = cap;
        }
        l->forks[l->nforks++] = d;
    }
    l->verified = pl_verifier_finish(l->v) == PL_OK && l->split == 1;
    if (l->failed) {
        cli_log_free(l);
        return PL_E_NOMEM;
    }
    return PL_OK;
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

void cli_log_free(cli_log *l)
{
    for (size_t i = 0; i < l->n; i++)
        pl_msg_destroy(&l->msgs[i]);
    free(l->msgs);
    for (size_t i = 0; i < l->nforks; i++)
        pl_msg_destroy(&l->forks[i]);
    free(l->forks);
    pl_verifier_destroy(&l->v);
    memset(l, 0, sizeof *l);
}
