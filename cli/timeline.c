/* The timeline of a case's log, for `parley verify --timeline` and `parley
 * log`: each message in display order (SPEC §6.6) as the rules judged it
 * (SPEC §13), with what it says, the earlier message it answers or signs,
 * what an offer answering an offer changes (SPEC §15.5) and the agreement
 * after it. Text for people and JSON for programs come from one walk over
 * the same judged case, so the two can never tell different stories. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <msgpack.h>

#include "cli.h"

/* where the lines under a message start in the text timeline */
#define INDENT "                                  "

void cli_iso_time(uint64_t ms, int with_ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char s[24];
    if (with_ms) {
        /* JSON: UTC, with milliseconds */
        if (gmtime_r(&t, &tm) == NULL || strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
            snprintf(out, 32, "%llu ms", (unsigned long long)ms);
        else
            snprintf(out, 32, "%.19s.%03uZ", s, (unsigned)(ms % 1000));
        return;
    }
    /* for people (issue 15 §1): local time, TZ when it is set, else
     * Beijing time (Asia/Shanghai: UTC+8, no daylight saving) */
    pl_local_time(ms, out);
}

static void json_str_or_null(const char *s)
{
    if (s == NULL)
        printf("null");
    else
        cli_json_str(s);
}

static void json_hex(const uint8_t *b, size_t n)
{
    char h[2 * 64 + 1];
    cli_hex(b, n, h);
    printf("\"%s\"", h);
}

static void json_opt_u64(int has, uint64_t v)
{
    if (has)
        printf("%llu", (unsigned long long)v);
    else
        printf("null");
}

static const char *type_name(uint64_t type)
{
    const char *s = pl_msg_type_name(type);
    return s ? s : "unknown";
}

/* The earlier message a body names, and how ("answers", "signs", …);
 * NULL if it names none. */
static const uint8_t *ref_of(const pl_body *b, const char **how)
{
    switch (b->type) {
    case PL_T_JOIN:
        *how = N_("joins");
        return b->u.join.charter;
    case PL_T_OFFER:
        *how = N_("answers");
        return b->u.offer.has_answers ? b->u.offer.answers : NULL;
    case PL_T_OPINION:
        *how = N_("regarding");
        return b->u.opinion.has_regarding ? b->u.opinion.regarding : NULL;
    case PL_T_RESPONSE:
        *how = N_("answers");
        return b->u.response.answers;
    case PL_T_SIGN:
        *how = N_("signs");
        return b->u.sign.offer;
    case PL_T_DISCLOSE_ACK:
        *how = N_("acknowledges");
        return b->u.disclose_ack.disclosure;
    case PL_T_SESSION_ACCEPT:
    case PL_T_SESSION_DECLINE:
        *how = N_("answers");
        return b->u.session_answer.proposal;
    case PL_T_RECORDING:
        *how = N_("records");
        return b->u.recording.session;
    case PL_T_OBSERVATION:
        *how = N_("regarding");
        return b->u.observation.has_regarding ? b->u.observation.regarding : NULL;
    case PL_T_WITHDRAW:
        *how = N_("withdraws");
        return b->u.withdraw.has_offer ? b->u.withdraw.offer : NULL;
    case PL_T_CONSENT:
        *how = N_("regarding");
        return b->u.consent.offer;
    case PL_T_INTERPRETATION:
        *how = N_("regarding");
        return b->u.interpretation.offer;
    case PL_T_PUBLICITY:
        *how = N_("regarding");
        return b->u.publicity.proposal;
    case PL_T_SETTLEMENT_WITHDRAW:
        *how = N_("withdraws");
        return b->u.settlement_withdraw.settlement;
    case PL_T_SETTLEMENT:
        *how = N_("accepts");
        return b->u.settlement.has_accepts ? b->u.settlement.accepts : NULL;
    default:
        return NULL;
    }
}

/* One change in few words: "criminal detention 3 → 2 months" when the two
 * values differ in one word, else "none → 4 months". Cuts only at spaces,
 * so a UTF-8 sequence is never split. */
static void change_text(const pl_terms_change *c, char *out, size_t cap)
{
    const char *a = c->old_value, *b = c->new_value;
    size_t la = strlen(a), lb = strlen(b), p = 0, s = 0;
    while (p < la && p < lb && a[p] == b[p])
        p++;
    while (p > 0 && a[p - 1] != ' ')
        p--;
    while (s < la - p && s < lb - p && a[la - 1 - s] == b[lb - 1 - s])
        s++;
    while (s > 0 && a[la - s] != ' ')
        s--;
    size_t ma = la - p - s, mb = lb - p - s;
    if (ma == 0 || mb == 0 || memchr(a + p, ' ', ma) || memchr(b + p, ' ', mb))
        snprintf(out, cap, "%s → %s", a, b);
    else
        snprintf(out, cap, "%.*s%.*s → %.*s%s", (int)p, a, (int)ma, a + p, (int)mb, b + p,
                 a + la - s);
}

/* A msgpack value as JSON. Only for terms, which hold maps with str keys,
 * arrays, strs, uints and true (SPEC §15.1); anything else is null. */
static void json_msgpack(const msgpack_object *o)
{
    char *t;
    switch (o->type) {
    case MSGPACK_OBJECT_BOOLEAN:
        printf("%s", o->via.boolean ? "true" : "false");
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        printf("%llu", (unsigned long long)o->via.u64);
        break;
    case MSGPACK_OBJECT_STR: /* terms strs hold no U+0000 (SPEC §15.2) */
        if ((t = strndup(o->via.str.ptr, o->via.str.size)) == NULL) {
            printf("null");
            break;
        }
        cli_json_str(t);
        free(t);
        break;
    case MSGPACK_OBJECT_ARRAY:
        printf("[");
        for (uint32_t k = 0; k < o->via.array.size; k++) {
            printf("%s", k ? "," : "");
            json_msgpack(&o->via.array.ptr[k]);
        }
        printf("]");
        break;
    case MSGPACK_OBJECT_MAP:
        printf("{");
        for (uint32_t k = 0; k < o->via.map.size; k++) {
            printf("%s", k ? "," : "");
            if (o->via.map.ptr[k].key.type == MSGPACK_OBJECT_STR)
                json_msgpack(&o->via.map.ptr[k].key);
            else
                printf("\"?\"");
            printf(":");
            json_msgpack(&o->via.map.ptr[k].val);
        }
        printf("}");
        break;
    default:
        printf("null");
        break;
    }
}

/* An offer's terms as the canonical map of SPEC §15.2 written as JSON, key
 * for key: wire names, months and fen, an absent field absent. It is what
 * the vectors' json lines show and what `parley offer --terms FILE` reads,
 * and it needs no list of fields here. The bytes already decoded as terms
 * (pl_body_decode walks them first), so msgpack-c sees nothing unchecked. */
static void json_terms(const uint8_t *b, size_t n)
{
    msgpack_unpacked up;
    size_t off = 0;
    msgpack_unpacked_init(&up);
    if (msgpack_unpack_next(&up, (const char *)b, n, &off) == MSGPACK_UNPACK_SUCCESS)
        json_msgpack(&up.data);
    else
        printf("null");
    msgpack_unpacked_destroy(&up);
}

static void json_participants(const pl_participant *p, size_t n)
{
    printf("[");
    for (size_t k = 0; k < n; k++) {
        printf("%s{\"role\":\"%s\",\"name\":", k ? "," : "", pl_role_name(p[k].role));
        json_str_or_null(p[k].name);
        printf(",\"public_key\":");
        json_hex(p[k].key, PL_PK_BYTES);
        if (p[k].role == PL_ROLE_SUSPECT) { /* SPEC §13.2 *Particulars* (v2) */
            printf(",\"birth\":");
            json_opt_u64(p[k].birth != 0, p[k].birth);
            printf(",\"nationality\":");
            json_str_or_null(p[k].nationality[0] ? p[k].nationality : NULL);
            printf(",\"language\":");
            json_str_or_null(p[k].language);
        }
        printf("}");
    }
    printf("]");
}

/* What a message says, in readable fields. terms: an offer's, decoded. */
static void json_body(const pl_body *b, const pl_terms *terms)
{
    char tm[32];
    switch (b->type) {
    case PL_T_CHARTER:
        printf("{\"title\":");
        json_str_or_null(b->u.charter.title);
        printf(",\"participants\":");
        json_participants(b->u.charter.participants, b->u.charter.nparticipants);
        printf(",\"pool\":[");
        for (size_t k = 0; k < b->u.charter.npool; k++) {
            printf("%s", k ? "," : "");
            json_hex(b->u.charter.pool[k], PL_PK_BYTES);
        }
        printf("],\"deadline\":"); /* SPEC §13.2 *Deadline*: ms, or null */
        json_opt_u64(b->u.charter.has_deadline, b->u.charter.deadline_ms);
        printf(",\"language\":"); /* SPEC §13.2 (v2): as written; null is zh */
        json_str_or_null(b->u.charter.language);
        printf(",\"closed\":");
        json_str_or_null(b->u.charter.closed ? pl_closed_name(b->u.charter.closed) : NULL);
        printf("}");
        break;
    case PL_T_PARTICIPANTS:
        printf("{\"add\":");
        json_participants(b->u.participants.add, b->u.participants.nadd);
        printf(",\"remove\":[");
        for (size_t k = 0; k < b->u.participants.nremove; k++) {
            printf("%s", k ? "," : "");
            json_hex(b->u.participants.remove[k], PL_PK_BYTES);
        }
        printf("]}");
        break;
    case PL_T_KEY_ROTATE:
        printf("{\"new_key\":");
        json_hex(b->u.key_rotate.new_key, PL_PK_BYTES);
        printf("}");
        break;
    case PL_T_KEY_REPLACE:
        printf("{\"old_key\":");
        json_hex(b->u.key_replace.old_key, PL_PK_BYTES);
        printf(",\"new_key\":");
        json_hex(b->u.key_replace.new_key, PL_PK_BYTES);
        if (b->u.key_replace.has_session) {
            printf(",\"session\":");
            json_hex(b->u.key_replace.session, PL_ID_BYTES);
        }
        printf(",\"accepted_by_new_key\":%s}", b->u.key_replace.has_accept ? "true" : "false");
        break;
    case PL_T_DRAW_COMMIT:
    case PL_T_DRAW_REVEAL:
        printf("{\"round\":%llu,\"value\":", (unsigned long long)b->u.draw.round);
        json_hex(b->u.draw.value, 32);
        printf("}");
        break;
    case PL_T_OFFER: {
        char text[PL_TERMS_TEXT_MAX] = "";
        printf("{\"terms\":");
        json_terms(b->u.offer.terms, b->u.offer.terms_len);
        printf(",\"terms_text\":");
        json_str_or_null(terms && pl_terms_format(terms, text, sizeof text) == PL_OK ? text : NULL);
        /* as a judgment writes them (GLOSSARY-zh), whatever the locale */
        printf(",\"terms_zh\":");
        json_str_or_null(terms && pl_terms_format_zh(terms, text, sizeof text) == PL_OK ? text : NULL);
        printf(",\"terms_hash\":");
        json_hex(b->u.offer.terms_hash, PL_HASH_BYTES);
        printf("}");
        break;
    }
    case PL_T_OPINION:
        printf("{\"topic\":\"%s\",\"text\":", pl_topic_name(b->u.opinion.topic));
        json_str_or_null(b->u.opinion.text);
        if (b->u.opinion.has_amount) /* SPEC §13.7 (v2): fen, as on the wire */
            printf(",\"amount\":%llu", (unsigned long long)b->u.opinion.amount);
        printf("}");
        break;
    case PL_T_RESPONSE:
        printf("{\"decision\":\"%s\",\"reasons\":", pl_decision_name(b->u.response.decision));
        json_str_or_null(b->u.response.reasons);
        printf("}");
        break;
    case PL_T_SIGN:
        printf("{\"terms_hash\":");
        json_hex(b->u.sign.terms_hash, PL_HASH_BYTES);
        printf("}");
        break;
    case PL_T_DISCLOSE:
        printf("{\"items\":[");
        for (size_t k = 0; k < b->u.disclose.nitems; k++) {
            const pl_item *it = &b->u.disclose.items[k];
            printf("%s{\"title\":", k ? "," : "");
            json_str_or_null(it->title);
            printf(",\"size\":%llu,\"hash\":", (unsigned long long)it->size);
            json_hex(it->hash, PL_HASH_BYTES);
            printf("}");
        }
        printf("]}");
        break;
    case PL_T_SESSION_PROPOSE:
        cli_iso_time(b->u.session_propose.time_ms, 0, tm);
        printf("{\"time_ms\":%llu,\"time\":\"%s\",\"venue\":",
               (unsigned long long)b->u.session_propose.time_ms, tm);
        json_str_or_null(b->u.session_propose.venue);
        printf(",\"mode\":\"%s\",\"detention_facility\":%s,\"public\":%s}",
               pl_mode_name(b->u.session_propose.mode),
               b->u.session_propose.detention_facility ? "true" : "false",
               b->u.session_propose.public_ok ? "true" : "false");
        break;
    case PL_T_SESSION_ACCEPT:
        printf("{\"public\":%s}", b->u.session_answer.public_ok ? "true" : "false");
        break;
    case PL_T_SESSION_DECLINE:
        printf("{\"reasons\":");
        json_str_or_null(b->u.session_answer.reasons);
        printf("}");
        break;
    case PL_T_RECORDING:
        printf("{\"media\":");
        json_str_or_null(b->u.recording.media);
        printf(",\"size\":%llu,\"hash\":", (unsigned long long)b->u.recording.size);
        json_hex(b->u.recording.hash, PL_HASH_BYTES);
        printf("}");
        break;
    case PL_T_OBSERVATION:
        printf("{\"text\":");
        json_str_or_null(b->u.observation.text);
        printf("}");
        break;
    case PL_T_ATTESTATION:
        printf("{\"note\":");
        json_str_or_null(b->u.attestation.note);
        printf("}");
        break;
    case PL_T_WITHDRAW:
        printf("{\"leaves_negotiation\":%s,\"reasons\":",
               b->u.withdraw.has_offer ? "false" : "true");
        json_str_or_null(b->u.withdraw.reasons);
        printf("}");
        break;
    case PL_T_CLOSE:
        printf("{\"reasons\":");
        json_str_or_null(b->u.close.reasons);
        printf("}");
        break;
    case PL_T_RETRACT:
        printf("{\"reasons\":");
        json_str_or_null(b->u.retract.reasons);
        printf(",\"stage\":\"%s\"}", pl_stage_name(b->u.retract.stage));
        break;
    case PL_T_JUDGMENT:
        printf("{\"adopted\":%s,\"court\":", b->u.judgment.adopted ? "true" : "false");
        json_str_or_null(b->u.judgment.court);
        printf(",\"document\":");
        json_hex(b->u.judgment.document, PL_HASH_BYTES);
        printf(",\"time\":%llu}", (unsigned long long)b->u.judgment.time_ms);
        break;
    case PL_T_COURT_ADJUST:
        printf("{\"court\":");
        json_str_or_null(b->u.court_adjust.court);
        printf(",\"document\":");
        json_hex(b->u.court_adjust.document, PL_HASH_BYTES);
        printf(",\"ground\":\"%s\",\"text\":", pl_court_ground_name(b->u.court_adjust.ground));
        json_str_or_null(b->u.court_adjust.text);
        printf("}");
        break;
    case PL_T_NOTICE:
        printf("{\"document\":");
        json_hex(b->u.notice.document, PL_HASH_BYTES);
        printf(",\"language\":");
        json_str_or_null(b->u.notice.language);
        printf(",\"withdrawal\":");
        json_str_or_null(b->u.notice.withdrawal);
        printf("}");
        break;
    case PL_T_NOTICE_ACK:
        printf("{\"notice\":");
        json_hex(b->u.notice_ack.notice, PL_ID_BYTES);
        printf("}");
        break;
    case PL_T_REOPEN:
        printf("{\"document\":");
        json_hex(b->u.reopen.document, PL_HASH_BYTES);
        printf(",\"ground\":\"%s\",\"reasons\":", pl_reopen_ground_name(b->u.reopen.ground));
        json_str_or_null(b->u.reopen.reasons);
        printf(",\"request\":");
        if (b->u.reopen.has_request)
            json_hex(b->u.reopen.request, PL_ID_BYTES);
        else
            printf("null");
        printf("}");
        break;
    case PL_T_SETTLEMENT_WITHDRAW: /* SPEC §13.25 */
        printf("{\"reasons\":");
        json_str_or_null(b->u.settlement_withdraw.reasons);
        printf(",\"settlement\":");
        json_hex(b->u.settlement_withdraw.settlement, PL_ID_BYTES);
        printf("}");
        break;
    case PL_T_PUBLICITY: /* SPEC §13.11 */
        printf("{\"proposal\":");
        json_hex(b->u.publicity.proposal, PL_ID_BYTES);
        printf(",\"public\":%s}", b->u.publicity.public_ok ? "true" : "false");
        break;
    case PL_T_INTERPRETATION: /* SPEC §13.27 */
        printf("{\"language\":");
        json_str_or_null(b->u.interpretation.language);
        printf(",\"offer\":");
        json_hex(b->u.interpretation.offer, PL_ID_BYTES);
        printf(",\"session\":");
        json_hex(b->u.interpretation.session, PL_ID_BYTES);
        printf("}");
        break;
    case PL_T_CONSENT: /* SPEC §13.26 */
        printf("{\"agrees\":%s,\"offer\":", b->u.consent.agrees ? "true" : "false");
        json_hex(b->u.consent.offer, PL_ID_BYTES);
        printf(",\"reasons\":");
        json_str_or_null(b->u.consent.reasons);
        printf(",\"session\":");
        json_hex(b->u.consent.session, PL_ID_BYTES);
        printf("}");
        break;
    case PL_T_SETTLEMENT: /* SPEC §13.25 */
        printf("{\"accepts\":");
        if (b->u.settlement.has_accepts)
            json_hex(b->u.settlement.accepts, PL_ID_BYTES);
        else
            printf("null");
        printf(",\"agreed\":%llu,\"document\":", (unsigned long long)b->u.settlement.agreed);
        json_hex(b->u.settlement.document, PL_HASH_BYTES);
        printf(",\"forgiveness\":%s,\"kind\":\"%s\",\"paid\":%llu}",
               b->u.settlement.forgiveness ? "true" : "false",
               pl_settlement_kind_name(b->u.settlement.kind), (unsigned long long)b->u.settlement.paid);
        break;
    default: /* join, and types that carry nothing to read */
        printf("{}");
        break;
    }
}

/* One message of the timeline, gathered once for both renderings. */
struct row {
    size_t n; /* display number, from 1 */
    const pl_msg *m;
    long at; /* index in the case, -1 if the case could not keep it */
    const pl_body *body;
    int verdict;
    const char *how; /* with target: "answers", "signs", … */
    const uint8_t *target;
    size_t target_n;         /* its display number, 0 if not in the log */
    const char *target_type; /* its type, NULL if not in the log */
    const pl_terms *terms;   /* an offer's terms, decoded; else NULL */
    int nchanges;            /* against the offer it answers; -1 nothing to compare */
    const pl_terms_change *changes;
    const pl_case_status *after;
    int state_changed; /* the agreement (state or round) differs from before it */
    const char *name;  /* the author's, NULL if no charter names it */
};

/* Issue 13 §3: which field of a body refused by the schema (SPEC §13.5)
 * is wrong, in the reader's language; 0 when the body is not refused by
 * its schema. The words of an enumeration and a field's path are the
 * protocol's own, shown as they are. */
static int body_problem(const pl_msg *m, pl_body_problem *why)
{
    size_t blen;
    const uint8_t *b = pl_msg_body(m, &blen);
    pl_body body;
    if (pl_body_decode_why(pl_msg_header(m)->type, b, blen, &body, why) == PL_OK) {
        pl_body_free(&body);
        return 0;
    }
    return why->code == PL_E_BODY;
}

static void body_problem_text(const pl_body_problem *why, char *out, size_t cap)
{
    const char *f = why->field[0] ? why->field : _("the body");
    switch (why->reason) {
    case PL_BODY_WHY_UNKNOWN_KEY:
        snprintf(out, cap, _("%s is not a field of this kind of message"), f);
        break;
    case PL_BODY_WHY_KIND: snprintf(out, cap, _("%s holds a value of the wrong kind"), f); break;
    case PL_BODY_WHY_MISSING: snprintf(out, cap, _("%s is required and missing"), f); break;
    case PL_BODY_WHY_WORD: snprintf(out, cap, _("%s must be one of: %s"), f, why->allowed); break;
    case PL_BODY_WHY_VALUE:
        snprintf(out, cap, _("%s holds a value out of its range or form"), f);
        break;
    case PL_BODY_WHY_NOT_HERE: snprintf(out, cap, _("%s may not appear here"), f); break;
    default: snprintf(out, cap, _("%s is not of the form SPEC §13.5 gives"), f); break;
    }
    pl_text_oneline(out); /* a field's path carries a peer's key names */
}

static void text_row(const pl_case *cs, const struct row *r)
{
    const pl_header *h = pl_msg_header(r->m);
    char t[32], fp[PL_FINGERPRINT_STR_BYTES], id[17];
    cli_iso_time(h->timestamp_ms, 0, t);
    pl_fingerprint(h->author, fp);
    cli_hex(pl_msg_id(r->m), 8, id);
    char role[64];
    cli_pad(role, sizeof role,
            r->at >= 0 ? _(pl_role_name(pl_case_msg_role(cs, (size_t)r->at))) : "?", 11);
    printf("  %3zu  %s  %s %s #%-3llu %-16s id %s…", r->n, t, role, fp, (unsigned long long)h->seq,
           type_name(h->type), id);
    /* issue 15 §1: the author's name beside its fingerprint */
    if (r->name != NULL) {
        char nm[PL_REPORT_NAME_SHOWN];
        snprintf(nm, sizeof nm, "%s", r->name);
        pl_text_oneline(nm);
        printf("  %s", nm);
    }
    if (r->at < 0)
        printf(_("  NOT JUDGED %s [SPEC §%s]"), pl_errname(r->verdict), pl_errsection(r->verdict));
    else if (r->verdict != PL_OK)
        printf(_("  VIOLATION %s [SPEC §%s]"), pl_errname(r->verdict), pl_errsection(r->verdict));
    printf("\n");
    pl_body_problem why;
    if (r->verdict == PL_E_BODY && body_problem(r->m, &why)) {
        char text[PL_BODY_FIELD_MAX + PL_BODY_ALLOWED_MAX + 128];
        body_problem_text(&why, text, sizeof text);
        printf(INDENT "%s\n", text);
    }
    /* Which earlier message it answers, signs, … (R3, SPEC §13.8); every
     * join names the charter, which says nothing. */
    if (r->target != NULL && r->body->type != PL_T_JOIN) {
        if (r->target_n > 0) {
            printf(INDENT "%s #%zu (%s)\n", _(r->how), r->target_n, r->target_type);
        } else {
            cli_hex(r->target, 8, id);
            printf(INDENT);
            printf(_("%s %s…, which is not in this log\n"), _(r->how), id);
        }
    }
    if (r->nchanges >= 0) {
        printf(INDENT "%s", _("changes  "));
        for (int k = 0; k < r->nchanges; k++) {
            char c[2 * PL_TERMS_VALUE_MAX + 8];
            change_text(&r->changes[k], c, sizeof c);
            pl_text_oneline(c); /* facts and grounds are the author's text */
            printf("%s%s: %s", k ? "; " : "", r->changes[k].field, c);
        }
        printf("%s\n", r->nchanges ? "" : _("nothing"));
    }
    /* what it says, in a line (an offer's terms come below) */
    if (r->at >= 0 && h->type != PL_T_OFFER && h->type != PL_T_SIGN && h->type != PL_T_JOIN) {
        char says[512];
        pl_report_summary_lang(cs, (size_t)r->at, cli_zh() ? PL_LANG_ZH : PL_LANG_EN, says,
                               sizeof says);
        pl_text_oneline(says);
        if (says[0])
            printf(INDENT "%s%s\n", _("says     "), says);
    }
    char terms[PL_TERMS_TEXT_MAX];
    if (r->terms && cli_terms_text(r->terms, terms, sizeof terms) == PL_OK) {
        pl_text_oneline(terms);
        printf(INDENT "%s%s\n", _("terms    "), terms);
    }
    if (r->state_changed)
        printf(INDENT), printf(_("agreement now %s (round %llu)\n"), pl_agreement_state_name(r->after->state),
               (unsigned long long)r->after->round);
}

static void json_row(const pl_case *cs, const struct row *r)
{
    const pl_header *h = pl_msg_header(r->m);
    char fp[PL_FINGERPRINT_STR_BYTES], t[32];
    pl_fingerprint(h->author, fp);
    cli_iso_time(h->timestamp_ms, 1, t);
    printf("%s{\"n\":%zu,\"seq\":%llu,\"author\":{\"public_key\":", r->n > 1 ? "," : "", r->n,
           (unsigned long long)h->seq);
    json_hex(h->author, PL_PK_BYTES);
    printf(",\"fingerprint\":\"%s\",\"role\":", fp);
    json_str_or_null(r->at >= 0 ? pl_role_name(pl_case_msg_role(cs, (size_t)r->at)) : NULL);
    printf(",\"name\":");
    json_str_or_null(r->name);
    printf("},\"type\":\"%s\",\"id\":", type_name(h->type));
    json_hex(pl_msg_id(r->m), PL_ID_BYTES);
    printf(",\"timestamp_ms\":%llu,\"time\":\"%s\",\"verdict\":\"%s\",\"judged\":%s",
           (unsigned long long)h->timestamp_ms, t, r->verdict ? pl_errname(r->verdict) : "ok",
           r->at >= 0 ? "true" : "false");
    if (r->verdict != PL_OK)
        printf(",\"section\":\"%s\"", pl_errsection(r->verdict));
    pl_body_problem why;
    if (r->verdict == PL_E_BODY && body_problem(r->m, &why)) {
        /* issue 13 §3: the field, as data */
        static const char *const reasons[] = {"none", "shape", "unknown_key", "kind", "missing",
                                              "word", "value", "not_here", "terms", "other"};
        printf(",\"body_problem\":{\"field\":");
        json_str_or_null(why.field);
        printf(",\"reason\":\"%s\",\"allowed\":",
               (unsigned)why.reason < sizeof reasons / sizeof reasons[0] ? reasons[why.reason] : "other");
        json_str_or_null(why.reason == PL_BODY_WHY_WORD ? why.allowed : NULL);
        printf(",\"detail\":");
        json_str_or_null(why.detail);
        printf("}");
    }
    printf(",\"round\":");
    json_opt_u64(r->at >= 0, r->at >= 0 ? pl_case_round(cs, (size_t)r->at) : 0);
    printf(",\"refers_to\":");
    if (r->target == NULL) {
        printf("null");
    } else {
        printf("{\"relation\":\"%s\",\"id\":", r->how);
        json_hex(r->target, PL_ID_BYTES);
        printf(",\"n\":");
        json_opt_u64(r->target_n > 0, r->target_n);
        printf(",\"type\":");
        json_str_or_null(r->target_type);
        printf("}");
    }
    printf(",\"body\":");
    if (r->body)
        json_body(r->body, r->terms);
    else
        printf("null");
    printf(",\"changes\":");
    if (r->nchanges < 0)
        printf("null");
    else {
        printf("[");
        for (int k = 0; k < r->nchanges; k++) {
            char c[2 * PL_TERMS_VALUE_MAX + 8];
            change_text(&r->changes[k], c, sizeof c);
            printf("%s{\"field\":\"%s\",\"old\":", k ? "," : "", r->changes[k].field);
            cli_json_str(r->changes[k].old_value);
            printf(",\"new\":");
            cli_json_str(r->changes[k].new_value);
            printf(",\"change\":");
            cli_json_str(c);
            printf("}");
        }
        printf("]");
    }
    printf(",\"agreement\":{\"state\":\"%s\",\"round\":%llu,\"open_inputs\":%zu}}",
           pl_agreement_state_name(r->after->state), (unsigned long long)r->after->round,
           r->after->open_inputs);
}

/* Decodes an offer's terms into t; 0 when they decode. */
static int offer_terms(const pl_body *b, pl_terms *t)
{
    return b != NULL && b->type == PL_T_OFFER &&
                   pl_terms_decode(b->u.offer.terms, b->u.offer.terms_len, t, NULL) == PL_OK
               ? 0
               : -1;
}

int cli_timeline(cli_log *l, int json)
{
    struct author {
        const uint8_t *pk;
        const char *name;
    } names[PL_CASE_MAX_AUTHORS];
    size_t nnames = 0;
    cli_step *steps = calloc(l->n ? l->n : 1, sizeof *steps);
    pl_case *cs = steps ? cli_log_judge_steps(l, steps) : NULL;
    size_t *num = cs ? calloc(pl_case_count(cs) + 1, sizeof *num) : NULL;
    pl_terms *terms = malloc(2 * sizeof *terms); /* this offer's, the answered one's */
    pl_terms_change *changes = malloc(PL_TERMS_DIFF_MAX * sizeof *changes);
    int rc = EXIT_OK;

    if (num == NULL || terms == NULL || changes == NULL) {
        fprintf(stderr, _("parley: out of memory for the timeline\n"));
        if (json)
            printf(",\"timeline\":null,\"agreement\":null");
        rc = EXIT_CHECK;
        goto done;
    }
    for (size_t i = 0; i < l->n; i++) {
        long at = pl_case_find(cs, pl_msg_id(l->msgs[i]));
        if (at >= 0)
            num[at] = i + 1;
    }
    if (json)
        printf(",\"timeline\":[");
    else
        printf(_("\ntimeline (display order, SPEC §6.6; roles and rules, SPEC §13):\n"));
    for (size_t i = 0; i < l->n; i++) {
        struct row r = {.n = i + 1,
                        .m = l->msgs[i],
                        .nchanges = -1,
                        .changes = changes,
                        .after = &steps[i].status};
        long target_at = -1;
        r.at = pl_case_find(cs, pl_msg_id(r.m));
        r.body = r.at >= 0 ? pl_case_body(cs, (size_t)r.at) : NULL;
        r.verdict = r.at >= 0 ? pl_case_verdict(cs, (size_t)r.at) : steps[i].verdict;
        r.target = r.body ? ref_of(r.body, &r.how) : NULL;
        if (r.target && (target_at = pl_case_find(cs, r.target)) >= 0 && num[target_at] > 0) {
            r.target_n = num[target_at];
            r.target_type = type_name(pl_msg_header(pl_case_msg(cs, (size_t)target_at))->type);
        }
        if (offer_terms(r.body, &terms[0]) == 0)
            r.terms = &terms[0];
        /* SPEC §15.5: an offer that answers an offer, shown with what it
         * changes (a counter-offer, or a new offer answering one). */
        size_t nch = 0;
        if (r.terms && r.body->u.offer.has_answers && target_at >= 0 &&
            offer_terms(pl_case_body(cs, (size_t)target_at), &terms[1]) == 0 &&
            pl_terms_diff(&terms[1], r.terms, changes, PL_TERMS_DIFF_MAX, &nch) == PL_OK)
            r.nchanges = (int)nch;
        const pl_case_status *before = i ? &steps[i - 1].status : NULL;
        r.state_changed = before
                              ? before->state != r.after->state || before->round != r.after->round
                              : r.after->state != PL_AGREEMENT_NONE;
        /* names are looked up once per author: the walk covers the log */
        const uint8_t *pk = pl_msg_header(r.m)->author;
        size_t a;
        for (a = 0; a < nnames && memcmp(names[a].pk, pk, PL_PK_BYTES) != 0; a++)
            ;
        if (a == nnames && nnames < PL_CASE_MAX_AUTHORS)
            names[nnames++] = (struct author){pk, pl_report_name(cs, pk)};
        r.name = a < nnames ? names[a].name : pl_report_name(cs, pk);
        if (json)
            json_row(cs, &r);
        else
            text_row(cs, &r);
    }
    pl_case_status st;
    pl_case_status_get(cs, &st);
    if (json) {
        printf("],\"agreement\":{\"state\":\"%s\",\"round\":%llu,\"open_inputs\":%zu,"
               "\"violations\":%zu,\"equivocations\":%zu,\"meaning\":",
               pl_agreement_state_name(st.state), (unsigned long long)st.round, st.open_inputs,
               st.violations, st.equivocations);
        json_str_or_null(pl_report_state_meaning(cs, &st));
        printf(",\"offer\":");
        if (st.offer >= 0)
            json_hex(pl_msg_id(pl_case_msg(cs, (size_t)st.offer)), PL_ID_BYTES);
        else
            printf("null");
        /* SPEC §13.2: the library's reading of the charter, so that no
         * reader compares language tags its own way */
        printf("},\"interpreter_needed\":%s", pl_case_needs_interpreter(cs) ? "true" : "false");
    } else {
        printf(_("\nagreement   %s (round %llu); %zu open input(s), %zu violation(s)\n"),
               _(pl_agreement_state_name(st.state)), (unsigned long long)st.round, st.open_inputs,
               st.violations);
        const char *meaning =
            pl_report_state_meaning_lang(cs, &st, cli_zh() ? PL_LANG_ZH : PL_LANG_EN);
        if (meaning)
            printf("            %s\n", meaning);
    }
done:
    free(changes);
    free(terms);
    free(num);
    pl_case_destroy(&cs);
    free(steps);
    return rc;
}
