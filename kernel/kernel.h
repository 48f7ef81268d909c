/*
 * The kernel: its state (caller-allocated, no hidden allocation), its
 * configuration, and the main loop of DESIGN.md: service interrupts, pick a
 * ready process, run it until it stops, handle why, repeat.
 */
#ifndef KSIM_KERNEL_KERNEL_H
#define KSIM_KERNEL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver.h"
#include "hal.h"
#include "loader.h"
#include "proc.h"
#include "sched.h"

/* A board memory region as the kernel sees it: board address and kernel view. */
struct ks_region {
    uintptr_t base;
    size_t size;
    uint8_t *kview; /* where the kernel reads and writes it */
};

/* When RAM is short for a new process (placement.h). */
enum kernel_pressure_policy {
    KERNEL_PRESSURE_REFUSE = 0, /* the load fails, naming the sizes */
    KERNEL_PRESSURE_EVICT = 1,  /* stop the lowest-priority process; restart it when RAM frees */
};

enum kernel_fault_policy {
    KERNEL_FAULT_PANIC = 0,
    KERNEL_FAULT_STOP = 1,
    KERNEL_FAULT_RESTART = 2,
};

struct kernel_config {
    size_t stack_size;
    size_t heap_size;
    size_t grant_size;
    unsigned upcall_queue_len;
    enum kernel_fault_policy fault_policy;
    uint32_t fault_restarts; /* for KERNEL_FAULT_RESTART */
    uint16_t elf_machine;    /* apps must be built for this */
    size_t kernel_reserved;  /* bytes at the bottom of RAM no process gets */
    bool drv_alarm, drv_console, drv_low_level_debug;
    /* LED, button and GPIO need hal->gpio; RNG needs hal->rng (see hal.h). */
    bool drv_led, drv_button, drv_gpio, drv_rng, drv_ipc;
    bool drv_app_flash; /* writes into an app's own writeable flash regions */
    /* The sensors need hal->sensor. */
    bool drv_temperature, drv_humidity, drv_ambient_light, drv_ninedof, drv_proximity;
    bool drv_sound_pressure, drv_air_quality, drv_moisture, drv_rainfall;
    enum sched_kind sched_kind; /* 0: round robin */
    enum kernel_pressure_policy pressure;
};

/* Notable events, reported to whoever embeds the kernel (fault reports, traces). */
enum kernel_event_kind {
    KEV_START = 0, /* a process (re)started: p->id is new */
    KEV_EXIT,      /* terminated: p->completion_code */
    KEV_RESTART,   /* about to restart after exit-restart or a fault */
    KEV_FAULT,     /* faulted: p->last_fault; the policy is applied after */
    KEV_PANIC,     /* the fault policy stopped the whole kernel */
    KEV_SYSCALL,   /* a system call was handled (only when trace_syscalls is set) */
    KEV_UPCALL,    /* an upcall is about to run, or WaitFor returns its arguments */
    KEV_SWITCH,    /* a different process starts running */
    KEV_EVICT,     /* stopped to make room for cause (memory pressure): RAM released */
    KEV_READMIT,   /* an evicted process has RAM again: it starts afresh (KEV_START follows) */
    KEV_UNLOAD,    /* removed: its slot is about to be free (after KEV_EXIT if it was alive) */
    KEV_NO_DRIVER, /* the first call of this app to a driver the board lacks: driver */
};

struct kernel_event {
    enum kernel_event_kind kind;
    const struct proc *p;
    uint32_t syscall_class;            /* KEV_SYSCALL */
    const uintptr_t *in;               /* KEV_SYSCALL: r0..r3 as passed */
    const uintptr_t *out;              /* KEV_SYSCALL: r0..r3 returned (NULL: none yet) */
    const struct upcall_event *upcall; /* KEV_UPCALL */
    const struct proc *cause;          /* KEV_EVICT: the process it made room for */
    uint32_t driver;                   /* KEV_NO_DRIVER */
};

/* Console state shared by every process (one UART). */
struct kernel_console {
    bool tx_busy;
    int tx_slot; /* process whose bytes are in flight, -1 if none */
    uint32_t tx_id;
    size_t tx_len;
    uint8_t tx_buf[256];
    bool rx_busy;
    int rx_slot;
    uint32_t rx_id;
    uint8_t rx_buf[256];
};

struct kernel {
    const struct hal *hal;
    struct kernel_config cfg;
    struct ks_region ram;   /* all of board RAM */
    struct ks_region flash; /* app flash */
    uintptr_t ram_next;     /* end of the last block placed (placement.c finds free gaps) */
    bool ram_freed;         /* a process released RAM: evicted ones may come back */

    struct proc *procs;
    unsigned nprocs;
    uint32_t next_id;
    int current; /* slot running now, or -1 */
    bool panicked;

