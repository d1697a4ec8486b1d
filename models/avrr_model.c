/* avrr_model: one replication of the AVRR-versus-detention model. The
 * people of the replication are drawn once (people.c); each policy then sends
 * every person down one pathway:
 *   1. AVRR offered and the person applies at intake: waits processing_days
 *      (in detention when wait_in is detention) and departs voluntarily;
 *   2. otherwise, with probability share: detained for length_days, then
 *      removed (probability removal.probability) or released;
 *   3. otherwise: released at arrival.
 * Every pathway runs to its end (the cohort view), so a replication's costs
 * are sums over persons, multiplied by the unit costs at the end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/avrr.h"
#include "models/people.h"

static const struct metric_def avrr_metrics[M_COUNT] = {
    [M_ARRIVALS] = {"arrivals", METRIC_COUNT, "arrivals"},
    [M_DETAINED] = {"detained", METRIC_COUNT, "people detained"},
    [M_AVRR_DEPARTURES] = {"avrr_departures", METRIC_COUNT, "AVRR departures"},
    [M_REMOVALS] = {"removals", METRIC_COUNT, "enforced removals"},
    [M_RELEASES] = {"releases", METRIC_COUNT, "releases"},
    [M_DETENTION_DAYS] = {"detention_days", METRIC_DAYS, "detention days"},
    [M_COST_DETENTION] = {"cost_detention", METRIC_MONEY, "detention cost"},
    [M_COST_REMOVAL] = {"cost_removal", METRIC_MONEY, "removal cost"},
    [M_COST_AVRR] = {"cost_avrr", METRIC_MONEY, "AVRR cost"},
    [M_COST_TOTAL] = {"cost_total", METRIC_MONEY, "total cost"},
};

/* What one policy's pathways add up to in one replication. */
struct tally {
    uint64_t detained, departures, removals, releases;
    double detention_days;
};

struct workspace {
    uint64_t seed;
    size_t n_policies;
    const struct avrr_params *const *params;
    struct people_streams streams;
    struct people_block block;       /* large: keep it in the heap-allocated workspace */
    struct tally tallies[];          /* one per policy */
};

static void *workspace_new(const struct model_setup *setup)
{
    if (setup->n_policies == 0 || setup->n_policies > 64)
        return NULL;
    struct workspace *w = calloc(1, sizeof *w + setup->n_policies * sizeof w->tallies[0]);
    if (!w)
        return NULL;
    w->seed = setup->seed;
    w->n_policies = setup->n_policies;
    w->params = (const struct avrr_params *const *)setup->params;
    if (people_init(&w->streams, &w->block, setup->rng_type, setup->n_policies) != 0) {
        free(w);
        return NULL;
    }
    return w;
}

static void workspace_free(void *workspace)
{
    struct workspace *w = workspace;
    if (!w)
        return;
    people_clear(&w->streams, &w->block);
    free(w);
}

/* Which draws this replication needs, given the resolved parameters. */
static void find_needs(const struct workspace *w, struct people_needs *needs)
{
    memset(needs, 0, sizeof *needs);
    for (size_t p = 0; p < w->n_policies; p++) {
        const struct avrr_params *a = w->params[p];
        double intake = a->avrr.offered ? a->avrr.uptake : 0.0;
        if (a->avrr.offered)
            needs->any_intake = 1;
        if (intake > 0.0 && a->avrr.wait_in == WAIT_IN_DETENTION)
            needs->needed[DRAW_PROCESSING][a->avrr.processing_days.draw_group] = 1;
        if (intake < 1.0 && a->detention.share > 0.0)
            needs->needed[DRAW_LENGTH][a->detention.length_days.draw_group] = 1;
    }
}

/* Sends the block's persons down one policy's pathways. */
static void run_pathways(const struct avrr_params *a, const struct people_block *b,
                         struct tally *t)
{
    const double intake = a->avrr.offered ? a->avrr.uptake : -1.0;
    const double share = a->detention.share;
    const double removal = a->removal.probability;
    const int waits_detained = a->avrr.wait_in == WAIT_IN_DETENTION;
    const double *length = b->draw[DRAW_LENGTH] + a->detention.length_days.draw_group * PEOPLE_BLOCK;
    const double *processing =
        b->draw[DRAW_PROCESSING] + a->avrr.processing_days.draw_group * PEOPLE_BLOCK;

    for (size_t i = 0; i < b->count; i++) {
        if (b->u_intake[i] < intake) {
            t->departures++;
            if (waits_detained) {
                t->detained++;
                t->detention_days += processing[i];
            }
        } else if (b->u_detain[i] < share) {
            t->detained++;
            t->detention_days += length[i];
            if (b->u_removal[i] < removal)
                t->removals++;
            else
                t->releases++;
        } else {
            t->releases++;
        }
    }
}

static int replicate(void *workspace, uint64_t replication, double *metrics, char *why,
                     size_t why_size)
{
    (void)why;
    (void)why_size;
    struct workspace *w = workspace;
    const struct avrr_params *base = w->params[0];
    struct people_needs needs;

    find_needs(w, &needs);
    people_seed(&w->streams, w->seed, replication);
    memset(w->tallies, 0, w->n_policies * sizeof w->tallies[0]);

    uint64_t arrivals = 0;
    const long months = (long)base->horizon_months;
    for (long month = 0; month < months; month++) {
        unsigned remaining = people_arrivals_in_month(&w->streams, base->arrivals.per_month);
        arrivals += remaining;
        while (remaining > 0) {
            size_t count = remaining < PEOPLE_BLOCK ? remaining : PEOPLE_BLOCK;
            people_fill(&w->streams, &w->block, count, &needs, w->params, w->n_policies);
            for (size_t p = 0; p < w->n_policies; p++)
                run_pathways(w->params[p], &w->block, &w->tallies[p]);
            remaining -= (unsigned)count;
        }
    }

    for (size_t p = 0; p < w->n_policies; p++) {
        const struct avrr_params *a = w->params[p];
        const struct tally *t = &w->tallies[p];
        double *m = metrics + p * M_COUNT;
        m[M_ARRIVALS] = (double)arrivals;
        m[M_DETAINED] = (double)t->detained;
        m[M_AVRR_DEPARTURES] = (double)t->departures;
        m[M_REMOVALS] = (double)t->removals;
        m[M_RELEASES] = (double)t->releases;
        m[M_DETENTION_DAYS] = t->detention_days;
        m[M_COST_DETENTION] = t->detention_days * a->detention.cost_per_day;
        m[M_COST_REMOVAL] = (double)t->removals * a->removal.cost;
        m[M_COST_AVRR] = (double)t->departures * (a->avrr.case_cost + a->avrr.reintegration_cost);
        m[M_COST_TOTAL] = m[M_COST_DETENTION] + m[M_COST_REMOVAL] + m[M_COST_AVRR];
    }
    return 0;
}

const struct model_interface avrr_model = {
    .name = "avrr",
    .keys = avrr_keys,
    .n_keys = AVRR_KEY_COUNT,
    .params_size = sizeof(struct avrr_params),
    .metrics = avrr_metrics,
    .n_metrics = M_COUNT,
    .check = NULL,
    .workspace_new = workspace_new,
    .workspace_free = workspace_free,
    .replicate = replicate,
};
