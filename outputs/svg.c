/* outputs/svg.c — the inline SVG charts of report.html: coverage by country
 * (by region, and by gap) and each donor's spending stacked by region. Plain SVG (no script, no
 * external fonts); text escaped with out_html_text(); scales with viewBox. */
#include "report.h"
#include <stdlib.h>
#include <string.h>

/* Okabe–Ito: told apart by readers with any common colour-vision
 * deficiency (the segments also carry their region in a <title>). */
static const char *const palette[] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
    "#D55E00", "#F0E442", "#000000", "#999999",
};
enum { NPALETTE = sizeof palette / sizeof palette[0] };

/* Writes at most max characters (UTF-8 code points) of s, "…" when cut. */
static void short_text(FILE *f, const char *s, int max)
{
    char buf[256];
    size_t o = 0;
    int n = 0;
    for (size_t i = 0; s && s[i] && o + 8 < sizeof buf; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch & 0xC0) != 0x80 && ++n > max) { memcpy(buf + o, "\xE2\x80\xA6", 3); o += 3; break; }
        buf[o++] = (char)ch;
    }
    buf[o] = '\0';
    out_html_text(f, buf);
}

/* Code points in s[0..n). */
static int cps(const char *s, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Splits s into lines of at most width characters at spaces (a longer
 * word gets a line of its own, whole): starts[i], lens[i] for at most max
 * lines, the last taking the rest. Returns the number of lines (>= 1). */
static int wrap(const char *s, int width, size_t *starts, size_t *lens, int max)
{
    size_t len = strlen(s), pos = 0;
    int n = 0;
    while (n < max) {
        while (pos < len && s[pos] == ' ') pos++;
        size_t end = pos, brk = 0;
        if (n == max - 1) end = len;
        else
            while (end < len) {
                size_t nx = end;
                while (nx < len && s[nx] != ' ') nx++;
                if (brk && cps(s + pos, nx - pos) > width) break;
                brk = end = nx;
                if (end < len) end++;
                if (cps(s + pos, brk - pos) >= width) break;
            }
        if (n < max - 1 && brk) end = brk;
        starts[n] = pos;
        lens[n] = end - pos;
        n++;
        pos = end;
        while (pos < len && s[pos] == ' ') pos++;
        if (pos >= len) break;
    }
    return n ? n : 1;
}

/* One country's bar at row y: name, covered share, figures. */
static void coverage_bar(FILE *f, const out_report *r, int c, int y, int label, int bar, int row)
{
    const md_country *cn = &r->m->countries[c];
    const out_rep_country *rc = &r->countries[c];
    double frac = rc->seats_needed > 0 ? (double)rc->seats_covered / (double)rc->seats_needed : 0;
    if (frac > 1) frac = 1;
    if (frac < 0) frac = 0;
    const char *col = frac >= 1 ? "#009E73" : "#0072B2";
    fputs("<g class=\"bar\"><title>", f);
    out_html_text(f, cn->name ? cn->name : cn->code);
    fprintf(f, ": %ld of %ld seats</title>\n", rc->seats_covered, rc->seats_needed);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">", label - 6, y + 14);
    short_text(f, cn->name ? cn->name : cn->code, 22);
    fputs("</text>\n", f);
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eaeef2\"/>\n",
            label, y + 3, bar, row - 6);
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
            label, y + 3, bar * frac, row - 6, col);
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%.0f %% (%ld/%ld)</text></g>\n",
            label + bar + 6, y + 14, frac * 100, rc->seats_covered, rc->seats_needed);
}

static const out_report *sort_r; /* qsort has no context argument */

static int by_region_name(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    const md_country *cx = &sort_r->m->countries[x], *cy = &sort_r->m->countries[y];
    int d = sort_r->country_region[x] - sort_r->country_region[y];
    if (d) return d;
    int s = strcmp(cx->name ? cx->name : cx->code, cy->name ? cy->name : cy->code);
    return s ? s : strcmp(cx->code, cy->code);
}

static int by_gap(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    const out_rep_country *rx = &sort_r->countries[x], *ry = &sort_r->countries[y];
    long gx = rx->seats_needed - rx->seats_covered, gy = ry->seats_needed - ry->seats_covered;
    if (gx != gy) return gx < gy ? 1 : -1;
    const md_country *cx = &sort_r->m->countries[x], *cy = &sort_r->m->countries[y];
    int s = strcmp(cx->name ? cx->name : cx->code, cy->name ? cy->name : cy->code);
    return s ? s : strcmp(cx->code, cy->code);
}

