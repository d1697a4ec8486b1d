/* sweep_data: reads a sweep's sweep.csv (plots/csv_reader.h) and writes the
 * numeric copy the sweep charts read (plots/data_copy.h), checking that every
 * row sits where the context says. */
#include "plots/sweep_data.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/csv_reader.h"
#include "plots/data_copy.h"
#include "plots/plot_util.h"

static const char source_name[] = "sweep.csv";
static const char copy_path[] = "plots/sweep.dat";

const char *sweep_data_path(void)
{
    return copy_path;
}

size_t sweep_grid_points(const struct sweep_plot_context *ctx)
{
    size_t points = 1;
    for (size_t a = 0; a < ctx->n_axes; a++) {
        size_t n = ctx->axes[a].n_values;
        if (n == 0 || points > SIZE_MAX / n)
            return 0;
        points *= n;
    }
    return points;
}

size_t sweep_grid_value(const struct sweep_plot_context *ctx, size_t point, size_t axis)
{
    size_t stride = 1;
    for (size_t a = ctx->n_axes; a-- > axis + 1;)
        stride *= ctx->axes[a].n_values;
    return point / stride % ctx->axes[axis].n_values;
}

int sweep_number(const char *text, double *value)
{
    if (text == NULL || text[0] == '\0')
        return -1;
    errno = 0;
    char *end = NULL;
    double number = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(number))
        return -1;
    if (value != NULL)
        *value = number;
    return 0;
}

size_t sweep_data_column(const struct sweep_data *data, const char *name)
{
    if (data == NULL || name == NULL)
        return 0;
    for (size_t i = 0; i < data->n_columns; i++)
        if (strcmp(data->columns[i], name) == 0)
            return i + 1;
    return 0;
}

double sweep_data_cell(const struct sweep_data *data, size_t row, size_t column)
{
    return data->cells[row * data->n_columns + (column - 1)];
}

void sweep_data_free(struct sweep_data *data)
{
    if (data == NULL)
        return;
    csv_reader_free_columns(data->columns, data->n_columns);
    free(data->cells);
    memset(data, 0, sizeof *data);
}

/* ---- the copy ---- */

/* A number field of sweep.csv: its value (NaN for nan and inf); -1 when it is not a number. */
static int read_number(const char *field, double *value)
{
    if (sweep_number(field, value) == 0)
        return 0;
    static const char *const not_finite[] = {"nan", "inf", "-inf"};
    for (size_t i = 0; i < sizeof not_finite / sizeof not_finite[0]; i++)
        if (strcmp(field, not_finite[i]) == 0) {
            *value = NAN;
            return 0;
        }
    return -1;
}

/* What data_copy's steps share. */
struct sweep_copy {
    const struct sweep_plot_context *ctx;
    struct sweep_data *data;
    size_t block_rows;
};

/* Reads the header: the keys' paths, then "policy". */
static int read_header(struct csv_reader *reader, void *state, char *why, size_t why_size)
{
    const struct sweep_copy *copy = state;
    const struct sweep_plot_context *ctx = copy->ctx;
    struct sweep_data *data = copy->data;
    if (csv_reader_header(reader, &data->columns, &data->n_columns, why, why_size) != 0)
        return -1;
    for (size_t i = 0; i <= ctx->n_axes; i++) {
        const char *wanted = i < ctx->n_axes ? ctx->axes[i].path : "policy";
        if (i >= data->n_columns || strcmp(data->columns[i], wanted) != 0) {
            plot_reason(why, why_size, 0, "%s:1: column %zu is '%s', expected '%s' (the plot context "
                        "does not match the sweep)", source_name, i + 1,
                        i < data->n_columns ? data->columns[i] : "", wanted);
            return -1;
        }
    }
    return 0;
}

