/* A small world for negotiation tests: the parties' keys, a charter, joins,
 * and a way to say things that either sees everything so far or only what
 * a chosen set of parties had said (to stage concurrency). */
#ifndef PARLEY_WORLD_H
#define PARLEY_WORLD_H

#include "parley/parley.h"

enum { W_P, W_S, W_C, W_V, W_O, W_X, W_Q1, W_Q2, W_NEWC, W_NEWS, W_NEWV, W_G, W_NK };
#define W_ALL 0xffffu
#define W_BIT(p) (1u << (p))
#define W_LOG_MAX 2048

typedef struct {
    pl_key *k[W_NK];
    pl_msg *head[W_NK];
    pl_case *c;
    pl_case *lean; /* issue 17: the same log in a lean case; NULL: none */
    uint8_t case_id[PL_CASE_ID_BYTES];
    pl_msg *log[W_LOG_MAX];
    int verdict[W_LOG_MAX];
    size_t n;
    uint64_t clock;
    uint8_t *blobs[1024]; /* terms buffers to free */
    size_t nblobs;
    int check_only; /* w_say* only judge the message (pl_case_check), adding nothing */
    uint8_t id_hash[32]; /* w_init_bound: the suspect's identity hash */
    pl_msg *id_session;  /* and the fixed session of the suspect's confirmation */
    /* SPEC §13.9 F0 (v2): the fixed session the defense signs in, proposed
     * by counsel and accepted by the prosecution at w_init. w_say fills it
     * into every signature of a key other than W_P that names no session,
     * and `witness` into counsel's (W_C, W_NEWC), unless raw_sign is set. */
    pl_msg *sign_session;
    int raw_sign;
} world;

/* The suspect's name in the world's charter. */
#define W_SUSPECT_NAME "Li (suspect)"
/* The specimen resident identity number of GB 11643 (SPEC §13.2). */
#define W_ID_NUMBER "11010519491231002X"

/* Charter by the prosecution naming P, S, C, V and, unless pool, the
 * observer O; with pool, the pool is {O, Q1, Q2}. Then S, C, V (and O)
 * join. Aborts if any of that is refused. */
void w_init(world *w, int pool);
/* The same with the keys of P, S, C, V, O given (the world takes them);
 * the others are fixed test keys. */
void w_init_keys(world *w, int pool, pl_key *given[5]);
/* The same, without pool, but the charter binds the suspect's seat to
 * W_ID_NUMBER (SPEC §13.2 *Identity*): C, V and O join, P proposes a
 * session that C accepts, and S joins confirming in it (§13.3). */
void w_init_bound(world *w);
/* A join of the charter carrying the confirmation of name and id_hash in
 * session (SPEC §13.3); name points at static memory. */
pl_body wb_confirm(world *w, const char *name, const uint8_t id_hash[32], const pl_msg *session);
void w_free(world *w);

/* Signs b as party who, referencing the heads of the parties in see (and
 * its own chain), adds it to the case; returns the verdict. *out (may be
 * NULL) gets the message, owned by the world. */
int w_say_seeing(world *w, int who, const pl_body *b, unsigned see, pl_msg **out);
int w_say(world *w, int who, const pl_body *b, pl_msg **out);
/* Adds a message or a proof to both the world's cases (w->c, w->lean):
 * the full case's verdict. */
int w_add(world *w, const pl_msg *m);
int w_add_proof(world *w, const uint8_t *proof, size_t len);

/* The charter w_init signs (P, S, C, V and O, or with pool the pool
 * {O, Q1, Q2}); mem holds what the body points to. */
typedef struct {
    pl_participant ps[5];
    uint8_t pool[3][32];
} wb_charter_mem;
pl_body wb_charter(world *w, int pool, const uint8_t nonce[32], wb_charter_mem *mem);
/* When set, wb_charter passes the charter it made through it (a test's
 * particulars, language, closure: SPEC §13.2); the test resets it. */
extern void (*w_charter_hook)(pl_body *charter);

/* Bodies. The pl_body returned points at static or world-owned memory. */
pl_body wb_offer(world *w, uint64_t kind, uint64_t months, uint64_t probation, uint64_t fine_yuan,
                 const pl_msg *answers);
/* The same, answering the offer with this id (NULL: a first offer); the
 * body's terms_hash is set. */
pl_body wb_offer_id(world *w, uint64_t kind, uint64_t months, uint64_t probation,
                    uint64_t fine_yuan, const uint8_t *answers);
