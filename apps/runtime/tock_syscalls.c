/*
 * ksim's architecture part of Tock's system-call API (libtock/tock.h): the
 * calls libtock-c implements per architecture (svc on Cortex-M, ecall on
 * RISC-V), here as calls to the gate that _start receives (ABI.md). The
 * portable rest is tock.c.
 *
 * The same file serves ksim's apps and libtock-c's: `ksim-cc --libtock-c DIR`
 * compiles it against DIR/libtock/tock.h and links it in place of the
 * architecture blocks of DIR/libtock/tock.c (on x86-64 neither block is
 * compiled, so tock.c builds unchanged and supplies the portable rest).
 * Results are therefore decoded exactly as libtock-c's blocks decode them:
 * command keeps r0..r3 as 32-bit values; subscribe and the allows take
 * Success with 2 u32 (the previous pair) or Failure with 2 u32 (the error,
 * then the pair passed in) and end the app on any other variant; memop
 * returns r1 as the value of Success with u32 or as the error of Failure.
 */
#include <libtock/tock.h>
#include <stdint.h>
#include <stdlib.h>
#include <ksim/abi.h>

#include "internal.h"

static ksim_gate_fn ksim_gate;

void ksim_set_gate(ksim_gate_fn gate)
{
    ksim_gate = gate;
}

/* For raw apps that call the gate themselves (apps/hostile/leak_probe). */
ksim_gate_fn ksim_gate_address(void)
{
    return ksim_gate;
}

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4])
{
    ksim_gate(syscall_class, regs);
}

/* r1 of a failure variant: the kernel's error code, a 32-bit value. */
static statuscode_t status_from_word(uintptr_t error)
{
    return (statuscode_t)(uint32_t)error;
}

void yield(void)
{
    uintptr_t regs[4] = {KSIM_YIELD_WAIT, 0, 0, 0};
    ksim_syscall(KSIM_CLASS_YIELD, regs);
}

int yield_no_wait(void)
{
    /* On the stack, so inside writable RAM, where the kernel may set it. */
    volatile uint8_t upcall_ran = 0;
    uintptr_t regs[4] = {KSIM_YIELD_NO_WAIT, (uintptr_t)&upcall_ran, 0, 0};
    ksim_syscall(KSIM_CLASS_YIELD, regs);
    return (int)upcall_ran;
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
    /* Exit never returns; should a kernel let it, fault rather than run on. */
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

/*
 * Subscribe and the Allows answer alike. The pair is the previous one on
 * success, the one passed in (handed back) on failure.
 */
struct swap_result {
    bool success;
    statuscode_t status;
    uintptr_t first;
    uintptr_t second;
};

static struct swap_result swap_call(uint32_t syscall_class, uint32_t driver, uint32_t number,
                                    uintptr_t first, uintptr_t second, int bad_variant_exit)
{
    uintptr_t regs[4] = {driver, number, first, second};
    ksim_syscall(syscall_class, regs);
    if (regs[0] == KSIM_SUCCESS_2_U32) {
        struct swap_result ok = {true, TOCK_STATUSCODE_SUCCESS, regs[1], regs[2]};
        return ok;
    }
    if (regs[0] == KSIM_FAILURE_2_U32) {
        struct swap_result failed = {false, status_from_word(regs[1]), regs[2], regs[3]};
        return failed;
    }
    exit(bad_variant_exit);
}

subscribe_return_t subscribe(uint32_t driver, uint32_t subscribe, subscribe_upcall uc,
                             void *userdata)
{
    struct swap_result r =
        swap_call(KSIM_CLASS_SUBSCRIBE, driver, subscribe, (uintptr_t)uc, (uintptr_t)userdata, 1);
    subscribe_return_t ret = {r.success, (subscribe_upcall *)r.first, (void *)r.second, r.status};
    return ret;
}

allow_rw_return_t allow_readwrite(uint32_t driver, uint32_t allow, void *ptr, size_t size)
{
    struct swap_result r = swap_call(KSIM_CLASS_ALLOW_RW, driver, allow, (uintptr_t)ptr, size, 1);
    allow_rw_return_t ret = {r.success, (void *)r.first, (size_t)r.second, r.status};
    return ret;
}

allow_ro_return_t allow_readonly(uint32_t driver, uint32_t allow, const void *ptr, size_t size)
{
    struct swap_result r = swap_call(KSIM_CLASS_ALLOW_RO, driver, allow, (uintptr_t)ptr, size, 1);
    allow_ro_return_t ret = {r.success, (const void *)r.first, (size_t)r.second, r.status};
    return ret;
}

/* libtock-c ends the app with exit(-1) here, where the other calls use exit(1). */
allow_userspace_r_return_t allow_userspace_read(uint32_t driver, uint32_t allow, void *ptr,
                                                size_t size)
{
    struct swap_result r = swap_call(KSIM_CLASS_ALLOW_UR, driver, allow, (uintptr_t)ptr, size, -1);
    allow_userspace_r_return_t ret = {r.success, (void *)r.first, (size_t)r.second, r.status};
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
        ret.status = status_from_word(regs[1]);
        break;
    default:
        exit(1);
    }
    return ret;
}
