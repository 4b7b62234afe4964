/* parley verify: offline verification of a log file (SPEC §8) or an
 * equivocation proof (SPEC §7.3). Exit 0 valid, 1 invalid (every reason is
 * printed), 2 unusable input (cannot be read or is neither kind of file). */
#define _GNU_SOURCE /* open_memstream */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

/* A certificate or a proof is read whole; a log is streamed. */
#define CERT_MAX_BYTES PL_CERT_MAX_BYTES

static int usage(int rc)
{
    fprintf(rc ? stderr : stdout, "%s",
            _("usage: parley verify FILE [--timeline] [--json] [--trust TRUSTFILE] [-P KEY]...\n"
            "                          [--id-number NUMBER|-] [--statement]\n"
            "                          [--print FILE.html|FILE.pdf [--force]] [--threads N]\n\n"
            "Verifies, with no network, a Parley log file, an agreement certificate or an\n"
            "equivocation proof: signatures, chains, references, case binding, replays,\n"
            "equivocation and, for a certificate, the negotiation rules and the final\n"
            "agreement. --timeline also prints a log's messages in display order: author\n"
            "and role, verdict, what each answers or signs, what an offer answering an\n"
            "offer changes (SPEC §15.5) and the agreement after each; with --json, as a\n"
            "\"timeline\" array (message contents in readable fields) and the final\n"
            "\"agreement\", the same entries `parley log CASE --json` prints.\n"
            "For a certificate, --trust checks the prosecution's and counsel's keys against\n"
            "a trust file (parley trust, SPEC §16.5) and -P KEY (64 hex digits or a key\n"
            "file; repeatable) trusts one signer's key directly: exit 1 unless both are\n"
            "trusted, and unless the charter binds the suspect's seat to a person (SPEC\n"
            "§13.2). Without either, the signers are reported UNVERIFIED.\n"
            "--id-number checks the number on the defendant's identity document against\n"
            "the hash the charter binds ('-' reads it from standard input): exit 1 if it\n"
            "is another person's.\n"
            "--statement prints a certificate that verifies as a plea statement\n"
            "(认罪认罚具结书) in Chinese legal writing, for the court's file; --print\n"
            "writes it as a page to print (HTML, or PDF through headless Chromium) with\n"
            "what was and was not checked and the certificate hash as a QR code (SPEC\n"
            "§16.6), only when the certificate verifies; --force replaces the file.\n"
            "--threads N checks a log's signatures on N threads (default: one per core).\n"
            "exit status: 0 valid, 1 invalid (reasons printed), 2 unusable input\n"));
    return rc;
}

static void short_hex(const uint8_t *b, char out[17])
{
    cli_hex(b, 8, out);
}

static int verify_proof(const char *path, const uint8_t *b, size_t n, int json)
{
    pl_equiv_info info;
    int err = pl_equiv_proof_verify(b, n, &info);
    char author[2 * PL_PK_BYTES + 1], fp[PL_FINGERPRINT_STR_BYTES], c[2 * PL_CASE_ID_BYTES + 1];
    char ia[2 * PL_ID_BYTES + 1], ib[2 * PL_ID_BYTES + 1];
    if (json) {
        printf("{\"file\":");
        cli_json_str(path);
        printf(",\"kind\":\"equivocation-proof\",\"valid\":%s", err ? "false" : "true");
    }
    if (err != PL_OK) {
        if (json)
            printf(",\"error\":\"%s\",\"section\":\"%s\"}\n", pl_errname(err), pl_errsection(err));
        else
            printf(_("%s: INVALID equivocation proof: %s (%s, SPEC §%s)\n"), path, cli_strerror(err),
                   pl_errname(err), pl_errsection(err));
        return EXIT_CHECK;
    }
    cli_hex(info.author, PL_PK_BYTES, author);
    cli_hex(info.case_id, PL_CASE_ID_BYTES, c);
    cli_hex(info.id_a, PL_ID_BYTES, ia);
    cli_hex(info.id_b, PL_ID_BYTES, ib);
    pl_fingerprint(info.author, fp);
    if (json)
        printf(",\"case\":\"%s\",\"author\":\"%s\",\"fingerprint\":\"%s\",\"seq\":%llu,"
               "\"ids\":[\"%s\",\"%s\"]}\n",
               c, author, fp, (unsigned long long)info.seq, ia, ib);
    else
        printf(_("%s: valid equivocation proof\n  case    %s\n  author  %s (%s)\n"
                 "  signed two different messages as its message %llu:\n    %s\n    %s\n"),
               path, c, fp, author, (unsigned long long)info.seq, ia, ib);
    return EXIT_OK;
}

/* A role for a person (the catalogue has the Chinese). */
static const char *role_label(pl_role role)
{
    switch (role) {
    case PL_ROLE_PROSECUTION:
        return N_("prosecution");
    case PL_ROLE_SUSPECT:
        return N_("suspect");
    case PL_ROLE_COUNSEL:
        return N_("counsel");
    case PL_ROLE_VICTIM:
        return N_("victim");
    case PL_ROLE_OBSERVER:
        return N_("observer");
    case PL_ROLE_GUARDIAN:
        return N_("guardian");
    case PL_ROLE_INTERPRETER:
        return N_("interpreter");
    default:
        return pl_role_name(role);
    }
}

/* A mitigating ground for a person (the catalogue has the Chinese). */
static const char *ground_label(unsigned bit)
{
    switch (bit) {
    case PL_GROUND_SURRENDER:
        return N_("surrender");
    case PL_GROUND_CONFESSION:
        return N_("confession");
    case PL_GROUND_COMPENSATION:
        return N_("compensation");
    case PL_GROUND_FORGIVENESS:
        return N_("forgiveness");
    case PL_GROUND_RESTITUTION:
        return N_("restitution");
    case PL_GROUND_OTHER:
        return N_("other");
    default:
        return pl_ground_name(bit);
    }
}

/* The charter's participant with this key, or NULL (not named there: a
 * key a change added, or no charter in the file). */
static const pl_participant *charter_name(const cli_log *l, const uint8_t pk[PL_PK_BYTES])
{
    if (l->charter.type != PL_T_CHARTER)
        return NULL;
    for (size_t i = 0; i < l->charter.u.charter.nparticipants; i++)
        if (memcmp(l->charter.u.charter.participants[i].key, pk, PL_PK_BYTES) == 0)
            return &l->charter.u.charter.participants[i];
    return NULL;
}

