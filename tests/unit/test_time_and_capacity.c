/* test_time_and_capacity: the discrete-event parts of the model checked
 * against invariants and closed forms: beds never over capacity, the AVRR
 * service never over its monthly capacity, Little's law for occupancy,
 * exact discounting, re-entries and departures from the stock. */
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

#include "engine/rng.h"
#include "engine/runner.h"
#include "engine/scenario.h"
#include "engine/stats.h"
#include "models/avrr.h"
#include "models/people.h"
#include "models/policy_run.h"
#include "tests/unit/scenario_text.h"

static struct scenario *load_text(const char *text)
{
    return load_text_with(text, NULL, 0);
}

/* Runs replications one by one through the model itself, so that the test
 * sees every replication's monthly series. */
struct direct {
    const struct scenario *sc;
    void **params;
    struct dist **dists;
    void *workspace;
    double *metrics;
};

/* With stop (NULL: none) as the workspace's stop flag. */
static void direct_open_stoppable(struct direct *d, const struct scenario *sc,
                                  const volatile sig_atomic_t *stop)
{
    const struct model_interface *model = sc->model;
    d->sc = sc;
    d->params = calloc(sc->n_policies, sizeof *d->params);
    d->dists = calloc(sc->n_policies * model->n_keys, sizeof *d->dists);
    d->metrics = calloc(sc->n_policies * model->n_metrics, sizeof *d->metrics);
    for (size_t p = 0; p < sc->n_policies; p++) {
        d->params[p] = calloc(1, model->params_size);
        for (size_t k = 0; k < model->n_keys; k++)
            if (model->keys[k].kind == SCHEMA_PERSON_DIST)
                d->dists[p * model->n_keys + k] = dist_alloc_for(&sc->policies[p].values[k].spec);
    }
    assert_int_equal(sc->n_uncertain, 0);
    char why[256];
    for (size_t p = 0; p < sc->n_policies; p++)
        assert_int_equal(runner_resolve_policy(sc, &sc->policies[p], NULL, d->params[p],
                                               d->dists + p * model->n_keys, why, sizeof why), 0);
    struct model_setup setup = {.rng_type = gsl_rng_taus2, .seed = sc->seed,
                                .n_policies = sc->n_policies, .params = (const void *const *)d->params,
                                .stop = stop};
    d->workspace = model->workspace_new(&setup);
    assert_non_null(d->workspace);
}

static void direct_open(struct direct *d, const struct scenario *sc)
{
    direct_open_stoppable(d, sc, NULL);
}

/* Runs replication r; returns its series and sets *months. */
static const double *direct_run(struct direct *d, uint64_t r, size_t *months)
{
    char why[256];
    assert_int_equal(d->sc->model->replicate(d->workspace, r, d->metrics, why, sizeof why), 0);
    return d->sc->model->series(d->workspace, months);
}

static void direct_close(struct direct *d)
{
    const struct model_interface *model = d->sc->model;
    model->workspace_free(d->workspace);
    for (size_t p = 0; p < d->sc->n_policies; p++) {
        free(d->params[p]);
        for (size_t k = 0; k < model->n_keys; k++)
            dist_free(d->dists[p * model->n_keys + k]);
    }
    free(d->params);
    free(d->dists);
    free(d->metrics);
}

static double series_at(const double *series, size_t n_policies, size_t month, size_t p, size_t s)
{
    return series[(month * n_policies + p) * S_COUNT + s];
}

static void assert_within(double mean, double se, double expected, const char *what)
{
    if (fabs(mean - expected) > 4 * se) {
        fprintf(stderr, "%s: mean %.4f, expected %.4f, se %.4f\n", what, mean, expected, se);
        fail();
    }
}

static void test_beds_and_service_never_over_capacity(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: full\nhorizon_months: 12\nseed: 11\n"
        "model:\n  arrivals: {per_month: 400}\n"
        "  detention: {capacity: 250, length_days: {dist: gamma, mean: 60, sd: 20}}\n"
        "  avrr: {uptake: 0.3, wait_in: detention, departures_per_month: 40,\n"
        "         applications_in_detention: 0.2, processing_days: {dist: gamma, mean: 20, sd: 5}}\n"
        "policies:\n  - name: Detention only\n  - name: AVRR\n    set: {avrr: {offered: true}}\n");
    struct direct d;
    direct_open(&d, sc);
    double turned_away = 0, queued = 0;
    for (uint64_t r = 0; r < 40; r++) {
        size_t months;
        const double *series = direct_run(&d, r, &months);
        for (size_t p = 0; p < 2; p++) {
            const double *m = d.metrics + p * M_COUNT;
            assert_true(m[M_PEAK_DETAINED] <= 250);
            turned_away += m[M_TURNED_AWAY];
            for (size_t month = 0; month < months; month++) {
                assert_true(series_at(series, 2, month, p, S_DETAINED_END) <= 250);
                assert_true(series_at(series, 2, month, p, S_AVRR_DEPARTURES) <= 40);
            }
        }
        queued += d.metrics[M_COUNT + M_AVRR_QUEUE_PEAK];
    }
    assert_true(turned_away > 0);   /* the limit was reached */
    assert_true(queued > 0);        /* and so was the service's */
    direct_close(&d);
    scenario_free(sc);
}

