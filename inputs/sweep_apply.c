/* inputs/sweep_apply.c — one sweep variant applied to a copy of the base
 * model, as a hand edit of the input files would change it, in this order:
 * budget_scale, the field overrides, remove, add, policy and solver (or the
 * grid's values, or the marginal step); then the copy is validated as a
 * loaded scenario is (docs/formats.md, The sweep file). */
#include "sweep_int.h"
#include "fields.h"
#include "settings.h"
#include "sha256.h"
#include "../models/copy.h"
#include "../models/suggest.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int is_text(const in_ynode *n)
{
    return (n->kind == IN_Y_PLAIN || n->kind == IN_Y_STRING) && n->text && n->text[0];
}

/* An amount as one would write it by hand: to the cent. */
static double cents(double x) { return nearbyint(x * 100) / 100; }

static void scale_budgets(md_model *m, double s)
{
    for (int i = 0; i < m->ndonors; i++) m->donors[i].budget = cents(m->donors[i].budget * s);
}

/* " (did you mean 'x'?)" for an unknown id among n ids, or "". */
static const char *hint_of(char *buf, size_t size, const char *ref, const char *const *ids, int n)
{
    const char *h = md_suggest(ref, ids, n);
    if (!h) return "";
    snprintf(buf, size, " (did you mean '%s'?)", h);
    return buf;
}

/* index of id among the base's entities of one kind, or -1 after reporting */
static int find(in_sweep *sw, md_diag *d, const md_model *base, in_entity_kind kind,
                const in_ynode *n)
{
    char buf[IN_EXCERPT_SIZE + 8], hint[IN_MAX_ID_BYTES * 4 + 40];
    const char *what = kind == IN_E_DONOR ? "donor" : kind == IN_E_COURSE ? "course" : "country";
    if (!is_text(n)) {
        in_sweep_err(sw, d, n, "expected a %s %s, got %s", what, kind == IN_E_COUNTRY ? "code" : "id",
            in_ynode_show(n, buf, sizeof buf));
        return -1;
    }
    int i = kind == IN_E_DONOR ? md_find_donor(base, n->text)
          : kind == IN_E_COURSE ? md_find_course(base, n->text) : md_find_country(base, n->text);
    if (i >= 0) return i;
    int cnt = kind == IN_E_DONOR ? base->ndonors : kind == IN_E_COURSE ? base->ncourses : base->ncountries;
    const char **ids = cnt ? malloc((size_t)cnt * sizeof *ids) : NULL;
    for (int j = 0; ids && j < cnt; j++)
        ids[j] = kind == IN_E_DONOR ? base->donors[j].id
               : kind == IN_E_COURSE ? base->courses[j].id : base->countries[j].code;
    in_sweep_err(sw, d, n, "unknown %s '%s'%s", what, in_excerpt(buf, sizeof buf, n->text, IN_EXCERPT_CHARS),
        ids ? hint_of(hint, sizeof hint, n->text, ids, cnt) : "");
    free(ids);
    return -1;
}

/* donors/courses/countries: {ID: {field: value, ...}} onto existing entities,
 * with the same field checks as the input files. */
static void overrides(in_sweep *sw, md_diag *d, in_entity_kind kind, const in_ynode *map,
                      const md_model *base, md_model *m)
{
    const char *key_field = kind == IN_E_COUNTRY ? "code" : "id";
    for (int i = 0; i + 1 < map->nkids; i += 2) {
        const in_ynode *idn = map->kids[i], *fields = map->kids[i + 1];
        if (idn->dup || fields->kind != IN_Y_MAP) continue;
        int e = find(sw, d, base, kind, idn);
        if (e < 0) continue;
        in_entity b;
        memset(&b, 0, sizeof b);
        b.m = m;
        b.d = d;
        b.kind = kind;
        b.e = kind == IN_E_DONOR ? (void *)&m->donors[e]
            : kind == IN_E_COURSE ? (void *)&m->courses[e] : (void *)&m->countries[e];
        /* the changed entity is now defined here: messages about it point into the sweep */
        b.loc = in_ynode_loc(&sw->doc, fields);
        b.loc.file = md_arena_strdup(&m->arena, sw->path);
        if (kind == IN_E_DONOR) m->donors[e].loc = b.loc;
        else if (kind == IN_E_COURSE) m->courses[e].loc = b.loc;
        else m->countries[e].loc = b.loc;
        for (int j = 0; j + 1 < fields->nkids; j += 2) {
            const in_ynode *k = fields->kids[j], *val = fields->kids[j + 1];
            md_loc kl = in_ynode_loc(&sw->doc, k);
            if (k->dup) continue;
            if (!k->text) { md_error(d, MD_EX_DATAERR, &kl, "a key must not be empty or null"); continue; }
            if (strcmp(k->text, key_field) == 0) {
                in_sweep_err(sw, d, k, "%s cannot be changed; remove the entity and add another", key_field);
                continue;
            }
            if (val->kind == IN_Y_NULL) {
                in_sweep_err(sw, d, val, "null cannot reset %s; give the value to use", k->text);
                continue;
            }
            in_value v;
            if (in_ynode_value(&sw->doc, val, &v) != 0) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return; }
            in_entity_field(&b, k->text, &kl, &v);
        }
    }
}

