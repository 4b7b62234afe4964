/* The court's copy (issue 15 §3): a verified agreement certificate written
 * out as a 认罪认罚具结书 (plea statement), in the order a real one has
 * (GLOSSARY-zh "The 具结书 on paper"), in Chinese legal writing. It says
 * nothing the certificate does not: every line comes from its signed
 * messages, and it says plainly what the certificate does not show. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* One writer for both forms: the text on a terminal and the HTML page the
 * printed copy is made from (cli/print.c), so the two never say different
 * things. */
typedef struct {
    FILE *f;
    int html;
} st_out;

static void esc(st_out *o, const char *s)
{
    if (!o->html) {
        fputs(s, o->f);
        return;
    }
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", o->f); break;
        case '>': fputs("&gt;", o->f); break;
        case '&': fputs("&amp;", o->f); break;
        case '"': fputs("&quot;", o->f); break;
        case '\'': fputs("&#39;", o->f); break;
        case '\n': fputs(o->html ? "<br>" : "\n", o->f); break;
        default: fputc(*s, o->f);
        }
}

/* A paragraph (HTML class cls, or none), formatted as printf does. */
static void __attribute__((format(printf, 3, 4))) st_line(st_out *o, const char *cls,
                                                         const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (b != NULL) {
        vsnprintf(b, (size_t)n + 1, fmt, aq);
        /* signed texts are a party's own: no control or bidirectional
         * character may reorder or hide what the paper shows */
        pl_text_oneline(b);
    }
    va_end(aq);
    if (o->html && cls != NULL)
        fprintf(o->f, "<p class=\"%s\">", cls);
    else if (o->html)
        fputs("<p>", o->f);
    esc(o, b ? b : "?");
    fputs(o->html ? "</p>\n" : "\n", o->f);
    free(b);
}

static void st_section(st_out *o, const char *title)
{
    if (o->html) {
        fputs("<h2>", o->f);
        esc(o, title);
        fputs("</h2>\n", o->f);
    } else {
        fprintf(o->f, "\n%s\n", title);
    }
}

static void st_gap(st_out *o)
{
    fputs(o->html ? "<div class=\"gap\"></div>\n" : "\n", o->f);
}

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
static void signer(st_out *o, const pl_case *c, long i, const char *label)
{
    if (i < 0) {
        st_line(o, "sig", "%s：无", label);
        return;
    }
    const pl_header *h = pl_msg_header(pl_case_msg(c, (size_t)i));
    char fp[PL_FINGERPRINT_STR_BYTES], when[64];
    pl_fingerprint(h->author, fp);
    beijing(h->timestamp_ms, when);
    st_line(o, "sig", "%s：%s（电子签名，%s，密钥指纹 %s）", label, name_or(c, h->author), when, fp);
}

static const char *licence_of(const pl_case *c, const uint8_t *pk)
{
    const pl_body *ch = pl_case_charter(c);
    for (size_t i = 0; ch && i < ch->u.charter.nparticipants; i++)
        if (memcmp(ch->u.charter.participants[i].key, pk, PL_PK_BYTES) == 0)
            return ch->u.charter.participants[i].licence;
    return NULL;
}

/* SPEC §13.26 (v2): a minor's plea to which the guardian or the defender
 * objected has no plea statement, and is never shown as one. */
static int without_statement(const pl_cert_report *r)
{
    pl_case_status cs;
    pl_case_status_get(r->c, &cs);
    return cs.no_statement;
}

static const char *doc_title(int no_statement)
{
    return no_statement ? "认罪认罚情况记录（依法不签署具结书）" : "认罪认罚具结书";
}

