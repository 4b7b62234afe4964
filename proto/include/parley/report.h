/* The observer report (SPEC §17): what happened in a case, for people
 * (plain text) and programs (JSON), derived from the judged log alone.
 *
 * It lists the participants, the agreement's status and terms, the
 * timeline, every input with its response and how long the answer took
 * (R3, R4), the disclosures and what the defense had acknowledged before it
 * signed (R7), the sessions with venue, detention-facility flag and consent
 * to public observation (R6), recordings (R12), unilateral acts (R5),
 * violations and equivocations (R9).
 *
 * Ownership: both functions allocate *out (NUL-terminated); the caller
 * frees it with pl_free(). */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include "parley/export.h"

#include "parley/case.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PL_E_ARG for a lean case (PL_CASE_LEAN): it keeps no texts; its
 * pl_report_summary lines give the message's type only. The other
 * functions below read no text and work on a lean case too. */
PL_API PL_NODISCARD int pl_report_text(const pl_case *c, char **out);
PL_API PL_NODISCARD int pl_report_json(const pl_case *c, char **out);

/* Bytes of a name or title shown in the text form (longer ones are cut). */
#define PL_REPORT_NAME_SHOWN 256

/* Makes peer text safe to show on a terminal, on one line, in place (the
 * length is kept): newline, CR and tab become spaces; other C0 controls,
 * DEL, the C1 controls (U+0080..U+009F), the bidirectional embeddings,
 * overrides and isolates (U+202A..U+202E, U+2066..U+2069), the marks
 * U+200E, U+200F and U+061C, and the separators U+2028 and U+2029 become
 * '?' per byte. Strings in messages may hold any of them (SPEC §3.4 forbids only
 * U+0000): without this, a name could move the cursor, retitle the
 * terminal or forge report lines. The text form uses it for every peer
 * string; JSON and HTML escape instead. */
PL_API void pl_text_oneline(char *s);

/* The facts the renderers share, for other renderers (the CLI's HTML). */

/* The name the charter or a valid participant change gives a key (the
 * charter's first), or NULL; it points into the case. */
PL_API const char *pl_report_name(const pl_case *c, const uint8_t pk[PL_PK_BYTES]);
/* One line saying what message i says (terms in words for an offer). */
PL_API void pl_report_summary(const pl_case *c, size_t i, char *out, size_t cap);

/* A time as people read it: local time by TZ, else Beijing time (UTC+8),
 * with its offset: "2026-12-03T09:30:00+08:00". */
#define PL_LOCAL_TIME_BYTES 32
PL_API void pl_local_time(uint64_t ms, char out[PL_LOCAL_TIME_BYTES]);

/* The language of the text forms (issue 15 §1). With PL_LANG_ZH the texts
 * go through the "parley" gettext domain (dgettext), in the locale the
 * program set, with the catalogue it bound (the parley CLI binds its own;
 * unbound, they stay English), and offers' terms are written as Chinese
 * judgments write them (pl_terms_format_zh). JSON is never translated. */
typedef enum { PL_LANG_EN = 0, PL_LANG_ZH = 1 } pl_lang;
PL_API void pl_report_summary_lang(const pl_case *c, size_t i, pl_lang lang, char *out, size_t cap);
PL_API PL_NODISCARD int pl_report_text_lang(const pl_case *c, pl_lang lang, char **out);

/* What the status means in law, in one sentence (static), or NULL when
 * the state name says it all. For the state retracted: whether the
 * suspect withdrew its plea, at which stage, and what follows (SPEC
 * §13.15), or that the court sent the agreement back (§13.16); for a
 * confirmed judgment (§13.23), whether the court adopted the
 * recommendation. */
PL_API const char *pl_report_state_meaning(const pl_case *c, const pl_case_status *st);
PL_API const char *pl_report_state_meaning_lang(const pl_case *c, const pl_case_status *st, pl_lang lang);
/* The first valid prosecution response to input i, or -1 (SPEC §17.2). */
PL_API long pl_report_response_to(const pl_case *c, size_t input);
/* A session proposal's outcome ("fixed", "declined", "open"), whether
 * both sides consented to public observation, and its recordings. */
PL_API void pl_report_session(const pl_case *c, size_t proposal, const char **outcome, int *public_ok,
                              int *recordings);
/* SPEC §13.9 F0 (v2): how an agreement's defense signatures show
 * presence. session: the proposal both name (-1 if they name none or
 * different ones); recordings: valid recordings anchored to it in c
 * (§13.17); witness: counsel's signature witnesses; dissent: counsel's
 * opinion it names, or -1. */
typedef struct {
    long session;
    int recordings;
    int witness;
    long dissent;
} pl_report_presence;
PL_API void pl_report_presence_of(const pl_case *c, long sign_suspect, long sign_counsel,
                                  pl_report_presence *out);
