/* command_batch: `avrrsim batch FILE...`: several scenarios run (one
 * after the other, or spread over MPI ranks) into one output directory: each scenario's complete results
 * (as `avrrsim run` writes them) in a folder of its own, and batch.csv, one
 * row per scenario and policy with the headline statistics: the side-by-side
 * table of a report. Every scenario is checked before anything runs. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
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
#include "engine/csv.h"
#include "engine/headline.h"
#include "engine/outdir.h"
#include "engine/results.h"
#include "engine/run_output.h"
#include "engine/runner.h"

static const struct cli_option batch_options[] = {
    {"output", 'o', "DIR", "where to write the results (default: out/batch/)"},
    {"replications", 'n', "N", "replications of every scenario (overrides each scenario's)"},
    {"seed", 's', "SEED", "random seed of every scenario (overrides each scenario's)"},
    CLI_OPTION_THREADS,
    {"set", OPT_SET, "PATH=VALUE", "override one key in every scenario before checking; repeatable"},
    CLI_OPTION_FORMATS,
    CLI_OPTION_NO_PLOTS,
    CLI_OPTION_QUIET,
    CLI_OPTION_HELP,
};

struct batch_request {
    struct run_request run;
    char **files;
    size_t n_files;
};

static void print_batch_help(FILE *out)
{
    fputs("usage: avrrsim batch SCENARIO.yaml... [options]\n\n"
          "Runs each scenario as `avrrsim run` would, into DIR/<scenario file name>/\n"
          "(every CSV, the resolved scenario, the manifest and the charts), and writes\n"
          "DIR/batch.csv: per scenario and policy the total cost, the discounted cost\n"
          "and the effect (mean, p05, p50, p95), and against the baseline the mean\n"
          "difference in total cost, its 90% interval and the probability that the\n"
          "policy is cheaper. Every scenario is checked before any runs.\n\noptions:\n",
          out);
    cli_print_options(out, batch_options, CLI_COUNT(batch_options));
    fputs("\nexample:\n  avrrsim batch scenarios/pilot-2011.yaml scenarios/expansion.yaml "
          "-n 500 -o out/report\n", out);
}

static int parse_batch(int argc, char **argv, struct batch_request *req)
{
    int status = cli_parse("batch", batch_options, CLI_COUNT(batch_options), argc, argv, &req->run,
                           NULL, NULL, print_batch_help);
    if (status >= 0)
        return status;
    if (optind >= argc)
        return cli_usage_error("batch", "batch needs at least one scenario file");
    req->files = argv + optind;
    req->n_files = (size_t)(argc - optind);
    if (req->run.replications_set[0])
        req->run.sets[req->run.n_sets++] = req->run.replications_set;
    if (req->run.seed_set[0])
        req->run.sets[req->run.n_sets++] = req->run.seed_set;
    return -1;
}

/* The folder of each scenario: its file name without .yaml, made unique
 * with -2, -3 ... in the order given. names[i] is malloc'd. */
static int folder_names(char **files, size_t n, char **names)
{
    for (size_t i = 0; i < n; i++) {
        char *base = cli_default_output(files[i], "");   /* "out/<name>" */
        if (!base)
            return -1;
        memmove(base, base + 4, strlen(base + 4) + 1);
        if (base[0] == '\0' || strcmp(base, "plots") == 0 || strcmp(base, ".") == 0 ||
            strcmp(base, "..") == 0) {
            free(base);
            if (!(base = malloc(16)))
                return -1;
            snprintf(base, 16, "scenario");
        }
        names[i] = base;
        for (unsigned suffix = 2;; suffix++) {
            bool taken = false;
            for (size_t j = 0; j < i; j++)
                taken = taken || strcmp(names[j], names[i]) == 0;
            if (!taken)
                break;
            size_t size = strlen(base) + 16;
            char *renamed = malloc(size);
            if (!renamed)
                return -1;
            snprintf(renamed, size, "%s-%u", base, suffix);
            if (names[i] != base)
                free(names[i]);
            names[i] = renamed;
        }
        if (names[i] != base)
            free(base);
    }
    return 0;
}

/* The leading columns of a batch row. */
struct scenario_columns {
    const struct scenario *sc;
    const char *folder;
    size_t replications;
};

static void write_scenario_columns(csv_writer *w, void *user)
{
    const struct scenario_columns *c = user;
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)c->sc->seed);
    csv_text(w, c->sc->name);
    csv_text(w, c->sc->file);
    csv_text(w, c->folder);
    csv_int(w, (long long)c->replications);
    csv_value(w, seed);
}

