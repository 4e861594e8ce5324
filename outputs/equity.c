/* outputs/equity.c — the bias audit's figures (equity.h) and equity.csv:
 * every need, allocation and course is visited once; groups are found by
 * sorting their names, so the rows come out in a fixed order whatever the
 * plan's order. */
#include "equity.h"
#include "fsutil.h"
#include <stdlib.h>
#include <string.h>

const char *const out_eq_dim_names[OUT_EQ_NDIMS] = { "income_group", "region", "language", "provider" };

/* Group of a country without an income group or region. */
static const char unspecified[] = "unspecified";

double out_equity_share(double a, double b) { return b > 0 ? a / b : 0.0; }

void out_equity_free(out_equity *e)
{
    for (int i = 0; i < e->nowned; i++) free(e->owned[i]);
    free(e->owned);
    free(e->rows);
    free(e->gaps);
    memset(e, 0, sizeof *e);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted distinct names of v[0..n-1], in place; returns their count. */
static int uniq(const char **v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_str);
    int u = 0;
    for (int i = 0; i < n; i++)
        if (u == 0 || strcmp(v[u - 1], v[i]) != 0) v[u++] = v[i];
    return u;
}

static int find(const char *const *v, int n, const char *s)
{
    const char *const *hit = bsearch(&s, v, (size_t)n, sizeof *v, cmp_str);
    return hit ? (int)(hit - v) : -1;
}

/* The provider group of course k: its provider, or "course:ID" (made once
 * per course into pname[k]). */
static const char *provider_of(out_equity *e, const md_course *ks, char **pname, int k)
{
    if (ks->provider) return ks->provider;
    if (!pname[k]) {
        size_t n = strlen(ks->id) + 8;
        if (!(pname[k] = malloc(n))) return NULL;
        snprintf(pname[k], n, "course:%s", ks->id);
        e->owned[e->nowned++] = pname[k];
    }
    return pname[k];
}

static const char *region_of(const md_country *c) { return c->region ? c->region : unspecified; }

static const char *income_of(const md_country *c)
{
    return c->income >= 0 && c->income < MD_INC_COUNT ? md_income_names[c->income] : unspecified;
}

/* Adds the rows of one dimension: names[0..n-1] sorted (income groups in
 * their own order), figures from need/covered/spend. */
static void add_rows(out_equity *e, int dim, const char *const *names, int n, const long *need,
                     const long *covered, const double *spend)
{
    for (int i = 0; i < n; i++)
        e->rows[e->nrows++] = (out_eq_row){ dim, names[i], need ? need[i] : 0, covered[i], spend[i] };
}

/* Countries: income groups and regions. */
static int country_rows(const md_model *m, const eng_plan *p, out_equity *e)
{
    int C = m->ncountries, rc = -1;
    const char **reg = malloc(((size_t)C + 1) * sizeof *reg);
    long *need = calloc((size_t)C + MD_INC_COUNT + 2, sizeof *need);
    long *cov = calloc((size_t)C + MD_INC_COUNT + 2, sizeof *cov);
    double *spend = calloc((size_t)C + MD_INC_COUNT + 2, sizeof *spend);
    if (!reg || !need || !cov || !spend) goto out;
    /* income groups: LIC, LMIC, UMIC, HIC, then unspecified; only those a country has */
    const char *inc[MD_INC_COUNT + 1];
    int ninc = 0;
    for (int g = 0; g <= MD_INC_COUNT; g++) {
        const char *name = g < MD_INC_COUNT ? md_income_names[g] : unspecified;
        for (int c = 0; c < C; c++)
            if (strcmp(income_of(&m->countries[c]), name) == 0) { inc[ninc++] = name; break; }
    }
    for (int c = 0; c < C; c++) reg[c] = region_of(&m->countries[c]);
    int nreg = uniq(reg, C);
    for (int dim = OUT_EQ_INCOME; dim <= OUT_EQ_REGION; dim++) {
        const char *const *names = dim == OUT_EQ_INCOME ? inc : reg;
        int n = dim == OUT_EQ_INCOME ? ninc : nreg;
        memset(need, 0, (size_t)(n + 1) * sizeof *need);
        memset(cov, 0, (size_t)(n + 1) * sizeof *cov);
        memset(spend, 0, (size_t)(n + 1) * sizeof *spend);
        for (int i = 0; i < m->nneeds; i++) {
            const md_country *cs = &m->countries[m->needs[i].c];
            const char *g = dim == OUT_EQ_INCOME ? income_of(cs) : region_of(cs);
            int j = 0;
            while (j < n && strcmp(names[j], g) != 0) j++;
            long s = m->needs[i].seats, c = p->covered ? p->covered[i] : 0;
            need[j] += s;
            cov[j] += c < s ? (c > 0 ? c : 0) : s;
        }
        for (int i = 0; i < p->nalloc; i++) {
            const md_country *cs = &m->countries[p->alloc[i].c];
            const char *g = dim == OUT_EQ_INCOME ? income_of(cs) : region_of(cs);
            int j = dim == OUT_EQ_INCOME ? 0 : find(names, n, g);
            if (dim == OUT_EQ_INCOME)
                while (j < n && strcmp(names[j], g) != 0) j++;
            if (j >= 0 && j < n) spend[j] += p->alloc[i].cost;
        }
        add_rows(e, dim, names, n, need, cov, spend);
    }
    rc = 0;
out:
    free(reg); free(need); free(cov); free(spend);
    return rc;
}

