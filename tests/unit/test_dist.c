/* Unit tests for engine/dist: sampling moments against closed forms, spot
 * values of cdf and quantile worked out by hand, every parse error with its
 * exact text and position, domain and support rules, uncertain arguments
 * (registration paths, corner checks) and empirical data files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "engine/diag.h"
#include "engine/dist.h"
#include "engine/yamltree.h"

enum { SAMPLES = 200000, REGISTRY_MAX = 8 };
static const unsigned long SEED = 20240611UL;

/* cmocka 1.1 compares only floats; this compares doubles within tolerance. */
#define assert_close(actual, expected, tolerance) \
    assert_close_at((actual), (expected), (tolerance), __FILE__, __LINE__)

static void assert_close_at(double actual, double expected, double tolerance,
                            const char *file, int line)
{
    if (!(fabs(actual - expected) <= tolerance)) {
        print_error("%.17g is not within %g of %.17g\n", actual, tolerance, expected);
        _fail(file, line);
    }
}

static const struct dist_domain ANYTHING = {-INFINITY, INFINITY, true, true};
static const struct dist_domain PROBABILITY = {0.0, 1.0, false, false};
static const struct dist_domain COST = {0.0, INFINITY, false, true};
static const struct dist_domain POSITIVE = {0.0, INFINITY, true, true};

/* ------------------------------------------------------------- fixtures */

/* Stands in for the scenario's list of uncertain parameters. */
struct registry {
    size_t count;
    char *paths[REGISTRY_MAX];
    struct dist_spec specs[REGISTRY_MAX];
};

static int record_uncertain(void *user, const char *arg_path, struct dist_spec *spec)
{
    struct registry *registry = user;
    if (registry->count == REGISTRY_MAX)
        return -1;
    char *path = strdup(arg_path);
    if (!path)
        return -1;
    registry->paths[registry->count] = path;
    registry->specs[registry->count] = *spec;
    memset(spec, 0, sizeof *spec);   /* ownership taken, as the scenario does */
    return (int)registry->count++;
}

struct parsed {
    ynode *root;
    diag_list *diags;
    struct dist_spec spec;
    struct registry registry;
    int status;
};

/* Loads yaml as the value of key `path` and parses it. */
static void parse_with(struct parsed *p, const char *yaml, const char *path,
                       const struct dist_domain *domain, bool allow_uncertain, const char *base_dir)
{
    memset(p, 0, sizeof *p);
    p->diags = diag_list_new();
    assert_non_null(p->diags);
    assert_int_equal(ytree_load_string("test.yaml", yaml, strlen(yaml), &p->root, p->diags), 0);
    struct dist_parse_ctx ctx = {
        .base_dir = base_dir,
        .path = path,
        .allow_uncertain_args = allow_uncertain,
        .register_uncertain = record_uncertain,
        .user = &p->registry,
    };
    p->status = dist_parse(p->root, domain, &ctx, &p->spec, p->diags);
}

static void parse_plain(struct parsed *p, const char *yaml)
{
    parse_with(p, yaml, "model.x", &ANYTHING, false, NULL);
}

static void parsed_clear(struct parsed *p)
{
    dist_spec_clear(&p->spec);
    for (size_t i = 0; i < p->registry.count; i++) {
        free(p->registry.paths[i]);
        dist_spec_clear(&p->registry.specs[i]);
    }
    ynode_free(p->root);
    diag_list_free(p->diags);
}

static void print_diags(const struct parsed *p)
{
    for (size_t i = 0; i < diag_count(p->diags); i++) {
        const struct diag *d = diag_at(p->diags, i);
        print_message("  %s:%d:%d: %s\n", d->file ? d->file : "(none)", d->line, d->column,
                      d->message);
    }
}

static void expect_ok(struct parsed *p)
{
    if (p->status != 0 || diag_count(p->diags) != 0)
        print_diags(p);
    assert_int_equal(p->status, 0);
    assert_int_equal(diag_count(p->diags), 0);
}

static void expect_diag(const struct parsed *p, size_t index, const char *file, int line,
                        int column, const char *message)
{
    if (diag_count(p->diags) <= index)
        print_diags(p);
    assert_true(diag_count(p->diags) > index);
    const struct diag *d = diag_at(p->diags, index);
    assert_string_equal(d->message, message);
    assert_string_equal(d->file, file);
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, column);
}

/* Exactly one error, with this text at test.yaml:line:column. */
static void expect_only_error(const char *yaml, const char *path, const struct dist_domain *domain,
                              bool allow_uncertain, const char *message, int line, int column)
{
    struct parsed p;
    parse_with(&p, yaml, path, domain, allow_uncertain, NULL);
    assert_int_equal(p.status, -1);
    if (diag_count(p.diags) != 1)
        print_diags(&p);
    assert_int_equal(diag_count(p.diags), 1);
    expect_diag(&p, 0, "test.yaml", line, column, message);
    /* a failed parse leaves nothing to free */
    assert_int_equal(p.spec.kind, DIST_FIXED);
    assert_null(p.spec.values);
    assert_null(p.spec.components);
    assert_null(p.spec.discrete);
    parsed_clear(&p);
}

static struct dist *resolved(const struct dist_spec *spec, const double *uncertain)
{
    struct dist *d = dist_alloc_for(spec);
    assert_non_null(d);
    char why[256] = "";
    int status = dist_resolve(d, spec, uncertain, why, sizeof why);
    if (status != 0)
        print_message("dist_resolve: %s\n", why);
    assert_int_equal(status, 0);
    return d;
}

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

/* ------------------------------------------------------------- sampling */

/* Draws SAMPLES values with taus2 from SEED and checks:
 *  - dist_mean and dist_variance against the hand-computed values;
 *  - the sample mean within 4 standard errors, sqrt(variance / n);
 *  - the sample variance within 4 of its standard errors, using the exact
 *    variance of the sample variance, (mu4 - sigma^4 (n-3)/(n-1)) / n, where
 *    mu4 is the fourth central moment of the distribution (given per case). */
static void check_sampling(const char *yaml, double mean, double variance, double mu4)
{
    struct parsed p;
    parse_plain(&p, yaml);
    expect_ok(&p);
    struct dist *d = resolved(&p.spec, NULL);
    assert_close(dist_mean(d), mean, 1e-12 * fmax(1.0, fabs(mean)));
    assert_close(dist_variance(d), variance, 1e-12 * fmax(1.0, variance));

    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    assert_non_null(rng);
    gsl_rng_set(rng, SEED);
    double running_mean = 0.0, sum_squares = 0.0;
    for (int i = 1; i <= SAMPLES; i++) {
        double x = dist_sample(d, rng);
        double delta = x - running_mean;
        running_mean += delta / i;
        sum_squares += delta * (x - running_mean);
    }
    double n = SAMPLES, sample_variance = sum_squares / (n - 1.0);
    double se_mean = sqrt(variance / n);
    double se_variance = sqrt((mu4 - variance * variance * (n - 3.0) / (n - 1.0)) / n);
    assert_close(running_mean, mean, 4.0 * se_mean);
    assert_close(sample_variance, variance, 4.0 * se_variance);
    gsl_rng_free(rng);
    dist_free(d);
    parsed_clear(&p);
}

