/* What is waiting for me, per case: for each of the local node's keys, the
 * actions the rules expect of its role now (an input to answer, R3; terms
 * to sign, R7; a disclosure to acknowledge, R4; a session proposal to
 * answer, R6), and what it is itself waiting for. Computed from the case's
 * log as the node holds it, judged by libparley (SPEC §13); `parley
 * status` prints it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void id16(const uint8_t *id, char out[17])
{
    cli_hex(id, 8, out);
}

static int answered_by(const pl_case *c, const uint8_t *target, const uint8_t *author,
                       uint64_t type_a, uint64_t type_b)
{
    for (size_t j = 0; j < pl_case_count(c); j++) {
        const pl_header *h = pl_msg_header(pl_case_msg(c, j));
        const pl_body *b = pl_case_body(c, j);
        if (b == NULL || (h->type != type_a && h->type != type_b) ||
            pl_case_verdict(c, j) != PL_OK)
            continue;
        const uint8_t *ref = h->type == PL_T_DISCLOSE_ACK ? b->u.disclose_ack.disclosure
                                                          : b->u.session_answer.proposal;
        if (memcmp(ref, target, PL_ID_BYTES) != 0)
            continue;
        /* A session is answered by the other side as a whole; an
         * acknowledgement is each defense key's own. */
        if (author == NULL || memcmp(h->author, author, PL_PK_BYTES) == 0)
            return 1;
    }
    return 0;
}

/* Whether a valid draw message of the type and round exists by the side
 * (other != NULL: by the other side of the two). */
static int draw_step(const pl_case *c, uint64_t round, pl_side side, uint64_t type,
                     const char *other)
{
    for (size_t j = 0; j < pl_case_count(c); j++) {
        const pl_body *b = pl_case_body(c, j);
        pl_side s = pl_case_draw_side(c, j); /* SPEC §13.13 *Standing joins* */
        if (b && pl_msg_header(pl_case_msg(c, j))->type == type && b->u.draw.round == round &&
            s != PL_SIDE_NONE && (other ? s != side : s == side))
            return 1;
    }
    return 0;
}

/* The first of the node's keys on the side: one key commits for a side. */
static size_t first_of_side(const pl_case *c, const uint8_t (*keys)[PL_PK_BYTES], size_t nkeys,
                            pl_side side)
{
    for (size_t k = 0; k < nkeys; k++)
        if (pl_role_side(pl_case_role(c, keys[k])) == side)
            return k;
    return nkeys;
}

/* One line (text) or object (JSON) per item; returns how many. */
static int item(int json, int *first, const char *who, const char *role, const char *what,
                const char *id)
{
    if (json) {
        /* action keeps the English (a program's key); text is the reader's */
        printf("%s{\"key\":\"%s\",\"role\":\"%s\",\"action\":\"%s\",\"message\":\"%s\",\"text\":",
               *first ? "" : ",", who, role, what, id);
        cli_json_str(_(what));
        printf("}");
    }
    else
        printf("    %-8s %-40s %s\n", who, _(what), id); /* JSON keeps the English */
    *first = 0;
    return 1;
}

