/* Unit tests for the sweep charts (plots/sweep_*.c, plots/chart_sweep_*.c):
 * the grid's order, the numeric copy of sweep.csv (names replaced by their
 * positions, every row checked against the position the context gives it),
 * break-even values by linear interpolation against hand calculations,
 * value labels, which charts a grid gets, scripts that hold no user text
 * unescaped, and rendering them with gnuplot. The sweep.csv files are
 * synthetic fixtures written here, in the engine's CSV dialect. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plots/plots.h"
#include "plots/sweep_chart.h"
#include "plots/sweep_data.h"
#include "plots/sweep_plots.h"

extern char **environ;

/* ---- helpers ---- */

static char *join(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = malloc(size);
    assert_non_null(path);
    snprintf(path, size, "%s/%s", dir, name);
    return path;
}

static char *file_text(const char *dir, const char *name)
{
    char *path = join(dir, name);
    FILE *in = fopen(path, "rb");
    free(path);
    if (in == NULL)
        return NULL;
    char *text = NULL;
    size_t length = 0, got;
    char chunk[4096];
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) {
        char *bigger = realloc(text, length + got + 1);
        assert_non_null(bigger);
        text = bigger;
        memcpy(text + length, chunk, got);
        length += got;
    }
    fclose(in);
    if (text == NULL)
        text = calloc(1, 1);
    else
        text[length] = '\0';
    return text;
}

static bool file_exists(const char *dir, const char *name)
{
    char *path = join(dir, name);
    struct stat info;
    bool exists = stat(path, &info) == 0 && info.st_size > 0;
    free(path);
    return exists;
}

static bool have_gnuplot(void)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        return false;
    char *copy = strdup(path);
    assert_non_null(copy);
    bool found = false;
    for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir != NULL && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char *candidate = join(dir, "gnuplot");
        found = access(candidate, X_OK) == 0;
        free(candidate);
    }
    free(copy);
    return found;
}

