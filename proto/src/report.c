/* The observer report (SPEC §17), as text and as JSON. The facts that need
 * computing (a session's outcome, a disclosure's acknowledgement, an
 * input's response) come from one helper each, used by both renderers, so
 * the text and the JSON cannot say different things. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libintl.h>
#include <sodium.h>

#include "internal.h"

/* The text forms in the reader's language (issue 15 §1): with zh set,
 * each text goes through the "parley" gettext domain, which the program
 * binds (the parley CLI binds its catalogue; an embedder that binds none
 * reads English) and offers' terms are written as judgments write them.
 * JSON is never translated. TR_N marks texts translated where they are
 * used (po/tools/check_po.py extracts both). */
#define TR(s) (zh ? dgettext("parley", s) : (s))
#define TR_N(s) s

/* ---- a growable string ----------------------------------------------------- */

typedef struct {
    char *s;
    size_t n, cap;
    int failed;
} sbuf;

__attribute__((format(printf, 2, 3))) static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->failed)
        return;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->failed = 1;
            return;
        }
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap <= b->n + (size_t)k)
            cap *= 2;
        char *g = realloc(b->s, cap);
        if (g == NULL) {
            b->failed = 1;
            return;
        }
        b->s = g, b->cap = cap;
    }
}

/* A JSON string: quotes, backslash and control characters escaped; UTF-8
 * passes through (bodies are valid UTF-8, SPEC §3.4). */
static void sb_json(sbuf *b, const char *s)
{
    sb_printf(b, "\"");
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            sb_printf(b, "\\u%04x", *p);
        else
            sb_printf(b, "%c", *p);
    }
    sb_printf(b, "\"");
}

static void sb_hex(sbuf *b, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_printf(b, "%02x", p[i]);
}

void pl_text_oneline(char *s)
{
    unsigned char *p = (unsigned char *)s;
    for (; p && *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
        else if (*p < 0x20 || *p == 0x7f)
            *p = '?';
        else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* C1: U+0080..U+009F */
            p[0] = p[1] = '?', p++;
        else if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
                                  (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f)) ||
                                  (p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) ||
                                  (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
            /* bidi embeddings, overrides, isolates, the LRM/RLM marks, and
             * the line and paragraph separators (U+2028, U+2029), which
             * some terminals and viewers break lines on */
            p[0] = p[1] = p[2] = '?', p += 2;
        else if (p[0] == 0xd8 && p[1] == 0x9c) /* U+061C ARABIC LETTER MARK */
            p[0] = p[1] = '?', p++;
    }
}

/* Peer text in the text form: on one line, with nothing a terminal would
 * act on (pl_text_oneline). */
static void sb_text(sbuf *b, const char *s)
{
    char *t = strdup(s ? s : "");
    if (t == NULL) {
        b->failed = 1;
        return;
    }
    pl_text_oneline(t);
    sb_printf(b, "%s", t);
    free(t);
}

static void iso(uint64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "%llu", (unsigned long long)ms);
}

/* A time for people (issue 15 §1): local time, by TZ when it is set, else
 * Beijing time (UTC+8, no daylight saving), with its offset: what the
 * parley CLI shows everywhere. JSON keeps UTC (iso). */
void pl_local_time(uint64_t ms, char out[PL_LOCAL_TIME_BYTES])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char s[24], off[8];
    const char *tz = getenv("TZ");
    int ok;
    if (tz != NULL && tz[0] != '\0') {
        tzset();
        ok = localtime_r(&t, &tm) != NULL && strftime(off, sizeof off, "%z", &tm) == 5;
    } else {
        time_t bj = t + 8 * 3600;
        ok = gmtime_r(&bj, &tm) != NULL;
        snprintf(off, sizeof off, "+0800");
    }
    if (!ok || strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        snprintf(out, 32, "%llu", (unsigned long long)ms);
    else
        snprintf(out, 32, "%.19s%.3s:%.2s", s, off, off + 3);
}

static void duration(uint64_t ms, char out[32])
{
    uint64_t m = ms / 60000;
    if (m < 60)
        snprintf(out, 32, "%llu min", (unsigned long long)m);
    else if (m < 48 * 60)
        snprintf(out, 32, "%llu h %llu min", (unsigned long long)(m / 60),
                 (unsigned long long)(m % 60));
    else
        snprintf(out, 32, "%llu days", (unsigned long long)(m / 1440));
}

/* ---- the facts ---------------------------------------------------------------- */

/* What every case, lean or not, says of message i (pl_case_msg_info_get). */
static pl_case_msg_info I(const pl_case *c, size_t i)
{
    pl_case_msg_info m;
    if (pl_case_msg_info_get(c, i, &m) != PL_OK)
        memset(&m, 0, sizeof m);
    return m;
}

/* The name the charter or a participants change gives pk, in one pass
 * over the log: an effective change's before a proposal's (a proposal
 * never completed must not name a key another change seats, SPEC §13.18),
 * and, for a key no change names, the key whose effective rotation seated
 * it (*from). */
static void names_of(const pl_case *c, const uint8_t pk[PL_PK_BYTES], const char **effective,
                     const char **any, uint8_t from[PL_PK_BYTES], int *has_from)
{
    *effective = *any = NULL, *has_from = 0;
    for (size_t i = 0; i < pl_case_count(c) && *effective == NULL; i++) {
        const pl_body *b = pl_case_body(c, i);
        if (b == NULL || pl_case_verdict(c, i) != PL_OK)
            continue;
        if (b->type == PL_T_KEY_ROTATE && !*has_from && pl_case_change_seats(c, i, pk)) {
            memcpy(from, I(c, i).author, PL_PK_BYTES); /* I() is a value: copy out */
            *has_from = 1;
            continue;
        }
        const pl_participant *p = NULL;
        size_t n = 0;
        if (b->type == PL_T_CHARTER)
            p = b->u.charter.participants, n = b->u.charter.nparticipants;
        else if (b->type == PL_T_PARTICIPANTS)
            p = b->u.participants.add, n = b->u.participants.nadd;
        for (size_t k = 0; k < n; k++) {
            if (memcmp(p[k].key, pk, PL_PK_BYTES) != 0)
                continue;
            if (*any == NULL)
                *any = p[k].name;
            /* only the change that seats the key names it: not a proposal,
             * nor an addition that lost a contest */
            if (b->type == PL_T_CHARTER || pl_case_change_seats(c, i, pk))
                *effective = p[k].name;
        }
    }
}

const char *pl_report_warning_text(unsigned warning, pl_lang lang)
{
    int zh = lang == PL_LANG_ZH;
    switch (warning) {
    case PL_WARN_COMPENSATION:
        return TR("the terms cite compensation, but the record holds no settlement with a payment "
                  "signed by the victim and the defense (SPEC §13.25); ask for proof of payment");
    case PL_WARN_FORGIVENESS:
        return TR("the terms cite the victim's forgiveness, but the record holds no settlement that "
                  "forgives, signed by the victim and the defense (SPEC §13.25); ask for the "
                  "victim's letter");
    case PL_WARN_PROBATION:
        return TR("a minor or a person of 75 or more is given detention or at most three years "
                  "without probation: the law says probation shall be given when its conditions "
                  "are met (CL art. 72; SPEC §13.28); ask why");
    case PL_WARN_MINOR:
        return TR("by the charter's birth date the suspect was under 18 when the offer was made, "
                  "but the terms do not say minor (CL art. 17; SPEC §13.28); check the birth date "
                  "and the date of the crime");
    default: return NULL;
    }
}

const char *pl_report_name(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    const char *effective, *any, *first_any = NULL;
    uint8_t cur[PL_PK_BYTES], from[PL_PK_BYTES];
    int has_from;
    memcpy(cur, pk, PL_PK_BYTES);
    /* a key a rotation seated is its holder's: the name of the key it
     * continues (a few hops; a longer chain is shown without a name) */
    for (int hop = 0; hop < 8; hop++) {
        names_of(c, cur, &effective, &any, from, &has_from);
        if (effective != NULL)
            return effective;
        if (first_any == NULL)
            first_any = any;
        if (!has_from)
            break;
        memcpy(cur, from, PL_PK_BYTES);
    }
    return first_any;
}

/* The names a render has looked up: pl_report_name scans the log, and a
 * report names an author on every line, so each key is looked up once
 * (a log's authors are its participants: few). Beyond NAMES_MAX keys the
 * lookup is not kept. */
#define NAMES_MAX 256
struct names {
    size_t n;
    struct {
        uint8_t pk[PL_PK_BYTES];
        const char *name;
    } v[NAMES_MAX];
};

static const char *cached_name(struct names *nm, const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < nm->n; i++)
        if (memcmp(nm->v[i].pk, pk, PL_PK_BYTES) == 0)
            return nm->v[i].name;
    const char *name = pl_report_name(c, pk);
    if (nm->n < NAMES_MAX) {
        memcpy(nm->v[nm->n].pk, pk, PL_PK_BYTES);
        nm->v[nm->n++].name = name;
    }
    return name;
}

/* The author of message i as "name (fingerprint)", without its role: for
 * lines whose label already says it. */
static void who_plain(struct names *nm, const pl_case *c, size_t i, char *out, size_t cap)
{
    char fp[PL_FINGERPRINT_STR_BYTES];
    const char *name = cached_name(nm, c, I(c, i).author);
    pl_fingerprint(I(c, i).author, fp);
    snprintf(out, cap, "%s (%s)", name ? name : "?", fp);
}

static void who(struct names *nm, const pl_case *c, size_t i, char *out, size_t cap)
{
    char fp[PL_FINGERPRINT_STR_BYTES];
    const char *name = cached_name(nm, c, I(c, i).author);
    pl_fingerprint(I(c, i).author, fp);
    snprintf(out, cap, "%s %s (%s)", pl_role_name(pl_case_msg_role(c, i)), name ? name : "?", fp);
}

/* Names the text report shows through TR (SPEC §13.7, §13.8). */
static const char *const tr_words[] __attribute__((unused)) = {
    TR_N("facts"),     TR_N("charges"),     TR_N("sentence"),    TR_N("procedure"),
    TR_N("compensation"), TR_N("forgiveness"), TR_N("other"),    TR_N("adopted"),
    TR_N("partly_adopted"), TR_N("not_adopted"),
};