/* Courses taken: languages and providers (seats bought and spend). */
static int course_rows(const md_model *m, const eng_plan *p, out_equity *e, char **pname)
{
    int A = p->nalloc, rc = -1;
    const char **names = malloc(((size_t)A + 1) * sizeof *names);
    long *seats = calloc((size_t)A + 1, sizeof *seats);
    double *spend = calloc((size_t)A + 1, sizeof *spend);
    if (!names || !seats || !spend) goto out;
    for (int dim = OUT_EQ_LANGUAGE; dim <= OUT_EQ_PROVIDER; dim++) {
        int n = 0;
        for (int i = 0; i < A; i++) {
            const md_course *ks = &m->courses[p->alloc[i].k];
            if (p->alloc[i].seats <= 0) continue; /* not a course taken */
            names[n] = dim == OUT_EQ_LANGUAGE ? ks->language : provider_of(e, ks, pname, p->alloc[i].k);
            if (!names[n++]) goto out;
        }
        n = uniq(names, n);
        memset(seats, 0, ((size_t)A + 1) * sizeof *seats);
        memset(spend, 0, ((size_t)A + 1) * sizeof *spend);
        for (int i = 0; i < A; i++) {
            const md_course *ks = &m->courses[p->alloc[i].k];
            if (p->alloc[i].seats <= 0) continue;
            int j = find(names, n, dim == OUT_EQ_LANGUAGE ? ks->language : provider_of(e, ks, pname, p->alloc[i].k));
            if (j < 0) continue;
            seats[j] += p->alloc[i].seats;
            spend[j] += p->alloc[i].cost;
            if (dim == OUT_EQ_PROVIDER) continue;
            e->seats_total += p->alloc[i].seats;
            e->spend_total += p->alloc[i].cost;
        }
        add_rows(e, dim, names, n, NULL, seats, spend);
        if (dim == OUT_EQ_PROVIDER) {
            e->hhi = 0;
            for (int j = 0; j < n; j++) {
                double s = out_equity_share(spend[j], e->spend_total);
                e->hhi += s * s;
            }
        }
    }
    rc = 0;
out:
    free(names); free(seats); free(spend);
    return rc;
}

typedef struct tl { int t; const char *lang; } tl;

static int cmp_tl(const void *a, const void *b)
{
    const tl *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return strcmp(x->lang, y->lang);
}

static int cmp_gap(const void *a, const void *b)
{
    const out_eq_gap *x = a, *y = b;
    int c = strcmp(x->language, y->language);
    return c ? c : (x->t > y->t) - (x->t < y->t);
}

/* Demand without supply: needs whose topic no course in any of the
 * country's languages covers (whatever its price, region, dates or
 * quality), under each of the country's languages. */
