/*
 * What Tock's simple sensor capsules (temperature, humidity, ...) share: a
 * read starts one split-phase reading on the board's sensor, and when its
 * value arrives every process that asked gets upcall 0 with (value, 0, 0).
 * The capsules differ only in what a read does while another is under way.
 */
#ifndef KSIM_KERNEL_DRIVERS_SENSOR_H
#define KSIM_KERNEL_DRIVERS_SENSOR_H

#include "driver.h"
#include "hal.h"

/* Upcall 0 carries the reading in every sensor driver. */
#define SENSOR_UPCALL_READING 0
_Static_assert(KSIM_TEMPERATURE_UPCALL_READING == SENSOR_UPCALL_READING &&
                   KSIM_HUMIDITY_UPCALL_READING == SENSOR_UPCALL_READING,
               "every sensor reports on upcall 0");

/* Per-process state of a sensor driver, in its grant. */
struct sensor_data {
    uint32_t waiting; /* this process asked for the reading under way */
};

enum sensor_while_busy {
    SENSOR_JOIN_READ, /* Success: the caller gets the reading under way (temperature) */
    SENSOR_BUSY,      /* Failure BUSY (humidity) */
};

/* Command 1 (read) of a sensor driver; c->grant is entered. */
struct syscall_ret sensor_read(const struct driver_command *c, enum hal_sensor_kind kind,
                               enum sensor_while_busy while_busy);

#endif /* KSIM_KERNEL_DRIVERS_SENSOR_H */
