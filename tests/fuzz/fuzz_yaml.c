/* tests/fuzz/fuzz_yaml.c — libFuzzer target: arbitrary bytes as a scenario
 * file through the whole load-and-validate path (YAML reader, includes of the
 * fixed fixtures next to it, field checks, md_validate). */
#include "../../inputs/inputs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/capmatch-fuzz-%d.yaml", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    md_diag d;
    md_diag_init(&d, NULL);
    md_model m;
    md_model_init(&m);
    in_load(path, &m, &d);
    md_model_free(&m);
    return 0;
}
