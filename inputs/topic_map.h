/* inputs/topic_map.h — the scenario's topic_map file: a YAML mapping of
 * external topic names to topic ids, read into m->aliases. Internal to
 * inputs/. Ownership: strings kept are copied into m's arena. */
#ifndef IN_TOPIC_MAP_H
#define IN_TOPIC_MAP_H
#include "yaml_reader.h"

/* Adds every `name: topic-id` pair of doc's top mapping to m->aliases,
 * reporting (positioned in the file) a top level that is not a mapping,
 * names and ids that are not text, too long or unsafe. md_validate()
 * checks later that each id exists and no name is claimed twice. */
void in_topic_map_read(in_ydoc *doc, md_model *m, md_diag *d);

#endif
