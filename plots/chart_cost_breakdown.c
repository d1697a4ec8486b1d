/* chart_cost_breakdown: the mean cost of each policy (summary.csv) as a bar
 * stacked by component: every metric named cost_* except the totals
 * (cost_total, cost_total_discounted, cost_net), with the mean total on top. */
#include "plots/chart.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plot_util.h"

/* The metrics that are sums of the others, not components. */
static const char *const totals[] = {"cost_total", "cost_total_discounted", "cost_net"};

static bool is_component(const char *metric)
{
    if (strncmp(metric, "cost_", 5) != 0)
        return false;
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++)
        if (strcmp(metric, totals[i]) == 0)
            return false;
    return true;
}

/* A reader's word and a colour for a component; unknown ones get their name
 * after "cost_" and the colours left. */
static const struct {
    const char *metric, *label, *color;
} known_components[] = {
    {"cost_detention", "detention", "#56B4E9"},
    {"cost_removal", "removal", "#D55E00"},
    {"cost_avrr", "AVRR", "#009E73"},
    {"cost_community", "community", "#F0E442"},
    {"cost_program", "programme", "#CC79A7"},
};

static const char *const spare_colors[] = {"#0072B2", "#E69F00", "#999999", "#000000"};

/* The number of characters (UTF-8 code points) in text[0..length). */
static size_t characters(const char *text, size_t length)
{
    size_t count = 0;
    for (size_t i = 0; i < length; i++)
        count += ((unsigned char)text[i] & 0xC0u) != 0x80u;
    return count;
}

/* The byte length of the first `count` characters of text. */
static size_t bytes_of(const char *text, size_t count)
{
    size_t i = 0;
    while (text[i] != '\0') {
        if (((unsigned char)text[i] & 0xC0u) != 0x80u) {
            if (count == 0)
                break;
            count--;
        }
        i++;
    }
    return i;
}

enum { MAX_TIC_LINES = 3 };

/* Writes name as a string literal broken into lines of at most width
 * characters between words, for a tick label under a bar: a word longer than
 * twice the width is shortened, and a name of more than MAX_TIC_LINES lines
 * ends with "..." on the last (the name is everywhere else as written).
 * Returns the length of the longest line, and the number of lines in *lines. */
static size_t write_wrapped(FILE *out, const char *name, size_t width, size_t *lines)
{
    *lines = 1;
    size_t size = strlen(name);
    char *label = malloc(size + 4);
    if (label == NULL) {   /* out of memory: unwrapped */
        style_write_text(out, name);
        return characters(name, size);
    }
    size_t length = 0, longest = 0, line = 0;
    const char *word = name;
    bool cut = false;
    while (*word != '\0' && !cut) {
        while (*word == ' ' || *word == '\n' || *word == '\t')
            word++;
        if (*word == '\0')
            break;
        size_t word_bytes = strcspn(word, " \n\t");
        size_t count = characters(word, word_bytes);
        size_t kept = word_bytes;
        if (count > 2 * width) {   /* shorten a very long word */
            kept = bytes_of(word, 2 * width - 3);
            count = 2 * width;
            cut = true;
        }
        if (line > 0 && line + 1 + count > width) {
            if (*lines == MAX_TIC_LINES) {
                cut = true;
                break;
            }
            label[length++] = '\n';
            (*lines)++;
            line = 0;
        } else if (line > 0) {
            label[length++] = ' ';
            line++;
        }
        memcpy(label + length, word, kept);
        length += kept;
        line += count;
        if (line > longest)
            longest = line;
        word += word_bytes;
    }
    if (cut) {
        memcpy(label + length, "...", 3);
        length += 3;
    }
    label[length] = '\0';
    style_write_text(out, label);
    free(label);
    return longest;
}

