/* csv_reader: an RFC 4180 record reader over a FILE, one character at a
 * time (getc_unlocked: a reader and its FILE belong to one thread), with the
 * line each record starts on for reasons; and the header of a file as owned
 * copies of its names. */
#include "plots/csv_reader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plot_util.h"

void csv_reader_init(struct csv_reader *reader, FILE *in, const char *name)
{
    memset(reader, 0, sizeof *reader);
    reader->in = in;
    reader->name = name;
    reader->line = 1;
    reader->record_line = 1;
}

void csv_reader_free(struct csv_reader *reader)
{
    if (reader == NULL)
        return;
    free(reader->text);
    free(reader->starts);
    reader->text = NULL;
    reader->starts = NULL;
    reader->length = reader->capacity = 0;
    reader->n_fields = reader->fields_capacity = 0;
}

const char *csv_reader_field(const struct csv_reader *reader, size_t i)
{
    return reader->text + reader->starts[i];
}

static int put_char(struct csv_reader *reader, char c)
{
    if (reader->length == reader->capacity) {
        size_t capacity = reader->capacity == 0 ? 256 : reader->capacity * 2;
        char *text = realloc(reader->text, capacity);
        if (text == NULL)
            return -1;
        reader->text = text;
        reader->capacity = capacity;
    }
    reader->text[reader->length++] = c;
    return 0;
}

static int begin_field(struct csv_reader *reader)
{
    if (reader->n_fields == reader->fields_capacity) {
        size_t capacity = reader->fields_capacity == 0 ? 16 : reader->fields_capacity * 2;
        size_t *starts = realloc(reader->starts, capacity * sizeof *starts);
        if (starts == NULL)
            return -1;
        reader->starts = starts;
        reader->fields_capacity = capacity;
    }
    reader->starts[reader->n_fields++] = reader->length;
    return 0;
}

/* why = "NAME:LINE: " and the formatted message, LINE the record's first line. */
static void record_reason(const struct csv_reader *reader, char *why, size_t why_size, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static void record_reason(const struct csv_reader *reader, char *why, size_t why_size, const char *format, ...)
{
    char message[256];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    plot_reason(why, why_size, 0, "%s:%zu: %s", reader->name, reader->record_line, message);
}

enum csv_read csv_reader_next(struct csv_reader *reader, char *why, size_t why_size)
{
    FILE *in = reader->in;
    reader->length = 0;
    reader->n_fields = 0;
    reader->record_line = reader->line;
    int c = getc_unlocked(in);
    if (c == EOF) {
        if (ferror(in)) {
            plot_reason(why, why_size, errno, "cannot read %s", reader->name);
            return CSV_ERROR;
        }
        return CSV_END;
    }
    for (;;) {
        /* at the start of a field, c is its first character */
        if (begin_field(reader) != 0)
            goto out_of_memory;
        if (c == '"') {
            for (;;) {
                c = getc_unlocked(in);
                if (c == EOF) {
                    record_reason(reader, why, why_size, "a quoted field is not closed");
                    return CSV_ERROR;
                }
                if (c == '"') {
                    c = getc_unlocked(in);
                    if (c != '"')
                        break;   /* the closing quote; c follows it */
                }
                if (c == '\n')
                    reader->line++;
                if (put_char(reader, (char)c) != 0)
                    goto out_of_memory;
            }
            if (c == '\r') {
                c = getc_unlocked(in);
                if (c != '\n') {
                    record_reason(reader, why, why_size, "a carriage return inside a record");
                    return CSV_ERROR;
                }
            }
            if (c != ',' && c != '\n' && c != EOF) {
                record_reason(reader, why, why_size, "text after the closing quote of field %zu",
                              reader->n_fields);
                return CSV_ERROR;
            }
        } else {
            while (c != ',' && c != '\n' && c != EOF) {
                if (c == '"') {
                    record_reason(reader, why, why_size, "a quote inside unquoted field %zu", reader->n_fields);
                    return CSV_ERROR;
                }
                if (c == '\r') {
                    c = getc_unlocked(in);
                    if (c == '\n')
                        break;
                    record_reason(reader, why, why_size, "a carriage return inside a record");
                    return CSV_ERROR;
                }
                if (put_char(reader, (char)c) != 0)
                    goto out_of_memory;
                c = getc_unlocked(in);
            }
        }
        if (put_char(reader, '\0') != 0)
            goto out_of_memory;
        if (c == ',') {
            c = getc_unlocked(in);
            continue;
        }
        if (c == '\n')
            reader->line++;
        else if (ferror(in)) {
            plot_reason(why, why_size, errno, "cannot read %s", reader->name);
            return CSV_ERROR;
        }
        return CSV_RECORD;
    }
out_of_memory:
    plot_reason(why, why_size, ENOMEM, "cannot read %s", reader->name);
    return CSV_ERROR;
}

enum csv_read csv_reader_row(struct csv_reader *reader, size_t n_fields, char *why, size_t why_size)
{
    enum csv_read status = csv_reader_next(reader, why, why_size);
    if (status == CSV_RECORD && reader->n_fields != n_fields) {
        record_reason(reader, why, why_size, "%zu fields, expected %zu", reader->n_fields, n_fields);
        return CSV_ERROR;
    }
    return status;
}

void csv_reader_free_columns(char **columns, size_t n_columns)
{
    if (columns == NULL)
        return;
    for (size_t i = 0; i < n_columns; i++)
        free(columns[i]);
    free(columns);
}

int csv_reader_header(struct csv_reader *reader, char ***columns, size_t *n_columns, char *why,
                      size_t why_size)
{
    *columns = NULL;
    *n_columns = 0;
    enum csv_read status = csv_reader_next(reader, why, why_size);
    if (status == CSV_ERROR)
        return -1;
    if (status == CSV_END) {
        plot_reason(why, why_size, 0, "%s is empty", reader->name);
        return -1;
    }
    char **names = calloc(reader->n_fields, sizeof *names);
    if (names == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot read %s", reader->name);
        return -1;
    }
    for (size_t i = 0; i < reader->n_fields; i++) {
        names[i] = strdup(csv_reader_field(reader, i));
        if (names[i] == NULL) {
            csv_reader_free_columns(names, i);
            plot_reason(why, why_size, ENOMEM, "cannot read %s", reader->name);
            return -1;
        }
    }
    *columns = names;
    *n_columns = reader->n_fields;
    return 0;
}

bool csv_reader_same_text(const char *field, const char *text)
{
    return strcmp(field, text) == 0 || (field[0] == '\'' && strcmp(field + 1, text) == 0);
}
