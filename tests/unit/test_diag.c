/* Unit tests for engine/diag: the exact printed text (header forms, quoted
 * source line, caret alignment with tabs and UTF-8), sources registered or
 * read from disk, CR stripping, the 200-byte cut, and control characters. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "engine/diag.h"

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

/* Everything diag_print writes for list, malloc'd. */
static char *printed(const diag_list *list)
{
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    assert_non_null(out);
    diag_print(list, out);
    assert_int_equal(fclose(out), 0);
    assert_non_null(text);
    return text;
}

static void assert_printed(const diag_list *list, const char *expected)
{
    char *text = printed(list);
    assert_string_equal(text, expected);
    free(text);
}

/* A temporary file holding text; its path is returned (malloc'd). */
static char *temp_file(const char *text, size_t length)
{
    char *path = strdup("/tmp/avrrsim-test-diag-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, length), (ssize_t)length);
    assert_int_equal(close(fd), 0);
    return path;
}

static void test_caret_under_column(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    const char *text = "name: test\nbad: [x, y\n";
    diag_add_source(list, "s.yaml", text, strlen(text));
    diag_add(list, "s.yaml", 2, 6, "expected %s, got %d", "a map", 3);
    assert_int_equal(diag_count(list), 1);
    const struct diag *d = diag_at(list, 0);
    assert_non_null(d);
    assert_string_equal(d->file, "s.yaml");
    assert_int_equal(d->line, 2);
    assert_int_equal(d->column, 6);
    assert_string_equal(d->message, "expected a map, got 3");
    assert_null(diag_at(list, 1));
    assert_false(diag_out_of_memory(list));
    assert_printed(list,
                   "s.yaml:2:6: error: expected a map, got 3\n"
                   "    bad: [x, y\n"
                   "         ^\n");
    diag_list_free(list);
}

static void test_column_one_and_order(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    const char *text = "a: 1\nb: 2\nc: 3";
    diag_add_source(list, "f", text, strlen(text));
    diag_add(list, "f", 3, 1, "third line");
    diag_add(list, "f", 1, 4, "first line");
    assert_int_equal(diag_count(list), 2);
    assert_string_equal(diag_at(list, 0)->message, "third line");
    assert_string_equal(diag_at(list, 1)->message, "first line");
    assert_printed(list,
                   "f:3:1: error: third line\n"
                   "    c: 3\n"
                   "    ^\n"
                   "f:1:4: error: first line\n"
                   "    a: 1\n"
                   "       ^\n");
    diag_list_free(list);
}

static void test_tabs_kept_in_caret_line(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    const char *text = "\tkey:\tvalue\n";
    diag_add_source(list, "t.yaml", text, strlen(text));
    diag_add(list, "t.yaml", 1, 7, "here");
    assert_printed(list,
                   "t.yaml:1:7: error: here\n"
                   "    \tkey:\tvalue\n"
                   "    \t    \t^\n");
    diag_list_free(list);
}

static void test_line_zero_prints_no_source(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    const char *text = "a: 1\n";
    diag_add_source(list, "big.yaml", text, strlen(text));
    diag_add(list, "big.yaml", 0, 5, "file larger than 16 MiB");
    assert_int_equal(diag_at(list, 0)->line, 0);
    assert_int_equal(diag_at(list, 0)->column, 0);
    assert_printed(list, "big.yaml: error: file larger than 16 MiB\n");
    diag_list_free(list);
}

static void test_column_zero_prints_line_without_caret(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    const char *text = "one\ntwo\n";
    diag_add_source(list, "c.yaml", text, strlen(text));
    diag_add(list, "c.yaml", 2, 0, "whole line");
    assert_printed(list,
                   "c.yaml:2: error: whole line\n"
                   "    two\n");
    diag_list_free(list);
}

static void test_unknown_source_prints_header_only(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    diag_add(list, "/nonexistent/avrrsim/none.yaml", 3, 2, "missing");
    diag_add(list, NULL, 0, 0, "no file at all");
    assert_printed(list,
                   "/nonexistent/avrrsim/none.yaml:3:2: error: missing\n"
                   "error: no file at all\n");
    diag_list_free(list);
}

static void test_line_past_end_is_not_quoted(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    const char *text = "a: [1\n";
    diag_add_source(list, "e.yaml", text, strlen(text));
    diag_add(list, "e.yaml", 2, 1, "at the end");   /* empty line after the last newline */
    diag_add(list, "e.yaml", 9, 1, "far");
    diag_add_source(list, "empty", "", 0);
    diag_add(list, "empty", 1, 1, "nothing there");
    assert_printed(list,
                   "e.yaml:2:1: error: at the end\n"
                   "e.yaml:9:1: error: far\n"
                   "empty:1:1: error: nothing there\n");
    diag_list_free(list);
}

static void test_empty_line_in_the_middle_is_quoted(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    const char *text = "a\n\nb\n";
    diag_add_source(list, "m", text, strlen(text));
    diag_add(list, "m", 2, 1, "blank");
    assert_printed(list, "m:2:1: error: blank\n    \n    ^\n");
    diag_list_free(list);
}

static void test_file_read_from_disk_with_crlf(void **state)
{
    (void)state;
    const char *text = "first: 1\r\nsecond:\tx\r\nthird: 3\r\n";
    char *path = temp_file(text, strlen(text));
    diag_list *list = diag_list_new();
    assert_non_null(list);
    diag_add(list, path, 2, 9, "from disk");
    diag_add(list, path, 3, 0, "no caret");
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s:2:9: error: from disk\n"
             "    second:\tx\n"
             "           \t^\n"
             "%s:3: error: no caret\n"
             "    third: 3\n",
             path, path);
    assert_printed(list, expected);
    diag_list_free(list);
    unlink(path);
    free(path);
}

