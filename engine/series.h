/* series: monthly series gathered across replications in replication order,
 * and per month, policy and metric their mean and exact 5th, 50th and 95th
 * percentiles. Each replication's series is kept as long as it is (about
 * 8 bytes x months x policies x metrics). A replication whose series ends
 * before another's counts as 0 in the later months, or as its last value for
 * a cumulative metric. */
#ifndef AVRRSIM_SERIES_H
#define AVRRSIM_SERIES_H

#include <stddef.h>

#include "model.h"

typedef struct series_reducer series_reducer;

/* Replications whose series are kept for the percentiles. */
#define SERIES_KEPT ((size_t)1000)

/* NULL on OOM. metrics must outlive the reducer. */
series_reducer *series_reducer_new(size_t n_policies, const struct metric_def *metrics,
                                   size_t n_metrics);
void series_reducer_free(series_reducer *reducer);   /* NULL ok */

/* Adds one replication's series: values[(month * n_policies + p) * n_metrics + m]
 * for months 0 .. months - 1. Call in replication order. 0, or -1 (OOM). */
int series_reducer_add(series_reducer *reducer, const double *values, size_t months);

/* Computes every month's statistics (after the last add). 0, or -1 (OOM). */
int series_reducer_finish(series_reducer *reducer);

size_t series_reducer_months(const series_reducer *reducer);
size_t series_reducer_count(const series_reducer *reducer);   /* replications added */

struct series_cell {
    double mean, p05, p50, p95;
};
/* A month's statistics; only after series_reducer_finish. */
void series_reducer_get(const series_reducer *reducer, size_t month, size_t policy,
                        size_t metric, struct series_cell *out);

#endif
