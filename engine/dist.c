/* dist: the probability distributions a scenario may name. One table entry
 * per distribution (its names, arguments and their domains, and the
 * functions that check, prepare, sample and describe it); the parser walks a
 * `{dist: NAME, ...}` map against that entry, checks every argument, every
 * combination of uncertain arguments and the support against the key's
 * domain, and reports every problem it finds with its position. Nothing here
 * mutates shared state, and sampling never allocates. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "engine/dist.h"
#include "engine/scalar.h"
#include "engine/suggest.h"

enum {
    EMPIRICAL_MAX_VALUES = 10000000,
    MESSAGE_MAX = 1024,
    WHY_MAX = 512,
    MIXTURE_ROOT_MAX_ITERATIONS = 200
};

/* ---------------------------------------------------------------- domains */

#define REAL_LINE {-INFINITY, INFINITY, true, true}
#define POSITIVE {0.0, INFINITY, true, true}
#define OPEN_UNIT {0.0, 1.0, true, true}

static bool lower_end_open(const struct dist_domain *d)
{
    return d->lo_open || isinf(d->lo);
}

static bool upper_end_open(const struct dist_domain *d)
{
    return d->hi_open || isinf(d->hi);
}

/* Whether the set `inner` lies inside `outer` (NULL outer: everything). */
static bool domain_includes(const struct dist_domain *outer, const struct dist_domain *inner)
{
    if (!outer)
        return true;
    if (inner->lo < outer->lo || inner->hi > outer->hi)
        return false;
    if (inner->lo == outer->lo && lower_end_open(outer) && !lower_end_open(inner))
        return false;
    if (inner->hi == outer->hi && upper_end_open(outer) && !upper_end_open(inner))
        return false;
    return true;
}

static bool domain_contains(const struct dist_domain *domain, double value)
{
    struct dist_domain point = {value, value, false, false};
    return !isnan(value) && domain_includes(domain, &point);
}

/* "[0, 1]", "(0, inf)", "[0, inf)". */
static const char *format_interval(const struct dist_domain *d, char *buf, size_t size)
{
    snprintf(buf, size, "%c%g, %g%c", lower_end_open(d) ? '(' : '[', d->lo, d->hi,
             upper_end_open(d) ? ')' : ']');
    return buf;
}

/* What a value must be to lie in d: "greater than 0", "between 0 and 1". */
static const char *format_requirement(const struct dist_domain *d, char *buf, size_t size)
{
    bool lo_finite = isfinite(d->lo), hi_finite = isfinite(d->hi);
    const char *above = d->lo_open ? "greater than" : "at least";
    const char *below = d->hi_open ? "less than" : "at most";
    if (!lo_finite && !hi_finite)
        snprintf(buf, size, "a finite number");
    else if (!hi_finite)
        snprintf(buf, size, "%s %g", above, d->lo);
    else if (!lo_finite)
        snprintf(buf, size, "%s %g", below, d->hi);
    else if (!d->lo_open && !d->hi_open)
        snprintf(buf, size, "between %g and %g", d->lo, d->hi);
    else
        snprintf(buf, size, "%s %g and %s %g", above, d->lo, below, d->hi);
    return buf;
}

/* Widens hull to include part. */
static void hull_merge(struct dist_domain *hull, const struct dist_domain *part)
{
    if (part->lo < hull->lo) {
        hull->lo = part->lo;
        hull->lo_open = part->lo_open;
    } else if (part->lo == hull->lo) {
        hull->lo_open = hull->lo_open && part->lo_open;
    }
    if (part->hi > hull->hi) {
        hull->hi = part->hi;
        hull->hi_open = part->hi_open;
    } else if (part->hi == hull->hi) {
        hull->hi_open = hull->hi_open && part->hi_open;
    }
}

