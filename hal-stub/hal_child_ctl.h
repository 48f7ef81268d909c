/*
 * `--isolation process`: the page shared by ksim and one app's host process
 * (the child, hal-stub/app_host/). It is the whole interface between them:
 * the child's gate writes a system call here and waits; ksim reads it as
 * untrusted input (one read per field), runs the kernel, writes the answer
 * and hands the turn back. The `turn` word is a futex both sides wait on.
 *
 * Shared with the freestanding child: fixed-width types only.
 */
#ifndef KSIM_HAL_CHILD_CTL_H
#define KSIM_HAL_CHILD_CTL_H

#include <stdint.h>

#define CHILD_CTL_MAGIC   0x6b73696du /* "ksim" */
#define CHILD_MAPS_MAX    8
#define CHILD_FD_RAM      3 /* the board RAM's memory file, in the child */
#define CHILD_FD_CTL      4 /* this page's memory file */
#define CHILD_FD_FLASH    5 /* board flash, when the app was booted from it */
#define CHILD_ERROR_BYTES 160
#define CHILD_CTL_BYTES   4096

/* Who may act: the child runs app code only while the turn is its. */
enum child_turn { CHILD_TURN_KERNEL = 0, CHILD_TURN_APP = 1 };

/* What the child tells ksim when it hands the turn back. */
enum child_report {
    CHILD_REPORT_NONE = 0,
    CHILD_REPORT_READY = 1,    /* mapped, confined, waiting for the start */
    CHILD_REPORT_SYSCALL = 2,  /* cls and regs hold a system call */
    CHILD_REPORT_FAULT = 3,    /* fault holds a signal the app caused */
    CHILD_REPORT_RETURNED = 4, /* the entry point returned */
    CHILD_REPORT_SETUP = 5,    /* setup failed: error says why */
    CHILD_REPORT_BAD_GATE = 6, /* the gate's register block (regs_addr) left the process's RAM */
};

/* What ksim orders when it hands the turn to the child. */
enum child_order {
    CHILD_ORDER_START = 1,  /* call entry(args..., gate) on the stack at stack_top */
    CHILD_ORDER_RETURN = 2, /* the gate returns ret in the app's register block */
    CHILD_ORDER_UPCALL = 3, /* call upcall_fn(upcall_args), then return as RETURN */
};

/* One mapping of the app's memory, made before the child is confined. */
struct child_map {
    uint64_t addr, len, offset;
    uint32_t fd; /* CHILD_FD_RAM or CHILD_FD_FLASH */
    uint32_t prot;
};

struct child_fault {
    int32_t signo, code;
    uint64_t addr, pc, sp, err;
    uint64_t gpr[16];    /* rax rbx rcx rdx rsi rdi rbp r8-r15 rflags, as hal_fault */
    uint64_t syscall_nr; /* SIGSYS: the host system call (addr is where it was made) */
};

struct child_ctl {
    uint32_t turn; /* enum child_turn; the futex word */
    uint32_t magic;

    /* Child to ksim. */
    uint32_t report; /* enum child_report */
    uint32_t cls;
    uint64_t regs[4];
    uint64_t caller;    /* the gate's return address, for reports */
    uint64_t regs_addr; /* where the app's register block is */
    uint64_t sp;        /* the app's stack pointer at the gate */
    struct child_fault fault;
    char error[CHILD_ERROR_BYTES];

    /* ksim to child: set up once. */
    uint32_t nmaps;
    uint32_t pad;
    struct child_map maps[CHILD_MAPS_MAX];
    uint64_t mem_lo, mem_hi; /* the process's RAM below its grant region */

    /* ksim to child: each turn. */
    uint32_t order; /* enum child_order */
    uint32_t pad2;
    uint64_t ret[4];
    uint64_t upcall_fn, upcall_args[4];
    uint64_t entry, args[4], stack_top;
    uint64_t heap_lo, brk; /* [heap_lo, brk) readable and writable; above it, up to mem_hi, not */
};

_Static_assert(sizeof(struct child_ctl) <= CHILD_CTL_BYTES, "the control page is one page");

#endif /* KSIM_HAL_CHILD_CTL_H */
