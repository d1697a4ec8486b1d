/* command_run: `avrrsim run SCENARIO.yaml`: every replication of a scenario,
 * its CSV results (cost-effectiveness included, for --effect and
 * --max-value), the resolved scenario, the manifest and the charts, all
 * written to a temporary directory and renamed into place only when whole. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/ce.h"
#include "engine/cli_common.h"
#include "engine/cluster.h"
#include "engine/cluster_runs.h"
#include "engine/outdir.h"
#include "engine/precision.h"
#include "engine/results.h"
#include "engine/runner.h"
#include "engine/scalar.h"
#include "engine/run_output.h"
#include "plots/plots.h"

static const struct cli_option run_options[] = {
    {"output", 'o', "DIR", "where to write the results (default: out/<scenario name>/)"},
    {"replications", 'n', "N", "number of replications (overrides the scenario's)"},
    {"seed", 's', "SEED", "random seed, an unsigned 64-bit integer (overrides the scenario's)"},
    CLI_OPTION_THREADS,
    {"set", OPT_SET, "PATH=VALUE", "override one scenario key before checking; repeatable"},
    {"effect", OPT_EFFECT, "METRIC", "the effect of ce.csv and ceac.csv: a metric of replications.csv "
                                     "(default: departures); -METRIC turns its sign (-detention_days: "
                                     "fewer is better)"},
    {"max-value", OPT_MAX_VALUE, "V", "the highest value per unit of effect in ceac.csv, > 0 "
                                      "(default: twice the largest ICER, rounded up; else 100000)"},
    {"precision", OPT_PRECISION, "REL", "add replications in batches until the 95% confidence "
                                        "half-width of every mean total cost and mean difference is "
                                        "at most REL times its size (0.01: 1%); -n or the scenario's "
                                        "replications are the cap"},
    CLI_OPTION_FORMATS,
    CLI_OPTION_NO_PLOTS,
    CLI_OPTION_QUIET,
    CLI_OPTION_HELP,
};

struct run_command {
    struct run_request run;
    const struct model_interface *model;
    struct ce_effect effect;   /* --effect, else the model's headline effect */
    double max_value;          /* --max-value, else NaN (the default) */
    double precision;          /* --precision REL, else 0 */
};

static void print_run_help(FILE *out)
{
    fputs("usage: avrrsim run SCENARIO.yaml [options]\n\n"
          "Runs every replication of the scenario and writes replications.csv,\n"
          "differences.csv, parameters.csv, summary.csv, comparison.csv, timeseries.csv,\n"
          "ce.csv (each policy against the baseline: incremental cost and effect, cost\n"
          "per unit of effect, dominated, dominant or trade-off), ceac.csv (for values\n"
          "per unit of effect from 0 to --max-value: the probability that each policy\n"
          "has the highest net benefit, and the expected value of perfect information),\n"
          "scenario.resolved.yaml, manifest.json and the charts (DIR/plots/) into DIR,\n"
          "then prints a summary table.\n\noptions:\n",
          out);
    cli_print_options(out, run_options, CLI_COUNT(run_options));
    fputs("\nexample:\n"
          "  avrrsim run scenarios/baseline.yaml -n 2000 -j 2 --set model.avrr.uptake=0.2\n"
          "  avrrsim run scenarios/baseline.yaml \\\n"
          "      --set 'model.detention.length_days={dist: gamma, mean: 90, sd: 30}'\n"
          "  avrrsim run scenarios/baseline.yaml --effect -detention_days --max-value 500\n",
          out);
}

static int run_option(int c, const char *arg, void *user)
{
    struct run_command *req = user;
    int status;
    switch (c) {
    case OPT_EFFECT: {
        char why[2048];
        if (ce_effect_parse(req->model, arg, &req->effect, why, sizeof why) != 0)
            return cli_usage_error("run", "--effect: %s", why);
        return -1;
    }
    case OPT_PRECISION:
        return (status = cli_parse_precision("run", arg, &req->precision)) >= 0 ? status : -1;
    case OPT_MAX_VALUE:
        if (text_to_double(arg, &req->max_value) != 0 || !isfinite(req->max_value) ||
            req->max_value <= 0)
            return cli_usage_error("run", "--max-value: expected a positive number (currency "
                                          "per unit of effect), got '%s'", arg);
        return -1;
    default:
        return -2;
    }
}

static int parse_run(int argc, char **argv, struct run_command *req)
{
    int status = cli_parse("run", run_options, CLI_COUNT(run_options), argc, argv, &req->run,
                           run_option, req, print_run_help);
    return status >= 0 ? status : cli_finish_run_request("run", argc, argv, &req->run);
}

/* The one item of a run's job: the scenario every rank loaded. */
struct run_job {
    struct scenario *sc;
    struct run_results *results;
};

static struct scenario *run_job_scenario(size_t item, void *user, int *status)
{
    (void)item;
    (void)status;
    return ((struct run_job *)user)->sc;
}

static int run_job_done(size_t item, const struct scenario *sc, struct run_results *res, void *user)
{
    (void)item;
    (void)sc;
    struct run_job *job = user;
    *job->results = *res;
    memset(res, 0, sizeof *res);
    return -1;
}

