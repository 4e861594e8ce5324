/* outputs/datapackage.c — output format `datapackage` (docs/formats.md,
 * datapackage.json): the run as a Frictionless tabular data package, so that
 * spreadsheet users and pandas read it without SQLite. It stages the input
 * dimension files (donors.csv, countries.csv, topics.csv, courses.csv,
 * course_topics.csv) and then datapackage.json, which describes them and the
 * plan's CSV files (out_csv, written beside them whenever this format is
 * asked) with Table Schema fields, types, primary keys and foreign keys.
 * Columns and values are those of results.db's dimension views (history_dims.c). */
#include "datapackage.h"
#include "writers.h"
#include "fsutil.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef CAPMATCH_VERSION
#define CAPMATCH_VERSION "unknown"
#endif

/* ---- the dimension CSV files ---- */

static void end_row(FILE *f) { fputs("\r\n", f); }

/* The shortest form that reads back as the same double ("1.08", "0.0067",
 * "6000000"), so that figures compare equal to the inputs'; "" when v is
 * not finite. */
static void put_num(FILE *f, double v)
{
    char buf[40];
    if (!isfinite(v)) return;
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, sizeof buf, "%.17g", v);
    fputs(buf, f);
}
/* absent or unlimited (negative) → empty */
static void put_limit(FILE *f, double v) { if (v >= 0) put_num(f, v); }
static void put_count(FILE *f, long v) { if (v >= 0) fprintf(f, "%ld", v); }
static void put_date(FILE *f, int ymd)
{
    if (ymd > 0) fprintf(f, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}
/* a list's members joined by ", " in sorted order, as results.db joins them;
 * an absent list ("any") is empty */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
static int put_list(FILE *f, const md_strlist *l)
{
    if (!l->present || l->n <= 0) return 0;
    const char **v = malloc((size_t)l->n * sizeof *v);
    if (!v) return -1;
    memcpy(v, l->v, (size_t)l->n * sizeof *v);
    qsort(v, (size_t)l->n, sizeof *v, cmp_str);
    size_t len = 0;
    for (int i = 0; i < l->n; i++) len += strlen(v[i]) + 2;
    char *s = malloc(len + 1);
    if (!s) { free(v); return -1; }
    s[0] = '\0';
    char *o = s;
    for (int i = 0; i < l->n; i++) {
        if (i > 0 && strcmp(v[i], v[i - 1]) == 0) continue; /* as the database keeps one */
        o += sprintf(o, "%s%s", o == s ? "" : ", ", v[i]);
    }
    out_csv_field(f, s);
    free(s);
    free(v);
    return 0;
}
static void sep(FILE *f) { fputc(',', f); }

/* The currency as used and the rate it was converted with (1 for the base). */
static void put_currency(FILE *f, const md_model *m, const char *cur)
{
    const char *used = cur ? cur : m->set.currency;
    out_csv_field(f, used);
    sep(f);
    double rate = !cur || (m->set.currency && strcmp(cur, m->set.currency) == 0) ? 1.0 : md_rate_of(m, cur);
    if (rate >= 0) put_num(f, rate);
}

static int write_countries(const out_ctx *cx, FILE *f)
{
    const md_model *m = cx->m;
    fputs("country,name,region,income_group,languages,trainee_hours,max_trainees", f);
    end_row(f);
    for (int i = 0; i < m->ncountries; i++) {
        const md_country *c = &m->countries[i];
        out_csv_field(f, c->code); sep(f);
        out_csv_field(f, c->name); sep(f);
        out_csv_field(f, c->region); sep(f);
        if (c->income >= 0 && c->income < MD_INC_COUNT) out_csv_field(f, md_income_names[c->income]);
        sep(f);
        if (put_list(f, &c->languages)) return -1;
        sep(f);
        put_limit(f, c->trainee_hours); sep(f);
        put_count(f, c->max_trainees);
        end_row(f);
    }
    return 0;
}

static int write_donors(const out_ctx *cx, FILE *f)
{
    const md_model *m = cx->m;
    fputs("donor,name,currency,rate,budget,budget_base,base_currency,max_share_per_country", f);
    end_row(f);
    for (int i = 0; i < m->ndonors; i++) {
        const md_donor *d = &m->donors[i];
        out_csv_field(f, d->id); sep(f);
        out_csv_field(f, d->name); sep(f);
        put_currency(f, m, d->currency); sep(f);
        put_num(f, d->budget); sep(f);
        put_num(f, d->budget_base); sep(f);
        out_csv_field(f, m->set.currency); sep(f);
        if (d->max_share > 0) put_num(f, d->max_share);
        end_row(f);
    }
    return 0;
}

static int write_topics(const out_ctx *cx, FILE *f)
{
    const md_model *m = cx->m;
    fputs("topic,name", f);
    end_row(f);
    for (int i = 0; i < m->ntopics; i++) {
        out_csv_field(f, m->topics[i].id); sep(f);
        out_csv_field(f, m->topics[i].name);
        end_row(f);
    }
    return 0;
}

static int write_courses(const out_ctx *cx, FILE *f)
{
    const md_model *m = cx->m;
    fputs("course,provider,title,language,format,topics,cost_per_seat,currency,rate,cost_base,"
          "base_currency,seats,min_seats,max_per_country,hours,quality,start_date,end_date,regions", f);
    end_row(f);
    for (int i = 0; i < m->ncourses; i++) {
        const md_course *k = &m->courses[i];
        out_csv_field(f, k->id); sep(f);
        out_csv_field(f, k->provider); sep(f);
        out_csv_field(f, k->title); sep(f);
        out_csv_field(f, k->language); sep(f);
        if (k->format >= 0 && k->format < MD_FMT_COUNT) out_csv_field(f, md_format_names[k->format]);
        sep(f);
        if (put_list(f, &k->topics)) return -1;
        sep(f);
        put_num(f, k->cost_per_seat); sep(f);
        put_currency(f, m, k->currency); sep(f);
        put_num(f, k->cost_base); sep(f);
        out_csv_field(f, m->set.currency); sep(f);
        put_count(f, k->seats); sep(f);
        fprintf(f, "%ld", k->min_seats); sep(f);
        put_count(f, k->max_per_country); sep(f);
        put_num(f, k->hours); sep(f);
        put_limit(f, k->quality); sep(f);
        put_date(f, k->start_date); sep(f);
        put_date(f, k->end_date); sep(f);
        if (put_list(f, &k->regions)) return -1;
        end_row(f);
    }
    return 0;
}

/* One row per (course, topic), sorted: a course's topics as a join table. */
typedef struct pair { const char *course, *topic; } pair;
static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    int c = strcmp(x->course, y->course);
    return c ? c : strcmp(x->topic, y->topic);
}
static int write_course_topics(const out_ctx *cx, FILE *f)
{
    const md_model *m = cx->m;
    size_t n = 0;
    for (int i = 0; i < m->ncourses; i++) n += (size_t)(m->courses[i].topics.n > 0 ? m->courses[i].topics.n : 0);
    pair *v = malloc((n + 1) * sizeof *v);
    if (!v) return -1;
    n = 0;
    for (int i = 0; i < m->ncourses; i++)
        for (int j = 0; j < m->courses[i].topics.n; j++)
            v[n++] = (pair){ m->courses[i].id, m->courses[i].topics.v[j] };
    qsort(v, n, sizeof *v, cmp_pair);
    fputs("course,topic", f);
    end_row(f);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && cmp_pair(&v[i], &v[i - 1]) == 0) continue;
        out_csv_field(f, v[i].course); sep(f);
        out_csv_field(f, v[i].topic);
        end_row(f);
    }
    free(v);
    return 0;
}

