/* The negotiation report as one self-contained HTML page (parley report
 * --html): timeline, inputs and responses, disclosures, sessions,
 * violations, the verification result, and an inline SVG chart of each
 * side's proposed main penalty over the negotiation. No script, no font,
 * no image and no link leaves the page: a court can open it offline. The
 * facts come from libparley's report helpers, so this page and `parley
 * report` never disagree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* Words the library returns in English and this page shows through _():
 * listed here so that the catalogue has them (agreement states, SPEC
 * §13.20; session outcomes, §17.2). */
static const char *const library_words[] __attribute__((unused)) = {
    N_("none"),   N_("pending"), N_("final"), N_("retracted"), N_("withdrawn"),
    N_("closed"), N_("reopened"), N_("fixed"), N_("declined"), N_("open"),
};

/* The text report's "label       text" line without its label, in either
 * language (the label is one word, then spaces). */
static const char *after_label(const char *s)
{
    s += strspn(s, "\n ");
    s += strcspn(s, " ");
    return s + strspn(s, " ");
}

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* A time as people read it (issue 15 §1): local, TZ else Beijing time,
 * with its own offset: "2026-12-03 09:30+08:00". */
static void when(uint64_t ms, char out[32])
{
    char iso[32];
    cli_iso_time(ms, 0, iso); /* 2026-12-03T09:30:00+08:00 */
    snprintf(out, 32, "%.10s %.5s%.6s", iso, iso + 11, strlen(iso) == 25 ? iso + 19 : "");
}

static const pl_header *H(const pl_case *c, size_t i)
{
    return pl_msg_header(pl_case_msg(c, i));
}

/* What message i says, in the page's language. */
static void summary(const pl_case *c, size_t i, char *out, size_t cap)
{
    pl_report_summary_lang(c, i, cli_zh() ? PL_LANG_ZH : PL_LANG_EN, out, cap);
}

struct point {
    uint64_t t;
    double months;
    double probation; /* months, or -1 */
    pl_side side;
    int withdrawn; /* a later withdraw names this offer (SPEC §13.10) */
};

/* The probation of an offer in months, or -1 when it suspends nothing. */
static double offer_probation(const pl_case *c, size_t i)
{
    const pl_body *b = pl_case_body(c, i);
    double m = -1;
    pl_terms *t = malloc(sizeof *t);
    if (b && t && pl_terms_decode(b->u.offer.terms, b->u.offer.terms_len, t, NULL) == PL_OK &&
        t->has_probation)
        m = (double)t->probation;
    free(t);
    return m;
}

/* Whether a valid withdraw of the case names offer i. */
static int offer_withdrawn(const pl_case *c, size_t i)
{
    for (size_t k = 0; k < pl_case_count(c); k++) {
        const pl_body *b = pl_case_body(c, k);
        if (b && b->type == PL_T_WITHDRAW && pl_case_verdict(c, k) == PL_OK &&
            b->u.withdraw.has_offer &&
            memcmp(b->u.withdraw.offer, pl_msg_id(pl_case_msg(c, i)), PL_ID_BYTES) == 0)
            return 1;
    }
    return 0;
}

/* The main penalty of an offer in months (the top of a range), or -1 when
 * it has none (exemption, life). */
static double offer_months(const pl_case *c, size_t i)
{
    const pl_body *b = pl_case_body(c, i);
    double m = -1;
    pl_terms *t = malloc(sizeof *t);
    if (b && t && pl_terms_decode(b->u.offer.terms, b->u.offer.terms_len, t, NULL) == PL_OK &&
        (t->penalty.kind == PL_PENALTY_SURVEILLANCE || t->penalty.kind == PL_PENALTY_DETENTION ||
         t->penalty.kind == PL_PENALTY_IMPRISONMENT))
        m = (double)t->penalty.max;
    free(t);
    return m;
}

