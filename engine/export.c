/* engine/export.c — --export-model: the max-score model as free MPS whose
 * rows and columns carry the scenario's names (x[KEN,dip-101],
 * budget[geneva-law-norms], ...), and FILE.names.csv beside it with each
 * MPS name and its full name (docs/formats.md, The exported model).
 * The names are set on P only while the file is written and removed
 * afterwards: GLPK's own solve never sees them. */
#include "eng_int.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest MPS name written. GLPK takes up to 255 bytes, but CBC's reader
 * (CoinMpsIO) copies a name into a 160-byte buffer and crashed on
 * 164-byte names; 128 leaves a margin. */
#define NAME_MAX_BYTES 128
#define HASH_HEX 16

/* A growable string; oom is sticky. */
typedef struct sbuf { char *s; size_t n, cap; int oom; } sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->n + n + 1) ncap *= 2;
        char *ns = realloc(b->s, ncap);
        if (!ns) { b->oom = 1; return; }
        b->s = ns;
        b->cap = ncap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/* One name in both spellings: mps (escaped, later shortened) and full
 * (the ids as they are). */
typedef struct name2 { sbuf mps, full; } name2;

static void nm_reset(name2 *x) { x->mps.n = x->full.n = 0; }

/* Syntax ("x[", ",", "+", "]"): the same in both spellings. */
static void nm_syn(name2 *x, const char *s)
{
    sb_putn(&x->mps, s, strlen(s));
    sb_putn(&x->full, s, strlen(s));
}

/* An entity id: raw in the full name; in the MPS name every byte other
 * than A-Z a-z 0-9 _ - . becomes %XX (upper-case hex), so that ids with
 * spaces, commas, brackets or non-ASCII letters keep names unique and
 * free of blanks. */
static void nm_id(name2 *x, const char *id)
{
    static const char hex[] = "0123456789ABCDEF";
    sb_putn(&x->full, id, strlen(id));
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'
            || *p == '-' || *p == '.') {
            sb_putn(&x->mps, (const char *)p, 1);
        } else {
            char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };
            sb_putn(&x->mps, e, 3);
        }
    }
}

static void nm_int(name2 *x, int v)
{
    char b[16];
    snprintf(b, sizeof b, "%d", v);
    nm_syn(x, b);
}

/* FNV-1a, 64 bits. */
static uint64_t fnv64(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Names longer than NAME_MAX_BYTES keep their first bytes (never half an
 * %XX escape) and end in "~" and 16 hex digits of a hash of the whole
 * escaped name. Escaped ids never hold a raw "~", so a shortened name never
 * equals an unshortened one. */
static void nm_shorten(name2 *x)
{
    sbuf *b = &x->mps;
    if (b->oom || b->n <= NAME_MAX_BYTES) return;
    uint64_t h = fnv64(b->s, b->n);
    size_t cut = NAME_MAX_BYTES - 1 - HASH_HEX;
    if (b->s[cut - 1] == '%') cut -= 1;
    else if (b->s[cut - 2] == '%') cut -= 2;
    b->n = cut;
    char tail[2 + HASH_HEX];
    snprintf(tail, sizeof tail, "~%016llx", (unsigned long long)h);
    sb_putn(b, tail, strlen(tail));
}

/* Group g's label: its donors' ids as {a+b} (sorted as the tables hold
 * them), or its course's id when the group is one pair kept apart for a
 * commitment that names a donor (alone[g]). */
static void nm_group(name2 *x, const eng_tab *T, int g, const unsigned char *alone)
{
    const md_model *m = T->m;
    const eng_group *gg = &T->groups[g];
    if (alone[g]) {
        nm_id(x, m->courses[T->pairs[T->g_list[T->g_start[g]]].k].id);
        return;
    }
    nm_syn(x, "{");
    for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++) {
        if (s > gg->gd_first) nm_syn(x, "+");
        nm_id(x, m->donors[T->gdon[s]].id);
    }
    nm_syn(x, "}");
}

/* The payers of group g (its own donors and its country's pools) in donor
 * order, joined by "+": the donors of an implied knapsack row (implied.c). */
