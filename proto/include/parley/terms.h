/* Sentencing terms: what an offer, a counter-offer and an agreement say the
 * sentence is (SPEC §15).
 *
 * Terms are one canonical msgpack map (SPEC §15.1, §15.2) carried inside the
 * bodies of offers and signatures (§13). This module decodes them from bytes a
 * peer sent, encodes them canonically, checks them against the statutory
 * limits of the PRC Criminal Law and Criminal Procedure Law (SPEC §15.4),
 * hashes them (SPEC §15.3), and renders them for people (SPEC §15.5).
 *
 * Ownership: a pl_terms is a plain value with fixed-size fields; it owns all
 * its strings (no pointer into the input or into msgpack-c's zone) and needs
 * no freeing. It is about 26 KB: callers holding many should allocate them.
 * Nothing here allocates memory that outlives a call, reads a clock, draws
 * random bytes or keeps state between calls. */
#ifndef PARLEY_TERMS_H
#define PARLEY_TERMS_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/msg.h" /* PL_HASH_BYTES */

#ifdef __cplusplus
extern "C" {
#endif

/* Limits (SPEC §15.2). String limits are in bytes of UTF-8. */
#define PL_TERMS_MAX_BYTES 32768u /* one encoded terms map */
#define PL_TERMS_MAX_CHARGES 16
#define PL_TERMS_ARTICLE_MAX 32        /* "133-1", "234 ¶1" */
#define PL_TERMS_NAME_MAX 256          /* the charge's name */
#define PL_TERMS_FACTS_MAX 16384       /* acknowledged facts */
#define PL_TERMS_GROUNDS_TEXT_MAX 4096 /* leniency grounds in free text */
#define PL_TERMS_PROHIBITION_MAX 1024  /* v2: what a prohibition order forbids */
#define PL_TERMS_OCCUPATION_MAX 256    /* v2: the occupation an occupation ban names */

/* Output sizes: a buffer this large always suffices. */
#define PL_TERMS_TEXT_MAX 2560 /* pl_terms_format, NUL included (v2: room for a
                                  * prohibition order and an occupation ban) */
#define PL_TERMS_VALUE_MAX 512 /* one value in a pl_terms_change, NUL included */
#define PL_TERMS_FIELD_MAX 32  /* one field name in a pl_terms_change */
#define PL_TERMS_DIFF_MAX (18 + PL_TERMS_MAX_CHARGES) /* changes between two terms (v2: 18 fields) */
#define PL_TERMS_DETAIL_MAX 256

/* The main penalty (主刑), exactly one (SPEC §15.2). Exemption from criminal
 * punishment (免予刑事处罚, Criminal Law art. 37) is listed here because it
 * takes the main penalty's place. */
typedef enum {
    PL_PENALTY_EXEMPTION = 1,    /* "exemption": no term */
    PL_PENALTY_SURVEILLANCE = 2, /* "surveillance" 管制: months */
    PL_PENALTY_DETENTION = 3,    /* "detention" 拘役: months */
    PL_PENALTY_IMPRISONMENT = 4, /* "imprisonment" 有期徒刑: months */
    PL_PENALTY_LIFE = 5,         /* "life" 无期徒刑: no term */
    /* version 2: no main penalty, the additional ones alone (独立适用附加
     * 刑, art. 34 ¶2, art. 35): 单处罚金, 单处剥夺政治权利, ... */
    PL_PENALTY_ADDITIONAL = 6,   /* "additional": no term */
} pl_penalty_kind;
#define PL_PENALTY_KIND_LAST PL_PENALTY_ADDITIONAL

typedef enum {
    PL_PROCEDURE_SPEEDY = 1,   /* "speedy" 速裁程序 */
    PL_PROCEDURE_SUMMARY = 2,  /* "summary" 简易程序 */
    PL_PROCEDURE_ORDINARY = 3, /* "ordinary" 普通程序 */
} pl_procedure;

typedef enum {
    PL_CONFISCATION_NONE = 0, /* key absent */
    PL_CONFISCATION_PART = 1, /* "part" */
    PL_CONFISCATION_ALL = 2,  /* "all" */
} pl_confiscation;

/* Leniency grounds, a set of bits. The bit order is the canonical order on
 * the wire (ascending bytewise, SPEC §15.2). */
#define PL_GROUND_COMPENSATION 0x01u /* "compensation" 赔偿 */
#define PL_GROUND_CONFESSION 0x02u   /* "confession" 坦白 / 认罪 */
#define PL_GROUND_FORGIVENESS 0x04u  /* "forgiveness" 谅解 */
#define PL_GROUND_OTHER 0x08u        /* "other": see grounds_text */
#define PL_GROUND_RESTITUTION 0x10u  /* "restitution" 退赃退赔 */
#define PL_GROUND_SURRENDER 0x20u    /* "surrender" 自首 */
#define PL_GROUND_ALL 0x3fu

/* Version 2: impairments of the offender that change the procedure (CPL
 * arts. 35, 215, 223), a set of bits in the wire order (SPEC §15.2). */
