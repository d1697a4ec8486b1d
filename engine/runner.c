/* runner: replications over worker threads (see runner.h). Work is handed
 * out one replication at a time from an atomic counter; every result goes to
 * its replication's slot, so neither the order nor the thread matters. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/rng.h"
#include "engine/runner.h"

/* A finished replication's monthly series waiting for the reducer. */
struct slot {
    double *values;
    size_t months, capacity;       /* capacity in doubles */
    bool ready;
};

struct shared {
    const struct scenario *sc;
    const gsl_rng_type *rng_type;
    struct dist **uncertain_dists;     /* one sampler per uncertain parameter (read only) */
    struct run_results *out;
    const double *fixed_uncertain;     /* every replication's uncertain values, or NULL */
    const uint32_t *strata;            /* LHS: [k * strata_n + r] the stratum of parameter k
                                          in replication r, or NULL */
    size_t strata_n;
    uint64_t first;                    /* the first replication of this run (a block's) */
    uint64_t end;                      /* the current batch ends before this replication */
    atomic_ullong next;                /* next replication to hand out */
    atomic_ullong done;                /* replications finished */
    atomic_bool stop;                  /* a worker failed */
    pthread_mutex_t error_lock;
    char error[512];
    /* ordered reduction of the monthly series: replication r waits in slot
     * r % window until the reducer has taken every replication before it */
    const volatile sig_atomic_t *cancel;
    pthread_mutex_t lock;
    pthread_cond_t slot_ready, slot_free;
    size_t window;
    struct slot *slots;
    uint64_t reduced;              /* replications reduced so far (under lock) */
    size_t raw_capacity;           /* doubles allocated in out->raw_series */
};

struct worker {
    struct shared *shared;
    pthread_t thread;
    void *workspace;
    void **params;                     /* one struct per policy */
    struct dist **dists;               /* [policy * n_keys + key], person-level keys only */
    gsl_rng *parameter_rng;
};

static void fail(struct shared *s, const char *reason)
{
    pthread_mutex_lock(&s->error_lock);
    if (!atomic_load(&s->stop)) {
        snprintf(s->error, sizeof s->error, "%s", reason);
        atomic_store(&s->stop, true);
    }
    pthread_mutex_unlock(&s->error_lock);
    /* wake the reducer and every worker waiting for a slot */
    pthread_mutex_lock(&s->lock);
    pthread_cond_broadcast(&s->slot_ready);
    pthread_cond_broadcast(&s->slot_free);
    pthread_mutex_unlock(&s->lock);
}

/* Hands replication r's series to the reducer, waiting for its slot. */
static int hand_over_series(struct shared *s, uint64_t r, const double *values, size_t months)
{
    size_t row = s->out->n_policies * s->sc->model->n_series_metrics;
    pthread_mutex_lock(&s->lock);
    while (r >= s->reduced + s->window && !atomic_load(&s->stop))
        pthread_cond_wait(&s->slot_free, &s->lock);
    pthread_mutex_unlock(&s->lock);
    if (atomic_load(&s->stop))
        return -1;
    /* the slot is ours alone until we mark it ready */
    struct slot *slot = &s->slots[r % s->window];
    if (months * row > slot->capacity) {
        double *grown = realloc(slot->values, months * row * sizeof *grown);
        if (!grown) {
            fail(s, "out of memory");
            return -1;
        }
        slot->values = grown;
        slot->capacity = months * row;
    }
    memcpy(slot->values, values, months * row * sizeof *values);
    slot->months = months;
    pthread_mutex_lock(&s->lock);
    slot->ready = true;
    pthread_cond_broadcast(&s->slot_ready);
    pthread_mutex_unlock(&s->lock);
    return 0;
}

/* Takes the next replication's series (in replication order): into the
 * reducer, or appended raw. 0, or -1 (OOM). */
