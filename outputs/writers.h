/* outputs/writers.h — internal interface of the outputs layer: one writer per
 * format behind one signature, a staged file set, and the shared escaping
 * and number formatting. Ownership: an out_stage owns its temporaries until
 * out_stage_commit() renames them or out_stage_abort() removes them; writers
 * borrow everything in out_ctx. */
#ifndef OUT_WRITERS_H
#define OUT_WRITERS_H
#include <stdio.h>
#include "outputs.h"

typedef struct out_stage out_stage;

/* A staged set of files under dir. NULL when out of memory. */
out_stage *out_stage_new(const char *dir, md_diag *d);
/* Opens the temporary that will become dir/relpath (subfolders such as
 * "donors/" are created). NULL on failure (reported, 73). The FILE* stays
 * owned by the stage: do not fclose it. */
FILE *out_stage_open(out_stage *st, const char *relpath);
/* Flushes, fsyncs and closes every file, then renames them all into place
 * and fsyncs the folders. Returns 0, or 73/74 after reporting; on failure
 * before the first rename nothing visible changes. */
int out_stage_commit(out_stage *st);
/* Removes every temporary; the previous outputs stay as they were. */
void out_stage_abort(out_stage *st);
void out_stage_free(out_stage *st);

struct out_report;
struct out_equity;
typedef struct out_ctx {
    const md_model *m;
    const eng_plan *p;
    const out_run *run;
    out_stage *st;
    md_diag *d;
    const char *dir;
    /* the report model shared by the Markdown and HTML writers, built once
     * by out_write; NULL: each writer builds its own */
    const struct out_report *report;
    /* the bias audit shared by equity.csv, summary.json and the reports,
     * built once by out_write; NULL: each builds its own (equity.h) */
    const struct out_equity *equity;
} out_ctx;

/* Each writer stages its files; returns 0 or an exit code (reported). */
int out_csv(const out_ctx *cx);      /* allocations.csv funding.csv coverage.csv */
int out_json(const out_ctx *cx);     /* summary.json */
int out_markdown(const out_ctx *cx); /* report.md, donors/ID.md, countries/CODE.md */
int out_html(const out_ctx *cx);     /* report.html */
int out_iati(const out_ctx *cx);     /* iati-activities.xml */

/* A funding row of the plan as funding.csv has it (outputs/csv.c): every
 * other output that lists payments lists these rows. */
/* 1 when fu names a donor, a country and a course of m. */
int out_fund_in_range(const md_model *m, const eng_fund *fu);
/* The amount funding.csv prints for fu, in buf (>= 32 bytes), or NULL when
 * it rounds to no payment (solver noise below half a cent). */
const char *out_fund_amount(char *buf, const eng_fund *fu);

/* Shared formatting (outputs/format.c). */
/* amount with exactly 2 decimals, never "-0.00"; buf >= 32 bytes */
const char *out_fmt_amount(char *buf, double v);
/* a score or ratio: up to 6 decimals, trailing zeros dropped ("12.5", "3") */
const char *out_fmt_number(char *buf, double v);
void out_csv_field(FILE *f, const char *s);   /* RFC 4180 quoting when needed */
void out_json_string(FILE *f, const char *s); /* quoted, escaped, valid UTF-8 kept */
void out_html_text(FILE *f, const char *s);   /* & < > " ' escaped */
void out_md_text(FILE *f, const char *s);     /* Markdown specials and | escaped, newlines → space */

#endif
