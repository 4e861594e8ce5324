/* outputs/format.c — number formatting and the escaping every writer shares.
 * Numbers are rounded half away from zero on their 15-significant-digit
 * decimal form, so that 1.005 (stored as 1.00499999…) prints "1.01" as a
 * person expects, and a value that rounds to zero never prints as "-0.00". */
#include "writers.h"
#include "../models/text.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Below this |v| is rounded on its 15-digit decimal form; above it a double
 * has no fractional digits worth rounding and printf is exact enough. */
#define DECIMAL_LIMIT 1e15
/* At or above this |v| prints in exponent form so that it fits in 32 bytes. */
#define FIXED_LIMIT 1e17

/* v finite, |v| < DECIMAL_LIMIT, 0 <= decimals <= 6: writes v rounded to
 * `decimals` places ("-12.35", "0.00"); at most 1 + 15 + 1 + 6 + 1 bytes. */
static void fmt_decimal(char *buf, double v, int decimals)
{
    char sci[48];
    snprintf(sci, sizeof sci, "%.14e", fabs(v)); /* d.dddddddddddddde±XX */
    char dig[15];
    int nd = 0;
    const char *s = sci;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && nd < 15) dig[nd++] = *s;
    while (nd < 15) dig[nd++] = '0';
    int e = (*s == 'e') ? (int)strtol(s + 1, NULL, 10) : 0;

    /* dig[i] is the digit of 10^(e-i); the result's integer form holds the
     * `count` digits from 10^e down to 10^-decimals. */
    int count = e + 1 + decimals;
    char r[40];                /* result digits, most significant first */
    int nr = 0;
    r[nr++] = '0';             /* room for a carry */
    for (int i = 0; i < count && nr < 38; i++) r[nr++] = i < 15 ? dig[i] : '0';
    int round_up = count >= 0 && count < 15 && dig[count] >= '5';
    if (round_up) {
        int i = nr - 1;
        while (i >= 0 && r[i] == '9') r[i--] = '0';
        if (i >= 0) r[i]++;
    }
    /* pad so there is at least one integer digit */
    while (nr < decimals + 1) {
        memmove(r + 1, r, (size_t)nr);
        r[0] = '0';
        nr++;
    }
    int first = 0;
    while (first < nr - decimals - 1 && r[first] == '0') first++;
    int nonzero = 0;
    for (int i = first; i < nr; i++) if (r[i] != '0') nonzero = 1;

    char *o = buf;
    if (v < 0 && nonzero) *o++ = '-';
    for (int i = first; i < nr - decimals; i++) *o++ = r[i];
    if (decimals > 0) {
        *o++ = '.';
        for (int i = nr - decimals; i < nr; i++) *o++ = r[i];
    }
    *o = '\0';
}

/* Non-finite values give "" (an empty CSV field); JSON writers test
 * isfinite() first and write null instead. */
static const char *fmt_fixed(char *buf, double v, int decimals)
{
    if (!isfinite(v)) {
        buf[0] = '\0';
    } else if (fabs(v) < DECIMAL_LIMIT) {
        fmt_decimal(buf, v, decimals);
    } else if (fabs(v) < FIXED_LIMIT) {
        snprintf(buf, 32, "%.*f", decimals, v);
    } else {
        snprintf(buf, 32, "%.17g", v);
    }
    return buf;
}

const char *out_fmt_amount(char *buf, double v)
{
    return fmt_fixed(buf, v, 2);
}

const char *out_fmt_number(char *buf, double v)
{
    fmt_fixed(buf, v, 6);
    if (strchr(buf, '.') && !strchr(buf, 'e')) {
        size_t n = strlen(buf);
        while (n > 0 && buf[n - 1] == '0') buf[--n] = '\0';
        if (n > 0 && buf[n - 1] == '.') buf[--n] = '\0';
    }
    if (strcmp(buf, "-0") == 0) strcpy(buf, "0");
    return buf;
}

