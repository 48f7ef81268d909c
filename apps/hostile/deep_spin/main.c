/*
 * hostile_deep_spin: a normal app 12 KiB deep in its stack that spins with
 * no system call (it must be preempted like any other), then makes a host
 * system call directly (it must still fault: preemption never leaves host
 * system calls allowed). The stack lies at the bottom of process RAM.
 *
 * The spin lasts one second of virtual time, which only preemption makes
 * pass: pure stretches of about 20 ms of CPU, with a read of the alarm
 * counter between them (a command, which never ends a turn). It gives up
 * after 500 stretches, so a broken preemption ends the run instead of
 * hanging it (the test then sees that the victim never ran).
 */
#include <ksim/abi.h>
#include <stdint.h>
#include <stdio.h>

#include "../raw_syscall.h"

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4]);

/* Memop 2: the lowest address of process RAM, where the stack ends. */
static uintptr_t ram_start(void)
{
    uintptr_t regs[4] = {2, 0, 0, 0};
    ksim_syscall(KSIM_CLASS_MEMOP, regs);
    return regs[1];
}

static uint32_t alarm_command(uint32_t command)
{
    uintptr_t regs[4] = {KSIM_DRIVER_ALARM, command, 0, 0};
    ksim_syscall(KSIM_CLASS_COMMAND, regs);
    return (uint32_t)regs[1];
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
    uint32_t hz = alarm_command(1), start = alarm_command(2);
    for (int stretch = 0; stretch < 500 && alarm_command(2) - start < hz; stretch++)
        for (volatile unsigned long i = 0; i < 60000000UL; i++)
            ;
    return raw_syscall3(39 /* getpid */, 0, 0, 0) + pad[0];
}

int main(void)
{
    printf("hostile_deep_spin: host getpid gave %ld\n", deep());
    return 0;
}
