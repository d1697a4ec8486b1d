/* avrr_keys: every model key a scenario may set, with its type, domain,
 * default, unit and meaning. The engine checks scenarios against this table,
 * fills struct avrr_params from it and generates docs/scenario-format.md. */
#include <math.h>
#include <stddef.h>

#include "models/avrr.h"

#define AT(field) offsetof(struct avrr_params, field)
#define NONNEGATIVE {0.0, INFINITY, false, true}
#define PROBABILITY {0.0, 1.0, false, false}

const struct schema_key avrr_keys[AVRR_KEY_COUNT] = {
    {.path = "horizon_months", .kind = SCHEMA_NUMBER,
     .flags = SCHEMA_REQUIRED | SCHEMA_INTEGER | SCHEMA_FIXED | SCHEMA_POPULATION,
     .domain = {1.0, 600.0, false, false}, .unit = "months",
     .doc = "The months in which arrivals occur. Every pathway then runs to its end, even past the horizon.",
     .offset = AT(horizon_months)},

    {.path = "model.arrivals.per_month", .kind = SCHEMA_NUMBER, .flags = SCHEMA_POPULATION,
     .domain = {0.0, 1e6, false, false}, .default_yaml = "600", .unit = "persons per month",
     .doc = "Mean number of irregular arrivals a month; each month's count is Poisson with this mean, "
            "each arrival on a uniform day of its month.",
     .offset = AT(arrivals.per_month)},

    {.path = "model.detention.share", .kind = SCHEMA_NUMBER, .domain = PROBABILITY,
     .default_yaml = "1.0", .unit = "probability",
     .doc = "Probability that an arrival who does not take AVRR is detained (else released at arrival).",
     .offset = AT(detention.share)},
    {.path = "model.detention.length_days", .kind = SCHEMA_PERSON_DIST, .domain = NONNEGATIVE,
     .default_yaml = "{dist: lognormal, mean: 46, sd: 85}", .unit = "days per person",
     .doc = "Length of one detention, drawn per person.",
     .offset = AT(detention.length_days)},
    {.path = "model.detention.cost_per_day", .kind = SCHEMA_NUMBER, .domain = NONNEGATIVE,
     .default_yaml = "110", .unit = "currency per detainee-day",
     .doc = "Public cost of holding one person for one day.",
     .offset = AT(detention.cost_per_day)},

    {.path = "model.removal.probability", .kind = SCHEMA_NUMBER, .domain = PROBABILITY,
     .default_yaml = "0.3", .unit = "probability",
     .doc = "Probability that a detention ends in an enforced removal (else release).",
     .offset = AT(removal.probability)},
    {.path = "model.removal.cost", .kind = SCHEMA_NUMBER, .domain = NONNEGATIVE,
     .default_yaml = "14650", .unit = "currency per removal",
     .doc = "Cost of one enforced removal (escort, flight, administration), detention excluded.",
     .offset = AT(removal.cost)},

    {.path = "model.avrr.offered", .kind = SCHEMA_BOOL, .default_yaml = "false", .unit = "true or false",
     .doc = "Whether the policy offers assisted voluntary return and reintegration.",
     .offset = AT(avrr.offered)},
    {.path = "model.avrr.uptake", .kind = SCHEMA_NUMBER, .domain = PROBABILITY,
     .default_yaml = "0.10", .unit = "probability",
     .doc = "Probability that an arrival applies for AVRR at intake, where it is offered.",
     .offset = AT(avrr.uptake)},
    {.path = "model.avrr.processing_days", .kind = SCHEMA_PERSON_DIST, .domain = NONNEGATIVE,
     .default_yaml = "{dist: gamma, mean: 45, sd: 20}", .unit = "days per person",
     .doc = "Time from an AVRR application to the departure, drawn per person.",
     .offset = AT(avrr.processing_days)},
    {.path = "model.avrr.wait_in", .kind = SCHEMA_CHOICE, .choices = "community|detention",
     .default_yaml = "community", .unit = "community or detention",
     .doc = "Where an AVRR applicant waits for departure; waiting in detention costs the daily rate.",
     .offset = AT(avrr.wait_in)},
    {.path = "model.avrr.case_cost", .kind = SCHEMA_NUMBER, .domain = NONNEGATIVE,
     .default_yaml = "3000", .unit = "currency per departure",
     .doc = "Counselling, travel documents and flight for one voluntary departure.",
     .offset = AT(avrr.case_cost)},
    {.path = "model.avrr.reintegration_cost", .kind = SCHEMA_NUMBER, .domain = NONNEGATIVE,
     .default_yaml = "7500", .unit = "currency per departure",
     .doc = "Reintegration support in the country of origin for one voluntary departure.",
     .offset = AT(avrr.reintegration_cost)},
};
