/* chart_cost_distribution: how the total cost of each policy is spread across
 * the replications (replications.csv, cost_total): one kernel density per
 * policy, each mean marked by a vertical line and stated in the key. */
#include "plots/chart.h"

int chart_write_cost_distribution(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    size_t cost = chart_column(in, RUN_REPLICATIONS, "cost_total", why, why_size);
    if (cost == 0)
        return -1;
    style_write_header(out, in, "the distribution of each policy's total cost across the replications");
    fprintf(out,
            "file = \"%s\"\n"
            "cost = %zu   # the column cost_total; policy p is every P-th row from row p - 1\n"
            "stats file using cost nooutput name \"all\"\n"
            "money_max = larger(abs(all_min), abs(all_max))\n"
            "scale = money_scale(money_max)\n"
            "unit = money_unit(money_max)\n"
            "lo = all_min / scale\n"
            "hi = all_max / scale\n"
            "span = hi > lo ? hi - lo : larger(abs(hi) / 5.0, 1.0)\n"
            "array mean[P]\n"
            "array bandwidth[P]\n"
            "do for [p = 1:P] {\n"
            "    stats file every P::(p - 1) using (column(cost) / scale) nooutput name \"one\"\n"
            "    mean[p] = one_mean\n"
            "    # Silverman's rule; a policy whose cost never varies gets a narrow bump\n"
            "    bandwidth[p] = one_stddev > 0 ? 1.06 * one_stddev * one_records**(-0.2) : span / 100.0\n"
            "}\n\n",
            run_data_path(RUN_REPLICATIONS), cost);
    fputs("chart_title = scenario_name . \": total cost of each policy across \" . grouped(R) . \" replications\"\n"
          "set title key_text(chart_title, 170) font fitted_font(chart_title, 24, 85)\n"
          "key_spec = key_font(longest_key + 30)\nset key font key_spec\n"
          "set xlabel \"total cost (\" . unit . \");  vertical lines: the means\"\n"
          "set ylabel \"% of replications per \" . unit\n"
          "set xrange [lo - span * 0.08 : hi + span * 0.08]\n"
          "set yrange [0:*]\n"
          "set samples 500\n"
          "# the means: a vertical line each, in the policy's colour and dash pattern\n"
          "do for [p = 1:P] {\n"
          "    set arrow p from mean[p], graph 0 to mean[p], graph 1 nohead lt p lw 1.5 back\n"
          "}\n\n", out);
    style_write_render_begin(out, in);
    fputs("    plot for [p = 1:P] file every P::(p - 1) using (column(cost) / scale):(100.0 / R) \\\n"
          "        smooth kdensity bandwidth bandwidth[p] with lines lt p lw 3 \\\n"
          "        title key_text(policy_key[p], key_room - 30) \\\n"
          "            . sprintf(\":  mean %s %.1f%s\", currency, mean[p], money_word(money_max))\n",
          out);
    style_write_render_end(out);
    return 0;
}
