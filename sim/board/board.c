/*
 * Board configuration: the built-in default board, the JSON board-file
 * parser, the invariant checks and the dump.
 *
 * One schema table (board_fields) drives the parser, the range checks and the
 * dump, so the three cannot disagree about a key, and a dump always parses
 * back to the same board. Every input byte is untrusted: bad input only ever
 * produces "FILE: KEY.PATH: reason" in err.
 */
#define _POSIX_C_SOURCE 200809L /* sysconf */

#include "board/board.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A sanitizer build cannot map boards over ASan's shadow (see board_validate). */
#if defined(KSIM_SANITIZE) && (KSIM_SANITIZE + 0)
#define BOARD_SANITIZER_BUILD 1
#elif defined(__SANITIZE_ADDRESS__)
#define BOARD_SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BOARD_SANITIZER_BUILD 1
#endif
#endif
#ifndef BOARD_SANITIZER_BUILD
#define BOARD_SANITIZER_BUILD 0
#endif

#if defined(__GNUC__)
#define BOARD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define BOARD_PRINTF(fmt, args)
#endif

#define FOUR_GIB        (1ull << 32)
#define MMAP_MIN_ADDR   0x10000ull         /* Linux's default vm.mmap_min_addr */
#define JSON_EXACT_INTS 9007199254740992.0 /* 2^53: doubles are exact integers below */
#define BOARD_FILE_MAX  (1u << 20)         /* a board file is a few hundred bytes */
#define KEY_PATH_MAX    192
#define QUOTE_MAX       48 /* input bytes quoted in a message */

/* MPU models the HAL implements; a new model is one more line here. */
static const char *const mpu_models[] = {"page", "cortex-m-pmsav7", "riscv-pmp", NULL};

/* ---- messages ---- */

static void format_text(char *out, size_t size, const char *fmt, ...) BOARD_PRINTF(3, 4);

