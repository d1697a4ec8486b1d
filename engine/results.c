/* results: the CSV files of a run and its stdout table (see results.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/csv.h"
#include "engine/results.h"
#include "engine/stats.h"

static double metric_at(const struct run_results *res, size_t r, size_t p, size_t m)
{
    return res->metrics[(r * res->n_policies + p) * res->n_metrics + m];
}

static int decimals_for(enum metric_format format)
{
    return format == METRIC_COUNT ? 0 : 2;
}

/* Opens DIR/name; on failure fills why. */
static csv_writer *open_csv(const struct outdir *dir, const char *name, char *why, size_t why_size)
{
    char *path = outdir_file(dir, name);
    csv_writer *w = path ? csv_open(path) : NULL;
    if (!w)
        snprintf(why, why_size, "cannot write %s: %s", name, path ? strerror(errno) : "out of memory");
    free(path);
    return w;
}

static int close_csv(csv_writer *w, const char *name, char *why, size_t why_size)
{
    if (csv_close(w) != 0) {
        snprintf(why, why_size, "cannot write %s: %s", name, strerror(errno));
        return -1;
    }
    return 0;
}

static int write_replications(const struct scenario *sc, const struct run_results *res,
                              const struct outdir *dir, char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    csv_writer *w = open_csv(dir, "replications.csv", why, why_size);
    if (!w)
        return -1;
    const char *names[2 + 64];
    size_t n = 0;
    names[n++] = "replication";
    names[n++] = "policy";
    for (size_t m = 0; m < model->n_metrics && n < 66; m++)
        names[n++] = model->metrics[m].name;
    csv_header(w, names, n);
    for (size_t r = 0; r < res->replications; r++)
        for (size_t p = 0; p < res->n_policies; p++) {
            csv_int(w, (long long)r + 1);
            csv_text(w, sc->policies[p].name);
            for (size_t m = 0; m < model->n_metrics; m++)
                csv_fixed(w, metric_at(res, r, p, m), decimals_for(model->metrics[m].format));
            csv_end_row(w);
        }
    return close_csv(w, "replications.csv", why, why_size);
}

