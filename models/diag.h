/* models/diag.h — error reporting in the format of docs/formats.md,
 * Messages, shared by every layer.
 * Ownership: an md_diag borrows its FILE*; messages are written at once, in
 * the order found, so that every error is reported, not only the first.
 * When keeping warnings (md_diag_keep_warnings) it owns their texts until
 * md_diag_free(). */
#ifndef MD_DIAG_H
#define MD_DIAG_H
#include <stdio.h>

/* Where something came from: a YAML position (table == NULL) or an SQLite
 * row (table != NULL, key names the row). Strings are borrowed. */
typedef struct md_loc {
    const char *file;
    const char *table;
    const char *key;
    int line, col; /* 1-based; 0 when unknown */
} md_loc;

/* sysexits.h codes (docs/formats.md, Exit codes) */
enum {
    MD_EX_OK = 0, MD_EX_USAGE = 64, MD_EX_DATAERR = 65, MD_EX_NOINPUT = 66,
    MD_EX_SOFTWARE = 70, MD_EX_CANTCREAT = 73, MD_EX_IOERR = 74,
    MD_EX_TEMPFAIL = 75
};

typedef struct md_diag {
    FILE *out;       /* NULL: count only */
    int nerrors;
    int exit_code;   /* most serious exit code seen so far, 0 if none */
    int nwarned;     /* warnings issued (kept or not) */
    int oom;         /* an error whose message begins "out of memory" was reported */
    /* kept warnings, each "FILE:LINE:COL: MSG" (no "capmatch: " prefix, no
     * kind) so that outputs can list them; only when keep is set */
    int keep, warn_as_error;
    char **warnings; int nwarnings, cap_warnings;
} md_diag;

void md_diag_init(md_diag *d, FILE *out);
/* From now on keep a copy of every warning's text; with as_error (--strict)
 * warnings also print as "error:" lines (they still do not count in
 * nerrors: the caller decides what they mean). */
void md_diag_keep_warnings(md_diag *d, int as_error);
/* Releases the kept warnings. */
void md_diag_free(md_diag *d);

/* "capmatch: FILE:LINE:COL: error: MSG" or
 * "capmatch: FILE: table T, row K: error: MSG"; raises exit_code to code. */
void md_error(md_diag *d, int code, const md_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "capmatch: error: MSG" (no location). */
void md_fail(md_diag *d, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "capmatch: [LOC: ]warning: MSG"; does not count in nerrors. When keeping
 * warnings and a copy cannot be made, that is reported as an error (70). */
void md_warn(md_diag *d, const md_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