static void test_registered_source_wins_over_disk(void **state)
{
    (void)state;
    const char *on_disk = "disk line\n";
    char *path = temp_file(on_disk, strlen(on_disk));
    diag_list *list = diag_list_new();
    assert_non_null(list);
    diag_add_source(list, path, "memory line\n", 12);
    diag_add(list, path, 1, 1, "which");
    char expected[512];
    snprintf(expected, sizeof expected, "%s:1:1: error: which\n    memory line\n    ^\n", path);
    assert_printed(list, expected);
    diag_list_free(list);
    unlink(path);
    free(path);
}

static void test_source_current_when_diag_was_added(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    diag_add_source(list, "--set", "{dist: gama}", 12);
    diag_add(list, "--set", 1, 8, "unknown distribution");
    diag_add_source(list, "--set", "0.5x", 4);
    diag_add(list, "--set", 1, 1, "not a number");
    assert_printed(list,
                   "--set:1:8: error: unknown distribution\n"
                   "    {dist: gama}\n"
                   "           ^\n"
                   "--set:1:1: error: not a number\n"
                   "    0.5x\n"
                   "    ^\n");
    diag_list_free(list);
}

static void test_cr_stripped_from_registered_line(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    const char *text = "a: 1\r\nb: 2\r\n";
    diag_add_source(list, "w", text, strlen(text));
    diag_add(list, "w", 1, 4, "cr");
    assert_printed(list, "w:1:4: error: cr\n    a: 1\n       ^\n");
    diag_list_free(list);
}

static void test_long_line_cut_at_200_bytes(void **state)
{
    (void)state;
    char line[301];
    for (int i = 0; i < 300; i++)
        line[i] = (char)('a' + i % 26);
    line[300] = '\0';
    diag_list *list = diag_list_new();
    assert_non_null(list);
    diag_add_source(list, "long", line, 300);
    diag_add(list, "long", 1, 10, "early");
    diag_add(list, "long", 1, 250, "past the cut");

    char shown[201];
    memcpy(shown, line, 200);
    shown[200] = '\0';
    char spaces[256];
    memset(spaces, ' ', sizeof spaces);
    char expected[2048];
    snprintf(expected, sizeof expected,
             "long:1:10: error: early\n"
             "    %s...\n"
             "    %.*s^\n"
             "long:1:250: error: past the cut\n"
             "    %s...\n"
             "    %.*s^\n",
             shown, 9, spaces, shown, 200, spaces);
    assert_printed(list, expected);
    diag_list_free(list);
}

static void test_cut_does_not_split_a_character(void **state)
{
    (void)state;
    /* 199 ASCII bytes, then "é" (2 bytes) across the 200-byte limit. */
    char line[260];
    memset(line, 'x', 199);
    memcpy(line + 199, "\xC3\xA9", 2);
    memset(line + 201, 'y', 20);
    line[221] = '\0';
    diag_list *list = diag_list_new();
    assert_non_null(list);
    diag_add_source(list, "u", line, strlen(line));
    diag_add(list, "u", 1, 0, "cut");
    char expected[512];
    snprintf(expected, sizeof expected, "u:1: error: cut\n    %.199s...\n", line);
    assert_printed(list, expected);
    diag_list_free(list);
}