/* Little's law: with unlimited beds and constant arrivals, the mean number
 * detained after warm-up is the arrival rate times the mean length. */
static void test_littles_law(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: little\nhorizon_months: 36\nseed: 5\n"
        "model:\n  arrivals: {per_month: 300}\n"
        "  detention: {share: 1, length_days: {dist: gamma, mean: 40, sd: 15}}\n"
        "policies:\n  - name: only\n");
    struct direct d;
    direct_open(&d, sc);
    enum { R = 200 };
    double averages[R];
    for (uint64_t r = 0; r < R; r++) {
        size_t months;
        const double *series = direct_run(&d, r, &months);
        double sum = 0;
        for (size_t month = 12; month < 36; month++)
            sum += series_at(series, 1, month, 0, S_DETAINED_AVG);
        averages[r] = sum / 24;
    }
    struct sample_summary s;
    stats_summarize(averages, R, &s);
    assert_within(s.mean, s.se, 300.0 / AVRR_DAYS_PER_MONTH * 40.0, "occupancy");
    direct_close(&d);
    scenario_free(sc);
}

/* A known stream of costs: a set-up cost on day 0 and a monthly cost at the
 * start of each month, discounted at 5% a year by the day. */
static void test_discounting_closed_form(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: programme\nhorizon_months: 24\ndiscount_rate: 0.05\n"
        "model:\n  arrivals: {per_month: 0}\n"
        "  program: {setup_cost: 5000, cost_per_month: 1000, external_funding: 3000}\n"
        "  stock: {size: 10}\n  community: {cost_per_day: 2}\n"
        "policies:\n  - name: AVRR\n    set: {avrr: {offered: true}}\n");
    struct direct d;
    direct_open(&d, sc);
    size_t months;
    direct_run(&d, 0, &months);
    double k = log(1.05) / 365.25, expected = 5000, horizon = 24 * AVRR_DAYS_PER_MONTH;
    for (int m = 0; m < 24; m++)
        expected += 1000 * exp(-k * m * AVRR_DAYS_PER_MONTH);
    expected += 10 * 2 * (1 - exp(-k * horizon)) / k;     /* the stock's community cost */
    const double *m = d.metrics;
    assert_true(fabs(m[M_COST_TOTAL_DISCOUNTED] - expected) < 1e-6 * expected);
    assert_true(fabs(m[M_COST_PROGRAM] - 29000) < 1e-9);
    assert_true(fabs(m[M_COST_COMMUNITY] - 10 * 2 * horizon) < 1e-6);
    assert_true(fabs(m[M_COST_NET] - (m[M_COST_TOTAL] - 3000)) < 1e-6);
    direct_close(&d);
    scenario_free(sc);
}

/* Discounting by parts over a changing level: a vanishing rate gives the
 * undiscounted total; a detention-only cohort at 3% a year is discounted by
 * less than its last day's factor and more than its first's. */
static void test_discounting_of_daily_costs(void **state)
{
    (void)state;
    const char *text =
        "name: daily\nhorizon_months: 12\nseed: 8\ndiscount_rate: %s\n"
        "model:\n  arrivals: {per_month: 200}\n"
        "  detention: {share: 1, length_days: {dist: gamma, mean: 50, sd: 20}, cost_per_day: 100}\n"
        "  removal: {probability: 0}\n  community: {cost_per_day: 10}\n"
        "policies:\n  - name: only\n";
    char buffer[1024];
    snprintf(buffer, sizeof buffer, text, "0.000000001");
    struct scenario *sc = load_text(buffer);
    struct direct d;
    direct_open(&d, sc);
    size_t months;
    direct_run(&d, 0, &months);
    double total = d.metrics[M_COST_TOTAL], discounted = d.metrics[M_COST_TOTAL_DISCOUNTED];
    assert_true(fabs(discounted - total) < 1e-6 * total);
    direct_close(&d);
    scenario_free(sc);

    snprintf(buffer, sizeof buffer, text, "0.03");
    sc = load_text(buffer);
    direct_open(&d, sc);
    direct_run(&d, 0, &months);
    total = d.metrics[M_COST_TOTAL];
    discounted = d.metrics[M_COST_TOTAL_DISCOUNTED];
    double last_day = (double)months * AVRR_DAYS_PER_MONTH;
    assert_true(discounted < total);
    assert_true(discounted > total * pow(1.03, -last_day / 365.25));
    direct_close(&d);
    scenario_free(sc);
}

