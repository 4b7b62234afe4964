/* Generated from spec/parley-v2.md §13.5 by tests/tools/gen_schema.py: do not
 * edit. Change the spec's table, then run `make schema`; ctest `schema` fails
 * while this file and the spec differ. Per map: an index per key
 * (F_<MAP>_<KEY>, the keys in the canonical order of §3) and the field list
 * the decoder reads (SCHEMA_<MAP>: key, kind, required). */
#ifndef PARLEY_BODY_SCHEMA_H
#define PARLEY_BODY_SCHEMA_H

/* charter (1) */
enum {
    F_CHARTER_CASE_NONCE,
    F_CHARTER_CLOSED,
    F_CHARTER_DEADLINE,
    F_CHARTER_LANGUAGE,
    F_CHARTER_PARTICIPANTS,
    F_CHARTER_POOL,
    F_CHARTER_TITLE,
};
#define SCHEMA_CHARTER \
    {"case_nonce", K_BIN32, 1, 0}, \
    {"closed", K_WORD, 0, 0}, \
    {"deadline", K_UINT, 0, 0}, \
    {"language", K_WORD, 0, 0}, \
    {"participants", K_ARRAY, 1, 0}, \
    {"pool", K_ARRAY, 0, 0}, \
    {"title", K_TITLE, 1, 0}

/* join (2) */
enum {
    F_JOIN_CHARTER,
    F_JOIN_ID_HASH,
    F_JOIN_NAME,
    F_JOIN_SESSION,
};
#define SCHEMA_JOIN \
    {"charter", K_BIN32, 1, 0}, \
    {"id_hash", K_BIN32, 0, 0}, \
    {"name", K_NAME, 0, 0}, \
    {"session", K_BIN32, 0, 0}

/* participants (3) */
enum {
    F_PARTICIPANTS_ADD,
    F_PARTICIPANTS_REMOVE,
};
#define SCHEMA_PARTICIPANTS \
    {"add", K_ARRAY, 0, 0}, \
    {"remove", K_ARRAY, 0, 0}

/* key-rotate (4) */
enum {
    F_KEY_ROTATE_NEW,
};
#define SCHEMA_KEY_ROTATE \
    {"new", K_BIN32, 1, 0}

/* key-replace (5) */
enum {
    F_KEY_REPLACE_ACCEPT,
    F_KEY_REPLACE_NEW,
    F_KEY_REPLACE_OLD,
    F_KEY_REPLACE_SESSION,
};
#define SCHEMA_KEY_REPLACE \
    {"accept", K_BIN64, 0, 0}, \
    {"new", K_BIN32, 1, 0}, \
    {"old", K_BIN32, 1, 0}, \
    {"session", K_BIN32, 0, 0}

/* draw-commit (6) */
enum {
    F_DRAW_COMMIT_COMMIT,
    F_DRAW_COMMIT_ROUND,
};
#define SCHEMA_DRAW_COMMIT \
    {"commit", K_BIN32, 1, 0}, \
    {"round", K_UINT, 1, 0}

/* draw-reveal (7) */
enum {
    F_DRAW_REVEAL_REVEAL,
    F_DRAW_REVEAL_ROUND,
};
#define SCHEMA_DRAW_REVEAL \
    {"reveal", K_BIN32, 1, 0}, \
    {"round", K_UINT, 1, 0}

/* offer (16) */
enum {
    F_OFFER_ANSWERS,
    F_OFFER_TERMS,
};
#define SCHEMA_OFFER \
    {"answers", K_BIN32, 0, 0}, \
    {"terms", K_MAP, 1, 0}

/* opinion (17) */
enum {
    F_OPINION_AMOUNT,
    F_OPINION_REGARDING,
    F_OPINION_TEXT,
    F_OPINION_TOPIC,
};
#define SCHEMA_OPINION \
    {"amount", K_UINT, 0, 0}, \
    {"regarding", K_BIN32, 0, 0}, \
    {"text", K_TEXT, 1, 0}, \
    {"topic", K_WORD, 1, 0}

/* response (18) */
enum {
    F_RESPONSE_ANSWERS,
    F_RESPONSE_DECISION,
    F_RESPONSE_REASONS,
};
#define SCHEMA_RESPONSE \
    {"answers", K_BIN32, 1, 0}, \
    {"decision", K_WORD, 1, 0}, \
    {"reasons", K_TEXT, 1, 0}

