/* Unit tests for the draws of models/people: the days of each month are in
 * order, inside their month, uniform within it (moments and a
 * Kolmogorov-Smirnov distance against their closed forms) and depend only
 * on (seed, replication); the uniform and exponential columns are
 * uniform_fill's numbers from their own streams, for taus2 (lanes) and for
 * a generator without lanes; keyed draws (processing times, re-migration
 * delays) have their distribution's moments and do not depend on the order
 * in which persons ask for them. */
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
#include <gsl/gsl_sort.h>

#include "engine/dist.h"
#include "engine/rng.h"
#include "models/avrr.h"
#include "models/keyed_column.h"
#include "models/people.h"
#include "models/uniform_fill.h"

static void set_arrivals(struct avrr_params *a, double months, double per_month)
{
    memset(a, 0, sizeof *a);
    a->horizon_months = months;
    a->start = -1;
    a->arrivals.per_month = per_month;
    a->arrivals.variance_ratio = 1.0;
}

/* Days in order, each inside its own month; the position within the month
 * (day / month length, fractional part) is uniform: mean 1/2, variance
 * 1/12 (3 standard errors) and the Kolmogorov-Smirnov distance of their
 * sorted values below its 0.1% critical value 1.95 / sqrt(n). */
static void test_arrival_days_ordered_and_uniform(void **state)
{
    (void)state;
    struct avrr_params a;
    set_arrivals(&a, 24, 700);
    const struct avrr_params *params[1] = {&a};
    struct people_needs needs;
    memset(&needs, 0, sizeof needs);
    struct people pp;
    assert_int_equal(people_init(&pp, gsl_rng_taus2, 1), 0);
    size_t n_all = 0, capacity = 0;
    double *position = NULL;
    double sum = 0, sum2 = 0;
    for (uint64_t r = 0; r < 30; r++) {
        assert_int_equal(people_draw(&pp, 12345, r, &a, params, &needs), 0);
        size_t at = 0;
        for (size_t m = 0; m < pp.months; m++) {
            double lo = (double)m * AVRR_DAYS_PER_MONTH, hi = (double)(m + 1) * AVRR_DAYS_PER_MONTH;
            for (size_t k = 0; k < pp.month_count[m]; k++, at++) {
                double d = pp.day[at];
                assert_true(d >= lo && d < hi);
                if (at > 0)
                    assert_true(pp.day[at - 1] <= d);
                double x = (d - lo) / AVRR_DAYS_PER_MONTH;
                sum += x;
                sum2 += (x - 0.5) * (x - 0.5);
                if (n_all == capacity) {
                    capacity = capacity ? 2 * capacity : 65536;
                    position = realloc(position, capacity * sizeof *position);
                    assert_non_null(position);
                }
                position[n_all++] = x;
            }
        }
        assert_int_equal(at, pp.arrivals);
    }
    double n = (double)n_all;
    assert_true(fabs(sum / n - 0.5) < 3.0 * sqrt(1.0 / 12.0 / n));
    /* the variance of (x - 1/2)^2 for a uniform x is 1/80 - 1/144 */
    assert_true(fabs(sum2 / n - 1.0 / 12.0) < 3.0 * sqrt((1.0 / 80 - 1.0 / 144) / n));
    gsl_sort(position, 1, n_all);
    double distance = 0;
    for (size_t i = 0; i < n_all; i++) {
        double below = position[i] - (double)i / n, above = (double)(i + 1) / n - position[i];
        distance = fmax(distance, fmax(below, above));
    }
    assert_true(distance < 1.95 / sqrt(n));
    free(position);
    people_clear(&pp);
}

/* The same (seed, replication) gives the same days whatever was drawn
 * before, on another worker's storage; another replication differs. */
static void test_days_depend_only_on_seed_and_replication(void **state)
{
    (void)state;
    struct avrr_params a, small;
    set_arrivals(&a, 12, 500);
    set_arrivals(&small, 3, 20);
    const struct avrr_params *params[1] = {&a}, *small_params[1] = {&small};
    struct people_needs needs;
    memset(&needs, 0, sizeof needs);
    struct people first, second;
    assert_int_equal(people_init(&first, gsl_rng_taus2, 1), 0);
    assert_int_equal(people_init(&second, gsl_rng_taus2, 1), 0);
    assert_int_equal(people_draw(&second, 7, 1, &small, small_params, &needs), 0);
    assert_int_equal(people_draw(&second, 7, 9, &a, params, &needs), 0);
    assert_int_equal(people_draw(&second, 7, 4, &a, params, &needs), 0);
    assert_int_equal(people_draw(&first, 7, 4, &a, params, &needs), 0);
    assert_int_equal(first.arrivals, second.arrivals);
    assert_memory_equal(first.day, second.day, first.arrivals * sizeof *first.day);
    assert_int_equal(people_draw(&second, 7, 5, &a, params, &needs), 0);
    size_t n = first.arrivals < second.arrivals ? first.arrivals : second.arrivals;
    assert_true(memcmp(first.day, second.day, n * sizeof *first.day) != 0);
    people_clear(&first);
    people_clear(&second);
}

