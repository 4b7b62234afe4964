/* The negotiation rules engine (SPEC §13): a case's state, derived from its
 * log alone.
 *
 * Messages go in after the core verifier accepted them, in an order where
 * every message comes after its predecessors (pl_verifier's acceptance
 * order does). Each message is judged against its causal past only — the
 * messages its author had seen (SPEC §13.4) — so the verdict on every
 * message, and the state built from the verdicts, are the same on every
 * node whatever order the messages arrived in. A message that breaks a rule
 * stays in the log as evidence, flagged with the rule's error code, and has
 * no effect on the state.
 *
 * The same judgement refuses to build a rule-breaking message locally:
 * pl_case_check gives the verdict a message would get, before it is sent.
 *
 * Ownership: pl_case_new returns a case the caller frees with
 * pl_case_destroy. pl_case_add copies the message. Pointers returned by the
 * query functions stay valid until the next pl_case_add or
 * pl_case_add_proof. */
#ifndef PARLEY_CASE_H
#define PARLEY_CASE_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/body.h"
#include "parley/key.h"
#include "parley/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_CASE_MAX_AUTHORS 64
/* A local bound, not a verdict (SPEC §13.4); the quotas of SPEC §13.22
 * keep every case far below it: at most 64 authors x 1000 counted
 * messages, and acts bounded by what they act on. */
#define PL_CASE_MAX_MESSAGES 400000

/* SPEC §13.22 (R14): per seat (an author and the keys it rotated to) and case, counted messages and bytes; per
 * author, unanswered inputs in the past of a new input. */
#define PL_QUOTA_MESSAGES 1000
#define PL_QUOTA_BYTES (16u * 1024u * 1024u)
#define PL_QUOTA_OPEN_INPUTS 32
/* SPEC §13.22 (v2): rotations of one seat (its holder's own key changes);
 * the keys a rotation seats count on the seat's quota, not a fresh one. */
#define PL_QUOTA_ROTATIONS 3

typedef struct pl_case pl_case;

PL_API pl_case *pl_case_new(const uint8_t case_id[PL_CASE_ID_BYTES]);
/* Issue 17: a lean case judges exactly as a full one, and keeps of each
 * message only what the rules read again: no message (pl_case_msg returns
 * NULL; pl_case_msg_info_get gives its id, author, seq, type, body hash
 * and length) and its body without texts and terms (pl_case_body:
 * opinions' text, reasons, notes, a court adjustment's text and an offer's
 * terms are NULL, terms_len 0; its terms_hash stays). For a holder that
 * keeps the bytes elsewhere, as a node keeps them in its store. NULL for an
 * unknown flag or out of memory. */
#define PL_CASE_LEAN 1u
PL_API pl_case *pl_case_new_flags(const uint8_t case_id[PL_CASE_ID_BYTES], unsigned flags);
PL_API unsigned pl_case_flags(const pl_case *c);
PL_API void pl_case_destroy(pl_case **c);

/* Adds a verified message. Returns PL_OK when it obeys every rule, or the
 * code of the rule it breaks (it is kept, flagged); for a duplicate, the
 * verdict the message already has. PL_E_UNRESOLVED if a predecessor has
 * not been added (nothing is kept), PL_E_CASE for another case,
 * PL_E_AUTHOR_LIMIT. PL_E_NOMEM is a local failure (SPEC §13.21): the
 * message may or may not be kept and the case's verdicts may be
 * incomplete, so the caller destroys the case and builds it again from its
 * messages and proofs, as a node does on restart; so does
 * pl_case_add_proof's PL_E_NOMEM. */
PL_API PL_NODISCARD int pl_case_add(pl_case *c, const pl_msg *m);

/* The verdict m would get if it were added now; adds nothing. This is the
 * local API's refusal: a node asks before it sends. */
PL_API PL_NODISCARD int pl_case_check(pl_case *c, const pl_msg *m);

/* The k-th proven equivocator of the case (k from 0), SPEC §13.14: its
 * key and the first seq that counts for nothing. Returns 1, or 0 when
 * there is no k-th. */
PL_API int pl_case_equivocator(const pl_case *c, size_t k, uint8_t pk[PL_PK_BYTES],
                               uint64_t *void_from);

/* Records a verified equivocation proof of this case (SPEC §13.14): the
 * author's messages from the forked seq on lose their effect, everywhere. */
PL_API PL_NODISCARD int pl_case_add_proof(pl_case *c, const uint8_t *proof, size_t len);

