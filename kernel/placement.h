/*
 * Process RAM: where a process block goes, and what happens when there is
 * no room. Only a live process holds RAM; a block is placed first-fit in
 * the gaps between theirs, laid out by the board's MPU model.
 *
 * Memory pressure follows the board's policy: `refuse` (the load fails,
 * naming the sizes), or `evict`: the lowest-priority process holding RAM
 * (the highest slot, as the priority scheduler ranks them) is stopped and
 * recorded, again until the new block fits, and restarted from scratch
 * when RAM frees. Only a new load evicts; processes waiting to come back
 * never do, so two of them cannot take turns forever.
 */
#ifndef KSIM_KERNEL_PLACEMENT_H
#define KSIM_KERNEL_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal.h"
#include "loader.h"

struct kernel;
struct proc;

/* What a block needs and what RAM has left, for a refusal a user can act on. */
struct placement_room {
    size_t need;        /* the block the MPU model lays out in empty RAM (0: never fits) */
    size_t free_total;  /* RAM no live process holds */
    size_t largest_gap; /* the biggest of those gaps */
};

/* Does p hold RAM (a live process does; terminated, faulted, evicted do not)? */
bool placement_holds_ram(const struct proc *p);

/*
 * A block for img in the first gap it fits, skipping self's own block.
 * empty: as if no process held RAM. 0 or -KS_ENOMEM.
 */
int placement_find(const struct kernel *k, const struct loader_image *img, size_t min_ram,
                   const struct proc *self, bool empty, struct hal_block *out);

/* The sizes for a refusal message. */
void placement_room(const struct kernel *k, const struct loader_image *img, size_t min_ram,
                    struct placement_room *room);

/*
 * A block for the new process p (its image, min_ram and slot set): found
 * now, or under the `evict` policy after evicting lowest-priority
 * processes. 0, or -KS_ENOMEM (nothing was evicted then).
 */
int placement_for_new(struct kernel *k, struct proc *p, struct hal_block *out);

/* Restarts evicted processes that fit now, highest priority first (kernel_step). */
void placement_readmit(struct kernel *k);

#endif /* KSIM_KERNEL_PLACEMENT_H */