/* snprintf for text that may be cut short on purpose: messages are bounded, never overflowed. */
static void format_text(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

struct msg_ctx {
    const char *file; /* names the input in every message */
    char *err;        /* BOARD_ERR_MAX bytes */
};

static int fail(const struct msg_ctx *c, const char *path, const char *fmt, ...) BOARD_PRINTF(3, 4);

/* Writes "FILE: PATH: reason" (or "FILE: reason" without a path); returns -1. */
static int fail(const struct msg_ctx *c, const char *path, const char *fmt, ...)
{
    char reason[BOARD_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (path != NULL && path[0] != '\0')
        format_text(c->err, BOARD_ERR_MAX, "%s: %s: %s", c->file, path, reason);
    else
        format_text(c->err, BOARD_ERR_MAX, "%s: %s", c->file, reason);
    return -1;
}

/*
 * Copies at most max_in bytes of s (or n bytes, if s has no NUL before) into
 * out: printable ASCII as is, \" and \\ escaped, other bytes as \xNN, and
 * "..." when cut short. A message stays one readable line whatever the input.
 */
static void printable(char *out, size_t out_size, const char *s, size_t n, size_t max_in)
{
    size_t used = 0;
    size_t i;

    for (i = 0; i < n && s[i] != '\0' && i < max_in; i++) {
        unsigned char ch = (unsigned char)s[i];
        char piece[5];

        if (ch == '"' || ch == '\\')
            format_text(piece, sizeof piece, "\\%c", ch);
        else if (ch >= 0x20 && ch < 0x7f)
            format_text(piece, sizeof piece, "%c", ch);
        else
            format_text(piece, sizeof piece, "\\x%02x", ch);
        if (used + strlen(piece) + 4 > out_size) /* keep room for "..." and NUL */
            break;
        memcpy(out + used, piece, strlen(piece));
        used += strlen(piece);
    }
    if (i < n && s[i] != '\0' && used + 4 <= out_size) {
        memcpy(out + used, "...", 3);
        used += 3;
    }
    out[used] = '\0';
}

static void quote_text(char *out, size_t out_size, const char *s)
{
    printable(out, out_size, s != NULL ? s : "", SIZE_MAX, QUOTE_MAX);
}

/* "parent.key", or "key" at the top level. */
static void path_join(char out[KEY_PATH_MAX], const char *parent, const char *key)
{
    char safe_key[QUOTE_MAX * 4 + 4];

    quote_text(safe_key, sizeof safe_key, key);
    if (parent[0] != '\0')
        format_text(out, KEY_PATH_MAX, "%.96s.%s", parent, safe_key);
    else
        format_text(out, KEY_PATH_MAX, "%s", safe_key);
}

static const char *json_type_name(const cJSON *item)
{
    if (cJSON_IsNull(item))
        return "null";
    if (cJSON_IsBool(item))
        return "a boolean";
    if (cJSON_IsNumber(item))
        return "a number";
    if (cJSON_IsString(item))
        return "a string";
    if (cJSON_IsArray(item))
        return "an array";
    if (cJSON_IsObject(item))
        return "an object";
    return "an unknown value";
}

static int type_error(const struct msg_ctx *c, const char *path, const char *expected,
                      const cJSON *item)
{
    return fail(c, path, "expected %s, got %s", expected, json_type_name(item));
}

/* ---- schema ---- */

enum field_kind {
    FIELD_OBJECT,       /* nested keys in .fields */
    FIELD_STRING,       /* char[.size] at .offset */
    FIELD_U32,          /* uint32_t at .offset, JSON integer in .min .. .max */
    FIELD_I32,          /* int32_t at .offset, JSON integer in .smin .. .smax */
    FIELD_ADDR,         /* uint64_t at .offset, integer or "0x..."/decimal string */
    FIELD_BOOL,         /* bool at .offset */
    FIELD_ENUM,         /* one of .names, through .get/.set */
    FIELD_FAULT_POLICY, /* "panic" | "stop" | "restart:N" */
    FIELD_APPS,         /* array of path strings */
};

struct field {
    const char *key; /* NULL ends a table */
    enum field_kind kind;
    size_t offset;
    size_t size;
    uint32_t min, max;
    int32_t smin, smax; /* FIELD_I32 */
    const struct field *fields;
    const char *const *names; /* indexed by enum value, NULL-terminated */
    int (*get)(const struct board *b);
    void (*set)(struct board *b, int value);
};

static int get_isolation(const struct board *b)
{
    return (int)b->isolation;
}

static void set_isolation(struct board *b, int value)
{
    b->isolation = (enum board_isolation)value;
}

static int get_scheduler_kind(const struct board *b)
{
    return (int)b->scheduler.kind;
}

static void set_scheduler_kind(struct board *b, int value)
{
    b->scheduler.kind = (enum board_scheduler)value;
}

static int get_memory_pressure(const struct board *b)
{
    return (int)b->process.memory_pressure;
}

static void set_memory_pressure(struct board *b, int value)
{
    b->process.memory_pressure = (enum board_pressure)value;
}

static int get_clock_mode(const struct board *b)
{
    return (int)b->clock.mode;
}

static void set_clock_mode(struct board *b, int value)
{
    b->clock.mode = (enum board_clock_mode)value;
}

/* The schema reads as a table: one entry per line. */
/* clang-format off */
#define MEMBER_SIZE(m) sizeof(((struct board *)0)->m)
#define OBJ(k, f)      {.key = (k), .kind = FIELD_OBJECT, .fields = (f)}
#define STR(k, m)      {.key = (k), .kind = FIELD_STRING, .offset = offsetof(struct board, m), \
                        .size = MEMBER_SIZE(m)}
#define U32(k, m, lo, hi) \
                       {.key = (k), .kind = FIELD_U32, .offset = offsetof(struct board, m), \
                        .min = (lo), .max = (hi)}
#define I32(k, m, lo, hi) \
                       {.key = (k), .kind = FIELD_I32, .offset = offsetof(struct board, m), \
                        .smin = (lo), .smax = (hi)}
#define ADDR(k, m)     {.key = (k), .kind = FIELD_ADDR, .offset = offsetof(struct board, m)}
#define BOOL(k, m)     {.key = (k), .kind = FIELD_BOOL, .offset = offsetof(struct board, m)}
#define ENUM(k, n, a)  {.key = (k), .kind = FIELD_ENUM, .names = (n), .get = get_##a, \
                        .set = set_##a}
#define END            {.key = NULL}

static const char *const isolation_names[] = {
    [BOARD_ISOLATION_MPU] = "mpu",
    [BOARD_ISOLATION_OFF] = "off",
    [BOARD_ISOLATION_PROCESS] = "process",
    NULL,
};
static const char *const clock_mode_names[] = {
    [BOARD_CLOCK_VIRTUAL] = "virtual",
    [BOARD_CLOCK_REAL] = "real",
    NULL,
};

static const char *const scheduler_kind_names[] = {
    [BOARD_SCHED_ROUND_ROBIN] = "round_robin",
    [BOARD_SCHED_PRIORITY] = "priority",
    NULL,
};

static const char *const memory_pressure_names[] = {
    [BOARD_PRESSURE_REFUSE] = "refuse",
    [BOARD_PRESSURE_EVICT] = "evict",
    NULL,
};

static const struct field flash_fields[] = {
    ADDR("base", flash.base),
    ADDR("size", flash.size),
    END,
};
static const struct field ram_fields[] = {
    ADDR("base", ram.base),
    ADDR("size", ram.size),
    ADDR("kernel_reserved", ram.kernel_reserved),
    END,
};
static const struct field memory_fields[] = {
    OBJ("flash", flash_fields),
    OBJ("ram", ram_fields),
    END,
};
static const struct field mpu_fields[] = {
    STR("model", mpu_model), /* board_validate checks it against mpu_models */
    U32("pmp_entries", pmp_entries, 8, 16), /* board_validate: 8 or 16 */
    END,
};
static const struct field clock_fields[] = {
    ENUM("mode", clock_mode_names, clock_mode),
    U32("frequency_hz", clock.frequency_hz, 1000, 1000000000), /* Tock: at least 1 kHz */
    U32("width_bits", clock.width_bits, 8, 32),
    END,
};
static const struct field scheduler_fields[] = {
    ENUM("kind", scheduler_kind_names, scheduler_kind),
    U32("timeslice_us", scheduler.timeslice_us, 100, 10000000),
    END,
};
static const struct field process_fields[] = {
    U32("max_processes", process.max_processes, 1, 1024),
    U32("stack_size", process.stack_size, 0, UINT32_MAX), /* page checks in board_validate */
    U32("heap_size", process.heap_size, 0, UINT32_MAX),
    U32("grant_size", process.grant_size, 0, UINT32_MAX),
    U32("upcall_queue_len", process.upcall_queue_len, 1, 64), /* kernel UPCALL_QUEUE_MAX */
    ENUM("memory_pressure", memory_pressure_names, memory_pressure),
    END,
};
static const struct field alarm_fields[] = {BOOL("enabled", drivers.alarm), END};
static const struct field console_fields[] = {BOOL("enabled", drivers.console), END};
static const struct field lld_fields[] = {BOOL("enabled", drivers.low_level_debug), END};
/* Counts of 0 leave the driver out; the maxima are the drivers' (button: Tock's 32-bit map). */
static const struct field led_fields[] = {U32("count", drivers.led_count, 0, 32), END};
static const struct field button_fields[] = {U32("count", drivers.button_count, 0, 32), END};
static const struct field gpio_fields[] = {U32("count", drivers.gpio_count, 0, 64), END};
static const struct field rng_fields[] = {
    BOOL("enabled", drivers.rng),
    U32("seed", drivers.rng_seed, 0, UINT32_MAX),
    END,
};
static const struct field ipc_fields[] = {BOOL("enabled", drivers.ipc), END};
static const struct field app_flash_fields[] = {BOOL("enabled", drivers.app_flash), END};
/* Sensors read a constant; from absolute zero up, and 0 .. 100 %. */
static const struct field temperature_fields[] = {
    BOOL("enabled", drivers.temperature),
    I32("value", drivers.temperature_value, -27315, 100000),
    END,
};
static const struct field humidity_fields[] = {
    BOOL("enabled", drivers.humidity),
    U32("value", drivers.humidity_value, 0, 10000),
    END,
};
static const struct field ambient_light_fields[] = {
    BOOL("enabled", drivers.ambient_light),
    U32("value", drivers.ambient_light_value, 0, 200000), /* brighter than full sunlight */
    END,
};
/* 9-DOF axes: 16 g, 5 mT and 5000 degrees/s bound what any such chip reports. */
#define AXES(name, m, bound)                                                                       \
    static const struct field name[] = {                                                           \
        I32("x", m[0], -(bound), bound),                                                           \
        I32("y", m[1], -(bound), bound),                                                           \
        I32("z", m[2], -(bound), bound),                                                           \
        END,                                                                                       \
    }
AXES(accelerometer_fields, drivers.accelerometer, 16000);
AXES(magnetometer_fields, drivers.magnetometer, 5000);
AXES(gyroscope_fields, drivers.gyroscope, 5000);
static const struct field ninedof_fields[] = {
    BOOL("enabled", drivers.ninedof),
    OBJ("accelerometer", accelerometer_fields),
    OBJ("magnetometer", magnetometer_fields),
    OBJ("gyroscope", gyroscope_fields),
    END,
};
/* Tock's proximity and sound pressure capsules report a byte. */
static const struct field proximity_fields[] = {
    BOOL("enabled", drivers.proximity),
    U32("value", drivers.proximity_value, 0, 255),
    END,
};
static const struct field sound_pressure_fields[] = {
    BOOL("enabled", drivers.sound_pressure),
    U32("value", drivers.sound_pressure_value, 0, 255),
    END,
};
static const struct field air_quality_fields[] = {
    BOOL("enabled", drivers.air_quality),
    U32("co2", drivers.co2_value, 0, 40000),   /* what CO2 sensors measure up to */
    U32("tvoc", drivers.tvoc_value, 0, 60000), /* and TVOC ones */
    END,
};
static const struct field moisture_fields[] = {
    BOOL("enabled", drivers.moisture),
    U32("value", drivers.moisture_value, 0, 10000),
    END,
};
static const struct field rainfall_fields[] = {
    BOOL("enabled", drivers.rainfall),
    U32("value", drivers.rainfall_value, 0, 10000000), /* 10 m */
    END,
};
static const struct field drivers_fields[] = {
    OBJ("alarm", alarm_fields),
    OBJ("console", console_fields),
    OBJ("low_level_debug", lld_fields),
    OBJ("led", led_fields),
    OBJ("button", button_fields),
    OBJ("gpio", gpio_fields),
    OBJ("rng", rng_fields),
    OBJ("ipc", ipc_fields),
    OBJ("app_flash", app_flash_fields),
    OBJ("temperature", temperature_fields),
    OBJ("humidity", humidity_fields),
    OBJ("ambient_light", ambient_light_fields),
    OBJ("ninedof", ninedof_fields),
    OBJ("proximity", proximity_fields),
    OBJ("sound_pressure", sound_pressure_fields),
    OBJ("air_quality", air_quality_fields),
    OBJ("moisture", moisture_fields),
    OBJ("rainfall", rainfall_fields),
    END,
};

/* The top level, in dump order. */
static const struct field board_fields[] = {
    STR("name", name),
    STR("description", description),
    OBJ("memory", memory_fields),
    OBJ("mpu", mpu_fields),
    ENUM("isolation", isolation_names, isolation),
    OBJ("clock", clock_fields),
    OBJ("scheduler", scheduler_fields),
    {.key = "fault_policy", .kind = FIELD_FAULT_POLICY},
    OBJ("process", process_fields),
    OBJ("drivers", drivers_fields),
    {.key = "apps", .kind = FIELD_APPS},
    END,
};

/* clang-format on */

static void *member(struct board *b, const struct field *f)
{
    return (char *)b + f->offset;
}

static const void *cmember(const struct board *b, const struct field *f)
{
    return (const char *)b + f->offset;
}

/* ---- defaults ---- */

void board_default(struct board *b)
{
    if (b == NULL)
        return;
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%s", "ksim-default");
    snprintf(b->description, sizeof b->description, "%s",
             "Built-in simulation board: 4 MiB app flash at 0x10000000, 16 MiB RAM at "
             "0x20000000 (64 KiB kernel), page MPU, virtual 1 MHz 32-bit clock, 64 processes");
    b->flash = (struct board_region){.base = 0x10000000, .size = 0x00400000};
    b->ram = (struct board_ram){.base = 0x20000000, .size = 0x01000000, .kernel_reserved = 0x10000};
    snprintf(b->mpu_model, sizeof b->mpu_model, "%s", "page");
    b->pmp_entries = 8;
    b->isolation = BOARD_ISOLATION_MPU;
    b->clock.mode = BOARD_CLOCK_VIRTUAL;
    b->clock.frequency_hz = 1000000;
    b->clock.width_bits = 32;
    b->scheduler.kind = BOARD_SCHED_ROUND_ROBIN;
    b->scheduler.timeslice_us = 10000;
    b->fault_policy = BOARD_FAULT_STOP;
    b->fault_restarts = 0;
    b->process.max_processes = 64;
    b->process.stack_size = 16384;
    b->process.heap_size = 131072;
    b->process.grant_size = 4096;
    b->process.upcall_queue_len = 16;
    b->process.memory_pressure = BOARD_PRESSURE_REFUSE;
    b->drivers.alarm = true;
    b->drivers.console = true;
    b->drivers.low_level_debug = true;
    b->drivers.led_count = 4; /* as an nRF52840-DK: 4 LEDs, 4 buttons */
    b->drivers.button_count = 4;
    b->drivers.gpio_count = 8;
    b->drivers.rng = true;
    b->drivers.rng_seed = 0;
    b->drivers.ipc = true;
    b->drivers.app_flash = true;
    /* The sensors a Tock developer's board has (issue 14); a board file can
     * leave them out ("enabled": false), and then they answer NODEVICE. */
    b->drivers.temperature = true;
    b->drivers.temperature_value = 2350; /* 23.50 degrees C */
    b->drivers.humidity = true;
    b->drivers.humidity_value = 4500; /* 45.00 % */
    b->drivers.ambient_light = true;
    b->drivers.ambient_light_value = 320; /* an office */
    /* Lying flat, at rest, in a northern mid-latitude's field. */
    b->drivers.ninedof = true;
    memcpy(b->drivers.accelerometer, (int32_t[3]){0, 0, 1000}, sizeof b->drivers.accelerometer);
    memcpy(b->drivers.magnetometer, (int32_t[3]){20, 0, -43}, sizeof b->drivers.magnetometer);
    memcpy(b->drivers.gyroscope, (int32_t[3]){0, 0, 0}, sizeof b->drivers.gyroscope);
    b->drivers.proximity = true;
    b->drivers.proximity_value = 0; /* nothing near */
    b->drivers.sound_pressure = true;
    b->drivers.sound_pressure_value = 40; /* a quiet room, dB */
    b->drivers.air_quality = true;
    b->drivers.co2_value = 420; /* fresh outdoor air */
    b->drivers.tvoc_value = 50;
    b->drivers.moisture = true;
    b->drivers.moisture_value = 2500; /* 25.00 % */
    b->drivers.rainfall = true;
    b->drivers.rainfall_value = 2000; /* 2 mm in the last hour: light rain */
    b->app_count = 0;
    snprintf(b->dir, sizeof b->dir, "%s", ".");
}

/* ---- numbers ---- */

enum json_int { JSON_INT_OK, JSON_INT_FRACTION, JSON_INT_NEGATIVE, JSON_INT_INEXACT };

/* cJSON keeps numbers as doubles: only integers below 2^53 are what was written. */
static enum json_int json_to_u64(double d, uint64_t *out)
{
    uint64_t u;

    if (d != d) /* NaN: not from JSON text, but never cast it */
        return JSON_INT_FRACTION;
    if (d < 0)
        return JSON_INT_NEGATIVE;
    if (d >= JSON_EXACT_INTS)
        return JSON_INT_INEXACT;
    u = (uint64_t)d;
    if ((double)u != d)
        return JSON_INT_FRACTION;
    *out = u;
    return JSON_INT_OK;
}

enum digits_result { DIGITS_OK, DIGITS_SYNTAX, DIGITS_OVERFLOW };

static int digit_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* One or more digits in base, nothing else; overflow past 64 bits is reported. */
static enum digits_result parse_digits(const char *s, unsigned base, uint64_t *out)
{
    uint64_t value = 0;
    bool overflow = false;

    if (*s == '\0')
        return DIGITS_SYNTAX;
    for (; *s != '\0'; s++) {
        int d = digit_value(*s);

        if (d < 0 || (unsigned)d >= base)
            return DIGITS_SYNTAX;
        if (value > (UINT64_MAX - (uint64_t)d) / base)
            overflow = true;
        else
            value = value * base + (uint64_t)d;
    }
    if (overflow)
        return DIGITS_OVERFLOW;
    *out = value;
    return DIGITS_OK;
}

/* "0x..." hex or plain decimal. */
static enum digits_result parse_u64_text(const char *s, uint64_t *out)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return parse_digits(s + 2, 16, out);
    return parse_digits(s, 10, out);
}

