/* Unit tests for engine/scalar: tables of accepted and rejected numbers,
 * whole numbers, unsigned numbers and booleans, with their exact values and
 * the exact reasons given for maps, lists, quoted text and bad text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "engine/scalar.h"

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

static int release_names(void **state)
{
    (void)state;
    ytree_release_sources();
    return 0;
}

/* The root of a one-document text (a scalar, map or list). */
static ynode *parse(const char *text)
{
    ynode *root = NULL;
    assert_int_equal(ytree_load_string("t", text, strlen(text), &root, NULL), 0);
    assert_non_null(root);
    return root;
}

struct number_case {
    const char *text;
    double value;
};

static void test_numbers_accepted(void **state)
{
    (void)state;
    const struct number_case cases[] = {
        {"600", 600.0},       {"-3", -3.0},          {"0.05", 0.05},
        {"1e6", 1e6},         {"1.5E-3", 1.5e-3},    {"+2", 2.0},
        {"0", 0.0},           {"-0.0", -0.0},        {".5", 0.5},
        {"5.", 5.0},          {"1E+2", 100.0},       {"007", 7.0},
        {"123456789012345678901234567890", 123456789012345678901234567890.0},
        {"1.7976931348623157e308", DBL_MAX},         {"2.2250738585072014e-308", DBL_MIN},
        {"0e-999", 0.0},
    };
    char why[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double value = -12345.0;
        assert_int_equal(text_to_double(cases[i].text, &value), 0);
        assert_true(value == cases[i].value);
        ynode *node = ynode_new_scalar(cases[i].text, true);
        assert_non_null(node);
        value = -12345.0;
        snprintf(why, sizeof why, "untouched");
        assert_int_equal(scalar_number(node, &value, why, sizeof why), 0);
        assert_true(value == cases[i].value);
        assert_string_equal(why, "");
        ynode_free(node);
    }
}

static void test_numbers_rejected(void **state)
{
    (void)state;
    const char *bad[] = {
        "",     "0x10", ".inf", "-.inf", ".nan", "inf",   "nan",   "1_000", "1,000",
        "12abc", " 1",   "1 ",   "+",    "-",    ".",     "e5",    "1e",    "1e+",
        "1.2.3", "--1",  "+-1",  "1e5.0", "0b101", "1f",  "infinity", "１",
        "1e999", "-1e999", "1e-400",   /* out of range, underflow to 0 or denormal */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double value = 42.0;
        if (text_to_double(bad[i], &value) != -1)
            fail_msg("accepted '%s'", bad[i]);
        assert_true(value == 42.0);
        ynode *node = ynode_new_scalar(bad[i], true);
        assert_non_null(node);
        char why[128];
        assert_int_equal(scalar_number(node, &value, why, sizeof why), -1);
        assert_true(value == 42.0);
        ynode_free(node);
    }
    assert_int_equal(text_to_double(NULL, NULL), -1);
}

static void expect_number_reason(const ynode *node, const char *reason)
{
    char why[160];
    double value = 0;
    assert_int_equal(scalar_number(node, &value, why, sizeof why), -1);
    assert_string_equal(why, reason);
}

static void test_number_reasons(void **state)
{
    (void)state;
    ynode *root = parse("quoted: \"600\"\nsingle: '1.5'\nmap: {a: 1}\nlist: [1]\n"
                        "word: abc\nempty:\nlong: \"0123456789012345678901234567890123456789X\"\n"
                        "longplain: abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq\n"
                        "big: 1e999\nhex: 0x10\n");
    expect_number_reason(ynode_map_get(root, "quoted"), "expected a number, got the text \"600\"");
    expect_number_reason(ynode_map_get(root, "single"), "expected a number, got the text \"1.5\"");
    expect_number_reason(ynode_map_get(root, "map"), "expected a number, got a map");
    expect_number_reason(ynode_map_get(root, "list"), "expected a number, got a list");
    expect_number_reason(ynode_map_get(root, "word"), "expected a number, got 'abc'");
    expect_number_reason(ynode_map_get(root, "hex"), "expected a number, got '0x10'");
    expect_number_reason(ynode_map_get(root, "empty"), "expected a number, got ''");
    expect_number_reason(ynode_map_get(root, "long"),
                         "expected a number, got the text \"0123456789012345678901234567890123456789...\"");
    expect_number_reason(ynode_map_get(root, "longplain"),
                         "expected a number, got 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn...'");
    expect_number_reason(ynode_map_get(root, "big"), "number out of range: '1e999'");
    expect_number_reason(NULL, "expected a number, got nothing");
    /* A short buffer is cut, not overrun. */
    char why[12];
    double value;
    assert_int_equal(scalar_number(ynode_map_get(root, "word"), &value, why, sizeof why), -1);
    assert_string_equal(why, "expected a ");
    assert_int_equal(scalar_number(ynode_map_get(root, "word"), &value, NULL, 0), -1);
    ynode_free(root);
}

