/* chart_cumulative_cost: the cost of each policy added up month by month
 * (timeseries.csv, cost_cumulative): the mean as a line and the 90% interval
 * of the replications (5th to 95th percentile) as a band. */
#include "plots/chart.h"

int chart_write_cumulative_cost(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    style_write_header(out, in, "each policy's cumulative cost by month: mean and 90% band");
    if (style_write_timeseries_columns(out, in, why, why_size) != 0
        || style_write_timeseries_metric(out, in, "cost_cumulative", "k", why, why_size) != 0)
        return -1;
    fputs("stats file every M::k using p95 nooutput name \"all\"\n"
          "stats file every M::k using p05 nooutput name \"low\"\n"
          "money_max = larger(abs(all_max), abs(low_min))\n"
          "scale = money_scale(money_max)\n"
          "unit = money_unit(money_max)\n\n", out);
    style_write_month_axis(out, in->ctx);
    fputs("chart_title = scenario_name . \": cumulative cost of each policy, mean and 90% of \" . grouped(R) . \" replications\"\n"
          "set title key_text(chart_title, 170) font fitted_font(chart_title, 24, 85)\n"
          "key_spec = key_font(longest_key)\nset key font key_spec\n"
          "set ylabel \"cost since the start (\" . unit . \")\"\n"
          "set yrange [smaller(0, low_min / scale) : larger(all_max / scale, 1e-9) * 1.05]\n\n", out);
    style_write_render_begin(out, in);
    fputs("    plot for [p = 1:P] file every (P*M)::((p - 1) * M + k) \\\n"
          "             using month:(column(p05) / scale):(column(p95) / scale) with filledcurves \\\n"
          "             lc rgb policy_color[p] fs transparent solid 0.12 noborder, \\\n"
          "         for [p = 1:P] file every (P*M)::((p - 1) * M + k) using month:(column(mean) / scale) \\\n"
          "             with lines lt p lw 3 title key_text(policy_key[p], key_room), \\\n"
          "         keyentry with filledcurves lc rgb \"#c8c8c8\" fs solid 1.0 title \"90% of replications\"\n", out);
    style_write_render_end(out);
    return 0;
}