/* ---- parsing ---- */

static int parse_object(const struct msg_ctx *c, const cJSON *obj, const struct field *fields,
                        const char *path, struct board *b);

static int parse_string_field(const struct msg_ctx *c, const cJSON *item, const struct field *f,
                              const char *path, struct board *b)
{
    size_t len;

    if (!cJSON_IsString(item) || item->valuestring == NULL)
        return type_error(c, path, "a string", item);
    len = strlen(item->valuestring);
    if (len >= f->size)
        return fail(c, path, "%zu bytes is too long (at most %zu)", len, f->size - 1);
    memset(member(b, f), 0, f->size);
    memcpy(member(b, f), item->valuestring, len);
    return 0;
}

/* The message for a JSON number that is negative or not an integer. */
static int not_a_count(const struct msg_ctx *c, const char *path, enum json_int why, double d)
{
    if (why == JSON_INT_NEGATIVE)
        return fail(c, path, "expected a non-negative integer, got %.15g", d);
    return fail(c, path, "expected an integer, got %.15g", d);
}

static int parse_u32_field(const struct msg_ctx *c, const cJSON *item, const struct field *f,
                           const char *path, struct board *b)
{
    uint64_t value = 0;
    enum json_int r;

    if (!cJSON_IsNumber(item))
        return type_error(c, path, "an integer", item);
    r = json_to_u64(item->valuedouble, &value);
    if (r == JSON_INT_NEGATIVE || r == JSON_INT_FRACTION)
        return not_a_count(c, path, r, item->valuedouble);
    if (r == JSON_INT_INEXACT || value < f->min || value > f->max)
        return fail(c, path, "%.15g is out of range %u..%u", item->valuedouble, f->min, f->max);
    *(uint32_t *)member(b, f) = (uint32_t)value;
    return 0;
}

