/* avrr_model: one replication of the AVRR-versus-detention model, as the
 * engine calls it. The people of the replication are drawn once
 * (people.c); each policy then runs its pathways over them, person by person
 * where its people do not interact (policy_direct.c), else as a
 * discrete-event simulation (policy_run.c). The choice is made per policy
 * and replication from the resolved parameters; both give the same numbers.
 * See docs/model.md. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/avrr.h"
#include "models/people.h"
#include "models/policy_direct.h"
#include "models/policy_run.h"

static const struct metric_def avrr_metrics[M_COUNT] = {
    [M_ARRIVALS] = {"arrivals", METRIC_COUNT, "arrivals", false},
    [M_DETAINED] = {"detained", METRIC_COUNT, "people detained", false},
    [M_AVRR_DEPARTURES] = {"avrr_departures", METRIC_COUNT, "AVRR departures", false},
    [M_REMOVALS] = {"removals", METRIC_COUNT, "enforced removals", false},
    [M_RELEASES] = {"releases", METRIC_COUNT, "releases", false},
    [M_DETENTION_DAYS] = {"detention_days", METRIC_DAYS, "detention days", false},
    [M_COST_DETENTION] = {"cost_detention", METRIC_MONEY, "detention", false},
    [M_COST_REMOVAL] = {"cost_removal", METRIC_MONEY, "removal", false},
    [M_COST_AVRR] = {"cost_avrr", METRIC_MONEY, "AVRR", false},
    [M_COST_TOTAL] = {"cost_total", METRIC_MONEY, "total cost", false},
    [M_TURNED_AWAY] = {"turned_away", METRIC_COUNT, "turned away", false},
    [M_RE_ENTRIES] = {"re_entries", METRIC_COUNT, "re-entries", false},
    [M_PEAK_DETAINED] = {"peak_detained", METRIC_COUNT, "peak detained", false},
    [M_AVRR_QUEUE_PEAK] = {"avrr_queue_peak", METRIC_COUNT, "peak AVRR queue", false},
    [M_COST_COMMUNITY] = {"cost_community", METRIC_MONEY, "community", false},
    [M_COST_PROGRAM] = {"cost_program", METRIC_MONEY, "programme", false},
    [M_COST_TOTAL_DISCOUNTED] = {"cost_total_discounted", METRIC_MONEY, "discounted total cost", false},
    [M_EXTERNAL_FUNDING] = {"external_funding", METRIC_MONEY, "external funding", false},
    [M_COST_NET] = {"cost_net", METRIC_MONEY, "net cost", false},
    [M_AVRR_UNSERVED] = {"avrr_unserved", METRIC_COUNT, "AVRR applicants not served", false},
};

static const struct metric_def avrr_series_metrics[S_COUNT] = {
    [S_ARRIVALS] = {"arrivals", METRIC_COUNT, "arrivals", false},
    [S_DETAINED_AVG] = {"detained_avg", METRIC_DAYS, "mean number detained", false},
    [S_DETAINED_END] = {"detained_end", METRIC_COUNT, "detained at month end", false},
    [S_AVRR_QUEUE_END] = {"avrr_queue_end", METRIC_COUNT, "AVRR queue at month end", false},
    [S_AVRR_DEPARTURES] = {"avrr_departures", METRIC_COUNT, "AVRR departures", false},
    [S_REMOVALS] = {"removals", METRIC_COUNT, "enforced removals", false},
    [S_RELEASES] = {"releases", METRIC_COUNT, "releases", false},
    [S_COST] = {"cost", METRIC_MONEY, "cost", false},
    [S_COST_CUMULATIVE] = {"cost_cumulative", METRIC_MONEY, "cumulative cost", true},
};

struct workspace {
    uint64_t seed;
    const volatile sig_atomic_t *stop;   /* non-zero: the user interrupts (may be NULL) */
    size_t n_policies;
    const struct avrr_params *const *params;
    struct people people;
    policy_run **runs;           /* [policy]: the event-driven path */
    policy_direct **directs;     /* [policy]: the direct path */
    direct_shared **shared;      /* [policy]: what the policies alike with it share, when it leads them */
    double *series;              /* [(month * n_policies + p) * S_COUNT + s] */
    size_t series_capacity, months;
};

static void workspace_free(void *workspace)
{
    struct workspace *w = workspace;
    if (!w)
        return;
    people_clear(&w->people);
    for (size_t p = 0; p < w->n_policies; p++) {
        if (w->runs)
            policy_run_free(w->runs[p]);
        if (w->directs)
            policy_direct_free(w->directs[p]);
        if (w->shared)
            direct_shared_free(w->shared[p]);
    }
    free(w->runs);
    free(w->directs);
    free(w->shared);
    free(w->series);
    free(w);
}

