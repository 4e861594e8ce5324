/* inputs/fields.c — the field table of every entity kind (docs/formats.md, Entities)
 * and the scalar conversions shared by the YAML and SQLite readers.
 *
 * Choices made here (docs/formats.md, Entities, gives the user's view):
 * - topic ids are slugs [a-z0-9][a-z0-9_-]*, but a reference to a topic
 *   (a need's, a course's, a donor's) may be an alias such as "OEWG/GGE",
 *   so references are ids, resolved by md_validate() (models/alias.c);
 * - every other id, and the
 *   free-form keys that eligibility compares (region, provider), must be
 *   non-empty, free of control characters and of leading/trailing spaces
 *   ("gfce " and "gfce" must not be two donors by accident);
 * - name and title are any text;
 * - references (a need's or commitment's country, a donor's countries) are
 *   ids here; md_validate() checks that they resolve and suggests the
 *   closest id when they do not ("KNE": did you mean "KEN"?);
 * - a list that names the same value twice is an error;
 * - integers may be written 3 or 3.0 (SQLite REAL 3.0), never 3.5;
 * - every number has a range (docs/limits.md gives the reasons): amounts
 *   are 0 or 0.01–1e12, rates 1e-6–1e6, hours 0 or 0.01–1e6, priorities
 *   0.001–1000, seat counts at most 1e6, so that whatever passes here is
 *   solved reliably by GLPK (whose tolerances are about 1e-7) and printed
 *   exactly to the cent;
 * - ids and other compared keys are at most 64 bytes, names and titles at
 *   most 200, lists at most 1000 entries: a 20 MB title must not become
 *   gigabytes of reports;
 * - input text quoted in a message is a short excerpt with every control
 *   character escaped (cron mails stderr: a message must not carry a
 *   file's contents or terminal escapes). */
#include "fields.h"
#include "../models/text.h"
#include "../models/codes.h"
#include "../models/iati_codes.h"
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const in_entity_lists[IN_E_COUNT] = {
    "topics", "countries", "needs", "donors", "courses", "rates", "commitments", "ratings"
};

static const char *const entity_names[IN_E_COUNT] = {
    "topic", "country", "need", "donor", "course", "rate", "commitment", "rating"
};

int in_entity_kind_of(const char *list_key)
{
    for (int i = 0; list_key && i < IN_E_COUNT; i++)
        if (strcmp(list_key, in_entity_lists[i]) == 0) return i;
    return -1;
}

/* ---- field table ---------------------------------------------------- */

enum ftype {
    T_SLUG, T_ID, T_TEXT, T_COUNTRY, T_LANG, T_CURRENCY, T_INCOME, T_FORMAT,
    T_NUM, T_INT, T_DATE, T_LIST, T_SECTOR, T_URL
};

enum frange {
    R_NONE, R_AMOUNT, R_RATE, R_HOURS, R_PRIORITY, R_SHARE, R_QUALITY, R_SEATS0, R_SEATS1,
    R_SCORE
};

typedef struct field {
    const char *name;
    unsigned char type, elem, required, range;
    size_t off;
} field;


#define F(st, nm, ty, el, rq, rg) { #nm, ty, el, rq, rg, offsetof(st, nm) }

static const field topic_fields[] = {
    F(md_topic, id, T_SLUG, 0, 1, R_NONE),
    F(md_topic, name, T_TEXT, 0, 0, R_NONE),
    F(md_topic, dac_sector, T_SECTOR, 0, 0, R_NONE),
    F(md_topic, aliases, T_LIST, T_ID, 0, R_NONE), /* other names: models/alias.c */
};

static const field country_fields[] = {
    F(md_country, code, T_COUNTRY, 0, 1, R_NONE),
    F(md_country, name, T_TEXT, 0, 1, R_NONE),
    F(md_country, region, T_ID, 0, 0, R_NONE),
    { "income_group", T_INCOME, 0, 0, R_NONE, offsetof(md_country, income) },
    F(md_country, languages, T_LIST, T_LANG, 1, R_NONE),
    F(md_country, trainee_hours, T_NUM, 0, 0, R_HOURS),
    F(md_country, max_trainees, T_INT, 0, 0, R_SEATS0),
};

