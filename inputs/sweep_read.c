/* inputs/sweep_read.c — the sweep file: its structure checked, its variants
 * listed (an implicit baseline, the named ones, the grid's combinations,
 * the marginal steps) and every variant built and validated once before
 * anything is solved (docs/formats.md, The sweep file). */
#include "sweep_int.h"
#include "fields.h"
#include "settings.h"
#include "../models/suggest.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest variant name: it becomes a folder name. */
#define NAME_MAX_BYTES 200

const char *const in_sweep_grid_keys[] = { "budget_scale", "min_quality", "unrated", "mip_gap",
                                           "time_limit", "max_provider_share" };
const int in_sweep_ngrid_keys = 6;

static const char *const top_keys[] = { "base", "variants", "grid", "marginal" };
static const char *const variant_keys[] = { "name", "budget_scale", "donors", "courses",
                                            "countries", "remove", "add", "policy", "solver" };
enum { NVARIANT_KEYS = 9 };

void in_sweep_err(in_sweep *sw, md_diag *d, const in_ynode *n, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    md_loc l = in_ynode_loc(&sw->doc, n);
    md_error(d, MD_EX_DATAERR, &l, "%s", msg);
}

/* Index of k's text among names, or -1 after reporting it with a hint. */
static int known_key(in_sweep *sw, md_diag *d, const in_ynode *k, const char *const *names, int n,
                     const char *where)
{
    char buf[IN_EXCERPT_SIZE + 8];
    if (k->dup) return -1;
    if (!k->text || (k->kind != IN_Y_PLAIN && k->kind != IN_Y_STRING)) {
        in_sweep_err(sw, d, k, "a key must be a non-empty name");
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (strcmp(k->text, names[i]) == 0) return i;
    const char *hint = in_suggest(k->text, names, n);
    in_sweep_err(sw, d, k, "unknown key %s in %s%s%s%s", in_ynode_show(k, buf, sizeof buf), where,
        hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
    return -1;
}

static int is_text(const in_ynode *n)
{
    return (n->kind == IN_Y_PLAIN || n->kind == IN_Y_STRING) && n->text && n->text[0];
}

static in_variant *add_variant(in_sweep *sw, md_diag *d)
{
    in_variant *v = md_vec_push((void **)&sw->v, &sw->nv, &sw->cap, sizeof *v);
    if (!v) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return NULL; }
    memset(v, 0, sizeof *v);
    v->donor = -1;
    v->grid = -1;
    return v;
}

/* A scale: a number ≥ 0. Returns 0 with *out, or -1 after reporting. */
static int scale_of(in_sweep *sw, md_diag *d, const in_ynode *n, double *out)
{
    in_value v;
    if (in_ynode_value(&sw->doc, n, &v) != 0) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return -1; }
    if (in_value_number(d, &v, "budget_scale", out) != 0) return -1;
    if (!(*out >= 0) || *out > 1e6) {
        in_sweep_err(sw, d, n, "budget_scale must be a number from 0 to 1000000, got %s", n->text);
        return -1;
    }
    return 0;
}

static void check_map_of_lists(in_sweep *sw, md_diag *d, const in_ynode *n, const char *what)
{
    if (n->kind != IN_Y_MAP) { in_sweep_err(sw, d, n, "%s must be a mapping of lists", what); return; }
    for (int i = 0; i + 1 < n->nkids; i += 2)
        if (n->kids[i + 1]->kind != IN_Y_SEQ && n->kids[i + 1]->kind != IN_Y_NULL)
            in_sweep_err(sw, d, n->kids[i + 1], "%s.%s must be a list", what,
                n->kids[i]->text ? n->kids[i]->text : "?");
}

/* The structure of one named variant; the ids it names are checked when
 * it is applied to the base (in_sweep_check). */
