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

#define BUTTON_MAX 32 /* one bit per button in the map, as Tock's u32 */

struct button_data {
    uint32_t subscribe_map; /* bit n: this process wants button n's interrupts */
};

static unsigned button_count(const struct kernel *k)
{
    const struct hal *hal = k->hal;
    unsigned n = hal->gpio ? hal->gpio->button_count(hal->ctx) : 0;
    return n > BUTTON_MAX ? BUTTON_MAX : n;
}

static struct syscall_ret button_command(const struct driver_command *c)
{
    const struct hal *hal = c->k->hal;
    struct button_data *d = c->grant.data; /* enable and disable only */
    uint32_t button = c->arg0;

    switch (c->number) {
    case KSIM_BUTTON_CMD_ENABLE_INTERRUPT:
        d->subscribe_map |= 1u << button;
        return ret_success();
    case KSIM_BUTTON_CMD_DISABLE_INTERRUPT:
        d->subscribe_map &= ~(1u << button);
        return ret_success();
    default: /* KSIM_BUTTON_CMD_READ */
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
            kernel_schedule_upcall(k, p, (unsigned)idx, KSIM_BUTTON_UPCALL_CHANGED, button,
                                   pressed ? 1 : 0, 0);
    }
}

const struct driver drv_button = {
    .num = KSIM_DRIVER_BUTTON,
    .name = "button",
    .command_count = KSIM_BUTTON_CMD_COUNT,
    .upcalls = KSIM_BUTTON_UPCALL_COUNT,
    .data_size = sizeof(struct button_data),
    /* Reading a button needs no per-process state; its interrupts do. */
    .grant_cmds = DRIVER_CMD(KSIM_BUTTON_CMD_ENABLE_INTERRUPT) |
                  DRIVER_CMD(KSIM_BUTTON_CMD_DISABLE_INTERRUPT),
    .indexed_cmds = DRIVER_CMD(KSIM_BUTTON_CMD_ENABLE_INTERRUPT) |
                    DRIVER_CMD(KSIM_BUTTON_CMD_DISABLE_INTERRUPT) |
                    DRIVER_CMD(KSIM_BUTTON_CMD_READ),
    .instances = button_count,
    .exists_gives_count = true,
    .command = button_command,
};
