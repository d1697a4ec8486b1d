/* test_cluster_runs: what spreading runs over MPI ranks rests on, checked in
 * one process. A run cut into blocks of replications (run_plan first/end,
 * raw series), put back in order, equals the whole run bit for bit:
 * metrics, drawn parameters (also with Latin hypercube strata) and every
 * monthly statistic; the batches of a plan with `enough` end where the
 * runner's do; cluster_run with one rank hands each item's results to done
 * in order, equal to runner_run's, and stops on the first failure with its
 * status. (Several ranks: tests/mpi/run.sh under mpirun.) */
#define _DEFAULT_SOURCE /* mkstemps */
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

#include "engine/cluster.h"
#include "engine/cluster_runs.h"
#include "engine/runner.h"
#include "engine/scenario.h"
#include "models/avrr.h"
#include "tests/unit/scenario_text.h"


static const char *const scenario_text =
    "name: blocks\n"
    "horizon_months: 4\n"
    "replications: 240\n"
    "seed: 23\n"
    "model:\n"
    "  arrivals: {per_month: 15}\n"
    "  detention:\n"
    "    share: 1.0\n"
    "    length_days: {dist: gamma, mean: {dist: uniform, min: 20, max: 80}, sd: 10}\n"
    "    cost_per_day: {dist: triangular, min: 60, mode: 110, max: 210}\n"
    "  removal: {probability: {dist: beta, mean: 0.3, sd: 0.1}, cost: 14650}\n"
    "  avrr: {uptake: 0.2, case_cost: 3000, reintegration_cost: 7500,\n"
    "         processing_days: 30}\n"
    "policies:\n"
    "  - name: Detention only\n"
    "  - name: AVRR offered\n"
    "    set: {avrr: {offered: true}}\n";

/* Every monthly statistic of a and b, compared exactly. */
static void assert_same_series(const series_reducer *a, const series_reducer *b, size_t policies,
                               size_t metrics)
{
    assert_int_equal(series_reducer_months(a), series_reducer_months(b));
    assert_int_equal(series_reducer_count(a), series_reducer_count(b));
    for (size_t month = 0; month < series_reducer_months(a); month++)
        for (size_t p = 0; p < policies; p++)
            for (size_t m = 0; m < metrics; m++) {
                struct series_cell x, y;
                series_reducer_get(a, month, p, m, &x);
                series_reducer_get(b, month, p, m, &y);
                assert_memory_equal(&x, &y, sizeof x);
            }
}

/* Runs sc in the given blocks (raw series), gathers them as rank 0 does,
 * and compares with the whole run on 3 threads. */
static void check_blocks_equal_whole(struct scenario *sc, const size_t *cuts, size_t n_cuts)
{
    char why[256];
    struct run_results whole, gathered;
    assert_int_equal(runner_run(sc, 3, NULL, NULL, NULL, &whole, why, sizeof why), RUN_OK);
    assert_int_equal(run_results_alloc(sc, whole.replications, &gathered, why, sizeof why), RUN_OK);
    assert_non_null(gathered.series);
    size_t row = whole.n_policies * whole.n_metrics;
    size_t per_month = whole.n_policies * sc->model->n_series_metrics;
    for (size_t c = 0; c + 1 < n_cuts; c++) {
        struct run_plan plan = {.first = cuts[c], .end = cuts[c + 1], .raw_series = true};
        struct run_results block;
        assert_int_equal(runner_run_plan(sc, 2, &plan, NULL, NULL, NULL, &block, why, sizeof why), RUN_OK);
        size_t n = cuts[c + 1] - cuts[c];
        assert_int_equal(block.replications, n);
        assert_null(block.series);
        assert_non_null(block.raw_months);
        memcpy(gathered.metrics + cuts[c] * row, block.metrics, n * row * sizeof(double));
        memcpy(gathered.uncertain + cuts[c] * whole.n_uncertain, block.uncertain,
               n * whole.n_uncertain * sizeof(double));
        const double *at = block.raw_series;
        size_t used = 0;
        for (size_t i = 0; i < n; i++) {
            assert_true(block.raw_months[i] > 0);
            assert_int_equal(series_reducer_add(gathered.series, at, block.raw_months[i]), 0);
            at += block.raw_months[i] * per_month;
            used += block.raw_months[i] * per_month;
        }
        assert_int_equal(used, block.raw_size);
        run_results_free(&block);
    }
    assert_int_equal(series_reducer_finish(gathered.series), 0);
    assert_memory_equal(whole.metrics, gathered.metrics, whole.replications * row * sizeof(double));
    assert_memory_equal(whole.uncertain, gathered.uncertain,
                        whole.replications * whole.n_uncertain * sizeof(double));
    assert_same_series(whole.series, gathered.series, whole.n_policies, sc->model->n_series_metrics);
    run_results_free(&whole);
    run_results_free(&gathered);
}

