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
 * - its discounted cost is added by parts, as the event path does at each
 *   change of the level: sum of (+-1) expm1(-k t), times rate / k at the end;
 * - for the peak number detained, the arrival and the day the detention ends
 *   go to peak_count.
 * Prefix sums then give the monthly integrals and month-end counts.
 *
 * Everything a pass accumulates (a tally) is a sum over persons, a maximum
 * or a peak_count, so passes over disjoint people add up. Policies alike but
 * for AVRR at intake share one pass over the people none of them sends to
 * AVRR at intake (direct_shared); each then passes over the few others. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/calendar.h"
#include "models/discount_table.h"
#include "models/exact_sum.h"
#include "models/peak_count.h"
#include "models/policy_direct.h"

enum level { DETAINED, COMMUNITY, LEVELS };

/* What a pass over some of the people accumulates. Sums of money and days
 * are exact_sums (a value and its rounding errors, the *_lo), so that a
 * policy's numbers do not depend on how its people were split between
 * passes. */
struct tally {
    /* per month, grown to the longest replication seen */
    double *series;                  /* [month * S_COUNT + s]: counts and lump costs */
    double *cost_lo;                 /* [month]: of the lump costs */
    double *part[LEVELS], *part_lo[LEVELS];   /* [month]: days of stretches that start or end in it */
    int32_t *whole[LEVELS];          /* [month]: difference array of stretches spanning it */
    int32_t *ends;                   /* [month]: difference array of the detained at its end */
    size_t month_capacity, months_used;
    struct peak_count peak;
    double last_event;               /* the day of the last event */
    double lumps_discounted, lumps_lo;   /* the discounted lump costs */
    double parts[LEVELS], parts_lo[LEVELS];   /* sum over changes d_i of a level of d_i expm1(-k t_i) */
    double community_at_horizon;     /* people in the community at the horizon */
    double detained, departures, removals, releases;
};

struct policy_direct {
    struct tally tally;
    struct discount_table discount;
};

struct direct_shared {
    struct tally tally;
    struct discount_table discount;
    uint32_t *apart;                 /* arrivals some member may send to AVRR at intake */
    size_t n_apart, apart_capacity;
};

/* One pass: the policy, the people and the tally it adds to. The policy's
 * parameters and the people's columns are copied in, so the loop does not
 * chase pointers. */
struct direct {
    struct tally *tally;
    /* the tally's per-month arrays, refreshed when they grow (month_at) */
    double *series, *cost_lo, *part[LEVELS], *part_lo[LEVELS];
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
    int out_of_memory;
    double past_last_day;            /* the first day past AVRR_LAST_DAY met, or 0 */
};

bool policy_direct_applies(const struct avrr_params *a)
{
    bool queue = a->avrr.offered && isfinite(a->avrr.departures_per_month);
    bool come_back = (a->avrr.offered && a->remigration.after_avrr > 0) ||
                     (a->remigration.after_removal > 0 && a->removal.probability > 0 &&
                      a->detention.share > 0);
    return isinf(a->detention.capacity) && !queue && !come_back;
}

/* Whether AVRR reaches only arrivals at intake under policy a. */
static bool avrr_only_at_intake(const struct avrr_params *a)
{
    return !a->avrr.offered ||
           (a->avrr.applications_in_detention <= 0 && a->avrr.applications_in_community <= 0);
}

