/* peak_count: the most people held at once, from the days they come in (at
 * arrivals, which come sorted) and the days they leave (in any order),
 * without sorting them all. Arrivals come before any departure of the same
 * day, as in the event queue: the count just after arrival i is the entries
 * up to i less the departures strictly before its day.
 *
 * The days up to the last arrival are cut into cells of a quarter of a day.
 * The count at the start of each cell is exact from per-cell totals; within a
 * cell it lies between (start + entries - departures), just after its last
 * entry, and (start + entries). Only the cells whose upper bound beats the
 * best lower bound (a handful) are resolved exactly, by sorting their
 * departures and merging them with their entries.
 *
 * A count may start from another's (peak_count_start_from): it then holds
 * the other's entries and departures too, without copying the departures,
 * so that the people several policies treat alike are counted once. Storage
 * grows to the largest replication seen and is then reused. */
#ifndef AVRRSIM_MODELS_PEAK_COUNT_H
#define AVRRSIM_MODELS_PEAK_COUNT_H

#include <stddef.h>
#include <stdint.h>

struct peak_count {
    const double *day;           /* borrowed: the n sorted arrival days */
    size_t n;
    double last_day;             /* the last arrival's day */
    unsigned char *entered;      /* [arrival]: 1 when held from its arrival */
    double *left;                /* days of departures before last_day */
    size_t n_left, person_capacity;
    const struct peak_count *base;   /* whose departures count too, or NULL */
    /* scratch for peak_count_finish */
    int32_t *cell_in, *cell_out, *cell_at;   /* [cell] */
    size_t cell_capacity;
    size_t *resolved;            /* cells resolved exactly */
    double *resolving;           /* their departures */
    size_t resolving_capacity;
};

/* Starts counting over the n sorted arrival days, from nobody. 0, or -1
 * (out of memory). */
int peak_count_start(struct peak_count *pc, const double *day, size_t n);

/* Starts from base's entries and departures (over the same days); base must
 * not change until pc is finished. 0, or -1 (out of memory). */
int peak_count_start_from(struct peak_count *pc, const struct peak_count *base);

void peak_count_clear(struct peak_count *pc);   /* frees; a zeroed struct is ok */

/* Arrival i is held from its arrival. */
static inline void peak_count_enter(struct peak_count *pc, size_t i)
{
    pc->entered[i] = 1;
}

/* One of those held leaves on day t (after their arrival). */
static inline void peak_count_leave(struct peak_count *pc, double t)
{
    if (t < pc->last_day)   /* else it comes after every arrival */
        pc->left[pc->n_left++] = t;
}

/* The most held at once (0 if nobody was), or -1 (out of memory). */
int64_t peak_count_finish(struct peak_count *pc);

#endif