static void *workspace_new(const struct model_setup *setup)
{
    if (setup->n_policies == 0 || setup->n_policies > 64)
        return NULL;
    struct workspace *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->seed = setup->seed;
    w->stop = setup->stop;
    w->n_policies = setup->n_policies;
    w->params = (const struct avrr_params *const *)setup->params;
    w->runs = calloc(setup->n_policies, sizeof *w->runs);
    w->directs = calloc(setup->n_policies, sizeof *w->directs);
    w->shared = calloc(setup->n_policies, sizeof *w->shared);
    int ok = w->runs && w->directs && w->shared &&
             people_init(&w->people, setup->rng_type, setup->n_policies) == 0;
    for (size_t p = 0; ok && p < setup->n_policies; p++)
        ok = (w->runs[p] = policy_run_new(setup->rng_type, setup->stop)) != NULL &&
             (w->directs[p] = policy_direct_new()) != NULL &&
             (w->shared[p] = direct_shared_new()) != NULL;
    if (!ok) {
        workspace_free(w);
        return NULL;
    }
    return w;
}

static int between_0_and_1(double p)
{
    return p > 0.0 && p < 1.0;
}

void avrr_find_needs(const struct avrr_params *const *params, size_t n_policies,
                     struct people_needs *needs)
{
    memset(needs, 0, sizeof *needs);
    for (size_t p = 0; p < n_policies; p++) {
        const struct avrr_params *a = params[p];
        int offered = a->avrr.offered;
        int comes_back = a->remigration.after_avrr > 0 || a->remigration.after_removal > 0;
        if (offered && between_0_and_1(a->avrr.uptake))
            needs->uniform[U_INTAKE] = 1;
        if (between_0_and_1(a->detention.share))
            needs->uniform[U_DETAIN] = 1;
        if (between_0_and_1(a->removal.probability))
            needs->uniform[U_REMOVAL] = 1;
        if (between_0_and_1(a->remigration.after_avrr) || between_0_and_1(a->remigration.after_removal))
            needs->uniform[U_REMIGRATE] = 1;
        if (offered && a->avrr.applications_in_detention > 0)
            needs->uniform[E_DETENTION] = 1;
        if (offered && a->avrr.applications_in_community > 0)
            needs->uniform[E_COMMUNITY] = 1;
        if (a->detention.share > 0)
            needs->draw[DRAW_LENGTH][a->detention.length_days.draw_group] = 1;
        if (offered)
            needs->draw[DRAW_PROCESSING][a->avrr.processing_days.draw_group] = 1;
        if (comes_back)
            needs->draw[DRAW_DELAY][a->remigration.delay_days.draw_group] = 1;
    }
}

/* Lays the policies' series side by side; a policy whose last event came
 * earlier contributes zeros (its cumulative cost stays at its total). */
static int interleave(struct workspace *w, const struct policy_outcome *outcomes)
{
    size_t months = 0;
    for (size_t p = 0; p < w->n_policies; p++)
        if (outcomes[p].months > months)
            months = outcomes[p].months;
    size_t needed = months * w->n_policies * S_COUNT;
    if (needed > w->series_capacity) {
        double *grown = realloc(w->series, needed * sizeof *grown);
        if (!grown)
            return -1;
        w->series = grown;
        w->series_capacity = needed;
    }
    for (size_t m = 0; m < months; m++)
        for (size_t p = 0; p < w->n_policies; p++) {
            double *row = w->series + (m * w->n_policies + p) * S_COUNT;
            const struct policy_outcome *o = &outcomes[p];
            if (m < o->months) {
                memcpy(row, o->series + m * S_COUNT, S_COUNT * sizeof *row);
            } else {
                memset(row, 0, S_COUNT * sizeof *row);
                row[S_COST_CUMULATIVE] = o->series[(o->months - 1) * S_COUNT + S_COST_CUMULATIVE];
            }
        }
    w->months = months;
    return 0;
}

