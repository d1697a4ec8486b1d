/* cluster_runs: a job's runs over the ranks (cluster_runs.h).
 *
 * The protocol, every message through engine/cluster:
 *   rank 0 -> rank k, tag ORDER: TASK (item, first, end), STOP (drop the
 *     tasks still queued), END (no more tasks), then, after k's BYE, the
 *     OUTCOME (the job's status);
 *   rank k -> rank 0, tag REPORT: RESULT (a block's results), FAILED
 *     (status and reason), BYE (k has read END and sends nothing more).
 * One tag each way keeps every rank's messages in order. Waiting is polling
 * with short sleeps, so that a waiting rank leaves the cores to the
 * threads that compute, and notices a signal. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/cluster.h"
#include "engine/cluster_runs.h"

enum { TAG_ORDER = 101, TAG_REPORT = 102, TAG_AGREE = 103, TAG_SHARE = 104 };
enum { ORDER_TASK = 1, ORDER_STOP, ORDER_END, ORDER_OUTCOME };
enum { REPORT_RESULT = 1, REPORT_FAILED, REPORT_BYE };

/* Blocks handed to another rank at a time (one computing, one waiting). */
enum { AHEAD = 2 };
enum { BLOCK_MIN = 64, BLOCK_MAX = 4096 };

struct order {
    uint64_t kind, item, first, end;
    int64_t status;
};

/* ---------- waiting ---------- */

static void pause_for(long nanoseconds)
{
    struct timespec pause = {0, nanoseconds};
    nanosleep(&pause, NULL);
}

/* Waits for a message from `from` with tag: 1 when one is there, 0 when
 * cancel became non-zero, -1 when MPI failed. */
static int wait_for(int from, int tag, const volatile sig_atomic_t *cancel)
{
    long nap = 50 * 1000;
    for (;;) {
        int found = cluster_probe(from, tag, NULL, NULL);
        if (found != 0)
            return found;
        if (cancel && *cancel)
            return 0;
        pause_for(nap);
        nap = nap < 1000 * 1000 ? 2 * nap : 2 * 1000 * 1000;
    }
}

static int send_order(int to, uint64_t kind, uint64_t item, uint64_t first, uint64_t end, int64_t status)
{
    struct order o = {kind, item, first, end, status};
    return cluster_send(to, TAG_ORDER, &o, sizeof o);
}

/* ---------- a block's results as one message ---------- */

/* REPORT_RESULT: a header of 5 uint64 (kind, item, first, end, raw doubles),
 * then the metrics and drawn parameters (doubles), then, when the model has
 * series, the months of each replication (uint64) and the raw series. */
static void *pack_result(size_t item, size_t first, const struct run_results *res, size_t *size)
{
    size_t n = res->replications;
    size_t metrics = n * res->n_policies * res->n_metrics, uncertain = n * res->n_uncertain;
    size_t months = res->raw_months ? n : 0;
    *size = 5 * sizeof(uint64_t) + (metrics + uncertain + res->raw_size) * sizeof(double) +
            months * sizeof(uint64_t);
    char *buffer = malloc(*size), *at = buffer;
    if (!buffer)
        return NULL;
    uint64_t header[5] = {REPORT_RESULT, item, first, first + n, res->raw_size};
    memcpy(at, header, sizeof header);
    at += sizeof header;
    memcpy(at, res->metrics, metrics * sizeof(double));
    at += metrics * sizeof(double);
    memcpy(at, res->uncertain, uncertain * sizeof(double));
    at += uncertain * sizeof(double);
    for (size_t i = 0; i < months; i++) {
        uint64_t m = res->raw_months[i];
        memcpy(at, &m, sizeof m);
        at += sizeof m;
    }
    if (res->raw_size)
        memcpy(at, res->raw_series, res->raw_size * sizeof(double));
    return buffer;
}

/* The block results of a RESULT message for scenario sc; 0, or -1 when the
 * message does not fit the scenario or out of memory. */