static const field need_fields[] = {
    F(md_need, country, T_ID, 0, 1, R_NONE),
    F(md_need, topic, T_ID, 0, 1, R_NONE), /* a topic id or alias */
    F(md_need, seats, T_INT, 0, 1, R_SEATS1),
    F(md_need, priority, T_NUM, 0, 0, R_PRIORITY),
};

static const field donor_fields[] = {
    F(md_donor, id, T_ID, 0, 1, R_NONE),
    F(md_donor, name, T_TEXT, 0, 0, R_NONE),
    F(md_donor, budget, T_NUM, 0, 1, R_AMOUNT),
    F(md_donor, currency, T_CURRENCY, 0, 0, R_NONE),
    { "max_share_per_country", T_NUM, 0, 0, R_SHARE, offsetof(md_donor, max_share) },
    F(md_donor, regions, T_LIST, T_ID, 0, R_NONE),
    F(md_donor, countries, T_LIST, T_ID, 0, R_NONE),
    F(md_donor, income_groups, T_LIST, T_INCOME, 0, R_NONE),
    F(md_donor, topics, T_LIST, T_ID, 0, R_NONE),
    F(md_donor, formats, T_LIST, T_FORMAT, 0, R_NONE),
    F(md_donor, providers, T_LIST, T_ID, 0, R_NONE),
    F(md_donor, exclude_countries, T_LIST, T_ID, 0, R_NONE),
};

static const field course_fields[] = {
    F(md_course, id, T_ID, 0, 1, R_NONE),
    F(md_course, provider, T_ID, 0, 0, R_NONE),
    F(md_course, title, T_TEXT, 0, 0, R_NONE),
    F(md_course, topics, T_LIST, T_ID, 1, R_NONE),
    F(md_course, language, T_LANG, 0, 1, R_NONE),
    F(md_course, format, T_FORMAT, 0, 1, R_NONE),
    F(md_course, cost_per_seat, T_NUM, 0, 1, R_AMOUNT),
    F(md_course, currency, T_CURRENCY, 0, 0, R_NONE),
    F(md_course, seats, T_INT, 0, 0, R_SEATS1),
    F(md_course, min_seats, T_INT, 0, 0, R_SEATS0),
    F(md_course, max_per_country, T_INT, 0, 0, R_SEATS1),
    F(md_course, hours, T_NUM, 0, 0, R_HOURS),
    F(md_course, quality, T_NUM, 0, 0, R_QUALITY),
    F(md_course, regions, T_LIST, T_ID, 0, R_NONE),
    F(md_course, start_date, T_DATE, 0, 0, R_NONE),
    F(md_course, end_date, T_DATE, 0, 0, R_NONE),
    F(md_course, url, T_URL, 0, 0, R_NONE),
};

static const field rate_fields[] = {
    F(md_rate, currency, T_CURRENCY, 0, 1, R_NONE),
    F(md_rate, rate, T_NUM, 0, 1, R_RATE),
};

static const field commitment_fields[] = {
    F(md_commitment, country, T_ID, 0, 1, R_NONE),
    F(md_commitment, course, T_ID, 0, 1, R_NONE),
    F(md_commitment, seats, T_INT, 0, 1, R_SEATS1),
    F(md_commitment, donor, T_ID, 0, 0, R_NONE),
};

static const field rating_fields[] = {
    F(md_rating, course, T_ID, 0, 1, R_NONE),
    F(md_rating, score, T_NUM, 0, 1, R_SCORE),
    F(md_rating, responses, T_INT, 0, 1, R_SEATS1),
    F(md_rating, collected, T_DATE, 0, 1, R_NONE),
};

