/* Unit tests for models/event_queue: events come out in the order of (time,
 * insertion) exactly, as a reference list kept sorted gives them, under the
 * loads that reach every part of the queue (days dense enough to sort by
 * many parts, exact ties between events pushed into the ring and past it,
 * times on the edges of days and blocks, a ring left empty between far
 * events, pushes into the day being taken and into the block dealt), over
 * several runs of one queue; the queue answers "nothing before that day"
 * only when its next event lies on a later day; a reset queue gives what a
 * new one gives. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/event_queue.h"

/* The reference: the pending events kept sorted by (time, insertion), the
 * earliest at `head`. */
struct reference {
    struct event *e;
    size_t head, n, capacity;
    uint64_t inserted;
};

static int before(const struct event *a, const struct event *b)
{
    return a->time < b->time || (a->time == b->time && a->order < b->order);
}

static void reference_push(struct reference *r, double time, uint32_t person)
{
    if (r->head > 0 && r->n == r->capacity) {   /* drop what was taken */
        memmove(r->e, r->e + r->head, (r->n - r->head) * sizeof *r->e);
        r->n -= r->head;
        r->head = 0;
    }
    if (r->n == r->capacity) {
        r->capacity = r->capacity ? 2 * r->capacity : 4096;
        r->e = realloc(r->e, r->capacity * sizeof *r->e);
        assert_non_null(r->e);
    }
    struct event e = {time, r->inserted++, person, 0};
    size_t lo = r->head, hi = r->n;   /* the first place after every event not after e */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (before(&e, &r->e[mid]))
            hi = mid;
        else
            lo = mid + 1;
    }
    memmove(r->e + lo + 1, r->e + lo, (r->n - lo) * sizeof *r->e);
    r->e[lo] = e;
    r->n++;
}

/* What the pushes look like, ahead of the time just taken. */
enum load {
    LOAD_MIXED,      /* the same moment, the same day, days ahead, past the ring */
    LOAD_DENSE,      /* thousands of events a day: the sort cut into its most parts */
    LOAD_TIES,       /* a few exact offsets on the edges of days, blocks and the ring */
    LOAD_SPARSE,     /* one event at a time, far apart: the ring empties and jumps */
    LOAD_FAR_TIES    /* events at equal times pushed past the ring and later into it */
};

static double ahead(gsl_rng *rng, enum load load, double now)
{
    static const double edges[] = {0, 0.5, 1, 31, 31.999999999, 32, 33, 64, 2015, 2016,
                                   2047, 2048, 2049, 4096, 5000};
    double u = gsl_rng_uniform(rng);
    switch (load) {
    case LOAD_MIXED:
        if (u < 0.1)
            return 0;
        if (u < 0.3)
            return gsl_rng_uniform(rng);
        if (u < 0.95)
            return floor(gsl_rng_uniform(rng) * 400);
        return 2000 + gsl_rng_uniform(rng) * 9000;
    case LOAD_DENSE:
        return u < 0.9 ? gsl_rng_uniform(rng) * 2 : gsl_rng_uniform(rng) * 100;
    case LOAD_TIES:
        /* to whole days ahead of now's day, so that times tie exactly */
        return floor(now) - now + edges[gsl_rng_uniform_int(rng, sizeof edges / sizeof *edges)];
    case LOAD_SPARSE:
        return 2500 + gsl_rng_uniform(rng) * 20000;
    case LOAD_FAR_TIES:
        /* a handful of fixed times, reached from ever closer */
        return fmax(0, 3000 * (1 + (double)gsl_rng_uniform_int(rng, 4)) - now);
    }
    return 0;
}

/* One run of the queue under a load, step by step as a simulation uses it:
 * an arrival (not queued) at a time a little ahead, the queue asked up to
 * its day, the earlier of the two taken, then pushes. Every event taken
 * must be the reference's earliest. Returns the number of events taken. */
