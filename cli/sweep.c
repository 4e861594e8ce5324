/* cli/sweep.c — `capmatch sweep`: the base scenario loaded once, every
 * variant of the sweep file checked before anything is solved, then each
 * variant solved in its own process (forked after loading, so the load is
 * shared) and written to DIR/variants/NAME/ as `run` writes its outputs;
 * sweep.csv, marginal.csv and sweep.md are built from those folders (the
 * same merge that `--merge` runs after a job array). */
#define _GNU_SOURCE /* fopencookie */
#include "sweep.h"
#include "proc.h"
#include "sweep_start.h"
#include "../inputs/inputs.h"
#include "../inputs/sweep.h"
#include "../engine/engine.h"
#include "../engine/precheck.h"
#include "../outputs/outputs.h"
#include "../outputs/sweep.h"
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct sweep_args {
    const char *file, *dir, *emit;
    double time_limit, mem_limit_mb;
    long jobs, max_grid, task;
    int quiet, list, merge, cold;
} sweep_args;

/* Children being run, for the signal handler to stop them. */
enum { MAX_JOBS = 1024 };
static volatile pid_t children[MAX_JOBS];
static volatile sig_atomic_t sweep_signal;
static volatile int child_stop;
static volatile sig_atomic_t in_child;

/* In the parent: stop starting variants and pass the signal on to every
 * running one. In a variant's process: ask the solver to stop (the variant
 * then writes nothing); a second signal ends it at once. */
static void on_sweep_signal(int sig)
{
    if (in_child) {
        if (child_stop) _exit(128 + sig);
        sweep_signal = sig;
        child_stop = 1;
        return;
    }
    sweep_signal = sig;
    for (int i = 0; i < MAX_JOBS; i++)
        if (children[i] > 0) kill(children[i], SIGTERM);
}

static int number_arg(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || end == s || errno || !(v >= lo) || v > hi) {
        fprintf(stderr, "capmatch: error: %s needs a number from %g to %g, got '%s'\n", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse(int argc, char **argv, sweep_args *a)
{
    memset(a, 0, sizeof *a);
    a->time_limit = -1;
    a->task = -1;
    a->max_grid = IN_SWEEP_MAX_GRID;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    a->jobs = ncpu > 0 ? ncpu : 1;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        double x;
        int more = i + 1 < argc;
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) return CLI_SWEEP_HELP;
        if (strcmp(s, "-o") == 0 && more) a->dir = argv[++i];
        else if (strcmp(s, "-j") == 0 && more) {
            if (number_arg(s, argv[++i], 1, MAX_JOBS, &x) || x != floor(x)) return -1;
            a->jobs = (long)x;
        } else if (strcmp(s, "--time-limit") == 0 && more) {
            if (number_arg(s, argv[++i], 1e-3, 1e7, &x)) return -1;
            a->time_limit = x;
        } else if (strcmp(s, "--memory-limit") == 0 && more) { /* as run takes it: MB > 0 */
            if (number_arg(s, argv[++i], 0, 1e7, &x)) return -1;
            if (!(x > 0)) {
                fprintf(stderr, "capmatch: error: %s needs a positive number, got '%s'\n", s, argv[i]);
                return -1;
            }
            a->mem_limit_mb = x;
        } else if (strcmp(s, "--max-variants") == 0 && more) {
            if (number_arg(s, argv[++i], 1, 1e9, &x) || x != floor(x)) return -1;
            a->max_grid = (long)x;
        } else if (strcmp(s, "--task") == 0 && more) {
            if (number_arg(s, argv[++i], 0, 1e9, &x) || x != floor(x)) return -1;
            a->task = (long)x;
        } else if (strcmp(s, "--emit") == 0 && more) {
            a->emit = argv[++i];
            if (strcmp(a->emit, "slurm") != 0) {
                fprintf(stderr, "capmatch: error: --emit knows only 'slurm', got '%s'\n", a->emit);
                return -1;
            }
        } else if (strcmp(s, "--quiet") == 0) a->quiet = 1;
        else if (strcmp(s, "--list") == 0) a->list = 1;
        else if (strcmp(s, "--merge") == 0) a->merge = 1;
        else if (strcmp(s, "--cold") == 0) a->cold = 1;
        else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "capmatch: error: unknown or incomplete option '%s'\n", s);
            return -1;
        } else if (!a->file) a->file = s;
        else {
            fprintf(stderr, "capmatch: error: unexpected argument '%s'\n", s);
            return -1;
        }
    }
    if (!a->file) { fprintf(stderr, "capmatch: error: sweep needs a sweep file\n"); return -1; }
    if ((a->list != 0) + (a->merge != 0) + (a->task >= 0) + (a->emit != NULL) > 1) {
        fprintf(stderr, "capmatch: error: --list, --task, --merge and --emit exclude each other\n");
        return -1;
    }
    if (!a->list && !a->dir) { fprintf(stderr, "capmatch: error: sweep needs -o DIR\n"); return -1; }
    return 0;
}

