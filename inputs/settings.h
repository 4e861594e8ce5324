/* inputs/settings.h — the scenario's settings keys (docs/formats.md, The scenario file):
 * name, currency, period, policy, solver, output. Internal to inputs/;
 * `include` is handled by scenario.c, which reads the files.
 * Ownership: everything kept is copied into the model's arena. */
#ifndef IN_SETTINGS_H
#define IN_SETTINGS_H
#include "yaml_reader.h"

/* Every key allowed only in the scenario file, `include` among them. */
extern const char *const in_settings_keys[];
extern const int in_nsettings_keys;
int in_is_settings_key(const char *key);

/* Checks one settings key's value (syntax and ranges: tiers shape, known
 * income groups, ISO 4217 currency, start ≤ end, …) and stores it in m->set.
 * output.dir is resolved against base_dir. Every problem goes to d. */
void in_settings_key(in_ydoc *doc, const in_ynode *key, const in_ynode *val,
                     const char *base_dir, md_model *m, md_diag *d);

/* dir/rel in a, or rel itself when it is absolute or dir is "" or ".";
 * NULL when out of memory. */
char *in_path_join(md_arena *a, const char *dir, const char *rel);

#endif
