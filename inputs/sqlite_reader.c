/* inputs/sqlite_reader.c — one SQLite input database → model
 * (docs/formats.md, SQLite inputs).
 *
 * Decisions (documented here because users see them):
 * - The file is checked before SQLite sees it: missing, unreadable, a
 *   directory or not a regular file → 66; empty (0 bytes), shorter than a
 *   header or without the "SQLite format 3" magic → 65 "not an SQLite
 *   database". An empty file is an error, not an empty database: in a batch
 *   job a truncated export must not silently mean "no courses".
 * - Opened with "file:PATH?mode=ro" (path percent-encoded), read-only, with
 *   an untrusted schema; everything is read inside one BEGIN … COMMIT.
 * - Nothing may appear or change next to an input. A rollback-journal
 *   database opened read-only creates no file. A WAL-mode one would get
 *   -wal/-shm files, so it is opened with "immutable=1" instead (no files,
 *   no locks), and only when PATH-wal is absent or empty: committed data
 *   waiting in a -wal file would be silently missed, so that case is
 *   refused (66, try again when the writer is done). PATH-wal is checked
 *   again after reading, so a writer that starts meanwhile is noticed. 
 * - Only tables count (a view could be arbitrarily slow or endless). A
 *   database may hold any subset of the input tables; other tables are
 *   ignored; a near-miss of an absent input table name (e.g. "countires")
 *   gets a warning, not an error, since a catalogue database may hold
 *   tables of its own ("ratings" is not a typo of "rates"). Table and
 *   column names match case-insensitively, as SQL does.
 * - Schema problems (unknown column, missing required column, a view) are
 *   all reported first; then no rows are read, to avoid cascades.
 * - Row keys in messages: topics/donors/courses id, countries code, rates
 *   currency, needs "COUNTRY,TOPIC", commitments "COUNTRY,COURSE",
 *   country_languages "COUNTRY,LANGUAGE", course_topics "COURSE,TOPIC",
 *   course_regions "COURSE,REGION", donor_rules "DONOR,FIELD,VALUE"; when a
 *   key column is NULL or a blob: "rowid N".
 * - Join rows (country_languages, course_topics, course_regions,
 *   donor_rules) must name an entity defined in the same database; else
 *   "no country 'X' in this database".
 * - Locked database (SQLITE_BUSY after a 5 s busy timeout) → 66 "database is
 *   locked"; corrupt → 65; other I/O failures → 66; out of memory → 70. */
#include "readers.h"
#include "fields.h"
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum { BUSY_TIMEOUT_MS = 5000, MAX_COLS = 16, MAX_RESULT = 64, NJL = 4 };

/* ---- the schema ---------------------------------------------------------- */

enum {
    T_COUNTRY_LANGUAGES, T_COURSE_TOPICS, T_COURSE_REGIONS, T_DONOR_RULES, T_TOPIC_ALIASES,
    T_TOPICS, T_COUNTRIES, T_NEEDS, T_DONORS, T_COURSES, T_RATES,
    T_COMMITMENTS, T_RATINGS, T_COUNT, T_FIRST_ENTITY = T_TOPICS
};

typedef struct tspec {
    const char *name;
    const char *cols[MAX_COLS];   /* NULL-terminated */
    unsigned required;            /* bit per column */
    int key[3], nkey;             /* columns forming the row key */
    int kind;                     /* in_entity_kind, -1 for join tables */
} tspec;