#define N(a) (int)(sizeof a / sizeof a[0])
static const struct { const field *f; int n; size_t loc_off; } tables[IN_E_COUNT] = {
    { topic_fields, N(topic_fields), offsetof(md_topic, loc) },
    { country_fields, N(country_fields), offsetof(md_country, loc) },
    { need_fields, N(need_fields), offsetof(md_need, loc) },
    { donor_fields, N(donor_fields), offsetof(md_donor, loc) },
    { course_fields, N(course_fields), offsetof(md_course, loc) },
    { rate_fields, N(rate_fields), offsetof(md_rate, loc) },
    { commitment_fields, N(commitment_fields), offsetof(md_commitment, loc) },
    { rating_fields, N(rating_fields), offsetof(md_rating, loc) },
};

/* ---- text safety: UTF-8, control characters, excerpts ----------------- */

int in_text_problem(const char *s)
{
    while (*s) {
        unsigned cp;
        int n = md_utf8_len(s, &cp);
        if (!n) return 2;
        if (md_unsafe_cp(cp)) return 1;
        s += n;
    }
    return 0;
}

const char *in_excerpt(char *buf, size_t size, const char *s, int max_chars)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    int chars = 0;
    while (*s && chars < max_chars && o + 12 < size) {
        unsigned cp;
        int n = md_utf8_len(s, &cp);
        if (n == 0) { /* not UTF-8: the byte as \xNN */
            unsigned char c = (unsigned char)*s;
            o += (size_t)snprintf(buf + o, size - o, "\\x%c%c", hex[c >> 4], hex[c & 15]);
            n = 1;
        } else if (cp < 0x20 || cp == 0x7F) {
            o += (size_t)snprintf(buf + o, size - o, "\\x%c%c", hex[cp >> 4], hex[cp & 15]);
        } else if (md_unsafe_cp(cp)) {
            o += (size_t)snprintf(buf + o, size - o, "\\u%04x", cp);
        } else {
            memcpy(buf + o, s, (size_t)n);
            o += (size_t)n;
        }
        s += n;
        chars++;
    }
    if (*s) { memcpy(buf + o, "\xe2\x80\xa6", 3); o += 3; } /* "…" */
    buf[o] = '\0';
    return buf;
}

/* The excerpt every message quotes: IN_EXCERPT_CHARS characters. */
static const char *show(char *buf, size_t size, const char *s)
{
    return in_excerpt(buf, size, s, IN_EXCERPT_CHARS);
}

/* "'text'", "a quoted string '100'", "a list", … for "got %s". */
static const char *got(char *buf, size_t size, const in_value *v)
{
    char tmp[IN_EXCERPT_SIZE];
    switch (v->kind) {
    case IN_NULL: return "null";
    case IN_PLAIN: snprintf(buf, size, "'%s'", show(tmp, sizeof tmp, v->text)); break;
    case IN_STRING:
        snprintf(buf, size, v->loc.table ? "text '%s'" : "a quoted string '%s'",
                 show(tmp, sizeof tmp, v->text));
        break;
    case IN_INT: snprintf(buf, size, "'%lld'", v->i); break;
    case IN_REAL: snprintf(buf, size, "'%.15g'", v->r); break;
    case IN_BLOB: return "a blob";
    case IN_SEQ: return "a list";
    case IN_MAP: return "a mapping";
    }
    return buf;
}

static void bad(md_diag *d, const in_value *v, const char *what, const char *desc)
{
    char buf[IN_EXCERPT_SIZE + 32];
    md_error(d, MD_EX_DATAERR, &v->loc, "%s must be %s, got %s", what, desc,
             got(buf, sizeof buf, v));
}

/* ---- scalar conversions ---------------------------------------------- */

/* 0 ok, -1 not a number, -2 out of double's range. Only decimal notation:
 * no hex, inf, nan, spaces or YAML extras like 1_000 or .inf. */
static int parse_number(const char *s, double *out)
{
    int digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') digits = 1;
        else if (!strchr("+-.eE", *p)) return -1;
    }
    if (!digits) return -1;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end) return -1;
    if (errno == ERANGE || !isfinite(x)) return -2;
    *out = x;
    return 0;
}

