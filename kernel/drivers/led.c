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

static struct syscall_ret led_command(const struct driver_command *c)
{
    const struct hal *hal = c->k->hal;
    uint32_t led = c->arg0;

    switch (c->number) {
    case KSIM_LED_CMD_ON:
        hal->gpio->led_set(hal->ctx, led, true);
        return ret_success();
    case KSIM_LED_CMD_OFF:
        hal->gpio->led_set(hal->ctx, led, false);
        return ret_success();
    case KSIM_LED_CMD_TOGGLE:
        hal->gpio->led_set(hal->ctx, led, !hal->gpio->led_get(hal->ctx, led));
        return ret_success();
    default: /* KSIM_LED_CMD_READ */
        return ret_success_u32(hal->gpio->led_get(hal->ctx, led) ? 1 : 0);
    }
}

const struct driver drv_led = {
    .num = KSIM_DRIVER_LED,
    .name = "led",
    .command_count = KSIM_LED_CMD_COUNT,
    /* Every command but 0 names an LED: one the board lacks is INVAL, as in Tock. */
    .indexed_cmds = ~DRIVER_CMD(KSIM_LED_CMD_COUNT_LEDS),
    .instances = led_count,
    .exists_gives_count = true,
    .command = led_command,
};
