/*
 * Board configuration: defaults, every refusal (each message must name the
 * file, the key path and the reason), dump round trips for the default board
 * and every board file in boards/, and robustness against truncated and random input.
 *
 * Board files are found under KSIM_SOURCE_DIR (the build defines it as the
 * source tree; "." when built by hand from the repository root).
 */
#define _POSIX_C_SOURCE 200809L /* opendir, sysconf */

#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/board.h"

#ifndef KSIM_SOURCE_DIR
#define KSIM_SOURCE_DIR "."
#endif

/* Same test as board.c: a sanitizer build refuses boards over ASan's shadow. */
#if defined(KSIM_SANITIZE) && (KSIM_SANITIZE + 0)
#define SANITIZER_BUILD 1
#elif defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_BUILD 1
#endif
#endif
#ifndef SANITIZER_BUILD
#define SANITIZER_BUILD 0
#endif

#define NRF_BOARD KSIM_SOURCE_DIR "/boards/nrf52840dk.json"

static struct board b; /* 33 KiB: static, and each test runs in its own process */
static char err[BOARD_ERR_MAX];

static int parse(const char *json)
{
    return board_parse(&b, "t.json", json, strlen(json), err);
}

static void assert_accepted(const char *json)
{
    cr_assert_eq(parse(json), 0, "refused %s: %s", json, err);
}

/* The message must read "t.json: PATH: ...REASON...". */
static void assert_refused(const char *json, const char *path, const char *reason)
{
    char prefix[256];

    cr_assert_eq(parse(json), -1, "accepted: %s", json);
    snprintf(prefix, sizeof prefix, "t.json: %s: ", path);
    cr_assert(strncmp(err, prefix, strlen(prefix)) == 0,
              "message \"%s\" does not start with \"%s\"", err, prefix);
    cr_assert(strstr(err, reason) != NULL, "message \"%s\" lacks \"%s\"", err, reason);
}

/* A JSON document setting one memory region, the rest default. */
static const char *with_ram(const char *base, const char *size)
{
    static char json[256];

    snprintf(json, sizeof json, "{\"memory\": {\"ram\": {\"base\": %s, \"size\": %s}}}", base,
             size);
    return json;
}

static long page_size(void)
{
    return sysconf(_SC_PAGESIZE);
}

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text;

    cr_assert_not_null(f, "cannot open %s", path);
    text = malloc(1 << 20);
    cr_assert_not_null(text);
    *len = fread(text, 1, (1 << 20) - 1, f);
    text[*len] = '\0';
    fclose(f);
    return text;
}

static void assert_round_trip(const struct board *board, const char *what)
{
    struct board *again = malloc(sizeof *again);
    char *first = board_dump(board);
    char *second;

    cr_assert_not_null(again);
    cr_assert_not_null(first, "%s: no dump", what);
    cr_assert_eq(board_parse(again, "<dump>", first, strlen(first), err), 0,
                 "%s: dump does not parse back: %s\n%s", what, err, first);
    second = board_dump(again);
    cr_assert_not_null(second);
    cr_assert_str_eq(first, second, "%s: dump changed after a round trip", what);
    free(first);
    free(second);
    free(again);
}

/* ---- defaults and the dump ---- */

Test(board, defaults_are_valid)
{
    board_default(&b);
    cr_assert_eq(board_validate(&b, "<default>", err), 0, "%s", err);
}

Test(board, defaults_match_the_reference)
{
    board_default(&b);
    cr_assert_str_eq(b.name, "ksim-default");
    cr_assert_neq(b.description[0], '\0');
    cr_assert_eq(b.flash.base, 0x10000000);
    cr_assert_eq(b.flash.size, 4u << 20);
    cr_assert_eq(b.ram.base, 0x20000000);
    cr_assert_eq(b.ram.size, 16u << 20);
    cr_assert_eq(b.ram.kernel_reserved, 64u << 10);
    cr_assert_str_eq(b.mpu_model, "page");
    cr_assert_eq(b.isolation, BOARD_ISOLATION_MPU);
    cr_assert_eq(b.clock.mode, BOARD_CLOCK_VIRTUAL);
    cr_assert_eq(b.clock.frequency_hz, 1000000);
    cr_assert_eq(b.clock.width_bits, 32);
    cr_assert_eq(b.scheduler.timeslice_us, 10000);
    cr_assert_eq(b.fault_policy, BOARD_FAULT_STOP);
    cr_assert_eq(b.fault_restarts, 0);
    cr_assert_eq(b.process.max_processes, 64);
    cr_assert_eq(b.process.stack_size, 16384);
    cr_assert_eq(b.process.heap_size, 131072);
    cr_assert_eq(b.process.grant_size, 4096);
    cr_assert_eq(b.process.upcall_queue_len, 16);
    cr_assert(b.drivers.alarm && b.drivers.console && b.drivers.low_level_debug);
    cr_assert_eq(b.app_count, 0);
    cr_assert_leq(b.ram.base + b.ram.size, BOARD_ASAN_ADDR_LIMIT);
    cr_assert_leq(b.flash.base + b.flash.size, BOARD_ASAN_ADDR_LIMIT);
}

Test(board, empty_object_gives_the_defaults)
{
    struct board *def = malloc(sizeof *def);
    char *want, *got;

    board_default(def);
    assert_accepted("{}");
    want = board_dump(def);
    got = board_dump(&b);
    cr_assert_str_eq(got, want);
    free(want);
    free(got);
    free(def);
}

Test(board, dump_round_trips_the_default)
{
    board_default(&b);
    assert_round_trip(&b, "default board");
}

