/* chart_detention_occupancy: how many people are in detention, month by month
 * (timeseries.csv, detained_avg): the mean as a line and the 90% interval as a
 * band per policy, and the number of beds as a horizontal line when limited. */
#include "plots/chart.h"

#include <math.h>
#include <string.h>

int chart_write_detention_occupancy(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    style_write_header(out, in, "people in detention by month: mean and 90% band, and the capacity");
    if (style_write_timeseries_columns(out, in, why, why_size) != 0
        || style_write_timeseries_metric(out, in, "detained_avg", "k", why, why_size) != 0)
        return -1;
    double capacity = INFINITY;
    for (size_t m = 0; m < in->ctx->n_timeseries_metrics; m++)
        if (strcmp(in->ctx->timeseries_metrics[m], "detained_avg") == 0)
            capacity = in->ctx->series_limits[m];
    if (isfinite(capacity))
        fprintf(out, "capacity = %.17g   # detention beds\n", capacity);
    else
        fputs("capacity = NaN   # no limit on detention beds\n", out);
    fputs("stats file every M::k using p95 nooutput name \"all\"\n"
          "top = larger(all_max, capacity == capacity ? capacity : 0)\n"
          "top = (top > 0 ? top : 1) * 1.08\n"
          "if (capacity == capacity) {\n"
          "    set arrow 1 from graph 0, first capacity to graph 1, first capacity nohead \\\n"
          "        lc rgb \"#404040\" lw 2 dt (12,6) front\n"
          "    set label 1 \"capacity: \" . grouped(capacity) . \" beds\" at graph 0.01, first capacity \\\n"
          "        left offset 0, 0.8 front textcolor rgb \"#404040\"\n"
          "}\n\n", out);
    style_write_month_axis(out, in->ctx);
    fputs("chart_title = scenario_name . \": people in detention, mean and 90% of \" . grouped(R) . \" replications\"\n"
          "set title key_text(chart_title, 170) font fitted_font(chart_title, 24, 85)\n"
          "key_spec = key_font(longest_key)\nset key font key_spec\n"
          "set ylabel \"people in detention (monthly average)\"\n"
          "set yrange [0 : top]\n", out);
    style_write_count_tics(out, "y", "0", "top", 6);
    fputc('\n', out);
    style_write_render_begin(out, in);
    fputs("    plot for [p = 1:P] file every (P*M)::((p - 1) * M + k) \\\n"
          "             using month:p05:p95 with filledcurves \\\n"
          "             lc rgb policy_color[p] fs transparent solid 0.12 noborder, \\\n"
          "         for [p = 1:P] file every (P*M)::((p - 1) * M + k) using month:mean \\\n"
          "             with lines lt p lw 3 title key_text(policy_key[p], key_room), \\\n"
          "         keyentry with filledcurves lc rgb \"#c8c8c8\" fs solid 1.0 title \"90% of replications\"\n", out);
    style_write_render_end(out);
    return 0;
}
