/* outdir: safe output directories. Results are written into a fresh
 * temporary directory beside the target; outdir_commit marks it as ours and
 * renames it into place, replacing only an empty directory or an earlier
 * avrrsim result, never anything else. remove_tree deletes a tree without
 * ever following a symbolic link. */
#include "engine/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static const char MARKER_TEXT[] =
    "This directory was written by avrrsim. "
    "The next avrrsim run into it replaces it whole.\n";

/* why = formatted message, followed by ": <errno text>" when errnum != 0. */
static void set_reason(char *why, size_t why_size, int errnum, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static void set_reason(char *why, size_t why_size, int errnum, const char *format, ...)
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

static void clear_reason(char *why, size_t why_size)
{
    if (why != NULL && why_size > 0)
        why[0] = '\0';
}

/* a + b + c, malloc'd; NULL (errno ENOMEM) when out of memory. */
static char *concat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *result = malloc(la + lb + lc + 1);
    if (result == NULL)
        return NULL;
    memcpy(result, a, la);
    memcpy(result + la, b, lb);
    memcpy(result + la + lb, c, lc);
    result[la + lb + lc] = '\0';
    return result;
}

/* Splits a path without trailing slashes into its directory part (up to and
 * including the last '/', possibly empty) and its last component: returns
 * the length of the directory part. */
static size_t parent_length(const char *path)
{
    const char *last_slash = strrchr(path, '/');
    return last_slash == NULL ? 0 : (size_t)(last_slash - path) + 1;
}

/* "<parent>/.<basename><suffix>XXXXXX" for a path without trailing slashes. */
static char *sibling_template(const char *target, const char *suffix)
{
    size_t prefix = parent_length(target);
    const char *base = target + prefix;
    size_t length = prefix + 1 + strlen(base) + strlen(suffix) + 6;
    char *result = malloc(length + 1);
    if (result == NULL)
        return NULL;
    snprintf(result, length + 1, "%.*s.%s%sXXXXXX", (int)prefix, target, base, suffix);
    return result;
}

enum outdir_state outdir_inspect(const char *target)
{
    struct stat info;
    if (lstat(target, &info) != 0)
        return errno == ENOENT ? OUTDIR_ABSENT : OUTDIR_UNREADABLE;
    if (!S_ISDIR(info.st_mode))
        return OUTDIR_FOREIGN;   /* a file, a symlink, a device... */

    DIR *dir = opendir(target);
    if (dir == NULL)
        return OUTDIR_UNREADABLE;
    bool has_entries = false;
    bool read_failed = false;
    for (;;) {
        errno = 0;
        struct dirent *entry = readdir(dir);
        if (entry == NULL) {
            read_failed = errno != 0;
            break;
        }
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
            has_entries = true;
            break;
        }
    }
    enum outdir_state state;
    if (read_failed) {
        state = OUTDIR_UNREADABLE;
    } else if (!has_entries) {
        state = OUTDIR_EMPTY;
    } else {
        struct stat marker;
        if (fstatat(dirfd(dir), OUTDIR_MARKER, &marker, AT_SYMLINK_NOFOLLOW) == 0)
            state = S_ISREG(marker.st_mode) ? OUTDIR_OURS : OUTDIR_FOREIGN;
        else
            state = errno == ENOENT ? OUTDIR_FOREIGN : OUTDIR_UNREADABLE;
    }
    int saved = errno;
    closedir(dir);
    errno = saved;
    return state;
}

/* mkdir -p for every directory named in prefix (a path ending in '/').
 * 0, or -1 with a reason. */
static int make_parents(const char *prefix, char *why, size_t why_size)
{
    char *path = strdup(prefix);
    if (path == NULL) {
        set_reason(why, why_size, ENOMEM, "cannot create the parents of the output directory");
        return -1;
    }
    int result = 0;
    for (size_t i = 1; path[0] != '\0' && path[i] != '\0' && result == 0; i++) {
        if (path[i] != '/' || path[i - 1] == '/')
            continue;
        path[i] = '\0';
        if (mkdir(path, 0777) != 0) {
            int mkdir_errno = errno;
            struct stat info;
            if (stat(path, &info) != 0) {
                set_reason(why, why_size, mkdir_errno, "cannot create directory '%s'", path);
                result = -1;
            } else if (!S_ISDIR(info.st_mode)) {
                set_reason(why, why_size, ENOTDIR, "cannot create directory '%s'", path);
                result = -1;
            }
        }
        path[i] = '/';
    }
    free(path);
    return result;
}