/* What parley verify (and parley log) print of a log read into l. */
static int verify_log_print(const char *file, cli_log *lp, int err, int json, int timeline)
{
    cli_log l = *lp;

    char c[2 * PL_CASE_ID_BYTES + 1], label[80];
    cli_hex(l.case_id, PL_CASE_ID_BYTES, c);
    snprintf(label, sizeof label, _("case %.16s"), c);
    const char *path = file ? file : label;
    if (err == PL_E_LOGFILE) {
        fprintf(stderr, _("parley %s: '%s': %s\n"), file ? "verify" : "log", path, cli_strerror(err));
        return EXIT_USAGE;
    }
    if (err == PL_E_IO)
        return EXIT_USAGE; /* printed */
    if (err != PL_OK) {
        fprintf(stderr, _("parley %s: out of memory\n"), file ? "verify" : "log");
        return EXIT_CHECK;
    }
    pl_verifier *v = l.v;
    int split_err = l.split;
    const pl_verify_report *r = pl_verifier_report(v);
    int valid = l.verified, rc = EXIT_OK;

    if (json) {
        /* a log from the node has no file name: its case names it */
        if (file) {
            printf("{\"file\":");
            cli_json_str(file);
            printf(",");
        } else
            printf("{");
        printf("\"kind\":\"log\",\"case\":\"%s\",\"valid\":%s,\"received\":%llu,"
               "\"accepted\":%llu,\"duplicates\":%llu,\"rejected\":%llu,\"authors\":[",
               c, valid ? "true" : "false", (unsigned long long)r->received,
               (unsigned long long)r->accepted, (unsigned long long)r->duplicates,
               (unsigned long long)r->rejected);
        for (size_t a = 0; a < l.nauthors; a++) {
            char pk[65], fp[PL_FINGERPRINT_STR_BYTES];
            uint64_t seq;
            uint8_t head[PL_ID_BYTES];
            cli_hex(l.authors[a].pk, 32, pk);
            pl_fingerprint(l.authors[a].pk, fp);
            pl_verifier_head(v, l.authors[a].pk, &seq, head);
            const pl_participant *who = charter_name(&l, l.authors[a].pk);
            printf("%s{\"public_key\":\"%s\",\"fingerprint\":\"%s\",\"name\":", a ? "," : "",
                   pk, fp);
            cli_json_str(who ? who->name : "");
            printf(",\"role\":\"%s\",\"head_seq\":%llu}", who ? pl_role_name(who->role) : "",
                   (unsigned long long)seq);
        }
        printf("],\"problems\":[");
        for (size_t i = 0; i < r->nproblems; i++) {
            const pl_problem *p = &r->problems[i];
            char id[65];
            cli_hex(p->id, 32, id);
            printf("%s{\"index\":%zu,\"code\":\"%s\",\"section\":\"%s\",\"message\":\"%s\","
                   "\"id\":\"%s\",\"seq\":%llu}",
                   i ? "," : "", p->index, pl_errname(p->code), p->section, cli_strerror(p->code),
                   id, (unsigned long long)p->seq);
        }
        if (split_err < 0)
            printf("%s{\"index\":%llu,\"code\":\"%s\",\"section\":\"%s\",\"message\":\"%s\"}",
                   r->nproblems ? "," : "", (unsigned long long)r->received,
                   pl_errname(split_err), pl_errsection(split_err), cli_strerror(split_err));
        printf("],\"proofs\":%zu,\"file_proofs\":[", r->nproofs + l.nproofs);
        for (size_t i = 0; i < l.nproof_err; i++)
            printf("%s\"%s\"", i ? "," : "", pl_errname(l.proof_err[i]));
        printf("]");
        if (timeline)
            rc = cli_timeline(&l, 1);
        printf("}\n");
    } else {
        printf(valid ? _("%s: valid\n  case        %s\n  messages    %llu read, %llu accepted, %llu "
                         "duplicates\n")
                     : _("%s: INVALID\n  case        %s\n  messages    %llu read, %llu accepted, %llu "
                         "duplicates\n"),
               path, c, (unsigned long long)r->received, (unsigned long long)r->accepted,
               (unsigned long long)r->duplicates);
        for (size_t a = 0; a < l.nauthors; a++) {
            char fp[PL_FINGERPRINT_STR_BYTES];
            uint64_t seq;
            uint8_t head[PL_ID_BYTES];
            pl_fingerprint(l.authors[a].pk, fp);
            pl_verifier_head(v, l.authors[a].pk, &seq, head);
            /* issue 15: the name beside the fingerprint, from the charter */
            const pl_participant *who = charter_name(&l, l.authors[a].pk);
            char nm[PL_REPORT_NAME_SHOWN] = "";
            if (who != NULL)
                snprintf(nm, sizeof nm, _("%s (%s), "), who->name, gettext(role_label(who->role)));
            else
                snprintf(nm, sizeof nm, "%s", _("(not named in the charter), "));
            pl_text_oneline(nm);
            printf(_("  author      %s  %s%llu messages, head %llu\n"), fp, nm,
                   (unsigned long long)l.authors[a].messages, (unsigned long long)seq);
        }
        for (size_t i = 0; i < r->nproblems; i++) {
            const pl_problem *p = &r->problems[i];
            char id[17], fp[PL_FINGERPRINT_STR_BYTES];
            if (p->seq == 0) { /* never decoded far enough to know who sent it */
                printf(_("  problem     message #%zu: %s [%s, SPEC §%s]\n"), p->index,
                       cli_strerror(p->code), pl_errname(p->code), p->section);
                continue;
            }
            short_hex(p->id, id);
            pl_fingerprint(p->author, fp);
            printf(_("  problem     message #%zu (id %s…, author %s, seq %llu): %s [%s, SPEC §%s]\n"),
                   p->index, id, fp, (unsigned long long)p->seq, cli_strerror(p->code),
                   pl_errname(p->code), p->section);
        }
        if (r->rejected > r->nproblems)
            printf(_("  problem     … and %llu more\n"),
                   (unsigned long long)(r->rejected - r->nproblems));
        if (split_err < 0)
            printf(_("  problem     bytes after message #%llu cannot be read: %s [%s]\n"),
                   (unsigned long long)r->received, cli_strerror(split_err), pl_errname(split_err));
        if (r->nproofs)
            printf(_("  %zu equivocation proof(s) found; each verifies on its own\n"), r->nproofs);
        /* SPEC §8.3 (v2): the proofs the file carries */
        for (size_t i = 0; i < l.nproof_err; i++)
            if (l.proof_err[i] == PL_E_EQUIVOCATION)
                printf(_("  problem     the file carries an equivocation proof: an author signed two "
                         "messages with one seq; its messages from there on count for nothing "
                         "[%s, SPEC §7, §8.3]\n"), pl_errname(l.proof_err[i]));
            else
                printf(_("  problem     the file carries a proof that does not verify: %s [%s, SPEC "
                         "§%s]\n"), cli_strerror(l.proof_err[i]), pl_errname(l.proof_err[i]),
                       pl_errsection(l.proof_err[i]));
    }
    if (timeline && !json && l.n > 0)
        rc = cli_timeline(&l, 0);
    cli_log_free(&l);
    return rc != EXIT_OK ? rc : valid ? EXIT_OK : EXIT_CHECK;
}

int cli_verify_log(const char *file, const uint8_t *b, size_t n, int json, int timeline)
{
    cli_log l;
    int err = cli_log_read(b, n, &l);
    return verify_log_print(file, &l, err, json, timeline);
}

/* A log file, streamed (issue 17): decoded once, on every core, and kept
 * only for --timeline. */
static int verify_log_file(const char *path, int json, int timeline)
{
    cli_log l;
    int err = cli_log_stream(path, timeline, &l);
    return verify_log_print(path, &l, err, json, timeline);
}

/* Whom the verifier trusts (SPEC §16.5): a trust file, keys given with -P. */
struct anchors {
    pl_trust *file;
    const char *file_name;
    uint8_t direct[16][PL_PK_BYTES];
    size_t ndirect;
};

/* SPEC §13.2, §16.5: what the certificate says of the suspect's identity,
 * and whether the number the clerk was shown hashes to it. */
