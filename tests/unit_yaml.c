/* tests/unit_yaml.c — the YAML reader, the settings and in_load(), through
 * files written to a temporary folder; plus SHA-256 against FIPS vectors. */
#include "check.h"
#include "../inputs/inputs.h"
#include "../inputs/sha256.h"
#include <stdlib.h>
#include <unistd.h>

static char dir[64];
static char *errbuf;
static size_t errlen;

static void put(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f) { perror(p); exit(2); }
    fputs(text, f);
    fclose(f);
}

/* Loads dir/name into m (freed by the caller); stderr text in errbuf. */
static int load(md_model *m, const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    free(errbuf);
    errbuf = NULL;
    FILE *f = open_memstream(&errbuf, &errlen);
    md_diag d;
    md_diag_init(&d, f);
    md_model_init(m);
    int rc = in_load(p, m, &d);
    fclose(f);
    return rc;
}

/* Loads and frees; returns the exit code. */
static int run(const char *name)
{
    md_model m;
    int rc = load(&m, name);
    md_model_free(&m);
    return rc;
}

/* The error text with the temp folder's prefix removed, for exact checks. */
static const char *errs(void)
{
    static char out[8192];
    size_t n = strlen(dir), o = 0;
    for (const char *s = errbuf ? errbuf : ""; *s && o + 1 < sizeof out;) {
        if (strncmp(s, dir, n) == 0 && s[n] == '/') { s += n + 1; continue; }
        out[o++] = *s++;
    }
    out[o] = '\0';
    return out;
}

static const char *sha(const char *s, size_t n, int split)
{
    static char hex[65];
    in_sha256 c;
    in_sha256_init(&c);
    if (split) {
        for (size_t i = 0; i < n; i += 7) in_sha256_update(&c, s + i, n - i < 7 ? n - i : 7);
    } else {
        in_sha256_update(&c, s, n);
    }
    in_sha256_hex(&c, hex);
    return hex;
}

static const char *BASE =
    "currency: USD\n"
    "topics:\n"
    "  - {id: un-norms, name: UN norms}\n"
    "countries:\n"
    "  - code: NER\n"
    "    name: Niger\n"
    "    languages: [fr]\n";

/* Loads a scenario written from text; returns the exit code. */
static int run_text(const char *name, const char *text)
{
    put(name, text);
    return run(name);
}

/* Issue #21: files that are not capmatch YAML are named as such and not
 * quoted; every excerpt is short and escaped. */