static void set_why(char *why, size_t why_size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void set_why(char *why, size_t why_size, const char *format, ...)
{
    if (!why || why_size == 0)
        return;
    va_list args;
    va_start(args, format);
    vsnprintf(why, why_size, format, args);
    va_end(args);
}

/* ------------------------------------------------------- per-kind functions */

/* fixed: p[0] the value */
static void support_fixed(int form, const double *a, struct dist_domain *s)
{
    (void)form;
    *s = (struct dist_domain){a[0], a[0], false, false};
}

static int prepare_fixed(struct dist *d, int form, const double *a, char *why, size_t why_size)
{
    (void)form, (void)why, (void)why_size;
    d->p[0] = a[0];
    return 0;
}

static double sample_fixed(const struct dist *d, const gsl_rng *rng)
{
    (void)rng;
    return d->p[0];
}

static double mean_fixed(const struct dist *d)
{
    return d->p[0];
}

static double variance_fixed(const struct dist *d)
{
    (void)d;
    return 0.0;
}

static double cdf_fixed(const struct dist *d, double x)
{
    return x >= d->p[0] ? 1.0 : 0.0;
}

static double quantile_fixed(const struct dist *d, double p)
{
    (void)p;
    return d->p[0];
}

/* uniform: p[0] min, p[1] max */
static int check_min_below_max(int form, const double *a, char *why, size_t why_size)
{
    (void)form;
    if (!(a[0] < a[1])) {
        set_why(why, why_size, "'min' must be less than 'max'");
        return -1;
    }
    return 0;
}

static void support_uniform(int form, const double *a, struct dist_domain *s)
{
    (void)form;
    *s = (struct dist_domain){a[0], a[1], false, false};
}

static int prepare_uniform(struct dist *d, int form, const double *a, char *why, size_t why_size)
{
    (void)form;
    if (!isfinite(a[1] - a[0])) {
        set_why(why, why_size, "uniform from %g to %g is too wide to sample", a[0], a[1]);
        return -1;
    }
    d->p[0] = a[0];
    d->p[1] = a[1];
    return 0;
}

static double sample_uniform(const struct dist *d, const gsl_rng *rng)
{
    return gsl_ran_flat(rng, d->p[0], d->p[1]);
}

static double mean_uniform(const struct dist *d)
{
    return 0.5 * (d->p[0] + d->p[1]);
}

static double variance_uniform(const struct dist *d)
{
    double width = d->p[1] - d->p[0];
    return width * width / 12.0;
}

static double cdf_uniform(const struct dist *d, double x)
{
    return gsl_cdf_flat_P(x, d->p[0], d->p[1]);
}

static double quantile_uniform(const struct dist *d, double p)
{
    return gsl_cdf_flat_Pinv(p, d->p[0], d->p[1]);
}

/* normal: p[0] mean, p[1] sd */
static void support_real_line(int form, const double *a, struct dist_domain *s)
{
    (void)form, (void)a;
    *s = (struct dist_domain)REAL_LINE;
}

static int prepare_normal(struct dist *d, int form, const double *a, char *why, size_t why_size)
{
    (void)form, (void)why, (void)why_size;
    d->p[0] = a[0];
    d->p[1] = a[1];
    return 0;
}

static double sample_normal(const struct dist *d, const gsl_rng *rng)
{
    return d->p[0] + gsl_ran_gaussian_ziggurat(rng, d->p[1]);
}

static double mean_normal(const struct dist *d)
{
    return d->p[0];
}

static double variance_normal(const struct dist *d)
{
    return d->p[1] * d->p[1];
}

static double cdf_normal(const struct dist *d, double x)
{
    return gsl_cdf_gaussian_P(x - d->p[0], d->p[1]);
}

static double quantile_normal(const struct dist *d, double p)
{
    return d->p[0] + gsl_cdf_gaussian_Pinv(p, d->p[1]);
}

/* lognormal: p[0] zeta (mean of the log), p[1] sigma (sd of the log) */
static void support_positive(int form, const double *a, struct dist_domain *s)
{
    (void)form, (void)a;
    *s = (struct dist_domain)POSITIVE;
}

static int prepare_lognormal(struct dist *d, int form, const double *a, char *why, size_t why_size)
{
    double zeta, sigma;
    if (form == 0) {
        double ratio = a[1] / a[0];
        double sigma2 = log1p(ratio * ratio);
        sigma = sqrt(sigma2);
        zeta = log(a[0]) - 0.5 * sigma2;
    } else {
        zeta = a[0];
        sigma = a[1];
    }
    if (!(isfinite(zeta) && isfinite(sigma) && sigma > 0.0
          && isfinite(exp(zeta + sigma * sigma)))) {
        set_why(why, why_size, "lognormal with %s %g and %s %g is too extreme to sample",
                form == 0 ? "mean" : "meanlog", a[0], form == 0 ? "sd" : "sdlog", a[1]);
        return -1;
    }
    d->p[0] = zeta;
    d->p[1] = sigma;
    return 0;
}

static double sample_lognormal(const struct dist *d, const gsl_rng *rng)
{
    return exp(d->p[0] + d->p[1] * gsl_ran_gaussian_ziggurat(rng, 1.0));
}

static double mean_lognormal(const struct dist *d)
{
    return exp(d->p[0] + 0.5 * d->p[1] * d->p[1]);
}

static double variance_lognormal(const struct dist *d)
{
    double sigma2 = d->p[1] * d->p[1];
    return expm1(sigma2) * exp(2.0 * d->p[0] + sigma2);
}

static double cdf_lognormal(const struct dist *d, double x)
{
    return x <= 0.0 ? 0.0 : gsl_cdf_lognormal_P(x, d->p[0], d->p[1]);
}

static double quantile_lognormal(const struct dist *d, double p)
{
    return gsl_cdf_lognormal_Pinv(p, d->p[0], d->p[1]);
}

/* gamma: p[0] shape, p[1] scale */
static int prepare_gamma(struct dist *d, int form, const double *a, char *why, size_t why_size)
{
    double shape, scale;
    if (form == 0) {
        double ratio = a[0] / a[1];
        shape = ratio * ratio;
        scale = a[1] * (a[1] / a[0]);
    } else {
        shape = a[0];
        scale = a[1];
    }
    if (!(isfinite(shape) && isfinite(scale) && shape > 0.0 && scale > 0.0
          && isfinite(shape * scale * scale))) {
        set_why(why, why_size, "gamma with %s %g and %s %g is too extreme to sample",
                form == 0 ? "mean" : "shape", a[0], form == 0 ? "sd" : "scale", a[1]);
        return -1;
    }
    d->p[0] = shape;
    d->p[1] = scale;
    return 0;
}

static double sample_gamma(const struct dist *d, const gsl_rng *rng)
{
    return gsl_ran_gamma(rng, d->p[0], d->p[1]);
}

static double mean_gamma(const struct dist *d)
{
    return d->p[0] * d->p[1];
}

static double variance_gamma(const struct dist *d)
{
    return d->p[0] * d->p[1] * d->p[1];
}

static double cdf_gamma(const struct dist *d, double x)
{
    return x <= 0.0 ? 0.0 : gsl_cdf_gamma_P(x, d->p[0], d->p[1]);
}

static double quantile_gamma(const struct dist *d, double p)
{
    return gsl_cdf_gamma_Pinv(p, d->p[0], d->p[1]);
}

/* beta: p[0] alpha, p[1] beta */
static int check_beta(int form, const double *a, char *why, size_t why_size)
{
    if (form != 0)
        return 0;
    double mean = a[0], sd = a[1];
    double limit = mean * (1.0 - mean);
    if (!(sd * sd < limit)) {
        set_why(why, why_size,
                "beta with mean %g and sd %g is impossible: sd must be below "
                "sqrt(mean*(1-mean)) = %g", mean, sd, sqrt(limit > 0.0 ? limit : 0.0));
        return -1;
    }
    return 0;
}

static void support_open_unit(int form, const double *a, struct dist_domain *s)
{
    (void)form, (void)a;
    *s = (struct dist_domain)OPEN_UNIT;
}

static int prepare_beta(struct dist *d, int form, const double *a, char *why, size_t why_size)
{
    double alpha, beta;
    if (form == 0) {
        double mean = a[0], sd = a[1];
        double concentration = mean * (1.0 - mean) / (sd * sd) - 1.0;
        alpha = mean * concentration;
        beta = (1.0 - mean) * concentration;
    } else {
        alpha = a[0];
        beta = a[1];
    }
    if (!(isfinite(alpha) && isfinite(beta) && alpha > 0.0 && beta > 0.0)) {
        set_why(why, why_size, "beta with %s %g and %s %g is too extreme to sample",
                form == 0 ? "mean" : "alpha", a[0], form == 0 ? "sd" : "beta", a[1]);
        return -1;
    }
    d->p[0] = alpha;
    d->p[1] = beta;
    return 0;
}

static double sample_beta(const struct dist *d, const gsl_rng *rng)
{
    return gsl_ran_beta(rng, d->p[0], d->p[1]);
}

static double beta_mean(double alpha, double beta)
{
    return alpha / (alpha + beta);
}

static double beta_variance(double alpha, double beta)
{
    double sum = alpha + beta;
    return alpha * beta / (sum * sum * (sum + 1.0));
}

static double mean_beta(const struct dist *d)
{
    return beta_mean(d->p[0], d->p[1]);
}

static double variance_beta(const struct dist *d)
{
    return beta_variance(d->p[0], d->p[1]);
}

static double cdf_beta(const struct dist *d, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    return gsl_cdf_beta_P(x, d->p[0], d->p[1]);
}

static double quantile_beta(const struct dist *d, double p)
{
    return gsl_cdf_beta_Pinv(p, d->p[0], d->p[1]);
}

/* triangular and pert share their arguments: min, mode, max */
static int check_min_mode_max(int form, const double *a, char *why, size_t why_size)
{
    (void)form;
    if (!(a[0] < a[2]))
        set_why(why, why_size, "'min' must be less than 'max'");
    else if (!(a[0] <= a[1]))
        set_why(why, why_size, "'mode' must be at least 'min'");
    else if (!(a[1] <= a[2]))
        set_why(why, why_size, "'mode' must be at most 'max'");
    else
        return 0;
    return -1;
}

static void support_min_to_max(int form, const double *a, struct dist_domain *s)
{
    (void)form;
    *s = (struct dist_domain){a[0], a[2], false, false};
}

/* triangular: p[0] min, p[1] mode, p[2] max, p[3] cdf at the mode */
static int prepare_triangular(struct dist *d, int form, const double *a, char *why, size_t why_size)
{
    (void)form;
    double width = a[2] - a[0];
    if (!isfinite(width)) {
        set_why(why, why_size, "triangular from %g to %g is too wide to sample", a[0], a[2]);
        return -1;
    }
    d->p[0] = a[0];
    d->p[1] = a[1];
    d->p[2] = a[2];
    d->p[3] = (a[1] - a[0]) / width;
    return 0;
}

static double quantile_triangular(const struct dist *d, double p)
{
    double lo = d->p[0], mode = d->p[1], hi = d->p[2];
    if (!(p >= 0.0 && p <= 1.0))
        return NAN;
    if (p <= d->p[3])
        return lo + sqrt(p * (hi - lo) * (mode - lo));
    return hi - sqrt((1.0 - p) * (hi - lo) * (hi - mode));
}

static double sample_triangular(const struct dist *d, const gsl_rng *rng)
{
    return quantile_triangular(d, gsl_rng_uniform_pos(rng));
}

static double mean_triangular(const struct dist *d)
{
    return (d->p[0] + d->p[1] + d->p[2]) / 3.0;
}

static double variance_triangular(const struct dist *d)
{
    double a = d->p[0], c = d->p[1], b = d->p[2];
    return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
}

static double cdf_triangular(const struct dist *d, double x)
{
    double lo = d->p[0], mode = d->p[1], hi = d->p[2];
    if (x <= lo)
        return 0.0;
    if (x < mode)
        return (x - lo) * (x - lo) / ((hi - lo) * (mode - lo));
    if (x < hi)
        return 1.0 - (hi - x) * (hi - x) / ((hi - lo) * (hi - mode));
    return 1.0;
}

/* pert: p[0] min, p[1] max - min, p[2] alpha, p[3] beta of the scaled beta */
static int prepare_pert(struct dist *d, int form, const double *a, char *why, size_t why_size)
{
    (void)form;
    double width = a[2] - a[0];
    if (!isfinite(width)) {
        set_why(why, why_size, "pert from %g to %g is too wide to sample", a[0], a[2]);
        return -1;
    }
    d->p[0] = a[0];
    d->p[1] = width;
    d->p[2] = 1.0 + 4.0 * (a[1] - a[0]) / width;
    d->p[3] = 1.0 + 4.0 * (a[2] - a[1]) / width;
    return 0;
}

static double sample_pert(const struct dist *d, const gsl_rng *rng)
{
    return d->p[0] + d->p[1] * gsl_ran_beta(rng, d->p[2], d->p[3]);
}

static double mean_pert(const struct dist *d)
{
    return d->p[0] + d->p[1] * beta_mean(d->p[2], d->p[3]);
}

static double variance_pert(const struct dist *d)
{
    return d->p[1] * d->p[1] * beta_variance(d->p[2], d->p[3]);
}

static double cdf_pert(const struct dist *d, double x)
{
    double scaled = (x - d->p[0]) / d->p[1];
    if (scaled <= 0.0)
        return 0.0;
    if (scaled >= 1.0)
        return 1.0;
    return gsl_cdf_beta_P(scaled, d->p[2], d->p[3]);
}

static double quantile_pert(const struct dist *d, double p)
{
    return d->p[0] + d->p[1] * gsl_cdf_beta_Pinv(p, d->p[2], d->p[3]);
}

/* exponential: p[0] mean */
static void support_non_negative(int form, const double *a, struct dist_domain *s)
{
    (void)form, (void)a;
    *s = (struct dist_domain){0.0, INFINITY, false, true};
}

static int prepare_exponential(struct dist *d, int form, const double *a, char *why,
                               size_t why_size)
{
    (void)form, (void)why, (void)why_size;
    d->p[0] = a[0];
    return 0;
}

static double sample_exponential(const struct dist *d, const gsl_rng *rng)
{
    return gsl_ran_exponential(rng, d->p[0]);
}

static double mean_exponential(const struct dist *d)
{
    return d->p[0];
}

static double variance_exponential(const struct dist *d)
{
    return d->p[0] * d->p[0];
}

static double cdf_exponential(const struct dist *d, double x)
{
    return x <= 0.0 ? 0.0 : gsl_cdf_exponential_P(x, d->p[0]);
}

static double quantile_exponential(const struct dist *d, double p)
{
    return gsl_cdf_exponential_Pinv(p, d->p[0]);
}

/* empirical: reads the spec's values (sorted) and weights; p unused */
static void support_empirical(const struct dist_spec *spec, struct dist_domain *s)
{
    size_t first = 0, last = spec->n_values;
    while (first < spec->n_values && !(spec->weights[first] > 0.0))
        first++;
    while (last > first && !(spec->weights[last - 1] > 0.0))
        last--;
    if (first == last)
        *s = (struct dist_domain){NAN, NAN, false, false};
    else
        *s = (struct dist_domain){spec->values[first], spec->values[last - 1], false, false};
}

static int resolve_empirical(struct dist *d, const struct dist_spec *spec,
                             const double *uncertain, char *why, size_t why_size)
{
    (void)d, (void)uncertain;
    if (spec->n_values == 0 || !spec->values || !spec->weights || !spec->discrete) {
        set_why(why, why_size, "the empirical distribution has no prepared values");
        return -1;
    }
    return 0;
}

static double sample_empirical(const struct dist *d, const gsl_rng *rng)
{
    return d->spec->values[gsl_ran_discrete(rng, d->spec->discrete)];
}

static double total_weight(const double *weights, size_t count)
{
    double total = 0.0;
    for (size_t i = 0; i < count; i++)
        total += weights[i];
    return total;
}

static double mean_empirical(const struct dist *d)
{
    const struct dist_spec *spec = d->spec;
    double total = total_weight(spec->weights, spec->n_values), sum = 0.0;
    for (size_t i = 0; i < spec->n_values; i++)
        sum += spec->weights[i] * spec->values[i];
    return sum / total;
}

static double variance_empirical(const struct dist *d)
{
    const struct dist_spec *spec = d->spec;
    double total = total_weight(spec->weights, spec->n_values), mean = mean_empirical(d);
    double sum = 0.0;
    for (size_t i = 0; i < spec->n_values; i++) {
        double deviation = spec->values[i] - mean;
        sum += spec->weights[i] * deviation * deviation;
    }
    return sum / total;
}

static double cdf_empirical(const struct dist *d, double x)
{
    const struct dist_spec *spec = d->spec;
    double total = total_weight(spec->weights, spec->n_values), below = 0.0;
    for (size_t i = 0; i < spec->n_values && spec->values[i] <= x; i++)
        below += spec->weights[i];
    return below / total;
}

/* The smallest value (with positive weight) whose cumulative share is >= p. */
static double quantile_empirical(const struct dist *d, double p)
{
    const struct dist_spec *spec = d->spec;
    if (!(p >= 0.0 && p <= 1.0))
        return NAN;
    double total = total_weight(spec->weights, spec->n_values), cumulative = 0.0;
    double last_positive = NAN;
    for (size_t i = 0; i < spec->n_values; i++) {
        if (!(spec->weights[i] > 0.0))
            continue;
        cumulative += spec->weights[i];
        last_positive = spec->values[i];
        if (cumulative / total >= p)
            return spec->values[i];
    }
    return last_positive;
}

/* mixture: p[0] the number of components (set by dist_alloc_for), p[1] the
 * total component weight; components in d->components */
static size_t mixture_count(const struct dist *d)
{
    return (size_t)d->p[0];
}

static void support_mixture(const struct dist_spec *spec, struct dist_domain *s);

static int resolve_mixture(struct dist *d, const struct dist_spec *spec,
                           const double *uncertain, char *why, size_t why_size)
{
    if (!d->components || mixture_count(d) != spec->n_components || !spec->discrete) {
        set_why(why, why_size, "the sampler was not allocated for this mixture");
        return -1;
    }
    for (size_t i = 0; i < spec->n_components; i++)
        if (dist_resolve(&d->components[i], &spec->components[i], uncertain, why, why_size) != 0)
            return -1;
    d->p[1] = total_weight(spec->component_weights, spec->n_components);
    return 0;
}

static double sample_mixture(const struct dist *d, const gsl_rng *rng)
{
    size_t chosen = gsl_ran_discrete(rng, d->spec->discrete);
    return dist_sample(&d->components[chosen], rng);
}

static double mean_mixture(const struct dist *d)
{
    const double *weights = d->spec->component_weights;
    double sum = 0.0;
    for (size_t i = 0; i < mixture_count(d); i++)
        if (weights[i] > 0.0)
            sum += weights[i] * dist_mean(&d->components[i]);
    return sum / d->p[1];
}

/* Law of total variance: the mean of the variances plus the variance of the means. */
static double variance_mixture(const struct dist *d)
{
    const double *weights = d->spec->component_weights;
    double mean = mean_mixture(d), sum = 0.0;
    for (size_t i = 0; i < mixture_count(d); i++) {
        if (!(weights[i] > 0.0))
            continue;
        double deviation = dist_mean(&d->components[i]) - mean;
        sum += weights[i] * (dist_variance(&d->components[i]) + deviation * deviation);
    }
    return sum / d->p[1];
}

static double cdf_mixture(const struct dist *d, double x)
{
    const double *weights = d->spec->component_weights;
    double sum = 0.0;
    for (size_t i = 0; i < mixture_count(d); i++)
        if (weights[i] > 0.0)
            sum += weights[i] * dist_cdf(&d->components[i], x);
    return sum / d->p[1];
}

struct mixture_root {
    const struct dist *d;
    double p;
};

static double mixture_cdf_minus_p(double x, void *params)
{
    const struct mixture_root *root = params;
    return cdf_mixture(root->d, x) - root->p;
}

/* The smallest x with cdf(x) >= p lies between the smallest and the largest
 * of the components' p-quantiles; Brent's method narrows it down. */
static double quantile_mixture(const struct dist *d, double p)
{
    const double *weights = d->spec->component_weights;
    if (!(p >= 0.0 && p <= 1.0))
        return NAN;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < mixture_count(d); i++) {
        if (!(weights[i] > 0.0))
            continue;
        double q = dist_quantile(&d->components[i], p);
        if (isnan(q))
            return NAN;
        lo = fmin(lo, q);
        hi = fmax(hi, q);
    }
    if (p == 0.0)
        return lo;
    if (p == 1.0)
        return hi;
    if (!(isfinite(lo) && isfinite(hi)))
        return NAN;
    if (lo == hi || cdf_mixture(d, lo) >= p)
        return lo;
    if (cdf_mixture(d, hi) < p)
        return hi;   /* rounding in the components' quantiles */

    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!solver)
        return NAN;
    struct mixture_root params = {d, p};
    gsl_function function = {mixture_cdf_minus_p, &params};
    double result = NAN;
    if (gsl_root_fsolver_set(solver, &function, lo, hi) == GSL_SUCCESS) {
        double tolerance = 1e-13 * (hi - lo);
        for (int i = 0; i < MIXTURE_ROOT_MAX_ITERATIONS; i++) {
            if (gsl_root_fsolver_iterate(solver) != GSL_SUCCESS)
                break;
            lo = gsl_root_fsolver_x_lower(solver);
            hi = gsl_root_fsolver_x_upper(solver);
            if (gsl_root_test_interval(lo, hi, tolerance, 1e-13) == GSL_SUCCESS)
                break;
        }
        /* the end of the final bracket where the cdf has reached p */
        result = cdf_mixture(d, lo) >= p ? lo : hi;
    }
    gsl_root_fsolver_free(solver);
    return result;
}