static void print_scenario(const struct scenario *sc, const struct run_results *res, const char *folder)
{
    size_t cost = sc->model->headline.total_cost, R = res->replications;
    size_t row = res->n_policies * res->n_metrics;
    printf("%s (%s/, %zu replications)\n", sc->name, folder, R);
    for (size_t p = 0; p < sc->n_policies; p++) {
        double total = 0, difference = 0;
        size_t cheaper = 0;
        for (size_t r = 0; r < R; r++) {
            double own = res->metrics[r * row + p * res->n_metrics + cost];
            double base = res->metrics[r * row + cost];
            total += own;
            difference += own - base;
            cheaper += own < base;
        }
        char money[64], diff[64];
        results_money(total / (double)R, sc->currency, money, sizeof money);
        if (p == 0)
            printf("  %-34s %20s\n", sc->policies[p].name, money);
        else
            printf("  %-34s %20s   %18s against the baseline, cheaper in %.0f%%\n",
                   sc->policies[p].name, money,
                   results_money(difference / (double)R, sc->currency, diff, sizeof diff),
                   100.0 * (double)cheaper / (double)R);
    }
}

/* The batch's scenarios as a job of engine/cluster_runs: every rank loaded
 * them all; rank 0 keeps each one's results until every one is in. */
struct batch_job {
    struct scenario **scenarios;
    const char *const *files;
    size_t n;
    bool show;
    struct run_results *results;       /* [i], rank 0 */
    time_t *started;                   /* [i] */
    struct timespec *clocks;           /* [i]: when it started */
    double *wall_seconds;              /* [i] */
};

static struct scenario *batch_scenario(size_t i, void *user, int *status)
{
    (void)status;
    return ((struct batch_job *)user)->scenarios[i];
}

static void batch_starting(size_t i, void *user)
{
    struct batch_job *job = user;
    if (job->show)
        fprintf(stderr, "\r  scenario %zu/%zu: %s\033[K", i + 1, job->n, job->scenarios[i]->name);
    job->started[i] = time(NULL);
    clock_gettime(CLOCK_MONOTONIC, &job->clocks[i]);
}

static int batch_done(size_t i, const struct scenario *sc, struct run_results *res, void *user)
{
    (void)sc;
    struct batch_job *job = user;
    job->wall_seconds[i] = cli_seconds_since(&job->clocks[i]);
    job->results[i] = *res;
    memset(res, 0, sizeof *res);
    return -1;
}

