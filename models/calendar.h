/* calendar: the model's months and rates, shared by the event-driven and
 * the direct paths so that both bin every event into the same month. A
 * month is AVRR_DAYS_PER_MONTH days; month m (from 0) starts on day
 * month_start(m), a double computed one way only. */
#ifndef AVRRSIM_MODELS_CALENDAR_H
#define AVRRSIM_MODELS_CALENDAR_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/avrr.h"

/* The first day of month m (exact for m < 2^44: 487 m < 2^53). */
static inline double month_start(size_t m)
{
    return (double)(int64_t)m * AVRR_DAYS_PER_MONTH;   /* signed: a cheaper conversion */
}

/* A month in sixteenths of a day: AVRR_DAYS_PER_MONTH is 487 / 16 exactly
 * (365.25 / 12 = 30.4375), so month_start(m) is exact and so is 16 t. */
#define AVRR_SIXTEENTHS_PER_MONTH 487

/* The month (from 0) that day t (>= 0, finite, below 2^44 months, where
 * month_start is exact) lies in: the m with month_start(m) <= t <
 * month_start(m + 1), exactly. It is
 * floor(16 t / 487), which is floor(floor(16 t) / 487): a multiplication by
 * 16 (exact), a truncation and an integer division by a constant. */
static inline size_t month_of(double day)
{
    uint64_t sixteenths = (uint64_t)(int64_t)(day * 16.0);   /* day >= 0: the floor */
    return (size_t)(sixteenths / AVRR_SIXTEENTHS_PER_MONTH);
}

/* The last day the model follows a pathway to: 1,000 years. An event later
 * than that (a stay, processing time or delay of absurd length: a wrong
 * unit, a distribution with a runaway tail) fails the replication
 * (avrr_check_last_day), rather than tracking months without end
 * (the months of a day must also fit the integer types). */
#define AVRR_LAST_DAY (1000 * 365.25)

/* Whether day t lies past AVRR_LAST_DAY (or is not a number). */
static inline bool avrr_past_last_day(double t)
{
    return !(t <= AVRR_LAST_DAY);
}

/* Whether a replication may close its books: 0 when no event fell past
 * AVRR_LAST_DAY, neither the first day a path noted past it (`noted`, 0 for
 * none: events it did not keep) nor the last event's day; else -1, with the
 * reason in why. */
static inline int avrr_check_last_day(double noted, double last_event, char *why, size_t why_size)
{
    if (noted == 0 && !avrr_past_last_day(last_event))
        return 0;
    snprintf(why, why_size,
             "an event falls on day %.6g, past the model's last day (%.0f, 1,000 years): set "
             "model.detention.max_days, or shorten length_days, processing_days or delay_days",
             noted != 0 ? noted : last_event, AVRR_LAST_DAY);
    return -1;
}

/* A monthly probability as a constant hazard per day (0 for 0). */
static inline double hazard_per_day(double per_month)
{
    return per_month > 0 ? -log1p(-per_month) / AVRR_DAYS_PER_MONTH : 0.0;
}

#endif
