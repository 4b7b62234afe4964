/* Checks the library against the committed vectors in spec/vectors/ (SPEC
 * §11.2 format, §11.3 files, §11.4 conformance): every record must give its
 * expected result. The vectors were written
 * by parley-vectors; a separate ctest test regenerates them and compares
 * bytes, so these files, the spec and the code cannot drift apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define get tu_rec_get

/* Calls fn for each record of spec/vectors/<name>; returns the count. */
static void call(const tu_rec *r, void *fn)
{
    ((void (*)(const tu_rec *))fn)(r);
}

static int each_record(const char *name, void (*fn)(const tu_rec *))
{
    char path[4096];
    snprintf(path, sizeof path, "%s/spec/vectors/%s", PARLEY_SOURCE_DIR, name);
    int n = tu_vec_each(path, call, (void *)fn);
    assert_true(n >= 0);
    return n;
}

static int expected(const tu_rec *r)
{
    const char *e = get(r, "expect");
    assert_non_null(e);
    if (strcmp(e, "ok") == 0)
        return PL_OK;
    int code = pl_err_from_name(e);
    assert_true(code <= 0);
    return code;
}

static uint8_t *unhex(const char *hex, size_t *n)
{
    uint8_t *b = tu_unhex_alloc(hex, n);
    assert_non_null(b);
    return b;
}

static void check_key(const tu_rec *r)
{
    size_t n;
    uint8_t *seed = unhex(get(r, "seed"), &n), *pk = unhex(get(r, "pk"), &n);
    pl_key *k = pl_key_from_seed(seed);
    char fp[PL_FINGERPRINT_STR_BYTES];
    assert_memory_equal(pl_key_pk(k), pk, PL_PK_BYTES);
    pl_fingerprint(pk, fp);
    assert_string_equal(fp, get(r, "fingerprint"));
    pl_key_destroy(&k);
    free(seed), free(pk);
}

/* SPEC §2.1, §2.2 */
static void test_vectors_keys_s2_2(void **state)
{
    (void)state;
    assert_int_equal(each_record("keys.vec", check_key), 6);
}

static int nvalid, ninvalid;

static void check_msg(const tu_rec *r)
{
    size_t n, cn = 0;
    uint8_t *in = unhex(get(r, "hex"), &n), *case_id = NULL;
    if (get(r, "case"))
        case_id = unhex(get(r, "case"), &cn);
    pl_msg *m = NULL;
    int rc = pl_msg_decode(in, n, case_id, &m);
    if (rc != expected(r))
        fail_msg("%s: expected %s, got %s", get(r, "name"), get(r, "expect"), pl_errname(rc));
    if (rc == PL_OK) {
        size_t idn;
        uint8_t *id = unhex(get(r, "id"), &idn);
        assert_memory_equal(pl_msg_id(m), id, PL_ID_BYTES);
        free(id);
        nvalid++;
    } else {
        assert_null(m); /* outputs are NULL on failure */
        ninvalid++;
    }
    pl_msg_destroy(&m);
    free(in), free(case_id);
}

/* SPEC §3, §4: every message vector, valid and invalid. */
static void test_vectors_messages_s4_8(void **state)
{
    (void)state;
    nvalid = ninvalid = 0;
    int count = each_record("messages.vec", check_msg);
    assert_int_equal(count, nvalid + ninvalid);
    assert_true(ninvalid >= 20);
    assert_true(nvalid >= 5);
}

static void check_log(const tu_rec *r)
{
    size_t n;
    uint8_t *in = unhex(get(r, "hex"), &n);
    char got[1024];
    tu_log_verdict(in, n, got, sizeof got);
    if (strcmp(got, get(r, "expect")) != 0)
        fail_msg("%s: expected %s, got %s", get(r, "name"), get(r, "expect"), got);
    free(in);
}

/* SPEC §6, §8 */
static void test_vectors_logs_s6_7(void **state)
{
    (void)state;
    assert_true(each_record("logs.vec", check_log) >= 10);
}

