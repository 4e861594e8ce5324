/* cli/proc.h — process set-up shared by `run` (cli/main.c) and `sweep`
 * (cli/sweep.c): the stop signals, the monotonic clock and the
 * address-space cap behind --memory-limit (docs/formats.md, Command line). */
#ifndef CLI_PROC_H
#define CLI_PROC_H
#include <sys/resource.h>

/* SIGINT, SIGTERM and SIGHUP (a coordinator's SSH session dropping) all go
 * to handler. */
void cli_catch_signals(void (*handler)(int));

/* Seconds on the monotonic clock. */
double cli_now(void);

/* Caps the address space (RLIMIT_AS) at mb MB, never above a cap set from
 * outside. soft_only: only the soft limit is lowered, so that the process
 * can lift it again (to *before, the limits it had) to record that it
 * failed; otherwise both limits are set. Sanitizer builds reserve terabytes
 * of address space up front, so there nothing is capped and only GLPK's own
 * limit applies. Returns 1 when capped, 0 in a sanitizer build, -1 (errno
 * set) when the limit cannot be set. */
int cli_cap_memory(double mb, int soft_only, struct rlimit *before);

#endif
