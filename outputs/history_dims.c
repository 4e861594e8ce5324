/* outputs/history_dims.c — results.db's dimension views (schema 4): each
 * run's donors, countries, topics, courses, course topics and rates, resolved
 * through runs.inputs_run to the input rows kept once per digest, with the
 * column names the plan tables use (donor, country, course, topic), so that
 * `allocations JOIN countries USING(run_id, country)` gives names without
 * the YAML. Views, not tables: the inputs are already stored, and runs
 * recorded by schema 2 and 3 get their dimensions without a rewrite.
 * The topics themselves were not kept before schema 4: run_topics holds them,
 * and the migration fills it for older runs with the topic ids their needs
 * and lists name (name NULL; a later run on the same inputs fills the names). */
#include "history_int.h"
#include <sqlite3.h>

const char out_history_dims_sql[] =
    "CREATE TABLE run_topics(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " id TEXT NOT NULL, name TEXT, PRIMARY KEY(run_id, id));"
    "INSERT OR IGNORE INTO run_topics(run_id, id, name)"
    " SELECT run_id, topic, NULL FROM run_needs"
    " UNION SELECT run_id, value, NULL FROM run_lists WHERE field = 'topics';"
    /* a list of run_lists as one value, members joined by ", " in key order
     * (read along the primary key, which yields them sorted; the views below
     * ask per entity, which uses that index instead of grouping every list) */
    "CREATE VIEW run_list_values AS"
    " SELECT run_id, entity, key, field, group_concat(value, ', ') AS value"
    " FROM run_lists GROUP BY run_id, entity, key, field;"
    "CREATE VIEW countries AS"
    " SELECT r.id AS run_id, c.code AS country, c.name, c.region, c.income_group,"
    "  (SELECT group_concat(value, ', ') FROM run_lists l WHERE l.run_id = c.run_id"
    "   AND l.entity = 'country' AND l.key = c.code AND l.field = 'languages') AS languages,"
    "  c.trainee_hours, c.max_trainees"
    " FROM runs r JOIN run_countries c ON c.run_id = r.inputs_run;"
    /* the currency as used (the base currency when none is given) and the
     * rate it was converted with (1 for the base currency) */
    "CREATE VIEW donors AS"
    " SELECT r.id AS run_id, d.id AS donor, d.name, coalesce(d.currency, s.value) AS currency,"
    "  CASE WHEN d.currency IS NULL OR d.currency = s.value THEN 1.0 ELSE x.rate END AS rate,"
    "  d.budget, d.budget_base, s.value AS base_currency, d.max_share_per_country"
    " FROM runs r JOIN run_donors d ON d.run_id = r.inputs_run"
    " LEFT JOIN run_settings s ON s.run_id = d.run_id AND s.section = 'scenario' AND s.name = 'currency'"
    " LEFT JOIN run_rates x ON x.run_id = d.run_id AND x.currency = d.currency;"
    "CREATE VIEW topics AS"
    " SELECT r.id AS run_id, t.id AS topic, t.name"
    " FROM runs r JOIN run_topics t ON t.run_id = r.inputs_run;"
    "CREATE VIEW courses AS"
    " SELECT r.id AS run_id, k.id AS course, k.provider, k.title, k.language, k.format,"
    "  (SELECT group_concat(value, ', ') FROM run_lists l WHERE l.run_id = k.run_id"
    "   AND l.entity = 'course' AND l.key = k.id AND l.field = 'topics') AS topics,"
    "  k.cost_per_seat, coalesce(k.currency, s.value) AS currency,"
    "  CASE WHEN k.currency IS NULL OR k.currency = s.value THEN 1.0 ELSE x.rate END AS rate,"
    "  k.cost_base, s.value AS base_currency, k.seats, k.min_seats, k.max_per_country, k.hours,"
    "  k.quality, k.start_date, k.end_date,"
    "  (SELECT group_concat(value, ', ') FROM run_lists l WHERE l.run_id = k.run_id"
    "   AND l.entity = 'course' AND l.key = k.id AND l.field = 'regions') AS regions"
    " FROM runs r JOIN run_courses k ON k.run_id = r.inputs_run"
    " LEFT JOIN run_settings s ON s.run_id = k.run_id AND s.section = 'scenario' AND s.name = 'currency'"
    " LEFT JOIN run_rates x ON x.run_id = k.run_id AND x.currency = k.currency;"
    "CREATE VIEW course_topics AS"
    " SELECT r.id AS run_id, l.key AS course, l.value AS topic"
    " FROM runs r JOIN run_lists l ON l.run_id = r.inputs_run"
    " WHERE l.entity = 'course' AND l.field = 'topics';"
    /* every currency of the run with its rate, the base currency's being 1 */
    "CREATE VIEW rates AS"
    " SELECT r.id AS run_id, x.currency, x.rate FROM runs r JOIN run_rates x ON x.run_id = r.inputs_run"
    " UNION SELECT r.id, s.value, 1.0 FROM runs r JOIN run_settings s ON s.run_id = r.inputs_run"
    "  AND s.section = 'scenario' AND s.name = 'currency' AND s.value IS NOT NULL;";

/* Every topic of the inputs, used or not, under the run that keeps the
 * inputs. Also run when an earlier run keeps them: the same digest means the
 * same topics, and rows the migration filled without names get them. */
int out_history_insert_topics(sqlite3 *db, const md_model *m, sqlite3_int64 kept)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO run_topics(run_id, id, name) VALUES(?,?,?)"
                                " ON CONFLICT(run_id, id) DO UPDATE SET name = coalesce(excluded.name, name)",
                                -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < m->ntopics; i++) {
        const md_topic *t = &m->topics[i];
        if (!t->id) continue;
        sqlite3_bind_int64(st, 1, kept);
        sqlite3_bind_text(st, 2, t->id, -1, SQLITE_STATIC);
        if (t->name) sqlite3_bind_text(st, 3, t->name, -1, SQLITE_STATIC);
        else sqlite3_bind_null(st, 3);
        rc = out_history_step_done(st);
    }
    sqlite3_finalize(st);
    return rc;
}
