/* Languages for people (issue 15 §1): every text the CLI prints for a
 * person goes through gettext, so that it is Simplified Chinese when the
 * locale says so (LANG=zh_CN.UTF-8) and English otherwise. The catalogue
 * is po/zh_CN.po; msgids are the English texts. The library's own strings
 * (error messages, summaries) are English data; the CLI translates them
 * here, at the edge. */
#ifndef PARLEY_CLI_I18N_H
#define PARLEY_CLI_I18N_H

#include <libintl.h>

#include "parley/parley.h"

#define _(s) gettext(s)
#define N_(s) (s) /* marks a string for the catalogue; translated where printed */

/* setlocale, and the "parley" text domain bound to the installed catalogue
 * (or the build tree's, or $PARLEY_LOCALEDIR). When the locale the
 * environment names is not installed on the machine, the language is
 * still honoured for messages (C.UTF-8 with LANGUAGE). */
void cli_i18n_init(void);

/* Whether messages are in Chinese now: then terms, dates and amounts are
 * written as Chinese legal documents write them. */
int cli_zh(void);
/* s padded with spaces to at least cols terminal columns (a CJK character
 * takes two), into out; returns out. */
const char *cli_pad(char *out, size_t cap, const char *s, int cols);

/* pl_strerror(code), in the reader's language. */
const char *cli_strerror(int code);

/* A node's refusal of a control request, on stderr, in the reader's
 * language: the node's own words are English data (node/control.c), so
 * the refusals it is known to send are said here by the request's verb
 * (`request`: "ui", "connect", …) and code; any other as the rule's
 * meaning, with the node's words after it when they say more. `verb` is
 * the command the person ran; `lead` N_("refused") or
 * N_("refused, nothing was sent"). */
void cli_node_refused(const char *verb, const char *request, const char *lead, int code,
                      const char *text, size_t len);

/* "no node answers in HOME" and the malformed answer, said the same way by
 * every verb that talks to a node. */
void cli_no_node(const char *verb, const char *home);
/* Why pl_control_call failed with rc: no node, or another user's. */
void cli_control_failed(const char *verb, const char *home, int rc);
void cli_bad_answer(const char *verb);

/* Terms for a person: as a Chinese judgment writes them when messages are
 * Chinese (pl_terms_format_zh), else pl_terms_format. JSON keeps English. */
int cli_terms_text(const pl_terms *t, char *out, size_t cap);

#endif
