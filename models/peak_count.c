/* peak_count: the peak of a count from sorted entries and unsorted
 * departures. See peak_count.h. */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "models/peak_count.h"

/* Rounds of resolving the candidate cell of the highest bound first, before
 * the rest are resolved in turn. */
enum { PEAK_GREEDY_ROUNDS = 16 };

static int grow(void **block, size_t count, size_t item_size)
{
    void *grown = realloc(*block, count * item_size);
    if (!grown)
        return -1;
    *block = grown;
    return 0;
}

/* The cell of day t in [0, last_day], the last for any later day. */
static inline size_t cell_of(double t, size_t cells)
{
    size_t c = peak_cell(t);
    return c < cells ? c : cells - 1;
}

int peak_count_start(struct peak_count *pc, const double *day, size_t n)
{
    size_t persons = n > 0 ? n : 1;
    if (persons > pc->person_capacity) {
        if (grow((void **)&pc->entries, persons, sizeof *pc->entries) != 0 ||
            grow((void **)&pc->left, persons, sizeof *pc->left) != 0)
            return -1;
        pc->person_capacity = persons;
    }
    pc->day = day;
    pc->n = n;
    pc->last_day = n > 0 ? day[n - 1] : 0;
    pc->n_entries = pc->n_left = 0;
    pc->base = NULL;
    size_t cells = peak_cell(pc->last_day) + 1;
    if (cells > pc->cell_capacity) {
        if (grow((void **)&pc->cell_in, cells, sizeof *pc->cell_in) != 0 ||
            grow((void **)&pc->cell_out, cells, sizeof *pc->cell_out) != 0 ||
            grow((void **)&pc->cell_at, cells, sizeof *pc->cell_at) != 0 ||
            grow((void **)&pc->cell_filed, cells + 1, sizeof *pc->cell_filed) != 0 ||
            grow((void **)&pc->resolved, cells, sizeof *pc->resolved) != 0 ||
            grow((void **)&pc->resolved_start, cells, sizeof *pc->resolved_start) != 0)
            return -1;
        pc->cell_capacity = cells;
    }
    pc->cells = cells;
    memset(pc->cell_in, 0, cells * sizeof *pc->cell_in);
    memset(pc->cell_out, 0, cells * sizeof *pc->cell_out);
    return 0;
}

int peak_count_start_from(struct peak_count *pc, const struct peak_count *base)
{
    if (peak_count_start(pc, base->day, base->n) != 0)
        return -1;
    pc->base = base;
    return 0;
}

void peak_count_clear(struct peak_count *pc)
{
    free(pc->entries);
    free(pc->left);
    free(pc->cell_in);
    free(pc->cell_out);
    free(pc->cell_filed);
    free(pc->filed);
    free(pc->cell_at);
    free(pc->resolved);
    free(pc->resolved_start);
    free(pc->resolving);
    memset(pc, 0, sizeof *pc);
}

/* Adds the base's cell totals to pc's own. */
static void add_base_cells(struct peak_count *pc)
{
    const struct peak_count *base = pc->base;
    for (size_t c = 0; c < pc->cells; c++) {
        pc->cell_in[c] += base->cell_in[c];
        pc->cell_out[c] += base->cell_out[c];
    }
}

int peak_count_seal(struct peak_count *pc)
{
    size_t cells = pc->cells;
    if (grow((void **)&pc->filed, pc->n_left > 0 ? pc->n_left : 1, sizeof *pc->filed) != 0)
        return -1;
    uint32_t at = 0;
    for (size_t c = 0; c < cells; c++) {
        pc->cell_filed[c] = at;
        at += (uint32_t)pc->cell_out[c];
    }
    pc->cell_filed[cells] = at;
    /* file them, using cell_at as each cell's next place */
    int32_t *next = pc->cell_at;
    for (size_t c = 0; c < cells; c++)
        next[c] = (int32_t)pc->cell_filed[c];
    for (size_t j = 0; j < pc->n_left; j++)
        pc->filed[next[cell_of(pc->left[j], cells)]++] = pc->left[j];
    return 0;
}

/* Sorts a cell's few departures: insertion sort (a cell holds a handful;
 * gsl_sort's heapsort costs more at that size), gsl_sort for many. */
