/*
 * LED driver (0x2), as Tock's capsules/core/src/led.rs: command 0 gives the
 * count (Success with u32, as Tock's stable driver does), 1..3 switch an
 * LED on, off or over. Command 4 (read) is ksim's addition from ABI.md;
 * Tock's driver has no command 4. The LEDs are shared by every process and
 * need no per-process state.
 */
#include "driver.h"

#include "err.h"
#include "kernel.h"

static unsigned led_count(const struct kernel *k)
{
    const struct hal *hal = k->hal;
    return hal->gpio ? hal->gpio->led_count(hal->ctx) : 0;
}

static struct syscall_ret led_command(struct kernel *k, struct proc *p, unsigned idx, uint32_t cmd,
                                      uint32_t led, uint32_t arg1)
{
    const struct hal *hal = k->hal;
    (void)p;
    (void)idx;
    (void)arg1;
    if (cmd == 0)
        return ret_success_u32(led_count(k));
    if (cmd > 4)
        return ret_failure(KS_ENOSUPPORT);
    /* Every other command names an LED: one the board lacks is INVAL, as in Tock. */
    if (led >= led_count(k))
        return ret_failure(KS_EINVAL);
    switch (cmd) {
    case 1:
        hal->gpio->led_set(hal->ctx, led, true);
        return ret_success();
    case 2:
        hal->gpio->led_set(hal->ctx, led, false);
        return ret_success();
    case 3:
        hal->gpio->led_set(hal->ctx, led, !hal->gpio->led_get(hal->ctx, led));
        return ret_success();
    default: /* 4: read */
        return ret_success_u32(hal->gpio->led_get(hal->ctx, led) ? 1 : 0);
    }
}

const struct driver drv_led = {
    .num = KSIM_DRIVER_LED,
    .name = "led",
    .command = led_command,
};
