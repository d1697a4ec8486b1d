/* rng: random streams keyed by (seed, replication, stream). See rng.h. */
#include <string.h>

#include "engine/rng.h"

static uint64_t splitmix64(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

void rng_stream_seed(gsl_rng *generator, uint64_t seed, uint64_t replication, uint64_t stream)
{
    uint64_t mixed = splitmix64(splitmix64(splitmix64(seed) ^ replication) ^ stream);
    /* Most GSL generators use 32 bits of the seed, and some treat 0 as "the
     * default seed": fold the 64 bits into 32 and avoid 0. */
    unsigned long s = (unsigned long)((mixed ^ (mixed >> 32)) & 0xffffffffu);
    gsl_rng_set(generator, s ? s : 1u);
}

uint64_t rng_stream_id_for(const char *text)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= UINT64_C(0x100000001b3);
    }
    return h | RNG_STREAM_MODEL_LIMIT;
}

const gsl_rng_type *rng_type_by_name(const char *name)
{
    const gsl_rng_type **types = gsl_rng_types_setup();
    for (const gsl_rng_type **t = types; *t; t++)
        if (strcmp((*t)->name, name) == 0)
            return *t;
    return NULL;
}

size_t rng_type_names(const char **names, size_t cap)
{
    size_t n = 0;
    for (const gsl_rng_type **t = gsl_rng_types_setup(); *t && n < cap; t++)
        names[n++] = (*t)->name;
    return n;
}