/* One line saying what a message says. */
static void summary(const pl_case *c, size_t i, char *out, size_t cap, int zh)
{
    const pl_body *b = pl_case_body(c, i);
    if (b == NULL) {
        snprintf(out, cap, "%s", TR("(body does not decode)"));
        return;
    }
    if (pl_case_flags(c) & PL_CASE_LEAN) { /* its texts are not kept */
        snprintf(out, cap, "%s", pl_msg_type_name(b->type));
        return;
    }
    switch (b->type) {
    case PL_T_CHARTER: snprintf(out, cap, "%s", b->u.charter.title); break;
    case PL_T_OFFER: {
        pl_terms *t = malloc(sizeof *t);
        if (t && pl_terms_decode(b->u.offer.terms, b->u.offer.terms_len, t, NULL) == PL_OK &&
            (zh ? pl_terms_format_zh(t, out, cap) : pl_terms_format(t, out, cap)) == PL_OK)
            ;
        else
            snprintf(out, cap, "%s", TR("(terms)"));
        free(t);
        break;
    }
    case PL_T_OPINION:
        if (b->u.opinion.has_amount) { /* SPEC §13.7 (v2): the sum demanded */
            char y[PL_YUAN_TEXT_ZH_BYTES];
            if (zh)
                pl_yuan_text_zh(b->u.opinion.amount, y);
            else
                pl_yuan_text(b->u.opinion.amount, y);
            snprintf(out, cap, TR("[%s] %s demanded: %s"), TR(pl_topic_name(b->u.opinion.topic)), y,
                     b->u.opinion.text);
        } else {
            snprintf(out, cap, "[%s] %s", TR(pl_topic_name(b->u.opinion.topic)), b->u.opinion.text);
        }
        break;
    case PL_T_RESPONSE:
        snprintf(out, cap, TR("%s: %s"), TR(pl_decision_name(b->u.response.decision)),
                 b->u.response.reasons);
        break;
    case PL_T_DISCLOSE: snprintf(out, cap, TR("%zu item(s)"), b->u.disclose.nitems); break;
    case PL_T_SESSION_PROPOSE:
        snprintf(out, cap, "%s%s, %s", b->u.session_propose.venue,
                 b->u.session_propose.detention_facility ? TR(" [DETENTION FACILITY]") : "",
                 b->u.session_propose.public_ok ? TR("public observation: yes")
                                                : TR("public observation: no"));
        break;
    case PL_T_SESSION_DECLINE: snprintf(out, cap, "%s", b->u.session_answer.reasons); break;
    case PL_T_RECORDING:
        snprintf(out, cap, TR("%s, %llu bytes"), b->u.recording.media,
                 (unsigned long long)b->u.recording.size);
        break;
    case PL_T_OBSERVATION: snprintf(out, cap, "%s", b->u.observation.text); break;
    case PL_T_ATTESTATION: snprintf(out, cap, "%s", b->u.attestation.note ? b->u.attestation.note : ""); break;
    case PL_T_WITHDRAW:
        snprintf(out, cap, "%s%s",
                 b->u.withdraw.has_offer ? TR("withdraws an offer: ") : TR("LEAVES THE NEGOTIATION: "),
                 b->u.withdraw.reasons);
        break;
    case PL_T_CLOSE:
        snprintf(out, cap, "%s", b->u.close.reasons ? b->u.close.reasons : TR("deliberation complete"));
        break;
    case PL_T_RETRACT:
        snprintf(out, cap, "%s: %s",
                 b->u.retract.stage == PL_STAGE_TRIAL
                     ? TR("THE SUSPECT WITHDRAWS THE PLEA (trial stage)")
                     : TR("THE SUSPECT WITHDRAWS THE PLEA (review stage)"),
                 b->u.retract.reasons);
        break;
    case PL_T_JUDGMENT: {
        time_t t = (time_t)(b->u.judgment.time_ms / 1000);
        struct tm tm;
        char day[16] = "?";
        if (gmtime_r(&t, &tm))
            strftime(day, sizeof day, "%Y-%m-%d", &tm);
        snprintf(out, cap,
                 b->u.judgment.adopted ? TR("judgment of %s on %s: the recommendation was adopted")
                                       : TR("judgment of %s on %s: the recommendation was NOT adopted"),
                 b->u.judgment.court, day);
        break;
    }
    case PL_T_COURT_ADJUST:
        snprintf(out, cap, TR("%s asks to adjust the recommendation (CPL art. 201, %s): %s"),
                 b->u.court_adjust.court, pl_court_ground_name(b->u.court_adjust.ground),
                 b->u.court_adjust.text);
        break;
    case PL_T_NOTICE:
        snprintf(out, cap, TR("rights notice (%s) given to the suspect; on withdrawal: %s"),
                 b->u.notice.language, b->u.notice.withdrawal);
        break;
    case PL_T_NOTICE_ACK:
        snprintf(out, cap, "%s", TR("the suspect acknowledges the rights notice"));
        break;
    case PL_T_REOPEN:
        snprintf(out, cap, TR("THE PROSECUTION REOPENS THE AGREEMENT (%s): %s"),
                 pl_reopen_ground_name(b->u.reopen.ground), b->u.reopen.reasons);
        break;
    case PL_T_DRAW_COMMIT:
    case PL_T_DRAW_REVEAL:
        snprintf(out, cap, TR("draw round %llu"), (unsigned long long)b->u.draw.round);
        break;
    case PL_T_SETTLEMENT_WITHDRAW: /* SPEC §13.25 (v2) */
        snprintf(out, cap, TR("withdraws its settlement proposal: %s"), b->u.settlement_withdraw.reasons);
        break;
    case PL_T_CONSENT: /* SPEC §13.26 (v2) */
        if (b->u.consent.agrees)
            snprintf(out, cap, "%s%s%s", TR("the guardian, present, consents to the minor's plea"),
                     b->u.consent.reasons ? ": " : "", b->u.consent.reasons ? b->u.consent.reasons : "");
        else
            snprintf(out, cap, "%s%s%s", TR("THE GUARDIAN OBJECTS to the minor's plea"),
                     b->u.consent.reasons ? ": " : "", b->u.consent.reasons ? b->u.consent.reasons : "");
        break;
    case PL_T_INTERPRETATION: /* SPEC §13.27 (v2) */
        snprintf(out, cap, TR("the interpreter, present, interpreted the signing into %s"),
                 b->u.interpretation.language);
        break;
    case PL_T_PUBLICITY: /* SPEC §13.11 (v2) */
        snprintf(out, cap, "%s",
                 b->u.publicity.public_ok ? TR("the victim consents to public observation of the session")
                                          : TR("the victim DOES NOT consent to public observation of the "
                                               "session"));
        break;
    case PL_T_SETTLEMENT: { /* SPEC §13.25 (v2) */
        char agreed[PL_YUAN_TEXT_ZH_BYTES], paid[PL_YUAN_TEXT_ZH_BYTES];
        if (zh)
            pl_yuan_text_zh(b->u.settlement.agreed, agreed), pl_yuan_text_zh(b->u.settlement.paid, paid);
        else
            pl_yuan_text(b->u.settlement.agreed, agreed), pl_yuan_text(b->u.settlement.paid, paid);
        snprintf(out, cap, TR("%s: compensation agreed %s, paid %s; %s%s"),
                 b->u.settlement.kind == PL_SETTLEMENT_LETTER ? TR("letter of forgiveness")
                                                             : TR("settlement agreement"),
                 agreed, paid,
                 b->u.settlement.forgiveness ? TR("the victim forgives the offender")
                                             : TR("no forgiveness"),
                 b->u.settlement.has_accepts ? TR(" (accepts the other party's settlement)")
                                             : TR(" (proposed to the other party)"));
        break;
    }
    default: out[0] = '\0'; break;
    }
}

void pl_report_summary(const pl_case *c, size_t i, char *out, size_t cap)
{
    summary(c, i, out, cap, 0);
}

void pl_report_summary_lang(const pl_case *c, size_t i, pl_lang lang, char *out, size_t cap)
{
    summary(c, i, out, cap, lang == PL_LANG_ZH);
}

static const char *meaning_of(const pl_case *c, const pl_case_status *st, int zh)
{
    if (st->judgment >= 0 && st->judgment_confirmed && st->judgments_differ)
        return TR("judged, but the parties' records of the judgment differ: the court's own "
               "record decides");
    if (st->judgment >= 0 && st->judgment_confirmed) {
        const pl_body *j = pl_case_body(c, (size_t)st->judgment);
        return j && j->u.judgment.adopted
                   ? TR("judged: the court adopted the sentencing recommendation")
                   : TR("judged: the court did not adopt the sentencing recommendation");
    }
    /* SPEC §13.2 *Deadline*, §13.20: a negotiation one side left (a
     * judgment recorded by one side says so first) */
    if (st->state == PL_AGREEMENT_WITHDRAWN && st->judgment < 0)
        return st->withdrawn_by == PL_SIDE_PROSECUTION
                   ? TR("the prosecution left the negotiation: the case goes on without an agreement; "
                     "the procuratorate decides on prosecution on the full record (CPL art. 172), "
                     "with no plea statement and no agreed recommendation; the suspect may still "
                     "plead guilty before the court")
                   : TR("the defense left the negotiation: no plea statement is signed; the "
                     "procuratorate decides on prosecution on the full record (CPL art. 172), and "
                     "the suspect may still plead guilty before the court");
    if (st->court_request >= 0)
        return TR("final; the court asked to adjust the recommendation (CPL art. 201) and the "
               "prosecution has not answered yet");
    if (st->state == PL_AGREEMENT_FINAL && st->no_statement) /* SPEC §13.26 (v2) */
        return TR("final, a plea without a plea statement (CPL art. 174 para. 2 item 2): the "
               "minor's guardian or defender objected; the minor pleads and the recommendation "
               "stands, and the court hears the objection");
    if ((st->state != PL_AGREEMENT_RETRACTED && st->state != PL_AGREEMENT_REOPENED) ||
        st->ended_by < 0)
        return st->judgment >= 0 ? TR("a judgment is recorded by one side only, not confirmed") : NULL;
    const pl_body *b = pl_case_body(c, (size_t)st->ended_by);
    if (b != NULL && b->type == PL_T_REOPEN)
        return b->u.reopen.ground == PL_REOPEN_COURT_REQUEST
                   ? TR("the prosecution reopened the agreement at the court's request (CPL art. "
                     "201): a new offer follows, after the defense is heard")
                   : TR("the prosecution alone reopened the agreement, on a ground it states "
                     "(new facts or evidence, non-performance, untrue remorse) with the hash of "
                     "its document: a new offer follows, after the defense is heard; whether "
                     "the ground holds is the court's to judge");
    if (b == NULL || b->type != PL_T_RETRACT)
        return NULL;
    if (pl_case_msg_role(c, (size_t)st->ended_by) == PL_ROLE_GUARDIAN)
        return TR("the minor's guardian withdrew the plea (SPEC §13.26): the plea statement is "
               "void; the procuratorate decides on the full record, without the leniency "
               "recommendation, unless a new agreement is signed");
    return b->u.retract.stage == PL_STAGE_TRIAL
               ? TR("the suspect withdrew the plea at trial: the plea statement is void; the "
                 "procuratorate may change its recommendation and the court may change the "
                 "procedure, unless a new agreement is signed")
               : TR("the suspect withdrew the plea before prosecution: the plea statement is void; "
                 "the procuratorate decides on the full record, without the leniency "
                 "recommendation, unless a new agreement is signed");
}

const char *pl_report_state_meaning(const pl_case *c, const pl_case_status *st)
{
    return meaning_of(c, st, 0);
}

const char *pl_report_state_meaning_lang(const pl_case *c, const pl_case_status *st, pl_lang lang)
{
    return meaning_of(c, st, lang == PL_LANG_ZH);
}

/* The first valid prosecution response to input i, or -1. */
long pl_report_response_to(const pl_case *c, size_t i)
{
    for (size_t k = 0; k < pl_case_count(c); k++) {
        const pl_body *b = pl_case_body(c, k);
        if (b && b->type == PL_T_RESPONSE && pl_case_verdict(c, k) == PL_OK &&
            memcmp(b->u.response.answers, I(c, i).id, PL_ID_BYTES) == 0)
            return (long)k;
    }
    return -1;
}

/* SPEC §17.2 item 5: a session proposal's outcome. Fixed if any valid
 * acceptance exists, declined if only declines; public only if the proposal
 * and every valid acceptance consented (R6). */
struct session_facts {
    const char *outcome;
    int public_ok;
    int recordings;
};

/* SPEC §13.2 *Closed case*: why the law forbids publicity, for people */
static const char *closed_text(pl_closed why, int zh)
{
    switch (why) {
    case PL_CLOSED_STATE_SECRET: return TR("it concerns state secrets");
    case PL_CLOSED_PRIVACY: return TR("it concerns personal privacy");
    case PL_CLOSED_TRADE_SECRET: return TR("it concerns trade secrets");
    default: return "?";
    }
}

/* SPEC §13.11 (v2): a case whose sessions are never publicly observed: a
 * closed case (CPL art. 188), or a minor's (CPL art. 285): a valid offer
 * with minor, a guardian's message, or a charter naming a guardian. */
static int never_public(const pl_case *c)
{
    const pl_body *ch = pl_case_charter(c);
    if (ch && ch->u.charter.closed != PL_CLOSED_NONE)
        return 1;
    for (size_t k = 0; ch && k < ch->u.charter.nparticipants; k++)
        if (ch->u.charter.participants[k].role == PL_ROLE_GUARDIAN)
            return 1;
    for (size_t k = 0; k < pl_case_count(c); k++) {
        const pl_body *kb = pl_case_body(c, k);
        if (pl_case_verdict(c, k) != PL_OK)
            continue;
        if (pl_case_msg_role(c, k) == PL_ROLE_GUARDIAN ||
            (kb && kb->type == PL_T_OFFER && kb->u.offer.minor))
            return 1;
    }
    return 0;
}

