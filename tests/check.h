/* tests/check.h — minimal unit-test assertions. Each test binary ends with
 * CHECK_DONE(), which prints "N passed, N failed" and returns the exit code. */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H
#include <stdio.h>
#include <string.h>
#include <math.h>

static int check_pass, check_fail;

#define CHECK(cond) do { \
    if (cond) check_pass++; \
    else { check_fail++; fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_STR(a, b) do { \
    const char *ca_ = (a), *cb_ = (b); \
    if (ca_ && cb_ && strcmp(ca_, cb_) == 0) check_pass++; \
    else { check_fail++; fprintf(stderr, "%s:%d: FAILED: %s == %s (\"%s\" vs \"%s\")\n", \
           __FILE__, __LINE__, #a, #b, ca_ ? ca_ : "(null)", cb_ ? cb_ : "(null)"); } \
} while (0)

#define CHECK_NEAR(a, b, eps) do { \
    double na_ = (a), nb_ = (b); \
    if (fabs(na_ - nb_) <= (eps)) check_pass++; \
    else { check_fail++; fprintf(stderr, "%s:%d: FAILED: %s ≈ %s (%.10g vs %.10g)\n", \
           __FILE__, __LINE__, #a, #b, na_, nb_); } \
} while (0)

#define CHECK_DONE() (printf("%d passed, %d failed\n", check_pass, check_fail), check_fail ? 1 : 0)

#endif