static int keep_series(struct shared *s, const double *values, size_t months)
{
    struct run_results *out = s->out;
    if (!out->raw_months)
        return series_reducer_add(out->series, values, months);
    size_t n = months * out->n_policies * s->sc->model->n_series_metrics;
    if (out->raw_size + n > s->raw_capacity) {
        size_t capacity = s->raw_capacity ? s->raw_capacity : 4096;
        while (capacity < out->raw_size + n)
            capacity *= 2;
        double *grown = realloc(out->raw_series, capacity * sizeof *grown);
        if (!grown)
            return -1;
        out->raw_series = grown;
        s->raw_capacity = capacity;
    }
    memcpy(out->raw_series + out->raw_size, values, n * sizeof *values);
    out->raw_size += n;
    out->raw_months[s->reduced - s->first] = months;
    return 0;
}

/* The calling thread's part: reduce the series in replication order and
 * report progress until every replication is done or a worker failed. */
static void reduce_and_report(struct shared *s, run_progress_fn progress, void *user, uint64_t total,
                              uint64_t shown_total)
{
    struct timespec last_report = {0, 0};
    for (;;) {
        if (progress) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double since = (double)(now.tv_sec - last_report.tv_sec) +
                           (double)(now.tv_nsec - last_report.tv_nsec) / 1e9;
            if (since >= 0.2) {
                progress(user, atomic_load(&s->done), shown_total);
                last_report = now;
            }
        }
        if (s->cancel && *s->cancel)
            fail(s, "interrupted");
        if (atomic_load(&s->stop))
            return;
        if (!s->slots) {
            if (atomic_load(&s->done) >= total)
                return;
            const struct timespec pause = {0, 50 * 1000 * 1000};
            nanosleep(&pause, NULL);
            continue;
        }
        pthread_mutex_lock(&s->lock);
        if (s->reduced >= total) {
            pthread_mutex_unlock(&s->lock);
            return;
        }
        struct slot *slot = &s->slots[s->reduced % s->window];
        if (!slot->ready) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 100 * 1000 * 1000;
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&s->slot_ready, &s->lock, &until);
            pthread_mutex_unlock(&s->lock);
            continue;
        }
        pthread_mutex_unlock(&s->lock);
        if (keep_series(s, slot->values, slot->months) != 0) {
            fail(s, "out of memory");
            return;
        }
        pthread_mutex_lock(&s->lock);
        slot->ready = false;
        s->reduced++;
        pthread_cond_broadcast(&s->slot_free);
        pthread_mutex_unlock(&s->lock);
    }
}

int runner_resolve_policy(const struct scenario *sc, const struct policy *policy,
                          const double *uncertain, void *params, struct dist **dists,
                          char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    char *base = params;
    for (size_t k = 0; k < model->n_keys; k++) {
        const struct schema_key *key = &model->keys[k];
        const struct param_value *v = &policy->values[k];
        void *at = base + key->offset;
        switch (key->kind) {
        case SCHEMA_NUMBER: {
            const struct dist_arg *a = &v->spec.args[0];
            double value = a->uncertain >= 0 ? uncertain[a->uncertain] : a->value;
            if (key->flags & SCHEMA_INTEGER && isfinite(value))
                value = nearbyint(value);
            memcpy(at, &value, sizeof value);
            break;
        }
        case SCHEMA_PERSON_DIST: {
            struct person_dist pd = {.dist = dists[k], .draw_group = policy->draw_groups[k],
                                     .present = v->present};
            if (v->present && dist_resolve(dists[k], &v->spec, uncertain, why, why_size) != 0)
                return -1;
            memcpy(at, &pd, sizeof pd);
            break;
        }
        case SCHEMA_BOOL:
            memcpy(at, &v->flag, sizeof v->flag);
            break;
        case SCHEMA_CHOICE:
        case SCHEMA_MONTH:
            memcpy(at, &v->choice, sizeof v->choice);
            break;
        case SCHEMA_NUMBER_LIST:
            memcpy(at, &v->list, sizeof v->list);
            break;
        case SCHEMA_TEXT:
        case SCHEMA_SEED:
            break;
        }
    }
    return 0;
}

