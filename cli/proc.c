/* cli/proc.c — see proc.h. */
#include "proc.h"
#include <signal.h>
#include <string.h>
#include <time.h>

void cli_catch_signals(void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int cli_cap_memory(double mb, int soft_only, struct rlimit *before)
{
#if defined(__SANITIZE_ADDRESS__)
    (void)mb; (void)soft_only; (void)before;
    return 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    (void)mb; (void)soft_only; (void)before;
    return 0;
#endif
#endif
    rlim_t want = (rlim_t)(mb * 1048576.0);
    struct rlimit old, rl;
    int known = getrlimit(RLIMIT_AS, &old) == 0;
    if (!known && soft_only) return -1; /* nothing to lift it back to */
    if (known && old.rlim_max != RLIM_INFINITY && old.rlim_max < want)
        want = old.rlim_max; /* never above a limit set from outside */
    if (soft_only) {
        rl = old;
        rl.rlim_cur = want;
    } else {
        rl.rlim_cur = rl.rlim_max = want;
    }
    if (setrlimit(RLIMIT_AS, &rl) != 0) return -1;
    if (before && known) *before = old;
    return 1;
}
