/*
 * The portable half of libtock-c's libtock/tock.c (everything outside its
 * architecture blocks), for builds without a libtock-c checkout: see
 * libtock/tock.h next to this file. Written by ksim to libtock-c's
 * documented behaviour: an unexpected return variant is EBADRVAL, any
 * success variant means a driver exists, error codes map to their negation.
 * `ksim-cc --libtock-c DIR` compiles DIR/libtock/tock.c instead.
 */
#include <libtock/tock.h>
#include <stdio.h>
#include <stdlib.h>

returncode_t tock_status_to_returncode(statuscode_t status)
{
    return (returncode_t)(-(int)status);
}

int tock_command_return_novalue_to_returncode(syscall_return_t ret)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS)
        return RETURNCODE_SUCCESS;
    if (ret.type == TOCK_SYSCALL_FAILURE)
        return tock_status_to_returncode((statuscode_t)ret.data[0]);
    return RETURNCODE_EBADRVAL;
}

int tock_command_return_u32_to_returncode(syscall_return_t ret, uint32_t *val)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS_U32) {
        *val = ret.data[0];
        return RETURNCODE_SUCCESS;
    }
    if (ret.type == TOCK_SYSCALL_FAILURE)
        return tock_status_to_returncode((statuscode_t)ret.data[0]);
    return RETURNCODE_EBADRVAL;
}

int tock_command_return_u64_to_returncode(syscall_return_t ret, uint64_t *val)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS_U64) {
        *val = ((uint64_t)ret.data[1] << 32) | ret.data[0];
        return RETURNCODE_SUCCESS;
    }
    if (ret.type == TOCK_SYSCALL_FAILURE)
        return tock_status_to_returncode((statuscode_t)ret.data[0]);
    return RETURNCODE_EBADRVAL;
}

int tock_command_return_u32_u32_to_returncode(syscall_return_t ret, uint32_t *val1, uint32_t *val2)
{
    if (ret.type == TOCK_SYSCALL_SUCCESS_U32_U32) {
        *val1 = ret.data[0];
        *val2 = ret.data[1];
        return RETURNCODE_SUCCESS;
    }
    if (ret.type == TOCK_SYSCALL_FAILURE)
        return tock_status_to_returncode((statuscode_t)ret.data[0]);
    return RETURNCODE_EBADRVAL;
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
    while (!*cond)
        yield();
}

static void *memop_address(uint32_t op, uintptr_t arg)
{
    memop_return_t ret = memop(op, arg);
    return ret.status == TOCK_STATUSCODE_SUCCESS ? (void *)ret.data : NULL;
}

void *tock_app_memory_begins_at(void)
{
    return memop_address(2, 0);
}

void *tock_app_memory_ends_at(void)
{
    return memop_address(3, 0);
}

void *tock_app_flash_begins_at(void)
{
    return memop_address(4, 0);
}

void *tock_app_flash_ends_at(void)
{
    return memop_address(5, 0);
}

void *tock_app_grant_begins_at(void)
{
    return memop_address(6, 0);
}

int tock_app_number_writeable_flash_regions(void)
{
    memop_return_t ret = memop(7, 0);
    return ret.status == TOCK_STATUSCODE_SUCCESS ? (int)ret.data : 0;
}

/* The index passes as libtock-c passes it: an int converted to uintptr_t. */
void *tock_app_writeable_flash_region_begins_at(int region_index)
{
    return memop_address(8, (uintptr_t)region_index);
}

void *tock_app_writeable_flash_region_ends_at(int region_index)
{
    return memop_address(9, (uintptr_t)region_index);
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

/* ksim's own wording (libtock-c's real strings come with its tock.c). */
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