Test(board, dump_round_trips_every_board_file)
{
    DIR *dir = opendir(KSIM_SOURCE_DIR "/boards");
    struct dirent *entry;
    size_t count = 0;

    cr_assert_not_null(dir, "cannot open %s/boards: set KSIM_SOURCE_DIR", KSIM_SOURCE_DIR);
    while ((entry = readdir(dir)) != NULL) {
        size_t n = strlen(entry->d_name);
        char path[1024];

        if (n < 5 || strcmp(entry->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/boards/%s", KSIM_SOURCE_DIR, entry->d_name);
        /* A board at real addresses above ASan's shadow is refused here by design (docs/mpu.md). */
        if (SANITIZER_BUILD && board_load(&b, path, err) != 0 &&
            strstr(err, "AddressSanitizer's shadow") != NULL)
            continue;
        cr_assert_eq(board_load(&b, path, err), 0, "%s", err);
        assert_round_trip(&b, path);
        count++;
    }
    closedir(dir);
    cr_assert_gt(count, 0, "no board files in %s/boards", KSIM_SOURCE_DIR);
}

Test(board, dump_round_trips_a_busy_board)
{
    assert_accepted("{\"fault_policy\": \"restart:7\", \"isolation\": \"off\","
                    " \"clock\": {\"mode\": \"real\"}, \"apps\": [\"a.elf\", \"/abs/b.elf\"],"
                    " \"drivers\": {\"console\": {\"enabled\": false}},"
                    " \"description\": \"caf\\u00e9 \\\"quoted\\\" \\\\ / tab\\t\"}");
    assert_round_trip(&b, "busy board");
}

Test(board, dump_makes_every_default_explicit)
{
    char *text;
    cJSON *root, *base, *stack, *enabled, *apps;

    board_default(&b);
    text = board_dump(&b);
    cr_assert_not_null(text);
    root = cJSON_Parse(text);
    cr_assert_not_null(root);
    base = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "memory"), "ram"),
        "kernel_reserved");
    cr_assert(cJSON_IsString(base));
    cr_assert_str_eq(base->valuestring, "0x00010000");
    stack = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "process"),
                                             "stack_size");
    cr_assert(cJSON_IsNumber(stack));
    cr_assert_eq(stack->valuedouble, 16384);
    enabled = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "drivers"),
                                         "low_level_debug"),
        "enabled");
    cr_assert(cJSON_IsTrue(enabled));
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "fault_policy")->valuestring, "stop");
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "isolation")->valuestring, "mpu");
    apps = cJSON_GetObjectItemCaseSensitive(root, "apps");
    cr_assert(cJSON_IsArray(apps) && cJSON_GetArraySize(apps) == 0);
    cr_assert_not_null(strstr(text, "\"base\":\t\"0x10000000\""), "%s", text);
    cJSON_Delete(root);
    free(text);
}

Test(board, dump_writes_restart_count)
{
    char *text;

    assert_accepted("{\"fault_policy\": \"restart:12\"}");
    cr_assert_eq(b.fault_policy, BOARD_FAULT_RESTART);
    cr_assert_eq(b.fault_restarts, 12);
    text = board_dump(&b);
    cr_assert_not_null(strstr(text, "\"fault_policy\":\t\"restart:12\""), "%s", text);
    free(text);
}

Test(board, docs_show_the_default_dump)
{
    size_t len;
    char *doc = read_text(KSIM_SOURCE_DIR "/docs/board.md", &len);
    char *dump;

    board_default(&b);
    dump = board_dump(&b);
    cr_assert_not_null(strstr(doc, dump), "docs/board.md no longer shows the default dump:\n%s",
                       dump);
    free(dump);
    free(doc);
}

/* ---- loading ---- */

Test(board, loads_nrf52840dk)
{
    cr_assert_eq(board_load(&b, NRF_BOARD, err), 0, "%s", err);
    cr_assert_str_eq(b.name, "nrf52840dk");
    cr_assert_eq(b.flash.base, 0x00040000);
    cr_assert_eq(b.flash.size, 0x000c0000);
    cr_assert_eq(b.ram.base, 0x20000000);
    cr_assert_eq(b.ram.size, 0x40000);
    cr_assert_eq(b.ram.kernel_reserved, 0x10000);
    cr_assert_str_eq(b.mpu_model, "cortex-m-pmsav7");
    cr_assert_eq(b.clock.frequency_hz, 32768);
    cr_assert_eq(b.clock.width_bits, 24);
    cr_assert_eq(b.process.max_processes, 8);
    cr_assert_eq(b.process.stack_size, 8192);
    cr_assert_eq(b.process.heap_size, 16384);
    cr_assert_eq(b.process.grant_size, 4096);
    cr_assert(b.drivers.temperature, "the part's TEMP peripheral");
    cr_assert(!b.drivers.humidity && !b.drivers.ambient_light && !b.drivers.ninedof &&
                  !b.drivers.proximity && !b.drivers.sound_pressure && !b.drivers.air_quality &&
                  !b.drivers.moisture && !b.drivers.rainfall,
              "the DK has no other sensor");
    cr_assert_str_eq(b.dir, KSIM_SOURCE_DIR "/boards");
}

Test(board, load_sets_dir)
{
    cr_assert_eq(board_load(&b, NRF_BOARD, err), 0, "%s", err);
    cr_assert_str_eq(b.dir, KSIM_SOURCE_DIR "/boards");
    board_default(&b);
    cr_assert_str_eq(b.dir, ".");
}

Test(board, load_names_the_file_and_the_system_error)
{
    cr_assert_eq(board_load(&b, "no/such/board.json", err), -1);
    cr_assert_str_eq(err, "no/such/board.json: cannot open: No such file or directory");
    cr_assert_eq(board_load(&b, KSIM_SOURCE_DIR "/boards", err), -1);
    cr_assert_str_eq(err, KSIM_SOURCE_DIR "/boards: cannot read: Is a directory");
}

Test(board, load_refuses_an_overlong_directory)
{
    char path[BOARD_PATH_MAX + 16];

    memset(path, 'd', sizeof path);
    memcpy(path + BOARD_PATH_MAX + 5, "/b.json", 8);
    cr_assert_eq(board_load(&b, path, err), -1);
    cr_assert_not_null(strstr(err, "directory name is longer than 511 bytes"), "%s", err);
}

/* ---- accepted spellings ---- */

Test(board, accepts_integer_hex_and_decimal_addresses)
{
    assert_accepted(with_ram("536870912", "\"0x00100000\""));
    cr_assert_eq(b.ram.base, 0x20000000);
    cr_assert_eq(b.ram.size, 0x100000);
    assert_accepted(with_ram("\"536870912\"", "\"0X100000\""));
    cr_assert_eq(b.ram.base, 0x20000000);
    cr_assert_eq(b.ram.size, 0x100000);
    assert_accepted(with_ram("\"0x0000000020000000\"", "1048576"));
    cr_assert_eq(b.ram.base, 0x20000000);
}

Test(board, accepts_every_fault_policy)
{
    assert_accepted("{\"fault_policy\": \"panic\"}");
    cr_assert_eq(b.fault_policy, BOARD_FAULT_PANIC);
    assert_accepted("{\"fault_policy\": \"stop\"}");
    cr_assert_eq(b.fault_policy, BOARD_FAULT_STOP);
    assert_accepted("{\"fault_policy\": \"restart:1\"}");
    cr_assert_eq(b.fault_restarts, 1);
    assert_accepted("{\"fault_policy\": \"restart:1000\"}");
    cr_assert_eq(b.fault_policy, BOARD_FAULT_RESTART);
    cr_assert_eq(b.fault_restarts, 1000);
}

