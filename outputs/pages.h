/* outputs/pages.h — the HTML page per country (countries/CODE.html) and
 * per donor (donors/ID.html) beside report.html, and the pieces they share
 * with it: the style sheet, amounts in a donor's own currency, course
 * links and dates, the coverage heat map. Pages borrow the report model. */
#ifndef OUT_PAGES_H
#define OUT_PAGES_H
#include "report.h"

/* report.html's style sheet (outputs/html.c), used by every page. */
extern const char out_html_css[];

/* Heat map colours: the step (0 none … 5 all) of a need's covered share,
 * its fill and the text colour readable on it. */
int out_heat_step(long covered, long need);
const char *out_heat_fill(int step);
const char *out_heat_ink(int step);
/* The country × topic heat map (only < 0: every country with needs, by
 * region and name; else that one country), with a numbered topic key. */
void out_svg_heatmap(FILE *f, const out_report *r, int only);

/* Donor d's own currency when it differs from the base and has a rate
 * (base units per unit in *rate); NULL otherwise. */
const char *out_page_own_currency(const md_model *m, int d, double *rate);
/* An amount known in the base currency, shown as donor d sees it: in its
 * own currency first, the base amount beside it ("EUR 1,000.00 (USD
 * 1,085.00)"); only the base amount for a base-currency donor or d < 0. */
void out_page_money(FILE *f, const md_model *m, int d, double base);
/* "1 EUR = 1.085 USD" for donor d's currency; nothing for the base. */
void out_page_rate(FILE *f, const md_model *m, int d);
/* Course k's title, a link when it has a url; its dates ("2027-02-08 to
 * 2027-04-16", "dates not set"). */
void out_page_course(FILE *f, const md_model *m, int k);
void out_page_dates(FILE *f, const md_course *co);
/* Seats the plan gives each course ([m->ncourses], malloc'd; NULL when out
 * of memory): what the country pages subtract to show seats still open. */
long *out_page_seats_used(const out_report *r);
/* A page's head up to <main> (title escaped; up = "../" to the report),
 * and its end. */
void out_page_begin(FILE *f, const out_report *r, const char *title, const char *kind);
void out_page_end(FILE *f);

/* The pages, to an open stream; 0 or 74 on a write error. */
int out_page_country(FILE *f, const out_report *r, int c, const long *used);
int out_page_donor(FILE *f, const out_report *r, int d);
/* Stages every countries/CODE.html and donors/ID.html of r; 0 or an exit
 * code (reported). */
int out_pages_write(const out_ctx *cx, const out_report *r);

#endif
