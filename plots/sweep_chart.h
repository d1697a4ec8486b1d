/* sweep_chart: what every sweep chart writer receives, and the pieces the
 * sweep charts share (plots/sweep_style.c) on top of the run charts' style
 * (plots/chart.h): the same header, policy colours, dashes, fonts and number
 * helpers, so that a sweep chart looks like a run chart. A sweep chart is one
 * file plots/chart_sweep_NAME.c with one writer, chosen in plots/sweep_plots.c. */
#ifndef AVRRSIM_PLOTS_SWEEP_CHART_H
#define AVRRSIM_PLOTS_SWEEP_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "plots/plots.h"
#include "plots/sweep_data.h"
#include "plots/sweep_plots.h"

struct sweep_chart_input {
    const struct sweep_plot_context *ctx;
    const struct sweep_data *data;    /* the numeric copy the script reads */
    const char *name;                 /* plots/NAME.gp, plots/NAME.png ... */
    size_t x_axis;                    /* the key across (an index into ctx->axes) */
    size_t y_axis;                    /* the key up (heat map only) */
    size_t policy;                    /* heat map: the policy (1 .. P - 1) against the baseline */
    const struct plot_context *style; /* the names, for the run charts' header */
};

/* Writes the chart's whole script to out. 0, or -1 with a reason (a column
 * is missing). Write errors show in ferror(out). */
typedef int sweep_chart_writer(FILE *out, const struct sweep_chart_input *in, char *why, size_t why_size);

sweep_chart_writer chart_write_sweep_cost;
sweep_chart_writer chart_write_sweep_difference;
sweep_chart_writer chart_write_sweep_heatmap;

/* ---- shared pieces (plots/sweep_style.c) ---- */

/* The run charts' header (style_write_header: the names, one linetype per
 * policy, the helper functions), then the sweep's: the variables file (the
 * copy of sweep.csv), scenario_key (the name on one line), seed_text, and grid_note, a sentence saying how each
 * point was computed (replications, seed, common random numbers). */
void sweep_write_header(FILE *out, const struct sweep_chart_input *in, const char *what);

/* The run charts' render loop (style_write_render_begin/end) for this chart. */
void sweep_write_render_begin(FILE *out, const struct sweep_chart_input *in);
void sweep_write_render_end(FILE *out);

/* The layout of the one-key charts: fixed margins, the key below the plot
 * with `entries` entries in one or two columns, and grid_note under it. */
void sweep_write_key_below(FILE *out, size_t entries);

/* Writes the gnuplot string literal naming an axis: "PATH (UNIT)", a leading
 * "currency" in the unit replaced by the currency's symbol. */
void sweep_write_axis_label(FILE *out, const struct sweep_chart_input *in, size_t axis);

/* The 1-based column of the copy named column, or 0 with a reason naming the
 * chart. */
size_t sweep_chart_column(const struct sweep_chart_input *in, const char *column, char *why, size_t why_size);

/* The smallest and largest value of an axis (its values must be numbers). */
void sweep_chart_axis_range(const struct sweep_chart_input *in, size_t axis, double *lo, double *hi);

/* Where the piecewise-linear curve through (x[i], y[i]), i < n, crosses zero:
 * between two points of opposite sign, by linear interpolation; a run of
 * points at exactly zero between opposite signs, at its middle point (touching
 * zero without changing sign is no crossing). Writes up to max crossings in
 * order of i and returns how many there are (which may exceed max). */
size_t sweep_zero_crossings(const double *x, const double *y, size_t n, double *crossings, size_t max);

/* A value for a label: three significant digits, no exponent, thousands
 * separated by commas ("0.237", "57.3", "14,650"). */
void sweep_format_value(double value, char *buffer, size_t size);

#endif
