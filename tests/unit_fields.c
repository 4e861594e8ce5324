/* tests/unit_fields.c — the field table: every type, range and message. */
#include "check.h"
#include "../inputs/fields.h"
#include <stdlib.h>

static char *errbuf;
static size_t errlen;
static FILE *errf;
static md_diag D;

static void reset(void)
{
    if (errf) fclose(errf);
    free(errbuf);
    errbuf = NULL;
    errf = open_memstream(&errbuf, &errlen);
    md_diag_init(&D, errf);
}

static const char *errors(void)
{
    fflush(errf);
    return errbuf ? errbuf : "";
}

static in_value plain(const char *s)
{
    in_value v = { .kind = IN_PLAIN, .text = s, .loc = { .file = "f.yaml", .line = 3, .col = 7 } };
    return v;
}

static in_value quoted(const char *s)
{
    in_value v = plain(s);
    v.kind = IN_STRING;
    return v;
}

static in_value sqlint(long long i)
{
    in_value v = { .kind = IN_INT, .i = i, .loc = { .file = "c.db", .table = "courses", .key = "k1" } };
    return v;
}

static in_value sqlreal(double r)
{
    in_value v = sqlint(0);
    v.kind = IN_REAL;
    v.r = r;
    return v;
}

static const md_loc KL = { .file = "f.yaml", .line = 3, .col = 1 };

/* Sets one field on a fresh entity of kind k; returns the error count. */
static int one(md_model *m, in_entity *b, in_entity_kind k, const char *name, in_value v)
{
    md_loc loc = { .file = "f.yaml", .line = 2, .col = 3 };
    reset();
    CHECK(in_entity_begin(b, m, &D, k, &loc) == 0);
    in_entity_field(b, name, &KL, &v);
    return D.nerrors;
}

