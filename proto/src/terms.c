/* Sentencing terms (SPEC §15): decoding, canonical encoding, the statutory
 * checks, the terms hash, and the renderings for people.
 *
 * Decoding runs in the order of SPEC §15.6: size, the bounded walk of
 * SPEC §3 (so msgpack-c only sees bytes whose every claimed count is backed by
 * input), the fields of SPEC §15.2 in key order, then the statutory checks of
 * SPEC §15.4 in table order. pl_terms_validate runs the same field and
 * statutory checks on a struct, so the node, the CLI (which builds terms from
 * what a person typed) and a receiver all refuse the same terms with the same
 * code. Every refusal also fills a pl_terms_problem whose detail names the
 * rule and quotes the offending value, since it is read by lawyers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* SPEC §15.3: the context string of the terms hash. */
static const uint8_t terms_ctx[] = "parley/v2/terms"; /* NUL included: 16 bytes */
_Static_assert(sizeof terms_ctx == 16, "SPEC §15.3: the context is 16 bytes");

/* ---- names ------------------------------------------------------------- */

struct kind_info {
    const char *wire;  /* wire name, SPEC §15.2 */
    const char *text;  /* for people */
    int months;        /* 1 if the penalty has a term in months */
    uint64_t lo, hi;   /* limits for one crime */
    uint64_t hi_comb;  /* upper limit for several crimes (art. 69) */
    const char *basis; /* the article that sets lo and hi */
    int code;          /* the error of SPEC §15.4 for its limits */
};

static const struct kind_info kinds[] = {
    [PL_PENALTY_EXEMPTION] = {"exemption", "exemption from criminal punishment", 0, 0, 0, 0,
                              "Criminal Law art. 37", 0},
    [PL_PENALTY_SURVEILLANCE] = {"surveillance", "public surveillance", 1, 3, 24, 36,
                                 "Criminal Law art. 38", PL_E_TERMS_SURVEILLANCE},
    [PL_PENALTY_DETENTION] = {"detention", "criminal detention", 1, 1, 6, 12,
                              "Criminal Law art. 42", PL_E_TERMS_DETENTION},
    [PL_PENALTY_IMPRISONMENT] = {"imprisonment", "fixed-term imprisonment", 1, 6, 180, 240,
                                 "Criminal Law art. 45", PL_E_TERMS_IMPRISONMENT},
    [PL_PENALTY_LIFE] = {"life", "life imprisonment", 0, 0, 0, 0, "Criminal Law art. 33", 0},
    [PL_PENALTY_ADDITIONAL] = {"additional", "additional penalties alone", 0, 0, 0, 0,
                               "Criminal Law arts. 34, 35", 0},
};
#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

/* SPEC §15.4: art. 69's upper limit for imprisonment when the individual
 * terms total 420 months (35 years) or more. */
#define IMPRISONMENT_HI_COMB_LONG 300u
#define IMPRISONMENT_LONG_SUM 420u
/* SPEC §15.4: arts. 72, 73, 55, and CPL art. 222. */
#define PROBATION_MAX_IMPRISONMENT 36u
#define PROBATION_DETENTION_MIN 2u
#define PROBATION_DETENTION_MAX 12u
#define PROBATION_IMPRISONMENT_MIN 12u
#define PROBATION_IMPRISONMENT_MAX 60u
#define POLITICAL_RIGHTS_MIN 12u
#define POLITICAL_RIGHTS_MAX 60u
#define SPEEDY_MAX_IMPRISONMENT 36u
#define GROUNDS_MAX 6u

static const char *const procedure_wire[] = {
    [PL_PROCEDURE_SPEEDY] = "speedy",
    [PL_PROCEDURE_SUMMARY] = "summary",
    [PL_PROCEDURE_ORDINARY] = "ordinary",
};
static const char *const procedure_text[] = {
    [PL_PROCEDURE_SPEEDY] = "speedy trial",
    [PL_PROCEDURE_SUMMARY] = "summary procedure",
    [PL_PROCEDURE_ORDINARY] = "ordinary procedure",
};
#define NPROCEDURES ((int)(sizeof procedure_wire / sizeof procedure_wire[0]))

static const char *const confiscation_wire[] = {
    [PL_CONFISCATION_PART] = "part",
    [PL_CONFISCATION_ALL] = "all",
};
static const char *const confiscation_text[] = {
    [PL_CONFISCATION_PART] = "part of the property",
    [PL_CONFISCATION_ALL] = "all property",
};
#define NCONFISCATIONS ((int)(sizeof confiscation_wire / sizeof confiscation_wire[0]))

/* SPEC §15.2 (v2): the impairments, in the wire order of their bits. */
#define IMPAIRMENTS_MAX 4u
static const char *const impairment_wire[IMPAIRMENTS_MAX] = {"blind", "deaf", "mute",
                                                              "partial_mental"};

/* In bit order, which is ascending bytewise order (SPEC §15.2). */
static const char *const ground_wire[GROUNDS_MAX] = {
    "compensation", "confession", "forgiveness", "other", "restitution", "surrender",
};

const char *pl_penalty_kind_name(int kind)
{
    return kind > 0 && kind < NKINDS ? kinds[kind].wire : NULL;
}

const char *pl_procedure_name(int procedure)
{
    return procedure > 0 && procedure < NPROCEDURES ? procedure_wire[procedure] : NULL;
}

/* The word of one bit of a set of names (NULL for another value). */
static const char *bit_name(const char *const *names, unsigned count, unsigned bit)
{
    for (unsigned i = 0; i < count; i++)
        if (bit == 1u << i)
            return names[i];
    return NULL;
}

const char *pl_ground_name(unsigned ground_bit)
{
    return bit_name(ground_wire, GROUNDS_MAX, ground_bit);
}

const char *pl_impairment_name(unsigned impairment_bit)
{
    return bit_name(impairment_wire, IMPAIRMENTS_MAX, impairment_bit);
}

static int lookup(const char *const *names, int n, const char *s, size_t len)
{
    for (int i = 1; i < n; i++)
        if (names[i] != NULL && strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return 0;
}

static int kind_lookup(const char *s, size_t len)
{
    for (int i = 1; i < NKINDS; i++)
        if (strlen(kinds[i].wire) == len && memcmp(kinds[i].wire, s, len) == 0)
            return i;
    return 0;
}

static int kind_valid(int kind)
{
    return kind > 0 && kind < NKINDS;
}

/* ---- text -------------------------------------------------------------- */

/* A bounded string builder: everything after an overflow is dropped and
 * remembered, so a caller checks once at the end. */
struct sbuf {
    char *p;
    size_t cap, len;
    int over;
};

static void sb_init(struct sbuf *b, char *p, size_t cap)
{
    b->p = p, b->cap = cap, b->len = 0, b->over = cap == 0;
    if (cap > 0)
        p[0] = '\0';
}

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->over)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= b->cap - b->len) {
        b->p[b->len] = '\0';
        b->over = 1;
        return;
    }
    b->len += (size_t)n;
}

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
    if (b->over)
        return;
    if (n >= b->cap - b->len) {
        b->over = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* One UTF-8 sequence at s[0..n) (RFC 3629, as SPEC §3.4): its length, or
 * 0 if it is not valid; *cp is the code point. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t need;
    uint32_t c = s[0], min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xe0) == 0xc0)
        need = 1, c &= 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0)
        need = 2, c &= 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0)
        need = 3, c &= 0x07, min = 0x10000;
    else
        return 0;
    if (n <= need)
        return 0;
    for (size_t k = 1; k <= need; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[k] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return need + 1;
}

/* SPEC §15.2: code points no terms string may hold. Controls could rewrite
 * what a terminal shows, and bidirectional embeddings, overrides and
 * isolates could make a court's display read differently from the bytes
 * that were signed. Tab and line feed are allowed where text has lines. */
static int cp_forbidden(uint32_t c, int multiline)
{
    if (c < 0x20)
        return !(multiline && (c == 0x09 || c == 0x0a));
    if (c >= 0x7f && c <= 0x9f)
        return 1;
    return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Appends s[0..n) for display on one line: at most max bytes of it, cut at a
 * character boundary and marked with an ellipsis; tab and line feed shown as
 * spaces; anything invalid or forbidden shown as U+FFFD. */
static void sb_text(struct sbuf *b, const char *s, size_t n, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_next(u + i, n - i, &cp);
        if (i + (k ? k : 1) > max) {
            sb_put(b, "\xe2\x80\xa6", 3);
            return;
        }
        if (k == 0 || (cp_forbidden(cp, 1)))
            sb_put(b, "\xef\xbf\xbd", 3);
        else if (cp == 0x09 || cp == 0x0a)
            sb_put(b, " ", 1);
        else
            sb_put(b, s + i, k);
        i += k ? k : 1;
    }
}

/* Appends s[0..n) in double quotes for an error message: at most max bytes,
 * bytes that are not valid UTF-8 as \xNN, forbidden code points as \u{N}. */
static void sb_quote(struct sbuf *b, const char *s, size_t n, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    sb_put(b, "\"", 1);
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_next(u + i, n - i, &cp);
        if (i + (k ? k : 1) > max) {
            sb_put(b, "\xe2\x80\xa6", 3);
            break;
        }
        if (k == 0)
            sb_printf(b, "\\x%02x", u[i]);
        else if (cp == '"' || cp == '\\')
            sb_printf(b, "\\%c", (char)cp);
        else if (cp_forbidden(cp, 0))
            sb_printf(b, "\\u{%x}", (unsigned)cp);
        else
            sb_put(b, s + i, k);
        i += k ? k : 1;
    }
    sb_put(b, "\"", 1);
}

/* A cut in the middle of a UTF-8 sequence at the end of s is removed. */
static void utf8_trim_tail(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80 && n - i < 3)
        i--;
    if (i > 0 && (unsigned char)s[i - 1] >= 0xc0) {
        uint32_t cp;
        if (utf8_next((const unsigned char *)s + i - 1, n - i + 1, &cp) != n - i + 1)
            s[i - 1] = '\0';
    }
}

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

/* "4,000.00 yuan" from an amount in fen; negative amounts (only ever read
 * from a peer, never stored) as "-0.01 yuan". */
static void sb_yuan(struct sbuf *b, int negative, uint64_t fen)
{
    char digits[24];
    uint64_t yuan = fen / 100;
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)yuan);
    if (negative)
        sb_put(b, "-", 1);
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            sb_put(b, ",", 1);
        sb_put(b, digits + i, 1);
    }
    sb_printf(b, ".%02u yuan", (unsigned)(fen % 100));
}

void pl_yuan_text(uint64_t fen, char out[PL_YUAN_TEXT_BYTES])
{
    struct sbuf b;
    sb_init(&b, out, PL_YUAN_TEXT_BYTES);
    sb_yuan(&b, 0, fen);
}

/* "7 months" or "5 to 7 months". */
static void sb_span(struct sbuf *b, uint64_t min, uint64_t max)
{
    if (min == max)
        sb_printf(b, "%llu month%s", (unsigned long long)max, plural(max));
    else
        sb_printf(b, "%llu to %llu months", (unsigned long long)min, (unsigned long long)max);
}

/* "criminal detention 2 months", "fixed-term imprisonment 8 to 12 months". */
static void sb_penalty(struct sbuf *b, const pl_penalty *p)
{
    if (!kind_valid(p->kind)) {
        sb_printf(b, "unknown penalty (kind %d)", (int)p->kind);
        return;
    }
    sb_printf(b, "%s", kinds[p->kind].text);
    if (kinds[p->kind].months) {
        sb_put(b, " ", 1);
        sb_span(b, p->min, p->max);
    }
}

/* "48 months of fixed-term imprisonment", "life imprisonment": what the
 * terms have, in an error message. */
static void sb_penalty_of(struct sbuf *b, const pl_penalty *p)
{
    if (kind_valid(p->kind) && kinds[p->kind].months) {
        sb_span(b, p->min, p->max);
        sb_printf(b, " of %s", kinds[p->kind].text);
    } else {
        sb_penalty(b, p);
    }
}

/* ---- problems ---------------------------------------------------------- */

static void problem_clear(pl_terms_problem *why)
{
    if (why != NULL) {
        why->code = PL_OK;
        why->section = "15";
        why->basis = "";
        why->detail[0] = '\0';
    }
}

/* Records the problem and returns its code. The detail is one sentence: the
 * rule, its legal basis, and the offending value. */
__attribute__((format(printf, 4, 5))) static int fail(pl_terms_problem *why, int code,
                                                      const char *basis, const char *fmt, ...)
{
    if (why != NULL) {
        va_list ap;
        why->code = code;
        why->section = pl_errsection(code);
        why->basis = basis;
        va_start(ap, fmt);
        vsnprintf(why->detail, sizeof why->detail, fmt, ap);
        va_end(ap);
        utf8_trim_tail(why->detail);
    }
    return code;
}

/* A detail built with an sbuf (for quoted strings and amounts). */
static int fail_sb(pl_terms_problem *why, int code, const char *basis, const struct sbuf *b)
{
    return fail(why, code, basis, "%s", b->p);
}

static const char *type_name(const msgpack_object *o)
{
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return "nil";
    case MSGPACK_OBJECT_BOOLEAN:
        return o->via.boolean ? "true" : "false";
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return "an integer";
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return "a negative integer";
    case MSGPACK_OBJECT_STR:
        return "a string";
    case MSGPACK_OBJECT_BIN:
        return "binary data";
    case MSGPACK_OBJECT_ARRAY:
        return "an array";
    case MSGPACK_OBJECT_MAP:
        return "a map";
    default:
        return "a value of another type";
    }
}

/* ---- field checks shared by decode and validate (SPEC §15.2) ------------- */