int outdir_begin(struct outdir *o, const char *target, char *why, size_t why_size)
{
    o->target = NULL;
    o->tmp = NULL;
    clear_reason(why, why_size);
    if (target == NULL || target[0] == '\0') {
        set_reason(why, why_size, EINVAL, "no output directory given");
        return -1;
    }

    char *clean = strdup(target);
    if (clean == NULL) {
        set_reason(why, why_size, ENOMEM, "cannot prepare output directory '%s'", target);
        return -1;
    }
    size_t length = strlen(clean);
    while (length > 1 && clean[length - 1] == '/')
        clean[--length] = '\0';

    const char *base = clean + parent_length(clean);
    if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        set_reason(why, why_size, 0,
                   "'%s' cannot be an output directory: name a directory by its own name "
                   "(not '/', '.' or '..')", target);
        free(clean);
        return -1;
    }

    char *prefix = strndup(clean, parent_length(clean));
    if (prefix == NULL) {
        set_reason(why, why_size, ENOMEM, "cannot prepare output directory '%s'", clean);
        free(clean);
        return -1;
    }
    int parents_made = make_parents(prefix, why, why_size);
    free(prefix);
    if (parents_made != 0) {
        free(clean);
        return -1;
    }

    char *tmp = sibling_template(clean, ".tmp-");
    if (tmp == NULL) {
        set_reason(why, why_size, ENOMEM, "cannot prepare output directory '%s'", clean);
        free(clean);
        return -1;
    }
    if (mkdtemp(tmp) == NULL) {
        set_reason(why, why_size, errno, "cannot create a temporary directory beside '%s'", clean);
        free(tmp);
        free(clean);
        return -1;
    }
    o->target = clean;
    o->tmp = tmp;
    return 0;
}

char *outdir_file(const struct outdir *o, const char *name)
{
    return concat3(o->tmp, "/", name);
}

int outdir_write_file(const char *folder, const char *name, int (*writer)(FILE *, const void *),
                      const void *data, char *why, size_t why_size)
{
    char *path = concat3(folder, "/", name);
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f) {
        snprintf(why, why_size, "cannot write %s: %s", name, path ? strerror(errno) : "out of memory");
        free(path);
        return -1;
    }
    int failed = writer(f, data) != 0 || ferror(f);
    int saved = errno;
    if (fclose(f) != 0) {
        failed = 1;
        saved = errno;
    }
    free(path);
    if (failed) {
        snprintf(why, why_size, "cannot write %s: %s", name, strerror(saved ? saved : EIO));
        return -1;
    }
    return 0;
}

/* Writes the marker file into the temporary directory. 0, or -1 with errno. */
static int write_marker(const struct outdir *o)
{
    char *path = outdir_file(o, OUTDIR_MARKER);
    if (path == NULL)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    free(path);
    if (fd < 0)
        return -1;
    const char *data = MARKER_TEXT;
    size_t left = sizeof MARKER_TEXT - 1;
    while (left > 0) {
        ssize_t written = write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        data += written;
        left -= (size_t)written;
    }
    return close(fd);
}

/* Moves the previous avrrsim result away, the new one into place, and then
 * deletes the previous one. 0 (with a note in why if the old copy could not
 * be deleted), or -1 with a reason and target as it was. */
static int replace_ours(struct outdir *o, char *why, size_t why_size)
{
    char *old = sibling_template(o->target, ".old-");
    if (old == NULL) {
        set_reason(why, why_size, ENOMEM, "cannot replace '%s'", o->target);
        return -1;
    }
    /* An empty placeholder that rename() may replace atomically: the name
     * stays reserved until the old result takes it. */
    if (mkdtemp(old) == NULL) {
        set_reason(why, why_size, errno, "cannot create a directory beside '%s'", o->target);
        free(old);
        return -1;
    }
    if (rename(o->target, old) != 0) {
        set_reason(why, why_size, errno, "cannot move the previous result '%s' aside", o->target);
        rmdir(old);
        free(old);
        return -1;
    }
    if (rename(o->tmp, o->target) != 0) {
        int rename_errno = errno;
        if (rename(old, o->target) == 0)
            set_reason(why, why_size, rename_errno, "cannot move the new result into '%s'",
                       o->target);
        else
            set_reason(why, why_size, rename_errno,
                       "cannot move the new result into '%s' (the previous result is now "
                       "in '%s')", o->target, old);
        free(old);
        return -1;
    }
    if (remove_tree(old) != 0)
        set_reason(why, why_size, errno,
                   "the new result is in '%s', but the previous one could not be deleted "
                   "from '%s'", o->target, old);
    free(old);
    return 0;
}