static int write_parameters(const struct scenario *sc, const struct run_results *res,
                            const struct outdir *dir, char *why, size_t why_size)
{
    if (sc->n_uncertain == 0)
        return 0;
    csv_writer *w = open_csv(dir, "parameters.csv", why, why_size);
    if (!w)
        return -1;
    const char **names = malloc((sc->n_uncertain + 1) * sizeof *names);
    if (!names) {
        csv_close(w);
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    names[0] = "replication";
    for (size_t k = 0; k < sc->n_uncertain; k++)
        names[k + 1] = sc->uncertain[k].path;
    csv_header(w, names, sc->n_uncertain + 1);
    free(names);
    for (size_t r = 0; r < res->replications; r++) {
        csv_int(w, (long long)r + 1);
        for (size_t k = 0; k < sc->n_uncertain; k++)
            csv_fixed(w, res->uncertain[r * res->n_uncertain + k], 6);
        csv_end_row(w);
    }
    return close_csv(w, "parameters.csv", why, why_size);
}

static void write_summary_row(csv_writer *w, const struct sample_summary *s, int decimals)
{
    csv_fixed(w, s->mean, decimals);
    csv_fixed(w, s->sd, decimals);
    csv_fixed(w, s->se, decimals);
    csv_fixed(w, s->p05, decimals);
    csv_fixed(w, s->p50, decimals);
    csv_fixed(w, s->p95, decimals);
}

static int write_summaries(const struct scenario *sc, const struct run_results *res,
                           const struct outdir *dir, char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    double *values = malloc(res->replications * sizeof *values);
    if (!values) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    csv_writer *summary = open_csv(dir, "summary.csv", why, why_size);
    csv_writer *comparison = summary ? open_csv(dir, "comparison.csv", why, why_size) : NULL;
    if (!summary || !comparison) {
        csv_close(summary);
        free(values);
        return -1;
    }
    static const char *const summary_names[] = {"policy", "metric", "mean", "sd", "se",
                                                "p05", "p50", "p95"};
    static const char *const comparison_names[] = {"policy", "baseline", "metric", "mean", "sd",
                                                   "se", "p05", "p50", "p95", "prob_less"};
    csv_header(summary, summary_names, 8);
    csv_header(comparison, comparison_names, 10);
    for (size_t p = 0; p < res->n_policies; p++)
        for (size_t m = 0; m < model->n_metrics; m++) {
            /* summary statistics use 4 decimals for counts and days, cents for money */
            int decimals = model->metrics[m].format == METRIC_MONEY ? 2 : 4;
            struct sample_summary s;
            for (size_t r = 0; r < res->replications; r++)
                values[r] = metric_at(res, r, p, m);
            stats_summarize(values, res->replications, &s);
            csv_text(summary, sc->policies[p].name);
            csv_text(summary, model->metrics[m].name);
            write_summary_row(summary, &s, decimals);
            csv_end_row(summary);
            if (p == 0)
                continue;
            for (size_t r = 0; r < res->replications; r++)
                values[r] = metric_at(res, r, p, m) - metric_at(res, r, 0, m);
            double prob_less = stats_share_negative(values, res->replications);
            stats_summarize(values, res->replications, &s);
            csv_text(comparison, sc->policies[p].name);
            csv_text(comparison, sc->policies[0].name);
            csv_text(comparison, model->metrics[m].name);
            write_summary_row(comparison, &s, decimals);
            csv_fixed(comparison, prob_less, 4);
            csv_end_row(comparison);
        }
    free(values);
    int a = close_csv(summary, "summary.csv", why, why_size);
    int b = close_csv(comparison, "comparison.csv", why, why_size);
    return a == 0 && b == 0 ? 0 : -1;
}

/* differences.csv: per replication and policy after the first, every metric
 * minus the baseline's in the same replication (the data behind
 * comparison.csv and the savings and cost-effectiveness charts). */
static int write_differences(const struct scenario *sc, const struct run_results *res,
                             const struct outdir *dir, char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    csv_writer *w = open_csv(dir, "differences.csv", why, why_size);
    if (!w)
        return -1;
    const char *names[3 + 64];
    size_t n = 0;
    names[n++] = "replication";
    names[n++] = "policy";
    names[n++] = "baseline";
    for (size_t m = 0; m < model->n_metrics && n < 67; m++)
        names[n++] = model->metrics[m].name;
    csv_header(w, names, n);
    for (size_t r = 0; r < res->replications; r++)
        for (size_t p = 1; p < res->n_policies; p++) {
            csv_int(w, (long long)r + 1);
            csv_text(w, sc->policies[p].name);
            csv_text(w, sc->policies[0].name);
            for (size_t m = 0; m < model->n_metrics; m++)
                csv_fixed(w, metric_at(res, r, p, m) - metric_at(res, r, 0, m),
                          decimals_for(model->metrics[m].format));
            csv_end_row(w);
        }
    return close_csv(w, "differences.csv", why, why_size);
}

/* timeseries.csv: long format, one row per month, policy and series metric. */
static int write_timeseries(const struct scenario *sc, const struct run_results *res,
                            const struct outdir *dir, int start_month, char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    if (!res->series)
        return 0;
    csv_writer *w = open_csv(dir, "timeseries.csv", why, why_size);
    if (!w)
        return -1;
    static const char *const with_date[] = {"month", "date", "policy", "metric", "mean", "p05", "p50", "p95"};
    static const char *const without_date[] = {"month", "policy", "metric", "mean", "p05", "p50", "p95"};
    if (start_month >= 0)
        csv_header(w, with_date, 8);
    else
        csv_header(w, without_date, 7);
    size_t months = series_reducer_months(res->series);
    for (size_t month = 0; month < months; month++)
        for (size_t p = 0; p < res->n_policies; p++)
            for (size_t m = 0; m < model->n_series_metrics; m++) {
                struct series_cell cell;
                series_reducer_get(res->series, month, p, m, &cell);
                int decimals = model->series_metrics[m].format == METRIC_MONEY ? 2 : 4;
                csv_int(w, (long long)month + 1);
                if (start_month >= 0) {
                    int calendar = start_month + (int)month;
                    char date[16];
                    snprintf(date, sizeof date, "%04d-%02d", calendar / 12, calendar % 12 + 1);
                    csv_text(w, date);
                }
                csv_text(w, sc->policies[p].name);
                csv_text(w, model->series_metrics[m].name);
                csv_fixed(w, cell.mean, decimals);
                csv_fixed(w, cell.p05, decimals);
                csv_fixed(w, cell.p50, decimals);
                csv_fixed(w, cell.p95, decimals);
                csv_end_row(w);
            }
    return close_csv(w, "timeseries.csv", why, why_size);
}

int results_write_csv(const struct scenario *sc, const struct run_results *res,
                      const struct outdir *dir, char *why, size_t why_size)
{
    int start_month = scenario_start_month(sc);
    if (write_timeseries(sc, res, dir, start_month, why, why_size) != 0)
        return -1;
    if (write_replications(sc, res, dir, why, why_size) != 0 ||
        write_differences(sc, res, dir, why, why_size) != 0 ||
        write_parameters(sc, res, dir, why, why_size) != 0 ||
        write_summaries(sc, res, dir, why, why_size) != 0)
        return -1;
    return 0;
}

/* ---------- cost-effectiveness: ce.csv and ceac.csv ---------- */

/* Decimals that show every value of the axis as it is (2 at least, at most
 * 10): those of its step, max_value / (CE_VALUES - 1). */
static int value_decimals(double max_value)
{
    double step = ce_value_at(max_value, 1);
    int decimals = 2;
    double scaled = step * 100;
    while (decimals < 10 && fabs(scaled - nearbyint(scaled)) > 1e-9 * fabs(scaled)) {
        decimals++;
        scaled *= 10;
    }
    return decimals;
}

static int write_ce_table(const struct scenario *sc, const struct ce_effect *effect,
                          const struct ce_row *rows, size_t n_policies, const struct outdir *dir,
                          char *why, size_t why_size)
{
    csv_writer *w = open_csv(dir, "ce.csv", why, why_size);
    if (!w)
        return -1;
    static const char *const names[] = {"policy", "effect", "cost_mean", "effect_mean",
                                        "incremental_cost", "incremental_effect", "icer", "status"};
    csv_header(w, names, sizeof names / sizeof names[0]);
    int effect_decimals = effect->money ? 2 : 4;
    for (size_t p = 0; p < n_policies; p++) {
        const struct ce_row *row = &rows[p];
        csv_text(w, sc->policies[p].name);
        csv_text(w, effect->name);
        csv_fixed(w, row->cost_mean, 2);
        csv_fixed(w, row->effect_mean, effect_decimals);
        csv_fixed(w, row->incremental_cost, 2);
        csv_fixed(w, row->incremental_effect, effect_decimals);
        if (row->status == CE_TRADE_OFF)
            csv_fixed(w, row->icer, 2);
        else
            csv_empty(w);
        csv_text(w, ce_status_name(row->status));
        csv_end_row(w);
    }
    return close_csv(w, "ce.csv", why, why_size);
}

static int write_ceac(const struct scenario *sc, const double *cost, const double *effect,
                      size_t replications, size_t n_policies, double max_value,
                      const struct outdir *dir, char *why, size_t why_size)
{
    double *probability = malloc(2 * n_policies * sizeof *probability);
    csv_writer *w = probability ? open_csv(dir, "ceac.csv", why, why_size) : NULL;
    if (!w) {
        if (!probability)
            snprintf(why, why_size, "out of memory");
        free(probability);
        return -1;
    }
    double *expected = probability + n_policies;
    static const char *const names[] = {"value", "policy", "probability_best",
                                        "expected_net_benefit", "evpi"};
    csv_header(w, names, sizeof names / sizeof names[0]);
    int decimals = value_decimals(max_value);
    for (size_t i = 0; i < CE_VALUES; i++) {
        double value = ce_value_at(max_value, i), evpi;
        ce_at_value(cost, effect, replications, n_policies, value, probability, expected, &evpi);
        for (size_t p = 0; p < n_policies; p++) {
            csv_fixed(w, value, decimals);
            csv_text(w, sc->policies[p].name);
            csv_fixed(w, probability[p], 4);
            csv_fixed(w, expected[p], 2);
            csv_fixed(w, evpi, 2);
            csv_end_row(w);
        }
    }
    free(probability);
    return close_csv(w, "ceac.csv", why, why_size);
}

int results_write_ce(const struct scenario *sc, const struct run_results *res,
                     const struct ce_effect *effect, double max_value, const struct outdir *dir,
                     struct results_ce *written, char *why, size_t why_size)
{
    size_t R = res->replications, P = res->n_policies, M = res->n_metrics;
    size_t total = sc->model->headline.total_cost;
    double *cost = malloc(R * P * sizeof *cost);
    double *effect_values = malloc(R * P * sizeof *effect_values);
    struct ce_row *rows = malloc(P * sizeof *rows);
    int result = -1;
    written->values = 0;
    written->max_value = NAN;
    if (!cost || !effect_values || !rows) {
        snprintf(why, why_size, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < R * P; i++) {
        cost[i] = res->metrics[i * M + total];
        effect_values[i] = ce_effect_value(effect, res->metrics + i * M);
    }
    if (ce_compare(cost, effect_values, R, P, rows) != 0) {
        snprintf(why, why_size, "out of memory");
        goto done;
    }
    if (write_ce_table(sc, effect, rows, P, dir, why, why_size) != 0)
        goto done;
    if (P >= 2) {
        if (isnan(max_value))
            max_value = ce_default_max_value(rows, P);
        if (write_ceac(sc, cost, effect_values, R, P, max_value, dir, why, why_size) != 0)
            goto done;
        written->values = CE_VALUES;
        written->max_value = max_value;
    }
    result = 0;
done:
    free(cost);
    free(effect_values);
    free(rows);
    return result;
}

/* ---------- the stdout table ---------- */

const char *currency_symbol(const char *code)
{
    static const char *const symbols[][2] = {
        {"ILS", "₪"}, {"EUR", "€"}, {"USD", "$"}, {"GBP", "£"}};
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++)
        if (code && strcmp(code, symbols[i][0]) == 0)
            return symbols[i][1];
    return code ? code : "";
}

/* "-₪ 1,234,567" into buf: whole currency units with thousands separators. */
static const char *format_money(double value, const char *symbol, char *buf, size_t size)
{
    char digits[128];
    double rounded = nearbyint(fabs(value));
    snprintf(digits, sizeof digits, "%.0f", rounded);
    char grouped[160];
    size_t n = strlen(digits), j = 0;
    for (size_t i = 0; i < n && j + 2 < sizeof grouped; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[j++] = ',';
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    snprintf(buf, size, "%s%s %s", value < 0 && rounded > 0 ? "-" : "", symbol, grouped);
    return buf;
}

static const char *format_count(double value, char *buf, size_t size)
{
    char money[192];
    format_money(value, "", money, sizeof money);
    /* format_money puts "symbol space": drop the space left by the empty symbol */
    const char *digits = money;
    if (digits[0] == '-') {
        snprintf(buf, size, "-%s", digits + 2);
        return buf;
    }
    snprintf(buf, size, "%s", digits + 1);
    return buf;
}

/* Display width of UTF-8 text (code points; good enough for names). */
static size_t text_width(const char *text)
{
    size_t width = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p & 0xC0) != 0x80)
            width++;
    return width;
}

