/* Unit tests for plots/: the escaping of user text into gnuplot scripts (an
 * exact table, and the round trip through gnuplot itself), format parsing,
 * the numeric copies of the CSV files and their checks, the script files
 * (written whole or not at all), the scripts of every chart for a 3-policy
 * run with hostile names, and rendering them with gnuplot: no warning, every
 * file non-empty, and no name ever runs a command.
 * The run's files are a synthetic fixture written here: 3 policies, 200
 * replications, 36 months from July 2011, occupancy rising to 3,300 beds, and
 * the acceptability curve of its costs and departures (engine/ce). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "engine/ce.h"
#include "plots/gnuplot_text.h"
#include "plots/plots.h"
#include "plots/script_file.h"

extern char **environ;

/* ---- helpers ---- */

static char *read_whole_file(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (in == NULL)
        return NULL;
    char *text = NULL;
    size_t length = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) {
        char *bigger = realloc(text, length + got + 1);
        assert_non_null(bigger);
        text = bigger;
        memcpy(text + length, chunk, got);
        length += got;
    }
    fclose(in);
    if (text == NULL) {
        text = malloc(1);
        assert_non_null(text);
    }
    text[length] = '\0';
    return text;
}

/* "dir/name", malloc'd. */
static char *join(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = malloc(size);
    assert_non_null(path);
    snprintf(path, size, "%s/%s", dir, name);
    return path;
}

static bool file_exists(const char *dir, const char *name)
{
    char *path = join(dir, name);
    struct stat info;
    bool exists = stat(path, &info) == 0;
    free(path);
    return exists;
}

static long file_size(const char *dir, const char *name)
{
    char *path = join(dir, name);
    struct stat info;
    long size = stat(path, &info) == 0 ? (long)info.st_size : -1;
    free(path);
    return size;
}

static char *file_text(const char *dir, const char *name)
{
    char *path = join(dir, name);
    char *text = read_whole_file(path);
    free(path);
    return text;
}

/* The escaped literal of text, malloc'd. */
static char *escaped(const char *text)
{
    char *buffer = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buffer, &size);
    assert_non_null(out);
    gp_write_string(out, text);
    assert_int_equal(fclose(out), 0);
    return buffer;
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