static void read_variant(in_sweep *sw, md_diag *d, const in_ynode *map)
{
    char buf[IN_EXCERPT_SIZE + 8];
    if (map->kind != IN_Y_MAP) {
        in_sweep_err(sw, d, map, "each variant must be a mapping with a name, got %s",
            in_ynode_show(map, buf, sizeof buf));
        return;
    }
    const in_ynode *name = NULL;
    int errors0 = d->nerrors;
    for (int i = 0; i + 1 < map->nkids; i += 2) {
        const in_ynode *k = map->kids[i], *val = map->kids[i + 1];
        int f = known_key(sw, d, k, variant_keys, NVARIANT_KEYS, "a variant");
        double s;
        switch (f) {
        case 0: name = val; break;
        case 1: scale_of(sw, d, val, &s); break;
        case 2: case 3: case 4:
            if (val->kind != IN_Y_MAP)
                in_sweep_err(sw, d, val, "%s must map ids to the fields to change", k->text);
            else
                for (int j = 0; j + 1 < val->nkids; j += 2)
                    if (val->kids[j + 1]->kind != IN_Y_MAP)
                        in_sweep_err(sw, d, val->kids[j + 1], "%s.%s must be a mapping of fields",
                            k->text, val->kids[j]->text ? val->kids[j]->text : "?");
            break;
        case 5: check_map_of_lists(sw, d, val, "remove"); break;
        case 6: check_map_of_lists(sw, d, val, "add"); break;
        case 7: case 8:
            if (val->kind != IN_Y_MAP) in_sweep_err(sw, d, val, "%s must be a mapping", k->text);
            break;
        default: break;
        }
    }
    md_loc at = in_ynode_loc(&sw->doc, map);
    if (!name) {
        md_error(d, MD_EX_DATAERR, &at, "a variant needs a name");
        return;
    }
    if (!is_text(name) || strlen(name->text) > NAME_MAX_BYTES || in_text_problem(name->text)) {
        in_sweep_err(sw, d, name, "a variant name must be text of 1 to %d bytes without control "
            "characters, got %s", NAME_MAX_BYTES, in_ynode_show(name, buf, sizeof buf));
        return;
    }
    in_variant *v = add_variant(sw, d);
    if (!v) return;
    v->name = name->text;
    v->bad = d->nerrors > errors0;
    v->kind = IN_V_NAMED;
    v->spec = map;
    v->loc = in_ynode_loc(&sw->doc, name);
}

static void read_grid(in_sweep *sw, md_diag *d, const in_ynode *g, long max_grid)
{
    if (g->kind == IN_Y_NULL) return;
    if (g->kind != IN_Y_MAP || g->nkids == 0) {
        in_sweep_err(sw, d, g, "grid must be a mapping of settings to lists of values");
        return;
    }
    int n = g->nkids / 2;
    sw->gkey = md_arena_alloc(&sw->arena, sizeof *sw->gkey * (size_t)n);
    sw->gval = md_arena_alloc(&sw->arena, sizeof *sw->gval * (size_t)n);
    if (!sw->gkey || !sw->gval) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return; }
    double count = 1;
    int bad = 0;
    for (int i = 0; i + 1 < g->nkids; i += 2) {
        const in_ynode *k = g->kids[i], *val = g->kids[i + 1];
        if (known_key(sw, d, k, in_sweep_grid_keys, in_sweep_ngrid_keys, "grid") < 0) { bad = 1; continue; }
        if (val->kind != IN_Y_SEQ || val->nkids == 0) {
            in_sweep_err(sw, d, val, "grid.%s must be a non-empty list of values", k->text);
            bad = 1;
            continue;
        }
        for (int j = 0; j < val->nkids; j++) {
            const in_ynode *x = val->kids[j];
            if (x->kind == IN_Y_SEQ || x->kind == IN_Y_MAP) {
                in_sweep_err(sw, d, x, "grid.%s values must be single values", k->text);
                bad = 1;
            } else if (strcmp(k->text, "budget_scale") == 0) {
                double s;
                if (x->kind == IN_Y_NULL) { in_sweep_err(sw, d, x, "budget_scale must be a number"); bad = 1; }
                else if (scale_of(sw, d, x, &s) != 0) bad = 1;
            }
        }
        count *= val->nkids;
        sw->gkey[sw->ngkey] = k;
        sw->gval[sw->ngkey++] = val;
    }
    if (bad) return;
    if (count > (double)max_grid) {
        in_sweep_err(sw, d, g, "the grid makes %.0f variants, more than %ld; allow them with "
            "--max-variants N", count, max_grid);
        return;
    }
    sw->ngrid = (long)count;
    sw->grid_node = g;
}

