/* cli: the command line. One table of commands, one table of options per
 * command; the same tables drive getopt_long and --help. Commands print and
 * choose exit codes; everything below them returns errors as values.
 * Exit codes: 0 success, 1 a runtime failure, 2 invalid input or usage. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <yaml.h>

#include "engine/cli.h"
#include "engine/outdir.h"
#include "engine/report_files.h"
#include "engine/results.h"
#include "engine/runner.h"
#include "engine/scalar.h"
#include "engine/scenario.h"
#include "engine/stats.h"
#include "engine/csv.h"
#include "engine/sweep.h"
#include "engine/version.h"
#include "plots/plots.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* The signal that asked a run to stop (SIGINT or SIGTERM), or 0. A signal
 * handler can reach nothing but a global of this type: it is the program's
 * one piece of global mutable state, read by the runner through a pointer. */
static volatile sig_atomic_t caught_signal;

static void on_signal(int signal_number)
{
    caught_signal = signal_number;
}

static void catch_stop_signals(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

/* ---------- option tables ---------- */

struct cli_option {
    const char *long_name;
    int short_name;           /* 0: long only (a code >= 256 is used for getopt) */
    const char *argument;     /* NULL: a flag */
    const char *help;
};

enum { OPT_SET = 256, OPT_QUIET, OPT_FORMATS, OPT_NO_PLOTS, OPT_VARY };

static const struct cli_option run_options[] = {
    {"output", 'o', "DIR", "where to write the results (default: out/<scenario name>/)"},
    {"replications", 'n', "N", "number of replications (overrides the scenario's)"},
    {"seed", 's', "SEED", "random seed, an unsigned 64-bit integer (overrides the scenario's)"},
    {"threads", 'j', "N", "worker threads (default: every core of this machine)"},
    {"set", OPT_SET, "PATH=VALUE", "override one scenario key before checking; repeatable"},
    {"formats", OPT_FORMATS, "LIST", "chart formats to render: png,svg,pdf (default: all three)"},
    {"no-plots", OPT_NO_PLOTS, NULL, "write the chart scripts but do not render them"},
    {"quiet", OPT_QUIET, NULL, "no progress line"},
    {"help", 'h', NULL, "show this help"},
};

static const struct cli_option sweep_options[] = {
    {"vary", OPT_VARY, "PATH=LO:HI:N", "vary a key over N evenly spaced values, or PATH=V1,V2,...; "
                                      "repeatable (the grid of every combination)"},
    {"output", 'o', "DIR", "where to write the results (default: out/<scenario name>-sweep/)"},
    {"replications", 'n', "N", "replications at every point (overrides the scenario's)"},
    {"seed", 's', "SEED", "random seed, the same at every point (overrides the scenario's)"},
    {"threads", 'j', "N", "worker threads (default: every core of this machine)"},
    {"set", OPT_SET, "PATH=VALUE", "override one scenario key at every point; repeatable"},
    {"quiet", OPT_QUIET, NULL, "no progress line"},
    {"help", 'h', NULL, "show this help"},
};

static const struct cli_option plot_options[] = {
    {"formats", OPT_FORMATS, "LIST", "chart formats to render: png,svg,pdf (default: all three)"},
    {"help", 'h', NULL, "show this help"},
};

static const struct cli_option validate_options[] = {
    {"help", 'h', NULL, "show this help"},
};

static void print_options(FILE *out, const struct cli_option *options, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char left[64];
        const struct cli_option *o = &options[i];
        if (o->short_name > 0 && o->short_name < 256)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->long_name,
                     o->argument ? " " : "", o->argument ? o->argument : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->long_name, o->argument ? " " : "",
                     o->argument ? o->argument : "");
        fprintf(out, "  %-26s %s\n", left, o->help);
    }
}

/* Builds getopt_long's tables from ours. longs must hold count + 1 entries. */
static void build_getopt(const struct cli_option *options, size_t count, struct option *longs,
                         char *shorts, size_t shorts_size)
{
    size_t j = 0;
    shorts[j++] = ':';     /* report a missing argument as ':' */
    for (size_t i = 0; i < count; i++) {
        longs[i] = (struct option){options[i].long_name,
                                   options[i].argument ? required_argument : no_argument, NULL,
                                   options[i].short_name};
        if (options[i].short_name > 0 && options[i].short_name < 256 && j + 3 < shorts_size) {
            shorts[j++] = (char)options[i].short_name;
            if (options[i].argument)
                shorts[j++] = ':';
        }
    }
    longs[count] = (struct option){0, 0, 0, 0};
    shorts[j] = '\0';
}