static void nm_payers(name2 *x, const eng_tab *T, int g)
{
    const eng_group *gg = &T->groups[g];
    int n = 0;
    for (int d = 0; d < T->m->ndonors; d++) {
        int in = 0;
        for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count && !in; s++) in = T->gdon[s] == d;
        for (int s = T->cp_first[gg->c]; s < T->cp_first[gg->c + 1] && !in; s++) in = T->pdon[s] == d;
        if (!in) continue;
        if (n++) nm_syn(x, "+");
        nm_id(x, T->m->donors[d].id);
    }
}

/* Name of row i (1-based). */
static void row_name(name2 *x, const eng_tab *T, const eng_lp *L, int i, const unsigned char *alone)
{
    const md_model *m = T->m;
    nm_reset(x);
    if (i > L->ntags) { /* a row added after the build */
        nm_syn(x, "row[");
        nm_int(x, i);
        nm_syn(x, "]");
        return;
    }
    const eng_rowtag *t = &L->rtag[i];
    switch (t->kind) {
    case ENG_ROW_COVER:
        nm_syn(x, "cover[");
        nm_id(x, m->countries[m->needs[t->a].c].code);
        nm_syn(x, ",");
        nm_id(x, m->topics[m->needs[t->a].t].id);
        break;
    case ENG_ROW_FUND_GROUP:
        nm_syn(x, "fund[");
        nm_id(x, m->countries[T->groups[t->a].c].code);
        nm_syn(x, ",");
        nm_group(x, T, t->a, alone);
        break;
    case ENG_ROW_FUND_COUNTRY:
        nm_syn(x, "fund[");
        nm_id(x, m->countries[t->a].code);
        break;
    case ENG_ROW_BUDGET:
        nm_syn(x, "budget[");
        nm_id(x, m->donors[t->a].id);
        break;
    case ENG_ROW_SHARE:
        nm_syn(x, "share[");
        nm_id(x, m->donors[t->a].id);
        nm_syn(x, ",");
        nm_id(x, m->countries[t->b].code);
        break;
    case ENG_ROW_COHORT_MIN: nm_syn(x, "cohort_min["); nm_id(x, m->courses[t->a].id); break;
    case ENG_ROW_COHORT_MAX: nm_syn(x, "cohort_max["); nm_id(x, m->courses[t->a].id); break;
    case ENG_ROW_CAPACITY: nm_syn(x, "capacity["); nm_id(x, m->courses[t->a].id); break;
    case ENG_ROW_HEADCOUNT: nm_syn(x, "headcount["); nm_id(x, m->countries[t->a].code); break;
    case ENG_ROW_HOURS: nm_syn(x, "hours["); nm_id(x, m->countries[t->a].code); break;
    case ENG_ROW_SPEND_TOTAL: nm_syn(x, "spend_total[all"); break;
    case ENG_ROW_PROVIDER_SHARE: /* a course without a provider: its own name, apart from providers' */
        nm_syn(x, m->courses[t->a].provider ? "provider_share[" : "provider_share_course[");
        nm_id(x, m->courses[t->a].provider ? m->courses[t->a].provider : m->courses[t->a].id);
        break;
    case ENG_ROW_KNAP: nm_syn(x, "knap["); nm_payers(x, T, t->a); break;
    default: nm_syn(x, "row["); nm_int(x, i); break;
    }
    nm_syn(x, "]");
}

/* What each column is: kind and index into L's arrays (filled once). */
enum { COL_X = 1, COL_F, COL_POOL, COL_Z, COL_OPEN, COL_D, COL_T };
typedef struct colwho { unsigned char kind; int i, tier; } colwho;