static void body(st_out *o, const pl_cert_report *r, const pl_terms *t,
                 const cli_statement_check *v)
{
    const pl_case *c = r->c;
    const pl_body *ch = pl_case_charter(c);
    char cid[2 * PL_CASE_ID_BYTES + 1], art[96], text[PL_TERMS_TEXT_MAX];
    cli_hex(r->case_id, PL_CASE_ID_BYTES, cid);
    int no_statement = without_statement(r);
    const char *title = doc_title(no_statement);
    if (o->html)
        fprintf(o->f, "<h1>%s</h1>\n", title);
    else
        fprintf(o->f, "%s\n\n", title);
    if (no_statement)
        st_line(o, "meta", "未成年犯罪嫌疑人的法定代理人或辩护人对认罪认罚有异议，依照《中华人民共和国"
                           "刑事诉讼法》第一百七十四条第二款第二项，不需要签署认罪认罚具结书；"
                           "以下为协商记录，不是具结书。");
    st_line(o, "meta", "案件：%s", ch && ch->u.charter.title ? ch->u.charter.title : "（未载明）");
    st_line(o, "meta", "案件标识：%s", cid);

    const uint8_t *spk = r->sign_suspect >= 0
                             ? pl_msg_header(pl_case_msg(c, (size_t)r->sign_suspect))->author
                             : NULL;
    const uint8_t *kpk = r->sign_counsel >= 0
                             ? pl_msg_header(pl_case_msg(c, (size_t)r->sign_counsel))->author
                             : NULL;
    int duty = kpk && pl_case_capacity(c, kpk) == PL_CAPACITY_DUTY_LAWYER;
    st_section(o, "一、犯罪嫌疑人身份信息");
    if (spk != NULL) {
        pl_identity_info id;
        int bound = pl_report_identity(c, spk, &id) == PL_OK && id.bound;
        st_line(o, NULL, "犯罪嫌疑人：%s", name_or(c, spk));
        /* SPEC §13.2 *Particulars* (v2): as the charter states them */
        const pl_participant *sp = pl_case_suspect(c);
        if (sp != NULL && sp->birth != 0)
            st_line(o, NULL, "出生日期：%u年%u月%u日（据本案章程）", (unsigned)(sp->birth / 10000),
                    (unsigned)(sp->birth / 100 % 100), (unsigned)(sp->birth % 100));
        if (sp != NULL && sp->nationality[0] != '\0')
            st_line(o, NULL, "国籍：%s（ISO 3166-1 代码）", sp->nationality);
        if (sp != NULL && sp->language != NULL)
            st_line(o, NULL, "通晓的语言：%s；诉讼使用的语言：%s%s", sp->language, pl_case_language(c),
                    pl_case_needs_interpreter(c) ? "（应当为其提供翻译）" : "");
        st_line(o, NULL, "公民身份号码：%s",
                bound ? (id.confirmed ? "经哈希值与本案章程绑定，并由签名的犯罪嫌疑人在已确定的会见中确认"
                                      : "经哈希值与本案章程绑定，但签名密钥未作确认")
                      : "本证书未绑定身份证件（未经核实）");
    }
    if (kpk != NULL) {
        const char *lic = licence_of(c, kpk);
        st_line(o, NULL, "%s：%s%s%s%s", duty ? "值班律师" : "辩护人", name_or(c, kpk),
                lic ? "（执业证号 " : "", lic ? lic : "", lic ? "）" : "");
    }
    /* SPEC §13.26: the guardian's word at the signing, for the agreed offer */
    for (size_t i = 0; r->offer >= 0 && i < pl_case_count(c); i++) {
        const pl_body *gb = pl_case_body(c, i);
        const pl_header *gh = pl_msg_header(pl_case_msg(c, i));
        if (gb == NULL || gh->type != PL_T_CONSENT || !pl_case_consent_counts(c, r->sign_suspect, i))
            continue;
        st_line(o, NULL, "法定代理人（或合适成年人）：%s，到场，%s%s%s", name_or(c, gh->author),
                gb->u.consent.agrees ? "同意" : "提出异议", gb->u.consent.reasons ? "：" : "",
                gb->u.consent.reasons ? gb->u.consent.reasons : "");
    }
    /* SPEC §13.27 (v2): the interpreter at the signing */
    long interp = -1;
    for (size_t i = 0; r->sign_suspect >= 0 && i < pl_case_count(c); i++) {
        const pl_body *ib = pl_case_body(c, i);
        if (ib == NULL || !pl_case_interpretation_counts(c, r->sign_suspect, i))
            continue;
        if (interp < 0)
            interp = (long)i;
        st_line(o, NULL, "翻译人员：%s，到场，已将量刑建议及本文书内容翻译为%s",
                name_or(c, pl_msg_header(pl_case_msg(c, i))->author), ib->u.interpretation.language);
    }
    st_section(o, "二、权利知悉");
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
        st_line(o, NULL,
                "本人已阅读《认罪认罚从宽制度告知书》（语言：%s；文件哈希值 %s…），理解并接受其全部内容，"
                "于%s确认。告知书载明反悔的后果：%s",
                nb->u.notice.language, h, when, nb->u.notice.withdrawal);
    } else {
        st_line(o, NULL, "本证书未载明犯罪嫌疑人对《认罪认罚从宽制度告知书》的确认。");
    }

    st_section(o, "三、认罪认罚内容");
    if (t != NULL) {
        st_line(o, NULL, "本人对人民检察院指控的下列犯罪事实没有异议，自愿认罪：");
        st_line(o, "facts", "%s", t->facts[0] ? t->facts : "（未载明）");
        char charges[PL_TERMS_MAX_CHARGES * (PL_TERMS_NAME_MAX + 160) + 16] = "";
        size_t used = 0;
        for (size_t i = 0; i < t->ncharges && used < sizeof charges; i++) {
            pl_zh_article(t->charges[i].article, art);
            int k = snprintf(charges + used, sizeof charges - used, "%s%s（《中华人民共和国刑法》%s）",
                             i ? "；" : "", t->charges[i].name, art);
            used += k > 0 ? (size_t)k : 0;
        }
        st_line(o, NULL, "罪名：%s", charges);
        if (pl_terms_format_zh(t, text, sizeof text) == PL_OK)
            st_line(o, "terms", "本人同意人民检察院的量刑建议：%s。", text);
        static const struct {
            unsigned bit;
            const char *zh;
        } g[] = {{PL_GROUND_SURRENDER, "自首"},      {PL_GROUND_CONFESSION, "坦白"},
                 {PL_GROUND_COMPENSATION, "赔偿"},   {PL_GROUND_RESTITUTION, "退赃退赔"},
                 {PL_GROUND_FORGIVENESS, "取得谅解"}, {PL_GROUND_OTHER, "其他"}};
        char grounds[256] = "";
        int any = 0;
        for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
            if (t->grounds & g[i].bit)
                snprintf(grounds + strlen(grounds), sizeof grounds - strlen(grounds), "%s%s",
                         any++ ? "、" : "", g[i].zh);
        if (any)
            st_line(o, NULL, "从宽情节：%s。", grounds);
    } else {
        st_line(o, NULL, "（本证书的条款无法解读）");
    }

    st_section(o, no_statement ? "四、签署情况" : "四、自愿签署声明");
    pl_report_presence pr;
    pl_report_presence_of(c, r->sign_suspect, r->sign_counsel, &pr);
    const pl_body *sb = pr.session >= 0 ? pl_case_body(c, (size_t)pr.session) : NULL;
    if (sb != NULL) {
        char when[64];
        beijing(sb->u.session_propose.time_ms, when);
        st_line(o, NULL, no_statement ? "犯罪嫌疑人于%s在%s签署认罪认罚意见（不签署具结书），%s在场见证。"
                                         : "本具结书由犯罪嫌疑人于%s在%s签署，%s在场见证。",
                when, sb->u.session_propose.venue, duty ? "值班律师" : "辩护人");
        if (pr.recordings > 0)
            st_line(o, NULL, "该次会见的同步录音录像已锚定 %d 份（以哈希值记录）。", pr.recordings);
        else
            st_line(o, NULL, "本证书未载明该次会见的同步录音录像。");
    } else {
        st_line(o, NULL, "本证书未载明签署会见，无法证明辩护人在场。");
    }
    const pl_body *db = pr.dissent >= 0 ? pl_case_body(c, (size_t)pr.dissent) : NULL;
    if (db != NULL && db->type == PL_T_OPINION)
        st_line(o, NULL, "辩护人意见：辩护人见证签署，但对量刑建议持不同意见：%s", db->u.opinion.text);

    st_gap(o);
    if (o->html)
        fputs("<div class=\"sigs\">\n", o->f);
    signer(o, c, r->sign_suspect, "犯罪嫌疑人");
    signer(o, c, r->sign_counsel, duty ? "值班律师（见证）" : "辩护人（见证）");
    if (interp >= 0)
        signer(o, c, interp, "翻译人员");
    signer(o, c, r->sign_prosecution, "检察官");
    signer(o, c, r->attestation, "观察员（见证日志）");
    if (o->html)
        fputs("</div>\n", o->f);

    /* SPEC §16.6: what was checked, what was not, and which file this is */
    st_section(o, "五、核验");
    st_line(o, NULL,
            "本证书所载全部签名、哈希值与规则均经离线核验有效（parley verify，核验规则见协议第16.3节）。");
    if (v && v->anchors)
        st_line(o, v->trusted ? NULL : "warn",
                v->trusted ? "检察官与辩护人的签名密钥均经信任锚（%s）确认。"
                           : "检察官或辩护人的签名密钥未经信任锚（%s）确认，不能认定其身份。",
                v->anchors);
    else
        st_line(o, "warn",
                "本次核验未使用信任锚：上列签名仅证明由所列指纹的密钥作出，不能证明该密钥属于所称之检察官或辩护人；"
                "请以人民检察院、律师协会公布的密钥指纹核对。");
    if (v && v->id_checked)
        st_line(o, v->id_matches ? NULL : "warn",
                v->id_matches ? "经核对，所提供的公民身份号码与本案章程绑定的哈希值相符。"
                              : "所提供的公民身份号码与本案章程绑定的哈希值不符。");
    st_line(o, NULL,
            "本证书不能证明其最后一条消息之后的事项：其后的反悔、撤回、法院调整、重新开启或分叉证明只见于案件日志；"
            "如需了解现状，应将本证书与案件日志或观察员最新的见证相对照。");
    if (v && v->hash[0]) {
        char grouped[2 * PL_CERT_HASH_BYTES + PL_CERT_HASH_BYTES / 4 + 1];
        size_t k = 0;
        for (size_t i = 0; v->hash[i]; i++) {
            if (i && i % 8 == 0)
                grouped[k++] = ' ';
            grouped[k++] = v->hash[i];
        }
        grouped[k] = '\0';
        st_line(o, "hash", "证书哈希（BLAKE2b-256）：%s", grouped);
        st_line(o, NULL, "纸面副本不是证书本身：请以 parley verify 计算证书文件的哈希值，与上列哈希值"
                         "（或二维码）相对照；核验的对象是文件。");
    } else {
        st_line(o, NULL, "以上签名均为 Ed25519 电子签名，任何人均可用 parley verify 离线核验本证书。");
    }
}

