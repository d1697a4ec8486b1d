/* event_queue: the pending events of one policy's simulation, taken in
 * order of time and then of insertion, so equal times are taken first come
 * first served and every run is deterministic.
 *
 * A calendar queue in two tiers, so that a push writes where the last ones
 * wrote (memory already in the cache) rather than into one of hundreds of
 * days ahead: events fall into blocks of EVENT_QUEUE_BLOCK_DAYS days, each
 * an array of its events in the order they came; the blocks of the next
 * EVENT_QUEUE_DAYS days form a ring. When the queue reaches a block, it
 * deals the block's events into one array in order of their part of a day
 * (a counting sort, as many parts as events), where each day is a run; it
 * puts a day in order of (time, insertion) when it reaches that day (an
 * insertion sort of its run, short moves) and merges in the events pushed
 * into it since (sorted by themselves). Events
 * further ahead than the ring wait in a binary heap and join the ring as it
 * comes near them. The queue is asked for its earliest event only up to a
 * day (the next arrival's), so that it never sorts a day, nor deals a block,
 * ahead of the simulation's clock. Every event must come no earlier than
 * the last one taken or the last day asked about (a simulation schedules
 * nothing in its past). Storage grows to the largest size seen and is then
 * reused. */
#ifndef AVRRSIM_MODELS_EVENT_QUEUE_H
#define AVRRSIM_MODELS_EVENT_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#define EVENT_QUEUE_BLOCK_DAYS 32
#define EVENT_QUEUE_BLOCKS 64
#define EVENT_QUEUE_DAYS (EVENT_QUEUE_BLOCK_DAYS * EVENT_QUEUE_BLOCKS)   /* 2048 */
#define EVENT_QUEUE_SORT_SLOTS 8192   /* the most parts a block is cut into to deal it */

struct event {
    double time;          /* day */
    uint64_t order;       /* insertion number: breaks ties */
    uint32_t person;
    uint32_t type;
};

/* A day's or a block's events, in the order they came. */
struct event_bucket {
    struct event *e;
    size_t count, capacity;
};

struct event_queue {
    int64_t current;             /* the day being taken (-1 before the first) */
    struct event *now;           /* its events, sorted, from `head` on */
    size_t head, count, now_capacity;
    int64_t dealt;               /* the block dealt (-1 before the first) */
    struct event *dealt_e;       /* its events, each day a run in order of parts of the day */
    size_t dealt_capacity;
    size_t day_first[EVENT_QUEUE_BLOCK_DAYS], day_count[EVENT_QUEUE_BLOCK_DAYS];   /* the runs */
    struct event_bucket day[EVENT_QUEUE_BLOCK_DAYS];   /* events pushed into its days since */
    size_t in_days;              /* events of its days after `current` */
    struct event_bucket block[EVENT_QUEUE_BLOCKS];     /* the ring: blocks after `dealt` */
    size_t in_blocks;
    struct event *far;           /* a heap of the events past the ring */
    size_t n_far, far_capacity;
    uint32_t sort_counts[EVENT_QUEUE_SORT_SLOTS + 1];
    uint64_t inserted;
    int out_of_memory;           /* a bucket could not be taken: the queue looked empty */
};

/* Empties the queue (storage kept); also makes a zeroed queue ready. */
void event_queue_reset(struct event_queue *q);
void event_queue_clear(struct event_queue *q);   /* frees the storage */

/* Queues an event at day `time` (>= 0). 0, or -1 when the queue cannot grow
 * (out of memory). event_queue_push_slow is its slow path (the day being
 * taken, the block dealt, past the ring, a full array). */
int event_queue_push_slow(struct event_queue *q, double time, uint32_t person, uint32_t type);

static inline int event_queue_push(struct event_queue *q, double time, uint32_t person,
                                   uint32_t type)
{
    int64_t day = (int64_t)time;
    int64_t block = (int64_t)((uint64_t)day / EVENT_QUEUE_BLOCK_DAYS);
    if (day > q->current && block > q->dealt && block < q->dealt + EVENT_QUEUE_BLOCKS) {
        struct event_bucket *b = &q->block[(uint64_t)block % EVENT_QUEUE_BLOCKS];
        if (b->count < b->capacity) {
            b->e[b->count++] = (struct event){time, q->inserted++, person, type};
            q->in_blocks++;
            return 0;
        }
    }
    return event_queue_push_slow(q, time, person, type);
}

/* The earliest event if it falls on the day of `until` or earlier (on
 * whole days: it may come later than until that day), else NULL; NULL too
 * when there is none or (out_of_memory set) when the next bucket could not
 * be taken. until may be INFINITY. Not const: it may move the next bucket
 * into place (event_queue_next_bucket, its slow path). */
const struct event *event_queue_next_bucket(struct event_queue *q, double until);

static inline const struct event *event_queue_peek_until(struct event_queue *q, double until)
{
    return q->head < q->count ? &q->now[q->head] : event_queue_next_bucket(q, until);
}

/* Removes and returns the earliest event; event_queue_peek_until must have
 * just returned it. */
static inline struct event event_queue_pop(struct event_queue *q)
{
    return q->now[q->head++];
}

#endif