/* Fourth central moment of beta(a, b) from its excess kurtosis
 * 6[(a-b)^2(a+b+1) - ab(a+b+2)] / [ab(a+b+2)(a+b+3)]. */
static double beta_mu4(double a, double b)
{
    double variance = a * b / ((a + b) * (a + b) * (a + b + 1.0));
    double excess = 6.0 * ((a - b) * (a - b) * (a + b + 1.0) - a * b * (a + b + 2.0))
                    / (a * b * (a + b + 2.0) * (a + b + 3.0));
    return (3.0 + excess) * variance * variance;
}

/* Fourth central moment of a lognormal whose log has variance s2: kurtosis
 * e^{4 s2} + 2 e^{3 s2} + 3 e^{2 s2} - 3 times the variance squared. */
static double lognormal_mu4(double variance, double s2)
{
    return (exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 3) * variance * variance;
}

static void test_sample_uniform(void **state)
{
    (void)state;
    /* width 4: mean 4, variance 16/12, mu4 = 9/5 sigma^4 */
    double v = 16.0 / 12.0;
    check_sampling("{dist: uniform, min: 2, max: 6}", 4.0, v, 1.8 * v * v);
}

static void test_sample_normal(void **state)
{
    (void)state;
    check_sampling("{dist: normal, mean: 10, sd: 3}", 10.0, 9.0, 3.0 * 81.0);
}

static void test_sample_lognormal(void **state)
{
    (void)state;
    /* mean and sd of the variable itself; log-variance log(1 + (85/46)^2) */
    double s2 = log(1.0 + (85.0 / 46.0) * (85.0 / 46.0));
    check_sampling("{dist: lognormal, mean: 46, sd: 85}", 46.0, 85.0 * 85.0,
                   lognormal_mu4(85.0 * 85.0, s2));
    /* meanlog 1, sdlog 0.5: mean e^{1.125}, variance (e^{0.25} - 1) e^{2.25} */
    double v = (exp(0.25) - 1.0) * exp(2.25);
    check_sampling("{dist: lognormal, meanlog: 1, sdlog: 0.5}", exp(1.125), v,
                   lognormal_mu4(v, 0.25));
}

static void test_sample_gamma(void **state)
{
    (void)state;
    /* mean 10 sd 5: shape 4, scale 2.5; mu4 = (3 + 6/shape) sigma^4 */
    check_sampling("{dist: gamma, mean: 10, sd: 5}", 10.0, 25.0, 4.5 * 625.0);
    /* shape 0.5 scale 2: mean 1, variance 2, mu4 = 15 * 4 */
    check_sampling("{dist: gamma, shape: 0.5, scale: 2}", 1.0, 2.0, 15.0 * 4.0);
}

static void test_sample_beta(void **state)
{
    (void)state;
    /* mean 0.3 sd 0.1: concentration 0.21/0.01 - 1 = 20, alpha 6, beta 14 */
    check_sampling("{dist: beta, mean: 0.3, sd: 0.1}", 0.3, 0.01, beta_mu4(6.0, 14.0));
    /* beta(2, 5): mean 2/7, variance 10 / (49 * 8) */
    check_sampling("{dist: beta, alpha: 2, beta: 5}", 2.0 / 7.0, 10.0 / 392.0, beta_mu4(2, 5));
}

static void test_sample_triangular(void **state)
{
    (void)state;
    /* (0, 1, 4): mean 5/3, variance (0 + 1 + 16 - 0 - 0 - 4)/18 = 13/18, mu4 = 2.4 sigma^4 */
    double v = 13.0 / 18.0;
    check_sampling("{dist: triangular, min: 0, mode: 1, max: 4}", 5.0 / 3.0, v, 2.4 * v * v);
}

static void test_sample_pert(void **state)
{
    (void)state;
    /* (0, 1, 4): 4 * beta(2, 4); mean (0 + 4 + 4)/6 = 4/3, variance 16 * 8/(36 * 7) */
    check_sampling("{dist: pert, min: 0, mode: 1, max: 4}", 4.0 / 3.0, 16.0 * 8.0 / 252.0,
                   256.0 * beta_mu4(2.0, 4.0));
}

static void test_sample_exponential(void **state)
{
    (void)state;
    check_sampling("{dist: exponential, mean: 3}", 3.0, 9.0, 9.0 * 81.0);
}

static void test_sample_empirical(void **state)
{
    (void)state;
    /* values 5,1,2,2 weights 4,1,2,3 (total 10): mean (20+1+4+6)/10 = 3.1,
     * E[x^2] = (100+1+8+12)/10 = 12.1, variance 12.1 - 9.61 = 2.49,
     * mu4 = (4*1.9^4 + 2.1^4 + 5*1.1^4)/10 = (52.1284 + 19.4481 + 7.3205)/10 */
    check_sampling("{dist: empirical, values: [5, 1, 2, 2], weights: [4, 1, 2, 3]}", 3.1, 2.49,
                   7.8897);
}

static void test_sample_mixture(void **state)
{
    (void)state;
    /* 1/4 normal(0, 1) + 3/4 uniform(4, 6): mean 3.75;
     * variance 0.25 (1 + 3.75^2) + 0.75 (1/3 + 1.25^2) = 5.1875;
     * mu4: normal part d^4 + 6 d^2 + 3 with d = 3.75 -> 285.12890625,
     *      uniform part d^4 + 6 d^2/3 + 16/80 with d = 1.25 -> 5.76640625 */
    check_sampling("{dist: mixture, components: [{dist: normal, mean: 0, sd: 1}, "
                   "{dist: uniform, min: 4, max: 6}], weights: [1, 3]}",
                   3.75, 5.1875, 0.25 * 285.12890625 + 0.75 * 5.76640625);
}

static void test_sample_fixed(void **state)
{
    (void)state;
    check_sampling("7.5", 7.5, 0.0, 0.0);
}

/* ------------------------------------------------------- cdf, quantile */

static struct dist *parse_resolved(struct parsed *p, const char *yaml)
{
    parse_plain(p, yaml);
    expect_ok(p);
    return resolved(&p->spec, NULL);
}

