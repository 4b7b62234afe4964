/* Languages (see i18n.h). */
#include <locale.h>
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