static int unpack_result(const char *buffer, size_t size, const struct scenario *sc, size_t first,
                         size_t end, struct run_results *res)
{
    const struct model_interface *model = sc->model;
    bool series = model->n_series_metrics > 0 && model->series;
    uint64_t header[5];
    memcpy(header, buffer, sizeof header);
    size_t n = end - first, raw = (size_t)header[4];
    size_t metrics = n * sc->n_policies * model->n_metrics, uncertain = n * sc->n_uncertain;
    size_t expected = sizeof header + (metrics + uncertain + raw) * sizeof(double) +
                      (series ? n * sizeof(uint64_t) : 0);
    if (size != expected || (!series && raw))
        return -1;
    memset(res, 0, sizeof *res);
    res->replications = n;
    res->n_policies = sc->n_policies;
    res->n_metrics = model->n_metrics;
    res->n_uncertain = sc->n_uncertain;
    res->raw_size = raw;
    res->metrics = malloc((metrics + 1) * sizeof(double));
    res->uncertain = malloc((uncertain + 1) * sizeof(double));
    res->raw_months = series ? malloc(n * sizeof *res->raw_months) : NULL;
    res->raw_series = malloc((raw + 1) * sizeof(double));
    if (!res->metrics || !res->uncertain || (series && !res->raw_months) || !res->raw_series) {
        run_results_free(res);
        return -1;
    }
    const char *at = buffer + sizeof header;
    memcpy(res->metrics, at, metrics * sizeof(double));
    at += metrics * sizeof(double);
    memcpy(res->uncertain, at, uncertain * sizeof(double));
    at += uncertain * sizeof(double);
    size_t total = 0;
    for (size_t i = 0; series && i < n; i++) {
        uint64_t m;
        memcpy(&m, at, sizeof m);
        at += sizeof m;
        res->raw_months[i] = (size_t)m;
        total += (size_t)m * sc->n_policies * model->n_series_metrics;
    }
    if (total != raw) {
        run_results_free(res);
        return -1;
    }
    memcpy(res->raw_series, at, raw * sizeof(double));
    return 0;
}

/* REPORT_FAILED: int64 kind, status, too large (1 or 0) and item, then the
 * reason's text. */
static int send_failed(int status, bool too_large, size_t item, const char *why)
{
    size_t length = strlen(why);
    char *buffer = malloc(4 * sizeof(int64_t) + length);
    if (!buffer)
        return -1;
    int64_t header[4] = {REPORT_FAILED, status, too_large ? 1 : 0, (int64_t)item};
    memcpy(buffer, header, sizeof header);
    memcpy(buffer + sizeof header, why, length);
    int sent = cluster_send(0, TAG_REPORT, buffer, sizeof header + length);
    free(buffer);
    return sent;
}

static int run_status_exit(enum run_status rs)
{
    return rs == RUN_TOO_LARGE ? 2 : 1;
}

/* The plan of one block: the job's plan without its batches. */
static struct run_plan block_plan(const struct cluster_job *job, size_t first, size_t end)
{
    struct run_plan plan = {.first = first, .end = end, .raw_series = true};
    if (job->plan)
        plan.fixed_uncertain = job->plan->fixed_uncertain;
    return plan;
}

/* ---------- one rank alone ---------- */

static int run_alone(const struct cluster_job *job, struct cluster_failure *failure)
{
    for (size_t item = 0; item < job->n_items; item++) {
        int status = 1;
        struct scenario *sc = job->load(item, job->user, &status);
        if (!sc) {
            failure->status = status;
            return -1;
        }
        if (job->starting)
            job->starting(item, job->user);
        struct run_results res;
        enum run_status rs = runner_run_plan(sc, job->threads, job->plan, job->progress, job->progress_user,
                                             job->cancel, &res, failure->why, sizeof failure->why);
        if (rs == RUN_OK) {
            status = job->done(item, sc, &res, job->user);
            run_results_free(&res);
        }
        if (job->unload)
            job->unload(item, sc, job->user);
        if (rs != RUN_OK) {
            failure->status = run_status_exit(rs);
            failure->item = item;
            failure->interrupted = rs == RUN_CANCELLED;
            failure->too_large = rs == RUN_TOO_LARGE;
            return -1;
        }
        if (status >= 0) {
            failure->status = status;
            return -1;
        }
    }
    return 0;
}

