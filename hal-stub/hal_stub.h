/*
 * The host HAL: what sim/ uses to create it and to feed it events (time,
 * console input). The kernel sees it only as a struct hal.
 */
#ifndef KSIM_HAL_STUB_H
#define KSIM_HAL_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal.h"

struct hal_stub;

struct hal_stub_config {
    uintptr_t ram_base; /* app view of RAM, at its board address */
    size_t ram_size;
    size_t page_size;
    const char *mpu_model; /* "page", ... (hal_mpu_model_find) */
    unsigned pmp_entries;  /* riscv-pmp: 8 or 16 */
    bool isolation;        /* false: no page protection changes at all */
    /* Each app in a host process of its own (hal_child.c): the RAM and flash
     * memory files, to map the app's memory there at its board addresses. */
    bool isolation_process;
    int ram_fd;
    int flash_fd; /* -1: no board flash */
    uintptr_t flash_base;
    size_t flash_size;
    bool clock_real; /* false: virtual time */
    uint32_t frequency_hz;
    unsigned width_bits;
    unsigned max_procs;
    uint32_t timeslice_us; /* preemption: a process runs about this long per turn */
    int out_fd;            /* console output */
    unsigned led_count;    /* LEDs, buttons and GPIO pins the board has (hal_gpio.c) */
    unsigned button_count;
    unsigned pin_count;
    uint64_t rng_seed; /* the random-number source's seed (hal_rng.c) */
    /* The board's sensors (hal_sensor.c): present or not, and the value each reads. */
    bool sensor_present[HAL_SENSOR_KINDS];
    struct hal_sensor_reading sensor_value[HAL_SENSOR_KINDS]; /* units: enum hal_sensor_kind */
};

/* NULL with a message in err when the host refuses (alt stack, signals). */
struct hal_stub *hal_stub_create(const struct hal_stub_config *cfg, char *err, size_t errlen);
void hal_stub_destroy(struct hal_stub *s);
const struct hal *hal_stub_hal(struct hal_stub *s);

/* What sensor kind reads from now on (a reading under way gets it too). */
void hal_stub_set_sensor(struct hal_stub *s, enum hal_sensor_kind kind,
                         struct hal_sensor_reading value);

struct hal_mpu_region;
/* The MPU model's region configuration for block b (for reports); returns the count. */
unsigned hal_stub_mpu_regions(struct hal_stub *s, const struct hal_block *b,
                              struct hal_mpu_region *out, unsigned max);
const char *hal_stub_mpu_model(const struct hal_stub *s);
/* Regions (entries) the board's MPU has in all; 0: no hardware limit (page model). */
unsigned hal_stub_mpu_region_limit(const struct hal_stub *s);
/*
 * The page protection (mmap PROT_*) the app view gives the image pages of
 * the process in slot right now: what a remapping of those pages (for a
 * debugger, sim/debug/app_debug.c) must keep.
 */
int hal_stub_image_prot(const struct hal_stub *s, unsigned slot);

/* Time. The deadline (the alarm's, or the next scheduled input's) is in nanoseconds of
 * simulated time since start. */
uint64_t hal_stub_now_ns(struct hal_stub *s);
bool hal_stub_deadline_ns(struct hal_stub *s, uint64_t *deadline);
/* Virtual clock: jumps to t (never backwards) and raises the alarm if it is due. */
void hal_stub_advance_to(struct hal_stub *s, uint64_t t_ns);
/* Real clock: reads the host clock and raises the alarm if it is due. */
void hal_stub_poll_clock(struct hal_stub *s);

/* Virtual clock: a process computed for a whole turn; charge it a timeslice of time. */
void hal_stub_charge_timeslice(struct hal_stub *s);

/* Did the last process turn end by preemption (it computed a whole timeslice)? */
bool hal_stub_last_preempted(const struct hal_stub *s);

/* Console input from the host, and whether a process waits for some. */
void hal_stub_console_input(struct hal_stub *s, const uint8_t *buf, size_t len);
void hal_stub_console_eof(struct hal_stub *s);
bool hal_stub_console_reading(const struct hal_stub *s);

/*
 * Inputs from outside: a button pressed (true) or released, a GPIO pin
 * driven high (true) or low. Applied now, or at a time of the simulated
 * clock: hal_stub_deadline_ns reports the next one, so virtual time jumps
 * to it. Each is shown on stderr; one an app can see becomes an interrupt.
 */
enum hal_stub_input_kind { HAL_STUB_INPUT_BUTTON = 0, HAL_STUB_INPUT_PIN = 1 };
void hal_stub_button(struct hal_stub *s, unsigned button, bool pressed);
void hal_stub_pin(struct hal_stub *s, unsigned pin, bool high);
/* 0, or -1 for an index the board lacks (or no memory). Equal times keep their order. */
int hal_stub_schedule_input(struct hal_stub *s, enum hal_stub_input_kind kind, unsigned index,
                            bool level, uint64_t t_ns);
/*
 * Called for every change shown on stderr: kind "led", "gpio" or "button",
 * detail such as "0 on" or "3 input high", at now_ns (for the trace).
 */
typedef void (*hal_stub_io_fn)(void *ctx, const char *kind, const char *detail, uint64_t now_ns);
void hal_stub_set_io_observer(struct hal_stub *s, hal_stub_io_fn fn, void *ctx);

#endif /* KSIM_HAL_STUB_H */
