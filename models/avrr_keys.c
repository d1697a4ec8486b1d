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

    {.path = "discount_rate", .kind = SCHEMA_NUMBER, .flags = SCHEMA_FIXED,
     .domain = {0.0, 1.0, false, false}, .default_yaml = "0.03", .unit = "per year",
     .doc = "Annual discount rate: a cost falling on day t counts (1 + rate)^(-t / 365.25) in "
            "cost_total_discounted (continuous, exact by the day).",
     .offset = AT(discount_rate)},
    {.path = "start", .kind = SCHEMA_MONTH, .flags = SCHEMA_OPTIONAL, .absent = -1,
     .unit = "YYYY-MM",
     .doc = "Calendar month of month 1 (e.g. 2011-07): seasonality's first entry is then January, "
            "and timeseries.csv gains a date column.",
     .offset = AT(start)},

    {.path = "model.arrivals.per_month", .kind = SCHEMA_NUMBER, .flags = SCHEMA_POPULATION,
     .domain = {0.0, 1e6, false, false}, .default_yaml = "600", .unit = "persons per month",
     .doc = "Mean number of irregular arrivals a month; each month's count is Poisson with this mean, "
            "each arrival on a uniform day of its month.",
     .offset = AT(arrivals.per_month)},
    {.path = "model.arrivals.seasonality", .kind = SCHEMA_NUMBER_LIST,
     .flags = SCHEMA_OPTIONAL | SCHEMA_POPULATION, .domain = {0.0, 100.0, false, false},
     .min_items = 12, .max_items = 12, .unit = "12 multipliers",
     .doc = "Monthly multipliers of per_month, January first when `start` is given, else "
            "month 1 first.",
     .offset = AT(arrivals.seasonality)},
    {.path = "model.arrivals.variance_ratio", .kind = SCHEMA_NUMBER, .flags = SCHEMA_POPULATION,
     .domain = {1.0, 1000.0, false, false}, .default_yaml = "1", .unit = "variance / mean",
     .doc = "1 gives Poisson monthly counts; above 1, negative binomial counts with this "
            "variance-to-mean ratio.",
     .offset = AT(arrivals.variance_ratio)},

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
    {.path = "model.detention.capacity", .kind = SCHEMA_NUMBER,
     .flags = SCHEMA_OPTIONAL | SCHEMA_INTEGER, .domain = {0.0, 1e7, false, false},
     .absent = INFINITY, .unit = "beds",
     .doc = "Detention beds; absent means unlimited. An arrival who finds every bed taken is "
            "released (counted as turned away).",
     .offset = AT(detention.capacity)},
    {.path = "model.detention.max_days", .kind = SCHEMA_NUMBER, .flags = SCHEMA_OPTIONAL,
     .domain = NONNEGATIVE, .absent = INFINITY, .unit = "days",
     .doc = "Legal cap on one detention: a detention that reaches it ends in release.",
     .offset = AT(detention.max_days)},

    {.path = "model.stock.size", .kind = SCHEMA_NUMBER, .flags = SCHEMA_INTEGER | SCHEMA_POPULATION,
     .domain = {0.0, 1e7, false, false}, .default_yaml = "0", .unit = "persons",
     .doc = "People already in the country on day 0, living in the community.",
     .offset = AT(stock.size)},

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
    {.path = "model.avrr.applications_in_detention", .kind = SCHEMA_NUMBER,
     .domain = {0.0, 1.0, false, true}, .default_yaml = "0", .unit = "probability per month",
     .doc = "Probability per month (a constant hazard) that a detainee who has not applied "
            "applies for AVRR, where it is offered.",
     .offset = AT(avrr.applications_in_detention)},
    {.path = "model.avrr.applications_in_community", .kind = SCHEMA_NUMBER,
     .domain = {0.0, 1.0, false, true}, .default_yaml = "0", .unit = "probability per month",
     .doc = "Probability per month that a person in the community (the stock, and anyone "
            "released) applies for AVRR during the horizon, where it is offered.",
     .offset = AT(avrr.applications_in_community)},
    {.path = "model.avrr.departures_per_month", .kind = SCHEMA_NUMBER,
     .flags = SCHEMA_OPTIONAL | SCHEMA_INTEGER, .domain = {1.0, 1e7, false, false},
     .absent = INFINITY, .unit = "departures per month",
     .doc = "Capacity of the AVRR service; absent means unlimited. Applicants whose papers are "
            "ready beyond it wait, first come first served.",
     .offset = AT(avrr.departures_per_month)},

    {.path = "model.remigration.after_avrr", .kind = SCHEMA_NUMBER, .domain = PROBABILITY,
     .default_yaml = "0", .unit = "probability",
     .doc = "Probability that a voluntary returnee comes back (a new arrival, if within the horizon).",
     .offset = AT(remigration.after_avrr)},
    {.path = "model.remigration.after_removal", .kind = SCHEMA_NUMBER, .domain = PROBABILITY,
     .default_yaml = "0", .unit = "probability",
     .doc = "Probability that a removed person comes back (a new arrival, if within the horizon).",
     .offset = AT(remigration.after_removal)},
    {.path = "model.remigration.delay_days", .kind = SCHEMA_PERSON_DIST, .domain = NONNEGATIVE,
     .default_yaml = "{dist: exponential, mean: 365}", .unit = "days per person",
     .doc = "Time from a departure to the re-entry, drawn per person.",
     .offset = AT(remigration.delay_days)},

    {.path = "model.community.cost_per_day", .kind = SCHEMA_NUMBER, .domain = NONNEGATIVE,
     .default_yaml = "0", .unit = "currency per person-day",
     .doc = "Public cost of one person living in the community (the stock, released people, "
            "applicants waiting there) per day, until the end of the horizon.",
     .offset = AT(community.cost_per_day)},

    {.path = "model.program.setup_cost", .kind = SCHEMA_NUMBER, .domain = NONNEGATIVE,
     .default_yaml = "0", .unit = "currency",
     .doc = "Set-up cost of the AVRR programme, on day 0, in every policy that offers AVRR.",
     .offset = AT(program.setup_cost)},
    {.path = "model.program.cost_per_month", .kind = SCHEMA_NUMBER, .domain = NONNEGATIVE,
     .default_yaml = "0", .unit = "currency per month",
     .doc = "Staff and office of the AVRR programme, paid at the start of each month of the "
            "horizon, in every policy that offers AVRR.",
     .offset = AT(program.cost_per_month)},
    {.path = "model.program.external_funding", .kind = SCHEMA_NUMBER, .domain = NONNEGATIVE,
     .default_yaml = "0", .unit = "currency",
     .doc = "External funding of the programme (e.g. a grant): reported, and subtracted in "
            "cost_net, in every policy that offers AVRR.",
     .offset = AT(program.external_funding)},
};