int in_value_number(md_diag *d, const in_value *v, const char *what, double *out)
{
    char buf[IN_EXCERPT_SIZE + 32], tmp[IN_EXCERPT_SIZE];
    switch (v->kind) {
    case IN_PLAIN: {
        int r = parse_number(v->text, out);
        if (r == 0) return 0;
        if (r == -2) {
            md_error(d, MD_EX_DATAERR, &v->loc, "%s is out of range, got '%s'", what,
                     show(tmp, sizeof tmp, v->text));
            return -1;
        }
        break;
    }
    case IN_INT: *out = (double)v->i; return 0;
    case IN_REAL:
        if (isfinite(v->r)) { *out = v->r; return 0; }
        md_error(d, MD_EX_DATAERR, &v->loc, "%s must be a finite number, got %s", what,
                 got(buf, sizeof buf, v));
        return -1;
    default: break;
    }
    bad(d, v, what, "a number");
    return -1;
}

/* Integral values only; `desc` is what the message says is expected. */
static int to_integer(md_diag *d, const in_value *v, const char *what, const char *desc,
                      long long *out)
{
    double x;
    switch (v->kind) {
    case IN_INT: *out = v->i; return 0;
    case IN_PLAIN: {
        const char *p = v->text;
        if (*p == '+' || *p == '-') p++;
        if (*p && strspn(p, "0123456789") == strlen(p)) {
            char *end;
            errno = 0;
            long long n = strtoll(v->text, &end, 10);
            if (errno == 0 && !*end) { *out = n; return 0; }
            char tmp[IN_EXCERPT_SIZE];
            md_error(d, MD_EX_DATAERR, &v->loc, "%s is out of range, got '%s'", what,
                     show(tmp, sizeof tmp, v->text));
            return -1;
        }
        if (parse_number(v->text, &x) != 0) break;
        goto real;
    }
    case IN_REAL:
        x = v->r;
    real:
        if (isfinite(x) && x == floor(x) && fabs(x) <= 9e15) { *out = (long long)x; return 0; }
        break;
    default: break;
    }
    bad(d, v, what, desc);
    return -1;
}

int in_value_integer(md_diag *d, const in_value *v, const char *what, long long *out)
{
    return to_integer(d, v, what, "an integer", out);
}

const char *in_value_text(md_diag *d, const in_value *v, const char *what)
{
    if (v->kind == IN_PLAIN || v->kind == IN_STRING) return v->text;
    bad(d, v, what, "text");
    return NULL;
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* YYYY-MM-DD, a real calendar date, years 0001–9999 → YYYYMMDD, or -1. */
static int parse_date(const char *s)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int mo = (s[5] - '0') * 10 + (s[6] - '0');
    int dd = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || mo < 1 || mo > 12 || dd < 1) return -1;
    int lim = mdays[mo - 1] + (mo == 2 && is_leap(y));
    if (dd > lim) return -1;
    return y * 10000 + mo * 100 + dd;
}

int in_value_date(md_diag *d, const in_value *v, const char *what, int *out)
{
    if (v->kind == IN_PLAIN || v->kind == IN_STRING) {
        int r = parse_date(v->text);
        if (r > 0) { *out = r; return 0; }
    }
    bad(d, v, what, "a real date YYYY-MM-DD");
    return -1;
}

/* ---- suggestions ----------------------------------------------------- */

/* Levenshtein distance, giving up (returning 3) beyond 2 or for long words. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 62 || lb > 62) return 3;
    if ((la > lb ? la - lb : lb - la) > 2) return 3;
    int row[64];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *in_suggest(const char *s, const char *const *cands, int n)
{
    const char *best = NULL;
    int bestd = 3;
    if (!s || !*s) return NULL;
    for (int i = 0; i < n; i++) {
        int dd = distance(s, cands[i]);
        /* short words are within 2 edits of every other short word */
        if (dd >= (int)strlen(s) || (dd > 1 && strlen(s) <= 4)) continue;
        if (dd < bestd) { bestd = dd; best = cands[i]; }
    }
    return best;
}

