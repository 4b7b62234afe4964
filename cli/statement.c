/* The court's copy (issue 15 §3): a verified agreement certificate written
 * out as a 认罪认罚具结书 (plea statement), in the order a real one has
 * (GLOSSARY-zh "The 具结书 on paper"), in Chinese legal writing. It says
 * nothing the certificate does not: every line comes from its signed
 * messages, and it says plainly what the certificate does not show. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* Beijing time (UTC+8, no daylight saving), as documents write it. */
static void beijing(uint64_t ms, char out[64])
{
    time_t t = (time_t)(ms / 1000) + 8 * 3600;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL) {
        snprintf(out, 64, "?");
        return;
    }
    snprintf(out, 64, "%d年%d月%d日 %02d时%02d分", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
}

static const char *name_or(const pl_case *c, const uint8_t *pk)
{
    const char *n = pl_report_name(c, pk);
    return n ? n : "（未载明姓名）";
}

/* The signature at index i: who, when, and the key's fingerprint. */
static void signer(const pl_case *c, long i, const char *label)
{
    if (i < 0) {
        printf("%s：无\n", label);
        return;
    }
    const pl_header *h = pl_msg_header(pl_case_msg(c, (size_t)i));
    char fp[PL_FINGERPRINT_STR_BYTES], when[64];
    pl_fingerprint(h->author, fp);
    beijing(h->timestamp_ms, when);
    printf("%s：%s（电子签名，%s，密钥指纹 %s）\n", label, name_or(c, h->author), when, fp);
}

static const char *licence_of(const pl_case *c, const uint8_t *pk)
{
    const pl_body *ch = pl_case_charter(c);
    for (size_t i = 0; ch && i < ch->u.charter.nparticipants; i++)
        if (memcmp(ch->u.charter.participants[i].key, pk, PL_PK_BYTES) == 0)
            return ch->u.charter.participants[i].licence;
    return NULL;
}

