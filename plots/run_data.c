/* run_data: reads a run's CSV files (plots/csv_reader.h) and writes the
 * numeric copies the chart scripts read (plots/data_copy.h), checking that
 * every row sits where the context says. */
#include "plots/run_data.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/csv_reader.h"
#include "plots/data_copy.h"
#include "plots/plot_util.h"

struct run_file_info {
    const char *source;   /* the CSV file in DIR */
    const char *copy;     /* the copy, relative to DIR */
};

static const struct run_file_info file_info[RUN_FILE_COUNT] = {
    [RUN_REPLICATIONS] = {"replications.csv", "plots/replications.dat"},
    [RUN_DIFFERENCES] = {"differences.csv", "plots/differences.dat"},
    [RUN_SUMMARY] = {"summary.csv", "plots/summary.dat"},
    [RUN_TIMESERIES] = {"timeseries.csv", "plots/timeseries.dat"},
    [RUN_CEAC] = {"ceac.csv", "plots/ceac.dat"},
};

const char *run_data_path(enum run_file file)
{
    return file < RUN_FILE_COUNT ? file_info[file].copy : NULL;
}

const char *run_data_source(enum run_file file)
{
    return file < RUN_FILE_COUNT ? file_info[file].source : NULL;
}

size_t run_data_column(const struct run_data *data, enum run_file file, const char *name)
{
    if (data == NULL || file >= RUN_FILE_COUNT || name == NULL)
        return 0;
    const struct run_table *table = &data->table[file];
    for (size_t i = 0; i < table->n_columns; i++)
        if (strcmp(table->columns[i], name) == 0)
            return i + 1;
    return 0;
}

void run_data_free(struct run_data *data)
{
    if (data == NULL)
        return;
    for (size_t f = 0; f < RUN_FILE_COUNT; f++) {
        struct run_table *table = &data->table[f];
        csv_reader_free_columns(table->columns, table->n_columns);
        table->columns = NULL;
        table->n_columns = 0;
        table->rows = 0;
    }
}

/* ---- where each row should be ---- */

/* The keys a data row must have at its position. */
struct row_keys {
    size_t sequence;   /* the replication or month, from 1 */
    size_t policy;     /* position in ctx->policy_names */
    size_t metric;     /* position in the file's metric list */
};

static size_t expected_rows(enum run_file file, const struct plot_context *ctx)
{
    size_t P = ctx->n_policies;
    switch (file) {
    case RUN_REPLICATIONS: return ctx->replications * P;
    case RUN_DIFFERENCES: return ctx->replications * (P - 1);
    case RUN_SUMMARY: return P * ctx->n_metrics;
    case RUN_TIMESERIES: return ctx->months * P * ctx->n_timeseries_metrics;
    case RUN_CEAC: return ctx->ce_values * P;
    case RUN_FILE_COUNT: break;
    }
    return 0;
}

static struct row_keys expected_keys(enum run_file file, const struct plot_context *ctx, size_t row)
{
    size_t P = ctx->n_policies;
    struct row_keys keys = {0, 0, 0};
    switch (file) {
    case RUN_REPLICATIONS:
        keys.sequence = row / P + 1;
        keys.policy = row % P;
        break;
    case RUN_DIFFERENCES:
        keys.sequence = row / (P - 1) + 1;
        keys.policy = 1 + row % (P - 1);
        break;
    case RUN_SUMMARY:
        keys.policy = row / ctx->n_metrics;
        keys.metric = row % ctx->n_metrics;
        break;
    case RUN_TIMESERIES: {
        size_t M = ctx->n_timeseries_metrics;
        keys.sequence = row / (P * M) + 1;
        keys.policy = (row / M) % P;
        keys.metric = row % M;
        break;
    }
    case RUN_CEAC:   /* the value is a number, copied as it is */
        keys.policy = row % P;
        break;
    case RUN_FILE_COUNT:
        break;
    }
    return keys;
}

/* How each column of a file is copied. */
enum column_role {
    COLUMN_NUMBER,     /* a number, copied */
    COLUMN_SEQUENCE,   /* the replication or month: checked, copied */
    COLUMN_POLICY,     /* a policy name: checked, written as its position */
    COLUMN_BASELINE,   /* the baseline's name: checked, written as 0 */
    COLUMN_METRIC,     /* a metric name: checked, written as its position */
    COLUMN_TEXT        /* other text (a date): written as NaN */
};

