/*
 * ksim system-call ABI: the one header shared by the kernel and by apps.
 *
 * Numbers follow ../shared/ABI.md (Tock's TRD104). Freestanding: apps build
 * with no host libc and the kernel cross-compiles for Cortex-M and RV32.
 */
#ifndef KSIM_ABI_H
#define KSIM_ABI_H

#include <stdint.h>

/* The system-call entry handed to _start. regs[0..3] are r0..r3 in and out. */
typedef void (*ksim_gate_fn)(uint32_t syscall_class, uintptr_t regs[4]);

/* Entry point of every app, called on the process stack. */
typedef void (*ksim_entry_fn)(void *app_start, void *mem_start, uintptr_t mem_len,
                              void *app_heap_break, ksim_gate_fn gate);

/* An upcall, called from inside Yield-Wait or Yield-NoWait. */
typedef void (*ksim_upcall_fn)(int arg0, int arg1, int arg2, void *userdata);

enum ksim_syscall_class {
    KSIM_CLASS_YIELD = 0,
    KSIM_CLASS_SUBSCRIBE = 1,
    KSIM_CLASS_COMMAND = 2,
    KSIM_CLASS_ALLOW_RW = 3,
    KSIM_CLASS_ALLOW_RO = 4,
    KSIM_CLASS_MEMOP = 5,
    KSIM_CLASS_EXIT = 6,
    KSIM_CLASS_ALLOW_UR = 7,
};
#define KSIM_CLASS_COUNT 8

enum ksim_yield_type {
    KSIM_YIELD_NO_WAIT = 0,
    KSIM_YIELD_WAIT = 1,
    KSIM_YIELD_WAIT_FOR = 2,
};

enum ksim_exit_type {
    KSIM_EXIT_TERMINATE = 0,
    KSIM_EXIT_RESTART = 1,
};

/* Return variants, in r0. */
enum ksim_variant {
    KSIM_FAILURE = 0,
    KSIM_FAILURE_U32 = 1,
    KSIM_FAILURE_2_U32 = 2,
    KSIM_FAILURE_U64 = 3,
    KSIM_SUCCESS = 128,
    KSIM_SUCCESS_U32 = 129,
    KSIM_SUCCESS_2_U32 = 130,
    KSIM_SUCCESS_U64 = 131,
    KSIM_SUCCESS_3_U32 = 132,
    KSIM_SUCCESS_U32_U64 = 133,
};

/* Error codes, in r1 of a failure variant. */
enum ksim_error {
    KSIM_ERR_FAIL = 1,
    KSIM_ERR_BUSY = 2,
    KSIM_ERR_ALREADY = 3,
    KSIM_ERR_OFF = 4,
    KSIM_ERR_RESERVE = 5,
    KSIM_ERR_INVAL = 6,
    KSIM_ERR_SIZE = 7,
    KSIM_ERR_CANCEL = 8,
    KSIM_ERR_NOMEM = 9,
    KSIM_ERR_NOSUPPORT = 10,
    KSIM_ERR_NODEVICE = 11,
    KSIM_ERR_UNINSTALLED = 12,
    KSIM_ERR_NOACK = 13,
};

enum ksim_memop {
    KSIM_MEMOP_BRK = 0,
    KSIM_MEMOP_SBRK = 1,
    KSIM_MEMOP_RAM_START = 2,
    KSIM_MEMOP_RAM_END = 3,
    KSIM_MEMOP_IMAGE_START = 4,
    KSIM_MEMOP_IMAGE_END = 5,
    KSIM_MEMOP_GRANT_START = 6,
    KSIM_MEMOP_FLASH_REGIONS = 7,
    KSIM_MEMOP_FLASH_REGION_START = 8,
    KSIM_MEMOP_FLASH_REGION_END = 9,
    KSIM_MEMOP_SET_STACK_TOP = 10,
    KSIM_MEMOP_SET_HEAP_START = 11,
};

/*
 * Drivers: each driver's number (Tock's), then its command, subscribe and
 * allow numbers beside it, so the kernel and the app runtime use the same
 * ones. A *_COUNT is one past the highest number: the kernel answers a
 * number at or above it with NOSUPPORT. Command 0 of every driver is the
 * existence check.
 */