static void print_padded(FILE *out, const char *text, size_t width)
{
    fputs(text, out);
    for (size_t w = text_width(text); w < width; w++)
        fputc(' ', out);
}

/* Two spaces, then text right-aligned in width columns. */
static void print_right(FILE *out, const char *text, size_t width)
{
    fputs("  ", out);
    for (size_t w = text_width(text); w < width; w++)
        fputc(' ', out);
    fputs(text, out);
}

enum { MONEY_WIDTH = 18, INTERVAL_WIDTH = 34, LAST_WIDTH = 12 };

/* A name for the table: control characters shown as '?'. */
static void printable_name(const char *name, char *buf, size_t size)
{
    size_t j = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && j + 1 < size; p++)
        buf[j++] = *p < 0x20 || *p == 0x7f ? '?' : (char)*p;
    buf[j] = '\0';
}

/* The model's effect (a sum of metrics) in replication r for policy p. */
static double effect_at(const struct model_interface *model, const struct run_results *res,
                        size_t r, size_t p)
{
    double sum = 0;
    for (size_t i = 0; i < model->headline.n_effect_metrics; i++)
        sum += metric_at(res, r, p, model->headline.effect_metrics[i]);
    return sum;
}

void results_print_table(const struct scenario *sc, const struct run_results *res,
                         const char *output_dir, FILE *out)
{
    const struct model_interface *model = sc->model;
    const char *symbol = currency_symbol(sc->currency);
    const struct model_headline *h = &model->headline;
    size_t total = h->total_cost;
    double *values = malloc(res->replications * sizeof *values);
    if (!values)
        goto done;

    size_t width = 8;
    char names[64][128];
    for (size_t p = 0; p < res->n_policies && p < 64; p++) {
        printable_name(sc->policies[p].name, names[p], sizeof names[p]);
        if (text_width(names[p]) > width)
            width = text_width(names[p]);
    }
    if (width > 40)
        width = 40;

    char name[128];
    printable_name(sc->name, name, sizeof name);
    char count[192];
    fprintf(out, "%s: %s replications, seed %llu; results in %s/\n\n", name,
            format_count((double)res->replications, count, sizeof count),
            (unsigned long long)sc->seed, output_dir);
    print_padded(out, "policy", width);
    print_right(out, "total cost, mean", MONEY_WIDTH);
    print_right(out, "90% interval", INTERVAL_WIDTH);
    print_right(out, h->effect_name, LAST_WIDTH);
    fputc('\n', out);
    for (size_t p = 0; p < res->n_policies && p < 64; p++) {
        struct sample_summary s, departures;
        for (size_t r = 0; r < res->replications; r++)
            values[r] = metric_at(res, r, p, total);
        stats_summarize(values, res->replications, &s);
        for (size_t r = 0; r < res->replications; r++)
            values[r] = effect_at(model, res, r, p);
        stats_summarize(values, res->replications, &departures);
        char mean[192], lo[192], hi[192], interval[400], dep[192];
        format_money(s.mean, symbol, mean, sizeof mean);
        snprintf(interval, sizeof interval, "%s to %s", format_money(s.p05, symbol, lo, sizeof lo),
                 format_money(s.p95, symbol, hi, sizeof hi));
        print_padded(out, names[p], width);
        print_right(out, mean, MONEY_WIDTH);
        print_right(out, interval, INTERVAL_WIDTH);
        print_right(out, format_count(departures.mean, dep, sizeof dep), LAST_WIDTH);
        fputc('\n', out);
    }
    {
        fputc('\n', out);
        print_padded(out, "policy", width);
        print_right(out, "discounted, mean", MONEY_WIDTH);
        print_right(out, "90% interval", INTERVAL_WIDTH);
        for (size_t c = 0; c < h->n_counts; c++)
            print_right(out, model->metrics[h->counts[c]].label, LAST_WIDTH + 2);
        fputc('\n', out);
        for (size_t p = 0; p < res->n_policies && p < 64; p++) {
            struct sample_summary s;
            for (size_t r = 0; r < res->replications; r++)
                values[r] = metric_at(res, r, p, h->discounted_cost);
            stats_summarize(values, res->replications, &s);
            char mean[192], lo[192], hi[192], interval[400];
            format_money(s.mean, symbol, mean, sizeof mean);
            snprintf(interval, sizeof interval, "%s to %s", format_money(s.p05, symbol, lo, sizeof lo),
                     format_money(s.p95, symbol, hi, sizeof hi));
            print_padded(out, names[p], width);
            print_right(out, mean, MONEY_WIDTH);
            print_right(out, interval, INTERVAL_WIDTH);
            for (size_t c = 0; c < h->n_counts; c++) {
                struct sample_summary tally;
                char text[192];
                for (size_t r = 0; r < res->replications; r++)
                    values[r] = metric_at(res, r, p, h->counts[c]);
                stats_summarize(values, res->replications, &tally);
                print_right(out, format_count(tally.mean, text, sizeof text), LAST_WIDTH + 2);
            }
            fputc('\n', out);
        }
    }
    if (res->n_policies > 1) {
        fprintf(out, "\nagainst the baseline, %s (policy minus baseline):\n", names[0]);
        print_padded(out, "policy", width);
        print_right(out, "difference, mean", MONEY_WIDTH);
        print_right(out, "90% interval", INTERVAL_WIDTH);
        print_right(out, "P(cheaper)", LAST_WIDTH);
        fputc('\n', out);
        for (size_t p = 1; p < res->n_policies && p < 64; p++) {
            struct sample_summary s;
            for (size_t r = 0; r < res->replications; r++)
                values[r] = metric_at(res, r, p, total) - metric_at(res, r, 0, total);
            double cheaper = stats_share_negative(values, res->replications);
            stats_summarize(values, res->replications, &s);
            char mean[192], lo[192], hi[192], interval[400];
            format_money(s.mean, symbol, mean, sizeof mean);
            snprintf(interval, sizeof interval, "%s to %s",
                     format_money(s.p05, symbol, lo, sizeof lo), format_money(s.p95, symbol, hi, sizeof hi));
            char probability[32];
            snprintf(probability, sizeof probability, "%.3f", cheaper);
            print_padded(out, names[p], width);
            print_right(out, mean, MONEY_WIDTH);
            print_right(out, interval, INTERVAL_WIDTH);
            print_right(out, probability, LAST_WIDTH);
            fputc('\n', out);
        }
    }
done:
    free(values);
}

const char *results_money(double value, const char *currency, char *buf, size_t size)
{
    return format_money(value, currency_symbol(currency), buf, size);
}