/* A fresh folder under /tmp; removed by remove_folder. */
static char *make_folder(void)
{
    char *dir = strdup("/tmp/avrrsim-test-plots-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    return dir;
}

/* Removes dir and everything in it (two levels: dir/plots). */
static void remove_folder(char *dir)
{
    char *argv[] = {(char *)"rm", (char *)"-rf", dir, NULL};
    pid_t child;
    assert_int_equal(posix_spawnp(&child, "rm", NULL, NULL, argv, environ), 0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    free(dir);
}

/* Runs gnuplot on script in dir (an argument vector, no shell); its exit status. */
static int run_gnuplot(const char *dir, const char *script)
{
    char *previous = getcwd(NULL, 0);
    assert_non_null(previous);
    assert_int_equal(chdir(dir), 0);
    char *argv[] = {(char *)"gnuplot", (char *)"-d", (char *)script, NULL};
    pid_t child;
    int spawned = posix_spawnp(&child, "gnuplot", NULL, NULL, argv, environ);
    assert_int_equal(chdir(previous), 0);
    free(previous);
    assert_int_equal(spawned, 0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- escaping ---- */

static const struct {
    const char *text, *literal;
} escape_table[] = {
    {"Detention only", "\"Detention only\""},
    {"AVRR, waiting in detention 2011-07 a/b+c_d:e.", "\"AVRR, waiting in detention 2011-07 a/b+c_d:e.\""},
    {"(x)", "\"\\050x\\051\""},
    {"", "\"\""},
    {"`touch MARKER`", "\"\\140touch MARKER\\140\""},
    {"system(\"touch MARKER\")", "\"system\\050\\042touch MARKER\\042\\051\""},
    {"$(touch MARKER)", "\"\\044\\050touch MARKER\\051\""},
    {"@macro", "\"\\100macro\""},
    {"'single' \"double\"", "\"\\047single\\047 \\042double\\042\""},
    {"back\\slash\\", "\"back\\134slash\\134\""},
    {"line\nbreak", "\"line\\012break\""},
    {"tab\there", "\"tab\\011here\""},
    {"# not a comment; not a command", "\"\\043 not a comment\\073 not a command\""},
    {"{braces} ^sup _sub &amp ~x %d", "\"\\173braces\\175 \\136sup _sub \\046amp \\176x \\045d\""},
    {"<svg> & \"xml\"", "\"\\074svg\\076 \\046 \\042xml\\042\""},
    /* a digit right after an escape is escaped too ("\0441" would be one byte) */
    {"$1 @2 `3", "\"\\044\\061 \\100\\062 \\140\\063\""},
    {"\\0123", "\"\\134\\060\\061\\062\\063\""},
    {"\xe2\x82\xaa 3,300 \xe2\x82\xac", "\"\\342\\202\\252 3,300 \\342\\202\\254\""},
    {"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "\"\\327\\251\\327\\234\\327\\225\\327\\235\""},
    {"\xf0\x9f\x98\x80", "\"\\360\\237\\230\\200\""},
    /* not UTF-8, overlong, surrogate, above U+10FFFF, cut short: U+FFFD per byte */
    {"a\xff" "b", "\"a\\357\\277\\275b\""},
    {"\xc0\xaf", "\"\\357\\277\\275\\357\\277\\275\""},
    {"\xed\xa0\x80", "\"\\357\\277\\275\\357\\277\\275\\357\\277\\275\""},
    {"\xf4\x90\x80\x80", "\"\\357\\277\\275\\357\\277\\275\\357\\277\\275\\357\\277\\275\""},
    {"x\xe2\x82", "\"x\\357\\277\\275\\357\\277\\275\""},
    /* control characters but line feed and tab, DEL and C1 controls: U+FFFD */
    {"a\001b\rc\x7f" "d\xc2\x85" "e", "\"a\\357\\277\\275b\\357\\277\\275c\\357\\277\\275d\\357\\277\\275e\""},
};

static void test_escape_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof escape_table / sizeof escape_table[0]; i++) {
        char *literal = escaped(escape_table[i].text);
        assert_string_equal(literal, escape_table[i].literal);
        free(literal);
    }
    char *null_literal = escaped(NULL);
    assert_string_equal(null_literal, "\"\"");
    free(null_literal);
}

/* Every byte from 1 to 255: the literal holds only the quotes, the plain
 * characters and escapes, never a byte that gnuplot would act on. */
static void test_escape_every_byte(void **state)
{
    (void)state;
    for (int byte = 1; byte < 256; byte++) {
        char text[4] = {'x', (char)byte, '7', '\0'};
        char *literal = escaped(text);
        size_t length = strlen(literal);
        assert_true(length >= 2 && literal[0] == '"' && literal[length - 1] == '"');
        for (size_t i = 1; i + 1 < length; i++) {
            unsigned char c = (unsigned char)literal[i];
            bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                         || strchr(" ,.:/+_-", c) != NULL;
            if (c == '\\') {
                assert_true(i + 3 < length);
                for (size_t d = 1; d <= 3; d++)
                    assert_true(literal[i + d] >= '0' && literal[i + d] <= '7');
                /* the escape is never followed by a raw digit */
                assert_false(literal[i + 4] >= '0' && literal[i + 4] <= '9');
                i += 3;
                continue;
            }
            assert_true(plain);
        }
        free(literal);
    }
}

/* The strings gnuplot reads back are the user's bytes: print each literal into
 * a file with gnuplot and compare. A command in a name would create MARKER. */
static void test_escape_round_trip_through_gnuplot(void **state)
{
    (void)state;
    if (!have_gnuplot())
        skip();
    char *dir = make_folder();
    char *marker = join(dir, "MARKER");
    char hostile_backquote[512], hostile_system[512], hostile_dollar[512];
    snprintf(hostile_backquote, sizeof hostile_backquote, "`touch %s`", marker);
    snprintf(hostile_system, sizeof hostile_system, "system(\"touch %s\") \"; system(\"touch %s\")", marker, marker);
    snprintf(hostile_dollar, sizeof hostile_dollar, "$(touch %s) @x \\\n# %s", marker, marker);
    const char *texts[] = {
        hostile_backquote, hostile_system, hostile_dollar,
        "plain text, 1,234 (a/b)", "$1 @2 `3 \\0123 \\\\", "quote \" and ' and \\",
        "\xe2\x82\xaa \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x98\x80", "{a}^b_c&d~e%f",
        "ends with a backslash \\",
    };
    size_t n = sizeof texts / sizeof texts[0];
    char *script_path = join(dir, "print.gp");
    FILE *script = fopen(script_path, "w");
    assert_non_null(script);
    fputs("set print \"printed.txt\"\n", script);
    for (size_t i = 0; i < n; i++) {
        fputs("print ", script);
        gp_write_string(script, texts[i]);
        fputs("\n", script);
    }
    assert_int_equal(fclose(script), 0);
    assert_int_equal(run_gnuplot(dir, "print.gp"), 0);

    size_t expected_size = 1;
    for (size_t i = 0; i < n; i++)
        expected_size += strlen(texts[i]) + 1;
    char *expected = malloc(expected_size);
    assert_non_null(expected);
    expected[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(expected, texts[i]);
        strcat(expected, "\n");
    }
    char *printed = file_text(dir, "printed.txt");
    assert_non_null(printed);
    assert_string_equal(printed, expected);
    assert_false(file_exists(dir, "MARKER"));

    /* The control: the same text written raw does run the command, so the
     * check above can fail. */
    FILE *raw = fopen(script_path, "w");
    assert_non_null(raw);
    fprintf(raw, "set print \"raw.txt\"\nprint \"%s\"\n", hostile_backquote);
    assert_int_equal(fclose(raw), 0);
    assert_int_equal(run_gnuplot(dir, "print.gp"), 0);
    assert_true(file_exists(dir, "MARKER"));

    free(printed);
    free(expected);
    free(script_path);
    free(marker);
    remove_folder(dir);
}

static void test_currency_and_months(void **state)
{
    (void)state;
    assert_string_equal(gp_currency_symbol("ILS"), "\xe2\x82\xaa");
    assert_string_equal(gp_currency_symbol("EUR"), "\xe2\x82\xac");
    assert_string_equal(gp_currency_symbol("USD"), "$");
    assert_string_equal(gp_currency_symbol("GBP"), "\xc2\xa3");
    assert_string_equal(gp_currency_symbol("CHF"), "CHF");
    assert_string_equal(gp_currency_symbol(NULL), "");
    char label[32];
    assert_string_equal(gp_month_label(2011, 7, 0, label, sizeof label), "Jul 2011");
    assert_string_equal(gp_month_label(2011, 7, 6, label, sizeof label), "Jan 2012");
    assert_string_equal(gp_month_label(2011, 7, 35, label, sizeof label), "Jun 2014");
    assert_string_equal(gp_month_label(1999, 12, 1, label, sizeof label), "Jan 2000");
}

/* ---- formats ---- */

static void test_parse_formats(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned bits;
    } good[] = {
        {"png", PLOT_PNG}, {"svg", PLOT_SVG}, {"pdf", PLOT_PDF},
        {"png,svg,pdf", PLOT_PNG | PLOT_SVG | PLOT_PDF}, {"pdf,png", PLOT_PNG | PLOT_PDF},
        {"svg,svg", PLOT_SVG},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        unsigned formats = 99;
        char why[200] = "";
        assert_int_equal(plots_parse_formats(good[i].text, &formats, why, sizeof why), 0);
        assert_int_equal(formats, good[i].bits);
    }
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"jpg", "unknown format 'jpg' (valid formats: png, svg, pdf, separated by commas)"},
        {"png,gif", "unknown format 'gif' (valid formats: png, svg, pdf, separated by commas)"},
        {"PNG", "unknown format 'PNG' (valid formats: png, svg, pdf, separated by commas)"},
        {"png svg", "unknown format 'png svg' (valid formats: png, svg, pdf, separated by commas)"},
        {"", "an empty format in '' (valid formats: png, svg, pdf, separated by commas)"},
        {"png,,svg", "an empty format in 'png,,svg' (valid formats: png, svg, pdf, separated by commas)"},
        {"png,", "an empty format in 'png,' (valid formats: png, svg, pdf, separated by commas)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned formats = 99;
        char why[200] = "";
        assert_int_equal(plots_parse_formats(bad[i].text, &formats, why, sizeof why), -1);
        assert_int_equal(formats, 99);
        assert_string_equal(why, bad[i].why);
    }
    unsigned formats = 0;
    char why[200];
    assert_int_equal(plots_parse_formats(NULL, &formats, why, sizeof why), -1);
}