static int usage_error(const char *command, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(const char *command, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fputs("avrrsim: ", stderr);
    vfprintf(stderr, format, ap);
    va_end(ap);
    if (command)
        fprintf(stderr, "\nTry 'avrrsim %s --help'.\n", command);
    else
        fputs("\nTry 'avrrsim --help'.\n", stderr);
    return EXIT_USAGE;
}

/* Reports a getopt failure; returns the exit status. */
static int option_error(const char *command, int code, const char *argument)
{
    (void)code;
    if (code == ':')
        return usage_error(command, "option '%s' needs a value", argument);
    return usage_error(command, "unknown option '%s'", argument);
}

/* ---------- top level ---------- */

static void print_main_help(FILE *out)
{
    fputs("avrrsim: Monte Carlo comparison of assisted voluntary return and reintegration\n"
          "(AVRR) with immigration detention.\n\n"
          "usage: avrrsim COMMAND [options]\n\n"
          "commands:\n"
          "  run SCENARIO.yaml        run a scenario, write CSV results (avrrsim run --help)\n"
          "  validate SCENARIO.yaml...  check scenario files, run nothing\n"
          "  sweep SCENARIO.yaml      run a grid of key values (avrrsim sweep --help)\n"
          "  plot DIR                 render again the charts of an output directory\n"
          "  keys                     list every scenario key (Markdown)\n\n"
          "options:\n"
          "  -h, --help               show this help\n"
          "  -V, --version            show the version, and GSL's and libyaml's\n\n"
          "exit status: 0 success, 1 a runtime failure (out of memory, cannot write),\n"
          "2 invalid input or usage.\n",
          out);
}

static void print_version(FILE *out)
{
    fprintf(out, "avrrsim %s (GSL %s, libyaml %s)\n", AVRRSIM_VERSION, gsl_version,
            yaml_get_version_string());
}

/* ---------- validate ---------- */

static int command_validate(int argc, char **argv, const struct model_interface *model)
{
    struct option longs[sizeof validate_options / sizeof validate_options[0] + 1];
    char shorts[32];
    build_getopt(validate_options, sizeof validate_options / sizeof validate_options[0], longs,
                 shorts, sizeof shorts);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (c == 'h') {
            fputs("usage: avrrsim validate SCENARIO.yaml...\n\n"
                  "Checks each scenario file and prints 'FILE: ok' or every problem found;\n"
                  "runs nothing. Exit status 2 when any file has a problem.\n\noptions:\n",
                  stdout);
            print_options(stdout, validate_options,
                          sizeof validate_options / sizeof validate_options[0]);
            return 0;
        }
        return option_error("validate", c, argv[optind - 1]);
    }
    if (optind >= argc)
        return usage_error("validate", "validate needs at least one scenario file");
    int status = 0;
    for (int i = optind; i < argc; i++) {
        diag_list *diags = diag_list_new();
        if (!diags) {
            fputs("avrrsim: out of memory\n", stderr);
            return EXIT_RUNTIME;
        }
        struct scenario *sc = scenario_load(argv[i], NULL, 0, model, diags);
        char why[512];
        if (sc && runner_check(sc, why, sizeof why) != 0) {
            fprintf(stderr, "%s: error: %s\n", argv[i], why);
            status = EXIT_USAGE;
        } else if (sc)
            printf("%s: ok\n", argv[i]);
        else {
            diag_sort(diags);
            diag_print(diags, stderr);
            status = EXIT_USAGE;
        }
        scenario_free(sc);
        diag_list_free(diags);
    }
    return status;
}

/* ---------- run ---------- */

struct run_request {
    const char *scenario;
    const char *output;
    const char **sets;
    size_t n_sets;
    unsigned threads;
    bool quiet;
    bool no_plots;
    unsigned formats;
    char replications_set[64];
    char seed_set[64];
};

static void print_run_help(FILE *out)
{
    fputs("usage: avrrsim run SCENARIO.yaml [options]\n\n"
          "Runs every replication of the scenario and writes replications.csv,\n"
          "differences.csv, parameters.csv, summary.csv, comparison.csv, timeseries.csv,\n"
          "scenario.resolved.yaml, manifest.json and the charts (DIR/plots/) into DIR,\n"
          "then prints a summary table.\n\noptions:\n",
          out);
    print_options(out, run_options, sizeof run_options / sizeof run_options[0]);
    fputs("\nexample:\n"
          "  avrrsim run scenarios/baseline.yaml -n 2000 -j 2 --set model.avrr.uptake=0.2\n"
          "  avrrsim run scenarios/baseline.yaml \\\n"
          "      --set 'model.detention.length_days={dist: gamma, mean: 90, sd: 30}'\n",
          out);
}

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* The options run and sweep share (-o, -n, -s, -j, --set, --quiet): applies
 * option c to req. Returns -1 when handled, -2 when c is not one of them,
 * else the exit status of a usage error. */
