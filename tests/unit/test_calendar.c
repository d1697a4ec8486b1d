/* Tests of models/calendar.h: month_of against the definition of a month
 * (month_start(m) <= t < month_start(m + 1)), at and around every boundary
 * and at random days, and the exactness its arithmetic rests on. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "models/calendar.h"

/* The month of t by the definition: the m whose boundaries enclose t. */
static size_t month_by_definition(double t)
{
    size_t m = (size_t)(t / AVRR_DAYS_PER_MONTH);
    while (m > 0 && month_start(m) > t)
        m--;
    while (month_start(m + 1) <= t)
        m++;
    return m;
}

static void test_a_month_is_487_sixteenths_of_a_day(void **state)
{
    (void)state;
    assert_true(AVRR_DAYS_PER_MONTH == AVRR_SIXTEENTHS_PER_MONTH / 16.0);
    assert_true(AVRR_DAYS_PER_MONTH * 16.0 == (double)AVRR_SIXTEENTHS_PER_MONTH);
}

static void test_month_of_at_the_boundaries(void **state)
{
    (void)state;
    /* every month to 1,000 years past the model's last day, and far months */
    size_t last = (size_t)(AVRR_LAST_DAY / AVRR_DAYS_PER_MONTH) + 13000;
    for (size_t m = 0; m <= last; m++) {
        double start = month_start(m);
        assert_int_equal(month_of(start), m);
        assert_int_equal(month_of(nextafter(start, INFINITY)), m);
        if (m > 0)
            assert_int_equal(month_of(nextafter(start, 0)), m - 1);
        assert_int_equal(month_of(start + AVRR_DAYS_PER_MONTH / 2), m);
    }
    /* to the last month whose start is exact (487 m < 2^53) */
    size_t far[] = {(size_t)1 << 30, ((size_t)1 << 40) + 3, ((size_t)1 << 44) - 1};
    for (size_t k = 0; k < sizeof far / sizeof far[0]; k++) {
        double start = month_start(far[k]);
        assert_int_equal(month_of(start), far[k]);
        assert_int_equal(month_of(nextafter(start, 0)), far[k] - 1);
    }
    assert_int_equal(month_of(0.0), 0);
}

static void test_month_of_random_days(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 29);
    for (int i = 0; i < 2000000; i++) {
        /* days across the model's range, and whole and half days, which
         * meet the boundaries more often */
        double t = gsl_rng_uniform(rng) * (i % 2 ? AVRR_LAST_DAY : 3000.0);
        if (i % 5 == 0)
            t = floor(t);
        else if (i % 5 == 1)
            t = floor(2 * t) / 2;
        size_t expected = month_by_definition(t);
        if (month_of(t) != expected)
            fail_msg("month_of(%.17g) = %zu, by definition %zu", t, month_of(t), expected);
    }
    gsl_rng_free(rng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_month_is_487_sixteenths_of_a_day),
        cmocka_unit_test(test_month_of_at_the_boundaries),
        cmocka_unit_test(test_month_of_random_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
