/* breakeven: where a mean difference changes sign. Given a function that
 * returns, at a value x of some input, the mean difference between two
 * policies and its standard error (from a run with common random numbers),
 * finds with GSL's Brent solver the x in [lo, hi] at which the mean is zero,
 * and the 90% interval of that x: the values at which zero lies inside the
 * mean's 90% confidence interval (the roots of mean - z se and mean + z se).
 * Knows nothing about scenarios: the caller's function runs them. */
#ifndef AVRRSIM_BREAKEVEN_H
#define AVRRSIM_BREAKEVEN_H

#include <stdbool.h>
#include <stddef.h>

struct breakeven_point {
    double x, mean, se;
};

/* Fills point->mean and point->se for point->x. 0, or a positive code that
 * stops the search and is returned by breakeven_find. */
typedef int (*breakeven_eval_fn)(struct breakeven_point *point, void *user);

enum breakeven_outcome {
    BREAKEVEN_FOUND,          /* the mean changes sign in [lo, hi] */
    BREAKEVEN_NO_SIGN_CHANGE  /* it keeps one sign (sign) over the whole range */
};

struct breakeven_result {
    enum breakeven_outcome outcome;
    int sign;                  /* NO_SIGN_CHANGE: +1 positive, -1 negative at both ends */
    double value;              /* FOUND: where the mean is zero */
    double lower, upper;       /* FOUND: its 90% interval ... */
    bool lower_open, upper_open;   /* ... whose end lies at or beyond lo (hi) */
    size_t n_points;
    struct breakeven_point *points;   /* every evaluation, by x */
};

enum { BREAKEVEN_MAX_EVALUATIONS = 300 };

/* Searches [lo, hi] (lo < hi, finite). z is the normal quantile of the
 * interval (1.6449 for 90%). Returns 0; a code of evaluate; or -1 with a
 * reason (out of memory, the solver failed). */
int breakeven_find(double lo, double hi, double z, breakeven_eval_fn evaluate, void *user,
                   struct breakeven_result *out, char *why, size_t why_size);

void breakeven_result_free(struct breakeven_result *result);

#endif
