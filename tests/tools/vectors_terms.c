/* parley-vectors, part two: spec/vectors/terms.vec (SPEC §15, format §11.2).
 *
 * Each record is written from a one-line JSON description, packed by
 * tu_json_msgpack into msgpack in the key order written (so the valid ones
 * are sorted by hand, and an unsorted one can be made on purpose), not by the
 * library's encoder. The library must then agree: the expected verdict from
 * pl_terms_decode, and for valid records the same bytes back from
 * pl_terms_encode, so the encoder is checked against an encoding made without
 * it. The cases are those of /work/shared/CASES.md and every limit of SPEC
 * §15.4 just inside and just outside. Also seeds fuzz/corpus/fuzz_terms.
 * Called from gen_vectors.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "testutil.h"

void gen_terms_vectors(const char *dir, const char *corpus_root);

static FILE *out;
static const char *corpus_root_dir;
static int nvalid, ninvalid;

static void die(const char *what, const char *name)
{
    fprintf(stderr, "parley-vectors: terms vector %s: %s\n", name, what);
    exit(1);
}

/* The record's JSON packed by tu_json_msgpack (testutil.c); caller frees. */
static uint8_t *pack_json(const char *name, const char *json, size_t *len)
{
    const char *why;
    uint8_t *b = tu_json_msgpack(json, len, &why);
    if (b == NULL)
        die(why, name);
    return b;
}

/* ---- records ------------------------------------------------------------ */

static void hexline(const char *key, const uint8_t *b, size_t n)
{
    tu_hexline(out, key, b, n);
}

static void seed(const char *name, const uint8_t *b, size_t n)
{
    if (tu_seed(corpus_root_dir, "fuzz_terms", name, -1, b, n) != 0)
        die("cannot write the corpus file", name);
}

/* Checks bytes against the library, then writes the record. json may be
 * NULL for inputs given as bytes. */
static void record_bytes(const char *name, const char *section, const char *desc, const char *json,
                         const uint8_t *b, size_t n, int expect)
{
    static pl_terms t;
    static uint8_t again[PL_TERMS_MAX_BYTES];
    pl_terms_problem why;
    char text[PL_TERMS_TEXT_MAX];
    uint8_t hash[PL_HASH_BYTES];
    size_t alen;

    int rc = pl_terms_decode(b, n, &t, &why);
    if (rc != expect) {
        fprintf(stderr, "terms vector %s: expected %s, library says %s: %s\n", name,
                expect == PL_OK ? "ok" : pl_errname(expect), pl_errname(rc), why.detail);
        die("vector disagrees with the library", name);
    }
    if (rc == PL_OK) {
        /* The encoder must produce exactly the bytes packed here by hand. */
        if (pl_terms_encode(&t, again, sizeof again, &alen) != PL_OK || alen != n ||
            memcmp(again, b, n) != 0)
            die("pl_terms_encode does not give back the same bytes", name);
        if (pl_terms_format(&t, text, sizeof text) != PL_OK)
            die("format", name);
        pl_terms_hash(b, n, hash);
    } else if (why.code != rc || why.detail[0] == '\0') {
        die("no problem detail for a refusal", name);
    }
    fputc('\n', out);
    fprintf(out, "name: %s\nsection: %s\ndescription: %s\nexpect: %s\n", name, section, desc,
            rc == PL_OK ? "ok" : pl_errname(rc));
    /* Informative, for people; only where the description is plain JSON. */
    if (json != NULL && strlen(json) < 800 && strchr(json, '@') == NULL &&
        strstr(json, "\\x") == NULL)
        fprintf(out, "json: %s\n", json);
    hexline("hex", b, n);
    if (rc == PL_OK) {
        hexline("hash", hash, sizeof hash);
        fprintf(out, "text: %s\n", text);
        nvalid++;
    } else {
        ninvalid++;
    }
    seed(name, b, n);
}

static void record(const char *name, const char *section, const char *desc, const char *json,
                   int expect)
{
    size_t n;
    uint8_t *b = pack_json(name, json, &n);
    record_bytes(name, section, desc, json, b, n, expect);
    free(b);
}

/* ---- the vectors -------------------------------------------------------- */

/* Charges. */
/* A charge whose article the catalogue (SPEC §15.7) does not list, so that
 * row 19 leaves it alone: the vectors of the general rows (kinds, limits,
 * probation, additional penalties) test those rows only. */
#define DD "[{\"article\":\"128\",\"name\":\"illegal possession of firearms 非法持有枪支罪\"}]"
/* Dangerous driving (Case 1), which the catalogue does list. */
#define DDR "[{\"article\":\"133-1\",\"name\":\"dangerous driving 危险驾驶罪\"}]"
#define HX "[{\"article\":\"287-2\",\"name\":\"aiding information-network criminal activities\"}]"
#define INJ "[{\"article\":\"234\",\"name\":\"intentional injury 故意伤害罪\"}]"
#define TWO "[{\"article\":\"266\",\"name\":\"fraud\"},{\"article\":\"263\",\"name\":\"robbery\"}]"
#define TWO_T(a, b)                                                                                \
    "[{\"article\":\"266\",\"name\":\"fraud\",\"term\":" #a "},"                                   \
    "{\"article\":\"263\",\"name\":\"robbery\",\"term\":" #b "}]"
#define THREE_T(a, b, c)                                                                           \
    "[{\"article\":\"232\",\"name\":\"intentional homicide\",\"term\":" #a "},"                    \
    "{\"article\":\"263\",\"name\":\"robbery\",\"term\":" #b "},"                                  \
    "{\"article\":\"347\",\"name\":\"drug trafficking\",\"term\":" #c "}]"

/* Facts. */
#define FACTS0 "\"The facts the suspect acknowledges (a fixture).\""
#define FACTS1                                                                                     \
    "\"On 3 March 2026 the suspect drove a car on a public road with a blood alcohol content "     \
    "of 150 mg/100 ml; no accident; confessed at once.\""
#define FACTS2                                                                                     \
    "\"The suspect rented out two bank cards used for fraud and gained 8,000 yuan, returned "      \
    "in full; surrendered.\""
#define FACTS3 "\"A fight in which the victim suffered a minor injury (grade 2).\""

/* Penalties. */
#define DET(n) "{\"kind\":\"detention\",\"max\":" #n ",\"min\":" #n "}"
#define IMP(lo, hi) "{\"kind\":\"imprisonment\",\"max\":" #hi ",\"min\":" #lo "}"
#define SUR(lo, hi) "{\"kind\":\"surveillance\",\"max\":" #hi ",\"min\":" #lo "}"
#define LIFE "{\"kind\":\"life\"}"
#define EXEMPT "{\"kind\":\"exemption\"}"
#define ALONE "{\"kind\":\"additional\"}"
#define THEFT "[{\"article\":\"264\",\"name\":\"theft 盗窃罪\"}]"
#define CARD "[{\"article\":\"196\",\"name\":\"credit-card fraud 信用卡诈骗罪\"}]"
#define CARD1 "[{\"article\":\"196\",\"bracket\":1,\"name\":\"credit-card fraud 信用卡诈骗罪\"}]"

/* Terms: charges; then keys sorting between "charges" and "facts" (a:
 * confiscation, deportation); the fixed facts; keys between "facts" and
 * "penalty" (b: fine, grounds, grounds_text); the penalty; keys between
 * "penalty" and "procedure" (c: political_rights, probation); the procedure;
 * keys after it (d: recidivist, ringleader). Each piece starts with ",". */