/* ---------- every rank but 0 ---------- */

struct order_queue {
    struct order *orders;
    size_t head, count, capacity;
};

/* Receives every ORDER message already waiting into the queue. 0 or -1. */
static int take_waiting_orders(struct order_queue *q)
{
    for (;;) {
        int found = cluster_probe(0, TAG_ORDER, NULL, NULL);
        if (found <= 0)
            return found;
        void *data;
        size_t size;
        if (cluster_receive(0, TAG_ORDER, &data, &size) != 0)
            return -1;
        if (size != sizeof(struct order)) {
            free(data);
            return -1;
        }
        if (q->head + q->count == q->capacity) {
            if (q->head > 0) {
                memmove(q->orders, q->orders + q->head, q->count * sizeof *q->orders);
                q->head = 0;
            } else {
                size_t capacity = q->capacity ? 2 * q->capacity : 8;
                struct order *grown = realloc(q->orders, capacity * sizeof *grown);
                if (!grown) {
                    free(data);
                    return -1;
                }
                q->orders = grown;
                q->capacity = capacity;
            }
        }
        memcpy(&q->orders[q->head + q->count++], data, sizeof(struct order));
        free(data);
    }
}

static bool queue_has_stop(const struct order_queue *q)
{
    for (size_t i = 0; i < q->count; i++)
        if (q->orders[q->head + i].kind == ORDER_STOP)
            return true;
    return false;
}

/* Computes one block and reports it. 0, 1 (it failed and said so), or -1
 * (interrupted or MPI failed: leave the protocol). */
static int work_on(const struct cluster_job *job, const struct order *o, size_t *loaded_item,
                   struct scenario **sc)
{
    char why[1024];
    if (!*sc || *loaded_item != o->item) {
        if (*sc && job->unload)
            job->unload(*loaded_item, *sc, job->user);
        int status = 1;
        *sc = job->load((size_t)o->item, job->user, &status);
        *loaded_item = (size_t)o->item;
        if (!*sc) {
            snprintf(why, sizeof why, "rank %d could not load item %llu that rank 0 loaded "
                                      "(does every node see the same files?)",
                     cluster_rank(), (unsigned long long)o->item + 1);
            return send_failed(status, false, (size_t)o->item, why) == 0 ? 1 : -1;
        }
    }
    struct run_plan plan = block_plan(job, (size_t)o->first, (size_t)o->end);
    struct run_results res;
    enum run_status rs = runner_run_plan(*sc, job->threads, &plan, NULL, NULL, job->cancel, &res, why,
                                         sizeof why);
    if (rs == RUN_CANCELLED)
        return -1;
    if (rs != RUN_OK)
        return send_failed(run_status_exit(rs), rs == RUN_TOO_LARGE, (size_t)o->item, why) == 0 ? 1 : -1;
    size_t size;
    void *message = pack_result((size_t)o->item, (size_t)o->first, &res, &size);
    run_results_free(&res);
    if (!message)
        return send_failed(1, false, (size_t)o->item, "out of memory") == 0 ? 1 : -1;
    int sent = cluster_send(0, TAG_REPORT, message, size);
    free(message);
    return sent == 0 ? 0 : -1;
}

