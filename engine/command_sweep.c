/* command_sweep: `avrrsim sweep SCENARIO.yaml --vary PATH=...`: the
 * scenario at every point of a grid of key values, all with the same seed
 * (common random numbers), summarised in sweep.csv, with its charts and the
 * resolved scenario that reruns the same grid. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cli_common.h"
#include "engine/cluster.h"
#include "engine/cluster_runs.h"
#include "engine/csv.h"
#include "engine/headline.h"
#include "engine/outdir.h"
#include "engine/precision.h"
#include "engine/runner.h"
#include "engine/stats.h"
#include "engine/sweep.h"
#include "engine/version.h"
#include "plots/plots.h"
#include "plots/sweep_plots.h"

static const struct cli_option sweep_options[] = {
    {"vary", OPT_VARY, "PATH=LO:HI:N", "vary a key over N evenly spaced values, or PATH=V1,V2,...; "
                                      "repeatable (the grid of every combination)"},
    {"output", 'o', "DIR", "where to write the results (default: out/<scenario name>-sweep/)"},
    {"replications", 'n', "N", "replications at every point (overrides the scenario's)"},
    {"seed", 's', "SEED", "random seed, the same at every point (overrides the scenario's)"},
    CLI_OPTION_THREADS,
    {"set", OPT_SET, "PATH=VALUE", "override one scenario key at every point; repeatable"},
    {"precision", OPT_PRECISION, "REL", "find the replications every point needs for its mean total "
                                        "costs and differences to be known to REL (95%), then run "
                                        "every point with the largest (capped by -n)"},
    CLI_OPTION_FORMATS,
    CLI_OPTION_NO_PLOTS,
    CLI_OPTION_QUIET,
    CLI_OPTION_HELP,
};

struct sweep_request {
    struct run_request run;
    struct sweep_axis *axes;
    size_t n_axes;
    double precision;          /* --precision REL, else 0 */
};

static void print_sweep_help(FILE *out)
{
    fputs("usage: avrrsim sweep SCENARIO.yaml [--vary PATH=LO:HI:N | --vary PATH=V1,V2,...]...\n\n"
          "Runs the scenario at every point of a grid of key values (the --vary\n"
          "options, or the scenario's sweep: section), with the same seed at every\n"
          "point, and writes sweep.csv: per point and policy the total cost, the\n"
          "discounted cost and the effect (mean, p05, p50, p95), and against the\n"
          "baseline the mean difference in total cost, its 90% interval and the\n"
          "probability that the policy is cheaper. Beside it: scenario.resolved.yaml\n"
          "(the scenario with the grid as value lists: `avrrsim sweep` on it reruns\n"
          "the sweep) and the charts (DIR/plots/): for one varied key, the total cost\n"
          "and the difference against the baseline with 90% bands and the break-even\n"
          "values; for two, a heat map of each policy's mean saving with the\n"
          "break-even line. Other grids get no chart.\n\noptions:\n", out);
    cli_print_options(out, sweep_options, CLI_COUNT(sweep_options));
    fputs("\nexample:\n  avrrsim sweep scenarios/baseline.yaml -n 500 \\\n"
          "      --vary model.detention.length_days.mean=20:120:6 --vary model.avrr.uptake=0.05,0.1,0.2\n",
          out);
}

static int sweep_option(int c, const char *arg, void *user)
{
    struct sweep_request *req = user;
    char why[512];
    int status;
    switch (c) {
    case OPT_PRECISION:
        return (status = cli_parse_precision("sweep", arg, &req->precision)) >= 0 ? status : -1;
    case OPT_VARY:
        if (sweep_axis_parse(arg, &req->axes[req->n_axes], why, sizeof why) != 0)
            return cli_usage_error("sweep", "--vary: %s", why);
        req->n_axes++;
        return -1;
    default:
        return -2;
    }
}

static int parse_sweep(int argc, char **argv, struct sweep_request *req)
{
    int status = cli_parse("sweep", sweep_options, CLI_COUNT(sweep_options), argc, argv, &req->run,
                           sweep_option, req, print_sweep_help);
    return status >= 0 ? status : cli_finish_run_request("sweep", argc, argv, &req->run);
}