static int shared_run_option(const char *command, int c, const char *arg, struct run_request *req)
{
    long long n;
    uint64_t seed;
    switch (c) {
    case 'o':
        if (arg[0] == '\0')
            return usage_error(command, "-o needs a directory name");
        req->output = arg;
        return -1;
    case 'n':
        if (text_to_int64(arg, &n) != 0 || n < 1 || n > 100000000)
            return usage_error(command, "-n: expected a whole number from 1 to 100000000, got '%s'", arg);
        snprintf(req->replications_set, sizeof req->replications_set, "replications=%lld", n);
        return -1;
    case 's':
        if (text_to_uint64(arg, &seed) != 0)
            return usage_error(command, "-s: expected a whole number from 0 to 18446744073709551615, "
                                        "got '%s'", arg);
        snprintf(req->seed_set, sizeof req->seed_set, "seed=%llu", (unsigned long long)seed);
        return -1;
    case 'j':
        if (text_to_int64(arg, &n) != 0 || n < 1 || n > 1024)
            return usage_error(command, "-j: expected a whole number from 1 to 1024, got '%s'", arg);
        req->threads = (unsigned)n;
        return -1;
    case OPT_SET:
        req->sets[req->n_sets++] = arg;
        return -1;
    case OPT_QUIET:
        req->quiet = true;
        return -1;
    default:
        return -2;
    }
}

/* After the options: the one scenario file, and -n and -s as the last edits. */
static int finish_run_request(const char *command, int argc, char **argv, struct run_request *req)
{
    if (optind >= argc)
        return usage_error(command, "%s needs a scenario file", command);
    if (optind + 1 < argc)
        return usage_error(command, "%s takes one scenario file, got '%s' too", command, argv[optind + 1]);
    req->scenario = argv[optind];
    if (req->replications_set[0])
        req->sets[req->n_sets++] = req->replications_set;
    if (req->seed_set[0])
        req->sets[req->n_sets++] = req->seed_set;
    return -1;
}

/* Parses the run options into *req; returns -1 to continue, else an exit status. */
static int parse_run(int argc, char **argv, struct run_request *req)
{
    enum { N = sizeof run_options / sizeof run_options[0] };
    struct option longs[N + 1];
    char shorts[64];
    build_getopt(run_options, N, longs, shorts, sizeof shorts);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        int status = shared_run_option("run", c, optarg, req);
        if (status == -1)
            continue;
        if (status != -2)
            return status;
        switch (c) {
        case 'h':
            print_run_help(stdout);
            return 0;
        case OPT_NO_PLOTS:
            req->no_plots = true;
            break;
        case OPT_FORMATS: {
            char why[256];
            if (plots_parse_formats(optarg, &req->formats, why, sizeof why) != 0)
                return usage_error("run", "--formats: %s", why);
            break;
        }
        default:
            return option_error("run", c, argv[optind - 1]);
        }
    }
    return finish_run_request("run", argc, argv, req);
}

/* "out/<file name without .yaml or .yml>" */
static char *default_output(const char *scenario)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
        n -= 4;
    char *out = malloc(n + 5);
    if (out) {
        memcpy(out, "out/", 4);
        memcpy(out + 4, base, n);
        out[n + 4] = '\0';
    }
    return out;
}

