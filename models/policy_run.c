/* policy_run: the discrete-event simulation of one policy (see policy_run.h
 * and docs/model.md).
 *
 * Arrivals come in day order from the shared people; every later event
 * (end of a detention, an application, papers ready, the start of a month
 * for the AVRR queue, a re-entry) sits in an event queue. Three levels change
 * at events and are integrated over time, month by month: the number
 * detained (bed-days, detention cost), the number in the community (community
 * cost, until the end of the horizon) and the AVRR queue. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "engine/rng.h"
#include "models/calendar.h"
#include "models/discount_table.h"
#include "models/event_queue.h"
#include "models/policy_run.h"

#define MONTH AVRR_DAYS_PER_MONTH

enum { STREAM_REENTRY_BASE = 4096 };   /* + policy */
enum { REENTRIES_PER_PERSON = 100 };

enum person_state {
    ST_ABSENT, ST_DETAINED, ST_DETAINED_TO_CAP, ST_WAIT_DETENTION, ST_WAIT_COMMUNITY,
    ST_COMMUNITY, ST_GONE
};

enum event_type {
    EV_ARRIVE, EV_DETENTION_END, EV_APPLY_DETAINED, EV_APPLY_COMMUNITY, EV_READY, EV_MONTH_START,
    EV_HORIZON_END
};

/* The draws of a re-entrant, who is a new person with fresh draws. */
struct reentrant {
    double u[U_KINDS];
    double length, processing, delay;
};

/* A piecewise-constant level integrated month by month. */
struct level {
    double value;
    double since;                /* integrated up to here */
    double boundary;             /* the start of the month after `since`'s */
    size_t month;                /* the month `since` lies in */
    double rate;                 /* cost per unit of the level per day */
    double until;                /* costs stop here (the horizon, or never) */
    int by_parts;                /* its cost is discounted by parts, not yet closed at `until` */
};

/* Stock persons entered between two looks at the stop flag (the event loop
 * looks at it when the clock enters a new month: at no cost per event). */
enum { STOP_CHECK_EVERY = 1 << 16 };

struct policy_run {
    gsl_rng *reentry_rng;
    struct event_queue events;
    unsigned char *state;        /* per person */
    size_t state_capacity;
    struct reentrant *reentrants;
    size_t n_reentrants, reentrant_capacity;
    uint32_t *queue;             /* AVRR applicants ready to leave, first in first out */
    size_t queue_head, queue_count, queue_capacity;
    /* per month: the series, and the integrals of the detained and community levels */
    double *series, *detained_days, *community_days;
    size_t month_capacity, months_used;
    int out_of_memory;
    int endless_reentries;
    double past_last_day;            /* the first event past AVRR_LAST_DAY, or 0 */
    const volatile sig_atomic_t *stop;   /* non-zero: stop, interrupted (may be NULL) */
    int interrupted;             /* the stop flag was seen set */

    /* the run in progress */
    const struct avrr_params *a;
    struct people *pp;           /* processing times are drawn at first use */
    double horizon_day, discount_per_day, last_event;
    double hazard_detained, hazard_community;   /* of applying for AVRR, per day */
    struct discount_table discount;   /* exp and expm1 of -discount_per_day t */
    struct level detained, community, waiting;
    size_t month_now;            /* the month of the event being handled (reached) */
    double next_month;           /* the start of the month after it */
    double metrics[M_COUNT];
    double discounted;
    size_t quota_month;
    double quota_used;
    int month_start_pending;
};

policy_run *policy_run_new(const gsl_rng_type *type, const volatile sig_atomic_t *stop)
{
    policy_run *run = calloc(1, sizeof *run);
    if (!run)
        return NULL;
    run->stop = stop;
    if (!(run->reentry_rng = gsl_rng_alloc(type))) {
        free(run);
        return NULL;
    }
    return run;
}

void policy_run_free(policy_run *run)
{
    if (!run)
        return;
    gsl_rng_free(run->reentry_rng);
    event_queue_clear(&run->events);
    discount_table_clear(&run->discount);
    free(run->state);
    free(run->reentrants);
    free(run->queue);
    free(run->series);
    free(run->detained_days);
    free(run->community_days);
    free(run);
}

/* ---------- storage ---------- */

