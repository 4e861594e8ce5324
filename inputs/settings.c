/* inputs/settings.c — checks and stores the scenario settings. Settings are
 * checked completely here (syntax and ranges), so md_validate() can rely
 * on m->set being well-formed: tiers are 0 < f1 < … < fm = 1 with
 * v1 ≥ … ≥ vm > 0, weights > 0, period start ≤ end. */
#include "settings.h"
#include "iati_settings.h"
#include "../models/codes.h"
#include <stdarg.h>
#include <string.h>

const char *const in_settings_keys[] = {
    "name", "currency", "period", "include", "policy", "solver", "output", "topic_map"
};
const int in_nsettings_keys = (int)(sizeof in_settings_keys / sizeof in_settings_keys[0]);

int in_is_settings_key(const char *key)
{
    for (int i = 0; key && i < in_nsettings_keys; i++)
        if (strcmp(key, in_settings_keys[i]) == 0) return 1;
    return 0;
}

char *in_path_join(md_arena *a, const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir[0] || strcmp(dir, ".") == 0) return md_arena_strdup(a, rel);
    size_t ld = strlen(dir), lr = strlen(rel);
    char *p = md_arena_alloc(a, ld + lr + 2);
    if (!p) return NULL;
    memcpy(p, dir, ld);
    size_t o = ld;
    if (dir[ld - 1] != '/') p[o++] = '/';
    memcpy(p + o, rel, lr + 1);
    return p;
}

typedef struct ctx {
    in_ydoc *doc;
    md_model *m;
    md_diag *d;
} ctx;

