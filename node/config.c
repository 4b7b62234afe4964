/* parleyd's configuration parser (config.h): the options of parleyd.conf
 * and of the flags, one function per source, one table of options. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config.h"

void pl_conf_init(pl_conf *c)
{
    memset(c, 0, sizeof *c);
    c->attest_ms = 1000;
    c->level = PL_LOG_INFO;
}

void pl_conf_free(pl_conf *c)
{
    for (size_t i = 0; i < PL_NODE_MAX_KEYS; i++) {
        free(c->keyfiles[i]);
        c->keyfiles[i] = NULL;
        free(c->heldfiles[i]);
        c->heldfiles[i] = NULL;
    }
    c->nkeys = 0;
    c->nheld = 0;
}

static int parse_key_hex(const char *s, size_t n, uint8_t pk[PL_PK_BYTES])
{
    size_t got;
    return n == 2 * PL_PK_BYTES && sodium_hex2bin(pk, PL_PK_BYTES, s, n, NULL, &got, NULL) == 0 &&
                   got == PL_PK_BYTES
               ? 0
               : -1;
}

/* Copies value into a field of cap bytes, refusing what does not fit
 * rather than cutting a path or an endpoint short. */
static int set_text(char *field, size_t cap, const char *value)
{
    size_t n = strlen(value);
    if (n == 0 || n >= cap)
        return -1;
    memcpy(field, value, n + 1);
    return 0;
}

#define FAIL(...) (snprintf(err, PL_CONF_ERR_MAX, __VA_ARGS__), PL_E_CONFIG)