/* SVG line chart: the prosecution's and the defense's proposed months. */
static void chart(FILE *f, const pl_case *c, const size_t *order, size_t n)
{
    struct point *p = calloc(n ? n : 1, sizeof *p);
    size_t np = 0;
    double ymax = 1;
    for (size_t k = 0; p && k < n; k++) {
        size_t i = order[k];
        if (H(c, i)->type != PL_T_OFFER || pl_case_verdict(c, i) != PL_OK)
            continue;
        double m = offer_months(c, i);
        if (m < 0)
            continue;
        p[np] = (struct point){H(c, i)->timestamp_ms, m, offer_probation(c, i),
                               pl_role_side(pl_case_msg_role(c, i)), offer_withdrawn(c, i)};
        if (m > ymax)
            ymax = m;
        if (p[np].probation > ymax)
            ymax = p[np].probation;
        np++;
    }
    fprintf(f, "<h2>%s</h2>\n", _("Proposed main penalty and probation"));
    if (np == 0) {
        fprintf(f, "<p>%s</p>\n", _("No offer with a term in months."));
        free(p);
        return;
    }
    const double W = 640, Ht = 260, L = 48, R = 16, T = 16, B = 40;
    /* Timestamps are each author's claim (SPEC §6.5): across authors they
     * need not rise in display order, so the axis spans the smallest to the
     * largest, and no point falls outside it. */
    uint64_t t0 = p[0].t, t1 = p[0].t;
    for (size_t k = 1; k < np; k++) {
        if (p[k].t < t0)
            t0 = p[k].t;
        if (p[k].t > t1)
            t1 = p[k].t;
    }
    /* the axis runs to the next multiple of 4 above the largest value, so
     * its five ticks are whole months */
    ymax = 4.0 * (double)((uint64_t)ymax / 4 + 1);
    fprintf(f, "<svg id=\"penalty-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
               "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
               "aria-label=\"proposed main penalty in months over time\">\n",
            W, Ht, W, Ht);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" class=\"axis\"/>\n", L,
            Ht - B, W - R, Ht - B);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" class=\"axis\"/>\n", L, T,
            L, Ht - B);
    for (int g = 0; g <= 4; g++) {
        double v = ymax * g / 4, y = (Ht - B) - (Ht - B - T) * g / 4;
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%.0f</text>\n",
                L - 6, y + 4, v);
    }
    fprintf(f, "<text x=\"12\" y=\"%.0f\" class=\"tick\" transform=\"rotate(-90 12 %.0f)\">"
               "%s</text>\n",
            Ht / 2, Ht / 2, _("months"));
    char a[32], z[32];
    when(t0, a), when(t1, z);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"tick\">%s</text>\n", L, Ht - B + 18, a);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
            W - R, Ht - B + 18, z);
    /* SPEC §13.16: each change of round, a dashed line at its time */
    for (size_t k = 1; k < n; k++) {
        size_t i = order[k], j = order[k - 1];
        uint64_t r = pl_case_round(c, i);
        if (r <= pl_case_round(c, j) || H(c, i)->timestamp_ms < t0 || H(c, i)->timestamp_ms > t1)
            continue;
        double x = t1 > t0 ? L + (W - L - R) * (double)(H(c, i)->timestamp_ms - t0) /
                                 (double)(t1 - t0)
                           : (L + W - R) / 2;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" class=\"round\"/>"
                   "<text x=\"%.1f\" y=\"%.0f\" class=\"tick\">",
                x, T, x, Ht - B, x + 3, T + 10);
        fprintf(f, _("round %llu"), (unsigned long long)r);
        fputs("</text>\n", f);
    }
    static const struct {
        pl_side side;
        const char *cls, *label;
    } series[] = {{PL_SIDE_PROSECUTION, "prosecution", N_("prosecution")},
                  {PL_SIDE_DEFENSE, "defense", N_("defense")}};
    /* each point's place on the chart, computed once for line and dot */
    double *px = malloc(np * sizeof *px), *py = malloc(np * sizeof *py);
    for (size_t k = 0; px && py && k < np; k++) {
        px[k] = t1 > t0 ? L + (W - L - R) * (double)(p[k].t - t0) / (double)(t1 - t0)
                        : (L + W - R) / 2;
        py[k] = (Ht - B) - (Ht - B - T) * p[k].months / ymax;
    }
    for (int s = 0; px && py && s < 2; s++) {
        fprintf(f, "<polyline class=\"%s\" data-side=\"%s\" points=\"", series[s].cls,
                series[s].cls);
        for (size_t k = 0; k < np; k++)
            if (p[k].side == series[s].side)
                fprintf(f, "%.1f,%.1f ", px[k], py[k]);
        fputs("\"/>\n", f);
        /* probation: a dashed line of hollow squares, where offers give one */
        fprintf(f, "<polyline class=\"%s probation\" data-side=\"%s\" data-kind=\"probation\" "
                   "points=\"",
                series[s].cls, series[s].cls);
        for (size_t k = 0; k < np; k++)
            if (p[k].side == series[s].side && p[k].probation >= 0)
                fprintf(f, "%.1f,%.1f ", px[k],
                        (Ht - B) - (Ht - B - T) * p[k].probation / ymax);
        fputs("\"/>\n", f);
        for (size_t k = 0; k < np; k++) {
            if (p[k].side != series[s].side)
                continue;
            /* a withdrawn offer: a hollow circle, crossed */
            fprintf(f, "<circle class=\"%s%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>", series[s].cls,
                    p[k].withdrawn ? " withdrawn" : "", px[k], py[k]);
            fprintf(f, p[k].withdrawn ? _("%s: %.0f months (withdrawn)") : _("%s: %.0f months"),
                    _(series[s].label), p[k].months);
            fputs("</title></circle>\n", f);
            if (p[k].withdrawn)
                fprintf(f, "<path class=\"%s\" d=\"M%.1f %.1fl8 8M%.1f %.1fl8 -8\"/>\n",
                        series[s].cls, px[k] - 4, py[k] - 4, px[k] - 4, py[k] + 4);
            if (p[k].probation >= 0) {
                double y = (Ht - B) - (Ht - B - T) * p[k].probation / ymax;
                fprintf(f, "<rect class=\"%s probation\" x=\"%.1f\" y=\"%.1f\" width=\"7\" "
                           "height=\"7\"><title>",
                        series[s].cls, px[k] - 3.5, y - 3.5);
                fprintf(f, _("%s: probation %.0f months"), _(series[s].label), p[k].probation);
                fputs("</title></rect>\n", f);
            }
        }
    }
    free(px);
    free(py);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"legend prosecution\">&#9632; %s</text>"
               "<text x=\"%.0f\" y=\"%.0f\" class=\"legend defense\">&#9632; %s</text>"
               "<text x=\"%.0f\" y=\"%.0f\" class=\"legend\">&#9633; %s &#8856; %s</text>\n",
            L + 8, Ht - 8, _("prosecution"), L + 130, Ht - 8, _("defense"), L + 252, Ht - 8,
            _("probation"), _("withdrawn"));
    fputs("</svg>\n", f);
    free(p);
}

