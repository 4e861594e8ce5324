/* engine/runner.c — one MIP solve of a prepared model: LP relaxation with
 * glp_simplex, RENS and LNS on big models, then glp_intopt without the MIP
 * presolver (so that the callback sees our own columns and can offer an
 * incumbent, run RENS and LNS inside the search, complete near-integral
 * node LPs into plans and branch on cohort binaries first), with the
 * deadline and the stop flag enforced in the callback. */
#include "search/search.h"
#include <math.h>
#include <time.h>
#include <string.h>

/* Models with more integer columns than ENG_BIG_INTS (eng_tune.h) are "big": they get
 * RENS and LNS in every stage and Driebeck-Tomlin branching (see
 * eng_run_mip); small ones get RENS and LNS in stages 2 and 3 only.
 * RENS at the search's root stops after RENS_ROOT_TIME seconds (or half
 * the time left): at 195x1000x40 (60 s) it found stage 3's plans in
 * 0.1-3.7 s or not at all, once after 9.6 s of a 25 s stage; with 5 s,
 * stage 3 was proven on seeds 2, 3 and 6 (3 s cut seed 6's off). */
enum { RENS_ROOT_TIME = 5, COMPLETE_FRAC = 20, HUGE_SETUP_US_PER_COL = 130 };

/* LNS and node completions inside the search are scheduled by work, not
 * by the clock, so that the same inputs give the same plan whenever the
 * time limit does not cut the run short: a turn of TURN_WINDOWS windows
 * after every TURN_NODES branch-and-bound nodes, and at most one node
 * completion per COMPLETE_NODES nodes. They stand for the 2 s turns and
 * 2 s of branch and bound between them, and the fifth of the search's
 * time for completions, that they replaced (195x1000x40 at 30 s: 20-50
 * nodes between turns and 19-33 windows a turn). The clock only caps
 * them: TURN_SECONDS a turn, COMPLETE_TURN a completion. A turn or
 * completion that finds nothing doubles the wait before the next one, up
 * to TURN_DOUBLINGS and COMPLETE_DOUBLINGS times on big models and
 * SMALL_DOUBLINGS times (no cap in practice) on small ones, whose nodes
 * take milliseconds: there a capped wait let turns and completions cost
 * more than the thousands of nodes between them (sub_in_tree,
 * complete_in_tree). */
enum { TURN_NODES = 20, TURN_WINDOWS = 25, COMPLETE_NODES = 4, TURN_DOUBLINGS = 4, COMPLETE_DOUBLINGS = 3,
       SMALL_DOUBLINGS = 16 };
#define TURN_SECONDS 8.0
#define COMPLETE_TURN 1.0



static int ms_left(const eng_run *r)
{
    return eng_tm_lim(r->cfg.deadline, 1, ENG_TM_ANY, NULL);
}

static int stop_requested(const eng_run *r)
{
    return r->cfg.opt->stop && *r->cfg.opt->stop;
}


int eng_copy_fits(const eng_options *opt)
{
    if (opt->mem_limit_mb <= 0) return 1;
    int count, cpeak;
    size_t total, tpeak;
    glp_mem_usage(&count, &cpeak, &total, &tpeak);
    return 2.0 * (double)total <= opt->mem_limit_mb * 1048576.0;
}

/* RENS copies the model, with the search's cuts inside it. */
static int copy_fits(const eng_run *r)
{
    return eng_copy_fits(r->cfg.opt);
}



/* sub_best becomes the search's incumbent when that is better. */
static void take_incumbent(glp_tree *tree, eng_run *r)
{
    glp_prob *P = glp_ios_get_prob(tree);
    int n = glp_get_num_cols(P), maximize = glp_get_obj_dir(P) == GLP_MAX;
    int st = glp_mip_status(P);
    if (st == GLP_FEAS || st == GLP_OPT) {
        double o = glp_mip_obj_val(P);
        if (isnan(r->st.sub_obj) || (maximize ? o > r->st.sub_obj : o < r->st.sub_obj)) {
            for (int j = 1; j <= n; j++) r->cfg.sub_best[j] = glp_mip_col_val(P, j);
            r->st.sub_obj = o;
        }
    }
}

