/* parleyd's configuration: the options of HOME/parleyd.conf (lines
 * `name = value`, `#` comments) and of the matching flags, parsed into one
 * struct. Kept apart from parleyd.c so the parser, which reads a file an
 * operator (or whoever can write the home) controls, is fuzzed on its own
 * (fuzz/fuzz_config.c).
 *
 * Bounds: a file is at most PL_CONF_MAX_BYTES, a line at most
 * PL_CONF_LINE_MAX bytes, no NUL bytes; each list option has its limit.
 * Every refusal names the file, the line and what to write instead.
 *
 * Ownership: pl_conf_free frees the key file names the parser strdup'd. */
#ifndef PARLEY_NODE_CONFIG_H
#define PARLEY_NODE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"
#include "node.h"

#define PL_CONF_MAX_BYTES (1u << 20) /* a configuration file */
#define PL_CONF_LINE_MAX 1024        /* one line, newline included */
#define PL_CONF_MAX_PEERS 64         /* `peer` lines */
#define PL_CONF_MAX_ALLOW 256        /* `allow` lines, plus the peers dialled */
#define PL_CONF_ERR_MAX 512

typedef struct {
    uint8_t pk[PL_PK_BYTES];
    char endpoint[PL_NET_ENDPOINT_MAX];
    int from_flag; /* given on the command line: dialled for this run only */
} pl_conf_peer;

typedef struct {
    char home[4096];
    char listen[PL_NET_ENDPOINT_MAX];
    char *keyfiles[PL_NODE_MAX_KEYS];
    size_t nkeys;
    char *heldfiles[PL_NODE_MAX_KEYS]; /* `held-key` (SPEC §14.12 *Held keys*) */
    size_t nheld;
    char passfile[4096];
    pl_conf_peer peers[PL_CONF_MAX_PEERS];
    size_t npeers;
    uint8_t allow[PL_CONF_MAX_ALLOW][PL_PK_BYTES];
    size_t nallow;
    int observer;
    int accept_invitations; /* "invitations accept" (else ask, SPEC §14.3) */
    uint64_t attest_ms;
    uint32_t rate;
    uint32_t cache_mb; /* issue 17: resident cases' budget; 0: the node's default */
    pl_log_level level;
    int ui;           /* serve the web app (issue 16) */
    uint16_t ui_port; /* on 127.0.0.1; 0 picks one */
} pl_conf;

/* The defaults: attestations at most once a second, log level info. */
void pl_conf_init(pl_conf *c);
void pl_conf_free(pl_conf *c);

/* One option, from a flag or a config line; where names it in a message
 * ("command line", "FILE:LINE"). PL_OK, or PL_E_CONFIG with err set. */
__attribute__((warn_unused_result)) int pl_conf_set(pl_conf *c, const char *name,
                                                    const char *value, const char *where,
                                                    char err[PL_CONF_ERR_MAX]);

/* A whole configuration file's text (path only names it in messages).
 * PL_OK, or PL_E_CONFIG with err set (the first problem). */
__attribute__((warn_unused_result)) int pl_conf_parse(pl_conf *c, const char *text, size_t len,
                                                      const char *path,
                                                      char err[PL_CONF_ERR_MAX]);

#endif
