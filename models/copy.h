/* models/copy.h — a loaded model copied back to its unvalidated state, so
 * that a what-if variant can be edited and validated again without
 * re-reading the input files.
 * Ownership: the copy owns its entity arrays and arena, but its strings and
 * string lists point into src's arena: src must outlive the copy. */
#ifndef MD_COPY_H
#define MD_COPY_H
#include "model.h"

/* Fills dst (not initialised by the caller) with src's settings and
 * entities in src's order, without the derived data (indexes, resolved
 * indexes, converted amounts), as a reader would have left them. Returns 0,
 * or -1 when out of memory (dst is then freed). */
int md_model_copy(md_model *dst, const md_model *src);

#endif
