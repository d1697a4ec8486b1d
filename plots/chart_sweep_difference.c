/* chart_sweep_difference: a sweep over one key: each policy's total cost minus
 * the baseline's against the key (sweep.csv, difference_mean, _p05, _p95): the
 * mean as a line, its 90% band, the zero line, and where the mean crosses zero
 * the break-even value (linear interpolation between grid points), marked on
 * the zero line, labelled, and named in the key. */
#include "plots/sweep_chart.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "plots/chart.h"
#include "plots/plot_util.h"

enum { MAX_MARKED = 6 };   /* break-even values marked per policy */

/* Writes break_even[a] (the key's words on policy a + 1's crossings) and a
 * label with a point on the zero line for each crossing. */
static int write_break_evens(FILE *out, const struct sweep_chart_input *in, size_t x_column,
                             size_t mean_column, char *why, size_t why_size)
{
    const struct sweep_data *data = in->data;
    size_t P = in->ctx->n_policies, points = data->rows / P;
    double *x = malloc(points * sizeof *x), *y = malloc(points * sizeof *y);
    if (x == NULL || y == NULL) {
        free(x);
        free(y);
        plot_reason(why, why_size, 0, "chart %s: out of memory", in->name);
        return -1;
    }
    fputs("# Break-even: where the mean difference crosses zero, by linear interpolation\n"
          "# between grid points (computed by avrrsim from the same numbers).\n"
          "array break_even[A]\n", out);
    int label = 10;
    for (size_t a = 1; a < P; a++) {
        bool any_above = false, any_below = false;
        for (size_t i = 0; i < points; i++) {
            x[i] = sweep_data_cell(data, i * P + a, x_column);
            y[i] = sweep_data_cell(data, i * P + a, mean_column);
            any_above |= y[i] > 0;
            any_below |= y[i] < 0;
        }
        double at[MAX_MARKED];
        size_t n = sweep_zero_crossings(x, y, points, at, MAX_MARKED);
        char words[256] = "";
        if (n == 0) {
            snprintf(words, sizeof words, "%s", any_above ? "costs more throughout"
                                                : any_below ? "saves money throughout"
                                                            : "the same cost throughout");
        } else {
            size_t used = (size_t)snprintf(words, sizeof words, "break-even at ");
            for (size_t k = 0; k < n && k < MAX_MARKED && used < sizeof words; k++) {
                char value[64];
                sweep_format_value(at[k], value, sizeof value);
                used += (size_t)snprintf(words + used, sizeof words - used, "%s%s",
                                         k == 0 ? "" : k + 1 == n ? " and " : ", ", value);
            }
            if (n > MAX_MARKED && used < sizeof words)
                snprintf(words + used, sizeof words - used, " ...");
        }
        fprintf(out, "break_even[%zu] = ", a);
        style_write_text(out, words);
        fputc('\n', out);
        for (size_t k = 0; k < n && k < MAX_MARKED; k++) {
            char value[64];
            sweep_format_value(at[k], value, sizeof value);
            fprintf(out, "set label %d ", label++);
            style_write_text(out, value);
            /* above and below the line in turn, so that close values stay apart */
            fprintf(out, " at %.17g, first 0 center front boxed point pt 7 ps 2.2 lc rgb policy_color[%zu] "
                         "offset 0, char %s font \",18\"\n", at[k], a + 1, (a + k) % 2 == 1 ? "1.3" : "-1.3");
        }
    }
    fputc('\n', out);
    free(x);
    free(y);
    return 0;
}

