/* outputs/history.c — appends each run to DIR/results.db (runs, allocations,
 * funding, coverage; views latest_run and coverage_change) and reads the
 * previous run back for the report's diff. Amounts are stored exactly as the
 * CSV files print them (rounded to cents).
 * The database uses SQLite's rollback journal, not WAL: between runs it is
 * one file, and a run that fails leaves it byte for byte as it was (a
 * rolled-back transaction restores every page; a WAL database's reader
 * leaves -wal/-shm files behind). Databases that earlier versions left in
 * WAL mode are switched back after the next successful commit. */
#include "history.h"
#include "fsutil.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#ifndef CAPMATCH_VERSION
#define CAPMATCH_VERSION "unknown"
#endif

struct out_history_tx {
    sqlite3 *db;
    char *path;
    int created;    /* this run created the file: a rollback removes it */
    int was_wal;    /* left in WAL mode by an earlier version */
};

/* migrations[v] takes the schema from user_version v to v + 1. */
static const char *const migrations[OUT_HISTORY_SCHEMA] = {
    "CREATE TABLE runs(id INTEGER PRIMARY KEY, started_utc TEXT, finished_utc TEXT,"
    " scenario_path TEXT, scenario_name TEXT, input_digest TEXT, capmatch_version TEXT,"
    " status TEXT, score REAL, score_bound REAL, total_cost REAL, seats INTEGER,"
    " solve_seconds REAL, exit_code INTEGER);"
    "CREATE TABLE allocations(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " country TEXT NOT NULL, course TEXT NOT NULL, seats INTEGER NOT NULL, cost REAL NOT NULL,"
    " PRIMARY KEY(run_id, country, course));"
    "CREATE TABLE funding(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " donor TEXT NOT NULL, country TEXT NOT NULL, course TEXT NOT NULL, amount REAL NOT NULL,"
    " PRIMARY KEY(run_id, donor, country, course));"
    "CREATE TABLE coverage(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " country TEXT NOT NULL, topic TEXT NOT NULL, need INTEGER NOT NULL,"
    " covered INTEGER NOT NULL, score REAL NOT NULL, reason TEXT NOT NULL,"
    " PRIMARY KEY(run_id, country, topic));"
    "CREATE INDEX runs_digest ON runs(input_digest);"
    "CREATE INDEX runs_started ON runs(started_utc);"
    "CREATE INDEX allocations_country ON allocations(country, run_id);"
    "CREATE INDEX funding_donor ON funding(donor, run_id);"
    "CREATE INDEX coverage_country ON coverage(country, run_id);"
    "CREATE VIEW latest_run AS SELECT * FROM runs ORDER BY id DESC LIMIT 1;"
    "CREATE VIEW coverage_change AS"
    " WITH last2 AS (SELECT id FROM runs ORDER BY id DESC LIMIT 2),"
    " cur AS (SELECT max(id) AS id FROM last2),"
    " prev AS (SELECT min(id) AS id FROM last2 WHERE id < (SELECT id FROM cur)),"
    " per AS (SELECT run_id, country, sum(covered) AS covered, sum(need) AS need"
    "   FROM coverage WHERE run_id IN (SELECT id FROM last2) GROUP BY run_id, country),"
    " countries AS (SELECT DISTINCT country FROM per)"
    " SELECT c.country,"
    "  (SELECT covered FROM per WHERE run_id = (SELECT id FROM prev) AND country = c.country) AS previous_covered,"
    "  (SELECT covered FROM per WHERE run_id = (SELECT id FROM cur) AND country = c.country) AS latest_covered,"
    "  coalesce((SELECT covered FROM per WHERE run_id = (SELECT id FROM cur) AND country = c.country), 0)"
    "  - coalesce((SELECT covered FROM per WHERE run_id = (SELECT id FROM prev) AND country = c.country), 0)"
    "  AS difference"
    " FROM countries c ORDER BY c.country;",
};