static void test_spot_values(void **state)
{
    (void)state;
    struct parsed p;
    struct dist *d;

    /* triangular(0, 1, 4): cdf (x-0)^2/(4*1) below the mode, 1 - (4-x)^2/(4*3) above */
    d = parse_resolved(&p, "{dist: triangular, min: 0, mode: 1, max: 4}");
    assert_close(dist_quantile(d, 0.5), 4.0 - sqrt(6.0), 1e-14);
    assert_close(dist_cdf(d, 1.0), 0.25, 1e-15);
    assert_close(dist_cdf(d, 0.5), 0.0625, 1e-15);
    assert_close(dist_quantile(d, 0.0625), 0.5, 1e-15);
    assert_close(dist_cdf(d, 3.0), 11.0 / 12.0, 1e-15);
    assert_close(dist_cdf(d, -1.0), 0.0, 0.0);
    assert_close(dist_cdf(d, 5.0), 1.0, 0.0);
    dist_free(d);
    parsed_clear(&p);

    /* lognormal mean 46 sd 85: median exp(zeta) = 46 / sqrt(1 + (85/46)^2) */
    d = parse_resolved(&p, "{dist: lognormal, mean: 46, sd: 85}");
    assert_close(dist_quantile(d, 0.5), 21.893690647834223, 1e-11);
    assert_close(dist_quantile(d, 0.5), 46.0 / sqrt(1.0 + (85.0 / 46.0) * (85.0 / 46.0)), 1e-11);
    assert_close(dist_cdf(d, 21.893690647834223), 0.5, 1e-14);
    assert_close(dist_cdf(d, 0.0), 0.0, 0.0);
    dist_free(d);
    parsed_clear(&p);

    d = parse_resolved(&p, "{dist: normal, mean: 10, sd: 3}");
    assert_close(dist_quantile(d, 0.975), 10.0 + 3.0 * 1.959963984540054, 1e-12);
    assert_close(dist_cdf(d, 10.0), 0.5, 1e-15);
    dist_free(d);
    parsed_clear(&p);

    d = parse_resolved(&p, "{dist: uniform, min: 2, max: 6}");
    assert_close(dist_quantile(d, 0.25), 3.0, 1e-15);
    assert_close(dist_cdf(d, 5.0), 0.75, 1e-15);
    assert_close(dist_cdf(d, 1.0), 0.0, 0.0);
    assert_close(dist_cdf(d, 7.0), 1.0, 0.0);
    dist_free(d);
    parsed_clear(&p);

    d = parse_resolved(&p, "{dist: exponential, mean: 2}");
    assert_close(dist_quantile(d, 0.5), 2.0 * log(2.0), 1e-14);
    assert_close(dist_cdf(d, 2.0), 1.0 - exp(-1.0), 1e-15);
    assert_close(dist_cdf(d, -1.0), 0.0, 0.0);
    dist_free(d);
    parsed_clear(&p);

    /* gamma shape 2 scale 3: cdf(x) = 1 - e^{-x/3} (1 + x/3); at 3: 1 - 2/e */
    d = parse_resolved(&p, "{dist: gamma, shape: 2, scale: 3}");
    assert_close(dist_cdf(d, 3.0), 1.0 - 2.0 / exp(1.0), 1e-14);
    assert_close(dist_quantile(d, 1.0 - 2.0 / exp(1.0)), 3.0, 1e-9);
    dist_free(d);
    parsed_clear(&p);

    /* beta(2, 1): cdf x^2 */
    d = parse_resolved(&p, "{dist: beta, alpha: 2, beta: 1}");
    assert_close(dist_quantile(d, 0.25), 0.5, 1e-12);
    assert_close(dist_cdf(d, 0.5), 0.25, 1e-14);
    dist_free(d);
    parsed_clear(&p);

    /* pert(0, 0, 1) is beta(1, 5): cdf 1 - (1-x)^5; pert(0, 2, 4) is symmetric */
    d = parse_resolved(&p, "{dist: pert, min: 0, mode: 0, max: 1}");
    assert_close(dist_cdf(d, 0.5), 1.0 - 1.0 / 32.0, 1e-14);
    assert_close(dist_quantile(d, 1.0 - 1.0 / 32.0), 0.5, 1e-12);
    dist_free(d);
    parsed_clear(&p);
    d = parse_resolved(&p, "{dist: pert, min: 0, mode: 2, max: 4}");
    assert_close(dist_quantile(d, 0.5), 2.0, 1e-12);
    assert_close(dist_mean(d), 2.0, 1e-15);
    dist_free(d);
    parsed_clear(&p);

    /* empirical 1..4, equal weights: shares .25 .5 .75 1 */
    d = parse_resolved(&p, "{dist: empirical, values: [4, 3, 2, 1]}");
    assert_close(dist_quantile(d, 0.5), 2.0, 0.0);
    assert_close(dist_quantile(d, 0.51), 3.0, 0.0);
    assert_close(dist_quantile(d, 0.0), 1.0, 0.0);
    assert_close(dist_quantile(d, 1.0), 4.0, 0.0);
    assert_close(dist_cdf(d, 2.5), 0.5, 0.0);
    assert_close(dist_cdf(d, 0.5), 0.0, 0.0);
    assert_close(dist_cdf(d, 4.0), 1.0, 0.0);
    dist_free(d);
    parsed_clear(&p);
    /* weighted: sorted 1 (1), 2 (2), 2 (3), 5 (4) of 10: shares .1 .3 .6 1 */
    d = parse_resolved(&p, "{dist: empirical, values: [5, 1, 2, 2], weights: [4, 1, 2, 3]}");
    assert_close(dist_quantile(d, 0.1), 1.0, 0.0);
    assert_close(dist_quantile(d, 0.3), 2.0, 0.0);
    assert_close(dist_quantile(d, 0.61), 5.0, 0.0);
    assert_close(dist_cdf(d, 2.0), 0.6, 1e-15);
    dist_free(d);
    parsed_clear(&p);

    /* mixture 1/4 uniform(0, 1) + 3/4 uniform(1, 2) */
    d = parse_resolved(&p, "{dist: mixture, components: [{dist: uniform, min: 0, max: 1}, "
                           "{dist: uniform, min: 1, max: 2}], weights: [1, 3]}");
    assert_close(dist_cdf(d, 1.0), 0.25, 1e-15);
    assert_close(dist_cdf(d, 1.5), 0.625, 1e-15);
    assert_close(dist_quantile(d, 0.625), 1.5, 1e-10);
    assert_close(dist_quantile(d, 0.1), 0.4, 1e-10);
    assert_close(dist_quantile(d, 0.0), 0.0, 0.0);
    assert_close(dist_quantile(d, 1.0), 2.0, 0.0);
    assert_close(dist_mean(d), 0.25 * 0.5 + 0.75 * 1.5, 1e-15);
    dist_free(d);
    parsed_clear(&p);

    /* a plain number */
    d = parse_resolved(&p, "12.5");
    assert_close(dist_quantile(d, 0.3), 12.5, 0.0);
    assert_close(dist_cdf(d, 12.4), 0.0, 0.0);
    assert_close(dist_cdf(d, 12.5), 1.0, 0.0);
    assert_true(isnan(dist_quantile(d, 1.5)));
    dist_free(d);
    parsed_clear(&p);
}

