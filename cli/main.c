/* cli/main.c — the command line (docs/formats.md, Command line): parse arguments, then run
 * the pipeline inputs → engine → outputs once. The only place that exits. */
#include "../inputs/inputs.h"
#include "../engine/engine.h"
#include "../outputs/outputs.h"
#include "../outputs/history.h"
#include "../models/text.h"
#include "sweep.h"
#include "proc.h"
#include "seats.h"
#include <errno.h>
#include <fcntl.h>
#include <glpk.h>
#include <math.h>
#include <signal.h>
#include <sys/resource.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#ifndef CAPMATCH_VERSION
#define CAPMATCH_VERSION "dev"
#endif

static const char usage[] =
    "usage: capmatch run SCENARIO.yaml [-o DIR] [--time-limit S] [--quiet]\n"
    "                    [--verbose] [--log-file FILE] [--no-partial]\n"
    "                    [--memory-limit MB] [--export-model FILE] [--strict]\n"
    "                    [--fresh] [--label TEXT]\n"
    "       capmatch validate SCENARIO.yaml [--strict]\n"
    "       capmatch sweep SWEEP.yaml -o DIR [-j N] [--time-limit S] [--quiet]\n"
    "                      [--memory-limit MB] [--max-variants N] [--cold]\n"
    "                      [--list | --task I | --merge | --emit slurm]\n"
    "       capmatch --help | --version\n";

static const char help[] =
    "capmatch — match countries' cyber-diplomacy training gaps with courses and\n"
    "donor funding, maximising the weighted coverage of the gaps (GLPK).\n\n"
    "commands:\n"
    "  run SCENARIO       load, solve and write the outputs\n"
    "  validate SCENARIO  load and check the inputs only, print a summary\n"
    "  sweep SWEEP        solve every what-if variant of a sweep file into\n"
    "                     DIR/variants/NAME/, then DIR/sweep.csv, sweep.md and\n"
    "                     sweep.html\n\n"
    "options for run:\n"
    "  -o DIR             output directory (default: output.dir of the scenario)\n"
    "  --time-limit S     seconds for the whole run (default: solver.time_limit)\n"
    "  --quiet            print nothing on success (for cron); a plan not proven\n"
    "                     optimal still gets one warning line on stderr\n"
    "  --verbose          show the solver log on stderr\n"
    "  --log-file FILE    append the solver log to FILE\n"
    "  --no-partial       on SIGINT/SIGTERM/SIGHUP write nothing (default: write\n"
    "                     the best plan found, with status \"interrupted\")\n"
    "  --memory-limit MB  cap the whole process's memory (exceeding it exits 70)\n"
    "  --export-model F   also write the max-score model as free MPS to F, with\n"
    "                     stages 2-3's objectives as free rows \"cost\", \"seats\"\n"
    "  --fresh            do not keep the plan close to the previous run's plan in\n"
    "                     DIR/results.db (its churn is still reported)\n"
    "  --label TEXT       name this run in results.db (runs.label) and in the\n"
    "                     reports' header (at most 200 bytes, no control characters)\n\n"
    "options for sweep (with -o DIR, --quiet, and per variant process\n"
    "--time-limit S and --memory-limit MB):\n"
    "  -j N               solve N variants at once (default: the number of CPUs)\n"
    "  --cold             solve each variant from scratch (default: each starts\n"
    "                     from the plans of the variants done before it)\n"
    "  --max-variants N   allow a grid of more than 10000 variants\n"
    "  --list             print the variants' names, one a line\n"
    "  --task I           solve only variant I (0-based) into DIR/variants/NAME/\n"
    "  --merge            build sweep.csv/md/html from what DIR/variants/ holds\n"
    "  --emit slurm       print a shell script that submits the sweep as a Slurm\n"
    "                     job array and its merge\n\n"
    "option for run and validate:\n"
    "  --strict           treat the input warnings (money, courses or needs that\n"
    "                     the data leaves useless) as errors: exit 65, write nothing\n\n"
    "exit codes: 0 ok (also a time-limited or interrupted plan that was\n"
    "written), 64 usage, 65 invalid input, 66 input missing, 70 internal/solver\n"
    "failure, 73 cannot create outputs, 74 I/O error writing them (or standard\n"
    "output), 75 output directory locked, 129/130/143 stopped by\n"
    "SIGHUP/SIGINT/SIGTERM with nothing written.\n";

