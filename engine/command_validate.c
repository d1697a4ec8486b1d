/* command_validate: `avrrsim validate FILE...` checks scenario files and
 * runs nothing; `avrrsim keys` prints the table of every scenario key. */
#include <getopt.h>
#include <stdio.h>

#include "engine/cli_common.h"
#include "engine/diag.h"
#include "engine/runner.h"
#include "engine/scenario.h"

static const struct cli_option validate_options[] = {
    CLI_OPTION_HELP,
};

int command_validate(int argc, char **argv, const struct model_interface *model)
{
    struct option longs[CLI_COUNT(validate_options) + 1];
    char shorts[32];
    cli_build_getopt(validate_options, CLI_COUNT(validate_options), longs, shorts, sizeof shorts);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (c == 'h') {
            fputs("usage: avrrsim validate SCENARIO.yaml...\n\n"
                  "Checks each scenario file and prints 'FILE: ok' or every problem found;\n"
                  "runs nothing. Exit status 2 when any file has a problem.\n\noptions:\n",
                  stdout);
            cli_print_options(stdout, validate_options, CLI_COUNT(validate_options));
            return 0;
        }
        return cli_option_error("validate", c, argv[optind - 1]);
    }
    if (optind >= argc)
        return cli_usage_error("validate", "validate needs at least one scenario file");
    int status = 0;
    for (int i = optind; i < argc; i++) {
        diag_list *diags = diag_list_new();
        if (!diags) {
            fputs("avrrsim: error: out of memory\n", stderr);
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

int command_keys(int argc, char **argv, const struct model_interface *model)
{
    (void)argv;
    if (argc > 1)
        return cli_usage_error(NULL, "keys takes no arguments");
    scenario_write_format_doc(model, stdout);
    return 0;
}

