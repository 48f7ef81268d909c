/*
 * What Tock's simple sensor capsules (temperature, humidity, ambient light,
 * sound pressure, air quality, moisture, rainfall) share: a read starts one split-phase
 * reading on the board's sensor, and when its value arrives every process
 * that asked gets upcall 0. The capsules differ in what a read does while
 * another is under way, and in where the value sits in the upcall. Ninedof
 * and proximity queue their readings their own way (ninedof.c,
 * proximity.c); kernel_sensor_reading hands them theirs.
 */
#ifndef KSIM_KERNEL_DRIVERS_SENSOR_H
#define KSIM_KERNEL_DRIVERS_SENSOR_H

#include "driver.h"
#include "hal.h"

/* Upcall 0 carries the reading in every sensor driver. */
#define SENSOR_UPCALL_READING 0
_Static_assert(KSIM_TEMPERATURE_UPCALL_READING == SENSOR_UPCALL_READING &&
                   KSIM_HUMIDITY_UPCALL_READING == SENSOR_UPCALL_READING &&
                   KSIM_AMBIENT_LIGHT_UPCALL_READING == SENSOR_UPCALL_READING &&
                   KSIM_NINEDOF_UPCALL_READING == SENSOR_UPCALL_READING &&
                   KSIM_PROXIMITY_UPCALL_READING == SENSOR_UPCALL_READING &&
                   KSIM_SOUND_PRESSURE_UPCALL_READING == SENSOR_UPCALL_READING &&
                   KSIM_AIR_QUALITY_UPCALL_READING == SENSOR_UPCALL_READING &&
                   KSIM_MOISTURE_UPCALL_READING == SENSOR_UPCALL_READING &&
                   KSIM_RAINFALL_UPCALL_READING == SENSOR_UPCALL_READING,
               "every sensor reports on upcall 0");

/* Per-process state of a simple sensor driver, in its grant. */
struct sensor_data {
    uint32_t waiting; /* this process asked for the reading under way */
    uint32_t enabled; /* sound pressure: this process enabled the sensor */
};

enum sensor_while_busy {
    SENSOR_JOIN_READ, /* Success: the caller gets the reading under way (temperature) */
    SENSOR_BUSY,      /* Failure BUSY (humidity) */
};

/* Command 1 (read) of a simple sensor driver; c->grant is entered. */
struct syscall_ret sensor_read(const struct driver_command *c, enum hal_sensor_kind kind,
                               enum sensor_while_busy while_busy);

/* A reading for the ninedof (accelerometer, magnetometer, gyroscope) or the
 * proximity driver arrived. */
void ninedof_reading(struct kernel *k, enum hal_sensor_kind kind, struct hal_sensor_reading r);
void proximity_reading(struct kernel *k, int32_t value);

#endif /* KSIM_KERNEL_DRIVERS_SENSOR_H */
