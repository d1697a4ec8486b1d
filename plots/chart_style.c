/* chart_style: the pieces every chart script shares, so that no chart repeats
 * them: the header (how to run the script, the run's names, one colour, dash
 * pattern and point type per policy, fonts, number formats), the render loop
 * over the formats, the month axis and count ticks with thousands separators. */
#include "plots/chart.h"

#include <stdlib.h>
#include <string.h>

#include "plots/gnuplot_text.h"
#include "plots/plot_util.h"

/* Okabe & Ito's palette for colour-blind readers, black first for the baseline. */
static const char *const policy_colors[] = {
    "#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
};

/* Dash patterns, so that the policies differ in grayscale too; with 8 colours
 * and 9 patterns the first 72 policies all look different. */
static const char *const policy_dashes[] = {
    "solid", "(20,10)", "(5,8)", "(24,8,5,8)", "(10,6)", "(24,8,5,8,5,8)", "(2,5)", "(36,10)",
    "(10,6,2,6)",
};

/* Filled point types first, then open ones. */
static const int policy_points[] = {7, 5, 9, 11, 13, 15, 6, 4, 8, 10, 12, 14};

#define COUNT(array) (sizeof (array) / sizeof (array)[0])

/* The three formats look the same: pngcairo draws 1600 x 900 pixels at 96 dpi,
 * that is 1200 x 675 points, which is the SVG's canvas and the PDF's page
 * (16.67 x 9.375 in). Measured with gnuplot 5.4 (the PDF rasterised at 96 dpi):
 * pdfcairo needs fontscale 0.75 and 1.37 times the line width, svg 0.75 times
 * the line width, for text and lines of the PNG's size. 20 points is
 * slide-sized: readable when the chart fills a slide. */
static const char *const terminal_png = "pngcairo size 1600,900 font \"Sans,20\" linewidth 1.5 noenhanced";
static const char *const terminal_svg = "svg size 1200,675 font \"Sans,20\" linewidth 1.125 noenhanced background rgb \"white\"";
static const char *const terminal_pdf = "pdfcairo size 16.6667in,9.375in font \"Sans,20\" fontscale 0.75 linewidth 2.05 noenhanced";

void style_write_text(FILE *out, const char *text)
{
    gp_write_string(out, text);
}

/* Writes text with its line breaks and tabs as spaces, escaped: gnuplot does
 * not make room for a key entry of several lines. */