char *outdir_subfolder(const struct outdir *o, const char *name, char *why, size_t why_size)
{
    char *path = outdir_file(o, name);
    if (path == NULL) {
        set_reason(why, why_size, ENOMEM, "cannot create the folder '%s'", name);
        return NULL;
    }
    struct outdir inside = {.tmp = path};
    if (mkdir(path, 0777) != 0 || write_marker(&inside) != 0) {
        set_reason(why, why_size, errno, "cannot create the folder '%s'", name);
        free(path);
        return NULL;
    }
    return path;
}

int outdir_commit(struct outdir *o, char *why, size_t why_size)
{
    clear_reason(why, why_size);
    if (o->tmp == NULL || o->target == NULL) {
        set_reason(why, why_size, EINVAL, "no temporary output directory to commit");
        return -1;
    }
    if (write_marker(o) != 0) {
        set_reason(why, why_size, errno, "cannot write the marker file in '%s'", o->tmp);
        outdir_abort(o);
        return -1;
    }
    /* mkdtemp made the directory private (0700); give the result the
     * permissions of any directory the user creates. */
    mode_t mask = umask(0);
    umask(mask);
    if (chmod(o->tmp, 0777 & ~mask) != 0) {
        set_reason(why, why_size, errno, "cannot set the permissions of '%s'", o->tmp);
        outdir_abort(o);
        return -1;
    }

    int result = -1;
    enum outdir_state state = outdir_inspect(o->target);
    int inspect_errno = errno;
    switch (state) {
    case OUTDIR_ABSENT:
    case OUTDIR_EMPTY:
        /* rename() replaces an empty directory atomically and fails if it
         * has gained content since it was inspected. */
        if (rename(o->tmp, o->target) == 0)
            result = 0;
        else
            set_reason(why, why_size, errno, "cannot move the results into '%s'", o->target);
        break;
    case OUTDIR_OURS:
        result = replace_ours(o, why, why_size);
        break;
    case OUTDIR_FOREIGN:
        set_reason(why, why_size, 0,
                   "'%s' already exists and was not written by avrrsim (it is not an "
                   "empty directory and holds no %s file); it was left untouched: choose "
                   "another output directory", o->target, OUTDIR_MARKER);
        break;
    case OUTDIR_UNREADABLE:
        set_reason(why, why_size, inspect_errno, "cannot inspect '%s'", o->target);
        break;
    }

    if (result == 0) {
        free(o->tmp);   /* it is the target now */
        o->tmp = NULL;
    } else {
        outdir_abort(o);
    }
    return result;
}

void outdir_abort(struct outdir *o)
{
    if (o->tmp == NULL)
        return;
    (void)remove_tree(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
}

void outdir_clear(struct outdir *o)
{
    free(o->target);
    free(o->tmp);
    o->target = NULL;
    o->tmp = NULL;
}

/* Deletes everything inside the directory open as fd (which it closes).
 * 0, or -1 with errno of the first failure (it carries on past failures). */
static int remove_contents(int fd)
{
    DIR *dir = fdopendir(fd);
    if (dir == NULL) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    int first_errno = 0;
    for (;;) {
        errno = 0;
        struct dirent *entry = readdir(dir);
        if (entry == NULL) {
            if (errno != 0 && first_errno == 0)
                first_errno = errno;
            break;
        }
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        struct stat info;
        if (fstatat(dirfd(dir), name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT && first_errno == 0)
                first_errno = errno;
            continue;
        }
        if (S_ISDIR(info.st_mode)) {
            /* O_NOFOLLOW: if it was swapped for a symlink meanwhile, fail
             * rather than descend into somewhere else. */
            int child = openat(dirfd(dir), name,
                               O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child < 0 || remove_contents(child) != 0) {
                if (first_errno == 0)
                    first_errno = errno;
                continue;
            }
            if (unlinkat(dirfd(dir), name, AT_REMOVEDIR) != 0 && first_errno == 0)
                first_errno = errno;
        } else if (unlinkat(dirfd(dir), name, 0) != 0 && errno != ENOENT && first_errno == 0) {
            first_errno = errno;
        }
    }
    closedir(dir);
    if (first_errno != 0) {
        errno = first_errno;
        return -1;
    }
    return 0;
}

int remove_tree(const char *path)
{
    struct stat info;
    if (lstat(path, &info) != 0)
        return -1;
    if (!S_ISDIR(info.st_mode))
        return unlink(path);   /* a symlink is removed, not followed */
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (remove_contents(fd) != 0)
        return -1;
    return rmdir(path);
}
