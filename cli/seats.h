/* cli/seats.h — a plan read back from a file (results.db's latest run for
 * the stability stage, a sweep variant's variant.tsv for the starting
 * plans) put on a model's indices, one (country code, course id, seats)
 * row at a time. */
#ifndef CLI_SEATS_H
#define CLI_SEATS_H
#include "../engine/engine.h"

/* Puts the row at seat[*n] (room for one more) on m's indices, or, when m
 * has no such country or course, adds its seats to *gone; a row without
 * seats is skipped. */
void cli_seat_put(const md_model *m, const char *country, const char *course, long seats, eng_prev_seat *seat,
                  int *n, long *gone);

#endif