static int run_worker(const struct cluster_job *job, struct cluster_failure *failure)
{
    struct order_queue q = {0};
    size_t loaded_item = 0;
    struct scenario *sc = NULL;
    bool stopped = false, ended = false;
    int result = -1;
    failure->status = 1;
    while (!ended) {
        if (q.count == 0) {
            int waited = wait_for(0, TAG_ORDER, job->cancel);
            if (waited <= 0) {
                failure->interrupted = waited == 0;
                goto leave;
            }
        }
        if (take_waiting_orders(&q) != 0)
            goto leave;
        struct order o = q.orders[q.head++];
        q.count--;
        if (o.kind == ORDER_STOP)
            stopped = true;
        else if (o.kind == ORDER_END)
            ended = true;
        else if (o.kind == ORDER_TASK && !stopped) {
            if (take_waiting_orders(&q) != 0)
                goto leave;
            if (queue_has_stop(&q))
                continue;    /* the STOP is next in the queue */
            int worked = work_on(job, &o, &loaded_item, &sc);
            if (worked < 0) {
                failure->interrupted = job->cancel && *job->cancel;
                goto leave;
            }
            stopped = stopped || worked == 1;
        } else if (o.kind != ORDER_TASK)
            goto leave;
    }
    int64_t bye = REPORT_BYE;
    if (cluster_send(0, TAG_REPORT, &bye, sizeof bye) != 0)
        goto leave;
    int waited = wait_for(0, TAG_ORDER, job->cancel);
    if (waited <= 0) {
        failure->interrupted = waited == 0;
        goto leave;
    }
    struct order outcome;
    void *data;
    size_t size;
    if (cluster_receive(0, TAG_ORDER, &data, &size) != 0)
        goto leave;
    if (size == sizeof outcome)
        memcpy(&outcome, data, sizeof outcome);
    free(data);
    if (size != sizeof outcome || outcome.kind != ORDER_OUTCOME)
        goto leave;
    failure->status = (int)outcome.status;
    result = outcome.status < 0 ? 0 : -1;
leave:
    if (sc && job->unload)
        job->unload(loaded_item, sc, job->user);
    free(q.orders);
    return result;
}

/* ---------- rank 0 ---------- */

/* An item whose replications are out or coming back. */
struct item_state {
    struct scenario *sc;
    struct run_results res;       /* every replication's place */
    size_t replications;          /* sc->replications */
    size_t block;                 /* replications per block */
    size_t handed;                /* replications handed out */
    size_t round_end;             /* the current batch ends here (without enough: replications) */
    size_t final_end;             /* where the item ends, once known; else 0 */
    size_t gathered;              /* replications in place, in order */
};

/* A block come back before the ones ahead of it. */
struct pending {
    size_t item, first;
    struct run_results res;
};

struct peer {
    unsigned outstanding;         /* tasks sent, not yet answered */
    bool ended, bye;
};

struct farm {
    const struct cluster_job *job;
    int size;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct item_state **items;    /* [item]: in flight, else NULL */
    size_t started;               /* items loaded so far */
    size_t gathering;             /* the first item not yet done */
    size_t max_in_flight;
    struct pending *pending;
    size_t n_pending, pending_capacity;
    struct peer *peers;
    bool local_done;
    volatile sig_atomic_t local_cancel;   /* stops rank 0's own block */
    bool stopping;
    struct cluster_failure failure;
};

enum next { NEXT_TASK, NEXT_WAIT, NEXT_NONE };

static void stop_farm(struct farm *f, int status, bool too_large, const char *why)
{
    if (f->stopping)
        return;
    f->stopping = true;
    f->local_cancel = 1;
    f->failure.status = status;
    f->failure.too_large = too_large;
    snprintf(f->failure.why, sizeof f->failure.why, "%s", why);
}

static void item_free(struct farm *f, size_t item)
{
    struct item_state *st = f->items[item];
    if (!st)
        return;
    run_results_free(&st->res);
    if (f->job->unload)
        f->job->unload(item, st->sc, f->job->user);
    free(st);
    f->items[item] = NULL;
}

