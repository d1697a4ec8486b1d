/* people: the arrivals of one replication and their person-level draws,
 * made once and shared by every policy (common random numbers). Each kind of
 * draw has its own random stream, so a person's draws do not depend on which
 * other draws a scenario needs. People are produced in blocks of at most
 * PEOPLE_BLOCK persons into scratch owned by the caller: nothing is allocated
 * while a replication runs. */
#ifndef AVRRSIM_MODELS_PEOPLE_H
#define AVRRSIM_MODELS_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/avrr.h"

enum { PEOPLE_BLOCK = 1024 };

/* Person-level distributions drawn per person. */
enum person_draw { DRAW_LENGTH, DRAW_PROCESSING, DRAW_KINDS };

struct people_streams {
    gsl_rng *arrivals, *intake, *detain, *removal;
    size_t n_groups;                 /* one stream per policy at most, per draw kind */
    gsl_rng **draw[DRAW_KINDS];      /* [kind][group] */
};

struct people_block {
    size_t count;
    double u_intake[PEOPLE_BLOCK];   /* uniform (0,1): applies for AVRR at intake */
    double u_detain[PEOPLE_BLOCK];   /* uniform (0,1): detained */
    double u_removal[PEOPLE_BLOCK];  /* uniform (0,1): removed at the end of detention */
    double *draw[DRAW_KINDS];        /* [kind][group * PEOPLE_BLOCK + person] */
};

/* Allocates streams for n_policies policies. 0 or -1 (OOM); free with people_clear. */
int people_init(struct people_streams *streams, struct people_block *block,
                const gsl_rng_type *type, size_t n_policies);
void people_clear(struct people_streams *streams, struct people_block *block);

/* Seeds every stream for replication r. */
void people_seed(struct people_streams *streams, uint64_t seed, uint64_t replication);

/* The number of arrivals in one month (Poisson). */
unsigned people_arrivals_in_month(struct people_streams *streams, double per_month);

/* Which (kind, group) draws a replication needs: needed[kind][group]. */
struct people_needs {
    unsigned char needed[DRAW_KINDS][64];
    int any_intake;
};

/* Fills block with `count` (<= PEOPLE_BLOCK) persons: their uniforms and, for
 * each needed (kind, group), a draw from dists[policy] of that group. */
void people_fill(struct people_streams *streams, struct people_block *block, size_t count,
                 const struct people_needs *needs, const struct avrr_params *const *params,
                 size_t n_policies);

#endif