Test(board, accepts_range_limits)
{
    assert_accepted("{\"clock\": {\"frequency_hz\": 1000, \"width_bits\": 8},"
                    " \"scheduler\": {\"timeslice_us\": 100},"
                    " \"process\": {\"max_processes\": 1, \"upcall_queue_len\": 1,"
                    " \"heap_size\": 0}}");
    assert_accepted("{\"clock\": {\"frequency_hz\": 1000000000, \"width_bits\": 32},"
                    " \"scheduler\": {\"timeslice_us\": 10000000},"
                    " \"process\": {\"max_processes\": 1024, \"upcall_queue_len\": 64}}");
    assert_accepted("{\"memory\": {\"ram\": {\"kernel_reserved\": 0}}}");
}

/* ---- refusals: keys and types ---- */

Test(board, rejects_unknown_key)
{
    assert_refused("{\"nmae\": \"x\"}", "nmae", "unknown key (expected one of: name, description");
}

Test(board, rejects_unknown_nested_key)
{
    assert_refused("{\"process\": {\"stak_size\": 4096}}", "process.stak_size",
                   "unknown key (expected one of: max_processes, stack_size");
    assert_refused("{\"memory\": {\"ram\": {\"bsae\": 0}}}", "memory.ram.bsae", "unknown key");
    assert_refused("{\"drivers\": {\"uart\": {\"enabled\": true}}}", "drivers.uart", "unknown key");
    assert_refused("{\"drivers\": {\"alarm\": {\"enabled\": true, \"x\": 1}}}", "drivers.alarm.x",
                   "unknown key");
}

Test(board, rejects_keys_in_another_case)
{
    assert_refused("{\"Name\": \"x\"}", "Name", "unknown key");
}

Test(board, rejects_duplicate_key)
{
    assert_refused("{\"name\": \"a\", \"name\": \"b\"}", "name", "duplicate key");
    assert_refused("{\"clock\": {\"width_bits\": 24, \"width_bits\": 24}}", "clock.width_bits",
                   "duplicate key");
}

Test(board, rejects_wrong_types)
{
    assert_refused("{\"name\": 5}", "name", "expected a string, got a number");
    assert_refused("{\"memory\": []}", "memory", "expected an object, got an array");
    assert_refused("{\"memory\": {\"flash\": null}}", "memory.flash",
                   "expected an object, got null");
    assert_refused("{\"drivers\": {\"alarm\": {\"enabled\": \"yes\"}}}", "drivers.alarm.enabled",
                   "expected true or false, got a string");
    assert_refused("{\"process\": {\"max_processes\": \"8\"}}", "process.max_processes",
                   "expected an integer, got a string");
    assert_refused("{\"memory\": {\"ram\": {\"base\": true}}}", "memory.ram.base",
                   "expected an integer or a \"0x...\" string, got a boolean");
    assert_refused("{\"apps\": {}}", "apps", "expected an array of strings, got an object");
    assert_refused("{\"isolation\": 1}", "isolation",
                   "expected \"mpu\", \"off\" or \"process\", got a number");
    assert_refused("{\"fault_policy\": 3}", "fault_policy", "got a number");
    assert_refused("[]", "(top level)", "expected an object, got an array");
    assert_refused("42", "(top level)", "expected an object, got a number");
}

Test(board, rejects_non_string_app)
{
    assert_refused("{\"apps\": [\"a.elf\", \"b.elf\", 3]}", "apps[2]",
                   "expected a string, got a number");
}

Test(board, rejects_empty_and_overlong_app_paths)
{
    char json[BOARD_PATH_MAX + 64];
    char name[BOARD_PATH_MAX + 1];

    assert_refused("{\"apps\": [\"\"]}", "apps[0]", "empty path");
    memset(name, 'a', BOARD_PATH_MAX);
    name[BOARD_PATH_MAX] = '\0';
    snprintf(json, sizeof json, "{\"apps\": [\"%s\"]}", name);
    assert_refused(json, "apps[0]", "path is 512 bytes, at most 511");
    name[BOARD_PATH_MAX - 1] = '\0';
    snprintf(json, sizeof json, "{\"apps\": [\"%s\"]}", name);
    assert_accepted(json);
    cr_assert_eq(b.app_count, 1);
    cr_assert_eq(strlen(b.apps[0]), BOARD_PATH_MAX - 1);
}

static char *apps_json(size_t count)
{
    char *json = malloc(32 + count * 16);
    size_t used;

    cr_assert_not_null(json);
    used = (size_t)sprintf(json, "{\"apps\": [");
    for (size_t i = 0; i < count; i++)
        used += (size_t)sprintf(json + used, "%s\"app%zu.elf\"", i ? ", " : "", i);
    strcpy(json + used, "]}");
    return json;
}

Test(board, rejects_too_many_apps)
{
    char *json = apps_json(BOARD_APPS_MAX + 1);

    assert_refused(json, "apps", "65 apps, at most 64");
    free(json);
    json = apps_json(BOARD_APPS_MAX);
    assert_accepted(json);
    cr_assert_eq(b.app_count, BOARD_APPS_MAX);
    cr_assert_str_eq(b.apps[63], "app63.elf");
    free(json);
}

Test(board, rejects_overlong_strings)
{
    char json[BOARD_TEXT_MAX + 64];
    char text[BOARD_TEXT_MAX + 1];

    memset(text, 'n', BOARD_NAME_MAX);
    text[BOARD_NAME_MAX] = '\0';
    snprintf(json, sizeof json, "{\"name\": \"%s\"}", text);
    assert_refused(json, "name", "64 bytes is too long (at most 63)");
    memset(text, 'd', BOARD_TEXT_MAX);
    text[BOARD_TEXT_MAX] = '\0';
    snprintf(json, sizeof json, "{\"description\": \"%s\"}", text);
    assert_refused(json, "description", "256 bytes is too long (at most 255)");
}

/* ---- refusals: numbers ---- */

Test(board, rejects_hex_garbage)
{
    static const char *const garbage[] = {
        "\"0xZZ\"",     "\"0x\"",     "\"\"",      "\"12ab\"",  "\" 4096\"",
        "\"4096 \"",    "\"+4096\"",  "\"-4096\"", "\"0x-1\"",  "\"1e6\"",
        "\"0x1_0000\"", "\"0b1000\"", "\"x1000\"", "\"0x 10\"", "\"4k\"",
    };
    char expected[128];

    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        assert_refused(with_ram(garbage[i], "\"0x100000\""), "memory.ram.base",
                       "expected an integer, a \"0x...\" hex string or a decimal string, got \"");
    }
    assert_refused(with_ram("\"0xZZ\"", "\"0x100000\""), "memory.ram.base", "got \"0xZZ\"");
    snprintf(expected, sizeof expected, "\"0x10000000000000000\" does not fit in 64 bits");
    assert_refused(with_ram("\"0x10000000000000000\"", "\"0x100000\""), "memory.ram.base",
                   expected);
    assert_refused(with_ram("\"18446744073709551616\"", "\"0x100000\""), "memory.ram.base",
                   "does not fit in 64 bits");
}

