/* script_file: creating DIR/plots, writing DIR/plots/NAME.gp through a
 * temporary file renamed into place, and removing a stale script. */
#include "plots/script_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plots/plot_util.h"

int script_file_make_folder(const char *dir, char *why, size_t why_size)
{
    char *path = plot_path(dir, "plots");
    if (path == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot create the plots folder");
        return -1;
    }
    int result = 0;
    struct stat info;
    if (mkdir(path, 0777) != 0 && (errno != EEXIST || stat(path, &info) != 0 || !S_ISDIR(info.st_mode))) {
        plot_reason(why, why_size, errno == EEXIST ? ENOTDIR : errno, "cannot create %s", path);
        result = -1;
    }
    free(path);
    return result;
}

/* "DIR/plots/NAME.gp" followed by suffix, malloc'd; NULL when out of memory. */
static char *script_path(const char *dir, const char *name, const char *suffix)
{
    size_t size = strlen("plots/.gp") + strlen(name) + strlen(suffix) + 1;
    char *relative = malloc(size);
    if (relative == NULL)
        return NULL;
    snprintf(relative, size, "plots/%s.gp%s", name, suffix);
    char *path = plot_path(dir, relative);
    free(relative);
    return path;
}

int script_file_write(const char *dir, const char *name, script_body *body, const void *data, char *why,
                      size_t why_size)
{
    char *path = script_path(dir, name, "");
    char *tmp = script_path(dir, name, ".tmp");
    int result = -1;
    if (path == NULL || tmp == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot write plots/%s.gp", name);
        goto done;
    }
    FILE *out = fopen(tmp, "w");
    if (out == NULL) {
        plot_reason(why, why_size, errno, "cannot write %s", tmp);
        goto done;
    }
    int written = body(out, data, why, why_size);
    int error = plot_close_output(out);
    if (written != 0) {
        unlink(tmp);
        goto done;
    }
    if (error != 0) {
        plot_reason(why, why_size, error, "cannot write %s", tmp);
        unlink(tmp);
        goto done;
    }
    if (rename(tmp, path) != 0) {
        plot_reason(why, why_size, errno, "cannot rename %s", tmp);
        unlink(tmp);
        goto done;
    }
    result = 0;
done:
    free(path);
    free(tmp);
    return result;
}

int script_file_remove(const char *dir, const char *name, char *why, size_t why_size)
{
    char *path = script_path(dir, name, "");
    if (path == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot remove plots/%s.gp", name);
        return -1;
    }
    int result = 0;
    if (unlink(path) != 0 && errno != ENOENT) {
        plot_reason(why, why_size, errno, "cannot remove %s", path);
        result = -1;
    }
    free(path);
    return result;
}
