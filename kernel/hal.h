/*
 * The hardware abstraction the portable kernel runs on: const ops tables over
 * opaque HAL state. kernel/ calls the host (or a chip) only through these.
 * hal-stub/ implements them on Linux; unit tests implement a fake.
 *
 * Conventions: functions returning int give 0 or -KS_E*; an op that fails
 * changes nothing. Board addresses are uintptr_t.
 */
#ifndef KSIM_KERNEL_HAL_H
#define KSIM_KERNEL_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h" /* the -KS_E* codes the operations below return */

struct kernel;

enum hal_access {
    HAL_ACCESS_READ = 1,
    HAL_ACCESS_WRITE = 2,
    HAL_ACCESS_EXEC = 4,
};

/*
 * A process memory block, as planned by the MPU model (ABI.md draws it):
 * [start, stack_end) stack | image | data+bss | heap up to brk | free |
 * [grant_start, end) grant. All boundaries are board addresses.
 */
#define HAL_SHARES_MAX 4

/* Memory of another process this one may also read and write (IPC). */
struct hal_share {
    uintptr_t start, len;
};

struct hal_block {
    uintptr_t start, end;
    uintptr_t stack_start, stack_end;
    uintptr_t image_start, image_end;
    uintptr_t data_start, data_end; /* data and bss, at their linked offsets */
    uintptr_t brk;
    uintptr_t grant_start;
    /* Extra regions, as Tock's add_mpu_region gives an IPC service its client's buffer. */
    struct hal_share shares[HAL_SHARES_MAX];
    unsigned nshares;
    /* The app's TBF in board flash, readable by the process (never writable:
     * stores go through the app flash driver). Both 0: not booted from flash. */
    uintptr_t flash_start, flash_end;
};

/* What a process needs; the model pads it to what its hardware can express. */
struct hal_block_req {
    size_t stack_size;
    size_t image_size;  /* code and read-only data, from image_start */
    size_t data_offset; /* linked distance from image_start to data_start */
    size_t data_size;   /* data + bss */
    size_t heap_size;   /* room above bss for the heap */
    size_t grant_size;
    size_t image_align; /* the ELF's largest segment alignment */
};

struct hal_mpu_ops {
    /* Plans a block inside [free_start, free_end): fills *out. 0 or -KS_ENOMEM. */
    int (*plan_block)(void *hal, uintptr_t free_start, uintptr_t free_end,
                      const struct hal_block_req *req, struct hal_block *out);
    /* Moves the break of the block of process slot; applies protections if it
     * is active. 0, or -KS_ENOMEM if the model cannot express it. */
    int (*set_brk)(void *hal, unsigned slot, struct hal_block *b, uintptr_t new_brk);
    /* Makes slot's regions the accessible ones (a context switch). */
    void (*activate)(void *hal, unsigned slot, const struct hal_block *b);
    /* The block no longer belongs to a process: nothing of it is accessible. */
    void (*release)(void *hal, unsigned slot, const struct hal_block *b);
    /* Lets slot also read and write [start, start + len), one more region (in
     * b->shares); applied at once if slot is active. 0 (also when already
     * shared), -KS_EINVAL for an empty or wrapping range, -KS_ENOMEM when the
     * model has no region left for it or cannot express it. */
    int (*share)(void *hal, unsigned slot, struct hal_block *b, uintptr_t start, uintptr_t len);
    /* Drops b's shares that overlap [lo, hi): that memory changes hands. */
    void (*unshare)(void *hal, unsigned slot, struct hal_block *b, uintptr_t lo, uintptr_t hi);
};

/* Why a process stopped running. */
enum hal_stop_kind {
    HAL_STOP_SYSCALL = 0,  /* called the gate: class and regs are valid */
    HAL_STOP_FAULT = 1,    /* fault is valid */
    HAL_STOP_RETURNED = 2, /* returned from its entry point */
    HAL_STOP_PREEMPTED = 3,
};

enum hal_fault_kind {
    HAL_FAULT_MEMORY = 0,       /* SIGSEGV/SIGBUS: addr and access are valid */
    HAL_FAULT_ILLEGAL = 1,      /* undefined instruction */
    HAL_FAULT_ARITH = 2,        /* divide by zero and friends */
    HAL_FAULT_TRAP = 3,         /* breakpoint */
    HAL_FAULT_BAD_GATE = 4,     /* gate called with registers outside the process */
    HAL_FAULT_SYSCALL = 5,      /* kernel-detected: unknown class or yield type */
    HAL_FAULT_HOST_SYSCALL = 6, /* a host system call made directly by app code */
    HAL_FAULT_FORCED = 7,       /* forced from outside (the process console's `fault`) */
    HAL_FAULT_HOST_PROCESS = 8, /* --isolation process: the app's host process died or lied */
};