/* SQLite result codes → exit codes for the results database
 * (docs/formats.md, Exit codes). */
static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY: case SQLITE_LOCKED: return MD_EX_TEMPFAIL;
    case SQLITE_CANTOPEN: case SQLITE_READONLY: case SQLITE_PERM: case SQLITE_AUTH:
        return MD_EX_CANTCREAT;
    default: return MD_EX_IOERR; /* FULL, IOERR, CORRUPT, NOTADB, … */
    }
}

static int fail(md_diag *d, const char *path, sqlite3 *db, int rc, const char *what)
{
    int code = map_rc(rc);
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const char *hint = "";
    switch (rc & 0xff) {
    case SQLITE_BUSY: case SQLITE_LOCKED:
        hint = " (another program holds a lock on the history database; try again later)"; break;
    case SQLITE_CORRUPT: case SQLITE_NOTADB:
        hint = " (the history database is damaged or not an SQLite file; move it aside to start a new history)"; break;
    case SQLITE_FULL: hint = " (disk full)"; break;
    default: break;
    }
    md_fail(d, code, "%s: %s: %s%s", path, what, msg, hint);
    return code;
}

/* Brings the schema to OUT_HISTORY_SCHEMA inside the open transaction. */
static int migrate(sqlite3 *db, const char *path, md_diag *d)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK) return fail(d, path, db, rc, "reading the schema version");
    rc = sqlite3_step(st);
    int v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (v < 0) return fail(d, path, db, rc, "reading the schema version");
    if (v > OUT_HISTORY_SCHEMA) {
        md_fail(d, MD_EX_CANTCREAT, "%s: history schema version %d is newer than this capmatch "
                "understands (%d); use a newer capmatch or another output directory",
                path, v, OUT_HISTORY_SCHEMA);
        return MD_EX_CANTCREAT;
    }
    for (; v < OUT_HISTORY_SCHEMA; v++) {
        rc = sqlite3_exec(db, migrations[v], NULL, NULL, NULL);
        if (rc != SQLITE_OK) return fail(d, path, db, rc, "creating the history schema");
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK) return fail(d, path, db, rc, "setting the schema version");
    }
    return 0;
}

/* The value the CSV prints, read back as a number. */
static double csv_amount(double v) { char b[64]; return strtod(out_fmt_amount(b, v), NULL); }
static double csv_number(double v) { char b[64]; return strtod(out_fmt_number(b, v), NULL); }

static void utc_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    if (t == (time_t)-1 || !gmtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, n, "unknown");
}

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int insert_run(sqlite3 *db, const out_ctx *cx, sqlite3_int64 *id)
{
    const md_model *m = cx->m;
    const eng_plan *p = cx->p;
    char now[32];
    utc_now(now, sizeof now);
    int status = p->status >= 0 && p->status < ENG_NSTATUS ? p->status : ENG_INTERRUPTED;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
        "INSERT INTO runs(started_utc, finished_utc, scenario_path, scenario_name, input_digest,"
        " capmatch_version, status, score, score_bound, total_cost, seats, solve_seconds, exit_code)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(st, 1, cx->run && cx->run->started_utc ? cx->run->started_utc : now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, m->set.path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, m->set.name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, m->input_digest, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, CAPMATCH_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, eng_status_names[status], -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 8, csv_number(p->score));
    sqlite3_bind_double(st, 9, csv_number(p->score_bound));
    sqlite3_bind_double(st, 10, csv_amount(p->total_cost));
    sqlite3_bind_int64(st, 11, p->seats);
    sqlite3_bind_double(st, 12, p->solve_seconds);
    sqlite3_bind_int(st, 13, cx->run ? cx->run->exit_code : 0);
    rc = step_done(st);
    sqlite3_finalize(st);
    *id = sqlite3_last_insert_rowid(db);
    return rc;
}

