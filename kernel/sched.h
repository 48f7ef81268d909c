/*
 * Scheduler: round robin over a FIFO of ready process slots. Push and pop are
 * O(1), so a decision costs the same with 2 processes or 1024.
 */
#ifndef KSIM_KERNEL_SCHED_H
#define KSIM_KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#define SCHED_MAX_PROCS 1024

struct sched {
    uint16_t ring[SCHED_MAX_PROCS];
    unsigned head, count;
};

void sched_init(struct sched *s);
/* Appends slot at the tail. The caller keeps a slot in the queue at most once. */
void sched_push(struct sched *s, unsigned slot);
/* Removes and returns the head slot; false when nothing is ready. */
bool sched_pop(struct sched *s, unsigned *slot);
bool sched_empty(const struct sched *s);

#endif /* KSIM_KERNEL_SCHED_H */
