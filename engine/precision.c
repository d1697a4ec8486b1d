/* precision: the stopping rule of --precision (precision.h), with GSL's
 * statistics and Student's t quantile. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "engine/precision.h"

/* half-width / (relative × |mean|): at most 1 when precise enough; 0 when
 * the values are all equal (the mean is exact), infinite when the mean is 0
 * but the values vary. */
static double ratio(const double *values, size_t stride, size_t n, double relative, double t)
{
    double mean = gsl_stats_mean(values, stride, n);
    double half = t * gsl_stats_sd_m(values, stride, n, mean) / sqrt((double)n);
    if (half == 0)
        return 0;
    return half / (relative * fabs(mean));
}

static void note(struct precision_goal *g, double r, const char *what, size_t policy)
{
    if (!(r > g->worst_ratio) && g->worst[0])
        return;
    g->worst_ratio = r;
    if (g->policy_names)
        snprintf(g->worst, sizeof g->worst, "%s of '%s'", what, g->policy_names[policy]);
    else
        snprintf(g->worst, sizeof g->worst, "%s of policy %zu", what, policy + 1);
}

int precision_enough(const struct run_results *res, void *user)
{
    struct precision_goal *g = user;
    size_t n = res->replications, P = res->n_policies, M = res->n_metrics;
    g->replications = n;
    g->reached = false;
    g->worst_ratio = 0;
    g->worst[0] = '\0';
    if (n < 2) {
        g->worst_ratio = INFINITY;
        return 0;
    }
    double t = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1));
    size_t stride = P * M;
    for (size_t p = 0; p < P; p++)
        note(g, ratio(res->metrics + p * M + g->metric, stride, n, g->relative, t), "the mean total cost", p);
    double *differences = malloc(n * sizeof *differences);
    if (!differences) {
        g->worst_ratio = INFINITY;
        return 0;
    }
    for (size_t p = 1; p < P; p++) {
        for (size_t r = 0; r < n; r++)
            differences[r] = res->metrics[r * stride + p * M + g->metric] -
                             res->metrics[r * stride + g->metric];
        note(g, ratio(differences, 1, n, g->relative, t), "the mean difference", p);
    }
    free(differences);
    g->reached = g->worst_ratio <= 1;
    return g->reached;
}
