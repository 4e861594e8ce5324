/* engine/tables.c — eligible pairs, funding donors and seat bounds, built
 * with indexes (topic -> courses, donor rule halves) so that the work grows
 * with the number of candidate pairs, not countries x courses x donors. */
#include "eng_int.h"
#include <stdlib.h>
#include <string.h>
#include <math.h>

enum { SEAT_INF = 1000000000 }; /* "unlimited" seats, far above any real bound */

double eng_donor_cap(const md_donor *dn)
{
    return dn->max_share > 0 ? dn->max_share * dn->budget_base : dn->budget_base;
}

void eng_tab_free(eng_tab *T)
{
    free(T->tk_start); free(T->tk_list);
    free(T->dc); free(T->dk);
    free(T->pairs); free(T->c_first); free(T->don);
    free(T->k_start); free(T->k_list);
    free(T->n_start); free(T->n_list);
    free(T->cm_pair); free(T->cm_slot);
    free(T->groups); free(T->gdon); free(T->g_start); free(T->g_list);
    free(T->pair_group); free(T->cm_gslot);
    free(T->cg_first); free(T->pooled); free(T->cp_first); free(T->pdon);
    memset(T, 0, sizeof *T);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Compressed lists: counts in start[1..n], turned into offsets. */
static int csr_alloc(int n, int **start)
{
    *start = calloc((size_t)n + 2, sizeof **start);
    return *start ? 0 : -1;
}

static void csr_offsets(int *start, int n)
{
    for (int i = 0; i < n; i++) start[i + 1] += start[i];
}

static int build_topic_courses(const md_model *m, eng_tab *T)
{
    if (csr_alloc(m->ntopics, &T->tk_start)) return -1;
    int total = 0;
    for (int k = 0; k < m->ncourses; k++)
        for (int i = 0; i < m->courses[k].topics.n; i++) {
            T->tk_start[m->courses[k].topic_idx[i] + 1]++;
            total++;
        }
    csr_offsets(T->tk_start, m->ntopics);
    T->tk_list = malloc(((size_t)total + 1) * sizeof *T->tk_list);
    int *fill = calloc((size_t)m->ntopics + 1, sizeof *fill);
    if (!T->tk_list || !fill) { free(fill); return -1; }
    for (int k = 0; k < m->ncourses; k++) /* ascending k within each topic */
        for (int i = 0; i < m->courses[k].topics.n; i++) {
            int t = m->courses[k].topic_idx[i];
            T->tk_list[T->tk_start[t] + fill[t]++] = k;
        }
    free(fill);
    return 0;
}

static int build_donor_halves(const md_model *m, eng_tab *T)
{
    size_t D = (size_t)m->ndonors;
    T->dc = calloc(D * (size_t)m->ncountries + 1, 1);
    T->dk = calloc(D * (size_t)m->ncourses + 1, 1);
    if (!T->dc || !T->dk) return -1;
    for (int d = 0; d < m->ndonors; d++) {
        for (int c = 0; c < m->ncountries; c++)
            T->dc[(size_t)d * (size_t)m->ncountries + (size_t)c] =
                (unsigned char)eng_donor_country_ok(m, d, c);
        for (int k = 0; k < m->ncourses; k++)
            T->dk[(size_t)d * (size_t)m->ncourses + (size_t)k] =
                (unsigned char)eng_donor_course_ok(m, d, k);
    }
    return 0;
}

static int tab_donor_ok(const eng_tab *T, int d, int c, int k)
{
    const md_model *m = T->m;
    return T->dc[(size_t)d * (size_t)m->ncountries + (size_t)c]
        && T->dk[(size_t)d * (size_t)m->ncourses + (size_t)k];
}

/* Why a committed pair is not eligible (first failing eligibility filter). */
static const char *pair_problem(const md_model *m, int c, int k)
{
    if (!eng_lang_ok(m, c, k)) return "the course's language is not one of the country's";
    if (!eng_region_ok(m, c, k)) return "the course is not open to the country's region";
    if (!eng_quality_ok(m, k)) return "the course fails the quality filter";
    if (!eng_period_ok(m, k)) return "the course starts outside the scenario period";
    if (!eng_pair_eligible(m, c, k)) return "the country has no need for any of the course's topics";
    return NULL;
}

/* Bad commitments are input errors, each reported at its location.
 * (A paid course without a donor is already refused by md_validate.) */
static int check_commitments(const eng_tab *T, md_diag *d)
{
    const md_model *m = T->m;
    int bad = 0;
    for (int i = 0; i < m->ncommitments; i++) {
        const md_commitment *cm = &m->commitments[i];
        const char *why = pair_problem(m, cm->c, cm->k);
        if (why) {
            md_error(d, MD_EX_DATAERR, &cm->loc, "commitment %s/%s: pair is not eligible: %s",
                     cm->country, cm->course, why);
            bad++;
        } else if (cm->d >= 0 && !tab_donor_ok(T, cm->d, cm->c, cm->k)) {
            md_error(d, MD_EX_DATAERR, &cm->loc,
                     "commitment %s/%s: donor %s is not eligible to fund this pair",
                     cm->country, cm->course, cm->donor);
            bad++;
        }
    }
    return bad;
}

/* Commitments ordered by (c, k) for range lookups (i breaks ties). */
typedef struct cm_key { int c, k, i; } cm_key;

static int cmp_cm(const void *a, const void *b)
{
    const cm_key *x = a, *y = b;
    if (x->c != y->c) return (x->c > y->c) - (x->c < y->c);
    if (x->k != y->k) return (x->k > y->k) - (x->k < y->k);
    return (x->i > y->i) - (x->i < y->i);
}

/* First index in ord that is >= (c, k). */
static int cm_lower(const cm_key *ord, int n, int c, int k)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (ord[mid].c < c || (ord[mid].c == c && ord[mid].k < k)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static long lmin(long a, long b) { return a < b ? a : b; }
static long lmax(long a, long b) { return a > b ? a : b; }

static long floor_seats(double v)
{
    if (!(v > 0)) return 0;
    v = floor(v * (1 + 1e-12) + 1e-9); /* tolerate representation error */
    return v >= SEAT_INF ? SEAT_INF : (long)v;
}

/* The tight seat bound of a pair before commitments are applied to it. */
static long pair_ub(const eng_tab *T, int c, int k, long lb, int don_first, int don_count)
{
    const md_model *m = T->m;
    const md_country *cs = &m->countries[c];
    const md_course *ks = &m->courses[k];
    long ub = SEAT_INF;
    if (ks->seats >= 0) ub = lmin(ub, ks->seats);
    if (ks->max_per_country >= 0) ub = lmin(ub, ks->max_per_country);
    if (cs->max_trainees >= 0) ub = lmin(ub, cs->max_trainees);
    if (ks->hours > 0 && cs->trainee_hours >= 0)
        ub = lmin(ub, floor_seats(cs->trainee_hours / ks->hours));
    /* seats beyond the largest need add no coverage; a cohort may be padded
     * up to min_seats; committed seats are never cut */
    long nb = 0;
    for (int i = 0; i < ks->topics.n; i++) {
        int n = eng_need_of(m, c, ks->topic_idx[i]);
        if (n >= 0) nb = lmax(nb, m->needs[n].seats);
    }
    if (ks->min_seats > 0) nb = lmax(nb, ks->min_seats);
    ub = lmin(ub, lmax(nb, lb));
    if (ks->cost_base > 0) { /* the eligible donors can pay for this many */
        double money = 0;
        for (int s = don_first; s < don_first + don_count; s++)
            money += eng_donor_cap(&m->donors[T->don[s]]);
        ub = lmin(ub, floor_seats(money / ks->cost_base));
    }
    return ub < 0 ? 0 : ub;
}

static int push_int(int **arr, int *n, int *cap, int v)
{
    int *p = md_vec_push((void **)arr, n, cap, sizeof **arr);
    if (!p) return -1;
    *p = v;
    return 0;
}

/* Candidate pairs of every country, with donors and bounds. */
static int build_pairs(eng_tab *T, const cm_key *ord)
{
    const md_model *m = T->m;
    int ncm = m->ncommitments, cap_pairs = 0, cap_don = 0, ncand = 0, cap_cand = 0;
    int *mark = malloc(((size_t)m->ncourses + 1) * sizeof *mark), *cand = NULL;
    if (!mark) return -1;
    for (int k = 0; k < m->ncourses; k++) mark[k] = -1;
    for (int c = 0; c < m->ncountries; c++) {
        const md_country *cs = &m->countries[c];
        ncand = 0;
        for (int n = cs->need_first; n < cs->need_first + cs->need_count; n++) {
            int t = m->needs[n].t;
            for (int j = T->tk_start[t]; j < T->tk_start[t + 1]; j++) {
                int k = T->tk_list[j];
                if (mark[k] == c) continue;
                mark[k] = c;
                if (!eng_lang_ok(m, c, k) || !eng_region_ok(m, c, k)
                    || !eng_quality_ok(m, k) || !eng_period_ok(m, k))
                    continue;
                if (push_int(&cand, &ncand, &cap_cand, k)) goto oom;
            }
        }
        if (ncand > 1) qsort(cand, (size_t)ncand, sizeof *cand, cmp_int);
        for (int j = 0; j < ncand; j++) {
            int k = cand[j];
            const md_course *ks = &m->courses[k];
            int c0 = cm_lower(ord, ncm, c, k), c1 = c0;
            long lb = 0;
            while (c1 < ncm && ord[c1].c == c && ord[c1].k == k)
                lb += m->commitments[ord[c1++].i].seats;
            int first = T->ndon;
            if (ks->cost_base > 0) {
                for (int dd = 0; dd < m->ndonors; dd++) {
                    if (!tab_donor_ok(T, dd, c, k)) continue;
                    int named = 0;
                    for (int q = c0; q < c1 && !named; q++) named = m->commitments[ord[q].i].d == dd;
                    if (!(eng_donor_cap(&m->donors[dd]) > 0) && !named) continue;
                    if (push_int(&T->don, &T->ndon, &cap_don, dd)) goto oom;
                }
                if (T->ndon == first && lb == 0) continue; /* nobody may pay */
            }
            long ub = pair_ub(T, c, k, lb, first, T->ndon - first);
            if (ub <= 0 && lb == 0) { T->ndon = first; continue; }
            eng_pair *p = md_vec_push((void **)&T->pairs, &T->npairs, &cap_pairs, sizeof *p);
            if (!p) goto oom;
            p->c = c; p->k = k; p->ub = ub; p->lb_all = lb;
            p->don_first = first; p->don_count = T->ndon - first;
        }
    }
    free(mark); free(cand);
    return 0;
oom:
    free(mark); free(cand);
    return -1;
}

/* A course with min_seats that cannot reach them is left out entirely
 * (unless commitments sit on it: then the model must report the clash). */
static void drop_unopenable(eng_tab *T)
{
    const md_model *m = T->m;
    double *sum = calloc((size_t)m->ncourses + 1, sizeof *sum);
    char *committed = calloc((size_t)m->ncourses + 1, 1);
    if (sum && committed) {
        for (int i = 0; i < T->npairs; i++) {
            sum[T->pairs[i].k] += (double)T->pairs[i].ub;
            if (T->pairs[i].lb_all > 0) committed[T->pairs[i].k] = 1;
        }
        for (int i = 0; i < T->npairs; i++) {
            const md_course *ks = &m->courses[T->pairs[i].k];
            double u = sum[T->pairs[i].k];
            if (ks->seats >= 0 && u > (double)ks->seats) u = (double)ks->seats;
            if (ks->min_seats > 0 && u < (double)ks->min_seats && !committed[T->pairs[i].k])
                T->pairs[i].ub = 0;
        }
    }
    free(sum);
    free(committed);
    /* compact pairs and their donor slots, keeping order */
    int np = 0, nd = 0;
    for (int i = 0; i < T->npairs; i++) {
        eng_pair p = T->pairs[i];
        if (p.ub <= 0 && p.lb_all == 0) continue;
        for (int s = 0; s < p.don_count; s++) T->don[nd + s] = T->don[p.don_first + s];
        p.don_first = nd;
        nd += p.don_count;
        T->pairs[np++] = p;
    }
    T->npairs = np;
    T->ndon = nd;
}

static int build_indexes(eng_tab *T)
{
    const md_model *m = T->m;
    if (csr_alloc(m->ncountries, &T->c_first) || csr_alloc(m->ncourses, &T->k_start)
        || csr_alloc(m->nneeds, &T->n_start))
        return -1;
    size_t nlinks = 0;
    for (int i = 0; i < T->npairs; i++) {
        const eng_pair *p = &T->pairs[i];
        T->c_first[p->c + 1]++;
        T->k_start[p->k + 1]++;
        const md_course *ks = &m->courses[p->k];
        for (int j = 0; j < ks->topics.n; j++) {
            int n = eng_need_of(m, p->c, ks->topic_idx[j]);
            if (n >= 0) { T->n_start[n + 1]++; nlinks++; }
        }
    }
    csr_offsets(T->c_first, m->ncountries);
    csr_offsets(T->k_start, m->ncourses);
    csr_offsets(T->n_start, m->nneeds);
    T->k_list = malloc(((size_t)T->npairs + 1) * sizeof *T->k_list);
    T->n_list = malloc((nlinks + 1) * sizeof *T->n_list);
    int *kf = calloc((size_t)m->ncourses + 1, sizeof *kf);
    int *nf = calloc((size_t)m->nneeds + 1, sizeof *nf);
    if (!T->k_list || !T->n_list || !kf || !nf) { free(kf); free(nf); return -1; }
    for (int i = 0; i < T->npairs; i++) {
        const eng_pair *p = &T->pairs[i];
        T->k_list[T->k_start[p->k] + kf[p->k]++] = i;
        const md_course *ks = &m->courses[p->k];
        for (int j = 0; j < ks->topics.n; j++) {
            int n = eng_need_of(m, p->c, ks->topic_idx[j]);
            if (n >= 0) T->n_list[T->n_start[n] + nf[n]++] = i;
        }
    }
    free(kf);
    free(nf);
    return 0;
}

int eng_pair_index(const eng_tab *T, int c, int k)
{
    if (c < 0 || c >= T->m->ncountries) return -1;
    int lo = T->c_first[c], hi = T->c_first[c + 1] - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (T->pairs[mid].k == k) return mid;
        if (T->pairs[mid].k < k) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

static int map_commitments(eng_tab *T)
{
    const md_model *m = T->m;
    size_t n = (size_t)m->ncommitments + 1;
    T->cm_pair = malloc(n * sizeof *T->cm_pair);
    T->cm_slot = malloc(n * sizeof *T->cm_slot);
    if (!T->cm_pair || !T->cm_slot) return -1;
    for (int i = 0; i < m->ncommitments; i++) {
        const md_commitment *cm = &m->commitments[i];
        int p = eng_pair_index(T, cm->c, cm->k);
        if (p < 0) return -2; /* checked commitments always keep their pair */
        T->cm_pair[i] = p;
        T->cm_slot[i] = -1;
        if (cm->d >= 0 && m->courses[cm->k].cost_base > 0) {
            const eng_pair *pp = &T->pairs[p];
            for (int s = pp->don_first; s < pp->don_first + pp->don_count; s++)
                if (T->don[s] == cm->d) T->cm_slot[i] = s;
            if (T->cm_slot[i] < 0) return -2;
        }
    }
    return 0;
}

static int same_donors(const eng_tab *T, const int *list, int n, const eng_group *g)
{
    if (n != g->gd_count) return 0;
    return n == 0 || memcmp(list, T->gdon + g->gd_first, (size_t)n * sizeof *list) == 0;
}

/* Pooled donors (see eng_tab): money, and every course passes their rules. */
static int mark_pooled(eng_tab *T, int pool)
{
    const md_model *m = T->m;
    T->pooled = calloc((size_t)m->ndonors + 1, 1);
    if (!T->pooled) return -1;
    for (int d = 0; d < m->ndonors; d++) {
        T->pooled[d] = pool && eng_donor_cap(&m->donors[d]) > 0;
        for (int k = 0; k < m->ncourses && T->pooled[d]; k++) T->pooled[d] = T->dk[(size_t)d * m->ncourses + k];
    }
    return 0;
}

/* Funding groups (see eng_tab). Pairs named by a donor commitment stay alone. */
static int build_groups(eng_tab *T)
{
    const md_model *m = T->m;
    int cap_g = 0, cap_gd = 0, nfirst = 0, cap_first = 0, most = 0;
    int *first = NULL; /* first pair of each group */
    for (int q = 0; q < T->npairs; q++)
        if (T->pairs[q].don_count > most) most = T->pairs[q].don_count;
    unsigned char *alone = calloc((size_t)T->npairs + 1, 1), *named = calloc((size_t)T->ndon + 1, 1);
    int *list = malloc(((size_t)most + 1) * sizeof *list); /* a pair's group donors */
    T->pair_group = malloc(((size_t)T->npairs + 1) * sizeof *T->pair_group);
    T->cm_gslot = malloc(((size_t)m->ncommitments + 1) * sizeof *T->cm_gslot);
    T->cg_first = calloc((size_t)m->ncountries + 1, sizeof *T->cg_first);
    if (!alone || !named || !list || !T->pair_group || !T->cm_gslot || !T->cg_first) goto oom;
    for (int i = 0; i < m->ncommitments; i++)
        if (T->cm_slot[i] >= 0) alone[T->cm_pair[i]] = named[T->cm_slot[i]] = 1;
    for (int c = 0; c < m->ncountries; c++) {
        int g0 = T->cg_first[c] = T->ngroups;
        for (int q = T->c_first[c]; q < T->c_first[c + 1]; q++) {
            const eng_pair *pp = &T->pairs[q];
            T->pair_group[q] = -1;
            if (!(m->courses[pp->k].cost_base > 0)) continue;
            int n = 0, g = -1;
            for (int s = pp->don_first; s < pp->don_first + pp->don_count; s++)
                if (!T->pooled[T->don[s]] || named[s]) list[n++] = T->don[s];
            for (int h = g0; h < T->ngroups && g < 0 && !alone[q]; h++)
                if (!alone[first[h]] && same_donors(T, list, n, &T->groups[h])) g = h;
            if (g < 0) {
                eng_group *ng = md_vec_push((void **)&T->groups, &T->ngroups, &cap_g, sizeof *ng);
                if (!ng || push_int(&first, &nfirst, &cap_first, q)) goto oom;
                g = T->ngroups - 1;
                ng->c = c;
                ng->gd_first = T->ngdon;
                ng->gd_count = n;
                for (int s = 0; s < n; s++)
                    if (push_int(&T->gdon, &T->ngdon, &cap_gd, list[s])) goto oom;
            }
            T->pair_group[q] = g;
        }
    }
    T->cg_first[m->ncountries] = T->ngroups;
    free(first);
    first = NULL;
    free(alone);
    alone = NULL;
    free(named);
    named = NULL;
    free(list);
    list = NULL;
    if (csr_alloc(T->ngroups, &T->g_start)) return -1;
    for (int q = 0; q < T->npairs; q++)
        if (T->pair_group[q] >= 0) T->g_start[T->pair_group[q] + 1]++;
    csr_offsets(T->g_start, T->ngroups);
    T->g_list = malloc(((size_t)T->npairs + 1) * sizeof *T->g_list);
    int *fill = calloc((size_t)T->ngroups + 1, sizeof *fill);
    if (!T->g_list || !fill) { free(fill); return -1; }
    for (int q = 0; q < T->npairs; q++) {
        int g = T->pair_group[q];
        if (g >= 0) T->g_list[T->g_start[g] + fill[g]++] = q;
    }
    free(fill);
    for (int i = 0; i < m->ncommitments; i++) {
        T->cm_gslot[i] = -1;
        int g = T->pair_group[T->cm_pair[i]];
        if (T->cm_slot[i] < 0 || g < 0) continue;
        const eng_group *gg = &T->groups[g];
        for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++)
            if (T->gdon[s] == m->commitments[i].d) T->cm_gslot[i] = s;
    }
    return 0;
oom:
    free(first);
    free(alone);
    free(named);
    free(list);
    return -1;
}

/* Pool slots: each pooled donor that admits a country with paid pairs. */
static int build_pools(eng_tab *T)
{
    const md_model *m = T->m;
    int cap = 0;
    T->cp_first = calloc((size_t)m->ncountries + 1, sizeof *T->cp_first);
    if (!T->cp_first) return -1;
    for (int c = 0; c < m->ncountries; c++) {
        T->cp_first[c] = T->npdon;
        if (T->cg_first[c + 1] == T->cg_first[c]) continue;
        for (int d = 0; d < m->ndonors; d++)
            if (T->pooled[d] && T->dc[(size_t)d * m->ncountries + c] && push_int(&T->pdon, &T->npdon, &cap, d))
                return -1;
    }
    T->cp_first[m->ncountries] = T->npdon;
    return 0;
}

int eng_tab_build(const md_model *m, int pool, eng_tab *T, md_diag *d)
{
    memset(T, 0, sizeof *T);
    T->m = m;
    cm_key *ord = NULL;
    if (build_topic_courses(m, T) || build_donor_halves(m, T)) goto oom;
    if (check_commitments(T, d) > 0) { eng_tab_free(T); return MD_EX_DATAERR; }
    ord = malloc(((size_t)m->ncommitments + 1) * sizeof *ord);
    if (!ord) goto oom;
    for (int i = 0; i < m->ncommitments; i++)
        ord[i] = (cm_key){ m->commitments[i].c, m->commitments[i].k, i };
    qsort(ord, (size_t)m->ncommitments, sizeof *ord, cmp_cm);
    if (build_pairs(T, ord)) goto oom;
    free(ord);
    ord = NULL;
    drop_unopenable(T);
    if (build_indexes(T)) goto oom;
    int r = map_commitments(T);
    if (r == -1) goto oom;
    if (r == -2) {
        md_fail(d, MD_EX_SOFTWARE, "internal error: a commitment lost its pair in the engine tables");
        eng_tab_free(T);
        return MD_EX_SOFTWARE;
    }
    if (pool == 0) pool = T->npairs > ENG_POOL_MIN_PAIRS ? 1 : -1;
    if (mark_pooled(T, pool > 0) || build_groups(T) || build_pools(T)) goto oom;
    return 0;
oom:
    free(ord);
    eng_tab_free(T);
    md_fail(d, MD_EX_SOFTWARE, "out of memory while building the allocation model");
    return MD_EX_SOFTWARE;
}
