/*
 * hostile_cpu_chaos: a seeded campaign of CPU-state mutations around system
 * calls. Before each call it sets, at random, the direction and alignment
 * flags, MXCSR (masks, rounding, flush-to-zero), the x87 control word,
 * values on the x87 stack and in the SSE registers; it calls the gate with
 * random (mostly harmless) arguments, then checks that what the ABI keeps
 * came back as it left: the flags, MXCSR and the x87 control word. Ticks
 * land between calls, in long stretches with the same state. It prints
 * "hostile_cpu_chaos: N calls, state kept" or the first mismatch.
 */
#include <ksim/abi.h>
#include <stdint.h>
#include <stdio.h>

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4]);

#define CALLS    3000
#define FLAG_DF  0x400ul
#define FLAG_AC  0x40000ul
#define MXCSR_OK 0xffffu /* every defined MXCSR bit */
#define FCW_BITS 0x1f3fu /* masks, precision and rounding control */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static unsigned long read_flags(void)
{
    unsigned long f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f)::"memory");
    return f & (FLAG_DF | FLAG_AC);
}

/* One call with the chosen state set just before and read just after. */
struct state {
    unsigned long flags;
    uint32_t mxcsr;
    uint16_t fcw;
};

static void call_in_state(const struct state *want, uint32_t cls, uintptr_t regs[4],
                          struct state *got)
{
    uint32_t mxcsr_in = want->mxcsr, mxcsr_out;
    uint16_t fcw_in = want->fcw, fcw_out;
    __asm__ volatile("ldmxcsr %0; fldcw %1" ::"m"(mxcsr_in), "m"(fcw_in));
    if (want->flags & FLAG_DF)
        __asm__ volatile("std");
    if (want->flags & FLAG_AC)
        __asm__ volatile("pushfq; orq $0x40000, (%%rsp); popfq" ::: "memory");
    ksim_syscall(cls, regs);
    got->flags = read_flags();
    __asm__ volatile("cld; pushfq; andq $~0x40000, (%%rsp); popfq" ::: "memory");
    __asm__ volatile("stmxcsr %0; fnstcw %1" : "=m"(mxcsr_out), "=m"(fcw_out));
    got->mxcsr = mxcsr_out;
    got->fcw = fcw_out;
    uint32_t mxcsr_default = 0x1f80;
    uint16_t fcw_default = 0x037f;
    __asm__ volatile("ldmxcsr %0; fldcw %1" ::"m"(mxcsr_default), "m"(fcw_default));
}

/* Junk in the vector and x87 registers: the kernel must not care. */
static void dirty_vector_state(void)
{
    static _Alignas(16) uint64_t junk[32];
    for (int i = 0; i < 32; i++)
        junk[i] = next_random();
    __asm__ volatile("movdqa 0(%0), %%xmm0; movdqa 16(%0), %%xmm1; movdqa 32(%0), %%xmm7;"
                     "movdqa 48(%0), %%xmm8; movdqa 64(%0), %%xmm15" ::"r"(junk)
                     : "xmm0", "xmm1", "xmm7", "xmm8", "xmm15");
    unsigned pushes = (unsigned)(next_random() % 8);
    for (unsigned i = 0; i < pushes; i++)
        __asm__ volatile("fldpi");
    /* Left on the x87 stack on purpose: a call must not trip on it. */
}

static void random_call(uint32_t *cls, uintptr_t regs[4])
{
    static const uint32_t drivers[] = {KSIM_DRIVER_ALARM, 0x2, 0x3, 0x99999};
    uint64_t r = next_random();
    regs[2] = (uint32_t)next_random();
    regs[3] = (uint32_t)next_random();
    switch (r % 4) {
    case 0: /* a memop that reads the layout */
        *cls = KSIM_CLASS_MEMOP;
        regs[0] = 2 + (r >> 8) % 5;
        regs[1] = 0;
        break;
    case 1: /* yield without waiting */
        *cls = KSIM_CLASS_YIELD;
        regs[0] = KSIM_YIELD_NO_WAIT;
        regs[1] = 0;
        break;
    default: /* a command: existence checks, reads, unknown drivers and commands */
        *cls = KSIM_CLASS_COMMAND;
        regs[0] = drivers[(r >> 8) % 4];
        regs[1] = (r >> 16) % 2 ? 0 : (r >> 24) % 64;
        if (regs[0] == 0x2 && regs[1] >= 1 && regs[1] <= 3)
            regs[1] = 4; /* read an LED, never change it */
        break;
    }
}

int main(void)
{
    for (int n = 0; n < CALLS; n++) {
        struct state want, got;
        want.flags = next_random() & (FLAG_DF | FLAG_AC);
        want.mxcsr = (uint32_t)next_random() & MXCSR_OK & ~0x7fu; /* no sticky flags, no DAZ */
        want.fcw = (uint16_t)((next_random() & FCW_BITS) | 0x40);
        uint32_t cls;
        uintptr_t regs[4];
        random_call(&cls, regs);
        dirty_vector_state();
        call_in_state(&want, cls, regs, &got);
        __asm__ volatile("fninit"); /* our own pushes */
        if (got.flags != want.flags || got.mxcsr != want.mxcsr || got.fcw != want.fcw) {
            printf("hostile_cpu_chaos: call %d (class %u): flags %lx/%lx mxcsr %x/%x fcw "
                   "%x/%x (got/set)\n",
                   n, (unsigned)cls, got.flags, want.flags, (unsigned)got.mxcsr,
                   (unsigned)want.mxcsr, (unsigned)got.fcw, (unsigned)want.fcw);
            return 1;
        }
        if (n % 100 == 0)
            for (volatile unsigned long i = 0; i < 300000; i++)
                ; /* let ticks land in app code with this state */
    }
    printf("hostile_cpu_chaos: %d calls, state kept\n", CALLS);
    return 0;
}
