/* Message bodies of the negotiation layer (SPEC §13.5 and the section of
 * each type): one canonical msgpack map per message type, decoded into the
 * tagged union pl_body, and encoded back from it.
 *
 * Ownership: pl_body_decode fills a pl_body the caller owns; its strings
 * and lists are heap copies (nothing points into the input or a msgpack
 * zone) and are freed with pl_body_free, which leaves the body zeroed and is
 * safe twice. pl_body_encode writes into the caller's buffer. */
#ifndef PARLEY_BODY_H
#define PARLEY_BODY_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_MAX_PARTICIPANTS 32 /* in a charter, and added by one change */
#define PL_MAX_POOL 32         /* observer pool */
#define PL_MAX_DISCLOSE_ITEMS 64
#define PL_NAME_MAX_BYTES 128
#define PL_TITLE_MAX_BYTES 256
#define PL_WORD_MAX_BYTES 32
#define PL_BODY_MAX_BYTES (PL_MSG_MAX_BYTES - 4096) /* room for header and sig */

typedef enum {
    PL_ROLE_NONE = 0,
    PL_ROLE_PROSECUTION,
    PL_ROLE_SUSPECT,
    PL_ROLE_COUNSEL,
    PL_ROLE_VICTIM,
    PL_ROLE_OBSERVER,
    PL_ROLE_GUARDIAN, /* version 2: a minor's legal representative (SPEC §13.26) */
    PL_ROLE_INTERPRETER, /* version 2: the suspect's interpreter (SPEC §13.27) */
} pl_role;

/* The sides of SPEC §13.1: prosecution; defense (suspect and counsel). */
typedef enum { PL_SIDE_NONE = 0, PL_SIDE_PROSECUTION, PL_SIDE_DEFENSE } pl_side;

PL_API const char *pl_role_name(pl_role r); /* "prosecution", …; "none" */
PL_API pl_role pl_role_from_name(const char *s, size_t n);
PL_API pl_side pl_role_side(pl_role r);

/* SPEC §13.9 F0b (v2): whether counsel is a retained defender (辩护人) or
 * a duty lawyer (值班律师). */
typedef enum { PL_CAPACITY_NONE = 0, PL_CAPACITY_DEFENDER, PL_CAPACITY_DUTY_LAWYER } pl_capacity;
PL_API const char *pl_capacity_name(pl_capacity c); /* "defender", "duty_lawyer"; "?" */

typedef struct {
    uint8_t key[PL_PK_BYTES];
    pl_role role;
    char *name;
    /* SPEC §13.2 (v2): the suspect's identity hash, binding the seat to a
     * person (pl_identity_hash); only a suspect's map has one. */
    int has_id_hash;
    uint8_t id_hash[PL_HASH_BYTES];
    /* SPEC §13.2, §13.9 F0b (v2): counsel's capacity and licence; only a
     * counsel's map has them. capacity 0 means absent (a defender). */
    pl_capacity capacity;
    char *licence; /* NULL when absent */
    /* SPEC §13.2 *Particulars* (v2): only a suspect's map has them.
     * birth is YYYYMMDD (0: absent); nationality ISO 3166-1 alpha-3 ("":
     * absent); language a language tag (NULL: absent). */
    uint32_t birth;
    char nationality[4];
    char *language;
    /* SPEC §13.18 *Acceptance* (v2): the added key's signature over its
     * seat (pl_seat_add_sign); only in a participants change's add entry */
    int has_accept;
    uint8_t accept[PL_SIG_BYTES];
} pl_participant;

/* SPEC §13.2 *Closed case* (v2): why the law forbids publicity (CPL art. 188). */
typedef enum { PL_CLOSED_NONE = 0, PL_CLOSED_STATE_SECRET, PL_CLOSED_PRIVACY, PL_CLOSED_TRADE_SECRET } pl_closed;
PL_API const char *pl_closed_name(pl_closed c); /* "state_secret", …; "?" */

/* SPEC §13.2 *Language* (v2): whether s (n bytes) is a language tag (a
 * primary subtag of 2–8 ASCII letters, then subtags of 1–8 letters or
 * digits after single hyphens, 32 bytes at most); and whether two tags
 * name the same language (equal language subtags — the primary subtag, or
 * an extended one: zh-yue is yue — ASCII case ignored). */
