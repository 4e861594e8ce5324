/* tests/unit_sqlite.c — the SQLite input reader (inputs/sqlite_reader.c):
 * databases are written with the sqlite3 API into a temporary folder, read
 * with in_sqlite_read() into a fresh model, and the model and the exact
 * diagnostics are checked. */
#include "check.h"
#include "../inputs/readers.h"
#include "../inputs/inputs.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64];

static const char *path_of(const char *name)
{
    static char buf[4][256];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

/* Runs SQL on a database (created if absent); returns 0 on success. */
static int exec_db(const char *name, const char *sql)
{
    sqlite3 *db = NULL;
    const char *p = path_of(name);
    int rc = sqlite3_open(p, &db);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) fprintf(stderr, "make_db %s: %s\n", name, sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc;
}

/* Writes a new database from SQL. */
static int make_db(const char *name, const char *sql)
{
    unlink(path_of(name));
    return exec_db(name, sql);
}

static int write_file(const char *name, const void *data, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    if (!f) return -1;
    size_t w = fwrite(data, 1, n, f);
    return (fclose(f) == 0 && w == n) ? 0 : -1;
}

static md_model m;
static char errs[8192];
static int nerrs;

/* Reads dir/name into a fresh model m (shown as "name"); errs holds stderr. */
static int rd(const char *name)
{
    md_model_free(&m);
    md_model_init(&m);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    md_diag d;
    md_diag_init(&d, f);
    int rc = in_sqlite_read(path_of(name), name, &m, &d);
    fclose(f);
    snprintf(errs, sizeof errs, "%s", buf ? buf : "");
    free(buf);
    nerrs = d.nerrors;
    if (rc != d.exit_code) fprintf(stderr, "%s: return %d but diag code %d\n", name, rc, d.exit_code);
    return rc;
}

static int has(const char *needle)
{
    if (strstr(errs, needle)) return 1;
    fprintf(stderr, "expected message containing: %s\ngot:\n%s", needle, errs);
    return 0;
}

/* The input schema users are given (inputs/schema.sql), read once by main():
 * the tests run from the repository root. */
static char SCHEMA[4096];

static int load_schema(void)
{
    FILE *f = fopen("inputs/schema.sql", "r");
    if (!f) { perror("inputs/schema.sql"); return -1; }
    size_t n = fread(SCHEMA, 1, sizeof SCHEMA - 1, f);
    int full = !feof(f);
    fclose(f);
    SCHEMA[n] = 0;
    if (full) fprintf(stderr, "inputs/schema.sql: longer than %zu bytes\n", sizeof SCHEMA - 1);
    return full || n == 0 ? -1 : 0;
}

static const char *DATA =
    "INSERT INTO topics(id, name) VALUES('ir','International law'),('norms',NULL);"
    "INSERT INTO countries VALUES('NER','Niger','Africa','LIC',40.5,3),"
    "  ('FJI','Fiji','Pacific',NULL,NULL,NULL);"
    "INSERT INTO country_languages VALUES('NER','fr'),('FJI','en'),('NER','ha');"
    "INSERT INTO needs VALUES('NER','ir',4,2.5),('FJI','norms',2,1);"
    "INSERT INTO donors VALUES('eu','European Union',100000,'EUR',0.5),"
    "  ('gfce',NULL,5000,NULL,NULL);"
    "INSERT INTO donor_rules VALUES('eu','region','Africa'),('eu','topic','ir'),"
    "  ('eu','region','Pacific'),('eu','exclude_country','FJI'),('eu','income_group','LIC'),"
    "  ('eu','format','online'),('eu','provider','unitar'),('eu','country','NER');"
    "INSERT INTO courses VALUES('c1','unitar','Cyber law','fr','online',100,NULL,20,2,5,"
    "  10,4.5,'2027-02-01','2027-03-01',NULL),"
    "  ('c2',NULL,NULL,'en','in_person',0,'EUR',NULL,0,NULL,0,NULL,NULL,NULL,NULL);"
    "INSERT INTO course_topics VALUES('c1','ir'),('c2','norms'),('c1','norms');"
    "INSERT INTO course_regions VALUES('c1','Africa');"
    "INSERT INTO rates VALUES('EUR',1.1);"
    "INSERT INTO commitments VALUES('NER','c1',1,'eu');";

static void test_full(void)
{
    char sql[8192];
    snprintf(sql, sizeof sql, "%s%s", SCHEMA, DATA);
    CHECK(make_db("full.db", sql) == 0);
    CHECK(rd("full.db") == 0);
    CHECK_STR(errs, "");
    CHECK(m.ntopics == 2 && m.ncountries == 2 && m.nneeds == 2 && m.ndonors == 2
          && m.ncourses == 2 && m.nrates == 1 && m.ncommitments == 1);
    if (m.ntopics != 2 || m.ncountries != 2 || m.nneeds != 2 || m.ndonors != 2
        || m.ncourses != 2 || m.nrates != 1 || m.ncommitments != 1) return;

    CHECK_STR(m.topics[0].id, "ir");
    CHECK_STR(m.topics[0].name, "International law");
    CHECK(m.topics[1].name == NULL);
    CHECK_STR(m.topics[1].loc.file, "full.db");
    CHECK_STR(m.topics[1].loc.table, "topics");
    CHECK_STR(m.topics[1].loc.key, "norms");

    const md_country *c = &m.countries[0];
    CHECK_STR(c->code, "NER");
    CHECK_STR(c->region, "Africa");
    CHECK(c->income == MD_INC_LIC);
    CHECK_NEAR(c->trainee_hours, 40.5, 1e-12);
    CHECK(c->max_trainees == 3);
    CHECK(c->languages.present && c->languages.n == 2);
    if (c->languages.n == 2) {
        CHECK_STR(c->languages.v[0], "fr"); /* read order */
        CHECK_STR(c->languages.v[1], "ha");
    }
    c = &m.countries[1];
    CHECK(c->income == MD_INC_NONE && c->trainee_hours < 0 && c->max_trainees < 0);
    CHECK_STR(c->region, "Pacific");
    CHECK(c->languages.n == 1 && strcmp(c->languages.v[0], "en") == 0);

    CHECK_STR(m.needs[0].country, "NER");
    CHECK_STR(m.needs[0].topic, "ir");
    CHECK(m.needs[0].seats == 4);
    CHECK_NEAR(m.needs[0].priority, 2.5, 1e-12);
    CHECK_STR(m.needs[0].loc.key, "NER,ir");

    const md_donor *d = &m.donors[0];
    CHECK_STR(d->id, "eu");
    CHECK_NEAR(d->budget, 100000, 1e-9);
    CHECK_STR(d->currency, "EUR");
    CHECK_NEAR(d->max_share, 0.5, 1e-12);
    CHECK(d->regions.present && d->regions.n == 2);
    if (d->regions.n == 2) {
        CHECK_STR(d->regions.v[0], "Africa");
        CHECK_STR(d->regions.v[1], "Pacific");
    }
    CHECK(d->topics.n == 1 && strcmp(d->topics.v[0], "ir") == 0);
    CHECK(d->exclude_countries.n == 1 && strcmp(d->exclude_countries.v[0], "FJI") == 0);
    CHECK(d->income_groups.n == 1 && strcmp(d->income_groups.v[0], "LIC") == 0);
    CHECK(d->formats.n == 1 && strcmp(d->formats.v[0], "online") == 0);
    CHECK(d->providers.n == 1 && strcmp(d->providers.v[0], "unitar") == 0);
    CHECK(d->countries.n == 1 && strcmp(d->countries.v[0], "NER") == 0);
    d = &m.donors[1];
    CHECK(!d->regions.present && !d->topics.present && !d->countries.present
          && !d->exclude_countries.present);
    CHECK(d->currency == NULL && d->max_share == 0);

    const md_course *k = &m.courses[0];
    CHECK_STR(k->id, "c1");
    CHECK_STR(k->provider, "unitar");
    CHECK_STR(k->language, "fr");
    CHECK(k->format == MD_FMT_ONLINE);
    CHECK_NEAR(k->cost_per_seat, 100, 1e-12);
    CHECK(k->seats == 20 && k->min_seats == 2 && k->max_per_country == 5);
    CHECK_NEAR(k->hours, 10, 1e-12);
    CHECK_NEAR(k->quality, 4.5, 1e-12);
    CHECK(k->start_date == 20270201 && k->end_date == 20270301);
    CHECK(k->topics.n == 2);
    if (k->topics.n == 2) {
        CHECK_STR(k->topics.v[0], "ir");
        CHECK_STR(k->topics.v[1], "norms");
    }
    CHECK(k->regions.present && k->regions.n == 1);
    k = &m.courses[1];
    CHECK(k->format == MD_FMT_IN_PERSON && k->seats < 0 && k->quality < 0);
    CHECK(!k->regions.present);
    CHECK_STR(k->currency, "EUR");

    CHECK_STR(m.rates[0].currency, "EUR");
    CHECK_NEAR(m.rates[0].rate, 1.1, 1e-12);
    CHECK_STR(m.commitments[0].donor, "eu");
    CHECK(m.commitments[0].seats == 1);
    CHECK_STR(m.commitments[0].loc.key, "NER,c1");

    /* a valid whole: md_validate accepts it */
    m.set.currency = "USD";
    md_diag vd;
    md_diag_init(&vd, stderr);
    CHECK(md_validate(&m, &vd) == 0);
}

static void test_subset_and_order(void)
{
    /* only one table; the rest is absent; rowid order, not key order */
    CHECK(make_db("topics.db", "CREATE TABLE topics(id TEXT PRIMARY KEY, name TEXT);"
                  "INSERT INTO topics VALUES('zz',NULL),('aa',NULL),('mm',NULL);") == 0);
    CHECK(rd("topics.db") == 0);
    CHECK(m.ntopics == 3 && m.ncountries == 0 && m.ncourses == 0);
    if (m.ntopics == 3) {
        CHECK_STR(m.topics[0].id, "zz");
        CHECK_STR(m.topics[2].id, "mm");
    }
    /* WITHOUT ROWID tables are read in key order; upper-case names match */
    CHECK(make_db("norowid.db", "CREATE TABLE TOPICS(ID TEXT PRIMARY KEY, Name TEXT) WITHOUT ROWID;"
                  "INSERT INTO topics VALUES('zz',NULL),('aa','A');") == 0);
    CHECK(rd("norowid.db") == 0);
    CHECK_STR(errs, "");
    CHECK(m.ntopics == 2 && strcmp(m.topics[0].id, "aa") == 0
          && strcmp(m.topics[0].name, "A") == 0);
    /* a database with no capmatch tables is fine (and empty) */
    CHECK(make_db("other.db", "CREATE TABLE notes(x);CREATE TABLE reviews(x);"
                  "CREATE TABLE rates(currency TEXT, rate REAL);") == 0);
    CHECK(rd("other.db") == 0);
    CHECK_STR(errs, "");
    CHECK(m.ntopics == 0);
}

static void test_storage_class(void)
{
    CHECK(make_db("lots.db", "CREATE TABLE donors(id TEXT, budget REAL);"
                  "INSERT INTO donors VALUES('d1','lots'),('d2',x'00'),('d3',100);"
                  "CREATE TABLE needs(country TEXT, topic TEXT, seats INTEGER);"
                  "INSERT INTO needs VALUES('NER','ir',2.5),('NER','cb',3.0);") == 0);
    CHECK(rd("lots.db") == MD_EX_DATAERR);
    CHECK(has("capmatch: lots.db: table donors, row d1: error: budget must be a number, got text 'lots'\n"));
    CHECK(has("capmatch: lots.db: table donors, row d2: error: budget must be a number, got a blob\n"));
    CHECK(has("capmatch: lots.db: table needs, row NER,ir: error: seats must be an integer ≥ 1, got '2.5'\n"));
    CHECK(nerrs == 3); /* REAL 3.0 is an integer */
    CHECK(m.ndonors == 3 && m.nneeds == 2);

    /* text with a NUL inside is not cut short silently */
    CHECK(make_db("nul.db", "CREATE TABLE topics(id TEXT, name TEXT);"
                  "INSERT INTO topics VALUES('ir', CAST(x'41004200' AS TEXT));") == 0);
    CHECK(rd("nul.db") == MD_EX_DATAERR);
    CHECK_STR(errs, "capmatch: nul.db: table topics, row ir: error: name: text contains a NUL byte\n");
}

static void test_schema_errors(void)
{
    CHECK(make_db("cols.db", "CREATE TABLE topics(id TEXT, names TEXT);"
                  "INSERT INTO topics VALUES('a','b');"
                  "CREATE TABLE rates(currency TEXT, colour TEXT);"
                  "CREATE TABLE courses(id TEXT);") == 0);
    CHECK(rd("cols.db") == MD_EX_DATAERR);
    CHECK_STR(errs, /* input table order (docs/formats.md, SQLite inputs) */
        "capmatch: cols.db: error: table topics: unknown column 'names' (did you mean 'name'?)\n"
        "capmatch: cols.db: error: table courses: missing required column 'language'\n"
        "capmatch: cols.db: error: table courses: missing required column 'format'\n"
        "capmatch: cols.db: error: table courses: missing required column 'cost_per_seat'\n"
        "capmatch: cols.db: error: table rates: unknown column 'colour'\n"
        "capmatch: cols.db: error: table rates: missing required column 'rate'\n");
    CHECK(m.ntopics == 0); /* no rows read after schema errors */

    CHECK(make_db("typo.db", "CREATE TABLE countires(code TEXT);"
                  "CREATE TABLE topic(id TEXT);CREATE TABLE topics(id TEXT);") == 0);
    /* a near miss of an absent table is a warning ("topic" is not: topics exists) */
    CHECK(rd("typo.db") == 0);
    CHECK_STR(errs, "capmatch: typo.db: warning: table 'countires' is not read (did you mean 'countries'?)\n");

    CHECK(make_db("view.db", "CREATE TABLE t(id TEXT);"
                  "CREATE VIEW topics AS SELECT id FROM t;") == 0);
    CHECK(rd("view.db") == MD_EX_DATAERR);
    CHECK(has("capmatch: view.db: error: topics is a view; capmatch reads tables only\n"));
}

static void test_joins(void)
{
    CHECK(make_db("join.db",
        "CREATE TABLE countries(code TEXT PRIMARY KEY, name TEXT NOT NULL);"
        "CREATE TABLE country_languages(country TEXT, language TEXT);"
        "INSERT INTO countries VALUES('NER','Niger'),('FJI','Fiji');"
        "INSERT INTO country_languages VALUES('NER','fr'),('XYZ','en'),('NER','french'),"
        "  (NULL,'en'),('NER','fr');"
        "CREATE TABLE courses(id TEXT, language TEXT, format TEXT, cost_per_seat REAL);"
        "INSERT INTO courses VALUES('c1','en','online',0);"
        "CREATE TABLE course_regions(course TEXT, region TEXT);"
        "INSERT INTO course_regions VALUES('c9','Africa');"
        "CREATE TABLE donor_rules(donor TEXT, field TEXT, value TEXT);"
        "INSERT INTO donor_rules VALUES('d1','regoin','Africa'),('d1','topic','ir');") == 0);
    CHECK(rd("join.db") == MD_EX_DATAERR);
    CHECK_STR(errs,
        "capmatch: join.db: table country_languages, row rowid 4: error: column 'country': expected text, got NULL\n"
        "capmatch: join.db: table donor_rules, row d1,regoin,Africa: error: column 'field': unknown rule field 'regoin' (did you mean 'region'?)\n"
        "capmatch: join.db: table country_languages, row NER,french: error: languages entry must be an ISO 639-1 language code, got text 'french'\n"
        "capmatch: join.db: table country_languages, row NER,fr: error: 'fr' is listed twice in languages\n"
        "capmatch: join.db: table countries, row FJI: error: country 'FJI' is missing required field 'languages'\n"
        "capmatch: join.db: table courses, row c1: error: course 'c1' is missing required field 'topics'\n"
        "capmatch: join.db: table country_languages, row XYZ,en: error: no country 'XYZ' in this database\n"
        "capmatch: join.db: table course_regions, row c9,Africa: error: no course 'c9' in this database\n"
        "capmatch: join.db: table donor_rules, row d1,topic,ir: error: no donor 'd1' in this database\n");
}

static void test_control_chars(void)
{
    /* a newline in a key must not split the one-line message */
    CHECK(make_db("ctl.db", "CREATE TABLE course_topics(course TEXT, topic TEXT);"
                  "INSERT INTO course_topics VALUES('x' || char(10) || 'y', 'ir');") == 0);
    CHECK(rd("ctl.db") == MD_EX_DATAERR);
    CHECK_STR(errs, "capmatch: ctl.db: table course_topics, row x\\x0ay,ir: error: "
              "no course 'x\\x0ay' in this database\n");
}

static void test_bad_files(void)
{
    CHECK(write_file("text.db", "topics:\n  - id: ir\n", 19) == 0);
    CHECK(rd("text.db") == MD_EX_DATAERR);
    CHECK_STR(errs, "capmatch: text.db: error: not an SQLite database\n");

    CHECK(write_file("empty.db", "", 0) == 0);
    CHECK(rd("empty.db") == MD_EX_DATAERR);
    CHECK_STR(errs, "capmatch: empty.db: error: not an SQLite database (the file is empty)\n");

    CHECK(rd("missing.db") == MD_EX_NOINPUT);
    CHECK_STR(errs, "capmatch: missing.db: error: cannot open database: No such file or directory\n");

    CHECK(mkdir(path_of("dir.db"), 0755) == 0);
    CHECK(rd("dir.db") == MD_EX_NOINPUT);
    CHECK_STR(errs, "capmatch: dir.db: error: cannot open database: is a directory\n");

    CHECK(mkfifo(path_of("fifo.db"), 0644) == 0);
    CHECK(rd("fifo.db") == MD_EX_NOINPUT);
    CHECK_STR(errs, "capmatch: fifo.db: error: cannot open database: not a regular file\n");

    /* a real database cut short, and one whose pages are overwritten */
    char sql[8192];
    snprintf(sql, sizeof sql, "%s%s", SCHEMA, DATA);
    CHECK(make_db("cut.db", sql) == 0);
    CHECK(truncate(path_of("cut.db"), 4096 + 100) == 0);
    int rc = rd("cut.db");
    CHECK(rc == MD_EX_DATAERR);
    CHECK(has("capmatch: cut.db: error: "));
    CHECK(has("corrupt"));

    CHECK(make_db("garbage.db", sql) == 0);
    FILE *f = fopen(path_of("garbage.db"), "r+b");
    CHECK(f != NULL);
    if (f) {
        char junk[4096];
        for (size_t i = 0; i < sizeof junk; i++) junk[i] = (char)(i * 37 + 11);
        fseek(f, 4096, SEEK_SET);
        for (int i = 0; i < 8; i++) fwrite(junk, 1, sizeof junk, f);
        fclose(f);
    }
    CHECK(rd("garbage.db") == MD_EX_DATAERR);
    CHECK(has("corrupt"));
}

static void test_odd_path(void)
{
    /* '%', '?' and '#' must survive the URI */
    CHECK(make_db("a%41?b#c d.db", "CREATE TABLE topics(id TEXT);"
                  "INSERT INTO topics VALUES('ok');") == 0);
    CHECK(rd("a%41?b#c d.db") == 0);
    CHECK_STR(errs, "");
    CHECK(m.ntopics == 1);
}

static void test_read_only(void)
{
    /* reading leaves the file byte for byte as it was, and creates nothing */
    char sql[8192];
    snprintf(sql, sizeof sql, "%s%s", SCHEMA, DATA);
    CHECK(make_db("ro.db", sql) == 0);
    struct stat a, b;
    CHECK(stat(path_of("ro.db"), &a) == 0);
    CHECK(chmod(path_of("ro.db"), 0444) == 0);
    CHECK(rd("ro.db") == 0);
    CHECK(stat(path_of("ro.db"), &b) == 0);
    CHECK(a.st_size == b.st_size && a.st_mtime == b.st_mtime);
    CHECK(access(path_of("ro.db-journal"), F_OK) != 0);
    CHECK(access(path_of("ro.db-wal"), F_OK) != 0);
}

/* Another process holds an exclusive lock (a writer mid-transaction): the
 * reader waits its busy timeout, then fails with 66 "database is locked". */
static void test_locked(void)
{
    char sql[8192];
    snprintf(sql, sizeof sql, "%s%s", SCHEMA, DATA);
    CHECK(make_db("lock.db", sql) == 0);
    int ready[2], done[2];
    if (pipe(ready) != 0 || pipe(done) != 0) { CHECK(0); return; }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) { CHECK(0); return; }
    if (pid == 0) { /* the writer: its own connection, opened after fork */
        sqlite3 *db = NULL;
        char c = 'x';
        int ok = sqlite3_open(path_of("lock.db"), &db) == SQLITE_OK
              && sqlite3_exec(db, "BEGIN EXCLUSIVE; DELETE FROM rates;", NULL, NULL, NULL) == SQLITE_OK;
        if (write(ready[1], ok ? "1" : "0", 1) != 1) _exit(1);
        if (read(done[0], &c, 1) < 0) _exit(1); /* hold the lock until told */
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
        _exit(0);
    }
    char c = '0';
    CHECK(read(ready[0], &c, 1) == 1 && c == '1');
    time_t t0 = time(NULL);
    CHECK(rd("lock.db") == MD_EX_NOINPUT);
    CHECK(time(NULL) - t0 >= 4); /* it waited for the writer */
    CHECK_STR(errs, "capmatch: lock.db: error: database is locked by another process "
              "(waited 5 s); try again later\n");
    CHECK(write(done[1], "x", 1) == 1);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(ready[0]); close(ready[1]); close(done[0]); close(done[1]);
    /* once the writer is gone the same file reads fine, rates intact */
    CHECK(rd("lock.db") == 0 && m.nrates == 1);
}