static int grow(void **block, size_t *capacity, size_t needed, size_t item_size)
{
    if (needed <= *capacity)
        return 0;
    size_t c = *capacity ? *capacity : 1024;
    while (c < needed)
        c *= 2;
    void *grown = realloc(*block, c * item_size);
    if (!grown)
        return -1;
    *block = grown;
    *capacity = c;
    return 0;
}

/* Makes month m addressable (zeroed when new). */
static int reach_month(policy_run *run, size_t m)
{
    if (m < run->months_used)
        return 0;
    if (m >= run->month_capacity) {
        size_t c = run->month_capacity ? run->month_capacity : 128;
        while (c <= m)
            c *= 2;
        double *series = realloc(run->series, c * S_COUNT * sizeof *series);
        if (series)
            run->series = series;
        double *detained = realloc(run->detained_days, c * sizeof *detained);
        if (detained)
            run->detained_days = detained;
        double *community = realloc(run->community_days, c * sizeof *community);
        if (community)
            run->community_days = community;
        if (!series || !detained || !community) {
            run->out_of_memory = 1;
            return -1;
        }
        run->month_capacity = c;
    }
    for (size_t i = run->months_used; i <= m; i++) {
        memset(run->series + i * S_COUNT, 0, S_COUNT * sizeof *run->series);
        run->detained_days[i] = run->community_days[i] = 0;
    }
    run->months_used = m + 1;
    return 0;
}

/* ---------- money and time ---------- */

/* The discount factor of a cost on day t. */
static double discount(const policy_run *run, double t)
{
    return run->discount_per_day > 0 ? discount_factor(&run->discount, t) : 1.0;
}

/* A cost paid at once on day t. */
static void pay(policy_run *run, double t, double amount)
{
    size_t m = month_of(t);
    if (reach_month(run, m) != 0)
        return;
    run->series[m * S_COUNT + S_COST] += amount;
    run->discounted += amount * discount(run, t);
}

/* The clock: the month of the event about to be handled, day t (no
 * earlier than the last), made addressable. Entering a new month, it looks
 * at the stop flag. 0, or -1 (out of memory, or interrupted). (Forced
 * inline: left to itself, GCC called it out of line once it looked at the
 * flag, +1.9% instructions on holot-capacity.) */
static inline __attribute__((always_inline)) int clock_to(policy_run *run, double t)
{
    if (t >= run->next_month) {
        if (model_stopped(run->stop)) {
            run->interrupted = 1;
            return -1;
        }
        run->month_now = month_of(t);
        run->next_month = month_start(run->month_now + 1);
        if (run->month_now >= run->months_used && reach_month(run, run->month_now) != 0)
            return -1;
    }
    return 0;
}

/* A cost paid at once on day t, the day of the event being handled. */
static void pay_now(policy_run *run, double t, double amount)
{
    run->series[run->month_now * S_COUNT + S_COST] += amount;
    run->discounted += amount * discount(run, t);
}

/* One more in series s, in the month of the event being handled. */
static void count_now(policy_run *run, enum avrr_series s)
{
    run->series[run->month_now * S_COUNT + s] += 1;
}

/* Integrates a level up to day t across month boundaries, recording
 * month-end values (into the series column end_column) as they pass; the
 * integral, clipped at the level's `until`, goes by month into
 * *days_by_month. Rare (a month's first change of the level): kept out of
 * line so that the common case inlines into every change. */
__attribute__((noinline))
static void advance_months(policy_run *run, struct level *l, double t, double **days_by_month,
                           int end_column)
{
    double until = l->until;
    while (l->since < t) {
        double boundary = l->boundary;
        double b = t < boundary ? t : boundary;
        if (l->month >= run->months_used && reach_month(run, l->month) != 0)
            return;
        double stop = b < until ? b : until;
        if (l->value != 0 && stop > l->since) {
            double days = l->value * (stop - l->since);
            if (days_by_month)   /* read after reach_month: it may have moved */
                (*days_by_month)[l->month] += days;
        }
        if (b == boundary) {
            if (end_column >= 0)
                run->series[l->month * S_COUNT + (size_t)end_column] = l->value;
            l->month++;
            l->boundary = month_start(l->month + 1);
        }
        l->since = b;
    }
}

/* The same, the common case first: t in the month of `since` (one step of
 * advance_months's loop, the same arithmetic). */