static void test_blocks_equal_whole_run(void **state)
{
    (void)state;
    struct scenario *sc = load_text_with(scenario_text, NULL, 0);
    assert_int_equal(sc->n_uncertain, 3);
    const size_t cuts[] = {0, 64, 65, 150, 240};
    check_blocks_equal_whole(sc, cuts, sizeof cuts / sizeof cuts[0]);
    scenario_free(sc);
}

/* LHS strata are laid over the whole run, whichever block draws them. */
static void test_blocks_equal_whole_run_lhs(void **state)
{
    (void)state;
    const char *sets[] = {"sampling=lhs"};
    struct scenario *sc = load_text_with(scenario_text, sets, 1);
    const size_t cuts[] = {0, 100, 200, 240};
    check_blocks_equal_whole(sc, cuts, sizeof cuts / sizeof cuts[0]);
    scenario_free(sc);
}

static int never_enough(const struct run_results *so_far, void *user)
{
    (void)so_far;
    (void)user;
    return 0;
}

/* A block outside the run, or a block with batches, is refused. */
static void test_bad_blocks_refused(void **state)
{
    (void)state;
    struct scenario *sc = load_text_with(scenario_text, NULL, 0);
    struct run_results res;
    char why[256];
    struct run_plan beyond = {.first = 200, .end = 241};
    assert_int_equal(runner_run_plan(sc, 1, &beyond, NULL, NULL, NULL, &res, why, sizeof why), RUN_FAILED);
    assert_non_null(strstr(why, "not a block"));
    struct run_plan whole = {.first = 10};   /* end 0: the whole run, first ignored */
    assert_int_equal(runner_run_plan(sc, 1, &whole, NULL, NULL, NULL, &res, why, sizeof why), RUN_OK);
    assert_int_equal(res.replications, 240);
    run_results_free(&res);
    struct run_plan with_batches = {.first = 0, .end = 100, .enough = never_enough};
    assert_int_equal(runner_run_plan(sc, 1, &with_batches, NULL, NULL, NULL, &res, why, sizeof why),
                     RUN_FAILED);
    scenario_free(sc);
}

/* 100 first, then a quarter of those done (at least 100), capped. */
static void test_batch_ends(void **state)
{
    (void)state;
    struct run_plan plan = {.enough = never_enough};
    const size_t expected[] = {100, 200, 300, 400, 500, 625, 781, 976, 1000};
    size_t done = 0;
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        done = runner_batch_end(&plan, done, 1000);
        assert_int_equal(done, expected[i]);
    }
    plan.first_batch = 30;
    assert_int_equal(runner_batch_end(&plan, 0, 20), 20);
    assert_int_equal(runner_batch_end(&plan, 0, 1000), 30);
    assert_int_equal(runner_batch_end(&plan, 400, 1000), 500);
    struct run_plan plain = {0};
    assert_int_equal(runner_batch_end(&plain, 0, 1000), 1000);
}

/* ---------- cluster_run with one rank ---------- */