/* cdf(quantile(p)) == p for continuous kinds. */
static void test_cdf_inverts_quantile(void **state)
{
    (void)state;
    static const char *const yamls[] = {
        "{dist: uniform, min: -3, max: 8}",
        "{dist: normal, mean: 10, sd: 3}",
        "{dist: lognormal, mean: 46, sd: 85}",
        "{dist: lognormal, meanlog: 0.5, sdlog: 1.5}",
        "{dist: gamma, mean: 10, sd: 5}",
        "{dist: gamma, shape: 0.5, scale: 2}",
        "{dist: beta, mean: 0.3, sd: 0.1}",
        "{dist: beta, alpha: 0.7, beta: 3}",
        "{dist: triangular, min: 0, mode: 1, max: 4}",
        "{dist: triangular, min: 0, mode: 0, max: 4}",
        "{dist: pert, min: 10, mode: 30, max: 100}",
        "{dist: exponential, mean: 3}",
        "{dist: mixture, components: [{dist: normal, mean: 0, sd: 1}, "
        "{dist: gamma, shape: 3, scale: 2}, {dist: uniform, min: 4, max: 6}], "
        "weights: [1, 2, 3]}",
    };
    static const double ps[] = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999};
    for (size_t i = 0; i < sizeof yamls / sizeof yamls[0]; i++) {
        struct parsed p;
        struct dist *d = parse_resolved(&p, yamls[i]);
        for (size_t j = 0; j < sizeof ps / sizeof ps[0]; j++) {
            double q = dist_quantile(d, ps[j]);
            if (!(fabs(dist_cdf(d, q) - ps[j]) <= 1e-10))
                print_message("%s at p = %g: quantile %.17g, cdf %.17g\n", yamls[i], ps[j], q,
                              dist_cdf(d, q));
            assert_close(dist_cdf(d, q), ps[j], 1e-10);
        }
        dist_free(d);
        parsed_clear(&p);
    }
}

/* ------------------------------------------------------------- errors */

static void test_error_unknown_distribution(void **state)
{
    (void)state;
    expect_only_error("{dist: gama, shape: 2, scale: 1}", "model.x", NULL, false,
                      "unknown distribution 'gama'; did you mean 'gamma'?", 1, 8);
    expect_only_error("{dist: foo}", "model.x", NULL, false,
                      "unknown distribution 'foo' (known: uniform, normal, lognormal, gamma, "
                      "beta, triangular, pert, exponential, empirical, mixture)", 1, 8);
    expect_only_error("{mean: 1, sd: 2}", "model.x", NULL, false,
                      "a distribution needs 'dist: NAME'", 1, 1);
    expect_only_error("{dist: [normal]}", "model.x", NULL, false,
                      "'dist' must be a distribution name, got a list", 1, 8);
}

static void test_error_keys(void **state)
{
    (void)state;
    struct parsed p;
    /* a typo is both an unknown key and a missing argument */
    parse_plain(&p, "{dist: lognormal, maen: 46, sd: 85}");
    assert_int_equal(p.status, -1);
    assert_int_equal(diag_count(p.diags), 2);
    expect_diag(&p, 0, "test.yaml", 1, 19,
                "unknown key 'maen' for lognormal; did you mean 'mean'?");
    expect_diag(&p, 1, "test.yaml", 1, 1, "lognormal needs 'mean'");
    parsed_clear(&p);

    expect_only_error("{dist: lognormal, mean: 46, sd: 85, shift: 3}", "model.x", NULL, false,
                      "unknown key 'shift' for lognormal (expected: mean, sd or meanlog, sdlog)",
                      1, 37);
    expect_only_error("{dist: lognormal, mean: 46}", "model.x", NULL, false,
                      "lognormal needs 'sd'", 1, 1);
    expect_only_error("{dist: lognormal}", "model.x", NULL, false,
                      "lognormal needs either mean, sd or meanlog, sdlog", 1, 1);
    expect_only_error("{dist: lognormal, mean: 46, sdlog: 1}", "model.x", NULL, false,
                      "lognormal takes either mean, sd or meanlog, sdlog", 1, 1);
    expect_only_error("{dist: empirical}", "model.x", NULL, false,
                      "empirical needs either 'values' or 'file'", 1, 1);
    expect_only_error("{dist: empirical, values: [1], file: a.csv}", "model.x", NULL, false,
                      "empirical takes either values, weights or file", 1, 1);
    expect_only_error("{dist: uniform, min: 1, max: 2, hihg: 3}", "model.x", NULL, false,
                      "unknown key 'hihg' for uniform; did you mean 'high'?", 1, 33);
}

static void test_error_arguments(void **state)
{
    (void)state;
    expect_only_error("{dist: normal, mean: 0, sd: -1}", "model.x", NULL, false,
                      "'sd' must be greater than 0", 1, 29);
    expect_only_error("{dist: uniform, min: 5, max: 5}", "model.x", NULL, false,
                      "'min' must be less than 'max'", 1, 1);
    expect_only_error("{dist: triangular, min: 0, mode: 5, max: 4}", "model.x", NULL, false,
                      "'mode' must be at most 'max'", 1, 1);
    expect_only_error("{dist: pert, min: 1, mode: 0, max: 4}", "model.x", NULL, false,
                      "'mode' must be at least 'min'", 1, 1);
    expect_only_error("{dist: beta, mean: 1, sd: 0.1}", "model.x", NULL, false,
                      "'mean' must be greater than 0 and less than 1", 1, 20);
    expect_only_error("{dist: beta, mean: 0.5, sd: 0.6}", "model.x", NULL, false,
                      "beta with mean 0.5 and sd 0.6 is impossible: sd must be below "
                      "sqrt(mean*(1-mean)) = 0.5", 1, 1);
    expect_only_error("{dist: exponential, mean: 0}", "model.x", NULL, false,
                      "'mean' must be greater than 0", 1, 27);
    expect_only_error("{dist: normal, mean: abc, sd: 1}", "model.x", NULL, false,
                      "'mean' must be a number, got 'abc'", 1, 22);
    expect_only_error("{dist: normal, mean: '5', sd: 1}", "model.x", NULL, false,
                      "'mean' must be a number, got the text \"5\"", 1, 22);
    expect_only_error("{dist: normal, mean: abc, sd: 1}", "model.x", NULL, true,
                      "'mean' must be a number or {dist: ...}, got 'abc'", 1, 22);
    expect_only_error("{dist: normal, mean: 1e999, sd: 1}", "model.x", NULL, false,
                      "'mean': number out of range: '1e999'", 1, 22);
    expect_only_error("{dist: normal, mean: {dist: uniform, min: 1, max: 2}, sd: 1}", "model.x",
                      NULL, false,
                      "'mean' must be a number here (only person-level distributions may have "
                      "uncertain arguments)", 1, 22);
    /* block style: the position of the value on its own line */
    expect_only_error("dist: gamma\nmean: 10\nsd: 0\n", "model.x", NULL, false,
                      "'sd' must be greater than 0", 3, 5);
}