/* sign (19) */
enum {
    F_SIGN_DISSENT,
    F_SIGN_OFFER,
    F_SIGN_SESSION,
    F_SIGN_TERMS_HASH,
    F_SIGN_WITNESS,
};
#define SCHEMA_SIGN \
    {"dissent", K_BIN32, 0, 0}, \
    {"offer", K_BIN32, 1, 0}, \
    {"session", K_BIN32, 0, 0}, \
    {"terms_hash", K_BIN32, 1, 0}, \
    {"witness", K_BOOL, 0, 0}

/* disclose (20) */
enum {
    F_DISCLOSE_ITEMS,
};
#define SCHEMA_DISCLOSE \
    {"items", K_ARRAY, 1, 0}

/* disclose-ack (21) */
enum {
    F_DISCLOSE_ACK_DISCLOSURE,
};
#define SCHEMA_DISCLOSE_ACK \
    {"disclosure", K_BIN32, 1, 0}

/* session-propose (22) */
enum {
    F_SESSION_PROPOSE_DETENTION_FACILITY,
    F_SESSION_PROPOSE_MODE,
    F_SESSION_PROPOSE_PUBLIC,
    F_SESSION_PROPOSE_TIME,
    F_SESSION_PROPOSE_VENUE,
};
#define SCHEMA_SESSION_PROPOSE \
    {"detention_facility", K_BOOL, 1, 0}, \
    {"mode", K_WORD, 1, 0}, \
    {"public", K_BOOL, 1, 0}, \
    {"time", K_UINT, 1, 0}, \
    {"venue", K_TITLE, 1, 0}

/* session-accept (23) */
enum {
    F_SESSION_ACCEPT_PROPOSAL,
    F_SESSION_ACCEPT_PUBLIC,
};
#define SCHEMA_SESSION_ACCEPT \
    {"proposal", K_BIN32, 1, 0}, \
    {"public", K_BOOL, 1, 0}

/* session-decline (24) */
enum {
    F_SESSION_DECLINE_PROPOSAL,
    F_SESSION_DECLINE_REASONS,
};
#define SCHEMA_SESSION_DECLINE \
    {"proposal", K_BIN32, 1, 0}, \
    {"reasons", K_TEXT, 1, 0}

/* recording (25) */
enum {
    F_RECORDING_HASH,
    F_RECORDING_MEDIA,
    F_RECORDING_SESSION,
    F_RECORDING_SIZE,
};
#define SCHEMA_RECORDING \
    {"hash", K_BIN32, 1, 0}, \
    {"media", K_WORD, 1, 0}, \
    {"session", K_BIN32, 1, 0}, \
    {"size", K_UINT, 1, 0}

/* observation (26) */
enum {
    F_OBSERVATION_REGARDING,
    F_OBSERVATION_TEXT,
};
#define SCHEMA_OBSERVATION \
    {"regarding", K_BIN32, 0, 0}, \
    {"text", K_TEXT, 1, 0}

/* attestation (27) */
enum {
    F_ATTESTATION_NOTE,
};
#define SCHEMA_ATTESTATION \
    {"note", K_TEXT, 0, 0}

/* withdraw (28) */
enum {
    F_WITHDRAW_OFFER,
    F_WITHDRAW_REASONS,
};
#define SCHEMA_WITHDRAW \
    {"offer", K_BIN32, 0, 0}, \
    {"reasons", K_TEXT, 1, 0}

/* close (29) */
enum {
    F_CLOSE_REASONS,
};
#define SCHEMA_CLOSE \
    {"reasons", K_TEXT, 0, 0}

/* retract (30) */
enum {
    F_RETRACT_REASONS,
    F_RETRACT_STAGE,
};
#define SCHEMA_RETRACT \
    {"reasons", K_TEXT, 1, 0}, \
    {"stage", K_WORD, 1, 0}

/* court-adjust (31) */
enum {
    F_COURT_ADJUST_COURT,
    F_COURT_ADJUST_DOCUMENT,
    F_COURT_ADJUST_GROUND,
    F_COURT_ADJUST_TEXT,
};
#define SCHEMA_COURT_ADJUST \
    {"court", K_TITLE, 1, 0}, \
    {"document", K_BIN32, 1, 0}, \
    {"ground", K_WORD, 1, 0}, \
    {"text", K_TEXT, 1, 0}

/* judgment (32) */
enum {
    F_JUDGMENT_ADOPTED,
    F_JUDGMENT_COURT,
    F_JUDGMENT_DOCUMENT,
    F_JUDGMENT_TIME,
};
#define SCHEMA_JUDGMENT \
    {"adopted", K_BOOL, 1, 0}, \
    {"court", K_TITLE, 1, 0}, \
    {"document", K_BIN32, 1, 0}, \
    {"time", K_UINT, 1, 0}