/* The leading columns of a sweep row: the point's key values. */
struct point_columns {
    const struct sweep_axis *axes;
    size_t n_axes, point;
};

static void write_point_columns(csv_writer *w, void *user)
{
    const struct point_columns *c = user;
    for (size_t a = 0; a < c->n_axes; a++)
        csv_value(w, c->axes[a].values[sweep_value_index(c->axes, c->n_axes, c->point, a)]);
}

/* The unit of a swept key for its chart axis: the model key's, also for a
 * policy's key (policies.N.set.avrr.uptake) and for the parameters of a
 * distribution that share its unit (model.detention.length_days.mean); NULL
 * for anything else. */
static const char *axis_unit(const struct model_interface *model, const char *path)
{
    static const char *const same_unit[] = {"mean", "sd", "min", "max", "mode", "median"};
    char key[512];
    const char *rest = path;
    if (strncmp(path, "policies.", 9) == 0) {   /* policies.N.set.REST -> model.REST */
        const char *set = strstr(path, ".set.");
        if (!set)
            return NULL;
        rest = set + 5;
        if (snprintf(key, sizeof key, "model.%s", rest) >= (int)sizeof key)
            return NULL;
    } else if (snprintf(key, sizeof key, "%s", path) >= (int)sizeof key) {
        return NULL;
    }
    int index = scenario_key_index(model, key);
    if (index < 0) {
        char *dot = strrchr(key, '.');
        if (!dot)
            return NULL;
        int shares = 0;
        for (size_t i = 0; i < sizeof same_unit / sizeof same_unit[0]; i++)
            shares |= strcmp(dot + 1, same_unit[i]) == 0;
        *dot = '\0';
        index = shares ? scenario_key_index(model, key) : -1;
    }
    return index >= 0 && model->keys[index].unit && model->keys[index].unit[0]
               ? model->keys[index].unit : NULL;
}

/* What the charts take to be the same at every point (the seed, the
 * replications, the policies' names), as the first point has them, and what
 * changed from point to point when something did (a key of the grid). */
struct point_invariants {
    bool noted;
    uint64_t seed;
    size_t replications;
    size_t n_policies;
    char **names;
    const char *changed;   /* NULL, or what changed */
};

/* Notes a point's scenario and replications. 0, or -1 (out of memory). */
static int note_point(struct point_invariants *inv, const struct scenario *sc, size_t replications)
{
    if (!inv->noted) {
        inv->noted = true;
        inv->seed = sc->seed;
        inv->replications = replications;
        if (!(inv->names = calloc(sc->n_policies, sizeof *inv->names)))
            return -1;
        inv->n_policies = sc->n_policies;
        for (size_t p = 0; p < sc->n_policies; p++)
            if (!(inv->names[p] = strdup(sc->policies[p].name)))
                return -1;
        return 0;
    }
    if (inv->changed)
        return 0;
    if (sc->seed != inv->seed)
        inv->changed = "the seed changes from point to point";
    else if (replications != inv->replications)
        inv->changed = "the number of replications changes from point to point";
    else if (sc->n_policies != inv->n_policies)
        inv->changed = "the policies change from point to point";
    for (size_t p = 0; !inv->changed && p < sc->n_policies; p++)
        if (strcmp(sc->policies[p].name, inv->names[p]) != 0)
            inv->changed = "the policies' names change from point to point";
    return 0;
}

static void point_invariants_free(struct point_invariants *inv)
{
    for (size_t p = 0; inv->names && p < inv->n_policies; p++)
        free(inv->names[p]);
    free(inv->names);
}

