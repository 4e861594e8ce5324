/* outputs/report.h — the report model: every figure the Markdown and HTML
 * reports show, computed once from (model, plan, previous run).
 * Ownership: an out_report borrows the model and plan (they must outlive it)
 * and owns everything else in its arena; out_report_free() releases it. */
#ifndef OUT_REPORT_H
#define OUT_REPORT_H
#include <stdio.h>
#include "writers.h"
#include "history.h"

/* Offers listed per country in the reports: a catalogue of 200,000
 * courses made a 169 MB report.html that took longer to write than the
 * run's time limit, and no reader goes past the first hundred. */
enum { OUT_OFFERS_SHOWN = 100 };
/* Likewise for the change section: a replaced catalogue is thousands of
 * input and plan changes (results.db's views list them all), and a plan
 * change touched by many input changes lists the first few. */
enum { OUT_CHANGES_SHOWN = 200, OUT_TIES_SHOWN = 8 };

typedef struct out_rep_country {
    long seats_needed, seats_covered;
    int nneeds_full;
    double cost;                 /* sum of its allocations, base currency */
    int *allocs; int nallocs;    /* indexes into p->alloc, in plan order */
    int *funds; int nfunds;      /* indexes into p->fund paying for it */
    int *offers; int noffers;    /* courses passing eng_pair_eligible: best
                                    quality first, then cheapest, then id */
    int nshown;                  /* the first of them that the reports list
                                    (at most OUT_OFFERS_SHOWN) */
    int nfree;                   /* offers that cost nothing */
} out_rep_country;

typedef struct out_rep_donor {
    int *funds; int nfunds;      /* indexes into p->fund, in plan order */
    double *by_region;           /* [nregions] spend, base currency */
    double *by_topic;            /* [m->ntopics]; a course's amount is split
                                    evenly over the topics it covers that the
                                    country needs */
    int ncountries;              /* distinct countries funded */
} out_rep_donor;

/* run-to-run diff rows; ties: indexes into in_changes of the input changes
 * that touch the same country, course or paying donor */
typedef struct out_rep_seatchg {
    const char *country, *course;
    long before, after;
    int *ties; int nties;
} out_rep_seatchg;
typedef struct out_rep_needchg {
    const char *country, *topic;
    long need, before, after;
    int now_full;                /* 1 newly fully covered, 0 newly short */
    int *ties; int nties;
} out_rep_needchg;
typedef struct out_rep_spendchg { const char *donor; double before, after; } out_rep_spendchg;

typedef struct out_report {
    const md_model *m;
    const eng_plan *p;
    const char *label;          /* the run's --label, or NULL (borrowed from out_run) */
    const struct out_equity *equity; /* out_ctx's, or NULL (borrowed) */
    /* overview */
    long seats_needed, seats_covered;
    int nneeds_full;
    double budget_total, spent_total;
    /* regions: sorted distinct names; "" stands for countries without one */
    const char **regions; int nregions;
    int *country_region;         /* [m->ncountries] index into regions */
    out_rep_country *countries;  /* [m->ncountries] */
    out_rep_donor *donors;       /* [m->ndonors] */
    double *need_weight;         /* [m->nneeds] priority · income weight */
    int *unmet; int nunmet;      /* needs with covered < seats, largest
                                    weighted gap w·(need−covered) first */
    /* since the previous run (has_prev == 0: no earlier run recorded) */
    int has_prev;
    long prev_run_id;
    const char *prev_started;
    double prev_score, prev_total_cost;                 /* headline figures then */
    long prev_seats, prev_seats_needed, prev_seats_covered;
    int prev_nneeds_full, prev_nneeds;
    int prev_has_inputs;         /* 0: that run kept no inputs (older version) */
    out_snap_change *in_changes; int nin_changes;       /* as the input_changes view */
    out_rep_seatchg *seat_changes; int nseat_changes;   /* by (country, course) */
    out_rep_needchg *need_changes; int nneed_changes;   /* by (country, topic) */
    out_rep_spendchg *spend_changes; int nspend_changes;/* every donor of either run, by id */
    /* the run's warnings so far ("FILE:LINE:COL: MSG"), copies */
    const char **warnings; int nwarnings;
    md_arena arena;
} out_report;

