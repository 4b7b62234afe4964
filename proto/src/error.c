/* Error names and messages, generated from the single table in error.h. */
#include <string.h>

#include "parley/error.h"

struct errinfo {
    int code;
    const char *name;
    const char *section;
    const char *msg;
};

static const struct errinfo errtab[] = {
#define PL_ERR_ROW_(name, value, section, msg) {value, #name, section, msg},
    PL_ERRORS(PL_ERR_ROW_)
#undef PL_ERR_ROW_
};

static const struct errinfo *lookup(int err)
{
    for (size_t i = 0; i < sizeof errtab / sizeof errtab[0]; i++)
        if (errtab[i].code == err)
            return &errtab[i];
    return NULL;
}

const char *pl_strerror(int err)
{
    const struct errinfo *e = lookup(err);
    return e ? e->msg : "unknown error code";
}

const char *pl_errname(int err)
{
    const struct errinfo *e = lookup(err);
    return e ? e->name : "PL_E_UNKNOWN";
}

const char *pl_errsection(int err)
{
    const struct errinfo *e = lookup(err);
    return e ? e->section : "9";
}

int pl_err_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof errtab / sizeof errtab[0]; i++)
        if (strcmp(errtab[i].name, name) == 0)
            return errtab[i].code;
    return 1;
}