static const tspec tables[T_COUNT] = {
    [T_COUNTRY_LANGUAGES] = { "country_languages", { "country", "language" }, 3, { 0, 1 }, 2, -1 },
    [T_COURSE_TOPICS] = { "course_topics", { "course", "topic" }, 3, { 0, 1 }, 2, -1 },
    [T_COURSE_REGIONS] = { "course_regions", { "course", "region" }, 3, { 0, 1 }, 2, -1 },
    [T_DONOR_RULES] = { "donor_rules", { "donor", "field", "value" }, 7, { 0, 1, 2 }, 3, -1 },
    [T_TOPIC_ALIASES] = { "topic_aliases", { "topic", "alias" }, 3, { 0, 1 }, 2, -1 },
    [T_TOPICS] = { "topics", { "id", "name", "dac_sector" }, 1, { 0 }, 1, IN_E_TOPIC },
    [T_COUNTRIES] = { "countries", { "code", "name", "region", "income_group",
                      "trainee_hours", "max_trainees" }, 3, { 0 }, 1, IN_E_COUNTRY },
    [T_NEEDS] = { "needs", { "country", "topic", "seats", "priority" }, 7, { 0, 1 }, 2, IN_E_NEED },
    [T_DONORS] = { "donors", { "id", "name", "budget", "currency",
                   "max_share_per_country" }, 5, { 0 }, 1, IN_E_DONOR },
    [T_COURSES] = { "courses", { "id", "provider", "title", "language", "format",
                    "cost_per_seat", "currency", "seats", "min_seats", "max_per_country",
                    "hours", "quality", "start_date", "end_date", "url" },
                    1u | 8u | 16u | 32u, { 0 }, 1, IN_E_COURSE },
    [T_RATES] = { "rates", { "currency", "rate" }, 3, { 0 }, 1, IN_E_RATE },
    [T_COMMITMENTS] = { "commitments", { "country", "course", "seats", "donor" },
                        7, { 0, 1 }, 2, IN_E_COMMITMENT },
    [T_RATINGS] = { "ratings", { "course", "score", "responses", "collected" },
                    15, { 0, 3 }, 2, IN_E_RATING },
};

/* Join lists: which entity table owns them and the field they fill. */
typedef struct jspec { int table, owner; const char *owner_what, *field; } jspec;

static const jspec joins[] = {
    { T_COUNTRY_LANGUAGES, T_COUNTRIES, "country", "languages" },
    { T_COURSE_TOPICS, T_COURSES, "course", "topics" },
    { T_COURSE_REGIONS, T_COURSES, "course", "regions" },
    { T_TOPIC_ALIASES, T_TOPICS, "topic", "aliases" },
};

/* donor_rules.field values and the donor list each fills */
static const char *const rule_fields[] = {
    "region", "country", "income_group", "topic", "format", "provider", "exclude_country"
};
static const char *const rule_lists[] = {
    "regions", "countries", "income_groups", "topics", "formats", "providers",
    "exclude_countries"
};
enum { NRULES = (int)(sizeof rule_fields / sizeof rule_fields[0]) };

/* ---- reader state -------------------------------------------------------- */

typedef struct jrow {
    const char *owner;      /* entity key the row names */
    const char *field;      /* list field it fills */
    in_value v;             /* the list item, loc = this join row */
    int seq, used;
} jrow;

typedef struct jlist { jrow *rows; int n, cap; md_index ix; } jlist;

typedef struct reader {
    const char *name;       /* as shown in messages */
    md_model *m;
    md_diag *d;
    sqlite3 *db;
    sqlite3_stmt *st[T_COUNT];
    int present[T_COUNT];
    int ncol[T_COUNT];      /* result columns: rowid, then the table's */
    int col_of[T_COUNT][MAX_RESULT]; /* result column → spec column or -1 */
    int res_of[T_COUNT][MAX_COLS];   /* spec column → result column or -1 */
    md_arena tmp;           /* join-row texts, freed on return */
    jlist jl[NJL];          /* owner tables: countries, courses, donors, topics */
    int code;               /* worst exit code of our own errors */
    int wal;                /* header says WAL mode */
    int stop;               /* database-level failure: read nothing more */
} reader;

static void raise_code(reader *r, int code)
{
    /* 70 > 66 > 65, as in models/diag.c */
    int rank_new = code == MD_EX_DATAERR ? 1 : code == MD_EX_NOINPUT ? 2 : 3;
    int rank_old = r->code == 0 ? 0 : r->code == MD_EX_DATAERR ? 1
                 : r->code == MD_EX_NOINPUT ? 2 : 3;
    if (rank_new > rank_old) r->code = code;
}

