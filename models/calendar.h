/* calendar: the model's months and rates, shared by the event-driven and
 * the direct paths so that both bin every event into the same month. A
 * month is AVRR_DAYS_PER_MONTH days; month m (from 0) starts on day
 * month_start(m), a double computed one way only. */
#ifndef AVRRSIM_MODELS_CALENDAR_H
#define AVRRSIM_MODELS_CALENDAR_H

#include <math.h>
#include <stddef.h>

#include "models/avrr.h"

/* The first day of month m. */
static inline double month_start(size_t m)
{
    return (double)m * AVRR_DAYS_PER_MONTH;
}

/* The month (from 0) that day t (>= 0, finite) lies in: the m with
 * month_start(m) <= t < month_start(m + 1), exactly, even where t / 30.4375
 * rounds across a boundary (the estimate is off by at most one, then
 * corrected against the boundaries themselves). */
static inline size_t month_of(double day)
{
    size_t m = (size_t)(day * (1.0 / AVRR_DAYS_PER_MONTH));
    if (month_start(m + 1) <= day)
        m++;
    else if (m > 0 && month_start(m) > day)
        m--;
    return m;
}

/* A monthly probability as a constant hazard per day (0 for 0). */
static inline double hazard_per_day(double per_month)
{
    return per_month > 0 ? -log1p(-per_month) / AVRR_DAYS_PER_MONTH : 0.0;
}

#endif