struct hal_fault {
    enum hal_fault_kind kind;
    int signo;      /* host signal, 0 when kernel-detected */
    uintptr_t addr; /* faulting data address, when known */
    uintptr_t pc;
    unsigned access; /* enum hal_access bits, 0 when unknown */
    uint32_t syscall_class;
    uintptr_t regs[4]; /* r0..r3 of a bad system call */
    uintptr_t sp;
    uintptr_t gpr[16]; /* general registers at the fault, in the host's order */
    unsigned ngpr;
};

struct hal_stop {
    enum hal_stop_kind kind;
    uint32_t syscall_class;
    uintptr_t regs[4];
    struct hal_fault fault;
};

struct hal_proc_ops {
    /* Prepares slot to call entry(args..., gate) on a fresh stack whose top
     * is stack_top. The previous context of the slot, if any, is dropped. */
    int (*start)(void *hal, unsigned slot, uintptr_t entry, uintptr_t stack_lo, uintptr_t stack_top,
                 const uintptr_t args[4]);
    /* The registers the interrupted system call returns. */
    void (*set_return)(void *hal, unsigned slot, const uintptr_t regs[4]);
    /* Before the pending system call returns, call fn(args[0..2], args[3]). */
    void (*push_upcall)(void *hal, unsigned slot, uintptr_t fn, const uintptr_t args[4]);
    /* Runs slot until it stops; fills *stop. */
    void (*run)(void *hal, unsigned slot, struct hal_stop *stop);
    /* The process is gone: forget its context. */
    void (*discard)(void *hal, unsigned slot);
};

struct hal_alarm_ops {
    uint32_t (*frequency)(void *hal);  /* ticks per second */
    unsigned (*width_bits)(void *hal); /* the counter wraps at 2^width */
    uint32_t (*now)(void *hal);
    /* Fire when now leaves [reference, reference + dt). */
    void (*set_alarm)(void *hal, uint32_t reference, uint32_t dt);
    void (*disarm)(void *hal);
};

struct hal_console_ops {
    /* Starts writing len bytes (copied now). 0 or -KS_EBUSY. Completion:
     * kernel_console_write_done. */
    int (*write)(void *hal, const uint8_t *buf, size_t len);
    /* Starts receiving exactly len bytes into buf (kept until done).
     * Completion: kernel_console_read_done. 0 or -KS_EBUSY. */
    int (*read)(void *hal, uint8_t *buf, size_t len);
    /* Completes a pending read now with what has arrived, status CANCEL. */
    void (*abort_read)(void *hal);
};

/* Low-level debug output (driver 0x8): the HAL formats and prints. */
enum hal_debug_kind {
    HAL_DEBUG_ALERT = 1,
    HAL_DEBUG_PRINT1 = 2,
    HAL_DEBUG_PRINT2 = 3,
};
struct hal_debug_ops {
    void (*low_level_debug)(void *hal, uint32_t proc_id, enum hal_debug_kind kind, uint32_t a,
                            uint32_t b);
};

/*
 * The board's LEDs, buttons and general-purpose pins (drivers 0x2, 0x3,
 * 0x4). The HAL holds their state, as the hardware's registers would, and
 * shows every LED or output change (ksim: a line on stderr, later a trace
 * event). Indexes are below the matching count; ops given a bad index do
 * nothing (reads give false). Input changes arrive as interrupts, through
 * kernel_button_changed and kernel_gpio_changed.
 */
enum hal_pin_mode {
    HAL_PIN_DISABLED = 0, /* low power: reads 0, no interrupts */
    HAL_PIN_OUTPUT = 1,
    HAL_PIN_INPUT = 2,
};
enum hal_pin_pull {
    HAL_PULL_NONE = 0, /* an undriven input reads 0 */
    HAL_PULL_UP = 1,
    HAL_PULL_DOWN = 2,
};
enum hal_pin_irq {
    HAL_IRQ_NONE = 0,
    HAL_IRQ_EITHER = 1,
    HAL_IRQ_RISING = 2,
    HAL_IRQ_FALLING = 3,
};
struct hal_gpio_ops {
    unsigned (*led_count)(void *hal);
    void (*led_set)(void *hal, unsigned led, bool on);
    bool (*led_get)(void *hal, unsigned led);
    unsigned (*button_count)(void *hal);
    /* Pressed now? (Active level already applied.) */
    bool (*button_read)(void *hal, unsigned button);
    unsigned (*pin_count)(void *hal);
    /* Sets the mode (and pull, for an input); an output keeps its level. */
    void (*pin_configure)(void *hal, unsigned pin, enum hal_pin_mode mode, enum hal_pin_pull pull);
    /* Drives an output pin's level (remembered for any mode, shown when it is an output). */
    void (*pin_write)(void *hal, unsigned pin, bool high);
    /* The level: an output's driven level, an input's outside or pulled level. */
    bool (*pin_read)(void *hal, unsigned pin);
    /* Which input edges interrupt (kernel_gpio_changed). */
    void (*pin_set_irq)(void *hal, unsigned pin, enum hal_pin_irq irq);
};

