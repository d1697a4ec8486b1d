/* event_queue: a calendar queue of events in two tiers, blocks then days
 * (see event_queue.h). */
#include <stdlib.h>
#include <string.h>

#include "models/event_queue.h"

static int earlier(const struct event *a, const struct event *b)
{
    return a->time < b->time || (a->time == b->time && a->order < b->order);
}

/* The day of a time >= 0. */
static int64_t day_of(double time)
{
    return (int64_t)time;
}

/* The block of a day >= 0, its first day, and their places in the arrays. */
static int64_t block_of(int64_t day)
{
    return (int64_t)((uint64_t)day / EVENT_QUEUE_BLOCK_DAYS);
}

static int64_t block_start(int64_t block)
{
    return block * EVENT_QUEUE_BLOCK_DAYS;
}

static size_t block_slot(int64_t block)
{
    return (size_t)((uint64_t)block % EVENT_QUEUE_BLOCKS);
}

static size_t day_slot(int64_t day)
{
    return (size_t)((uint64_t)day % EVENT_QUEUE_BLOCK_DAYS);
}

void event_queue_reset(struct event_queue *q)
{
    q->current = -1;
    q->head = q->count = 0;
    q->dealt = -1;
    for (size_t s = 0; s < EVENT_QUEUE_BLOCK_DAYS; s++)
        q->day[s].count = 0;
    q->in_days = 0;
    for (size_t s = 0; s < EVENT_QUEUE_BLOCKS; s++)
        q->block[s].count = 0;
    q->in_blocks = 0;
    q->n_far = 0;
    q->inserted = 0;
    q->out_of_memory = 0;
}

void event_queue_clear(struct event_queue *q)
{
    free(q->now);
    for (size_t s = 0; s < EVENT_QUEUE_BLOCK_DAYS; s++)
        free(q->day[s].e);
    for (size_t s = 0; s < EVENT_QUEUE_BLOCKS; s++)
        free(q->block[s].e);
    free(q->far);
    memset(q, 0, sizeof *q);
}

static int grow(struct event **block, size_t *capacity, size_t first_capacity)
{
    size_t c = *capacity ? 2 * *capacity : first_capacity;
    struct event *grown = realloc(*block, c * sizeof *grown);
    if (!grown)
        return -1;
    *block = grown;
    *capacity = c;
    return 0;
}

static int append(struct event_bucket *b, struct event e)
{
    if (b->count == b->capacity && grow(&b->e, &b->capacity, 64))
        return -1;
    b->e[b->count++] = e;
    return 0;
}

/* ---------- the heap of far events ---------- */

