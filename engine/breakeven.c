/* breakeven: root finding on a mean difference (breakeven.h), with GSL's
 * Brent solver. Every evaluation is kept, so that the three searches (the
 * mean and the two ends of its interval) never run a point twice. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "engine/breakeven.h"

struct search {
    breakeven_eval_fn evaluate;
    void *user;
    double z;
    int offset;               /* which function: mean + offset * z * se */
    int failed;               /* a code of evaluate */
    bool too_many;            /* BREAKEVEN_MAX_EVALUATIONS reached */
    struct breakeven_point *points;
    size_t n_points;
};

static const struct breakeven_point *point_at(struct search *s, double x)
{
    for (size_t i = 0; i < s->n_points; i++)
        if (s->points[i].x == x)
            return &s->points[i];
    if (s->failed || s->too_many)
        return NULL;
    if (s->n_points >= BREAKEVEN_MAX_EVALUATIONS) {
        s->too_many = true;
        return NULL;
    }
    struct breakeven_point *p = &s->points[s->n_points];
    *p = (struct breakeven_point){.x = x};
    int code = s->evaluate(p, s->user);
    if (code != 0) {
        s->failed = code;
        return NULL;
    }
    s->n_points++;
    return p;
}

static double value_of(struct search *s, double x)
{
    const struct breakeven_point *p = point_at(s, x);
    return p ? p->mean + s->offset * s->z * p->se : NAN;
}

static double solver_function(double x, void *params)
{
    return value_of(params, x);
}

/* The root of the current function in [lo, hi], whose ends have values of
 * opposite signs (or one is zero). 0, or -1. */
static int solve(struct search *s, double lo, double hi, double f_lo, double f_hi, double *root)
{
    if (f_lo == 0) {
        *root = lo;
        return 0;
    }
    if (f_hi == 0) {
        *root = hi;
        return 0;
    }
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!solver)
        return -1;
    gsl_function f = {solver_function, s};
    int status = gsl_root_fsolver_set(solver, &f, lo, hi);
    double tolerance = (hi - lo) * 1e-7;
    for (int iteration = 0; status == GSL_SUCCESS && iteration < 200; iteration++) {
        status = gsl_root_fsolver_iterate(solver);
        if (status != GSL_SUCCESS || s->failed)
            break;
        double a = gsl_root_fsolver_x_lower(solver), b = gsl_root_fsolver_x_upper(solver);
        if (gsl_root_test_interval(a, b, tolerance, 1e-10) == GSL_SUCCESS)
            break;
    }
    *root = gsl_root_fsolver_root(solver);
    gsl_root_fsolver_free(solver);
    return status == GSL_SUCCESS && !s->failed && !s->too_many ? 0 : -1;
}

static int by_x(const void *a, const void *b)
{
    const struct breakeven_point *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x;
}

static int sign_of(double v)
{
    return v > 0 ? 1 : v < 0 ? -1 : 0;
}

int breakeven_find(double lo, double hi, double z, breakeven_eval_fn evaluate, void *user,
                   struct breakeven_result *out, char *why, size_t why_size)
{
    memset(out, 0, sizeof *out);
    struct search s = {.evaluate = evaluate, .user = user, .z = z};
    s.points = malloc(BREAKEVEN_MAX_EVALUATIONS * sizeof *s.points);
    if (!s.points) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    int result = -1;
    const struct breakeven_point *a = point_at(&s, lo);
    const struct breakeven_point *b = a ? point_at(&s, hi) : NULL;
    if (!a || !b)
        goto done;
    double mean_lo = a->mean, mean_hi = b->mean;
    if (sign_of(mean_lo) * sign_of(mean_hi) > 0) {
        out->outcome = BREAKEVEN_NO_SIGN_CHANGE;
        out->sign = sign_of(mean_lo);
        result = 0;
        goto done;
    }
    out->outcome = BREAKEVEN_FOUND;
    if (solve(&s, lo, hi, mean_lo, mean_hi, &out->value) != 0)
        goto solver_failed;
    /* the interval: where zero lies between mean - z se and mean + z se */
    double ends[2];
    size_t n_ends = 0;
    for (int offset = -1; offset <= 1; offset += 2) {
        s.offset = offset;
        double g_lo = value_of(&s, lo), g_hi = value_of(&s, hi), root;
        if (sign_of(g_lo) * sign_of(g_hi) > 0)
            continue;
        if (solve(&s, lo, hi, g_lo, g_hi, &root) != 0)
            goto solver_failed;
        ends[n_ends++] = root;
    }
    s.offset = 0;
    a = point_at(&s, lo);
    b = point_at(&s, hi);
    out->lower_open = a->mean - z * a->se <= 0 && 0 <= a->mean + z * a->se;
    out->upper_open = b->mean - z * b->se <= 0 && 0 <= b->mean + z * b->se;
    out->lower = out->value;
    out->upper = out->value;
    for (size_t i = 0; i < n_ends; i++) {
        out->lower = fmin(out->lower, ends[i]);
        out->upper = fmax(out->upper, ends[i]);
    }
    if (out->lower_open)
        out->lower = lo;
    if (out->upper_open)
        out->upper = hi;
    result = 0;
    goto done;

solver_failed:
    snprintf(why, why_size, "the root solver did not converge");
done:
    if (s.failed)
        result = s.failed;
    else if (s.too_many) {
        snprintf(why, why_size, "no answer after %d evaluations", BREAKEVEN_MAX_EVALUATIONS);
        result = -1;
    }
    if (result != 0) {
        free(s.points);
        return result;
    }
    qsort(s.points, s.n_points, sizeof *s.points, by_x);
    out->points = s.points;
    out->n_points = s.n_points;
    return 0;
}

void breakeven_result_free(struct breakeven_result *result)
{
    free(result->points);
    memset(result, 0, sizeof *result);
}
