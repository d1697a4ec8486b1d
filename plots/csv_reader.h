/* csv_reader: reads the CSV files the engine writes (RFC 4180), one record at
 * a time, for the numeric copies the charts read (plots/run_data.c,
 * plots/sweep_data.c). A record ends at a line feed, a carriage return and
 * line feed, or the end of the file (a missing final line break is fine);
 * fields are separated by commas. A field that starts with a double quote is
 * quoted: it ends at the next lone double quote, "" inside it stands for one
 * ", and it may hold commas, carriage returns and line breaks. An empty line
 * is a record of one empty field. Every failure is a reason naming the file
 * and the line its record starts on ("sweep.csv:38: a quoted field is not
 * closed"), counted from 1. */
#ifndef AVRRSIM_PLOTS_CSV_READER_H
#define AVRRSIM_PLOTS_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Owned by the caller: csv_reader_init, then csv_reader_free. The fields
 * read are valid until the next read or csv_reader_free. */
struct csv_reader {
    FILE *in;              /* not closed by the reader */
    const char *name;      /* the file's name in reasons: "replications.csv" */
    size_t line;           /* the physical line the next record starts on, from 1 */
    size_t record_line;    /* the line the last record read starts on */
    size_t n_fields;       /* fields in the last record read */
    char *text;            /* its fields, each NUL-terminated, one after another */
    size_t length, capacity;
    size_t *starts;        /* the offset of each field in text */
    size_t fields_capacity;
};

enum csv_read { CSV_RECORD, CSV_END, CSV_ERROR };

/* Reads in from its current position, which is line 1; name is kept (not
 * copied) for reasons. Allocates nothing. */
void csv_reader_init(struct csv_reader *reader, FILE *in, const char *name);

/* Frees the reader's buffers (not in); harmless twice or after init alone. */
void csv_reader_free(struct csv_reader *reader);

/* Reads the next record. CSV_END at the end of the file, with no record;
 * CSV_ERROR with one of these reasons (LINE: reader->record_line):
 *   NAME:LINE: a quoted field is not closed
 *   NAME:LINE: text after the closing quote of field N
 *   NAME:LINE: a quote inside unquoted field N
 *   NAME:LINE: a carriage return inside a record   (one not before a line feed)
 *   cannot read NAME: <errno text>                 (a read error, out of memory) */
enum csv_read csv_reader_next(struct csv_reader *reader, char *why, size_t why_size);

/* Reads the next record, which must have n_fields fields: as csv_reader_next,
 * and CSV_ERROR with "NAME:LINE: F fields, expected N" when it has F. */
enum csv_read csv_reader_row(struct csv_reader *reader, size_t n_fields, char *why, size_t why_size);

/* Field i (from 0, below reader->n_fields) of the last record read. */
const char *csv_reader_field(const struct csv_reader *reader, size_t i);

/* Reads the first record as the header: 0 with *columns (malloc'd copies of
 * its fields, freed by csv_reader_free_columns) and *n_columns; -1 with
 * *columns NULL, *n_columns 0 and a reason: those of csv_reader_next,
 * "NAME is empty" when there is no record, "cannot read NAME: <errno text>"
 * when out of memory. */
int csv_reader_header(struct csv_reader *reader, char ***columns, size_t *n_columns, char *why,
                      size_t why_size);

/* Frees what csv_reader_header returned; columns may be NULL. */
void csv_reader_free_columns(char **columns, size_t n_columns);

/* The engine's CSV writer puts a ' before text that starts like a spreadsheet
 * formula (engine/csv.h): true when field is text, with or without it. */
bool csv_reader_same_text(const char *field, const char *text);

#endif
