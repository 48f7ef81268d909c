/*
 * The alarm clock: a 64-bit tick count of which the hardware shows the low
 * width_bits. Virtual: ticks move only when sim/ jumps to the next deadline.
 * Real: ticks follow the host's monotonic clock.
 */
#define _GNU_SOURCE
#include <time.h>

#include "hal_internal.h"

#define NS_PER_S 1000000000ull

uint64_t hal__clock_read_ns(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return UINT64_MAX;
    return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static uint64_t mono_ns(void)
{
    return hal__clock_read_ns(CLOCK_MONOTONIC);
}

static uint64_t ns_to_ticks(uint64_t ns, uint32_t hz)
{
    return (ns / NS_PER_S) * hz + (ns % NS_PER_S) * hz / NS_PER_S;
}

static uint64_t ticks_to_ns(uint64_t ticks, uint32_t hz)
{
    /* Rounded up, so a deadline reached in ns has been reached in ticks too. */
    return (ticks / hz) * NS_PER_S + ((ticks % hz) * NS_PER_S + hz - 1) / hz;
}

static uint32_t hw_mask(const struct hal_stub *s)
{
    return s->cfg.width_bits >= 32 ? UINT32_MAX : (uint32_t)((1u << s->cfg.width_bits) - 1u);
}

static void check_due(struct hal_stub *s)
{
    if (s->armed && s->ticks >= s->deadline_ticks) {
        s->armed = false;
        s->alarm_pending = true;
    }
}

void hal_stub_poll_clock(struct hal_stub *s)
{
    if (s->cfg.clock_real)
        s->ticks = ns_to_ticks(mono_ns() - s->real_start_ns, s->cfg.frequency_hz);
    check_due(s);
}

uint64_t hal_stub_now_ns(struct hal_stub *s)
{
    if (s->cfg.clock_real)
        hal_stub_poll_clock(s);
    return ticks_to_ns(s->ticks, s->cfg.frequency_hz);
}

bool hal_stub_deadline_ns(struct hal_stub *s, uint64_t *deadline)
{
    uint64_t input;
    bool has_input = hal__gpio_next_ns(s, &input); /* a scheduled button or pin change */
    if (!s->armed) {
        if (has_input)
            *deadline = input;
        return has_input;
    }
    *deadline = ticks_to_ns(s->deadline_ticks, s->cfg.frequency_hz);
    if (has_input && input < *deadline)
        *deadline = input;
    return true;
}

void hal_stub_advance_to(struct hal_stub *s, uint64_t t_ns)
{
    uint64_t t = ns_to_ticks(t_ns, s->cfg.frequency_hz);
    bool stops_at_alarm = s->armed && s->deadline_ticks <= t;
    if (stops_at_alarm)
        t = s->deadline_ticks > s->ticks ? s->deadline_ticks : s->ticks;
    if (t > s->ticks)
        s->ticks = t;
    check_due(s);
    if (!stops_at_alarm)
        hal__gpio_reached(s, t_ns); /* inputs due by t_ns apply, whatever the tick rounding */
}

void hal__clock_init(struct hal_stub *s)
{
    s->ticks = 0;
    s->armed = false;
    s->alarm_pending = false;
    s->real_start_ns = mono_ns();
}

static uint32_t alarm_frequency(void *hal)
{
    return ((struct hal_stub *)hal)->cfg.frequency_hz;
}

static unsigned alarm_width(void *hal)
{
    return ((struct hal_stub *)hal)->cfg.width_bits;
}

static uint32_t alarm_now(void *hal)
{
    struct hal_stub *s = hal;
    if (s->cfg.clock_real)
        hal_stub_poll_clock(s);
    return (uint32_t)s->ticks & hw_mask(s);
}

static void alarm_set(void *hal, uint32_t reference, uint32_t dt)
{
    struct hal_stub *s = hal;
    uint32_t m = hw_mask(s), now = alarm_now(hal);
    /* Already outside [reference, reference + dt): due now. */
    if (((now - reference) & m) >= (dt & m))
        s->deadline_ticks = s->ticks;
    else
        s->deadline_ticks = s->ticks + ((reference + dt - now) & m);
    s->armed = true;
    check_due(s);
}

static void alarm_disarm(void *hal)
{
    ((struct hal_stub *)hal)->armed = false;
}

const struct hal_alarm_ops hal__alarm_ops = {
    .frequency = alarm_frequency,
    .width_bits = alarm_width,
    .now = alarm_now,
    .set_alarm = alarm_set,
    .disarm = alarm_disarm,
};

void hal__clock_charge_timeslice(struct hal_stub *s)
{
    if (s->cfg.clock_real)
        return;
    s->ticks += ns_to_ticks((uint64_t)s->cfg.timeslice_us * 1000u, s->cfg.frequency_hz);
    check_due(s);
}