char *cli_variant_dir(const char *dir, const char *folder)
{
    size_t n = strlen(dir) + strlen(folder) + 16;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/variants/%s", dir, folder);
    return p;
}

/* The least time a variant's solve gets, whatever applying it took. */
#define MIN_SOLVE_SECONDS 0.1

/* --memory-limit for one variant's process: its address space (which
 * holds the base loaded before the fork too) is capped, as `run` caps its
 * own, so that an allocation past it fails and the variant ends as out of
 * memory (70). Only the soft limit is lowered, so that the variant can lift
 * it again to record that it failed. Sanitizer builds reserve terabytes of
 * address space: there only GLPK's own limit applies. Returns 0 or -1. */
static struct rlimit as_before;
static int as_lowered;

static int limit_variant_memory(double mb)
{
    int rc = cli_cap_memory(mb, 1, &as_before);
    as_lowered = rc > 0;
    return rc < 0 ? -1 : 0;
}

static void lift_variant_memory(void)
{
    if (as_lowered) setrlimit(RLIMIT_AS, &as_before);
    as_lowered = 0;
}

/* A variant's messages go to stderr as they come, and its last error's
 * text is kept as the reason recorded when it fails. Written without
 * allocating (the stream is unbuffered), so that it works past the memory
 * limit too. */
static char err_line[1024], err_last[256];
static size_t err_len;

static ssize_t tee_write(void *cookie, const char *buf, size_t n)
{
    (void)cookie;
    fwrite(buf, 1, n, stderr);
    for (size_t i = 0; i < n; i++) {
        if (buf[i] != '\n') {
            if (err_len + 1 < sizeof err_line) err_line[err_len++] = buf[i];
            continue;
        }
        err_line[err_len] = '\0';
        const char *e = strstr(err_line, "error: ");
        if (e) snprintf(err_last, sizeof err_last, "%s", e + 7);
        err_len = 0;
    }
    return (ssize_t)n;
}

static FILE *tee_open(void)
{
    cookie_io_functions_t io = { .write = tee_write };
    FILE *f = fopencookie(NULL, "w", io);
    if (f) setvbuf(f, NULL, _IONBF, 0);
    return f;
}

static void utc_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Solves variant i and writes its folder: the run outputs, then
 * variant.tsv (or variant.tsv saying it failed). Nothing when stopped by a
 * signal: the merge lists it as missing. Returns the variant's exit code. */
