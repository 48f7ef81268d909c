/*
 * ksim system-call ABI: the one header shared by the kernel and by apps.
 *
 * Numbers follow ../shared/ABI.md (Tock's TRD104). Freestanding: apps build
 * with no host libc and the kernel cross-compiles for Cortex-M and RV32.
 */
#ifndef KSIM_ABI_H
#define KSIM_ABI_H

#include <stdint.h>

/* The system-call entry handed to _start. regs[0..3] are r0..r3 in and out. */
typedef void (*ksim_gate_fn)(uint32_t syscall_class, uintptr_t regs[4]);

/* Entry point of every app, called on the process stack. */
typedef void (*ksim_entry_fn)(void *app_start, void *mem_start, uintptr_t mem_len,
                              void *app_heap_break, ksim_gate_fn gate);

/* An upcall, called from inside Yield-Wait or Yield-NoWait. */
typedef void (*ksim_upcall_fn)(int arg0, int arg1, int arg2, void *userdata);

enum ksim_syscall_class {
    KSIM_CLASS_YIELD = 0,
    KSIM_CLASS_SUBSCRIBE = 1,
    KSIM_CLASS_COMMAND = 2,
    KSIM_CLASS_ALLOW_RW = 3,
    KSIM_CLASS_ALLOW_RO = 4,
    KSIM_CLASS_MEMOP = 5,
    KSIM_CLASS_EXIT = 6,
    KSIM_CLASS_ALLOW_UR = 7,
};
#define KSIM_CLASS_COUNT 8

enum ksim_yield_type {
    KSIM_YIELD_NO_WAIT = 0,
    KSIM_YIELD_WAIT = 1,
    KSIM_YIELD_WAIT_FOR = 2,
};

enum ksim_exit_type {
    KSIM_EXIT_TERMINATE = 0,
    KSIM_EXIT_RESTART = 1,
};

/* Return variants, in r0. */
enum ksim_variant {
    KSIM_FAILURE = 0,
    KSIM_FAILURE_U32 = 1,
    KSIM_FAILURE_2_U32 = 2,
    KSIM_FAILURE_U64 = 3,
    KSIM_SUCCESS = 128,
    KSIM_SUCCESS_U32 = 129,
    KSIM_SUCCESS_2_U32 = 130,
    KSIM_SUCCESS_U64 = 131,
    KSIM_SUCCESS_3_U32 = 132,
    KSIM_SUCCESS_U32_U64 = 133,
};

/* Error codes, in r1 of a failure variant. */
enum ksim_error {
    KSIM_ERR_FAIL = 1,
    KSIM_ERR_BUSY = 2,
    KSIM_ERR_ALREADY = 3,
    KSIM_ERR_OFF = 4,
    KSIM_ERR_RESERVE = 5,
    KSIM_ERR_INVAL = 6,
    KSIM_ERR_SIZE = 7,
    KSIM_ERR_CANCEL = 8,
    KSIM_ERR_NOMEM = 9,
    KSIM_ERR_NOSUPPORT = 10,
    KSIM_ERR_NODEVICE = 11,
    KSIM_ERR_UNINSTALLED = 12,
    KSIM_ERR_NOACK = 13,
};

enum ksim_memop {
    KSIM_MEMOP_BRK = 0,
    KSIM_MEMOP_SBRK = 1,
    KSIM_MEMOP_RAM_START = 2,
    KSIM_MEMOP_RAM_END = 3,
    KSIM_MEMOP_IMAGE_START = 4,
    KSIM_MEMOP_IMAGE_END = 5,
    KSIM_MEMOP_GRANT_START = 6,
    KSIM_MEMOP_FLASH_REGIONS = 7,
    KSIM_MEMOP_FLASH_REGION_START = 8,
    KSIM_MEMOP_FLASH_REGION_END = 9,
    KSIM_MEMOP_SET_STACK_TOP = 10,
    KSIM_MEMOP_SET_HEAP_START = 11,
};

/* Driver numbers (Tock's). */
#define KSIM_DRIVER_ALARM           0x0u
#define KSIM_DRIVER_CONSOLE         0x1u
#define KSIM_DRIVER_LED             0x2u
#define KSIM_DRIVER_BUTTON          0x3u
#define KSIM_DRIVER_GPIO            0x4u
#define KSIM_DRIVER_LOW_LEVEL_DEBUG 0x8u
#define KSIM_DRIVER_RNG             0x40001u
#define KSIM_DRIVER_IPC             0x10000u
#define KSIM_DRIVER_APP_FLASH       0x50000u

#endif /* KSIM_ABI_H */
