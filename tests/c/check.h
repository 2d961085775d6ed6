/* Minimal test harness for the qpgo C tests: every CHECK counts one pass
 * or one failure; failures print the location, the expression and
 * qpgo_errmsg(). CHECK_SUMMARY() prints "<name>: N passed, M failed" and
 * returns the exit status (the Makefile sums these lines). */
#ifndef QPGO_CHECK_H
#define QPGO_CHECK_H
#include <stdio.h>
#include <string.h>
#include <math.h>
#include "qpgo.h"

static int check_passed = 0;
static int check_failed = 0;

#define CHECK_REPORT_FAIL(fmt, ...)                                         \
    do {                                                                    \
        check_failed++;                                                     \
        fprintf(stderr, "FAIL %s:%d: " fmt "\n", __FILE__, __LINE__,        \
                __VA_ARGS__);                                               \
    } while (0)

/* A boolean condition (msg is printed on failure). */
#define CHECK(cond, msg)                                                    \
    do {                                                                    \
        if (cond) check_passed++;                                           \
        else CHECK_REPORT_FAIL("%s (%s)", #cond, (msg));                    \
    } while (0)

/* A call that must return the given result code. */
#define CHECK_RC(expected, call)                                            \
    do {                                                                    \
        int check_rc_ = (call);                                             \
        if (check_rc_ == (expected)) check_passed++;                        \
        else CHECK_REPORT_FAIL("%s returned %d, expected %d; errmsg: %s",   \
                               #call, check_rc_, (int)(expected),           \
                               qpgo_errmsg());                              \
    } while (0)

#define CHECK_OK(call) CHECK_RC(QPGO_OK, call)

/* CHECK_OK that returns from the (void) test function on failure, so a
 * failed setup does not cascade into dozens of follow-up failures. */
#define REQUIRE_OK(call)                                                    \
    do {                                                                    \
        int check_before_ = check_failed;                                   \
        CHECK_OK(call);                                                     \
        if (check_failed != check_before_) {                                \
            fprintf(stderr, "  (skipping the rest of %s)\n", __func__);     \
            return;                                                         \
        }                                                                   \
    } while (0)

/* String equality. */
#define CHECK_STREQ(actual, expected)                                       \
    do {                                                                    \
        const char *check_a_ = (actual), *check_e_ = (expected);            \
        if (check_a_ && check_e_ && strcmp(check_a_, check_e_) == 0)        \
            check_passed++;                                                 \
        else CHECK_REPORT_FAIL("%s == \"%s\", expected \"%s\"", #actual,    \
                               check_a_ ? check_a_ : "(null)", check_e_);   \
    } while (0)

/* Substring presence. */
#define CHECK_CONTAINS(haystack, needle)                                    \
    do {                                                                    \
        const char *check_h_ = (haystack), *check_n_ = (needle);            \
        if (check_h_ && strstr(check_h_, check_n_)) check_passed++;         \
        else CHECK_REPORT_FAIL("%s does not contain \"%s\": \"%s\"",        \
                               #haystack, check_n_,                         \
                               check_h_ ? check_h_ : "(null)");             \
    } while (0)

#define CHECK_SUMMARY(name)                                                 \
    (printf("%s: %d passed, %d failed\n", (name), check_passed,             \
            check_failed),                                                  \
     fflush(stdout), check_failed ? 1 : 0)

/* Element-wise comparison of two double arrays: exact (tol < 0 means
 * bit-for-bit value equality, NaN matching NaN) or |a-e| <= tol*|e|+atol. */
static inline int check_arrays(const double *a, const double *e, long n,
                               double rtol, double atol, const char *what,
                               const char *file, int line) {
    for (long i = 0; i < n; i++) {
        int ok;
        if (isnan(e[i])) ok = isnan(a[i]);
        else if (rtol < 0) ok = a[i] == e[i];
        else ok = fabs(a[i] - e[i]) <= atol + rtol * fabs(e[i]);
        if (!ok) {
            check_failed++;
            fprintf(stderr, "FAIL %s:%d: %s[%ld] = %.17g, expected %.17g\n",
                    file, line, what, i, a[i], e[i]);
            return 0;
        }
    }
    check_passed++;
    return 1;
}
#define CHECK_ARRAY_EXACT(a, e, n, what) \
    check_arrays((a), (e), (n), -1, 0, (what), __FILE__, __LINE__)
#define CHECK_ARRAY_CLOSE(a, e, n, rtol, atol, what) \
    check_arrays((a), (e), (n), (rtol), (atol), (what), __FILE__, __LINE__)

#endif
