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

/* A 64-bit generator for test values (SplitMix64; fixed seed). */
static uint64_t next_bits(uint64_t *state)
{
    uint64_t x = (*state += UINT64_C(0x9E3779B97F4A7C15));
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

static double from_bits(uint64_t bits)
{
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* csv_format_fixed(value, d) is snprintf's "%.*f", text and return value,
 * for value, its neighbours and its negation; *checked counts the checks. */
static void check_like_snprintf(double value, int decimals, long *checked)
{
    double around[3] = {nextafter(value, -INFINITY), value, nextafter(value, INFINITY)};
    for (int k = 0; k < 6; k++) {
        double v = k < 3 ? around[k] : -around[k - 3];
        char ours[512], theirs[512];
        int our_length = csv_format_fixed(ours, sizeof ours, v, decimals);
        int their_length = snprintf(theirs, sizeof theirs, "%.*f", decimals, v);
        if (our_length != their_length || strcmp(ours, theirs) != 0)
            fail_msg("%.17g with %d decimals: \"%s\", snprintf \"%s\"", v, decimals, ours, theirs);
        (*checked)++;
    }
}

/* The fast formatter against snprintf on millions of values: random bit
 * patterns (every exponent: subnormals to huge, NaN and infinities among
 * them), integers, exact binary fractions (among them every exact rounding
 * tie: (2q + 1) / 2^k), decimal halves near ties ((q + 1/2) / 10^d, inexact
 * in binary), values whose scaled magnitude is near 2^64 (the fast path's
 * edge), huge and tiny values, zeros of both signs, NaN and infinities;
 * each with its neighbours and negation, for 0 to 9 decimals (the fast
 * path) and 10, 12 and 17 (snprintf itself). */
static void test_fixed_like_snprintf(void **state)
{
    (void)state;
    uint64_t seed = 20111212;
    long checked = 0;
    static const double special[] = {0.0, 1.0, 0.5, 1.5, 2.5, 0.125, 0.375, 0.05, 0.005, 0.0005,
                                     1e-300, 4.9406564584124654e-324, 2.2250738585072014e-308,
                                     1e300, 1.7976931348623157e308, 18446744073709551616.0,
                                     18446744073709549568.0, 9007199254740993.0, NAN, INFINITY};
    for (int d = 0; d <= 17; d++) {
        if (d > 9 && d != 10 && d != 12 && d != 17)
            continue;
        double scale = pow(10.0, d);
        for (size_t i = 0; i < sizeof special / sizeof *special; i++)
            check_like_snprintf(special[i], d, &checked);
        int rounds = d <= 9 ? 20000 : 2000;   /* snprintf itself beyond 9 */
        for (int i = 0; i < rounds; i++) {
            uint64_t bits = next_bits(&seed);
            check_like_snprintf(from_bits(bits), d, &checked);
            /* integers */
            check_like_snprintf((double)(int64_t)(bits >> (bits & 63)), d, &checked);
            /* exact binary fractions q / 2^k: every exact tie is one */
            double q = (double)(next_bits(&seed) >> (11 + (bits % 53)));
            check_like_snprintf(ldexp(q, -(int)(bits % 64)), d, &checked);
            /* decimal halves near ties, small and large */
            double h = (double)(next_bits(&seed) % 100000000) + 0.5;
            check_like_snprintf(h / scale, d, &checked);
            /* near the fast path's limit: |value| * 10^d about 2^64 */
            check_like_snprintf(ldexp(1.0 + (double)(bits >> 12) * 0x1p-52, 64) / scale
                                    * (0.5 + (double)(bits & 1)), d, &checked);
            /* money-like values of the model's size */
            check_like_snprintf((double)(next_bits(&seed) % 1000000000000) / 1000.0, d, &checked);
        }
    }
    assert_true(checked > 7000000);
    /* truncation: the return value is the full length, the text cut to fit */
    char small[5];
    assert_int_equal(csv_format_fixed(small, sizeof small, -1234.5678, 2), 8);
    assert_string_equal(small, "-123");
    assert_int_equal(csv_format_fixed(NULL, 0, 3.25, 1), 3);
}

/* csv_int writes what "%lld" does, the extremes included. */
static void test_int_like_snprintf(void **state)
{
    char *path = *state;
    static const long long values[] = {0, 1, -1, 9, 10, -10, 1234567890123LL, LLONG_MAX, LLONG_MIN};
    csv_writer *w = csv_open(path);
    assert_non_null(w);
    char expected[1024] = "";
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        csv_int(w, values[i]);
        char one[32];
        snprintf(one, sizeof one, "%s%lld", i ? "," : "", values[i]);
        strcat(expected, one);
    }
    csv_end_row(w);
    strcat(expected, "\n");
    assert_int_equal(csv_close(w), 0);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char got[1024] = "";
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = '\0';
    assert_string_equal(got, expected);
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
        cmocka_unit_test(test_fixed_like_snprintf),
        cmocka_unit_test_setup_teardown(test_int_like_snprintf, make_temp_path, remove_temp_path),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
