/* cli: the command line's entry: the table of commands, --help and
 * --version. Each command is one file, engine/command_NAME.c; what they
 * share is in cli_common.h. Exit codes: 0 success, 1 a runtime failure,
 * 2 invalid input or usage, 128 + N after signal N. */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <yaml.h>

#include "engine/cli.h"
#include "engine/cli_common.h"
#include "engine/cluster.h"
#include "engine/version.h"

static void print_main_help(FILE *out)
{
    fputs("avrrsim: Monte Carlo comparison of assisted voluntary return and reintegration\n"
          "(AVRR) with immigration detention.\n\n"
          "usage: avrrsim COMMAND [options]\n\n"
          "commands:\n"
          "  run SCENARIO.yaml        run a scenario, write CSV results (avrrsim run --help)\n"
          "  validate SCENARIO.yaml...  check scenario files, run nothing\n"
          "  sweep SCENARIO.yaml      run a grid of key values (avrrsim sweep --help)\n"
          "  batch SCENARIO.yaml...   run several scenarios, side by side in batch.csv\n"
          "  tornado SCENARIO.yaml    one-way sensitivity to every uncertain parameter\n"
          "  breakeven SCENARIO.yaml --param PATH --range LO:HI\n"
          "                           the value of a key at which a policy breaks even\n"
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


static const struct {
    const char *name;
    cli_command *run;
} commands[] = {
    {"run", command_run},
    {"validate", command_validate},
    {"sweep", command_sweep},
    {"batch", command_batch},
    {"breakeven", command_breakeven},
    {"tornado", command_tornado},
    {"plot", command_plot},
    {"keys", command_keys},
};

static int run_command(int argc, char **argv, const struct model_interface *model);

int cli_main(int argc, char **argv, const struct model_interface *model)
{
    char why[256];
    if (cluster_start(&argc, &argv, why, sizeof why) != 0) {
        fprintf(stderr, "avrrsim: error: %s\n", why);
        return EXIT_RUNTIME;
    }
    int status = run_command(argc, argv, model);
    /* after a signal another rank may be gone: leave without waiting for it */
    cluster_finish(cli_stop_signal() == 0);
    return status;
}

static int run_command(int argc, char **argv, const struct model_interface *model)
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
        return cli_usage_error(NULL, "unknown option '%s'", command);
    char names[256];
    size_t used = 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0] && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 commands[i].name);
    return cli_usage_error(NULL, "unknown command '%s' (commands: %s)", command, names);
}
