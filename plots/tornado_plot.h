/* tornado_plot: the chart of `avrrsim tornado` (DIR/plots/tornado.gp): per
 * policy compared with the baseline, one horizontal bar per uncertain
 * parameter, from the mean difference with every parameter at its mean to
 * the difference with this one at its low and at its high value, the
 * largest swing on top. The numbers are written into the script itself;
 * every name goes through the same escaping as the run's charts. */
#ifndef AVRRSIM_PLOTS_TORNADO_PLOT_H
#define AVRRSIM_PLOTS_TORNADO_PLOT_H

#include <stddef.h>

#include "plots/plots.h"

struct tornado_bar {
    size_t policy;            /* 1 .. ctx->n_policies - 1 */
    const char *parameter;    /* "model.detention.cost_per_day" */
    double low_value, high_value;     /* the parameter's values */
    double at_low, at_mean, at_high;  /* mean difference in total cost, policy minus baseline */
};

/* Writes DIR/plots/tornado.gp. bars are grouped by policy (1, 2, ...), each
 * group in the order to draw from the top, bars_per_policy in each. 0, or -1
 * with a reason. */
int plots_write_tornado(const struct plot_context *ctx, const struct tornado_bar *bars,
                        size_t bars_per_policy, const char *dir, char *why, size_t why_size);

#endif
