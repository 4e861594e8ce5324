/* tests/unit_report.c — the report model, the Markdown and HTML renderers
 * (escaping, sections, offers incl. free courses) and the results.db history
 * (two runs written, read back with the SQLite API, views, diff, errors). */
#include "check.h"
#include "../outputs/report.h"
#include "../outputs/pages.h"
#include "../outputs/history.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

static const char *const langs_ken[] = { "en", "sw" };
static const char *const langs_phl[] = { "en" };
static const char *const t_both[] = { "norms", "cybercrime" }; /* not in id order */
static const char *const t_norms[] = { "norms" };
static const char EVIL[] = "<script>alert(\"x\")</script> | a, b\nline2 \xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC";

/* A small validated model: KEN (LIC, en/sw, Africa), PHL (LMIC, en, Asia);
 * courses evil (paid, both topics), free1 (free, norms), fr1 (French). */
static int build_model(md_model *m, md_diag *d)
{
    md_model_init(m);
    m->set.path = "scenario.yaml";
    m->set.name = "FY27 <round> | test";
    m->set.currency = "USD";
    m->set.income_weight[MD_INC_LIC] = 2.0;
    m->set.income_weight[MD_INC_LMIC] = 1.5;
    strcpy(m->input_digest, "ab12");
    md_topic *t = md_model_add_topic(m);
    if (!t) return -1;
    t->id = "norms"; t->name = "UN norms";
    if (!(t = md_model_add_topic(m))) return -1;
    t->id = "cybercrime"; t->name = "Cybercrime";
    md_country *c = md_model_add_country(m);
    if (!c) return -1;
    c->code = "PHL"; c->name = "Philippines"; c->region = "Asia"; c->income = MD_INC_LMIC;
    c->languages = (md_strlist){ (const char **)langs_phl, 1, 1 };
    if (!(c = md_model_add_country(m))) return -1;
    c->code = "KEN"; c->name = "Kenya"; c->region = "Africa"; c->income = MD_INC_LIC;
    c->languages = (md_strlist){ (const char **)langs_ken, 2, 1 };
    struct { const char *c, *t; long seats; double prio; } nd[] = {
        { "KEN", "cybercrime", 10, 1 }, { "KEN", "norms", 4, 1 }, { "PHL", "norms", 5, 2 } };
    for (int i = 0; i < 3; i++) {
        md_need *n = md_model_add_need(m);
        if (!n) return -1;
        n->country = nd[i].c; n->topic = nd[i].t; n->seats = nd[i].seats; n->priority = nd[i].prio;
    }
    md_donor *dn = md_model_add_donor(m);
    if (!dn) return -1;
    dn->id = "uk/fcdo"; dn->name = "UK FCDO"; dn->budget = 500;
    if (!(dn = md_model_add_donor(m))) return -1;
    dn->id = "eu"; dn->name = "European Union"; dn->budget = 1000;
    md_course *k = md_model_add_course(m);
    if (!k) return -1;
    k->id = "evil"; k->provider = "Prov & Co"; k->title = EVIL;
    k->topics = (md_strlist){ (const char **)t_both, 2, 1 };
    k->language = "en"; k->format = MD_FMT_ONLINE; k->cost_per_seat = 100; k->hours = 12; k->quality = 4.5;
    if (!(k = md_model_add_course(m))) return -1;
    k->id = "free1"; k->provider = "DiploFoundation"; k->title = "Free norms primer";
    k->topics = (md_strlist){ (const char **)t_norms, 1, 1 };
    k->language = "en"; k->format = MD_FMT_ONLINE; k->cost_per_seat = 0; k->hours = 3;
    if (!(k = md_model_add_course(m))) return -1;
    k->id = "fr1"; k->title = "Cours en fran\xC3\xA7" "ais";
    k->topics = (md_strlist){ (const char **)t_both, 2, 1 };
    k->language = "fr"; k->format = MD_FMT_IN_PERSON; k->cost_per_seat = 50;
    return md_validate(m, d);
}

