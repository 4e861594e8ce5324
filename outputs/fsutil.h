/* outputs/fsutil.h — small filesystem helpers private to the outputs layer
 * (stage.c, lock.c, the writers). Ownership: functions borrow their arguments. */
#ifndef OUT_FSUTIL_H
#define OUT_FSUTIL_H

/* mkdir -p: creates path and its missing parents (mode 0777 & ~umask).
 * Returns 0, or -1 with errno set (ENOTDIR when a component is a file). */
int out_mkdirs(const char *path);

/* "dir/name" in a new malloc'ed string; NULL when out of memory. */
char *out_path_join(const char *dir, const char *name);

/* SPEC exit code for a failed create/open: 74 for errors that mean "the
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

/* The SPEC exit code of the stage's most recent failure (73, 74 or 70),
 * for a writer whose out_stage_open() returned NULL; 73 when none. */
struct out_stage;
int out_stage_errcode(const struct out_stage *st);

#endif