bool policy_direct_alike(const struct avrr_params *a, const struct avrr_params *b)
{
    return policy_direct_applies(a) && policy_direct_applies(b) && avrr_only_at_intake(a) &&
           avrr_only_at_intake(b) && a->horizon_months == b->horizon_months &&
           a->discount_rate == b->discount_rate && a->detention.share == b->detention.share &&
           a->detention.length_days.draw_group == b->detention.length_days.draw_group &&
           a->detention.max_days == b->detention.max_days &&
           a->removal.probability == b->removal.probability && a->removal.cost == b->removal.cost &&
           (a->community.cost_per_day != 0) == (b->community.cost_per_day != 0);
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

static void tally_clear(struct tally *t)
{
    free(t->series);
    free(t->cost_lo);
    for (int l = 0; l < LEVELS; l++) {
        free(t->part[l]);
        free(t->part_lo[l]);
        free(t->whole[l]);
    }
    free(t->ends);
    peak_count_clear(&t->peak);
}

/* Makes months 0 .. m addressable, new ones zeroed. 0, or -1 (out of memory). */
static int reach(struct tally *t, size_t m)
{
    if (m < t->months_used)
        return 0;
    if (m >= t->month_capacity) {
        size_t c = t->month_capacity ? t->month_capacity : 128;
        while (c <= m)
            c *= 2;
        int failed = grow_array((void **)&t->series, c * S_COUNT, sizeof *t->series);
        failed |= grow_array((void **)&t->cost_lo, c, sizeof *t->cost_lo);
        for (int l = 0; l < LEVELS; l++) {
            failed |= grow_array((void **)&t->part[l], c, sizeof *t->part[l]);
            failed |= grow_array((void **)&t->part_lo[l], c, sizeof *t->part_lo[l]);
            failed |= grow_array((void **)&t->whole[l], c, sizeof *t->whole[l]);
        }
        failed |= grow_array((void **)&t->ends, c, sizeof *t->ends);
        if (failed)
            return -1;
        t->month_capacity = c;
    }
    size_t from = t->months_used, n = m + 1 - from;
    memset(t->series + from * S_COUNT, 0, n * S_COUNT * sizeof *t->series);
    memset(t->cost_lo + from, 0, n * sizeof *t->cost_lo);
    for (int l = 0; l < LEVELS; l++) {
        memset(t->part[l] + from, 0, n * sizeof *t->part[l]);
        memset(t->part_lo[l] + from, 0, n * sizeof *t->part_lo[l]);
        memset(t->whole[l] + from, 0, n * sizeof *t->whole[l]);
    }
    memset(t->ends + from, 0, n * sizeof *t->ends);
    t->months_used = m + 1;
    return 0;
}

/* Empties a tally for the people of pp (the horizon's month addressable:
 * community stretches end there), starting its peak count from base's if
 * base is not NULL. 0, or -1 (out of memory). */
static int tally_start(struct tally *t, const struct people *pp, size_t horizon_months,
                       const struct tally *base)
{
    t->months_used = 0;
    t->last_event = t->lumps_discounted = t->lumps_lo = t->community_at_horizon = 0;
    for (int l = 0; l < LEVELS; l++)
        t->parts[l] = t->parts_lo[l] = 0;
    t->detained = t->departures = t->removals = t->releases = 0;
    if (reach(t, horizon_months) != 0)
        return -1;
    return base ? peak_count_start_from(&t->peak, &base->peak)
                : peak_count_start(&t->peak, pp->day, pp->arrivals);
}

/* Points r at its tally's per-month arrays (after they moved). */
static void refresh_months(struct direct *r)
{
    struct tally *t = r->tally;
    r->series = t->series;
    r->cost_lo = t->cost_lo;
    r->ends = t->ends;
    for (int l = 0; l < LEVELS; l++) {
        r->part[l] = t->part[l];
        r->part_lo[l] = t->part_lo[l];
        r->whole[l] = t->whole[l];
    }
}

/* Makes month m addressable; on failure flags the pass and returns 0 (the
 * run then fails, so the row it writes to does not matter). */
static size_t reach_or_flag(struct direct *r, size_t m)
{
    if (reach(r->tally, m) != 0) {
        r->out_of_memory = 1;
        return 0;
    }
    refresh_months(r);
    return m;
}

/* Notes a day past AVRR_LAST_DAY (the pass then fails) and returns 0. */
static size_t flag_past_last_day(struct direct *r, double t)
{
    if (r->past_last_day == 0)
        r->past_last_day = t;
    return 0;
}

/* The month of day t, made addressable. */
static inline size_t month_at(struct direct *r, double t)
{
    if (avrr_past_last_day(t))
        return flag_past_last_day(r, t);
    size_t m = month_of(t);
    return m < r->tally->months_used ? m : reach_or_flag(r, m);
}

/* A pass of policy a over pp into tally t (started), discounting with
 * `discount` (NULL: none); with_avrr 0 passes as if a did not offer AVRR. */
static void direct_begin(struct direct *r, struct tally *t, const struct avrr_params *a,
                         struct people *pp, const struct discount_table *discount, int with_avrr)
{
    int offered = with_avrr && a->avrr.offered;
    *r = (struct direct){
        .tally = t, .peak = &t->peak, .pp = pp,
        .length = pp->draw[DRAW_LENGTH] + a->detention.length_days.draw_group * pp->capacity,
        .u_intake = pp->uniform[U_INTAKE], .u_detain = pp->uniform[U_DETAIN],
        .u_removal = pp->uniform[U_REMOVAL], .e_detention = pp->uniform[E_DETENTION],
        .e_community = pp->uniform[E_COMMUNITY],
        .discount = discount,
        .offered = offered, .wait_in_detention = a->avrr.wait_in == WAIT_IN_DETENTION,
        .community_costs = a->community.cost_per_day != 0,
        .processing_group = a->avrr.processing_days.draw_group,
        .uptake = a->avrr.uptake, .share = a->detention.share, .max_days = a->detention.max_days,
        .removal_probability = a->removal.probability, .removal_cost = a->removal.cost,
        .avrr_cost = a->avrr.case_cost + a->avrr.reintegration_cost,
        .hazard_detained = offered ? hazard_per_day(a->avrr.applications_in_detention) : 0,
        .hazard_community = offered ? hazard_per_day(a->avrr.applications_in_community) : 0,
        .horizon_day = a->horizon_months * AVRR_DAYS_PER_MONTH,
    };
    refresh_months(r);
}

/* The discount table for policy a, or NULL when a does not discount.
 * Sets *failed on out of memory. */
static const struct discount_table *discount_for(struct discount_table *table,
                                                 const struct avrr_params *a, int *failed)
{
    double k = log1p(a->discount_rate) / 365.25;
    if (!(k > 0))
        return NULL;
    if (discount_table_prepare_horizon(table, k, a->horizon_months * AVRR_DAYS_PER_MONTH) != 0) {
        *failed = 1;
        return NULL;
    }
    return table;
}

/* ---------- money, counts and levels ---------- */

static inline void count(struct direct *r, size_t month, enum avrr_series s)
{
    r->series[month * S_COUNT + s] += 1;
}

/* A cost paid at once in month m, on a day whose discount factor is
 * `factor` (1 without discounting). */
static inline void pay_discounted(struct direct *r, size_t m, double factor, double amount)
{
    exact_add(&r->series[m * S_COUNT + S_COST], &r->cost_lo[m], amount);
    exact_add(&r->tally->lumps_discounted, &r->tally->lumps_lo, amount * factor);
}

/* A cost paid at once on day t, in month m. */
static inline void pay(struct direct *r, size_t m, double t, double amount)
{
    pay_discounted(r, m, r->discount ? discount_factor(r->discount, t) : 1.0, amount);
}

/* Stretch [s, e) of a level, in months ms .. me (both addressable). */
static inline __attribute__((always_inline)) void
add_stretch(struct direct *r, enum level l, double s, double e, size_t ms,
            size_t me)
{
    if (ms == me) {
        exact_add(&r->part[l][ms], &r->part_lo[l][ms], e - s);
        return;
    }
    exact_add(&r->part[l][ms], &r->part_lo[l][ms], month_start(ms + 1) - s);
    exact_add(&r->part[l][me], &r->part_lo[l][me], e - month_start(me));
    r->whole[l][ms + 1] += 1;
    r->whole[l][me] -= 1;
}

/* Arrival `arrival` is detained from its arrival day s (in month ms) to day
 * e. Returns the month of e; *end_factor is the discount factor of day e
 * (1 without discounting).
 * Discounted, the stretch adds expm1(-k s) - expm1(-k e), which is
 * exp(-k s) (-expm1(-k (e - s))): two table lookups give both it and
 * exp(-k e) = exp(-k s) (1 + expm1(-k (e - s))), the factor of a cost paid
 * at the end, without cancellation however short the stay. */
static inline __attribute__((always_inline)) size_t
detained_stretch(struct direct *r, const struct discount_table *discount, size_t arrival,
                 double s, size_t ms, double e, double *end_factor)
{
    size_t me = month_at(r, e);
    add_stretch(r, DETAINED, s, e, ms, me);
    if (ms != me) {   /* held at the ends of months ms .. me - 1 */
        r->ends[ms] += 1;
        r->ends[me] -= 1;
    }
    *end_factor = 1.0;
    if (discount) {
        double at_start = discount_factor(discount, s);
        double held = discount_expm1(discount, e - s);
        exact_add(&r->tally->parts[DETAINED], &r->tally->parts_lo[DETAINED], -at_start * held);
        *end_factor = at_start + at_start * held;
    }
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
        double term = discount_expm1(r->discount, s);
        if (e < r->horizon_day)
            term -= discount_expm1(r->discount, e);
        else
            r->tally->community_at_horizon += 1;
        exact_add(&r->tally->parts[COMMUNITY], &r->tally->parts_lo[COMMUNITY], term);
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
static inline __attribute__((always_inline)) void depart(struct direct *r, double t)
{
    size_t m = month_at(r, t);
    r->tally->departures += 1;
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

/* A release in month m, counted. */
static inline void count_release(struct direct *r, size_t m)
{
    r->tally->releases += 1;
    count(r, m, S_RELEASES);
}

static inline void release(struct direct *r, size_t person, double t, size_t m, double *last)
{
    count_release(r, m);
    enter_community(r, person, t, m, last);
}


/* ---------- passes ---------- */

/* The arrivals of list (increasing), or all when list is NULL; with apart,
 * those some policy may send to AVRR at intake (uptake below `most`) go
 * into apart->apart instead. Arrival i comes on day t, in month m. (One
 * function for the loop and the pathway: the pathway is inlined.) With
 * `plain` (a constant where it is inlined), the pass knows that AVRR is not
 * offered, everyone is detained and the community costs nothing, so that
 * the compiler drops the branches of AVRR and of the community. */
static inline __attribute__((always_inline)) void
arrivals_body(struct direct *r, const uint32_t *list, size_t n, struct direct_shared *apart,
              double most, const int plain)
{
    const double *day = r->pp->day;
    /* the pass's constants, copied where the compiler can see that no store
     * of the loop changes them (a store to a double array might otherwise
     * change r's doubles, and they would be read again for every person) */
    const double max_days = r->max_days, removal_probability = r->removal_probability;
    const double removal_cost = r->removal_cost;
    struct discount_table discount_copy;
    const struct discount_table *discount = NULL;
    if (r->discount) {
        discount_copy = *r->discount;
        discount = &discount_copy;
    }
    size_t m = 0;   /* the arrivals come sorted: their month moves forward */
    double next_month = month_start(1);
    for (size_t k = 0; k < n; k++) {
        size_t i = list ? list[k] : k;
        if (apart && happens(most, r->u_intake, i)) {
            apart->apart[apart->n_apart++] = (uint32_t)i;
            continue;
        }
        double t = day[i];
        while (t >= next_month)
            next_month = month_start(++m + 1);
        double last = t;
        int applies = !plain && r->offered && happens(r->uptake, r->u_intake, i);
        if (!applies && !(plain || happens(r->share, r->u_detain, i))) {
            if (plain)
                count_release(r, m);
            else
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
                capped = length > max_days;
                until = end = t + (capped ? max_days : length);
                if (!plain && r->hazard_detained > 0) {
                    double when = t + r->e_detention[i] / r->hazard_detained;
                    if (when < end) {
                        applied = when;
                        ready = when + processing(r, i);
                        until = r->wait_in_detention ? ready : when;
                    }
                }
            }
            r->tally->detained += 1;
            double until_factor;
            size_t m_until = detained_stretch(r, discount, i, t, m, until, &until_factor);
            if (ready < INFINITY) {   /* leaves through AVRR */
                if (applied < INFINITY && !r->wait_in_detention)
                    community_stretch(r, applied, m_until, ready);
                depart(r, ready);
                last = ready;
            } else if (!capped && happens(removal_probability, r->u_removal, i)) {
                r->tally->removals += 1;
                count(r, m_until, S_REMOVALS);
                pay_discounted(r, m_until, until_factor, removal_cost);   /* until = end here */
            } else {
                if (plain)
                    count_release(r, m_until);
                else
                    release(r, i, end, m_until, &last);
            }
            if (end < INFINITY && end > last)   /* the end of detention is an event even after an application */
                last = end;
            if (until > last)
                last = until;
        }
        if (last > r->tally->last_event)
            r->tally->last_event = last;
    }
}

/* The pass, plain or not (a constant): its own copy of the loop for the
 * arrivals with some set apart, over a list, or over all. */
static inline __attribute__((always_inline)) void
arrivals_of(struct direct *r, const uint32_t *list, size_t n, struct direct_shared *apart,
            double most, const int plain)
{
    if (apart)
        arrivals_body(r, NULL, n, apart, most, plain);
    else if (list)
        arrivals_body(r, list, n, NULL, 0, plain);
    else
        arrivals_body(r, NULL, n, NULL, 0, plain);
}

static void pass_arrivals(struct direct *r, const uint32_t *list, size_t n,
                          struct direct_shared *apart, double most)
{
    if (!r->offered && !r->community_costs && r->share >= 1.0)
        arrivals_of(r, list, n, apart, most, 1);
    else
        arrivals_of(r, list, n, apart, most, 0);
}

/* The stock: in the community from day 0. */
static void pass_stock(struct direct *r)
{
    for (size_t i = r->pp->arrivals; i < r->pp->total; i++) {
        double last = 0;
        enter_community(r, i, 0.0, 0, &last);
        if (last > r->tally->last_event)
            r->tally->last_event = last;
    }
}

/* ---------- the people policies treat alike ---------- */

direct_shared *direct_shared_new(void)
{
    return calloc(1, sizeof(direct_shared));
}

void direct_shared_free(direct_shared *s)
{
    if (!s)
        return;
    tally_clear(&s->tally);
    discount_table_clear(&s->discount);
    free(s->apart);
    free(s);
}

int direct_shared_run(direct_shared *s, const struct avrr_params *const *members, size_t n,
                      struct people *pp, char *why, size_t why_size)
{
    const struct avrr_params *a = members[0];
    double most = 0;   /* the highest uptake at intake */
    for (size_t m = 0; m < n; m++)
        if (members[m]->avrr.offered && members[m]->avrr.uptake > most)
            most = members[m]->avrr.uptake;
    int failed = 0;
    const struct discount_table *discount = discount_for(&s->discount, a, &failed);
    size_t arrivals = pp->arrivals > 0 ? pp->arrivals : 1;
    if (arrivals > s->apart_capacity) {
        failed |= grow_array((void **)&s->apart, arrivals, sizeof *s->apart);
        if (!failed)
            s->apart_capacity = arrivals;
    }
    if (failed || tally_start(&s->tally, pp, (size_t)a->horizon_months, NULL) != 0)
        goto out_of_memory;
    struct direct r;
    direct_begin(&r, &s->tally, a, pp, discount, 0);
    s->n_apart = 0;
    pass_arrivals(&r, NULL, pp->arrivals, s, most);
    pass_stock(&r);
    if (avrr_check_last_day(r.past_last_day, s->tally.last_event, why, why_size) != 0)
        return -1;
    if (r.out_of_memory || peak_count_seal(&s->tally.peak) != 0)
        goto out_of_memory;
    return 0;

out_of_memory:
    snprintf(why, why_size, "out of memory");
    return -1;
}

/* ---------- one policy, one replication ---------- */

/* The first of the n sorted days at or after x. */
static size_t first_from(const double *day, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (day[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The arrivals of each month (the months of month_of, by its boundaries). */
static void count_arrivals(double *series, size_t months, const struct people *pp)
{
    size_t from = 0;
    for (size_t m = 0; m < months; m++) {
        size_t to = first_from(pp->day, pp->arrivals, month_start(m + 1));
        series[m * S_COUNT + S_ARRIVALS] = (double)(to - from);
        from = to;
    }
}

policy_direct *policy_direct_new(void)
{
    return calloc(1, sizeof(policy_direct));
}

void policy_direct_free(policy_direct *d)
{
    if (!d)
        return;
    tally_clear(&d->tally);
    discount_table_clear(&d->discount);
    free(d);
}

/* Adds what base tallied to t (months and sums; base's peak count was
 * started from). 0, or -1 (out of memory). */
static int tally_add(struct tally *t, const struct tally *base)
{
    if (base->months_used > 0 && reach(t, base->months_used - 1) != 0)
        return -1;
    for (size_t m = 0; m < base->months_used; m++) {
        for (size_t s = 0; s < S_COUNT; s++)   /* counts: whole numbers */
            if (s != S_COST)
                t->series[m * S_COUNT + s] += base->series[m * S_COUNT + s];
        exact_merge(&t->series[m * S_COUNT + S_COST], &t->cost_lo[m],
                    base->series[m * S_COUNT + S_COST], base->cost_lo[m]);
        for (int l = 0; l < LEVELS; l++) {
            exact_merge(&t->part[l][m], &t->part_lo[l][m], base->part[l][m], base->part_lo[l][m]);
            t->whole[l][m] += base->whole[l][m];
        }
        t->ends[m] += base->ends[m];
    }
    if (base->last_event > t->last_event)
        t->last_event = base->last_event;
    exact_merge(&t->lumps_discounted, &t->lumps_lo, base->lumps_discounted, base->lumps_lo);
    for (int l = 0; l < LEVELS; l++)
        exact_merge(&t->parts[l], &t->parts_lo[l], base->parts[l], base->parts_lo[l]);
    t->community_at_horizon += base->community_at_horizon;
    t->detained += base->detained;
    t->departures += base->departures;
    t->removals += base->removals;
    t->releases += base->releases;
    return 0;
}

int policy_direct_run(policy_direct *d, const struct avrr_params *a, struct people *pp,
                      const direct_shared *shared, struct policy_outcome *out, char *why,
                      size_t why_size)
{
    size_t horizon_months = (size_t)a->horizon_months;
    double horizon_day = a->horizon_months * AVRR_DAYS_PER_MONTH;
    double k = log1p(a->discount_rate) / 365.25;
    struct tally *t = &d->tally;
    int failed = 0;
    const struct discount_table *discount = discount_for(&d->discount, a, &failed);
    if (failed || tally_start(t, pp, horizon_months, shared ? &shared->tally : NULL) != 0)
        goto out_of_memory;

    struct direct r;
    direct_begin(&r, t, a, pp, discount, 1);
    double metrics[M_COUNT] = {0};
    if (a->avrr.offered) {   /* the programme */
        pay(&r, 0, 0, a->program.setup_cost);
        for (size_t m = 0; m < horizon_months; m++)
            pay(&r, m, month_start(m), a->program.cost_per_month);
        metrics[M_COST_PROGRAM] = a->program.setup_cost + a->horizon_months * a->program.cost_per_month;
        metrics[M_EXTERNAL_FUNDING] = a->program.external_funding;
    }
    if (shared) {
        pass_arrivals(&r, shared->apart, shared->n_apart, NULL, 0);
        if (r.out_of_memory || tally_add(t, &shared->tally) != 0)
            goto out_of_memory;
    } else {
        pass_arrivals(&r, NULL, pp->arrivals, NULL, 0);
        pass_stock(&r);
    }

    if (avrr_check_last_day(r.past_last_day, t->last_event, why, why_size) != 0)
        return -1;

    /* the books close at the end of the last month with an event */
    size_t months = month_of(t->last_event) + 1;
    if (months < horizon_months)
        months = horizon_months;
    if (r.out_of_memory || reach(t, months - 1) != 0)
        goto out_of_memory;
    double discounted = t->lumps_discounted + t->lumps_lo;
    if (discount) {
        /* the community's cost stops at the horizon */
        double parts_community = (t->parts[COMMUNITY] + t->parts_lo[COMMUNITY]) -
                                 t->community_at_horizon * expm1(-k * horizon_day);
        if (a->detention.cost_per_day > 0)
            discounted += a->detention.cost_per_day * (t->parts[DETAINED] + t->parts_lo[DETAINED]) / k;
        if (a->community.cost_per_day > 0)
            discounted += a->community.cost_per_day * parts_community / k;
    }

    /* prefix sums: the whole months into the days, the month ends into counts
     * (part becomes the days of each month) */
    int32_t whole[LEVELS] = {0}, held = 0;
    for (size_t m = 0; m < months; m++) {
        double width = month_start(m + 1) - month_start(m);
        for (int l = 0; l < LEVELS; l++) {
            whole[l] += t->whole[l][m];
            t->part[l][m] = (t->part[l][m] + t->part_lo[l][m]) + whole[l] * width;
        }
        t->series[m * S_COUNT + S_COST] += t->cost_lo[m];
        held += t->ends[m];
        t->series[m * S_COUNT + S_DETAINED_END] = held;
    }
    count_arrivals(t->series, months, pp);
    int64_t peak = peak_count_finish(&t->peak);
    if (peak < 0)
        goto out_of_memory;

    metrics[M_ARRIVALS] = (double)pp->arrivals;
    metrics[M_DETAINED] = t->detained;
    metrics[M_AVRR_DEPARTURES] = t->departures;
    metrics[M_REMOVALS] = t->removals;
    metrics[M_RELEASES] = t->releases;
    metrics[M_PEAK_DETAINED] = (double)peak;
    outcome_close(a, k, t->series, months, t->part[DETAINED], t->part[COMMUNITY], discounted,
                  metrics);
    memcpy(out->metrics, metrics, sizeof out->metrics);
    out->months = months;
    out->series = t->series;
    return 0;

out_of_memory:
    snprintf(why, why_size, "out of memory");
    return -1;
}
