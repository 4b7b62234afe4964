/* Why a body did not decode (SPEC §13.5; issue 13 §3): pl_body_decode_why
 * names the field by its path from the body's map and says in a sentence
 * what is wrong and what is allowed; its code is always pl_body_decode's.
 * The bodies are packed here as a peer would send them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <msgpack.h>

#include "testutil.h"
#include "world.h"

typedef struct {
    msgpack_sbuffer sb;
    msgpack_packer pk;
} packed;

static void p_init(packed *p)
{
    msgpack_sbuffer_init(&p->sb);
    msgpack_packer_init(&p->pk, &p->sb, msgpack_sbuffer_write);
}

static void p_str(packed *p, const char *s)
{
    msgpack_pack_str(&p->pk, strlen(s));
    msgpack_pack_str_body(&p->pk, s, strlen(s));
}

static void p_bin32(packed *p, uint8_t fill)
{
    uint8_t b[32];
    memset(b, fill, sizeof b);
    msgpack_pack_bin(&p->pk, 32);
    msgpack_pack_bin_body(&p->pk, b, 32);
}

/* Decodes p's bytes as type; the code, the problem in why; both decoders
 * must agree on the code. */
static int decode(uint64_t type, packed *p, pl_body_problem *why)
{
    pl_body b;
    int rc = pl_body_decode_why(type, (const uint8_t *)p->sb.data, p->sb.size, &b, why);
    assert_int_equal(why->code, rc);
    pl_body c;
    assert_int_equal(pl_body_decode(type, (const uint8_t *)p->sb.data, p->sb.size, &c), rc);
    if (rc == PL_OK) {
        pl_body_free(&b);
        pl_body_free(&c);
    } else {
        assert_int_equal(b.type, 0); /* nothing left behind */
    }
    msgpack_sbuffer_destroy(&p->sb);
    return rc;
}

/* A retract body {reasons, stage} with one more key or value changed. */
static void retract(packed *p, const char *stage, int extra_key)
{
    p_init(p);
    msgpack_pack_map(&p->pk, extra_key ? 3 : 2);
    p_str(p, "reasons");
    p_str(p, "the suspect withdraws the plea");
    p_str(p, "stage");
    p_str(p, stage);
    if (extra_key) {
        p_str(p, "zzz");
        msgpack_pack_uint64(&p->pk, 1);
    }
}

static void test_body_ok_says_nothing_s13_5(void **state)
{
    (void)state;
    packed p;
    pl_body_problem why;
    retract(&p, "review", 0);
    assert_int_equal(decode(PL_T_RETRACT, &p, &why), PL_OK);
    assert_string_equal(why.field, "");
    assert_string_equal(why.detail, "");
    assert_string_equal(why.section, "");
}