/* Loads the next item and makes room for its results (under the lock). */
static int start_item(struct farm *f)
{
    const struct cluster_job *job = f->job;
    size_t item = f->started;
    struct item_state *st = calloc(1, sizeof *st);
    int status = 1;
    if (!st) {
        stop_farm(f, 1, false, "out of memory");
        return -1;
    }
    f->failure.item = item;   /* until a run fails */
    if (!(st->sc = job->load(item, job->user, &status))) {
        free(st);
        stop_farm(f, status, false, "");
        return -1;
    }
    f->items[item] = st;
    f->started++;
    char why[1024];
    st->replications = (size_t)st->sc->replications;
    enum run_status rs = run_results_alloc(st->sc, st->replications, &st->res, why, sizeof why);
    if (rs != RUN_OK) {
        stop_farm(f, run_status_exit(rs), rs == RUN_TOO_LARGE, why);
        return -1;
    }
    static const struct run_plan no_plan;
    const struct run_plan *plan = job->plan ? job->plan : &no_plan;
    st->round_end = runner_batch_end(plan, 0, st->replications);
    size_t share = (st->replications + 4 * (size_t)f->size - 1) / (4 * (size_t)f->size);
    st->block = share < BLOCK_MIN ? BLOCK_MIN : share > BLOCK_MAX ? BLOCK_MAX : share;
    if (job->starting)
        job->starting(item, job->user);
    return 0;
}

/* The next block to compute (under the lock). */
static enum next next_task(struct farm *f, size_t *item, size_t *first, size_t *end,
                           const struct scenario **sc)
{
    if (f->stopping)
        return NEXT_NONE;
    for (size_t i = f->gathering; i <= f->started; i++) {
        if (i == f->started) {
            if (i == f->job->n_items || i - f->gathering >= f->max_in_flight)
                break;
            if (start_item(f) != 0)
                return NEXT_NONE;
        }
        struct item_state *st = f->items[i];
        if (st->handed < st->round_end) {
            *item = i;
            *first = st->handed;
            *end = st->handed + st->block < st->round_end ? st->handed + st->block : st->round_end;
            *sc = st->sc;
            st->handed = *end;
            return NEXT_TASK;
        }
    }
    if (f->started < f->job->n_items)
        return NEXT_WAIT;
    for (size_t i = f->gathering; i < f->started; i++)
        if (f->items[i] && !(f->items[i]->final_end && f->items[i]->handed >= f->items[i]->final_end))
            return NEXT_WAIT;
    return NEXT_NONE;
}

static int add_pending(struct farm *f, size_t item, size_t first, struct run_results *res)
{
    if (f->n_pending == f->pending_capacity) {
        size_t capacity = f->pending_capacity ? 2 * f->pending_capacity : 16;
        struct pending *grown = realloc(f->pending, capacity * sizeof *grown);
        if (!grown) {
            run_results_free(res);
            stop_farm(f, 1, false, "out of memory");
            return -1;
        }
        f->pending = grown;
        f->pending_capacity = capacity;
    }
    f->pending[f->n_pending++] = (struct pending){item, first, *res};
    return 0;
}

/* Puts a block's results in place and its series into the reducer. */
static int gather_block(struct item_state *st, const struct run_results *block, size_t first)
{
    size_t row = block->n_policies * block->n_metrics, n = block->replications;
    memcpy(st->res.metrics + first * row, block->metrics, n * row * sizeof(double));
    memcpy(st->res.uncertain + first * block->n_uncertain, block->uncertain,
           n * block->n_uncertain * sizeof(double));
    if (!st->res.series)
        return 0;
    size_t per_month = block->n_policies * st->sc->model->n_series_metrics;
    const double *at = block->raw_series;
    for (size_t i = 0; i < n; i++) {
        if (series_reducer_add(st->res.series, at, block->raw_months[i]) != 0)
            return -1;
        at += block->raw_months[i] * per_month;
    }
    return 0;
}

/* Gathers the blocks that are next in order, finishes batches and items,
 * and hands finished items to done (under the lock; done runs without it). */