static int parse_i32_field(const struct msg_ctx *c, const cJSON *item, const struct field *f,
                           const char *path, struct board *b)
{
    if (!cJSON_IsNumber(item))
        return type_error(c, path, "an integer", item);
    double d = item->valuedouble;
    /* The range first: the cast below is defined only for a value that fits. */
    if (!(d >= f->smin && d <= f->smax))
        return fail(c, path, "%.15g is out of range %d..%d", d, f->smin, f->smax);
    if (d != (double)(int32_t)d)
        return fail(c, path, "expected an integer, got %.15g", d);
    *(int32_t *)member(b, f) = (int32_t)d;
    return 0;
}

static int parse_addr_number(const struct msg_ctx *c, const cJSON *item, const char *path,
                             uint64_t *out)
{
    enum json_int r = json_to_u64(item->valuedouble, out);

    if (r == JSON_INT_NEGATIVE || r == JSON_INT_FRACTION)
        return not_a_count(c, path, r, item->valuedouble);
    if (r == JSON_INT_INEXACT)
        return fail(c, path,
                    "%.15g is not exact as a JSON number (2^53 or more); write it as a "
                    "\"0x...\" string",
                    item->valuedouble);
    return 0;
}

static int parse_addr_field(const struct msg_ctx *c, const cJSON *item, const struct field *f,
                            const char *path, struct board *b)
{
    char quoted[QUOTE_MAX * 4 + 4];
    uint64_t value = 0;

    if (cJSON_IsNumber(item)) {
        if (parse_addr_number(c, item, path, &value) != 0)
            return -1;
    } else if (cJSON_IsString(item) && item->valuestring != NULL) {
        enum digits_result r = parse_u64_text(item->valuestring, &value);

        quote_text(quoted, sizeof quoted, item->valuestring);
        if (r == DIGITS_SYNTAX)
            return fail(c, path,
                        "expected an integer, a \"0x...\" hex string or a decimal "
                        "string, got \"%s\"",
                        quoted);
        if (r == DIGITS_OVERFLOW)
            return fail(c, path, "\"%s\" does not fit in 64 bits", quoted);
    } else {
        return type_error(c, path, "an integer or a \"0x...\" string", item);
    }
    *(uint64_t *)member(b, f) = value;
    return 0;
}

static int parse_bool_field(const struct msg_ctx *c, const cJSON *item, const struct field *f,
                            const char *path, struct board *b)
{
    if (!cJSON_IsBool(item))
        return type_error(c, path, "true or false", item);
    *(bool *)member(b, f) = cJSON_IsTrue(item);
    return 0;
}