/* Coverage by country: grouped == 1, by region (a heading row each) and
 * by name within; 0, by seats still missing, largest first. */
void out_svg_sort_by_region(const out_report *r, int *idx, int n)
{
    sort_r = r;
    qsort(idx, (size_t)n, sizeof *idx, by_region_name);
}

static void coverage_chart(FILE *f, const out_report *r, int grouped)
{
    const md_model *m = r->m;
    enum { LABEL = 170, BAR = 340, ROW = 20, TOP = 8 };
    int *order = malloc(sizeof *order * (size_t)(m->ncountries ? m->ncountries : 1));
    if (!order) { fputs("<p>Chart left out: out of memory.</p>\n", f); return; }
    int rows = 0, heads = 0;
    for (int c = 0; c < m->ncountries; c++)
        if (r->countries[c].seats_needed > 0) order[rows++] = c;
    if (rows == 0) { free(order); fputs("<p>No needs to chart.</p>\n", f); return; }
    sort_r = r;
    qsort(order, (size_t)rows, sizeof *order, grouped ? by_region_name : by_gap);
    for (int i = 0; grouped && i < rows; i++)
        if (i == 0 || r->country_region[order[i]] != r->country_region[order[i - 1]]) heads++;
    const char *id = grouped ? "chart-coverage" : "chart-coverage-gap";
    int h = TOP * 2 + (rows + heads) * ROW, w = LABEL + BAR + 120;
    fprintf(f, "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
               "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
               "aria-labelledby=\"%s-t %s-d\">\n<title id=\"%s-t\">Seats covered as a share of seats "
               "needed, by country, %s</title>\n<desc id=\"%s-d\">",
            id, w, h, w, h, id, id, id, grouped ? "grouped by region and sorted by name"
            : "largest number of seats still missing first", id);
    for (int i = 0; i < rows; i++) {
        const md_country *cn = &m->countries[order[i]];
        fprintf(f, "%s", i ? "; " : "");
        out_html_text(f, cn->name ? cn->name : cn->code);
        fprintf(f, " %ld of %ld", r->countries[order[i]].seats_covered, r->countries[order[i]].seats_needed);
    }
    fputs(".</desc>\n", f);
    int y = TOP;
    for (int i = 0; i < rows; i++) {
        int g = r->country_region[order[i]];
        if (grouped && (i == 0 || g != r->country_region[order[i - 1]])) {
            fprintf(f, "<text class=\"region\" x=\"4\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">", y + 15);
            out_html_text(f, *r->regions[g] ? r->regions[g] : "(no region)");
            fputs("</text>\n", f);
            y += ROW;
        }
        coverage_bar(f, r, order[i], y, LABEL, BAR, ROW);
        y += ROW;
    }
    fputs("</svg>\n", f);
    free(order);
}

void out_svg_coverage(FILE *f, const out_report *r) { coverage_chart(f, r, 1); }
void out_svg_coverage_gap(FILE *f, const out_report *r) { coverage_chart(f, r, 0); }

void out_svg_donor_regions(FILE *f, const out_report *r)
{
    const md_model *m = r->m;
    enum { LABEL = 230, BAR = 330, ROW = 44, TOP = 8, LEG = 18, WRAP = 32, MAXL = 3 };
    if (m->ndonors == 0) { fputs("<p>No donors to chart.</p>\n", f); return; }
    double max = 0;
    for (int d = 0; d < m->ndonors; d++) {
        double spent = r->p->donor_spent ? r->p->donor_spent[d] : 0;
        if (m->donors[d].budget_base > max) max = m->donors[d].budget_base;
        if (spent > max) max = spent;
    }
    int used = 0; /* regions with any spend get a legend entry */
    for (int g = 0; g < r->nregions; g++)
        for (int d = 0; d < m->ndonors; d++)
            if (r->donors[d].by_region[g] > 0) { used++; break; }
    int h = TOP * 2 + m->ndonors * ROW + (used + 1) * LEG, w = LABEL + BAR + 170;
    fprintf(f, "<svg class=\"chart\" id=\"chart-donors\" xmlns=\"http://www.w3.org/2000/svg\" "
               "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
               "aria-labelledby=\"chart-donors-t\">\n"
               "<title id=\"chart-donors-t\">Each donor's spending by region; the grey bar is the budget</title>\n",
            w, h, w, h);
    char a[64], b[64];
    int y = TOP;
    for (int d = 0; d < m->ndonors; d++) {
        const md_donor *dn = &m->donors[d];
        double spent = r->p->donor_spent ? r->p->donor_spent[d] : 0;
        double scale = max > 0 ? BAR / max : 0;
        /* the full name, wrapped over up to MAXL lines, never cut */
        const char *name = out_report_donor_name(dn);
        size_t st[MAXL], ln[MAXL];
        int nl = wrap(name, WRAP, st, ln, MAXL);
        fputs("<g class=\"donor\"><title>", f);
        out_html_text(f, name);
        fprintf(f, ": spent %s of %s</title><text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">",
                out_fmt_amount(a, spent), out_fmt_amount(b, dn->budget_base), LABEL - 6, y + 16 - 7 * (nl - 1));
        for (int l = 0; l < nl; l++) {
            char line[1024];
            size_t n = ln[l] < sizeof line ? ln[l] : sizeof line - 1;
            memcpy(line, name + st[l], n);
            line[n] = '\0';
            fprintf(f, "<tspan x=\"%d\" dy=\"%d\">", LABEL - 6, l ? 14 : 0);
            out_html_text(f, line);
            fputs("</tspan>", f);
        }
        fputs("</text>\n", f);
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eaeef2\"/>\n",
                LABEL, y + 4, dn->budget_base * scale, ROW - 8);
        double x = LABEL;
        for (int g = 0; g < r->nregions; g++) {
            double v = r->donors[d].by_region[g];
            if (v <= 0) continue;
            fprintf(f, "<rect class=\"seg\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>",
                    x, y + 4, v * scale, ROW - 8, palette[g % NPALETTE]);
            out_html_text(f, *r->regions[g] ? r->regions[g] : "(no region)");
            fprintf(f, ": %s</title></rect>\n", out_fmt_amount(a, v));
            x += v * scale;
        }
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s / %s</text></g>\n",
                LABEL + BAR + 6, y + 16, out_fmt_amount(a, spent), out_fmt_amount(b, dn->budget_base));
        y += ROW;
    }
    y += LEG / 2;
    for (int g = 0; g < r->nregions; g++) {
        int any = 0;
        for (int d = 0; d < m->ndonors; d++)
            if (r->donors[d].by_region[g] > 0) any = 1;
        if (!any) continue;
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                   "<text x=\"%d\" y=\"%d\" font-size=\"12\">", LABEL, y, palette[g % NPALETTE],
                LABEL + 18, y + 11);
        out_html_text(f, *r->regions[g] ? r->regions[g] : "(no region)");
        fputs("</text>\n", f);
        y += LEG;
    }
    fputs("</svg>\n", f);
}