struct identity {
    pl_identity_info info;
    int checked, matches; /* --id-number given; its hash is the charter's */
    int birth_differs;    /* SPEC §13.2: the number's birth date is not the charter's */
    char line[512];
};

/* SPEC §13.2 *Particulars*, §13.27, §16.3 (v2): the suspect's
 * particulars as the charter states them, the language of the
 * proceedings, and the interpreters whose statement counts for the
 * suspect's signature s. */
static void json_particulars(const pl_case *c, long s)
{
    const pl_participant *sp = pl_case_suspect(c);
    const pl_body *ch = pl_case_charter(c);
    printf(",\"language\":");
    cli_json_str(pl_case_language(c));
    printf(",\"closed\":");
    if (ch && ch->u.charter.closed != PL_CLOSED_NONE)
        printf("\"%s\"", pl_closed_name(ch->u.charter.closed));
    else
        printf("null");
    printf(",\"suspect\":{\"birth\":");
    if (sp && sp->birth)
        printf("\"%04u-%02u-%02u\"", (unsigned)(sp->birth / 10000), (unsigned)(sp->birth / 100 % 100),
               (unsigned)(sp->birth % 100));
    else
        printf("null");
    printf(",\"nationality\":");
    if (sp && sp->nationality[0])
        printf("\"%.3s\"", sp->nationality);
    else
        printf("null");
    printf(",\"language\":");
    if (sp && sp->language)
        cli_json_str(sp->language);
    else
        printf("null");
    printf(",\"interpreter_needed\":%s},\"interpreter\":[",
           pl_case_needs_interpreter(c) ? "true" : "false");
    for (size_t i = 0, first = 1; i < pl_case_count(c); i++) {
        const pl_body *ib = pl_case_body(c, i);
        const pl_header *ih = pl_msg_header(pl_case_msg(c, i));
        char fp[PL_FINGERPRINT_STR_BYTES];
        if (ib == NULL || !pl_case_interpretation_counts(c, s, i))
            continue;
        pl_fingerprint(ih->author, fp);
        printf("%s{\"fingerprint\":\"%s\",\"name\":", first ? "" : ",", fp);
        first = 0;
        cli_json_str(pl_report_name(c, ih->author) ? pl_report_name(c, ih->author) : "");
        printf(",\"language\":");
        cli_json_str(ib->u.interpretation.language);
        printf("}");
    }
    printf("]");
}

static void text_particulars(const pl_case *c, long s)
{
    const pl_participant *sp = pl_case_suspect(c);
    if (sp && (sp->birth || sp->nationality[0] || sp->language)) {
        char born[16] = "-";
        if (sp->birth)
            snprintf(born, sizeof born, "%04u-%02u-%02u", (unsigned)(sp->birth / 10000),
                     (unsigned)(sp->birth / 100 % 100), (unsigned)(sp->birth % 100));
        printf(_("              born %s, nationality %s, understands %s (as the charter states)\n"),
               born, sp->nationality[0] ? sp->nationality : "-", sp->language ? sp->language : "-");
    }
    if (pl_case_needs_interpreter(c))
        printf(_("  language    the proceedings are in %s, which the suspect does not understand: "
                 "an interpreter is required (CPL art. 9)\n"),
               pl_case_language(c));
    else
        printf(_("  language    the proceedings are in %s\n"), pl_case_language(c));
    for (size_t i = 0; i < pl_case_count(c); i++) {
        const pl_body *ib = pl_case_body(c, i);
        const pl_header *ih = pl_msg_header(pl_case_msg(c, i));
        char fp[PL_FINGERPRINT_STR_BYTES], nm[PL_REPORT_NAME_SHOWN], lang[PL_WORD_MAX_BYTES + 1];
        if (ib == NULL || !pl_case_interpretation_counts(c, s, i))
            continue;
        pl_fingerprint(ih->author, fp);
        snprintf(nm, sizeof nm, "%s", pl_report_name(c, ih->author) ? pl_report_name(c, ih->author) : "?");
        snprintf(lang, sizeof lang, "%s", ib->u.interpretation.language);
        pl_text_oneline(nm);
        printf(_("  interpreter %s %s present, interpreted the signing into %s\n"), nm, fp, lang);
    }
}

static void identity_of(const pl_cert_report *r, const char *number, struct identity *id)
{
    const pl_header *h = pl_msg_header(pl_case_msg(r->c, (size_t)r->sign_suspect));
    memset(id, 0, sizeof *id);
    (void)pl_report_identity(r->c, h->author, &id->info);
    char nm[PL_REPORT_NAME_SHOWN];
    snprintf(nm, sizeof nm, "%s", id->info.name ? id->info.name : "?");
    pl_text_oneline(nm);
    if (!id->info.bound) {
        snprintf(id->line, sizeof id->line,
                 _("NOT BOUND: the charter names the suspect '%s' but binds no identity document "
                   "(SPEC §13.2); compare the person with the name and fingerprint"), nm);
        id->checked = number != NULL; /* SPEC §16.5: a number given, none bound: not accepted */
        return;
    }
    char venue[PL_REPORT_NAME_SHOWN] = "?", tm[32] = "?";
    const pl_body *sb = id->info.session >= 0 ? pl_case_body(r->c, (size_t)id->info.session) : NULL;
    if (sb != NULL) {
        snprintf(venue, sizeof venue, "%s", sb->u.session_propose.venue);
        pl_text_oneline(venue);
        cli_iso_time(sb->u.session_propose.time_ms, 0, tm);
    }
    char hx[17];
    short_hex(id->info.id_hash, hx);
    if (!id->info.confirmed)
        snprintf(id->line, sizeof id->line,
                 _("NOT CONFIRMED: the charter binds the seat to %s (ID hash %s), but the signing "
                   "suspect key never confirmed it (SPEC §13.3)"), nm, hx);
    else
        snprintf(id->line, sizeof id->line,
                 _("%s, bound by the charter (ID hash %s); confirmed by the signing suspect key in "
                   "the session at %s, %s"), nm, hx, venue, tm);
    if (number != NULL) { /* SPEC §13.2: the hash, and a resident number's birth date */
        id->checked = 1;
        if (pl_report_identity_check(r->c, number, &id->matches, &id->birth_differs) != PL_OK)
            id->matches = id->birth_differs = 0;
    }
}

/* SPEC §16.5: one signer's key against the anchors; 1 trusted, 0 not. */
/* SPEC §16.5: one signer's key against the anchors; 1 trusted, 0 not.
 * *direct says it was a key given with -P (res is then zeroed). */
static int signer_trusted(const struct anchors *an, pl_role role, const uint8_t pk[PL_PK_BYTES],
                          uint64_t at, pl_trust_result *res, int *direct)
{
    *direct = 0;
    for (size_t i = 0; i < an->ndirect; i++)
        if (memcmp(an->direct[i], pk, PL_PK_BYTES) == 0) {
            memset(res, 0, sizeof *res);
            *direct = 1;
            return 1;
        }
    return pl_trust_check(an->file, role, pk, at, res) == PL_OK;
}

/* Why a signer is or is not trusted, in English for JSON (local 0) or in
 * the reader's language (local 1). */