static void test_foreign_files(void)
{
    put("shadow", "root:$y$j9T$Zsecrethashsecrethash:19700:0:99999:7:::\n"
                  "daemon:*:19700:0:99999:7:::\n");
    CHECK(run_text("s1.yaml", "currency: USD\ninclude: [shadow]\n") == 65);
    CHECK_STR(errs(), "capmatch: shadow:1:1: error: shadow is not a capmatch YAML file: its first "
              "key is not one of entity lists (topics, countries, ...) (the rest of the file is not read)\n");
    CHECK(strstr(errs(), "secret") == NULL && strstr(errs(), "root") == NULL);
    put("key.pem", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");
    CHECK(run_text("s0.yaml", "currency: USD\ninclude: [key.pem]\n") == 65);
    CHECK_STR(errs(), "capmatch: key.pem:1:1: error: key.pem is not a capmatch YAML file: its top "
              "level is plain text, not a mapping of entity lists (topics, countries, ...)\n");
    put("conf", "password: hunter2-very-secret\nuser: admin\n");
    CHECK(run_text("s2.yaml", "currency: USD\ninclude: [conf]\n") == 65);
    CHECK_STR(errs(), "capmatch: conf:1:1: error: conf is not a capmatch YAML file: its first key "
              "is not one of entity lists (topics, countries, ...) (the rest of the file is not read)\n");
    put("list", "- secret one\n- secret two\n");
    CHECK(run_text("s3.yaml", "currency: USD\ninclude: [list]\n") == 65);
    CHECK(strstr(errs(), "its top level is a list") != NULL && strstr(errs(), "secret") == NULL);
    /* the scenario itself */
    CHECK(run_text("s4.yaml", "just some text, not a scenario\n") == 65);
    CHECK_STR(errs(), "capmatch: s4.yaml:1:1: error: s4.yaml is not a capmatch YAML file: its top "
              "level is plain text, not a mapping of settings and entity lists\n");
    /* a typo of a known first key is still a typo, reported as before */
    put("typo", "countires: []\n");
    CHECK(run_text("s5.yaml", "currency: USD\ninclude: [typo]\n") == 65);
    CHECK_STR(errs(), "capmatch: typo:1:1: error: unknown key 'countires' (did you mean 'countries'?)\n");
    /* later unknown keys are quoted only as an excerpt, escaped */
    CHECK(run_text("s6.yaml", "currency: USD\n\"\\e[31mred\\u202e and then a long line of text that goes on\": 1\n") == 65);
    CHECK_STR(errs(), "capmatch: s6.yaml:2:1: error: unknown key '\\x1b[31mred\\u202e and then a long line o\xe2\x80\xa6' "
              "(expected an entity list: topics, countries, needs, donors, courses, rates, commitments, ratings)\n");
    CHECK(run_text("s7.yaml", "currency: USD\ntopics: !<tag:this-is-a-very-long-tag-that-leaks-text-from-the-file> []\n") == 65);
    CHECK(strstr(errs(), "leaks") == NULL && strstr(errs(), "\xe2\x80\xa6'") != NULL);
}

/* Issue #21: settings limits, both sides; size limits; include limits. */
static void test_settings_limits(void)
{
    static const struct { const char *yaml; int ok; } t[] = {
        { "policy: {coverage_tiers: [[0.001, 1000], [1, 0.001]]}", 1 },
        { "policy: {coverage_tiers: [[0.0009, 1], [1, 1]]}", 0 },
        { "policy: {coverage_tiers: [[0.5, 1001], [1, 1]]}", 0 },
        { "policy: {coverage_tiers: [[0.5, 1], [1, 0.00099]]}", 0 },
        { "policy: {coverage_tiers: [[0.998, 1], [0.999, 1], [1, 1]]}", 1 },
        { "policy: {coverage_tiers: [[0.9995, 1], [1, 1]]}", 0 },
        { "policy: {income_weights: {LIC: 1000, HIC: 0.001}}", 1 },
        { "policy: {income_weights: {LIC: 1000.1}}", 0 },
        { "policy: {income_weights: {HIC: 0.00099}}", 0 },
        { "solver: {time_limit: 10000000, mip_gap: 1}", 1 },
        { "solver: {time_limit: 10000001}", 0 },
        { "solver: {mip_gap: 1.01}", 0 },
    };
    char text[512];
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        snprintf(text, sizeof text, "currency: USD\n%s\n", t[i].yaml);
        int rc = run_text("lim.yaml", text);
        int ok = t[i].ok ? rc == 0 : rc == 65 && strncmp(errs(), "capmatch: lim.yaml:2:", 21) == 0;
        if (!ok) fprintf(stderr, "%s: exit %d\n%s", t[i].yaml, rc, errs());
        CHECK(ok);
    }
    CHECK(run_text("lim.yaml", "currency: USD\nsolver: {time_limit: 1e300}\n") == 65);
    CHECK_STR(errs(), "capmatch: lim.yaml:2:22: error: solver.time_limit must be a number of seconds "
              "from above 0 to 10000000, got '1e300'\n");
    /* name: 200 bytes */
    char name[260];
    memset(name, 'n', 200); name[200] = '\0';
    snprintf(text, sizeof text, "currency: USD\nname: %s\n", name);
    CHECK(run_text("name.yaml", text) == 0);
    snprintf(text, sizeof text, "currency: USD\nname: %sn\n", name);
    CHECK(run_text("name.yaml", text) == 65);
    CHECK(strstr(errs(), "name must be at most 200 bytes long") != NULL);
    /* paths: control characters refused in include and output.dir */
    CHECK(run_text("p.yaml", "currency: USD\ninclude: [\"a\\e]0;x\\a.yaml\"]\n") == 65);
    CHECK_STR(errs(), "capmatch: p.yaml:2:11: error: include entry must be a path of at most 4096 "
              "bytes without control characters, got 'a\\x1b]0;x\\x07.yaml'\n");
    CHECK(run_text("p.yaml", "currency: USD\noutput: {dir: \"out\\u202e\"}\n") == 65);
    CHECK(strstr(errs(), "output.dir must be a path of at most 4096 bytes") != NULL);
    /* at most 255 includes */
    char *many = malloc(8 * 256 + 64);
    if (!many) { CHECK(0); return; }
    strcpy(many, "currency: USD\ninclude: [");
    for (int i = 0; i < 256; i++) strcat(many, i ? ", x.yaml" : "x.yaml");
    strcat(many, "]\n");
    CHECK(run_text("many.yaml", many) == 65);
    CHECK_STR(errs(), "capmatch: many.yaml:2:10: error: include may list at most 255 files, got 256\n");
    free(many);
}

