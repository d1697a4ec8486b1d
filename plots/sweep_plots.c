/* sweep_plots: chooses the charts of a sweep from the keys that vary, copies
 * sweep.csv for them and writes their scripts (DIR/plots/NAME.gp, through
 * plots/script_file.h). The charts themselves are plots/chart_sweep_*.c. */
#include "plots/sweep_plots.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "plots/plot_util.h"
#include "plots/plots.h"
#include "plots/script_file.h"
#include "plots/sweep_chart.h"
#include "plots/sweep_data.h"

/* The keys the charts are drawn against. */
struct sweep_plan {
    size_t n_varying;
    size_t varying[2];   /* indices into ctx->axes, the first varying slowest */
};

static int check_context(const struct sweep_plot_context *ctx, char *why, size_t why_size)
{
    if (ctx->n_policies < 1 || !plot_names_present(ctx->policy_names, ctx->n_policies)) {
        plot_reason(why, why_size, 0, "sweep plot context: no policies, or a policy without a name");
        return -1;
    }
    if (ctx->replications < 1 || ctx->cost_metric == NULL) {
        plot_reason(why, why_size, 0, "sweep plot context: no replications or no cost metric");
        return -1;
    }
    if (ctx->n_axes < 1 || ctx->axes == NULL) {
        plot_reason(why, why_size, 0, "sweep plot context: no keys");
        return -1;
    }
    for (size_t a = 0; a < ctx->n_axes; a++)
        if (ctx->axes[a].path == NULL || ctx->axes[a].n_values < 1
            || !plot_names_present(ctx->axes[a].values, ctx->axes[a].n_values)) {
            plot_reason(why, why_size, 0, "sweep plot context: key %zu has no path or no values", a + 1);
            return -1;
        }
    if (sweep_grid_points(ctx) == 0) {
        plot_reason(why, why_size, 0, "sweep plot context: too many points");
        return -1;
    }
    return 0;
}

/* The values of an axis are numbers in strictly increasing or decreasing
 * order: 0; else -1 with the reason there is no chart. */
static int check_numeric(const struct sweep_plot_axis *axis, char *why, size_t why_size)
{
    int direction = 0;
    double previous = 0;
    for (size_t i = 0; i < axis->n_values; i++) {
        double value;
        if (sweep_number(axis->values[i], &value) != 0) {
            plot_reason(why, why_size, 0, "the values of %s are not all numbers", axis->path);
            return -1;
        }
        if (i > 0) {
            int step = value > previous ? 1 : value < previous ? -1 : 0;
            if (step == 0 || (direction != 0 && step != direction)) {
                plot_reason(why, why_size, 0, "the values of %s are not in increasing or decreasing order",
                            axis->path);
                return -1;
            }
            direction = step;
        }
        previous = value;
    }
    return 0;
}

/* Which charts apply: 0 with the plan, or -1 with the reason there are none. */
static int make_plan(const struct sweep_plot_context *ctx, struct sweep_plan *plan, char *why, size_t why_size)
{
    plan->n_varying = 0;
    for (size_t a = 0; a < ctx->n_axes; a++) {
        if (ctx->axes[a].n_values < 2)
            continue;
        if (plan->n_varying < 2)
            plan->varying[plan->n_varying] = a;
        plan->n_varying++;
    }
    if (plan->n_varying == 0) {
        plot_reason(why, why_size, 0, "the grid has a single point");
        return -1;
    }
    if (plan->n_varying > 2) {
        plot_reason(why, why_size, 0, "%zu keys vary, and the charts show one key (lines) or two (a heat map)",
                    plan->n_varying);
        return -1;
    }
    for (size_t v = 0; v < plan->n_varying; v++)
        if (check_numeric(&ctx->axes[plan->varying[v]], why, why_size) != 0)
            return -1;
    if (plan->n_varying == 2 && ctx->n_policies < 2) {
        plot_reason(why, why_size, 0, "the heat map shows a policy's saving against the baseline, "
                                      "and there is one policy");
        return -1;
    }
    return 0;
}

/* A sweep chart's writer and what it receives, for script_file_write. */
struct sweep_chart_job {
    sweep_chart_writer *write;
    const struct sweep_chart_input *input;
};

static int write_chart_body(FILE *out, const void *data, char *why, size_t why_size)
{
    const struct sweep_chart_job *job = data;
    return job->write(out, job->input, why, why_size);
}

/* Writes DIR/plots/NAME.gp (NAME: in->name) with the chart's writer. */
static int write_script(sweep_chart_writer *writer, const struct sweep_chart_input *in, const char *dir,
                        char *why, size_t why_size)
{
    struct sweep_chart_job job = {writer, in};
    return script_file_write(dir, in->name, write_chart_body, &job, why, why_size);
}

static int write_charts(const struct sweep_plot_context *ctx, const struct sweep_plan *plan,
                        const struct sweep_data *data, const char *dir, char *why, size_t why_size)
{
    struct plot_context style = {
        .scenario_name = ctx->scenario_name, .currency = ctx->currency,
        .n_policies = ctx->n_policies, .policy_names = ctx->policy_names,
        .replications = ctx->replications,
    };
    struct sweep_chart_input in = {.ctx = ctx, .data = data, .x_axis = plan->varying[0], .style = &style};
    if (plan->n_varying == 1) {
        in.name = "sweep_cost";
        if (write_script(chart_write_sweep_cost, &in, dir, why, why_size) != 0)
            return -1;
        in.name = "sweep_difference";
        if (ctx->n_policies >= 2 && write_script(chart_write_sweep_difference, &in, dir, why, why_size) != 0)
            return -1;
        return 0;
    }
    in.y_axis = plan->varying[1];
    for (size_t p = 1; p < ctx->n_policies; p++) {
        char name[64];
        if (p == 1)
            snprintf(name, sizeof name, "sweep_heatmap");
        else
            snprintf(name, sizeof name, "sweep_heatmap_%zu", p);
        in.name = name;
        in.policy = p;
        if (write_script(chart_write_sweep_heatmap, &in, dir, why, why_size) != 0)
            return -1;
    }
    return 0;
}

enum sweep_plot_status plots_write_sweep_scripts(const struct sweep_plot_context *ctx, const char *dir,
                                                 char *why, size_t why_size)
{
    if (ctx == NULL || dir == NULL) {
        plot_reason(why, why_size, EINVAL, "plots_write_sweep_scripts");
        return SWEEP_PLOTS_FAILED;
    }
    if (check_context(ctx, why, why_size) != 0)
        return SWEEP_PLOTS_FAILED;
    struct sweep_plan plan;
    if (make_plan(ctx, &plan, why, why_size) != 0)
        return SWEEP_PLOTS_NONE;
    if (script_file_make_folder(dir, why, why_size) != 0)
        return SWEEP_PLOTS_FAILED;
    /* two keys: a blank line after each value of the first, so that gnuplot
     * reads the grid as a surface */
    size_t block_rows = 0;
    if (plan.n_varying == 2) {
        block_rows = ctx->n_policies;
        for (size_t a = plan.varying[0] + 1; a < ctx->n_axes; a++)
            block_rows *= ctx->axes[a].n_values;
    }
    struct sweep_data data;
    int result = sweep_data_copy(&data, ctx, dir, block_rows, why, why_size);
    if (result == 0)
        result = write_charts(ctx, &plan, &data, dir, why, why_size);
    sweep_data_free(&data);
    return result == 0 ? SWEEP_PLOTS_WRITTEN : SWEEP_PLOTS_FAILED;
}