/* ---- typed string checks -------------------------------------------- */

static int is_slug(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* Compared keys: no control or bidi characters (they would make two ids
 * that look alike, or garble a terminal), no surrounding spaces. */
static int is_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || s[0] == ' ' || s[n - 1] == ' ') return 0;
    return in_text_problem(s) == 0;
}

/* A course link the pages print as href: http or https only (a javascript:
 * or file: link in a forwarded page would run or leak something), a host,
 * and no space, quote, angle bracket or control character. */
static int is_url(const char *s)
{
    size_t skip = strncasecmp(s, "https://", 8) == 0 ? 8 : strncasecmp(s, "http://", 7) == 0 ? 7 : 0;
    if (!skip || !s[skip] || s[skip] == '/' || s[skip] == '?' || s[skip] == '#') return 0;
    for (const unsigned char *q = (const unsigned char *)s; *q; q++)
        if (*q <= ' ' || *q == 0x7F || *q == '"' || *q == '\'' || *q == '<' || *q == '>' || *q == '\\')
            return 0;
    return in_text_problem(s) == 0;
}

static const char *type_desc(int t)
{
    switch (t) {
    case T_SLUG: return "a slug ([a-z0-9][a-z0-9_-]*)";
    case T_ID: return "a non-empty name without control characters or surrounding spaces";
    case T_COUNTRY: return "an ISO 3166-1 alpha-3 country code (or XAA–XZZ)";
    case T_LANG: return "an ISO 639-1 language code";
    case T_CURRENCY: return "an ISO 4217 currency code";
    case T_INCOME: return "one of LIC, LMIC, UMIC, HIC";
    case T_FORMAT: return "one of online, in_person, blended";
    case T_DATE: return "a real date YYYY-MM-DD";
    case T_SECTOR: return "an active 5-digit DAC sector code of IATI's Sector codelist";
    case T_URL: return "an http:// or https:// address without spaces";
    default: return "text";
    }
}

/* Checks a string-typed value; returns its text or NULL after an error. */
static const char *check_string(md_diag *d, const in_value *v, const char *what, int t)
{
    if (v->kind != IN_PLAIN && v->kind != IN_STRING) {
        bad(d, v, what, t == T_TEXT ? "text" : type_desc(t));
        return NULL;
    }
    const char *s = v->text;
    char buf[IN_EXCERPT_SIZE + 32];
    /* YAML text is UTF-8 already; SQLite TEXT need not be */
    if (in_text_problem(s) == 2) {
        md_error(d, MD_EX_DATAERR, &v->loc, "%s must be UTF-8 text, got %s", what,
                 got(buf, sizeof buf, v));
        return NULL;
    }
    size_t len = strlen(s), max = t == T_TEXT ? IN_MAX_TEXT_BYTES : t == T_URL ? IN_MAX_URL_BYTES : IN_MAX_ID_BYTES;
    if (len > max) {
        md_error(d, MD_EX_DATAERR, &v->loc, "%s must be at most %zu bytes long, got %s (%zu bytes)",
                 what, max, got(buf, sizeof buf, v), len);
        return NULL;
    }
    int ok = 1;
    switch (t) {
    case T_SLUG: ok = is_slug(s); break;
    case T_ID: ok = is_id(s); break;
    case T_URL: ok = is_url(s); break;
    case T_COUNTRY: ok = md_is_country_code(s); break;
    case T_LANG: ok = md_is_language_code(s); break;
    case T_CURRENCY: ok = md_is_currency_code(s); break;
    case T_INCOME: ok = md_income_parse(s) != MD_INC_NONE; break;
    case T_FORMAT: ok = md_format_parse(s) != MD_FMT_NONE; break;
    case T_SECTOR: ok = md_is_dac_sector(s); break;
    default: break;
    }
    if (ok) return s;
    const char *hint = NULL;
    if (t == T_INCOME) hint = in_suggest(s, md_income_names, MD_INC_COUNT);
    if (t == T_FORMAT) hint = in_suggest(s, md_format_names, MD_FMT_COUNT);
    if (hint)
        md_error(d, MD_EX_DATAERR, &v->loc, "%s must be %s, got %s (did you mean '%s'?)",
                 what, type_desc(t), got(buf, sizeof buf, v), hint);
    else
        bad(d, v, what, type_desc(t));
    return NULL;
}