static void test_chart_table(void **state)
{
    (void)state;
    static const char *const names[] = {"cost_distribution", "savings", "cost_breakdown", "cumulative_cost",
                                        "detention_occupancy", "departures", "ce_plane", "ceac", "evpi"};
    assert_int_equal(plots_chart_count(), 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(plots_chart_name(i), names[i]);
    assert_null(plots_chart_name(9));
}

/* ---- the fixture: a run's CSV files ---- */

static const char *const metric_names[] = {
    "arrivals", "detained", "avrr_departures", "removals", "releases", "detention_days",
    "cost_detention", "cost_removal", "cost_avrr", "cost_community", "cost_program",
    "cost_total", "cost_total_discounted",
};
enum {
    M_ARRIVALS, M_DETAINED, M_AVRR, M_REMOVALS, M_RELEASES, M_DAYS, M_DETENTION, M_REMOVAL,
    M_AVRR_COST, M_COMMUNITY, M_PROGRAM, M_TOTAL, M_DISCOUNTED, N_METRICS
};

static const char *const timeseries_metrics[] = {
    "arrivals", "detained_avg", "detained_end", "avrr_queue_end", "avrr_departures",
    "removals", "releases", "cost", "cost_cumulative",
};
enum { N_TS_METRICS = 9, FIXTURE_POLICIES = 3, FIXTURE_REPLICATIONS = 200, FIXTURE_MONTHS = 36 };
/* the limits of each series: beds for detained_avg and detained_end */
static const double fixture_limits[N_TS_METRICS] = {
    INFINITY, 3300, 3300, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY,
};
static const double unlimited[N_TS_METRICS] = {
    INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY,
};

static const char *const plain_policies[FIXTURE_POLICIES] = {
    "Detention only", "AVRR offered", "AVRR, waiting in detention",
};

/* A CSV text field as the engine writes it (quoted, quotes doubled, a ' before
 * text that starts like a formula). */
static void put_csv_text(FILE *out, const char *text)
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

static FILE *open_in(const char *dir, const char *name)
{
    char *path = join(dir, name);
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    free(path);
    return out;
}

enum { MAX_FIXTURE_POLICIES = 8, MAX_FIXTURE_REPLICATIONS = 200 };

/* What a fixture run holds. */
struct fixture {
    size_t policies;        /* up to MAX_FIXTURE_POLICIES */
    size_t replications;
    bool timeseries, dated;
    bool identical;         /* every policy the same as the baseline */
};

/* One replication's metrics for each policy, from the drawn inputs: policy
 * p behaves like policy p % 3 of the baseline scenario (0 detention only, 1
 * AVRR offered, 2 AVRR waiting in detention), later ones detaining fewer. */
static void fixture_replication(gsl_rng *rng, const struct fixture *f,
                                double values[MAX_FIXTURE_POLICIES][N_METRICS])
{
    double arrivals = round(21600 + gsl_ran_gaussian(rng, 147));
    double uptake = gsl_ran_beta(rng, 5.5, 49.5);                 /* mean 0.10 */
    double removal = gsl_ran_beta(rng, 6.0, 14.0);                /* mean 0.30 */
    double per_day = 70 + 130 * gsl_ran_beta(rng, 2.0, 3.0);      /* 70 to 200 */
    double length = 46 * exp(gsl_ran_gaussian(rng, 0.08));
    double avrr = round(arrivals * uptake);
    for (size_t q = 0; q < f->policies; q++) {
        double *v = values[q];
        size_t p = f->identical ? 0 : q % 3;
        double share = f->identical ? 1.0 : 1.0 / (double)(1 + q / 3);
        double departing = p == 0 ? 0 : avrr;
        double detained_people = (arrivals - departing) * share;
        v[M_ARRIVALS] = arrivals;
        v[M_DETAINED] = p == 2 ? arrivals : detained_people;
        v[M_AVRR] = departing;
        v[M_REMOVALS] = round(detained_people * removal);
        v[M_RELEASES] = arrivals - departing - v[M_REMOVALS];
        v[M_DAYS] = detained_people * length + (p == 2 ? departing * 45 : 0);
        v[M_DETENTION] = v[M_DAYS] * per_day;
        v[M_REMOVAL] = v[M_REMOVALS] * 14650;
        v[M_AVRR_COST] = departing * 10500;
        v[M_COMMUNITY] = p == 1 ? departing * 45 * 38 : 0;
        v[M_PROGRAM] = p == 0 ? 0 : 2500000;
        v[M_TOTAL] = v[M_DETENTION] + v[M_REMOVAL] + v[M_AVRR_COST] + v[M_COMMUNITY] + v[M_PROGRAM];
        v[M_DISCOUNTED] = v[M_TOTAL] * 0.955;
    }
}

static void put_number(FILE *out, double value, int decimals)
{
    fprintf(out, ",%.*f", decimals, value);
}

/* ceac.csv of the fixture (with two policies or more), as the engine writes
 * it: total cost against departures, values from 0 to 20,000. */
static void write_fixture_ceac(const char *dir, const char *const *policies, const struct fixture *f,
                               const double *cost, const double *effect)
{
    if (f->policies < 2)
        return;
    FILE *ceac = open_in(dir, "ceac.csv");
    fputs("value,policy,probability_best,expected_net_benefit,evpi\n", ceac);
    for (size_t i = 0; i < CE_VALUES; i++) {
        double value = ce_value_at(20000, i), probability[MAX_FIXTURE_POLICIES],
               expected[MAX_FIXTURE_POLICIES], evpi;
        ce_at_value(cost, effect, f->replications, f->policies, value, probability, expected, &evpi);
        for (size_t p = 0; p < f->policies; p++) {
            fprintf(ceac, "%.2f,", value);
            put_csv_text(ceac, policies[p]);
            fprintf(ceac, ",%.4f,%.2f,%.2f\n", probability[p], expected[p], evpi);
        }
    }
    assert_int_equal(fclose(ceac), 0);
}

/* Writes replications.csv, differences.csv, summary.csv, ceac.csv and (when
 * asked) the time series of a run into dir, as the engine writes them. */
static void write_fixture_run(const char *dir, const char *const *policies, const struct fixture *f)
{
    assert_true(f->policies >= 1 && f->policies <= MAX_FIXTURE_POLICIES);
    assert_true(f->replications <= MAX_FIXTURE_REPLICATIONS);
    static double ce_cost[MAX_FIXTURE_REPLICATIONS * MAX_FIXTURE_POLICIES];
    static double ce_effect[MAX_FIXTURE_REPLICATIONS * MAX_FIXTURE_POLICIES];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    assert_non_null(rng);
    gsl_rng_set(rng, 20111212);
    FILE *reps = open_in(dir, "replications.csv");
    FILE *diffs = open_in(dir, "differences.csv");
    fputs("replication,policy", reps);
    fputs("replication,policy,baseline", diffs);
    for (size_t k = 0; k < N_METRICS; k++) {
        fprintf(reps, ",%s", metric_names[k]);
        fprintf(diffs, ",%s", metric_names[k]);
    }
    fputc('\n', reps);
    fputc('\n', diffs);
    double sum[MAX_FIXTURE_POLICIES][N_METRICS] = {{0}};
    double sum2[MAX_FIXTURE_POLICIES][N_METRICS] = {{0}};
    for (size_t r = 1; r <= f->replications; r++) {
        double values[MAX_FIXTURE_POLICIES][N_METRICS];
        fixture_replication(rng, f, values);
        for (size_t p = 0; p < f->policies; p++) {
            fprintf(reps, "%zu,", r);
            put_csv_text(reps, policies[p]);
            for (size_t k = 0; k < N_METRICS; k++) {
                put_number(reps, values[p][k], k >= M_DAYS ? 2 : 0);
                sum[p][k] += values[p][k];
                sum2[p][k] += values[p][k] * values[p][k];
            }
            ce_cost[(r - 1) * f->policies + p] = values[p][M_TOTAL];
            ce_effect[(r - 1) * f->policies + p] = values[p][M_AVRR] + values[p][M_REMOVALS];
            fputc('\n', reps);
            if (p == 0)
                continue;
            fprintf(diffs, "%zu,", r);
            put_csv_text(diffs, policies[p]);
            fputc(',', diffs);
            put_csv_text(diffs, policies[0]);
            for (size_t k = 0; k < N_METRICS; k++)
                put_number(diffs, values[p][k] - values[0][k], k >= M_DAYS ? 2 : 0);
            fputc('\n', diffs);
        }
    }
    assert_int_equal(fclose(reps), 0);
    assert_int_equal(fclose(diffs), 0);
    write_fixture_ceac(dir, policies, f, ce_cost, ce_effect);

    FILE *summary = open_in(dir, "summary.csv");
    fputs("policy,metric,mean,sd,se,p05,p50,p95\n", summary);
    double n = (double)f->replications;
    for (size_t p = 0; p < f->policies; p++) {
        for (size_t k = 0; k < N_METRICS; k++) {
            double mean = sum[p][k] / n;
            double variance = sum2[p][k] / n - mean * mean;
            double sd = sqrt(variance > 0 ? variance : 0);
            put_csv_text(summary, policies[p]);
            fputc(',', summary);
            put_csv_text(summary, metric_names[k]);
            fprintf(summary, ",%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n", mean, sd, sd / sqrt(n),
                    mean - 1.645 * sd, mean, mean + 1.645 * sd);
        }
    }
    assert_int_equal(fclose(summary), 0);

    if (f->timeseries) {
        FILE *ts = open_in(dir, "timeseries.csv");
        fputs(f->dated ? "month,date,policy,metric,mean,p05,p50,p95\n" : "month,policy,metric,mean,p05,p50,p95\n", ts);
        double cumulative[MAX_FIXTURE_POLICIES] = {0};
        for (int m = 1; m <= FIXTURE_MONTHS; m++) {
            for (size_t q = 0; q < f->policies; q++) {
                size_t p = f->identical ? 0 : q % 3;
                /* occupancy rises to the 3,300 beds under detention only */
                double share = (p == 0 ? 1.0 : p == 1 ? 0.82 : 0.93) / (f->identical ? 1.0 : (double)(1 + q / 3));
                double occupancy = 3300 * share * (1 - exp(-m / 7.0));
                double avrr_out = p == 0 ? 0 : (m < 2 ? 0 : 58 + 4 * sin(m / 3.0));
                double removed = 180 * (p == 0 ? 1.0 : 0.9) * share * (1 - exp(-m / 2.0));
                double cost = occupancy * 30.4375 * 120 + removed * 14650 + avrr_out * 10500;
                cumulative[q] += cost;
                double means[N_TS_METRICS] = {
                    600, occupancy, occupancy * 1.01, p == 0 ? 0 : 85, avrr_out, removed,
                    600 - avrr_out - removed, cost, cumulative[q],
                };
                for (int k = 0; k < N_TS_METRICS; k++) {
                    double spread = k == 1 || k == 2 ? 0.12 : k == 8 ? 0.08 + 0.06 * m / FIXTURE_MONTHS : 0.2;
                    double high = means[k] * (1 + spread);
                    if ((k == 1 || k == 2) && high > 3300)
                        high = 3300;
                    fprintf(ts, "%d,", m);
                    if (f->dated) {
                        int index = 2011 * 12 + 6 + (m - 1);
                        fprintf(ts, "\"%d-%02d\",", index / 12, index % 12 + 1);
                    }
                    put_csv_text(ts, policies[q]);
                    fputc(',', ts);
                    put_csv_text(ts, timeseries_metrics[k]);
                    fprintf(ts, ",%.4f,%.4f,%.4f,%.4f\n", means[k], means[k] * (1 - spread), means[k], high);
                }
            }
        }
        assert_int_equal(fclose(ts), 0);
    }
    gsl_rng_free(rng);
}

/* The usual fixture: 3 policies, 200 replications. */
static void write_fixture(const char *dir, const char *const *policies, bool timeseries, bool dated)
{
    struct fixture f = {FIXTURE_POLICIES, FIXTURE_REPLICATIONS, timeseries, dated, false};
    write_fixture_run(dir, policies, &f);
}

static struct plot_context fixture_context(const char *scenario, const char *const *policies)
{
    struct plot_context ctx = {
        .scenario_name = scenario,
        .currency = "ILS",
        .n_policies = FIXTURE_POLICIES,
        .policy_names = policies,
        .n_metrics = N_METRICS,
        .metric_names = metric_names,
        .replications = FIXTURE_REPLICATIONS,
        .months = FIXTURE_MONTHS,
        .n_timeseries_metrics = N_TS_METRICS,
        .timeseries_metrics = timeseries_metrics,
        .start_year = 2011,
        .start_month = 7,
        .series_limits = fixture_limits,
        .effect_name = "departures",
        .ce_values = CE_VALUES,
    };
    return ctx;
}

/* ---- the numeric copies ---- */

/* Names with quotes, commas and line breaks are read right (gnuplot could
 * not), each replaced by its position. */
static void test_copies_replace_names_by_position(void **state)
{
    (void)state;
    static const char *const policies[] = {"=Det \"a, b\"\n# c", "x,\"\"\n\ny"};
    static const char *const metrics[] = {"cost_total"};
    char *dir = make_folder();
    FILE *reps = open_in(dir, "replications.csv");
    fputs("replication,policy,cost_total\n", reps);
    for (int r = 1; r <= 2; r++)
        for (int p = 0; p < 2; p++) {
            fprintf(reps, "%d,", r);
            put_csv_text(reps, policies[p]);
            fprintf(reps, ",%d.50\n", 10 * r + p);
        }
    assert_int_equal(fclose(reps), 0);
    FILE *diffs = open_in(dir, "differences.csv");
    fputs("replication,policy,baseline,cost_total\r\n", diffs);
    for (int r = 1; r <= 2; r++) {
        fprintf(diffs, "%d,", r);
        put_csv_text(diffs, policies[1]);
        fputc(',', diffs);
        put_csv_text(diffs, policies[0]);
        fputs(r == 1 ? ",nan\r\n" : ",-1e3\r\n", diffs);
    }
    assert_int_equal(fclose(diffs), 0);
    FILE *summary = open_in(dir, "summary.csv");
    fputs("policy,metric,mean,sd,se,p05,p50,p95\n", summary);
    for (int p = 0; p < 2; p++) {
        put_csv_text(summary, policies[p]);
        fputs(",\"cost_total\",1,2,3,4,5,6\n", summary);
    }
    assert_int_equal(fclose(summary), 0);

    struct plot_context ctx = {
        .scenario_name = "s", .currency = "EUR", .n_policies = 2, .policy_names = policies,
        .n_metrics = 1, .metric_names = metrics, .replications = 2, .series_limits = unlimited,
    };
    char why[512] = "";
    /* the copies are written first; then ce_plane lacks the departures */
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "chart cost_breakdown: no cost component (a metric cost_*)");
    char *text = file_text(dir, "plots/replications.dat");
    assert_non_null(text);
    assert_string_equal(text,
                        "# replications.csv with each policy replaced by its position (0: the baseline):\n"
                        "# replication policy cost_total\n"
                        "1 0 10.50\n1 1 11.50\n2 0 20.50\n2 1 21.50\n");
    free(text);
    text = file_text(dir, "plots/differences.dat");
    assert_non_null(text);
    assert_string_equal(text,
                        "# differences.csv with each policy replaced by its position (0: the baseline):\n"
                        "# replication policy baseline cost_total\n"
                        "1 1 0 NaN\n2 1 0 -1e3\n");
    free(text);
    text = file_text(dir, "plots/summary.dat");
    assert_non_null(text);
    assert_string_equal(text,
                        "# summary.csv with each policy replaced by its position (0: the baseline) and each metric by its position:\n"
                        "# policy metric mean sd se p05 p50 p95\n"
                        "0 0 1 2 3 4 5 6\n1 0 1 2 3 4 5 6\n");
    free(text);
    assert_true(file_exists(dir, "plots/cost_distribution.gp"));
    assert_true(file_exists(dir, "plots/savings.gp"));
    assert_false(file_exists(dir, "plots/cost_breakdown.gp"));
    assert_false(file_exists(dir, "plots/cost_breakdown.gp.tmp"));
    remove_folder(dir);
}

