/* inputs/iati_settings.h — the output.iati settings key (docs/formats.md,
 * iati-activities.xml): the reporting organisation of the IATI export.
 * Ownership: the texts kept are copied into the model's arena. */
#ifndef IN_IATI_SETTINGS_H
#define IN_IATI_SETTINGS_H
#include "yaml_reader.h"

/* Checks output.iati = {reporting_org: {ref, name, type}} and stores it in
 * m->set.iati_*; every problem goes to d (65). */
void in_iati_settings(in_ydoc *doc, const in_ynode *val, md_model *m, md_diag *d);

#endif
