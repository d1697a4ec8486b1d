/* stats: what we report about a sample of replications: mean, standard
 * deviation, standard error and the 5th, 50th and 95th percentiles, with GSL. */
#ifndef AVRRSIM_STATS_H
#define AVRRSIM_STATS_H

#include <stddef.h>

struct sample_summary {
    size_t n;
    double mean, sd, se;      /* sd with n - 1; sd and se are 0 when n < 2 */
    double p05, p50, p95;     /* GSL's quantile_from_sorted_data (linear interpolation) */
};

/* Summarises values[0..n) (n >= 1). Sorts values in place. */
void stats_summarize(double *values, size_t n, struct sample_summary *out);

/* The 5th, 50th and 95th percentiles of values[0..n) (n >= 1), the same
 * doubles as stats_summarize's, by selection (GSL's quickselect) instead of
 * a sort: for many samples whose mean is known otherwise. Reorders values. */
void stats_percentiles(double *values, size_t n, double *p05, double *p50, double *p95);

/* The share of values strictly below zero. */
double stats_share_negative(const double *values, size_t n);

#endif
