/* The negotiation verbs that sign through the local node: parley case-create
 * | join | opinion | respond | sign | withdraw | close. Each builds one body
 * (SPEC §13.5), sends it with the control request "post" and prints the new
 * message's id; the node signs it only if the rules allow it (it answers
 * with the rule's code otherwise, SPEC §13, §14.6), so a refused action
 * changes nothing. Messages are named by id or a unique prefix (8+ hex
 * digits) as `parley log`/`verify --timeline` print them.
 *
 * Offers and counter-offers (terms) come with the terms input format. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <msgpack.h>
#include <sodium.h>

#include "cli.h"
#include "ctl.h"

#define TIMEOUT_MS 15000
#define DISCLOSE_FILES_MAX 64 /* items of one disclosure (SPEC §13.12) */

struct act {
    const char *verb;
    const char *home;
    const char *as;     /* author key hex, or NULL: the node's first key */
    const char *passfile; /* a held key's passphrase (SPEC §14.12), else asked */
    int json, force, help, public_ok;
    int yes; /* --yes: no question on a terminal (issue 15 §4) */
    const char *args[2 + DISCLOSE_FILES_MAX]; /* CASE, a message, files */
    int nargs;
    /* options */
    const char *title, *text, *topic, *decision, *regarding, *offer;
    const char *time, *venue, *mode, *media, *round; /* sessions, recordings, draws */
    const char *id_number, *session; /* the suspect's identity (SPEC §13.2, §13.3) */
    const char *stage, *court, *date, *adopted; /* retraction, judgment (§13.15, §13.23) */
    const char *ground, *request;               /* court adjustment, reopen (§13.16) */
    const char *amount; /* an opinion's compensation demand, yuan (§13.7) */
    const char *dissent;                        /* counsel's dissent (§13.9) */
    const char *language;                       /* the rights notice's (§13.24) */
    const char *kind, *agreed, *paid, *accepts; /* a settlement (§13.25) */
    const char *agrees;                         /* a guardian's consent (§13.26) */
    const char *withdraw;                       /* a settlement proposal withdrawn (§13.25) */
    const char *deadline;                       /* the procuratorate's clock (§13.2) */
    const char *closed, *birth, *nationality, *slanguage; /* §13.2 (v2) */
    int forgiveness;
    int witness;                                /* counsel witnesses (§13.9 F0) */
    int facility;
    const char *participants[PL_MAX_PARTICIPANTS];
    int nparticipants;
    const char *pool[PL_MAX_PARTICIPANTS];
    int npool;
    /* Prepared by a verb before its body is built. */
    const uint8_t *terms;
    size_t terms_len;
    const char *answers;
    pl_item items[DISCLOSE_FILES_MAX];
    size_t nitems;
    uint64_t type;      /* for the verbs that only name an earlier message */
    uint64_t want_type; /* the type that message must have */
    pl_body extra;      /* session proposal fields */
    uint8_t keys[PL_CONTROL_MAX_KEYS][PL_PK_BYTES]; /* the node's keys (act_run) */
    size_t nkeys;
};

/* Each verb's own flags (issue 13 §2): a flag another verb takes is refused
 * here, not silently ignored (`parley sign --venue x` used to pass). Every
 * verb also takes --help, --json, --home, --as and --force; --text and
 * --reasons are one flag. */
static const struct {
    const char *verb, *flags;
} verb_flags[] = {
    {"case-create", " --title --participant --pool --id-number --deadline --language --closed "
                    "--suspect-birth --suspect-nationality --suspect-language "},
    {"join", " --id-number --session "},
    {"opinion", " --topic --text --reasons --regarding --amount "},
    {"respond", " --decision --text --reasons "},
    {"sign", " --session --witness --dissent "},
    {"withdraw", " --offer --text --reasons "},
    {"close", " --text --reasons "},
    {"retract", " --text --reasons --stage "},
    {"judgment", " --court --date --adopted "},
    {"court-adjust", " --court --ground --text --reasons "},
    {"notice", " --language --text --reasons "},
    {"notice-ack", " "},
    {"settle", " --kind --agreed --paid --forgiveness --accepts --withdraw --text --reasons "},
    {"consent", " --session --agrees --text --reasons "},
    {"interpret", " --session --language "},
    {"publicity", " --agrees "},
    {"reopen", " --ground --request --text --reasons "},
    {"offer", " "},
    {"disclose", " "},
    {"ack", " "},
    {"session-accept", " --public "},
    {"session-decline", " --text --reasons "},
    {"session-propose", " --time --venue --mode --detention-facility --public "},
    {"observe", " --text --reasons --regarding "},
    {"recording", " --media "},
    {"draw-commit", " --round "},
    {"draw-reveal", " --round "},
};

/* Whether verb takes flag (one of parse()'s). */
static int verb_takes(const char *verb, const char *flag)
{
    static const char common[] = " --help --json --home --as --force --passphrase-file --yes ";
    char pat[40];
    if (snprintf(pat, sizeof pat, " %s ", flag) >= (int)sizeof pat)
        return 0;
    if (strstr(common, pat) != NULL)
        return 1;
    for (size_t i = 0; i < sizeof verb_flags / sizeof verb_flags[0]; i++)
        if (strcmp(verb_flags[i].verb, verb) == 0)
            return strstr(verb_flags[i].flags, pat) != NULL;
    return 1; /* a verb without a row takes them all */
}

static int parse(int argc, char **argv, struct act *a, int max_args)
{
    memset(a, 0, sizeof *a);
    a->verb = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int more = i + 1 < argc;
        if (strncmp(s, "--", 2) == 0 && s[2] != '\0' && !verb_takes(a->verb, s)) {
            int known = 0;
            for (size_t k = 0; k < sizeof verb_flags / sizeof verb_flags[0] && !known; k++) {
                char pat[40];
                snprintf(pat, sizeof pat, " %s ", s);
                known = strstr(verb_flags[k].flags, pat) != NULL;
            }
            fprintf(stderr,
                    known ? _("parley %s: %s belongs to another verb, not this one (see parley %s "
                              "--help)\n")
                          : _("parley %s: %s is not an option (see parley %s --help)\n"),
                    a->verb, s, a->verb);
            return EXIT_USAGE;
        }
        if (strcmp(s, "--help") == 0)
            a->help = 1;
        else if (strcmp(s, "--json") == 0)
            a->json = 1;
        else if (strcmp(s, "--force") == 0)
            a->force = 1;
        else if (strcmp(s, "--yes") == 0)
            a->yes = 1;
        else if (strcmp(s, "--public") == 0)
            a->public_ok = 1;
        else if (strcmp(s, "--detention-facility") == 0)
            a->facility = 1;
        else if (strcmp(s, "--witness") == 0)
            a->witness = 1;
        else if (strcmp(s, "--forgiveness") == 0)
            a->forgiveness = 1;
        else if (more && strcmp(s, "--kind") == 0)
            a->kind = argv[++i];
        else if (more && strcmp(s, "--agreed") == 0)
            a->agreed = argv[++i];
        else if (more && strcmp(s, "--paid") == 0)
            a->paid = argv[++i];
        else if (more && strcmp(s, "--accepts") == 0)
            a->accepts = argv[++i];
        else if (more && strcmp(s, "--agrees") == 0)
            a->agrees = argv[++i];
        else if (more && strcmp(s, "--withdraw") == 0)
            a->withdraw = argv[++i];
        else if (more && strcmp(s, "--deadline") == 0)
            a->deadline = argv[++i];
        else if (more && strcmp(s, "--closed") == 0)
            a->closed = argv[++i];
        else if (more && strcmp(s, "--suspect-birth") == 0)
            a->birth = argv[++i];
        else if (more && strcmp(s, "--suspect-nationality") == 0)
            a->nationality = argv[++i];
        else if (more && strcmp(s, "--suspect-language") == 0)
            a->slanguage = argv[++i];
        else if (more && strcmp(s, "--dissent") == 0)
            a->dissent = argv[++i];
        else if (more && strcmp(s, "--amount") == 0)
            a->amount = argv[++i];
        else if (more && strcmp(s, "--time") == 0)
            a->time = argv[++i];
        else if (more && strcmp(s, "--venue") == 0)
            a->venue = argv[++i];
        else if (more && strcmp(s, "--mode") == 0)
            a->mode = argv[++i];
        else if (more && strcmp(s, "--media") == 0)
            a->media = argv[++i];
        else if (more && strcmp(s, "--round") == 0)
            a->round = argv[++i];
        else if (more && strcmp(s, "--id-number") == 0)
            a->id_number = argv[++i];
        else if (more && strcmp(s, "--session") == 0)
            a->session = argv[++i];
        else if (more && strcmp(s, "--stage") == 0)
            a->stage = argv[++i];
        else if (more && strcmp(s, "--court") == 0)
            a->court = argv[++i];
        else if (more && strcmp(s, "--date") == 0)
            a->date = argv[++i];
        else if (more && strcmp(s, "--adopted") == 0)
            a->adopted = argv[++i];
        else if (more && strcmp(s, "--ground") == 0)
            a->ground = argv[++i];
        else if (more && strcmp(s, "--language") == 0)
            a->language = argv[++i];
        else if (more && strcmp(s, "--request") == 0)
            a->request = argv[++i];
        else if (more && strcmp(s, "--home") == 0)
            a->home = argv[++i];
        else if (more && strcmp(s, "--as") == 0)
            a->as = argv[++i];
        else if (more && strcmp(s, "--passphrase-file") == 0)
            a->passfile = argv[++i];
        else if (more && strcmp(s, "--title") == 0)
            a->title = argv[++i];
        else if (more && (strcmp(s, "--text") == 0 || strcmp(s, "--reasons") == 0))
            a->text = argv[++i];
        else if (more && strcmp(s, "--topic") == 0)
            a->topic = argv[++i];
        else if (more && strcmp(s, "--decision") == 0)
            a->decision = argv[++i];
        else if (more && strcmp(s, "--regarding") == 0)
            a->regarding = argv[++i];
        else if (more && strcmp(s, "--offer") == 0)
            a->offer = argv[++i];
        else if (more && strcmp(s, "--participant") == 0 && a->nparticipants < PL_MAX_PARTICIPANTS)
            a->participants[a->nparticipants++] = argv[++i];
        else if (more && strcmp(s, "--pool") == 0 && a->npool < PL_MAX_PARTICIPANTS)
            a->pool[a->npool++] = argv[++i];
        else if (s[0] == '-' || a->nargs == max_args) {
            fprintf(stderr, _("parley %s: unexpected argument '%s' (see --help)\n"), a->verb, s);
            return EXIT_USAGE;
        } else
            a->args[a->nargs++] = s;
    }
    a->home = cli_home(a->home);
    return 0;
}

static int hex32(const char *s, uint8_t out[32])
{
    size_t got;
    return s && strlen(s) == 64 && sodium_hex2bin(out, 32, s, 64, NULL, &got, NULL) == 0 &&
                   got == 32
               ? 0
               : -1;
}

/* The case's log as the node holds it, and the node's keys, in one round
 * trip (issue 13 §2); judged here (cli/log.c) without checking again the
 * signatures the node checked on arrival. */
static int fetch_log(struct act *a, const char *case_arg, cli_log *l, pl_case **c)
{
    uint8_t id[PL_CASE_ID_BYTES], *log;
    size_t len;
    int rc = cli_node_read(a->verb, a->home, case_arg, id, &log, &len, a->keys,
                           PL_CONTROL_MAX_KEYS, &a->nkeys);
    if (rc != 0)
        return rc;
    rc = cli_log_read_own(log, len, l);
    free(log);
    if (rc != PL_OK || (*c = cli_log_judge(l)) == NULL) {
        fprintf(stderr, _("parley %s: could not read the case from the node\n"), a->verb);
        if (rc == PL_OK)
            cli_log_free(l);
        return EXIT_CHECK;
    }
    return 0;
}

/* The terms an offer carried, in words: what was signed, so a unit
 * mistake (a fine in fen written as yuan) shows at once. */
static void print_terms(const pl_body *b)
{
    pl_terms *t = malloc(sizeof *t);
    char text[PL_TERMS_TEXT_MAX];
    if (t && pl_terms_decode(b->u.offer.terms, b->u.offer.terms_len, t, NULL) == PL_OK &&
        cli_terms_text(t, text, sizeof text) == PL_OK)
        printf(_("terms %s\n"), text);
    free(t);
}