static int replicate(void *workspace, uint64_t replication, double *metrics, char *why,
                     size_t why_size)
{
    struct workspace *w = workspace;
    /* the stop flag is looked at between the parts of a replication (the
     * runner looks at it between replications; the event path inside its
     * loop too) */
    struct people_needs needs;
    avrr_find_needs(w->params, w->n_policies, &needs);
    if (people_draw(&w->people, w->seed, replication, w->params[0], w->params, &needs) != 0) {
        snprintf(why, why_size, "out of memory for the people of the replication (at most %zu; "
                 "an uncertain per_month may have drawn far above its mean)", PEOPLE_MAX);
        return -1;
    }
    if (model_stopped(w->stop))
        return model_interrupted(why, why_size);
    /* the direct policies, grouped with the first earlier one alike */
    size_t leader[64];
    const struct avrr_params *members[64];
    for (size_t p = 0; p < w->n_policies; p++) {
        const struct avrr_params *a = w->params[p];
        leader[p] = SIZE_MAX;
        if (!policy_direct_applies(a) || a->force_event_path)
            continue;
        leader[p] = p;
        for (size_t q = 0; q < p; q++)
            if (leader[q] == q && policy_direct_alike(w->params[q], a)) {
                leader[p] = q;
                break;
            }
    }
    size_t group_size[64] = {0};
    for (size_t p = 0; p < w->n_policies; p++)
        if (leader[p] != SIZE_MAX)
            group_size[leader[p]]++;
    for (size_t g = 0; g < w->n_policies; g++) {
        if (group_size[g] < 2)
            continue;
        size_t n = 0;
        for (size_t p = g; p < w->n_policies; p++)
            if (leader[p] == g)
                members[n++] = w->params[p];
        if (direct_shared_run(w->shared[g], members, n, &w->people, why, why_size) != 0)
            return -1;
        if (model_stopped(w->stop))
            return model_interrupted(why, why_size);
    }
    struct policy_outcome outcomes[64];
    for (size_t p = 0; p < w->n_policies; p++) {
        const struct avrr_params *a = w->params[p];
        int failed;
        if (leader[p] == SIZE_MAX)
            failed = policy_run_simulate(w->runs[p], a, &w->people, w->seed, replication,
                                         (unsigned)p, &outcomes[p], why, why_size);
        else
            failed = policy_direct_run(w->directs[p], a, &w->people,
                                       group_size[leader[p]] > 1 ? w->shared[leader[p]] : NULL,
                                       &outcomes[p], why, why_size);
        if (failed)
            return -1;
        if (model_stopped(w->stop))
            return model_interrupted(why, why_size);
        memcpy(metrics + p * M_COUNT, outcomes[p].metrics, sizeof outcomes[p].metrics);
    }
    if (interleave(w, outcomes) != 0) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    return 0;
}

static const double *series(void *workspace, size_t *months)
{
    struct workspace *w = workspace;
    *months = w->months;
    return w->series;
}

/* People a replication may hold before it is refused: each costs about 100
 * bytes per worker (their draws and states). */
#define MAX_PEOPLE_PER_REPLICATION 20000000.0

static int check(const void *params, char *why, size_t why_size)
{
    const struct avrr_params *a = params;
    double season = 1.0;
    for (size_t m = 0; m < a->arrivals.seasonality.count; m++)
        if (a->arrivals.seasonality.values[m] > season)
            season = a->arrivals.seasonality.values[m];
    double people = a->arrivals.per_month * season * a->horizon_months + a->stock.size;
    if (people > MAX_PEOPLE_PER_REPLICATION) {
        snprintf(why, why_size,
                 "a replication would hold about %.0f people (arrivals.per_month x seasonality x "
                 "horizon_months + stock.size), more than the %.0f one replication may hold "
                 "(about 100 bytes each per thread): reduce per_month, horizon_months or stock.size",
                 people, MAX_PEOPLE_PER_REPLICATION);
        return -1;
    }
    return 0;
}

static double series_limit(const void *params, size_t series_metric)
{
    const struct avrr_params *a = params;
    switch ((enum avrr_series)series_metric) {
    case S_DETAINED_AVG:
    case S_DETAINED_END:
        return a->detention.capacity;
    case S_AVRR_DEPARTURES:
        return a->avrr.offered ? a->avrr.departures_per_month : INFINITY;
    default:
        return INFINITY;
    }
}

const struct model_interface avrr_model = {
    .name = "avrr",
    .keys = avrr_keys,
    .n_keys = AVRR_KEY_COUNT,
    .params_size = sizeof(struct avrr_params),
    .metrics = avrr_metrics,
    .n_metrics = M_COUNT,
    .headline = {.total_cost = M_COST_TOTAL, .discounted_cost = M_COST_TOTAL_DISCOUNTED,
                 .effect_name = "departures",   /* voluntary plus enforced */
                 .effect_metrics = {M_AVRR_DEPARTURES, M_REMOVALS}, .n_effect_metrics = 2,
                 .counts = {M_TURNED_AWAY, M_PEAK_DETAINED}, .n_counts = 2},
    .series_metrics = avrr_series_metrics,
    .n_series_metrics = S_COUNT,
    .check = check,
    .workspace_new = workspace_new,
    .workspace_free = workspace_free,
    .replicate = replicate,
    .series = series,
    .series_limit = series_limit,
};
