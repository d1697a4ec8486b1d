/* uniform_fill: uniforms in bulk, identical to gsl_rng_uniform's. See
 * uniform_fill.h. */
#include <stdint.h>
#include <string.h>

#include "models/uniform_fill.h"

/* GSL's taus.c: the state of taus and taus2 (they differ only in seeding). */
struct taus_state {
    unsigned long s1, s2, s3;
};

/* GSL's step masks with 0xffffffff after each left shift; 32-bit words do
 * that by themselves (the state's words never exceed 32 bits). */
#define TAUSWORTHE(s, a, b, c, d) ((((s) & (c)) << (d)) ^ ((((s) << (a)) ^ (s)) >> (b)))

static void taus_fill(struct taus_state *state, double *out, size_t n)
{
    uint32_t s1 = (uint32_t)state->s1, s2 = (uint32_t)state->s2, s3 = (uint32_t)state->s3;
    for (size_t i = 0; i < n; i++) {
        s1 = TAUSWORTHE(s1, 13, 19, UINT32_C(4294967294), 12);
        s2 = TAUSWORTHE(s2, 2, 25, UINT32_C(4294967288), 4);
        s3 = TAUSWORTHE(s3, 3, 11, UINT32_C(4294967280), 17);
        out[i] = (double)(s1 ^ s2 ^ s3) * 0x1p-32;   /* = / 2^32 exactly */
    }
    state->s1 = s1;
    state->s2 = s2;
    state->s3 = s3;
}

bool uniform_fill_inline_ok(const gsl_rng *r)
{
    if (!r || (r->type != gsl_rng_taus2 && r->type != gsl_rng_taus)
        || gsl_rng_size(r) != sizeof(struct taus_state))
        return false;
    gsl_rng *through_gsl = gsl_rng_clone(r), *inline_copy = gsl_rng_clone(r);
    bool same = through_gsl && inline_copy;
    enum { CHECKED = 64 };
    double ours[CHECKED];
    if (same)
        taus_fill(gsl_rng_state(inline_copy), ours, CHECKED);
    for (int i = 0; i < CHECKED && same; i++)
        same = gsl_rng_uniform(through_gsl) == ours[i];
    if (same)   /* and the states agree afterwards */
        same = memcmp(gsl_rng_state(through_gsl), gsl_rng_state(inline_copy),
                      sizeof(struct taus_state)) == 0;
    gsl_rng_free(through_gsl);
    gsl_rng_free(inline_copy);
    return same;
}

void uniform_fill(gsl_rng *r, bool inline_ok, double *out, size_t n)
{
    if (inline_ok) {
        taus_fill(gsl_rng_state(r), out, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = gsl_rng_uniform(r);
}
