/*
 * The portable part of Tock's system-call API (libtock/tock.h): return-code
 * conversions, yield_for, the memop wrappers and the error strings, built on
 * the system calls of tock_syscalls.c. Written by ksim to libtock-c's
 * documented behaviour: each command helper accepts one success variant and
 * Failure, anything else is EBADRVAL; an error code maps to its negation;
 * any success variant from command 0 means a driver exists.
 *
 * It stands where libtock-c's libtock/tock.c stands, outside its
 * architecture blocks: `ksim-cc --libtock-c DIR` links DIR's tock.c instead,
 * and the integration tests use this file as the tock.c of a miniature
 * libtock-c tree. So it needs nothing from ksim but the API header and
 * the memop numbers of ksim/abi.h.
 */
#include <libtock/tock.h>
#include <stdio.h>
#include <stdlib.h>
#include <ksim/abi.h>

returncode_t tock_status_to_returncode(statuscode_t status)
{
    return (returncode_t)(-(int)status);
}

/* Failure carries its error code in r1 (data[0]). */
static int failure_or_bad_variant(syscall_return_t ret)
{
    if (ret.type == TOCK_SYSCALL_FAILURE)
        return tock_status_to_returncode((statuscode_t)ret.data[0]);
    return RETURNCODE_EBADRVAL;
}

int tock_command_return_novalue_to_returncode(syscall_return_t ret)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS)
        return RETURNCODE_SUCCESS;
    return failure_or_bad_variant(ret);
}

int tock_command_return_u32_to_returncode(syscall_return_t ret, uint32_t *value)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS_U32) {
        *value = ret.data[0];
        return RETURNCODE_SUCCESS;
    }
    return failure_or_bad_variant(ret);
}

int tock_command_return_u32_u32_to_returncode(syscall_return_t ret, uint32_t *value0,
                                              uint32_t *value1)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS_U32_U32) {
        *value0 = ret.data[0];
        *value1 = ret.data[1];
        return RETURNCODE_SUCCESS;
    }
    return failure_or_bad_variant(ret);
}

int tock_command_return_u64_to_returncode(syscall_return_t ret, uint64_t *value)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS_U64) {
        *value = ((uint64_t)ret.data[1] << 32) | ret.data[0];
        return RETURNCODE_SUCCESS;
    }
    return failure_or_bad_variant(ret);
}

int tock_subscribe_return_to_returncode(subscribe_return_t ret)
{
    return ret.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(ret.status);
}

int tock_allow_rw_return_to_returncode(allow_rw_return_t ret)
{
    return ret.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(ret.status);
}

int tock_allow_ro_return_to_returncode(allow_ro_return_t ret)
{
    return ret.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(ret.status);
}

int tock_allow_userspace_r_return_to_returncode(allow_userspace_r_return_t ret)
{
    return ret.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(ret.status);
}

void yield_for(bool *cond)
{
    /* volatile: only an upcall, run inside yield, changes *cond. */
    while (!*(volatile bool *)cond)
        yield();
}

static void *memop_address(uint32_t op, uintptr_t arg)
{
    memop_return_t ret = memop(op, arg);
    return ret.status == TOCK_STATUSCODE_SUCCESS ? (void *)ret.data : NULL;
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

/* The index passes as libtock-c passes it: an int converted to uintptr_t. */
void *tock_app_writeable_flash_region_begins_at(int region_index)
{
    return memop_address(KSIM_MEMOP_FLASH_REGION_START, (uintptr_t)region_index);
}

void *tock_app_writeable_flash_region_ends_at(int region_index)
{
    return memop_address(KSIM_MEMOP_FLASH_REGION_END, (uintptr_t)region_index);
}

bool driver_exists(uint32_t driver)
{
    syscall_return_t ret = command(driver, 0, 0, 0);
    return ret.type >= TOCK_SYSCALL_SUCCESS;
}

const char *tock_strerr(statuscode_t status)
{
    return tock_strrcode(tock_status_to_returncode(status));
}

/* ksim's own wording (libtock-c's strings come with its tock.c). */
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

void tock_expect(int expected, int actual, const char *file, unsigned line)
{
    if (expected == actual)
        return;
    printf("%s:%u: expected %d, got %d (%s)\n", file, line, expected, actual,
           tock_strrcode((returncode_t)actual));
    exit(1);
}
