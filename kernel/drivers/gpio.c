/*
 * GPIO driver (0x4), as Tock's capsules/core/src/gpio.rs. Argument 0 is the
 * pin, argument 1 the pull or interrupt setting:
 *
 *   0 exists          1 enable output    2 set              3 clear
 *   4 toggle          5 enable input (pull: 0 none, 1 up, 2 down)
 *   6 read (Success with u32)            7 enable interrupt (0 either edge,
 *   1 rising, 2 falling)                 8 disable interrupt (and the pin)
 *   9 disable pin     10 pin count (Success with u32)
 *
 * A pin the board lacks is INVAL, an unknown setting NOSUPPORT. Subscribe 0
 * gets (pin, level, 0) for an interrupt, in every process that subscribed.
 * The pins are shared by every process, as in Tock.
 */
#include "driver.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"

static unsigned pin_count(const struct kernel *k)
{
    const struct hal *hal = k->hal;
    return hal->gpio ? hal->gpio->pin_count(hal->ctx) : 0;
}

/* An unknown pull changes nothing (Tock makes the pin an input first; docs/drivers.md). */
static struct syscall_ret enable_input(const struct hal *hal, uint32_t pin, uint32_t pull)
{
    static const enum hal_pin_pull pulls[] = {HAL_PULL_NONE, HAL_PULL_UP, HAL_PULL_DOWN};
    if (pull >= sizeof(pulls) / sizeof(pulls[0]))
        return ret_failure(KS_ENOSUPPORT);
    hal->gpio->pin_configure(hal->ctx, pin, HAL_PIN_INPUT, pulls[pull]);
    return ret_success();
}

static struct syscall_ret enable_interrupt(const struct hal *hal, uint32_t pin, uint32_t edge)
{
    static const enum hal_pin_irq edges[] = {HAL_IRQ_EITHER, HAL_IRQ_RISING, HAL_IRQ_FALLING};
    if (edge >= sizeof(edges) / sizeof(edges[0]))
        return ret_failure(KS_ENOSUPPORT);
    hal->gpio->pin_set_irq(hal->ctx, pin, edges[edge]);
    return ret_success();
}

static struct syscall_ret gpio_command(const struct driver_command *c)
{
    const struct hal *hal = c->k->hal;
    const struct hal_gpio_ops *g = hal->gpio;
    uint32_t pin = c->arg0;

    switch (c->number) {
    case KSIM_GPIO_CMD_ENABLE_OUTPUT:
        g->pin_configure(hal->ctx, pin, HAL_PIN_OUTPUT, HAL_PULL_NONE);
        return ret_success();
    case KSIM_GPIO_CMD_SET:
        g->pin_write(hal->ctx, pin, true);
        return ret_success();
    case KSIM_GPIO_CMD_CLEAR:
        g->pin_write(hal->ctx, pin, false);
        return ret_success();
    case KSIM_GPIO_CMD_TOGGLE:
        g->pin_write(hal->ctx, pin, !g->pin_read(hal->ctx, pin));
        return ret_success();
    case KSIM_GPIO_CMD_ENABLE_INPUT:
        return enable_input(hal, pin, c->arg1);
    case KSIM_GPIO_CMD_READ:
        return ret_success_u32(g->pin_read(hal->ctx, pin) ? 1 : 0);
    case KSIM_GPIO_CMD_ENABLE_INTERRUPT:
        return enable_interrupt(hal, pin, c->arg1);
    case KSIM_GPIO_CMD_DISABLE_INTERRUPT: /* as Tock: also puts the pin in low power */
        g->pin_set_irq(hal->ctx, pin, HAL_IRQ_NONE);
        g->pin_configure(hal->ctx, pin, HAL_PIN_DISABLED, HAL_PULL_NONE);
        return ret_success();
    case KSIM_GPIO_CMD_DISABLE:
        g->pin_configure(hal->ctx, pin, HAL_PIN_DISABLED, HAL_PULL_NONE);
        return ret_success();
    default: /* KSIM_GPIO_CMD_COUNT_PINS */
        return ret_success_u32(pin_count(c->k));
    }
}

void kernel_gpio_changed(struct kernel *k, unsigned pin, bool high)
{
    int idx = kernel_driver_index(k, KSIM_DRIVER_GPIO);
    if (idx < 0 || pin >= pin_count(k))
        return;
    /* Like Tock's grant `each`: every process that has the driver's grant. */
    for (unsigned s = 0; s < k->nprocs; s++) {
        struct proc *p = &k->procs[s];
        struct grant_view g;
        if (proc_is_alive(p) && grant_peek(k, p, (unsigned)idx, &g))
            kernel_schedule_upcall(k, p, (unsigned)idx, KSIM_GPIO_UPCALL_INTERRUPT, pin,
                                   high ? 1 : 0, 0);
    }
}

const struct driver drv_gpio = {
    .num = KSIM_DRIVER_GPIO,
    .name = "gpio",
    .command_count = KSIM_GPIO_CMD_COUNT,
    .upcalls = KSIM_GPIO_UPCALL_COUNT,
    /* Every command but 0 and the pin count names a pin: "impossible pin" INVAL, as Tock. */
    .indexed_cmds = ~(DRIVER_CMD(0) | DRIVER_CMD(KSIM_GPIO_CMD_COUNT_PINS)),
    .instances = pin_count,
    .command = gpio_command,
};
