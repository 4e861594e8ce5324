/* outputs/history.c — appends each run to DIR/results.db (runs, allocations,
 * funding, coverage, the inputs; the views) — history_read.c reads the
 * previous run back. Amounts are stored exactly as the
 * CSV files print them (rounded to cents).
 * The database uses SQLite's rollback journal, not WAL: between runs it is
 * one file, and a run that fails leaves it byte for byte as it was (a
 * rolled-back transaction restores every page; a WAL database's reader
 * leaves -wal/-shm files behind). Databases that earlier versions left in
 * WAL mode are switched back after the next successful commit. */
#include "history_int.h"
#include "fsutil.h"
#include "snapshot.h"
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

    /* 1 → 2: each run's inputs, one table per entity, and the views that
     * compare the last two runs. Runs recorded before have no input rows.
     * The rows are kept once per input digest, by the first run that had
     * them; runs.inputs_run names the run whose rows hold a run's inputs
     * (a nightly run on unchanged inputs adds no input rows). */
    "ALTER TABLE runs ADD COLUMN inputs_run INTEGER;"
    "ALTER TABLE coverage ADD COLUMN detail TEXT;" /* as coverage.csv's; NULL before */
    "CREATE TABLE run_countries(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " code TEXT NOT NULL, name TEXT, region TEXT, income_group TEXT, trainee_hours REAL,"
    " max_trainees INTEGER, PRIMARY KEY(run_id, code));"
    "CREATE TABLE run_needs(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " country TEXT NOT NULL, topic TEXT NOT NULL, seats INTEGER NOT NULL, priority REAL NOT NULL,"
    " PRIMARY KEY(run_id, country, topic));"
    "CREATE TABLE run_donors(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " id TEXT NOT NULL, name TEXT, budget REAL NOT NULL, currency TEXT, budget_base REAL NOT NULL,"
    " max_share_per_country REAL, PRIMARY KEY(run_id, id));"
    "CREATE TABLE run_courses(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " id TEXT NOT NULL, provider TEXT, title TEXT, language TEXT NOT NULL, format TEXT NOT NULL,"
    " cost_per_seat REAL NOT NULL, currency TEXT, cost_base REAL NOT NULL, seats INTEGER,"
    " min_seats INTEGER NOT NULL, max_per_country INTEGER, hours REAL NOT NULL, quality REAL,"
    " start_date TEXT, end_date TEXT, PRIMARY KEY(run_id, id));"
    "CREATE TABLE run_commitments(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " country TEXT NOT NULL, course TEXT NOT NULL, donor TEXT NOT NULL, seats INTEGER NOT NULL,"
    " PRIMARY KEY(run_id, country, course, donor));"
    "CREATE TABLE run_rates(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " currency TEXT NOT NULL, rate REAL NOT NULL, PRIMARY KEY(run_id, currency));"
    "CREATE TABLE run_lists(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " entity TEXT NOT NULL, key TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY(run_id, entity, key, field, value));"
    "CREATE TABLE run_settings(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " section TEXT NOT NULL, name TEXT NOT NULL, value, PRIMARY KEY(run_id, section, name));"
    /* every input figure as (entity, key, field, value), and what it touches;
     * the unary + drops the column's affinity, so that a value keeps its type
     * when SQLite materialises the view (else numbers would turn into text) */
    "CREATE VIEW stored_inputs AS"
    " SELECT run_id, 'country' AS entity, code AS key, 'name' AS field, +name AS value,"
    "  code AS country, NULL AS course, NULL AS donor FROM run_countries"
    " UNION ALL SELECT run_id, 'country', code, 'region', +region, code, NULL, NULL FROM run_countries"
    " UNION ALL SELECT run_id, 'country', code, 'income_group', +income_group, code, NULL, NULL FROM run_countries"
    " UNION ALL SELECT run_id, 'country', code, 'trainee_hours', +trainee_hours, code, NULL, NULL FROM run_countries"
    " UNION ALL SELECT run_id, 'country', code, 'max_trainees', +max_trainees, code, NULL, NULL FROM run_countries"
    " UNION ALL SELECT run_id, 'need', country || '/' || topic, 'seats', +seats, country, NULL, NULL FROM run_needs"
    " UNION ALL SELECT run_id, 'need', country || '/' || topic, 'priority', +priority, country, NULL, NULL FROM run_needs"
    " UNION ALL SELECT run_id, 'donor', id, 'name', +name, NULL, NULL, id FROM run_donors"
    " UNION ALL SELECT run_id, 'donor', id, 'budget', +budget, NULL, NULL, id FROM run_donors"
    " UNION ALL SELECT run_id, 'donor', id, 'currency', +currency, NULL, NULL, id FROM run_donors"
    " UNION ALL SELECT run_id, 'donor', id, 'max_share_per_country', +max_share_per_country, NULL, NULL, id FROM run_donors"
    " UNION ALL SELECT run_id, 'course', id, 'provider', +provider, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'title', +title, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'language', +language, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'format', +format, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'cost_per_seat', +cost_per_seat, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'currency', +currency, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'seats', +seats, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'min_seats', +min_seats, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'max_per_country', +max_per_country, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'hours', +hours, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'quality', +quality, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'start_date', +start_date, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'course', id, 'end_date', +end_date, NULL, id, NULL FROM run_courses"
    " UNION ALL SELECT run_id, 'commitment', country || '/' || course || '/' || donor, 'seats', +seats,"
    "  country, course, nullif(donor, '') FROM run_commitments"
    " UNION ALL SELECT run_id, 'rate', currency, 'rate', +rate, NULL, NULL, NULL FROM run_rates"
    " UNION ALL SELECT run_id, 'setting', section, name, +value, NULL, NULL, NULL FROM run_settings"
    /* a list as one value, its members sorted and joined by ", " (grouped
     * along the primary key, which yields the members in order) */
    " UNION ALL SELECT run_id, entity, key, field, group_concat(value, ', '),"
    "  CASE entity WHEN 'country' THEN key END, CASE entity WHEN 'course' THEN key END,"
    "  CASE entity WHEN 'donor' THEN key END"
    "  FROM run_lists GROUP BY run_id, entity, key, field;"
    /* each run's inputs, wherever they are kept */
    "CREATE VIEW run_inputs AS"
    " SELECT r.id AS run_id, i.entity, i.key, i.field, i.value, i.country, i.course, i.donor"
    " FROM runs r JOIN stored_inputs i ON i.run_id = r.inputs_run;"
    /* the latest run against the one before it, when that one kept its inputs */
    "CREATE VIEW input_changes AS"
    " WITH last2 AS (SELECT id FROM runs ORDER BY id DESC LIMIT 2),"
    " cur AS (SELECT max(id) AS id FROM last2),"
    " prev AS (SELECT min(id) AS id FROM last2 WHERE id < (SELECT id FROM cur)"
    "   AND (SELECT inputs_run FROM runs WHERE runs.id = last2.id) IS NOT NULL),"
    " a AS (SELECT * FROM run_inputs WHERE run_id = (SELECT id FROM prev)),"
    " b AS (SELECT * FROM run_inputs WHERE run_id = (SELECT id FROM cur) AND (SELECT id FROM prev) IS NOT NULL),"
    " ka AS (SELECT DISTINCT entity, key, country, course, donor FROM a),"
    " kb AS (SELECT DISTINCT entity, key, country, course, donor FROM b)"
    " SELECT * FROM ("
    "  SELECT 'added' AS kind, entity, key, NULL AS field, NULL AS old, NULL AS new, country, course, donor"
    "   FROM kb WHERE NOT EXISTS (SELECT 1 FROM ka WHERE ka.entity = kb.entity AND ka.key = kb.key)"
    "  UNION ALL SELECT 'removed', entity, key, NULL, NULL, NULL, country, course, donor"
    "   FROM ka WHERE NOT EXISTS (SELECT 1 FROM kb WHERE ka.entity = kb.entity AND ka.key = kb.key)"
    "  UNION ALL SELECT 'changed', b.entity, b.key, b.field, a.value, b.value, b.country, b.course, b.donor"
    "   FROM a JOIN b ON a.entity = b.entity AND a.key = b.key AND a.field = b.field"
    "   WHERE a.value IS NOT b.value"
    /* a field of an entity of both runs given in one only (a list set or dropped) */
    "  UNION ALL SELECT 'changed', a.entity, a.key, a.field, a.value, NULL, a.country, a.course, a.donor"
    "   FROM a WHERE EXISTS (SELECT 1 FROM kb WHERE kb.entity = a.entity AND kb.key = a.key)"
    "   AND NOT EXISTS (SELECT 1 FROM b WHERE b.entity = a.entity AND b.key = a.key AND b.field = a.field)"
    "  UNION ALL SELECT 'changed', b.entity, b.key, b.field, NULL, b.value, b.country, b.course, b.donor"
    "   FROM b WHERE EXISTS (SELECT 1 FROM ka WHERE ka.entity = b.entity AND ka.key = b.key)"
    "   AND NOT EXISTS (SELECT 1 FROM a WHERE a.entity = b.entity AND a.key = b.key AND a.field = b.field))"
    " ORDER BY entity, key, field;"
    /* seats per pair and fully covered needs, latest run against the one before */
    "CREATE VIEW plan_changes AS"
    " WITH last2 AS (SELECT id FROM runs ORDER BY id DESC LIMIT 2),"
    " cur AS (SELECT max(id) AS id FROM last2),"
    " prev AS (SELECT min(id) AS id FROM last2 WHERE id < (SELECT id FROM cur)),"
    " a AS (SELECT country, course, seats FROM allocations WHERE run_id = (SELECT id FROM prev)),"
    " b AS (SELECT country, course, seats FROM allocations WHERE run_id = (SELECT id FROM cur)"
    "   AND (SELECT id FROM prev) IS NOT NULL),"
    " pairs AS (SELECT country, course FROM a UNION SELECT country, course FROM b),"
    " ca AS (SELECT country, topic, need, covered FROM coverage WHERE run_id = (SELECT id FROM prev)),"
    " cb AS (SELECT country, topic, need, covered FROM coverage WHERE run_id = (SELECT id FROM cur))"
    " SELECT * FROM ("
    "  SELECT CASE WHEN a.seats IS NULL THEN 'pair_added' WHEN b.seats IS NULL THEN 'pair_removed'"
    "   ELSE 'pair_resized' END AS change, p.country, p.course, NULL AS topic,"
    "   coalesce(a.seats, 0) AS old, coalesce(b.seats, 0) AS new"
    "   FROM pairs p LEFT JOIN a ON a.country = p.country AND a.course = p.course"
    "   LEFT JOIN b ON b.country = p.country AND b.course = p.course"
    "   WHERE coalesce(a.seats, 0) <> coalesce(b.seats, 0)"
    "  UNION ALL SELECT CASE WHEN cb.covered >= cb.need THEN 'need_covered' ELSE 'need_uncovered' END,"
    "   cb.country, NULL, cb.topic, ca.covered, cb.covered"
    "   FROM ca JOIN cb ON ca.country = cb.country AND ca.topic = cb.topic"
    "   WHERE (ca.covered >= ca.need) <> (cb.covered >= cb.need))"
    " ORDER BY country, course, topic;",

    /* 2 → 3: the run's --label (NULL without one; earlier runs keep NULL). */
    "ALTER TABLE runs ADD COLUMN label TEXT;",

    /* 3 → 4: the topics, and the dimension views (history_dims.c). */
    out_history_dims_sql,
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
        " capmatch_version, status, score, score_bound, total_cost, seats, solve_seconds, exit_code, label)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
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
    if (cx->run && cx->run->label) sqlite3_bind_text(st, 14, cx->run->label, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 14);
    rc = out_history_step_done(st);
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
        rc = out_history_step_done(st);
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
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "INSERT INTO coverage(run_id, country, topic, need, covered, score, reason, detail)"
                                                    " VALUES(?,?,?,?,?,?,?,?)", -1, &st, NULL);
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
        int detail = p->detail ? p->detail[i] : ENG_D_NONE;
        if (detail < 0 || detail >= ENG_NDETAIL) detail = ENG_D_NONE;
        sqlite3_bind_text(st, 8, eng_detail_names[detail], -1, SQLITE_STATIC);
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Binding helpers for the input tables: absent values and "unlimited"
 * (negative) limits are stored as NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}