static inline void advance(policy_run *run, struct level *l, double t, double **days_by_month,
                           int end_column)
{
    if (!(t < l->boundary)) {
        advance_months(run, l, t, days_by_month, end_column);
        return;
    }
    if (!(l->since < t))
        return;
    if (l->month >= run->months_used && reach_month(run, l->month) != 0)
        return;
    double stop = t < l->until ? t : l->until;
    if (l->value != 0 && stop > l->since && days_by_month)
        (*days_by_month)[l->month] += l->value * (stop - l->since);
    l->since = t;
}

/* The discounted cost of a level, by parts: for a level v(t) from 0 that
 * changes by d_i at t_i, the integral of rate v(t) e^(-k t) up to T is
 * (rate / k) [sum_i d_i e^(-k t_i) - v(T) e^(-k T)]: one exponential per
 * change. As sum_i d_i = v(T), each e^x may be replaced by e^x - 1 = expm1(x),
 * which keeps the terms small and the sum exact to rounding even for a tiny
 * rate. (Without discounting it is rate times the plain integral, added at
 * the end.) */
static inline void discount_change(policy_run *run, struct level *l, double t, double delta)
{
    if (!l->by_parts)   /* no discounting, no cost, or closed */
        return;
    double k = run->discount_per_day;
    if (t >= l->until) {
        run->discounted -= l->rate * l->value * discount_expm1(&run->discount, l->until) / k;
        l->by_parts = 0;
        return;
    }
    run->discounted += l->rate * delta * discount_expm1(&run->discount, t) / k;
}

/* A change of level l by delta on day t. (Forced inline: left to itself,
 * GCC called it out of line from change_detained once a third caller came,
 * +2% instructions on holot-capacity.) */
static inline __attribute__((always_inline)) void
change_level(policy_run *run, struct level *l, double t, double delta,
             double **days_by_month, int end_column)
{
    advance(run, l, t, days_by_month, end_column);
    discount_change(run, l, t, delta);
    l->value += delta;
}

static void change_detained(policy_run *run, double t, double delta)
{
    change_level(run, &run->detained, t, delta, &run->detained_days, S_DETAINED_END);
    if (run->detained.value > run->metrics[M_PEAK_DETAINED])
        run->metrics[M_PEAK_DETAINED] = run->detained.value;
}

static void change_community(policy_run *run, double t, double delta)
{
    change_level(run, &run->community, t, delta, &run->community_days, -1);
}

static void change_waiting(policy_run *run, double t, double delta)
{
    change_level(run, &run->waiting, t, delta, NULL, S_AVRR_QUEUE_END);
    if (run->waiting.value > run->metrics[M_AVRR_QUEUE_PEAK])
        run->metrics[M_AVRR_QUEUE_PEAK] = run->waiting.value;
}

/* ---------- a person's draws ---------- */

static double uniform_of(const policy_run *run, size_t person, enum person_uniform u)
{
    if (person < run->pp->total)
        return run->pp->uniform[u][person];
    return run->reentrants[person - run->pp->total].u[u];
}

static double draw_of(const policy_run *run, size_t person, enum person_draw kind)
{
    const struct avrr_params *a = run->a;
    if (person < run->pp->total) {
        if (kind == DRAW_LENGTH)
            return people_length(run->pp, a->detention.length_days.draw_group, person);
        unsigned group = kind == DRAW_PROCESSING ? a->avrr.processing_days.draw_group
                                                 : a->remigration.delay_days.draw_group;
        return people_keyed(run->pp, kind, group, person);
    }
    const struct reentrant *r = &run->reentrants[person - run->pp->total];
    return kind == DRAW_LENGTH ? r->length : kind == DRAW_PROCESSING ? r->processing : r->delay;
}

/* Whether an event of probability p happens to the person, by their draw u
 * (columns not drawn when no policy needs them are never read). */
static int happens(const policy_run *run, size_t person, enum person_uniform u, double p)
{
    return p >= 1.0 || (p > 0.0 && uniform_of(run, person, u) < p);
}

/* ---------- pathways ---------- */

static inline void schedule(policy_run *run, double t, size_t person, enum event_type type)
{
    if (avrr_past_last_day(t)) {   /* the replication fails (policy_run_simulate) */
        if (run->past_last_day == 0)
            run->past_last_day = t;
        return;
    }
    if (event_queue_push(&run->events, t, (uint32_t)person, type) != 0)
        run->out_of_memory = 1;
}

