/*
 * System-call wrappers: fill r0..r3, call the gate with the class number,
 * decode the return variant in r0 as ABI.md describes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tock.h>
#include <ksim/abi.h>

#include "internal.h"

static ksim_gate_fn ksim_gate;

void ksim_set_gate(ksim_gate_fn gate)
{
    ksim_gate = gate;
}

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4])
{
    ksim_gate(syscall_class, regs);
}

/* Command arguments are TRD104's 32-bit values. */
static uintptr_t word_from_int(int value)
{
    return (uintptr_t)(uint32_t)value;
}

static statuscode_t status_from_word(uintptr_t error)
{
    return (statuscode_t)(uint32_t)error;
}

static bool is_failure(uintptr_t variant)
{
    return variant < KSIM_SUCCESS;
}

returncode_t tock_status_to_returncode(statuscode_t status)
{
    if (status == TOCK_STATUSCODE_SUCCESS)
        return RETURNCODE_SUCCESS;
    if (status > TOCK_STATUSCODE_SUCCESS && status <= TOCK_STATUSCODE_NOACK)
        return (returncode_t)(-(int)status);
    return RETURNCODE_FAIL;
}

/* Every failure variant carries its error code in r1. */
returncode_t tock_command_return_novalue_to_returncode(syscall_return_t ret)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS)
        return RETURNCODE_SUCCESS;
    if (is_failure(ret.type))
        return tock_status_to_returncode((statuscode_t)ret.data[0]);
    return RETURNCODE_EBADRVAL;
}

returncode_t tock_command_return_u32_to_returncode(syscall_return_t ret, uint32_t *value)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS_U32) {
        *value = ret.data[0];
        return RETURNCODE_SUCCESS;
    }
    if (is_failure(ret.type))
        return tock_status_to_returncode((statuscode_t)ret.data[0]);
    return RETURNCODE_EBADRVAL;
}

returncode_t tock_subscribe_return_to_returncode(subscribe_return_t ret)
{
    return ret.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(ret.status);
}

returncode_t tock_allow_rw_return_to_returncode(allow_rw_return_t ret)
{
    return ret.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(ret.status);
}

returncode_t tock_allow_ro_return_to_returncode(allow_ro_return_t ret)
{
    return ret.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(ret.status);
}

returncode_t tock_allow_userspace_r_return_to_returncode(allow_userspace_r_return_t ret)
{
    return ret.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(ret.status);
}

void yield(void)
{
    uintptr_t regs[4] = {KSIM_YIELD_WAIT, 0, 0, 0};
    ksim_syscall(KSIM_CLASS_YIELD, regs);
}

void yield_for(bool *cond)
{
    while (!*(volatile bool *)cond)
        yield();
}

int yield_no_wait(void)
{
    /* On the stack, so inside writable RAM where the kernel may set it. */
    volatile uint8_t upcall_ran = 0;
    uintptr_t regs[4] = {KSIM_YIELD_NO_WAIT, (uintptr_t)&upcall_ran, 0, 0};
    ksim_syscall(KSIM_CLASS_YIELD, regs);
    return upcall_ran != 0;
}

yield_waitfor_return_t yield_wait_for(uint32_t driver, uint32_t subscribe)
{
    uintptr_t regs[4] = {KSIM_YIELD_WAIT_FOR, driver, subscribe, 0};
    ksim_syscall(KSIM_CLASS_YIELD, regs);
    yield_waitfor_return_t ret = {(uint32_t)regs[0], (uint32_t)regs[1], (uint32_t)regs[2]};
    return ret;
}

static __attribute__((noreturn)) void exit_with(uint32_t exit_type, uint32_t completion_code)
{
    uintptr_t regs[4] = {exit_type, completion_code, 0, 0};
    ksim_syscall(KSIM_CLASS_EXIT, regs);
    /* Exit never returns; if a kernel let it, fault rather than run on. */
    __builtin_trap();
}

