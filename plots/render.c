/* render: runs gnuplot on every chart script of a results folder, as
 * `gnuplot -d -e 'formats = "png svg pdf"' plots/NAME.gp` in that folder.
 * gnuplot is found on PATH here and started with fork and execv and an
 * argument vector, never through a shell; its standard output and error are
 * captured, and anything it prints (a warning is as bad as an error: a chart
 * drawn after a warning is wrong) makes the rendering fail. */
#include "plots/plots.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plots/plot_util.h"

enum { MAX_CAPTURE = 16384 };   /* bytes of gnuplot's output kept for the reason */

static const struct {
    unsigned bit;
    const char *word;
} format_names[] = {
    {PLOT_PNG, "png"},
    {PLOT_SVG, "svg"},
    {PLOT_PDF, "pdf"},
};

#define FORMAT_COUNT (sizeof format_names / sizeof format_names[0])

/* The path of an executable gnuplot on PATH, malloc'd; NULL when there is
 * none (errno ENOENT) or memory ran out (errno ENOMEM). */
static char *find_gnuplot(void)
{
    const char *path_list = getenv("PATH");
    if (path_list == NULL)
        path_list = "/usr/local/bin:/usr/bin:/bin";
    const char *entry = path_list;
    for (;;) {
        const char *end = strchr(entry, ':');
        size_t length = end != NULL ? (size_t)(end - entry) : strlen(entry);
        char *candidate = malloc(length + sizeof "/gnuplot" + 1);
        if (candidate == NULL) {
            errno = ENOMEM;
            return NULL;
        }
        if (length == 0) {
            memcpy(candidate, ".", 2);   /* an empty entry is the current folder */
        } else {
            memcpy(candidate, entry, length);
            candidate[length] = '\0';
        }
        strcat(candidate, "/gnuplot");
        struct stat info;
        if (stat(candidate, &info) == 0 && S_ISREG(info.st_mode) && access(candidate, X_OK) == 0)
            return candidate;
        free(candidate);
        if (end == NULL)
            break;
        entry = end + 1;
    }
    errno = ENOENT;
    return NULL;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *text, const char *suffix)
{
    size_t length = strlen(text), suffix_length = strlen(suffix);
    return length > suffix_length && strcmp(text + length - suffix_length, suffix) == 0;
}

/* The chart names (NAME of DIR/plots/NAME.gp), sorted, malloc'd; *count of them.
 * -1 with a reason. */
static int list_scripts(const char *dir, char ***names_out, size_t *count, char *why, size_t why_size)
{
    *names_out = NULL;
    *count = 0;
    char *plots_dir = plot_path(dir, "plots");
    if (plots_dir == NULL) {
        plot_reason(why, why_size, ENOMEM, "cannot list the chart scripts");
        return -1;
    }
    DIR *listing = opendir(plots_dir);
    if (listing == NULL) {
        plot_reason(why, why_size, errno, "cannot open %s", plots_dir);
        free(plots_dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, capacity = 0;
    int result = 0;
    struct dirent *entry;
    while ((entry = readdir(listing)) != NULL) {
        if (!ends_with(entry->d_name, ".gp"))
            continue;
        if (n == capacity) {
            size_t new_capacity = capacity == 0 ? 16 : capacity * 2;
            char **grown = realloc(names, new_capacity * sizeof *grown);
            if (grown == NULL) {
                result = -1;
                break;
            }
            names = grown;
            capacity = new_capacity;
        }
        size_t length = strlen(entry->d_name) - 3;
        names[n] = malloc(length + 1);
        if (names[n] == NULL) {
            result = -1;
            break;
        }
        memcpy(names[n], entry->d_name, length);
        names[n][length] = '\0';
        n++;
    }
    closedir(listing);
    if (result != 0) {
        plot_reason(why, why_size, ENOMEM, "cannot list %s", plots_dir);
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        free(plots_dir);
        return -1;
    }
    if (n == 0) {
        plot_reason(why, why_size, 0, "no chart scripts in %s", plots_dir);
        free(names);
        free(plots_dir);
        return -1;
    }
    free(plots_dir);
    qsort(names, n, sizeof *names, compare_names);
    *names_out = names;
    *count = n;
    return 0;
}

/* In the child, after fork: only async-signal-safe calls. Never returns. */
static void run_child(const char *dir, const char *gnuplot, char *const argv[], int output_fd)
{
    static const char cannot_enter[] = "cannot enter the results folder\n";
    static const char cannot_run[] = "cannot run gnuplot\n";
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0 && null_fd != STDIN_FILENO) {
        dup2(null_fd, STDIN_FILENO);
        close(null_fd);
    }
    if (dup2(output_fd, STDOUT_FILENO) < 0 || dup2(output_fd, STDERR_FILENO) < 0)
        _exit(127);
    if (chdir(dir) != 0) {
        ssize_t ignored = write(STDERR_FILENO, cannot_enter, sizeof cannot_enter - 1);
        (void)ignored;
        _exit(127);
    }
    execv(gnuplot, argv);
    ssize_t ignored = write(STDERR_FILENO, cannot_run, sizeof cannot_run - 1);
    (void)ignored;
    _exit(127);
}

/* Reads the child's output until it closes its end: the first MAX_CAPTURE bytes
 * into capture (NUL-terminated), the count of all bytes into *total. */
static void read_output(int fd, char *capture, size_t *total)
{
    size_t kept = 0;
    *total = 0;
    char buffer[4096];
    for (;;) {
        ssize_t got = read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        size_t room = MAX_CAPTURE - kept;
        size_t take = (size_t)got < room ? (size_t)got : room;
        memcpy(capture + kept, buffer, take);
        kept += take;
        *total += (size_t)got;
    }
    capture[kept] = '\0';
}

static void set_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0)
        fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* Renders one script. PLOT_RENDERED or PLOT_FAILED with a reason. */