/* SPEC §17.2 item 14 (v2): what the record shows of the checklist of the
 * SPP's provisions on recording plea hearings (art. 4) for the case's
 * final agreement. PL_E_NOT_FINAL when the case has none. */
typedef struct {
    int recorded;      /* art. 2, 4(1): recordings anchored for the signing session */
    long notice;       /* art. 4(2): the notice the suspect acknowledged before signing, or -1 */
    const char *consequences; /* art. 4(3): what that notice says a withdrawal leads to (owned
                               * by the case), or NULL */
    size_t heard, answered;   /* art. 4(5): the defense's inputs the prosecution's
                               * signature had seen, and those answered in its past */
    size_t disclosed, acknowledged; /* art. 4(6): disclosures, and acknowledged before signing */
    int witnessed;     /* art. 4(7): the suspect signed in a fixed session, counsel witnessing */
    int guardian;      /* a minor's agreement: 1 when a guardian's word counts (§13.26), else 0;
                        * -1 when the terms do not carry minor */
} pl_report_checklist;
PL_API PL_NODISCARD int pl_report_checklist_get(const pl_case *c, pl_report_checklist *out);
/* The same checklist as the text report writes its items, one line each
 * ("  [x] (1) …\n"), in lang; *out allocated (pl_free). PL_E_NOT_FINAL as
 * above. */
PL_API PL_NODISCARD int pl_report_checklist_text(const pl_case *c, pl_lang lang, char **out);

/* Whether disclosure i was acknowledged, and before the last defense
 * signature of the agreement the status names. */
PL_API void pl_report_disclosure(const pl_case *c, size_t i, int *acked, int *before_signing);

/* SPEC §13.18, §16.3, §17.2: one change of who holds a role, as a
 * certificate and a report name it: what moved, between which keys, and
 * who signed it (every valid carrier of the change, in log order). A
 * participants change gives one entry per key it adds or removes. */
#define PL_ROLE_CHANGE_SIGNERS 8
typedef struct {
    size_t msg;    /* its first carrier: index in the case */
    int state;     /* PL_CHANGE_EFFECTIVE, or PL_CHANGE_OBJECTED (void) */
    uint64_t type; /* PL_T_KEY_ROTATE, PL_T_KEY_REPLACE or PL_T_PARTICIPANTS */
    pl_role role;  /* the role that moved */
    int has_old, has_new;
    uint8_t old_key[PL_PK_BYTES], new_key[PL_PK_BYTES];
    int has_session; /* a replacement's fixed session (its proposal's id) */
    uint8_t session[PL_ID_BYTES];
    size_t signers[PL_ROLE_CHANGE_SIGNERS], nsigners;
} pl_role_change;
/* Fills out[0..cap) with the case's effective and objected changes in log
 * order and returns how many there are (which may exceed cap). */
PL_API size_t pl_report_role_changes(const pl_case *c, pl_role_change *out, size_t cap);

/* SPEC §13.2 *Identity*, §13.3, §16.3: whether the charter binds the
 * suspect's seat to a person, and whether the key given (the suspect key
 * that signed, or any key of the seat) confirmed it: its valid join, and
 * the fixed session the confirmation names. */
typedef struct {
    int bound;                    /* the charter's suspect map has id_hash */
    const char *name;             /* the suspect's name in the charter (owned by the case) */
    uint8_t id_hash[PL_HASH_BYTES];
    int confirmed;                /* key's valid join carries the confirmation */
    size_t join;                  /* that join: index in the case */
    long session;                 /* its session proposal's index, or -1 */
} pl_identity_info;
/* PL_OK, or PL_E_ARG when the case has no valid charter. */
PL_API int pl_report_identity(const pl_case *c, const uint8_t key[PL_PK_BYTES], pl_identity_info *out);

/* SPEC §13.28 (v2): the sentence a person reads for one warning of the
 * record (a PL_WARN_* bit of case.h), saying what to ask for; static text
 * in lang (Chinese through the "parley" catalogue); NULL for another
 * value. */
PL_API const char *pl_report_warning_text(unsigned warning, pl_lang lang);
/* SPEC §13.2 *Identity*, *Particulars*, §16.5: whether the identity
 * document number a clerk was shown is the one the charter binds: *matches
 * is 1 when its hash is the charter's id_hash and, when the charter states
 * the suspect's birth and the number is a resident number, the birth date
 * it carries is the charter's; *birth_differs is 1 when that date is not.
 * PL_OK; PL_E_ARG when the charter binds no identity; PL_E_IDENTITY for a
 * number pl_identity_normalize refuses; PL_E_NOMEM. About a tenth of a
 * second (Argon2id). */
PL_API PL_NODISCARD int pl_report_identity_check(const pl_case *c, const char *number, int *matches,
                                                 int *birth_differs);

#ifdef __cplusplus
}
#endif
#endif