/* What remove takes away: the node that removed each base entity, or NULL. */
typedef struct removal {
    const in_ynode **country, **course, **donor, **need, **commit;
} removal;

static int split_pair(const char *s, char *a, size_t na, const char **b)
{
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= na || !slash[1]) return -1;
    memcpy(a, s, (size_t)(slash - s));
    a[slash - s] = '\0';
    *b = slash + 1;
    return 0;
}

static void mark(in_sweep *sw, md_diag *d, const md_model *base, const in_ynode *key,
                 const in_ynode *list, removal *r)
{
    static const char *const names[] = { "courses", "donors", "countries", "needs", "commitments" };
    char buf[IN_EXCERPT_SIZE + 8], cc[IN_MAX_ID_BYTES + 1];
    int f = -1;
    for (int i = 0; key->text && i < 5; i++)
        if (strcmp(key->text, names[i]) == 0) f = i;
    if (f < 0) {
        const char *h = key->text ? in_suggest(key->text, names, 5) : NULL;
        in_sweep_err(sw, d, key, "unknown key %s in remove%s%s%s", in_ynode_show(key, buf, sizeof buf),
            h ? " (did you mean '" : "", h ? h : "", h ? "'?)" : "");
        return;
    }
    for (int i = 0; list->kind == IN_Y_SEQ && i < list->nkids; i++) {
        const in_ynode *it = list->kids[i];
        if (f <= 2) {
            in_entity_kind k = f == 0 ? IN_E_COURSE : f == 1 ? IN_E_DONOR : IN_E_COUNTRY;
            int e = find(sw, d, base, k, it);
            if (e >= 0) (f == 0 ? r->course : f == 1 ? r->donor : r->country)[e] = it;
            continue;
        }
        const char *second = NULL;
        if (!is_text(it) || split_pair(it->text, cc, sizeof cc, &second) != 0) {
            in_sweep_err(sw, d, it, "remove.%s entries are \"COUNTRY/%s\", got %s", names[f],
                f == 3 ? "topic" : "COURSE", in_ynode_show(it, buf, sizeof buf));
            continue;
        }
        int found = 0;
        if (f == 3) {
            for (int n = 0; n < base->nneeds; n++)
                if (strcmp(base->needs[n].country, cc) == 0 && strcmp(base->needs[n].topic, second) == 0)
                    r->need[n] = it, found = 1;
        } else {
            for (int n = 0; n < base->ncommitments; n++)
                if (strcmp(base->commitments[n].country, cc) == 0 &&
                    strcmp(base->commitments[n].course, second) == 0)
                    r->commit[n] = it, found = 1;
        }
        if (!found)
            in_sweep_err(sw, d, it, "the base has no %s %s", f == 3 ? "need" : "commitment",
                in_ynode_show(it, buf, sizeof buf));
    }
}

/* An entity a kept commitment or donor still names cannot go alone. */
static void check_removal(in_sweep *sw, md_diag *d, const md_model *base, const md_model *m,
                          const removal *r)
{
    for (int i = 0; i < base->ncommitments; i++) {
        const md_commitment *cm = &base->commitments[i];
        if (r->commit[i]) continue;
        const in_ynode *by = cm->c >= 0 && r->country[cm->c] ? r->country[cm->c]
                           : cm->k >= 0 && r->course[cm->k] ? r->course[cm->k]
                           : cm->d >= 0 && r->donor[cm->d] ? r->donor[cm->d] : NULL;
        if (by)
            in_sweep_err(sw, d, by, "the commitment %s/%s names %s; remove it too (commitments: [\"%s/%s\"])",
                cm->country, cm->course, by->text, cm->country, cm->course);
    }
    for (int i = 0; i < base->ndonors; i++) {
        if (r->donor[i]) continue;
        const md_donor *dn = &m->donors[i];
        for (int c = 0; c < base->ncountries; c++) {
            if (!r->country[c]) continue;
            const char *code = base->countries[c].code;
            if (md_strlist_has(&dn->countries, code) || md_strlist_has(&dn->exclude_countries, code))
                in_sweep_err(sw, d, r->country[c], "donor '%s' names country '%s' in its %s; change that "
                    "donor too (donors: {%s: {...}})", dn->id, code,
                    md_strlist_has(&dn->countries, code) ? "countries" : "exclude_countries", dn->id);
        }
    }
}

