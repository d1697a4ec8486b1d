/* avrr: the AVRR-versus-detention model. Its parameters (filled by the
 * engine from the scenario, one struct per policy), its schema table, its
 * metrics and its entry point for the engine. Knows nothing of YAML or files. */
#ifndef AVRRSIM_MODELS_AVRR_H
#define AVRRSIM_MODELS_AVRR_H

#include <stdbool.h>

#include "engine/model.h"
#include "engine/schema.h"

enum avrr_wait_place { WAIT_IN_COMMUNITY = 0, WAIT_IN_DETENTION = 1 };

struct avrr_params {
    double horizon_months;
    double discount_rate;               /* annual */
    int start;                          /* year * 12 + month - 1, or -1 */
    struct {
        double per_month;
        struct number_list seasonality; /* 12 multipliers, or count 0 */
        double variance_ratio;          /* 1: Poisson; > 1: negative binomial */
    } arrivals;
    struct {
        double share;
        struct person_dist length_days;
        double cost_per_day;
        double capacity;                /* beds; INFINITY when unlimited */
        double max_days;                /* INFINITY when there is no cap */
    } detention;
    struct {
        double size;
    } stock;
    struct {
        double probability;
        double cost;
    } removal;
    struct {
        bool offered;
        double uptake;
        struct person_dist processing_days;
        int wait_in;                    /* enum avrr_wait_place */
        double case_cost;
        double reintegration_cost;
        double applications_in_detention;   /* probability per month */
        double applications_in_community;   /* probability per month */
        double departures_per_month;        /* INFINITY when unlimited */
    } avrr;
    struct {
        double after_avrr;
        double after_removal;
        struct person_dist delay_days;
    } remigration;
    struct {
        double cost_per_day;
    } community;
    struct {
        double setup_cost;
        double cost_per_month;
        double external_funding;
    } program;
    /* Tests only: no key sets it, so the engine leaves it false. When true the
     * policy runs through the event-driven simulation (policy_run.c) even
     * where the direct path (policy_direct.c) applies, so that a test can
     * check that both give the same numbers. */
    bool force_event_path;
};

/* The metrics reported per replication and policy, in column order. */
enum avrr_metric {
    M_ARRIVALS, M_DETAINED, M_AVRR_DEPARTURES, M_REMOVALS, M_RELEASES,
    M_DETENTION_DAYS, M_COST_DETENTION, M_COST_REMOVAL, M_COST_AVRR, M_COST_TOTAL,
    M_TURNED_AWAY, M_RE_ENTRIES, M_PEAK_DETAINED, M_AVRR_QUEUE_PEAK, M_COST_COMMUNITY,
    M_COST_PROGRAM, M_COST_TOTAL_DISCOUNTED, M_EXTERNAL_FUNDING, M_COST_NET, M_AVRR_UNSERVED,
    M_COUNT
};

/* The monthly series, in column order. */
enum avrr_series {
    S_ARRIVALS, S_DETAINED_AVG, S_DETAINED_END, S_AVRR_QUEUE_END, S_AVRR_DEPARTURES,
    S_REMOVALS, S_RELEASES, S_COST, S_COST_CUMULATIVE,
    S_COUNT
};

/* The schema table (avrr_keys.c); a test checks that every entry is filled. */
enum { AVRR_KEY_COUNT = 30 };
extern const struct schema_key avrr_keys[AVRR_KEY_COUNT];

/* The model as the engine sees it (avrr_model.c). */
extern const struct model_interface avrr_model;

/* Days in a month: a year of 365.25 days in twelve equal months. */
#define AVRR_DAYS_PER_MONTH (365.25 / 12.0)

#endif
