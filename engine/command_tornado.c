/* command_tornado: `avrrsim tornado SCENARIO.yaml`: one-way sensitivity of
 * each policy's mean difference in total cost against the baseline to every
 * uncertain parameter (engine/tornado.h); writes tornado.csv, the resolved
 * scenario and the tornado chart, and prints the largest swings. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cli_common.h"
#include "engine/outdir.h"
#include "engine/run_output.h"
#include "engine/results.h"
#include "engine/tornado.h"
#include "plots/tornado_plot.h"

static const struct cli_option tornado_options[] = {
    {"output", 'o', "DIR", "where to write the results (default: out/<scenario name>-tornado/)"},
    {"replications", 'n', "N", "replications of every run (overrides the scenario's)"},
    {"seed", 's', "SEED", "random seed, the same in every run (overrides the scenario's)"},
    CLI_OPTION_THREADS,
    {"set", OPT_SET, "PATH=VALUE", "override one scenario key before checking; repeatable"},
    CLI_OPTION_FORMATS,
    CLI_OPTION_NO_PLOTS,
    CLI_OPTION_QUIET,
    CLI_OPTION_HELP,
};

struct tornado_request {
    struct run_request run;
};

static void print_tornado_help(FILE *out)
{
    fputs("usage: avrrsim tornado SCENARIO.yaml [options]\n\n"
          "One-way sensitivity: runs the scenario with every uncertain parameter at\n"
          "its mean, then each in turn at its low and its high value (the low: and\n"
          "high: given beside its distribution, else its 5th and 95th percentiles),\n"
          "all with the same seed. Writes tornado.csv (per policy and parameter the\n"
          "mean difference in total cost against the baseline at low, mean and high,\n"
          "sorted by swing), scenario.resolved.yaml and the chart plots/tornado.\n\n"
          "options:\n", out);
    cli_print_options(out, tornado_options, CLI_COUNT(tornado_options));
    fputs("\nexample:\n  avrrsim tornado scenarios/baseline.yaml -n 500\n", out);
}

static int parse_tornado(int argc, char **argv, struct tornado_request *req)
{
    int status = cli_parse("tornado", tornado_options, CLI_COUNT(tornado_options), argc, argv,
                           &req->run, NULL, NULL, print_tornado_help);
    return status >= 0 ? status : cli_finish_run_request("tornado", argc, argv, &req->run);
}

static void show_runs(void *user, size_t run, size_t runs)
{
    (void)user;
    fprintf(stderr, "\r  run %zu/%zu   ", run < runs ? run + 1 : runs, runs);
    if (run >= runs)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

static int write_chart(const struct scenario *sc, const struct tornado *t, const char *dir,
                       char *why, size_t why_size)
{
    const char **policies = malloc(sc->n_policies * sizeof *policies);
    struct tornado_bar *bars = malloc((t->n_rows + 1) * sizeof *bars);
    int result = -1;
    if (!policies || !bars) {
        snprintf(why, why_size, "out of memory");
        goto done;
    }
    for (size_t p = 0; p < sc->n_policies; p++)
        policies[p] = sc->policies[p].name;
    for (size_t i = 0; i < t->n_rows; i++) {
        const struct tornado_row *row = &t->rows[i];
        bars[i] = (struct tornado_bar){.policy = row->policy,
                                       .parameter = sc->uncertain[row->parameter].path,
                                       .low_value = row->low, .high_value = row->high,
                                       .at_low = row->at_low, .at_mean = row->at_mean,
                                       .at_high = row->at_high};
    }
    struct plot_context ctx = {.scenario_name = sc->name, .currency = sc->currency,
                               .n_policies = sc->n_policies, .policy_names = policies,
                               .replications = t->replications};
    result = plots_write_tornado(&ctx, bars, sc->n_uncertain, dir, why, why_size);
done:
    free(policies);
    free(bars);
    return result;
}

/* The three largest swings per policy, for a reader at the terminal. */
static void print_summary(const struct scenario *sc, const struct tornado *t, const char *output)
{
    char low[64], high[64], base[64];
    printf("%s: one-way sensitivity over %zu uncertain parameters, %zu replications per run; "
           "results in %s/\n", sc->name, sc->n_uncertain, t->replications, output);
    size_t shown = 0;
    for (size_t i = 0; i < t->n_rows; i++) {
        const struct tornado_row *row = &t->rows[i];
        if (i == 0 || row->policy != t->rows[i - 1].policy) {
            printf("\n%s minus %s, every parameter at its mean: %s\n",
                   sc->policies[row->policy].name, sc->policies[0].name,
                   results_money(row->at_mean, sc->currency, base, sizeof base));
            printf("  %-50s %16s %16s\n", "parameter (low to high)", "at low", "at high");
            shown = 0;
        }
        if (shown++ >= 8)
            continue;
        char label[160];
        snprintf(label, sizeof label, "%s (%.4g to %.4g)", sc->uncertain[row->parameter].path,
                 row->low, row->high);
        printf("  %-50s %18s %18s\n", label, results_money(row->at_low, sc->currency, low, sizeof low),
               results_money(row->at_high, sc->currency, high, sizeof high));
    }
}

