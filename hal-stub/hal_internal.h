/* State shared by the hal-stub files (hal__ names are internal to hal-stub/). */
#ifndef KSIM_HAL_INTERNAL_H
#define KSIM_HAL_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h> /* clockid_t */

#include "hal_mpu_model.h"
#include "hal_stub.h"

struct hal__cpu;

/* One process's execution context. */
struct hal__proc {
    bool live;
    uintptr_t stack_lo, stack_hi;
    uintptr_t mem_lo, mem_hi; /* process RAM below the grant region */
    uintptr_t code_lo;        /* start of the image: app code lies in [code_lo, mem_hi) */
    uintptr_t entry;
    uintptr_t args[4];
    uintptr_t ret[4]; /* what the interrupted system call returns */
    bool upcall;
    uintptr_t upcall_fn;
    uintptr_t upcall_args[4];
    struct hal__cpu *cpu; /* x86-64: the save area (hal_cpu.h) */
    void *sp;             /* ucontext fallback: the saved context */
    void *asan_fake_stack;
    uintptr_t grant_sealed_lo, grant_sealed_hi; /* isolation off: grant pages kept from the app */
    struct hal__child *child;                   /* isolation process: its host process */
    struct hal_block block;                     /* isolation process: as the MPU last saw it */
};

struct hal_stub {
    struct hal hal;
    struct hal_stub_config cfg;

    /* contexts */
    struct hal__proc *procs;
    struct hal__proc *current;
    struct hal_stop *stop;
    void *kernel_sp; /* ucontext fallback: the kernel's saved context */
    const void *kstack_bottom;
    size_t kstack_size;
    void *altstack;

    /* preemption */
    bool preemption;
    volatile uint64_t tick_count;
    uint64_t run_start_tick;
    bool last_preempted;

    /* MPU */
    const struct hal_mpu_model *model;
    struct hal_mpu_model_params model_params;
    int active_slot;
    struct hal_block active;

    /* clock */
    uint64_t ticks; /* 64-bit count; the hardware shows the low width_bits */
    bool armed;
    uint64_t deadline_ticks;
    bool alarm_pending;
    uint64_t real_start_ns;

    /* console */
    bool tx_done_pending;
    size_t tx_done_len;
    bool rx_active, rx_done_pending, rx_eof;
    int rx_status;
    uint8_t *rx_dst;
    size_t rx_want, rx_have;
    uint8_t *in_buf; /* bytes typed before anyone asked */
    size_t in_len, in_cap;

    /* LEDs, buttons, pins and scheduled inputs (hal_gpio.c); random numbers (hal_rng.c) */
    struct hal__gpio *gpio;
    uint64_t rng_state[4];

    /* sensors (hal_sensor.c) */
    bool sensor_pending[HAL_SENSOR_KINDS]; /* a reading was started and is not delivered yet */
    /* read_outside: the pending reading waits until the value leaves [lower, upper] */
    bool sensor_window[HAL_SENSOR_KINDS];
    int32_t sensor_lower[HAL_SENSOR_KINDS], sensor_upper[HAL_SENSOR_KINDS];
};

/* The stub whose process is running; the gate and signal handlers need it. */
extern struct hal_stub *volatile hal__running;

extern const struct hal_mpu_ops hal__mpu_ops;
extern const struct hal_proc_ops hal__proc_ops;
extern const struct hal_alarm_ops hal__alarm_ops;
extern const struct hal_console_ops hal__console_ops;
extern const struct hal_debug_ops hal__debug_ops;
extern const struct hal_gpio_ops hal__gpio_ops;
extern const struct hal_rng_ops hal__rng_ops;
extern const struct hal_sensor_ops hal__sensor_ops;

/* A bare stack switch (assembly or ucontext), for the ucontext fallback and
 * the benchmark baseline. */
void hal__switch(void **save_sp, void *load_sp);
void hal__jump(void *load_sp);
void *hal__init_stack(uintptr_t lo, uintptr_t top, void (*entry)(void));
/* Frees what a saved context owns (a ucontext; nothing for the assembly switch). */
void hal__free_context(void *sp);