static enum column_role role_of(enum run_file file, const char *column)
{
    if (strcmp(column, "policy") == 0)
        return COLUMN_POLICY;
    if (strcmp(column, "baseline") == 0 && file == RUN_DIFFERENCES)
        return COLUMN_BASELINE;
    if (strcmp(column, "metric") == 0 && (file == RUN_SUMMARY || file == RUN_TIMESERIES))
        return COLUMN_METRIC;
    if (strcmp(column, "replication") == 0 && (file == RUN_REPLICATIONS || file == RUN_DIFFERENCES))
        return COLUMN_SEQUENCE;
    if (strcmp(column, "month") == 0 && file == RUN_TIMESERIES)
        return COLUMN_SEQUENCE;
    if (strcmp(column, "date") == 0 && file == RUN_TIMESERIES)
        return COLUMN_TEXT;
    return COLUMN_NUMBER;
}

/* The columns a file must have, besides its numbers. */
static const char *const required_columns[RUN_FILE_COUNT][4] = {
    [RUN_REPLICATIONS] = {"replication", "policy", NULL},
    [RUN_DIFFERENCES] = {"replication", "policy", "baseline", NULL},
    [RUN_SUMMARY] = {"policy", "metric", "mean", NULL},
    [RUN_TIMESERIES] = {"month", "policy", "metric", "mean"},
    [RUN_CEAC] = {"value", "policy", "probability_best", "evpi"},
};

/* Writes a number field of the CSV as the copy's text (plot_write_number):
 * anything strtod reads, nan and inf as NaN. -1 when the field is not a number. */
static int write_number(FILE *out, const char *field)
{
    if (field[0] == '\0')
        return -1;
    errno = 0;
    char *end = NULL;
    double value = strtod(field, &end);
    if (end == field || *end != '\0')
        return -1;
    plot_write_number(out, field, value);
    return 0;
}

/* One file being copied: what data_copy's steps share. */
struct file_copy {
    enum run_file file;
    const struct plot_context *ctx;
    struct run_table *table;     /* its columns, then its rows */
    enum column_role *roles;     /* per column */
};

/* Reads the header, checks that it has the file's required columns and
 * chooses each column's role. */
static int read_header(struct csv_reader *reader, void *state, char *why, size_t why_size)
{
    struct file_copy *copy = state;
    enum run_file file = copy->file;
    struct run_table *table = copy->table;
    if (csv_reader_header(reader, &table->columns, &table->n_columns, why, why_size) != 0)
        return -1;
    for (size_t i = 0; i < 4 && required_columns[file][i] != NULL; i++) {
        bool found = false;
        for (size_t k = 0; k < table->n_columns; k++)
            if (strcmp(table->columns[k], required_columns[file][i]) == 0)
                found = true;
        if (!found) {
            plot_reason(why, why_size, 0, "%s:1: no column '%s'", reader->name, required_columns[file][i]);
            return -1;
        }
    }
    copy->roles = calloc(table->n_columns, sizeof *copy->roles);
    if (copy->roles == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot read %s", reader->name);
        return -1;
    }
    for (size_t i = 0; i < table->n_columns; i++)
        copy->roles[i] = role_of(file, table->columns[i]);
    return 0;
}

