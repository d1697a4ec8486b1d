/* sweep_data: reads a sweep's sweep.csv (RFC 4180: quoted fields may hold
 * commas, doubled quotes and line breaks) and writes the numeric copy the
 * sweep charts read, checking that every row sits where the context says. */
#include "plots/sweep_data.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    for (size_t i = 0; i < data->n_columns; i++)
        free(data->columns[i]);
    free(data->columns);
    free(data->cells);
    memset(data, 0, sizeof *data);
}

/* ---- an RFC 4180 record reader ---- */

struct record {
    char *text;            /* the fields, each NUL-terminated, one after another */
    size_t length, capacity;
    size_t *starts;        /* offset of each field in text */
    size_t n_fields, fields_capacity;
};

static int record_put(struct record *rec, char c)
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

static int record_new_field(struct record *rec)
{
    if (rec->n_fields == rec->fields_capacity) {
        size_t capacity = rec->fields_capacity == 0 ? 32 : rec->fields_capacity * 2;
        size_t *starts = realloc(rec->starts, capacity * sizeof *starts);
        if (starts == NULL)
            return -1;
        rec->starts = starts;
        rec->fields_capacity = capacity;
    }
    rec->starts[rec->n_fields++] = rec->length;
    return 0;
}

static const char *record_field(const struct record *rec, size_t i)
{
    return rec->text + rec->starts[i];
}

enum read_status { READ_RECORD, READ_END, READ_ERROR };

/* Reads one record (a quoted field may span lines; *line counts them).
 * READ_END at the end of the file; READ_ERROR with a reason. */
static enum read_status read_record(FILE *in, struct record *rec, size_t *line, char *why, size_t why_size)
{
    rec->length = 0;
    rec->n_fields = 0;
    size_t first_line = *line;
    int c = getc(in);
    if (c == EOF) {
        if (ferror(in)) {
            plot_reason(why, why_size, errno, "cannot read %s", source_name);
            return READ_ERROR;
        }
        return READ_END;
    }
    for (;;) {   /* c is the first character of a field */
        if (record_new_field(rec) != 0)
            goto out_of_memory;
        if (c == '"') {
            for (;;) {
                c = getc(in);
                if (c == EOF) {
                    plot_reason(why, why_size, 0, "%s:%zu: a quoted field is not closed", source_name,
                                first_line);
                    return READ_ERROR;
                }
                if (c == '"' && (c = getc(in)) != '"')
                    break;   /* the closing quote; c follows it */
                if (c == '\n')
                    (*line)++;
                if (record_put(rec, (char)c) != 0)
                    goto out_of_memory;
            }
        } else {
            while (c != ',' && c != '\n' && c != EOF) {
                if (c == '"' || c == '\r') {
                    plot_reason(why, why_size, 0, "%s:%zu: a %s inside unquoted field %zu", source_name,
                                first_line, c == '"' ? "quote" : "carriage return", rec->n_fields);
                    return READ_ERROR;
                }
                if (record_put(rec, (char)c) != 0)
                    goto out_of_memory;
                c = getc(in);
            }
        }
        if (record_put(rec, '\0') != 0)
            goto out_of_memory;
        if (c == ',') {
            c = getc(in);
            continue;
        }
        if (c == '\n') {
            (*line)++;
            return READ_RECORD;
        }
        if (c == EOF) {
            if (ferror(in)) {
                plot_reason(why, why_size, errno, "cannot read %s", source_name);
                return READ_ERROR;
            }
            return READ_RECORD;
        }
        plot_reason(why, why_size, 0, "%s:%zu: text after the closing quote of field %zu", source_name,
                    first_line, rec->n_fields);
        return READ_ERROR;
    }
out_of_memory:
    plot_reason(why, why_size, ENOMEM, "cannot read %s", source_name);
    return READ_ERROR;
}

/* ---- the copy ---- */

/* The engine's CSV writer puts a ' before text that starts like a spreadsheet
 * formula; text matches with or without it. */
static bool same_text(const char *field, const char *text)
{
    return strcmp(field, text) == 0 || (field[0] == '\'' && strcmp(field + 1, text) == 0);
}

/* Writes a number as the copy's text: plain decimal text as it is (so that a
 * value reads as it was written), anything else as %.17g, NaN when not finite. */