static void read_marginal(in_sweep *sw, md_diag *d, const in_ynode *mg)
{
    static const char *const names[] = { "step" };
    if (mg->kind != IN_Y_MAP) { in_sweep_err(sw, d, mg, "marginal must be a mapping: {step: 10%%}"); return; }
    const in_ynode *step = NULL;
    for (int i = 0; i + 1 < mg->nkids; i += 2)
        if (known_key(sw, d, mg->kids[i], names, 1, "marginal") == 0) step = mg->kids[i + 1];
    if (!step) { in_sweep_err(sw, d, mg, "marginal needs a step (a percentage such as 10%%, or an amount)"); return; }
    const char *t = is_text(step) ? step->text : "";
    size_t n = strlen(t);
    char num[64];
    int pct = n > 0 && t[n - 1] == '%';
    if (pct) n--;
    char *end = NULL;
    double x = -1;
    if (n > 0 && n < sizeof num) {
        memcpy(num, t, n);
        num[n] = '\0';
        errno = 0;
        x = strtod(num, &end);
        if (*end || errno) x = -1;
    }
    if (!(x > 0) || !isfinite(x) || x > 1e12 || (pct && x > 10000)) {
        char buf[IN_EXCERPT_SIZE + 8];
        in_sweep_err(sw, d, step, "marginal.step must be a percentage above 0 (such as 10%%) or an "
            "amount above 0 in each donor's currency, got %s", in_ynode_show(step, buf, sizeof buf));
        return;
    }
    sw->has_marginal = 1;
    sw->step = x;
    sw->step_pct = pct;
    sw->marginal_loc = in_ynode_loc(&sw->doc, step);
}

/* The file's bytes, whole; NULL after reporting (66, or 65 when too large). */
static char *slurp(const char *path, size_t *len, md_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) { md_fail(d, MD_EX_NOINPUT, "cannot open %s: %s", path, strerror(errno)); return NULL; }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) { fclose(f); md_fail(d, MD_EX_SOFTWARE, "out of memory reading %s", path); return NULL; }
        if (n + 1 >= cap) {
            if (cap > IN_YAML_MAX_BYTES) {
                free(buf);
                fclose(f);
                md_fail(d, MD_EX_DATAERR, "%s is too large (a YAML input may hold at most %u MiB)",
                        path, IN_YAML_MAX_BYTES >> 20);
                return NULL;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) free(buf);
            buf = p;
            cap *= 2;
            continue;
        }
        size_t r = fread(buf + n, 1, cap - 1 - n, f);
        n += r;
        if (r == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); md_fail(d, MD_EX_NOINPUT, "cannot read %s", path); return NULL; }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static char *dir_of(md_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return md_arena_strdup(a, ".");
    if (slash == path) return md_arena_strdup(a, "/");
    return md_arena_strndup(a, path, (size_t)(slash - path));
}