#define COMPACT(arr, n, gone) do { \
        int w_ = 0; \
        for (int i_ = 0; i_ < m->n; i_++) if (!(gone)) m->arr[w_++] = m->arr[i_]; \
        m->n = w_; \
    } while (0)

static void removals(in_sweep *sw, md_diag *d, const in_ynode *map, const md_model *base, md_model *m)
{
    removal r;
    r.country = calloc((size_t)base->ncountries + 1, sizeof *r.country);
    r.course = calloc((size_t)base->ncourses + 1, sizeof *r.course);
    r.donor = calloc((size_t)base->ndonors + 1, sizeof *r.donor);
    r.need = calloc((size_t)base->nneeds + 1, sizeof *r.need);
    r.commit = calloc((size_t)base->ncommitments + 1, sizeof *r.commit);
    if (!r.country || !r.course || !r.donor || !r.need || !r.commit) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory");
    } else {
        int errors0 = d->nerrors;
        for (int i = 0; i + 1 < map->nkids; i += 2)
            if (!map->kids[i]->dup) mark(sw, d, base, map->kids[i], map->kids[i + 1], &r);
        for (int n = 0; n < base->nneeds; n++) /* a country goes with its needs */
            if (!r.need[n] && base->needs[n].c >= 0 && r.country[base->needs[n].c])
                r.need[n] = r.country[base->needs[n].c];
        if (d->nerrors == errors0) check_removal(sw, d, base, m, &r);
        /* the copy is still in the base's order: index i is base entity i */
        COMPACT(countries, ncountries, r.country[i_]);
        COMPACT(courses, ncourses, r.course[i_]);
        COMPACT(donors, ndonors, r.donor[i_]);
        COMPACT(needs, nneeds, r.need[i_]);
        COMPACT(commitments, ncommitments, r.commit[i_]);
        /* a removed course's ratings go with it (models/quality.c) */
        COMPACT(ratings, nratings, m->ratings[i_].k >= 0 && r.course[m->ratings[i_].k]);
    }
    free(r.country);
    free(r.course);
    free(r.donor);
    free(r.need);
    free(r.commit);
}

static void additions(in_sweep *sw, md_diag *d, const in_ynode *map, md_model *m)
{
    char buf[IN_EXCERPT_SIZE + 8];
    for (int i = 0; i + 1 < map->nkids; i += 2) {
        const in_ynode *k = map->kids[i];
        if (k->dup) continue;
        int kind = k->text ? in_entity_kind_of(k->text) : -1;
        if (kind < 0) {
            const char *h = k->text ? in_suggest(k->text, in_entity_lists, IN_E_COUNT) : NULL;
            in_sweep_err(sw, d, k, "unknown key %s in add (expected an entity list: topics, countries, "
                "needs, donors, courses, rates, commitments)%s%s%s", in_ynode_show(k, buf, sizeof buf),
                h ? " (did you mean '" : "", h ? h : "", h ? "'?)" : "");
            continue;
        }
        in_yaml_entities(&sw->doc, (in_entity_kind)kind, map->kids[i + 1], m, d);
    }
}

/* A setting given as null is removed, as deleting its line would: the
 * default (for min_quality, no minimum). */
static void null_setting(const char *key, md_model *m)
{
    if (strcmp(key, "min_quality") == 0) m->set.has_min_quality = 0;
    else if (strcmp(key, "unrated") == 0) m->set.unrated_allow = 1;
    else if (strcmp(key, "time_limit") == 0) m->set.time_limit = 300;
    else if (strcmp(key, "mip_gap") == 0) m->set.mip_gap = 1e-4;
    else if (strcmp(key, "max_provider_share") == 0) m->set.max_provider_share = 0;
}

static void settings(in_sweep *sw, md_diag *d, const in_ynode *key, const in_ynode *val, md_model *m)
{
    in_settings_key(&sw->doc, key, val, sw->dir, m, d);
    for (int i = 0; val->kind == IN_Y_MAP && i + 1 < val->nkids; i += 2)
        if (val->kids[i]->text && val->kids[i + 1]->kind == IN_Y_NULL)
            null_setting(val->kids[i]->text, m);
}