/* Sends the body; prints the id. */
static int post(const struct act *a, const uint8_t case_id[32], const pl_body *b)
{
    uint8_t *body = malloc(PL_BODY_MAX_BYTES), author[32];
    size_t blen;
    int rc = body ? pl_body_encode(b, body, PL_BODY_MAX_BYTES, &blen) : PL_E_NOMEM;
    if (rc != PL_OK) {
        fprintf(stderr, _("parley %s: %s\n"), a->verb, cli_strerror(rc));
        free(body);
        return EXIT_USAGE;
    }
    if (a->as && hex32(a->as, author) != 0) {
        fprintf(stderr, _("parley %s: --as needs one of the node's public keys (64 hex digits; "
                        "parley status --json lists them)\n"), a->verb);
        free(body);
        return EXIT_USAGE;
    }
    /* SPEC §14.12 *Held keys*: the node answers PL_E_PASSPHRASE when the
     * author's key is held by its owner; the holder's passphrase is then
     * asked (or read from --passphrase-file) and the act sent again, once. */
    char *pass = a->passfile ? io_passphrase(a->passfile, 0) : NULL;
    if (a->passfile && pass == NULL) {
        free(body);
        return EXIT_USAGE;
    }
    uint8_t *raw = NULL;
    size_t rlen, off;
    msgpack_unpacked up;
    msgpack_unpacked_init(&up);
    int ok;
    const msgpack_object *code, *res;
again:
    off = 0;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    pl_control_request_init(&sb, &pk, 7, "post");
    msgpack_pack_bin(&pk, 32);
    msgpack_pack_bin_body(&pk, case_id, 32);
    msgpack_pack_uint64(&pk, b->type);
    msgpack_pack_bin(&pk, blen);
    msgpack_pack_bin_body(&pk, body, blen);
    if (a->as) {
        msgpack_pack_bin(&pk, 32);
        msgpack_pack_bin_body(&pk, author, 32);
    } else
        msgpack_pack_nil(&pk);
    if (a->force)
        msgpack_pack_true(&pk);
    else
        msgpack_pack_false(&pk);
    if (pass) {
        msgpack_pack_str(&pk, strlen(pass));
        msgpack_pack_str_body(&pk, pass, strlen(pass));
    } else
        msgpack_pack_nil(&pk);
    rc = pl_control_call(a->home, (const uint8_t *)sb.data, sb.size, TIMEOUT_MS, &raw, &rlen);
    sodium_memzero(sb.data, sb.size);
    msgpack_sbuffer_destroy(&sb);
    if (rc != PL_OK) {
        cli_control_failed(a->verb, a->home, rc);
        free(body);
        if (pass)
            sodium_free(pass);
        return EXIT_CHECK;
    }
    ok = msgpack_unpack_next(&up, (const char *)raw, rlen, &off) == MSGPACK_UNPACK_SUCCESS &&
         up.data.type == MSGPACK_OBJECT_ARRAY && up.data.via.array.size == 2;
    code = ok ? &up.data.via.array.ptr[0] : NULL;
    res = ok ? &up.data.via.array.ptr[1] : NULL;
    if (ok && pass == NULL && code->type == MSGPACK_OBJECT_NEGATIVE_INTEGER &&
        code->via.i64 == PL_E_PASSPHRASE) {
        fprintf(stderr, _("parley %s: the key %.16s… is held by its owner: its holder types their "
                          "own passphrase now\n"), a->verb, a->as ? a->as : "");
        free(raw);
        raw = NULL;
        if ((pass = io_passphrase(NULL, 0)) != NULL)
            goto again;
        msgpack_unpacked_destroy(&up);
        free(body);
        return EXIT_USAGE;
    }
    free(body);
    if (pass)
        sodium_free(pass);
    if (!ok) {
        cli_bad_answer(a->verb);
        rc = EXIT_CHECK;
    } else if (code->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        int err = (int)code->via.i64;
        /* a held key's refusal: the rule's own words say it best */
        int str = err != PL_E_PASSPHRASE && res->type == MSGPACK_OBJECT_STR;
        cli_node_refused(a->verb, "post", N_("refused, nothing was sent"), err,
                         str ? res->via.str.ptr : NULL, str ? res->via.str.size : 0);
        if (a->json) {
            printf("{\"sent\":false,\"error\":\"%s\",\"code\":%d}\n", pl_errname(err), err);
        }
        rc = EXIT_CHECK;
    } else if (res->type == MSGPACK_OBJECT_BIN && res->via.bin.size == 32) {
        char hex[65], chex[65];
        cli_hex((const uint8_t *)res->via.bin.ptr, 32, hex);
        cli_hex(case_id, 32, chex);
        if (a->json)
            printf("{\"sent\":true,\"case\":\"%s\",\"id\":\"%s\",\"type\":\"%s\"}\n", chex, hex,
                   pl_msg_type_name(b->type));
        else if (b->type == PL_T_CHARTER)
            printf(_("case %s\ncharter %s\n"), chex, hex);
        else
            printf("%s %s\n", pl_msg_type_name(b->type), hex);
        if (!a->json && b->type == PL_T_OFFER)
            print_terms(b);
        rc = 0;
    } else {
        rc = EXIT_CHECK;
    }
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

/* ---- the suspect's identity (SPEC §13.2, §13.3) ------------------------------- */

/* The identity hash of --id-number for the case ("-" reads one line from
 * standard input, so the number stays out of the shell's history and the
 * process list); 0 or an exit code (printed). */
static int id_hash_arg(const struct act *a, const uint8_t case_id[32], uint8_t out[32])
{
    char line[256];
    const char *number = a->id_number;
    if (strcmp(number, "-") == 0) {
        if (fgets(line, sizeof line, stdin) == NULL) {
            fprintf(stderr, _("parley %s: --id-number -: no line on standard input\n"), a->verb);
            return EXIT_USAGE;
        }
        line[strcspn(line, "\r\n")] = '\0';
        number = line;
    }
    int rc = pl_identity_hash(case_id, number, out);
    sodium_memzero(line, sizeof line);
    if (rc == PL_E_IDENTITY) {
        fprintf(stderr, _("parley %s: --id-number: not an identity document number: use the number "
                        "as the document prints it (letters, digits, spaces, hyphens; an 18-digit "
                        "resident number must end in its check character; SPEC §13.2)\n"), a->verb);
        return EXIT_USAGE;
    }
    if (rc != PL_OK) {
        fprintf(stderr, _("parley %s: cannot compute the identity hash: %s\n"), a->verb,
                cli_strerror(rc));
        return EXIT_CHECK;
    }
    return 0;
}

/* ---- case-create --------------------------------------------------------------- */

static int cmp_participant(const void *x, const void *y)
{
    return memcmp(((const pl_participant *)x)->key, ((const pl_participant *)y)->key, 32);
}

static int cmp_key(const void *x, const void *y)
{
    return memcmp(x, y, 32);
}

int cmd_case_create_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 0) != 0)
        return EXIT_USAGE;
    if (a.help || a.title == NULL || a.nparticipants == 0) {
        fprintf(a.help ? stdout : stderr,
                _("usage: parley case-create --title TEXT --participant ROLE:KEY:NAME...\n"
                  "                          [--id-number NUMBER|-] [--pool KEY...] [--home DIR]\n"
                  "                          [--deadline YYYY-MM-DD] [--language TAG]\n"
                  "                          [--closed state_secret|privacy|trade_secret]\n"
                  "                          [--suspect-birth YYYY-MM-DD] [--suspect-nationality CCC]\n"
                  "                          [--suspect-language TAG] [--json]\n\n"
                  "Signs a new case's charter with the local node's key (the prosecution's,\n"
                  "SPEC §13.2): its participants (ROLE one of prosecution, suspect, counsel —\n"
                  "the retained defender —, duty_lawyer, victim, observer, guardian — a\n"
                  "minor's legal representative —, interpreter; KEY a public key in hex;\n"
                  "NAME shown to people) and, if no\n"
                  "observer is named, the pool the observer is drawn from. Prints the case id.\n"
                  "The nodes of the participants learn of the case when they connect.\n\n"
                  "--id-number binds the suspect's seat to a person: the suspect's NAME is then\n"
                  "the legal name on the identity document, and the charter carries a salted\n"
                  "Argon2id hash of the document's number (never the number; '-' reads it from\n"
                  "standard input). The suspect confirms both when joining, in a fixed session\n"
                  "(SPEC §13.3); a court verifies them with parley verify --id-number.\n\n"
                  "--deadline YYYY-MM-DD: the day by which the procuratorate must decide on\n"
                  "prosecution (CPL art. 172), shown to every party; it binds the\n"
                  "procuratorate, never the defense (SPEC §13.2).\n\n"
                  "--suspect-birth, --suspect-nationality (ISO 3166-1 alpha-3, e.g. CHN) and\n"
                  "--suspect-language (a language tag, e.g. ug, en) give the suspect's\n"
                  "particulars as the plea statement's heading states them. --language is the\n"
                  "language of the proceedings (default zh): a suspect whose language is\n"
                  "another signs only after an interpreter (role interpreter) has stated,\n"
                  "with parley interpret, that the signing was interpreted (CPL art. 9;\n"
                  "SPEC §13.27). --closed: the law forbids publicity of the case (CPL art.\n"
                  "188); no session is then publicly observed (SPEC §13.11).\n"));
        return a.help ? EXIT_OK : EXIT_USAGE;
    }
    pl_participant ps[PL_MAX_PARTICIPANTS];
    memset(ps, 0, sizeof ps);
    for (int i = 0; i < a.nparticipants; i++) {
        const char *s = a.participants[i];
        const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        char key[65];
        if (c1 == NULL || c2 == NULL || c2 - c1 - 1 != 64) {
            fprintf(stderr, _("parley case-create: --participant '%s': use ROLE:KEY:NAME\n"), s);
            return EXIT_USAGE;
        }
        memcpy(key, c1 + 1, 64);
        key[64] = '\0';
        ps[i].role = pl_role_from_name(s, (size_t)(c1 - s));
        /* SPEC §13.9 F0b: a duty lawyer is counsel in that capacity */
        if (c1 - s == 11 && strncmp(s, "duty_lawyer", 11) == 0)
            ps[i].role = PL_ROLE_COUNSEL, ps[i].capacity = PL_CAPACITY_DUTY_LAWYER;
        ps[i].name = (char *)(c2 + 1);
        if (ps[i].role == PL_ROLE_NONE || hex32(key, ps[i].key) != 0) {
            fprintf(stderr, _("parley case-create: --participant '%s': unknown role or bad key\n"), s);
            return EXIT_USAGE;
        }
    }
    qsort(ps, (size_t)a.nparticipants, sizeof ps[0], cmp_participant);
    uint8_t pool[PL_MAX_PARTICIPANTS][32];
    for (int i = 0; i < a.npool; i++)
        if (hex32(a.pool[i], pool[i]) != 0) {
            fprintf(stderr, _("parley case-create: --pool '%s': not a public key\n"), a.pool[i]);
            return EXIT_USAGE;
        }
    qsort(pool, (size_t)a.npool, 32, cmp_key);

    pl_body b = {.type = PL_T_CHARTER};
    randombytes_buf(b.u.charter.case_nonce, 32);
    b.u.charter.title = (char *)a.title;
    b.u.charter.participants = ps;
    b.u.charter.nparticipants = (size_t)a.nparticipants;
    b.u.charter.pool = a.npool ? pool : NULL;
    b.u.charter.npool = (size_t)a.npool;
    if (a.deadline != NULL) { /* SPEC §13.2 *Deadline* */
        char when[32];
        int64_t t = -1;
        /* noon UTC: the same day in every time zone people read it in */
        if (strlen(a.deadline) == 10 && snprintf(when, sizeof when, "%sT12:00", a.deadline) == 16)
            t = cli_parse_utc(when);
        if (t < 0) {
            fprintf(stderr, _("parley case-create: --deadline '%s': a day, YYYY-MM-DD\n"), a.deadline);
            return EXIT_USAGE;
        }
        b.u.charter.has_deadline = 1, b.u.charter.deadline_ms = (uint64_t)t;
    }
    /* SPEC §13.2 (v2): the language of the proceedings, and a closed case */
    if (a.language != NULL) {
        if (!pl_language_tag_valid(a.language, strlen(a.language))) {
            fprintf(stderr, _("parley case-create: --language '%s': a language tag such as zh, ug "
                              "or en (SPEC §13.2)\n"), a.language);
            return EXIT_USAGE;
        }
        b.u.charter.language = (char *)a.language;
    }
    if (a.closed != NULL) {
        for (int w = PL_CLOSED_STATE_SECRET; w <= PL_CLOSED_TRADE_SECRET; w++)
            if (strcmp(a.closed, pl_closed_name((pl_closed)w)) == 0)
                b.u.charter.closed = (pl_closed)w;
        if (b.u.charter.closed == PL_CLOSED_NONE) {
            fprintf(stderr, _("parley case-create: --closed '%s': one of state_secret, privacy, "
                              "trade_secret (CPL art. 188)\n"), a.closed);
            return EXIT_USAGE;
        }
    }
    /* SPEC §13.2: the case id binds the creator and the nonce. The creator
     * is the prosecution participant; it must be this node's key. */
    const uint8_t *creator = NULL;
    for (int i = 0; i < a.nparticipants; i++)
        if (ps[i].role == PL_ROLE_PROSECUTION)
            creator = ps[i].key;
    if (creator == NULL) {
        fprintf(stderr, _("parley case-create: name the prosecution with --participant "
                        "prosecution:KEY:NAME\n"));
        return EXIT_USAGE;
    }
    uint8_t case_id[32];
    pl_case_id_derive(creator, b.u.charter.case_nonce, case_id);
    pl_participant *suspect = NULL;
    for (int i = 0; i < a.nparticipants; i++)
        if (ps[i].role == PL_ROLE_SUSPECT)
            suspect = &ps[i];
    if ((a.birth || a.nationality || a.slanguage) && suspect == NULL) {
        fprintf(stderr, _("parley case-create: --suspect-*: name the suspect with --participant "
                          "suspect:KEY:NAME\n"));
        return EXIT_USAGE;
    }
    if (a.birth != NULL) { /* SPEC §13.2 *Particulars* */
        uint64_t v = 0; /* exactly YYYY-MM-DD, digits where digits stand */
        int shape = strlen(a.birth) == 10 && a.birth[4] == '-' && a.birth[7] == '-';
        for (int k = 0; shape && k < 10; k++)
            if (k != 4 && k != 7) {
                shape = a.birth[k] >= '0' && a.birth[k] <= '9';
                v = v * 10 + (uint64_t)(a.birth[k] - '0');
            }
        if (!shape)
            v = 0;
        if (!pl_birth_valid(v)) {
            fprintf(stderr, _("parley case-create: --suspect-birth '%s': a date YYYY-MM-DD from "
                              "1900-01-01 on\n"), a.birth);
            return EXIT_USAGE;
        }
        suspect->birth = (uint32_t)v;
    }
    if (a.nationality != NULL) {
        int ok = strlen(a.nationality) == 3;
        for (int k = 0; ok && k < 3; k++)
            ok = a.nationality[k] >= 'A' && a.nationality[k] <= 'Z';
        if (!ok) {
            fprintf(stderr, _("parley case-create: --suspect-nationality '%s': three capital letters, "
                              "ISO 3166-1 alpha-3 (CHN; XXA for a stateless person)\n"), a.nationality);
            return EXIT_USAGE;
        }
        memcpy(suspect->nationality, a.nationality, 4);
    }
    if (a.slanguage != NULL) {
        if (!pl_language_tag_valid(a.slanguage, strlen(a.slanguage))) {
            fprintf(stderr, _("parley case-create: --suspect-language '%s': a language tag such as "
                              "zh, ug or en (SPEC §13.2)\n"), a.slanguage);
            return EXIT_USAGE;
        }
        suspect->language = (char *)a.slanguage;
    }
    if (a.id_number != NULL) {
        if (suspect == NULL) {
            fprintf(stderr, _("parley case-create: --id-number binds the suspect's seat: name the "
                            "suspect with --participant suspect:KEY:NAME\n"));
            return EXIT_USAGE;
        }
        int rc = id_hash_arg(&a, case_id, suspect->id_hash);
        if (rc != 0)
            return rc;
        suspect->has_id_hash = 1;
    } else if (suspect != NULL && !a.json) {
        fprintf(stderr, _("parley case-create: note: the suspect's seat is not bound to a person "
                        "(no --id-number); a verifier with trust anchors will not accept this "
                        "case's certificate (SPEC §16.5)\n"));
    }
    static char hex[65];
    cli_hex(creator, 32, hex);
    if (a.as == NULL)
        a.as = hex;
    return post(&a, case_id, &b);
}

