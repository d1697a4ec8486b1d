/* people: the people of one replication and their draws, shared by every
 * policy. See people.h. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "engine/rng.h"
#include "models/people.h"
#include "models/uniform_fill.h"

/* Stream ids of this model (engine/rng.h: models number theirs from 1). */
enum {
    STREAM_COUNTS = 1,
    STREAM_DAYS = 2,
    STREAM_UNIFORM_BASE = 8,       /* + enum person_uniform */
    STREAM_DRAW_BASE = 64          /* + kind * 256 + group */
};

/* Whether draws of kind k are made at first use, keyed by person
 * (keyed_column.h), rather than for everyone up front: processing times
 * and re-migration delays, which only some persons need. */
static bool drawn_lazily(int k)
{
    return k == DRAW_PROCESSING || k == DRAW_DELAY;
}

int people_init(struct people *pp, const gsl_rng_type *type, size_t n_groups)
{
    memset(pp, 0, sizeof *pp);
    pp->n_groups = n_groups;
    pp->counts = gsl_rng_alloc(type);
    pp->days = gsl_rng_alloc(type);
    int ok = pp->counts && pp->days;
    for (int u = 0; u < U_KINDS && ok; u++)
        ok = (pp->stream[u] = gsl_rng_alloc(type)) != NULL;
    for (int k = 0; k < DRAW_KINDS && ok; k++) {
        if (drawn_lazily(k))
            continue;
        ok = (pp->draw_stream[k] = calloc(n_groups, sizeof *pp->draw_stream[k])) != NULL;
        for (size_t g = 0; g < n_groups && ok; g++)
            ok = (pp->draw_stream[k][g] = gsl_rng_alloc(type)) != NULL;
    }
    if (ok)
        ok = uniform_fill_init(&pp->day_fill, type) == 0;
    if (ok)
        ok = uniform_fill_init(&pp->column_fill, type) == 0;
    for (int k = 0; k < DRAW_KINDS && ok; k++) {
        if (!drawn_lazily(k))
            continue;
        ok = (pp->keyed[k] = calloc(n_groups, sizeof *pp->keyed[k])) != NULL;
        for (size_t g = 0; g < n_groups && ok; g++)
            ok = keyed_column_init(&pp->keyed[k][g]) == 0;
    }
    if (!ok) {
        people_clear(pp);
        return -1;
    }
    return 0;
}

void people_clear(struct people *pp)
{
    gsl_rng_free(pp->counts);
    gsl_rng_free(pp->days);
    uniform_fill_clear(&pp->day_fill);
    uniform_fill_clear(&pp->column_fill);
    for (int u = 0; u < U_KINDS; u++) {
        gsl_rng_free(pp->stream[u]);
        free(pp->uniform[u]);
    }
    for (int k = 0; k < DRAW_KINDS; k++) {
        if (pp->draw_stream[k])
            for (size_t g = 0; g < pp->n_groups; g++)
                gsl_rng_free(pp->draw_stream[k][g]);
        free(pp->draw_stream[k]);
        free(pp->draw[k]);
    }
    for (int k = 0; k < DRAW_KINDS; k++) {
        if (pp->keyed[k])
            for (size_t g = 0; g < pp->n_groups; g++)
                keyed_column_clear(&pp->keyed[k][g]);
        free(pp->keyed[k]);
    }
    free(pp->day);
    free(pp->day_scratch);
    free(pp->slice_start);
    free(pp->month_count);
    memset(pp, 0, sizeof *pp);
}

double people_season(const struct avrr_params *a, size_t month)
{
    const struct number_list *s = &a->arrivals.seasonality;
    if (s->count != 12)
        return 1.0;
    size_t first = a->start >= 0 ? (size_t)(a->start % 12) : 0;
    return s->values[(first + month) % 12];
}

static unsigned draw_count(const gsl_rng *r, double mean, double variance_ratio)
{
    if (mean <= 0)
        return 0;
    if (variance_ratio <= 1.0)
        return gsl_ran_poisson(r, mean);
    /* negative binomial with this mean and variance = ratio * mean:
     * success probability 1 / ratio, n = mean / (ratio - 1) */
    return gsl_ran_negative_binomial(r, 1.0 / variance_ratio, mean / (variance_ratio - 1.0));
}

