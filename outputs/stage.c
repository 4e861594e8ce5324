/* outputs/stage.c — a set of output files replaced together (docs/formats.md,
 * How outputs are replaced): each file is written to a temporary ".NAME.tmp.PID" in
 * its target's folder; commit makes every temporary durable before renaming
 * any, so a failure up to that point leaves the previous outputs untouched.
 * A rename failing half-way is rolled back from hard links (".NAME.bak.PID")
 * to the previous files, taken just before the renames; the same links let
 * a caller undo a complete install when a later step (the history commit)
 * fails. Folders declared with out_stage_replace() are replaced as a whole:
 * their pages that the new set does not write are listed before the renames
 * and moved aside (to ".NAME.bak.PID") right after them, in the same burst,
 * so that no moment shows one set's files next to another set's pages; an
 * undo moves them back, a kept install deletes them. */
#include "writers.h"
#include "fsutil.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct out_file {
    char *rel;      /* as given to out_stage_open */
    char *target;   /* dir/rel */
    char *tmp;      /* dir/sub/.base.tmp.PID */
    char *folder;   /* the folder holding target and tmp */
    char *base;     /* target's last component */
    char *bak;      /* dir/sub/.base.bak.PID: the previous file during commit */
    int prev;       /* during commit: 1 kept at bak, 0 none existed, -1 unknown */
    int renamed;    /* tmp renamed over target, not yet kept or undone */
    FILE *f;        /* open until commit closes it */
} out_file;

/* A folder (relative to dir) whose files ending in suffix belong to the
 * set as a whole: those the set did not write are stale after a commit. */
typedef struct out_managed {
    char *folder;
    char *suffix;
} out_managed;

/* A page of a managed folder that the new set does not write. */
typedef struct out_gone {
    char *path;     /* dir/folder/NAME */
    char *aside;    /* dir/folder/.NAME.bak.PID while the install is undoable */
    int moved;      /* path renamed to aside */
} out_gone;

