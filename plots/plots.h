/* plots: the charts of a run, as gnuplot scripts beside the CSVs (DIR/plots/NAME.gp),
 * and rendering them with gnuplot into PNG, SVG and PDF (DIR/plots/NAME.png, ...).
 * Each script runs on its own: `cd DIR && gnuplot plots/NAME.gp`. The scripts read
 * numeric copies of the run's CSVs (DIR/plots/NAME.dat: every text field replaced by
 * its position) that plots_write_scripts writes, because gnuplot cannot read CSV
 * fields that hold quotes, commas or line breaks. Every text of the context (the
 * scenario and policy names, the currency) is arbitrary user text: it is written into
 * the scripts so that it can never run a command (see plots/gnuplot_text.c). */
#ifndef AVRRSIM_PLOTS_H
#define AVRRSIM_PLOTS_H

#include <stddef.h>

struct plot_context {
    const char *scenario_name;
    const char *currency;                 /* ISO 4217 code: symbol ₪ for ILS, € EUR, $ USD, £ GBP, else the code */
    size_t n_policies;
    const char *const *policy_names;      /* the first is the baseline */
    size_t n_metrics;
    const char *const *metric_names;      /* replications.csv / summary.csv metric order */
    size_t replications;
    size_t months;                        /* months in timeseries.csv; 0: there is no timeseries.csv (skip charts 4-6) */
    size_t n_timeseries_metrics;
    const char *const *timeseries_metrics;
    int start_year, start_month;          /* 0, 0: no calendar start (month axes show "month 1..N") */
    const double *series_limits;          /* per timeseries metric: the most it can reach under
                                             every policy (a line on its chart), or INFINITY */
    const char *effect_name;              /* the effect of ce.csv and ceac.csv: "departures",
                                             "-detention_days" (a leading '-': fewer is better) */
    size_t ce_values;                     /* values per policy in ceac.csv; 0: there is no ceac.csv
                                             (skip the charts ceac and evpi) */
};

enum plot_format { PLOT_PNG = 1, PLOT_SVG = 2, PLOT_PDF = 4 };

/* Writes DIR/plots/NAME.gp for every chart, and the numeric copies DIR/plots/NAME.dat of
 * DIR's replications.csv, differences.csv, summary.csv (and timeseries.csv when
 * ctx->months > 0, ceac.csv when ctx->ce_values > 0), after checking that their rows
 * are in the order the context describes. Charts that need a time series are skipped
 * when ctx->months is 0, charts of ceac.csv when ctx->ce_values is 0, and charts
 * against the baseline when there is one policy (a stale script of a skipped chart is
 * removed). 0, or -1 with a reason. */
int plots_write_scripts(const struct plot_context *ctx, const char *dir, char *why, size_t why_size);

enum plot_render_status { PLOT_RENDERED, PLOT_NO_GNUPLOT, PLOT_FAILED };

/* Runs gnuplot on every DIR/plots/NAME.gp (cwd DIR), producing the chosen formats;
 * gnuplot's own warnings and errors are a failure (why holds them).
 * PLOT_NO_GNUPLOT, with nothing printed, when gnuplot is not on PATH. */
enum plot_render_status plots_render(const char *dir, unsigned formats, char *why, size_t why_size);

/* "png,svg,pdf" -> bits; 0 or -1 (unknown word; why names it and lists the valid ones). */
int plots_parse_formats(const char *text, unsigned *formats, char *why, size_t why_size);

/* The charts, in the order they are written: how many, and the name of the i-th
 * ("cost_distribution", ...; NULL when i is out of range). */
size_t plots_chart_count(void);
const char *plots_chart_name(size_t i);

#endif