/* ---- the descriptor ---- */

typedef struct dp_field {
    const char *name, *type, *desc;
    int required;
    const char *const *enums; /* the allowed values, or NULL */
    int nenums;
} dp_field;
typedef struct dp_fk { const char *field, *resource; } dp_fk; /* same field name there */
typedef struct dp_res {
    const char *name, *title;
    const dp_field *fields;
    const char *const *pk;    /* NULL-terminated */
    const dp_fk *fks;         /* ends at field NULL */
    int (*write)(const out_ctx *, FILE *); /* NULL: written by out_csv */
} dp_res;

/* the allowed values come from the model's and the engine's own name tables */
#define INCOMES md_income_names, MD_INC_COUNT
#define FORMATS md_format_names, MD_FMT_COUNT
#define REASONS eng_reason_names + 1, ENG_R_RESOURCES             /* without "" */
#define DETAILS eng_detail_names + 1, ENG_NDETAIL - 1

#define BASE "in the base currency (base_currency in donors.csv)"
static const dp_field f_alloc[] = {
    { "country", "string", "country code", 1, NULL, 0 },
    { "course", "string", "course id", 1, NULL, 0 },
    { "seats", "integer", "seats bought for the country on the course", 1, NULL, 0 },
    { "cost", "number", "seats times the price per seat, " BASE, 1, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 } };
