/*
 * hostile_ac: sets EFLAGS.AC (alignment checking) and computes and calls
 * the gate with it set, so timer ticks and system calls arrive with AC=1.
 * The host must never run with it; this app must keep it.
 */
#include <ksim/abi.h>
#include <stdint.h>
#include <stdio.h>

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4]);

int main(void)
{
    unsigned long flags;
    __asm__ volatile("pushfq; orq $0x40000, (%%rsp); popfq" ::: "memory");
    for (int round = 0; round < 40; round++) {
        uintptr_t regs[4] = {KSIM_YIELD_NO_WAIT, 0, 0, 0};
        ksim_syscall(KSIM_CLASS_YIELD, regs);
        for (volatile unsigned long i = 0; i < 2000000; i++)
            ; /* long enough for ticks to land here */
    }
    __asm__ volatile("pushfq; popq %0" : "=r"(flags)::"memory");
    __asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq" ::: "memory");
    printf("hostile_ac done, AC %s\n", (flags & 0x40000) ? "kept" : "LOST");
    return 0;
}
