/* exact_sum: sums of doubles that come out the same whatever the order or
 * the grouping of their terms. Each addition keeps its rounding error
 * (Knuth's TwoSum) in a second double; the value is hi + lo, rounded once.
 * Two such sums of the same terms differ by about 2^-100 of their size, so
 * they round to the same double unless the exact sum lies that close to a
 * rounding boundary. The direct path sums this way so that a policy's
 * numbers do not depend on which other policies share its people. (Needs
 * strict IEEE arithmetic: no -ffast-math.) */
#ifndef AVRRSIM_MODELS_EXACT_SUM_H
#define AVRRSIM_MODELS_EXACT_SUM_H

/* *hi + *lo += x. */
static inline void exact_add(double *hi, double *lo, double x)
{
    double s = *hi + x;
    double b = s - *hi;
    *lo += (*hi - (s - b)) + (x - b);
    *hi = s;
}

/* *hi + *lo += (hi2 + lo2). */
static inline void exact_merge(double *hi, double *lo, double hi2, double lo2)
{
    exact_add(hi, lo, hi2);
    *lo += lo2;
}

#endif
