/* Unit tests for models/uniform_fill: with taus2 and taus, each lane of a
 * column is, bit for bit, GSL's generator seeded as the header says (lane 0
 * the stream itself, lane l seeded with the l-th word drawn from the stream
 * at the start), over millions of draws in columns of every small length
 * and of odd lengths, back to back; any other generator gives
 * gsl_rng_uniform's own sequence; the lanes together are uniform and
 * uncorrelated (moments and serial correlations within 3 standard errors);
 * a column depends only on the stream, not on what the filler did before. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "models/uniform_fill.h"

enum { L = UNIFORM_LANES };

/* L reference generators for a stream of this type seeded with seed: what
 * uniform_fill_start makes of it. */
static void reference_lanes(gsl_rng *lane[L], const gsl_rng_type *type, unsigned long seed)
{
    for (int l = 0; l < L; l++) {
        lane[l] = gsl_rng_alloc(type);
        assert_non_null(lane[l]);
    }
    gsl_rng_set(lane[0], seed);
    for (int l = 1; l < L; l++)
        gsl_rng_set(lane[l], gsl_rng_get(lane[0]));
}

/* n from the filler against the references: element i from lane i mod L. */
static void check_column(struct uniform_fill *f, gsl_rng *lane[L], double *values, size_t n)
{
    uniform_fill_next(f, values, n);
    for (size_t i = 0; i < n; i++)
        assert_true(values[i] == gsl_rng_uniform(lane[i % L]));
}

static void check_lanes_match_gsl(const gsl_rng_type *type)
{
    struct uniform_fill f;
    assert_int_equal(uniform_fill_init(&f, type), 0);
    assert_true(f.lanes);
    enum { LONG = 1000003 };
    double *values = malloc(LONG * sizeof *values);
    assert_non_null(values);
    gsl_rng *stream = gsl_rng_alloc(type);
    assert_non_null(stream);
    for (unsigned long seed = 1; seed <= 3; seed++) {
        gsl_rng *lane[L];
        reference_lanes(lane, type, seed * 2654435761UL);
        gsl_rng_set(stream, seed * 2654435761UL);
        uniform_fill_start(&f, stream);
        for (size_t n = 0; n <= 2 * L + 3; n++)   /* every short length, back to back */
            check_column(&f, lane, values, n);
        check_column(&f, lane, values, LONG);
        check_column(&f, lane, values, LONG - 2 * L);
        check_column(&f, lane, values, 3);
        /* lane 0 is the stream: it is where GSL's lane 0 is */
        for (int i = 0; i < 5; i++)
            assert_int_equal(gsl_rng_get(stream), gsl_rng_get(lane[0]));
        /* a new start draws the new lanes' seeds from the stream */
        uniform_fill_start(&f, stream);
        for (int l = 1; l < L; l++)
            gsl_rng_set(lane[l], gsl_rng_get(lane[0]));
        check_column(&f, lane, values, 5 * L + 1);
        check_column(&f, lane, values, LONG);
        for (int l = 0; l < L; l++)
            gsl_rng_free(lane[l]);
    }
    gsl_rng_free(stream);
    free(values);
    uniform_fill_clear(&f);
}

static void test_lanes_are_gsl_taus2_and_taus(void **state)
{
    (void)state;
    check_lanes_match_gsl(gsl_rng_taus2);
    check_lanes_match_gsl(gsl_rng_taus);
}

/* Other generators: no lanes, the stream's own numbers in order (a start
 * draws nothing). */
static void test_other_generators_through_gsl(void **state)
{
    (void)state;
    const gsl_rng_type *types[] = {gsl_rng_mt19937, gsl_rng_gfsr4, gsl_rng_ranlxd1};
    enum { N = 20000 };
    double *values = malloc(N * sizeof *values);
    assert_non_null(values);
    for (size_t t = 0; t < sizeof types / sizeof *types; t++) {
        struct uniform_fill f;
        assert_int_equal(uniform_fill_init(&f, types[t]), 0);
        assert_false(f.lanes);
        gsl_rng *stream = gsl_rng_alloc(types[t]), *reference = gsl_rng_alloc(types[t]);
        assert_non_null(stream);
        assert_non_null(reference);
        gsl_rng_set(stream, 4242);
        gsl_rng_set(reference, 4242);
        for (size_t n = 0; n < 12; n++) {
            uniform_fill_start(&f, stream);
            uniform_fill_next(&f, values, n);
            for (size_t i = 0; i < n; i++)
                assert_true(values[i] == gsl_rng_uniform(reference));
        }
        uniform_fill_next(&f, values, N);
        for (size_t i = 0; i < N; i++)
            assert_true(values[i] == gsl_rng_uniform(reference));
        gsl_rng_free(stream);
        gsl_rng_free(reference);
        uniform_fill_clear(&f);
    }
    free(values);
}