void tock_exit(uint32_t completion_code)
{
    exit_with(KSIM_EXIT_TERMINATE, completion_code);
}

void tock_restart(uint32_t completion_code)
{
    exit_with(KSIM_EXIT_RESTART, completion_code);
}

syscall_return_t command(uint32_t driver, uint32_t command, int arg1, int arg2)
{
    uintptr_t regs[4] = {driver, command, word_from_int(arg1), word_from_int(arg2)};
    ksim_syscall(KSIM_CLASS_COMMAND, regs);
    syscall_return_t ret = {(syscall_rtype_t)regs[0],
                            {(uint32_t)regs[1], (uint32_t)regs[2], (uint32_t)regs[3]}};
    return ret;
}

/*
 * Subscribe and the Allows answer alike: Success with 2 u32 (the previous
 * pair) or Failure with 2 u32 (error, then the pair passed in).
 */
struct swap_result {
    bool success;
    statuscode_t status;
    uintptr_t first;
    uintptr_t second;
};

static struct swap_result swap_call(uint32_t syscall_class, uint32_t driver, uint32_t number,
                                    uintptr_t first, uintptr_t second)
{
    uintptr_t regs[4] = {driver, number, first, second};
    ksim_syscall(syscall_class, regs);
    struct swap_result result = {false, TOCK_STATUSCODE_FAIL, first, second};
    if (regs[0] == KSIM_SUCCESS_2_U32) {
        result.success = true;
        result.status = TOCK_STATUSCODE_SUCCESS;
        result.first = regs[1];
        result.second = regs[2];
    } else if (regs[0] == KSIM_FAILURE_2_U32) {
        result.status = status_from_word(regs[1]);
        result.first = regs[2];
        result.second = regs[3];
    } else if (is_failure(regs[0])) {
        result.status = status_from_word(regs[1]);
    }
    return result;
}

subscribe_return_t subscribe(uint32_t driver, uint32_t subscribe, subscribe_upcall uc,
                             void *userdata)
{
    struct swap_result r =
        swap_call(KSIM_CLASS_SUBSCRIBE, driver, subscribe, (uintptr_t)uc, (uintptr_t)userdata);
    subscribe_return_t ret = {r.success, (subscribe_upcall *)r.first, (void *)r.second, r.status};
    return ret;
}

allow_rw_return_t allow_readwrite(uint32_t driver, uint32_t allow, void *ptr, size_t size)
{
    struct swap_result r =
        swap_call(KSIM_CLASS_ALLOW_RW, driver, allow, (uintptr_t)ptr, (uintptr_t)size);
    allow_rw_return_t ret = {r.success, (void *)r.first, (size_t)r.second, r.status};
    return ret;
}

allow_ro_return_t allow_readonly(uint32_t driver, uint32_t allow, const void *ptr, size_t size)
{
    struct swap_result r =
        swap_call(KSIM_CLASS_ALLOW_RO, driver, allow, (uintptr_t)ptr, (uintptr_t)size);
    allow_ro_return_t ret = {r.success, (const void *)r.first, (size_t)r.second, r.status};
    return ret;
}

allow_userspace_r_return_t allow_userspace_read(uint32_t driver, uint32_t allow, void *ptr,
                                                size_t size)
{
    struct swap_result r =
        swap_call(KSIM_CLASS_ALLOW_UR, driver, allow, (uintptr_t)ptr, (uintptr_t)size);
    allow_userspace_r_return_t ret = {r.success, (void *)r.first, (size_t)r.second, r.status};
    return ret;
}

