/*
 * Tock's userspace system-call API: libtock-c's public libtock/tock.h, with
 * the same names, types and signatures, written by ksim from that API. ksim's
 * own apps include it as <tock.h> or <libtock/tock.h>; a libtock-c app built
 * with `ksim-cc --libtock-c DIR` sees DIR/libtock/tock.h in its place (DIR is
 * searched first), and the runtime's system calls (tock_syscalls.c) compile
 * against that one then. The ctest label `libtock-c` builds the same test
 * apps against both headers, which keeps them in step.
 *
 * Every call goes through the gate handed to _start (ABI.md): registers are
 * host words, so pointers, sizes, userdata and memop arguments pass full
 * width; command arguments and results are TRD104's 32-bit values.
 */
#ifndef KSIM_APP_LIBTOCK_TOCK_H
#define KSIM_APP_LIBTOCK_TOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void(subscribe_upcall)(int, int, int, void *);

/* Return variants (r0): how many values follow, and how wide. */
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
    TOCK_SYSCALL_SUCCESS_U32_U64 = 133,
} syscall_rtype_t;

/* C-style results: 0 success, minus the kernel's error code on failure. */
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
    /* The kernel answered with a variant the helper does not expect. */
    RETURNCODE_EBADRVAL = -1024,
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

/* A command's result: the variant, then r1..r3 as 32-bit values. */
typedef struct {
    syscall_rtype_t type;
    uint32_t data[3];
} syscall_return_t;

/* On success the previous upcall and userdata; on failure those passed in. */
typedef struct {
    bool success;
    subscribe_upcall *callback;
    void *userdata;
    statuscode_t status;
} subscribe_return_t;

/* On success the previous buffer; on failure the one passed in. */
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

/* data (an address or the old break: a full word) is set only on success. */
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

/*
 * Conversions to returncode_t (returned as int, as libtock-c declares them).
 * Each command helper accepts exactly one success variant and Failure; any
 * other variant gives RETURNCODE_EBADRVAL.
 */
returncode_t tock_status_to_returncode(statuscode_t status);
int tock_command_return_novalue_to_returncode(syscall_return_t ret);
int tock_command_return_u32_to_returncode(syscall_return_t ret, uint32_t *value);
int tock_command_return_u32_u32_to_returncode(syscall_return_t ret, uint32_t *value0,
                                              uint32_t *value1);
/* Success with u64: r1 is the low half, r2 the high half. */
int tock_command_return_u64_to_returncode(syscall_return_t ret, uint64_t *value);
int tock_subscribe_return_to_returncode(subscribe_return_t ret);
int tock_allow_rw_return_to_returncode(allow_rw_return_t ret);
int tock_allow_ro_return_to_returncode(allow_ro_return_t ret);
int tock_allow_userspace_r_return_to_returncode(allow_userspace_r_return_t ret);

/* Yield-Wait: wait for one upcall and run it. */
void yield(void);
/* Yield until *cond is true (an upcall sets it). */
void yield_for(bool *cond);
/* Yield-NoWait: run one pending upcall if any; 1 if one ran, else 0. */
int yield_no_wait(void);
/* Yield-WaitFor: wait for the upcall of (driver, subscribe) without running it. */
yield_waitfor_return_t yield_wait_for(uint32_t driver, uint32_t subscribe);

void tock_exit(uint32_t completion_code) __attribute__((noreturn));
void tock_restart(uint32_t completion_code) __attribute__((noreturn));

__attribute__((warn_unused_result)) syscall_return_t command(uint32_t driver, uint32_t command,
                                                             int arg1, int arg2);

/* The Null Upcall, for subscribe. */
#define TOCK_NULL_UPCALL 0

/*
 * Subscribe and the Allows end the app with exit(1) (allow_userspace_read:
 * exit(-1)) if the kernel answers with a variant other than Success or
 * Failure with 2 u32, as libtock-c's system calls do.
 */
__attribute__((warn_unused_result)) subscribe_return_t
subscribe(uint32_t driver, uint32_t subscribe, subscribe_upcall uc, void *userdata);

__attribute__((warn_unused_result)) allow_rw_return_t
allow_readwrite(uint32_t driver, uint32_t allow, void *ptr, size_t size);

__attribute__((warn_unused_result)) allow_userspace_r_return_t
allow_userspace_read(uint32_t driver, uint32_t allow, void *ptr, size_t size);

__attribute__((warn_unused_result)) allow_ro_return_t
allow_readonly(uint32_t driver, uint32_t allow, const void *ptr, size_t size);

/* arg1 passes full width: an sbrk increment is a signed word converted to uintptr_t. */
memop_return_t memop(uint32_t op_type, uintptr_t arg1);

/* Memop introspection: NULL (0 for the count) when the kernel refuses. */
void *tock_app_memory_begins_at(void);
void *tock_app_memory_ends_at(void);
void *tock_app_flash_begins_at(void);
void *tock_app_flash_ends_at(void);
void *tock_app_grant_begins_at(void);
int tock_app_number_writeable_flash_regions(void);
void *tock_app_writeable_flash_region_begins_at(int region_index);
void *tock_app_writeable_flash_region_ends_at(int region_index);

/* Command 0 of every driver is its existence check: any success means it exists. */
bool driver_exists(uint32_t driver);

const char *tock_strerr(statuscode_t status);
const char *tock_strrcode(returncode_t returncode);

/* Prints where and what differed, then exit(1), unless expected == actual. */
void tock_expect(int expected, int actual, const char *file, unsigned line);
#define TOCK_EXPECT(_e, _a) tock_expect((_e), (_a), __FILE__, __LINE__)

#endif /* KSIM_APP_LIBTOCK_TOCK_H */