static void worker_clear(struct worker *w, const struct scenario *sc)
{
    const struct model_interface *model = sc->model;
    model->workspace_free(w->workspace);
    if (w->params)
        for (size_t p = 0; p < sc->n_policies; p++)
            free(w->params[p]);
    free(w->params);
    if (w->dists)
        for (size_t i = 0; i < sc->n_policies * model->n_keys; i++)
            dist_free(w->dists[i]);
    free(w->dists);
    gsl_rng_free(w->parameter_rng);
}

static int worker_init(struct worker *w, struct shared *s)
{
    const struct scenario *sc = s->sc;
    const struct model_interface *model = sc->model;
    memset(w, 0, sizeof *w);
    w->shared = s;
    w->params = calloc(sc->n_policies, sizeof *w->params);
    w->dists = calloc(sc->n_policies * model->n_keys, sizeof *w->dists);
    w->parameter_rng = gsl_rng_alloc(s->rng_type);
    if (!w->params || !w->dists || !w->parameter_rng)
        return -1;
    for (size_t p = 0; p < sc->n_policies; p++) {
        if (!(w->params[p] = calloc(1, model->params_size)))
            return -1;
        for (size_t k = 0; k < model->n_keys; k++) {
            if (model->keys[k].kind != SCHEMA_PERSON_DIST || !sc->policies[p].values[k].present)
                continue;
            if (!(w->dists[p * model->n_keys + k] = dist_alloc_for(&sc->policies[p].values[k].spec)))
                return -1;
        }
    }
    struct model_setup setup = {.rng_type = s->rng_type, .seed = sc->seed,
                                .n_policies = sc->n_policies,
                                .params = (const void *const *)w->params, .stop = s->cancel};
    w->workspace = model->workspace_new(&setup);
    return w->workspace ? 0 : -1;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *s = w->shared;
    const struct scenario *sc = s->sc;
    const struct model_interface *model = sc->model;
    struct run_results *out = s->out;
    const uint64_t total = s->end;
    char why[256];

    for (;;) {
        if (atomic_load_explicit(&s->stop, memory_order_relaxed))
            break;
        if (s->cancel && *s->cancel) {
            fail(s, "interrupted");
            break;
        }
        uint64_t r = atomic_fetch_add(&s->next, 1);
        if (r >= total)
            break;
        const uint64_t i = r - s->first;   /* the replication's slot in out */
        double *u = out->uncertain + i * out->n_uncertain;
        for (size_t k = 0; k < sc->n_uncertain; k++) {
            if (s->fixed_uncertain) {
                u[k] = s->fixed_uncertain[k];
                continue;
            }
            rng_stream_seed(w->parameter_rng, sc->seed, r, sc->uncertain[k].stream);
            if (s->strata) {
                /* a uniform point inside this replication's stratum, through the quantile */
                double p = ((double)s->strata[k * s->strata_n + r] +
                            gsl_rng_uniform_pos(w->parameter_rng)) / (double)s->strata_n;
                u[k] = dist_quantile(s->uncertain_dists[k], p);
            } else
                u[k] = dist_sample(s->uncertain_dists[k], w->parameter_rng);
        }
        for (size_t p = 0; p < sc->n_policies; p++) {
            if (runner_resolve_policy(sc, &sc->policies[p], u, w->params[p],
                                      w->dists + p * model->n_keys, why, sizeof why) != 0) {
                char reason[512];
                snprintf(reason, sizeof reason, "replication %llu, policy '%s': %s",
                         (unsigned long long)r + 1, sc->policies[p].name, why);
                fail(s, reason);
                return NULL;
            }
        }
        double *metrics = out->metrics + i * out->n_policies * out->n_metrics;
        if (model->replicate(w->workspace, r, metrics, why, sizeof why) != 0) {
            char reason[512];
            snprintf(reason, sizeof reason, "replication %llu: %s", (unsigned long long)r + 1, why);
            fail(s, reason);
            return NULL;
        }
        if (s->slots) {
            size_t months = 0;
            const double *series = model->series(w->workspace, &months);
            if (hand_over_series(s, r, series, months) != 0)
                return NULL;
        }
        atomic_fetch_add_explicit(&s->done, 1, memory_order_relaxed);
    }
    return NULL;
}