static int run_variant(in_sweep *sw, int i, const md_model *base, const sweep_args *a)
{
    char started[32];
    utc_now(started, sizeof started);
    double t0 = cli_now();
    char *vdir = cli_variant_dir(a->dir, in_sweep_folder(sw, i));
    if (!vdir) { fprintf(stderr, "capmatch: error: out of memory\n"); return MD_EX_SOFTWARE; }
    char *stale = malloc(strlen(vdir) + sizeof OUT_SWEEP_RESULT_FILE + 2);
    if (stale) {
        sprintf(stale, "%s/%s", vdir, OUT_SWEEP_RESULT_FILE);
        unlink(stale); /* a result of an earlier sweep must not outlive a failed solve */
        free(stale);
    }
    FILE *tee = tee_open(); /* before the memory limit: opening it allocates */
    FILE *msgs = tee ? tee : stderr;
    err_last[0] = '\0';
    md_diag d;
    md_diag_init(&d, msgs);
    md_diag_keep_warnings(&d, 0);
    md_model m;
    int rc;
    if (a->mem_limit_mb > 0 && limit_variant_memory(a->mem_limit_mb) != 0) {
        md_model_init(&m);
        md_fail(&d, MD_EX_SOFTWARE, "cannot set the memory limit of %.0f MB: %s", a->mem_limit_mb,
                strerror(errno));
        rc = MD_EX_SOFTWARE;
    } else {
        rc = in_sweep_apply(sw, i, base, &m, &d); /* initialises m, also when it fails */
    }
    d.out = NULL; /* the inputs' warnings go to the variant's summary, not to the terminal */
    if (rc == 0) rc = eng_warnings(&m, &d);
    d.out = msgs;
    eng_plan plan;
    memset(&plan, 0, sizeof plan);
    cli_starts starts = { 0 };
    /* the plans of the variants done before this one (not for --task: a job
     * array's variants run at once, each on its own) */
    if (rc == 0 && !a->cold && a->task < 0 && cli_sweep_starts(sw, i, a->dir, &m, &starts) != 0) {
        md_fail(&d, MD_EX_SOFTWARE, "out of memory while reading the plans of earlier variants");
        rc = MD_EX_SOFTWARE;
    }
    if (rc == 0) {
        /* the time limit covers the variant's process, as run's covers the run */
        double limit = a->time_limit > 0 ? a->time_limit : m.set.time_limit;
        double solve_limit = limit - (cli_now() - t0);
        eng_options opt = { .time_limit = solve_limit > MIN_SOLVE_SECONDS ? solve_limit : MIN_SOLVE_SECONDS,
                            .mip_gap = -1, .log = stderr, .stop = &child_stop,
                            .mem_limit_mb = a->mem_limit_mb, .start = starts.plan, .nstart = starts.n };
        rc = eng_solve(&m, &opt, &plan, &d);
    }
    if (sweep_signal) {
        rc = 128 + sweep_signal;
    } else if (rc == 0) {
        int fd = -1;
        rc = out_lock(vdir, &fd, &d);
        out_run run = { .started_utc = started, .exit_code = 0 };
        if (rc == 0) rc = out_write(&m, &plan, &run, vdir, &d);
        const char *from[3] = { NULL, NULL, NULL };
        for (int s = 0; s < 3; s++)
            if (plan.started[s] >= 0 && plan.started[s] < starts.n) from[s] = starts.name[plan.started[s]];
        if (rc == 0) rc = out_sweep_result_write(vdir, &m, &plan, from, &d);
        if (fd >= 0) out_unlock(fd);
        if (rc == 0 && !a->quiet)
            printf("capmatch: variant %s: %s, score %.4f, cost %.2f %s\n", in_sweep_name(sw, i),
                   eng_status_names[plan.status], plan.score, plan.total_cost, m.set.currency);
    }
    if (rc != 0 && !sweep_signal) {
        lift_variant_memory(); /* room to say so */
        char why[sizeof err_last];
        if (rc == MD_EX_SOFTWARE && d.oom && a->mem_limit_mb > 0)
            snprintf(why, sizeof why, "the memory limit of %.0f MB exceeded (--memory-limit)", ceil(a->mem_limit_mb));
        else
            snprintf(why, sizeof why, "%s", err_last);
        fprintf(stderr, "capmatch: error: variant %s failed (exit %d)%s%s\n", in_sweep_name(sw, i), rc,
                why[0] ? ": " : "", why);
        out_sweep_failed_write(vdir, rc, why, &d);
    }
    eng_plan_free(&plan);
    cli_starts_free(&starts);
    md_model_free(&m);
    md_diag_free(&d);
    if (tee) fclose(tee);
    free(vdir);
    fflush(stdout);
    return rc;
}

/* Every variant, jobs processes at a time. Returns the first failed
 * variant's exit code, 128+signal when stopped, else 0; *broken is set when
 * the sweep itself could not go on (no memory, no process): no tables then. */
