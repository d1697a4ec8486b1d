/* plot_util: small helpers shared by the plots module: reasons for failures
 * and paths inside the results folder. */
#ifndef AVRRSIM_PLOTS_PLOT_UTIL_H
#define AVRRSIM_PLOTS_PLOT_UTIL_H

#include <stddef.h>

/* why = the formatted message, followed by ": <errno text>" when errnum != 0.
 * Does nothing when why is NULL or why_size is 0. */
void plot_reason(char *why, size_t why_size, int errnum, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* "dir/relative", malloc'd; NULL when out of memory. */
char *plot_path(const char *dir, const char *relative);

#endif