/* What the escapers do with the character at u (see docs/limits.md): text
 * from the inputs may hold control characters (ESC sequences would act on a
 * terminal that shows a report), C1 controls, bidi overrides that make a
 * line read differently from its bytes, and, from SQLite, invalid UTF-8. */
enum { CH_OK, CH_SPACE, CH_CONTROL, CH_BIDI, CH_INVALID };

static int classify(const unsigned char *u, int *len, unsigned *cp)
{
    unsigned c = u[0];
    *cp = c;
    *len = 1;
    if (c == '\t' || c == '\n' || c == '\r') return CH_SPACE;
    if (c < 0x20 || c == 0x7F) return CH_CONTROL;
    if (c < 0x80) return CH_OK;
    int n = md_utf8_len((const char *)u, cp);
    if (n == 0) return CH_INVALID;
    *len = n;
    if (*cp >= 0x80 && *cp <= 0x9F) return CH_CONTROL;
    if (md_bidi_cp(*cp)) return CH_BIDI;
    return CH_OK;
}

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* TAB, CR and LF stay (RFC 4180 quotes them); every other control
 * character, bidi control and invalid byte becomes U+FFFD. */
void out_csv_field(FILE *f, const char *s)
{
    if (!s) return;
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote) fputc('"', f);
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n;
        unsigned cp;
        int k = classify(u, &n, &cp);
        if (k == CH_OK || k == CH_SPACE) {
            if (*u == '"') fputc('"', f);
            fwrite(u, 1, (size_t)n, f);
        } else {
            fputs(REPLACEMENT, f);
        }
        u += n;
    }
    if (quote) fputc('"', f);
}

void out_json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    const unsigned char *u = (const unsigned char *)s;
    fputc('"', f);
    while (*u) {
        unsigned c = *u;
        switch (c) {
        case '"': fputs("\\\"", f); u++; continue;
        case '\\': fputs("\\\\", f); u++; continue;
        case '\b': fputs("\\b", f); u++; continue;
        case '\f': fputs("\\f", f); u++; continue;
        case '\n': fputs("\\n", f); u++; continue;
        case '\r': fputs("\\r", f); u++; continue;
        case '\t': fputs("\\t", f); u++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            fprintf(f, "\\u%04x", c);
            u++;
            continue;
        }
        int n;
        unsigned cp;
        int k = classify(u, &n, &cp);
        if (k == CH_INVALID) { /* U+FFFD keeps the file valid JSON */
            fputs("\\ufffd", f);
        } else if (k != CH_OK) { /* C1 and bidi controls: escaped, never raw */
            fprintf(f, "\\u%04x", cp);
        } else {
            fwrite(u, 1, (size_t)n, f);
        }
        u += n;
    }
    fputc('"', f);
}

/* Control characters other than TAB, CR and LF, bidi controls and invalid
 * bytes become U+FFFD. */
void out_html_text(FILE *f, const char *s)
{
    if (!s) return;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n;
        unsigned cp;
        int k = classify(u, &n, &cp);
        if (k != CH_OK && k != CH_SPACE) {
            fputs(REPLACEMENT, f);
            u += n;
            continue;
        }
        switch (*u) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fwrite(u, 1, (size_t)n, f); break;
        }
        u += n;
    }
}

/* Backslash escapes are valid for any ASCII punctuation in CommonMark; these
 * are the ones that can start emphasis, code, links, raw HTML, entities,
 * headings or table cells. Line breaks and tabs become a space (a table row
 * is one line); other control characters, bidi controls and invalid bytes
 * become U+FFFD. */
void out_md_text(FILE *f, const char *s)
{
    if (!s) return;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n;
        unsigned cp;
        int k = classify(u, &n, &cp);
        if (k == CH_SPACE) {
            if (u[0] == '\r' && u[1] == '\n') n = 2;
            fputc(' ', f);
        } else if (k != CH_OK) {
            fputs(REPLACEMENT, f);
        } else if (n == 1 && strchr("\\`*_[]<>|#~&!", *u)) {
            fputc('\\', f);
            fputc(*u, f);
        } else {
            fwrite(u, 1, (size_t)n, f);
        }
        u += n;
    }
}
