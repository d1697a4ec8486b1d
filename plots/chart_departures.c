/* chart_departures: departures month by month (timeseries.csv): AVRR
 * departures in the upper panel, removals in the lower, the mean of each
 * policy as a line with its 90% band, on the same scale. */
#include "plots/chart.h"

int chart_write_departures(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    style_write_header(out, in, "AVRR departures and removals by month: mean and 90% band");
    if (style_write_timeseries_columns(out, in, why, why_size) != 0
        || style_write_timeseries_metric(out, in, "avrr_departures", "k_avrr", why, why_size) != 0
        || style_write_timeseries_metric(out, in, "removals", "k_removals", why, why_size) != 0)
        return -1;
    fputs("stats file every M::k_avrr using p95 nooutput name \"avrr\"\n"
          "stats file every M::k_removals using p95 nooutput name \"removals\"\n"
          "top = larger(avrr_max, removals_max)\n"
          "top = (top > 0 ? top : 1) * 1.08\n"
          "array panel_metric[2] = [k_avrr, k_removals]\n"
          "array panel_title[2] = [\"AVRR departures per month\", \"removals per month\"]\n\n", out);
    style_write_month_axis(out, in->ctx);
    fputs("set ylabel \"people per month\"\n"
          "set yrange [0 : top]\n", out);
    style_write_count_tics(out, "y", "0", "top", 3);
    fputs("chart_title = scenario_name . \": departures, mean and 90% of \" . grouped(R) . \" replications\"\n"
          "set title font \",20\"\n"
          "key_spec = key_font(longest_key)\n"
          "# the key below both panels: its rows decide how much room the panels get\n"
          "key_columns = longest_key <= 45 ? 2 : 1\n"
          "key_rows = (P + key_columns) / key_columns   # P policies and the band\n"
          "bottom = 0.15 + key_rows * 0.04   # the key, the month labels and the axis label\n"
          "panel_height = (0.86 - bottom - 0.13) / 2\n"
          "set key at screen 0.5, screen 0.015 center bottom horizontal maxcols key_columns font key_spec\n\n", out);
    style_write_render_begin(out, in);
    fputs("    set multiplot title key_text(chart_title, 170) font fitted_font(chart_title, 24, 85)\n"
          "    set lmargin at screen 0.09\n"
          "    set rmargin at screen 0.98\n"
          "    do for [panel = 1:2] {\n"
          "        set tmargin at screen (panel == 1 ? 0.86 : bottom + panel_height)\n"
          "        set bmargin at screen (panel == 1 ? 0.86 - panel_height : bottom)\n"
          "        set title panel_title[panel]\n"
          "        if (panel == 1) { unset xlabel } else { set xlabel month_label }\n"
          "        plot for [p = 1:P] file every (P*M)::((p - 1) * M + panel_metric[panel]) \\\n"
          "                 using month:p05:p95 with filledcurves \\\n"
          "                 lc rgb policy_color[p] fs transparent solid 0.12 noborder, \\\n"
          "             for [p = 1:P] file every (P*M)::((p - 1) * M + panel_metric[panel]) using month:mean \\\n"
          "                 with lines lt p lw 3 title (panel == 2 ? key_text(policy_key[p], key_room) : \"\"), \\\n"
          "             keyentry with filledcurves lc rgb \"#c8c8c8\" fs solid 1.0 \\\n"
          "                 title (panel == 2 ? \"90% of replications\" : \"\")\n"
          "    }\n"
          "    unset multiplot\n", out);
    style_write_render_end(out);
    return 0;
}
