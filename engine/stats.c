/* stats: summarises a sample of replications (mean, sd, se and the 5th, 50th
 * and 95th percentiles) with GSL's descriptive statistics, or its
 * percentiles alone by selection. */
#include "engine/stats.h"

#include <math.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

void stats_summarize(double *values, size_t n, struct sample_summary *out)
{
    out->n = n;
    if (n == 0) {
        /* Outside the contract (n >= 1): report "no value" rather than crash. */
        out->mean = out->sd = out->se = NAN;
        out->p05 = out->p50 = out->p95 = NAN;
        return;
    }
    gsl_sort(values, 1, n);
    out->mean = gsl_stats_mean(values, 1, n);
    if (n >= 2) {
        out->sd = gsl_stats_sd(values, 1, n);   /* divides by n - 1 */
        out->se = out->sd / sqrt((double)n);
    } else {
        out->sd = 0.0;
        out->se = 0.0;
    }
    out->p05 = gsl_stats_quantile_from_sorted_data(values, 1, n, 0.05);
    out->p50 = gsl_stats_quantile_from_sorted_data(values, 1, n, 0.50);
    out->p95 = gsl_stats_quantile_from_sorted_data(values, 1, n, 0.95);
}

/* The f-quantile of values by GSL's definition (gsl_stats_quantile_from_
 * sorted_data: index f (n - 1), linear between the order statistics lhs and
 * lhs + 1), with the order statistics found by gsl_stats_select. */
static double selected_quantile(double *values, size_t n, double f)
{
    const double index = f * (double)(n - 1);
    const size_t lhs = (size_t)index;
    const double delta = index - (double)lhs;
    double low = gsl_stats_select(values, 1, n, lhs);
    if (lhs == n - 1)
        return low;
    double high = gsl_stats_select(values, 1, n, lhs + 1);
    return (1 - delta) * low + delta * high;
}

void stats_percentiles(double *values, size_t n, double *p05, double *p50, double *p95)
{
    if (n == 0) {
        *p05 = *p50 = *p95 = NAN;
        return;
    }
    *p05 = selected_quantile(values, n, 0.05);
    *p50 = selected_quantile(values, n, 0.50);
    *p95 = selected_quantile(values, n, 0.95);
}

double stats_share_negative(const double *values, size_t n)
{
    if (n == 0)
        return NAN;
    size_t negative = 0;
    for (size_t i = 0; i < n; i++)
        if (values[i] < 0.0)
            negative++;
    return (double)negative / (double)n;
}