void cli_print_statement(const pl_cert_report *r, const pl_terms *t)
{
    const pl_case *c = r->c;
    const pl_body *ch = pl_case_charter(c);
    char cid[2 * PL_CASE_ID_BYTES + 1], art[96], text[PL_TERMS_TEXT_MAX];
    cli_hex(r->case_id, PL_CASE_ID_BYTES, cid);
    printf("认罪认罚具结书\n\n");
    printf("案件：%s\n", ch && ch->u.charter.title ? ch->u.charter.title : "（未载明）");
    printf("案件标识：%s\n\n", cid);

    const uint8_t *spk = r->sign_suspect >= 0
                             ? pl_msg_header(pl_case_msg(c, (size_t)r->sign_suspect))->author
                             : NULL;
    const uint8_t *kpk = r->sign_counsel >= 0
                             ? pl_msg_header(pl_case_msg(c, (size_t)r->sign_counsel))->author
                             : NULL;
    printf("一、犯罪嫌疑人身份信息\n");
    if (spk != NULL) {
        pl_identity_info id;
        int bound = pl_report_identity(c, spk, &id) == PL_OK && id.bound;
        printf("犯罪嫌疑人：%s\n", name_or(c, spk));
        printf("公民身份号码：%s\n",
               bound ? (id.confirmed ? "经哈希值与本案章程绑定，并由签名的犯罪嫌疑人在已确定的会见中确认"
                                     : "经哈希值与本案章程绑定，但签名密钥未作确认")
                     : "本证书未绑定身份证件（未经核实）");
    }
    if (kpk != NULL) {
        int duty = pl_case_capacity(c, kpk) == PL_CAPACITY_DUTY_LAWYER;
        const char *lic = licence_of(c, kpk);
        printf("%s：%s%s%s%s\n", duty ? "值班律师" : "辩护人", name_or(c, kpk),
               lic ? "（执业证号 " : "", lic ? lic : "", lic ? "）" : "");
    }
    printf("\n二、权利知悉\n");
    /* SPEC §13.24: the suspect's acknowledgment in its signature's past */
    long ack = -1;
    for (size_t i = 0; r->sign_suspect >= 0 && i < pl_case_count(c); i++)
        if (pl_msg_header(pl_case_msg(c, i))->type == PL_T_NOTICE_ACK &&
            pl_case_verdict(c, i) == PL_OK && pl_case_saw(c, (size_t)r->sign_suspect, i))
            ack = (long)i;
    const pl_body *ab = ack >= 0 ? pl_case_body(c, (size_t)ack) : NULL;
    long ni = ab ? pl_case_find(c, ab->u.notice_ack.notice) : -1;
    const pl_body *nb = ni >= 0 ? pl_case_body(c, (size_t)ni) : NULL;
    if (nb != NULL) {
        char when[64], h[17];
        beijing(pl_msg_header(pl_case_msg(c, (size_t)ack))->timestamp_ms, when);
        cli_hex(nb->u.notice.document, 8, h);
        printf("本人已阅读《认罪认罚从宽制度告知书》（语言：%s；文件哈希值 %s…），理解并接受其全部内容，"
               "于%s确认。告知书载明反悔的后果：%s\n",
               nb->u.notice.language, h, when, nb->u.notice.withdrawal);
    } else {
        printf("本证书未载明犯罪嫌疑人对《认罪认罚从宽制度告知书》的确认。\n");
    }

    printf("\n三、认罪认罚内容\n");
    if (t != NULL) {
        printf("本人对人民检察院指控的下列犯罪事实没有异议，自愿认罪：\n");
        printf("%s\n", t->facts[0] ? t->facts : "（未载明）");
        printf("罪名：");
        for (size_t i = 0; i < t->ncharges; i++) {
            pl_zh_article(t->charges[i].article, art);
            printf("%s%s（《中华人民共和国刑法》%s）", i ? "；" : "", t->charges[i].name, art);
        }
        printf("\n");
        if (pl_terms_format_zh(t, text, sizeof text) == PL_OK)
            printf("本人同意人民检察院的量刑建议：%s。\n", text);
        static const struct {
            unsigned bit;
            const char *zh;
        } g[] = {{PL_GROUND_SURRENDER, "自首"},      {PL_GROUND_CONFESSION, "坦白"},
                 {PL_GROUND_COMPENSATION, "赔偿"},   {PL_GROUND_RESTITUTION, "退赃退赔"},
                 {PL_GROUND_FORGIVENESS, "取得谅解"}, {PL_GROUND_OTHER, "其他"}};
        int any = 0;
        for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
            if (t->grounds & g[i].bit)
                printf("%s%s", any++ ? "、" : "从宽情节：", g[i].zh);
        if (any)
            printf("。\n");
    } else {
        printf("（本证书的条款无法解读）\n");
    }

    printf("\n四、自愿签署声明\n");
    pl_report_presence pr;
    pl_report_presence_of(c, r->sign_suspect, r->sign_counsel, &pr);
    const pl_body *sb = pr.session >= 0 ? pl_case_body(c, (size_t)pr.session) : NULL;
    if (sb != NULL) {
        char when[64];
        beijing(sb->u.session_propose.time_ms, when);
        printf("本具结书由犯罪嫌疑人于%s在%s签署，%s在场见证。\n", when,
               sb->u.session_propose.venue,
               kpk && pl_case_capacity(c, kpk) == PL_CAPACITY_DUTY_LAWYER ? "值班律师" : "辩护人");
        if (pr.recordings > 0)
            printf("该次会见的同步录音录像已锚定 %d 份（以哈希值记录）。\n", pr.recordings);
        else
            printf("本证书未载明该次会见的同步录音录像。\n");
    } else {
        printf("本证书未载明签署会见，无法证明辩护人在场。\n");
    }
    const pl_body *db = pr.dissent >= 0 ? pl_case_body(c, (size_t)pr.dissent) : NULL;
    if (db != NULL && db->type == PL_T_OPINION)
        printf("辩护人意见：辩护人见证签署，但对量刑建议持不同意见：%s\n", db->u.opinion.text);

    printf("\n");
    signer(c, r->sign_suspect, "犯罪嫌疑人");
    signer(c, r->sign_counsel,
           kpk && pl_case_capacity(c, kpk) == PL_CAPACITY_DUTY_LAWYER ? "值班律师（见证）"
                                                                      : "辩护人（见证）");
    signer(c, r->sign_prosecution, "检察官");
    signer(c, r->attestation, "观察员（见证日志）");
    printf("\n以上签名均为 Ed25519 电子签名，任何人均可用 parley verify 离线核验本证书。\n");
}