int command_tornado(int argc, char **argv, const struct model_interface *model)
{
    struct tornado_request req = {0};
    if (cli_run_request_init(&req.run, argc) != 0) {
        fputs("avrrsim: error: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    int status = parse_tornado(argc, argv, &req);
    if (status >= 0) {
        cli_run_request_free(&req.run);
        return status;
    }
    char *default_dir = req.run.output ? NULL : cli_default_output(req.run.scenario, "-tornado");
    const char *output = req.run.output ? req.run.output : default_dir;
    struct scenario *sc = output ? cli_load_checked(req.run.scenario, req.run.sets, req.run.n_sets,
                                                    model, &status)
                                 : NULL;
    cli_run_request_free(&req.run);
    if (!output)
        status = EXIT_RUNTIME;
    if (!sc) {
        free(default_dir);
        return status;
    }
    struct outdir dir = {0};
    struct tornado t = {0};
    char why[1024] = "";
    bool show = !req.run.quiet && isatty(STDERR_FILENO);
    if ((status = cli_check_output(output)) >= 0)
        goto done;
    cli_catch_stop_signals();
    enum run_status rs = tornado_compute(sc, req.run.threads, show ? show_runs : NULL, NULL,
                                         cli_stop_flag(), &t, why, sizeof why);
    if (rs == RUN_CANCELLED)
        goto interrupted;
    if (rs != RUN_OK) {
        fprintf(stderr, "avrrsim: error: %s\n", why);
        status = rs == RUN_TOO_LARGE || sc->n_uncertain == 0 || sc->n_policies < 2 ? EXIT_USAGE
                                                                                    : EXIT_RUNTIME;
        goto done;
    }
    status = EXIT_RUNTIME;
    char *csv_path = NULL;
    if (outdir_begin(&dir, output, why, sizeof why) != 0 ||
        !(csv_path = outdir_file(&dir, "tornado.csv")) ||
        tornado_write_csv(sc, &t, csv_path, why, sizeof why) != 0 ||
        outdir_write_file(dir.tmp, "scenario.resolved.yaml", run_output_resolved, sc, why, sizeof why) != 0 ||
        write_chart(sc, &t, dir.tmp, why, sizeof why) != 0) {
        free(csv_path);
        goto failed;
    }
    free(csv_path);
    enum plot_render_status rendered = PLOT_RENDERED;
    char render_why[1024] = "";
    if (!req.run.no_plots && !cli_stop_signal())
        rendered = plots_render(dir.tmp, req.run.formats, render_why, sizeof render_why);
    if (cli_stop_signal())
        goto interrupted;
    why[0] = '\0';
    if (outdir_commit(&dir, why, sizeof why) != 0)
        goto failed;
    if (why[0])
        fprintf(stderr, "avrrsim: warning: %s\n", why);
    print_summary(sc, &t, output);
    if (!req.run.no_plots)
        cli_report_rendering(rendered, render_why, output);
    status = rendered == PLOT_FAILED ? EXIT_RUNTIME : 0;
    goto done;

failed:
interrupted:
    status = cli_abandon(&dir, why, show, status);
done:
    outdir_clear(&dir);
    tornado_free(&t);
    scenario_free(sc);
    free(default_dir);
    return status;
}
