/* What the rules expect of a party now (see todo.h): read from the case as
 * judged, so that every front end says the same. */
#include <string.h>

#include "internal.h"
#include "parley/todo.h"

/* Whether the message target has a valid answer of type_a or type_b, by
 * author when author is not NULL (an acknowledgement is each defense key's
 * own; a session is answered by the other side as a whole). */
static int answered_by(const pl_case *c, const uint8_t *target, const uint8_t *author,
                       uint64_t type_a, uint64_t type_b)
{
    for (size_t j = 0; j < pl_case_count(c); j++) {
        pl_case_msg_info hi;
        (void)pl_case_msg_info_get(c, j, &hi);
        const pl_case_msg_info *h = &hi;
        const pl_body *b = pl_case_body(c, j);
        if (b == NULL || (h->type != type_a && h->type != type_b) ||
            pl_case_verdict(c, j) != PL_OK)
            continue;
        const uint8_t *ref = h->type == PL_T_DISCLOSE_ACK ? b->u.disclose_ack.disclosure
                                                          : b->u.session_answer.proposal;
        if (memcmp(ref, target, PL_ID_BYTES) == 0 &&
            (author == NULL || memcmp(h->author, author, PL_PK_BYTES) == 0))
            return 1;
    }
    return 0;
}

/* SPEC §13.13: whether a draw message of the type and round that counts
 * for the draw exists by the side (other: by the other side). */
static int draw_step(const pl_case *c, uint64_t round, pl_side side, uint64_t type, int other)
{
    for (size_t j = 0; j < pl_case_count(c); j++) {
        const pl_body *b = pl_case_body(c, j);
        pl_side s = pl_case_draw_side(c, j);
        pl_case_msg_info mi;
        (void)pl_case_msg_info_get(c, j, &mi);
        if (b && mi.type == type && b->u.draw.round == round &&
            s != PL_SIDE_NONE && (other ? s != side : s == side))
            return 1;
    }
    return 0;
}

/* The first of the keys on the side: one key commits for a side. */
static size_t first_of_side(const pl_case *c, const uint8_t (*keys)[PL_PK_BYTES], size_t nkeys,
                            pl_side side)
{
    for (size_t k = 0; k < nkeys; k++)
        if (pl_role_side(pl_case_role(c, keys[k])) == side)
            return k;
    return nkeys;
}

static void put(pl_todo *out, size_t cap, size_t *n, size_t key, pl_role role, pl_todo_kind kind,
                size_t msg, uint64_t round)
{
    if (*n < cap) {
        pl_todo *t = &out[*n];
        t->key = key, t->role = role, t->kind = kind, t->msg = msg, t->round = round;
    }
    (*n)++;
}

