/* rng: random streams that depend only on (seed, replication, stream), so a
 * replication gives the same numbers on any thread, in any order. */
#ifndef AVRRSIM_RNG_H
#define AVRRSIM_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* Stream ids below this are the engine's own (uncertain parameters use ids
 * derived from their paths, which land above it). Models number theirs from 1. */
#define RNG_STREAM_MODEL_LIMIT (UINT64_C(1) << 32)

/* Seeds generator for stream `stream` of replication `replication` of a run
 * seeded with `seed`. The three are mixed with SplitMix64 into the
 * generator's seed. */
void rng_stream_seed(gsl_rng *generator, uint64_t seed, uint64_t replication, uint64_t stream);

/* A stream id from a text (FNV-1a, moved above RNG_STREAM_MODEL_LIMIT). */
uint64_t rng_stream_id_for(const char *text);

/* The GSL generator type of that name ("taus2", "mt19937", ...), or NULL. */
const gsl_rng_type *rng_type_by_name(const char *name);

/* Writes up to cap GSL generator names (GSL's static strings) into names;
 * returns how many. */
size_t rng_type_names(const char **names, size_t cap);

#endif