#define T_F(ch, a, facts, b, pen, c, proc, d)                                                      \
    "{\"charges\":" ch a ",\"facts\":" facts b ",\"penalty\":" pen c ",\"procedure\":\"" proc      \
    "\"" d "}"
#define T(ch, a, b, pen, c, proc, d) T_F(ch, a, FACTS0, b, pen, c, proc, d)
#define T1(ch, a, b, pen, c, proc, d) T_F(ch, a, FACTS1, b, pen, c, proc, d)

static void gen_cases(void)
{
    /* CASES.md, Case 1. */
    record("valid-case1-offer", "15.2",
           "Case 1 offer: detention 3 months, fine 5,000 yuan, no probation, speedy trial",
           T1(DDR, "", ",\"fine\":500000,\"grounds\":[\"confession\"]", DET(3), "", "speedy", ""),
           PL_OK);
    record("valid-case1-counter", "15.4",
           "Case 1 counter-offer: detention 2 months, probation 4 months, fine 3,000 yuan",
           T1(DDR, "",
              ",\"fine\":300000,\"grounds\":[\"confession\"],\"grounds_text\":\"immediate "
              "confession; clean record\"",
              DET(2), ",\"probation\":4", "speedy", ""),
           PL_OK);
    record("valid-case1-final", "15.4",
           "Case 1 agreement: detention 2 months, probation 3 months, fine 4,000 yuan, speedy "
           "trial",
           T1(DDR, "", ",\"fine\":400000,\"grounds\":[\"confession\"]", DET(2), ",\"probation\":3",
              "speedy", ""),
           PL_OK);
    record("invalid-case1-detention-7", "15.4", "Case 1 with detention 7 months (max 6, art. 42)",
           T1(DDR, "", ",\"fine\":400000", DET(7), "", "speedy", ""), PL_E_TERMS_DETENTION);
    record("invalid-case1-probation-1", "15.4",
           "Case 1 with a probation period of 1 month (min 2 for detention, art. 73)",
           T1(DDR, "", ",\"fine\":400000", DET(1), ",\"probation\":1", "speedy", ""),
           PL_E_TERMS_PROBATION_PERIOD);
    record("invalid-case1-probation-14", "15.4",
           "Case 1 with a probation period of 14 months (max 12 for detention, art. 73)",
           T1(DDR, "", ",\"fine\":400000", DET(2), ",\"probation\":14", "speedy", ""),
           PL_E_TERMS_PROBATION_PERIOD);
    record("invalid-case1-fine-negative", "15.2",
           "Case 1 with a fine of -1: the fine's error, not a type error",
           T1(DDR, "", ",\"fine\":-1", DET(2), ",\"probation\":3", "speedy", ""), PL_E_TERMS_FINE);

    /* Case 2. */
    record("valid-case2-offer", "15.2", "Case 2 offer: imprisonment 10 months, fine 10,000 yuan",
           "{\"charges\":" HX ",\"facts\":" FACTS2 ",\"fine\":1000000,\"grounds\":[\"restitution\","
           "\"surrender\"],\"penalty\":" IMP(10, 10) ",\"procedure\":\"speedy\"}",
           PL_OK);
    record("valid-case2-counter", "15.4",
           "Case 2 counter-offer: imprisonment 8 months, probation 12 months, fine 5,000 yuan",
           "{\"charges\":" HX ",\"facts\":" FACTS2 ",\"fine\":500000,\"grounds\":[\"restitution\","
           "\"surrender\"],\"penalty\":" IMP(8, 8) ",\"probation\":12,\"procedure\":\"speedy\"}",
           PL_OK);
    record("valid-case2-final", "15.4",
           "Case 2 agreement: imprisonment 9 months, probation 12 months, fine 8,000 yuan, "
           "speedy trial",
           "{\"charges\":" HX ",\"facts\":" FACTS2 ",\"fine\":800000,\"grounds\":[\"restitution\","
           "\"surrender\"],\"penalty\":" IMP(9, 9) ",\"probation\":12,\"procedure\":\"speedy\"}",
           PL_OK);
    record("invalid-case2-probation-10", "15.4",
           "Case 2 with a probation period of 10 months (min 12 for imprisonment, art. 73)",
           "{\"charges\":" HX ",\"facts\":" FACTS2
           ",\"fine\":800000,\"penalty\":" IMP(9, 9) ",\"probation\":10,\"procedure\":\"speedy\"}",
           PL_E_TERMS_PROBATION_PERIOD);
    record("invalid-case2-speedy-48", "15.4",
           "Case 2 with speedy trial and 48 months of imprisonment (CPL art. 222: up to 36)",
           "{\"charges\":" HX ",\"facts\":" FACTS2
           ",\"penalty\":" IMP(48, 48) ",\"procedure\":\"speedy\"}",
           PL_E_TERMS_SPEEDY_TRIAL);

    /* Case 3. */
    record("valid-case3-range", "15.4", "Case 3 offer: a range, imprisonment 8 to 12 months",
           "{\"charges\":" INJ ",\"facts\":" FACTS3
           ",\"penalty\":" IMP(8, 12) ",\"procedure\":\"summary\"}",
           PL_OK);
    record("valid-case3-final", "15.4",
           "Case 3 agreement: imprisonment 8 months, probation 12 months, after compensation "
           "and forgiveness",
           "{\"charges\":" INJ ",\"facts\":" FACTS3 ",\"grounds\":[\"compensation\",\"confession\","
           "\"forgiveness\"],\"grounds_text\":\"50,000 yuan paid; the victim's letter of "
           "forgiveness\",\"penalty\":" IMP(8, 8) ",\"probation\":12,\"procedure\":\"summary\"}",
           PL_OK);
}

