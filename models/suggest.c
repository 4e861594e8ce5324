/* models/suggest.c — edit-distance hints for unknown values. */
#include "suggest.h"
#include <ctype.h>
#include <string.h>

#define MAXW 62

static int fold(char ch) { return tolower((unsigned char)ch); }

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment distance over three rolling rows. */
int md_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAXW || lb > MAXW) return 1000;
    int rows[3][MAXW + 1];
    int *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++) prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int same = fold(a[i - 1]) == fold(b[j - 1]);
            int v = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + !same);
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1])
                && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        int *t = pp; pp = prev; prev = cur; cur = t;
    }
    return prev[lb];
}

/* Short words are within 2 edits of nearly every other short word. */
static int close_enough(const char *s, int dist)
{
    int len = (int)strlen(s);
    return dist < len && dist <= (len <= 4 ? 1 : 2);
}

/* The closest of n keys, key(ctx, i) giving the i-th (NULL: skipped). */
static const char *closest(const char *s, int n, const char *(*key)(const void *, int),
                           const void *ctx)
{
    const char *best = NULL;
    int bestd = 1000;
    if (!s || !*s) return NULL;
    for (int i = 0; i < n; i++) {
        const char *k = key(ctx, i);
        if (!k || strcmp(k, s) == 0) continue;
        int dd = md_edit_distance(s, k);
        if (dd < bestd && close_enough(s, dd)) { bestd = dd; best = k; }
    }
    return best;
}

static const char *list_key(const void *ctx, int i) { return ((const char *const *)ctx)[i]; }
static const char *country_key(const void *ctx, int i) { return ((const md_model *)ctx)->countries[i].code; }
static const char *topic_key(const void *ctx, int i) { return ((const md_model *)ctx)->topics[i].id; }

const char *md_suggest(const char *s, const char *const *cands, int n)
{
    return closest(s, n, list_key, cands);
}

const char *md_suggest_country(const md_model *m, const char *code)
{
    return closest(code, m->ncountries, country_key, m);
}

const char *md_suggest_topic(const md_model *m, const char *id)
{
    return closest(id, m->ntopics, topic_key, m);
}
