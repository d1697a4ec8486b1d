/* policy_direct: the direct path for a policy whose people do not interact
 * (see policy_direct.h and docs/performance.md).
 *
 * One pass over the people. For each person the pathway follows from their
 * draws alone, exactly as the event-driven simulation would take it; then
 * - counts and lump costs go into the row of their month;
 * - each stretch [s, e) of a level (detained; in the community, which costs
 *   until the horizon) adds its parts of its first and last months, +1 and -1
 *   in a difference array of whole months between, and (detained) +1 and -1
 *   in a difference array of the month ends it spans;
 * - its discounted cost is added by parts, with the very terms the event path
 *   adds at each change of the level: rate x (+-1) x expm1(-k t) / k;
 * - for the peak number detained, the arrival and the day the detention ends
 *   go to peak_count.
 * Prefix sums then give the monthly integrals and month-end counts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/calendar.h"
#include "models/discount_table.h"
#include "models/peak_count.h"
#include "models/policy_direct.h"

enum level { DETAINED, COMMUNITY, LEVELS };

struct policy_direct {
    double *series;                  /* [month * S_COUNT + s] */
    double *part[LEVELS];            /* [month]: days of stretches that start or end in it */
    int32_t *whole[LEVELS];          /* [month]: difference array of stretches spanning it */
    int32_t *ends;                   /* [month]: difference array of the detained at its end */
    size_t month_capacity, months_used;
    struct peak_count peak;
    struct discount_table discount;
};

/* One run: the policy, the people and what has been accumulated. The
 * policy's parameters and the people's columns are copied in, so the loop
 * does not chase pointers. */
struct direct {
    policy_direct *d;
    /* d's per-month arrays, refreshed when they grow (month_at) */
    double *series, *part[LEVELS];
    int32_t *whole[LEVELS], *ends;
    struct peak_count *peak;
    /* the people */
    struct people *pp;
    const double *length;            /* the policy's column of detention lengths */
    const double *u_intake, *u_detain, *u_removal, *e_detention, *e_community;
    const struct discount_table *discount;   /* NULL: no discounting */
    /* the policy */
    int offered, wait_in_detention, community_costs;
    unsigned processing_group;
    double uptake, share, max_days, removal_probability, removal_cost, avrr_cost;
    double hazard_detained, hazard_community;   /* applications per day; 0: none */
    double horizon_day;
    /* accumulated */
    double last_event;
    double lumps_discounted;         /* the discounted lump costs */
    double parts[LEVELS];            /* sum over changes d_i of a level of d_i expm1(-k t_i) */
    double community_at_horizon;
    size_t detained, departures, removals, releases;
    int out_of_memory;
};

bool policy_direct_applies(const struct avrr_params *a)
{
    bool queue = a->avrr.offered && isfinite(a->avrr.departures_per_month);
    bool come_back = (a->avrr.offered && a->remigration.after_avrr > 0) ||
                     (a->remigration.after_removal > 0 && a->removal.probability > 0 &&
                      a->detention.share > 0);
    return isinf(a->detention.capacity) && !queue && !come_back;
}

policy_direct *policy_direct_new(void)
{
    return calloc(1, sizeof(policy_direct));
}

void policy_direct_free(policy_direct *d)
{
    if (!d)
        return;
    free(d->series);
    for (int l = 0; l < LEVELS; l++) {
        free(d->part[l]);
        free(d->whole[l]);
    }
    free(d->ends);
    peak_count_clear(&d->peak);
    discount_table_clear(&d->discount);
    free(d);
}

/* ---------- storage ---------- */

static int grow_array(void **block, size_t count, size_t item_size)
{
    void *grown = realloc(*block, count * item_size);
    if (!grown)
        return -1;
    *block = grown;
    return 0;
}