/* reopen (33) */
enum {
    F_REOPEN_DOCUMENT,
    F_REOPEN_GROUND,
    F_REOPEN_REASONS,
    F_REOPEN_REQUEST,
};
#define SCHEMA_REOPEN \
    {"document", K_BIN32, 1, 0}, \
    {"ground", K_WORD, 1, 0}, \
    {"reasons", K_TEXT, 1, 0}, \
    {"request", K_BIN32, 0, 0}

/* notice (34) */
enum {
    F_NOTICE_DOCUMENT,
    F_NOTICE_LANGUAGE,
    F_NOTICE_WITHDRAWAL,
};
#define SCHEMA_NOTICE \
    {"document", K_BIN32, 1, 0}, \
    {"language", K_WORD, 1, 0}, \
    {"withdrawal", K_TEXT, 1, 0}

/* notice-ack (35) */
enum {
    F_NOTICE_ACK_NOTICE,
};
#define SCHEMA_NOTICE_ACK \
    {"notice", K_BIN32, 1, 0}

/* settlement (36) */
enum {
    F_SETTLEMENT_ACCEPTS,
    F_SETTLEMENT_AGREED,
    F_SETTLEMENT_DOCUMENT,
    F_SETTLEMENT_FORGIVENESS,
    F_SETTLEMENT_KIND,
    F_SETTLEMENT_PAID,
};
#define SCHEMA_SETTLEMENT \
    {"accepts", K_BIN32, 0, 0}, \
    {"agreed", K_UINT, 1, 0}, \
    {"document", K_BIN32, 1, 0}, \
    {"forgiveness", K_BOOL, 1, 0}, \
    {"kind", K_WORD, 1, 0}, \
    {"paid", K_UINT, 1, 0}

/* consent (37) */
enum {
    F_CONSENT_AGREES,
    F_CONSENT_OFFER,
    F_CONSENT_REASONS,
    F_CONSENT_SESSION,
};
#define SCHEMA_CONSENT \
    {"agrees", K_BOOL, 1, 0}, \
    {"offer", K_BIN32, 1, 0}, \
    {"reasons", K_TEXT, 0, 0}, \
    {"session", K_BIN32, 1, 0}

/* settlement-withdraw (38) */
enum {
    F_SETTLEMENT_WITHDRAW_REASONS,
    F_SETTLEMENT_WITHDRAW_SETTLEMENT,
};
#define SCHEMA_SETTLEMENT_WITHDRAW \
    {"reasons", K_TEXT, 1, 0}, \
    {"settlement", K_BIN32, 1, 0}

/* interpretation (39) */
enum {
    F_INTERPRETATION_LANGUAGE,
    F_INTERPRETATION_OFFER,
    F_INTERPRETATION_SESSION,
};
#define SCHEMA_INTERPRETATION \
    {"language", K_WORD, 1, 0}, \
    {"offer", K_BIN32, 1, 0}, \
    {"session", K_BIN32, 1, 0}

/* publicity (40) */
enum {
    F_PUBLICITY_PROPOSAL,
    F_PUBLICITY_PUBLIC,
};
#define SCHEMA_PUBLICITY \
    {"proposal", K_BIN32, 1, 0}, \
    {"public", K_BOOL, 1, 0}

/* a participant map, nested */
enum {
    F_PARTICIPANT_ACCEPT,
    F_PARTICIPANT_BIRTH,
    F_PARTICIPANT_CAPACITY,
    F_PARTICIPANT_ID_HASH,
    F_PARTICIPANT_KEY,
    F_PARTICIPANT_LANGUAGE,
    F_PARTICIPANT_LICENCE,
    F_PARTICIPANT_NAME,
    F_PARTICIPANT_NATIONALITY,
    F_PARTICIPANT_ROLE,
};
#define SCHEMA_PARTICIPANT \
    {"accept", K_BIN64, 0, 0}, \
    {"birth", K_UINT, 0, 0}, \
    {"capacity", K_WORD, 0, 0}, \
    {"id_hash", K_BIN32, 0, 0}, \
    {"key", K_BIN32, 1, 0}, \
    {"language", K_WORD, 0, 0}, \
    {"licence", K_TITLE, 0, 0}, \
    {"name", K_NAME, 1, 0}, \
    {"nationality", K_WORD, 0, 0}, \
    {"role", K_WORD, 1, 0}

/* a item map, nested */
enum {
    F_ITEM_HASH,
    F_ITEM_SIZE,
    F_ITEM_TITLE,
};
#define SCHEMA_ITEM \
    {"hash", K_BIN32, 1, 0}, \
    {"size", K_UINT, 1, 0}, \
    {"title", K_TITLE, 1, 0}

#endif