/* ---- join, opinion, respond, sign, withdraw, close --------------------------------- */

/* The flags every verb takes, after each verb's own usage. */
static const char COMMON[] = N_("  [--as WHO] signs with that one of the node's keys (the defense node holds two):\n"
               "  its role in the case (suspect, counsel), the key, or a unique prefix of it\n"
               "  [--passphrase-file F] the passphrase of a key its holder keeps locked (a held\n"
               "  key, parleyd --held-key); without it the holder is asked on the terminal\n"
               "  [--force] signs even before a peer has shown the node its own latest messages\n"
               "  (SPEC §14.11; only if no other copy of the key or store exists)\n"
               "  [--yes] does not ask: on a terminal each act shows what will be signed and\n"
               "  asks before anything is signed or sent\n"
               "  [--home DIR] [--json]; exit 0 sent, 1 refused (the rule and what to do are\n"
               "  printed; nothing was sent), not confirmed, or no node, 2 usage\n");

/* A verb's usage (its own text, then the flags every verb takes), in the
 * reader's language. */
static int usage_msg(const struct act *a, const char *text)
{
    FILE *f = a->help ? stdout : stderr;
    fprintf(f, "%s%s", _(text), _(COMMON));
    return a->help ? EXIT_OK : EXIT_USAGE;
}

/* The id of the message arg names in the log (any type when want is 0);
 * 0, or an exit code with the reason printed: 2 for no id or one of
 * another type, 1 when the case holds no such message (as for a case the
 * node lacks). */
static int msg_arg(const struct act *a, const cli_log *l, const char *arg, uint64_t want,
                   uint8_t id[PL_ID_BYTES], long *index)
{
    long r = cli_log_find(l, a->verb, arg);
    if (r < 0)
        return r == -2 ? EXIT_USAGE : EXIT_CHECK;
    uint64_t type = pl_msg_header(l->msgs[r])->type;
    if (want != 0 && type != want) {
        fprintf(stderr, _("parley %s: %s is a %s, not a %s\n"), a->verb, arg, pl_msg_type_name(type),
                pl_msg_type_name(want));
        return EXIT_USAGE;
    }
    memcpy(id, pl_msg_id(l->msgs[r]), PL_ID_BYTES);
    if (index)
        *index = r;
    return 0;
}

/* Fills b for the verb from the case as the node holds it; 0 or an exit
 * code (printed). */
typedef int (*build_fn)(const struct act *a, const cli_log *l, pl_case *c, pl_body *b);

/* Every negotiation verb: read the case from the node, build the body,
 * have the node sign and send it. */
/* --as names one of the node's keys: in full, by a unique prefix (8+ hex
 * digits), or by its role in the case ("counsel"), as people think of it. */
static int resolve_as(struct act *a, pl_case *c)
{
    static char hex[65];
    size_t n = strlen(a->as), hits = 0;
    if (n == 64)
        return 0;
    pl_role role = pl_role_from_name(a->as, n);
    for (size_t k = 0; k < a->nkeys; k++) {
        char kh[65];
        cli_hex(a->keys[k], 32, kh);
        if (role != PL_ROLE_NONE ? pl_case_role(c, a->keys[k]) == role
                                 : n >= 8 && strncasecmp(kh, a->as, n) == 0)
            memcpy(hex, kh, sizeof hex), hits++;
    }
    if (hits != 1) {
        fprintf(stderr,
                hits ? _("parley %s: --as '%s' names more than one of the node's keys; give a role "
                         "in the case (suspect, counsel, ...), a key or a unique prefix (parley "
                         "status --json lists the keys)\n")
                     : _("parley %s: --as '%s' names none of the node's keys; give a role in the "
                         "case (suspect, counsel, ...), a key or a unique prefix (parley status "
                         "--json lists the keys)\n"),
                a->verb, a->as);
        return EXIT_USAGE;
    }
    a->as = hex;
    return 0;
}

/* The judged case's entry for the log's i-th message, or -1: the case may
 * keep fewer messages than the log holds (duplicates, unresolved ones), so
 * the two are matched by id, never by position. */
static long case_index(pl_case *c, const cli_log *l, size_t i)
{
    return pl_case_find(c, pl_msg_id(l->msgs[i]));
}

static const pl_body *body_at(pl_case *c, const cli_log *l, size_t i, int *verdict)
{
    long k = case_index(c, l, i);
    if (verdict)
        *verdict = k < 0 ? PL_E_UNRESOLVED : pl_case_verdict(c, (size_t)k);
    return k < 0 ? NULL : pl_case_body(c, (size_t)k);
}

/* Issue 15 §4: on a terminal, what is about to be signed — the verb, the
 * case, the signer, the terms in words where the act carries or signs
 * them, its text — and a question; nothing is signed or sent unless the
 * answer is yes. Scripts (no terminal) and --yes are not asked. 0 to go
 * on, or EXIT_CHECK (printed) when the person said no. */
static int confirm(const struct act *a, pl_case *c, const pl_body *b)
{
    /* a person at a terminal: a script captures stdout or asks --json */
    if (a->yes || a->json || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) ||
        !isatty(STDERR_FILENO))
        return 0;
    uint8_t pk[32];
    if (a->as == NULL || hex32(a->as, pk) != 0)
        memcpy(pk, a->keys[0], 32);
    char fp[PL_FINGERPRINT_STR_BYTES];
    pl_fingerprint(pk, fp);
    pl_role role = pl_case_role(c, pk);
    const pl_body *ch = pl_case_charter(c);
    /* texts parties wrote: no control or bidirectional character may
     * change what the signer reads */
    char name[PL_REPORT_NAME_SHOWN], title[PL_REPORT_NAME_SHOWN];
    snprintf(name, sizeof name, "%s", pl_report_name(c, pk) ? pl_report_name(c, pk) : _("(no name)"));
    snprintf(title, sizeof title, "%s", ch && ch->u.charter.title ? ch->u.charter.title : "?");
    pl_text_oneline(name), pl_text_oneline(title);
    fprintf(stderr, _("parley %s: about to sign and send, as %s (%s, %s), in the case \"%s\":\n"),
            a->verb, name, role == PL_ROLE_NONE ? "-" : _(pl_role_name(role)), fp, title);
    /* the terms an offer carries, or those of the offer a signature names */
    const uint8_t *tb = NULL;
    size_t tn = 0;
    if (b->type == PL_T_OFFER) {
        tb = b->u.offer.terms, tn = b->u.offer.terms_len;
    } else if (b->type == PL_T_SIGN) {
        long k = pl_case_find(c, b->u.sign.offer);
        const pl_body *ob = k >= 0 ? pl_case_body(c, (size_t)k) : NULL;
        if (ob != NULL && ob->type == PL_T_OFFER)
            tb = ob->u.offer.terms, tn = ob->u.offer.terms_len;
    }
    pl_terms *t = tb ? malloc(sizeof *t) : NULL;
    char text[PL_TERMS_TEXT_MAX];
    if (t && pl_terms_decode(tb, tn, t, NULL) == PL_OK && cli_terms_text(t, text, sizeof text) == PL_OK)
        fprintf(stderr, _("  terms       %s\n"), text);
    free(t);
    if (b->type == PL_T_SETTLEMENT) { /* SPEC §13.25: what both parties sign */
        char agreed[PL_YUAN_TEXT_ZH_BYTES], paid[PL_YUAN_TEXT_ZH_BYTES], hex[65];
        if (cli_zh())
            pl_yuan_text_zh(b->u.settlement.agreed, agreed), pl_yuan_text_zh(b->u.settlement.paid, paid);
        else
            pl_yuan_text(b->u.settlement.agreed, agreed), pl_yuan_text(b->u.settlement.paid, paid);
        char says[512];
        cli_hex(b->u.settlement.document, 32, hex);
        snprintf(says, sizeof says, _("%s: compensation agreed %s, paid %s; %s%s"),
                b->u.settlement.kind == PL_SETTLEMENT_LETTER ? _("letter of forgiveness")
                                                              : _("settlement agreement"),
                agreed, paid,
                b->u.settlement.forgiveness ? _("the victim forgives the offender") : _("no forgiveness"),
                b->u.settlement.has_accepts ? _(" (accepts the other party's settlement)")
                                            : _(" (proposed to the other party)"));
        fprintf(stderr, _("  settlement  %s; document %s\n"), says, hex);
    }
    /* a word given with no terms: what it says, so that a yes is not
     * given to a no (v2: SPEC §13.11, §13.25, §13.26, §13.27) */
    const char *act = NULL;
    char actbuf[160];
    switch (b->type) {
    case PL_T_PUBLICITY:
        act = b->u.publicity.public_ok
                  ? _("the victim consents to public observation of the session")
                  : _("the victim DOES NOT consent to public observation of the session");
        break;
    case PL_T_CONSENT:
        act = b->u.consent.agrees ? _("the guardian, present, consents to the minor's plea")
                                  : _("THE GUARDIAN OBJECTS to the minor's plea");
        break;
    case PL_T_INTERPRETATION:
        snprintf(actbuf, sizeof actbuf, _("the interpreter, present, interpreted the signing into %s"),
                 b->u.interpretation.language);
        act = actbuf;
        break;
    case PL_T_SETTLEMENT_WITHDRAW:
        snprintf(actbuf, sizeof actbuf, _("withdraws the settlement proposal %s"),
                 a->withdraw ? a->withdraw : "?");
        pl_text_oneline(actbuf);
        act = actbuf;
        break;
    default: break;
    }
    if (act != NULL)
        fprintf(stderr, _("  act         %s\n"), act);
    const char *said = b->type == PL_T_OPINION ? b->u.opinion.text : a->text;
    if (said != NULL && *said) {
        char shown[301];
        size_t len = strlen(said), n = len < 300 ? len : 300;
        while (n > 0 && n < len && ((unsigned char)said[n] & 0xc0) == 0x80)
            n--; /* not inside a character */
        memcpy(shown, said, n);
        shown[n] = '\0';
        pl_text_oneline(shown);
        fprintf(stderr, _("  text        %s%s\n"), shown, n < len ? "…" : "");
    }
    fprintf(stderr, "%s", _("Sign and send? [y/N] "));
    char line[32] = "";
    if (fgets(line, sizeof line, stdin) == NULL)
        line[0] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    if (strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0 || strcmp(line, "是") == 0)
        return 0;
    fprintf(stderr, _("parley %s: not confirmed; nothing was signed or sent\n"), a->verb);
    return EXIT_CHECK;
}

static int act_run(struct act *a, uint64_t type, build_fn build)
{
    cli_log l;
    pl_case *c;
    int rc = fetch_log(a, a->args[0], &l, &c);
    if (rc != 0)
        return rc;
    if (a->as && (rc = resolve_as(a, c)) != 0) {
        pl_case_destroy(&c);
        cli_log_free(&l);
        return rc;
    }
    pl_body b;
    memset(&b, 0, sizeof b);
    b.type = type;
    rc = build ? build(a, &l, c, &b) : 0;
    if (rc == 0)
        rc = confirm(a, c, &b);
    if (rc == 0)
        rc = post(a, l.case_id, &b);
    pl_case_destroy(&c);
    cli_log_free(&l);
    return rc;
}

/* ---- join, opinion, respond, sign, withdraw, close --------------------------------- */

/* The latest session proposal fixed in the case (SPEC §13.11), or -1. */
static long latest_fixed_session(pl_case *c)
{
    long sess = -1;
    for (size_t i = 0; i < pl_case_count(c); i++) {
        const char *outcome = NULL;
        int public_ok, recordings;
        if (pl_msg_header(pl_case_msg(c, i))->type != PL_T_SESSION_PROPOSE ||
            pl_case_verdict(c, i) != PL_OK)
            continue;
        pl_report_session(c, i, &outcome, &public_ok, &recordings);
        if (outcome && strcmp(outcome, "fixed") == 0)
            sess = (long)i;
    }
    return sess;
}

/* SPEC §13.3 *Confirmation*: a join for the suspect's seat of a case
 * whose charter binds it. The number the user gives must hash to the
 * charter's id_hash (else the case names someone else, or the number is
 * mistyped: nothing is sent), and the confirmation names a fixed session:
 * --session, or the latest one fixed. */
static int build_confirmation(const struct act *a, const cli_log *l, pl_case *c,
                              const pl_participant *s, pl_body *b)
{
    uint8_t mine[32];
    int rc;
    if (a->id_number == NULL) {
        fprintf(stderr, _("parley %s: the charter binds the suspect's seat to %s: join with "
                        "--id-number NUMBER (or '-' to type it), the number of the suspect's "
                        "identity document, in a fixed session (SPEC §13.3)\n"), a->verb, s->name);
        return EXIT_USAGE;
    }
    if ((rc = id_hash_arg(a, l->case_id, mine)) != 0)
        return rc;
    if (sodium_memcmp(mine, s->id_hash, 32) != 0) {
        fprintf(stderr, _("parley %s: the charter binds the suspect's seat to another identity "
                        "number than the one given: check the number; if it is right, this case "
                        "names someone else, so do not join, and tell the prosecution and your "
                        "counsel (SPEC §13.3). Nothing was sent.\n"), a->verb);
        return EXIT_CHECK;
    }
    long sess = -1;
    if (a->session != NULL) {
        uint8_t id[32];
        if ((rc = msg_arg(a, l, a->session, PL_T_SESSION_PROPOSE, id, NULL)) != 0)
            return rc;
        sess = pl_case_find(c, id);
    } else {
        sess = latest_fixed_session(c);
        if (sess < 0) {
            fprintf(stderr, _("parley %s: no session is fixed yet: the suspect confirms their "
                            "identity in a fixed session (SPEC §13.3). Have one proposed "
                            "(parley session-propose) and accepted, then join again.\n"), a->verb);
            return EXIT_CHECK;
        }
    }
    const pl_body *sb = sess >= 0 ? pl_case_body(c, (size_t)sess) : NULL;
    if (sb == NULL) {
        fprintf(stderr, _("parley %s: --session names no valid session proposal\n"), a->verb);
        return EXIT_USAGE;
    }
    b->u.join.has_identity = 1;
    b->u.join.name = s->name;
    memcpy(b->u.join.id_hash, s->id_hash, 32);
    memcpy(b->u.join.session, pl_msg_id(pl_case_msg(c, (size_t)sess)), 32);
    char sid[65];
    cli_hex(b->u.join.session, 32, sid);
    if (!a->json)
        printf(_("confirming the identity the charter binds: %s (identity number checked), in the "
                 "session at %s (%.16s)\n"), s->name, sb->u.session_propose.venue, sid);
    return 0;
}

