/* models/model.c — model lifetime, entity creation with defaults, lookups. */
#include "model.h"
#include <stdlib.h>
#include <string.h>

const char *const md_income_names[MD_INC_COUNT] = { "LIC", "LMIC", "UMIC", "HIC" };
const char *const md_format_names[MD_FMT_COUNT] = { "online", "in_person", "blended" };

int md_income_parse(const char *s)
{
    for (int i = 0; i < MD_INC_COUNT; i++)
        if (s && strcmp(s, md_income_names[i]) == 0) return i;
    return MD_INC_NONE;
}

int md_format_parse(const char *s)
{
    for (int i = 0; i < MD_FMT_COUNT; i++)
        if (s && strcmp(s, md_format_names[i]) == 0) return i;
    return MD_FMT_NONE;
}

void md_model_init(md_model *m)
{
    memset(m, 0, sizeof *m);
    md_arena_init(&m->arena);
    md_settings *s = &m->set;
    s->tiers = md_arena_alloc(&m->arena, sizeof *s->tiers);
    if (s->tiers) {
        s->tiers[0].frac = 1.0;
        s->tiers[0].value = 1.0;
        s->ntiers = 1;
    }
    for (int i = 0; i < MD_INC_COUNT; i++) s->income_weight[i] = 1.0;
    s->unrated_allow = 1;
    s->time_limit = 300;
    s->mip_gap = 1e-4;
    s->formats = MD_OUT_ALL;
    s->rating_weight = 5;
    md_index_init(&m->topic_ix);
    md_index_init(&m->country_ix);
    md_index_init(&m->donor_ix);
    md_index_init(&m->course_ix);
    md_index_init(&m->rate_ix);
    md_index_init(&m->alias_ix);
}

void md_model_free(md_model *m)
{
    for (int k = 0; k < m->ncourses; k++) free(m->courses[k].topic_idx);
    free(m->topics);
    free(m->countries);
    free(m->needs);
    free(m->donors);
    free(m->courses);
    free(m->rates);
    free(m->commitments);
    free(m->input_files);
    free(m->ratings);
    free(m->aliases);
    md_index_free(&m->alias_ix);
    md_index_free(&m->topic_ix);
    md_index_free(&m->country_ix);
    md_index_free(&m->donor_ix);
    md_index_free(&m->course_ix);
    md_index_free(&m->rate_ix);
    md_arena_free(&m->arena);
    memset(m, 0, sizeof *m);
}

#define PUSH(arr, n, cap) md_vec_push((void **)&m->arr, &m->n, &m->cap, sizeof *m->arr)

md_topic *md_model_add_topic(md_model *m) { return PUSH(topics, ntopics, cap_topics); }

md_country *md_model_add_country(md_model *m)
{
    md_country *c = PUSH(countries, ncountries, cap_countries);
    if (c) {
        c->income = MD_INC_NONE;
        c->trainee_hours = -1;
        c->max_trainees = -1;
    }
    return c;
}

md_need *md_model_add_need(md_model *m)
{
    md_need *n = PUSH(needs, nneeds, cap_needs);
    if (n) {
        n->priority = 1.0;
        n->c = n->t = -1;
    }
    return n;
}

md_donor *md_model_add_donor(md_model *m) { return PUSH(donors, ndonors, cap_donors); }

md_course *md_model_add_course(md_model *m)
{
    md_course *k = PUSH(courses, ncourses, cap_courses);
    if (k) {
        k->format = MD_FMT_NONE;
        k->seats = -1;
        k->max_per_country = -1;
        k->quality = -1;
        k->quality_declared = -1;
    }
    return k;
}

md_rate *md_model_add_rate(md_model *m) { return PUSH(rates, nrates, cap_rates); }

md_commitment *md_model_add_commitment(md_model *m)
{
    md_commitment *c = PUSH(commitments, ncommitments, cap_commitments);
    if (c) c->c = c->k = c->d = -1;
    return c;
}

int md_find_topic(const md_model *m, const char *id) { return md_index_get(&m->topic_ix, id); }
int md_find_country(const md_model *m, const char *code) { return md_index_get(&m->country_ix, code); }
int md_find_donor(const md_model *m, const char *id) { return md_index_get(&m->donor_ix, id); }
int md_find_course(const md_model *m, const char *id) { return md_index_get(&m->course_ix, id); }

double md_rate_of(const md_model *m, const char *cur)
{
    if (!cur || (m->set.currency && strcmp(cur, m->set.currency) == 0)) return 1.0;
    int r = md_index_get(&m->rate_ix, cur);
    return r < 0 ? -1.0 : m->rates[r].rate;
}

int md_strlist_has(const md_strlist *l, const char *s)
{
    if (!s) return 0;
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return 1;
    return 0;
}
