/* sweep_data: the numeric copy of a sweep's sweep.csv that the sweep charts
 * read (DIR/plots/sweep.dat), and the same numbers in memory for what the
 * scripts are written with (ranges, break-even values). gnuplot cannot read
 * CSV fields that hold quotes followed by commas, or line breaks, and a policy
 * may be named anything; so sweep.csv is read here with the RFC 4180 reader
 * of plots/csv_reader.h and copied with the same rows in the same order, the
 * columns separated by spaces, each policy name replaced by its position (0:
 * the baseline), each value of a key that is a number as that number and any
 * other text as NaN.
 * While copying, every row's key values and policy are checked against those
 * the context gives its position, so that the scripts can select rows by
 * position (policy p of a grid point is every P-th row from row p - 1). */
#ifndef AVRRSIM_PLOTS_SWEEP_DATA_H
#define AVRRSIM_PLOTS_SWEEP_DATA_H

#include <stddef.h>

#include "plots/sweep_plots.h"

struct sweep_data {
    size_t n_columns;
    char **columns;      /* sweep.csv's header, in order */
    size_t rows;         /* data rows: points x policies */
    double *cells;       /* rows x n_columns, row by row, as copied (text: NaN) */
};

/* Points in the context's grid: the product of the axes' value counts
 * (0 when an axis has no values or the product overflows). */
size_t sweep_grid_points(const struct sweep_plot_context *ctx);

/* The index into ctx->axes[axis].values of grid point `point` (the first axis
 * varies slowest). */
size_t sweep_grid_value(const struct sweep_plot_context *ctx, size_t point, size_t axis);

/* 0 and *value when the whole text is a finite number (strtod), else -1. */
int sweep_number(const char *text, double *value);

/* Copies DIR/sweep.csv into DIR/plots/sweep.dat (DIR/plots must exist) and
 * into data. The header must start with the axes' paths, then "policy"; row r
 * must hold grid point r / P's values and policy r % P (P = ctx->n_policies);
 * every other field must be a number (nan and inf are copied as NaN). After
 * every block_rows data rows the copy has a blank line (0: none): gnuplot reads
 * blocks as the scans of a surface. 0, or -1 with a reason (file, line, what was
 * found and what was expected). sweep_data_free(data) afterwards in both cases. */
int sweep_data_copy(struct sweep_data *data, const struct sweep_plot_context *ctx, const char *dir,
                    size_t block_rows, char *why, size_t why_size);

void sweep_data_free(struct sweep_data *data);

/* The 1-based column (as gnuplot counts) named name; 0 when absent. */
size_t sweep_data_column(const struct sweep_data *data, const char *name);

/* The cell of data row `row` (from 0) in 1-based column `column`. */
double sweep_data_cell(const struct sweep_data *data, size_t row, size_t column);

/* "plots/sweep.dat": the copy's path relative to DIR, as the scripts name it. */
const char *sweep_data_path(void);

#endif
