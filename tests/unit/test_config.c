/* parleyd's configuration parser (node/config.c): every option from a file
 * and from flags, and each kind of bad input refused with the file, the line
 * and what to write instead, without cutting or splitting anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

#define KEY_A "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12"
#define KEY_B "00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff"

static int parse(pl_conf *c, const char *text, char err[PL_CONF_ERR_MAX])
{
    pl_conf_init(c);
    err[0] = '\0';
    return pl_conf_parse(c, text, strlen(text), "home/parleyd.conf", err);
}

static void test_every_option(void **state)
{
    (void)state;
    pl_conf c;
    char err[PL_CONF_ERR_MAX];
    const char *text = "# the prosecution's node\r\n"
                       "listen = tcp://0.0.0.0:7400\r\n"
                       "\n"
                       "   peer=" KEY_A "@tcp://10.0.0.5:7400   \n"
                       "allow = " KEY_B "\n"
                       "key = /etc/parley/prosecution.key\n"
                       "key = second.key\n"
                       "held-key = suspect.key\n"
                       "ui = 0\n"
                       "passphrase-file = /run/secrets/pass\n"
                       "observer = yes\n"
                       "attest-interval = 250\n"
                       "rate = 5000\n"
                       "cache-mb = 64\n"
                       "log-level = debug"; /* no final newline */
    assert_int_equal(parse(&c, text, err), PL_OK);
    assert_string_equal(c.listen, "tcp://0.0.0.0:7400");
    assert_int_equal(c.npeers, 1);
    assert_string_equal(c.peers[0].endpoint, "tcp://10.0.0.5:7400");
    assert_int_equal(c.peers[0].pk[0], 0xab);
    assert_int_equal(c.nallow, 1);
    assert_int_equal(c.allow[0][1], 0xff);
    assert_int_equal(c.nkeys, 2);
    assert_string_equal(c.keyfiles[1], "second.key");
    assert_int_equal(c.nheld, 1); /* SPEC §14.12 *Held keys* */
    assert_string_equal(c.heldfiles[0], "suspect.key");
    assert_int_equal(c.ui, 1); /* SPEC §14.12 *Web app*: 0 picks a port */
    assert_int_equal(c.ui_port, 0);
    assert_string_equal(c.passfile, "/run/secrets/pass");
    assert_int_equal(c.observer, 1);
    assert_int_equal(c.attest_ms, 250);
    assert_int_equal(c.rate, 5000);
    assert_int_equal(c.cache_mb, 64); /* issue 17 */
    assert_int_equal(c.level, PL_LOG_DEBUG);
    /* a flag overrides what the file said */
    assert_int_equal(pl_conf_set(&c, "observer", "no", "command line", err), PL_OK);
    assert_int_equal(c.observer, 0);
    pl_conf_free(&c);
    assert_int_equal(c.nkeys, 0);
    pl_conf_free(&c); /* safe twice */
}

/* Each bad line is refused with its line number and a hint. */
static void test_bad_lines_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"listen = tcp://a:1\nfrobnicate = 1\n", "home/parleyd.conf:2: unknown option 'frobnicate'"},
        {"listen tcp://a:1\n", ":1: expected `name = value`"},
        {"peer = " KEY_A "\n", "peer must be KEY@ENDPOINT"},
        {"peer = abcd@tcp://a:1\n", "peer must be KEY@ENDPOINT"},
        {"peer = " KEY_A "@\n", "peer must be KEY@ENDPOINT"},
        {"allow = " KEY_A "00\n", "allow needs a 64-hex-digit public key"},
        {"allow = zz12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12\n", "allow needs"},
        {"key = a\nkey = b\nkey = c\nkey = d\nkey = e\n", ":5: at most 4 keys"},
        {"key =\n", "key needs a key file's path"},
        {"key = a\nheld-key = b\nheld-key = c\nkey = d\nheld-key = e\n",
         ":5: at most 4 keys and held keys together"},
        {"held-key =\n", "held-key needs a key file's path"},
        {"ui = 65536\n", "ui is a port from 0 to 65535"},
        {"ui = -1\n", "ui is a port"},
        {"ui = web\n", "ui is a port"},
        {"observer = maybe\n", "observer is yes or no"},
        {"rate = 0\n", "rate must be a number from 1 to 86400000"},
        {"cache-mb = 0\n", "cache-mb must be a number of MiB from 1 to 1048576"},
        {"cache-mb = 1048577\n", "cache-mb must be a number"},
        {"cache-mb = 12k\n", "cache-mb must be a number"},
        {"rate = -5\n", "rate must be a number"},
        {"rate = +5\n", "rate must be a number"},
        {"rate = 18446744073709551617\n", "rate must be a number"},
        {"rate = 86400001\n", "rate must be a number"},
        {"attest-interval = 10ms\n", "attest-interval must be a number"},
        {"log-level = verbose\n", "log-level is error, warn, info or debug"},
        {"listen =\n", "listen needs an endpoint"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pl_conf c;
        char err[PL_CONF_ERR_MAX];
        assert_int_equal(parse(&c, bad[i].text, err), PL_E_CONFIG);
        if (strstr(err, bad[i].says) == NULL)
            fail_msg("'%s': message '%s' lacks '%s'", bad[i].text, err, bad[i].says);
        pl_conf_free(&c);
    }
}

/* Bounds: a line too long for the buffer is refused, not split (its tail
 * would be read as a line of its own); an endpoint too long for its field
 * is refused, not cut; NUL bytes and oversized files are refused. */
static void test_bounds(void **state)
{
    (void)state;
    pl_conf c;
    char err[PL_CONF_ERR_MAX];
    size_t n = PL_CONF_LINE_MAX + 100;
    char *text = malloc(n + 1);
    assert_non_null(text);
    memset(text, ' ', n);
    memcpy(text, "log-level = info", 16);
    memcpy(text + PL_CONF_LINE_MAX + 10, "rate=1", 6); /* would be a "line" if split */
    text[n] = '\0';
    assert_int_equal(parse(&c, text, err), PL_E_CONFIG);
    assert_non_null(strstr(err, ":1: line longer than"));
    free(text);

    char listen[PL_NET_ENDPOINT_MAX + 32] = "listen = tcp://";
    memset(listen + 15, 'a', PL_NET_ENDPOINT_MAX);
    listen[15 + PL_NET_ENDPOINT_MAX] = '\0';
    assert_int_equal(parse(&c, listen, err), PL_E_CONFIG);
    assert_string_equal(c.listen, "");

    static const char nul[] = "rate = 5\0rate = 6\n";
    pl_conf_init(&c);
    assert_int_equal(pl_conf_parse(&c, nul, sizeof nul - 1, "f", err), PL_E_CONFIG);
    assert_non_null(strstr(err, "NUL byte"));
    assert_int_equal(pl_conf_parse(&c, "", PL_CONF_MAX_BYTES + 1, "f", err), PL_E_CONFIG);
    assert_non_null(strstr(err, "larger than"));

    /* 64 peers fit; the 65th is refused */
    pl_conf_init(&c);
    for (int i = 0; i < PL_CONF_MAX_PEERS; i++)
        assert_int_equal(pl_conf_set(&c, "peer", KEY_A "@tcp://h:1", "t", err), PL_OK);
    assert_int_equal(pl_conf_set(&c, "peer", KEY_A "@tcp://h:1", "t", err), PL_E_CONFIG);
    assert_int_equal(c.npeers, PL_CONF_MAX_PEERS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_option),
        cmocka_unit_test(test_bad_lines_refused),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
