/* test_direct_path: the direct path (models/policy_direct.c) against the
 * event-driven simulation (models/policy_run.c) on the same people: for
 * several parameter sets, every metric and every monthly series value of
 * every replication agree to 1e-9 relative (the event path is forced through
 * avrr_params.force_event_path). Also its parts on their own: the peak count
 * against a brute-force count, the discount table against the library, and
 * the lazily drawn processing times (keyed by person, whatever the order of
 * asking). */
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
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "engine/runner.h"
#include "engine/scenario.h"
#include "models/avrr.h"
#include "models/discount_table.h"
#include "models/event_queue.h"
#include "models/keyed_column.h"
#include "models/peak_count.h"
#include "models/policy_direct.h"
#include "tests/unit/scenario_text.h"

static struct scenario *load_text(const char *text)
{
    return load_text_with(text, NULL, 0);
}

/* The model driven replication by replication, with fixed parameters. */
struct harness {
    const struct scenario *sc;
    struct avrr_params **params;
    struct dist **dists;
    void *workspace;
};

static void harness_open(struct harness *h, const struct scenario *sc)
{
    const struct model_interface *model = sc->model;
    assert_int_equal(sc->n_uncertain, 0);
    h->sc = sc;
    h->params = calloc(sc->n_policies, sizeof *h->params);
    h->dists = calloc(sc->n_policies * model->n_keys, sizeof *h->dists);
    char why[256];
    for (size_t p = 0; p < sc->n_policies; p++) {
        h->params[p] = calloc(1, model->params_size);
        for (size_t k = 0; k < model->n_keys; k++)
            if (model->keys[k].kind == SCHEMA_PERSON_DIST)
                h->dists[p * model->n_keys + k] = dist_alloc_for(&sc->policies[p].values[k].spec);
        assert_int_equal(runner_resolve_policy(sc, &sc->policies[p], NULL, h->params[p],
                                               h->dists + p * model->n_keys, why, sizeof why), 0);
    }
    struct model_setup setup = {.rng_type = gsl_rng_taus2, .seed = sc->seed,
                                .n_policies = sc->n_policies,
                                .params = (const void *const *)h->params};
    h->workspace = model->workspace_new(&setup);
    assert_non_null(h->workspace);
}

static void harness_close(struct harness *h)
{
    const struct model_interface *model = h->sc->model;
    model->workspace_free(h->workspace);
    for (size_t p = 0; p < h->sc->n_policies; p++) {
        free(h->params[p]);
        for (size_t k = 0; k < model->n_keys; k++)
            dist_free(h->dists[p * model->n_keys + k]);
    }
    free(h->params);
    free(h->dists);
}

/* Runs replication r by one path; copies its metrics and series into
 * malloc'ed arrays. */
static void run_path(struct harness *h, uint64_t r, bool force_events, double **metrics,
                     double **series, size_t *months)
{
    const struct model_interface *model = h->sc->model;
    size_t n = h->sc->n_policies;
    for (size_t p = 0; p < n; p++)
        h->params[p]->force_event_path = force_events;
    *metrics = malloc(n * M_COUNT * sizeof **metrics);
    char why[256];
    assert_int_equal(model->replicate(h->workspace, r, *metrics, why, sizeof why), 0);
    const double *s = model->series(h->workspace, months);
    size_t values = *months * n * S_COUNT;
    *series = malloc((values ? values : 1) * sizeof **series);
    memcpy(*series, s, values * sizeof **series);
}