static void gather(struct farm *f)
{
    const struct cluster_job *job = f->job;
    while (!f->stopping && f->gathering < f->started) {
        size_t item = f->gathering;
        struct item_state *st = f->items[item];
        if (st->final_end && st->gathered == st->final_end) {
            st->res.replications = st->final_end;
            if (st->res.series && series_reducer_finish(st->res.series) != 0) {
                stop_farm(f, 1, false, "out of memory for the monthly series");
                return;
            }
            struct run_results res = st->res;
            memset(&st->res, 0, sizeof st->res);
            f->gathering++;
            if (job->progress)
                job->progress(job->progress_user, st->final_end, st->final_end);
            pthread_mutex_unlock(&f->lock);
            int status = job->done(item, st->sc, &res, job->user);
            pthread_mutex_lock(&f->lock);
            run_results_free(&res);
            item_free(f, item);
            if (status >= 0)
                stop_farm(f, status, false, "");
            continue;
        }
        size_t k = 0;
        while (k < f->n_pending && !(f->pending[k].item == item && f->pending[k].first == st->gathered))
            k++;
        if (k == f->n_pending)
            return;
        struct pending p = f->pending[k];
        f->pending[k] = f->pending[--f->n_pending];
        int gathered = gather_block(st, &p.res, p.first);
        st->gathered += p.res.replications;
        run_results_free(&p.res);
        if (gathered != 0) {
            stop_farm(f, 1, false, "out of memory for the monthly series");
            return;
        }
        if (st->gathered < st->round_end)
            continue;
        if (st->round_end == st->replications) {
            st->final_end = st->replications;
            continue;
        }
        /* a batch of a plan with enough: ask it, as the runner does */
        st->res.replications = st->round_end;
        if (job->plan->enough(&st->res, job->plan->enough_user))
            st->final_end = st->round_end;
        else
            st->round_end = runner_batch_end(job->plan, st->round_end, st->replications);
    }
}

