/* outputs/svg_chart.h — general inline SVG charts (horizontal bars, a line
 * of points), defined at the end of outputs/svg.c beside the report's own
 * charts and used by sweep.html. Plain SVG: no script, no external font;
 * every chart has a <title> and a <desc>, and each mark its own <title>.
 * Colours from a colour-blind-safe palette (Okabe and Ito).
 * Ownership: the chart structs borrow every string and array. */
#ifndef OUT_SVG_CHART_H
#define OUT_SVG_CHART_H
#include <stdio.h>

/* The palette's first colours: blue, orange, bluish green, vermillion. */
extern const char *const out_svg_cb_palette[];
enum { OUT_SVG_NCB = 4 };

typedef struct out_svg_bars {
    const char *id, *title, *desc;  /* the <svg> id; its title and description */
    int n;
    const char *const *label;       /* [n] */
    const double *value;            /* [n]; NAN: no bar, the row says "missing" */
    const char *const *shown;       /* [n] the value as printed at the bar's end, or NULL */
    const char *colour;             /* one of out_svg_cb_palette */
} out_svg_bars;

/* One bar a row from a zero line (bars of negative values go left of it). */
void out_svg_hbars(FILE *f, const out_svg_bars *b);

typedef struct out_svg_line {
    const char *id, *title, *desc;
    const char *xlabel, *ylabel;
    int n;                          /* points, in increasing x */
    const double *x, *y;
    const char *const *label;       /* [n] each point's own <title>, or NULL */
} out_svg_line;

/* The points joined by a line, on axes from the smallest to the largest
 * value of each, with those ends written on the axes (so that small
 * differences show; the axis labels say where each axis starts). */
void out_svg_line_chart(FILE *f, const out_svg_line *l);

#endif
