/*
 * hostile_deep_spin: a normal app 12 KiB deep in its stack that spins with
 * no system call (it must be preempted like any other), then makes a host
 * system call directly (it must still fault: preemption never leaves host
 * system calls allowed). The stack lies at the bottom of process RAM.
 *
 * The spin is bounded by iterations, so by CPU time, which is what the
 * preemption timer counts: about 0.1 s on a fast CPU, dozens of ticks.
 */
#include <ksim/abi.h>
#include <stdint.h>
#include <stdio.h>

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4]);

/* Memop 2: the lowest address of process RAM, where the stack ends. */
static uintptr_t ram_start(void)
{
    uintptr_t regs[4] = {2, 0, 0, 0};
    ksim_syscall(KSIM_CLASS_MEMOP, regs);
    return regs[1];
}

static long host_getpid(void)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(39L) : "rcx", "r11", "memory");
    return r;
}

/* Uses all but 1 KiB of the stack (12 KiB of a 16 KiB one), then spins. */
static long __attribute__((noinline)) deep(void)
{
    volatile char here = 0;
    uintptr_t room = (uintptr_t)&here - ram_start();
    size_t depth = room > 2048 ? room - 1024 : 16;
    volatile char pad[depth];
    pad[0] = here;
    pad[sizeof(pad) - 1] = 1;
    for (volatile unsigned long i = 0; i < 600000000UL; i++)
        ;
    return host_getpid() + pad[0];
}

int main(void)
{
    printf("hostile_deep_spin: host getpid gave %ld\n", deep());
    return 0;
}
