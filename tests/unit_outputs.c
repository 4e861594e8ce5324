/* tests/unit_outputs.c — formatting and escaping, the CSV/JSON files written
 * by out_write() for a hand-built model and plan (compared with expected
 * text written by hand), atomic replacement on failure, and the run lock. */
#include "check.h"
#include "../outputs/writers.h"
#include "../outputs/fsutil.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers ---- */

typedef void (*esc_fn)(FILE *, const char *);

/* What an escaping function writes for s. Returns a static buffer. */
static const char *esc(esc_fn fn, const char *s)
{
    static char out[512];
    FILE *f = tmpfile();
    if (!f) return "(tmpfile failed)";
    fn(f, s);
    long n = ftell(f);
    rewind(f);
    size_t got = fread(out, 1, n > 0 && n < (long)sizeof out ? (size_t)n : 0, f);
    out[got] = '\0';
    fclose(f);
    return out;
}

/* Whole file as a malloc'd string (NULL if unreadable). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) { free(buf); buf = NULL; }
            else buf = nb;
        }
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    return buf;
}

static char *path2(char *buf, size_t n, const char *dir, const char *name)
{
    int len = snprintf(buf, n, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= n) buf[0] = '\0'; /* never matches a real file */
    return buf;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

/* Number of leftover temporaries (".NAME.tmp.PID", ".NAME.bak.PID")
 * directly in dir. */
static int count_temps(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL)
        if (e->d_name[0] == '.' && (strstr(e->d_name, ".tmp.") || strstr(e->d_name, ".bak."))) n++;
    closedir(dh);
    return n;
}

static int file_equals(const char *path, const char *expected)
{
    char *got = slurp(path);
    int ok = got && strcmp(got, expected) == 0;
    if (!ok)
        fprintf(stderr, "--- %s differs; got:\n%s\n--- expected:\n%s\n", path,
                got ? got : "(unreadable)", expected);
    free(got);
    return ok;
}

/* ---- formatting ---- */

static void test_amounts(void)
{
    char b[32];
    CHECK_STR(out_fmt_amount(b, 0), "0.00");
    CHECK_STR(out_fmt_amount(b, 12), "12.00");
    CHECK_STR(out_fmt_amount(b, 0.005), "0.01");
    CHECK_STR(out_fmt_amount(b, 1.005), "1.01");     /* binary 1.00499999… */
    CHECK_STR(out_fmt_amount(b, 2.675), "2.68");     /* binary 2.67499999… */
    CHECK_STR(out_fmt_amount(b, 0.125), "0.13");     /* half away from zero */
    CHECK_STR(out_fmt_amount(b, 0.0049999), "0.00");
    CHECK_STR(out_fmt_amount(b, -1.005), "-1.01");
    CHECK_STR(out_fmt_amount(b, -0.001), "0.00");    /* never "-0.00" */
    CHECK_STR(out_fmt_amount(b, -0.0), "0.00");
    CHECK_STR(out_fmt_amount(b, -0.004999), "0.00");
    CHECK_STR(out_fmt_amount(b, 0.1 + 0.2), "0.30");
    CHECK_STR(out_fmt_amount(b, 9.995), "10.00");    /* carry into a new digit */
    CHECK_STR(out_fmt_amount(b, 999999.995), "1000000.00");
    CHECK_STR(out_fmt_amount(b, 1234567.891), "1234567.89");
    CHECK_STR(out_fmt_amount(b, 123456789012.345), "123456789012.35");
    CHECK_STR(out_fmt_amount(b, 1e15), "1000000000000000.00");
    CHECK_STR(out_fmt_amount(b, -2.5e16), "-25000000000000000.00");
    CHECK_STR(out_fmt_amount(b, 1e300), "1.0000000000000001e+300");
    CHECK(strlen(out_fmt_amount(b, -1.7976931348623157e308)) < 32);
    CHECK_STR(out_fmt_amount(b, NAN), "");
    CHECK_STR(out_fmt_amount(b, -INFINITY), "");
    CHECK_STR(out_fmt_amount(b, 4.9e-324), "0.00");
}