static int insert_rows(sqlite3 *db, const out_ctx *cx, sqlite3_int64 id)
{
    const md_model *m = cx->m;
    const eng_plan *p = cx->p;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO allocations VALUES(?,?,?,?,?)", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < p->nalloc; i++) {
        const eng_alloc *a = &p->alloc[i];
        if (a->seats <= 0 || a->c < 0 || a->c >= m->ncountries || a->k < 0 || a->k >= m->ncourses) continue;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, m->countries[a->c].code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, m->courses[a->k].id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, a->seats);
        sqlite3_bind_double(st, 5, csv_amount(a->cost));
        rc = step_done(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "INSERT INTO funding VALUES(?,?,?,?,?)", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < p->nfund; i++) {
        const eng_fund *f = &p->fund[i];
        if (f->d < 0 || f->d >= m->ndonors || f->c < 0 || f->c >= m->ncountries ||
            f->k < 0 || f->k >= m->ncourses) continue;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, m->donors[f->d].id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, m->countries[f->c].code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, m->courses[f->k].id, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 5, csv_amount(f->amount));
        rc = step_done(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "INSERT INTO coverage VALUES(?,?,?,?,?,?,?)", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < m->nneeds; i++) {
        const md_need *n = &m->needs[i];
        int why = p->reason ? p->reason[i] : ENG_R_NONE;
        if (why < 0 || why > ENG_R_RESOURCES) why = ENG_R_RESOURCES;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, n->country, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, n->topic, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, n->seats);
        sqlite3_bind_int64(st, 5, p->covered ? p->covered[i] : 0);
        sqlite3_bind_double(st, 6, csv_number(p->need_score ? p->need_score[i] : 0));
        sqlite3_bind_text(st, 7, eng_reason_names[why], -1, SQLITE_STATIC);
        rc = step_done(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Closes tx's connection and frees tx; a file this run created and did not
 * commit to goes, with its journal, so that the folder is as it was. */
static int tx_release(out_history_tx *tx, int committed, md_diag *d, int code)
{
    int rc = sqlite3_close(tx->db);
    if (rc != SQLITE_OK) {
        if (code == 0) code = fail(d, tx->path, tx->db, rc, "closing the history database");
        sqlite3_close_v2(tx->db);
    }
    if (tx->created && !committed) {
        size_t n = strlen(tx->path) + sizeof "-journal";
        char *journal = malloc(n);
        if (journal) {
            snprintf(journal, n, "%s-journal", tx->path);
            unlink(journal);
            free(journal);
        }
        unlink(tx->path);
    }
    free(tx->path);
    free(tx);
    return code;
}

/* 1 when the open database is in WAL mode (reading the mode changes nothing). */
static int in_wal_mode(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int wal = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *m = sqlite3_column_text(st, 0);
        wal = m && strcmp((const char *)m, "wal") == 0;
    }
    sqlite3_finalize(st);
    return wal;
}

