/* plots: the table of charts, and writing their scripts beside a run's CSVs
 * (DIR/plots/NAME.gp, through plots/script_file.h). A new chart is one file
 * plots/chart_NAME.c and one row in the table below. Rendering is in
 * plots/render.c. */
#include "plots/plots.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/chart.h"
#include "plots/plot_util.h"
#include "plots/run_data.h"
#include "plots/script_file.h"

struct chart_entry {
    const char *name;          /* plots/NAME.gp, plots/NAME.png ... */
    bool needs_timeseries;     /* reads timeseries.csv: skipped when ctx->months is 0 */
    bool needs_alternative;    /* compares with the baseline: skipped with one policy */
    bool needs_ceac;           /* reads ceac.csv: skipped when ctx->ce_values is 0 */
    chart_writer *write;
};

static const struct chart_entry charts[] = {
    {"cost_distribution", false, false, false, chart_write_cost_distribution},
    {"savings", false, true, false, chart_write_savings},
    {"cost_breakdown", false, false, false, chart_write_cost_breakdown},
    {"cumulative_cost", true, false, false, chart_write_cumulative_cost},
    {"detention_occupancy", true, false, false, chart_write_detention_occupancy},
    {"departures", true, false, false, chart_write_departures},
    {"ce_plane", false, true, false, chart_write_ce_plane},
    {"ceac", false, true, true, chart_write_ceac},
    {"evpi", false, true, true, chart_write_evpi},
};

#define CHART_COUNT (sizeof charts / sizeof charts[0])

size_t plots_chart_count(void)
{
    return CHART_COUNT;
}

const char *plots_chart_name(size_t i)
{
    return i < CHART_COUNT ? charts[i].name : NULL;
}

/* Checks what the scripts and the row positions rely on. 0 or -1 with a reason. */
static int check_context(const struct plot_context *ctx, char *why, size_t why_size)
{
    if (ctx->n_policies < 1 || !plot_names_present(ctx->policy_names, ctx->n_policies)) {
        plot_reason(why, why_size, 0, "plot context: no policies, or a policy without a name");
        return -1;
    }
    if (ctx->replications < 1) {
        plot_reason(why, why_size, 0, "plot context: no replications");
        return -1;
    }
    if (ctx->n_metrics < 1 || !plot_names_present(ctx->metric_names, ctx->n_metrics)) {
        plot_reason(why, why_size, 0, "plot context: no metrics, or a metric without a name");
        return -1;
    }
    if (ctx->months > 0
        && (ctx->n_timeseries_metrics < 1 || !plot_names_present(ctx->timeseries_metrics, ctx->n_timeseries_metrics))) {
        plot_reason(why, why_size, 0, "plot context: months without time-series metrics");
        return -1;
    }
    bool no_start = ctx->start_year == 0 && ctx->start_month == 0;
    bool calendar_start = ctx->start_year >= 1 && ctx->start_year <= 9999 && ctx->start_month >= 1
                          && ctx->start_month <= 12;
    if (!no_start && !calendar_start) {
        plot_reason(why, why_size, 0, "plot context: start %d-%d is not a year and a month 1-12 (or 0, 0)",
                    ctx->start_year, ctx->start_month);
        return -1;
    }
    for (size_t m = 0; ctx->months > 0 && m < ctx->n_timeseries_metrics; m++)
        if (!ctx->series_limits || isnan(ctx->series_limits[m]) || ctx->series_limits[m] <= 0) {
            plot_reason(why, why_size, 0,
                        "plot context: every series limit must be positive (INFINITY when unlimited)");
            return -1;
        }
    if (ctx->ce_values > 0 && (ctx->effect_name == NULL || ctx->effect_name[0] == '\0'
                               || strcmp(ctx->effect_name, "-") == 0)) {
        plot_reason(why, why_size, 0, "plot context: ceac.csv without the name of its effect");
        return -1;
    }
    size_t P = ctx->n_policies;
    if (ctx->replications > SIZE_MAX / P || ctx->ce_values > SIZE_MAX / P || ctx->n_metrics > SIZE_MAX / P
        || (ctx->months > 0 && ctx->months > SIZE_MAX / P / ctx->n_timeseries_metrics)) {
        plot_reason(why, why_size, 0, "plot context: too many rows");
        return -1;
    }
    return 0;
}

