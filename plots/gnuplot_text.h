/* gnuplot_text: user text written into gnuplot scripts so that it can never run
 * a command and still prints as written, and the few words the charts compose
 * (currency symbols, calendar months). The reasoning is in gnuplot_text.c. */
#ifndef AVRRSIM_PLOTS_GNUPLOT_TEXT_H
#define AVRRSIM_PLOTS_GNUPLOT_TEXT_H

#include <stdio.h>

/* Writes text as a gnuplot double-quoted string literal: the quotes, the bytes
 * [A-Za-z0-9 ,.:/+_-] as they are, every other byte as an octal escape \ooo
 * (a digit right after an escape is escaped too); invalid UTF-8 and control
 * characters other than line feed and tab become U+FFFD. NULL is written as "".
 * Errors show in ferror(out). */
void gp_write_string(FILE *out, const char *text);

/* The symbol of an ISO 4217 code: ₪ for ILS, € EUR, $ USD, £ GBP; else the code
 * itself ("" for NULL). Never NULL. */
const char *gp_currency_symbol(const char *code);

/* "Jul 2011": the calendar month `offset` months after year-month (month 1-12),
 * into buffer. Returns buffer. */
char *gp_month_label(int year, int month, long offset, char *buffer, size_t size);

#endif
