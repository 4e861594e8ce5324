/* outputs/equity.h — the bias audit: who gets the plan's seats and money,
 * by the countries' income group and region and by the language and
 * provider of the courses taken, the concentration of spending on
 * providers (Herfindahl–Hirschman index) and the needs that no course in
 * any of the country's languages covers. Computed from the model and the
 * plan alone. Ownership: an out_equity owns its arrays and the group names
 * it builds; out_equity_free() releases them (names borrowed from the model
 * stay the model's). */
#ifndef OUT_EQUITY_H
#define OUT_EQUITY_H
#include "writers.h"

enum { OUT_EQ_INCOME, OUT_EQ_REGION, OUT_EQ_LANGUAGE, OUT_EQ_PROVIDER, OUT_EQ_NDIMS };
extern const char *const out_eq_dim_names[OUT_EQ_NDIMS]; /* "income_group", … */

typedef struct out_eq_row {
    int dim;                    /* OUT_EQ_* */
    const char *group;
    long need;                  /* seats needed (income group, region only) */
    long covered;               /* countries: need seats covered; courses: seats bought */
    double spend;               /* base currency */
} out_eq_row;

/* A need that no course in any language of its country covers, counted
 * under each of the country's languages. */
typedef struct out_eq_gap {
    const char *language;
    int t;                      /* topic index */
    long seats;
    int ncountries;
} out_eq_gap;

typedef struct out_equity {
    out_eq_row *rows; int nrows; /* by dimension, then group */
    long need_total, covered_total, seats_total;
    double spend_total, hhi;    /* hhi: 0 when nothing is spent */
    out_eq_gap *gaps; int ngaps; /* by language, then topic id */
    char **owned; int nowned;   /* group names made here ("course:ID") */
} out_equity;

/* 0, or -1 when out of memory (e is then empty). */
int out_equity_build(const md_model *m, const eng_plan *p, out_equity *e);
void out_equity_free(out_equity *e);
/* shared when not NULL (the audit out_write built once), else one built
 * into *own; NULL when out of memory. Release with out_equity_done. */
const out_equity *out_equity_get(const out_equity *shared, const md_model *m, const eng_plan *p,
                                 out_equity *own);
void out_equity_done(const out_equity *e, out_equity *own);
/* Share a / b, 0 when b is 0. */
double out_equity_share(double a, double b);
/* equity.csv (staged into cx->st); 0 or an exit code (reported). */
int out_equity_csv(const out_ctx *cx);
/* The report sections (report_equity.c). */
struct out_report;
void out_report_equity_md(FILE *f, const struct out_report *r);
void out_report_equity_html(FILE *f, const struct out_report *r);

#endif
