/* Unit tests for engine/ce: statuses and ICERs, the acceptability curve and
 * the EVPI against hand calculations on a 4 × 3 sample, ties shared, the
 * probabilities summing to 1 on a random 1000 × 4 sample, EVPI never negative
 * and exactly 0 when one policy is best everywhere, the default value axis,
 * and the effect named on the command line (with its sign turned). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

#include "engine/ce.h"

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

/* cmocka 1.1 compares only integers; this compares doubles within tolerance. */
#define assert_close(actual, expected, tolerance)                                             \
    do {                                                                                      \
        double a_ = (actual), e_ = (expected);                                                \
        if (!(fabs(a_ - e_) <= (tolerance)))                                                  \
            fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #actual, a_, e_,            \
                     (double)(tolerance));                                                    \
    } while (0)

/* ---- the hand-made sample: 4 replications × 3 policies ----
 *
 *        cost C             effect E
 *   r1   100  150   90      10  12   9
 *   r2   100  130   90      10  11   9
 *   r3   200  220  190      20  24  18
 *   r4   100  140  100      10  13  10
 *
 * Means: C = 125, 160, 117.5; E = 12.5, 15, 11.5.
 * Policy 1 minus baseline: cost 50, 30, 20, 40 (mean 35), effect 2, 1, 4, 3
 * (mean 2.5): dearer and more effective, a trade-off, ICER 35 / 2.5 = 14.
 * Policy 2 minus baseline: cost -10, -10, -10, 0 (mean -7.5), effect -1, -1,
 * -2, 0 (mean -1): cheaper and less effective, a trade-off, ICER 7.5 (saved
 * per unit of effect forgone). Default value axis: 2 × 14 = 28, up to 50. */
enum { R = 4, P = 3 };
static const double sample_cost[R * P] = {
    100, 150, 90,
    100, 130, 90,
    200, 220, 190,
    100, 140, 100,
};
static const double sample_effect[R * P] = {
    10, 12, 9,
    10, 11, 9,
    20, 24, 18,
    10, 13, 10,
};

static void test_compare_by_hand(void **state)
{
    (void)state;
    struct ce_row rows[P];
    assert_int_equal(ce_compare(sample_cost, sample_effect, R, P, rows), 0);
    assert_int_equal(rows[0].status, CE_BASELINE);
    assert_close(rows[0].cost_mean, 125, 1e-12);
    assert_close(rows[0].effect_mean, 12.5, 1e-12);
    assert_true(rows[0].incremental_cost == 0 && rows[0].incremental_effect == 0);
    assert_true(isnan(rows[0].icer));

    assert_int_equal(rows[1].status, CE_TRADE_OFF);
    assert_close(rows[1].cost_mean, 160, 1e-12);
    assert_close(rows[1].effect_mean, 15, 1e-12);
    assert_close(rows[1].incremental_cost, 35, 1e-12);
    assert_close(rows[1].incremental_effect, 2.5, 1e-12);
    assert_close(rows[1].icer, 14, 1e-12);

    assert_int_equal(rows[2].status, CE_TRADE_OFF);
    assert_close(rows[2].cost_mean, 117.5, 1e-12);
    assert_close(rows[2].effect_mean, 11.5, 1e-12);
    assert_close(rows[2].incremental_cost, -7.5, 1e-12);
    assert_close(rows[2].incremental_effect, -1, 1e-12);
    assert_close(rows[2].icer, 7.5, 1e-12);

    /* on average: policy 2 best up to 7.5, the baseline up to 14, then policy 1 */
    assert_close(ce_last_switch(rows, P), 14, 1e-12);
    assert_close(ce_default_max_value(rows, P), 50, 0);
    assert_string_equal(ce_status_name(rows[1].status), "trade-off");
}

/* A trade-off against the baseline that another policy beats at every value
 * does not set the axis: only the switches of the best policy on average do. */
static void test_default_axis_ignores_policies_never_best(void **state)
{
    (void)state;
    /* baseline (100, 10); A (110, 12): ICER 5; B (1000, 11): a trade-off with
     * ICER 900 against the baseline, but A is cheaper and more effective */
    struct ce_row rows[3] = {
        {.cost_mean = 100, .effect_mean = 10, .status = CE_BASELINE},
        {.cost_mean = 110, .effect_mean = 12, .status = CE_TRADE_OFF, .icer = 5},
        {.cost_mean = 1000, .effect_mean = 11, .status = CE_TRADE_OFF, .icer = 900},
    };
    assert_close(ce_last_switch(rows, 3), 5, 1e-12);
    assert_close(ce_default_max_value(rows, 3), 10, 0);
    /* extended dominance: C (130, 13) lies above the line from A to D (150, 16),
     * so from A the frontier goes straight to D at λ = 10 */
    struct ce_row more[4] = {
        {.cost_mean = 110, .effect_mean = 12},
        {.cost_mean = 100, .effect_mean = 10},
        {.cost_mean = 130, .effect_mean = 13},
        {.cost_mean = 150, .effect_mean = 16},
    };
    assert_close(ce_last_switch(more, 4), 10, 1e-12);
}

