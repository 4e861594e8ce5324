/* outputs/feedback.h — feedback_requests.csv (outputs/feedback.c) and the
 * reports' "Course quality" section (outputs/report_quality.c). */
#ifndef OUT_FEEDBACK_H
#define OUT_FEEDBACK_H
#include "writers.h"

/* Stages feedback_requests.csv: one row per planned (country, course).
 * Returns 0 or an exit code (reported). */
int out_feedback_csv(const out_ctx *cx);

/* Per course: declared quality, responses received, the estimate used. */
void out_report_quality_md(FILE *f, const md_model *m);
void out_report_quality_html(FILE *f, const md_model *m);

#endif