static int offered(const policy_run *run)
{
    return run->a->avrr.offered;
}

/* The person is in the community from day t (counted in its level by the
 * caller): schedules their application, if they make one inside the horizon. */
static void join_community(policy_run *run, size_t person, double t)
{
    run->state[person] = ST_COMMUNITY;
    double h = run->hazard_community;
    if (offered(run) && h > 0) {
        double when = t + uniform_of(run, person, E_COMMUNITY) / h;
        if (when < run->horizon_day)
            schedule(run, when, person, EV_APPLY_COMMUNITY);
    }
}

static void enter_community(policy_run *run, size_t person, double t)
{
    change_community(run, t, +1);
    join_community(run, person, t);
}

static void release(policy_run *run, size_t person, double t)
{
    run->metrics[M_RELEASES] += 1;
    count_now(run, S_RELEASES);
    enter_community(run, person, t);
}

/* A new person with fresh draws from the re-entry stream; returns its index. */
static size_t new_reentrant(policy_run *run)
{
    size_t index = run->pp->total + run->n_reentrants;
    if (grow((void **)&run->reentrants, &run->reentrant_capacity, run->n_reentrants + 1,
             sizeof *run->reentrants) != 0 ||
        grow((void **)&run->state, &run->state_capacity, index + 1, 1) != 0) {
        run->out_of_memory = 1;
        return SIZE_MAX;
    }
    const gsl_rng *r = run->reentry_rng;
    const struct avrr_params *a = run->a;
    struct reentrant *p = &run->reentrants[run->n_reentrants++];
    p->u[U_INTAKE] = gsl_rng_uniform(r);
    p->u[U_DETAIN] = gsl_rng_uniform(r);
    p->u[U_REMOVAL] = gsl_rng_uniform(r);
    p->u[U_REMIGRATE] = gsl_rng_uniform(r);
    p->u[E_DETENTION] = gsl_ran_exponential(r, 1.0);
    p->u[E_COMMUNITY] = gsl_ran_exponential(r, 1.0);
    p->length = dist_sample(a->detention.length_days.dist, r);
    p->processing = dist_sample(a->avrr.processing_days.dist, r);
    p->delay = dist_sample(a->remigration.delay_days.dist, r);
    run->state[index] = ST_ABSENT;
    return index;
}

/* After a departure: with probability p the person comes back, as a new
 * arrival, if that falls inside the horizon. */
static void maybe_come_back(policy_run *run, size_t person, double t, double p)
{
    if (!happens(run, person, U_REMIGRATE, p))
        return;
    double when = t + draw_of(run, person, DRAW_DELAY);
    if (when >= run->horizon_day)
        return;
    /* Re-entries with no time between them (zero detention, zero delay) would
     * never end: past this many the replication stops with a reason. */
    if (run->n_reentrants >= REENTRIES_PER_PERSON * (run->pp->total + 1)) {
        run->endless_reentries = 1;
        return;
    }
    size_t again = new_reentrant(run);
    if (again == SIZE_MAX)
        return;
    run->metrics[M_RE_ENTRIES] += 1;
    schedule(run, when, again, EV_ARRIVE);
}

static void depart(policy_run *run, size_t person, double t)
{
    const struct avrr_params *a = run->a;
    if (run->state[person] == ST_WAIT_DETENTION)
        change_detained(run, t, -1);
    else
        change_community(run, t, -1);
    run->state[person] = ST_GONE;
    run->metrics[M_AVRR_DEPARTURES] += 1;
    count_now(run, S_AVRR_DEPARTURES);
    pay_now(run, t, a->avrr.case_cost + a->avrr.reintegration_cost);
    maybe_come_back(run, person, t, a->remigration.after_avrr);
}

static void remove_person(policy_run *run, size_t person, double t)
{
    run->state[person] = ST_GONE;
    run->metrics[M_REMOVALS] += 1;
    count_now(run, S_REMOVALS);
    pay_now(run, t, run->a->removal.cost);
    maybe_come_back(run, person, t, run->a->remigration.after_removal);
}

static int bed_free(const policy_run *run)
{
    return run->detained.value < run->a->detention.capacity;
}

/* An applicant starts waiting for departure. */
static void start_waiting(policy_run *run, size_t person, double t)
{
    schedule(run, t + draw_of(run, person, DRAW_PROCESSING), person, EV_READY);
}

