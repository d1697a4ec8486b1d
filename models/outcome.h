/* outcome: what one policy's run over a replication yields, and the part of
 * it both the event-driven path (policy_run.c) and the direct path
 * (policy_direct.c) compute the same way from what they accumulated: each
 * month's mean detained, cost and cumulative cost, and the metrics derived
 * from counts and days (costs, totals, the discounted total). */
#ifndef AVRRSIM_MODELS_OUTCOME_H
#define AVRRSIM_MODELS_OUTCOME_H

#include <stddef.h>

#include "models/avrr.h"

struct policy_outcome {
    double metrics[M_COUNT];
    size_t months;               /* rows of series */
    const double *series;        /* [month * S_COUNT + s], valid until the next run */
};

/* Completes months 0 .. months - 1 of series ([month * S_COUNT + s]) and the
 * metrics of policy a. On entry series holds the counts, the month-end
 * levels and in S_COST the lump costs of each month; detained_days and
 * community_days hold each month's integrals (community days end at the
 * horizon); metrics holds the counts, the peaks, M_COST_PROGRAM and
 * M_EXTERNAL_FUNDING; discounted holds the discounted lump costs and, when
 * discount_per_day > 0, the discounted daily costs. */
void outcome_close(const struct avrr_params *a, double discount_per_day, double *series,
                   size_t months, const double *detained_days, const double *community_days,
                   double discounted, double *metrics);

#endif
