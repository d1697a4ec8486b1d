/* event_queue: the pending events of one policy's simulation, a binary
 * min-heap ordered by time and then by the order of insertion, so equal
 * times are taken first come first served and every run is deterministic.
 * Storage grows to the largest size seen and is then reused. */
#ifndef AVRRSIM_MODELS_EVENT_QUEUE_H
#define AVRRSIM_MODELS_EVENT_QUEUE_H

#include <stddef.h>
#include <stdint.h>

struct event {
    double time;          /* day */
    uint64_t order;       /* insertion number: breaks ties */
    uint32_t person;
    uint32_t type;
};

struct event_queue {
    struct event *heap;
    size_t count, capacity;
    uint64_t inserted;
};

void event_queue_reset(struct event_queue *q);
void event_queue_clear(struct event_queue *q);   /* frees the storage */

/* 0, or -1 when the queue cannot grow (out of memory). */
int event_queue_push(struct event_queue *q, double time, uint32_t person, uint32_t type);

/* Removes and returns the earliest event; the queue must not be empty. */
struct event event_queue_pop(struct event_queue *q);

static inline const struct event *event_queue_peek(const struct event_queue *q)
{
    return q->count ? &q->heap[0] : NULL;
}

#endif
