/* Unit tests for engine/stats: hand-computed summaries of small samples. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "engine/stats.h"

#define TOLERANCE 1e-12

/* cmocka 1.1 compares only floats; this compares doubles within tolerance. */
#define assert_close(actual, expected, tolerance) \
    assert_close_at((actual), (expected), (tolerance), __FILE__, __LINE__)

static void assert_close_at(double actual, double expected, double tolerance,
                            const char *file, int line)
{
    if (!(fabs(actual - expected) <= tolerance)) {
        print_error("%.17g is not within %g of %.17g\n", actual, tolerance, expected);
        _fail(file, line);
    }
}

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

/* {1,2,3,4,10}: mean 4; squared deviations 9+4+1+0+36 = 50, /4 = 12.5.
 * GSL quantile: index f*(n-1), linear interpolation between neighbours:
 *   p05: index 0.2 -> 1 + 0.2*(2-1) = 1.2
 *   p50: index 2.0 -> 3
 *   p95: index 3.8 -> 4 + 0.8*(10-4) = 8.8 */
static void test_small_sample(void **state)
{
    (void)state;
    double values[] = {10.0, 3.0, 1.0, 4.0, 2.0};
    struct sample_summary s;
    stats_summarize(values, 5, &s);
    assert_int_equal(s.n, 5);
    assert_close(s.mean, 4.0, TOLERANCE);
    assert_close(s.sd, sqrt(12.5), TOLERANCE);
    assert_close(s.se, sqrt(12.5) / sqrt(5.0), TOLERANCE);
    assert_close(s.se, sqrt(2.5), TOLERANCE);
    assert_close(s.p05, 1.2, TOLERANCE);
    assert_close(s.p50, 3.0, TOLERANCE);
    assert_close(s.p95, 8.8, TOLERANCE);
    /* sorted in place */
    const double sorted[] = {1.0, 2.0, 3.0, 4.0, 10.0};
    for (size_t i = 0; i < 5; i++)
        assert_true(values[i] == sorted[i]);
}

/* Even n: {-2, 0, 6, 8}: mean 3; deviations -5,-3,3,5 -> 68/3.
 *   p05: index 0.15 -> -2 + 0.15*2 = -1.7
 *   p50: index 1.5  -> 0 + 0.5*6 = 3
 *   p95: index 2.85 -> 6 + 0.85*2 = 7.7 */
static void test_even_sample_with_negatives(void **state)
{
    (void)state;
    double values[] = {8.0, -2.0, 6.0, 0.0};
    struct sample_summary s;
    stats_summarize(values, 4, &s);
    assert_int_equal(s.n, 4);
    assert_close(s.mean, 3.0, TOLERANCE);
    assert_close(s.sd, sqrt(68.0 / 3.0), TOLERANCE);
    assert_close(s.se, sqrt(68.0 / 3.0) / 2.0, TOLERANCE);
    assert_close(s.p05, -1.7, TOLERANCE);
    assert_close(s.p50, 3.0, TOLERANCE);
    assert_close(s.p95, 7.7, TOLERANCE);
}

static void test_single_value(void **state)
{
    (void)state;
    double values[] = {-7.25};
    struct sample_summary s;
    stats_summarize(values, 1, &s);
    assert_int_equal(s.n, 1);
    assert_true(s.mean == -7.25);
    assert_true(s.sd == 0.0);
    assert_true(s.se == 0.0);
    assert_true(s.p05 == -7.25);
    assert_true(s.p50 == -7.25);
    assert_true(s.p95 == -7.25);
}

static void test_identical_values(void **state)
{
    (void)state;
    double values[] = {2.5, 2.5, 2.5, 2.5, 2.5, 2.5};
    struct sample_summary s;
    stats_summarize(values, 6, &s);
    assert_int_equal(s.n, 6);
    assert_true(s.mean == 2.5);
    assert_true(s.sd == 0.0);
    assert_true(s.se == 0.0);
    assert_true(s.p05 == 2.5);
    assert_true(s.p50 == 2.5);
    assert_true(s.p95 == 2.5);
}

