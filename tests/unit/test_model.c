/* test_model: the AVRR model run through the engine, checked against the
 * closed forms of docs/model.md, invariants (every arrival ends in exactly one
 * pathway; identical policies give identical results; a policy's results do
 * not depend on which other policies run) and thread-count independence. */
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
#include "engine/stats.h"
#include "models/avrr.h"
#include "tests/unit/scenario_text.h"


static void run(const struct scenario *sc, unsigned threads, struct run_results *res)
{
    char why[256];
    assert_int_equal(runner_run(sc, threads, NULL, NULL, NULL, res, why, sizeof why), RUN_OK);
}

static double metric(const struct run_results *res, size_t r, size_t p, size_t m)
{
    return res->metrics[(r * res->n_policies + p) * res->n_metrics + m];
}

/* Asserts that the mean of metric m for policy p is within 4 standard
 * errors of expected. */
static void assert_mean_near(const struct run_results *res, size_t p, size_t m, double expected)
{
    double *values = malloc(res->replications * sizeof *values);
    assert_non_null(values);
    for (size_t r = 0; r < res->replications; r++)
        values[r] = metric(res, r, p, m);
    struct sample_summary s;
    stats_summarize(values, res->replications, &s);
    free(values);
    if (fabs(s.mean - expected) > 4 * s.se) {
        fprintf(stderr, "metric %zu policy %zu: mean %.4f, expected %.4f, se %.4f\n", m, p, s.mean,
                expected, s.se);
        fail();
    }
}

static const char *const fixed_scenario =
    "name: closed form\n"
    "horizon_months: 12\n"
    "replications: 4000\n"
    "seed: 7\n"
    "model:\n"
    "  arrivals: {per_month: 50}\n"
    "  detention:\n"
    "    share: 0.8\n"
    "    length_days: {dist: lognormal, mean: 46, sd: 85}\n"
    "    cost_per_day: 110\n"
    "  removal: {probability: 0.3, cost: 14650}\n"
    "  avrr:\n"
    "    uptake: 0.25\n"
    "    processing_days: {dist: gamma, mean: 45, sd: 20}\n"
    "    case_cost: 3000\n"
    "    reintegration_cost: 7500\n"
    "policies:\n"
    "  - name: Detention only\n"
    "  - name: AVRR, community\n"
    "    set: {avrr: {offered: true}}\n"
    "  - name: AVRR, detention\n"
    "    set: {avrr: {offered: true, wait_in: detention}}\n";

/* E[total] = N [a (case + reintegration + w cpd E[proc]) + (1 - a) s (cpd E[len] + pr rc)] */
static double expected_total(double a, int waits_detained)
{
    double n = 50.0 * 12, s = 0.8, cpd = 110, len = 46, pr = 0.3, rc = 14650, proc = 45;
    return n * (a * (3000 + 7500 + (waits_detained ? cpd * proc : 0)) +
                (1 - a) * s * (cpd * len + pr * rc));
}

static void test_closed_form_totals(void **state)
{
    (void)state;
    struct scenario *sc = load_text_with(fixed_scenario, NULL, 0);
    struct run_results res;
    run(sc, 2, &res);
    assert_mean_near(&res, 0, M_ARRIVALS, 600);
    assert_mean_near(&res, 0, M_COST_TOTAL, expected_total(0, 0));
    assert_mean_near(&res, 1, M_COST_TOTAL, expected_total(0.25, 0));
    assert_mean_near(&res, 2, M_COST_TOTAL, expected_total(0.25, 1));
    assert_mean_near(&res, 1, M_AVRR_DEPARTURES, 600 * 0.25);
    assert_mean_near(&res, 0, M_REMOVALS, 600 * 0.8 * 0.3);
    assert_mean_near(&res, 0, M_DETENTION_DAYS, 600 * 0.8 * 46);
    assert_mean_near(&res, 2, M_DETAINED, 600 * (0.25 + 0.75 * 0.8));
    run_results_free(&res);
    scenario_free(sc);
}