/* The charts' scripts in dir/plots/ (see plots/sweep_plots.h). */
static enum sweep_plot_status write_chart_scripts(const struct scenario *sc, const struct point_invariants *inv,
                                                  const struct sweep_axis *axes, size_t n_axes,
                                                  const char *dir, char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    struct sweep_plot_axis *plot_axes = malloc(n_axes * sizeof *plot_axes);
    enum sweep_plot_status status = SWEEP_PLOTS_FAILED;
    if (!plot_axes) {
        snprintf(why, why_size, "out of memory");
        goto done;
    }
    for (size_t a = 0; a < n_axes; a++)
        plot_axes[a] = (struct sweep_plot_axis){
            .path = axes[a].path, .unit = axis_unit(model, axes[a].path),
            .n_values = axes[a].n_values, .values = (const char *const *)axes[a].values};
    struct sweep_plot_context ctx = {
        .scenario_name = sc->name, .currency = sc->currency,
        .n_policies = inv->n_policies, .policy_names = (const char *const *)inv->names,
        .cost_metric = model->metrics[model->headline.total_cost].name,
        .n_axes = n_axes, .axes = plot_axes,
        .replications = inv->replications, .seed = inv->seed,
    };
    status = plots_write_sweep_scripts(&ctx, dir, why, why_size);
done:
    free(plot_axes);
    return status;
}

struct resolved_sweep {
    const struct scenario *sc;
    const struct sweep_axis *axes;
    size_t n_axes;
};

/* A writer for outdir_write_file: the resolved scenario with the grid. */
static int write_resolved_sweep(FILE *f, const void *data)
{
    const struct resolved_sweep *r = data;
    return scenario_write_resolved_sweep(r->sc, r->axes, r->n_axes, AVRRSIM_VERSION, f);
}

/* Says what became of the charts (stderr), after the results are in place. */
static void report_charts(enum sweep_plot_status charts, const char *charts_why,
                          enum plot_render_status rendered, const char *render_why, bool no_plots,
                          const char *output)
{
    if (charts == SWEEP_PLOTS_NONE)
        fprintf(stderr, "avrrsim: no sweep charts: %s; the results are in %s/sweep.csv\n", charts_why,
                output);
    else if (no_plots)
        return;
    else if (rendered == PLOT_NO_GNUPLOT)
        fprintf(stderr, "avrrsim: charts not rendered: gnuplot is not installed (sudo apt-get "
                        "install gnuplot-nox); the scripts are in %s/plots/\n", output);
    else if (rendered == PLOT_FAILED)
        fprintf(stderr, "avrrsim: error: the charts could not be rendered: %s\n", render_why);
}

/* Loads the scenario at grid point `point`: the request's edits, the point's
 * key values, then `extra` (NULL or one more PATH=VALUE). On a problem prints
 * it and returns NULL with *status set. */
static struct scenario *load_point(const struct sweep_request *req, const struct sweep_axis *axes,
                                   size_t n_axes, size_t point, size_t points, const char *extra,
                                   const struct model_interface *model, bool show, int *status)
{
    size_t n = 0;
    const char **sets = malloc((req->run.n_sets + n_axes + 1) * sizeof *sets);
    char **texts = calloc(n_axes + 1, sizeof *texts);
    struct scenario *sc = NULL;
    *status = EXIT_RUNTIME;
    if (!sets || !texts)
        goto done;
    for (size_t i = 0; i < req->run.n_sets; i++)
        sets[n++] = req->run.sets[i];
    for (size_t a = 0; a < n_axes; a++) {
        const char *value = axes[a].values[sweep_value_index(axes, n_axes, point, a)];
        size_t length = strlen(axes[a].path) + strlen(value) + 2;
        if (!(texts[a] = malloc(length)))
            goto done;
        snprintf(texts[a], length, "%s=%s", axes[a].path, value);
        sets[n++] = texts[a];
    }
    if (extra)
        sets[n++] = extra;
    char context[64];
    snprintf(context, sizeof context, "at sweep point %zu of %zu", point + 1, points);
    if (show)
        fputs("\r\033[K", stderr);
    sc = cli_load_checked_in(req->run.scenario, sets, n, model, context, status);
done:
    if (!sets || !texts)
        fputs("avrrsim: error: out of memory\n", stderr);
    if (texts)
        for (size_t a = 0; a < n_axes; a++)
            free(texts[a]);
    free(texts);
    free(sets);
    return sc;
}

/* The sweep's points as a job of engine/cluster_runs: every rank loads the
 * points it works on, rank 0 gets their results in point order. */