static bool agree(double a, double b)
{
    return a == b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* The worst relative difference seen, for the report. */
static double worst;

static void note(double a, double b)
{
    if (a != b) {
        double rel = fabs(a - b) / fmax(fabs(a), fabs(b));
        if (rel > worst)
            worst = rel;
    }
}

/* Runs `replications` replications of the scenario both ways and compares
 * everything; every policy must take the direct path, and share the people
 * they treat alike with the first policy when `alike` (else not). */
static void check_paths_agree(const char *text, uint64_t replications, bool alike)
{
    struct scenario *sc = load_text(text);
    struct harness h;
    harness_open(&h, sc);
    size_t n = sc->n_policies;
    for (size_t p = 0; p < n; p++) {
        assert_true(policy_direct_applies(h.params[p]));
        if (p > 0)
            assert_true(policy_direct_alike(h.params[0], h.params[p]) == alike);
    }
    double largest_peak = 0;
    for (uint64_t r = 0; r < replications; r++) {
        double *direct_metrics, *event_metrics, *direct_series, *event_series;
        size_t direct_months, event_months;
        run_path(&h, r, false, &direct_metrics, &direct_series, &direct_months);
        run_path(&h, r, true, &event_metrics, &event_series, &event_months);
        assert_int_equal(direct_months, event_months);
        for (size_t p = 0; p < n; p++)
            for (size_t m = 0; m < M_COUNT; m++) {
                double a = direct_metrics[p * M_COUNT + m], b = event_metrics[p * M_COUNT + m];
                note(a, b);
                if (!agree(a, b)) {
                    fprintf(stderr, "replication %llu policy %zu metric %s: direct %.17g, events %.17g\n",
                            (unsigned long long)r, p, avrr_model.metrics[m].name, a, b);
                    fail();
                }
            }
        for (size_t i = 0; i < direct_months * n * S_COUNT; i++) {
            note(direct_series[i], event_series[i]);
            if (!agree(direct_series[i], event_series[i])) {
                size_t s = i % S_COUNT, p = i / S_COUNT % n, month = i / S_COUNT / n;
                fprintf(stderr, "replication %llu month %zu policy %zu series %s: direct %.17g, "
                        "events %.17g\n", (unsigned long long)r, month, p,
                        avrr_model.series_metrics[s].name, direct_series[i], event_series[i]);
                fail();
            }
        }
        for (size_t p = 0; p < n; p++)
            largest_peak = fmax(largest_peak, direct_metrics[p * M_COUNT + M_PEAK_DETAINED]);
        free(direct_metrics);
        free(event_metrics);
        free(direct_series);
        free(event_series);
    }
    fprintf(stderr, "    worst relative difference so far: %.3g\n", worst);
    harness_close(&h);
    scenario_free(sc);
}

/* The baseline's shape: everyone detained, lognormal stays capped at a
 * year, removals, AVRR at intake waiting in the community or in detention,
 * discounting. */
static void test_agree_detention_and_avrr_at_intake(void **state)
{
    (void)state;
    check_paths_agree("name: intake\nhorizon_months: 12\nseed: 5\ndiscount_rate: 0.03\n"
                      "model:\n  arrivals: {per_month: 300}\n"
                      "  detention: {share: 1.0, length_days: {dist: lognormal, mean: 46, sd: 85}, "
                      "max_days: 365, cost_per_day: 110}\n"
                      "  removal: {probability: 0.3, cost: 14650}\n"
                      "  avrr: {uptake: 0.1, processing_days: {dist: gamma, mean: 45, sd: 20}, "
                      "case_cost: 3000, reintegration_cost: 7500}\n"
                      "  program: {setup_cost: 1000000, cost_per_month: 50000, external_funding: 200000}\n"
                      "policies:\n  - name: Detention only\n"
                      "  - name: AVRR\n    set: {avrr: {offered: true}}\n"
                      "  - name: AVRR waiting in detention\n"
                      "    set: {avrr: {offered: true, wait_in: detention, uptake: 0.25}}\n", 30, true);
}

/* People released at arrival and from detention, living in the community at
 * a cost until the horizon, applying for AVRR from detention and from the
 * community (the stock too), at a high discount rate. */
static void test_agree_community_pathways(void **state)
{
    (void)state;
    check_paths_agree("name: community\nhorizon_months: 18\nseed: 9\ndiscount_rate: 1.0\n"
                      "model:\n  arrivals: {per_month: 200, seasonality: [1, 1, 2, 1, 1, 0.5, 1, 1, 1, 1, 1, 1]}\n"
                      "  stock: {size: 150}\n  community: {cost_per_day: 20}\n"
                      "  detention: {share: 0.6, length_days: {dist: gamma, mean: 90, sd: 60}, "
                      "cost_per_day: 120}\n"
                      "  removal: {probability: 0.4, cost: 9000.5}\n"
                      "  avrr: {uptake: 0.2, applications_in_detention: 0.15, "
                      "applications_in_community: 0.08, processing_days: {dist: uniform, min: 10, max: 90}, "
                      "case_cost: 2500.25, reintegration_cost: 6000}\n"
                      "policies:\n  - name: No AVRR\n"
                      "  - name: AVRR, community\n    set: {avrr: {offered: true}}\n"
                      "  - name: AVRR, detention\n    set: {avrr: {offered: true, wait_in: detention}}\n", 25, false);
}

/* No discounting; everyone removed (p = 1) or nobody detained (share 0);
 * stays of fixed length, some of zero days (arrival and departure the same
 * day), and processing of zero days. */
static void test_agree_fixed_and_zero_lengths(void **state)
{
    (void)state;
    check_paths_agree("name: edges\nhorizon_months: 6\nseed: 13\ndiscount_rate: 0\n"
                      "model:\n  arrivals: {per_month: 150, variance_ratio: 3}\n"
                      "  detention: {share: 1, length_days: {dist: empirical, values: [0, 30], "
                      "weights: [0.3, 0.7]}, cost_per_day: 100}\n"
                      "  removal: {probability: 1, cost: 10000}\n"
                      "  community: {cost_per_day: 5}\n"
                      "  avrr: {uptake: 0.5, processing_days: 0, applications_in_community: 0.3}\n"
                      "policies:\n  - name: All removed\n"
                      "  - name: AVRR\n    set: {avrr: {offered: true, wait_in: detention}}\n"
                      "  - name: Nobody detained\n    set: {detention: {share: 0}, avrr: {offered: true}}\n", 25, false);
}

/* A short horizon cut in the middle of long stays: detentions and
 * departures run for years past it, and community costs stop at it. */
static void test_agree_horizon_cut_mid_stay(void **state)
{
    (void)state;
    check_paths_agree("name: cut\nhorizon_months: 3\nseed: 21\ndiscount_rate: 0.05\nstart: 2014-11\n"
                      "model:\n  arrivals: {per_month: 400}\n  stock: {size: 50}\n"
                      "  community: {cost_per_day: 12}\n"
                      "  detention: {share: 0.8, length_days: {dist: lognormal, mean: 400, sd: 600}, "
                      "cost_per_day: 90}\n"
                      "  removal: {probability: 0.25, cost: 14650}\n"
                      "  avrr: {uptake: 0.3, applications_in_detention: 0.05, "
                      "processing_days: {dist: gamma, mean: 120, sd: 60}}\n"
                      "policies:\n  - name: Long stays\n"
                      "  - name: AVRR\n    set: {avrr: {offered: true, wait_in: detention}}\n"
                      "  - name: AVRR, capped stays\n"
                      "    set: {avrr: {offered: true}, detention: {max_days: 200}}\n", 25, false);
}

/* Everyone detained applies within days and leaves long before the end of
 * their detention: the last event of a replication is the end of a
 * detention nobody serves any more (it still ends, as an event). */
static void test_agree_detention_outlasting_applications(void **state)
{
    (void)state;
    check_paths_agree("name: stale\nhorizon_months: 2\nseed: 2\n"
                      "model:\n  arrivals: {per_month: 50}\n"
                      "  detention: {share: 1, length_days: 1500}\n"
                      "  avrr: {uptake: 0, applications_in_detention: 0.99, processing_days: 10}\n"
                      "policies:\n  - name: AVRR, community\n    set: {avrr: {offered: true}}\n"
                      "  - name: AVRR, detention\n    set: {avrr: {offered: true, wait_in: detention}}\n", 5, false);
}

/* Policies alike but for AVRR at intake share one pass over the people
 * none of them sends to AVRR: with their own daily costs, everyone applying
 * under one of them, a stock in the community at a cost, capped stays. */
static void test_agree_policies_sharing_people(void **state)
{
    (void)state;
    check_paths_agree("name: alike\nhorizon_months: 10\nseed: 31\ndiscount_rate: 0.04\n"
                      "model:\n  arrivals: {per_month: 250}\n  stock: {size: 100}\n"
                      "  community: {cost_per_day: 15}\n"
                      "  detention: {share: 0.7, length_days: {dist: lognormal, mean: 60, sd: 90}, "
                      "max_days: 120, cost_per_day: 110}\n"
                      "  removal: {probability: 0.35, cost: 14650}\n"
                      "  avrr: {uptake: 0.3, processing_days: {dist: gamma, mean: 30, sd: 15}}\n"
                      "policies:\n  - name: Detention only\n"
                      "  - name: Everyone applies\n    set: {avrr: {offered: true, uptake: 1}}\n"
                      "  - name: AVRR, dearer detention\n"
                      "    set: {avrr: {offered: true, wait_in: detention}, detention: {cost_per_day: 150}}\n"
                      "  - name: Cheaper detention, cheaper community\n"
                      "    set: {detention: {cost_per_day: 80}, community: {cost_per_day: 9}}\n",
                      25, true);
}

/* The choice of path follows from the parameters alone. */
static void test_direct_path_chosen_by_parameters(void **state)
{
    (void)state;
    struct avrr_params a;
    memset(&a, 0, sizeof a);
    a.detention.capacity = INFINITY;
    a.avrr.departures_per_month = INFINITY;
    a.removal.probability = 0.3;
    a.detention.share = 1;
    assert_true(policy_direct_applies(&a));
    a.avrr.offered = true;
    assert_true(policy_direct_applies(&a));
    a.remigration.after_avrr = 0.2;   /* re-entrants draw in the order of departures */
    assert_false(policy_direct_applies(&a));
    a.avrr.offered = false;           /* nobody departs through AVRR: no re-entry */
    assert_true(policy_direct_applies(&a));
    a.remigration.after_removal = 0.1;
    assert_false(policy_direct_applies(&a));
    a.removal.probability = 0;        /* nobody removed */
    assert_true(policy_direct_applies(&a));
    a.detention.capacity = 3300;      /* beds: people compete */
    assert_false(policy_direct_applies(&a));
    a.detention.capacity = INFINITY;
    a.avrr.offered = true;
    a.avrr.departures_per_month = 40; /* a queue */
    assert_false(policy_direct_applies(&a));
}

/* The peak count against a brute force (every event sorted, arrivals first
 * on equal days), over random entries and departures with ties. */
static void test_peak_count_matches_brute_force(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 17);
    struct peak_count pc, shared;
    memset(&pc, 0, sizeof pc);
    memset(&shared, 0, sizeof shared);
    for (int round = 0; round < 300; round++) {
        size_t n = 1 + gsl_rng_uniform_int(rng, round < 50 ? 20 : 3000);
        double *day = malloc(n * sizeof *day), *leave = malloc(n * sizeof *leave);
        int *held = calloc(n, sizeof *held);
        double scale = round % 3 == 0 ? 0.01 : 1.0;   /* crowded cells */
        for (size_t i = 0; i < n; i++) {
            /* whole days sometimes, so that arrivals and departures tie */
            double t = gsl_rng_uniform(rng) * 300 * scale;
            day[i] = round % 2 ? floor(t) : t;
        }
        gsl_sort(day, 1, n);
        /* some entries counted in a shared part, the rest on top of it */
        bool split = round % 4 == 1;
        assert_int_equal(peak_count_start(&shared, day, n), 0);
        if (split)
            assert_int_equal(peak_count_start_from(&pc, &shared), 0);
        else
            assert_int_equal(peak_count_start(&pc, day, n), 0);
        for (size_t i = 0; i < n; i++) {
            if (gsl_rng_uniform(rng) < 0.2)
                continue;
            held[i] = 1;
            double stay = gsl_rng_uniform(rng) < 0.1 ? 0 : gsl_rng_uniform(rng) * 60 * scale;
            leave[i] = round % 2 ? day[i] + floor(stay) : day[i] + stay;
            struct peak_count *into = split && i % 2 ? &shared : &pc;
            peak_count_enter(into, i);
            peak_count_leave(into, leave[i]);
        }
        if (split)
            assert_int_equal(peak_count_seal(&shared), 0);
        /* brute force: after each arrival, entries so far less departures strictly before it */
        int64_t expected = 0, entries = 0;
        for (size_t i = 0; i < n; i++) {
            if (!held[i])
                continue;
            entries++;
            int64_t gone = 0;
            for (size_t j = 0; j < n; j++)
                gone += held[j] && leave[j] < day[i];
            if (entries - gone > expected)
                expected = entries - gone;
        }
        int64_t got = peak_count_finish(&pc);
        if (got != expected) {
            fprintf(stderr, "round %d (n %zu): peak %lld, brute force %lld\n", round, n,
                    (long long)got, (long long)expected);
            fail();
        }
        free(day);
        free(leave);
        free(held);
    }
    peak_count_clear(&pc);
    peak_count_clear(&shared);
    gsl_rng_free(rng);
}

