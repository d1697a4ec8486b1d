/* chart_sweep_heatmap: a sweep over two keys: one policy's mean saving against
 * the baseline (the baseline's mean total cost minus the policy's: minus
 * sweep.csv's difference_mean, so that positive means the policy saves money)
 * over the grid, the first key across and the second up. Colours diverge from
 * white at zero, blue where the policy saves money and red where it costs
 * more, on a scale symmetric about zero so that equal shades are equal
 * amounts; colours between the grid points (marked by dots) are interpolated.
 * The zero contour, the break-even line, is drawn and labelled. */
#include "plots/sweep_chart.h"

#include "plots/chart.h"

int chart_write_sweep_heatmap(FILE *out, const struct sweep_chart_input *in, char *why, size_t why_size)
{
    size_t mean = sweep_chart_column(in, "difference_mean", why, why_size);
    if (mean == 0)
        return -1;
    double x_lo, x_hi, y_lo, y_hi;
    sweep_chart_axis_range(in, in->x_axis, &x_lo, &x_hi);
    sweep_chart_axis_range(in, in->y_axis, &y_lo, &y_hi);
    sweep_write_header(out, in, "one policy's mean saving against the baseline over a grid of two keys, "
                                "with the break-even line");
    fprintf(out,
            "x = %zu\ny = %zu   # the columns of the two swept keys\n"
            "mean = %zu   # the column difference_mean (policy minus baseline)\n"
            "p = %zu   # the policy shown (policy 1 is the baseline): every P-th row from row p - 1\n"
            "saving(d) = -d   # the baseline's cost minus the policy's: positive saves money\n"
            "# In the copy, a blank line follows each value of the first key: the\n"
            "# blocks are the scans of the surface.\n"
            "stats file every P::(p - 1) using (saving(column(mean))) nooutput name \"s\"\n"
            "money_max = larger(abs(s_min), abs(s_max))\n"
            "money_max = money_max > 0 ? money_max : 1\n"
            "scale = money_scale(money_max)\n"
            "unit = money_unit(money_max)\n"
            "crosses = s_min < 0 && s_max > 0   # the break-even line is on the grid\n\n"
            "x_min = %.17g\nx_max = %.17g\ny_min = %.17g\ny_max = %.17g   # the grid's ends\n"

            "x_label = ",
            in->x_axis + 1, in->y_axis + 1, mean, in->policy + 1, x_lo, x_hi, y_lo, y_hi);
    sweep_write_axis_label(out, in, in->x_axis);
    fputs("\ny_label = ", out);
    sweep_write_axis_label(out, in, in->y_axis);
    fputs("\n\n# The zero contour of the saving, computed once into $zero when the saving\n"
          "# changes sign, and its point nearest the middle of the grid for the label.\n"
          "set view map\n"
          "if (crosses) {\n"
          "    set contour base\n"
          "    set cntrparam levels discrete 0\n"
          "    set cntrparam linear\n"
          "    unset surface\n"
          "    set table $zero\n"
          "    splot file every P::(p - 1) using x:y:(saving(column(mean)) / scale) with lines\n"
          "    unset table\n"
          "    unset contour\n"
          "    set surface\n"
          "    x_mid = (x_min + x_max) / 2.0\n"
          "    y_mid = (y_min + y_max) / 2.0\n"
          "    x_span = x_max - x_min\n"
          "    y_span = y_max - y_min\n"
          "    nearest = 1e300\n"
          "    label_x = x_mid\n"
          "    label_y = y_mid\n"
          "    stats $zero using (distance = (($1 - x_mid) / x_span)**2 + (($2 - y_mid) / y_span)**2, \\\n"
          "        distance < nearest ? (nearest = distance, label_x = $1, label_y = $2) : 0, $1) nooutput\n"
          "    set style textbox opaque noborder\n"
          "    set label 1 \"break-even\" at label_x, label_y left front boxed offset char 1, 0 font \",20\"\n"
          "    line_note = \"Black line: the break-even, where both cost the same. \"\n"
          "    subtitle = \"blue: \" . policy_key[p] . \" saves money;  red: it costs more;  black line: break-even\"\n"
          "} else {\n"
          "    line_note = \"\"\n"
          "    subtitle = \"no break-even on this grid: \" . policy_key[p] \\\n"
          "        . (s_min >= 0 ? (s_max > 0 ? \" saves money (or costs the same) everywhere\" : \" costs the same everywhere\") \\\n"
          "                      : \" costs more (or the same) everywhere\")\n"
          "}\n\n"
          "# the ranges only now: stats counts only the points inside them\n"
          "set xrange [x_min : x_max]\n"
          "set yrange [y_min : y_max]\n\n"
          "# Colours: white at zero, blue for a saving, red for an extra cost (ColorBrewer\n"
          "# RdBu, readable with the common colour-vision deficiencies), symmetric about zero.\n"
          "set palette defined (-1 \"#b2182b\", -0.5 \"#ef8a62\", 0 \"#f7f7f7\", 0.5 \"#67a9cf\", 1 \"#2166ac\")\n"
          "set cbrange [-money_max / scale : money_max / scale]\n"
          "set pm3d map interpolate 0,0 corners2color mean\n"
          "set colorbox user origin screen 0.855, screen 0.22 size screen 0.022, screen 0.58 noborder\n"
          "set cblabel \"mean saving (\" . unit . \")\" offset char 1, 0\n"
          "set cbtics out nomirror\n"
          "set label 2 \"saves money\" at screen 0.866, screen 0.835 center font \",16\" textcolor rgb \"#2166ac\"\n"
          "set label 3 \"costs more\" at screen 0.866, screen 0.185 center font \",16\" textcolor rgb \"#b2182b\"\n"
          "set xlabel x_label\n"
          "set ylabel y_label\n"
          "set grid noxtics noytics\n"
          "set tics out nomirror front\n"
          "set border 15 front lc rgb \"#404040\"\n"
          "set key off\n"
          "set lmargin at screen 0.11\n"
          "set rmargin at screen 0.8\n"
          "set tmargin at screen 0.85\n"
          "set bmargin at screen 0.22\n"
          "# the title and subtitle as labels: a 3D plot places its title on the plot\n"
          "chart_title = scenario_key . \": mean saving of \" . policy_key[p] . \" against \" . policy_key[1]\n"
          "set label 6 key_text(chart_title, 170) at screen 0.5, screen 0.95 center font fitted_font(chart_title, 24, 85)\n"
          "set label 7 key_text(subtitle, 200) at screen 0.5, screen 0.895 center font fitted_font(subtitle, 18, 110) \\\n"
          "    textcolor rgb \"#404040\"\n"
          "note = \"Saving: the mean total cost of \" . policy_key[1] . \" minus that of \" . policy_key[p] \\\n"
          "    . \". Dots: the grid points; the colours between them are interpolated.\"\n"
          "set label 4 key_text(note, 250) at screen 0.5, screen 0.06 center font fitted_font(note, 14, 140) \\\n"
          "    textcolor rgb \"#505050\"\n"
          "grid_line = line_note . grid_note\n"
          "set label 5 grid_line at screen 0.5, screen 0.02 center font fitted_font(grid_line, 14, 140) \\\n"
          "    textcolor rgb \"#505050\"\n\n",
          out);
    sweep_write_render_begin(out, in);
    fputs("    if (crosses) {\n"
          "        splot file every P::(p - 1) using x:y:(saving(column(mean)) / scale) with pm3d, \\\n"
          "              file every P::(p - 1) using x:y:(0) with points pt 7 ps 0.35 lc rgb \"#606060\", \\\n"
          "              $zero using 1:2:(0) with lines lw 4 dt solid lc rgb \"#000000\"\n"
          "    } else {\n"
          "        splot file every P::(p - 1) using x:y:(saving(column(mean)) / scale) with pm3d, \\\n"
          "              file every P::(p - 1) using x:y:(0) with points pt 7 ps 0.35 lc rgb \"#606060\"\n"
          "    }\n", out);
    sweep_write_render_end(out);
    return 0;
}