/* ---------------------------------------------------------------- the table */

/* One way of writing a distribution's arguments. */
struct dist_form {
    size_t n_keys;                                /* keys of this form */
    size_t n_required;                            /* the first n_required must be given */
    const char *keys[DIST_MAX_ARGS];
    struct dist_domain domains[DIST_MAX_ARGS];    /* numeric arguments only */
};

struct parse_state;
struct subject;

struct dist_kind_info {
    const char *name;
    const char *article;                          /* "a" or "an", for messages */
    int n_forms;
    struct dist_form forms[2];
    /* Distributions of numeric arguments (data_parse NULL): */
    int (*check)(int form, const double *args, char *why, size_t why_size);  /* NULL: none */
    void (*support)(int form, const double *args, struct dist_domain *support);
    int (*prepare)(struct dist *d, int form, const double *args, char *why, size_t why_size);
    /* Distributions of data (empirical, mixture): */
    int (*data_parse)(struct parse_state *state, const ynode *map, const ynode *const *given,
                      int form, const struct subject *subject, struct dist_spec *out);
    void (*data_support)(const struct dist_spec *spec, struct dist_domain *support);
    int (*data_resolve)(struct dist *d, const struct dist_spec *spec, const double *uncertain,
                        char *why, size_t why_size);
    /* Every distribution: */
    double (*sample)(const struct dist *d, const gsl_rng *rng);
    double (*mean)(const struct dist *d);
    double (*variance)(const struct dist *d);
    double (*cdf)(const struct dist *d, double x);
    double (*quantile)(const struct dist *d, double p);
};

