/* results: what a run writes and prints: replications.csv, differences.csv,
 * parameters.csv, summary.csv and comparison.csv, and the short table a person reads on
 * stdout. Reads only the scenario and the run's results. */
#ifndef AVRRSIM_RESULTS_H
#define AVRRSIM_RESULTS_H

#include <stdio.h>

#include "outdir.h"
#include "runner.h"
#include "scenario.h"

/* Writes the CSV files into the output directory's temporary folder.
 * Returns 0, or -1 with a reason (which file, errno text). */
int results_write_csv(const struct scenario *sc, const struct run_results *res,
                      const struct outdir *dir, char *why, size_t why_size);

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
