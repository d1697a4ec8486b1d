/* series: monthly series across replications (see series.h). Each
 * replication's series is kept as it came, as long as it is; the statistics
 * of a month are computed exactly (GSL's sort and quantiles) once every
 * replication is in, counting a replication that had ended by then as 0, or
 * as its last value for a cumulative metric. */
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
    struct replication_series *kept;
    size_t count, capacity;
    size_t months;               /* the longest series */
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
    for (size_t i = 0; i < r->count; i++)
        free(r->kept[i].values);
    free(r->kept);
    free(r->cells);
    free(r);
}

int series_reducer_add(series_reducer *r, const double *values, size_t months)
{
    if (r->count == r->capacity) {
        size_t capacity = r->capacity ? 2 * r->capacity : 1024;
        struct replication_series *grown = realloc(r->kept, capacity * sizeof *grown);
        if (!grown)
            return -1;
        r->kept = grown;
        r->capacity = capacity;
    }
    double *copy = malloc((months ? months : 1) * r->row * sizeof *copy);
    if (!copy)
        return -1;
    memcpy(copy, values, months * r->row * sizeof *copy);
    r->kept[r->count++] = (struct replication_series){copy, months};
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
    double *column = malloc(r->count * sizeof *column);
    r->cells = malloc((r->months ? r->months : 1) * r->row * sizeof *r->cells);
    if (!column || !r->cells) {
        free(column);
        free(r->cells);
        r->cells = NULL;
        return -1;
    }
    for (size_t month = 0; month < r->months; month++)
        for (size_t i = 0; i < r->row; i++) {
            for (size_t k = 0; k < r->count; k++)
                column[k] = value_at(r, k, month, i);
            struct sample_summary s;
            stats_summarize(column, r->count, &s);
            r->cells[month * r->row + i] = (struct series_cell){s.mean, s.p05, s.p50, s.p95};
        }
    free(column);
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
