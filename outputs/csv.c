/* outputs/csv.c — allocations.csv, funding.csv, coverage.csv (docs/formats.md, Outputs).
 * RFC 4180: header row, CRLF line endings, fields quoted only when needed.
 * Rows are sorted by their key columns here, whatever order the plan uses. */
#include "writers.h"
#include "fsutil.h"
#include "equity.h"
#include <stdlib.h>
#include <string.h>

typedef struct row_key {
    const char *k[3];
    int idx;
} row_key;

static int cmp_rows(const void *a, const void *b)
{
    const row_key *x = a, *y = b;
    for (int i = 0; i < 3; i++) {
        int c = strcmp(x->k[i] ? x->k[i] : "", y->k[i] ? y->k[i] : "");
        if (c) return c;
    }
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int bad_index(const out_ctx *cx, const char *file, const char *what, int row)
{
    md_fail(cx->d, MD_EX_SOFTWARE, "%s: plan row %d refers to an unknown %s", file, row, what);
    return MD_EX_SOFTWARE;
}

static int no_memory(const out_ctx *cx, const char *file)
{
    md_fail(cx->d, MD_EX_SOFTWARE, "out of memory writing %s", file);
    return MD_EX_SOFTWARE;
}

static void end_row(FILE *f) { fputs("\r\n", f); }

static int write_allocations(const out_ctx *cx)
{
    const md_model *m = cx->m;
    const eng_plan *p = cx->p;
    const char *name = "allocations.csv";
    row_key *rows = malloc(((size_t)p->nalloc + 1) * sizeof *rows);
    if (!rows) return no_memory(cx, name);
    int n = 0;
    for (int i = 0; i < p->nalloc; i++) {
        const eng_alloc *a = &p->alloc[i];
        if (a->c < 0 || a->c >= m->ncountries || a->k < 0 || a->k >= m->ncourses) {
            free(rows);
            return bad_index(cx, name, "country or course", i);
        }
        if (a->seats <= 0) continue;
        rows[n++] = (row_key){ { m->countries[a->c].code, m->courses[a->k].id, NULL }, i };
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp_rows);
    FILE *f = out_stage_open(cx->st, name);
    if (!f) {
        free(rows);
        return out_stage_errcode(cx->st);
    }
    fputs("country,course,seats,cost", f);
    end_row(f);
    char buf[32];
    for (int r = 0; r < n; r++) {
        const eng_alloc *a = &p->alloc[rows[r].idx];
        out_csv_field(f, rows[r].k[0]);
        fputc(',', f);
        out_csv_field(f, rows[r].k[1]);
        fprintf(f, ",%ld,%s", a->seats, out_fmt_amount(buf, a->cost));
        end_row(f);
    }
    free(rows);
    return 0;
}

int out_fund_in_range(const md_model *m, const eng_fund *fu)
{
    return fu->d >= 0 && fu->d < m->ndonors && fu->c >= 0 && fu->c < m->ncountries &&
           fu->k >= 0 && fu->k < m->ncourses;
}

const char *out_fund_amount(char *buf, const eng_fund *fu)
{
    const char *amt = out_fmt_amount(buf, fu->amount);
    return strcmp(amt, "0.00") == 0 ? NULL : amt;
}

static int write_funding(const out_ctx *cx)
{
    const md_model *m = cx->m;
    const eng_plan *p = cx->p;
    const char *name = "funding.csv";
    row_key *rows = malloc(((size_t)p->nfund + 1) * sizeof *rows);
    if (!rows) return no_memory(cx, name);
    int n = 0;
    char buf[32];
    for (int i = 0; i < p->nfund; i++) {
        const eng_fund *fu = &p->fund[i];
        if (!out_fund_in_range(m, fu)) {
            free(rows);
            return bad_index(cx, name, "donor, country or course", i);
        }
        if (!out_fund_amount(buf, fu)) continue;
        rows[n++] = (row_key){ { m->donors[fu->d].id, m->countries[fu->c].code,
                                 m->courses[fu->k].id }, i };
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp_rows);
    FILE *f = out_stage_open(cx->st, name);
    if (!f) {
        free(rows);
        return out_stage_errcode(cx->st);
    }
    fputs("donor,country,course,amount", f);
    end_row(f);
    for (int r = 0; r < n; r++) {
        for (int j = 0; j < 3; j++) {
            out_csv_field(f, rows[r].k[j]);
            fputc(',', f);
        }
        fputs(out_fmt_amount(buf, p->fund[rows[r].idx].amount), f);
        end_row(f);
    }
    free(rows);
    return 0;
}

/* The binding limit of a need short for lack of resources, else empty
 * (also for a plan made without eng_explain). */
static const char *detail_of(const eng_plan *p, int need)
{
    if (!p->detail || p->reason[need] != ENG_R_RESOURCES) return "";
    int dt = p->detail[need];
    return dt > ENG_D_NONE && dt < ENG_NDETAIL ? eng_detail_names[dt] : "";
}

static int write_coverage(const out_ctx *cx)
{
    const md_model *m = cx->m;
    const eng_plan *p = cx->p;
    const char *name = "coverage.csv";
    if (m->nneeds > 0 && (!p->covered || !p->need_score || !p->reason)) {
        md_fail(cx->d, MD_EX_SOFTWARE, "%s: the plan has no coverage", name);
        return MD_EX_SOFTWARE;
    }
    row_key *rows = malloc(((size_t)m->nneeds + 1) * sizeof *rows);
    if (!rows) return no_memory(cx, name);
    for (int i = 0; i < m->nneeds; i++) {
        int reason = p->reason[i];
        if (reason < ENG_R_NONE || reason > ENG_R_RESOURCES) {
            free(rows);
            return bad_index(cx, name, "reason", i);
        }
        rows[i] = (row_key){ { m->needs[i].country, m->needs[i].topic, NULL }, i };
    }
    qsort(rows, (size_t)m->nneeds, sizeof *rows, cmp_rows);
    FILE *f = out_stage_open(cx->st, name);
    if (!f) {
        free(rows);
        return out_stage_errcode(cx->st);
    }
    fputs("country,topic,need,covered,score,reason,detail", f);
    end_row(f);
    char buf[32];
    for (int r = 0; r < m->nneeds; r++) {
        int i = rows[r].idx;
        const md_need *nd = &m->needs[i];
        long covered = p->covered[i];
        out_csv_field(f, nd->country);
        fputc(',', f);
        out_csv_field(f, nd->topic);
        fprintf(f, ",%ld,%ld,%s,", nd->seats, covered, out_fmt_number(buf, p->need_score[i]));
        if (covered < nd->seats) out_csv_field(f, eng_reason_names[p->reason[i]]);
        fputc(',', f);
        out_csv_field(f, detail_of(p, i));
        end_row(f);
    }
    free(rows);
    return 0;
}

int out_csv(const out_ctx *cx)
{
    int rc = write_allocations(cx);
    if (!rc) rc = write_funding(cx);
    if (!rc) rc = write_coverage(cx);
    if (!rc) rc = out_equity_csv(cx); /* equity.csv: the bias audit (equity.c) */
    return rc;
}
