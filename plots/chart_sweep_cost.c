/* chart_sweep_cost: a sweep over one key: each policy's total cost against the
 * key (sweep.csv, cost_total_mean, _p05, _p95): the mean as a line through the
 * grid points and the 90% interval of the replications (5th to 95th
 * percentile) as a band, in the policies' colours and dashes. */
#include "plots/sweep_chart.h"

#include "plots/chart.h"

int chart_write_sweep_cost(FILE *out, const struct sweep_chart_input *in, char *why, size_t why_size)
{
    const char *metric = in->ctx->cost_metric;
    char names[3][128];
    size_t columns[3];
    static const char *const parts[3] = {"mean", "p05", "p95"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(names[i], sizeof names[i], "%s_%s", metric, parts[i]);
        if ((columns[i] = sweep_chart_column(in, names[i], why, why_size)) == 0)
            return -1;
    }
    double lo, hi;
    sweep_chart_axis_range(in, in->x_axis, &lo, &hi);
    sweep_write_header(out, in, "each policy's total cost against the swept key: mean and 90% band");
    fprintf(out,
            "x = %zu   # the column of the swept key\n"
            "mean = %zu\np05 = %zu\np95 = %zu   # the columns %s, %s, %s\n"
            "stats file using p05 nooutput name \"low\"\n"
            "stats file using p95 nooutput name \"high\"\n"
            "money_max = larger(abs(low_min), abs(high_max))\n"
            "scale = money_scale(money_max)\n"
            "unit = money_unit(money_max)\n"
            "set xrange [%.17g : %.17g]\n"
            "set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05\n"
            "x_label = ",
            in->x_axis + 1, columns[0], columns[1], columns[2], names[0], names[1], names[2], lo, hi);
    sweep_write_axis_label(out, in, in->x_axis);
    fputs("\nset xlabel x_label\n"
          "set ylabel \"total cost (\" . unit . \")\"\n"
          "set grid xtics ytics\n"
          "chart_title = scenario_name . \": total cost of each policy, mean and 90% of \" . grouped(R) \\\n"
          "    . \" replications at each point\"\n"
          "set title key_text(chart_title, 170) font fitted_font(chart_title, 24, 85)\n", out);
    sweep_write_key_below(out, in->ctx->n_policies + 1);
    fputc('\n', out);
    sweep_write_render_begin(out, in);
    fputs("    plot for [p = 1:P] file every P::(p - 1) using x:(column(p05) / scale):(column(p95) / scale) \\\n"
          "             with filledcurves lc rgb policy_color[p] fs transparent solid 0.12 noborder, \\\n"
          "         for [p = 1:P] file every P::(p - 1) using x:(column(mean) / scale) \\\n"
          "             with linespoints lt p lw 3 title key_text(policy_key[p], key_room), \\\n"
          "         keyentry with filledcurves lc rgb \"#c8c8c8\" fs solid 1.0 title \"90% of replications\"\n",
          out);
    sweep_write_render_end(out);
    return 0;
}