/* Branch-and-bound nodes the search has made so far. */
static int tree_made(glp_tree *tree)
{
    int made = 0;
    glp_ios_tree_size(tree, NULL, NULL, &made);
    return made;
}

/* The wait, in nodes, before the next LNS turn or node completion: base
 * doubled once per try in a row that found nothing, at most big_cap times
 * on big models and SMALL_DOUBLINGS times on small ones. At least base, so
 * at most one try per base nodes. */
static int backed_off(const eng_run *r, int base, int idle, int big_cap)
{
    int cap = r->st.L->nints > ENG_BIG_INTS ? big_cap : SMALL_DOUBLINGS;
    return base << (idle < cap ? idle : cap);
}

/* A plan from the node's LP once at most COMPLETE_FRAC of its integer
 * columns are fractional (eng_lns_complete), while it could beat the
 * incumbent by more than the gap, at most one try per COMPLETE_NODES
 * nodes and COMPLETE_TURN seconds a try. 195x1000x40 at 30 s:
 * seed 1's stage 2 proven (708,366 in 11-20 s, where the plan had stayed
 * at 709,546 while the dive ran at 708,364 with 1-3 fractional seats).
 * A try without a plan doubles the wait before the next one, up to
 * COMPLETE_NODES << COMPLETE_DOUBLINGS nodes: seed 12's stage 2 made 33
 * tries in 8.9 s of its search and only the first found a plan; with
 * the back-off seed 1's stage 2 was proven in 14.2-14.4 s instead of
 * 17.3-17.4 s (two pairs of runs). */
static void complete_in_tree(glp_tree *tree, eng_run *r)
{
    take_incumbent(tree, r);
    if (isnan(r->st.sub_obj)) return;
    glp_prob *P = glp_ios_get_prob(tree);
    int made = tree_made(tree); /* the try below makes no nodes */
    if (eng_gap_closed(r, glp_ios_node_bound(tree, glp_ios_curr_node(tree)), r->st.sub_obj) || made < r->st.next_complete)
        return;
    int nf = 0;
    for (int j = 1, n = glp_get_num_cols(P); j <= n && nf <= COMPLETE_FRAC; j++)
        nf += glp_ios_can_branch(tree, j);
    if (nf == 0 || nf > COMPLETE_FRAC) return;
    r->st.sub_deadline = fmin(eng_now() + COMPLETE_TURN, r->cfg.deadline);
    r->res.complete_tries++;
    int found = eng_lns_complete(r->cfg.T, r->st.L, r, r->cfg.sub_best, &r->st.sub_obj) > 0;
    if (found) {
        r->res.completions++;
        (void)glp_ios_heur_sol(tree, r->cfg.sub_best);
    }
    r->st.complete_idle = found ? 0 : r->st.complete_idle + 1;
    r->st.next_complete = made + backed_off(r, COMPLETE_NODES, r->st.complete_idle, COMPLETE_DOUBLINGS);
}

/* RENS around P's LP point and plan inc: its plan becomes r->cfg.sub_best
 * (and r->st.sub_obj) when it beats have (NAN: any plan does). 1 when it did. */
static int rens_better(eng_run *r, const eng_lp *L, const double *inc, double have)
{
    double obj;
    int maximize = glp_get_obj_dir(L->P) == GLP_MAX;
    if (eng_rens(r->cfg.T, L, r, inc, r->cfg.rens_soft, r->cfg.sub_buf, &obj) != 0 ||
        !(isnan(have) || (maximize ? obj > have + 1e-9 : obj < have - 1e-9)))
        return 0;
    memcpy(r->cfg.sub_best, r->cfg.sub_buf, (size_t)(L->ncols + 1) * sizeof *r->cfg.sub_best);
    r->st.sub_obj = obj;
    return 1;
}

