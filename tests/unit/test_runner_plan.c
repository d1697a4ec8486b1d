/* test_runner_plan: what a run plan changes. Latin hypercube sampling puts
 * exactly one draw of each uncertain parameter in each of its equally likely
 * strata and stays independent of the thread count; fixed uncertain values
 * are used as given; a run stopped early by `enough` equals the first
 * replications of a full run; sensitivity points honour `low`/`high`. */
#define _DEFAULT_SOURCE /* mkstemps */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "engine/runner.h"
#include "engine/scenario.h"
#include "models/avrr.h"
#include "tests/unit/scenario_text.h"


static const char *const uncertain_scenario =
    "name: plan\n"
    "horizon_months: 2\n"
    "replications: 240\n"
    "seed: 11\n"
    "model:\n"
    "  arrivals: {per_month: 20}\n"
    "  detention:\n"
    "    share: 1.0\n"
    "    length_days: {dist: gamma, mean: {dist: uniform, min: 20, max: 80}, sd: 10}\n"
    "    cost_per_day: {dist: triangular, min: 60, mode: 110, max: 210, low: 70, high: 200}\n"
    "  removal: {probability: {dist: beta, mean: 0.3, sd: 0.1}, cost: 14650}\n"
    "  avrr: {uptake: 0.2, case_cost: 3000, reintegration_cost: 7500,\n"
    "         processing_days: 30}\n"
    "policies:\n"
    "  - name: Detention only\n"
    "  - name: AVRR offered\n"
    "    set: {avrr: {offered: true}}\n";

/* Each parameter's draws, mapped through its own cdf, fall one per stratum. */
static void test_lhs_one_draw_per_stratum(void **state)
{
    (void)state;
    const char *sets[] = {"sampling=lhs"};
    struct scenario *sc = load_text_with(uncertain_scenario, sets, 1);
    assert_int_equal(sc->n_uncertain, 3);
    struct run_results res;
    char why[256];
    assert_int_equal(runner_run(sc, 2, NULL, NULL, NULL, &res, why, sizeof why), RUN_OK);
    size_t R = res.replications;
    unsigned char *seen = calloc(R, 1);
    assert_non_null(seen);
    for (size_t k = 0; k < sc->n_uncertain; k++) {
        struct dist *d = dist_alloc_for(&sc->uncertain[k].spec);
        assert_int_equal(dist_resolve(d, &sc->uncertain[k].spec, NULL, why, sizeof why), 0);
        memset(seen, 0, R);
        for (size_t r = 0; r < R; r++) {
            double p = dist_cdf(d, res.uncertain[r * res.n_uncertain + k]);
            size_t stratum = (size_t)floor(p * (double)R);
            assert_true(stratum < R);
            assert_int_equal(seen[stratum], 0);
            seen[stratum] = 1;
        }
        dist_free(d);
    }
    free(seen);
    run_results_free(&res);
    scenario_free(sc);
}

/* Random sampling does not stratify: with 240 draws some stratum holds two. */
static void test_random_sampling_is_not_stratified(void **state)
{
    (void)state;
    struct scenario *sc = load_text_with(uncertain_scenario, NULL, 0);
    struct run_results res;
    char why[256];
    assert_int_equal(runner_run(sc, 1, NULL, NULL, NULL, &res, why, sizeof why), RUN_OK);
    size_t R = res.replications, repeats = 0;
    unsigned char *seen = calloc(R, 1);
    struct dist *d = dist_alloc_for(&sc->uncertain[0].spec);
    assert_int_equal(dist_resolve(d, &sc->uncertain[0].spec, NULL, why, sizeof why), 0);
    for (size_t r = 0; r < R; r++) {
        size_t stratum = (size_t)floor(dist_cdf(d, res.uncertain[r * res.n_uncertain]) * (double)R);
        repeats += seen[stratum]++ > 0;
    }
    assert_true(repeats > 0);
    dist_free(d);
    free(seen);
    run_results_free(&res);
    scenario_free(sc);
}

static void assert_same_results(const struct run_results *a, const struct run_results *b, size_t reps)
{
    size_t row = a->n_policies * a->n_metrics;
    assert_memory_equal(a->metrics, b->metrics, reps * row * sizeof(double));
    assert_memory_equal(a->uncertain, b->uncertain, reps * a->n_uncertain * sizeof(double));
}

static void test_lhs_same_for_any_thread_count(void **state)
{
    (void)state;
    const char *sets[] = {"sampling=lhs"};
    struct scenario *sc = load_text_with(uncertain_scenario, sets, 1);
    struct run_results one, two;
    char why[256];
    assert_int_equal(runner_run(sc, 1, NULL, NULL, NULL, &one, why, sizeof why), RUN_OK);
    assert_int_equal(runner_run(sc, 2, NULL, NULL, NULL, &two, why, sizeof why), RUN_OK);
    assert_same_results(&one, &two, one.replications);
    run_results_free(&one);
    run_results_free(&two);
    scenario_free(sc);
}

