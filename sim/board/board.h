/*
 * sim/board/: the board file. It owns the schema, the parser, the
 * invariant checks and the dump (board.c), and what a board means for the
 * HAL and the kernel configs (board_config.c). Every board value any
 * command takes is parsed here (board_set for command-line overrides).
 * May include: kernel/ and hal-stub/ headers only, no other sim/ folder
 * (docs/architecture.md).
 *
 * Board configuration: the one file that holds everything a simulation
 * depends on. Parsed and validated with cJSON; every default is explicit in
 * the dump, and a dump fed back in gives the same dump.
 */
#ifndef KSIM_SIM_BOARD_BOARD_H
#define KSIM_SIM_BOARD_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOARD_NAME_MAX 64
#define BOARD_TEXT_MAX 256
#define BOARD_PATH_MAX 512
#define BOARD_APPS_MAX 64
#define BOARD_ERR_MAX  768

/* Address-space limit of a sanitizer build on x86-64: ASan's shadow starts here. */
#define BOARD_ASAN_ADDR_LIMIT 0x7fff8000ull

struct board_region {
    uint64_t base; /* board address, host-page aligned */
    uint64_t size; /* bytes, host-page multiple, > 0 */
};

struct board_ram {
    uint64_t base;
    uint64_t size;
    uint64_t kernel_reserved; /* bytes at the bottom of RAM only the kernel owns */
};

enum board_clock_mode { BOARD_CLOCK_VIRTUAL = 0, BOARD_CLOCK_REAL = 1 };
/* process: each app in a host process of its own (hal-stub/hal_child.c). */
enum board_isolation {
    BOARD_ISOLATION_MPU = 0,
    BOARD_ISOLATION_OFF = 1,
    BOARD_ISOLATION_PROCESS = 2
};
enum board_scheduler { BOARD_SCHED_ROUND_ROBIN = 0, BOARD_SCHED_PRIORITY = 1 };
enum board_pressure { BOARD_PRESSURE_REFUSE = 0, BOARD_PRESSURE_EVICT = 1 };
enum board_fault_policy {
    BOARD_FAULT_PANIC = 0,
    BOARD_FAULT_STOP = 1,
    BOARD_FAULT_RESTART = 2, /* restart up to fault_restarts times, then stop */
};

struct board {
    char name[BOARD_NAME_MAX];
    char description[BOARD_TEXT_MAX];
    struct board_region flash; /* key "memory.flash": app flash */
    struct board_ram ram;      /* key "memory.ram" */
    char mpu_model[32];        /* key "mpu.model": "page", "cortex-m-pmsav7", "riscv-pmp" */
    uint32_t pmp_entries;      /* key "mpu.pmp_entries": 8 or 16, used by riscv-pmp only */
    enum board_isolation isolation;
    struct {
        enum board_clock_mode mode;
        uint32_t frequency_hz; /* alarm tick rate */
        uint32_t width_bits;   /* counter width, 8..32; ticks are left-justified to 32 */
    } clock;
    struct {
        enum board_scheduler kind; /* key "scheduler.kind": "round_robin" or "priority" */
        uint32_t timeslice_us;
    } scheduler;
    enum board_fault_policy fault_policy;
    uint32_t fault_restarts;
    struct {
        uint32_t max_processes;
        uint32_t stack_size; /* bytes, host-page multiple */
        uint32_t heap_size;  /* bytes of RAM reserved above bss for the heap */
        uint32_t grant_size; /* bytes, host-page multiple */
        uint32_t upcall_queue_len;
        enum board_pressure memory_pressure; /* key "process.memory_pressure" */
    } process;
    struct {
        bool alarm;
        bool console;
        bool low_level_debug;
        uint32_t led_count;    /* 0: no LED driver */
        uint32_t button_count; /* 0: no button driver */
        uint32_t gpio_count;   /* 0: no GPIO driver */
        bool rng;
        uint32_t rng_seed; /* --seed overrides it */
        bool ipc;
        bool app_flash; /* writes into apps' writeable flash regions (0x50000) */
        /* Sensors (issue 14): present or not, and what each reads. */
        bool temperature;              /* 0x60000 */
        int32_t temperature_value;     /* hundredths of a degree Celsius */
        bool humidity;                 /* 0x60001 */
        uint32_t humidity_value;       /* hundredths of a percent */
        bool ambient_light;            /* 0x60002 */
        uint32_t ambient_light_value;  /* lux */
        bool ninedof;                  /* 0x60004 */
        int32_t accelerometer[3];      /* x, y, z in milli-g */
        int32_t magnetometer[3];       /* x, y, z in microtesla */
        int32_t gyroscope[3];          /* x, y, z in degrees per second */
        bool proximity;                /* 0x60005 */
        uint32_t proximity_value;      /* 0 far .. 255 near */
        bool sound_pressure;           /* 0x60006 */
        uint32_t sound_pressure_value; /* decibels */
        bool air_quality;              /* 0x60007 */
        uint32_t co2_value;            /* parts per million */
        uint32_t tvoc_value;           /* parts per billion */
        bool moisture;                 /* 0x6000A */
        uint32_t moisture_value;       /* hundredths of a percent */
        bool rainfall;                 /* 0x6000B */
        uint32_t rainfall_value;       /* micrometres */
    } drivers;
    size_t app_count;
    char apps[BOARD_APPS_MAX][BOARD_PATH_MAX]; /* paths as written in the file */
    char dir[BOARD_PATH_MAX]; /* directory of the board file, for relative app paths */
};

/* Fills b with the built-in default board. */
void board_default(struct board *b);

/*
 * Parses JSON text into b, starting from the defaults, then validates it.
 * `file` names the source in messages. Returns 0, or -1 with a message in
 * err ("FILE: KEY.PATH: reason") and b unspecified.
 */
int board_parse(struct board *b, const char *file, const char *text, size_t len,
                char err[BOARD_ERR_MAX]);

/* Reads and parses a board file. Same contract as board_parse. */
int board_load(struct board *b, const char *path, char err[BOARD_ERR_MAX]);

/*
 * Loads the board file at path, or fills b with the built-in default board
 * when path is NULL: what every command's --board FILE means. Same
 * contract as board_load.
 */
int board_open(struct board *b, const char *path, char err[BOARD_ERR_MAX]);

/*
 * Sets one top-level or nested key ("isolation", "clock.mode",
 * "fault_policy") from text, through the same parser as the key's string
 * value in a board file, so a command-line override (--clock real) and a
 * board file accept exactly the same values. `source` names the text in
 * messages (the option, "--clock"). Only keys whose board-file value is a
 * string can be set. Returns 0, or -1 with "SOURCE: reason" in err and b
 * unchanged.
 */
int board_set(struct board *b, const char *source, const char *key, const char *value,
              char err[BOARD_ERR_MAX]);

/*
 * Checks invariants a parsed or hand-built board must hold: page alignment,
 * sizes, regions below 4 GiB (and below BOARD_ASAN_ADDR_LIMIT in an
 * AddressSanitizer build), no overlap. Returns 0 or -1 with a message.
 */
int board_validate(const struct board *b, const char *file, char err[BOARD_ERR_MAX]);

/* The full effective configuration as JSON text (malloc'd; caller frees). */
char *board_dump(const struct board *b);

#endif /* KSIM_SIM_BOARD_BOARD_H */
