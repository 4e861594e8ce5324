/* outputs/lock.c — one run per output directory: flock() on DIR/.capmatch.lock.
 * The kernel drops the lock when its holder dies, so a lock is never stale;
 * the file's content ("PID START") only serves the message a second run
 * prints, and is emptied again on unlock, so that a run leaves the lock
 * file as it found it (a failed run changes no byte in the directory). The
 * file is never removed: unlinking a lock file races with a run that has
 * just opened it. */
#include "outputs.h"
#include "fsutil.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define LOCK_NAME ".capmatch.lock"

/* Parses the holder's "PID START" line, read into buf (>= 2 bytes), into
 * *pid and *start, which point into buf or at "?" when unknown. */
static void read_holder(int fd, char *buf, size_t nbuf, const char **pid, const char **start)
{
    *pid = *start = "?";
    ssize_t n = pread(fd, buf, nbuf - 1, 0);
    if (n <= 0) return;
    buf[n] = '\0';
    char *nl = strchr(buf, '\n');
    if (nl) *nl = '\0';
    char *sp = strchr(buf, ' ');
    if (!sp) return;
    *sp = '\0';
    /* print only what looks like what we write, never arbitrary bytes */
    if (buf[0] && strspn(buf, "0123456789") == strlen(buf)) *pid = buf;
    if (sp[1] && strspn(sp + 1, "0123456789-T:Z") == strlen(sp + 1)) *start = sp + 1;
}

int out_lock(const char *dir, int *fd, md_diag *d)
{
    *fd = -1;
    if (out_mkdirs(dir) != 0) {
        int err = errno;
        md_fail(d, MD_EX_CANTCREAT, "cannot create output folder %s: %s", dir, strerror(err));
        return MD_EX_CANTCREAT;
    }
    size_t n = strlen(dir);
    char *path = malloc(n + sizeof LOCK_NAME + 1);
    if (!path) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory locking %s", dir);
        return MD_EX_SOFTWARE;
    }
    snprintf(path, n + sizeof LOCK_NAME + 1, "%s/%s", dir, LOCK_NAME);
    int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (f < 0) {
        int err = errno;
        md_fail(d, MD_EX_CANTCREAT, "cannot create lock file %s: %s", path, strerror(err));
        free(path);
        return MD_EX_CANTCREAT;
    }
    int rc;
    while ((rc = flock(f, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR) {}
    if (rc != 0) {
        int err = errno;
        if (err == EWOULDBLOCK) {
            char buf[96];
            const char *pid, *start;
            read_holder(f, buf, sizeof buf, &pid, &start);
            md_fail(d, MD_EX_TEMPFAIL, "another run (pid %s, started %s) holds %s", pid, start, dir);
            rc = MD_EX_TEMPFAIL;
        } else {
            md_fail(d, MD_EX_CANTCREAT, "cannot lock %s: %s", path, strerror(err));
            rc = MD_EX_CANTCREAT;
        }
        close(f);
        free(path);
        return rc;
    }
    char line[80], when[32] = "?";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm)) strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int len = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(), when);
    if (ftruncate(f, 0) != 0 || pwrite(f, line, (size_t)len, 0) != (ssize_t)len) {
        int err = errno;
        md_fail(d, MD_EX_IOERR, "cannot write lock file %s: %s", path, strerror(err));
        close(f);
        free(path);
        return MD_EX_IOERR;
    }
    free(path);
    *fd = f;
    return 0;
}

void out_unlock(int fd)
{
    if (fd < 0) return;
    /* still holding the lock: no other run can be writing its line */
    if (ftruncate(fd, 0) != 0) { /* only the holder message is stale; nothing to report */ }
    close(fd); /* closing the last descriptor releases the flock */
}