/* Makes room for `total` persons in every column. 0 or -1 (OOM). */
static int reserve(struct people *pp, size_t total)
{
    if (total <= pp->capacity && pp->capacity > 0)
        return 0;   /* (a replication with nobody still gets columns: no NULL arithmetic) */
    size_t capacity = pp->capacity ? pp->capacity : 4096;
    while (capacity < total)
        capacity *= 2;
    double *day = realloc(pp->day, capacity * sizeof *day);
    if (!day)
        return -1;
    pp->day = day;
    for (int u = 0; u < U_KINDS; u++) {
        double *column = realloc(pp->uniform[u], capacity * sizeof *column);
        if (!column)
            return -1;
        pp->uniform[u] = column;
    }
    for (int k = 0; k < DRAW_KINDS; k++) {
        if (drawn_lazily(k))
            continue;
        /* group-major: the old contents need not survive (redrawn every replication) */
        double *column = malloc(capacity * pp->n_groups * sizeof *column);
        if (!column)
            return -1;
        free(pp->draw[k]);
        pp->draw[k] = column;
    }
    pp->capacity = capacity;
    return 0;
}

/* Makes room for the days of a month of n arrivals in the scratch arrays.
 * 0 or -1 (OOM). */
static int reserve_scratch(struct people *pp, size_t n)
{
    if (n <= pp->scratch_capacity && pp->day_scratch)
        return 0;
    size_t capacity = pp->scratch_capacity ? pp->scratch_capacity : 1024;
    while (capacity < n)
        capacity *= 2;
    double *scratch = malloc(capacity * sizeof *scratch);
    unsigned *start = malloc((capacity + 1) * sizeof *start);
    if (!scratch || !start) {
        free(scratch);
        free(start);
        return -1;
    }
    free(pp->day_scratch);
    free(pp->slice_start);
    pp->day_scratch = scratch;
    pp->slice_start = start;
    pp->scratch_capacity = capacity;
    return 0;
}

/* Arrival days of one month, in increasing order: n independent uniform
 * days (given the count, a Poisson process's arrival days are n uniform
 * days in order), put in order in O(n): a counting pass files each into
 * one of n equal slices of the month (one a slice on average), then an
 * insertion pass orders the few that share a slice. Uniforms are below 1
 * and n below 2^32, so u * n rounds below n: a slice index is below n. The
 * day is monotone in u, so ordering the days orders the uniforms. The
 * scratch holds n. */
static void fill_days(struct people *pp, double *day, size_t n, double month_start)
{
    if (n == 0)
        return;
    double *u = pp->day_scratch;
    unsigned *start = pp->slice_start;   /* [slice + 1]: counts, then first index */
    uniform_fill_next(&pp->day_fill, u, n);
    memset(start, 0, (n + 1) * sizeof *start);
    double slices = (double)n;
    for (size_t i = 0; i < n; i++)
        start[(size_t)(u[i] * slices) + 1]++;
    for (size_t s = 1; s <= n; s++)
        start[s] += start[s - 1];
    for (size_t i = 0; i < n; i++)
        day[start[(size_t)(u[i] * slices)]++] = month_start + u[i] * AVRR_DAYS_PER_MONTH;
    for (size_t i = 1; i < n; i++) {
        double v = day[i];
        size_t j = i;
        for (; j > 0 && day[j - 1] > v; j--)
            day[j] = day[j - 1];
        day[j] = v;
    }
}

/* n draws of d from r. A lognormal, the commonest length, skips the
 * per-draw dispatch of dist_sample: the same numbers, bit for bit, as
 * engine/dist.c's sampler (exp(zeta + sigma * z), z from GSL's ziggurat;
 * p[0] zeta, p[1] sigma), which test_people checks. */