/* Number ranges. `basic` is the input rule every user knows (≥ 0, > 0 …), reported with its
 * short wording; lo..hi (0 also allowed when zero_ok) are this program's
 * limits, chosen in docs/limits.md so that GLPK solves every accepted value
 * reliably and money stays exact to the cent. */
typedef struct nrange {
    double lo, hi;
    int zero_ok;
    const char *basic_desc;   /* for values failing that rule */
    const char *desc;         /* for values outside lo..hi */
} nrange;

static const nrange ranges[] = {
    [R_NONE] = { -1e300, 1e300, 0, "a number", "a number" },
    [R_AMOUNT] = { 0.01, 1e12, 1, "a number ≥ 0", "0 or a number from 0.01 to 1e12" },
    [R_RATE] = { 1e-6, 1e6, 0, "a number > 0", "a number from 0.000001 to 1000000" },
    [R_HOURS] = { 0.01, 1e6, 1, "a number ≥ 0", "0 or a number from 0.01 to 1000000" },
    [R_PRIORITY] = { 1e-3, 1e3, 0, "a number > 0", "a number from 0.001 to 1000" },
    [R_SHARE] = { 1e-4, 1, 0, "a number > 0 and ≤ 1", "a number from 0.0001 to 1" },
    [R_QUALITY] = { 0, 5, 0, "a number from 0 to 5", "a number from 0 to 5" },
    [R_SEATS0] = { 0, 1e6, 0, "an integer ≥ 0", "an integer from 0 to 1000000" },
    [R_SEATS1] = { 1, 1e6, 0, "an integer ≥ 1", "an integer from 1 to 1000000" },
    [R_SCORE] = { 1, 5, 0, "a number from 1 to 5", "a number from 1 to 5" },
};

/* The basic rule of range r (what the short message says). */
static int basic_ok(int r, double x)
{
    switch (r) {
    case R_AMOUNT: case R_HOURS: case R_SEATS0: return x >= 0;
    case R_RATE: case R_PRIORITY: return x > 0;
    case R_SHARE: return x > 0 && x <= 1;
    case R_QUALITY: return x >= 0 && x <= 5;
    case R_SEATS1: return x >= 1;
    case R_SCORE: return x >= 1 && x <= 5;
    default: return 1;
    }
}

/* Reports x when it is out of range r; returns 0 when it is in range. */
static int check_range(md_diag *d, const in_value *v, const char *what, int r, double x)
{
    const nrange *g = &ranges[r];
    if (!basic_ok(r, x)) { bad(d, v, what, g->basic_desc); return -1; }
    if ((x >= g->lo && x <= g->hi) || (g->zero_ok && x == 0)) return 0;
    bad(d, v, what, g->desc);
    return -1;
}

/* ---- entities -------------------------------------------------------- */