/* The messages, in the order added. */
PL_API size_t pl_case_count(const pl_case *c);
PL_API const pl_msg *pl_case_msg(const pl_case *c, size_t i); /* NULL in a lean case */
/* What every case keeps of message i, lean or not. PL_E_ARG past the end. */
typedef struct {
    uint8_t id[PL_ID_BYTES];
    uint8_t author[PL_PK_BYTES];
    uint8_t body_hash[PL_HASH_BYTES];
    uint64_t seq, type, timestamp_ms;
    size_t len; /* of its bytes */
} pl_case_msg_info;
PL_API int pl_case_msg_info_get(const pl_case *c, size_t i, pl_case_msg_info *out);
PL_API const pl_body *pl_case_body(const pl_case *c, size_t i); /* NULL if it did not decode */
PL_API int pl_case_verdict(const pl_case *c, size_t i);         /* PL_OK or the rule broken */
PL_API uint64_t pl_case_round(const pl_case *c, size_t i);      /* SPEC §13.16 */
PL_API pl_role pl_case_msg_role(const pl_case *c, size_t i);    /* the author's role then */
/* Index of the message with this id, or -1. */
PL_API long pl_case_find(const pl_case *c, const uint8_t id[PL_ID_BYTES]);
/* Whether message x is in the causal past of message i (SPEC §13.4). */
PL_API int pl_case_saw(const pl_case *c, size_t i, size_t x);

/* The body of the case's valid charter (SPEC §13.2), or NULL if it has none. */
PL_API const pl_body *pl_case_charter(const pl_case *c);

/* The observer drawn from the charter's pool in the whole log (SPEC §13.13):
 * 1 with its key and the draw round that chose it, 0 if no round completed
 * (round may be NULL). */
PL_API int pl_case_drawn_observer(const pl_case *c, uint8_t pk[PL_PK_BYTES], uint64_t *round);
/* Whether message i is a draw-commit or draw-reveal that counts for the
 * draw: the side that made it, PL_SIDE_NONE if it does not count. Valid
 * draw messages count, and so do the four of a valid standing join's pair
 * (SPEC §13.13 *Standing joins*): a forking key's reveal can count here
 * while pl_case_verdict says PL_E_EQUIVOCATED. */
PL_API pl_side pl_case_draw_side(const pl_case *c, size_t i);

/* The header of author's next message in the case (SPEC §6.2, §6.5, §13.4):
 * version, case, author and type; seq and prev after the author's head
 * here; a reference to the head of every other author the case holds,
 * ascending by key, so that the message says all its author has seen; the
 * timestamp now_ms, or the author's latest if that is later (timestamps
 * never decrease). The body hash is left zero (pl_msg_sign fills it).
 * PL_E_REFS when the case holds more than PL_MAX_REFS other authors. What
 * a node signs is this header; it then asks pl_case_check (SPEC §13.21). */
PL_API PL_NODISCARD int pl_case_next_header(const pl_case *c, const uint8_t author[PL_PK_BYTES],
                                            uint64_t type, uint64_t now_ms, pl_header *out);

/* The role of a key in the whole log (SPEC §13.1), PL_ROLE_NONE if none. */
PL_API pl_role pl_case_role(const pl_case *c, const uint8_t pk[PL_PK_BYTES]);
/* The role of pk as message i saw it (SPEC §13.1: from i's past alone). */
PL_API pl_role pl_case_role_seen(const pl_case *c, size_t i, const uint8_t pk[PL_PK_BYTES]);
/* SPEC §13.18: what message i does as a change of who holds a role, in the
 * whole log: not a valid change carrier; a proposal still lacking a
 * consent; effective; or complete but void by the old key's objection. */
enum { PL_CHANGE_NONE = 0, PL_CHANGE_PROPOSED, PL_CHANGE_EFFECTIVE, PL_CHANGE_OBJECTED };
PL_API int pl_case_change_state(const pl_case *c, size_t i);
/* SPEC §13.22: the counted messages of author's seat so far and their
 * bytes (those of the keys it rotated from included; 0 for an author with
 * no message). Always PL_OK. */
/* SPEC §13.18: whether an effective change in the whole log retired pk
 * (removed, rotated away or replaced): it has no role and never will
 * again. A node stops serving such a key the case (issue 18 §6). */
PL_API int pl_case_retired(const pl_case *c, const uint8_t pk[PL_PK_BYTES]);
/* SPEC §13.9 F0b (v2): the capacity of a key as counsel (defender unless
 * its participant map, or its predecessor's, says duty_lawyer). */
PL_API pl_capacity pl_case_capacity(const pl_case *c, const uint8_t pk[PL_PK_BYTES]);
PL_API int pl_case_usage(const pl_case *c, const uint8_t author[PL_PK_BYTES], uint32_t *messages,
                         uint64_t *bytes);