#define KSIM_DRIVER_ALARM 0x0u
enum ksim_alarm {
    KSIM_ALARM_CMD_FREQUENCY = 1,    /* -> Success u32: Hz */
    KSIM_ALARM_CMD_READ = 2,         /* -> Success u32: now, in ticks */
    KSIM_ALARM_CMD_STOP = 3,         /* Failure ALREADY when not armed */
    KSIM_ALARM_CMD_SET_RELATIVE = 5, /* (dt) -> Success u32: expiration */
    KSIM_ALARM_CMD_SET_ABSOLUTE = 6, /* (reference, dt) -> Success u32: expiration */
    KSIM_ALARM_CMD_COUNT = 7,        /* 4 was set-absolute before Tock 2.0: NOSUPPORT */
    KSIM_ALARM_UPCALL_FIRED = 0,     /* (now, expiration, 0) */
    KSIM_ALARM_UPCALL_COUNT = 1,
};

#define KSIM_DRIVER_CONSOLE 0x1u
enum ksim_console {
    KSIM_CONSOLE_CMD_WRITE = 1,      /* (len) of RO allow WRITE */
    KSIM_CONSOLE_CMD_READ = 2,       /* (len) into RW allow READ */
    KSIM_CONSOLE_CMD_ABORT_READ = 3, /* Failure ALREADY when no read is pending */
    KSIM_CONSOLE_CMD_COUNT = 4,
    KSIM_CONSOLE_UPCALL_WRITE = 1, /* (bytes written, 0, 0) */
    KSIM_CONSOLE_UPCALL_READ = 2,  /* (status, length, 0) */
    KSIM_CONSOLE_UPCALL_COUNT = 3,
    KSIM_CONSOLE_ALLOW_RO_WRITE = 1, /* bytes to write */
    KSIM_CONSOLE_ALLOW_RO_COUNT = 2,
    KSIM_CONSOLE_ALLOW_RW_READ = 1, /* read buffer */
    KSIM_CONSOLE_ALLOW_RW_COUNT = 2,
};

#define KSIM_DRIVER_LED 0x2u
enum ksim_led {
    KSIM_LED_CMD_COUNT_LEDS = 0, /* -> Success u32: the number of LEDs */
    KSIM_LED_CMD_ON = 1,         /* (led) */
    KSIM_LED_CMD_OFF = 2,        /* (led) */
    KSIM_LED_CMD_TOGGLE = 3,     /* (led) */
    KSIM_LED_CMD_READ = 4,       /* (led) -> Success u32: 1 on; ksim's, from ABI.md */
    KSIM_LED_CMD_COUNT = 5,
};

#define KSIM_DRIVER_BUTTON 0x3u
enum ksim_button {
    KSIM_BUTTON_CMD_COUNT_BUTTONS = 0,     /* -> Success u32: the number of buttons */
    KSIM_BUTTON_CMD_ENABLE_INTERRUPT = 1,  /* (button) */
    KSIM_BUTTON_CMD_DISABLE_INTERRUPT = 2, /* (button) */
    KSIM_BUTTON_CMD_READ = 3,              /* (button) -> Success u32: 1 pressed */
    KSIM_BUTTON_CMD_COUNT = 4,
    KSIM_BUTTON_UPCALL_CHANGED = 0, /* (button, pressed, 0) */
    KSIM_BUTTON_UPCALL_COUNT = 1,
};

#define KSIM_DRIVER_GPIO 0x4u
enum ksim_gpio {
    KSIM_GPIO_CMD_ENABLE_OUTPUT = 1,     /* (pin) */
    KSIM_GPIO_CMD_SET = 2,               /* (pin) */
    KSIM_GPIO_CMD_CLEAR = 3,             /* (pin) */
    KSIM_GPIO_CMD_TOGGLE = 4,            /* (pin) */
    KSIM_GPIO_CMD_ENABLE_INPUT = 5,      /* (pin, pull: 0 none, 1 up, 2 down) */
    KSIM_GPIO_CMD_READ = 6,              /* (pin) -> Success u32: the level */
    KSIM_GPIO_CMD_ENABLE_INTERRUPT = 7,  /* (pin, edge: 0 either, 1 rising, 2 falling) */
    KSIM_GPIO_CMD_DISABLE_INTERRUPT = 8, /* (pin); also disables the pin, as Tock */
    KSIM_GPIO_CMD_DISABLE = 9,           /* (pin) */
    KSIM_GPIO_CMD_COUNT_PINS = 10,       /* -> Success u32: the number of pins */
    KSIM_GPIO_CMD_COUNT = 11,
    KSIM_GPIO_UPCALL_INTERRUPT = 0, /* (pin, level, 0) */
    KSIM_GPIO_UPCALL_COUNT = 1,
};