PL_API int pl_language_tag_valid(const char *s, size_t n);
PL_API int pl_language_same(const char *a, const char *b);
/* SPEC §13.2 *Particulars* (v2): whether d (YYYYMMDD) is a real date from
 * 1900-01-01 to 9999-12-31. */
PL_API int pl_birth_valid(uint64_t d);

typedef enum {
    PL_TOPIC_FACTS = 1,
    PL_TOPIC_CHARGES,
    PL_TOPIC_SENTENCE,
    PL_TOPIC_PROCEDURE,
    PL_TOPIC_COMPENSATION,
    PL_TOPIC_FORGIVENESS,
    PL_TOPIC_OTHER,
} pl_topic;

typedef enum { PL_DECISION_ADOPTED = 1, PL_DECISION_PARTLY, PL_DECISION_NOT_ADOPTED } pl_decision;

typedef enum { PL_MODE_IN_PERSON = 1, PL_MODE_VIDEO, PL_MODE_WRITTEN } pl_mode;

/* SPEC §13.15 (v2): the stage at which the suspect withdraws its plea:
 * before the case is filed with the court (审查起诉), or at trial (审判). */
typedef enum { PL_STAGE_REVIEW = 1, PL_STAGE_TRIAL } pl_stage;

/* SPEC §13.16 (v2): the court's ground for asking an adjustment (CPL art.
 * 201), and the prosecution's ground for reopening a final agreement. */
typedef enum {
    PL_COURT_NOT_CRIME = 1,
    PL_COURT_INVOLUNTARY,
    PL_COURT_DENIES_FACTS,
    PL_COURT_CHARGE_DIFFERS,
    PL_COURT_UNFAIR_TRIAL,
    PL_COURT_CLEARLY_IMPROPER,
    PL_COURT_DEFENSE_OBJECTION,
} pl_court_ground;
typedef enum {
    PL_REOPEN_NEW_FACTS = 1,
    PL_REOPEN_NEW_EVIDENCE,
    PL_REOPEN_NON_PERFORMANCE,
    PL_REOPEN_UNTRUE_REMORSE,
    PL_REOPEN_COURT_REQUEST,
} pl_reopen_ground;

/* SPEC §13.25 (v2): the victim's letter of forgiveness (谅解书) or a
 * settlement agreement of both (和解协议). */
typedef enum { PL_SETTLEMENT_LETTER = 1, PL_SETTLEMENT_AGREEMENT } pl_settlement_kind;

/* Wire names ("sentence", "partly_adopted", "in_person"); "?" if unknown. */
PL_API const char *pl_topic_name(pl_topic t);
PL_API const char *pl_decision_name(pl_decision d);
PL_API const char *pl_mode_name(pl_mode m);
PL_API const char *pl_stage_name(pl_stage s);
PL_API const char *pl_court_ground_name(pl_court_ground g);
PL_API const char *pl_reopen_ground_name(pl_reopen_ground g);
PL_API const char *pl_settlement_kind_name(pl_settlement_kind k);

typedef struct {
    uint8_t hash[PL_HASH_BYTES];
    uint64_t size;
    char *title;
} pl_item;

