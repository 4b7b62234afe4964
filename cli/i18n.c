/* Languages (see i18n.h). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "parley/parley.h"

#ifndef PARLEY_LOCALEDIR
#define PARLEY_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef PARLEY_BUILD_LOCALEDIR
#define PARLEY_BUILD_LOCALEDIR ""
#endif

static int zh;

/* The language the environment asks for messages, as gettext reads it. */
static const char *wanted(void)
{
    static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && v[0])
            return v;
    }
    return "";
}

void cli_i18n_init(void)
{
    const char *want = wanted();
    if (setlocale(LC_ALL, "") == NULL && strncmp(want, "zh", 2) == 0) {
        /* the zh_CN locale is not generated here: messages can still be
         * Chinese (glibc honours LANGUAGE under C.UTF-8) */
        if (setlocale(LC_ALL, "C.UTF-8") != NULL)
            setenv("LANGUAGE", "zh_CN", 0);
    }
    const char *dir = getenv("PARLEY_LOCALEDIR");
    if (dir == NULL || dir[0] == '\0') {
        /* installed, else the build tree's (running build/cli/parley) */
        dir = PARLEY_LOCALEDIR;
        if (access(PARLEY_LOCALEDIR "/zh_CN/LC_MESSAGES/parley.mo", R_OK) != 0 &&
            PARLEY_BUILD_LOCALEDIR[0] != '\0')
            dir = PARLEY_BUILD_LOCALEDIR;
    }
    bindtextdomain("parley", dir);
    bind_textdomain_codeset("parley", "UTF-8");
    textdomain("parley");
    const char *l = setlocale(LC_MESSAGES, NULL);
    const char *lang = getenv("LANGUAGE");
    zh = (l && strncmp(l, "zh", 2) == 0) ||
         (lang && strncmp(lang, "zh", 2) == 0 && l && strcmp(l, "C") != 0 && strcmp(l, "POSIX") != 0);
}

int cli_zh(void)
{
    return zh;
}

int cli_terms_text(const pl_terms *t, char *out, size_t cap)
{
    return zh ? pl_terms_format_zh(t, out, cap) : pl_terms_format(t, out, cap);
}

const char *cli_strerror(int code)
{
    return gettext(pl_strerror(code));
}

/* The refusals node/control.c sends, by request (NULL: any) and code (0:
 * any), in the words a person should read. */
static const struct {
    const char *request;
    int code;
    const char *msg;
} node_says[] = {
    {NULL, PL_E_UNKNOWN_CASE,
     N_("this node does not host the case; check the id with 'parley cases'")},
    {NULL, PL_E_NOT_SYNCED,
     N_("no peer has shown this node its own latest messages in the case since it started; wait "
        "until a peer is connected (parley status), or pass --force if you are sure no other copy "
        "of this key or store exists")},
    {NULL, PL_E_DISK,
     N_("the node's disk is full: free space on it (parley status says when it is writing "
        "again); the node resumes by itself, no restart needed, then send this again")},
    {"ui", PL_E_CONFIG,
     N_("this node serves no web app: start parleyd with --ui PORT (0 picks a port), or add "
        "'ui = 0' to its parleyd.conf")},
    {"connect", 0, N_("cannot dial that endpoint: use tcp://HOST:PORT and the peer's public key")},
    {"accept", 0, N_("no invitation to that case waits; see 'parley invitations'")},
    {"decline", 0, N_("no invitation to that case waits; see 'parley invitations'")},
};

void cli_node_refused(const char *verb, const char *request, const char *lead, int code,
                      const char *text, size_t len)
{
    for (size_t i = 0; i < sizeof node_says / sizeof node_says[0]; i++)
        if ((node_says[i].request == NULL ||
             (request != NULL && strcmp(node_says[i].request, request) == 0)) &&
            (node_says[i].code == 0 || node_says[i].code == code)) {
            fprintf(stderr, _("parley %s: %s: %s (SPEC §%s): %s\n"), verb, gettext(lead),
                    pl_errname(code), pl_errsection(code), gettext(node_says[i].msg));
            return;
        }
    const char *en = pl_strerror(code);
    if (code == PL_E_CONTROL) {
        /* the node names what it did not take (SPEC §14.12): the version,
         * the verb, the count, or the argument; its words, as they are */
        fprintf(stderr, _("parley %s: %s: %s (SPEC §%s): the node did not take the request: "
                          "%.*s (use the parley of the same release as this parleyd)\n"),
                verb, gettext(lead), pl_errname(code), pl_errsection(code),
                (int)(text ? len : 0), text ? text : "");
        return;
    }
    if (text != NULL && len > 0 && (len < strlen(en) || memcmp(text, en, strlen(en)) != 0))
        fprintf(stderr, _("parley %s: %s: %s (SPEC §%s): %s; the node says: %.*s\n"), verb,
                gettext(lead), pl_errname(code), pl_errsection(code), cli_strerror(code),
                (int)len, text);
    else
        fprintf(stderr, _("parley %s: %s: %s (SPEC §%s): %s\n"), verb, gettext(lead),
                pl_errname(code), pl_errsection(code), cli_strerror(code));
}

void cli_control_failed(const char *verb, const char *home, int rc)
{
    if (rc == PL_E_CONTROL)
        fprintf(stderr, _("parley %s: the control socket in %s is served by another user's "
                          "process; parley talks only to a node of your own (SPEC §14.12)\n"),
                verb, home);
    else
        cli_no_node(verb, home);
}

void cli_no_node(const char *verb, const char *home)
{
    fprintf(stderr, _("parley %s: no node answers in %s (is parleyd running with --home %s?)\n"),
            verb, home, home);
}

void cli_bad_answer(const char *verb)
{
    fprintf(stderr, _("parley %s: the node's answer is malformed\n"), verb);
}

/* Terminal columns of a UTF-8 string: CJK ideographs, kana, hangul and
 * full-width forms take two, everything else one (a table's columns line
 * up in Chinese as in English). */
static int cols_of(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t c;
        int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;
        c = n == 1 ? *p : n == 2 ? *p & 0x1fu : n == 3 ? *p & 0x0fu : *p & 0x07u;
        for (int k = 1; k < n; k++) {
            if ((p[k] & 0xc0) != 0x80) { /* not UTF-8: one column a byte */
                n = 1, c = 0;
                break;
            }
            c = (c << 6) | (p[k] & 0x3fu);
        }
        p += n;
        w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
                     (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
                     (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
                     (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd)
                 ? 2
                 : 1;
    }
    return w;
}

const char *cli_pad(char *out, size_t cap, const char *s, int cols)
{
    int n = snprintf(out, cap, "%s", s);
    size_t len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
    for (int w = cols_of(out); w < cols && len + 1 < cap; w++)
        out[len++] = ' ';
    out[len] = '\0';
    return out;
}