static void test_error_values(void **state)
{
    (void)state;
    expect_only_error("abc", "model.x", NULL, false,
                      "'x' must be a number or {dist: ...}, got 'abc'", 1, 1);
    expect_only_error("[1, 2]", "model.x", NULL, false,
                      "'x' must be a number or {dist: ...}, got a list", 1, 1);
    expect_only_error("1.2", "model.avrr.uptake", &PROBABILITY, false,
                      "'uptake' must be between 0 and 1, got 1.2", 1, 1);
    expect_only_error("0", "model.avrr.rate", &POSITIVE, false,
                      "'rate' must be greater than 0, got 0", 1, 1);
    expect_only_error("-5", "model.detention.cost_per_day", &COST, false,
                      "'cost_per_day' must be at least 0, got -5", 1, 1);
}

static void test_error_all_in_one_pass(void **state)
{
    (void)state;
    struct parsed p;
    parse_plain(&p, "{dist: normal, mean: x, sd: -1, foo: 2, low: 3, high: 1}");
    assert_int_equal(p.status, -1);
    assert_int_equal(diag_count(p.diags), 4);
    expect_diag(&p, 0, "test.yaml", 1, 33, "unknown key 'foo' for normal (expected: mean, sd)");
    expect_diag(&p, 1, "test.yaml", 1, 46, "'low' must be at most 'high'");
    expect_diag(&p, 2, "test.yaml", 1, 22, "'mean' must be a number, got 'x'");
    expect_diag(&p, 3, "test.yaml", 1, 29, "'sd' must be greater than 0");
    parsed_clear(&p);
}

static void test_low_high(void **state)
{
    (void)state;
    struct parsed p;
    parse_with(&p, "{dist: beta, mean: 0.3, sd: 0.1, low: 0.1, high: 0.6}", "model.avrr.uptake",
               &PROBABILITY, false, NULL);
    expect_ok(&p);
    assert_true(p.spec.has_low);
    assert_true(p.spec.has_high);
    assert_close(p.spec.low, 0.1, 0.0);
    assert_close(p.spec.high, 0.6, 0.0);
    parsed_clear(&p);

    parse_plain(&p, "{dist: normal, mean: 0, sd: 1}");
    expect_ok(&p);
    assert_false(p.spec.has_low);
    assert_false(p.spec.has_high);
    parsed_clear(&p);

    expect_only_error("{dist: beta, mean: 0.3, sd: 0.1, high: 2}", "model.avrr.uptake",
                      &PROBABILITY, false, "'high' must be between 0 and 1, got 2", 1, 40);
    expect_only_error("{dist: beta, mean: 0.3, sd: 0.1, low: x}", "model.avrr.uptake",
                      &PROBABILITY, false, "'low' must be a number, got 'x'", 1, 39);
}

static void test_error_empirical_and_mixture(void **state)
{
    (void)state;
    expect_only_error("{dist: empirical, values: []}", "model.x", NULL, false,
                      "'values' must hold at least one number", 1, 27);
    expect_only_error("{dist: empirical, values: 3}", "model.x", NULL, false,
                      "'values' must be a list of numbers, got '3'", 1, 27);
    expect_only_error("{dist: empirical, values: [1, x]}", "model.x", NULL, false,
                      "expected a number, got 'x'", 1, 31);
    expect_only_error("{dist: empirical, values: [1, 2], weights: [1]}", "model.x", NULL, false,
                      "'weights' has 1 entry but 'values' has 2", 1, 44);
    expect_only_error("{dist: empirical, values: [1, 2], weights: [1, -1]}", "model.x", NULL,
                      false, "a weight must be at least 0, got -1", 1, 48);
    expect_only_error("{dist: empirical, values: [1, 2], weights: [0, 0]}", "model.x", NULL,
                      false, "the weights must add up to more than 0", 1, 44);
    expect_only_error("{dist: mixture, components: [1, 2]}", "model.x", NULL, false,
                      "mixture needs 'weights'", 1, 1);
    expect_only_error("{dist: mixture, components: [1, 2], weights: [1, 2, 3]}", "model.x", NULL,
                      false, "'weights' has 3 entries but 'components' has 2", 1, 46);
    expect_only_error("{dist: mixture, components: [], weights: [1]}", "model.x", NULL, false,
                      "'components' must hold at least one distribution", 1, 29);
    /* components are checked like the key itself, each at its own position */
    expect_only_error("{dist: mixture, components: [{dist: normal, mean: 0.5, sd: 0.1}, 0.3], "
                      "weights: [1, 1]}", "model.avrr.uptake", &PROBABILITY, false,
                      "a normal distribution can take values outside [0, 1], the allowed range "
                      "of 'model.avrr.uptake'", 1, 30);
    expect_only_error("{dist: mixture, components: [0.2, 1.5], weights: [1, 1]}",
                      "model.avrr.uptake", &PROBABILITY, false,
                      "'uptake' must be between 0 and 1, got 1.5", 1, 35);
}

/* ---------------------------------------------------- domain and support */