struct sweep_job {
    const struct sweep_request *req;
    const struct sweep_axis *axes;
    size_t n_axes, points;
    const struct model_interface *model;
    bool show;
    const char *extra;                 /* "replications=N" after --precision, or NULL */
    /* --precision's search: every point's runs check goal, in point order */
    struct precision_goal goal;
    size_t needed, short_points, worst_point;
    struct precision_goal worst;
    /* rank 0: sweep.csv as it grows, and what the charts need */
    csv_writer *rows;
    struct point_invariants *invariants;
};

static struct scenario *sweep_load(size_t point, void *user, int *status)
{
    const struct sweep_job *job = user;
    return load_point(job->req, job->axes, job->n_axes, point, job->points, job->extra, job->model,
                      job->show, status);
}

static void sweep_unload(size_t point, struct scenario *sc, void *user)
{
    (void)point;
    (void)user;
    scenario_free(sc);
}

static void precision_starting(size_t point, void *user)
{
    const struct sweep_job *job = user;
    if (job->show)
        fprintf(stderr, "\r  precision: point %zu/%zu   ", point + 1, job->points);
}

static void point_starting(size_t point, void *user)
{
    const struct sweep_job *job = user;
    if (job->show)
        fprintf(stderr, "\r  point %zu/%zu   ", point + 1, job->points);
}

/* --precision: notes how many replications a point needed and whether it
 * reached the goal. */
static int precision_done(size_t point, const struct scenario *sc, struct run_results *res, void *user)
{
    (void)sc;
    struct sweep_job *job = user;
    precision_enough(res, &job->goal);
    if (res->replications > job->needed)
        job->needed = res->replications;
    if (!job->goal.reached) {
        job->short_points++;
        if (job->goal.worst_ratio > job->worst.worst_ratio || !job->worst.worst[0]) {
            job->worst = job->goal;
            job->worst_point = point;
        }
    }
    run_results_free(res);
    return -1;
}

