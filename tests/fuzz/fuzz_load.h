/* tests/fuzz/fuzz_load.h — what both fuzz targets do with their file: the
 * whole load-and-validate path, messages counted but not printed. */
#ifndef FUZZ_LOAD_H
#define FUZZ_LOAD_H
#include "../../inputs/inputs.h"
#include <stdint.h>
#include <stdio.h>

/* Writes data to path, then loads scenario (which is path or includes it). */
static void fuzz_load(const char *path, const uint8_t *data, size_t size, const char *scenario)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(data, 1, size, f);
    fclose(f);
    md_diag d;
    md_diag_init(&d, NULL);
    md_model m;
    md_model_init(&m);
    in_load(scenario, &m, &d);
    md_model_free(&m);
}
#endif
