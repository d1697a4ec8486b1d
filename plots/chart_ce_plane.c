/* chart_ce_plane: the cost-effectiveness plane. Every replication is a point:
 * its difference in departures (AVRR departures + removals) against the
 * baseline across, its difference in total cost up (differences.csv), one
 * colour and point type per policy, the mean marked, the quadrants named. */
#include "plots/chart.h"

int chart_write_ce_plane(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    size_t cost = chart_column(in, RUN_DIFFERENCES, "cost_total", why, why_size);
    size_t avrr = cost != 0 ? chart_column(in, RUN_DIFFERENCES, "avrr_departures", why, why_size) : 0;
    size_t removals = avrr != 0 ? chart_column(in, RUN_DIFFERENCES, "removals", why, why_size) : 0;
    if (removals == 0)
        return -1;
    style_write_header(out, in, "cost against departures, policy minus baseline, one point per replication");
    fprintf(out,
            "file = \"%s\"\n"
            "cost = %zu\navrr = %zu\nremovals = %zu   # columns (policy minus baseline)\n"
            "A = P - 1   # policies compared with the baseline: policy a + 1 is every A-th row from row a - 1\n"
            "departures(x) = column(avrr) + column(removals)\n"
            "stats file using cost nooutput name \"y\"\n"
            "stats file using (departures(0)) nooutput name \"x\"\n"
            "money_max = larger(abs(y_min), abs(y_max))\n"
            "scale = money_scale(money_max)\n"
            "unit = money_unit(money_max)\n"
            "array mean_x[A]\n"
            "array mean_y[A]\n"
            "do for [a = 1:A] {\n"
            "    stats file every A::(a - 1) using (departures(0)) nooutput name \"one\"\n"
            "    mean_x[a] = one_mean\n"
            "    stats file every A::(a - 1) using (column(cost) / scale) nooutput name \"one\"\n"
            "    mean_y[a] = one_mean\n"
            "}\n"
            "# both axes include zero, with room in the corners for the quadrants' names\n"
            "x_lo = smaller(0, x_min)\n"
            "x_hi = larger(0, x_max)\n"
            "x_pad = (x_hi > x_lo ? x_hi - x_lo : 10) * 0.12\n"
            "y_lo = smaller(0, y_min / scale)\n"
            "y_hi = larger(0, y_max / scale)\n"
            "y_pad = (y_hi > y_lo ? y_hi - y_lo : 1) * 0.15\n"
            "x_lo = x_lo - x_pad\n"
            "x_hi = x_hi + x_pad\n"
            "set xrange [x_lo : x_hi]\n"
            "set yrange [y_lo - y_pad : y_hi + y_pad]\n",
            run_data_path(RUN_DIFFERENCES), cost, avrr, removals);
    style_write_count_tics(out, "x", "x_lo", "x_hi", 5);
    fputs("chart_title = scenario_name . \": cost and departures against \" . policy_name[1] \\\n"
          "    . \", one point per replication\"\n"
          "set title key_text(chart_title, 170) font fitted_font(chart_title, 24, 85)\n"
          "set xlabel \"departures (AVRR departures + removals): policy minus baseline, people\"\n"
          "set ylabel \"total cost: policy minus baseline (\" . unit . \")\"\n"
          "key_spec = key_font(2 * longest_key + 7)\nset key font key_spec\n"
          "set grid xtics ytics\n"
          "set style line 100 lc rgb \"#000000\" lw 2 dt solid\n"
          "set xzeroaxis ls 100\n"
          "set yzeroaxis ls 100\n"
          "set style textbox opaque noborder\n"
          "set label 1 \"more departures, more cost\" at graph 0.99, graph 0.97 right front boxed textcolor rgb \"#505050\"\n"
          "set label 2 \"fewer departures, more cost\" at graph 0.01, graph 0.97 left front boxed textcolor rgb \"#505050\"\n"
          "set label 3 \"more departures, less cost\" at graph 0.99, graph 0.06 right front boxed textcolor rgb \"#505050\"\n"
          "set label 4 \"fewer departures, less cost\" at graph 0.01, graph 0.06 left front boxed textcolor rgb \"#505050\"\n"
          "translucent(color) = \"#A0\" . color[2:7]\n\n", out);
    style_write_render_begin(out, in);
    fputs("    plot for [a = 1:A] file every A::(a - 1) using (departures(0)):(column(cost) / scale) \\\n"
          "             with points lt (a + 1) ps 0.8 lc rgb translucent(policy_color[a + 1]) \\\n"
          "             title key_text(policy_key[a + 1] . \" minus \" . policy_key[1], key_room), \\\n"
          "         for [a = 1:A] mean_y using (mean_x[a]):(mean_y[a]) every ::(a - 1)::(a - 1) \\\n"
          "             with points lt (a + 1) ps 3.5 lc rgb \"#ffffff\" notitle, \\\n"
          "         for [a = 1:A] mean_y using (mean_x[a]):(mean_y[a]) every ::(a - 1)::(a - 1) \\\n"
          "             with points lt (a + 1) ps 2.5 notitle, \\\n"
          "         keyentry with points pt 7 ps 2.5 lc rgb \"#606060\" title \"large marker: the mean\"\n",
          out);
    style_write_render_end(out);
    return 0;
}
