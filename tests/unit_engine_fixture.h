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

static inline const char *fx_s(md_model *m, const char *s) { return md_arena_strdup(&m->arena, s); }

/* "a,b,c" -> present list; NULL -> absent ("any") */
static inline md_strlist fx_list(md_model *m, const char *csv)
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

static inline void fx_init(md_model *m)
{
    md_model_init(m);
    m->set.currency = "USD";
    m->set.path = "test.yaml";
    m->set.loc.file = "test.yaml";
}

static inline void fx_tiers(md_model *m, int n, const double *fv)
{
    m->set.tiers = md_arena_alloc(&m->arena, (size_t)n * sizeof *m->set.tiers);
    for (int i = 0; i < n; i++) { m->set.tiers[i].frac = fv[2 * i]; m->set.tiers[i].value = fv[2 * i + 1]; }
    m->set.ntiers = n;
}

static inline void fx_topic(md_model *m, const char *id)
{
    md_topic *t = md_model_add_topic(m);
    t->id = fx_s(m, id);
    t->name = t->id;
    t->loc.file = "test.yaml";
}

static inline md_country *fx_country(md_model *m, const char *code, const char *region, int income,
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

static inline md_need *fx_need(md_model *m, const char *country, const char *topic, long seats, double prio)
{
    md_need *n = md_model_add_need(m);
    n->country = fx_s(m, country);
    n->topic = fx_s(m, topic);
    n->seats = seats;
    n->priority = prio;
    n->loc.file = "test.yaml";
    return n;
}

static inline md_donor *fx_donor(md_model *m, const char *id, double budget, const char *currency)
{
    md_donor *d = md_model_add_donor(m);
    d->id = fx_s(m, id);
    d->name = d->id;
    d->budget = budget;
    d->currency = currency ? fx_s(m, currency) : NULL;
    d->loc.file = "test.yaml";
    return d;
}

static inline md_course *fx_course(md_model *m, const char *id, const char *topics, const char *lang,
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

static inline void fx_rate(md_model *m, const char *cur, double rate)
{
    md_rate *r = md_model_add_rate(m);
    r->currency = fx_s(m, cur);
    r->rate = rate;
    r->loc.file = "test.yaml";
}

static inline md_commitment *fx_commit(md_model *m, const char *country, const char *course, long seats,
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
static inline int fx_solve(md_model *m, eng_plan *p, char **msgs, const eng_options *opt)
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

static inline long fx_seats(const md_model *m, const eng_plan *p, const char *c, const char *k)
{
    for (int i = 0; i < p->nalloc; i++)
        if (strcmp(m->countries[p->alloc[i].c].code, c) == 0 && strcmp(m->courses[p->alloc[i].k].id, k) == 0)
            return p->alloc[i].seats;
    return 0;
}

static inline double fx_fund(const md_model *m, const eng_plan *p, const char *d, const char *c, const char *k)
{
    for (int i = 0; i < p->nfund; i++)
        if (strcmp(m->donors[p->fund[i].d].id, d) == 0 && strcmp(m->countries[p->fund[i].c].code, c) == 0
            && strcmp(m->courses[p->fund[i].k].id, k) == 0)
            return p->fund[i].amount;
    return 0;
}

static inline int fx_need_ix(const md_model *m, const char *c, const char *t)
{
    for (int i = 0; i < m->nneeds; i++)
        if (strcmp(m->needs[i].country, c) == 0 && strcmp(m->needs[i].topic, t) == 0) return i;
    return -1;
}


/* A seeded random instance (LCG; same seed -> same model) for determinism,
 * time-limit and size tests. Not validated yet. */
static inline unsigned fx_rand(unsigned *s) { *s = *s * 1103515245u + 12345u; return (*s >> 8) & 0xffffff; }

static inline void fx_random(md_model *m, unsigned seed, int nc, int nk, int nd, int nt)
{
    static const char *langs[] = { "en", "fr", "es", "ar" };
    static const char *regions[] = { "Africa", "Asia", "Americas", "Europe" };
    static const double tiers[] = { 0.5, 1.0, 1.0, 0.4 };
    char buf[64], b2[64];
    fx_init(m);
    fx_tiers(m, 2, tiers);
    m->set.income_weight[MD_INC_LIC] = 2.0;
    m->set.income_weight[MD_INC_LMIC] = 1.5;
    for (int t = 0; t < nt; t++) { snprintf(buf, sizeof buf, "t%02d", t); fx_topic(m, buf); }
    for (int c = 0; c < nc; c++) {
        snprintf(buf, sizeof buf, "X%c%c", 'A' + c / 26 % 26, 'A' + c % 26);
        const char *l1 = langs[fx_rand(&seed) % 4];
        snprintf(b2, sizeof b2, "%s%s", l1, fx_rand(&seed) % 3 == 0 ? ",en" : "");
        md_country *cs = fx_country(m, buf, regions[fx_rand(&seed) % 4], (int)(fx_rand(&seed) % 4), b2);
        if (fx_rand(&seed) % 3 == 0) cs->trainee_hours = 40 + fx_rand(&seed) % 200;
        if (fx_rand(&seed) % 3 == 0) cs->max_trainees = 3 + fx_rand(&seed) % 15;
        int nn = 1 + (int)(fx_rand(&seed) % (unsigned)(nt < 5 ? nt : 5));
        int start = (int)(fx_rand(&seed) % (unsigned)nt);
        for (int j = 0; j < nn; j++) {
            snprintf(b2, sizeof b2, "t%02d", (start + j * 3) % nt);
            if (fx_need_ix(m, buf, b2) >= 0) continue;
            fx_need(m, buf, b2, 1 + fx_rand(&seed) % 8, 0.5 + (fx_rand(&seed) % 4) * 0.5);
        }
    }
    for (int k = 0; k < nk; k++) {
        snprintf(buf, sizeof buf, "k%03d", k);
        int t1 = (int)(fx_rand(&seed) % (unsigned)nt), t2 = (int)(fx_rand(&seed) % (unsigned)nt);
        if (t1 != t2 && fx_rand(&seed) % 2) snprintf(b2, sizeof b2, "t%02d,t%02d", t1, t2);
        else snprintf(b2, sizeof b2, "t%02d", t1);
        double cost = fx_rand(&seed) % 4 == 0 ? 0 : 100 + fx_rand(&seed) % 20 * 50;
        md_course *ks = fx_course(m, buf, b2, langs[fx_rand(&seed) % 4], cost,
                                  fx_rand(&seed) % 2 ? -1 : 5 + (long)(fx_rand(&seed) % 20));
        ks->format = (int)(fx_rand(&seed) % 3);
        if (fx_rand(&seed) % 4 == 0) ks->min_seats = 2 + fx_rand(&seed) % 4;
        if (ks->seats >= 0 && ks->min_seats > ks->seats) ks->min_seats = ks->seats;
        if (fx_rand(&seed) % 3 == 0) ks->max_per_country = 1 + fx_rand(&seed) % 4;
        ks->hours = (double)(fx_rand(&seed) % 40);
        if (fx_rand(&seed) % 5 == 0) ks->regions = fx_list(m, regions[fx_rand(&seed) % 4]);
    }
    for (int d = 0; d < nd; d++) {
        snprintf(buf, sizeof buf, "d%02d", d);
        md_donor *dn = fx_donor(m, buf, 2000 + fx_rand(&seed) % 20 * 1000, NULL);
        if (fx_rand(&seed) % 3 == 0) dn->regions = fx_list(m, regions[fx_rand(&seed) % 4]);
        if (fx_rand(&seed) % 3 == 0) dn->income_groups = fx_list(m, "LIC,LMIC");
        if (fx_rand(&seed) % 4 == 0) dn->max_share = 0.3;
        if (fx_rand(&seed) % 4 == 0) dn->formats = fx_list(m, "online,blended");
    }
}
#endif