static const dp_field f_fund[] = {
    { "donor", "string", "donor id", 1, NULL, 0 },
    { "country", "string", "country code", 1, NULL, 0 },
    { "course", "string", "course id", 1, NULL, 0 },
    { "amount", "number", "what the donor pays for the pair, " BASE, 1, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 } };
static const dp_field f_cov[] = {
    { "country", "string", "country code", 1, NULL, 0 },
    { "topic", "string", "topic id", 1, NULL, 0 },
    { "need", "integer", "seats needed", 1, NULL, 0 },
    { "covered", "integer", "seats of the plan that cover the need", 1, NULL, 0 },
    { "score", "number", "the need's share of the objective", 1, NULL, 0 },
    { "reason", "string", "why the need is not fully covered; empty when it is", 0, REASONS },
    { "detail", "string", "the limit that binds when reason is resources; else empty", 0, DETAILS },
    { NULL, NULL, NULL, 0, NULL, 0 } };
static const dp_field f_donors[] = {
    { "donor", "string", "donor id", 1, NULL, 0 },
    { "name", "string", "donor name", 0, NULL, 0 },
    { "currency", "string", "the donor's currency (the base currency when the inputs give none)", 1, NULL, 0 },
    { "rate", "number", "base-currency units per unit of currency, as used for the conversion", 0, NULL, 0 },
    { "budget", "number", "budget in the donor's currency", 1, NULL, 0 },
    { "budget_base", "number", "budget " BASE, 1, NULL, 0 },
    { "base_currency", "string", "the scenario's base currency", 0, NULL, 0 },
    { "max_share_per_country", "number", "largest share of the budget one country may take; empty: no cap", 0, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 } };
static const dp_field f_countries[] = {
    { "country", "string", "country code", 1, NULL, 0 },
    { "name", "string", "country name", 0, NULL, 0 },
    { "region", "string", "region", 0, NULL, 0 },
    { "income_group", "string", "income group", 0, INCOMES },
    { "languages", "string", "languages its trainees take courses in, joined by ', '", 0, NULL, 0 },
    { "trainee_hours", "number", "training hours available; empty: unlimited", 0, NULL, 0 },
    { "max_trainees", "integer", "most trainees it can send; empty: unlimited", 0, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 } };
static const dp_field f_topics[] = {
    { "topic", "string", "topic id", 1, NULL, 0 },
    { "name", "string", "topic name", 0, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 } };
static const dp_field f_courses[] = {
    { "course", "string", "course id", 1, NULL, 0 },
    { "provider", "string", "provider", 0, NULL, 0 },
    { "title", "string", "title", 0, NULL, 0 },
    { "language", "string", "language of instruction", 0, NULL, 0 },
    { "format", "string", "format", 0, FORMATS },
    { "topics", "string", "topics it covers, joined by ', ' (one row each in course_topics.csv)", 0, NULL, 0 },
    { "cost_per_seat", "number", "price per seat in the course's currency", 1, NULL, 0 },
    { "currency", "string", "the course's currency (the base currency when the inputs give none)", 1, NULL, 0 },
    { "rate", "number", "base-currency units per unit of currency, as used for the conversion", 0, NULL, 0 },
    { "cost_base", "number", "price per seat " BASE, 1, NULL, 0 },
    { "base_currency", "string", "the scenario's base currency", 0, NULL, 0 },
    { "seats", "integer", "capacity; empty: unlimited", 0, NULL, 0 },
    { "min_seats", "integer", "seats below which the course does not run", 1, NULL, 0 },
    { "max_per_country", "integer", "most seats per country; empty: unlimited", 0, NULL, 0 },
    { "hours", "number", "hours per trainee", 1, NULL, 0 },
    { "quality", "number", "the quality the run used (out of 5): the declared one shrunk towards the ratings; empty: unrated", 0, NULL, 0 },
    { "start_date", "date", "first day", 0, NULL, 0 },
    { "end_date", "date", "last day", 0, NULL, 0 },
    { "regions", "string", "regions it is open to, joined by ', '; empty: all", 0, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 } };