/* Each uniform column is what uniform_fill gives from its stream (people.c's
 * stream ids: 8 + the column), for the arrivals or, for the columns the
 * stock needs too, for everyone; the exponential columns are -log1p(-u) of
 * those, as gsl_ran_exponential(r, 1) computes from a uniform u. With
 * taus2 (lanes) and with mt19937 (through GSL). */
static void test_uniform_columns_from_their_streams(void **state)
{
    (void)state;
    const gsl_rng_type *types[2] = {gsl_rng_taus2, gsl_rng_mt19937};
    for (int t = 0; t < 2; t++) {
        struct avrr_params a;
        set_arrivals(&a, 5, 240);
        a.stock.size = 333;
        const struct avrr_params *params[1] = {&a};
        struct people_needs needs;
        memset(&needs, 0, sizeof needs);
        for (int u = 0; u < U_KINDS; u++)
            needs.uniform[u] = 1;
        struct people pp;
        assert_int_equal(people_init(&pp, types[t], 1), 0);
        assert_int_equal(pp.column_fill.lanes, t == 0);
        assert_int_equal(people_draw(&pp, 31, 2, &a, params, &needs), 0);
        assert_int_equal(pp.total, pp.arrivals + 333);
        struct uniform_fill f;
        assert_int_equal(uniform_fill_init(&f, types[t]), 0);
        gsl_rng *r = gsl_rng_alloc(types[t]);
        assert_non_null(r);
        double *expected = malloc(pp.total * sizeof *expected);
        assert_non_null(expected);
        for (int u = 0; u < U_KINDS; u++) {
            size_t n = u == E_COMMUNITY || u == U_REMIGRATE ? pp.total : pp.arrivals;
            rng_stream_seed(r, 31, 2, 8 + (uint64_t)u);
            uniform_fill_start(&f, r);
            uniform_fill_next(&f, expected, n);
            for (size_t i = 0; i < n; i++) {
                double want = u == E_DETENTION || u == E_COMMUNITY ? -log1p(-expected[i]) : expected[i];
                assert_true(pp.uniform[u][i] == want);
            }
        }
        free(expected);
        gsl_rng_free(r);
        uniform_fill_clear(&f);
        people_clear(&pp);
    }
}

/* A resolved distribution from kind, form and two fixed arguments. */
static struct dist *make_dist(struct dist_spec *spec, enum dist_kind kind, double a0, double a1)
{
    dist_spec_fixed(spec, 0.0);
    spec->kind = kind;
    spec->form = 0;
    spec->args[0] = (struct dist_arg){a0, -1, a0, a0};
    spec->args[1] = (struct dist_arg){a1, -1, a1, a1};
    struct dist *d = dist_alloc_for(spec);
    assert_non_null(d);
    char why[128];
    assert_int_equal(dist_resolve(d, spec, NULL, why, sizeof why), 0);
    return d;
}

/* people_draw's lognormal lengths (drawn without dist_sample's dispatch)
 * are dist_sample's, bit for bit, from the same stream (people.c's stream
 * id of the length column of draw group 0: 64). A gamma goes through
 * dist_sample itself: the same check holds for it. */
static void test_length_column_is_dist_sample(void **state)
{
    (void)state;
    enum dist_kind kinds[2] = {DIST_LOGNORMAL, DIST_GAMMA};
    for (int k = 0; k < 2; k++) {
        struct dist_spec spec;
        struct dist *d = make_dist(&spec, kinds[k], 46, 85);
        struct avrr_params a;
        set_arrivals(&a, 6, 300);
        a.detention.length_days.dist = d;
        a.detention.length_days.draw_group = 0;
        const struct avrr_params *params[1] = {&a};
        struct people_needs needs;
        memset(&needs, 0, sizeof needs);
        needs.draw[DRAW_LENGTH][0] = 1;
        struct people pp;
        assert_int_equal(people_init(&pp, gsl_rng_taus2, 1), 0);
        assert_int_equal(people_draw(&pp, 2011, 6, &a, params, &needs), 0);
        assert_true(pp.arrivals > 1000);
        gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
        rng_stream_seed(r, 2011, 6, 64);
        for (size_t i = 0; i < pp.arrivals; i++)
            assert_true(people_length(&pp, 0, i) == dist_sample(d, r));
        gsl_rng_free(r);
        people_clear(&pp);
        dist_free(d);
        dist_spec_clear(&spec);
    }
}

/* A gamma of mean 45 and sd 20 (the baseline's processing time) drawn
 * through keyed streams: sample mean and variance within 3 standard errors
 * of 45 and 400 (the variance of a gamma's sample variance uses its fourth
 * central moment, 3 k (k + 2) theta^4 for shape k and scale theta); the
 * values drawn backwards are the same as forwards. */