int chart_write_sweep_difference(FILE *out, const struct sweep_chart_input *in, char *why, size_t why_size)
{
    size_t mean = sweep_chart_column(in, "difference_mean", why, why_size);
    size_t p05 = mean != 0 ? sweep_chart_column(in, "difference_p05", why, why_size) : 0;
    size_t p95 = p05 != 0 ? sweep_chart_column(in, "difference_p95", why, why_size) : 0;
    if (p95 == 0)
        return -1;
    double lo, hi;
    sweep_chart_axis_range(in, in->x_axis, &lo, &hi);
    sweep_write_header(out, in, "each policy's total cost minus the baseline's against the swept key, "
                                "with the break-even values");
    fprintf(out,
            "x = %zu   # the column of the swept key\n"
            "mean = %zu\np05 = %zu\np95 = %zu   # the columns difference_mean, _p05, _p95 (policy minus baseline)\n"
            "A = P - 1   # policies compared with the baseline: policy a + 1 is every P-th row from row a\n"
            "stats file using p05 nooutput name \"low\"\n"
            "stats file using p95 nooutput name \"high\"\n"
            "money_max = larger(abs(low_min), abs(high_max))\n"
            "money_max = money_max > 0 ? money_max : 1\n"
            "scale = money_scale(money_max)\n"
            "unit = money_unit(money_max)\n"
            "# zero is always in sight, with room for the labels beside it\n"
            "y_lo = smaller(0, low_min / scale)\n"
            "y_hi = larger(0, high_max / scale)\n"
            "y_pad = (y_hi - y_lo) * 0.12\n"
            "set yrange [y_lo - y_pad : y_hi + y_pad]\n"
            "set xrange [%.17g : %.17g]\n"
            "set offsets graph 0.02, graph 0.02, 0, 0\n"
            "x_label = ",
            in->x_axis + 1, mean, p05, p95, lo, hi);
    sweep_write_axis_label(out, in, in->x_axis);
    fputs("\nset xlabel x_label\n"
          "set ylabel \"total cost: policy minus baseline (\" . unit . \")\"\n"
          "set grid xtics ytics\n"
          "chart_title = scenario_name . \": cost of each policy minus \" . policy_name[1] \\\n"
          "    . \", mean and 90% of \" . grouped(R) . \" replications\"\n"
          "set title key_text(chart_title, 170) font fitted_font(chart_title, 24, 85)\n"
          "# zero: no difference; below it the policy saves money\n"
          "set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead lc rgb \"#000000\" lw 2 back\n"
          "set style textbox opaque noborder\n"
          "set label 1 ", out);
    style_write_text(out, "costs\nmore \u2191");
    fputs(" at graph 1, first 0 left offset char 1, char 1.4 textcolor rgb \"#404040\" font \",16\"\n"
          "set label 2 ", out);
    style_write_text(out, "saves\nmoney \u2193");
    fputs(" at graph 1, first 0 left offset char 1, char -1.4 textcolor rgb \"#404040\" font \",16\"\n",
          out);
    if (write_break_evens(out, in, in->x_axis + 1, mean, why, why_size) != 0)
        return -1;
    fputs("longest_key = 0\n"
          "do for [a = 1:A] {\n"
          "    longest_key = larger(longest_key, strlen(policy_key[a + 1] . policy_key[1] . break_even[a]) + 9)\n"
          "}\n", out);
    sweep_write_key_below(out, in->ctx->n_policies);
    fputs("set rmargin at screen 0.9   # room for the words beside zero\n", out);
    fputc('\n', out);
    sweep_write_render_begin(out, in);
    fputs("    plot for [a = 1:A] file every P::a using x:(column(p05) / scale):(column(p95) / scale) \\\n"
          "             with filledcurves lc rgb policy_color[a + 1] fs transparent solid 0.15 noborder, \\\n"
          "         for [a = 1:A] file every P::a using x:(column(mean) / scale) with linespoints lt (a + 1) lw 3 \\\n"
          "             title key_text(policy_key[a + 1] . \" minus \" . policy_key[1] . \": \" . break_even[a], key_room), \\\n"
          "         keyentry with filledcurves lc rgb \"#c8c8c8\" fs solid 1.0 title \"90% of replications\"\n",
          out);
    sweep_write_render_end(out);
    return 0;
}