static void check_proof(const tu_rec *r)
{
    size_t n;
    uint8_t *in = unhex(get(r, "hex"), &n);
    pl_equiv_info info;
    int rc = pl_equiv_proof_verify(in, n, &info);
    if (rc != expected(r))
        fail_msg("%s: expected %s, got %s", get(r, "name"), get(r, "expect"), pl_errname(rc));
    free(in);
}

/* SPEC §7.3 */
static void test_vectors_proofs_s7_3(void **state)
{
    (void)state;
    assert_true(each_record("proofs.vec", check_proof) >= 9);
}

static void check_keyfile(const tu_rec *r)
{
    size_t n;
    uint8_t *in = unhex(get(r, "hex"), &n);
    const char *pass = get(r, "passphrase");
    pl_key *k = NULL;
    int rc = pl_keyfile_open(in, n, pass, strlen(pass), &k);
    if (rc != expected(r))
        fail_msg("%s: expected %s, got %s", get(r, "name"), get(r, "expect"), pl_errname(rc));
    if (rc == PL_OK) {
        size_t pn;
        uint8_t *pk = unhex(get(r, "pk"), &pn);
        assert_memory_equal(pl_key_pk(k), pk, PL_PK_BYTES);
        free(pk);
    }
    pl_key_destroy(&k);
    free(in);
}

static void check_trust(const tu_rec *r)
{
    size_t n;
    const char *name = get(r, "name");
    if (get(r, "endorsement")) {
        uint8_t *in = unhex(get(r, "endorsement"), &n);
        pl_endorsement e;
        int rc = pl_endorsement_verify(in, n, &e);
        free(in);
        if (rc != expected(r))
            fail_msg("%s: expected %s, got %s", name, get(r, "expect"), pl_errname(rc));
        return;
    }
    uint8_t *text = unhex(get(r, "file"), &n);
    pl_trust *t = NULL;
    size_t line;
    assert_int_equal(pl_trust_parse((const char *)text, n, &t, &line), expected(r));
    free(text);
    for (int k = 1; k <= 16; k++) {
        char key[16], role[16], hex[65], want[32];
        unsigned long long at;
        snprintf(key, sizeof key, "check%d", k);
        const char *c = get(r, key);
        if (c == NULL)
            break;
        assert_int_equal(sscanf(c, "%15s %64s %llu %31s", role, hex, &at, want), 4);
        uint8_t pk[32];
        assert_int_equal(tu_unhex(hex, pk, sizeof pk), 32);
        int rc = pl_trust_check(t, pl_role_from_name(role, strlen(role)), pk, at, NULL);
        if (strcmp(rc == PL_OK ? "ok" : pl_errname(rc), want) != 0)
            fail_msg("%s %s: expected %s, got %s", name, key, want, pl_errname(rc));
    }
    pl_trust_free(&t);
}

/* SPEC §16.5 */
static void test_vectors_trust_s16_5(void **state)
{
    (void)state;
    assert_true(each_record("trust.vec", check_trust) >= 7);
}

/* SPEC §2.3 */
static void test_vectors_keyfiles_s2_3(void **state)
{
    (void)state;
    assert_true(each_record("keyfiles.vec", check_keyfile) >= 7);
}

static uint64_t type_from_name(const char *name)
{
    for (uint64_t t = 1; t < 64; t++)
        if (pl_msg_type_name(t) && strcmp(pl_msg_type_name(t), name) == 0)
            return t;
    fail_msg("unknown type name %s", name);
    return 0;
}

static int certs_hashed; /* certificate records whose cert_hash was checked */

