/* precision: whether a run has enough replications. The goal is met when
 * the 95% confidence half-width (Student's t) of every policy's mean total
 * cost, and of every policy's mean difference in total cost against the
 * baseline, is at most `relative` times that mean's absolute value. Used as
 * the `enough` test of a run plan (engine/runner.h), which adds
 * replications in batches until it holds or the scenario's replications run
 * out. */
#ifndef AVRRSIM_PRECISION_H
#define AVRRSIM_PRECISION_H

#include <stdbool.h>
#include <stddef.h>

#include "runner.h"

struct precision_goal {
    double relative;          /* REL > 0 */
    size_t metric;            /* the metric whose means count (the total cost) */
    /* after each check: */
    bool reached;
    size_t replications;      /* replications checked last */
    double worst_ratio;       /* the largest half-width / (relative × |mean|) */
    char worst[160];          /* the quantity it belongs to ("the mean difference of P") */
    const char *const *policy_names;   /* for `worst`; may be NULL */
};

/* The run plan's `enough`: checks so_far against the goal (a struct
 * precision_goal), records the outcome in it, and returns whether it is met.
 * Needs at least two replications (otherwise: not met). */
int precision_enough(const struct run_results *so_far, void *goal);

#endif