static void test_domains(void **state)
{
    (void)state;
    struct parsed p;
    expect_only_error("{dist: normal, mean: 0.5, sd: 0.1}", "model.avrr.uptake", &PROBABILITY,
                      false, "a normal distribution can take values outside [0, 1], the allowed "
                      "range of 'model.avrr.uptake'", 1, 1);
    expect_only_error("{dist: uniform, min: -1, max: 1}", "model.detention.cost_per_day", &COST,
                      false, "a uniform distribution can take values outside [0, inf), the "
                      "allowed range of 'model.detention.cost_per_day'", 1, 1);
    /* an exponential can be 0, which (0, inf) excludes */
    expect_only_error("{dist: exponential, mean: 2}", "model.x", &POSITIVE, false,
                      "an exponential distribution can take values outside (0, inf), the allowed "
                      "range of 'model.x'", 1, 1);
    /* a beta is inside (0, 1) but not inside (0, 1) shifted: (0.5, 1] */
    static const struct dist_domain upper_half = {0.5, 1.0, true, false};
    expect_only_error("{dist: beta, alpha: 2, beta: 2}", "model.x", &upper_half, false,
                      "a beta distribution can take values outside (0.5, 1], the allowed range "
                      "of 'model.x'", 1, 1);

    parse_with(&p, "{dist: beta, mean: 0.3, sd: 0.1}", "model.avrr.uptake", &PROBABILITY, false,
               NULL);
    expect_ok(&p);
    parsed_clear(&p);
    parse_with(&p, "{dist: gamma, mean: 100, sd: 30}", "model.detention.cost_per_day", &COST,
               false, NULL);
    expect_ok(&p);
    parsed_clear(&p);
    parse_with(&p, "{dist: exponential, mean: 2}", "model.x", &COST, false, NULL);
    expect_ok(&p);
    parsed_clear(&p);
    parse_with(&p, "{dist: lognormal, mean: 2, sd: 1}", "model.x", &POSITIVE, false, NULL);
    expect_ok(&p);
    parsed_clear(&p);
    parse_with(&p, "{dist: uniform, min: 0, max: 1}", "model.avrr.uptake", &PROBABILITY, false,
               NULL);
    expect_ok(&p);
    parsed_clear(&p);

    /* supports as dist_spec_support reports them */
    static const struct {
        const char *yaml;
        double lo, hi;
    } supports[] = {
        {"{dist: uniform, min: 2, max: 6}", 2.0, 6.0},
        {"{dist: normal, mean: 2, sd: 6}", -INFINITY, INFINITY},
        {"{dist: lognormal, mean: 2, sd: 6}", 0.0, INFINITY},
        {"{dist: gamma, shape: 2, scale: 6}", 0.0, INFINITY},
        {"{dist: beta, alpha: 2, beta: 6}", 0.0, 1.0},
        {"{dist: triangular, min: -1, mode: 0, max: 3}", -1.0, 3.0},
        {"{dist: pert, min: -1, mode: 0, max: 3}", -1.0, 3.0},
        {"{dist: exponential, mean: 3}", 0.0, INFINITY},
        {"{dist: empirical, values: [7, -2, 4]}", -2.0, 7.0},
        {"{dist: mixture, components: [{dist: uniform, min: 1, max: 2}, 9], weights: [1, 1]}",
         1.0, 9.0},
        {"4.5", 4.5, 4.5},
    };
    for (size_t i = 0; i < sizeof supports / sizeof supports[0]; i++) {
        double lo, hi;
        parse_plain(&p, supports[i].yaml);
        expect_ok(&p);
        dist_spec_support(&p.spec, &lo, &hi);
        assert_true(lo == supports[i].lo);
        assert_true(hi == supports[i].hi);
        parsed_clear(&p);
    }
}

/* --------------------------------------------------- uncertain arguments */

static void test_uncertain_arguments(void **state)
{
    (void)state;
    struct parsed p;
    parse_with(&p, "{dist: lognormal, mean: {dist: uniform, min: 30, max: 180}, "
                   "sd: {dist: gamma, shape: 2, scale: 5}}",
               "model.detention.length_days", &POSITIVE, true, NULL);
    expect_ok(&p);
    assert_int_equal(p.registry.count, 2);
    assert_string_equal(p.registry.paths[0], "model.detention.length_days.mean");
    assert_string_equal(p.registry.paths[1], "model.detention.length_days.sd");
    assert_int_equal(p.registry.specs[0].kind, DIST_UNIFORM);
    assert_int_equal(p.registry.specs[1].kind, DIST_GAMMA);
    assert_int_equal(p.spec.kind, DIST_LOGNORMAL);
    assert_int_equal(p.spec.form, 0);
    assert_int_equal(p.spec.args[0].uncertain, 0);
    assert_close(p.spec.args[0].lo, 30.0, 0.0);
    assert_close(p.spec.args[0].hi, 180.0, 0.0);
    assert_close(p.spec.args[0].value, 105.0, 1e-12);   /* the uniform's mean */
    assert_int_equal(p.spec.args[1].uncertain, 1);
    assert_close(p.spec.args[1].lo, 0.0, 0.0);
    assert_true(isinf(p.spec.args[1].hi));
    assert_close(p.spec.args[1].value, 10.0, 1e-12);    /* shape * scale */

    /* resolved with drawn values: mean 60, sd 20 */
    const double drawn[] = {60.0, 20.0};
    struct dist *d = resolved(&p.spec, drawn);
    assert_close(dist_mean(d), 60.0, 1e-12);
    assert_close(dist_variance(d), 400.0, 1e-9);
    /* without the drawn values it cannot be resolved */
    char why[256];
    assert_int_equal(dist_resolve(d, &p.spec, NULL, why, sizeof why), -1);
    assert_string_equal(why, "'mean' is uncertain but no drawn values were given");
    dist_free(d);
    parsed_clear(&p);

    /* the nested distribution's support must lie in the argument's domain */
    expect_only_error("{dist: lognormal, mean: {dist: normal, mean: 50, sd: 10}, sd: 5}", "model.x",
                      &POSITIVE, true,
                      "the distribution for 'mean' can take values outside (0, inf)", 1, 25);
    /* no third level */
    expect_only_error("{dist: lognormal, mean: {dist: uniform, "
                      "min: {dist: uniform, min: 1, max: 2}, max: 50}, sd: 5}", "model.x",
                      &POSITIVE, true,
                      "'min' must be a number here (the arguments of an uncertain argument's "
                      "distribution must be numbers)", 1, 46);
    /* the nested distribution's own errors, at their positions */
    expect_only_error("{dist: normal, mean: {dist: uniform, min: 3, max: 1}, sd: 1}", "model.x",
                      NULL, true, "'min' must be less than 'max'", 1, 22);
}