struct progress_state {
    struct timespec started;
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void show_progress(void *user, uint64_t done, uint64_t total)
{
    struct progress_state *p = user;
    double elapsed = seconds_since(&p->started);
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r  %llu/%llu replications  %.0f/s  %d:%02d left   ", (unsigned long long)done,
            (unsigned long long)total, rate, (int)(left / 60), (int)fmod(left, 60));
    if (done >= total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

static int write_text_file(const struct outdir *dir, const char *name,
                           int (*writer)(FILE *, const void *), const void *data, char *why,
                           size_t why_size)
{
    char *path = outdir_file(dir, name);
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f) {
        snprintf(why, why_size, "cannot write %s: %s", name, path ? strerror(errno) : "out of memory");
        free(path);
        return -1;
    }
    int failed = writer(f, data) != 0 || ferror(f);
    int saved = errno;
    if (fclose(f) != 0) {
        failed = 1;
        saved = errno;
    }
    free(path);
    if (failed) {
        snprintf(why, why_size, "cannot write %s: %s", name, strerror(saved ? saved : EIO));
        return -1;
    }
    return 0;
}

static int write_resolved(FILE *f, const void *data)
{
    return scenario_write_resolved(data, AVRRSIM_VERSION, f);
}

struct manifest {
    const struct scenario *sc;
    const char *scenario_sha256, *resolved_sha256;
    unsigned threads;
    time_t started;
    double wall_seconds;
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
    fprintf(f, ",\n  \"seed\": %llu,\n  \"replications\": %lld,\n  \"threads\": %u,\n"
               "  \"start_time\": \"%s\",\n  \"wall_seconds\": %.3f\n}\n",
            (unsigned long long)m->sc->seed, m->sc->replications, m->threads, when, m->wall_seconds);
    return 0;
}

/* The charts' scripts (plots/) for a run's results in dir. */
static int write_chart_scripts(const struct scenario *sc, const struct run_results *res,
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
    };
    result = plots_write_scripts(&ctx, dir, why, why_size);
done:
    free(policies);
    free(metrics);
    free(series);
    free(limits);
    return result;
}

/* Says what became of the charts (stderr), after the results are in place. */
static void report_rendering(enum plot_render_status rendered, const char *why, const char *output)
{
    if (rendered == PLOT_NO_GNUPLOT)
        fprintf(stderr, "avrrsim: charts not rendered: gnuplot is not installed (sudo apt-get "
                        "install gnuplot-nox); the scripts are in %s/plots/\n", output);
    else if (rendered == PLOT_FAILED)
        fprintf(stderr, "avrrsim: error: the charts could not be rendered: %s\n", why);
}

static int command_run(int argc, char **argv, const struct model_interface *model)
{
    const char **sets = malloc(((size_t)argc + 2) * sizeof *sets);
    if (!sets) {
        fputs("avrrsim: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    struct run_request req = {.sets = sets, .threads = default_threads(),
                              .formats = PLOT_PNG | PLOT_SVG | PLOT_PDF};
    int status = parse_run(argc, argv, &req);
    if (status >= 0) {
        free(sets);
        return status;
    }

    diag_list *diags = diag_list_new();
    char *default_dir = req.output ? NULL : default_output(req.scenario);
    const char *output = req.output ? req.output : default_dir;
    if (!diags || !output) {
        free(sets);
        fputs("avrrsim: out of memory\n", stderr);
        diag_list_free(diags);
        free(default_dir);
        return EXIT_RUNTIME;
    }
    struct scenario *sc = scenario_load(req.scenario, req.sets, req.n_sets, model, diags);
    free(sets);
    if (!sc) {
        diag_sort(diags);
            diag_print(diags, stderr);
        diag_list_free(diags);
        free(default_dir);
        return EXIT_USAGE;
    }
    diag_list_free(diags);
    char why[1024] = "";
    if (runner_check(sc, why, sizeof why) != 0) {
        fprintf(stderr, "%s: error: %s\n", req.scenario, why);
        scenario_free(sc);
        free(default_dir);
        return EXIT_USAGE;
    }

    struct outdir dir = {0};
    struct run_results results = {0};
    bool show = false;
    status = EXIT_RUNTIME;
    switch (outdir_inspect(output)) {
    case OUTDIR_FOREIGN:
        fprintf(stderr, "avrrsim: error: '%s' holds files that avrrsim did not write; "
                        "choose another directory with -o, or empty it\n", output);
        status = EXIT_USAGE;
        goto done;
    case OUTDIR_UNREADABLE:
        fprintf(stderr, "avrrsim: error: cannot inspect '%s': %s\n", output, strerror(errno));
        goto done;
    default:
        break;
    }

    time_t started = time(NULL);
    struct progress_state progress;
    clock_gettime(CLOCK_MONOTONIC, &progress.started);
    show = !req.quiet && isatty(STDERR_FILENO);
    catch_stop_signals();
    enum run_status rs = runner_run(sc, req.threads, show ? show_progress : NULL, &progress,
                                    &caught_signal, &results, why, sizeof why);
    if (rs == RUN_CANCELLED)
        goto interrupted;
    if (rs != RUN_OK) {
        fprintf(stderr, "avrrsim: error: %s\n", why);
        status = rs == RUN_TOO_LARGE ? EXIT_USAGE : EXIT_RUNTIME;
        goto done;
    }

    char scenario_sha[65], resolved_sha[65];
    char *resolved_path = NULL;
    if (outdir_begin(&dir, output, why, sizeof why) != 0 ||
        results_write_csv(sc, &results, &dir, why, sizeof why) != 0 ||
        write_text_file(&dir, "scenario.resolved.yaml", write_resolved, sc, why, sizeof why) != 0 ||
        write_chart_scripts(sc, &results, dir.tmp, why, sizeof why) != 0)
        goto failed;
    enum plot_render_status rendered = PLOT_RENDERED;
    char render_why[1024] = "";
    if (!req.no_plots && !caught_signal)
        rendered = plots_render(dir.tmp, req.formats, render_why, sizeof render_why);
    if (sha256_file_hex(req.scenario, scenario_sha) != 0 ||
        !(resolved_path = outdir_file(&dir, "scenario.resolved.yaml")) ||
        sha256_file_hex(resolved_path, resolved_sha) != 0) {
        snprintf(why, sizeof why, "cannot read back the scenario for its digest: %s", strerror(errno));
        free(resolved_path);
        goto failed;
    }
    free(resolved_path);
    struct manifest manifest = {.sc = sc, .scenario_sha256 = scenario_sha,
                                .resolved_sha256 = resolved_sha,
                                .threads = req.threads < results.replications
                                               ? req.threads : (unsigned)results.replications,
                                .started = started, .wall_seconds = seconds_since(&progress.started)};
    if (write_text_file(&dir, "manifest.json", write_manifest, &manifest, why, sizeof why) != 0)
        goto failed;
    why[0] = '\0';
    if (caught_signal)
        goto interrupted;
    if (outdir_commit(&dir, why, sizeof why) != 0)
        goto failed;
    if (why[0])
        fprintf(stderr, "avrrsim: warning: %s\n", why);
    results_print_table(sc, &results, output, stdout);
    if (!req.no_plots)
        report_rendering(rendered, render_why, output);
    if (rendered == PLOT_FAILED) {
        status = EXIT_RUNTIME;
        goto done;
    }
    status = 0;
    goto done;

failed:
    if (caught_signal)
        goto interrupted;
    fprintf(stderr, "avrrsim: error: %s\n", why);
    outdir_abort(&dir);
    goto done;
interrupted:
    outdir_abort(&dir);
    if (show)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "avrrsim: interrupted by %s; no results written\n",
            caught_signal == SIGTERM ? "SIGTERM" : "SIGINT");
    status = 128 + caught_signal;
done:
    outdir_clear(&dir);
    run_results_free(&results);
    scenario_free(sc);
    free(default_dir);
    return status;
}