int pl_conf_set(pl_conf *c, const char *name, const char *value, const char *where,
                char err[PL_CONF_ERR_MAX])
{
    if (strcmp(name, "listen") == 0) {
        if (set_text(c->listen, sizeof c->listen, value) != 0)
            return FAIL("%s: listen needs an endpoint of at most %d bytes, e.g. tcp://0.0.0.0:7400",
                        where, PL_NET_ENDPOINT_MAX - 1);
    } else if (strcmp(name, "peer") == 0) {
        const char *at = strchr(value, '@');
        if (c->npeers == PL_CONF_MAX_PEERS)
            return FAIL("%s: at most %d peers", where, PL_CONF_MAX_PEERS);
        if (at == NULL || parse_key_hex(value, (size_t)(at - value), c->peers[c->npeers].pk) != 0 ||
            set_text(c->peers[c->npeers].endpoint, PL_NET_ENDPOINT_MAX, at + 1) != 0)
            return FAIL("%s: peer must be KEY@ENDPOINT with a 64-hex-digit key, e.g. "
                        "ab12…@tcp://10.0.0.5:7400", where);
        c->peers[c->npeers].from_flag = strcmp(where, "command line") == 0;
        c->npeers++;
    } else if (strcmp(name, "allow") == 0) {
        if (c->nallow == PL_CONF_MAX_ALLOW)
            return FAIL("%s: at most %d allowed keys", where, PL_CONF_MAX_ALLOW);
        if (parse_key_hex(value, strlen(value), c->allow[c->nallow]) != 0)
            return FAIL("%s: allow needs a 64-hex-digit public key", where);
        c->nallow++;
    } else if (strcmp(name, "key") == 0 || strcmp(name, "held-key") == 0) {
        /* SPEC §14.12 *Held keys*: a held key is unlocked by its holder for
         * each act; both kinds share the node's PL_NODE_MAX_KEYS */
        int held = name[0] == 'h';
        char **files = held ? c->heldfiles : c->keyfiles;
        size_t *n = held ? &c->nheld : &c->nkeys;
        if (c->nkeys + c->nheld == PL_NODE_MAX_KEYS)
            return FAIL("%s: at most %d keys and held keys together", where, PL_NODE_MAX_KEYS);
        if (*value == '\0' || (files[*n] = strdup(value)) == NULL)
            return FAIL("%s: %s needs a key file's path", where, name);
        (*n)++;
    } else if (strcmp(name, "passphrase-file") == 0) {
        if (set_text(c->passfile, sizeof c->passfile, value) != 0)
            return FAIL("%s: passphrase-file needs a path", where);
    } else if (strcmp(name, "invitations") == 0) {
        /* SPEC §14.3: host every case offered, or ask the operator */
        if (strcmp(value, "accept") == 0)
            c->accept_invitations = 1;
        else if (strcmp(value, "ask") == 0)
            c->accept_invitations = 0;
        else
            return FAIL("%s: invitations is accept or ask", where);
    } else if (strcmp(name, "observer") == 0) {
        if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
            c->observer = 1;
        else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
            c->observer = 0;
        else
            return FAIL("%s: observer is yes or no", where);
    } else if (strcmp(name, "attest-interval") == 0 || strcmp(name, "rate") == 0) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(value, &end, 10);
        if (errno || *end || end == value || *value == '-' || *value == '+' || v == 0 ||
            v > 86400000ull)
            return FAIL("%s: %s must be a number from 1 to 86400000", where, name);
        if (name[0] == 'r')
            c->rate = (uint32_t)v;
        else
            c->attest_ms = v;
    } else if (strcmp(name, "cache-mb") == 0) {
        /* issue 17: the memory the cases held in memory may take */
        char *end;
        errno = 0;
        unsigned long long v = strtoull(value, &end, 10);
        if (errno || *end || end == value || *value == '-' || *value == '+' || v == 0 ||
            v > 1048576ull)
            return FAIL("%s: cache-mb must be a number of MiB from 1 to 1048576", where);
        c->cache_mb = (uint32_t)v;
    } else if (strcmp(name, "ui") == 0) {
        /* issue 16: the web app's port on 127.0.0.1 (0 picks one) */
        char *end;
        errno = 0;
        unsigned long v = strtoul(value, &end, 10);
        if (errno || *end || end == value || *value == '-' || *value == '+' || v > 65535)
            return FAIL("%s: ui is a port from 0 to 65535 on 127.0.0.1 (0 picks one)", where);
        c->ui = 1;
        c->ui_port = (uint16_t)v;
    } else if (strcmp(name, "log-level") == 0) {
        static const char *lv[] = {"error", "warn", "info", "debug"};
        size_t i = 0;
        while (i < 4 && strcmp(lv[i], value) != 0)
            i++;
        if (i == 4)
            return FAIL("%s: log-level is error, warn, info or debug", where);
        c->level = (pl_log_level)i;
    } else {
        return FAIL("%s: unknown option '%.64s' (see parleyd --help)", where, name);
    }
    return PL_OK;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int pl_conf_parse(pl_conf *c, const char *text, size_t len, const char *path,
                  char err[PL_CONF_ERR_MAX])
{
    char line[PL_CONF_LINE_MAX], where[PL_CONF_ERR_MAX / 2];
    if (len > PL_CONF_MAX_BYTES)
        return FAIL("%.200s: larger than %u bytes; is it the right file?", path, PL_CONF_MAX_BYTES);
    if (memchr(text, '\0', len) != NULL)
        return FAIL("%.200s: contains a NUL byte; a configuration file is text", path);
    size_t off = 0;
    for (int lineno = 1; off < len; lineno++) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
        snprintf(where, sizeof where, "%.200s:%d", path, lineno);
        /* A long line is refused, not split: its tail would otherwise be
         * read as a line of its own. */
        if (n >= sizeof line)
            return FAIL("%s: line longer than %d bytes", where, PL_CONF_LINE_MAX - 1);
        memcpy(line, text + off, n);
        line[n] = '\0';
        off += n + (nl != NULL);
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (eq == NULL)
            return FAIL("%s: expected `name = value`", where);
        *eq = '\0';
        int rc = pl_conf_set(c, trim(s), trim(eq + 1), where, err);
        if (rc != PL_OK)
            return rc;
    }
    return PL_OK;
}