/* SPEC §15.2: a str of min..max bytes without forbidden code points. */
static int check_text(const char *s, size_t n, size_t min, size_t max, int multiline,
                      const char *path, pl_terms_problem *why)
{
    if (n < min)
        return fail(why, PL_E_TERMS_SCHEMA, "", "\"%s\" is empty; it must hold 1 to %zu bytes",
                    path, max);
    if (n > max)
        return fail(why, PL_E_TERMS_SCHEMA, "",
                    "\"%s\" is %zu bytes long; at most %zu bytes are allowed", path, n, max);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_next(u + i, n - i, &cp);
        if (k == 0)
            return fail(why, PL_E_TERMS_SCHEMA, "", "\"%s\" is not valid UTF-8 at byte %zu", path,
                        i);
        if (cp_forbidden(cp, multiline))
            return fail(why, PL_E_TERMS_SCHEMA, "",
                        "\"%s\" contains U+%04X at byte %zu, a control or bidirectional "
                        "formatting character; %s",
                        path, (unsigned)cp, i,
                        multiline ? "of those only tab and line feed are allowed"
                                  : "it must be one line of printable text");
        i += k;
    }
    return PL_OK;
}

/* The length of a struct's string, or max + 1 when it is not terminated
 * within its array. */
static size_t field_len(const char *s, size_t max)
{
    return strnlen(s, max + 1);
}

static int check_flag(int v, const char *path, pl_terms_problem *why)
{
    if (v != 0 && v != 1)
        return fail(why, PL_E_TERMS_SCHEMA, "", "\"%s\" is %d; it must be 0 or 1", path, v);
    return PL_OK;
}

/* The individual terms of art. 69: whether all charges give one, their sum
 * (saturating), and the longest with its charge number. */
struct terms_sum {
    size_t given;
    uint64_t sum, longest;
    size_t longest_at;
};

static struct terms_sum charge_terms(const pl_terms *t)
{
    struct terms_sum s = {0, 0, 0, 0};
    size_t n = t->ncharges < PL_TERMS_MAX_CHARGES ? t->ncharges : PL_TERMS_MAX_CHARGES;
    for (size_t i = 0; i < n; i++) {
        if (!t->charges[i].has_term)
            continue;
        uint64_t v = t->charges[i].term;
        s.given++;
        s.sum = s.sum + v < s.sum ? UINT64_MAX : s.sum + v;
        if (v > s.longest || s.longest_at == 0)
            s.longest = v, s.longest_at = i + 1;
    }
    return s;
}

/* SPEC §15.2, on a struct: what decoding checks while it reads the fields,
 * in key order, so that validate and decode give the same first error. */
static int check_fields(const pl_terms *t, pl_terms_problem *why)
{
    char path[48];
    int rc;

    if (t->ncharges == 0)
        return fail(why, PL_E_TERMS_CHARGES, "CPL art. 15",
                    "the terms name no charge; at least one charge is required");
    if (t->ncharges > PL_TERMS_MAX_CHARGES)
        return fail(why, PL_E_TERMS_CHARGES, "CPL art. 15",
                    "the terms name %zu charges; at most %d are allowed", t->ncharges,
                    PL_TERMS_MAX_CHARGES);
    for (size_t i = 0; i < t->ncharges; i++) {
        const pl_charge *c = &t->charges[i];
        snprintf(path, sizeof path, "charges[%zu].article", i + 1);
        if ((rc = check_text(c->article, field_len(c->article, PL_TERMS_ARTICLE_MAX), 1,
                             PL_TERMS_ARTICLE_MAX, 0, path, why)) != PL_OK)
            return rc;
        snprintf(path, sizeof path, "charges[%zu].name", i + 1);
        if ((rc = check_text(c->name, field_len(c->name, PL_TERMS_NAME_MAX), 1, PL_TERMS_NAME_MAX,
                             0, path, why)) != PL_OK)
            return rc;
        snprintf(path, sizeof path, "charges[%zu].has_term", i + 1);
        if ((rc = check_flag(c->has_term, path, why)) != PL_OK)
            return rc;
    }
    if ((int)t->confiscation < 0 || (int)t->confiscation >= NCONFISCATIONS)
        return fail(why, PL_E_TERMS_CONFISCATION, "Criminal Law art. 59",
                    "confiscation has the unknown value %d; it must be part or all of the "
                    "property",
                    (int)t->confiscation);
    if ((rc = check_flag(t->deportation, "deportation", why)) != PL_OK)
        return rc;
    if ((rc = check_text(t->facts, field_len(t->facts, PL_TERMS_FACTS_MAX), 1, PL_TERMS_FACTS_MAX,
                         1, "facts", why)) != PL_OK)
        return rc;
    if ((rc = check_flag(t->has_fine, "has_fine", why)) != PL_OK)
        return rc;
    if ((t->grounds & ~PL_GROUND_ALL) != 0)
        return fail(why, PL_E_TERMS_GROUNDS, "", "the leniency grounds hold the unknown bits 0x%x",
                    t->grounds & ~PL_GROUND_ALL);
    if ((t->impairment & ~PL_IMPAIRMENT_ALL) != 0)
        return fail(why, PL_E_TERMS_SCHEMA, "", "the impairments hold the unknown bits 0x%x",
                    t->impairment & ~PL_IMPAIRMENT_ALL);
    size_t gl = field_len(t->grounds_text, PL_TERMS_GROUNDS_TEXT_MAX);
    if (gl > 0 && (rc = check_text(t->grounds_text, gl, 1, PL_TERMS_GROUNDS_TEXT_MAX, 1,
                                   "grounds_text", why)) != PL_OK)
        return rc;
    size_t pl = field_len(t->prohibition, PL_TERMS_PROHIBITION_MAX);
    if (pl > 0 && (rc = check_text(t->prohibition, pl, 1, PL_TERMS_PROHIBITION_MAX, 0,
                                   "prohibition", why)) != PL_OK)
        return rc;
    size_t ol = field_len(t->occupation_ban, PL_TERMS_OCCUPATION_MAX);
    if (ol > 0 && (rc = check_text(t->occupation_ban, ol, 1, PL_TERMS_OCCUPATION_MAX, 0,
                                   "occupation_ban", why)) != PL_OK)
        return rc;
    /* SPEC §15.2: months go with a text (in a struct, months of 0 are
     * absent; a text with none is row 17's or 18's, as on the wire) */
    if (pl == 0 && t->prohibition_months > 0)
        return fail(why, PL_E_TERMS_SCHEMA, "", "\"prohibition\" and \"prohibition_months\" come "
                                                "together or not at all");
    if (ol == 0 && t->occupation_ban_months > 0)
        return fail(why, PL_E_TERMS_SCHEMA, "", "\"occupation_ban\" and "
                                                "\"occupation_ban_months\" come together or not at "
                                                "all");
    if (!kind_valid(t->penalty.kind))
        return fail(why, PL_E_TERMS_PENALTY_KIND, "Criminal Law arts. 33, 37",
                    "the main penalty has the unknown kind %d; it must be exemption, "
                    "surveillance, detention, imprisonment or life",
                    (int)t->penalty.kind);
    if (!kinds[t->penalty.kind].months && (t->penalty.min != 0 || t->penalty.max != 0))
        return fail(why, PL_E_TERMS_SCHEMA, "",
                    "%s has no term, but the penalty gives %llu to %llu months",
                    kinds[t->penalty.kind].text, (unsigned long long)t->penalty.min,
                    (unsigned long long)t->penalty.max);
    if ((rc = check_flag(t->has_political_rights, "has_political_rights", why)) != PL_OK ||
        (rc = check_flag(t->has_probation, "has_probation", why)) != PL_OK)
        return rc;
    if (pl_procedure_name(t->procedure) == NULL)
        return fail(why, PL_E_TERMS_PROCEDURE, "CPL arts. 214, 222",
                    "the trial procedure has the unknown value %d; it must be speedy, summary "
                    "or ordinary",
                    (int)t->procedure);
    if ((rc = check_flag(t->recidivist, "recidivist", why)) != PL_OK ||
        (rc = check_flag(t->ringleader, "ringleader", why)) != PL_OK ||
        (rc = check_flag(t->minor, "minor", why)) != PL_OK)
        return rc;
    return PL_OK;
}

/* ---- the charge catalogue (SPEC §15.7) ---------------------------------- */

/* Each sentencing bracket of the articles the catalogue lists: its
 * number in the article, the crime of the article it belongs to (the
 * brackets of one crime run from the lightest), the main penalties it
 * allows (bits of 1 << kind; E_ exemption), the ceiling of imprisonment in
 * months, and the additional penalty it allows alone. The same rows as
 * the spec's table (tests/tools/check_schema.py compares them). */
#define E_ (1u << PL_PENALTY_EXEMPTION)
#define S_ (1u << PL_PENALTY_SURVEILLANCE)
#define D_ (1u << PL_PENALTY_DETENTION)
#define I_ (1u << PL_PENALTY_IMPRISONMENT)
#define L_ (1u << PL_PENALTY_LIFE)
#define A_FINE 1u   /* 单处罚金 */
#define A_RIGHTS 2u /* 单处剥夺政治权利 (with the fine the article adds) */
#define ART_ "Criminal Law art. " /* each row's article, written as its basis */
static const struct bracket {
    const char *article; /* ART_ and the article, e.g. ART_ "234" */
    unsigned n, crime, kinds;
    uint64_t ceiling;
    unsigned alone;
} catalogue[] = {
    {ART_ "133", 1, 1, E_ | I_ | D_, 36, 0},
    {ART_ "133", 2, 1, E_ | I_, 84, 0},
    {ART_ "133", 3, 1, E_ | I_, 180, 0},
    {ART_ "133-1", 1, 1, E_ | D_, 0, 0},
    {ART_ "196", 1, 1, E_ | I_ | D_, 60, 0},
    {ART_ "196", 2, 1, E_ | I_, 120, 0},
    {ART_ "196", 3, 1, E_ | I_ | L_, 180, 0},
    {ART_ "225", 1, 1, E_ | I_ | D_, 60, A_FINE},
    {ART_ "225", 2, 1, E_ | I_, 180, 0},
    {ART_ "234", 1, 1, E_ | I_ | D_ | S_, 36, 0},
    {ART_ "234", 2, 1, E_ | I_, 120, 0},
    {ART_ "234", 3, 1, E_ | I_ | L_, 180, 0},
    {ART_ "236", 1, 1, E_ | I_, 120, 0},
    {ART_ "236", 2, 1, E_ | I_ | L_, 180, 0},
    {ART_ "263", 1, 1, E_ | I_, 120, 0},
    {ART_ "263", 2, 1, E_ | I_ | L_, 180, 0},
    {ART_ "264", 1, 1, E_ | I_ | D_ | S_, 36, A_FINE},
    {ART_ "264", 2, 1, E_ | I_, 120, 0},
    {ART_ "264", 3, 1, E_ | I_ | L_, 180, 0},
    {ART_ "266", 1, 1, E_ | I_ | D_ | S_, 36, A_FINE},
    {ART_ "266", 2, 1, E_ | I_, 120, 0},
    {ART_ "266", 3, 1, E_ | I_ | L_, 180, 0},
    {ART_ "267", 1, 1, E_ | I_ | D_ | S_, 36, A_FINE},
    {ART_ "267", 2, 1, E_ | I_, 120, 0},
    {ART_ "267", 3, 1, E_ | I_ | L_, 180, 0},
    {ART_ "271", 1, 1, E_ | I_ | D_, 36, 0},
    {ART_ "271", 2, 1, E_ | I_, 120, 0},
    {ART_ "271", 3, 1, E_ | I_ | L_, 180, 0},
    {ART_ "272", 1, 1, E_ | I_ | D_, 36, 0},
    {ART_ "272", 2, 1, E_ | I_, 84, 0},
    {ART_ "272", 3, 1, E_ | I_, 180, 0},
    {ART_ "277", 1, 1, E_ | I_ | D_ | S_, 36, A_FINE},
    {ART_ "277", 2, 2, E_ | I_ | D_ | S_, 36, 0},
    {ART_ "277", 3, 2, E_ | I_, 84, 0},
    {ART_ "280", 1, 1, E_ | I_ | D_ | S_, 36, A_RIGHTS},
    {ART_ "280", 2, 1, E_ | I_, 120, 0},
    {ART_ "280", 3, 2, E_ | I_ | D_ | S_, 36, A_RIGHTS},
    {ART_ "280", 4, 3, E_ | I_ | D_ | S_, 36, A_RIGHTS},
    {ART_ "280", 5, 3, E_ | I_, 84, 0},
    {ART_ "287-2", 1, 1, E_ | I_ | D_, 36, A_FINE},
    {ART_ "293", 1, 1, E_ | I_ | D_ | S_, 60, 0},
    {ART_ "293", 2, 1, E_ | I_, 120, 0},
    {ART_ "303", 1, 1, E_ | I_ | D_ | S_, 36, 0},
    {ART_ "303", 2, 2, E_ | I_ | D_ | S_, 60, 0},
    {ART_ "303", 3, 2, E_ | I_, 120, 0},
    {ART_ "312", 1, 1, E_ | I_ | D_ | S_, 36, A_FINE},
    {ART_ "312", 2, 1, E_ | I_, 84, 0},
    {ART_ "347", 1, 1, I_ | D_ | S_, 36, 0},
    {ART_ "347", 2, 1, I_, 84, 0},
    {ART_ "347", 3, 1, I_, 180, 0},
    {ART_ "347", 4, 1, I_ | L_, 180, 0},
    {ART_ "348", 1, 1, E_ | I_ | D_ | S_, 36, 0},
    {ART_ "348", 2, 1, E_ | I_, 84, 0},
    {ART_ "348", 3, 1, E_ | I_ | L_, 180, 0},
};
#undef E_
#undef S_
#undef D_
#undef I_
#undef L_

/* SPEC §15.4 row 19: the range of a charge — with a bracket, its crime's
 * brackets up to that one (kinds and alone-sets merged, that bracket's
 * ceiling); with bracket 0, every bracket of the article (the highest
 * ceiling). 0 when the catalogue does not list the article, -1 when it
 * has no such bracket; out->article is the basis to cite. */
static int article_range(const char *article, uint64_t bracket, struct bracket *out)
{
    const struct bracket *named = NULL;
    int listed = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++) {
        const struct bracket *r = &catalogue[i];
        if (strcmp(r->article + sizeof ART_ - 1, article) == 0) {
            listed = 1, out->article = r->article;
            if (bracket != 0 && r->n == bracket)
                named = r;
        }
    }
    if (!listed)
        return 0;
    if (bracket != 0 && named == NULL)
        return -1;
    for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++) {
        const struct bracket *r = &catalogue[i];
        if (strcmp(r->article, out->article) != 0 ||
            (named && (r->crime != named->crime || r->n > named->n)))
            continue;
        out->kinds |= r->kinds, out->alone |= r->alone;
        if (!named && r->ceiling > out->ceiling)
            out->ceiling = r->ceiling;
    }
    if (named)
        out->ceiling = named->ceiling;
    return 1;
}

