/* cli/sweep.h — `capmatch sweep` (docs/formats.md, The sweep command). */
#ifndef CLI_SWEEP_H
#define CLI_SWEEP_H

/* Runs `capmatch sweep ...` (argv[1] is "sweep"); returns the exit code,
 * -1 for a usage error (after its message) or CLI_SWEEP_HELP for --help. */
#define CLI_SWEEP_HELP (-2)
int cli_sweep(int argc, char **argv);

#endif
