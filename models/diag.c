/* models/diag.c — SPEC-format diagnostics. */
#include "diag.h"
#include <stdarg.h>

void md_diag_init(md_diag *d, FILE *out)
{
    d->out = out;
    d->nerrors = 0;
    d->exit_code = 0;
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

void md_error(md_diag *d, int code, const md_loc *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "error", loc, fmt, ap);
    va_end(ap);
    d->nerrors++;
    raise_code(d, code);
}

void md_fail(md_diag *d, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "error", NULL, fmt, ap);
    va_end(ap);
    d->nerrors++;
    raise_code(d, code);
}

void md_warn(md_diag *d, const md_loc *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "warning", loc, fmt, ap);
    va_end(ap);
}