/* Makes months 0 .. m addressable, new ones zeroed. 0, or -1 (out of memory). */
static int reach(policy_direct *d, size_t m)
{
    if (m < d->months_used)
        return 0;
    if (m >= d->month_capacity) {
        size_t c = d->month_capacity ? d->month_capacity : 128;
        while (c <= m)
            c *= 2;
        int failed = grow_array((void **)&d->series, c * S_COUNT, sizeof *d->series);
        for (int l = 0; l < LEVELS; l++) {
            failed |= grow_array((void **)&d->part[l], c, sizeof *d->part[l]);
            failed |= grow_array((void **)&d->whole[l], c, sizeof *d->whole[l]);
        }
        failed |= grow_array((void **)&d->ends, c, sizeof *d->ends);
        if (failed)
            return -1;
        d->month_capacity = c;
    }
    size_t from = d->months_used, n = m + 1 - from;
    memset(d->series + from * S_COUNT, 0, n * S_COUNT * sizeof *d->series);
    for (int l = 0; l < LEVELS; l++) {
        memset(d->part[l] + from, 0, n * sizeof *d->part[l]);
        memset(d->whole[l] + from, 0, n * sizeof *d->whole[l]);
    }
    memset(d->ends + from, 0, n * sizeof *d->ends);
    d->months_used = m + 1;
    return 0;
}

/* Points r at d's per-month arrays (after they moved). */
static void refresh_months(struct direct *r)
{
    policy_direct *d = r->d;
    r->series = d->series;
    r->ends = d->ends;
    for (int l = 0; l < LEVELS; l++) {
        r->part[l] = d->part[l];
        r->whole[l] = d->whole[l];
    }
}

/* Makes month m addressable; on failure flags the run and returns 0 (the
 * run then fails, so the row it writes to does not matter). */
static size_t reach_or_flag(struct direct *r, size_t m)
{
    if (reach(r->d, m) != 0) {
        r->out_of_memory = 1;
        return 0;
    }
    refresh_months(r);
    return m;
}

/* The month of day t, made addressable. */
static inline size_t month_at(struct direct *r, double t)
{
    size_t m = month_of(t);
    return m < r->d->months_used ? m : reach_or_flag(r, m);
}

/* ---------- money, counts and levels ---------- */

static inline void count(struct direct *r, size_t month, enum avrr_series s)
{
    r->series[month * S_COUNT + s] += 1;
}

/* A cost paid at once on day t, in month m. */
static inline void pay(struct direct *r, size_t m, double t, double amount)
{
    r->series[m * S_COUNT + S_COST] += amount;
    r->lumps_discounted += r->discount ? amount * discount_factor(r->discount, t) : amount;
}

/* Stretch [s, e) of a level, in months ms .. me (both addressable). */
static inline void add_stretch(struct direct *r, enum level l, double s, double e, size_t ms,
                               size_t me)
{
    if (ms == me) {
        r->part[l][ms] += e - s;
        return;
    }
    r->part[l][ms] += month_start(ms + 1) - s;
    r->part[l][me] += e - month_start(me);
    r->whole[l][ms + 1] += 1;
    r->whole[l][me] -= 1;
}

/* Arrival `arrival` is detained from its arrival day s (in month ms) to day
 * e. Returns the month of e. */
static inline size_t detained_stretch(struct direct *r, size_t arrival, double s, size_t ms,
                                      double e)
{
    size_t me = month_at(r, e);
    add_stretch(r, DETAINED, s, e, ms, me);
    if (ms != me) {   /* held at the ends of months ms .. me - 1 */
        r->ends[ms] += 1;
        r->ends[me] -= 1;
    }
    if (r->discount)
        r->parts[DETAINED] += discount_expm1(r->discount, s) - discount_expm1(r->discount, e);
    peak_count_enter(r->peak, arrival);
    peak_count_leave(r->peak, e);
    return me;
}

/* In the community from day s (in month ms, before the horizon) to day e
 * (INFINITY: for good), at a cost until the horizon. */
static void community_costs(struct direct *r, double s, size_t ms, double e)
{
    double stop = e < r->horizon_day ? e : r->horizon_day;
    add_stretch(r, COMMUNITY, s, stop, ms, month_of(stop));   /* <= the horizon's month */
    if (r->discount) {
        r->parts[COMMUNITY] += discount_expm1(r->discount, s);
        if (e < r->horizon_day)
            r->parts[COMMUNITY] -= discount_expm1(r->discount, e);
        else
            r->community_at_horizon += 1;
    }
}

static inline void community_stretch(struct direct *r, double s, size_t ms, double e)
{
    if (r->community_costs && s < r->horizon_day)
        community_costs(r, s, ms, e);
}

/* ---------- pathways ---------- */

/* Whether an event of probability p happens to person i, by their draw in
 * column u (not read when p is 0 or 1: it may not have been drawn). */
static inline int happens(double p, const double *u, size_t i)
{
    return p >= 1.0 || (p > 0.0 && u[i] < p);
}