/* `"a" or "b"`, `"a", "b" or "c"`. */
static void format_choices(char *out, size_t out_size, const char *const *names)
{
    size_t count = 0, used = 0;

    while (names[count] != NULL)
        count++;
    out[0] = '\0';
    for (size_t i = 0; i < count && used < out_size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == count ? " or " : ", ";
        int n = snprintf(out + used, out_size - used, "%s\"%s\"", sep, names[i]);

        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int parse_enum_field(const struct msg_ctx *c, const cJSON *item, const struct field *f,
                            const char *path, struct board *b)
{
    char choices[128];
    char quoted[QUOTE_MAX * 4 + 4];

    format_choices(choices, sizeof choices, f->names);
    if (!cJSON_IsString(item) || item->valuestring == NULL)
        return fail(c, path, "expected %s, got %s", choices, json_type_name(item));
    for (int i = 0; f->names[i] != NULL; i++) {
        if (strcmp(item->valuestring, f->names[i]) == 0) {
            f->set(b, i);
            return 0;
        }
    }
    quote_text(quoted, sizeof quoted, item->valuestring);
    return fail(c, path, "expected %s, got \"%s\"", choices, quoted);
}

#define FAULT_POLICY_CHOICES "\"panic\", \"stop\" or \"restart:N\" (N 1..1000)"
#define RESTARTS_MAX         1000

static int parse_fault_policy(const struct msg_ctx *c, const cJSON *item, const char *path,
                              struct board *b)
{
    static const char restart[] = "restart:";
    char quoted[QUOTE_MAX * 4 + 4];
    const char *s;
    uint64_t count = 0;

    if (!cJSON_IsString(item) || item->valuestring == NULL)
        return fail(c, path, "expected " FAULT_POLICY_CHOICES ", got %s", json_type_name(item));
    s = item->valuestring;
    quote_text(quoted, sizeof quoted, s);
    b->fault_restarts = 0;
    if (strcmp(s, "panic") == 0) {
        b->fault_policy = BOARD_FAULT_PANIC;
        return 0;
    }
    if (strcmp(s, "stop") == 0) {
        b->fault_policy = BOARD_FAULT_STOP;
        return 0;
    }
    if (strncmp(s, restart, sizeof restart - 1) != 0)
        return fail(c, path, "expected " FAULT_POLICY_CHOICES ", got \"%s\"", quoted);
    switch (parse_digits(s + sizeof restart - 1, 10, &count)) {
    case DIGITS_SYNTAX:
        return fail(c, path, "expected " FAULT_POLICY_CHOICES ", got \"%s\"", quoted);
    case DIGITS_OVERFLOW:
        count = UINT64_MAX;
        break;
    case DIGITS_OK:
        break;
    }
    if (count < 1 || count > RESTARTS_MAX)
        return fail(c, path, "restart count in \"%s\" is out of range 1..%d", quoted, RESTARTS_MAX);
    b->fault_policy = BOARD_FAULT_RESTART;
    b->fault_restarts = (uint32_t)count;
    return 0;
}

static int parse_apps(const struct msg_ctx *c, const cJSON *item, const char *path, struct board *b)
{
    const cJSON *app;
    size_t count = 0;

    if (!cJSON_IsArray(item))
        return type_error(c, path, "an array of strings", item);
    for (app = item->child; app != NULL; app = app->next)
        count++;
    if (count > BOARD_APPS_MAX)
        return fail(c, path, "%zu apps, at most %d", count, BOARD_APPS_MAX);
    count = 0;
    for (app = item->child; app != NULL; app = app->next, count++) {
        char app_path[KEY_PATH_MAX];
        size_t len;

        format_text(app_path, sizeof app_path, "%s[%zu]", path, count);
        if (!cJSON_IsString(app) || app->valuestring == NULL)
            return type_error(c, app_path, "a string", app);
        len = strlen(app->valuestring);
        if (len == 0)
            return fail(c, app_path, "empty path");
        if (len >= BOARD_PATH_MAX)
            return fail(c, app_path, "path is %zu bytes, at most %d", len, BOARD_PATH_MAX - 1);
        memset(b->apps[count], 0, sizeof b->apps[count]);
        memcpy(b->apps[count], app->valuestring, len);
    }
    b->app_count = count;
    return 0;
}

static int parse_field(const struct msg_ctx *c, const cJSON *item, const struct field *f,
                       const char *path, struct board *b)
{
    switch (f->kind) {
    case FIELD_OBJECT:
        return parse_object(c, item, f->fields, path, b);
    case FIELD_STRING:
        return parse_string_field(c, item, f, path, b);
    case FIELD_U32:
        return parse_u32_field(c, item, f, path, b);
    case FIELD_I32:
        return parse_i32_field(c, item, f, path, b);
    case FIELD_ADDR:
        return parse_addr_field(c, item, f, path, b);
    case FIELD_BOOL:
        return parse_bool_field(c, item, f, path, b);
    case FIELD_ENUM:
        return parse_enum_field(c, item, f, path, b);
    case FIELD_FAULT_POLICY:
        return parse_fault_policy(c, item, path, b);
    case FIELD_APPS:
        return parse_apps(c, item, path, b);
    }
    return fail(c, path, "internal error: unknown field kind");
}

static int unknown_key(const struct msg_ctx *c, const char *path, const struct field *fields)
{
    char known[256];
    size_t used = 0;

    known[0] = '\0';
    for (const struct field *f = fields; f->key != NULL && used < sizeof known; f++) {
        int n = snprintf(known + used, sizeof known - used, "%s%s", used ? ", " : "", f->key);

        if (n < 0)
            break;
        used += (size_t)n;
    }
    return fail(c, path, "unknown key (expected one of: %s)", known);
}

/* Recursion follows the schema (three levels at most), never the input's own nesting. */
static int parse_object(const struct msg_ctx *c, const cJSON *obj, const struct field *fields,
                        const char *path, struct board *b)
{
    uint32_t seen = 0; /* bit i: fields[i] already given; tables have < 32 keys */

    if (!cJSON_IsObject(obj))
        return type_error(c, path[0] ? path : "(top level)", "an object", obj);
    for (const cJSON *item = obj->child; item != NULL; item = item->next) {
        char item_path[KEY_PATH_MAX];
        const struct field *f = fields;

        path_join(item_path, path, item->string);
        while (f->key != NULL && (item->string == NULL || strcmp(f->key, item->string) != 0))
            f++;
        if (f->key == NULL)
            return unknown_key(c, item_path, fields);
        if (seen & (1u << (f - fields)))
            return fail(c, item_path, "duplicate key");
        seen |= 1u << (f - fields);
        if (parse_field(c, item, f, item_path, b) != 0)
            return -1;
    }
    return 0;
}

/* ---- JSON syntax errors ---- */

/*
 * "invalid JSON at byte offset N (line L, column C): reason", or "near TEXT"
 * without a reason. cJSON points at the last byte when the input runs out.
 */
static int json_error_at(const struct msg_ctx *c, const char *text, size_t len, size_t offset,
                         const char *reason)
{
    size_t line = 1, column = 1;
    char near[QUOTE_MAX * 4 + 4];

    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        column++;
        if (text[i] == '\n') {
            line++;
            column = 1;
        }
    }
    if (reason == NULL) {
        printable(near, sizeof near, text + offset, len - offset, 16);
        return fail(c, "", "invalid JSON at byte offset %zu (line %zu, column %zu) near \"%s\"%s",
                    offset, line, column, near, len - offset <= 16 ? " (end of input)" : "");
    }
    return fail(c, "", "invalid JSON at byte offset %zu (line %zu, column %zu): %s", offset, line,
                column, reason);
}

static bool is_json_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/*
 * cJSON skips any byte <= 0x20 as whitespace, takes raw control bytes in
 * strings and turns "\u0000" into a NUL that silently cuts a key or path
 * short. JSON allows none of the first two; a board has no use for the third.
 */
static int check_raw_bytes(const struct msg_ctx *c, const char *text, size_t len)
{
    bool in_string = false, escaped = false;

    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];

        if (ch < 0x20 && !is_json_space((char)ch)) {
            char reason[96];

            format_text(reason, sizeof reason, "control byte 0x%02x %s", ch,
                        "(JSON allows only tab, newline and carriage return)");
            return json_error_at(c, text, len, i, reason);
        }
        if (escaped) {
            escaped = false;
        } else if (ch == '"') {
            in_string = !in_string;
        } else if (in_string && ch == '\\') {
            if (len - i >= 6 && memcmp(text + i + 1, "u0000", 5) == 0)
                return json_error_at(c, text, len, i, "\\u0000 (NUL) in a string");
            escaped = true;
        }
    }
    return 0;
}