Test(board, accepts_full_64_bit_hex_then_checks_the_range)
{
    assert_refused(with_ram("\"0xfffffffffffff000\"", "\"0x100000\""), "memory.ram",
                   "not below 4 GiB");
    assert_refused(with_ram("\"18446744073709547520\"", "\"0x100000\""), "memory.ram",
                   "not below 4 GiB");
}

Test(board, rejects_fractions_negatives_and_huge_numbers)
{
    assert_refused("{\"process\": {\"stack_size\": 4096.5}}", "process.stack_size",
                   "expected an integer, got 4096.5");
    assert_refused("{\"process\": {\"stack_size\": -4096}}", "process.stack_size",
                   "expected a non-negative integer, got -4096");
    assert_refused("{\"process\": {\"stack_size\": 1e300}}", "process.stack_size",
                   "1e+300 is out of range 0..4294967295");
    assert_refused("{\"process\": {\"stack_size\": 4294967296}}", "process.stack_size",
                   "4294967296 is out of range 0..4294967295");
    assert_refused("{\"process\": {\"max_processes\": 1e999}}", "process.max_processes",
                   "out of range 1..1024");
    assert_refused(with_ram("536870912.5", "\"0x100000\""), "memory.ram.base",
                   "expected an integer, got 536870912.5");
    assert_refused(with_ram("-4096", "\"0x100000\""), "memory.ram.base",
                   "expected a non-negative integer, got -4096");
    assert_refused(with_ram("1e17", "\"0x100000\""), "memory.ram.base",
                   "write it as a \"0x...\" string");
    assert_refused(with_ram("-1e999", "\"0x100000\""), "memory.ram.base", "non-negative");
}

Test(board, rejects_out_of_range_integers)
{
    assert_refused("{\"clock\": {\"width_bits\": 7}}", "clock.width_bits",
                   "7 is out of range 8..32");
    assert_refused("{\"clock\": {\"width_bits\": 33}}", "clock.width_bits",
                   "33 is out of range 8..32");
    assert_refused("{\"clock\": {\"frequency_hz\": 999}}", "clock.frequency_hz",
                   "999 is out of range 1000..1000000000");
    assert_refused("{\"clock\": {\"frequency_hz\": 1000000001}}", "clock.frequency_hz",
                   "out of range");
    assert_refused("{\"scheduler\": {\"timeslice_us\": 99}}", "scheduler.timeslice_us",
                   "99 is out of range 100..10000000");
    assert_refused("{\"scheduler\": {\"timeslice_us\": 10000001}}", "scheduler.timeslice_us",
                   "out of range");
    assert_refused("{\"process\": {\"max_processes\": 0}}", "process.max_processes",
                   "0 is out of range 1..1024");
    assert_refused("{\"process\": {\"max_processes\": 1025}}", "process.max_processes",
                   "out of range");
    assert_refused("{\"process\": {\"upcall_queue_len\": 0}}", "process.upcall_queue_len",
                   "out of range 1..64");
    assert_refused("{\"process\": {\"upcall_queue_len\": 65}}", "process.upcall_queue_len",
                   "65 is out of range 1..64");
}

Test(board, sensors_are_there_unless_the_board_leaves_them_out)
{
    assert_accepted("{}");
    cr_assert(b.drivers.temperature && b.drivers.humidity);
    cr_assert_eq(b.drivers.temperature_value, 2350);
    assert_accepted("{\"drivers\": {\"temperature\": {\"enabled\": false},"
                    " \"humidity\": {\"enabled\": false}}}");
    cr_assert(!b.drivers.temperature && !b.drivers.humidity);
    assert_accepted("{\"drivers\": {\"temperature\": {\"enabled\": true, \"value\": -27315},"
                    " \"humidity\": {\"enabled\": true, \"value\": 10000}}}");
    cr_assert(b.drivers.temperature && b.drivers.humidity);
    cr_assert_eq(b.drivers.temperature_value, -27315);
    cr_assert_eq(b.drivers.humidity_value, 10000);
    assert_round_trip(&b, "sensors");
}

Test(board, rejects_impossible_sensor_values)
{
    assert_refused("{\"drivers\": {\"temperature\": {\"value\": -27316}}}",
                   "drivers.temperature.value", "-27316 is out of range -27315..100000");
    assert_refused("{\"drivers\": {\"temperature\": {\"value\": 100001}}}",
                   "drivers.temperature.value", "out of range");
    assert_refused("{\"drivers\": {\"temperature\": {\"value\": 21.5}}}",
                   "drivers.temperature.value", "expected an integer, got 21.5");
    assert_refused("{\"drivers\": {\"temperature\": {\"value\": -1e999}}}",
                   "drivers.temperature.value", "out of range");
    assert_refused("{\"drivers\": {\"temperature\": {\"value\": \"20\"}}}",
                   "drivers.temperature.value", "integer");
    assert_refused("{\"drivers\": {\"humidity\": {\"value\": 10001}}}", "drivers.humidity.value",
                   "10001 is out of range 0..10000");
}

Test(board, every_issue_14_sensor_is_on_by_default_with_a_plausible_reading)
{
    assert_accepted("{}");
    cr_assert(b.drivers.ambient_light && b.drivers.ninedof && b.drivers.proximity &&
              b.drivers.sound_pressure && b.drivers.moisture && b.drivers.rainfall);
    cr_assert_eq(b.drivers.ambient_light_value, 320);
    cr_assert_eq(b.drivers.accelerometer[0], 0);
    cr_assert_eq(b.drivers.accelerometer[2], 1000, "lying flat: 1 g on z");
    cr_assert_eq(b.drivers.magnetometer[0], 20);
    cr_assert_eq(b.drivers.magnetometer[2], -43);
    cr_assert_eq(b.drivers.gyroscope[1], 0);
    cr_assert_eq(b.drivers.proximity_value, 0);
    cr_assert_eq(b.drivers.sound_pressure_value, 40);
    cr_assert(b.drivers.air_quality);
    cr_assert_eq(b.drivers.co2_value, 420);
    cr_assert_eq(b.drivers.tvoc_value, 50);
    cr_assert_eq(b.drivers.moisture_value, 2500);
    cr_assert_eq(b.drivers.rainfall_value, 2000);
}