static void test_numbers(void)
{
    char b[32];
    CHECK_STR(out_fmt_number(b, 12.5), "12.5");
    CHECK_STR(out_fmt_number(b, 3), "3");
    CHECK_STR(out_fmt_number(b, 0), "0");
    CHECK_STR(out_fmt_number(b, -0.0), "0");
    CHECK_STR(out_fmt_number(b, 100), "100");
    CHECK_STR(out_fmt_number(b, -2.5), "-2.5");
    CHECK_STR(out_fmt_number(b, 1.0 / 3), "0.333333");
    CHECK_STR(out_fmt_number(b, 2.0 / 3), "0.666667");
    CHECK_STR(out_fmt_number(b, 1234.5678901), "1234.56789");
    CHECK_STR(out_fmt_number(b, 0.0000005), "0.000001");
    CHECK_STR(out_fmt_number(b, 0.0000004), "0");
    CHECK_STR(out_fmt_number(b, -0.0000001), "0");
    CHECK_STR(out_fmt_number(b, 0.9999996), "1");
    CHECK_STR(out_fmt_number(b, 1e15), "1000000000000000");
    CHECK_STR(out_fmt_number(b, INFINITY), "");
}

static void test_escaping(void)
{
    CHECK_STR(esc(out_csv_field, "plain"), "plain");
    CHECK_STR(esc(out_csv_field, "a,b"), "\"a,b\"");
    CHECK_STR(esc(out_csv_field, "say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_STR(esc(out_csv_field, "l1\nl2"), "\"l1\nl2\"");
    CHECK_STR(esc(out_csv_field, "cr\r"), "\"cr\r\"");
    CHECK_STR(esc(out_csv_field, "a|b <script>"), "a|b <script>");
    CHECK_STR(esc(out_csv_field, "C\xc3\xb4te d\xe2\x80\x99Ivoire"), "C\xc3\xb4te d\xe2\x80\x99Ivoire");
    CHECK_STR(esc(out_csv_field, ""), "");
    CHECK_STR(esc(out_csv_field, NULL), "");

    CHECK_STR(esc(out_json_string, NULL), "null");
    CHECK_STR(esc(out_json_string, ""), "\"\"");
    CHECK_STR(esc(out_json_string, "a\"b\\c"), "\"a\\\"b\\\\c\"");
    CHECK_STR(esc(out_json_string, "\n\t\r\b\f\x01\x1f\x7f"),
              "\"\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f\"");
    CHECK_STR(esc(out_json_string, "</script>,|"), "\"</script>,|\"");
    CHECK_STR(esc(out_json_string, "C\xc3\xb4te \xf0\x9f\x8c\x8d"), "\"C\xc3\xb4te \xf0\x9f\x8c\x8d\"");
    CHECK_STR(esc(out_json_string, "x\xffy"), "\"x\\ufffdy\"");           /* invalid byte */
    CHECK_STR(esc(out_json_string, "\xc0\xaf"), "\"\\ufffd\\ufffd\"");      /* overlong '/' */
    CHECK_STR(esc(out_json_string, "\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
    CHECK_STR(esc(out_json_string, "end\xe2\x82"), "\"end\\ufffd\\ufffd\"");  /* truncated */
    CHECK_STR(esc(out_json_string, "\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */

    CHECK_STR(esc(out_html_text, "<script>alert('x') & \"y\"</script>"),
              "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    CHECK_STR(esc(out_html_text, "a,b|c C\xc3\xb4te"), "a,b|c C\xc3\xb4te");
    CHECK_STR(esc(out_html_text, NULL), "");

    CHECK_STR(esc(out_md_text, "a|b"), "a\\|b");
    CHECK_STR(esc(out_md_text, "<script>"), "\\<script\\>");
    CHECK_STR(esc(out_md_text, "line1\r\nline2\nline3\rx"), "line1 line2 line3 x");
    CHECK_STR(esc(out_md_text, "*b* _i_ [l](u) `c` # ~s~ &amp; \\"),
              "\\*b\\* \\_i\\_ \\[l\\](u) \\`c\\` \\# \\~s\\~ \\&amp; \\\\");
    CHECK_STR(esc(out_md_text, "C\xc3\xb4te d\xe2\x80\x99Ivoire, 1.5"), "C\xc3\xb4te d\xe2\x80\x99Ivoire, 1.5");
    CHECK_STR(esc(out_md_text, NULL), "");
}

/* Issue #21: control characters (C0, DEL, C1), bidi overrides and isolates
 * and invalid UTF-8 never reach a file raw. CSV, HTML and Markdown show
 * U+FFFD; JSON escapes them; TAB, CR, LF keep their meaning where the
 * format has one (CSV quoting, JSON escapes) and are a space in Markdown. */
#define FFFD "\xef\xbf\xbd"
static void test_control_escaping(void)
{
    const char *esc_seq = "a\x1b[2Jb\x07" "c\x7f" "d\xc2\x9b" "31m\xe2\x80\xae" "fdp.exe\xe2\x81\xa6" "x\xff";
    CHECK_STR(esc(out_csv_field, esc_seq), "a" FFFD "[2Jb" FFFD "c" FFFD "d" FFFD "31m" FFFD "fdp.exe" FFFD "x" FFFD);
    CHECK_STR(esc(out_csv_field, "q\"\x1b,"), "\"q\"\"" FFFD ",\"");
    CHECK_STR(esc(out_csv_field, "tab\there"), "tab\there");
    CHECK_STR(esc(out_html_text, esc_seq), "a" FFFD "[2Jb" FFFD "c" FFFD "d" FFFD "31m" FFFD "fdp.exe" FFFD "x" FFFD);
    CHECK_STR(esc(out_html_text, "<\x1b>\n"), "&lt;" FFFD "&gt;\n");
    CHECK_STR(esc(out_md_text, esc_seq), "a" FFFD "\\[2Jb" FFFD "c" FFFD "d" FFFD "31m" FFFD "fdp.exe" FFFD "x" FFFD);
    CHECK_STR(esc(out_md_text, "a\tb"), "a b");
    CHECK_STR(esc(out_json_string, esc_seq),
              "\"a\\u001b[2Jb\\u0007c\\u007fd\\u009b31m\\u202efdp.exe\\u2066x\\ufffd\"");
    CHECK_STR(esc(out_json_string, "\xe2\x80\xaa\xe2\x80\xad\xe2\x81\xa9\xc2\x80\xc2\x9f\xc2\xa0"),
              "\"\\u202a\\u202d\\u2069\\u0080\\u009f\xc2\xa0\"");
    /* neighbours of the ranges stay as they are */
    CHECK_STR(esc(out_html_text, "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xc2\xa0"),
              "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xc2\xa0");
}

/* ---- a hand-built model and plan ---- */

static const char *const ken_langs[] = { "en", "sw" };
static const char *const c1_topics[] = { "cybercrime", "norms" };
static const char *const c2_topics[] = { "cybercrime" };

/* Fills m and p as md_validate/eng_solve would leave them; the plan's rows
 * are deliberately out of order to check that the writers sort them. */
static int build(md_model *m, eng_plan *p)
{
    md_model_init(m);
    m->set.name = "FY \"27\" round";
    m->set.currency = "USD";
    m->set.formats = MD_OUT_CSV | MD_OUT_JSON;
    strcpy(m->input_digest, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    md_topic *t;
    if (!(t = md_model_add_topic(m))) return -1;
    t->id = "cybercrime";
    if (!(t = md_model_add_topic(m))) return -1;
    t->id = "norms";
    md_country *c;
    if (!(c = md_model_add_country(m))) return -1;
    c->code = "KEN"; c->name = "Kenya"; c->region = "Africa";
    c->languages = (md_strlist){ (const char **)ken_langs, 2, 1 };
    if (!(c = md_model_add_country(m))) return -1;
    c->code = "PHL"; c->name = "Philippines"; c->region = "Asia";
    c->languages = (md_strlist){ (const char **)ken_langs, 1, 1 };
    struct { const char *c, *t; int ci, ti; long seats; } nd[] = {
        { "KEN", "cybercrime", 0, 0, 10 }, { "KEN", "norms", 0, 1, 4 }, { "PHL", "norms", 1, 1, 5 } };
    for (int i = 0; i < 3; i++) {
        md_need *n = md_model_add_need(m);
        if (!n) return -1;
        n->country = nd[i].c; n->topic = nd[i].t; n->c = nd[i].ci; n->t = nd[i].ti;
        n->seats = nd[i].seats;
    }
    md_donor *d;
    if (!(d = md_model_add_donor(m))) return -1;
    d->id = "eu"; d->budget = d->budget_base = 1000;
    if (!(d = md_model_add_donor(m))) return -1;
    d->id = "uk,fcdo"; d->budget = 400; d->currency = "GBP"; d->budget_base = 500.5;
    md_course *k;
    if (!(k = md_model_add_course(m))) return -1;
    k->id = "c1"; k->topics = (md_strlist){ (const char **)c1_topics, 2, 1 };
    k->language = "en"; k->format = MD_FMT_ONLINE; k->cost_per_seat = k->cost_base = 100;
    if (!(k = md_model_add_course(m))) return -1;
    k->id = "d\"2"; k->topics = (md_strlist){ (const char **)c2_topics, 1, 1 };
    k->language = "en"; k->format = MD_FMT_IN_PERSON;

    /* what validation derives: topic indexes, need ranges, lookups */
    m->courses[0].topic_idx = malloc(2 * sizeof(int));
    m->courses[1].topic_idx = malloc(sizeof(int));
    if (!m->courses[0].topic_idx || !m->courses[1].topic_idx) return -1;
    m->courses[0].topic_idx[0] = 0; m->courses[0].topic_idx[1] = 1;
    m->courses[1].topic_idx[0] = 0;
    m->countries[0].need_first = 0; m->countries[0].need_count = 2;
    m->countries[1].need_first = 2; m->countries[1].need_count = 1;
    for (int i = 0; i < m->ntopics; i++) if (md_index_put(&m->topic_ix, m->topics[i].id, i) != -1) return -1;
    for (int i = 0; i < m->ncountries; i++) if (md_index_put(&m->country_ix, m->countries[i].code, i) != -1) return -1;
    for (int i = 0; i < m->ndonors; i++) if (md_index_put(&m->donor_ix, m->donors[i].id, i) != -1) return -1;
    for (int i = 0; i < m->ncourses; i++) if (md_index_put(&m->course_ix, m->courses[i].id, i) != -1) return -1;

    memset(p, 0, sizeof *p);
    p->status = ENG_TIME_LIMIT;
    p->score = 11.5;
    p->score_bound = 12;
    p->total_cost = 500.005;
    p->seats = 9;
    p->solve_seconds = 1.75;
    p->nalloc = 4;
    p->alloc = calloc(4, sizeof *p->alloc);
    p->nfund = 4;
    p->fund = calloc(4, sizeof *p->fund);
    p->covered = calloc(3, sizeof *p->covered);
    p->need_score = calloc(3, sizeof *p->need_score);
    p->reason = calloc(3, sizeof *p->reason);
    p->donor_spent = calloc(2, sizeof *p->donor_spent);
    p->detail = calloc(3, sizeof *p->detail);
    p->unspent_reason = calloc(2, sizeof *p->unspent_reason);
    if (!p->alloc || !p->fund || !p->covered || !p->need_score || !p->reason || !p->donor_spent
        || !p->detail || !p->unspent_reason)
        return -1;
    p->alloc[0] = (eng_alloc){ 1, 0, 2, 200 };        /* PHL c1 */
    p->alloc[1] = (eng_alloc){ 0, 1, 4, 0 };          /* KEN d"2 (free) */
    p->alloc[2] = (eng_alloc){ 0, 0, 3, 300.005 };    /* KEN c1 */
    p->alloc[3] = (eng_alloc){ 1, 1, 0, 0 };          /* zero seats: no row */
    p->fund[0] = (eng_fund){ 1, 0, 0, 150 };          /* uk,fcdo KEN c1 */
    p->fund[1] = (eng_fund){ 0, 1, 0, 200 };          /* eu PHL c1 */
    p->fund[2] = (eng_fund){ 0, 0, 0, 150.004 };      /* eu KEN c1 */
    p->fund[3] = (eng_fund){ 0, 0, 1, 0.001 };        /* noise: no row */
    p->covered[0] = 7; p->covered[1] = 4; p->covered[2] = 2;
    p->need_score[0] = 7; p->need_score[1] = 4; p->need_score[2] = 2.0 / 3;
    p->reason[0] = ENG_R_RESOURCES; p->reason[1] = ENG_R_NONE; p->reason[2] = ENG_R_NO_FUNDING;
    p->donor_spent[0] = 350.004; p->donor_spent[1] = 150;
    /* a detail only where the reason is resources: PHL's stays empty */
    p->detail[0] = ENG_D_CAPACITY; p->detail[2] = ENG_D_BUDGET;
    p->unspent_reason[0] = ENG_U_PAIRS_FULL; p->unspent_reason[1] = ENG_U_NONE;
    p->stage[0] = (eng_stage_stats){ 1.5, 11.5, 12, 0.04, 10, ENG_OPTIMAL };
    p->stage[1] = (eng_stage_stats){ 0.25, 500.005, NAN, INFINITY, -1, ENG_TIME_LIMIT };
    p->stage[2] = (eng_stage_stats){ 0, 9, 9, 0, 0, ENG_OPTIMAL };
    return 0;
}

static const char ALLOC_CSV[] =
    "country,course,seats,cost\r\n"
    "KEN,c1,3,300.01\r\n"
    "KEN,\"d\"\"2\",4,0.00\r\n"
    "PHL,c1,2,200.00\r\n";
static const char FUND_CSV[] =
    "donor,country,course,amount\r\n"
    "eu,KEN,c1,150.00\r\n"
    "eu,PHL,c1,200.00\r\n"
    "\"uk,fcdo\",KEN,c1,150.00\r\n";
static const char COVER_CSV[] =
    "country,topic,need,covered,score,reason,detail\r\n"
    "KEN,cybercrime,10,7,7,resources,capacity\r\n"
    "KEN,norms,4,4,4,,\r\n"
    "PHL,norms,5,2,0.666667,no_funding,\r\n";
/* equity.csv by hand: no income groups; KEN (Africa) needs 14, has 11
 * covered and 300.005 spent, PHL (Asia) 5, 2 and 200 of 19, 13 and
 * 500.005; both courses are English and have no provider (each is its own):
 * c1 5 seats for 500.005, d"2 4 free seats, of 9 */
static const char EQUITY_CSV[] =
    "dimension,group,seats_needed,seats_covered,spend,share_of_need,share_of_covered,share_of_spend\r\n"
    "income_group,unspecified,19,13,500.01,1,1,1\r\n"
    "region,Africa,14,11,300.01,0.736842,0.846154,0.600004\r\n"
    "region,Asia,5,2,200.00,0.263158,0.153846,0.399996\r\n"
    "language,en,,9,500.01,,1,1\r\n"
    "provider,course:c1,,5,500.01,,0.555556,1\r\n"
    "provider,\"course:d\"\"2\",,4,0.00,,0.444444,0\r\n";
static const char SUMMARY_HEAD[] =
    "{\n"
    "  \"status\": \"time_limit\",\n"
    "  \"score\": 11.5,\n"
    "  \"score_bound\": 12,\n"
    "  \"total_cost\": 500.01,\n"
    "  \"seats\": 9,\n"
    "  \"needs\": 3,\n"
    "  \"needs_fully_covered\": 1,\n"
    "  \"seats_needed\": 19,\n"
    "  \"seats_covered\": 13,\n"
    "  \"provider_hhi\": 1,\n"
    "  \"previous_run\": null,\n"
    "  \"churn\": null,\n"
    "  \"donors\": {\n"
    "    \"eu\": {\"budget\": 1000.00, \"spent\": 350.00, \"unspent\": 650.00, \"unspent_reason\": \"pairs_full\"},\n"
    "    \"uk,fcdo\": {\"budget\": 500.50, \"spent\": 150.00, \"unspent\": 350.50, \"unspent_reason\": null}\n"
    "  },\n"
    "  \"solve_seconds\": 1.75,\n"
    "  \"input_digest\": \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\n"
    "  \"warnings\": [],\n"
    "  \"name\": \"FY \\\"27\\\" round\",\n"
    "  \"currency\": \"USD\",\n"
    "  \"stages\": [\n"
    "    {\"seconds\": 1.5, \"objective\": 11.5, \"bound\": 12, \"gap\": 0.04, \"nodes\": 10, \"status\": \"optimal\"},\n"
    "    {\"seconds\": 0.25, \"objective\": 500.005, \"bound\": null, \"gap\": null, \"nodes\": null, \"status\": \"time_limit\"},\n"
    "    {\"seconds\": 0, \"objective\": 9, \"bound\": 9, \"gap\": 0, \"nodes\": 0, \"status\": \"optimal\"}\n"
    "  ],\n"
    "  \"capmatch_version\": \"";

static void test_write(const char *root)
{
    md_model m;
    eng_plan p;
    CHECK(build(&m, &p) == 0);
    char dir[512], f[600];
    snprintf(dir, sizeof dir, "%s/out/nested", root); /* out_write creates both */
    md_diag d;
    md_diag_init(&d, stderr);
    CHECK(out_write(&m, &p, NULL, dir, &d) == 0);
    CHECK(d.nerrors == 0);
    CHECK(file_equals(path2(f, sizeof f, dir, "allocations.csv"), ALLOC_CSV));
    CHECK(file_equals(path2(f, sizeof f, dir, "funding.csv"), FUND_CSV));
    CHECK(file_equals(path2(f, sizeof f, dir, "coverage.csv"), COVER_CSV));
    CHECK(file_equals(path2(f, sizeof f, dir, "equity.csv"), EQUITY_CSV));
    char *js = slurp(path2(f, sizeof f, dir, "summary.json"));
    CHECK(js && strncmp(js, SUMMARY_HEAD, sizeof SUMMARY_HEAD - 1) == 0);
    if (js && strncmp(js, SUMMARY_HEAD, sizeof SUMMARY_HEAD - 1) != 0)
        fprintf(stderr, "--- summary.json:\n%s\n", js);
    /* the version is the Makefile's, then the closing lines */
    const char *tail = js ? js + (strlen(js) > sizeof SUMMARY_HEAD ? sizeof SUMMARY_HEAD - 1 : 0) : "";
    CHECK(strlen(tail) > 4 && tail[0] != '"' && strcmp(tail + strlen(tail) - 4, "\"\n}\n") == 0);
    free(js);
    /* a strict parser agrees it is JSON (no NaN/Infinity) */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import json,sys\n"
             "def bad(x): raise ValueError(x)\n"
             "json.load(open(sys.argv[1]), parse_constant=bad)' '%s' 2>&1", f);
    CHECK(system(cmd) == 0);
    CHECK(count_temps(dir) == 0);

    /* a killed run's leftovers go on the next write; look-alikes stay */
    CHECK(write_text(path2(f, sizeof f, dir, ".summary.json.tmp.999999999"), "x") == 0);
    CHECK(out_mkdirs(path2(f, sizeof f, dir, "donors")) == 0);
    CHECK(write_text(path2(f, sizeof f, dir, "donors/.eu.md.bak.12"), "x") == 0);
    CHECK(write_text(path2(f, sizeof f, dir, ".notes.tmp"), "keep") == 0);
    CHECK(write_text(path2(f, sizeof f, dir, "x.tmp.12"), "keep") == 0);
    CHECK(out_write(&m, &p, NULL, dir, &d) == 0);
    CHECK(count_temps(dir) == 0);
    CHECK(count_temps(path2(f, sizeof f, dir, "donors")) == 0);
    CHECK(access(path2(f, sizeof f, dir, ".notes.tmp"), F_OK) == 0);
    CHECK(access(path2(f, sizeof f, dir, "x.tmp.12"), F_OK) == 0);
    CHECK(file_equals(path2(f, sizeof f, dir, "allocations.csv"), ALLOC_CSV));

    /* formats off: nothing written */
    char dir2[600];
    snprintf(dir2, sizeof dir2, "%s/none", root);
    m.set.formats = MD_OUT_JSON;
    CHECK(out_write(&m, &p, NULL, dir2, &d) == 0);
    CHECK(access(path2(f, sizeof f, dir2, "summary.json"), F_OK) == 0);
    CHECK(access(path2(f, sizeof f, dir2, "allocations.csv"), F_OK) != 0);
    m.set.formats = MD_OUT_CSV | MD_OUT_JSON;

    /* A failing second run: coverage.csv is now a folder, so the commit
     * must refuse before renaming anything; a different plan would
     * otherwise change allocations.csv and funding.csv. */
    p.alloc[0].seats = 5;
    p.fund[1].amount = 500;
    path2(f, sizeof f, dir, "coverage.csv");
    CHECK(unlink(f) == 0 && mkdir(f, 0755) == 0);
    md_diag d2;
    md_diag_init(&d2, NULL);
    int rc = out_write(&m, &p, NULL, dir, &d2);
    CHECK(rc == MD_EX_CANTCREAT);
    CHECK(d2.nerrors == 1);
    CHECK(file_equals(path2(f, sizeof f, dir, "allocations.csv"), ALLOC_CSV));
    CHECK(file_equals(path2(f, sizeof f, dir, "funding.csv"), FUND_CSV));
    CHECK(count_temps(dir) == 0);
    CHECK(rmdir(path2(f, sizeof f, dir, "coverage.csv")) == 0);

    /* the output folder under a regular file cannot be created: 73 */
    snprintf(f, sizeof f, "%s/afile", root);
    CHECK(write_text(f, "x") == 0);
    snprintf(dir2, sizeof dir2, "%s/afile/out", root);
    md_diag_init(&d2, NULL);
    CHECK(out_write(&m, &p, NULL, dir2, &d2) == MD_EX_CANTCREAT);

    eng_plan_free(&p);
    md_model_free(&m);
}

/* Number of rows in dir/results.db's runs table, via the sqlite3 tool. */
static int history_runs(const char *dir)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s/results.db' 'SELECT count(*) FROM runs' 2>/dev/null", dir);
    FILE *f = popen(cmd, "r");
    if (!f) return -1;
    int n = -1;
    if (fscanf(f, "%d", &n) != 1) n = -1;
    pclose(f);
    return n;
}

/* Every format together: the history row commits with the files, and a
 * run whose files fail adds no row. */
static void test_write_all(const char *root)
{
    md_model m;
    eng_plan p;
    CHECK(build(&m, &p) == 0);
    m.set.formats = MD_OUT_ALL;
    char dir[512], f[600];
    snprintf(dir, sizeof dir, "%s/all", root);
    out_run run = { "2027-01-01T02:00:00Z", 0.5, 0, NULL };
    md_diag d;
    md_diag_init(&d, stderr);
    CHECK(out_write(&m, &p, &run, dir, &d) == 0);
    const char *files[] = { "allocations.csv", "funding.csv", "coverage.csv", "equity.csv",
                            "summary.json", "report.md", "report.html", "results.db" };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        CHECK(access(path2(f, sizeof f, dir, files[i]), F_OK) == 0);
    CHECK(file_equals(path2(f, sizeof f, dir, "allocations.csv"), ALLOC_CSV));
    CHECK(history_runs(dir) == 1);
    CHECK(count_temps(dir) == 0);

    char *md_before = slurp(path2(f, sizeof f, dir, "report.md"));
    path2(f, sizeof f, dir, "summary.json");
    CHECK(unlink(f) == 0 && mkdir(f, 0755) == 0);
    p.alloc[0].seats = 5;
    run.started_utc = "2027-01-02T02:00:00Z";
    md_diag_init(&d, NULL);
    CHECK(out_write(&m, &p, &run, dir, &d) == MD_EX_CANTCREAT);
    CHECK(history_runs(dir) == 1);
    CHECK(file_equals(path2(f, sizeof f, dir, "allocations.csv"), ALLOC_CSV));
    CHECK(md_before && file_equals(path2(f, sizeof f, dir, "report.md"), md_before));
    CHECK(count_temps(dir) == 0);
    free(md_before);

    CHECK(rmdir(path2(f, sizeof f, dir, "summary.json")) == 0);
    md_diag_init(&d, stderr);
    CHECK(out_write(&m, &p, &run, dir, &d) == 0);
    CHECK(history_runs(dir) == 2);
    eng_plan_free(&p);
    md_model_free(&m);
}

static void test_stage(const char *root)
{
    char dir[512], f[600];
    snprintf(dir, sizeof dir, "%s/stage", root);
    CHECK(out_mkdirs(dir) == 0);
    CHECK(write_text(path2(f, sizeof f, dir, "a.csv"), "old a\n") == 0);
    CHECK(write_text(path2(f, sizeof f, dir, "donors"), "a file, not a folder") == 0);
    md_diag d;
    md_diag_init(&d, NULL);

    /* a failure while staging: the earlier temporary goes, a.csv stays */
    out_stage *st = out_stage_new(dir, &d);
    CHECK(st != NULL);
    FILE *a = out_stage_open(st, "a.csv");
    CHECK(a != NULL);
    if (a) fputs("new a\n", a);
    CHECK(count_temps(dir) == 1);
    CHECK(out_stage_open(st, "donors/x.md") == NULL); /* ENOTDIR */
    CHECK(out_stage_errcode(st) == MD_EX_CANTCREAT);
    CHECK(out_stage_open(st, "a.csv") == NULL);       /* staged twice */
    CHECK(out_stage_open(st, "../escape.csv") == NULL);
    CHECK(out_stage_open(st, "/abs.csv") == NULL);
    out_stage_abort(st);
    out_stage_free(st);
    CHECK(file_equals(path2(f, sizeof f, dir, "a.csv"), "old a\n"));
    CHECK(count_temps(dir) == 0);
    CHECK(d.nerrors == 4);

    /* a successful set with a new subfolder */
    md_diag_init(&d, NULL);
    st = out_stage_new(dir, &d);
    a = out_stage_open(st, "a.csv");
    FILE *b = out_stage_open(st, "countries/KEN.md");
    CHECK(a && b);
    if (a) fputs("new a\n", a);
    if (b) fputs("# Kenya\n", b);
    /* nothing visible before the commit */
    CHECK(file_equals(path2(f, sizeof f, dir, "a.csv"), "old a\n"));
    CHECK(access(path2(f, sizeof f, dir, "countries/KEN.md"), F_OK) != 0);
    CHECK(out_stage_commit(st) == 0);
    out_stage_free(st);
    CHECK(file_equals(path2(f, sizeof f, dir, "a.csv"), "new a\n"));
    CHECK(file_equals(path2(f, sizeof f, dir, "countries/KEN.md"), "# Kenya\n"));
    CHECK(count_temps(dir) == 0);
    CHECK(count_temps(path2(f, sizeof f, dir, "countries")) == 0);
    CHECK(d.nerrors == 0);
}

/* A full disk (a tiny tmpfs; needs root, skipped otherwise): the commit
 * reports 74 and the previous file and folder are left as they were. */
static void test_disk_full(const char *root)
{
    char mnt[512], f[600], cmd[1200];
    snprintf(mnt, sizeof mnt, "%s/tiny", root);
    if (geteuid() != 0 || mkdir(mnt, 0755) != 0) {
        printf("SKIP: disk-full test: needs root to mount a tmpfs\n");
        return;
    }
    snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=8k capmatch_test '%s' 2>/dev/null", mnt);
    if (system(cmd) != 0) {
        printf("SKIP: disk-full test: cannot mount a tmpfs\n");
        return;
    }
    CHECK(write_text(path2(f, sizeof f, mnt, "a.csv"), "old a\n") == 0);
    md_diag d;
    md_diag_init(&d, NULL);
    out_stage *st = out_stage_new(mnt, &d);
    FILE *a = out_stage_open(st, "a.csv");
    FILE *b = out_stage_open(st, "b.csv");
    CHECK(a && b);
    if (a) fputs("new a\n", a);
    for (int i = 0; b && i < 4000; i++) fputs("0123456789", b); /* 40 kB > 8 kB */
    CHECK(out_stage_commit(st) == MD_EX_IOERR);
    out_stage_free(st);
    CHECK(d.exit_code == MD_EX_IOERR);
    CHECK(file_equals(path2(f, sizeof f, mnt, "a.csv"), "old a\n"));
    CHECK(access(path2(f, sizeof f, mnt, "b.csv"), F_OK) != 0);
    CHECK(count_temps(mnt) == 0);
    snprintf(cmd, sizeof cmd, "umount '%s'", mnt);
    CHECK(system(cmd) == 0);
}

/* Runs out_lock(dir) in a child; returns its result, and its message in msg. */
static int lock_in_child(const char *dir, const char *msgfile, char **msg)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        FILE *f = fopen(msgfile, "w");
        md_diag d;
        md_diag_init(&d, f);
        int fd = -1;
        int rc = out_lock(dir, &fd, &d);
        if (f) fclose(f);
        _exit(rc);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    *msg = slurp(msgfile);
    return WEXITSTATUS(status);
}

static void test_lock(const char *root)
{
    char dir[512], msgfile[600], f[600], expect[700];
    snprintf(dir, sizeof dir, "%s/locked/out", root);
    snprintf(msgfile, sizeof msgfile, "%s/lockmsg", root);
    md_diag d;
    md_diag_init(&d, stderr);
    int fd = -1;
    CHECK(out_lock(dir, &fd, &d) == 0);
    CHECK(fd >= 0);
    /* the lock file names this process and a UTC start time */
    char content[128] = "";
    char *got = slurp(path2(f, sizeof f, dir, ".capmatch.lock"));
    if (got) snprintf(content, sizeof content, "%s", got);
    free(got); /* before fork(): a child must not inherit heap it cannot free */
    char pidtxt[32];
    snprintf(pidtxt, sizeof pidtxt, "%ld 20", (long)getpid());
    size_t len = strlen(content);
    CHECK(strncmp(content, pidtxt, strlen(pidtxt)) == 0);
    CHECK(len == strlen(pidtxt) - 3 + 1 + 20 + 1 && content[len - 2] == 'Z' && content[len - 1] == '\n');
    char *msg = NULL;
    CHECK(lock_in_child(dir, msgfile, &msg) == MD_EX_TEMPFAIL);
    if (len > 0) content[len - 1] = '\0';
    char *sp = strchr(content, ' ');
    snprintf(expect, sizeof expect, "capmatch: error: another run (pid %ld, started %s) holds %s\n",
             (long)getpid(), sp ? sp + 1 : "", dir);
    CHECK_STR(msg, expect);
    free(msg);
    out_unlock(fd);
    msg = NULL;
    CHECK(lock_in_child(dir, msgfile, &msg) == 0); /* released */
    CHECK(msg && msg[0] == '\0');
    free(msg);

    /* a lock folder under a regular file: 73 */
    snprintf(f, sizeof f, "%s/lockfile", root);
    CHECK(write_text(f, "x") == 0);
    snprintf(dir, sizeof dir, "%s/lockfile/out", root);
    md_diag_init(&d, NULL);
    fd = 123;
    CHECK(out_lock(dir, &fd, &d) == MD_EX_CANTCREAT);
    CHECK(fd == -1);
}

int main(void)
{
    test_amounts();
    test_numbers();
    test_escaping();
    test_control_escaping();
    char root[] = "/tmp/capmatch_unit_outputs.XXXXXX";
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        CHECK(0);
        return CHECK_DONE();
    }
    test_write(root);
    test_write_all(root);
    test_stage(root);
    test_lock(root);
    test_disk_full(root);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0);
    return CHECK_DONE();
}