static void errn(ctx *c, int code, const in_ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void errn(ctx *c, int code, const in_ynode *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    md_loc loc = in_ynode_loc(c->doc, n);
    md_error(c->d, code, &loc, "%s", msg);
}

static void oom(ctx *c, const in_ynode *n) { errn(c, MD_EX_SOFTWARE, n, "out of memory"); }

/* 1 when n is a mapping; 0 for null (absent) or after reporting a type error */
static int is_map(ctx *c, const in_ynode *n, const char *what)
{
    char buf[IN_EXCERPT_SIZE + 8];
    if (n->kind == IN_Y_MAP) return 1;
    if (n->kind != IN_Y_NULL)
        errn(c, MD_EX_DATAERR, n, "%s must be a mapping, got %s", what,
             in_ynode_show(n, buf, sizeof buf));
    return 0;
}

/* Index of key k among names, or -1 (an unknown key is reported; a
 * duplicate was reported by the parser and is skipped silently). */
static int sub_key(ctx *c, const in_ynode *k, const char *const *names, int n, const char *what)
{
    char buf[IN_EXCERPT_SIZE + 8];
    if (k->dup) return -1;
    if (!k->text) {
        errn(c, MD_EX_DATAERR, k, "a key must not be empty or null");
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (strcmp(k->text, names[i]) == 0) return i;
    const char *hint = in_suggest(k->text, names, n);
    if (hint)
        errn(c, MD_EX_DATAERR, k, "unknown key %s in %s (did you mean '%s'?)",
             in_ynode_show(k, buf, sizeof buf), what, hint);
    else
        errn(c, MD_EX_DATAERR, k, "unknown key %s in %s", in_ynode_show(k, buf, sizeof buf), what);
    return -1;
}

static int number(ctx *c, const in_ynode *n, const char *what, double *out)
{
    in_value v;
    if (in_ynode_value(c->doc, n, &v) != 0) { oom(c, n); return -1; }
    return in_value_number(c->d, &v, what, out);
}

/* A number that must satisfy ok (the documented input rule, worded by desc) and
 * then lim (this program's limits, worded by lim_desc; see docs/limits.md). */
static int ranged(ctx *c, const in_ynode *n, const char *what, const char *desc,
                  int (*ok)(double), const char *lim_desc, int (*lim)(double), double *out)
{
    double x;
    char buf[IN_EXCERPT_SIZE + 8];
    if (number(c, n, what, &x) != 0) return -1;
    if (!ok(x) || (lim && !lim(x))) {
        errn(c, MD_EX_DATAERR, n, "%s must be %s, got %s", what, ok(x) ? lim_desc : desc,
             in_ynode_show(n, buf, sizeof buf));
        return -1;
    }
    *out = x;
    return 0;
}

static int gt0(double x) { return x > 0; }
static int ge0(double x) { return x >= 0; }
static int q05(double x) { return x >= 0 && x <= 5; }
static int frac(double x) { return x > 0 && x <= 1; }
/* Limits: weights and tier values within a factor 1000 of 1, so that the
 * score's coefficients stay within what GLPK's tolerances resolve; tiers at
 * least 0.001 wide; the same time cap as --time-limit; a gap of at most 1. */
static int weight_lim(double x) { return x >= 1e-3 && x <= 1e3; }
static int frac_lim(double x) { return x >= 1e-3; }
static int time_lim(double x) { return x <= 1e7; }
static int gap_lim(double x) { return x <= 1; }
static int rating_lim(double x) { return x >= 1e-3 && x <= 1e6; }

static const char *text(ctx *c, const in_ynode *n, const char *what)
{
    in_value v;
    if (in_ynode_value(c->doc, n, &v) != 0) { oom(c, n); return NULL; }
    const char *s = in_value_text(c->d, &v, what);
    if (s && !*s) {
        errn(c, MD_EX_DATAERR, n, "%s must not be empty", what);
        return NULL;
    }
    return s;
}

static int date(ctx *c, const in_ynode *n, const char *what, int *out)
{
    in_value v;
    if (in_ynode_value(c->doc, n, &v) != 0) { oom(c, n); return -1; }
    return in_value_date(c->d, &v, what, out);
}

static void period(ctx *c, const in_ynode *key, const in_ynode *val)
{
    static const char *const names[] = { "start", "end" };
    if (!is_map(c, val, "period")) return;
    int got[2] = { 0, 0 }, dates[2] = { 0, 0 }, bad = 0;
    for (int i = 0; i + 1 < val->nkids; i += 2) {
        int f = sub_key(c, val->kids[i], names, 2, "period");
        if (f < 0) { bad = 1; continue; }
        if (val->kids[i + 1]->kind == IN_Y_NULL) continue;
        got[f] = 1;
        if (date(c, val->kids[i + 1], f ? "period.end" : "period.start", &dates[f]) != 0) bad = 1;
    }
    for (int f = 0; f < 2; f++)
        if (!got[f]) { errn(c, MD_EX_DATAERR, key, "period needs both start and end"); return; }
    if (bad) return;
    if (dates[0] > dates[1]) {
        errn(c, MD_EX_DATAERR, val, "period start %d-%02d-%02d is after its end %d-%02d-%02d",
             dates[0] / 10000, dates[0] / 100 % 100, dates[0] % 100,
             dates[1] / 10000, dates[1] / 100 % 100, dates[1] % 100);
        return;
    }
    c->m->set.has_period = 1;
    c->m->set.period_start = dates[0];
    c->m->set.period_end = dates[1];
}

static void tiers(ctx *c, const in_ynode *val)
{
    char buf[IN_EXCERPT_SIZE + 8];
    const char *what = "policy.coverage_tiers";
    if (val->kind == IN_Y_NULL) return;
    if (val->kind != IN_Y_SEQ || val->nkids == 0) {
        errn(c, MD_EX_DATAERR, val, "%s must be a non-empty list of [fraction, value] pairs, got %s",
             what, in_ynode_show(val, buf, sizeof buf));
        return;
    }
    md_tier *t = md_arena_alloc(&c->m->arena, sizeof *t * (size_t)val->nkids);
    if (!t) { oom(c, val); return; }
    int bad = 0, n = val->nkids;
    for (int i = 0; i < n; i++) {
        const in_ynode *p = val->kids[i];
        if (p->kind != IN_Y_SEQ || p->nkids != 2) {
            errn(c, MD_EX_DATAERR, p, "each coverage tier must be a pair [fraction, value], got %s",
                 p->kind == IN_Y_SEQ ? "a list of another length" : in_ynode_show(p, buf, sizeof buf));
            bad = 1;
            continue;
        }
        if (ranged(c, p->kids[0], "coverage tier fraction", "a number > 0 and ≤ 1", frac,
                   "a number from 0.001 to 1", frac_lim, &t[i].frac) != 0 ||
            ranged(c, p->kids[1], "coverage tier value", "a number > 0", gt0,
                   "a number from 0.001 to 1000", weight_lim, &t[i].value) != 0) {
            bad = 1;
            continue;
        }
        if (i > 0 && !bad && t[i].frac <= t[i - 1].frac) {
            errn(c, MD_EX_DATAERR, p->kids[0], "coverage tier fractions must increase strictly");
            bad = 1;
        } else if (i > 0 && !bad && t[i].frac - t[i - 1].frac < 1e-3 * (1 - 1e-9)) {
            errn(c, MD_EX_DATAERR, p->kids[0],
                 "coverage tier fractions must increase by at least 0.001");
            bad = 1;
        }
        if (i > 0 && !bad && t[i].value > t[i - 1].value) {
            errn(c, MD_EX_DATAERR, p->kids[1],
                 "coverage tier values must not increase (the first part of a gap is worth most)");
            bad = 1;
        }
    }
    if (bad) return;
    if (t[n - 1].frac != 1.0) {
        errn(c, MD_EX_DATAERR, val->kids[n - 1], "the last coverage tier must end at fraction 1");
        return;
    }
    c->m->set.tiers = t;
    c->m->set.ntiers = n;
}

static void weights(ctx *c, const in_ynode *val)
{
    if (!is_map(c, val, "policy.income_weights")) return;
    for (int i = 0; i + 1 < val->nkids; i += 2) {
        int g = sub_key(c, val->kids[i], md_income_names, MD_INC_COUNT, "policy.income_weights");
        if (g < 0) continue;
        char what[64];
        snprintf(what, sizeof what, "policy.income_weights.%s", md_income_names[g]);
        double w;
        if (val->kids[i + 1]->kind == IN_Y_NULL) continue;
        if (ranged(c, val->kids[i + 1], what, "a number > 0", gt0,
                   "a number from 0.001 to 1000", weight_lim, &w) == 0)
            c->m->set.income_weight[g] = w;
    }
}

static void policy(ctx *c, const in_ynode *val)
{
    static const char *const names[] = { "coverage_tiers", "income_weights", "min_quality", "unrated",
                                         "rating_weight", "max_provider_share" };
    if (!is_map(c, val, "policy")) return;
    for (int i = 0; i + 1 < val->nkids; i += 2) {
        const in_ynode *v = val->kids[i + 1];
        int f = sub_key(c, val->kids[i], names, 6, "policy");
        if (f < 0) continue;
        if (f == 0) { tiers(c, v); continue; }
        if (f == 1) { weights(c, v); continue; }
        if (v->kind == IN_Y_NULL) continue;
        if (f == 4) { /* the prior's weight in responses (models/quality.c) */
            ranged(c, v, "policy.rating_weight", "a number > 0", gt0, "a number from 0.001 to 1000000",
                   rating_lim, &c->m->set.rating_weight);
            continue;
        }
        if (f == 5) { /* a share of 1 is no cap at all; below 0.001 no plan could spend */
            double s;
            if (ranged(c, v, "policy.max_provider_share", "a number > 0 and ≤ 1", frac,
                       "a number from 0.001 to 1", frac_lim, &s) == 0) {
                c->m->set.max_provider_share = s;
                c->m->set.max_provider_share_loc = in_ynode_loc(c->doc, v);
            }
            continue;
        }
        if (f == 2) {
            double q;
            if (ranged(c, v, "policy.min_quality", "a number from 0 to 5", q05, NULL, NULL, &q) == 0) {
                c->m->set.has_min_quality = 1;
                c->m->set.min_quality = q;
            }
            continue;
        }
        const char *s = text(c, v, "policy.unrated");
        if (!s) continue;
        if (strcmp(s, "allow") == 0) c->m->set.unrated_allow = 1;
        else if (strcmp(s, "exclude") == 0) c->m->set.unrated_allow = 0;
        else {
            char buf[IN_EXCERPT_SIZE + 8];
            errn(c, MD_EX_DATAERR, v, "policy.unrated must be allow or exclude, got %s",
                 in_ynode_show(v, buf, sizeof buf));
        }
    }
}

static void solver(ctx *c, const in_ynode *val)
{
    static const char *const names[] = { "time_limit", "mip_gap" };
    if (!is_map(c, val, "solver")) return;
    for (int i = 0; i + 1 < val->nkids; i += 2) {
        const in_ynode *v = val->kids[i + 1];
        int f = sub_key(c, val->kids[i], names, 2, "solver");
        if (f < 0 || v->kind == IN_Y_NULL) continue;
        if (f == 0)
            ranged(c, v, "solver.time_limit", "a number of seconds > 0", gt0,
                   "a number of seconds from above 0 to 10000000", time_lim, &c->m->set.time_limit);
        else
            ranged(c, v, "solver.mip_gap", "a number ≥ 0", ge0, "a number from 0 to 1", gap_lim,
                   &c->m->set.mip_gap);
    }
}

static void formats(ctx *c, const in_ynode *val)
{
    static const char *const names[] = { "csv", "json", "markdown", "html", "sqlite", "iati",
                                          "datapackage" };
    enum { NFORMATS = (int)(sizeof names / sizeof names[0]) };
    char buf[IN_EXCERPT_SIZE + 8];
    if (val->kind == IN_Y_NULL) return;
    if (val->kind != IN_Y_SEQ || val->nkids == 0) {
        errn(c, MD_EX_DATAERR, val,
             "output.formats must be a non-empty list of csv, json, markdown, html, sqlite, "
             "iati, datapackage, got %s",
             in_ynode_show(val, buf, sizeof buf));
        return;
    }
    unsigned bits = 0;
    int bad = 0;
    for (int i = 0; i < val->nkids; i++) {
        const in_ynode *it = val->kids[i];
        int f = -1;
        int scalar = it->text && (it->kind == IN_Y_PLAIN || it->kind == IN_Y_STRING);
        for (int j = 0; scalar && j < NFORMATS; j++)
            if (strcmp(it->text, names[j]) == 0) f = j;
        if (f < 0) {
            const char *hint = it->text ? in_suggest(it->text, names, NFORMATS) : NULL;
            errn(c, MD_EX_DATAERR, it, "output.formats entry must be one of csv, json, markdown, "
                 "html, sqlite, iati, datapackage, got %s%s%s%s", in_ynode_show(it, buf, sizeof buf),
                 hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
            bad = 1;
        } else if (bits & (1u << f)) {
            errn(c, MD_EX_DATAERR, it, "'%s' is listed twice in output.formats", names[f]);
            bad = 1;
        }
        if (f >= 0) bits |= 1u << f;
        if (f == 5) c->m->set.iati_loc = in_ynode_loc(c->doc, it); /* MD_OUT_IATI */
    }
    if (!bad) c->m->set.formats = bits;
}

static void output(ctx *c, const in_ynode *val, const char *base_dir)
{
    static const char *const names[] = { "dir", "formats", "iati" };
    if (!is_map(c, val, "output")) return;
    for (int i = 0; i + 1 < val->nkids; i += 2) {
        const in_ynode *v = val->kids[i + 1];
        int f = sub_key(c, val->kids[i], names, 3, "output");
        if (f < 0) continue;
        if (f == 1) { formats(c, v); continue; }
        if (f == 2) { in_iati_settings(c->doc, v, c->m, c->d); continue; }
        if (v->kind == IN_Y_NULL) continue;
        const char *s = text(c, v, "output.dir");
        if (!s) continue;
        if (strlen(s) > IN_MAX_PATH || in_text_problem(s) != 0) {
            char buf[IN_EXCERPT_SIZE + 8];
            errn(c, MD_EX_DATAERR, v, "output.dir must be a path of at most %d bytes without "
                 "control characters, got %s", IN_MAX_PATH, in_ynode_show(v, buf, sizeof buf));
            continue;
        }
        const char *dir = in_path_join(&c->m->arena, base_dir, s);
        if (!dir) { oom(c, v); continue; }
        c->m->set.out_dir = dir;
    }
}

/* topic_map: FILE.yaml, relative to the scenario; scenario.c reads it after
 * the includes (inputs/topic_map.c). */
static void topic_map(ctx *c, const in_ynode *val, const char *base_dir)
{
    if (val->kind == IN_Y_NULL) return;
    const char *s = text(c, val, "topic_map");
    if (!s) return;
    if (!s[0] || strlen(s) > IN_MAX_PATH || in_text_problem(s) != 0) {
        char buf[IN_EXCERPT_SIZE + 8];
        errn(c, MD_EX_DATAERR, val, "topic_map must be a path of at most %d bytes without "
             "control characters, got %s", IN_MAX_PATH, in_ynode_show(val, buf, sizeof buf));
        return;
    }
    const char *path = in_path_join(&c->m->arena, base_dir, s);
    if (!path) { oom(c, val); return; }
    c->m->set.topic_map = path;
    c->m->set.topic_map_loc = in_ynode_loc(c->doc, val);
}

void in_settings_key(in_ydoc *doc, const in_ynode *key, const in_ynode *val,
                     const char *base_dir, md_model *m, md_diag *d)
{
    ctx c = { doc, m, d };
    const char *k = key->text;
    if (strcmp(k, "name") == 0) {
        if (val->kind == IN_Y_NULL) return;
        const char *s = text(&c, val, "name");
        if (s && strlen(s) > IN_MAX_TEXT_BYTES) {
            char buf[IN_EXCERPT_SIZE + 8];
            errn(&c, MD_EX_DATAERR, val, "name must be at most %d bytes long, got %s (%zu bytes)",
                 IN_MAX_TEXT_BYTES, in_ynode_show(val, buf, sizeof buf), strlen(s));
            return;
        }
        if (s && !(m->set.name = md_arena_strdup(&m->arena, s))) oom(&c, val);
    } else if (strcmp(k, "currency") == 0) {
        if (val->kind == IN_Y_NULL) return; /* reported as missing by the caller */
        const char *s = text(&c, val, "currency");
        if (!s) return;
        if (!md_is_currency_code(s)) {
            char buf[IN_EXCERPT_SIZE + 8];
            errn(&c, MD_EX_DATAERR, val, "currency must be an ISO 4217 currency code, got %s",
                 in_ynode_show(val, buf, sizeof buf));
            return;
        }
        if (!(m->set.currency = md_arena_strdup(&m->arena, s))) oom(&c, val);
    } else if (strcmp(k, "period") == 0) {
        period(&c, key, val);
    } else if (strcmp(k, "policy") == 0) {
        policy(&c, val);
    } else if (strcmp(k, "solver") == 0) {
        solver(&c, val);
    } else if (strcmp(k, "output") == 0) {
        output(&c, val, base_dir);
    } else if (strcmp(k, "topic_map") == 0) {
        topic_map(&c, val, base_dir);
    }
}