/* Parses text (NUL-terminated, len bytes) into a cJSON tree, or NULL with a message. */
static cJSON *parse_json(const struct msg_ctx *c, const char *text, size_t len)
{
    const char *end = NULL;
    cJSON *root;
    size_t i = 0;

    if (check_raw_bytes(c, text, len) != 0)
        return NULL;
    while (i < len && is_json_space(text[i]))
        i++;
    if (i == len) {
        json_error_at(c, text, len, i, "no JSON value (empty input)");
        return NULL;
    }
    root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (root == NULL) {
        json_error_at(c, text, len, end != NULL ? (size_t)(end - text) : 0, NULL);
        return NULL;
    }
    /* cJSON stops after the first value; anything but whitespace after it is an error. */
    for (i = end != NULL ? (size_t)(end - text) : len; i < len; i++) {
        if (!is_json_space(text[i])) {
            cJSON_Delete(root);
            json_error_at(c, text, len, i, "unexpected text after the JSON value");
            return NULL;
        }
    }
    return root;
}

int board_parse(struct board *b, const char *file, const char *text, size_t len,
                char err[BOARD_ERR_MAX])
{
    char scratch[BOARD_ERR_MAX];
    struct msg_ctx c = {.file = file != NULL ? file : "<board>", .err = err ? err : scratch};
    char *copy;
    cJSON *root;
    int rc;

    c.err[0] = '\0';
    if (b == NULL || (text == NULL && len > 0))
        return fail(&c, "", "no board or no text to parse");
    board_default(b);
    /* A private NUL-terminated copy: cJSON never reads past the caller's bytes. */
    copy = malloc(len + 1);
    if (copy == NULL)
        return fail(&c, "", "out of memory");
    if (len > 0)
        memcpy(copy, text, len);
    copy[len] = '\0';
    root = parse_json(&c, copy, len);
    free(copy);
    if (root == NULL)
        return -1;
    rc = parse_object(&c, root, board_fields, "", b);
    cJSON_Delete(root);
    if (rc != 0)
        return -1;
    return board_validate(b, c.file, c.err);
}

/* ---- loading ---- */

/* The directory part of path: "." without a slash, "/" for a file in the root. */
static int dir_of(const char *path, char dir[BOARD_PATH_MAX])
{
    const char *slash = strrchr(path, '/');
    size_t len;

    if (slash == NULL) {
        snprintf(dir, BOARD_PATH_MAX, "%s", ".");
        return 0;
    }
    len = slash == path ? 1 : (size_t)(slash - path);
    if (len >= BOARD_PATH_MAX)
        return -1;
    memcpy(dir, path, len);
    dir[len] = '\0';
    return 0;
}

/* Reads a whole file (at most BOARD_FILE_MAX bytes) into a malloc'd buffer. */
static char *read_file(const struct msg_ctx *c, const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t len;

    if (f == NULL) {
        fail(c, "", "cannot open: %s", strerror(errno));
        return NULL;
    }
    /* One byte more than allowed tells a too-large file from one of exactly the limit. */
    buf = malloc(BOARD_FILE_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        fail(c, "", "out of memory");
        return NULL;
    }
    errno = 0;
    len = fread(buf, 1, BOARD_FILE_MAX + 1, f);
    if (ferror(f))
        fail(c, "", "cannot read: %s", strerror(errno));
    else if (len > BOARD_FILE_MAX)
        fail(c, "", "larger than %u bytes: not a board file", BOARD_FILE_MAX);
    if (ferror(f) || len > BOARD_FILE_MAX) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *len_out = len;
    return buf;
}

int board_load(struct board *b, const char *path, char err[BOARD_ERR_MAX])
{
    char scratch[BOARD_ERR_MAX];
    struct msg_ctx c = {.file = path != NULL ? path : "<board>", .err = err ? err : scratch};
    char dir[BOARD_PATH_MAX];
    char *text;
    size_t len = 0;
    int rc;

    c.err[0] = '\0';
    if (b == NULL || path == NULL)
        return fail(&c, "", "no board or no path");
    if (dir_of(path, dir) != 0)
        return fail(&c, "", "directory name is longer than %d bytes", BOARD_PATH_MAX - 1);
    text = read_file(&c, path, &len);
    if (text == NULL)
        return -1;
    rc = board_parse(b, path, text, len, c.err);
    free(text);
    if (rc == 0)
        memcpy(b->dir, dir, sizeof b->dir);
    return rc;
}

int board_open(struct board *b, const char *path, char err[BOARD_ERR_MAX])
{
    if (path != NULL)
        return board_load(b, path, err);
    board_default(b);
    return 0;
}

/* The field at a dotted key ("clock.mode"), or NULL. */
static const struct field *find_field(const char *key)
{
    const struct field *fields = board_fields;
    const char *part = key;

    for (;;) {
        size_t n = strcspn(part, ".");
        const struct field *f = NULL;

        for (size_t i = 0; fields[i].key != NULL && f == NULL; i++)
            if (strlen(fields[i].key) == n && strncmp(fields[i].key, part, n) == 0)
                f = &fields[i];
        if (f == NULL || part[n] == '\0')
            return f;
        if (f->kind != FIELD_OBJECT)
            return NULL;
        fields = f->fields;
        part += n + 1;
    }
}

