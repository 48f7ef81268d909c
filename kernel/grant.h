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

/* The three kinds of Allow, each with its own numbers. */
enum grant_allow_kind {
    GRANT_ALLOW_RO = 0, /* Read-Only */
    GRANT_ALLOW_RW = 1, /* Read-Write */
    GRANT_ALLOW_UR = 2, /* Userspace-Readable */
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
/*
 * Subscribe: makes upcall the one for number num of driver idx in p's grant
 * (allocated on first use); *prev gets the one it replaces. 0; -KS_EINVAL
 * for a number the driver lacks; -KS_ENOMEM when the grant cannot be made.
 * On failure nothing changes.
 */
int grant_subscribe(struct kernel *k, struct proc *p, unsigned idx, uint32_t num,
                    struct grant_upcall upcall, struct grant_upcall *prev);

/*
 * Allow: makes buf (already checked by umem) the buffer for allow number
 * num of that kind, and raises p's allow high-water mark so brk never again
 * uncovers less than it. *prev gets the buffer it replaces. Returns and
 * failures as grant_subscribe.
 */
int grant_allow(struct kernel *k, struct proc *p, unsigned idx, enum grant_allow_kind kind,
                uint32_t num, struct grant_allow buf, struct grant_allow *prev);

/* Drops every grant of p (process start and restart). */
void grant_reset(struct proc *p);

#endif /* KSIM_KERNEL_GRANT_H */
