/* test_sweep: the grid of a sweep: the values of each --vary form, the
 * errors of bad ones, the size of the grid and the order of its points. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "engine/sweep.h"

static void assert_values(const struct sweep_axis *axis, const char *path, const char *const *values,
                          size_t n)
{
    assert_string_equal(axis->path, path);
    assert_int_equal(axis->n_values, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(axis->values[i], values[i]);
}

static void test_range(void **state)
{
    (void)state;
    struct sweep_axis axis;
    char why[256];
    assert_int_equal(sweep_axis_parse("model.avrr.uptake=0:1:5", &axis, why, sizeof why), 0);
    const char *const five[] = {"0", "0.25", "0.5", "0.75", "1"};
    assert_values(&axis, "model.avrr.uptake", five, 5);
    sweep_axis_clear(&axis);
    /* the ends exactly as written, interior points evenly spaced */
    assert_int_equal(sweep_axis_parse("model.detention.cost_per_day=70:200:3", &axis, why, sizeof why), 0);
    const char *const three[] = {"70", "135", "200"};
    assert_values(&axis, "model.detention.cost_per_day", three, 3);
    sweep_axis_clear(&axis);
    assert_int_equal(sweep_axis_parse("x=0.1:0.3:3", &axis, why, sizeof why), 0);
    const char *const tenths[] = {"0.1", "0.2", "0.3"};
    assert_values(&axis, "x", tenths, 3);
    sweep_axis_clear(&axis);
    assert_int_equal(sweep_axis_parse("x=-1e3:1e3:2", &axis, why, sizeof why), 0);
    const char *const ends[] = {"-1000", "1000"};
    assert_values(&axis, "x", ends, 2);
    sweep_axis_clear(&axis);
}

static void test_list(void **state)
{
    (void)state;
    struct sweep_axis axis;
    char why[256];
    assert_int_equal(sweep_axis_parse("model.avrr.uptake=0.05,0.1,0.2", &axis, why, sizeof why), 0);
    const char *const numbers[] = {"0.05", "0.1", "0.2"};
    assert_values(&axis, "model.avrr.uptake", numbers, 3);
    sweep_axis_clear(&axis);
    /* words and a single value are lists too (YAML scalars) */
    assert_int_equal(sweep_axis_parse("model.avrr.wait_in=community,detention", &axis, why, sizeof why), 0);
    const char *const words[] = {"community", "detention"};
    assert_values(&axis, "model.avrr.wait_in", words, 2);
    sweep_axis_clear(&axis);
    assert_int_equal(sweep_axis_parse("seed=7", &axis, why, sizeof why), 0);
    const char *const one[] = {"7"};
    assert_values(&axis, "seed", one, 1);
    sweep_axis_clear(&axis);
}

static void assert_refused(const char *text, const char *reason)
{
    struct sweep_axis axis;
    char why[256] = "";
    assert_int_equal(sweep_axis_parse(text, &axis, why, sizeof why), -1);
    if (!strstr(why, reason))
        fail_msg("'%s': reason '%s' lacks '%s'", text, why, reason);
    assert_null(axis.values);
}

static void test_errors(void **state)
{
    (void)state;
    assert_refused("model.avrr.uptake", "expected PATH=LO:HI:N or PATH=V1,V2,...");
    assert_refused("=0:1:3", "expected PATH=LO:HI:N");
    assert_refused("x=", "expected PATH=LO:HI:N");
    assert_refused("x=0.3:0.1:4", "LO must be less than HI");
    assert_refused("x=1:1:4", "LO must be less than HI");
    assert_refused("x=0:1:1", "N must be a whole number from 2 to 10000");
    assert_refused("x=0:1:2.5", "N must be a whole number");
    assert_refused("x=0:1:10001", "N must be a whole number from 2 to 10000");
    assert_refused("x=a:1:3", "LO and HI must be numbers");
    assert_refused("x=0:1", "expected LO:HI:N");
    assert_refused("x=0:1:2:3", "expected LO:HI:N");
    assert_refused("x=1,,2", "an empty value");
    assert_refused("x=1,2,", "an empty value");
}

static void test_grid(void **state)
{
    (void)state;
    struct sweep_axis axes[3];
    char why[256];
    assert_int_equal(sweep_axis_parse("a=1:3:3", &axes[0], why, sizeof why), 0);
    assert_int_equal(sweep_axis_parse("b=x,y", &axes[1], why, sizeof why), 0);
    assert_int_equal(sweep_axis_parse("c=0:1:4", &axes[2], why, sizeof why), 0);
    assert_int_equal(sweep_point_count(axes, 3), 3 * 2 * 4);
    assert_int_equal(sweep_point_count(axes, 0), 1);
    /* the first axis varies slowest, the last fastest */
    size_t point = 0;
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++)
            for (size_t k = 0; k < 4; k++, point++) {
                assert_int_equal(sweep_value_index(axes, 3, point, 0), i);
                assert_int_equal(sweep_value_index(axes, 3, point, 1), j);
                assert_int_equal(sweep_value_index(axes, 3, point, 2), k);
            }
    for (size_t a = 0; a < 3; a++)
        sweep_axis_clear(&axes[a]);
    /* too many points: 10000 x 10000 x 2 */
    struct sweep_axis big[3];
    for (size_t a = 0; a < 3; a++)
        assert_int_equal(sweep_axis_range(&big[a], "k", 0, 1, a < 2 ? 10000 : 2), 0);
    assert_int_equal(sweep_point_count(big, 2), 0);
    assert_int_equal(sweep_point_count(big, 1), 10000);
    for (size_t a = 0; a < 3; a++)
        sweep_axis_clear(&big[a]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_grid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
