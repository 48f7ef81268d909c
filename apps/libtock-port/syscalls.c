/*
 * ksim's architecture block for libtock-c: the system calls of libtock/tock.h
 * that libtock-c implements per architecture (svc on Cortex-M, ecall on
 * RISC-V), here as calls to the gate that _start receives (ABI.md). It
 * replaces the `#if defined(__thumb__) ... #elif defined(__riscv)` part of
 * libtock/tock.c; on x86-64 neither branch is compiled, so tock.c itself
 * builds unchanged and supplies the portable rest.
 *
 * Results are decoded as libtock-c's own blocks decode them: command keeps
 * r0..r3 as 32-bit values; subscribe and the allows take Success with 2 u32
 * (previous pair) or Failure with 2 u32 (error, then the pair passed in) and
 * end the app with exit(1) on any other variant; memop returns r1 as the
 * value of Success with u32 or as the error of Failure. Pointers, sizes,
 * userdata and memop arguments pass full width: the gate's registers are
 * host words.
 *
 * The same file serves ksim's C library underneath (printf, malloc, ...):
 * it also provides the runtime's gate hooks from apps/runtime/internal.h, so
 * the runtime's own system-call file is never linked into a libtock-c app.
 */
#include <libtock/tock.h>
#include <stdint.h>
#include <stdlib.h>
#include <ksim/abi.h>

#include "../runtime/internal.h"

static ksim_gate_fn ksim_gate;

void ksim_set_gate(ksim_gate_fn gate)
{
    ksim_gate = gate;
}

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4])
{
    ksim_gate(syscall_class, regs);
}

uintptr_t ksim_memop_word(uint32_t op, uintptr_t arg, int *status)
{
    memop_return_t ret = memop(op, arg);
    *status = (int)ret.status;
    return ret.data;
}

void yield(void)
{
    uintptr_t regs[4] = {KSIM_YIELD_WAIT, 0, 0, 0};
    ksim_syscall(KSIM_CLASS_YIELD, regs);
}

int yield_no_wait(void)
{
    /* On the stack, as in libtock-c: inside writable RAM, where the kernel may set it. */
    volatile uint8_t result = 0;
    uintptr_t regs[4] = {KSIM_YIELD_NO_WAIT, (uintptr_t)&result, 0, 0};
    ksim_syscall(KSIM_CLASS_YIELD, regs);
    return (int)result;
}

yield_waitfor_return_t yield_wait_for(uint32_t driver, uint32_t subscribe)
{
    uintptr_t regs[4] = {KSIM_YIELD_WAIT_FOR, driver, subscribe, 0};
    ksim_syscall(KSIM_CLASS_YIELD, regs);
    yield_waitfor_return_t ret = {(uint32_t)regs[0], (uint32_t)regs[1], (uint32_t)regs[2]};
    return ret;
}

static __attribute__((noreturn)) void exit_syscall(uint32_t exit_type, uint32_t completion_code)
{
    uintptr_t regs[4] = {exit_type, completion_code, 0, 0};
    ksim_syscall(KSIM_CLASS_EXIT, regs);
    /* Exit does not return; should a kernel let it, fault rather than run on. */
    __builtin_trap();
}

void tock_exit(uint32_t completion_code)
{
    exit_syscall(KSIM_EXIT_TERMINATE, completion_code);
}

void tock_restart(uint32_t completion_code)
{
    exit_syscall(KSIM_EXIT_RESTART, completion_code);
}

syscall_return_t command(uint32_t driver, uint32_t command, int arg1, int arg2)
{
    /* Arguments are TRD104's 32-bit values, zero-extended as in a 32-bit register. */
    uintptr_t regs[4] = {driver, command, (uint32_t)arg1, (uint32_t)arg2};
    ksim_syscall(KSIM_CLASS_COMMAND, regs);
    syscall_return_t ret = {(syscall_rtype_t)(uint32_t)regs[0],
                            {(uint32_t)regs[1], (uint32_t)regs[2], (uint32_t)regs[3]}};
    return ret;
}