/* ---------- sweep ---------- */

struct sweep_request {
    struct run_request run;
    struct sweep_axis *axes;
    size_t n_axes;
};

static int parse_sweep(int argc, char **argv, struct sweep_request *req)
{
    enum { N = sizeof sweep_options / sizeof sweep_options[0] };
    struct option longs[N + 1];
    char shorts[64];
    build_getopt(sweep_options, N, longs, shorts, sizeof shorts);
    opterr = 0;
    optind = 1;
    int c;
    char why[512];
    struct run_request *run = &req->run;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        int status = shared_run_option("sweep", c, optarg, run);
        if (status == -1)
            continue;
        if (status != -2)
            return status;
        switch (c) {
        case 'h':
            fputs("usage: avrrsim sweep SCENARIO.yaml [--vary PATH=LO:HI:N | --vary PATH=V1,V2,...]...\n\n"
                  "Runs the scenario at every point of a grid of key values (the --vary\n"
                  "options, or the scenario's sweep: section), with the same seed at every\n"
                  "point, and writes sweep.csv: per point and policy the total cost, the\n"
                  "discounted cost and the effect (mean, p05, p50, p95), and against the\n"
                  "baseline the mean difference in total cost, its 90% interval and the\n"
                  "probability that the policy is cheaper.\n\noptions:\n", stdout);
            print_options(stdout, sweep_options, N);
            fputs("\nexample:\n  avrrsim sweep scenarios/baseline.yaml -n 500 \\\n"
                  "      --vary model.detention.length_days.mean=20:120:6 --vary model.avrr.uptake=0.05,0.1,0.2\n",
                  stdout);
            return 0;
        case OPT_VARY:
            if (sweep_axis_parse(optarg, &req->axes[req->n_axes], why, sizeof why) != 0)
                return usage_error("sweep", "--vary: %s", why);
            req->n_axes++;
            break;
        default:
            return option_error("sweep", c, argv[optind - 1]);
        }
    }
    return finish_run_request("sweep", argc, argv, run);
}