int board_set(struct board *b, const char *source, const char *key, const char *value,
              char err[BOARD_ERR_MAX])
{
    char scratch[BOARD_ERR_MAX];
    struct msg_ctx c = {.file = source != NULL ? source : "<board>", .err = err ? err : scratch};
    const struct field *f = key != NULL ? find_field(key) : NULL;

    c.err[0] = '\0';
    if (b == NULL || value == NULL)
        return fail(&c, "", "no board or no value");
    /* Only keys a board file gives as a string: the text is that string. */
    if (f == NULL || (f->kind != FIELD_ENUM && f->kind != FIELD_FAULT_POLICY))
        return fail(&c, "", "internal error: '%s' cannot be set from text", key ? key : "");
    cJSON *item = cJSON_CreateString(value);
    if (item == NULL)
        return fail(&c, "", "out of memory");
    /* Parsed into a copy: a refused value leaves b as it was. */
    struct board *copy = malloc(sizeof(*copy));
    int rc = copy != NULL ? 0 : fail(&c, "", "out of memory");
    if (rc == 0) {
        memcpy(copy, b, sizeof(*copy));
        rc = parse_field(&c, item, f, "", copy);
    }
    if (rc == 0)
        memcpy(b, copy, sizeof(*b));
    free(copy);
    cJSON_Delete(item);
    return rc;
}

/* ---- validation ---- */

static uint64_t host_page_size(void)
{
    long page = sysconf(_SC_PAGESIZE);

    return page > 0 ? (uint64_t)page : 4096;
}

static int check_page_multiple(const struct msg_ctx *c, const char *path, uint64_t value)
{
    uint64_t page = host_page_size();

    if (value % page != 0)
        return fail(c, path, "0x%08llx is not a multiple of the host page size (%llu)",
                    (unsigned long long)value, (unsigned long long)page);
    return 0;
}

static bool is_terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static int validate_enum(const struct msg_ctx *c, const char *path, const struct field *f,
                         const struct board *b)
{
    int value = f->get(b);

    for (int i = 0; f->names[i] != NULL; i++) {
        if (i == value)
            return 0;
    }
    return fail(c, path, "value %d is not a known setting", value);
}

static int validate_fault_policy(const struct msg_ctx *c, const char *path, const struct board *b)
{
    switch (b->fault_policy) {
    case BOARD_FAULT_PANIC:
    case BOARD_FAULT_STOP:
        return 0;
    case BOARD_FAULT_RESTART:
        if (b->fault_restarts < 1 || b->fault_restarts > RESTARTS_MAX)
            return fail(c, path, "restart count %u is out of range 1..%d", b->fault_restarts,
                        RESTARTS_MAX);
        return 0;
    }
    return fail(c, path, "value %d is not a known policy", (int)b->fault_policy);
}

static int validate_apps(const struct msg_ctx *c, const char *path, const struct board *b)
{
    if (b->app_count > BOARD_APPS_MAX)
        return fail(c, path, "%zu apps, at most %d", b->app_count, BOARD_APPS_MAX);
    for (size_t i = 0; i < b->app_count; i++) {
        char app_path[KEY_PATH_MAX];

        format_text(app_path, sizeof app_path, "%s[%zu]", path, i);
        if (!is_terminated(b->apps[i], sizeof b->apps[i]))
            return fail(c, app_path, "path is not shorter than %d bytes", BOARD_PATH_MAX);
        if (b->apps[i][0] == '\0')
            return fail(c, app_path, "empty path");
    }
    return 0;
}

