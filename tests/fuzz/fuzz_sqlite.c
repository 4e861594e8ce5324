/* tests/fuzz/fuzz_sqlite.c — libFuzzer target: arbitrary bytes as an input
 * database included by a fixed scenario (SQLite reader, field checks,
 * md_validate). Seeds are real databases written by the sqlite3 CLI. */
#include "fuzz_load.h"
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64], db[96], scen[96];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/capmatch-fuzzdb-%d", (int)getpid());
        snprintf(db, sizeof db, "%s/in.db", dir);
        snprintf(scen, sizeof scen, "%s/scenario.yaml", dir);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
        if (system(cmd) != 0) return 0;
        FILE *s = fopen(scen, "w");
        if (!s) return 0;
        fputs("name: fuzz\ncurrency: USD\ninclude: [in.db]\n", s);
        fclose(s);
    }
    fuzz_load(db, data, size, scen);
    return 0;
}
