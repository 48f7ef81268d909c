/*
 * Scheduler: the ready queue the main loop picks from. Two policies, chosen
 * by the board:
 *
 * - round robin (default): one FIFO of ready slots; a turn ends on yield,
 *   block, after KERNEL_TURN_SYSCALLS system calls or by preemption, and the
 *   process goes to the back.
 * - priority (Tock's PrioritySched): a process's priority is its slot, so
 *   the app loaded first ranks highest; the highest-priority ready process
 *   runs, and its turn ends as soon as a higher one becomes ready.
 *
 * Both keep one FIFO per priority level, linked through the slots, and a
 * two-level bitmap of non-empty levels: push, pop and "is a higher one
 * ready?" are O(1), so a decision costs the same with 2 processes or 1024.
 */
#ifndef KSIM_KERNEL_SCHED_H
#define KSIM_KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#define SCHED_MAX_PROCS 1024
#define SCHED_LEVELS    SCHED_MAX_PROCS /* priority mode: one level per slot */
#define SCHED_WORDS     (SCHED_LEVELS / 32)

enum sched_kind {
    SCHED_ROUND_ROBIN = 0,
    SCHED_PRIORITY = 1,
};

struct sched {
    enum sched_kind kind;
    unsigned count;                   /* ready slots queued, all levels */
    uint16_t next[SCHED_MAX_PROCS];   /* FIFO link of a queued slot */
    uint16_t head[SCHED_LEVELS];      /* valid while the level's bit is set */
    uint16_t tail[SCHED_LEVELS];      /* valid while the level's bit is set */
    uint32_t level_bits[SCHED_WORDS]; /* bit l: level l is non-empty */
    uint32_t word_bits;               /* bit w: level_bits[w] != 0 */
};

void sched_init(struct sched *s, enum sched_kind kind);
/*
 * Appends slot (< SCHED_MAX_PROCS) at the tail of its level. The caller
 * keeps a slot in the queue at most once (proc.ready_queued).
 */
void sched_push(struct sched *s, unsigned slot);
/* Removes and returns the next slot to run; false when nothing is ready. */
bool sched_pop(struct sched *s, unsigned *slot);
bool sched_empty(const struct sched *s);
/*
 * Should the running slot give way now because a process that outranks it
 * is ready? Always false for round robin (its turns end by count or timer).
 */
bool sched_outranked(const struct sched *s, unsigned running_slot);

#endif /* KSIM_KERNEL_SCHED_H */