#define PL_IMPAIRMENT_BLIND 0x01u          /* "blind" 盲人 */
#define PL_IMPAIRMENT_DEAF 0x02u           /* "deaf" 聋人 */
#define PL_IMPAIRMENT_MUTE 0x04u           /* "mute" 哑人 */
#define PL_IMPAIRMENT_PARTIAL_MENTAL 0x08u /* "partial_mental": 尚未完全丧失辨认或者控制自己行为能力的精神病人 */
#define PL_IMPAIRMENT_ALL 0x0fu

/* One charge. Strings are NUL-terminated UTF-8 (SPEC §15.2 forbids U+0000
 * in them, so the terminator is never ambiguous). */
typedef struct {
    char article[PL_TERMS_ARTICLE_MAX + 1]; /* statute article, e.g. "133-1" */
    char name[PL_TERMS_NAME_MAX + 1];       /* e.g. "dangerous driving" */
    int has_term;                           /* 1: term is given */
    uint64_t term; /* months: this crime's own sentence (art. 69), same kind as the penalty */
    uint64_t bracket; /* v2: the article's sentencing bracket (SPEC §15.7), 0 when not named */
} pl_charge;

typedef struct {
    pl_penalty_kind kind;
    uint64_t min, max; /* months; min == max is a determinate term, min < max a
                          range; both 0 for exemption and life */
} pl_penalty;

typedef struct {
    size_t ncharges;
    pl_charge charges[PL_TERMS_MAX_CHARGES];
    char facts[PL_TERMS_FACTS_MAX + 1];
    pl_penalty penalty;
    int has_probation;
    uint64_t probation; /* months of probation period (缓刑考验期) */
    int has_fine;
    uint64_t fine; /* fen (1 yuan = 100 fen) */
    int has_political_rights;
    uint64_t political_rights; /* months of deprivation of political rights */
    pl_confiscation confiscation;
    int deportation; /* 0 or 1 */
    /* version 2 (SPEC §15.2): days held before judgment (先行羁押: 拘留,
     * 逮捕) and days of residential surveillance at a designated place
     * (指定居所监视居住), credited against the term (arts. 41, 44, 47;
     * CPL art. 76) */
    int has_custody_days;
    uint64_t custody_days;
    int has_designated_residence_days;
    uint64_t designated_residence_days;
    /* version 2 (SPEC §15.2): a prohibition order (禁止令, arts. 38 ¶2, 72
     * ¶2) with its months, and an occupation ban (从业禁止, art. 37-1) with
     * its months; "" and 0 when absent */
    char prohibition[PL_TERMS_PROHIBITION_MAX + 1];
    uint64_t prohibition_months;
    char occupation_ban[PL_TERMS_OCCUPATION_MAX + 1];
    uint64_t occupation_ban_months;
    pl_procedure procedure;
    unsigned grounds;                                 /* PL_GROUND_* bits */
    char grounds_text[PL_TERMS_GROUNDS_TEXT_MAX + 1]; /* "" when absent */
    int recidivist;                                   /* 0 or 1: 累犯 */
    int ringleader; /* 0 or 1: ringleader of a criminal group, 犯罪集团的首要分子 */
    int minor;      /* 0 or 1 (v2): under 18 when the crime was committed, 未成年人 */
    unsigned impairment; /* v2: PL_IMPAIRMENT_* bits */
} pl_terms;

/* Why terms were refused. code is the returned error; section the spec
 * section that states the rule ("15.4"); basis the law the rule applies
 * ("Criminal Law art. 42"), "" for encoding rules; detail one sentence a
 * lawyer can act on, quoting the offending value. All strings are static or
 * inside the struct; on success code is 0 and detail is "". */
typedef struct {
    int code;
    const char *section;
    const char *basis;
    char detail[PL_TERMS_DETAIL_MAX];
} pl_terms_problem;

/* Version 2 (SPEC §15.5): the days the custody and designated residence
 * count against the term (arts. 41, 44, 47; CPL art. 76); PL_E_ARG for a
 * penalty without a term in days to credit (exemption, life, additional). */
PL_API int pl_terms_credit_days(const pl_terms *t, uint64_t *days);

/* An amount in fen as people read it: "30,000.00 yuan" (SPEC §15.5). */
#define PL_YUAN_TEXT_BYTES 40
PL_API void pl_yuan_text(uint64_t fen, char out[PL_YUAN_TEXT_BYTES]);
/* The same in Chinese legal writing: "人民币三万元", "人民币30,000.50元". */
#define PL_YUAN_TEXT_ZH_BYTES 112
PL_API void pl_yuan_text_zh(uint64_t fen, char out[PL_YUAN_TEXT_ZH_BYTES]);

/* One difference between two terms (SPEC §15.5). field is the wire name of
 * the field ("penalty", "fine", "charges[2]" numbered from 1); the values are
 * human text ("criminal detention 3 months", "5,000.00 yuan", "none"). */
typedef struct {
    char field[PL_TERMS_FIELD_MAX];
    char old_value[PL_TERMS_VALUE_MAX];
    char new_value[PL_TERMS_VALUE_MAX];
} pl_terms_change;