/* One λ of the curve, worked out by hand (NB = λ E - C per replication). */
struct hand_point {
    double value;
    double probability[P], expected[P], evpi;
};

static const struct hand_point hand_points[] = {
    /* λ 0: NB = -C. r1-r3 policy 2 is cheapest; r4 ties 0 and 2 (100).
     * Policy 2 is best (or tied) everywhere: EVPI 0. */
    {0, {0.125, 0, 0.875}, {-125, -160, -117.5}, 0},
    /* λ 5: r1 (-50, -90, -45) → 2; r2 (-50, -75, -45) → 2;
     * r3 (-100, -100, -100) a three-way tie; r4 (-50, -75, -50) ties 0 and 2.
     * p0 = (1/3 + 1/2) / 4 = 5/24, p1 = (1/3) / 4 = 2/24, p2 = (2 + 1/3 + 1/2) / 4 = 17/24.
     * Means -62.5, -85, -60; mean of the best -60: EVPI 0. */
    {5, {5.0 / 24, 2.0 / 24, 17.0 / 24}, {-62.5, -85, -60}, 0},
    /* λ 10: r1 (0, -30, 0), r2 (0, -20, 0) and r4 (0, -10, 0) tie 0 and 2;
     * r3 (0, 20, -10) → 1. p = (1.5/4, 1/4, 1.5/4). Means 0, -10, -2.5.
     * Mean of the best (0 + 0 + 20 + 0) / 4 = 5; best mean 0: EVPI 5. */
    {10, {0.375, 0.25, 0.375}, {0, -10, -2.5}, 5},
    /* λ 14 (policy 1's ICER): means 50, 50, 43.5 (policies 0 and 1 tie).
     * r1 (40, 18, 36) → 0; r2 (40, 24, 36) → 0; r3 (80, 116, 62) → 1;
     * r4 (40, 42, 40) → 1. Mean of the best 238 / 4 = 59.5: EVPI 9.5. */
    {14, {0.5, 0.5, 0}, {50, 50, 43.5}, 9.5},
    /* λ 20: r1 (100, 90, 90) → 0; r2 (100, 90, 90) → 0; r3 (200, 260, 170) → 1;
     * r4 (100, 120, 100) → 1. Means 125, 140, 112.5; mean of the best
     * (100 + 100 + 260 + 120) / 4 = 145: EVPI 5. */
    {20, {0.5, 0.5, 0}, {125, 140, 112.5}, 5},
    /* λ 40: policy 1 best everywhere: (300, 330, 270), (300, 310, 270),
     * (600, 740, 530), (300, 380, 300). EVPI 0. */
    {40, {0, 1, 0}, {375, 440, 342.5}, 0},
};

static void test_curve_by_hand(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hand_points / sizeof hand_points[0]; i++) {
        const struct hand_point *h = &hand_points[i];
        double probability[P], expected[P], evpi = -1;
        ce_at_value(sample_cost, sample_effect, R, P, h->value, probability, expected, &evpi);
        double sum = 0;
        for (size_t p = 0; p < P; p++) {
            assert_close(probability[p], h->probability[p], 1e-15);
            assert_close(expected[p], h->expected[p], 1e-12);
            sum += probability[p];
        }
        assert_close(sum, 1, 1e-15);
        assert_close(evpi, h->evpi, 1e-12);
        if (h->evpi == 0 && evpi != 0)
            fail_msg("λ %g: EVPI %.17g, expected exactly 0", h->value, evpi);
    }
}

/* Identical policies share every replication: 1/2 each, statuses
 * "equivalent", EVPI 0 at every value. */