int in_sweep_read(const char *path, long max_grid, in_sweep **out, md_diag *d)
{
    *out = NULL;
    in_sweep *sw = calloc(1, sizeof *sw);
    if (!sw) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return MD_EX_SOFTWARE; }
    md_arena_init(&sw->arena);
    int errors0 = d->nerrors;
    sw->path = md_arena_strdup(&sw->arena, path);
    sw->dir = dir_of(&sw->arena, path);
    if (!sw->path || !sw->dir) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); in_sweep_free(sw); return MD_EX_SOFTWARE; }
    if (!(sw->buf = slurp(path, &sw->len, d))) {
        int rc = d->exit_code ? d->exit_code : MD_EX_NOINPUT;
        in_sweep_free(sw);
        return rc;
    }
    in_yaml_parse(&sw->doc, sw->buf, sw->len, sw->path, d);
    const in_ynode *root = sw->doc.root, *variants = NULL, *grid = NULL, *marginal = NULL;
    if (root && root->kind != IN_Y_MAP) {
        in_sweep_err(sw, d, root, "a sweep file must be a mapping with base and variants");
        root = NULL;
    }
    /* a file plainly not a sweep (another YAML file named by mistake):
     * one message that quotes none of it */
    if (root && root->nkids >= 2 && root->kids[0]->text && !root->kids[0]->dup) {
        const char *k0 = root->kids[0]->text;
        int known = 0;
        for (int i = 0; i < 4; i++) known |= strcmp(k0, top_keys[i]) == 0;
        if (!known && !in_suggest(k0, top_keys, 4)) {
            in_sweep_err(sw, d, root->kids[0], "%s is not a capmatch sweep file: its first key is not one of "
                "base, variants, grid, marginal (the rest of the file is not read)", sw->path);
            root = NULL;
        }
    }
    if (!root && d->nerrors == errors0)
        md_error(d, MD_EX_DATAERR, &(md_loc){ .file = sw->path }, "the sweep file is empty");
    for (int i = 0; root && i + 1 < root->nkids; i += 2) {
        const in_ynode *k = root->kids[i], *val = root->kids[i + 1];
        switch (known_key(sw, d, k, top_keys, 4, "the sweep file")) {
        case 0:
            if (!is_text(val) || strlen(val->text) > IN_MAX_PATH || in_text_problem(val->text))
                in_sweep_err(sw, d, val, "base must be the path of a scenario file");
            else if (!(sw->base = in_path_join(&sw->arena, sw->dir, val->text)))
                md_fail(d, MD_EX_SOFTWARE, "out of memory");
            else if (access(sw->base, R_OK) != 0) {
                md_loc l = in_ynode_loc(&sw->doc, val);
                md_error(d, MD_EX_NOINPUT, &l, "cannot open the base scenario %s: %s", sw->base,
                         strerror(errno));
            }
            break;
        case 1: variants = val; break;
        case 2: grid = val; break;
        case 3: marginal = val; break;
        default: break;
        }
    }
    if (root && !sw->base && d->nerrors == errors0) {
        md_loc rl = in_ynode_loc(&sw->doc, root);
        md_error(d, MD_EX_DATAERR, &rl, "the sweep file must name its base scenario (base: FILE)");
    }
    /* the unmodified base is always solved, for the deltas, unless a
     * variant is named baseline */
    in_variant *b = add_variant(sw, d);
    if (b) {
        b->name = "baseline";
        b->kind = IN_V_BASELINE_IMPLICIT;
        b->loc = (md_loc){ .file = sw->path, .line = 1, .col = 1 };
    }
    if (variants && variants->kind == IN_Y_SEQ)
        for (int i = 0; i < variants->nkids; i++) read_variant(sw, d, variants->kids[i]);
    else if (variants && variants->kind != IN_Y_NULL)
        in_sweep_err(sw, d, variants, "variants must be a list of variants");
    for (int i = 1; i < sw->nv; i++)
        if (strcmp(sw->v[i].name, "baseline") == 0 && sw->v[0].kind == IN_V_BASELINE_IMPLICIT) {
            memmove(&sw->v[0], &sw->v[1], (size_t)(sw->nv - 1) * sizeof *sw->v);
            sw->nv--;
            break;
        }
    if (grid) read_grid(sw, d, grid, max_grid);
    if (marginal) read_marginal(sw, d, marginal);
    for (long g = 0; g < sw->ngrid && d->nerrors == errors0; g++) {
        in_variant *v = add_variant(sw, d);
        if (!v) break;
        v->kind = IN_V_GRID;
        v->grid = g;
        v->loc = in_ynode_loc(&sw->doc, sw->grid_node);
        /* "budget_scale=0.5,min_quality=4": the values as written */
        size_t len = 1;
        long rest = g;
        int idx[64];
        for (int k = sw->ngkey - 1; k >= 0; k--) {
            idx[k < 64 ? k : 63] = (int)(rest % sw->gval[k]->nkids);
            rest /= sw->gval[k]->nkids;
        }
        for (int k = 0; k < sw->ngkey && k < 64; k++) {
            const in_ynode *x = sw->gval[k]->kids[idx[k]];
            len += strlen(sw->gkey[k]->text) + 2 + (x->text ? strlen(x->text) : 4);
        }
        char *name = md_arena_alloc(&sw->arena, len);
        if (!name) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); break; }
        for (int k = 0; k < sw->ngkey && k < 64; k++) {
            const in_ynode *x = sw->gval[k]->kids[idx[k]];
            if (k) strcat(name, ",");
            strcat(name, sw->gkey[k]->text);
            strcat(name, "=");
            strcat(name, x->kind == IN_Y_NULL ? "null" : x->text);
        }
        v->name = name;
    }
    if (sw->ngkey > 64) in_sweep_err(sw, d, sw->grid_node, "a grid may vary at most 64 settings");
    if (d->nerrors > errors0 || d->exit_code) {
        int rc = d->exit_code ? d->exit_code : MD_EX_DATAERR;
        /* kept when the rest can still be checked, so that every error is reported */
        if (rc == MD_EX_DATAERR && sw->base && sw->doc.root) *out = sw;
        else in_sweep_free(sw);
        return rc;
    }
    *out = sw;
    return 0;
}

