/* Low-level debug driver (0x8), as Tock's: alert codes and numbers to the debug output. */
#include "driver.h"

#include "err.h"
#include "kernel.h"

static struct syscall_ret lld_command(const struct driver_command *c)
{
    static const enum hal_debug_kind kinds[] = {
        [KSIM_LOW_LEVEL_DEBUG_CMD_ALERT] = HAL_DEBUG_ALERT,
        [KSIM_LOW_LEVEL_DEBUG_CMD_PRINT1] = HAL_DEBUG_PRINT1,
        [KSIM_LOW_LEVEL_DEBUG_CMD_PRINT2] = HAL_DEBUG_PRINT2,
    };
    const struct hal *hal = c->k->hal;
    /* Only the two-number print passes its second argument on. */
    uint32_t b = c->number == KSIM_LOW_LEVEL_DEBUG_CMD_PRINT2 ? c->arg1 : 0;
    hal->debug->low_level_debug(hal->ctx, c->p->id, kinds[c->number], c->arg0, b);
    return ret_success();
}

const struct driver drv_low_level_debug = {
    .num = KSIM_DRIVER_LOW_LEVEL_DEBUG,
    .name = "low_level_debug",
    .command_count = KSIM_LOW_LEVEL_DEBUG_CMD_COUNT,
    .command = lld_command,
};
