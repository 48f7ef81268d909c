/*
 * hostile_restart_storm: exits with restart as its first act, every time.
 * Each restart must cost virtual time, so the victim's sleeps still end and
 * --until still comes.
 */
#include <ksim/abi.h>
#include <stdint.h>

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4]);

int main(void)
{
    uintptr_t regs[4] = {KSIM_EXIT_RESTART, 7, 0, 0};
    ksim_syscall(KSIM_CLASS_EXIT, regs);
    return 1; /* never reached: exit-restart does not return */
}
