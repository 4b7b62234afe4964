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
    size_t nt = 0;
    pl_todo t[256];
    if (pl_case_todo(c, keys, nkeys, t, sizeof t / sizeof t[0], &nt) != PL_OK)
        return 0;
    if (nt > sizeof t / sizeof t[0])
        nt = sizeof t / sizeof t[0]; /* the first 256 are plenty to act on */
    for (size_t i = 0; i < nt; i++) {
        char who[PL_FINGERPRINT_STR_BYTES], id[17], what[128];
        pl_fingerprint(keys[t[i].key], who);
        who[9] = '\0'; /* the first two groups name the key well enough here */
        id16(pl_msg_id(pl_case_msg(c, t[i].msg)), id);
        const char *rname = pl_role_name(t[i].role), *w = NULL;
        switch (t[i].kind) {
        case PL_TODO_ANSWER_INPUT: w = N_("answer this input (parley respond)"); break;
        case PL_TODO_AWAIT_ANSWER: w = N_("waiting: the prosecution's answer to"); break;
        case PL_TODO_ACK_DISCLOSURE: w = N_("acknowledge this disclosure (parley ack)"); break;
        case PL_TODO_ANSWER_SESSION: w = N_("answer this session proposal"); break;
        case PL_TODO_WITNESS:
            w = N_("witness the suspect's signature of these terms in the fixed session (parley "
                   "sign --witness)");
            break;
        case PL_TODO_SIGN_IN_SESSION:
            w = N_("sign these terms in the fixed session, counsel present (parley sign)");
            break;
        case PL_TODO_SIGN: w = N_("sign these terms (parley sign)"); break;
        case PL_TODO_AWAIT_SIGNATURES: w = N_("waiting: the other signatures of"); break;
        case PL_TODO_ANSWER_SETTLEMENT:
            w = N_("a settlement the other party proposed: accept it as it is with the same file "
                   "(parley settle --accepts), or propose your own");
            break;
        case PL_TODO_DRAW_COMMIT:
        case PL_TODO_DRAW_REVEAL: {
            unsigned long long r = (unsigned long long)t[i].round;
            /* JSON keeps the English (a program's key) */
            if (t[i].kind == PL_TODO_DRAW_COMMIT)
                snprintf(what, sizeof what,
                         json ? "commit in draw round %llu (parley draw-commit)"
                              : _("commit in draw round %llu (parley draw-commit)"),
                         r);
            else
                snprintf(what, sizeof what,
                         json ? "reveal in draw round %llu (parley draw-reveal)"
                              : _("reveal in draw round %llu (parley draw-reveal)"),
                         r);
            n += item(json, &first, who, rname, what, id);
            continue;
        }
        }
        if (w)
            n += item(json, &first, who, rname, w, id);
    }
    return n;
}