void cli_print_statement(const pl_cert_report *r, const pl_terms *t, const cli_statement_check *v)
{
    st_out o = {stdout, 0};
    body(&o, r, t, v);
}

int cli_statement_html(FILE *f, const pl_cert_report *r, const pl_terms *t,
                       const cli_statement_check *v, const char *qr_svg)
{
    st_out o = {f, 1};
    char cid[2 * PL_CASE_ID_BYTES + 1];
    cli_hex(r->case_id, PL_CASE_ID_BYTES, cid);
    /* self-contained: no script, no request (the CSP forbids both), A4 */
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            "<title>%s %.16s</title>\n<style>\n"
            "@page { size: A4; margin: 20mm 18mm; }\n"
            "body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', 'Source Han Serif SC', "
            "'SimSun', serif; font-size: 11pt; line-height: 1.7; color: #000; max-width: 180mm; "
            "margin: 0 auto; }\n"
            "h1 { text-align: center; font-size: 20pt; letter-spacing: 0.3em; margin: 0 0 1em; }\n"
            "h2 { font-size: 12pt; margin: 1.2em 0 0.3em; }\n"
            "p { margin: 0.2em 0; text-indent: 2em; }\n"
            "p.meta, p.sig, p.hash { text-indent: 0; }\n"
            "p.hash { font-family: monospace; font-size: 10pt; word-break: break-all; }\n"
            "p.warn { font-weight: bold; }\n"
            ".qr { float: right; width: 32mm; margin: 0 0 4mm 4mm; text-align: center; "
            "font-size: 8pt; }\n"
            ".qr svg { width: 32mm; height: 32mm; }\n"
            ".gap { height: 1em; }\n"
            ".sigs { border-top: 1px solid #000; padding-top: 0.5em; }\n"
            "</style></head><body>\n",
            doc_title(without_statement(r)), cid);
    if (qr_svg != NULL)
        fprintf(f, "<div class=\"qr\">%s<div>证书哈希二维码</div></div>\n", qr_svg);
    body(&o, r, t, v);
    fputs("</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}