/* b's accessible ranges, page-rounded: stack RW, image RX, data to the break RW, flash R. */
void hal__mpu_ranges(const struct hal_stub *s, const struct hal_block *b, uintptr_t lo[4],
                     uintptr_t hi[4]);

/* Nanoseconds on a host clock (monotonic, or a process's CPU time); UINT64_MAX
 * when the clock cannot be read (a process that is gone). */
uint64_t hal__clock_read_ns(clockid_t id);

/* The fault a signal in app code is (hal_fault.c): SIGILL illegal, SIGFPE arithmetic... */
enum hal_fault_kind hal__fault_kind_of(int signo);

/* --isolation process (hal_child.c): each app in a host process of its own. */
int hal__child_start(struct hal_stub *s, struct hal__proc *p);
void hal__child_run(struct hal_stub *s, struct hal__proc *p, struct hal_stop *stop);
void hal__child_forget(struct hal__proc *p);

int hal__ctx_init(struct hal_stub *s, char *err, size_t errlen);
void hal__ctx_fini(struct hal_stub *s);
int hal__fault_init(struct hal_stub *s, char *err, size_t errlen);
void hal__fault_fini(struct hal_stub *s);

/*
 * How app code is entered and left: hal_cpu_x86_64.c, or the portable
 * hal_cpu_ucontext.c. hal_ctx.c calls these.
 */
int hal__arch_init(struct hal_stub *s, char *err, size_t errlen);
void hal__arch_fini(struct hal_stub *s);
/* Sets p up to call its entry point afresh (p's fields are filled in). */
int hal__arch_start(struct hal_stub *s, struct hal__proc *p);
/* Runs p (s->current) until it stops; fills *stop. */
void hal__arch_run(struct hal_stub *s, struct hal__proc *p, struct hal_stop *stop);
void hal__arch_forget(struct hal__proc *p);
/* In a signal handler: does app code (or the gate on its behalf) run now? */
bool hal__arch_app_running(const struct hal_stub *s);
/* In a signal handler: is the interrupted context app code that may be preempted? */
bool hal__arch_preemptable(const struct hal_stub *s, const void *uc);
/* The pc a fault report shows for a fault at pc (the gate's caller, inside the gate). */
uintptr_t hal__arch_report_pc(const struct hal_stub *s, uintptr_t pc);
/*
 * In a signal handler, with *s->stop filled (a fault, or HAL_STOP_PREEMPTED):
 * the running process stops and the kernel goes on. True when the
 * interrupted context was rewritten to resume the kernel (the handler then
 * returns); never returns otherwise. fsbase: the interrupted FS base.
 */
bool hal__arch_stop_from_signal(struct hal_stub *s, void *uc, uintptr_t fsbase);

int hal__preempt_init(struct hal_stub *s, char *err, size_t errlen);
void hal__preempt_fini(struct hal_stub *s);
/* Host system calls: allowed (kernel and gate code) or blocked (app code). */
void hal__sud_allow(void);
void hal__sud_block(void);
/* Virtual clock: a preempted process used up a timeslice of time. */
void hal__clock_charge_timeslice(struct hal_stub *s);

void hal__clock_init(struct hal_stub *s);
void hal__console_service(struct hal_stub *s, struct kernel *k);
bool hal__console_pending(const struct hal_stub *s);

int hal__gpio_init(struct hal_stub *s, char *err, size_t errlen);
void hal__gpio_fini(struct hal_stub *s);
/* Applies inputs that are due; true when interrupts wait for the kernel. */
bool hal__gpio_pending(struct hal_stub *s);
void hal__gpio_service(struct hal_stub *s, struct kernel *k);
/* The time of the next scheduled input, if any. */
bool hal__gpio_next_ns(const struct hal_stub *s, uint64_t *t_ns);
/* The virtual clock was moved to t_ns (its ticks may round below it). */
void hal__gpio_reached(struct hal_stub *s, uint64_t t_ns);
void hal__rng_init(struct hal_stub *s);
bool hal__sensor_pending(const struct hal_stub *s);
void hal__sensor_service(struct hal_stub *s, struct kernel *k);

#endif /* KSIM_HAL_INTERNAL_H */