/* ---- general charts (outputs/svg_chart.h), for sweep.html ---------------- */
#include "svg_chart.h"
#include <math.h>

/* Okabe and Ito's palette: told apart with every common colour blindness. */
const char *const out_svg_cb_palette[] = { "#0072b2", "#e69f00", "#009e73", "#d55e00" };

static void chart_head(FILE *f, const char *id, const char *title, const char *desc, int w, int h)
{
    fputs("<svg class=\"chart\" id=\"", f);
    out_html_text(f, id);
    fprintf(f, "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
               "height=\"%d\" role=\"img\" aria-labelledby=\"", w, h, w, h);
    out_html_text(f, id);
    fputs("-t ", f);
    out_html_text(f, id);
    fputs("-d\">\n<title id=\"", f);
    out_html_text(f, id);
    fputs("-t\">", f);
    out_html_text(f, title);
    fputs("</title>\n<desc id=\"", f);
    out_html_text(f, id);
    fputs("-d\">", f);
    out_html_text(f, desc);
    fputs("</desc>\n", f);
}

void out_svg_hbars(FILE *f, const out_svg_bars *b)
{
    enum { LABEL = 240, BAR = 320, ROW = 22, TOP = 8, VALUE = 120 };
    double lo = 0, hi = 0;
    for (int i = 0; i < b->n; i++) {
        if (!isfinite(b->value[i])) continue;
        if (b->value[i] < lo) lo = b->value[i];
        if (b->value[i] > hi) hi = b->value[i];
    }
    double span = hi - lo > 0 ? hi - lo : 1, scale = BAR / span;
    double zero = LABEL + (-lo) * scale;
    int h = TOP * 2 + (b->n > 0 ? b->n : 1) * ROW, w = LABEL + BAR + VALUE;
    chart_head(f, b->id, b->title, b->desc, w, h);
    int y = TOP;
    for (int i = 0; i < b->n; i++, y += ROW) {
        double v = b->value[i];
        fputs("<g class=\"bar\"><title>", f);
        out_html_text(f, b->label[i]);
        fputs(": ", f);
        out_html_text(f, isfinite(v) ? (b->shown && b->shown[i] ? b->shown[i] : "") : "missing");
        fputs("</title>\n", f);
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">", LABEL - 6, y + 15);
        short_text(f, b->label[i], 32);
        fputs("</text>\n", f);
        if (isfinite(v)) {
            double x0 = v < 0 ? zero + v * scale : zero, len = fabs(v) * scale;
            fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", x0, y + 4,
                    len, ROW - 8, b->colour);
        }
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">", LABEL + BAR + 6, y + 15);
        out_html_text(f, isfinite(v) ? (b->shown && b->shown[i] ? b->shown[i] : "") : "missing");
        fputs("</text></g>\n", f);
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#57606a\"/>\n", zero, TOP,
            zero, h - TOP);
    fputs("</svg>\n", f);
}