static size_t run_load(struct event_queue *q, struct reference *r, gsl_rng *rng, enum load load,
                       int steps, uint32_t *taken_persons)
{
    event_queue_reset(q);
    r->head = r->n = 0;
    r->inserted = 0;
    double now = 0;
    uint32_t next_person = 0;
    size_t taken = 0;
    int max_pushes = load == LOAD_DENSE ? 40 : load == LOAD_SPARSE ? 2 : 4;
    for (int step = 0; step < steps; step++) {
        double arrival = now + (load == LOAD_DENSE ? gsl_rng_uniform(rng) * 0.05
                                                   : gsl_rng_uniform(rng) * 3);
        const struct event *head = event_queue_peek_until(q, arrival);
        if (head && head->time < arrival) {
            assert_true(r->head < r->n);
            struct event got = event_queue_pop(q), want = r->e[r->head++];
            assert_true(got.time == want.time);
            assert_true(got.order == want.order);
            assert_int_equal(got.person, want.person);
            assert_true(got.time >= now);
            now = got.time;
            if (taken_persons)
                taken_persons[taken] = got.person;
            taken++;
        } else {
            /* nothing queued before the arrival; NULL only when the next
             * event lies on a later day */
            assert_true(r->head == r->n || r->e[r->head].time >= arrival);
            if (head == NULL)
                assert_true(r->head == r->n || floor(r->e[r->head].time) > floor(arrival));
            else
                assert_true(head->time == r->e[r->head].time && head->order == r->e[r->head].order);
            now = arrival;
        }
        int pushes = (int)gsl_rng_uniform_int(rng, (unsigned long)max_pushes + 1);
        if (r->n - r->head > 20000)
            pushes = 0;
        for (int k = 0; k < pushes; k++) {
            double t = now + ahead(rng, load, now);
            if (t < now)
                t = now;
            assert_int_equal(event_queue_push(q, t, next_person, 0), 0);
            reference_push(r, t, next_person);
            next_person++;
        }
    }
    while (r->head < r->n) {   /* drain */
        const struct event *head = event_queue_peek_until(q, INFINITY);
        assert_non_null(head);
        struct event got = event_queue_pop(q), want = r->e[r->head++];
        assert_true(got.time == want.time && got.order == want.order);
        assert_true(got.time >= now);
        now = got.time;
        if (taken_persons)
            taken_persons[taken] = got.person;
        taken++;
    }
    assert_null(event_queue_peek_until(q, INFINITY));
    assert_int_equal(q->out_of_memory, 0);
    return taken;
}

static void test_order_under_every_load(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 17);
    struct event_queue q;
    memset(&q, 0, sizeof q);
    struct reference r = {0};
    static const enum load loads[] = {LOAD_MIXED, LOAD_DENSE, LOAD_TIES, LOAD_SPARSE,
                                      LOAD_FAR_TIES, LOAD_TIES, LOAD_MIXED};
    for (size_t i = 0; i < sizeof loads / sizeof *loads; i++) {
        int steps = loads[i] == LOAD_SPARSE ? 3000 : 30000;
        size_t taken = run_load(&q, &r, rng, loads[i], steps, NULL);
        assert_true(taken > (loads[i] == LOAD_SPARSE ? 1000u : 10000u));
    }
    event_queue_clear(&q);
    free(r.e);
    gsl_rng_free(rng);
}

/* A day of more events than the sort's parts, all in one day, many at the
 * same moment: ties kept in order of insertion. */
static void test_one_crowded_day(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 5);
    struct event_queue q;
    memset(&q, 0, sizeof q);
    event_queue_reset(&q);
    struct reference r = {0};
    size_t n = 3 * EVENT_QUEUE_SORT_SLOTS;
    for (size_t i = 0; i < n; i++) {
        double t = 700 + (i % 3 == 0 ? 0.25 : gsl_rng_uniform(rng));
        assert_int_equal(event_queue_push(&q, t, (uint32_t)i, 0), 0);
        reference_push(&r, t, (uint32_t)i);
    }
    assert_null(event_queue_peek_until(&q, 699.9));   /* a day before: nothing */
    for (size_t i = 0; i < n; i++) {
        const struct event *head = event_queue_peek_until(&q, 700);
        assert_non_null(head);
        struct event got = event_queue_pop(&q), want = r.e[r.head++];
        assert_true(got.time == want.time && got.order == want.order);
        if (i > 0 && got.time == r.e[r.head - 2].time)
            assert_true(got.order > r.e[r.head - 2].order);
    }
    assert_null(event_queue_peek_until(&q, INFINITY));
    event_queue_clear(&q);
    free(r.e);
    gsl_rng_free(rng);
}

/* The same pushes give the same events in the same order from a queue
 * reset after other runs as from a new one. */
static void test_reset_queue_as_new(void **state)
{
    (void)state;
    enum { STEPS = 20000 };
    uint32_t *fresh = malloc(4 * (STEPS + 1) * sizeof *fresh);
    uint32_t *reused = malloc(4 * (STEPS + 1) * sizeof *reused);
    assert_non_null(fresh);
    assert_non_null(reused);
    struct reference r = {0};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);

    struct event_queue q;
    memset(&q, 0, sizeof q);
    gsl_rng_set(rng, 99);
    size_t n_fresh = run_load(&q, &r, rng, LOAD_MIXED, STEPS, fresh);
    event_queue_clear(&q);

    memset(&q, 0, sizeof q);
    gsl_rng_set(rng, 3);
    run_load(&q, &r, rng, LOAD_DENSE, 5000, NULL);
    gsl_rng_set(rng, 99);
    size_t n_reused = run_load(&q, &r, rng, LOAD_MIXED, STEPS, reused);
    assert_int_equal(n_fresh, n_reused);
    assert_memory_equal(fresh, reused, n_fresh * sizeof *fresh);
    event_queue_clear(&q);

    free(fresh);
    free(reused);
    free(r.e);
    gsl_rng_free(rng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_under_every_load),
        cmocka_unit_test(test_one_crowded_day),
        cmocka_unit_test(test_reset_queue_as_new),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