static void file_error(reader *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An error about the whole database: "capmatch: NAME: error: …". */
static void file_error(reader *r, int code, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    md_loc loc = { r->name, NULL, NULL, 0, 0 };
    md_error(r->d, code, &loc, "%s", buf);
    raise_code(r, code);
}

static void oom(reader *r)
{
    if (r->code != MD_EX_SOFTWARE) md_fail(r->d, MD_EX_SOFTWARE, "out of memory");
    raise_code(r, MD_EX_SOFTWARE);
    r->stop = 1;
}

/* A failed sqlite3 call while reading: one clear message, then stop. */
static void db_error(reader *r, int rc, const char *table)
{
    int prim = rc & 0xff, code;
    const char *why;
    char buf[256];
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) {
        snprintf(buf, sizeof buf, "database is locked by another process "
                 "(waited %d s); try again later", BUSY_TIMEOUT_MS / 1000);
        why = buf;
        code = MD_EX_NOINPUT;
    } else if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB) {
        snprintf(buf, sizeof buf, "database file is corrupt or not a database (%s)",
                 sqlite3_errstr(rc));
        why = buf;
        code = MD_EX_DATAERR;
    } else if (prim == SQLITE_NOMEM) {
        oom(r);
        return;
    } else {
        snprintf(buf, sizeof buf, "cannot read database: %s",
                 r->db ? sqlite3_errmsg(r->db) : sqlite3_errstr(rc));
        why = buf;
        code = MD_EX_NOINPUT;
    }
    if (table) file_error(r, code, "table %s: %s", table, why);
    else file_error(r, code, "%s", why);
    r->stop = 1;
}

/* ---- opening --------------------------------------------------------------- */

/* Checks the file before SQLite sees it, so that every failure gets a plain
 * message (SQLite would happily "open" a text file or a missing path).
 * Returns 1 when WAL mode is set in the header, 0 otherwise, -1 on error. */
static int precheck(reader *r, const char *path)
{
    /* O_NONBLOCK: a FIFO must not hang the open */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        file_error(r, MD_EX_NOINPUT, "cannot open database: %s", strerror(errno));
        return -1;
    }
    struct stat sb;
    unsigned char hdr[100];
    ssize_t got = -1;
    int ret = -1;
    if (fstat(fd, &sb) != 0)
        file_error(r, MD_EX_NOINPUT, "cannot open database: %s", strerror(errno));
    else if (S_ISDIR(sb.st_mode))
        file_error(r, MD_EX_NOINPUT, "cannot open database: %s", "is a directory");
    else if (!S_ISREG(sb.st_mode))
        file_error(r, MD_EX_NOINPUT, "cannot open database: %s", "not a regular file");
    else if (sb.st_size == 0)
        file_error(r, MD_EX_DATAERR, "not an SQLite database (the file is empty)");
    else if ((unsigned long long)sb.st_size > IN_SQLITE_MAX_BYTES)
        file_error(r, MD_EX_DATAERR, "the database is too large (an input database may hold "
                   "at most %llu MiB)", IN_SQLITE_MAX_BYTES >> 20);
    else if ((got = pread(fd, hdr, sizeof hdr, 0)) < 0)
        file_error(r, MD_EX_NOINPUT, "cannot read database: %s", strerror(errno));
    else if (got < (ssize_t)sizeof hdr || memcmp(hdr, "SQLite format 3", 16) != 0)
        file_error(r, MD_EX_DATAERR, "not an SQLite database");
    else
        ret = hdr[18] == 2 ? 1 : 0;
    close(fd);
    return ret;
}

/* 1 when PATH-wal exists and is not empty (reported), 0 otherwise. */
static int wal_pending(reader *r, const char *path)
{
    size_t n = strlen(path);
    char *w = malloc(n + 5);
    if (!w) { oom(r); return 1; }
    memcpy(w, path, n);
    memcpy(w + n, "-wal", 5);
    struct stat sb;
    int pending = stat(w, &sb) == 0 && sb.st_size > 0;
    free(w);
    if (pending)
        file_error(r, MD_EX_NOINPUT, "%s-wal is not empty: it holds changes not yet written into the "
                   "database (a program has it open, or did not checkpoint); capmatch reads "
                   "input databases without touching their -wal files: close that program "
                   "or run PRAGMA wal_checkpoint(TRUNCATE), then try again", r->name);
    return pending;
}

