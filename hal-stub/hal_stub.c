/* Assembles the host HAL from its parts: contexts, MPU model, clock, console. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal_internal.h"

static void debug_low_level(void *hal, uint32_t proc_id, enum hal_debug_kind kind, uint32_t a,
                            uint32_t b)
{
    (void)hal;
    /* The wording of Tock's low-level debug capsule. */
    switch (kind) {
    case HAL_DEBUG_ALERT:
        fprintf(stderr, "LowLevelDebug: App 0x%x alert code %u\n", proc_id, a);
        break;
    case HAL_DEBUG_PRINT1:
        fprintf(stderr, "LowLevelDebug: App 0x%x prints 0x%x\n", proc_id, a);
        break;
    case HAL_DEBUG_PRINT2:
        fprintf(stderr, "LowLevelDebug: App 0x%x prints 0x%x 0x%x\n", proc_id, a, b);
        break;
    }
}

const struct hal_debug_ops hal__debug_ops = {.low_level_debug = debug_low_level};

static bool chip_has_pending(void *hal)
{
    struct hal_stub *s = hal;
    if (s->cfg.clock_real)
        hal_stub_poll_clock(s);
    /* hal__gpio_pending first: it also applies inputs whose time has come. */
    bool gpio = hal__gpio_pending(s);
    return gpio || s->alarm_pending || hal__console_pending(s) || hal__sensor_pending(s);
}

static void chip_service_pending(void *hal, struct kernel *k)
{
    struct hal_stub *s = hal;
    if (s->alarm_pending) {
        s->alarm_pending = false;
        kernel_alarm_fired(k);
    }
    hal__console_service(s, k);
    hal__gpio_service(s, k);
    hal__sensor_service(s, k);
}

static const struct hal_chip_ops chip_ops = {
    .service_pending = chip_service_pending,
    .has_pending = chip_has_pending,
};

struct hal_stub *hal_stub_create(const struct hal_stub_config *cfg, char *err, size_t errlen)
{
    struct hal_stub *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    s->active_slot = -1;
    s->model = hal_mpu_model_find(cfg->mpu_model ? cfg->mpu_model : "page");
    s->model_params.page_size = cfg->page_size;
    s->model_params.pmp_entries = cfg->pmp_entries;
    if (!s->model) {
        snprintf(err, errlen, "unknown MPU model '%s'", cfg->mpu_model);
        free(s);
        return NULL;
    }
    s->hal = (struct hal){
        .ctx = s,
        .mpu = &hal__mpu_ops,
        .proc = &hal__proc_ops,
        .alarm = &hal__alarm_ops,
        .console = &hal__console_ops,
        .debug = &hal__debug_ops,
        .chip = &chip_ops,
        .gpio = &hal__gpio_ops,
        .rng = &hal__rng_ops,
        .sensor = &hal__sensor_ops,
    };
    hal__clock_init(s);
    hal__rng_init(s);
    if (hal__gpio_init(s, err, errlen) != 0 || hal__ctx_init(s, err, errlen) != 0 ||
        hal__fault_init(s, err, errlen) != 0 || hal__preempt_init(s, err, errlen) != 0) {
        hal_stub_destroy(s);
        return NULL;
    }
    return s;
}

void hal_stub_destroy(struct hal_stub *s)
{
    if (!s)
        return;
    hal__preempt_fini(s);
    hal__fault_fini(s);
    if (hal__running == s)
        hal__running = NULL; /* signal handlers must never see a freed stub */
    hal__ctx_fini(s);
    hal__gpio_fini(s);
    free(s->in_buf);
    free(s);
}

const struct hal *hal_stub_hal(struct hal_stub *s)
{
    return &s->hal;
}

void hal_stub_charge_timeslice(struct hal_stub *s)
{
    hal__clock_charge_timeslice(s);
}

bool hal_stub_last_preempted(const struct hal_stub *s)
{
    return s->last_preempted;
}
