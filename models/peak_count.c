/* peak_count: the peak of a count from sorted entries and unsorted
 * departures. See peak_count.h. */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "models/peak_count.h"

enum { CELLS_PER_DAY = 4 };

static int grow(void **block, size_t count, size_t item_size)
{
    void *grown = realloc(*block, count * item_size);
    if (!grown)
        return -1;
    *block = grown;
    return 0;
}

int peak_count_start(struct peak_count *pc, const double *day, size_t n)
{
    size_t persons = n > 0 ? n : 1;
    if (persons > pc->person_capacity) {
        if (grow((void **)&pc->entered, persons, sizeof *pc->entered) != 0 ||
            grow((void **)&pc->left, persons, sizeof *pc->left) != 0)
            return -1;
        pc->person_capacity = persons;
    }
    memset(pc->entered, 0, persons);
    pc->day = day;
    pc->n = n;
    pc->last_day = n > 0 ? day[n - 1] : 0;
    pc->n_left = 0;
    pc->base = NULL;
    return 0;
}

int peak_count_start_from(struct peak_count *pc, const struct peak_count *base)
{
    if (peak_count_start(pc, base->day, base->n) != 0)
        return -1;
    memcpy(pc->entered, base->entered, base->n);
    pc->base = base;
    return 0;
}

void peak_count_clear(struct peak_count *pc)
{
    free(pc->entered);
    free(pc->left);
    free(pc->cell_in);
    free(pc->cell_out);
    free(pc->cell_at);
    free(pc->resolved);
    free(pc->resolving);
    memset(pc, 0, sizeof *pc);
}

/* The cell of day t in [0, last_day]: monotone in t. */
static inline size_t cell_of(double t, size_t cells)
{
    size_t c = (size_t)(int64_t)(t * CELLS_PER_DAY);
    return c < cells ? c : cells - 1;
}

static void count_departures(const double *left, size_t n, int32_t *out, size_t cells)
{
    for (size_t j = 0; j < n; j++)
        out[cell_of(left[j], cells)] += 1;
}

/* Files the departures of the cells being resolved into their places
 * (at[c] >= 0: the next place of cell c's departures). */
static void file_departures(const double *left, size_t n, int32_t *at, size_t cells,
                            double *resolving)
{
    for (size_t j = 0; j < n; j++) {
        size_t c = cell_of(left[j], cells);
        if (at[c] >= 0)
            resolving[at[c]++] = left[j];
    }
}

/* The highest count just after an entry of cell c, which starts at `start`
 * (departures: the cell's, sorted). */
static int64_t resolve(const struct peak_count *pc, size_t c, size_t cells, int64_t start,
                       const double *departures, size_t n_departures)
{
    /* the cell's arrivals: the first whose cell is not before c, onwards */
    size_t lo = 0, hi = pc->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cell_of(pc->day[mid], cells) < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    int64_t held = start, high = 0;
    size_t next = 0;
    for (size_t i = lo; i < pc->n && cell_of(pc->day[i], cells) == c; i++) {
        if (!pc->entered[i])
            continue;
        while (next < n_departures && departures[next] < pc->day[i]) {
            next++;
            held--;
        }
        held++;
        if (held > high)
            high = held;
    }
    return high;
}

int64_t peak_count_finish(struct peak_count *pc)
{
    size_t cells = (size_t)(int64_t)(pc->last_day * CELLS_PER_DAY) + 1;
    if (cells > pc->cell_capacity) {
        if (grow((void **)&pc->cell_in, cells, sizeof *pc->cell_in) != 0 ||
            grow((void **)&pc->cell_out, cells, sizeof *pc->cell_out) != 0 ||
            grow((void **)&pc->cell_at, cells, sizeof *pc->cell_at) != 0 ||
            grow((void **)&pc->resolved, cells, sizeof *pc->resolved) != 0)
            return -1;
        pc->cell_capacity = cells;
    }
    int32_t *in = pc->cell_in, *out = pc->cell_out, *at = pc->cell_at;
    memset(in, 0, cells * sizeof *in);
    memset(out, 0, cells * sizeof *out);
    for (size_t i = 0; i < pc->n; i++)
        in[cell_of(pc->day[i], cells)] += pc->entered[i];
    count_departures(pc->left, pc->n_left, out, cells);
    if (pc->base)
        count_departures(pc->base->left, pc->base->n_left, out, cells);

    /* the best lower bound: the count just after each cell's last entry is
     * at least its start plus its entries less its departures */
    int64_t best = 0, count = 0;
    for (size_t c = 0; c < cells; c++) {
        int64_t after = count + in[c] - out[c];
        best = in[c] > 0 && after > best ? after : best;
        count = after;
    }
    /* the cells that could beat it, and where their departures go */
    size_t n_resolved = 0, departures = 0;
    count = 0;
    for (size_t c = 0; c < cells; c++) {
        at[c] = -1;
        if (in[c] > 0 && count + in[c] > best) {
            pc->resolved[n_resolved++] = c;
            at[c] = (int32_t)departures;
            departures += (size_t)out[c];
        }
        count += in[c] - out[c];
    }
    if (n_resolved == 0)
        return best;
    if (departures > pc->resolving_capacity) {
        if (grow((void **)&pc->resolving, departures, sizeof *pc->resolving) != 0)
            return -1;
        pc->resolving_capacity = departures;
    }
    file_departures(pc->left, pc->n_left, at, cells, pc->resolving);
    if (pc->base)
        file_departures(pc->base->left, pc->base->n_left, at, cells, pc->resolving);
    /* resolve them exactly, their starts recounted on the way (at[c] is now
     * the end of cell c's departures) */
    count = 0;
    size_t next = 0;
    for (size_t c = 0; c < cells && next < n_resolved; c++) {
        if (c == pc->resolved[next]) {
            double *mine = pc->resolving + at[c] - out[c];
            gsl_sort(mine, 1, (size_t)out[c]);
            int64_t high = resolve(pc, c, cells, count, mine, (size_t)out[c]);
            if (high > best)
                best = high;
            next++;
        }
        count += in[c] - out[c];
    }
    return best;
}