int pl_case_todo(const pl_case *c, const uint8_t (*keys)[PL_PK_BYTES], size_t nkeys,
                 pl_todo *out, size_t cap, size_t *n)
{
    if (c == NULL || n == NULL || (nkeys && keys == NULL) || (cap && out == NULL))
        return PL_E_ARG;
    *n = 0;
    pl_case_status st;
    pl_case_status_get(c, &st);
    for (size_t k = 0; k < nkeys; k++) {
        pl_role role = pl_case_role(c, keys[k]);
        pl_side side = pl_role_side(role);
        if (role == PL_ROLE_NONE)
            continue;
        for (size_t i = 0; i < pl_case_count(c); i++) {
            pl_case_msg_info hi;
            (void)pl_case_msg_info_get(c, i, &hi);
            const pl_case_msg_info *h = &hi;
            if (pl_case_verdict(c, i) != PL_OK)
                continue;
            int mine = memcmp(h->author, keys[k], PL_PK_BYTES) == 0;
            /* SPEC §13.8 R3: the prosecution answers every input, with reasons. */
            if (pl_case_is_input(c, i) && pl_case_input_answered(c, i) == 0) {
                if (role == PL_ROLE_PROSECUTION)
                    put(out, cap, n, k, role, PL_TODO_ANSWER_INPUT, i, 0);
                else if (mine)
                    put(out, cap, n, k, role, PL_TODO_AWAIT_ANSWER, i, 0);
            }
            /* SPEC §13.12 R4: each defense key acknowledges a disclosure. */
            if (h->type == PL_T_DISCLOSE && side == PL_SIDE_DEFENSE &&
                !answered_by(c, h->id, keys[k], PL_T_DISCLOSE_ACK,
                             PL_T_DISCLOSE_ACK))
                put(out, cap, n, k, role, PL_TODO_ACK_DISCLOSURE, i, 0);
            /* SPEC §13.11 R6: the other side answers a session proposal. */
            if (h->type == PL_T_SESSION_PROPOSE && side != PL_SIDE_NONE &&
                pl_role_side(pl_case_msg_role(c, i)) != side &&
                !answered_by(c, h->id, NULL, PL_T_SESSION_ACCEPT,
                             PL_T_SESSION_DECLINE))
                put(out, cap, n, k, role, PL_TODO_ANSWER_SESSION, i, 0);
            /* SPEC §13.25: a settlement the other party proposed, not
             * made yet, waits for this party's acceptance (or its own) */
            if (h->type == PL_T_SETTLEMENT && (role == PL_ROLE_VICTIM || side == PL_SIDE_DEFENSE) &&
                (pl_case_msg_role(c, i) == PL_ROLE_VICTIM) != (role == PL_ROLE_VICTIM) &&
                pl_case_settlement_made(c, i, NULL) == 0 && !pl_case_settlement_withdrawn(c, i))
                put(out, cap, n, k, role, PL_TODO_ANSWER_SETTLEMENT, i, 0);
        }
        /* SPEC §13.13 R8: a side commits in a draw round the other side
         * opened, and the key that committed reveals once both have. */
        for (size_t i = 0; side != PL_SIDE_NONE && i < pl_case_count(c); i++) {
            const pl_body *b = pl_case_body(c, i);
            pl_side ds = pl_case_draw_side(c, i);
            pl_case_msg_info hi;
            (void)pl_case_msg_info_get(c, i, &hi);
            if (b == NULL || ds == PL_SIDE_NONE || hi.type != PL_T_DRAW_COMMIT)
                continue;
            uint64_t r = b->u.draw.round;
            int mine = memcmp(hi.author, keys[k], PL_PK_BYTES) == 0;
            if (ds != side && !draw_step(c, r, side, PL_T_DRAW_COMMIT, 0) &&
                k == first_of_side(c, keys, nkeys, side))
                put(out, cap, n, k, role, PL_TODO_DRAW_COMMIT, i, r);
            else if (mine && draw_step(c, r, side, PL_T_DRAW_COMMIT, 1) &&
                     !draw_step(c, r, side, PL_T_DRAW_REVEAL, 0))
                put(out, cap, n, k, role, PL_TODO_DRAW_REVEAL, i, r);
        }
        /* SPEC §13.9: the prosecution signs first, then suspect and counsel
         * in the fixed session, counsel as witness (F0, version 2). */
        if (st.state == PL_AGREEMENT_PENDING && st.offer >= 0 &&
            (role == PL_ROLE_PROSECUTION || role == PL_ROLE_SUSPECT || role == PL_ROLE_COUNSEL)) {
            long own = role == PL_ROLE_SUSPECT   ? st.sign_suspect
                       : role == PL_ROLE_COUNSEL ? st.sign_counsel
                                                 : st.sign_prosecution;
            if (own < 0 && st.sign_prosecution >= 0)
                put(out, cap, n, k, role,
                    role == PL_ROLE_COUNSEL   ? PL_TODO_WITNESS
                    : role == PL_ROLE_SUSPECT ? PL_TODO_SIGN_IN_SESSION
                                              : PL_TODO_SIGN,
                    (size_t)st.offer, 0);
            else if (own >= 0)
                put(out, cap, n, k, role, PL_TODO_AWAIT_SIGNATURES, (size_t)st.offer, 0);
        }
    }
    return PL_OK;
}
