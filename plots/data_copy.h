/* data_copy: the frame of a numeric copy (plots/run_data.c, plots/sweep_data.c):
 * DIR/SOURCE, a CSV file, is read with a csv_reader, header first; then
 * DIR/COPY is created and written from its data rows. The two steps are the
 * caller's; the opening, writing and closing of the files, and their reasons,
 * are here. */
#ifndef AVRRSIM_PLOTS_DATA_COPY_H
#define AVRRSIM_PLOTS_DATA_COPY_H

#include <stddef.h>
#include <stdio.h>

#include "plots/csv_reader.h"

/* Reads and checks the header (csv_reader_header). 0, or -1 with a reason. */
typedef int data_copy_header(struct csv_reader *reader, void *state, char *why, size_t why_size);

/* Reads every data row and writes the copy to out. 0, or -1 with a reason;
 * write errors show in ferror(out). */
typedef int data_copy_rows(struct csv_reader *reader, FILE *out, void *state, char *why, size_t why_size);

/* Copies DIR/SOURCE into DIR/COPY (whose folder must exist) with header, then
 * rows; COPY is created only when the header is read. 0, or -1 with the
 * reason of a step or one of these: "cannot open DIR/SOURCE: <errno text>",
 * "cannot write DIR/COPY: <errno text>", "cannot read SOURCE: <errno text>"
 * (out of memory). A failed copy may leave DIR/COPY incomplete. */
int data_copy(const char *dir, const char *source, const char *copy, data_copy_header *header,
              data_copy_rows *rows, void *state, char *why, size_t why_size);

#endif