/* Resolves every policy with the uncertain parameters at `uncertain` and
 * hands each to visit(policy, params, user), stopping at its first non-zero
 * return. 0, or the non-zero return, or -1 (OOM or a failed resolve, with why). */
static int visit_policies(const struct scenario *sc, const double *uncertain,
                          int (*visit)(size_t policy, const void *params, void *user), void *user,
                          char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    int result = 0;
    void *params = calloc(1, model->params_size);
    struct dist **dists = calloc(model->n_keys, sizeof *dists);
    if (!params || !dists) {
        snprintf(why, why_size, "out of memory");
        result = -1;
    }
    for (size_t p = 0; p < sc->n_policies && result == 0; p++) {
        for (size_t k = 0; k < model->n_keys; k++) {
            dist_free(dists[k]);
            dists[k] = NULL;
            if (model->keys[k].kind == SCHEMA_PERSON_DIST && sc->policies[p].values[k].present &&
                !(dists[k] = dist_alloc_for(&sc->policies[p].values[k].spec))) {
                snprintf(why, why_size, "out of memory");
                result = -1;
            }
        }
        if (result == 0)
            result = runner_resolve_policy(sc, &sc->policies[p], uncertain, params, dists, why, why_size);
        if (result == 0)
            result = visit(p, params, user);
    }
    if (dists)
        for (size_t k = 0; k < model->n_keys; k++)
            dist_free(dists[k]);
    free(dists);
    free(params);
    return result;
}

struct check_visit {
    const struct model_interface *model;
    char *why;
    size_t why_size;
};

static int check_one(size_t policy, const void *params, void *user)
{
    (void)policy;
    struct check_visit *c = user;
    return c->model->check(params, c->why, c->why_size) != 0 ? -1 : 0;
}

int runner_check(const struct scenario *sc, char *why, size_t why_size)
{
    if (!sc->model->check)
        return 0;
    double *means = calloc(sc->n_uncertain + 1, sizeof *means);
    if (!means) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    int result = 0;
    for (size_t k = 0; k < sc->n_uncertain && result == 0; k++) {
        struct dist *d = dist_alloc_for(&sc->uncertain[k].spec);
        if (d && dist_resolve(d, &sc->uncertain[k].spec, NULL, why, why_size) == 0)
            means[k] = dist_mean(d);
        else
            result = -1;
        dist_free(d);
    }
    struct check_visit c = {sc->model, why, why_size};
    if (result == 0)
        result = visit_policies(sc, means, check_one, &c, why, why_size);
    free(means);
    return result;
}

struct limit_visit {
    const struct model_interface *model;
    double *limits;
};

static int limit_one(size_t policy, const void *params, void *user)
{
    struct limit_visit *v = user;
    for (size_t m = 0; m < v->model->n_series_metrics; m++) {
        double limit = v->model->series_limit(params, m);
        if (isnan(limit))
            limit = INFINITY;
        if (policy == 0)
            v->limits[m] = limit;
        else if (v->limits[m] != limit)
            v->limits[m] = INFINITY;
    }
    return 0;
}