static void trust_line(pl_role role, const pl_trust_result *res, int ok, int direct, char *line,
                       size_t cap, int local)
{
#define L(s) (local ? _(s) : (s))
    if (direct)
        snprintf(line, cap, "%s", L("trusted: the key given with -P"));
    else if (ok && res->anchor)
        snprintf(line, cap, L("trusted: it is the %s anchor '%s'"),
                 local ? _(pl_role_name(role)) : pl_role_name(role), res->anchor_name);
    else if (ok && role == PL_ROLE_COUNSEL)
        snprintf(line, cap, L("trusted: %s, %s, licence %s (%s); endorsed by '%s'"), res->by.name,
                 res->by.unit, res->by.licence, res->by.bar, res->anchor_name);
    else if (ok)
        snprintf(line, cap, L("trusted: %s, %s; endorsed by '%s'"), res->by.name, res->by.unit,
                 res->anchor_name);
    else
        snprintf(line, cap, L("NOT TRUSTED: %s"), res->why);
#undef L
    pl_text_oneline(line);
}

/* SPEC §16.3: a certificate, verified alone; what a court clerk reads. */
static int statement; /* --statement: print the certificate as a 具结书 */
static const char *print_path; /* --print FILE: the printed copy (SPEC §16.6) */
static int print_force;        /* --force: it may replace FILE */

/* Whether path names a PDF (else HTML); -1 for neither. */
static int print_kind(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcasecmp(path + n - 4, ".pdf") == 0)
        return 1;
    if ((n > 5 && strcasecmp(path + n - 5, ".html") == 0) ||
        (n > 4 && strcasecmp(path + n - 4, ".htm") == 0))
        return 0;
    return -1;
}

/* SPEC §16.6: the court's copy of a certificate that verified, as HTML or
 * PDF at print_path. 0, or -1 with the reason printed (nothing written). */
static int print_copy(const pl_cert_report *r, const pl_terms *t, const cli_statement_check *v)
{
    char qr_text[16 + 2 * PL_CERT_HASH_BYTES];
    snprintf(qr_text, sizeof qr_text, "parley-cert:%s", v->hash);
    char *qr = cli_qr_svg(qr_text);
    char *html = NULL;
    size_t hlen = 0;
    FILE *f = open_memstream(&html, &hlen);
    int ok = qr != NULL && f != NULL && cli_statement_html(f, r, t, v, qr) == 0;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    free(qr);
    if (!ok) {
        fprintf(stderr, _("parley verify: cannot make the printed copy (out of memory)\n"));
        free(html);
        return -1;
    }
    int rc = -1;
    if (print_kind(print_path) == 0) {
        rc = io_write_file(print_path, (const uint8_t *)html, hlen, 0600, print_force);
        free(html);
        return rc;
    }
    uint8_t *pdf = NULL;
    size_t pn = 0;
    if (cli_html_to_pdf((const uint8_t *)html, hlen, &pdf, &pn) == 0)
        rc = io_write_file(print_path, pdf, pn, 0600, print_force);
    free(pdf);
    free(html);
    return rc;
}

