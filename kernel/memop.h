/* Memop (class 5): the process's break and the bounds of its memory. */
#ifndef KSIM_KERNEL_MEMOP_H
#define KSIM_KERNEL_MEMOP_H

#include <stdint.h>

#include "syscall.h"

struct kernel;
struct proc;

struct syscall_ret memop_handle(struct kernel *k, struct proc *p, uintptr_t op, uintptr_t arg);

#endif /* KSIM_KERNEL_MEMOP_H */
