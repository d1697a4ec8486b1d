/* Unit tests for engine/outdir: inspecting targets, committing into absent,
 * empty and earlier-result directories, refusing foreign ones, aborting, and
 * remove_tree never following symbolic links. Everything happens in a
 * mkdtemp sandbox under /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "engine/outdir.h"

static const char EXPECTED_MARKER_TEXT[] =
    "This directory was written by avrrsim. The next avrrsim run into it replaces it whole.\n";

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

static int make_sandbox(void **state)
{
    char *sandbox = strdup("/tmp/avrrsim-test-outdir-XXXXXX");
    if (sandbox == NULL || mkdtemp(sandbox) == NULL) {
        free(sandbox);
        return -1;
    }
    *state = sandbox;
    return 0;
}

static int remove_one(const char *path, const struct stat *info, int type, struct FTW *ftw)
{
    (void)info;
    (void)ftw;
    if (type == FTW_DP)
        return rmdir(path);
    return unlink(path);
}

/* Independent of remove_tree, so a broken remove_tree cannot hide. */
static int remove_sandbox(void **state)
{
    char *sandbox = *state;
    int result = nftw(sandbox, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(sandbox);
    return result;
}

/* out = sandbox + "/" + relative */
static void in_sandbox(char out[PATH_MAX], void **state, const char *relative)
{
    int length = snprintf(out, PATH_MAX, "%s/%s", (const char *)*state, relative);
    assert_true(length > 0 && length < PATH_MAX);
}

static void write_text_file(const char *path, const char *text)
{
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    assert_true(fputs(text, out) >= 0);
    assert_int_equal(fclose(out), 0);
}

static void assert_file_text(const char *path, const char *expected)
{
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char buffer[1024];
    size_t got = fread(buffer, 1, sizeof buffer - 1, in);
    assert_false(ferror(in));
    fclose(in);
    buffer[got] = '\0';
    assert_string_equal(buffer, expected);
}

static int exists(const char *path)
{
    struct stat info;
    return lstat(path, &info) == 0;
}

static int is_directory(const char *path)
{
    struct stat info;
    return lstat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

/* dir holds exactly the names given (a NULL-terminated list). */
static void assert_entries(const char *dir, const char *const *names)
{
    size_t expected = 0;
    while (names[expected] != NULL)
        expected++;
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t seen = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        int known = 0;
        for (size_t i = 0; i < expected; i++)
            if (strcmp(entry->d_name, names[i]) == 0)
                known = 1;
        if (!known)
            print_error("unexpected entry '%s' in '%s'\n", entry->d_name, dir);
        assert_true(known);
        seen++;
    }
    closedir(d);
    assert_int_equal(seen, expected);
}

/* Writes "name" with text into the temporary directory. */
static void write_result(const struct outdir *o, const char *name, const char *text)
{
    char *path = outdir_file(o, name);
    assert_non_null(path);
    write_text_file(path, text);
    free(path);
}

static void test_inspect_states(void **state)
{
    char path[PATH_MAX], other[PATH_MAX];

    in_sandbox(path, state, "absent");
    assert_int_equal(outdir_inspect(path), OUTDIR_ABSENT);

    in_sandbox(path, state, "empty");
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(outdir_inspect(path), OUTDIR_EMPTY);

    in_sandbox(path, state, "file");
    write_text_file(path, "x");
    assert_int_equal(outdir_inspect(path), OUTDIR_FOREIGN);

    in_sandbox(path, state, "link-to-empty");
    in_sandbox(other, state, "empty");
    assert_int_equal(symlink(other, path), 0);
    assert_int_equal(outdir_inspect(path), OUTDIR_FOREIGN);

    in_sandbox(path, state, "ours");
    assert_int_equal(mkdir(path, 0700), 0);
    in_sandbox(path, state, "ours/" OUTDIR_MARKER);
    write_text_file(path, "anything");
    in_sandbox(path, state, "ours");
    assert_int_equal(outdir_inspect(path), OUTDIR_OURS);
    in_sandbox(path, state, "ours/results.csv");
    write_text_file(path, "a,b\n");
    in_sandbox(path, state, "ours");
    assert_int_equal(outdir_inspect(path), OUTDIR_OURS);

    in_sandbox(path, state, "foreign");
    assert_int_equal(mkdir(path, 0700), 0);
    in_sandbox(path, state, "foreign/thesis.tex");
    write_text_file(path, "precious");
    in_sandbox(path, state, "foreign");
    assert_int_equal(outdir_inspect(path), OUTDIR_FOREIGN);

    /* a marker that is a directory, or a symlink, does not make it ours */
    in_sandbox(path, state, "marker-dir");
    assert_int_equal(mkdir(path, 0700), 0);
    in_sandbox(path, state, "marker-dir/" OUTDIR_MARKER);
    assert_int_equal(mkdir(path, 0700), 0);
    in_sandbox(path, state, "marker-dir");
    assert_int_equal(outdir_inspect(path), OUTDIR_FOREIGN);

    in_sandbox(path, state, "marker-link");
    assert_int_equal(mkdir(path, 0700), 0);
    in_sandbox(path, state, "marker-link/" OUTDIR_MARKER);
    in_sandbox(other, state, "ours/" OUTDIR_MARKER);
    assert_int_equal(symlink(other, path), 0);
    in_sandbox(path, state, "marker-link");
    assert_int_equal(outdir_inspect(path), OUTDIR_FOREIGN);

    /* lstat fails with something other than ENOENT */
    in_sandbox(path, state, "file/below-a-file");
    assert_int_equal(outdir_inspect(path), OUTDIR_UNREADABLE);
}

static void assert_committed(const char *target, const char *parent, const char *base)
{
    assert_true(is_directory(target));
    assert_int_equal(outdir_inspect(target), OUTDIR_OURS);
    char marker[PATH_MAX];
    snprintf(marker, sizeof marker, "%s/%s", target, OUTDIR_MARKER);
    assert_file_text(marker, EXPECTED_MARKER_TEXT);
    const char *const only_target[] = {base, NULL};
    assert_entries(parent, only_target);   /* no .tmp- or .old- leftovers */
}

static void test_commit_into_absent_with_missing_parents(void **state)
{
    char target[PATH_MAX], parent[PATH_MAX], given[PATH_MAX];
    in_sandbox(target, state, "a/b/c/out");
    in_sandbox(parent, state, "a/b/c");
    in_sandbox(given, state, "a/b/c/out//");

    struct outdir o;
    char why[512];
    assert_int_equal(outdir_begin(&o, given, why, sizeof why), 0);
    assert_string_equal(o.target, target);
    assert_non_null(o.tmp);
    assert_true(is_directory(o.tmp));
    char tmp_prefix[PATH_MAX];
    in_sandbox(tmp_prefix, state, "a/b/c/.out.tmp-");
    assert_int_equal(strncmp(o.tmp, tmp_prefix, strlen(tmp_prefix)), 0);
    assert_int_equal(strlen(o.tmp), strlen(tmp_prefix) + 6);
    assert_false(exists(target));

    char *file = outdir_file(&o, "results.csv");
    assert_non_null(file);
    char expected_file[PATH_MAX];
    snprintf(expected_file, sizeof expected_file, "%s/results.csv", o.tmp);
    assert_string_equal(file, expected_file);
    free(file);

    write_result(&o, "results.csv", "x,y\n1,2\n");
    assert_int_equal(outdir_commit(&o, why, sizeof why), 0);
    assert_null(o.tmp);

    assert_committed(target, parent, "out");
    char path[PATH_MAX];
    in_sandbox(path, state, "a/b/c/out/results.csv");
    assert_file_text(path, "x,y\n1,2\n");
    const char *const contents[] = {"results.csv", OUTDIR_MARKER, NULL};
    assert_entries(target, contents);

    outdir_abort(&o);   /* harmless after a commit */
    assert_true(is_directory(target));
    outdir_clear(&o);
    assert_null(o.target);
}

static void test_commit_into_empty(void **state)
{
    char target[PATH_MAX];
    in_sandbox(target, state, "empty");
    assert_int_equal(mkdir(target, 0700), 0);

    struct outdir o;
    char why[512];
    assert_int_equal(outdir_begin(&o, target, why, sizeof why), 0);
    write_result(&o, "summary.json", "{}\n");
    assert_int_equal(outdir_commit(&o, why, sizeof why), 0);
    assert_committed(target, (const char *)*state, "empty");
    char path[PATH_MAX];
    in_sandbox(path, state, "empty/summary.json");
    assert_file_text(path, "{}\n");
    outdir_clear(&o);
}

static void test_commit_replaces_ours(void **state)
{
    char target[PATH_MAX], path[PATH_MAX];
    in_sandbox(target, state, "results");
    assert_int_equal(mkdir(target, 0700), 0);
    in_sandbox(path, state, "results/" OUTDIR_MARKER);
    write_text_file(path, EXPECTED_MARKER_TEXT);
    in_sandbox(path, state, "results/old.csv");
    write_text_file(path, "old\n");
    in_sandbox(path, state, "results/plots");
    assert_int_equal(mkdir(path, 0700), 0);
    in_sandbox(path, state, "results/plots/old.svg");
    write_text_file(path, "<svg/>");

    for (int run = 0; run < 2; run++) {   /* the second run replaces the first */
        struct outdir o;
        char why[512];
        assert_int_equal(outdir_begin(&o, target, why, sizeof why), 0);
        write_result(&o, "new.csv", run == 0 ? "first\n" : "second\n");
        assert_int_equal(outdir_commit(&o, why, sizeof why), 0);
        assert_string_equal(why, "");
        outdir_clear(&o);

        assert_committed(target, (const char *)*state, "results");
        const char *const contents[] = {"new.csv", OUTDIR_MARKER, NULL};
        assert_entries(target, contents);
        in_sandbox(path, state, "results/new.csv");
        assert_file_text(path, run == 0 ? "first\n" : "second\n");
    }
}

static void test_commit_refuses_foreign_directory(void **state)
{
    char target[PATH_MAX], path[PATH_MAX];
    in_sandbox(target, state, "thesis");
    assert_int_equal(mkdir(target, 0700), 0);
    in_sandbox(path, state, "thesis/chapter1.tex");
    write_text_file(path, "precious words");

    struct outdir o;
    char why[512];
    assert_int_equal(outdir_begin(&o, target, why, sizeof why), 0);
    write_result(&o, "results.csv", "x\n");
    assert_int_equal(outdir_commit(&o, why, sizeof why), -1);
    assert_non_null(strstr(why, target));
    assert_non_null(strstr(why, "not written by avrrsim"));
    assert_null(o.tmp);

    assert_file_text(path, "precious words");
    const char *const contents[] = {"chapter1.tex", NULL};
    assert_entries(target, contents);
    const char *const siblings[] = {"thesis", NULL};
    assert_entries((const char *)*state, siblings);   /* tmp removed */
    outdir_clear(&o);
}

static void test_commit_refuses_file_and_symlink(void **state)
{
    char target[PATH_MAX], empty[PATH_MAX];
    in_sandbox(target, state, "a-file");
    write_text_file(target, "keep me");
    in_sandbox(empty, state, "empty");
    assert_int_equal(mkdir(empty, 0700), 0);

    struct outdir o;
    char why[512];
    assert_int_equal(outdir_begin(&o, target, why, sizeof why), 0);
    assert_int_equal(outdir_commit(&o, why, sizeof why), -1);
    assert_true(why[0] != '\0');
    assert_file_text(target, "keep me");
    outdir_clear(&o);

    /* a symlink to an empty directory is not used either */
    char link[PATH_MAX];
    in_sandbox(link, state, "link");
    assert_int_equal(symlink(empty, link), 0);
    assert_int_equal(outdir_begin(&o, link, why, sizeof why), 0);
    assert_int_equal(outdir_commit(&o, why, sizeof why), -1);
    const char *const nothing[] = {NULL};
    assert_entries(empty, nothing);
    const char *const siblings[] = {"a-file", "empty", "link", NULL};
    assert_entries((const char *)*state, siblings);
    outdir_clear(&o);
}

static void test_abort_removes_tmp(void **state)
{
    char target[PATH_MAX];
    in_sandbox(target, state, "out");
    struct outdir o;
    char why[512];
    assert_int_equal(outdir_begin(&o, target, why, sizeof why), 0);
    write_result(&o, "partial.csv", "1\n");
    char *subdir = outdir_file(&o, "sub");
    assert_non_null(subdir);
    assert_int_equal(mkdir(subdir, 0700), 0);
    free(subdir);
    char *tmp = strdup(o.tmp);
    assert_non_null(tmp);

    outdir_abort(&o);
    assert_null(o.tmp);
    assert_false(exists(tmp));
    assert_false(exists(target));
    outdir_abort(&o);   /* twice is safe */
    const char *const nothing[] = {NULL};
    assert_entries((const char *)*state, nothing);
    free(tmp);
    outdir_clear(&o);
}

static void test_begin_failures(void **state)
{
    char path[PATH_MAX];
    struct outdir o;
    char why[512];

    in_sandbox(path, state, "plain-file");
    write_text_file(path, "x");
    in_sandbox(path, state, "plain-file/sub/out");
    assert_int_equal(outdir_begin(&o, path, why, sizeof why), -1);
    assert_non_null(strstr(why, "plain-file"));
    assert_null(o.target);
    assert_null(o.tmp);
    outdir_clear(&o);

    assert_int_equal(outdir_begin(&o, "/", why, sizeof why), -1);
    assert_true(why[0] != '\0');
    assert_int_equal(outdir_begin(&o, "", why, sizeof why), -1);
    in_sandbox(path, state, "..");
    assert_int_equal(outdir_begin(&o, path, why, sizeof why), -1);
    in_sandbox(path, state, ".");
    assert_int_equal(outdir_begin(&o, path, why, sizeof why), -1);
    const char *const only_file[] = {"plain-file", NULL};
    assert_entries((const char *)*state, only_file);

    /* commit without begin */
    o.target = NULL;
    o.tmp = NULL;
    assert_int_equal(outdir_commit(&o, why, sizeof why), -1);
    assert_true(why[0] != '\0');
}

static void test_relative_target(void **state)
{
    int cwd = open(".", O_RDONLY | O_DIRECTORY);
    assert_true(cwd >= 0);
    assert_int_equal(chdir((const char *)*state), 0);

    struct outdir o;
    char why[512];
    int begun = outdir_begin(&o, "rel/", why, sizeof why);
    int tmp_named_beside = 0;
    if (begun == 0) {
        tmp_named_beside = strncmp(o.tmp, ".rel.tmp-", 9) == 0 && strlen(o.tmp) == 15
                           && strcmp(o.target, "rel") == 0;
        write_result(&o, "r.csv", "r\n");
        begun = outdir_commit(&o, why, sizeof why);
    }
    outdir_clear(&o);
    assert_int_equal(fchdir(cwd), 0);   /* back before any assertion can fail */
    close(cwd);

    assert_int_equal(begun, 0);
    assert_true(tmp_named_beside);
    char path[PATH_MAX];
    in_sandbox(path, state, "rel/r.csv");
    assert_file_text(path, "r\n");
    in_sandbox(path, state, "rel/" OUTDIR_MARKER);
    assert_file_text(path, EXPECTED_MARKER_TEXT);
    const char *const only_rel[] = {"rel", NULL};
    assert_entries((const char *)*state, only_rel);
}

static void test_remove_tree_does_not_follow_symlinks(void **state)
{
    char path[PATH_MAX], outside[PATH_MAX], tree[PATH_MAX], keep[PATH_MAX];
    in_sandbox(outside, state, "outside");
    assert_int_equal(mkdir(outside, 0700), 0);
    in_sandbox(keep, state, "outside/keep.txt");
    write_text_file(keep, "keep");

    in_sandbox(tree, state, "tree");
    assert_int_equal(mkdir(tree, 0700), 0);
    in_sandbox(path, state, "tree/sub");
    assert_int_equal(mkdir(path, 0700), 0);
    in_sandbox(path, state, "tree/sub/deeper");
    assert_int_equal(mkdir(path, 0700), 0);
    in_sandbox(path, state, "tree/sub/deeper/file.txt");
    write_text_file(path, "gone");
    in_sandbox(path, state, "tree/sub/dir-link");
    assert_int_equal(symlink(outside, path), 0);
    in_sandbox(path, state, "tree/file-link");
    assert_int_equal(symlink(keep, path), 0);
    in_sandbox(path, state, "tree/dangling");
    assert_int_equal(symlink("/nonexistent-avrrsim", path), 0);

    assert_int_equal(remove_tree(tree), 0);
    assert_false(exists(tree));
    assert_true(is_directory(outside));
    assert_file_text(keep, "keep");

    /* a symlink given as the root is removed itself, not followed */
    in_sandbox(path, state, "root-link");
    assert_int_equal(symlink(outside, path), 0);
    assert_int_equal(remove_tree(path), 0);
    assert_false(exists(path));
    assert_file_text(keep, "keep");

    errno = 0;
    assert_int_equal(remove_tree(tree), -1);
    assert_int_equal(errno, ENOENT);
}

#define SANDBOXED(test) cmocka_unit_test_setup_teardown(test, make_sandbox, remove_sandbox)

int main(void)
{
    const struct CMUnitTest tests[] = {
        SANDBOXED(test_inspect_states),
        SANDBOXED(test_commit_into_absent_with_missing_parents),
        SANDBOXED(test_commit_into_empty),
        SANDBOXED(test_commit_replaces_ours),
        SANDBOXED(test_commit_refuses_foreign_directory),
        SANDBOXED(test_commit_refuses_file_and_symlink),
        SANDBOXED(test_abort_removes_tmp),
        SANDBOXED(test_begin_failures),
        SANDBOXED(test_relative_target),
        SANDBOXED(test_remove_tree_does_not_follow_symlinks),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