/* "file:" URI with every byte outside [A-Za-z0-9._~/-] percent-encoded, so
 * that '%', '?' and '#' in names survive. An absolute path gets an empty
 * authority ("file:///…") so that a leading "//" is not read as a host.
 * immutable: SQLite then creates no -wal/-shm file and takes no lock. */
static char *path_uri(const char *path, int immutable)
{
    size_t n = strlen(path);
    char *u = malloc(n * 3 + 32);
    if (!u) return NULL;
    char *p = u;
    p += sprintf(p, path[0] == '/' ? "file://" : "file:");
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        unsigned c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '_' || c == '~' || c == '/' || c == '-')
            *p++ = (char)c;
        else
            p += sprintf(p, "%%%02X", c);
    }
    strcpy(p, immutable ? "?mode=ro&immutable=1" : "?mode=ro");
    return u;
}

static int open_db(reader *r, const char *path)
{
    char *uri = path_uri(path, r->wal);
    if (!uri) { oom(r); return -1; }
    int rc = sqlite3_open_v2(uri, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (rc != SQLITE_OK) { db_error(r, rc, NULL); return -1; }
    sqlite3_busy_timeout(r->db, BUSY_TIMEOUT_MS);
    /* the schema comes from the user's file: do not let it run functions
     * with side effects */
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
    sqlite3_db_config(r->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
#endif
#ifdef SQLITE_DBCONFIG_DEFENSIVE
    sqlite3_db_config(r->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
#endif
    rc = sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK) { db_error(r, rc, NULL); return -1; }
    return 0;
}

/* ---- schema checks ------------------------------------------------------- */

static int table_index(const char *name)
{
    for (int t = 0; t < T_COUNT; t++)
        if (strcasecmp(name, tables[t].name) == 0) return t;
    return -1;
}

/* Finds the input tables; flags views and near-miss names. */
static void scan_tables(reader *r)
{
    sqlite3_stmt *st = NULL;
    const char *names[T_COUNT];
    for (int t = 0; t < T_COUNT; t++) names[t] = tables[t].name;
    int rc = sqlite3_prepare_v2(r->db, "SELECT type, name FROM sqlite_master "
                                "WHERE type IN ('table', 'view') ORDER BY name",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) { db_error(r, rc, NULL); return; }
    /* near misses are judged after the scan: "topic" is only a typo when
     * "topics" itself is absent */
    char *miss[64]; int nmiss = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        if (!type || !name) continue;
        int t = table_index(name);
        if (t >= 0 && strcmp(type, "view") == 0) {
            file_error(r, MD_EX_DATAERR, "%s is a view; capmatch reads %s only",
                       tables[t].name, "tables");
        } else if (t >= 0) {
            r->present[t] = 1;
        } else if (strncmp(name, "sqlite_", 7) != 0 && nmiss < 64
                   && in_suggest(name, names, T_COUNT)) {
            if (!(miss[nmiss] = strdup(name))) { oom(r); break; }
            nmiss++;
        }
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) db_error(r, rc, NULL);
    sqlite3_finalize(st);
    for (int i = 0; i < nmiss; i++) {
        const char *s = in_suggest(miss[i], names, T_COUNT);
        md_loc loc = { r->name, NULL, NULL, 0, 0 };
        char ex[IN_EXCERPT_SIZE];
        if (s && !r->present[table_index(s)] && !r->stop)
            md_warn(r->d, &loc, "table '%s' is not read (did you mean '%s'?)",
                    in_excerpt(ex, sizeof ex, miss[i], IN_EXCERPT_CHARS), s);
        free(miss[i]);
    }
}

/* Prepares the row query of table t and maps its columns. */
static void prepare_table(reader *r, int t)
{
    const tspec *ts = &tables[t];
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT rowid, * FROM \"%s\" ORDER BY rowid", ts->name);
    int rc = sqlite3_prepare_v2(r->db, sql, -1, &r->st[t], NULL);
    if (rc == SQLITE_ERROR) {
        /* WITHOUT ROWID tables: primary-key order, no rowid */
        sqlite3_finalize(r->st[t]);
        r->st[t] = NULL;
        snprintf(sql, sizeof sql, "SELECT NULL, * FROM \"%s\"", ts->name);
        rc = sqlite3_prepare_v2(r->db, sql, -1, &r->st[t], NULL);
    }
    if (rc != SQLITE_OK) { db_error(r, rc, ts->name); return; }
    int ncols = 0;
    while (ts->cols[ncols]) ncols++;
    for (int c = 0; c < MAX_COLS; c++) r->res_of[t][c] = -1;
    unsigned seen = 0;
    int n = sqlite3_column_count(r->st[t]);
    if (n > MAX_RESULT) {
        file_error(r, MD_EX_DATAERR, "table %s: too many columns (%d)", ts->name, n - 1);
        return;
    }
    r->ncol[t] = n;
    for (int i = 1; i < n; i++) {
        const char *cn = sqlite3_column_name(r->st[t], i);
        if (!cn) { oom(r); return; }
        int c = 0;
        while (c < ncols && strcasecmp(cn, ts->cols[c]) != 0) c++;
        r->col_of[t][i] = c < ncols ? c : -1;
        if (c < ncols) {
            r->res_of[t][c] = i;
            seen |= 1u << c;
            continue;
        }
        const char *s = in_suggest(cn, ts->cols, ncols);
        md_loc loc = { r->name, NULL, NULL, 0, 0 };
        char ex[IN_EXCERPT_SIZE];
        in_excerpt(ex, sizeof ex, cn, IN_EXCERPT_CHARS);
        if (s) md_error(r->d, MD_EX_DATAERR, &loc, "table %s: unknown column '%s' "
                        "(did you mean '%s'?)", ts->name, ex, s);
        else md_error(r->d, MD_EX_DATAERR, &loc, "table %s: unknown column '%s'",
                      ts->name, ex);
        raise_code(r, MD_EX_DATAERR);
    }
    for (int c = 0; c < ncols; c++)
        if ((ts->required & (1u << c)) && !(seen & (1u << c)))
            file_error(r, MD_EX_DATAERR, "table %s: missing required column '%s'",
                       ts->name, ts->cols[c]);
}

