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

int keyed_column_init(struct keyed_column *c)
{
    memset(c, 0, sizeof *c);
    c->rng = gsl_rng_alloc(gsl_rng_taus2);
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
    uint64_t mixed = splitmix64(c->key ^ (uint64_t)person);
    /* as engine/rng.c: 32 bits (taus2 uses no more), never 0 (GSL's "default seed") */
    unsigned long s = (unsigned long)((mixed ^ (mixed >> 32)) & 0xffffffffu);
    gsl_rng_set(c->rng, s ? s : 1u);
    double v = dist_sample(c->dist, c->rng);
    c->value[person] = v;
    return v;
}