static void fill_column(const struct dist *d, const gsl_rng *r, double *column, size_t n)
{
    if (d->kind == DIST_LOGNORMAL) {
        double zeta = d->p[0], sigma = d->p[1];
        for (size_t i = 0; i < n; i++)
            column[i] = exp(zeta + sigma * gsl_ran_gaussian_ziggurat(r, 1.0));
        return;
    }
    for (size_t i = 0; i < n; i++)
        column[i] = dist_sample(d, r);
}

int people_draw(struct people *pp, uint64_t seed, uint64_t replication,
                const struct avrr_params *base, const struct avrr_params *const *params,
                const struct people_needs *needs)
{
    size_t months = (size_t)base->horizon_months;
    if (months > pp->month_capacity) {
        unsigned *counts = realloc(pp->month_count, months * sizeof *counts);
        if (!counts)
            return -1;
        pp->month_count = counts;
        pp->month_capacity = months;
    }
    rng_stream_seed(pp->counts, seed, replication, STREAM_COUNTS);
    rng_stream_seed(pp->days, seed, replication, STREAM_DAYS);
    uniform_fill_start(&pp->day_fill, pp->days);
    size_t arrivals = 0, busiest = 0;
    for (size_t m = 0; m < months; m++) {
        pp->month_count[m] = draw_count(pp->counts, base->arrivals.per_month * people_season(base, m),
                                        base->arrivals.variance_ratio);
        arrivals += pp->month_count[m];
        if (pp->month_count[m] > busiest)
            busiest = pp->month_count[m];
    }
    size_t stock = (size_t)base->stock.size;
    /* an uncertain per_month can draw far above its mean: refuse rather than
     * let the system kill the process */
    if (arrivals + stock > PEOPLE_MAX || reserve(pp, arrivals + stock) != 0
        || reserve_scratch(pp, busiest) != 0)
        return -1;
    pp->arrivals = arrivals;
    pp->total = arrivals + stock;
    pp->months = months;

    size_t at = 0;
    for (size_t m = 0; m < months; m++) {
        fill_days(pp, pp->day + at, pp->month_count[m], (double)m * AVRR_DAYS_PER_MONTH);
        at += pp->month_count[m];
    }
    for (size_t i = arrivals; i < pp->total; i++)
        pp->day[i] = 0.0;

    for (int u = 0; u < U_KINDS; u++) {
        if (!needs->uniform[u])
            continue;
        double *column = pp->uniform[u];
        rng_stream_seed(pp->stream[u], seed, replication, STREAM_UNIFORM_BASE + (uint64_t)u);
        /* the stock is never at intake nor detained: those columns stop at the arrivals */
        size_t n = u == E_COMMUNITY || u == U_REMIGRATE ? pp->total : pp->arrivals;
        uniform_fill_start(&pp->column_fill, pp->stream[u]);
        uniform_fill_next(&pp->column_fill, column, n);
        if (u == E_DETENTION || u == E_COMMUNITY)   /* as gsl_ran_exponential(r, 1) does */
            for (size_t i = 0; i < n; i++)
                column[i] = -log1p(-column[i]);
    }
    for (int k = 0; k < DRAW_KINDS; k++)
        for (size_t g = 0; g < pp->n_groups; g++) {
            if (!needs->draw[k][g])
                continue;
            const struct avrr_params *a = params[g];
            uint64_t stream = STREAM_DRAW_BASE + (uint64_t)k * 256 + g;
            if (drawn_lazily(k)) {
                /* keyed by person, drawn at first use (an applicant's, one who comes back) */
                const struct dist *d = k == DRAW_PROCESSING ? a->avrr.processing_days.dist
                                                            : a->remigration.delay_days.dist;
                if (keyed_column_start(&pp->keyed[k][g], d, seed, replication, stream,
                                       pp->total) != 0)
                    return -1;
                continue;
            }
            /* the lengths: every arrival may be detained */
            const gsl_rng *r = pp->draw_stream[k][g];
            rng_stream_seed(pp->draw_stream[k][g], seed, replication, stream);
            fill_column(a->detention.length_days.dist, r, pp->draw[k] + g * pp->capacity,
                        pp->arrivals);
        }
    return 0;
}