/* SPEC §13.11 (v2): whether victim key pk's latest valid publicity naming
 * the proposal id consents. */
static int victim_consents(const pl_case *c, const uint8_t pk[PL_PK_BYTES], const uint8_t *id)
{
    uint64_t best = 0;
    int says = 0;
    for (size_t k = 0; k < pl_case_count(c); k++) {
        const pl_body *kb = pl_case_body(c, k);
        const pl_case_msg_info ki = I(c, k);
        if (kb && kb->type == PL_T_PUBLICITY && pl_case_verdict(c, k) == PL_OK &&
            memcmp(ki.author, pk, PL_PK_BYTES) == 0 &&
            memcmp(kb->u.publicity.proposal, id, PL_ID_BYTES) == 0 && ki.seq > best)
            best = ki.seq, says = kb->u.publicity.public_ok;
    }
    return says;
}

/* SPEC §13.11 (v2): every key whose role in the whole log is victim
 * consents to public observation of the proposal id. A victim key is one
 * the charter or an effective change names as victim, or to which a
 * victim's effective rotation or replacement hands the seat; proposals
 * never completed are not looked at, so that one side's flood of them
 * costs a report nothing (a review found 35 s a session). */
static int victims_consent(const pl_case *c, const uint8_t *id)
{
    for (size_t k = 0; k < pl_case_count(c); k++) {
        const pl_body *kb = pl_case_body(c, k);
        if (kb == NULL || pl_case_verdict(c, k) != PL_OK)
            continue;
        /* the cheap tests first: only a victim entry, a victim's rotation
         * or any replacement can seat a victim key */
        if (kb->type == PL_T_CHARTER || kb->type == PL_T_PARTICIPANTS) {
            const pl_participant *p = kb->type == PL_T_CHARTER ? kb->u.charter.participants
                                                               : kb->u.participants.add;
            size_t n = kb->type == PL_T_CHARTER ? kb->u.charter.nparticipants
                                                : kb->u.participants.nadd;
            /* a change never completed seats nobody: asked once per
             * change, not per entry (a flood of proposals costs nothing) */
            if (kb->type == PL_T_PARTICIPANTS && pl_case_change_state(c, k) != PL_CHANGE_EFFECTIVE)
                continue;
            for (size_t a = 0; a < n; a++)
                if (p[a].role == PL_ROLE_VICTIM && pl_case_role(c, p[a].key) == PL_ROLE_VICTIM &&
                    !victim_consents(c, p[a].key, id))
                    return 0;
        } else if ((kb->type == PL_T_KEY_ROTATE && pl_case_msg_role(c, k) == PL_ROLE_VICTIM) ||
                   kb->type == PL_T_KEY_REPLACE) {
            const uint8_t *nk = kb->type == PL_T_KEY_ROTATE ? kb->u.key_rotate.new_key
                                                            : kb->u.key_replace.new_key;
            if (pl_case_change_seats(c, k, nk) && pl_case_role(c, nk) == PL_ROLE_VICTIM &&
                !victim_consents(c, nk, id))
                return 0;
        }
    }
    return 1;
}

static void session_facts(const pl_case *c, size_t i, struct session_facts *f)
{
    const pl_body *pb = pl_case_body(c, i);
    const pl_case_msg_info mi = I(c, i); /* id points into it: it must outlive the loop */
    const uint8_t *id = mi.id;
    int accepted = 0, declined = 0, all_public = 1;
    f->recordings = 0;
    for (size_t k = 0; k < pl_case_count(c); k++) {
        const pl_body *kb = pl_case_body(c, k);
        if (!kb || pl_case_verdict(c, k) != PL_OK)
            continue;
        if (kb->type == PL_T_SESSION_ACCEPT && memcmp(kb->u.session_answer.proposal, id, 32) == 0)
            accepted = 1, all_public &= kb->u.session_answer.public_ok;
        if (kb->type == PL_T_SESSION_DECLINE && memcmp(kb->u.session_answer.proposal, id, 32) == 0)
            declined = 1;
        if (kb->type == PL_T_RECORDING && memcmp(kb->u.recording.session, id, 32) == 0)
            f->recordings++;
    }
    f->outcome = accepted ? "fixed" : declined ? "declined" : "open";
    f->public_ok = accepted && all_public && pb->u.session_propose.public_ok && !never_public(c) &&
                   victims_consent(c, id);
}

/* SPEC §17.2 item 6: whether disclosure i was acknowledged, and whether
 * before the defense's last signature of the agreement. */
static void disclosure_facts(const pl_case *c, size_t i, const pl_case_status *st, int *acked,
                             int *before)
{
    long last = st->sign_suspect > st->sign_counsel ? st->sign_suspect : st->sign_counsel;
    *acked = *before = 0;
    for (size_t k = 0; k < pl_case_count(c); k++) {
        const pl_body *kb = pl_case_body(c, k);
        if (kb && kb->type == PL_T_DISCLOSE_ACK && pl_case_verdict(c, k) == PL_OK &&
            memcmp(kb->u.disclose_ack.disclosure, I(c, i).id, 32) == 0) {
            *acked = 1;
            *before |= last >= 0 && pl_case_saw(c, (size_t)last, k);
        }
    }
}

void pl_report_session(const pl_case *c, size_t proposal, const char **outcome, int *public_ok,
                       int *recordings)
{
    struct session_facts f;
    session_facts(c, proposal, &f);
    *outcome = f.outcome, *public_ok = f.public_ok, *recordings = f.recordings;
}

void pl_report_presence_of(const pl_case *c, long sign_suspect, long sign_counsel,
                           pl_report_presence *out)
{
    out->session = out->dissent = -1;
    out->recordings = 0;
    out->witness = 0;
    const pl_body *s = sign_suspect >= 0 ? pl_case_body(c, (size_t)sign_suspect) : NULL;
    const pl_body *k = sign_counsel >= 0 ? pl_case_body(c, (size_t)sign_counsel) : NULL;
    if (k != NULL && k->type == PL_T_SIGN) {
        out->witness = k->u.sign.witness;
        if (k->u.sign.has_dissent)
            out->dissent = pl_case_find(c, k->u.sign.dissent);
    }
    if (s == NULL || k == NULL || s->type != PL_T_SIGN || k->type != PL_T_SIGN ||
        !s->u.sign.has_session || !k->u.sign.has_session ||
        memcmp(s->u.sign.session, k->u.sign.session, PL_ID_BYTES) != 0)
        return;
    out->session = pl_case_find(c, s->u.sign.session);
    if (out->session >= 0) {
        struct session_facts f;
        session_facts(c, (size_t)out->session, &f);
        out->recordings = f.recordings;
    }
}

/* SPEC §17.2 item 14: the checklist's items as lines, "  [x] …" or
 * "  [ ] …", for the text report and the HTML page alike. */
static void checklist_lines(sbuf *b, const pl_report_checklist *ck, int zh)
{
    if (ck->recorded > 0)
        sb_printf(b, TR("  [x] (1) the signing session is recorded: %d recording(s) anchored\n"),
                  ck->recorded);
    else
        sb_printf(b, "%s", TR("  [ ] (1) NO recording of the signing session is anchored\n"));
    sb_printf(b, "%s", ck->notice >= 0 ? TR("  [x] (2) the suspect acknowledged the rights notice before signing\n")
                                       : TR("  [ ] (2) NO rights notice acknowledged before signing\n"));
    if (ck->consequences) {
        sb_printf(b, "%s", TR("  [x] (3) the notice says what a withdrawal of the plea leads to: "));
        sb_text(b, ck->consequences); /* one line, whole */
        sb_printf(b, "\n");
    } else {
        sb_printf(b, "%s", TR("  [ ] (3) the consequences of a withdrawal are NOT shown\n"));
    }
    sb_printf(b, TR("  [%s] (5) the defense was heard: %zu input(s), %zu answered before the "
                    "prosecution signed; a private consultation of counsel is not shown by "
                    "any record\n"),
              ck->heard > 0 && ck->answered == ck->heard ? "x" : " ", ck->heard, ck->answered);
    sb_printf(b, TR("  [%s] (6) disclosures: %zu acknowledged of %zu before signing\n"),
              ck->acknowledged == ck->disclosed ? "x" : " ", ck->acknowledged, ck->disclosed);
    sb_printf(b, "%s", ck->witnessed ? TR("  [x] (7) the suspect signed in a fixed session, counsel witnessing\n")
                                     : TR("  [ ] (7) counsel's witness of the suspect's signing is NOT shown\n"));
    if (ck->guardian >= 0)
        sb_printf(b, "%s", ck->guardian ? TR("  [x] a minor: the guardian was present and gave its word (SPEC §13.26)\n")
                                        : TR("  [ ] a minor: the guardian's word is NOT shown\n"));
}

int pl_report_checklist_text(const pl_case *c, pl_lang lang, char **out)
{
    pl_report_checklist ck;
    sbuf b = {0};
    int rc;
    if (out == NULL)
        return PL_E_ARG;
    *out = NULL;
    if ((rc = pl_report_checklist_get(c, &ck)) != PL_OK)
        return rc;
    checklist_lines(&b, &ck, lang == PL_LANG_ZH);
    if (b.failed) {
        free(b.s);
        return PL_E_NOMEM;
    }
    *out = b.s;
    return PL_OK;
}

int pl_report_checklist_get(const pl_case *c, pl_report_checklist *out)
{
    pl_case_status st;
    pl_report_presence pr;
    if (c == NULL || out == NULL)
        return PL_E_ARG;
    memset(out, 0, sizeof *out);
    out->notice = -1;
    out->guardian = -1;
    long ack = -1;
    pl_case_status_get(c, &st);
    if (st.state != PL_AGREEMENT_FINAL)
        return PL_E_NOT_FINAL;
    size_t s = (size_t)st.sign_suspect, p = (size_t)st.sign_prosecution;
    pl_report_presence_of(c, st.sign_suspect, st.sign_counsel, &pr);
    out->recorded = pr.recordings;
    out->witnessed = pr.session >= 0 && pr.witness;
    const pl_body *ob = pl_case_body(c, (size_t)st.offer);
    int minor = ob && ob->type == PL_T_OFFER && ob->u.offer.minor;
    if (minor)
        out->guardian = 0;
    for (size_t i = 0; i < pl_case_count(c); i++) {
        const pl_body *b = pl_case_body(c, i);
        if (b == NULL || pl_case_verdict(c, i) != PL_OK)
            continue;
        /* (2), (3): the acknowledged notice says what a withdrawal leads to */
        if (b->type == PL_T_NOTICE_ACK && pl_case_msg_role(c, i) == PL_ROLE_SUSPECT &&
            pl_case_saw(c, s, i) &&
            (ack < 0 || memcmp(I(c, i).id, I(c, (size_t)ack).id, PL_ID_BYTES) < 0)) {
            ack = (long)i; /* the smallest id, so that every node names the same notice */
            long n = pl_case_find(c, b->u.notice_ack.notice);
            const pl_body *nb = n >= 0 ? pl_case_body(c, (size_t)n) : NULL;
            out->notice = n;
            out->consequences = nb && nb->type == PL_T_NOTICE ? nb->u.notice.withdrawal : NULL;
        }
        /* (5): the defense heard, as the prosecution signed (R3) */
        if (pl_case_is_input(c, i) && pl_role_side(pl_case_msg_role(c, i)) == PL_SIDE_DEFENSE &&
            pl_case_saw(c, p, i)) {
            out->heard++;
            long r = pl_report_response_to(c, i);
            out->answered += r >= 0 && pl_case_saw(c, p, (size_t)r);
        }
        /* (6): what the defense had been shown when it signed */
        long last = st.sign_suspect > st.sign_counsel ? st.sign_suspect : st.sign_counsel;
        if (b->type == PL_T_DISCLOSE && pl_case_saw(c, (size_t)last, i)) {
            int acked, before;
            disclosure_facts(c, i, &st, &acked, &before);
            out->disclosed++;
            out->acknowledged += before;
        }
        if (minor && b->type == PL_T_CONSENT && pl_case_consent_counts(c, st.sign_suspect, i))
            out->guardian = 1;
    }
    return PL_OK;
}

