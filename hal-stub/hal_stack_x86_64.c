/* The first frame of a new process stack, matching hal_switch_x86_64.S. */
#include "hal_internal.h"

#if defined(__x86_64__) && !defined(KSIM_SWITCH_UCONTEXT)
void *hal__init_stack(uintptr_t lo, uintptr_t top, void (*entry)(void))
{
    uintptr_t *sp = (uintptr_t *)(top & ~(uintptr_t)15);
    (void)lo;
    *--sp = 0;                  /* entry's return address: it never returns */
    *--sp = (uintptr_t)entry;   /* popped by ret in hal__switch */
    for (int i = 0; i < 6; i++) /* rbp rbx r12 r13 r14 r15 */
        *--sp = 0;
    *--sp = ((uintptr_t)0x037f << 32) | 0x1f80; /* x87 control word, MXCSR defaults */
    return sp;
}

void hal__free_context(void *sp)
{
    (void)sp; /* a saved stack pointer owns nothing */
}
#endif