int cli_report_html(const pl_case *c, const char *verified, FILE *f)
{
    size_t n = pl_case_count(c);
    const pl_msg **msgs = calloc(n ? n : 1, sizeof *msgs);
    size_t *order = calloc(n ? n : 1, sizeof *order);
    char line[PL_TERMS_TEXT_MAX], t[32];
    pl_case_status st;
    if (msgs == NULL || order == NULL) {
        free(msgs), free(order);
        return PL_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        msgs[i] = pl_case_msg(c, i);
    if (pl_log_order(msgs, n) != PL_OK) {
        free(msgs), free(order);
        return PL_E_NOMEM;
    }
    for (size_t k = 0; k < n; k++)
        order[k] = (size_t)pl_case_find(c, pl_msg_id(msgs[k]));
    pl_case_status_get(c, &st);
    const pl_body *ch = pl_case_charter(c);
    const char *tz_head = _("time");
    char terms[PL_TERMS_TEXT_MAX] = "";
    if (st.offer >= 0)
        summary(c, (size_t)st.offer, terms, sizeof terms);

    /* The policy comes first in <head>, so it covers everything after it:
     * even if text from the log ever escaped esc(), the page could still
     * fetch nothing (no image, script, font, frame, form or base URL); the
     * inline <style> is all it needs. */
    fprintf(f, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
               "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n<title>",
            cli_zh() ? "zh-CN" : "en");
    esc(f, ch ? ch->u.charter.title : "Parley report");
    fprintf(f, " — %s</title>\n<style>\n", _("Parley negotiation report"));
    fputs(""
          "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}\n"
          "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}\n"
          "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;"
          "text-align:left;vertical-align:top}th{background:#f4f4f4}\n"
          ".violation{background:#fde8e8}.ok{color:#17632a}.bad{color:#a11}\n"
          ".axis{stroke:#444}.tick{font-size:11px;fill:#444}.legend{font-size:12px}\n"
          "polyline{fill:none;stroke-width:2}polyline.prosecution,circle.prosecution{stroke:#b3261e}"
          "circle.prosecution{fill:#b3261e}.legend.prosecution{fill:#b3261e}\n"
          "polyline.defense,circle.defense{stroke:#1e4fb3}circle.defense{fill:#1e4fb3}"
          ".legend.defense{fill:#1e4fb3}\n"
          "polyline.probation{stroke-dasharray:4 3;stroke-width:1.5}rect.probation{fill:#fff;"
          "stroke-width:1.5}rect.prosecution{stroke:#b3261e}rect.defense{stroke:#1e4fb3}\n"
          "circle.withdrawn{fill:#fff}path.prosecution{stroke:#b3261e}path.defense{stroke:#1e4fb3}"
          ".round{stroke:#777;stroke-dasharray:2 4}\n"
          "</style></head><body>\n<h1>",
          f);
    esc(f, ch ? ch->u.charter.title : "Parley negotiation");
    fprintf(f, "</h1>\n<table id=\"summary\">\n<tr><th>%s</th><td><code>", _("case"));
    if (n)
        for (int k = 0; k < PL_CASE_ID_BYTES; k++)
            fprintf(f, "%02x", H(c, 0)->case_id[k]);
    fprintf(f, "</code></td></tr>\n<tr><th>%s</th><td>", _("agreement"));
    fprintf(f, _("%s (round %llu)"), _(pl_agreement_state_name(st.state)),
            (unsigned long long)st.round);
    fprintf(f, "</td></tr>\n<tr><th>%s</th><td>", _("terms"));
    esc(f, terms[0] ? terms : _("none signed"));
    fprintf(f, "</td></tr>\n<tr><th>%s</th><td class=\"ok\">", _("verification"));
    esc(f, verified);
    fputs("</td></tr>\n", f);
    /* R8, SPEC §13.13: who observes, named or drawn from the pool */
    uint8_t drawn[PL_PK_BYTES];
    uint64_t draw_round;
    char fp[PL_FINGERPRINT_STR_BYTES];
    if (ch && ch->u.charter.npool && pl_case_drawn_observer(c, drawn, &draw_round)) {
        pl_fingerprint(drawn, fp);
        fprintf(f, "<tr><th>%s</th><td>", _("observer"));
        fprintf(f, _("drawn in round %llu from a pool of %zu: "), (unsigned long long)draw_round,
                ch->u.charter.npool);
        fprintf(f, "<code>%s</code></td></tr>\n", fp);
    } else if (ch && ch->u.charter.npool) {
        fprintf(f, "<tr><th>%s</th><td>", _("observer"));
        fprintf(f, _("not drawn yet from a pool of %zu"), ch->u.charter.npool);
        fputs("</td></tr>\n", f);
    }
    fprintf(f, "<tr><th>%s</th><td>%zu</td></tr>\n<tr><th>%s</th><td>%zu</td></tr>\n</table>\n",
            _("open inputs"), st.open_inputs, _("violations"), st.violations);
    /* SPEC §13.2 *Deadline*, §13.26, §17.2 items 1, 13, 14 (v2): the
     * procuratorate's clock, a minor's plea without a statement, and the
     * recording provisions' checklist, in the words of the text report */
    if (ch && ch->u.charter.has_deadline) {
        char day[32], dl[512];
        cli_iso_time(ch->u.charter.deadline_ms, 0, day);
        day[10] = '\0'; /* SPEC §13.5: the UTC date */
        snprintf(dl, sizeof dl, _("\ndeadline    the procuratorate decides on prosecution by %s (CPL art. "
                                      "172, as the charter states); no deadline binds the defense"),
                 day);
        fputs("<p id=\"deadline\">", f);
        esc(f, after_label(dl));
        fputs("</p>\n", f);
    }
    if (st.no_statement) {
        fputs("<p id=\"no-statement\" class=\"bad\">", f);
        esc(f, after_label(_("statement   NONE: a plea without a plea statement (CPL art. 174 para. 2 "
                             "item 2; SPEC §13.26)\n")));
        fputs("</p>\n", f);
    }
    char *items = NULL;
    if (pl_report_checklist_text(c, cli_zh() ? PL_LANG_ZH : PL_LANG_EN, &items) == PL_OK) {
        fprintf(f, "<h2>%s</h2>\n<ul id=\"checklist\">\n",
                _("\nRECORDING PROVISIONS CHECKLIST (SPP provisions on recording plea hearings, "
                  "art. 4)\n") + 1);
        /* the text report's lines, "  [x] …", each an item */
        for (char *it = items, *nl; *it; it = nl + 1) {
            if ((nl = strchr(it, '\n')) == NULL)
                break;
            *nl = '\0';
            fputs("<li>", f);
            esc(f, it + strspn(it, " "));
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    pl_free(items);

    /* SPEC §13.2, §13.18: who takes part, by name, and who holds each
     * role now (a replaced key is listed as replaced) */
    fprintf(f, "<h2>%s</h2>\n<table id=\"participants\"><tr><th>%s</th><th>%s</th><th>%s</th>"
               "<th>%s</th></tr>\n",
            _("Participants"), _("role"), _("name"), _("key"), _("now"));
    for (size_t k = 0; ch && k < ch->u.charter.nparticipants; k++) {
        const pl_participant *pp = &ch->u.charter.participants[k];
        pl_fingerprint(pp->key, fp);
        fprintf(f, "<tr><td>%s</td><td>", _(pl_role_name(pp->role)));
        esc(f, pp->name ? pp->name : "");
        fprintf(f, "</td><td><code>%s</code></td><td>%s</td></tr>\n", fp,
                pl_case_role(c, pp->key) == pp->role ? _("holds the role") : _("replaced"));
    }
    pl_role_change rc[16];
    size_t nrc = pl_report_role_changes(c, rc, 16);
    for (size_t k = 0; k < nrc && k < 16; k++) {
        if (!rc[k].has_new || rc[k].state != PL_CHANGE_EFFECTIVE)
            continue;
        pl_fingerprint(rc[k].new_key, fp);
        fprintf(f, "<tr><td>%s</td><td>", _(pl_role_name(rc[k].role)));
        esc(f, pl_report_name(c, rc[k].new_key) ? pl_report_name(c, rc[k].new_key) : "");
        fprintf(f, "</td><td><code>%s</code></td><td>%s (%s)</td></tr>\n", fp,
                pl_case_role(c, rc[k].new_key) == rc[k].role ? _("holds the role")
                                                             : _("replaced"),
                pl_msg_type_name(rc[k].type));
    }
    fputs("</table>\n", f);

    chart(f, c, order, n);

    fprintf(f, "<h2>%s</h2>\n<table id=\"timeline\"><tr><th>%s</th><th>%s</th><th>%s</th>"
               "<th>%s</th><th>%s</th></tr>\n",
            _("Timeline"), tz_head, _("role"), _("message"), _("what it says"), _("verdict"));
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        int v = pl_case_verdict(c, i);
        when(H(c, i)->timestamp_ms, t);
        summary(c, i, line, sizeof line);
        fprintf(f, "<tr%s><td>%s</td><td>%s</td><td>%s</td><td>", v ? " class=\"violation\"" : "",
                t, _(pl_role_name(pl_case_msg_role(c, i))), pl_msg_type_name(H(c, i)->type));
        esc(f, line);
        fprintf(f, "</td><td>%s</td></tr>\n", v ? pl_errname(v) : "ok");
    }
    fprintf(f, "</table>\n<h2>%s</h2>\n<table id=\"inputs\"><tr><th>%s</th><th>%s</th>"
               "<th>%s</th><th>%s</th></tr>\n",
            _("Inputs and responses (R3, R4)"), _("from"), _("input"), _("answer"),
            _("reasons"));
    for (size_t i = 0; i < n; i++) {
        if (!pl_case_is_input(c, i))
            continue;
        long r = pl_report_response_to(c, (size_t)i);
        summary(c, i, line, sizeof line);
        fprintf(f, "<tr><td>%s</td><td>", _(pl_role_name(pl_case_msg_role(c, i))));
        esc(f, line);
        if (r >= 0) {
            const pl_body *rb = pl_case_body(c, (size_t)r);
            fprintf(f, "</td><td>%s</td><td>", pl_decision_name(rb->u.response.decision));
            esc(f, rb->u.response.reasons);
        } else {
            fprintf(f, "</td><td class=\"bad\">%s</td><td>", _("unanswered"));
        }
        fputs("</td></tr>\n", f);
    }
    fprintf(f, "</table>\n<h2>%s</h2>\n<table id=\"disclosures\"><tr><th>%s</th><th>%s</th>"
               "<th>%s</th></tr>\n",
            _("Disclosures (R7)"), _("item"), _("size"), _("acknowledged"));
    for (size_t i = 0; i < n; i++) {
        const pl_body *b = pl_case_body(c, i);
        if (!b || b->type != PL_T_DISCLOSE || pl_case_verdict(c, i) != PL_OK)
            continue;
        int acked, before;
        pl_report_disclosure(c, i, &acked, &before);
        for (size_t it = 0; it < b->u.disclose.nitems; it++) {
            fputs("<tr><td>", f);
            esc(f, b->u.disclose.items[it].title);
            fputs("</td><td>", f);
            fprintf(f, _("%llu bytes"), (unsigned long long)b->u.disclose.items[it].size);
            fprintf(f, "</td><td>%s</td></tr>\n",
                    !acked ? _("no") : before ? _("yes, before signing") : _("yes"));
        }
    }
    fprintf(f, "</table>\n<h2>%s</h2>\n<table id=\"sessions\"><tr><th>%s</th><th>%s</th>"
               "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            _("Sessions (R6, R12)"), _("time"), _("venue"), _("proposed by"), _("outcome"),
            _("public"), _("recordings"));
    for (size_t i = 0; i < n; i++) {
        const pl_body *b = pl_case_body(c, i);
        if (!b || b->type != PL_T_SESSION_PROPOSE || pl_case_verdict(c, i) != PL_OK)
            continue;
        const char *outcome;
        int pub, rec;
        pl_report_session(c, i, &outcome, &pub, &rec);
        when(b->u.session_propose.time_ms, t);
        fprintf(f, "<tr><td>%s</td><td>", t);
        esc(f, b->u.session_propose.venue);
        fprintf(f, "%s%s%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td></tr>\n",
                b->u.session_propose.detention_facility ? " <strong>(" : "",
                b->u.session_propose.detention_facility ? _("detention facility") : "",
                b->u.session_propose.detention_facility ? ")</strong>" : "",
                _(pl_role_name(pl_case_msg_role(c, i))), _(outcome), pub ? _("yes") : _("no"), rec);
    }
    fputs("</table>\n", f);

    /* R5, R10: what one side did alone; SPEC §13.16: each new round */
    fprintf(f, "<h2>%s</h2>\n<table id=\"unilateral\"><tr><th>%s</th><th>%s</th><th>%s</th>"
               "<th>%s</th></tr>\n",
            _("Unilateral acts and rounds (R5, R10, SPEC §13.16)"), tz_head, _("role"),
            _("act"), _("what it says"));
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        const pl_body *ub = pl_case_body(c, i);
        int new_round = k > 0 && pl_case_round(c, i) > pl_case_round(c, order[k - 1]);
        if (!ub || pl_case_verdict(c, i) != PL_OK ||
            !(ub->type == PL_T_WITHDRAW || ub->type == PL_T_RETRACT || new_round))
            continue;
        when(H(c, i)->timestamp_ms, t);
        summary(c, i, line, sizeof line);
        fprintf(f, "<tr><td>%s</td><td>%s</td><td>%s", t, _(pl_role_name(pl_case_msg_role(c, i))),
                pl_msg_type_name(ub->type));
        if (new_round) {
            fputs(" — ", f);
            fprintf(f, _("round %llu"), (unsigned long long)pl_case_round(c, i));
        }
        fputs("</td><td>", f);
        esc(f, line);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);

    /* R8, SPEC §13.13: each draw round, what each side did */
    if (ch && ch->u.charter.npool) {
        fprintf(f, "<h2>%s</h2>\n<table id=\"draw\"><tr><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                _("Observer draw (R8)"), _("round"), _("prosecution"), _("defense"));
        uint64_t seen[64];
        size_t nseen = 0;
        for (size_t k = 0; k < n; k++) {
            const pl_body *db = pl_case_body(c, order[k]);
            if (!db || (db->type != PL_T_DRAW_COMMIT && db->type != PL_T_DRAW_REVEAL))
                continue;
            size_t q = 0;
            while (q < nseen && seen[q] != db->u.draw.round)
                q++;
            if (q < nseen || nseen == 64)
                continue;
            seen[nseen++] = db->u.draw.round;
            /* per side: revealed, committed, or nothing, in this round */
            const char *step[2] = {_("nothing"), _("nothing")};
            for (size_t j = 0; j < n; j++) {
                const pl_body *e = pl_case_body(c, j);
                pl_side ds = pl_case_draw_side(c, j); /* SPEC §13.13 *Standing joins* */
                if (!e || ds == PL_SIDE_NONE || e->u.draw.round != db->u.draw.round)
                    continue;
                int side = ds == PL_SIDE_PROSECUTION ? 0 : 1;
                if (e->type == PL_T_DRAW_REVEAL)
                    step[side] = _("revealed");
                else if (strcmp(step[side], _("revealed")) != 0)
                    step[side] = _("committed");
            }
            fprintf(f, "<tr><td>%llu</td><td>%s</td><td>%s</td></tr>\n",
                    (unsigned long long)db->u.draw.round, step[0], step[1]);
        }
        fputs("</table>\n", f);
    }

    fprintf(f, "<h2>%s</h2>\n<table id=\"violations\"><tr><th>%s</th><th>%s</th><th>%s</th>"
               "<th>%s</th></tr>\n",
            _("Violations"), _("role"), _("message"), _("rule"), _("meaning"));
    for (size_t i = 0; i < n; i++) {
        int v = pl_case_verdict(c, i);
        if (v == PL_OK)
            continue;
        fprintf(f, "<tr class=\"violation\"><td>%s</td><td>%s</td><td>%s (§%s)</td><td>",
                _(pl_role_name(pl_case_msg_role(c, i))), pl_msg_type_name(H(c, i)->type),
                pl_errname(v), pl_errsection(v));
        esc(f, cli_strerror(v));
        fputs("</td></tr>\n", f);
    }
    fprintf(f, "</table>\n<p><small>");
    fprintf(f, _("Generated by parley %s from the signed log alone; every line can be checked "
                 "with parley verify."),
            PL_VERSION_STRING);
    fputs("</small></p>\n</body></html>\n", f);
    free(msgs);
    free(order);
    return ferror(f) ? PL_E_IO : PL_OK;
}