static void col_index(const eng_tab *T, const eng_lp *L, colwho *w)
{
    const md_model *m = T->m;
    for (int p = 0; p < T->npairs; p++) w[L->xcol[p]] = (colwho){ COL_X, p, 0 };
    for (int s = 0; s < T->ngdon; s++) w[L->fcol[s]] = (colwho){ COL_F, s, 0 };
    for (int s = 0; s < T->npdon; s++) w[L->pcol[s]] = (colwho){ COL_POOL, s, 0 };
    for (int n = 0; n < m->nneeds; n++)
        for (int i = 0; L->zcol[n] && i < m->set.ntiers; i++) w[L->zcol[n] + i] = (colwho){ COL_Z, n, i + 1 };
    for (int k = 0; k < m->ncourses; k++)
        if (L->ocol[k]) w[L->ocol[k]] = (colwho){ COL_OPEN, k, 0 };
    for (int p = 0; L->dcol && p < T->npairs; p++)
        if (L->dcol[p]) w[L->dcol[p]] = (colwho){ COL_D, p, 0 };
    if (L->tcol) w[L->tcol] = (colwho){ COL_T, 0, 0 };
}

/* Name of column j; slot_group[s]: the group of group slot s, pool_c[s]:
 * the country of pool slot s. */
static void col_name(name2 *x, const eng_tab *T, const colwho *w, int j, const int *slot_group,
                     const int *pool_c, const unsigned char *alone)
{
    const md_model *m = T->m;
    nm_reset(x);
    switch (w[j].kind) {
    case COL_X: case COL_D: {
        const eng_pair *pp = &T->pairs[w[j].i];
        nm_syn(x, w[j].kind == COL_X ? "x[" : "d[");
        nm_id(x, m->countries[pp->c].code);
        nm_syn(x, ",");
        nm_id(x, m->courses[pp->k].id);
        break;
    }
    case COL_F: {
        int g = slot_group[w[j].i];
        nm_syn(x, "f[");
        nm_id(x, m->countries[T->groups[g].c].code);
        nm_syn(x, ",");
        nm_id(x, m->donors[T->gdon[w[j].i]].id);
        nm_syn(x, ",");
        nm_group(x, T, g, alone);
        break;
    }
    case COL_POOL:
        nm_syn(x, "pool[");
        nm_id(x, m->countries[pool_c[w[j].i]].code);
        nm_syn(x, ",");
        nm_id(x, m->donors[T->pdon[w[j].i]].id);
        break;
    case COL_Z:
        nm_syn(x, "cov[");
        nm_id(x, m->countries[m->needs[w[j].i].c].code);
        nm_syn(x, ",");
        nm_id(x, m->topics[m->needs[w[j].i].t].id);
        nm_syn(x, ",");
        nm_int(x, w[j].tier);
        break;
    case COL_OPEN: nm_syn(x, "open["); nm_id(x, m->courses[w[j].i].id); break;
    case COL_T: nm_syn(x, "spend[all"); break;
    default: nm_syn(x, "col["); nm_int(x, j); break;
    }
    nm_syn(x, "]");
}

/* One RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
static void csv_field(FILE *f, const char *s, size_t n)
{
    if (strcspn(s, ",\"\r\n") >= n) { fwrite(s, 1, n, f); return; }
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

static void csv_line(FILE *f, const char *kind, name2 *x)
{
    fputs(kind, f);
    fputc(',', f);
    csv_field(f, x->mps.s, x->mps.n);
    fputc(',', f);
    csv_field(f, x->full.s, x->full.n);
    fputs("\r\n", f);
}

/* Names every row and column of P (rows first, as the MPS file lists them)
 * and writes names.csv to f. Returns 0 or -3 (out of memory). */