void pl_report_disclosure(const pl_case *c, size_t i, int *acked, int *before_signing)
{
    pl_case_status st;
    pl_case_status_get(c, &st);
    disclosure_facts(c, i, &st, acked, before_signing);
}

static int same_change(const pl_case *c, size_t a, size_t b)
{
    return I(c, a).type == I(c, b).type &&
           memcmp(I(c, a).body_hash, I(c, b).body_hash, PL_HASH_BYTES) == 0;
}

size_t pl_report_role_changes(const pl_case *c, pl_role_change *out, size_t cap)
{
    size_t total = 0, n = pl_case_count(c);
    for (size_t i = 0; i < n; i++) {
        int state = pl_case_change_state(c, i);
        if (state != PL_CHANGE_EFFECTIVE && state != PL_CHANGE_OBJECTED)
            continue;
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = pl_case_verdict(c, j) == PL_OK && same_change(c, i, j);
        if (dup)
            continue; /* one entry per change, at its first carrier */
        pl_role_change base;
        memset(&base, 0, sizeof base);
        base.msg = i, base.state = state, base.type = I(c, i).type;
        for (size_t k = i; k < n && base.nsigners < PL_ROLE_CHANGE_SIGNERS; k++)
            if (pl_case_verdict(c, k) == PL_OK && same_change(c, i, k))
                base.signers[base.nsigners++] = k;
        const pl_body *b = pl_case_body(c, i);
        size_t nk = base.type == PL_T_PARTICIPANTS
                        ? b->u.participants.nadd + b->u.participants.nremove
                        : 1;
        for (size_t k = 0; k < nk; k++) {
            pl_role_change e = base;
            if (base.type == PL_T_KEY_ROTATE) {
                e.has_old = e.has_new = 1;
                memcpy(e.old_key, I(c, i).author, PL_PK_BYTES);
                memcpy(e.new_key, b->u.key_rotate.new_key, PL_PK_BYTES);
                e.role = pl_case_msg_role(c, i);
            } else if (base.type == PL_T_KEY_REPLACE) {
                e.has_old = e.has_new = 1;
                memcpy(e.old_key, b->u.key_replace.old_key, PL_PK_BYTES);
                memcpy(e.new_key, b->u.key_replace.new_key, PL_PK_BYTES);
                e.role = pl_case_role_seen(c, i, e.old_key);
                if ((e.has_session = b->u.key_replace.has_session))
                    memcpy(e.session, b->u.key_replace.session, PL_ID_BYTES);
            } else if (k < b->u.participants.nadd) {
                e.has_new = 1;
                memcpy(e.new_key, b->u.participants.add[k].key, PL_PK_BYTES);
                e.role = b->u.participants.add[k].role;
            } else {
                e.has_old = 1;
                memcpy(e.old_key, b->u.participants.remove[k - b->u.participants.nadd], PL_PK_BYTES);
                e.role = pl_case_role_seen(c, i, e.old_key);
            }
            if (total < cap)
                out[total] = e;
            total++;
        }
    }
    return total;
}

/* ---- rendering ------------------------------------------------------------------ */

/* SPEC §13.13: what each side did in each draw round, so a report shows
 * the rounds a side left without its reveal. Rounds past the first 64 are
 * not listed (a log holds at most a few). */
#define DRAW_ROUNDS_MAX 64
struct draw_round {
    uint64_t round;
    int committed[2], revealed[2]; /* [0] prosecution, [1] defense */
};

static size_t draw_rounds(const pl_case *c, struct draw_round *r)
{
    size_t nr = 0;
    for (size_t i = 0; i < pl_case_count(c); i++) {
        const pl_body *b = pl_case_body(c, i);
        /* SPEC §13.13 *Standing joins*: what counts for the draw */
        pl_side side = pl_case_draw_side(c, i);
        if (!b || side == PL_SIDE_NONE)
            continue;
        size_t k = 0;
        while (k < nr && r[k].round != b->u.draw.round)
            k++;
        if (k == nr) {
            if (nr == DRAW_ROUNDS_MAX)
                continue;
            /* insert in ascending order */
            while (k > 0 && r[k - 1].round > b->u.draw.round)
                r[k] = r[k - 1], k--;
            memset(&r[k], 0, sizeof r[k]);
            r[k].round = b->u.draw.round;
            nr++;
        }
        int s = side == PL_SIDE_DEFENSE;
        if (b->type == PL_T_DRAW_COMMIT)
            r[k].committed[s] = 1;
        else
            r[k].revealed[s] = 1;
    }
    return nr;
}

static const char *draw_step(const struct draw_round *r, int s)
{
    return r->revealed[s] ? TR_N("revealed") : r->committed[s] ? TR_N("committed") : TR_N("none");
}

/* A side that committed in a round both sides committed to, and has not
 * revealed: the report MUST say which (SPEC §13.13, withholding). */
static int draw_withheld(const struct draw_round *r, int s)
{
    return r->committed[0] && r->committed[1] && !r->revealed[s];
}

static const char *change_kind(const pl_role_change *e)
{
    switch (e->type) {
    case PL_T_KEY_ROTATE: return TR_N("rotate");
    case PL_T_KEY_REPLACE: return TR_N("replace");
    default: return e->has_new ? TR_N("add") : TR_N("remove");
    }
}

/* A key in the report's participant list: the charter's and every key an
 * effective change seated, each once, with the role it holds or held. */
#define REPORT_KEYS_MAX 96
struct report_key {
    uint8_t pk[PL_PK_BYTES];
    pl_role role; /* the role it holds now, or the role it held */
    int now;      /* 1: holds it now */
};

static size_t report_keys(const pl_case *c, const pl_role_change *rc, size_t nrc,
                          struct report_key *k)
{
    size_t nk = 0;
    const pl_body *ch = pl_case_charter(c);
    for (size_t i = 0; ch && i < ch->u.charter.nparticipants && nk < REPORT_KEYS_MAX; i++) {
        memcpy(k[nk].pk, ch->u.charter.participants[i].key, PL_PK_BYTES);
        k[nk++].role = ch->u.charter.participants[i].role;
    }
    for (size_t i = 0; i < nrc && nk < REPORT_KEYS_MAX; i++) {
        if (!rc[i].has_new || rc[i].state != PL_CHANGE_EFFECTIVE)
            continue;
        size_t j = 0;
        while (j < nk && memcmp(k[j].pk, rc[i].new_key, PL_PK_BYTES) != 0)
            j++;
        if (j == nk) {
            memcpy(k[nk].pk, rc[i].new_key, PL_PK_BYTES);
            k[nk++].role = rc[i].role;
        }
    }
    for (size_t i = 0; i < nk; i++) {
        pl_role now = pl_case_role(c, k[i].pk);
        k[i].now = now != PL_ROLE_NONE;
        if (k[i].now)
            k[i].role = now;
    }
    return nk;
}

static void name_of(struct names *names, const pl_case *c, const uint8_t pk[PL_PK_BYTES], char *out,
                    size_t cap)
{
    const char *nm = cached_name(names, c, pk);
    snprintf(out, cap, "%s", nm ? nm : "(no name)");
}

/* What both renderings of the report read, worked out once by render(). */
struct rx {
    const pl_case *c;
    int zh;
    struct names *nm;
    size_t n;
    const pl_msg **order;
    pl_case_status st;
    const pl_body *ch;
    char *terms; /* the text rendering makes it one line */
    unsigned warn;
    const pl_participant *sus;
    const struct draw_round *rounds;
    size_t nr;
    const uint8_t *drawn_pk;
    uint64_t drawn_round;
    const char *drawn_fp;
    int drawn;
    const pl_role_change *rc;
    size_t nrc;
    const struct report_key *keys;
    size_t nkeys;
};