typedef struct cli_args {
    const char *cmd, *scenario, *out_dir, *log_file, *export_model, *label;
    double time_limit, mem_limit_mb;
    int quiet, verbose, no_partial, strict, fresh;
} cli_args;

/* the longest --label, as the scenario's names (IN_MAX_TEXT_BYTES) */
#define LABEL_MAX_BYTES 200

/* what the solver gets when loading used up the time limit */
#define MIN_SOLVE_SECONDS 0.1

static volatile sig_atomic_t stop_signal; /* which signal asked us to stop */
static volatile int stop_int;             /* what the engine polls */
static volatile sig_atomic_t writing;     /* out_write() is replacing the outputs */

/* The first SIGINT/SIGTERM/SIGHUP asks the solver to stop at its next check;
 * a second one ends the process at once (GLPK cannot be interrupted inside
 * an LP solve). Exiting then is as safe as a SIGKILL: outputs are only ever
 * replaced by renames of complete files, so the previous set survives. While
 * the outputs are being written (a short step) the signal only waits, so
 * that the write ends cleanly: no temporaries, no half-undone history. */
static void on_signal(int sig)
{
    if (stop_int && !writing) _exit(128 + sig);
    stop_signal = sig;
    stop_int = 1;
}

static const char *signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGHUP ? "SIGHUP" : "SIGTERM";
}

/* Before anything else: a write to a closed pipe (stdout piped into head,
 * a log reader gone) must fail with EPIPE, reported as exit 74, instead of
 * killing the run silently; a file-size limit (ulimit -f) must fail with
 * EFBIG, reported as 74, instead of killing the run half-way. And standard
 * descriptors that are closed are taken by /dev/null opened read-only:
 * otherwise the lock file or an output opened later would get descriptor 1
 * or 2 and receive what is printed, while writes to a closed stdout must
 * still fail (EBADF), as they do now. */
static void guard_process(void)
{
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int nul = open("/dev/null", O_RDONLY);
            if (nul >= 0 && nul != fd) close(nul); /* lower descriptors are all open */
        }
}

/* Every stdout writer ends here: a full disk, a closed pipe or a closed
 * stdout turn a successful exit into 74 with a message on stderr. */
static int finish_stdout(int rc)
{
    int err = 0;
    if (fflush(stdout) != 0) err = errno;
    else if (ferror(stdout)) err = EIO; /* an earlier write failed; errno is gone */
    if (fclose(stdout) != 0 && !err && errno != EBADF) err = errno;
    if (!err) return rc;
    fprintf(stderr, "capmatch: error: cannot write to standard output: %s\n", strerror(err));
    return rc ? rc : MD_EX_IOERR;
}

/* One line on stderr when the written plan is not proven optimal, with or
 * without --quiet, so that cron mails it; nothing when it is optimal. It is
 * printed directly, not through md_warn(): it describes the solve, not the
 * inputs, and must not count as an input warning. */
