/* Negotiation message bodies: decode (walk, unpack, schema) and canonical
 * encode (SPEC §13.5 and each type's section).
 *
 * Every body is a map with string keys. The walk (pl_mp_walk) has already
 * enforced canonical form, key order and limits; here each type's schema
 * says which keys exist, which are required, and what each holds. Unknown
 * keys are refused: protocol v1 has no optional extensions (SPEC §10.2). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "body_schema.h" /* the key tables of spec §13.5, generated */
#include "internal.h"

static const char *const role_names[] = {
    [PL_ROLE_NONE] = "none",         [PL_ROLE_PROSECUTION] = "prosecution",
    [PL_ROLE_SUSPECT] = "suspect",   [PL_ROLE_COUNSEL] = "counsel",
    [PL_ROLE_VICTIM] = "victim",     [PL_ROLE_OBSERVER] = "observer",
    [PL_ROLE_GUARDIAN] = "guardian", [PL_ROLE_INTERPRETER] = "interpreter",
};
static const char *const topic_names[] = {
    [PL_TOPIC_FACTS] = "facts",           [PL_TOPIC_CHARGES] = "charges",
    [PL_TOPIC_SENTENCE] = "sentence",     [PL_TOPIC_PROCEDURE] = "procedure",
    [PL_TOPIC_COMPENSATION] = "compensation", [PL_TOPIC_FORGIVENESS] = "forgiveness",
    [PL_TOPIC_OTHER] = "other",
};
static const char *const decision_names[] = {
    [PL_DECISION_ADOPTED] = "adopted",
    [PL_DECISION_PARTLY] = "partly_adopted",
    [PL_DECISION_NOT_ADOPTED] = "not_adopted",
};
static const char *const mode_names[] = {
    [PL_MODE_IN_PERSON] = "in_person", [PL_MODE_VIDEO] = "video", [PL_MODE_WRITTEN] = "written",
};
static const char *const capacity_names[] = {
    [PL_CAPACITY_DEFENDER] = "defender", [PL_CAPACITY_DUTY_LAWYER] = "duty_lawyer",
};
static const char *const stage_names[] = {
    [PL_STAGE_REVIEW] = "review", [PL_STAGE_TRIAL] = "trial",
};
static const char *const court_ground_names[] = {
    [PL_COURT_NOT_CRIME] = "not_crime",
    [PL_COURT_INVOLUNTARY] = "involuntary",
    [PL_COURT_DENIES_FACTS] = "denies_facts",
    [PL_COURT_CHARGE_DIFFERS] = "charge_differs",
    [PL_COURT_UNFAIR_TRIAL] = "unfair_trial",
    [PL_COURT_CLEARLY_IMPROPER] = "clearly_improper",
    [PL_COURT_DEFENSE_OBJECTION] = "defense_objection",
};
static const char *const reopen_ground_names[] = {
    [PL_REOPEN_NEW_FACTS] = "new_facts",
    [PL_REOPEN_NEW_EVIDENCE] = "new_evidence",
    [PL_REOPEN_NON_PERFORMANCE] = "non_performance",
    [PL_REOPEN_UNTRUE_REMORSE] = "untrue_remorse",
    [PL_REOPEN_COURT_REQUEST] = "court_request",
};

