/* chart_ceac: the cost-effectiveness acceptability curves (ceac.csv): for each
 * value placed on one unit of the effect (a departure, by default), the
 * probability that each policy has the highest net benefit, one line per
 * policy; the lines add up to 1 at every value. */
#include "plots/chart.h"

int chart_write_ceac(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    size_t value = chart_column(in, RUN_CEAC, "value", why, why_size);
    size_t probability = value != 0 ? chart_column(in, RUN_CEAC, "probability_best", why, why_size) : 0;
    if (probability == 0)
        return -1;
    style_write_header(out, in, "the probability that each policy has the highest net benefit, "
                                "by the value placed on one unit of effect");
    chart_write_effect(out, in->ctx);
    fprintf(out,
            "file = \"%s\"\n"
            "value = %zu\nprobability = %zu   # columns: policy p at value i is row (i - 1) * P + p - 1\n"
            "stats file every P::0 using value nooutput name \"x\"\n"
            "scale = money_scale(x_max)\n"
            "unit = money_unit(x_max)\n\n",
            run_data_path(RUN_CEAC), value, probability);
    fputs("chart_title = scenario_name . \": probability that each policy is the best choice\"\n"
          "chart_subtitle = \"best: the highest \" . net_benefit . \", in \" . grouped(R) . \" replications\"\n"
          "set title key_text(chart_title, 170) . \"\\n\" . key_text(chart_subtitle, 170) \\\n"
          "    font font_for(larger(strlen(chart_title), strlen(chart_subtitle)), 24, 85)\n"
          "set xlabel \"value placed on one \" . effect_unit . \" (\" . unit . \")\"\n"
          "set ylabel \"probability of the highest net benefit\"\n"
          "set xrange [0 : x_max / scale]\n"
          "# a little room below 0 and above 1, so that a line there is not hidden by the axis\n"
          "set yrange [-0.02 : 1.02]\n"
          "set ytics 0, 0.2, 1 format \"%.1f\"\n"
          "set grid xtics ytics\n"
          "key_spec = key_font(longest_key + 6)\nset key font key_spec height 1.5\n\n", out);
    style_write_render_begin(out, in);
    fputs("    plot for [p = 1:P] file every P::(p - 1) using (column(value) / scale):(column(probability)) \\\n"
          "        with lines lt p lw 3 title key_text(policy_key[p], key_room)\n",
          out);
    style_write_render_end(out);
    return 0;
}