static int copy_file(const char *from, const char *to)
{
    FILE *a = fopen(path_of(from), "rb"), *b = fopen(path_of(to), "wb");
    char buf[4096];
    size_t n;
    int rc = a && b ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, a)) > 0)
        if (fwrite(buf, 1, n, b) != n) rc = -1;
    if (a) fclose(a);
    if (b && fclose(b) != 0) rc = -1;
    return rc;
}

static int exists(const char *name) { return access(path_of(name), F_OK) == 0; }

/* Issue #21: a WAL-mode input gets no -wal/-shm beside it; committed data
 * still in a -wal file (a writer has it open, or a copy kept it) is refused
 * rather than silently missed. */
static void test_wal(void)
{
    char sql[8192];
    snprintf(sql, sizeof sql, "PRAGMA journal_mode=WAL;%s%s", SCHEMA, DATA);
    CHECK(make_db("wal.db", sql) == 0);
    CHECK(!exists("wal.db-wal") && !exists("wal.db-shm"));
    struct stat a, b;
    CHECK(stat(path_of("wal.db"), &a) == 0);
    CHECK(rd("wal.db") == 0 && m.nrates == 1);
    CHECK_STR(errs, "");
    CHECK(!exists("wal.db-wal") && !exists("wal.db-shm"));
    CHECK(stat(path_of("wal.db"), &b) == 0 && a.st_size == b.st_size && a.st_mtime == b.st_mtime);

    /* a writer keeps a commit in the WAL */
    sqlite3 *w = NULL;
    CHECK(sqlite3_open(path_of("wal.db"), &w) == SQLITE_OK);
    CHECK(sqlite3_exec(w, "PRAGMA wal_autocheckpoint=0; INSERT INTO rates VALUES('GBP', 1.3);",
                       NULL, NULL, NULL) == SQLITE_OK);
    CHECK(exists("wal.db-wal"));
    CHECK(rd("wal.db") == MD_EX_NOINPUT);
    CHECK_STR(errs, "capmatch: wal.db: error: wal.db-wal is not empty: it holds changes not yet "
              "written into the database (a program has it open, or did not checkpoint); capmatch "
              "reads input databases without touching their -wal files: close that program or run "
              "PRAGMA wal_checkpoint(TRUNCATE), then try again\n");
    /* a copy taken now has its committed row only in its -wal */
    CHECK(copy_file("wal.db", "stale.db") == 0 && copy_file("wal.db-wal", "stale.db-wal") == 0);
    sqlite3_close(w); /* the last connection checkpoints and removes the WAL */
    CHECK(!exists("wal.db-wal"));
    CHECK(rd("wal.db") == 0 && m.nrates == 2);
    CHECK(rd("stale.db") == MD_EX_NOINPUT && m.nrates == 0);
    CHECK(has("stale.db-wal is not empty"));
    CHECK(!exists("stale.db-shm"));
    /* an empty -wal (a writer has it open, nothing pending) is fine */
    CHECK(write_file("stale.db-wal", "", 0) == 0);
    CHECK(rd("stale.db") == 0 && m.nrates == 1);
}

