/* results: what a run writes and prints: replications.csv, differences.csv,
 * parameters.csv, summary.csv and comparison.csv, ce.csv and ceac.csv, and the
 * short table a person reads on stdout. Reads only the scenario and the run's
 * results. */
#ifndef AVRRSIM_RESULTS_H
#define AVRRSIM_RESULTS_H

#include <stdio.h>

#include "ce.h"
#include "outdir.h"
#include "runner.h"
#include "scenario.h"

/* Writes the CSV files into the output directory's temporary folder.
 * Returns 0, or -1 with a reason (which file, errno text). */
int results_write_csv(const struct scenario *sc, const struct run_results *res,
                      const struct outdir *dir, char *why, size_t why_size);

/* What the cost-effectiveness files were written with. */
struct results_ce {
    double max_value;   /* the highest value per unit of effect in ceac.csv */
    size_t values;      /* values in ceac.csv (CE_VALUES), or 0 when it was not written */
};

/* Writes ce.csv (every policy against the baseline, for the effect) and, with
 * two policies or more, ceac.csv for CE_VALUES values from 0 to max_value
 * (NaN: ce_default_max_value of the run), into the output directory's
 * temporary folder; fills *written. Returns 0, or -1 with a reason. */
int results_write_ce(const struct scenario *sc, const struct run_results *res,
                     const struct ce_effect *effect, double max_value, const struct outdir *dir,
                     struct results_ce *written, char *why, size_t why_size);

/* Prints the table: per policy the mean total cost, its 90% interval and mean
 * departures; per policy against the baseline the mean difference, its 90%
 * interval and the probability that it is cheaper. */
void results_print_table(const struct scenario *sc, const struct run_results *res,
                         const char *output_dir, FILE *out);

/* The symbol for a currency code (₪ for ILS, € for EUR, $ for USD, £ for GBP),
 * else the code itself. */
const char *currency_symbol(const char *code);

/* "-₪ 1,234,567" into buf: a sum in whole units of the currency (an ISO
 * code), with thousands separators, as in the printed tables. */
const char *results_money(double value, const char *currency, char *buf, size_t size);

#endif