static int parse_empirical(struct parse_state *state, const ynode *map, const ynode *const *given,
                           int form, const struct subject *subject, struct dist_spec *out);
static int parse_mixture(struct parse_state *state, const ynode *map, const ynode *const *given,
                         int form, const struct subject *subject, struct dist_spec *out);

#define ONE_FORM(...) 1, {{__VA_ARGS__}}
#define SAMPLER(kind) sample_##kind, mean_##kind, variance_##kind, cdf_##kind, quantile_##kind

static const struct dist_kind_info KINDS[] = {
    [DIST_FIXED] = {"fixed", "a", ONE_FORM(1, 1, {"value"}, {REAL_LINE}),
                    NULL, support_fixed, prepare_fixed, NULL, NULL, NULL, SAMPLER(fixed)},
    [DIST_UNIFORM] = {"uniform", "a", ONE_FORM(2, 2, {"min", "max"}, {REAL_LINE, REAL_LINE}),
                      check_min_below_max, support_uniform, prepare_uniform, NULL, NULL, NULL,
                      SAMPLER(uniform)},
    [DIST_NORMAL] = {"normal", "a", ONE_FORM(2, 2, {"mean", "sd"}, {REAL_LINE, POSITIVE}),
                     NULL, support_real_line, prepare_normal, NULL, NULL, NULL, SAMPLER(normal)},
    [DIST_LOGNORMAL] = {"lognormal", "a", 2,
                        {{2, 2, {"mean", "sd"}, {POSITIVE, POSITIVE}},
                         {2, 2, {"meanlog", "sdlog"}, {REAL_LINE, POSITIVE}}},
                        NULL, support_positive, prepare_lognormal, NULL, NULL, NULL,
                        SAMPLER(lognormal)},
    [DIST_GAMMA] = {"gamma", "a", 2,
                    {{2, 2, {"mean", "sd"}, {POSITIVE, POSITIVE}},
                     {2, 2, {"shape", "scale"}, {POSITIVE, POSITIVE}}},
                    NULL, support_positive, prepare_gamma, NULL, NULL, NULL, SAMPLER(gamma)},
    [DIST_BETA] = {"beta", "a", 2,
                   {{2, 2, {"mean", "sd"}, {OPEN_UNIT, POSITIVE}},
                    {2, 2, {"alpha", "beta"}, {POSITIVE, POSITIVE}}},
                   check_beta, support_open_unit, prepare_beta, NULL, NULL, NULL, SAMPLER(beta)},
    [DIST_TRIANGULAR] = {"triangular", "a",
                         ONE_FORM(3, 3, {"min", "mode", "max"}, {REAL_LINE, REAL_LINE, REAL_LINE}),
                         check_min_mode_max, support_min_to_max, prepare_triangular,
                         NULL, NULL, NULL, SAMPLER(triangular)},
    [DIST_PERT] = {"pert", "a",
                   ONE_FORM(3, 3, {"min", "mode", "max"}, {REAL_LINE, REAL_LINE, REAL_LINE}),
                   check_min_mode_max, support_min_to_max, prepare_pert, NULL, NULL, NULL,
                   SAMPLER(pert)},
    [DIST_EXPONENTIAL] = {"exponential", "an", ONE_FORM(1, 1, {"mean"}, {POSITIVE}),
                          NULL, support_non_negative, prepare_exponential, NULL, NULL, NULL,
                          SAMPLER(exponential)},
    [DIST_EMPIRICAL] = {"empirical", "an", 2,
                        {{2, 1, {"values", "weights"}, {REAL_LINE, REAL_LINE}},
                         {1, 1, {"file"}, {REAL_LINE}}},
                        NULL, NULL, NULL, parse_empirical, support_empirical, resolve_empirical,
                        SAMPLER(empirical)},
    [DIST_MIXTURE] = {"mixture", "a", ONE_FORM(2, 2, {"components", "weights"},
                                               {REAL_LINE, REAL_LINE}),
                      NULL, NULL, NULL, parse_mixture, support_mixture, resolve_mixture,
                      SAMPLER(mixture)},
};

enum { N_KINDS = (int)(sizeof KINDS / sizeof KINDS[0]) };

static const struct dist_kind_info *kind_info(enum dist_kind kind)
{
    return (int)kind >= 0 && (int)kind < N_KINDS ? &KINDS[kind] : &KINDS[DIST_FIXED];
}

/* The numeric arguments a spec holds (none for empirical and mixture). */
static size_t numeric_arg_count(const struct dist_spec *spec)
{
    const struct dist_kind_info *info = kind_info(spec->kind);
    if (info->data_parse || spec->form < 0 || spec->form >= info->n_forms)
        return 0;
    return info->forms[spec->form].n_keys;
}

static void spec_support_full(const struct dist_spec *spec, struct dist_domain *s);

/* The hull of the components' supports (weight 0 components never appear). */
static void support_mixture(const struct dist_spec *spec, struct dist_domain *s)
{
    bool any = false;
    for (size_t i = 0; i < spec->n_components; i++) {
        if (!(spec->component_weights[i] > 0.0))
            continue;
        struct dist_domain part;
        spec_support_full(&spec->components[i], &part);
        if (any)
            hull_merge(s, &part);
        else
            *s = part;
        any = true;
    }
    if (!any)
        *s = (struct dist_domain){NAN, NAN, false, false};
}

/* ------------------------------------------------------------------- specs */

void dist_spec_fixed(struct dist_spec *out, double value)
{
    *out = (struct dist_spec){.kind = DIST_FIXED, .form = 0};
    for (int i = 0; i < DIST_MAX_ARGS; i++)
        out->args[i] = (struct dist_arg){0.0, -1, 0.0, 0.0};
    out->args[0] = (struct dist_arg){value, -1, value, value};
}

void dist_spec_clear(struct dist_spec *spec)
{
    if (!spec)
        return;
    free(spec->values);
    free(spec->weights);
    if (spec->components) {
        for (size_t i = 0; i < spec->n_components; i++)
            dist_spec_clear(&spec->components[i]);
        free(spec->components);
    }
    free(spec->component_weights);
    if (spec->discrete)
        gsl_ran_discrete_free(spec->discrete);
    dist_spec_fixed(spec, 0.0);
}

static int copy_doubles(double **dst, const double *src, size_t count)
{
    *dst = NULL;
    if (!src || count == 0)
        return 0;
    *dst = malloc(count * sizeof **dst);
    if (!*dst)
        return -1;
    memcpy(*dst, src, count * sizeof **dst);
    return 0;
}

int dist_spec_copy(struct dist_spec *dst, const struct dist_spec *src)
{
    struct dist_spec copy = *src;
    size_t n_components = src->components ? src->n_components : 0;
    copy.values = copy.weights = copy.component_weights = NULL;
    copy.components = NULL;
    copy.n_components = 0;
    copy.discrete = NULL;
    if (copy_doubles(&copy.values, src->values, src->n_values) != 0
        || copy_doubles(&copy.weights, src->weights, src->n_values) != 0
        || copy_doubles(&copy.component_weights, src->component_weights, n_components) != 0)
        goto fail;
    if (n_components > 0) {
        copy.components = calloc(n_components, sizeof *copy.components);
        if (!copy.components)
            goto fail;
        for (size_t i = 0; i < n_components; i++)
            dist_spec_fixed(&copy.components[i], 0.0);
        copy.n_components = n_components;
        for (size_t i = 0; i < n_components; i++)
            if (dist_spec_copy(&copy.components[i], &src->components[i]) != 0)
                goto fail;
    }
    copy.n_components = src->n_components;
    if (src->discrete) {
        bool mixture = src->kind == DIST_MIXTURE;
        copy.discrete = gsl_ran_discrete_preproc(mixture ? n_components : src->n_values,
                                                 mixture ? copy.component_weights : copy.weights);
        if (!copy.discrete)
            goto fail;
    }
    *dst = copy;
    return 0;
fail:
    dist_spec_clear(&copy);
    return -1;
}