static void test_fixed_uncertain_values(void **state)
{
    (void)state;
    struct scenario *sc = load_text_with(uncertain_scenario, NULL, 0);
    double fixed[3] = {33.0, 123.0, 0.25};
    struct run_plan plan = {.fixed_uncertain = fixed};
    struct run_results res;
    char why[256];
    assert_int_equal(runner_run_plan(sc, 2, &plan, NULL, NULL, NULL, &res, why, sizeof why), RUN_OK);
    for (size_t r = 0; r < res.replications; r++)
        assert_memory_equal(res.uncertain + r * 3, fixed, sizeof fixed);
    /* the person-level draws stay random: total cost varies across replications */
    assert_true(res.metrics[0] != res.metrics[res.n_policies * res.n_metrics]);
    run_results_free(&res);
    scenario_free(sc);
}

struct stop_counter {
    size_t calls, stop_at;
    size_t seen[8];
};

static int stop_after(const struct run_results *so_far, void *user)
{
    struct stop_counter *c = user;
    c->seen[c->calls < 8 ? c->calls : 7] = so_far->replications;
    return ++c->calls >= c->stop_at;
}

/* Stopped after two batches (50, then 50 more), the results are the first
 * 100 replications of the full run, bit for bit. */
static void test_early_stop_equals_prefix(void **state)
{
    (void)state;
    struct scenario *sc = load_text_with(uncertain_scenario, NULL, 0);
    struct run_results full, part;
    char why[256];
    assert_int_equal(runner_run(sc, 2, NULL, NULL, NULL, &full, why, sizeof why), RUN_OK);
    struct stop_counter counter = {.stop_at = 2};
    struct run_plan plan = {.enough = stop_after, .enough_user = &counter, .first_batch = 50};
    assert_int_equal(runner_run_plan(sc, 2, &plan, NULL, NULL, NULL, &part, why, sizeof why), RUN_OK);
    assert_int_equal(counter.calls, 2);
    assert_int_equal(counter.seen[0], 50);
    assert_int_equal(counter.seen[1], 100);
    assert_int_equal(part.replications, 100);
    assert_same_results(&full, &part, 100);
    run_results_free(&part);
    /* never enough: runs to the cap, in batches of 50, 50, 50, 50, 40 */
    struct stop_counter never = {.stop_at = 1000};
    struct run_plan never_plan = {.enough = stop_after, .enough_user = &never, .first_batch = 50};
    assert_int_equal(runner_run_plan(sc, 1, &never_plan, NULL, NULL, NULL, &part, why, sizeof why),
                     RUN_OK);
    assert_int_equal(part.replications, 240);
    assert_int_equal(never.calls, 4);
    assert_same_results(&full, &part, 240);
    run_results_free(&part);
    run_results_free(&full);
    scenario_free(sc);
}

static void test_early_stop_refused_with_lhs(void **state)
{
    (void)state;
    const char *sets[] = {"sampling=lhs"};
    struct scenario *sc = load_text_with(uncertain_scenario, sets, 1);
    struct stop_counter counter = {.stop_at = 1};
    struct run_plan plan = {.enough = stop_after, .enough_user = &counter};
    struct run_results res;
    char why[256];
    assert_int_equal(runner_run_plan(sc, 1, &plan, NULL, NULL, NULL, &res, why, sizeof why), RUN_FAILED);
    assert_non_null(strstr(why, "lhs"));
    scenario_free(sc);
}

static void test_sensitivity_points(void **state)
{
    (void)state;
    struct scenario *sc = load_text_with(uncertain_scenario, NULL, 0);
    double means[3], lows[3], highs[3];
    char why[256];
    assert_int_equal(runner_uncertain_points(sc, means, lows, highs, why, sizeof why), 0);
    /* registry order: detention length mean (uniform 20-80), cost per day
     * (normal with low/high given), removal probability (beta) */
    assert_string_equal(sc->uncertain[0].path, "model.detention.length_days.mean");
    assert_float_equal(means[0], 50.0, 1e-12);
    assert_float_equal(lows[0], 23.0, 1e-9);      /* 20 + 0.05 * 60 */
    assert_float_equal(highs[0], 77.0, 1e-9);
    assert_float_equal(means[1], (60.0 + 110.0 + 210.0) / 3, 1e-9);
    assert_float_equal(lows[1], 70.0, 0);
    assert_float_equal(highs[1], 200.0, 0);
    assert_float_equal(means[2], 0.3, 1e-12);
    assert_true(lows[2] < 0.3 && highs[2] > 0.3);
    scenario_free(sc);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lhs_one_draw_per_stratum),
        cmocka_unit_test(test_random_sampling_is_not_stratified),
        cmocka_unit_test(test_lhs_same_for_any_thread_count),
        cmocka_unit_test(test_fixed_uncertain_values),
        cmocka_unit_test(test_early_stop_equals_prefix),
        cmocka_unit_test(test_early_stop_refused_with_lhs),
        cmocka_unit_test(test_sensitivity_points),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ytree_release_sources();
    return failed;
}
