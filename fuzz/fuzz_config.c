/* Fuzz target: parleyd's configuration file (node/config.c). Whoever can
 * write the node's home controls it; a bad file must be refused with a
 * message, never crash the node or leave a field unterminated or cut. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_conf c;
    char err[PL_CONF_ERR_MAX];
    pl_conf_init(&c);
    err[0] = '\0';
    int rc = pl_conf_parse(&c, (const char *)data, size, "fuzz.conf", err);
    if (rc != PL_OK && (rc != PL_E_CONFIG || err[0] == '\0' || memchr(err, '\0', sizeof err) == NULL))
        abort(); /* a refusal always says why */
    if (memchr(c.listen, '\0', sizeof c.listen) == NULL ||
        memchr(c.passfile, '\0', sizeof c.passfile) == NULL || c.npeers > PL_CONF_MAX_PEERS ||
        c.nallow > PL_CONF_MAX_ALLOW || c.nkeys > PL_NODE_MAX_KEYS || c.level > PL_LOG_DEBUG)
        abort();
    for (size_t i = 0; i < c.npeers; i++)
        if (memchr(c.peers[i].endpoint, '\0', PL_NET_ENDPOINT_MAX) == NULL ||
            c.peers[i].endpoint[0] == '\0')
            abort();
    if (rc == PL_OK && (c.rate > 86400000u || (c.attest_ms == 0)))
        abort();
    pl_conf_free(&c);
    return 0;
}
