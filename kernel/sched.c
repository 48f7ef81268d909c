/* The ready queue: a ring buffer of slots. */
#include "sched.h"

void sched_init(struct sched *s)
{
    s->head = 0;
    s->count = 0;
}

void sched_push(struct sched *s, unsigned slot)
{
    if (s->count >= SCHED_MAX_PROCS)
        return; /* cannot happen: a slot is queued at most once */
    s->ring[(s->head + s->count) % SCHED_MAX_PROCS] = (uint16_t)slot;
    s->count++;
}

bool sched_pop(struct sched *s, unsigned *slot)
{
    if (s->count == 0)
        return false;
    *slot = s->ring[s->head];
    s->head = (s->head + 1) % SCHED_MAX_PROCS;
    s->count--;
    return true;
}

bool sched_empty(const struct sched *s)
{
    return s->count == 0;
}