static inline double processing(struct direct *r, size_t person)
{
    return people_processing(r->pp, r->processing_group, person);
}

/* An AVRR departure on day t. */
static void depart(struct direct *r, double t)
{
    size_t m = month_at(r, t);
    r->departures += 1;
    count(r, m, S_AVRR_DEPARTURES);
    pay(r, m, t, r->avrr_cost);
}

/* Applies for AVRR from the community at the person's time, if it falls
 * inside the horizon: returns the day of departure, or INFINITY. */
static double apply_from_community(struct direct *r, size_t person, double t)
{
    double when = t + r->e_community[person] / r->hazard_community;
    return when < r->horizon_day ? when + processing(r, person) : INFINITY;
}

/* In the community from day t (in month m) until the person leaves through
 * AVRR (if they apply inside the horizon) or for good. */
static inline void enter_community(struct direct *r, size_t person, double t, size_t m,
                                   double *last)
{
    double ready = r->hazard_community > 0 ? apply_from_community(r, person, t) : INFINITY;
    community_stretch(r, t, m, ready);
    if (ready < INFINITY) {
        depart(r, ready);
        if (ready > *last)
            *last = ready;
    }
}

static inline void release(struct direct *r, size_t person, double t, size_t m, double *last)
{
    r->releases += 1;
    count(r, m, S_RELEASES);
    enter_community(r, person, t, m, last);
}

/* Arrival i on day t (in month m, addressable). */
static inline void arrive(struct direct *r, size_t i, double t, size_t m)
{
    double last = t;
    count(r, m, S_ARRIVALS);
    int applies = r->offered && happens(r->uptake, r->u_intake, i);
    if (!applies && !happens(r->share, r->u_detain, i)) {
        release(r, i, t, m, &last);
    } else if (applies && !r->wait_in_detention) {
        double ready = t + processing(r, i);
        community_stretch(r, t, m, ready);
        depart(r, ready);
        last = ready;
    } else {
        /* detained from t: waiting for AVRR papers, or for the end of the
         * detention, unless they apply meanwhile */
        double end = INFINITY, until, applied = INFINITY, ready = INFINITY;
        int capped = 0;
        if (applies) {
            until = ready = t + processing(r, i);
        } else {
            double length = r->length[i];
            capped = length > r->max_days;
            until = end = t + (capped ? r->max_days : length);
            if (r->hazard_detained > 0) {
                double when = t + r->e_detention[i] / r->hazard_detained;
                if (when < end) {
                    applied = when;
                    ready = when + processing(r, i);
                    until = r->wait_in_detention ? ready : when;
                }
            }
        }
        r->detained += 1;
        size_t m_until = detained_stretch(r, i, t, m, until);
        if (ready < INFINITY) {   /* leaves through AVRR */
            if (applied < INFINITY && !r->wait_in_detention)
                community_stretch(r, applied, m_until, ready);
            depart(r, ready);
            last = ready;
        } else if (!capped && happens(r->removal_probability, r->u_removal, i)) {
            r->removals += 1;
            count(r, m_until, S_REMOVALS);
            pay(r, m_until, end, r->removal_cost);
        } else {
            release(r, i, end, m_until, &last);
        }
        if (end < INFINITY && end > last)   /* the end of detention is an event even after an application */
            last = end;
        if (until > last)
            last = until;
    }
    if (last > r->last_event)
        r->last_event = last;
}

/* ---------- one policy, one replication ---------- */