static const char *const equity_dims[] = { "income_group", "region", "language", "provider" };
static const dp_field f_equity[] = {
    { "dimension", "string", "what the plan is split by", 1, equity_dims, 4 },
    { "group", "string", "the group within the dimension", 1, NULL, 0 },
    { "seats_needed", "integer", "seats the group's needs ask for; empty for language and provider", 0, NULL, 0 },
    { "seats_covered", "integer", "seats of the plan in the group", 1, NULL, 0 },
    { "spend", "number", "what the plan pays for the group's seats, " BASE, 1, NULL, 0 },
    { "share_of_need", "number", "the group's share of all seats needed (0 to 1); empty for language and provider", 0, NULL, 0 },
    { "share_of_covered", "number", "the group's share of the seats covered (0 to 1)", 1, NULL, 0 },
    { "share_of_spend", "number", "the group's share of the spend (0 to 1)", 1, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 } };
static const dp_field f_feedback[] = {
    { "country", "string", "country code", 1, NULL, 0 },
    { "course", "string", "course id", 1, NULL, 0 },
    { "seats", "integer", "seats of the plan: the participants to ask", 1, NULL, 0 },
    { "start_date", "date", "first day of the course", 0, NULL, 0 },
    { "end_date", "date", "last day of the course", 0, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 } };
static const dp_field f_ct[] = {
    { "course", "string", "course id", 1, NULL, 0 },
    { "topic", "string", "topic id", 1, NULL, 0 },
    { NULL, NULL, NULL, 0, NULL, 0 } };

static const char *const pk_alloc[] = { "country", "course", NULL };
static const char *const pk_fund[] = { "donor", "country", "course", NULL };
static const char *const pk_cov[] = { "country", "topic", NULL };
static const char *const pk_donor[] = { "donor", NULL };
static const char *const pk_country[] = { "country", NULL };
static const char *const pk_topic[] = { "topic", NULL };
static const char *const pk_course[] = { "course", NULL };
static const char *const pk_ct[] = { "course", "topic", NULL };
static const char *const pk_equity[] = { "dimension", "group", NULL };

static const dp_fk fk_alloc[] = { { "country", "countries" }, { "course", "courses" }, { NULL, NULL } };
static const dp_fk fk_fund[] = { { "donor", "donors" }, { "country", "countries" },
                                 { "course", "courses" }, { NULL, NULL } };
static const dp_fk fk_cov[] = { { "country", "countries" }, { "topic", "topics" }, { NULL, NULL } };
static const dp_fk fk_ct[] = { { "course", "courses" }, { "topic", "topics" }, { NULL, NULL } };
static const dp_fk fk_none[] = { { NULL, NULL } };

/* The dimension files first: datapackage.json is staged after every file
 * it describes. */
static const dp_res resources[] = {
    { "donors", "Donors", f_donors, pk_donor, fk_none, write_donors },
    { "countries", "Countries", f_countries, pk_country, fk_none, write_countries },
    { "topics", "Topics", f_topics, pk_topic, fk_none, write_topics },
    { "courses", "Courses", f_courses, pk_course, fk_none, write_courses },
    { "course_topics", "Topics of each course", f_ct, pk_ct, fk_ct, write_course_topics },
    { "allocations", "Seats bought per country and course", f_alloc, pk_alloc, fk_alloc, NULL },
    { "funding", "Who pays for each country and course", f_fund, pk_fund, fk_fund, NULL },
    { "coverage", "Each need and how far the plan covers it", f_cov, pk_cov, fk_cov, NULL },
    { "equity", "The plan by income group, region, course language and provider", f_equity, pk_equity,
      fk_none, NULL },
    { "feedback_requests", "The plan's deliveries whose participants to ask for ratings", f_feedback,
      pk_alloc, fk_alloc, NULL },
};
#define NRES (sizeof resources / sizeof resources[0])

static void json_list(FILE *f, const char *const *v, int n)
{
    fputc('[', f);
    for (int i = 0; i < n && v[i]; i++) {
        if (i) fputs(", ", f);
        out_json_string(f, v[i]);
    }
    fputc(']', f);
}

