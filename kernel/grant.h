/*
 * Grants: per-process kernel state for each driver, allocated lazily and
 * downward from the top of the process block, inside the grant region the
 * app can never touch. Each holds the driver's upcall and allow slots, then
 * the driver's own data.
 */
#ifndef KSIM_KERNEL_GRANT_H
#define KSIM_KERNEL_GRANT_H

#include <stdbool.h>
#include <stdint.h>

struct kernel;
struct proc;

struct grant_upcall {
    uintptr_t fn; /* 0: the Null Upcall */
    uintptr_t userdata;
};

struct grant_allow {
    uintptr_t addr;
    uintptr_t len;
};

struct grant_view {
    struct grant_upcall *upcalls;
    struct grant_allow *ro, *rw, *ur;
    void *data;
};

/* Enters driver idx's grant of p, allocating it on first use. 0 or -KS_ENOMEM. */
int grant_enter(struct kernel *k, struct proc *p, unsigned idx, struct grant_view *out);
/* Enters an existing grant only: false when the process has none for idx. */
bool grant_peek(struct kernel *k, struct proc *p, unsigned idx, struct grant_view *out);
/* Drops every grant of p (process start and restart). */
void grant_reset(struct proc *p);

#endif /* KSIM_KERNEL_GRANT_H */