static void test_line_of_200_bytes_and_cr_is_not_cut(void **state)
{
    (void)state;
    char text[210];
    memset(text, 'z', 200);
    memcpy(text + 200, "\r\n", 3);
    diag_list *list = diag_list_new();
    assert_non_null(list);
    diag_add_source(list, "z", text, strlen(text));
    diag_add(list, "z", 1, 0, "exact");
    char expected[512];
    snprintf(expected, sizeof expected, "z:1: error: exact\n    %.200s\n", text);
    assert_printed(list, expected);
    diag_list_free(list);
}

static void test_control_characters_replaced(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    /* ESC, a C1 CSI (U+009B), DEL, a stray continuation byte and a bare CR. */
    const char text[] = "a\x1b[2Jb\xC2\x9B\x7f\x80\rc: 1\n";
    diag_add_source(list, "ctl", text, strlen(text));
    diag_add(list, "ctl", 1, 11, "bad \x1b[31mkey\x07 and\ta tab\nsecond line");
    assert_printed(list,
                   "ctl:1:11: error: bad ?[31mkey? and\ta tab\nsecond line\n"
                   "    a?[2Jb????c: 1\n"
                   "              ^\n");
    diag_list_free(list);
}

static void test_utf8_characters_count_as_one_column(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    const char *text = "\xEF\xBB\xBF" "\xC3\xBC\xC3\xBC: {a: 1, a: 2}\n";   /* BOM, "üü" */
    diag_add_source(list, "u.yaml", text, strlen(text));
    diag_add(list, "u.yaml", 1, 12, "duplicate key 'a' (first at line 1)");
    assert_printed(list,
                   "u.yaml:1:12: error: duplicate key 'a' (first at line 1)\n"
                   "    \xC3\xBC\xC3\xBC: {a: 1, a: 2}\n"
                   "               ^\n");
    diag_list_free(list);
}

static void test_caret_past_end_of_short_line(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    diag_add_source(list, "s", "ab\n", 3);
    diag_add(list, "s", 1, 3, "just after");
    diag_add(list, "s", 1, 40, "far after");
    assert_printed(list,
                   "s:1:3: error: just after\n    ab\n      ^\n"
                   "s:1:40: error: far after\n    ab\n      ^\n");
    diag_list_free(list);
}

static void test_null_list_is_harmless(void **state)
{
    (void)state;
    diag_add(NULL, "f", 1, 1, "x");
    diag_add_source(NULL, "f", "x", 1);
    assert_int_equal(diag_count(NULL), 0);
    assert_null(diag_at(NULL, 0));
    assert_false(diag_out_of_memory(NULL));
    diag_list_free(NULL);
    assert_printed(NULL, "");
}

static void test_many_diagnostics_kept_in_order(void **state)
{
    (void)state;
    diag_list *list = diag_list_new();
    assert_non_null(list);
    for (int i = 0; i < 1000; i++)
        diag_add(list, "many", i + 1, 0, "problem %d", i);
    assert_int_equal(diag_count(list), 1000);
    for (int i = 0; i < 1000; i++) {
        char expected[32];
        snprintf(expected, sizeof expected, "problem %d", i);
        assert_string_equal(diag_at(list, (size_t)i)->message, expected);
        assert_int_equal(diag_at(list, (size_t)i)->line, i + 1);
    }
    diag_list_free(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caret_under_column),
        cmocka_unit_test(test_column_one_and_order),
        cmocka_unit_test(test_tabs_kept_in_caret_line),
        cmocka_unit_test(test_line_zero_prints_no_source),
        cmocka_unit_test(test_column_zero_prints_line_without_caret),
        cmocka_unit_test(test_unknown_source_prints_header_only),
        cmocka_unit_test(test_line_past_end_is_not_quoted),
        cmocka_unit_test(test_empty_line_in_the_middle_is_quoted),
        cmocka_unit_test(test_file_read_from_disk_with_crlf),
        cmocka_unit_test(test_registered_source_wins_over_disk),
        cmocka_unit_test(test_source_current_when_diag_was_added),
        cmocka_unit_test(test_cr_stripped_from_registered_line),
        cmocka_unit_test(test_long_line_cut_at_200_bytes),
        cmocka_unit_test(test_cut_does_not_split_a_character),
        cmocka_unit_test(test_line_of_200_bytes_and_cr_is_not_cut),
        cmocka_unit_test(test_control_characters_replaced),
        cmocka_unit_test(test_utf8_characters_count_as_one_column),
        cmocka_unit_test(test_caret_past_end_of_short_line),
        cmocka_unit_test(test_null_list_is_harmless),
        cmocka_unit_test(test_many_diagnostics_kept_in_order),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