    const struct driver *drivers[KS_MAX_DRIVERS]; /* ascending numbers (driver.h) */
    unsigned ndrivers;
    struct sched sched;
    struct kernel_console console;
    bool sensor_busy[HAL_SENSOR_KINDS]; /* a reading of that kind is under way */
    struct {
        bool busy; /* a reading is under way for the process below */
        int slot;
        uint32_t id;
    } ninedof;
    uint8_t proximity_running; /* enum proximity_running (drivers/proximity.c) */

    void (*on_event)(void *ctx, const struct kernel_event *ev);
    void *event_ctx;
    bool trace_syscalls; /* report every system call and upcall (costs a call each) */
    bool turn_used_up; /* the last turn costs a timeslice: its call budget ran out, or a restart */
    int last_run;      /* slot that ran last, for KEV_SWITCH */
};

/*
 * Sets up k over caller-owned storage: procs[nprocs] (nprocs <=
 * SCHED_MAX_PROCS). 0 or -KS_EINVAL (bad configuration).
 */
int kernel_init(struct kernel *k, const struct hal *hal, const struct kernel_config *cfg,
                struct ks_region ram, struct ks_region flash, struct proc *procs, unsigned nprocs);

/*
 * Loads an ELF into a new process and makes it ready. The file bytes must
 * outlive the process (restarts reload from them). Returns the slot, or
 * -KS_EINVAL (refused: *err says why), -KS_ENOMEM (no slot or no RAM).
 */
int kernel_load(struct kernel *k, const char *name, const uint8_t *file, size_t len,
                struct loader_error *err);

/* An app to load, however it was packaged (bare ELF, TBF): see appload.h. */
struct kernel_app {
    const char *name;
    const uint8_t *elf; /* the ELF; must outlive the process */
    size_t elf_len;
    size_t min_ram; /* a TBF's minimum_ram_size: the heap grows to give the block this much */
    /* Where the app's TBF lies in board flash (flash_len 0: it does not),
     * and its writeable flash regions there. */
    uintptr_t flash_start;
    size_t flash_len;
    unsigned nflash_regions;
    struct proc_flash_region flash_regions[TBF_MAX_WFR];
};

/* What a process block for img must hold: the board's sizes, min_ram honoured. */
void kernel_block_request(const struct kernel *k, const struct loader_image *img, size_t min_ram,
                          struct hal_block_req *req);

/*
 * The block the MPU model would lay out for img inside [free_start,
 * free_end), as kernel_load_app places it. 0 or -KS_ENOMEM; nothing changes.
 */
int kernel_plan_block(const struct kernel *k, const struct loader_image *img, size_t min_ram,
                      uintptr_t free_start, uintptr_t free_end, struct hal_block *b);

/*
 * kernel_load for an ELF loader_parse accepted as img. Same returns. Under
 * memory pressure the board's policy applies (placement.h): `evict` may
 * stop lower-priority processes to make room.
 */
int kernel_load_app(struct kernel *k, const struct kernel_app *app, const struct loader_image *img,
                    struct loader_error *err);

enum kernel_status {
    KERNEL_RUNNABLE = 0, /* some process is ready: call kernel_step again */
    KERNEL_IDLE,         /* live processes all wait for events */
    KERNEL_DONE,         /* no process can ever run again */
    KERNEL_PANIC,        /* the fault policy stopped everything */
};

/* Services pending interrupts, then runs one ready process for one turn. */
enum kernel_status kernel_step(struct kernel *k);

/* Where the kernel stands, without running anything. */
enum kernel_status kernel_status(const struct kernel *k);

/* Queues an upcall for p from driver idx and wakes p if it waits for it. */
void kernel_schedule_upcall(struct kernel *k, struct proc *p, unsigned idx, uint32_t number,
                            uintptr_t a0, uintptr_t a1, uintptr_t a2);

/* The process in slot with identifier id, if it is still that process and alive. */
struct proc *kernel_proc_by_id(struct kernel *k, int slot, uint32_t id);

/* Reports an event to the embedder. */
void kernel_emit(struct kernel *k, enum kernel_event_kind kind, const struct proc *p);
void kernel_emit_event(struct kernel *k, const struct kernel_event *ev);
/* A call of p's reached a driver the board lacks (NODEVICE): KEV_NO_DRIVER
 * the first time for each app and driver, so a fake result is never silent. */
void kernel_note_missing_driver(struct kernel *k, struct proc *p, uint32_t driver);
/* Tracing only: an upcall about to run, or WaitFor about to return its arguments. */
void kernel_trace_upcall(struct kernel *k, const struct proc *p, const struct upcall_event *u);

#endif /* KSIM_KERNEL_KERNEL_H */
