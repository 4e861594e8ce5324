/* outputs/history_int.h — shared by the results.db writer (history.c) and its
 * dimension views (history_dims.c); not for other layers. */
#ifndef OUT_HISTORY_INT_H
#define OUT_HISTORY_INT_H
#include "history.h"
#include <sqlite3.h>

/* The schema 3 → 4 migration: run_topics (filled for older runs from the
 * topic ids they name) and the dimension views. */
extern const char out_history_dims_sql[];
/* Upserts every topic of m under run kept; an SQLite result code. */
int out_history_insert_topics(sqlite3 *db, const md_model *m, sqlite3_int64 kept);

/* sqlite3_step for a statement that returns no row, then reset and unbind:
 * SQLITE_OK when it ran (inline: both writers' files use it, neither owns it). */
static inline int out_history_step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

#endif