int chart_write_cost_breakdown(FILE *out, const struct chart_input *in, char *why, size_t why_size)
{
    const struct plot_context *ctx = in->ctx;
    size_t mean = chart_column(in, RUN_SUMMARY, "mean", why, why_size);
    if (mean == 0)
        return -1;
    size_t total = chart_find(ctx->metric_names, ctx->n_metrics, "cost_total");
    if (total == ctx->n_metrics) {
        plot_reason(why, why_size, 0, "chart %s: no metric cost_total", in->name);
        return -1;
    }
    size_t n_components = 0;
    for (size_t k = 0; k < ctx->n_metrics; k++)
        n_components += is_component(ctx->metric_names[k]);
    if (n_components == 0) {
        plot_reason(why, why_size, 0, "chart %s: no cost component (a metric cost_*)", in->name);
        return -1;
    }

    style_write_header(out, in, "the mean cost of each policy, stacked by component");
    fprintf(out,
            "file = \"%s\"\n"
            "mean = %zu   # the column mean\n"
            "NM = %zu   # metrics: policy p's metric k (from 0) is row (p - 1) * NM + k\n"
            "total_row = %zu   # cost_total\n"
            "C = %zu   # components, bottom to top\n"
            "array component_row[C]\n"
            "array component_label[C]\n"
            "array component_color[C]\n",
            run_data_path(RUN_SUMMARY), mean, ctx->n_metrics, total, n_components);
    size_t c = 0, spare = 0;
    for (size_t k = 0; k < ctx->n_metrics; k++) {
        const char *metric = ctx->metric_names[k];
        if (!is_component(metric))
            continue;
        c++;
        const char *label = NULL, *color = NULL;
        for (size_t i = 0; i < sizeof known_components / sizeof known_components[0]; i++) {
            if (strcmp(metric, known_components[i].metric) == 0) {
                label = known_components[i].label;
                color = known_components[i].color;
            }
        }
        if (color == NULL)
            color = spare_colors[spare++ % (sizeof spare_colors / sizeof spare_colors[0])];
        fprintf(out, "component_row[%zu] = %zu   # %s\ncomponent_label[%zu] = ", c, k, metric, c);
        if (label != NULL) {
            style_write_text(out, label);
        } else {   /* cost_other_thing -> "other thing" */
            char words[128];
            snprintf(words, sizeof words, "%s", metric + 5);
            for (char *p = words; *p != '\0'; p++)
                if (*p == '_')
                    *p = ' ';
            style_write_text(out, words);
        }
        fprintf(out, "\ncomponent_color[%zu] = \"%s\"\n", c, color);
    }
    /* the policies' names under the bars, broken into lines that fit a bar's width */
    size_t width = 75 / ctx->n_policies > 8 ? 75 / ctx->n_policies : 8;
    size_t longest_line = 0, most_lines = 1;
    fputs("array policy_tic[P]   # the names under the bars\n", out);
    for (size_t p = 0; p < ctx->n_policies; p++) {
        fprintf(out, "policy_tic[%zu] = ", p + 1);
        size_t lines = 1;
        size_t longest = write_wrapped(out, ctx->policy_names[p], width, &lines);
        if (longest > longest_line)
            longest_line = longest;
        if (lines > most_lines)
            most_lines = lines;
        fputc('\n', out);
    }
    fprintf(out, "tic_spec = font_for(%zu, 20, %zu)   # smaller when a word is longer than a bar is wide\n"
                 "set bmargin %zu   # room for the names' lines\n",
            longest_line, width, most_lines + 2);
    fputs("# a component that is zero for every policy stays out of the key\n"
          "array component_max[C]\n"
          "do for [c = 1:C] {\n"
          "    stats file every NM::(component_row[c]) using (abs(column(mean))) nooutput name \"part\"\n"
          "    component_max[c] = part_max\n"
          "}\n"
          "stats file every NM::total_row using mean nooutput name \"totals\"\n"
          "money_max = larger(abs(totals_min), abs(totals_max))\n"
          "scale = money_scale(money_max)\n"
          "unit = money_unit(money_max)\n"
          "\n"
          "chart_title = scenario_name . \": mean cost of each policy by component, over \" . grouped(R) . \" replications\"\n"
          "set title key_text(chart_title, 170) font fitted_font(chart_title, 24, 85)\n"
          "set ylabel \"mean total cost (\" . unit . \")\"\n"
          "set yrange [0 : larger(totals_max / scale, 1e-9) * 1.12]\n"
          "set xrange [-0.6 : P - 0.4]\n"
          "set style data histograms\n"
          "set style histogram rowstacked\n"
          "set boxwidth 0.55 relative\n"
          "set style fill solid 1.0 border rgb \"white\"\n"
          "set xtics nomirror scale 0 font tic_spec\n"
          "set border 2\n"
          "# the key beside the bars, top to bottom as the components are stacked\n"
          "set key outside right top vertical invert reverse Left samplen 2 width 1\n\n",
          out);
    style_write_render_begin(out, in);
    fputs("    plot for [c = 1:C] file every NM::(component_row[c]) using (column(mean) / scale) \\\n"
          "             lc rgb component_color[c] dt solid lw 1 \\\n"
          "             title (component_max[c] > 0 ? component_label[c] : \"\"), \\\n"
          "         file every NM::total_row using 0:(column(mean) / scale) \\\n"
          "             :(currency . sprintf(\" %.1f\", column(mean) / scale)):xtic(policy_tic[int($0) + 1]) \\\n"
          "             with labels offset 0, 0.9 notitle\n", out);
    style_write_render_end(out);
    return 0;
}