/* What the schema alone says: strings fit, integers and enums in range. */
static int validate_fields(const struct msg_ctx *c, const struct field *fields, const char *parent,
                           const struct board *b)
{
    for (const struct field *f = fields; f->key != NULL; f++) {
        char path[KEY_PATH_MAX];
        uint32_t value;
        int rc = 0;

        path_join(path, parent, f->key);
        switch (f->kind) {
        case FIELD_OBJECT:
            rc = validate_fields(c, f->fields, path, b);
            break;
        case FIELD_STRING:
            if (!is_terminated(cmember(b, f), f->size))
                rc = fail(c, path, "not shorter than %zu bytes", f->size);
            break;
        case FIELD_U32:
            value = *(const uint32_t *)cmember(b, f);
            if (value < f->min || value > f->max)
                rc = fail(c, path, "%u is out of range %u..%u", value, f->min, f->max);
            break;
        case FIELD_I32: {
            int32_t v = *(const int32_t *)cmember(b, f);
            if (v < f->smin || v > f->smax)
                rc = fail(c, path, "%d is out of range %d..%d", v, f->smin, f->smax);
            break;
        }
        case FIELD_ENUM:
            rc = validate_enum(c, path, f, b);
            break;
        case FIELD_FAULT_POLICY:
            rc = validate_fault_policy(c, path, b);
            break;
        case FIELD_APPS:
            rc = validate_apps(c, path, b);
            break;
        case FIELD_ADDR: /* board_validate checks memory as a whole */
        case FIELD_BOOL:
            break;
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* name is "memory.flash" or "memory.ram": the key path of the region. */
static int validate_region(const struct msg_ctx *c, const char *name, uint64_t base, uint64_t size)
{
    char base_path[KEY_PATH_MAX], size_path[KEY_PATH_MAX];

    path_join(base_path, name, "base");
    path_join(size_path, name, "size");
    if (size == 0)
        return fail(c, size_path, "must be greater than 0");
    if (check_page_multiple(c, size_path, size) != 0 ||
        check_page_multiple(c, base_path, base) != 0)
        return -1;
    /* Linux refuses to map below vm.mmap_min_addr, so the simulator could not place it. */
    if (base < MMAP_MIN_ADDR)
        return fail(c, base_path, "0x%08llx is below 0x%llx, Linux's mmap_min_addr: %s",
                    (unsigned long long)base, MMAP_MIN_ADDR, "the simulator cannot map it");
    /* Board addresses are 32-bit; written so base + size cannot overflow. */
    if (base > FOUR_GIB || size > FOUR_GIB - base)
        return fail(c, name, "base 0x%08llx + size 0x%08llx is not below 4 GiB",
                    (unsigned long long)base, (unsigned long long)size);
    /* ASan owns the address range from its shadow up; the board's pages cannot go there. */
    if (BOARD_SANITIZER_BUILD && base + size > BOARD_ASAN_ADDR_LIMIT)
        return fail(c, name,
                    "0x%08llx..0x%08llx overlaps AddressSanitizer's shadow at 0x%llx; "
                    "use a board below it in a sanitizer build (or a Release build)",
                    (unsigned long long)base, (unsigned long long)(base + size),
                    BOARD_ASAN_ADDR_LIMIT);
    return 0;
}

static int validate_memory(const struct msg_ctx *c, const struct board *b)
{
    const char *kr_path = "memory.ram.kernel_reserved";

    if (validate_region(c, "memory.flash", b->flash.base, b->flash.size) != 0 ||
        validate_region(c, "memory.ram", b->ram.base, b->ram.size) != 0)
        return -1;
    if (check_page_multiple(c, kr_path, b->ram.kernel_reserved) != 0)
        return -1;
    /* Apps need some RAM above the kernel's part. */
    if (b->ram.kernel_reserved >= b->ram.size)
        return fail(c, kr_path, "0x%08llx must be less than memory.ram.size (0x%08llx)",
                    (unsigned long long)b->ram.kernel_reserved, (unsigned long long)b->ram.size);
    /* Both regions are below 4 GiB here, so the ends cannot overflow. */
    if (b->flash.base < b->ram.base + b->ram.size && b->ram.base < b->flash.base + b->flash.size)
        return fail(
            c, "memory",
            "memory.flash 0x%08llx..0x%08llx and memory.ram 0x%08llx..0x%08llx overlap",
            (unsigned long long)b->flash.base, (unsigned long long)(b->flash.base + b->flash.size),
            (unsigned long long)b->ram.base, (unsigned long long)(b->ram.base + b->ram.size));
    return 0;
}

static int validate_process(const struct msg_ctx *c, const struct board *b)
{
    if (b->process.stack_size == 0)
        return fail(c, "process.stack_size", "must be greater than 0");
    if (b->process.grant_size == 0)
        return fail(c, "process.grant_size", "must be greater than 0");
    if (check_page_multiple(c, "process.stack_size", b->process.stack_size) != 0 ||
        check_page_multiple(c, "process.heap_size", b->process.heap_size) != 0 ||
        check_page_multiple(c, "process.grant_size", b->process.grant_size) != 0)
        return -1;
    return 0;
}

static int validate_mpu_model(const struct msg_ctx *c, const struct board *b)
{
    char quoted[QUOTE_MAX * 4 + 4], known[128];

    for (size_t i = 0; mpu_models[i] != NULL; i++) {
        if (strcmp(b->mpu_model, mpu_models[i]) == 0)
            return 0;
    }
    quote_text(quoted, sizeof quoted, b->mpu_model);
    format_choices(known, sizeof known, mpu_models);
    return fail(c, "mpu.model", "expected %s, got \"%s\"", known, quoted);
}

/* PMP parts implement 8 (FE310) or 16 (QEMU virt) entries; the range check allows 9..15 too. */
static int validate_pmp_entries(const struct msg_ctx *c, const struct board *b)
{
    if (b->pmp_entries != 8 && b->pmp_entries != 16)
        return fail(c, "mpu.pmp_entries", "expected 8 or 16, got %u", (unsigned)b->pmp_entries);
    return 0;
}

int board_validate(const struct board *b, const char *file, char err[BOARD_ERR_MAX])
{
    char scratch[BOARD_ERR_MAX];
    struct msg_ctx c = {.file = file != NULL ? file : "<board>", .err = err ? err : scratch};

    c.err[0] = '\0';
    if (b == NULL)
        return fail(&c, "", "no board");
    /* validate_fields first: it proves every string terminated before others read them. */
    if (validate_fields(&c, board_fields, "", b) != 0 || validate_memory(&c, b) != 0 ||
        validate_process(&c, b) != 0 || validate_mpu_model(&c, b) != 0 ||
        validate_pmp_entries(&c, b) != 0)
        return -1;
    return 0;
}

/* ---- dump ---- */

static cJSON *dump_object(const struct field *fields, const struct board *b);

/* A string member that may lack its NUL (a hand-built board): never read past it. */
static cJSON *dump_text(const char *s, size_t size)
{
    char buf[BOARD_PATH_MAX + 1];
    size_t len = 0;

    while (len < size && len < BOARD_PATH_MAX && s[len] != '\0')
        len++;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return cJSON_CreateString(buf);
}

static cJSON *dump_fault_policy(const struct board *b)
{
    char text[32];

    switch (b->fault_policy) {
    case BOARD_FAULT_PANIC:
        return cJSON_CreateString("panic");
    case BOARD_FAULT_STOP:
        return cJSON_CreateString("stop");
    case BOARD_FAULT_RESTART:
        snprintf(text, sizeof text, "restart:%u", b->fault_restarts);
        return cJSON_CreateString(text);
    }
    return cJSON_CreateString("invalid");
}

static cJSON *dump_apps(const struct board *b)
{
    cJSON *apps = cJSON_CreateArray();
    size_t count = b->app_count < BOARD_APPS_MAX ? b->app_count : BOARD_APPS_MAX;

    for (size_t i = 0; apps != NULL && i < count; i++) {
        cJSON *app = dump_text(b->apps[i], sizeof b->apps[i]);

        if (app == NULL || !cJSON_AddItemToArray(apps, app)) {
            cJSON_Delete(app);
            cJSON_Delete(apps);
            return NULL;
        }
    }
    return apps;
}

static cJSON *dump_field(const struct field *f, const struct board *b)
{
    char hex[32];
    int value;

    switch (f->kind) {
    case FIELD_OBJECT:
        return dump_object(f->fields, b);
    case FIELD_STRING:
        return dump_text(cmember(b, f), f->size);
    case FIELD_U32:
        return cJSON_CreateNumber(*(const uint32_t *)cmember(b, f));
    case FIELD_I32:
        return cJSON_CreateNumber(*(const int32_t *)cmember(b, f));
    case FIELD_ADDR:
        snprintf(hex, sizeof hex, "0x%08llx", (unsigned long long)*(const uint64_t *)cmember(b, f));
        return cJSON_CreateString(hex);
    case FIELD_BOOL:
        return cJSON_CreateBool(*(const bool *)cmember(b, f));
    case FIELD_ENUM:
        value = f->get(b);
        for (int i = 0; f->names[i] != NULL; i++) {
            if (i == value)
                return cJSON_CreateString(f->names[i]);
        }
        return cJSON_CreateString("invalid");
    case FIELD_FAULT_POLICY:
        return dump_fault_policy(b);
    case FIELD_APPS:
        return dump_apps(b);
    }
    return NULL;
}

static cJSON *dump_object(const struct field *fields, const struct board *b)
{
    cJSON *obj = cJSON_CreateObject();

    for (const struct field *f = fields; obj != NULL && f->key != NULL; f++) {
        cJSON *value = dump_field(f, b);

        if (value == NULL || !cJSON_AddItemToObject(obj, f->key, value)) {
            cJSON_Delete(value);
            cJSON_Delete(obj);
            return NULL;
        }
    }
    return obj;
}

/* NULL if b is NULL or memory runs out. */
char *board_dump(const struct board *b)
{
    cJSON *root;
    char *text;

    if (b == NULL)
        return NULL;
    root = dump_object(board_fields, b);
    if (root == NULL)
        return NULL;
    text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}