static void test_identical_policies_split(void **state)
{
    (void)state;
    double cost[R * 2], effect[R * 2];
    for (size_t r = 0; r < R; r++) {
        cost[r * 2] = cost[r * 2 + 1] = sample_cost[r * P + 1];
        effect[r * 2] = effect[r * 2 + 1] = sample_effect[r * P + 1];
    }
    struct ce_row rows[2];
    assert_int_equal(ce_compare(cost, effect, R, 2, rows), 0);
    assert_int_equal(rows[1].status, CE_EQUIVALENT);
    assert_string_equal(ce_status_name(rows[1].status), "equivalent");
    assert_true(rows[1].incremental_cost == 0 && rows[1].incremental_effect == 0);
    assert_true(isnan(rows[1].icer));
    assert_close(ce_default_max_value(rows, 2), CE_DEFAULT_MAX_VALUE, 0);
    for (size_t i = 0; i < CE_VALUES; i++) {
        double probability[2], expected[2], evpi;
        ce_at_value(cost, effect, R, 2, ce_value_at(1000, i), probability, expected, &evpi);
        assert_true(probability[0] == 0.5 && probability[1] == 0.5);
        assert_true(expected[0] == expected[1]);
        assert_true(evpi == 0);
    }
}

static void test_classify(void **state)
{
    (void)state;
    static const struct {
        double cost, effect;
        enum ce_status status;
    } cases[] = {
        {0, 0, CE_EQUIVALENT},
        {-1, 0, CE_DOMINANT},  {0, 1, CE_DOMINANT},   {-1, 1, CE_DOMINANT},
        {1, 0, CE_DOMINATED},  {0, -1, CE_DOMINATED}, {1, -1, CE_DOMINATED},
        {1, 1, CE_TRADE_OFF},  {-1, -1, CE_TRADE_OFF},
        {-0.0, 0.0, CE_EQUIVALENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (ce_classify(cases[i].cost, cases[i].effect) != cases[i].status)
            fail_msg("(%g, %g): %s, expected %s", cases[i].cost, cases[i].effect,
                     ce_status_name(ce_classify(cases[i].cost, cases[i].effect)),
                     ce_status_name(cases[i].status));
    assert_string_equal(ce_status_name(CE_BASELINE), "baseline");
    assert_string_equal(ce_status_name(CE_DOMINANT), "dominant");
    assert_string_equal(ce_status_name(CE_DOMINATED), "dominated");
}

/* A random sample, 1000 replications × 4 policies with correlated costs and
 * effects: at every value the probabilities sum to 1, each is a multiple of
 * 1/1000 (no ties here), and EVPI is not negative and equals the mean of the
 * best minus the best mean computed directly. */
static void test_random_sample(void **state)
{
    (void)state;
    enum { RR = 1000, PP = 4 };
    static double cost[RR * PP], effect[RR * PP], nb[RR * PP];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    assert_non_null(rng);
    gsl_rng_set(rng, 20111212);
    for (size_t r = 0; r < RR; r++) {
        double shared = gsl_ran_gaussian(rng, 2e6);
        for (size_t p = 0; p < PP; p++) {
            effect[r * PP + p] = 6000 + 300.0 * (double)p + gsl_ran_gaussian(rng, 400);
            cost[r * PP + p] = 2e8 + 1.5e6 * (double)p + shared + gsl_ran_gaussian(rng, 3e6);
        }
    }
    gsl_rng_free(rng);
    struct ce_row rows[PP];
    assert_int_equal(ce_compare(cost, effect, RR, PP, rows), 0);
    double max_value = ce_default_max_value(rows, PP);
    assert_true(max_value > 0 && isfinite(max_value));
    double positive_evpi = 0;
    for (size_t i = 0; i < CE_VALUES; i++) {
        double value = ce_value_at(max_value, i);
        double probability[PP], expected[PP], evpi;
        ce_at_value(cost, effect, RR, PP, value, probability, expected, &evpi);
        double sum = 0;
        for (size_t p = 0; p < PP; p++) {
            sum += probability[p];
            double count = probability[p] * RR;
            assert_close(count, nearbyint(count), 1e-9);
        }
        assert_close(sum, 1, 1e-12);
        assert_true(evpi >= 0);
        /* directly: mean over r of the best NB minus the best mean NB */
        double best_sum = 0, means[PP] = {0};
        for (size_t r = 0; r < RR; r++) {
            double best = -INFINITY;
            for (size_t p = 0; p < PP; p++) {
                nb[r * PP + p] = value * effect[r * PP + p] - cost[r * PP + p];
                means[p] += nb[r * PP + p] / RR;
                best = fmax(best, nb[r * PP + p]);
            }
            best_sum += best;
        }
        double best_mean = fmax(fmax(means[0], means[1]), fmax(means[2], means[3]));
        assert_close(evpi, best_sum / RR - best_mean, 1e-6 * fabs(best_mean) + 1e-3);
        for (size_t p = 0; p < PP; p++)
            assert_close(expected[p], means[p], 1e-9 * fabs(means[p]) + 1e-6);
        positive_evpi = fmax(positive_evpi, evpi);
    }
    assert_true(positive_evpi > 1e5);   /* the sample does hold decision uncertainty */
}

/* A policy cheaper and more effective in every replication: dominant, best
 * with probability 1 and EVPI exactly 0 at every value. */
static void test_dominant_everywhere(void **state)
{
    (void)state;
    enum { RR = 1000, PP = 3 };
    static double cost[RR * PP], effect[RR * PP];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    assert_non_null(rng);
    gsl_rng_set(rng, 7);
    for (size_t r = 0; r < RR; r++) {
        double base_cost = 1e7 * (1 + gsl_rng_uniform(rng));
        double base_effect = 1000 * (1 + gsl_rng_uniform(rng));
        cost[r * PP] = base_cost;
        effect[r * PP] = base_effect;
        cost[r * PP + 1] = base_cost - 1 - 1e5 * gsl_rng_uniform(rng);
        effect[r * PP + 1] = base_effect + 1 + 50 * gsl_rng_uniform(rng);
        cost[r * PP + 2] = base_cost + 1e5 * gsl_rng_uniform(rng);
        effect[r * PP + 2] = base_effect - 50 * gsl_rng_uniform(rng);
    }
    gsl_rng_free(rng);
    struct ce_row rows[PP];
    assert_int_equal(ce_compare(cost, effect, RR, PP, rows), 0);
    assert_int_equal(rows[1].status, CE_DOMINANT);
    assert_int_equal(rows[2].status, CE_DOMINATED);
    assert_true(isnan(rows[1].icer) && isnan(rows[2].icer));
    assert_close(ce_default_max_value(rows, PP), CE_DEFAULT_MAX_VALUE, 0);
    for (size_t i = 0; i < CE_VALUES; i++) {
        double probability[PP], expected[PP], evpi = -1;
        ce_at_value(cost, effect, RR, PP, ce_value_at(CE_DEFAULT_MAX_VALUE, i), probability,
                    expected, &evpi);
        assert_true(probability[1] == 1 && probability[0] == 0 && probability[2] == 0);
        if (evpi != 0)
            fail_msg("value %zu: EVPI %.17g, expected exactly 0", i, evpi);
    }
}

static void test_round_up_and_values(void **state)
{
    (void)state;
    static const double cases[][2] = {
        {1, 1}, {1.5, 2}, {2, 2}, {2.0001, 5}, {5, 5}, {7, 10}, {28, 50}, {1000, 1000},
        {1001, 2000}, {0.003, 0.005}, {0.1, 0.1}, {99999, 100000}, {100000, 100000},
        {20960.5, 50000}, {1e-7, 1e-7}, {3e12, 5e12},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_close(ce_round_up(cases[i][0]), cases[i][1], cases[i][1] * 1e-15);
    assert_true(isnan(ce_round_up(0)));
    assert_true(isnan(ce_round_up(-3)));
    assert_true(isnan(ce_round_up(INFINITY)));
    assert_true(isnan(ce_round_up(NAN)));
    assert_true(ce_value_at(50, 0) == 0);
    assert_true(ce_value_at(50, 1) == 0.5);
    assert_true(ce_value_at(50, 100) == 50);
    assert_true(ce_value_at(0.3, 100) == 0.3);
    /* a trade-off whose doubled ICER overflows falls back to the default */
    struct ce_row huge[2] = {{.status = CE_BASELINE}, {.status = CE_TRADE_OFF, .icer = 1e308}};
    assert_close(ce_default_max_value(huge, 2), CE_DEFAULT_MAX_VALUE, 0);
}

/* ---- the effect, from a small model's metric table ---- */

static const struct metric_def fake_metrics[] = {
    {"voluntary", METRIC_COUNT, "voluntary departures", false},
    {"removals", METRIC_COUNT, "removals", false},
    {"detention_days", METRIC_DAYS, "days in detention", false},
    {"cost_total", METRIC_MONEY, "total cost", false},
};

static const struct model_interface fake_model = {
    .name = "fake",
    .metrics = fake_metrics,
    .n_metrics = 4,
    .headline = {.total_cost = 3, .discounted_cost = 3, .effect_name = "departures",
                 .effect_metrics = {0, 1}, .n_effect_metrics = 2},
};

static void test_effect_names(void **state)
{
    (void)state;
    const double row[4] = {30, 12, 4500, 1e6};
    struct ce_effect e;
    char why[1024] = "";

    ce_effect_headline(&fake_model, &e);
    assert_string_equal(e.name, "departures");
    assert_false(e.negated);
    assert_false(e.money);
    assert_close(ce_effect_value(&e, row), 42, 0);

    assert_int_equal(ce_effect_parse(&fake_model, "departures", &e, why, sizeof why), 0);
    assert_close(ce_effect_value(&e, row), 42, 0);
    assert_int_equal(ce_effect_parse(&fake_model, "-departures", &e, why, sizeof why), 0);
    assert_string_equal(e.name, "-departures");
    assert_close(ce_effect_value(&e, row), -42, 0);

    assert_int_equal(ce_effect_parse(&fake_model, "detention_days", &e, why, sizeof why), 0);
    assert_string_equal(e.name, "detention_days");
    assert_close(ce_effect_value(&e, row), 4500, 0);
    assert_int_equal(ce_effect_parse(&fake_model, "-detention_days", &e, why, sizeof why), 0);
    assert_string_equal(e.name, "-detention_days");
    assert_true(e.negated);
    assert_false(e.money);
    assert_close(ce_effect_value(&e, row), -4500, 0);

    assert_int_equal(ce_effect_parse(&fake_model, "-cost_total", &e, why, sizeof why), 0);
    assert_true(e.money);
    assert_close(ce_effect_value(&e, row), -1e6, 0);

    assert_int_equal(ce_effect_parse(&fake_model, "-detention_dys", &e, why, sizeof why), -1);
    assert_string_equal(why, "unknown metric '-detention_dys'; did you mean '-detention_days'? "
                             "(one of departures, voluntary, removals, detention_days, cost_total; "
                             "a leading '-' turns its sign)");
    assert_int_equal(ce_effect_parse(&fake_model, "departure", &e, why, sizeof why), -1);
    assert_non_null(strstr(why, "did you mean 'departures'?"));
    assert_int_equal(ce_effect_parse(&fake_model, "zzzzzz", &e, why, sizeof why), -1);
    assert_null(strstr(why, "did you mean"));
    assert_int_equal(ce_effect_parse(&fake_model, "", &e, why, sizeof why), -1);
    assert_int_equal(ce_effect_parse(&fake_model, "-", &e, why, sizeof why), -1);
    assert_int_equal(ce_effect_parse(&fake_model, "--removals", &e, why, sizeof why), -1);
}

/* Turning the effect's sign turns the verdict: a policy with fewer detention
 * days at a lower cost is a trade-off when days count as the effect (cheaper
 * and less effective: 75,000 saved for 1,900 days forgone, 39.47 a day) and
 * dominant when fewer days count. */
static void test_sign_turns_the_verdict(void **state)
{
    (void)state;
    /* metrics per replication and policy: voluntary, removals, detention_days, cost_total */
    static const double metrics[2][2][4] = {
        {{0, 50, 4600, 9e5}, {40, 30, 2800, 8e5}},
        {{0, 55, 5000, 1e6}, {45, 35, 3000, 9.5e5}},
    };
    double cost[4], plus[4], minus[4];
    struct ce_effect days, fewer_days;
    char why[256];
    assert_int_equal(ce_effect_parse(&fake_model, "detention_days", &days, why, sizeof why), 0);
    assert_int_equal(ce_effect_parse(&fake_model, "-detention_days", &fewer_days, why, sizeof why), 0);
    for (size_t r = 0; r < 2; r++)
        for (size_t p = 0; p < 2; p++) {
            cost[r * 2 + p] = metrics[r][p][3];
            plus[r * 2 + p] = ce_effect_value(&days, metrics[r][p]);
            minus[r * 2 + p] = ce_effect_value(&fewer_days, metrics[r][p]);
        }
    struct ce_row rows[2];
    assert_int_equal(ce_compare(cost, plus, 2, 2, rows), 0);
    assert_int_equal(rows[1].status, CE_TRADE_OFF);
    assert_close(rows[1].incremental_effect, -1900, 1e-9);
    assert_close(rows[1].icer, 75000.0 / 1900.0, 1e-12);
    assert_int_equal(ce_compare(cost, minus, 2, 2, rows), 0);
    assert_int_equal(rows[1].status, CE_DOMINANT);
    assert_close(rows[1].incremental_effect, 1900, 1e-9);
    assert_close(rows[1].incremental_cost, -75000, 1e-9);
    assert_true(isnan(rows[1].icer));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_by_hand),
        cmocka_unit_test(test_default_axis_ignores_policies_never_best),
        cmocka_unit_test(test_curve_by_hand),
        cmocka_unit_test(test_identical_policies_split),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_random_sample),
        cmocka_unit_test(test_dominant_everywhere),
        cmocka_unit_test(test_round_up_and_values),
        cmocka_unit_test(test_effect_names),
        cmocka_unit_test(test_sign_turns_the_verdict),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
