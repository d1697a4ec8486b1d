/* dist: the probability distributions a scenario may name. Each is parsed
 * from `{dist: NAME, ...}` (or a plain number, which is fixed), checked
 * against the domain of the key it stands for, resolved once its uncertain
 * arguments are known, and sampled with GSL's own generators. One table entry
 * per distribution: a new distribution is one new entry.
 *
 * Two levels of uncertainty: an argument of a distribution may itself be a
 * distribution (`mean: {dist: uniform, min: 30, max: 180}`). Such an argument
 * is registered through the parse context and becomes an index into the
 * vector of values drawn once per replication; dist_resolve reads them. */
#ifndef AVRRSIM_DIST_H
#define AVRRSIM_DIST_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "diag.h"
#include "yamltree.h"

enum dist_kind {
    DIST_FIXED, DIST_UNIFORM, DIST_NORMAL, DIST_LOGNORMAL, DIST_GAMMA, DIST_BETA,
    DIST_TRIANGULAR, DIST_PERT, DIST_EXPONENTIAL, DIST_EMPIRICAL, DIST_MIXTURE
};

/* The set of values a key may take: [lo, hi], each end open or closed,
 * possibly infinite. A distribution is accepted for a key only if its whole
 * support lies inside the key's domain. */
struct dist_domain {
    double lo, hi;
    bool lo_open, hi_open;
};

/* An argument: fixed (uncertain < 0, value) or the uncertain parameter with
 * that index, whose values lie in [lo, hi] (for a fixed argument lo = hi = value). */
struct dist_arg {
    double value;
    int uncertain;
    double lo, hi;
};

enum { DIST_MAX_ARGS = 3 };

/* A distribution as written, before its uncertain arguments are drawn. */
struct dist_spec {
    enum dist_kind kind;
    int form;                           /* parameterisation: 0 the first listed, 1 the second */
    struct dist_arg args[DIST_MAX_ARGS];
    /* empirical: values and weights (weights all 1 when not given) */
    size_t n_values;
    double *values, *weights;
    /* mixture: components and their weights */
    size_t n_components;
    struct dist_spec *components;
    double *component_weights;
    /* optional `low`/`high` given beside the distribution (for sensitivity) */
    bool has_low, has_high;
    double low, high;
    /* where it was written, for messages; file is interned (lives forever) */
    const char *file;
    int line, column;
    /* prepared once by dist_parse: the discrete table for empirical and mixture */
    gsl_ran_discrete_t *discrete;
};

/* A distribution ready to sample: every argument known, sampler parameters
 * computed. Allocate with dist_alloc_for (mixtures need room for their
 * components), refill with dist_resolve as often as needed, free with dist_free. */
struct dist {
    enum dist_kind kind;
    double p[4];                        /* sampler parameters, kind-specific */
    const struct dist_spec *spec;       /* borrowed: empirical values, discrete tables */
    struct dist *components;            /* mixture only */
};

/* Callbacks and settings for parsing. */
struct dist_parse_ctx {
    /* Directory that `empirical(file: ...)` paths are relative to. */
    const char *base_dir;
    /* Path of the key being parsed, for registering uncertain arguments and
     * for messages ("model.detention.length_days"). */
    const char *path;
    /* Whether arguments may themselves be distributions (person-level keys). */
    bool allow_uncertain_args;
    /* Registers an uncertain argument: a scalar distribution (whose arguments
     * are fixed) standing for the argument at `arg_path`. Returns its index,
     * or -1 on failure (out of memory). Takes ownership of *spec's contents. */
    int (*register_uncertain)(void *user, const char *arg_path, struct dist_spec *spec);
    void *user;
};

/* Parses node (a plain number or a `{dist: ...}` map) into *out, checking
 * names, argument domains, feasibility (a beta's mean and sd, a triangular's
 * order, ...) and that the support lies in *domain. Uncertain arguments are
 * checked at every corner of their supports. Returns 0, or -1 after adding
 * every problem found to diags (with the node's file:line:column). */
int dist_parse(const ynode *node, const struct dist_domain *domain,
               const struct dist_parse_ctx *ctx, struct dist_spec *out, diag_list *diags);

/* A fixed value as a spec (used for defaults). */
void dist_spec_fixed(struct dist_spec *out, double value);

/* Deep copy (the discrete table is rebuilt). 0 or -1 on OOM. */
int dist_spec_copy(struct dist_spec *dst, const struct dist_spec *src);

/* Frees what the spec owns (not the spec itself). */
void dist_spec_clear(struct dist_spec *spec);

/* Support [lo, hi] of the spec over every value its uncertain arguments may
 * take (each argument ranging over its own [lo, hi]). */
void dist_spec_support(const struct dist_spec *spec, double *lo, double *hi);

/* Whether two specs are the same distribution with the same arguments. */
bool dist_spec_equal(const struct dist_spec *a, const struct dist_spec *b);

/* The canonical name of a kind ("lognormal"). */
const char *dist_kind_name(enum dist_kind kind);

/* A sampler for spec; NULL on OOM. */
struct dist *dist_alloc_for(const struct dist_spec *spec);
void dist_free(struct dist *d);   /* NULL ok */

/* Fills d from spec with the replication's uncertain values (may be NULL when
 * spec has no uncertain arguments). Returns 0, or -1 when the drawn arguments
 * make the distribution impossible, with a reason in why. */
int dist_resolve(struct dist *d, const struct dist_spec *spec, const double *uncertain,
                 char *why, size_t why_size);

/* One draw. */
double dist_sample(const struct dist *d, const gsl_rng *rng);

/* Moments, cdf and quantile of a resolved distribution. */
double dist_mean(const struct dist *d);
double dist_variance(const struct dist *d);
double dist_cdf(const struct dist *d, double x);
double dist_quantile(const struct dist *d, double p);   /* p in [0, 1] */

#endif
