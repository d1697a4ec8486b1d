/* Unit tests for engine/csv: exact file contents for hostile text, number
 * formatting (negative zero, nan, inf) and error reporting on a full disk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "engine/csv.h"

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

/* A fresh empty file path under /tmp, in *state; removed in teardown. */
static int make_temp_path(void **state)
{
    char *path = strdup("/tmp/avrrsim-test-csv-XXXXXX");
    if (path == NULL)
        return -1;
    int fd = mkstemp(path);
    if (fd < 0) {
        free(path);
        return -1;
    }
    close(fd);
    *state = path;
    return 0;
}

static int remove_temp_path(void **state)
{
    char *path = *state;
    unlink(path);
    free(path);
    return 0;
}

/* The whole file, NUL-terminated, malloc'd. */
static char *read_whole_file(const char *path)
{
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    char *text = NULL;
    size_t length = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) {
        char *bigger = realloc(text, length + got + 1);
        assert_non_null(bigger);
        text = bigger;
        memcpy(text + length, chunk, got);
        length += got;
    }
    assert_false(ferror(in));
    fclose(in);
    if (text == NULL) {
        text = malloc(1);
        assert_non_null(text);
    }
    text[length] = '\0';
    return text;
}

static void test_hostile_table(void **state)
{
    const char *path = *state;
    csv_writer *w = csv_open(path);
    assert_non_null(w);
    const char *const names[] = {"name", "cost_eur", "count"};
    csv_header(w, names, 3);

    csv_text(w, "say \"hi\"");            csv_fixed(w, 1.5, 2);          csv_int(w, -3);
    csv_end_row(w);
    csv_text(w, "a,b");                   csv_fixed(w, -0.001, 2);       csv_int(w, LLONG_MIN);
    csv_end_row(w);
    csv_text(w, "line1\nline2");          csv_fixed(w, -0.0, 2);         csv_int(w, LLONG_MAX);
    csv_end_row(w);
    csv_text(w, "=cmd|' /C calc'!A0");    csv_fixed(w, NAN, 2);          csv_int(w, 0);
    csv_end_row(w);
    csv_text(w, "+1");                    csv_fixed(w, INFINITY, 1);     csv_int(w, 1);
    csv_end_row(w);
    csv_text(w, "-2");                    csv_fixed(w, -INFINITY, 3);    csv_int(w, 2);
    csv_end_row(w);
    csv_text(w, "@x");                    csv_fixed(w, 1234567.891, 2);  csv_int(w, 3);
    csv_end_row(w);
    csv_text(w, "\tleading tab");         csv_fixed(w, -0.4, 0);         csv_int(w, 4);
    csv_end_row(w);
    csv_text(w, "\rcarriage");            csv_fixed(w, -0.05, 1);        csv_int(w, 5);
    csv_end_row(w);
    csv_text(w, "");                      csv_fixed(w, -12.345, 1);      csv_int(w, 6);
    csv_end_row(w);
    csv_text(w, "a=b, Z\xc3\xbcrich \"\"");  csv_fixed(w, 0.125, 3);    csv_int(w, 7);
    csv_end_row(w);

    errno = 0;
    assert_int_equal(csv_close(w), 0);

    const char *expected =
        "name,cost_eur,count\n"
        "\"say \"\"hi\"\"\",1.50,-3\n"
        "\"a,b\",0.00,-9223372036854775808\n"
        "\"line1\nline2\",0.00,9223372036854775807\n"
        "\"'=cmd|' /C calc'!A0\",nan,0\n"
        "\"'+1\",inf,1\n"
        "\"'-2\",-inf,2\n"
        "\"'@x\",1234567.89,3\n"
        "\"'\tleading tab\",0,4\n"
        "\"'\rcarriage\",-0.1,5\n"
        "\"\",-12.3,6\n"
        "\"a=b, Z\xc3\xbcrich \"\"\"\"\",0.125,7\n";
    char *actual = read_whole_file(path);
    assert_string_equal(actual, expected);
    free(actual);
}

static void test_text_field_directly(void **state)
{
    (void)state;
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    assert_non_null(out);
    csv_write_text_field(out, "\"");
    putc('|', out);
    csv_write_text_field(out, "-");
    putc('|', out);
    csv_write_text_field(out, "x-y");
    putc('|', out);
    csv_write_text_field(out, "\"=quoted\"");
    assert_int_equal(fclose(out), 0);
    assert_string_equal(text, "\"\"\"\"|\"'-\"|\"x-y\"|\"\"\"=quoted\"\"\"");
    free(text);
}

static void test_empty_rows_and_header(void **state)
{
    const char *path = *state;
    csv_writer *w = csv_open(path);
    assert_non_null(w);
    const char *const names[] = {"only"};
    csv_header(w, names, 1);
    csv_end_row(w);                 /* an empty row */
    csv_int(w, 42);
    csv_end_row(w);
    assert_int_equal(csv_close(w), 0);
    char *actual = read_whole_file(path);
    assert_string_equal(actual, "only\n\n42\n");
    free(actual);
}

static void test_large_value_many_decimals(void **state)
{
    const char *path = *state;
    csv_writer *w = csv_open(path);
    assert_non_null(w);
    csv_fixed(w, 1e300, 2);   /* longer than any small buffer */
    csv_end_row(w);
    assert_int_equal(csv_close(w), 0);

    char expected[400];
    int length = snprintf(expected, sizeof expected, "%.2f\n", 1e300);
    assert_true(length > 300 && (size_t)length < sizeof expected);
    char *actual = read_whole_file(path);
    assert_string_equal(actual, expected);
    free(actual);
}

static void test_full_disk_is_reported(void **state)
{
    (void)state;
    csv_writer *w = csv_open("/dev/full");
    if (w == NULL)
        skip();   /* no /dev/full in this environment */
    const char *const names[] = {"a", "b"};
    csv_header(w, names, 2);
    for (int i = 0; i < 10; i++) {
        csv_text(w, "some text");
        csv_fixed(w, 3.25, 2);
        csv_end_row(w);
    }
    errno = 0;
    assert_int_equal(csv_close(w), -1);
    assert_int_equal(errno, ENOSPC);
}

static void test_full_disk_large_output(void **state)
{
    (void)state;
    /* Enough to overflow the stdio buffer: the failure happens during the
     * writes, not at close, and must still be reported at close. */
    csv_writer *w = csv_open("/dev/full");
    if (w == NULL)
        skip();
    for (int i = 0; i < 100000; i++) {
        csv_int(w, i);
        csv_end_row(w);
    }
    errno = 0;
    assert_int_equal(csv_close(w), -1);
    assert_int_equal(errno, ENOSPC);
}

static void test_open_failure_and_null_close(void **state)
{
    (void)state;
    errno = 0;
    assert_null(csv_open("/nonexistent-avrrsim-dir/x.csv"));
    assert_int_equal(errno, ENOENT);
    errno = 0;
    assert_int_equal(csv_close(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hostile_table, make_temp_path, remove_temp_path),
        cmocka_unit_test(test_text_field_directly),
        cmocka_unit_test_setup_teardown(test_empty_rows_and_header, make_temp_path, remove_temp_path),
        cmocka_unit_test_setup_teardown(test_large_value_many_decimals, make_temp_path, remove_temp_path),
        cmocka_unit_test(test_full_disk_is_reported),
        cmocka_unit_test(test_full_disk_large_output),
        cmocka_unit_test(test_open_failure_and_null_close),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