static void warn_not_optimal(const md_model *m, const eng_plan *p)
{
    if (p->status == ENG_OPTIMAL) return;
    int status = p->status >= 0 && p->status < ENG_NSTATUS ? p->status : ENG_INTERRUPTED;
    int first3 = 1;
    for (int s = 0; s < 3; s++) first3 &= p->stage[s].status == ENG_OPTIMAL;
    if (first3 && p->stab == ENG_STAB_MIN) { /* only the churn is unproven */
        fprintf(stderr, "capmatch: warning: %s: score, cost and seats optimal; stage 4 (stability) "
                "not proven (status %s, churn %ld, bound %.0f)\n", m->set.path, eng_status_names[status],
                p->churn, isfinite(p->stage[3].bound) ? ceil(p->stage[3].bound - 1e-6) : 0.0);
        return;
    }
    fprintf(stderr, "capmatch: warning: %s: plan not proven optimal (status %s, score %.4f, "
            "bound %.4f, gap %.4f%%)\n", m->set.path, eng_status_names[status], p->score,
            p->score_bound,
            100 * fabs(p->score_bound - p->score) / fmax(1e-9, fabs(p->score_bound)));
}

/* A positive number from argv, or -1 after a message. */
static double positive_arg(const char *opt, const char *s, double max)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || end == s || !(v > 0) || v > max) {
        fprintf(stderr, "capmatch: error: %s needs a positive number, got '%s'\n", opt, s);
        return -1;
    }
    return v;
}

/* --label TEXT: kept like the scenario's names (non-empty, at most 200
 * bytes of UTF-8, no control or bidi characters: it reaches reports and
 * terminals). 0, or -1 after a message. */
static int check_label(const char *s)
{
    size_t n = strlen(s);
    const char *why = n == 0 ? "must not be empty" : n > LABEL_MAX_BYTES ? "must be at most 200 bytes long" : NULL;
    for (const char *p = s; !why && *p;) {
        unsigned cp;
        int len = md_utf8_len(p, &cp);
        if (len == 0) why = "must be UTF-8 text";
        else if (md_unsafe_cp(cp)) why = "must not contain control or bidi characters";
        p += len ? len : 1;
    }
    if (!why) return 0;
    fprintf(stderr, "capmatch: error: --label %s (got %zu bytes)\n", why, n);
    return -1;
}

static int parse_args(int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->time_limit = -1;
    if (argc < 2) return -1;
    a->cmd = argv[1];
    for (int i = 1; i < argc; i++) /* --help anywhere wins */
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            a->cmd = "--help";
            return 0;
        }
    if (strcmp(a->cmd, "--help") == 0 || strcmp(a->cmd, "-h") == 0 ||
        strcmp(a->cmd, "--version") == 0)
        return argc == 2 ? 0 : -1;
    if (strcmp(a->cmd, "run") != 0 && strcmp(a->cmd, "validate") != 0) return -1;
    int is_run = strcmp(a->cmd, "run") == 0;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        if (is_run && strcmp(s, "-o") == 0 && i + 1 < argc) a->out_dir = argv[++i];
        else if (is_run && strcmp(s, "--time-limit") == 0 && i + 1 < argc) {
            if ((a->time_limit = positive_arg(s, argv[++i], 1e7)) < 0) return -1;
        } else if (is_run && strcmp(s, "--memory-limit") == 0 && i + 1 < argc) {
            if ((a->mem_limit_mb = positive_arg(s, argv[++i], 1e7)) < 0) return -1;
        } else if (is_run && strcmp(s, "--export-model") == 0 && i + 1 < argc) a->export_model = argv[++i];
        else if (is_run && strcmp(s, "--no-partial") == 0) a->no_partial = 1;
        else if (is_run && strcmp(s, "--fresh") == 0) a->fresh = 1;
        else if (is_run && strcmp(s, "--label") == 0 && i + 1 < argc) {
            if (check_label(a->label = argv[++i]) != 0) return -1;
        }
        else if (is_run && strcmp(s, "--quiet") == 0) a->quiet = 1;
        else if (is_run && strcmp(s, "--verbose") == 0) a->verbose = 1;
        else if (is_run && strcmp(s, "--log-file") == 0 && i + 1 < argc) a->log_file = argv[++i];
        else if (strcmp(s, "--strict") == 0) a->strict = 1;
        else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "capmatch: error: unknown or incomplete option '%s'\n", s);
            return -1;
        } else if (!a->scenario) a->scenario = s;
        else {
            fprintf(stderr, "capmatch: error: unexpected argument '%s'\n", s);
            return -1;
        }
    }
    if (!a->scenario) {
        fprintf(stderr, "capmatch: error: %s needs a scenario file\n", a->cmd);
        return -1;
    }
    return 0;
}