static int build_join(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    for (size_t i = 0; i < pl_case_count(c); i++)
        if (pl_msg_header(pl_case_msg(c, i))->type == PL_T_CHARTER && pl_case_verdict(c, i) == PL_OK) {
            memcpy(b->u.join.charter, pl_msg_id(pl_case_msg(c, i)), 32);
            const pl_body *ch = pl_case_body(c, i);
            const pl_participant *s = NULL;
            for (size_t k = 0; k < ch->u.charter.nparticipants; k++)
                if (ch->u.charter.participants[k].role == PL_ROLE_SUSPECT)
                    s = &ch->u.charter.participants[k];
            /* the key that signs: --as, or the node's first key */
            uint8_t who[32];
            if (a->as == NULL || hex32(a->as, who) != 0)
                memcpy(who, a->keys[0], 32);
            int seat = a->nkeys > 0 && pl_case_role(c, who) == PL_ROLE_SUSPECT;
            if (seat && s != NULL && s->has_id_hash)
                return build_confirmation(a, l, c, s, b);
            if (a->id_number != NULL || a->session != NULL) {
                fprintf(stderr, _("parley %s: --id-number and --session are for the suspect's join "
                                "in a case whose charter binds the seat (SPEC §13.3)\n"), a->verb);
                return EXIT_USAGE;
            }
            return 0;
        }
    fprintf(stderr, _("parley %s: the node holds no valid charter for the case yet\n"), a->verb);
    return EXIT_CHECK;
}

int cmd_join_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 1) != 0)
        return EXIT_USAGE;
    if (a.help || a.nargs != 1)
        return usage_msg(&a, "usage: parley join CASE [--as KEY] [--id-number NUMBER|-]\n"
                             "                  [--session PROPOSAL]\n\n"
                             "A participant's first message in a case (SPEC §13.3): it names the\n"
                             "charter the node received. When the charter binds the suspect's seat\n"
                             "to a person, the suspect joins with --id-number (checked against the\n"
                             "charter's hash here; '-' reads it from standard input) in a fixed\n"
                             "session: --session names its proposal, else the latest fixed one.\n");
    return act_run(&a, PL_T_JOIN, build_join);
}

/* An amount in yuan as a person writes it: 4000, 4000.5 or 4000.50 (fen as
 * at most two decimals), more than 0; the wire's fen stay in the wire
 * (issue 15 §4). 0 and *fen, or -1. */
static int parse_yuan(const char *v, uint64_t *fen)
{
    char *end;
    unsigned long long y = strtoull(v, &end, 10), f = 0;
    int bad = end == v || y > 10000000000ull || v[0] == '-' || v[0] == '+';
    if (!bad && *end == '.') {
        const char *d = end + 1;
        size_t nd = strspn(d, "0123456789");
        bad = nd == 0 || nd > 2 || d[nd] != '\0';
        if (!bad)
            f = (unsigned long long)(d[0] - '0') * 10 + (nd == 2 ? (unsigned)(d[1] - '0') : 0);
    } else if (!bad) {
        bad = *end != '\0';
    }
    if (bad || y * 100 + f == 0)
        return -1;
    *fen = y * 100 + f;
    return 0;
}

static int topic_of(const char *s)
{
    for (int t = PL_TOPIC_FACTS; t <= PL_TOPIC_OTHER; t++)
        if (strcmp(pl_topic_name((pl_topic)t), s) == 0)
            return t;
    return 0;
}

static int decision_of(const char *s)
{
    for (int d = PL_DECISION_ADOPTED; d <= PL_DECISION_NOT_ADOPTED; d++)
        if (strcmp(pl_decision_name((pl_decision)d), s) == 0)
            return d;
    return 0;
}

static int build_opinion(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)c;
    b->u.opinion.topic = (pl_topic)topic_of(a->topic);
    b->u.opinion.text = (char *)a->text;
    b->u.opinion.has_regarding = a->regarding != NULL;
    /* SPEC §13.7 (v2): a compensation demand, as a number */
    if (a->amount != NULL) {
        if (b->u.opinion.topic != PL_TOPIC_COMPENSATION) {
            fprintf(stderr, _("parley opinion: --amount is the compensation demanded; it goes "
                              "with --topic compensation\n"));
            return EXIT_USAGE;
        }
        if (parse_yuan(a->amount, &b->u.opinion.amount) != 0) {
            fprintf(stderr, _("parley opinion: --amount '%s': an amount in yuan, fen as at most "
                              "two decimals, e.g. 30000 or 30000.50\n"),
                    a->amount);
            return EXIT_USAGE;
        }
        b->u.opinion.has_amount = 1;
    }
    return a->regarding ? msg_arg(a, l, a->regarding, 0, b->u.opinion.regarding, NULL) : 0;
}

int cmd_opinion_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 1) != 0)
        return EXIT_USAGE;
    if (a.help || a.nargs != 1 || a.text == NULL || a.topic == NULL || !topic_of(a.topic))
        return usage_msg(&a, "usage: parley opinion CASE --topic TOPIC --text TEXT [--regarding MSG]\n"
                             "                     [--amount YUAN]\n\n"
                             "An opinion the prosecution must answer with reasons (R3, SPEC §13.8).\n"
                             "TOPIC: facts, charges, sentence, procedure, compensation,\n"
                             "forgiveness or other. --amount: with --topic compensation, the sum\n"
                             "demanded in yuan (fen as decimals), kept as a number (SPEC §13.7).\n");
    return act_run(&a, PL_T_OPINION, build_opinion);
}

static int build_respond(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)c;
    b->u.response.decision = (pl_decision)decision_of(a->decision);
    b->u.response.reasons = (char *)a->text;
    return msg_arg(a, l, a->args[1], 0, b->u.response.answers, NULL);
}

int cmd_respond_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 2) != 0)
        return EXIT_USAGE;
    if (a.help || a.nargs != 2 || a.text == NULL || a.decision == NULL || !decision_of(a.decision))
        return usage_msg(&a, "usage: parley respond CASE INPUT --decision D --reasons TEXT\n\n"
                             "The prosecution's reasoned answer to an opinion or a defense offer\n"
                             "(R3, SPEC §13.8), or its refusal of the court's request to adjust\n"
                             "(§13.16, --decision not_adopted). D: adopted, partly_adopted or\n"
                             "not_adopted.\n");
    return act_run(&a, PL_T_RESPONSE, build_respond);
}

/* SPEC §13.9 F0 (v2): the suspect and counsel sign in a fixed session
 * (--session, or the latest fixed one), counsel as the witness of the
 * suspect's signature, with an opinion of its own if it disagrees. */
static int sign_presence(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    uint8_t me[32];
    size_t got;
    if (a->as == NULL)
        memcpy(me, a->keys[0], 32);
    else if (sodium_hex2bin(me, 32, a->as, 64, NULL, &got, NULL) != 0 || got != 32)
        return EXIT_USAGE;
    pl_role role = pl_case_role(c, me);
    int defense = role == PL_ROLE_SUSPECT || role == PL_ROLE_COUNSEL;
    if ((a->witness || a->dissent) && role != PL_ROLE_COUNSEL) {
        fprintf(stderr, _("parley %s: --witness and --dissent are counsel's: counsel witnesses the "
                          "suspect's signature (SPEC §13.9)\n"), a->verb);
        return EXIT_USAGE;
    }
    if (role == PL_ROLE_COUNSEL && !a->witness) {
        fprintf(stderr, _("parley %s: counsel signs as the witness of the suspect's signature, "
                          "made in counsel's presence in the session (CPL art. 174, SPEC §13.9): "
                          "add --witness once you were present and the suspect signs "
                          "voluntarily; if you disagree with the terms, give an opinion saying "
                          "so and add --dissent OPINION\n"), a->verb);
        return EXIT_USAGE;
    }
    if (a->session != NULL) {
        int rc = msg_arg(a, l, a->session, PL_T_SESSION_PROPOSE, b->u.sign.session, NULL);
        if (rc != 0)
            return rc;
        b->u.sign.has_session = 1;
    } else if (defense) {
        long sess = latest_fixed_session(c);
        if (sess < 0) {
            fprintf(stderr, _("parley %s: no session is fixed yet: the suspect signs in a fixed "
                              "session, in counsel's presence (SPEC §13.9). Have one proposed "
                              "(parley session-propose) and accepted, then sign in it.\n"),
                    a->verb);
            return EXIT_CHECK;
        }
        memcpy(b->u.sign.session, pl_msg_id(pl_case_msg(c, (size_t)sess)), 32);
        b->u.sign.has_session = 1;
    }
    b->u.sign.witness = a->witness;
    if (a->dissent != NULL) {
        int rc = msg_arg(a, l, a->dissent, PL_T_OPINION, b->u.sign.dissent, NULL);
        if (rc != 0)
            return rc;
        b->u.sign.has_dissent = 1;
    }
    return 0;
}

static int build_sign(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    long r;
    int rc = sign_presence(a, l, c, b);
    if (rc != 0)
        return rc;
    rc = msg_arg(a, l, a->args[1], PL_T_OFFER, b->u.sign.offer, &r);
    /* cli_log_judge added l->msgs to the case in their order. */
    const pl_body *ob = rc == 0 ? body_at(c, l, (size_t)r, NULL) : NULL;
    if (rc == 0 && ob == NULL) {
        fprintf(stderr, _("parley %s: the offer's body does not decode\n"), a->verb);
        rc = EXIT_CHECK;
    }
    if (rc == 0)
        memcpy(b->u.sign.terms_hash, ob->u.offer.terms_hash, 32);
    return rc;
}

int cmd_sign_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 2) != 0)
        return EXIT_USAGE;
    if (a.help || a.nargs != 2)
        return usage_msg(&a, "usage: parley sign CASE OFFER [--as KEY] [--session PROPOSAL]\n"
                             "                  [--witness [--dissent OPINION]]\n\n"
                             "Signs the terms of an offer or counter-offer (SPEC §13.9): final when\n"
                             "the prosecution, then the suspect and counsel, signed the same terms,\n"
                             "the suspect and counsel in one fixed session (--session, else the\n"
                             "latest fixed one): the suspect signs in counsel's presence, and\n"
                             "counsel signs with --witness as the witness of that signature (CPL\n"
                             "art. 174). Counsel who disagrees with the terms still witnesses, and\n"
                             "names its own opinion saying so with --dissent.\n");
    return act_run(&a, PL_T_SIGN, build_sign);
}

static int build_withdraw(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)c;
    b->u.withdraw.reasons = (char *)a->text;
    b->u.withdraw.has_offer = a->offer != NULL;
    return a->offer ? msg_arg(a, l, a->offer, PL_T_OFFER, b->u.withdraw.offer, NULL) : 0;
}

int cmd_withdraw_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 1) != 0)
        return EXIT_USAGE;
    if (a.help || a.nargs != 1 || a.text == NULL)
        return usage_msg(&a, "usage: parley withdraw CASE [--offer OFFER] --reasons TEXT\n\n"
                             "Withdraws one of your side's offers, or without --offer leaves the\n"
                             "negotiation (R5, SPEC §13.10).\n");
    return act_run(&a, PL_T_WITHDRAW, build_withdraw);
}

/* close, retract: a body of reasons alone. */
static int build_reasons(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)l, (void)c;
    if (b->type == PL_T_CLOSE) {
        b->u.close.reasons = (char *)a->text;
    } else {
        b->u.retract.reasons = (char *)a->text;
        b->u.retract.stage = a->stage && strcmp(a->stage, "trial") == 0 ? PL_STAGE_TRIAL
                                                                         : PL_STAGE_REVIEW;
    }
    return 0;
}

int cmd_close_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 1) != 0)
        return EXIT_USAGE;
    if (a.help || a.nargs != 1)
        return usage_msg(&a, "usage: parley close CASE [--reasons TEXT]\n\n"
                             "Declares your side's deliberation complete; the round closes when both\n"
                             "sides have (R5, SPEC §13.10).\n");
    return act_run(&a, PL_T_CLOSE, build_reasons);
}

int cmd_retract_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 1) != 0)
        return EXIT_USAGE;
    int stage_ok = a.stage && (strcmp(a.stage, "review") == 0 || strcmp(a.stage, "trial") == 0);
    if (a.help || a.nargs != 1 || a.text == NULL || !stage_ok)
        return usage_msg(&a, "usage: parley retract CASE --reasons TEXT --stage review|trial [--as KEY]\n\n"
                             "The suspect withdraws its plea (反悔) after a final agreement, before\n"
                             "judgment (R10, SPEC §13.15): the plea statement is void and a new round\n"
                             "opens. Only the suspect's key may retract; counsel who disagrees gives\n"
                             "an opinion instead. --stage says where the case is: review (not yet\n"
                             "filed with the court) or trial (before the court, not yet judged).\n");
    return act_run(&a, PL_T_RETRACT, build_reasons);
}

/* ---- the court's request and the prosecution's reopening (SPEC §13.16) ------------ */

static int hash_file(const char *verb, const char *path, uint8_t hash[32], uint64_t *size);

static int build_court_adjust(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)l, (void)c;
    b->u.court_adjust = a->extra.u.court_adjust;
    return 0;
}