static int verify_cert(const char *path, const uint8_t *b, size_t n, int json,
                       const struct anchors *an, const char *number)
{
    pl_cert_report r;
    int err = pl_cert_verify(b, n, &r);
    char c[2 * PL_CASE_ID_BYTES + 1];
    cli_hex(r.case_id, PL_CASE_ID_BYTES, c);
    if (err != PL_OK) {
        if (json) {
            printf("{\"file\":");
            cli_json_str(path);
            printf(",\"kind\":\"certificate\",\"valid\":false,\"error\":\"%s\",\"section\":\"%s\","
                   "\"detail\":",
                   pl_errname(err), pl_errsection(err));
            cli_json_str(r.detail);
            printf("}\n");
        } else {
            printf(_("%s: INVALID agreement certificate\n  reason      %s [%s, SPEC §%s]\n"), path,
                   r.detail, pl_errname(err), pl_errsection(err));
        }
        /* a claim that cannot even be read is unusable input; anything
         * checked and found wrong is a failed check */
        int unusable = err == PL_E_CERT && r.c == NULL;
        pl_cert_report_free(&r);
        return unusable ? EXIT_USAGE : EXIT_CHECK;
    }
    /* the terms, in words */
    char terms[PL_TERMS_TEXT_MAX] = "?";
    const pl_body *ob = r.offer >= 0 ? pl_case_body(r.c, (size_t)r.offer) : NULL;
    pl_terms *t = malloc(sizeof *t);
    if (ob && t && pl_terms_decode(ob->u.offer.terms, ob->u.offer.terms_len, t, NULL) == PL_OK &&
        (json ? pl_terms_format(t, terms, sizeof terms) : cli_terms_text(t, terms, sizeof terms)) != PL_OK)
        snprintf(terms, sizeof terms, "?");
    const pl_body *ch = pl_case_charter(r.c);
    long who[4] = {r.sign_prosecution, r.sign_suspect, r.sign_counsel, r.attestation};
    static const char *const label[4] = {"prosecution", "suspect", "counsel", "observer"};
    /* the same for a person: padded to the column the values start at */
    static const char *const label_text[4] = {N_("  prosecution "), N_("  suspect     "),
                                              N_("  counsel     "), N_("  observer    ")};
    int have_terms = ob && t && pl_terms_decode(ob->u.offer.terms, ob->u.offer.terms_len, t, NULL) == PL_OK;
    pl_role_change rc[16];
    size_t nrc = pl_report_role_changes(r.c, rc, 16);
    if (nrc > 16)
        nrc = 16;
    unsigned long long round = (unsigned long long)pl_case_round(r.c, (size_t)r.sign_prosecution);
    int rc_trust = EXIT_OK;
    /* SPEC §16.5: each signer against the anchors, once, for both forms */
    static const pl_role roles[3] = {PL_ROLE_PROSECUTION, PL_ROLE_SUSPECT, PL_ROLE_COUNSEL};
    pl_trust_result tres[3];
    char tline[3][1024], tline_local[3][1024];
    int tok[3] = {0}, all_trusted = an != NULL;
    for (int k = 0; an != NULL && k < 3; k++) {
        const pl_header *h = pl_msg_header(pl_case_msg(r.c, (size_t)who[k]));
        int direct;
        tok[k] = signer_trusted(an, roles[k], h->author, h->timestamp_ms, &tres[k], &direct);
        trust_line(roles[k], &tres[k], tok[k], direct, tline[k], sizeof tline[k], 0);
        trust_line(roles[k], &tres[k], tok[k], direct, tline_local[k], sizeof tline_local[k], 1);
        if (k != 1 && !tok[k]) {
            char fp[PL_FINGERPRINT_STR_BYTES];
            pl_fingerprint(h->author, fp);
            fprintf(stderr, _("parley verify: the %s key %s is not trusted by %s: %s\n"),
                    _(label[k]), fp, an->file_name ? an->file_name : _("keys given with -P"),
                    tres[k].why);
            all_trusted = 0;
            rc_trust = EXIT_CHECK;
        }
    }
    /* SPEC §16.5: with anchors, a suspect's seat bound to no person is no
     * accepted agreement (anyone could have made the suspect's key) */
    struct identity id;
    identity_of(&r, number, &id);
    if (an != NULL && !id.info.bound) {
        fprintf(stderr, "%s", _("parley verify: the charter binds the suspect's seat to no identity "
                                "document: nothing shows who the suspect key belongs to (SPEC "
                                "§16.5)\n"));
        all_trusted = 0;
        rc_trust = EXIT_CHECK;
    }
    if (id.info.bound && !id.info.confirmed) {
        /* the rules never let such a key sign (SPEC §13.3); a certificate
         * that says otherwise is not accepted whatever else it shows */
        fprintf(stderr, "%s", _("parley verify: the signing suspect key never confirmed the identity "
                                "the charter binds (SPEC §13.3)\n"));
        rc_trust = EXIT_CHECK;
    }
    if (id.checked && !id.matches) {
        fprintf(stderr, "%s",
                !id.info.bound    ? _("parley verify: an identity number was given, but the charter "
                                      "binds none (SPEC §13.2); compare the person with the "
                                      "suspect's name and fingerprint instead\n")
                : id.birth_differs ? _("parley verify: the birth date in the identity number given "
                                      "is not the charter's: the number is another person's, or the "
                                      "charter misstates the suspect's birth date (SPEC §13.2)\n")
                                  : _("parley verify: the identity number given is not the one the "
                                      "charter binds (SPEC §13.2)\n"));
        rc_trust = EXIT_CHECK;
    }
    /* SPEC §16.6: what the checks found, for the statement and its copy */
    cli_statement_check v = {.anchors = an == NULL ? NULL
                                        : an->file_name ? an->file_name : _("keys given with -P"),
                             .trusted = an != NULL && tok[0] && tok[2],
                             .id_checked = id.checked,
                             .id_matches = id.matches};
    {
        uint8_t hb[PL_CERT_HASH_BYTES];
        if (pl_cert_hash(b, n, hb) == PL_OK)
            cli_hex(hb, sizeof hb, v.hash);
    }
    /* SPEC §16.6: a copy only of a certificate that passed every check
     * asked for (anchors, identity number): exit 1 prints no paper */
    if (print_path != NULL && rc_trust != EXIT_OK)
        fprintf(stderr, _("parley verify: no printed copy: the checks above failed; nothing was "
                          "written to '%s'\n"), print_path);
    if (print_path != NULL &&
        (rc_trust != EXIT_OK || print_copy(&r, have_terms ? t : NULL, &v) != 0)) {
        free(t);
        pl_cert_report_free(&r);
        return EXIT_CHECK;
    }
    if (statement && !json) {
        /* issue 15 §3: the court's copy; the checks above still decide the
         * exit status */
        cli_print_statement(&r, have_terms ? t : NULL, &v);
        free(t);
        pl_cert_report_free(&r);
        return rc_trust;
    }
    if (json) {
        printf("{\"file\":");
        cli_json_str(path);
        printf(",\"kind\":\"certificate\",\"valid\":true,\"case\":\"%s\",\"cert_hash\":\"%s\"", c,
               v.hash);
        if (print_path != NULL) {
            printf(",\"printed\":");
            cli_json_str(print_path);
        }
        printf(",\"title\":");
        cli_json_str(ch ? ch->u.charter.title : "");
        printf(",\"round\":%llu,\"terms\":", round);
        cli_json_str(terms);
        printf(",\"charges\":[");
        for (size_t k = 0; have_terms && k < t->ncharges; k++) {
            printf("%s{\"name\":", k ? "," : "");
            cli_json_str(t->charges[k].name);
            printf(",\"article\":");
            cli_json_str(t->charges[k].article);
            printf("}");
        }
        printf("],\"facts\":");
        cli_json_str(have_terms ? t->facts : "");
        printf(",\"grounds\":[");
        for (unsigned bit = 1, f = 1; have_terms && bit <= PL_GROUND_ALL; bit <<= 1)
            if (t->grounds & bit) {
                printf("%s\"%s\"", f ? "" : ",", pl_ground_name(bit));
                f = 0;
            }
        printf("],\"signatures\":[");
        for (int k = 0; k < 4; k++) {
            if (who[k] < 0)
                continue;
            const pl_header *h = pl_msg_header(pl_case_msg(r.c, (size_t)who[k]));
            char fp[PL_FINGERPRINT_STR_BYTES], tm[32];
            pl_fingerprint(h->author, fp);
            cli_iso_time(h->timestamp_ms, 0, tm);
            printf("%s{\"role\":\"%s\",\"name\":", k ? "," : "", label[k]);
            cli_json_str(pl_report_name(r.c, h->author) ? pl_report_name(r.c, h->author) : "");
            printf(",\"fingerprint\":\"%s\",\"time\":\"%s\",\"kind\":\"%s\"}", fp, tm,
                   k == 3 ? "attestation" : "signature");
        }
        printf("],\"trust\":");
        if (an == NULL)
            printf("null");
        for (int k = 0; an != NULL && k < 3; k++) {
            printf("%s\"%s\":{\"trusted\":%s,\"detail\":", k ? "," : "{", label[k],
                   tok[k] ? "true" : "false");
            cli_json_str(tline[k]);
            printf("}%s", k == 2 ? "}" : "");
        }
        if (an != NULL && !all_trusted)
            printf(",\"error\":\"%s\"", pl_errname(PL_E_UNTRUSTED));
        /* valid: the certificate checks; accepted: and, given anchors, they
         * vouch for the prosecution's and counsel's keys (SPEC §16.5) */
        {
            char ih[2 * PL_HASH_BYTES + 1] = "";
            if (id.info.bound)
                cli_hex(id.info.id_hash, PL_HASH_BYTES, ih);
            printf(",\"identity\":{\"bound\":%s,\"name\":", id.info.bound ? "true" : "false");
            cli_json_str(id.info.name ? id.info.name : "");
            printf(",\"id_hash\":%s%s%s,\"confirmed\":%s,\"number_matches\":%s,"
                   "\"birth_differs\":%s}",
                   id.info.bound ? "\"" : "", id.info.bound ? ih : "null", id.info.bound ? "\"" : "",
                   id.info.confirmed ? "true" : "false",
                   !id.checked ? "null" : id.matches ? "true" : "false",
                   id.birth_differs ? "true" : "false");
        }
        json_particulars(r.c, r.sign_suspect);
        if (id.checked && !id.matches)
            printf(",\"identity_error\":\"%s\"", pl_errname(PL_E_IDENTITY));
        {
            pl_report_presence pr;
            pl_report_presence_of(r.c, r.sign_suspect, r.sign_counsel, &pr);
            const pl_body *db = pr.dissent >= 0 ? pl_case_body(r.c, (size_t)pr.dissent) : NULL;
            printf(",\"presence\":{\"session\":");
            if (pr.session >= 0) {
                char sh[65];
                cli_hex(pl_msg_id(pl_case_msg(r.c, (size_t)pr.session)), 32, sh);
                printf("\"%s\"", sh);
            } else {
                printf("null");
            }
            printf(",\"witness\":%s,\"recordings\":%d,\"dissent\":", pr.witness ? "true" : "false",
                   pr.recordings);
            if (db != NULL && db->type == PL_T_OPINION)
                cli_json_str(db->u.opinion.text);
            else
                printf("null");
            printf("}");
        }
        printf(",\"accepted\":%s", rc_trust == EXIT_OK ? "true" : "false");
        printf(",\"signers_verified\":%s,\"role_changes\":[", all_trusted ? "true" : "false");

        for (size_t k = 0; k < nrc; k++) {
            char fo[PL_FINGERPRINT_STR_BYTES] = "", fn[PL_FINGERPRINT_STR_BYTES] = "";
            if (rc[k].has_old)
                pl_fingerprint(rc[k].old_key, fo);
            if (rc[k].has_new)
                pl_fingerprint(rc[k].new_key, fn);
            printf("%s{\"role\":\"%s\",\"type\":\"%s\",\"old\":\"%s\",\"new\":\"%s\",\"void\":%s,"
                   "\"signers\":%zu}",
                   k ? "," : "", pl_role_name(rc[k].role), pl_msg_type_name(rc[k].type), fo, fn,
                   rc[k].state == PL_CHANGE_EFFECTIVE ? "false" : "true", rc[k].nsigners);
        }
        /* SPEC §13.25, §16.3 (v2): settlements made, and grounds without one */
        printf("],\"settlements\":[");
        int sfirst = 1;
        for (size_t i = 0; i < pl_case_count(r.c); i++) {
            const pl_body *sb = pl_case_body(r.c, i);
            char dh[65];
            long by;
            if (pl_case_settlement_made(r.c, i, &by) != 1 || sb->u.settlement.has_accepts)
                continue;
            cli_hex(sb->u.settlement.document, 32, dh);
            printf("%s{\"kind\":\"%s\",\"agreed\":%llu,\"paid\":%llu,\"forgiveness\":%s,"
                   "\"document\":\"%s\",\"signed_by\":[",
                   sfirst ? "" : ",", pl_settlement_kind_name(sb->u.settlement.kind),
                   (unsigned long long)sb->u.settlement.agreed, (unsigned long long)sb->u.settlement.paid,
                   sb->u.settlement.forgiveness ? "true" : "false", dh);
            for (int s = 0; s < 2; s++) { /* the proposer, then the first acceptance */
                size_t m = s ? (size_t)by : i;
                const uint8_t *pk = pl_msg_header(pl_case_msg(r.c, m))->author;
                char fp[PL_FINGERPRINT_STR_BYTES];
                pl_fingerprint(pk, fp);
                printf("%s{\"role\":\"%s\",\"fingerprint\":\"%s\",\"name\":", s ? "," : "",
                       pl_role_name(pl_case_msg_role(r.c, m)), fp);
                cli_json_str(pl_report_name(r.c, pk) ? pl_report_name(r.c, pk) : "");
                printf("}");
            }
            printf("]}");
            sfirst = 0;
        }
        {
            pl_case_status cs;
            pl_case_status_get(r.c, &cs);
            printf("],\"no_statement\":%s,\"guardian\":[", cs.no_statement ? "true" : "false");
            int gfirst = 1;
            for (size_t i = 0; r.offer >= 0 && i < pl_case_count(r.c); i++) {
                const pl_body *gb = pl_case_body(r.c, i);
                const pl_header *gh = pl_msg_header(pl_case_msg(r.c, i));
                char fp[PL_FINGERPRINT_STR_BYTES];
                if (gb == NULL || gh->type != PL_T_CONSENT ||
                    !pl_case_consent_counts(r.c, r.sign_suspect, i))
                    continue; /* SPEC §13.26: the words that counted */
                pl_fingerprint(gh->author, fp);
                printf("%s{\"fingerprint\":\"%s\",\"name\":", gfirst ? "" : ",", fp);
                gfirst = 0;
                cli_json_str(pl_report_name(r.c, gh->author) ? pl_report_name(r.c, gh->author) : "");
                printf(",\"agrees\":%s,\"reasons\":", gb->u.consent.agrees ? "true" : "false");
                if (gb->u.consent.reasons)
                    cli_json_str(gb->u.consent.reasons);
                else
                    printf("null");
                printf("}");
            }
        }
        printf("],\"warnings\":[");
        for (unsigned bit = 1, wf = 1; bit <= PL_WARN_MINOR; bit <<= 1) /* SPEC §13.28 */
            if (r.warnings & bit) {
                printf("%s\"%s\"", wf ? "" : ",", pl_warning_name(bit));
                wf = 0;
            }
        printf("]");
        printf(",\"inputs_seen\":%zu,\"inputs_answered\":%zu,\"inputs_total\":%zu,"
               "\"inputs_unanswered\":%zu,\"disclosures\":%zu,"
               "\"disclosures_acknowledged\":%zu,\"messages\":%zu}\n",
               r.inputs_seen, r.inputs_answered, r.inputs_total, r.inputs_unanswered,
               r.disclosures, r.disclosures_acknowledged, pl_case_count(r.c));
    } else {
        printf(_("%s: valid agreement certificate (verified offline, %zu messages)\n"), path,
               pl_case_count(r.c));
        char title[PL_REPORT_NAME_SHOWN];
        snprintf(title, sizeof title, "%s", ch ? ch->u.charter.title : "?");
        pl_text_oneline(title);
        pl_text_oneline(terms);
        printf(_("  case        %s\n  title       %s\n  round       %llu\n"), c, title, round);
        printf(_("  hash        %s (SPEC §16.6: compare with a printed copy)\n"), v.hash);
        if (print_path != NULL)
            printf(_("  printed     %s\n"), print_path);
        for (size_t k = 0; have_terms && k < t->ncharges; k++) {
            char nm[PL_TERMS_NAME_MAX + 1], ar[PL_TERMS_ARTICLE_MAX + 1];
            snprintf(nm, sizeof nm, "%s", t->charges[k].name);
            snprintf(ar, sizeof ar, "%s", t->charges[k].article);
            pl_text_oneline(nm), pl_text_oneline(ar);
            /* the article as a judgment cites it, in Chinese */
            char art[96];
            if (cli_zh())
                pl_zh_article(ar, art);
            else
                snprintf(art, sizeof art, "%s", ar);
            printf(k ? _("              %s (Criminal Law art. %s)\n")
                     : _("  charges     %s (Criminal Law art. %s)\n"),
                   nm, art);
        }
        if (have_terms && t->facts[0]) {
            char *facts = strdup(t->facts);
            if (facts) {
                pl_text_oneline(facts);
                printf(_("  facts       %s\n"), facts);
                free(facts);
            }
        }
        printf(_("  terms       %s\n"), terms);
        if (have_terms && t->grounds) {
            printf("%s", _("  grounds    "));
            for (unsigned bit = 1; bit <= PL_GROUND_ALL; bit <<= 1)
                if (t->grounds & bit)
                    printf(" %s", gettext(ground_label(bit)));
            printf("\n");
        }
        for (int k = 0; k < 4; k++) {
            if (who[k] < 0) {
                if (k == 3)
                    printf("%s", _("  observer    no attestation covers the signatures\n"));
                continue;
            }
            const pl_header *h = pl_msg_header(pl_case_msg(r.c, (size_t)who[k]));
            char fp[PL_FINGERPRINT_STR_BYTES], tm[32], nm[PL_REPORT_NAME_SHOWN];
            pl_fingerprint(h->author, fp);
            cli_iso_time(h->timestamp_ms, 0, tm);
            snprintf(nm, sizeof nm, "%s", pl_report_name(r.c, h->author) ? pl_report_name(r.c, h->author) : _("(no name)"));
            pl_text_oneline(nm);
            printf(_("%s%s %s %s  %s\n"), gettext(label_text[k]),
                   k == 3 ? _("attested ") : _("signed   "), tm, fp, nm);
        }
        {
            /* SPEC §13.9 F0 (v2): presence, and the recording the
             * certificate holds of it, or plainly none */
            pl_report_presence pr;
            pl_report_presence_of(r.c, r.sign_suspect, r.sign_counsel, &pr);
            const pl_body *sb = pr.session >= 0 ? pl_case_body(r.c, (size_t)pr.session) : NULL;
            if (sb != NULL) {
                char when[32], venue[PL_REPORT_NAME_SHOWN];
                cli_iso_time(sb->u.session_propose.time_ms, 0, when);
                snprintf(venue, sizeof venue, "%s", sb->u.session_propose.venue);
                pl_text_oneline(venue);
                printf(_("  presence    the suspect signed in the session of %s at %s; counsel %s\n"),
                       when, venue,
                       pr.witness ? _("present and witnessing") : _("NOT WITNESSING"));
                if (pr.recordings > 0)
                    printf(_("  recording   %d of that session anchored in this certificate\n"),
                           pr.recordings);
                else
                    printf("%s", _("  recording   NONE: this certificate holds no recording of the "
                                   "signing session\n"));
            }
            const pl_body *db = pr.dissent >= 0 ? pl_case_body(r.c, (size_t)pr.dissent) : NULL;
            if (db != NULL && db->type == PL_T_OPINION) {
                char d[512];
                snprintf(d, sizeof d, "%s", db->u.opinion.text);
                pl_text_oneline(d);
                printf(_("  dissent     counsel witnessed but disagrees: %s\n"), d);
            }
        }
        {
            /* SPEC §13.26 (v2): a minor's guardian at the signing, and a
             * plea without a plea statement */
            pl_case_status cs;
            pl_case_status_get(r.c, &cs);
            for (size_t i = 0; r.offer >= 0 && i < pl_case_count(r.c); i++) {
                const pl_body *gb = pl_case_body(r.c, i);
                const pl_header *gh = pl_msg_header(pl_case_msg(r.c, i));
                if (gb == NULL || gh->type != PL_T_CONSENT ||
                    !pl_case_consent_counts(r.c, r.sign_suspect, i))
                    continue; /* SPEC §13.26: the words that counted */
                char fp[PL_FINGERPRINT_STR_BYTES], nm[PL_REPORT_NAME_SHOWN], why[512];
                pl_fingerprint(gh->author, fp);
                snprintf(nm, sizeof nm, "%s", pl_report_name(r.c, gh->author) ? pl_report_name(r.c, gh->author) : "?");
                snprintf(why, sizeof why, "%s", gb->u.consent.reasons ? gb->u.consent.reasons : "");
                pl_text_oneline(nm), pl_text_oneline(why);
                printf(gb->u.consent.agrees ? _("  guardian    %s %s present, consents%s%s\n")
                                            : _("  guardian    %s %s present, OBJECTS%s%s\n"),
                       nm, fp, why[0] ? ": " : "", why);
            }
            if (cs.no_statement)
                printf("%s", _("  statement   NONE: a plea without a plea statement (CPL art. 174 "
                               "para. 2 item 2); do not read this certificate as a signed 具结书\n"));
        }
        printf(_("  identity    %s\n"), id.line);
        text_particulars(r.c, r.sign_suspect);
        if (id.birth_differs)
            printf("%s", _("              MISMATCH: the birth date in the identity number given is "
                           "not the one the charter states: the number is another person's, or "
                           "the charter misstates the birth date (SPEC §13.2)\n"));
        else if (id.checked && !id.info.bound)
            printf("%s", _("              NOT CHECKED: the charter binds no identity document, so "
                           "the number given matches nothing (SPEC §16.5)\n"));
        else if (id.checked)
            printf("%s", id.matches
                             ? _("              the identity number given is the one the charter "
                                 "binds\n")
                             : _("              MISMATCH: the identity number given is not the one "
                                 "the charter binds: this agreement is another person's\n"));
        if (nrc == 0)
            printf("%s", _("  roles       no role changed hands\n"));
        for (size_t k = 0; k < nrc; k++) {
            char fo[PL_FINGERPRINT_STR_BYTES] = "-", fn[PL_FINGERPRINT_STR_BYTES] = "-", tm[32];
            if (rc[k].has_old)
                pl_fingerprint(rc[k].old_key, fo);
            if (rc[k].has_new)
                pl_fingerprint(rc[k].new_key, fn);
            cli_iso_time(pl_msg_header(pl_case_msg(r.c, rc[k].msg))->timestamp_ms, 0, tm);
            printf(k ? _("              %s %s %s: %s -> %s, signed by %zu%s\n")
                     : _("  roles       %s %s %s: %s -> %s, signed by %zu%s\n"),
                   tm, pl_role_name(rc[k].role), pl_msg_type_name(rc[k].type), fo, fn, rc[k].nsigners,
                   rc[k].state == PL_CHANGE_EFFECTIVE ? "" : _(" [VOID: objected by the old key]"));
        }
        printf(_("  R3          the prosecution had answered %zu of the %zu inputs it had seen\n"),
               r.inputs_answered, r.inputs_seen);
        printf(_("  R3          the certificate holds %zu inputs; %zu without an answer in it\n"),
               r.inputs_total, r.inputs_unanswered);
        printf(_("  R7          the defense had acknowledged %zu of %zu disclosures before signing\n"),
               r.disclosures_acknowledged, r.disclosures);
        /* SPEC §13.25, §16.3 (v2): what the victim and the defense both signed */
        int nset = 0;
        for (size_t i = 0; i < pl_case_count(r.c); i++) {
            const pl_body *sb = pl_case_body(r.c, i);
            char says[512], dh[65];
            long by;
            if (pl_case_settlement_made(r.c, i, &by) != 1 || sb->u.settlement.has_accepts)
                continue;
            pl_report_summary_lang(r.c, i, cli_zh() ? PL_LANG_ZH : PL_LANG_EN, says, sizeof says);
            pl_text_oneline(says);
            cli_hex(sb->u.settlement.document, 32, dh);
            printf(nset++ ? _("              %s; document %s\n") : _("  settlement  %s; document %s\n"),
                   says, dh);
            /* SPEC §16.3: who signed it, so that the victim's key is compared
             * with the person, as every key no anchor vouches for */
            for (int s = 0; s < 2; s++) {
                size_t m = s ? (size_t)by : i;
                const uint8_t *pk = pl_msg_header(pl_case_msg(r.c, m))->author;
                char fp[PL_FINGERPRINT_STR_BYTES], nm[PL_REPORT_NAME_SHOWN];
                pl_fingerprint(pk, fp);
                snprintf(nm, sizeof nm, "%s", pl_report_name(r.c, pk) ? pl_report_name(r.c, pk) : "?");
                pl_text_oneline(nm);
                printf(s ? _("              accepted by %s %s %s\n") : _("              proposed by %s %s %s\n"),
                       gettext(pl_role_name(pl_case_msg_role(r.c, m))), nm, fp);
            }
        }
        if (nset == 0)
            printf("%s", _("  settlement  none made with the victim in this certificate\n"));
        for (unsigned bit = 1; bit <= PL_WARN_MINOR; bit <<= 1) /* SPEC §13.28 */
            if (r.warnings & bit)
                printf(_("  WARNING     %s\n"),
                       pl_report_warning_text(bit, cli_zh() ? PL_LANG_ZH : PL_LANG_EN));
        if (an == NULL) {
            printf("%s", _("  signers     UNVERIFIED: this certificate names keys but no trust anchor vouches for\n"
                           "              them; compare each name and fingerprint above with the party (by phone),\n"
                           "              or verify with --trust FILE (parley trust)\n"));
        } else {
            for (int k = 0; k < 3; k++)
                printf("%s%s\n", k == 0 ? _("  trust       ") : "              ",
                       k == 1 && !tok[k] ? _("suspect: no institution vouches for a suspect's key; "
                                             "compare the name and fingerprint with the person")
                                         : tline_local[k]);
            if (!all_trusted)
                printf("%s", id.info.bound
                                 ? _("  verdict     NOT ACCEPTED: the certificate checks, but no anchor "
                                     "you trust vouches for every signer above (SPEC §16.5)\n")
                                 : _("  verdict     NOT ACCEPTED: the certificate checks, but no anchor "
                                     "you trust vouches for every signer above, and the suspect's "
                                     "seat is bound to no person (SPEC §16.5)\n"));
        }
        if (id.checked && !id.matches && (an == NULL || all_trusted))
            printf("%s", _("  verdict     NOT ACCEPTED: the identity number given is another "
                           "person's (SPEC §13.2)\n"));
    }
    free(t);
    pl_cert_report_free(&r);
    return rc_trust;
}

