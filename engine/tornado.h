/* tornado: one-way sensitivity of the mean difference in total cost between
 * each policy and the baseline. Every uncertain parameter is held at its
 * mean; then each in turn is set to its low and its high value (the `low`
 * and `high` given beside its distribution, else its 5th and 95th
 * percentiles) while the others stay at their means. Every run uses the
 * scenario's seed, so the person-level draws are the same in all of them
 * (common random numbers) and the swings compare parameters, not noise. */
#ifndef AVRRSIM_TORNADO_H
#define AVRRSIM_TORNADO_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "runner.h"
#include "scenario.h"

struct tornado_row {
    size_t policy;             /* 1 .. n_policies - 1 */
    size_t parameter;          /* index into sc->uncertain */
    double mean, low, high;    /* the parameter's values */
    bool low_given, high_given;   /* from `low:`/`high:`, else a percentile */
    double at_low, at_mean, at_high;   /* mean difference in total cost, policy minus baseline */
    double swing;              /* |at_high - at_low| */
};

struct tornado {
    size_t n_rows;             /* (n_policies - 1) * n_uncertain */
    struct tornado_row *rows;  /* by policy, then by swing, largest first (ties: parameter order) */
    size_t replications;
};

/* Called before each of the 1 + 2 * n_uncertain runs. */
typedef void (*tornado_progress_fn)(void *user, size_t run, size_t runs);

/* Runs the sensitivity analysis. sc needs at least two policies and one
 * uncertain parameter (else RUN_FAILED with a reason). */
enum run_status tornado_compute(const struct scenario *sc, unsigned threads,
                                tornado_progress_fn progress, void *user,
                                const volatile sig_atomic_t *cancel, struct tornado *out,
                                char *why, size_t why_size);

void tornado_free(struct tornado *t);

/* Writes tornado.csv to path: policy, parameter, mean, low, high, bounds
 * ("given" or "p05-p95"), difference_at_low, difference_at_mean,
 * difference_at_high, swing. 0, or -1 with a reason. */
int tornado_write_csv(const struct scenario *sc, const struct tornado *t, const char *path,
                      char *why, size_t why_size);

#endif