#define KSIM_DRIVER_LOW_LEVEL_DEBUG 0x8u
enum ksim_low_level_debug {
    KSIM_LOW_LEVEL_DEBUG_CMD_ALERT = 1,  /* (code) */
    KSIM_LOW_LEVEL_DEBUG_CMD_PRINT1 = 2, /* (a) */
    KSIM_LOW_LEVEL_DEBUG_CMD_PRINT2 = 3, /* (a, b) */
    KSIM_LOW_LEVEL_DEBUG_CMD_COUNT = 4,
};

#define KSIM_DRIVER_IPC 0x10000u
enum ksim_ipc {
    KSIM_IPC_CMD_DISCOVER = 1,       /* name in RO allow SEARCH -> Success u32: its id */
    KSIM_IPC_CMD_NOTIFY_SERVICE = 2, /* (id): the service gets upcall <its own id> */
    KSIM_IPC_CMD_NOTIFY_CLIENT = 3,  /* (id): the client gets upcall <the caller's id> */
    KSIM_IPC_CMD_COUNT = 4,
    KSIM_IPC_MAX_PROCS = 64, /* ids 0..63: upcall n and RW allow n belong to process n */
    KSIM_IPC_UPCALL_COUNT = KSIM_IPC_MAX_PROCS,
    KSIM_IPC_ALLOW_RO_SEARCH = 0,
    KSIM_IPC_ALLOW_RO_COUNT = 1,
    KSIM_IPC_ALLOW_RW_COUNT = KSIM_IPC_MAX_PROCS,
};

#define KSIM_DRIVER_RNG 0x40001u
enum ksim_rng {
    KSIM_RNG_CMD_GET = 1, /* (n bytes) into RW allow BUFFER */
    KSIM_RNG_CMD_COUNT = 2,
    KSIM_RNG_UPCALL_DONE = 0, /* (0, bytes received, 0) */
    KSIM_RNG_UPCALL_COUNT = 1,
    KSIM_RNG_ALLOW_RW_BUFFER = 0,
    KSIM_RNG_ALLOW_RW_COUNT = 1,
};

#define KSIM_DRIVER_APP_FLASH 0x50000u
enum ksim_app_flash {
    KSIM_APP_FLASH_CMD_WRITE = 1, /* (flash address) <- RO allow BUFFER */
    KSIM_APP_FLASH_CMD_COUNT = 2,
    KSIM_APP_FLASH_UPCALL_DONE = 0, /* (0, 0, 0) */
    KSIM_APP_FLASH_UPCALL_COUNT = 1,
    KSIM_APP_FLASH_ALLOW_RO_BUFFER = 0,
    KSIM_APP_FLASH_ALLOW_RO_COUNT = 1,
};

/* Sensors: split-phase, a read command starts a reading and upcall 0 gives it. */
#define KSIM_DRIVER_TEMPERATURE 0x60000u
enum ksim_temperature {
    KSIM_TEMPERATURE_CMD_READ = 1, /* a read already under way is joined, as Tock */
    KSIM_TEMPERATURE_CMD_COUNT = 2,
    KSIM_TEMPERATURE_UPCALL_READING = 0, /* (hundredths of a degree Celsius, 0, 0) */
    KSIM_TEMPERATURE_UPCALL_COUNT = 1,
};

#define KSIM_DRIVER_HUMIDITY 0x60001u
enum ksim_humidity {
    KSIM_HUMIDITY_CMD_READ = 1, /* Failure BUSY while any read is under way, as Tock */
    KSIM_HUMIDITY_CMD_COUNT = 2,
    KSIM_HUMIDITY_UPCALL_READING = 0, /* (hundredths of a percent, 0, 0) */
    KSIM_HUMIDITY_UPCALL_COUNT = 1,
};