/* ---- the statutory checks (SPEC §15.4), in table order ------------------- */

/* What every row of §15.4 reads of the terms, worked out once. */
struct law {
    const pl_terms *t;
    const pl_penalty *p;
    const struct kind_info *k;
    size_t nc;
    struct terms_sum ts;
};

/* One function per row (or rows) of SPEC §15.4, in the table's order; the
 * first violation is the one returned (SPEC §15.6). A new row of the table
 * is a function here and a line in law_rows[]. */

static int law_row1(const struct law *x, pl_terms_problem *why)
{
    const pl_penalty *p = x->p;
    const struct kind_info *k = x->k;
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    /* SPEC §15.4 row 1: a range runs upwards (2019 Guiding Opinions art. 33). */
    if (k->months && p->min > p->max) {
        sb_init(&b, buf, sizeof buf);
        sb_printf(&b,
                  "the penalty runs from %llu down to %llu months of %s; the minimum must "
                  "not exceed the maximum",
                  (unsigned long long)p->min, (unsigned long long)p->max, k->text);
        return fail_sb(why, PL_E_TERMS_PENALTY_RANGE, "2019 Guiding Opinions art. 33", &b);
    }
    return PL_OK;
}

static int law_row2(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const struct kind_info *k = x->k;
    const size_t nc = x->nc;
    /* Row 2: an individual term belongs to one of several crimes combined, in
     * the kind of the penalty, within that kind's limits for one crime. */
    for (size_t i = 0; i < nc; i++) {
        const pl_charge *c = &t->charges[i];
        if (!c->has_term)
            continue;
        if (nc < 2)
            return fail(why, PL_E_TERMS_CHARGE_TERM, "Criminal Law art. 69",
                        "charges[%zu] gives an individual term of %llu month%s, but individual "
                        "terms are given only when two or more crimes are combined",
                        i + 1, (unsigned long long)c->term, plural(c->term));
        if (!k->months)
            return fail(why, PL_E_TERMS_CHARGE_TERM, "Criminal Law art. 69",
                        "charges[%zu] gives an individual term of %llu month%s, but %s has no "
                        "term to combine",
                        i + 1, (unsigned long long)c->term, plural(c->term), k->text);
        if (c->term < k->lo || c->term > k->hi)
            return fail(why, PL_E_TERMS_CHARGE_TERM, k->basis,
                        "charges[%zu] gives an individual term of %llu month%s; %s for one "
                        "crime is %llu to %llu months",
                        i + 1, (unsigned long long)c->term, plural(c->term), k->text,
                        (unsigned long long)k->lo, (unsigned long long)k->hi);
    }
    return PL_OK;
}

static int law_row3_5(const struct law *x, pl_terms_problem *why)
{
    const pl_penalty *p = x->p;
    const struct kind_info *k = x->k;
    const size_t nc = x->nc;
    const struct terms_sum ts = x->ts;
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    /* Rows 3-5: the limits of each kind (arts. 38, 42, 45), and for several
     * crimes the limits of combined punishment (art. 69). */
    if (k->months) {
        uint64_t hi = k->hi;
        const char *basis = k->basis;
        int long_sum = 0;
        if (nc >= 2) {
            hi = k->hi_comb;
            basis = "Criminal Law art. 69";
            if (p->kind == PL_PENALTY_IMPRISONMENT && ts.given == nc &&
                ts.sum >= IMPRISONMENT_LONG_SUM)
                hi = IMPRISONMENT_HI_COMB_LONG, long_sum = 1;
        }
        if (p->min < k->lo || p->max > hi) {
            sb_init(&b, buf, sizeof buf);
            if (p->min < k->lo) {
                sb_printf(&b, "%s is at least %llu month%s", k->text, (unsigned long long)k->lo,
                          plural(k->lo));
                basis = k->basis;
            } else if (nc < 2) {
                sb_printf(&b, "%s for one crime is %llu to %llu months", k->text,
                          (unsigned long long)k->lo, (unsigned long long)k->hi);
            } else if (long_sum) {
                sb_printf(&b,
                          "for %zu crimes combined whose individual terms total %llu months, "
                          "%s is at most %llu months",
                          nc, (unsigned long long)ts.sum, k->text, (unsigned long long)hi);
            } else if (p->kind == PL_PENALTY_IMPRISONMENT && ts.given == nc) {
                sb_printf(&b,
                          "for %zu crimes combined whose individual terms total %llu months, "
                          "less than %u, %s is at most %llu months",
                          nc, (unsigned long long)ts.sum, IMPRISONMENT_LONG_SUM, k->text,
                          (unsigned long long)hi);
            } else if (p->kind == PL_PENALTY_IMPRISONMENT) {
                sb_printf(&b,
                          "for %zu crimes combined, %s is at most %llu months, or %u when "
                          "every charge gives its term and they total %u months or more",
                          nc, k->text, (unsigned long long)hi, IMPRISONMENT_HI_COMB_LONG,
                          IMPRISONMENT_LONG_SUM);
            } else {
                sb_printf(&b, "for %zu crimes combined, %s is at most %llu months", nc, k->text,
                          (unsigned long long)hi);
            }
            sb_printf(&b, " (%s); the terms have ", basis);
            sb_span(&b, p->min, p->max);
            return fail_sb(why, k->code, basis, &b);
        }
    }
    return PL_OK;
}

static int law_row6(const struct law *x, pl_terms_problem *why)
{
    const pl_penalty *p = x->p;
    const struct kind_info *k = x->k;
    const size_t nc = x->nc;
    const struct terms_sum ts = x->ts;
    /* Row 6: art. 69's span: above the longest individual term, and below
     * their total when every charge gives one. */
    if (k->months && ts.given > 0) {
        if (p->min < ts.longest)
            return fail(why, PL_E_TERMS_COMBINED_SPAN, "Criminal Law art. 69",
                        "a combined sentence is at least the longest individual term, %llu "
                        "months (charges[%zu]); the terms have a minimum of %llu month%s",
                        (unsigned long long)ts.longest, ts.longest_at, (unsigned long long)p->min,
                        plural(p->min));
        if (ts.given == nc && p->max > ts.sum)
            return fail(why, PL_E_TERMS_COMBINED_SPAN, "Criminal Law art. 69",
                        "a combined sentence is at most the total of the individual terms, %llu "
                        "months; the terms have a maximum of %llu month%s",
                        (unsigned long long)ts.sum, (unsigned long long)p->max, plural(p->max));
    }
    return PL_OK;
}

static int law_row7(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const pl_penalty *p = x->p;
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    /* Row 7: exemption from punishment leaves no penalty, main or additional
     * (arts. 32, 37); probation is row 8's business. */
    if (p->kind == PL_PENALTY_EXEMPTION &&
        (t->has_fine || t->has_political_rights || t->confiscation || t->deportation)) {
        sb_init(&b, buf, sizeof buf);
        sb_printf(&b, "exemption from criminal punishment excludes every penalty (Criminal Law "
                      "arts. 32, 37); the terms also impose ");
        if (t->has_fine) {
            sb_printf(&b, "a fine of ");
            sb_yuan(&b, 0, t->fine);
        } else if (t->has_political_rights) {
            sb_printf(&b, "deprivation of political rights");
        } else if (t->confiscation) {
            sb_printf(&b, "confiscation of property");
        } else {
            sb_printf(&b, "deportation");
        }
        return fail_sb(why, PL_E_TERMS_EXEMPTION, "Criminal Law arts. 32, 37", &b);
    }
    return PL_OK;
}

static int law_row8_10(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const pl_penalty *p = x->p;
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    if (t->has_probation) {
        /* Row 8: probation only with detention, or with imprisonment of at
         * most three years (art. 72). A range counts by its maximum. */
        if (!(p->kind == PL_PENALTY_DETENTION ||
              (p->kind == PL_PENALTY_IMPRISONMENT && p->max <= PROBATION_MAX_IMPRISONMENT))) {
            sb_init(&b, buf, sizeof buf);
            sb_printf(&b,
                      "probation requires criminal detention or at most %u months of "
                      "fixed-term imprisonment (Criminal Law art. 72); the terms have ",
                      PROBATION_MAX_IMPRISONMENT);
            sb_penalty_of(&b, p);
            return fail_sb(why, PL_E_TERMS_PROBATION_KIND, "Criminal Law art. 72", &b);
        }
        /* Row 9: never for recidivists or ringleaders (art. 74). */
        if (t->recidivist || t->ringleader)
            return fail(why, PL_E_TERMS_PROBATION_EXCLUDED, "Criminal Law art. 74",
                        "probation is not available to %s (Criminal Law art. 74); the terms "
                        "give %llu month%s of probation",
                        t->recidivist ? "a recidivist" : "the ringleader of a criminal group",
                        (unsigned long long)t->probation, plural(t->probation));
        /* Row 10: the probation period (art. 73): at least the term and at
         * least 2 months, at most 12, for detention; at least the term and at
         * least 12 months, at most 60, for imprisonment. */
        int det = p->kind == PL_PENALTY_DETENTION;
        uint64_t floor = det ? PROBATION_DETENTION_MIN : PROBATION_IMPRISONMENT_MIN;
        uint64_t lo = p->max > floor ? p->max : floor;
        uint64_t hi = det ? PROBATION_DETENTION_MAX : PROBATION_IMPRISONMENT_MAX;
        if (t->probation < lo || t->probation > hi) {
            sb_init(&b, buf, sizeof buf);
            sb_printf(&b, "the probation period for ");
            sb_penalty_of(&b, p);
            sb_printf(&b,
                      " must be %llu to %llu months (at least the term and at least %llu "
                      "months; Criminal Law art. 73); the terms have %llu month%s",
                      (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)floor,
                      (unsigned long long)t->probation, plural(t->probation));
            return fail_sb(why, PL_E_TERMS_PROBATION_PERIOD, "Criminal Law art. 73", &b);
        }
    }
    return PL_OK;
}

static int law_row11(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    /* Row 11: a fine is an amount (art. 52). */
    if (t->has_fine && t->fine == 0)
        return fail(why, PL_E_TERMS_FINE, "Criminal Law art. 52",
                    "a fine must be a positive amount (Criminal Law art. 52); the terms have a "
                    "fine of 0.00 yuan");
    return PL_OK;
}

static int law_row12(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const pl_penalty *p = x->p;
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    /* Row 12: deprivation of political rights (arts. 55, 57). */
    if (t->has_political_rights) {
        uint64_t v = t->political_rights;
        if (p->kind == PL_PENALTY_LIFE)
            return fail(why, PL_E_TERMS_POLITICAL_RIGHTS, "Criminal Law art. 57",
                        "with life imprisonment, political rights are deprived for life by law "
                        "(Criminal Law art. 57), so the terms give no number of months; they "
                        "give %llu month%s",
                        (unsigned long long)v, plural(v));
        if (p->kind == PL_PENALTY_SURVEILLANCE && (v < p->min || v > p->max)) {
            sb_init(&b, buf, sizeof buf);
            sb_printf(&b, "deprivation of political rights with public surveillance lasts as "
                          "long as the surveillance, ");
            sb_span(&b, p->min, p->max);
            sb_printf(&b, " (Criminal Law art. 55); the terms have %llu month%s",
                      (unsigned long long)v, plural(v));
            return fail_sb(why, PL_E_TERMS_POLITICAL_RIGHTS, "Criminal Law art. 55", &b);
        }
        if (p->kind != PL_PENALTY_SURVEILLANCE &&
            (v < POLITICAL_RIGHTS_MIN || v > POLITICAL_RIGHTS_MAX))
            return fail(why, PL_E_TERMS_POLITICAL_RIGHTS, "Criminal Law art. 55",
                        "deprivation of political rights lasts %u to %u months (Criminal Law "
                        "art. 55); the terms have %llu month%s",
                        POLITICAL_RIGHTS_MIN, POLITICAL_RIGHTS_MAX, (unsigned long long)v,
                        plural(v));
    }
    return PL_OK;
}

static int law_row13(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const pl_penalty *p = x->p;
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    /* Row 13: speedy trial only where the sentence is at most three years of
     * imprisonment (CPL art. 222). Lighter kinds qualify. */
    if (t->procedure == PL_PROCEDURE_SPEEDY &&
        (p->kind == PL_PENALTY_LIFE ||
         (p->kind == PL_PENALTY_IMPRISONMENT && p->max > SPEEDY_MAX_IMPRISONMENT))) {
        sb_init(&b, buf, sizeof buf);
        sb_printf(&b,
                  "the speedy-trial procedure applies only where the sentence is at most %u "
                  "months of fixed-term imprisonment (CPL art. 222); the terms have ",
                  SPEEDY_MAX_IMPRISONMENT);
        sb_penalty_of(&b, p);
        return fail_sb(why, PL_E_TERMS_SPEEDY_TRIAL, "CPL art. 222", &b);
    }
    return PL_OK;
}

static int law_row14(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const pl_penalty *p = x->p;
    /* Row 14: summary procedure is for cases of basic-level courts (CPL art.
     * 214), and a case that may end in life imprisonment is tried by an
     * intermediate court (CPL art. 21). */
    if (t->procedure == PL_PROCEDURE_SUMMARY && p->kind == PL_PENALTY_LIFE)
        return fail(why, PL_E_TERMS_SUMMARY, "CPL arts. 21, 214",
                    "the summary procedure is for cases a basic-level court tries, and a "
                    "sentence of life imprisonment is for an intermediate court (CPL arts. 21, "
                    "214); the terms have life imprisonment");
    return PL_OK;
}

