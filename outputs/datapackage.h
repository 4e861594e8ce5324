/* outputs/datapackage.h — output format `datapackage` (outputs/datapackage.c). */
#ifndef OUT_DATAPACKAGE_H
#define OUT_DATAPACKAGE_H
#include "writers.h"

#define OUT_DATAPACKAGE_FILE "datapackage.json"

/* Stages donors.csv, countries.csv, topics.csv, courses.csv,
 * course_topics.csv and datapackage.json (which also describes the plan's
 * CSV files: the caller stages those with out_csv). 0 or an exit code,
 * reported. */
int out_datapackage(const out_ctx *cx);

#endif
