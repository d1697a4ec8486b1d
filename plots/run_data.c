/* run_data: reads a run's CSV files (RFC 4180: quoted fields may hold commas,
 * doubled quotes and line breaks) and writes the numeric copies the chart
 * scripts read, checking that every row sits where the context says. */
#include "plots/run_data.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        for (size_t i = 0; i < table->n_columns; i++)
            free(table->columns[i]);
        free(table->columns);
        table->columns = NULL;
        table->n_columns = 0;
        table->rows = 0;
    }
}

/* ---- an RFC 4180 record reader ---- */

struct csv_record {
    char *text;            /* the fields, each NUL-terminated, one after another */
    size_t length, capacity;
    size_t *starts;        /* offset of each field in text */
    bool *quoted;          /* the field was written in double quotes */
    size_t n_fields, fields_capacity;
};

static void record_free(struct csv_record *rec)
{
    free(rec->text);
    free(rec->starts);
    free(rec->quoted);
}

static int record_put_char(struct csv_record *rec, char c)
{
    if (rec->length == rec->capacity) {
        size_t capacity = rec->capacity == 0 ? 256 : rec->capacity * 2;
        char *text = realloc(rec->text, capacity);
        if (text == NULL)
            return -1;
        rec->text = text;
        rec->capacity = capacity;
    }
    rec->text[rec->length++] = c;
    return 0;
}

static int record_begin_field(struct csv_record *rec, bool quoted)
{
    if (rec->n_fields == rec->fields_capacity) {
        size_t capacity = rec->fields_capacity == 0 ? 16 : rec->fields_capacity * 2;
        size_t *starts = realloc(rec->starts, capacity * sizeof *starts);
        if (starts == NULL)
            return -1;
        rec->starts = starts;
        bool *quoted_flags = realloc(rec->quoted, capacity * sizeof *quoted_flags);
        if (quoted_flags == NULL)
            return -1;
        rec->quoted = quoted_flags;
        rec->fields_capacity = capacity;
    }
    rec->starts[rec->n_fields] = rec->length;
    rec->quoted[rec->n_fields] = quoted;
    rec->n_fields++;
    return 0;
}

static const char *record_field(const struct csv_record *rec, size_t i)
{
    return rec->text + rec->starts[i];
}

enum read_status { READ_RECORD, READ_END, READ_ERROR };

/* Reads one record; *line counts physical lines (a record may span several).
 * READ_END at the end of the file, READ_ERROR with a reason. */
