/*
 * A stand-in for libtock-c's libtock/tock.h, for building and testing ksim's
 * port without a libtock-c checkout (CI cannot download one).
 *
 * It declares libtock-c's public system-call API with the same names, types
 * and signatures, written by ksim from that API: apps and the port compile
 * against it exactly as against the real header. `ksim-cc --libtock-c DIR`
 * never uses it: there the port and the apps see DIR/libtock/tock.h, and the
 * ctest label `libtock-c` builds the port's own test apps against the real
 * header too, which keeps the two in step.
 */
#ifndef KSIM_LIBTOCK_PORT_COMPAT_TOCK_H
#define KSIM_LIBTOCK_PORT_COMPAT_TOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void(subscribe_upcall)(int, int, int, void *);

/* Return variants (r0). */
typedef enum {
    TOCK_SYSCALL_FAILURE = 0,
    TOCK_SYSCALL_FAILURE_U32 = 1,
    TOCK_SYSCALL_FAILURE_U32_U32 = 2,
    TOCK_SYSCALL_FAILURE_U64 = 3,
    TOCK_SYSCALL_SUCCESS = 128,
    TOCK_SYSCALL_SUCCESS_U32 = 129,
    TOCK_SYSCALL_SUCCESS_U32_U32 = 130,
    TOCK_SYSCALL_SUCCESS_U64 = 131,
    TOCK_SYSCALL_SUCCESS_U32_U32_U32 = 132,
    TOCK_SYSCALL_SUCCESS_U32_U64 = 133
} syscall_rtype_t;

/* 0 success, minus the kernel's error code on failure. */
typedef enum {
    RETURNCODE_SUCCESS = 0,
    RETURNCODE_FAIL = -1,
    RETURNCODE_EBUSY = -2,
    RETURNCODE_EALREADY = -3,
    RETURNCODE_EOFF = -4,
    RETURNCODE_ERESERVE = -5,
    RETURNCODE_EINVAL = -6,
    RETURNCODE_ESIZE = -7,
    RETURNCODE_ECANCEL = -8,
    RETURNCODE_ENOMEM = -9,
    RETURNCODE_ENOSUPPORT = -10,
    RETURNCODE_ENODEVICE = -11,
    RETURNCODE_EUNINSTALLED = -12,
    RETURNCODE_ENOACK = -13,
    RETURNCODE_EBADRVAL = -1024
} returncode_t;

/* The kernel's error codes, with 0 for success. */
typedef enum {
    TOCK_STATUSCODE_SUCCESS = 0,
    TOCK_STATUSCODE_FAIL = 1,
    TOCK_STATUSCODE_BUSY = 2,
    TOCK_STATUSCODE_ALREADY = 3,
    TOCK_STATUSCODE_OFF = 4,
    TOCK_STATUSCODE_RESERVE = 5,
    TOCK_STATUSCODE_INVAL = 6,
    TOCK_STATUSCODE_SIZE = 7,
    TOCK_STATUSCODE_CANCEL = 8,
    TOCK_STATUSCODE_NOMEM = 9,
    TOCK_STATUSCODE_NOSUPPORT = 10,
    TOCK_STATUSCODE_NODEVICE = 11,
    TOCK_STATUSCODE_UNINSTALLED = 12,
    TOCK_STATUSCODE_NOACK = 13,
} statuscode_t;

typedef struct {
    syscall_rtype_t type;
    uint32_t data[3];
} syscall_return_t;

typedef struct {
    bool success;
    subscribe_upcall *callback;
    void *userdata;
    statuscode_t status;
} subscribe_return_t;

typedef struct {
    bool success;
    void *ptr;
    size_t size;
    statuscode_t status;
} allow_rw_return_t;

typedef struct {
    bool success;
    const void *ptr;
    size_t size;
    statuscode_t status;
} allow_ro_return_t;

typedef struct {
    bool success;
    void *ptr;
    size_t size;
    statuscode_t status;
} allow_userspace_r_return_t;

/* data is set only when status is TOCK_STATUSCODE_SUCCESS. */
typedef struct {
    statuscode_t status;
    uintptr_t data;
} memop_return_t;

/* The three arguments the awaited upcall would have been called with. */
typedef struct {
    uint32_t data0;
    uint32_t data1;
    uint32_t data2;
} yield_waitfor_return_t;

returncode_t tock_status_to_returncode(statuscode_t);
int tock_command_return_novalue_to_returncode(syscall_return_t);
int tock_command_return_u32_to_returncode(syscall_return_t, uint32_t *);
int tock_command_return_u32_u32_to_returncode(syscall_return_t, uint32_t *, uint32_t *);
int tock_command_return_u64_to_returncode(syscall_return_t command_return, uint64_t *val);
int tock_subscribe_return_to_returncode(subscribe_return_t);
int tock_allow_rw_return_to_returncode(allow_rw_return_t);
int tock_allow_ro_return_to_returncode(allow_ro_return_t);
int tock_allow_userspace_r_return_to_returncode(allow_userspace_r_return_t);

void yield(void);
void yield_for(bool *);
int yield_no_wait(void);
yield_waitfor_return_t yield_wait_for(uint32_t driver, uint32_t subscribe);

void tock_exit(uint32_t completion_code) __attribute__((noreturn));
void tock_restart(uint32_t completion_code) __attribute__((noreturn));

__attribute__((warn_unused_result)) syscall_return_t command(uint32_t driver, uint32_t command,
                                                             int arg1, int arg2);

#define TOCK_NULL_UPCALL 0

__attribute__((warn_unused_result)) subscribe_return_t
subscribe(uint32_t driver, uint32_t subscribe, subscribe_upcall uc, void *userdata);

__attribute__((warn_unused_result)) allow_rw_return_t
allow_readwrite(uint32_t driver, uint32_t allow, void *ptr, size_t size);

__attribute__((warn_unused_result)) allow_userspace_r_return_t
allow_userspace_read(uint32_t driver, uint32_t allow, void *ptr, size_t size);

__attribute__((warn_unused_result)) allow_ro_return_t
allow_readonly(uint32_t driver, uint32_t allow, const void *ptr, size_t size);

memop_return_t memop(uint32_t op_type, uintptr_t arg1);

void *tock_app_memory_begins_at(void);
void *tock_app_memory_ends_at(void);
void *tock_app_flash_begins_at(void);
void *tock_app_flash_ends_at(void);
void *tock_app_grant_begins_at(void);
int tock_app_number_writeable_flash_regions(void);
void *tock_app_writeable_flash_region_begins_at(int region_index);
void *tock_app_writeable_flash_region_ends_at(int region_index);

bool driver_exists(uint32_t driver);

const char *tock_strerr(statuscode_t status);
const char *tock_strrcode(returncode_t returncode);

void tock_expect(int expected, int actual, const char *file, unsigned line);
#define TOCK_EXPECT(_e, _a) tock_expect((_e), (_a), __FILE__, __LINE__)

#endif /* KSIM_LIBTOCK_PORT_COMPAT_TOCK_H */
