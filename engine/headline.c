/* headline: the shared summary columns of sweep.csv and batch.csv (headline.h). */
#include <stdio.h>
#include <stdlib.h>

#include "engine/headline.h"
#include "engine/stats.h"

void headline_column_names(const struct model_interface *model, struct headline_names *out)
{
    const struct model_headline *h = &model->headline;
    static const char *const parts[] = {"mean", "p05", "p50", "p95"};
    const char *bases[3] = {model->metrics[h->total_cost].name,
                            model->metrics[h->discounted_cost].name, h->effect_name};
    size_t k = 0;
    out->names[k++] = "policy";
    for (size_t b = 0; b < 3; b++)
        for (size_t q = 0; q < 4; q++) {
            snprintf(out->built[b * 4 + q], sizeof out->built[0], "%s_%s", bases[b], parts[q]);
            out->names[k++] = out->built[b * 4 + q];
        }
    out->names[k++] = "difference_mean";
    out->names[k++] = "difference_p05";
    out->names[k++] = "difference_p95";
    out->names[k++] = "prob_less";
}

static void write_quantiles(csv_writer *w, double *values, size_t n, int decimals)
{
    struct sample_summary s;
    stats_summarize(values, n, &s);
    csv_fixed(w, s.mean, decimals);
    csv_fixed(w, s.p05, decimals);
    csv_fixed(w, s.p50, decimals);
    csv_fixed(w, s.p95, decimals);
}

int headline_write_rows(csv_writer *w, const struct scenario *sc, const struct run_results *res,
                        void (*lead)(csv_writer *w, void *user), void *user)
{
    const struct model_headline *h = &sc->model->headline;
    size_t R = res->replications;
    double *values = malloc((R + 1) * sizeof *values);
    if (!values)
        return -1;
#define AT(r, p, m) res->metrics[((r) * res->n_policies + (p)) * res->n_metrics + (m)]
    for (size_t p = 0; p < res->n_policies; p++) {
        if (lead)
            lead(w, user);
        csv_text(w, sc->policies[p].name);
        for (size_t r = 0; r < R; r++)
            values[r] = AT(r, p, h->total_cost);
        write_quantiles(w, values, R, 2);
        for (size_t r = 0; r < R; r++)
            values[r] = AT(r, p, h->discounted_cost);
        write_quantiles(w, values, R, 2);
        for (size_t r = 0; r < R; r++) {
            values[r] = 0;
            for (size_t e = 0; e < h->n_effect_metrics; e++)
                values[r] += AT(r, p, h->effect_metrics[e]);
        }
        write_quantiles(w, values, R, 4);
        for (size_t r = 0; r < R; r++)
            values[r] = AT(r, p, h->total_cost) - AT(r, 0, h->total_cost);
        double cheaper = stats_share_negative(values, R);
        struct sample_summary d;
        stats_summarize(values, R, &d);
        csv_fixed(w, d.mean, 2);
        csv_fixed(w, d.p05, 2);
        csv_fixed(w, d.p95, 2);
        csv_fixed(w, cheaper, 4);
        csv_end_row(w);
    }
#undef AT
    free(values);
    return 0;
}