int cmd_court_adjust_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 2);
    if (rc != 0)
        return rc;
    int g = 0;
    for (int k = PL_COURT_NOT_CRIME; a.ground && k <= PL_COURT_DEFENSE_OBJECTION; k++)
        if (strcmp(pl_court_ground_name((pl_court_ground)k), a.ground) == 0)
            g = k;
    if (a.help || a.nargs != 2 || a.court == NULL || a.court[0] == '\0' || a.text == NULL || g == 0)
        return usage_msg(&a, "usage: parley court-adjust CASE FILE --court NAME --ground G --text TEXT\n\n"
                             "The prosecution records the court's request to adjust the sentencing\n"
                             "recommendation of a final agreement (CPL art. 201, SPEC §13.16), by the\n"
                             "hash of the court's document FILE. The request changes nothing by\n"
                             "itself: answer it with 'parley reopen --ground court_request --request\n"
                             "MSG' or decline it with 'parley respond CASE MSG --decision not_adopted'.\n"
                             "G: not_crime, involuntary, denies_facts, charge_differs, unfair_trial,\n"
                             "clearly_improper or defense_objection.\n");
    uint64_t size;
    if (hash_file(a.verb, a.args[1], a.extra.u.court_adjust.document, &size) != 0)
        return EXIT_USAGE;
    a.extra.u.court_adjust.court = (char *)a.court;
    a.extra.u.court_adjust.ground = (pl_court_ground)g;
    a.extra.u.court_adjust.text = (char *)a.text;
    return act_run(&a, PL_T_COURT_ADJUST, build_court_adjust);
}

static int build_reopen(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)c;
    b->u.reopen = a->extra.u.reopen;
    return a->request ? msg_arg(a, l, a->request, PL_T_COURT_ADJUST, b->u.reopen.request, NULL) : 0;
}

int cmd_reopen_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 2);
    if (rc != 0)
        return rc;
    int g = 0;
    for (int k = PL_REOPEN_NEW_FACTS; a.ground && k <= PL_REOPEN_COURT_REQUEST; k++)
        if (strcmp(pl_reopen_ground_name((pl_reopen_ground)k), a.ground) == 0)
            g = k;
    int paired = (g == PL_REOPEN_COURT_REQUEST) == (a.request != NULL);
    if (a.help || a.nargs != 2 || a.text == NULL || g == 0 || !paired)
        return usage_msg(&a, "usage: parley reopen CASE FILE --ground G --reasons TEXT [--request MSG]\n\n"
                             "The prosecution reopens a final agreement (SPEC §13.16): a new round\n"
                             "opens, for a new offer after the defense is heard. Only on a ground\n"
                             "the law allows, shown by the document FILE (its hash is recorded):\n"
                             "G: new_facts, new_evidence, non_performance, untrue_remorse, or\n"
                             "court_request with --request naming the court adjustment it answers.\n");
    uint64_t size;
    if (hash_file(a.verb, a.args[1], a.extra.u.reopen.document, &size) != 0)
        return EXIT_USAGE;
    a.extra.u.reopen.ground = (pl_reopen_ground)g;
    a.extra.u.reopen.reasons = (char *)a.text;
    a.extra.u.reopen.has_request = a.request != NULL;
    return act_run(&a, PL_T_REOPEN, build_reopen);
}

/* ---- the rights notice (SPEC §13.24) --------------------------------------------- */

static int build_notice(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)l, (void)c;
    b->u.notice = a->extra.u.notice;
    return 0;
}

int cmd_notice_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 2);
    if (rc != 0)
        return rc;
    if (a.help || a.nargs != 2 || a.language == NULL || a.text == NULL)
        return usage_msg(&a, "usage: parley notice CASE FILE --language LANG --text TEXT\n\n"
                             "The prosecution gives the suspect the rights notice (认罪认罚从宽制度\n"
                             "告知书, SPEC §13.24): the hash of the notice FILE, handed to the suspect,\n"
                             "its language (zh, en, ...) and, in --text, what the notice says a\n"
                             "withdrawal of the plea leads to. The suspect acknowledges it with\n"
                             "parley notice-ack before signing; no agreement is final without it.\n");
    uint64_t size;
    if (hash_file(a.verb, a.args[1], a.extra.u.notice.document, &size) != 0)
        return EXIT_USAGE;
    a.extra.u.notice.language = (char *)a.language;
    a.extra.u.notice.withdrawal = (char *)a.text;
    return act_run(&a, PL_T_NOTICE, build_notice);
}

static int build_notice_ack(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    long r;
    int rc = msg_arg(a, l, a->args[1], PL_T_NOTICE, b->u.notice_ack.notice, &r);
    const pl_body *nb = rc == 0 ? body_at(c, l, (size_t)r, NULL) : NULL;
    if (rc == 0 && nb == NULL) {
        fprintf(stderr, _("parley %s: the notice's body does not decode\n"), a->verb);
        return EXIT_CHECK;
    }
    if (rc == 0 && sodium_memcmp(nb->u.notice.document, a->extra.u.notice.document, 32) != 0) {
        fprintf(stderr, _("parley %s: the file given is not the notice the prosecution recorded "
                          "(its hash differs): read the notice you were handed, and ask for the "
                          "right one; nothing was sent\n"), a->verb);
        return EXIT_CHECK;
    }
    return rc;
}

int cmd_notice_ack_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 3);
    if (rc != 0)
        return rc;
    if (a.help || a.nargs != 3)
        return usage_msg(&a, "usage: parley notice-ack CASE NOTICE FILE [--as KEY]\n\n"
                             "The suspect acknowledges the rights notice (SPEC §13.24) after reading\n"
                             "it: FILE is the notice handed over, and must have the hash the\n"
                             "prosecution recorded, or nothing is sent.\n");
    uint64_t size;
    if (hash_file(a.verb, a.args[2], a.extra.u.notice.document, &size) != 0)
        return EXIT_USAGE;
    return act_run(&a, PL_T_NOTICE_ACK, build_notice_ack);
}

/* ---- settlement with the victim (SPEC §13.25) ------------------------------------ */

/* An amount of a settlement: 0 ("none") or yuan as parse_yuan reads them. */
static int parse_yuan0(const char *v, uint64_t *fen)
{
    if (strcmp(v, "0") == 0 || strcmp(v, "0.0") == 0 || strcmp(v, "0.00") == 0) {
        *fen = 0;
        return 0;
    }
    return parse_yuan(v, fen);
}

/* What the settlement's proposer signed and what this acceptance says,
 * field by field: an acceptance that changes anything is not one. */
static int settle_same(const struct act *a, const pl_body *pb, pl_body *b)
{
    const char *what = NULL;
    if (sodium_memcmp(pb->u.settlement.document, b->u.settlement.document, 32) != 0)
        what = _("the file given is not the document the other party signed (its hash differs)");
    else if (a->kind && pb->u.settlement.kind != b->u.settlement.kind)
        what = _("--kind differs from the proposal's");
    else if (a->agreed && pb->u.settlement.agreed != b->u.settlement.agreed)
        what = _("--agreed differs from the proposal's");
    else if (a->paid && pb->u.settlement.paid != b->u.settlement.paid)
        what = _("--paid differs from the proposal's");
    else if (a->forgiveness && !pb->u.settlement.forgiveness)
        what = _("--forgiveness: the proposal does not say the victim forgives");
    else if ((a->kind || a->agreed || a->paid) && !a->forgiveness && pb->u.settlement.forgiveness)
        what = _("the proposal says the victim forgives, and your flags do not (add --forgiveness, "
                 "or give no flag to accept it as it is)");
    if (what != NULL) {
        fprintf(stderr, _("parley %s: %s; an acceptance signs the proposal as it is: propose your own "
                          "settlement instead (without --accepts); nothing was sent\n"),
                a->verb, what);
        return EXIT_CHECK;
    }
    /* the proposal's values, those the flags left out included */
    b->u.settlement.kind = pb->u.settlement.kind;
    b->u.settlement.agreed = pb->u.settlement.agreed;
    b->u.settlement.paid = pb->u.settlement.paid;
    b->u.settlement.forgiveness = pb->u.settlement.forgiveness;
    return 0;
}

static int build_settle(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    long r;
    b->u.settlement = a->extra.u.settlement;
    if (a->accepts == NULL)
        return 0;
    int rc = msg_arg(a, l, a->accepts, PL_T_SETTLEMENT, b->u.settlement.accepts, &r);
    const pl_body *pb = rc == 0 ? body_at(c, l, (size_t)r, NULL) : NULL;
    if (rc == 0 && pb == NULL) {
        fprintf(stderr, _("parley %s: the settlement's body does not decode\n"), a->verb);
        return EXIT_CHECK;
    }
    if (rc == 0 && pb->u.settlement.has_accepts) {
        fprintf(stderr, _("parley %s: %s is itself an acceptance: the settlement is made already; "
                          "accept a proposal instead\n"), a->verb, a->accepts);
        return EXIT_USAGE;
    }
    b->u.settlement.has_accepts = 1;
    return rc != 0 ? rc : settle_same(a, pb, b);
}

static int build_settle_withdraw(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    long r;
    b->u.settlement_withdraw.reasons = (char *)a->text;
    int rc = msg_arg(a, l, a->withdraw, PL_T_SETTLEMENT, b->u.settlement_withdraw.settlement, &r);
    const pl_body *pb = rc == 0 ? body_at(c, l, (size_t)r, NULL) : NULL;
    if (rc == 0 && pb == NULL) {
        fprintf(stderr, _("parley %s: the settlement's body does not decode\n"), a->verb);
        return EXIT_CHECK;
    }
    if (rc != 0)
        return rc;
    if (pb->u.settlement.has_accepts) {
        fprintf(stderr, _("parley %s: %s is an acceptance: a made settlement is not withdrawn; "
                          "propose a new one instead\n"), a->verb, a->withdraw);
        return EXIT_USAGE;
    }
    /* the log's position is not the case's: match by id (case_index) */
    long k = case_index(c, l, (size_t)r);
    if (k >= 0 && pl_case_settlement_made(c, (size_t)k, NULL) == 1) {
        fprintf(stderr, _("parley %s: %s was accepted by the other party: a made settlement is not "
                          "withdrawn (SPEC §13.25); propose a new one instead\n"),
                a->verb, a->withdraw);
        return EXIT_USAGE;
    }
    return 0;
}

int cmd_settle_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 2);
    if (rc != 0)
        return rc;
    if (a.text != NULL && a.withdraw == NULL)
        return usage_msg(&a, "usage: parley settle CASE --withdraw SETTLEMENT --reasons TEXT\n\n"
                             "Withdraws a settlement proposal of your own party (the victim's,\n"
                             "or the defense's) that the other party has not accepted, with\n"
                             "reasons (SPEC §13.25). An acceptance that has seen the withdrawal\n"
                             "is refused; a made settlement is never withdrawn.\n");
    if (a.withdraw != NULL) { /* SPEC §13.25: a party withdraws its own proposal */
        if (a.help || a.nargs != 1 || a.text == NULL || a.kind || a.agreed || a.paid || a.accepts ||
            a.forgiveness)
            return usage_msg(&a, "usage: parley settle CASE --withdraw SETTLEMENT --reasons TEXT\n\n"
                                 "Withdraws a settlement proposal of your own party (the victim's,\n"
                                 "or the defense's) that the other party has not accepted, with\n"
                                 "reasons (SPEC §13.25). An acceptance that has seen the withdrawal\n"
                                 "is refused; a made settlement is never withdrawn.\n");
        return act_run(&a, PL_T_SETTLEMENT_WITHDRAW, build_settle_withdraw);
    }
    int kind = 0;
    if (a.kind != NULL)
        kind = strcmp(a.kind, "letter") == 0      ? PL_SETTLEMENT_LETTER
               : strcmp(a.kind, "agreement") == 0 ? PL_SETTLEMENT_AGREEMENT
                                                   : -1;
    if (a.help || a.nargs != 2 || kind < 0 ||
        (a.accepts == NULL && (a.kind == NULL || a.agreed == NULL || a.paid == NULL)))
        return usage_msg(&a, "usage: parley settle CASE FILE --kind letter|agreement --agreed YUAN\n"
                             "                    --paid YUAN [--forgiveness]\n"
                             "       parley settle CASE FILE --accepts SETTLEMENT\n\n"
                             "A settlement between the victim and the defense (SPEC §13.25): the\n"
                             "victim's letter of forgiveness (谅解书, --kind letter) or a settlement\n"
                             "agreement of both (和解协议, --kind agreement). FILE is the signed\n"
                             "document; only its hash enters the record. --agreed is the compensation\n"
                             "agreed and --paid what is paid of it, in yuan (0 for none);\n"
                             "--forgiveness: the victim forgives the offender. One party proposes,\n"
                             "the other accepts with --accepts and the same FILE: only then is the\n"
                             "settlement made, and only a made settlement supports the grounds\n"
                             "'compensation' and 'forgiveness' of an offer (the certificate warns\n"
                             "otherwise). A payment made later is a new settlement.\n");
    uint64_t size;
    if (hash_file(a.verb, a.args[1], a.extra.u.settlement.document, &size) != 0)
        return EXIT_USAGE;
    a.extra.u.settlement.kind = (pl_settlement_kind)kind;
    a.extra.u.settlement.forgiveness = a.forgiveness;
    if ((a.agreed && parse_yuan0(a.agreed, &a.extra.u.settlement.agreed) != 0) ||
        (a.paid && parse_yuan0(a.paid, &a.extra.u.settlement.paid) != 0)) {
        fprintf(stderr, _("parley settle: --agreed and --paid are amounts in yuan, 0 or more, fen as "
                          "at most two decimals, e.g. 30000 or 30000.50\n"));
        return EXIT_USAGE;
    }
    if (a.accepts == NULL && a.extra.u.settlement.paid > a.extra.u.settlement.agreed) {
        fprintf(stderr, _("parley settle: --paid is more than --agreed; what is paid is part of what "
                          "was agreed (SPEC §13.5)\n"));
        return EXIT_USAGE;
    }
    return act_run(&a, PL_T_SETTLEMENT, build_settle);
}

/* ---- a minor's guardian (SPEC §13.26) --------------------------------------------- */

/* --agrees: 1 yes (是), 0 no (否), -1 absent or another word. */
static int agrees_arg(const struct act *a)
{
    if (a->agrees == NULL)
        return -1;
    if (strcmp(a->agrees, "yes") == 0 || strcmp(a->agrees, "是") == 0)
        return 1;
    return strcmp(a->agrees, "no") == 0 || strcmp(a->agrees, "否") == 0 ? 0 : -1;
}