/* Issue #21: every number's limits, both sides (docs/limits.md). */
static void test_number_limits(md_model *m, in_entity *b)
{
    static const struct { in_entity_kind k; const char *f, *in[4], *out[4]; } t[] = {
        { IN_E_DONOR, "budget", { "0", "0.01", "1e12", NULL }, { "0.0099", "1e-300", "1.000001e12", NULL } },
        { IN_E_COURSE, "cost_per_seat", { "0", "0.01", "1000000000000", NULL },
          { "1e-12", "0.009", "1000000000000.5", NULL } },
        { IN_E_RATE, "rate", { "0.000001", "1000000", NULL, NULL }, { "0.00000099", "1000001", NULL, NULL } },
        { IN_E_COURSE, "hours", { "0", "0.01", "1e6", NULL }, { "0.0099", "1000000.1", NULL, NULL } },
        { IN_E_COUNTRY, "trainee_hours", { "0", "0.01", "1000000", NULL }, { "0.001", "2e6", NULL, NULL } },
        { IN_E_NEED, "priority", { "0.001", "1000", NULL, NULL }, { "0.00099", "1000.01", NULL, NULL } },
        { IN_E_DONOR, "max_share_per_country", { "0.0001", "1", NULL, NULL }, { "0.000099", NULL, NULL, NULL } },
        { IN_E_NEED, "seats", { "1", "1000000", NULL, NULL }, { "1000001", NULL, NULL, NULL } },
        { IN_E_COURSE, "seats", { "1", "1000000", NULL, NULL }, { "1000001", NULL, NULL, NULL } },
        { IN_E_COURSE, "min_seats", { "0", "1000000", NULL, NULL }, { "1000001", NULL, NULL, NULL } },
        { IN_E_COURSE, "max_per_country", { "1", "1000000", NULL, NULL }, { "1000001", NULL, NULL, NULL } },
        { IN_E_COUNTRY, "max_trainees", { "0", "1000000", NULL, NULL }, { "1000001", NULL, NULL, NULL } },
        { IN_E_COMMITMENT, "seats", { "1", "1000000", NULL, NULL }, { "1000001", NULL, NULL, NULL } },
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        for (int j = 0; j < 4 && t[i].in[j]; j++) {
            int ok = one(m, b, t[i].k, t[i].f, plain(t[i].in[j])) == 0;
            if (!ok) fprintf(stderr, "%s %s refused: %s", t[i].f, t[i].in[j], errors());
            CHECK(ok);
        }
        for (int j = 0; j < 4 && t[i].out[j]; j++) {
            int ok = one(m, b, t[i].k, t[i].f, plain(t[i].out[j])) == 1
                     && strstr(errors(), "capmatch: f.yaml:3:7: error: ") == errors();
            if (!ok) fprintf(stderr, "%s %s accepted: %s\n", t[i].f, t[i].out[j], errors());
            CHECK(ok);
        }
    }
    /* the two reported cases, with their message */
    CHECK(one(m, b, IN_E_COURSE, "cost_per_seat", plain("1e-300")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: cost_per_seat must be 0 or a number from "
              "0.01 to 1e12, got '1e-300'\n");
    CHECK(one(m, b, IN_E_COURSE, "cost_per_seat", sqlreal(1e-12)) == 1);
    CHECK_STR(errors(), "capmatch: c.db: table courses, row k1: error: cost_per_seat must be 0 or "
              "a number from 0.01 to 1e12, got '1e-12'\n");
    CHECK(one(m, b, IN_E_NEED, "seats", sqlint(1000001)) == 1);
    CHECK_STR(errors(), "capmatch: c.db: table courses, row k1: error: seats must be an integer "
              "from 1 to 1000000, got '1000001'\n");
}

/* Issue #21: text lengths, list lengths, control and bidi characters in ids,
 * and the excerpt that messages quote. */
static void test_text_limits(md_model *m, in_entity *b)
{
    char id[200], title[300];
    memset(id, 'a', 64); id[64] = '\0';
    CHECK(one(m, b, IN_E_DONOR, "id", plain(id)) == 0);
    CHECK(one(m, b, IN_E_COURSE, "provider", plain(id)) == 0);
    id[64] = 'a'; id[65] = '\0';
    CHECK(one(m, b, IN_E_DONOR, "id", plain(id)) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: id must be at most 64 bytes long, got "
              "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xe2\x80\xa6' (65 bytes)\n");
    CHECK(one(m, b, IN_E_COURSE, "provider", plain(id)) == 1);
    CHECK(one(m, b, IN_E_COUNTRY, "region", plain(id)) == 1);
    memset(id, 'a', 65); id[65] = '\0';
    CHECK(one(m, b, IN_E_TOPIC, "id", plain(id)) == 1);
    memset(title, 'T', 200); title[200] = '\0';
    CHECK(one(m, b, IN_E_COURSE, "title", plain(title)) == 0);
    CHECK(one(m, b, IN_E_COUNTRY, "name", plain(title)) == 0);
    title[200] = 'T'; title[201] = '\0';
    CHECK(one(m, b, IN_E_COURSE, "title", plain(title)) == 1);
    CHECK(strstr(errors(), "title must be at most 200 bytes long") != NULL);
    CHECK(one(m, b, IN_E_TOPIC, "name", plain(title)) == 1);

    /* lists: 1000 entries fine, 1001 refused */
    static in_value items[1001];
    static char names[1001][8];
    for (int i = 0; i < 1001; i++) {
        snprintf(names[i], sizeof names[i], "t%d", i);
        items[i] = plain(names[i]);
    }
    in_value seq = plain(NULL);
    seq.kind = IN_SEQ;
    seq.items = items;
    seq.nitems = 1000;
    CHECK(one(m, b, IN_E_DONOR, "topics", seq) == 0);
    seq.nitems = 1001;
    CHECK(one(m, b, IN_E_DONOR, "topics", seq) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: topics must list at most 1000 values, got 1001\n");

    /* C1 controls, bidi overrides and invalid UTF-8 are refused in ids */
    CHECK(one(m, b, IN_E_DONOR, "id", quoted("a\xc2\x9b" "b")) == 1);
    CHECK(strstr(errors(), "got a quoted string 'a\\u009bb'") != NULL);
    CHECK(one(m, b, IN_E_DONOR, "id", quoted("evil\xe2\x80\xae" "gpj")) == 1);
    CHECK(strstr(errors(), "'evil\\u202egpj'") != NULL);
    CHECK(one(m, b, IN_E_COURSE, "provider", quoted("x\xe2\x81\xa6y")) == 1);
    CHECK(one(m, b, IN_E_COUNTRY, "region", quoted("x\x1b[31m")) == 1);
    CHECK(one(m, b, IN_E_DONOR, "id", quoted("caf\xc3\xa9")) == 0); /* other UTF-8 is fine */
    in_value bad = sqlint(0);
    bad.kind = IN_STRING;
    bad.text = "x\xffy";
    CHECK(one(m, b, IN_E_COURSE, "title", bad) == 1);
    CHECK_STR(errors(), "capmatch: c.db: table courses, row k1: error: title must be UTF-8 text, "
              "got text 'x\\xffy'\n");
    /* free text keeps control characters (the writers replace them) */
    CHECK(one(m, b, IN_E_COURSE, "title", quoted("a\x1b[2Jb")) == 0);

    /* excerpts: 32 characters at most, escaped, "…" when cut */
    char ex[IN_EXCERPT_SIZE];
    CHECK_STR(in_excerpt(ex, sizeof ex, "root:$6$abc:19000:0:99999:7::: and more of the file", 32),
              "root:$6$abc:19000:0:99999:7::: a\xe2\x80\xa6");
    CHECK_STR(in_excerpt(ex, sizeof ex, "\x1b]0;x\x07\xc2\x85\xe2\x80\xae", 32),
              "\\x1b]0;x\\x07\\u0085\\u202e");
    char big[400];
    memset(big, 0, sizeof big);
    for (int i = 0; i < 99; i++) memcpy(big + 4 * i, "\xf0\x9f\x8c\x8d", 4);
    in_excerpt(ex, sizeof ex, big, IN_EXCERPT_CHARS);
    CHECK(strlen(ex) == 32 * 4 + 3);
    memset(big, 1, 399);
    big[399] = '\0';
    in_excerpt(ex, sizeof ex, big, IN_EXCERPT_CHARS);
    CHECK(strlen(ex) == 32 * 4 + 3);
    /* an unknown key is quoted as an excerpt */
    CHECK(one(m, b, IN_E_DONOR, "secret-line-of-some-file-that-goes-on-and-on", plain("1")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:1: error: unknown key "
              "'secret-line-of-some-file-that-go\xe2\x80\xa6' in donor\n");
}

int main(void)
{
    md_model m;
    md_model_init(&m);
    in_entity b;

    /* entity list names */
    CHECK(in_entity_kind_of("donors") == IN_E_DONOR);
    CHECK(in_entity_kind_of("commitments") == IN_E_COMMITMENT);
    CHECK(in_entity_kind_of("donor") == -1);

    /* suggestions */
    const char *c3[] = { "budget", "currency", "name" };
    CHECK_STR(in_suggest("budjet", c3, 3), "budget");
    CHECK_STR(in_suggest("curency", c3, 3), "currency");
    CHECK(in_suggest("xyzzy", c3, 3) == NULL);
    CHECK(in_suggest("nm", c3, 3) == NULL); /* too short to guess from */

    /* unknown key with a hint */
    CHECK(one(&m, &b, IN_E_DONOR, "budjet", plain("5")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:1: error: unknown key 'budjet' in donor (did you mean 'budget'?)\n");
    CHECK(D.exit_code == MD_EX_DATAERR);
    CHECK(one(&m, &b, IN_E_DONOR, "colour", plain("5")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:1: error: unknown key 'colour' in donor\n");

    /* numbers: plain ok, quoted is a type error, junk rejected */
    CHECK(one(&m, &b, IN_E_DONOR, "budget", plain("1250.5")) == 0);
    CHECK_NEAR(((md_donor *)b.e)->budget, 1250.5, 1e-12);
    CHECK(one(&m, &b, IN_E_DONOR, "budget", plain("1e3")) == 0);
    CHECK_NEAR(((md_donor *)b.e)->budget, 1000, 1e-12);
    CHECK(one(&m, &b, IN_E_DONOR, "budget", quoted("100")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: budget must be a number, got a quoted string '100'\n");
    const char *junk[] = { "0x10", "inf", "nan", ".inf", "1_000", " 5", "5 ", "1e", "lots", "--1", "" };
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++)
        CHECK(one(&m, &b, IN_E_DONOR, "budget", plain(junk[i])) == 1);
    CHECK(one(&m, &b, IN_E_DONOR, "budget", plain("1e999")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: budget is out of range, got '1e999'\n");
    CHECK(one(&m, &b, IN_E_DONOR, "budget", plain("-1")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: budget must be a number ≥ 0, got '-1'\n");
    CHECK(one(&m, &b, IN_E_DONOR, "budget", plain("0")) == 0);
    CHECK(one(&m, &b, IN_E_DONOR, "budget", plain("2e15")) == 1);

    /* ranges: share (0,1], quality 0..5, priority > 0, rate > 0 */
    CHECK(one(&m, &b, IN_E_DONOR, "max_share_per_country", plain("1")) == 0);
    CHECK_NEAR(((md_donor *)b.e)->max_share, 1.0, 0);
    CHECK(one(&m, &b, IN_E_DONOR, "max_share_per_country", plain("0")) == 1);
    CHECK(one(&m, &b, IN_E_DONOR, "max_share_per_country", plain("1.01")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "quality", plain("5")) == 0);
    CHECK(one(&m, &b, IN_E_COURSE, "quality", plain("0")) == 0);
    CHECK(one(&m, &b, IN_E_COURSE, "quality", plain("5.1")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: quality must be a number from 0 to 5, got '5.1'\n");
    CHECK(one(&m, &b, IN_E_NEED, "priority", plain("0")) == 1);
    CHECK(one(&m, &b, IN_E_NEED, "priority", plain("0.5")) == 0);
    CHECK(one(&m, &b, IN_E_RATE, "rate", plain("0")) == 1);
    CHECK(one(&m, &b, IN_E_COUNTRY, "trainee_hours", plain("-0.5")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "hours", plain("12.5")) == 0);
    CHECK_NEAR(((md_course *)b.e)->hours, 12.5, 0);

    /* integers */
    CHECK(one(&m, &b, IN_E_NEED, "seats", plain("4")) == 0);
    CHECK(((md_need *)b.e)->seats == 4);
    CHECK(one(&m, &b, IN_E_NEED, "seats", plain("0")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: seats must be an integer ≥ 1, got '0'\n");
    CHECK(one(&m, &b, IN_E_NEED, "seats", plain("2.5")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: seats must be an integer ≥ 1, got '2.5'\n");
    CHECK(one(&m, &b, IN_E_NEED, "seats", plain("3.0")) == 0);
    CHECK(((md_need *)b.e)->seats == 3);
    CHECK(one(&m, &b, IN_E_NEED, "seats", plain("99999999999999999999")) == 1);
    CHECK(one(&m, &b, IN_E_NEED, "seats", plain("2000000000")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "min_seats", plain("0")) == 0);
    CHECK(((md_course *)b.e)->min_seats == 0);
    CHECK(one(&m, &b, IN_E_COURSE, "max_per_country", plain("0")) == 1);
    CHECK(one(&m, &b, IN_E_COUNTRY, "max_trainees", plain("0")) == 0);
    CHECK(((md_country *)b.e)->max_trainees == 0);

    /* SQLite storage classes */
    CHECK(one(&m, &b, IN_E_COURSE, "seats", sqlint(20)) == 0);
    CHECK(((md_course *)b.e)->seats == 20);
    CHECK(one(&m, &b, IN_E_COURSE, "seats", sqlreal(3.0)) == 0);
    CHECK(((md_course *)b.e)->seats == 3);
    CHECK(one(&m, &b, IN_E_COURSE, "seats", sqlreal(3.5)) == 1);
    CHECK_STR(errors(), "capmatch: c.db: table courses, row k1: error: seats must be an integer ≥ 1, got '3.5'\n");
    in_value txt = sqlint(0);
    txt.kind = IN_STRING;
    txt.text = "lots";
    CHECK(one(&m, &b, IN_E_COURSE, "cost_per_seat", txt) == 1);
    CHECK_STR(errors(), "capmatch: c.db: table courses, row k1: error: cost_per_seat must be a number, got text 'lots'\n");
    CHECK(one(&m, &b, IN_E_COURSE, "cost_per_seat", sqlint(100)) == 0);
    CHECK_NEAR(((md_course *)b.e)->cost_per_seat, 100, 0);
    CHECK(one(&m, &b, IN_E_COURSE, "cost_per_seat", sqlreal(NAN)) == 1);
    in_value blob = sqlint(0);
    blob.kind = IN_BLOB;
    CHECK(one(&m, &b, IN_E_COURSE, "title", blob) == 1);
    CHECK_STR(errors(), "capmatch: c.db: table courses, row k1: error: title must be text, got a blob\n");
    CHECK(one(&m, &b, IN_E_COURSE, "title", sqlint(5)) == 1);

    /* strings: YAML 1.1 booleans and numbers are just text */
    CHECK(one(&m, &b, IN_E_COUNTRY, "name", plain("NO")) == 0);
    CHECK_STR(((md_country *)b.e)->name, "NO");
    CHECK(one(&m, &b, IN_E_TOPIC, "name", plain("123")) == 0);
    CHECK_STR(((md_topic *)b.e)->name, "123");

    /* codes */
    CHECK(one(&m, &b, IN_E_COUNTRY, "code", plain("NER")) == 0);
    CHECK_STR(((md_country *)b.e)->code, "NER");
    CHECK(one(&m, &b, IN_E_COUNTRY, "code", plain("XKX")) == 0);
    CHECK(one(&m, &b, IN_E_COUNTRY, "code", plain("XYZ")) == 0); /* user-assigned range */
    CHECK(one(&m, &b, IN_E_COUNTRY, "code", plain("QQQ")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: code must be an ISO 3166-1 alpha-3 country code (or XAA–XZZ), got 'QQQ'\n");
    CHECK(one(&m, &b, IN_E_COUNTRY, "code", plain("ner")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "language", plain("fr")) == 0);
    CHECK(one(&m, &b, IN_E_COURSE, "language", plain("fra")) == 1);
    CHECK(one(&m, &b, IN_E_RATE, "currency", plain("CHF")) == 0);
    CHECK(one(&m, &b, IN_E_RATE, "currency", plain("usd")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: currency must be an ISO 4217 currency code, got 'usd'\n");
    CHECK(one(&m, &b, IN_E_COUNTRY, "income_group", plain("LMIC")) == 0);
    CHECK(((md_country *)b.e)->income == MD_INC_LMIC);
    CHECK(one(&m, &b, IN_E_COUNTRY, "income_group", plain("low")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "format", plain("in-person")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: format must be one of online, in_person, blended, got 'in-person' (did you mean 'in_person'?)\n");
    CHECK(one(&m, &b, IN_E_COURSE, "format", quoted("blended")) == 0);
    CHECK(((md_course *)b.e)->format == MD_FMT_BLENDED);

    /* ids: topic slugs, other ids */
    CHECK(one(&m, &b, IN_E_TOPIC, "id", plain("un-norms_2")) == 0);
    CHECK(one(&m, &b, IN_E_TOPIC, "id", plain("UN norms")) == 1);
    CHECK(one(&m, &b, IN_E_TOPIC, "id", plain("-x")) == 1);
    CHECK(one(&m, &b, IN_E_DONOR, "id", plain("Nordic Fund")) == 0);
    CHECK(one(&m, &b, IN_E_DONOR, "id", quoted("")) == 1);
    CHECK(one(&m, &b, IN_E_DONOR, "id", quoted("gfce ")) == 1);
    CHECK(one(&m, &b, IN_E_DONOR, "id", quoted("a\tb")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: id must be a non-empty name without control characters or surrounding spaces, got a quoted string 'a\\x09b'\n");

    /* course urls: http(s) with a host, nothing a page could run or break on */
    CHECK(one(&m, &b, IN_E_COURSE, "url", plain("https://courses.example.org/a?b=1#c")) == 0);
    CHECK_STR(((md_course *)b.e)->url, "https://courses.example.org/a?b=1#c");
    CHECK(one(&m, &b, IN_E_COURSE, "url", quoted("HTTP://X.ORG")) == 0);
    CHECK(one(&m, &b, IN_E_COURSE, "url", quoted("ftp://x.org/c")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: url must be an http:// or https:// address without spaces, got a quoted string 'ftp://x.org/c'\n");
    CHECK(one(&m, &b, IN_E_COURSE, "url", quoted("javascript:alert(1)")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "url", plain("www.x.org")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "url", plain("https://")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "url", plain("https:///etc/passwd")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "url", quoted("https://x.org/a b")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "url", quoted("https://x.org/\"onmouseover=")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "url", quoted("https://x.org/<b>")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "url", sqlint(5)) == 1);
    {
        char longurl[1100] = "https://x.org/";
        memset(longurl + 14, 'a', 986); longurl[1000] = '\0';
        CHECK(one(&m, &b, IN_E_COURSE, "url", plain(longurl)) == 0);
        longurl[1000] = 'a'; longurl[1001] = '\0';
        CHECK(one(&m, &b, IN_E_COURSE, "url", plain(longurl)) == 1);
        CHECK(strstr(errors(), "url must be at most 1000 bytes long") != NULL);
    }

    /* dates */
    CHECK(one(&m, &b, IN_E_COURSE, "start_date", plain("2028-02-29")) == 0);
    CHECK(((md_course *)b.e)->start_date == 20280229);
    CHECK(one(&m, &b, IN_E_COURSE, "start_date", quoted("2000-02-29")) == 0);
    CHECK(one(&m, &b, IN_E_COURSE, "start_date", plain("2027-02-29")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: start_date must be a real date YYYY-MM-DD, got '2027-02-29'\n");
    CHECK(one(&m, &b, IN_E_COURSE, "end_date", plain("1900-02-29")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "end_date", plain("2027-04-31")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "end_date", plain("2027-13-01")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "end_date", plain("2027-1-01")) == 1);
    CHECK(one(&m, &b, IN_E_COURSE, "end_date", plain("20270101")) == 1);

    /* lists */
    in_value items[3] = { plain("en"), plain("fr"), plain("en") };
    in_value seq = { .kind = IN_SEQ, .items = items, .nitems = 2, .loc = { .file = "f.yaml", .line = 3, .col = 7 } };
    CHECK(one(&m, &b, IN_E_COUNTRY, "languages", seq) == 0);
    md_country *ctry = b.e;
    CHECK(ctry->languages.present && ctry->languages.n == 2);
    CHECK_STR(ctry->languages.v[1], "fr");
    seq.nitems = 3;
    CHECK(one(&m, &b, IN_E_COUNTRY, "languages", seq) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: 'en' is listed twice in languages\n");
    items[1] = plain("french");
    seq.nitems = 2;
    CHECK(one(&m, &b, IN_E_COUNTRY, "languages", seq) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: languages entry must be an ISO 639-1 language code, got 'french'\n");
    CHECK(one(&m, &b, IN_E_COUNTRY, "languages", plain("en")) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: languages must be a list, got 'en'\n");
    seq.nitems = 0;
    CHECK(one(&m, &b, IN_E_COURSE, "topics", seq) == 1);   /* required list: ≥ 1 */
    CHECK(one(&m, &b, IN_E_DONOR, "topics", seq) == 0);    /* present, empty */
    CHECK(((md_donor *)b.e)->topics.present == 1 && ((md_donor *)b.e)->topics.n == 0);
    in_value fm[2] = { plain("online"), plain("hybrid") };
    in_value fseq = { .kind = IN_SEQ, .items = fm, .nitems = 2 };
    CHECK(one(&m, &b, IN_E_DONOR, "formats", fseq) == 1);
    CHECK_STR(((md_donor *)b.e)->formats.v[0], "online");
    in_value ig[1] = { plain("HIC") };
    in_value iseq = { .kind = IN_SEQ, .items = ig, .nitems = 1 };
    CHECK(one(&m, &b, IN_E_DONOR, "income_groups", iseq) == 0);
    CHECK_STR(((md_donor *)b.e)->income_groups.v[0], "HIC");

    /* mapping where a scalar is expected */
    in_value map = { .kind = IN_MAP, .loc = { .file = "f.yaml", .line = 3, .col = 7 } };
    CHECK(one(&m, &b, IN_E_DONOR, "name", map) == 1);
    CHECK_STR(errors(), "capmatch: f.yaml:3:7: error: name must be text, got a mapping\n");

    /* required fields, null = absent, a field twice */
    md_loc loc = { .file = "d.yaml", .line = 5, .col = 5 };
    reset();
    CHECK(in_entity_begin(&b, &m, &D, IN_E_DONOR, &loc) == 0);
    in_value idv = plain("gfce"), nul = { .kind = IN_NULL };
    in_entity_field(&b, "id", &KL, &idv);
    in_entity_field(&b, "budget", &KL, &nul);
    in_entity_field(&b, "name", &KL, &nul);
    in_entity_field(&b, "id", &KL, &idv);
    in_entity_end(&b);
    CHECK_STR(errors(),
              "capmatch: f.yaml:3:1: error: id given twice in donor\n"
              "capmatch: d.yaml:5:5: error: donor 'gfce' is missing required field 'budget'\n");
    md_donor *dn = b.e;
    CHECK(dn->name == NULL);
    CHECK_STR(dn->loc.file, "d.yaml");
    CHECK(dn->loc.line == 5);

    reset();
    CHECK(in_entity_begin(&b, &m, &D, IN_E_NEED, &loc) == 0);
    in_entity_end(&b);
    CHECK(D.nerrors == 3);
    CHECK(strstr(errors(), "need is missing required field 'seats'") != NULL);

    /* defaults kept when fields are absent */
    reset();
    CHECK(in_entity_begin(&b, &m, &D, IN_E_COURSE, &loc) == 0);
    md_course *k = b.e;
    CHECK(k->seats < 0 && k->max_per_country < 0 && k->quality < 0 && k->min_seats == 0);

    /* public conversions */
    reset();
    double x;
    long long n;
    int dt;
    in_value p = plain("42");
    CHECK(in_value_number(&D, &p, "time_limit", &x) == 0 && x == 42);
    CHECK(in_value_integer(&D, &p, "n", &n) == 0 && n == 42);
    p = plain("4.2");
    CHECK(in_value_integer(&D, &p, "n", &n) == -1);
    CHECK_STR(in_value_text(&D, &p, "name"), "4.2");
    CHECK(in_value_date(&D, &p, "start", &dt) == -1);
    CHECK(D.nerrors == 2);

    test_number_limits(&m, &b);
    test_text_limits(&m, &b);

    md_model_free(&m);
    fclose(errf);
    free(errbuf);
    return CHECK_DONE();
}
