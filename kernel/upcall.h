/*
 * A process's bounded queue of pending upcalls (events from drivers), kept in
 * arrival order. Yield-Wait/NoWait take the first deliverable one; Yield-WaitFor
 * takes the first for its (driver, number) and leaves the rest in order.
 */
#ifndef KSIM_KERNEL_UPCALL_H
#define KSIM_KERNEL_UPCALL_H

#include <stdbool.h>
#include <stdint.h>

#define UPCALL_QUEUE_MAX 64

struct upcall_event {
    uint32_t driver;
    uint32_t number;
    uintptr_t args[3];
};

struct upcall_queue {
    struct upcall_event ev[UPCALL_QUEUE_MAX];
    unsigned head; /* index of the oldest event */
    unsigned count;
    unsigned cap;     /* configured bound, <= UPCALL_QUEUE_MAX */
    uint32_t dropped; /* events lost because the queue was full */
};

void upcall_queue_init(struct upcall_queue *q, unsigned cap);
/* Appends an event; false (and one more drop counted) when full. */
bool upcall_queue_push(struct upcall_queue *q, const struct upcall_event *ev);
/* The i-th oldest event (i < count). */
const struct upcall_event *upcall_queue_at(const struct upcall_queue *q, unsigned i);
/* Removes the i-th oldest event, keeping the others in order. */
void upcall_queue_remove(struct upcall_queue *q, unsigned i);
/* Removes every event for (driver, number). */
void upcall_queue_drop(struct upcall_queue *q, uint32_t driver, uint32_t number);
/* Index of the first event for (driver, number), or -1. */
int upcall_queue_find(const struct upcall_queue *q, uint32_t driver, uint32_t number);

#endif /* KSIM_KERNEL_UPCALL_H */