/* Issue #21: databases over 1 GiB are refused before SQLite reads them. */
static void test_size_cap(void)
{
    char hdr[100] = "SQLite format 3";
    CHECK(write_file("big.db", hdr, sizeof hdr) == 0);
    CHECK(truncate(path_of("big.db"), (off_t)(1ll << 30) + 1) == 0); /* sparse */
    CHECK(rd("big.db") == MD_EX_DATAERR);
    CHECK_STR(errs, "capmatch: big.db: error: the database is too large (an input database may "
              "hold at most 1024 MiB)\n");
    unlink(path_of("big.db"));
}

/* ---- equivalence: the same data as YAML and as SQLite load alike ---- */

static const char *YAML_DATA =
    "topics:\n"
    "  - {id: ir, name: International law}\n"
    "  - {id: norms}\n"
    "countries:\n"
    "  - {code: NER, name: Niger, region: Africa, income_group: LIC, trainee_hours: 40.5,\n"
    "     max_trainees: 3, languages: [fr, ha]}\n"
    "  - {code: FJI, name: Fiji, region: Pacific, languages: [en]}\n"
    "needs:\n"
    "  - {country: NER, topic: ir, seats: 4, priority: 2.5}\n"
    "  - {country: FJI, topic: norms, seats: 2, priority: 1}\n"
    "donors:\n"
    "  - {id: eu, name: European Union, budget: 100000, currency: EUR,\n"
    "     max_share_per_country: 0.5, regions: [Africa, Pacific], topics: [ir],\n"
    "     exclude_countries: [FJI], income_groups: [LIC], formats: [online],\n"
    "     providers: [unitar], countries: [NER]}\n"
    "  - {id: gfce, budget: 5000}\n"
    "courses:\n"
    "  - {id: c1, provider: unitar, title: Cyber law, language: fr, format: online,\n"
    "     cost_per_seat: 100, seats: 20, min_seats: 2, max_per_country: 5, hours: 10,\n"
    "     quality: 4.5, start_date: 2027-02-01, end_date: 2027-03-01,\n"
    "     topics: [ir, norms], regions: [Africa]}\n"
    "  - {id: c2, language: en, format: in_person, cost_per_seat: 0, currency: EUR,\n"
    "     min_seats: 0, hours: 0, topics: [norms]}\n"
    "rates:\n"
    "  - {currency: EUR, rate: 1.1}\n"
    "commitments:\n"
    "  - {country: NER, course: c1, seats: 1, donor: eu}\n";

