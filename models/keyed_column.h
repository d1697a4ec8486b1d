/* keyed_column: a person-level draw made only for the persons who need it.
 * Person i's value comes from a random stream of its own, seeded from
 * (seed, replication, stream, i) alone, so it does not depend on which other
 * persons need theirs, on which policy asks first, nor on the thread: common
 * random numbers hold across policies without drawing for everyone. A value
 * is drawn at its first use and remembered for the rest of the replication.
 *
 * The per-person stream is SplitMix64, a GSL generator type defined in
 * keyed_column.c, whatever generator the scenario chooses: its state is one
 * 64-bit counter, set from the 64 bits of the person's key in one store
 * (re-seeding taus2 costs about 160 instructions, mt19937 thousands, gfsr4
 * millions), and a stream is started for every person drawn. */
#ifndef AVRRSIM_MODELS_KEYED_COLUMN_H
#define AVRRSIM_MODELS_KEYED_COLUMN_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "engine/dist.h"

struct keyed_column {
    gsl_rng *rng;                /* SplitMix64, re-seeded per person */
    const struct dist *dist;
    uint64_t key;                /* from (seed, replication, stream) */
    double *value;               /* [person]: NaN until drawn */
    size_t count, capacity;
};

/* Allocates the generator. 0, or -1 (out of memory; *c is then cleared). */
int keyed_column_init(struct keyed_column *c);
void keyed_column_clear(struct keyed_column *c);   /* frees; a cleared column is ok */

/* Starts a replication: persons 0 .. count - 1, none drawn yet, values from
 * dist (borrowed until the next start). Storage grows to the largest count
 * seen and is then reused. 0, or -1 (out of memory). */
int keyed_column_start(struct keyed_column *c, const struct dist *dist, uint64_t seed,
                       uint64_t replication, uint64_t stream, size_t count);

/* Draws person's value (the slow path of keyed_column_get). */
double keyed_column_draw(struct keyed_column *c, size_t person);

/* Person's value (person < count), drawn now if not yet drawn. */
static inline double keyed_column_get(struct keyed_column *c, size_t person)
{
    double v = c->value[person];
    return v == v ? v : keyed_column_draw(c, person);
}

#endif
