/*
 * Process control from outside the processes: what Tock's ProcessConsole
 * does (stop, start, restart, kill, force a fault, unload). The process
 * console and tests call it; apps cannot.
 */
#ifndef KSIM_KERNEL_CTL_H
#define KSIM_KERNEL_CTL_H

#include <stddef.h>
#include <stdint.h>

struct kernel;
struct proc;
struct appload_error;

/*
 * Loads an app file (ELF or TBF) as a new process while others run; the
 * board's memory-pressure policy applies. Returns the slot, or -KS_E* with
 * *err (appload.h). The bytes must outlive the process.
 */
int kernel_ctl_load(struct kernel *k, const char *name, const uint8_t *file, size_t len,
                    struct appload_error *err);

/* The process with identifier id (alive or not), or NULL. */
struct proc *kernel_ctl_find(struct kernel *k, uint32_t id);

/* A stopped process keeps its state but is not scheduled. -KS_EINVAL if
 * not alive, -KS_EALREADY if already stopped / running. */
int kernel_ctl_stop(struct kernel *k, struct proc *p);
int kernel_ctl_start(struct kernel *k, struct proc *p);
/* Ends the process now, as an exit-terminate with completion code 0 would. */
int kernel_ctl_kill(struct kernel *k, struct proc *p);
/* Restarts a process, also one that terminated, faulted or was evicted (new id); one that
 * holds no RAM needs room for a block: -KS_ENOMEM if there is none. */
int kernel_ctl_restart(struct kernel *k, struct proc *p);
/* Faults the process as if it had faulted itself: the fault policy applies. */
int kernel_ctl_fault(struct kernel *k, struct proc *p);
/* Removes the process: its slot and its RAM are free again. */
int kernel_ctl_unload(struct kernel *k, struct proc *p);

#endif /* KSIM_KERNEL_CTL_H */