/* A chart's writer and what it receives, for script_file_write. */
struct chart_job {
    chart_writer *write;
    struct chart_input input;
};

static int write_chart_body(FILE *out, const void *data, char *why, size_t why_size)
{
    const struct chart_job *job = data;
    return job->write(out, &job->input, why, why_size);
}

int plots_write_scripts(const struct plot_context *ctx, const char *dir, char *why, size_t why_size)
{
    if (ctx == NULL || dir == NULL) {
        plot_reason(why, why_size, EINVAL, "plots_write_scripts");
        return -1;
    }
    if (check_context(ctx, why, why_size) != 0 || script_file_make_folder(dir, why, why_size) != 0)
        return -1;
    struct run_data data;
    int result = run_data_copy(&data, ctx, dir, why, why_size);
    for (size_t i = 0; result == 0 && i < CHART_COUNT; i++) {
        const struct chart_entry *chart = &charts[i];
        bool skip = (chart->needs_timeseries && ctx->months == 0)
                    || (chart->needs_alternative && ctx->n_policies < 2)
                    || (chart->needs_ceac && ctx->ce_values == 0);
        struct chart_job job = {chart->write, {ctx, &data, chart->name}};
        result = skip ? script_file_remove(dir, chart->name, why, why_size)
                      : script_file_write(dir, chart->name, write_chart_body, &job, why, why_size);
    }
    run_data_free(&data);
    return result;
}

/* ---- words for the cost-effectiveness charts ---- */

void chart_write_effect(FILE *out, const struct plot_context *ctx)
{
    const char *name = ctx->effect_name != NULL ? ctx->effect_name : "";
    bool negated = name[0] == '-';
    char words[160];   /* "detention days" */
    snprintf(words, sizeof words, "%s", negated ? name + 1 : name);
    for (char *p = words; *p != '\0'; p++)
        if (*p == '_')
            *p = ' ';
    char unit[200];    /* one of it: "detention day" */
    snprintf(unit, sizeof unit, "%s", words);
    size_t n = strlen(unit);
    if (n > 3 && strcmp(unit + n - 3, "ies") == 0)
        snprintf(unit + n - 3, sizeof unit - (n - 3), "y");
    else if (n > 1 && unit[n - 1] == 's' && unit[n - 2] != 's')
        unit[n - 1] = '\0';
    char text[400];
    fputs("# The effect of ce.csv and ceac.csv (a leading '-': fewer is better), for labels.\n"
          "effect_name = ", out);
    style_write_text(out, name);
    fputs("\neffect_unit = ", out);
    snprintf(text, sizeof text, "%s%s", unit, negated ? " avoided" : "");
    style_write_text(out, text);
    fputs("   # \"value placed on one ...\"\nnet_benefit = ", out);
    snprintf(text, sizeof text, "net benefit = %svalue \u00d7 %s \u2212 total cost",
             negated ? "\u2212" : "", words);
    style_write_text(out, text);
    fputc('\n', out);
}

static const struct {
    const char *word;
    unsigned bit;
} format_words[] = {
    {"png", PLOT_PNG},
    {"svg", PLOT_SVG},
    {"pdf", PLOT_PDF},
};

int plots_parse_formats(const char *text, unsigned *formats, char *why, size_t why_size)
{
    static const char *const valid = "valid formats: png, svg, pdf, separated by commas";
    if (text == NULL || formats == NULL) {
        plot_reason(why, why_size, 0, "no format given (%s)", valid);
        return -1;
    }
    unsigned bits = 0;
    const char *word = text;
    for (;;) {
        const char *end = strchr(word, ',');
        size_t length = end != NULL ? (size_t)(end - word) : strlen(word);
        if (length == 0) {
            plot_reason(why, why_size, 0, "an empty format in '%s' (%s)", text, valid);
            return -1;
        }
        bool known = false;
        for (size_t i = 0; i < sizeof format_words / sizeof format_words[0]; i++) {
            if (strlen(format_words[i].word) == length && strncmp(word, format_words[i].word, length) == 0) {
                bits |= format_words[i].bit;
                known = true;
            }
        }
        if (!known) {
            plot_reason(why, why_size, 0, "unknown format '%.*s' (%s)", (int)(length > 64 ? 64 : length),
                        word, valid);
            return -1;
        }
        if (end == NULL)
            break;
        word = end + 1;
    }
    *formats = bits;
    return 0;
}
