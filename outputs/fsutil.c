/* outputs/fsutil.c — mkdir -p, errno → exit code, directory fsync. */
#include "fsutil.h"
#include "../models/diag.h"
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdir_one(const char *path)
{
    if (mkdir(path, 0777) == 0) return 0;
    int err = errno;
    struct stat sb;
    if (err == EEXIST) {
        /* stat follows symlinks: a link to a folder is a folder */
        if (stat(path, &sb) != 0) return -1;
        if (S_ISDIR(sb.st_mode)) return 0;
        errno = ENOTDIR;
        return -1;
    }
    errno = err;
    return -1;
}

int out_mkdirs(const char *path)
{
    if (!path || !*path) { errno = ENOENT; return -1; }
    size_t n = strlen(path);
    char *buf = malloc(n + 1);
    if (!buf) { errno = ENOMEM; return -1; }
    memcpy(buf, path, n + 1);
    while (n > 1 && buf[n - 1] == '/') buf[--n] = '\0';
    int rc = 0;
    /* each prefix ending before a '/', then the whole path */
    for (size_t i = 1; i <= n && rc == 0; i++) {
        if (i < n && buf[i] != '/') continue;
        if (i < n && buf[i - 1] == '/') continue; /* "a//b" */
        char save = buf[i];
        buf[i] = '\0';
        rc = mkdir_one(buf);
        buf[i] = save;
    }
    int err = errno;
    free(buf);
    errno = err;
    return rc;
}

int out_create_errcode(int err)
{
    switch (err) {
    case ENOSPC: case EIO: case EFBIG:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return MD_EX_IOERR;
    default:
        return MD_EX_CANTCREAT;
    }
}

int out_fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    int err = errno;
    if (rc != 0 && (err == EINVAL || err == ENOTSUP)) rc = 0;
    if (close(fd) != 0 && rc == 0) { rc = -1; err = errno; }
    errno = err;
    return rc;
}

/* ".X.tmp.123" or ".X.bak.123", not made by this process */
static int is_stale_temp(const char *name)
{
    if (name[0] != '.') return 0;
    const char *dot = strrchr(name, '.');
    if (!dot || dot - name < 5 || !dot[1] || strspn(dot + 1, "0123456789") != strlen(dot + 1))
        return 0;
    if (strncmp(dot - 4, ".tmp", 4) != 0 && strncmp(dot - 4, ".bak", 4) != 0) return 0;
    return strtol(dot + 1, NULL, 10) != (long)getpid();
}

static void remove_stale_in(const char *dir, int depth)
{
    DIR *dh = opendir(dir);
    if (!dh) return;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(n);
        if (!path) break;
        snprintf(path, n, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(path, &sb) == 0) {
            if (S_ISREG(sb.st_mode) && is_stale_temp(e->d_name)) unlink(path);
            else if (S_ISDIR(sb.st_mode) && depth > 0) remove_stale_in(path, depth - 1);
        }
        free(path);
    }
    closedir(dh);
}

void out_remove_stale(const char *dir)
{
    if (dir) remove_stale_in(dir, 1);
}

char *out_path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p) return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}