/* Decodes terms a peer sent (SPEC §15.6): size, the bounded canonical walk
 * (SPEC §3) before msgpack-c sees a byte, fields (SPEC §15.2), then every
 * statutory check (SPEC §15.4, via pl_terms_validate). Returns 0 or the
 * first violation in the order of SPEC §15.6. On failure *out is zeroed;
 * why (may be NULL) says what was wrong in either case. */
PL_API PL_NODISCARD int pl_terms_decode(const uint8_t *in, size_t len,
                                        pl_terms *out, pl_terms_problem *why);

/* Every check of SPEC §15.2 a struct can fail (lengths, characters,
 * enumerations) and every statutory check of SPEC §15.4, in the order of
 * SPEC §15.6; returns the first violation, described in why (may be NULL). */
PL_API PL_NODISCARD int pl_terms_validate(const pl_terms *t, pl_terms_problem *why);

/* Encodes t canonically (SPEC §15.1) into out[0..cap). t must pass
 * pl_terms_validate, whose code is returned otherwise: nothing that a
 * receiver would refuse is ever encoded. *out_len is set to the encoded size
 * on success and on PL_E_BUFSIZE (out may then be NULL with cap 0, to ask
 * for the size); PL_TERMS_MAX_BYTES always suffices. For valid t,
 * pl_terms_decode(encode(t)) gives t back, and for any input b that decodes,
 * encoding the result gives b. */
PL_API PL_NODISCARD int pl_terms_encode(const pl_terms *t, uint8_t *out, size_t cap,
                                        size_t *out_len);

/* The terms hash (SPEC §15.3): BLAKE2b-256 of "parley/v2/terms" || 0x00 ||
 * the encoded terms, exactly the bytes given (which should be bytes
 * pl_terms_decode accepted or pl_terms_encode wrote). */
PL_API void pl_terms_hash(const uint8_t *encoded, size_t len, uint8_t out[PL_HASH_BYTES]);

/* One line for people (SPEC §15.5), e.g. "criminal detention 2 months,
 * probation 3 months, fine 4,000.00 yuan, speedy trial". Works on any
 * struct, valid or not. PL_E_BUFSIZE if cap is too small (out is then "");
 * PL_TERMS_TEXT_MAX always suffices. */
PL_API PL_NODISCARD int pl_terms_format(const pl_terms *t, char *out, size_t cap);

/* The same terms as a Chinese judgment writes them (issue 15 §1): main
 * penalty first, then probation, then the additional penalties with 并处,
 * durations in Chinese numerals as years and months, money in 人民币…元,
 * then the procedure: "有期徒刑一年二个月，缓刑二年，并处罚金人民币二万元，
 * 适用速裁程序". UTF-8. Same contract as pl_terms_format. */
PL_API PL_NODISCARD int pl_terms_format_zh(const pl_terms *t, char *out, size_t cap);

/* A whole number in Chinese numerals as judgments write them (12 → 十二,
 * 20000 → 二万, 1005 → 一千零五); Arabic digits from 10^8 up. At most 64
 * bytes with the NUL. */
PL_API void pl_zh_number(uint64_t n, char out[64]);

/* A Criminal Law article as judgments cite it: "133-1" → 第一百三十三条之一,
 * "234" → 第二百三十四条; another shape is copied as given. At most 96 bytes
 * with the NUL. */
PL_API void pl_zh_article(const char *article, char out[96]);
/* The legal basis of a refusal (pl_terms_problem.basis) as Chinese legal
 * writing cites it: "Criminal Law arts. 41, 44, 47" → 《中华人民共和国刑法》
 * 第四十一条、第四十四条、第四十七条; "CPL art. 223" → 《中华人民共和国刑事
 * 诉讼法》第二百二十三条; "SPEC §15.7" → 规范 §15.7; another shape is
 * copied as given. Truncated to cap (UTF-8 safe only when cap ≥ 256). */
PL_API void pl_zh_basis(const char *basis, char *out, size_t cap);

/* What changed from a to b, field by field in the order of SPEC §15.5.
 * *n is set to the number of changes (at most PL_TERMS_DIFF_MAX); the first
 * min(*n, cap) are written to out. Returns PL_E_BUFSIZE when *n > cap (out
 * may be NULL with cap 0, to count). Works on any structs, valid or not. */
PL_API PL_NODISCARD int pl_terms_diff(const pl_terms *a, const pl_terms *b,
                                      pl_terms_change *out, size_t cap, size_t *n);

/* The wire names ("detention", "speedy", "confession"), or NULL if unknown. */
PL_API const char *pl_penalty_kind_name(int kind);
PL_API const char *pl_procedure_name(int procedure);
PL_API const char *pl_ground_name(unsigned ground_bit);
/* Version 2: the wire word of one PL_IMPAIRMENT_* bit; NULL for another value. */
PL_API const char *pl_impairment_name(unsigned impairment_bit);

#ifdef __cplusplus
}
#endif
#endif