/* The offer (args[1]) and the signing session (--session, else the latest
 * fixed one) of a word given at the suspect's signing: a guardian's
 * (SPEC §13.26) or, with interpreter, an interpreter's (§13.27); 0 or an
 * exit code. */
static int at_signing(const struct act *a, const cli_log *l, pl_case *c, uint8_t offer[32],
                      uint8_t session[32], int interpreter)
{
    long sess;
    int rc = msg_arg(a, l, a->args[1], PL_T_OFFER, offer, NULL);
    if (rc != 0)
        return rc;
    if (a->session != NULL)
        return msg_arg(a, l, a->session, PL_T_SESSION_PROPOSE, session, NULL);
    if ((sess = latest_fixed_session(c)) < 0) {
        if (interpreter)
            fprintf(stderr, _("parley %s: no session is fixed yet: the interpreter interprets the "
                              "signing in the fixed session in which the suspect signs (SPEC "
                              "§13.27). Have one proposed and accepted first.\n"),
                    a->verb);
        else
            fprintf(stderr, _("parley %s: no session is fixed yet: the guardian consents or objects "
                              "in the fixed session in which the minor signs (SPEC §13.26). Have one "
                              "proposed and accepted first.\n"),
                    a->verb);
        return EXIT_CHECK;
    }
    memcpy(session, pl_msg_id(pl_case_msg(c, (size_t)sess)), 32);
    return 0;
}

static int build_consent(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    b->u.consent.agrees = a->extra.u.consent.agrees;
    b->u.consent.reasons = a->extra.u.consent.reasons;
    return at_signing(a, l, c, b->u.consent.offer, b->u.consent.session, 0);
}

int cmd_consent_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 2);
    if (rc != 0)
        return rc;
    int yes = agrees_arg(&a);
    if (a.help || a.nargs != 2 || yes < 0)
        return usage_msg(&a, "usage: parley consent CASE OFFER --agrees yes|no [--session PROPOSAL]\n"
                             "                     [--reasons TEXT]\n\n"
                             "A minor suspect's guardian (法定代理人, or the appropriate adult),\n"
                             "present in the fixed session in which the minor signs, consents to\n"
                             "the plea on OFFER (--agrees yes) or objects (--agrees no), SPEC §13.26.\n"
                             "A minor's agreement is final only with the guardian's word in that\n"
                             "session; an objection does not stop it, but then no plea statement\n"
                             "(具结书) is signed (CPL art. 174 para. 2 item 2). --session: the\n"
                             "session, else the latest fixed one. Send it before the suspect and\n"
                             "counsel sign, so that their signatures carry it.\n");
    a.extra.u.consent.agrees = yes;
    a.extra.u.consent.reasons = (char *)a.text;
    return act_run(&a, PL_T_CONSENT, build_consent);
}

/* ---- the interpreter (SPEC §13.27) ----------------------------------------------- */

static int build_interpret(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    const pl_participant *sp = pl_case_suspect(c);
    const char *lang = a->language ? a->language : sp ? sp->language : NULL;
    if (lang == NULL) {
        fprintf(stderr, _("parley %s: the charter states no language of the suspect: name the "
                          "language interpreted into with --language TAG (SPEC §13.27)\n"),
                a->verb);
        return EXIT_USAGE;
    }
    b->u.interpretation.language = (char *)lang;
    return at_signing(a, l, c, b->u.interpretation.offer, b->u.interpretation.session, 1);
}

int cmd_interpret_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 2);
    if (rc != 0)
        return rc;
    if (!a.help && a.language != NULL && !pl_language_tag_valid(a.language, strlen(a.language))) {
        fprintf(stderr, _("parley interpret: --language '%s': a language tag such as ug or en (SPEC "
                          "§13.2)\n"), a.language);
        return EXIT_USAGE;
    }
    if (a.help || a.nargs != 2)
        return usage_msg(&a, "usage: parley interpret CASE OFFER [--language TAG] [--session PROPOSAL]\n\n"
                             "The interpreter (翻译人员), present in the fixed session in which the\n"
                             "suspect signs, states that it interpreted the terms of OFFER and the\n"
                             "plea statement into the suspect's language (CPL art. 9; SPEC §13.27).\n"
                             "A suspect whose language (the charter's) is not the language of the\n"
                             "proceedings signs only after this statement, in the same session.\n"
                             "--language: the language interpreted into, else the suspect's as the\n"
                             "charter states it. --session: the session, else the latest fixed one.\n"
                             "Send it before the suspect signs, and again after rotating your key.\n");
    return act_run(&a, PL_T_INTERPRETATION, build_interpret);
}

/* ---- the court's judgment (SPEC §13.23) ------------------------------------------- */

static int build_judgment(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)l, (void)c;
    b->u.judgment = a->extra.u.judgment;
    return 0;
}

int cmd_judgment_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 2);
    if (rc != 0)
        return rc;
    char when[32];
    int64_t t = -1;
    if (a.date && strlen(a.date) == 10 && snprintf(when, sizeof when, "%sT00:00", a.date) == 16)
        t = cli_parse_utc(when);
    int adopted = a.adopted ? (strcmp(a.adopted, "yes") == 0 ? 1 : strcmp(a.adopted, "no") == 0 ? 0 : -1) : -1;
    if (a.help || a.nargs != 2 || a.court == NULL || a.court[0] == '\0' || t < 0 || adopted < 0)
        return usage_msg(&a, "usage: parley judgment CASE FILE --court NAME --date YYYY-MM-DD\n"
                             "                       --adopted yes|no [--as KEY]\n\n"
                             "Records the court's judgment (SPEC §13.23): the hash of the judgment's\n"
                             "document FILE (the file stays with you), the court, the day, and\n"
                             "whether the court adopted the agreement's sentencing recommendation.\n"
                             "Once the prosecution and the defense have both recorded the same\n"
                             "judgment, the negotiation is closed: no retraction, offer, signature\n"
                             "or withdrawal counts after it.\n");
    uint64_t size;
    if (hash_file(a.verb, a.args[1], a.extra.u.judgment.document, &size) != 0)
        return EXIT_USAGE;
    a.extra.u.judgment.court = (char *)a.court;
    a.extra.u.judgment.time_ms = (uint64_t)t;
    a.extra.u.judgment.adopted = adopted;
    return act_run(&a, PL_T_JUDGMENT, build_judgment);
}

/* ---- offer (and counter-offer) ---------------------------------------------------- */

static int offer_usage(const struct act *a)
{
    return usage_msg(a,
                     "usage: parley offer CASE [--answers OFFER] --charge ARTICLE[/BRACKET]:NAME[:TERM]...\n"
                     "                    --penalty KIND[:TERM[-TERM]] --procedure P\n"
                     "                    [--probation TERM] [--fine YUAN] [--political-rights TERM]\n"
                     "                    [--confiscation part|all] [--deportation] [--grounds G,G...]\n"
                     "                    [--custody-days DAYS] [--designated-residence-days DAYS]\n"
                     "                    [--prohibition TEXT --prohibition-months TERM]\n"
                     "                    [--occupation-ban TEXT --occupation-ban-months TERM]\n"
                     "                    [--grounds-text TEXT] [--facts TEXT] [--recidivist] [--ringleader]\n"
                     "                    [--minor] [--impairment I,I...]\n"
                     "       parley offer CASE [--answers OFFER] --terms FILE\n"
                     "       parley offer [CASE] --dry-run (the terms flags or --terms FILE)\n\n"
                     "An offer (the prosecution) or, with --answers, a counter-offer to that offer\n"
                     "(SPEC §13.7). The terms (SPEC §15) are checked against the statutory limits\n"
                     "before anything is sent; a violation names the rule and the law. --check\n"
                     "only checks them (exit 0 lawful, 1 not), prints them in words and the terms\n"
                     "hash the signatures will name, and sends nothing (--dry-run: the same).\n"
                     "KIND: exemption, surveillance, detention, imprisonment, life or additional\n"
                     "(no main penalty: the fine and other additional penalties given are imposed\n"
                     "alone, as --penalty additional --fine 10000 for 单处罚金; a term for\n"
                     "surveillance, detention, imprisonment; a range as 3y-4y). --custody-days and\n"
                     "--designated-residence-days: days already held (先行羁押, 指定居所监视居住),\n"
                     "credited against the term (SPEC §15.5). --prohibition: what a prohibition\n"
                     "order (禁止令) forbids, with surveillance or probation; --occupation-ban:\n"
                     "the occupation barred (从业禁止, 3 to 5 years). TERM: months (14),\n"
                     "years and months (1y2m) or 1年2个月. BRACKET: the article's sentencing\n"
                     "bracket, from the lightest (SPEC §15.7; 234/1 is minor injury), which holds\n"
                     "the sentence to its range. P: speedy, summary or\n"
                     "ordinary. G: compensation, confession, forgiveness, other, restitution,\n"
                     "surrender. --minor: the offender was under 18 when the crime was committed\n"
                     "(未成年人; never a recidivist, no speedy trial: SPEC §15.4 rows 20, 21).\n"
                     "--impairment: blind, deaf, mute, partial_mental (盲、聋、哑人, 尚未完全丧失辨认\n"
                     "或者控制自己行为能力的精神病人): the ordinary procedure only (rows 21, 22).\n"
                     "--terms FILE (- for stdin) instead of the terms flags: one JSON object with the\n"
                     "keys of SPEC §15.2, the fine in fen, e.g.\n"
                     "  {\"charges\": [{\"article\": \"133-1\", \"name\": \"dangerous driving\"}],\n"
                     "   \"facts\": \"drove drunk; no accident\", \"fine\": 400000,\n"
                     "   \"penalty\": {\"kind\": \"detention\", \"min\": 2, \"max\": 2},\n"
                     "   \"probation\": 3, \"procedure\": \"speedy\"}\n"
                     "(see TERMS FILES in parley(1)).\n");
}

static int build_offer(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)c;
    b->u.offer.terms = (uint8_t *)a->terms;
    b->u.offer.terms_len = a->terms_len;
    b->u.offer.has_answers = a->answers != NULL;
    return a->answers ? msg_arg(a, l, a->answers, PL_T_OFFER, b->u.offer.answers, NULL) : 0;
}

static int parse_months(const char *s, uint64_t *v)
{
    char *end;
    unsigned long long x = strtoull(s, &end, 10);
    if (end == s || *end || x > 1000)
        return -1;
    *v = x;
    return 0;
}

/* A term as a person writes it: months ("14"), years and months ("1y2m",
 * "2y", "6m") or the same in Chinese ("1年2个月", "2年", "6个月"); in
 * months. -1 if it is none of these. */
static int parse_term(const char *s, uint64_t *v)
{
    if (parse_months(s, v) == 0)
        return 0;
    unsigned long long years = 0, months = 0;
    int any = 0;
    const char *p = s;
    while (*p) {
        char *end;
        if (*p < '0' || *p > '9')
            return -1;
        unsigned long long x = strtoull(p, &end, 10);
        if (x > 1000)
            return -1;
        if (*end == 'y' || *end == 'Y') {
            if (any) /* years come first, once */
                return -1;
            years = x, any |= 1, p = end + 1;
        } else if (strncmp(end, "年", strlen("年")) == 0) {
            if (any) /* years come first, once */
                return -1;
            years = x, any |= 1, p = end + strlen("年");
        } else if (*end == 'm' || *end == 'M') {
            if (any & 2)
                return -1;
            months = x, any |= 2, p = end + 1;
        } else if (strncmp(end, "个月", strlen("个月")) == 0 || strncmp(end, "月", strlen("月")) == 0) {
            if (any & 2)
                return -1;
            months = x, any |= 2;
            p = end + (strncmp(end, "个月", strlen("个月")) == 0 ? strlen("个月") : strlen("月"));
        } else
            return -1;
    }
    if (!any || years * 12 + months > 1000)
        return -1;
    *v = years * 12 + months;
    return 0;
}

/* `offer --check --json` of unlawful terms: the rule, the law and what is
 * wrong, the rule's meaning in the reader's language. */
static void check_json(const pl_terms_problem *why)
{
    printf("{\"lawful\":false,\"error\":\"%s\",\"section\":", pl_errname(why->code));
    cli_json_str(why->section ? why->section : "15");
    printf(",\"basis\":");
    cli_json_str(why->basis ? why->basis : "");
    printf(",\"message\":");
    cli_json_str(cli_strerror(why->code));
    printf(",\"detail\":");
    cli_json_str(why->detail);
    printf("}\n");
}

/* A comma-separated list of the words name() gives the bits up to all
 * (--grounds, --impairment) into *out: 0, or 1 for a word it does not
 * give. */
static int word_set(const char *v, unsigned all, const char *(*name)(unsigned), unsigned *out)
{
    char list[256];
    snprintf(list, sizeof list, "%s", v);
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        unsigned bit = 0;
        for (unsigned b = 1; b <= all; b <<= 1)
            if (strcmp(name(b), tok) == 0)
                bit = b;
        if (bit == 0)
            return 1;
        *out |= bit;
    }
    return 0;
}

