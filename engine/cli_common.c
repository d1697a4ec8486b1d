/* cli_common: the helpers every command of the command line shares
 * (cli_common.h). Commands print and choose exit codes; everything below
 * them returns errors as values. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/cli_common.h"
#include "engine/diag.h"
#include "engine/precision.h"
#include "engine/runner.h"
#include "engine/scalar.h"

/* The signal that asked a run to stop (SIGINT or SIGTERM), or 0. A signal
 * handler can reach nothing but a global of this type: it is the program's
 * one piece of global mutable state, read by the runner through a pointer. */
static volatile sig_atomic_t caught_signal;

static void on_signal(int signal_number)
{
    caught_signal = signal_number;
}

void cli_catch_stop_signals(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

/* ---------- option tables ---------- */

const volatile sig_atomic_t *cli_stop_flag(void)
{
    return &caught_signal;
}

int cli_stop_signal(void)
{
    return caught_signal;
}

int cli_abandon(struct outdir *dir, const char *why, bool show, int status)
{
    outdir_abort(dir);
    if (caught_signal) {
        if (show)
            fputs("\r\033[K", stderr);
        return cli_report_interrupted();
    }
    fprintf(stderr, "avrrsim: error: %s\n", why);
    return status;
}

int cli_report_interrupted(void)
{
    fprintf(stderr, "avrrsim: interrupted by %s; no results written\n",
            caught_signal == SIGTERM ? "SIGTERM" : "SIGINT");
    return 128 + caught_signal;
}

/* ---------- options ---------- */

void cli_print_options(FILE *out, const struct cli_option *options, size_t count)
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

void cli_build_getopt(const struct cli_option *options, size_t count, struct option *longs,
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

int cli_usage_error(const char *command, const char *format, ...)
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

int cli_option_error(const char *command, int code, const char *argument)
{
    if (code == ':')
        return cli_usage_error(command, "option '%s' needs a value", argument);
    return cli_usage_error(command, "unknown option '%s'", argument);
}

/* ---------- top level ---------- */

/* ---------- the options every running command takes ---------- */

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

int cli_run_request_init(struct run_request *req, int argc)
{
    memset(req, 0, sizeof *req);
    req->threads = default_threads();
    req->formats = PLOT_PNG | PLOT_SVG | PLOT_PDF;
    req->sets = malloc(((size_t)argc + 2) * sizeof *req->sets);
    return req->sets ? 0 : -1;
}

void cli_run_request_free(struct run_request *req)
{
    free(req->sets);
    req->sets = NULL;
}

int cli_shared_run_option(const char *command, int c, const char *arg, struct run_request *req)
{
    long long n;
    uint64_t seed;
    switch (c) {
    case 'o':
        if (arg[0] == '\0')
            return cli_usage_error(command, "-o needs a directory name");
        req->output = arg;
        return -1;
    case 'n':
        if (text_to_int64(arg, &n) != 0 || n < 1 || n > 100000000)
            return cli_usage_error(command, "-n: expected a whole number from 1 to 100000000, got '%s'", arg);
        snprintf(req->replications_set, sizeof req->replications_set, "replications=%lld", n);
        return -1;
    case 's':
        if (text_to_uint64(arg, &seed) != 0)
            return cli_usage_error(command, "-s: expected a whole number from 0 to 18446744073709551615, "
                                        "got '%s'", arg);
        snprintf(req->seed_set, sizeof req->seed_set, "seed=%llu", (unsigned long long)seed);
        return -1;
    case 'j':
        if (text_to_int64(arg, &n) != 0 || n < 1 || n > 1024)
            return cli_usage_error(command, "-j: expected a whole number from 1 to 1024, got '%s'", arg);
        req->threads = (unsigned)n;
        return -1;
    case OPT_SET:
        req->sets[req->n_sets++] = arg;
        return -1;
    case OPT_QUIET:
        req->quiet = true;
        return -1;
    case OPT_NO_PLOTS:
        req->no_plots = true;
        return -1;
    case OPT_FORMATS: {
        char why[256];
        if (plots_parse_formats(arg, &req->formats, why, sizeof why) != 0)
            return cli_usage_error(command, "--formats: %s", why);
        return -1;
    }
    default:
        return -2;
    }
}

int cli_parse(const char *command, const struct cli_option *options, size_t count, int argc,
              char **argv, struct run_request *req, cli_option_fn *own, void *user,
              void (*help)(FILE *out))
{
    struct option *longs = malloc((count + 1) * sizeof *longs);
    if (!longs) {
        fputs("avrrsim: error: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    char shorts[128];
    cli_build_getopt(options, count, longs, shorts, sizeof shorts);
    opterr = 0;
    optind = 1;
    int c, status = -1;
    while (status == -1 && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (c == 'h') {
            help(stdout);
            status = 0;
            break;
        }
        status = cli_shared_run_option(command, c, optarg, req);
        if (status == -2)
            status = own ? own(c, optarg, user) : -2;
        if (status == -2)
            status = cli_option_error(command, c, argv[optind - 1]);
    }
    free(longs);
    return status;
}

int cli_finish_run_request(const char *command, int argc, char **argv, struct run_request *req)
{
    if (optind >= argc)
        return cli_usage_error(command, "%s needs a scenario file", command);
    if (optind + 1 < argc)
        return cli_usage_error(command, "%s takes one scenario file, got '%s' too", command, argv[optind + 1]);
    req->scenario = argv[optind];
    if (req->replications_set[0])
        req->sets[req->n_sets++] = req->replications_set;
    if (req->seed_set[0])
        req->sets[req->n_sets++] = req->seed_set;
    return -1;
}


int cli_parse_precision(const char *command, const char *arg, double *relative)
{
    if (text_to_double(arg, relative) != 0 || !(*relative > 0 && *relative < 1))
        return cli_usage_error(command, "--precision: expected a relative half-width between 0 and 1 "
                                        "(0.01 for 1%%), got '%s'", arg);
    return -1;
}

void cli_print_precision(const struct precision_goal *goal, long long cap)
{
    if (goal->reached)
        printf("precision: %g%% reached after %zu of at most %lld replications\n",
               100 * goal->relative, goal->replications, cap);
    else
        printf("precision: %g%% NOT reached with %zu replications (the cap): %s is known to "
               "within %.3g%% (95%% confidence); raise -n\n", 100 * goal->relative,
               goal->replications, goal->worst, 100 * goal->relative * goal->worst_ratio);
}

char *cli_default_output(const char *scenario, const char *suffix)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
        n -= 4;
    size_t size = n + strlen(suffix) + 5;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "out/%.*s%s", (int)n, base, suffix);
    return out;
}

struct scenario *cli_load_checked(const char *file, const char *const *sets, size_t n_sets,
                                  const struct model_interface *model, int *status)
{
    return cli_load_checked_in(file, sets, n_sets, model, NULL, status);
}

struct scenario *cli_load_checked_in(const char *file, const char *const *sets, size_t n_sets,
                                     const struct model_interface *model, const char *context,
                                     int *status)
{
    diag_list *diags = diag_list_new();
    if (!diags) {
        fputs("avrrsim: error: out of memory\n", stderr);
        *status = EXIT_RUNTIME;
        return NULL;
    }
    struct scenario *sc = scenario_load(file, sets, n_sets, model, diags);
    if (!sc) {
        if (context)
            fprintf(stderr, "avrrsim: error: %s:\n", context);
        diag_sort(diags);
        diag_print(diags, stderr);
        diag_list_free(diags);
        *status = EXIT_USAGE;
        return NULL;
    }
    diag_list_free(diags);
    char why[1024];
    if (runner_check(sc, why, sizeof why) != 0) {
        if (context)
            fprintf(stderr, "avrrsim: error: %s:\n", context);
        fprintf(stderr, "%s: error: %s\n", file, why);
        scenario_free(sc);
        *status = EXIT_USAGE;
        return NULL;
    }
    return sc;
}

int cli_check_output(const char *output)
{
    switch (outdir_inspect(output)) {
    case OUTDIR_FOREIGN:
        fprintf(stderr, "avrrsim: error: '%s' holds files that avrrsim did not write; "
                        "choose another directory with -o, or empty it\n", output);
        return EXIT_USAGE;
    case OUTDIR_UNREADABLE:
        fprintf(stderr, "avrrsim: error: cannot inspect '%s': %s\n", output, strerror(errno));
        return EXIT_RUNTIME;
    default:
        return -1;
    }
}

/* ---------- progress ---------- */

void cli_progress_start(struct progress_state *p, const char *unit)
{
    clock_gettime(CLOCK_MONOTONIC, &p->started);
    p->unit = unit;
}

double cli_seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

void cli_show_progress(void *user, uint64_t done, uint64_t total)
{
    struct progress_state *p = user;
    double elapsed = cli_seconds_since(&p->started);
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r  %llu/%llu %s  %.0f/s  %d:%02d left   ", (unsigned long long)done,
            (unsigned long long)total, p->unit, rate, (int)(left / 60), (int)fmod(left, 60));
    if (done >= total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

void cli_report_rendering(enum plot_render_status rendered, const char *why, const char *output)
{
    if (rendered == PLOT_NO_GNUPLOT)
        fprintf(stderr, "avrrsim: charts not rendered: gnuplot is not installed (sudo apt-get "
                        "install gnuplot-nox); the scripts are in %s/plots/\n", output);
    else if (rendered == PLOT_FAILED)
        fprintf(stderr, "avrrsim: error: the charts could not be rendered: %s\n", why);
}