/* A context that does not match the files is refused with the file, the line
 * and what was expected. */
static void test_copies_check_positions(void **state)
{
    (void)state;
    char *dir = make_folder();
    write_fixture(dir, plain_policies, true, true);
    char why[512];

    static const char *const swapped[] = {"AVRR offered", "Detention only", "AVRR, waiting in detention"};
    struct plot_context ctx = fixture_context("Baseline", swapped);
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "replications.csv:2: policy is not policy 1 of the plot context "
                             "(the plot context does not match the run)");

    ctx = fixture_context("Baseline", plain_policies);
    ctx.replications = 199;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "replications.csv:599: more rows than the 597 expected "
                             "(the plot context does not match the run)");

    ctx = fixture_context("Baseline", plain_policies);
    ctx.replications = 201;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "replications.csv has 600 rows, expected 603 "
                             "(the plot context does not match the run)");

    ctx = fixture_context("Baseline", plain_policies);
    ctx.metric_names = timeseries_metrics;   /* summary.csv's second row names "detained" */
    ctx.n_metrics = N_TS_METRICS;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "summary.csv:3: metric 'detained', expected 'detained_avg' "
                             "(the plot context does not match the run)");

    ctx = fixture_context("Baseline", plain_policies);
    ctx.months = 35;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "timeseries.csv:947: more rows than the 945 expected "
                             "(the plot context does not match the run)");

    ctx = fixture_context("Baseline", plain_policies);
    ctx.ce_values = 100;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "ceac.csv:302: more rows than the 300 expected "
                             "(the plot context does not match the run)");

    ctx = fixture_context("Baseline", plain_policies);
    ctx.effect_name = NULL;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "plot context: ceac.csv without the name of its effect");

    ctx = fixture_context("Baseline", plain_policies);
    ctx.start_month = 13;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "plot context: start 2011-13 is not a year and a month 1-12 (or 0, 0)");

    ctx = fixture_context("Baseline", plain_policies);
    char *missing = join(dir, "differences.csv");
    assert_int_equal(unlink(missing), 0);
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    char expected[600];
    snprintf(expected, sizeof expected, "cannot open %s: No such file or directory", missing);
    assert_string_equal(why, expected);
    free(missing);
    remove_folder(dir);
}

