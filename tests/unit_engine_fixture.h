/* tests/unit_engine_fixture.h — tiny builders for hand-made engine test models.
 * Ownership: everything lives in the md_model (arena + entity arrays);
 * md_model_free() releases it. Only for tests/unit_engine*.c. */
#ifndef TEST_ENGINE_FIXTURE_H
#define TEST_ENGINE_FIXTURE_H

#include "../models/model.h"
#include "../engine/engine.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *fx_s(md_model *m, const char *s) { return md_arena_strdup(&m->arena, s); }

/* "a,b,c" -> present list; NULL -> absent ("any") */
static md_strlist fx_list(md_model *m, const char *csv)
{
    md_strlist l = { NULL, 0, 0 };
    if (!csv) return l;
    l.present = 1;
    l.v = md_arena_alloc(&m->arena, 32 * sizeof *l.v);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", csv);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && l.n < 32; t = strtok_r(NULL, ",", &save))
        l.v[l.n++] = fx_s(m, t);
    return l;
}

static void fx_init(md_model *m)
{
    md_model_init(m);
    m->set.currency = "USD";
    m->set.path = "test.yaml";
    m->set.loc.file = "test.yaml";
}

static void fx_tiers(md_model *m, int n, const double *fv)
{
    m->set.tiers = md_arena_alloc(&m->arena, (size_t)n * sizeof *m->set.tiers);
    for (int i = 0; i < n; i++) { m->set.tiers[i].frac = fv[2 * i]; m->set.tiers[i].value = fv[2 * i + 1]; }
    m->set.ntiers = n;
}

static void fx_topic(md_model *m, const char *id)
{
    md_topic *t = md_model_add_topic(m);
    t->id = fx_s(m, id);
    t->name = t->id;
    t->loc.file = "test.yaml";
}

static md_country *fx_country(md_model *m, const char *code, const char *region, int income,
                              const char *langs)
{
    md_country *c = md_model_add_country(m);
    c->code = fx_s(m, code);
    c->name = c->code;
    c->region = region ? fx_s(m, region) : NULL;
    c->income = income;
    c->languages = fx_list(m, langs);
    c->loc.file = "test.yaml";
    return c;
}

static md_need *fx_need(md_model *m, const char *country, const char *topic, long seats, double prio)
{
    md_need *n = md_model_add_need(m);
    n->country = fx_s(m, country);
    n->topic = fx_s(m, topic);
    n->seats = seats;
    n->priority = prio;
    n->loc.file = "test.yaml";
    return n;
}

static md_donor *fx_donor(md_model *m, const char *id, double budget, const char *currency)
{
    md_donor *d = md_model_add_donor(m);
    d->id = fx_s(m, id);
    d->name = d->id;
    d->budget = budget;
    d->currency = currency ? fx_s(m, currency) : NULL;
    d->loc.file = "test.yaml";
    return d;
}

static md_course *fx_course(md_model *m, const char *id, const char *topics, const char *lang,
                            double cost, long cap)
{
    md_course *k = md_model_add_course(m);
    k->id = fx_s(m, id);
    k->provider = fx_s(m, "prov");
    k->title = k->id;
    k->topics = fx_list(m, topics);
    k->language = fx_s(m, lang);
    k->format = MD_FMT_ONLINE;
    k->cost_per_seat = cost;
    k->seats = cap;
    k->loc.file = "test.yaml";
    return k;
}

static void fx_rate(md_model *m, const char *cur, double rate)
{
    md_rate *r = md_model_add_rate(m);
    r->currency = fx_s(m, cur);
    r->rate = rate;
    r->loc.file = "test.yaml";
}

static md_commitment *fx_commit(md_model *m, const char *country, const char *course, long seats,
                                const char *donor, int line)
{
    md_commitment *c = md_model_add_commitment(m);
    c->country = fx_s(m, country);
    c->course = fx_s(m, course);
    c->donor = donor ? fx_s(m, donor) : NULL;
    c->seats = seats;
    c->loc.file = "commitments.yaml";
    c->loc.line = line;
    c->loc.col = 3;
    return c;
}

/* Validates and solves; diagnostics go into *msgs (caller frees). */
static int fx_solve(md_model *m, eng_plan *p, char **msgs, const eng_options *opt)
{
    size_t len = 0;
    FILE *f = open_memstream(msgs, &len);
    md_diag d;
    md_diag_init(&d, f);
    int rc = md_validate(m, &d) == 0 ? 0 : 65;
    if (rc == 0) rc = eng_solve(m, opt, p, &d);
    else memset(p, 0, sizeof *p);
    fclose(f);
    return rc;
}

static long fx_seats(const md_model *m, const eng_plan *p, const char *c, const char *k)
{
    for (int i = 0; i < p->nalloc; i++)
        if (strcmp(m->countries[p->alloc[i].c].code, c) == 0 && strcmp(m->courses[p->alloc[i].k].id, k) == 0)
            return p->alloc[i].seats;
    return 0;
}

static double fx_fund(const md_model *m, const eng_plan *p, const char *d, const char *c, const char *k)
{
    for (int i = 0; i < p->nfund; i++)
        if (strcmp(m->donors[p->fund[i].d].id, d) == 0 && strcmp(m->countries[p->fund[i].c].code, c) == 0
            && strcmp(m->courses[p->fund[i].k].id, k) == 0)
            return p->fund[i].amount;
    return 0;
}

static int fx_need_ix(const md_model *m, const char *c, const char *t)
{
    for (int i = 0; i < m->nneeds; i++)
        if (strcmp(m->needs[i].country, c) == 0 && strcmp(m->needs[i].topic, t) == 0) return i;
    return -1;
}

#endif
