/* uniform_fill: uniforms in bulk, from taus2 in SIMD lanes or from GSL. See
 * uniform_fill.h. */
#include <string.h>

#include "models/uniform_fill.h"

/* GSL's taus.c: the state of taus and taus2 (they differ only in seeding). */
struct taus_state {
    unsigned long s1, s2, s3;
};

enum { LANES = UNIFORM_LANES };

/* GSL's step masks with 0xffffffff after each left shift; 32-bit words do
 * that by themselves (the state's words never exceed 32 bits). It works
 * alike on a uint32_t and on a vector of them. */
#define TAUSWORTHE(s, a, b, c, d) ((((s) & (c)) << (d)) ^ ((((s) << (a)) ^ (s)) >> (b)))
#define STEP1(s) TAUSWORTHE(s, 13, 19, UINT32_C(4294967294), 12)
#define STEP2(s) TAUSWORTHE(s, 2, 25, UINT32_C(4294967288), 4)
#define STEP3(s) TAUSWORTHE(s, 3, 11, UINT32_C(4294967280), 17)

/* One output of lane l, stepped alone: GSL's taus_get_double (/ 2^32 exactly). */
static double lane_step(struct uniform_fill *f, size_t l)
{
    f->s1[l] = STEP1(f->s1[l]);
    f->s2[l] = STEP2(f->s2[l]);
    f->s3[l] = STEP3(f->s3[l]);
    return (double)(f->s1[l] ^ f->s2[l] ^ f->s3[l]) * 0x1p-32;
}

/* GCC's and clang's vector extensions: SSE2 on x86-64, NEON on ARM, at -O2
 * without -march flags; plain C elsewhere (or with -DUNIFORM_FILL_PLAIN_C,
 * to test it). Four lanes a vector, in a struct of named vectors (the
 * compilers keep those in registers; an array of them they kept on the
 * stack). */
#if !defined(UNIFORM_FILL_PLAIN_C) && defined(__GNUC__) && (defined(__clang__) || __GNUC__ >= 9)
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef double f64x4 __attribute__((vector_size(32)));
_Static_assert(LANES == 4 || LANES == 8, "UNIFORM_LANES is 4 or 8");

struct quad {
    u32x4 s1, s2, s3;
};

static inline void quad_load(struct quad *q, const struct uniform_fill *f, size_t first)
{
    memcpy(&q->s1, f->s1 + first, sizeof q->s1);
    memcpy(&q->s2, f->s2 + first, sizeof q->s2);
    memcpy(&q->s3, f->s3 + first, sizeof q->s3);
}

static inline void quad_save(const struct quad *q, struct uniform_fill *f, size_t first)
{
    memcpy(f->s1 + first, &q->s1, sizeof q->s1);
    memcpy(f->s2 + first, &q->s2, sizeof q->s2);
    memcpy(f->s3 + first, &q->s3, sizeof q->s3);
}

/* Steps four lanes and writes their outputs to out[0 .. 3]. SSE2 converts
 * only signed words to double: x - 2^31 as a signed word, converted, plus
 * 2^31 is x exactly, and / 2^32 is exact too: GSL's (double)x / 2^32. */
static inline void quad_step(struct quad *q, double *out)
{
    q->s1 = STEP1(q->s1);
    q->s2 = STEP2(q->s2);
    q->s3 = STEP3(q->s3);
    i32x4 centred = (i32x4)((q->s1 ^ q->s2 ^ q->s3) ^ UINT32_C(0x80000000));
    f64x4 u = (__builtin_convertvector(centred, f64x4) + 0x1p31) * 0x1p-32;
    memcpy(out, &u, sizeof u);
}

/* groups whole groups of LANES outputs. (Not inlined: inlined, GCC 12
 * stored each output to the stack as well.) */