static int run_all(in_sweep *sw, const md_model *base, const sweep_args *a, int *broken)
{
    int n = in_sweep_count(sw), next = 0, running = 0, worst = 0;
    int *slot_of = calloc((size_t)a->jobs, sizeof *slot_of);
    if (!slot_of) { fprintf(stderr, "capmatch: error: out of memory\n"); *broken = 1; return MD_EX_SOFTWARE; }
    while (next < n || running > 0) {
        while (!sweep_signal && running < a->jobs && next < n) {
            int s = 0;
            while (children[s] > 0) s++;
            fflush(stdout);
            fflush(stderr);
            pid_t pid = fork();
            if (pid == 0) {
                in_child = 1;
                int rc = run_variant(sw, next, base, a);
                fflush(stderr);
                _exit(rc);
            }
            if (pid < 0) {
                if (running > 0) break; /* wait for one to end, then try again */
                fprintf(stderr, "capmatch: error: cannot start a process: %s\n", strerror(errno));
                free(slot_of);
                *broken = 1;
                return MD_EX_SOFTWARE;
            }
            children[s] = pid;
            slot_of[s] = next++;
            running++;
        }
        int st;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        int s = 0;
        while (s < a->jobs && children[s] != pid) s++;
        if (s == a->jobs) continue; /* not one of ours */
        children[s] = 0;
        running--;
        int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        if (WIFSIGNALED(st) && !sweep_signal) {
            /* killed from outside (the OOM killer, say): it could not say so itself */
            md_diag d;
            md_diag_init(&d, stderr);
            char *vdir = cli_variant_dir(a->dir, in_sweep_folder(sw, slot_of[s]));
            fprintf(stderr, "capmatch: error: variant %s was killed by signal %d\n",
                    in_sweep_name(sw, slot_of[s]), WTERMSIG(st));
            char why[64];
            snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(st));
            if (vdir) out_sweep_failed_write(vdir, rc, why, &d);
            free(vdir);
            md_diag_free(&d);
        }
        if (rc && !WIFSIGNALED(st) && !sweep_signal) {
            /* a variant that failed without leaving its record (it could not write it) */
            char *vdir = cli_variant_dir(a->dir, in_sweep_folder(sw, slot_of[s]));
            char *rec = vdir ? malloc(strlen(vdir) + sizeof OUT_SWEEP_RESULT_FILE + 2) : NULL;
            if (rec) sprintf(rec, "%s/%s", vdir, OUT_SWEEP_RESULT_FILE);
            if (rec && access(rec, F_OK) != 0) {
                md_diag d;
                md_diag_init(&d, stderr);
                out_sweep_failed_write(vdir, rc, NULL, &d);
                md_diag_free(&d);
            }
            free(rec);
            free(vdir);
        }
        if (rc && !worst && !sweep_signal) worst = rc;
    }
    free(slot_of);
    return sweep_signal ? 128 + sweep_signal : worst;
}