static int write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_list(const md_strlist *a, const md_strlist *b)
{
    if (a->present != b->present || a->n != b->n) return 0;
    for (int i = 0; i < a->n; i++)
        if (!same_str(a->v[i], b->v[i])) return 0;
    return 1;
}

static int load(const char *name, md_model *x)
{
    md_model_init(x);
    md_diag d;
    md_diag_init(&d, stderr);
    return in_load(path_of(name), x, &d);
}

static void test_equivalence(void)
{
    char sql[8192], yml[8192];
    snprintf(sql, sizeof sql, "%s%s", SCHEMA, DATA);
    CHECK(make_db("eq.db", sql) == 0);
    CHECK(write_text("eq_sql.yaml", "name: eq\ncurrency: USD\ninclude: [eq.db]\n") == 0);
    snprintf(yml, sizeof yml, "name: eq\ncurrency: USD\n%s", YAML_DATA);
    CHECK(write_text("eq_yaml.yaml", yml) == 0);
    md_model a, b;
    CHECK(load("eq_yaml.yaml", &a) == 0);
    CHECK(load("eq_sql.yaml", &b) == 0);
    CHECK(a.ntopics == 2 && a.ncountries == 2 && a.nneeds == 2 && a.ndonors == 2
          && a.ncourses == 2 && a.nrates == 1 && a.ncommitments == 1);
    CHECK(a.ntopics == b.ntopics && a.ncountries == b.ncountries && a.nneeds == b.nneeds
          && a.ndonors == b.ndonors && a.ncourses == b.ncourses && a.nrates == b.nrates
          && a.ncommitments == b.ncommitments);
    if (a.ntopics != b.ntopics || a.ncountries != b.ncountries || a.nneeds != b.nneeds
        || a.ndonors != b.ndonors || a.ncourses != b.ncourses || a.nrates != b.nrates
        || a.ncommitments != b.ncommitments) goto out;
    for (int i = 0; i < a.ntopics; i++)
        CHECK(same_str(a.topics[i].id, b.topics[i].id) && same_str(a.topics[i].name, b.topics[i].name));
    for (int i = 0; i < a.ncountries; i++) {
        const md_country *x = &a.countries[i], *y = &b.countries[i];
        CHECK(same_str(x->code, y->code) && same_str(x->name, y->name)
              && same_str(x->region, y->region) && x->income == y->income
              && same_list(&x->languages, &y->languages) && x->trainee_hours == y->trainee_hours
              && x->max_trainees == y->max_trainees && x->need_first == y->need_first
              && x->need_count == y->need_count);
    }
    for (int i = 0; i < a.nneeds; i++) {
        const md_need *x = &a.needs[i], *y = &b.needs[i];
        CHECK(same_str(x->country, y->country) && same_str(x->topic, y->topic) && x->c == y->c
              && x->t == y->t && x->seats == y->seats && x->priority == y->priority);
    }
    for (int i = 0; i < a.ndonors; i++) {
        const md_donor *x = &a.donors[i], *y = &b.donors[i];
        CHECK(same_str(x->id, y->id) && same_str(x->name, y->name) && x->budget == y->budget
              && same_str(x->currency, y->currency) && x->budget_base == y->budget_base
              && x->max_share == y->max_share && same_list(&x->regions, &y->regions)
              && same_list(&x->countries, &y->countries)
              && same_list(&x->income_groups, &y->income_groups)
              && same_list(&x->topics, &y->topics) && same_list(&x->formats, &y->formats)
              && same_list(&x->providers, &y->providers)
              && same_list(&x->exclude_countries, &y->exclude_countries));
    }
    for (int i = 0; i < a.ncourses; i++) {
        const md_course *x = &a.courses[i], *y = &b.courses[i];
        int topics_same = x->topics.n == y->topics.n;
        for (int j = 0; topics_same && j < x->topics.n; j++)
            topics_same = x->topic_idx[j] == y->topic_idx[j];
        CHECK(same_str(x->id, y->id) && same_str(x->provider, y->provider)
              && same_str(x->title, y->title) && same_list(&x->topics, &y->topics) && topics_same
              && same_str(x->language, y->language) && x->format == y->format
              && x->cost_per_seat == y->cost_per_seat && same_str(x->currency, y->currency)
              && x->cost_base == y->cost_base && x->seats == y->seats
              && x->min_seats == y->min_seats && x->max_per_country == y->max_per_country
              && x->hours == y->hours && x->quality == y->quality
              && same_list(&x->regions, &y->regions) && x->start_date == y->start_date
              && x->end_date == y->end_date);
    }
    CHECK(same_str(a.rates[0].currency, b.rates[0].currency) && a.rates[0].rate == b.rates[0].rate);
    CHECK(same_str(a.commitments[0].country, b.commitments[0].country)
          && same_str(a.commitments[0].course, b.commitments[0].course)
          && same_str(a.commitments[0].donor, b.commitments[0].donor)
          && a.commitments[0].c == b.commitments[0].c && a.commitments[0].k == b.commitments[0].k
          && a.commitments[0].d == b.commitments[0].d
          && a.commitments[0].seats == b.commitments[0].seats);
    /* the comparison can see a difference: one changed cell is noticed */
    CHECK(exec_db("eq.db", "UPDATE courses SET hours = 11 WHERE id = 'c1';") == 0);
    md_model c;
    CHECK(load("eq_sql.yaml", &c) == 0);
    CHECK(c.ncourses == 2 && c.courses[0].hours == 11 && a.courses[0].hours == 10);
    md_model_free(&c);
out:
    md_model_free(&a);
    md_model_free(&b);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/unit_sqlite.XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    md_model_init(&m);
    CHECK(load_schema() == 0);
    test_full();
    test_subset_and_order();
    test_storage_class();
    test_schema_errors();
    test_joins();
    test_control_chars();
    test_bad_files();
    test_odd_path();
    test_read_only();
    test_wal();
    test_size_cap();
    test_equivalence();
    test_locked();
    md_model_free(&m);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