static int law_row15(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const pl_penalty *p = x->p;
    /* Row 15 (version 2): with no main penalty, at least one additional
     * penalty applied alone (arts. 34 ¶2, 35); without one the terms
     * would punish nothing, which is exemption (row 7), not this. */
    if (p->kind == PL_PENALTY_ADDITIONAL && !t->has_fine && !t->has_political_rights &&
        t->confiscation == PL_CONFISCATION_NONE && !t->deportation)
        return fail(why, PL_E_TERMS_ADDITIONAL, "Criminal Law arts. 34, 35",
                    "additional penalties alone need at least one of them: a fine, deprivation "
                    "of political rights, confiscation or deportation (Criminal Law arts. 34, "
                    "35); the terms give none (for no punishment at all, the penalty is "
                    "exemption)");
    return PL_OK;
}

static int law_row16(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    /* Row 16 (version 2): days credited against the term are days; a
     * count of none is absence (SPEC §15.1: absence has one encoding). */
    if ((t->has_custody_days && t->custody_days == 0) ||
        (t->has_designated_residence_days && t->designated_residence_days == 0))
        return fail(why, PL_E_TERMS_CUSTODY, t->has_custody_days && t->custody_days == 0
                                                 ? "Criminal Law arts. 41, 44, 47"
                                                 : "CPL art. 76",
                    "days of custody and of residential surveillance at a designated place are "
                    "at least 1 when given; the terms give 0 (leave the field out instead)");
    return PL_OK;
}

static int law_row17(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const pl_penalty *p = x->p;
    /* Row 17 (version 2): a prohibition order goes with surveillance or a
     * suspended sentence, for at most their period and at least 3 months
     * (surveillance) or 2 (probation); with surveillance shortened below
     * 3 months by custody, the floor does not hold (arts. 38 ¶2, 72 ¶2;
     * SPC/SPP 2011 provisions on prohibition orders, art. 6). */
    if (t->prohibition[0] != '\0') {
        int surv = p->kind == PL_PENALTY_SURVEILLANCE;
        uint64_t period = surv ? p->max : t->probation;
        uint64_t floor = surv ? (t->has_custody_days ? 1 : 3) : 2;
        if (!surv && !t->has_probation)
            return fail(why, PL_E_TERMS_PROHIBITION, "Criminal Law arts. 38, 72",
                        "a prohibition order goes with public surveillance or a suspended "
                        "sentence (Criminal Law arts. 38, 72); the terms have neither");
        if (t->prohibition_months < floor || t->prohibition_months > period)
            return fail(why, PL_E_TERMS_PROHIBITION, "Criminal Law arts. 38, 72",
                        "a prohibition order with %s lasts %llu to %llu months (at most the %s, "
                        "at least %llu months); the terms give %llu month%s",
                        surv ? "public surveillance" : "probation", (unsigned long long)floor,
                        (unsigned long long)period, surv ? "surveillance" : "probation period",
                        (unsigned long long)floor, (unsigned long long)t->prohibition_months,
                        plural(t->prohibition_months));
    }
    return PL_OK;
}

static int law_row18(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const pl_penalty *p = x->p;
    /* Row 18 (version 2): an occupation ban of three to five years, after
     * a punishment (art. 37-1): not with exemption. */
    if (t->occupation_ban[0] != '\0') {
        if (p->kind == PL_PENALTY_EXEMPTION)
            return fail(why, PL_E_TERMS_OCCUPATION_BAN, "Criminal Law art. 37-1",
                        "an occupation ban follows a punishment (Criminal Law art. 37-1); the "
                        "terms exempt from punishment");
        if (t->occupation_ban_months < 36 || t->occupation_ban_months > 60)
            return fail(why, PL_E_TERMS_OCCUPATION_BAN, "Criminal Law art. 37-1",
                        "an occupation ban lasts 36 to 60 months (Criminal Law art. 37-1); the "
                        "terms give %llu month%s",
                        (unsigned long long)t->occupation_ban_months,
                        plural(t->occupation_ban_months));
    }
    return PL_OK;
}

static int law_row19(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const pl_penalty *p = x->p;
    const struct kind_info *k = x->k;
    const size_t nc = x->nc;
    /* Row 19 (version 2): each crime's sentence within its article's
     * range (SPEC §15.7): the penalty for one crime; for several, each
     * charge's own term, and the combined penalty against them all. */
    int all_listed = 1;
    unsigned kinds_any = 0;
    uint64_t ceiling_sum = 0;
    for (size_t i = 0; i < nc; i++) {
        const pl_charge *c = &t->charges[i];
        struct bracket r;
        int listed = article_range(c->article, c->bracket, &r);
        if (listed == 0) {
            all_listed = 0;
            continue; /* the catalogue does not list the article */
        }
        const char *basis = r.article; /* a row's literal: "Criminal Law art. N" */
        if (listed < 0)
            return fail(why, PL_E_TERMS_ARTICLE, basis,
                        "charges[%zu] names bracket %llu of art. %s, which the catalogue (SPEC "
                        "§15.7) does not give that article",
                        i + 1, (unsigned long long)c->bracket, c->article);
        kinds_any |= r.kinds, ceiling_sum += r.ceiling;
        /* how the message names the range: "bracket 2 of", or "any bracket of" */
        char which[40];
        if (c->bracket)
            snprintf(which, sizeof which, "bracket %llu of", (unsigned long long)c->bracket);
        else
            snprintf(which, sizeof which, "any bracket of");
        if (nc > 1) {
            /* several crimes: a charge's own term, in the penalty's kind */
            if (c->has_term && p->kind == PL_PENALTY_IMPRISONMENT &&
                ((r.kinds & (1u << PL_PENALTY_IMPRISONMENT)) == 0 || c->term > r.ceiling))
                return fail(why, PL_E_TERMS_ARTICLE, basis,
                            "charges[%zu] gives %llu month%s of imprisonment; %s art. %s allows "
                            "%llu for the crime (SPEC §15.7)",
                            i + 1, (unsigned long long)c->term, plural(c->term), which, c->article,
                            (unsigned long long)r.ceiling);
            continue;
        }
        if (p->kind == PL_PENALTY_ADDITIONAL) {
            /* deportation alone is for any crime (art. 35) */
            unsigned need = t->has_political_rights ? A_RIGHTS : t->has_fine ? A_FINE : 0;
            if (need != 0 && (r.alone & need) == 0)
                return fail(why, PL_E_TERMS_ARTICLE, basis,
                            "%s alone is not provided by %s art. %s (SPEC §15.7)",
                            need == A_RIGHTS ? "deprivation of political rights" : "a fine", which,
                            c->article);
            if (need == 0 && t->confiscation != 0)
                return fail(why, PL_E_TERMS_ARTICLE, basis,
                            "confiscation alone is not provided by art. %s (SPEC §15.7)",
                            c->article);
            continue;
        }
        if ((r.kinds & (1u << p->kind)) == 0)
            return fail(why, PL_E_TERMS_ARTICLE, basis,
                        "%s is not a punishment %s art. %s provides%s (SPEC §15.7)", k->text,
                        which, c->article, c->bracket ? ", nor a lighter bracket of its crime" : "");
        if (p->kind == PL_PENALTY_IMPRISONMENT && p->max > r.ceiling)
            return fail(why, PL_E_TERMS_ARTICLE, basis,
                        "%llu month%s of imprisonment exceed%s the %llu months %s art. %s allows "
                        "for one crime (SPEC §15.7)",
                        (unsigned long long)p->max, plural(p->max), p->max == 1 ? "s" : "",
                        (unsigned long long)r.ceiling, which, c->article);
    }
    /* several crimes, all listed: the combined penalty's kind is one some
     * crime carries, and imprisonment within the sum of their ceilings
     * (art. 69: 总和刑期以下) */
    if (nc > 1 && all_listed && p->kind != PL_PENALTY_ADDITIONAL &&
        (kinds_any & (1u << p->kind)) == 0)
        return fail(why, PL_E_TERMS_ARTICLE, "Criminal Law art. 69",
                    "%s is a punishment none of the charges' articles provides (SPEC §15.7)",
                    k->text);
    if (nc > 1 && all_listed && p->kind == PL_PENALTY_IMPRISONMENT && p->max > ceiling_sum)
        return fail(why, PL_E_TERMS_ARTICLE, "Criminal Law art. 69",
                    "%llu months of imprisonment for crimes whose articles allow %llu months "
                    "together (SPEC §15.7; art. 69)",
                    (unsigned long long)p->max, (unsigned long long)ceiling_sum);
    return PL_OK;
}

static int law_row20(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    /* Row 20 (version 2): a crime committed under 18 never makes its
     * offender a recidivist (art. 65 ¶1: 不满十八周岁的人犯罪的除外). */
    if (t->minor && t->recidivist)
        return fail(why, PL_E_TERMS_MINOR, "Criminal Law art. 65",
                    "the terms name a minor offender a recidivist; a crime committed under 18 "
                    "never counts toward recidivism (Criminal Law art. 65 para. 1): drop "
                    "\"recidivist\" or \"minor\"");
    return PL_OK;
}

static int law_row21(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    /* Row 21 (version 2): no speedy trial for a minor offender, nor for
     * one blind, deaf, mute or partly mentally ill (CPL art. 223 items 1,
     * 2). */
    if ((t->minor || t->impairment) && t->procedure == PL_PROCEDURE_SPEEDY)
        return fail(why, PL_E_TERMS_SPEEDY_EXCLUDED, "CPL art. 223",
                    "the speedy-trial procedure does not apply to %s (CPL art. 223 item %d); "
                    "propose the %s procedure",
                    t->minor ? "a minor offender" : "an offender who is blind, deaf, mute or partly "
                                                    "mentally ill",
                    t->minor ? 2 : 1, t->minor && !t->impairment ? "summary or the ordinary"
                                                                   : "ordinary");
    return PL_OK;
}

static int law_row22(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    /* Row 22 (version 2): nor the summary procedure for the impaired (CPL
     * art. 215 item 1). */
    if (t->impairment && t->procedure == PL_PROCEDURE_SUMMARY)
        return fail(why, PL_E_TERMS_SUMMARY_EXCLUDED, "CPL art. 215",
                    "the summary procedure does not apply to an offender who is blind, deaf, mute "
                    "or partly mentally ill (CPL art. 215 item 1); propose the ordinary procedure");
    return PL_OK;
}

static int law_row23(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const size_t nc = x->nc;
    /* Row 23 (version 2): where a crime's article sets no standard for its
     * fine, a fine is at least 1,000 yuan, 500 for a minor (SPC provisions
     * on property penalties, 2000, art. 2). The catalogue's articles set
     * none, except arts. 196 and 225 (amounts and multiples of the gains);
     * an article outside the catalogue is not checked. */
    if (t->has_fine) {
        uint64_t floor = t->minor ? 50000 : 100000;
        for (size_t i = 0; i < nc && t->fine < floor; i++) {
            const pl_charge *c = &t->charges[i];
            struct bracket r;
            if (article_range(c->article, 0, &r) == 0 || strcmp(c->article, "196") == 0 ||
                strcmp(c->article, "225") == 0)
                continue;
            char have[PL_YUAN_TEXT_BYTES];
            pl_yuan_text(t->fine, have);
            return fail(why, PL_E_TERMS_FINE_FLOOR, "SPC provisions on property penalties art. 2",
                        "a fine of %s is below the %s yuan the law requires where the article "
                        "sets no fine standard (art. %s; SPC provisions on property penalties, "
                        "2000, art. 2)",
                        have, t->minor ? "500" : "1,000", c->article);
        }
    }
    return PL_OK;
}

static int law_row24(const struct law *x, pl_terms_problem *why)
{
    const pl_terms *t = x->t;
    const size_t nc = x->nc;
    /* Row 24 (version 2): art. 196 sets its fine in figures; the ceilings
     * of several such crimes add up (art. 69 para. 3), and another crime's
     * fine, bounded by nothing, lifts any total. */
    if (t->has_fine && nc > 0) {
        uint64_t ceiling = 0;
        size_t i;
        for (i = 0; i < nc && strcmp(t->charges[i].article, "196") == 0; i++)
            ceiling += t->charges[i].bracket == 1 ? 20000000u : 50000000u;
        if (i == nc && t->fine > ceiling) {
            char have[PL_YUAN_TEXT_BYTES], most[PL_YUAN_TEXT_BYTES];
            pl_yuan_text(t->fine, have);
            pl_yuan_text(ceiling, most);
            return fail(why, PL_E_TERMS_FINE_STANDARD, "Criminal Law art. 196",
                        "a fine of %s is above the %s art. 196 allows for %s (200,000 yuan for "
                        "bracket 1, 500,000 for a huge amount)",
                        have, most, nc == 1 ? "the crime" : "these crimes together");
        }
    }
    return PL_OK;
}

typedef int (*law_fn)(const struct law *x, pl_terms_problem *why);

static const law_fn law_rows[] = {
    law_row1,
    law_row2,
    law_row3_5,
    law_row6,
    law_row7,
    law_row8_10,
    law_row11,
    law_row12,
    law_row13,
    law_row14,
    law_row15,
    law_row16,
    law_row17,
    law_row18,
    law_row19,
    law_row20,
    law_row21,
    law_row22,
    law_row23,
    law_row24,
};

static int check_law(const pl_terms *t, pl_terms_problem *why)
{
    const struct law x = {t, &t->penalty, &kinds[t->penalty.kind], t->ncharges, charge_terms(t)};
    for (size_t i = 0; i < sizeof law_rows / sizeof law_rows[0]; i++) {
        int rc = law_rows[i](&x, why);
        if (rc != PL_OK)
            return rc;
    }
    return PL_OK;
}

int pl_terms_validate(const pl_terms *t, pl_terms_problem *why)
{
    int rc;
    problem_clear(why);
    if (t == NULL)
        return fail(why, PL_E_ARG, "", "no terms given");
    if ((rc = check_fields(t, why)) != PL_OK)
        return rc;
    return check_law(t, why);
}

/* ---- decoding (SPEC §15.6) ---------------------------------------------- */