/* RENS and LNS inside the search. At the end of the root: RENS around the
 * root's LP with GLPK's cuts (far closer to the optimum than the plain LP
 * that guided RENS before the search). Then LNS in turns with branch and
 * bound, TURN_WINDOWS windows after every TURN_NODES nodes, branch and
 * bound first: its first nodes
 * may prove the plan (195x1000x40 seed 2's stage 2 in 9.6 s instead of
 * 11.8 s with an LNS turn at the root). LNS's windows are drawn where the
 * plan loses against the node's LP; it stops when the plan is within the
 * gap of the search's bound. Every better plan goes to the search. */
static void sub_in_tree(glp_tree *tree, eng_run *r, int root)
{
    take_incumbent(tree, r);
    if (isnan(r->st.sub_obj)) return;
    double keep = r->res.lp_obj, now = eng_now();
    int b = glp_ios_best_node(tree), better = 0;
    r->res.lp_obj = b ? glp_ios_node_bound(tree, b) : keep; /* eng_within_gap: the search's bound */
    if (root && r->st.rens_tree && copy_fits(r) && !eng_within_gap(r, r->st.sub_obj)) {
        r->st.sub_deadline = now + fmin(r->cfg.sub_share * (r->cfg.deadline - now), RENS_ROOT_TIME);
        better = rens_better(r, r->st.L, r->cfg.sub_best, r->st.sub_obj);
    } else if (!root && !eng_within_gap(r, r->st.sub_obj)) {
        r->st.sub_deadline = fmin(now + TURN_SECONDS, r->cfg.deadline);
        r->st.lns_endless = 0; /* a turn also ends after STALL idle windows */
        int windows = r->st.lns_windows;
        r->st.lns_courses = 1;
        r->st.lns_windows = TURN_WINDOWS;
        better = eng_lns(r->cfg.T, r->st.L, r, r->cfg.sub_best, &r->st.sub_obj) > 0;
        r->st.lns_windows = windows;
        r->st.lns_courses = 0;
        r->res.lns_turns++;
        r->st.lns_idle = better ? 0 : r->st.lns_idle + 1;
    }
    r->res.lp_obj = keep;
    if (better) (void)glp_ios_heur_sol(tree, r->cfg.sub_best);
    /* after each turn without a better plan the next one waits twice as
     * long (up to 2^TURN_DOUBLINGS times): once LNS has stalled, its
     * windows mostly cost the nodes that could prove the plan (seed 1's
     * stage 2 in 16.5 s instead of 21.2 s, seed 8's proven) */
    r->st.next_lns = tree_made(tree) + backed_off(r, r->cfg.lns_wait > 0 ? r->cfg.lns_wait : TURN_NODES,
                                                  r->st.lns_idle, TURN_DOUBLINGS);
}

/* Branches on the fractional cohort column (a course's "open") with the
 * most money at stake: its fraction times the cost of the minimum cohort.
 * The LP opens courses in part and saves that money, which is most of the
 * gap between stage 2's LP and its plans (stage 3 keeps the cost within
 * stage 2's); GLPK's own choice (Driebeck-Tomlin) picks seats. 195x1000x40
 * at 30 s: seed 3's stage 2 proven in 14-21 s in every run (its bound
 * 583,461 after 14 nodes instead of 583,247 after 90), the other seeds'
 * bounds as high or higher; weighing by the fraction alone lowered seed
 * 4's bound to 637,515, and by seats instead of money in stage 3 seed 2's
 * to 3,628 (3,641-3,642 without). On 60x120x10 (pseudocost branching)
 * it made seeds 2 and 6 slower, so only big models take it, and stage 1
 * (fast already) does not. */