/* ---- rows ------------------------------------------------------------------ */

/* Column i of the current row as an in_value; text points into SQLite's
 * buffer (valid until the next step). */
static in_value column_value(sqlite3_stmt *st, int i, const md_loc *loc)
{
    in_value v;
    memset(&v, 0, sizeof v);
    v.loc = *loc;
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: v.kind = IN_INT; v.i = sqlite3_column_int64(st, i); break;
    case SQLITE_FLOAT: v.kind = IN_REAL; v.r = sqlite3_column_double(st, i); break;
    case SQLITE_TEXT:
        v.kind = IN_STRING;
        v.text = (const char *)sqlite3_column_text(st, i);
        if (!v.text) v.kind = IN_NULL; /* out of memory; reported by caller */
        break;
    case SQLITE_BLOB: v.kind = IN_BLOB; break;
    default: v.kind = IN_NULL; break;
    }
    return v;
}

/* Appends an excerpt of s to buf[*len..size) (in_excerpt: control
 * characters escaped, so that a message stays on one line). Row-key parts
 * are ids, shown whole up to the id limit; longer ones are cut. */
static void put_clean(char *buf, size_t size, size_t *len, const char *s)
{
    char ex[6 * IN_MAX_ID_BYTES + 16];
    in_excerpt(ex, sizeof ex, s, IN_MAX_ID_BYTES);
    size_t n = strlen(ex);
    if (*len + n + 1 > size) n = size - *len - 1;
    memcpy(buf + *len, ex, n);
    *len += n;
    buf[*len] = '\0';
}