typedef struct {
    uint64_t type; /* a PL_T_* */
    union {
        struct {
            uint8_t case_nonce[32];
            char *title;
            size_t nparticipants;
            pl_participant *participants; /* ascending by key */
            size_t npool;
            uint8_t (*pool)[PL_PK_BYTES]; /* ascending */
            /* version 2 (SPEC §13.2): the day by which the procuratorate
             * must decide on prosecution (CPL art. 172), ms UTC; 0: none */
            int has_deadline;
            uint64_t deadline_ms;
            /* version 2 (SPEC §13.2): the language of the proceedings
             * (NULL: absent, which is "zh") and why the case is closed */
            char *language;
            pl_closed closed;
        } charter;
        struct {
            uint8_t charter[PL_ID_BYTES];
            /* SPEC §13.3 (v2): a suspect key's confirmation of the identity
             * its charter binds, given in a fixed session; all or none */
            int has_identity;
            uint8_t id_hash[PL_HASH_BYTES];
            char *name;
            uint8_t session[PL_ID_BYTES];
        } join;
        struct {
            size_t nadd;
            pl_participant *add;
            size_t nremove;
            uint8_t (*remove)[PL_PK_BYTES];
        } participants;
        struct {
            uint8_t new_key[PL_PK_BYTES];
        } key_rotate;
        struct {
            uint8_t old_key[PL_PK_BYTES], new_key[PL_PK_BYTES];
            int has_session, has_accept;
            uint8_t session[PL_ID_BYTES]; /* the fixed session it was done in */
            uint8_t accept[64];           /* the new key's acceptance (SPEC §13.18) */
        } key_replace;
        struct {
            uint64_t round;
            uint8_t value[32]; /* commit or reveal */
        } draw;
        struct {
            int has_answers;
            uint8_t answers[PL_ID_BYTES]; /* the offer this one counters */
            uint8_t *terms;               /* canonical terms bytes (SPEC §15) */
            size_t terms_len;
            uint8_t terms_hash[PL_HASH_BYTES];
            /* v2, decoded only: the terms say the offender is a minor or
             * impaired (§15.2): a defender witnesses (§13.9 F0b) */
            int needs_defender;
            int minor; /* v2, decoded only: the terms carry minor (§13.9 F0d) */
        } offer;
        struct {
            pl_topic topic;
            int has_regarding;
            uint8_t regarding[PL_ID_BYTES];
            char *text;
            /* version 2: the compensation demanded, in fen (topic
             * compensation only, at least 1) */
            int has_amount;
            uint64_t amount;
        } opinion;
        struct {
            uint8_t answers[PL_ID_BYTES];
            pl_decision decision;
            char *reasons;
        } response;
        struct {
            uint8_t offer[PL_ID_BYTES];
            uint8_t terms_hash[PL_HASH_BYTES];
            /* version 2 (SPEC §13.9 F0): the fixed session it is signed in;
             * counsel's witness of the suspect's signature, and its dissent */
            int has_session, witness, has_dissent;
            uint8_t session[PL_ID_BYTES];
            uint8_t dissent[PL_ID_BYTES];
        } sign;
        struct {
            size_t nitems;
            pl_item *items;
        } disclose;
        struct {
            uint8_t disclosure[PL_ID_BYTES];
        } disclose_ack;
        struct {
            uint64_t time_ms;
            char *venue;
            int detention_facility;
            int public_ok;
            pl_mode mode;
        } session_propose;
        struct {
            uint8_t proposal[PL_ID_BYTES];
            int public_ok;   /* accept only */
            char *reasons;   /* decline only */
        } session_answer;    /* SESSION_ACCEPT and SESSION_DECLINE */
        struct {
            uint8_t session[PL_ID_BYTES];
            uint8_t hash[PL_HASH_BYTES];
            uint64_t size;
            char *media;
        } recording;
        struct {
            int has_regarding;
            uint8_t regarding[PL_ID_BYTES];
            char *text;
        } observation;
        struct {
            char *note; /* may be NULL */
        } attestation;
        struct {
            int has_offer; /* 1: withdraw that offer; 0: leave the negotiation */
            uint8_t offer[PL_ID_BYTES];
            char *reasons;
        } withdraw;
        struct {
            char *reasons; /* may be NULL */
        } close;
        struct {
            char *reasons;
            pl_stage stage; /* version 2: the stage of the procedure (SPEC §13.15) */
        } retract;
        struct {
            uint8_t document[PL_HASH_BYTES];
            char *text;
            char *court;           /* version 2: the court's name */
            pl_court_ground ground; /* version 2 */
        } court_adjust;
        struct {
            pl_reopen_ground ground;
            uint8_t document[PL_HASH_BYTES]; /* H of the document showing the ground */
            char *reasons;
            int has_request;
            uint8_t request[PL_ID_BYTES]; /* the court adjustment answered */
        } reopen;
        struct {
            uint8_t document[PL_HASH_BYTES]; /* H of the rights notice given */
            char *language;                  /* a word: "zh", "en", a BCP 47 tag */
            char *withdrawal;                /* what a withdrawal leads to */
        } notice;
        struct {
            uint8_t notice[PL_ID_BYTES];
        } notice_ack;
        struct {
            int adopted;                     /* the recommendation was adopted */
            char *court;                     /* the court's name */
            uint8_t document[PL_HASH_BYTES]; /* H of the judgment's document */
            uint64_t time_ms;                /* the day of the judgment, UTC */
        } judgment;
        struct {
            uint8_t offer[PL_ID_BYTES];   /* the offer the suspect signs */
            uint8_t session[PL_ID_BYTES]; /* the fixed session the guardian attended */
            int agrees;                   /* 1: consents; 0: objects (CPL art. 174 para. 2) */
            char *reasons;                /* may be NULL */
        } consent;                        /* version 2 (SPEC §13.26) */
        struct {
            uint8_t settlement[PL_ID_BYTES]; /* the proposal withdrawn */
            char *reasons;
        } settlement_withdraw;               /* version 2 (SPEC §13.25) */
        struct {
            uint8_t offer[PL_ID_BYTES];   /* the offer the suspect signs */
            uint8_t session[PL_ID_BYTES]; /* the fixed session interpreted */
            char *language;               /* the language interpreted into */
        } interpretation;                 /* version 2 (SPEC §13.27) */
        struct {
            uint8_t proposal[PL_ID_BYTES]; /* the session-propose */
            int public_ok;                 /* the victim consents to public observation */
        } publicity;                       /* version 2 (SPEC §13.11) */
        struct {
            uint8_t document[PL_HASH_BYTES]; /* H of the letter or agreement */
            pl_settlement_kind kind;
            uint64_t agreed, paid;           /* fen; paid <= agreed */
            int forgiveness;                 /* the victim forgives */
            int has_accepts;                 /* 1: an acceptance of accepts */
            uint8_t accepts[PL_ID_BYTES];
        } settlement;
    } u;
} pl_body;

