/* outcome: the series and totals both paths compute alike. See outcome.h. */
#include "models/outcome.h"

void outcome_close(const struct avrr_params *a, double discount_per_day, double *series,
                   size_t months, const double *detained_days, const double *community_days,
                   double discounted, double *metrics)
{
    double detention_days = 0, community_total = 0, cumulative = 0;
    for (size_t m = 0; m < months; m++) {
        double *row = series + m * S_COUNT;
        detention_days += detained_days[m];
        community_total += community_days[m];
        row[S_DETAINED_AVG] = detained_days[m] / AVRR_DAYS_PER_MONTH;
        row[S_COST] += detained_days[m] * a->detention.cost_per_day +
                       community_days[m] * a->community.cost_per_day;
        cumulative += row[S_COST];
        row[S_COST_CUMULATIVE] = cumulative;
    }
    double *m = metrics;
    m[M_DETENTION_DAYS] = detention_days;
    m[M_COST_DETENTION] = detention_days * a->detention.cost_per_day;
    m[M_COST_REMOVAL] = m[M_REMOVALS] * a->removal.cost;
    m[M_COST_AVRR] = m[M_AVRR_DEPARTURES] * (a->avrr.case_cost + a->avrr.reintegration_cost);
    m[M_COST_COMMUNITY] = community_total * a->community.cost_per_day;
    m[M_COST_TOTAL] = m[M_COST_DETENTION] + m[M_COST_REMOVAL] + m[M_COST_AVRR] +
                      m[M_COST_COMMUNITY] + m[M_COST_PROGRAM];
    if (discount_per_day <= 0)
        discounted += m[M_COST_DETENTION] + m[M_COST_COMMUNITY];
    m[M_COST_TOTAL_DISCOUNTED] = discounted;
    m[M_COST_NET] = m[M_COST_TOTAL] - m[M_EXTERNAL_FUNDING];
}