static void write_resource(FILE *f, const dp_res *r)
{
    fputs("    {\n      \"name\": ", f);
    out_json_string(f, r->name);
    fprintf(f, ",\n      \"path\": \"%s.csv\",\n      \"title\": ", r->name);
    out_json_string(f, r->title);
    fputs(",\n      \"profile\": \"tabular-data-resource\",\n      \"format\": \"csv\","
          "\n      \"mediatype\": \"text/csv\",\n      \"encoding\": \"utf-8\","
          "\n      \"dialect\": {\"delimiter\": \",\", \"quoteChar\": \"\\\"\", "
          "\"lineTerminator\": \"\\r\\n\", \"header\": true},"
          "\n      \"schema\": {\n        \"fields\": [\n", f);
    for (const dp_field *x = r->fields; x->name; x++) {
        fputs("          {\"name\": ", f);
        out_json_string(f, x->name);
        fprintf(f, ", \"type\": \"%s\", \"description\": ", x->type);
        out_json_string(f, x->desc);
        if (x->required || x->enums) {
            fputs(", \"constraints\": {", f);
            if (x->required) fputs("\"required\": true", f);
            if (x->enums) {
                fputs(x->required ? ", \"enum\": " : "\"enum\": ", f);
                json_list(f, x->enums, x->nenums);
            }
            fputc('}', f);
        }
        fputs(x[1].name ? "},\n" : "}\n", f);
    }
    fputs("        ],\n        \"missingValues\": [\"\"],\n        \"primaryKey\": ", f);
    json_list(f, r->pk, 8);
    if (r->fks[0].field) {
        fputs(",\n        \"foreignKeys\": [\n", f);
        for (const dp_fk *k = r->fks; k->field; k++) {
            fputs("          {\"fields\": ", f);
            out_json_string(f, k->field);
            fputs(", \"reference\": {\"resource\": ", f);
            out_json_string(f, k->resource);
            fputs(", \"fields\": ", f);
            out_json_string(f, k->field);
            fputs(k[1].field ? "}},\n" : "}}\n", f);
        }
        fputs("        ]", f);
    }
    fputs("\n      }\n    }", f);
}

static void write_descriptor(const out_ctx *cx, FILE *f)
{
    const md_model *m = cx->m;
    fputs("{\n  \"profile\": \"tabular-data-package\",\n  \"name\": \"capmatch-results\",\n  \"title\": ", f);
    out_json_string(f, m->set.name ? m->set.name : "capmatch results");
    fputs(",\n  \"description\": \"A capmatch plan (allocations, funding, coverage) with the inputs it was "
          "made from (donors, countries, topics, courses). Amounts of the plan are in the base currency "
          "(capmatch.base_currency below).\"", f);
    if (cx->run && cx->run->started_utc) {
        fputs(",\n  \"created\": ", f);
        out_json_string(f, cx->run->started_utc);
    }
    fputs(",\n  \"capmatch\": {\"version\": ", f);
    out_json_string(f, CAPMATCH_VERSION);
    fputs(", \"base_currency\": ", f);
    out_json_string(f, m->set.currency);
    fputs(", \"input_digest\": ", f);
    out_json_string(f, m->input_digest);
    fputs(", \"label\": ", f);
    out_json_string(f, cx->run ? cx->run->label : NULL);
    fputs("},\n  \"resources\": [\n", f);
    for (size_t i = 0; i < NRES; i++) {
        write_resource(f, &resources[i]);
        fputs(i + 1 < NRES ? ",\n" : "\n", f);
    }
    fputs("  ]\n}\n", f);
}

int out_datapackage(const out_ctx *cx)
{
    char name[64];
    for (size_t i = 0; i < NRES; i++) {
        if (!resources[i].write) continue;
        snprintf(name, sizeof name, "%s.csv", resources[i].name);
        FILE *f = out_stage_open(cx->st, name);
        if (!f) return out_stage_errcode(cx->st);
        if (resources[i].write(cx, f)) {
            md_fail(cx->d, MD_EX_SOFTWARE, "out of memory writing %s", name);
            return MD_EX_SOFTWARE;
        }
    }
    FILE *f = out_stage_open(cx->st, OUT_DATAPACKAGE_FILE);
    if (!f) return out_stage_errcode(cx->st);
    write_descriptor(cx, f);
    return 0;
}
