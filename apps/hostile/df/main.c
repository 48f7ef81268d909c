/*
 * hostile_df: calls the gate with the direction flag set (std), over and
 * over, beside the victim. The kernel and the other processes must never
 * run with DF=1; this app must get its own flags back.
 */
#include <ksim/abi.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4]);

int main(void)
{
    for (int round = 0; round < 200; round++) {
        uintptr_t regs[4] = {0x0 /* alarm */, 2 /* read ticks */, 0, 0};
        unsigned long flags;
        __asm__ volatile("std" ::: "memory");
        ksim_syscall(KSIM_CLASS_COMMAND, regs);
        __asm__ volatile("pushfq; popq %0; cld" : "=r"(flags)::"memory");
        if (!(flags & 0x400)) {
            printf("hostile_df: the gate changed my direction flag\n");
            return 1;
        }
        if (round % 20 == 0)
            usleep(10000); /* the victim runs in between */
    }
    printf("hostile_df done\n");
    return 0;
}
