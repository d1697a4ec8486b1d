/* series: monthly series across replications (see series.h). Means are sums
 * over every replication, added in replication order. The series of the
 * first SERIES_KEPT replications are kept as they came, and the percentiles
 * are computed exactly from them (stats_percentiles: by selection) once
 * every replication is in. A replication that had ended by a month counts
 * there as 0, or as its last value for a cumulative metric. */
#include <stdlib.h>
#include <string.h>

#include "engine/series.h"
#include "engine/stats.h"

struct replication_series {
    double *values;              /* [month * row + i] */
    size_t months;
};

struct series_reducer {
    size_t n_policies, n_metrics, row;
    const struct metric_def *metrics;
    struct replication_series *kept;     /* the first SERIES_KEPT replications */
    size_t kept_count, kept_capacity;
    size_t count;                /* replications added */
    size_t months;               /* the longest series */
    /* for the means: sums of the values each replication gave explicitly,
     * and, by the month a replication ended, the sums of its last values */
    double *sum, *ended_last;    /* [month * row + i] */
    size_t month_capacity;
    struct series_cell *cells;   /* computed by series_reducer_finish */
};

series_reducer *series_reducer_new(size_t n_policies, const struct metric_def *metrics,
                                   size_t n_metrics)
{
    series_reducer *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->n_policies = n_policies;
    r->n_metrics = n_metrics;
    r->row = n_policies * n_metrics;
    r->metrics = metrics;
    return r;
}

void series_reducer_free(series_reducer *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->kept_count; i++)
        free(r->kept[i].values);
    free(r->kept);
    free(r->sum);
    free(r->ended_last);
    free(r->cells);
    free(r);
}

/* Makes months 0 .. months - 1 of the sums addressable (zeroed when new). */
static int reach_months(series_reducer *r, size_t months)
{
    if (months <= r->month_capacity)
        return 0;
    size_t capacity = r->month_capacity ? r->month_capacity : 64;
    while (capacity < months)
        capacity *= 2;
    double *sum = realloc(r->sum, capacity * r->row * sizeof *sum);
    if (sum)
        r->sum = sum;
    double *ended = realloc(r->ended_last, capacity * r->row * sizeof *ended);
    if (ended)
        r->ended_last = ended;
    if (!sum || !ended)
        return -1;
    size_t old = r->month_capacity * r->row, now = capacity * r->row;
    memset(r->sum + old, 0, (now - old) * sizeof *r->sum);
    memset(r->ended_last + old, 0, (now - old) * sizeof *r->ended_last);
    r->month_capacity = capacity;
    return 0;
}

int series_reducer_add(series_reducer *r, const double *values, size_t months)
{
    if (reach_months(r, months + 1) != 0)
        return -1;
    for (size_t i = 0; i < months * r->row; i++)
        r->sum[i] += values[i];
    if (months > 0)
        for (size_t i = 0; i < r->row; i++)
            r->ended_last[months * r->row + i] += values[(months - 1) * r->row + i];
    if (r->kept_count < SERIES_KEPT) {
        if (r->kept_count == r->kept_capacity) {
            size_t capacity = r->kept_capacity ? 2 * r->kept_capacity : 64;
            struct replication_series *grown = realloc(r->kept, capacity * sizeof *grown);
            if (!grown)
                return -1;
            r->kept = grown;
            r->kept_capacity = capacity;
        }
        double *copy = malloc((months ? months : 1) * r->row * sizeof *copy);
        if (!copy)
            return -1;
        memcpy(copy, values, months * r->row * sizeof *copy);
        r->kept[r->kept_count++] = (struct replication_series){copy, months};
    }
    r->count++;
    if (months > r->months)
        r->months = months;
    return 0;
}

/* Replication k's value for cell i of a month. */
static double value_at(const series_reducer *r, size_t k, size_t month, size_t i)
{
    const struct replication_series *s = &r->kept[k];
    if (month < s->months)
        return s->values[month * r->row + i];
    if (s->months == 0 || !r->metrics[i % r->n_metrics].cumulative)
        return 0.0;
    return s->values[(s->months - 1) * r->row + i];
}

int series_reducer_finish(series_reducer *r)
{
    if (r->cells || r->count == 0)
        return 0;
    double *column = malloc(r->kept_count * sizeof *column);
    double *carried = calloc(r->row, sizeof *carried);   /* last values of ended replications */
    r->cells = malloc((r->months ? r->months : 1) * r->row * sizeof *r->cells);
    if (!column || !carried || !r->cells) {
        free(column);
        free(carried);
        free(r->cells);
        r->cells = NULL;
        return -1;
    }
    for (size_t month = 0; month < r->months; month++)
        for (size_t i = 0; i < r->row; i++) {
            carried[i] += r->ended_last[month * r->row + i];
            for (size_t k = 0; k < r->kept_count; k++)
                column[k] = value_at(r, k, month, i);
            double p05, p50, p95;
            stats_percentiles(column, r->kept_count, &p05, &p50, &p95);
            double sum = r->sum[month * r->row + i];
            if (r->metrics[i % r->n_metrics].cumulative)
                sum += carried[i];
            r->cells[month * r->row + i] =
                (struct series_cell){sum / (double)r->count, p05, p50, p95};
        }
    free(column);
    free(carried);
    return 0;
}

size_t series_reducer_months(const series_reducer *r)
{
    return r->months;
}

size_t series_reducer_count(const series_reducer *r)
{
    return r->count;
}

void series_reducer_get(const series_reducer *r, size_t month, size_t policy, size_t metric,
                        struct series_cell *out)
{
    *out = r->cells[month * r->row + policy * r->n_metrics + metric];
}