void runner_series_limits(const struct scenario *sc, double *limits)
{
    const struct model_interface *model = sc->model;
    for (size_t m = 0; m < model->n_series_metrics; m++)
        limits[m] = INFINITY;
    if (!model->series_limit)
        return;
    double *unknown = malloc((sc->n_uncertain + 1) * sizeof *unknown);
    if (!unknown)
        return;
    for (size_t k = 0; k < sc->n_uncertain; k++)
        unknown[k] = NAN;
    char why[256];
    struct limit_visit v = {model, limits};
    if (visit_policies(sc, unknown, limit_one, &v, why, sizeof why) != 0)
        for (size_t m = 0; m < model->n_series_metrics; m++)
            limits[m] = INFINITY;
    free(unknown);
}

void run_results_free(struct run_results *results)
{
    if (!results)
        return;
    free(results->metrics);
    free(results->uncertain);
    series_reducer_free(results->series);
    free(results->raw_series);
    free(results->raw_months);
    memset(results, 0, sizeof *results);
}

/* Refuses runs whose results would not fit in memory before allocating. */
static int fits_in_memory(size_t replications, size_t per_replication, char *why, size_t why_size)
{
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    double available = pages > 0 && page_size > 0 ? (double)pages * (double)page_size : 8e9;
    double needed = (double)replications * (double)per_replication * sizeof(double);
    if (needed <= available / 2)
        return 1;
    double largest = available / 2 / ((double)per_replication * sizeof(double));
    snprintf(why, why_size,
             "%zu replications need %.1f GiB for their results, more than half of this "
             "machine's %.1f GiB: use at most %.0f replications (-n)",
             replications, needed / 1073741824.0, available / 1073741824.0, floor(largest));
    return 0;
}

/* LHS: for every uncertain parameter a random permutation of the strata
 * 0..n-1 over the replications, from a stream of its own (the replication
 * index UINT64_MAX is never a replication's). NULL on OOM. */
static uint32_t *latin_strata(const struct scenario *sc, const gsl_rng_type *type, size_t n)
{
    uint32_t *strata = malloc((sc->n_uncertain * n + 1) * sizeof *strata);
    size_t *order = malloc(n * sizeof *order);
    gsl_rng *rng = gsl_rng_alloc(type);
    if (!strata || !order || !rng) {
        free(strata);
        strata = NULL;
        goto done;
    }
    for (size_t k = 0; k < sc->n_uncertain; k++) {
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        rng_stream_seed(rng, sc->seed, UINT64_MAX, sc->uncertain[k].stream);
        gsl_ran_shuffle(rng, order, n, sizeof *order);
        for (size_t i = 0; i < n; i++)
            strata[k * n + i] = (uint32_t)order[i];
    }
done:
    free(order);
    gsl_rng_free(rng);
    return strata;
}

int runner_uncertain_points(const struct scenario *sc, double *means, double *lows, double *highs,
                            char *why, size_t why_size)
{
    for (size_t k = 0; k < sc->n_uncertain; k++) {
        const struct dist_spec *spec = &sc->uncertain[k].spec;
        struct dist *d = dist_alloc_for(spec);
        char reason[256];
        if (!d || dist_resolve(d, spec, NULL, reason, sizeof reason) != 0) {
            snprintf(why, why_size, "uncertain parameter '%s': %s", sc->uncertain[k].path,
                     d ? reason : "out of memory");
            dist_free(d);
            return -1;
        }
        if (means)
            means[k] = dist_mean(d);
        if (lows)
            lows[k] = spec->has_low ? spec->low : dist_quantile(d, 0.05);
        if (highs)
            highs[k] = spec->has_high ? spec->high : dist_quantile(d, 0.95);
        dist_free(d);
    }
    return 0;
}

enum run_status runner_run(const struct scenario *sc, unsigned threads, run_progress_fn progress,
                           void *user, const volatile sig_atomic_t *cancel,
                           struct run_results *out, char *why, size_t why_size)
{
    return runner_run_plan(sc, threads, NULL, progress, user, cancel, out, why, why_size);
}