/* A random-number source (driver 0x40001); ksim's is seeded and repeatable. */
struct hal_rng_ops {
    /* Fills buf with len random bytes, synchronously. */
    void (*fill)(void *hal, uint8_t *buf, size_t len);
};

/*
 * Sensors (drivers 0x60000 .. 0x6000B), split-phase as Tock's sensor HILs:
 * a read starts now, its value arrives later through kernel_sensor_reading.
 * Where the value comes from is the HAL's business. Each kind is one sensor
 * of the board; a reading carries up to three values (a 9-DOF axis triple).
 */
enum hal_sensor_kind {
    HAL_SENSOR_TEMPERATURE = 0,    /* hundredths of a degree Celsius */
    HAL_SENSOR_HUMIDITY = 1,       /* hundredths of a percent of relative humidity */
    HAL_SENSOR_AMBIENT_LIGHT = 2,  /* lux */
    HAL_SENSOR_ACCELEROMETER = 3,  /* x, y, z in milli-g */
    HAL_SENSOR_MAGNETOMETER = 4,   /* x, y, z in microtesla */
    HAL_SENSOR_GYROSCOPE = 5,      /* x, y, z in degrees per second */
    HAL_SENSOR_PROXIMITY = 6,      /* 0 (nothing near) .. 255 (touching) */
    HAL_SENSOR_SOUND_PRESSURE = 7, /* decibels, 0 .. 255 */
    HAL_SENSOR_MOISTURE = 8,       /* hundredths of a percent */
    HAL_SENSOR_RAINFALL = 9,       /* micrometres of rain */
    HAL_SENSOR_CO2 = 10,           /* parts per million of carbon dioxide */
    HAL_SENSOR_TVOC = 11,          /* parts per billion of volatile organic compounds */
};
#define HAL_SENSOR_KINDS      12
#define HAL_SENSOR_MAX_VALUES 3
struct hal_sensor_reading {
    int32_t v[HAL_SENSOR_MAX_VALUES]; /* kinds with one value use v[0] */
};
struct hal_sensor_ops {
    /* Starts one reading of kind. 0, or -KS_EBUSY while one of that kind is
     * under way, -KS_ENODEVICE for a sensor the board lacks. A read replaces
     * a read_outside that is still waiting. */
    int (*read)(void *hal, enum hal_sensor_kind kind);
    /* Starts a reading that completes only once the value is below lower or
     * above upper (a threshold interrupt, as the proximity HIL's
     * read_proximity_on_interrupt); a later call sets new thresholds. NULL:
     * the HAL has no threshold interrupts (the driver answers NOSUPPORT). */
    int (*read_outside)(void *hal, enum hal_sensor_kind kind, int32_t lower, int32_t upper);
};

struct hal_chip_ops {
    /* Calls the kernel_*_done/fired entry points for events that arrived. */
    void (*service_pending)(void *hal, struct kernel *k);
    bool (*has_pending)(void *hal);
};

struct hal {
    void *ctx;
    const struct hal_mpu_ops *mpu;
    const struct hal_proc_ops *proc;
    const struct hal_alarm_ops *alarm;
    const struct hal_console_ops *console;
    const struct hal_debug_ops *debug;
    const struct hal_chip_ops *chip;
    const struct hal_gpio_ops *gpio;     /* NULL: no LEDs, buttons or pins */
    const struct hal_rng_ops *rng;       /* NULL: no random numbers */
    const struct hal_sensor_ops *sensor; /* NULL: no sensors */
};

/* Entry points the HAL calls from chip->service_pending (interrupts). */
void kernel_alarm_fired(struct kernel *k);
void kernel_console_write_done(struct kernel *k, size_t written);
void kernel_console_read_done(struct kernel *k, size_t received, int status);
/* A button was pressed (true) or released. */
void kernel_button_changed(struct kernel *k, unsigned button, bool pressed);
/* An input pin changed to level on an edge its interrupt configuration selects. */
void kernel_gpio_changed(struct kernel *k, unsigned pin, bool high);
/* A reading hal->sensor->read started has its values (units: enum hal_sensor_kind). */
void kernel_sensor_reading(struct kernel *k, enum hal_sensor_kind kind,
                           struct hal_sensor_reading value);

#endif /* KSIM_KERNEL_HAL_H */
