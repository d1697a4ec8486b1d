/* event_queue: a binary min-heap of events (see event_queue.h). */
#include <stdlib.h>

#include "models/event_queue.h"

static int earlier(const struct event *a, const struct event *b)
{
    return a->time < b->time || (a->time == b->time && a->order < b->order);
}

void event_queue_reset(struct event_queue *q)
{
    q->count = 0;
    q->inserted = 0;
}

void event_queue_clear(struct event_queue *q)
{
    free(q->heap);
    q->heap = NULL;
    q->count = q->capacity = 0;
    q->inserted = 0;
}

int event_queue_push(struct event_queue *q, double time, uint32_t person, uint32_t type)
{
    if (q->count == q->capacity) {
        size_t capacity = q->capacity ? 2 * q->capacity : 1024;
        struct event *grown = realloc(q->heap, capacity * sizeof *grown);
        if (!grown)
            return -1;
        q->heap = grown;
        q->capacity = capacity;
    }
    struct event e = {time, q->inserted++, person, type};
    size_t i = q->count++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(&e, &q->heap[parent]))
            break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = e;
    return 0;
}

struct event event_queue_pop(struct event_queue *q)
{
    struct event top = q->heap[0];
    struct event last = q->heap[--q->count];
    size_t i = 0, n = q->count;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && earlier(&q->heap[child + 1], &q->heap[child]))
            child++;
        if (!earlier(&q->heap[child], &last))
            break;
        q->heap[i] = q->heap[child];
        i = child;
    }
    if (n > 0)
        q->heap[i] = last;
    return top;
}
