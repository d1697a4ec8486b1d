/* headline: the summary columns that sweep.csv and batch.csv share, one row
 * per policy: the policy, then mean, p05, p50 and p95 of the total cost, of
 * the discounted total cost and of the effect (model->headline), then
 * against the baseline the mean difference in total cost, its 5th and 95th
 * percentiles and the share of replications in which the policy is cheaper.
 * The caller writes its own leading columns (a sweep's key values, a batch's
 * scenario) through a callback. */
#ifndef AVRRSIM_HEADLINE_H
#define AVRRSIM_HEADLINE_H

#include <stddef.h>

#include "csv.h"
#include "model.h"
#include "runner.h"
#include "scenario.h"

enum { HEADLINE_COLUMNS = 17 };   /* policy, 3 x 4 quantiles, 4 differences */

/* Column names, in order, for the header: names[0 .. HEADLINE_COLUMNS). */
struct headline_names {
    char built[12][96];
    const char *names[HEADLINE_COLUMNS];
};
void headline_column_names(const struct model_interface *model, struct headline_names *out);

/* Writes one row per policy of sc; before the headline columns of each row,
 * lead(w, user) writes the caller's columns. 0, or -1 when out of memory. */
int headline_write_rows(csv_writer *w, const struct scenario *sc, const struct run_results *res,
                        void (*lead)(csv_writer *w, void *user), void *user);

#endif
