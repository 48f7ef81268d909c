/*
 * The driver (capsule) interface: what a driver declares (its number, how
 * many upcalls and allows it has, its per-process state size) and its
 * Command handler. Subscribe and Allow are handled by the kernel for it.
 */
#ifndef KSIM_KERNEL_DRIVER_H
#define KSIM_KERNEL_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "syscall.h"

struct kernel;
struct proc;

struct driver {
    uint32_t num;
    const char *name;
    uint8_t upcalls;    /* subscribe numbers 0..upcalls-1 */
    uint8_t allow_ro;   /* Read-Only Allow numbers */
    uint8_t allow_rw;   /* Read-Write Allow numbers */
    uint8_t allow_ur;   /* Userspace-Readable Allow numbers */
    uint16_t data_size; /* per-process driver state, in the grant */
    /* Command; idx is the driver's index in the kernel (its grant slot). */
    struct syscall_ret (*command)(struct kernel *k, struct proc *p, unsigned idx, uint32_t cmd,
                                  uint32_t arg0, uint32_t arg1);
};

extern const struct driver drv_alarm;
extern const struct driver drv_console;
extern const struct driver drv_low_level_debug;
extern const struct driver drv_led;
extern const struct driver drv_button;
extern const struct driver drv_gpio;
extern const struct driver drv_rng;
extern const struct driver drv_ipc;
extern const struct driver drv_app_flash;

#endif /* KSIM_KERNEL_DRIVER_H */