void in_sweep_grid_value(in_sweep *sw, const in_ynode *key, const in_ynode *val, md_model *m,
                         md_diag *d)
{
    if (strcmp(key->text, "budget_scale") == 0) {
        in_value v;
        double s;
        if (in_ynode_value(&sw->doc, val, &v) != 0) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return; }
        if (in_value_number(d, &v, "budget_scale", &s) == 0) scale_budgets(m, s);
        return;
    }
    /* {policy: {KEY: VALUE}} or {solver: {KEY: VALUE}}, built from the grid's nodes */
    int solver = strcmp(key->text, "mip_gap") == 0 || strcmp(key->text, "time_limit") == 0;
    in_ynode top = { .kind = IN_Y_PLAIN, .text = solver ? "solver" : "policy",
                     .line = key->line, .col = key->col };
    in_ynode *kids[2] = { (in_ynode *)key, (in_ynode *)val };
    in_ynode map = { .kind = IN_Y_MAP, .kids = kids, .nkids = 2, .line = key->line, .col = key->col };
    settings(sw, d, &top, &map, m);
}

static void apply_named(in_sweep *sw, md_diag *d, const in_ynode *spec, const md_model *base,
                        md_model *m)
{
    const in_ynode *at[9] = { 0 }, *keys[9] = { 0 };
    static const char *const order[] = { "budget_scale", "donors", "courses", "countries",
                                         "remove", "add", "policy", "solver" };
    for (int i = 0; i + 1 < spec->nkids; i += 2)
        for (int j = 0; j < 8; j++)
            if (!spec->kids[i]->dup && spec->kids[i]->text && strcmp(spec->kids[i]->text, order[j]) == 0) {
                at[j] = spec->kids[i + 1];
                keys[j] = spec->kids[i];
            }
    if (at[0]) {
        in_value v;
        double s;
        if (in_ynode_value(&sw->doc, at[0], &v) != 0) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return; }
        if (in_value_number(d, &v, "budget_scale", &s) == 0) scale_budgets(m, s); /* checked when read */
    }
    if (at[1] && at[1]->kind == IN_Y_MAP) overrides(sw, d, IN_E_DONOR, at[1], base, m);
    if (at[2] && at[2]->kind == IN_Y_MAP) overrides(sw, d, IN_E_COURSE, at[2], base, m);
    if (at[3] && at[3]->kind == IN_Y_MAP) overrides(sw, d, IN_E_COUNTRY, at[3], base, m);
    if (at[4] && at[4]->kind == IN_Y_MAP) removals(sw, d, at[4], base, m);
    if (at[5] && at[5]->kind == IN_Y_MAP) additions(sw, d, at[5], m);
    if (at[6]) settings(sw, d, keys[6], at[6], m);
    if (at[7]) settings(sw, d, keys[7], at[7], m);
}

/* The variant's inputs: the base's files and the sweep file; its digest
 * covers the base's digest, the sweep file's bytes and the variant's name. */
static int identify(in_sweep *sw, int i, md_model *m)
{
    in_sha256 h;
    in_sha256_init(&h);
    in_sha256_update(&h, m->input_digest, strlen(m->input_digest));
    in_sha256_update(&h, sw->buf, sw->len);
    in_sha256_update(&h, sw->v[i].name, strlen(sw->v[i].name) + 1);
    in_sha256_hex(&h, m->input_digest);
    const char **slot = md_vec_push((void **)&m->input_files, &m->ninput_files, &m->cap_input_files,
                                    sizeof *slot);
    if (!slot) return -1;
    *slot = sw->path;
    return 0;
}

int in_sweep_apply(in_sweep *sw, int i, const md_model *base, md_model *m, md_diag *d)
{
    if (md_model_copy(m, base) != 0) {
        md_model_init(m);
        md_fail(d, MD_EX_SOFTWARE, "out of memory");
        return MD_EX_SOFTWARE;
    }
    int errors0 = d->nerrors;
    const in_variant *v = &sw->v[i];
    if (v->kind == IN_V_NAMED) {
        apply_named(sw, d, v->spec, base, m);
    } else if (v->kind == IN_V_GRID) {
        long rest = v->grid;
        for (int k = sw->ngkey - 1; k >= 0; k--) {
            int n = sw->gval[k]->nkids;
            in_sweep_grid_value(sw, sw->gkey[k], sw->gval[k]->kids[rest % n], m, d);
            rest /= n;
        }
    } else if (v->kind == IN_V_MARGINAL) {
        md_donor *dn = &m->donors[v->donor];
        dn->budget = dn->budget + in_sweep_marginal_step(sw, base, v->donor);
    }
    if (identify(sw, i, m) != 0 || m->arena.failed) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory");
        return MD_EX_SOFTWARE;
    }
    if (d->nerrors > errors0) return d->exit_code ? d->exit_code : MD_EX_DATAERR;
    if (md_validate(m, d) != 0) return d->exit_code ? d->exit_code : MD_EX_DATAERR;
    return 0;
}
