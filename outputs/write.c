/* outputs/write.c — out_write(): every selected format staged into one set,
 * then committed together (outputs/stage.c), so a failed run leaves the
 * previous outputs as they were. The results.db history (outputs/history.c)
 * is the last step: its transaction is written before the files are renamed
 * and committed after, and a failed commit puts the previous files back, so
 * that files and history change together or not at all. */
#include "writers.h"
#include "fsutil.h"
#include "feedback.h"
#include "history.h"
#include "datapackage.h"
#include "report.h"
#include "equity.h"
#include <errno.h>
#include <string.h>

int out_write(const md_model *m, const eng_plan *p, const out_run *run,
              const char *dir, md_diag *d)
{
    if (!m || !p || !dir) {
        md_fail(d, MD_EX_SOFTWARE, "out_write: nothing to write");
        return MD_EX_SOFTWARE;
    }
    if (out_mkdirs(dir) != 0) {
        int err = errno;
        md_fail(d, out_create_errcode(err), "cannot create output folder %s: %s",
                dir, strerror(err));
        return out_create_errcode(err);
    }
    out_remove_stale(dir); /* the caller holds the run lock */
    out_stage *st = out_stage_new(dir, d);
    if (!st) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory writing %s", dir);
        return MD_EX_SOFTWARE;
    }
    out_ctx cx = { m, p, run, st, d, dir, NULL, NULL };
    unsigned fmt = m->set.formats;
    int rc = 0;
    /* the bias audit once for equity.csv, summary.json and the reports;
     * out of memory here, each writer tries on its own and reports it */
    out_equity equity;
    int have_equity = (fmt & (MD_OUT_CSV | MD_OUT_DATAPACKAGE | MD_OUT_JSON | MD_OUT_MARKDOWN | MD_OUT_HTML)) &&
                      out_equity_build(m, p, &equity) == 0;
    if (have_equity) cx.equity = &equity;
    out_report report; /* built once for both human-readable formats */
    memset(&report, 0, sizeof report);
    if (fmt & (MD_OUT_MARKDOWN | MD_OUT_HTML)) {
        rc = out_report_for(&cx, &report);
        if (!rc) cx.report = &report;
    }
    /* datapackage.json describes the CSV files: they come with it */
    if (!rc && (fmt & (MD_OUT_CSV | MD_OUT_DATAPACKAGE))) rc = out_csv(&cx);
    if (!rc) rc = out_feedback_csv(&cx); /* every run: the feedback loop */
    if (!rc && (fmt & MD_OUT_MARKDOWN)) rc = out_markdown(&cx);
    if (!rc && (fmt & MD_OUT_HTML)) rc = out_html(&cx);
    if (!rc && (fmt & MD_OUT_IATI)) rc = out_iati(&cx);
    if (!rc && (fmt & MD_OUT_DATAPACKAGE)) rc = out_datapackage(&cx);
    /* staged last, so renamed last: a reader that waits for a new
     * summary.json finds the other files already in place */
    if (!rc && (fmt & MD_OUT_JSON)) rc = out_json(&cx);
    /* The report pages are replaced as a whole: pages of donors and
     * countries that are gone from the plan are removed after the commit. */
    static const char *const folders[] = { "donors", "countries" };
    for (int i = 0; i < 2 && !rc; i++) {
        if (fmt & MD_OUT_MARKDOWN) rc = out_stage_replace(st, folders[i], ".md");
        if (!rc && (fmt & MD_OUT_HTML)) rc = out_stage_replace(st, folders[i], ".html");
    }
    out_history_tx *tx = NULL;
    if (!rc && (fmt & MD_OUT_SQLITE)) rc = out_history_begin(&cx, &tx);
    if (!rc) rc = out_stage_install(st);
    if (tx) { /* the commit point: files and history agree from here on */
        int hrc = out_history_finish(tx, rc == 0, d);
        if (!rc) rc = hrc;
    }
    if (rc) out_stage_abort(st);
    int frc = out_stage_finish(st, rc == 0); /* undoes the install on failure */
    if (!rc) rc = frc;
    out_stage_free(st);
    out_report_free(&report);
    if (have_equity) out_equity_free(&equity);
    return rc;
}