/* Whether the case names pk (SPEC §14): a participant of the charter, a key
 * of its observer pool, a key with a role now, or the old key of any
 * key-replace in the log (which may object to it, SPEC §13.18). */
PL_API int pl_case_names(const pl_case *c, const uint8_t pk[PL_PK_BYTES]);

typedef enum {
    PL_AGREEMENT_NONE = 0, /* no signature yet in the current round */
    PL_AGREEMENT_PENDING,  /* some of the three required signatures */
    PL_AGREEMENT_FINAL,    /* prosecution, suspect and counsel signed the same terms */
    PL_AGREEMENT_RETRACTED,/* the suspect retracted the final agreement (R10), or the court sent it back */
    PL_AGREEMENT_WITHDRAWN,/* a side left the negotiation, unilaterally (R5) */
    PL_AGREEMENT_CLOSED,   /* both sides declared deliberation complete (R5) */
    PL_AGREEMENT_REOPENED, /* v2: the prosecution reopened the final agreement (SPEC §13.16) */
} pl_agreement_state;

PL_API const char *pl_agreement_state_name(pl_agreement_state s);

typedef struct {
    pl_agreement_state state;
    uint64_t round;               /* rounds opened by retraction or court adjustment */
    int has_terms;                /* the terms of the final or most-signed offer */
    uint8_t terms_hash[PL_HASH_BYTES];
    long offer;                   /* index of the offer those terms come from, or -1 */
    long sign_prosecution, sign_suspect, sign_counsel; /* indices, or -1 */
    pl_side withdrawn_by;         /* for PL_AGREEMENT_WITHDRAWN */
    long ended_by;                /* the message that ended the round, or -1 */
    size_t open_inputs;           /* inputs no prosecution response answers (R3) */
    size_t violations;            /* messages flagged */
    size_t equivocations;         /* authors proven to have forked */
    long judgment;                /* SPEC §13.23 (v2): a valid judgment, or -1 */
    long court_request;           /* SPEC §13.16 (v2): a court adjustment of the current
                                     round no reopen or response answers, or -1 */
    int judgment_confirmed;       /* 1: both sides recorded it; 0: one side only */
    int judgments_differ;         /* valid judgments with different bodies exist */
    /* SPEC §13.20 item 8, §13.26 (v2): a final agreement of a minor
     * without a plea statement (a guardian objected, or counsel dissented) */
    int no_statement;
} pl_case_status;

PL_API void pl_case_status_get(const pl_case *c, pl_case_status *st);

/* Whether input i (an opinion or a defense offer) is answered by a valid
 * prosecution response anywhere in the log; -1 if i is not an input. */
PL_API int pl_case_input_answered(const pl_case *c, size_t i);
/* Whether message i is an input that obliges an answer (SPEC §13.8). */
PL_API int pl_case_is_input(const pl_case *c, size_t i);

/* SPEC §13.25 (v2): settlements. For a valid settlement i, whether it is
 * made: 1 for an acceptance (*by = i) and for a proposal that a valid
 * acceptance names (*by = the first such acceptance); 0 for a proposal no
 * acceptance names (*by = -1); -1 when i is not a valid settlement. by may
 * be NULL. */
PL_API int pl_case_settlement_made(const pl_case *c, size_t i, long *by);
/* SPEC §13.25 (v2): whether a valid settlement-withdraw names settlement i
 * (its proposer's party withdrew it); 0 otherwise. */
PL_API int pl_case_settlement_withdrawn(const pl_case *c, size_t i);
/* SPEC §13.26 (v2): whether consent i is a guardian's word that counts for
 * the suspect's signature sign_suspect (in its past, naming its offer and
 * session, its key's latest such word); 0 otherwise. */
PL_API int pl_case_consent_counts(const pl_case *c, long sign_suspect, size_t i);
/* The settlement facts of the whole case, as bits of terms.h's grounds:
 * PL_GROUND_COMPENSATION when a made settlement has paid above 0,
 * PL_GROUND_FORGIVENESS when a made settlement forgives. */
PL_API unsigned pl_case_settled(const pl_case *c);
/* SPEC §13.25: the grounds of offer i's terms that the case's settlement
 * facts do not show (PL_GROUND_COMPENSATION, PL_GROUND_FORGIVENESS bits)
 * into *warn. PL_E_ARG when i is not an offer whose terms decode, or the
 * case is lean (its offers keep no terms bytes). */
PL_API PL_NODISCARD int pl_case_settlement_warnings(const pl_case *c, size_t offer, unsigned *warn);

/* SPEC §13.2 *Particulars* (v2): the charter's suspect map (owned by the
 * case; NULL when there is no valid charter), the language of the
 * proceedings (the charter's, or "zh"), and whether the suspect needs an
 * interpreter (its language is not the proceedings'). */
