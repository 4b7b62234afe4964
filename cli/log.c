/* Reading a log file for the CLI: split it (SPEC §8), verify every message
 * (SPEC §6), keep the decoded messages, and on request judge them by the
 * negotiation rules in display order (SPEC §6.6, §13). `parley verify` and
 * `parley report` both start here, so they can never read a log
 * differently. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_log_read(const uint8_t *b, size_t len, cli_log *l)
{
    size_t off, mlen, cap = 0;
    const uint8_t *m;

    memset(l, 0, sizeof *l);
    if (pl_logfile_open(b, len, l->case_id, &off) != PL_OK)
        return PL_E_LOGFILE;
    if ((l->v = pl_verifier_new(l->case_id, NULL)) == NULL)
        return PL_E_NOMEM;
    while ((l->split = pl_logfile_next(b, len, &off, &m, &mlen)) == PL_OK) {
        (void)!pl_verifier_add(l->v, m, mlen); /* problems land in its report */
        pl_msg *d;
        if (pl_msg_decode(m, mlen, l->case_id, &d) != PL_OK)
            continue;
        if (l->n == cap) {
            cap = cap ? 2 * cap : 64;
            pl_msg **g = realloc(l->msgs, cap * sizeof *g);
            if (g == NULL) {
                pl_msg_destroy(&d);
                cli_log_free(l);
                return PL_E_NOMEM;
            }
            l->msgs = g;
        }
        l->msgs[l->n++] = d;
    }
    l->verified = pl_verifier_finish(l->v) == PL_OK && l->split == 1;
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
    pl_verifier_destroy(&l->v);
    memset(l, 0, sizeof *l);
}
