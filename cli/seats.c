/* cli/seats.c — see seats.h. */
#include "seats.h"

void cli_seat_put(const md_model *m, const char *country, const char *course, long seats, eng_prev_seat *seat,
                  int *n, long *gone)
{
    if (seats <= 0) return;
    int c = md_find_country(m, country), k = md_find_course(m, course);
    if (c < 0 || k < 0) *gone += seats;
    else seat[(*n)++] = (eng_prev_seat){ c, k, seats };
}
