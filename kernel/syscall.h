/*
 * System calls: registers decoded once into a tagged struct syscall, a table
 * from class to handler, and the one place that encodes return variants.
 */
#ifndef KSIM_KERNEL_SYSCALL_H
#define KSIM_KERNEL_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "grant.h"
#include "ksim/abi.h"

struct driver;
struct kernel;
struct proc;

/* A return value before encoding: the variant and r1..r3 in ABI order. */
struct syscall_ret {
    uint32_t variant;
    uintptr_t r1, r2, r3;
};

static inline struct syscall_ret ret_success(void)
{
    return (struct syscall_ret){KSIM_SUCCESS, 0, 0, 0};
}
static inline struct syscall_ret ret_success_u32(uint32_t v)
{
    return (struct syscall_ret){KSIM_SUCCESS_U32, v, 0, 0};
}
/* Full-width values: Subscribe and Allow hand back pointers unchanged. */
static inline struct syscall_ret ret_success_2(uintptr_t a, uintptr_t b)
{
    return (struct syscall_ret){KSIM_SUCCESS_2_U32, a, b, 0};
}
static inline struct syscall_ret ret_success_3_u32(uint32_t a, uint32_t b, uint32_t c)
{
    return (struct syscall_ret){KSIM_SUCCESS_3_U32, a, b, c};
}
static inline struct syscall_ret ret_success_u64(uint64_t v)
{
    return (struct syscall_ret){KSIM_SUCCESS_U64, (uint32_t)v, (uint32_t)(v >> 32), 0};
}
static inline struct syscall_ret ret_success_u32_u64(uint32_t a, uint64_t v)
{
    return (struct syscall_ret){KSIM_SUCCESS_U32_U64, a, (uint32_t)v, (uint32_t)(v >> 32)};
}
/* err is a positive enum ks_err. */
static inline struct syscall_ret ret_failure(int err)
{
    return (struct syscall_ret){KSIM_FAILURE, (uintptr_t)err, 0, 0};
}
static inline struct syscall_ret ret_failure_u32(int err, uint32_t v)
{
    return (struct syscall_ret){KSIM_FAILURE_U32, (uintptr_t)err, v, 0};
}
static inline struct syscall_ret ret_failure_2(int err, uintptr_t a, uintptr_t b)
{
    return (struct syscall_ret){KSIM_FAILURE_2_U32, (uintptr_t)err, a, b};
}
static inline struct syscall_ret ret_failure_u64(int err, uint64_t v)
{
    return (struct syscall_ret){KSIM_FAILURE_U64, (uintptr_t)err, (uint32_t)v, (uint32_t)(v >> 32)};
}

/* A driver number as decoded: checked against the kernel's drivers once. */
struct syscall_driver {
    uint32_t num;           /* as passed, when it fits TRD104's 32 bits */
    const struct driver *d; /* NULL: the kernel has no such driver (NODEVICE) */
    unsigned idx;           /* d's index, its grant slot; valid when d is set */
};

/*
 * A decoded system call, as Tock's `Syscall` enum: the class and typed
 * arguments for it. Numbers that do not fit 32 bits stay full width so the
 * handler refuses them instead of acting on a truncation.
 */
struct syscall {
    uint32_t cls;   /* < KSIM_CLASS_COUNT once decoded */
    uintptr_t r[4]; /* r0..r3 as passed: a fault report shows them */
    union {
        struct {
            uint32_t type;  /* enum ksim_yield_type */
            uintptr_t flag; /* no-wait: the byte set when an upcall ran (0: none) */
            /* wait-for: what to wait for; UINT32_MAX (no driver) if either did not fit */
            uint32_t driver, number;
        } yield;
        struct {
            struct syscall_driver drv;
            uintptr_t number, fn, userdata;
        } subscribe;
        struct {
            struct syscall_driver drv;
            uintptr_t number;    /* checked against the driver's command count */
            uint32_t arg0, arg1; /* TRD104's 32-bit arguments */
        } command;
        struct {
            struct syscall_driver drv;
            enum grant_allow_kind kind;
            uintptr_t number, addr, len;
        } allow;
        struct {
            uintptr_t op, arg;
        } memop;
        struct {
            uintptr_t type; /* enum ksim_exit_type */
            int32_t code;   /* completion code */
        } exit;
    };
};

/*
 * Decodes a system call of class cls with registers regs for kernel k.
 * false for what faults the process: a class >= KSIM_CLASS_COUNT or an
 * unknown yield type; *out then still holds cls and the registers.
 */
bool syscall_decode(const struct kernel *k, uint32_t cls, const uintptr_t regs[4],
                    struct syscall *out);

/* What the kernel does with the process after a system call. */
enum syscall_next {
    SYSCALL_RETURN = 0, /* resume it with the encoded return value */
    SYSCALL_BLOCK,      /* it waits (Yield-Wait / WaitFor) */
    SYSCALL_UPCALL,     /* resume it by running an upcall, then returning zeros */
    SYSCALL_EXITED,     /* it terminated or restarted; do not resume this context */
    SYSCALL_FAULT,      /* apply the fault policy */
};

/* Writes ret into regs, zeroing every register the variant does not name. */
void syscall_encode(const struct syscall_ret *ret, uintptr_t regs[4]);

/*
 * Handles one system call of the running process p. On SYSCALL_RETURN,
 * regs holds the encoded return value; on SYSCALL_UPCALL, fn and args hold
 * the upcall to run; on SYSCALL_FAULT, p->last_fault says why.
 */
enum syscall_next syscall_handle(struct kernel *k, struct proc *p, uint32_t cls, uintptr_t regs[4]);

#endif /* KSIM_KERNEL_SYSCALL_H */