static void check_negotiation(const tu_rec *r)
{
    size_t n;
    uint8_t *in = unhex(get(r, "hex"), &n);
    const char *name = get(r, "name");
    if (get(r, "type")) { /* a body on its own */
        pl_body b;
        int rc = pl_body_decode(type_from_name(get(r, "type")), in, n, &b);
        pl_body_free(&b);
        if (rc != expected(r))
            fail_msg("%s: expected %s, got %s", name, get(r, "expect"), pl_errname(rc));
    } else if (get(r, "status")) { /* a whole negotiation: verdicts in log order */
        uint8_t case_id[32];
        size_t off, mlen;
        const uint8_t *m;
        char got[4096] = "";
        assert_int_equal(pl_logfile_open(in, n, case_id, &off), PL_OK);
        pl_case *c = pl_case_new(case_id);
        uint8_t ids[512][PL_ID_BYTES];
        size_t nids = 0;
        while (pl_logfile_next(in, n, &off, &m, &mlen) == PL_OK) {
            pl_msg *msg;
            assert_int_equal(pl_msg_decode(m, mlen, case_id, &msg), PL_OK);
            int added = pl_case_add(c, msg);
            assert_true(added != PL_E_NOMEM && added != PL_E_UNRESOLVED && added != PL_E_ARG);
            assert_true(nids < 512);
            memcpy(ids[nids++], pl_msg_id(msg), PL_ID_BYTES);
            pl_msg_destroy(&msg);
        }
        if (get(r, "proof")) { /* SPEC §13.14: a proof the reader holds too */
            size_t plen;
            uint8_t *proof = unhex(get(r, "proof"), &plen);
            assert_int_equal(pl_case_add_proof(c, proof, plen), PL_OK);
            free(proof);
        }
        /* SPEC §11.3: the verdict of each message once the whole log is
         * judged (a later objection, cut or proof can change it) */
        for (size_t i = 0; i < nids; i++) {
            long at = pl_case_find(c, ids[i]);
            assert_true(at >= 0);
            int rc = pl_case_verdict(c, (size_t)at);
            size_t used = strlen(got);
            snprintf(got + used, sizeof got - used, "%s%s", used ? "," : "",
                     rc ? pl_errname(rc) : "ok");
        }
        if (strcmp(got, get(r, "expect")) != 0)
            fail_msg("%s: verdicts\n  expected %s\n  got      %s", name, get(r, "expect"), got);
        pl_case_status st;
        pl_case_status_get(c, &st);
        assert_string_equal(pl_agreement_state_name(st.state), get(r, "status"));
        pl_case_destroy(&c);
    } else { /* a certificate */
        pl_cert_report rep;
        int rc = pl_cert_verify(in, n, &rep);
        pl_cert_report_free(&rep);
        if (rc != expected(r))
            fail_msg("%s: expected %s, got %s", name, get(r, "expect"), pl_errname(rc));
        /* SPEC §16.6: the hash of the bytes, valid or not */
        if (get(r, "cert_hash")) {
            size_t hn;
            uint8_t h[PL_CERT_HASH_BYTES], *want = unhex(get(r, "cert_hash"), &hn);
            assert_int_equal(hn, PL_CERT_HASH_BYTES);
            assert_int_equal(pl_cert_hash(in, n, h), PL_OK);
            assert_memory_equal(h, want, PL_CERT_HASH_BYTES);
            free(want);
            certs_hashed++;
        }
    }
    free(in);
}

/* SPEC §13, §16.3 */
static void test_vectors_negotiation_s13_21(void **state)
{
    (void)state;
    assert_true(each_record("negotiation.vec", check_negotiation) >= 30);
    assert_int_equal(certs_hashed, 2); /* SPEC §16.6: both certificates carry their hash */
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_keys_s2_2),
        cmocka_unit_test(test_vectors_messages_s4_8),
        cmocka_unit_test(test_vectors_logs_s6_7),
        cmocka_unit_test(test_vectors_proofs_s7_3),
        cmocka_unit_test(test_vectors_keyfiles_s2_3),
        cmocka_unit_test(test_vectors_trust_s16_5),
        cmocka_unit_test(test_vectors_negotiation_s13_21),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