/* Subscribe and the allows: r0..r3 after the call, or exit on a variant they never return. */
static void swap_call(uint32_t syscall_class, uintptr_t regs[4], int bad_variant_exit)
{
    ksim_syscall(syscall_class, regs);
    if (regs[0] != KSIM_SUCCESS_2_U32 && regs[0] != KSIM_FAILURE_2_U32)
        exit(bad_variant_exit);
}

subscribe_return_t subscribe(uint32_t driver, uint32_t subscribe, subscribe_upcall uc,
                             void *userdata)
{
    uintptr_t regs[4] = {driver, subscribe, (uintptr_t)uc, (uintptr_t)userdata};
    swap_call(KSIM_CLASS_SUBSCRIBE, regs, 1);
    if (regs[0] == KSIM_SUCCESS_2_U32) {
        subscribe_return_t ret = {true, (subscribe_upcall *)regs[1], (void *)regs[2],
                                  TOCK_STATUSCODE_SUCCESS};
        return ret;
    }
    subscribe_return_t ret = {false, (subscribe_upcall *)regs[2], (void *)regs[3],
                              (statuscode_t)(uint32_t)regs[1]};
    return ret;
}

allow_rw_return_t allow_readwrite(uint32_t driver, uint32_t allow, void *ptr, size_t size)
{
    uintptr_t regs[4] = {driver, allow, (uintptr_t)ptr, size};
    swap_call(KSIM_CLASS_ALLOW_RW, regs, 1);
    if (regs[0] == KSIM_SUCCESS_2_U32) {
        allow_rw_return_t ret = {true, (void *)regs[1], regs[2], TOCK_STATUSCODE_SUCCESS};
        return ret;
    }
    allow_rw_return_t ret = {false, (void *)regs[2], regs[3], (statuscode_t)(uint32_t)regs[1]};
    return ret;
}

allow_ro_return_t allow_readonly(uint32_t driver, uint32_t allow, const void *ptr, size_t size)
{
    uintptr_t regs[4] = {driver, allow, (uintptr_t)ptr, size};
    swap_call(KSIM_CLASS_ALLOW_RO, regs, 1);
    if (regs[0] == KSIM_SUCCESS_2_U32) {
        allow_ro_return_t ret = {true, (const void *)regs[1], regs[2], TOCK_STATUSCODE_SUCCESS};
        return ret;
    }
    allow_ro_return_t ret = {false, (const void *)regs[2], regs[3],
                             (statuscode_t)(uint32_t)regs[1]};
    return ret;
}

/* libtock-c ends the app with exit(-1) here, where the other calls use exit(1). */
allow_userspace_r_return_t allow_userspace_read(uint32_t driver, uint32_t allow, void *ptr,
                                                size_t size)
{
    uintptr_t regs[4] = {driver, allow, (uintptr_t)ptr, size};
    swap_call(KSIM_CLASS_ALLOW_UR, regs, -1);
    if (regs[0] == KSIM_SUCCESS_2_U32) {
        allow_userspace_r_return_t ret = {true, (void *)regs[1], regs[2], TOCK_STATUSCODE_SUCCESS};
        return ret;
    }
    allow_userspace_r_return_t ret = {false, (void *)regs[2], regs[3],
                                      (statuscode_t)(uint32_t)regs[1]};
    return ret;
}

memop_return_t memop(uint32_t op_type, uintptr_t arg1)
{
    uintptr_t regs[4] = {op_type, arg1, 0, 0};
    ksim_syscall(KSIM_CLASS_MEMOP, regs);
    memop_return_t ret = {TOCK_STATUSCODE_SUCCESS, 0};
    switch (regs[0]) {
    case KSIM_SUCCESS:
        break;
    case KSIM_SUCCESS_U32:
        ret.data = regs[1];
        break;
    case KSIM_FAILURE:
        ret.status = (statuscode_t)(uint32_t)regs[1];
        break;
    default:
        exit(1);
    }
    return ret;
}
