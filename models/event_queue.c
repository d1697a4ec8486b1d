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
        q->day[s].count = q->day_count[s] = 0;
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
    free(q->dealt_e);
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

/* The place of a time among `parts` equal parts of each day from day
 * `start` on (`parts` a power of two, start a multiple of 32, time less
 * than 32 days after it): time - start is exact (Sterbenz), and so is the
 * product, so the place is in order of time and its day is place / parts. */
static size_t part_of(double time, double start, size_t parts)
{
    return (size_t)((time - start) * (double)parts);
}

/* Deals the next non-empty block into its days, if it starts no later than
 * day `limit`: a counting sort by part of a day, as many parts in all as
 * events (up to EVENT_QUEUE_SORT_SLOTS), into one array where each day is
 * a run, in order of parts. 1 when dealt, 0 when there is none up to limit,
 * -1 (out of memory). The days are empty. */
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
    const struct event *e = b->e;
    size_t n = b->count;
    if (n > UINT32_MAX)   /* beyond the counts' range (and any memory) */
        return -1;
    while (q->dealt_capacity < n)
        if (grow(&q->dealt_e, &q->dealt_capacity, 1024) != 0)
            return -1;
    size_t parts = 1;   /* per day */
    while (parts * EVENT_QUEUE_BLOCK_DAYS < n &&
           parts * EVENT_QUEUE_BLOCK_DAYS < EVENT_QUEUE_SORT_SLOTS)
        parts *= 2;
    size_t slots = parts * EVENT_QUEUE_BLOCK_DAYS;
    double start = (double)block_start(block);
    uint32_t *counts = q->sort_counts;
    memset(counts, 0, (slots + 1) * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[part_of(e[i].time, start, parts) + 1]++;
    for (size_t k = 1; k <= slots; k++)
        counts[k] += counts[k - 1];
    for (size_t d = 0; d < EVENT_QUEUE_BLOCK_DAYS; d++) {
        q->day_first[d] = counts[d * parts];
        q->day_count[d] = counts[(d + 1) * parts] - counts[d * parts];
    }
    for (size_t i = 0; i < n; i++)
        q->dealt_e[counts[part_of(e[i].time, start, parts)]++] = e[i];
    q->in_days = n;
    q->in_blocks -= n;
    b->count = 0;
    q->dealt = block;
    return ring_refill(q) == 0 ? 1 : -1;
}

/* Puts e[0 .. n - 1] in order of (time, insertion): few moves when they are
 * nearly in order already. */
static void insertion_sort(struct event *e, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct event x = e[i];
        size_t j = i;
        for (; j > 0 && earlier(&x, &e[j - 1]); j--)
            e[j] = e[j - 1];
        e[j] = x;
    }
}

/* Takes the next non-empty day into `now`, sorted, if it is not after day
 * `limit`: its run of the dealt block, put in order by an insertion sort
 * (the run is in order of parts of the day, as many as events: an event
 * moves past few others), merged with the events pushed into the day since,
 * sorted by themselves. 1 when taken, 0 when there is none up to limit, -1
 * (out of memory). */
static int next_day(struct event_queue *q, int64_t limit)
{
    if (q->in_days == 0) {
        int dealt = deal_next_block(q, limit);
        if (dealt <= 0)
            return dealt;
    }
    int64_t first = block_start(q->dealt);
    size_t d = (size_t)((q->current >= first ? q->current + 1 : first) - first);
    while (q->day_count[d] == 0 && q->day[d].count == 0)
        d++;
    int64_t day = first + (int64_t)d;
    if (day > limit)
        return 0;
    size_t run = q->day_count[d], late = q->day[d].count, n = run + late;
    while (q->now_capacity < n)
        if (grow(&q->now, &q->now_capacity, 64) != 0)
            return -1;
    struct event *to = q->now;
    memcpy(to, q->dealt_e + q->day_first[d], run * sizeof *to);
    insertion_sort(to, run);
    if (late > 0) {
        /* the late ones, in the order they came (their times anywhere in the
         * day), sorted by themselves and merged in from the back: each
         * event is written once, where inserting them into the run would
         * move half the run for each */
        struct event *l = q->day[d].e;
        insertion_sort(l, late);
        size_t i = run, j = late, k = n;
        while (j > 0)
            to[--k] = i > 0 && earlier(&l[j - 1], &to[i - 1]) ? to[--i] : l[--j];
    }
    q->head = 0;
    q->count = n;
    q->day_count[d] = 0;
    q->day[d].count = 0;
    q->in_days -= n;
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
