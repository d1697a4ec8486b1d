/* plot_util: reasons for failures, paths inside the results folder, closing
 * written files and writing numbers, for every file of the plots module. */
#include "plots/plot_util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plot_reason(char *why, size_t why_size, int errnum, const char *format, ...)
{
    if (why == NULL || why_size == 0)
        return;
    va_list args;
    va_start(args, format);
    int length = vsnprintf(why, why_size, format, args);
    va_end(args);
    if (errnum == 0 || length < 0 || (size_t)length >= why_size)
        return;
    char error_text[256];
    if (strerror_r(errnum, error_text, sizeof error_text) != 0)
        snprintf(error_text, sizeof error_text, "error %d", errnum);
    snprintf(why + length, why_size - (size_t)length, ": %s", error_text);
}

char *plot_path(const char *dir, const char *relative)
{
    size_t dir_length = strlen(dir);
    while (dir_length > 1 && dir[dir_length - 1] == '/')
        dir_length--;
    size_t relative_length = strlen(relative);
    char *path = malloc(dir_length + 1 + relative_length + 1);
    if (path == NULL)
        return NULL;
    memcpy(path, dir, dir_length);
    path[dir_length] = '/';
    memcpy(path + dir_length + 1, relative, relative_length + 1);
    return path;
}

int plot_close_output(FILE *out)
{
    bool failed = ferror(out) != 0;
    errno = 0;
    if (fclose(out) != 0 && !failed)
        return errno != 0 ? errno : EIO;
    return failed ? EIO : 0;
}

bool plot_names_present(const char *const *names, size_t count)
{
    if (names == NULL)
        return false;
    for (size_t i = 0; i < count; i++)
        if (names[i] == NULL)
            return false;
    return true;
}

void plot_write_number(FILE *out, const char *text, double value)
{
    if (!isfinite(value)) {
        fputs("NaN", out);
        return;
    }
    bool plain = true;
    for (const char *p = text; *p != '\0'; p++)
        if (strchr("0123456789.eE+-", *p) == NULL)
            plain = false;
    if (plain)
        fputs(text, out);
    else
        fprintf(out, "%.17g", value);
}