/* The table gives the library's exp and expm1 to a few units in the last
 * place, for rates from tiny to the largest allowed, past the table too. */
static void test_discount_table_matches_library(void **state)
{
    (void)state;
    const double rates[] = {1e-9, 0.001, 0.03, 0.2, 1.0};
    struct discount_table t;
    memset(&t, 0, sizeof t);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 3);
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        double k = log1p(rates[r]) / 365.25;
        assert_int_equal(discount_table_prepare(&t, k, 2000), 0);
        for (int i = 0; i < 100000; i++) {
            double day = i == 0 ? 0 : i == 1 ? 1999.9999999 : gsl_rng_uniform(rng) * 2500;
            double e1 = expm1(-k * day), f = exp(-k * day);
            assert_true(fabs(discount_expm1(&t, day) - e1) <= 8e-16 * fabs(e1));
            assert_true(fabs(discount_factor(&t, day) - f) <= 8e-16 * f);
        }
    }
    discount_table_clear(&t);
    gsl_rng_free(rng);
}

/* A person's lazily drawn value does not depend on who else is asked, nor
 * in which order; another replication or stream gives other values; the
 * draws have the distribution's mean and variance. */
static void test_keyed_draws_depend_on_person_only(void **state)
{
    (void)state;
    struct dist gamma_dist;
    memset(&gamma_dist, 0, sizeof gamma_dist);
    struct dist_spec spec;
    memset(&spec, 0, sizeof spec);
    /* gamma with mean 45 and sd 20 through the engine's own resolution */
    struct scenario *sc = load_text("name: g\nhorizon_months: 1\nmodel:\n  avrr: {processing_days: "
                                    "{dist: gamma, mean: 45, sd: 20}}\npolicies:\n  - name: a\n");
    size_t key = 0;
    while (strcmp(avrr_keys[key].path, "model.avrr.processing_days") != 0)
        key++;
    struct dist *d = dist_alloc_for(&sc->policies[0].values[key].spec);
    char why[128];
    assert_int_equal(dist_resolve(d, &sc->policies[0].values[key].spec, NULL, why, sizeof why), 0);

    enum { N = 200000 };
    struct keyed_column forward, backward;
    assert_int_equal(keyed_column_init(&forward), 0);
    assert_int_equal(keyed_column_init(&backward), 0);
    assert_int_equal(keyed_column_start(&forward, d, 11, 4, 320, N), 0);
    assert_int_equal(keyed_column_start(&backward, d, 11, 4, 320, N), 0);
    for (size_t i = N; i-- > 0;)
        if (i % 3 != 1)   /* a different set of persons, asked in the other order */
            keyed_column_get(&backward, i);
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < N; i++) {
        double v = keyed_column_get(&forward, i);
        sum += v;
        sum2 += v * v;
        assert_true(v == keyed_column_get(&backward, i));
        assert_true(v == keyed_column_get(&forward, i));   /* remembered */
    }
    double mean = sum / N, variance = sum2 / N - mean * mean;
    assert_true(fabs(mean - 45) < 4 * 20 / sqrt(N));
    assert_true(fabs(variance - 400) < 4 * 400 * sqrt(2.0 / N) * 1.5);   /* gamma: kurtosis > 3 */
    /* another replication, another stream: other values */
    assert_int_equal(keyed_column_start(&backward, d, 11, 5, 320, N), 0);
    assert_int_equal(keyed_column_start(&forward, d, 11, 4, 321, N), 0);
    int same = 0;
    struct keyed_column reference;
    assert_int_equal(keyed_column_init(&reference), 0);
    assert_int_equal(keyed_column_start(&reference, d, 11, 4, 320, N), 0);
    for (size_t i = 0; i < 1000; i++) {
        double v = keyed_column_get(&reference, i);
        same += v == keyed_column_get(&backward, i) || v == keyed_column_get(&forward, i);
    }
    assert_int_equal(same, 0);
    keyed_column_clear(&forward);
    keyed_column_clear(&backward);
    keyed_column_clear(&reference);
    dist_free(d);
    scenario_free(sc);
}

