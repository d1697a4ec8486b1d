/* event_queue: a calendar queue of events (see event_queue.h). */
#include <stdlib.h>
#include <string.h>

#include "models/event_queue.h"

#define NONE UINT32_MAX

static int earlier(const struct event *a, const struct event *b)
{
    return a->time < b->time || (a->time == b->time && a->order < b->order);
}

/* The bucket (day) of a time >= 0. */
static int64_t bucket_of(double time)
{
    return (int64_t)time;
}

static size_t slot_of(int64_t bucket)
{
    return (size_t)(bucket % EVENT_QUEUE_DAYS);
}

void event_queue_reset(struct event_queue *q)
{
    q->current = -1;
    q->head = q->count = 0;
    for (size_t s = 0; s < EVENT_QUEUE_DAYS; s++)
        q->first[s] = q->last[s] = NONE;
    q->in_ring = 0;
    q->next_full = 0;
    /* every node free, chained in order */
    for (size_t i = 0; i < q->node_capacity; i++)
        q->nodes[i].next = i + 1 < q->node_capacity ? (uint32_t)(i + 1) : NONE;
    q->free_node = q->node_capacity > 0 ? 0 : NONE;
    q->n_far = 0;
    q->inserted = 0;
    q->out_of_memory = 0;
}

void event_queue_clear(struct event_queue *q)
{
    free(q->now);
    free(q->nodes);
    free(q->far);
    memset(q, 0, sizeof *q);
}

static int grow(void **block, size_t *capacity, size_t item_size)
{
    size_t c = *capacity ? 2 * *capacity : 1024;
    void *grown = realloc(*block, c * item_size);
    if (!grown)
        return -1;
    *block = grown;
    *capacity = c;
    return 0;
}

/* ---------- the heap of far events ---------- */

static int far_push(struct event_queue *q, struct event e)
{
    if (q->n_far == q->far_capacity && grow((void **)&q->far, &q->far_capacity, sizeof *q->far))
        return -1;
    size_t i = q->n_far++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(&e, &q->far[parent]))
            break;
        q->far[i] = q->far[parent];
        i = parent;
    }
    q->far[i] = e;
    return 0;
}

static struct event far_pop(struct event_queue *q)
{
    struct event top = q->far[0];
    struct event last = q->far[--q->n_far];
    size_t i = 0, n = q->n_far;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && earlier(&q->far[child + 1], &q->far[child]))
            child++;
        if (!earlier(&q->far[child], &last))
            break;
        q->far[i] = q->far[child];
        i = child;
    }
    if (n > 0)
        q->far[i] = last;
    return top;
}

/* ---------- the ring ---------- */

static int ring_append(struct event_queue *q, struct event e)
{
    if (q->free_node == NONE) {   /* grow the pool; the new nodes are free */
        size_t old = q->node_capacity;
        if (grow((void **)&q->nodes, &q->node_capacity, sizeof *q->nodes))
            return -1;
        for (size_t i = old; i < q->node_capacity; i++)
            q->nodes[i].next = i + 1 < q->node_capacity ? (uint32_t)(i + 1) : NONE;
        q->free_node = (uint32_t)old;
    }
    uint32_t n = q->free_node;
    q->free_node = q->nodes[n].next;
    q->nodes[n].e = e;
    q->nodes[n].next = NONE;
    int64_t b = bucket_of(e.time);
    if (b < q->next_full)
        q->next_full = b;
    size_t s = slot_of(b);
    if (q->last[s] == NONE)
        q->first[s] = n;
    else
        q->nodes[q->last[s]].next = n;
    q->last[s] = n;
    q->in_ring++;
    return 0;
}

/* Moves the far events that the ring now covers into it (in heap order:
 * a bucket's far events all come before any pushed there directly). */
static int ring_refill(struct event_queue *q)
{
    while (q->n_far > 0 && bucket_of(q->far[0].time) < q->current + EVENT_QUEUE_DAYS)
        if (ring_append(q, far_pop(q)) != 0)
            return -1;
    return 0;
}

/* Inserts e into the sorted events of the current bucket. */
static int now_insert(struct event_queue *q, struct event e)
{
    if (q->count == q->now_capacity && grow((void **)&q->now, &q->now_capacity, sizeof *q->now))
        return -1;
    size_t i = q->count++;
    for (; i > q->head && earlier(&e, &q->now[i - 1]); i--)
        q->now[i] = q->now[i - 1];
    q->now[i] = e;
    return 0;
}

int event_queue_push(struct event_queue *q, double time, uint32_t person, uint32_t type)
{
    struct event e = {time, q->inserted++, person, type};
    int64_t b = bucket_of(time);
    if (b <= q->current)
        return now_insert(q, e);
    if (b < q->current + EVENT_QUEUE_DAYS)
        return ring_append(q, e);
    return far_push(q, e);
}

/* Takes the next non-empty bucket into `now`, sorted, if it is not after
 * bucket `limit`. 1 when taken, 0 when there is none up to limit, -1 (out
 * of memory). */
static int next_bucket(struct event_queue *q, int64_t limit)
{
    if (q->in_ring == 0) {
        if (q->n_far == 0 || bucket_of(q->far[0].time) > limit)
            return 0;
        q->current = bucket_of(q->far[0].time) - 1;   /* jump: the ring is empty */
        q->next_full = q->current + 1;
        if (ring_refill(q) != 0)
            return -1;
    }
    /* the far events all lie past the ring, so the first non-empty bucket
     * of the ring comes first */
    int64_t b = q->next_full > q->current ? q->next_full : q->current + 1;
    while (q->first[slot_of(b)] == NONE)
        b++;
    q->next_full = b;
    if (b > limit)
        return 0;
    q->head = q->count = 0;
    size_t s = slot_of(b);
    for (uint32_t n = q->first[s]; n != NONE;) {
        if (q->count == q->now_capacity &&
            grow((void **)&q->now, &q->now_capacity, sizeof *q->now))
            return -1;
        uint32_t next = q->nodes[n].next;
        /* insertion sort by (time, order): a day holds few events */
        struct event e = q->nodes[n].e;
        size_t i = q->count++;
        for (; i > 0 && earlier(&e, &q->now[i - 1]); i--)
            q->now[i] = q->now[i - 1];
        q->now[i] = e;
        q->nodes[n].next = q->free_node;
        q->free_node = n;
        n = next;
    }
    q->in_ring -= q->count;
    q->first[s] = q->last[s] = NONE;
    q->current = b;
    q->next_full = b + 1;
    return ring_refill(q) == 0 ? 1 : -1;
}

const struct event *event_queue_next_bucket(struct event_queue *q, double until)
{
    if (q->in_ring == 0 && q->n_far == 0)
        return NULL;
    int64_t limit = until < 4e18 ? bucket_of(until) : INT64_MAX;
    int taken = next_bucket(q, limit);
    if (taken < 0) {
        q->out_of_memory = 1;
        return NULL;
    }
    return taken ? &q->now[q->head] : NULL;
}
