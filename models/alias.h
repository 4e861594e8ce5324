/* models/alias.h — topic aliases and the topic_map (models/alias.c), and
 * the quality estimate from ratings (models/quality.c): two validation
 * steps md_validate() runs. */
#ifndef MD_ALIAS_H
#define MD_ALIAS_H
#include "model.h"

/* Needs topic_ix. Checks every alias and topic_map entry (reporting to d),
 * builds alias_ix and rewrites topic references to canonical ids.
 * Returns 0, or -1 when out of memory. */
int md_aliases_resolve(md_model *m, md_diag *d);
/* The closest topic id to an unknown topic name, else the closest alias
 * (suggest.h rules), or NULL. */
const char *md_suggest_topic_name(const md_model *m, const char *ref);

/* Needs course_ix. Resolves every rating's course (reporting unknown ones),
 * keeps each course's declared quality in quality_declared and puts the
 * estimate a run uses into quality. Returns 0, or -1 when out of memory. */
int md_quality_estimate(md_model *m, md_diag *d);

#endif
