/*
 * Alarm driver (0x0), as Tock's: one alarm per process over the one hardware
 * alarm, ticks left-justified to 32 bits so every board wraps the same way.
 */
#include "driver.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"

struct alarm_data {
    uint32_t armed;
    uint32_t reference; /* hardware ticks */
    uint32_t dt;
};

static unsigned padding(struct kernel *k)
{
    return 32u - k->hal->alarm->width_bits(k->hal->ctx);
}

static uint32_t mask(struct kernel *k)
{
    unsigned w = k->hal->alarm->width_bits(k->hal->ctx);
    return w >= 32 ? UINT32_MAX : (uint32_t)((1u << w) - 1u);
}

static uint32_t hw_now(struct kernel *k)
{
    return k->hal->alarm->now(k->hal->ctx);
}

/* now is in [start, start + dt) on the wrapping counter: not expired yet. */
static bool within(uint32_t now, uint32_t start, uint32_t dt, uint32_t m)
{
    return ((now - start) & m) < (dt & m);
}

/*
 * Delivers every expired alarm and arms the hardware for the earliest one
 * left (or disarms it). Called when the hardware fires or an alarm changes.
 */
static void rearm(struct kernel *k, unsigned idx)
{
    uint32_t now = hw_now(k), m = mask(k), best_left = 0;
    unsigned pad = padding(k);
    struct alarm_data *best = NULL;

    for (unsigned s = 0; s < k->nprocs; s++) {
        struct proc *p = &k->procs[s];
        struct grant_view g;
        /* Most slots are free or never used the alarm: skip them without a call. */
        if (p->grant[idx] == 0 || !proc_is_alive(p) || !grant_peek(k, p, idx, &g))
            continue;
        struct alarm_data *a = g.data;
        if (!a->armed)
            continue;
        if (!within(now, a->reference, a->dt, m)) {
            a->armed = 0;
            kernel_schedule_upcall(k, p, idx, KSIM_ALARM_UPCALL_FIRED, (uintptr_t)(now << pad),
                                   (uintptr_t)(((a->reference + a->dt) & m) << pad), 0);
            continue;
        }
        uint32_t left = (a->reference + a->dt - now) & m;
        if (!best || left < best_left) {
            best = a;
            best_left = left;
        }
    }
    if (best)
        k->hal->alarm->set_alarm(k->hal->ctx, best->reference, best->dt);
    else
        k->hal->alarm->disarm(k->hal->ctx);
}

void kernel_alarm_fired(struct kernel *k)
{
    int idx = kernel_driver_index(k, KSIM_DRIVER_ALARM);
    if (idx >= 0)
        rearm(k, (unsigned)idx);
}

/* v >> pad, rounded up: an alarm must never fire before the time asked for. */
static uint32_t unshift_up(uint32_t v, unsigned pad)
{
    uint32_t low = pad ? (1u << pad) - 1u : 0;
    return (v >> pad) + ((v & low) != 0);
}

/*
 * Stores an expiration given in left-justified user ticks: relative to now
 * (command 5) or to a reference (command 6). Returns the expiration, left-justified.
 */
static uint32_t set_expiration(struct kernel *k, struct alarm_data *a, bool has_ref,
                               uint32_t ref_lj, uint32_t dt_lj)
{
    unsigned pad = padding(k);
    uint32_t m = mask(k);
    if (has_ref) {
        a->reference = (ref_lj >> pad) & m;
        a->dt = (unshift_up(ref_lj + dt_lj, pad) - a->reference) & m;
    } else {
        a->reference = hw_now(k) & m;
        a->dt = unshift_up(dt_lj, pad) & m;
    }
    a->armed = 1;
    return ((a->reference + a->dt) & m) << pad;
}

static struct syscall_ret alarm_command(const struct driver_command *c)
{
    struct kernel *k = c->k;
    const struct hal *hal = k->hal;
    struct alarm_data *a = c->grant.data;

    switch (c->number) {
    case KSIM_ALARM_CMD_FREQUENCY: /* scaled like the ticks so userspace sees a 32-bit clock */
        return ret_success_u32(hal->alarm->frequency(hal->ctx) << padding(k));
    case KSIM_ALARM_CMD_READ:
        return ret_success_u32(hw_now(k) << padding(k));
    case KSIM_ALARM_CMD_STOP:
        if (!a->armed)
            return ret_failure(KS_EALREADY);
        a->armed = 0;
        rearm(k, c->idx);
        return ret_success();
    case KSIM_ALARM_CMD_SET_RELATIVE: {
        uint32_t exp = set_expiration(k, a, false, 0, c->arg0);
        rearm(k, c->idx);
        return ret_success_u32(exp);
    }
    case KSIM_ALARM_CMD_SET_ABSOLUTE: {
        uint32_t exp = set_expiration(k, a, true, c->arg0, c->arg1);
        rearm(k, c->idx);
        return ret_success_u32(exp);
    }
    default: /* 4 was set-absolute before Tock 2.0 */
        return ret_failure(KS_ENOSUPPORT);
    }
}

const struct driver drv_alarm = {
    .num = KSIM_DRIVER_ALARM,
    .name = "alarm",
    .command_count = KSIM_ALARM_CMD_COUNT,
    .upcalls = KSIM_ALARM_UPCALL_COUNT,
    .data_size = sizeof(struct alarm_data),
    /* As Tock: every command but 0 enters the grant, command 4 too. */
    .grant_cmds = ~DRIVER_CMD(0),
    .command = alarm_command,
};