struct items {
    struct scenario *sc[3];
    size_t loads, done_count, order[3];
    double first_cost[3];
    int fail_load_at, stop_at;    /* -1: never */
};

static struct scenario *items_load(size_t item, void *user, int *status)
{
    struct items *it = user;
    it->loads++;
    if ((int)item == it->fail_load_at) {
        *status = 2;
        return NULL;
    }
    return it->sc[item];
}

static int items_done(size_t item, const struct scenario *sc, struct run_results *res, void *user)
{
    struct items *it = user;
    assert_ptr_equal(sc, it->sc[item]);
    assert_int_equal(res->replications, (size_t)sc->replications);
    it->order[it->done_count++] = item;
    it->first_cost[item] = res->metrics[0];
    run_results_free(res);
    return (int)item == it->stop_at ? 7 : -1;
}

static void items_setup(struct items *it)
{
    memset(it, 0, sizeof *it);
    const char *seeds[3][1] = {{"seed=1"}, {"seed=2"}, {"seed=3"}};
    for (size_t i = 0; i < 3; i++)
        it->sc[i] = load_text_with(scenario_text, seeds[i], 1);
    it->fail_load_at = it->stop_at = -1;
}

static void items_teardown(struct items *it)
{
    for (size_t i = 0; i < 3; i++)
        scenario_free(it->sc[i]);
}

static void test_alone_items_in_order(void **state)
{
    (void)state;
    assert_int_equal(cluster_size(), 1);
    assert_true(cluster_is_writer());
    struct items it;
    items_setup(&it);
    struct cluster_job job = {.n_items = 3, .load = items_load, .done = items_done, .user = &it,
                              .threads = 2};
    struct cluster_failure failure;
    assert_int_equal(cluster_run(&job, &failure), 0);
    assert_int_equal(it.done_count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(it.order[i], i);
        struct run_results res;
        char why[256];
        assert_int_equal(runner_run(it.sc[i], 1, NULL, NULL, NULL, &res, why, sizeof why), RUN_OK);
        assert_true(res.metrics[0] == it.first_cost[i]);
        run_results_free(&res);
    }
    assert_true(it.first_cost[0] != it.first_cost[1]);   /* the seeds differ */
    items_teardown(&it);
}

static void test_alone_stops_on_failure(void **state)
{
    (void)state;
    struct items it;
    items_setup(&it);
    it.stop_at = 0;
    struct cluster_job job = {.n_items = 3, .load = items_load, .done = items_done, .user = &it,
                              .threads = 1};
    struct cluster_failure failure;
    assert_int_equal(cluster_run(&job, &failure), -1);
    assert_int_equal(failure.status, 7);
    assert_false(failure.interrupted);
    assert_int_equal(it.done_count, 1);
    it.stop_at = -1;
    it.fail_load_at = 1;
    it.done_count = 0;
    assert_int_equal(cluster_run(&job, &failure), -1);
    assert_int_equal(failure.status, 2);
    assert_int_equal(it.done_count, 1);
    assert_string_equal(failure.why, "");
    items_teardown(&it);
}

/* One rank agrees with itself; shared values stay. */
static void test_alone_agree_and_share(void **state)
{
    (void)state;
    char why[64] = "x";
    assert_int_equal(cluster_agree(-1, why, sizeof why), -1);
    assert_int_equal(cluster_agree(2, why, sizeof why), 2);
    uint64_t value = 1234;
    assert_int_equal(cluster_share(&value), 0);
    assert_int_equal(value, 1234);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_equal_whole_run),
        cmocka_unit_test(test_blocks_equal_whole_run_lhs),
        cmocka_unit_test(test_bad_blocks_refused),
        cmocka_unit_test(test_batch_ends),
        cmocka_unit_test(test_alone_items_in_order),
        cmocka_unit_test(test_alone_stops_on_failure),
        cmocka_unit_test(test_alone_agree_and_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