static void write_one_line(FILE *out, const char *text)
{
    char *copy = strdup(text != NULL ? text : "");
    if (copy == NULL) {   /* out of memory: the name as it is */
        style_write_text(out, text);
        return;
    }
    for (char *p = copy; *p != '\0'; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    style_write_text(out, copy);
    free(copy);
}

size_t chart_find(const char *const *names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (names[i] != NULL && strcmp(names[i], name) == 0)
            return i;
    return count;
}

size_t chart_column(const struct chart_input *in, enum run_file file, const char *column,
                    char *why, size_t why_size)
{
    size_t number = run_data_column(in->data, file, column);
    if (number == 0)
        plot_reason(why, why_size, 0, "chart %s: %s has no column '%s'", in->name,
                    run_data_source(file), column);
    return number;
}

void style_write_header(FILE *out, const struct chart_input *in, const char *what)
{
    const struct plot_context *ctx = in->ctx;
    fprintf(out,
            "# avrrsim chart '%s': %s\n"
            "# Written by avrrsim with the run's results. Run it in the results folder:\n"
            "#     gnuplot plots/%s.gp\n"
            "# It writes plots/%s.png, .svg and .pdf; to choose, for example:\n"
            "#     gnuplot -e 'formats = \"png\"' plots/%s.gp\n"
            "# It reads plots/*.dat, copies of the run's CSV files in which each policy\n"
            "# name is replaced by its position (0: the baseline) and each metric name by\n"
            "# its position, because gnuplot cannot read names that hold quotes, commas or\n"
            "# line breaks. Rows are chosen by position ('every'), never by name.\n"
            "if (!exists(\"formats\")) formats = \"png svg pdf\"\n"
            "set encoding utf8\n\n",
            in->name, what, in->name, in->name, in->name);

    fputs("# The run. Names are written with octal escapes (\\ooo) for every character\n"
          "# but letters, digits and \" ,.:/+_-\", so that no name can run a command.\n"
          "scenario_name = ", out);
    style_write_text(out, ctx->scenario_name);
    fputs("\ncurrency = ", out);
    style_write_text(out, gp_currency_symbol(ctx->currency));
    fprintf(out, "\nP = %zu   # policies; policy 1 is the baseline\n", ctx->n_policies);
    fprintf(out, "R = %zu   # replications\n", ctx->replications);
    fputs("array policy_name[P]\narray policy_color[P]\n"
          "array policy_key[P]   # the name on one line, for keys and tick labels\n", out);
    for (size_t p = 0; p < ctx->n_policies; p++) {
        fprintf(out, "policy_name[%zu] = ", p + 1);
        style_write_text(out, ctx->policy_names[p]);
        fprintf(out, "\npolicy_key[%zu] = ", p + 1);
        write_one_line(out, ctx->policy_names[p]);
        fputc('\n', out);
    }

    fputs("\n# One colour (Okabe-Ito), dash pattern and point type per policy, the same in\n"
          "# every chart: linetype p is policy p.\n", out);
    for (size_t p = 0; p < ctx->n_policies; p++) {
        const char *color = policy_colors[p % COUNT(policy_colors)];
        fprintf(out, "policy_color[%zu] = \"%s\"\n", p + 1, color);
        fprintf(out, "set linetype %zu lc rgb \"%s\" dt %s lw 2 pt %d ps 1.3\n", p + 1, color,
                policy_dashes[p % COUNT(policy_dashes)], policy_points[p % COUNT(policy_points)]);
    }

    fputs("\n# Style: no box, light horizontal grid, the key below the plot.\n"
          "set border 3 lw 1 lc rgb \"#404040\"\n"
          "set tics nomirror out scale 0.6\n"
          "set grid ytics lc rgb \"#dddddd\" lw 1 dt solid\n"
          "set title font \",24\"\n"
          "set key noautotitle below center horizontal reverse Left samplen 3 spacing 1.1 width 2\n"
          "set style fill solid 1.0 noborder\n\n", out);

    fputs("# Numbers: money in the currency's thousands, millions or billions; counts\n"
          "# of people with thousands separators.\n"
          "larger(a, b) = a > b ? a : b\n"
          "smaller(a, b) = a < b ? a : b\n"
          "money_scale(m) = m >= 1e9 ? 1e9 : m >= 1e6 ? 1e6 : m >= 1e3 ? 1e3 : 1.0\n"
          "money_word(m) = m >= 1e9 ? \" billion\" : m >= 1e6 ? \" million\" : m >= 1e3 ? \" thousand\" : \"\"\n"
          "money_unit(m) = currency . money_word(m)\n"
          "nice_step(span) = (ns_raw = (span > 0 ? span : 1) / 5.0, ns_base = 10.0**floor(log10(ns_raw)), \\\n"
          "    ns_f = ns_raw / ns_base, (ns_f < 1.5 ? 1 : ns_f < 3.5 ? 2 : ns_f < 7.5 ? 5 : 10) * ns_base)\n"
          "group3(n) = n < 1000 ? sprintf(\"%d\", n) : group3(n / 1000) . sprintf(\",%03d\", n % 1000)\n"
          "grouped(x) = (x <= -0.5 ? \"-\" : \"\") . group3(int(abs(x) + 0.5))\n\n"
          "# Long text: a title or key gets a smaller font when it would not fit the\n"
          "# width (down to half size), and key_text(s, n) shortens a name that still\n"
          "# would not (gnuplot warns when a key entry is wider than the plot).\n"
          "font_for(chars, size, room) = sprintf(\",%d\", chars <= room ? size \\\n"
          "    : larger(size / 2, int(1.0 * size * room / chars)))\n"
          "fitted_font(s, size, room) = font_for(strlen(s), size, room)\n"
          "key_font(chars) = font_for(chars, 20, 70)\n"
          "key_room = 135   # characters of a key entry at the smallest key font\n"
          "key_text(s, n) = strlen(s) <= n ? s : s[1:n - 3] . \"...\"\n"
          "longest_key = 0\n"
          "do for [p = 1:P] { longest_key = larger(longest_key, strlen(policy_key[p])) }\n\n", out);
}

void style_write_render_begin(FILE *out, const struct chart_input *in)
{
    fprintf(out,
            "# Draw once per format.\n"
            "do for [format in formats] {\n"
            "    if (format eq \"png\") {\n"
            "        set terminal %s\n"
            "    } else { if (format eq \"svg\") {\n"
            "        set terminal %s\n"
            "    } else { if (format eq \"pdf\") {\n"
            "        set terminal %s\n"
            "    } else {\n"
            "        exit error \"formats may hold only the words png, svg and pdf\"\n"
            "    } } }\n"
            "    set output \"plots/%s.\" . format\n",
            terminal_png, terminal_svg, terminal_pdf, in->name);
}

void style_write_render_end(FILE *out)
{
    fputs("    set output\n}\n", out);
}

/* The tick step in months for an axis of `months` months. */
static long month_step(size_t months)
{
    if (months <= 18)
        return 3;
    if (months <= 48)
        return 6;
    if (months <= 120)
        return 12;
    if (months <= 240)
        return 24;
    return 60;
}

void style_write_month_axis(FILE *out, const struct plot_context *ctx)
{
    long months = (long)ctx->months;
    long step = month_step(ctx->months);
    bool calendar = ctx->start_year != 0;
    fprintf(out, "set xrange [0.5:%ld.5]\n", months);
    /* Calendar ticks fall on round months (January, July ...); a short axis
     * without one labels its first month. */
    bool any_round = false;
    for (long m = 1; calendar && m <= months; m++)
        if (((long)ctx->start_year * 12 + (ctx->start_month - 1) + (m - 1)) % step == 0)
            any_round = true;
    fputs("set xtics out nomirror (", out);
    bool first = true;
    for (long m = 1; m <= months; m++) {
        bool labelled;
        if (calendar) {
            long index = (long)ctx->start_year * 12 + (ctx->start_month - 1) + (m - 1);
            labelled = index % step == 0 || (m == 1 && !any_round);
        } else {
            labelled = m == 1 || m % step == 0;
        }
        if (!labelled)
            continue;
        char label[32];
        if (calendar)
            gp_month_label(ctx->start_year, ctx->start_month, m - 1, label, sizeof label);
        else
            snprintf(label, sizeof label, "%ld", m);
        fputs(first ? "" : ", ", out);
        style_write_text(out, label);
        fprintf(out, " %ld", m);
        first = false;
    }
    fputs(")\n", out);
    if (months <= 120) {
        fprintf(out, "set for [m = 1:%ld] xtics add (\"\" m 1)   # a small tick each month\n", months);
    } else {   /* a small tick each year: at each January, or every 12th month */
        long january = 12;
        if (calendar)
            january = 1 + (12 - ((long)ctx->start_year * 12 + (ctx->start_month - 1)) % 12) % 12;
        fprintf(out, "set for [m = %ld:%ld:12] xtics add (\"\" m 1)   # a small tick each year\n", january, months);
    }
    fprintf(out, "month_label = \"%s\"\nset xlabel month_label\n", calendar ? "month" : "month of the scenario");
}

void style_write_count_tics(FILE *out, const char *axis, const char *lo, const char *hi, int intervals)
{
    fprintf(out,
            "tic_step = larger(1, nice_step(((%s) - (%s)) * 5.0 / %d))\n"
            "set %stics out nomirror (grouped(0) 0)\n"
            "set for [tic_i = ceil((%s) / tic_step) : floor((%s) / tic_step)] %stics add (grouped(tic_i * tic_step) tic_i * tic_step)\n",
            hi, lo, intervals, axis, lo, hi, axis);
}

int style_write_timeseries_columns(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    static const char *const columns[] = {"month", "mean", "p05", "p95"};
    size_t numbers[4];
    for (size_t i = 0; i < 4; i++) {
        numbers[i] = chart_column(in, RUN_TIMESERIES, columns[i], why, why_size);
        if (numbers[i] == 0)
            return -1;
    }
    fprintf(out,
            "file = \"%s\"\n"
            "month = %zu\nmean = %zu\np05 = %zu\np95 = %zu   # columns\n"
            "M = %zu   # metrics per month and policy: policy p's metric k (from 0) in month m\n"
            "        # is row ((m - 1) * P + p - 1) * M + k\n",
            run_data_path(RUN_TIMESERIES), numbers[0], numbers[1], numbers[2], numbers[3],
            in->ctx->n_timeseries_metrics);
    return 0;
}

int style_write_timeseries_metric(FILE *out, const struct chart_input *in, const char *metric,
                                  const char *variable, char *why, size_t why_size)
{
    const struct plot_context *ctx = in->ctx;
    size_t k = chart_find(ctx->timeseries_metrics, ctx->n_timeseries_metrics, metric);
    if (k == ctx->n_timeseries_metrics) {
        plot_reason(why, why_size, 0, "chart %s: timeseries.csv has no metric %s", in->name, metric);
        return -1;
    }
    fprintf(out, "%s = %zu   # the metric %s\n", variable, k, metric);
    return 0;
}