static void test_uncertain_corners(void **state)
{
    (void)state;
    struct parsed p;
    /* min can reach 10 while max is 5 */
    expect_only_error("{dist: uniform, min: {dist: uniform, min: 0, max: 10}, "
                      "max: {dist: uniform, min: 5, max: 20}}", "model.x", NULL, true,
                      "'min' must be less than 'max'; the uncertain arguments can reach "
                      "min = 10, max = 5", 1, 1);
    /* sd 0.45 is too large once the mean can be 0.2: sqrt(0.2 * 0.8) = 0.4 */
    expect_only_error("{dist: beta, mean: {dist: uniform, min: 0.2, max: 0.8}, sd: 0.45}",
                      "model.avrr.uptake", &PROBABILITY, true,
                      "beta with mean 0.2 and sd 0.45 is impossible: sd must be below "
                      "sqrt(mean*(1-mean)) = 0.4; the uncertain arguments can reach "
                      "mean = 0.2, sd = 0.45", 1, 1);
    expect_only_error("{dist: triangular, min: 1, mode: {dist: uniform, min: 0, max: 5}, max: 10}",
                      "model.x", NULL, true,
                      "'mode' must be at least 'min'; the uncertain arguments can reach "
                      "min = 1, mode = 0, max = 10", 1, 1);
    /* the support over every corner must lie in the key's domain */
    expect_only_error("{dist: uniform, min: {dist: uniform, min: -5, max: 1}, max: 10}",
                      "model.detention.cost_per_day", &COST, true,
                      "a uniform distribution can take values outside [0, inf), the allowed "
                      "range of 'model.detention.cost_per_day'", 1, 1);

    /* feasible at every corner: accepted, with the support spanning the corners */
    parse_with(&p, "{dist: uniform, min: {dist: uniform, min: 0, max: 10}, "
                   "max: {dist: triangular, min: 20, mode: 25, max: 30}}",
               "model.x", &COST, true, NULL);
    expect_ok(&p);
    double lo, hi;
    dist_spec_support(&p.spec, &lo, &hi);
    assert_close(lo, 0.0, 0.0);
    assert_close(hi, 30.0, 0.0);
    /* a draw outside what parsing allowed is refused with a reason */
    char why[256];
    struct dist *d = dist_alloc_for(&p.spec);
    assert_non_null(d);
    const double impossible[] = {40.0, 25.0};
    assert_int_equal(dist_resolve(d, &p.spec, impossible, why, sizeof why), -1);
    assert_string_equal(why, "'min' must be less than 'max' (drawn: min = 40, max = 25)");
    const double possible[] = {5.0, 25.0};
    assert_int_equal(dist_resolve(d, &p.spec, possible, why, sizeof why), 0);
    assert_close(dist_mean(d), 15.0, 1e-15);
    dist_free(d);
    parsed_clear(&p);

    parse_with(&p, "{dist: beta, mean: {dist: uniform, min: 0.2, max: 0.8}, sd: 0.3}",
               "model.avrr.uptake", &PROBABILITY, true, NULL);
    expect_ok(&p);
    parsed_clear(&p);

    /* uncertain arguments inside mixture components are named by their index */
    parse_with(&p, "{dist: mixture, components: [{dist: exponential, mean: 3}, "
                   "{dist: exponential, mean: {dist: uniform, min: 10, max: 20}}], "
                   "weights: [1, 1]}",
               "model.x", &COST, true, NULL);
    expect_ok(&p);
    assert_int_equal(p.registry.count, 1);
    assert_string_equal(p.registry.paths[0], "model.x.components.1.mean");
    assert_int_equal(p.spec.components[1].args[0].uncertain, 0);
    const double drawn[] = {13.0};
    d = resolved(&p.spec, drawn);
    assert_close(dist_mean(d), 0.5 * 3.0 + 0.5 * 13.0, 1e-12);
    dist_free(d);
    parsed_clear(&p);
}

/* ------------------------------------------------------------ empirical */

struct temp_dir {
    char path[64];
    char file[128];
};

static void write_temp_file(struct temp_dir *dir, const char *name, const char *contents)
{
    snprintf(dir->path, sizeof dir->path, "/tmp/test_dist_XXXXXX");
    assert_non_null(mkdtemp(dir->path));
    snprintf(dir->file, sizeof dir->file, "%s/%s", dir->path, name);
    FILE *file = fopen(dir->file, "w");
    assert_non_null(file);
    assert_true(fputs(contents, file) >= 0);
    assert_int_equal(fclose(file), 0);
}

static void remove_temp(struct temp_dir *dir)
{
    assert_int_equal(unlink(dir->file), 0);
    assert_int_equal(rmdir(dir->path), 0);
}

static void test_empirical_file(void **state)
{
    (void)state;
    struct temp_dir dir;
    struct parsed p;

    /* a header, blank lines, surrounding blanks, CRLF */
    write_temp_file(&dir, "lengths.csv", "days\n12\n\n30\r\n  7 \n");
    parse_with(&p, "{dist: empirical, file: lengths.csv}", "model.x", &POSITIVE, false, dir.path);
    expect_ok(&p);
    assert_int_equal(p.spec.kind, DIST_EMPIRICAL);
    assert_int_equal(p.spec.form, 1);
    assert_int_equal(p.spec.n_values, 3);
    assert_close(p.spec.values[0], 7.0, 0.0);
    assert_close(p.spec.values[1], 12.0, 0.0);
    assert_close(p.spec.values[2], 30.0, 0.0);
    assert_close(p.spec.weights[0], 1.0, 0.0);
    struct dist *d = resolved(&p.spec, NULL);
    assert_close(dist_mean(d), 49.0 / 3.0, 1e-14);
    assert_close(dist_quantile(d, 0.5), 12.0, 0.0);
    dist_free(d);
    parsed_clear(&p);

    /* an absolute path ignores base_dir */
    char yaml[256];
    snprintf(yaml, sizeof yaml, "{dist: empirical, file: %s}", dir.file);
    parse_with(&p, yaml, "model.x", &POSITIVE, false, "/nonexistent");
    expect_ok(&p);
    assert_int_equal(p.spec.n_values, 3);
    parsed_clear(&p);
    remove_temp(&dir);

    /* no header: the first line is a value; a later bad line names the data file */
    write_temp_file(&dir, "lengths.csv", "1\n2\n\nabc\n4\n");
    parse_with(&p, "{dist: empirical, file: lengths.csv}", "model.x", NULL, false, dir.path);
    assert_int_equal(p.status, -1);
    assert_int_equal(diag_count(p.diags), 1);
    expect_diag(&p, 0, dir.file, 4, 1, "expected a number, got 'abc'");
    parsed_clear(&p);
    remove_temp(&dir);

    write_temp_file(&dir, "lengths.csv", "days\n5\nsix\n");
    parse_with(&p, "{dist: empirical, file: lengths.csv}", "model.x", NULL, false, dir.path);
    assert_int_equal(p.status, -1);
    assert_int_equal(diag_count(p.diags), 1);
    expect_diag(&p, 0, dir.file, 3, 1, "expected a number, got 'six'");
    parsed_clear(&p);
    remove_temp(&dir);

    /* only a header */
    write_temp_file(&dir, "lengths.csv", "days\n\n");
    parse_with(&p, "{dist: empirical, file: lengths.csv}", "model.x", NULL, false, dir.path);
    assert_int_equal(p.status, -1);
    assert_int_equal(diag_count(p.diags), 1);
    expect_diag(&p, 0, "test.yaml", 1, 25, "'lengths.csv' holds no values");
    parsed_clear(&p);

    /* values outside the key's domain */
    write_temp_file(&dir, "lengths.csv", "-3\n5\n");
    parse_with(&p, "{dist: empirical, file: lengths.csv}", "model.x", &COST, false, dir.path);
    assert_int_equal(p.status, -1);
    expect_diag(&p, 0, "test.yaml", 1, 1,
                "an empirical distribution can take values outside [0, inf), the allowed "
                "range of 'model.x'");
    parsed_clear(&p);
    remove_temp(&dir);

    /* a missing file: at the `file:` value */
    parse_with(&p, "{dist: empirical, file: lengths.csv}", "model.x", NULL, false, "/nonexistent");
    assert_int_equal(p.status, -1);
    assert_int_equal(diag_count(p.diags), 1);
    expect_diag(&p, 0, "test.yaml", 1, 25,
                "cannot read 'lengths.csv': No such file or directory");
    parsed_clear(&p);
}