static void detain(policy_run *run, size_t person, double t)
{
    const struct avrr_params *a = run->a;
    if (!bed_free(run)) {
        run->metrics[M_TURNED_AWAY] += 1;
        release(run, person, t);
        return;
    }
    change_detained(run, t, +1);
    run->metrics[M_DETAINED] += 1;
    double length = draw_of(run, person, DRAW_LENGTH);
    int capped = length > a->detention.max_days;
    double end = t + (capped ? a->detention.max_days : length);
    run->state[person] = capped ? ST_DETAINED_TO_CAP : ST_DETAINED;
    double h = run->hazard_detained;
    if (offered(run) && h > 0) {
        double when = t + uniform_of(run, person, E_DETENTION) / h;
        if (when < end) {
            /* The application ends the detention first (nothing else can),
             * so the end would find the person gone and do nothing: it is
             * not queued, but its day counts towards the last event's, as
             * if it had been taken (the books close after it). */
            if (end > run->last_event)
                run->last_event = end;
            schedule(run, when, person, EV_APPLY_DETAINED);
            return;
        }
    }
    schedule(run, end, person, EV_DETENTION_END);
}

static void arrive(policy_run *run, size_t person, double t)
{
    const struct avrr_params *a = run->a;
    run->metrics[M_ARRIVALS] += 1;
    count_now(run, S_ARRIVALS);
    if (offered(run) && happens(run, person, U_INTAKE, a->avrr.uptake)) {
        if (a->avrr.wait_in == WAIT_IN_DETENTION && bed_free(run)) {
            change_detained(run, t, +1);
            run->metrics[M_DETAINED] += 1;
            run->state[person] = ST_WAIT_DETENTION;
        } else {
            change_community(run, t, +1);
            run->state[person] = ST_WAIT_COMMUNITY;
        }
        start_waiting(run, person, t);
    } else if (happens(run, person, U_DETAIN, a->detention.share)) {
        detain(run, person, t);
    } else {
        release(run, person, t);
    }
}

static void end_detention(policy_run *run, size_t person, double t)
{
    unsigned char state = run->state[person];
    if (state != ST_DETAINED && state != ST_DETAINED_TO_CAP)
        return;   /* applied for AVRR meanwhile */
    change_detained(run, t, -1);
    if (state == ST_DETAINED && happens(run, person, U_REMOVAL, run->a->removal.probability))
        remove_person(run, person, t);
    else
        release(run, person, t);
}

static void apply_detained(policy_run *run, size_t person, double t)
{
    unsigned char state = run->state[person];
    if (state != ST_DETAINED && state != ST_DETAINED_TO_CAP)
        return;
    if (run->a->avrr.wait_in == WAIT_IN_DETENTION) {
        run->state[person] = ST_WAIT_DETENTION;
    } else {
        change_detained(run, t, -1);
        change_community(run, t, +1);
        run->state[person] = ST_WAIT_COMMUNITY;
    }
    start_waiting(run, person, t);
}

static void apply_community(policy_run *run, size_t person, double t)
{
    if (run->state[person] != ST_COMMUNITY)
        return;
    run->state[person] = ST_WAIT_COMMUNITY;
    start_waiting(run, person, t);
}

/* The start of a month, when the service takes the waiting queue again
 * (the event carries the month's number in place of a person). */
static void schedule_month_start(policy_run *run, size_t month)
{
    if (!run->month_start_pending) {
        run->month_start_pending = 1;
        schedule(run, month_start(month), month, EV_MONTH_START);
    }
}

/* An applicant the limited service cannot take before the programme ends
 * stays in the country. */
static void not_served(policy_run *run, size_t person, double t)
{
    run->metrics[M_AVRR_UNSERVED] += 1;
    if (run->state[person] == ST_WAIT_DETENTION) {
        change_detained(run, t, -1);
        change_community(run, t, +1);
    }
    run->state[person] = ST_COMMUNITY;   /* no applications after the horizon */
}

/* The end of the horizon: the programme ends, and whoever still waits in
 * the service's queue is not served. */
static void horizon_end(policy_run *run, double t)
{
    while (run->queue_count > 0) {
        size_t person = run->queue[run->queue_head++];
        run->queue_count--;
        change_waiting(run, t, -1);
        not_served(run, person, t);
    }
    run->queue_head = 0;
}

