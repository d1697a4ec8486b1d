/* peak_count: the most people held at once, from the days they come in (at
 * arrivals, which come sorted) and the days they leave (in any order),
 * without sorting them all. Arrivals come before any departure of the same
 * day, as in the event queue: the count just after arrival i is the entries
 * up to i less the departures strictly before its day.
 *
 * The days up to the last arrival are cut into cells of a day, and each
 * entry and departure is counted in its cell as it comes. The count at the
 * start of each cell is exact from per-cell totals; within a cell it lies
 * between (start + entries - departures), just after its last
 * entry, and (start + entries). Only the cells whose upper bound beats the
 * best lower bound (a few dozen) can hold the peak; they are resolved
 * exactly, by sorting their departures and merging them with their entries,
 * the highest bound first, and each resolution may raise the best and
 * leave the rest unresolved.
 *
 * A count may be sealed (its departures filed by cell) and serve as the
 * base of others: a count started from it counts the base's people too, at
 * the cost of its own only, so that the people several policies treat alike
 * are counted once. Storage grows to the largest replication seen and is
 * then reused. */
#ifndef AVRRSIM_MODELS_PEAK_COUNT_H
#define AVRRSIM_MODELS_PEAK_COUNT_H

#include <stddef.h>
#include <stdint.h>

/* Cells a day. */
#define PEAK_CELLS_PER_DAY 1

struct peak_count {
    const double *day;           /* borrowed: the n sorted arrival days */
    size_t n;
    double last_day;             /* the last arrival's day */
    size_t cells;
    uint32_t *entries;           /* arrivals held from their arrival, increasing */
    double *left;                /* days of departures before last_day */
    size_t n_entries, n_left, person_capacity;
    const struct peak_count *base;   /* a sealed count whose people count too, or NULL */
    int32_t *cell_in, *cell_out;     /* [cell]: own entries and departures, counted as they
                                      * come (the base's added when finished) */
    uint32_t *cell_filed;        /* sealed: [cell + 1], where its departures start in filed */
    double *filed;               /* sealed: the departures, by cell */
    size_t cell_capacity;
    /* scratch for peak_count_finish */
    int32_t *cell_at;
    size_t *resolved;            /* the candidate cells */
    int64_t *resolved_start;     /* the count at the start of each */
    double *resolving;
    size_t resolving_capacity;
};

/* Starts counting over the n sorted arrival days, from nobody. 0, or -1
 * (out of memory). */
int peak_count_start(struct peak_count *pc, const double *day, size_t n);

/* Starts from base (sealed, over the same days, unchanged until pc is
 * finished). 0, or -1 (out of memory). */
int peak_count_start_from(struct peak_count *pc, const struct peak_count *base);

void peak_count_clear(struct peak_count *pc);   /* frees; a zeroed struct is ok */

/* The cell of day t >= 0 (truncated: monotone in t). */
static inline size_t peak_cell(double t)
{
    return (size_t)(int64_t)(t * PEAK_CELLS_PER_DAY);
}

/* Arrival i is held from its arrival (i above every earlier entry's). */
static inline void peak_count_enter(struct peak_count *pc, size_t i)
{
    pc->entries[pc->n_entries++] = (uint32_t)i;
    pc->cell_in[peak_cell(pc->day[i])] += 1;   /* day <= last_day: a cell of the count */
}

/* One of those held leaves on day t (after their arrival). */
static inline void peak_count_leave(struct peak_count *pc, double t)
{
    if (t < pc->last_day) {   /* else it comes after every arrival */
        pc->left[pc->n_left++] = t;
        pc->cell_out[peak_cell(t)] += 1;
    }
}

/* Makes a count (started from nobody) ready to serve as a base. 0, or -1
 * (out of memory). */
int peak_count_seal(struct peak_count *pc);

/* The most held at once, base included (0 if nobody was), or -1 (out of
 * memory). */
int64_t peak_count_finish(struct peak_count *pc);

#endif