static int set_names(const eng_tab *T, const eng_lp *L, glp_prob *P, FILE *f)
{
    const md_model *m = T->m;
    int nr = glp_get_num_rows(P), nc = glp_get_num_cols(P), rc = 0;
    colwho *w = calloc((size_t)nc + 1, sizeof *w);
    int *slot_group = malloc(((size_t)T->ngdon + 1) * sizeof *slot_group);
    int *pool_c = malloc(((size_t)T->npdon + 1) * sizeof *pool_c);
    unsigned char *alone = calloc((size_t)T->ngroups + 1, 1);
    name2 x = { { 0 }, { 0 } };
    if (!w || !slot_group || !pool_c || !alone) { rc = -3; goto done; }
    for (int g = 0; g < T->ngroups; g++)
        for (int s = T->groups[g].gd_first; s < T->groups[g].gd_first + T->groups[g].gd_count; s++)
            slot_group[s] = g;
    for (int c = 0; c < m->ncountries; c++)
        for (int s = T->cp_first[c]; s < T->cp_first[c + 1]; s++) pool_c[s] = c;
    for (int i = 0; i < m->ncommitments; i++) /* see build_groups in tables.c */
        if (T->cm_slot[i] >= 0 && T->pair_group[T->cm_pair[i]] >= 0) alone[T->pair_group[T->cm_pair[i]]] = 1;
    col_index(T, L, w);
    fputs("kind,name,full_name\r\n", f);
    for (int i = 1; i <= nr && !rc; i++) {
        const char *fixed = glp_get_row_name(P, i); /* "score", "cost", "seats" */
        if (fixed) {
            nm_reset(&x);
            nm_syn(&x, fixed);
        } else {
            row_name(&x, T, L, i, alone);
        }
        nm_shorten(&x);
        if (x.mps.oom || x.full.oom) { rc = -3; break; }
        if (!fixed) glp_set_row_name(P, i, x.mps.s);
        csv_line(f, "row", &x);
    }
    for (int j = 1; j <= nc && !rc; j++) {
        col_name(&x, T, w, j, slot_group, pool_c, alone);
        nm_shorten(&x);
        if (x.mps.oom || x.full.oom) { rc = -3; break; }
        glp_set_col_name(P, j, x.mps.s);
        csv_line(f, "col", &x);
    }
done:
    free(x.mps.s); free(x.full.s);
    free(w); free(slot_group); free(pool_c); free(alone);
    return rc;
}

/* Closes f, checking that everything reached the file. */
static int close_checked(FILE *f)
{
    int bad = ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0;
    return fclose(f) != 0 || bad ? -1 : 0;
}

int eng_lp_export(const eng_tab *T, eng_lp *L, const char *path)
{
    glp_prob *P = L->P;
    int nrows = L->nrows, ncols = glp_get_num_cols(P), rc = 0;
    static const char *const names[3] = { "score", "cost", "seats" };
    static const int objs[3] = { ENG_OBJ_SCORE, ENG_OBJ_COST, ENG_OBJ_SEATS };
    size_t plen = strlen(path);
    char *npath = malloc(plen + sizeof ".names.csv");
    if (!npath) return -3;
    memcpy(npath, path, plen);
    memcpy(npath + plen, ".names.csv", sizeof ".names.csv");
    for (int i = 0; i < 3; i++) {
        if (eng_lp_add_limit(T, L, objs[i], 0) != 0) { rc = -3; break; }
        glp_set_row_bnds(P, L->nrows, GLP_FR, 0, 0);
        glp_set_row_name(P, L->nrows, names[i]);
    }
    eng_lp_objective(T, L, ENG_OBJ_SCORE);
    /* With a free row in P, GLPK's writer leaves the objective out (it
     * would read back as the first free row), so "score", the first, is
     * the objective for readers. */
    FILE *f = rc ? NULL : fopen(npath, "w");
    if (!rc && !f) rc = -2;
    if (f) {
        rc = set_names(T, L, P, f);
        if (close_checked(f) != 0 && !rc) rc = -2;
    }
    if (!rc && glp_write_mps(P, GLP_MPS_FILE, NULL, path) != 0) rc = -1;
    if (rc && f) unlink(npath); /* no half-written files left behind */
    if (rc == -1) unlink(path);
    /* P as it was: no names, no extra rows */
    for (int i = 1; i <= glp_get_num_rows(P); i++) glp_set_row_name(P, i, NULL);
    for (int j = 1; j <= ncols; j++) glp_set_col_name(P, j, NULL);
    int extra = glp_get_num_rows(P) - nrows, num[4];
    for (int i = 1; i <= extra; i++) num[i] = nrows + i;
    if (extra > 0) glp_del_rows(P, extra, num);
    L->nrows = nrows;
    free(npath);
    return rc;
}