/* Papers ready: leave now if the month's service capacity allows and nobody
 * is waiting ahead, else join the queue. */
static void ready(policy_run *run, size_t person, double t)
{
    size_t m = month_of(t);
    if (m != run->quota_month) {
        run->quota_month = m;
        run->quota_used = 0;
    }
    if (run->queue_count == 0 && run->quota_used < run->a->avrr.departures_per_month) {
        run->quota_used += 1;
        depart(run, person, t);
        return;
    }
    if (t >= run->horizon_day) {
        not_served(run, person, t);
        return;
    }
    if (grow((void **)&run->queue, &run->queue_capacity, run->queue_count + 1,
             sizeof *run->queue) != 0) {
        run->out_of_memory = 1;
        return;
    }
    if (run->queue_head + run->queue_count == run->queue_capacity) {
        memmove(run->queue, run->queue + run->queue_head, run->queue_count * sizeof *run->queue);
        run->queue_head = 0;
    }
    run->queue[run->queue_head + run->queue_count++] = (uint32_t)person;
    change_waiting(run, t, +1);
    if (month_start(m + 1) < run->horizon_day)
        schedule_month_start(run, m + 1);
}

static void serve_month_start(policy_run *run, size_t month, double t)
{
    run->month_start_pending = 0;
    run->quota_month = month;
    run->quota_used = 0;
    while (run->queue_count > 0 && run->quota_used < run->a->avrr.departures_per_month) {
        size_t person = run->queue[run->queue_head++];
        run->queue_count--;
        change_waiting(run, t, -1);
        run->quota_used += 1;
        depart(run, person, t);
    }
    if (run->queue_count == 0)
        run->queue_head = 0;
    else if (month_start(run->quota_month + 1) < run->horizon_day)
        schedule_month_start(run, run->quota_month + 1);
}

static void handle_arrival(policy_run *run, size_t person, double t)
{
    if (t > run->last_event)
        run->last_event = t;
    arrive(run, person, t);
}

static void handle(policy_run *run, const struct event *e)
{
    if (e->time > run->last_event)
        run->last_event = e->time;
    switch ((enum event_type)e->type) {
    case EV_ARRIVE: arrive(run, e->person, e->time); break;
    case EV_DETENTION_END: end_detention(run, e->person, e->time); break;
    case EV_APPLY_DETAINED: apply_detained(run, e->person, e->time); break;
    case EV_APPLY_COMMUNITY: apply_community(run, e->person, e->time); break;
    case EV_READY: ready(run, e->person, e->time); break;
    case EV_MONTH_START: serve_month_start(run, e->person, e->time); break;
    case EV_HORIZON_END: horizon_end(run, e->time); break;
    }
}

/* ---------- one policy, one replication ---------- */

static void start(policy_run *run, const struct avrr_params *a, struct people *pp)
{
    run->a = a;
    run->pp = pp;
    run->horizon_day = a->horizon_months * MONTH;
    run->discount_per_day = log1p(a->discount_rate) / 365.25;
    run->hazard_detained = hazard_per_day(a->avrr.applications_in_detention);
    run->hazard_community = hazard_per_day(a->avrr.applications_in_community);
    run->last_event = 0;
    run->discounted = 0;
    run->months_used = 0;
    run->n_reentrants = 0;
    run->queue_head = run->queue_count = 0;
    run->quota_month = 0;
    run->quota_used = 0;
    run->month_start_pending = 0;
    run->out_of_memory = 0;
    run->interrupted = 0;
    run->endless_reentries = 0;
    run->past_last_day = 0;
    memset(run->metrics, 0, sizeof run->metrics);
    run->month_now = 0;
    run->next_month = month_start(1);
    int discounted = run->discount_per_day > 0;
    run->detained = (struct level){.boundary = month_start(1), .rate = a->detention.cost_per_day,
                                   .until = INFINITY,
                                   .by_parts = discounted && a->detention.cost_per_day > 0};
    run->community = (struct level){.boundary = month_start(1), .rate = a->community.cost_per_day,
                                    .until = run->horizon_day,
                                    .by_parts = discounted && a->community.cost_per_day > 0};
    run->waiting = (struct level){.boundary = month_start(1), .until = INFINITY};
    event_queue_reset(&run->events);
}