enum {
    K_CHARGES,
    K_CONFISCATION,
    K_CUSTODY_DAYS,
    K_DEPORTATION,
    K_DESIGNATED_RESIDENCE_DAYS,
    K_FACTS,
    K_FINE,
    K_GROUNDS,
    K_GROUNDS_TEXT,
    K_IMPAIRMENT,
    K_MINOR,
    K_OCCUPATION_BAN,
    K_OCCUPATION_BAN_MONTHS,
    K_PENALTY,
    K_POLITICAL_RIGHTS,
    K_PROBATION,
    K_PROCEDURE,
    K_PROHIBITION,
    K_PROHIBITION_MONTHS,
    K_RECIDIVIST,
    K_RINGLEADER,
    NKEYS
};

/* SPEC §15.2: the keys, in ascending bytewise order (the wire order). */
static const char *const key_names[NKEYS] = {
    "charges",      "confiscation", "custody_days",     "deportation",
    "designated_residence_days",    "facts",            "fine",        "grounds",
    "grounds_text", "impairment",   "minor",        "occupation_ban", "occupation_ban_months", "penalty",
    "political_rights", "probation", "procedure", "prohibition", "prohibition_months",
    "recidivist",   "ringleader",
};
static const int key_required[NKEYS] = {
    [K_CHARGES] = 1, [K_FACTS] = 1, [K_PENALTY] = 1, [K_PROCEDURE] = 1};

static int str_is(const msgpack_object *o, const char *s)
{
    size_t n = strlen(s);
    return o->type == MSGPACK_OBJECT_STR && o->via.str.size == n &&
           memcmp(o->via.str.ptr, s, n) == 0;
}

static int unknown_key(const msgpack_object *key, const char *where, pl_terms_problem *why)
{
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    sb_init(&b, buf, sizeof buf);
    sb_printf(&b, "unknown key ");
    sb_quote(&b, key->via.str.ptr, key->via.str.size, 48);
    if (where[0] != '\0')
        sb_printf(&b, " in \"%s\"", where);
    sb_printf(&b, "; protocol version 2 defines no other");
    return fail_sb(why, PL_E_TERMS_SCHEMA, "", &b);
}

static int wrong_type(const msgpack_object *o, const char *path, const char *want,
                      pl_terms_problem *why)
{
    return fail(why, PL_E_TERMS_SCHEMA, "", "\"%s\" must be %s; the terms have %s", path, want,
                type_name(o));
}

/* SPEC §15.2: a str field, copied with its terminator into dst. */
static int read_text(const msgpack_object *o, const char *path, size_t min, size_t max,
                     int multiline, char *dst, pl_terms_problem *why)
{
    int rc;
    if (o->type != MSGPACK_OBJECT_STR)
        return wrong_type(o, path, "a string", why);
    if ((rc = check_text(o->via.str.ptr, o->via.str.size, min, max, multiline, path, why)) != PL_OK)
        return rc;
    memcpy(dst, o->via.str.ptr, o->via.str.size);
    dst[o->via.str.size] = '\0';
    return PL_OK;
}

/* SPEC §15.2: "true" is the only value of a flag. */
static int read_flag(const msgpack_object *o, const char *path, int *dst, pl_terms_problem *why)
{
    if (o->type != MSGPACK_OBJECT_BOOLEAN || !o->via.boolean)
        return fail(why, PL_E_TERMS_SCHEMA, "",
                    "\"%s\" must be true when present (leave it out otherwise); the terms have %s",
                    path, type_name(o));
    *dst = 1;
    return PL_OK;
}

/* SPEC §15.2: an integer number of months or fen. A negative one is refused
 * with the code of the rule it breaks, described by neg (a format taking
 * the value), so that "fine -1" reads as a fine problem, not a type error. */
static int read_count(const msgpack_object *o, const char *path, int neg_code,
                      const char *neg_basis, const char *neg, const char *unit, uint64_t *dst,
                      pl_terms_problem *why)
{
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
        *dst = o->via.u64;
        return PL_OK;
    }
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        return fail(why, neg_code, neg_basis, "%s; the terms have %lld %s", neg,
                    (long long)o->via.i64, unit);
    return wrong_type(o, path, "a non-negative integer", why);
}

static int read_charge(const msgpack_object *o, size_t num, pl_charge *c, pl_terms_problem *why)
{
    char path[48], where[24];
    const msgpack_object *article = NULL, *name = NULL, *term = NULL, *bracket = NULL;
    int rc;

    snprintf(path, sizeof path, "charges[%zu]", num);
    if (o->type != MSGPACK_OBJECT_MAP)
        return wrong_type(o, path, "a map of article, name and term", why);
    /* Keys are strings in ascending order (the walk checked): known keys only. */
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        const msgpack_object *key = &o->via.map.ptr[i].key, *val = &o->via.map.ptr[i].val;
        if (str_is(key, "article"))
            article = val;
        else if (str_is(key, "bracket"))
            bracket = val;
        else if (str_is(key, "name"))
            name = val;
        else if (str_is(key, "term"))
            term = val;
        else
            return unknown_key(key, path, why);
    }
    if (article == NULL || name == NULL)
        return fail(why, PL_E_TERMS_SCHEMA, "",
                    "\"%s\" has no \"%s\"; a charge names its "
                    "statute article and the crime",
                    path, article == NULL ? "article" : "name");
    snprintf(path, sizeof path, "charges[%zu].article", num);
    if ((rc = read_text(article, path, 1, PL_TERMS_ARTICLE_MAX, 0, c->article, why)) != PL_OK)
        return rc;
    if (bracket != NULL) {
        /* SPEC §15.2 (v2): a bracket is numbered from 1 (§15.7) */
        snprintf(path, sizeof path, "charges[%zu].bracket", num);
        if ((rc = read_count(bracket, path, PL_E_TERMS_ARTICLE, "SPEC §15.7",
                             "a sentencing bracket is numbered from 1", "", &c->bracket, why)) !=
            PL_OK)
            return rc;
        if (c->bracket == 0)
            return fail(why, PL_E_TERMS_ARTICLE, "SPEC §15.7",
                        "\"%s\" is 0; sentencing brackets are numbered from 1, and a charge that "
                        "names none leaves the key out",
                        path);
    }
    snprintf(path, sizeof path, "charges[%zu].name", num);
    if ((rc = read_text(name, path, 1, PL_TERMS_NAME_MAX, 0, c->name, why)) != PL_OK)
        return rc;
    if (term != NULL) {
        snprintf(path, sizeof path, "charges[%zu].term", num);
        snprintf(where, sizeof where, "charges[%zu]", num);
        char neg[160];
        snprintf(neg, sizeof neg,
                 "an individual term is a number of months, never negative (Criminal Law art. "
                 "69), and %s gives one",
                 where);
        if ((rc = read_count(term, path, PL_E_TERMS_CHARGE_TERM, "Criminal Law art. 69", neg,
                             "months", &c->term, why)) != PL_OK)
            return rc;
        c->has_term = 1;
    }
    return PL_OK;
}

static int read_charges(const msgpack_object *o, pl_terms *t, pl_terms_problem *why)
{
    int rc;
    if (o->type != MSGPACK_OBJECT_ARRAY)
        return wrong_type(o, "charges", "an array of charges", why);
    if (o->via.array.size == 0)
        return fail(why, PL_E_TERMS_CHARGES, "CPL art. 15",
                    "the terms name no charge; at least one charge is required");
    if (o->via.array.size > PL_TERMS_MAX_CHARGES)
        return fail(why, PL_E_TERMS_CHARGES, "CPL art. 15",
                    "the terms name %u charges; at most %d are allowed",
                    (unsigned)o->via.array.size, PL_TERMS_MAX_CHARGES);
    for (uint32_t i = 0; i < o->via.array.size; i++)
        if ((rc = read_charge(&o->via.array.ptr[i], i + 1, &t->charges[i], why)) != PL_OK)
            return rc;
    t->ncharges = o->via.array.size;
    return PL_OK;
}

static int read_penalty(const msgpack_object *o, pl_penalty *p, pl_terms_problem *why)
{
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    const msgpack_object *kind = NULL, *min = NULL, *max = NULL;
    int rc;

    if (o->type != MSGPACK_OBJECT_MAP)
        return wrong_type(o, "penalty", "a map of kind, min and max", why);
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        const msgpack_object *key = &o->via.map.ptr[i].key, *val = &o->via.map.ptr[i].val;
        if (str_is(key, "kind"))
            kind = val;
        else if (str_is(key, "max"))
            max = val;
        else if (str_is(key, "min"))
            min = val;
        else
            return unknown_key(key, "penalty", why);
    }
    if (kind == NULL)
        return fail(why, PL_E_TERMS_SCHEMA, "", "\"penalty\" has no \"kind\"");
    if (kind->type != MSGPACK_OBJECT_STR)
        return wrong_type(kind, "penalty.kind", "a string", why);
    p->kind = (pl_penalty_kind)kind_lookup(kind->via.str.ptr, kind->via.str.size);
    if (!kind_valid(p->kind)) {
        sb_init(&b, buf, sizeof buf);
        sb_printf(&b, "unknown main penalty ");
        sb_quote(&b, kind->via.str.ptr, kind->via.str.size, 48);
        sb_printf(&b, "; it must be exemption, surveillance, detention, imprisonment or life");
        return fail_sb(why, PL_E_TERMS_PENALTY_KIND, "Criminal Law arts. 33, 37", &b);
    }
    const struct kind_info *k = &kinds[p->kind];
    char neg[160];
    snprintf(neg, sizeof neg, "%s lasts %llu to %llu months (%s), never a negative number", k->text,
             (unsigned long long)k->lo, (unsigned long long)k->hi, k->basis);
    /* Values in key order: kind, max, min. */
    const msgpack_object *vals[2] = {max, min};
    const char *names[2] = {"max", "min"};
    uint64_t *dst[2] = {&p->max, &p->min};
    for (int i = 0; i < 2; i++) {
        char path[16];
        if (vals[i] == NULL)
            continue;
        snprintf(path, sizeof path, "penalty.%s", names[i]);
        if (!k->months)
            return fail(why, PL_E_TERMS_SCHEMA, "", "\"%s\" is not allowed: %s has no term", path,
                        k->text);
        if ((rc = read_count(vals[i], path, k->code, k->basis, neg, "months", dst[i], why)) !=
            PL_OK)
            return rc;
    }
    if (k->months && (min == NULL || max == NULL))
        return fail(why, PL_E_TERMS_SCHEMA, "",
                    "\"penalty\" has no \"%s\"; %s needs a minimum and a maximum number of "
                    "months (equal for a determinate term)",
                    max == NULL ? "max" : "min", k->text);
    return PL_OK;
}

/* SPEC §15.2: a set of words as an array of 1 to count distinct str in
 * ascending order ("grounds", and in version 2 "impairment"), into bits;
 * code for a wrong length or word (a wrong type is PL_E_TERMS_SCHEMA).
 * one and many name an element ("ground", "grounds"), label an unknown
 * one, all lists the words for the message. */
struct word_set {
    const char *key, *one, *many, *label, *all;
    const char *const *names;
    unsigned count;
    int code;
};

static int read_set(const msgpack_object *o, const struct word_set *w, unsigned *dst,
                    pl_terms_problem *why)
{
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    int last = -1;

    if (o->type != MSGPACK_OBJECT_ARRAY)
        return wrong_type(o, w->key, "an array of strings", why);
    if (o->via.array.size == 0 || o->via.array.size > w->count)
        return fail(why, w->code, "",
                    "\"%s\" lists %u %s; it lists 1 to %u distinct %s (leave it out when there "
                    "are none)",
                    w->key, (unsigned)o->via.array.size, w->many, w->count, w->many);
    for (uint32_t i = 0; i < o->via.array.size; i++) {
        const msgpack_object *g = &o->via.array.ptr[i];
        char path[32];
        snprintf(path, sizeof path, "%s[%u]", w->key, (unsigned)i + 1);
        if (g->type != MSGPACK_OBJECT_STR)
            return wrong_type(g, path, "a string", why);
        int at = -1;
        for (int j = 0; j < (int)w->count; j++)
            if (str_is(g, w->names[j]))
                at = j;
        sb_init(&b, buf, sizeof buf);
        if (at < 0) {
            sb_printf(&b, "unknown %s ", w->label);
            sb_quote(&b, g->via.str.ptr, g->via.str.size, 48);
            sb_printf(&b, "; the %s are %s", w->many, w->all);
            return fail_sb(why, w->code, "", &b);
        }
        if (at <= last)
            return fail(why, w->code, "",
                        "\"%s\" lists \"%s\" after \"%s\"; each %s appears once, in ascending "
                        "order",
                        w->key, w->names[at], w->names[last], w->one);
        last = at;
        *dst |= 1u << at;
    }
    return PL_OK;
}

static const struct word_set grounds_set = {
    "grounds", "ground", "grounds", "leniency ground",
    "compensation, confession, forgiveness, other, restitution and surrender",
    ground_wire, GROUNDS_MAX, PL_E_TERMS_GROUNDS};
static const struct word_set impairment_set = {
    "impairment", "impairment", "impairments", "impairment",
    "blind, deaf, mute and partial_mental", impairment_wire, IMPAIRMENTS_MAX, PL_E_TERMS_SCHEMA};