void in_sweep_free(in_sweep *sw)
{
    if (!sw) return;
    if (sw->buf) in_yaml_free(&sw->doc);
    free(sw->buf);
    free(sw->v);
    md_arena_free(&sw->arena);
    free(sw);
}

const char *in_sweep_base(const in_sweep *sw) { return sw->base; }
int in_sweep_count(const in_sweep *sw) { return sw->nv; }
const char *in_sweep_name(const in_sweep *sw, int i) { return sw->v[i].name; }
const char *in_sweep_folder(const in_sweep *sw, int i) { return sw->v[i].folder; }
int in_sweep_kind(const in_sweep *sw, int i) { return sw->v[i].kind; }
int in_sweep_marginal_donor(const in_sweep *sw, int i) { return sw->v[i].donor; }
int in_sweep_has_marginal(const in_sweep *sw) { return sw->has_marginal; }
int in_sweep_budget_grid(const in_sweep *sw)
{
    return sw->ngrid > 0 && sw->ngkey == 1 && strcmp(sw->gkey[0]->text, "budget_scale") == 0;
}

double in_sweep_marginal_step(const in_sweep *sw, const md_model *base, int dn)
{
    if (!sw->has_marginal) return 0;
    if (!sw->step_pct) return sw->step;
    return nearbyint(base->donors[dn].budget * sw->step) / 100.0; /* to the cent */
}

/* The folder name of a variant: bytes other than letters, digits and
 * . _ - = , + become '_', and so does a leading '.'. */
static char *folder_of(md_arena *a, const char *name)
{
    char *f = md_arena_strdup(a, name);
    if (!f) return NULL;
    for (char *p = f; *p; p++) {
        unsigned char c = (unsigned char)*p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 strchr("._-=,+", c);
        if (!ok) *p = '_';
    }
    if (f[0] == '.') f[0] = '_';
    return f;
}

static const char *loc_text(char *buf, size_t n, const md_loc *l)
{
    snprintf(buf, n, "%d:%d", l->line, l->col);
    return buf;
}

/* Names and folders must each be unique (sorted copies would be faster;
 * sweeps hold at most some ten thousand variants). */
static void unique_names(in_sweep *sw, md_diag *d)
{
    char at[32];
    for (int i = 0; i < sw->nv; i++) {
        if (strlen(sw->v[i].folder) > NAME_MAX_BYTES) {
            md_error(d, MD_EX_DATAERR, &sw->v[i].loc, "variant name '%.60s...' is longer than %d "
                     "bytes, too long for a folder name", sw->v[i].name, NAME_MAX_BYTES);
            continue;
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(sw->v[i].name, sw->v[j].name) == 0) {
                md_error(d, MD_EX_DATAERR, &sw->v[i].loc, "duplicate variant name '%s' (first at %s)",
                         sw->v[i].name, loc_text(at, sizeof at, &sw->v[j].loc));
                break;
            }
            if (strcmp(sw->v[i].folder, sw->v[j].folder) == 0) {
                md_error(d, MD_EX_DATAERR, &sw->v[i].loc, "variant names '%s' and '%s' give the "
                         "same folder name '%s'", sw->v[j].name, sw->v[i].name, sw->v[i].folder);
                break;
            }
        }
    }
}

