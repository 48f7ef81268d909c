/*
 * The x86-64 switch between the kernel and app code (hal_cpu_x86_64.c and
 * hal_switch_x86_64.S): one save area per process, in host memory the app
 * is never handed. Included by the assembly too, so offsets are numbers
 * here and checked against the C struct in hal_cpu_x86_64.c.
 *
 * The rule it keeps (docs/faults.md): host code always runs on the kernel
 * stack with clean flags (DF, AC, TF clear), the host's FS base and host
 * system calls allowed; app code always starts with only its own values or
 * zeros in every register and below its stack pointer, except the small
 * frames documented there (a return address into the gate's page).
 */
#ifndef KSIM_HAL_CPU_H
#define KSIM_HAL_CPU_H

/* struct hal__cpu offsets */
#define CPU_RBX     0
#define CPU_RBP     8
#define CPU_R12     16
#define CPU_R13     24
#define CPU_R14     32
#define CPU_R15     40
#define CPU_RSP     48  /* the app's stack pointer at the gate: its return address */
#define CPU_REGS    56  /* the gate's register block (app address) */
#define CPU_IN      64  /* r0..r3 read from it */
#define CPU_RET     96  /* r0..r3 written back when the call returns */
#define CPU_RFLAGS  128 /* the app's flags at the gate, given back on return */
#define CPU_FSBASE  136 /* the app's own segment bases */
#define CPU_GSBASE  144
#define CPU_MEM_LO  152 /* where a register block may lie: process RAM */
#define CPU_MEM_HI  160
#define CPU_XSTATE  168 /* pointer to the XSAVE image of a preempted process */
#define CPU_CLS     176 /* u32 */
#define CPU_MXCSR   180 /* u32: the app's SSE control */
#define CPU_FCW     184 /* u16: the app's x87 control */
#define CPU_STOP    188 /* u32: why the app stopped (CPU_STOP_*) */
#define CPU_RESUME  192 /* u32: how the app is entered next (CPU_RESUME_*) */
#define CPU_NPUSH   196 /* u32: words to store at CPU_PUSH_AT before a full entry */
#define CPU_PUSH_AT 200
#define CPU_PUSH    208 /* CPU_MAX_PUSH words */
#define CPU_FRAME   272 /* full entry: the registers below, in this order */
#define CPU_XSAVED  416 /* u32: CPU_XSTATE holds the state to restore */
#define CPU_CALLER  424 /* the gate's return address (for reports) */
#define CPU_SIZE    432

#define CPU_MAX_PUSH 8

/* CPU_FRAME words */
#define FR_RAX    0
#define FR_RBX    8
#define FR_RCX    16
#define FR_RDX    24
#define FR_RSI    32
#define FR_RDI    40
#define FR_RBP    48
#define FR_R8     56
#define FR_R9     64
#define FR_R10    72
#define FR_R11    80
#define FR_R12    88
#define FR_R13    96
#define FR_R14    104
#define FR_R15    112
#define FR_RSP    120
#define FR_RIP    128
#define FR_RFLAGS 136
#define FR_WORDS  18

#define CPU_STOP_SYSCALL         1 /* called the gate with a good register block */
#define CPU_STOP_BAD_GATE        2 /* called the gate with a block outside its RAM */
#define CPU_STOP_RETURNED        3 /* returned from its entry point */
#define CPU_STOP_SIGNAL          4 /* a signal handler filled in the stop (fault, preemption) */
#define CPU_STOP_UPCALL_BAD_GATE 5 /* an upcall returned to a block outside its RAM */

#define CPU_RESUME_GATE 1 /* return from the gate: CPU_RET into the register block */
#define CPU_RESUME_FULL 2 /* load CPU_FRAME (start, upcall, after preemption) */

/* Flags app code is entered with when it has none of its own: bit 1 and IF. */
#define CPU_CLEAN_RFLAGS 0x202

/* The upcall frame on the app stack, from the upcall's stack pointer up. */
#define UPCALL_FRAME_WORDS 7 /* return address, regs, ret[4], the gate's rsp */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
#include <ucontext.h>

struct hal__cpu {
    uint64_t rbx, rbp, r12, r13, r14, r15;
    uint64_t rsp, regs;
    uint64_t in[4], ret[4];
    uint64_t rflags, fsbase, gsbase;
    uint64_t mem_lo, mem_hi;
    void *xstate;
    uint32_t cls, mxcsr;
    uint16_t fcw, pad0;
    uint32_t stop, resume, npush;
    uint64_t push_at;
    uint64_t push[CPU_MAX_PUSH];
    uint64_t frame[FR_WORDS];
    uint32_t xsaved, pad1;
    uint64_t caller;
};

/* Enters the app as c->resume says; returns when it stops (c->stop says why). */
void hal__cpu_enter(struct hal__cpu *c);

/* Set while app code (or the gate on its behalf) runs: a fault then is the app's. */
extern volatile unsigned char hal__in_app;

/* True when pc lies in the switch code itself (never preempted there). */
bool hal__cpu_in_switch_code(uintptr_t pc);

/* From a signal handler on app code: keep its whole state to resume later. */
void hal__cpu_save_interrupted(struct hal__cpu *c, const ucontext_t *uc, uintptr_t fsbase);

/* From a signal handler: make the interrupted context resume the kernel instead. */
void hal__cpu_divert_to_kernel(struct hal__cpu *c, ucontext_t *uc);
#endif

#endif /* KSIM_HAL_CPU_H */
