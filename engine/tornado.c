/* tornado: one-way sensitivity analysis (tornado.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/csv.h"
#include "engine/tornado.h"

/* Mean over replications of policy p's total cost minus the baseline's. */
static double mean_difference(const struct scenario *sc, const struct run_results *res, size_t p)
{
    size_t cost = sc->model->headline.total_cost;
    double sum = 0;
    for (size_t r = 0; r < res->replications; r++) {
        const double *row = res->metrics + r * res->n_policies * res->n_metrics;
        sum += row[p * res->n_metrics + cost] - row[cost];
    }
    return sum / (double)res->replications;
}

/* One run with the uncertain parameters at `values`; differences[p] for every policy. */
static enum run_status run_at(const struct scenario *sc, unsigned threads, const double *values,
                              const volatile sig_atomic_t *cancel, double *differences, char *why,
                              size_t why_size)
{
    struct run_plan plan = {.fixed_uncertain = values};
    struct run_results res;
    enum run_status status = runner_run_plan(sc, threads, &plan, NULL, NULL, cancel, &res, why, why_size);
    if (status != RUN_OK)
        return status;
    for (size_t p = 0; p < sc->n_policies; p++)
        differences[p] = mean_difference(sc, &res, p);
    run_results_free(&res);
    return RUN_OK;
}

static int by_policy_then_swing(const void *a, const void *b)
{
    const struct tornado_row *x = a, *y = b;
    if (x->policy != y->policy)
        return x->policy < y->policy ? -1 : 1;
    if (x->swing != y->swing)
        return x->swing > y->swing ? -1 : 1;
    return x->parameter < y->parameter ? -1 : x->parameter > y->parameter;
}

enum run_status tornado_compute(const struct scenario *sc, unsigned threads,
                                tornado_progress_fn progress, void *user,
                                const volatile sig_atomic_t *cancel, struct tornado *out,
                                char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    size_t K = sc->n_uncertain, P = sc->n_policies;
    if (P < 2) {
        snprintf(why, why_size, "a tornado compares policies with the baseline: the scenario has one policy");
        return RUN_FAILED;
    }
    if (K == 0) {
        snprintf(why, why_size, "the scenario has no uncertain parameter to vary (give a key a "
                                "distribution, e.g. {dist: uniform, min: 70, max: 200})");
        return RUN_FAILED;
    }
    double *means = malloc(K * sizeof *means), *lows = malloc(K * sizeof *lows);
    double *highs = malloc(K * sizeof *highs), *values = malloc(K * sizeof *values);
    double *at_mean = malloc(P * sizeof *at_mean), *at_low = malloc(P * sizeof *at_low);
    double *at_high = malloc(P * sizeof *at_high);
    out->rows = calloc((P - 1) * K, sizeof *out->rows);
    enum run_status status = RUN_FAILED;
    if (!means || !lows || !highs || !values || !at_mean || !at_low || !at_high || !out->rows) {
        snprintf(why, why_size, "out of memory");
        goto done;
    }
    if (runner_uncertain_points(sc, means, lows, highs, why, why_size) != 0)
        goto done;
    size_t runs = 1 + 2 * K;
    if (progress)
        progress(user, 0, runs);
    memcpy(values, means, K * sizeof *values);
    if ((status = run_at(sc, threads, values, cancel, at_mean, why, why_size)) != RUN_OK)
        goto done;
    for (size_t k = 0; k < K; k++) {
        if (progress)
            progress(user, 1 + 2 * k, runs);
        values[k] = lows[k];
        if ((status = run_at(sc, threads, values, cancel, at_low, why, why_size)) != RUN_OK)
            goto done;
        if (progress)
            progress(user, 2 + 2 * k, runs);
        values[k] = highs[k];
        if ((status = run_at(sc, threads, values, cancel, at_high, why, why_size)) != RUN_OK)
            goto done;
        values[k] = means[k];
        for (size_t p = 1; p < P; p++) {
            struct tornado_row *row = &out->rows[out->n_rows++];
            *row = (struct tornado_row){
                .policy = p, .parameter = k, .mean = means[k], .low = lows[k], .high = highs[k],
                .low_given = sc->uncertain[k].spec.has_low, .high_given = sc->uncertain[k].spec.has_high,
                .at_low = at_low[p], .at_mean = at_mean[p], .at_high = at_high[p],
                .swing = fabs(at_high[p] - at_low[p])};
        }
    }
    if (progress)
        progress(user, runs, runs);
    qsort(out->rows, out->n_rows, sizeof *out->rows, by_policy_then_swing);
    out->replications = (size_t)sc->replications;
    status = RUN_OK;
done:
    free(means);
    free(lows);
    free(highs);
    free(values);
    free(at_mean);
    free(at_low);
    free(at_high);
    if (status != RUN_OK)
        tornado_free(out);
    return status;
}

void tornado_free(struct tornado *t)
{
    free(t->rows);
    memset(t, 0, sizeof *t);
}

int tornado_write_csv(const struct scenario *sc, const struct tornado *t, const char *path,
                      char *why, size_t why_size)
{
    csv_writer *w = csv_open(path);
    if (!w) {
        snprintf(why, why_size, "cannot write tornado.csv: %s", strerror(errno));
        return -1;
    }
    static const char *const names[] = {"policy", "parameter", "mean", "low", "high", "bounds",
                                        "difference_at_low", "difference_at_mean",
                                        "difference_at_high", "swing"};
    csv_header(w, names, sizeof names / sizeof names[0]);
    for (size_t i = 0; i < t->n_rows; i++) {
        const struct tornado_row *row = &t->rows[i];
        csv_text(w, sc->policies[row->policy].name);
        csv_text(w, sc->uncertain[row->parameter].path);
        csv_number(w, row->mean);
        csv_number(w, row->low);
        csv_number(w, row->high);
        csv_text(w, row->low_given && row->high_given ? "given"
                    : row->low_given                  ? "given-p95"
                    : row->high_given                 ? "p05-given"
                                                      : "p05-p95");
        csv_fixed(w, row->at_low, 2);
        csv_fixed(w, row->at_mean, 2);
        csv_fixed(w, row->at_high, 2);
        csv_fixed(w, row->swing, 2);
        csv_end_row(w);
    }
    if (csv_close(w) != 0) {
        snprintf(why, why_size, "cannot write tornado.csv: %s", strerror(errno));
        return -1;
    }
    return 0;
}