/* sweep.csv, marginal.csv and sweep.md from whatever DIR/variants/ holds. */
static int merge(in_sweep *sw, const md_model *base, const sweep_args *a, md_diag *d, int *incomplete)
{
    int n = in_sweep_count(sw), rc = 0, ref = -1;
    out_sweep_result *res = calloc((size_t)n + 1, sizeof *res);
    const char **names = calloc((size_t)n + 1, sizeof *names);
    out_sweep_marginal *mg = calloc((size_t)base->ndonors + 1, sizeof *mg);
    if (!res || !names || !mg) rc = MD_EX_SOFTWARE;
    for (int i = 0; rc == 0 && i < n; i++) {
        names[i] = in_sweep_name(sw, i);
        if (strcmp(names[i], "baseline") == 0) ref = i;
        char *vdir = cli_variant_dir(a->dir, in_sweep_folder(sw, i));
        rc = vdir ? out_sweep_result_read(vdir, &res[i]) : MD_EX_SOFTWARE;
        free(vdir);
        if (res[i].state != OUT_SW_DONE) (*incomplete)++;
    }
    int nmg = -1;
    if (rc == 0 && in_sweep_has_marginal(sw)) {
        nmg = 0;
        const out_sweep_result *b = ref >= 0 && res[ref].state == OUT_SW_DONE ? &res[ref] : NULL;
        for (int i = 0; i < n; i++) {
            int dn = in_sweep_marginal_donor(sw, i);
            if (dn < 0) continue;
            const md_donor *o = &base->donors[dn];
            double rate = md_rate_of(base, o->currency);
            out_sweep_marginal *g = &mg[nmg++];
            g->donor = o->id;
            g->currency = o->currency ? o->currency : base->set.currency;
            g->budget = o->budget;
            g->step = in_sweep_marginal_step(sw, base, dn);
            g->spent = NAN;
            g->reason = "";
            for (int k = 0; b && k < b->ndonors; k++)
                if (strcmp(b->donor[k], o->id) == 0) {
                    g->spent = b->spent[k] / rate;
                    g->reason = b->unspent_reason[k];
                }
            g->gain = b && res[i].state == OUT_SW_DONE ? res[i].score - b->score : NAN;
            g->per_1000 = isfinite(g->gain) && g->step > 0 ? g->gain / (g->step * rate / 1000) : NAN;
        }
    }
    int *curve = calloc((size_t)n + 1, sizeof *curve), ncurve = 0;
    if (!curve) rc = MD_EX_SOFTWARE;
    for (int i = 0; rc == 0 && in_sweep_budget_grid(sw) && i < n; i++)
        if (in_sweep_kind(sw, i) == IN_V_GRID) curve[ncurve++] = i;
    if (rc == 0) {
        out_sweep_table t = { .title = a->file, .currency = base->set.currency, .n = n, .names = names,
                              .res = res, .ref = ref, .nmarginal = nmg, .marginal = mg,
                              .curve = curve, .ncurve = ncurve };
        rc = out_sweep_write(a->dir, &t, d);
    } else {
        md_fail(d, MD_EX_SOFTWARE, "out of memory");
    }
    for (int i = 0; res && i < n; i++) out_sweep_result_free(&res[i]);
    free(res);
    free(names);
    free(mg);
    free(curve);
    return rc;
}

/* 'text' for sh, with every ' written as '\''. */
static void sh_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'') fputs("'\\''", f);
        else fputc(*s, f);
    fputc('\'', f);
}

static char *absolute(const char *p)
{
    char *r = realpath(p, NULL);
    if (r) return r;
    char cwd[PATH_MAX];
    if (p[0] == '/' || !getcwd(cwd, sizeof cwd)) return strdup(p);
    size_t n = strlen(cwd) + strlen(p) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", cwd, p);
    return s;
}

/* The Slurm script: a job array of --task runs, then --merge once all succeeded. */
static int emit_slurm(const in_sweep *sw, const sweep_args *a)
{
    char *exe = realpath("/proc/self/exe", NULL), *file = absolute(a->file), *dir = absolute(a->dir);
    int rc = 0;
    if (!exe || !file || !dir) {
        fprintf(stderr, "capmatch: error: cannot resolve the paths for the Slurm script\n");
        rc = MD_EX_SOFTWARE;
    } else {
        char tl[128] = "";
        if (a->time_limit > 0) snprintf(tl, sizeof tl, " --time-limit %.17g", a->time_limit);
        if (a->mem_limit_mb > 0)
            snprintf(tl + strlen(tl), sizeof tl - strlen(tl), " --memory-limit %.17g", a->mem_limit_mb);
        printf("#!/bin/sh\n# capmatch sweep as a Slurm job array (%d variants), then the merge.\nset -e\n",
               in_sweep_count(sw));
        printf("mkdir -p ");
        sh_quote(stdout, dir);
        printf("\narray=$(sbatch --parsable --job-name=capmatch-sweep --array=0-%d --output=",
               in_sweep_count(sw) - 1);
        sh_quote(stdout, dir);
        printf("/slurm-%%A_%%a.out <<'CAPMATCH_TASK'\n#!/bin/sh\nexec ");
        sh_quote(stdout, exe);
        printf(" sweep ");
        sh_quote(stdout, file);
        printf(" -o ");
        sh_quote(stdout, dir);
        printf(" --task \"$SLURM_ARRAY_TASK_ID\" --quiet%s\nCAPMATCH_TASK\n)\n", tl);
        printf("merge=$(sbatch --parsable --job-name=capmatch-merge --dependency=afterok:${array%%%%;*} --output=");
        sh_quote(stdout, dir);
        printf("/slurm-merge-%%j.out <<'CAPMATCH_MERGE'\n#!/bin/sh\nexec ");
        sh_quote(stdout, exe);
        printf(" sweep ");
        sh_quote(stdout, file);
        printf(" -o ");
        sh_quote(stdout, dir);
        printf(" --merge --quiet\nCAPMATCH_MERGE\n)\necho \"array job: $array\"\necho \"merge job: $merge\"\n");
    }
    free(exe);
    free(file);
    free(dir);
    return rc;
}