static enum read_status read_record(FILE *in, struct csv_record *rec, size_t *line,
                                    const char *name, char *why, size_t why_size)
{
    rec->length = 0;
    rec->n_fields = 0;
    size_t record_line = *line;
    int c = getc(in);
    if (c == EOF) {
        if (ferror(in)) {
            plot_reason(why, why_size, errno, "cannot read %s", name);
            return READ_ERROR;
        }
        return READ_END;
    }
    for (;;) {
        /* at the start of a field, c is its first character */
        bool quoted = c == '"';
        if (record_begin_field(rec, quoted) != 0)
            goto out_of_memory;
        if (quoted) {
            for (;;) {
                c = getc(in);
                if (c == EOF) {
                    plot_reason(why, why_size, 0, "%s:%zu: a quoted field is not closed", name,
                                record_line);
                    return READ_ERROR;
                }
                if (c == '"') {
                    c = getc(in);
                    if (c != '"')
                        break;   /* the closing quote; c follows it */
                }
                if (c == '\n')
                    (*line)++;
                if (record_put_char(rec, (char)c) != 0)
                    goto out_of_memory;
            }
            if (c == '\r') {
                c = getc(in);
                if (c != '\n') {
                    plot_reason(why, why_size, 0, "%s:%zu: a carriage return inside a record",
                                name, record_line);
                    return READ_ERROR;
                }
            }
            if (c != ',' && c != '\n' && c != EOF) {
                plot_reason(why, why_size, 0,
                            "%s:%zu: text after the closing quote of field %zu", name,
                            record_line, rec->n_fields);
                return READ_ERROR;
            }
        } else {
            while (c != ',' && c != '\n' && c != EOF) {
                if (c == '"') {
                    plot_reason(why, why_size, 0, "%s:%zu: a quote inside unquoted field %zu",
                                name, record_line, rec->n_fields);
                    return READ_ERROR;
                }
                if (c == '\r') {
                    c = getc(in);
                    if (c == '\n')
                        break;
                    plot_reason(why, why_size, 0, "%s:%zu: a carriage return inside a record",
                                name, record_line);
                    return READ_ERROR;
                }
                if (record_put_char(rec, (char)c) != 0)
                    goto out_of_memory;
                c = getc(in);
            }
        }
        if (record_put_char(rec, '\0') != 0)
            goto out_of_memory;
        if (c == ',') {
            c = getc(in);
            continue;
        }
        if (c == '\n')
            (*line)++;
        else if (ferror(in)) {
            plot_reason(why, why_size, errno, "cannot read %s", name);
            return READ_ERROR;
        }
        return READ_RECORD;
    }
out_of_memory:
    plot_reason(why, why_size, ENOMEM, "cannot read %s", name);
    return READ_ERROR;
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

/* The engine's CSV writer puts a ' before text that starts like a spreadsheet
 * formula; a name matches with or without it. */
static bool same_name(const char *field, const char *name)
{
    if (strcmp(field, name) == 0)
        return true;
    return field[0] == '\'' && strcmp(field + 1, name) == 0;
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

/* Writes a number field of the CSV as the copy's text: finite decimal text as
 * it is, anything else gnuplot might not read (nan, inf, hex) as NaN or %.17g.
 * -1 when the field is not a number. */
static int write_number(FILE *out, const char *field)
{
    if (field[0] == '\0')
        return -1;
    errno = 0;
    char *end = NULL;
    double value = strtod(field, &end);
    if (end == field || *end != '\0')
        return -1;
    if (!isfinite(value)) {
        fputs("NaN", out);
        return 0;
    }
    bool plain = true;
    for (const char *p = field; *p != '\0'; p++)
        if (strchr("0123456789.eE+-", *p) == NULL)
            plain = false;
    if (plain)
        fputs(field, out);
    else
        fprintf(out, "%.17g", value);
    return 0;
}

/* Reads the header: the columns and their roles. */
static int read_header(FILE *in, struct csv_record *rec, size_t *line, enum run_file file,
                       struct run_table *table, char *why, size_t why_size)
{
    const char *name = file_info[file].source;
    enum read_status status = read_record(in, rec, line, name, why, why_size);
    if (status == READ_ERROR)
        return -1;
    if (status == READ_END) {
        plot_reason(why, why_size, 0, "%s is empty", name);
        return -1;
    }
    table->columns = calloc(rec->n_fields, sizeof *table->columns);
    if (table->columns == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot read %s", name);
        return -1;
    }
    for (size_t i = 0; i < rec->n_fields; i++) {
        table->columns[i] = strdup(record_field(rec, i));
        if (table->columns[i] == NULL) {
            plot_reason(why, why_size, ENOMEM, "cannot read %s", name);
            return -1;
        }
        table->n_columns = i + 1;
    }
    for (size_t i = 0; i < 4 && required_columns[file][i] != NULL; i++) {
        bool found = false;
        for (size_t k = 0; k < table->n_columns; k++)
            if (strcmp(table->columns[k], required_columns[file][i]) == 0)
                found = true;
        if (!found) {
            plot_reason(why, why_size, 0, "%s:1: no column '%s'", name, required_columns[file][i]);
            return -1;
        }
    }
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
        if (!same_name(field, ctx->policy_names[policy])) {
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

/* Copies one CSV file into its numeric copy. */
static int copy_file(enum run_file file, const struct plot_context *ctx, const char *dir,
                     struct run_table *table, char *why, size_t why_size)
{
    const char *name = file_info[file].source;
    int result = -1;
    enum column_role *roles = NULL;
    struct csv_record rec = {0};
    FILE *out = NULL;
    char *in_path = plot_path(dir, name);
    char *out_path = plot_path(dir, file_info[file].copy);
    if (in_path == NULL || out_path == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot read %s", name);
        goto done;
    }
    FILE *in = fopen(in_path, "r");
    if (in == NULL) {
        plot_reason(why, why_size, errno, "cannot open %s", in_path);
        goto done;
    }
    size_t line = 1;
    if (read_header(in, &rec, &line, file, table, why, why_size) != 0)
        goto close_in;
    roles = calloc(table->n_columns, sizeof *roles);
    if (roles == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot read %s", name);
        goto close_in;
    }
    for (size_t i = 0; i < table->n_columns; i++)
        roles[i] = role_of(file, table->columns[i]);
    out = fopen(out_path, "w");
    if (out == NULL) {
        plot_reason(why, why_size, errno, "cannot write %s", out_path);
        goto close_in;
    }
    fprintf(out, "# %s with each policy replaced by its position (0: the baseline)%s:\n#",
            name, file == RUN_SUMMARY || file == RUN_TIMESERIES ? " and each metric by its position" : "");
    for (size_t i = 0; i < table->n_columns; i++)
        fprintf(out, " %s", table->columns[i]);
    fputc('\n', out);

    size_t wanted = expected_rows(file, ctx);
    size_t row = 0;
    for (;;) {
        size_t record_line = line;
        enum read_status status = read_record(in, &rec, &line, name, why, why_size);
        if (status == READ_ERROR)
            goto close_in;
        if (status == READ_END)
            break;
        if (rec.n_fields != table->n_columns) {
            plot_reason(why, why_size, 0, "%s:%zu: %zu fields, expected %zu", name, record_line,
                        rec.n_fields, table->n_columns);
            goto close_in;
        }
        if (row >= wanted) {
            plot_reason(why, why_size, 0, "%s:%zu: more rows than the %zu expected (the plot context does not match the run)",
                        name, record_line, wanted);
            goto close_in;
        }
        struct row_keys keys = expected_keys(file, ctx, row);
        for (size_t i = 0; i < rec.n_fields; i++) {
            if (i > 0)
                fputc(' ', out);
            if (copy_field(out, file, ctx, roles[i], table->columns[i], record_field(&rec, i), keys,
                           record_line, why, why_size) != 0)
                goto close_in;
        }
        fputc('\n', out);
        row++;
    }
    if (row != wanted) {
        plot_reason(why, why_size, 0, "%s has %zu rows, expected %zu (the plot context does not match the run)",
                    name, row, wanted);
        goto close_in;
    }
    table->rows = row;
    result = 0;
close_in:
    fclose(in);
done:
    if (out != NULL) {
        errno = 0;
        bool failed = ferror(out) != 0;
        int saved = errno;
        if (fclose(out) != 0 && !failed) {
            failed = true;
            saved = errno;
        }
        if (failed && result == 0) {
            plot_reason(why, why_size, saved != 0 ? saved : EIO, "cannot write %s", out_path);
            result = -1;
        }
    }
    free(roles);
    record_free(&rec);
    free(in_path);
    free(out_path);
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
