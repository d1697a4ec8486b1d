/* cli_common: what the commands of the command line share: option tables
 * that drive both getopt_long and --help, usage errors, the options every
 * running command takes (-o -n -s -j --set --quiet), loading and checking a
 * scenario with its diagnostics printed, the progress line and the stop
 * signals. Each command is one file
 * (engine/command_*.c) with the signature of cli_command. */
#ifndef AVRRSIM_CLI_COMMON_H
#define AVRRSIM_CLI_COMMON_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "model.h"
#include "outdir.h"
#include "scenario.h"
#include "plots/plots.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

typedef int cli_command(int argc, char **argv, const struct model_interface *model);
cli_command command_run, command_validate, command_plot, command_sweep, command_keys,
    command_batch, command_breakeven, command_tornado;

/* ---------- options ---------- */

struct cli_option {
    const char *long_name;
    int short_name;           /* 0: long only (a code >= 256 is used for getopt) */
    const char *argument;     /* NULL: a flag */
    const char *help;
};

/* Codes of the long-only options (getopt_long returns them). */
enum {
    OPT_SET = 256, OPT_QUIET, OPT_FORMATS, OPT_NO_PLOTS, OPT_VARY, OPT_PARAM, OPT_RANGE,
    OPT_POLICY, OPT_METRIC, OPT_EFFECT, OPT_MAX_VALUE, OPT_PRECISION
};

#define CLI_COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* Rows that read the same in every command's table. */
#define CLI_OPTION_THREADS {"threads", 'j', "N", "worker threads (default: every core of this machine)"}
#define CLI_OPTION_FORMATS {"formats", OPT_FORMATS, "LIST", "chart formats to render: png,svg,pdf (default: all three)"}
#define CLI_OPTION_NO_PLOTS {"no-plots", OPT_NO_PLOTS, NULL, "write the chart scripts but do not render them"}
#define CLI_OPTION_QUIET {"quiet", OPT_QUIET, NULL, "no progress line"}
#define CLI_OPTION_HELP {"help", 'h', NULL, "show this help"}

void cli_print_options(FILE *out, const struct cli_option *options, size_t count);

/* Builds getopt_long's tables from ours. longs must hold count + 1 entries. */
void cli_build_getopt(const struct cli_option *options, size_t count, struct option *longs,
                      char *shorts, size_t shorts_size);

/* Prints "avrrsim: MESSAGE" and a pointer to the command's help; returns
 * EXIT_USAGE. command may be NULL (the top level). */
int cli_usage_error(const char *command, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Reports a getopt failure (':' a missing value, else an unknown option). */
int cli_option_error(const char *command, int code, const char *argument);

/* ---------- the options every running command takes ---------- */

struct run_request {
    const char *scenario;
    const char *output;
    const char **sets;        /* --set edits, then -n and -s as the last ones */
    size_t n_sets;
    unsigned threads;
    bool quiet;
    bool no_plots;            /* --no-plots */
    unsigned formats;         /* --formats, else PLOT_PNG | PLOT_SVG | PLOT_PDF */
    char replications_set[64];
    char seed_set[64];
};

/* A request with room for argc + 2 edits and every core as threads; 0, or
 * -1 when out of memory. Free with cli_run_request_free. */
int cli_run_request_init(struct run_request *req, int argc);
void cli_run_request_free(struct run_request *req);

/* Applies option c (-o -n -s -j --set --quiet --formats --no-plots) to req. Returns -1 when
 * handled, -2 when c is not one of them, else the exit status of a usage
 * error. */
int cli_shared_run_option(const char *command, int c, const char *arg, struct run_request *req);

/* A command's own option c (with its argument): -1 when it took it, -2 when
 * c is none of its options, else the exit status of a usage error. */
typedef int cli_option_fn(int c, const char *arg, void *user);

/* Runs getopt_long over argv with the table `options`: the options every
 * running command takes go to req, -h/--help prints help(stdout) and returns
 * 0, any other option to own (may be NULL). Returns -1 when every option was
 * taken (optind then points at the first operand), else an exit status. */
int cli_parse(const char *command, const struct cli_option *options, size_t count, int argc,
              char **argv, struct run_request *req, cli_option_fn *own, void *user,
              void (*help)(FILE *out));

/* After the options: the one scenario file, then -n and -s as the last
 * edits. Returns -1 to go on, else an exit status. */
int cli_finish_run_request(const char *command, int argc, char **argv, struct run_request *req);

/* --precision REL: a number in (0, 1) ("0.01" for 1%). Returns -1 when
 * valid, else the exit status of a usage error. */
int cli_parse_precision(const char *command, const char *arg, double *relative);

/* "precision: 1% reached after N of at most CAP replications", or why not. */
struct precision_goal;
void cli_print_precision(const struct precision_goal *goal, long long cap);

/* "out/<file name without .yaml or .yml><suffix>", malloc'd. */
char *cli_default_output(const char *scenario, const char *suffix);

/* Loads the scenario with the given edits and runs the model's check; on a
 * problem prints every diagnostic (or the reason) and returns NULL with
 * *status set to the exit status. */
struct scenario *cli_load_checked(const char *file, const char *const *sets, size_t n_sets,
                                  const struct model_interface *model, int *status);
/* The same, with "avrrsim: error: CONTEXT:" printed before the diagnostics
 * (which edit of a sweep or a search failed). */
struct scenario *cli_load_checked_in(const char *file, const char *const *sets, size_t n_sets,
                                     const struct model_interface *model, const char *context,
                                     int *status);

/* Refuses (message, EXIT_USAGE) a directory that holds files avrrsim did not
 * write, and one it cannot inspect (EXIT_RUNTIME); -1 when output is usable. */
int cli_check_output(const char *output);

/* ---------- progress and signals ---------- */

struct progress_state {
    struct timespec started;
    const char *unit;         /* "replications" */
};

void cli_progress_start(struct progress_state *p, const char *unit);
double cli_seconds_since(const struct timespec *t0);
/* A run_progress_fn: "done/total unit, rate, time left" on stderr. */
void cli_show_progress(void *user, uint64_t done, uint64_t total);

/* From now on SIGINT and SIGTERM set the stop flag instead of killing. */
void cli_catch_stop_signals(void);
/* The flag the runner polls (non-zero: the signal that asked to stop). */
const volatile sig_atomic_t *cli_stop_flag(void);
int cli_stop_signal(void);
/* Ends a command that could not finish: removes the temporary output
 * directory; after a stop signal clears the progress line (when shown) and
 * reports the interruption, returning its status; otherwise prints
 * "avrrsim: error: WHY" and returns status. */
int cli_abandon(struct outdir *dir, const char *why, bool show, int status);

/* "interrupted by SIGINT; no results written"; returns the exit status. */
int cli_report_interrupted(void);

/* ---------- files beside every result ---------- */

/* Says on stderr what became of the charts (after the results are in place):
 * nothing when rendered, how to get gnuplot, or why rendering failed. */
void cli_report_rendering(enum plot_render_status rendered, const char *why, const char *output);

#endif