/* A column of 2^21 from one start: mean 1/2 and variance 1/12 (the variance
 * of (u - 1/2)^2 is 1/80 - 1/144); the correlation of neighbours at lags 1
 * .. L (lag 1 to L - 1: two lanes at the same step, or one step apart; lag
 * L: a lane with itself) below 3 / sqrt(n) (its standard error for
 * independent values is 1 / sqrt(n)); and the lanes' first outputs all
 * differ. Lanes that were copies of one another, or shifted copies, would
 * fail. */
static void test_lanes_uniform_and_uncorrelated(void **state)
{
    (void)state;
    enum { N = 1 << 21 };
    double *u = malloc(N * sizeof *u);
    assert_non_null(u);
    struct uniform_fill f;
    assert_int_equal(uniform_fill_init(&f, gsl_rng_taus2), 0);
    gsl_rng *stream = gsl_rng_alloc(gsl_rng_taus2);
    assert_non_null(stream);
    gsl_rng_set(stream, 20111212);
    uniform_fill_start(&f, stream);
    uniform_fill_next(&f, u, N);
    for (int a = 0; a < L; a++)
        for (int b = a + 1; b < L; b++)
            assert_true(u[a] != u[b]);
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < N; i++) {
        sum += u[i];
        sum2 += (u[i] - 0.5) * (u[i] - 0.5);
    }
    double n = N;
    assert_true(fabs(sum / n - 0.5) < 3.0 * sqrt(1.0 / 12.0 / n));
    assert_true(fabs(sum2 / n - 1.0 / 12.0) < 3.0 * sqrt((1.0 / 80 - 1.0 / 144) / n));
    for (size_t lag = 1; lag <= L; lag++) {
        double c = 0;
        for (size_t i = 0; i + lag < N; i++)
            c += (u[i] - 0.5) * (u[i + lag] - 0.5);
        double correlation = c / (double)(N - lag) * 12.0;
        assert_true(fabs(correlation) < 3.0 / sqrt(n));
    }
    gsl_rng_free(stream);
    uniform_fill_clear(&f);
    free(u);
}

/* The same stream state gives the same column, whatever the filler filled
 * before (on another stream, ending mid-group); another seed differs. */
static void test_column_depends_only_on_stream(void **state)
{
    (void)state;
    enum { N = 1001 };
    double first[N], second[N], scratch[37];
    struct uniform_fill fresh, used;
    assert_int_equal(uniform_fill_init(&fresh, gsl_rng_taus2), 0);
    assert_int_equal(uniform_fill_init(&used, gsl_rng_taus2), 0);
    gsl_rng *other = gsl_rng_alloc(gsl_rng_taus2), *stream = gsl_rng_alloc(gsl_rng_taus2);
    assert_non_null(other);
    assert_non_null(stream);
    gsl_rng_set(other, 5);
    uniform_fill_start(&used, other);
    uniform_fill_next(&used, scratch, 37);
    gsl_rng_set(stream, 77);
    uniform_fill_start(&fresh, stream);
    uniform_fill_next(&fresh, first, N);
    gsl_rng_set(stream, 77);
    uniform_fill_start(&used, stream);
    uniform_fill_next(&used, second, N);
    assert_memory_equal(first, second, sizeof first);
    gsl_rng_set(stream, 78);
    uniform_fill_start(&used, stream);
    uniform_fill_next(&used, second, N);
    assert_true(memcmp(first, second, sizeof first) != 0);
    gsl_rng_free(other);
    gsl_rng_free(stream);
    uniform_fill_clear(&fresh);
    uniform_fill_clear(&used);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lanes_are_gsl_taus2_and_taus),
        cmocka_unit_test(test_other_generators_through_gsl),
        cmocka_unit_test(test_lanes_uniform_and_uncorrelated),
        cmocka_unit_test(test_column_depends_only_on_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
