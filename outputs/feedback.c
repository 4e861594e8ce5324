/* outputs/feedback.c — feedback_requests.csv (docs/formats.md, Outputs): the
 * deliveries of this plan whose participants should be asked to rate the
 * course, so that their answers come back as `ratings` in the next round.
 * Written on every run, whatever output.formats says: it is the other half
 * of the feedback loop, not a view of the plan. One row per planned
 * (country, course) pair with seats, sorted by country, then course;
 * RFC 4180 with CRLF like the other CSV files. */
#include "feedback.h"
#include "fsutil.h"
#include <stdlib.h>
#include <string.h>

typedef struct fb_row { const char *country, *course; int i; } fb_row;

static int cmp_row(const void *a, const void *b)
{
    const fb_row *x = a, *y = b;
    int c = strcmp(x->country, y->country);
    if (!c) c = strcmp(x->course, y->course);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* YYYYMMDD as YYYY-MM-DD; nothing when absent */
static void put_date(FILE *f, int ymd)
{
    if (ymd > 0) fprintf(f, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

int out_feedback_csv(const out_ctx *cx)
{
    const md_model *m = cx->m;
    const eng_plan *p = cx->p;
    const char *name = "feedback_requests.csv";
    fb_row *rows = malloc(((size_t)p->nalloc + 1) * sizeof *rows);
    if (!rows) {
        md_fail(cx->d, MD_EX_SOFTWARE, "out of memory writing %s", name);
        return MD_EX_SOFTWARE;
    }
    int n = 0;
    for (int i = 0; i < p->nalloc; i++) {
        const eng_alloc *a = &p->alloc[i];
        if (a->c < 0 || a->c >= m->ncountries || a->k < 0 || a->k >= m->ncourses) {
            free(rows);
            md_fail(cx->d, MD_EX_SOFTWARE, "%s: plan row %d refers to an unknown country or course",
                    name, i);
            return MD_EX_SOFTWARE;
        }
        if (a->seats > 0) rows[n++] = (fb_row){ m->countries[a->c].code, m->courses[a->k].id, i };
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp_row);
    FILE *f = out_stage_open(cx->st, name);
    if (!f) {
        free(rows);
        return out_stage_errcode(cx->st);
    }
    fputs("country,course,seats,start_date,end_date\r\n", f);
    for (int r = 0; r < n; r++) {
        const eng_alloc *a = &p->alloc[rows[r].i];
        const md_course *k = &m->courses[a->k];
        out_csv_field(f, rows[r].country);
        fputc(',', f);
        out_csv_field(f, rows[r].course);
        fprintf(f, ",%ld,", a->seats);
        put_date(f, k->start_date);
        fputc(',', f);
        put_date(f, k->end_date);
        fputs("\r\n", f);
    }
    free(rows);
    return 0;
}
