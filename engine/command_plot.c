/* command_plot: `avrrsim plot DIR` renders again the chart scripts of an
 * output directory (after a reader edited one). */
#include <getopt.h>
#include <stdio.h>

#include "engine/cli_common.h"
#include "engine/outdir.h"
#include "plots/plots.h"

static const struct cli_option plot_options[] = {
    CLI_OPTION_FORMATS,
    CLI_OPTION_HELP,
};

int command_plot(int argc, char **argv, const struct model_interface *model)
{
    (void)model;
    enum { N = CLI_COUNT(plot_options) };
    struct option longs[N + 1];
    char shorts[32];
    cli_build_getopt(plot_options, N, longs, shorts, sizeof shorts);
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
            cli_print_options(stdout, plot_options, N);
            return 0;
        case OPT_FORMATS:
            if (plots_parse_formats(optarg, &formats, why, sizeof why) != 0)
                return cli_usage_error("plot", "--formats: %s", why);
            break;
        default:
            return cli_option_error("plot", c, argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("plot", "plot takes one output directory");
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
