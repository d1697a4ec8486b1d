/* keyed_column: person-level draws keyed by person, made at first use. See
 * keyed_column.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/keyed_column.h"

/* The mixer of engine/rng.c: SplitMix64's finaliser. */
static uint64_t splitmix64(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

/* A GSL generator type of our own: SplitMix64 (Steele, Lea and Flood 2014;
 * passes BigCrush), whose whole state is one 64-bit counter, so that
 * seeding it is one store, against some 160 instructions for taus2 (an LCG
 * warm-up) and thousands for mt19937. Outputs are 32 bits (the upper half
 * of each mixed word) through get, and 53 bits through get_double. */
static void splitmix_set(void *state, unsigned long seed)
{
    *(uint64_t *)state = (uint64_t)seed;
}

static unsigned long splitmix_get(void *state)
{
    uint64_t *counter = state;
    *counter += UINT64_C(0x9E3779B97F4A7C15);
    uint64_t x = *counter;
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return (unsigned long)((x ^ (x >> 31)) >> 32);
}

static double splitmix_get_double(void *state)
{
    uint64_t *counter = state;
    *counter += UINT64_C(0x9E3779B97F4A7C15);
    uint64_t x = *counter;
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return (double)((x ^ (x >> 31)) >> 11) * 0x1p-53;
}

static const gsl_rng_type keyed_splitmix64 = {
    "splitmix64 (keyed)", 0xffffffffUL, 0, sizeof(uint64_t),
    splitmix_set, splitmix_get, splitmix_get_double
};

int keyed_column_init(struct keyed_column *c)
{
    memset(c, 0, sizeof *c);
    c->rng = gsl_rng_alloc(&keyed_splitmix64);
    return c->rng ? 0 : -1;
}

void keyed_column_clear(struct keyed_column *c)
{
    gsl_rng_free(c->rng);
    free(c->value);
    memset(c, 0, sizeof *c);
}

int keyed_column_start(struct keyed_column *c, const struct dist *dist, uint64_t seed,
                       uint64_t replication, uint64_t stream, size_t count)
{
    if (count > c->capacity || !c->value) {
        size_t capacity = c->capacity ? c->capacity : 4096;
        while (capacity < count)
            capacity *= 2;
        double *grown = malloc(capacity * sizeof *grown);   /* old values need not survive */
        if (!grown)
            return -1;
        free(c->value);
        c->value = grown;
        c->capacity = capacity;
    }
    for (size_t i = 0; i < count; i++)
        c->value[i] = NAN;
    c->count = count;
    c->dist = dist;
    c->key = splitmix64(splitmix64(splitmix64(seed) ^ replication) ^ stream);
    return 0;
}

double keyed_column_draw(struct keyed_column *c, size_t person)
{
    /* the person's own stream: every counter value is a valid state */
    splitmix_set(gsl_rng_state(c->rng), splitmix64(c->key ^ (uint64_t)person));
    double v = dist_sample(c->dist, c->rng);
    c->value[person] = v;
    return v;
}