static bool doubles_equal(const double *a, const double *b, size_t count)
{
    if (count == 0)
        return true;
    if (!a || !b)
        return a == b;
    for (size_t i = 0; i < count; i++)
        if (!(a[i] == b[i]))
            return false;
    return true;
}

bool dist_spec_equal(const struct dist_spec *a, const struct dist_spec *b)
{
    if (a->kind != b->kind || a->form != b->form)
        return false;
    size_t n_args = numeric_arg_count(a);
    for (size_t i = 0; i < n_args; i++) {
        /* an uncertain argument is its index (its value only a representative) */
        if (a->args[i].uncertain != b->args[i].uncertain)
            return false;
        if (a->args[i].uncertain < 0 && !(a->args[i].value == b->args[i].value))
            return false;
    }
    if (a->n_values != b->n_values || !doubles_equal(a->values, b->values, a->n_values)
        || !doubles_equal(a->weights, b->weights, a->n_values))
        return false;
    if (a->n_components != b->n_components
        || !doubles_equal(a->component_weights, b->component_weights, a->n_components))
        return false;
    for (size_t i = 0; i < a->n_components; i++)
        if (!a->components || !b->components
            || !dist_spec_equal(&a->components[i], &b->components[i]))
            return false;
    return true;
}

const char *dist_kind_name(enum dist_kind kind)
{
    return (int)kind >= 0 && (int)kind < N_KINDS ? KINDS[kind].name : "unknown";
}

/* The number of corners of the box spanned by the uncertain arguments. */
static unsigned corner_count(const struct dist_spec *spec, size_t n_args)
{
    unsigned count = 1;
    for (size_t i = 0; i < n_args; i++)
        if (spec->args[i].uncertain >= 0)
            count *= 2;
    return count;
}

/* The arguments at one corner: bit j of corner picks the upper end of the
 * j-th uncertain argument; fixed arguments keep their value. */
static void corner_values(const struct dist_spec *spec, size_t n_args, unsigned corner,
                          double *values)
{
    unsigned bit = 0;
    for (size_t i = 0; i < n_args; i++) {
        const struct dist_arg *arg = &spec->args[i];
        if (arg->uncertain >= 0) {
            values[i] = (corner >> bit) & 1u ? arg->hi : arg->lo;
            bit++;
        } else {
            values[i] = arg->value;
        }
    }
}

/* The support with its open and closed ends, over every corner. */
static void spec_support_full(const struct dist_spec *spec, struct dist_domain *s)
{
    const struct dist_kind_info *info = kind_info(spec->kind);
    if (info->data_support) {
        info->data_support(spec, s);
        return;
    }
    size_t n_args = numeric_arg_count(spec);
    unsigned corners = corner_count(spec, n_args);
    for (unsigned corner = 0; corner < corners; corner++) {
        double values[DIST_MAX_ARGS] = {0.0, 0.0, 0.0};
        struct dist_domain part;
        corner_values(spec, n_args, corner, values);
        info->support(spec->form, values, &part);
        if (corner == 0)
            *s = part;
        else
            hull_merge(s, &part);
    }
}

void dist_spec_support(const struct dist_spec *spec, double *lo, double *hi)
{
    struct dist_domain s;
    spec_support_full(spec, &s);
    *lo = s.lo;
    *hi = s.hi;
}

/* ---------------------------------------------------------------- samplers */

static void release_contents(struct dist *d)
{
    if (d->components) {
        size_t count = mixture_count(d);
        for (size_t i = 0; i < count; i++)
            release_contents(&d->components[i]);
        free(d->components);
        d->components = NULL;
    }
}

static int allocate_contents(struct dist *d, const struct dist_spec *spec)
{
    *d = (struct dist){.kind = spec->kind, .spec = spec};
    if (spec->kind != DIST_MIXTURE)
        return 0;
    size_t count = spec->n_components;
    if (count == 0 || !spec->components)
        return -1;
    d->components = calloc(count, sizeof *d->components);
    if (!d->components)
        return -1;
    d->p[0] = (double)count;
    for (size_t i = 0; i < count; i++) {
        if (allocate_contents(&d->components[i], &spec->components[i]) != 0) {
            d->p[0] = (double)i;   /* release only those built */
            release_contents(d);
            return -1;
        }
    }
    return 0;
}

struct dist *dist_alloc_for(const struct dist_spec *spec)
{
    struct dist *d = malloc(sizeof *d);
    if (!d)
        return NULL;
    if (allocate_contents(d, spec) != 0) {
        free(d);
        return NULL;
    }
    return d;
}

void dist_free(struct dist *d)
{
    if (!d)
        return;
    release_contents(d);
    free(d);
}

/* "min = 10, max = 5" */
static const char *format_arguments(const struct dist_form *form, const double *values,
                                    char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < form->n_keys && used < size; i++) {
        int written = snprintf(buf + used, size - used, "%s%s = %g", i ? ", " : "",
                               form->keys[i], values[i]);
        if (written < 0)
            break;
        used += (size_t)written;
    }
    return buf;
}

int dist_resolve(struct dist *d, const struct dist_spec *spec, const double *uncertain,
                 char *why, size_t why_size)
{
    const struct dist_kind_info *info = kind_info(spec->kind);
    if ((spec->kind == DIST_MIXTURE) != (d->components != NULL)) {
        set_why(why, why_size, "the sampler was not allocated for this %s distribution",
                info->name);
        return -1;
    }
    d->kind = spec->kind;
    d->spec = spec;
    if (info->data_resolve)
        return info->data_resolve(d, spec, uncertain, why, why_size);
    if (spec->form < 0 || spec->form >= info->n_forms) {
        set_why(why, why_size, "%s has no form %d", info->name, spec->form);
        return -1;
    }
    const struct dist_form *form = &info->forms[spec->form];
    double values[DIST_MAX_ARGS] = {0.0, 0.0, 0.0};
    bool any_uncertain = false;
    for (size_t i = 0; i < form->n_keys; i++) {
        const struct dist_arg *arg = &spec->args[i];
        if (arg->uncertain >= 0) {
            if (!uncertain) {
                set_why(why, why_size, "'%s' is uncertain but no drawn values were given",
                        form->keys[i]);
                return -1;
            }
            values[i] = uncertain[arg->uncertain];
            any_uncertain = true;
        } else {
            values[i] = arg->value;
        }
        char requirement[128];
        if (!isfinite(values[i]) || !domain_contains(&form->domains[i], values[i])) {
            set_why(why, why_size, "'%s' must be %s, got %g", form->keys[i],
                    format_requirement(&form->domains[i], requirement, sizeof requirement),
                    values[i]);
            return -1;
        }
    }
    char reason[WHY_MAX];
    if (info->check && info->check(spec->form, values, reason, sizeof reason) != 0) {
        char drawn[256];
        if (any_uncertain)
            set_why(why, why_size, "%s (drawn: %s)", reason,
                    format_arguments(form, values, drawn, sizeof drawn));
        else
            set_why(why, why_size, "%s", reason);
        return -1;
    }
    return info->prepare(d, spec->form, values, why, why_size);
}

double dist_sample(const struct dist *d, const gsl_rng *rng)
{
    return kind_info(d->kind)->sample(d, rng);
}

double dist_mean(const struct dist *d)
{
    return kind_info(d->kind)->mean(d);
}

double dist_variance(const struct dist *d)
{
    return kind_info(d->kind)->variance(d);
}

double dist_cdf(const struct dist *d, double x)
{
    if (isnan(x))
        return NAN;
    return kind_info(d->kind)->cdf(d, x);
}

double dist_quantile(const struct dist *d, double p)
{
    if (!(p >= 0.0 && p <= 1.0))
        return NAN;
    return kind_info(d->kind)->quantile(d, p);
}

/* The mean of a spec whose arguments are fixed. 0, or -1 (out of memory, or
 * arguments that cannot be prepared). */
static int spec_mean(const struct dist_spec *spec, double *mean)
{
    struct dist *d = dist_alloc_for(spec);
    if (!d)
        return -1;
    char why[WHY_MAX];
    int status = dist_resolve(d, spec, NULL, why, sizeof why);
    if (status == 0)
        *mean = dist_mean(d);
    dist_free(d);
    return status;
}

/* ----------------------------------------------------------------- parsing */

struct parse_state {
    const struct dist_parse_ctx *ctx;
    diag_list *diags;
    int errors;          /* problems reported so far */
};

/* What is being parsed: for messages, the domain, and naming uncertain arguments. */
struct subject {
    const struct dist_domain *domain;   /* NULL: any value */
    const char *name;                   /* short name in messages: "uptake", "mean" */
    const char *key_path;               /* the key named in support messages */
    const char *arg_prefix;             /* uncertain arguments become arg_prefix.NAME */
    bool is_argument;                   /* an uncertain argument's own distribution */
    bool may_be_uncertain;              /* its arguments may be distributions */
};

static void report_at(struct parse_state *state, const char *file, int line, int column,
                      const char *format, ...) __attribute__((format(printf, 5, 6)));
