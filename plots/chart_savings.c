/* chart_savings: each policy's total cost minus the baseline's, replication by
 * replication (differences.csv, cost_total), one panel per policy: the
 * distribution, zero marked, the share of replications in which the policy is
 * cheaper shaded, and its mean and the probability of saving stated. */
#include "plots/chart.h"

int chart_write_savings(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    size_t cost = chart_column(in, RUN_DIFFERENCES, "cost_total", why, why_size);
    if (cost == 0)
        return -1;
    style_write_header(out, in, "each policy's total cost minus the baseline's, and how often it saves money");
    fprintf(out,
            "file = \"%s\"\n"
            "cost = %zu   # the column cost_total (policy minus baseline)\n"
            "A = P - 1   # policies compared with the baseline: policy a + 1 is every A-th row from row a - 1\n"
            "stats file using cost nooutput name \"all\"\n"
            "money_max = larger(abs(all_min), abs(all_max))\n"
            "scale = money_scale(money_max)\n"
            "unit = money_unit(money_max)\n"
            "lo = smaller(0, all_min / scale)\n"
            "hi = larger(0, all_max / scale)\n"
            "span = hi > lo ? hi - lo : 1.0\n"
            "array mean[A]\n"
            "array saving[A]   # %% of replications in which the difference is negative\n"
            "array bandwidth[A]\n"
            "do for [a = 1:A] {\n"
            "    stats file every A::(a - 1) using (column(cost) / scale) nooutput name \"one\"\n"
            "    mean[a] = one_mean\n"
            "    bandwidth[a] = one_stddev > 0 ? 1.06 * one_stddev * one_records**(-0.2) : span / 100.0\n"
            "    stats file every A::(a - 1) using (column(cost) < 0 ? 100.0 : 0.0) nooutput name \"share\"\n"
            "    saving[a] = share_mean\n"
            "}\n\n",
            run_data_path(RUN_DIFFERENCES), cost);
    fputs("# room on both sides of zero for the two labels beside it\n"
          "set xrange [smaller(lo - span * 0.06, -span * 0.22) : larger(hi + span * 0.06, span * 0.22)]\n"
          "set samples 500\n"
          "# the densities, computed once: block a - 1 of $density is policy a + 1\n"
          "set table $density\n"
          "plot for [a = 1:A] file every A::(a - 1) using (column(cost) / scale):(100.0 / R) \\\n"
          "    smooth kdensity bandwidth bandwidth[a]\n"
          "unset table\n"
          "stats $density using 2 nooutput name \"density\"\n"
          "set yrange [0 : density_max * 1.3]\n"
          "signed(x) = (x < 0 ? \"-\" : \"+\") . currency . sprintf(\" %.1f\", abs(x)) . money_word(money_max)\n"
          "# one panel per policy: one column for up to two, else two, with smaller text\n"
          "columns = A <= 2 ? 1 : 2\n"
          "rows = (A + columns - 1) / columns\n"
          "text_size = columns == 1 ? 20 : 16\n"
          "text_spec = sprintf(\",%d\", text_size)\n"
          "chart_title = scenario_name . \": cost of each policy minus \" . policy_name[1] \\\n"
          "    . \", across \" . grouped(R) . \" replications\"\n"
          "set key off\n"
          "set grid noytics\n"
          "set xtics font text_spec\n"
          "set ytics out nomirror nice_step(density_max * 2.6) font text_spec\n"
          "# zero: no difference; left of it the policy saves money\n"
          "set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb \"#000000\" lw 2 front\n"
          "set style textbox opaque noborder\n"
          "set label 1 ", out);
    style_write_text(out, "\u2190 saves money ");
    fputs(" at first 0, graph 0.9 right front boxed textcolor rgb \"#404040\" font text_spec\n"
          "set label 2 ", out);
    style_write_text(out, " costs more \u2192");
    fputs(" at first 0, graph 0.9 left front boxed textcolor rgb \"#404040\" font text_spec\n\n", out);
    style_write_render_begin(out, in);
    fputs("    set multiplot layout rows, columns title key_text(chart_title, 170) font fitted_font(chart_title, 24, 85)\n"
          "    do for [a = 1:A] {\n"
          "        panel_title = key_text(policy_name[a + 1] . \" minus \" . policy_name[1], 200 / columns)\n"
          "        set title panel_title . \"\\n\" \\\n"
          "            . sprintf(\"mean %s%s;  saves money in %.0f%% of replications\", signed(mean[a]), \\\n"
          "                      columns == 1 ? \" (vertical line)\" : \"\", saving[a]) \\\n"
          "            font fitted_font(panel_title, text_size, 100 / columns)\n"
          "        if (a > A - columns) {\n"
          "            set xlabel \"total cost: policy minus baseline (\" . unit . \")\" font text_spec\n"
          "        } else {\n"
          "            unset xlabel\n"
          "        }\n"
          "        if ((a - 1) % columns == 0) {\n"
          "            set ylabel \"% of replications\\nper \" . unit font text_spec\n"
          "        } else {\n"
          "            unset ylabel\n"
          "        }\n"
          "        set arrow 2 from mean[a], graph 0 to mean[a], graph 1 nohead lt (a + 1) lw 1.5 back\n"
          "        # shaded: the replications in which the policy saves money (none: no shading)\n"
          "        plot $density index (a - 1) using 1:(0):($1 < 0 && saving[a] > 0 ? $2 : 0) with filledcurves \\\n"
          "                lc rgb policy_color[a + 1] fs transparent solid 0.3 noborder, \\\n"
          "             $density index (a - 1) using 1:2 with lines lt (a + 1) lw 3\n"
          "    }\n"
          "    unset multiplot\n", out);
    style_write_render_end(out);
    return 0;
}