/* ------------------------------------------------------ copy and equal */

static void test_copy_and_equal(void **state)
{
    (void)state;
    static const char *const yamls[] = {
        "{dist: mixture, components: [{dist: empirical, values: [3, 1, 2], weights: [1, 2, 3]}, "
        "{dist: normal, mean: 5, sd: 1}], weights: [2, 1]}",
        "{dist: lognormal, mean: 46, sd: 85}",
        "{dist: empirical, values: [3, 1, 2]}",
    };
    for (size_t i = 0; i < sizeof yamls / sizeof yamls[0]; i++) {
        struct parsed p, same, other;
        parse_plain(&p, yamls[i]);
        expect_ok(&p);
        parse_plain(&same, yamls[i]);
        expect_ok(&same);
        parse_plain(&other, yamls[(i + 1) % 3]);
        expect_ok(&other);
        assert_true(dist_spec_equal(&p.spec, &same.spec));
        assert_false(dist_spec_equal(&p.spec, &other.spec));

        struct dist_spec copy;
        assert_int_equal(dist_spec_copy(&copy, &p.spec), 0);
        assert_true(dist_spec_equal(&copy, &p.spec));
        if (p.spec.values)
            assert_true(copy.values != p.spec.values);
        /* the copy samples the same values from the same stream */
        struct dist *a = resolved(&p.spec, NULL), *b = resolved(&copy, NULL);
        gsl_rng *rng_a = gsl_rng_alloc(gsl_rng_taus2), *rng_b = gsl_rng_alloc(gsl_rng_taus2);
        assert_non_null(rng_a);
        assert_non_null(rng_b);
        gsl_rng_set(rng_a, SEED);
        gsl_rng_set(rng_b, SEED);
        for (int k = 0; k < 1000; k++)
            assert_true(dist_sample(a, rng_a) == dist_sample(b, rng_b));
        gsl_rng_free(rng_a);
        gsl_rng_free(rng_b);
        dist_free(a);
        dist_free(b);
        /* the copy is independent: changing it leaves the original alone */
        if (copy.kind == DIST_LOGNORMAL) {
            copy.args[1].value = 86.0;
            assert_false(dist_spec_equal(&copy, &p.spec));
        }
        dist_spec_clear(&copy);
        parsed_clear(&p);
        parsed_clear(&same);
        parsed_clear(&other);
    }

    /* different forms of the same kind differ; a weight changes a mixture */
    struct parsed x, y;
    parse_plain(&x, "{dist: gamma, mean: 2, sd: 2}");
    parse_plain(&y, "{dist: gamma, shape: 2, scale: 2}");
    expect_ok(&x);
    expect_ok(&y);
    assert_false(dist_spec_equal(&x.spec, &y.spec));
    parsed_clear(&x);
    parsed_clear(&y);
    parse_plain(&x, "{dist: mixture, components: [1, 2], weights: [1, 2]}");
    parse_plain(&y, "{dist: mixture, components: [1, 2], weights: [1, 3]}");
    expect_ok(&x);
    expect_ok(&y);
    assert_false(dist_spec_equal(&x.spec, &y.spec));
    parsed_clear(&x);
    parsed_clear(&y);

    struct dist_spec fixed_a, fixed_b;
    dist_spec_fixed(&fixed_a, 3.0);
    dist_spec_fixed(&fixed_b, 3.0);
    assert_true(dist_spec_equal(&fixed_a, &fixed_b));
    fixed_b.args[0].value = 4.0;
    assert_false(dist_spec_equal(&fixed_a, &fixed_b));
    /* an uncertain argument is its index */
    fixed_a.args[0] = (struct dist_arg){NAN, 2, 0.0, 1.0};
    fixed_b.args[0] = (struct dist_arg){NAN, 2, 0.0, 1.0};
    assert_true(dist_spec_equal(&fixed_a, &fixed_b));
    fixed_b.args[0].uncertain = 3;
    assert_false(dist_spec_equal(&fixed_a, &fixed_b));
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(dist_kind_name(DIST_FIXED), "fixed");
    assert_string_equal(dist_kind_name(DIST_LOGNORMAL), "lognormal");
    assert_string_equal(dist_kind_name(DIST_PERT), "pert");
    assert_string_equal(dist_kind_name(DIST_MIXTURE), "mixture");
    assert_null(dist_alloc_for(&(struct dist_spec){.kind = DIST_MIXTURE}));
    dist_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_uniform),
        cmocka_unit_test(test_sample_normal),
        cmocka_unit_test(test_sample_lognormal),
        cmocka_unit_test(test_sample_gamma),
        cmocka_unit_test(test_sample_beta),
        cmocka_unit_test(test_sample_triangular),
        cmocka_unit_test(test_sample_pert),
        cmocka_unit_test(test_sample_exponential),
        cmocka_unit_test(test_sample_empirical),
        cmocka_unit_test(test_sample_mixture),
        cmocka_unit_test(test_sample_fixed),
        cmocka_unit_test(test_spot_values),
        cmocka_unit_test(test_cdf_inverts_quantile),
        cmocka_unit_test(test_error_unknown_distribution),
        cmocka_unit_test(test_error_keys),
        cmocka_unit_test(test_error_arguments),
        cmocka_unit_test(test_error_values),
        cmocka_unit_test(test_error_all_in_one_pass),
        cmocka_unit_test(test_low_high),
        cmocka_unit_test(test_error_empirical_and_mixture),
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_uncertain_arguments),
        cmocka_unit_test(test_uncertain_corners),
        cmocka_unit_test(test_empirical_file),
        cmocka_unit_test(test_copy_and_equal),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