PL_API const pl_participant *pl_case_suspect(const pl_case *c);
/* SPEC §13.18: whether change i (a rotation, replacement or participants
 * change) seats pk in the whole log: valid, effective, naming pk as its new
 * or added key, and not void by a contest over pk it does not win. */
PL_API int pl_case_change_seats(const pl_case *c, size_t i, const uint8_t pk[PL_PK_BYTES]);
PL_API const char *pl_case_language(const pl_case *c);
PL_API int pl_case_needs_interpreter(const pl_case *c);
/* SPEC §13.27 (v2): whether interpretation i counts for the suspect's
 * signature sign_suspect (in its past, by an interpreter there, naming
 * its offer and session, into the suspect's language); 0 otherwise. */
PL_API int pl_case_interpretation_counts(const pl_case *c, long sign_suspect, size_t i);

/* SPEC §13.28 (v2): the warnings of the record for offer i's terms, as
 * PL_WARN_* bits into *warn: a ground without the settlement that shows
 * it (§13.25), no probation for a minor or a person of 75 on a short
 * sentence (CL art. 72), a minor by the charter's birth date whose terms
 * do not say minor (CL art. 17). PL_E_ARG as for
 * pl_case_settlement_warnings. Never a verdict. */
#define PL_WARN_COMPENSATION 0x01u
#define PL_WARN_FORGIVENESS 0x02u
#define PL_WARN_PROBATION 0x04u
#define PL_WARN_MINOR 0x08u
PL_API PL_NODISCARD int pl_case_warnings(const pl_case *c, size_t offer, unsigned *warn);
/* The JSON name of one PL_WARN_* bit ("probation"); "?" otherwise. */
PL_API const char *pl_warning_name(unsigned w);
/* SPEC §13.28: whether a person born on birth (YYYYMMDD) has turned n
 * years old on date (YYYYMMDD). */
PL_API int pl_has_turned(uint32_t birth, unsigned n, uint64_t date);

/* The commitment to a draw reveal (SPEC §13.13): BLAKE2b-256 of
 * "parley/v2/draw" || 0x00 || reveal. The reveal is 32 random bytes. */
PL_API void pl_draw_commitment(const uint8_t reveal[32], uint8_t commit[32]);

/* SPEC §13.18: the acceptance by which the holder of a new key takes over a
 * suspect's or counsel's seat from the key old, in the fixed session whose
 * proposal has the id session: an Ed25519 signature by the new key over
 * "parley/v2/seat-accept" || 0x00 || case id || old || new || session
 * (150 bytes). It goes in the key-replace body's "accept". Verify returns
 * PL_OK or PL_E_SEAT. */
#define PL_SEAT_ACCEPT_INPUT_BYTES (22 + PL_CASE_ID_BYTES + 2 * PL_PK_BYTES + PL_ID_BYTES)
/* SPEC §13.18 *Acceptance* (v2): the added key K's signature over its seat
 * in a participants change's add entry: "parley/v2/seat-add" || 0x00 ||
 * case_id || K || the role's wire name. verify: PL_OK or PL_E_SEAT. */
#define PL_SEAT_ADD_INPUT_MAX (19 + PL_CASE_ID_BYTES + PL_PK_BYTES + 16)
PL_API void pl_seat_add_sign(const pl_key *key, const uint8_t case_id[PL_CASE_ID_BYTES], pl_role role,
                             uint8_t sig[PL_SIG_BYTES]);
PL_API PL_NODISCARD int pl_seat_add_verify(const uint8_t case_id[PL_CASE_ID_BYTES],
                                           const uint8_t key[PL_PK_BYTES], pl_role role,
                                           const uint8_t sig[PL_SIG_BYTES]);
PL_API void pl_seat_accept_sign(const pl_key *new_key, const uint8_t case_id[PL_CASE_ID_BYTES],
                                const uint8_t old[PL_PK_BYTES], const uint8_t session[PL_ID_BYTES],
                                uint8_t sig[PL_SIG_BYTES]);
PL_API int pl_seat_accept_verify(const uint8_t case_id[PL_CASE_ID_BYTES],
                                 const uint8_t old[PL_PK_BYTES],
                                 const uint8_t new_key[PL_PK_BYTES],
                                 const uint8_t session[PL_ID_BYTES],
                                 const uint8_t sig[PL_SIG_BYTES]);

/* The case id a charter with this creator and nonce must carry (SPEC §13.2). */
PL_API void pl_case_id_derive(const uint8_t creator[PL_PK_BYTES], const uint8_t nonce[32],
                              uint8_t case_id[PL_CASE_ID_BYTES]);

#ifdef __cplusplus
}
#endif
#endif