/* Issue #21: the 64 MiB YAML limit holds for the scenario and includes, at
 * exactly the limit and one byte over (the file used to be read in doubling
 * steps that let 64–128 MiB through). */
static void test_size_limit(void)
{
    const size_t max = 64u * 1024 * 1024;
    char p[256];
    snprintf(p, sizeof p, "%s/big.yaml", dir);
    const char *head = "topics: [{id: big}]\n";
    FILE *f = fopen(p, "wb");
    if (!f) { CHECK(0); return; }
    fputs(head, f);
    static char line[4096];
    memset(line, 'x', sizeof line);
    line[0] = '#';
    line[sizeof line - 1] = '\n';
    size_t n = strlen(head);
    while (n + sizeof line <= max) { fwrite(line, 1, sizeof line, f); n += sizeof line; }
    fputs("#", f); n++;
    while (n < max) { fputc('x', f); n++; }
    fclose(f);
    CHECK(run_text("bigs.yaml", "currency: USD\ninclude: [big.yaml]\n") == 0);
    f = fopen(p, "ab");
    if (f) { fputc('x', f); fclose(f); }
    CHECK(run_text("bigs.yaml", "currency: USD\ninclude: [big.yaml]\n") == 65);
    CHECK_STR(errs(), "capmatch: bigs.yaml:2:11: error: big.yaml is too large (a YAML input may "
              "hold at most 64 MiB)\n");
    unlink(p);
}

/* Issue #21: money after conversion, share caps, the total budget, the
 * amount a commitment implies and the spread of the score's weights. */
static void test_model_limits(void)
{
#define MODEL_BASE \
        "currency: USD\n" \
        "topics: [{id: t}]\n" \
        "countries: [{code: KEN, name: Kenya, languages: [en], income_group: LIC},\n" \
        "            {code: UGA, name: Uganda, languages: [en]}]\n" \
        "courses: [{id: c, topics: [t], language: en, format: online, cost_per_seat: %s, currency: %s}]\n" \
        "rates: [{currency: EUR, rate: %s}]\n" \
        "donors: [{id: d, budget: %s, currency: %s, max_share_per_country: %s}]\n" \
        "needs: [{country: KEN, topic: t, seats: 1, priority: %s}, {country: UGA, topic: t, seats: 1}]\n" \
        "policy: {income_weights: {LIC: %s}, coverage_tiers: [[0.5, %s], [1, %s]]}\n"
    static const struct { const char *v[11]; int ok; } t[] = {
        /* cost cur rate budget cur share prio incw v1 v2 */
        { { "10", "EUR", "0.001", "10", "EUR", "1", "1", "1", "1", "1" }, 1 },         /* 0.01 base */
        { { "9.99", "EUR", "0.001", "10", "EUR", "1", "1", "1", "1", "1" }, 0 },       /* cost 0.00999 */
        { { "10", "EUR", "0.001", "9.99", "EUR", "1", "1", "1", "1", "1" }, 0 },       /* budget 0.00999 */
        { { "1e12", "EUR", "1", "1e12", "EUR", "1", "1", "1", "1", "1" }, 1 },
        { { "1e12", "EUR", "1.000001", "1", "USD", "1", "1", "1", "1", "1" }, 0 },    /* cost > 1e12 */
        { { "1", "EUR", "1.000001", "1e12", "EUR", "1", "1", "1", "1", "1" }, 0 },    /* budget > 1e12 */
        { { "1", "USD", "1", "100", "USD", "0.0001", "1", "1", "1", "1" }, 1 },       /* cap 0.01 */
        { { "1", "USD", "1", "99", "USD", "0.0001", "1", "1", "1", "1" }, 0 },        /* cap 0.0099 */
        { { "1", "USD", "1", "1", "USD", "1", "0.001", "1", "1000", "1" }, 1 },       /* spread 1e6 */
        { { "1", "USD", "1", "1", "USD", "1", "0.001", "1", "1000", "0.999" }, 0 },   /* just over */
        { { "1", "USD", "1", "1", "USD", "1", "1", "1000", "1000", "1" }, 1 },        /* 1e6 again */
        { { "1", "USD", "1", "1", "USD", "1", "1", "1000", "1000", "0.999" }, 0 },
    };
    char text[1024];
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        const char *const *v = t[i].v;
        snprintf(text, sizeof text, MODEL_BASE, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
        int rc = run_text("mod.yaml", text);
        int ok = t[i].ok ? rc == 0 : rc == 65 && strstr(errs(), "capmatch: mod.yaml:") == errs();
        if (!ok) fprintf(stderr, "case %zu: exit %d\n%s", i, rc, errs());
        CHECK(ok);
    }
    /* all budgets together: 1e13 at most */
    char donors[1024] = "currency: USD\ndonors:\n";
    for (int i = 0; i < 10; i++)
        snprintf(donors + strlen(donors), sizeof donors - strlen(donors),
                 "  - {id: d%d, budget: 1e12}\n", i);
    CHECK(run_text("tot.yaml", donors) == 0);
    strcat(donors, "  - {id: dx, budget: 0.01}\n");
    CHECK(run_text("tot.yaml", donors) == 65);
    CHECK(strstr(errs(), "the donors' budgets add up to") != NULL);
    /* a commitment's amount: seats × cost at most 1e12 */
#define CM \
        "currency: USD\ntopics: [{id: t}]\n" \
        "countries: [{code: KEN, name: Kenya, languages: [en]}]\n" \
        "donors: [{id: d, budget: 1e12}]\n" \
        "courses: [{id: c, topics: [t], language: en, format: online, cost_per_seat: 5e11}]\n" \
        "commitments: [{country: KEN, course: c, donor: d, seats: %d}]\n"
    snprintf(text, sizeof text, CM, 2);
    CHECK(run_text("cm.yaml", text) == 0);
    snprintf(text, sizeof text, CM, 3);
    CHECK(run_text("cm.yaml", text) == 65);
    CHECK(strstr(errs(), "3 seats at 500000000000 each come to more than 1e12") != NULL);
}