static int gaps(const md_model *m, out_equity *e)
{
    size_t n = 0;
    for (int k = 0; k < m->ncourses; k++) n += (size_t)m->courses[k].topics.n;
    tl *v = malloc((n + 1) * sizeof *v);
    size_t cap = 0;
    for (int i = 0; i < m->nneeds; i++) cap += (size_t)m->countries[m->needs[i].c].languages.n;
    e->gaps = malloc((cap + 1) * sizeof *e->gaps);
    if (!v || !e->gaps) { free(v); return -1; }
    n = 0;
    for (int k = 0; k < m->ncourses; k++)
        for (int i = 0; i < m->courses[k].topics.n; i++)
            v[n++] = (tl){ m->courses[k].topic_idx ? m->courses[k].topic_idx[i] : -1, m->courses[k].language };
    qsort(v, n, sizeof *v, cmp_tl);
    for (int i = 0; i < m->nneeds; i++) {
        const md_need *nd = &m->needs[i];
        const md_strlist *ls = &m->countries[nd->c].languages;
        int offered = 0;
        for (int j = 0; j < ls->n && !offered; j++) {
            tl key = { nd->t, ls->v[j] };
            offered = bsearch(&key, v, n, sizeof *v, cmp_tl) != NULL;
        }
        if (offered) continue;
        for (int j = 0; j < ls->n; j++) {
            int g = 0;
            while (g < e->ngaps && !(e->gaps[g].t == nd->t && strcmp(e->gaps[g].language, ls->v[j]) == 0)) g++;
            if (g == e->ngaps) e->gaps[e->ngaps++] = (out_eq_gap){ ls->v[j], nd->t, 0, 0 };
            e->gaps[g].seats += nd->seats;
            e->gaps[g].ncountries++; /* needs are one per (country, topic) */
        }
    }
    free(v);
    qsort(e->gaps, (size_t)e->ngaps, sizeof *e->gaps, cmp_gap);
    return 0;
}

int out_equity_build(const md_model *m, const eng_plan *p, out_equity *e)
{
    memset(e, 0, sizeof *e);
    size_t most = 2 * (size_t)m->ncountries + 2 * (size_t)p->nalloc + MD_INC_COUNT + 2;
    e->rows = malloc(most * sizeof *e->rows);
    e->owned = malloc(((size_t)m->ncourses + 1) * sizeof *e->owned);
    char **pname = calloc((size_t)m->ncourses + 1, sizeof *pname);
    int rc = e->rows && e->owned && pname ? 0 : -1;
    for (int i = 0; !rc && i < m->nneeds; i++) {
        long s = m->needs[i].seats, c = p->covered ? p->covered[i] : 0;
        e->need_total += s;
        e->covered_total += c < s ? (c > 0 ? c : 0) : s;
    }
    if (!rc) rc = country_rows(m, p, e);
    if (!rc) rc = course_rows(m, p, e, pname);
    if (!rc) rc = gaps(m, e);
    free(pname); /* its strings are in e->owned */
    if (rc) out_equity_free(e);
    return rc;
}

const out_equity *out_equity_get(const out_equity *shared, const md_model *m, const eng_plan *p,
                                 out_equity *own)
{
    if (shared) return shared;
    return out_equity_build(m, p, own) == 0 ? own : NULL;
}

void out_equity_done(const out_equity *e, out_equity *own)
{
    if (e == own) out_equity_free(own);
}

int out_equity_csv(const out_ctx *cx)
{
    out_equity own;
    const out_equity *e = out_equity_get(cx->equity, cx->m, cx->p, &own);
    if (!e) {
        md_fail(cx->d, MD_EX_SOFTWARE, "out of memory writing equity.csv");
        return MD_EX_SOFTWARE;
    }
    FILE *f = out_stage_open(cx->st, "equity.csv");
    if (!f) {
        out_equity_done(e, &own);
        return out_stage_errcode(cx->st);
    }
    fputs("dimension,group,seats_needed,seats_covered,spend,share_of_need,share_of_covered,share_of_spend\r\n", f);
    char a[32], b[32], c[32], d[32];
    for (int i = 0; i < e->nrows; i++) {
        const out_eq_row *r = &e->rows[i];
        int country = r->dim <= OUT_EQ_REGION;
        double covered_all = country ? (double)e->covered_total : (double)e->seats_total;
        fputs(out_eq_dim_names[r->dim], f);
        fputc(',', f);
        out_csv_field(f, r->group);
        if (country) fprintf(f, ",%ld", r->need);
        else fputc(',', f);
        fprintf(f, ",%ld,%s,", r->covered, out_fmt_amount(a, r->spend));
        if (country) fputs(out_fmt_number(b, out_equity_share((double)r->need, (double)e->need_total)), f);
        fprintf(f, ",%s,%s\r\n", out_fmt_number(c, out_equity_share((double)r->covered, covered_all)),
                out_fmt_number(d, out_equity_share(r->spend, e->spend_total)));
    }
    out_equity_done(e, &own);
    return 0;
}