static void report(struct parse_state *state, const ynode *node, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void report_va(struct parse_state *state, const char *file, int line, int column,
                      const char *format, va_list args)
{
    char message[MESSAGE_MAX];
    vsnprintf(message, sizeof message, format, args);
    if (state->diags)
        diag_add(state->diags, file, line, column, "%s", message);
    state->errors++;
}

static void report_at(struct parse_state *state, const char *file, int line, int column,
                      const char *format, ...)
{
    va_list args;
    va_start(args, format);
    report_va(state, file, line, column, format, args);
    va_end(args);
}

static void report(struct parse_state *state, const ynode *node, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    report_va(state, node->file, node->line, node->column, format, args);
    va_end(args);
}

static const char EXPECTED_A_NUMBER[] = "expected a number";

/* Reports scalar_number's reason, reworded for an argument (arg_name) and
 * when a distribution would also have been accepted. */
static void report_not_number(struct parse_state *state, const ynode *node, const char *arg_name,
                              bool dist_allowed, const char *why)
{
    size_t prefix = sizeof EXPECTED_A_NUMBER - 1;
    bool standard = strncmp(why, EXPECTED_A_NUMBER, prefix) == 0;
    const char *rest = why + prefix;
    const char *or_dist = dist_allowed ? " or {dist: ...}" : "";
    if (!arg_name && state->ctx && state->ctx->path) {
        /* name the key itself: "'per_month' must be a number ..." */
        const char *dot = strrchr(state->ctx->path, '.');
        arg_name = dot ? dot + 1 : state->ctx->path;
    }
    if (!arg_name && standard)
        report(state, node, "%s%s%s", EXPECTED_A_NUMBER, or_dist, rest);
    else if (!arg_name)
        report(state, node, "%s", why);
    else if (standard)
        report(state, node, "'%s' must be a number%s%s", arg_name, or_dist, rest);
    else
        report(state, node, "'%s': %s", arg_name, why);
}

static char *join_path(const char *prefix, const char *separator, const char *name)
{
    size_t length = strlen(prefix) + strlen(separator) + strlen(name) + 1;
    char *path = malloc(length);
    if (path)
        snprintf(path, length, "%s%s%s", prefix, separator, name);
    return path;
}

static void set_position(struct dist_spec *spec, const ynode *node)
{
    spec->file = node->file;
    spec->line = node->line;
    spec->column = node->column;
}

static int parse_map(struct parse_state *state, const ynode *map, const struct subject *subject,
                     struct dist_spec *out);

/* A plain number or a `{dist: ...}` map. On failure *out is cleared. */
static int parse_value(struct parse_state *state, const ynode *node,
                       const struct subject *subject, struct dist_spec *out)
{
    dist_spec_fixed(out, 0.0);
    set_position(out, node);
    if (node->kind == YNODE_MAP) {
        if (parse_map(state, node, subject, out) != 0) {
            dist_spec_clear(out);
            return -1;
        }
        return 0;
    }
    double value;
    char why[WHY_MAX];
    if (scalar_number(node, &value, why, sizeof why) != 0) {
        report_not_number(state, node, NULL, true, why);
        return -1;
    }
    dist_spec_fixed(out, value);
    set_position(out, node);
    if (!domain_contains(subject->domain, value)) {
        char requirement[128];
        format_requirement(subject->domain, requirement, sizeof requirement);
        if (subject->is_argument)
            report(state, node, "'%s' must be %s", subject->name, requirement);
        else
            report(state, node, "'%s' must be %s, got %g", subject->name, requirement, value);
        return -1;
    }
    return 0;
}

/* "mean, sd or meanlog, sdlog" (required_only: only the keys a form needs). */
static const char *format_forms(const struct dist_kind_info *info, bool required_only,
                                bool quoted, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int f = 0; f < info->n_forms; f++) {
        const struct dist_form *form = &info->forms[f];
        size_t n = required_only ? form->n_required : form->n_keys;
        for (size_t i = 0; i < n && used < size; i++) {
            const char *separator = i > 0 ? ", " : f > 0 ? " or " : "";
            int written = snprintf(buf + used, size - used, quoted ? "%s'%s'" : "%s%s",
                                   separator, form->keys[i]);
            if (written < 0)
                return buf;
            used += (size_t)written;
        }
    }
    return buf;
}

static bool is_reserved_key(const char *key)
{
    return strcmp(key, "dist") == 0 || strcmp(key, "low") == 0 || strcmp(key, "high") == 0;
}

static bool find_key(const struct dist_kind_info *info, const char *key, int *form, size_t *index)
{
    for (int f = 0; f < info->n_forms; f++)
        for (size_t i = 0; i < info->forms[f].n_keys; i++)
            if (strcmp(info->forms[f].keys[i], key) == 0) {
                *form = f;
                *index = i;
                return true;
            }
    return false;
}

static void report_unknown_key(struct parse_state *state, const ynode *map,
                               const struct ynode_pair *pair, const struct dist_kind_info *info)
{
    const char *candidates[2 * DIST_MAX_ARGS + 2];
    size_t count = 0;
    for (int f = 0; f < info->n_forms; f++)
        for (size_t i = 0; i < info->forms[f].n_keys; i++)
            candidates[count++] = info->forms[f].keys[i];
    candidates[count++] = "low";
    candidates[count++] = "high";
    const char *suggestion = suggest_nearest(pair->key, candidates, count);
    if (suggestion) {
        report_at(state, map->file, pair->line, pair->column,
                  "unknown key '%.64s' for %s; did you mean '%s'?", pair->key, info->name,
                  suggestion);
    } else {
        char expected[256];
        report_at(state, map->file, pair->line, pair->column,
                  "unknown key '%.64s' for %s (expected: %s)", pair->key, info->name,
                  format_forms(info, false, false, expected, sizeof expected));
    }
}

/* The table entry named by the map's `dist`, or NULL after reporting why not. */
static const struct dist_kind_info *lookup_kind(struct parse_state *state, const ynode *map)
{
    const ynode *name = ynode_map_get(map, "dist");
    if (!name) {
        report(state, map, "a distribution needs 'dist: NAME'");
        return NULL;
    }
    char description[128];
    if (name->kind != YNODE_SCALAR) {
        report(state, name, "'dist' must be a distribution name, got %s",
               ynode_describe(name, description, sizeof description));
        return NULL;
    }
    const char *names[N_KINDS];
    size_t count = 0;
    for (int k = DIST_FIXED + 1; k < N_KINDS; k++) {
        if (strcmp(KINDS[k].name, name->text) == 0)
            return &KINDS[k];
        names[count++] = KINDS[k].name;
    }
    const char *suggestion = suggest_nearest(name->text, names, count);
    if (suggestion) {
        report(state, name, "unknown distribution '%.64s'; did you mean '%s'?", name->text,
               suggestion);
    } else {
        char known[256];
        size_t used = 0;
        known[0] = '\0';
        for (size_t i = 0; i < count && used < sizeof known; i++) {
            int written = snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
                                   names[i]);
            if (written < 0)
                break;
            used += (size_t)written;
        }
        report(state, name, "unknown distribution '%.64s' (known: %s)", name->text, known);
    }
    return NULL;
}

/* low/high: numbers in the key's domain, low <= high. */
static bool parse_bound(struct parse_state *state, const ynode *node, const char *name,
                        const struct subject *subject, double *value)
{
    char why[WHY_MAX], requirement[128];
    if (scalar_number(node, value, why, sizeof why) != 0) {
        report_not_number(state, node, name, false, why);
        return false;
    }
    if (!domain_contains(subject->domain, *value)) {
        report(state, node, "'%s' must be %s, got %g", name,
               format_requirement(subject->domain, requirement, sizeof requirement), *value);
        return false;
    }
    return true;
}

static void parse_bounds(struct parse_state *state, const ynode *map,
                         const struct subject *subject, struct dist_spec *out)
{
    const ynode *low = ynode_map_get(map, "low"), *high = ynode_map_get(map, "high");
    out->has_low = low && parse_bound(state, low, "low", subject, &out->low);
    out->has_high = high && parse_bound(state, high, "high", subject, &out->high);
    if (out->has_low && out->has_high && !(out->low <= out->high))
        report(state, low, "'low' must be at most 'high'");
}

/* An argument given as a distribution: parsed with the argument's domain,
 * registered, and summarised by its support and mean. */
