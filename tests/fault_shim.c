/* tests/fault_shim.c — LD_PRELOAD shim that makes chosen system calls fail,
 * so the tests can check that a failing disk leaves old outputs untouched.
 * CAPMATCH_FAIL=fsync|rename|open  (one name)
 * CAPMATCH_FAIL_MATCH=substring of the path (rename: the target) that fails;
 * fsync fails on every descriptor. errno is EIO for fsync and rename, ENOENT
 * for open (a file that vanished between listing and reading). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fsync(int fd);
int rename(const char *from, const char *to);
int open(const char *path, int flags, ...);

static int armed(const char *call, const char *path)
{
    const char *f = getenv("CAPMATCH_FAIL");
    if (!f || strcmp(f, call) != 0) return 0;
    const char *m = getenv("CAPMATCH_FAIL_MATCH");
    return !m || (path && strstr(path, m));
}

int fsync(int fd)
{
    static int (*real)(int);
    if (armed("fsync", NULL)) { errno = EIO; return -1; }
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
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
