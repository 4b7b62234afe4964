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

static void when(uint64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(out, 32, "%Y-%m-%d %H:%M", &tm) == 0)
        snprintf(out, 32, "?");
}

static const pl_header *H(const pl_case *c, size_t i)
{
    return pl_msg_header(pl_case_msg(c, i));
}

struct point {
    uint64_t t;
    double months;
    pl_side side;
};

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
        p[np++] = (struct point){H(c, i)->timestamp_ms, m, pl_role_side(pl_case_msg_role(c, i))};
        if (m > ymax)
            ymax = m;
    }
    fputs("<h2>Proposed main penalty</h2>\n", f);
    if (np == 0) {
        fputs("<p>No offer with a term in months.</p>\n", f);
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
               "months</text>\n",
            Ht / 2, Ht / 2);
    char a[32], z[32];
    when(t0, a), when(t1, z);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"tick\">%s</text>\n", L, Ht - B + 18, a);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
            W - R, Ht - B + 18, z);
    static const struct {
        pl_side side;
        const char *cls, *label;
    } series[] = {{PL_SIDE_PROSECUTION, "prosecution", "prosecution"},
                  {PL_SIDE_DEFENSE, "defense", "defense"}};
    /* each point's place on the chart, computed once for line and dot */
    double *px = malloc(np * sizeof *px), *py = malloc(np * sizeof *py);
    for (size_t k = 0; px && py && k < np; k++) {
        px[k] = t1 > t0 ? L + (W - L - R) * (double)(p[k].t - t0) / (double)(t1 - t0)
                        : (L + W - R) / 2;
        py[k] = (Ht - B) - (Ht - B - T) * p[k].months / ymax;
    }
    for (int s = 0; px && py && s < 2; s++) {
        fprintf(f, "<polyline class=\"%s\" data-side=\"%s\" points=\"", series[s].cls,
                series[s].label);
        for (size_t k = 0; k < np; k++)
            if (p[k].side == series[s].side)
                fprintf(f, "%.1f,%.1f ", px[k], py[k]);
        fputs("\"/>\n", f);
        for (size_t k = 0; k < np; k++)
            if (p[k].side == series[s].side)
                fprintf(f, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%s: "
                           "%.0f months</title></circle>\n",
                        series[s].cls, px[k], py[k], series[s].label, p[k].months);
    }
    free(px);
    free(py);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"legend prosecution\">&#9632; prosecution</text>"
               "<text x=\"%.0f\" y=\"%.0f\" class=\"legend defense\">&#9632; defense</text>\n",
            L + 8, Ht - 8, L + 130, Ht - 8);
    fputs("</svg>\n", f);
    free(p);
}