/* TEXT with an embedded NUL would be cut short silently: an error. */
static int nul_in_text(reader *r, int t, int i, const md_loc *loc)
{
    sqlite3_stmt *st = r->st[t];
    if (sqlite3_column_type(st, i) != SQLITE_TEXT) return 0;
    const char *s = (const char *)sqlite3_column_text(st, i);
    if (!s || strlen(s) == (size_t)sqlite3_column_bytes(st, i)) return 0;
    md_error(r->d, MD_EX_DATAERR, loc, "%s: text contains a NUL byte",
             tables[t].cols[r->col_of[t][i]]);
    raise_code(r, MD_EX_DATAERR);
    return 1;
}

/* The row key (see the header comment), in the reader's scratch arena
 * (in_entity_begin keeps its own copy). */
static const char *row_key(reader *r, int t)
{
    const tspec *ts = &tables[t];
    sqlite3_stmt *st = r->st[t];
    char buf[3 * (6 * IN_MAX_ID_BYTES + 16)];
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < ts->nkey; k++) {
        int i = r->res_of[t][ts->key[k]];
        const char *part = NULL;
        char num[40];
        int type = i > 0 ? sqlite3_column_type(st, i) : SQLITE_NULL;
        if (type == SQLITE_TEXT) part = (const char *)sqlite3_column_text(st, i);
        else if (type == SQLITE_INTEGER) {
            snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(st, i));
            part = num;
        } else if (type == SQLITE_FLOAT) {
            snprintf(num, sizeof num, "%.17g", sqlite3_column_double(st, i));
            part = num;
        }
        if (!part) { len = 0; break; }
        if (k) put_clean(buf, sizeof buf, &len, ",");
        put_clean(buf, sizeof buf, &len, part);
    }
    if (len == 0) {
        if (sqlite3_column_type(st, 0) == SQLITE_INTEGER)
            snprintf(buf, sizeof buf, "rowid %lld", (long long)sqlite3_column_int64(st, 0));
        else
            snprintf(buf, sizeof buf, "rowid ?");
    }
    const char *key = md_arena_strdup(&r->tmp, buf);
    if (!key) oom(r);
    return key;
}

/* Steps t's statement; returns 1 on a row, 0 at the end or after an error. */
static int next_row(reader *r, int t)
{
    if (r->stop) return 0;
    int rc = sqlite3_step(r->st[t]);
    if (rc == SQLITE_ROW) return 1;
    if (rc != SQLITE_DONE) db_error(r, rc, tables[t].name);
    return 0;
}

/* Text of key column c of the current row (TEXT only), else an error. */
static const char *text_col(reader *r, int t, int c, const md_loc *loc)
{
    sqlite3_stmt *st = r->st[t];
    int i = r->res_of[t][c];
    if (i > 0) {
        int type = sqlite3_column_type(st, i);
        if (type == SQLITE_TEXT) {
            const char *s = (const char *)sqlite3_column_text(st, i);
            if (!s) oom(r);
            return s;
        }
        md_error(r->d, MD_EX_DATAERR, loc, "column '%s': expected text, got %s",
                 tables[t].cols[c], type == SQLITE_NULL ? "NULL" : type == SQLITE_INTEGER
                 ? "an integer" : type == SQLITE_FLOAT ? "a real" : "a blob");
        raise_code(r, MD_EX_DATAERR);
        return NULL;
    }
    return NULL;
}

static jlist *owner_list(reader *r, int owner_table)
{
    return &r->jl[owner_table == T_COUNTRIES ? 0 : owner_table == T_COURSES ? 1
                  : owner_table == T_TOPICS ? 3 : 2];
}

