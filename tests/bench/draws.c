/* draws: what one draw of each kind costs with GSL on this machine, for
 * `make bench`: gsl_rng_uniform, gsl_ran_gaussian_ziggurat, the lognormal
 * as the model draws it (exp of a ziggurat Gaussian), gsl_ran_gamma and
 * gsl_ran_poisson, each from the default generator (taus2), one call after
 * another. Prints "name nanoseconds" per kind, the best of five rounds, and
 * then "person nanoseconds": a baseline person's draws made one by one
 * (three uniforms and a lognormal), the cost that sets how many persons a
 * second any program drawing with GSL can simulate here. */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

enum { ROUNDS = 5 };

/* The baseline's lognormal stay (mean 46, sd 85 days) and gamma processing
 * time (mean 45, sd 20 days), as engine/dist.c turns them into parameters. */
#define STAY_ZETA 3.0862
#define STAY_SIGMA 1.2186
#define PROCESSING_SHAPE 5.0625
#define PROCESSING_SCALE 8.8889

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

enum draw_kind { UNIFORM, GAUSSIAN, LOGNORMAL, GAMMA, POISSON, KINDS };

static const char *const kind_name[KINDS] = {"uniform", "gaussian_ziggurat", "lognormal", "gamma",
                                             "poisson_600"};

/* n draws of kind from r; returns their sum. */
static double draw_many(enum draw_kind kind, const gsl_rng *r, long n)
{
    double sum = 0;
    for (long i = 0; i < n; i++)
        switch (kind) {
        case UNIFORM: sum += gsl_rng_uniform(r); break;
        case GAUSSIAN: sum += gsl_ran_gaussian_ziggurat(r, 1.0); break;
        case LOGNORMAL: sum += exp(STAY_ZETA + STAY_SIGMA * gsl_ran_gaussian_ziggurat(r, 1.0)); break;
        case GAMMA: sum += gsl_ran_gamma(r, PROCESSING_SHAPE, PROCESSING_SCALE); break;
        case POISSON: sum += gsl_ran_poisson(r, 600.0); break;
        case KINDS: break;
        }
    return sum;
}

int main(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!r)
        return 1;
    gsl_rng_set(r, 20111212);
    double best[KINDS];
    volatile double sink = 0;   /* keeps the draws from being optimised away */
    for (int k = 0; k < KINDS; k++)
        best[k] = INFINITY;
    for (int round = 0; round < ROUNDS; round++)   /* the kinds take turns, round by round */
        for (int k = 0; k < KINDS; k++) {
            long n = k == POISSON ? 1000000 : 10000000;
            double start = seconds_now();
            sink += draw_many((enum draw_kind)k, r, n);
            double ns = (seconds_now() - start) / (double)n * 1e9;
            if (ns < best[k])
                best[k] = ns;
        }
    for (int k = 0; k < KINDS; k++)
        printf("%s %.2f\n", kind_name[k], best[k]);
    printf("person %.2f\n", 3 * best[UNIFORM] + best[LOGNORMAL]);
    gsl_rng_free(r);
    return 0;
}
