/* bench/knap_dp.c -- the exact optimum of a 0/1 knapsack by dynamic
 * programming, for the knapsack families of `make bench BENCH_MODE=knap`.
 * Independent of capmatch on purpose (it checks capmatch's stage 1).
 *
 *   knap_dp FILE [MAX_CELLS]
 *
 * FILE: "n c" on the first line, then n lines "w p" (positive integers;
 * bench/knap_instance.py writes it as knap.txt). Prints the largest total
 * profit of items whose weights sum to at most c, or "no DP" when n * c
 * exceeds MAX_CELLS (default 4e9). Exit 0 on an answer, 1 on bad input or
 * no memory, 2 on bad arguments.
 *
 * best[x] is the largest profit within capacity x over the items seen so
 * far; each item updates it from high x to low, so that it is used at
 * most once. Only x >= c - (weight of the items still to come) can still
 * reach best[c], so lower capacities are left alone. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int read_long(FILE *f, long long *v)
{
    return fscanf(f, "%lld", v) == 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: knap_dp FILE [MAX_CELLS]\n");
        return 2;
    }
    double max_cells = 4e9;
    if (argc == 3) {
        char *end;
        errno = 0;
        max_cells = strtod(argv[2], &end);
        if (errno || end == argv[2] || *end || !(max_cells >= 0)) {
            fprintf(stderr, "knap_dp: MAX_CELLS must be a number >= 0\n");
            return 2;
        }
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    long long n, c;
    if (!read_long(f, &n) || !read_long(f, &c) || n < 0 || n > 100000000 || c < 0 ||
        c > 2000000000LL) {
        fprintf(stderr, "knap_dp: %s: first line must be \"n c\" (0 <= n <= 1e8, 0 <= c <= 2e9)\n",
                argv[1]);
        fclose(f);
        return 1;
    }
    long long *w = malloc(((size_t)n + 1) * sizeof *w);
    long long *p = malloc(((size_t)n + 1) * sizeof *p);
    if (!w || !p) {
        fprintf(stderr, "knap_dp: out of memory\n");
        free(w); free(p); fclose(f);
        return 1;
    }
    for (long long i = 0; i < n; i++) {
        if (!read_long(f, &w[i]) || !read_long(f, &p[i]) || w[i] < 1 || p[i] < 1 ||
            w[i] > 1000000000LL || p[i] > 1000000000LL) {
            fprintf(stderr, "knap_dp: %s: item %lld: expected \"w p\", positive integers up to 1e9\n",
                    argv[1], i + 1);
            free(w); free(p); fclose(f);
            return 1;
        }
    }
    fclose(f);
    if ((double)n * (double)c > max_cells) {
        printf("no DP\n");
        free(w); free(p);
        return 0;
    }
    int64_t *best = calloc((size_t)c + 1, sizeof *best);
    if (!best) {
        fprintf(stderr, "knap_dp: out of memory (capacity %lld)\n", c);
        free(w); free(p);
        return 1;
    }
    long long rest = 0; /* weight of the items after the current one */
    for (long long i = 0; i < n; i++) rest += w[i];
    for (long long i = 0; i < n; i++) {
        rest -= w[i];
        long long lo = c - rest > w[i] ? c - rest : w[i];
        int64_t pi = p[i];
        long long wi = w[i];
        for (long long x = c; x >= lo; x--) {
            int64_t v = best[x - wi] + pi;
            if (v > best[x]) best[x] = v;
        }
    }
    printf("%lld\n", (long long)best[c]);
    free(best); free(w); free(p);
    return 0;
}