static int read_terms(const msgpack_object *o, pl_terms *t, pl_terms_problem *why)
{
    const msgpack_object *v[NKEYS] = {0};
    char buf[PL_TERMS_DETAIL_MAX];
    struct sbuf b;
    int rc;

    /* SPEC §15.6 step 3: a map whose keys are all defined. */
    if (o->type != MSGPACK_OBJECT_MAP)
        return fail(why, PL_E_TERMS_SCHEMA, "", "the terms must be a map; they are %s",
                    type_name(o));
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        const msgpack_object *key = &o->via.map.ptr[i].key;
        int at = -1;
        for (int j = 0; j < NKEYS; j++)
            if (str_is(key, key_names[j]))
                at = j;
        if (at < 0)
            return unknown_key(key, "", why);
        v[at] = &o->via.map.ptr[i].val;
    }
    /* Step 4: the required keys, in key order. */
    for (int j = 0; j < NKEYS; j++)
        if (key_required[j] && v[j] == NULL)
            return fail(why, PL_E_TERMS_SCHEMA, "", "the terms have no \"%s\"; it is required",
                        key_names[j]);

    /* Step 5: each value, in key order. */
    if ((rc = read_charges(v[K_CHARGES], t, why)) != PL_OK)
        return rc;
    if (v[K_CONFISCATION] != NULL) {
        const msgpack_object *c = v[K_CONFISCATION];
        if (c->type != MSGPACK_OBJECT_STR)
            return wrong_type(c, "confiscation", "a string", why);
        t->confiscation = (pl_confiscation)lookup(confiscation_wire, NCONFISCATIONS, c->via.str.ptr,
                                                  c->via.str.size);
        if (t->confiscation == PL_CONFISCATION_NONE) {
            sb_init(&b, buf, sizeof buf);
            sb_printf(&b, "unknown confiscation ");
            sb_quote(&b, c->via.str.ptr, c->via.str.size, 48);
            sb_printf(&b,
                      "; it must be \"part\" or \"all\" of the property (Criminal Law art. 59)");
            return fail_sb(why, PL_E_TERMS_CONFISCATION, "Criminal Law art. 59", &b);
        }
    }
    /* version 2: days credited against the term; 0 is row 16's */
    if (v[K_CUSTODY_DAYS] != NULL) {
        if ((rc = read_count(v[K_CUSTODY_DAYS], "custody_days", PL_E_TERMS_CUSTODY,
                             "Criminal Law arts. 41, 44, 47",
                             "days of custody are a positive count (Criminal Law arts. 41, 44, 47)",
                             "days", &t->custody_days, why)) != PL_OK)
            return rc;
        t->has_custody_days = 1;
    }
    if (v[K_DEPORTATION] &&
        (rc = read_flag(v[K_DEPORTATION], "deportation", &t->deportation, why)) != PL_OK)
        return rc;
    if (v[K_DESIGNATED_RESIDENCE_DAYS] != NULL) {
        if ((rc = read_count(v[K_DESIGNATED_RESIDENCE_DAYS], "designated_residence_days",
                             PL_E_TERMS_CUSTODY, "CPL art. 76",
                             "days of residential surveillance at a designated place are a "
                             "positive count (CPL art. 76)",
                             "days", &t->designated_residence_days, why)) != PL_OK)
            return rc;
        t->has_designated_residence_days = 1;
    }
    if ((rc = read_text(v[K_FACTS], "facts", 1, PL_TERMS_FACTS_MAX, 1, t->facts, why)) != PL_OK)
        return rc;
    if (v[K_FINE] != NULL) {
        if ((rc = read_count(v[K_FINE], "fine", PL_E_TERMS_FINE, "Criminal Law art. 52",
                             "a fine must be a positive amount in fen (Criminal Law art. 52)",
                             "fen", &t->fine, why)) != PL_OK) {
            if (rc == PL_E_TERMS_FINE && why != NULL) {
                /* Say it in yuan too: "-1 fen" is easy to misread. */
                int64_t f = v[K_FINE]->via.i64;
                uint64_t mag = (uint64_t)(-(f + 1)) + 1;
                sb_init(&b, buf, sizeof buf);
                sb_printf(&b, "a fine must be a positive amount (Criminal Law art. 52); the terms "
                              "have a fine of ");
                sb_yuan(&b, 1, mag);
                sb_printf(&b, " (%lld fen)", (long long)f);
                fail_sb(why, rc, "Criminal Law art. 52", &b);
            }
            return rc;
        }
        t->has_fine = 1;
    }
    if (v[K_GROUNDS] && (rc = read_set(v[K_GROUNDS], &grounds_set, &t->grounds, why)) != PL_OK)
        return rc;
    /* SPEC §15.6 step 5: the values in the map's (ascending) key order */
    if (v[K_GROUNDS_TEXT] &&
        (rc = read_text(v[K_GROUNDS_TEXT], "grounds_text", 1, PL_TERMS_GROUNDS_TEXT_MAX, 1,
                        t->grounds_text, why)) != PL_OK)
        return rc;
    if (v[K_IMPAIRMENT] &&
        (rc = read_set(v[K_IMPAIRMENT], &impairment_set, &t->impairment, why)) != PL_OK)
        return rc;
    if (v[K_MINOR] && (rc = read_flag(v[K_MINOR], "minor", &t->minor, why)) != PL_OK)
        return rc;
    /* version 2: an occupation ban and a prohibition order, each a text
     * and its months, together or not at all (their limits are rows 17
     * and 18) */
    if (v[K_OCCUPATION_BAN] &&
        (rc = read_text(v[K_OCCUPATION_BAN], "occupation_ban", 1, PL_TERMS_OCCUPATION_MAX, 0,
                        t->occupation_ban, why)) != PL_OK)
        return rc;
    if (v[K_OCCUPATION_BAN_MONTHS] &&
        (rc = read_count(v[K_OCCUPATION_BAN_MONTHS], "occupation_ban_months",
                         PL_E_TERMS_OCCUPATION_BAN, "Criminal Law art. 37-1",
                         "an occupation ban lasts a positive number of months (Criminal Law art. "
                         "37-1)",
                         "months", &t->occupation_ban_months, why)) != PL_OK)
        return rc;
    if ((v[K_OCCUPATION_BAN] == NULL) != (v[K_OCCUPATION_BAN_MONTHS] == NULL))
        return fail(why, PL_E_TERMS_SCHEMA, "", "\"occupation_ban\" and "
                                                "\"occupation_ban_months\" come together or not at "
                                                "all");
    if ((rc = read_penalty(v[K_PENALTY], &t->penalty, why)) != PL_OK)
        return rc;
    if (v[K_POLITICAL_RIGHTS] != NULL) {
        if ((rc = read_count(v[K_POLITICAL_RIGHTS], "political_rights", PL_E_TERMS_POLITICAL_RIGHTS,
                             "Criminal Law art. 55",
                             "deprivation of political rights lasts 12 to 60 months (Criminal "
                             "Law art. 55), never a negative number",
                             "months", &t->political_rights, why)) != PL_OK)
            return rc;
        t->has_political_rights = 1;
    }
    if (v[K_PROBATION] != NULL) {
        if ((rc = read_count(v[K_PROBATION], "probation", PL_E_TERMS_PROBATION_PERIOD,
                             "Criminal Law art. 73",
                             "a probation period is a positive number of months (Criminal Law "
                             "art. 73)",
                             "months", &t->probation, why)) != PL_OK)
            return rc;
        t->has_probation = 1;
    }
    {
        const msgpack_object *p = v[K_PROCEDURE];
        if (p->type != MSGPACK_OBJECT_STR)
            return wrong_type(p, "procedure", "a string", why);
        t->procedure =
            (pl_procedure)lookup(procedure_wire, NPROCEDURES, p->via.str.ptr, p->via.str.size);
        if (t->procedure == 0) {
            sb_init(&b, buf, sizeof buf);
            sb_printf(&b, "unknown trial procedure ");
            sb_quote(&b, p->via.str.ptr, p->via.str.size, 48);
            sb_printf(&b, "; it must be \"speedy\", \"summary\" or \"ordinary\"");
            return fail_sb(why, PL_E_TERMS_PROCEDURE, "CPL arts. 214, 222", &b);
        }
    }
    if (v[K_PROHIBITION] &&
        (rc = read_text(v[K_PROHIBITION], "prohibition", 1, PL_TERMS_PROHIBITION_MAX, 0,
                        t->prohibition, why)) != PL_OK)
        return rc;
    if (v[K_PROHIBITION_MONTHS] &&
        (rc = read_count(v[K_PROHIBITION_MONTHS], "prohibition_months", PL_E_TERMS_PROHIBITION,
                         "Criminal Law arts. 38, 72",
                         "a prohibition order lasts a positive number of months (Criminal Law "
                         "arts. 38, 72)",
                         "months", &t->prohibition_months, why)) != PL_OK)
        return rc;
    if ((v[K_PROHIBITION] == NULL) != (v[K_PROHIBITION_MONTHS] == NULL))
        return fail(why, PL_E_TERMS_SCHEMA, "", "\"prohibition\" and \"prohibition_months\" come "
                                                "together or not at all");
    if (v[K_RECIDIVIST] &&
        (rc = read_flag(v[K_RECIDIVIST], "recidivist", &t->recidivist, why)) != PL_OK)
        return rc;
    if (v[K_RINGLEADER] &&
        (rc = read_flag(v[K_RINGLEADER], "ringleader", &t->ringleader, why)) != PL_OK)
        return rc;
    return PL_OK;
}

