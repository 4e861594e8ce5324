/* outputs/fsutil.h — small filesystem helpers private to the outputs layer
 * (stage.c, lock.c, the writers). Ownership: functions borrow their arguments. */
#ifndef OUT_FSUTIL_H
#define OUT_FSUTIL_H

/* mkdir -p: creates path and its missing parents (mode 0777 & ~umask).
 * Returns 0, or -1 with errno set (ENOTDIR when a component is a file). */
int out_mkdirs(const char *path);

/* "dir/name" in a new malloc'ed string; NULL when out of memory. */
char *out_path_join(const char *dir, const char *name);

/* Exit code for a failed create/open: 74 for errors that mean "the
 * device failed or is full" (ENOSPC, EDQUOT, EIO, EFBIG), else 73. */
int out_create_errcode(int err);

/* fsync a directory so that renames and new entries in it are durable.
 * Returns 0, or -1 with errno set; filesystems that cannot fsync a
 * directory (EINVAL) count as success. */
int out_fsync_dir(const char *path);

/* Removes the temporaries (".NAME.tmp.PID", ".NAME.bak.PID") that runs
 * killed during out_write() left in dir and its direct subfolders. Only
 * for a caller holding dir's run lock (out_lock), since a live run's
 * temporaries look the same. Best effort: errors are ignored. */
void out_remove_stale(const char *dir);

/* The exit code of the stage's most recent failure (73, 74 or 70),
 * for a writer whose out_stage_open() returned NULL; 73 when none. */
struct out_stage;
int out_stage_errcode(const struct out_stage *st);

/* out_stage_commit() in two steps, for a caller with a last step of its own
 * (the history commit) that must succeed before the new set is kept:
 *   out_stage_install(st)  closes every temporary durably and renames them
 *                          all into place, keeping the previous files aside;
 *                          0, or 73/74 with nothing visible changed.
 *   out_stage_finish(st, 1) keeps the new set: drops the previous files,
 *                          removes stale pages (out_stage_replace) and syncs
 *                          the folders.
 *   out_stage_finish(st, 0) undoes the install: the previous files return.
 * finish returns 0 or 74 after reporting; out_stage_free() undoes an install
 * that was not finished. */
int out_stage_install(struct out_stage *st);
int out_stage_finish(struct out_stage *st, int keep);

/* Declares that the files of dir/folder whose names end in suffix (".md")
 * are replaced as a whole: after out_stage_finish(st, 1) those the set did
 * not write are removed (regular files only; dot files never). Returns 0,
 * or 70 when out of memory (reported). */
int out_stage_replace(struct out_stage *st, const char *folder, const char *suffix);

#endif