static void cohort_branch(glp_tree *tree, eng_run *r)
{
    const eng_lp *L = r->st.L;
    const eng_tab *T = r->cfg.T;
    const md_model *m = T->m;
    glp_prob *P = glp_ios_get_prob(tree);
    int best = 0;
    double top = 0;
    for (int k = 0; k < m->ncourses; k++) {
        int j = L->ocol[k];
        if (!j || !glp_ios_can_branch(tree, j)) continue;
        double v = glp_get_col_prim(P, j), f = v < 1 - v ? v : 1 - v;
        double w = f * (double)m->courses[k].min_seats * m->courses[k].cost_base;
        if (w > top) { top = w; best = j; }
    }
    if (best) glp_ios_branch_upon(tree, best, GLP_NO_BRNCH);
}

/* RENS and LNS: on big models, and in stages 2-3 of small ones (eng_run_mip) */
static int heur_on(const eng_run *r, const eng_lp *L)
{
    return L->nints > ENG_BIG_INTS || r->cfg.stage >= 2;
}

/* Bounds from reduced costs (rcfix.c): on big models; small ones keep
 * their path (60x120x10: two seeds better, two worse). */
static int rcfix_on(const eng_run *r, const eng_lp *L)
{
    const eng_testing *t = eng_testing_of(r->cfg.opt);
    return t->rcfix ? t->rcfix > 0 : L->nints > ENG_BIG_INTS;
}

static void callback(glp_tree *tree, void *info)
{
    eng_run *r = info;
    if (stop_requested(r)) { r->res.interrupted = 1; glp_ios_terminate(tree); return; }
    if (eng_now() >= r->cfg.deadline) { r->res.timed_out = 1; glp_ios_terminate(tree); return; }
    if (glp_ios_reason(tree) == GLP_IHEUR && r->st.inject && !r->st.injected) {
        r->st.injected = 1;
        (void)glp_ios_heur_sol(tree, r->st.inject); /* rejected when not better: fine */
    }
    int reason = glp_ios_reason(tree);
    if (reason == GLP_ICUTGEN && r->st.cuts) eng_cuts_round(r->st.cuts, tree); /* cuts.c: the root only */
    if (reason == GLP_IBRANCH && r->cfg.rc_root && rcfix_on(r, r->st.L) &&
        glp_ios_node_level(tree, glp_ios_curr_node(tree)) == 0) { /* the root's LP, cuts and all */
        glp_prob *P = glp_ios_get_prob(tree);
        int st = glp_mip_status(P);
        eng_rcfix_take(r->cfg.rc_root, P, st == GLP_FEAS || st == GLP_OPT ? glp_mip_obj_val(P) : NAN);
    }
    int made = tree_made(tree); /* a callback makes no nodes */
    if (r->st.lns_tree && ((reason == GLP_IBRANCH && r->st.lns_tree == 1) ||
                        (reason == GLP_IHEUR && r->st.lns_tree == 2 && made >= r->st.next_lns))) {
        int was = eng_time_enter(r->tm, ENG_TIME_HEUR);
        sub_in_tree(tree, r, r->st.lns_tree == 1);
        (void)eng_time_enter(r->tm, was);
        r->st.lns_tree = 2;
        if (stop_requested(r)) { r->res.interrupted = 1; glp_ios_terminate(tree); return; }
        if (eng_now() >= r->cfg.deadline) { r->res.timed_out = 1; glp_ios_terminate(tree); return; }
    }
    if (reason == GLP_IBRANCH && r->cfg.T &&
        (r->cfg.cohort_first > 0 ||
         (r->cfg.cohort_first == 0 && r->cfg.stage >= 2 && r->st.L->nints > ENG_BIG_INTS)))
        cohort_branch(tree, r);
    if (reason == GLP_IHEUR && r->st.lns_tree == 2) {
        int was = eng_time_enter(r->tm, ENG_TIME_HEUR);
        complete_in_tree(tree, r);
        (void)eng_time_enter(r->tm, was);
        if (stop_requested(r)) { r->res.interrupted = 1; glp_ios_terminate(tree); return; }
        if (eng_now() >= r->cfg.deadline) { r->res.timed_out = 1; glp_ios_terminate(tree); return; }
    }
    if (glp_ios_reason(tree) == GLP_IHEUR && r->cfg.heur && r->cfg.T && r->cfg.heur_buf && made >= r->st.next_heur) {
        double obj;
        glp_prob *P = glp_ios_get_prob(tree);
        int was = eng_time_enter(r->tm, ENG_TIME_HEUR);
        /* at the root, then at node counts growing geometrically: cheap,
         * and tied to the search, not the clock, so runs stay repeatable */
        r->st.next_heur = made + (made / 2 > 4 ? made / 2 : 4);
        if (eng_heur_round(r->cfg.T, r->st.L, P, 1, NULL, r->cfg.heur_buf, &obj) == 0) {
            int st = glp_mip_status(P);
            int better = !(st == GLP_FEAS || st == GLP_OPT) || obj > glp_mip_obj_val(P) + 1e-9;
            if (better && glp_ios_heur_sol(tree, r->cfg.heur_buf) == 0) r->res.heur_found++;
        }
        (void)eng_time_enter(r->tm, was);
    }
    int b = glp_ios_best_node(tree);
    if (b) {
        double v = glp_ios_node_bound(tree, b);
        if (fabs(v) < 1e300) { r->res.bound = v; r->res.have_bound = 1; }
    }
    r->res.nodes = made;
    eng_progress(r, tree);
}


