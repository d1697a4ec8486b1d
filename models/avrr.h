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
    struct {
        double per_month;
    } arrivals;
    struct {
        double share;
        struct person_dist length_days;
        double cost_per_day;
    } detention;
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
    } avrr;
};

/* The metrics reported per replication and policy, in column order. */
enum avrr_metric {
    M_ARRIVALS, M_DETAINED, M_AVRR_DEPARTURES, M_REMOVALS, M_RELEASES,
    M_DETENTION_DAYS, M_COST_DETENTION, M_COST_REMOVAL, M_COST_AVRR, M_COST_TOTAL,
    M_COUNT
};

/* The schema table (avrr_keys.c); a test checks that every entry is filled. */
enum { AVRR_KEY_COUNT = 13 };
extern const struct schema_key avrr_keys[AVRR_KEY_COUNT];

/* The model as the engine sees it (avrr_model.c). */
extern const struct model_interface avrr_model;

/* Days in a month: a year of 365.25 days in twelve equal months. */
#define AVRR_DAYS_PER_MONTH (365.25 / 12.0)

#endif