/* Starts the workers on replications [next, s->end) and reduces until done. */
static void run_batch(struct shared *s, struct worker *workers, unsigned threads,
                      run_progress_fn progress, void *user, uint64_t shown_total)
{
    unsigned started = 0;
    for (unsigned t = 0; t < threads; t++) {
        if (pthread_create(&workers[t].thread, NULL, worker_main, &workers[t]) != 0) {
            fail(s, "cannot start a worker thread");
            break;
        }
        started++;
    }
    reduce_and_report(s, progress, user, s->end, shown_total);
    for (unsigned t = 0; t < started; t++)
        pthread_join(workers[t].thread, NULL);
}

size_t runner_batch_end(const struct run_plan *plan, size_t done, size_t replications)
{
    size_t first_batch = plan->first_batch ? plan->first_batch : 100;
    if (!plan->enough)
        return replications;
    if (done == 0)
        return first_batch < replications ? first_batch : replications;
    size_t step = done / 4 > first_batch ? done / 4 : first_batch;
    return done + step < replications ? done + step : replications;
}

enum run_status run_results_alloc(const struct scenario *sc, size_t replications,
                                  struct run_results *out, char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    memset(out, 0, sizeof *out);
    out->replications = replications;
    out->n_policies = sc->n_policies;
    out->n_metrics = model->n_metrics;
    out->n_uncertain = sc->n_uncertain;
    size_t per_replication = sc->n_policies * model->n_metrics + sc->n_uncertain;
    if (!fits_in_memory(replications, per_replication, why, why_size))
        return RUN_TOO_LARGE;
    out->metrics = malloc((replications * sc->n_policies * model->n_metrics + 1) * sizeof(double));
    out->uncertain = malloc((replications * sc->n_uncertain + 1) * sizeof(double));
    bool series_failed = false;
    if (model->n_series_metrics > 0 && model->series) {
        out->series = series_reducer_new(sc->n_policies, model->series_metrics, model->n_series_metrics);
        series_failed = !out->series;
    }
    if (!out->metrics || !out->uncertain || series_failed) {
        run_results_free(out);
        snprintf(why, why_size, "out of memory");
        return RUN_FAILED;
    }
    return RUN_OK;
}