int cli_report_html(const pl_case *c, const char *verified, FILE *f)
{
    size_t n = pl_case_count(c);
    const pl_msg **msgs = calloc(n ? n : 1, sizeof *msgs);
    size_t *order = calloc(n ? n : 1, sizeof *order);
    char line[1024], t[32];
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
    char terms[PL_TERMS_TEXT_MAX] = "";
    if (st.offer >= 0)
        pl_report_summary(c, (size_t)st.offer, terms, sizeof terms);

    /* The policy comes first in <head>, so it covers everything after it:
     * even if text from the log ever escaped esc(), the page could still
     * fetch nothing (no image, script, font, frame, form or base URL); the
     * inline <style> is all it needs. */
    fputs("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n<title>",
          f);
    esc(f, ch ? ch->u.charter.title : "Parley report");
    fputs(" — Parley negotiation report</title>\n<style>\n"
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
          "</style></head><body>\n<h1>",
          f);
    esc(f, ch ? ch->u.charter.title : "Parley negotiation");
    fputs("</h1>\n<table id=\"summary\">\n<tr><th>case</th><td><code>", f);
    if (n)
        for (int k = 0; k < PL_CASE_ID_BYTES; k++)
            fprintf(f, "%02x", H(c, 0)->case_id[k]);
    fprintf(f, "</code></td></tr>\n<tr><th>agreement</th><td>%s (round %llu)</td></tr>\n",
            pl_agreement_state_name(st.state), (unsigned long long)st.round);
    fputs("<tr><th>terms</th><td>", f);
    esc(f, terms[0] ? terms : "none signed");
    fputs("</td></tr>\n<tr><th>verification</th><td class=\"ok\">", f);
    esc(f, verified);
    fputs("</td></tr>\n", f);
    /* R8, SPEC §13.13: who observes, named or drawn from the pool */
    uint8_t drawn[PL_PK_BYTES];
    uint64_t draw_round;
    char fp[PL_FINGERPRINT_STR_BYTES];
    if (ch && ch->u.charter.npool && pl_case_drawn_observer(c, drawn, &draw_round)) {
        pl_fingerprint(drawn, fp);
        fprintf(f, "<tr><th>observer</th><td>drawn in round %llu from a pool of %zu: "
                   "<code>%s</code></td></tr>\n",
                (unsigned long long)draw_round, ch->u.charter.npool, fp);
    } else if (ch && ch->u.charter.npool) {
        fprintf(f, "<tr><th>observer</th><td>not drawn yet from a pool of %zu</td></tr>\n",
                ch->u.charter.npool);
    }
    fprintf(f, "<tr><th>open inputs</th><td>%zu</td></tr>\n<tr><th>violations</th>"
               "<td>%zu</td></tr>\n</table>\n",
            st.open_inputs, st.violations);

    chart(f, c, order, n);

    fputs("<h2>Timeline</h2>\n<table id=\"timeline\"><tr><th>time (UTC)</th><th>role</th>"
          "<th>message</th><th>what it says</th><th>verdict</th></tr>\n",
          f);
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        int v = pl_case_verdict(c, i);
        when(H(c, i)->timestamp_ms, t);
        pl_report_summary(c, i, line, sizeof line);
        fprintf(f, "<tr%s><td>%s</td><td>%s</td><td>%s</td><td>", v ? " class=\"violation\"" : "",
                t, pl_role_name(pl_case_msg_role(c, i)), pl_msg_type_name(H(c, i)->type));
        esc(f, line);
        fprintf(f, "</td><td>%s</td></tr>\n", v ? pl_errname(v) : "ok");
    }
    fputs("</table>\n<h2>Inputs and responses (R3, R4)</h2>\n<table id=\"inputs\"><tr><th>from</th>"
          "<th>input</th><th>answer</th><th>reasons</th></tr>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        if (!pl_case_is_input(c, i))
            continue;
        long r = pl_report_response_to(c, (size_t)i);
        pl_report_summary(c, i, line, sizeof line);
        fprintf(f, "<tr><td>%s</td><td>", pl_role_name(pl_case_msg_role(c, i)));
        esc(f, line);
        if (r >= 0) {
            const pl_body *rb = pl_case_body(c, (size_t)r);
            fprintf(f, "</td><td>%s</td><td>", pl_decision_name(rb->u.response.decision));
            esc(f, rb->u.response.reasons);
        } else {
            fputs("</td><td class=\"bad\">unanswered</td><td>", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<h2>Disclosures (R7)</h2>\n<table id=\"disclosures\"><tr><th>item</th>"
          "<th>size</th><th>acknowledged</th></tr>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        const pl_body *b = pl_case_body(c, i);
        if (!b || b->type != PL_T_DISCLOSE || pl_case_verdict(c, i) != PL_OK)
            continue;
        int acked, before;
        pl_report_disclosure(c, i, &acked, &before);
        for (size_t it = 0; it < b->u.disclose.nitems; it++) {
            fputs("<tr><td>", f);
            esc(f, b->u.disclose.items[it].title);
            fprintf(f, "</td><td>%llu bytes</td><td>%s</td></tr>\n",
                    (unsigned long long)b->u.disclose.items[it].size,
                    !acked ? "no" : before ? "yes, before signing" : "yes");
        }
    }
    fputs("</table>\n<h2>Sessions (R6, R12)</h2>\n<table id=\"sessions\"><tr><th>time</th>"
          "<th>venue</th><th>proposed by</th><th>outcome</th><th>public</th><th>recordings</th>"
          "</tr>\n",
          f);
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
        fprintf(f, "%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td></tr>\n",
                b->u.session_propose.detention_facility ? " <strong>(detention facility)</strong>"
                                                        : "",
                pl_role_name(pl_case_msg_role(c, i)), outcome, pub ? "yes" : "no", rec);
    }
    fputs("</table>\n<h2>Violations</h2>\n<table id=\"violations\"><tr><th>role</th>"
          "<th>message</th><th>rule</th><th>meaning</th></tr>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        int v = pl_case_verdict(c, i);
        if (v == PL_OK)
            continue;
        fprintf(f, "<tr class=\"violation\"><td>%s</td><td>%s</td><td>%s (§%s)</td><td>",
                pl_role_name(pl_case_msg_role(c, i)), pl_msg_type_name(H(c, i)->type),
                pl_errname(v), pl_errsection(v));
        esc(f, cli_strerror(v));
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<p><small>Generated by parley " PL_VERSION_STRING
          " from the signed log alone; every line can be checked with "
          "<code>parley verify</code>.</small></p>\n</body></html>\n",
          f);
    free(msgs);
    free(order);
    return ferror(f) ? PL_E_IO : PL_OK;
}