/* Checks and copies the fields of data row `row`. */
static int copy_row(FILE *out, const struct csv_reader *reader, const struct sweep_plot_context *ctx,
                    struct sweep_data *data, size_t row, char *why, size_t why_size)
{
    size_t line = reader->record_line;
    size_t P = ctx->n_policies, point = row / P, policy = row % P;
    double *cells = data->cells + row * data->n_columns;
    for (size_t i = 0; i < data->n_columns; i++) {
        const char *field = csv_reader_field(reader, i);
        if (i > 0)
            fputc(' ', out);
        if (i < ctx->n_axes) {
            const char *value = ctx->axes[i].values[sweep_grid_value(ctx, point, i)];
            if (!csv_reader_same_text(field, value)) {
                plot_reason(why, why_size, 0, "%s:%zu: %s is not '%s', the value of grid point %zu "
                            "(the plot context does not match the sweep)", source_name, line,
                            ctx->axes[i].path, value, point + 1);
                return -1;
            }
            cells[i] = NAN;
            if (sweep_number(value, &cells[i]) == 0)
                plot_write_number(out, value, cells[i]);
            else
                fputs("NaN", out);
        } else if (i == ctx->n_axes) {
            if (!csv_reader_same_text(field, ctx->policy_names[policy])) {
                plot_reason(why, why_size, 0, "%s:%zu: the policy is not policy %zu of the plot context "
                            "(the plot context does not match the sweep)", source_name, line, policy + 1);
                return -1;
            }
            cells[i] = (double)policy;
            fprintf(out, "%zu", policy);
        } else {
            if (read_number(field, &cells[i]) != 0) {
                plot_reason(why, why_size, 0, "%s:%zu: column '%s' is not a number", source_name, line,
                            data->columns[i]);
                return -1;
            }
            plot_write_number(out, field, cells[i]);
        }
    }
    fputc('\n', out);
    return 0;
}

/* Reads every data row of reader into data and out. */
static int copy_rows(struct csv_reader *reader, FILE *out, void *state, char *why, size_t why_size)
{
    const struct sweep_copy *copy = state;
    const struct sweep_plot_context *ctx = copy->ctx;
    struct sweep_data *data = copy->data;
    size_t block_rows = copy->block_rows;
    size_t points = sweep_grid_points(ctx);
    if (points == 0 || points > SIZE_MAX / ctx->n_policies
        || points * ctx->n_policies > SIZE_MAX / sizeof(double) / data->n_columns) {
        plot_reason(why, why_size, 0, "plot context: too many points");
        return -1;
    }
    size_t wanted = points * ctx->n_policies;
    if ((data->cells = malloc(wanted * data->n_columns * sizeof *data->cells)) == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot read %s", source_name);
        return -1;
    }
    fprintf(out, "# %s with each policy replaced by its position (0: the baseline) and each\n"
                 "# key's value that is not a number by NaN%s:\n#",
            source_name, block_rows > 0 ? "; a blank line after each value of the first key" : "");
    for (size_t i = 0; i < data->n_columns; i++)
        fprintf(out, " %s", data->columns[i]);
    fputc('\n', out);
    size_t row = 0;
    for (;;) {
        enum csv_read status = csv_reader_row(reader, data->n_columns, why, why_size);
        if (status == CSV_ERROR)
            return -1;
        if (status == CSV_END)
            break;
        if (row == wanted) {
            plot_reason(why, why_size, 0, "%s:%zu: more rows than the %zu expected (the plot context "
                        "does not match the sweep)", source_name, reader->record_line, wanted);
            return -1;
        }
        if (copy_row(out, reader, ctx, data, row, why, why_size) != 0)
            return -1;
        row++;
        if (block_rows > 0 && row % block_rows == 0 && row < wanted)
            fputc('\n', out);
    }
    if (row != wanted) {
        plot_reason(why, why_size, 0, "%s has %zu rows, expected %zu (the plot context does not match "
                    "the sweep)", source_name, row, wanted);
        return -1;
    }
    data->rows = row;
    return 0;
}

int sweep_data_copy(struct sweep_data *data, const struct sweep_plot_context *ctx, const char *dir,
                    size_t block_rows, char *why, size_t why_size)
{
    memset(data, 0, sizeof *data);
    struct sweep_copy copy = {ctx, data, block_rows};
    return data_copy(dir, source_name, copy_path, read_header, copy_rows, &copy, why, why_size);
}