static void test_copies_reject_broken_csv(void **state)
{
    (void)state;
    static const struct {
        const char *content, *why;
    } cases[] = {
        {"replication,policy,cost_total\n1,\"A\",5\n1,\"B\",x\n", "replications.csv:3: column 'cost_total' is not a number"},
        {"replication,policy,cost_total\n1,\"A\",5\n1,\"B\n", "replications.csv:3: a quoted field is not closed"},
        {"replication,policy,cost_total\n1,\"A\",5,6\n", "replications.csv:2: 4 fields, expected 3"},
        {"replication,policy,cost_total\n1,\"A\"x,5\n", "replications.csv:2: text after the closing quote of field 2"},
        {"replication,policy,cost_total\n1,A\"x,5\n", "replications.csv:2: a quote inside unquoted field 2"},
        {"replication,policy,cost_total\n2,\"A\",5\n", "replications.csv:2: replication 2, expected 1 (the plot context does not match the run)"},
        {"policy,cost_total\n", "replications.csv:1: no column 'replication'"},
        {"", "replications.csv is empty"},
    };
    static const char *const policies[] = {"A", "B"};
    static const char *const metrics[] = {"cost_total"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir = make_folder();
        FILE *reps = open_in(dir, "replications.csv");
        fputs(cases[i].content, reps);
        assert_int_equal(fclose(reps), 0);
        struct plot_context ctx = {
            .scenario_name = "s", .currency = "ILS", .n_policies = 2, .policy_names = policies,
            .n_metrics = 1, .metric_names = metrics, .replications = 1, .series_limits = unlimited,
        };
        char why[512] = "";
        assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
        assert_string_equal(why, cases[i].why);
        remove_folder(dir);
    }
}

/* ---- the scripts ---- */

static const char *const chart_names[] = {"cost_distribution", "savings", "cost_breakdown", "cumulative_cost",
                                          "detention_occupancy", "departures", "ce_plane", "ceac", "evpi"};
enum { CHART_NAMES = sizeof chart_names / sizeof chart_names[0] };

struct hostile {
    char *dir, *marker;
    char scenario[600];
    char policy[FIXTURE_POLICIES][600];
    const char *policies[FIXTURE_POLICIES];
};

/* Names that would each create dir/MARKER if any of them ran as a command. */
static void make_hostile(struct hostile *h)
{
    h->dir = make_folder();
    h->marker = join(h->dir, "MARKER");
    snprintf(h->scenario, sizeof h->scenario, "Scenario `touch %s` $(touch %s) \"q\" 'q' \\ @x\nsecond line \xe2\x82\xaa",
             h->marker, h->marker);
    snprintf(h->policy[0], sizeof h->policy[0], "Detention `touch %s`", h->marker);
    snprintf(h->policy[1], sizeof h->policy[1], "=AVRR system(\"touch %s\"), \"fast\"\n\\ back", h->marker);
    snprintf(h->policy[2], sizeof h->policy[2], "AVRR $(touch %s) @macro {x}_1^2 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d #;",
             h->marker);
    for (int p = 0; p < FIXTURE_POLICIES; p++)
        h->policies[p] = h->policy[p];
}

static void free_hostile(struct hostile *h)
{
    free(h->marker);
    remove_folder(h->dir);
}

static void test_scripts_hold_escaped_names_only(void **state)
{
    (void)state;
    struct hostile h;
    make_hostile(&h);
    write_fixture(h.dir, h.policies, true, true);
    struct plot_context ctx = fixture_context(h.scenario, h.policies);
    char why[512] = "";
    assert_int_equal(plots_write_scripts(&ctx, h.dir, why, sizeof why), 0);
    char *names[FIXTURE_POLICIES + 1];
    names[0] = escaped(h.scenario);
    for (int p = 0; p < FIXTURE_POLICIES; p++)
        names[p + 1] = escaped(h.policies[p]);
    for (size_t c = 0; c < CHART_NAMES; c++) {
        char script_name[64];
        snprintf(script_name, sizeof script_name, "plots/%s.gp", chart_names[c]);
        char *script = file_text(h.dir, script_name);
        assert_non_null(script);
        for (int i = 0; i < FIXTURE_POLICIES + 1; i++)
            assert_non_null(strstr(script, names[i]));
        assert_null(strchr(script, '`'));
        assert_null(strchr(script, '@'));
        assert_null(strstr(script, "system("));
        assert_null(strstr(script, "$("));
        assert_null(strstr(script, "eval "));
        assert_null(strstr(script, "\nload "));
        /* every byte is printable ASCII or a line feed */
        for (const char *p = script; *p != '\0'; p++)
            assert_true((*p >= 0x20 && *p < 0x7f) || *p == '\n');
        /* the scenario in the title, the render loop, the chart's own outputs */
        assert_non_null(strstr(script, "chart_title = scenario_name . \""));
        assert_non_null(strstr(script, "do for [format in formats] {"));
        char output[80];
        snprintf(output, sizeof output, "set output \"plots/%s.\" . format", chart_names[c]);
        assert_non_null(strstr(script, output));
        assert_non_null(strstr(script, "if (!exists(\"formats\")) formats = \"png svg pdf\""));
        free(script);
    }
    for (int i = 0; i < FIXTURE_POLICIES + 1; i++)
        free(names[i]);
    assert_false(file_exists(h.dir, "MARKER"));
    free_hostile(&h);
}