/* extra(m) for variant i; its errors re-reported at the variant, each
 * naming the variant and the input position the check gave. The base
 * itself (the implicit baseline) keeps the positions in its own files, as
 * `run` would report them. */
static void extra_check(in_sweep *sw, int i, const md_model *m, in_sweep_extra_check extra, md_diag *d)
{
    const in_variant *v = &sw->v[i];
    if (v->kind == IN_V_BASELINE_IMPLICIT) { extra(m, d); return; }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return; }
    md_diag e;
    md_diag_init(&e, mem);
    extra(m, &e);
    int failed = fclose(mem) != 0;
    if (failed || !buf) md_fail(d, MD_EX_SOFTWARE, "out of memory");
    /* each line: "capmatch: WHERE: error: MESSAGE" or "capmatch: error: MESSAGE" */
    for (char *line = buf, *next; !failed && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (strncmp(line, "capmatch: ", 10) == 0) line += 10;
        char *err = strstr(line, "error: ");
        if (!err) continue;
        const char *msg = err + 7;
        if (err == line) {
            md_fail(d, e.exit_code ? e.exit_code : MD_EX_SOFTWARE, "variant '%s': %s", v->name, msg);
            continue;
        }
        if (err - line >= 2) err[-2] = '\0'; /* the ": " before "error: " */
        md_error(d, e.exit_code ? e.exit_code : MD_EX_DATAERR, &v->loc, "variant '%s': %s (at %s)", v->name,
                 msg, line);
    }
    free(buf);
    md_diag_free(&e);
}

int in_sweep_check(in_sweep *sw, const md_model *base, int only, in_sweep_extra_check extra, md_diag *d)
{
    int errors0 = d->nerrors;
    for (int dn = 0; sw->has_marginal && dn < base->ndonors; dn++) {
        in_variant *v = add_variant(sw, d);
        if (!v) return MD_EX_SOFTWARE;
        size_t len = strlen(base->donors[dn].id) + 10;
        char *name = md_arena_alloc(&sw->arena, len);
        if (!name) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return MD_EX_SOFTWARE; }
        snprintf(name, len, "marginal:%s", base->donors[dn].id);
        v->name = name;
        v->kind = IN_V_MARGINAL;
        v->donor = dn;
        v->loc = sw->marginal_loc;
    }
    for (int i = 0; i < sw->nv; i++)
        if (!(sw->v[i].folder = folder_of(&sw->arena, sw->v[i].name))) {
            md_fail(d, MD_EX_SOFTWARE, "out of memory");
            return MD_EX_SOFTWARE;
        }
    unique_names(sw, d);
    /* marginal gains are measured against baseline: it must be the base itself */
    for (int i = 0; sw->has_marginal && i < sw->nv; i++)
        if (sw->v[i].kind == IN_V_NAMED && strcmp(sw->v[i].name, "baseline") == 0 &&
            sw->v[i].spec->nkids > 2)
            md_error(d, MD_EX_DATAERR, &sw->v[i].loc, "with marginal, the variant 'baseline' "
                     "must change nothing: the marginal gains are measured against it");
    /* each grid value once, so that a bad one is reported once, not once per combination */
    int grid0 = d->nerrors;
    for (int k = 0; k < sw->ngkey; k++)
        for (int j = 0; j < sw->gval[k]->nkids; j++) {
            md_model scratch;
            md_model_init(&scratch);
            scratch.set = base->set;
            in_sweep_grid_value(sw, sw->gkey[k], sw->gval[k]->kids[j], &scratch, d);
            md_model_free(&scratch);
        }
    int grid_bad = d->nerrors > grid0;
    for (int i = 0; i < sw->nv && d->exit_code != MD_EX_SOFTWARE; i++) {
        if (sw->v[i].bad || (grid_bad && sw->v[i].kind == IN_V_GRID)) continue; /* reported already */
        if (only == IN_SWEEP_NAMES || (only >= 0 && i != only)) continue;
        md_model m;
        if (in_sweep_apply(sw, i, base, &m, d) == 0 && extra) extra_check(sw, i, &m, extra, d);
        md_model_free(&m);
    }
    if (d->nerrors > errors0) return d->exit_code ? d->exit_code : MD_EX_DATAERR;
    return 0;
}
