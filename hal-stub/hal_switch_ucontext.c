/*
 * Portable fallback for hosts without an assembly switch: ucontext. Slower
 * (swapcontext makes a sigprocmask system call) but correct. A "stack
 * pointer" here is a pointer to a ucontext_t.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <ucontext.h>

#include "hal_internal.h"

void hal__switch(void **save_sp, void *load_sp)
{
    if (*save_sp == NULL)
        *save_sp = calloc(1, sizeof(ucontext_t));
    swapcontext((ucontext_t *)*save_sp, (ucontext_t *)load_sp);
}

void hal__jump(void *load_sp)
{
    setcontext((ucontext_t *)load_sp);
}

void *hal__init_stack(uintptr_t lo, uintptr_t top, void (*entry)(void))
{
    ucontext_t *uc = calloc(1, sizeof(*uc));
    if (!uc)
        return NULL;
    getcontext(uc);
    uc->uc_stack.ss_sp = (void *)lo;
    uc->uc_stack.ss_size = top - lo;
    uc->uc_link = NULL;
    makecontext(uc, entry, 0);
    return uc;
}

void hal__free_context(void *sp)
{
    free(sp);
}