int out_history_begin(const out_ctx *cx, out_history_tx **txp)
{
    *txp = NULL;
    out_history_tx *tx = calloc(1, sizeof *tx);
    char *path = out_path_join(cx->dir, OUT_HISTORY_FILE);
    if (!tx || !path) {
        free(tx);
        free(path);
        md_fail(cx->d, MD_EX_SOFTWARE, "out of memory while writing the history");
        return MD_EX_SOFTWARE;
    }
    tx->path = path;
    struct stat sb;
    tx->created = lstat(path, &sb) != 0 && errno == ENOENT; /* the run lock keeps others out */
    int rc = sqlite3_open_v2(path, &tx->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    const char *what = "cannot open or create the history database";
    if (rc == SQLITE_OK) rc = sqlite3_extended_result_codes(tx->db, 1);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(tx->db, 10000);
    if (rc == SQLITE_OK) {
        what = "setting up the history database";
        rc = sqlite3_exec(tx->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK) {
        what = "starting the history transaction";
        rc = sqlite3_exec(tx->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        int code = fail(cx->d, path, tx->db, rc, what);
        return tx_release(tx, 0, cx->d, code);
    }
    tx->was_wal = in_wal_mode(tx->db);
    *txp = tx;
    int code = migrate(tx->db, path, cx->d);
    if (code) { out_history_finish(tx, 0, cx->d); *txp = NULL; return code; }
    sqlite3_int64 id = 0;
    rc = insert_run(tx->db, cx, &id);
    if (rc == SQLITE_OK) rc = insert_rows(tx->db, cx, id);
    if (rc != SQLITE_OK) {
        code = fail(cx->d, path, tx->db, rc, "writing the run to the history");
        out_history_finish(tx, 0, cx->d);
        *txp = NULL;
        return code;
    }
    return 0;
}

int out_history_finish(out_history_tx *tx, int commit, md_diag *d)
{
    if (!tx) return 0;
    int code = 0;
    if (commit) {
        int rc = sqlite3_exec(tx->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            code = fail(d, tx->path, tx->db, rc, "committing the run to the history");
            commit = 0;
        }
    }
    if (!commit && !sqlite3_get_autocommit(tx->db))
        sqlite3_exec(tx->db, "ROLLBACK", NULL, NULL, NULL);
    /* Leave a WAL database of an earlier version as one file from now on.
     * The run is committed already: a reader holding the file (BUSY) only
     * postpones the switch to a later run. */
    if (commit && tx->was_wal)
        sqlite3_exec(tx->db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    return tx_release(tx, commit, d, code);
}

int out_history_write(const out_ctx *cx)
{
    out_history_tx *tx = NULL;
    int code = out_history_begin(cx, &tx);
    return code ? code : out_history_finish(tx, 1, cx->d);
}

/* ---- reading the previous run ---- */

static const char *keep(out_history_prev *prev, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    return md_arena_strdup(&prev->arena, s ? (const char *)s : "");
}

/* Runs the query bound to run_id and hands each row to add(); -1 on out of
 * memory, else the SQLite code. */
static int load_rows(sqlite3 *db, const char *sql, sqlite3_int64 run,
                     int (*add)(out_history_prev *, sqlite3_stmt *), out_history_prev *prev)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_int64(st, 1, run);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (add(prev, st)) { sqlite3_finalize(st); return -1; }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int add_alloc(out_history_prev *prev, sqlite3_stmt *st)
{
    out_prev_alloc *a = md_vec_push((void **)&prev->alloc, &prev->nalloc, &prev->cap_alloc, sizeof *a);
    if (!a) return -1;
    a->country = keep(prev, st, 0);
    a->course = keep(prev, st, 1);
    a->seats = (long)sqlite3_column_int64(st, 2);
    a->cost = sqlite3_column_double(st, 3);
    return a->country && a->course ? 0 : -1;
}

static int add_cov(out_history_prev *prev, sqlite3_stmt *st)
{
    out_prev_cov *c = md_vec_push((void **)&prev->cov, &prev->ncov, &prev->cap_cov, sizeof *c);
    if (!c) return -1;
    c->country = keep(prev, st, 0);
    c->topic = keep(prev, st, 1);
    c->need = (long)sqlite3_column_int64(st, 2);
    c->covered = (long)sqlite3_column_int64(st, 3);
    return c->country && c->topic ? 0 : -1;
}

static int add_spend(out_history_prev *prev, sqlite3_stmt *st)
{
    out_prev_spend *s = md_vec_push((void **)&prev->spend, &prev->nspend, &prev->cap_spend, sizeof *s);
    if (!s) return -1;
    s->donor = keep(prev, st, 0);
    s->spent = sqlite3_column_double(st, 1);
    return s->donor ? 0 : -1;
}

/* "file:PATH?immutable=1" with the characters a URI gives meaning to
 * ('%', '?', '#') escaped; sqlite3_malloc'ed, NULL when out of memory. */
static char *immutable_uri(const char *path)
{
    size_t n = strlen(path);
    char *uri = sqlite3_malloc64(3 * n + sizeof "file:?immutable=1");
    if (!uri) return NULL;
    char *q = uri + sprintf(uri, "file:");
    for (const char *p = path; *p; p++)
        if (*p == '%' || *p == '?' || *p == '#') q += sprintf(q, "%%%02X", (unsigned char)*p);
        else *q++ = *p;
    strcpy(q, "?immutable=1");
    return uri;
}

int out_history_previous(const char *dir, const char *exclude_started,
                         out_history_prev *prev, md_diag *d)
{
    memset(prev, 0, sizeof *prev);
    md_arena_init(&prev->arena);
    char *path = out_path_join(dir ? dir : ".", OUT_HISTORY_FILE);
    if (!path) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return MD_EX_SOFTWARE; }
    struct stat sb;
    if (stat(path, &sb) != 0) { free(path); return 0; } /* first run: no history */

    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int oom = 0;
    /* Read through a read-write connection (it writes nothing): a read-only
     * one would leave -wal/-shm files next to a WAL database of an earlier
     * version, and could not roll back the journal of a killed run. When the
     * file is not writable, read it as immutable, which creates no files
     * (the run lock keeps capmatch runs from changing it meanwhile). */
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK && sqlite3_db_readonly(db, "main") == 1) rc = SQLITE_READONLY;
    if (rc != SQLITE_OK) {
        sqlite3_close(db);
        db = NULL;
        char *uri = immutable_uri(path);
        rc = uri ? sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL)
                 : SQLITE_NOMEM;
        sqlite3_free(uri);
    }
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(db, 10000);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL); /* one snapshot */
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "SELECT id, started_utc, status, score, total_cost, seats FROM runs"
                                " WHERE ?1 IS NULL OR started_utc IS NOT ?1 ORDER BY id DESC LIMIT 1",
                                -1, &st, NULL);
    sqlite3_int64 run = 0;
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, exclude_started, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            run = sqlite3_column_int64(st, 0);
            prev->present = 1;
            prev->run_id = (long)run;
            prev->started_utc = keep(prev, st, 1);
            prev->status = keep(prev, st, 2);
            prev->score = sqlite3_column_double(st, 3);
            prev->total_cost = sqlite3_column_double(st, 4);
            prev->seats = (long)sqlite3_column_int64(st, 5);
            if (!prev->started_utc || !prev->status) oom = 1;
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) rc = SQLITE_OK;
        sqlite3_finalize(st);
    }
    static const char *const q[3] = {
        "SELECT country, course, seats, cost FROM allocations WHERE run_id = ? ORDER BY country, course",
        "SELECT country, topic, need, covered FROM coverage WHERE run_id = ? ORDER BY country, topic",
        "SELECT donor, sum(amount) FROM funding WHERE run_id = ? GROUP BY donor ORDER BY donor",
    };
    int (*const add[3])(out_history_prev *, sqlite3_stmt *) = { add_alloc, add_cov, add_spend };
    for (int i = 0; i < 3 && prev->present && rc == SQLITE_OK && !oom; i++) {
        rc = load_rows(db, q[i], run, add[i], prev);
        if (rc < 0) { oom = 1; rc = SQLITE_OK; }
    }
    if (rc != SQLITE_OK && !oom)
        md_warn(d, NULL, "%s: cannot read the previous run (%s); the report has no run-to-run changes",
                path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if (db) {
        if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(db);
    }
    free(path);
    if (oom) {
        out_history_prev_free(prev);
        md_fail(d, MD_EX_SOFTWARE, "out of memory while reading the history");
        return MD_EX_SOFTWARE;
    }
    if (rc != SQLITE_OK) { out_history_prev_free(prev); return 0; }
    return 0;
}

void out_history_prev_free(out_history_prev *prev)
{
    free(prev->alloc);
    free(prev->cov);
    free(prev->spend);
    md_arena_free(&prev->arena);
    memset(prev, 0, sizeof *prev);
}
