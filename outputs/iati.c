/* outputs/iati.c — iati-activities.xml, the plan as IATI 2.03 activities
 * (docs/formats.md, iati-activities.xml): one activity per donor and course
 * with planned funding, status pipeline, in the donor's currency.
 * Decisions (the user's view is in docs/formats.md):
 * - the money of an activity is the sum of its funding.csv amounts (rounded
 *   to the cent as printed there) divided by the donor's rate, rounded to the
 *   cent, so the two files agree;
 * - recipient percentages are the country's share of the activity's seats
 *   (its amount ÷ the course's cost per seat), over the countries IATI has a
 *   code for, in hundredths of a percent by largest remainder (ties to the
 *   first country code), so they add up to exactly 100; countries without an
 *   IATI code are named in the description instead, and when none has one
 *   the activity's recipient is region 998 (developing countries,
 *   unspecified);
 * - sector percentages split the course's topics equally, the same way;
 * - nothing in the file depends on the clock, so the same inputs give the
 *   same bytes. */
#include "writers.h"
#include "fsutil.h"
#include "../models/iati_codes.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FILE_NAME "iati-activities.xml"
#define UNITS 10000 /* hundredths of a percent in 100 % */

/* one funding.csv row; amount as printed there (to the cent); the ids it sorts by */
typedef struct frow { int d, k, c; double amount; const char *kd, *kk, *kc; } frow;

typedef struct share { const char *code; double weight; long units; double rem; int order; } share;

static int cmp_rows(const void *a, const void *b)
{
    const frow *x = a, *y = b;
    int c = strcmp(x->kd, y->kd);
    if (!c) c = strcmp(x->kk, y->kk);
    if (!c) c = strcmp(x->kc, y->kc);
    return c;
}

static int cmp_rem(const void *a, const void *b)
{
    const share *x = a, *y = b;
    if (x->rem != y->rem) return x->rem > y->rem ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

static int cmp_order(const void *a, const void *b)
{
    const share *x = a, *y = b;
    return (x->order > y->order) - (x->order < y->order);
}

/* Splits UNITS over s[0..n) in proportion to weight: floors, then one unit
 * each to the largest remainders (ties: lower order first). Keeps order. */
static void apportion(share *s, int n)
{
    double total = 0;
    for (int i = 0; i < n; i++) total += s[i].weight;
    if (n == 0 || !(total > 0)) return;
    long given = 0;
    for (int i = 0; i < n; i++) {
        double exact = s[i].weight / total * UNITS;
        s[i].units = (long)floor(exact);
        s[i].rem = exact - (double)s[i].units;
        given += s[i].units;
    }
    qsort(s, (size_t)n, sizeof *s, cmp_rem);
    for (int i = 0; given < UNITS; i = (i + 1) % n, given++) s[i].units++;
    qsort(s, (size_t)n, sizeof *s, cmp_order);
}

/* hundredths of a percent as a decimal: "100", "33.33", "12.5" */
static const char *fmt_pct(char *buf, long units)
{
    if (units % 100 == 0) snprintf(buf, 24, "%ld", units / 100);
    else if (units % 10 == 0) snprintf(buf, 24, "%ld.%ld", units / 100, units % 100 / 10);
    else snprintf(buf, 24, "%ld.%02ld", units / 100, units % 100);
    return buf;
}

/* XML text and attribute values: the HTML escaper (markup characters,
 * control characters and invalid UTF-8), after turning U+FFFE and U+FFFF,
 * which XML does not allow, into U+FFFD. Returns -1 when out of memory. */
static int xml_text(FILE *f, const char *s)
{
    if (!s) return 0;
    if (!strstr(s, "\xEF\xBF\xBE") && !strstr(s, "\xEF\xBF\xBF")) {
        out_html_text(f, s);
        return 0;
    }
    char *t = strdup(s);
    if (!t) return -1;
    for (char *p = t; (p = strstr(p, "\xEF\xBF")) != NULL; p += 2)
        if (p[2] == '\xBE' || p[2] == '\xBF') p[2] = '\xBD';
    out_html_text(f, t);
    free(t);
    return 0;
}

/* An id inside an iati-identifier: letters, digits and '-' kept, every
 * other byte as _XX (hex), so '.' can separate donor and course and two
 * different pairs never give the same identifier. */
static void id_part(FILE *f, const char *s)
{
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9') ||
            *u == '-')
            fputc(*u, f);
        else
            fprintf(f, "_%02X", *u);
    }
}

static void ymd(char *buf, int d)
{
    snprintf(buf, 16, "%04d-%02d-%02d", d / 10000 % 10000, d / 100 % 100, d % 100);
}

/* "1.5" seats, to the hundredth */
static const char *fmt_seats(char *buf, double seats)
{
    return out_fmt_number(buf, round(seats * 100) / 100);
}

/* The description: who pays for how many seats of which course, every
 * country with its seats, and the ones IATI has no country code for; rows
 * r[0..n) are one activity's, sorted by country code. -1: out of memory. */
