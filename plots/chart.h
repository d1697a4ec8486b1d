/* chart: what every chart writer receives and the shared pieces of a script
 * (plots/chart_style.c). A chart is one file plots/chart_NAME.c with one writer
 * function, and one row in the table of plots/plots.c. */
#ifndef AVRRSIM_PLOTS_CHART_H
#define AVRRSIM_PLOTS_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "plots/plots.h"
#include "plots/run_data.h"

struct chart_input {
    const struct plot_context *ctx;
    const struct run_data *data;   /* the numeric copies the script reads */
    const char *name;              /* the chart's name: plots/NAME.gp, plots/NAME.png ... */
};

/* Writes the chart's whole script to out. 0, or -1 with a reason (a metric or
 * column the chart needs is missing). Write errors show in ferror(out). */
typedef int chart_writer(FILE *out, const struct chart_input *in, char *why, size_t why_size);

chart_writer chart_write_cost_distribution;
chart_writer chart_write_savings;
chart_writer chart_write_cost_breakdown;
chart_writer chart_write_cumulative_cost;
chart_writer chart_write_detention_occupancy;
chart_writer chart_write_departures;
chart_writer chart_write_ce_plane;
chart_writer chart_write_ceac;
chart_writer chart_write_evpi;

/* ---- shared script pieces (plots/chart_style.c) ---- */

/* The top of every script: what it shows and how to run it, the formats
 * default, the run's names (escaped), one linetype per policy (Okabe-Ito colour,
 * dash pattern, point type), the common style, and the helper functions:
 *   larger(a, b), smaller(a, b)
 *   money_scale(m), money_unit(m): 1e9/1e6/1e3/1 and "₪ billion" ... for values
 *       up to m in absolute value; money_word(m): " billion" ...
 *   nice_step(span): a round tick step giving about five ticks over span
 *   grouped(x): x rounded, with thousands separators ("3,300")
 *   font_for(chars, size, room), fitted_font(text, size, room): a font spec
 *       (",20") that shrinks, down to half size, text longer than room characters
 *   key_font(chars), key_text(text, n), key_room: a key whose entries fit the
 *       width (gnuplot warns otherwise): smaller font, then shortened text
 * and the variables scenario_name, currency, P (policies), R (replications),
 * policy_name[1..P] (as written), policy_key[1..P] (on one line, for keys),
 * policy_color[1..P], longest_key. `what` is a sentence for the comment. */
void style_write_header(FILE *out, const struct chart_input *in, const char *what);

/* The render loop: "do for [format in formats] {", the terminal of each format
 * (pngcairo 1600x900, svg, pdfcairo) and "set output 'plots/NAME.FORMAT'". */
void style_write_render_begin(FILE *out, const struct chart_input *in);

/* Closes what style_write_render_begin opened. */
void style_write_render_end(FILE *out);

/* Sets the x axis to the months 1..ctx->months: calendar labels ("Jul 2011")
 * when the context has a start, else month numbers; the range, and the label
 * (also in the variable month_label). */
void style_write_month_axis(FILE *out, const struct plot_context *ctx);

/* Tick marks with thousands separators on axis ("x" or "y") from the gnuplot
 * expressions lo to hi, about `intervals` of them (a count of people: steps
 * of at least 1). */
void style_write_count_tics(FILE *out, const char *axis, const char *lo, const char *hi, int intervals);

/* Writes `text` as a safe gnuplot string literal (gp_write_string). */
void style_write_text(FILE *out, const char *text);

/* For the time-series charts: writes the variables file (the copy of
 * timeseries.csv), month, mean, p05, p95 (its columns) and M (metrics per
 * month and policy); policy p's row of metric k in month m is
 * ((m - 1) * P + p - 1) * M + k, so `every (P*M)::((p - 1) * M + k)`.
 * 0, or -1 with a reason when a column is missing. */
int style_write_timeseries_columns(FILE *out, const struct chart_input *in, char *why, size_t why_size);

/* The position k (0-based) of a time-series metric, written as the variable
 * `variable`; -1 with a reason when the run has no such metric. */
int style_write_timeseries_metric(FILE *out, const struct chart_input *in, const char *metric,
                                  const char *variable, char *why, size_t why_size);

/* For the charts of ceac.csv (plots/plots.c): the variables effect_name
 * ("-detention_days"), effect_unit (one of it: "departure", "detention day
 * avoided") and net_benefit ("net benefit = value × departures − total cost"). */
void chart_write_effect(FILE *out, const struct plot_context *ctx);

/* The position (0-based) of name in names[0..count), or count when absent. */
size_t chart_find(const char *const *names, size_t count, const char *name);

/* The 1-based column `column` of the copied file, or 0 with a reason naming
 * the chart and the file. */
size_t chart_column(const struct chart_input *in, enum run_file file, const char *column,
                    char *why, size_t why_size);

#endif