static void expect_int(const char *text, long long min, long long max, int status,
                       long long value, const char *reason)
{
    ynode *node = ynode_new_scalar(text, true);
    assert_non_null(node);
    long long got = 777;
    char why[160];
    assert_int_equal(scalar_int64(node, min, max, &got, why, sizeof why), status);
    if (status == 0) {
        assert_true(got == value);
        assert_string_equal(why, "");
    } else {
        assert_true(got == 777);
        assert_string_equal(why, reason);
    }
    ynode_free(node);
}

static void test_int64(void **state)
{
    (void)state;
    expect_int("600", 0, 1000, 0, 600, NULL);
    expect_int("-3", -10, 10, 0, -3, NULL);
    expect_int("+2", 0, 10, 0, 2, NULL);
    expect_int("0", 0, 0, 0, 0, NULL);
    expect_int("9223372036854775807", LLONG_MIN, LLONG_MAX, 0, LLONG_MAX, NULL);
    expect_int("-9223372036854775808", LLONG_MIN, LLONG_MAX, 0, LLONG_MIN, NULL);
    expect_int("1e3", 0, 10000, -1, 0, "expected a whole number, got '1e3'");
    expect_int("1.0", 0, 10, -1, 0, "expected a whole number, got '1.0'");
    expect_int("abc", 0, 10, -1, 0, "expected a whole number, got 'abc'");
    expect_int("0x10", 0, 100, -1, 0, "expected a whole number, got '0x10'");
    expect_int("1_000", 0, 10000, -1, 0, "expected a whole number, got '1_000'");
    expect_int("11", 0, 10, -1, 0, "must be between 0 and 10");
    expect_int("-1", 0, 10, -1, 0, "must be between 0 and 10");
    expect_int("9223372036854775808", LLONG_MIN, LLONG_MAX, -1, 0,
               "must be between -9223372036854775808 and 9223372036854775807");
    expect_int("-9223372036854775809", -5, 5, -1, 0, "must be between -5 and 5");
    expect_int("99999999999999999999999", 1, 100, -1, 0, "must be between 1 and 100");

    ynode *root = parse("q: '5'\nm: {}\nl: []\n");
    char why[160];
    long long value;
    assert_int_equal(scalar_int64(ynode_map_get(root, "q"), 0, 9, &value, why, sizeof why), -1);
    assert_string_equal(why, "expected a whole number, got the text \"5\"");
    assert_int_equal(scalar_int64(ynode_map_get(root, "m"), 0, 9, &value, why, sizeof why), -1);
    assert_string_equal(why, "expected a whole number, got a map");
    assert_int_equal(scalar_int64(ynode_map_get(root, "l"), 0, 9, &value, why, sizeof why), -1);
    assert_string_equal(why, "expected a whole number, got a list");
    ynode_free(root);
}

static void test_text_to_int64(void **state)
{
    (void)state;
    long long value = 0;
    assert_int_equal(text_to_int64("42", &value), 0);
    assert_true(value == 42);
    assert_int_equal(text_to_int64("-9223372036854775808", &value), 0);
    assert_true(value == LLONG_MIN);
    assert_int_equal(text_to_int64("+7", &value), 0);
    assert_true(value == 7);
    const char *bad[] = {"", "1e3", "1.0", " 1", "1 ", "0x1", "9223372036854775808",
                         "-9223372036854775809", "1,000", "abc", "-", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        value = 5;
        assert_int_equal(text_to_int64(bad[i], &value), -1);
        assert_true(value == 5);
    }
}