static void gen_limits(void)
{
    /* Main penalties (arts. 38, 42, 45), one crime. */
    record("valid-detention-1", "15.4", "criminal detention of 1 month, the minimum",
           T(DD, "", "", DET(1), "", "speedy", ""), PL_OK);
    record("invalid-detention-0", "15.4", "criminal detention of 0 months",
           T(DD, "", "", DET(0), "", "speedy", ""), PL_E_TERMS_DETENTION);
    record("valid-detention-6", "15.4", "criminal detention of 6 months, the maximum for one crime",
           T(DD, "", "", DET(6), "", "speedy", ""), PL_OK);
    record("valid-surveillance-3-24", "15.4", "public surveillance 3 to 24 months: both limits",
           T(DD, "", "", SUR(3, 24), "", "summary", ""), PL_OK);
    record("invalid-surveillance-2", "15.4", "public surveillance of 2 months (min 3)",
           T(DD, "", "", SUR(2, 2), "", "summary", ""), PL_E_TERMS_SURVEILLANCE);
    record("invalid-surveillance-25", "15.4", "public surveillance of 25 months (max 24)",
           T(DD, "", "", SUR(25, 25), "", "summary", ""), PL_E_TERMS_SURVEILLANCE);
    record("valid-imprisonment-6-180", "15.4", "imprisonment 6 to 180 months: both limits",
           T(INJ, "", "", IMP(6, 180), "", "ordinary", ""), PL_OK);
    record("invalid-imprisonment-5", "15.4", "imprisonment of 5 months (min 6)",
           T(INJ, "", "", IMP(5, 5), "", "ordinary", ""), PL_E_TERMS_IMPRISONMENT);
    record("invalid-imprisonment-181", "15.4", "imprisonment of 181 months for one crime (max 180)",
           T(INJ, "", "", IMP(181, 181), "", "ordinary", ""), PL_E_TERMS_IMPRISONMENT);
    record("invalid-range-reversed", "15.4", "a range from 12 down to 8 months",
           T(INJ, "", "", IMP(12, 8), "", "ordinary", ""), PL_E_TERMS_PENALTY_RANGE);

    /* Several crimes (art. 69). */
    record("valid-combined-detention-12", "15.4",
           "two crimes: detention 12 months, the combined "
           "maximum",
           T(TWO, "", "", DET(12), "", "summary", ""), PL_OK);
    record("invalid-combined-detention-13", "15.4", "two crimes: detention 13 months (max 12)",
           T(TWO, "", "", DET(13), "", "summary", ""), PL_E_TERMS_DETENTION);
    record("valid-combined-surveillance-36", "15.4", "two crimes: surveillance 36 months",
           T(TWO, "", "", SUR(36, 36), "", "speedy", ""), PL_OK);
    record("invalid-combined-surveillance-37", "15.4",
           "two crimes: surveillance 37 months "
           "(max 36)",
           T(TWO, "", "", SUR(37, 37), "", "summary", ""), PL_E_TERMS_SURVEILLANCE);
    record("valid-combined-imprisonment-240", "15.4",
           "two crimes, no individual terms: "
           "imprisonment 240 months",
           T(TWO, "", "", IMP(240, 240), "", "ordinary", ""), PL_OK);
    record("invalid-combined-imprisonment-241", "15.4",
           "two crimes, no individual terms: "
           "imprisonment 241 months (max 240)",
           T(TWO, "", "", IMP(241, 241), "", "ordinary", ""), PL_E_TERMS_IMPRISONMENT);
    record("valid-combined-imprisonment-300", "15.4",
           "three crimes whose terms total 420 "
           "months: imprisonment 300 months",
           T(THREE_T(180, 180, 60), "", "", IMP(300, 300), "", "ordinary", ""), PL_OK);
    record("invalid-combined-imprisonment-301", "15.4",
           "three crimes whose terms total 420 "
           "months: imprisonment 301 months (max 300)",
           T(THREE_T(180, 180, 60), "", "", IMP(301, 301), "", "ordinary", ""),
           PL_E_TERMS_IMPRISONMENT);
    record("invalid-combined-imprisonment-total-419", "15.4",
           "three crimes whose terms total "
           "419 months: imprisonment 241 months (max 240)",
           T(THREE_T(180, 180, 59), "", "", IMP(241, 241), "", "ordinary", ""),
           PL_E_TERMS_IMPRISONMENT);
    record("valid-combined-span", "15.4",
           "terms of 6 and 12 months: combined 12 to 18 months, "
           "from the longest to the total",
           T(TWO_T(6, 12), "", "", IMP(12, 18), "", "summary", ""), PL_OK);
    record("invalid-combined-below-longest", "15.4",
           "terms of 6 and 12 months: combined from "
           "11 months",
           T(TWO_T(6, 12), "", "", IMP(11, 18), "", "summary", ""), PL_E_TERMS_COMBINED_SPAN);
    record("invalid-combined-above-total", "15.4",
           "terms of 6 and 12 months: combined up to "
           "19 months",
           T(TWO_T(6, 12), "", "", IMP(12, 19), "", "summary", ""), PL_E_TERMS_COMBINED_SPAN);
    record("invalid-charge-term-one-charge", "15.4", "an individual term with only one charge",
           T("[{\"article\":\"133-1\",\"name\":\"dangerous driving\",\"term\":2}]", "", "", DET(2),
             "", "speedy", ""),
           PL_E_TERMS_CHARGE_TERM);
    record("invalid-charge-term-181", "15.4", "an individual term of 181 months of imprisonment",
           T(TWO_T(181, 12), "", "", IMP(200, 200), "", "ordinary", ""), PL_E_TERMS_CHARGE_TERM);
    record("invalid-charge-term-with-life", "15.4", "individual terms with life imprisonment",
           T(TWO_T(180, 12), "", "", LIFE, "", "ordinary", ""), PL_E_TERMS_CHARGE_TERM);
    record("invalid-charge-term-negative", "15.2", "an individual term of -6 months",
           T(TWO_T(-6, 12), "", "", IMP(12, 12), "", "ordinary", ""), PL_E_TERMS_CHARGE_TERM);

    /* Exemption and life. */
    record("valid-exemption", "15.4", "exemption from criminal punishment, summary procedure",
           T(DD, "", ",\"grounds\":[\"confession\",\"other\"],\"grounds_text\":\"first offence\"",
             EXEMPT, "", "summary", ""),
           PL_OK);
    record("invalid-exemption-fine", "15.4", "exemption from punishment with a fine",
           T(DD, "", ",\"fine\":100000", EXEMPT, "", "summary", ""), PL_E_TERMS_EXEMPTION);
    record("invalid-exemption-deportation", "15.4", "exemption from punishment with deportation",
           T(DD, ",\"deportation\":true", "", EXEMPT, "", "summary", ""), PL_E_TERMS_EXEMPTION);
    /* Additional penalties alone (version 2, row 15): 单处罚金. */
    record("valid-fine-alone-287-2", "15.4",
           "Case 2's lawful alternative: a fine alone of 10,000 yuan for art. 287-2, speedy trial",
           T(HX, "", ",\"fine\":1000000,\"grounds\":[\"confession\"]", ALONE, "", "speedy", ""),
           PL_OK);
    record("valid-fine-alone-minor-theft", "15.4",
           "Case 4: a minor's theft, a fine alone of 1,000 yuan, summary procedure",
           T(THEFT, "", ",\"fine\":100000,\"grounds\":[\"compensation\",\"confession\"]", ALONE, "",
             "summary", ""),
           PL_OK);
    record("valid-political-rights-alone", "15.4",
           "deprivation of political rights alone, 12 months (单处剥夺政治权利)",
           T(TWO, "", "", ALONE, ",\"political_rights\":12", "ordinary", ""), PL_OK);
    record("valid-deportation-alone", "15.4", "deportation alone (art. 35)",
           T(DD, ",\"deportation\":true", "", ALONE, "", "summary", ""), PL_OK);
    record("invalid-additional-none", "15.4",
           "additional penalties alone with none given (that would be exemption)",
           T(HX, "", "", ALONE, "", "speedy", ""), PL_E_TERMS_ADDITIONAL);
    record("invalid-additional-probation", "15.4", "a fine alone with probation (row 8 first)",
           T(HX, "", ",\"fine\":1000000", ALONE, ",\"probation\":12", "speedy", ""),
           PL_E_TERMS_PROBATION_KIND);
    record("invalid-additional-term", "15.2", "a fine alone with a term in months",
           T(HX, "", ",\"fine\":1000000", "{\"kind\":\"additional\",\"max\":2,\"min\":2}", "",
             "speedy", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-additional-fine-zero", "15.4", "a fine alone of 0 yuan (row 11 first)",
           T(HX, "", ",\"fine\":0", ALONE, "", "speedy", ""), PL_E_TERMS_FINE);
    /* Custody credit (version 2, row 16, SPEC §15.5). */
    /* Row 19 (v2): the charge catalogue (SPEC §15.7). */
#define INJ_B(n) "[{\"article\":\"234\",\"bracket\":" #n ",\"name\":\"intentional injury 故意伤害罪\"}]"
    record("valid-article-dangerous-driving", "15.7",
           "Case 1: dangerous driving, bracket 1 named, 3 months of detention and a fine",
           T("[{\"article\":\"133-1\",\"bracket\":1,\"name\":\"dangerous driving 危险驾驶罪\"}]", "",
             ",\"fine\":500000", DET(3), "", "speedy", ""),
           PL_OK);
    record("invalid-article-dangerous-driving-imprisonment", "15.7",
           "dangerous driving is punished with detention only: 6 months of imprisonment",
           T(DDR, "", ",\"fine\":500000", IMP(6, 6), "", "summary", ""), PL_E_TERMS_ARTICLE);
    record("invalid-article-287-2-48", "15.7",
           "Case 2: 48 months for art. 287-2, whose only bracket ends at 36 months",
           T(HX, "", "", IMP(48, 48), "", "ordinary", ""), PL_E_TERMS_ARTICLE);
    record("valid-article-234-bracket-1", "15.7",
           "art. 234 bracket 1 (minor injury): 12 months of imprisonment",
           T(INJ_B(1), "", "", IMP(12, 12), "", "summary", ""), PL_OK);
    record("invalid-article-234-bracket-1-48", "15.7",
           "art. 234 bracket 1 (minor injury) ends at 36 months: 48 months refused, the article named",
           T(INJ_B(1), "", "", IMP(48, 48), "", "ordinary", ""), PL_E_TERMS_ARTICLE);
    record("valid-article-234-48", "15.7",
           "art. 234 without a bracket: 48 months is within the article (bracket 2)",
           T(INJ, "", "", IMP(48, 48), "", "ordinary", ""), PL_OK);
    record("valid-article-234-bracket-2-below-floor", "15.7",
           "art. 234 bracket 2 (serious injury) with 24 months: floors are not checked (a "
           "statutory ground for a lighter sentence, art. 63, is the court's to review)",
           T(INJ_B(2), "", ",\"grounds\":[\"surrender\"]", IMP(24, 24), "", "ordinary", ""),
           PL_OK);
    record("invalid-article-bracket-unknown", "15.7",
           "art. 234 has three brackets: bracket 4",
           T(INJ_B(4), "", "", IMP(12, 12), "", "summary", ""), PL_E_TERMS_ARTICLE);
    record("invalid-article-bracket-0", "15.7", "brackets are numbered from 1: bracket 0",
           T(INJ_B(0), "", "", IMP(12, 12), "", "summary", ""), PL_E_TERMS_ARTICLE);
    record("valid-article-detention-bracket-2", "15.7",
           "art. 234 bracket 2 with 6 months of detention: a lighter bracket's kind of the same "
           "crime is reachable by a lighter sentence (art. 63)",
           T(INJ_B(2), "", ",\"grounds\":[\"surrender\"]", DET(6), "", "summary", ""), PL_OK);
    record("invalid-article-277-police-fine-alone", "15.7",
           "assaulting a police officer (art. 277 bracket 2, ¶5) provides no fine alone, unlike "
           "obstructing official duties (bracket 1, ¶1)",
           T("[{\"article\":\"277\",\"bracket\":2,\"name\":\"袭警罪\"}]", "", ",\"fine\":500000", ALONE,
             "", "summary", ""),
           PL_E_TERMS_ARTICLE);
    record("valid-article-277-fine-alone", "15.7",
           "obstructing official duties (art. 277 bracket 1): a fine alone (或者罚金)",
           T("[{\"article\":\"277\",\"bracket\":1,\"name\":\"妨害公务罪\"}]", "", ",\"fine\":500000",
             ALONE, "", "summary", ""),
           PL_OK);
    record("invalid-article-280-fine-alone", "15.7",
           "art. 280 provides deprivation of political rights alone (with a fine), never a fine alone",
           T("[{\"article\":\"280\",\"bracket\":4,\"name\":\"伪造身份证件罪\"}]", "", ",\"fine\":500000",
             ALONE, "", "summary", ""),
           PL_E_TERMS_ARTICLE);
    record("valid-article-280-rights-alone", "15.7",
           "art. 280 ¶3 (identity documents, bracket 4): deprivation of political rights alone, with "
           "a fine",
           T("[{\"article\":\"280\",\"bracket\":4,\"name\":\"伪造身份证件罪\"}]", "", ",\"fine\":500000",
             ALONE, ",\"political_rights\":12", "summary", ""),
           PL_OK);
    record("invalid-article-280-identity-90", "15.7",
           "forging identity documents, serious (art. 280 bracket 5, ¶3) ends at 84 months",
           T("[{\"article\":\"280\",\"bracket\":5,\"name\":\"伪造身份证件罪\"}]", "", "", IMP(90, 90), "",
             "ordinary", ""),
           PL_E_TERMS_ARTICLE);
    record("invalid-article-347-exemption", "15.7",
           "drug trafficking is punished whatever the amount (art. 347 ¶1): no exemption",
           T("[{\"article\":\"347\",\"bracket\":1,\"name\":\"贩卖毒品罪\"}]", "", "", EXEMPT, "",
             "summary", ""),
           PL_E_TERMS_ARTICLE);
    record("invalid-article-confiscation-alone", "15.7",
           "no article of the catalogue provides confiscation alone: theft",
           T(THEFT, ",\"confiscation\":\"part\"", "", ALONE, "", "summary", ""), PL_E_TERMS_ARTICLE);
    record("invalid-article-several-crimes-kind", "15.7",
           "two crimes of dangerous driving punished together with imprisonment, which neither "
           "article provides (art. 69)",
           T("[{\"article\":\"133-1\",\"name\":\"危险驾驶罪\"},{\"article\":\"133-1\",\"name\":"
             "\"危险驾驶罪\"}]",
             "", ",\"fine\":500000", IMP(8, 8), "", "summary", ""),
           PL_E_TERMS_ARTICLE);
    record("invalid-article-fine-alone-robbery", "15.7",
           "robbery (art. 263) provides no fine alone",
           T("[{\"article\":\"263\",\"name\":\"robbery 抢劫罪\"}]", "", ",\"fine\":1000000", ALONE,
             "", "summary", ""),
           PL_E_TERMS_ARTICLE);
    record("invalid-article-several-crimes-term", "15.7",
           "several crimes: art. 287-2's own term of 48 months exceeds its bracket",
           T("[{\"article\":\"266\",\"name\":\"fraud\",\"term\":12},{\"article\":\"287-2\",\"name\":"
             "\"aiding information-network criminal activities\",\"term\":48}]",
             "", "", IMP(48, 60), "", "ordinary", ""),
           PL_E_TERMS_ARTICLE);
    record("valid-article-uncatalogued", "15.7",
           "an article the catalogue does not list is not checked by row 19",
           T("[{\"article\":\"128\",\"bracket\":7,\"name\":\"illegal possession of firearms\"}]",
             "", "", IMP(12, 12), "", "summary", ""),
           PL_OK);
#undef INJ_B
    record("valid-custody-credit", "15.5",
           "detention 2 months after 61 days of custody and 20 of designated residence (credited "
           "71 days)",
           T(DD, ",\"custody_days\":61,\"designated_residence_days\":20", ",\"fine\":400000",
             DET(2), "", "speedy", ""),
           PL_OK);
    record("valid-custody-surveillance", "15.5",
           "surveillance 6 months after 10 days of custody (credited 20 days)",
           T(DD, ",\"custody_days\":10", "", SUR(6, 6), "", "summary", ""), PL_OK);
    /* Prohibition orders and occupation bans (version 2, rows 17, 18). */
    record("valid-prohibition-probation", "15.4",
           "imprisonment 8 months, probation 12, a prohibition order of 6 months (禁止令)",
           T(INJ, "", "", IMP(8, 8), ",\"probation\":12", "summary",
             ",\"prohibition\":\"entering bars and night clubs 进入酒吧、夜总会\",\"prohibition_months\":6"),
           PL_OK);
    record("valid-prohibition-surveillance", "15.4",
           "surveillance 6 months with a prohibition order of 3 months",
           T(DD, "", "", SUR(6, 6), "", "summary",
             ",\"prohibition\":\"driving\",\"prohibition_months\":3"),
           PL_OK);
    record("invalid-prohibition-no-probation", "15.4",
           "a prohibition order with imprisonment not suspended",
           T(INJ, "", "", IMP(8, 8), "", "summary",
             ",\"prohibition\":\"x\",\"prohibition_months\":6"),
           PL_E_TERMS_PROHIBITION);
    record("invalid-prohibition-too-long", "15.4",
           "a prohibition order of 13 months with 12 of probation",
           T(INJ, "", "", IMP(8, 8), ",\"probation\":12", "summary",
             ",\"prohibition\":\"x\",\"prohibition_months\":13"),
           PL_E_TERMS_PROHIBITION);
    record("invalid-prohibition-short", "15.4",
           "a prohibition order of 2 months with surveillance (at least 3)",
           T(DD, "", "", SUR(6, 6), "", "summary",
             ",\"prohibition\":\"x\",\"prohibition_months\":2"),
           PL_E_TERMS_PROHIBITION);
    record("invalid-prohibition-zero", "15.4", "a prohibition order of 0 months",
           T(INJ, "", "", IMP(8, 8), ",\"probation\":12", "summary",
             ",\"prohibition\":\"x\",\"prohibition_months\":0"),
           PL_E_TERMS_PROHIBITION);
    record("invalid-prohibition-alone", "15.2", "a prohibition order without its months",
           T(INJ, "", "", IMP(8, 8), ",\"probation\":12", "summary", ",\"prohibition\":\"x\""),
           PL_E_TERMS_SCHEMA);
    record("valid-occupation-ban", "15.4",
           "fraud, imprisonment 3 years, an occupation ban of 5 years (从业禁止)",
           T(TWO, "", ",\"occupation_ban\":\"securities trading\",\"occupation_ban_months\":60",
             IMP(36, 36), "", "ordinary", ""),
           PL_OK);
    record("invalid-occupation-ban-short", "15.4", "an occupation ban of 24 months",
           T(TWO, "", ",\"occupation_ban\":\"x\",\"occupation_ban_months\":24", IMP(36, 36), "",
             "ordinary", ""),
           PL_E_TERMS_OCCUPATION_BAN);
    record("invalid-occupation-ban-exemption", "15.4", "an occupation ban with exemption",
           T(DD, "", ",\"occupation_ban\":\"x\",\"occupation_ban_months\":36", EXEMPT, "",
             "summary", ""),
           PL_E_TERMS_OCCUPATION_BAN);
    record("invalid-custody-zero", "15.4", "custody of 0 days",
           T(DD, ",\"custody_days\":0", "", DET(2), "", "speedy", ""), PL_E_TERMS_CUSTODY);
    record("invalid-designated-zero", "15.4", "designated residence of 0 days",
           T(DD, ",\"designated_residence_days\":0", "", DET(2), "", "speedy", ""),
           PL_E_TERMS_CUSTODY);
    record("invalid-custody-negative", "15.2", "custody of -1 days",
           T(DD, ",\"custody_days\":-1", "", DET(2), "", "speedy", ""), PL_E_TERMS_CUSTODY);
    record("valid-life", "15.4", "two crimes, life imprisonment, confiscation of all property",
           T(TWO, ",\"confiscation\":\"all\"", "", LIFE, "", "ordinary", ""), PL_OK);
    record("invalid-summary-life", "15.4", "life imprisonment in summary procedure",
           T(TWO, "", "", LIFE, "", "summary", ""), PL_E_TERMS_SUMMARY);
    record("invalid-speedy-life", "15.4", "life imprisonment in speedy trial",
           T(TWO, "", "", LIFE, "", "speedy", ""), PL_E_TERMS_SPEEDY_TRIAL);
    record("valid-speedy-36", "15.4", "speedy trial with 36 months of imprisonment, the limit",
           T(INJ, "", "", IMP(24, 36), "", "speedy", ""), PL_OK);
    record("invalid-speedy-37", "15.4", "speedy trial with up to 37 months of imprisonment",
           T(INJ, "", "", IMP(24, 37), "", "speedy", ""), PL_E_TERMS_SPEEDY_TRIAL);

    /* Probation (arts. 72-74). */
    record("valid-probation-detention-2", "15.4",
           "detention 2 months, probation 2 months: "
           "at least the term and at least 2",
           T(DD, "", "", DET(2), ",\"probation\":2", "speedy", ""), PL_OK);
    record("valid-probation-detention-12", "15.4", "detention 6 months, probation 12 months",
           T(DD, "", "", DET(6), ",\"probation\":12", "speedy", ""), PL_OK);
    record("invalid-probation-below-term", "15.4", "detention 4 months, probation 3 months",
           T(DD, "", "", DET(4), ",\"probation\":3", "speedy", ""), PL_E_TERMS_PROBATION_PERIOD);
    record("valid-probation-imprisonment-36-60", "15.4",
           "imprisonment 36 months, probation "
           "60 months: both limits",
           T(INJ, "", "", IMP(36, 36), ",\"probation\":60", "summary", ""), PL_OK);
    record("invalid-probation-61", "15.4", "imprisonment 36 months, probation 61 months",
           T(INJ, "", "", IMP(36, 36), ",\"probation\":61", "summary", ""),
           PL_E_TERMS_PROBATION_PERIOD);
    record("invalid-probation-below-range-max", "15.4",
           "imprisonment 20 to 24 months, "
           "probation 20 months (the range's maximum counts)",
           T(INJ, "", "", IMP(20, 24), ",\"probation\":20", "summary", ""),
           PL_E_TERMS_PROBATION_PERIOD);
    record("invalid-probation-imprisonment-37", "15.4",
           "probation with up to 37 months of "
           "imprisonment",
           T(INJ, "", "", IMP(30, 37), ",\"probation\":40", "summary", ""),
           PL_E_TERMS_PROBATION_KIND);
    record("invalid-probation-surveillance", "15.4", "probation with public surveillance",
           T(DD, "", "", SUR(6, 6), ",\"probation\":12", "summary", ""), PL_E_TERMS_PROBATION_KIND);
    record("invalid-probation-exemption", "15.4", "probation with exemption from punishment",
           T(DD, "", "", EXEMPT, ",\"probation\":12", "summary", ""), PL_E_TERMS_PROBATION_KIND);
    record("invalid-probation-recidivist", "15.4", "probation for a recidivist (art. 74)",
           T(DD, "", "", DET(2), ",\"probation\":3", "speedy", ",\"recidivist\":true"),
           PL_E_TERMS_PROBATION_EXCLUDED);
    record("invalid-probation-ringleader", "15.4", "probation for a ringleader (art. 74)",
           T(INJ, "", "", IMP(12, 12), ",\"probation\":24", "summary", ",\"ringleader\":true"),
           PL_E_TERMS_PROBATION_EXCLUDED);
    /* Version 2: minor offenders (rows 20, 21). */
    record("valid-minor", "15.4",
           "a minor offender's theft: detention 3 months, probation 6 months, summary procedure",
           T(THEFT, "", ",\"minor\":true", DET(3), ",\"probation\":6", "summary", ""), PL_OK);
    record("invalid-minor-recidivist", "15.4",
           "a minor offender named a recidivist (art. 65 para. 1)",
           T(THEFT, "", ",\"minor\":true", DET(3), "", "summary", ",\"recidivist\":true"),
           PL_E_TERMS_MINOR);
    /* Row 23 (v2): the fine floor where the article sets no standard */
    record("valid-fine-floor", "15.4", "dangerous driving, a fine of exactly 1,000 yuan",
           T(DDR, "", ",\"fine\":100000", DET(2), "", "speedy", ""), PL_OK);
    record("invalid-fine-floor", "15.4",
           "dangerous driving, a fine of 999.99 yuan (SPC property penalties art. 2)",
           T(DDR, "", ",\"fine\":99999", DET(2), "", "speedy", ""), PL_E_TERMS_FINE_FLOOR);
    record("valid-fine-floor-minor", "15.4", "a minor's theft, a fine of exactly 500 yuan",
           T(THEFT, "", ",\"fine\":50000,\"minor\":true", DET(2), "", "summary", ""), PL_OK);
    record("invalid-fine-floor-minor", "15.4", "a minor's theft, a fine of 499.99 yuan",
           T(THEFT, "", ",\"fine\":49999,\"minor\":true", DET(2), "", "summary", ""),
           PL_E_TERMS_FINE_FLOOR);
    /* Row 24 (v2): art. 196's fine ceiling */
    record("valid-fine-196-ceiling", "15.4",
           "credit-card fraud without a bracket, a fine of exactly 500,000 yuan (art. 196)",
           T(CARD, "", ",\"fine\":50000000", IMP(24, 24), "", "summary", ""), PL_OK);
    record("invalid-fine-196-ceiling", "15.4",
           "credit-card fraud without a bracket, a fine of 500,000.01 yuan (art. 196)",
           T(CARD, "", ",\"fine\":50000001", IMP(24, 24), "", "summary", ""),
           PL_E_TERMS_FINE_STANDARD);
    record("invalid-fine-196-bracket-1", "15.4",
           "credit-card fraud, bracket 1, a fine of 200,000.01 yuan (art. 196: 200,000 at most)",
           T(CARD1, "", ",\"fine\":20000001", IMP(24, 24), "", "summary", ""),
           PL_E_TERMS_FINE_STANDARD);
    record("valid-fine-uncatalogued", "15.4",
           "a fine of 1 fen under an article outside the catalogue: not checked by row 23",
           T(DD, "", ",\"fine\":1", DET(2), "", "speedy", ""), PL_OK);
    record("invalid-minor-speedy", "15.4", "speedy trial for a minor offender (CPL art. 223)",
           T(THEFT, "", ",\"minor\":true", DET(3), "", "speedy", ""),
           PL_E_TERMS_SPEEDY_EXCLUDED);
    record("valid-impairment-ordinary", "15.4",
           "a deaf and mute offender's theft in the ordinary procedure",
           T(THEFT, "", ",\"impairment\":[\"deaf\",\"mute\"]", DET(3), "", "ordinary", ""),
           PL_OK);
    record("invalid-impairment-speedy", "15.4",
           "speedy trial for a blind offender (CPL art. 223 item 1)",
           T(THEFT, "", ",\"impairment\":[\"blind\"]", DET(3), "", "speedy", ""),
           PL_E_TERMS_SPEEDY_EXCLUDED);
    record("invalid-impairment-summary", "15.4",
           "summary procedure for a partly mentally ill offender (CPL art. 215 item 1)",
           T(THEFT, "", ",\"impairment\":[\"partial_mental\"]", DET(3), "", "summary", ""),
           PL_E_TERMS_SUMMARY_EXCLUDED);
    record("invalid-impairment-order", "15.2", "impairments out of order",
           T(THEFT, "", ",\"impairment\":[\"mute\",\"deaf\"]", DET(3), "", "ordinary", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-impairment-unknown", "15.2", "an unknown impairment",
           T(THEFT, "", ",\"impairment\":[\"lame\"]", DET(3), "", "ordinary", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-impairment-empty", "15.2", "an empty impairment array",
           T(THEFT, "", ",\"impairment\":[]", DET(3), "", "ordinary", ""), PL_E_TERMS_SCHEMA);
    /* SPEC §15.6 step 5: values in the map's key order */
    record("invalid-order-minor-before-procedure", "15.6",
           "minor false and an unknown procedure: minor's value is checked first",
           T(THEFT, "", ",\"minor\":false", DET(3), "", "fast", ""), PL_E_TERMS_SCHEMA);
    record("invalid-order-impairment-before-probation", "15.6",
           "an unknown impairment and a negative probation: the impairment is checked first",
           T(THEFT, "", ",\"impairment\":[\"lame\"]", DET(3), ",\"probation\":-3", "ordinary", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-minor-false", "15.2", "minor given as false (absence has one encoding)",
           T(THEFT, "", ",\"minor\":false", DET(3), "", "summary", ""), PL_E_TERMS_SCHEMA);
    record("invalid-probation-negative", "15.2", "a probation period of -3 months",
           T(DD, "", "", DET(2), ",\"probation\":-3", "speedy", ""), PL_E_TERMS_PROBATION_PERIOD);

    /* Additional penalties. */
    record("valid-fine-1-fen", "15.4", "the smallest fine: 1 fen",
           T(DD, "", ",\"fine\":1", DET(2), "", "speedy", ""), PL_OK);
    record("valid-fine-largest", "15.4", "a fine of 2^64 - 1 fen",
           T(DD, "", ",\"fine\":18446744073709551615", DET(2), "", "speedy", ""), PL_OK);
    record("invalid-fine-zero", "15.4", "a fine of 0",
           T(DD, "", ",\"fine\":0", DET(2), "", "speedy", ""), PL_E_TERMS_FINE);
    record("invalid-fine-int64-min", "15.2", "a fine of -2^63",
           T(DD, "", ",\"fine\":-9223372036854775808", DET(2), "", "speedy", ""), PL_E_TERMS_FINE);
    record("valid-political-rights-12", "15.4", "deprivation of political rights 12 months",
           T(INJ, "", "", IMP(60, 60), ",\"political_rights\":12", "ordinary", ""), PL_OK);
    record("valid-political-rights-60", "15.4", "deprivation of political rights 60 months",
           T(INJ, "", "", IMP(60, 60), ",\"political_rights\":60", "ordinary", ""), PL_OK);
    record("invalid-political-rights-11", "15.4", "deprivation of political rights 11 months",
           T(INJ, "", "", IMP(60, 60), ",\"political_rights\":11", "ordinary", ""),
           PL_E_TERMS_POLITICAL_RIGHTS);
    record("invalid-political-rights-61", "15.4", "deprivation of political rights 61 months",
           T(INJ, "", "", IMP(60, 60), ",\"political_rights\":61", "ordinary", ""),
           PL_E_TERMS_POLITICAL_RIGHTS);
    record("valid-political-rights-surveillance", "15.4",
           "with surveillance of 6 months, "
           "deprivation of political rights of 6 months (art. 55)",
           T(DD, "", "", SUR(6, 6), ",\"political_rights\":6", "summary", ""), PL_OK);
    record("invalid-political-rights-surveillance", "15.4",
           "with surveillance of 6 months, "
           "deprivation of political rights of 12 months",
           T(DD, "", "", SUR(6, 6), ",\"political_rights\":12", "summary", ""),
           PL_E_TERMS_POLITICAL_RIGHTS);
    record("invalid-political-rights-life", "15.4",
           "months of deprivation with life "
           "imprisonment (for life by art. 57)",
           T(TWO, "", "", LIFE, ",\"political_rights\":60", "ordinary", ""),
           PL_E_TERMS_POLITICAL_RIGHTS);
    record("invalid-political-rights-negative", "15.2",
           "deprivation of political rights of "
           "-12 months",
           T(INJ, "", "", IMP(60, 60), ",\"political_rights\":-12", "ordinary", ""),
           PL_E_TERMS_POLITICAL_RIGHTS);
    record("invalid-confiscation-some", "15.2", "confiscation of \"some\" property",
           T(INJ, ",\"confiscation\":\"some\"", "", IMP(60, 60), "", "ordinary", ""),
           PL_E_TERMS_CONFISCATION);
    record("invalid-procedure-fast", "15.2", "an unknown procedure \"fast\"",
           T(DD, "", "", DET(2), "", "fast", ""), PL_E_TERMS_PROCEDURE);
    record("invalid-kind-death", "15.2", "an unknown main penalty \"death\"",
           T(TWO, "", "", "{\"kind\":\"death\"}", "", "ordinary", ""), PL_E_TERMS_PENALTY_KIND);
    record("invalid-min-negative", "15.2", "detention from -1 months: the detention error",
           T(DD, "", "", "{\"kind\":\"detention\",\"max\":2,\"min\":-1}", "", "speedy", ""),
           PL_E_TERMS_DETENTION);

    /* Grounds. */
    record("invalid-grounds-unknown", "15.2", "an unknown leniency ground",
           T(DD, "", ",\"grounds\":[\"remorse\"]", DET(2), "", "speedy", ""), PL_E_TERMS_GROUNDS);
    record("invalid-grounds-repeated", "15.2", "a leniency ground listed twice",
           T(DD, "", ",\"grounds\":[\"confession\",\"confession\"]", DET(2), "", "speedy", ""),
           PL_E_TERMS_GROUNDS);
    record("invalid-grounds-unsorted", "15.2", "leniency grounds out of order",
           T(DD, "", ",\"grounds\":[\"surrender\",\"confession\"]", DET(2), "", "speedy", ""),
           PL_E_TERMS_GROUNDS);
    record("invalid-grounds-empty", "15.2",
           "an empty list of grounds (absent is written by "
           "leaving the key out)",
           T(DD, "", ",\"grounds\":[]", DET(2), "", "speedy", ""), PL_E_TERMS_GROUNDS);
    record("invalid-grounds-not-string", "15.2", "a ground that is not a string",
           T(DD, "", ",\"grounds\":[1]", DET(2), "", "speedy", ""), PL_E_TERMS_SCHEMA);
}

static void gen_schema(void)
{
    static char json[131072];
    size_t n;

    record("valid-all-fields", "15.2", "every key of the terms",
           T(TWO_T(60, 48), ",\"confiscation\":\"part\",\"deportation\":true",
             ",\"fine\":12345678,\"grounds\":[\"compensation\",\"confession\",\"forgiveness\","
             "\"other\",\"restitution\",\"surrender\"],\"grounds_text\":\"first offence\"",
             IMP(60, 100), ",\"political_rights\":36", "ordinary",
             ",\"recidivist\":true,\"ringleader\":true"),
           PL_OK);
    record("valid-facts-lines", "15.2", "facts of several lines, with tab and line feed",
           "{\"charges\":" DD ",\"facts\":\"1. drove drunk\\n2. stopped at a checkpoint\\n\\tno "
           "accident\",\"penalty\":" DET(2) ",\"procedure\":\"speedy\"}",
           PL_OK);
    /* The largest terms: 16 charges with the longest strings. */
    n = (size_t)snprintf(json, sizeof json, "{\"charges\":[");
    for (int i = 0; i < PL_TERMS_MAX_CHARGES; i++)
        n += (size_t)snprintf(json + n, sizeof json - n,
                              "%s{\"article\":@32*%c,\"name\":@256*n,\"term\":180}", i ? "," : "",
                              'a' + i);
    snprintf(json + n, sizeof json - n,
             "],\"facts\":@16384*f,\"grounds\":[\"compensation\",\"confession\","
             "\"forgiveness\",\"other\",\"restitution\",\"surrender\"],\"grounds_text\":"
             "@4096*g,\"penalty\":" IMP(180, 300) ",\"procedure\":\"ordinary\"}");
    record("valid-largest", "15.2",
           "16 charges with the longest article and name, and the "
           "longest facts and grounds text",
           json, PL_OK);
    n = (size_t)snprintf(json, sizeof json, "{\"charges\":[");
    for (int i = 0; i <= PL_TERMS_MAX_CHARGES; i++)
        n += (size_t)snprintf(json + n, sizeof json - n, "%s{\"article\":\"%d\",\"name\":\"x\"}",
                              i ? "," : "", 100 + i);
    snprintf(json + n, sizeof json - n,
             "],\"facts\":" FACTS1 ",\"penalty\":" IMP(240, 240) ",\"procedure\":\"ordinary\"}");
    record("invalid-charges-17", "15.2", "17 charges (at most 16)", json, PL_E_TERMS_CHARGES);
    record("invalid-charges-empty", "15.2", "no charge", T("[]", "", "", DET(2), "", "speedy", ""),
           PL_E_TERMS_CHARGES);

    record("invalid-schema-not-map", "15.2", "terms that are an array", "[\"charges\",\"facts\"]",
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-unknown-key", "15.2", "an unknown key (\"victim\") at the top",
           T(DD, "", "", DET(2), "", "speedy", ",\"victim\":\"none\""), PL_E_TERMS_SCHEMA);
    record("invalid-schema-missing-facts", "15.2", "no facts",
           "{\"charges\":" DD ",\"penalty\":" DET(2) ",\"procedure\":\"speedy\"}",
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-missing-procedure", "15.2", "no procedure",
           "{\"charges\":" DD ",\"facts\":" FACTS0 ",\"penalty\":" DET(2) "}", PL_E_TERMS_SCHEMA);
    record("invalid-schema-fine-string", "15.2", "a fine written as a string",
           T(DD, "", ",\"fine\":\"4000\"", DET(2), "", "speedy", ""), PL_E_TERMS_SCHEMA);
    record("invalid-schema-probation-nil", "15.2",
           "probation written as nil (absent is written "
           "by leaving the key out)",
           T(DD, "", "", DET(2), ",\"probation\":null", "speedy", ""), PL_E_TERMS_SCHEMA);
    record("invalid-schema-deportation-false", "15.2", "deportation false",
           T(DD, ",\"deportation\":false", "", DET(2), "", "speedy", ""), PL_E_TERMS_SCHEMA);
    record("invalid-schema-recidivist-false", "15.2", "recidivist false",
           T(DD, "", "", DET(2), "", "speedy", ",\"recidivist\":false"), PL_E_TERMS_SCHEMA);
    record("invalid-schema-life-with-min", "15.2", "life imprisonment with a minimum",
           T(TWO, "", "", "{\"kind\":\"life\",\"min\":240}", "", "ordinary", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-penalty-no-max", "15.2", "detention without a maximum",
           T(DD, "", "", "{\"kind\":\"detention\",\"min\":2}", "", "speedy", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-penalty-no-kind", "15.2", "a penalty without a kind",
           T(DD, "", "", "{\"max\":2,\"min\":2}", "", "speedy", ""), PL_E_TERMS_SCHEMA);
    record("invalid-schema-penalty-unknown-key", "15.2", "a penalty with an unknown key",
           T(DD, "", "", "{\"kind\":\"detention\",\"max\":2,\"min\":2,\"suspended\":true}", "",
             "speedy", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-kind-number", "15.2", "a penalty kind written as a number",
           T(DD, "", "", "{\"kind\":3,\"max\":2,\"min\":2}", "", "speedy", ""), PL_E_TERMS_SCHEMA);
    record("invalid-schema-charge-no-name", "15.2", "a charge without a name",
           T("[{\"article\":\"133-1\"}]", "", "", DET(2), "", "speedy", ""), PL_E_TERMS_SCHEMA);
    record("invalid-schema-charge-unknown-key", "15.2", "a charge with an unknown key",
           T("[{\"article\":\"133-1\",\"name\":\"dangerous driving\",\"severity\":1}]", "", "",
             DET(2), "", "speedy", ""),
           PL_E_TERMS_SCHEMA);
    record(
        "invalid-schema-article-33", "15.2", "an article of 33 bytes (at most 32)",
        T("[{\"article\":@33*1,\"name\":\"dangerous driving\"}]", "", "", DET(2), "", "speedy", ""),
        PL_E_TERMS_SCHEMA);
    record("invalid-schema-name-257", "15.2", "a charge name of 257 bytes (at most 256)",
           T("[{\"article\":\"133-1\",\"name\":@257*n}]", "", "", DET(2), "", "speedy", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-name-escape", "15.2", "a charge name with an ESC control character",
           T("[{\"article\":\"133-1\",\"name\":\"dangerous\\u001b[2Jdriving\"}]", "", "", DET(2),
             "", "speedy", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-name-newline", "15.2", "a charge name with a line feed",
           T("[{\"article\":\"133-1\",\"name\":\"dangerous\\ndriving\"}]", "", "", DET(2), "",
             "speedy", ""),
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-facts-bidi", "15.2", "facts with a right-to-left override (U+202E)",
           "{\"charges\":" DD
           ",\"facts\":\"drove \\u202esober\",\"penalty\":" DET(2) ",\"procedure\":\"speedy\"}",
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-facts-cr", "15.2", "facts with a carriage return",
           "{\"charges\":" DD
           ",\"facts\":\"drove\\x0ddrunk\",\"penalty\":" DET(2) ",\"procedure\":\"speedy\"}",
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-facts-empty", "15.2", "empty facts",
           "{\"charges\":" DD ",\"facts\":\"\",\"penalty\":" DET(2) ",\"procedure\":\"speedy\"}",
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-facts-16385", "15.2", "facts of 16385 bytes (at most 16384)",
           "{\"charges\":" DD
           ",\"facts\":@16385*f,\"penalty\":" DET(2) ",\"procedure\":\"speedy\"}",
           PL_E_TERMS_SCHEMA);
    record("invalid-schema-grounds-text-empty", "15.2", "an empty grounds text",
           T(DD, "", ",\"grounds_text\":\"\"", DET(2), "", "speedy", ""), PL_E_TERMS_SCHEMA);

    /* The order of checks (SPEC §15.6). */
    record("invalid-order-missing-before-value", "15.6",
           "a negative fine and no procedure: "
           "required keys are checked before values",
           "{\"charges\":" DD ",\"facts\":" FACTS1 ",\"fine\":-1,\"penalty\":" DET(2) "}",
           PL_E_TERMS_SCHEMA);
    record("invalid-order-value-before-law", "15.6",
           "a negative fine and detention 7 months: "
           "values are read before the statutory checks",
           T(DD, "", ",\"fine\":-1", DET(7), "", "speedy", ""), PL_E_TERMS_FINE);
    record("invalid-order-law-rows", "15.6",
           "detention 7 months and a fine of 0: the first "
           "statutory row that fails",
           T(DD, "", ",\"fine\":0", DET(7), ",\"probation\":1", "speedy", ""),
           PL_E_TERMS_DETENTION);
    record("invalid-order-unknown-key-first", "15.6",
           "an unknown key and a missing facts: "
           "unknown keys first",
           "{\"charges\":" DD ",\"penalty\":" DET(2) ",\"procedure\":\"speedy\",\"zzz\":1}",
           PL_E_TERMS_SCHEMA);
}

/* Inputs that are not canonical msgpack (SPEC §15.1, §3), given as bytes. */
static void gen_encoding(void)
{
    static uint8_t big[PL_TERMS_MAX_BYTES + 1];
    size_t n;
    uint8_t *b;

    record("invalid-keys-unsorted", "15.1", "\"facts\" before \"charges\"",
           "{\"facts\":" FACTS1 ",\"charges\":" DD
           ",\"penalty\":" DET(2) ",\"procedure\":\"speedy\"}",
           PL_E_MAP_ORDER);
    b = pack_json("invalid-trailing", T(DD, "", "", DET(2), "", "speedy", ""), &n);
    b = realloc(b, n + 1);
    if (b == NULL)
        die("out of memory", "invalid-trailing");
    b[n] = 0xc0;
    record_bytes("invalid-trailing", "15.1", "a nil after valid terms", NULL, b, n + 1,
                 PL_E_TRAILING);
    record_bytes("invalid-truncated", "15.1", "valid terms cut short by one byte", NULL, b, n - 1,
                 PL_E_TRUNCATED);
    /* The fine 4000 as uint 32 (ce 00 00 0f a0) instead of uint 16 (cd 0f a0). */
    free(b);
    b = pack_json("invalid-fine-noncanonical",
                  T(DD, "", ",\"fine\":4000", DET(2), "", "speedy", ""), &n);
    {
        uint8_t *c = malloc(n + 2);
        size_t at = 0;
        for (size_t i = 0; i + 3 <= n; i++)
            if (b[i] == 0xcd && b[i + 1] == 0x0f && b[i + 2] == 0xa0)
                at = i;
        if (c == NULL || at == 0)
            die("no fine to re-encode", "invalid-fine-noncanonical");
        memcpy(c, b, at);
        c[at] = 0xce, c[at + 1] = 0, c[at + 2] = 0, c[at + 3] = 0x0f, c[at + 4] = 0xa0;
        memcpy(c + at + 5, b + at + 3, n - at - 3);
        record_bytes("invalid-fine-noncanonical", "15.1",
                     "the fine 4000 written as uint 32: not the shortest form", NULL, c, n + 2,
                     PL_E_NONCANONICAL);
        free(c);
    }
    free(b);
    memset(big, 0xc0, sizeof big);
    record_bytes("invalid-too-big", "15.1", "32769 bytes (at most 32768)", NULL, big, sizeof big,
                 PL_E_TOO_BIG);
}

void gen_terms_vectors(const char *dir, const char *corpus_root)
{
    char path[4096];
    corpus_root_dir = corpus_root;
    snprintf(path, sizeof path, "%s/terms.vec", dir);
    if ((out = fopen(path, "w")) == NULL) {
        fprintf(stderr, "parley-vectors: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    fprintf(out, "# Parley v1 sentencing-terms vectors (SPEC §15)\n"
                 "# Generated by tests/tools/vectors_terms.c; format in spec/parley-v2.md §11.\n"
                 "# Do not edit: run `make vectors`.\n");
    gen_cases();
    gen_limits();
    gen_schema();
    gen_encoding();
    if (fclose(out) != 0) {
        fprintf(stderr, "parley-vectors: cannot write %s\n", path);
        exit(1);
    }
    fprintf(stderr, "parley-vectors: %d valid and %d invalid terms vectors\n", nvalid, ninvalid);
}
