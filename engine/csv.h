/* csv: a CSV writer that never loses an error. Header names are written as
 * given; text fields are always quoted (RFC 4180) and neutralised when a
 * spreadsheet would take them for a formula; numbers use '.' whatever the
 * locale. Every write is checked: csv_close reports the first failure. */
#ifndef AVRRSIM_CSV_H
#define AVRRSIM_CSV_H

#include <stdio.h>

typedef struct csv_writer csv_writer;

/* Opens path for writing (truncating). NULL on failure, with errno set. */
csv_writer *csv_open(const char *path);

/* A writer into memory: after csv_close, *text (malloc'd, NUL-terminated;
 * the caller frees it) holds *size bytes, what was written. NULL when out
 * of memory. */
csv_writer *csv_open_memory(char **text, size_t *size);

void csv_header(csv_writer *w, const char *const *names, size_t count);  /* one row */
void csv_text(csv_writer *w, const char *text);          /* quoted, neutralised */
void csv_int(csv_writer *w, long long value);
/* A value as the user wrote it: unquoted when it is a plain number (strict
 * text_to_double), else as csv_text. */
void csv_value(csv_writer *w, const char *text);
void csv_fixed(csv_writer *w, double value, int decimals); /* "%.*f"; nan and inf as "nan", "inf", "-inf" */
/* Writes into out (size bytes) exactly what snprintf(out, size, "%.*f",
 * decimals, value) writes, and returns what it returns; fast (integer
 * arithmetic, correctly rounded, ties to even as glibc does) for a finite
 * value with decimals 0 to 9 whose scaled magnitude fits in 64 bits, and
 * through snprintf otherwise. Used by csv_fixed; exposed for tests. */
int csv_format_fixed(char *out, size_t size, double value, int decimals);
/* A parameter's value: up to 15 significant digits, no trailing zeros ("14650", "0.3"). */
void csv_number(csv_writer *w, double value);
void csv_empty(csv_writer *w);                           /* a field with nothing in it */
void csv_end_row(csv_writer *w);

/* Flushes and closes; 0, or -1 with errno of the first failed write or close.
 * NULL is harmless (returns 0). */
int csv_close(csv_writer *w);

/* Writes text as one RFC 4180 field into out (used by csv_text; exposed for
 * tests): wrapped in double quotes, inner quotes doubled, and prefixed with a
 * single quote when it starts with '=', '+', '-', '@', tab or carriage return. */
void csv_write_text_field(FILE *out, const char *text);

#endif
