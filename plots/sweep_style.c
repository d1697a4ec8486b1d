/* sweep_style: the pieces the sweep charts share: the header (the run charts'
 * one, then the sweep's file and a note on how each point was computed), axis
 * labels naming the swept keys, axis ranges, break-even values and their
 * labels. */
#include "plots/sweep_chart.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/chart.h"
#include "plots/gnuplot_text.h"
#include "plots/plot_util.h"

static struct chart_input as_run_chart(const struct sweep_chart_input *in)
{
    return (struct chart_input){in->style, NULL, in->name};
}

/* Writes text as a gnuplot string literal with line breaks and tabs as spaces. */
static void write_one_line(FILE *out, const char *text)
{
    char *copy = strdup(text != NULL ? text : "");
    if (copy != NULL)
        for (char *p = copy; *p != '\0'; p++)
            if (*p == '\n' || *p == '\t')
                *p = ' ';
    style_write_text(out, copy != NULL ? copy : text);
    free(copy);
}

void sweep_write_header(FILE *out, const struct sweep_chart_input *in, const char *what)
{
    struct chart_input run = as_run_chart(in);
    style_write_header(out, &run, what);
    fputs("scenario_key = ", out);
    write_one_line(out, in->ctx->scenario_name);
    fputs("   # the name on one line\n", out);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", in->ctx->seed);
    fprintf(out, "# The sweep: sweep.csv copied to %s (one row per grid point and policy).\n"
                 "file = \"%s\"\n"
                 "seed_text = ",
            sweep_data_path(), sweep_data_path());
    style_write_text(out, seed);
    fputs("\ngrid_note = \"Each point: the mean of \" . grouped(R) . \" replications with seed \" . seed_text \\\n"
          "    . \", the same random numbers at every point.\"\n\n", out);
}

void sweep_write_render_begin(FILE *out, const struct sweep_chart_input *in)
{
    struct chart_input run = as_run_chart(in);
    style_write_render_begin(out, &run);
}

void sweep_write_render_end(FILE *out)
{
    style_write_render_end(out);
}

/* The layout both one-key charts share: a key below the plot with a row per
 * one or two entries, then the note on how each point was computed. */
void sweep_write_key_below(FILE *out, size_t entries)
{
    fprintf(out,
            "entries = %zu   # in the key\n"
            "key_spec = font_for(longest_key, 20, 60)   # the plot is narrower than the run charts'\n"
            "key_room = 115\n"
            "key_columns = longest_key <= 40 ? 2 : 1\n"
            "key_rows = (entries + key_columns - 1) / key_columns\n"
            "bottom = 0.17 + key_rows * 0.045   # the key, the tick labels and the axis label\n"
            "set lmargin at screen 0.1\n"
            "set rmargin at screen 0.97\n"
            "set tmargin at screen 0.88\n"
            "set bmargin at screen bottom\n"
            "set key at screen 0.5, screen 0.06 center bottom horizontal maxcols key_columns font key_spec\n"
            "set label 99 grid_note at screen 0.5, screen 0.015 center font \",14\" textcolor rgb \"#505050\"\n",
            entries);
}

void sweep_write_axis_label(FILE *out, const struct sweep_chart_input *in, size_t axis)
{
    const struct sweep_plot_axis *a = &in->ctx->axes[axis];
    const char *unit = a->unit != NULL ? a->unit : "";
    const char *rest = unit;
    const char *symbol = "";
    static const char currency_word[] = "currency";
    size_t word = sizeof currency_word - 1;
    if (strncmp(unit, currency_word, word) == 0 && (unit[word] == '\0' || unit[word] == ' ')) {
        symbol = gp_currency_symbol(in->ctx->currency);
        rest = unit + word;
    }
    size_t size = strlen(a->path) + strlen(symbol) + strlen(rest) + 4;
    char label[1024];
    if (unit[0] == '\0' || size > sizeof label)
        snprintf(label, sizeof label, "%s", a->path);
    else
        snprintf(label, sizeof label, "%s (%s%s)", a->path, symbol, rest);
    style_write_text(out, label);
}

size_t sweep_chart_column(const struct sweep_chart_input *in, const char *column, char *why, size_t why_size)
{
    size_t number = sweep_data_column(in->data, column);
    if (number == 0)
        plot_reason(why, why_size, 0, "chart %s: sweep.csv has no column '%s'", in->name, column);
    return number;
}

void sweep_chart_axis_range(const struct sweep_chart_input *in, size_t axis, double *lo, double *hi)
{
    const struct sweep_plot_axis *a = &in->ctx->axes[axis];
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < a->n_values; i++) {
        double v;
        if (sweep_number(a->values[i], &v) == 0) {
            *lo = fmin(*lo, v);
            *hi = fmax(*hi, v);
        }
    }
}

static int sign_of(double v)
{
    return v > 0 ? 1 : v < 0 ? -1 : 0;
}

size_t sweep_zero_crossings(const double *x, const double *y, size_t n, double *crossings, size_t max)
{
    size_t count = 0;
    size_t last = n;   /* the last point with a non-zero y, none yet */
    for (size_t i = 0; i < n; i++) {
        if (sign_of(y[i]) == 0)
            continue;
        if (last < n && sign_of(y[last]) != sign_of(y[i])) {
            double at;
            if (i == last + 1)
                at = x[last] + (0.0 - y[last]) * (x[i] - x[last]) / (y[i] - y[last]);
            else
                at = x[last + 1 + (i - last - 2) / 2];   /* the middle point of the zeros between */
            if (count < max)
                crossings[count] = at;
            count++;
        }
        last = i;
    }
    return count;
}

void sweep_format_value(double value, char *buffer, size_t size)
{
    if (size == 0)
        return;
    if (!isfinite(value)) {
        snprintf(buffer, size, "%s", isnan(value) ? "NaN" : value > 0 ? "infinity" : "-infinity");
        return;
    }
    double magnitude = fabs(value);
    int decimals = magnitude == 0 ? 0 : 2 - (int)floor(log10(magnitude));
    if (decimals < 0)
        decimals = 0;
    if (decimals > 20)
        decimals = 20;
    char plain[400];
    snprintf(plain, sizeof plain, "%.*f", decimals, magnitude);
    bool negative = value < 0 && strspn(plain, "0.") != strlen(plain);
    /* thousands separators in the whole part */
    size_t whole = strcspn(plain, ".");
    char grouped[600];
    size_t k = 0;
    if (negative)
        grouped[k++] = '-';
    for (size_t i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = plain[i];
    }
    snprintf(grouped + k, sizeof grouped - k, "%s", plain + whole);
    snprintf(buffer, size, "%s", grouped);
}