__attribute__((noinline)) static void lanes_fill_groups(struct uniform_fill *f, double *out, size_t groups)
{
    struct quad a;
    quad_load(&a, f, 0);
#if UNIFORM_LANES == 8
    struct quad b;   /* a second, independent chain: the same instructions, more overlap */
    quad_load(&b, f, 4);
#endif
    for (size_t j = 0; j < groups; j++, out += LANES) {
        quad_step(&a, out);
#if UNIFORM_LANES == 8
        quad_step(&b, out + 4);
#endif
    }
    quad_save(&a, f, 0);
#if UNIFORM_LANES == 8
    quad_save(&b, f, 4);
#endif
}
#else
static void lanes_fill_groups(struct uniform_fill *f, double *out, size_t groups)
{
    for (size_t j = 0; j < groups; j++, out += LANES)
        for (size_t l = 0; l < LANES; l++)
            out[l] = lane_step(f, l);
}
#endif

/* n outputs of the lanes as the header says: whole groups, then one more
 * from each of lanes 0 .. n mod LANES - 1. */
static void lanes_fill(struct uniform_fill *f, double *out, size_t n)
{
    size_t groups = n / LANES;
    lanes_fill_groups(f, out, groups);
    for (size_t l = 0; l < n % LANES; l++)
        out[groups * LANES + l] = lane_step(f, l);
}

static void lane_load(struct uniform_fill *f, size_t l, const gsl_rng *r)
{
    const struct taus_state *state = gsl_rng_state(r);
    f->s1[l] = (uint32_t)state->s1;
    f->s2[l] = (uint32_t)state->s2;
    f->s3[l] = (uint32_t)state->s3;
}

static void lane_store(const struct uniform_fill *f, size_t l, gsl_rng *r)
{
    struct taus_state *state = gsl_rng_state(r);
    state->s1 = f->s1[l];
    state->s2 = f->s2[l];
    state->s3 = f->s3[l];
}

/* Whether the lanes give gsl_rng_uniform's numbers for this type: each lane
 * seeded differently by GSL, a column of whole groups and a tail, then each
 * lane's numbers against GSL's from the same seed, and the state GSL would
 * have reached. f->seeding is a generator of the type. */
static bool lanes_match_gsl(struct uniform_fill *f)
{
    const gsl_rng_type *type = f->seeding->type;
    if ((type != gsl_rng_taus2 && type != gsl_rng_taus)
        || gsl_rng_size(f->seeding) != sizeof(struct taus_state))
        return false;
    enum { CHECKED = 16 * LANES + LANES - 1 };
    double ours[CHECKED];
    for (size_t l = 0; l < LANES; l++) {
        gsl_rng_set(f->seeding, 1000 + 7919 * l);
        lane_load(f, l, f->seeding);
    }
    lanes_fill(f, ours, CHECKED);
    bool same = true;
    for (size_t l = 0; l < LANES && same; l++) {
        gsl_rng_set(f->seeding, 1000 + 7919 * l);
        for (size_t i = l; i < CHECKED && same; i += LANES)
            same = gsl_rng_uniform(f->seeding) == ours[i];
        const struct taus_state *state = gsl_rng_state(f->seeding);
        same = same && state->s1 == f->s1[l] && state->s2 == f->s2[l] && state->s3 == f->s3[l];
    }
    return same;
}

int uniform_fill_init(struct uniform_fill *f, const gsl_rng_type *type)
{
    memset(f, 0, sizeof *f);
    f->seeding = gsl_rng_alloc(type);
    if (!f->seeding)
        return -1;
    f->lanes = lanes_match_gsl(f);
    return 0;
}

void uniform_fill_clear(struct uniform_fill *f)
{
    gsl_rng_free(f->seeding);
    memset(f, 0, sizeof *f);
}

void uniform_fill_start(struct uniform_fill *f, gsl_rng *stream)
{
    f->stream = stream;
    if (!f->lanes)
        return;
    for (size_t l = 1; l < LANES; l++) {
        gsl_rng_set(f->seeding, gsl_rng_get(stream));
        lane_load(f, l, f->seeding);
    }
}

void uniform_fill_next(struct uniform_fill *f, double *out, size_t n)
{
    if (!f->lanes) {
        for (size_t i = 0; i < n; i++)
            out[i] = gsl_rng_uniform(f->stream);
        return;
    }
    lane_load(f, 0, f->stream);   /* lane 0 is the stream's own state */
    lanes_fill(f, out, n);
    lane_store(f, 0, f->stream);
}