Test(board, sensors_take_their_values_or_are_left_out)
{
    assert_accepted("{\"drivers\": {\"ambient_light\": {\"value\": 200000},"
                    " \"ninedof\": {\"accelerometer\": {\"x\": -16000, \"z\": 16000},"
                    " \"magnetometer\": {\"y\": 5000}, \"gyroscope\": {\"x\": -5000}},"
                    " \"proximity\": {\"value\": 255}, \"sound_pressure\": {\"value\": 255},"
                    " \"air_quality\": {\"co2\": 40000, \"tvoc\": 60000},"
                    " \"moisture\": {\"value\": 10000}, \"rainfall\": {\"value\": 10000000}}}");
    cr_assert_eq(b.drivers.ambient_light_value, 200000);
    cr_assert_eq(b.drivers.accelerometer[0], -16000);
    cr_assert_eq(b.drivers.accelerometer[1], 0, "an axis left out keeps its default");
    cr_assert_eq(b.drivers.accelerometer[2], 16000);
    cr_assert_eq(b.drivers.magnetometer[0], 20);
    cr_assert_eq(b.drivers.magnetometer[1], 5000);
    cr_assert_eq(b.drivers.gyroscope[0], -5000);
    cr_assert_eq(b.drivers.proximity_value, 255);
    cr_assert_eq(b.drivers.sound_pressure_value, 255);
    cr_assert_eq(b.drivers.co2_value, 40000);
    cr_assert_eq(b.drivers.tvoc_value, 60000);
    cr_assert_eq(b.drivers.moisture_value, 10000);
    cr_assert_eq(b.drivers.rainfall_value, 10000000);
    assert_round_trip(&b, "sensor values");
    assert_accepted("{\"drivers\": {\"ambient_light\": {\"enabled\": false},"
                    " \"ninedof\": {\"enabled\": false}, \"proximity\": {\"enabled\": false},"
                    " \"sound_pressure\": {\"enabled\": false},"
                    " \"air_quality\": {\"enabled\": false},"
                    " \"moisture\": {\"enabled\": false}, \"rainfall\": {\"enabled\": false}}}");
    cr_assert(!b.drivers.ambient_light && !b.drivers.ninedof && !b.drivers.proximity &&
              !b.drivers.sound_pressure && !b.drivers.air_quality && !b.drivers.moisture &&
              !b.drivers.rainfall);
    assert_round_trip(&b, "sensors left out");
}

Test(board, rejects_impossible_readings_of_the_other_sensors)
{
    assert_refused("{\"drivers\": {\"ambient_light\": {\"value\": -1}}}",
                   "drivers.ambient_light.value", "expected a non-negative integer, got -1");
    assert_refused("{\"drivers\": {\"ambient_light\": {\"value\": 200001}}}",
                   "drivers.ambient_light.value", "out of range");
    assert_refused("{\"drivers\": {\"ninedof\": {\"accelerometer\": {\"z\": 16001}}}}",
                   "drivers.ninedof.accelerometer.z", "16001 is out of range -16000..16000");
    assert_refused("{\"drivers\": {\"ninedof\": {\"magnetometer\": {\"x\": -5001}}}}",
                   "drivers.ninedof.magnetometer.x", "-5001 is out of range -5000..5000");
    assert_refused("{\"drivers\": {\"ninedof\": {\"gyroscope\": {\"y\": 0.5}}}}",
                   "drivers.ninedof.gyroscope.y", "expected an integer, got 0.5");
    assert_refused("{\"drivers\": {\"ninedof\": {\"gyroscope\": [0, 0, 0]}}}",
                   "drivers.ninedof.gyroscope", "object");
    assert_refused("{\"drivers\": {\"ninedof\": {\"accelerometer\": {\"w\": 1}}}}",
                   "drivers.ninedof.accelerometer.w", "unknown");
    assert_refused("{\"drivers\": {\"proximity\": {\"value\": 256}}}", "drivers.proximity.value",
                   "256 is out of range 0..255");
    assert_refused("{\"drivers\": {\"sound_pressure\": {\"value\": 256}}}",
                   "drivers.sound_pressure.value", "256 is out of range 0..255");
    assert_refused("{\"drivers\": {\"air_quality\": {\"co2\": 40001}}}", "drivers.air_quality.co2",
                   "40001 is out of range 0..40000");
    assert_refused("{\"drivers\": {\"air_quality\": {\"tvoc\": 60001}}}",
                   "drivers.air_quality.tvoc", "60001 is out of range 0..60000");
    assert_refused("{\"drivers\": {\"moisture\": {\"value\": 10001}}}", "drivers.moisture.value",
                   "10001 is out of range 0..10000");
    assert_refused("{\"drivers\": {\"rainfall\": {\"value\": 10000001}}}", "drivers.rainfall.value",
                   "out of range 0..10000000");
    assert_refused("{\"drivers\": {\"rainfall\": {\"enabled\": 1}}}", "drivers.rainfall.enabled",
                   "expected true or false, got a number");
}

/* ---- refusals: memory map ---- */

Test(board, rejects_misaligned_base)
{
    char reason[128];

    snprintf(reason, sizeof reason, "0x20000100 is not a multiple of the host page size (%ld)",
             page_size());
    assert_refused(with_ram("\"0x20000100\"", "\"0x100000\""), "memory.ram.base", reason);
    assert_refused("{\"memory\": {\"flash\": {\"base\": \"0x10000800\"}}}", "memory.flash.base",
                   "is not a multiple of the host page size");
}

Test(board, rejects_misaligned_sizes)
{
    assert_refused(with_ram("\"0x20000000\"", "\"0x100001\""), "memory.ram.size",
                   "0x00100001 is not a multiple of the host page size");
    assert_refused("{\"memory\": {\"ram\": {\"kernel_reserved\": 100}}}",
                   "memory.ram.kernel_reserved", "is not a multiple of the host page size");
    assert_refused("{\"process\": {\"stack_size\": 5000}}", "process.stack_size",
                   "is not a multiple of the host page size");
    assert_refused("{\"process\": {\"heap_size\": 100}}", "process.heap_size",
                   "is not a multiple of the host page size");
    assert_refused("{\"process\": {\"grant_size\": 6000}}", "process.grant_size",
                   "is not a multiple of the host page size");
}

Test(board, rejects_size_zero)
{
    assert_refused("{\"memory\": {\"flash\": {\"size\": 0}}}", "memory.flash.size",
                   "must be greater than 0");
    assert_refused(with_ram("\"0x20000000\"", "\"0\""), "memory.ram.size",
                   "must be greater than 0");
    assert_refused("{\"process\": {\"stack_size\": 0}}", "process.stack_size",
                   "must be greater than 0");
    assert_refused("{\"process\": {\"grant_size\": 0}}", "process.grant_size",
                   "must be greater than 0");
}

Test(board, rejects_region_not_below_4gib)
{
    assert_refused(with_ram("\"0xfffff000\"", "\"0x2000\""), "memory.ram",
                   "base 0xfffff000 + size 0x00002000 is not below 4 GiB");
    assert_refused(with_ram("\"0x100000000\"", "\"0x1000\""), "memory.ram", "not below 4 GiB");
    /* base + size would wrap a 64-bit sum */
    assert_refused(with_ram("\"0xffffffffffff0000\"", "\"0x20000\""), "memory.ram",
                   "not below 4 GiB");
    assert_refused("{\"memory\": {\"flash\": {\"size\": \"0x100000000\"}}}", "memory.flash",
                   "not below 4 GiB");
}

