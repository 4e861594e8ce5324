/* outputs/snapshot.c — the run's inputs as (entity, key, field, value) rows
 * and their comparison. The names here are the ones results.db's run_inputs
 * view gives (outputs/history.c writes the tables behind it); a test runs
 * the input_changes view next to the report on the same edit, so the two
 * stay in step. Derived figures (amounts in the base currency) are left
 * out: a rate change is reported once, as the rate. */
#include "snapshot.h"
#include "writers.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct builder {
    out_snap *s;
    md_arena *a;
    const char *entity, *key, *country, *course, *donor;
    int oom;
} builder;

static void push(builder *b, const char *field, out_val v)
{
    if (b->oom) return;
    out_snap_row *r = md_vec_push((void **)&b->s->rows, &b->s->n, &b->s->cap, sizeof *r);
    if (!r) { b->oom = 1; return; }
    *r = (out_snap_row){ b->entity, b->key, field, v, b->country, b->course, b->donor };
}

static out_val num(double v) { return (out_val){ OUT_V_NUM, v, NULL }; }
static out_val text(const char *s) { return s ? (out_val){ OUT_V_TEXT, 0, s } : (out_val){ OUT_V_NULL, 0, NULL }; }
static out_val none(void) { return (out_val){ OUT_V_NULL, 0, NULL }; }
/* A limit where a negative number means "unlimited" (stored as null). */
static out_val limit(double v) { return v < 0 ? none() : num(v); }

static out_val date(builder *b, int ymd)
{
    if (ymd <= 0) return none();
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
    char *s = md_arena_strdup(b->a, buf);
    if (!s) b->oom = 1;
    return text(s);
}

static int cmp_member(const void *p, const void *q)
{
    return strcmp(*(const char *const *)p, *(const char *const *)q);
}

/* A list given (present, not empty) as one value: its members sorted,
 * each once, joined by ", " — what run_inputs makes of run_lists. */
static void list(builder *b, const char *field, const md_strlist *l)
{
    if (b->oom || !l->present || l->n <= 0) return;
    const char **v = malloc(sizeof *v * (size_t)l->n);
    if (!v) { b->oom = 1; return; }
    memcpy(v, l->v, sizeof *v * (size_t)l->n);
    qsort(v, (size_t)l->n, sizeof *v, cmp_member);
    size_t len = 1;
    for (int i = 0; i < l->n; i++) len += strlen(v[i]) + 2;
    char *s = md_arena_alloc(b->a, len);
    if (!s) { free(v); b->oom = 1; return; }
    size_t o = 0;
    for (int i = 0; i < l->n; i++) {
        if (i && strcmp(v[i], v[i - 1]) == 0) continue;
        size_t n = strlen(v[i]);
        if (o) { memcpy(s + o, ", ", 2); o += 2; }
        memcpy(s + o, v[i], n);
        o += n;
    }
    s[o] = '\0';
    free(v);
    push(b, field, text(s));
}

int out_snap_lists(const md_model *m, int e, int i, const char **entity, const char **key,
                   out_snap_list *out)
{
    int n = 0;
#define L(name, l) do { if ((l).present && (l).n > 0) out[n++] = (out_snap_list){ name, &(l) }; } while (0)
    if (e == 0) {
        *entity = "country"; *key = m->countries[i].code;
        L("languages", m->countries[i].languages);
    } else if (e == 1) {
        const md_donor *d = &m->donors[i];
        *entity = "donor"; *key = d->id;
        L("countries", d->countries); L("exclude_countries", d->exclude_countries);
        L("formats", d->formats); L("income_groups", d->income_groups);
        L("providers", d->providers); L("regions", d->regions); L("topics", d->topics);
    } else {
        *entity = "course"; *key = m->courses[i].id;
        L("regions", m->courses[i].regions); L("topics", m->courses[i].topics);
    }
#undef L
    return n;
}

static void start(builder *b, const char *entity, const char *key,
                  const char *country, const char *course, const char *donor)
{
    b->entity = entity; b->key = key; b->country = country; b->course = course; b->donor = donor;
}

/* "A/B" or "A/B/C" (C may be NULL: then "A/B/"), in the arena. */
static const char *join(builder *b, const char *x, const char *y, const char *z, int three)
{
    size_t n = strlen(x) + strlen(y) + (z ? strlen(z) : 0) + 3;
    char *s = md_arena_alloc(b->a, n);
    if (!s) { b->oom = 1; return ""; }
    if (three) snprintf(s, n, "%s/%s/%s", x, y, z ? z : "");
    else snprintf(s, n, "%s/%s", x, y);
    return s;
}

/* Rows are pushed in (entity, key, field) order — entities and fields by
 * name, keys in the model's sorted order — so that out_snap_sort usually
 * finds them sorted already. */
