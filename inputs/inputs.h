/* inputs/inputs.h — the front of the pipeline: scenario file → model.
 * Ownership: everything read is stored in the caller's md_model (its arena);
 * nothing is kept between calls. */
#ifndef IN_INPUTS_H
#define IN_INPUTS_H
#include "../models/model.h"

/* Reads the scenario at path, its includes (YAML files and SQLite databases)
 * and inline entities into m (initialised by the caller), fills m->set,
 * m->input_files and m->input_digest, then runs md_validate(). Every problem
 * is reported to d. Returns 0, or the exit code (65, 66; 70 when out of
 * memory). */
int in_load(const char *path, md_model *m, md_diag *d);

#endif
