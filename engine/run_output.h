/* run_output: everything one run writes into a directory: the CSV results
 * (engine/results), cost-effectiveness (ce.csv, ceac.csv), the resolved
 * scenario, the chart scripts and their rendering (plots/), and
 * manifest.json (versions, digests, seed, threads, ranks, timing, precision). Used
 * by `avrrsim run` for its output directory and by `avrrsim batch` for each
 * scenario's folder inside its own. Writes; never prints. */
#ifndef AVRRSIM_RUN_OUTPUT_H
#define AVRRSIM_RUN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "ce.h"
#include "runner.h"
#include "scenario.h"
#include "plots/plots.h"

/* What --precision asked and what it got (manifest.json). */
struct precision_outcome {
    double target;             /* REL; 0: not asked */
    bool reached;
    size_t replications;       /* replications run */
};

struct run_output_options {
    const struct ce_effect *effect;
    double max_value;          /* NaN: the default */
    bool render;
    unsigned formats;          /* PLOT_PNG | ... */
    unsigned threads;          /* as used (manifest) */
    unsigned ranks;            /* the MPI ranks that ran it (manifest); 0 counts as 1 */
    time_t started;
    double wall_seconds;
    const struct precision_outcome *precision;   /* NULL: not asked */
};

/* What became of the charts, for the caller to report. */
struct run_output_report {
    enum plot_render_status rendered;
    char render_why[1024];
};

/* Writes every file of the run into the existing directory dir. 0, or -1
 * with a reason (which file, errno text). */
int run_output_write(const struct scenario *sc, const struct run_results *res, const char *dir,
                     const struct run_output_options *options, struct run_output_report *report,
                     char *why, size_t why_size);

/* A writer for outdir_write_file: the resolved scenario (a struct scenario),
 * its first line naming this program's version. */
int run_output_resolved(FILE *f, const void *scenario);

#endif