/* Rank 0's own share: blocks like every other rank's, on its own thread. */
static void *local_worker(void *arg)
{
    struct farm *f = arg;
    const struct cluster_job *job = f->job;
    pthread_mutex_lock(&f->lock);
    for (;;) {
        size_t item = 0, first = 0, end = 0;
        const struct scenario *sc = NULL;
        enum next next;
        while ((next = next_task(f, &item, &first, &end, &sc)) == NEXT_WAIT)
            pthread_cond_wait(&f->changed, &f->lock);
        if (next == NEXT_NONE)
            break;
        pthread_mutex_unlock(&f->lock);
        struct run_plan plan = block_plan(job, first, end);
        struct run_results res;
        char why[1024];
        enum run_status rs = runner_run_plan(sc, job->threads, &plan, NULL, NULL, &f->local_cancel, &res,
                                             why, sizeof why);
        pthread_mutex_lock(&f->lock);
        if (rs == RUN_OK)
            add_pending(f, item, first, &res);
        else if (!f->stopping) {
            f->failure.item = item;
            stop_farm(f, run_status_exit(rs), rs == RUN_TOO_LARGE, why);
        }
    }
    f->local_done = true;
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

/* Handles one REPORT message from rank `from` (under the lock). 0 or -1
 * (MPI or the protocol failed). */
static int take_report(struct farm *f, int from)
{
    void *data;
    size_t size;
    if (cluster_receive(from, TAG_REPORT, &data, &size) != 0)
        return -1;
    int64_t kind = 0;
    if (size >= sizeof kind)
        memcpy(&kind, data, sizeof kind);
    struct peer *peer = &f->peers[from];
    int result = 0;
    if (kind == REPORT_BYE) {
        peer->bye = true;
    } else if (kind == REPORT_FAILED && size >= 4 * sizeof(int64_t)) {
        int64_t header[4];
        memcpy(header, data, sizeof header);
        char why[1024];
        size_t length = size - sizeof header < sizeof why - 1 ? size - sizeof header : sizeof why - 1;
        memcpy(why, (char *)data + sizeof header, length);
        why[length] = '\0';
        peer->outstanding--;
        if (!f->stopping)
            f->failure.item = (size_t)header[3];
        stop_farm(f, (int)header[1], header[2] != 0, why);
    } else if (kind == REPORT_RESULT && size >= 5 * sizeof(uint64_t)) {
        uint64_t header[5];
        memcpy(header, data, sizeof header);
        peer->outstanding--;
        size_t item = (size_t)header[1];
        struct item_state *st = item < f->job->n_items ? f->items[item] : NULL;
        struct run_results res;
        if (f->stopping) {
            /* dropped */
        } else if (!st || unpack_result(data, size, st->sc, (size_t)header[2], (size_t)header[3], &res) != 0) {
            stop_farm(f, 1, false, "a rank sent results that do not fit its task");
        } else {
            add_pending(f, item, (size_t)header[2], &res);
        }
    } else {
        result = -1;
    }
    free(data);
    return result;
}

/* Sends every other rank what it should do next (under the lock). */
static int hand_out(struct farm *f)
{
    for (int k = 1; k < f->size; k++) {
        struct peer *peer = &f->peers[k];
        if (peer->ended)
            continue;
        if (f->stopping) {
            if (send_order(k, ORDER_STOP, 0, 0, 0, 0) != 0 || send_order(k, ORDER_END, 0, 0, 0, 0) != 0)
                return -1;
            peer->ended = true;
            continue;
        }
        while (peer->outstanding < AHEAD) {
            size_t item, first, end;
            const struct scenario *sc;
            enum next next = next_task(f, &item, &first, &end, &sc);
            if (next == NEXT_WAIT)
                break;
            if (next == NEXT_NONE) {
                if (send_order(k, f->stopping ? ORDER_STOP : ORDER_END, 0, 0, 0, 0) != 0 ||
                    (f->stopping && send_order(k, ORDER_END, 0, 0, 0, 0) != 0))
                    return -1;
                peer->ended = true;
                break;
            }
            if (send_order(k, ORDER_TASK, item, first, end, 0) != 0)
                return -1;
            peer->outstanding++;
        }
    }
    return 0;
}

static bool farm_finished(const struct farm *f)
{
    if (!f->local_done)
        return false;
    for (int k = 1; k < f->size; k++)
        if (!f->peers[k].bye)
            return false;
    return f->stopping || f->gathering == f->job->n_items;
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static int run_leader(const struct cluster_job *job, struct cluster_failure *failure)
{
    struct farm f = {.job = job, .size = cluster_size()};
    f.items = calloc(job->n_items + 1, sizeof *f.items);
    f.peers = calloc((size_t)f.size, sizeof *f.peers);
    f.max_in_flight = 2 * (size_t)f.size * AHEAD + 2;
    pthread_mutex_init(&f.lock, NULL);
    pthread_cond_init(&f.changed, NULL);
    bool broken = false;     /* MPI failed or a signal: leave without the protocol */
    pthread_t local;
    bool local_started = false;
    if (!f.items || !f.peers)
        stop_farm(&f, 1, false, "out of memory");
    else if (pthread_create(&local, NULL, local_worker, &f) == 0)
        local_started = true;
    else
        stop_farm(&f, 1, false, "cannot start rank 0's compute thread");
    if (!local_started)
        f.local_done = true;

    struct timespec last_progress = {0, 0};
    long nap = 50 * 1000;
    for (;;) {
        bool busy = false;
        int from, found;
        pthread_mutex_lock(&f.lock);
        while ((found = cluster_probe(CLUSTER_ANY, TAG_REPORT, &from, NULL)) == 1) {
            if (take_report(&f, from) != 0) {
                found = -1;
                break;
            }
            busy = true;
        }
        if (found < 0 || (job->cancel && *job->cancel)) {
            broken = true;
            f.local_cancel = 1;
            f.stopping = true;
            f.failure.interrupted = found >= 0;
            f.failure.status = 1;
            if (found < 0)
                snprintf(f.failure.why, sizeof f.failure.why, "the ranks could no longer talk (MPI failed)");
            pthread_cond_broadcast(&f.changed);
            pthread_mutex_unlock(&f.lock);
            break;
        }
        gather(&f);
        if (hand_out(&f) != 0) {
            broken = true;
            stop_farm(&f, 1, false, "the ranks could no longer talk (MPI failed)");
            pthread_cond_broadcast(&f.changed);
            pthread_mutex_unlock(&f.lock);
            break;
        }
        pthread_cond_broadcast(&f.changed);
        bool finished = farm_finished(&f);
        size_t shown = 0, total = 0;
        if (job->progress && f.gathering < f.started && f.items[f.gathering]) {
            shown = f.items[f.gathering]->gathered;
            total = f.items[f.gathering]->replications;
        }
        pthread_mutex_unlock(&f.lock);
        if (finished)
            break;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (total > 0 && seconds_between(&last_progress, &now) >= 0.2) {
            job->progress(job->progress_user, shown, total);
            last_progress = now;
        }
        if (busy)
            nap = 50 * 1000;
        else {
            pause_for(nap);
            nap = nap < 1000 * 1000 ? 2 * nap : 2 * 1000 * 1000;
        }
    }
    if (local_started)
        pthread_join(local, NULL);
    if (!broken) {
        int64_t status = f.stopping ? f.failure.status : -1;
        for (int k = 1; k < f.size; k++)
            if (send_order(k, ORDER_OUTCOME, 0, 0, 0, status) != 0)
                broken = true;
    }
    int result = f.stopping ? -1 : 0;
    *failure = f.failure;
    for (size_t i = 0; i < f.n_pending; i++)
        run_results_free(&f.pending[i].res);
    free(f.pending);
    for (size_t i = 0; f.items && i < job->n_items; i++)
        item_free(&f, i);
    free(f.items);
    free(f.peers);
    pthread_cond_destroy(&f.changed);
    pthread_mutex_destroy(&f.lock);
    return result;
}

int cluster_run(const struct cluster_job *job, struct cluster_failure *failure)
{
    memset(failure, 0, sizeof *failure);
    if (cluster_size() == 1)
        return run_alone(job, failure);
    return cluster_is_writer() ? run_leader(job, failure) : run_worker(job, failure);
}

/* ---------- agreement ---------- */

int cluster_agree(int status, char *why, size_t why_size)
{
    int size = cluster_size();
    if (size == 1)
        return status;
    int32_t mine = status, verdict = status;
    void *data;
    size_t got;
    if (!cluster_is_writer()) {
        if (cluster_send(0, TAG_AGREE, &mine, sizeof mine) != 0 || wait_for(0, TAG_AGREE, NULL) != 1 ||
            cluster_receive(0, TAG_AGREE, &data, &got) != 0)
            return 1;
        if (got == sizeof verdict)
            memcpy(&verdict, data, sizeof verdict);
        free(data);
        return got == sizeof verdict ? verdict : 1;
    }
    why[0] = '\0';
    for (int k = 1; k < size; k++) {
        int32_t theirs = 1;
        if (wait_for(k, TAG_AGREE, NULL) != 1 || cluster_receive(k, TAG_AGREE, &data, &got) != 0)
            return 1;
        if (got == sizeof theirs)
            memcpy(&theirs, data, sizeof theirs);
        free(data);
        if (status < 0 && theirs >= 0 && (verdict < 0 || theirs > verdict)) {
            verdict = theirs;
            snprintf(why, why_size, "rank %d could not load what rank 0 loaded (exit status %d): "
                                    "does every node see the same files?", k, (int)theirs);
        }
    }
    for (int k = 1; k < size; k++)
        if (cluster_send(k, TAG_AGREE, &verdict, sizeof verdict) != 0)
            return 1;
    return verdict;
}

int cluster_share(uint64_t *value)
{
    int size = cluster_size();
    if (cluster_is_writer()) {
        for (int k = 1; k < size; k++)
            if (cluster_send(k, TAG_SHARE, value, sizeof *value) != 0)
                return -1;
        return 0;
    }
    void *data;
    size_t got;
    if (wait_for(0, TAG_SHARE, NULL) != 1 || cluster_receive(0, TAG_SHARE, &data, &got) != 0)
        return -1;
    if (got == sizeof *value)
        memcpy(value, data, sizeof *value);
    free(data);
    return got == sizeof *value ? 0 : -1;
}