int main(void)
{
    /* FIPS 180-2 / NIST example vectors */
    CHECK_STR(sha("", 0, 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_STR(sha("abc", 3, 0), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *v2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK_STR(sha(v2, strlen(v2), 0), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK_STR(sha(v2, strlen(v2), 1), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *mil = malloc(1000000);
    memset(mil, 'a', 1000000);
    CHECK_STR(sha(mil, 1000000, 0), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(mil);

    snprintf(dir, sizeof dir, "/tmp/unit_yaml.XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    md_model m;

    /* a valid scenario: settings, inline entities and an include */
    put("ok.yaml",
        "name: test round\n"
        "currency: USD\n"
        "period: {start: 2027-01-01, end: 2027-12-31}\n"
        "include: [data.yaml]\n"
        "policy:\n"
        "  coverage_tiers: [[0.5, 1.0], [1.0, 0.5]]\n"
        "  income_weights: {LIC: 2, LMIC: 1.5}\n"
        "  min_quality: 3.5\n"
        "  unrated: exclude\n"
        "solver: {time_limit: 60, mip_gap: 0.001}\n"
        "output: {dir: results, formats: [csv, json]}\n"
        "topics:\n"
        "  - {id: un-norms, name: UN norms}\n");
    put("data.yaml",
        "countries:\n"
        "  - code: NER\n"
        "    name: 'NO'\n"
        "    income_group: LIC\n"
        "    languages: [fr, 'no']\n"
        "needs:\n"
        "  - {country: NER, topic: un-norms, seats: 4}\n"
        "courses:\n"
        "  - id: c1\n"
        "    topics: [un-norms]\n"
        "    language: fr\n"
        "    format: online\n"
        "    cost_per_seat: 0\n"
        "    start_date: 2027-03-01\n");
    CHECK(load(&m, "ok.yaml") == 0);
    CHECK_STR(errs(), "");
    CHECK_STR(m.set.name, "test round");
    CHECK_STR(m.set.currency, "USD");
    CHECK(m.set.has_period && m.set.period_start == 20270101 && m.set.period_end == 20271231);
    CHECK(m.set.ntiers == 2);
    if (m.set.ntiers == 2) CHECK_NEAR(m.set.tiers[1].value, 0.5, 0);
    CHECK_NEAR(m.set.income_weight[MD_INC_LIC], 2, 0);
    CHECK_NEAR(m.set.income_weight[MD_INC_HIC], 1, 0);
    CHECK(m.set.has_min_quality && m.set.min_quality == 3.5 && !m.set.unrated_allow);
    CHECK_NEAR(m.set.time_limit, 60, 0);
    CHECK(m.set.formats == (MD_OUT_CSV | MD_OUT_JSON));
    char want[256];
    snprintf(want, sizeof want, "%s/results", dir);
    CHECK_STR(m.set.out_dir, want);
    CHECK(m.ntopics == 1 && m.ncountries == 1 && m.nneeds == 1 && m.ncourses == 1);
    CHECK(m.ninput_files == 2);
    if (m.ncountries == 1) {
        CHECK_STR(m.countries[0].name, "NO");
        CHECK(m.countries[0].languages.n == 2);
    }
    if (m.ncourses == 1) CHECK(m.courses[0].loc.line == 9 && m.courses[0].loc.col == 5);
    /* the digest covers both files' bytes in order */
    {
        char p1[256], p2[256], buf[4096];
        snprintf(p1, sizeof p1, "%s/ok.yaml", dir);
        snprintf(p2, sizeof p2, "%s/data.yaml", dir);
        in_sha256 c;
        in_sha256_init(&c);
        const char *ps[2] = { p1, p2 };
        for (int i = 0; i < 2; i++) {
            FILE *f = fopen(ps[i], "rb");
            size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
            if (f) fclose(f);
            in_sha256_update(&c, buf, n);
        }
        char hex[65];
        in_sha256_hex(&c, hex);
        CHECK_STR(m.input_digest, hex);
    }
    md_model_free(&m);

    /* defaults: out next to the scenario, all formats, one tier */
    put("min.yaml", BASE);
    CHECK(load(&m, "min.yaml") == 0);
    snprintf(want, sizeof want, "%s/out", dir);
    CHECK_STR(m.set.out_dir, want);
    CHECK(m.set.formats == MD_OUT_ALL && m.set.ntiers == 1 && m.set.unrated_allow);
    md_model_free(&m);

    /* missing scenario, missing include */
    CHECK(run("nope.yaml") == 66);
    CHECK_STR(errs(), "capmatch: error: cannot open nope.yaml: No such file or directory\n");
    put("inc.yaml", "currency: USD\ninclude:\n  - gone.yaml\n  - gone.db\n");
    CHECK(run("inc.yaml") == 66);
    CHECK_STR(errs(),
              "capmatch: inc.yaml:3:5: error: cannot open gone.yaml: No such file or directory\n"
              "capmatch: inc.yaml:4:5: error: cannot open gone.db: No such file or directory\n");

    /* included twice, including itself, settings in an included file */
    put("twice.yaml", "currency: USD\ninclude: [data.yaml, ./data.yaml, twice.yaml]\n");
    CHECK(run("twice.yaml") == 65);
    CHECK(strstr(errs(), "twice.yaml:2:22: error: ./data.yaml is included twice (as data.yaml before)\n") != NULL);
    CHECK(strstr(errs(), "twice.yaml:2:35: error: twice.yaml is the scenario file itself; it cannot be included\n") != NULL);
    put("sub.yaml", "policy: {min_quality: 3}\ninclude: [data.yaml]\n");
    put("usesub.yaml", "currency: USD\ninclude: [sub.yaml]\n");
    CHECK(run("usesub.yaml") == 65);
    CHECK_STR(errs(),
              "capmatch: sub.yaml:1:1: error: 'policy' is allowed only in the scenario file\n"
              "capmatch: sub.yaml:2:1: error: 'include' is allowed only in the scenario file\n");

    /* duplicate keys, in an entity and at top level */
    put("dup.yaml", "currency: USD\ncurrency: EUR\ndonors:\n  - id: a\n    budget: 1\n    budget: 2\n");
    CHECK(run("dup.yaml") == 65);
    CHECK_STR(errs(),
              "capmatch: dup.yaml:6:5: error: duplicate key 'budget' (first given at line 5)\n"
              "capmatch: dup.yaml:2:1: error: duplicate key 'currency' (first given at line 1)\n");

    /* anchors and aliases */
    put("alias.yaml", "currency: USD\na: &x [1]\nb: *x\n");
    CHECK(run("alias.yaml") == 65);
    CHECK_STR(errs(), "capmatch: alias.yaml:2:4: error: YAML anchors (&x) are not supported\n");
    put("alias2.yaml", "currency: USD\nb: *x\n");
    CHECK(run("alias2.yaml") == 65);
    CHECK(strstr(errs(), "alias2.yaml:2:4: error:") != NULL);

    /* nesting depth */
    {
        char deep[400] = "currency: USD\nx: ";
        for (int i = 0; i < 100; i++) strcat(deep, "[");
        for (int i = 0; i < 100; i++) strcat(deep, "]");
        strcat(deep, "\n");
        put("deep.yaml", deep);
        CHECK(run("deep.yaml") == 65);
        CHECK_STR(errs(), "capmatch: deep.yaml:2:67: error: YAML nesting deeper than 64 levels\n");
    }

    /* unknown keys with suggestions */
    put("typo.yaml", "currency: USD\ndonrs: []\npolicy: {unrated: allow, min_qualty: 2}\n"
        "donors:\n  - {id: d, budjet: 5}\n");
    CHECK(run("typo.yaml") == 65);
    CHECK_STR(errs(),
              "capmatch: typo.yaml:2:1: error: unknown key 'donrs' (did you mean 'donors'?)\n"
              "capmatch: typo.yaml:3:26: error: unknown key 'min_qualty' in policy (did you mean 'min_quality'?)\n"
              "capmatch: typo.yaml:5:13: error: unknown key 'budjet' in donor (did you mean 'budget'?)\n"
              "capmatch: typo.yaml:5:5: error: donor 'd' is missing required field 'budget'\n");

    /* wrong types, bad dates, non-integer seats, quoted numbers */
    put("types.yaml",
        "currency: USD\n"
        "topics: {id: x}\n"
        "needs:\n"
        "  - {country: NER, topic: t, seats: 2.5}\n"
        "  - {country: NER, topic: u, seats: '3'}\n"
        "  - just text\n"
        "courses:\n"
        "  - {id: c, topics: t, language: fr, format: online, cost_per_seat: 0, start_date: 2027-02-30}\n");
    CHECK(run("types.yaml") == 65);
    CHECK_STR(errs(),
              "capmatch: types.yaml:2:9: error: topics must be a list, got a mapping\n"
              "capmatch: types.yaml:4:37: error: seats must be an integer ≥ 1, got '2.5'\n"
              "capmatch: types.yaml:5:37: error: seats must be an integer ≥ 1, got a quoted string '3'\n"
              "capmatch: types.yaml:6:5: error: each entry of needs must be a mapping, got 'just text'\n"
              "capmatch: types.yaml:8:21: error: topics must be a list, got 't'\n"
              "capmatch: types.yaml:8:84: error: start_date must be a real date YYYY-MM-DD, got '2027-02-30'\n");

    /* invalid UTF-8, positioned */
    put("utf.yaml", "currency: USD\nname: caf\xc3\xa9 ok\ntopics:\n  - {id: a, name: x\xff}\n");
    CHECK(run("utf.yaml") == 65);
    CHECK(strstr(errs(), "capmatch: utf.yaml:4:20: error: invalid text encoding:") == errs());

    /* syntax error, several documents, a scalar file, an empty file */
    put("syn.yaml", "currency: USD\ntopics:\n  - id: a\n   name: b\n");
    CHECK(run("syn.yaml") == 65);
    CHECK(strstr(errs(), "capmatch: syn.yaml:4:") == errs() && strstr(errs(), "YAML syntax error") != NULL);
    put("docs.yaml", "currency: USD\n---\ncurrency: EUR\n");
    CHECK(run("docs.yaml") == 65);
    CHECK_STR(errs(), "capmatch: docs.yaml:2:1: error: a file may hold only one YAML document\n");
    put("scalar.yaml", "just words\n");
    CHECK(run("scalar.yaml") == 65);
    put("empty.yaml", "");
    CHECK(run("empty.yaml") == 65);
    CHECK_STR(errs(), "capmatch: empty.yaml: error: the scenario is empty (it must set at least 'currency')\n");
    put("nocur.yaml", "name: x\n");
    CHECK(run("nocur.yaml") == 65);
    CHECK_STR(errs(), "capmatch: nocur.yaml:1:1: error: the scenario must set 'currency' (the base currency of every amount)\n");
    /* an empty included file adds nothing and is fine */
    put("e.yaml", "# nothing\n");
    put("usee.yaml", "currency: USD\ninclude: [e.yaml]\ntopics: [{id: a}]\n");
    CHECK(run("usee.yaml") == 0);

    /* settings ranges and shapes */
    put("set.yaml",
        "currency: usd\n"
        "period: {start: 2027-12-31, end: 2027-01-01}\n"
        "policy:\n"
        "  coverage_tiers: [[0.5, 1.0], [0.4, 0.5]]\n"
        "  income_weights: {LIC: 0, RICH: 1}\n"
        "  unrated: maybe\n"
        "solver: {time_limit: 0, mip_gap: -1}\n"
        "output: {formats: [csv, jsn, csv]}\n");
    CHECK(run("set.yaml") == 65);
    CHECK_STR(errs(),
              "capmatch: set.yaml:1:11: error: currency must be an ISO 4217 currency code, got 'usd'\n"
              "capmatch: set.yaml:2:9: error: period start 2027-12-31 is after its end 2027-01-01\n"
              "capmatch: set.yaml:4:33: error: coverage tier fractions must increase strictly\n"
              "capmatch: set.yaml:5:25: error: policy.income_weights.LIC must be a number > 0, got '0'\n"
              "capmatch: set.yaml:5:28: error: unknown key 'RICH' in policy.income_weights\n"
              "capmatch: set.yaml:6:12: error: policy.unrated must be allow or exclude, got 'maybe'\n"
              "capmatch: set.yaml:7:22: error: solver.time_limit must be a number of seconds > 0, got '0'\n"
              "capmatch: set.yaml:7:34: error: solver.mip_gap must be a number ≥ 0, got '-1'\n"
              "capmatch: set.yaml:8:25: error: output.formats entry must be one of csv, json, markdown, html, sqlite, iati, datapackage, got 'jsn' (did you mean 'json'?)\n"
              "capmatch: set.yaml:8:30: error: 'csv' is listed twice in output.formats\n");
    put("tiers.yaml",
        "currency: USD\n"
        "policy: {coverage_tiers: [[0.5, 0.5], [0.9, 1.0]]}\n");
    CHECK(run("tiers.yaml") == 65);
    CHECK_STR(errs(), "capmatch: tiers.yaml:2:45: error: coverage tier values must not increase (the first part of a gap is worth most)\n");
    put("tiers2.yaml", "currency: USD\npolicy: {coverage_tiers: [[0.5, 1.0], [0.9]]}\n");
    CHECK(run("tiers2.yaml") == 65);
    CHECK_STR(errs(), "capmatch: tiers2.yaml:2:39: error: each coverage tier must be a pair [fraction, value], got a list of another length\n");
    put("tiers3.yaml", "currency: USD\npolicy: {coverage_tiers: [[0.5, 1.0], [0.9, 0.5]]}\n");
    CHECK(run("tiers3.yaml") == 65);
    CHECK_STR(errs(), "capmatch: tiers3.yaml:2:39: error: the last coverage tier must end at fraction 1\n");
    put("per.yaml", "currency: USD\nperiod: {start: 2027-01-01}\n");
    CHECK(run("per.yaml") == 65);
    CHECK_STR(errs(), "capmatch: per.yaml:2:1: error: period needs both start and end\n");

    /* a directory where a file is expected */
    put("dirinc.yaml", "currency: USD\ninclude: [.]\n");
    CHECK(run("dirinc.yaml") == 66);
    CHECK_STR(errs(), "capmatch: dirinc.yaml:2:11: error: cannot open .: Is a directory\n");

    /* tags: !!str forces text, unknown tags are refused */
    put("tag.yaml", "currency: USD\ntopics: [{id: a, name: !!str 12}]\nneeds: !!set {a}\n");
    CHECK(run("tag.yaml") == 65);
    CHECK_STR(errs(), "capmatch: tag.yaml:3:8: error: unsupported YAML tag 'tag:yaml.org,2002:set'\n");

    test_foreign_files();
    test_settings_limits();
    test_size_limit();
    test_model_limits();

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    free(errbuf);
    return CHECK_DONE();
}
