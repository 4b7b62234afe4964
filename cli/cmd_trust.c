/* parley trust: the trust file a verifier checks signers against (SPEC
 * §16.5). An anchor is an institution's key (a procuratorate for its
 * prosecutors, a bar association for its lawyers); an endorsement is an
 * anchor's signed statement that a key is a named prosecutor or lawyer, for
 * a period. The file is the clerk's: public keys and signed statements, no
 * secret, readable as text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

static int usage(int rc)
{
    fprintf(rc ? stderr : stdout,
            _("usage: parley trust anchor  --file F ROLE KEY NAME\n"
              "       parley trust endorse --key ISSUER.key [--passphrase-file P] --role ROLE\n"
              "                            --name NAME --unit UNIT [--licence L --bar BAR]\n"
              "                            [--from YYYY-MM-DD] --until YYYY-MM-DD KEY [-o OUT]\n"
              "       parley trust import  --file F ENDORSEMENT\n"
              "       parley trust list    --file F [--json]\n"
              "       parley trust check   --file F --role ROLE KEY [--at YYYY-MM-DD]\n\n"
              "The trust file a verifier checks signers against (SPEC §16.5): `parley verify\n"
              "CERT --trust F` fails unless the prosecution's and counsel's keys are anchors\n"
              "of their role or endorsed by one for the time they signed. ROLE is\n"
              "prosecution (a procuratorate vouches for its prosecutors) or counsel (a bar\n"
              "association vouches for its lawyers; an endorsement names the licence and\n"
              "the bar). KEY is 64 hex digits or a key file. `anchor` creates F if it does\n"
              "not exist; `endorse` is run by the anchor's holder, with its secret key, and\n"
              "prints one line to hand over; `import` checks that line's signature first.\n"));
    return rc;
}

static pl_trust *load(const char *path, int create)
{
    if (create && access(path, F_OK) != 0)
        return pl_trust_new();
    size_t n;
    uint8_t *b = io_read_file(path, PL_TRUST_MAX_BYTES, &n);
    if (b == NULL)
        return NULL;
    pl_trust *t = NULL;
    size_t line = 0;
    int rc = pl_trust_parse((const char *)b, n, &t, &line);
    free(b);
    if (rc != PL_OK) {
        if (line)
            fprintf(stderr, _("parley trust: '%s' line %zu: not a valid trust entry (SPEC §16.5); "
                              "fix or remove that line\n"), path, line);
        else
            fprintf(stderr, _("parley trust: '%s' is not a trust file: its first entry must be "
                              "'parley trust v1' (SPEC §16.5)\n"), path);
        return NULL;
    }
    return t;
}

static int save(const char *path, const pl_trust *t)
{
    char *text;
    if (pl_trust_write(t, &text) != PL_OK) {
        fprintf(stderr, _("parley trust: out of memory\n"));
        return EXIT_CHECK;
    }
    int rc = io_write_file(path, (const uint8_t *)text, strlen(text), 0644, 1) == 0 ? EXIT_OK
                                                                                      : EXIT_CHECK;
    free(text);
    return rc;
}

static pl_role role_arg(const char *s)
{
    pl_role r = s ? pl_role_from_name(s, strlen(s)) : PL_ROLE_NONE;
    if (r != PL_ROLE_PROSECUTION && r != PL_ROLE_COUNSEL) {
        fprintf(stderr, _("parley trust: the role must be prosecution or counsel%s%s%s\n"),
                s ? _(" (not '") : "", s ? s : "", s ? _("')") : "");
        return PL_ROLE_NONE;
    }
    return r;
}

static void print_endorsement(const pl_endorsement *e, const char *by, int json, int first)
{
    char fp[PL_FINGERPRINT_STR_BYTES], ifp[PL_FINGERPRINT_STR_BYTES], from[32], until[32];
    pl_fingerprint(e->subject, fp);
    pl_fingerprint(e->issuer, ifp);
    cli_iso_time(e->not_before, 0, from);
    cli_iso_time(e->not_after, 0, until);
    if (json) {
        printf("%s{\"kind\":\"endorsement\",\"role\":\"%s\",\"fingerprint\":\"%s\",\"name\":",
               first ? "" : ",", pl_role_name(e->role), fp);
        cli_json_str(e->name);
        printf(",\"unit\":");
        cli_json_str(e->unit);
        printf(",\"licence\":");
        cli_json_str(e->licence);
        printf(",\"bar\":");
        cli_json_str(e->bar);
        printf(",\"issuer\":\"%s\",\"issuer_name\":", ifp);
        cli_json_str(by ? by : "");
        printf(",\"from\":\"%s\",\"until\":\"%s\"}", from, until);
        return;
    }
    char name[PL_TRUST_NAME_MAX + 1], unit[PL_TRUST_NAME_MAX + 1], lic[PL_TRUST_LICENCE_MAX + 1],
        bar[PL_TRUST_NAME_MAX + 1], byname[PL_TRUST_NAME_MAX + 1];
    snprintf(name, sizeof name, "%s", e->name);
    snprintf(unit, sizeof unit, "%s", e->unit);
    snprintf(lic, sizeof lic, "%s", e->licence);
    snprintf(bar, sizeof bar, "%s", e->bar);
    snprintf(byname, sizeof byname, "%s", by ? by : _("an issuer that is not an anchor here"));
    pl_text_oneline(name), pl_text_oneline(unit), pl_text_oneline(lic), pl_text_oneline(bar);
    pl_text_oneline(byname);
    printf(_("endorsed  %-11s %s  %s, %s"), _(pl_role_name(e->role)), fp, name, unit);
    if (e->role == PL_ROLE_COUNSEL)
        printf(_(", licence %s (%s)"), lic, bar);
    printf(_("; by %s %s; %s to %s\n"), byname, ifp, from, until);
}

static const char *anchor_name(const pl_trust *t, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < pl_trust_anchors(t); i++) {
        pl_role r;
        uint8_t a[PL_PK_BYTES];
        const char *name;
        if (pl_trust_anchor(t, i, &r, a, &name) == PL_OK && memcmp(a, pk, PL_PK_BYTES) == 0)
            return name;
    }
    return NULL;
}

int cmd_trust_main(int argc, char **argv)
{
    const char *file = NULL, *key = NULL, *passfile = NULL, *role = NULL, *name = NULL,
               *unit = NULL, *licence = NULL, *bar = NULL, *from = NULL, *until = NULL,
               *at = NULL, *out = NULL, *pos[4] = {0};
    int json = 0, npos = 0;
    if (argc < 2 || strcmp(argv[1], "--help") == 0)
        return usage(argc < 2 ? EXIT_USAGE : EXIT_OK);
    const char *sub = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        int more = i + 1 < argc;
        const char **slot = NULL;
        if (strcmp(s, "--help") == 0)
            return usage(EXIT_OK);
        else if (strcmp(s, "--json") == 0)
            json = 1;
        else if (strcmp(s, "--file") == 0)
            slot = &file;
        else if (strcmp(s, "--key") == 0)
            slot = &key;
        else if (strcmp(s, "--passphrase-file") == 0)
            slot = &passfile;
        else if (strcmp(s, "--role") == 0)
            slot = &role;
        else if (strcmp(s, "--name") == 0)
            slot = &name;
        else if (strcmp(s, "--unit") == 0)
            slot = &unit;
        else if (strcmp(s, "--licence") == 0)
            slot = &licence;
        else if (strcmp(s, "--bar") == 0)
            slot = &bar;
        else if (strcmp(s, "--from") == 0)
            slot = &from;
        else if (strcmp(s, "--until") == 0)
            slot = &until;
        else if (strcmp(s, "--at") == 0)
            slot = &at;
        else if (strcmp(s, "-o") == 0)
            slot = &out;
        else if (s[0] != '-' && npos < 4)
            pos[npos++] = s;
        else {
            fprintf(stderr, _("parley trust %s: unexpected argument '%s'\n"), sub, s);
            return usage(EXIT_USAGE);
        }
        if (slot) {
            if (!more) {
                fprintf(stderr, _("parley trust %s: %s needs a value\n"), sub, s);
                return usage(EXIT_USAGE);
            }
            *slot = argv[++i];
        }
    }

    if (strcmp(sub, "anchor") == 0) {
        uint8_t pk[PL_PK_BYTES];
        pl_role r;
        if (file == NULL || npos != 3)
            return usage(EXIT_USAGE);
        if ((r = role_arg(pos[0])) == PL_ROLE_NONE || cli_read_pk(pos[1], pk) != 0)
            return EXIT_USAGE;
        pl_trust *t = load(file, 1);
        if (t == NULL)
            return EXIT_USAGE;
        int rc = pl_trust_add_anchor(t, r, pk, pos[2]);
        if (rc != PL_OK) {
            fprintf(stderr, _("parley trust anchor: refused: the key is an anchor already, or the "
                              "name is empty, longer than %d bytes or holds control characters\n"),
                    PL_TRUST_NAME_MAX);
            pl_trust_free(&t);
            return EXIT_USAGE;
        }
        rc = save(file, t);
        pl_trust_free(&t);
        return rc;
    }

    if (strcmp(sub, "endorse") == 0) {
        pl_endorsement e;
        memset(&e, 0, sizeof e);
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        /* from today by default: an endorsement vouches for what comes */
        int64_t today = (int64_t)now.tv_sec / 86400 * 86400000;
        int64_t f = from ? cli_parse_utc(from) : today, u = until ? cli_parse_utc(until) : -1;
        if (key == NULL || npos != 1 || name == NULL || unit == NULL || f < 0 || u < 0)
            return usage(EXIT_USAGE);
        /* never cut what the issuer signs: a field too long is refused */
        const char *fields[4] = {name, unit, licence ? licence : "", bar ? bar : ""};
        static const size_t max[4] = {PL_TRUST_NAME_MAX, PL_TRUST_NAME_MAX, PL_TRUST_LICENCE_MAX,
                                      PL_TRUST_NAME_MAX};
        static const char *const flag[4] = {"--name", "--unit", "--licence", "--bar"};
        for (int k = 0; k < 4; k++)
            if (strlen(fields[k]) > max[k]) {
                fprintf(stderr, _("parley trust endorse: %s has %zu bytes; at most %zu\n"), flag[k],
                        strlen(fields[k]), max[k]);
                return EXIT_USAGE;
            }
        if ((e.role = role_arg(role)) == PL_ROLE_NONE || cli_read_pk(pos[0], e.subject) != 0)
            return EXIT_USAGE;
        snprintf(e.name, sizeof e.name, "%s", name);
        snprintf(e.unit, sizeof e.unit, "%s", unit);
        snprintf(e.licence, sizeof e.licence, "%s", licence ? licence : "");
        snprintf(e.bar, sizeof e.bar, "%s", bar ? bar : "");
        e.not_before = (uint64_t)f;
        /* a bare date runs through its last millisecond; a time is exact */
        e.not_after = (uint64_t)u + (strlen(until) == 10 ? 86399999u : 0u);
        size_t n;
        uint8_t *kb = io_read_file(key, PL_KEYFILE_MAX_BYTES, &n);
        if (kb == NULL)
            return EXIT_USAGE;
        char *pass = io_passphrase(passfile, 0);
        pl_key *k = NULL;
        int rc = pass ? pl_keyfile_open(kb, n, pass, strlen(pass), &k) : PL_E_ARG;
        free(kb);
        if (pass)
            sodium_free(pass);
        if (rc != PL_OK) {
            fprintf(stderr, _("parley trust endorse: cannot open '%s': %s\n"), key, cli_strerror(rc));
            return EXIT_USAGE;
        }
        uint8_t b[PL_ENDORSEMENT_MAX_BYTES];
        size_t bl;
        rc = pl_endorsement_make(k, &e, b, sizeof b, &bl);
        pl_key_destroy(&k);
        if (rc != PL_OK) {
            fprintf(stderr, _("parley trust endorse: not a valid statement (SPEC §16.5): a name and "
                              "unit of 1 to %d bytes, --until not before --from, and for counsel "
                              "--licence and --bar\n"), PL_TRUST_NAME_MAX);
            return EXIT_USAGE;
        }
        char hex[2 * PL_ENDORSEMENT_MAX_BYTES + 2];
        sodium_bin2hex(hex, sizeof hex, b, bl);
        strcat(hex, "\n");
        if (out)
            return io_write_file(out, (const uint8_t *)hex, strlen(hex), 0644, 0) == 0 ? EXIT_OK
                                                                                        : EXIT_CHECK;
        fputs(hex, stdout);
        return EXIT_OK;
    }

    if (strcmp(sub, "import") == 0) {
        if (file == NULL || npos != 1)
            return usage(EXIT_USAGE);
        /* the line itself, or a file holding it */
        char *text = NULL;
        size_t n = strlen(pos[0]);
        uint8_t *fb = NULL;
        if (strspn(pos[0], "0123456789abcdefABCDEF") != strlen(pos[0])) {
            if (access(pos[0], F_OK) != 0) {
                fprintf(stderr, _("parley trust import: '%s' is neither a file nor an endorsement "
                                  "in hex\n"), pos[0]);
                return EXIT_USAGE;
            }
            fb = io_read_file(pos[0], 2 * PL_ENDORSEMENT_MAX_BYTES + 16, &n);
            if (fb == NULL)
                return EXIT_USAGE;
            text = (char *)fb;
        } else {
            text = (char *)pos[0];
        }
        while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
            n--;
        uint8_t b[PL_ENDORSEMENT_MAX_BYTES];
        size_t bl;
        const char *end;
        int rc = sodium_hex2bin(b, sizeof b, text, n, NULL, &bl, &end) == 0 && end == text + n
                     ? PL_OK
                     : PL_E_TRUST;
        free(fb);
        pl_endorsement e;
        if (rc == PL_OK)
            rc = pl_endorsement_verify(b, bl, &e);
        if (rc != PL_OK) {
            fprintf(stderr, _("parley trust import: not a valid endorsement (SPEC §16.5): its "
                              "signature or its fields do not check; ask its issuer for it again\n"));
            return EXIT_CHECK;
        }
        pl_trust *t = load(file, 1);
        if (t == NULL)
            return EXIT_USAGE;
        for (size_t i = 0; i < pl_trust_endorsements(t); i++) {
            pl_endorsement have;
            if (pl_trust_endorsement(t, i, &have) == PL_OK &&
                memcmp(have.issuer, e.issuer, PL_PK_BYTES) == 0 &&
                memcmp(have.subject, e.subject, PL_PK_BYTES) == 0 && have.role == e.role &&
                have.not_before == e.not_before && have.not_after == e.not_after &&
                strcmp(have.name, e.name) == 0 && strcmp(have.unit, e.unit) == 0 &&
                strcmp(have.licence, e.licence) == 0 && strcmp(have.bar, e.bar) == 0) {
                fprintf(stderr, _("parley trust import: '%s' holds this endorsement already\n"), file);
                pl_trust_free(&t);
                return EXIT_OK;
            }
        }
        if (anchor_name(t, e.issuer) == NULL)
            fprintf(stderr, _("parley trust import: note: its issuer is not an anchor in '%s'; it "
                              "counts once you add the issuer with 'parley trust anchor'\n"), file);
        rc = pl_trust_add_endorsement(t, b, bl) == PL_OK ? save(file, t) : EXIT_CHECK;
        if (rc == EXIT_OK)
            print_endorsement(&e, anchor_name(t, e.issuer), 0, 1);
        pl_trust_free(&t);
        return rc;
    }

    if (strcmp(sub, "list") == 0) {
        if (file == NULL || npos != 0)
            return usage(EXIT_USAGE);
        pl_trust *t = load(file, 0);
        if (t == NULL)
            return EXIT_USAGE;
        if (json)
            printf("{\"file\":"), cli_json_str(file), printf(",\"entries\":[");
        for (size_t i = 0; i < pl_trust_anchors(t); i++) {
            pl_role r;
            uint8_t pk[PL_PK_BYTES];
            const char *nm;
            char fp[PL_FINGERPRINT_STR_BYTES], shown[PL_TRUST_NAME_MAX + 1];
            (void)pl_trust_anchor(t, i, &r, pk, &nm);
            pl_fingerprint(pk, fp);
            if (json) {
                printf("%s{\"kind\":\"anchor\",\"role\":\"%s\",\"fingerprint\":\"%s\",\"name\":",
                       i ? "," : "", pl_role_name(r), fp);
                cli_json_str(nm);
                printf("}");
            } else {
                snprintf(shown, sizeof shown, "%s", nm);
                pl_text_oneline(shown);
                printf(_("anchor    %-11s %s  %s\n"), _(pl_role_name(r)), fp, shown);
            }
        }
        for (size_t i = 0; i < pl_trust_endorsements(t); i++) {
            pl_endorsement e;
            (void)pl_trust_endorsement(t, i, &e);
            print_endorsement(&e, anchor_name(t, e.issuer), json, i == 0 && pl_trust_anchors(t) == 0);
        }
        if (json)
            printf("]}\n");
        pl_trust_free(&t);
        return EXIT_OK;
    }

    if (strcmp(sub, "check") == 0) {
        uint8_t pk[PL_PK_BYTES];
        pl_role r;
        int64_t when = at ? cli_parse_utc(at) : (int64_t)0;
        if (file == NULL || npos != 1 || when < 0)
            return usage(EXIT_USAGE);
        if ((r = role_arg(role)) == PL_ROLE_NONE || cli_read_pk(pos[0], pk) != 0)
            return EXIT_USAGE;
        pl_trust *t = load(file, 0);
        if (t == NULL)
            return EXIT_USAGE;
        if (!at) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            when = (int64_t)ts.tv_sec * 1000;
        }
        pl_trust_result res;
        int rc = pl_trust_check(t, r, pk, (uint64_t)when, &res);
        char fp[PL_FINGERPRINT_STR_BYTES];
        pl_fingerprint(pk, fp);
        char an[PL_TRUST_NAME_MAX + 1];
        snprintf(an, sizeof an, "%s", res.anchor_name ? res.anchor_name : "");
        pl_text_oneline(an);
        if (rc == PL_OK && res.anchor)
            printf(_("%s: trusted as %s: it is the anchor '%s'\n"), fp, _(pl_role_name(r)), an);
        else if (rc == PL_OK)
            print_endorsement(&res.by, res.anchor_name, 0, 1);
        else
            printf(_("%s: NOT trusted as %s: %s\n"), fp, _(pl_role_name(r)), res.why);
        pl_trust_free(&t);
        return rc == PL_OK ? EXIT_OK : EXIT_CHECK;
    }
    fprintf(stderr, _("parley trust: unknown subcommand '%s'; use anchor, endorse, import, list or "
                      "check\n"), sub);
    return usage(EXIT_USAGE);
}
