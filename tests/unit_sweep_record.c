/* tests/unit_sweep_record.c — a variant's plan as variant.tsv records it
 * for later variants' starting plans (outputs/sweep.c): used only when the
 * record is whole (the count line matches its seat lines, each well formed,
 * no line cut), and the variants each stage started from read back. */
#include "check.h"
#include "../outputs/sweep.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *HEAD = "state\tdone\nstatus\toptimal\nscore\t10\nscore_bound\t10\ntotal_cost\t5\n"
                          "seats\t3\nneeds_fully_covered\t1\nseats_covered\t3\n";

static int read_with(const char *dir, const char *tail, out_sweep_result *r)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, OUT_SWEEP_RESULT_FILE);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(HEAD, f);
    fputs(tail, f);
    fclose(f);
    return out_sweep_result_read(dir, r);
}

int main(void)
{
    char dir[] = "/tmp/capmatch-record-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    out_sweep_result r;

    CHECK(read_with(dir, "plan\t2\nseat\tKEN\tc-1\t2\nseat\tGHA\tc 2\t1\nstarted\tbase\t\tb=2\n", &r) == 0);
    CHECK(r.state == OUT_SW_DONE && r.plan == 1 && r.nseat == 2);
    if (r.nseat == 2) {
        CHECK_STR(r.seat[0].country, "KEN");
        CHECK_STR(r.seat[1].course, "c 2");
        CHECK(r.seat[0].seats == 2 && r.seat[1].seats == 1);
    }
    CHECK_STR(r.started[0], "base");
    CHECK_STR(r.started[1], "");
    CHECK_STR(r.started[2], "b=2");
    out_sweep_result_free(&r);

    CHECK(read_with(dir, "plan\t0\n", &r) == 0); /* the empty plan is a plan */
    CHECK(r.plan == 1 && r.nseat == 0);
    out_sweep_result_free(&r);

    CHECK(read_with(dir, "plan\t3\nseat\tKEN\tc-1\t2\nseat\tGHA\tc2\t1\n", &r) == 0); /* a seat line lost */
    CHECK(r.state == OUT_SW_DONE && r.plan == 0);
    out_sweep_result_free(&r);

    CHECK(read_with(dir, "seat\tKEN\tc-1\t2\n", &r) == 0); /* no count: an older record */
    CHECK(r.plan == 0);
    out_sweep_result_free(&r);

    CHECK(read_with(dir, "plan\t1\nseat\tKEN\tc-1\t-2\n", &r) == 0);
    CHECK(r.plan == 0);
    out_sweep_result_free(&r);

    CHECK(read_with(dir, "plan\t1\nseat\tKEN\tc-1\n", &r) == 0);
    CHECK(r.plan == 0);
    out_sweep_result_free(&r);

    char *longline = malloc(3000);
    CHECK(longline != NULL);
    if (longline) {
        strcpy(longline, "plan\t1\nseat\tKEN\t");
        size_t n = strlen(longline);
        memset(longline + n, 'x', 2000);
        strcpy(longline + n + 2000, "\t1\n");
        CHECK(read_with(dir, longline, &r) == 0); /* cut by the reader's line buffer */
        CHECK(r.plan == 0);
        out_sweep_result_free(&r);
        free(longline);
    }

    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, OUT_SWEEP_RESULT_FILE);
    unlink(path);
    rmdir(dir);
    return CHECK_DONE();
}