int pl_terms_decode(const uint8_t *in, size_t len, pl_terms *out, pl_terms_problem *why)
{
    msgpack_zone zone;
    msgpack_object obj;
    size_t used;
    int rc;

    problem_clear(why);
    if (out == NULL || (in == NULL && len > 0))
        return fail(why, PL_E_ARG, "", "no terms or no output given");
    memset(out, 0, sizeof *out);
    /* SPEC §15.6 step 1: size. */
    if (len > PL_TERMS_MAX_BYTES)
        return fail(why, PL_E_TOO_BIG, "", "the terms are %zu bytes; at most %u are allowed", len,
                    PL_TERMS_MAX_BYTES);
    /* Step 2: the bounded canonical walk before msgpack-c sees a byte. */
    rc = pl_mp_walk(in, len, NULL, &used);
    if (rc == PL_OK && used != len)
        rc = PL_E_TRAILING;
    if (rc != PL_OK)
        return fail(why, rc, "", "the terms are not in Parley's canonical encoding: %s",
                    pl_strerror(rc));
    if (!msgpack_zone_init(&zone, 4096))
        return fail(why, PL_E_NOMEM, "", "%s", pl_strerror(PL_E_NOMEM));
    rc = pl_mp_unpack(in, len, &zone, &obj);
    if (rc != PL_OK)
        fail(why, rc, "", "%s", pl_strerror(rc));
    else
        rc = read_terms(&obj, out, why); /* steps 3-5 */
    msgpack_zone_destroy(&zone);
    if (rc == PL_OK)
        rc = pl_terms_validate(out, why); /* step 6 */
    if (rc != PL_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ---- encoding (SPEC §15.1) ---------------------------------------------- */

static void pack_cstr(msgpack_packer *pk, const char *s)
{
    msgpack_pack_str_with_body(pk, s, strlen(s));
}

int pl_terms_encode(const pl_terms *t, uint8_t *out, size_t cap, size_t *out_len)
{
    pl_packbuf b;
    int rc;

    if (t == NULL || out_len == NULL || (out == NULL && cap > 0))
        return PL_E_ARG;
    *out_len = 0;
    /* SPEC §15.1: a sender never encodes terms a receiver would refuse. */
    if ((rc = pl_terms_validate(t, NULL)) != PL_OK)
        return rc;

    const int months = kinds[t->penalty.kind].months;
    size_t nkeys = 4 + (t->confiscation != 0) + (size_t)t->deportation + (size_t)t->has_fine +
                   (size_t)t->has_custody_days + (size_t)t->has_designated_residence_days +
                   2 * (size_t)(t->prohibition[0] != '\0') +
                   2 * (size_t)(t->occupation_ban[0] != '\0') +
                   (t->grounds != 0) + (t->grounds_text[0] != '\0') +
                   (size_t)t->has_political_rights + (size_t)t->has_probation +
                   (size_t)t->recidivist + (size_t)t->ringleader + (size_t)t->minor +
                   (t->impairment != 0);

    pl_packbuf_init(&b);
    msgpack_packer *pk = &b.pk;
    /* SPEC §3.5: keys in ascending bytewise order, written in that order. */
    msgpack_pack_map(pk, nkeys);
    pack_cstr(pk, "charges");
    msgpack_pack_array(pk, t->ncharges);
    for (size_t i = 0; i < t->ncharges; i++) {
        const pl_charge *c = &t->charges[i];
        msgpack_pack_map(pk, 2 + (c->has_term != 0) + (c->bracket != 0));
        pack_cstr(pk, "article"), pack_cstr(pk, c->article);
        if (c->bracket)
            pack_cstr(pk, "bracket"), msgpack_pack_uint64(pk, c->bracket);
        pack_cstr(pk, "name"), pack_cstr(pk, c->name);
        if (c->has_term)
            pack_cstr(pk, "term"), msgpack_pack_uint64(pk, c->term);
    }
    if (t->confiscation)
        pack_cstr(pk, "confiscation"), pack_cstr(pk, confiscation_wire[t->confiscation]);
    if (t->has_custody_days)
        pack_cstr(pk, "custody_days"), msgpack_pack_uint64(pk, t->custody_days);
    if (t->deportation)
        pack_cstr(pk, "deportation"), msgpack_pack_true(pk);
    if (t->has_designated_residence_days)
        pack_cstr(pk, "designated_residence_days"),
            msgpack_pack_uint64(pk, t->designated_residence_days);
    pack_cstr(pk, "facts"), pack_cstr(pk, t->facts);
    if (t->has_fine)
        pack_cstr(pk, "fine"), msgpack_pack_uint64(pk, t->fine);
    if (t->grounds) {
        unsigned n = 0;
        for (unsigned i = 0; i < GROUNDS_MAX; i++)
            n += (t->grounds >> i) & 1u;
        pack_cstr(pk, "grounds");
        msgpack_pack_array(pk, n);
        for (unsigned i = 0; i < GROUNDS_MAX; i++)
            if (t->grounds & (1u << i))
                pack_cstr(pk, ground_wire[i]);
    }
    if (t->grounds_text[0] != '\0')
        pack_cstr(pk, "grounds_text"), pack_cstr(pk, t->grounds_text);
    if (t->impairment) {
        unsigned n = 0;
        for (unsigned i = 0; i < IMPAIRMENTS_MAX; i++)
            n += (t->impairment >> i) & 1u;
        pack_cstr(pk, "impairment");
        msgpack_pack_array(pk, n);
        for (unsigned i = 0; i < IMPAIRMENTS_MAX; i++)
            if (t->impairment & (1u << i))
                pack_cstr(pk, impairment_wire[i]);
    }
    if (t->minor)
        pack_cstr(pk, "minor"), msgpack_pack_true(pk);
    if (t->occupation_ban[0] != '\0') {
        pack_cstr(pk, "occupation_ban"), pack_cstr(pk, t->occupation_ban);
        pack_cstr(pk, "occupation_ban_months"), msgpack_pack_uint64(pk, t->occupation_ban_months);
    }
    pack_cstr(pk, "penalty");
    msgpack_pack_map(pk, months ? 3 : 1);
    pack_cstr(pk, "kind"), pack_cstr(pk, kinds[t->penalty.kind].wire);
    if (months) {
        pack_cstr(pk, "max"), msgpack_pack_uint64(pk, t->penalty.max);
        pack_cstr(pk, "min"), msgpack_pack_uint64(pk, t->penalty.min);
    }
    if (t->has_political_rights)
        pack_cstr(pk, "political_rights"), msgpack_pack_uint64(pk, t->political_rights);
    if (t->has_probation)
        pack_cstr(pk, "probation"), msgpack_pack_uint64(pk, t->probation);
    pack_cstr(pk, "procedure"), pack_cstr(pk, procedure_wire[t->procedure]);
    if (t->prohibition[0] != '\0') {
        pack_cstr(pk, "prohibition"), pack_cstr(pk, t->prohibition);
        pack_cstr(pk, "prohibition_months"), msgpack_pack_uint64(pk, t->prohibition_months);
    }
    if (t->recidivist)
        pack_cstr(pk, "recidivist"), msgpack_pack_true(pk);
    if (t->ringleader)
        pack_cstr(pk, "ringleader"), msgpack_pack_true(pk);

    if (b.failed) {
        pl_packbuf_free(&b);
        return PL_E_NOMEM;
    }
    size_t n = b.sb.size;
    if (n > PL_TERMS_MAX_BYTES) { /* cannot happen within the limits of §15.2 */
        pl_packbuf_free(&b);
        return PL_E_TOO_BIG;
    }
    *out_len = n;
    if (n > cap) {
        pl_packbuf_free(&b);
        return PL_E_BUFSIZE;
    }
    memcpy(out, b.sb.data, n);
    pl_packbuf_free(&b);
    return PL_OK;
}

/* ---- hash (SPEC §15.3) -------------------------------------------------- */

void pl_terms_hash(const uint8_t *encoded, size_t len, uint8_t out[PL_HASH_BYTES])
{
    pl_hash3(out, terms_ctx, sizeof terms_ctx, encoded, len, NULL, 0);
}

/* ---- display (SPEC §15.5) ----------------------------------------------- */

/* SPEC §15.5 (v2): custody counts a day for a day against detention and
 * imprisonment (arts. 44, 47) and two days against surveillance (art. 41);
 * designated residence counts two for one, and a day for a day against
 * surveillance (CPL art. 76). Other penalties take no credit. */
int pl_terms_credit_days(const pl_terms *t, uint64_t *days)
{
    if (t == NULL || days == NULL)
        return PL_E_ARG;
    uint64_t c = t->has_custody_days ? t->custody_days : 0;
    uint64_t r = t->has_designated_residence_days ? t->designated_residence_days : 0;
    switch (t->penalty.kind) {
    case PL_PENALTY_SURVEILLANCE:
        *days = c * 2 + r;
        return PL_OK;
    case PL_PENALTY_DETENTION:
    case PL_PENALTY_IMPRISONMENT:
        *days = c + r / 2;
        return PL_OK;
    default:
        *days = 0;
        return PL_E_ARG; /* no term to credit */
    }
}

int pl_terms_format(const pl_terms *t, char *out, size_t cap)
{
    struct sbuf b;
    if (t == NULL || out == NULL)
        return PL_E_ARG;
    sb_init(&b, out, cap);
    sb_penalty(&b, &t->penalty);
    if (t->has_probation)
        sb_printf(&b, ", probation %llu month%s", (unsigned long long)t->probation,
                  plural(t->probation));
    if (t->has_fine) {
        sb_printf(&b, ", fine ");
        sb_yuan(&b, 0, t->fine);
    }
    if (t->has_political_rights)
        sb_printf(&b, ", deprivation of political rights %llu month%s",
                  (unsigned long long)t->political_rights, plural(t->political_rights));
    if ((int)t->confiscation > 0 && (int)t->confiscation < NCONFISCATIONS)
        sb_printf(&b, ", confiscation of %s", confiscation_text[t->confiscation]);
    else if (t->confiscation != PL_CONFISCATION_NONE)
        sb_printf(&b, ", unknown confiscation");
    if (t->deportation)
        sb_printf(&b, ", deportation");
    if (t->has_custody_days)
        sb_printf(&b, ", custody %llu day%s", (unsigned long long)t->custody_days,
                  plural(t->custody_days));
    if (t->has_designated_residence_days)
        sb_printf(&b, ", designated residence %llu day%s",
                  (unsigned long long)t->designated_residence_days,
                  plural(t->designated_residence_days));
    if (t->has_custody_days || t->has_designated_residence_days) {
        uint64_t credit = 0;
        if (pl_terms_credit_days(t, &credit) == PL_OK)
            sb_printf(&b, " (credited %llu day%s)", (unsigned long long)credit, plural(credit));
    }
    /* any struct at all: its texts are bounded, not trusted to end */
    if (t->occupation_ban[0] != '\0')
        sb_printf(&b, ", occupation ban %llu month%s: %.*s",
                  (unsigned long long)t->occupation_ban_months, plural(t->occupation_ban_months),
                  (int)field_len(t->occupation_ban, PL_TERMS_OCCUPATION_MAX), t->occupation_ban);
    if (t->prohibition[0] != '\0')
        sb_printf(&b, ", prohibition order %llu month%s: %.*s",
                  (unsigned long long)t->prohibition_months, plural(t->prohibition_months),
                  (int)field_len(t->prohibition, PL_TERMS_PROHIBITION_MAX), t->prohibition);
    if (pl_procedure_name(t->procedure) != NULL)
        sb_printf(&b, ", %s", procedure_text[t->procedure]);
    else
        sb_printf(&b, ", unknown procedure");
    if (b.over) {
        if (cap > 0)
            out[0] = '\0';
        return PL_E_BUFSIZE;
    }
    return PL_OK;
}

/* ---- Chinese legal writing (issue 15 §1) ------------------------------- */

void pl_zh_number(uint64_t n, char out[64])
{
    static const char *const dig[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    static const char *const unit[] = {"千", "百", "十", ""};
    static const unsigned pow10[] = {1000, 100, 10, 1};
    struct sbuf b;
    sb_init(&b, out, 64);
    if (n >= 100000000ull) {
        sb_printf(&b, "%llu", (unsigned long long)n);
        return;
    }
    if (n == 0) {
        sb_printf(&b, "%s", dig[0]);
        return;
    }
    unsigned sec[2] = {(unsigned)(n / 10000), (unsigned)(n % 10000)};
    int started = 0;
    for (int s = 0; s < 2; s++) {
        unsigned x = sec[s];
        if (x == 0)
            continue;
        /* a zero between the 万 and a low section under 1000 */
        if (s == 1 && started && x < 1000)
            sb_printf(&b, "%s", dig[0]);
        int zero = 0, any = 0;
        for (int u = 0; u < 4; u++) {
            unsigned d = x / pow10[u] % 10;
            if (d == 0) {
                zero = any;
                continue;
            }
            if (zero)
                sb_printf(&b, "%s", dig[0]);
            /* 十二, not 一十二, at the head of the number */
            if (!(d == 1 && u == 2 && !any && !started))
                sb_printf(&b, "%s", dig[d]);
            sb_printf(&b, "%s", unit[u]);
            zero = 0, any = 1;
        }
        if (s == 0)
            sb_printf(&b, "万");
        started = 1;
    }
}

void pl_zh_article(const char *article, char out[96])
{
    struct sbuf b;
    sb_init(&b, out, 96);
    char *end;
    unsigned long main = strtoul(article, &end, 10), sub = 0;
    int ok = end != article && main > 0 && main < 10000 && article[0] >= '0' && article[0] <= '9';
    if (ok && *end == '-') {
        const char *s = end + 1;
        sub = strtoul(s, &end, 10);
        ok = end != s && sub > 0 && sub < 100 && s[0] >= '0' && s[0] <= '9';
    }
    if (!ok || *end != '\0') {
        sb_printf(&b, "%s", article);
        return;
    }
    char n[64];
    pl_zh_number(main, n);
    sb_printf(&b, "第%s条", n);
    if (sub) {
        pl_zh_number(sub, n);
        sb_printf(&b, "之%s", n);
    }
}

/* The articles after "art. " or "arts. " (comma-separated), each as
 * pl_zh_article writes it, joined by 、; 0 if one is not an article. */
static int zh_articles(struct sbuf *b, const char *list)
{
    char one[32], zh[96];
    while (*list) {
        size_t n = strcspn(list, ",");
        if (n == 0 || n >= sizeof one)
            return 0;
        memcpy(one, list, n);
        one[n] = '\0';
        pl_zh_article(one, zh);
        if (strncmp(zh, "第", 3) != 0)
            return 0; /* not an article's shape: copied as given */
        sb_printf(b, "%s%s", b->len ? "、" : "", zh);
        list += n;
        while (*list == ',' || *list == ' ')
            list++;
    }
    return b->len > 0 && !b->over;
}

void pl_zh_basis(const char *basis, char *out, size_t cap)
{
    static const struct {
        const char *en, *zh;
    } laws[] = {
        {"Criminal Law ", "《中华人民共和国刑法》"},
        {"CPL ", "《中华人民共和国刑事诉讼法》"},
        {"2019 Guiding Opinions ", "《关于适用认罪认罚从宽制度的指导意见》（2019年）"},
        {"SPC provisions on property penalties ", "《最高人民法院关于适用财产刑若干问题的规定》"},
    };
    if (out == NULL || cap == 0)
        return;
    snprintf(out, cap, "%s", basis ? basis : "");
    if (basis == NULL)
        return;
    if (strncmp(basis, "SPEC §", strlen("SPEC §")) == 0) { /* "SPEC §15.7": the section */
        snprintf(out, cap, "规范 %s", basis + 5);
        return;
    }
    for (size_t i = 0; i < sizeof laws / sizeof laws[0]; i++) {
        size_t l = strlen(laws[i].en);
        const char *rest = basis + l, *list = NULL;
        if (strncmp(basis, laws[i].en, l) != 0)
            continue;
        if (strncmp(rest, "art. ", 5) == 0)
            list = rest + 5;
        else if (strncmp(rest, "arts. ", 6) == 0)
            list = rest + 6;
        char arts[256];
        struct sbuf b;
        sb_init(&b, arts, sizeof arts);
        if (list != NULL && zh_articles(&b, list))
            snprintf(out, cap, "%s%s", laws[i].zh, arts);
        return;
    }
}

/* months as judgments write them: 一年二个月, 一年, 二个月 */
static void zh_months(struct sbuf *b, uint64_t m)
{
    char n[64];
    if (m >= 12) {
        pl_zh_number(m / 12, n);
        sb_printf(b, "%s年", n);
    }
    if (m % 12 || m == 0) {
        pl_zh_number(m % 12, n);
        sb_printf(b, "%s个月", n);
    }
}

static void zh_yuan(struct sbuf *b, uint64_t fen)
{
    if (fen % 100 == 0) {
        char n[64];
        pl_zh_number(fen / 100, n);
        sb_printf(b, "人民币%s元", n);
        return;
    }
    sb_printf(b, "人民币");
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)(fen / 100));
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            sb_put(b, ",", 1);
        sb_put(b, digits + i, 1);
    }
    sb_printf(b, ".%02u元", (unsigned)(fen % 100));
}

void pl_yuan_text_zh(uint64_t fen, char out[PL_YUAN_TEXT_ZH_BYTES])
{
    struct sbuf b;
    sb_init(&b, out, PL_YUAN_TEXT_ZH_BYTES);
    zh_yuan(&b, fen);
}

int pl_terms_format_zh(const pl_terms *t, char *out, size_t cap)
{
    static const char *const kind_zh[] = {
        [PL_PENALTY_EXEMPTION] = "免予刑事处罚", [PL_PENALTY_SURVEILLANCE] = "管制",
        [PL_PENALTY_DETENTION] = "拘役",         [PL_PENALTY_IMPRISONMENT] = "有期徒刑",
        [PL_PENALTY_LIFE] = "无期徒刑",       [PL_PENALTY_ADDITIONAL] = "",
    };
    static const char *const proc_zh[] = {
        [PL_PROCEDURE_SPEEDY] = "速裁程序",
        [PL_PROCEDURE_SUMMARY] = "简易程序",
        [PL_PROCEDURE_ORDINARY] = "普通程序",
    };
    struct sbuf b;
    if (t == NULL || out == NULL)
        return PL_E_ARG;
    sb_init(&b, out, cap);
    const pl_penalty *p = &t->penalty;
    if (!kind_valid(p->kind)) {
        sb_printf(&b, "未知刑种");
    } else {
        sb_printf(&b, "%s", kind_zh[p->kind]);
        if (kinds[p->kind].months) {
            zh_months(&b, p->min);
            if (p->max != p->min) {
                sb_printf(&b, "至");
                zh_months(&b, p->max);
            }
        }
    }
    if (t->has_probation) {
        sb_printf(&b, "，缓刑");
        zh_months(&b, t->probation);
    }
    /* with a main penalty each additional one is 并处 (imposed with it);
     * alone, the first is 单处 (imposed alone), as judgments write
     * 单处罚金人民币一万元, and any other follows it */
    int alone = p->kind == PL_PENALTY_ADDITIONAL, first = alone;
#define ZH_WITH() (sb_printf(&b, "%s", !alone ? "，并处" : first ? "单处" : "，"), first = 0)
    if (t->has_fine) {
        ZH_WITH();
        sb_printf(&b, "罚金");
        zh_yuan(&b, t->fine);
    }
    if (t->has_political_rights) {
        ZH_WITH();
        sb_printf(&b, "剥夺政治权利");
        zh_months(&b, t->political_rights);
    }
    if (t->confiscation == PL_CONFISCATION_PART) {
        ZH_WITH();
        sb_printf(&b, "没收个人部分财产");
    } else if (t->confiscation == PL_CONFISCATION_ALL) {
        ZH_WITH();
        sb_printf(&b, "没收个人全部财产");
    } else if (t->confiscation != PL_CONFISCATION_NONE) {
        sb_printf(&b, "，没收财产（未知）");
    }
    if (t->deportation) {
        sb_printf(&b, "%s", !alone ? "，附加驱逐出境" : first ? "独立适用驱逐出境" : "，驱逐出境");
        first = 0;
    }
#undef ZH_WITH
    if (t->has_custody_days || t->has_designated_residence_days) {
        /* 先行羁押六十一日，指定居所监视居住二十日，折抵刑期六十一日 */
        char n[64];
        if (t->has_custody_days) {
            pl_zh_number(t->custody_days, n);
            sb_printf(&b, "，先行羁押%s日", n);
        }
        if (t->has_designated_residence_days) {
            pl_zh_number(t->designated_residence_days, n);
            sb_printf(&b, "，指定居所监视居住%s日", n);
        }
        uint64_t credit = 0;
        if (pl_terms_credit_days(t, &credit) == PL_OK) {
            pl_zh_number(credit, n);
            sb_printf(&b, "，折抵刑期%s日", n);
        }
    }
    if (t->occupation_ban[0] != '\0') {
        /* 禁止从事证券相关职业，期限三年 */
        sb_printf(&b, "，禁止从事%.*s", (int)field_len(t->occupation_ban, PL_TERMS_OCCUPATION_MAX),
                  t->occupation_ban);
        sb_printf(&b, "，期限");
        zh_months(&b, t->occupation_ban_months);
    }
    if (t->prohibition[0] != '\0') {
        /* 禁止令：禁止进入夜总会、酒吧等娱乐场所，期限六个月 */
        sb_printf(&b, "，禁止令：禁止%.*s，期限",
                  (int)field_len(t->prohibition, PL_TERMS_PROHIBITION_MAX), t->prohibition);
        zh_months(&b, t->prohibition_months);
    }
    if (pl_procedure_name(t->procedure) != NULL)
        sb_printf(&b, "，适用%s", proc_zh[t->procedure]);
    else
        sb_printf(&b, "，程序未知");
    if (b.over) {
        if (cap > 0)
            out[0] = '\0';
        return PL_E_BUFSIZE;
    }
    return PL_OK;
}