/* Every arrival ends in exactly one of: voluntary departure, removal, release. */
static void test_every_arrival_has_one_end(void **state)
{
    (void)state;
    struct scenario *sc = load_text_with(fixed_scenario, NULL, 0);
    struct run_results res;
    run(sc, 1, &res);
    for (size_t r = 0; r < res.replications; r++)
        for (size_t p = 0; p < res.n_policies; p++) {
            double ends = metric(&res, r, p, M_AVRR_DEPARTURES) + metric(&res, r, p, M_REMOVALS) +
                          metric(&res, r, p, M_RELEASES);
            assert_true(ends == metric(&res, r, p, M_ARRIVALS));
            double parts = metric(&res, r, p, M_COST_DETENTION) + metric(&res, r, p, M_COST_REMOVAL) +
                           metric(&res, r, p, M_COST_AVRR);
            assert_true(parts == metric(&res, r, p, M_COST_TOTAL));
        }
    run_results_free(&res);
    scenario_free(sc);
}

static void test_identical_policies_identical_results(void **state)
{
    (void)state;
    const char *text =
        "name: twins\nhorizon_months: 6\nreplications: 300\n"
        "model:\n  detention: {cost_per_day: {dist: uniform, min: 80, max: 140}}\n"
        "  avrr: {offered: true, uptake: {dist: beta, mean: 0.2, sd: 0.05}}\n"
        "policies:\n  - name: A\n  - name: B\n    set: {avrr: {offered: true}}\n";
    struct scenario *sc = load_text_with(text, NULL, 0);
    struct run_results res;
    run(sc, 2, &res);
    for (size_t r = 0; r < res.replications; r++)
        for (size_t m = 0; m < res.n_metrics; m++)
            assert_true(metric(&res, r, 0, m) == metric(&res, r, 1, m));
    run_results_free(&res);
    scenario_free(sc);
}

static void test_same_results_for_any_thread_count(void **state)
{
    (void)state;
    struct scenario *sc = load_text_with(fixed_scenario, (const char *const[]){"replications=500"}, 1);
    struct run_results one, two;
    run(sc, 1, &one);
    run(sc, 2, &two);
    size_t n = one.replications * one.n_policies * one.n_metrics;
    assert_memory_equal(one.metrics, two.metrics, n * sizeof(double));
    run_results_free(&one);
    run_results_free(&two);
    scenario_free(sc);
}

/* The baseline's numbers do not change when another policy is added. */
static void test_policy_results_independent_of_others(void **state)
{
    (void)state;
    const char *alone = "name: alone\nhorizon_months: 6\nreplications: 200\n"
                        "model:\n  avrr: {uptake: {dist: uniform, min: 0.1, max: 0.3}}\n"
                        "policies:\n  - name: AVRR\n    set: {avrr: {offered: true}}\n";
    const char *pair = "name: pair\nhorizon_months: 6\nreplications: 200\n"
                       "model:\n  avrr: {uptake: {dist: uniform, min: 0.1, max: 0.3}}\n"
                       "policies:\n  - name: AVRR\n    set: {avrr: {offered: true}}\n"
                       "  - name: Longer\n    set: {detention: {length_days: {dist: gamma, mean: 90, sd: 30}}}\n";
    struct scenario *a = load_text_with(alone, NULL, 0), *b = load_text_with(pair, NULL, 0);
    struct run_results ra, rb;
    run(a, 1, &ra);
    run(b, 2, &rb);
    for (size_t r = 0; r < ra.replications; r++)
        for (size_t m = 0; m < ra.n_metrics; m++)
            assert_true(metric(&ra, r, 0, m) == metric(&rb, r, 0, m));
    run_results_free(&ra);
    run_results_free(&rb);
    scenario_free(a);
    scenario_free(b);
}

/* The same with policies that share the people they treat alike (the
 * direct path passes once over those for both): a policy's numbers are
 * still exactly its own, with or without the others. */