static int describe(const md_model *m, FILE *f, const frow *r, int n)
{
    const md_course *k = &m->courses[r[0].k];
    const md_donor *dn = &m->donors[r[0].d];
    char sb[32];
    double seats = 0;
    for (int i = 0; i < n; i++) seats += r[i].amount / k->cost_base;
    fputs("   <description><narrative>", f);
    if (xml_text(f, dn->name ? dn->name : dn->id)) return -1;
    fprintf(f, " plans to pay for %s seats on the course ", fmt_seats(sb, seats));
    if (xml_text(f, k->title ? k->title : k->id)) return -1;
    fputs(" (", f);
    if (xml_text(f, k->id)) return -1;
    fputs(")", f);
    if (k->provider) {
        fputs(" by ", f);
        if (xml_text(f, k->provider)) return -1;
    }
    fputs(", in the capmatch plan", f);
    if (m->set.name) {
        fputs(" \xE2\x80\x9C", f);
        if (xml_text(f, m->set.name)) return -1;
        fputs("\xE2\x80\x9D", f);
    }
    fputs(". Seats by country:", f);
    for (int i = 0; i < n; i++) {
        const md_country *c = &m->countries[r[i].c];
        fprintf(f, "%s ", i ? ";" : "");
        if (xml_text(f, c->name)) return -1;
        fputs(" (", f);
        if (xml_text(f, c->code)) return -1;
        fprintf(f, ") %s", fmt_seats(sb, r[i].amount / k->cost_base));
    }
    int first = 1;
    for (int i = 0; i < n; i++) {
        const md_country *c = &m->countries[r[i].c];
        if (md_iati_country(c->code)) continue;
        fputs(first ? ". Not listed as recipient countries (IATI has no country code for "
                      "them): " : ", ", f);
        first = 0;
        if (xml_text(f, c->name)) return -1;
        fputs(" (", f);
        if (xml_text(f, c->code)) return -1;
        fputs(")", f);
    }
    fputs(".</narrative></description>\n", f);
    return 0;
}

/* Recipient countries with their share of the activity's seats. */
static void recipients(const md_model *m, FILE *f, const frow *r, int n, share *sh)
{
    const md_course *k = &m->courses[r[0].k];
    char buf[32];
    int ns = 0;
    for (int i = 0; i < n; i++) {
        const char *code = md_iati_country(m->countries[r[i].c].code);
        if (!code) continue;
        sh[ns] = (share){ code, r[i].amount / k->cost_base, 0, 0, ns };
        ns++;
    }
    if (ns == 0) {
        fputs("   <recipient-region code=\"998\" percentage=\"100\"/>\n", f);
        return;
    }
    apportion(sh, ns);
    for (int i = 0; i < ns; i++)
        fprintf(f, "   <recipient-country code=\"%s\" percentage=\"%s\"/>\n", sh[i].code,
                fmt_pct(buf, sh[i].units));
}

/* Sectors of course k: its topics' DAC codes, each topic an equal share. */
static void sectors(const md_model *m, FILE *f, const md_course *k, share *sh)
{
    int ns = 0;
    char buf[32];
    for (int t = 0; t < k->topics.n; t++) {
        int ti = k->topic_idx ? k->topic_idx[t] : -1;
        const char *code = ti >= 0 && m->topics[ti].dac_sector ? m->topics[ti].dac_sector
                                                               : MD_IATI_DEFAULT_SECTOR;
        int j = 0;
        while (j < ns && strcmp(sh[j].code, code) != 0) j++;
        if (j == ns) sh[ns++] = (share){ code, 0, 0, 0, 0 };
        sh[j].weight += 1;
    }
    if (ns == 0) sh[ns++] = (share){ MD_IATI_DEFAULT_SECTOR, 1, 0, 0, 0 };
    /* listed by code */
    for (int i = 1; i < ns; i++)
        for (int j = i; j > 0 && strcmp(sh[j - 1].code, sh[j].code) > 0; j--) {
            share t = sh[j]; sh[j] = sh[j - 1]; sh[j - 1] = t;
        }
    for (int i = 0; i < ns; i++) sh[i].order = i;
    apportion(sh, ns);
    for (int i = 0; i < ns; i++)
        fprintf(f, "   <sector vocabulary=\"1\" code=\"%s\" percentage=\"%s\"/>\n", sh[i].code,
                fmt_pct(buf, sh[i].units));
}