/* --memory-limit covers the whole process: its address space is capped
 * (RLIMIT_AS), so every allocation past it fails and is reported as out of
 * memory (exit 70), GLPK's included; the solver's own accounting
 * (glp_mem_limit, the same figure) names the limit when GLPK reaches it
 * first. Builds with AddressSanitizer reserve terabytes of address space
 * up front, so there only GLPK's limit applies. */
static int limit_memory(double mb)
{
    if (cli_cap_memory(mb, 0, NULL) < 0) {
        fprintf(stderr, "capmatch: error: cannot set the memory limit of %.0f MB: %s\n", mb, strerror(errno));
        return -1;
    }
    return 0;
}

static void print_validate_summary(const md_model *m)
{
    long seats = 0;
    double budget = 0;
    int free_courses = 0;
    for (int i = 0; i < m->nneeds; i++) seats += m->needs[i].seats;
    for (int i = 0; i < m->ndonors; i++) budget += m->donors[i].budget_base;
    for (int i = 0; i < m->ncourses; i++) free_courses += m->courses[i].cost_base == 0;
    printf("%s: valid\n", m->set.path);
    if (m->set.name) printf("  scenario     %s\n", m->set.name);
    printf("  topics       %d\n", m->ntopics);
    printf("  countries    %d\n", m->ncountries);
    printf("  needs        %d (%ld seats needed)\n", m->nneeds, seats);
    printf("  donors       %d (total budget %.2f %s)\n", m->ndonors, budget, m->set.currency);
    printf("  courses      %d (%d free)\n", m->ncourses, free_courses);
    printf("  commitments  %d\n", m->ncommitments);
    printf("  input digest %s\n", m->input_digest);
}

static void utc_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The one-line progress display: only on a terminal, never under --quiet. */
static void show_progress(void *ctx, int stage, double elapsed, double best, double bound)
{
    const int *nstages = ctx; /* 4 with the stability stage */
    static const char *const names[] = { "", "max score", "min cost", "min seats", "stability" };
    fprintf(stderr, "\rcapmatch: stage %d/%d (%s) %6.1f s", stage, *nstages,
            stage >= 1 && stage <= 4 ? names[stage] : "?", elapsed);
    if (!isnan(best)) fprintf(stderr, "  best %.6g", best);
    if (!isnan(bound)) fprintf(stderr, "  bound %.6g", bound);
    if (!isnan(best) && !isnan(bound) && fabs(bound) > 0)
        fprintf(stderr, "  gap %.3f%%", 100 * fabs(bound - best) / fmax(1e-9, fabs(bound)));
    fputs("\033[K", stderr);
    fflush(stderr);
}

static void print_run_summary(const md_model *m, const eng_plan *p, const char *dir)
{
    long needed = 0, covered = 0;
    for (int i = 0; i < m->nneeds; i++) {
        needed += m->needs[i].seats;
        covered += p->covered[i];
    }
    printf("capmatch: %s: %s, score %.4f (bound %.4f), %ld of %ld seats needed covered, "
           "%ld seats bought for %.2f %s\n",
           m->set.name ? m->set.name : m->set.path, eng_status_names[p->status],
           p->score, p->score_bound, covered, needed, p->seats, p->total_cost, m->set.currency);
    printf("capmatch: outputs written to %s/\n", dir);
}