static int need_ix(const md_model *m, const char *c, const char *t)
{
    for (int i = 0; i < m->nneeds; i++)
        if (!strcmp(m->needs[i].country, c) && !strcmp(m->needs[i].topic, t)) return i;
    return -1;
}

/* Run 1: KEN evil 7 (eu 400, uk 300.004), PHL evil 2 (eu 200), KEN free1 4. */
static int build_plan(const md_model *m, eng_plan *p, int second)
{
    int KEN = md_find_country(m, "KEN"), PHL = md_find_country(m, "PHL");
    int evil = md_find_course(m, "evil"), free1 = md_find_course(m, "free1");
    int eu = md_find_donor(m, "eu"), uk = md_find_donor(m, "uk/fcdo");
    memset(p, 0, sizeof *p);
    p->alloc = calloc(3, sizeof *p->alloc);
    p->fund = calloc(3, sizeof *p->fund);
    p->covered = calloc(3, sizeof *p->covered);
    p->need_score = calloc(3, sizeof *p->need_score);
    p->reason = calloc(3, sizeof *p->reason);
    p->donor_spent = calloc(2, sizeof *p->donor_spent);
    if (!p->alloc || !p->fund || !p->covered || !p->need_score || !p->reason || !p->donor_spent) return -1;
    int kc = need_ix(m, "KEN", "cybercrime"), kn = need_ix(m, "KEN", "norms"), pn = need_ix(m, "PHL", "norms");
    long ken_evil = second ? 5 : 7, phl_evil = second ? 5 : 2;
    p->status = ENG_OPTIMAL;
    p->nalloc = 3;
    p->alloc[0] = (eng_alloc){ KEN, evil, ken_evil, 100.0 * ken_evil };
    p->alloc[1] = (eng_alloc){ KEN, free1, 4, 0 };
    p->alloc[2] = (eng_alloc){ PHL, evil, phl_evil, 100.0 * phl_evil };
    p->nfund = 3;
    p->fund[0] = (eng_fund){ eu, KEN, evil, 400 };
    p->fund[1] = (eng_fund){ eu, PHL, evil, 100.0 * phl_evil };
    p->fund[2] = (eng_fund){ uk, KEN, evil, 100.0 * ken_evil - 400 + 0.004 };
    p->donor_spent[eu] = 400 + 100.0 * phl_evil;
    p->donor_spent[uk] = 100.0 * ken_evil - 400 + 0.004;
    p->covered[kc] = ken_evil; p->covered[kn] = 4; p->covered[pn] = phl_evil;
    p->reason[kc] = ENG_R_RESOURCES; p->reason[pn] = second ? ENG_R_NONE : ENG_R_RESOURCES;
    for (int i = 0; i < 3; i++) p->need_score[i] = (double)p->covered[i];
    p->score = p->covered[0] + p->covered[1] + p->covered[2];
    p->score_bound = 19;
    p->total_cost = 100.0 * (ken_evil + phl_evil);
    p->seats = ken_evil + phl_evil + 4;
    p->solve_seconds = 0.5;
    return 0;
}