/* Re-entries: everyone detained 100 days and removed; half come back 200
 * days later. Only arrivals before day 365.25 - 300 = 65.25 come back
 * within the 12-month horizon, and no one can come back twice. */
static void test_reentries_closed_form(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: comeback\nhorizon_months: 12\nseed: 9\n"
        "model:\n  arrivals: {per_month: 100}\n"
        "  detention: {share: 1, length_days: 100}\n  removal: {probability: 1}\n"
        "  remigration: {after_removal: 0.5, delay_days: 200}\n"
        "policies:\n  - name: only\n");
    struct direct d;
    direct_open(&d, sc);
    enum { R = 400 };
    double reentries[R];
    for (uint64_t r = 0; r < R; r++) {
        size_t months;
        direct_run(&d, r, &months);
        reentries[r] = d.metrics[M_RE_ENTRIES];
        assert_true(d.metrics[M_ARRIVALS] >= d.metrics[M_RE_ENTRIES]);
    }
    struct sample_summary s;
    stats_summarize(reentries, R, &s);
    assert_within(s.mean, s.se, 100 * (365.25 - 300) / AVRR_DAYS_PER_MONTH * 0.5, "re-entries");
    direct_close(&d);
    scenario_free(sc);
}

/* The stock alone, unlimited service: size x (1 - (1 - rate)^horizon) depart. */
static void test_stock_departures_closed_form(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: stock\nhorizon_months: 24\nseed: 13\n"
        "model:\n  arrivals: {per_month: 0}\n  stock: {size: 1000}\n"
        "  avrr: {offered: true, applications_in_community: 0.02}\n"
        "policies:\n  - name: AVRR\n");
    struct direct d;
    direct_open(&d, sc);
    enum { R = 300 };
    double departures[R];
    for (uint64_t r = 0; r < R; r++) {
        size_t months;
        direct_run(&d, r, &months);
        departures[r] = d.metrics[M_AVRR_DEPARTURES];
    }
    struct sample_summary s;
    stats_summarize(departures, R, &s);
    assert_within(s.mean, s.se, 1000 * (1 - pow(0.98, 24)), "stock departures");
    direct_close(&d);
    scenario_free(sc);
}

/* Applications from detention at a constant hazard h: with a fixed length L,
 * the share of detainees who apply is 1 - exp(-h L). */
static void test_detention_applications(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: apply\nhorizon_months: 12\nseed: 17\n"
        "model:\n  arrivals: {per_month: 200}\n"
        "  detention: {share: 1, length_days: 90}\n"
        "  avrr: {offered: true, uptake: 0, applications_in_detention: 0.1}\n"
        "policies:\n  - name: AVRR\n");
    struct direct d;
    direct_open(&d, sc);
    enum { R = 300 };
    double share[R];
    for (uint64_t r = 0; r < R; r++) {
        size_t months;
        direct_run(&d, r, &months);
        share[r] = d.metrics[M_AVRR_DEPARTURES] / d.metrics[M_ARRIVALS];
    }
    struct sample_summary s;
    stats_summarize(share, R, &s);
    double h = -log(0.9) / AVRR_DAYS_PER_MONTH;
    assert_within(s.mean, s.se, 1 - exp(-h * 90), "applications from detention");
    direct_close(&d);
    scenario_free(sc);
}

/* With a start month, seasonality's first entry is January. */
static void test_seasonality_follows_the_calendar(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: seasons\nhorizon_months: 12\nstart: 2011-07\nseed: 3\n"
        "model:\n  arrivals: {per_month: 100, seasonality: [1, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1]}\n"
        "policies:\n  - name: only\n");
    struct direct d;
    direct_open(&d, sc);
    double july = 0, august = 0;
    for (uint64_t r = 0; r < 200; r++) {
        size_t months;
        const double *series = direct_run(&d, r, &months);
        july += series_at(series, 1, 0, 0, S_ARRIVALS);
        august += series_at(series, 1, 1, 0, S_ARRIVALS);
    }
    /* 300 against 100 a month, over 200 replications: far beyond noise */
    assert_true(fabs(july / 200 - 300) < 4 * sqrt(300.0 / 200));
    assert_true(fabs(august / 200 - 100) < 4 * sqrt(100.0 / 200));
    direct_close(&d);
    scenario_free(sc);
}

