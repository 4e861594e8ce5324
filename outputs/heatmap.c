/* outputs/heatmap.c — the country × topic heat map of coverage: one cell
 * per need, coloured by the share of its seats covered (six viridis steps,
 * readable with any common colour-vision deficiency and in grey print),
 * with the figures written in the cell, so colour is never the only cue.
 * Topics are numbered columns with a key below (names do not fit a column
 * header); every cell has a <title>, the chart a <title> and <desc>. */
#include "pages.h"
#include <stdlib.h>
#include <string.h>

/* share covered → step: 0, under 25 %, under 50 %, under 75 %, under 100 %, full */
static const char *const fill[6] = { "#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725" };
static const char *const ink[6] = { "#ffffff", "#ffffff", "#ffffff", "#000000", "#000000", "#000000" };
static const char *const step_label[6] = { "none", "under 25 %", "25–49 %", "50–74 %", "75–99 %", "all" };

int out_heat_step(long covered, long need)
{
    if (need <= 0 || covered >= need) return 5;
    if (covered <= 0) return 0;
    double s = (double)covered / (double)need;
    return s < 0.25 ? 1 : s < 0.5 ? 2 : s < 0.75 ? 3 : 4;
}
const char *out_heat_fill(int step) { return fill[step < 0 ? 0 : step > 5 ? 5 : step]; }
const char *out_heat_ink(int step) { return ink[step < 0 ? 0 : step > 5 ? 5 : step]; }

static const char *cname(const md_country *c) { return c->name ? c->name : c->code; }

/* Writes name, at most max code points, "…" when cut (the full name is in
 * the cell titles and the text alternative). */
static void clipped(FILE *f, const char *s, int max)
{
    char buf[256];
    size_t o = 0;
    int n = 0;
    for (size_t i = 0; s[i] && o + 8 < sizeof buf; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch & 0xC0) != 0x80 && ++n > max) { memcpy(buf + o, "\xE2\x80\xA6", 3); o += 3; break; }
        buf[o++] = (char)ch;
    }
    buf[o] = '\0';
    out_html_text(f, buf);
}

void out_svg_heatmap(FILE *f, const out_report *r, int only)
{
    const md_model *m = r->m;
    enum { LABEL = 170, CW = 44, RH = 24, TOP = 26, LEG = 22, STEPW = 84 };
    int *rows = malloc(sizeof *rows * (size_t)(m->ncountries + 1));
    int *col = malloc(sizeof *col * (size_t)(m->ntopics + 1));
    if (!rows || !col) {
        free(rows); free(col);
        fputs("<p>Heat map left out: out of memory.</p>\n", f);
        return;
    }
    int nr = 0, nc = 0;
    for (int c = 0; c < m->ncountries; c++)
        if ((only < 0 || c == only) && m->countries[c].need_count > 0) rows[nr++] = c;
    for (int t = 0; t < m->ntopics; t++) col[t] = -1;
    for (int i = 0; i < nr; i++) {
        const md_country *cn = &m->countries[rows[i]];
        for (int n = cn->need_first; n < cn->need_first + cn->need_count && n < m->nneeds; n++)
            if (m->needs[n].t >= 0 && m->needs[n].t < m->ntopics) col[m->needs[n].t] = 0;
    }
    for (int t = 0; t < m->ntopics; t++)
        if (col[t] == 0) col[t] = ++nc; /* column number, 1-based */
    if (nr == 0 || nc == 0) {
        free(rows); free(col);
        fputs("<p>No needs to map.</p>\n", f);
        return;
    }
    out_svg_sort_by_region(r, rows, nr);
    const char *id = only < 0 ? "heatmap" : "heatmap-country";
    int w = LABEL + nc * CW + 10, h = TOP + nr * RH + 2 * LEG + 10;
    if (w < LABEL + 6 * STEPW) w = LABEL + 6 * STEPW;
    fprintf(f, "<svg class=\"chart heat\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
               "width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"%s-t %s-d\">\n<title id=\"%s-t\">"
               "Coverage of each need: seats covered of seats needed, by country and topic</title>\n"
               "<desc id=\"%s-d\">", id, w, h, w, h, id, id, id, id);
    for (int i = 0; i < nr; i++) {
        const md_country *cn = &m->countries[rows[i]];
        fputs(i ? ". " : "", f);
        out_html_text(f, cname(cn));
        fputs(": ", f);
        for (int n = cn->need_first; n < cn->need_first + cn->need_count && n < m->nneeds; n++) {
            fputs(n > cn->need_first ? ", " : "", f);
            out_html_text(f, out_report_topic_name(m, m->needs[n].t));
            fprintf(f, " %ld of %ld", r->p->covered ? r->p->covered[n] : 0, m->needs[n].seats);
        }
    }
    fputs(".</desc>\n", f);
    for (int t = 0; t < m->ntopics; t++) {
        if (col[t] <= 0) continue;
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\"><title>",
                LABEL + (col[t] - 1) * CW + CW / 2, TOP - 8);
        out_html_text(f, out_report_topic_name(m, t));
        fprintf(f, "</title>%d</text>\n", col[t]);
    }
    for (int i = 0; i < nr; i++) {
        const md_country *cn = &m->countries[rows[i]];
        int y = TOP + i * RH;
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", LABEL - 6, y + 16);
        clipped(f, cname(cn), 24);
        fputs("</text>\n", f);
        for (int n = cn->need_first; n < cn->need_first + cn->need_count && n < m->nneeds; n++) {
            int t = m->needs[n].t;
            if (t < 0 || t >= m->ntopics || col[t] <= 0) continue;
            long got = r->p->covered ? r->p->covered[n] : 0, need = m->needs[n].seats;
            int s = out_heat_step(got, need), x = LABEL + (col[t] - 1) * CW;
            fprintf(f, "<g class=\"cell\"><title>");
            out_html_text(f, cname(cn));
            fputs(" — ", f);
            out_html_text(f, out_report_topic_name(m, t));
            fprintf(f, ": %ld of %ld seats covered</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                       "fill=\"%s\" stroke=\"#ffffff\"/><text x=\"%d\" y=\"%d\" font-size=\"11\" "
                       "text-anchor=\"middle\" fill=\"%s\">%ld/%ld</text></g>\n",
                    got, need, x, y, CW, RH, fill[s], x + CW / 2, y + 16, ink[s], got, need);
        }
    }
    int y = TOP + nr * RH + 12;
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">Share covered:</text>\n", 4, y + 12);
    for (int s = 0; s < 6; s++) {
        int x = LABEL + s * STEPW;
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"#57606a\"/>"
                   "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n", x, y, fill[s], x + 18, y + 12,
                step_label[s]);
    }
    fputs("</svg>\n<ol class=\"heat-key\">", f);
    for (int t = 0; t < m->ntopics; t++) {
        if (col[t] <= 0) continue;
        fprintf(f, "<li value=\"%d\">", col[t]);
        out_html_text(f, out_report_topic_name(m, t));
        fputs("</li>", f);
    }
    fputs("</ol>\n", f);
    free(rows);
    free(col);
}