/* Positions, not names: the rows each chart selects follow from the counts. */
static void test_scripts_select_rows_by_position(void **state)
{
    (void)state;
    char *dir = make_folder();
    write_fixture(dir, plain_policies, true, true);
    struct plot_context ctx = fixture_context("Baseline 2011", plain_policies);
    char why[512] = "";
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), 0);
    static const struct {
        const char *chart, *needle;
    } expected[] = {
        {"cost_distribution", "cost = 14   # the column cost_total"},
        {"cost_distribution", "file every P::(p - 1) using (column(cost) / scale)"},
        {"savings", "cost = 15   # the column cost_total (policy minus baseline)"},
        {"savings", "file every A::(a - 1) using (column(cost) / scale)"},
        {"cost_breakdown", "NM = 13   # metrics"},
        {"cost_breakdown", "total_row = 11   # cost_total"},
        {"cost_breakdown", "C = 5   # components, bottom to top"},
        {"cost_breakdown", "component_row[1] = 6   # cost_detention\ncomponent_label[1] = \"detention\""},
        {"cost_breakdown", "component_row[3] = 8   # cost_avrr\ncomponent_label[3] = \"AVRR\""},
        {"cost_breakdown", "component_row[5] = 10   # cost_program\ncomponent_label[5] = \"programme\""},
        {"cumulative_cost", "month = 1\nmean = 5\np05 = 6\np95 = 8   # columns\nM = 9"},
        {"cumulative_cost", "k = 8   # the metric cost_cumulative"},
        {"cumulative_cost", "file every (P*M)::((p - 1) * M + k)"},
        {"cumulative_cost", "\"Jul 2011\" 1, \"Jan 2012\" 7, \"Jul 2012\" 13, \"Jan 2013\" 19, \"Jul 2013\" 25, \"Jan 2014\" 31)"},
        {"detention_occupancy", "k = 1   # the metric detained_avg"},
        {"detention_occupancy", "capacity = 3300   # detention beds"},
        {"departures", "k_avrr = 4   # the metric avrr_departures\nk_removals = 5   # the metric removals"},
        {"ce_plane", "cost = 15\navrr = 6\nremovals = 7   # columns"},
        {"ce_plane", "\"more departures, more cost\""},
        {"ce_plane", "\"fewer departures, less cost\""},
        {"ceac", "value = 1\nprobability = 3   # columns: policy p at value i is row (i - 1) * P + p - 1"},
        {"ceac", "file every P::(p - 1) using (column(value) / scale):(column(probability))"},
        {"ceac", "effect_name = \"departures\"\neffect_unit = \"departure\""},
        {"evpi", "value = 1\nevpi = 5   # columns"},
        {"evpi", "file every P::0 using (column(value) / x_scale):(column(evpi) / y_scale)"},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        char script_name[64];
        snprintf(script_name, sizeof script_name, "plots/%s.gp", expected[i].chart);
        char *script = file_text(dir, script_name);
        assert_non_null(script);
        if (strstr(script, expected[i].needle) == NULL)
            fail_msg("%s lacks: %s", expected[i].chart, expected[i].needle);
        free(script);
    }
    char *text = file_text(dir, "plots/timeseries.dat");
    assert_non_null(text);
    assert_non_null(strstr(text, "# month date policy metric mean p05 p50 p95\n1 NaN 0 0 600.0000 "));
    free(text);
    remove_folder(dir);
}

/* Without a time series the charts 4-6 are skipped and their stale scripts
 * removed; with one policy, so are the comparisons; without a start the month
 * axis counts months; an unlimited capacity draws no line. */
static void test_scripts_skip_what_does_not_apply(void **state)
{
    (void)state;
    char *dir = make_folder();
    write_fixture(dir, plain_policies, true, false);
    struct plot_context ctx = fixture_context("Baseline", plain_policies);
    ctx.start_year = 0;
    ctx.start_month = 0;
    ctx.series_limits = unlimited;
    char why[512] = "";
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), 0);
    for (size_t c = 0; c < CHART_NAMES; c++) {
        char script_name[64];
        snprintf(script_name, sizeof script_name, "plots/%s.gp", chart_names[c]);
        assert_true(file_exists(dir, script_name));
    }
    char *script = file_text(dir, "plots/departures.gp");
    assert_non_null(strstr(script, "set xtics out nomirror (\"1\" 1, \"6\" 6, \"12\" 12, \"18\" 18, \"24\" 24, \"30\" 30, \"36\" 36)"));
    assert_non_null(strstr(script, "month_label = \"month of the scenario\""));
    free(script);
    script = file_text(dir, "plots/detention_occupancy.gp");
    assert_non_null(strstr(script, "capacity = NaN   # no limit on detention beds"));
    free(script);

    ctx.months = 0;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), 0);
    assert_false(file_exists(dir, "plots/cumulative_cost.gp"));
    assert_false(file_exists(dir, "plots/detention_occupancy.gp"));
    assert_false(file_exists(dir, "plots/departures.gp"));
    assert_true(file_exists(dir, "plots/ce_plane.gp"));
    assert_true(file_exists(dir, "plots/ceac.gp"));

    /* no ceac.csv: no ceac and evpi charts */
    ctx.ce_values = 0;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), 0);
    assert_false(file_exists(dir, "plots/ceac.gp"));
    assert_false(file_exists(dir, "plots/evpi.gp"));
    assert_true(file_exists(dir, "plots/ce_plane.gp"));
    remove_folder(dir);

    /* one policy: replications.csv and summary.csv only */
    static const char *const one[] = {"Only"};
    static const char *const metrics[] = {"cost_detention", "cost_total"};
    dir = make_folder();
    FILE *reps = open_in(dir, "replications.csv");
    fputs("replication,policy,cost_detention,cost_total\n1,\"Only\",5,5\n2,\"Only\",7,7\n", reps);
    assert_int_equal(fclose(reps), 0);
    FILE *summary = open_in(dir, "summary.csv");
    fputs("policy,metric,mean,sd,se,p05,p50,p95\n\"Only\",\"cost_detention\",6,1,1,5,6,7\n"
          "\"Only\",\"cost_total\",6,1,1,5,6,7\n", summary);
    assert_int_equal(fclose(summary), 0);
    struct plot_context single = {
        .scenario_name = "One", .currency = "GBP", .n_policies = 1, .policy_names = one,
        .n_metrics = 2, .metric_names = metrics, .replications = 2, .series_limits = unlimited,
    };
    assert_int_equal(plots_write_scripts(&single, dir, why, sizeof why), 0);
    assert_true(file_exists(dir, "plots/cost_distribution.gp"));
    assert_true(file_exists(dir, "plots/cost_breakdown.gp"));
    assert_false(file_exists(dir, "plots/savings.gp"));
    assert_false(file_exists(dir, "plots/ce_plane.gp"));
    assert_false(file_exists(dir, "plots/differences.dat"));
    if (have_gnuplot() && plots_render(dir, PLOT_PNG, why, sizeof why) != PLOT_RENDERED)
        fail_msg("render: %s", why);
    remove_folder(dir);
}