int cmd_offer_main(int argc, char **argv)
{
    struct act a;
    memset(&a, 0, sizeof a);
    a.verb = argv[0];
    /* The terms flags are this verb's own; the rest go through parse(). */
    pl_terms *t = calloc(1, sizeof *t);
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0, bad = 0, have_penalty = 0;
    int nflags = 0; /* terms flags given: every argument but --answers, --terms and parse()'s */
    const char *answers = NULL, *terms_file = NULL;
    pl_terms_problem why;
    memset(&why, 0, sizeof why);
    int check_only = 0; /* --check: the terms alone, judged; nothing is sent */
    if (t == NULL || rest == NULL) {
        free(t);
        free(rest);
        return EXIT_CHECK;
    }
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc && !bad; i++) {
        const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        nflags++;
        if (strcmp(s, "--deportation") == 0)
            t->deportation = 1;
        else if (strcmp(s, "--recidivist") == 0)
            t->recidivist = 1;
        else if (strcmp(s, "--ringleader") == 0)
            t->ringleader = 1;
        else if (strcmp(s, "--minor") == 0)
            t->minor = 1;
        else if (v && strcmp(s, "--answers") == 0)
            answers = v, i++, nflags--;
        else if (strcmp(s, "--check") == 0 || strcmp(s, "--dry-run") == 0)
            check_only = 1, nflags--;
        else if (v && strcmp(s, "--terms") == 0)
            terms_file = v, i++, nflags--;
        else if (v && strcmp(s, "--charge") == 0) {
            i++;
            const char *c1 = strchr(v, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
            pl_charge *ch = &t->charges[t->ncharges];
            size_t nl = c1 == NULL ? 0 : c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
            /* ARTICLE/BRACKET: the sentencing bracket (SPEC §15.7, v2) */
            const char *sl = c1 ? memchr(v, '/', (size_t)(c1 - v)) : NULL;
            size_t al = c1 == NULL ? 0 : sl ? (size_t)(sl - v) : (size_t)(c1 - v);
            char *end = NULL;
            unsigned long br = sl ? strtoul(sl + 1, &end, 10) : 0;
            if (c1 == NULL || al == 0 || nl == 0 || t->ncharges == PL_TERMS_MAX_CHARGES ||
                al > PL_TERMS_ARTICLE_MAX || nl > PL_TERMS_NAME_MAX ||
                (sl && (end != c1 || br == 0 || br > 99 || sl[1] < '0' || sl[1] > '9')) ||
                (c2 && parse_term(c2 + 1, &ch->term) != 0)) {
                fprintf(stderr,
                        _("parley offer: --charge '%s': use ARTICLE[/BRACKET]:NAME[:TERM], the "
                          "article as the Criminal Law numbers it (133-1 for 第一百三十三条之一), "
                          "its sentencing bracket from 1 (SPEC §15.7) and the charge's name, e.g. "
                          "234/1:故意伤害罪 or 133-1:危险驾驶罪:2 (at most %d charges)\n"),
                        v, PL_TERMS_MAX_CHARGES);
                bad = 2;
                break;
            }
            ch->bracket = br;
            memcpy(ch->article, v, al);
            memcpy(ch->name, c1 + 1, nl);
            ch->has_term = c2 != NULL;
            t->ncharges++;
        } else if (v && strcmp(s, "--penalty") == 0) {
            i++;
            char kind[32];
            const char *c = strchr(v, ':');
            size_t kl = c ? (size_t)(c - v) : strlen(v);
            t->penalty.kind = 0;
            if (kl < sizeof kind) {
                memcpy(kind, v, kl);
                kind[kl] = '\0';
                for (int k = PL_PENALTY_EXEMPTION; k <= PL_PENALTY_KIND_LAST; k++)
                    if (strcmp(pl_penalty_kind_name(k), kind) == 0)
                        t->penalty.kind = (pl_penalty_kind)k;
            }
            int ok = t->penalty.kind != 0;
            if (ok && c) {
                char range[64];
                snprintf(range, sizeof range, "%s", c + 1);
                char *dash = strchr(range, '-');
                if (dash)
                    *dash = '\0';
                ok = parse_term(range, &t->penalty.min) == 0 &&
                     parse_term(dash ? dash + 1 : range, &t->penalty.max) == 0;
            }
            if (!ok) {
                fprintf(stderr,
                        _("parley offer: --penalty '%s': use KIND[:TERM[-TERM]]: KIND is "
                          "exemption (免予刑事处罚), surveillance (管制), detention (拘役), "
                          "imprisonment (有期徒刑) or life (无期徒刑); a TERM is months (14), years "
                          "and months (1y2m) or 1年2个月; e.g. imprisonment:1y2m-1y6m or "
                          "detention:2\n"),
                        v);
                bad = 2;
                break;
            }
            have_penalty = 1;
        } else if (v && strcmp(s, "--procedure") == 0) {
            i++;
            for (int p = PL_PROCEDURE_SPEEDY; p <= PL_PROCEDURE_ORDINARY; p++)
                if (strcmp(pl_procedure_name(p), v) == 0)
                    t->procedure = (pl_procedure)p;
            bad = t->procedure == 0;
        } else if (v && strcmp(s, "--probation") == 0) {
            i++;
            t->has_probation = 1;
            bad = parse_term(v, &t->probation) != 0;
        } else if (v && (strcmp(s, "--prohibition") == 0 || strcmp(s, "--occupation-ban") == 0)) {
            /* SPEC §15.2 (v2): what is forbidden, and (the next flag) for how long */
            i++;
            int pro = strcmp(s, "--prohibition") == 0;
            char *dst = pro ? t->prohibition : t->occupation_ban;
            size_t cap = pro ? sizeof t->prohibition : sizeof t->occupation_ban;
            if (strlen(v) >= cap) {
                fprintf(stderr, _("parley offer: %s: at most %zu bytes\n"), s, cap - 1);
                bad = 2;
            } else {
                memcpy(dst, v, strlen(v) + 1);
            }
        } else if (v && (strcmp(s, "--prohibition-months") == 0 ||
                         strcmp(s, "--occupation-ban-months") == 0)) {
            i++;
            uint64_t m = 0;
            if (parse_term(v, &m) != 0 || m == 0) {
                fprintf(stderr, _("parley offer: %s '%s': months (6), years and months (1y6m) or "
                                  "1年6个月\n"), s, v);
                bad = 2;
            }
            *(strcmp(s, "--prohibition-months") == 0 ? &t->prohibition_months
                                                    : &t->occupation_ban_months) = m;
        } else if (v && (strcmp(s, "--custody-days") == 0 ||
                         strcmp(s, "--designated-residence-days") == 0)) {
            /* SPEC §15.2 (v2): whole days, credited against the term */
            i++;
            char *end;
            unsigned long long d = strtoull(v, &end, 10);
            int custody = strcmp(s, "--custody-days") == 0;
            if (end == v || *end != '\0' || v[0] == '-' || v[0] == '+' || d == 0 || d > 100000) {
                fprintf(stderr, _("parley offer: %s '%s': a number of days, 1 or more\n"), s, v);
                bad = 2;
            }
            if (custody)
                t->has_custody_days = 1, t->custody_days = d;
            else
                t->has_designated_residence_days = 1, t->designated_residence_days = d;
        } else if (v && strcmp(s, "--political-rights") == 0) {
            i++;
            t->has_political_rights = 1;
            bad = parse_term(v, &t->political_rights) != 0;
        } else if (v && strcmp(s, "--fine") == 0) {
            i++;
            t->has_fine = 1;
            if (parse_yuan(v, &t->fine) != 0) {
                fprintf(stderr, _("parley offer: --fine '%s': an amount in yuan, fen as at most two "
                                  "decimals, e.g. 4000 or 4000.50\n"), v);
                bad = 2;
            }
        } else if (v && strcmp(s, "--confiscation") == 0) {
            i++;
            t->confiscation = strcmp(v, "part") == 0  ? PL_CONFISCATION_PART
                              : strcmp(v, "all") == 0 ? PL_CONFISCATION_ALL
                                                      : PL_CONFISCATION_NONE;
            bad = t->confiscation == PL_CONFISCATION_NONE;
        } else if (v && strcmp(s, "--grounds") == 0) {
            i++;
            bad = word_set(v, PL_GROUND_ALL, pl_ground_name, &t->grounds);
        } else if (v && strcmp(s, "--impairment") == 0) {
            /* SPEC §15.2 (v2): blind, deaf, mute, partial_mental */
            i++;
            bad = word_set(v, PL_IMPAIRMENT_ALL, pl_impairment_name, &t->impairment);
        } else if (v && strcmp(s, "--grounds-text") == 0) {
            i++;
            bad = strlen(v) > PL_TERMS_GROUNDS_TEXT_MAX;
            if (!bad)
                strcpy(t->grounds_text, v);
        } else if (v && strcmp(s, "--facts") == 0) {
            i++;
            bad = strlen(v) > PL_TERMS_FACTS_MAX;
            if (!bad)
                strcpy(t->facts, v);
        } else
            rest[nrest++] = argv[i], nflags--;
        if (bad == 1)
            fprintf(stderr, _("parley offer: bad value for %s (see --help)\n"), s);
    }
    int rc = bad ? EXIT_USAGE : parse(nrest, rest, &a, 1);
    if (rc == 0 && terms_file != NULL && nflags > 0 && !a.help) {
        fprintf(stderr, _("parley offer: --terms and the terms flags (--charge, --penalty, ...) "
                        "exclude each other: give the terms in the file or as flags\n"));
        rc = EXIT_USAGE;
    }
    int complete = terms_file != NULL || (t->ncharges > 0 && have_penalty && t->procedure != 0);
    /* --check takes no case; --dry-run the CASE of the offer it stands for */
    if (rc == 0 && (a.help || (check_only ? a.nargs > 1 : a.nargs != 1) || !complete))
        rc = offer_usage(&a);
    /* SPEC §15.6: a file's terms are judged as a receiver judges them. */
    if (rc == 0 && terms_file != NULL)
        rc = cli_terms_json_read(a.verb, terms_file, t, &why);
    if (rc == EXIT_CHECK && terms_file != NULL && check_only && a.json && why.code != 0)
        check_json(&why);
    uint8_t terms[PL_TERMS_MAX_BYTES];
    size_t tlen = 0;
    if (rc == 0 && a.help == 0) {
        /* SPEC §15.4: checked here, with the law, before the node sees it. */
        int v = pl_terms_encode(t, terms, sizeof terms, &tlen);
        if (v != PL_OK) {
            (void)!pl_terms_validate(t, &why);
            why.code = v;
            if (check_only && a.json)
                check_json(&why);
            rc = cli_terms_refused(a.verb, &why);
        }
    }
    if (rc == 0 && a.help == 0 && check_only) {
        /* SPEC §15.4 as a dry run (the web app checks as the user types) */
        char text[PL_TERMS_TEXT_MAX], hex[2 * PL_HASH_BYTES + 1];
        uint8_t th[PL_HASH_BYTES];
        if (cli_terms_text(t, text, sizeof text) != PL_OK)
            text[0] = '\0';
        /* SPEC §15.3: the hash the signatures will name */
        pl_terms_hash(terms, tlen, th);
        cli_hex(th, sizeof th, hex);
        if (a.json) {
            printf("{\"lawful\":true,\"terms_text\":");
            cli_json_str(text);
            printf(",\"terms_hash\":\"%s\"}\n", hex);
        } else {
            printf(_("lawful: %s\n"), text);
            printf(_("terms hash: %s (nothing was sent)\n"), hex);
        }
        free(t);
        free(rest);
        return EXIT_OK;
    }
    if (rc == 0 && a.help == 0) {
        a.terms = terms;
        a.terms_len = tlen;
        a.answers = answers;
        rc = act_run(&a, PL_T_OFFER, build_offer);
    }
    free(t);
    free(rest);
    return a.help ? EXIT_OK : rc;
}

/* ---- disclosures, sessions, observations ------------------------------------------- */

/* H of a file's bytes (SPEC §1.3, §13.12), streamed: evidence can be large
 * and never enters the log. */
static int hash_file(const char *verb, const char *path, uint8_t hash[32], uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, _("parley %s: cannot read '%s'\n"), verb, path);
        return -1;
    }
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    uint8_t buf[65536];
    size_t n;
    *size = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        crypto_generichash_update(&st, buf, n);
        *size += n;
    }
    int err = ferror(f);
    fclose(f);
    crypto_generichash_final(&st, hash, 32);
    if (err)
        fprintf(stderr, _("parley %s: error reading '%s'\n"), verb, path);
    return err ? -1 : 0;
}

static int build_disclose(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)l, (void)c;
    b->u.disclose.items = (pl_item *)a->items;
    b->u.disclose.nitems = a->nitems;
    return 0;
}

int cmd_disclose_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 1 + DISCLOSE_FILES_MAX) != 0)
        return EXIT_USAGE;
    if (a.help || a.nargs < 2)
        return usage_msg(&a, "usage: parley disclose CASE FILE...\n\n"
                             "The prosecution discloses evidence (R4, SPEC §13.12): each file's hash,\n"
                             "size and name go into the log (1 to 64 files); the files themselves\n"
                             "travel outside it, to the defense, who acknowledges them with parley ack.\n");
    for (int i = 1; i < a.nargs; i++) {
        const char *slash = strrchr(a.args[i], '/');
        pl_item *it = &a.items[a.nitems++];
        it->title = (char *)(slash ? slash + 1 : a.args[i]);
        if (hash_file(a.verb, a.args[i], it->hash, &it->size) != 0)
            return EXIT_USAGE;
    }
    return act_run(&a, PL_T_DISCLOSE, build_disclose);
}

/* SPEC §13.12: "A defense node MUST NOT acknowledge a disclosure before it
 * holds every item of it and has checked each item's hash and size." The
 * files the defense received are hashed here; every item must be among
 * them. 0, or EXIT_CHECK with the missing items printed. */
static int check_items(const struct act *a, const pl_body *d)
{
    int missing = 0;
    for (size_t k = 0; k < d->u.disclose.nitems; k++) {
        const pl_item *want = &d->u.disclose.items[k];
        size_t f = 0;
        while (f < a->nitems && (a->items[f].size != want->size ||
                                 sodium_memcmp(a->items[f].hash, want->hash, 32) != 0))
            f++;
        if (f == a->nitems) {
            char hex[65], title[PL_REPORT_NAME_SHOWN];
            cli_hex(want->hash, 32, hex);
            snprintf(title, sizeof title, "%s", want->title);
            pl_text_oneline(title);
            fprintf(stderr, _("parley %s: item '%s' (%llu bytes, hash %.16s…) is not among the files "
                            "given\n"), a->verb, title, (unsigned long long)want->size, hex);
            missing++;
        }
    }
    if (missing)
        fprintf(stderr, _("parley %s: nothing was sent; get the missing item(s) from the prosecution "
                        "and give every file of the disclosure\n"), a->verb);
    return missing ? EXIT_CHECK : 0;
}

/* ack, session-accept, session-decline: a body naming one earlier message. */
static int build_ref(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    if (b->type == PL_T_DISCLOSE_ACK) {
        long r;
        int rc = msg_arg(a, l, a->args[1], PL_T_DISCLOSE, b->u.disclose_ack.disclosure, &r);
        const pl_body *d = rc == 0 ? body_at(c, l, (size_t)r, NULL) : NULL;
        if (rc == 0 && d == NULL) {
            fprintf(stderr, _("parley %s: the disclosure's body does not decode\n"), a->verb);
            return EXIT_CHECK;
        }
        return rc ? rc : check_items(a, d);
    }
    b->u.session_answer.public_ok = a->public_ok;
    b->u.session_answer.reasons = (char *)a->text;
    return msg_arg(a, l, a->args[1], PL_T_SESSION_PROPOSE, b->u.session_answer.proposal, NULL);
}

