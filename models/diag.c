/* models/diag.c — diagnostics in the format of docs/formats.md, Messages. */
#include "diag.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void md_diag_init(md_diag *d, FILE *out)
{
    memset(d, 0, sizeof *d);
    d->out = out;
}

void md_diag_keep_warnings(md_diag *d, int as_error)
{
    d->keep = 1;
    d->warn_as_error = as_error != 0;
}

void md_diag_free(md_diag *d)
{
    for (int i = 0; i < d->nwarnings; i++) free(d->warnings[i]);
    free(d->warnings);
    d->warnings = NULL;
    d->nwarnings = d->cap_warnings = 0;
}

/* Input problems rank below the others: a missing file (66) beats bad
 * data (65); any output or internal failure beats both. */
static int rank(int code)
{
    switch (code) {
    case MD_EX_DATAERR: return 1;
    case MD_EX_NOINPUT: return 2;
    case MD_EX_USAGE: return 3;
    case 0: return 0;
    default: return 4;
    }
}

static void raise_code(md_diag *d, int code)
{
    if (rank(code) > rank(d->exit_code)) d->exit_code = code;
}

static void print_loc(FILE *f, const md_loc *loc)
{
    if (!loc || !loc->file) return;
    if (loc->table)
        fprintf(f, "%s: table %s, row %s: ", loc->file, loc->table,
                loc->key ? loc->key : "?");
    else if (loc->line > 0)
        fprintf(f, "%s:%d:%d: ", loc->file, loc->line, loc->col > 0 ? loc->col : 1);
    else
        fprintf(f, "%s: ", loc->file);
}

__attribute__((format(printf, 4, 0)))
static void vreport(md_diag *d, const char *kind, const md_loc *loc,
                    const char *fmt, va_list ap)
{
    if (!d->out) return;
    fputs("capmatch: ", d->out);
    print_loc(d->out, loc);
    fprintf(d->out, "%s: ", kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
}

/* Every layer says "out of memory ..." when an allocation fails; the
 * command line then names --memory-limit when one was given. */
static void note_oom(md_diag *d, const char *fmt)
{
    if (strncmp(fmt, "out of memory", 13) == 0) d->oom = 1;
}

void md_error(md_diag *d, int code, const md_loc *loc, const char *fmt, ...)
{
    note_oom(d, fmt);
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "error", loc, fmt, ap);
    va_end(ap);
    d->nerrors++;
    raise_code(d, code);
}

void md_fail(md_diag *d, int code, const char *fmt, ...)
{
    note_oom(d, fmt);
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "error", NULL, fmt, ap);
    va_end(ap);
    d->nerrors++;
    raise_code(d, code);
}

/* The kept copy: "LOC: MSG" in a new string, NULL when out of memory. */
__attribute__((format(printf, 2, 0)))
static char *warning_text(const md_loc *loc, const char *fmt, va_list ap)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    print_loc(f, loc);
    vfprintf(f, fmt, ap);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) { free(buf); return NULL; }
    return buf;
}

static int keep_warning(md_diag *d, char *text)
{
    if (!text) return -1;
    if (d->nwarnings == d->cap_warnings) {
        int cap = d->cap_warnings ? 2 * d->cap_warnings : 16;
        char **w = realloc(d->warnings, (size_t)cap * sizeof *w);
        if (!w) { free(text); return -1; }
        d->warnings = w;
        d->cap_warnings = cap;
    }
    d->warnings[d->nwarnings++] = text;
    return 0;
}

void md_warn(md_diag *d, const md_loc *loc, const char *fmt, ...)
{
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    vreport(d, d->warn_as_error ? "error" : "warning", loc, fmt, ap);
    d->nwarned++;
    /* a warning that cannot be listed in the outputs must not vanish */
    if (d->keep && keep_warning(d, warning_text(loc, fmt, copy)) != 0)
        md_fail(d, MD_EX_SOFTWARE, "out of memory keeping a warning");
    va_end(copy);
    va_end(ap);
}