static void write_quantiles(csv_writer *w, double *values, size_t n, int decimals)
{
    struct sample_summary s;
    stats_summarize(values, n, &s);
    csv_fixed(w, s.mean, decimals);
    csv_fixed(w, s.p05, decimals);
    csv_fixed(w, s.p50, decimals);
    csv_fixed(w, s.p95, decimals);
}

/* The rows of one sweep point: one per policy. */
static int write_sweep_rows(csv_writer *w, const struct scenario *sc, const struct run_results *res,
                            const struct sweep_axis *axes, size_t n_axes, size_t point)
{
    const struct model_interface *model = sc->model;
    const struct model_headline *h = &model->headline;
    size_t R = res->replications;
    double *values = malloc(R * sizeof *values);
    if (!values)
        return -1;
#define AT(r, p, m) res->metrics[((r) * res->n_policies + (p)) * res->n_metrics + (m)]
    for (size_t p = 0; p < res->n_policies; p++) {
        for (size_t a = 0; a < n_axes; a++)
            csv_value(w, axes[a].values[sweep_value_index(axes, n_axes, point, a)]);
        csv_text(w, sc->policies[p].name);
        for (size_t r = 0; r < R; r++)
            values[r] = AT(r, p, h->total_cost);
        write_quantiles(w, values, R, 2);
        for (size_t r = 0; r < R; r++)
            values[r] = AT(r, p, h->discounted_cost);
        write_quantiles(w, values, R, 2);
        for (size_t r = 0; r < R; r++) {
            values[r] = 0;
            for (size_t e = 0; e < h->n_effect_metrics; e++)
                values[r] += AT(r, p, h->effect_metrics[e]);
        }
        write_quantiles(w, values, R, 4);
        for (size_t r = 0; r < R; r++)
            values[r] = AT(r, p, h->total_cost) - AT(r, 0, h->total_cost);
        double cheaper = stats_share_negative(values, R);
        struct sample_summary d;
        stats_summarize(values, R, &d);
        csv_fixed(w, d.mean, 2);
        csv_fixed(w, d.p05, 2);
        csv_fixed(w, d.p95, 2);
        csv_fixed(w, cheaper, 4);
        csv_end_row(w);
    }
#undef AT
    free(values);
    return 0;
}