static void parse_uncertain_argument(struct parse_state *state, const ynode *node,
                                     const char *name, const struct dist_domain *domain,
                                     const struct subject *subject, struct dist_arg *arg)
{
    char *path = join_path(subject->arg_prefix, ".", name);
    if (!path) {
        report(state, node, "out of memory");
        return;
    }
    struct subject nested = {domain, name, path, path, true, false};
    struct dist_spec spec;
    if (parse_value(state, node, &nested, &spec) != 0) {
        free(path);
        return;
    }
    struct dist_domain support;
    double mean = NAN;
    spec_support_full(&spec, &support);
    if (spec_mean(&spec, &mean) != 0) {
        report(state, node, "out of memory");
        dist_spec_clear(&spec);
        free(path);
        return;
    }
    /* On success the registry owns what spec held; on failure it took nothing. */
    int index = state->ctx->register_uncertain(state->ctx->user, path, &spec);
    free(path);
    if (index < 0) {
        dist_spec_clear(&spec);
        report(state, node, "out of memory");
        return;
    }
    *arg = (struct dist_arg){mean, index, support.lo, support.hi};
}

static void parse_argument(struct parse_state *state, const ynode *node, const char *name,
                           const struct dist_domain *domain, const struct subject *subject,
                           struct dist_arg *arg)
{
    if (node->kind == YNODE_MAP) {
        if (subject->may_be_uncertain)
            parse_uncertain_argument(state, node, name, domain, subject, arg);
        else if (subject->is_argument)
            report(state, node, "'%s' must be a number here (the arguments of an uncertain "
                   "argument's distribution must be numbers)", name);
        else
            report(state, node, "'%s' must be a number here (only person-level distributions "
                   "may have uncertain arguments)", name);
        return;
    }
    double value;
    char why[WHY_MAX], requirement[128];
    if (scalar_number(node, &value, why, sizeof why) != 0) {
        report_not_number(state, node, name, subject->may_be_uncertain, why);
        return;
    }
    if (!domain_contains(domain, value)) {
        report(state, node, "'%s' must be %s", name,
               format_requirement(domain, requirement, sizeof requirement));
        return;
    }
    *arg = (struct dist_arg){value, -1, value, value};
}

/* The arguments together, at every corner of the uncertain ones; with fixed
 * arguments also that the sampler can be prepared. */
static void check_arguments(struct parse_state *state, const ynode *map,
                            const struct dist_kind_info *info, const struct dist_spec *out)
{
    const struct dist_form *form = &info->forms[out->form];
    unsigned corners = corner_count(out, form->n_keys);
    double values[DIST_MAX_ARGS] = {0.0, 0.0, 0.0};
    char why[WHY_MAX];
    for (unsigned corner = 0; corner < corners; corner++) {
        corner_values(out, form->n_keys, corner, values);
        if (!info->check || info->check(out->form, values, why, sizeof why) == 0)
            continue;
        if (corners == 1) {
            report(state, map, "%s", why);
        } else {
            char at[256];
            report(state, map, "%s; the uncertain arguments can reach %s", why,
                   format_arguments(form, values, at, sizeof at));
        }
        return;
    }
    if (corners == 1) {
        struct dist trial = {.kind = out->kind, .spec = out};
        if (info->prepare(&trial, out->form, values, why, sizeof why) != 0)
            report(state, map, "%s", why);
    }
}

static void parse_numeric_arguments(struct parse_state *state, const ynode *map,
                                    const struct dist_kind_info *info, const ynode *const *given,
                                    const struct subject *subject, struct dist_spec *out)
{
    int errors_before = state->errors;
    const struct dist_form *form = &info->forms[out->form];
    bool all_given = true;
    for (size_t i = 0; i < form->n_keys; i++) {
        if (given[i])
            parse_argument(state, given[i], form->keys[i], &form->domains[i], subject,
                           &out->args[i]);
        else
            all_given = false;
    }
    if (all_given && state->errors == errors_before)
        check_arguments(state, map, info, out);
}

static int parse_map(struct parse_state *state, const ynode *map, const struct subject *subject,
                     struct dist_spec *out)
{
    int errors_before = state->errors;
    const struct dist_kind_info *info = lookup_kind(state, map);
    if (!info)
        return -1;
    out->kind = (enum dist_kind)(info - KINDS);

    const ynode *given[2][DIST_MAX_ARGS] = {{NULL}};
    bool form_used[2] = {false, false};
    for (size_t i = 0; i < map->count; i++) {
        const struct ynode_pair *pair = &map->pairs[i];
        int form;
        size_t index;
        if (is_reserved_key(pair->key))
            continue;
        if (!find_key(info, pair->key, &form, &index)) {
            report_unknown_key(state, map, pair, info);
            continue;
        }
        given[form][index] = pair->value;
        form_used[form] = true;
    }

    char forms[256];
    bool mixed = form_used[0] && form_used[1];
    int form = form_used[1] ? 1 : 0;
    if (mixed) {
        report(state, map, "%s takes either %s", info->name,
               format_forms(info, false, false, forms, sizeof forms));
    } else if (!form_used[0] && !form_used[1] && info->n_forms == 2) {
        report(state, map, "%s needs either %s", info->name,
               format_forms(info, true, info->data_parse != NULL, forms, sizeof forms));
    } else {
        const struct dist_form *chosen = &info->forms[form];
        for (size_t i = 0; i < chosen->n_required; i++)
            if (!given[form][i])
                report(state, map, "%s needs '%s'", info->name, chosen->keys[i]);
    }
    parse_bounds(state, map, subject, out);
    if (mixed)
        return -1;
    out->form = form;
    if (info->data_parse)
        info->data_parse(state, map, given[form], form, subject, out);
    else
        parse_numeric_arguments(state, map, info, given[form], subject, out);
    if (state->errors > errors_before)
        return -1;