/* The search's callback between the timing's marks of the root's end
 * (timing.c). */
static void timed_callback(glp_tree *tree, void *info)
{
    eng_run *r = info;
    eng_time_tree(r->tm, tree, 0);
    callback(tree, info);
    eng_time_tree(r->tm, tree, 1);
}

/* Seconds that glp_intopt's set-up (problem copy, cut generators, first
 * node) may take without calling back: at 195x5000x100 unpooled (2.0M
 * columns) it took 50 s once, over 100 s another time, and 256 s in stage 2
 * (a 300 s limit overshot by 47 s); pooled (0.4M columns) its root and
 * cuts took ~16 s and overshot a 60 s limit by 6 s. Below 200k columns it
 * is seconds, not counted. */
static double search_setup(const eng_lp *L)
{
    return L->ncols <= ENG_HUGE_COLS ? 0 : HUGE_SETUP_US_PER_COL * 1e-6 * L->ncols;
}

int eng_search_fits(const eng_lp *L, double deadline)
{
    return L->ncols <= ENG_HUGE_COLS || deadline - eng_now() >= search_setup(L);
}

/* The incumbent offered (st.inject) becomes RENS's and LNS's plan. */
static void inject_to_sub(eng_run *r, const eng_lp *L)
{
    memcpy(r->cfg.sub_best, r->st.inject, (size_t)(L->ncols + 1) * sizeof *r->cfg.sub_best);
    r->st.sub_obj = eng_objective_of(L->P, r->cfg.sub_best);
}

/* The plan of RENS or LNS (sub_best) is the stage's result, the root LP
 * value its bound. */
static void take_sub(eng_run *r)
{
    r->res.feasible = r->res.have_bound = 1;
    r->res.sol_buf = r->cfg.sub_best;
    r->res.obj = r->st.sub_obj;
    r->res.bound = r->res.lp_obj;
    r->res.gap = eng_rel_gap(r->res.obj, r->res.bound);
}


/* A failure of GLPK that a retry with other settings may get past: the
 * caller (solve.c) decides, so nothing is reported here. */
static void failed(eng_run *r, const char *what, int code)
{
    r->res.failed = 1;
    snprintf(r->res.why, sizeof r->res.why, "%s returned code %d", what, code);
}