static void settings(builder *b, const md_model *m)
{
    if (b->oom) return;
    const md_settings *st = &m->set;
    start(b, "setting", "policy", NULL, NULL, NULL);
    /* [[0.5, 1], [1, 0.5]] as one value: the tiers act together */
    size_t cap = 8 + (size_t)st->ntiers * 72;
    char *tiers = md_arena_alloc(b->a, cap);
    if (!tiers) { b->oom = 1; return; }
    size_t o = (size_t)snprintf(tiers, cap, "[");
    for (int i = 0; i < st->ntiers && o < cap; i++) {
        char f[64], v[64];
        o += (size_t)snprintf(tiers + o, cap - o, "%s[%s, %s]", i ? ", " : "",
                              out_fmt_number(f, st->tiers[i].frac), out_fmt_number(v, st->tiers[i].value));
    }
    if (o < cap) snprintf(tiers + o, cap - o, "]");
    push(b, "coverage_tiers", text(tiers));
    push(b, "income_weights.HIC", num(st->income_weight[MD_INC_HIC]));
    push(b, "income_weights.LIC", num(st->income_weight[MD_INC_LIC]));
    push(b, "income_weights.LMIC", num(st->income_weight[MD_INC_LMIC]));
    push(b, "income_weights.UMIC", num(st->income_weight[MD_INC_UMIC]));
    if (st->max_provider_share > 0) push(b, "max_provider_share", num(st->max_provider_share)); /* absent: no row, as before */
    push(b, "min_quality", st->has_min_quality ? num(st->min_quality) : none());
    push(b, "unrated", text(st->unrated_allow ? "allow" : "exclude"));
    start(b, "setting", "scenario", NULL, NULL, NULL);
    push(b, "currency", text(st->currency));
    push(b, "name", text(st->name));
    push(b, "period_end", st->has_period ? date(b, st->period_end) : none());
    push(b, "period_start", st->has_period ? date(b, st->period_start) : none());
    start(b, "setting", "solver", NULL, NULL, NULL);
    push(b, "mip_gap", num(st->mip_gap));
    push(b, "time_limit", num(st->time_limit));
}

int out_snap_build(out_snap *s, const md_model *m, md_arena *a)
{
    builder b = { s, a, NULL, NULL, NULL, NULL, NULL, 0 };
    for (int i = 0; i < m->ncommitments; i++) {
        const md_commitment *c = &m->commitments[i];
        start(&b, "commitment", join(&b, c->country, c->course, c->donor, 1), c->country, c->course, c->donor);
        push(&b, "seats", num((double)c->seats));
    }
    for (int i = 0; i < m->ncountries; i++) {
        const md_country *c = &m->countries[i];
        start(&b, "country", c->code, c->code, NULL, NULL);
        push(&b, "income_group", text(c->income >= 0 && c->income < MD_INC_COUNT ? md_income_names[c->income] : NULL));
        list(&b, "languages", &c->languages);
        push(&b, "max_trainees", limit((double)c->max_trainees));
        push(&b, "name", text(c->name));
        push(&b, "region", text(c->region));
        push(&b, "trainee_hours", limit(c->trainee_hours));
    }
    for (int i = 0; i < m->ncourses; i++) {
        const md_course *k = &m->courses[i];
        start(&b, "course", k->id, NULL, k->id, NULL);
        push(&b, "cost_per_seat", num(k->cost_per_seat));
        push(&b, "currency", text(k->currency));
        push(&b, "end_date", date(&b, k->end_date));
        push(&b, "format", text(k->format >= 0 && k->format < MD_FMT_COUNT ? md_format_names[k->format] : NULL));
        push(&b, "hours", num(k->hours));
        push(&b, "language", text(k->language));
        push(&b, "max_per_country", limit((double)k->max_per_country));
        push(&b, "min_seats", num((double)k->min_seats));
        push(&b, "provider", text(k->provider));
        push(&b, "quality", limit(k->quality));
        list(&b, "regions", &k->regions);
        push(&b, "seats", limit((double)k->seats));
        push(&b, "start_date", date(&b, k->start_date));
        push(&b, "title", text(k->title));
        list(&b, "topics", &k->topics);
    }
    for (int i = 0; i < m->ndonors; i++) {
        const md_donor *d = &m->donors[i];
        start(&b, "donor", d->id, NULL, NULL, d->id);
        push(&b, "budget", num(d->budget));
        list(&b, "countries", &d->countries);
        push(&b, "currency", text(d->currency));
        list(&b, "exclude_countries", &d->exclude_countries);
        list(&b, "formats", &d->formats);
        list(&b, "income_groups", &d->income_groups);
        push(&b, "max_share_per_country", d->max_share > 0 ? num(d->max_share) : none());
        push(&b, "name", text(d->name));
        list(&b, "providers", &d->providers);
        list(&b, "regions", &d->regions);
        list(&b, "topics", &d->topics);
    }
    for (int i = 0; i < m->nneeds; i++) {
        const md_need *n = &m->needs[i];
        start(&b, "need", join(&b, n->country, n->topic, NULL, 0), n->country, NULL, NULL);
        push(&b, "priority", num(n->priority));
        push(&b, "seats", num((double)n->seats));
    }
    for (int i = 0; i < m->nrates; i++) {
        start(&b, "rate", m->rates[i].currency, NULL, NULL, NULL);
        push(&b, "rate", num(m->rates[i].rate));
    }
    settings(&b, m);
    return b.oom ? -1 : 0;
}

