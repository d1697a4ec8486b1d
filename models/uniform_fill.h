/* uniform_fill: columns of uniforms on [0, 1) from a random stream, many at
 * once. For GSL's taus and taus2 (the default generator) a column comes from
 * UNIFORM_LANES generators of the stream's type stepped together in SIMD
 * lanes: element L j + l of a column is lane l's next output, the same
 * number, bit for bit, that gsl_rng_uniform would give on that lane's own
 * gsl_rng. Lane 0 is the stream itself; lane l (1 .. L - 1) is a generator of
 * the stream's type seeded, by gsl_rng_set, with the l-th of L - 1 words
 * drawn from the stream (gsl_rng_get) when the fill is started. So a column
 * depends only on the stream's state when it was started, like everything
 * else drawn from a stream. Any other generator goes through
 * gsl_rng_uniform, one number after another (the stream's own sequence). */
#ifndef AVRRSIM_MODELS_UNIFORM_FILL_H
#define AVRRSIM_MODELS_UNIFORM_FILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* Lanes stepped together (a multiple of 4: 4 per 128-bit vector). */
#define UNIFORM_LANES 8

struct uniform_fill {
    uint32_t s1[UNIFORM_LANES], s2[UNIFORM_LANES], s3[UNIFORM_LANES];   /* lanes' taus state */
    gsl_rng *stream;     /* the stream being filled from (not owned) */
    gsl_rng *seeding;    /* a generator of the stream's type, for seeding lanes (owned) */
    bool lanes;          /* taus or taus2 stepped in lanes; false: gsl_rng_uniform */
};

/* Readies a filler for streams of this type: lanes for taus and taus2 when
 * GSL keeps their state as taus.c does (checked now, by drawing numbers both
 * ways: lanes against gsl_rng_uniform); gsl_rng_uniform otherwise (and on
 * any doubt). 0, or -1 (out of memory; then nothing is left to free). */
int uniform_fill_init(struct uniform_fill *f, const gsl_rng_type *type);
void uniform_fill_clear(struct uniform_fill *f);

/* Starts filling from stream (of the type given to uniform_fill_init;
 * borrowed until the next start or clear). With lanes, draws L - 1 words
 * from stream and seeds lanes 1 .. L - 1 with them. */
void uniform_fill_start(struct uniform_fill *f, gsl_rng *stream);

/* Writes n uniforms on [0, 1) into out. With lanes, element L j + l of out
 * is lane l's next output and, when L does not divide n, lanes n mod L ..
 * L - 1 give one number fewer: every lane's outputs are used once, in
 * order, across consecutive calls. The stream (lane 0) is advanced by
 * exactly its share. Without lanes: n calls of gsl_rng_uniform(stream). */
void uniform_fill_next(struct uniform_fill *f, double *out, size_t n);

#endif