Test(board, asan_limit_depends_on_the_build)
{
    const char *over_shadow = with_ram("\"0x7fff0000\"", "\"0x20000\"");

    if (SANITIZER_BUILD) {
        assert_refused(over_shadow, "memory.ram",
                       "0x7fff0000..0x80010000 overlaps AddressSanitizer's shadow at 0x7fff8000; "
                       "use a board below it in a sanitizer build (or a Release build)");
        assert_refused(with_ram("\"0xfff00000\"", "\"0x100000\""), "memory.ram",
                       "AddressSanitizer's shadow");
        assert_accepted(with_ram("\"0x7ffe0000\"", "\"0x18000\"")); /* ends exactly at it */
    } else {
        assert_accepted(over_shadow);
        assert_accepted(with_ram("\"0xfff00000\"", "\"0x100000\"")); /* ends exactly at 4 GiB */
    }
}

Test(board, rejects_base_below_mmap_min_addr)
{
    assert_refused("{\"memory\": {\"flash\": {\"base\": 0}}}", "memory.flash.base",
                   "0x00000000 is below 0x10000, Linux's mmap_min_addr");
    assert_refused(with_ram("\"0x1000\"", "\"0x10000\""), "memory.ram.base", "mmap_min_addr");
    assert_accepted(with_ram("\"0x10000\"", "\"0x20000\""));
}

Test(board, rejects_overlapping_flash_and_ram)
{
    assert_refused("{\"memory\": {\"flash\": {\"base\": \"0x20800000\"}}}", "memory",
                   "memory.flash 0x20800000..0x20c00000 and memory.ram 0x20000000..0x21000000 "
                   "overlap");
    /* touching is not overlapping */
    assert_accepted("{\"memory\": {\"flash\": {\"base\": \"0x1fc00000\"}}}");
    assert_refused("{\"memory\": {\"flash\": {\"base\": \"0x1fc01000\"}}}", "memory", "overlap");
}

Test(board, rejects_kernel_reserved_not_below_ram_size)
{
    assert_refused("{\"memory\": {\"ram\": {\"size\": \"0x10000\"}}}", "memory.ram.kernel_reserved",
                   "0x00010000 must be less than memory.ram.size (0x00010000)");
}

/* ---- refusals: enums ---- */

Test(board, rejects_bad_enum)
{
    assert_refused("{\"clock\": {\"mode\": \"fast\"}}", "clock.mode",
                   "expected \"virtual\" or \"real\", got \"fast\"");
    assert_refused("{\"isolation\": \"none\"}", "isolation",
                   "expected \"mpu\", \"off\" or \"process\", got \"none\"");
    assert_refused("{\"isolation\": \"MPU\"}", "isolation", "got \"MPU\"");
    assert_refused("{\"mpu\": {\"model\": \"cortex-m-pmsav8\"}}", "mpu.model",
                   "expected \"page\", \"cortex-m-pmsav7\" or \"riscv-pmp\", got "
                   "\"cortex-m-pmsav8\"");
}

Test(board, pmp_entries_are_8_or_16)
{
    assert_accepted("{\"mpu\": {\"model\": \"riscv-pmp\", \"pmp_entries\": 16}}");
    cr_assert_eq(b.pmp_entries, 16);
    assert_accepted("{\"mpu\": {\"model\": \"riscv-pmp\"}}");
    cr_assert_eq(b.pmp_entries, 8);
    assert_refused("{\"mpu\": {\"pmp_entries\": 12}}", "mpu.pmp_entries",
                   "expected 8 or 16, got 12");
    assert_refused("{\"mpu\": {\"pmp_entries\": 64}}", "mpu.pmp_entries", "");
}

Test(board, rejects_bad_restart_count)
{
    static const char *const bad[] = {"restart:",   "restart:x",   "restart:-1", "restart:+1",
                                      "restart: 1", "restart:1x",  "restart",    "Stop",
                                      "",           "restart:0x10"};
    char json[128];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(json, sizeof json, "{\"fault_policy\": \"%s\"}", bad[i]);
        assert_refused(json, "fault_policy",
                       "expected \"panic\", \"stop\" or \"restart:N\" (N 1..1000), got \"");
    }
    assert_refused("{\"fault_policy\": \"restart:0\"}", "fault_policy",
                   "restart count in \"restart:0\" is out of range 1..1000");
    assert_refused("{\"fault_policy\": \"restart:1001\"}", "fault_policy", "out of range 1..1000");
    assert_refused("{\"fault_policy\": \"restart:99999999999999999999999\"}", "fault_policy",
                   "out of range 1..1000");
}

/* ---- refusals: JSON syntax ---- */

Test(board, rejects_invalid_json_with_offset)
{
    cr_assert_eq(parse("{\n  \"name\": \"x\"\n  \"isolation\": \"off\"\n}"), -1);
    cr_assert(strncmp(err, "t.json: invalid JSON at byte offset 18 (line 3, column 3)", 57) == 0,
              "%s", err);
    cr_assert_eq(parse("{\"name\": \"x\",}"), -1);
    cr_assert_str_eq(err, "t.json: invalid JSON at byte offset 13 (line 1, column 14) near \"}\" "
                          "(end of input)");
    cr_assert_eq(parse("{\"name\": \"x\", \"mpu\": {\"model\": \"page\"}, \"apps\": [,]}"), -1);
    cr_assert_str_eq(err, "t.json: invalid JSON at byte offset 49 (line 1, column 50) near \",]}\" "
                          "(end of input)");
    cr_assert_eq(parse("{\"name\": \"x\" \"isolation\": \"off\", \"fault_policy\": \"stop\"}"), -1);
    cr_assert_str_eq(err, "t.json: invalid JSON at byte offset 13 (line 1, column 14) near "
                          "\"\\\"isolation\\\": \\\"of...\"");
    cr_assert_eq(parse("{\"name\": tru}"), -1);
    cr_assert_not_null(strstr(err, "t.json: invalid JSON at byte offset"), "%s", err);
    cr_assert_eq(parse("{\"name\": \"x\""), -1);
    cr_assert_not_null(strstr(err, "t.json: invalid JSON at byte offset"), "%s", err);
}

Test(board, rejects_text_after_the_value)
{
    cr_assert_eq(parse("{} x"), -1);
    cr_assert_str_eq(err, "t.json: invalid JSON at byte offset 3 (line 1, column 4): unexpected "
                          "text after the JSON value");
    cr_assert_eq(parse("{}{}"), -1);
    assert_accepted("\n{}\r\n\t ");
}

