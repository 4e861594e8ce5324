/* tests/fuzz/fuzz_yaml.c — libFuzzer target: arbitrary bytes as a scenario
 * file through the whole load-and-validate path (YAML reader, includes of the
 * fixed fixtures next to it, field checks, md_validate). */
#include "fuzz_load.h"
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/capmatch-fuzz-%d.yaml", (int)getpid());
    fuzz_load(path, data, size, path);
    return 0;
}