#define KSIM_DRIVER_AMBIENT_LIGHT 0x60002u
enum ksim_ambient_light {
    KSIM_AMBIENT_LIGHT_CMD_READ = 1, /* a read already under way is joined, as Tock */
    KSIM_AMBIENT_LIGHT_CMD_COUNT = 2,
    KSIM_AMBIENT_LIGHT_UPCALL_READING = 0, /* (lux, 0, 0) */
    KSIM_AMBIENT_LIGHT_UPCALL_COUNT = 1,
};

/* 9-DOF: one reading at a time for the whole board; others queue, one each. */
#define KSIM_DRIVER_NINEDOF 0x60004u
enum ksim_ninedof {
    KSIM_NINEDOF_CMD_ACCELEROMETER = 1,  /* -> upcall (x, y, z) in milli-g */
    KSIM_NINEDOF_CMD_MAGNETOMETER = 100, /* -> upcall (x, y, z) in microtesla */
    KSIM_NINEDOF_CMD_GYROSCOPE = 200,    /* -> upcall (x, y, z) in degrees per second */
    KSIM_NINEDOF_CMD_COUNT = 201,        /* every other number below it: NOSUPPORT */
    KSIM_NINEDOF_UPCALL_READING = 0,
    KSIM_NINEDOF_UPCALL_COUNT = 1,
};

#define KSIM_DRIVER_PROXIMITY 0x60005u
enum ksim_proximity {
    KSIM_PROXIMITY_CMD_READ = 1,         /* Failure BUSY while the caller's read is under way */
    KSIM_PROXIMITY_CMD_READ_OUTSIDE = 2, /* (lower, upper): when below lower or above upper */
    KSIM_PROXIMITY_CMD_COUNT = 3,
    KSIM_PROXIMITY_UPCALL_READING = 0, /* (0 far .. 255 near, 0, 0) */
    KSIM_PROXIMITY_UPCALL_COUNT = 1,
};

#define KSIM_DRIVER_SOUND_PRESSURE 0x60006u
enum ksim_sound_pressure {
    KSIM_SOUND_PRESSURE_CMD_READ = 1, /* Failure BUSY while any read is under way, as Tock */
    KSIM_SOUND_PRESSURE_CMD_ENABLE = 2,
    KSIM_SOUND_PRESSURE_CMD_DISABLE = 3,
    KSIM_SOUND_PRESSURE_CMD_COUNT = 4,
    KSIM_SOUND_PRESSURE_UPCALL_READING = 0, /* (decibels, 0, 0) */
    KSIM_SOUND_PRESSURE_UPCALL_COUNT = 1,
};

#define KSIM_DRIVER_AIR_QUALITY 0x60007u
enum ksim_air_quality {
    KSIM_AIR_QUALITY_CMD_ENVIRONMENT = 1, /* Tock's capsule has it as a TODO: NOSUPPORT */
    KSIM_AIR_QUALITY_CMD_READ_CO2 = 2,    /* Failure BUSY while any read is under way, as Tock */
    KSIM_AIR_QUALITY_CMD_READ_TVOC = 3,
    KSIM_AIR_QUALITY_CMD_COUNT = 4,
    KSIM_AIR_QUALITY_UPCALL_READING = 0, /* (CO2 in ppm, or TVOC in ppb, 0, 0) */
    KSIM_AIR_QUALITY_UPCALL_COUNT = 1,
};

/* Moisture and rainfall report a status first, as Tock's capsules. */
#define KSIM_DRIVER_MOISTURE 0x6000Au
enum ksim_moisture {
    KSIM_MOISTURE_CMD_READ = 1, /* a read already under way is joined, as Tock */
    KSIM_MOISTURE_CMD_COUNT = 2,
    KSIM_MOISTURE_UPCALL_READING = 0, /* (0, hundredths of a percent, 0) */
    KSIM_MOISTURE_UPCALL_COUNT = 1,
};

#define KSIM_DRIVER_RAINFALL 0x6000Bu
enum ksim_rainfall {
    KSIM_RAINFALL_CMD_READ = 1, /* (hours); a read already under way is joined, as Tock */
    KSIM_RAINFALL_CMD_COUNT = 2,
    KSIM_RAINFALL_UPCALL_READING = 0, /* (0, micrometres of rain, 0) */
    KSIM_RAINFALL_UPCALL_COUNT = 1,
};

#endif /* KSIM_ABI_H */