Test(board, rejects_empty_input)
{
    cr_assert_eq(parse(""), -1);
    cr_assert_str_eq(err, "t.json: invalid JSON at byte offset 0 (line 1, column 1): no JSON "
                          "value (empty input)");
    cr_assert_eq(parse(" \n "), -1);
    cr_assert_not_null(strstr(err, "(line 2, column 2): no JSON value"), "%s", err);
    cr_assert_eq(board_parse(&b, "t.json", NULL, 0, err), -1);
    cr_assert_not_null(strstr(err, "empty input"), "%s", err);
}

Test(board, rejects_control_bytes)
{
    static const char with_nul[] = "{\"name\": \"a\0b\"}";

    cr_assert_eq(parse("{\"name\": \"a\x01z\"}"), -1);
    cr_assert_not_null(strstr(err, "t.json: invalid JSON at byte offset 11 (line 1, column 12): "
                                   "control byte 0x01"),
                       "%s", err);
    cr_assert_eq(board_parse(&b, "t.json", with_nul, sizeof with_nul - 1, err), -1);
    cr_assert_not_null(strstr(err, "byte offset 11"), "%s", err);
    cr_assert_not_null(strstr(err, "control byte 0x00"), "%s", err);
    cr_assert_eq(parse("{\"apps\": [\"a.elf\\u0000.txt\"]}"), -1);
    cr_assert_str_eq(err, "t.json: invalid JSON at byte offset 16 (line 1, column 17): \\u0000 "
                          "(NUL) in a string");
    assert_accepted("{\"apps\": [\"a\\\\u0000.elf\"]}"); /* an escaped backslash, then text */
    cr_assert_str_eq(b.apps[0], "a\\u0000.elf");
}

/* ---- messages stay bounded and readable ---- */

Test(board, messages_escape_and_bound_input)
{
    char json[4096];
    char key[3000];

    assert_refused("{\"a\\nb\\u00e9\": 1}", "a\\x0ab\\xc3\\xa9", "unknown key");
    cr_assert_null(strchr(err, '\n'));
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    snprintf(json, sizeof json, "{\"%s\": 1}", key);
    cr_assert_eq(parse(json), -1);
    cr_assert_lt(strlen(err), BOARD_ERR_MAX);
    cr_assert_not_null(strstr(err, "...: unknown key"), "%s", err);
}

/* ---- hand-built boards ---- */

Test(board, validate_checks_hand_built_boards)
{
    board_default(&b);
    b.isolation = (enum board_isolation)7;
    cr_assert_eq(board_validate(&b, "hand", err), -1);
    cr_assert_str_eq(err, "hand: isolation: value 7 is not a known setting");

    board_default(&b);
    b.fault_policy = BOARD_FAULT_RESTART;
    cr_assert_eq(board_validate(&b, "hand", err), -1);
    cr_assert_str_eq(err, "hand: fault_policy: restart count 0 is out of range 1..1000");

    board_default(&b);
    b.app_count = BOARD_APPS_MAX + 1;
    cr_assert_eq(board_validate(&b, "hand", err), -1);
    cr_assert_str_eq(err, "hand: apps: 65 apps, at most 64");

    board_default(&b);
    memset(b.name, 'x', sizeof b.name);
    cr_assert_eq(board_validate(&b, "hand", err), -1);
    cr_assert_str_eq(err, "hand: name: not shorter than 64 bytes");

    board_default(&b);
    b.clock.width_bits = 64;
    cr_assert_eq(board_validate(&b, "hand", err), -1);
    cr_assert_str_eq(err, "hand: clock.width_bits: 64 is out of range 8..32");

    board_default(&b);
    b.ram.base = 0x10200000; /* inside flash */
    cr_assert_eq(board_validate(&b, "hand", err), -1);
    cr_assert_not_null(strstr(err, "hand: memory: memory.flash"), "%s", err);
}

Test(board, dump_survives_hand_built_nonsense)
{
    char *text;

    board_default(&b);
    memset(b.name, 'x', sizeof b.name);
    memset(b.description, 'y', sizeof b.description);
    memset(b.mpu_model, 'z', sizeof b.mpu_model);
    b.app_count = 1000;
    memset(b.apps, 'a', sizeof b.apps);
    b.isolation = (enum board_isolation)9;
    b.clock.mode = (enum board_clock_mode)255;
    b.fault_policy = (enum board_fault_policy)42;
    text = board_dump(&b);
    cr_assert_not_null(text);
    free(text);
}

Test(board, null_arguments_are_refused)
{
    cr_assert_eq(board_parse(NULL, "t.json", "{}", 2, err), -1);
    cr_assert_eq(board_parse(&b, "t.json", NULL, 5, err), -1);
    cr_assert_eq(board_load(NULL, NRF_BOARD, err), -1);
    cr_assert_eq(board_load(&b, NULL, err), -1);
    cr_assert_eq(board_validate(NULL, "t.json", err), -1);
    cr_assert_null(board_dump(NULL));
    cr_assert_eq(board_parse(&b, NULL, "{}", 2, NULL), 0);
    board_default(NULL);
}

/* ---- robustness: nothing but 0 or -1 with a message, whatever the bytes ---- */

/* Parses exactly len bytes from a heap copy, so ASan sees any read past the end. */
static int parse_exact(const char *bytes, size_t len)
{
    char *copy = malloc(len ? len : 1);
    int rc;

    cr_assert_not_null(copy);
    memcpy(copy, bytes, len);
    rc = board_parse(&b, "fuzz.json", copy, len, err);
    free(copy);
    cr_assert(rc == 0 || rc == -1);
    if (rc != 0)
        cr_assert(strncmp(err, "fuzz.json: ", 11) == 0, "message \"%s\"", err);
    return rc;
}