static void sort_few(double *v, size_t n)
{
    if (n > 64) {
        gsl_sort(v, 1, n);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        double x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* The first of the sorted values [0, n) of list not below `from`. */
static size_t first_at_least(const uint32_t *list, size_t n, size_t from)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (list[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The highest count just after an entry of cell c, which starts at `start`
 * (departures: the cell's, sorted). */
static int64_t resolve(const struct peak_count *pc, size_t c, int64_t start,
                       const double *departures, size_t n_departures)
{
    /* the cell's arrivals: [lo, hi) */
    size_t lo = 0, hi = pc->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cell_of(pc->day[mid], pc->cells) < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    hi = lo;
    while (hi < pc->n && cell_of(pc->day[hi], pc->cells) == c)
        hi++;
    /* their entries, own and the base's, merged in arrival order */
    const struct peak_count *base = pc->base;
    size_t own = first_at_least(pc->entries, pc->n_entries, lo);
    size_t theirs = base ? first_at_least(base->entries, base->n_entries, lo) : 0;
    size_t n_theirs = base ? base->n_entries : 0;
    int64_t held = start, high = 0;
    size_t next = 0;
    for (;;) {
        size_t a = own < pc->n_entries && pc->entries[own] < hi ? pc->entries[own] : SIZE_MAX;
        size_t b = theirs < n_theirs && base->entries[theirs] < hi ? base->entries[theirs] : SIZE_MAX;
        size_t i = a < b ? a : b;
        if (i == SIZE_MAX)
            break;
        if (a < b)
            own++;
        else
            theirs++;
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

/* The highest count just after an entry of candidate cell c, which starts
 * at `start`: its departures (pc's own, filed in pc->resolving up to
 * cell_at[c], then the base's) sorted and merged with its entries. */
static int64_t resolve_cell(struct peak_count *pc, size_t c, int64_t start)
{
    int32_t own_end = pc->cell_at[c], n_out = pc->cell_out[c];
    size_t n_base = 0;
    if (pc->base) {   /* the base's filed departures of the cell after pc's own */
        const struct peak_count *base = pc->base;
        n_base = base->cell_filed[c + 1] - base->cell_filed[c];
        memcpy(pc->resolving + own_end, base->filed + base->cell_filed[c],
               n_base * sizeof *pc->resolving);
    }
    double *mine = pc->resolving + own_end + n_base - n_out;
    sort_few(mine, (size_t)n_out);
    return resolve(pc, c, start, mine, (size_t)n_out);
}

int64_t peak_count_finish(struct peak_count *pc)
{
    size_t cells = pc->cells;
    int32_t *in = pc->cell_in, *out = pc->cell_out, *at = pc->cell_at;
    if (pc->base)
        add_base_cells(pc);

    /* the best lower bound: the count just after each cell's last entry is
     * at least its start plus its entries less its departures */
    int64_t best = 0, count = 0;
    for (size_t c = 0; c < cells; c++) {
        int64_t after = count + in[c] - out[c];
        best = in[c] > 0 && after > best ? after : best;
        count = after;
    }
    /* the cells that could beat it, their starts, and where their own
     * departures go */
    size_t n_resolved = 0, departures = 0;
    count = 0;
    for (size_t c = 0; c < cells; c++) {
        at[c] = -1;
        if (in[c] > 0 && count + in[c] > best) {
            pc->resolved_start[n_resolved] = count;
            pc->resolved[n_resolved++] = c;
            at[c] = (int32_t)departures;
            departures += (size_t)out[c];   /* room for the base's too */
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
    for (size_t j = 0; j < pc->n_left; j++) {
        size_t c = cell_of(pc->left[j], cells);
        if (at[c] >= 0)
            pc->resolving[at[c]++] = pc->left[j];
    }
    /* resolve them exactly, the highest bound first: a resolved cell may
     * raise the best, and the cells whose bound no longer beats it are
     * dropped unresolved (a few rounds of this, then the rest in turn, so
     * that cells of equal bounds cannot make it quadratic) */
    size_t active = n_resolved, *cell = pc->resolved;
    int64_t *start = pc->resolved_start;
    for (int round = 0; active > 0; round++) {
        size_t top = 0;
        for (size_t k = 1; k < active; k++)
            if (start[k] + in[cell[k]] > start[top] + in[cell[top]])
                top = k;
        if (start[top] + in[cell[top]] <= best)
            break;
        if (round == PEAK_GREEDY_ROUNDS) {
            for (size_t k = 0; k < active; k++)
                if (start[k] + in[cell[k]] > best) {
                    int64_t high = resolve_cell(pc, cell[k], start[k]);
                    best = high > best ? high : best;
                }
            break;
        }
        int64_t high = resolve_cell(pc, cell[top], start[top]);
        best = high > best ? high : best;
        size_t kept = 0;
        for (size_t k = 0; k < active; k++)
            if (k != top && start[k] + in[cell[k]] > best) {
                cell[kept] = cell[k];
                start[kept++] = start[k];
            }
        active = kept;
    }
    return best;
}