/* Values of one field for the diff. Each renders into a PL_TERMS_VALUE_MAX
 * buffer, and long text is cut with an ellipsis well before that. */
#define DIFF_TEXT_MAX 200

static void v_months(struct sbuf *b, int has, uint64_t v)
{
    if (has)
        sb_printf(b, "%llu month%s", (unsigned long long)v, plural(v));
    else
        sb_printf(b, "none");
}

static void v_charge(struct sbuf *b, const pl_terms *t, size_t i)
{
    size_t n = t->ncharges < PL_TERMS_MAX_CHARGES ? t->ncharges : PL_TERMS_MAX_CHARGES;
    if (i >= n) {
        sb_printf(b, "none");
        return;
    }
    const pl_charge *c = &t->charges[i];
    sb_text(b, c->name, field_len(c->name, PL_TERMS_NAME_MAX), DIFF_TEXT_MAX);
    sb_printf(b, " (art. ");
    sb_text(b, c->article, field_len(c->article, PL_TERMS_ARTICLE_MAX), PL_TERMS_ARTICLE_MAX + 1);
    sb_printf(b, ")");
    if (c->has_term)
        sb_printf(b, ", individual term %llu month%s", (unsigned long long)c->term,
                  plural(c->term));
}

static void v_text(struct sbuf *b, const char *s, size_t max)
{
    size_t n = field_len(s, max);
    if (n == 0)
        sb_printf(b, "none");
    else
        sb_text(b, s, n < max ? n : max, DIFF_TEXT_MAX);
}

/* A set of words (grounds, impairments) as a diff shows it (SPEC §15.5). */
static void v_set(struct sbuf *b, unsigned g, const char *const *names, unsigned count)
{
    int first = 1;
    for (unsigned i = 0; i < count; i++)
        if (g & (1u << i)) {
            sb_printf(b, "%s%s", first ? "" : ", ", names[i]);
            first = 0;
        }
    if (g >> count)
        sb_printf(b, "%sunknown", first ? "" : ", "), first = 0;
    if (first)
        sb_printf(b, "none");
}

enum {
    F_PENALTY,
    F_PROBATION,
    F_FINE,
    F_POLITICAL_RIGHTS,
    F_CONFISCATION,
    F_DEPORTATION,
    F_CUSTODY_DAYS,
    F_DESIGNATED_RESIDENCE_DAYS,
    F_OCCUPATION_BAN,
    F_PROHIBITION,
    F_PROCEDURE,
    F_CHARGES, /* one per charge position */
    F_FACTS,
    F_GROUNDS,
    F_GROUNDS_TEXT,
    F_IMPAIRMENT,
    F_MINOR,
    F_RECIDIVIST,
    F_RINGLEADER,
};

static void render(struct sbuf *b, const pl_terms *t, int field, size_t i)
{
    switch (field) {
    case F_PENALTY:
        sb_penalty(b, &t->penalty);
        break;
    case F_PROBATION:
        v_months(b, t->has_probation, t->probation);
        break;
    case F_FINE:
        if (t->has_fine)
            sb_yuan(b, 0, t->fine);
        else
            sb_printf(b, "none");
        break;
    case F_POLITICAL_RIGHTS:
        v_months(b, t->has_political_rights, t->political_rights);
        break;
    case F_CONFISCATION:
        if (t->confiscation == PL_CONFISCATION_NONE)
            sb_printf(b, "none");
        else if ((int)t->confiscation > 0 && (int)t->confiscation < NCONFISCATIONS)
            sb_printf(b, "%s", confiscation_text[t->confiscation]);
        else
            sb_printf(b, "unknown");
        break;
    case F_DEPORTATION:
        sb_printf(b, "%s", t->deportation ? "yes" : "no");
        break;
    case F_CUSTODY_DAYS:
        if (t->has_custody_days)
            sb_printf(b, "%llu day%s", (unsigned long long)t->custody_days, plural(t->custody_days));
        else
            sb_printf(b, "none");
        break;
    case F_OCCUPATION_BAN:
        if (t->occupation_ban[0] != '\0') {
            sb_printf(b, "%llu month%s: ", (unsigned long long)t->occupation_ban_months,
                      plural(t->occupation_ban_months));
            v_text(b, t->occupation_ban, PL_TERMS_OCCUPATION_MAX);
        } else {
            sb_printf(b, "none");
        }
        break;
    case F_PROHIBITION:
        if (t->prohibition[0] != '\0') {
            sb_printf(b, "%llu month%s: ", (unsigned long long)t->prohibition_months,
                      plural(t->prohibition_months));
            v_text(b, t->prohibition, PL_TERMS_PROHIBITION_MAX);
        } else {
            sb_printf(b, "none");
        }
        break;
    case F_DESIGNATED_RESIDENCE_DAYS:
        if (t->has_designated_residence_days)
            sb_printf(b, "%llu day%s", (unsigned long long)t->designated_residence_days,
                      plural(t->designated_residence_days));
        else
            sb_printf(b, "none");
        break;
    case F_PROCEDURE:
        sb_printf(b, "%s",
                  pl_procedure_name(t->procedure) ? procedure_text[t->procedure] : "unknown");
        break;
    case F_CHARGES:
        v_charge(b, t, i);
        break;
    case F_FACTS:
        v_text(b, t->facts, PL_TERMS_FACTS_MAX);
        break;
    case F_GROUNDS:
        v_set(b, t->grounds, ground_wire, GROUNDS_MAX);
        break;
    case F_GROUNDS_TEXT:
        v_text(b, t->grounds_text, PL_TERMS_GROUNDS_TEXT_MAX);
        break;
    case F_IMPAIRMENT:
        v_set(b, t->impairment, impairment_wire, IMPAIRMENTS_MAX);
        break;
    case F_MINOR:
        sb_printf(b, "%s", t->minor ? "yes" : "no");
        break;
    case F_RECIDIVIST:
        sb_printf(b, "%s", t->recidivist ? "yes" : "no");
        break;
    case F_RINGLEADER:
        sb_printf(b, "%s", t->ringleader ? "yes" : "no");
        break;
    default:
        break;
    }
}

static int same_str(const char *a, const char *b, size_t max)
{
    size_t n = field_len(a, max);
    return n == field_len(b, max) && memcmp(a, b, n < max ? n : max) == 0;
}

static int same_charge(const pl_terms *a, const pl_terms *b, size_t i)
{
    size_t na = a->ncharges < PL_TERMS_MAX_CHARGES ? a->ncharges : PL_TERMS_MAX_CHARGES;
    size_t nb = b->ncharges < PL_TERMS_MAX_CHARGES ? b->ncharges : PL_TERMS_MAX_CHARGES;
    if ((i < na) != (i < nb))
        return 0;
    if (i >= na)
        return 1;
    const pl_charge *x = &a->charges[i], *y = &b->charges[i];
    return same_str(x->article, y->article, PL_TERMS_ARTICLE_MAX) &&
           same_str(x->name, y->name, PL_TERMS_NAME_MAX) && !x->has_term == !y->has_term &&
           (!x->has_term || x->term == y->term) && x->bracket == y->bracket;
}

/* Whether field (position i, for charges) is the same in a and b. Values
 * are compared, not their renderings: two facts that differ after the cut
 * of the display still count as a change. */
static int same(const pl_terms *a, const pl_terms *b, int field, size_t i)
{
    const pl_penalty *p = &a->penalty, *q = &b->penalty;
    switch (field) {
    case F_PENALTY:
        return p->kind == q->kind && p->min == q->min && p->max == q->max;
    case F_PROBATION:
        return !a->has_probation == !b->has_probation &&
               (!a->has_probation || a->probation == b->probation);
    case F_FINE:
        return !a->has_fine == !b->has_fine && (!a->has_fine || a->fine == b->fine);
    case F_POLITICAL_RIGHTS:
        return !a->has_political_rights == !b->has_political_rights &&
               (!a->has_political_rights || a->political_rights == b->political_rights);
    case F_CONFISCATION:
        return a->confiscation == b->confiscation;
    case F_DEPORTATION:
        return !a->deportation == !b->deportation;
    case F_CUSTODY_DAYS:
        return !a->has_custody_days == !b->has_custody_days &&
               (!a->has_custody_days || a->custody_days == b->custody_days);
    case F_OCCUPATION_BAN:
        return a->occupation_ban_months == b->occupation_ban_months &&
               same_str(a->occupation_ban, b->occupation_ban, PL_TERMS_OCCUPATION_MAX);
    case F_PROHIBITION:
        return a->prohibition_months == b->prohibition_months &&
               same_str(a->prohibition, b->prohibition, PL_TERMS_PROHIBITION_MAX);
    case F_DESIGNATED_RESIDENCE_DAYS:
        return !a->has_designated_residence_days == !b->has_designated_residence_days &&
               (!a->has_designated_residence_days ||
                a->designated_residence_days == b->designated_residence_days);
    case F_PROCEDURE:
        return a->procedure == b->procedure;
    case F_CHARGES:
        return same_charge(a, b, i);
    case F_FACTS:
        return same_str(a->facts, b->facts, PL_TERMS_FACTS_MAX);
    case F_GROUNDS:
        return a->grounds == b->grounds;
    case F_GROUNDS_TEXT:
        return same_str(a->grounds_text, b->grounds_text, PL_TERMS_GROUNDS_TEXT_MAX);
    case F_IMPAIRMENT:
        return a->impairment == b->impairment;
    case F_MINOR:
        return !a->minor == !b->minor;
    case F_RECIDIVIST:
        return !a->recidivist == !b->recidivist;
    case F_RINGLEADER:
        return !a->ringleader == !b->ringleader;
    default:
        return 1;
    }
}

static const char *const field_names[] = {
    [F_PENALTY] = "penalty",
    [F_PROBATION] = "probation",
    [F_FINE] = "fine",
    [F_POLITICAL_RIGHTS] = "political_rights",
    [F_CONFISCATION] = "confiscation",
    [F_DEPORTATION] = "deportation",
    [F_CUSTODY_DAYS] = "custody_days",
    [F_DESIGNATED_RESIDENCE_DAYS] = "designated_residence_days",
    [F_OCCUPATION_BAN] = "occupation_ban",
    [F_PROHIBITION] = "prohibition",
    [F_PROCEDURE] = "procedure",
    [F_CHARGES] = "charges",
    [F_FACTS] = "facts",
    [F_GROUNDS] = "grounds",
    [F_GROUNDS_TEXT] = "grounds_text",
    [F_IMPAIRMENT] = "impairment",
    [F_MINOR] = "minor",
    [F_RECIDIVIST] = "recidivist",
    [F_RINGLEADER] = "ringleader",
};

int pl_terms_diff(const pl_terms *a, const pl_terms *b, pl_terms_change *out, size_t cap, size_t *n)
{
    size_t count = 0;
    if (n != NULL)
        *n = 0;
    if (a == NULL || b == NULL || n == NULL || (out == NULL && cap > 0))
        return PL_E_ARG;
    size_t na = a->ncharges < PL_TERMS_MAX_CHARGES ? a->ncharges : PL_TERMS_MAX_CHARGES;
    size_t nb = b->ncharges < PL_TERMS_MAX_CHARGES ? b->ncharges : PL_TERMS_MAX_CHARGES;
    size_t positions = na > nb ? na : nb;

    for (int f = F_PENALTY; f <= F_RINGLEADER; f++) {
        size_t reps = f == F_CHARGES ? positions : 1;
        for (size_t i = 0; i < reps; i++) {
            if (same(a, b, f, i))
                continue;
            if (count < cap) {
                pl_terms_change *c = &out[count];
                struct sbuf s;
                if (f == F_CHARGES)
                    snprintf(c->field, sizeof c->field, "charges[%zu]", i + 1);
                else
                    snprintf(c->field, sizeof c->field, "%s", field_names[f]);
                sb_init(&s, c->old_value, sizeof c->old_value);
                render(&s, a, f, i);
                sb_init(&s, c->new_value, sizeof c->new_value);
                render(&s, b, f, i);
            }
            count++;
        }
    }
    *n = count;
    return count > cap ? PL_E_BUFSIZE : PL_OK;
}
