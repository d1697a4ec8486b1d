/* ce: cost-effectiveness against the baseline, the acceptability curve and
 * the expected value of perfect information (see ce.h). */
#include "engine/ce.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "engine/suggest.h"

/* ---------- the effect ---------- */

static bool all_money(const struct model_interface *model, const size_t *metrics, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (model->metrics[metrics[i]].format != METRIC_MONEY)
            return false;
    return n > 0;
}

void ce_effect_headline(const struct model_interface *model, struct ce_effect *out)
{
    const struct model_headline *h = &model->headline;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", h->effect_name);
    size_t n = h->n_effect_metrics < CE_EFFECT_MAX_METRICS ? h->n_effect_metrics : CE_EFFECT_MAX_METRICS;
    for (size_t i = 0; i < n; i++)
        out->metrics[i] = h->effect_metrics[i];
    out->n_metrics = n;
    out->money = all_money(model, out->metrics, n);
}

/* "departures, arrivals, detained, ..." into buf. */
static void list_names(const char *const *names, size_t count, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i > 0 ? ", " : "", names[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int ce_effect_parse(const struct model_interface *model, const char *text, struct ce_effect *out,
                    char *why, size_t why_size)
{
    bool negated = text[0] == '-';
    const char *name = negated ? text + 1 : text;
    const char **names = malloc((model->n_metrics + 1) * sizeof *names);
    if (!names) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    names[0] = model->headline.effect_name;
    for (size_t m = 0; m < model->n_metrics; m++)
        names[m + 1] = model->metrics[m].name;
    size_t count = model->n_metrics + 1;

    int result = 0;
    if (strcmp(name, model->headline.effect_name) == 0) {
        ce_effect_headline(model, out);
    } else {
        size_t m = 0;
        while (m < model->n_metrics && strcmp(name, model->metrics[m].name) != 0)
            m++;
        if (m < model->n_metrics) {
            memset(out, 0, sizeof *out);
            out->metrics[0] = m;
            out->n_metrics = 1;
            out->money = all_money(model, out->metrics, 1);
        } else {
            char valid[2048];
            list_names(names, count, valid, sizeof valid);
            const char *near = name[0] ? suggest_nearest(name, names, count) : NULL;
            char hint[CE_EFFECT_NAME_SIZE + 40] = "";
            if (near)
                snprintf(hint, sizeof hint, "; did you mean '%s%s'?", negated ? "-" : "", near);
            snprintf(why, why_size, "unknown metric '%.64s'%s (one of %s; a leading '-' turns its sign)",
                     text, hint, valid);
            result = -1;
        }
    }
    if (result == 0) {
        out->negated = negated;
        snprintf(out->name, sizeof out->name, "%s", text);
    }
    free(names);
    return result;
}

double ce_effect_value(const struct ce_effect *effect, const double *metrics)
{
    double sum = 0;
    for (size_t i = 0; i < effect->n_metrics; i++)
        sum += metrics[effect->metrics[i]];
    return effect->negated ? -sum : sum;
}

/* ---------- against the baseline ---------- */

const char *ce_status_name(enum ce_status status)
{
    switch (status) {
    case CE_BASELINE: return "baseline";
    case CE_EQUIVALENT: return "equivalent";
    case CE_DOMINANT: return "dominant";
    case CE_DOMINATED: return "dominated";
    case CE_TRADE_OFF: return "trade-off";
    }
    return "?";
}

enum ce_status ce_classify(double incremental_cost, double incremental_effect)
{
    double dc = incremental_cost, de = incremental_effect;
    if (dc == 0 && de == 0)
        return CE_EQUIVALENT;
    if (dc <= 0 && de >= 0)
        return CE_DOMINANT;
    if (dc >= 0 && de <= 0)
        return CE_DOMINATED;
    return CE_TRADE_OFF;   /* both > 0 or both < 0 */
}

int ce_compare(const double *cost, const double *effect, size_t replications, size_t n_policies,
               struct ce_row *rows)
{
    size_t R = replications, P = n_policies;
    double *cost_difference = malloc(R * sizeof *cost_difference);
    double *effect_difference = malloc(R * sizeof *effect_difference);
    if (!cost_difference || !effect_difference) {
        free(cost_difference);
        free(effect_difference);
        return -1;
    }
    for (size_t p = 0; p < P; p++) {
        struct ce_row *row = &rows[p];
        row->cost_mean = gsl_stats_mean(cost + p, P, R);
        row->effect_mean = gsl_stats_mean(effect + p, P, R);
        row->icer = NAN;
        if (p == 0) {
            row->incremental_cost = 0;
            row->incremental_effect = 0;
            row->status = CE_BASELINE;
            continue;
        }
        for (size_t r = 0; r < R; r++) {
            cost_difference[r] = cost[r * P + p] - cost[r * P];
            effect_difference[r] = effect[r * P + p] - effect[r * P];
        }
        row->incremental_cost = gsl_stats_mean(cost_difference, 1, R);
        row->incremental_effect = gsl_stats_mean(effect_difference, 1, R);
        row->status = ce_classify(row->incremental_cost, row->incremental_effect);
        if (row->status == CE_TRADE_OFF)
            row->icer = row->incremental_cost / row->incremental_effect;
    }
    free(cost_difference);
    free(effect_difference);
    return 0;
}

/* ---------- at a value per unit of effect ---------- */

double ce_round_up(double x)
{
    if (!(x > 0) || !isfinite(x))
        return NAN;
    double base = pow(10.0, floor(log10(x)));
    /* log10 may be off by one ulp near a power of ten */
    if (base > x)
        base /= 10;
    else if (base * 10 <= x)
        base *= 10;
    static const double steps[] = {1, 2, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * base >= x)
            return steps[i] * base;
    return 10 * base;
}

double ce_last_switch(const struct ce_row *rows, size_t n_policies)
{
    /* At λ = 0 the best policy on average is the cheapest (the more effective
     * of equally cheap ones); from there, follow the frontier: the next best
     * is the more effective policy whose line λ E - C overtakes the current
     * one first (at the smallest λ, the most effective on a tie). */
    size_t best = 0;
    for (size_t p = 1; p < n_policies; p++)
        if (rows[p].cost_mean < rows[best].cost_mean ||
            (rows[p].cost_mean == rows[best].cost_mean && rows[p].effect_mean > rows[best].effect_mean))
            best = p;
    double last = 0;
    for (;;) {
        size_t next = n_policies;
        double at = INFINITY;
        for (size_t p = 0; p < n_policies; p++) {
            double gain = rows[p].effect_mean - rows[best].effect_mean;
            if (!(gain > 0))
                continue;
            double lambda = (rows[p].cost_mean - rows[best].cost_mean) / gain;
            if (lambda < last)
                lambda = last;   /* already better: it takes over at once */
            if (lambda < at || (lambda == at && rows[p].effect_mean > rows[next].effect_mean)) {
                at = lambda;
                next = p;
            }
        }
        if (next == n_policies || !isfinite(at))
            return last;
        last = at;
        best = next;
    }
}

double ce_default_max_value(const struct ce_row *rows, size_t n_policies)
{
    double last = ce_last_switch(rows, n_policies);
    double value = last > 0 ? ce_round_up(2 * last) : NAN;
    return isfinite(value) ? value : CE_DEFAULT_MAX_VALUE;
}

double ce_value_at(double max_value, size_t i)
{
    return max_value * (double)i / (double)(CE_VALUES - 1);
}

static double net_benefit(double value, double effect, double cost)
{
    return value * effect - cost;
}

/* The highest NB of replication row (P values of cost and effect). */
static double best_of(const double *cost, const double *effect, size_t P, double value)
{
    double best = net_benefit(value, effect[0], cost[0]);
    for (size_t p = 1; p < P; p++) {
        double nb = net_benefit(value, effect[p], cost[p]);
        if (nb > best)
            best = nb;
    }
    return best;
}

void ce_at_value(const double *cost, const double *effect, size_t replications, size_t n_policies,
                 double value, double *probability_best, double *expected_net_benefit, double *evpi)
{
    size_t R = replications, P = n_policies;
    for (size_t p = 0; p < P; p++) {
        probability_best[p] = 0;
        expected_net_benefit[p] = 0;
    }
    /* pass 1: the sums of NB, and who is best in each replication */
    for (size_t r = 0; r < R; r++) {
        const double *c = cost + r * P, *e = effect + r * P;
        double best = best_of(c, e, P, value);
        size_t tied = 0;
        for (size_t p = 0; p < P; p++) {
            double nb = net_benefit(value, e[p], c[p]);
            expected_net_benefit[p] += nb;
            tied += nb == best;
        }
        for (size_t p = 0; p < P; p++)
            if (net_benefit(value, e[p], c[p]) == best)
                probability_best[p] += 1.0 / (double)tied;
    }
    double highest_mean = -INFINITY;
    for (size_t p = 0; p < P; p++) {
        probability_best[p] /= (double)R;
        expected_net_benefit[p] /= (double)R;
        if (expected_net_benefit[p] > highest_mean)
            highest_mean = expected_net_benefit[p];
    }
    /* pass 2: the mean regret of the policy of the highest mean (every
     * policy that ties it; the smallest regret wins) */
    double least = INFINITY;
    for (size_t q = 0; q < P; q++) {
        if (expected_net_benefit[q] != highest_mean)
            continue;
        double regret = 0;
        for (size_t r = 0; r < R; r++) {
            const double *c = cost + r * P, *e = effect + r * P;
            regret += best_of(c, e, P, value) - net_benefit(value, e[q], c[q]);
        }
        if (regret < least)
            least = regret;
    }
    *evpi = isfinite(least) ? least / (double)R : NAN;
}