static int command_sweep(int argc, char **argv, const struct model_interface *model)
{
    const char **sets = malloc(((size_t)argc + 4) * sizeof *sets);
    struct sweep_axis *cli_axes = calloc((size_t)argc + 1, sizeof *cli_axes);
    struct sweep_request req = {.run = {.sets = sets, .threads = default_threads()}, .axes = cli_axes};
    struct scenario *base = NULL, *sc = NULL;
    const char **point_sets = NULL;
    char **point_texts = NULL;
    size_t n_point_texts = 0;
    char *default_dir = NULL;
    csv_writer *csv = NULL;
    struct outdir dir = {0};
    int status = EXIT_RUNTIME;
    char why[1024] = "";
    if (!sets || !cli_axes) {
        fputs("avrrsim: out of memory\n", stderr);
        goto done;
    }
    status = parse_sweep(argc, argv, &req);
    if (status >= 0)
        goto done;
    status = EXIT_USAGE;
    diag_list *diags = diag_list_new();
    if (!diags)
        goto done;
    base = scenario_load(req.run.scenario, req.run.sets, req.run.n_sets, model, diags);
    if (!base) {
        diag_sort(diags);
        diag_print(diags, stderr);
        diag_list_free(diags);
        goto done;
    }
    diag_list_free(diags);
    const struct sweep_axis *axes = req.n_axes > 0 ? req.axes : base->sweep;
    size_t n_axes = req.n_axes > 0 ? req.n_axes : base->n_sweep;
    if (n_axes == 0) {
        status = usage_error("sweep", "nothing to vary: give --vary PATH=LO:HI:N or a sweep: section");
        goto done;
    }
    size_t points = sweep_point_count(axes, n_axes);
    if (points == 0) {
        status = usage_error("sweep", "the grid has more than %d points", SWEEP_MAX_POINTS);
        goto done;
    }
    const char *output = req.run.output;
    if (!output) {
        const char *name = strrchr(req.run.scenario, '/');
        name = name ? name + 1 : req.run.scenario;
        size_t n = strlen(name);
        if (n > 5 && strcmp(name + n - 5, ".yaml") == 0)
            n -= 5;
        default_dir = malloc(n + 16);
        if (!default_dir)
            goto done;
        snprintf(default_dir, n + 16, "out/%.*s-sweep", (int)n, name);
        output = default_dir;
    }
    if (outdir_inspect(output) == OUTDIR_FOREIGN) {
        fprintf(stderr, "avrrsim: error: '%s' holds files that avrrsim did not write; "
                        "choose another directory with -o, or empty it\n", output);
        goto done;
    }
    point_sets = malloc((req.run.n_sets + n_axes) * sizeof *point_sets);
    point_texts = calloc(n_axes, sizeof *point_texts);
    if (!point_sets || !point_texts)
        goto done;
    n_point_texts = n_axes;
    status = EXIT_RUNTIME;
    if (outdir_begin(&dir, output, why, sizeof why) != 0)
        goto failed;
    char *path = outdir_file(&dir, "sweep.csv");
    csv = path ? csv_open(path) : NULL;
    free(path);
    if (!csv) {
        snprintf(why, sizeof why, "cannot write sweep.csv: %s", strerror(errno));
        goto failed;
    }
    {
        const struct model_headline *h = &model->headline;
        const char *parts[] = {"mean", "p05", "p50", "p95"};
        const char *bases[3] = {model->metrics[h->total_cost].name,
                                model->metrics[h->discounted_cost].name, h->effect_name};
        size_t n_names = n_axes + 1 + 12 + 4;
        const char **names = malloc(n_names * sizeof *names);
        char (*built)[96] = malloc(12 * sizeof *built);
        if (!names || !built) {
            free(names);
            free(built);
            goto done;
        }
        size_t k = 0;
        for (size_t a = 0; a < n_axes; a++)
            names[k++] = axes[a].path;
        names[k++] = "policy";
        for (size_t b = 0; b < 3; b++)
            for (size_t q = 0; q < 4; q++) {
                snprintf(built[b * 4 + q], sizeof built[0], "%s_%s", bases[b], parts[q]);
                names[k++] = built[b * 4 + q];
            }
        names[k++] = "difference_mean";
        names[k++] = "difference_p05";
        names[k++] = "difference_p95";
        names[k++] = "prob_less";
        csv_header(csv, names, k);
        free(names);
        free(built);
    }
    bool show = !req.run.quiet && isatty(STDERR_FILENO);
    catch_stop_signals();
    for (size_t point = 0; point < points; point++) {
        size_t n = 0;
        for (size_t i = 0; i < req.run.n_sets; i++)
            point_sets[n++] = req.run.sets[i];
        for (size_t a = 0; a < n_axes; a++) {
            const char *value = axes[a].values[sweep_value_index(axes, n_axes, point, a)];
            size_t length = strlen(axes[a].path) + strlen(value) + 2;
            free(point_texts[a]);
            if (!(point_texts[a] = malloc(length)))
                goto failed;
            snprintf(point_texts[a], length, "%s=%s", axes[a].path, value);
            point_sets[n++] = point_texts[a];
        }
        if (show)
            fprintf(stderr, "\r  point %zu/%zu   ", point + 1, points);
        diags = diag_list_new();
        sc = diags ? scenario_load(req.run.scenario, point_sets, n, model, diags) : NULL;
        if (!sc) {
            if (show)
                fputs("\r\033[K", stderr);
            fprintf(stderr, "avrrsim: error: at sweep point %zu of %zu:\n", point + 1, points);
            diag_sort(diags);
            diag_print(diags, stderr);
            diag_list_free(diags);
            outdir_abort(&dir);
            status = EXIT_USAGE;
            goto done;
        }
        diag_list_free(diags);
        struct run_results results;
        enum run_status rs = runner_run(sc, req.run.threads, NULL, NULL, &caught_signal, &results,
                                        why, sizeof why);
        if (rs == RUN_CANCELLED)
            goto interrupted;
        if (rs != RUN_OK) {
            status = rs == RUN_TOO_LARGE ? EXIT_USAGE : EXIT_RUNTIME;
            goto failed;
        }
        int written = write_sweep_rows(csv, sc, &results, axes, n_axes, point);
        run_results_free(&results);
        scenario_free(sc);
        sc = NULL;
        if (written != 0) {
            snprintf(why, sizeof why, "out of memory");
            goto failed;
        }
    }
    if (show)
        fputs("\r\033[K", stderr);
    if (csv_close(csv) != 0) {
        csv = NULL;
        snprintf(why, sizeof why, "cannot write sweep.csv: %s", strerror(errno));
        goto failed;
    }
    csv = NULL;
    if (write_text_file(&dir, "scenario.resolved.yaml", write_resolved, base, why, sizeof why) != 0)
        goto failed;
    if (caught_signal)
        goto interrupted;
    if (outdir_commit(&dir, why, sizeof why) != 0)
        goto failed;
    printf("%s: %zu points x %lld replications, seed %llu; results in %s/sweep.csv\n", base->name,
           points, base->replications, (unsigned long long)base->seed, output);
    status = 0;
    goto done;

failed:
    if (caught_signal)
        goto interrupted;
    fprintf(stderr, "avrrsim: error: %s\n", why);
    csv_close(csv);
    csv = NULL;
    outdir_abort(&dir);
    goto done;
interrupted:
    csv_close(csv);
    csv = NULL;
    outdir_abort(&dir);
    fprintf(stderr, "avrrsim: interrupted by %s; no results written\n",
            caught_signal == SIGTERM ? "SIGTERM" : "SIGINT");
    status = 128 + caught_signal;
done:
    csv_close(csv);
    outdir_clear(&dir);
    scenario_free(sc);
    scenario_free(base);
    for (size_t a = 0; a < n_point_texts; a++)
        free(point_texts[a]);
    free(point_texts);
    free(point_sets);
    for (size_t a = 0; a < req.n_axes; a++)
        sweep_axis_clear(&req.axes[a]);
    free(cli_axes);
    free(sets);
    free(default_dir);
    return status;
}