int command_batch(int argc, char **argv, const struct model_interface *model)
{
    struct batch_request req = {0};
    if (cli_run_request_init(&req.run, argc) != 0) {
        fputs("avrrsim: error: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    int status = parse_batch(argc, argv, &req);
    if (status >= 0) {
        cli_run_request_free(&req.run);
        return status;
    }
    const char *output = req.run.output ? req.run.output : "out/batch";
    struct scenario **scenarios = calloc(req.n_files, sizeof *scenarios);
    char **folders = calloc(req.n_files, sizeof *folders);
    struct run_results *results = calloc(req.n_files, sizeof *results);
    time_t *started = calloc(req.n_files, sizeof *started);
    struct timespec *clocks = calloc(req.n_files, sizeof *clocks);
    double *wall_seconds = calloc(req.n_files, sizeof *wall_seconds);
    struct outdir dir = {0};
    csv_writer *csv = NULL;
    char why[1024] = "";
    bool show = cluster_show_progress(req.run.quiet);
    status = EXIT_RUNTIME;
    if (!scenarios || !folders || !results || !started || !clocks || !wall_seconds ||
        folder_names(req.files, req.n_files, folders) != 0) {
        fputs("avrrsim: error: out of memory\n", stderr);
        goto done;
    }
    /* every scenario checked first, on every rank: all problems at once
     * (rank 0 reports them), nothing run */
    int load_status = -1;
    for (size_t i = 0; i < req.n_files; i++) {
        int one;
        if (!(scenarios[i] = cli_load_checked(req.files[i], req.run.sets, req.run.n_sets, model, &one)))
            load_status = load_status == EXIT_RUNTIME || one == EXIT_RUNTIME ? EXIT_RUNTIME : one;
    }
    if (load_status < 0 && cluster_is_writer())
        load_status = cli_check_output(output);
    if ((status = cluster_agree(load_status, why, sizeof why)) >= 0) {
        if (why[0])
            fprintf(stderr, "avrrsim: error: %s\n", why);
        goto done;
    }
    status = EXIT_RUNTIME;

    cli_catch_stop_signals();
    struct batch_job batch = {scenarios, (const char *const *)req.files, req.n_files, show, results,
                              started, clocks, wall_seconds};
    struct cluster_job job = {.n_items = req.n_files, .load = batch_scenario, .starting = batch_starting,
                              .done = batch_done, .user = &batch, .threads = req.run.threads,
                              .cancel = cli_stop_flag()};
    struct cluster_failure failure;
    if (cluster_run(&job, &failure) != 0) {
        if (failure.interrupted)
            goto interrupted;
        if (show)
            fputs("\r\033[K", stderr);
        if (failure.why[0])
            fprintf(stderr, "avrrsim: error: %s: %s\n", req.files[failure.item], failure.why);
        status = failure.status;
        goto done;
    }
    if (!cluster_is_writer()) {   /* rank 0 writes */
        status = 0;
        goto done;
    }
    /* every result is in: now the output directory */
    if (outdir_begin(&dir, output, why, sizeof why) != 0)
        goto failed;
    char *path = outdir_file(&dir, "batch.csv");
    csv = path ? csv_open(path) : NULL;
    free(path);
    if (!csv) {
        snprintf(why, sizeof why, "cannot write batch.csv: %s", strerror(errno));
        goto failed;
    }
    struct headline_names headline;
    headline_column_names(model, &headline);
    const char *names[5 + HEADLINE_COLUMNS] = {"scenario", "file", "directory", "replications", "seed"};
    for (size_t k = 0; k < HEADLINE_COLUMNS; k++)
        names[5 + k] = headline.names[k];
    csv_header(csv, names, 5 + HEADLINE_COLUMNS);

    struct ce_effect effect;
    ce_effect_headline(model, &effect);
    bool render_failed = false;
    for (size_t i = 0; i < req.n_files; i++) {
        const struct scenario *sc = scenarios[i];
        struct run_results *res = &results[i];
        struct run_output_options options = {
            .effect = &effect, .max_value = NAN, .render = !req.run.no_plots, .formats = req.run.formats,
            .threads = req.run.threads < res->replications ? req.run.threads : (unsigned)res->replications,
            .ranks = (unsigned)cluster_size(), .started = started[i], .wall_seconds = wall_seconds[i]};
        struct run_output_report report;
        struct scenario_columns columns = {sc, folders[i], res->replications};
        char *folder = outdir_subfolder(&dir, folders[i], why, sizeof why);
        int written = folder ? run_output_write(sc, res, folder, &options, &report, why, sizeof why) : -1;
        if (written == 0 && headline_write_rows(csv, sc, res, write_scenario_columns, &columns) != 0) {
            snprintf(why, sizeof why, "out of memory");
            written = -1;
        }
        free(folder);
        if (written == 0 && show)
            fputs("\r\033[K", stderr);
        if (written == 0)
            print_scenario(sc, res, folders[i]);
        if (written != 0)
            goto failed;
        if (!req.run.no_plots && report.rendered != PLOT_RENDERED) {
            char where[1200];
            snprintf(where, sizeof where, "%s/%s", output, folders[i]);
            cli_report_rendering(report.rendered, report.render_why, where);
            render_failed = render_failed || report.rendered == PLOT_FAILED;
        }
        if (cli_stop_signal())
            goto interrupted;
    }
    if (csv_close(csv) != 0) {
        csv = NULL;
        snprintf(why, sizeof why, "cannot write batch.csv: %s", strerror(errno));
        goto failed;
    }
    csv = NULL;
    why[0] = '\0';
    if (outdir_commit(&dir, why, sizeof why) != 0)
        goto failed;
    if (why[0])
        fprintf(stderr, "avrrsim: warning: %s\n", why);
    printf("%zu scenarios; results in %s/ (batch.csv, and a folder per scenario)\n", req.n_files, output);
    status = render_failed ? EXIT_RUNTIME : 0;
    goto done;

failed:
    if (cli_stop_signal())
        goto interrupted;
    if (show)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "avrrsim: error: %s\n", why);
    csv_close(csv);
    csv = NULL;
    outdir_abort(&dir);
    goto done;
interrupted:
    csv_close(csv);
    csv = NULL;
    outdir_abort(&dir);
    if (show)
        fputs("\r\033[K", stderr);
    status = cli_report_interrupted();
done:
    csv_close(csv);
    outdir_clear(&dir);
    if (scenarios)
        for (size_t i = 0; i < req.n_files; i++)
            scenario_free(scenarios[i]);
    if (results)
        for (size_t i = 0; i < req.n_files; i++)
            run_results_free(&results[i]);
    free(results);
    free(started);
    free(clocks);
    free(wall_seconds);
    free(scenarios);
    if (folders)
        for (size_t i = 0; i < req.n_files; i++)
            free(folders[i]);
    free(folders);
    cli_run_request_free(&req.run);
    return status;
}
