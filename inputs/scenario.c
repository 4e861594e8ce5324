/* inputs/scenario.c — in_load(): the scenario file, its includes, the input
 * digest, then md_validate().
 *
 * Files are read whole (YAML is bounded by IN_YAML_MAX_BYTES) so that the
 * bytes parsed are exactly the bytes hashed. The digest is SHA-256 over the
 * concatenated bytes of every input file in the order read: the scenario,
 * then its includes in order (for a database, the database file). Included
 * files may not include further files: `include`, like every settings key,
 * belongs to the scenario file only. One file included twice (under any
 * name, found by device and inode) is an error: its entities would all be
 * duplicates. */
#include "inputs.h"
#include "readers.h"
#include "settings.h"
#include "sha256.h"
#include "topic_map.h"
#include "yaml_reader.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An include list names at most as many files as the included-twice check
 * tracks. */
enum { IN_MAX_INCLUDES = 255 };

typedef struct seen_file {
    dev_t dev;
    ino_t ino;
    const char *name;
} seen_file;

/* Files read so far (the scenario and at most IN_MAX_INCLUDES includes),
 * for the included-twice check. */
typedef struct loader {
    md_model *m;
    md_diag *d;
    in_sha256 sha;
    seen_file seen[256];
    int nseen;
    int foreign;            /* the scenario was refused as not capmatch YAML */
} loader;

static const md_loc *loc_or_null(const md_loc *l) { return l && l->file ? l : NULL; }

static void cannot_open(loader *L, const md_loc *at, const char *name, int e)
{
    md_error(L->d, MD_EX_NOINPUT, loc_or_null(at), "cannot open %s: %s", name, strerror(e));
}

/* Opens name for reading as a regular file, reporting failures at `at`
 * (NULL for the scenario itself). Returns the fd or -1. */
