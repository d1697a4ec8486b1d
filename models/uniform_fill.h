/* uniform_fill: many uniforms at once from a GSL generator, the same numbers
 * gsl_rng_uniform would give, bit for bit. For GSL's taus and taus2 (the
 * default generator) the Tausworthe step is run inline on the generator's
 * own state: about a third of the instructions of a call through the
 * generator's function pointers. Any other generator goes through
 * gsl_rng_uniform. */
#ifndef AVRRSIM_MODELS_UNIFORM_FILL_H
#define AVRRSIM_MODELS_UNIFORM_FILL_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

/* Whether r can be stepped inline: its type is taus or taus2 and its state
 * is the three words GSL's taus.c keeps, which this checks once by drawing
 * a few numbers both ways from a copy of r (r itself is not advanced).
 * False on any doubt (then uniform_fill calls GSL). */
bool uniform_fill_inline_ok(const gsl_rng *r);

/* Writes n uniforms on [0, 1) from r into out, advancing r exactly as n
 * calls of gsl_rng_uniform would. inline_ok: the answer of
 * uniform_fill_inline_ok for r (or a generator of the same type). */
void uniform_fill(gsl_rng *r, bool inline_ok, double *out, size_t n);

#endif