int policy_direct_run(policy_direct *d, const struct avrr_params *a, struct people *pp,
                      struct policy_outcome *out, char *why, size_t why_size)
{
    size_t horizon_months = (size_t)a->horizon_months;
    double horizon_day = a->horizon_months * AVRR_DAYS_PER_MONTH;
    double k = log1p(a->discount_rate) / 365.25;
    const struct people *people = pp;
    struct direct r = {
        .d = d, .pp = pp, .peak = &d->peak,
        .length = people->draw[DRAW_LENGTH] + a->detention.length_days.draw_group * people->capacity,
        .u_intake = people->uniform[U_INTAKE], .u_detain = people->uniform[U_DETAIN],
        .u_removal = people->uniform[U_REMOVAL], .e_detention = people->uniform[E_DETENTION],
        .e_community = people->uniform[E_COMMUNITY],
        .offered = a->avrr.offered, .wait_in_detention = a->avrr.wait_in == WAIT_IN_DETENTION,
        .community_costs = a->community.cost_per_day != 0,
        .processing_group = a->avrr.processing_days.draw_group,
        .uptake = a->avrr.uptake, .share = a->detention.share, .max_days = a->detention.max_days,
        .removal_probability = a->removal.probability, .removal_cost = a->removal.cost,
        .avrr_cost = a->avrr.case_cost + a->avrr.reintegration_cost,
        .hazard_detained = a->avrr.offered ? hazard_per_day(a->avrr.applications_in_detention) : 0,
        .hazard_community = a->avrr.offered ? hazard_per_day(a->avrr.applications_in_community) : 0,
        .horizon_day = horizon_day,
    };
    d->months_used = 0;
    if (peak_count_start(&d->peak, pp->day, pp->arrivals) != 0)
        goto out_of_memory;
    /* the horizon's month is addressable: community stretches end there */
    if (reach(d, horizon_months) != 0)
        goto out_of_memory;
    refresh_months(&r);
    if (k > 0) {   /* a table over the horizon and three years more */
        if (discount_table_prepare(&d->discount, k, (size_t)horizon_day + 3 * 366) != 0)
            goto out_of_memory;
        r.discount = &d->discount;
    }

    double metrics[M_COUNT] = {0};
    if (a->avrr.offered) {   /* the programme */
        pay(&r, 0, 0, a->program.setup_cost);
        for (size_t m = 0; m < horizon_months; m++)
            pay(&r, m, month_start(m), a->program.cost_per_month);
        metrics[M_COST_PROGRAM] = a->program.setup_cost + a->horizon_months * a->program.cost_per_month;
        metrics[M_EXTERNAL_FUNDING] = a->program.external_funding;
    }
    /* arrivals come sorted: their month moves forward (and lies within the horizon) */
    size_t month = 0;
    double next_month = month_start(1);
    for (size_t i = 0; i < pp->arrivals; i++) {
        double t = pp->day[i];
        while (t >= next_month)
            next_month = month_start(++month + 1);
        arrive(&r, i, t, month);
    }
    /* the stock: in the community from day 0 */
    for (size_t i = pp->arrivals; i < pp->total; i++) {
        double last = 0;
        enter_community(&r, i, 0.0, 0, &last);
        if (last > r.last_event)
            r.last_event = last;
    }

    /* the books close at the end of the last month with an event */
    size_t months = month_of(r.last_event) + 1;
    if (months < horizon_months)
        months = horizon_months;
    if (r.out_of_memory || reach(d, months - 1) != 0)
        goto out_of_memory;
    double discounted = r.lumps_discounted;
    if (k > 0) {
        /* the community's cost stops at the horizon */
        r.parts[COMMUNITY] -= r.community_at_horizon * expm1(-k * horizon_day);
        if (a->detention.cost_per_day > 0)
            discounted += a->detention.cost_per_day * r.parts[DETAINED] / k;
        if (a->community.cost_per_day > 0)
            discounted += a->community.cost_per_day * r.parts[COMMUNITY] / k;
    }

    /* prefix sums: the whole months into the days, the month ends into counts
     * (d->part becomes the days of each month) */
    int32_t whole[LEVELS] = {0}, held = 0;
    for (size_t m = 0; m < months; m++) {
        double width = month_start(m + 1) - month_start(m);
        for (int l = 0; l < LEVELS; l++) {
            whole[l] += d->whole[l][m];
            d->part[l][m] += whole[l] * width;
        }
        held += d->ends[m];
        d->series[m * S_COUNT + S_DETAINED_END] = held;
    }
    int64_t peak = peak_count_finish(&d->peak);
    if (peak < 0)
        goto out_of_memory;

    metrics[M_ARRIVALS] = (double)pp->arrivals;
    metrics[M_DETAINED] = r.detained;
    metrics[M_AVRR_DEPARTURES] = r.departures;
    metrics[M_REMOVALS] = r.removals;
    metrics[M_RELEASES] = r.releases;
    metrics[M_PEAK_DETAINED] = (double)peak;
    outcome_close(a, k, d->series, months, d->part[DETAINED], d->part[COMMUNITY], discounted,
                  metrics);
    memcpy(out->metrics, metrics, sizeof out->metrics);
    out->months = months;
    out->series = d->series;
    return 0;

out_of_memory:
    snprintf(why, why_size, "out of memory");
    return -1;
}