static void test_body_unknown_key_named_s13_5(void **state)
{
    (void)state;
    packed p;
    pl_body_problem why;
    retract(&p, "review", 1);
    assert_int_equal(decode(PL_T_RETRACT, &p, &why), PL_E_BODY);
    assert_string_equal(why.section, "13.5");
    assert_int_equal(why.reason, PL_BODY_WHY_UNKNOWN_KEY);
    assert_string_equal(why.field, "zzz");
    assert_string_equal(why.detail, "is not a key of this body");
    /* an empty key (found by fuzz_body: its bytes were copied from NULL) */
    p_init(&p);
    msgpack_pack_map(&p.pk, 1);
    p_str(&p, "");
    msgpack_pack_uint64(&p.pk, 1);
    assert_int_equal(decode(PL_T_CLOSE, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "\"\"");
    /* a long key is cut to whole characters (it goes into JSON): 29 z and
     * a three-byte 中 would make 32 bytes, one past the room */
    p_init(&p);
    msgpack_pack_map(&p.pk, 1);
    p_str(&p, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzz\xe4\xb8\xad");
    msgpack_pack_uint64(&p.pk, 1);
    assert_int_equal(decode(PL_T_CLOSE, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
}

static void test_body_enumeration_lists_words_s13_5(void **state)
{
    (void)state;
    packed p;
    pl_body_problem why;
    retract(&p, "appeal", 0);
    assert_int_equal(decode(PL_T_RETRACT, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "stage");
    assert_int_equal(why.reason, PL_BODY_WHY_WORD);
    assert_string_equal(why.allowed, "review or trial");
    assert_string_equal(why.detail, "must be review or trial");
    /* an opinion's topic: every word, in the table's order */
    p_init(&p);
    msgpack_pack_map(&p.pk, 2);
    p_str(&p, "text");
    p_str(&p, "leniency");
    p_str(&p, "topic");
    p_str(&p, "weather");
    assert_int_equal(decode(PL_T_OPINION, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "topic");
    assert_string_equal(why.detail, "must be facts, charges, sentence, procedure, compensation, "
                                    "forgiveness or other");
}

static void test_body_kind_and_missing_named_s13_5(void **state)
{
    (void)state;
    packed p;
    pl_body_problem why;
    /* a response's decision as a number, its reasons missing */
    p_init(&p);
    msgpack_pack_map(&p.pk, 2);
    p_str(&p, "answers");
    p_bin32(&p, 1);
    p_str(&p, "decision");
    msgpack_pack_uint64(&p.pk, 2);
    assert_int_equal(decode(PL_T_RESPONSE, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "decision");
    assert_int_equal(why.reason, PL_BODY_WHY_KIND);
    assert_string_equal(why.detail, "must be a string of 1 to 64 bytes");
    p_init(&p);
    msgpack_pack_map(&p.pk, 2);
    p_str(&p, "answers");
    p_bin32(&p, 1);
    p_str(&p, "decision");
    p_str(&p, "adopted");
    assert_int_equal(decode(PL_T_RESPONSE, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "reasons");
    assert_int_equal(why.reason, PL_BODY_WHY_MISSING);
    assert_string_equal(why.detail, "is required and missing");
    /* a text with a NUL */
    p_init(&p);
    msgpack_pack_map(&p.pk, 1);
    p_str(&p, "note");
    msgpack_pack_str(&p.pk, 3);
    msgpack_pack_str_body(&p.pk, "a\0b", 3);
    assert_int_equal(decode(PL_T_ATTESTATION, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "note");
    assert_string_equal(why.detail, "must not contain a NUL character");
}

/* A participant of a charter, packed: {key, name, role} and, when given,
 * birth and nationality. */
static void participant(packed *p, uint8_t key, const char *role, uint64_t birth, const char *nat)
{
    msgpack_pack_map(&p->pk, 3 + (birth != 0) + (nat != NULL));
    if (birth) {
        p_str(p, "birth");
        msgpack_pack_uint64(&p->pk, birth);
    }
    p_str(p, "key");
    p_bin32(p, key);
    p_str(p, "name");
    p_str(p, role);
    if (nat) {
        p_str(p, "nationality");
        p_str(p, nat);
    }
    p_str(p, "role");
    p_str(p, role);
}

static void charter(packed *p, uint64_t birth, const char *nat, const char *who)
{
    p_init(p);
    msgpack_pack_map(&p->pk, 3);
    p_str(p, "case_nonce");
    p_bin32(p, 7);
    p_str(p, "participants");
    msgpack_pack_array(&p->pk, 3);
    participant(p, 1, "prosecution", 0, NULL);
    participant(p, 2, who, birth, nat);
    participant(p, 3, "counsel", 0, NULL);
    p_str(p, "title");
    p_str(p, "a case");
}

static void test_body_nested_field_path_s13_2(void **state)
{
    (void)state;
    packed p;
    pl_body_problem why;
    charter(&p, 20080314, "CHN", "suspect");
    assert_int_equal(decode(PL_T_CHARTER, &p, &why), PL_OK);
    charter(&p, 20230230, "CHN", "suspect"); /* no 30 February */
    assert_int_equal(decode(PL_T_CHARTER, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "participants[1].birth");
    assert_non_null(strstr(why.detail, "YYYYMMDD"));
    charter(&p, 20080314, "chn", "suspect");
    assert_int_equal(decode(PL_T_CHARTER, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "participants[1].nationality");
    assert_non_null(strstr(why.detail, "alpha-3"));
    charter(&p, 20080314, NULL, "victim"); /* particulars are the suspect's */
    assert_int_equal(decode(PL_T_CHARTER, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "participants[1].birth");
    assert_int_equal(why.reason, PL_BODY_WHY_NOT_HERE);
    assert_string_equal(why.detail, "belongs only to the suspect's entry");
    /* an element that is not a map is named itself, without a dot */
    p_init(&p);
    msgpack_pack_map(&p.pk, 3);
    p_str(&p, "case_nonce");
    p_bin32(&p, 7);
    p_str(&p, "participants");
    msgpack_pack_array(&p.pk, 2);
    participant(&p, 1, "prosecution", 0, NULL);
    msgpack_pack_uint64(&p.pk, 5);
    p_str(&p, "title");
    p_str(&p, "a case");
    assert_int_equal(decode(PL_T_CHARTER, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "participants[1]");
    assert_int_equal(why.reason, PL_BODY_WHY_SHAPE);
    charter(&p, 0, NULL, "judge");
    assert_int_equal(decode(PL_T_CHARTER, &p, &why), PL_E_BODY);
    assert_string_equal(why.field, "participants[1].role");
    assert_non_null(strstr(why.detail, "prosecution, suspect, counsel"));
    assert_null(strstr(why.detail, "none"));
}

/* An offer's terms refused: the field is "terms", the code and words the
 * terms' own (SPEC §15.6). */
static void test_body_offer_terms_problem_s15_6(void **state)
{
    (void)state;
    world w;
    w_init(&w, 0);
    /* 7 months of detention: over art. 42's 6 */
    pl_body o = wb_offer(&w, PL_PENALTY_DETENTION, 7, 0, 0, NULL);
    /* packed by hand: the encoder refuses to write what a receiver refuses */
    packed p;
    p_init(&p);
    msgpack_pack_map(&p.pk, 1);
    p_str(&p, "terms");
    msgpack_sbuffer_write(&p.sb, (const char *)o.u.offer.terms, o.u.offer.terms_len);
    const uint8_t *buf = (const uint8_t *)p.sb.data;
    size_t n = p.sb.size;
    pl_body b;
    pl_body_problem why;
    pl_terms_problem tp;
    pl_terms t;
    int rc = pl_body_decode_why(PL_T_OFFER, buf, n, &b, &why);
    assert_int_equal(rc, PL_E_TERMS_DETENTION);
    assert_int_equal(why.code, rc);
    assert_string_equal(why.field, "terms");
    assert_int_equal(why.reason, PL_BODY_WHY_TERMS);
    assert_int_equal(pl_terms_decode(o.u.offer.terms, o.u.offer.terms_len, &t, &tp), rc);
    assert_string_equal(why.detail, tp.detail);
    assert_string_equal(why.section, tp.section);
    msgpack_sbuffer_destroy(&p.sb);
    w_free(&w);
}

static void test_body_unknown_type_s5(void **state)
{
    (void)state;
    packed p;
    pl_body_problem why;
    retract(&p, "review", 0);
    assert_int_equal(decode(9999, &p, &why), PL_E_MSG_TYPE);
    assert_string_equal(why.detail, "9999 is not a message type of this version");
    assert_string_equal(why.section, "4.5");
    /* and bytes that are no MessagePack at all */
    pl_body b;
    static const uint8_t junk[] = {0xc1};
    int rc = pl_body_decode_why(PL_T_CLOSE, junk, sizeof junk, &b, &why);
    assert_int_equal(rc, why.code);
    assert_int_equal(rc, PL_E_FORBIDDEN_TYPE);
    assert_true(why.detail[0] != '\0');
}

int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_ok_says_nothing_s13_5),
        cmocka_unit_test(test_body_unknown_key_named_s13_5),
        cmocka_unit_test(test_body_enumeration_lists_words_s13_5),
        cmocka_unit_test(test_body_kind_and_missing_named_s13_5),
        cmocka_unit_test(test_body_nested_field_path_s13_2),
        cmocka_unit_test(test_body_offer_terms_problem_s15_6),
        cmocka_unit_test(test_body_unknown_type_s5),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