static const char *const settlement_kind_names[] = {
    [PL_SETTLEMENT_LETTER] = "letter", [PL_SETTLEMENT_AGREEMENT] = "agreement",
};
static const char *const closed_names[] = {
    [PL_CLOSED_STATE_SECRET] = "state_secret",
    [PL_CLOSED_PRIVACY] = "privacy",
    [PL_CLOSED_TRADE_SECRET] = "trade_secret",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int word_index(const char *const *names, size_t n, const char *s, size_t len)
{
    for (size_t i = 1; i < n; i++)
        if (names[i] && strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return (int)i;
    return 0;
}

const char *pl_role_name(pl_role r)
{
    return (unsigned)r < COUNT(role_names) ? role_names[r] : "none";
}

pl_role pl_role_from_name(const char *s, size_t n)
{
    return (pl_role)word_index(role_names, COUNT(role_names), s, n);
}

pl_side pl_role_side(pl_role r)
{
    switch (r) {
    case PL_ROLE_PROSECUTION: return PL_SIDE_PROSECUTION;
    case PL_ROLE_SUSPECT:
    case PL_ROLE_COUNSEL: return PL_SIDE_DEFENSE;
    default: return PL_SIDE_NONE;
    }
}

const char *pl_topic_name(pl_topic t)
{
    return (unsigned)t < COUNT(topic_names) && topic_names[t] ? topic_names[t] : "?";
}

const char *pl_capacity_name(pl_capacity c)
{
    return (unsigned)c < COUNT(capacity_names) && capacity_names[c] ? capacity_names[c] : "?";
}

const char *pl_stage_name(pl_stage s)
{
    return (unsigned)s < COUNT(stage_names) && stage_names[s] ? stage_names[s] : "?";
}

const char *pl_court_ground_name(pl_court_ground g)
{
    return (unsigned)g < COUNT(court_ground_names) && court_ground_names[g] ? court_ground_names[g]
                                                                            : "?";
}

const char *pl_reopen_ground_name(pl_reopen_ground g)
{
    return (unsigned)g < COUNT(reopen_ground_names) && reopen_ground_names[g]
               ? reopen_ground_names[g]
               : "?";
}

const char *pl_settlement_kind_name(pl_settlement_kind k)
{
    return (unsigned)k < COUNT(settlement_kind_names) && settlement_kind_names[k]
               ? settlement_kind_names[k]
               : "?";
}

const char *pl_closed_name(pl_closed c)
{
    return (unsigned)c < COUNT(closed_names) && closed_names[c] ? closed_names[c] : "?";
}

static int is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* SPEC §13.2 *Language*: the shape of a BCP 47 tag, not its registry */
int pl_language_tag_valid(const char *s, size_t n)
{
    size_t i = 0, run = 0;
    if (s == NULL || n == 0 || n > PL_WORD_MAX_BYTES)
        return 0;
    while (i < n && is_alpha(s[i]))
        i++;
    if (i < 2 || i > 8 || (i < n && s[i] != '-'))
        return 0; /* the primary subtag: 2 to 8 letters, then a hyphen or the end */
    for (; i < n; i++) {
        if (s[i] == '-') {
            if (i + 1 == n || s[i + 1] == '-')
                return 0;
            run = 0;
        } else if (is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9')) {
            if (++run > 8)
                return 0;
        } else {
            return 0;
        }
    }
    return 1;
}

/* SPEC §13.2 *Language*: where a tag's language subtag starts: an
 * extended language subtag (three letters after a primary subtag of two or
 * three, as zh-yue) names the language; otherwise the primary subtag. */
static const char *language_of(const char *t)
{
    size_t p = strcspn(t, "-");
    const char *x = t + p + 1;
    if (t[p] == '-' && (p == 2 || p == 3) && is_alpha(x[0]) && is_alpha(x[1]) && is_alpha(x[2]) &&
        (x[3] == '-' || x[3] == '\0'))
        return x;
    return t;
}

int pl_language_same(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return 0;
    a = language_of(a), b = language_of(b);
    for (;; a++, b++) {
        char x = *a == '-' ? '\0' : *a, y = *b == '-' ? '\0' : *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

int pl_birth_valid(uint64_t d)
{
    static const unsigned char days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint64_t y = d / 10000, m = d / 100 % 100, day = d % 100;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || day < 1 || day > days[m - 1])
        return 0;
    return !(m == 2 && day == 29 && !pl_leap_year(y));
}

const char *pl_decision_name(pl_decision d)
{
    return (unsigned)d < COUNT(decision_names) && decision_names[d] ? decision_names[d] : "?";
}

/* Terms in an offer decode only if they are well formed and lawful (SPEC
 * §15.6); an offer with unlawful terms keeps the terms' code as its verdict. */
static int terms_check(const uint8_t *in, size_t len, int *needs_defender, int *minor,
                       pl_terms_problem *why)
{
    pl_terms *t = malloc(sizeof *t);
    if (t == NULL)
        return PL_E_NOMEM;
    int rc = pl_terms_decode(in, len, t, why);
    /* SPEC §13.9 F0b (v2) reads it (CPL arts. 35, 278) */
    *needs_defender = rc == PL_OK && (t->minor || t->impairment);
    *minor = rc == PL_OK && t->minor; /* §13.9 F0d (v2): the guardian */
    free(t);
    return rc;
}

const char *pl_mode_name(pl_mode m)
{
    return (unsigned)m < COUNT(mode_names) && mode_names[m] ? mode_names[m] : "?";
}

/* ---- schema reading ------------------------------------------------------ */

enum kind { K_BIN32, K_BIN64, K_UINT, K_BOOL, K_TEXT, K_NAME, K_TITLE, K_WORD, K_ARRAY, K_MAP };

struct field {
    const char *name;
    enum kind kind;
    int required;
    const msgpack_object *val; /* set by read_map */
};

/* Issue 13 §3: where a body failed to decode. The first failure found is
 * the one reported (pl_body_problem), its field named by its path from the
 * body's map: "participants[2].birth". */
struct dx {
    pl_body_problem *why; /* NULL: nobody asked */
    char prefix[24];      /* "participants[2]." while inside an element */
};

/* Cuts s back to a whole UTF-8 character if it ends inside one (a path
 * or a key cut to its buffer must stay text: it goes into JSON). */
static void utf8_whole(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--; /* continuation bytes */
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead < 0x80 ? 1 : (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : 4;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

static int bad_why(struct dx *x, pl_body_why reason, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad_why(struct dx *x, pl_body_why reason, const char *field, const char *fmt, ...)
{
    if (x->why != NULL && x->why->code == 0) {
        va_list ap;
        x->why->code = PL_E_BODY;
        x->why->reason = reason;
        x->why->section = "13.5";
        snprintf(x->why->field, sizeof x->why->field, "%s%s", x->prefix, field ? field : "");
        size_t fl = strlen(x->why->field);
        if ((field == NULL || *field == '\0') && fl > 0 && x->why->field[fl - 1] == '.')
            x->why->field[fl - 1] = '\0'; /* the element itself: "participants[1]" */
        utf8_whole(x->why->field);
        va_start(ap, fmt);
        vsnprintf(x->why->detail, sizeof x->why->detail, fmt, ap);
        va_end(ap);
    }
    return PL_E_BODY;
}

/* "a, b or c": the words of an enumeration (without "none"), for a
 * refusal to list. */
static const char *words_of(const char *const *names, size_t n, char *buf, size_t cap)
{
    size_t used = 0, k = 0, total = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        total += names[i] != NULL && strcmp(names[i], "none") != 0;
    for (size_t i = 0; i < n && used < cap; i++) {
        if (names[i] == NULL || strcmp(names[i], "none") == 0)
            continue;
        int w = snprintf(buf + used, cap - used, "%s%s",
                         k == 0           ? ""
                         : k + 1 == total ? " or "
                                          : ", ",
                         names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
        k++;
    }
    return buf;
}
#define ONE_OF(x, field, names) return one_of(x, field, names, COUNT(names))

static int one_of(struct dx *x, const char *field, const char *const *names, size_t n)
{
    char w[PL_BODY_ALLOWED_MAX];
    words_of(names, n, w, sizeof w);
    int rc = bad_why(x, PL_BODY_WHY_WORD, field, "must be %s", w);
    if (x->why != NULL && x->why->reason == PL_BODY_WHY_WORD)
        snprintf(x->why->allowed, sizeof x->why->allowed, "%s", w);
    return rc;
}

static const char *kind_words(enum kind k)
{
    switch (k) {
    case K_BIN32:
        return "32 bytes (bin)";
    case K_BIN64:
        return "64 bytes (bin)";
    case K_UINT:
        return "an unsigned integer";
    case K_BOOL:
        return "true or false";
    case K_TEXT:
        return "a non-empty string";
    case K_NAME:
        return "a string of 1 to 256 bytes";
    case K_TITLE:
        return "a string of 1 to 512 bytes";
    case K_WORD:
        return "a string of 1 to 64 bytes";
    case K_ARRAY:
        return "an array";
    case K_MAP:
        return "a map";
    }
    return "?";
}

/* Matches the map's keys against the schema: every key known, every
 * required key present, every value of its kind. SPEC §13.5. */
static int read_map(struct dx *x, const msgpack_object *o, struct field *f, size_t n)
{
    if (o->type != MSGPACK_OBJECT_MAP)
        return bad_why(x, PL_BODY_WHY_SHAPE, "", "must be a map");
    for (size_t i = 0; i < n; i++)
        f[i].val = NULL;
    for (uint32_t k = 0; k < o->via.map.size; k++) {
        const msgpack_object_kv *kv = &o->via.map.ptr[k];
        size_t i;
        for (i = 0; i < n; i++)
            if (strlen(f[i].name) == kv->key.via.str.size &&
                memcmp(f[i].name, kv->key.via.str.ptr, kv->key.via.str.size) == 0)
                break;
        if (i == n) {
            /* the key's own name is the field (an empty key has no bytes) */
            char key[32] = "";
            size_t kn =
                kv->key.via.str.size < sizeof key - 1 ? kv->key.via.str.size : sizeof key - 1;
            if (kn > 0)
                memcpy(key, kv->key.via.str.ptr, kn);
            key[kn] = '\0';
            utf8_whole(key);
            if (kn == 0)
                snprintf(key, sizeof key, "\"\"");
            return bad_why(x, PL_BODY_WHY_UNKNOWN_KEY, key, "is not a key of this body");
        }
        const msgpack_object *v = &kv->val;
        int ok;
        switch (f[i].kind) {
        case K_BIN32:
            ok = v->type == MSGPACK_OBJECT_BIN && v->via.bin.size == 32;
            break;
        case K_BIN64:
            ok = v->type == MSGPACK_OBJECT_BIN && v->via.bin.size == 64;
            break;
        case K_UINT:
            ok = v->type == MSGPACK_OBJECT_POSITIVE_INTEGER;
            break;
        case K_BOOL:
            ok = v->type == MSGPACK_OBJECT_BOOLEAN;
            break;
        case K_TEXT:
            ok = v->type == MSGPACK_OBJECT_STR && v->via.str.size > 0;
            break;
        case K_NAME:
            ok = v->type == MSGPACK_OBJECT_STR && v->via.str.size > 0 &&
                 v->via.str.size <= PL_NAME_MAX_BYTES;
            break;
        case K_TITLE:
            ok = v->type == MSGPACK_OBJECT_STR && v->via.str.size > 0 &&
                 v->via.str.size <= PL_TITLE_MAX_BYTES;
            break;
        case K_WORD:
            ok = v->type == MSGPACK_OBJECT_STR && v->via.str.size > 0 &&
                 v->via.str.size <= PL_WORD_MAX_BYTES;
            break;
        case K_ARRAY:
            ok = v->type == MSGPACK_OBJECT_ARRAY;
            break;
        case K_MAP:
            ok = v->type == MSGPACK_OBJECT_MAP;
            break;
        default:
            ok = 0;
        }
        if (!ok)
            return bad_why(x, PL_BODY_WHY_KIND, f[i].name, "must be %s", kind_words(f[i].kind));
        f[i].val = v;
    }
    for (size_t i = 0; i < n; i++)
        if (f[i].required && f[i].val == NULL)
            return bad_why(x, PL_BODY_WHY_MISSING, f[i].name, "is required and missing");
    return PL_OK;
}

static char *str_dup(const msgpack_object *o)
{
    if (o == NULL)
        return NULL;
    char *s = malloc(o->via.str.size + 1);
    if (s != NULL) {
        memcpy(s, o->via.str.ptr, o->via.str.size);
        s[o->via.str.size] = '\0';
    }
    return s;
}

/* A required string copied out; PL_E_NOMEM if the copy fails. */
static int take_str(const msgpack_object *o, char **out)
{
    *out = str_dup(o);
    return o != NULL && *out == NULL ? PL_E_NOMEM : PL_OK;
}

/* A word that must be a language tag (SPEC §13.2): copied out, or
 * PL_E_BODY. NULL stays NULL. */
static int take_language(struct dx *x, const msgpack_object *o, char **out)
{
    *out = NULL;
    if (o == NULL)
        return PL_OK;
    if (!pl_language_tag_valid(o->via.str.ptr, o->via.str.size))
        return bad_why(x, PL_BODY_WHY_VALUE, "language",
                       "must be a language tag (BCP 47 shape: zh, ug, zh-yue)");
    return take_str(o, out);
}

static void bin32(const msgpack_object *o, uint8_t out[32])
{
    memcpy(out, o->via.bin.ptr, 32);
}

static int word(const msgpack_object *o, const char *const *names, size_t n)
{
    return word_index(names, n, o->via.str.ptr, o->via.str.size);
}

/* Strings in bodies are texts people read: no NUL, which C code would cut
 * short (SPEC §13.5). */
static int no_nul(const msgpack_object *o)
{
    return o == NULL || o->type != MSGPACK_OBJECT_STR || o->via.str.size == 0 ||
           memchr(o->via.str.ptr, 0, o->via.str.size) == NULL;
}

/* Every text field of the map: no NUL. */
static int texts_ok(struct dx *x, const struct field *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!no_nul(f[i].val))
            return bad_why(x, PL_BODY_WHY_VALUE, f[i].name, "must not contain a NUL character");
    return PL_OK;
}

/* An array of bin32 keys, strictly ascending (so unique), at most max. */
static int read_keys(struct dx *x, const char *name, const msgpack_object *a, size_t max,
                     uint8_t (**out)[PL_PK_BYTES], size_t *n)
{
    *out = NULL;
    *n = 0;
    if (a == NULL)
        return PL_OK;
    /* an empty list is said by leaving the key out: one encoding per body */
    if (a->via.array.size == 0 || a->via.array.size > max)
        return bad_why(x, PL_BODY_WHY_SHAPE, name,
                       "must hold 1 to %zu keys (an empty list is left out)", max);
    for (uint32_t i = 0; i < a->via.array.size; i++) {
        const msgpack_object *k = &a->via.array.ptr[i];
        if (k->type != MSGPACK_OBJECT_BIN || k->via.bin.size != 32)
            return bad_why(x, PL_BODY_WHY_KIND, name, "element %u must be a key of 32 bytes (bin)",
                           i);
        if (i > 0 && memcmp(a->via.array.ptr[i - 1].via.bin.ptr, k->via.bin.ptr, 32) >= 0)
            return bad_why(x, PL_BODY_WHY_VALUE, name,
                           "element %u is not above the one before: keys are strictly "
                           "ascending",
                           i);
    }
    if (a->via.array.size == 0)
        return PL_OK;
    if ((*out = malloc(a->via.array.size * sizeof **out)) == NULL)
        return PL_E_NOMEM;
    for (uint32_t i = 0; i < a->via.array.size; i++)
        bin32(&a->via.array.ptr[i], (*out)[i]);
    *n = a->via.array.size;
    return PL_OK;
}

/* Participants: maps {key, name, role}, strictly ascending by key. */
static int read_participants(struct dx *x, const char *name, const msgpack_object *a,
                             pl_participant **out, size_t *n, int in_charter)
{
    *out = NULL;
    *n = 0;
    if (a == NULL)
        return PL_OK;
    if (a->via.array.size == 0 || a->via.array.size > PL_MAX_PARTICIPANTS)
        return bad_why(x, PL_BODY_WHY_SHAPE, name,
                       "must hold 1 to %d participants (an empty list is left out)",
                       PL_MAX_PARTICIPANTS);
    pl_participant *p = calloc(a->via.array.size, sizeof *p);
    if (p == NULL)
        return PL_E_NOMEM;
    *out = p;
    for (uint32_t i = 0; i < a->via.array.size; i++) {
        struct field f[] = {SCHEMA_PARTICIPANT};
        const msgpack_object *nat;
        snprintf(x->prefix, sizeof x->prefix, "%s[%u].", name, i);
        int rc = read_map(x, &a->via.array.ptr[i], f, COUNT(f));
        if (rc != PL_OK || (rc = texts_ok(x, f, COUNT(f))) != PL_OK)
            return rc;
        bin32(f[F_PARTICIPANT_KEY].val, p[i].key);
        if (i > 0 && memcmp(p[i - 1].key, p[i].key, 32) >= 0)
            return bad_why(x, PL_BODY_WHY_VALUE, "key",
                           "is not above the key before it: participants are strictly "
                           "ascending by key");
        p[i].role = (pl_role)word(f[F_PARTICIPANT_ROLE].val, role_names, COUNT(role_names));
        if (p[i].role == PL_ROLE_NONE)
            ONE_OF(x, "role", role_names);
        /* SPEC §13.5 (v2): only the suspect's seat is bound to a person,
         * and only the suspect has particulars (§13.2) */
        if ((f[F_PARTICIPANT_ID_HASH].val != NULL || f[F_PARTICIPANT_BIRTH].val != NULL ||
             f[F_PARTICIPANT_LANGUAGE].val != NULL || f[F_PARTICIPANT_NATIONALITY].val != NULL) &&
            p[i].role != PL_ROLE_SUSPECT)
            return bad_why(x, PL_BODY_WHY_NOT_HERE,
                           f[F_PARTICIPANT_ID_HASH].val    ? "id_hash"
                           : f[F_PARTICIPANT_BIRTH].val    ? "birth"
                           : f[F_PARTICIPANT_LANGUAGE].val ? "language"
                                                           : "nationality",
                           "belongs only to the suspect's entry");
        if ((p[i].has_id_hash = f[F_PARTICIPANT_ID_HASH].val != NULL))
            bin32(f[F_PARTICIPANT_ID_HASH].val, p[i].id_hash);
        /* SPEC §13.5 (v2): a seat's acceptance only in a change's addition */
        if ((p[i].has_accept = f[F_PARTICIPANT_ACCEPT].val != NULL)) {
            if (in_charter)
                return bad_why(x, PL_BODY_WHY_NOT_HERE, "accept",
                               "is given only in a change's addition, not in the "
                               "charter");
            memcpy(p[i].accept, f[F_PARTICIPANT_ACCEPT].val->via.bin.ptr, PL_SIG_BYTES);
        }
        if (f[F_PARTICIPANT_BIRTH].val != NULL) {
            if (!pl_birth_valid(f[F_PARTICIPANT_BIRTH].val->via.u64))
                return bad_why(x, PL_BODY_WHY_VALUE, "birth",
                               "must be a date YYYYMMDD from 19000101 to 99991231");
            p[i].birth = (uint32_t)f[F_PARTICIPANT_BIRTH].val->via.u64;
        }
        if ((nat = f[F_PARTICIPANT_NATIONALITY].val) != NULL) { /* ISO 3166-1 alpha-3 */
            if (nat->via.str.size != 3)
                return bad_why(x, PL_BODY_WHY_VALUE, "nationality",
                               "must be three capitals (ISO 3166-1 alpha-3)");
            for (int c = 0; c < 3; c++)
                if (nat->via.str.ptr[c] < 'A' || nat->via.str.ptr[c] > 'Z')
                    return bad_why(x, PL_BODY_WHY_VALUE, "nationality",
                                   "must be three capitals (ISO 3166-1 alpha-3)");
            memcpy(p[i].nationality, nat->via.str.ptr, 3);
        }
        /* SPEC §13.5 (v2): only counsel has a capacity and a licence */
        if ((f[F_PARTICIPANT_CAPACITY].val != NULL || f[F_PARTICIPANT_LICENCE].val != NULL) &&
            p[i].role != PL_ROLE_COUNSEL)
            return bad_why(x, PL_BODY_WHY_NOT_HERE,
                           f[F_PARTICIPANT_CAPACITY].val ? "capacity" : "licence",
                           "belongs only to counsel's entry");
        if (f[F_PARTICIPANT_CAPACITY].val != NULL &&
            !(p[i].capacity = (pl_capacity)word(f[F_PARTICIPANT_CAPACITY].val, capacity_names,
                                                COUNT(capacity_names))))
            ONE_OF(x, "capacity", capacity_names);
        *n = i + 1;
        if ((rc = take_str(f[F_PARTICIPANT_NAME].val, &p[i].name)) != PL_OK ||
            (rc = take_str(f[F_PARTICIPANT_LICENCE].val, &p[i].licence)) != PL_OK ||
            (rc = take_language(x, f[F_PARTICIPANT_LANGUAGE].val, &p[i].language)) != PL_OK)
            return rc;
    }
    x->prefix[0] = '\0';
    return PL_OK;
}

static int read_items(struct dx *x, const msgpack_object *a, pl_item **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (a->via.array.size == 0 || a->via.array.size > PL_MAX_DISCLOSE_ITEMS)
        return bad_why(x, PL_BODY_WHY_SHAPE, "items", "must hold 1 to %d items",
                       PL_MAX_DISCLOSE_ITEMS);
    pl_item *it = calloc(a->via.array.size, sizeof *it);
    if (it == NULL)
        return PL_E_NOMEM;
    *out = it;
    for (uint32_t i = 0; i < a->via.array.size; i++) {
        struct field f[] = {SCHEMA_ITEM};
        snprintf(x->prefix, sizeof x->prefix, "items[%u].", i);
        int rc = read_map(x, &a->via.array.ptr[i], f, COUNT(f));
        if (rc != PL_OK || (rc = texts_ok(x, f, COUNT(f))) != PL_OK)
            return rc;
        bin32(f[F_ITEM_HASH].val, it[i].hash);
        it[i].size = f[F_ITEM_SIZE].val->via.u64;
        *n = i + 1;
        if ((rc = take_str(f[F_ITEM_TITLE].val, &it[i].title)) != PL_OK)
            return rc;
    }
    x->prefix[0] = '\0';
    return PL_OK;
}

/* ---- per type -------------------------------------------------------------- */

static int decode_obj(struct dx *x, uint64_t type, const msgpack_object *o, pl_body *b)
{
    int rc;
#define READ(...)                                                                                  \
    struct field f[] = {__VA_ARGS__};                                                              \
    if ((rc = read_map(x, o, f, COUNT(f))) != PL_OK || (rc = texts_ok(x, f, COUNT(f))) != PL_OK)   \
        return rc;

    switch (type) {
    case PL_T_CHARTER: {
        READ(SCHEMA_CHARTER);
        bin32(f[F_CHARTER_CASE_NONCE].val, b->u.charter.case_nonce);
        if (f[F_CHARTER_CLOSED].val != NULL && /* SPEC §13.2 *Closed case* (v2) */
            !(b->u.charter.closed =
                  (pl_closed)word(f[F_CHARTER_CLOSED].val, closed_names, COUNT(closed_names))))
            ONE_OF(x, "closed", closed_names);
        if ((b->u.charter.has_deadline = f[F_CHARTER_DEADLINE].val != NULL))
            b->u.charter.deadline_ms = f[F_CHARTER_DEADLINE].val->via.u64;
        /* SPEC §13.5: a day of years 1970 to 9999 */
        if (b->u.charter.has_deadline && b->u.charter.deadline_ms > 253402300799999ull)
            return bad_why(x, PL_BODY_WHY_VALUE, "deadline",
                           "must be a time (ms) before the year 10000");
        if ((rc = take_language(x, f[F_CHARTER_LANGUAGE].val, &b->u.charter.language)) != PL_OK ||
            (rc = read_participants(x, "participants", f[F_CHARTER_PARTICIPANTS].val,
                                    &b->u.charter.participants, &b->u.charter.nparticipants, 1)) !=
                PL_OK ||
            (rc = read_keys(x, "pool", f[F_CHARTER_POOL].val, PL_MAX_POOL, &b->u.charter.pool,
                            &b->u.charter.npool)) != PL_OK)
            return rc;
        return take_str(f[F_CHARTER_TITLE].val, &b->u.charter.title);
    }
    case PL_T_JOIN: {
        READ(SCHEMA_JOIN);
        bin32(f[F_JOIN_CHARTER].val, b->u.join.charter);
        /* SPEC §13.5 (v2): an identity confirmation is whole or absent */
        int some = f[F_JOIN_ID_HASH].val != NULL || f[F_JOIN_NAME].val != NULL ||
                   f[F_JOIN_SESSION].val != NULL;
        if (some && (f[F_JOIN_ID_HASH].val == NULL || f[F_JOIN_NAME].val == NULL ||
                     f[F_JOIN_SESSION].val == NULL))
            return bad_why(x, PL_BODY_WHY_MISSING,
                           f[F_JOIN_ID_HASH].val == NULL ? "id_hash"
                           : f[F_JOIN_NAME].val == NULL  ? "name"
                                                         : "session",
                           "is missing: an identity confirmation gives id_hash, name and session "
                           "together");
        if (!(b->u.join.has_identity = some))
            return PL_OK;
        bin32(f[F_JOIN_ID_HASH].val, b->u.join.id_hash);
        bin32(f[F_JOIN_SESSION].val, b->u.join.session);
        return take_str(f[F_JOIN_NAME].val, &b->u.join.name);
    }
    case PL_T_PARTICIPANTS: {
        READ(SCHEMA_PARTICIPANTS);
        if ((rc = read_participants(x, "add", f[F_PARTICIPANTS_ADD].val, &b->u.participants.add,
                                    &b->u.participants.nadd, 0)) != PL_OK ||
            (rc = read_keys(x, "remove", f[F_PARTICIPANTS_REMOVE].val, PL_MAX_PARTICIPANTS,
                            &b->u.participants.remove, &b->u.participants.nremove)) != PL_OK)
            return rc;
        return b->u.participants.nadd + b->u.participants.nremove > 0
                   ? PL_OK
                   : bad_why(x, PL_BODY_WHY_SHAPE, "",
                             "a change adds or removes at least one participant");
    }
    case PL_T_KEY_ROTATE: {
        READ(SCHEMA_KEY_ROTATE);
        bin32(f[F_KEY_ROTATE_NEW].val, b->u.key_rotate.new_key);
        return PL_OK;
    }
    case PL_T_KEY_REPLACE: {
        /* SPEC §13.18: a suspect's or counsel's seat changes hands with the
         * new key's acceptance, given in a fixed session */
        READ(SCHEMA_KEY_REPLACE);
        if ((b->u.key_replace.has_accept = f[F_KEY_REPLACE_ACCEPT].val != NULL))
            memcpy(b->u.key_replace.accept, f[F_KEY_REPLACE_ACCEPT].val->via.bin.ptr, 64);
        bin32(f[F_KEY_REPLACE_NEW].val, b->u.key_replace.new_key);
        bin32(f[F_KEY_REPLACE_OLD].val, b->u.key_replace.old_key);
        if ((b->u.key_replace.has_session = f[F_KEY_REPLACE_SESSION].val != NULL))
            bin32(f[F_KEY_REPLACE_SESSION].val, b->u.key_replace.session);
        return PL_OK;
    }
    case PL_T_DRAW_COMMIT: {
        READ(SCHEMA_DRAW_COMMIT);
        bin32(f[F_DRAW_COMMIT_COMMIT].val, b->u.draw.value);
        b->u.draw.round = f[F_DRAW_COMMIT_ROUND].val->via.u64;
        return PL_OK;
    }
    case PL_T_DRAW_REVEAL: {
        READ(SCHEMA_DRAW_REVEAL);
        bin32(f[F_DRAW_REVEAL_REVEAL].val, b->u.draw.value);
        b->u.draw.round = f[F_DRAW_REVEAL_ROUND].val->via.u64;
        return PL_OK;
    }
    case PL_T_OFFER: {
        READ(SCHEMA_OFFER);
        if ((b->u.offer.has_answers = f[F_OFFER_ANSWERS].val != NULL))
            bin32(f[F_OFFER_ANSWERS].val, b->u.offer.answers);
        return PL_OK; /* the terms are taken from the raw bytes: offer_terms() */
    }
    case PL_T_OPINION: {
        READ(SCHEMA_OPINION);
        if ((b->u.opinion.has_regarding = f[F_OPINION_REGARDING].val != NULL))
            bin32(f[F_OPINION_REGARDING].val, b->u.opinion.regarding);
        if (!(b->u.opinion.topic =
                  (pl_topic)word(f[F_OPINION_TOPIC].val, topic_names, COUNT(topic_names))))
            ONE_OF(x, "topic", topic_names);
        /* SPEC §13.7 (v2): an amount is a compensation demand, in fen */
        if ((b->u.opinion.has_amount = f[F_OPINION_AMOUNT].val != NULL) &&
            ((b->u.opinion.amount = f[F_OPINION_AMOUNT].val->via.u64) == 0 ||
             b->u.opinion.topic != PL_TOPIC_COMPENSATION))
            return bad_why(x, PL_BODY_WHY_VALUE, "amount",
                           b->u.opinion.amount == 0 ? "must be above 0 fen"
                                                    : "goes only with the topic compensation");
        return take_str(f[F_OPINION_TEXT].val, &b->u.opinion.text);
    }
    case PL_T_RESPONSE: {
        READ(SCHEMA_RESPONSE);
        bin32(f[F_RESPONSE_ANSWERS].val, b->u.response.answers);
        b->u.response.decision =
            (pl_decision)word(f[F_RESPONSE_DECISION].val, decision_names, COUNT(decision_names));
        if (!b->u.response.decision)
            ONE_OF(x, "decision", decision_names);
        return take_str(f[F_RESPONSE_REASONS].val, &b->u.response.reasons);
    }
    case PL_T_SIGN: {
        READ(SCHEMA_SIGN);
        if ((b->u.sign.has_dissent = f[F_SIGN_DISSENT].val != NULL))
            bin32(f[F_SIGN_DISSENT].val, b->u.sign.dissent);
        bin32(f[F_SIGN_OFFER].val, b->u.sign.offer);
        if ((b->u.sign.has_session = f[F_SIGN_SESSION].val != NULL))
            bin32(f[F_SIGN_SESSION].val, b->u.sign.session);
        bin32(f[F_SIGN_TERMS_HASH].val, b->u.sign.terms_hash);
        /* SPEC §13.5: witness is present only as true */
        if (f[F_SIGN_WITNESS].val != NULL && !f[F_SIGN_WITNESS].val->via.boolean)
            return bad_why(x, PL_BODY_WHY_VALUE, "witness", "is present only as true");
        b->u.sign.witness = f[F_SIGN_WITNESS].val != NULL;
        return PL_OK;
    }
    case PL_T_DISCLOSE: {
        READ(SCHEMA_DISCLOSE);
        return read_items(x, f[F_DISCLOSE_ITEMS].val, &b->u.disclose.items, &b->u.disclose.nitems);
    }
    case PL_T_DISCLOSE_ACK: {
        READ(SCHEMA_DISCLOSE_ACK);
        bin32(f[F_DISCLOSE_ACK_DISCLOSURE].val, b->u.disclose_ack.disclosure);
        return PL_OK;
    }
    case PL_T_SESSION_PROPOSE: {
        READ(SCHEMA_SESSION_PROPOSE);
        b->u.session_propose.detention_facility =
            f[F_SESSION_PROPOSE_DETENTION_FACILITY].val->via.boolean;
        if (!(b->u.session_propose.mode =
                  (pl_mode)word(f[F_SESSION_PROPOSE_MODE].val, mode_names, COUNT(mode_names))))
            ONE_OF(x, "mode", mode_names);
        b->u.session_propose.public_ok = f[F_SESSION_PROPOSE_PUBLIC].val->via.boolean;
        b->u.session_propose.time_ms = f[F_SESSION_PROPOSE_TIME].val->via.u64;
        return take_str(f[F_SESSION_PROPOSE_VENUE].val, &b->u.session_propose.venue);
    }
    case PL_T_SESSION_ACCEPT: {
        READ(SCHEMA_SESSION_ACCEPT);
        bin32(f[F_SESSION_ACCEPT_PROPOSAL].val, b->u.session_answer.proposal);
        b->u.session_answer.public_ok = f[F_SESSION_ACCEPT_PUBLIC].val->via.boolean;
        return PL_OK;
    }
    case PL_T_SESSION_DECLINE: {
        READ(SCHEMA_SESSION_DECLINE);
        bin32(f[F_SESSION_DECLINE_PROPOSAL].val, b->u.session_answer.proposal);
        return take_str(f[F_SESSION_DECLINE_REASONS].val, &b->u.session_answer.reasons);
    }
    case PL_T_RECORDING: {
        READ(SCHEMA_RECORDING);
        bin32(f[F_RECORDING_HASH].val, b->u.recording.hash);
        bin32(f[F_RECORDING_SESSION].val, b->u.recording.session);
        b->u.recording.size = f[F_RECORDING_SIZE].val->via.u64;
        return take_str(f[F_RECORDING_MEDIA].val, &b->u.recording.media);
    }
    case PL_T_OBSERVATION: {
        READ(SCHEMA_OBSERVATION);
        if ((b->u.observation.has_regarding = f[F_OBSERVATION_REGARDING].val != NULL))
            bin32(f[F_OBSERVATION_REGARDING].val, b->u.observation.regarding);
        return take_str(f[F_OBSERVATION_TEXT].val, &b->u.observation.text);
    }
    case PL_T_ATTESTATION: {
        READ(SCHEMA_ATTESTATION);
        return take_str(f[F_ATTESTATION_NOTE].val, &b->u.attestation.note);
    }
    case PL_T_WITHDRAW: {
        READ(SCHEMA_WITHDRAW);
        if ((b->u.withdraw.has_offer = f[F_WITHDRAW_OFFER].val != NULL))
            bin32(f[F_WITHDRAW_OFFER].val, b->u.withdraw.offer);
        return take_str(f[F_WITHDRAW_REASONS].val, &b->u.withdraw.reasons);
    }
    case PL_T_CLOSE: {
        READ(SCHEMA_CLOSE);
        return take_str(f[F_CLOSE_REASONS].val, &b->u.close.reasons);
    }
    case PL_T_RETRACT: {
        READ(SCHEMA_RETRACT);
        if (!(b->u.retract.stage =
                  (pl_stage)word(f[F_RETRACT_STAGE].val, stage_names, COUNT(stage_names))))
            ONE_OF(x, "stage", stage_names);
        return take_str(f[F_RETRACT_REASONS].val, &b->u.retract.reasons);
    }
    case PL_T_COURT_ADJUST: {
        READ(SCHEMA_COURT_ADJUST);
        bin32(f[F_COURT_ADJUST_DOCUMENT].val, b->u.court_adjust.document);
        if (!(b->u.court_adjust.ground = (pl_court_ground)word(
                  f[F_COURT_ADJUST_GROUND].val, court_ground_names, COUNT(court_ground_names))))
            ONE_OF(x, "ground", court_ground_names);
        rc = take_str(f[F_COURT_ADJUST_COURT].val, &b->u.court_adjust.court);
        return rc != PL_OK ? rc : take_str(f[F_COURT_ADJUST_TEXT].val, &b->u.court_adjust.text);
    }
    case PL_T_NOTICE: {
        READ(SCHEMA_NOTICE);
        bin32(f[F_NOTICE_DOCUMENT].val, b->u.notice.document);
        rc = take_str(f[F_NOTICE_LANGUAGE].val, &b->u.notice.language);
        return rc != PL_OK ? rc : take_str(f[F_NOTICE_WITHDRAWAL].val, &b->u.notice.withdrawal);
    }
    case PL_T_NOTICE_ACK: {
        READ(SCHEMA_NOTICE_ACK);
        bin32(f[F_NOTICE_ACK_NOTICE].val, b->u.notice_ack.notice);
        return PL_OK;
    }
    case PL_T_REOPEN: {
        READ(SCHEMA_REOPEN);
        bin32(f[F_REOPEN_DOCUMENT].val, b->u.reopen.document);
        if (!(b->u.reopen.ground = (pl_reopen_ground)word(
                  f[F_REOPEN_GROUND].val, reopen_ground_names, COUNT(reopen_ground_names))))
            ONE_OF(x, "ground", reopen_ground_names);
        if ((b->u.reopen.has_request = f[F_REOPEN_REQUEST].val != NULL))
            bin32(f[F_REOPEN_REQUEST].val, b->u.reopen.request);
        return take_str(f[F_REOPEN_REASONS].val, &b->u.reopen.reasons);
    }
    case PL_T_JUDGMENT: {
        READ(SCHEMA_JUDGMENT);
        b->u.judgment.adopted = f[F_JUDGMENT_ADOPTED].val->via.boolean;
        bin32(f[F_JUDGMENT_DOCUMENT].val, b->u.judgment.document);
        b->u.judgment.time_ms = f[F_JUDGMENT_TIME].val->via.u64;
        return take_str(f[F_JUDGMENT_COURT].val, &b->u.judgment.court);
    }
    case PL_T_SETTLEMENT_WITHDRAW: {
        READ(SCHEMA_SETTLEMENT_WITHDRAW);
        bin32(f[F_SETTLEMENT_WITHDRAW_SETTLEMENT].val, b->u.settlement_withdraw.settlement);
        return take_str(f[F_SETTLEMENT_WITHDRAW_REASONS].val, &b->u.settlement_withdraw.reasons);
    }
    case PL_T_CONSENT: {
        READ(SCHEMA_CONSENT);
        b->u.consent.agrees = f[F_CONSENT_AGREES].val->via.boolean;
        bin32(f[F_CONSENT_OFFER].val, b->u.consent.offer);
        bin32(f[F_CONSENT_SESSION].val, b->u.consent.session);
        return take_str(f[F_CONSENT_REASONS].val, &b->u.consent.reasons);
    }
    case PL_T_PUBLICITY: { /* SPEC §13.11 (v2) */
        READ(SCHEMA_PUBLICITY);
        bin32(f[F_PUBLICITY_PROPOSAL].val, b->u.publicity.proposal);
        b->u.publicity.public_ok = f[F_PUBLICITY_PUBLIC].val->via.boolean;
        return PL_OK;
    }
    case PL_T_INTERPRETATION: { /* SPEC §13.27 (v2) */
        READ(SCHEMA_INTERPRETATION);
        bin32(f[F_INTERPRETATION_OFFER].val, b->u.interpretation.offer);
        bin32(f[F_INTERPRETATION_SESSION].val, b->u.interpretation.session);
        return take_language(x, f[F_INTERPRETATION_LANGUAGE].val, &b->u.interpretation.language);
    }
    case PL_T_SETTLEMENT: {
        READ(SCHEMA_SETTLEMENT);
        if ((b->u.settlement.has_accepts = f[F_SETTLEMENT_ACCEPTS].val != NULL))
            bin32(f[F_SETTLEMENT_ACCEPTS].val, b->u.settlement.accepts);
        b->u.settlement.agreed = f[F_SETTLEMENT_AGREED].val->via.u64;
        bin32(f[F_SETTLEMENT_DOCUMENT].val, b->u.settlement.document);
        b->u.settlement.forgiveness = f[F_SETTLEMENT_FORGIVENESS].val->via.boolean;
        if (!(b->u.settlement.kind = (pl_settlement_kind)word(
                  f[F_SETTLEMENT_KIND].val, settlement_kind_names, COUNT(settlement_kind_names))))
            ONE_OF(x, "kind", settlement_kind_names);
        b->u.settlement.paid = f[F_SETTLEMENT_PAID].val->via.u64;
        /* SPEC §13.5: what is paid is part of what was agreed */
        return b->u.settlement.paid <= b->u.settlement.agreed
                   ? PL_OK
                   : bad_why(x, PL_BODY_WHY_VALUE, "paid", "is more than what was agreed");
    }
    default:
        if (x->why != NULL && x->why->code == 0) {
            x->why->code = PL_E_MSG_TYPE;
            x->why->reason = PL_BODY_WHY_OTHER;
            x->why->section = pl_errsection(PL_E_MSG_TYPE);
            snprintf(x->why->detail, sizeof x->why->detail,
                     "%" PRIu64 " is not a message type of this version", type);
        }
        return PL_E_MSG_TYPE;
    }
#undef READ
}

/* The exact bytes of the "terms" value in an offer body (a map the walk
 * accepted), copied, checked (SPEC §15.6) and hashed (SPEC §15.3) as
 * received: never a re-encoding. */
static int offer_terms(struct dx *x, const uint8_t *in, size_t len, pl_body *b)
{
    static const uint8_t key[] = {0xa5, 't', 'e', 'r', 'm', 's'};
    size_t pos = 1, kl, vl; /* bodies of offers are fixmaps of 1 or 2 entries */
    for (unsigned e = 0; e < (in[0] & 0x0fu); e++) {
        if (pl_mp_walk(in + pos, len - pos, NULL, &kl) != PL_OK ||
            pl_mp_walk(in + pos + kl, len - pos - kl, NULL, &vl) != PL_OK)
            return PL_E_BODY;
        if (kl == sizeof key && memcmp(in + pos, key, sizeof key) == 0) {
            if ((b->u.offer.terms = malloc(vl)) == NULL)
                return PL_E_NOMEM;
            memcpy(b->u.offer.terms, in + pos + kl, vl);
            b->u.offer.terms_len = vl;
            pl_terms_problem tp = {0};
            int rc = terms_check(b->u.offer.terms, vl, &b->u.offer.needs_defender, &b->u.offer.minor,
                                 &tp);
            if (rc == PL_OK)
                pl_terms_hash(b->u.offer.terms, vl, b->u.offer.terms_hash);
            else if (x->why != NULL && x->why->code == 0 && rc != PL_E_NOMEM) {
                /* the terms' own words (memory is said at the end) */
                x->why->code = rc;
                x->why->reason = PL_BODY_WHY_TERMS;
                x->why->section = tp.section ? tp.section : "15.6";
                snprintf(x->why->field, sizeof x->why->field, "terms");
                snprintf(x->why->detail, sizeof x->why->detail, "%s", tp.detail);
            }
            return rc;
        }
        pos += kl + vl;
    }
    return PL_E_BODY;
}

int pl_body_decode(uint64_t type, const uint8_t *in, size_t len, pl_body *out)
{
    return pl_body_decode_why(type, in, len, out, NULL);
}

int pl_body_decode_why(uint64_t type, const uint8_t *in, size_t len, pl_body *out,
                       pl_body_problem *why)
{
    msgpack_zone zone;
    msgpack_object obj;
    int rc;
    struct dx x = {.why = why};

    if (why != NULL)
        memset(why, 0, sizeof *why);
    if (out == NULL)
        return PL_E_ARG;
    memset(out, 0, sizeof *out);
    if (in == NULL || len > PL_MSG_MAX_BYTES)
        return bad_why(&x, PL_BODY_WHY_SHAPE, "", "is larger than a message may be");
    /* Received bodies were walked as part of their message; a body from
     * elsewhere (a file, a test) is walked here. Cheap either way. */
    if ((rc = pl_mp_decode(in, len, &zone, &obj)) != PL_OK) {
        if (why != NULL) {
            why->code = rc;
            why->reason = PL_BODY_WHY_OTHER;
            why->section = pl_errsection(rc);
            snprintf(why->detail, sizeof why->detail, "is not one canonical MessagePack value: %s",
                     pl_strerror(rc));
        }
        return rc;
    }
    out->type = type; /* from here on, pl_body_free knows what to free */
    rc = decode_obj(&x, type, &obj, out);
    msgpack_zone_destroy(&zone);
    if (rc == PL_OK && type == PL_T_OFFER)
        rc = offer_terms(&x, in, len, out);
    if (rc != PL_OK) {
        pl_body_free(out);
        out->type = 0;
        if (why != NULL && why->code == 0) { /* memory, say: no field to blame */
            why->code = rc;
            why->reason = PL_BODY_WHY_OTHER;
            why->section = pl_errsection(rc);
            snprintf(why->detail, sizeof why->detail, "%s", pl_strerror(rc));
        }
    }
    if (why != NULL && why->section == NULL)
        why->section = "";
    return rc;
}

/* What stays is what the rules of SPEC §13 read: ids, hashes, keys,
 * names, grounds, flags and numbers. Opinions, reasons, notes and the
 * terms' bytes (their hash and needs_defender stay) can be any size up to
 * the quota, and are read again only to show them: from the message. */
void pl_body_strip(pl_body *b)
{
    char **text = NULL;
    switch (b->type) {
    case PL_T_OFFER:
        free(b->u.offer.terms);
        b->u.offer.terms = NULL, b->u.offer.terms_len = 0;
        return;
    case PL_T_OPINION: text = &b->u.opinion.text; break;
    case PL_T_RESPONSE: text = &b->u.response.reasons; break;
    case PL_T_SESSION_DECLINE: text = &b->u.session_answer.reasons; break;
    case PL_T_OBSERVATION: text = &b->u.observation.text; break;
    case PL_T_ATTESTATION: text = &b->u.attestation.note; break;
    case PL_T_WITHDRAW: text = &b->u.withdraw.reasons; break;
    case PL_T_CLOSE: text = &b->u.close.reasons; break;
    case PL_T_RETRACT: text = &b->u.retract.reasons; break;
    case PL_T_CONSENT: text = &b->u.consent.reasons; break;
    case PL_T_SETTLEMENT_WITHDRAW: text = &b->u.settlement_withdraw.reasons; break;
    case PL_T_COURT_ADJUST: text = &b->u.court_adjust.text; break;
    case PL_T_REOPEN: text = &b->u.reopen.reasons; break;
    default: return;
    }
    free(*text);
    *text = NULL;
}

void pl_body_free(pl_body *b)
{
    if (b == NULL)
        return;
    switch (b->type) {
    case PL_T_CHARTER:
        for (size_t i = 0; i < b->u.charter.nparticipants; i++)
            free(b->u.charter.participants[i].name), free(b->u.charter.participants[i].licence),
                free(b->u.charter.participants[i].language);
        free(b->u.charter.participants);
        free(b->u.charter.language);
        free(b->u.charter.pool);
        free(b->u.charter.title);
        break;
    case PL_T_PARTICIPANTS:
        for (size_t i = 0; i < b->u.participants.nadd; i++)
            free(b->u.participants.add[i].name), free(b->u.participants.add[i].licence),
                free(b->u.participants.add[i].language);
        free(b->u.participants.add);
        free(b->u.participants.remove);
        break;
    case PL_T_JOIN: free(b->u.join.name); break;
    case PL_T_OFFER: free(b->u.offer.terms); break;
    case PL_T_OPINION: free(b->u.opinion.text); break;
    case PL_T_RESPONSE: free(b->u.response.reasons); break;
    case PL_T_DISCLOSE:
        for (size_t i = 0; i < b->u.disclose.nitems; i++)
            free(b->u.disclose.items[i].title);
        free(b->u.disclose.items);
        break;
    case PL_T_SESSION_PROPOSE: free(b->u.session_propose.venue); break;
    case PL_T_SESSION_DECLINE: free(b->u.session_answer.reasons); break;
    case PL_T_RECORDING: free(b->u.recording.media); break;
    case PL_T_OBSERVATION: free(b->u.observation.text); break;
    case PL_T_ATTESTATION: free(b->u.attestation.note); break;
    case PL_T_WITHDRAW: free(b->u.withdraw.reasons); break;
    case PL_T_CLOSE: free(b->u.close.reasons); break;
    case PL_T_RETRACT: free(b->u.retract.reasons); break;
    case PL_T_JUDGMENT: free(b->u.judgment.court); break;
    case PL_T_REOPEN: free(b->u.reopen.reasons); break;
    case PL_T_NOTICE:
        free(b->u.notice.language);
        free(b->u.notice.withdrawal);
        break;
    case PL_T_CONSENT: free(b->u.consent.reasons); break;
    case PL_T_SETTLEMENT_WITHDRAW: free(b->u.settlement_withdraw.reasons); break;
    case PL_T_INTERPRETATION: free(b->u.interpretation.language); break;
    case PL_T_COURT_ADJUST:
        free(b->u.court_adjust.text);
        free(b->u.court_adjust.court);
        break;
    default: break;
    }
    uint64_t type = b->type;
    memset(b, 0, sizeof *b);
    b->type = type;
}

/* ---- encoding ---------------------------------------------------------------
 * Keys are written in ascending byte order, as SPEC §3.5 requires; each
 * case lists them in that order. Optional keys are left out when absent. */

static void k(msgpack_packer *pk, const char *key)
{
    msgpack_pack_str_with_body(pk, key, strlen(key));
}

/* A missing string is written empty: the decode check in pl_body_encode
 * then refuses it as PL_E_BODY rather than crash here. */
static void s(msgpack_packer *pk, const char *v)
{
    if (v == NULL)
        v = "";
    msgpack_pack_str_with_body(pk, v, strlen(v));
}

static void b32(msgpack_packer *pk, const uint8_t *v)
{
    msgpack_pack_bin_with_body(pk, v, 32);
}

static void participants_enc(msgpack_packer *pk, const pl_participant *p, size_t n)
{
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++) {
        msgpack_pack_map(pk, 3 + (p[i].has_id_hash != 0) + (p[i].capacity != PL_CAPACITY_NONE) +
                                 (p[i].licence != NULL) + (p[i].birth != 0) +
                                 (p[i].language != NULL) + (p[i].nationality[0] != '\0') +
                                 (p[i].has_accept != 0));
        if (p[i].has_accept)
            k(pk, "accept"), msgpack_pack_bin_with_body(pk, p[i].accept, PL_SIG_BYTES);
        if (p[i].birth != 0)
            k(pk, "birth"), msgpack_pack_uint32(pk, p[i].birth);
        if (p[i].capacity != PL_CAPACITY_NONE)
            k(pk, "capacity"), s(pk, pl_capacity_name(p[i].capacity));
        if (p[i].has_id_hash)
            k(pk, "id_hash"), b32(pk, p[i].id_hash);
        k(pk, "key"), b32(pk, p[i].key);
        if (p[i].language != NULL)
            k(pk, "language"), s(pk, p[i].language);
        if (p[i].licence != NULL)
            k(pk, "licence"), s(pk, p[i].licence);
        k(pk, "name"), s(pk, p[i].name ? p[i].name : "");
        if (p[i].nationality[0] != '\0')
            k(pk, "nationality"), msgpack_pack_str_with_body(pk, p[i].nationality, strnlen(p[i].nationality, 3));
        k(pk, "role"), s(pk, pl_role_name(p[i].role));
    }
}

static int encode_obj(const pl_body *b, pl_packbuf *pb)
{
    msgpack_packer *pk = &pb->pk;
    switch (b->type) {
    case PL_T_CHARTER:
        msgpack_pack_map(pk, 3 + (b->u.charter.npool > 0) + (b->u.charter.has_deadline != 0) +
                                 (b->u.charter.closed != PL_CLOSED_NONE) +
                                 (b->u.charter.language != NULL));
        k(pk, "case_nonce"), b32(pk, b->u.charter.case_nonce);
        if (b->u.charter.closed != PL_CLOSED_NONE)
            k(pk, "closed"), s(pk, pl_closed_name(b->u.charter.closed));
        if (b->u.charter.has_deadline)
            k(pk, "deadline"), msgpack_pack_uint64(pk, b->u.charter.deadline_ms);
        if (b->u.charter.language != NULL)
            k(pk, "language"), s(pk, b->u.charter.language);
        k(pk, "participants");
        participants_enc(pk, b->u.charter.participants, b->u.charter.nparticipants);
        if (b->u.charter.npool) {
            k(pk, "pool"), msgpack_pack_array(pk, b->u.charter.npool);
            for (size_t i = 0; i < b->u.charter.npool; i++)
                b32(pk, b->u.charter.pool[i]);
        }
        k(pk, "title"), s(pk, b->u.charter.title);
        break;
    case PL_T_JOIN:
        msgpack_pack_map(pk, b->u.join.has_identity ? 4 : 1);
        k(pk, "charter"), b32(pk, b->u.join.charter);
        if (b->u.join.has_identity) {
            k(pk, "id_hash"), b32(pk, b->u.join.id_hash);
            k(pk, "name"), s(pk, b->u.join.name ? b->u.join.name : "");
            k(pk, "session"), b32(pk, b->u.join.session);
        }
        break;
    case PL_T_PARTICIPANTS:
        msgpack_pack_map(pk, (b->u.participants.nadd > 0) + (b->u.participants.nremove > 0));
        if (b->u.participants.nadd) {
            k(pk, "add");
            participants_enc(pk, b->u.participants.add, b->u.participants.nadd);
        }
        if (b->u.participants.nremove) {
            k(pk, "remove"), msgpack_pack_array(pk, b->u.participants.nremove);
            for (size_t i = 0; i < b->u.participants.nremove; i++)
                b32(pk, b->u.participants.remove[i]);
        }
        break;
    case PL_T_KEY_ROTATE:
        msgpack_pack_map(pk, 1);
        k(pk, "new"), b32(pk, b->u.key_rotate.new_key);
        break;
    case PL_T_KEY_REPLACE:
        msgpack_pack_map(pk, 2 + (b->u.key_replace.has_accept != 0) +
                                 (b->u.key_replace.has_session != 0));
        if (b->u.key_replace.has_accept)
            k(pk, "accept"), msgpack_pack_bin_with_body(pk, b->u.key_replace.accept, 64);
        k(pk, "new"), b32(pk, b->u.key_replace.new_key);
        k(pk, "old"), b32(pk, b->u.key_replace.old_key);
        if (b->u.key_replace.has_session)
            k(pk, "session"), b32(pk, b->u.key_replace.session);
        break;
    case PL_T_DRAW_COMMIT:
    case PL_T_DRAW_REVEAL:
        msgpack_pack_map(pk, 2);
        k(pk, b->type == PL_T_DRAW_COMMIT ? "commit" : "reveal"), b32(pk, b->u.draw.value);
        k(pk, "round"), msgpack_pack_uint64(pk, b->u.draw.round);
        break;
    case PL_T_OFFER: {
        msgpack_pack_map(pk, b->u.offer.has_answers ? 2 : 1);
        if (b->u.offer.has_answers)
            k(pk, "answers"), b32(pk, b->u.offer.answers);
        k(pk, "terms");
        /* The terms arrive already canonical (SPEC §15.1); copy them in. */
        int needs, minor; /* the decoded field only: the terms bytes hold it */
        if (b->u.offer.terms == NULL ||
            terms_check(b->u.offer.terms, b->u.offer.terms_len, &needs, &minor, NULL) != PL_OK)
            return PL_E_ARG;
        if (msgpack_sbuffer_write(&pb->sb, (const char *)b->u.offer.terms, b->u.offer.terms_len) != 0)
            pb->failed = 1;
        break;
    }
    case PL_T_OPINION:
        msgpack_pack_map(pk, 2 + (b->u.opinion.has_regarding != 0) + (b->u.opinion.has_amount != 0));
        if (b->u.opinion.has_amount)
            k(pk, "amount"), msgpack_pack_uint64(pk, b->u.opinion.amount);
        if (b->u.opinion.has_regarding)
            k(pk, "regarding"), b32(pk, b->u.opinion.regarding);
        k(pk, "text"), s(pk, b->u.opinion.text);
        k(pk, "topic"), s(pk, pl_topic_name(b->u.opinion.topic));
        break;
    case PL_T_RESPONSE:
        msgpack_pack_map(pk, 3);
        k(pk, "answers"), b32(pk, b->u.response.answers);
        k(pk, "decision"), s(pk, pl_decision_name(b->u.response.decision));
        k(pk, "reasons"), s(pk, b->u.response.reasons);
        break;
    case PL_T_SIGN:
        msgpack_pack_map(pk, 2 + (b->u.sign.has_dissent != 0) + (b->u.sign.has_session != 0) +
                                 (b->u.sign.witness != 0));
        if (b->u.sign.has_dissent)
            k(pk, "dissent"), b32(pk, b->u.sign.dissent);
        k(pk, "offer"), b32(pk, b->u.sign.offer);
        if (b->u.sign.has_session)
            k(pk, "session"), b32(pk, b->u.sign.session);
        k(pk, "terms_hash"), b32(pk, b->u.sign.terms_hash);
        if (b->u.sign.witness) {
            k(pk, "witness");
            msgpack_pack_true(pk);
        }
        break;
    case PL_T_DISCLOSE:
        msgpack_pack_map(pk, 1);
        k(pk, "items"), msgpack_pack_array(pk, b->u.disclose.nitems);
        for (size_t i = 0; i < b->u.disclose.nitems; i++) {
            msgpack_pack_map(pk, 3);
            k(pk, "hash"), b32(pk, b->u.disclose.items[i].hash);
            k(pk, "size"), msgpack_pack_uint64(pk, b->u.disclose.items[i].size);
            k(pk, "title"), s(pk, b->u.disclose.items[i].title);
        }
        break;
    case PL_T_DISCLOSE_ACK:
        msgpack_pack_map(pk, 1);
        k(pk, "disclosure"), b32(pk, b->u.disclose_ack.disclosure);
        break;
    case PL_T_SESSION_PROPOSE: {
        const char *mode = (unsigned)b->u.session_propose.mode < COUNT(mode_names)
                               ? mode_names[b->u.session_propose.mode]
                               : NULL;
        if (mode == NULL)
            return PL_E_ARG;
        msgpack_pack_map(pk, 5);
        k(pk, "detention_facility");
        b->u.session_propose.detention_facility ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
        k(pk, "mode"), s(pk, mode);
        k(pk, "public");
        b->u.session_propose.public_ok ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
        k(pk, "time"), msgpack_pack_uint64(pk, b->u.session_propose.time_ms);
        k(pk, "venue"), s(pk, b->u.session_propose.venue);
        break;
    }
    case PL_T_SESSION_ACCEPT:
        msgpack_pack_map(pk, 2);
        k(pk, "proposal"), b32(pk, b->u.session_answer.proposal);
        k(pk, "public");
        b->u.session_answer.public_ok ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
        break;
    case PL_T_SESSION_DECLINE:
        msgpack_pack_map(pk, 2);
        k(pk, "proposal"), b32(pk, b->u.session_answer.proposal);
        k(pk, "reasons"), s(pk, b->u.session_answer.reasons);
        break;
    case PL_T_RECORDING:
        msgpack_pack_map(pk, 4);
        k(pk, "hash"), b32(pk, b->u.recording.hash);
        k(pk, "media"), s(pk, b->u.recording.media);
        k(pk, "session"), b32(pk, b->u.recording.session);
        k(pk, "size"), msgpack_pack_uint64(pk, b->u.recording.size);
        break;
    case PL_T_OBSERVATION:
        msgpack_pack_map(pk, b->u.observation.has_regarding ? 2 : 1);
        if (b->u.observation.has_regarding)
            k(pk, "regarding"), b32(pk, b->u.observation.regarding);
        k(pk, "text"), s(pk, b->u.observation.text);
        break;
    case PL_T_ATTESTATION:
        msgpack_pack_map(pk, b->u.attestation.note ? 1 : 0);
        if (b->u.attestation.note)
            k(pk, "note"), s(pk, b->u.attestation.note);
        break;
    case PL_T_WITHDRAW:
        msgpack_pack_map(pk, b->u.withdraw.has_offer ? 2 : 1);
        if (b->u.withdraw.has_offer)
            k(pk, "offer"), b32(pk, b->u.withdraw.offer);
        k(pk, "reasons"), s(pk, b->u.withdraw.reasons);
        break;
    case PL_T_CLOSE:
        msgpack_pack_map(pk, b->u.close.reasons ? 1 : 0);
        if (b->u.close.reasons)
            k(pk, "reasons"), s(pk, b->u.close.reasons);
        break;
    case PL_T_RETRACT:
        msgpack_pack_map(pk, 2);
        k(pk, "reasons"), s(pk, b->u.retract.reasons);
        k(pk, "stage"), s(pk, pl_stage_name(b->u.retract.stage));
        break;
    case PL_T_COURT_ADJUST:
        msgpack_pack_map(pk, 4);
        k(pk, "court"), s(pk, b->u.court_adjust.court);
        k(pk, "document"), b32(pk, b->u.court_adjust.document);
        k(pk, "ground"), s(pk, pl_court_ground_name(b->u.court_adjust.ground));
        k(pk, "text"), s(pk, b->u.court_adjust.text);
        break;
    case PL_T_NOTICE:
        msgpack_pack_map(pk, 3);
        k(pk, "document"), b32(pk, b->u.notice.document);
        k(pk, "language"), s(pk, b->u.notice.language);
        k(pk, "withdrawal"), s(pk, b->u.notice.withdrawal);
        break;
    case PL_T_NOTICE_ACK:
        msgpack_pack_map(pk, 1);
        k(pk, "notice"), b32(pk, b->u.notice_ack.notice);
        break;
    case PL_T_REOPEN:
        msgpack_pack_map(pk, b->u.reopen.has_request ? 4 : 3);
        k(pk, "document"), b32(pk, b->u.reopen.document);
        k(pk, "ground"), s(pk, pl_reopen_ground_name(b->u.reopen.ground));
        k(pk, "reasons"), s(pk, b->u.reopen.reasons);
        if (b->u.reopen.has_request)
            k(pk, "request"), b32(pk, b->u.reopen.request);
        break;
    case PL_T_JUDGMENT:
        msgpack_pack_map(pk, 4);
        k(pk, "adopted");
        b->u.judgment.adopted ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
        k(pk, "court"), s(pk, b->u.judgment.court);
        k(pk, "document"), b32(pk, b->u.judgment.document);
        k(pk, "time"), msgpack_pack_uint64(pk, b->u.judgment.time_ms);
        break;
    case PL_T_SETTLEMENT_WITHDRAW:
        msgpack_pack_map(pk, 2);
        k(pk, "reasons"), s(pk, b->u.settlement_withdraw.reasons);
        k(pk, "settlement"), b32(pk, b->u.settlement_withdraw.settlement);
        break;
    case PL_T_CONSENT:
        msgpack_pack_map(pk, b->u.consent.reasons ? 4 : 3);
        k(pk, "agrees");
        b->u.consent.agrees ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
        k(pk, "offer"), b32(pk, b->u.consent.offer);
        if (b->u.consent.reasons)
            k(pk, "reasons"), s(pk, b->u.consent.reasons);
        k(pk, "session"), b32(pk, b->u.consent.session);
        break;
    case PL_T_PUBLICITY:
        msgpack_pack_map(pk, 2);
        k(pk, "proposal"), b32(pk, b->u.publicity.proposal);
        k(pk, "public");
        b->u.publicity.public_ok ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
        break;
    case PL_T_INTERPRETATION:
        msgpack_pack_map(pk, 3);
        k(pk, "language"), s(pk, b->u.interpretation.language);
        k(pk, "offer"), b32(pk, b->u.interpretation.offer);
        k(pk, "session"), b32(pk, b->u.interpretation.session);
        break;
    case PL_T_SETTLEMENT:
        msgpack_pack_map(pk, b->u.settlement.has_accepts ? 6 : 5);
        if (b->u.settlement.has_accepts)
            k(pk, "accepts"), b32(pk, b->u.settlement.accepts);
        k(pk, "agreed"), msgpack_pack_uint64(pk, b->u.settlement.agreed);
        k(pk, "document"), b32(pk, b->u.settlement.document);
        k(pk, "forgiveness");
        b->u.settlement.forgiveness ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
        k(pk, "kind"), s(pk, pl_settlement_kind_name(b->u.settlement.kind));
        k(pk, "paid"), msgpack_pack_uint64(pk, b->u.settlement.paid);
        break;
    default:
        return PL_E_MSG_TYPE;
    }
    return pb->failed ? PL_E_NOMEM : PL_OK;
}

int pl_body_encode(const pl_body *b, uint8_t *out, size_t cap, size_t *out_len)
{
    pl_packbuf pb;
    int rc;
    if (b == NULL || out == NULL || out_len == NULL)
        return PL_E_ARG;
    *out_len = 0;
    pl_packbuf_init(&pb);
    rc = encode_obj(b, &pb);
    if (rc == PL_OK) {
        /* Whatever the caller filled in, what leaves here decodes: the same
         * checks a receiver runs (SPEC §13.5). */
        pl_body check;
        rc = pl_body_decode(b->type, (const uint8_t *)pb.sb.data, pb.sb.size, &check);
        pl_body_free(&check);
        if (rc == PL_OK && pb.sb.size > cap)
            rc = PL_E_BUFSIZE;
        if (rc == PL_OK) {
            memcpy(out, pb.sb.data, pb.sb.size);
            *out_len = pb.sb.size;
        }
    }
    pl_packbuf_free(&pb);
    return rc;
}