enum run_status runner_run_plan(const struct scenario *sc, unsigned threads, const struct run_plan *plan,
                                run_progress_fn progress, void *user,
                                const volatile sig_atomic_t *cancel, struct run_results *out,
                                char *why, size_t why_size)
{
    const struct model_interface *model = sc->model;
    static const struct run_plan no_plan;
    if (!plan)
        plan = &no_plan;
    size_t replications = (size_t)sc->replications;     /* of the whole run */
    size_t first = 0, end = replications;              /* of this one */
    memset(out, 0, sizeof *out);
    if (plan->end > 0) {
        if (plan->enough || plan->first >= plan->end || plan->end > replications) {
            snprintf(why, why_size, "replications %zu to %zu: not a block of this run's %zu",
                     plan->first + 1, plan->end, replications);
            return RUN_FAILED;
        }
        first = plan->first;
        end = plan->end;
    }
    bool has_series = model->n_series_metrics > 0 && model->series;
    enum run_status status = run_results_alloc(sc, end - first, out, why, why_size);
    if (status != RUN_OK)
        return status;
    if (has_series && plan->raw_series) {
        series_reducer_free(out->series);
        out->series = NULL;
        out->raw_months = calloc(end - first, sizeof *out->raw_months);
    }
    if (threads < 1)
        threads = 1;
    if (threads > end - first)
        threads = (unsigned)(end - first);

    struct shared s = {.sc = sc, .out = out, .rng_type = rng_type_by_name(sc->rng_name),
                       .cancel = cancel, .fixed_uncertain = plan->fixed_uncertain,
                       .first = first, .reduced = first};
    atomic_init(&s.next, first);
    atomic_init(&s.done, first);
    atomic_init(&s.stop, false);
    pthread_mutex_init(&s.error_lock, NULL);
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.slot_ready, NULL);
    pthread_cond_init(&s.slot_free, NULL);
    s.uncertain_dists = calloc(sc->n_uncertain + 1, sizeof *s.uncertain_dists);
    struct worker *workers = calloc(threads, sizeof *workers);
    bool series_failed = false;
    if (has_series) {
        s.window = 4 * (size_t)threads;
        s.slots = calloc(s.window, sizeof *s.slots);
        series_failed = !s.slots || (plan->raw_series && !out->raw_months);
    }

    if (!s.uncertain_dists || !workers || !s.rng_type || series_failed) {
        snprintf(why, why_size, "out of memory");
        status = RUN_FAILED;
        goto done;
    }
    for (size_t k = 0; k < sc->n_uncertain; k++) {
        char reason[256];
        s.uncertain_dists[k] = dist_alloc_for(&sc->uncertain[k].spec);
        if (!s.uncertain_dists[k] ||
            dist_resolve(s.uncertain_dists[k], &sc->uncertain[k].spec, NULL, reason, sizeof reason) != 0) {
            snprintf(why, why_size, "uncertain parameter '%s': %s", sc->uncertain[k].path,
                     s.uncertain_dists[k] ? reason : "out of memory");
            status = RUN_FAILED;
            goto done;
        }
    }
    if (sc->sampling == SAMPLING_LHS && !plan->fixed_uncertain && sc->n_uncertain > 0) {
        if (plan->enough) {
            snprintf(why, why_size, "sampling: lhs lays its strata over every replication, so a run "
                                    "cannot stop early (--precision)");
            status = RUN_FAILED;
            goto done;
        }
        if (replications > UINT32_MAX) {
            snprintf(why, why_size, "sampling: lhs takes at most %u replications", UINT32_MAX);
            status = RUN_FAILED;
            goto done;
        }
        s.strata_n = replications;
        if (!(s.strata = latin_strata(sc, s.rng_type, replications))) {
            snprintf(why, why_size, "out of memory");
            status = RUN_FAILED;
            goto done;
        }
    }
    for (unsigned t = 0; t < threads; t++) {
        if (worker_init(&workers[t], &s) != 0) {
            snprintf(why, why_size, "out of memory");
            status = RUN_FAILED;
            goto done;
        }
    }
    s.end = plan->end > 0 ? end : runner_batch_end(plan, 0, replications);
    for (;;) {
        run_batch(&s, workers, threads, progress, user, end);
        if (atomic_load(&s.stop) || s.end >= end)
            break;
        out->replications = s.end;
        if (plan->enough(out, plan->enough_user))
            break;
        atomic_store(&s.next, s.end);
        s.end = runner_batch_end(plan, s.end, replications);
    }
    out->replications = s.end - first;
    if (progress && !atomic_load(&s.stop))
        progress(user, s.end, s.end);
    if (atomic_load(&s.stop)) {
        snprintf(why, why_size, "%s", s.error);
        status = cancel && *cancel ? RUN_CANCELLED : RUN_FAILED;
    } else if (out->series && series_reducer_finish(out->series) != 0) {
        snprintf(why, why_size, "out of memory for the monthly series");
        status = RUN_FAILED;
    }

done:
    if (workers)
        for (unsigned t = 0; t < threads; t++)
            worker_clear(&workers[t], sc);
    free(workers);
    if (s.uncertain_dists)
        for (size_t k = 0; k < sc->n_uncertain; k++)
            dist_free(s.uncertain_dists[k]);
    free(s.uncertain_dists);
    if (s.slots)
        for (size_t i = 0; i < s.window; i++)
            free(s.slots[i].values);
    free(s.slots);
    free((void *)s.strata);
    pthread_cond_destroy(&s.slot_ready);
    pthread_cond_destroy(&s.slot_free);
    pthread_mutex_destroy(&s.lock);
    pthread_mutex_destroy(&s.error_lock);
    if (status != RUN_OK)
        run_results_free(out);
    return status;
}
