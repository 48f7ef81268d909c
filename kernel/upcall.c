/* The per-process upcall queue: a ring buffer with ordered removal. */
#include "upcall.h"

void upcall_queue_init(struct upcall_queue *q, unsigned cap)
{
    q->head = 0;
    q->count = 0;
    q->cap = (cap == 0 || cap > UPCALL_QUEUE_MAX) ? UPCALL_QUEUE_MAX : cap;
    q->dropped = 0;
}

static unsigned slot_of(const struct upcall_queue *q, unsigned i)
{
    return (q->head + i) % UPCALL_QUEUE_MAX;
}

bool upcall_queue_push(struct upcall_queue *q, const struct upcall_event *ev)
{
    if (q->count >= q->cap) {
        q->dropped++;
        return false;
    }
    q->ev[slot_of(q, q->count)] = *ev;
    q->count++;
    return true;
}

const struct upcall_event *upcall_queue_at(const struct upcall_queue *q, unsigned i)
{
    return &q->ev[slot_of(q, i)];
}

void upcall_queue_remove(struct upcall_queue *q, unsigned i)
{
    if (i >= q->count)
        return;
    /* Shift the younger events down one place so arrival order is kept. */
    for (unsigned j = i; j + 1 < q->count; j++)
        q->ev[slot_of(q, j)] = q->ev[slot_of(q, j + 1)];
    q->count--;
}

void upcall_queue_drop(struct upcall_queue *q, uint32_t driver, uint32_t number)
{
    unsigned i = 0;
    while (i < q->count) {
        const struct upcall_event *e = upcall_queue_at(q, i);
        if (e->driver == driver && e->number == number)
            upcall_queue_remove(q, i);
        else
            i++;
    }
}

int upcall_queue_find(const struct upcall_queue *q, uint32_t driver, uint32_t number)
{
    for (unsigned i = 0; i < q->count; i++) {
        const struct upcall_event *e = upcall_queue_at(q, i);
        if (e->driver == driver && e->number == number)
            return (int)i;
    }
    return -1;
}
