/* chart_evpi: the expected value of perfect information (ceac.csv, evpi), by
 * the value placed on one unit of the effect: what knowing every uncertain
 * input before choosing a policy would be worth, in currency for the whole
 * scenario; its highest point is marked and stated. */
#include "plots/chart.h"

int chart_write_evpi(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    size_t value = chart_column(in, RUN_CEAC, "value", why, why_size);
    size_t evpi = value != 0 ? chart_column(in, RUN_CEAC, "evpi", why, why_size) : 0;
    if (evpi == 0)
        return -1;
    style_write_header(out, in, "the expected value of perfect information, by the value placed "
                                "on one unit of effect");
    chart_write_effect(out, in->ctx);
    fprintf(out,
            "file = \"%s\"\n"
            "value = %zu\nevpi = %zu   # columns; the EVPI is repeated on each policy's row: every P-th row\n"
            "stats file every P::0 using value:evpi nooutput name \"e\"\n"
            "x_scale = money_scale(e_max_x)\n"
            "x_unit = money_unit(e_max_x)\n"
            "y_scale = money_scale(e_max_y)\n"
            "y_unit = money_unit(e_max_y)\n"
            "y_top = e_max_y > 0 ? e_max_y / y_scale * 1.15 : 1\n\n",
            run_data_path(RUN_CEAC), value, evpi);
    fputs("chart_title = scenario_name . \": expected value of perfect information\"\n"
          "chart_subtitle = \"what knowing every uncertain input before choosing would be worth, \" \\\n"
          "    . \"whole scenario\"\n"
          "set title key_text(chart_title, 170) . \"\\n\" . key_text(chart_subtitle, 170) \\\n"
          "    font font_for(larger(strlen(chart_title), strlen(chart_subtitle)), 24, 85)\n"
          "set xlabel \"value placed on one \" . effect_unit . \" (\" . x_unit . \")\"\n"
          "set ylabel \"expected value of perfect information (\" . y_unit . \")\"\n"
          "set xrange [0 : e_max_x / x_scale]\n"
          "set yrange [0 : y_top]\n"
          "set grid xtics ytics\n"
          "set key off\n"
          "# the highest point, marked and stated\n"
          "peak_x = e_pos_max_y / x_scale\n"
          "peak_y = e_max_y / y_scale\n"
          "value_text(v) = currency . \" \" . (v >= 1000 ? grouped(v) : sprintf(\"%.3g\", v))\n"
          "peak_text = sprintf(\"highest: %s %.3g%s at \", currency, peak_y, money_word(e_max_y)) \\\n"
          "    . value_text(e_pos_max_y) . \" per \" . effect_unit\n"
          "set style textbox opaque noborder\n"
          "if (e_max_y > 0 && peak_x > 0.6 * e_max_x / x_scale) {\n"
          "    set label 1 peak_text at peak_x, peak_y right offset 0, 1.2 front boxed\n"
          "} else { if (e_max_y > 0) {\n"
          "    set label 1 peak_text at peak_x, peak_y left offset 0, 1.2 front boxed\n"
          "} else {\n"
          "    set label 1 \"0 at every value: no uncertainty about which policy is best\" \\\n"
          "        at graph 0.5, graph 0.5 center front\n"
          "} }\n\n", out);
    style_write_render_begin(out, in);
    fputs("    plot file every P::0 using (column(value) / x_scale):(column(evpi) / y_scale) \\\n"
          "             with filledcurves y=0 lc rgb \"#56B4E9\" fs transparent solid 0.25 noborder, \\\n"
          "         file every P::0 using (column(value) / x_scale):(column(evpi) / y_scale) \\\n"
          "             with lines lw 3 dt solid lc rgb \"#404040\", \\\n"
          "         '+' using (peak_x):(e_max_y > 0 ? peak_y : NaN) every ::0::0 with points pt 7 ps 2 lc rgb \"#404040\"\n",
          out);
    style_write_render_end(out);
    return 0;
}
