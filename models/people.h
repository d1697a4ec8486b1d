/* people: the people of one replication and their person-level draws, made
 * once and shared by every policy (common random numbers): the arrivals of
 * each month (in order of arrival day) and the stock already in the country.
 * Each kind of draw has its own random stream, so a person's draws do not
 * depend on which other draws a scenario needs. Processing times and
 * re-migration delays, which only AVRR applicants and people who come back
 * need, are drawn at first use from streams keyed by person
 * (keyed_column.h). Storage grows to the largest replication a worker has
 * seen and is then reused. */
#ifndef AVRRSIM_MODELS_PEOPLE_H
#define AVRRSIM_MODELS_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/avrr.h"
#include "models/keyed_column.h"
#include "models/uniform_fill.h"

/* The most people one replication may hold (about 100 bytes each). */
#define PEOPLE_MAX ((size_t)100000000)

/* Person-level distributions, one column per draw group: lengths drawn for
 * every arrival up front; processing times and re-migration delays, which
 * only some persons need, at first use (keyed). */
enum person_draw { DRAW_LENGTH, DRAW_PROCESSING, DRAW_DELAY, DRAW_KINDS };

/* Uniform and exponential draws, one column each. */
enum person_uniform {
    U_INTAKE,       /* uniform: applies for AVRR at intake */
    U_DETAIN,       /* uniform: detained */
    U_REMOVAL,      /* uniform: removed at the end of detention */
    U_REMIGRATE,    /* uniform: comes back after a departure */
    E_DETENTION,    /* exponential(1): time to apply while detained, in units of 1/hazard */
    E_COMMUNITY,    /* exponential(1): time to apply in the community, same units */
    U_KINDS
};

struct people {
    size_t arrivals;             /* persons 0 .. arrivals - 1: arrivals, by day */
    size_t total;                /* arrivals + stock (persons arrivals .. total - 1) */
    size_t months;               /* horizon months */
    size_t capacity;
    double *day;                 /* arrival day (0 for the stock) */
    unsigned *month_count;       /* arrivals in each month */
    size_t month_capacity;
    double *uniform[U_KINDS];
    double *draw[DRAW_KINDS];    /* [kind][group * capacity + person]: lengths only */
    struct keyed_column *keyed[DRAW_KINDS];   /* [kind][group]: processing times, delays */
    size_t n_groups;
    /* scratch for putting a month's arrival days in order */
    double *day_scratch;
    unsigned *slice_start;
    size_t scratch_capacity;
    /* streams */
    gsl_rng *counts, *days, *stream[U_KINDS];
    gsl_rng **draw_stream[DRAW_KINDS];
    struct uniform_fill day_fill, column_fill;   /* uniforms in lanes (uniform_fill.h): days, columns */
};

/* Which columns a replication needs (decided from every policy's parameters). */
struct people_needs {
    unsigned char uniform[U_KINDS];
    unsigned char draw[DRAW_KINDS][64];    /* [kind][group] */
};

/* Which draws a replication needs, given every policy's resolved
 * parameters (avrr_model.c). */
void avrr_find_needs(const struct avrr_params *const *params, size_t n_policies,
                     struct people_needs *needs);

/* Allocates the streams for up to n_groups draw groups. 0 or -1 (OOM). */
int people_init(struct people *pp, const gsl_rng_type *type, size_t n_groups);
void people_clear(struct people *pp);

/* Draws the people of replication r: monthly counts (Poisson or negative
 * binomial, with seasonality), arrival days, the stock, and every needed
 * column (processing times and delays: readied, drawn at first use). base holds the
 * population keys (the same in every policy); params[g] gives the
 * distributions of draw group g. 0, or -1 (out of memory, or more than
 * PEOPLE_MAX people). */
int people_draw(struct people *pp, uint64_t seed, uint64_t replication,
                const struct avrr_params *base, const struct avrr_params *const *params,
                const struct people_needs *needs);

/* One arrival's detention length for draw group g. */
static inline double people_length(const struct people *pp, unsigned group, size_t person)
{
    return pp->draw[DRAW_LENGTH][group * pp->capacity + person];
}

/* One person's processing time (kind DRAW_PROCESSING) or re-migration delay
 * (DRAW_DELAY) for draw group g (person < total; the group was needed),
 * drawn now if this is its first use in the replication. */
static inline double people_keyed(struct people *pp, enum person_draw kind, unsigned group,
                                  size_t person)
{
    return keyed_column_get(&pp->keyed[kind][group], person);
}

static inline double people_processing(struct people *pp, unsigned group, size_t person)
{
    return people_keyed(pp, DRAW_PROCESSING, group, person);
}

/* The seasonal multiplier of month m (0-based) of the horizon. */
double people_season(const struct avrr_params *a, size_t month);

#endif