/* The previous plan for the stability stage (docs/solver.md): the latest
 * run in DIR/results.db, read before the solve, its (country, course,
 * seats) rows put on the model's indices; rows whose country or course the
 * model no longer has count as seats that are gone. Only when the sqlite
 * format is on and the database exists; one that cannot be read is a
 * warning and no previous plan. Returns 0 (cp->have set or not) or 70. */
typedef struct cli_prev {
    eng_prev prev;
    eng_prev_seat *seat;
    int have;
} cli_prev;

static int load_previous(const md_model *m, const char *dir, cli_prev *cp, md_diag *d)
{
    memset(cp, 0, sizeof *cp);
    if (!(m->set.formats & MD_OUT_SQLITE)) return 0;
    md_diag q; /* out_history_previous's warning speaks of the report: ours speaks of the plan */
    md_diag_init(&q, NULL);
    out_history_prev h;
    int rc = out_history_previous(dir, NULL, &h, &q);
    if (rc == 0 && q.nwarned) /* the report's own reading says why */
        md_warn(d, NULL, "%s/%s: cannot read the previous run; the churn is neither minimised nor reported",
                dir, OUT_HISTORY_FILE);
    md_diag_free(&q);
    if (rc) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory while reading the history");
        return MD_EX_SOFTWARE;
    }
    if (!h.present) return 0;
    cp->seat = h.nalloc ? malloc((size_t)h.nalloc * sizeof *cp->seat) : NULL;
    if (h.nalloc && !cp->seat) {
        out_history_prev_free(&h);
        md_fail(d, MD_EX_SOFTWARE, "out of memory while reading the history");
        return MD_EX_SOFTWARE;
    }
    int n = 0;
    long gone = 0;
    for (int i = 0; i < h.nalloc; i++)
        cli_seat_put(m, h.alloc[i].country, h.alloc[i].course, h.alloc[i].seats, cp->seat, &n, &gone);
    cp->prev = (eng_prev){ .run_id = h.run_id, .seat = cp->seat, .nseat = n, .gone = gone };
    cp->have = 1;
    out_history_prev_free(&h);
    return 0;
}

static int cmd_run(const cli_args *a, md_model *m, md_diag *d, double load_seconds,
                   const char *started)
{
    const char *dir = a->out_dir ? a->out_dir : m->set.out_dir;
    int lock_fd = -1;
    int rc = out_lock(dir, &lock_fd, d);
    if (rc) return rc;

    FILE *log = NULL;
    if (a->log_file && !(log = fopen(a->log_file, "a"))) {
        md_fail(d, MD_EX_CANTCREAT, "cannot open log file %s: %s", a->log_file, strerror(errno));
        out_unlock(lock_fd);
        return MD_EX_CANTCREAT;
    }
    if (log) setvbuf(log, NULL, _IOLBF, 0); /* a tail -f of the log stays current */
    cli_catch_signals(on_signal); /* SIGHUP stops a run as SIGTERM does */

    int tty = !a->quiet && isatty(STDERR_FILENO);
    /* The time limit covers the whole run (README, "Time and memory"):
     * the solver gets what loading left, and at least a moment to find a
     * plan; writing the outputs is bounded by their size. */
    double limit = a->time_limit > 0 ? a->time_limit : m->set.time_limit;
    double solve_limit = limit - load_seconds;
    if (solve_limit < MIN_SOLVE_SECONDS) solve_limit = MIN_SOLVE_SECONDS;
    cli_prev prev;
    rc = load_previous(m, dir, &prev, d);
    int nstages = prev.have && !a->fresh ? 4 : 3;
    eng_options opt = { .time_limit = solve_limit, .mip_gap = -1,
                        .verbose = a->verbose || log != NULL,
                        .log = log ? log : stderr, .stop = &stop_int,
                        .mem_limit_mb = a->mem_limit_mb, .export_model = a->export_model,
                        .progress = tty && !a->verbose ? show_progress : NULL, .progress_ctx = &nstages,
                        .prev = prev.have ? &prev.prev : NULL, .fresh = a->fresh };
    eng_plan plan;
    memset(&plan, 0, sizeof plan);
    if (rc == 0) rc = eng_solve(m, &opt, &plan, d);
    free(prev.seat);
    if (opt.progress) fputs("\r\033[K", stderr);
    int sig = stop_signal;
    if (sig && (rc != 0 || a->no_partial)) {
        /* stopped with nothing worth writing, or told not to write it */
        md_fail(d, 128 + sig, "stopped by %s; no outputs were written (previous outputs kept)",
                signal_name(sig));
        rc = 128 + sig;
    } else if (rc == 0) {
        out_run run = { .started_utc = started, .load_seconds = load_seconds, .exit_code = 0,
                        .label = a->label };
        writing = 1;
        rc = out_write(m, &plan, &run, dir, d);
        writing = 0;
        if (rc == 0 && !a->quiet) print_run_summary(m, &plan, dir);
        if (rc == 0) warn_not_optimal(m, &plan);
    }
    eng_plan_free(&plan);
    if (log) fclose(log);
    out_unlock(lock_fd);
    return rc;
}

