/* inputs/readers.h — the two source readers behind in_load(). Internal to
 * inputs/. Ownership: strings kept go into m's arena; files and database
 * handles are closed before returning. */
#ifndef IN_READERS_H
#define IN_READERS_H
#include "../models/model.h"

/* Largest input database read (1 GiB): the whole file is hashed for the
 * input digest and its rows all go into memory. */
#define IN_SQLITE_MAX_BYTES (1ull << 30)

/* Reads one SQLite database (opened read-only, one read transaction) and
 * adds every row of the input tables it holds to m (docs/formats.md,
 * SQLite inputs). `name` is the path as it
 * is shown in messages. Returns 0, or the worst exit code reported
 * (65 bad data / corrupt / not a database, 66 missing or unreadable). */
int in_sqlite_read(const char *path, const char *name, md_model *m, md_diag *d);

#endif
