/* Low-level debug driver (0x8), as Tock's: alert codes and numbers to the debug output. */
#include "driver.h"

#include "err.h"
#include "kernel.h"

static struct syscall_ret lld_command(struct kernel *k, struct proc *p, unsigned idx, uint32_t cmd,
                                      uint32_t arg0, uint32_t arg1)
{
    const struct hal *hal = k->hal;
    (void)idx;
    switch (cmd) {
    case 0:
        return ret_success();
    case 1:
        hal->debug->low_level_debug(hal->ctx, p->id, HAL_DEBUG_ALERT, arg0, 0);
        return ret_success();
    case 2:
        hal->debug->low_level_debug(hal->ctx, p->id, HAL_DEBUG_PRINT1, arg0, 0);
        return ret_success();
    case 3:
        hal->debug->low_level_debug(hal->ctx, p->id, HAL_DEBUG_PRINT2, arg0, arg1);
        return ret_success();
    default:
        return ret_failure(KS_ENOSUPPORT);
    }
}

const struct driver drv_low_level_debug = {
    .num = KSIM_DRIVER_LOW_LEVEL_DEBUG,
    .name = "low_level_debug",
    .command = lld_command,
};