static void lp_relaxation(eng_lp *L, eng_run *r)
{
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = r->cfg.opt->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    if (r->cfg.cautious) sp.meth = GLP_DUALP; /* a retry: the other simplex first (docs/solver.md) */
    /* The LP presolver costs little and lands on a root vertex from which
     * branch-and-bound went ~10x faster on generated instances. */
    sp.presolve = r->cfg.warm ? GLP_OFF : GLP_ON; /* warm: keep the optimal basis at hand */
    sp.tm_lim = ms_left(r);
    int rc = glp_simplex(L->P, &sp);
    if (rc == GLP_ENOPFS || rc == GLP_ENODFS) { r->res.infeasible = 1; return; }
    if (rc == GLP_ESING || rc == GLP_ECOND || rc == GLP_EBADB || rc == GLP_EFAIL) {
        glp_std_basis(L->P); /* a fresh basis usually gets past a bad one */
        sp.presolve = GLP_OFF;
        sp.tm_lim = ms_left(r);
        rc = glp_simplex(L->P, &sp);
    }
    if (rc == GLP_ETMLIM) { r->res.timed_out = 1; return; }
    if (rc != 0) {
        failed(r, "glp_simplex", rc);
        return;
    }
    int st = glp_get_status(L->P);
    if (st == GLP_NOFEAS) { r->res.infeasible = 1; return; }
    if (st != GLP_OPT) {
        failed(r, "the LP relaxation's status", st);
        return;
    }
    r->res.lp_ok = 1;
    r->res.lp_obj = glp_get_obj_val(L->P);
}

