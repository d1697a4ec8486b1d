/* data_copy: opens a run's or a sweep's CSV file and its numeric copy, runs
 * the caller's two steps over them, and closes both with a reason for any
 * failure. */
#include "plots/data_copy.h"

#include <errno.h>
#include <stdlib.h>

#include "plots/plot_util.h"

int data_copy(const char *dir, const char *source, const char *copy, data_copy_header *header,
              data_copy_rows *rows, void *state, char *why, size_t why_size)
{
    int result = -1;
    struct csv_reader reader;
    FILE *in = NULL, *out = NULL;
    char *in_path = plot_path(dir, source);
    char *out_path = plot_path(dir, copy);
    if (in_path == NULL || out_path == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot read %s", source);
        goto done;
    }
    if ((in = fopen(in_path, "r")) == NULL) {
        plot_reason(why, why_size, errno, "cannot open %s", in_path);
        goto done;
    }
    csv_reader_init(&reader, in, source);
    if (header(&reader, state, why, why_size) != 0)
        goto done;
    if ((out = fopen(out_path, "w")) == NULL) {
        plot_reason(why, why_size, errno, "cannot write %s", out_path);
        goto done;
    }
    result = rows(&reader, out, state, why, why_size);
done:
    if (in != NULL) {
        csv_reader_free(&reader);
        fclose(in);
    }
    if (out != NULL) {
        int error = plot_close_output(out);
        if (error != 0 && result == 0) {
            plot_reason(why, why_size, error, "cannot write %s", out_path);
            result = -1;
        }
    }
    free(in_path);
    free(out_path);
    return result;
}