/* A reference queue: a list kept sorted by (time, insertion). */
struct reference_queue {
    struct event *e;
    size_t n;
    uint64_t inserted;
};

static void reference_push(struct reference_queue *r, double time, uint32_t person)
{
    struct event e = {time, r->inserted++, person, 0};
    size_t i = r->n++;
    while (i > 0 && (r->e[i - 1].time > time ||
                     (r->e[i - 1].time == time && r->e[i - 1].order > e.order))) {
        r->e[i] = r->e[i - 1];
        i--;
    }
    r->e[i] = e;
}

/* The calendar queue gives events in the order of (time, insertion), as a
 * simulation uses it: events scheduled at the time taken or later (ties,
 * the same day, days ahead, past the ring of days), with arrivals taken in
 * between, over several runs of the same queue. */
static void test_event_queue_order(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 8);
    struct event_queue q;
    memset(&q, 0, sizeof q);
    struct reference_queue ref = {malloc(200000 * sizeof *ref.e), 0, 0};
    for (int run = 0; run < 4; run++) {
        event_queue_reset(&q);
        ref.n = 0;
        ref.inserted = 0;
        double now = 0;
        uint32_t next_person = 0;
        size_t taken = 0;
        for (int step = 0; step < 60000; step++) {
            /* an arrival (not queued) may come before the next queued event */
            double arrival = now + gsl_rng_uniform(rng) * 3;
            const struct event *head = event_queue_peek_until(&q, arrival);
            int from_queue = head && (ref.n > 0) && head->time < arrival;
            if (from_queue) {
                assert_true(ref.n > 0);
                struct event got = event_queue_pop(&q), want = ref.e[0];
                memmove(ref.e, ref.e + 1, --ref.n * sizeof *ref.e);
                assert_true(got.time == want.time && got.order == want.order &&
                            got.person == want.person);
                assert_true(got.time >= now);
                now = got.time;
                taken++;
            } else {
                /* nothing queued before the arrival's day ends, or nothing before the arrival */
                assert_true(ref.n == 0 || ref.e[0].time >= arrival);
                assert_true(head != NULL || ref.n == 0 || floor(ref.e[0].time) > floor(arrival));
                now = arrival;
            }
            int pushes = (int)gsl_rng_uniform_int(rng, ref.n < 3000 ? 4 : 2);
            for (int k = 0; k < pushes; k++) {
                double u = gsl_rng_uniform(rng), ahead;
                if (u < 0.1)
                    ahead = 0;                                 /* the same moment */
                else if (u < 0.3)
                    ahead = gsl_rng_uniform(rng);              /* the same day, or the next */
                else if (u < 0.95)
                    ahead = floor(gsl_rng_uniform(rng) * 400); /* whole days: ties */
                else
                    ahead = 2000 + gsl_rng_uniform(rng) * 9000; /* past the ring */
                assert_int_equal(event_queue_push(&q, now + ahead, next_person, 0), 0);
                reference_push(&ref, now + ahead, next_person);
                next_person++;
            }
        }
        /* drain */
        while (ref.n > 0) {
            const struct event *head = event_queue_peek_until(&q, INFINITY);
            assert_non_null(head);
            struct event got = event_queue_pop(&q), want = ref.e[0];
            memmove(ref.e, ref.e + 1, --ref.n * sizeof *ref.e);
            assert_true(got.time == want.time && got.order == want.order);
            taken++;
        }
        assert_null(event_queue_peek_until(&q, INFINITY));
        assert_int_equal(q.out_of_memory, 0);
        assert_true(taken > 10000);
    }
    free(ref.e);
    event_queue_clear(&q);
    gsl_rng_free(rng);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_direct_path_chosen_by_parameters),
        cmocka_unit_test(test_peak_count_matches_brute_force),
        cmocka_unit_test(test_discount_table_matches_library),
        cmocka_unit_test(test_keyed_draws_depend_on_person_only),
        cmocka_unit_test(test_event_queue_order),
        cmocka_unit_test(test_agree_detention_and_avrr_at_intake),
        cmocka_unit_test(test_agree_community_pathways),
        cmocka_unit_test(test_agree_fixed_and_zero_lengths),
        cmocka_unit_test(test_agree_horizon_cut_mid_stay),
        cmocka_unit_test(test_agree_detention_outlasting_applications),
        cmocka_unit_test(test_agree_policies_sharing_people),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ytree_release_sources();
    return failed;
}
