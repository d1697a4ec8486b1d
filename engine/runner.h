/* runner: runs a scenario's replications over worker threads. Each worker
 * owns its random streams, its model workspace and its parameter structs;
 * replication r depends only on (seed, r), and its results are stored at
 * index r, so the output is the same for any number of threads. */
#ifndef AVRRSIM_RUNNER_H
#define AVRRSIM_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "series.h"

struct run_results {
    size_t replications, n_policies, n_metrics, n_uncertain;
    double *metrics;      /* [(r * n_policies + p) * n_metrics + m] */
    double *uncertain;    /* [r * n_uncertain + k]: the drawn uncertain parameters */
    series_reducer *series;   /* the monthly series, when the model has them */
    /* Instead of series, with run_plan.raw_series: every replication's
     * series as the model gave it, one after the other in replication
     * order; replication i (of this run) has raw_months[i] months of
     * n_policies x the model's series metrics values. */
    double *raw_series;
    size_t raw_size;          /* doubles in raw_series */
    size_t *raw_months;
};

enum run_status {
    RUN_OK = 0,
    RUN_FAILED = -1,      /* out of memory, a thread could not start, a model failure */
    RUN_TOO_LARGE = -2,   /* the results would not fit in memory: reduce replications */
    RUN_CANCELLED = -3    /* *cancel became non-zero (a signal) */
};

/* Called from the calling thread about five times a second while running. */
typedef void (*run_progress_fn)(void *user, uint64_t done, uint64_t total);

/* Runs every replication of sc with `threads` workers (at least 1). On
 * success fills *out (free with run_results_free). On failure writes a reason
 * into why. progress may be NULL. When cancel is not NULL and *cancel becomes
 * non-zero (set by a signal handler), the run stops and returns
 * RUN_CANCELLED: between replications, and inside one as soon as the model
 * looks at the flag (model_setup.stop). */
enum run_status runner_run(const struct scenario *sc, unsigned threads, run_progress_fn progress,
                           void *user, const volatile sig_atomic_t *cancel,
                           struct run_results *out, char *why, size_t why_size);

/* More control over a run (runner_run_plan). Zeroed, it is runner_run. */
struct run_plan {
    /* When not NULL: every replication takes these values of the uncertain
     * parameters (sc->n_uncertain of them) instead of drawing them; the
     * person-level draws stay random. For one-way sensitivity. */
    const double *fixed_uncertain;
    /* When not NULL: replications run in batches (the first of first_batch,
     * each next one a quarter of those done, at least first_batch), and after
     * each batch enough(results so far, user) decides whether to stop before
     * sc->replications. Results are those of a run with the replications
     * done: replication r depends only on (seed, r). Not with sampling: lhs. */
    int (*enough)(const struct run_results *so_far, void *user);
    void *enough_user;
    size_t first_batch;       /* 0: 100 */
    /* When end > 0: only replications first .. end - 1 of sc->replications
     * run (a block of them; LHS strata still span sc->replications), and
     * replication r is stored at index r - first; out->replications is
     * end - first. Not with enough. */
    size_t first, end;
    /* When true: the monthly series are returned raw (out->raw_series), not
     * reduced, so that blocks run elsewhere can be reduced in order later. */
    bool raw_series;
};

/* Where the batch that follows `done` replications ends, for a plan with
 * enough (the first batch when done is 0), out of `replications`. */
size_t runner_batch_end(const struct run_plan *plan, size_t done, size_t replications);

/* runner_run under a plan. out->replications says how many ran. */
enum run_status runner_run_plan(const struct scenario *sc, unsigned threads, const struct run_plan *plan,
                                run_progress_fn progress, void *user,
                                const volatile sig_atomic_t *cancel, struct run_results *out,
                                char *why, size_t why_size);

/* The mean of every uncertain parameter (sc->n_uncertain values), and the
 * values at which one-way sensitivity sets it: its `low` and `high` when
 * given beside the distribution, else its 5th and 95th percentiles. Any of
 * the arrays may be NULL. 0, or -1 with a reason. */
int runner_uncertain_points(const struct scenario *sc, double *means, double *lows, double *highs,
                            char *why, size_t why_size);

/* Allocates out for `replications` replications of sc: metrics, drawn
 * parameters and, when the model has series, an empty series reducer
 * (filled by the caller in replication order). RUN_OK, or RUN_TOO_LARGE /
 * RUN_FAILED with a reason; out is left empty on failure. */
enum run_status run_results_alloc(const struct scenario *sc, size_t replications,
                                  struct run_results *out, char *why, size_t why_size);

void run_results_free(struct run_results *results);

/* The model's own check (model->check) of every policy, with each uncertain
 * parameter at its mean. 0, or -1 with the model's reason. */
int runner_check(const struct scenario *sc, char *why, size_t why_size);

/* For each series metric of the model, the limit its chart may draw: the
 * model's series_limit when every policy has the same fixed one, else
 * INFINITY (also when it depends on an uncertain parameter). */
void runner_series_limits(const struct scenario *sc, double *limits);

/* Fills one policy's parameter struct (model->params_size bytes) for a
 * replication whose uncertain parameters drew `uncertain`; dists[k] is the
 * sampler for person-level key k (allocated with dist_alloc_for). Returns 0,
 * or -1 with a reason when a drawn value makes a distribution impossible. */
int runner_resolve_policy(const struct scenario *sc, const struct policy *policy,
                          const double *uncertain, void *params, struct dist **dists,
                          char *why, size_t why_size);

#endif
