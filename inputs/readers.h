/* inputs/readers.h — the two source readers behind in_load(). Internal to
 * inputs/. Ownership: strings kept go into m's arena; files and database
 * handles are closed before returning. */
#ifndef IN_READERS_H
#define IN_READERS_H
#include "../models/model.h"

/* Reads one SQLite database (opened read-only, one read transaction) and
 * adds every row of the SPEC tables it holds to m. `name` is the path as it
 * is shown in messages. Returns 0, or the worst SPEC exit code reported
 * (65 bad data / corrupt / not a database, 66 missing or unreadable). */
int in_sqlite_read(const char *path, const char *name, md_model *m, md_diag *d);

#endif
