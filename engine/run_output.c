/* run_output: every file of one run (run_output.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_version.h>
#include <yaml.h>

#include "engine/outdir.h"
#include "engine/report_files.h"
#include "engine/results.h"
#include "engine/run_output.h"
#include "engine/version.h"

struct manifest {
    const struct scenario *sc;
    const struct ce_effect *effect;
    const struct results_ce *ce;
    const char *scenario_sha256, *resolved_sha256;
    unsigned threads, ranks;
    time_t started;
    double wall_seconds;
    const struct precision_outcome *precision;
};

static int write_manifest(FILE *f, const void *data)
{
    const struct manifest *m = data;
    char when[32];
    struct tm utc;
    gmtime_r(&m->started, &utc);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
    fputs("{\n  \"program\": \"avrrsim\",\n  \"version\": ", f);
    json_write_string(f, AVRRSIM_VERSION);
    fputs(",\n  \"gsl_version\": ", f);
    json_write_string(f, gsl_version);
    fputs(",\n  \"libyaml_version\": ", f);
    json_write_string(f, yaml_get_version_string());
    fputs(",\n  \"scenario_file\": ", f);
    json_write_string(f, m->sc->file);
    fprintf(f, ",\n  \"scenario_sha256\": \"%s\",\n  \"resolved_sha256\": \"%s\",\n",
            m->scenario_sha256, m->resolved_sha256);
    fputs("  \"rng\": ", f);
    json_write_string(f, m->sc->rng_name);
    fputs(",\n  \"effect\": ", f);
    json_write_string(f, m->effect->name);
    if (m->ce->values > 0)
        fprintf(f, ",\n  \"max_value\": %.17g", m->ce->max_value);
    if (m->precision)
        fprintf(f, ",\n  \"precision\": {\"target\": %.15g, \"reached\": %s, \"replications\": %zu}",
                m->precision->target, m->precision->reached ? "true" : "false",
                m->precision->replications);
    fprintf(f, ",\n  \"seed\": %llu,\n  \"replications\": %lld,\n  \"threads\": %u,\n"
               "  \"ranks\": %u,\n  \"start_time\": \"%s\",\n  \"wall_seconds\": %.3f\n}\n",
            (unsigned long long)m->sc->seed, m->sc->replications, m->threads, m->ranks, when,
            m->wall_seconds);
    return 0;
}


/* The charts' scripts (plots/) for a run's results in dir. */
static int write_chart_scripts(const struct scenario *sc, const struct run_results *res,
                               const struct ce_effect *effect, const struct results_ce *ce,
                               const char *dir, char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    const char **policies = malloc(sc->n_policies * sizeof *policies);
    const char **metrics = malloc(model->n_metrics * sizeof *metrics);
    const char **series = malloc((model->n_series_metrics + 1) * sizeof *series);
    double *limits = malloc((model->n_series_metrics + 1) * sizeof *limits);
    int result = -1;
    if (!policies || !metrics || !series || !limits) {
        snprintf(why, why_size, "out of memory");
        goto done;
    }
    for (size_t p = 0; p < sc->n_policies; p++)
        policies[p] = sc->policies[p].name;
    for (size_t m = 0; m < model->n_metrics; m++)
        metrics[m] = model->metrics[m].name;
    for (size_t m = 0; m < model->n_series_metrics; m++)
        series[m] = model->series_metrics[m].name;
    runner_series_limits(sc, limits);
    int start = scenario_start_month(sc);
    struct plot_context ctx = {
        .scenario_name = sc->name, .currency = sc->currency,
        .n_policies = sc->n_policies, .policy_names = policies,
        .n_metrics = model->n_metrics, .metric_names = metrics,
        .replications = res->replications,
        .months = res->series ? series_reducer_months(res->series) : 0,
        .n_timeseries_metrics = model->n_series_metrics, .timeseries_metrics = series,
        .start_year = start >= 0 ? start / 12 : 0, .start_month = start >= 0 ? start % 12 + 1 : 0,
        .series_limits = limits,
        .effect_name = effect->name, .ce_values = ce->values,
    };
    result = plots_write_scripts(&ctx, dir, why, why_size);
done:
    free(policies);
    free(metrics);
    free(series);
    free(limits);
    return result;
}

int run_output_resolved(FILE *f, const void *data)
{
    return scenario_write_resolved(data, AVRRSIM_VERSION, f);
}

int run_output_write(const struct scenario *sc, const struct run_results *res, const char *dir,
                     const struct run_output_options *options, struct run_output_report *report,
                     char *why, size_t why_size)
{
    struct outdir at = {.tmp = (char *)dir};
    struct results_ce ce = {0};
    report->rendered = PLOT_RENDERED;
    report->render_why[0] = '\0';
    if (results_write_csv(sc, res, &at, why, why_size) != 0 ||
        results_write_ce(sc, res, options->effect, options->max_value, &at, &ce, why, why_size) != 0 ||
        outdir_write_file(dir, "scenario.resolved.yaml", run_output_resolved, sc, why, why_size) != 0 ||
        write_chart_scripts(sc, res, options->effect, &ce, dir, why, why_size) != 0)
        return -1;
    if (options->render)
        report->rendered = plots_render(dir, options->formats, report->render_why,
                                        sizeof report->render_why);
    char scenario_sha[65], resolved_sha[65];
    char *resolved_path = outdir_file(&at, "scenario.resolved.yaml");
    if (sha256_file_hex(sc->file, scenario_sha) != 0 || !resolved_path ||
        sha256_file_hex(resolved_path, resolved_sha) != 0) {
        snprintf(why, why_size, "cannot read back the scenario for its digest: %s", strerror(errno));
        free(resolved_path);
        return -1;
    }
    free(resolved_path);
    struct manifest manifest = {.sc = sc, .effect = options->effect, .ce = &ce,
                                .scenario_sha256 = scenario_sha, .resolved_sha256 = resolved_sha,
                                .threads = options->threads,
                                .ranks = options->ranks ? options->ranks : 1,
                                .started = options->started,
                                .wall_seconds = options->wall_seconds,
                                .precision = options->precision};
    return outdir_write_file(dir, "manifest.json", write_manifest, &manifest, why, why_size);
}