void out_svg_line_chart(FILE *f, const out_svg_line *l)
{
    enum { LEFT = 90, RIGHT = 30, TOP = 14, PLOT_W = 520, PLOT_H = 240, BOTTOM = 48 };
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i < l->n; i++) {
        if (!isfinite(l->x[i]) || !isfinite(l->y[i])) continue;
        if (l->x[i] < x0) x0 = l->x[i];
        if (l->x[i] > x1) x1 = l->x[i];
        if (l->y[i] < y0) y0 = l->y[i];
        if (l->y[i] > y1) y1 = l->y[i];
    }
    if (!(x1 >= x0)) x0 = 0, x1 = 1;
    if (!(y1 >= y0)) y0 = 0, y1 = 1;
    if (!(y1 > y0)) y1 = y0 + 1;
    double xs = x1 > x0 ? PLOT_W / (x1 - x0) : 0, ys = PLOT_H / (y1 - y0);
    int w = LEFT + PLOT_W + RIGHT, h = TOP + PLOT_H + BOTTOM, base = TOP + PLOT_H;
    chart_head(f, l->id, l->title, l->desc, w, h);
    char a[32];
    fprintf(f, "<path d=\"M%d %d V%d H%d\" fill=\"none\" stroke=\"#57606a\"/>\n", LEFT, TOP, base, LEFT + PLOT_W);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">%s</text>\n", LEFT - 4, base,
            out_fmt_number(a, y0));
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">%s</text>\n", LEFT - 4, TOP + 8,
            out_fmt_number(a, y1));
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n", LEFT, base + 16, out_fmt_amount(a, x0));
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">%s</text>\n", LEFT + PLOT_W,
            base + 16, out_fmt_amount(a, x1));
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">", LEFT + PLOT_W / 2, base + 38);
    out_html_text(f, l->xlabel);
    fprintf(f, "</text>\n<text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\" "
               "text-anchor=\"middle\">", TOP + PLOT_H / 2, TOP + PLOT_H / 2);
    out_html_text(f, l->ylabel);
    fputs("</text>\n", f);
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", out_svg_cb_palette[0]);
    for (int i = 0; i < l->n; i++)
        if (isfinite(l->x[i]) && isfinite(l->y[i]))
            fprintf(f, "%.1f,%.1f ", LEFT + (l->x[i] - x0) * xs, base - (l->y[i] - y0) * ys);
    fputs("\"/>\n", f);
    for (int i = 0; i < l->n; i++) {
        if (!isfinite(l->x[i]) || !isfinite(l->y[i])) continue;
        fprintf(f, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>",
                LEFT + (l->x[i] - x0) * xs, base - (l->y[i] - y0) * ys, out_svg_cb_palette[1]);
        if (l->label && l->label[i]) {
            out_html_text(f, l->label[i]);
            fputs(": ", f);
        }
        fprintf(f, "%s", out_fmt_amount(a, l->x[i]));
        fprintf(f, ", %s</title></circle>\n", out_fmt_number(a, l->y[i]));
    }
    fputs("</svg>\n", f);
}