static uint64_t xorshift(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

Test(board, parses_every_prefix_without_crashing)
{
    size_t len;
    char *text = read_text(NRF_BOARD, &len);
    char *dump;

    for (size_t n = 0; n < len; n++)
        parse_exact(text, n);
    cr_assert_eq(parse_exact(text, len), 0, "%s", err);
    board_default(&b);
    dump = board_dump(&b);
    for (size_t n = 0; n + 1 < strlen(dump); n++)
        cr_assert_eq(parse_exact(dump, n), -1, "prefix %zu accepted", n);
    free(dump);
    free(text);
}

/* What kind of input a random one is, worked out without board.c (cJSON is the JSON oracle). */
enum random_kind {
    RANDOM_CONTROL_BYTE, /* a byte below 0x20 other than tab, newline, return */
    RANDOM_EMPTY,        /* nothing but JSON whitespace */
    RANDOM_BAD_JSON,     /* cJSON refuses it, or text follows the value */
    RANDOM_NOT_OBJECT,   /* one JSON value, not an object */
    RANDOM_OBJECT,
    RANDOM_KINDS,
};

static bool json_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* The kind of buf[0..len); *at is the offset a refusal must name, where one is known. */
static enum random_kind random_kind(const char *buf, size_t len, size_t *at, cJSON **root)
{
    *root = NULL;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)buf[i] < 0x20 && !json_space(buf[i])) {
            *at = i;
            return RANDOM_CONTROL_BYTE;
        }
    }
    size_t i = 0;
    while (i < len && json_space(buf[i]))
        i++;
    if (i == len) {
        *at = len;
        return RANDOM_EMPTY;
    }
    char *copy = malloc(len + 1);
    cr_assert_not_null(copy);
    memcpy(copy, buf, len);
    copy[len] = '\0';
    const char *end = NULL;
    *root = cJSON_ParseWithLengthOpts(copy, len, &end, false);
    size_t stop = end ? (size_t)(end - copy) : 0;
    free(copy);
    if (!*root)
        return RANDOM_BAD_JSON;
    for (size_t j = stop; j < len; j++) {
        if (!json_space(buf[j])) {
            *at = j;
            cJSON_Delete(*root);
            *root = NULL;
            return RANDOM_BAD_JSON;
        }
    }
    return cJSON_IsObject(*root) ? RANDOM_OBJECT : RANDOM_NOT_OBJECT;
}

/* The refusal board_parse must give an input of that kind. */
static enum random_kind expect_random_refusal(const char *buf, size_t len, uint64_t round)
{
    size_t at = 0;
    cJSON *root;
    enum random_kind kind = random_kind(buf, len, &at, &root);
    int rc = parse_exact(buf, len);
    char want[128];

    switch (kind) {
    case RANDOM_CONTROL_BYTE:
        cr_assert_eq(rc, -1, "round %llu: a control byte accepted", (unsigned long long)round);
        snprintf(want, sizeof want, "fuzz.json: invalid JSON at byte offset %zu (", at);
        /* A "\u0000" escape earlier in a string is refused first, at its own offset. */
        if (strstr(err, "\\u0000 (NUL) in a string") == NULL) {
            cr_assert(strncmp(err, want, strlen(want)) == 0,
                      "round %llu: want \"%s...\", got \"%s\"", (unsigned long long)round, want,
                      err);
            snprintf(want, sizeof want, "control byte 0x%02x", (unsigned char)buf[at]);
            cr_assert(strstr(err, want) != NULL, "round %llu: no '%s' in \"%s\"",
                      (unsigned long long)round, want, err);
        }
        break;
    case RANDOM_EMPTY:
        cr_assert_eq(rc, -1);
        snprintf(want, sizeof want, "fuzz.json: invalid JSON at byte offset %zu (", at);
        cr_assert(strncmp(err, want, strlen(want)) == 0, "got \"%s\"", err);
        cr_assert(strstr(err, "no JSON value (empty input)") != NULL, "got \"%s\"", err);
        break;
    case RANDOM_BAD_JSON:
        cr_assert_eq(rc, -1, "round %llu: invalid JSON accepted", (unsigned long long)round);
        cr_assert(strncmp(err, "fuzz.json: invalid JSON at byte offset ", 39) == 0,
                  "round %llu: got \"%s\"", (unsigned long long)round, err);
        break;
    case RANDOM_NOT_OBJECT:
        cr_assert_eq(rc, -1, "round %llu: a non-object accepted", (unsigned long long)round);
        cr_assert(strncmp(err, "fuzz.json: (top level): expected an object, got ", 48) == 0,
                  "round %llu: got \"%s\"", (unsigned long long)round, err);
        break;
    case RANDOM_OBJECT:
        /* Only {} is a board; any key random bytes spell is unknown (or a duplicate). */
        if (root->child == NULL)
            cr_assert_eq(rc, 0, "round %llu: {} refused: %s", (unsigned long long)round, err);
        else
            cr_assert(rc == -1 && (strstr(err, "unknown key") || strstr(err, "expected ")),
                      "round %llu: rc %d, \"%s\"", (unsigned long long)round, rc, err);
        break;
    case RANDOM_KINDS:
        break;
    }
    cJSON_Delete(root);
    return kind;
}

Test(board, survives_random_bytes)
{
    static const char alphabet[] = "{}[]\":,0x19aF-+.eE \n\\ut rfnalsemoy";
    uint64_t state = 0x9e3779b97f4a7c15ull;
    char buf[512];
    unsigned seen[RANDOM_KINDS] = {0};

    for (int round = 0; round < 4000; round++) {
        size_t len = xorshift(&state) % sizeof buf;
        bool json_like = round % 2 == 0;

        for (size_t i = 0; i < len; i++) {
            uint64_t r = xorshift(&state);
            buf[i] = json_like ? alphabet[r % (sizeof alphabet - 1)] : (char)(r & 0xff);
        }
        seen[expect_random_refusal(buf, len, (uint64_t)round)]++;
    }
    /* Both halves count: raw bytes stop at a control byte, JSON-like ones reach cJSON (the
     * kinds random text never reaches are in short_inputs_give_their_refusal). */
    cr_assert_gt(seen[RANDOM_CONTROL_BYTE], 0);
    cr_assert_gt(seen[RANDOM_BAD_JSON], 0);
}

/* Short inputs of each kind, so every branch above is taken whatever the random ones were. */
Test(board, short_inputs_give_their_refusal)
{
    static const char *const inputs[] = {
        "",
        " \n\t",
        "\x01{}",
        "{\"name\": \"a\x1f\"}",
        "{",
        "{}x",
        "[1,",
        "1",
        "\"board\"",
        "[]",
        "null",
        "{}",
        "{\"nmae\": 1}",
        "{\"name\": 1}",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        expect_random_refusal(inputs[i], strlen(inputs[i]), i);
}

Test(board, survives_mutated_board_files)
{
    size_t len;
    char *text = read_text(NRF_BOARD, &len);
    char *work = malloc(len + 64);
    uint64_t state = 0x2545f4914f6cdd1dull;

    cr_assert_not_null(work);
    for (int round = 0; round < 3000; round++) {
        size_t n = len;

        memcpy(work, text, len);
        for (int edits = 1 + (int)(xorshift(&state) % 4); edits > 0 && n > 0; edits--) {
            size_t at = xorshift(&state) % n;
            uint64_t r = xorshift(&state);

            if (r % 3 == 0) {
                work[at] = (char)(r >> 8); /* flip */
            } else if (r % 3 == 1) {
                memmove(work + at, work + at + 1, n - at - 1); /* delete */
                n--;
            } else if (n < len + 63) {
                memmove(work + at + 1, work + at, n - at); /* insert */
                work[at] = "\"{}[],:0x-9e\\"[(r >> 8) % 13];
                n++;
            }
        }
        parse_exact(work, n);
    }
    free(work);
    free(text);
}