static void write_number(FILE *out, const char *field, double value)
{
    if (!isfinite(value)) {
        fputs("NaN", out);
        return;
    }
    bool plain = true;
    for (const char *p = field; *p != '\0'; p++)
        if (strchr("0123456789.eE+-", *p) == NULL)
            plain = false;
    if (plain)
        fputs(field, out);
    else
        fprintf(out, "%.17g", value);
}

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

static int read_header(FILE *in, struct record *rec, size_t *line, const struct sweep_plot_context *ctx,
                       struct sweep_data *data, char *why, size_t why_size)
{
    enum read_status status = read_record(in, rec, line, why, why_size);
    if (status == READ_ERROR)
        return -1;
    if (status == READ_END) {
        plot_reason(why, why_size, 0, "%s is empty", source_name);
        return -1;
    }
    data->columns = calloc(rec->n_fields, sizeof *data->columns);
    if (data->columns == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot read %s", source_name);
        return -1;
    }
    for (size_t i = 0; i < rec->n_fields; i++) {
        if ((data->columns[i] = strdup(record_field(rec, i))) == NULL) {
            plot_reason(why, why_size, ENOMEM, "cannot read %s", source_name);
            return -1;
        }
        data->n_columns = i + 1;
    }
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
static int copy_row(FILE *out, const struct record *rec, const struct sweep_plot_context *ctx,
                    struct sweep_data *data, size_t row, size_t line, char *why, size_t why_size)
{
    size_t P = ctx->n_policies, point = row / P, policy = row % P;
    double *cells = data->cells + row * data->n_columns;
    for (size_t i = 0; i < data->n_columns; i++) {
        const char *field = record_field(rec, i);
        if (i > 0)
            fputc(' ', out);
        if (i < ctx->n_axes) {
            const char *value = ctx->axes[i].values[sweep_grid_value(ctx, point, i)];
            if (!same_text(field, value)) {
                plot_reason(why, why_size, 0, "%s:%zu: %s is not '%s', the value of grid point %zu "
                            "(the plot context does not match the sweep)", source_name, line,
                            ctx->axes[i].path, value, point + 1);
                return -1;
            }
            cells[i] = NAN;
            if (sweep_number(value, &cells[i]) == 0)
                write_number(out, value, cells[i]);
            else
                fputs("NaN", out);
        } else if (i == ctx->n_axes) {
            if (!same_text(field, ctx->policy_names[policy])) {
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
            write_number(out, field, cells[i]);
        }
    }
    fputc('\n', out);
    return 0;
}

/* Reads every data row of in into data and out. */
static int copy_rows(FILE *in, FILE *out, struct record *rec, size_t *line, const struct sweep_plot_context *ctx,
                     struct sweep_data *data, size_t block_rows, char *why, size_t why_size)
{
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
        size_t record_line = *line;
        enum read_status status = read_record(in, rec, line, why, why_size);
        if (status == READ_ERROR)
            return -1;
        if (status == READ_END)
            break;
        if (rec->n_fields != data->n_columns) {
            plot_reason(why, why_size, 0, "%s:%zu: %zu fields, expected %zu", source_name, record_line,
                        rec->n_fields, data->n_columns);
            return -1;
        }
        if (row == wanted) {
            plot_reason(why, why_size, 0, "%s:%zu: more rows than the %zu expected (the plot context "
                        "does not match the sweep)", source_name, record_line, wanted);
            return -1;
        }
        if (copy_row(out, rec, ctx, data, row, record_line, why, why_size) != 0)
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
    int result = -1;
    struct record rec = {0};
    FILE *in = NULL, *out = NULL;
    char *in_path = plot_path(dir, source_name);
    char *out_path = plot_path(dir, copy_path);
    if (in_path == NULL || out_path == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot read %s", source_name);
        goto done;
    }
    if ((in = fopen(in_path, "r")) == NULL) {
        plot_reason(why, why_size, errno, "cannot open %s", in_path);
        goto done;
    }
    size_t line = 1;
    if (read_header(in, &rec, &line, ctx, data, why, why_size) != 0)
        goto done;
    if ((out = fopen(out_path, "w")) == NULL) {
        plot_reason(why, why_size, errno, "cannot write %s", out_path);
        goto done;
    }
    result = copy_rows(in, out, &rec, &line, ctx, data, block_rows, why, why_size);
done:
    if (in != NULL)
        fclose(in);
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
    free(rec.text);
    free(rec.starts);
    free(in_path);
    free(out_path);
    return result;
}