static void test_keyed_gamma_moments_and_order(void **state)
{
    (void)state;
    struct dist_spec spec;
    struct dist *d = make_dist(&spec, DIST_GAMMA, 45, 20);
    struct keyed_column forwards, backwards;
    assert_int_equal(keyed_column_init(&forwards), 0);
    assert_int_equal(keyed_column_init(&backwards), 0);
    enum { N = 200000 };
    assert_int_equal(keyed_column_start(&forwards, d, 99, 3, 1000, N), 0);
    assert_int_equal(keyed_column_start(&backwards, d, 99, 3, 1000, N), 0);
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < N; i++) {
        double v = keyed_column_get(&forwards, i);
        assert_true(v > 0);
        sum += v;
        sum2 += (v - 45.0) * (v - 45.0);
    }
    for (size_t i = N; i-- > 0;)
        assert_true(keyed_column_get(&backwards, i) == forwards.value[i]);
    double k = 45.0 * 45.0 / 400.0, theta = 400.0 / 45.0;
    double mu4 = 3.0 * k * (k + 2.0) * pow(theta, 4);
    assert_true(fabs(sum / N - 45.0) < 3.0 * sqrt(400.0 / N));
    assert_true(fabs(sum2 / N - 400.0) < 3.0 * sqrt((mu4 - 400.0 * 400.0) / N));
    /* another replication gives other values */
    assert_int_equal(keyed_column_start(&backwards, d, 99, 4, 1000, N), 0);
    assert_true(keyed_column_get(&backwards, 0) != forwards.value[0]);
    keyed_column_clear(&forwards);
    keyed_column_clear(&backwards);
    dist_free(d);
    dist_spec_clear(&spec);
}

/* Re-migration delays (exponential, mean 365) are drawn at first use, keyed
 * by person, for arrivals and the stock alike: sample mean within 3
 * standard errors (sd 365); the same values whichever order the persons
 * ask in, in another people drawn for the same replication; a stream of
 * their own (not the processing times'); other values in another
 * replication. */
static void test_delays_keyed_by_person(void **state)
{
    (void)state;
    struct dist_spec delay_spec, processing_spec;
    struct dist *delay = make_dist(&delay_spec, DIST_EXPONENTIAL, 365, 0);
    struct dist *processing = make_dist(&processing_spec, DIST_EXPONENTIAL, 365, 0);
    struct avrr_params a;
    set_arrivals(&a, 12, 600);
    a.stock.size = 5000;
    a.remigration.delay_days.dist = delay;
    a.avrr.processing_days.dist = processing;
    const struct avrr_params *params[1] = {&a};
    struct people_needs needs;
    memset(&needs, 0, sizeof needs);
    needs.draw[DRAW_DELAY][0] = 1;
    needs.draw[DRAW_PROCESSING][0] = 1;
    struct people forwards, backwards;
    assert_int_equal(people_init(&forwards, gsl_rng_taus2, 1), 0);
    assert_int_equal(people_init(&backwards, gsl_rng_taus2, 1), 0);
    assert_int_equal(people_draw(&forwards, 2012, 7, &a, params, &needs), 0);
    assert_int_equal(people_draw(&backwards, 2012, 7, &a, params, &needs), 0);
    size_t n = forwards.total, same_as_processing = 0;
    assert_true(n > 10000 && forwards.arrivals < n);
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double v = people_keyed(&forwards, DRAW_DELAY, 0, i);
        assert_true(v >= 0);
        sum += v;
        same_as_processing += v == people_processing(&forwards, 0, i);
    }
    assert_true(fabs(sum / (double)n - 365.0) < 3.0 * 365.0 / sqrt((double)n));
    assert_int_equal(same_as_processing, 0);
    for (size_t i = n; i-- > 0;)
        assert_true(people_keyed(&backwards, DRAW_DELAY, 0, i) ==
                    people_keyed(&forwards, DRAW_DELAY, 0, i));
    assert_int_equal(people_draw(&backwards, 2012, 8, &a, params, &needs), 0);
    assert_true(people_keyed(&backwards, DRAW_DELAY, 0, 0) !=
                people_keyed(&forwards, DRAW_DELAY, 0, 0));
    people_clear(&forwards);
    people_clear(&backwards);
    dist_free(delay);
    dist_free(processing);
    dist_spec_clear(&delay_spec);
    dist_spec_clear(&processing_spec);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrival_days_ordered_and_uniform),
        cmocka_unit_test(test_days_depend_only_on_seed_and_replication),
        cmocka_unit_test(test_uniform_columns_from_their_streams),
        cmocka_unit_test(test_length_column_is_dist_sample),
        cmocka_unit_test(test_keyed_gamma_moments_and_order),
        cmocka_unit_test(test_delays_keyed_by_person),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
