/* What the rules expect of a party now (SPEC §13): for each of a node's
 * keys, the acts its role owes in the case as judged (an input to answer,
 * R3; a disclosure to acknowledge, R4; a session proposal to answer, R6;
 * a draw step, R8; terms to sign or witness, R7, §13.9; a settlement the
 * other party proposed, §13.25), and what it is
 * itself waiting for. Returned as data: the CLI's `parley status` and the
 * web app's "what waits for me" render it, in the reader's language.
 *
 * Ownership: the caller gives the array; nothing is allocated. */
#ifndef PARLEY_TODO_H
#define PARLEY_TODO_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/case.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    PL_TODO_ANSWER_INPUT = 1,  /* the prosecution answers this input, with reasons (§13.8) */
    PL_TODO_AWAIT_ANSWER,      /* the input's author waits for that answer */
    PL_TODO_ACK_DISCLOSURE,    /* each defense key acknowledges this disclosure (§13.12) */
    PL_TODO_ANSWER_SESSION,    /* the other side accepts or declines this proposal (§13.11) */
    PL_TODO_DRAW_COMMIT,       /* the side commits in this draw round (§13.13); one key */
    PL_TODO_DRAW_REVEAL,       /* the key that committed reveals (§13.13) */
    PL_TODO_SIGN,              /* the prosecution signs these terms (§13.9) */
    PL_TODO_SIGN_IN_SESSION,   /* the suspect signs them in the fixed session, counsel present */
    PL_TODO_WITNESS,           /* counsel witnesses the suspect's signature (§13.9 F0) */
    PL_TODO_AWAIT_SIGNATURES,  /* signed; the other signatures are awaited */
    PL_TODO_ANSWER_SETTLEMENT, /* v2: the other party may accept this settlement (§13.25) */
} pl_todo_kind;

typedef struct {
    size_t key;        /* index into the keys given */
    pl_role role;      /* the key's role in the case */
    pl_todo_kind kind;
    size_t msg;        /* the message it is about (pl_case_msg index) */
    uint64_t round;    /* for a draw step: the draw round */
} pl_todo;

/* The acts the rules expect of each of keys[0..nkeys) now, in key order,
 * then in log order: up to cap of them into out, and the number there are
 * in *n (which may exceed cap). PL_OK or PL_E_ARG. */
PL_API PL_NODISCARD int pl_case_todo(const pl_case *c, const uint8_t (*keys)[PL_PK_BYTES],
                                     size_t nkeys, pl_todo *out, size_t cap, size_t *n);

#ifdef __cplusplus
}
#endif

#endif