static int activity(const out_ctx *cx, FILE *f, const frow *r, int n, share *sh)
{
    const md_model *m = cx->m;
    const md_settings *s = &m->set;
    const md_donor *dn = &m->donors[r[0].d];
    const md_course *k = &m->courses[r[0].k];
    const char *cur = dn->currency ? dn->currency : s->currency;
    double rate = md_rate_of(m, dn->currency);
    if (!(rate > 0)) {
        md_fail(cx->d, MD_EX_SOFTWARE, "%s: no rate for donor '%s''s currency", FILE_NAME, dn->id);
        return MD_EX_SOFTWARE;
    }
    double base = 0;
    for (int i = 0; i < n; i++) base += r[i].amount;
    char start[16], end[16], amt[32];
    ymd(start, k->start_date ? k->start_date : s->period_start);
    ymd(end, k->end_date ? k->end_date : s->period_end);

    fprintf(f, "  <iati-activity xml:lang=\"en\" default-currency=\"%s\">\n", cur);
    fputs("   <iati-identifier>", f);
    int bad = xml_text(f, s->iati_ref);
    fputc('-', f);
    id_part(f, dn->id);
    fputc('.', f);
    id_part(f, k->id);
    fputs("</iati-identifier>\n   <reporting-org ref=\"", f);
    bad |= xml_text(f, s->iati_ref);
    fputs("\" type=\"", f);
    bad |= xml_text(f, s->iati_type);
    fputs("\"><narrative>", f);
    bad |= xml_text(f, s->iati_name);
    fputs("</narrative></reporting-org>\n   <title><narrative>", f);
    bad |= xml_text(f, k->title ? k->title : k->id);
    fputs(" \xE2\x80\x94 ", f);
    bad |= xml_text(f, dn->name ? dn->name : dn->id);
    fputs("</narrative></title>\n", f);
    bad |= describe(m, f, r, n);
    fputs("   <participating-org role=\"1\"><narrative>", f);
    bad |= xml_text(f, dn->name ? dn->name : dn->id);
    fputs("</narrative></participating-org>\n", f);
    if (k->provider) {
        fputs("   <participating-org role=\"4\"><narrative>", f);
        bad |= xml_text(f, k->provider);
        fputs("</narrative></participating-org>\n", f);
    }
    fputs("   <activity-status code=\"1\"/>\n", f);
    fprintf(f, "   <activity-date type=\"1\" iso-date=\"%s\"/>\n", start);
    fprintf(f, "   <activity-date type=\"3\" iso-date=\"%s\"/>\n", end);
    recipients(m, f, r, n, sh);
    sectors(m, f, k, sh);
    fprintf(f, "   <planned-disbursement type=\"1\">\n"
               "    <period-start iso-date=\"%s\"/>\n"
               "    <period-end iso-date=\"%s\"/>\n"
               "    <value currency=\"%s\" value-date=\"%s\">%s</value>\n"
               "   </planned-disbursement>\n"
               "  </iati-activity>\n",
            start, end, cur, start, out_fmt_amount(amt, base / rate));
    if (bad) {
        md_fail(cx->d, MD_EX_SOFTWARE, "out of memory writing %s", FILE_NAME);
        return MD_EX_SOFTWARE;
    }
    return 0;
}

int out_iati(const out_ctx *cx)
{
    const md_model *m = cx->m;
    const eng_plan *p = cx->p;
    if (!m->set.iati_ref || !m->set.iati_name || !m->set.iati_type) {
        md_fail(cx->d, MD_EX_SOFTWARE, "%s: no reporting organisation", FILE_NAME);
        return MD_EX_SOFTWARE;
    }
    int most = m->ncountries;
    for (int t = 0; t < m->ncourses; t++)
        if (m->courses[t].topics.n > most) most = m->courses[t].topics.n;
    frow *rows = malloc(((size_t)p->nfund + 1) * sizeof *rows);
    share *sh = malloc(((size_t)most + 1) * sizeof *sh);
    if (!rows || !sh) {
        free(rows);
        free(sh);
        md_fail(cx->d, MD_EX_SOFTWARE, "out of memory writing %s", FILE_NAME);
        return MD_EX_SOFTWARE;
    }
    int n = 0;
    char buf[32];
    for (int i = 0; i < p->nfund; i++) {
        const eng_fund *fu = &p->fund[i];
        if (!out_fund_in_range(m, fu)) {
            free(rows);
            free(sh);
            md_fail(cx->d, MD_EX_SOFTWARE, "%s: plan row %d refers to an unknown donor, country "
                    "or course", FILE_NAME, i);
            return MD_EX_SOFTWARE;
        }
        /* the amounts funding.csv prints, and only its rows */
        const char *amt = out_fund_amount(buf, fu);
        if (!amt || !(m->courses[fu->k].cost_base > 0)) continue;
        rows[n++] = (frow){ fu->d, fu->k, fu->c, strtod(amt, NULL), m->donors[fu->d].id,
                            m->courses[fu->k].id, m->countries[fu->c].code };
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp_rows);
    int rc = 0;
    FILE *f = out_stage_open(cx->st, FILE_NAME);
    if (!f) rc = out_stage_errcode(cx->st);
    if (!rc) {
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<!-- written by capmatch: the plan's planned funding as IATI activities -->\n"
              "<iati-activities version=\"2.03\">\n", f);
        if (n == 0)
            md_warn(cx->d, NULL, "%s lists no activity: the plan funds nothing, and IATI needs "
                    "at least one", FILE_NAME);
    }
    for (int i = 0; !rc && i < n;) {
        int j = i + 1;
        while (j < n && rows[j].d == rows[i].d && rows[j].k == rows[i].k) j++;
        rc = activity(cx, f, rows + i, j - i, sh);
        i = j;
    }
    if (!rc) fputs("</iati-activities>\n", f);
    free(rows);
    free(sh);
    return rc;
}