static void test_policy_results_independent_of_alike_policies(void **state)
{
    (void)state;
    const char *model = "model:\n  avrr: {uptake: {dist: uniform, min: 0.1, max: 0.3}, "
                        "case_cost: 3000.3}\n  stock: {size: 40}\n  community: {cost_per_day: 7.7}\n"
                        "  detention: {share: 0.9, cost_per_day: 101.1}\n"
                        "  removal: {cost: 14650.7}\n";
    char alone[1024], many[1024];
    snprintf(alone, sizeof alone, "name: alone\nhorizon_months: 8\nreplications: 200\n%s"
             "policies:\n  - name: AVRR\n    set: {avrr: {offered: true}}\n", model);
    snprintf(many, sizeof many, "name: many\nhorizon_months: 8\nreplications: 200\n%s"
             "policies:\n  - name: AVRR\n    set: {avrr: {offered: true}}\n"
             "  - name: None\n  - name: Half\n    set: {avrr: {offered: true, uptake: 0.5}}\n",
             model);
    struct scenario *a = load_text_with(alone, NULL, 0), *b = load_text_with(many, NULL, 0);
    struct run_results ra, rb;
    run(a, 1, &ra);
    run(b, 2, &rb);
    for (size_t r = 0; r < ra.replications; r++)
        for (size_t m = 0; m < ra.n_metrics; m++)
            assert_true(metric(&ra, r, 0, m) == metric(&rb, r, 0, m));
    run_results_free(&ra);
    run_results_free(&rb);
    scenario_free(a);
    scenario_free(b);
}

/* An uncertain unit cost, independent of the counts: E[cost] = E[days] E[cpd]. */
static void test_uncertain_parameter_mean(void **state)
{
    (void)state;
    const char *text = "name: psa\nhorizon_months: 12\nreplications: 4000\nseed: 3\n"
                       "model:\n  arrivals: {per_month: 40}\n"
                       "  detention: {share: 1.0, length_days: {dist: exponential, mean: 30}, "
                       "cost_per_day: {dist: uniform, min: 50, max: 250}}\n"
                       "  removal: {probability: {dist: beta, mean: 0.4, sd: 0.1}, cost: 1000}\n"
                       "policies:\n  - name: only\n";
    struct scenario *sc = load_text_with(text, NULL, 0);
    assert_int_equal(sc->n_uncertain, 2);
    struct run_results res;
    run(sc, 2, &res);
    assert_mean_near(&res, 0, M_COST_DETENTION, 480 * 30 * 150);
    assert_mean_near(&res, 0, M_COST_REMOVAL, 480 * 0.4 * 1000);
    /* the drawn parameters are recorded and lie in their supports */
    for (size_t r = 0; r < res.replications; r++) {
        double cpd = res.uncertain[r * res.n_uncertain + 0];
        assert_true(cpd >= 50 && cpd <= 250);
    }
    run_results_free(&res);
    scenario_free(sc);
}

/* Person-level uncertainty: the mean length itself uncertain. */
static void test_uncertain_person_argument(void **state)
{
    (void)state;
    const char *text = "name: nested\nhorizon_months: 12\nreplications: 3000\n"
                       "model:\n  arrivals: {per_month: 30}\n"
                       "  detention: {length_days: {dist: lognormal, "
                       "mean: {dist: uniform, min: 30, max: 180}, sd: 85}, cost_per_day: 100}\n"
                       "  removal: {probability: 0}\n"
                       "policies:\n  - name: only\n";
    struct scenario *sc = load_text_with(text, NULL, 0);
    assert_int_equal(sc->n_uncertain, 1);
    assert_string_equal(sc->uncertain[0].path, "model.detention.length_days.mean");
    struct run_results res;
    run(sc, 2, &res);
    assert_mean_near(&res, 0, M_DETENTION_DAYS, 360 * 105);
    run_results_free(&res);
    scenario_free(sc);
}

static void test_key_table_complete(void **state)
{
    (void)state;
    for (size_t i = 0; i < AVRR_KEY_COUNT; i++) {
        assert_non_null(avrr_keys[i].path);
        assert_non_null(avrr_keys[i].doc);
        assert_non_null(avrr_keys[i].unit);
        assert_true(avrr_keys[i].offset < sizeof(struct avrr_params));
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_table_complete),
        cmocka_unit_test(test_closed_form_totals),
        cmocka_unit_test(test_every_arrival_has_one_end),
        cmocka_unit_test(test_identical_policies_identical_results),
        cmocka_unit_test(test_same_results_for_any_thread_count),
        cmocka_unit_test(test_policy_results_independent_of_others),
        cmocka_unit_test(test_policy_results_independent_of_alike_policies),
        cmocka_unit_test(test_uncertain_parameter_mean),
        cmocka_unit_test(test_uncertain_person_argument),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ytree_release_sources();
    return failed;
}
