/* run_data: the numeric copies of a run's CSV files that the chart scripts read.
 * gnuplot cannot read CSV fields that hold quotes followed by commas, or line
 * breaks (a policy may be named anything), so each CSV file is read here with
 * the RFC 4180 reader of plots/csv_reader.h and copied to DIR/plots/NAME.dat: the same rows in the
 * same order, the same columns separated by spaces, every policy name replaced
 * by its position (0 = the baseline), every metric name by its position in the
 * context's list, any other text (a date) by NaN. While copying, every row's
 * replication or month, policy and metric are checked against the position the
 * context says it has, so that the scripts can select rows by position. */
#ifndef AVRRSIM_PLOTS_RUN_DATA_H
#define AVRRSIM_PLOTS_RUN_DATA_H

#include <stddef.h>

#include "plots/plots.h"

enum run_file {
    RUN_REPLICATIONS, RUN_DIFFERENCES, RUN_SUMMARY, RUN_TIMESERIES,
    RUN_CEAC,   /* per value (in order) and policy: policy p of value i is row i * P + p */
    RUN_FILE_COUNT
};

/* The header of one copied file. */
struct run_table {
    char **columns;      /* the CSV header's names, in order */
    size_t n_columns;
    size_t rows;         /* data rows copied; 0 when the file was not copied */
};

struct run_data {
    struct run_table table[RUN_FILE_COUNT];
};

/* Copies DIR's replications.csv, summary.csv, differences.csv (when there are at
 * least two policies), timeseries.csv (when ctx->months > 0) and ceac.csv (when
 * ctx->ce_values > 0 and there are at least two policies) into DIR/plots/NAME.dat; DIR/plots must exist. 0, or -1 with a reason (file, line, what
 * was found and what was expected). run_data_free(data) afterwards in both cases. */
int run_data_copy(struct run_data *data, const struct plot_context *ctx, const char *dir,
                  char *why, size_t why_size);

void run_data_free(struct run_data *data);

/* "plots/replications.dat" ...: the copy's path relative to DIR, as scripts name it. */
const char *run_data_path(enum run_file file);

/* "replications.csv" ...: the file it copies. */
const char *run_data_source(enum run_file file);

/* The 1-based column (as gnuplot counts) named name in a copied file; 0 when absent. */
size_t run_data_column(const struct run_data *data, enum run_file file, const char *name);

#endif
