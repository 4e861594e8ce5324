/* tests/unit_engine_timing.c — the stage-time split of engine/timing.c
 * (docs/solver.md, "Where a stage's time goes"): the buckets add up to the
 * stage's span, a NULL timing does nothing, the line's wording, and in a
 * solve with -v one line per stage whose total is the stage's seconds, also
 * when GLPK failed in a stage and the stage was run again. */
#include "check.h"
#include "unit_engine_fixture.h"
#include "../engine/eng_int.h"
#include <stdlib.h>

static void spin(double s)
{
    double t = eng_now() + s;
    while (eng_now() < t) {}
}

/* The buckets of the line of `stage` in text, and its total; 0 when absent. */
static int parse_line(const char *text, int stage, double b[ENG_TIME_NBUCKETS], double *total)
{
    char head[32];
    snprintf(head, sizeof head, "stage %d time: ", stage);
    const char *p = strstr(text, head);
    if (!p) return 0;
    int n = sscanf(p + strlen(head), "LP %lf s, RENS/LNS %lf s, root+cuts %lf s, heuristics in search %lf s, "
                   "B&B %lf s, total %lf s", &b[0], &b[1], &b[2], &b[3], &b[4], total);
    return n == 6 && !strstr(p + 1, head); /* and only once */
}

static void api(void)
{
    /* NULL: nothing happens, enter gives back the bucket asked for */
    eng_time_start(NULL, 0);
    eng_time_begin(NULL, 0);
    CHECK(eng_time_enter(NULL, ENG_TIME_BB) == ENG_TIME_BB);
    eng_time_stop(NULL, 0);
    eng_time_report(NULL, stderr, 1);

    eng_timing t = { 0 };
    double t0 = eng_now();
    eng_time_begin(&t, t0); /* not open: starts in LP */
    CHECK(t.open && t.cur == ENG_TIME_LP);
    spin(0.02);
    eng_time_begin(&t, eng_now()); /* open: no restart */
    CHECK(t.start == t0);
    CHECK(eng_time_enter(&t, ENG_TIME_SUB) == ENG_TIME_LP);
    spin(0.02);
    int was = eng_time_enter(&t, ENG_TIME_HEUR);
    CHECK(was == ENG_TIME_SUB);
    spin(0.01);
    (void)eng_time_enter(&t, was);
    spin(0.01);
    (void)eng_time_enter(&t, ENG_TIME_ROOT);
    double t1 = eng_now();
    eng_time_stop(&t, t1);
    double sum = 0;
    for (int b = 0; b < ENG_TIME_NBUCKETS; b++) {
        CHECK(t.sec[b] >= 0);
        sum += t.sec[b];
    }
    CHECK_NEAR(sum, t1 - t0, 1e-9);
    CHECK(t.sec[ENG_TIME_LP] >= 0.02 && t.sec[ENG_TIME_SUB] >= 0.03 && t.sec[ENG_TIME_HEUR] >= 0.01);
    CHECK(t.sec[ENG_TIME_BB] == 0);
    /* stop again later: the running bucket gets the rest */
    spin(0.01);
    double t2 = eng_now();
    eng_time_stop(&t, t2);
    CHECK(t.sec[ENG_TIME_ROOT] >= 0.01);
    CHECK_NEAR(t.end - t.start, t2 - t0, 1e-12);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f != NULL);
    if (!f) return;
    eng_time_report(&t, f, 3);
    CHECK(!t.open);
    eng_time_report(&t, f, 3); /* closed: no second line */
    fclose(f);
    double b[ENG_TIME_NBUCKETS], total = -1;
    CHECK(parse_line(buf, 3, b, &total));
    CHECK_NEAR(total, t2 - t0, 0.0005);
    CHECK_NEAR(b[ENG_TIME_SUB], t.sec[ENG_TIME_SUB], 0.0005);
    CHECK(buf[len - 1] == '\n');
    free(buf);

    /* a report without a log still closes the stage: the next begin restarts */
    eng_timing u = { 0 };
    eng_time_start(&u, 5.0);
    eng_time_report(&u, NULL, 1);
    CHECK(!u.open);
    eng_time_begin(&u, 7.0);
    CHECK(u.open && u.start == 7.0);
}

/* A solve with -v: one line per stage, its total the stage's seconds;
 * fail_stage: GLPK fails once in that stage (run again), 0: never. */
static void solve_lines(int fail_stage)
{
    md_model m;
    eng_plan p;
    char *msg = NULL, *log = NULL;
    size_t len = 0;
    FILE *lf = open_memstream(&log, &len);
    CHECK(lf != NULL);
    if (!lf) return;
    eng_testing t = { .fail_stage = fail_stage, .fail_times = fail_stage ? 1 : 0 };
    eng_options o = { .time_limit = 60, .mip_gap = 0, .testing = &t, .verbose = 1, .log = lf };
    fx_random(&m, 7, 12, 25, 4, 6);
    int rc = fx_solve(&m, &p, &msg, &o);
    fclose(lf);
    CHECK(rc == 0);
    if (rc == 0 && fail_stage)
        CHECK(strstr(log, "GLPK failed in stage") != NULL); /* the failure did happen */
    for (int s = 1; rc == 0 && s <= 3; s++) {
        double b[ENG_TIME_NBUCKETS], total = -1, sum = 0;
        int ok = parse_line(log, s, b, &total);
        CHECK(ok);
        if (!ok) { fprintf(stderr, "stage %d, fail_stage %d:\n%s\n", s, fail_stage, log); continue; }
        for (int i = 0; i < ENG_TIME_NBUCKETS; i++) {
            CHECK(b[i] >= 0);
            sum += b[i];
        }
        CHECK_NEAR(sum, total, 0.003);
        CHECK_NEAR(total, p.stage[s - 1].seconds, 0.0006);
        /* the root's split, when the root took time, adds up to its bucket */
        char head[32];
        snprintf(head, sizeof head, "stage %d root: ", s);
        const char *r = strstr(log, head);
        double q[4];
        int rounds = -1;
        if (r && sscanf(r + strlen(head), "set-up %lf s, LP %lf s, cut rounds %lf s, other %lf s, %d rounds",
                        &q[0], &q[1], &q[2], &q[3], &rounds) == 5)
            CHECK_NEAR(q[0] + q[1] + q[2] + q[3], b[ENG_TIME_ROOT], 0.003);
        else
            CHECK(b[ENG_TIME_ROOT] < 0.0005);
    }
    CHECK(!strstr(log, "stage 4 time: ")); /* no previous plan: no stage 4 */
    eng_plan_free(&p);
    md_model_free(&m);
    free(msg);
    free(log);
}

int main(void)
{
    api();
    solve_lines(0);
    solve_lines(2);
    solve_lines(3);
    return CHECK_DONE();
}
