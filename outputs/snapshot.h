/* outputs/snapshot.h — a run's inputs as flat rows (entity, key, field,
 * value), the shape of results.db's run_inputs view (docs/formats.md,
 * results.db): the current model's rows are built here, the previous run's
 * are read back from results.db, and out_snap_diff() compares the two the
 * way the input_changes view does.
 * Ownership: an out_snap owns its rows; their strings live in the arena the
 * caller passes (which must outlive the snapshot). */
#ifndef OUT_SNAPSHOT_H
#define OUT_SNAPSHOT_H
#include "../models/model.h"

enum { OUT_V_NULL, OUT_V_NUM, OUT_V_TEXT };

typedef struct out_val { int type; double num; const char *text; } out_val;

typedef struct out_snap_row {
    const char *entity, *key, *field;  /* "donor", "euro-africa", "budget" */
    out_val v;
    /* what the row touches, for tying plan changes to it; NULL: nothing */
    const char *country, *course, *donor;
} out_snap_row;

typedef struct out_snap { out_snap_row *rows; int n, cap; } out_snap;

/* One input change, as in the input_changes view: kind "added" or
 * "removed" (field NULL, values null) or "changed" (old → new). */
typedef struct out_snap_change {
    const char *kind, *entity, *key, *field;
    out_val old, now;
    const char *country, *course, *donor;
} out_snap_change;

/* Appends the rows of every input of m (validated) to s, strings in a.
 * Returns 0, or -1 when out of memory. */
int out_snap_build(out_snap *s, const md_model *m, md_arena *a);
/* Only the settings rows (entity "setting", key the section: scenario,
 * policy or solver; field the setting's name). */
int out_snap_settings(out_snap *s, const md_model *m, md_arena *a);
/* The lists of entity i of kind e (0 country, 1 donor, 2 course) that
 * are given (present and not empty), in field-name order: fills entity,
 * key and up to OUT_SNAP_MAXLISTS (field, list) pairs; returns how many. */
enum { OUT_SNAP_MAXLISTS = 7 };
typedef struct out_snap_list { const char *field; const md_strlist *list; } out_snap_list;
int out_snap_lists(const md_model *m, int e, int i, const char **entity, const char **key,
                   out_snap_list *out);
/* Sorts s by (entity, key, field) (strcmp, the order SQLite's BINARY
 * collation gives). 0, or -1 when out of memory (s unchanged). */
int out_snap_sort(out_snap *s);
/* Compares two sorted snapshots: entities only in b are "added", only in a
 * "removed", fields of entities in both with different values "changed"
 * (numbers compare as numbers, text as bytes, null equals only null).
 * *out is malloc'ed (caller frees), ordered by entity, key and field (an
 * added or removed entity first), as the view orders them. Returns the
 * count, or -1 when out of memory. */
int out_snap_diff(const out_snap *a, const out_snap *b, out_snap_change **out);
void out_snap_free(out_snap *s);

/* The value as the reports print it: numbers through out_fmt_number, null
 * as "none". buf >= 64 bytes. */
const char *out_val_text(char *buf, const out_val *v);

#endif