/* path resolved, or its folder resolved and its last name added when it
 * does not exist yet; NULL when neither can be. */
static char *canonical(const char *path)
{
    char *r = realpath(path, NULL);
    if (r || errno != ENOENT) return r;
    char *copy = strdup(path);
    if (!copy) return NULL;
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/') copy[--n] = '\0';
    char *slash = strrchr(copy, '/');
    const char *last = slash ? slash + 1 : copy;
    char *dir = slash ? (slash == copy ? realpath("/", NULL) : (*slash = '\0', realpath(copy, NULL)))
                      : realpath(".", NULL);
    char *out = NULL;
    if (dir && (out = malloc(strlen(dir) + strlen(last) + 2)))
        sprintf(out, "%s/%s", strcmp(dir, "/") ? dir : "", last);
    free(dir);
    free(copy);
    return out;
}

static int sweep_with(in_sweep *sw, md_model *base, const sweep_args *a, md_diag *d)
{
    int n = in_sweep_count(sw);
    if (a->list) {
        for (int i = 0; i < n; i++) printf("%s\n", in_sweep_name(sw, i));
        return 0;
    }
    /* the scenario's own outputs and history are never a sweep's */
    char *own = canonical(base->set.out_dir), *mine = canonical(a->dir);
    int same = own && mine && strcmp(own, mine) == 0;
    free(own);
    free(mine);
    if (same) {
        fprintf(stderr, "capmatch: error: -o %s is the scenario's own output directory; a sweep "
                "needs a directory of its own\n", a->dir);
        return MD_EX_USAGE;
    }
    if (a->emit) return emit_slurm(sw, a);
    if (a->task >= n) {
        fprintf(stderr, "capmatch: error: --task %ld: the sweep has %d variants (0 to %d)\n", a->task,
                n, n - 1);
        return MD_EX_USAGE;
    }
    cli_catch_signals(on_sweep_signal);
    if (a->task >= 0) {
        in_child = 1; /* a signal stops this variant's solve */
        return run_variant(sw, (int)a->task, base, a);
    }
    int fd = -1;
    int rc = out_lock(a->dir, &fd, d);
    if (rc) return rc;
    int ran = 0, incomplete = 0, broken = 0;
    if (!a->merge) ran = run_all(sw, base, a, &broken);
    if (broken && !sweep_signal) { out_unlock(fd); return ran; }
    rc = merge(sw, base, a, d, &incomplete);
    out_unlock(fd);
    if (rc == 0 && !a->quiet)
        printf("capmatch: sweep: %d variants, %d not done; sweep.csv written to %s/\n", n, incomplete,
               a->dir);
    if (rc) return rc;
    return a->merge ? 0 : ran;
}

int cli_sweep(int argc, char **argv)
{
    sweep_args a;
    int prc = parse(argc, argv, &a);
    if (prc != 0) return prc == CLI_SWEEP_HELP ? prc : -1;
    md_diag d;
    md_diag_init(&d, stderr);
    in_sweep *sw = NULL;
    md_model base;
    md_model_init(&base);
    int rc = in_sweep_read(a.file, a.max_grid, &sw, &d);
    if (sw) { /* even after errors in the sweep file: report every one before exiting */
        int lrc = in_load(in_sweep_base(sw), &base, &d);
        /* a task checks its own variant (the full sweep was checked when
         * submitted), a merge needs the names alone */
        int only = a.task >= 0 ? (int)a.task : a.merge ? IN_SWEEP_NAMES : IN_SWEEP_ALL;
        int crc = lrc == 0 ? in_sweep_check(sw, &base, only, eng_precheck, &d) : 0;
        if (!rc) rc = lrc ? lrc : crc;
    }
    if (rc == 0) rc = sweep_with(sw, &base, &a, &d);
    in_sweep_free(sw);
    md_model_free(&base);
    md_diag_free(&d);
    return rc;
}
