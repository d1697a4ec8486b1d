/* ce: cost-effectiveness of policies against the baseline, the way health
 * economists read a probabilistic sensitivity analysis: per replication r and
 * policy p a cost C[r][p] and an effect E[r][p] (more is better), laid out
 * [r * n_policies + p], policy 0 the baseline. The comparison table (mean
 * incremental cost and effect, ICER, dominance), and at a value λ per unit of
 * effect the net benefit NB = λ E - C: the probability that each policy has
 * the highest (the acceptability curve) and the expected value of perfect
 * information. Pure: no files, no printing; the effect is named through the
 * model's metric table only (engine/model.h). */
#ifndef AVRRSIM_CE_H
#define AVRRSIM_CE_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* ---------- the effect ---------- */

enum { CE_EFFECT_MAX_METRICS = 8, CE_EFFECT_NAME_SIZE = 80 };

/* What counts as the effect: a sum of metrics, its sign turned when fewer is
 * better ("-detention_days"). */
struct ce_effect {
    char name[CE_EFFECT_NAME_SIZE];   /* as ce.csv writes it: "departures", "-detention_days" */
    size_t metrics[CE_EFFECT_MAX_METRICS];
    size_t n_metrics;
    bool negated;
    bool money;                       /* every metric is money (CSV decimals: cents) */
};

/* The model's headline effect (model->headline: "departures"). */
void ce_effect_headline(const struct model_interface *model, struct ce_effect *out);

/* The effect named by text: a metric of the model, or the headline effect's
 * name, with an optional leading '-' that turns its sign. 0, or -1 with a
 * reason naming the valid metrics (and the nearest one, when text looks like
 * a typo of it). */
int ce_effect_parse(const struct model_interface *model, const char *text, struct ce_effect *out,
                    char *why, size_t why_size);

/* The effect of one replication and policy: metrics[m] is metric m. */
double ce_effect_value(const struct ce_effect *effect, const double *metrics);

/* ---------- against the baseline ---------- */

enum ce_status {
    CE_BASELINE,     /* policy 0 itself */
    CE_EQUIVALENT,   /* both mean differences exactly 0 */
    CE_DOMINANT,     /* at most as costly and at least as effective, not both equal */
    CE_DOMINATED,    /* at least as costly and at most as effective, not both equal */
    CE_TRADE_OFF     /* dearer and more effective, or cheaper and less effective */
};

/* "baseline", "equivalent", "dominant", "dominated", "trade-off". */
const char *ce_status_name(enum ce_status status);

/* The status of a policy whose mean differences with the baseline are
 * incremental_cost and incremental_effect. */
enum ce_status ce_classify(double incremental_cost, double incremental_effect);

struct ce_row {
    double cost_mean, effect_mean;
    double incremental_cost;     /* mean over replications of C[r][p] - C[r][0] (0 for the baseline) */
    double incremental_effect;   /* mean over replications of E[r][p] - E[r][0] */
    double icer;                 /* incremental_cost / incremental_effect for a trade-off, else NaN:
                                    extra cost per extra unit of effect, or, cheaper and less
                                    effective, the saving per unit of effect forgone */
    enum ce_status status;
};

/* Fills rows[0 .. n_policies) (replications >= 1, n_policies >= 1). 0, or -1
 * when out of memory (rows untouched). */
int ce_compare(const double *cost, const double *effect, size_t replications, size_t n_policies,
               struct ce_row *rows);

/* ---------- at a value per unit of effect ---------- */

#define CE_DEFAULT_MAX_VALUE 100000.0
enum { CE_VALUES = 101 };   /* 0, V/100, ..., V */

/* The smallest 1, 2 or 5 × 10^k at least x (x > 0 and finite); NaN otherwise. */
double ce_round_up(double x);

/* The largest value λ at which the policy of the highest mean net benefit
 * changes (the last ICER along the cost-effectiveness frontier of the mean
 * costs and effects); 0 when one policy is best at every λ >= 0. Policies
 * that are never best on average, even if a trade-off against the
 * baseline, do not count. */
double ce_last_switch(const struct ce_row *rows, size_t n_policies);

/* The top of the value axis when none is given: 2 × ce_last_switch, rounded
 * up by ce_round_up; CE_DEFAULT_MAX_VALUE when the best policy never changes
 * (or that would not be finite). */
double ce_default_max_value(const struct ce_row *rows, size_t n_policies);

/* Value i of CE_VALUES from 0 to max_value: max_value × i / (CE_VALUES - 1). */
double ce_value_at(double max_value, size_t i);

/* At value λ, with NB[r][p] = λ E[r][p] - C[r][p]:
 *   probability_best[p]: the share of replications in which p has the highest
 *       NB, a tie shared equally among the tied policies (they sum to 1);
 *   expected_net_benefit[p]: the mean of NB[.][p];
 *   *evpi: the expected value of perfect information, mean over r of
 *       max_p NB[r][p] minus max_p of the means, computed as the mean over r
 *       of max_p NB[r][p] - NB[r][p*], p* the policy of the highest mean (the
 *       smallest result when several tie): never negative, and exactly 0 when
 *       one policy has the highest NB in every replication.
 * The output arrays hold n_policies values. No allocation. */
void ce_at_value(const double *cost, const double *effect, size_t replications, size_t n_policies,
                 double value, double *probability_best, double *expected_net_benefit, double *evpi);

#endif