void eng_run_mip(eng_lp *L, double mip_gap, eng_run *r)
{
    double t0 = eng_now();
    eng_time_begin(r->tm, t0); /* LP from here (stage 1: from its sifting on) */
    r->res.why[0] = '\0';
    r->res.feasible = r->res.infeasible = r->res.timed_out = r->res.interrupted = r->res.failed = 0;
    r->res.lp_ok = r->res.have_bound = r->st.injected = 0;
    r->res.sol_buf = NULL;
    r->res.searched = 0;
    r->res.nodes = -1;
    r->res.lns_turns = r->res.completions = 0;
    r->res.obj = r->res.bound = r->res.gap = r->res.lp_obj = 0;
    if (L->bound_conflict) { r->res.infeasible = 1; goto done; }
    if (stop_requested(r)) { r->res.interrupted = 1; goto done; }
    if (eng_now() >= r->cfg.deadline) { r->res.timed_out = 1; goto done; }
    r->st.next_progress = 0;
    eng_progress(r, NULL);
    if (!r->cfg.warm) /* warm: scaled already */
        glp_scale_prob(L->P, r->cfg.cautious ? GLP_SF_GM | GLP_SF_EQ : eng_scale_flags(L));
    lp_relaxation(L, r);
    if (!r->res.lp_ok) goto done;
    if (r->cfg.rc && rcfix_on(r, L)) eng_rcfix_take(r->cfg.rc, L->P, NAN);
    (void)eng_time_enter(r->tm, ENG_TIME_SUB);
    r->st.mip_gap = mip_gap;
    r->st.sub_obj = NAN;
    if (r->st.inject && r->st.inject_start && r->cfg.sub_best &&
        eng_within_gap(r, eng_objective_of(L->P, r->st.inject))) {
        /* a starting plan (start.c) that the LP bound proves: the stage's plan, nothing to search */
        inject_to_sub(r, L);
        take_sub(r);
        r->res.nodes = 0;
        goto done;
    }
    r->st.lns_seed = 20261126u; /* the same windows on every run */
    /* RENS (and LNS) on big models: at 195x1000x40 (24-30k integer
     * columns) it gave stage 1 its proof on 3 of 3 seeds instead of 1. On
     * small ones in stages 2 and 3 only: at 60x120x10 (1.2k) all three
     * stages were proven at 30 s on 12 of the 13 seeds (of 18) whose stage
     * 1 was, against 5 with the plain search; stage 1 keeps it (RENS there
     * changed its path for better and for worse, 2 seeds each of 9). */
    const eng_testing *t = eng_testing_of(r->cfg.opt);
    int rens = t->rens ? t->rens > 0 : heur_on(r, L);
    int lns = r->cfg.lns_from > 0 && (t->lns ? t->lns > 0 : rens);
    /* stage 3 (least seats) goes straight to LNS from stage 2's plan: its
     * RENS sub-MIP, with both limit rows enforced, ran 9-35 s without a
     * plan or with a worse one than LNS found (195x1000x40 seeds 1, 2) */
    if (r->cfg.stage == 3 && !t->rens) rens = 0;
    /* RENS copies the model and LNS reads it column-wise: only when it fits */
    if ((rens || lns) && !copy_fits(r)) rens = lns = 0;
    /* on small models a starting plan the LP bound does not prove goes to
     * the search as it is: it is the optimum of a neighbouring scenario,
     * which the root's cuts often prove (RENS and LNS still run inside the
     * search; in the 60x120x10 budget sweep of docs/benchmarks.md, stages
     * 2 and 3 of a variant that kept its neighbour's plan took 0.1 s
     * instead of the 3-4 s of RENS and LNS). Big models keep
     * RENS and LNS first, from the starting plan: at 195x1000x40 (seed 2)
     * the search alone took 16 s to prove stage 1 from the optimum itself,
     * where RENS and LNS took 7 s from nothing. */
    int before = !r->st.inject_start || !r->cfg.sub_best || L->nints > ENG_BIG_INTS ||
                 !eng_search_fits(L, r->cfg.deadline);
    if (!before) inject_to_sub(r, L); /* the search's fallback, should it end before it takes any plan */
    if (before && rens && r->cfg.sub_buf && r->cfg.sub_best && r->cfg.T && L->nints > 0) {
        /* One round: a second one around RENS's plan would search inside
         * the same neighbourhood (the plan's values lie in it), and at
         * 195x1000x40 (seeds 1-12) second rounds found the same plan 20
         * times out of 20 after a solved sub-MIP and the same or a worse
         * one after a stopped one, in 0.3-4.9 s each. */
        double now = eng_now(), have = r->st.inject ? eng_objective_of(L->P, r->st.inject) : NAN;
        r->st.sub_deadline = now + r->cfg.sub_share * (r->cfg.deadline - now);
        if (rens_better(r, L, r->st.inject, have)) r->st.inject = r->cfg.sub_best;
    }
    int proven = !isnan(r->st.sub_obj) && eng_within_gap(r, r->st.sub_obj);
    if (before && lns && !proven && r->cfg.sub_buf && r->cfg.sub_best && r->cfg.T && r->st.inject && !stop_requested(r)) {
        /* LNS from RENS's plan, or from the previous stage's when RENS did
         * not better it (or did not run) */
        if (isnan(r->st.sub_obj)) {
            inject_to_sub(r, L);
            r->st.inject = r->cfg.sub_best;
        }
        double now = eng_now();
        r->st.sub_deadline = now + (r->cfg.lns_share > 0 ? r->cfg.lns_share : r->cfg.sub_share) * (r->cfg.deadline - now);
        /* no search can follow (it would not fit): LNS has all the time */
        r->st.lns_endless = r->cfg.deadline - r->st.sub_deadline < search_setup(L);
        if (r->st.lns_endless) r->st.sub_deadline = r->cfg.deadline;
        (void)eng_lns(r->cfg.T, L, r, r->cfg.sub_best, &r->st.sub_obj); /* out of memory: the plan stands */
        proven = eng_within_gap(r, r->st.sub_obj);
    }
    if (proven) { /* the LP bound proves the plan: no search (whose set-up alone takes ~50 s at 2M columns) */
        take_sub(r);
        r->res.nodes = 0;
        goto done;
    }

    if (stop_requested(r) || eng_now() >= r->cfg.deadline) { /* came while RENS or LNS ran: keep their plan */
        if (stop_requested(r)) r->res.interrupted = 1;
        else r->res.timed_out = 1;
        if (!isnan(r->st.sub_obj)) take_sub(r);
        goto done;
    }
    if (!eng_search_fits(L, r->cfg.deadline)) { /* RENS's or LNS's plan, if any, and the LP bound */
        r->res.timed_out = 1;
        if (!isnan(r->st.sub_obj)) take_sub(r);
        goto done;
    }
    (void)eng_time_enter(r->tm, ENG_TIME_ROOT); /* the search's set-up and root, until the root is done */
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = r->cfg.opt->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    ip.presolve = GLP_OFF;
    ip.tm_lim = ms_left(r);
    ip.mip_gap = mip_gap;
    ip.cb_func = timed_callback;
    ip.cb_info = r;
    r->st.L = L;
    r->st.next_heur = 0;
    ip.mir_cuts = GLP_ON;
    ip.gmi_cuts = GLP_ON;
    ip.cov_cuts = GLP_ON;
    ip.clq_cuts = GLP_ON;
    /* Measured on generated instances (tests/gen_instance.py): hybrid
     * pseudocost branching proved 30x60x6 (seed 11) in 7 s instead of 47 s
     * and closed more gap on the others; on big models its strong-branching
     * start costs seconds per node, so those keep Driebeck-Tomlin. All four
     * cut families on: MIR does most of the work, GMI helps the cost stage. */
    ip.br_tech = L->nints <= ENG_BIG_INTS ? GLP_BR_PCH : GLP_BR_DTH;
    r->res.searched = 1;
    eng_bnds bn = { 0 };
    r->st.lns_tree = lns && r->cfg.sub_buf && r->cfg.sub_best && r->cfg.T && eng_bnds_save(L->P, &bn) == 0;
    /* stage 3's RENS, too: around the root's LP with cuts it found 3,647
     * seats in 2.1 s at 195x1000x40 seed 2, where LNS had stalled at 3,705 */
    r->st.rens_tree = t->rens >= 0 && (t->rens > 0 || heur_on(r, L));
    r->st.bnds = r->st.lns_tree ? &bn : NULL;
    r->res.complete_tries = r->st.complete_idle = r->st.next_complete = 0;
    r->st.lns_idle = 0;
    r->st.cuts = eng_cuts_start(r, L);
    int irc = glp_intopt(L->P, &ip);
    eng_cuts_end(r);
    r->st.bnds = NULL;
    r->st.lns_tree = 0;
    eng_bnds_free(&bn);
    if (irc == GLP_ETMLIM) r->res.timed_out = 1;
    if (irc != 0 && irc != GLP_EMIPGAP && irc != GLP_ETMLIM && irc != GLP_ESTOP) {
        failed(r, "glp_intopt", irc);
        goto done;
    }
    int mst = glp_mip_status(L->P);
    if (mst == GLP_NOFEAS) { r->res.infeasible = 1; goto done; }
    if (mst != GLP_OPT && mst != GLP_FEAS) { /* stopped before it took any plan, even RENS's or LNS's */
        if (!isnan(r->st.sub_obj)) take_sub(r);
        goto done;
    }
    r->res.feasible = 1;
    r->res.obj = glp_mip_obj_val(L->P);
    int maximize = glp_get_obj_dir(L->P) == GLP_MAX;
    if (irc == 0 && mst == GLP_OPT) {
        r->res.bound = r->res.obj;
    } else {
        double b = r->res.lp_obj; /* the root LP bounds every integer solution */
        if (r->res.have_bound) b = maximize ? fmin(b, r->res.bound) : fmax(b, r->res.bound);
        if (irc == GLP_EMIPGAP) { /* GLPK's bound was within mip_gap when it stopped; the
                                   * callback's last look may be older (before the last cuts) */
            double w = eng_gap_width(r->res.obj, mip_gap);
            b = maximize ? fmin(b, r->res.obj + w) : fmax(b, r->res.obj - w);
        }
        r->res.bound = maximize ? fmax(b, r->res.obj) : fmin(b, r->res.obj);
    }
    r->res.have_bound = 1;
    r->res.gap = eng_rel_gap(r->res.obj, r->res.bound);
done:;
    r->st.inject_start = 0; /* offered for this run only */
    double t_end = eng_now();
    r->res.seconds = t_end - t0;
    eng_time_stop(r->tm, t_end);
}
