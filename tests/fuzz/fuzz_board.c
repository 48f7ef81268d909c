/*
 * fuzz_board: bytes into the board-file parser and validator (sim/board/board.c).
 *
 * JSON mode (any input): board_parse must either refuse with one readable
 * line "fuzz: KEY.PATH: reason", or accept a board that board_validate also
 * accepts and whose dump parses back to the very same dump.
 *
 * Raw mode (input starting with the 4 bytes "\0raw"): the rest sets fields of
 * a default struct board directly, as a program building a board by hand
 * might get them wrong (strings without their NUL, any numbers, unknown enum
 * values); board_validate and board_dump must cope, and a board that
 * validates must round-trip too.
 *
 * Any broken promise aborts, so the engine keeps the input.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board.h"
#include "fuzz_common.h"

#define RAW_MAGIC     "\0raw"
#define RAW_MAGIC_LEN 4

/* Big (the app list is 32 KiB): static, not on the stack. */
static struct board parsed, reparsed;

/* A message is NUL-terminated inside err, names the input and is one printable line. */
static void check_message(const char err[BOARD_ERR_MAX], const char *file, int rc)
{
    const char *nul = memchr(err, '\0', BOARD_ERR_MAX);
    FZ_CHECK(nul != NULL, "%s: error message is not terminated within %d bytes", file,
             BOARD_ERR_MAX);
    if (rc == 0) {
        FZ_CHECK(err[0] == '\0', "%s: accepted, yet the message says \"%s\"", file, err);
        return;
    }
    size_t flen = strlen(file);
    FZ_CHECK(strncmp(err, file, flen) == 0 && err[flen] == ':',
             "%s: message does not start with the file name: \"%s\"", file, err);
    for (const char *c = err; c < nul; c++)
        FZ_CHECK((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f,
                 "%s: message has byte 0x%02x at %zu (not one printable line): \"%s\"", file,
                 (unsigned char)*c, (size_t)(c - err), err);
}

/* dump -> parse -> dump must give the same text, and the parse must succeed. */
static void check_round_trip(const struct board *b, const char *what)
{
    char err[BOARD_ERR_MAX];
    char *first = board_dump(b);
    FZ_CHECK(first != NULL, "%s: board_dump failed on a valid board", what);
    int rc = board_parse(&reparsed, "dump", first, strlen(first), err);
    check_message(err, "dump", rc);
    FZ_CHECK(rc == 0, "%s: the dump of a valid board does not parse back: %s\n%s", what, err,
             first);
    FZ_CHECK(board_validate(&reparsed, "dump", err) == 0,
             "%s: the parsed dump does not validate: %s", what, err);
    char *second = board_dump(&reparsed);
    FZ_CHECK(second != NULL, "%s: board_dump failed on the parsed dump", what);
    FZ_CHECK(strcmp(first, second) == 0, "%s: dump -> parse -> dump differs:\n%s\n---\n%s", what,
             first, second);
    free(first);
    free(second);
}

static void json_mode(const uint8_t *data, size_t size)
{
    char err[BOARD_ERR_MAX];
    memset(err, 'x', sizeof(err)); /* an unterminated message would show */
    int rc = board_parse(&parsed, "fuzz", (const char *)data, size, err);
    check_message(err, "fuzz", rc);
    FZ_CHECK(rc == 0 || rc == -1, "board_parse returned %d", rc);
    if (rc != 0)
        return;
    memset(err, 'x', sizeof(err));
    rc = board_validate(&parsed, "fuzz", err);
    check_message(err, "fuzz", rc);
    FZ_CHECK(rc == 0, "board_parse accepted a board board_validate refuses: %s", err);
    check_round_trip(&parsed, "json");
}

/*
 * A board built by hand, field by field: each record is a selector byte
 * (which field, modulo the table) and that field's raw bytes. Strings get
 * bytes with no terminating NUL when the record fills them; numbers and
 * enums get any value; bools only true or false (the one thing C itself
 * forbids). Fields a record does not name keep their defaults.
 */
enum raw_kind { RAW_STR, RAW_U32, RAW_U64, RAW_SIZE, RAW_ENUM, RAW_BOOL, RAW_APP };

struct raw_field {
    enum raw_kind kind;
    size_t offset, size;
};

#define RAW(kind, m)                                                                               \
    {                                                                                              \
        kind, offsetof(struct board, m), sizeof(((struct board *)0)->m)                            \
    }

static const struct raw_field raw_fields[] = {
    RAW(RAW_STR, name),
    RAW(RAW_STR, description),
    RAW(RAW_U64, flash.base),
    RAW(RAW_U64, flash.size),
    RAW(RAW_U64, ram.base),
    RAW(RAW_U64, ram.size),
    RAW(RAW_U64, ram.kernel_reserved),
    RAW(RAW_STR, mpu_model),
    RAW(RAW_U32, pmp_entries),
    RAW(RAW_ENUM, isolation),
    RAW(RAW_ENUM, clock.mode),
    RAW(RAW_U32, clock.frequency_hz),
    RAW(RAW_U32, clock.width_bits),
    RAW(RAW_ENUM, scheduler.kind),
    RAW(RAW_U32, scheduler.timeslice_us),
    RAW(RAW_ENUM, fault_policy),
    RAW(RAW_U32, fault_restarts),
    RAW(RAW_U32, process.max_processes),
    RAW(RAW_U32, process.stack_size),
    RAW(RAW_U32, process.heap_size),
    RAW(RAW_U32, process.grant_size),
    RAW(RAW_U32, process.upcall_queue_len),
    RAW(RAW_ENUM, process.memory_pressure),
    RAW(RAW_BOOL, drivers.alarm),
    RAW(RAW_BOOL, drivers.console),
    RAW(RAW_BOOL, drivers.low_level_debug),
    RAW(RAW_U32, drivers.led_count),
    RAW(RAW_U32, drivers.button_count),
    RAW(RAW_U32, drivers.gpio_count),
    RAW(RAW_BOOL, drivers.rng),
    RAW(RAW_U32, drivers.rng_seed),
    RAW(RAW_BOOL, drivers.ipc),
    RAW(RAW_BOOL, drivers.app_flash),
    RAW(RAW_SIZE, app_count),
    RAW(RAW_APP, apps),
};
#define RAW_FIELDS (sizeof(raw_fields) / sizeof(raw_fields[0]))

static void raw_record(struct board *b, struct fz_in *in)
{
    const struct raw_field *f = &raw_fields[fz_u8(in) % RAW_FIELDS];
    uint8_t *at = (uint8_t *)b + f->offset;
    switch (f->kind) {
    case RAW_STR:
    case RAW_APP: {
        size_t size = f->size;
        if (f->kind == RAW_APP) { /* one app path: which, then its bytes */
            size = sizeof(b->apps[0]);
            at += (fz_u8(in) % BOARD_APPS_MAX) * size;
        }
        size_t n = fz_u8(in); /* 255: the whole member, no NUL anywhere */
        n = n == 255 || n > size ? size : n;
        memset(at, 0, size);
        for (size_t i = 0; i < n; i++)
            at[i] = fz_u8(in);
        return;
    }
    case RAW_U32:
    case RAW_ENUM: { /* an enum is an int-sized object in C; any value may be stored */
        uint32_t v = (uint32_t)fz_le(in, 4);
        memcpy(at, &v, sizeof(v));
        return;
    }
    case RAW_U64: {
        uint64_t v = fz_le(in, 8);
        memcpy(at, &v, sizeof(v));
        return;
    }
    case RAW_SIZE: {
        size_t v = (size_t)fz_le(in, sizeof(size_t));
        memcpy(at, &v, sizeof(v));
        return;
    }
    case RAW_BOOL:
        *(bool *)at = (fz_u8(in) & 1) != 0;
        return;
    }
}

static void raw_mode(const uint8_t *data, size_t size)
{
    char err[BOARD_ERR_MAX];
    struct fz_in in = {data, size};
    board_default(&parsed);
    while (fz_more(&in))
        raw_record(&parsed, &in);
    memset(err, 'x', sizeof(err));
    int rc = board_validate(&parsed, "raw", err);
    check_message(err, "raw", rc);
    /* Valid or not, the dump never reads past a member. */
    char *text = board_dump(&parsed);
    free(text);
    if (rc == 0)
        check_round_trip(&parsed, "raw");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= RAW_MAGIC_LEN && memcmp(data, RAW_MAGIC, RAW_MAGIC_LEN) == 0)
        raw_mode(data + RAW_MAGIC_LEN, size - RAW_MAGIC_LEN);
    else
        json_mode(data, size);
    return 0;
}
