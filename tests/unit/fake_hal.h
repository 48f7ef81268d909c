/*
 * A fake struct hal for kernel unit tests: no mapping, no context switch.
 * Board RAM is a malloc'd buffer that is also the kernel view, so every
 * access the kernel makes to process memory lands in it (and ASan sees any
 * stray one). Each op records its calls for the tests to check; proc->run
 * only ever reports a preemption, because syscall tests call syscall_handle
 * themselves.
 */
#ifndef KSIM_TESTS_FAKE_HAL_H
#define KSIM_TESTS_FAKE_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

#define FAKE_RAM_BASE 0x20000000u
#define FAKE_RAM_SIZE 0x40000u /* 256 KiB */
#define FAKE_PAGE     0x1000u
#define FAKE_NPROCS   4
#define FAKE_QUEUE    8 /* upcall queue length of the default configuration */

/*
 * The block fake_proc gives its process, drawn as ABI.md draws it: stack at
 * the bottom, image right after it, data and bss right after the image, a
 * heap already grown to FAKE_BRK, free pages, then the grant region.
 */
#define FAKE_START       0x20010000u
#define FAKE_STACK_END   0x20011000u
#define FAKE_IMAGE_START 0x20011000u
#define FAKE_IMAGE_END   0x20013000u
#define FAKE_DATA_START  0x20013000u
#define FAKE_DATA_END    0x20013400u /* end of bss */
#define FAKE_BRK         0x20013800u
#define FAKE_GRANT_START 0x20016000u
#define FAKE_END         0x20018000u

/* What fake_board_init fills RAM with, so "zeroed" and "untouched" both show. */
#define FAKE_RAM_FILL 0xa5u

/* A driver the kernel does not have, with every kind of slot (Userspace-Readable too). */
#define FAKE_DRIVER_NUM 0x9abcu
extern const struct driver fake_driver;

struct fake_start_call {
    unsigned slot;
    uintptr_t entry, stack_lo, stack_top;
    uintptr_t args[4];
};

struct fake_debug_call {
    uint32_t proc_id;
    enum hal_debug_kind kind;
    uint32_t a, b;
};

struct fake_command_call {
    uint32_t proc_id;
    uint32_t cmd, arg0, arg1;
};

#define FAKE_MAX_RECORDS 16

struct fake_board {
    struct hal hal;
    struct kernel k;
    struct proc procs[FAKE_NPROCS];
    uint8_t *ram; /* kernel view of [FAKE_RAM_BASE, + ram_size) */
    size_t ram_size;

    /* MPU */
    int set_brk_rc; /* what set_brk returns; nonzero: it changes nothing */
    unsigned set_brk_calls;
    uintptr_t last_brk;
    unsigned activate_calls, release_calls;
    unsigned last_release_slot;
    int share_rc; /* nonzero: share fails with it and changes nothing */
    unsigned share_calls;

    /* Processes */
    int start_rc;
    unsigned start_calls;
    struct fake_start_call last_start;
    unsigned set_return_calls;
    uintptr_t last_return[4];
    unsigned push_upcall_calls;
    uintptr_t last_upcall_fn, last_upcall_args[4];
    unsigned discard_calls, run_calls;

    /* Alarm */
    uint32_t now, frequency;
    unsigned width;
    unsigned set_alarm_calls, disarm_calls;
    uint32_t alarm_reference, alarm_dt;

    /* Console */
    int write_rc, read_rc;
    unsigned write_calls, read_calls, abort_calls;
    uint8_t written[1024];
    size_t nwritten;
    uint8_t *read_buf;
    size_t read_len;

    /* Low-level debug, and fake_driver's commands */
    unsigned ndebug;
    struct fake_debug_call debug[FAKE_MAX_RECORDS];
    unsigned ncommands;
    struct fake_command_call commands[FAKE_MAX_RECORDS];

    /* Kernel events, in order */
    unsigned nevents;
    enum kernel_event_kind events[FAKE_MAX_RECORDS];
};

/* The configuration fake_board_init uses: all three drivers, FAKE_QUEUE upcalls. */
struct kernel_config fake_config(void);

/* Sets up fb (RAM filled with FAKE_RAM_FILL) and its kernel with fake_config(). */
void fake_board_init(struct fake_board *fb);
/* The same with another configuration and RAM size. */
void fake_board_init_with(struct fake_board *fb, const struct kernel_config *cfg, size_t ram_size);
void fake_board_fini(struct fake_board *fb);

/* Adds fake_driver to the kernel (after the three real ones); its index. */
unsigned fake_add_driver(struct fake_board *fb);

/*
 * A process made by hand, without the loader, in the first free slot: block
 * FAKE_START..FAKE_END as drawn above, state PROC_RUNNING, no grants, an
 * empty upcall queue, a fresh id.
 */
struct proc *fake_proc(struct fake_board *fb);
/* The same with a block of the caller's choosing. */
struct proc *fake_proc_block(struct fake_board *fb, const struct hal_block *b);

/* Kernel view of a board address inside fake RAM. */
uint8_t *fake_view(struct fake_board *fb, uintptr_t addr);

/* Reads a whole file into a malloc'd buffer; aborts the test when it cannot. */
uint8_t *fake_read_file(const char *path, size_t *len);

/* Loads an ELF through kernel_load: the process, or NULL with *rc and *err set. */
struct proc *fake_load(struct fake_board *fb, const uint8_t *file, size_t len, int *rc,
                       struct loader_error *err);

/* The ELF machine of the host the apps are built for. */
uint16_t fake_host_machine(void);

#endif /* KSIM_TESTS_FAKE_HAL_H */
