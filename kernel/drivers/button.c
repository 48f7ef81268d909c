/*
 * Button driver (0x3), as Tock's capsules/core/src/button.rs: command 0 gives
 * the count (Success with u32), 1 and 2 enable and disable interrupts of a
 * button for the calling process, 3 reads it. Subscribe 0 gets (button,
 * pressed) on every press and release of a button the process enabled.
 */
#include "driver.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"

#define BUTTON_MAX    32 /* one bit per button in the map, as Tock's u32 */
#define UPCALL_BUTTON 0

struct button_data {
    uint32_t subscribe_map; /* bit n: this process wants button n's interrupts */
};

static unsigned button_count(const struct kernel *k)
{
    const struct hal *hal = k->hal;
    unsigned n = hal->gpio ? hal->gpio->button_count(hal->ctx) : 0;
    return n > BUTTON_MAX ? BUTTON_MAX : n;
}

static struct syscall_ret set_interrupt(struct kernel *k, struct proc *p, unsigned idx,
                                        uint32_t button, bool enable)
{
    struct grant_view g;
    if (grant_enter(k, p, idx, &g) != 0)
        return ret_failure(KS_ENOMEM);
    struct button_data *d = g.data;
    if (enable)
        d->subscribe_map |= 1u << button;
    else
        d->subscribe_map &= ~(1u << button);
    return ret_success();
}

static struct syscall_ret button_command(struct kernel *k, struct proc *p, unsigned idx,
                                         uint32_t cmd, uint32_t button, uint32_t arg1)
{
    const struct hal *hal = k->hal;
    (void)arg1;
    if (cmd == 0)
        return ret_success_u32(button_count(k));
    if (cmd > 3)
        return ret_failure(KS_ENOSUPPORT);
    if (button >= button_count(k))
        return ret_failure(KS_EINVAL); /* a button the board lacks, as in Tock */
    switch (cmd) {
    case 1:
        return set_interrupt(k, p, idx, button, true);
    case 2:
        return set_interrupt(k, p, idx, button, false);
    default: /* 3: read */
        return ret_success_u32(hal->gpio->button_read(hal->ctx, button) ? 1 : 0);
    }
}

void kernel_button_changed(struct kernel *k, unsigned button, bool pressed)
{
    int idx = kernel_driver_index(k, KSIM_DRIVER_BUTTON);
    if (idx < 0 || button >= button_count(k))
        return;
    for (unsigned s = 0; s < k->nprocs; s++) {
        struct proc *p = &k->procs[s];
        struct grant_view g;
        if (!proc_is_alive(p) || !grant_peek(k, p, (unsigned)idx, &g))
            continue;
        const struct button_data *d = g.data;
        if (d->subscribe_map & (1u << button))
            kernel_schedule_upcall(k, p, (unsigned)idx, UPCALL_BUTTON, button, pressed ? 1 : 0, 0);
    }
}

const struct driver drv_button = {
    .num = KSIM_DRIVER_BUTTON,
    .name = "button",
    .upcalls = 1,
    .data_size = sizeof(struct button_data),
    .command = button_command,
};