    struct dist_domain support;
    spec_support_full(out, &support);
    if (!domain_includes(subject->domain, &support)) {
        char interval[128];
        format_interval(subject->domain, interval, sizeof interval);
        if (subject->is_argument)
            report(state, map, "the distribution for '%s' can take values outside %s",
                   subject->name, interval);
        else
            report(state, map, "%s %s distribution can take values outside %s, the allowed "
                   "range of '%s'", info->article, info->name, interval, subject->key_path);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------ empirical, mixture */

/* A list of numbers; 0, or -1 after reporting. */
static int read_number_list(struct parse_state *state, const ynode *node, const char *name,
                            const char *what, double **out, size_t *count)
{
    char description[128], why[WHY_MAX];
    *out = NULL;
    *count = 0;
    if (node->kind != YNODE_SEQ) {
        report(state, node, "'%s' must be a list of %s, got %s", name, what,
               ynode_describe(node, description, sizeof description));
        return -1;
    }
    if (node->count == 0) {
        report(state, node, "'%s' must hold at least one number", name);
        return -1;
    }
    double *numbers = malloc(node->count * sizeof *numbers);
    if (!numbers) {
        report(state, node, "out of memory");
        return -1;
    }
    int errors_before = state->errors;
    for (size_t i = 0; i < node->count; i++)
        if (scalar_number(node->items[i], &numbers[i], why, sizeof why) != 0)
            report(state, node->items[i], "%s", why);
    if (state->errors > errors_before) {
        free(numbers);
        return -1;
    }
    *out = numbers;
    *count = node->count;
    return 0;
}

/* Weights: as many as the things they weigh, none negative, a positive sum. */
static int check_weights(struct parse_state *state, const ynode *node, const double *weights,
                         size_t count, const char *weighed, size_t n_weighed)
{
    if (count != n_weighed) {
        report(state, node, "'weights' has %zu %s but '%s' has %zu", count,
               count == 1 ? "entry" : "entries", weighed, n_weighed);
        return -1;
    }
    int errors_before = state->errors;
    for (size_t i = 0; i < count; i++)
        if (!(weights[i] >= 0.0))
            report(state, node->items[i], "a weight must be at least 0, got %g", weights[i]);
    if (state->errors > errors_before)
        return -1;
    double total = total_weight(weights, count);
    if (!(total > 0.0)) {
        report(state, node, "the weights must add up to more than 0");
        return -1;
    }
    if (!isfinite(total)) {
        report(state, node, "the weights add up to more than the largest number");
        return -1;
    }
    return 0;
}

struct weighted_value {
    double value, weight;
};

static int compare_weighted_values(const void *a, const void *b)
{
    const struct weighted_value *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    if (x->weight != y->weight)
        return x->weight < y->weight ? -1 : 1;
    return 0;
}

/* Sorts values ascending, keeping each weight with its value. 0 or -1 (OOM). */
static int sort_by_value(double *values, double *weights, size_t count)
{
    struct weighted_value *pairs = malloc(count * sizeof *pairs);
    if (!pairs)
        return -1;
    for (size_t i = 0; i < count; i++)
        pairs[i] = (struct weighted_value){values[i], weights[i]};
    qsort(pairs, count, sizeof *pairs, compare_weighted_values);
    for (size_t i = 0; i < count; i++) {
        values[i] = pairs[i].value;
        weights[i] = pairs[i].weight;
    }
    free(pairs);
    return 0;
}

static const char *error_text(int error, char *buf, size_t size)
{
    if (strerror_r(error, buf, size) != 0)
        snprintf(buf, size, "error %d", error);
    return buf;
}

/* The line without surrounding blanks (and without a UTF-8 byte order mark on
 * the first line); modifies line. */
static char *trim_line(char *line, bool first_line)
{
    static const char byte_order_mark[] = "\xEF\xBB\xBF";
    if (first_line && strncmp(line, byte_order_mark, sizeof byte_order_mark - 1) == 0)
        line += sizeof byte_order_mark - 1;
    while (*line == ' ' || *line == '\t')
        line++;
    size_t length = strlen(line);
    while (length > 0 && strchr(" \t\r\n", line[length - 1]))
        line[--length] = '\0';
    return line;
}

/* Reads one number per line from the file named by node (relative to
 * ctx->base_dir unless absolute). 0, or -1 after reporting. */
#define EMPIRICAL_MAX_FILE_BYTES ((off_t)1 << 30)

static int read_values_file(struct parse_state *state, const ynode *node, double **out,
                            size_t *count_out)
{
    char description[128], reason[128];
    *out = NULL;
    *count_out = 0;
    if (node->kind != YNODE_SCALAR || node->length == 0 || strlen(node->text) != node->length) {
        report(state, node, "'file' must be a file name, got %s",
               ynode_describe(node, description, sizeof description));
        return -1;
    }
    const char *name = node->text, *base_dir = state->ctx->base_dir;
    bool relative = name[0] != '/' && base_dir && base_dir[0];
    size_t base_length = relative ? strlen(base_dir) : 0;
    char *path = relative ? join_path(base_dir, base_dir[base_length - 1] == '/' ? "" : "/", name)
                          : join_path("", "", name);
    if (!path) {
        report(state, node, "out of memory");
        return -1;
    }
    /* Only a regular file of bounded size: a device (/dev/zero), a FIFO or a
     * terminal would never end or would block. O_NONBLOCK keeps open() itself
     * from waiting on a FIFO. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0) {
        report(state, node, "cannot read '%.256s': %s", name,
               error_text(errno, reason, sizeof reason));
        if (fd >= 0)
            close(fd);
        free(path);
        return -1;
    }
    if (!S_ISREG(info.st_mode) || info.st_size > EMPIRICAL_MAX_FILE_BYTES) {
        report(state, node, S_ISREG(info.st_mode) ? "'%.256s' is larger than 1 GiB"
                                                  : "'%.256s' is not a regular file", name);
        close(fd);
        free(path);
        return -1;
    }
    FILE *file = fdopen(fd, "r");
    if (!file) {
        report(state, node, "cannot read '%.256s': %s", name,
               error_text(errno, reason, sizeof reason));
        close(fd);
        free(path);
        return -1;
    }

    double *values = NULL;
    size_t count = 0, capacity = 0, line_capacity = 0, line_number = 0;
    char *line = NULL;
    bool failed = false, seen_a_line = false;
    int read_error = 0;
    for (;;) {
        errno = 0;
        ssize_t length = getline(&line, &line_capacity, file);
        if (length < 0) {
            read_error = errno;
            break;
        }
        line_number++;
        bool has_nul = strlen(line) != (size_t)length;
        char *text = trim_line(line, line_number == 1);
        if (text[0] == '\0' && !has_nul)
            continue;
        double value;
        if (has_nul || text_to_double(text, &value) != 0 || !isfinite(value)) {
            if (!seen_a_line) {   /* a header */
                seen_a_line = true;
                continue;
            }
            report_at(state, path, line_number > INT_MAX ? 0 : (int)line_number, 1,
                      "expected a number, got '%.64s'", text);
            failed = true;
            break;
        }
        seen_a_line = true;
        if (count == EMPIRICAL_MAX_VALUES) {
            report(state, node, "'%.256s' holds more than %d values", name, EMPIRICAL_MAX_VALUES);
            failed = true;
            break;
        }
        if (count == capacity) {
            size_t grown = capacity ? 2 * capacity : 1024;
            double *bigger = realloc(values, grown * sizeof *values);
            if (!bigger) {
                report(state, node, "out of memory");
                failed = true;
                break;
            }
            values = bigger;
            capacity = grown;
        }
        values[count++] = value;
    }
    if (!failed && ferror(file)) {
        report(state, node, "cannot read '%.256s': %s", name,
               error_text(read_error ? read_error : EIO, reason, sizeof reason));
        failed = true;
    }
    free(line);
    fclose(file);
    free(path);
    if (!failed && count == 0) {
        report(state, node, "'%.256s' holds no values", name);
        failed = true;
    }
    if (failed) {
        free(values);
        return -1;
    }
    *out = values;
    *count_out = count;
    return 0;
}

static int parse_empirical(struct parse_state *state, const ynode *map, const ynode *const *given,
                           int form, const struct subject *subject, struct dist_spec *out)
{
    (void)subject;
    int errors_before = state->errors;
    double *values = NULL, *weights = NULL;
    size_t count = 0, n_weights = 0;
    if (form == 0) {
        if (given[0])
            read_number_list(state, given[0], "values", "numbers", &values, &count);
        if (given[1]
            && read_number_list(state, given[1], "weights", "numbers", &weights, &n_weights) == 0
            && values)
            check_weights(state, given[1], weights, n_weights, "values", count);
    } else if (given[0]) {
        read_values_file(state, given[0], &values, &count);
    }
    /* count 0: 'values' was missing, which has been reported */
    if (state->errors > errors_before || count == 0) {
        free(values);
        free(weights);
        return -1;
    }
    if (!weights) {
        weights = malloc(count * sizeof *weights);
        for (size_t i = 0; weights && i < count; i++)
            weights[i] = 1.0;
    }
    out->values = values;
    out->weights = weights;
    if (!weights || sort_by_value(values, weights, count) != 0) {
        report(state, map, "out of memory");
        return -1;
    }
    out->n_values = count;
    out->discrete = gsl_ran_discrete_preproc(count, weights);
    if (!out->discrete) {
        report(state, map, "out of memory");
        return -1;
    }
    return 0;
}

static int parse_mixture(struct parse_state *state, const ynode *map, const ynode *const *given,
                         int form, const struct subject *subject, struct dist_spec *out)
{
    (void)form;
    int errors_before = state->errors;
    const ynode *list = given[0], *weights_node = given[1];
    char description[128];
    size_t count = 0;
    if (list && list->kind != YNODE_SEQ) {
        report(state, list, "'components' must be a list of distributions, got %s",
               ynode_describe(list, description, sizeof description));
    } else if (list && list->count == 0) {
        report(state, list, "'components' must hold at least one distribution");
    } else if (list) {
        out->components = calloc(list->count, sizeof *out->components);
        if (!out->components) {
            report(state, list, "out of memory");
        } else {
            count = list->count;
            for (size_t i = 0; i < count; i++)
                dist_spec_fixed(&out->components[i], 0.0);
            out->n_components = count;
            for (size_t i = 0; i < count; i++) {
                char index[48];
                snprintf(index, sizeof index, ".components.%zu", i);
                char *prefix = join_path(subject->arg_prefix, "", index);
                if (!prefix) {
                    report(state, list->items[i], "out of memory");
                    continue;
                }
                struct subject component = *subject;
                component.arg_prefix = prefix;
                parse_value(state, list->items[i], &component, &out->components[i]);
                free(prefix);
            }
        }
    }
    if (weights_node) {
        double *weights;
        size_t n_weights;
        if (read_number_list(state, weights_node, "weights", "numbers", &weights,
                             &n_weights) == 0) {
            out->component_weights = weights;
            if (count > 0)
                check_weights(state, weights_node, weights, n_weights, "components", count);
        }
    }
    /* without components or weights the missing key has been reported */
    if (state->errors > errors_before || count == 0 || !out->component_weights)
        return -1;
    out->discrete = gsl_ran_discrete_preproc(count, out->component_weights);
    if (!out->discrete) {
        report(state, map, "out of memory");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------- entry */

int dist_parse(const ynode *node, const struct dist_domain *domain,
               const struct dist_parse_ctx *ctx, struct dist_spec *out, diag_list *diags)
{
    static const struct dist_parse_ctx no_context = {NULL, NULL, false, NULL, NULL};
    if (!ctx)
        ctx = &no_context;
    struct parse_state state = {ctx, diags, 0};
    const char *path = ctx->path && ctx->path[0] ? ctx->path : "value";
    const char *dot = strrchr(path, '.');
    struct subject subject = {
        .domain = domain,
        .name = dot ? dot + 1 : path,
        .key_path = path,
        .arg_prefix = path,
        .is_argument = false,
        .may_be_uncertain = ctx->allow_uncertain_args && ctx->register_uncertain != NULL,
    };
    if (!node) {
        dist_spec_fixed(out, 0.0);
        report_at(&state, NULL, 0, 0, "'%s' has no value", subject.name);
        return -1;
    }
    if (parse_value(&state, node, &subject, out) != 0 || state.errors > 0) {
        dist_spec_clear(out);
        return -1;
    }
    return 0;
}
