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

/* pl_strerror(code), in the reader's language. */
const char *cli_strerror(int code);

/* Terms for a person: as a Chinese judgment writes them when messages are
 * Chinese (pl_terms_format_zh), else pl_terms_format. JSON keeps English. */
int cli_terms_text(const pl_terms *t, char *out, size_t cap);

#endif