pl_body wb_opinion(pl_topic topic, const char *text);
pl_body wb_response(const pl_msg *input, pl_decision d, const char *reasons);
pl_body wb_sign(const pl_msg *offer);
pl_body wb_simple(uint64_t type, const char *text); /* close, retract, withdraw, observation, attestation */
pl_body wb_withdraw_offer(const pl_msg *offer, const char *reasons);
pl_body wb_ref(uint64_t type, const pl_msg *target); /* join, ack, session accept (public) */
pl_body wb_propose(int public_ok, int detention_facility);
pl_body wb_decline(const pl_msg *proposal);
pl_body wb_disclose(void);
/* A judgment (SPEC §13.23) of "Court A" on a fixed day; court_byte fills
 * the document hash, so that different values make different judgments. */
pl_body wb_judgment(int adopted, uint8_t court_byte);
/* SPEC §13.26: the prosecution proposes W_G as the minor's guardian,
 * the suspect seconds (§13.18), W_G joins; *slot must outlive the world's use of the
 * change. Aborts if refused. */
void w_seat_guardian(world *w, pl_participant *slot);
/* A guardian's consent (agrees 1) or objection (0) to offer, in the
 * world's signing session (SPEC §13.26); reasons may be NULL. */
pl_body wb_consent(world *w, const pl_msg *offer, int agrees, const char *reasons);
/* An interpreter's statement (SPEC §13.27) on offer, in the world's
 * signing session, into language (static memory). */
pl_body wb_interpretation(world *w, const pl_msg *offer, const char *language);
/* A settlement (SPEC §13.25): document 0x5e…doc_byte, kind, amounts in
 * yuan, forgiveness; accepting `accepts` when not NULL. */
pl_body wb_settlement(pl_settlement_kind kind, uint64_t agreed_yuan, uint64_t paid_yuan, int forgiveness,
                      uint8_t doc_byte, const pl_msg *accepts);
/* A reopen (SPEC §13.16) on ground, naming request when not NULL. */
pl_body wb_reopen(pl_reopen_ground ground, const pl_msg *request);
pl_body wb_recording(const pl_msg *proposal);
pl_body wb_draw(uint64_t type, uint64_t round, const uint8_t value[32]);
/* One draw round (SPEC §13.13): pkey and dkey commit to the reveal values
 * pbyte×32 and dbyte×32, then reveal, each message seeing `see`; the
 * reveals in *preveal and *dreveal (either may be NULL). PL_OK, or the
 * first verdict that was not. */
int w_draw(world *w, int pkey, int dkey, uint64_t round, uint8_t pbyte, uint8_t dbyte, unsigned see,
           pl_msg **preveal, pl_msg **dreveal);
/* The proof (SPEC §7.2) that m's author also signed a close at m's slot,
 * into proof; its length. */
size_t w_fork_proof(world *w, const pl_msg *m, uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES]);
/* b said by who with prev = its message `prev` (NULL: seq 1) and the refs
 * of `see`, added nowhere: a second branch of who's chain (a fork). The
 * message is owned by w. */
pl_msg *w_sign_at(world *w, int who, pl_msg *prev, const pl_body *b, unsigned see);
/* The pool key (W_O, W_Q1 or W_Q2) drawn as observer in the whole log, or -1. */
int w_drawn(world *w);
/* The participants change that adds W_NEWC as counsel; *slot holds the
 * participant the body points to and must outlive it. */
pl_body wb_add_counsel(world *w, pl_participant *slot);
/* SPEC §13.9 F0b: the suspect, with the prosecution seconding, seats W_NEWC
 * as counsel in the capacity duty_lawyer (licence 11101201810000001), and
 * W_NEWC joins; W_C, the charter's counsel, stays the retained defender.
 * *slot must outlive the world's use of the change. Aborts if refused. */
void w_seat_duty_lawyer(world *w, pl_participant *slot);
/* A session proposed by proposer and accepted by acceptor (fixed, §13.11);
 * returns the proposal. Aborts if refused. */
pl_msg *w_fixed_session(world *w, int proposer, int acceptor);
/* The prosecution's rights notice and the suspect's acknowledgment (SPEC
 * §13.24), which w_init makes after the signing session. */
void w_notice(world *w);
/* A rights notice (document hash 0x70…, language zh) saying what a
 * withdrawal leads to, and an acknowledgment of the notice with this id. */
pl_body wb_notice(const char *withdrawal);
pl_body wb_notice_ack(const uint8_t notice[32]);
/* When set, w_init leaves the notice out (to test SPEC §13.9 F0c). */
extern int w_no_notice;
/* When set, wb_offer and wb_offer_id make a minor offender's terms
 * (SPEC §15.2 minor, the summary procedure). */
extern int w_terms_minor;
/* A key-replace of old by new_ (SPEC §13.18), naming session when not NULL
 * and, when accepted, carrying new_'s acceptance of the seat. */
pl_body wb_replace(world *w, int old, int new_, const pl_msg *session, int accepted);

/* The HEADS frame of w's case after its first k messages (SPEC §14.4):
 * each author's latest seq and id among them, ascending by author. */
pl_wire w_heads(const world *w, size_t k);

#endif