static void test_two_values(void **state)
{
    (void)state;
    /* {0, 1}: mean 0.5, sd sqrt(0.5), se 0.5; p05 0.05, p95 0.95 */
    double values[] = {1.0, 0.0};
    struct sample_summary s;
    stats_summarize(values, 2, &s);
    assert_close(s.mean, 0.5, TOLERANCE);
    assert_close(s.sd, sqrt(0.5), TOLERANCE);
    assert_close(s.se, 0.5, TOLERANCE);
    assert_close(s.p05, 0.05, TOLERANCE);
    assert_close(s.p50, 0.5, TOLERANCE);
    assert_close(s.p95, 0.95, TOLERANCE);
}

static void test_share_negative(void **state)
{
    (void)state;
    const double values[] = {-1.0, 0.0, -0.0, 2.0, -1e-300, 3.0, -5.0, 0.5};
    /* strictly below zero: -1, -1e-300, -5 (not 0.0, not -0.0) */
    assert_close(stats_share_negative(values, 8), 3.0 / 8.0, TOLERANCE);
    const double positives[] = {0.0, 1.0, 2.0};
    assert_true(stats_share_negative(positives, 3) == 0.0);
    const double negatives[] = {-3.0, -1.0};
    assert_true(stats_share_negative(negatives, 2) == 1.0);
    assert_true(stats_share_negative(values, 1) == 1.0);
}

/* The same double, bit for bit, but for the sign of a zero: zeros of both
 * signs are equal, and which of them a sort or a selection puts first is
 * arbitrary. */
static int same_double(double a, double b)
{
    return a == 0 && b == 0 ? 1 : memcmp(&a, &b, sizeof a) == 0;
}

/* stats_percentiles gives, bit for bit, GSL's quantiles of the sorted data
 * (and so stats_summarize's), for every size from 1 to 300 and larger ones,
 * with ties, repeated values, negatives and zeros of both signs. */
static void test_percentiles_by_selection(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 5);
    size_t sizes[310];
    size_t n_sizes = 0;
    for (size_t n = 1; n <= 300; n++)
        sizes[n_sizes++] = n;
    const size_t large[] = {999, 1000, 1001, 2000, 4096, 10007};
    for (size_t k = 0; k < sizeof large / sizeof large[0]; k++)
        sizes[n_sizes++] = large[k];
    for (size_t k = 0; k < n_sizes; k++) {
        size_t n = sizes[k];
        double *values = malloc(n * sizeof *values), *sorted = malloc(n * sizeof *sorted);
        assert_non_null(values);
        assert_non_null(sorted);
        for (size_t i = 0; i < n; i++) {
            double u = gsl_rng_uniform(rng);
            switch (k % 4) {
            case 0: values[i] = u * 1e6 - 3e5; break;                /* spread */
            case 1: values[i] = floor(u * 5);  break;                /* many ties */
            case 2: values[i] = u < 0.5 ? -0.0 : 0.0; break;         /* signed zeros */
            default: values[i] = i % 7 == 0 ? 1e300 : u; break;     /* a few huge */
            }
            sorted[i] = values[i];
        }
        gsl_sort(sorted, 1, n);
        double p05, p50, p95;
        stats_percentiles(values, n, &p05, &p50, &p95);
        double e05 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.05);
        double e50 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.50);
        double e95 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.95);
        if (!same_double(p05, e05) || !same_double(p50, e50) || !same_double(p95, e95))
            fail_msg("n %zu: %.17g %.17g %.17g against %.17g %.17g %.17g", n, p05, p50, p95, e05,
                     e50, e95);
        free(values);
        free(sorted);
    }
    gsl_rng_free(rng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_sample),
        cmocka_unit_test(test_even_sample_with_negatives),
        cmocka_unit_test(test_single_value),
        cmocka_unit_test(test_identical_values),
        cmocka_unit_test(test_two_values),
        cmocka_unit_test(test_share_negative),
        cmocka_unit_test(test_percentiles_by_selection),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
