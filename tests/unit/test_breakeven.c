/* test_breakeven: the root search on functions whose roots and intervals
 * are known in closed form. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "engine/breakeven.h"

static const double z90 = 1.6448536269514722;

struct line {
    double slope, intercept, se;
    int fail_after;            /* > 0: fail with code 7 at this evaluation */
    int calls;
};

static int eval_line(struct breakeven_point *p, void *user)
{
    struct line *l = user;
    if (l->fail_after > 0 && ++l->calls >= l->fail_after)
        return 7;
    p->mean = l->slope * p->x + l->intercept;
    p->se = l->se;
    return 0;
}

static void test_increasing_line(void **state)
{
    (void)state;
    struct line l = {.slope = 2, .intercept = -6, .se = 0.5};
    struct breakeven_result r;
    char why[128];
    assert_int_equal(breakeven_find(0, 10, z90, eval_line, &l, &r, why, sizeof why), 0);
    assert_int_equal(r.outcome, BREAKEVEN_FOUND);
    assert_float_equal(r.value, 3.0, 1e-6);
    /* 2 (x - 3) = -+ z 0.5 at x = 3 -+ z / 4 */
    assert_float_equal(r.lower, 3.0 - z90 / 4, 1e-6);
    assert_float_equal(r.upper, 3.0 + z90 / 4, 1e-6);
    assert_false(r.lower_open);
    assert_false(r.upper_open);
    assert_true(r.n_points >= 3);
    for (size_t i = 1; i < r.n_points; i++)
        assert_true(r.points[i - 1].x < r.points[i].x);
    breakeven_result_free(&r);
}

static void test_decreasing_exact(void **state)
{
    (void)state;
    struct line l = {.slope = -1, .intercept = 5, .se = 0};
    struct breakeven_result r;
    char why[128];
    assert_int_equal(breakeven_find(1, 9, z90, eval_line, &l, &r, why, sizeof why), 0);
    assert_int_equal(r.outcome, BREAKEVEN_FOUND);
    assert_float_equal(r.value, 5.0, 1e-6);
    assert_float_equal(r.lower, 5.0, 1e-6);
    assert_float_equal(r.upper, 5.0, 1e-6);
    breakeven_result_free(&r);
}

static void test_no_sign_change(void **state)
{
    (void)state;
    struct line l = {.slope = 1, .intercept = 10, .se = 1};
    struct breakeven_result r;
    char why[128];
    assert_int_equal(breakeven_find(0, 5, z90, eval_line, &l, &r, why, sizeof why), 0);
    assert_int_equal(r.outcome, BREAKEVEN_NO_SIGN_CHANGE);
    assert_int_equal(r.sign, 1);
    assert_int_equal(r.n_points, 2);
    breakeven_result_free(&r);
    l = (struct line){.slope = -1, .intercept = -1, .se = 1};
    assert_int_equal(breakeven_find(0, 5, z90, eval_line, &l, &r, why, sizeof why), 0);
    assert_int_equal(r.sign, -1);
    breakeven_result_free(&r);
}

/* The interval reaches past the lower end of the range. */
static void test_open_interval(void **state)
{
    (void)state;
    struct line l = {.slope = 1, .intercept = -0.1, .se = 1};
    struct breakeven_result r;
    char why[128];
    assert_int_equal(breakeven_find(0, 10, z90, eval_line, &l, &r, why, sizeof why), 0);
    assert_float_equal(r.value, 0.1, 1e-6);
    assert_true(r.lower_open);
    assert_float_equal(r.lower, 0.0, 0);
    assert_false(r.upper_open);
    assert_float_equal(r.upper, 0.1 + z90, 1e-6);
    breakeven_result_free(&r);
}

static int eval_step(struct breakeven_point *p, void *user)
{
    (void)user;
    p->mean = floor(p->x) - 2.5;
    p->se = 0;
    return 0;
}

/* A step function (an integer key): the search ends at the jump. */
static void test_step_function(void **state)
{
    (void)state;
    struct breakeven_result r;
    char why[128];
    assert_int_equal(breakeven_find(0, 10, z90, eval_step, NULL, &r, why, sizeof why), 0);
    assert_float_equal(r.value, 3.0, 1e-5);
    assert_true(r.n_points < 100);
    breakeven_result_free(&r);
}

static void test_failure_code_returned(void **state)
{
    (void)state;
    struct line l = {.slope = 2, .intercept = -6, .se = 0.5, .fail_after = 4};
    struct breakeven_result r;
    char why[128];
    assert_int_equal(breakeven_find(0, 10, z90, eval_line, &l, &r, why, sizeof why), 7);
    assert_null(r.points);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_increasing_line),
        cmocka_unit_test(test_decreasing_exact),
        cmocka_unit_test(test_no_sign_change),
        cmocka_unit_test(test_open_interval),
        cmocka_unit_test(test_step_function),
        cmocka_unit_test(test_failure_code_returned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
