/* tests/fault_shim.c — LD_PRELOAD shim that makes chosen system calls fail,
 * so the tests can check that a failing disk leaves old outputs untouched.
 * CAPMATCH_FAIL=fsync|rename|open  (one name)
 * CAPMATCH_FAIL_MATCH=substring of the path (rename: the target; fsync: the
 * file the descriptor is open on) that fails; without it every call fails.
 * fsync covers fdatasync (SQLite's commit uses it). errno is EIO for fsync
 * and rename, ENOENT for open (a file that vanished between listing and
 * reading). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fsync(int fd);
int fdatasync(int fd);
int rename(const char *from, const char *to);
int open(const char *path, int flags, ...);

static int armed(const char *call, const char *path)
{
    const char *f = getenv("CAPMATCH_FAIL");
    if (!f || strcmp(f, call) != 0) return 0;
    const char *m = getenv("CAPMATCH_FAIL_MATCH");
    return !m || (path && strstr(path, m));
}

/* The path fd is open on, for CAPMATCH_FAIL_MATCH; NULL when unknown. */
static const char *fd_path(int fd, char *buf, size_t n)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t k = readlink(link, buf, n - 1);
    if (k < 0) return NULL;
    buf[k] = '\0';
    return buf;
}

static int sync_armed(int fd)
{
    char buf[4096];
    return armed("fsync", getenv("CAPMATCH_FAIL_MATCH") ? fd_path(fd, buf, sizeof buf) : NULL);
}

int fsync(int fd)
{
    static int (*real)(int);
    if (sync_armed(fd)) { errno = EIO; return -1; }
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    return real(fd);
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (sync_armed(fd)) { errno = EIO; return -1; }
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    return real(fd);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (armed("rename", to)) { errno = EIO; return -1; }
    if (!real) real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    return real(from, to);
}

int open(const char *path, int flags, ...)
{
    static int (*real)(const char *, int, ...);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    if (armed("open", path)) { errno = ENOENT; return -1; }
    if (!real) real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    return real(path, flags, mode);
}