int in_entity_begin(in_entity *b, md_model *m, md_diag *d, in_entity_kind kind,
                    const md_loc *loc)
{
    memset(b, 0, sizeof *b);
    b->m = m;
    b->d = d;
    b->kind = kind;
    switch (kind) {
    case IN_E_TOPIC: b->e = md_model_add_topic(m); break;
    case IN_E_COUNTRY: b->e = md_model_add_country(m); break;
    case IN_E_NEED: b->e = md_model_add_need(m); break;
    case IN_E_DONOR: b->e = md_model_add_donor(m); break;
    case IN_E_COURSE: b->e = md_model_add_course(m); break;
    case IN_E_RATE: b->e = md_model_add_rate(m); break;
    case IN_E_COMMITMENT: b->e = md_model_add_commitment(m); break;
    case IN_E_RATING: b->e = md_model_add_rating(m); break;
    default: break;
    }
    if (!b->e) return -1;
    /* The model outlives the reader's buffers: keep its own copy of loc. */
    md_loc l = *loc;
    l.file = md_arena_strdup(&m->arena, loc->file);
    l.table = md_arena_strdup(&m->arena, loc->table);
    l.key = md_arena_strdup(&m->arena, loc->key);
    if ((loc->file && !l.file) || (loc->table && !l.table) || (loc->key && !l.key)) {
        b->e = NULL;
        return -1;
    }
    b->loc = l;
    *(md_loc *)((char *)b->e + tables[kind].loc_off) = l;
    return 0;
}

static void oom(in_entity *b, const in_value *v)
{
    md_error(b->d, MD_EX_SOFTWARE, &v->loc, "out of memory");
    b->errors++;
}

/* Stores a string-typed scalar (after check_string) at p. */
static int store_string(in_entity *b, const field *f, void *p, const char *s,
                        const in_value *v)
{
    if (f->type == T_INCOME) { *(int *)p = md_income_parse(s); return 0; }
    if (f->type == T_FORMAT) { *(int *)p = md_format_parse(s); return 0; }
    char *copy = md_arena_strdup(&b->m->arena, s);
    if (!copy) { oom(b, v); return -1; }
    *(const char **)p = copy;
    return 0;
}

static void set_list(in_entity *b, const field *f, void *p, const in_value *v)
{
    md_strlist *l = p;
    if (v->kind != IN_SEQ) {
        bad(b->d, v, f->name, "a list");
        b->errors++;
        return;
    }
    char what[64];
    snprintf(what, sizeof what, "%s entry", f->name);
    /* the cap also bounds the quadratic duplicate check below */
    if (v->nitems > IN_MAX_LIST) {
        md_error(b->d, MD_EX_DATAERR, &v->loc, "%s must list at most %d values, got %d",
                 f->name, IN_MAX_LIST, v->nitems);
        b->errors++;
        return;
    }
    const char **items = md_arena_alloc(&b->m->arena,
                                        sizeof *items * (size_t)(v->nitems ? v->nitems : 1));
    if (!items) { oom(b, v); return; }
    int n = 0, errs = 0;
    for (int i = 0; i < v->nitems; i++) {
        const in_value *it = &v->items[i];
        const char *s = check_string(b->d, it, what, f->elem);
        if (!s) { errs++; continue; }
        int dup = 0;
        for (int j = 0; j < n && !dup; j++) dup = strcmp(items[j], s) == 0;
        if (dup) {
            char tmp[IN_EXCERPT_SIZE];
            md_error(b->d, MD_EX_DATAERR, &it->loc, "'%s' is listed twice in %s",
                     show(tmp, sizeof tmp, s), f->name);
            errs++;
            continue;
        }
        if (!(items[n] = md_arena_strdup(&b->m->arena, s))) { oom(b, it); return; }
        n++;
    }
    b->errors += errs;
    if (f->required && v->nitems == 0) {
        md_error(b->d, MD_EX_DATAERR, &v->loc, "%s must list at least one value", f->name);
        b->errors++;
    }
    l->v = items;
    l->n = n;
    l->present = 1;
}

