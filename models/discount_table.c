/* discount_table: a table of discount factors by whole day. See
 * discount_table.h. */
#include <stdlib.h>

#include "models/discount_table.h"

int discount_table_prepare(struct discount_table *t, double k, size_t days)
{
    if (t->at && t->k == k && t->days == days)
        return 0;
    if (2 * days > t->capacity) {
        double *grown = realloc(t->at, 2 * days * sizeof *grown);
        if (!grown)
            return -1;
        t->at = grown;
        t->capacity = 2 * days;
    }
    for (size_t d = 0; d < days; d++) {
        t->at[2 * d] = exp(-k * (double)d);
        t->at[2 * d + 1] = expm1(-k * (double)d);
    }
    t->k = k;
    t->days = days;
    t->last = (double)days;
    return 0;
}

int discount_table_prepare_horizon(struct discount_table *t, double k, double horizon_day)
{
    return discount_table_prepare(t, k, (size_t)horizon_day + 3 * 366);
}

void discount_table_clear(struct discount_table *t)
{
    free(t->at);
    t->at = NULL;
    t->days = t->capacity = 0;
}
