/* models/text.h — UTF-8 and unsafe characters, shared by the readers (which
 * refuse them in ids and quote input safely) and the writers (which replace
 * them in free text; docs/limits.md). Pure functions, no state. */
#ifndef MD_TEXT_H
#define MD_TEXT_H

/* Length (1–4) of the valid UTF-8 sequence at s and its code point in *cp
 * (may be NULL); 0 when invalid (overlong, surrogate, > U+10FFFF, NUL
 * inside). */
int md_utf8_len(const char *s, unsigned *cp);
/* 1 for code points that must never reach a terminal or a report raw: C0
 * controls, DEL, C1 controls (U+0080–U+009F) and the bidi overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069). */
int md_unsafe_cp(unsigned cp);
/* 1 for the bidi overrides and isolates alone. */
int md_bidi_cp(unsigned cp);

#endif
