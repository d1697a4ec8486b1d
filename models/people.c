/* people: arrivals and person-level draws of one replication, shared by
 * every policy. See people.h. */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "engine/rng.h"
#include "models/people.h"

/* Stream ids of this model (engine/rng.h: models number theirs from 1). */
enum {
    STREAM_ARRIVALS = 1,
    STREAM_INTAKE = 2,
    STREAM_DETAIN = 3,
    STREAM_REMOVAL = 4,
    STREAM_DRAW_BASE = 16          /* + kind * 256 + group */
};

static const struct person_dist *person_dist_of(const struct avrr_params *p, enum person_draw kind)
{
    return kind == DRAW_LENGTH ? &p->detention.length_days : &p->avrr.processing_days;
}

int people_init(struct people_streams *s, struct people_block *b, const gsl_rng_type *type,
                size_t n_policies)
{
    memset(s, 0, sizeof *s);
    memset(b, 0, sizeof *b);
    s->n_groups = n_policies;
    s->arrivals = gsl_rng_alloc(type);
    s->intake = gsl_rng_alloc(type);
    s->detain = gsl_rng_alloc(type);
    s->removal = gsl_rng_alloc(type);
    int ok = s->arrivals && s->intake && s->detain && s->removal;
    for (int k = 0; k < DRAW_KINDS && ok; k++) {
        s->draw[k] = calloc(n_policies, sizeof *s->draw[k]);
        b->draw[k] = malloc(n_policies * PEOPLE_BLOCK * sizeof *b->draw[k]);
        ok = s->draw[k] && b->draw[k];
        for (size_t g = 0; g < n_policies && ok; g++)
            ok = (s->draw[k][g] = gsl_rng_alloc(type)) != NULL;
    }
    if (!ok) {
        people_clear(s, b);
        return -1;
    }
    return 0;
}

void people_clear(struct people_streams *s, struct people_block *b)
{
    gsl_rng_free(s->arrivals);
    gsl_rng_free(s->intake);
    gsl_rng_free(s->detain);
    gsl_rng_free(s->removal);
    for (int k = 0; k < DRAW_KINDS; k++) {
        if (s->draw[k])
            for (size_t g = 0; g < s->n_groups; g++)
                gsl_rng_free(s->draw[k][g]);
        free(s->draw[k]);
        free(b->draw[k]);
    }
    memset(s, 0, sizeof *s);
    memset(b, 0, sizeof *b);
}

void people_seed(struct people_streams *s, uint64_t seed, uint64_t replication)
{
    rng_stream_seed(s->arrivals, seed, replication, STREAM_ARRIVALS);
    rng_stream_seed(s->intake, seed, replication, STREAM_INTAKE);
    rng_stream_seed(s->detain, seed, replication, STREAM_DETAIN);
    rng_stream_seed(s->removal, seed, replication, STREAM_REMOVAL);
    for (unsigned k = 0; k < DRAW_KINDS; k++)
        for (size_t g = 0; g < s->n_groups; g++)
            rng_stream_seed(s->draw[k][g], seed, replication,
                            STREAM_DRAW_BASE + k * 256u + (uint64_t)g);
}

unsigned people_arrivals_in_month(struct people_streams *s, double per_month)
{
    return per_month > 0 ? gsl_ran_poisson(s->arrivals, per_month) : 0;
}

static void fill_uniform(const gsl_rng *r, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = gsl_rng_uniform(r);
}

void people_fill(struct people_streams *s, struct people_block *b, size_t count,
                 const struct people_needs *needs, const struct avrr_params *const *params,
                 size_t n_policies)
{
    b->count = count;
    if (needs->any_intake)
        fill_uniform(s->intake, b->u_intake, count);
    fill_uniform(s->detain, b->u_detain, count);
    fill_uniform(s->removal, b->u_removal, count);
    for (int k = 0; k < DRAW_KINDS; k++) {
        for (size_t g = 0; g < n_policies; g++) {
            if (!needs->needed[k][g])
                continue;
            const struct dist *d = person_dist_of(params[g], (enum person_draw)k)->dist;
            const gsl_rng *r = s->draw[k][g];
            double *out = b->draw[k] + g * PEOPLE_BLOCK;
            for (size_t i = 0; i < count; i++)
                out[i] = dist_sample(d, r);
        }
    }
}