/* Reads one join table into its owner's list of rows. */
static void read_join(reader *r, int t, int owner_table, const char *field)
{
    jlist *jl = owner_list(r, owner_table);
    int vcol = t == T_DONOR_RULES ? 2 : 1;
    while (next_row(r, t)) {
        md_loc loc = { r->name, tables[t].name, row_key(r, t), 0, 0 };
        if (!loc.key) return;
        const char *owner = text_col(r, t, 0, &loc);
        if (!owner) continue;
        const char *list = field;
        if (t == T_DONOR_RULES) {
            const char *f = text_col(r, t, 1, &loc);
            if (!f) continue;
            list = NULL;
            for (int i = 0; i < NRULES; i++)
                if (strcmp(f, rule_fields[i]) == 0) list = rule_lists[i];
            if (!list) {
                const char *s = in_suggest(f, rule_fields, NRULES);
                char ex[IN_EXCERPT_SIZE];
                md_error(r->d, MD_EX_DATAERR, &loc, "column 'field': unknown rule field "
                         "'%s'%s%s%s", in_excerpt(ex, sizeof ex, f, IN_EXCERPT_CHARS),
                         s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
                raise_code(r, MD_EX_DATAERR);
                continue;
            }
        }
        int i = r->res_of[t][vcol];
        if (nul_in_text(r, t, i, &loc)) continue;
        jrow *row = md_vec_push((void **)&jl->rows, &jl->n, &jl->cap, sizeof *jl->rows);
        if (!row) { oom(r); return; }
        row->owner = md_arena_strdup(&r->tmp, owner);
        row->field = list;
        row->seq = jl->n - 1;
        row->v = column_value(r->st[t], i, &loc);
        if (row->v.kind == IN_STRING
            && !(row->v.text = md_arena_strdup(&r->tmp, row->v.text))) { oom(r); return; }
        if (!row->owner) { oom(r); return; }
    }
}

static int cmp_jrow(const void *pa, const void *pb)
{
    const jrow *a = pa, *b = pb;
    int c = strcmp(a->owner, b->owner);
    if (!c) c = strcmp(a->field, b->field);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Groups a join list by owner (then field, then read order) and indexes the
 * first row of each owner. */
static void index_join(reader *r, jlist *jl)
{
    if (jl->n > 1) qsort(jl->rows, (size_t)jl->n, sizeof *jl->rows, cmp_jrow);
    for (int i = 0; i < jl->n; i++)
        if (md_index_put(&jl->ix, jl->rows[i].owner, i) == -2) { oom(r); return; }
}

/* Passes the owner's lists to the entity being built, one IN_SEQ per field. */
static void attach_lists(reader *r, in_entity *b, int t, const md_loc *loc)
{
    if (t != T_COUNTRIES && t != T_COURSES && t != T_DONORS && t != T_TOPICS) return;
    jlist *jl = owner_list(r, t);
    sqlite3_stmt *st = r->st[t];
    int i = r->res_of[t][0];
    if (i <= 0 || sqlite3_column_type(st, i) != SQLITE_TEXT) return;
    const char *key = (const char *)sqlite3_column_text(st, i);
    int first = key ? md_index_get(&jl->ix, key) : -1;
    if (first < 0) return;
    in_value *items = malloc((size_t)(jl->n - first) * sizeof *items);
    if (!items) { oom(r); return; }
    for (int j = first; j < jl->n && strcmp(jl->rows[j].owner, key) == 0; ) {
        const char *field = jl->rows[j].field;
        int cnt = 0;
        for (; j < jl->n && strcmp(jl->rows[j].owner, key) == 0
               && strcmp(jl->rows[j].field, field) == 0; j++) {
            items[cnt++] = jl->rows[j].v;
            jl->rows[j].used = 1;
        }
        in_value seq;
        memset(&seq, 0, sizeof seq);
        seq.kind = IN_SEQ;
        seq.items = items;
        seq.nitems = cnt;
        seq.loc = *loc;
        in_entity_field(b, field, loc, &seq);
    }
    free(items);
}

/* Reads one entity table, row by row, through the fields table. */
static void read_entities(reader *r, int t)
{
    const tspec *ts = &tables[t];
    while (next_row(r, t)) {
        md_loc loc = { r->name, ts->name, row_key(r, t), 0, 0 };
        if (!loc.key) return;
        in_entity b;
        if (in_entity_begin(&b, r->m, r->d, (in_entity_kind)ts->kind, &loc) != 0) {
            oom(r);
            return;
        }
        for (int i = 1; i < r->ncol[t]; i++) {
            int c = r->col_of[t][i];
            if (c < 0 || nul_in_text(r, t, i, &loc)) continue;
            in_value v = column_value(r->st[t], i, &loc);
            if (v.kind == IN_NULL && sqlite3_column_type(r->st[t], i) == SQLITE_TEXT) {
                in_entity_end(&b);
                oom(r);
                return;
            }
            in_entity_field(&b, ts->cols[c], &loc, &v);
        }
        attach_lists(r, &b, t, &loc);
        in_entity_end(&b);
        if (r->m->arena.failed) { oom(r); return; }
    }
}

/* Join rows whose owner is not defined in this database. */
static void report_orphans(reader *r, int owner_table, const char *what)
{
    jlist *jl = owner_list(r, owner_table);
    /* back to read order so that messages follow the table */
    int *order = malloc((size_t)(jl->n ? jl->n : 1) * sizeof *order);
    if (!order) { oom(r); return; }
    for (int i = 0; i < jl->n; i++) order[jl->rows[i].seq] = i;
    for (int s = 0; s < jl->n; s++) {
        const jrow *row = &jl->rows[order[s]];
        if (row->used) continue;
        char shown[6 * IN_MAX_ID_BYTES + 16];
        size_t len = 0;
        put_clean(shown, sizeof shown, &len, row->owner);
        md_error(r->d, MD_EX_DATAERR, &row->v.loc, "no %s '%s' in this database",
                 what, shown);
        raise_code(r, MD_EX_DATAERR);
    }
    free(order);
}

static void read_all(reader *r)
{
    scan_tables(r);
    for (int t = 0; t < T_COUNT && !r->stop; t++)
        if (r->present[t]) prepare_table(r, t);
    if (r->stop || r->code) return; /* schema errors: no rows, no cascades */
    for (size_t j = 0; j < sizeof joins / sizeof joins[0]; j++)
        if (r->present[joins[j].table])
            read_join(r, joins[j].table, joins[j].owner, joins[j].field);
    if (r->present[T_DONOR_RULES]) read_join(r, T_DONOR_RULES, T_DONORS, NULL);
    for (int k = 0; k < NJL && !r->stop; k++) index_join(r, &r->jl[k]);
    for (int t = T_FIRST_ENTITY; t < T_COUNT && !r->stop; t++)
        if (r->present[t]) read_entities(r, t);
    if (r->stop) return;
    report_orphans(r, T_COUNTRIES, "country");
    report_orphans(r, T_COURSES, "course");
    report_orphans(r, T_DONORS, "donor");
    report_orphans(r, T_TOPICS, "topic");
}

int in_sqlite_read(const char *path, const char *name, md_model *m, md_diag *d)
{
    reader r;
    memset(&r, 0, sizeof r);
    r.m = m;
    r.d = d;
    md_arena_init(&r.tmp);
    for (int k = 0; k < NJL; k++) md_index_init(&r.jl[k].ix);
    int errors_before = d->nerrors, code_before = d->exit_code;
    r.name = name ? name : path;
    r.wal = precheck(&r, path);
    if (r.wal >= 0 && !wal_pending(&r, path) && open_db(&r, path) == 0) {
        read_all(&r);
        if (r.wal && !r.stop) wal_pending(&r, path); /* a writer started meanwhile */
    }
    for (int t = 0; t < T_COUNT; t++) sqlite3_finalize(r.st[t]);
    if (r.db) {
        /* reads only: COMMIT just ends the snapshot; ROLLBACK if it fails
         * (or no transaction is open: harmless) */
        if (sqlite3_exec(r.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            sqlite3_exec(r.db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(r.db);
    }
    for (int k = 0; k < NJL; k++) {
        free(r.jl[k].rows);
        md_index_free(&r.jl[k].ix);
    }
    md_arena_free(&r.tmp);
    /* errors reported by fields.c count too (65, or 70 when out of memory) */
    if (d->exit_code != code_before) raise_code(&r, d->exit_code);
    if (d->nerrors > errors_before && r.code == 0) r.code = MD_EX_DATAERR;
    return r.code;
}
