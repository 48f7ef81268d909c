/*
 * The driver (capsule) framework. A driver is one const struct driver: its
 * number, how many commands, upcalls and allows it has, what its commands
 * need, and its Command handler. syscall.c answers everything the table
 * says (a missing driver, command 0, a number out of range, an index the
 * board lacks, no room for the grant) before a handler runs, and handles
 * Subscribe and Allow for every driver through grant.c. The drivers
 * themselves are in kernel/drivers/, one file per Tock capsule.
 */
#ifndef KSIM_KERNEL_DRIVER_H
#define KSIM_KERNEL_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grant.h"
#include "syscall.h"

struct kernel;
struct proc;

/* Bit n stands for command n in the command masks below. */
#define DRIVER_CMD(n) (1u << (n))

/* A command that passed the table's checks, as its handler gets it. */
struct driver_command {
    struct kernel *k;
    struct proc *p;
    unsigned idx;            /* the driver's index: its grant slot, the source of its upcalls */
    struct grant_view grant; /* the caller's grant, entered when the command is in grant_cmds */
    uint32_t number;         /* 1 .. command_count - 1, or one of command_numbers */
    uint32_t arg0, arg1;
};

struct driver {
    uint32_t num;
    const char *name;
    uint8_t command_count; /* commands 0..command_count-1 exist; at most 32 */
    /* Sparse command numbers (ninedof's 1, 100, 200): when set, the driver's
     * commands are these command_count numbers, ascending from 0, every
     * other number answers NOSUPPORT, and bit n of the masks below stands
     * for command_numbers[n]. */
    const uint16_t *command_numbers;
    uint8_t upcalls;    /* subscribe numbers 0..upcalls-1 */
    uint8_t allow_ro;   /* Read-Only Allow numbers */
    uint8_t allow_rw;   /* Read-Write Allow numbers */
    uint8_t allow_ur;   /* Userspace-Readable Allow numbers */
    uint16_t data_size; /* per-process driver state, in the grant */
    /* Commands that run inside the caller's grant: the kernel enters it
     * first (allocating it on first use) and answers NOMEM if it cannot. */
    uint32_t grant_cmds;
    /* Commands whose argument 0 is an index below instances(): INVAL
     * otherwise, checked before the grant, as Tock's LED, button and GPIO. */
    uint32_t indexed_cmds;
    /* How many LEDs, buttons or pins the board has (NULL: not indexed). */
    unsigned (*instances)(const struct kernel *k);
    /* Command 0 answers Success u32 with instances() (LED, button), not Success. */
    bool exists_gives_count;
    /* Commands 1..command_count-1; the checks above have passed. */
    struct syscall_ret (*command)(const struct driver_command *c);
};

/* How many allow numbers of this kind d has. */
static inline unsigned driver_allow_count(const struct driver *d, enum grant_allow_kind kind)
{
    return kind == GRANT_ALLOW_RO   ? d->allow_ro
           : kind == GRANT_ALLOW_RW ? d->allow_rw
                                    : d->allow_ur;
}

/*
 * Installs d as k's next driver, whose index (grant slot) it returns.
 * Numbers must ascend, so that kernel_driver_index is a binary search:
 * -KS_EINVAL for a number not above the last one's, a full table, or more
 * than 32 commands, or a sparse command list that does not ascend from 0.
 */
int kernel_add_driver(struct kernel *k, const struct driver *d);

/* Looks up a driver by number, in O(log n): its index, or -1. */
int kernel_driver_index(const struct kernel *k, uint32_t num);

extern const struct driver drv_alarm;
extern const struct driver drv_console;
extern const struct driver drv_low_level_debug;
extern const struct driver drv_led;
extern const struct driver drv_button;
extern const struct driver drv_gpio;
extern const struct driver drv_rng;
extern const struct driver drv_ipc;
extern const struct driver drv_app_flash;
extern const struct driver drv_temperature;
extern const struct driver drv_humidity;
extern const struct driver drv_ambient_light;
extern const struct driver drv_ninedof;
extern const struct driver drv_proximity;
extern const struct driver drv_sound_pressure;
extern const struct driver drv_air_quality;
extern const struct driver drv_moisture;
extern const struct driver drv_rainfall;

#endif /* KSIM_KERNEL_DRIVER_H */