/* Whole stream as a string (caller frees). */
static char *slurp(FILE *f)
{
    long n;
    if (fflush(f) || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    s[fread(s, 1, (size_t)n, f)] = '\0';
    return s;
}

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* Every Markdown table keeps one cell count per row: the unescaped pipes of
 * each row equal its header's (an unescaped '|' in a title would add one). */
static int md_tables_consistent(const char *s)
{
    int want = -1;
    for (const char *line = s; *line; ) {
        const char *end = strchr(line, '\n');
        if (!end) end = line + strlen(line);
        if (*line == '|') {
            int n = 0;
            for (const char *q = line; q < end; q++)
                if (*q == '|' && (q == line || q[-1] != '\\')) n++;
            if (want < 0) want = n;
            else if (n != want) return 0;
        } else want = -1;
        line = *end ? end + 1 : end;
    }
    return 1;
}

static char *render(int (*fn)(FILE *, const out_report *), const out_report *r)
{
    FILE *f = tmpfile();
    if (!f) return NULL;
    char *s = fn(f, r) == 0 ? slurp(f) : NULL;
    fclose(f);
    return s;
}

static void test_model_and_render(const md_model *m, const eng_plan *p, md_diag *d)
{
    out_report r;
    CHECK(out_report_build(&r, m, p, NULL, d) == 0);
    int KEN = md_find_country(m, "KEN"), PHL = md_find_country(m, "PHL");
    CHECK(r.seats_needed == 19);
    CHECK(r.seats_covered == 7 + 4 + 2);
    CHECK(r.nneeds_full == 1);
    CHECK_NEAR(r.budget_total, 1500, 1e-9);
    /* unmet: PHL norms w = 2 · 1.5 = 3, gap 3 → 9; KEN cybercrime w = 2, gap 3 → 6 */
    CHECK(r.nunmet == 2);
    if (r.nunmet == 2) {
        CHECK_STR(m->needs[r.unmet[0]].country, "PHL");
        CHECK_NEAR(out_report_gap(&r, r.unmet[0]), 9.0, 1e-9);
        CHECK_STR(m->needs[r.unmet[1]].topic, "cybercrime");
        CHECK_NEAR(out_report_gap(&r, r.unmet[1]), 6.0, 1e-9);
    }
    /* offers: evil (4.5) before free1 (unrated); fr1 fails the language filter */
    CHECK(r.countries[KEN].noffers == 2);
    CHECK(r.countries[KEN].nfree == 1);
    if (r.countries[KEN].noffers == 2) {
        CHECK_STR(m->courses[r.countries[KEN].offers[0]].id, "evil");
        CHECK_STR(m->courses[r.countries[KEN].offers[1]].id, "free1");
    }
    CHECK(r.countries[PHL].noffers == 2); /* free1 also fits PHL's norms need */
    CHECK(r.countries[PHL].seats_covered == 2);
    int eu = md_find_donor(m, "eu"), uk = md_find_donor(m, "uk/fcdo");
    CHECK(r.donors[eu].ncountries == 2);
    CHECK(r.donors[uk].ncountries == 1);
    /* eu: KEN 400 (split over cybercrime + norms, both needed), PHL 200 (norms only) */
    int norms = md_find_topic(m, "norms"), cyber = md_find_topic(m, "cybercrime");
    CHECK_NEAR(r.donors[eu].by_topic[norms], 200 + 200, 1e-9);
    CHECK_NEAR(r.donors[eu].by_topic[cyber], 200, 1e-9);
    CHECK(r.nregions == 2);
    CHECK_NEAR(r.donors[eu].by_region[r.country_region[PHL]], 200, 1e-9);
    CHECK_NEAR(r.donors[eu].by_region[r.country_region[KEN]], 400, 1e-9);

    char *md = render(out_report_md, &r);
    CHECK(md != NULL);
    if (md) {
        CHECK(strstr(md, "<script>") == NULL);
        CHECK(strstr(md, "\\<script\\>alert(\"x\")\\</script\\> \\| a, b line2 \xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC") != NULL);
        CHECK(strstr(md, "# FY27 \\<round\\> \\| test") == md);
        CHECK(md_tables_consistent(md));
        CHECK(strstr(md, "\n## Overview\n") && strstr(md, "\n## Unmet needs\n") &&
              strstr(md, "\n## Donor funding plans\n") && strstr(md, "\n## Countries\n"));
        /* no earlier run: one line says so, first after the title */
        CHECK(strstr(md, "Changes since run") == NULL);
        const char *none = strstr(md, "\n## Changes since the previous run\n\nNo earlier run is recorded");
        const char *ov = strstr(md, "\n## Overview\n");
        CHECK(none && ov && none < ov);
        CHECK(count(md, "#### Fitting offers") == 2);
        CHECK(strstr(md, "| free1 | DiploFoundation | Free norms primer | online | 3 | unrated | free |  | UN norms | 4 |"));
        /* PHL needs only norms: evil's other topic is not listed for it */
        CHECK(strstr(md, "| online | 12 | 4.5 | 100.00 |  | UN norms | 2 |"));
        CHECK(strstr(md, "| online | 12 | 4.5 | 100.00 |  | Cybercrime, UN norms | 7 |"));
        /* fr1 fits no country (the Course quality section lists every course) */
        CHECK(strstr(md, "\n## Countries\n") && strstr(strstr(md, "\n## Countries\n"), "| fr1 |") == NULL);
        CHECK(strstr(md, "| fr1 |  | none | 0 | unrated |"));
        CHECK(strstr(md, "[donors/uk~2Ffcdo.md](donors/uk~2Ffcdo.md)"));
        /* unmet table order follows the weighted gap */
        const char *a = strstr(md, "| Philippines (PHL) | UN norms | 5 | 2 | 3 | 9 |");
        const char *b = strstr(md, "| Kenya (KEN) | Cybercrime | 10 | 7 | 2 | 6 |");
        CHECK(a && b && a < b);
    }
    free(md);
    FILE *f = tmpfile();
    if (f) {
        CHECK(out_report_md_donor(f, &r, uk) == 0);
        char *s = slurp(f);
        CHECK(s && strstr(s, "# Funding plan: UK FCDO (uk/fcdo)") == s);
        CHECK(s && strstr(s, "| Kenya (KEN) | evil |") && md_tables_consistent(s));
        free(s);
        fclose(f);
    }
    if ((f = tmpfile())) {
        CHECK(out_report_md_country(f, &r, KEN) == 0);
        char *s = slurp(f);
        CHECK(s && strstr(s, "# Training plan: Kenya (KEN)") == s);
        CHECK(s && strstr(s, "## Fitting offers") && strstr(s, "free1") && md_tables_consistent(s));
        free(s);
        fclose(f);
    }

    char *html = render(out_report_html, &r);
    CHECK(html != NULL);
    if (html) {
        CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0);
        CHECK(strstr(html, "<script") == NULL && strstr(html, "<SCRIPT") == NULL);
        CHECK(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | a, b\nline2 \xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC"));
        CHECK(strstr(html, "<title>FY27 &lt;round&gt; | test</title>"));
        CHECK(strstr(html, "Prov &amp; Co"));
        CHECK(count(html, "<svg ") == 4); /* coverage by region, by gap, heat map, donors */
        CHECK(strstr(html, "id=\"chart-coverage\"") && strstr(html, "id=\"chart-donors\""));
        CHECK(count(html, "<table") == count(html, "</table>"));
        CHECK(count(html, "<tr>") == count(html, "</tr>"));
        CHECK(count(html, "<section") == count(html, "</section>"));
        CHECK(strstr(html, "id=\"overview\"") && strstr(html, "id=\"unmet\"") &&
              strstr(html, "id=\"donors\"") && strstr(html, "id=\"countries\""));
        CHECK(strstr(html, "id=\"d-uk~2Ffcdo\"") && strstr(html, "href=\"#d-uk~2Ffcdo\""));
        CHECK(strstr(html, "table-layout:fixed") && strstr(html, "@media print"));
        CHECK(count(html, "<td class=\"n free\">free</td>") == 2); /* free1 in KEN's and PHL's offers */
        /* self-contained: the only URL is the SVG namespace */
        CHECK(count(html, "://") == count(html, "http://www.w3.org/2000/svg"));
        CHECK(strstr(html, "src=") == NULL);
    }
    free(html);

    /* the page per donor and per country: co-funding shares, links between
     * the pages (ids made file names), escaping, no script */
    long *used = out_page_seats_used(&r);
    CHECK(used != NULL && used[md_find_course(m, "evil")] == 9);
    if ((f = tmpfile()) && used) {
        CHECK(out_page_donor(f, &r, eu) == 0);
        char *s = slurp(f);
        CHECK(s && strstr(s, "4 of 7 seats, co-funded 57% by you, 43% by uk/fcdo"));
        CHECK(s && strstr(s, "2 of 2 seats") == NULL); /* PHL's pair is the EU's alone */
        CHECK(s && strstr(s, "<a href=\"../countries/KEN.html\">Kenya</a>"));
        CHECK(s && strstr(s, "<a href=\"../report.html\">"));
        CHECK(s && strstr(s, "<script") == NULL && strstr(s, "&lt;script&gt;alert(&quot;x&quot;)"));
        free(s);
        fclose(f);
    }
    if ((f = tmpfile()) && used) {
        CHECK(out_page_country(f, &r, KEN, used) == 0);
        char *s = slurp(f);
        CHECK(s && strstr(s, "<a href=\"../donors/uk~2Ffcdo.html\">UK FCDO</a>"));
        CHECK(s && strstr(s, "id=\"heatmap-country\"") && count(s, "<g class=\"cell\">") == 2);
        CHECK(s && strstr(s, ">7/10</text>") && strstr(s, ">4/4</text>"));
        CHECK(s && count(s, "<section") == count(s, "</section>") && count(s, "<table") == count(s, "</table>"));
        CHECK(s && strstr(s, "<script") == NULL);
        free(s);
        fclose(f);
    }
    free(used);
    out_report_free(&r);
}

static void test_fname(void)
{
    char b[64];
    CHECK_STR(out_report_fname(b, sizeof b, "uk/fcdo"), "uk~2Ffcdo");
    CHECK_STR(out_report_fname(b, sizeof b, ".."), "~2E.");
    CHECK_STR(out_report_fname(b, sizeof b, ""), "~");
    CHECK_STR(out_report_fname(b, sizeof b, "KEN"), "KEN");
    CHECK_STR(out_report_fname(b, sizeof b, "a b~"), "a~20b~7E");
}

static long long q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -999;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static double q_real(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    double v = -999;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char q_text_buf[256];
static const char *q_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    snprintf(q_text_buf, sizeof q_text_buf, "(none)");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        snprintf(q_text_buf, sizeof q_text_buf, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return q_text_buf;
}

static void test_history(const md_model *m, eng_plan *p1, eng_plan *p2)
{
    char dir[] = "/tmp/unit_report.XXXXXX";
    if (!mkdtemp(dir)) { CHECK(0); return; }
    md_diag d;
    md_diag_init(&d, stderr);
    out_run run1 = { "2027-01-01T02:00:00Z", 0.1, 0, NULL }, run2 = { "2027-01-02T02:00:00Z", 0.1, 0, NULL };
    out_ctx cx = { m, p1, &run1, NULL, &d, dir, NULL, NULL };

    out_history_prev prev;
    CHECK(out_history_previous(dir, NULL, &prev, &d) == 0 && !prev.present); /* no database yet */
    out_history_prev_free(&prev);

    CHECK(out_history_write(&cx) == 0);
    /* a begun but rolled-back run leaves no trace */
    out_history_tx *tx = NULL;
    CHECK(out_history_begin(&cx, &tx) == 0 && tx);
    CHECK(out_history_finish(tx, 0, &d) == 0);

    /* with the inputs: another digest reads them all, the same one only the settings */
    CHECK(out_history_previous_inputs(dir, "same-digest?", &prev, &d) == 0);
    CHECK(prev.has_inputs && !prev.inputs_settings_only && prev.inputs.n > 20);
    out_history_prev_free(&prev);
    CHECK(out_history_previous_inputs(dir, m->input_digest, &prev, &d) == 0);
    CHECK(prev.has_inputs && prev.inputs_settings_only && prev.inputs.n > 0);
    for (int i = 0; i < prev.inputs.n; i++) CHECK_STR(prev.inputs.rows[i].entity, "setting");
    out_history_prev_free(&prev);
    CHECK(out_history_previous(dir, run2.started_utc, &prev, &d) == 0);
    CHECK(!prev.has_inputs); /* the plan only */
    out_history_prev_free(&prev);
    CHECK(out_history_previous_inputs(dir, "another digest", &prev, &d) == 0);
    CHECK(prev.present && prev.run_id == 1 && prev.nalloc == 3 && prev.ncov == 3 && prev.nspend == 2);
    if (prev.nalloc == 3) {
        CHECK_STR(prev.alloc[0].country, "KEN");
        CHECK_STR(prev.alloc[0].course, "evil");
        CHECK(prev.alloc[0].seats == 7);
    }
    if (prev.nspend == 2) {
        CHECK_STR(prev.spend[1].donor, "uk/fcdo");
        CHECK_NEAR(prev.spend[1].spent, 300.0, 1e-9); /* 300.004 stored as the CSV's 300.00 */
    }
    /* the same run is excluded by its start time */
    out_history_prev self;
    CHECK(out_history_previous(dir, run1.started_utc, &self, &d) == 0 && !self.present);
    out_history_prev_free(&self);

    cx.p = p2;
    cx.run = &run2;
    CHECK(out_history_write(&cx) == 0);

    out_report r;
    CHECK(out_report_build(&r, m, p2, &prev, &d) == 0);
    CHECK(r.has_prev && r.prev_run_id == 1);
    /* KEN evil 7 → 5, PHL evil 2 → 5 */
    CHECK(r.nseat_changes == 2);
    if (r.nseat_changes == 2) {
        CHECK_STR(r.seat_changes[0].country, "KEN");
        CHECK(r.seat_changes[0].before == 7 && r.seat_changes[0].after == 5);
        CHECK_STR(r.seat_changes[1].country, "PHL");
        CHECK(r.seat_changes[1].before == 2 && r.seat_changes[1].after == 5);
    }
    CHECK(r.nneed_changes == 1); /* PHL norms newly covered */
    if (r.nneed_changes == 1) {
        CHECK_STR(r.need_changes[0].country, "PHL");
        CHECK(r.need_changes[0].now_full == 1);
    }
    CHECK(r.nspend_changes == 2); /* eu 600 → 900, uk 300 → 100 */
    if (r.nspend_changes == 2) {
        CHECK_STR(r.spend_changes[0].donor, "eu");
        CHECK_NEAR(r.spend_changes[0].after - r.spend_changes[0].before, 300, 1e-6);
    }
    /* the same model both times: its inputs were kept and none changed */
    CHECK(r.prev_has_inputs && r.nin_changes == 0);
    CHECK(r.prev_seats == p1->seats && r.prev_nneeds == 3);
    char *md = render(out_report_md, &r);
    CHECK(md && strstr(md, "\n## Changes since run 1\n") && strstr(md, "| pair resized | KEN | evil | 7 | 5 |  |") &&
          strstr(md, "| need covered | PHL | norms | 2 | 5 |  |") && strstr(md, "No input changed.") &&
          md_tables_consistent(md));
    if (md) { /* first, before the overview */
        const char *ch = strstr(md, "\n## Changes since run 1\n"), *ov = strstr(md, "\n## Overview\n");
        CHECK(ch && ov && ch < ov);
    }
    free(md);
    char *html = render(out_report_html, &r);
    CHECK(html && strstr(html, "id=\"changes\"") && strstr(html, "href=\"#changes\""));
    free(html);
    out_report_free(&r);
    out_history_prev_free(&prev);

    /* read everything back with the plain SQLite API */
    char path[256];
    snprintf(path, sizeof path, "%s/results.db", dir);
    sqlite3 *db = NULL;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK(q_int(db, "PRAGMA user_version") == OUT_HISTORY_SCHEMA);
    CHECK_STR(q_text(db, "PRAGMA journal_mode"), "delete"); /* one file between runs */
    CHECK(q_int(db, "SELECT count(*) FROM runs") == 2);
    CHECK(q_int(db, "SELECT id FROM latest_run") == 2);
    CHECK_STR(q_text(db, "SELECT started_utc FROM latest_run"), "2027-01-02T02:00:00Z");
    CHECK_STR(q_text(db, "SELECT status || ',' || input_digest || ',' || scenario_path FROM runs WHERE id = 1"),
              "optimal,ab12,scenario.yaml");
    CHECK(q_int(db, "SELECT count(*) FROM allocations WHERE run_id = 1") == 3);
    CHECK(q_int(db, "SELECT seats FROM allocations WHERE run_id = 2 AND country = 'PHL'") == 5);
    CHECK_NEAR(q_real(db, "SELECT amount FROM funding WHERE run_id = 1 AND donor = 'uk/fcdo'"), 300.0, 0);
    CHECK(q_int(db, "SELECT count(*) FROM funding") == 6);
    CHECK_STR(q_text(db, "SELECT group_concat(reason, '/') FROM (SELECT reason FROM coverage WHERE run_id = 1"
                         " ORDER BY country, topic)"), "resources//resources");
    CHECK_STR(q_text(db, "SELECT group_concat(country || ':' || previous_covered || '>' || latest_covered || '="
                         "' || difference, ' ') FROM coverage_change"), "KEN:11>9=-2 PHL:2>5=3");
    /* each run's inputs, and the views comparing the last two */
    /* same model, same digest: run 2's inputs are run 1's rows, kept once */
    CHECK(q_int(db, "SELECT count(*) FROM run_courses WHERE run_id = 1") == m->ncourses);
    CHECK(q_int(db, "SELECT count(*) FROM run_courses WHERE run_id = 2") == 0);
    CHECK(q_int(db, "SELECT inputs_run FROM runs WHERE id = 2") == 1);
    CHECK(q_int(db, "SELECT count(*) FROM run_inputs WHERE run_id = 2 AND entity = 'course' AND field = 'cost_per_seat'")
          == m->ncourses);
    CHECK(q_int(db, "SELECT count(*) FROM run_countries WHERE run_id = 1") == m->ncountries);
    CHECK(q_int(db, "SELECT count(*) FROM run_needs WHERE run_id = 1") == m->nneeds);
    CHECK(q_int(db, "SELECT count(*) FROM run_donors WHERE run_id = 1") == m->ndonors);
    CHECK(q_int(db, "SELECT count(*) FROM run_lists WHERE run_id = 1 AND entity = 'country'") == 3);
    CHECK_STR(q_text(db, "SELECT value FROM run_inputs WHERE run_id = 2 AND entity = 'course' AND key = 'evil'"
                         " AND field = 'topics'"), "cybercrime, norms"); /* sorted, one value */
    CHECK(q_int(db, "SELECT count(*) FROM input_changes") == 0); /* same inputs twice */
    CHECK_STR(q_text(db, "SELECT group_concat(change || ':' || country || ':' || coalesce(course, topic) || ':' || old"
                         " || '>' || new, ' ') FROM plan_changes"),
              "pair_resized:KEN:evil:7>5 need_covered:PHL:norms:2>5 pair_resized:PHL:evil:2>5");
    CHECK(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'") >= 4);
    sqlite3_close(db);
    CHECK(d.nerrors == 0);

    /* errors: a file that is not a database → 74 (and no diff, just a warning) */
    FILE *g = fopen(path, "w");
    if (g) {
        fputs("this is not an SQLite database, just text that is long enough to be read as a header\n", g);
        fclose(g);
    }
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path); unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path); unlink(wal);
    md_diag quiet;
    md_diag_init(&quiet, NULL);
    CHECK(out_history_previous(dir, NULL, &prev, &quiet) == 0 && !prev.present);
    out_history_prev_free(&prev);
    cx.d = &quiet;
    CHECK(out_history_write(&cx) == MD_EX_IOERR);
    CHECK(quiet.nerrors == 1 && quiet.exit_code == MD_EX_IOERR);
    unlink(path);
    /* a folder that does not exist → 73 */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/no/such/dir", dir);
    cx.dir = missing;
    CHECK(out_history_write(&cx) == MD_EX_CANTCREAT);
    rmdir(dir);
}

/* out_snap_diff: entities added and removed, fields changed, numbers
 * compared as numbers, null equal only to null, the view's order. */
static void test_snap_diff(void)
{
    static const out_snap_row a_rows[] = {
        { "course", "k1", "hours", { OUT_V_NUM, 10, NULL }, NULL, "k1", NULL },
        { "course", "k1", "quality", { OUT_V_NULL, 0, NULL }, NULL, "k1", NULL },
        { "course", "k1", "title", { OUT_V_TEXT, 0, "A" }, NULL, "k1", NULL },
        { "course", "k2", "hours", { OUT_V_NUM, 5, NULL }, NULL, "k2", NULL },
        { "donor", "d1", "budget", { OUT_V_NUM, 100, NULL }, NULL, NULL, "d1" },
    };
    static const out_snap_row b_rows[] = {
        { "country", "KEN", "name", { OUT_V_TEXT, 0, "Kenya" }, "KEN", NULL, NULL },
        { "course", "k1", "hours", { OUT_V_NUM, 10.0, NULL }, NULL, "k1", NULL },
        { "course", "k1", "quality", { OUT_V_NUM, 4, NULL }, NULL, "k1", NULL },
        { "course", "k1", "title", { OUT_V_TEXT, 0, "A" }, NULL, "k1", NULL },
        { "donor", "d1", "budget", { OUT_V_TEXT, 0, "100" }, NULL, NULL, "d1" },
    };
    out_snap a = { (out_snap_row *)a_rows, 5, 5 }, b = { (out_snap_row *)b_rows, 5, 5 };
    out_snap_change *ch = NULL;
    int n = out_snap_diff(&a, &b, &ch);
    CHECK(n == 4);
    if (n == 4) {
        CHECK_STR(ch[0].kind, "added");   CHECK_STR(ch[0].key, "KEN"); CHECK(ch[0].field == NULL);
        CHECK_STR(ch[0].country, "KEN");
        CHECK_STR(ch[1].kind, "changed"); CHECK_STR(ch[1].field, "quality");
        CHECK(ch[1].old.type == OUT_V_NULL && ch[1].now.type == OUT_V_NUM && ch[1].now.num == 4);
        CHECK_STR(ch[2].kind, "removed"); CHECK_STR(ch[2].key, "k2"); CHECK_STR(ch[2].course, "k2");
        CHECK_STR(ch[3].kind, "changed"); CHECK_STR(ch[3].donor, "d1"); /* number 100 vs text "100" */
        char buf[64];
        CHECK_STR(out_val_text(buf, &ch[1].old), "none");
        CHECK_STR(out_val_text(buf, &ch[1].now), "4");
    }
    free(ch);
    out_snap empty = { NULL, 0, 0 };
    CHECK(out_snap_diff(&a, &a, &ch) == 0);
    free(ch);
    CHECK(out_snap_diff(&empty, &empty, &ch) == 0);
    free(ch);
}

int main(void)
{
    md_model m;
    md_diag d;
    md_diag_init(&d, stderr);
    int ok = build_model(&m, &d) == 0;
    CHECK(ok);
    eng_plan p1, p2;
    memset(&p1, 0, sizeof p1);
    memset(&p2, 0, sizeof p2);
    if (ok) {
        CHECK(build_plan(&m, &p1, 0) == 0);
        CHECK(build_plan(&m, &p2, 1) == 0);
        test_model_and_render(&m, &p1, &d);
        test_history(&m, &p1, &p2);
    }
    test_fname();
    test_snap_diff();
    eng_plan_free(&p1);
    eng_plan_free(&p2);
    md_model_free(&m);
    return CHECK_DONE();
}
