/*
 * Processes: the table entry, its states, and its life cycle (create from a
 * loaded image, start, restart, terminate, fault).
 */
#ifndef KSIM_KERNEL_PROC_H
#define KSIM_KERNEL_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal.h"
#include "loader.h"
#include "tbf.h"
#include "upcall.h"

#define PROC_NAME_MAX  32
#define KS_MAX_DRIVERS 24

enum proc_state {
    PROC_FREE = 0,    /* slot unused */
    PROC_RUNNING,     /* runnable: returns from a system call when it runs */
    PROC_YIELDED,     /* in Yield-Wait: runs again when an upcall is deliverable */
    PROC_YIELDED_FOR, /* in Yield-WaitFor (waitfor_driver, waitfor_number) */
    PROC_TERMINATED,  /* exited; completion_code is valid */
    PROC_FAULTED,     /* stopped by the fault policy; last_fault is valid */
    PROC_EVICTED,     /* stopped for a new process's RAM; restarts when RAM frees */
};

#define PROC_MISSING_DRIVERS_MAX 16

/* A writeable flash region (TBF element 2), in board addresses. */
struct proc_flash_region {
    uintptr_t start;
    size_t size;
};

struct proc {
    enum proc_state state;
    unsigned slot;
    uint32_t id; /* process identifier, new on every (re)start */
    char name[PROC_NAME_MAX];

    /* The app as loaded: the file bytes stay with the caller for restarts. */
    const uint8_t *file;
    size_t file_len;
    struct loader_image image;
    struct hal_block block;
    size_t min_ram; /* the block the app asked for (a TBF's minimum_ram_size), 0: none */
    uintptr_t flash_start, flash_end; /* its TBF in flash (both 0: none); copied into each block */
    unsigned nflash_regions;          /* memop 7; only an app booted from flash has any */
    struct proc_flash_region flash_regions[TBF_MAX_WFR];

    uintptr_t allow_hwm; /* highest end of a buffer allowed in [data_start, brk) */
    uint32_t waitfor_driver, waitfor_number;
    /* Drivers it called that the board lacks, each told once (kept over restarts: per app). */
    uint32_t missing_drivers[PROC_MISSING_DRIVERS_MAX];
    unsigned nmissing_drivers;
    struct upcall_queue upcalls;

    /* Grant region: per-driver kernel state, allocated downward from the top. */
    uintptr_t grant[KS_MAX_DRIVERS]; /* board address of each driver's grant, 0 if none */
    uintptr_t grant_top;             /* lowest address allocated so far */

    bool ready_queued; /* in the scheduler's ready queue */
    bool stopped;      /* stopped by the process console: never scheduled */

    int32_t completion_code;
    bool exited;
    uint32_t restarts;
    uint32_t faults;
    uint32_t evictions; /* times memory pressure stopped it */
    uint64_t syscalls;
    struct hal_fault last_fault;
    uintptr_t debug_stack_top, debug_heap_start; /* memop 10, 11 */

    /* An upcall to run when the process next resumes (set by Yield). */
    uintptr_t deliver_fn;
    uintptr_t deliver_args[4];
};

struct kernel;

/* True while the process can still run (not free, terminated or faulted). Inline: asked often. */
static inline bool proc_is_alive(const struct proc *p)
{
    return p->state == PROC_RUNNING || p->state == PROC_YIELDED || p->state == PROC_YIELDED_FOR;
}

/* (Re)starts p from its entry point with a fresh id, memory and grants. 0 or -KS_E*. */
int proc_start(struct kernel *k, struct proc *p, struct loader_error *err);
/* Puts p on the ready queue once. */
void proc_make_ready(struct kernel *k, struct proc *p);
/* Exit-terminate or return from _start. */
void proc_terminate(struct kernel *k, struct proc *p, int32_t completion_code);
/* Exit-restart. */
void proc_restart(struct kernel *k, struct proc *p);
/* Records fault and applies the board's fault policy. */
void proc_fault(struct kernel *k, struct proc *p, const struct hal_fault *fault);
/* Stops p and releases its RAM to make room for cause (memory pressure); it is recorded. */
void proc_evict(struct kernel *k, struct proc *p, const struct proc *cause);
/* Starts an evicted process afresh in the block it was given (proc_set_block). */
void proc_readmit(struct kernel *k, struct proc *p);
/* Gives p the block b, with p's flash range. */
void proc_set_block(struct proc *p, const struct hal_block *b);

/*
 * Takes the first event that Yield-Wait/NoWait would deliver, discarding
 * Null-Upcall events in front of it. True with fn and args filled.
 */
bool proc_take_deliverable(struct kernel *k, struct proc *p);

/*
 * Named state transitions: the only places a process's state changes
 * outside proc.c. Each checks the state it leaves (as Tock's
 * set_yielded_for_state acts only on a running process) and returns false,
 * changing nothing, from any other.
 */
bool proc_to_yielded(struct proc *p);     /* RUNNING -> YIELDED (Yield-Wait blocks) */
bool proc_to_yielded_for(struct proc *p); /* RUNNING -> YIELDED_FOR (waitfor_* set) */
bool proc_to_running(struct proc *p);     /* YIELDED, YIELDED_FOR, RUNNING -> RUNNING */
bool proc_to_free(struct proc *p);        /* a stopped or never started process's slot */

/*
 * Yield-WaitFor's delivery: takes the first queued event of the upcall p
 * waits for (waitfor_driver, waitfor_number), wherever it is in the queue.
 * True with regs = (its three arguments, 0), the yield's return registers.
 */
bool proc_take_waited_for(struct kernel *k, struct proc *p, uintptr_t regs[4]);

#endif /* KSIM_KERNEL_PROC_H */