static void test_uint64(void **state)
{
    (void)state;
    uint64_t value = 0;
    assert_int_equal(text_to_uint64("18446744073709551615", &value), 0);
    assert_true(value == UINT64_MAX);
    assert_int_equal(text_to_uint64("0", &value), 0);
    assert_true(value == 0);
    assert_int_equal(text_to_uint64("20240501", &value), 0);
    assert_true(value == 20240501u);
    const char *bad[] = {"", "18446744073709551616", "-1", "+1", "1e3", "1.5", " 1", "0x10",
                         "99999999999999999999999", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        value = 9;
        assert_int_equal(text_to_uint64(bad[i], &value), -1);
        assert_true(value == 9);
    }

    struct {
        const char *text;
        const char *reason;
    } cases[] = {
        {"18446744073709551616", "must be between 0 and 18446744073709551615"},
        {"-1", "must be between 0 and 18446744073709551615"},
        {"+1", "expected a whole number without a sign, got '+1'"},
        {"1.5", "expected a whole number, got '1.5'"},
        {"seed", "expected a whole number, got 'seed'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ynode *node = ynode_new_scalar(cases[i].text, true);
        assert_non_null(node);
        char why[160];
        value = 9;
        assert_int_equal(scalar_uint64(node, &value, why, sizeof why), -1);
        assert_string_equal(why, cases[i].reason);
        assert_true(value == 9);
        ynode_free(node);
    }
    ynode *node = ynode_new_scalar("18446744073709551615", true);
    char why[160];
    assert_int_equal(scalar_uint64(node, &value, why, sizeof why), 0);
    assert_true(value == UINT64_MAX);
    ynode_free(node);
    node = ynode_new_scalar("12", false);
    assert_int_equal(scalar_uint64(node, &value, why, sizeof why), -1);
    assert_string_equal(why, "expected a whole number, got the text \"12\"");
    ynode_free(node);
}

static void test_bool(void **state)
{
    (void)state;
    const char *truths[] = {"true", "True", "TRUE"};
    const char *falsehoods[] = {"false", "False", "FALSE"};
    char why[128];
    for (size_t i = 0; i < 3; i++) {
        bool value = false;
        ynode *node = ynode_new_scalar(truths[i], true);
        assert_int_equal(scalar_bool(node, &value, why, sizeof why), 0);
        assert_true(value);
        ynode_free(node);
        value = true;
        node = ynode_new_scalar(falsehoods[i], true);
        assert_int_equal(scalar_bool(node, &value, why, sizeof why), 0);
        assert_false(value);
        ynode_free(node);
    }
    const char *bad[] = {"yes", "no", "on", "off", "y", "n", "1", "0", "tRUE", "", "true "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ynode *node = ynode_new_scalar(bad[i], true);
        bool value = true;
        assert_int_equal(scalar_bool(node, &value, why, sizeof why), -1);
        char expected[64];
        snprintf(expected, sizeof expected, "expected true or false, got '%s'", bad[i]);
        assert_string_equal(why, expected);
        assert_true(value);
        ynode_free(node);
    }
    ynode *root = parse("q: \"true\"\nm: {a: b}\nl: [true]\n");
    bool value;
    assert_int_equal(scalar_bool(ynode_map_get(root, "q"), &value, why, sizeof why), -1);
    assert_string_equal(why, "expected true or false, got the text \"true\"");
    assert_int_equal(scalar_bool(ynode_map_get(root, "m"), &value, why, sizeof why), -1);
    assert_string_equal(why, "expected true or false, got a map");
    assert_int_equal(scalar_bool(ynode_map_get(root, "l"), &value, why, sizeof why), -1);
    assert_string_equal(why, "expected true or false, got a list");
    ynode_free(root);
}

static void test_describe(void **state)
{
    (void)state;
    ynode *root = parse("m: {}\nl: [1]\ns: abc\nq: 'a b'\n"
                        "long: 0123456789012345678901234567890123456789X\n"
                        "exact: 0123456789012345678901234567890123456789\n"
                        "u: \"ééééééééééééééééééééééééééééééééééééééééé\"\n"
                        "ctl: \"a\\tb\\nc\\x1b\"\n");
    char buf[200];
    assert_string_equal(ynode_describe(ynode_map_get(root, "m"), buf, sizeof buf), "a map");
    assert_string_equal(ynode_describe(ynode_map_get(root, "l"), buf, sizeof buf), "a list");
    assert_string_equal(ynode_describe(ynode_map_get(root, "s"), buf, sizeof buf), "'abc'");
    assert_string_equal(ynode_describe(ynode_map_get(root, "q"), buf, sizeof buf), "'a b'");
    assert_string_equal(ynode_describe(ynode_map_get(root, "long"), buf, sizeof buf),
                        "'0123456789012345678901234567890123456789...'");
    assert_string_equal(ynode_describe(ynode_map_get(root, "exact"), buf, sizeof buf),
                        "'0123456789012345678901234567890123456789'");
    /* 41 two-byte characters: cut after 40 characters, not 40 bytes. */
    assert_string_equal(ynode_describe(ynode_map_get(root, "u"), buf, sizeof buf),
                        "'éééééééééééééééééééééééééééééééééééééééé...'");
    assert_string_equal(ynode_describe(ynode_map_get(root, "ctl"), buf, sizeof buf), "'a?b?c?'");
    assert_string_equal(ynode_describe(NULL, buf, sizeof buf), "nothing");
    char small[4];
    assert_string_equal(ynode_describe(ynode_map_get(root, "s"), small, sizeof small), "'ab");
    ynode_free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_accepted),
        cmocka_unit_test(test_numbers_rejected),
        cmocka_unit_test(test_number_reasons),
        cmocka_unit_test(test_int64),
        cmocka_unit_test(test_text_to_int64),
        cmocka_unit_test(test_uint64),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, setup_gsl, release_names);
}
