/* command_breakeven: `avrrsim breakeven SCENARIO.yaml --param PATH --range
 * LO:HI`: the value of a key at which a policy's mean metric equals the
 * baseline's, found by root finding (engine/breakeven.h) on runs that all
 * use the scenario's seed, with its 90% interval; or a plain statement that
 * the difference keeps one sign over the range. Writes breakeven.csv (the
 * answer), evaluations.csv (every run) and the scenario it started from. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/breakeven.h"
#include "engine/cli_common.h"
#include "engine/csv.h"
#include "engine/outdir.h"
#include "engine/run_output.h"
#include "engine/results.h"
#include "engine/runner.h"
#include "engine/scalar.h"
#include "engine/stats.h"
#include "engine/suggest.h"

static const struct cli_option breakeven_options[] = {
    {"param", OPT_PARAM, "PATH", "the key to search over (required), e.g. model.detention.cost_per_day"},
    {"range", OPT_RANGE, "LO:HI", "the values to search between (required), LO < HI"},
    {"policy", OPT_POLICY, "NAME", "the policy compared with the baseline (default: the second)"},
    {"metric", OPT_METRIC, "NAME", "the metric whose means are compared (default: cost_total)"},
    {"output", 'o', "DIR", "where to write the results (default: out/<scenario name>-breakeven/)"},
    {"replications", 'n', "N", "replications of every run (overrides the scenario's)"},
    {"seed", 's', "SEED", "random seed, the same in every run (overrides the scenario's)"},
    CLI_OPTION_THREADS,
    {"set", OPT_SET, "PATH=VALUE", "override one scenario key before checking; repeatable"},
    CLI_OPTION_QUIET,
    CLI_OPTION_HELP,
};

/* The normal quantile of a two-sided 90% interval. */
static const double z90 = 1.6448536269514722;

struct breakeven_request {
    struct run_request run;
    const char *param, *policy, *metric;
    double lo, hi;
    bool has_range;
};

static int parse_range(const char *text, double *lo, double *hi)
{
    const char *colon = strchr(text, ':');
    if (!colon || strchr(colon + 1, ':'))
        return cli_usage_error("breakeven", "--range: expected LO:HI (two numbers), got '%s'", text);
    char first[128];
    size_t n = (size_t)(colon - text);
    if (n >= sizeof first)
        return cli_usage_error("breakeven", "--range: '%s' is too long", text);
    memcpy(first, text, n);
    first[n] = '\0';
    if (text_to_double(first, lo) != 0 || text_to_double(colon + 1, hi) != 0 || !isfinite(*lo) ||
        !isfinite(*hi))
        return cli_usage_error("breakeven", "--range: expected LO:HI (two numbers), got '%s'", text);
    if (!(*lo < *hi))
        return cli_usage_error("breakeven", "--range: '%s': LO must be less than HI", text);
    return -1;
}

static void print_breakeven_help(FILE *out)
{
    fputs("usage: avrrsim breakeven SCENARIO.yaml --param PATH --range LO:HI [options]\n\n"
          "Finds the value of PATH in [LO, HI] at which the policy's mean metric equals\n"
          "the baseline's (GSL's Brent solver on runs that all use the same seed), and\n"
          "its 90% interval: the values at which zero lies within the 90% confidence\n"
          "interval of the mean difference. When the difference keeps one sign over\n"
          "the range, says so. Writes breakeven.csv, evaluations.csv and\n"
          "scenario.resolved.yaml.\n\noptions:\n", out);
    cli_print_options(out, breakeven_options, CLI_COUNT(breakeven_options));
    fputs("\nexample:\n  avrrsim breakeven scenarios/baseline.yaml --param "
          "model.detention.cost_per_day --range 50:300 -n 200\n", out);
}

static int breakeven_option(int c, const char *arg, void *user)
{
    struct breakeven_request *req = user;
    int status;
    switch (c) {
    case OPT_PARAM:
        req->param = arg;
        return -1;
    case OPT_RANGE:
        if ((status = parse_range(arg, &req->lo, &req->hi)) >= 0)
            return status;
        req->has_range = true;
        return -1;
    case OPT_POLICY:
        req->policy = arg;
        return -1;
    case OPT_METRIC:
        req->metric = arg;
        return -1;
    default:
        return -2;
    }
}

