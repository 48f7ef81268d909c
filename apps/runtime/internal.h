/* Runtime-internal state and hooks shared between the runtime's files. */
#ifndef KSIM_APP_RUNTIME_INTERNAL_H
#define KSIM_APP_RUNTIME_INTERNAL_H

#include <stdint.h>
#include <ksim/abi.h>

/* Where the loader put this process (from _start). */
struct ksim_app_layout {
    void *app_start;
    void *mem_start;
    uintptr_t mem_len;
};
extern struct ksim_app_layout ksim_app_layout;

/* Installs the gate; every system call goes through ksim_syscall. */
void ksim_set_gate(ksim_gate_fn gate);
void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4]);
ksim_gate_fn ksim_gate_address(void);

/* The heap starts at heap_start; memory up to brk is already usable. */
void ksim_heap_init(void *heap_start, void *brk);

/* Pushes buffered stdout to the console (exit calls it). */
void ksim_stdio_flush_all(void);

#endif /* KSIM_APP_RUNTIME_INTERNAL_H */