/* Checks and writes one field of data row `row`. */
static int copy_field(FILE *out, enum run_file file, const struct plot_context *ctx,
                      enum column_role role, const char *column, const char *field,
                      struct row_keys keys, size_t line, char *why, size_t why_size)
{
    const char *name = file_info[file].source;
    const char *const *metrics = file == RUN_TIMESERIES ? ctx->timeseries_metrics : ctx->metric_names;
    switch (role) {
    case COLUMN_NUMBER:
        if (write_number(out, field) != 0) {
            plot_reason(why, why_size, 0, "%s:%zu: column '%s' is not a number", name, line, column);
            return -1;
        }
        return 0;
    case COLUMN_SEQUENCE: {
        char *end = NULL;
        errno = 0;
        unsigned long long value = strtoull(field, &end, 10);
        if (end == field || *end != '\0' || errno != 0 || value != (unsigned long long)keys.sequence) {
            plot_reason(why, why_size, 0, "%s:%zu: %s %s, expected %zu (the plot context does not match the run)",
                        name, line, column, field, keys.sequence);
            return -1;
        }
        fprintf(out, "%zu", keys.sequence);
        return 0;
    }
    case COLUMN_POLICY:
    case COLUMN_BASELINE: {
        size_t policy = role == COLUMN_BASELINE ? 0 : keys.policy;
        if (!csv_reader_same_text(field, ctx->policy_names[policy])) {
            plot_reason(why, why_size, 0,
                        "%s:%zu: %s is not policy %zu of the plot context (the plot context does not match the run)",
                        name, line, column, policy + 1);
            return -1;
        }
        fprintf(out, "%zu", policy);
        return 0;
    }
    case COLUMN_METRIC:
        if (strcmp(field, metrics[keys.metric]) != 0) {
            plot_reason(why, why_size, 0, "%s:%zu: metric '%s', expected '%s' (the plot context does not match the run)",
                        name, line, field, metrics[keys.metric]);
            return -1;
        }
        fprintf(out, "%zu", keys.metric);
        return 0;
    case COLUMN_TEXT:
        fputs("NaN", out);
        return 0;
    }
    return -1;
}

/* Writes the copy: a comment naming the columns, then every data row of
 * reader, each checked against its position. */
static int copy_rows(struct csv_reader *reader, FILE *out, void *state, char *why, size_t why_size)
{
    struct file_copy *copy = state;
    enum run_file file = copy->file;
    const struct plot_context *ctx = copy->ctx;
    struct run_table *table = copy->table;
    const char *name = reader->name;
    fprintf(out, "# %s with each policy replaced by its position (0: the baseline)%s:\n#",
            name, file == RUN_SUMMARY || file == RUN_TIMESERIES ? " and each metric by its position" : "");
    for (size_t i = 0; i < table->n_columns; i++)
        fprintf(out, " %s", table->columns[i]);
    fputc('\n', out);
    size_t wanted = expected_rows(file, ctx);
    size_t row = 0;
    for (;;) {
        enum csv_read status = csv_reader_row(reader, table->n_columns, why, why_size);
        if (status == CSV_ERROR)
            return -1;
        if (status == CSV_END)
            break;
        if (row >= wanted) {
            plot_reason(why, why_size, 0, "%s:%zu: more rows than the %zu expected (the plot context does not match the run)",
                        name, reader->record_line, wanted);
            return -1;
        }
        struct row_keys keys = expected_keys(file, ctx, row);
        for (size_t i = 0; i < reader->n_fields; i++) {
            if (i > 0)
                fputc(' ', out);
            if (copy_field(out, file, ctx, copy->roles[i], table->columns[i], csv_reader_field(reader, i), keys,
                           reader->record_line, why, why_size) != 0)
                return -1;
        }
        fputc('\n', out);
        row++;
    }
    if (row != wanted) {
        plot_reason(why, why_size, 0, "%s has %zu rows, expected %zu (the plot context does not match the run)",
                    name, row, wanted);
        return -1;
    }
    table->rows = row;
    return 0;
}

/* Copies one CSV file into its numeric copy. */
static int copy_file(enum run_file file, const struct plot_context *ctx, const char *dir,
                     struct run_table *table, char *why, size_t why_size)
{
    struct file_copy copy = {file, ctx, table, NULL};
    int result = data_copy(dir, file_info[file].source, file_info[file].copy, read_header, copy_rows, &copy,
                           why, why_size);
    free(copy.roles);
    return result;
}

int run_data_copy(struct run_data *data, const struct plot_context *ctx, const char *dir,
                  char *why, size_t why_size)
{
    memset(data, 0, sizeof *data);
    for (size_t f = 0; f < RUN_FILE_COUNT; f++) {
        enum run_file file = (enum run_file)f;
        if (file == RUN_DIFFERENCES && ctx->n_policies < 2)
            continue;
        if (file == RUN_TIMESERIES && ctx->months == 0)
            continue;
        if (file == RUN_CEAC && (ctx->ce_values == 0 || ctx->n_policies < 2))
            continue;
        if (copy_file(file, ctx, dir, &data->table[f], why, why_size) != 0)
            return -1;
    }
    return 0;
}