static int far_push(struct event_queue *q, struct event e)
{
    if (q->n_far == q->far_capacity && grow(&q->far, &q->far_capacity, 1024))
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

/* ---------- the ring of blocks ---------- */

static int block_append(struct event_queue *q, int64_t block, struct event e)
{
    if (append(&q->block[block_slot(block)], e) != 0)
        return -1;
    q->in_blocks++;
    return 0;
}

/* Moves the far events that the ring now covers into it (they all lie
 * past the dealt block). */
static int ring_refill(struct event_queue *q)
{
    while (q->n_far > 0) {
        int64_t block = block_of(day_of(q->far[0].time));
        if (block >= q->dealt + EVENT_QUEUE_BLOCKS)
            break;
        if (block_append(q, block, far_pop(q)) != 0)
            return -1;
    }
    return 0;
}

/* Inserts e into the sorted events of the current day. */
static int now_insert(struct event_queue *q, struct event e)
{
    if (q->count == q->now_capacity && grow(&q->now, &q->now_capacity, 64))
        return -1;
    size_t i = q->count++;
    for (; i > q->head && earlier(&e, &q->now[i - 1]); i--)
        q->now[i] = q->now[i - 1];
    q->now[i] = e;
    return 0;
}

int event_queue_push_slow(struct event_queue *q, double time, uint32_t person, uint32_t type)
{
    struct event e = {time, q->inserted++, person, type};
    int64_t day = day_of(time);
    if (day <= q->current)
        return now_insert(q, e);
    int64_t block = block_of(day);
    struct event_bucket *b;
    size_t *in;
    if (block == q->dealt) {
        b = &q->day[day_slot(day)];
        in = &q->in_days;
    } else if (block < q->dealt + EVENT_QUEUE_BLOCKS) {
        b = &q->block[block_slot(block)];
        in = &q->in_blocks;
    } else {
        return far_push(q, e);
    }
    if (b->count == b->capacity && grow(&b->e, &b->capacity, 64))
        return -1;
    b->e[b->count++] = e;
    ++*in;
    return 0;
}

/* Deals the next non-empty block into the days, if it starts no later than
 * day `limit`. 1 when dealt, 0 when there is none up to limit, -1 (out of
 * memory). The days are empty. */
static int deal_next_block(struct event_queue *q, int64_t limit)
{
    if (q->in_blocks == 0) {
        if (q->n_far == 0 || day_of(q->far[0].time) > limit)
            return 0;
        /* jump: the ring is empty; it starts again after the block before
         * the earliest far event's */
        q->dealt = block_of(day_of(q->far[0].time)) - 1;
        if (ring_refill(q) != 0)
            return -1;
    }
    /* the far events all lie past the ring, so the first non-empty block
     * of the ring comes first */
    int64_t block = q->dealt + 1;
    while (q->block[block_slot(block)].count == 0)
        block++;
    if (block_start(block) > limit)
        return 0;
    struct event_bucket *b = &q->block[block_slot(block)];
    for (size_t i = 0; i < b->count; i++)
        if (append(&q->day[day_slot(day_of(b->e[i].time))], b->e[i]) != 0)
            return -1;
    q->in_days = b->count;
    q->in_blocks -= b->count;
    b->count = 0;
    q->dealt = block;
    return ring_refill(q) == 0 ? 1 : -1;
}

/* The place of a time of day `day` among `slots` equal parts of the day
 * (a power of two): t - day is exact (Sterbenz), and so is the product. */
static size_t part_of(double time, double day, size_t slots)
{
    return (size_t)((time - day) * (double)slots);
}

/* Puts the n events of day `day` from `from` into `to` sorted by (time,
 * insertion): first by their part of the day, as many parts as events (a
 * counting sort, stable), then an insertion sort, which then moves an
 * event past few others, its branches mostly taken the same way. */
static void sort_day(const struct event *from, size_t n, int64_t day, struct event *to,
                     uint32_t *counts)
{
    size_t slots = 1;
    while (slots < n && slots < EVENT_QUEUE_SORT_SLOTS)
        slots *= 2;
    double start = (double)day;
    memset(counts, 0, (slots + 1) * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[part_of(from[i].time, start, slots) + 1]++;
    for (size_t k = 1; k < slots; k++)
        counts[k] += counts[k - 1];
    for (size_t i = 0; i < n; i++)
        to[counts[part_of(from[i].time, start, slots)]++] = from[i];
    for (size_t i = 1; i < n; i++) {
        struct event x = to[i];
        size_t j = i;
        for (; j > 0 && earlier(&x, &to[j - 1]); j--)
            to[j] = to[j - 1];
        to[j] = x;
    }
}

/* Takes the next non-empty day into `now`, sorted, if it is not after day
 * `limit`. 1 when taken, 0 when there is none up to limit, -1 (out of
 * memory). */
static int next_day(struct event_queue *q, int64_t limit)
{
    if (q->in_days == 0) {
        int dealt = deal_next_block(q, limit);
        if (dealt <= 0)
            return dealt;
    }
    int64_t first = block_start(q->dealt);
    int64_t day = q->current >= first ? q->current + 1 : first;
    while (q->day[day_slot(day)].count == 0)
        day++;
    if (day > limit)
        return 0;
    struct event_bucket *d = &q->day[day_slot(day)];
    while (q->now_capacity < d->count)
        if (grow(&q->now, &q->now_capacity, 64) != 0)
            return -1;
    sort_day(d->e, d->count, day, q->now, q->sort_counts);
    q->head = 0;
    q->count = d->count;
    d->count = 0;
    q->in_days -= q->count;
    q->current = day;
    return 1;
}

const struct event *event_queue_next_bucket(struct event_queue *q, double until)
{
    if (q->in_days == 0 && q->in_blocks == 0 && q->n_far == 0)
        return NULL;
    int64_t limit = until < 4e18 ? day_of(until) : INT64_MAX;
    int taken = next_day(q, limit);
    if (taken < 0) {
        q->out_of_memory = 1;
        return NULL;
    }
    return taken ? &q->now[q->head] : NULL;
}