/* ---- the script files (plots/script_file.h) ---- */

/* A script body: writes data (a string); NULL data fails halfway with a reason. */
static int text_body(FILE *out, const void *data, char *why, size_t why_size)
{
    if (data == NULL) {
        fputs("half a scr", out);
        snprintf(why, why_size, "chart x: no column 'y'");
        return -1;
    }
    fputs(data, out);
    return 0;
}

/* A script is written whole or not at all: a failing body, a blocked
 * temporary file or target leave the earlier script and no NAME.gp.tmp. */
static void test_script_files(void **state)
{
    (void)state;
    char *dir = make_folder();
    char why[512] = "", expected[700];
    /* the folder: a file in its place is refused; an existing folder is fine */
    FILE *blocker = open_in(dir, "plots");
    assert_int_equal(fclose(blocker), 0);
    assert_int_equal(script_file_make_folder(dir, why, sizeof why), -1);
    snprintf(expected, sizeof expected, "cannot create %s/plots: Not a directory", dir);
    assert_string_equal(why, expected);
    char *plots = join(dir, "plots");
    assert_int_equal(unlink(plots), 0);
    assert_int_equal(script_file_make_folder(dir, why, sizeof why), 0);
    assert_int_equal(script_file_make_folder(dir, why, sizeof why), 0);

    assert_int_equal(script_file_write(dir, "chart", text_body, "first\n", why, sizeof why), 0);
    char *text = file_text(dir, "plots/chart.gp");
    assert_string_equal(text, "first\n");
    free(text);
    /* the body fails: its reason, the first script kept, no temporary file */
    assert_int_equal(script_file_write(dir, "chart", text_body, NULL, why, sizeof why), -1);
    assert_string_equal(why, "chart x: no column 'y'");
    text = file_text(dir, "plots/chart.gp");
    assert_string_equal(text, "first\n");
    free(text);
    assert_false(file_exists(dir, "plots/chart.gp.tmp"));
    assert_int_equal(script_file_write(dir, "chart", text_body, "second\n", why, sizeof why), 0);
    text = file_text(dir, "plots/chart.gp");
    assert_string_equal(text, "second\n");
    free(text);

    /* the temporary file cannot be created */
    char *tmp = join(dir, "plots/blocked.gp.tmp");
    assert_int_equal(mkdir(tmp, 0777), 0);
    assert_int_equal(script_file_write(dir, "blocked", text_body, "x\n", why, sizeof why), -1);
    snprintf(expected, sizeof expected, "cannot write %s: Is a directory", tmp);
    assert_string_equal(why, expected);
    assert_false(file_exists(dir, "plots/blocked.gp"));
    assert_int_equal(rmdir(tmp), 0);
    free(tmp);

    /* the target cannot be replaced (a folder that is not empty) */
    char *target = join(dir, "plots/held.gp");
    char *inside = join(dir, "plots/held.gp/file");
    assert_int_equal(mkdir(target, 0777), 0);
    FILE *file = fopen(inside, "w");
    assert_non_null(file);
    assert_int_equal(fclose(file), 0);
    assert_int_equal(script_file_write(dir, "held", text_body, "x\n", why, sizeof why), -1);
    snprintf(expected, sizeof expected, "cannot rename %s.tmp: Is a directory", target);
    assert_string_equal(why, expected);
    assert_false(file_exists(dir, "plots/held.gp.tmp"));
    /* nor removed */
    assert_int_equal(script_file_remove(dir, "held", why, sizeof why), -1);
    snprintf(expected, sizeof expected, "cannot remove %s: Is a directory", target);
    assert_string_equal(why, expected);
    assert_int_equal(unlink(inside), 0);
    assert_int_equal(rmdir(target), 0);
    free(inside);
    free(target);

    /* a stale script is removed; an absent one is no failure */
    assert_int_equal(script_file_remove(dir, "chart", why, sizeof why), 0);
    assert_false(file_exists(dir, "plots/chart.gp"));
    assert_int_equal(script_file_remove(dir, "chart", why, sizeof why), 0);
    free(plots);
    remove_folder(dir);
}

static void test_copies_check_timeseries_metrics(void **state)
{
    (void)state;
    char *dir = make_folder();
    write_fixture(dir, plain_policies, true, true);
    static const char *const ts_without_cumulative[] = {
        "arrivals", "detained_avg", "detained_end", "avrr_queue_end", "avrr_departures",
        "removals", "releases", "cost", "cost_total_so_far",
    };
    struct plot_context ctx = fixture_context("Baseline", plain_policies);
    ctx.timeseries_metrics = ts_without_cumulative;
    char why[512] = "";
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), -1);
    assert_string_equal(why, "timeseries.csv:10: metric 'cost_cumulative', expected 'cost_total_so_far' "
                             "(the plot context does not match the run)");
    remove_folder(dir);
}

/* ---- rendering ---- */

static void assert_rendered(const char *dir, unsigned formats)
{
    static const char *const words[] = {"png", "svg", "pdf"};
    for (size_t c = 0; c < CHART_NAMES; c++) {
        for (size_t f = 0; f < 3; f++) {
            char name[80];
            snprintf(name, sizeof name, "plots/%s.%s", chart_names[c], words[f]);
            if (formats & (1u << f)) {
                if (file_size(dir, name) <= 0)
                    fail_msg("%s is missing or empty", name);
            } else {
                assert_false(file_exists(dir, name));
            }
        }
    }
}

/* Every chart of the hostile run renders in every format without a word from
 * gnuplot, and no name runs a command; then each script runs on its own. */
static void test_render_hostile_names(void **state)
{
    (void)state;
    if (!have_gnuplot())
        skip();
    struct hostile h;
    make_hostile(&h);
    write_fixture(h.dir, h.policies, true, true);
    struct plot_context ctx = fixture_context(h.scenario, h.policies);
    char why[4096] = "";
    assert_int_equal(plots_write_scripts(&ctx, h.dir, why, sizeof why), 0);
    enum plot_render_status status = plots_render(h.dir, PLOT_PNG | PLOT_SVG | PLOT_PDF, why, sizeof why);
    if (status != PLOT_RENDERED)
        fail_msg("render: %s", why);
    assert_rendered(h.dir, PLOT_PNG | PLOT_SVG | PLOT_PDF);
    /* the SVG holds the names as written (XML-escaped by gnuplot) */
    char *svg = file_text(h.dir, "plots/cost_distribution.svg");
    assert_non_null(strstr(svg, "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d #;"));
    assert_non_null(strstr(svg, "$(touch "));
    free(svg);
    /* standalone: cd DIR && gnuplot plots/NAME.gp */
    assert_int_equal(run_gnuplot(h.dir, "plots/ce_plane.gp"), 0);
    assert_false(file_exists(h.dir, "MARKER"));
    free_hostile(&h);
}