int out_snap_settings(out_snap *s, const md_model *m, md_arena *a)
{
    builder b = { s, a, NULL, NULL, NULL, NULL, NULL, 0 };
    settings(&b, m);
    return b.oom ? -1 : 0;
}

/* Entity and field names are mostly shared pointers: equal pointers skip
 * the strcmp (on a large catalogue the sort is most of the comparison). */
static int cmp_str(const char *a, const char *b) { return a == b ? 0 : strcmp(a, b); }

static int cmp_key(const out_snap_row *x, const out_snap_row *y)
{
    int c = cmp_str(x->entity, y->entity);
    return c ? c : cmp_str(x->key, y->key);
}

static int cmp_rows(const out_snap_row *x, const out_snap_row *y)
{
    int c = cmp_key(x, y);
    return c ? c : cmp_str(x->field, y->field);
}

static int cmp_ptr(const void *p, const void *q)
{
    return cmp_rows(*(const out_snap_row *const *)p, *(const out_snap_row *const *)q);
}

int out_snap_sort(out_snap *s)
{
    int sorted = 1;
    for (int i = 1; i < s->n && sorted; i++) sorted = cmp_rows(&s->rows[i - 1], &s->rows[i]) <= 0;
    if (sorted) return 0;
    /* pointers are sorted, not the 72-byte rows: far less copying */
    const out_snap_row **ix = malloc(sizeof *ix * (size_t)s->n);
    out_snap_row *rows = malloc(sizeof *rows * (size_t)s->n);
    if (!ix || !rows) { free(ix); free(rows); return -1; }
    for (int i = 0; i < s->n; i++) ix[i] = &s->rows[i];
    qsort(ix, (size_t)s->n, sizeof *ix, cmp_ptr);
    for (int i = 0; i < s->n; i++) rows[i] = *ix[i];
    free(ix);
    free(s->rows);
    s->rows = rows;
    s->cap = s->n;
    return 0;
}

static int same(const out_val *x, const out_val *y)
{
    if (x->type != y->type) return 0;
    if (x->type == OUT_V_NUM) return x->num == y->num;
    if (x->type == OUT_V_TEXT) return strcmp(x->text, y->text) == 0;
    return 1;
}

typedef struct changes { out_snap_change *v; int n, cap; } changes;

static int add(changes *c, const char *kind, const out_snap_row *r, const char *field,
               out_val old, out_val now)
{
    out_snap_change *x = md_vec_push((void **)&c->v, &c->n, &c->cap, sizeof *x);
    if (!x) return -1;
    *x = (out_snap_change){ kind, r->entity, r->key, field, old, now, r->country, r->course, r->donor };
    return 0;
}

/* Rows [i, end) of one entity: end. */
static int entity_end(const out_snap *s, int i)
{
    int j = i + 1;
    while (j < s->n && cmp_key(&s->rows[i], &s->rows[j]) == 0) j++;
    return j;
}

int out_snap_diff(const out_snap *a, const out_snap *b, out_snap_change **out)
{
    changes c = { NULL, 0, 0 };
    int i = 0, j = 0, err = 0;
    *out = NULL;
    while (!err && (i < a->n || j < b->n)) {
        int k = i >= a->n ? 1 : j >= b->n ? -1 : cmp_key(&a->rows[i], &b->rows[j]);
        int ie = i < a->n ? entity_end(a, i) : i, je = j < b->n ? entity_end(b, j) : j;
        if (k < 0) { err = add(&c, "removed", &a->rows[i], NULL, none(), none()); i = ie; continue; }
        if (k > 0) { err = add(&c, "added", &b->rows[j], NULL, none(), none()); j = je; continue; }
        /* the same entity in both: its fields, merged by name; a field in
         * one run only (a list given or dropped) changes from or to null */
        while (!err && (i < ie || j < je)) {
            int f = i >= ie ? 1 : j >= je ? -1 : strcmp(a->rows[i].field, b->rows[j].field);
            if (f == 0 && !same(&a->rows[i].v, &b->rows[j].v))
                err = add(&c, "changed", &b->rows[j], b->rows[j].field, a->rows[i].v, b->rows[j].v);
            else if (f < 0)
                err = add(&c, "changed", &a->rows[i], a->rows[i].field, a->rows[i].v, none());
            else if (f > 0)
                err = add(&c, "changed", &b->rows[j], b->rows[j].field, none(), b->rows[j].v);
            if (f <= 0) i++;
            if (f >= 0) j++;
        }
        i = ie;
        j = je;
    }
    if (err) { free(c.v); return -1; }
    *out = c.v;
    return c.n;
}

void out_snap_free(out_snap *s)
{
    free(s->rows);
    memset(s, 0, sizeof *s);
}

const char *out_val_text(char *buf, const out_val *v)
{
    if (v->type == OUT_V_NUM) return out_fmt_number(buf, v->num);
    if (v->type == OUT_V_TEXT) return v->text;
    return "none";
}