int policy_run_simulate(policy_run *run, const struct avrr_params *a, struct people *pp,
                        uint64_t seed, uint64_t replication, unsigned policy,
                        struct policy_outcome *out, char *why, size_t why_size)
{
    start(run, a, pp);
    rng_stream_seed(run->reentry_rng, seed, replication, STREAM_REENTRY_BASE + policy);
    if (grow((void **)&run->state, &run->state_capacity, pp->total + 1, 1) != 0 ||
        reach_month(run, (size_t)a->horizon_months - 1) != 0 ||
        (run->discount_per_day > 0 &&
         discount_table_prepare_horizon(&run->discount, run->discount_per_day, run->horizon_day) != 0)) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    memset(run->state, ST_ABSENT, pp->arrivals);

    /* the stock: in the community from day 0, counted at once (the same
     * numbers as one at a time: nothing accrues between changes on one day,
     * and the level's discounted part of day 0 is expm1(0) = 0) */
    size_t stock = pp->total - pp->arrivals;
    if (stock > 0) {
        change_community(run, 0, (double)stock);
        for (size_t from = pp->arrivals; from < pp->total; from += STOP_CHECK_EVERY) {
            if (model_stopped(run->stop))
                return model_interrupted(why, why_size);
            size_t to = pp->total - from > STOP_CHECK_EVERY ? from + STOP_CHECK_EVERY : pp->total;
            for (size_t i = from; i < to; i++)
                join_community(run, i, 0);
        }
    }
    /* the programme */
    if (offered(run)) {
        pay(run, 0, a->program.setup_cost);
        for (size_t m = 0; m < (size_t)a->horizon_months; m++)
            pay(run, month_start(m), a->program.cost_per_month);
        run->metrics[M_COST_PROGRAM] =
            a->program.setup_cost + a->horizon_months * a->program.cost_per_month;
        run->metrics[M_EXTERNAL_FUNDING] = a->program.external_funding;
        if (isfinite(a->avrr.departures_per_month))
            schedule(run, run->horizon_day, 0, EV_HORIZON_END);
    }

    /* events in time order: the next arrival or the next queued event */
    size_t next_arrival = 0;
    for (;;) {
        double next_day = next_arrival < pp->arrivals ? pp->day[next_arrival] : INFINITY;
        const struct event *queued = event_queue_peek_until(&run->events, next_day);
        int take_arrival = next_arrival < pp->arrivals &&
                           (!queued || pp->day[next_arrival] <= queued->time);
        if (take_arrival) {   /* handled apart: the dispatch is not predictable */
            double day = pp->day[next_arrival];
            if (clock_to(run, day) != 0)
                break;
            handle_arrival(run, next_arrival, day);
            next_arrival++;
        } else if (queued) {
            struct event e = event_queue_pop(&run->events);
            if (clock_to(run, e.time) != 0)
                break;
            handle(run, &e);
        } else {
            break;
        }
        if (run->out_of_memory || run->endless_reentries || run->past_last_day != 0)
            break;
    }
    if (run->interrupted)
        return model_interrupted(why, why_size);
    if (run->events.out_of_memory)
        run->out_of_memory = 1;
    if (run->endless_reentries) {
        snprintf(why, why_size, "re-entries do not end: more than %d per person within the horizon "
                 "(with remigration, give detention and delay_days some length)", REENTRIES_PER_PERSON);
        return -1;
    }

    if (avrr_check_last_day(run->past_last_day, run->last_event, why, why_size) != 0)
        return -1;

    /* close the books at the end of the last month with an event */
    size_t months = month_of(run->last_event) + 1;
    if (months < (size_t)a->horizon_months)
        months = (size_t)a->horizon_months;
    double close = month_start(months);
    change_detained(run, close, 0);
    change_community(run, close, 0);
    change_waiting(run, close, 0);
    run->detained.until = close;                  /* end the parts at the close */
    discount_change(run, &run->detained, close, 0);
    discount_change(run, &run->community, close, 0);
    if (run->out_of_memory || reach_month(run, months - 1) != 0) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }

    outcome_close(a, run->discount_per_day, run->series, months, run->detained_days,
                  run->community_days, run->discounted, run->metrics);
    memcpy(out->metrics, run->metrics, sizeof out->metrics);
    out->months = months;
    out->series = run->series;
    return 0;
}