static void bind_limit(sqlite3_stmt *st, int i, double v)
{
    if (v < 0) sqlite3_bind_null(st, i);
    else sqlite3_bind_double(st, i, v);
}
static void bind_count(sqlite3_stmt *st, int i, long v)
{
    if (v < 0) sqlite3_bind_null(st, i);
    else sqlite3_bind_int64(st, i, v);
}
static void bind_val(sqlite3_stmt *st, int i, const out_val *v)
{
    if (v->type == OUT_V_NUM) sqlite3_bind_double(st, i, v->num);
    else bind_text(st, i, v->type == OUT_V_TEXT ? v->text : NULL);
}
static void bind_date(sqlite3_stmt *st, int i, int ymd)
{
    char buf[16];
    if (ymd <= 0) { sqlite3_bind_null(st, i); return; }
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
    sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

static int insert_entities(sqlite3 *db, const md_model *m, sqlite3_int64 id)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO run_countries VALUES(?,?,?,?,?,?,?)", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < m->ncountries; i++) {
        const md_country *c = &m->countries[i];
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, c->code);
        bind_text(st, 3, c->name);
        bind_text(st, 4, c->region);
        bind_text(st, 5, c->income >= 0 && c->income < MD_INC_COUNT ? md_income_names[c->income] : NULL);
        bind_limit(st, 6, c->trainee_hours);
        bind_count(st, 7, c->max_trainees);
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "INSERT INTO run_needs VALUES(?,?,?,?,?)", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < m->nneeds; i++) {
        const md_need *n = &m->needs[i];
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, n->country);
        bind_text(st, 3, n->topic);
        sqlite3_bind_int64(st, 4, n->seats);
        sqlite3_bind_double(st, 5, n->priority);
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "INSERT INTO run_donors VALUES(?,?,?,?,?,?,?)", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < m->ndonors; i++) {
        const md_donor *d = &m->donors[i];
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, d->id);
        bind_text(st, 3, d->name);
        sqlite3_bind_double(st, 4, d->budget);
        bind_text(st, 5, d->currency);
        sqlite3_bind_double(st, 6, d->budget_base);
        if (d->max_share > 0) sqlite3_bind_double(st, 7, d->max_share);
        else sqlite3_bind_null(st, 7);
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO run_courses VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < m->ncourses; i++) {
        const md_course *k = &m->courses[i];
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, k->id);
        bind_text(st, 3, k->provider);
        bind_text(st, 4, k->title);
        bind_text(st, 5, k->language ? k->language : "");
        bind_text(st, 6, k->format >= 0 && k->format < MD_FMT_COUNT ? md_format_names[k->format] : "");
        sqlite3_bind_double(st, 7, k->cost_per_seat);
        bind_text(st, 8, k->currency);
        sqlite3_bind_double(st, 9, k->cost_base);
        bind_count(st, 10, k->seats);
        sqlite3_bind_int64(st, 11, k->min_seats);
        bind_count(st, 12, k->max_per_country);
        sqlite3_bind_double(st, 13, k->hours);
        bind_limit(st, 14, k->quality);
        bind_date(st, 15, k->start_date);
        bind_date(st, 16, k->end_date);
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    /* the same pair and donor twice adds up, as the seats they hold do */
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO run_commitments VALUES(?,?,?,?,?) ON CONFLICT(run_id,"
                                " country, course, donor) DO UPDATE SET seats = seats + excluded.seats", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < m->ncommitments; i++) {
        const md_commitment *c = &m->commitments[i];
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, c->country);
        bind_text(st, 3, c->course);
        bind_text(st, 4, c->donor ? c->donor : "");
        sqlite3_bind_int64(st, 5, c->seats);
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "INSERT INTO run_rates VALUES(?,?,?)", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < m->nrates; i++) {
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, m->rates[i].currency);
        sqlite3_bind_double(st, 3, m->rates[i].rate);
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Every member of every list given (an absent list, "any", has no rows). */
static int insert_lists(sqlite3 *db, const md_model *m, sqlite3_int64 id)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO run_lists VALUES(?,?,?,?,?)", -1, &st, NULL);
    for (int e = 0; rc == SQLITE_OK && e < 3; e++) {
        int n = e == 0 ? m->ncountries : e == 1 ? m->ndonors : m->ncourses;
        for (int i = 0; rc == SQLITE_OK && i < n; i++) {
            out_snap_list lists[OUT_SNAP_MAXLISTS];
            const char *entity, *key;
            int nl = out_snap_lists(m, e, i, &entity, &key, lists);
            for (int l = 0; rc == SQLITE_OK && l < nl; l++)
                for (int j = 0; rc == SQLITE_OK && j < lists[l].list->n; j++) {
                    sqlite3_bind_int64(st, 1, id);
                    bind_text(st, 2, entity);
                    bind_text(st, 3, key);
                    bind_text(st, 4, lists[l].field);
                    bind_text(st, 5, lists[l].list->v[j]);
                    rc = out_history_step_done(st);
                }
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* The settings rows are the snapshot's own (outputs/snapshot.c), so that
 * the table and the report name them alike. */
static int insert_settings(sqlite3 *db, const md_model *m, sqlite3_int64 id)
{
    out_snap s = { NULL, 0, 0 };
    md_arena a;
    md_arena_init(&a);
    int rc = out_snap_settings(&s, m, &a) ? SQLITE_NOMEM : SQLITE_OK;
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "INSERT INTO run_settings VALUES(?,?,?,?)", -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < s.n; i++) {
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, s.rows[i].key);
        bind_text(st, 3, s.rows[i].field);
        bind_val(st, 4, &s.rows[i].v);
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    out_snap_free(&s);
    md_arena_free(&a);
    return rc;
}

/* Closes tx's connection and frees tx; a file this run created and did not
 * commit to goes, with its journal, so that the folder is as it was. */
/* Which run keeps the inputs of run id: an earlier run with the same input
 * digest whose rows are kept, else id itself (the caller then inserts
 * them). Sets runs.inputs_run. */
static int inputs_kept_by(sqlite3 *db, const md_model *m, sqlite3_int64 id, sqlite3_int64 *kept)
{
    sqlite3_stmt *st = NULL;
    *kept = id;
    int rc = sqlite3_prepare_v2(db, "SELECT inputs_run FROM runs WHERE input_digest = ?1 AND id < ?2"
                                " AND inputs_run IS NOT NULL ORDER BY id DESC LIMIT 1", -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(st, 1, m->input_digest, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *kept = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
    rc = sqlite3_prepare_v2(db, "UPDATE runs SET inputs_run = ?1 WHERE id = ?2", -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_int64(st, 1, *kept);
    sqlite3_bind_int64(st, 2, id);
    rc = out_history_step_done(st);
    sqlite3_finalize(st);
    return rc;
}

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
    sqlite3_int64 kept = 0;
    if (rc == SQLITE_OK) rc = inputs_kept_by(tx->db, cx->m, id, &kept);
    if (rc == SQLITE_OK && kept == id) rc = insert_entities(tx->db, cx->m, id);
    if (rc == SQLITE_OK && kept == id) rc = insert_settings(tx->db, cx->m, id);
    if (rc == SQLITE_OK && kept == id) rc = insert_lists(tx->db, cx->m, id);
    if (rc == SQLITE_OK) rc = out_history_insert_topics(tx->db, cx->m, kept);
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
