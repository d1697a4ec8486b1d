/* fuzz_scenario: a libFuzzer target for the scenario loader and validator.
 *
 * One input is a scenario file, optionally followed by --set edits:
 *
 *     YAML TEXT [ \0 PATH=VALUE [ \0 PATH=VALUE ] ]
 *
 * The YAML text goes to a file in a folder made once per process (the loader
 * reads by path, and empirical `file:` names resolve next to it), the edits
 * (at most two) go to scenario_load as --set strings. Every input is then
 * handled as `avrrsim validate`, `run` and `sweep` would: diagnostics sorted
 * and printed, and for a scenario that loads, the resolved scenario written,
 * the last point of its sweep grid loaded, the model's own check, and, when
 * the scenario is small, two replications run. Build and use:
 * tests/fuzz/README.md. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "engine/diag.h"
#include "engine/runner.h"
#include "engine/scenario.h"
#include "engine/sweep.h"
#include "engine/yamltree.h"
#include "models/avrr.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
    MAX_SETS = 2,
    /* Runs only scenarios whose people (arrivals over the horizon, at the
     * highest per_month and seasonality they may draw, plus the stock) stay
     * below this, so that a run costs milliseconds. */
    MAX_PEOPLE_TO_RUN = 2000
};

static char folder[] = "/tmp/fuzz_scenario.XXXXXX";
static char scenario_path[sizeof folder + 32];

/* Data files an empirical distribution may name (`file: lengths.csv`). */
static const struct {
    const char *name, *text;
} data_files[] = {
    {"lengths.csv", "days\n5\n10\n20\n"},
    {"notnumbers.csv", "days\n5\nten\n"},
    {"empty.csv", ""},
};

static void write_file(const char *path, const void *bytes, size_t size)
{
    FILE *file = fopen(path, "wb");
    if (!file || fwrite(bytes, 1, size, file) != size || fclose(file) != 0) {
        perror(path);
        abort();
    }
}

static void remove_folder(void)
{
    char path[sizeof folder + 32];
    for (size_t i = 0; i < sizeof data_files / sizeof data_files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", folder, data_files[i].name);
        unlink(path);
    }
    unlink(scenario_path);
    rmdir(folder);
    ytree_release_sources();   /* global: only once, at exit */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    if (!mkdtemp(folder)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(scenario_path, sizeof scenario_path, "%s/scenario.yaml", folder);
    char path[sizeof folder + 32];
    for (size_t i = 0; i < sizeof data_files / sizeof data_files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", folder, data_files[i].name);
        write_file(path, data_files[i].text, strlen(data_files[i].text));
    }
    atexit(remove_folder);
    return 0;
}

/* The value of a fixed NUMBER key of the baseline policy, or the top of its
 * range when it is uncertain. */
static double highest(const struct scenario *sc, const char *path)
{
    int k = scenario_key_index(&avrr_model, path);
    if (k < 0)
        abort();   /* the fuzzer is out of date with models/avrr_keys.c */
    const struct dist_arg *arg = &sc->policies[0].values[k].spec.args[0];
    return arg->uncertain < 0 ? arg->value : arg->hi;
}

/* Whether two replications of sc are cheap enough to run on every input. */
static int small_enough_to_run(const struct scenario *sc)
{
    int k = scenario_key_index(&avrr_model, "model.arrivals.seasonality");
    if (k < 0)
        abort();
    const struct number_list *season = &sc->policies[0].values[k].list;
    double most = 1.0;
    for (size_t m = 0; m < season->count; m++)
        most = fmax(most, season->values[m]);
    double people = highest(sc, "horizon_months") * highest(sc, "model.arrivals.per_month") * most +
                    highest(sc, "model.stock.size");
    return isfinite(people) && people <= MAX_PEOPLE_TO_RUN;
}

static void load(const char *const *sets, size_t n_sets, int sweep_point);

/* What the commands do with a scenario that loads. */
static void exercise_loaded(struct scenario *sc, const char *const *sets, size_t n_sets,
                            int sweep_point)
{
    /* the resolved scenario, as `run` writes it */
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    if (!out)
        abort();
    scenario_write_resolved(sc, "fuzz", out);
    fclose(out);
    free(text);

    /* the last point of a `sweep:` grid, loaded as `avrrsim sweep` loads it:
     * the scenario again with each axis's value as one more --set */
    size_t points = sc->n_sweep ? sweep_point_count(sc->sweep, sc->n_sweep) : 0;
    if (points > 0 && !sweep_point) {
        const char **point_sets = calloc(n_sets + sc->n_sweep, sizeof *point_sets);
        char **texts = calloc(sc->n_sweep, sizeof *texts);
        if (!point_sets || !texts)
            abort();
        memcpy(point_sets, sets, n_sets * sizeof *sets);
        for (size_t a = 0; a < sc->n_sweep; a++) {
            const struct sweep_axis *axis = &sc->sweep[a];
            const char *value = axis->values[sweep_value_index(sc->sweep, sc->n_sweep, points - 1, a)];
            size_t size = strlen(axis->path) + strlen(value) + 2;
            if (!(texts[a] = malloc(size)))
                abort();
            snprintf(texts[a], size, "%s=%s", axis->path, value);
            point_sets[n_sets + a] = texts[a];
        }
        load(point_sets, n_sets + sc->n_sweep, 1);
        for (size_t a = 0; a < sc->n_sweep; a++)
            free(texts[a]);
        free(texts);
        free(point_sets);
    }

    /* the model's own check, as `validate` and `run` do; then two replications */
    char why[1024];
    if (runner_check(sc, why, sizeof why) != 0 || !small_enough_to_run(sc))
        return;
    sc->replications = sc->replications < 2 ? sc->replications : 2;
    struct run_results results;
    if (runner_run(sc, 1, NULL, NULL, NULL, &results, why, sizeof why) == RUN_OK)
        run_results_free(&results);
}

/* Loads the scenario file with these --set edits, as the commands do. */
static void load(const char *const *sets, size_t n_sets, int sweep_point)
{
    diag_list *diags = diag_list_new();
    if (!diags)
        abort();
    struct scenario *sc = scenario_load(scenario_path, sets, n_sets, &avrr_model, diags);
    if (sc)
        exercise_loaded(sc, sets, n_sets, sweep_point);

    /* the diagnostics, printed as the command line prints them */
    diag_sort(diags);
    FILE *sink = fopen("/dev/null", "w");
    if (!sink)
        abort();
    diag_print(diags, sink);
    fclose(sink);

    scenario_free(sc);
    diag_list_free(diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The file is everything before the first NUL; the rest, NUL-separated,
     * gives up to MAX_SETS --set strings. */
    const uint8_t *nul = memchr(data, 0, size);
    size_t file_size = nul ? (size_t)(nul - data) : size;
    write_file(scenario_path, data, file_size);

    char *sets_text = NULL;
    const char *sets[MAX_SETS];
    size_t n_sets = 0;
    if (nul) {
        size_t rest = size - file_size - 1;
        sets_text = malloc(rest + 1);
        if (!sets_text)
            abort();
        memcpy(sets_text, nul + 1, rest);
        sets_text[rest] = '\0';   /* a further NUL inside ends a set */
        for (char *s = sets_text; n_sets < MAX_SETS && s <= sets_text + rest;
             s += strlen(s) + 1)
            sets[n_sets++] = s;
    }
    load(sets, n_sets, 0);
    free(sets_text);
    return 0;
}
