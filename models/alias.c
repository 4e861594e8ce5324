/* models/alias.c — topic names other than the id (docs/formats.md, "Topic
 * names"): a topic's own `aliases` and the scenario's topic_map file. After
 * the checks every topic reference (needs, courses, donors' topic lists) is
 * rewritten to the canonical id, so that sorting, duplicate checks, the
 * solver and every output see only ids: a scenario written with aliases
 * gives the same outputs as one written with ids.
 *
 * Choices: a name may stand for one topic only; an alias equal to another
 * topic's id is refused (the id wins nowhere silently); a topic listing its
 * own id, or the map repeating a topic's own alias for the same topic, is
 * harmless and accepted. */
#include "model.h"
#include "alias.h"
#include "suggest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

md_alias *md_model_add_alias(md_model *m)
{
    return md_vec_push((void **)&m->aliases, &m->naliases, &m->cap_aliases, sizeof *m->aliases);
}

int md_find_topic_name(const md_model *m, const char *name)
{
    int t = md_find_topic(m, name);
    return t >= 0 ? t : md_index_get(&m->alias_ix, name);
}

static const char *where(char *buf, size_t n, const md_loc *l)
{
    if (!l->file) snprintf(buf, n, "(unknown)");
    else if (l->table) snprintf(buf, n, "%s: table %s, row %s", l->file, l->table, l->key ? l->key : "?");
    else snprintf(buf, n, "%s:%d:%d", l->file, l->line, l->col);
    return buf;
}

/* One claimed name: its topic and where it was claimed. */
typedef struct claim { const char *name; int t; const md_loc *loc; } claim;

/* Registers name -> topic t; reports a name that is another topic's id or
 * was claimed for another topic before. Returns -1 when out of memory. */
static int claim_name(md_model *m, md_diag *d, claim *seen, int *nseen, const char *name, int t,
                      const md_loc *loc)
{
    char buf[512];
    int u = md_find_topic(m, name);
    if (u >= 0) {
        if (u != t)
            md_error(d, MD_EX_DATAERR, loc, "alias '%s' of topic '%s' is the id of topic '%s' "
                     "(defined at %s)", name, m->topics[t].id, m->topics[u].id,
                     where(buf, sizeof buf, &m->topics[u].loc));
        return 0;
    }
    int prev = md_index_get(&m->alias_ix, name);
    if (prev >= 0) {
        if (prev == t) return 0;
        for (int i = 0; i < *nseen; i++)
            if (strcmp(seen[i].name, name) == 0) {
                md_error(d, MD_EX_DATAERR, loc, "alias '%s' is claimed by topic '%s' and by topic "
                         "'%s' (first at %s)", name, m->topics[prev].id, m->topics[t].id,
                         where(buf, sizeof buf, seen[i].loc));
                break;
            }
        return 0;
    }
    if (md_index_put(&m->alias_ix, name, t) == -2) return -1;
    seen[(*nseen)++] = (claim){ name, t, loc };
    return 0;
}

/* The canonical id for a topic reference, or ref itself when it names no
 * topic (the caller's reference check reports it). */
static const char *canonical(const md_model *m, const char *ref)
{
    if (!ref || md_find_topic(m, ref) >= 0) return ref;
    int t = md_index_get(&m->alias_ix, ref);
    return t >= 0 ? m->topics[t].id : ref;
}

static void canon_list(const md_model *m, md_strlist *l)
{
    /* written only when an alias was used: unaliased lists may be read-only */
    for (int i = 0; i < l->n; i++) {
        const char *c = canonical(m, l->v[i]);
        if (c != l->v[i]) l->v[i] = c;
    }
}

int md_aliases_resolve(md_model *m, md_diag *d)
{
    int total = m->naliases;
    for (int t = 0; t < m->ntopics; t++) total += m->topics[t].aliases.n;
    claim *seen = malloc(((size_t)total + 1) * sizeof *seen);
    if (!seen) return -1;
    int nseen = 0, rc = 0;
    for (int t = 0; t < m->ntopics && !rc; t++) {
        const md_topic *tp = &m->topics[t];
        if (!tp->id || md_find_topic(m, tp->id) != t) continue; /* a duplicate id: reported */
        for (int i = 0; i < tp->aliases.n && !rc; i++)
            rc = claim_name(m, d, seen, &nseen, tp->aliases.v[i], t, &tp->loc);
    }
    for (int i = 0; i < m->naliases && !rc; i++) {
        const md_alias *a = &m->aliases[i];
        int t = md_find_topic(m, a->topic);
        if (t < 0) {
            const char *hint = md_suggest_topic(m, a->topic);
            int via = hint ? -1 : md_index_get(&m->alias_ix, a->topic);
            md_error(d, MD_EX_DATAERR, &a->loc, "topic_map maps '%s' to unknown topic '%s'%s%s%s",
                     a->name, a->topic, hint || via >= 0 ? " (did you mean '" : "",
                     hint ? hint : via >= 0 ? m->topics[via].id : "", hint || via >= 0 ? "'?)" : "");
            continue;
        }
        rc = claim_name(m, d, seen, &nseen, a->name, t, &a->loc);
    }
    free(seen);
    if (rc) return -1;
    for (int i = 0; i < m->nneeds; i++) {
        const char *c = canonical(m, m->needs[i].topic);
        if (c != m->needs[i].topic) m->needs[i].topic = c;
    }
    for (int k = 0; k < m->ncourses; k++) canon_list(m, &m->courses[k].topics);
    for (int i = 0; i < m->ndonors; i++) canon_list(m, &m->donors[i].topics);
    return 0;
}

const char *md_suggest_topic_name(const md_model *m, const char *ref)
{
    const char *hint = md_suggest_topic(m, ref);
    if (hint) return hint;
    int n = m->naliases;
    for (int t = 0; t < m->ntopics; t++) n += m->topics[t].aliases.n;
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    if (!names) return NULL;
    n = 0;
    for (int t = 0; t < m->ntopics; t++)
        for (int i = 0; i < m->topics[t].aliases.n; i++) names[n++] = m->topics[t].aliases.v[i];
    for (int i = 0; i < m->naliases; i++) names[n++] = m->aliases[i].name;
    hint = md_suggest(ref, names, n);
    free(names);
    return hint;
}
