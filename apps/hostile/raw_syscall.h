/*
 * A host system call made directly from app code, bypassing the gate: what
 * the hostile apps try. Every isolation mode must make it a fault (or, for
 * the documented escapes, docs/faults.md says what it does).
 */
#ifndef KSIM_APPS_HOSTILE_RAW_SYSCALL_H
#define KSIM_APPS_HOSTILE_RAW_SYSCALL_H

static inline long raw_syscall3(long nr, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(nr), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return r;
}

#endif /* KSIM_APPS_HOSTILE_RAW_SYSCALL_H */