/* ---------- plot ---------- */

static int command_plot(int argc, char **argv, const struct model_interface *model)
{
    (void)model;
    enum { N = sizeof plot_options / sizeof plot_options[0] };
    struct option longs[N + 1];
    char shorts[32];
    build_getopt(plot_options, N, longs, shorts, sizeof shorts);
    opterr = 0;
    optind = 1;
    unsigned formats = PLOT_PNG | PLOT_SVG | PLOT_PDF;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        char why[256];
        switch (c) {
        case 'h':
            fputs("usage: avrrsim plot DIR [--formats png,svg,pdf]\n\n"
                  "Renders again every chart script DIR/plots/NAME.gp of an avrrsim output\n"
                  "directory (after you edited one, say), with gnuplot.\n\noptions:\n", stdout);
            print_options(stdout, plot_options, N);
            return 0;
        case OPT_FORMATS:
            if (plots_parse_formats(optarg, &formats, why, sizeof why) != 0)
                return usage_error("plot", "--formats: %s", why);
            break;
        default:
            return option_error("plot", c, argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return usage_error("plot", "plot takes one output directory");
    const char *dir = argv[optind];
    if (outdir_inspect(dir) != OUTDIR_OURS) {
        fprintf(stderr, "avrrsim: error: '%s' is not an output directory written by avrrsim\n", dir);
        return EXIT_USAGE;
    }
    char why[1024] = "";
    enum plot_render_status rendered = plots_render(dir, formats, why, sizeof why);
    if (rendered == PLOT_NO_GNUPLOT) {
        fputs("avrrsim: error: gnuplot is not installed (sudo apt-get install gnuplot-nox)\n", stderr);
        return EXIT_RUNTIME;
    }
    if (rendered == PLOT_FAILED) {
        fprintf(stderr, "avrrsim: error: %s\n", why);
        return EXIT_RUNTIME;
    }
    return 0;
}

/* ---------- keys ---------- */

static int command_keys(int argc, char **argv, const struct model_interface *model)
{
    (void)argv;
    if (argc > 1)
        return usage_error(NULL, "keys takes no arguments");
    scenario_write_format_doc(model, stdout);
    return 0;
}

/* ---------- dispatch ---------- */

static const struct {
    const char *name;
    int (*run)(int argc, char **argv, const struct model_interface *model);
} commands[] = {
    {"run", command_run},
    {"validate", command_validate},
    {"plot", command_plot},
    {"sweep", command_sweep},
    {"keys", command_keys},
};

int cli_main(int argc, char **argv, const struct model_interface *model)
{
    gsl_set_error_handler_off();
    if (argc < 2) {
        print_main_help(stderr);
        return EXIT_USAGE;
    }
    const char *command = argv[1];
    if (strcmp(command, "-h") == 0 || strcmp(command, "--help") == 0) {
        print_main_help(stdout);
        return 0;
    }
    if (strcmp(command, "-V") == 0 || strcmp(command, "--version") == 0) {
        print_version(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(command, commands[i].name) == 0) {
            int status = commands[i].run(argc - 1, argv + 1, model);
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "avrrsim: error: cannot write to standard output\n");
                return EXIT_RUNTIME;
            }
            return status;
        }
    if (command[0] == '-')
        return usage_error(NULL, "unknown option '%s'", command);
    return usage_error(NULL, "unknown command '%s' (commands: run, validate, sweep, plot, keys)", command);
}
