/* discount_table: exp(-k t) and expm1(-k t) for the many days t of a
 * replication, fast: a table over whole days of exp(-k d) and expm1(-k d),
 * and a polynomial for the fraction f = t - d, by
 *     expm1(-k t) = expm1(-k d) + exp(-k d) expm1(-k f).
 * k f < k <= ln 2 / 365.25 (the largest discount rate a scenario may give,
 * 100% a year): the Taylor polynomial of degree 5 of expm1 errs by less than
 * (k f)^5 / 720 < 4e-17 relative, so the result is within a few units in the
 * last place of the library's, and stays exact in relative terms for a tiny
 * rate (no cancellation: both terms have the same sign). Days past the table
 * go to the library. The table is built once per rate and length. */
#ifndef AVRRSIM_MODELS_DISCOUNT_TABLE_H
#define AVRRSIM_MODELS_DISCOUNT_TABLE_H

#include <math.h>
#include <stddef.h>

struct discount_table {
    double k;                    /* per day, > 0 */
    size_t days;                 /* whole days covered: 0 .. days - 1 */
    double last;                 /* days, as a double: t < last is in the table */
    double *at;                  /* [day * 2]: exp(-k day), expm1(-k day) */
    size_t capacity;
};

/* Covers days 0 .. days - 1 for rate k per day (0 < k <= ln 2 / 365.25),
 * rebuilding only when k or days changed. 0, or -1 (out of memory). */
int discount_table_prepare(struct discount_table *t, double k, size_t days);
/* The same over a horizon of horizon_day days and three years more (the
 * days of nearly every event of a replication). */
int discount_table_prepare_horizon(struct discount_table *t, double k, double horizon_day);

void discount_table_clear(struct discount_table *t);   /* frees; a zeroed struct is ok */

/* expm1(-k x) for 0 <= x <= k (x here is k times the fraction of a day). */
static inline double discount_fraction_expm1(double x)
{
    double y = -x;
    return y * (1.0 + y * (1.0 / 2 + y * (1.0 / 6 + y * (1.0 / 24 + y * (1.0 / 120)))));
}

/* expm1(-k t), t >= 0. */
static inline double discount_expm1(const struct discount_table *t, double day)
{
    if (!(day < t->last))
        return expm1(-t->k * day);
    long whole = (long)day;   /* day >= 0: truncation is the floor */
    const double *at = t->at + 2 * whole;
    return at[1] + at[0] * discount_fraction_expm1(t->k * (day - (double)whole));
}

/* exp(-k t), t >= 0. */
static inline double discount_factor(const struct discount_table *t, double day)
{
    if (!(day < t->last))
        return exp(-t->k * day);
    long whole = (long)day;
    const double *at = t->at + 2 * whole;
    return at[0] + at[0] * discount_fraction_expm1(t->k * (day - (double)whole));
}

#endif