int cli_todo(const pl_case *c, const uint8_t (*keys)[PL_PK_BYTES], size_t nkeys, int json)
{
    int first = 1, n = 0;
    pl_case_status st;
    pl_case_status_get(c, &st);
    for (size_t k = 0; k < nkeys; k++) {
        pl_role role = pl_case_role(c, keys[k]);
        pl_side side = pl_role_side(role);
        const char *rname = pl_role_name(role);
        char who[PL_FINGERPRINT_STR_BYTES], id[17];
        pl_fingerprint(keys[k], who);
        who[9] = '\0'; /* the first two groups name the key well enough here */
        if (role == PL_ROLE_NONE)
            continue;
        for (size_t i = 0; i < pl_case_count(c); i++) {
            const pl_msg *m = pl_case_msg(c, i);
            const pl_header *h = pl_msg_header(m);
            if (pl_case_verdict(c, i) != PL_OK)
                continue;
            id16(pl_msg_id(m), id);
            int mine = memcmp(h->author, keys[k], PL_PK_BYTES) == 0;
            /* SPEC §13.8 R3: the prosecution answers every input, with reasons. */
            if (pl_case_is_input(c, i) && pl_case_input_answered(c, i) == 0) {
                if (role == PL_ROLE_PROSECUTION)
                    n += item(json, &first, who, rname, N_("answer this input (parley respond)"), id);
                else if (mine)
                    n += item(json, &first, who, rname, N_("waiting: the prosecution's answer to"), id);
            }
            /* SPEC §13.12 R4: each defense key acknowledges a disclosure. */
            if (h->type == PL_T_DISCLOSE && side == PL_SIDE_DEFENSE &&
                !answered_by(c, pl_msg_id(m), keys[k], PL_T_DISCLOSE_ACK, PL_T_DISCLOSE_ACK))
                n += item(json, &first, who, rname, N_("acknowledge this disclosure (parley ack)"), id);
            /* SPEC §13.11 R6: the other side answers a session proposal. */
            if (h->type == PL_T_SESSION_PROPOSE && side != PL_SIDE_NONE &&
                pl_role_side(pl_case_msg_role(c, i)) != side &&
                !answered_by(c, pl_msg_id(m), NULL, PL_T_SESSION_ACCEPT, PL_T_SESSION_DECLINE))
                n += item(json, &first, who, rname, N_("answer this session proposal"), id);
        }
        /* SPEC §13.13 R8: a side commits in a draw round the other side
         * opened, and the key that committed reveals once both have. */
        for (size_t i = 0; side != PL_SIDE_NONE && i < pl_case_count(c); i++) {
            const pl_body *b = pl_case_body(c, i);
            if (b == NULL || pl_case_verdict(c, i) != PL_OK ||
                pl_msg_header(pl_case_msg(c, i))->type != PL_T_DRAW_COMMIT)
                continue;
            int theirs = pl_role_side(pl_case_msg_role(c, i)) != side;
            int mine = memcmp(pl_msg_header(pl_case_msg(c, i))->author, keys[k], PL_PK_BYTES) == 0;
            int own_commit = draw_step(c, b->u.draw.round, side, PL_T_DRAW_COMMIT, NULL);
            int other_commit = draw_step(c, b->u.draw.round, side, PL_T_DRAW_COMMIT, "other");
            char what[64];
            id16(pl_msg_id(pl_case_msg(c, i)), id);
            if (theirs && !own_commit && k == first_of_side(c, keys, nkeys, side)) {
                snprintf(what, sizeof what, json ? "commit in draw round %llu (parley draw-commit)"
                                               : _("commit in draw round %llu (parley draw-commit)"),
                         (unsigned long long)b->u.draw.round);
                n += item(json, &first, who, rname, what, id);
            } else if (mine && other_commit &&
                       !draw_step(c, b->u.draw.round, side, PL_T_DRAW_REVEAL, NULL)) {
                snprintf(what, sizeof what, json ? "reveal in draw round %llu (parley draw-reveal)"
                                               : _("reveal in draw round %llu (parley draw-reveal)"),
                         (unsigned long long)b->u.draw.round);
                n += item(json, &first, who, rname, what, id);
            }
        }
        /* SPEC §13.9: the prosecution signs first, then suspect and counsel. */
        if (st.state == PL_AGREEMENT_PENDING && st.offer >= 0) {
            id16(pl_msg_id(pl_case_msg(c, (size_t)st.offer)), id);
            long own = role == PL_ROLE_SUSPECT   ? st.sign_suspect
                       : role == PL_ROLE_COUNSEL ? st.sign_counsel
                                                 : st.sign_prosecution;
            if (role == PL_ROLE_PROSECUTION || role == PL_ROLE_SUSPECT || role == PL_ROLE_COUNSEL) {
                /* SPEC §13.9 F0 (v2): the defense signs in a fixed session,
                 * counsel as witness */
                if (own < 0 && st.sign_prosecution >= 0)
                    n += item(json, &first, who, rname,
                              role == PL_ROLE_COUNSEL
                                  ? N_("witness the suspect's signature of these terms in the "
                                       "fixed session (parley sign --witness)")
                                  : role == PL_ROLE_SUSPECT
                                        ? N_("sign these terms in the fixed session, counsel "
                                             "present (parley sign)")
                                        : N_("sign these terms (parley sign)"),
                              id);
                else if (own >= 0)
                    n += item(json, &first, who, rname, N_("waiting: the other signatures of"), id);
            }
        }
    }
    return n;
}