int cmd_verify_main(int argc, char **argv)
{
    const char *path = NULL, *trust = NULL, *number = NULL;
    char numline[256] = "";
    int json = 0, timeline = 0, anchored = 0;
    static struct anchors an;
    memset(&an, 0, sizeof an);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(EXIT_OK);
        else if (strcmp(argv[i], "--trust") == 0 && i + 1 < argc)
            trust = argv[++i], anchored = 1;
        else if (strcmp(argv[i], "-P") == 0 && i + 1 < argc) {
            if (an.ndirect == sizeof an.direct / sizeof an.direct[0]) {
                fprintf(stderr, _("parley verify: at most 16 keys with -P; use a trust file\n"));
                return EXIT_USAGE;
            }
            if (cli_read_pk(argv[++i], an.direct[an.ndirect]) != 0)
                return EXIT_USAGE;
            an.ndirect++, anchored = 1;
        }
        else if (strcmp(argv[i], "--id-number") == 0 && i + 1 < argc)
            number = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--timeline") == 0)
            timeline = 1;
        else if (strcmp(argv[i], "--statement") == 0)
            statement = 1;
        else if (strcmp(argv[i], "--print") == 0 && i + 1 < argc)
            print_path = argv[++i];
        else if (strcmp(argv[i], "--force") == 0)
            print_force = 1;
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            char *end;
            long t = strtol(argv[++i], &end, 10);
            if (*end != '\0' || end == argv[i] || t < 1 || t > CLI_STREAM_MAX_THREADS) {
                fprintf(stderr, _("parley verify: --threads takes a number from 1 to %d\n"),
                        CLI_STREAM_MAX_THREADS);
                return EXIT_USAGE;
            }
            cli_stream_threads = (size_t)t;
        }
        else if (path == NULL && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, _("parley verify: unexpected argument '%s'\n"), argv[i]);
            return usage(EXIT_USAGE);
        }
    }
    if (path == NULL)
        return usage(EXIT_USAGE);
    if (print_path != NULL && print_kind(print_path) < 0) {
        fprintf(stderr, _("parley verify: --print writes FILE.html or FILE.pdf; '%s' is neither\n"),
                print_path);
        return EXIT_USAGE;
    }
    if (print_path != NULL && !print_force && access(print_path, F_OK) == 0) {
        fprintf(stderr, _("parley: '%s' already exists; choose another name or pass --force\n"),
                print_path);
        return EXIT_USAGE;
    }
    if (print_force && print_path == NULL) {
        fprintf(stderr, _("parley verify: --force goes with --print FILE\n"));
        return EXIT_USAGE;
    }
    if (number != NULL && strcmp(number, "-") == 0) {
        if (fgets(numline, sizeof numline, stdin) == NULL) {
            fprintf(stderr, _("parley verify: --id-number -: no line on standard input\n"));
            return EXIT_USAGE;
        }
        numline[strcspn(numline, "\r\n")] = '\0';
        number = numline;
    }
    char norm[PL_IDENTITY_NUMBER_MAX + 1];
    if (number != NULL && pl_identity_normalize(number, norm) != PL_OK) {
        fprintf(stderr, _("parley verify: --id-number: not an identity document number: use the "
                          "number as the document prints it (letters, digits, spaces, hyphens; an "
                          "18-digit resident number must end in its check character; SPEC §13.2)\n"));
        return EXIT_USAGE;
    }
    if (trust != NULL) {
        size_t tn, line = 0;
        uint8_t *tb = io_read_file(trust, PL_TRUST_MAX_BYTES, &tn);
        if (tb == NULL)
            return EXIT_USAGE;
        int trc = pl_trust_parse((const char *)tb, tn, &an.file, &line);
        free(tb);
        if (trc != PL_OK) {
            fprintf(stderr, _("parley verify: '%s' is not a valid trust file (line %zu); check it with "
                              "'parley trust list --file %s'\n"), trust, line, trust);
            return EXIT_USAGE;
        }
        an.file_name = trust;
    }
    /* A log is streamed, whatever its size (issue 17); the other kinds are
     * small and read whole. The first bytes say which. */
    uint8_t head[64];
    size_t nhead = 0;
    FILE *hf = fopen(path, "rb");
    if (hf != NULL) {
        nhead = fread(head, 1, sizeof head, hf);
        fclose(hf);
    }
    if (hf != NULL && !anchored && number == NULL && print_path == NULL &&
        nhead >= PL_LOGFILE_MAGIC_BYTES &&
        memcmp(head, PL_LOGFILE_MAGIC, PL_LOGFILE_MAGIC_BYTES) == 0) {
        pl_trust_free(&an.file);
        return verify_log_file(path, json, timeline);
    }
    size_t n;
    uint8_t *b = io_read_file(path, CERT_MAX_BYTES, &n);
    if (b == NULL)
        return EXIT_USAGE;
    int rc;
    int is_cert = n >= PL_CERT_MAGIC_BYTES && memcmp(b, PL_CERT_MAGIC, PL_CERT_MAGIC_BYTES) == 0;
    if ((anchored || number || print_path) && !is_cert) {
        fprintf(stderr, _("parley verify: --trust, -P, --id-number and --print apply to an "
                          "agreement certificate; '%s' is not one\n"), path);
        free(b);
        pl_trust_free(&an.file);
        return EXIT_USAGE;
    }
    if (n >= PL_LOGFILE_MAGIC_BYTES && memcmp(b, PL_LOGFILE_MAGIC, PL_LOGFILE_MAGIC_BYTES) == 0)
        rc = cli_verify_log(path, b, n, json, timeline);
    else if (n >= PL_CERT_MAGIC_BYTES && memcmp(b, PL_CERT_MAGIC, PL_CERT_MAGIC_BYTES) == 0)
        rc = verify_cert(path, b, n, json, anchored ? &an : NULL, number);
    else if (n >= 2 && b[0] == 0x95)
        rc = verify_proof(path, b, n, json);
    else {
        fprintf(stderr, _("parley verify: '%s' is not a Parley log file, agreement certificate or "
                          "equivocation proof; export one with 'parley export'\n"), path);
        rc = EXIT_USAGE;
    }
    free(b);
    pl_trust_free(&an.file);
    sodium_memzero(numline, sizeof numline);
    return rc;
}
