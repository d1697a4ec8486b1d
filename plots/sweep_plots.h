/* sweep_plots: the charts of a scenario sweep (`avrrsim sweep`), as gnuplot
 * scripts beside sweep.csv (DIR/plots/NAME.gp), rendered like a run's charts
 * by plots_render. Which charts depend on the keys that vary (take two or more
 * values), all of them numbers in increasing or decreasing order:
 *   one key:  sweep_cost (each policy's mean total cost against the key, with
 *             its 90% band) and, with two or more policies, sweep_difference
 *             (each policy's mean cost minus the baseline's, its 90% band, and
 *             the break-even values where the mean crosses zero);
 *   two keys: sweep_heatmap, sweep_heatmap_2 ...: per policy other than the
 *             baseline, the mean saving (the baseline's cost minus the policy's)
 *             over the grid, on a colour scale centred on zero, with the
 *             break-even line (the zero contour).
 * Anything else gets no chart, with the reason. The scripts read a numeric copy
 * of sweep.csv (plots/sweep.dat, see plots/sweep_data.h); every text of the
 * context is arbitrary user text and is written so that it cannot run a
 * command (plots/gnuplot_text.c). */
#ifndef AVRRSIM_PLOTS_SWEEP_PLOTS_H
#define AVRRSIM_PLOTS_SWEEP_PLOTS_H

#include <stddef.h>

struct sweep_plot_axis {
    const char *path;                  /* "model.avrr.uptake": its column in sweep.csv */
    const char *unit;                  /* "probability", "currency per detainee-day"
                                          (a leading "currency" becomes the symbol); NULL: none */
    size_t n_values;
    const char *const *values;         /* each value's text, as sweep.csv holds it */
};

struct sweep_plot_context {
    const char *scenario_name;
    const char *currency;              /* ISO 4217 code (see plots.h) */
    size_t n_policies;
    const char *const *policy_names;   /* the first is the baseline */
    const char *cost_metric;           /* "cost_total": the columns cost_total_mean, _p05, _p95 */
    size_t n_axes;
    const struct sweep_plot_axis *axes;   /* the first varies slowest */
    size_t replications;               /* at every point */
    unsigned long long seed;           /* the same at every point */
};

enum sweep_plot_status {
    SWEEP_PLOTS_WRITTEN,   /* the scripts and plots/sweep.dat are in DIR/plots/ */
    SWEEP_PLOTS_NONE,      /* no chart applies to this grid: why says why; nothing written */
    SWEEP_PLOTS_FAILED     /* why holds the reason */
};

/* Writes the numeric copy of DIR/sweep.csv (after checking that its rows are
 * in the order the context describes) and the scripts of the charts that apply,
 * into DIR/plots/ (created when missing). */
enum sweep_plot_status plots_write_sweep_scripts(const struct sweep_plot_context *ctx, const char *dir,
                                                 char *why, size_t why_size);

#endif
