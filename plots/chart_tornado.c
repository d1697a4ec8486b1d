/* chart_tornado: the tornado chart of a one-way sensitivity analysis
 * (tornado_plot.h). One panel per policy compared with the baseline. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plots/chart.h"
#include "plots/gnuplot_text.h"
#include "plots/plot_util.h"
#include "plots/tornado_plot.h"

/* The parameter's label: its path without "model.", and its two values. */
static void write_label(FILE *out, const struct tornado_bar *bar)
{
    const char *name = bar->parameter;
    if (strncmp(name, "model.", 6) == 0)
        name += 6;
    char label[512];
    snprintf(label, sizeof label, "%s (%.4g to %.4g)", name, bar->low_value, bar->high_value);
    style_write_text(out, label);
}

static void write_script(FILE *out, const struct chart_input *in, const struct tornado_bar *bars,
                         size_t K)
{
    size_t A = in->ctx->n_policies - 1;
    style_write_header(out, in, "which uncertain input moves the difference in cost most");
    fprintf(out, "A = %zu   # policies compared with the baseline: one panel each\n"
                 "K = %zu   # uncertain parameters: one bar each\n"
                 "array label[A * K]   # bar k of panel a is label[(a - 1) * K + k]\n",
            A, K);
    for (size_t i = 0; i < A * K; i++) {
        fprintf(out, "label[%zu] = ", i + 1);
        write_label(out, &bars[i]);
        fputc('\n', out);
    }
    fputs("\n# Per panel (index a - 1): bar k (1 = top), the difference at the\n"
          "# parameter's low value, at its high value, and with every parameter at its mean.\n"
          "$bars << EOD\n", out);
    for (size_t a = 0; a < A; a++) {
        if (a > 0)
            fputs("\n\n", out);
        for (size_t k = 0; k < K; k++) {
            const struct tornado_bar *b = &bars[a * K + k];
            fprintf(out, "%zu %.17g %.17g %.17g\n", k + 1, b->at_low, b->at_high, b->at_mean);
        }
    }
    fputs("EOD\n\n"
          "stats $bars using 2 nooutput name \"lows\"\n"
          "stats $bars using 3 nooutput name \"highs\"\n"
          "stats $bars using 4 nooutput name \"means\"\n"
          "lo = smaller(smaller(lows_min, highs_min), smaller(means_min, 0))\n"
          "hi = larger(larger(lows_max, highs_max), larger(means_max, 0))\n"
          "array base[A]   # every input at its mean\n"
          "do for [a = 1:A] {\n"
          "    stats $bars index (a - 1) using 4 nooutput name \"one\"\n"
          "    base[a] = one_mean\n"
          "}\n"
          "money_max = larger(abs(lo), abs(hi))\n"
          "scale = money_scale(money_max)\n"
          "unit = money_unit(money_max)\n"
          "span = hi > lo ? (hi - lo) / scale : 1.0\n"
          "set xrange [lo / scale - span * 0.05 : hi / scale + span * 0.05]\n"
          "set yrange [K + 0.6 : 0.4]\n"
          "set grid xtics noytics\n"
          "set xtics font \",16\"\n"
          "set ytics scale 0 font \",16\"\n"
          "set style fill solid 0.85 noborder\n"
          "columns = 1\n"
          "text_spec = A > 1 ? \",14\" : \",16\"\n"
          "set lmargin at screen 0.36\n"
          "set rmargin at screen 0.96\n"
          "set linetype 21 lc rgb \"#0072B2\"   # the parameter at its low value\n"
          "set linetype 22 lc rgb \"#D55E00\"   # the parameter at its high value\n"
          "signed(x) = (x < 0 ? \"-\" : \"+\") . currency . sprintf(\" %.2f\", abs(x) / scale) . money_word(money_max)\n"
          "chart_title = scenario_name . \": which input moves the cost difference most\"\n\n", out);
    style_write_render_begin(out, in);
    fputs("    # the key, in colour under the title (a key inside a panel would change its size)\n"
          "    set label 11 \"\u25A0 input at its low value\" at screen 0.49, screen 0.905 right textcolor rgb \"#0072B2\" font \",17\"\n"
          "    set label 12 \"\u25A0 input at its high value\" at screen 0.51, screen 0.905 left textcolor rgb \"#D55E00\" font \",17\"\n"
          "    set multiplot layout A, 1 title key_text(chart_title, 170) . \"\\n \" font fitted_font(chart_title, 24, 85)\n"
          "    do for [a = 1:A] {\n"
          "        base_value = base[a] / scale\n"
          "        panel_title = key_text(policy_name[a + 1] . \" minus \" . policy_name[1], 150)\n"
          "        set title panel_title . \"\\n\" . sprintf(\"every input at its mean: %s (solid line)\", \\\n"
          "            signed(base[a])) font fitted_font(panel_title, 18, 100)\n"
          "        set ytics (\"\" 1)\n"
          "        do for [k = 1:K] {\n"
          "            set ytics add (key_text(label[(a - 1) * K + k], 60) k)\n"
          "        }\n"
          "        set xlabel \"mean total cost, policy minus baseline (\" . unit . \"): left of the dashed 0 the policy saves money\" font text_spec\n"
          "        set key off\n"
          "        if (a == 2) {\n"
          "            unset label 11\n"
          "            unset label 12\n"
          "        }\n"
          "        set arrow 1 from base_value, graph 0 to base_value, graph 1 nohead lc rgb \"#404040\" lw 2 front\n"
          "        set arrow 2 from 0, graph 0 to 0, graph 1 nohead lc rgb \"#000000\" lw 1 dt 2 front\n"
          "        plot $bars index (a - 1) using ((base_value + $2 / scale) / 2):1:(abs($2 / scale - base_value) / 2):(0.35) \\\n"
          "                 with boxxyerrorbars lt 21 title \"input at its low value\", \\\n"
          "             $bars index (a - 1) using ((base_value + $3 / scale) / 2):1:(abs($3 / scale - base_value) / 2):(0.35) \\\n"
          "                 with boxxyerrorbars lt 22 title \"input at its high value\"\n"
          "    }\n"
          "    unset multiplot\n", out);
    style_write_render_end(out);
}

int plots_write_tornado(const struct plot_context *ctx, const struct tornado_bar *bars,
                        size_t bars_per_policy, const char *dir, char *why, size_t why_size)
{
    if (ctx->n_policies < 2 || bars_per_policy == 0) {
        plot_reason(why, why_size, 0, "a tornado chart needs two policies and one parameter");
        return -1;
    }
    char *plots_dir = plot_path(dir, "plots");
    char *path = plot_path(dir, "plots/tornado.gp");
    int result = -1;
    if (!plots_dir || !path) {
        plot_reason(why, why_size, 0, "out of memory");
        goto done;
    }
    if (mkdir(plots_dir, 0777) != 0 && errno != EEXIST) {
        plot_reason(why, why_size, errno, "cannot create %s", plots_dir);
        goto done;
    }
    FILE *out = fopen(path, "w");
    if (!out) {
        plot_reason(why, why_size, errno, "cannot write %s", path);
        goto done;
    }
    struct run_data no_data;
    memset(&no_data, 0, sizeof no_data);
    struct chart_input in = {.ctx = ctx, .data = &no_data, .name = "tornado"};
    write_script(out, &in, bars, bars_per_policy);
    int failed = ferror(out);
    if (fclose(out) != 0 || failed) {
        plot_reason(why, why_size, errno, "cannot write %s", path);
        goto done;
    }
    result = 0;
done:
    free(plots_dir);
    free(path);
    return result;
}