static int ref_verb(int argc, char **argv, uint64_t type, const char *help)
{
    struct act a;
    if (parse(argc, argv, &a, type == PL_T_DISCLOSE_ACK ? 2 + DISCLOSE_FILES_MAX : 2) != 0)
        return EXIT_USAGE;
    if (a.help || (type == PL_T_DISCLOSE_ACK ? a.nargs < 3 : a.nargs != 2) ||
        (type == PL_T_SESSION_DECLINE && a.text == NULL))
        return usage_msg(&a, help);
    for (int i = 2; type == PL_T_DISCLOSE_ACK && i < a.nargs; i++) {
        pl_item *it = &a.items[a.nitems++];
        if (hash_file(a.verb, a.args[i], it->hash, &it->size) != 0)
            return EXIT_USAGE;
    }
    return act_run(&a, type, build_ref);
}

int cmd_ack_main(int argc, char **argv)
{
    return ref_verb(argc, argv, PL_T_DISCLOSE_ACK,
                    "usage: parley ack CASE DISCLOSURE FILE... [--as KEY]\n\n"
                    "The defense acknowledges a disclosure (R4, SPEC §13.12) once it holds\n"
                    "every item: each FILE is hashed, and every item's hash and size must be\n"
                    "among them, or nothing is sent. Each defense key acknowledges for itself.\n");
}

/* ---- the victim's word on public observation (SPEC §13.11, v2) ------------------- */

static int build_publicity(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)c;
    b->u.publicity.public_ok = a->extra.u.publicity.public_ok;
    return msg_arg(a, l, a->args[1], PL_T_SESSION_PROPOSE, b->u.publicity.proposal, NULL);
}

int cmd_publicity_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 2);
    if (rc != 0)
        return rc;
    int yes = agrees_arg(&a);
    if (a.help || a.nargs != 2 || yes < 0)
        return usage_msg(&a, "usage: parley publicity CASE PROPOSAL --agrees yes|no [--as KEY]\n\n"
                             "The victim consents (--agrees yes) or does not consent (--agrees no)\n"
                             "to public observation of the proposed session (SPEC §13.11). While\n"
                             "the case has a victim, no session is publicly observed without every\n"
                             "victim's consent, whatever the two sides agree; the latest word\n"
                             "counts. It neither fixes nor declines the session.\n");
    a.extra.u.publicity.public_ok = yes;
    return act_run(&a, PL_T_PUBLICITY, build_publicity);
}

int cmd_session_accept_main(int argc, char **argv)
{
    return ref_verb(argc, argv, PL_T_SESSION_ACCEPT,
                    "usage: parley session-accept CASE PROPOSAL [--public] [--as KEY]\n\n"
                    "The other side accepts a proposed session (R6, SPEC §13.11); --public\n"
                    "consents to public observation of it.\n");
}

int cmd_session_decline_main(int argc, char **argv)
{
    return ref_verb(argc, argv, PL_T_SESSION_DECLINE,
                    "usage: parley session-decline CASE PROPOSAL --reasons TEXT [--as KEY]\n\n"
                    "The other side declines a proposed session, with reasons (R6, SPEC §13.11).\n");
}

/* "YYYY-MM-DDTHH:MM" in UTC to ms since the epoch (days from the civil
 * calendar, proleptic Gregorian); -1 if malformed. Strict: exactly that
 * shape, digits only, a real date, because what is signed cannot be taken
 * back. */
static int build_propose(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)l, (void)c;
    b->u.session_propose = a->extra.u.session_propose;
    b->u.session_propose.public_ok = a->public_ok;
    return 0;
}

int cmd_session_propose_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 1);
    if (rc != 0)
        return rc;
    const char *when = a.time, *venue = a.venue, *mode = a.mode;
    int facility = a.facility;
    int m = 0;
    for (int k = PL_MODE_IN_PERSON; mode && k <= PL_MODE_WRITTEN; k++)
        if (strcmp(pl_mode_name((pl_mode)k), mode) == 0)
            m = k;
    int64_t t = when ? cli_parse_local(when) : -1;
    if (a.help || a.nargs != 1 || venue == NULL || m == 0 || t < 0)
        return usage_msg(&a, "usage: parley session-propose CASE --time YYYY-MM-DDTHH:MM --venue TEXT\n"
                             "                              --mode in_person|video|written\n"
                             "                              [--detention-facility] [--public]\n\n"
                             "Proposes a negotiation session (R6, SPEC §13.11). The time is local\n"
                             "(TZ, else Beijing time), or give its offset: 2026-12-03T09:30+08:00\n"
                             "or 2026-12-03T01:30Z. --public consents to its public observation.\n");
    a.extra.u.session_propose.time_ms = (uint64_t)t;
    a.extra.u.session_propose.venue = (char *)venue;
    a.extra.u.session_propose.mode = (pl_mode)m;
    a.extra.u.session_propose.detention_facility = facility;
    return act_run(&a, PL_T_SESSION_PROPOSE, build_propose);
}

static int build_observe(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)c;
    b->u.observation.text = (char *)a->text;
    b->u.observation.has_regarding = a->regarding != NULL;
    return a->regarding ? msg_arg(a, l, a->regarding, 0, b->u.observation.regarding, NULL) : 0;
}

int cmd_observe_main(int argc, char **argv)
{
    struct act a;
    if (parse(argc, argv, &a, 1) != 0)
        return EXIT_USAGE;
    if (a.help || a.nargs != 1 || a.text == NULL)
        return usage_msg(&a, "usage: parley observe CASE --text TEXT [--regarding MSG]\n\n"
                             "The observer's observation, into the record (SPEC §13.13).\n");
    return act_run(&a, PL_T_OBSERVATION, build_observe);
}

/* ---- recordings and the observer draw --------------------------------------------- */

static int build_recording(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    (void)c;
    b->u.recording = a->extra.u.recording;
    return msg_arg(a, l, a->args[1], PL_T_SESSION_PROPOSE, b->u.recording.session, NULL);
}

int cmd_recording_main(int argc, char **argv)
{
    struct act a;
    int rc = parse(argc, argv, &a, 3);
    if (rc != 0)
        return rc;
    const char *media = a.media;
    if (a.help || a.nargs != 3 || media == NULL || strlen(media) == 0 || strlen(media) > 32)
        return usage_msg(&a, "usage: parley recording CASE SESSION FILE --media TYPE\n\n"
                             "Anchors a session's recording in the log by hash (R12, SPEC §13.17):\n"
                             "the file's hash and size and its media type (e.g. video/mp4, at most\n"
                             "32 bytes) go into the log; the file stays with you, unchanged. SESSION\n"
                             "is the session's proposal, which must have been accepted.\n");
    a.extra.u.recording.media = (char *)media;
    if (hash_file(a.verb, a.args[2], a.extra.u.recording.hash, &a.extra.u.recording.size) != 0)
        return EXIT_USAGE;
    return act_run(&a, PL_T_RECORDING, build_recording);
}

/* The observer draw (R8, SPEC §13.13). Each side commits to 32 random bytes
 * and reveals them once it has seen the other side's commitment. The value
 * is secret until then, so it is kept in HOME/draw/CASE.ROUND.COMMITMENT
 * (0600): one file per commitment, written (never replaced) before the
 * commitment is sent, so a node that crashes after sending can still
 * reveal, and two attempts at once (the defense node holds two keys) each
 * keep their own value; the one the node accepted is found by its value. */
static int draw_path(const struct act *a, const uint8_t case_id[32], uint64_t round,
                     const uint8_t commit[32], char *path, size_t cap)
{
    char hex[65], chex[65];
    cli_hex(case_id, 32, hex);
    cli_hex(commit, 32, chex);
    int n = snprintf(path, cap, "%s/draw/%s.%llu.%s", a->home, hex, (unsigned long long)round,
                     chex);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Whether the log holds a valid draw message of the type in the round. */
static int draw_seen(const cli_log *l, pl_case *c, uint64_t type, uint64_t round)
{
    for (size_t i = 0; i < l->n; i++) {
        int v;
        const pl_body *b = body_at(c, l, i, &v);
        if (pl_msg_header(l->msgs[i])->type == type && v == PL_OK && b && b->u.draw.round == round)
            return 1;
    }
    return 0;
}

static int is_node_key(const struct act *a, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t k = 0; k < a->nkeys; k++)
        if (memcmp(a->keys[k], pk, PL_PK_BYTES) == 0)
            return 1;
    return 0;
}

/* The valid commitment of the round by one of the node's own keys (one per
 * side, so at most one, SPEC §13.13 check 3); its index in the log or -1.
 * Commitments are public: a copy of ours by someone else is never ours. */
static long draw_own_commit(const struct act *a, const cli_log *l, pl_case *c, uint64_t round)
{
    for (size_t i = 0; i < l->n; i++) {
        int v;
        const pl_body *cb = body_at(c, l, i, &v);
        if (pl_msg_header(l->msgs[i])->type == PL_T_DRAW_COMMIT && v == PL_OK && cb &&
            cb->u.draw.round == round && is_node_key(a, pl_msg_header(l->msgs[i])->author))
            return (long)i;
    }
    return -1;
}

static int build_draw_commit(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    char path[4096], dir[4096];
    uint64_t round = a->extra.u.draw.round;
    /* SPEC §13.13: "MUST send its commitment before it has seen any reveal
     * of the round". */
    if (draw_seen(l, c, PL_T_DRAW_REVEAL, round)) {
        fprintf(stderr, _("parley %s: round %llu already has a reveal; a commitment now could be "
                        "chosen knowing it (SPEC §13.13). Use a new --round.\n"),
                a->verb, (unsigned long long)round);
        return EXIT_CHECK;
    }
    if (draw_own_commit(a, l, c, round) >= 0) {
        fprintf(stderr, _("parley %s: this node already committed in round %llu; reveal with "
                        "parley draw-reveal once the other side committed, or use a new --round\n"),
                a->verb, (unsigned long long)round);
        return EXIT_CHECK;
    }
    uint8_t reveal[32];
    randombytes_buf(reveal, sizeof reveal);
    b->u.draw.round = round;
    pl_draw_commitment(reveal, b->u.draw.value);
    snprintf(dir, sizeof dir, "%s/draw", a->home);
    int rc = 0;
    if (draw_path(a, l->case_id, round, b->u.draw.value, path, sizeof path) != 0 ||
        (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
        fprintf(stderr, _("parley %s: cannot create %s\n"), a->verb, dir);
        rc = EXIT_USAGE;
    } else if (io_write_file(path, reveal, sizeof reveal, 0600, 0) != 0) {
        rc = EXIT_CHECK;
    }
    sodium_memzero(reveal, sizeof reveal);
    return rc;
}

static int build_draw_reveal(const struct act *a, const cli_log *l, pl_case *c, pl_body *b)
{
    uint64_t round = a->extra.u.draw.round;
    long at = draw_own_commit(a, l, c, round);
    if (at < 0) {
        fprintf(stderr, _("parley %s: the case holds no commitment of round %llu by this node's "
                        "keys (run parley draw-commit first, or wait for it)\n"),
                a->verb, (unsigned long long)round);
        return EXIT_CHECK;
    }
    const pl_body *cb = body_at(c, l, (size_t)at, NULL);
    char path[4096];
    size_t n = 0;
    uint8_t *reveal = NULL, check[32];
    if (draw_path(a, l->case_id, round, cb->u.draw.value, path, sizeof path) == 0 &&
        access(path, F_OK) == 0)
        reveal = io_read_file(path, 32, &n);
    if (reveal != NULL && n == 32)
        pl_draw_commitment(reveal, check);
    if (reveal == NULL || n != 32 || sodium_memcmp(check, cb->u.draw.value, 32) != 0) {
        fprintf(stderr, _("parley %s: the secret of this node's commitment of round %llu is "
                        "missing or damaged (%s); the round cannot be completed by this side: "
                        "agree on a new --round\n"),
                a->verb, (unsigned long long)round, path);
        free(reveal);
        return EXIT_CHECK;
    }
    /* The reveal comes from the key that committed (SPEC §13.13 step 3). */
    static char author[65];
    cli_hex(pl_msg_header(l->msgs[at])->author, 32, author);
    if (a->as && strcmp(a->as, author) != 0) {
        fprintf(stderr, _("parley %s: round %llu was committed by another of the node's keys; the "
                        "reveal is signed by that key (drop --as)\n"),
                a->verb, (unsigned long long)round);
        sodium_memzero(reveal, 32);
        free(reveal);
        return EXIT_USAGE;
    }
    b->u.draw.round = round;
    memcpy(b->u.draw.value, reveal, 32);
    sodium_memzero(reveal, 32);
    free(reveal);
    ((struct act *)a)->as = author;
    return 0;
}

static int draw_verb(int argc, char **argv, uint64_t type, const char *help)
{
    struct act a;
    int rc = parse(argc, argv, &a, 1);
    if (rc != 0)
        return rc;
    const char *round = a.round ? a.round : "1";
    char *end;
    unsigned long long d = strtoull(round, &end, 10);
    if (a.help || a.nargs != 1 || end == round || *end || d == 0 || d > UINT32_MAX)
        return usage_msg(&a, help);
    a.extra.u.draw.round = d;
    return act_run(&a, type, type == PL_T_DRAW_COMMIT ? build_draw_commit : build_draw_reveal);
}

int cmd_draw_commit_main(int argc, char **argv)
{
    return draw_verb(argc, argv, PL_T_DRAW_COMMIT,
                     "usage: parley draw-commit CASE [--round N] [--as KEY]\n\n"
                     "Your side's commitment in round N (default 1) of the draw of the observer\n"
                     "from the charter's pool (R8, SPEC §13.13). The random value stays secret\n"
                     "in HOME/draw/ until parley draw-reveal, once the other side committed.\n");
}

int cmd_draw_reveal_main(int argc, char **argv)
{
    return draw_verb(argc, argv, PL_T_DRAW_REVEAL,
                     "usage: parley draw-reveal CASE [--round N]\n\n"
                     "Reveals your side's value of round N (default 1) after the other side's\n"
                     "commitment arrived (SPEC §13.13); signed by the key that committed. When\n"
                     "both sides revealed, the observer is drawn; parley log shows who.\n");
}