static int open_input(loader *L, const char *name, const md_loc *at, struct stat *st)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; only regular
     * files are inputs (a device such as /dev/zero would never end). */
    int fd = open(name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) { cannot_open(L, at, name, errno); return -1; }
    if (fstat(fd, st) != 0) { cannot_open(L, at, name, errno); close(fd); return -1; }
    if (S_ISDIR(st->st_mode)) { cannot_open(L, at, name, EISDIR); close(fd); return -1; }
    if (!S_ISREG(st->st_mode)) {
        md_error(L->d, MD_EX_NOINPUT, loc_or_null(at), "cannot open %s: not a regular file", name);
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* Records a file as read; reports it when it was read before. */
static int first_time(loader *L, const struct stat *st, const char *name, const md_loc *at)
{
    for (int i = 0; i < L->nseen; i++) {
        if (L->seen[i].dev != st->st_dev || L->seen[i].ino != st->st_ino) continue;
        if (i == 0)
            md_error(L->d, MD_EX_DATAERR, loc_or_null(at), "%s is the scenario file itself; "
                     "it cannot be included", name);
        else
            md_error(L->d, MD_EX_DATAERR, loc_or_null(at), "%s is included twice (as %s before)",
                     name, L->seen[i].name);
        return 0;
    }
    if (L->nseen < (int)(sizeof L->seen / sizeof L->seen[0])) {
        L->seen[L->nseen].dev = st->st_dev;
        L->seen[L->nseen].ino = st->st_ino;
        L->seen[L->nseen].name = name;
        L->nseen++;
    }
    return 1;
}

static int add_input_name(loader *L, const char *name)
{
    const char **slot = md_vec_push((void **)&L->m->input_files, &L->m->ninput_files,
                                    &L->m->cap_input_files, sizeof *slot);
    if (!slot) return -1;
    *slot = name;
    return 0;
}

static void too_large(loader *L, const char *name, const md_loc *at, const char *kind,
                      unsigned long long max)
{
    md_error(L->d, MD_EX_DATAERR, loc_or_null(at), "%s is too large (a %s input may hold "
             "at most %llu MiB)", name, kind, max >> 20);
}

/* Reads a whole YAML file into a malloc'd buffer (NUL-terminated), hashes
 * it and records it. NULL after reporting a problem. The size limit is
 * checked on the file's size before reading and again on the bytes read
 * (a file may grow while it is read). */
static char *read_yaml(loader *L, const char *name, const md_loc *at, size_t *len)
{
    struct stat st;
    int fd = open_input(L, name, at, &st);
    if (fd < 0) return NULL;
    if (!first_time(L, &st, name, at)) { close(fd); return NULL; }
    if ((unsigned long long)st.st_size > IN_YAML_MAX_BYTES) {
        too_large(L, name, at, "YAML", IN_YAML_MAX_BYTES);
        close(fd);
        return NULL;
    }
    /* room for the whole file, one byte more to see growth, and the NUL */
    size_t cap = (size_t)st.st_size + 2;
    char *buf = malloc(cap);
    size_t n = 0;
    for (;;) {
        if (!buf) { md_fail(L->d, MD_EX_SOFTWARE, "out of memory reading %s", name); close(fd); return NULL; }
        if (n > IN_YAML_MAX_BYTES) {
            too_large(L, name, at, "YAML", IN_YAML_MAX_BYTES);
            free(buf);
            close(fd);
            return NULL;
        }
        if (n + 1 >= cap) {
            size_t ncap = cap * 2 > (size_t)IN_YAML_MAX_BYTES + 2 ? (size_t)IN_YAML_MAX_BYTES + 2
                                                                   : cap * 2;
            char *p = realloc(buf, ncap);
            if (!p) free(buf);
            buf = p;
            cap = ncap;
            continue;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            md_error(L->d, MD_EX_NOINPUT, loc_or_null(at), "cannot read %s: %s", name, strerror(errno));
            free(buf);
            close(fd);
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    in_sha256_update(&L->sha, buf, n);
    if (add_input_name(L, name) != 0) {
        md_fail(L->d, MD_EX_SOFTWARE, "out of memory");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static int is_database(const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (!dot || (slash && dot < slash)) return 0;
    return strcmp(dot, ".db") == 0 || strcmp(dot, ".sqlite") == 0 || strcmp(dot, ".sqlite3") == 0;
}

/* Hashes a database file's bytes, then hands it to the SQLite reader. */
static void read_database(loader *L, const char *name, const md_loc *at)
{
    struct stat st;
    int fd = open_input(L, name, at, &st);
    if (fd < 0) return;
    if (!first_time(L, &st, name, at)) { close(fd); return; }
    if ((unsigned long long)st.st_size > IN_SQLITE_MAX_BYTES) {
        too_large(L, name, at, "database", IN_SQLITE_MAX_BYTES);
        close(fd);
        return;
    }
    unsigned char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            md_error(L->d, MD_EX_NOINPUT, loc_or_null(at), "cannot read %s: %s", name, strerror(errno));
            close(fd);
            return;
        }
        if (r == 0) break;
        in_sha256_update(&L->sha, chunk, (size_t)r);
    }
    close(fd);
    if (add_input_name(L, name) != 0) { md_fail(L->d, MD_EX_SOFTWARE, "out of memory"); return; }
    in_sqlite_read(name, name, L->m, L->d);
}

/* The known top-level keys of a file (entity lists; settings too for the
 * scenario) into cands; returns their number. */
static int top_keys(const char **cands, int scenario)
{
    int n = 0;
    for (int i = 0; i < IN_E_COUNT; i++) cands[n++] = in_entity_lists[i];
    for (int i = 0; scenario && i < in_nsettings_keys; i++) cands[n++] = in_settings_keys[i];
    return n;
}

/* Reports an unknown top-level key, suggesting the closest known one. */
static void unknown_top(loader *L, in_ydoc *doc, const in_ynode *k, int scenario)
{
    const char *cands[IN_E_COUNT + 8];
    int n = top_keys(cands, scenario);
    const char *hint = in_suggest(k->text, cands, n);
    md_loc kl = in_ynode_loc(doc, k);
    char buf[IN_EXCERPT_SIZE + 8];
    if (hint)
        md_error(L->d, MD_EX_DATAERR, &kl, "unknown key %s (did you mean '%s'?)",
                 in_ynode_show(k, buf, sizeof buf), hint);
    else
        md_error(L->d, MD_EX_DATAERR, &kl, "unknown key %s (expected an entity list: topics, "
                 "countries, needs, donors, courses, rates, commitments, ratings)",
                 in_ynode_show(k, buf, sizeof buf));
}

/* A file that is plainly not capmatch YAML (some other text file named by
 * mistake, say /etc/passwd) gets one message that quotes none of it: its
 * top level is not a mapping, or its first key is neither a known key nor
 * a near miss of one. Returns 1 when the file was refused so. */
static int foreign_file(loader *L, in_ydoc *doc, int scenario)
{
    const in_ynode *root = doc->root;
    md_loc rl = in_ynode_loc(doc, root);
    const char *want = scenario ? "settings and entity lists" : "entity lists (topics, countries, ...)";
    if (root->kind != IN_Y_MAP) {
        md_error(L->d, MD_EX_DATAERR, &rl, "%s is not a capmatch YAML file: its top level is %s, "
                 "not a mapping of %s", doc->file,
                 root->kind == IN_Y_SEQ ? "a list" : "plain text", want);
        return 1;
    }
    if (root->nkids < 2) return 0;
    const in_ynode *k = root->kids[0];
    if (!k->text || k->kind == IN_Y_SEQ || k->kind == IN_Y_MAP) return 0;
    const char *cands[IN_E_COUNT + 8];
    int n = top_keys(cands, 1); /* a settings key in a data file is a known mistake */
    for (int i = 0; i < n; i++)
        if (strcmp(k->text, cands[i]) == 0) return 0;
    if (in_suggest(k->text, cands, scenario ? n : IN_E_COUNT)) return 0;
    md_loc kl = in_ynode_loc(doc, k);
    md_error(L->d, MD_EX_DATAERR, &kl, "%s is not a capmatch YAML file: its first key is not "
             "one of %s (the rest of the file is not read)", doc->file, want);
    return 1;
}

/* Walks a file's top mapping: entity lists, and for the scenario the
 * settings; the include list is returned for the caller to read. */
static const in_ynode *walk_top(loader *L, in_ydoc *doc, int scenario, const char *base_dir)
{
    const in_ynode *root = doc->root, *include = NULL;
    if (foreign_file(L, doc, scenario)) {
        if (scenario) L->foreign = 1;
        return NULL;
    }
    for (int i = 0; i + 1 < root->nkids; i += 2) {
        const in_ynode *k = root->kids[i], *v = root->kids[i + 1];
        md_loc kl = in_ynode_loc(doc, k);
        if (k->dup) continue;
        if (!k->text) { md_error(L->d, MD_EX_DATAERR, &kl, "a key must not be empty or null"); continue; }
        int kind = in_entity_kind_of(k->text);
        if (kind >= 0) {
            in_yaml_entities(doc, (in_entity_kind)kind, v, L->m, L->d);
        } else if (in_is_settings_key(k->text)) {
            if (!scenario)
                md_error(L->d, MD_EX_DATAERR, &kl, "'%s' is allowed only in the scenario file", k->text);
            else if (strcmp(k->text, "include") == 0)
                include = v;
            else
                in_settings_key(doc, k, v, base_dir, L->m, L->d);
        } else {
            unknown_top(L, doc, k, scenario);
        }
    }
    return include;
}

/* Reads and parses one YAML file (hashed into the input digest by
 * read_yaml) and hands its document to use. */
static void read_yaml_file(loader *L, const char *name, const md_loc *at,
                           void (*use)(loader *L, in_ydoc *doc))
{
    size_t len;
    char *buf = read_yaml(L, name, at, &len);
    if (!buf) return;
    in_ydoc doc;
    in_yaml_parse(&doc, buf, len, name, L->d);
    use(L, &doc);
    in_yaml_free(&doc);
    free(buf);
}

/* An included YAML file: its entity lists. */
static void use_include(loader *L, in_ydoc *doc)
{
    if (doc->root) walk_top(L, doc, 0, NULL);
}

/* The scenario's topic_map file. */
static void use_topic_map(loader *L, in_ydoc *doc) { in_topic_map_read(doc, L->m, L->d); }

static int safe_path(const char *p)
{
    return strlen(p) <= IN_MAX_PATH && in_text_problem(p) == 0;
}

static void read_includes(loader *L, in_ydoc *doc, const in_ynode *inc, const char *base_dir)
{
    char buf[IN_EXCERPT_SIZE + 8];
    if (inc->kind == IN_Y_NULL) return;
    if (inc->kind != IN_Y_SEQ) {
        md_loc il = in_ynode_loc(doc, inc);
        md_error(L->d, MD_EX_DATAERR, &il, "include must be a list of file paths, got %s",
                 in_ynode_show(inc, buf, sizeof buf));
        return;
    }
    if (inc->nkids > IN_MAX_INCLUDES) {
        md_loc il = in_ynode_loc(doc, inc);
        md_error(L->d, MD_EX_DATAERR, &il, "include may list at most %d files, got %d",
                 IN_MAX_INCLUDES, inc->nkids);
        return;
    }
    for (int i = 0; i < inc->nkids; i++) {
        const in_ynode *it = inc->kids[i];
        md_loc at = in_ynode_loc(doc, it);
        if ((it->kind != IN_Y_PLAIN && it->kind != IN_Y_STRING) || !it->text[0]) {
            md_error(L->d, MD_EX_DATAERR, &at, "include entry must be a file path, got %s",
                     in_ynode_show(it, buf, sizeof buf));
            continue;
        }
        /* the path is printed in every message about the file: it must be
         * short and free of control characters */
        if (!safe_path(it->text)) {
            md_error(L->d, MD_EX_DATAERR, &at, "include entry must be a path of at most %d bytes "
                     "without control characters, got %s", IN_MAX_PATH,
                     in_ynode_show(it, buf, sizeof buf));
            continue;
        }
        char *name = in_path_join(&L->m->arena, base_dir, it->text);
        if (!name) { md_error(L->d, MD_EX_SOFTWARE, &at, "out of memory"); return; }
        if (is_database(name)) read_database(L, name, &at);
        else read_yaml_file(L, name, &at, use_include);
    }
}

static char *dir_of(md_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return md_arena_strdup(a, ".");
    if (slash == path) return md_arena_strdup(a, "/");
    return md_arena_strndup(a, path, (size_t)(slash - path));
}

int in_load(const char *path, md_model *m, md_diag *d)
{
    loader L;
    memset(&L, 0, sizeof L);
    L.m = m;
    L.d = d;
    in_sha256_init(&L.sha);
    int errors0 = d->nerrors;

    m->set.path = md_arena_strdup(&m->arena, path);
    char *base_dir = dir_of(&m->arena, path);
    if (!m->set.path || !base_dir) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return MD_EX_SOFTWARE; }

    size_t len;
    char *buf = read_yaml(&L, m->set.path, NULL, &len);
    if (!buf) return d->exit_code ? d->exit_code : MD_EX_NOINPUT;
    in_ydoc doc;
    in_yaml_parse(&doc, buf, len, m->set.path, d);
    if (doc.root) {
        const in_ynode *inc = walk_top(&L, &doc, 1, base_dir);
        if (doc.root->kind == IN_Y_MAP && !m->set.currency && !L.foreign) {
            /* a currency key with a bad value was reported already */
            int given = 0;
            for (int i = 0; i + 1 < doc.root->nkids; i += 2)
                if (doc.root->kids[i]->text && strcmp(doc.root->kids[i]->text, "currency") == 0 &&
                    doc.root->kids[i + 1]->kind != IN_Y_NULL)
                    given = 1;
            md_loc rl = in_ynode_loc(&doc, doc.root);
            if (!given)
                md_error(d, MD_EX_DATAERR, &rl,
                         "the scenario must set 'currency' (the base currency of every amount)");
        }
        if (inc) read_includes(&L, &doc, inc, base_dir);
        if (m->set.topic_map) read_yaml_file(&L, m->set.topic_map, &m->set.topic_map_loc, use_topic_map);
    } else if (d->nerrors == errors0) {
        md_error(d, MD_EX_DATAERR, &(md_loc){ .file = m->set.path },
                 "the scenario is empty (it must set at least 'currency')");
    }
    m->set.loc = doc.root ? in_ynode_loc(&doc, doc.root) : (md_loc){ .file = m->set.path };
    in_yaml_free(&doc);
    free(buf);

    if (!m->set.out_dir && !(m->set.out_dir = in_path_join(&m->arena, base_dir, "out")))
        md_fail(d, MD_EX_SOFTWARE, "out of memory");
    in_sha256_hex(&L.sha, m->input_digest);

    if (d->nerrors > errors0) return d->exit_code ? d->exit_code : MD_EX_DATAERR;
    if (md_validate(m, d) != 0) return d->exit_code ? d->exit_code : MD_EX_DATAERR;
    return 0;
}