/* Builds r (with copies of the warnings d kept). prev may be NULL or not
 * present. Returns 0, or 70 after reporting to d when out of memory (r is
 * then freed). */
int out_report_build(out_report *r, const md_model *m, const eng_plan *p,
                     const out_history_prev *prev, md_diag *d);
void out_report_free(out_report *r);

/* Loads the previous run from dir (if any) and builds r: what out_markdown
 * and out_html both start with. Returns 0 or an exit code (reported). */
int out_report_for(const out_ctx *cx, out_report *r);
/* What out_markdown and out_html share: takes cx->report when out_write
 * built it (else builds one with out_report_for and frees it after), calls
 * write(cx, r), and reports its 74 or 70 as an error while writing WHAT
 * ("the Markdown report", "report.html"). Returns 0 or the exit code. */
int out_report_write(const out_ctx *cx, const char *what,
                     int (*write)(const out_ctx *, const out_report *));

/* The report's title (scenario name, else "capmatch allocation"), a donor's
 * display name (name, else id), and PART of WHOLE as "12.3 %" ("–" when
 * WHOLE <= 0) in buf (>= 32 bytes). */
const char *out_report_title(const md_model *m);
const char *out_report_donor_name(const md_donor *d);
const char *out_report_pct(char *buf, double part, double whole);

/* Writes the topics of course k that country c needs, comma-separated, each
 * name through text() (the format's escaping function). */
void out_report_offer_topics(FILE *f, const md_model *m, int c, int k,
                             void (*text)(FILE *, const char *));

/* For the change section: a signed difference — mode 0 a number as
 * out_fmt_number prints it, 1 with one decimal, 2 an amount given in whole
 * cents; buf >= 64 bytes. */
const char *out_report_delta(char *buf, double v, int mode);
/* covered / needed as a percentage with one decimal ("0.0" when nothing is
 * needed); buf >= 64 bytes. */
const char *out_report_share(char *buf, long covered, long needed);
/* v rounded to whole cents, as the CSV files round amounts. */
long long out_report_cents(double v);

double out_report_gap(const out_report *r, int need); /* weighted gap of a need */
/* Plain-words explanation of a coverage.csv reason code. */
const char *out_report_reason_text(int reason);
/* Display names: topic name (else id), course title (else id). */
const char *out_report_topic_name(const md_model *m, int t);
const char *out_report_course_title(const md_model *m, int k);
/* Safe file name for an id in donors/ and countries/: [A-Za-z0-9_.-] kept,
 * any other byte (and a leading '.') as ~XX; buf >= 3*strlen(id)+1 bytes. */
const char *out_report_fname(char *buf, size_t size, const char *id);

/* Renderers to an open stream (used by out_markdown / out_html and the
 * tests). Return 0, or 74 when the stream reports a write error. */
int out_report_md(FILE *f, const out_report *r);
int out_report_md_donor(FILE *f, const out_report *r, int d);
int out_report_md_country(FILE *f, const out_report *r, int c);
int out_report_html(FILE *f, const out_report *r);

/* The binding limit of an unmet need in words, with its figures (nothing
 * unless its reason is resources), and a donor's unspent money and why
 * (nothing below 1.00); every piece through text(). */
void out_report_detail(FILE *f, const out_report *r, int need, void (*text)(FILE *, const char *));
void out_report_unspent(FILE *f, const out_report *r, int d, void (*text)(FILE *, const char *));
/* The churn against the run compared with, in words between the raw
 * strings open and close: how many seats differ and whether stage 4 kept it
 * low (proven, stopped, or --fresh). Writes nothing and returns 0 when the
 * plan was not compared with that run. */
int out_report_churn(FILE *f, const out_report *r, void (*text)(FILE *, const char *),
                     const char *open, const char *close);

/* outputs/svg.c — inline SVG charts for the HTML report */
void out_svg_coverage(FILE *f, const out_report *r);
void out_svg_donor_regions(FILE *f, const out_report *r);
/* coverage by country, largest number of seats still missing first */
void out_svg_coverage_gap(FILE *f, const out_report *r);
/* Sorts country indices idx[0..n) by region, then by name (then code). */
void out_svg_sort_by_region(const out_report *r, int *idx, int n);

#endif