int command_run(int argc, char **argv, const struct model_interface *model)
{
    struct run_command req = {.model = model, .max_value = NAN};
    ce_effect_headline(model, &req.effect);
    if (cli_run_request_init(&req.run, argc) != 0) {
        fputs("avrrsim: error: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    int status = parse_run(argc, argv, &req);
    if (status >= 0) {
        cli_run_request_free(&req.run);
        return status;
    }
    char *default_dir = req.run.output ? NULL : cli_default_output(req.run.scenario, "");
    const char *output = req.run.output ? req.run.output : default_dir;
    if (!output) {
        cli_run_request_free(&req.run);
        fputs("avrrsim: error: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    /* every rank loads and checks the scenario; rank 0 alone reports */
    struct scenario *sc = cli_load_checked(req.run.scenario, req.run.sets, req.run.n_sets, model,
                                           &status);
    cli_run_request_free(&req.run);
    if (sc && req.precision > 0 && sc->sampling == SAMPLING_LHS)
        status = cli_usage_error("run", "--precision stops a run early, which sampling: lhs does not "
                                        "allow (its strata are laid over every replication)");
    else if (sc && cluster_is_writer())
        status = cli_check_output(output);
    char why[1024] = "";
    if ((status = cluster_agree(status, why, sizeof why)) >= 0) {
        if (why[0])
            fprintf(stderr, "avrrsim: error: %s\n", why);
        scenario_free(sc);
        free(default_dir);
        return status;
    }
    struct outdir dir = {0};
    struct run_results results = {0};
    bool show = false;
    const char **names = NULL;
    long long cap = sc->replications;
    status = EXIT_RUNTIME;

    time_t started = time(NULL);
    struct progress_state progress;
    cli_progress_start(&progress, "replications");
    show = cluster_show_progress(req.run.quiet);
    cli_catch_stop_signals();
    names = malloc(sc->n_policies * sizeof *names);
    if (!names) {
        fputs("avrrsim: error: out of memory\n", stderr);
        goto done;
    }
    for (size_t p = 0; p < sc->n_policies; p++)
        names[p] = sc->policies[p].name;
    struct precision_goal goal = {.relative = req.precision, .metric = model->headline.total_cost,
                                  .policy_names = names};
    struct run_plan plan = {.enough = req.precision > 0 ? precision_enough : NULL,
                            .enough_user = &goal};
    struct run_job run = {sc, &results};
    struct cluster_job job = {.n_items = 1, .load = run_job_scenario, .done = run_job_done, .user = &run,
                              .threads = req.run.threads, .plan = &plan,
                              .progress = show ? cli_show_progress : NULL, .progress_user = &progress,
                              .cancel = cli_stop_flag()};
    struct cluster_failure failure;
    enum run_status rs = RUN_OK;
    if (cluster_run(&job, &failure) != 0) {
        rs = failure.interrupted ? RUN_CANCELLED : failure.too_large ? RUN_TOO_LARGE : RUN_FAILED;
        snprintf(why, sizeof why, "%s", failure.why);
    }
    if (!cluster_is_writer()) {   /* rank 0 writes */
        status = rs == RUN_OK ? 0 : rs == RUN_CANCELLED ? 128 + cli_stop_signal() : failure.status;
        goto done;
    }
    struct precision_outcome precision = {.target = req.precision};
    if (rs == RUN_OK && req.precision > 0) {
        precision_enough(&results, &goal);   /* the last batch is checked here */
        precision.reached = goal.reached;
        precision.replications = results.replications;
        if (scenario_set_replications(sc, (long long)results.replications) != 0) {
            snprintf(why, sizeof why, "out of memory");
            rs = RUN_FAILED;
        }
    }
    if (rs == RUN_CANCELLED)
        goto interrupted;
    if (rs != RUN_OK) {
        fprintf(stderr, "avrrsim: error: %s\n", why);
        status = rs == RUN_TOO_LARGE ? EXIT_USAGE : EXIT_RUNTIME;
        goto done;
    }

    struct run_output_options options = {
        .effect = &req.effect, .max_value = req.max_value, .render = !req.run.no_plots,
        .formats = req.run.formats,
        .threads = req.run.threads < results.replications ? req.run.threads
                                                          : (unsigned)results.replications,
        .ranks = (unsigned)cluster_size(),
        .started = started, .wall_seconds = cli_seconds_since(&progress.started),
        .precision = req.precision > 0 ? &precision : NULL};
    struct run_output_report report;
    if (outdir_begin(&dir, output, why, sizeof why) != 0 ||
        run_output_write(sc, &results, dir.tmp, &options, &report, why, sizeof why) != 0)
        goto failed;
    why[0] = '\0';
    if (cli_stop_signal())
        goto interrupted;
    if (outdir_commit(&dir, why, sizeof why) != 0)
        goto failed;
    if (why[0])
        fprintf(stderr, "avrrsim: warning: %s\n", why);
    results_print_table(sc, &results, output, stdout);
    if (req.precision > 0)
        cli_print_precision(&goal, cap);
    if (!req.run.no_plots)
        cli_report_rendering(report.rendered, report.render_why, output);
    if (report.rendered == PLOT_FAILED) {
        status = EXIT_RUNTIME;
        goto done;
    }
    status = 0;
    goto done;

failed:
interrupted:
    status = cli_abandon(&dir, why, show, status);
done:
    outdir_clear(&dir);
    run_results_free(&results);
    scenario_free(sc);
    free(default_dir);
    free(names);
    return status;
}
