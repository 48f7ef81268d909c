/*
 * Process control from outside the processes: what Tock's ProcessConsole
 * does (stop, start, restart, kill, force a fault, unload). The process
 * console and tests call it; apps cannot.
 */
#ifndef KSIM_KERNEL_CTL_H
#define KSIM_KERNEL_CTL_H

#include <stdint.h>

struct kernel;
struct proc;

/* The process with identifier id (alive or not), or NULL. */
struct proc *kernel_ctl_find(struct kernel *k, uint32_t id);

/* A stopped process keeps its state but is not scheduled. -KS_EINVAL if
 * not alive, -KS_EALREADY if already stopped / running. */
int kernel_ctl_stop(struct kernel *k, struct proc *p);
int kernel_ctl_start(struct kernel *k, struct proc *p);
/* Ends the process now, as an exit-terminate with completion code 0 would. */
int kernel_ctl_kill(struct kernel *k, struct proc *p);
/* Restarts a process, also one that terminated or faulted (new id). */
int kernel_ctl_restart(struct kernel *k, struct proc *p);
/* Faults the process as if it had faulted itself: the fault policy applies. */
int kernel_ctl_fault(struct kernel *k, struct proc *p);
/* Removes the process: its slot is free again. */
int kernel_ctl_unload(struct kernel *k, struct proc *p);

#endif /* KSIM_KERNEL_CTL_H */