void in_entity_field(in_entity *b, const char *name, const md_loc *key_loc,
                     const in_value *v)
{
    if (!b->e) return;
    const field *tab = tables[b->kind].f;
    int n = tables[b->kind].n, fi = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(tab[i].name, name) == 0) { fi = i; break; }
    char tmp[IN_EXCERPT_SIZE];
    if (fi < 0) {
        const char *names[32];
        for (int i = 0; i < n; i++) names[i] = tab[i].name;
        const char *hint = in_suggest(name, names, n);
        if (hint)
            md_error(b->d, MD_EX_DATAERR, key_loc, "unknown key '%s' in %s (did you mean '%s'?)",
                     show(tmp, sizeof tmp, name), entity_names[b->kind], hint);
        else
            md_error(b->d, MD_EX_DATAERR, key_loc, "unknown key '%s' in %s",
                     show(tmp, sizeof tmp, name), entity_names[b->kind]);
        b->errors++;
        return;
    }
    const field *f = &tab[fi];
    if (b->seen & (1u << fi)) {
        md_error(b->d, MD_EX_DATAERR, key_loc, "%s given twice in %s", name,
                 entity_names[b->kind]);
        b->errors++;
        return;
    }
    /* null is "absent": a required field stays unseen and is reported as
     * missing by in_entity_end */
    if (v->kind == IN_NULL) return;
    b->seen |= 1u << fi;
    void *p = (char *)b->e + f->off;
    switch (f->type) {
    case T_LIST:
        set_list(b, f, p, v);
        return;
    case T_NUM: {
        double x;
        if (in_value_number(b->d, v, f->name, &x) != 0) { b->errors++; return; }
        if (check_range(b->d, v, f->name, f->range, x) != 0) { b->errors++; return; }
        *(double *)p = x;
        return;
    }
    case T_INT: {
        long long x;
        if (to_integer(b->d, v, f->name, ranges[f->range].basic_desc, &x) != 0) { b->errors++; return; }
        if (check_range(b->d, v, f->name, f->range, (double)x) != 0) { b->errors++; return; }
        *(long *)p = (long)x;
        return;
    }
    case T_DATE:
        if (in_value_date(b->d, v, f->name, (int *)p) != 0) b->errors++;
        return;
    default: {
        /* a sector code from an INTEGER SQLite column is still a code */
        char num[24];
        in_value sv;
        if (f->type == T_SECTOR && v->kind == IN_INT) {
            snprintf(num, sizeof num, "%lld", v->i);
            sv = *v;
            sv.kind = IN_STRING;
            sv.text = num;
            v = &sv;
        }
        const char *s = check_string(b->d, v, f->name, f->type);
        if (!s) { b->errors++; return; }
        store_string(b, f, p, s, v);
        return;
    }
    }
}

/* The entity's id for messages ("donor 'gfce'"), if it has one yet. */
static const char *entity_id(const in_entity *b, char *buf, size_t size)
{
    const field *tab = tables[b->kind].f;
    char tmp[IN_EXCERPT_SIZE];
    if (b->kind == IN_E_NEED || b->kind == IN_E_COMMITMENT) {
        const char *a = *(const char **)((char *)b->e + tab[0].off);
        const char *c = *(const char **)((char *)b->e + tab[1].off);
        if (!a || !c) return NULL;
        char tmp2[IN_EXCERPT_SIZE];
        snprintf(buf, size, "%s/%s", show(tmp, sizeof tmp, a), show(tmp2, sizeof tmp2, c));
        return buf;
    }
    const char *id = *(const char **)((char *)b->e + tab[0].off);
    if (!id) return NULL;
    snprintf(buf, size, "%s", show(tmp, sizeof tmp, id));
    return buf;
}

void in_entity_end(in_entity *b)
{
    if (!b->e) return;
    const field *tab = tables[b->kind].f;
    int n = tables[b->kind].n;
    char idbuf[220];
    const char *id = entity_id(b, idbuf, sizeof idbuf);
    for (int i = 0; i < n; i++) {
        if (!tab[i].required || (b->seen & (1u << i))) continue;
        if (id)
            md_error(b->d, MD_EX_DATAERR, &b->loc, "%s '%s' is missing required field '%s'",
                     entity_names[b->kind], id, tab[i].name);
        else
            md_error(b->d, MD_EX_DATAERR, &b->loc, "%s is missing required field '%s'",
                     entity_names[b->kind], tab[i].name);
        b->errors++;
    }
}
