/* outputs/history_read.c — reads the previous run of DIR/results.db back
 * (its plan, and its inputs for the change report), read-only and without
 * leaving a file beside the database (docs/formats.md, results.db). The
 * writing side is history.c. */
#include "history.h"
#include "fsutil.h"
#include "snapshot.h"
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

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

static int add_fund(out_history_prev *prev, sqlite3_stmt *st)
{
    out_prev_fund *f = md_vec_push((void **)&prev->fund, &prev->nfund, &prev->cap_fund, sizeof *f);
    if (!f) return -1;
    f->donor = keep(prev, st, 0);
    f->country = keep(prev, st, 1);
    f->course = keep(prev, st, 2);
    return f->donor && f->country && f->course ? 0 : -1;
}

/* NULL stays NULL (a column that touches nothing). */
static const char *keep_or_null(out_history_prev *prev, sqlite3_stmt *st, int col, int *oom)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    if (!s) return NULL;
    const char *k = md_arena_strdup(&prev->arena, (const char *)s);
    if (!k) *oom = 1;
    return k;
}

static int add_input(out_history_prev *prev, sqlite3_stmt *st)
{
    out_snap *s = &prev->inputs;
    out_snap_row *r = md_vec_push((void **)&s->rows, &s->n, &s->cap, sizeof *r);
    if (!r) return -1;
    int oom = 0;
    /* entity and field repeat row after row (the view lists one field of
     * every entity, then the next): share the previous row's copy */
    const out_snap_row *last = s->n > 1 ? &s->rows[s->n - 2] : NULL;
    const unsigned char *e = sqlite3_column_text(st, 0), *f = sqlite3_column_text(st, 2);
    r->entity = last && e && strcmp(last->entity, (const char *)e) == 0 ? last->entity : keep(prev, st, 0);
    r->key = keep(prev, st, 1);
    r->field = last && f && strcmp(last->field, (const char *)f) == 0 ? last->field : keep(prev, st, 2);
    switch (sqlite3_column_type(st, 3)) {
    case SQLITE_INTEGER: case SQLITE_FLOAT:
        r->v = (out_val){ OUT_V_NUM, sqlite3_column_double(st, 3), NULL }; break;
    case SQLITE_NULL: r->v = (out_val){ OUT_V_NULL, 0, NULL }; break;
    default: r->v = (out_val){ OUT_V_TEXT, 0, keep(prev, st, 3) }; if (!r->v.text) oom = 1; break;
    }
    r->country = keep_or_null(prev, st, 4, &oom);
    r->course = keep_or_null(prev, st, 5, &oom);
    r->donor = keep_or_null(prev, st, 6, &oom);
    prev->has_inputs = 1;
    return oom || !r->entity || !r->key || !r->field ? -1 : 0;
}

/* 1 when the database has the run_inputs view (schema 2 and later). */
static int has_input_tables(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int yes = 0;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'run_inputs'",
                           -1, &st, NULL) == SQLITE_OK)
        yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
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

/* Both entry points: the plan of the previous run and, when inputs is set,
 * the inputs it kept (only its settings when its input digest equals
 * digest: same bytes, same entities, and on a large catalogue the full
 * read would cost seconds for nothing). */
static int read_previous(const char *dir, const char *exclude_started, const char *digest, int inputs,
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
        rc = sqlite3_prepare_v2(db, "SELECT id, started_utc, status, score, total_cost, seats, input_digest FROM runs"
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
            const unsigned char *dg = sqlite3_column_text(st, 6);
            prev->inputs_settings_only = digest && dg && strcmp((const char *)dg, digest) == 0;
            if (!prev->started_utc || !prev->status) oom = 1;
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) rc = SQLITE_OK;
        sqlite3_finalize(st);
    }
    static const char *const q[5] = {
        "SELECT country, course, seats, cost FROM allocations WHERE run_id = ? ORDER BY country, course",
        "SELECT country, topic, need, covered FROM coverage WHERE run_id = ? ORDER BY country, topic",
        "SELECT donor, sum(amount) FROM funding WHERE run_id = ? GROUP BY donor ORDER BY donor",
        "SELECT donor, country, course FROM funding WHERE run_id = ? ORDER BY country, course, donor",
        NULL, /* the inputs: below */
    };
    int (*const add[5])(out_history_prev *, sqlite3_stmt *) = { add_alloc, add_cov, add_spend, add_fund, add_input };
    int nq = inputs && rc == SQLITE_OK && db && has_input_tables(db) ? 5 : 4; /* schema 1: no inputs kept */
    for (int i = 0; i < nq && prev->present && rc == SQLITE_OK && !oom; i++) {
        const char *sql = q[i] ? q[i] : prev->inputs_settings_only
            ? "SELECT entity, key, field, value, country, course, donor FROM run_inputs"
              " WHERE run_id = ? AND entity = 'setting'"
            : "SELECT entity, key, field, value, country, course, donor FROM run_inputs WHERE run_id = ?";
        rc = load_rows(db, sql, run, add[i], prev);
        if (rc < 0) { oom = 1; rc = SQLITE_OK; }
        if (i == 4 && rc != SQLITE_OK) { /* the plans can still be compared */
            md_warn(d, NULL, "%s: cannot read the inputs of run %ld (%s); the report compares the plans only",
                    path, prev->run_id, sqlite3_errmsg(db));
            out_snap_free(&prev->inputs);
            prev->has_inputs = 0;
            rc = SQLITE_OK;
        }
    }
    if (!oom && out_snap_sort(&prev->inputs)) oom = 1;
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

int out_history_previous(const char *dir, const char *exclude_started,
                         out_history_prev *prev, md_diag *d)
{
    return read_previous(dir, exclude_started, NULL, 0, prev, d);
}

int out_history_previous_inputs(const char *dir, const char *digest, out_history_prev *prev, md_diag *d)
{
    return read_previous(dir, NULL, digest, 1, prev, d);
}

void out_history_prev_free(out_history_prev *prev)
{
    free(prev->alloc);
    free(prev->cov);
    free(prev->spend);
    free(prev->fund);
    out_snap_free(&prev->inputs);
    md_arena_free(&prev->arena);
    memset(prev, 0, sizeof *prev);
}