struct out_stage {
    char *dir;
    md_diag *d;
    out_file *v;
    int n, cap;
    out_managed *mg;
    int nmg, capmg;
    out_gone *gone;
    int ngone, capgone;
    char **made;    /* folders out_stage_open() created, parents first */
    int nmade, capmade;
    int installed;  /* out_stage_install() renamed every file; finish pending */
    int kept;       /* out_stage_finish(st, 1) ran: the made folders stay */
    int errcode;    /* of the last failure, 0 if none */
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

/* md_fail() that also remembers the code for out_stage_errcode(). */
static void stage_fail(out_stage *st, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void stage_fail(out_stage *st, int code, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    char *msg = small;
    if (n >= (int)sizeof small && (msg = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    md_fail(st->d, code, "%s", msg ? msg : small);
    if (msg != small) free(msg);
    st->errcode = code;
}

int out_stage_errcode(const out_stage *st)
{
    return st && st->errcode ? st->errcode : MD_EX_CANTCREAT;
}

out_stage *out_stage_new(const char *dir, md_diag *d)
{
    out_stage *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->dir = dup_str(dir ? dir : ".");
    st->d = d;
    if (!st->dir) {
        free(st);
        return NULL;
    }
    return st;
}

/* A relative path made of plain names: no "", ".", ".." or leading '/'. */
static int safe_relpath(const char *rel)
{
    if (!rel || !*rel || rel[0] == '/') return 0;
    const char *p = rel;
    while (*p) {
        const char *q = strchr(p, '/');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        if (!q) break;
        p = q + 1;
        if (!*p) return 0; /* trailing '/' */
    }
    return 1;
}

/* "FOLDER/.BASE.KIND.PID", the name of a temporary next to fl's target. */
static char *sibling(const out_file *fl, const char *kind)
{
    size_t n = strlen(fl->folder) + strlen(fl->base) + strlen(kind) + 32;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/.%s.%s.%ld", fl->folder, fl->base, kind, (long)getpid());
    return p;
}

static void file_release(out_file *fl)
{
    free(fl->rel);
    free(fl->target);
    free(fl->tmp);
    free(fl->folder);
    free(fl->base);
    free(fl->bak);
    memset(fl, 0, sizeof *fl);
}

/* Records the folders on the way to folder (below st->dir) that do not
 * exist yet, so that a set that is not kept can remove them again. 0, or -1
 * when out of memory. */
static int note_new_folders(out_stage *st, const char *folder)
{
    size_t top = strlen(st->dir);
    char *buf = dup_str(folder);
    if (!buf) return -1;
    for (size_t i = top + 1, n = strlen(buf); i <= n; i++) {
        if (i < n && buf[i] != '/') continue;
        char save = buf[i];
        buf[i] = '\0';
        struct stat sb;
        int seen = 0;
        for (int j = 0; j < st->nmade && !seen; j++) seen = strcmp(st->made[j], buf) == 0;
        if (!seen && lstat(buf, &sb) != 0 && errno == ENOENT) {
            char **slot = md_vec_push((void **)&st->made, &st->nmade, &st->capmade, sizeof *slot);
            if (!slot || !(*slot = dup_str(buf))) {
                if (slot) st->nmade--;
                free(buf);
                return -1;
            }
        }
        buf[i] = save;
    }
    free(buf);
    return 0;
}

FILE *out_stage_open(out_stage *st, const char *relpath)
{
    if (!st) return NULL;
    if (!safe_relpath(relpath)) {
        stage_fail(st, MD_EX_CANTCREAT, "%s/%s: not a safe output file name",
                st->dir, relpath ? relpath : "(null)");
        return NULL;
    }
    for (int i = 0; i < st->n; i++)
        if (strcmp(st->v[i].rel, relpath) == 0) {
            stage_fail(st, MD_EX_SOFTWARE, "%s/%s: output staged twice", st->dir, relpath);
            return NULL;
        }
    if (st->n == st->cap) {
        int cap = st->cap ? 2 * st->cap : 8;
        out_file *v = realloc(st->v, (size_t)cap * sizeof *v);
        if (!v) goto nomem;
        st->v = v;
        st->cap = cap;
    }
    out_file *fl = &st->v[st->n];
    memset(fl, 0, sizeof *fl);
    fl->rel = dup_str(relpath);
    fl->target = out_path_join(st->dir, relpath);
    if (!fl->rel || !fl->target) goto nomem_fl;
    const char *slash = strrchr(fl->target, '/'); /* out_path_join() put one there */
    size_t nfold = (size_t)(slash - fl->target);
    fl->folder = malloc(nfold + 1);
    if (!fl->folder) goto nomem_fl;
    memcpy(fl->folder, fl->target, nfold);
    fl->folder[nfold] = '\0';
    fl->base = dup_str(slash + 1);
    if (!fl->base || !(fl->tmp = sibling(fl, "tmp"))) goto nomem_fl;
    if (note_new_folders(st, fl->folder) != 0) goto nomem_fl;
    if (out_mkdirs(fl->folder) != 0) {
        int err = errno;
        stage_fail(st, out_create_errcode(err), "cannot create folder %s: %s",
                fl->folder, strerror(err));
        file_release(fl);
        return NULL;
    }
    /* The run lock keeps other capmatch runs out, so a temporary of this
     * name can only be a crashed run's leftover: truncate it. O_NOFOLLOW
     * refuses a planted symlink. */
    int fd = open(fl->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) {
        int err = errno;
        stage_fail(st, out_create_errcode(err), "cannot create %s: %s", fl->tmp, strerror(err));
        file_release(fl);
        return NULL;
    }
    fl->f = fdopen(fd, "w");
    if (!fl->f) {
        int err = errno;
        close(fd);
        unlink(fl->tmp);
        stage_fail(st, MD_EX_CANTCREAT, "cannot open %s: %s", fl->tmp, strerror(err));
        file_release(fl);
        return NULL;
    }
    st->n++;
    return fl->f;

nomem_fl:
    file_release(fl);
nomem:
    stage_fail(st, MD_EX_SOFTWARE, "out of memory staging %s/%s", st->dir, relpath);
    return NULL;
}

/* fflush + ferror + fsync + fclose, each checked; reports and returns 74. */
static int close_durable(out_stage *st, out_file *fl)
{
    int err = 0;
    if (fflush(fl->f) != 0) err = errno;
    else if (ferror(fl->f)) err = EIO; /* an earlier write failed; errno is gone */
    else if (fsync(fileno(fl->f)) != 0) err = errno;
    if (fclose(fl->f) != 0 && !err) err = errno;
    fl->f = NULL;
    if (!err) return 0;
    stage_fail(st, MD_EX_IOERR, "cannot write %s: %s", fl->target, strerror(err));
    return MD_EX_IOERR;
}

/* Hard-links fl's current target to fl->bak, so that a rename failing
 * later in the set can put it back. Filesystems without hard links just
 * lose that safety net (prev = -1). */
static void keep_previous(out_file *fl)
{
    fl->prev = -1;
    fl->bak = sibling(fl, "bak");
    if (!fl->bak) return;
    int rc = link(fl->target, fl->bak);
    if (rc != 0 && errno == EEXIST) { /* a crashed run's leftover */
        unlink(fl->bak);
        rc = link(fl->target, fl->bak);
    }
    if (rc == 0) {
        fl->prev = 1;
        return;
    }
    if (errno == ENOENT) fl->prev = 0;
    free(fl->bak);
    fl->bak = NULL;
}

/* Undoes the renames done so far. Returns 1 when every previous file is
 * back (or, where there was none, the new one removed). */
static int roll_back(out_stage *st)
{
    int ok = 1;
    for (int i = 0; i < st->n; i++) {
        out_file *fl = &st->v[i];
        if (!fl->renamed) continue;
        fl->renamed = 0;
        if (fl->prev == 1 && rename(fl->bak, fl->target) == 0) {
            free(fl->bak);
            fl->bak = NULL;
        } else if (!(fl->prev == 0 && unlink(fl->target) == 0)) {
            ok = 0;
        }
    }
    for (int i = 0; i < st->ngone; i++) {
        out_gone *g = &st->gone[i];
        if (g->moved && rename(g->aside, g->path) != 0) ok = 0;
        g->moved = 0;
    }
    return ok;
}

int out_stage_replace(out_stage *st, const char *folder, const char *suffix)
{
    if (!st || !safe_relpath(folder) || !suffix || !*suffix) return MD_EX_SOFTWARE;
    out_managed *mg = md_vec_push((void **)&st->mg, &st->nmg, &st->capmg, sizeof *mg);
    if (!mg || !(mg->folder = dup_str(folder)) || !(mg->suffix = dup_str(suffix))) {
        if (mg) { free(mg->folder); st->nmg--; }
        stage_fail(st, MD_EX_SOFTWARE, "out of memory staging %s/%s", st->dir, folder);
        return MD_EX_SOFTWARE;
    }
    return 0;
}

/* 1 when name is a page of mg that the set did not write: a plain name
 * ending in mg's suffix (never a dot file: temporaries and users' hidden
 * files stay) and not staged. */
static int is_stale_page(const out_stage *st, const out_managed *mg, const char *name)
{
    size_t n = strlen(name), k = strlen(mg->suffix), f = strlen(mg->folder);
    if (name[0] == '.' || n <= k || strcmp(name + n - k, mg->suffix) != 0) return 0;
    for (int i = 0; i < st->n; i++) {
        const char *rel = st->v[i].rel;
        if (strncmp(rel, mg->folder, f) == 0 && rel[f] == '/' && strcmp(rel + f + 1, name) == 0)
            return 0;
    }
    return 1;
}

/* Lists the stale pages of every managed folder (regular files only) in
 * st->gone. 0, or 70 when out of memory (reported). */
static int list_stale_pages(out_stage *st)
{
    int rc = 0;
    for (int m = 0; m < st->nmg && !rc; m++) {
        const out_managed *mg = &st->mg[m];
        char *folder = out_path_join(st->dir, mg->folder);
        DIR *dh = folder ? opendir(folder) : NULL; /* none yet: nothing stale */
        struct dirent *e;
        if (!folder) rc = MD_EX_SOFTWARE;
        while (!rc && dh && (e = readdir(dh)) != NULL) {
            if (!is_stale_page(st, mg, e->d_name)) continue;
            char *path = out_path_join(folder, e->d_name);
            struct stat sb;
            if (path && lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
                free(path);
                continue;
            }
            size_t n = strlen(folder) + strlen(e->d_name) + 32;
            char *aside = malloc(n);
            out_gone *g = path && aside
                ? md_vec_push((void **)&st->gone, &st->ngone, &st->capgone, sizeof *g) : NULL;
            if (!g) {
                free(path);
                free(aside);
                rc = MD_EX_SOFTWARE;
                break;
            }
            snprintf(aside, n, "%s/.%s.bak.%ld", folder, e->d_name, (long)getpid());
            g->path = path;
            g->aside = aside;
            g->moved = 0;
        }
        if (dh) closedir(dh);
        free(folder);
    }
    if (rc) stage_fail(st, rc, "out of memory listing the report pages in %s", st->dir);
    return rc;
}

/* Moves the stale pages aside, right after the renames. 0, or 74 after
 * reporting the page that could not be moved. */
static int move_stale_aside(out_stage *st)
{
    for (int i = 0; i < st->ngone; i++) {
        out_gone *g = &st->gone[i];
        if (rename(g->path, g->aside) == 0) {
            g->moved = 1;
        } else if (errno != ENOENT) {
            int err = errno;
            stage_fail(st, MD_EX_IOERR, "cannot remove the outdated report page %s: %s",
                       g->path, strerror(err));
            return MD_EX_IOERR;
        }
    }
    return 0;
}

int out_stage_install(out_stage *st)
{
    if (!st) return MD_EX_SOFTWARE;
    int rc = 0;
    for (int i = 0; i < st->n && !rc; i++) rc = close_durable(st, &st->v[i]);
    /* rename() over a folder fails half-way through the set: refuse first */
    for (int i = 0; i < st->n && !rc; i++) {
        struct stat sb;
        if (lstat(st->v[i].target, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            stage_fail(st, MD_EX_CANTCREAT, "cannot replace %s: it is a folder",
                    st->v[i].target);
            rc = MD_EX_CANTCREAT;
        }
    }
    if (!rc) rc = list_stale_pages(st); /* before the renames: keeps their burst short */
    if (rc) {
        out_stage_abort(st);
        return rc;
    }
    for (int i = 0; i < st->n; i++) keep_previous(&st->v[i]);
    int failed = -1;
    for (int i = 0; i < st->n && failed < 0; i++) {
        out_file *fl = &st->v[i];
        if (rename(fl->tmp, fl->target) == 0) {
            free(fl->tmp);
            fl->tmp = NULL; /* renamed: nothing left to abort */
            fl->renamed = 1;
            continue;
        }
        int err = errno;
        stage_fail(st, MD_EX_IOERR, "cannot rename %s to %s: %s", fl->tmp, fl->target,
                   strerror(err));
        rc = MD_EX_IOERR;
        failed = i;
    }
    st->installed = 1;
    if (failed < 0 && (rc = move_stale_aside(st)) != 0) failed = st->n;
    if (failed >= 0) {
        if (!roll_back(st))
            stage_fail(st, MD_EX_IOERR, "the previous outputs in %s could not all be restored",
                       st->dir);
        (void)out_stage_finish(st, 0); /* the rename failure is the error reported */
    }
    return rc;
}

int out_stage_finish(out_stage *st, int keep)
{
    if (!st || !st->installed) return 0;
    st->installed = 0;
    int rc = 0;
    if (!keep && !roll_back(st)) {
        stage_fail(st, MD_EX_IOERR, "the previous outputs in %s could not all be restored",
                   st->dir);
        rc = MD_EX_IOERR;
    }
    for (int i = 0; i < st->n; i++) {
        out_file *fl = &st->v[i];
        fl->renamed = 0;
        if (fl->bak) unlink(fl->bak);
        free(fl->bak);
        fl->bak = NULL;
    }
    for (int i = 0; i < st->ngone; i++) {
        out_gone *g = &st->gone[i];
        if (g->moved) unlink(g->aside); /* kept: the outdated page goes for good */
        free(g->path);
        free(g->aside);
    }
    st->ngone = 0;
    out_stage_abort(st); /* the temporaries not renamed */
    if (keep) st->kept = 1;
    /* make the renames durable: every distinct folder, and the top folder
     * whose entries for new subfolders changed too */
    for (int i = 0; i <= st->n; i++) {
        const char *folder = i < st->n ? st->v[i].folder : st->dir;
        int seen = 0;
        for (int j = 0; j < i && !seen; j++) seen = strcmp(st->v[j].folder, folder) == 0;
        if (seen) continue;
        if (out_fsync_dir(folder) != 0) {
            int err = errno;
            stage_fail(st, MD_EX_IOERR, "cannot sync folder %s: %s", folder, strerror(err));
            if (!rc) rc = MD_EX_IOERR;
        }
    }
    return rc;
}

int out_stage_commit(out_stage *st)
{
    if (!st) return MD_EX_SOFTWARE;
    int rc = out_stage_install(st);
    return rc ? rc : out_stage_finish(st, 1);
}

void out_stage_abort(out_stage *st)
{
    if (!st) return;
    for (int i = 0; i < st->n; i++) {
        out_file *fl = &st->v[i];
        if (fl->f) {
            fclose(fl->f); /* the data is being thrown away: errors do not matter */
            fl->f = NULL;
        }
        if (fl->tmp) {
            unlink(fl->tmp);
            free(fl->tmp);
            fl->tmp = NULL;
        }
    }
}

void out_stage_free(out_stage *st)
{
    if (!st) return;
    out_stage_finish(st, 0); /* an install nobody kept is undone */
    out_stage_abort(st);
    /* a set not kept leaves no new folders either (rmdir keeps non-empty ones) */
    for (int i = st->nmade - 1; i >= 0; i--) {
        if (!st->kept) rmdir(st->made[i]);
        free(st->made[i]);
    }
    free(st->made);
    for (int i = 0; i < st->n; i++) file_release(&st->v[i]);
    free(st->v);
    for (int i = 0; i < st->nmg; i++) {
        free(st->mg[i].folder);
        free(st->mg[i].suffix);
    }
    free(st->mg);
    for (int i = 0; i < st->ngone; i++) {
        free(st->gone[i].path);
        free(st->gone[i].aside);
    }
    free(st->gone);
    free(st->dir);
    free(st);
}