/* Negative binomial monthly counts: variance / mean as asked. */
static void test_variance_ratio(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: overdispersed\nhorizon_months: 1\nseed: 21\n"
        "model:\n  arrivals: {per_month: 500, variance_ratio: 4}\n"
        "policies:\n  - name: only\n");
    struct direct d;
    direct_open(&d, sc);
    enum { R = 4000 };
    double *counts = malloc(R * sizeof *counts);
    for (uint64_t r = 0; r < R; r++) {
        size_t months;
        direct_run(&d, r, &months);
        counts[r] = d.metrics[M_ARRIVALS];
    }
    struct sample_summary s;
    stats_summarize(counts, R, &s);
    assert_within(s.mean, s.se, 500, "mean count");
    /* variance 2000: its sample estimate has sd about 2000 sqrt(2 / R) */
    assert_true(fabs(s.sd * s.sd - 2000) < 4 * 2000 * sqrt(2.0 / R) * 1.2);
    free(counts);
    direct_close(&d);
    scenario_free(sc);
}

/* A legal cap: detentions longer than max_days end in release at the cap. */
static void test_max_days_cap(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: cap\nhorizon_months: 6\nseed: 2\n"
        "model:\n  arrivals: {per_month: 100}\n"
        "  detention: {share: 1, length_days: {dist: uniform, min: 0, max: 100}, max_days: 60}\n"
        "  removal: {probability: 1}\n"
        "policies:\n  - name: only\n");
    struct direct d;
    direct_open(&d, sc);
    enum { R = 300 };
    double removed[R], days[R];
    for (uint64_t r = 0; r < R; r++) {
        size_t months;
        direct_run(&d, r, &months);
        removed[r] = d.metrics[M_REMOVALS] / d.metrics[M_ARRIVALS];
        days[r] = d.metrics[M_DETENTION_DAYS] / d.metrics[M_ARRIVALS];
    }
    struct sample_summary s;
    stats_summarize(removed, R, &s);
    assert_within(s.mean, s.se, 0.6, "share removed before the cap");
    stats_summarize(days, R, &s);
    /* E[min(U(0,100), 60)] = 0.6 * 30 + 0.4 * 60 = 42 */
    assert_within(s.mean, s.se, 42, "mean days under the cap");
    direct_close(&d);
    scenario_free(sc);
}

/* A stop flag (set by the signal handler when the user interrupts) ends a
 * replication as interrupted: through the model, checked between its
 * parts; and inside the event path's loop, which a long
 * replication spends most of its time in (checked as the clock enters each
 * month: the simulation stops in the middle). Unset, the same replication
 * runs to its end. */
static void test_stop_interrupts_a_replication(void **state)
{
    (void)state;
    struct scenario *sc = load_text(
        "name: long\nhorizon_months: 24\nseed: 5\n"
        "model:\n  arrivals: {per_month: 300}\n"
        "  detention: {capacity: 500, length_days: {dist: gamma, mean: 60, sd: 20}}\n"
        "policies:\n  - name: Detention only\n");
    volatile sig_atomic_t stop = 0;
    struct direct d;
    direct_open_stoppable(&d, sc, &stop);
    char why[256];
    assert_int_equal(sc->model->replicate(d.workspace, 0, d.metrics, why, sizeof why), 0);
    stop = 1;
    assert_int_equal(sc->model->replicate(d.workspace, 0, d.metrics, why, sizeof why), -1);
    assert_string_equal(why, "interrupted");

    /* the event path by itself: no check before its loop, so only the one
     * inside can stop it */
    const struct avrr_params *a = d.params[0];
    const struct avrr_params *params[1] = {a};
    struct people_needs needs;
    avrr_find_needs(params, 1, &needs);
    struct people pp;
    assert_int_equal(people_init(&pp, gsl_rng_taus2, 1), 0);
    assert_int_equal(people_draw(&pp, sc->seed, 0, a, params, &needs), 0);
    policy_run *run = policy_run_new(gsl_rng_taus2, &stop);
    assert_non_null(run);
    struct policy_outcome outcome;
    assert_int_equal(policy_run_simulate(run, a, &pp, sc->seed, 0, 0, &outcome, why, sizeof why), -1);
    assert_string_equal(why, "interrupted");
    stop = 0;
    assert_int_equal(policy_run_simulate(run, a, &pp, sc->seed, 0, 0, &outcome, why, sizeof why), 0);
    assert_true(outcome.metrics[M_PEAK_DETAINED] > 0);
    policy_run_free(run);
    people_clear(&pp);
    direct_close(&d);
    scenario_free(sc);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_beds_and_service_never_over_capacity),
        cmocka_unit_test(test_littles_law),
        cmocka_unit_test(test_discounting_closed_form),
        cmocka_unit_test(test_discounting_of_daily_costs),
        cmocka_unit_test(test_reentries_closed_form),
        cmocka_unit_test(test_stock_departures_closed_form),
        cmocka_unit_test(test_detention_applications),
        cmocka_unit_test(test_seasonality_follows_the_calendar),
        cmocka_unit_test(test_variance_ratio),
        cmocka_unit_test(test_max_days_cap),
        cmocka_unit_test(test_stop_interrupts_a_replication),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ytree_release_sources();
    return failed;
}
