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

enum { OPT_SET = 256, OPT_QUIET, OPT_FORMATS, OPT_NO_PLOTS };

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
        switch (c) {
        case 'h':
            print_run_help(stdout);
            return 0;
        case 'o':
            if (optarg[0] == '\0')
                return usage_error("run", "-o needs a directory name");
            req->output = optarg;
            break;
        case 'n': {
            long long n;
            if (text_to_int64(optarg, &n) != 0 || n < 1 || n > 100000000)
                return usage_error("run", "-n: expected a whole number from 1 to 100000000, got '%s'",
                                   optarg);
            snprintf(req->replications_set, sizeof req->replications_set, "replications=%lld", n);
            break;
        }
        case 's': {
            uint64_t seed;
            if (text_to_uint64(optarg, &seed) != 0)
                return usage_error("run", "-s: expected a whole number from 0 to 18446744073709551615, "
                                          "got '%s'", optarg);
            snprintf(req->seed_set, sizeof req->seed_set, "seed=%llu", (unsigned long long)seed);
            break;
        }
        case 'j': {
            long long n;
            if (text_to_int64(optarg, &n) != 0 || n < 1 || n > 1024)
                return usage_error("run", "-j: expected a whole number from 1 to 1024, got '%s'", optarg);
            req->threads = (unsigned)n;
            break;
        }
        case OPT_SET:
            req->sets[req->n_sets++] = optarg;
            break;
        case OPT_QUIET:
            req->quiet = true;
            break;
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
    if (optind >= argc)
        return usage_error("run", "run needs a scenario file");
    if (optind + 1 < argc)
        return usage_error("run", "run takes one scenario file, got '%s' too", argv[optind + 1]);
    req->scenario = argv[optind];
    if (req->replications_set[0])
        req->sets[req->n_sets++] = req->replications_set;
    if (req->seed_set[0])
        req->sets[req->n_sets++] = req->seed_set;
    return -1;
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
    return usage_error(NULL, "unknown command '%s' (commands: run, validate, plot, keys)", command);
}