static char *make_folder(void)
{
    char *dir = strdup("/tmp/avrrsim-test-sweep-plots-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_folder(char *dir)
{
    char *argv[] = {(char *)"rm", (char *)"-rf", dir, NULL};
    pid_t child;
    assert_int_equal(posix_spawnp(&child, "rm", NULL, NULL, argv, environ), 0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    free(dir);
}

/* Writes text as the engine's CSV writer writes a text field: quoted, quotes
 * doubled, a ' before text that starts like a spreadsheet formula. */
static void put_text(FILE *out, const char *text)
{
    fputc('"', out);
    if (strchr("=+-@\t\r", text[0]) != NULL && text[0] != '\0')
        fputc('\'', out);
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

/* ---- the fixture: a grid and a sweep.csv of made-up but exact numbers ---- */

/* Hostile names: quotes, commas, a line break, backslashes, backquotes,
 * system(...), a formula-like start. */
static const char *const hostile_policies[] = {
    "Detention `touch MARKER1`",
    "AVRR system(\"touch MARKER2\"), \"fast\"\n\\ back",
    "=cmd|' /C calc'!A0 $(touch MARKER3) @x",
};

static const char *const columns_after_policy[] = {
    "cost_total_mean", "cost_total_p05", "cost_total_p50", "cost_total_p95",
    "cost_total_discounted_mean", "cost_total_discounted_p05", "cost_total_discounted_p50",
    "cost_total_discounted_p95", "departures_mean", "departures_p05", "departures_p50", "departures_p95",
    "difference_mean", "difference_p05", "difference_p95", "prob_less",
};
enum { NUMBERS = sizeof columns_after_policy / sizeof columns_after_policy[0] };

/* Policy p's mean total cost at a point whose axes' values are v[]: the
 * baseline's is 1e6 + 1e4 * v[0]; policy p > 0 costs p * 2e5 more, less
 * p * 1e4 * v[0] (so its difference crosses zero at v[0] = 20). */
static double fixture_cost(size_t p, const double *v)
{
    return 1e6 + 1e4 * v[0] + (double)p * (2e5 - 1e4 * v[0]);
}

struct fixture {
    char *dir;
    struct sweep_plot_axis axes[3];
    size_t n_axes;
    const char *const *policies;
    size_t n_policies;
    struct sweep_plot_context ctx;
};

static const char *const lengths[] = {"10", "15", "22.5", "30"};
static const char *const costs[] = {"200", "140", "70"};
static const char *const waits[] = {"community"};
static const char *const words[] = {"community", "detention"};
static const char *const third[] = {"1", "2"};

static void fixture_init(struct fixture *f, size_t n_axes, size_t n_policies)
{
    memset(f, 0, sizeof *f);
    f->dir = make_folder();
    f->axes[0] = (struct sweep_plot_axis){"model.detention.length_days.mean", "days per person", 4, lengths};
    f->axes[1] = (struct sweep_plot_axis){"model.detention.cost_per_day", "currency per detainee-day", 3, costs};
    f->axes[2] = (struct sweep_plot_axis){"model.program.setup_cost", "currency", 2, third};
    f->n_axes = n_axes;
    f->policies = hostile_policies;
    f->n_policies = n_policies;
    f->ctx = (struct sweep_plot_context){
        .scenario_name = "Sweep `touch MARKER4` \"q\"\nline 2", .currency = "ILS",
        .n_policies = n_policies, .policy_names = hostile_policies, .cost_metric = "cost_total",
        .n_axes = n_axes, .axes = f->axes, .replications = 40, .seed = 18446744073709551615ull,
    };
}

/* Writes DIR/sweep.csv for the fixture's context, in the engine's order. */
static void write_sweep_csv(const struct fixture *f)
{
    char *path = join(f->dir, "sweep.csv");
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    free(path);
    for (size_t a = 0; a < f->ctx.n_axes; a++)
        fprintf(out, "%s,", f->ctx.axes[a].path);
    fputs("policy", out);
    for (size_t i = 0; i < NUMBERS; i++)
        fprintf(out, ",%s", columns_after_policy[i]);
    fputc('\n', out);
    size_t points = sweep_grid_points(&f->ctx);
    for (size_t point = 0; point < points; point++)
        for (size_t p = 0; p < f->ctx.n_policies; p++) {
            double v[3] = {0, 0, 0};
            for (size_t a = 0; a < f->ctx.n_axes; a++) {
                const char *value = f->ctx.axes[a].values[sweep_grid_value(&f->ctx, point, a)];
                if (sweep_number(value, &v[a]) == 0)
                    fprintf(out, "%s,", value);
                else {
                    put_text(out, value);
                    fputc(',', out);
                }
            }
            put_text(out, f->ctx.policy_names[p]);
            double cost = fixture_cost(p, v), difference = cost - fixture_cost(0, v);
            fprintf(out, ",%.2f,%.2f,%.2f,%.2f", cost, cost * 0.9, cost, cost * 1.1);
            fprintf(out, ",%.2f,%.2f,%.2f,%.2f", cost * 0.97, cost * 0.87, cost * 0.97, cost * 1.07);
            fprintf(out, ",%.4f,%.4f,%.4f,%.4f", 100.0 + (double)p, 90.0, 100.0, 110.0);
            fprintf(out, ",%.2f,%.2f,%.2f,%s\n", difference, difference - 5e4, difference + 5e4,
                     p == 0 ? "0.0000" : "nan");
        }
    assert_int_equal(fclose(out), 0);
}

static void fixture_free(struct fixture *f)
{
    remove_folder(f->dir);
}

/* Makes DIR/plots for sweep_data_copy. */
static void make_plots_dir(const char *dir)
{
    char *path = join(dir, "plots");
    assert_int_equal(mkdir(path, 0777), 0);
    free(path);
}

/* The n-th line (from 1) of text, malloc'd; NULL when there is none. */
static char *line_of(const char *text, size_t n)
{
    const char *start = text;
    for (size_t i = 1; i < n; i++) {
        start = strchr(start, '\n');
        if (start == NULL)
            return NULL;
        start++;
    }
    size_t length = strcspn(start, "\n");
    if (*start == '\0')
        return NULL;
    char *line = malloc(length + 1);
    assert_non_null(line);
    memcpy(line, start, length);
    line[length] = '\0';
    return line;
}

/* ---- the grid ---- */

/* The first axis varies slowest: a 4 x 3 x 2 grid. */
static void test_grid_order(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f, 3, 2);
    assert_int_equal(sweep_grid_points(&f.ctx), 24);
    /* point 0: (0,0,0); point 1: (0,0,1); point 2: (0,1,0); point 6: (1,0,0); point 23: (3,2,1) */
    const size_t expect[][4] = {{0, 0, 0, 0}, {1, 0, 0, 1}, {2, 0, 1, 0}, {5, 0, 2, 1},
                                {6, 1, 0, 0}, {17, 2, 2, 1}, {23, 3, 2, 1}};
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
        for (size_t a = 0; a < 3; a++)
            assert_int_equal(sweep_grid_value(&f.ctx, expect[i][0], a), expect[i][a + 1]);
    fixture_free(&f);
}

static void test_numbers(void **state)
{
    (void)state;
    double v = 0;
    assert_int_equal(sweep_number("22.5", &v), 0);
    assert_true(v == 22.5);
    assert_int_equal(sweep_number("-1e3", &v), 0);
    assert_true(v == -1000);
    const char *not_numbers[] = {"", "community", "12 days", "nan", "inf", "1e999", "0.1.2", "true"};
    for (size_t i = 0; i < sizeof not_numbers / sizeof not_numbers[0]; i++)
        assert_int_equal(sweep_number(not_numbers[i], &v), -1);
}

/* ---- the numeric copy ---- */

/* Names become positions, numbers stay as written, nan becomes NaN, a blank
 * line follows each block, and the cells in memory match. */
static void test_copy_replaces_names_by_position(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f, 2, 3);
    write_sweep_csv(&f);
    make_plots_dir(f.dir);
    struct sweep_data data;
    char why[1024] = "";
    size_t block = 3 * 3;   /* policies x values of the second key */
    if (sweep_data_copy(&data, &f.ctx, f.dir, block, why, sizeof why) != 0)
        fail_msg("copy: %s", why);
    assert_int_equal(data.rows, 4 * 3 * 3);
    assert_int_equal(data.n_columns, 2 + 1 + NUMBERS);
    assert_int_equal(sweep_data_column(&data, "policy"), 3);
    assert_int_equal(sweep_data_column(&data, "difference_mean"), 3 + 13);
    assert_int_equal(sweep_data_column(&data, "no such column"), 0);

    char *text = file_text(f.dir, "plots/sweep.dat");
    assert_non_null(text);
    /* three comment lines, then row 1: length 10, cost 200, the baseline */
    char *first = line_of(text, 4);
    assert_string_equal(first, "10 200 0 1100000.00 990000.00 1100000.00 1210000.00 1067000.00 957000.00 "
                               "1067000.00 1177000.00 100.0000 90.0000 100.0000 110.0000 0.00 -50000.00 "
                               "50000.00 0.0000");
    free(first);
    /* row 2: policy 1 (a quoted name with a comma, quotes and a line break) */
    char *second = line_of(text, 5);
    assert_non_null(strstr(second, "10 200 1 1200000.00 "));
    assert_non_null(strstr(second, " 100000.00 50000.00 150000.00 NaN"));
    free(second);
    /* row 3: the formula-like name (written with a leading ') is policy 2 */
    char *third_row = line_of(text, 6);
    assert_true(strncmp(third_row, "10 200 2 1300000.00 ", 20) == 0);
    free(third_row);
    /* after 9 rows (the first length), a blank line; then length 15 */
    char *blank = line_of(text, 3 + 9 + 1);
    assert_string_equal(blank, "");
    free(blank);
    char *next = line_of(text, 3 + 9 + 2);
    assert_true(strncmp(next, "15 200 0 ", 9) == 0);
    free(next);
    /* no blank line after the last row */
    size_t length = strlen(text);
    assert_true(length >= 2 && text[length - 1] == '\n' && text[length - 2] != '\n');
    /* nothing of a name reaches the copy */
    assert_null(strstr(text, "MARKER"));
    assert_null(strchr(text, '"'));
    free(text);

    /* in memory: row 10 is point 3 (length 15, cost 200), policy 1 */
    assert_true(sweep_data_cell(&data, 10, 1) == 15);
    assert_true(sweep_data_cell(&data, 10, 2) == 200);
    assert_true(sweep_data_cell(&data, 10, 3) == 1);
    double v[1] = {15};
    assert_true(fabs(sweep_data_cell(&data, 10, 16) - (fixture_cost(1, v) - fixture_cost(0, v))) < 0.005);
    assert_true(isnan(sweep_data_cell(&data, 10, 19)));
    assert_true(sweep_data_cell(&data, 9, 19) == 0);
    sweep_data_free(&data);
    fixture_free(&f);
}

/* A key whose values are words is copied as NaN. */
static void test_copy_words_as_nan(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f, 2, 2);
    f.axes[1] = (struct sweep_plot_axis){"model.avrr.wait_in", NULL, 2, words};
    write_sweep_csv(&f);
    make_plots_dir(f.dir);
    struct sweep_data data;
    char why[1024] = "";
    if (sweep_data_copy(&data, &f.ctx, f.dir, 0, why, sizeof why) != 0)
        fail_msg("copy: %s", why);
    char *text = file_text(f.dir, "plots/sweep.dat");
    char *row = line_of(text, 4);
    assert_true(strncmp(row, "10 NaN 0 ", 9) == 0);
    free(row);
    free(text);
    assert_true(isnan(sweep_data_cell(&data, 0, 2)));
    sweep_data_free(&data);
    fixture_free(&f);
}

/* Replaces the first occurrence of from in DIR/sweep.csv by to. */
static void edit_csv(const char *dir, const char *from, const char *to)
{
    char *text = file_text(dir, "sweep.csv");
    assert_non_null(text);
    char *at = strstr(text, from);
    assert_non_null(at);
    char *path = join(dir, "sweep.csv");
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    fwrite(text, 1, (size_t)(at - text), out);
    fputs(to, out);
    fputs(at + strlen(from), out);
    assert_int_equal(fclose(out), 0);
    free(path);
    free(text);
}

/* Copies f's sweep.csv, expecting a failure whose reason holds `expected`. */
static void assert_copy_fails(struct fixture *f, const char *expected)
{
    struct sweep_data data;
    char why[1024] = "";
    assert_int_equal(sweep_data_copy(&data, &f->ctx, f->dir, 0, why, sizeof why), -1);
    sweep_data_free(&data);
    if (strstr(why, expected) == NULL)
        fail_msg("reason '%s' does not hold '%s'", why, expected);
}

/* Every row is where the context says, or the copy fails with file:line. */
static void test_copy_checks_positions(void **state)
{
    (void)state;
    struct {
        const char *from, *to, *expected;
    } cases[] = {
        /* the first two data rows swapped: line 2 holds policy 2 */
        {"10,200,\"Detention", "10,200,\"AVRR", "sweep.csv:2: the policy is not policy 1"},
        /* a grid value that is not the point's */
        {"\n15,140,", "\n16,140,", "sweep.csv:"},
        /* the header: the keys' paths, then policy */
        {"model.detention.cost_per_day,", "model.detention.capacity,", "sweep.csv:1: column 2 is"},
        {",policy,", ",name,", "expected 'policy'"},
        /* a number that is not one */
        {",1100000.00,", ",1.1 million,", "column 'cost_total_mean' is not a number"},
        /* text after a closing quote (in the last row) */
        {"\n30,70,\"AVRR", "\n30,70,\"\"AVRR", "sweep.csv:36: text after the closing quote of field 3"},
        /* a field too many */
        {",0.0000\n", ",0.0000,1\n", "fields, expected"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fixture f;
        fixture_init(&f, 2, 2);
        write_sweep_csv(&f);
        make_plots_dir(f.dir);
        edit_csv(f.dir, cases[i].from, cases[i].to);
        assert_copy_fails(&f, cases[i].expected);
        fixture_free(&f);
    }
    /* rows missing: the context describes more policies than the file has */
    struct fixture f;
    fixture_init(&f, 2, 2);
    write_sweep_csv(&f);
    make_plots_dir(f.dir);
    f.ctx.n_policies = 3;
    assert_copy_fails(&f, "sweep.csv:5: model.detention.cost_per_day is not '200'");
    fixture_free(&f);
    /* an unclosed quote at the end of the file */
    fixture_init(&f, 2, 2);
    write_sweep_csv(&f);
    make_plots_dir(f.dir);
    char *path = join(f.dir, "sweep.csv");
    FILE *out = fopen(path, "a");
    assert_non_null(out);
    fputs("10,200,\"unclosed\n", out);
    assert_int_equal(fclose(out), 0);
    free(path);
    /* lines: the header, then 12 points of 3 lines (the second name holds a line break) */
    assert_copy_fails(&f, "sweep.csv:38: a quoted field is not closed");
    fixture_free(&f);
    /* a grid with fewer points than the file: more rows than expected */
    fixture_init(&f, 2, 2);
    write_sweep_csv(&f);
    make_plots_dir(f.dir);
    f.axes[0].n_values = 3;
    assert_copy_fails(&f, "more rows than the 18 expected");
    fixture_free(&f);
    /* a grid with more points than the file */
    fixture_init(&f, 2, 2);
    f.axes[0].n_values = 3;
    write_sweep_csv(&f);
    make_plots_dir(f.dir);
    f.axes[0].n_values = 4;
    assert_copy_fails(&f, "sweep.csv has 18 rows, expected 24");
    fixture_free(&f);
}

/* ---- break-even values and labels ---- */

static void test_zero_crossings(void **state)
{
    (void)state;
    double at[4];
    /* a line from 3 to -3 over x 0..3: zero at 1.5 */
    {
        double x[] = {0, 1, 2, 3}, y[] = {3, 1, -1, -3};
        assert_int_equal(sweep_zero_crossings(x, y, 4, at, 4), 1);
        assert_true(fabs(at[0] - 1.5) < 1e-12);
    }
    /* unevenly spaced, decreasing x: between (140, -2) and (70, 6): 140 - 70 * 2/8 = 122.5 */
    {
        double x[] = {200, 140, 70}, y[] = {-5, -2, 6};
        assert_int_equal(sweep_zero_crossings(x, y, 3, at, 4), 1);
        assert_true(fabs(at[0] - 122.5) < 1e-12);
    }
    /* two crossings: up at 0.5 + 0.1 * 1/4 = 0.525, down at 0.7 + 0.1 * 2/3 */
    {
        double x[] = {0.5, 0.6, 0.7, 0.8}, y[] = {-1, 3, 2, -1};
        assert_int_equal(sweep_zero_crossings(x, y, 4, at, 4), 2);
        assert_true(fabs(at[0] - 0.525) < 1e-12);
        assert_true(fabs(at[1] - (0.7 + 0.1 * 2.0 / 3.0)) < 1e-12);
    }
    /* a run of zeros between opposite signs: its middle point (x = 3 of 2, 3, 4) */
    {
        double x[] = {1, 2, 3, 4, 5}, y[] = {-1, 0, 0, 0, 1};
        assert_int_equal(sweep_zero_crossings(x, y, 5, at, 4), 1);
        assert_true(at[0] == 3);
    }
    /* one zero between opposite signs: that point */
    {
        double x[] = {1, 2, 3}, y[] = {2, 0, -2};
        assert_int_equal(sweep_zero_crossings(x, y, 3, at, 4), 1);
        assert_true(at[0] == 2);
    }
    /* touching zero without changing sign, zeros at the ends, all zero: none */
    {
        double x[] = {1, 2, 3, 4}, y1[] = {2, 0, 1, 0}, y2[] = {0, 0, 0, 0}, y3[] = {0, -1, -2, 0};
        assert_int_equal(sweep_zero_crossings(x, y1, 4, at, 4), 0);
        assert_int_equal(sweep_zero_crossings(x, y2, 4, at, 4), 0);
        assert_int_equal(sweep_zero_crossings(x, y3, 4, at, 4), 0);
    }
    /* more crossings than room: all counted, the first ones written */
    {
        double x[] = {0, 1, 2, 3, 4, 5}, y[] = {1, -1, 1, -1, 1, -1};
        assert_int_equal(sweep_zero_crossings(x, y, 6, at, 2), 5);
        assert_true(at[0] == 0.5 && at[1] == 1.5);
    }
}

static void test_format_value(void **state)
{
    (void)state;
    struct {
        double value;
        const char *text;
    } cases[] = {
        {0.237, "0.237"}, {0.0791234, "0.0791"}, {57.349, "57.3"}, {5.0, "5.00"}, {0, "0"},
        {14650, "14,650"}, {1234567.8, "1,234,568"}, {-1234.6, "-1,235"}, {999.6, "1,000"},
        {-0.0004, "-0.000400"}, {123.4, "123"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[64];
        sweep_format_value(cases[i].value, text, sizeof text);
        assert_string_equal(text, cases[i].text);
    }
}

/* ---- which charts, and their scripts ---- */

static enum sweep_plot_status write_scripts(struct fixture *f, char *why, size_t why_size)
{
    write_sweep_csv(f);
    return plots_write_sweep_scripts(&f->ctx, f->dir, why, why_size);
}

/* write_scripts, which must write the charts. */
static void write_charts(struct fixture *f)
{
    char why[1024] = "";
    if (write_scripts(f, why, sizeof why) != SWEEP_PLOTS_WRITTEN)
        fail_msg("write: %s", why);
}

static void test_one_key_charts(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f, 1, 3);
    write_charts(&f);
    assert_true(file_exists(f.dir, "plots/sweep_cost.gp"));
    assert_true(file_exists(f.dir, "plots/sweep_difference.gp"));
    assert_false(file_exists(f.dir, "plots/sweep_heatmap.gp"));
    assert_true(file_exists(f.dir, "plots/sweep.dat"));
    /* both policies' differences cross zero at length 20 (between 15 and 22.5) */
    char *script = file_text(f.dir, "plots/sweep_difference.gp");
    assert_non_null(strstr(script, "break_even[1] = \"break-even at 20.0\""));
    assert_non_null(strstr(script, "break_even[2] = \"break-even at 20.0\""));
    assert_non_null(strstr(script, "set label 10 \"20.0\" at 20, first 0"));
    assert_non_null(strstr(script, "x = 1   # the column of the swept key"));
    assert_non_null(strstr(script, "set xrange [10 : 30]"));
    assert_non_null(strstr(script, "x_label = \"model.detention.length_days.mean \\050days per person\\051\""));
    free(script);
    fixture_free(&f);

    /* one policy: no difference to draw */
    fixture_init(&f, 1, 1);
    write_charts(&f);
    assert_true(file_exists(f.dir, "plots/sweep_cost.gp"));
    assert_false(file_exists(f.dir, "plots/sweep_difference.gp"));
    fixture_free(&f);

    /* a key with one value beside the varied one: charts against the varied
     * one (column 2), the currency in its unit as the symbol */
    fixture_init(&f, 2, 2);
    f.axes[0] = (struct sweep_plot_axis){"model.avrr.wait_in", NULL, 1, waits};
    write_charts(&f);
    script = file_text(f.dir, "plots/sweep_cost.gp");
    assert_non_null(strstr(script, "x = 2   # the column of the swept key"));
    assert_non_null(strstr(script, "set xrange [70 : 200]"));
    assert_non_null(strstr(script, "x_label = \"model.detention.cost_per_day \\050\\342\\202\\252 per detainee-day\\051\""));
    free(script);
    script = file_text(f.dir, "plots/sweep_difference.gp");
    /* the words key counts as 0 in the fixture: the difference is 2e5 everywhere */
    assert_non_null(strstr(script, "break_even[1] = \"costs more throughout\""));
    free(script);
    fixture_free(&f);
}

static void test_two_key_charts(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f, 2, 3);
    write_charts(&f);
    assert_true(file_exists(f.dir, "plots/sweep_heatmap.gp"));
    assert_true(file_exists(f.dir, "plots/sweep_heatmap_2.gp"));
    assert_false(file_exists(f.dir, "plots/sweep_heatmap_3.gp"));
    assert_false(file_exists(f.dir, "plots/sweep_cost.gp"));
    char *script = file_text(f.dir, "plots/sweep_heatmap_2.gp");
    assert_non_null(strstr(script, "p = 3   # the policy shown"));
    assert_non_null(strstr(script, "x = 1\ny = 2"));
    assert_non_null(strstr(script, "x_min = 10\nx_max = 30\ny_min = 70\ny_max = 200"));
    free(script);
    /* blocks of 3 policies x 3 costs */
    char *data = file_text(f.dir, "plots/sweep.dat");
    char *blank = line_of(data, 3 + 9 + 1);
    assert_string_equal(blank, "");
    free(blank);
    free(data);
    fixture_free(&f);
}

/* Grids that get no chart: the reason, and nothing in plots/. */
static void test_grids_without_charts(void **state)
{
    (void)state;
    struct {
        size_t n_axes, n_policies;
        int change;   /* 0: none; 1: words on key 2; 2: key 1 unordered; 3: every key one value */
        const char *expected;
    } cases[] = {
        {3, 2, 0, "3 keys vary, and the charts show one key (lines) or two (a heat map)"},
        {2, 2, 1, "the values of model.avrr.wait_in are not all numbers"},
        {1, 2, 2, "the values of model.detention.length_days.mean are not in increasing or decreasing order"},
        {2, 1, 0, "the heat map shows a policy's saving against the baseline, and there is one policy"},
        {1, 2, 3, "the grid has a single point"},
    };
    static const char *const unordered[] = {"10", "30", "20"};
    static const char *const repeated[] = {"10", "10"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fixture f;
        fixture_init(&f, cases[i].n_axes, cases[i].n_policies);
        if (cases[i].change == 1)
            f.axes[1] = (struct sweep_plot_axis){"model.avrr.wait_in", NULL, 2, words};
        if (cases[i].change == 2)
            f.axes[0].values = unordered, f.axes[0].n_values = 3;
        if (cases[i].change == 3)
            f.axes[0].n_values = 1;
        char why[1024] = "";
        assert_int_equal(write_scripts(&f, why, sizeof why), SWEEP_PLOTS_NONE);
        assert_string_equal(why, cases[i].expected);
        assert_false(file_exists(f.dir, "plots"));
        fixture_free(&f);
    }
    /* a value twice is not an order either */
    struct fixture f;
    fixture_init(&f, 1, 2);
    f.axes[0].values = repeated;
    f.axes[0].n_values = 2;
    char why[1024] = "";
    assert_int_equal(write_scripts(&f, why, sizeof why), SWEEP_PLOTS_NONE);
    fixture_free(&f);
}

/* No script holds a backquote, "system(", "$(", @ or a name as written. */
static void test_scripts_hold_escaped_names_only(void **state)
{
    (void)state;
    const char *charts[][3] = {{"sweep_cost", "sweep_difference", NULL},
                               {"sweep_heatmap", "sweep_heatmap_2", NULL}};
    for (size_t n_axes = 1; n_axes <= 2; n_axes++) {
        struct fixture f;
        fixture_init(&f, n_axes, 3);
        write_charts(&f);
        for (size_t c = 0; charts[n_axes - 1][c] != NULL; c++) {
            char name[64];
            snprintf(name, sizeof name, "plots/%s.gp", charts[n_axes - 1][c]);
            char *script = file_text(f.dir, name);
            assert_non_null(script);
            assert_null(strchr(script, '`'));
            assert_null(strstr(script, "system("));
            assert_null(strchr(script, '@'));
            assert_null(strstr(script, "$("));
            for (size_t p = 0; p < 3; p++)
                assert_null(strstr(script, hostile_policies[p]));
            /* the seed, in full */
            assert_non_null(strstr(script, "seed_text = \"18446744073709551615\""));
            free(script);
        }
        fixture_free(&f);
    }
}

/* gnuplot draws every chart without a word of warning, no name runs a command. */
static void test_render(void **state)
{
    (void)state;
    if (!have_gnuplot())
        skip();
    for (size_t n_axes = 1; n_axes <= 2; n_axes++) {
        struct fixture f;
        fixture_init(&f, n_axes, 3);
        char why[4096] = "";
        write_charts(&f);
        if (plots_render(f.dir, PLOT_PNG | PLOT_SVG, why, sizeof why) != PLOT_RENDERED)
            fail_msg("render: %s", why);
        const char *files[][4] = {{"plots/sweep_cost.png", "plots/sweep_difference.png",
                                   "plots/sweep_difference.svg", NULL},
                                  {"plots/sweep_heatmap.png", "plots/sweep_heatmap_2.png",
                                   "plots/sweep_heatmap.svg", NULL}};
        for (size_t i = 0; files[n_axes - 1][i] != NULL; i++)
            assert_true(file_exists(f.dir, files[n_axes - 1][i]));
        if (n_axes == 2) {
            /* the break-even line and its label are drawn (length 20 at every cost) */
            char *svg = file_text(f.dir, "plots/sweep_heatmap.svg");
            assert_non_null(strstr(svg, "break-even"));
            free(svg);
        }
        assert_false(file_exists(f.dir, "MARKER1"));
        assert_false(file_exists(f.dir, "MARKER2"));
        assert_false(file_exists(f.dir, "MARKER3"));
        assert_false(file_exists(f.dir, "MARKER4"));
        fixture_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_order),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_copy_replaces_names_by_position),
        cmocka_unit_test(test_copy_words_as_nan),
        cmocka_unit_test(test_copy_checks_positions),
        cmocka_unit_test(test_zero_crossings),
        cmocka_unit_test(test_format_value),
        cmocka_unit_test(test_one_key_charts),
        cmocka_unit_test(test_two_key_charts),
        cmocka_unit_test(test_grids_without_charts),
        cmocka_unit_test(test_scripts_hold_escaped_names_only),
        cmocka_unit_test(test_render),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
