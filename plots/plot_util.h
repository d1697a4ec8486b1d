/* plot_util: small helpers shared by the plots module: reasons for failures,
 * paths inside the results folder, closing a file that was written, and
 * numbers as the numeric copies (DIR/plots/NAME.dat) hold them. */
#ifndef AVRRSIM_PLOTS_PLOT_UTIL_H
#define AVRRSIM_PLOTS_PLOT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* why = the formatted message, followed by ": <errno text>" when errnum != 0.
 * Does nothing when why is NULL or why_size is 0. */
void plot_reason(char *why, size_t why_size, int errnum, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* "dir/relative", malloc'd; NULL when out of memory. */
char *plot_path(const char *dir, const char *relative);

/* Closes out, a file that was written: 0, or the errno value of the failure
 * (EIO when a write had failed, or the close failed without saying why). */
int plot_close_output(FILE *out);

/* true when names is not NULL and none of names[0..count) is NULL. */
bool plot_names_present(const char *const *names, size_t count);

/* Writes a number for gnuplot to read: text as it is when it is plain decimal
 * text (digits, '.', 'e', 'E', '+', '-'), so that the value reads as it was
 * written; else value as %.17g; NaN when value is not finite. */
void plot_write_number(FILE *out, const char *text, double value);

#endif