/* A point's rows of sweep.csv. */
static int point_done(size_t point, const struct scenario *sc, struct run_results *res, void *user)
{
    struct sweep_job *job = user;
    struct point_columns columns = {job->axes, job->n_axes, point};
    int written = note_point(job->invariants, sc, res->replications) == 0
                      ? headline_write_rows(job->rows, sc, res, write_point_columns, &columns) : -1;
    run_results_free(res);
    if (written != 0) {
        fputs("avrrsim: error: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    return -1;
}

/* A writer for outdir_write_file: text as it is. */
static int write_text(FILE *f, const void *text)
{
    fputs(text, f);
    return 0;
}

int command_sweep(int argc, char **argv, const struct model_interface *model)
{
    struct sweep_axis *cli_axes = calloc((size_t)argc + 1, sizeof *cli_axes);
    struct sweep_request req = {.axes = cli_axes};
    int init_failed = cli_run_request_init(&req.run, argc);
    struct scenario *base = NULL;
    char *default_dir = NULL, *text = NULL;
    size_t text_size = 0;
    csv_writer *csv = NULL;
    struct outdir dir = {0};
    struct point_invariants invariants = {0};
    int status = EXIT_RUNTIME;
    char why[1024] = "";
    if (init_failed || !cli_axes) {
        fputs("avrrsim: error: out of memory\n", stderr);
        goto done;
    }
    status = parse_sweep(argc, argv, &req);
    if (status >= 0)
        goto done;
    /* every rank loads the scenario and checks the grid; rank 0 alone
     * reports, and inspects the output directory */
    status = EXIT_USAGE;
    const struct sweep_axis *axes = NULL;
    size_t n_axes = 0, points = 0;
    const char *output = req.run.output;
    diag_list *diags = diag_list_new();
    if (diags)
        base = scenario_load(req.run.scenario, req.run.sets, req.run.n_sets, model, diags);
    if (diags && !base) {
        diag_sort(diags);
        diag_print(diags, stderr);
    } else if (base) {
        axes = req.n_axes > 0 ? req.axes : base->sweep;
        n_axes = req.n_axes > 0 ? req.n_axes : base->n_sweep;
        points = n_axes > 0 ? sweep_point_count(axes, n_axes) : 0;
        if (n_axes == 0)
            status = cli_usage_error("sweep", "nothing to vary: give --vary PATH=LO:HI:N or a sweep: section");
        else if (points == 0)
            status = cli_usage_error("sweep", "the grid has more than %d points", SWEEP_MAX_POINTS);
        else if (req.precision > 0 && base->sampling == SAMPLING_LHS)
            status = cli_usage_error("sweep", "--precision stops runs early, which sampling: lhs does "
                                              "not allow (its strata are laid over every replication)");
        else if (!output && !(output = default_dir = cli_default_output(req.run.scenario, "-sweep")))
            status = EXIT_RUNTIME;
        else if (cluster_is_writer() && outdir_inspect(output) == OUTDIR_FOREIGN) {
            fprintf(stderr, "avrrsim: error: '%s' holds files that avrrsim did not write; "
                            "choose another directory with -o, or empty it\n", output);
            status = EXIT_RUNTIME;
        } else
            status = -1;
    }
    diag_list_free(diags);
    if ((status = cluster_agree(status, why, sizeof why)) >= 0) {
        if (why[0])
            fprintf(stderr, "avrrsim: error: %s\n", why);
        goto done;
    }
    status = EXIT_RUNTIME;
    bool show = cluster_show_progress(req.run.quiet);
    cli_catch_stop_signals();
    char precision_set[64] = "";
    const char **policy_names = malloc(base->n_policies * sizeof *policy_names);
    if (!policy_names)
        goto done;
    for (size_t p = 0; p < base->n_policies; p++)
        policy_names[p] = base->policies[p].name;
    struct sweep_job job = {.req = &req, .axes = axes, .n_axes = n_axes, .points = points, .model = model,
                            .show = show, .invariants = &invariants,
                            .goal = {.relative = req.precision, .metric = model->headline.total_cost,
                                     .policy_names = policy_names},
                            .worst = {.relative = req.precision}};
    struct cluster_failure failure;
    if (req.precision > 0) {
        /* every point until its means are known to the precision (or its
         * cap): the most replications any point needed */
        struct run_plan plan = {.enough = precision_enough, .enough_user = &job.goal};
        struct cluster_job search = {.n_items = points, .load = sweep_load, .unload = sweep_unload,
                                     .starting = precision_starting, .done = precision_done,
                                     .user = &job, .threads = req.run.threads, .plan = &plan,
                                     .cancel = cli_stop_flag()};
        if (cluster_run(&search, &failure) != 0) {
            free(policy_names);
            if (failure.interrupted)
                goto interrupted;
            if (failure.why[0])
                fprintf(stderr, "avrrsim: error: at sweep point %zu of %zu: %s\n", failure.item + 1,
                        points, failure.why);
            status = failure.status;
            goto done;
        }
        uint64_t needed = job.needed;
        if (cluster_share(&needed) != 0) {
            free(policy_names);
            goto done;
        }
        job.needed = (size_t)needed;
        snprintf(precision_set, sizeof precision_set, "replications=%zu", job.needed);
        job.extra = precision_set;
        if (scenario_set_replications(base, (long long)job.needed) != 0) {
            free(policy_names);
            goto done;
        }
    }
    free(policy_names);
    /* sweep.csv grows in memory: the output directory appears only when
     * every point is in (with MPI, after every rank's work is gathered) */
    if (cluster_is_writer()) {
        if (!(csv = csv_open_memory(&text, &text_size))) {
            fputs("avrrsim: error: out of memory\n", stderr);
            goto done;
        }
        struct headline_names headline;
        headline_column_names(model, &headline);
        const char **names = malloc((n_axes + HEADLINE_COLUMNS) * sizeof *names);
        if (!names)
            goto done;
        for (size_t a = 0; a < n_axes; a++)
            names[a] = axes[a].path;
        for (size_t k = 0; k < HEADLINE_COLUMNS; k++)
            names[n_axes + k] = headline.names[k];
        csv_header(csv, names, n_axes + HEADLINE_COLUMNS);
        free(names);
    }
    job.rows = csv;
    struct cluster_job sweep = {.n_items = points, .load = sweep_load, .unload = sweep_unload,
                                .starting = point_starting, .done = point_done, .user = &job,
                                .threads = req.run.threads, .cancel = cli_stop_flag()};
    if (cluster_run(&sweep, &failure) != 0) {
        if (failure.interrupted)
            goto interrupted;
        if (failure.why[0])
            fprintf(stderr, "avrrsim: error: %s\n", failure.why);
        status = failure.status;
        goto done;
    }
    if (!cluster_is_writer()) {   /* rank 0 writes */
        status = 0;
        goto done;
    }
    if (show)
        fputs("\r\033[K", stderr);
    int closed = csv_close(csv);
    csv = NULL;
    if (closed != 0) {
        fputs("avrrsim: error: out of memory\n", stderr);
        goto done;
    }
    if (outdir_begin(&dir, output, why, sizeof why) != 0 ||
        outdir_write_file(dir.tmp, "sweep.csv", write_text, text, why, sizeof why) != 0)
        goto failed;
    struct resolved_sweep resolved = {base, axes, n_axes};
    if (outdir_write_file(dir.tmp, "scenario.resolved.yaml", write_resolved_sweep, &resolved, why,
                            sizeof why) != 0)
        goto failed;
    char charts_why[1024] = "", render_why[1024] = "";
    enum sweep_plot_status charts = SWEEP_PLOTS_NONE;
    if (invariants.changed)
        snprintf(charts_why, sizeof charts_why, "%s", invariants.changed);
    else
        charts = write_chart_scripts(base, &invariants, axes, n_axes, dir.tmp, charts_why, sizeof charts_why);
    if (charts == SWEEP_PLOTS_FAILED) {
        snprintf(why, sizeof why, "%s", charts_why);
        goto failed;
    }
    enum plot_render_status rendered = PLOT_RENDERED;
    if (charts == SWEEP_PLOTS_WRITTEN && !req.run.no_plots && !cli_stop_signal())
        rendered = plots_render(dir.tmp, req.run.formats, render_why, sizeof render_why);
    if (cli_stop_signal())
        goto interrupted;
    why[0] = '\0';
    if (outdir_commit(&dir, why, sizeof why) != 0)
        goto failed;
    if (why[0])
        fprintf(stderr, "avrrsim: warning: %s\n", why);
    bool run_settings_vary = false;
    for (size_t a = 0; a < n_axes; a++)
        run_settings_vary = run_settings_vary || strcmp(axes[a].path, "seed") == 0 ||
                            strcmp(axes[a].path, "replications") == 0;
    if (run_settings_vary)
        printf("%s: %zu points (the seed or the replications vary with the point); results in "
               "%s/sweep.csv", base->name, points, output);
    else
        printf("%s: %zu points x %lld replications, seed %llu; results in %s/sweep.csv", base->name,
               points, base->replications, (unsigned long long)base->seed, output);
    if (charts == SWEEP_PLOTS_WRITTEN)
        printf(", charts in %s/plots/", output);
    putchar('\n');
    if (req.precision > 0 && job.short_points == 0)
        printf("precision: %g%% reached at every point with %zu replications (the most any point "
               "needed)\n", 100 * req.precision, job.needed);
    else if (req.precision > 0)
        printf("precision: %g%% NOT reached at %zu of %zu points with %zu replications (the cap): at "
               "point %zu, %s is known to within %.3g%% (95%% confidence); raise -n\n",
               100 * req.precision, job.short_points, points, job.needed, job.worst_point + 1,
               job.worst.worst, 100 * req.precision * job.worst.worst_ratio);
    report_charts(charts, charts_why, rendered, render_why, req.run.no_plots, output);
    status = rendered == PLOT_FAILED ? EXIT_RUNTIME : 0;
    goto done;

failed:
    if (cli_stop_signal())
        goto interrupted;
    fprintf(stderr, "avrrsim: error: %s\n", why);
    outdir_abort(&dir);
    goto done;
interrupted:
    outdir_abort(&dir);
    if (cluster_is_writer())
        status = cli_report_interrupted();
    else
        status = 128 + cli_stop_signal();
done:
    csv_close(csv);
    free(text);
    outdir_clear(&dir);
    scenario_free(base);
    for (size_t a = 0; a < req.n_axes; a++)
        sweep_axis_clear(&req.axes[a]);
    free(cli_axes);
    cli_run_request_free(&req.run);
    free(default_dir);
    point_invariants_free(&invariants);
    return status;
}

/* ---------- plot ---------- */