/* The JSON report (SPEC §17.2): the case, its title, deadline, language and the suspect's particulars. */
static void json_head(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const size_t n = x->n;
    const pl_body *ch = x->ch;
    const pl_participant *sus = x->sus;
    char t[32];
    sb_printf(&b, "{\"report\":\"parley-observer-report\",\"version\":1,\"case\":\"");
    if (n)
        sb_hex(&b, pl_msg_header(pl_case_msg(c, 0))->case_id, PL_CASE_ID_BYTES);
    sb_printf(&b, "\",\"title\":");
    sb_json(&b, ch ? ch->u.charter.title : "");
    if (ch && ch->u.charter.has_deadline) { /* SPEC §13.2 *Deadline*, §17.2 item 1 */
        iso(ch->u.charter.deadline_ms, t);
        sb_printf(&b, ",\"deadline\":\"%s\"", t);
    } else {
        sb_printf(&b, ",\"deadline\":null");
    }
    /* SPEC §13.2, §17.2 item 15 (v2): the language, closure, particulars */
    sb_printf(&b, ",\"language\":");
    sb_json(&b, pl_case_language(c));
    if (ch && ch->u.charter.closed != PL_CLOSED_NONE)
        sb_printf(&b, ",\"closed\":\"%s\"", pl_closed_name(ch->u.charter.closed));
    else
        sb_printf(&b, ",\"closed\":null");
    if (sus != NULL) {
        char fp[PL_FINGERPRINT_STR_BYTES];
        pl_fingerprint(sus->key, fp);
        sb_printf(&b, ",\"suspect\":{\"name\":");
        sb_json(&b, sus->name);
        sb_printf(&b, ",\"fingerprint\":\"%s\",\"birth\":", fp);
        if (sus->birth)
            sb_printf(&b, "\"%04u-%02u-%02u\"", (unsigned)(sus->birth / 10000),
                      (unsigned)(sus->birth / 100 % 100), (unsigned)(sus->birth % 100));
        else
            sb_printf(&b, "null");
        sb_printf(&b, ",\"nationality\":");
        if (sus->nationality[0])
            sb_printf(&b, "\"%.3s\"", sus->nationality);
        else
            sb_printf(&b, "null");
        sb_printf(&b, ",\"language\":");
        if (sus->language)
            sb_json(&b, sus->language);
        else
            sb_printf(&b, "null");
        sb_printf(&b, ",\"interpreter_needed\":%s}", pl_case_needs_interpreter(c) ? "true" : "false");
    } else {
        sb_printf(&b, ",\"suspect\":null");
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "agreement": its state, terms, warnings, interpreters, guardian, checklist and signers. */
static void json_agreement(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const size_t n = x->n;
    const pl_msg **order = x->order;
    const pl_case_status st = x->st;
    char *terms = x->terms;
    const unsigned warn = x->warn;
    sb_printf(&b, ",\"agreement\":{\"state\":\"%s\",\"round\":%llu,\"terms\":",
              pl_agreement_state_name(st.state), (unsigned long long)st.round);
    sb_json(&b, terms);
    const char *meaning = pl_report_state_meaning(c, &st);
    sb_printf(&b, ",\"meaning\":");
    if (meaning)
        sb_json(&b, meaning);
    else
        sb_printf(&b, "null");
    sb_printf(&b, ",\"warnings\":[");
    for (unsigned bit = 1, wfirst = 1; bit <= PL_WARN_MINOR; bit <<= 1)
        if (warn & bit) {
            sb_printf(&b, "%s\"%s\"", wfirst ? "" : ",", pl_warning_name(bit));
            wfirst = 0;
        }
    sb_printf(&b, "]");
    /* SPEC §13.27, §17.2 item 15 (v2): the interpretations that count */
    sb_printf(&b, ",\"interpreter\":[");
    for (size_t k = 0, ifirst = 1; st.state == PL_AGREEMENT_FINAL && k < n; k++) {
        size_t i = (size_t)pl_case_find(c, pl_msg_id(order[k]));
        const pl_body *ib = pl_case_body(c, i);
        char fp[PL_FINGERPRINT_STR_BYTES];
        if (ib == NULL || !pl_case_interpretation_counts(c, st.sign_suspect, i))
            continue;
        pl_fingerprint(I(c, i).author, fp);
        sb_printf(&b, "%s{\"fingerprint\":\"%s\",\"name\":", ifirst ? "" : ",", fp);
        ifirst = 0;
        sb_json(&b, cached_name(nm, c, I(c, i).author) ? cached_name(nm, c, I(c, i).author) : "");
        sb_printf(&b, ",\"language\":");
        sb_json(&b, ib->u.interpretation.language);
        sb_printf(&b, "}");
    }
    sb_printf(&b, "]");
    /* SPEC §13.26, §17.2 item 13 (v2): the guardian's word */
    sb_printf(&b, ",\"no_statement\":%s,\"guardian\":[", st.no_statement ? "true" : "false");
    for (size_t k = 0, gfirst = 1; st.offer >= 0 && k < n; k++) { /* display order */
        size_t i = (size_t)pl_case_find(c, pl_msg_id(order[k]));
        const pl_body *gb = pl_case_body(c, i);
        char fp[PL_FINGERPRINT_STR_BYTES];
        if (gb == NULL || !pl_case_consent_counts(c, st.sign_suspect, i))
            continue; /* SPEC §13.26: the words that counted for the suspect's signature */
        pl_fingerprint(I(c, i).author, fp);
        sb_printf(&b, "%s{\"fingerprint\":\"%s\",\"name\":", gfirst ? "" : ",", fp);
        gfirst = 0;
        sb_json(&b, cached_name(nm, c, I(c, i).author) ? cached_name(nm, c, I(c, i).author) : "");
        sb_printf(&b, ",\"agrees\":%s,\"reasons\":", gb->u.consent.agrees ? "true" : "false");
        if (gb->u.consent.reasons)
            sb_json(&b, gb->u.consent.reasons);
        else
            sb_printf(&b, "null");
        sb_printf(&b, "}");
    }
    sb_printf(&b, "]");
    /* SPEC §17.2 item 14 (v2): the recording provisions' checklist */
    pl_report_checklist ck;
    if (pl_report_checklist_get(c, &ck) == PL_OK) {
        sb_printf(&b, ",\"checklist\":{\"recorded\":%d,\"notice\":%s,\"consequences\":",
                  ck.recorded, ck.notice >= 0 ? "true" : "false");
        if (ck.consequences)
            sb_json(&b, ck.consequences);
        else
            sb_printf(&b, "null");
        sb_printf(&b, ",\"heard\":%zu,\"answered\":%zu,\"disclosed\":%zu,\"acknowledged\":%zu,"
                      "\"witnessed\":%s,\"guardian\":%s}",
                  ck.heard, ck.answered, ck.disclosed, ck.acknowledged, ck.witnessed ? "true" : "false",
                  ck.guardian < 0 ? "null" : ck.guardian ? "true" : "false");
    } else {
        sb_printf(&b, ",\"checklist\":null");
    }
    /* SPEC §13.9 F0, §17.2 (v2) */
    pl_report_presence pr;
    pl_report_presence_of(c, st.sign_suspect, st.sign_counsel, &pr);
    if (st.state == PL_AGREEMENT_FINAL && pr.session >= 0) {
        const pl_body *db = pr.dissent >= 0 ? pl_case_body(c, (size_t)pr.dissent) : NULL;
        sb_printf(&b, ",\"presence\":{\"session\":\"");
        sb_hex(&b, I(c, (size_t)pr.session).id, PL_ID_BYTES);
        sb_printf(&b, "\",\"witness\":%s,\"recordings\":%d,\"dissent\":",
                  pr.witness ? "true" : "false", pr.recordings);
        if (db != NULL && db->type == PL_T_OPINION)
            sb_json(&b, db->u.opinion.text);
        else
            sb_printf(&b, "null");
        sb_printf(&b, "}");
    } else {
        sb_printf(&b, ",\"presence\":null");
    }
    sb_printf(&b, ",\"signed_by\":[%s%s%s]},", st.sign_prosecution >= 0 ? "\"prosecution\"" : "",
              st.sign_suspect >= 0 ? (st.sign_prosecution >= 0 ? ",\"suspect\"" : "\"suspect\"") : "",
              st.sign_counsel >= 0 ? ((st.sign_prosecution >= 0 || st.sign_suspect >= 0) ? ",\"counsel\"" : "\"counsel\"") : "");
    *out = b;
}

/* The JSON report (SPEC §17.2): "participants". */
static void json_participants(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const struct report_key *keys = x->keys;
    const size_t nkeys = x->nkeys;
    sb_printf(&b, "\"participants\":[");
    for (size_t k = 0; k < nkeys; k++) {
        char fp[PL_FINGERPRINT_STR_BYTES];
        pl_fingerprint(keys[k].pk, fp);
        sb_printf(&b, "%s{\"role\":\"%s\",\"name\":", k ? "," : "", pl_role_name(keys[k].role));
        sb_json(&b, cached_name(nm, c, keys[k].pk) ? cached_name(nm, c, keys[k].pk) : "");
        sb_printf(&b, ",\"fingerprint\":\"%s\",\"holds_role_now\":%s", fp,
                  keys[k].now ? "true" : "false");
        /* SPEC §13.2, §13.3, §17.2: the suspect seat's binding to a person */
        pl_identity_info id;
        if (keys[k].role == PL_ROLE_SUSPECT && pl_report_identity(c, keys[k].pk, &id) == PL_OK)
            sb_printf(&b, ",\"identity_bound\":%s,\"identity_confirmed\":%s",
                      id.bound ? "true" : "false", id.confirmed ? "true" : "false");
        sb_printf(&b, "}");
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "role_changes" (SPEC §13.18). */
static void json_role_changes(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const pl_role_change *rc = x->rc;
    const size_t nrc = x->nrc;
    char t[32];
    sb_printf(&b, "],\"role_changes\":[");
    for (size_t k = 0; k < nrc; k++) {
        char fp[PL_FINGERPRINT_STR_BYTES];
        iso(I(c, rc[k].msg).timestamp_ms, t);
        sb_printf(&b, "%s{\"time\":\"%s\",\"kind\":\"%s\",\"role\":\"%s\",\"state\":\"%s\"",
                  k ? "," : "", t, change_kind(&rc[k]), pl_role_name(rc[k].role),
                  rc[k].state == PL_CHANGE_EFFECTIVE ? "effective" : "void: objected by the old key");
        for (int side = 0; side < 2; side++) {
            if (!(side ? rc[k].has_new : rc[k].has_old))
                continue;
            const uint8_t *pk = side ? rc[k].new_key : rc[k].old_key;
            pl_fingerprint(pk, fp);
            sb_printf(&b, ",\"%s\":{\"fingerprint\":\"%s\",\"name\":", side ? "new" : "old", fp);
            sb_json(&b, cached_name(nm, c, pk) ? cached_name(nm, c, pk) : "");
            sb_printf(&b, "}");
        }
        if (rc[k].has_session) {
            sb_printf(&b, ",\"session\":\"");
            sb_hex(&b, rc[k].session, PL_ID_BYTES);
            sb_printf(&b, "\"");
        }
        sb_printf(&b, ",\"signed_by\":[");
        for (size_t q = 0; q < rc[k].nsigners; q++) {
            size_t i = rc[k].signers[q];
            pl_fingerprint(I(c, i).author, fp);
            iso(I(c, i).timestamp_ms, t);
            sb_printf(&b, "%s{\"role\":\"%s\",\"fingerprint\":\"%s\",\"time\":\"%s\",\"name\":",
                      q ? "," : "", pl_role_name(pl_case_msg_role(c, i)), fp, t);
            sb_json(&b, cached_name(nm, c, I(c, i).author) ? cached_name(nm, c, I(c, i).author) : "");
            sb_printf(&b, "}");
        }
        sb_printf(&b, "]}");
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "timeline". */
static void json_timeline(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const size_t n = x->n;
    const pl_msg **order = x->order;
    char line[PL_TERMS_TEXT_MAX];
    char w[256];
    char t[32];
    sb_printf(&b, "],\"timeline\":[");
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t)pl_case_find(c, pl_msg_id(order[k]));
        iso(I(c, i).timestamp_ms, t);
        who(nm, c, i, w, sizeof w);
        pl_report_summary(c, i, line, sizeof line);
        sb_printf(&b, "%s{\"time\":\"%s\",\"who\":", k ? "," : "", t);
        sb_json(&b, w);
        sb_printf(&b, ",\"type\":\"%s\",\"text\":", pl_msg_type_name(I(c, i).type));
        sb_json(&b, line);
        sb_printf(&b, ",\"verdict\":\"%s\",\"id\":\"", pl_case_verdict(c, i) ? pl_errname(pl_case_verdict(c, i)) : "ok");
        sb_hex(&b, I(c, i).id, PL_ID_BYTES);
        sb_printf(&b, "\"}");
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "inputs" and their responses (R3, R4). */
static void json_inputs(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const size_t n = x->n;
    char line[PL_TERMS_TEXT_MAX];
    char w[256];
    char t[32];
    sb_printf(&b, "],\"inputs\":[");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (!pl_case_is_input(c, i))
            continue;
        long r = pl_report_response_to(c, i);
        who(nm, c, i, w, sizeof w);
        pl_report_summary(c, i, line, sizeof line);
        iso(I(c, i).timestamp_ms, t);
        sb_printf(&b, "%s{\"from\":", first ? "" : ",");
        first = 0;
        sb_json(&b, w);
        sb_printf(&b, ",\"time\":\"%s\",\"type\":\"%s\",\"text\":", t, pl_msg_type_name(I(c, i).type));
        sb_json(&b, line);
        if (r >= 0) {
            const pl_body *rb = pl_case_body(c, (size_t)r);
            uint64_t delay = I(c, (size_t)r).timestamp_ms - I(c, i).timestamp_ms;
            if (I(c, (size_t)r).timestamp_ms < I(c, i).timestamp_ms)
                delay = 0;
            sb_printf(&b, ",\"answered\":true,\"decision\":\"%s\",\"reasons\":",
                      pl_decision_name(rb->u.response.decision));
            sb_json(&b, rb->u.response.reasons);
            sb_printf(&b, ",\"answer_ms\":%llu}", (unsigned long long)delay);
        } else {
            sb_printf(&b, ",\"answered\":false}");
        }
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "sessions" (R6, R12). */
static void json_sessions(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const size_t n = x->n;
    char w[256];
    char t[32];
    sb_printf(&b, "],\"sessions\":[");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        const pl_body *pb = pl_case_body(c, i);
        if (!pb || pb->type != PL_T_SESSION_PROPOSE || pl_case_verdict(c, i) != PL_OK)
            continue;
        struct session_facts sf;
        session_facts(c, i, &sf);
        who(nm, c, i, w, sizeof w);
        iso(pb->u.session_propose.time_ms, t);
        sb_printf(&b, "%s{\"proposed_by\":", first ? "" : ",");
        first = 0;
        sb_json(&b, w);
        sb_printf(&b, ",\"time\":\"%s\",\"venue\":", t);
        sb_json(&b, pb->u.session_propose.venue);
        sb_printf(&b, ",\"detention_facility\":%s,\"mode\":\"%s\",\"public\":%s,\"outcome\":\"%s\",\"recordings\":%d}",
                  pb->u.session_propose.detention_facility ? "true" : "false",
                  pl_mode_name(pb->u.session_propose.mode), sf.public_ok ? "true" : "false",
                  sf.outcome, sf.recordings);
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "disclosures" (R7). */
static void json_disclosures(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const size_t n = x->n;
    const pl_case_status st = x->st;
    sb_printf(&b, "],\"disclosures\":[");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        const pl_body *db = pl_case_body(c, i);
        if (!db || db->type != PL_T_DISCLOSE || pl_case_verdict(c, i) != PL_OK)
            continue;
        for (size_t it = 0; it < db->u.disclose.nitems; it++) {
            sb_printf(&b, "%s{\"title\":", first ? "" : ",");
            first = 0;
            sb_json(&b, db->u.disclose.items[it].title);
            sb_printf(&b, ",\"size\":%llu,\"hash\":\"", (unsigned long long)db->u.disclose.items[it].size);
            sb_hex(&b, db->u.disclose.items[it].hash, 32);
            int acked, before;
            disclosure_facts(c, i, &st, &acked, &before);
            sb_printf(&b, "\",\"acknowledged\":%s,\"acknowledged_before_signing\":%s}",
                      acked ? "true" : "false", before ? "true" : "false");
        }
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "unilateral" acts (R5, R10). */
static void json_unilateral(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const size_t n = x->n;
    char line[PL_TERMS_TEXT_MAX];
    char w[256];
    sb_printf(&b, "],\"unilateral\":[");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        const pl_body *ub = pl_case_body(c, i);
        if (!ub || pl_case_verdict(c, i) != PL_OK ||
            !(ub->type == PL_T_WITHDRAW || ub->type == PL_T_RETRACT))
            continue;
        who(nm, c, i, w, sizeof w);
        pl_report_summary(c, i, line, sizeof line);
        sb_printf(&b, "%s{\"who\":", first ? "" : ",");
        first = 0;
        sb_json(&b, w);
        sb_printf(&b, ",\"type\":\"%s\",\"text\":", pl_msg_type_name(ub->type));
        sb_json(&b, line);
        sb_printf(&b, "}");
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "violations". */
static void json_violations(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const size_t n = x->n;
    char w[256];
    sb_printf(&b, "],\"violations\":[");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        int v = pl_case_verdict(c, i);
        if (v == PL_OK)
            continue;
        who(nm, c, i, w, sizeof w);
        sb_printf(&b, "%s{\"who\":", first ? "" : ",");
        first = 0;
        sb_json(&b, w);
        sb_printf(&b, ",\"type\":\"%s\",\"code\":\"%s\",\"section\":\"%s\",\"message\":",
                  pl_msg_type_name(I(c, i).type), pl_errname(v), pl_errsection(v));
        sb_json(&b, pl_strerror(v));
        sb_printf(&b, "}");
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "draw", "observer" and "forks" (R8, R9). */
static void json_draw(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const pl_case_status st = x->st;
    const pl_body *ch = x->ch;
    const struct draw_round *rounds = x->rounds;
    const size_t nr = x->nr;
    const uint64_t drawn_round = x->drawn_round;
    const char *drawn_fp = x->drawn_fp;
    const int drawn = x->drawn;
    char w[256];
    sb_printf(&b, "],\"draw\":{\"pool\":%zu,\"rounds\":[", ch ? ch->u.charter.npool : (size_t)0);
    for (size_t k = 0; k < nr; k++) {
        sb_printf(&b, "%s{\"round\":%llu,\"prosecution\":\"%s\",\"defense\":\"%s\",\"not_revealed\":[%s%s%s]}",
                  k ? "," : "", (unsigned long long)rounds[k].round, draw_step(&rounds[k], 0),
                  draw_step(&rounds[k], 1), draw_withheld(&rounds[k], 0) ? "\"prosecution\"" : "",
                  draw_withheld(&rounds[k], 0) && draw_withheld(&rounds[k], 1) ? "," : "",
                  draw_withheld(&rounds[k], 1) ? "\"defense\"" : "");
    }
    sb_printf(&b, "],\"observer\":");
    if (drawn) {
        sb_printf(&b, "\"%s\",\"observer_round\":%llu}", drawn_fp, (unsigned long long)drawn_round);
    } else
        sb_printf(&b, "null}");
    sb_printf(&b, ",\"open_inputs\":%zu,\"equivocations\":%zu,\"forks\":[", st.open_inputs,
              st.equivocations);
    uint8_t fpk[PL_PK_BYTES];
    uint64_t from;
    for (size_t k = 0; pl_case_equivocator(c, k, fpk, &from); k++) {
        char ffp[PL_FINGERPRINT_STR_BYTES];
        pl_fingerprint(fpk, ffp);
        name_of(nm, c, fpk, w, sizeof w);
        sb_printf(&b, "%s{\"key\":\"%s\",\"name\":", k ? "," : "", ffp);
        sb_json(&b, w);
        sb_printf(&b, ",\"void_from\":%llu}", (unsigned long long)from);
    }
    *out = b;
}

/* The JSON report (SPEC §17.2): "settlements" (SPEC §13.25), and the end of the object. */
static void json_settlements(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    struct names *nm = x->nm;
    const size_t n = x->n;
    const pl_msg **order = x->order;
    char t[32];
    sb_printf(&b, "],\"settlements\":[");
    int first = 1;
    for (size_t k = 0; k < n; k++) { /* SPEC §13.25, §17.2 item 12; display order */
        size_t i = (size_t)pl_case_find(c, pl_msg_id(order[k]));
        const pl_body *sb = pl_case_body(c, i);
        int made = pl_case_settlement_made(c, i, NULL);
        if (made < 0)
            continue;
        char fp[PL_FINGERPRINT_STR_BYTES];
        pl_fingerprint(I(c, i).author, fp);
        iso(I(c, i).timestamp_ms, t);
        sb_printf(&b, "%s{\"id\":\"", first ? "" : ",");
        first = 0;
        sb_hex(&b, I(c, i).id, PL_ID_BYTES);
        sb_printf(&b, "\",\"time\":\"%s\",\"author\":{\"fingerprint\":\"%s\",\"name\":", t, fp);
        sb_json(&b, cached_name(nm, c, I(c, i).author) ? cached_name(nm, c, I(c, i).author) : "");
        sb_printf(&b, ",\"role\":\"%s\"},\"kind\":\"%s\",\"agreed\":%llu,\"paid\":%llu,"
                      "\"forgiveness\":%s,\"document\":\"",
                  pl_role_name(pl_case_msg_role(c, i)), pl_settlement_kind_name(sb->u.settlement.kind),
                  (unsigned long long)sb->u.settlement.agreed, (unsigned long long)sb->u.settlement.paid,
                  sb->u.settlement.forgiveness ? "true" : "false");
        sb_hex(&b, sb->u.settlement.document, PL_HASH_BYTES);
        sb_printf(&b, "\",\"accepts\":");
        if (sb->u.settlement.has_accepts) {
            sb_printf(&b, "\"");
            sb_hex(&b, sb->u.settlement.accepts, PL_ID_BYTES);
            sb_printf(&b, "\"");
        } else {
            sb_printf(&b, "null");
        }
        sb_printf(&b, ",\"withdrawn\":%s,\"made\":%s,\"made_by\":",
                  pl_case_settlement_withdrawn(c, i) ? "true" : "false", made ? "true" : "false");
        long by;
        if (pl_case_settlement_made(c, i, &by) == 1) {
            sb_printf(&b, "\"");
            sb_hex(&b, I(c, (size_t)by).id, PL_ID_BYTES);
            sb_printf(&b, "\"}");
        } else {
            sb_printf(&b, "null}");
        }
    }
    sb_printf(&b, "]}\n");
    *out = b;
}

/* The report as one JSON object (SPEC §17.2). */
static void render_json(const struct rx *x, sbuf *out)
{
    json_head(x, out);
    json_agreement(x, out);
    json_participants(x, out);
    json_role_changes(x, out);
    json_timeline(x, out);
    json_inputs(x, out);
    json_sessions(x, out);
    json_disclosures(x, out);
    json_unilateral(x, out);
    json_violations(x, out);
    json_draw(x, out);
    json_settlements(x, out);
}

/* The text report (SPEC §17.2): its heading: the case, the suspect's particulars, the agreement and what it rests on. */
static void text_head(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    struct names *nm = x->nm;
    const size_t n = x->n;
    const pl_msg **order = x->order;
    const pl_case_status st = x->st;
    const pl_body *ch = x->ch;
    char *terms = x->terms;
    const unsigned warn = x->warn;
    const pl_participant *sus = x->sus;
    char line[PL_TERMS_TEXT_MAX];
    char w[256];
    char t[32];
    sb_printf(&b, "%s", TR("PARLEY OBSERVER REPORT\n\ncase        "));
    if (n)
        sb_hex(&b, pl_msg_header(pl_case_msg(c, 0))->case_id, PL_CASE_ID_BYTES);
    pl_text_oneline(terms);
    sb_printf(&b, "%s", TR("\ntitle       "));
    sb_text(&b, ch ? ch->u.charter.title : "?");
    if (ch && ch->u.charter.has_deadline) { /* SPEC §13.2 *Deadline*: its UTC date */
        iso(ch->u.charter.deadline_ms, t);
        t[10] = '\0';
        sb_printf(&b, TR("\ndeadline    the procuratorate decides on prosecution by %s (CPL art. "
                         "172, as the charter states); no deadline binds the defense"),
                  t);
    }
    if (sus != NULL && (sus->birth || sus->nationality[0] || sus->language)) {
        char born[16] = "-"; /* SPEC §13.2 *Particulars*, §17.2 item 15 */
        if (sus->birth)
            snprintf(born, sizeof born, "%04u-%02u-%02u", (unsigned)(sus->birth / 10000),
                     (unsigned)(sus->birth / 100 % 100), (unsigned)(sus->birth % 100));
        sb_printf(&b, "%s", TR("\nsuspect     "));
        sb_text(&b, sus->name);
        sb_printf(&b, TR(", born %s, nationality %s, understands %s"), born,
                  sus->nationality[0] ? sus->nationality : "-", sus->language ? sus->language : "-");
    }
    sb_printf(&b, TR("\nlanguage    the proceedings are in %s"), pl_case_language(c));
    if (pl_case_needs_interpreter(c))
        sb_printf(&b, "%s", TR("; the suspect does not understand it: an interpreter is required at "
                               "the signing (CPL art. 9; SPEC §13.27)"));
    if (ch && ch->u.charter.closed != PL_CLOSED_NONE)
        sb_printf(&b, TR("\nclosed      the law forbids publicity (%s, CPL art. 188): no session is "
                         "publicly observed"),
                  closed_text(ch->u.charter.closed, zh));
    const char *meaning = meaning_of(c, &st, zh);
    sb_printf(&b, TR("\nagreement   %s (round %llu)"), TR(pl_agreement_state_name(st.state)),
              (unsigned long long)st.round);
    sb_printf(&b, "%s%s%s%s\n", meaning ? "\n            " : "", meaning ? meaning : "",
              terms[0] ? TR("\nterms       ") : "", terms);
    for (unsigned bit = 1; bit <= PL_WARN_MINOR; bit <<= 1) /* SPEC §13.28 */
        if (warn & bit)
            sb_printf(&b, TR("WARNING     %s\n"),
                      pl_report_warning_text(bit, zh ? PL_LANG_ZH : PL_LANG_EN));
    for (size_t k = 0; st.state == PL_AGREEMENT_FINAL && k < n; k++) { /* SPEC §13.27 */
        size_t i = (size_t)pl_case_find(c, pl_msg_id(order[k]));
        if (pl_case_body(c, i) == NULL || !pl_case_interpretation_counts(c, st.sign_suspect, i))
            continue;
        who_plain(nm, c, i, w, sizeof w);
        summary(c, i, line, sizeof line, zh);
        pl_text_oneline(w), pl_text_oneline(line);
        sb_printf(&b, TR("interpreter %s: %s\n"), w, line);
    }
    for (size_t k = 0; st.offer >= 0 && k < n; k++) { /* SPEC §13.26, §17.2 item 13 */
        size_t i = (size_t)pl_case_find(c, pl_msg_id(order[k]));
        const pl_body *gb = pl_case_body(c, i);
        if (gb == NULL || !pl_case_consent_counts(c, st.sign_suspect, i))
            continue;
        who_plain(nm, c, i, w, sizeof w);
        summary(c, i, line, sizeof line, zh);
        pl_text_oneline(w), pl_text_oneline(line);
        sb_printf(&b, TR("guardian    %s: %s\n"), w, line);
    }
    if (st.no_statement)
        sb_printf(&b, "%s", TR("statement   NONE: a plea without a plea statement (CPL art. 174 para. 2 "
                               "item 2; SPEC §13.26)\n"));
    if (st.state == PL_AGREEMENT_FINAL) {
        /* SPEC §13.9 F0, §17.2 (v2): where and how the defense signed */
        pl_report_presence pr;
        pl_report_presence_of(c, st.sign_suspect, st.sign_counsel, &pr);
        const pl_body *sb = pr.session >= 0 ? pl_case_body(c, (size_t)pr.session) : NULL;
        if (sb != NULL) {
            char when[32];
            pl_local_time(sb->u.session_propose.time_ms, when);
            sb_printf(&b, TR("presence    the suspect signed in the session of %s at "), when);
            sb_text(&b, sb->u.session_propose.venue);
            sb_printf(&b, "%s\n", pr.witness ? TR(", counsel present and witnessing")
                                              : TR(", counsel NOT WITNESSING"));
            if (pr.recordings > 0)
                sb_printf(&b, TR("recording   %d anchored for that session (R12)\n"), pr.recordings);
            else
                sb_printf(&b, "%s", TR("recording   NONE anchored for the signing session (R12)\n"));
        }
        const pl_body *db = pr.dissent >= 0 ? pl_case_body(c, (size_t)pr.dissent) : NULL;
        if (db != NULL && db->type == PL_T_OPINION) {
            char dis[1024];
            snprintf(dis, sizeof dis, "%s", db->u.opinion.text);
            pl_text_oneline(dis);
            sb_printf(&b, "%s", TR("dissent     counsel witnessed but disagrees: "));
            sb_text(&b, dis);
            sb_printf(&b, "\n");
        }
    }
    pl_report_checklist ck; /* SPEC §17.2 item 14 (v2) */
    if (pl_report_checklist_get(c, &ck) == PL_OK) {
        sb_printf(&b, "%s", TR("\nRECORDING PROVISIONS CHECKLIST (SPP provisions on recording plea hearings, "
                               "art. 4)\n"));
        checklist_lines(&b, &ck, zh);
    }
    *out = b;
}

/* The text report (SPEC §17.2): PARTICIPANTS: who holds each role now, and who held it before. */
static void text_participants(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    struct names *nm = x->nm;
    const pl_role_change *rc = x->rc;
    const size_t nrc = x->nrc;
    const struct report_key *keys = x->keys;
    const size_t nkeys = x->nkeys;
    char t[32];
    sb_printf(&b, "%s", TR("\nPARTICIPANTS (who holds each role now, and who held it before)\n"));
    for (size_t k = 0; k < nkeys; k++) {
        char fp[PL_FINGERPRINT_STR_BYTES];
        pl_fingerprint(keys[k].pk, fp);
        char name[PL_REPORT_NAME_SHOWN];
        name_of(nm, c, keys[k].pk, name, sizeof name);
        pl_text_oneline(name);
        sb_printf(&b, "  %-11s %-24s %s  %s%s\n", TR(pl_role_name(keys[k].role)), name, fp,
                  keys[k].now ? TR("holds the role now") : TR("held it before; no longer"),
                  keys[k].role == PL_ROLE_COUNSEL &&
                          pl_case_capacity(c, keys[k].pk) == PL_CAPACITY_DUTY_LAWYER
                      ? TR(" (duty lawyer, 值班律师)")
                      : "");
        pl_identity_info id;
        if (keys[k].role != PL_ROLE_SUSPECT || pl_report_identity(c, keys[k].pk, &id) != PL_OK)
            continue;
        if (!id.bound) {
            sb_printf(&b, "  %-11s %s\n", "",
                      TR("identity not bound: the charter names no identity document "
                         "(SPEC §13.2)"));
            continue;
        }
        char venue[PL_REPORT_NAME_SHOWN] = "?";
        const pl_body *sb = id.session >= 0 ? pl_case_body(c, (size_t)id.session) : NULL;
        if (sb != NULL)
            snprintf(venue, sizeof venue, "%s", sb->u.session_propose.venue);
        pl_text_oneline(venue);
        if (id.confirmed)
            sb_printf(&b, TR("              identity bound by the charter; this key confirmed it in "
                             "the session at %s\n"),
                      venue);
        else
            sb_printf(&b, "  %-11s %s\n", "",
                      TR("identity bound by the charter; this key has not confirmed it"));
    }
    if (nrc > 0) {
        sb_printf(&b, "%s", TR("\nROLE CHANGES (SPEC §13.18)\n"));
        for (size_t k = 0; k < nrc; k++) {
            char fo[PL_FINGERPRINT_STR_BYTES] = "-", fn[PL_FINGERPRINT_STR_BYTES] = "-";
            char no[PL_REPORT_NAME_SHOWN] = "", nn[PL_REPORT_NAME_SHOWN] = "";
            if (rc[k].has_old)
                pl_fingerprint(rc[k].old_key, fo), name_of(nm, c, rc[k].old_key, no, sizeof no);
            if (rc[k].has_new)
                pl_fingerprint(rc[k].new_key, fn), name_of(nm, c, rc[k].new_key, nn, sizeof nn);
            pl_text_oneline(no), pl_text_oneline(nn);
            pl_local_time(I(c, rc[k].msg).timestamp_ms, t);
            sb_printf(&b, "  %s  %s %s: %s %s -> %s %s%s\n", t, TR(pl_role_name(rc[k].role)),
                      TR(change_kind(&rc[k])), no, fo, nn, fn,
                      rc[k].state == PL_CHANGE_EFFECTIVE ? "" : TR("  [VOID: objected by the old key]"));
            if (rc[k].has_session) {
                sb_printf(&b, "%s", TR("      in the fixed session "));
                sb_hex(&b, rc[k].session, 4);
                sb_printf(&b, "%s", TR(", accepted by the new key\n"));
            }
            for (size_t q = 0; q < rc[k].nsigners; q++) {
                size_t i = rc[k].signers[q];
                char fp[PL_FINGERPRINT_STR_BYTES], signer[PL_REPORT_NAME_SHOWN];
                pl_fingerprint(I(c, i).author, fp);
                name_of(nm, c, I(c, i).author, signer, sizeof signer);
                pl_text_oneline(signer);
                pl_local_time(I(c, i).timestamp_ms, t);
                sb_printf(&b, TR("      signed by %-11s %s %s at %s\n"),
                          TR(pl_role_name(pl_case_msg_role(c, i))), signer, fp, t);
            }
        }
    }
    *out = b;
}

/* The text report (SPEC §17.2): TIMELINE. */
static void text_timeline(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    const size_t n = x->n;
    const pl_msg **order = x->order;
    char line[PL_TERMS_TEXT_MAX];
    char t[32];
    sb_printf(&b, "%s", TR("\nTIMELINE\n"));
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t)pl_case_find(c, pl_msg_id(order[k]));
        pl_local_time(I(c, i).timestamp_ms, t);
        summary(c, i, line, sizeof line, zh);
        pl_text_oneline(line);
        int v = pl_case_verdict(c, i);
        sb_printf(&b, "  %s  %-11s %-16s %s%s%s%s\n", t, TR(pl_role_name(pl_case_msg_role(c, i))),
                  pl_msg_type_name(I(c, i).type), line, v ? TR("  [VIOLATION ") : "",
                  v ? pl_errname(v) : "", v ? "]" : "");
    }
    *out = b;
}

/* The text report (SPEC §17.2): INPUTS AND RESPONSES (R3, R4). */
static void text_inputs(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    const size_t n = x->n;
    char line[PL_TERMS_TEXT_MAX];
    char d[32];
    sb_printf(&b, "%s", TR("\nINPUTS AND RESPONSES (R3, R4)\n"));
    for (size_t i = 0; i < n; i++) {
        if (!pl_case_is_input(c, i))
            continue;
        long r = pl_report_response_to(c, i);
        summary(c, i, line, sizeof line, zh);
        pl_text_oneline(line);
        sb_printf(&b, "  %s %s: %s\n", TR(pl_role_name(pl_case_msg_role(c, i))),
                  pl_msg_type_name(I(c, i).type), line);
        if (r >= 0) {
            const pl_body *rb = pl_case_body(c, (size_t)r);
            uint64_t a = I(c, i).timestamp_ms, z = I(c, (size_t)r).timestamp_ms;
            duration(z > a ? z - a : 0, d);
            sb_printf(&b, TR("      -> %s after %s: "), TR(pl_decision_name(rb->u.response.decision)), d);
            sb_text(&b, rb->u.response.reasons);
            sb_printf(&b, "\n");
        } else {
            sb_printf(&b, "%s", TR("      -> UNANSWERED\n"));
        }
    }
    *out = b;
}

/* The text report (SPEC §17.2): SESSIONS (R6, R12). */
static void text_sessions(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    const size_t n = x->n;
    char t[32];
    sb_printf(&b, "%s", TR("\nSESSIONS (R6, R12)\n"));
    for (size_t i = 0; i < n; i++) {
        const pl_body *pb = pl_case_body(c, i);
        if (!pb || pb->type != PL_T_SESSION_PROPOSE || pl_case_verdict(c, i) != PL_OK)
            continue;
        struct session_facts sf;
        session_facts(c, i, &sf);
        pl_local_time(pb->u.session_propose.time_ms, t);
        sb_printf(&b, "  %s ", t);
        sb_text(&b, pb->u.session_propose.venue);
        sb_printf(&b, TR("%s, proposed by the %s: %s; public observation %s; %d recording(s)\n"),
                  pb->u.session_propose.detention_facility ? TR(" [DETENTION FACILITY]") : "",
                  TR(pl_role_name(pl_case_msg_role(c, i))), TR(sf.outcome),
                  sf.public_ok ? TR("yes") : TR("no"), sf.recordings);
    }
    *out = b;
}

/* The text report (SPEC §17.2): DISCLOSURES (R7). */
static void text_disclosures(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    const size_t n = x->n;
    const pl_case_status st = x->st;
    sb_printf(&b, "%s", TR("\nDISCLOSURES (R7)\n"));
    for (size_t i = 0; i < n; i++) {
        const pl_body *db = pl_case_body(c, i);
        if (!db || db->type != PL_T_DISCLOSE || pl_case_verdict(c, i) != PL_OK)
            continue;
        int acked, before;
        disclosure_facts(c, i, &st, &acked, &before);
        for (size_t it = 0; it < db->u.disclose.nitems; it++) {
            char title[PL_REPORT_NAME_SHOWN];
            snprintf(title, sizeof title, "%s", db->u.disclose.items[it].title);
            pl_text_oneline(title);
            sb_printf(&b, TR("  %-40s %12llu bytes  %s\n"), title,
                      (unsigned long long)db->u.disclose.items[it].size,
                      !acked    ? TR("NOT ACKNOWLEDGED")
                      : before  ? TR("acknowledged by the defense before signing")
                                : TR("acknowledged by the defense"));
        }
    }
    *out = b;
}

/* The text report (SPEC §17.2): SETTLEMENTS WITH THE VICTIM (SPEC §13.25). */
static void text_settlements(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    struct names *nm = x->nm;
    const size_t n = x->n;
    const pl_msg **order = x->order;
    char line[PL_TERMS_TEXT_MAX];
    char w[256];
    char t[32];
    sb_printf(&b, "%s", TR("\nSETTLEMENTS WITH THE VICTIM (SPEC §13.25)\n"));
    size_t nset = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t)pl_case_find(c, pl_msg_id(order[k]));
        long by;
        int made = pl_case_settlement_made(c, i, &by);
        if (made < 0)
            continue;
        nset++;
        who(nm, c, i, w, sizeof w);
        summary(c, i, line, sizeof line, zh);
        pl_text_oneline(w);
        pl_local_time(I(c, i).timestamp_ms, t);
        sb_printf(&b, "  %s  %s: %s%s\n", t, w, line,
                  made                                    ? TR(" — made")
                  : pl_case_settlement_withdrawn(c, i) ? TR(" — WITHDRAWN by its party")
                                                          : TR(" — NOT ACCEPTED by the other party"));
        const pl_body *sb = pl_case_body(c, i);
        sb_printf(&b, "%s", TR("      document "));
        sb_hex(&b, sb->u.settlement.document, PL_HASH_BYTES);
        if (made && (size_t)by != i) { /* the proposal: by whose acceptance */
            who(nm, c, (size_t)by, w, sizeof w);
            pl_text_oneline(w);
            sb_printf(&b, TR("; accepted by %s"), w);
        }
        sb_printf(&b, "\n");
    }
    if (nset == 0)
        sb_printf(&b, "%s", TR("  none\n"));
    *out = b;
}

/* The text report (SPEC §17.2): UNILATERAL ACTS (R5, R10) and the draw of the observer. */
static void text_unilateral(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    struct names *nm = x->nm;
    const size_t n = x->n;
    const pl_body *ch = x->ch;
    const struct draw_round *rounds = x->rounds;
    const size_t nr = x->nr;
    const uint64_t drawn_round = x->drawn_round;
    const char *drawn_fp = x->drawn_fp;
    const int drawn = x->drawn;
    char line[PL_TERMS_TEXT_MAX];
    char w[256];
    sb_printf(&b, "%s", TR("\nUNILATERAL ACTS (R5, R10)\n"));
    size_t nu = 0;
    for (size_t i = 0; i < n; i++) {
        const pl_body *ub = pl_case_body(c, i);
        if (!ub || pl_case_verdict(c, i) != PL_OK ||
            !(ub->type == PL_T_WITHDRAW || ub->type == PL_T_RETRACT))
            continue;
        nu++;
        who(nm, c, i, w, sizeof w);
        summary(c, i, line, sizeof line, zh);
        pl_text_oneline(w);
        pl_text_oneline(line);
        sb_printf(&b, "  %s %s: %s\n", w, pl_msg_type_name(ub->type), line);
    }
    if (nu == 0)
        sb_printf(&b, "%s", TR("  none\n"));
    if (ch && ch->u.charter.npool) {
        sb_printf(&b, "%s", TR("\nOBSERVER DRAW (R8)\n"));
        for (size_t k = 0; k < nr; k++)
            sb_printf(&b, TR("  round %llu: prosecution %s%s, defense %s%s\n"),
                      (unsigned long long)rounds[k].round, TR(draw_step(&rounds[k], 0)),
                      draw_withheld(&rounds[k], 0) ? TR(" (NOT REVEALED)") : "",
                      TR(draw_step(&rounds[k], 1)),
                      draw_withheld(&rounds[k], 1) ? TR(" (NOT REVEALED)") : "");
        if (drawn)
            sb_printf(&b, TR("  observer drawn in round %llu from a pool of %zu: %s\n"),
                      (unsigned long long)drawn_round, ch->u.charter.npool, drawn_fp);
        else
            sb_printf(&b, TR("  no observer drawn yet from a pool of %zu\n"), ch->u.charter.npool);
    }
    *out = b;
}

/* The text report (SPEC §17.2): VIOLATIONS. */
static void text_violations(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    struct names *nm = x->nm;
    const size_t n = x->n;
    char w[256];
    sb_printf(&b, "%s", TR("\nVIOLATIONS\n"));
    size_t nv = 0;
    for (size_t i = 0; i < n; i++) {
        int v = pl_case_verdict(c, i);
        if (v == PL_OK)
            continue;
        nv++;
        who(nm, c, i, w, sizeof w);
        pl_text_oneline(w);
        sb_printf(&b, TR("  %s: %s — %s [%s, SPEC §%s]\n"), w, pl_msg_type_name(I(c, i).type),
                  TR(pl_strerror(v)), pl_errname(v), pl_errsection(v));
    }
    if (nv == 0)
        sb_printf(&b, "%s", TR("  none\n"));
    *out = b;
}

/* The text report (SPEC §17.2): FORKS (R9). */
static void text_forks(const struct rx *x, sbuf *out)
{
    sbuf b = *out;
    const pl_case *c = x->c;
    const int zh = x->zh;
    struct names *nm = x->nm;
    const pl_case_status st = x->st;
    char w[256];
    sb_printf(&b, "%s", TR("\nFORKS (R9)\n"));
    uint8_t fpk[PL_PK_BYTES];
    uint64_t from;
    size_t k = 0;
    for (; pl_case_equivocator(c, k, fpk, &from); k++) {
        char ffp[PL_FINGERPRINT_STR_BYTES];
        pl_fingerprint(fpk, ffp);
        name_of(nm, c, fpk, w, sizeof w);
        pl_text_oneline(w);
        sb_printf(&b,
                  TR("  %s (%s) signed two messages at seq %llu: its messages from seq %llu on "
                     "count for nothing, and so does what depended on them [SPEC §13.14]\n"),
                  w, ffp, (unsigned long long)from, (unsigned long long)from);
    }
    if (k == 0)
        sb_printf(&b, "%s", TR("  none\n"));
    sb_printf(&b, TR("\nopen inputs %zu; equivocations %zu\n"), st.open_inputs, st.equivocations);
    *out = b;
}

/* The report as text in the reader's language (SPEC §17.2). */
static void render_text(const struct rx *x, sbuf *out)
{
    text_head(x, out);
    text_participants(x, out);
    text_timeline(x, out);
    text_inputs(x, out);
    text_sessions(x, out);
    text_disclosures(x, out);
    text_settlements(x, out);
    text_unilateral(x, out);
    text_violations(x, out);
    text_forks(x, out);
}

static int render(const pl_case *c, int json, int zh, char **out)
{
    sbuf b = {0};
    struct names names = {0}, *nm = &names; /* each key's name, found once */
    size_t n = pl_case_count(c);
    const pl_msg **order = calloc(n ? n : 1, sizeof *order);
    pl_case_status st;

    *out = NULL;
    if (order == NULL)
        return PL_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        order[i] = pl_case_msg(c, i);
    if (pl_log_order(order, n) != PL_OK) {
        free(order);
        return PL_E_NOMEM;
    }
    pl_case_status_get(c, &st);
    const pl_body *ch = pl_case_charter(c);
    char terms[PL_TERMS_TEXT_MAX] = "";
    unsigned warn = 0; /* SPEC §13.28: the warnings of the record */
    if (st.offer >= 0) {
        summary(c, (size_t)st.offer, terms, sizeof terms, zh);
        if (pl_case_warnings(c, (size_t)st.offer, &warn) != PL_OK)
            warn = 0;
    }
    const pl_participant *sus = pl_case_suspect(c); /* SPEC §13.2 *Particulars* */
    struct draw_round rounds[DRAW_ROUNDS_MAX];
    size_t nr = draw_rounds(c, rounds);
    uint8_t drawn_pk[PL_PK_BYTES];
    uint64_t drawn_round = 0;
    char drawn_fp[PL_FINGERPRINT_STR_BYTES] = "";
    int drawn = pl_case_drawn_observer(c, drawn_pk, &drawn_round);
    if (drawn)
        pl_fingerprint(drawn_pk, drawn_fp);
    pl_role_change *rc = calloc(64, sizeof *rc);
    struct report_key *keys = calloc(REPORT_KEYS_MAX, sizeof *keys);
    if (rc == NULL || keys == NULL) {
        free(rc), free(keys), free(order);
        return PL_E_NOMEM;
    }
    size_t nrc = pl_report_role_changes(c, rc, 64);
    if (nrc > 64)
        nrc = 64; /* a case with more role changes lists its first 64 */
    size_t nkeys = report_keys(c, rc, nrc, keys);

    const struct rx x = {c, zh, nm, n, order, st, ch, terms, warn, sus, rounds, nr, drawn_pk,
                         drawn_round, drawn_fp, drawn, rc, nrc, keys, nkeys};
    if (json)
        render_json(&x, &b);
    else
        render_text(&x, &b);
    free(order);
    free(rc);
    free(keys);
    if (b.failed) {
        free(b.s);
        return PL_E_NOMEM;
    }
    *out = b.s;
    return PL_OK;
}

/* A lean case (PL_CASE_LEAN) has not the texts a report shows. */
#define RENDERABLE(c, out) ((c) && (out) && !(pl_case_flags(c) & PL_CASE_LEAN))

int pl_report_text(const pl_case *c, char **out)
{
    return RENDERABLE(c, out) ? render(c, 0, 0, out) : PL_E_ARG;
}

int pl_report_text_lang(const pl_case *c, pl_lang lang, char **out)
{
    return RENDERABLE(c, out) ? render(c, 0, lang == PL_LANG_ZH, out) : PL_E_ARG;
}

int pl_report_json(const pl_case *c, char **out)
{
    return RENDERABLE(c, out) ? render(c, 1, 0, out) : PL_E_ARG;
}

int pl_report_identity_check(const pl_case *c, const char *number, int *matches, int *birth_differs)
{
    const pl_participant *s = c ? pl_case_suspect(c) : NULL;
    uint8_t mine[PL_HASH_BYTES];
    uint32_t born = 0;
    int rc;
    if (matches == NULL || birth_differs == NULL || number == NULL)
        return PL_E_ARG;
    *matches = *birth_differs = 0;
    /* a lean case keeps no message, and so no case id to salt with */
    if (s == NULL || !s->has_id_hash || pl_case_count(c) == 0 || (pl_case_flags(c) & PL_CASE_LEAN))
        return PL_E_ARG;
    if ((rc = pl_identity_hash(pl_msg_header(pl_case_msg(c, 0))->case_id, number, mine)) != PL_OK ||
        (rc = pl_identity_birth(number, &born)) != PL_OK)
        return rc;
    *matches = sodium_memcmp(mine, s->id_hash, PL_HASH_BYTES) == 0;
    /* SPEC §13.2 *Particulars*: a birth date and a number that disagree
     * describe two people, whatever the hash says */
    if (s->birth != 0 && born != 0 && born != s->birth)
        *birth_differs = 1, *matches = 0;
    sodium_memzero(mine, sizeof mine);
    return PL_OK;
}

int pl_report_identity(const pl_case *c, const uint8_t key[PL_PK_BYTES], pl_identity_info *out)
{
    const pl_body *ch = c ? pl_case_charter(c) : NULL;
    if (out == NULL || key == NULL)
        return PL_E_ARG;
    memset(out, 0, sizeof *out);
    out->session = -1;
    if (ch == NULL)
        return PL_E_ARG;
    for (size_t i = 0; i < ch->u.charter.nparticipants; i++) {
        const pl_participant *p = &ch->u.charter.participants[i];
        if (p->role != PL_ROLE_SUSPECT)
            continue;
        out->name = p->name;
        if ((out->bound = p->has_id_hash))
            memcpy(out->id_hash, p->id_hash, PL_HASH_BYTES);
    }
    /* the rules (SPEC §13.3) let a key join once, and a suspect key of a
     * bound case only with its confirmation */
    for (size_t i = 0; i < pl_case_count(c); i++) {
        const pl_case_msg_info hi = I(c, i), *h = &hi;
        const pl_body *b = pl_case_body(c, i);
        if (h->type != PL_T_JOIN || pl_case_verdict(c, i) != PL_OK || b == NULL ||
            memcmp(h->author, key, PL_PK_BYTES) != 0 || !b->u.join.has_identity)
            continue;
        out->confirmed = 1;
        out->join = i;
        out->session = pl_case_find(c, b->u.join.session);
        break;
    }
    return PL_OK;
}