static int parse_breakeven(int argc, char **argv, struct breakeven_request *req)
{
    int status = cli_parse("breakeven", breakeven_options, CLI_COUNT(breakeven_options), argc, argv,
                           &req->run, breakeven_option, req, print_breakeven_help);
    if (status >= 0)
        return status;
    if (!req->param)
        return cli_usage_error("breakeven", "breakeven needs --param PATH");
    if (!req->has_range)
        return cli_usage_error("breakeven", "breakeven needs --range LO:HI");
    if (strchr(req->param, '=') || req->param[0] == '\0')
        return cli_usage_error("breakeven", "--param: expected a key path such as "
                                            "model.detention.cost_per_day, got '%s'", req->param);
    return cli_finish_run_request("breakeven", argc, argv, &req->run);
}

/* What each evaluation needs. */
struct evaluation {
    const struct breakeven_request *req;
    const struct model_interface *model;
    size_t policy, metric;
    const char **sets;        /* req's edits, then PATH=x */
    char set_text[512];
    double *differences;      /* scratch, one per replication */
    size_t capacity;
    bool show;
    int exit_status;          /* when an evaluation fails */
};

static int evaluate(struct breakeven_point *point, void *user)
{
    struct evaluation *e = user;
    const struct breakeven_request *req = e->req;
    snprintf(e->set_text, sizeof e->set_text, "%s=%.17g", req->param, point->x);
    e->sets[req->run.n_sets] = e->set_text;
    if (e->show)
        fprintf(stderr, "\r  %s = %.6g   \033[K", req->param, point->x);
    int status;
    char context[600];
    snprintf(context, sizeof context, "with --param %s", e->set_text);
    struct scenario *sc = cli_load_checked_in(req->run.scenario, e->sets, req->run.n_sets + 1,
                                              e->model, context, &status);
    if (!sc) {
        e->exit_status = status;
        return 1;
    }
    struct run_results res;
    char why[512];
    enum run_status rs = runner_run(sc, req->run.threads, NULL, NULL, cli_stop_flag(), &res, why,
                                    sizeof why);
    if (rs != RUN_OK) {
        if (rs == RUN_CANCELLED)
            e->exit_status = 128 + cli_stop_signal();
        else {
            fprintf(stderr, "avrrsim: error: at %s: %s\n", e->set_text, why);
            e->exit_status = rs == RUN_TOO_LARGE ? EXIT_USAGE : EXIT_RUNTIME;
        }
        scenario_free(sc);
        return 1;
    }
    if (res.replications > e->capacity) {
        free(e->differences);
        e->capacity = res.replications;
        if (!(e->differences = malloc(e->capacity * sizeof *e->differences))) {
            fputs("avrrsim: error: out of memory\n", stderr);
            e->exit_status = EXIT_RUNTIME;
            run_results_free(&res);
            scenario_free(sc);
            return 1;
        }
    }
    size_t row = res.n_policies * res.n_metrics;
    for (size_t r = 0; r < res.replications; r++)
        e->differences[r] = res.metrics[r * row + e->policy * res.n_metrics + e->metric] -
                            res.metrics[r * row + e->metric];
    struct sample_summary s;
    stats_summarize(e->differences, res.replications, &s);
    point->mean = s.mean;
    point->se = s.se;
    run_results_free(&res);
    scenario_free(sc);
    return 0;
}

/* Finds --policy and --metric in the scenario; -1, or an exit status. */
static int find_policy_and_metric(const struct scenario *sc, const struct breakeven_request *req,
                                  size_t *policy, size_t *metric)
{
    const struct model_interface *model = sc->model;
    if (sc->n_policies < 2)
        return cli_usage_error("breakeven", "the scenario has one policy: nothing to compare "
                                            "with the baseline");
    *policy = 1;
    if (req->policy) {
        *policy = sc->n_policies;
        for (size_t p = 0; p < sc->n_policies; p++)
            if (strcmp(sc->policies[p].name, req->policy) == 0)
                *policy = p;
        if (*policy == 0)
            return cli_usage_error("breakeven", "--policy: '%s' is the baseline; name a policy "
                                                "to compare with it", req->policy);
        if (*policy == sc->n_policies) {
            fprintf(stderr, "avrrsim: --policy: no policy named '%s'; the policies are:", req->policy);
            for (size_t p = 1; p < sc->n_policies; p++)
                fprintf(stderr, "%s '%s'", p > 1 ? "," : "", sc->policies[p].name);
            fputs("\nTry 'avrrsim breakeven --help'.\n", stderr);
            return EXIT_USAGE;
        }
    }
    *metric = model->headline.total_cost;
    if (req->metric) {
        const char *names[64];
        size_t n = model->n_metrics < 64 ? model->n_metrics : 64;
        *metric = model->n_metrics;
        for (size_t m = 0; m < model->n_metrics; m++) {
            if (m < 64)
                names[m] = model->metrics[m].name;
            if (strcmp(model->metrics[m].name, req->metric) == 0)
                *metric = m;
        }
        if (*metric == model->n_metrics) {
            const char *near = suggest_nearest(req->metric, names, n);
            if (near)
                return cli_usage_error("breakeven", "--metric: no metric named '%s'; did you mean '%s'?",
                                       req->metric, near);
            return cli_usage_error("breakeven", "--metric: no metric named '%s' (the columns of "
                                                "replications.csv after 'policy')", req->metric);
        }
    }
    return -1;
}