/* Success (no value) or Success with u32 give the value; failures the error. */
uintptr_t ksim_memop_word(uint32_t op, uintptr_t arg, int *status)
{
    uintptr_t regs[4] = {op, arg, 0, 0};
    ksim_syscall(KSIM_CLASS_MEMOP, regs);
    if (regs[0] == KSIM_SUCCESS) {
        *status = TOCK_STATUSCODE_SUCCESS;
        return 0;
    }
    if (regs[0] == KSIM_SUCCESS_U32) {
        *status = TOCK_STATUSCODE_SUCCESS;
        return regs[1];
    }
    *status = is_failure(regs[0]) ? (int)status_from_word(regs[1]) : TOCK_STATUSCODE_FAIL;
    return 0;
}

memop_return_t memop(uint32_t op_type, int arg1)
{
    /* sbrk's increment is signed; every other argument is a 32-bit value. */
    uintptr_t arg = op_type == KSIM_MEMOP_SBRK ? (uintptr_t)(intptr_t)arg1 : word_from_int(arg1);
    int status;
    uintptr_t value = ksim_memop_word(op_type, arg, &status);
    memop_return_t ret = {(statuscode_t)status, (uint32_t)value};
    return ret;
}

static void *memop_address(uint32_t op, uintptr_t arg)
{
    int status;
    uintptr_t value = ksim_memop_word(op, arg, &status);
    return status == TOCK_STATUSCODE_SUCCESS ? (void *)value : NULL;
}

void *tock_app_memory_begins_at(void)
{
    return memop_address(KSIM_MEMOP_RAM_START, 0);
}

void *tock_app_memory_ends_at(void)
{
    return memop_address(KSIM_MEMOP_RAM_END, 0);
}

void *tock_app_flash_begins_at(void)
{
    return memop_address(KSIM_MEMOP_IMAGE_START, 0);
}

void *tock_app_flash_ends_at(void)
{
    return memop_address(KSIM_MEMOP_IMAGE_END, 0);
}

void *tock_app_grant_begins_at(void)
{
    return memop_address(KSIM_MEMOP_GRANT_START, 0);
}

int tock_app_number_writeable_flash_regions(void)
{
    memop_return_t ret = memop(KSIM_MEMOP_FLASH_REGIONS, 0);
    return ret.status == TOCK_STATUSCODE_SUCCESS ? (int)ret.data : 0;
}

void *tock_app_writeable_flash_region_begins_at(int region_index)
{
    return memop_address(KSIM_MEMOP_FLASH_REGION_START, word_from_int(region_index));
}

void *tock_app_writeable_flash_region_ends_at(int region_index)
{
    return memop_address(KSIM_MEMOP_FLASH_REGION_END, word_from_int(region_index));
}

bool driver_exists(uint32_t driver)
{
    syscall_return_t ret = command(driver, 0, 0, 0);
    return !is_failure(ret.type);
}

const char *tock_strerr(statuscode_t status)
{
    return tock_strrcode(tock_status_to_returncode(status));
}

const char *tock_strrcode(returncode_t returncode)
{
    switch (returncode) {
    case RETURNCODE_SUCCESS:
        return "Success";
    case RETURNCODE_FAIL:
        return "Generic failure";
    case RETURNCODE_EBUSY:
        return "Busy, try again later";
    case RETURNCODE_EALREADY:
        return "Already in the requested state";
    case RETURNCODE_EOFF:
        return "Powered off";
    case RETURNCODE_ERESERVE:
        return "Reservation needed first";
    case RETURNCODE_EINVAL:
        return "Invalid argument";
    case RETURNCODE_ESIZE:
        return "Size too large";
    case RETURNCODE_ECANCEL:
        return "Cancelled";
    case RETURNCODE_ENOMEM:
        return "Out of memory";
    case RETURNCODE_ENOSUPPORT:
        return "Not supported";
    case RETURNCODE_ENODEVICE:
        return "No such device";
    case RETURNCODE_EUNINSTALLED:
        return "Device not installed";
    case RETURNCODE_ENOACK:
        return "Not acknowledged";
    case RETURNCODE_EBADRVAL:
        return "Unexpected return variant";
    }
    return "Unknown return code";
}