static enum plot_render_status render_script(const char *dir, const char *gnuplot, const char *name,
                                             const char *formats_command, unsigned formats,
                                             char *why, size_t why_size)
{
    size_t script_size = strlen(name) + sizeof "plots/.gp";
    char *script = malloc(script_size);
    char *capture = malloc(MAX_CAPTURE + 1);
    if (script == NULL || capture == NULL) {
        free(script);
        free(capture);
        plot_reason(why, why_size, ENOMEM, "cannot render %s", name);
        return PLOT_FAILED;
    }
    snprintf(script, script_size, "plots/%s.gp", name);
    /* -d: no initialisation file of the user's; -e: the formats before the script */
    char program[] = "gnuplot", defaults[] = "-d", execute[] = "-e";
    char *argv[] = {program, defaults, execute, (char *)formats_command, script, NULL};
    enum plot_render_status status = PLOT_FAILED;

    int fds[2];
    if (pipe(fds) != 0) {
        plot_reason(why, why_size, errno, "cannot render %s", script);
        goto done;
    }
    set_cloexec(fds[0]);
    set_cloexec(fds[1]);
    pid_t child = fork();
    if (child < 0) {
        plot_reason(why, why_size, errno, "cannot render %s", script);
        close(fds[0]);
        close(fds[1]);
        goto done;
    }
    if (child == 0)
        run_child(dir, gnuplot, argv, fds[1]);
    close(fds[1]);
    size_t total = 0;
    read_output(fds[0], capture, &total);
    close(fds[0]);
    int wait_status = 0;
    pid_t waited;
    do {
        waited = waitpid(child, &wait_status, 0);
    } while (waited < 0 && errno == EINTR);
    if (waited < 0) {
        plot_reason(why, why_size, errno, "cannot render %s", script);
        goto done;
    }
    size_t length = strlen(capture);
    while (length > 0 && (capture[length - 1] == '\n' || capture[length - 1] == ' '))
        capture[--length] = '\0';
    if (total > 0) {
        plot_reason(why, why_size, 0, "%s: gnuplot: %s%s", script, capture,
                    total > MAX_CAPTURE ? " ..." : "");
        goto done;
    }
    if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
        if (WIFSIGNALED(wait_status))
            plot_reason(why, why_size, 0, "%s: gnuplot was killed by signal %d", script,
                        WTERMSIG(wait_status));
        else
            plot_reason(why, why_size, 0, "%s: gnuplot exited with status %d", script,
                        WEXITSTATUS(wait_status));
        goto done;
    }
    /* Every chosen file must be there, and not empty. */
    for (size_t i = 0; i < FORMAT_COUNT; i++) {
        if ((formats & format_names[i].bit) == 0)
            continue;
        char relative[300];
        snprintf(relative, sizeof relative, "plots/%s.%s", name, format_names[i].word);
        char *output = plot_path(dir, relative);
        if (output == NULL) {
            plot_reason(why, why_size, ENOMEM, "cannot render %s", script);
            goto done;
        }
        struct stat info;
        bool present = stat(output, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0;
        free(output);
        if (!present) {
            plot_reason(why, why_size, 0, "%s: gnuplot wrote no %s", script, relative);
            goto done;
        }
    }
    status = PLOT_RENDERED;
done:
    free(script);
    free(capture);
    return status;
}

enum plot_render_status plots_render(const char *dir, unsigned formats, char *why, size_t why_size)
{
    unsigned all = 0;
    for (size_t i = 0; i < FORMAT_COUNT; i++)
        all |= format_names[i].bit;
    if (dir == NULL || formats == 0 || (formats & ~all) != 0) {
        plot_reason(why, why_size, 0, "no output format chosen (png, svg, pdf)");
        return PLOT_FAILED;
    }
    char formats_command[64] = "formats = \"";
    bool first = true;
    for (size_t i = 0; i < FORMAT_COUNT; i++) {
        if ((formats & format_names[i].bit) == 0)
            continue;
        if (!first)
            strcat(formats_command, " ");
        strcat(formats_command, format_names[i].word);
        first = false;
    }
    strcat(formats_command, "\"");

    char *gnuplot = find_gnuplot();
    if (gnuplot == NULL) {
        if (errno == ENOENT) {
            plot_reason(why, why_size, 0, "gnuplot is not on PATH");
            return PLOT_NO_GNUPLOT;
        }
        plot_reason(why, why_size, errno, "cannot look for gnuplot");
        return PLOT_FAILED;
    }
    char **names = NULL;
    size_t count = 0;
    enum plot_render_status status = PLOT_FAILED;
    if (list_scripts(dir, &names, &count, why, why_size) == 0) {
        status = PLOT_RENDERED;
        for (size_t i = 0; i < count && status == PLOT_RENDERED; i++)
            status = render_script(dir, gnuplot, names[i], formats_command, formats, why, why_size);
        for (size_t i = 0; i < count; i++)
            free(names[i]);
        free(names);
    }
    free(gnuplot);
    return status;
}