int main(int argc, char **argv)
{
    guard_process();
    if (argc >= 2 && strcmp(argv[1], "sweep") == 0) { /* its own options: cli/sweep.c */
        int rc = cli_sweep(argc, argv);
        if (rc == CLI_SWEEP_HELP) {
            fputs(usage, stdout);
            fputs("\n", stdout);
            fputs(help, stdout);
            return finish_stdout(0);
        }
        if (rc < 0) fputs(usage, stderr);
        return rc < 0 ? MD_EX_USAGE : finish_stdout(rc);
    }
    cli_args a;
    if (parse_args(argc, argv, &a) != 0) {
        fputs(usage, stderr);
        return MD_EX_USAGE;
    }
    if (strcmp(a.cmd, "--help") == 0 || strcmp(a.cmd, "-h") == 0) {
        fputs(usage, stdout);
        fputs("\n", stdout);
        fputs(help, stdout);
        return finish_stdout(0);
    }
    if (strcmp(a.cmd, "--version") == 0) {
        printf("capmatch %s (GLPK %s, SQLite %s, libyaml %s)\n", CAPMATCH_VERSION,
               glp_version(), sqlite3_libversion(), yaml_get_version_string());
        return finish_stdout(0);
    }
    if (a.mem_limit_mb > 0 && limit_memory(a.mem_limit_mb) != 0) return MD_EX_SOFTWARE;
    char started[32];
    utc_now(started, sizeof started);
    double t0 = cli_now();
    md_diag d;
    md_diag_init(&d, stderr);
    md_diag_keep_warnings(&d, a.strict); /* listed in summary.json and the reports */
    md_model m;
    md_model_init(&m);
    int rc = in_load(a.scenario, &m, &d);
    if (rc == 0 && d.nerrors) rc = d.exit_code ? d.exit_code : MD_EX_DATAERR;
    if (rc == 0) rc = eng_warnings(&m, &d);
    if (rc == 0 && a.strict && d.nwarned) rc = MD_EX_DATAERR; /* printed as errors */
    d.warn_as_error = 0; /* --strict covers the inputs, not the solve's own notes */
    if (rc == 0) {
        if (strcmp(a.cmd, "validate") == 0) {
            print_validate_summary(&m);
            if (d.nwarned) printf("  warnings     %d (listed on stderr)\n", d.nwarned);
        } else rc = cmd_run(&a, &m, &d, cli_now() - t0, started);
    }
    md_model_free(&m);
    if (rc == MD_EX_SOFTWARE && d.oom && a.mem_limit_mb > 0)
        md_fail(&d, rc, "the memory limit of %.0f MB exceeded (--memory-limit)", ceil(a.mem_limit_mb));
    md_diag_free(&d);
    return finish_stdout(rc);
}