/* Decodes the body of a message of the given type (SPEC §13.5): the walk,
 * then the schema of the type. Terms inside an offer must decode and be
 * lawful (SPEC §15.6); the terms' code is returned otherwise, and pl_case
 * flags the offer with it. On failure the body is zeroed. */
PL_API PL_NODISCARD int pl_body_decode(uint64_t type, const uint8_t *in, size_t len, pl_body *out);

/* Why a body did not decode (issue 13 §3: one way to say which field),
 * as data a program renders in its own words. code is the returned error
 * (0 on success); section the spec section of the rule ("13.5" for a
 * body's schema, §15's for an offer's terms, "" on success); reason what
 * kind of fault (PL_BODY_WHY_*); field the path of the offending key from
 * the body's map, as "participants[2].birth", "terms", or an unknown
 * key's own name ("" when the body as a whole is wrong); allowed, for
 * PL_BODY_WHY_WORD, the words the field may hold ("review or trial");
 * detail one English sentence that names what is wrong and what is
 * allowed. For an offer whose terms fail, field is "terms" and detail the
 * terms' own (pl_terms_problem). */
#define PL_BODY_FIELD_MAX 48
#define PL_BODY_ALLOWED_MAX 160
#define PL_BODY_DETAIL_MAX 256 /* PL_TERMS_DETAIL_MAX: a terms refusal fits */
typedef enum {
    PL_BODY_WHY_NONE = 0,
    PL_BODY_WHY_SHAPE,       /* not a map, an empty or too long list, nothing changed */
    PL_BODY_WHY_UNKNOWN_KEY, /* a key the type does not have */
    PL_BODY_WHY_KIND,        /* a value of the wrong kind or length */
    PL_BODY_WHY_MISSING,     /* a required key is absent */
    PL_BODY_WHY_WORD,        /* not one of the enumeration's words (allowed lists them) */
    PL_BODY_WHY_VALUE,       /* a value out of its range or form (a date, a code, an order) */
    PL_BODY_WHY_NOT_HERE,    /* a key this entry or body may not carry */
    PL_BODY_WHY_TERMS,       /* an offer's terms are refused (SPEC §15.6) */
    PL_BODY_WHY_OTHER        /* not MessagePack, an unknown type, memory */
} pl_body_why;
typedef struct {
    int code;
    const char *section;
    pl_body_why reason;
    char field[PL_BODY_FIELD_MAX];
    char allowed[PL_BODY_ALLOWED_MAX];
    char detail[PL_BODY_DETAIL_MAX];
} pl_body_problem;

/* pl_body_decode, saying why in why (may be NULL) on failure. */
PL_API PL_NODISCARD int pl_body_decode_why(uint64_t type, const uint8_t *in, size_t len,
                                           pl_body *out, pl_body_problem *why);
PL_API void pl_body_free(pl_body *b);

/* Encodes b canonically (keys in ascending order) into out. */
PL_API PL_NODISCARD int pl_body_encode(const pl_body *b, uint8_t *out, size_t cap, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