struct answer {
    const struct scenario *sc;
    const struct breakeven_request *req;
    const struct breakeven_result *result;
    size_t policy, metric;
};

static int write_answer(const struct outdir *dir, const struct answer *a, char *why, size_t why_size)
{
    char *path = outdir_file(dir, "breakeven.csv");
    csv_writer *w = path ? csv_open(path) : NULL;
    free(path);
    if (!w) {
        snprintf(why, why_size, "cannot write breakeven.csv: %s", strerror(errno));
        return -1;
    }
    static const char *const names[] = {"param", "policy", "baseline", "metric", "range_low",
                                        "range_high", "outcome", "value", "value_low90",
                                        "value_high90", "low90_beyond_range", "high90_beyond_range",
                                        "sign", "replications", "seed"};
    csv_header(w, names, sizeof names / sizeof names[0]);
    const struct breakeven_result *r = a->result;
    bool found = r->outcome == BREAKEVEN_FOUND;
    csv_text(w, a->req->param);
    csv_text(w, a->sc->policies[a->policy].name);
    csv_text(w, a->sc->policies[0].name);
    csv_text(w, a->sc->model->metrics[a->metric].name);
    csv_number(w, a->req->lo);
    csv_number(w, a->req->hi);
    csv_text(w, found ? "break-even" : "no sign change");
    if (found) {
        csv_number(w, r->value);
        csv_number(w, r->lower);
        csv_number(w, r->upper);
        csv_int(w, r->lower_open);
        csv_int(w, r->upper_open);
        csv_empty(w);
    } else {
        for (int i = 0; i < 5; i++)
            csv_empty(w);
        csv_int(w, r->sign);
    }
    csv_int(w, a->sc->replications);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)a->sc->seed);
    csv_value(w, seed);
    csv_end_row(w);
    if (csv_close(w) != 0) {
        snprintf(why, why_size, "cannot write breakeven.csv: %s", strerror(errno));
        return -1;
    }
    path = outdir_file(dir, "evaluations.csv");
    w = path ? csv_open(path) : NULL;
    free(path);
    if (!w) {
        snprintf(why, why_size, "cannot write evaluations.csv: %s", strerror(errno));
        return -1;
    }
    const char *columns[] = {a->req->param, "difference_mean", "difference_se",
                             "difference_low90", "difference_high90"};
    csv_header(w, columns, 5);
    for (size_t i = 0; i < r->n_points; i++) {
        const struct breakeven_point *p = &r->points[i];
        csv_number(w, p->x);
        csv_fixed(w, p->mean, 4);
        csv_fixed(w, p->se, 4);
        csv_fixed(w, p->mean - z90 * p->se, 4);
        csv_fixed(w, p->mean + z90 * p->se, 4);
        csv_end_row(w);
    }
    if (csv_close(w) != 0) {
        snprintf(why, why_size, "cannot write evaluations.csv: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static const char *format_value(const struct scenario *sc, size_t metric, double v, char *buf,
                                size_t size)
{
    if (sc->model->metrics[metric].format == METRIC_MONEY)
        return results_money(v, sc->currency, buf, size);
    snprintf(buf, size, "%.6g", v);
    return buf;
}

static void print_answer(const struct answer *a, const char *output)
{
    const struct scenario *sc = a->sc;
    const struct breakeven_result *r = a->result;
    const char *policy = sc->policies[a->policy].name, *baseline = sc->policies[0].name;
    const char *metric = sc->model->metrics[a->metric].name;
    const struct breakeven_point *first = &r->points[0], *last = &r->points[r->n_points - 1];
    char at_lo[64], at_hi[64];
    format_value(sc, a->metric, first->mean, at_lo, sizeof at_lo);
    format_value(sc, a->metric, last->mean, at_hi, sizeof at_hi);
    printf("%s: %s minus %s, mean %s, over %s from %.6g to %.6g (%lld replications per run, "
           "seed %llu)\n", sc->name, policy, baseline, metric, a->req->param, a->req->lo, a->req->hi,
           sc->replications, (unsigned long long)sc->seed);
    if (r->outcome == BREAKEVEN_NO_SIGN_CHANGE) {
        printf("  no break-even in the range: the difference is %s throughout (%s at %.6g, %s at %.6g)\n",
               r->sign > 0 ? "positive" : "negative", at_lo, a->req->lo, at_hi, a->req->hi);
    } else {
        printf("  break-even at %s = %.6g", a->req->param, r->value);
        printf(" (90%% interval %s%.6g to %s%.6g)\n", r->lower_open ? "at most " : "", r->lower,
               r->upper_open ? "at least " : "", r->upper);
        printf("  the difference goes from %s at %.6g to %s at %.6g\n", at_lo, a->req->lo, at_hi,
               a->req->hi);
    }
    printf("  results in %s/ (%zu runs)\n", output, r->n_points);
}

int command_breakeven(int argc, char **argv, const struct model_interface *model)
{
    struct breakeven_request req = {0};
    if (cli_run_request_init(&req.run, argc + 1) != 0) {
        fputs("avrrsim: error: out of memory\n", stderr);
        return EXIT_RUNTIME;
    }
    int status = parse_breakeven(argc, argv, &req);
    if (status >= 0) {
        cli_run_request_free(&req.run);
        return status;
    }
    char *default_dir = req.run.output ? NULL : cli_default_output(req.run.scenario, "-breakeven");
    const char *output = req.run.output ? req.run.output : default_dir;
    struct scenario *base = output ? cli_load_checked(req.run.scenario, req.run.sets,
                                                      req.run.n_sets, model, &status)
                                   : NULL;
    struct evaluation e = {.req = &req, .model = model, .sets = req.run.sets,
                           .show = !req.run.quiet && isatty(STDERR_FILENO)};
    struct breakeven_result result = {0};
    struct outdir dir = {0};
    char why[1024] = "";
    if (!output)
        status = EXIT_RUNTIME;
    if (!base)
        goto done;
    if ((status = find_policy_and_metric(base, &req, &e.policy, &e.metric)) >= 0 ||
        (status = cli_check_output(output)) >= 0)
        goto done;
    cli_catch_stop_signals();
    status = breakeven_find(req.lo, req.hi, z90, evaluate, &e, &result, why, sizeof why);
    if (e.show)
        fputs("\r\033[K", stderr);
    if (status != 0) {
        if (cli_stop_signal())
            status = cli_report_interrupted();
        else if (status > 0)
            status = e.exit_status;
        else {
            fprintf(stderr, "avrrsim: error: %s\n", why);
            status = EXIT_RUNTIME;
        }
        goto done;
    }
    struct answer answer = {.sc = base, .req = &req, .result = &result, .policy = e.policy,
                            .metric = e.metric};
    status = EXIT_RUNTIME;
    if (outdir_begin(&dir, output, why, sizeof why) != 0 ||
        write_answer(&dir, &answer, why, sizeof why) != 0 ||
        outdir_write_file(dir.tmp, "scenario.resolved.yaml", run_output_resolved, base, why, sizeof why) != 0)
        goto failed;
    if (cli_stop_signal()) {
        outdir_abort(&dir);
        status = cli_report_interrupted();
        goto done;
    }
    why[0] = '\0';
    if (outdir_commit(&dir, why, sizeof why) != 0)
        goto failed;
    if (why[0])
        fprintf(stderr, "avrrsim: warning: %s\n", why);
    print_answer(&answer, output);
    status = 0;
    goto done;
failed:
    fprintf(stderr, "avrrsim: error: %s\n", why);
    outdir_abort(&dir);
done:
    outdir_clear(&dir);
    breakeven_result_free(&result);
    free(e.differences);
    scenario_free(base);
    cli_run_request_free(&req.run);
    free(default_dir);
    return status;
}