/* Only the chosen formats are written; an undated run renders too. */
static void test_render_chosen_formats(void **state)
{
    (void)state;
    if (!have_gnuplot())
        skip();
    char *dir = make_folder();
    write_fixture(dir, plain_policies, true, false);
    struct plot_context ctx = fixture_context("Baseline 2011", plain_policies);
    ctx.start_year = 0;
    ctx.start_month = 0;
    ctx.currency = "CHF";
    char why[4096] = "";
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), 0);
    enum plot_render_status status = plots_render(dir, PLOT_SVG, why, sizeof why);
    if (status != PLOT_RENDERED)
        fail_msg("render: %s", why);
    assert_rendered(dir, PLOT_SVG);
    remove_folder(dir);
}

/* Seven policies, one name of 300 characters, one word of 120, scripts in
 * several alphabets: every chart still renders without a warning (a key entry
 * wider than the plot would make gnuplot warn). */
static void test_render_many_and_long_names(void **state)
{
    (void)state;
    if (!have_gnuplot())
        skip();
    char long_name[400] = "A policy whose name goes on";
    while (strlen(long_name) < 300)
        strcat(long_name, " and on");
    char long_word[130];
    memset(long_word, 'W', 120);
    long_word[120] = '\0';
    const char *const policies[7] = {
        "Detention only", long_name, long_word, "\xd7\x9e\xd7\xa2\xd7\xa6\xd7\xa8 \xd7\x91\xd7\x9c\xd7\x91\xd7\x93",
        "\xe7\xa6\xbb\xe5\xa2\x83 \xe2\x82\xac \xc2\xa3 \xf0\x9f\x98\x80", "Half detained, AVRR offered", "x",
    };
    char *dir = make_folder();
    struct fixture f = {7, 40, true, true, false};
    write_fixture_run(dir, policies, &f);
    struct plot_context ctx = fixture_context(long_name, policies);
    ctx.n_policies = 7;
    ctx.replications = 40;
    char why[4096] = "";
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), 0);
    if (plots_render(dir, PLOT_PNG, why, sizeof why) != PLOT_RENDERED)
        fail_msg("render: %s", why);
    assert_rendered(dir, PLOT_PNG);
    remove_folder(dir);
}

/* Runs with nothing to spread: identical policies (every difference 0), and a
 * single replication; every chart renders without a warning. */
static void test_render_degenerate_runs(void **state)
{
    (void)state;
    if (!have_gnuplot())
        skip();
    static const char *const two[] = {"Same", "Same again"};
    char *dir = make_folder();
    struct fixture identical = {2, 5, true, false, true};
    write_fixture_run(dir, two, &identical);
    struct plot_context ctx = fixture_context("Identical", two);
    ctx.n_policies = 2;
    ctx.replications = 5;
    ctx.start_year = 0;
    ctx.start_month = 0;
    char why[4096] = "";
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), 0);
    if (plots_render(dir, PLOT_PNG, why, sizeof why) != PLOT_RENDERED)
        fail_msg("identical policies: %s", why);
    char *text = file_text(dir, "plots/differences.dat");
    assert_non_null(strstr(text, "\n5 1 0 0 0 0 0 0 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00\n"));
    free(text);
    remove_folder(dir);

    dir = make_folder();
    struct fixture single = {3, 1, true, true, false};
    write_fixture_run(dir, plain_policies, &single);
    ctx = fixture_context("One replication", plain_policies);
    ctx.replications = 1;
    assert_int_equal(plots_write_scripts(&ctx, dir, why, sizeof why), 0);
    if (plots_render(dir, PLOT_PNG, why, sizeof why) != PLOT_RENDERED)
        fail_msg("one replication: %s", why);
    remove_folder(dir);
}

/* A warning of gnuplot is a failure, and why holds it; so is no format. */
static void test_render_reports_gnuplot_warnings(void **state)
{
    (void)state;
    if (!have_gnuplot())
        skip();
    char *dir = make_folder();
    char *plots = join(dir, "plots");
    assert_int_equal(mkdir(plots, 0777), 0);
    FILE *script = open_in(dir, "plots/broken.gp");
    fputs("set terminal unknown\nset yrange [1:1]\nplot x\n", script);
    assert_int_equal(fclose(script), 0);
    char why[4096] = "";
    assert_int_equal(plots_render(dir, PLOT_PNG, why, sizeof why), PLOT_FAILED);
    assert_non_null(strstr(why, "plots/broken.gp: gnuplot: "));
    assert_non_null(strstr(why, "empty y range"));
    assert_int_equal(plots_render(dir, 0, why, sizeof why), PLOT_FAILED);
    assert_string_equal(why, "no output format chosen (png, svg, pdf)");
    free(plots);
    remove_folder(dir);
}

/* No gnuplot on PATH: PLOT_NO_GNUPLOT, nothing printed. */
static void test_render_without_gnuplot(void **state)
{
    (void)state;
    char *dir = make_folder();
    const char *path = getenv("PATH");
    char *saved = path != NULL ? strdup(path) : NULL;
    assert_int_equal(setenv("PATH", dir, 1), 0);
    char why[512] = "";
    enum plot_render_status status = plots_render(dir, PLOT_PNG, why, sizeof why);
    if (saved != NULL) {
        assert_int_equal(setenv("PATH", saved, 1), 0);
        free(saved);
    }
    assert_int_equal(status, PLOT_NO_GNUPLOT);
    assert_string_equal(why, "gnuplot is not on PATH");
    remove_folder(dir);
}

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_table),
        cmocka_unit_test(test_escape_every_byte),
        cmocka_unit_test(test_escape_round_trip_through_gnuplot),
        cmocka_unit_test(test_currency_and_months),
        cmocka_unit_test(test_parse_formats),
        cmocka_unit_test(test_chart_table),
        cmocka_unit_test(test_copies_replace_names_by_position),
        cmocka_unit_test(test_copies_check_positions),
        cmocka_unit_test(test_copies_reject_broken_csv),
        cmocka_unit_test(test_scripts_hold_escaped_names_only),
        cmocka_unit_test(test_scripts_select_rows_by_position),
        cmocka_unit_test(test_scripts_skip_what_does_not_apply),
        cmocka_unit_test(test_script_files),
        cmocka_unit_test(test_copies_check_timeseries_metrics),
        cmocka_unit_test(test_render_hostile_names),
        cmocka_unit_test(test_render_chosen_formats),
        cmocka_unit_test(test_render_many_and_long_names),
        cmocka_unit_test(test_render_degenerate_runs),
        cmocka_unit_test(test_render_reports_gnuplot_warnings),
        cmocka_unit_test(test_render_without_gnuplot),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
