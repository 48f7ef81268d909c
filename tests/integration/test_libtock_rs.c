/*
 * libtock-rs on ksim (docs/libtock-rs.md), label libtock-rs: the examples of
 * the libtock-rs checkout KSIM_LIBTOCK_RS built with build/ksim-cargo on
 * ksim's runtime (rust/runtime) and facade (rust/libtock), run in ksim and
 * checked for the output and LED/button behaviour they have on a board;
 * ksim's own Rust test apps (rust/tests/) for panics and the system calls
 * the examples do not reach. Every build shares one cargo target folder
 * (build/libtock-rs/), so each crate and example builds once.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_ksim.h"

#define RUN(...)   run_ksim((const char *const[]){__VA_ARGS__, NULL}, NULL)
#define CMD(...)   run_command((const char *const[]){__VA_ARGS__, NULL}, NULL)
#define KSIM_CARGO KSIM_BUILD_DIR "/ksim-cargo"
#define RUST_TESTS KSIM_SOURCE_DIR "/rust/tests"

/* True if every needle occurs in haystack, each after the previous one. */
static int in_order(const char *haystack, ...)
{
    va_list ap;
    va_start(ap, haystack);
    const char *at = haystack;
    for (const char *needle; (needle = va_arg(ap, const char *)) != NULL;) {
        at = strstr(at, needle);
        if (at == NULL)
            break;
        at += strlen(needle);
    }
    va_end(ap);
    return at != NULL;
}

static int count_of(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *at = haystack; (at = strstr(at, needle)) != NULL; at += strlen(needle))
        n++;
    return n;
}

static char *dir;

static void make_out_dir(void)
{
    dir = strdup("/tmp/ksim-test-ltrs-XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
}

static void remove_out_dir(void)
{
    struct ksim_result r = CMD("rm", "-rf", dir);
    ksim_result_free(&r);
    free(dir);
}

/* The ELF ksim-cargo writes: dir/NAME.elf. */
static char *elf_path(const char *name)
{
    char *elf = NULL;
    cr_assert(asprintf(&elf, "%s/%s.elf", dir, name) >= 0);
    return elf;
}

/* Builds DIR/examples/NAME.rs (release, as libtock-rs's own builds). */
static char *build_example(const char *name)
{
    char *elf = elf_path(name);
    struct ksim_result b =
        CMD(KSIM_CARGO, "--libtock-rs", KSIM_LIBTOCK_RS, "--example", name, "-o", elf);
    cr_assert_eq(b.status, 0, "ksim-cargo --example %s failed: %s", name, b.err);
    ksim_result_free(&b);
    return elf;
}

/* Builds one of ksim's own apps, rust/tests/FILE.rs, in the given profile. */
static char *build_test_app(const char *file, const char *name, int debug)
{
    char *elf = elf_path(name);
    char *source = NULL;
    cr_assert(asprintf(&source, "%s/%s.rs", RUST_TESTS, file) >= 0);
    struct ksim_result b =
        debug ? CMD(KSIM_CARGO, "--libtock-rs", KSIM_LIBTOCK_RS, "--debug", "-o", elf, source)
              : CMD(KSIM_CARGO, "--libtock-rs", KSIM_LIBTOCK_RS, "-o", elf, source);
    cr_assert_eq(b.status, 0, "ksim-cargo %s failed: %s", source, b.err);
    ksim_result_free(&b);
    free(source);
    return elf;
}

TestSuite(libtock_rs, .init = make_out_dir, .fini = remove_out_dir, .timeout = 600);

/* The example: the two commands a user types. */
Test(libtock_rs, console_prints_hello_world)
{
    char *elf = build_example("console");
    struct ksim_result r = RUN("run", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "Hello world!\n");
    ksim_result_free(&r);
    free(elf);
}

Test(libtock_rs, blink_counts_in_binary_on_the_leds_every_250_ms)
{
    char *elf = build_example("blink");
    struct ksim_result r = RUN("run", "--until", "1.1", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(in_order(r.err, "[0.250000] led 0 on", "[0.500000] led 0 off", "[0.500000] led 1 on",
                       "[0.750000] led 0 on", "[1.000000] led 0 off", "[1.000000] led 1 off",
                       "[1.000000] led 2 on", NULL),
              "stderr: %s", r.err);
    cr_assert(strstr(r.err, "led 3 on") == NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
    free(elf);
}

Test(libtock_rs, leds_toggle_all_together_every_250_ms)
{
    char *elf = build_example("leds");
    struct ksim_result r = RUN("run", "--until", "0.6", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(in_order(r.err, "[0.000000] led 0 on", "[0.000000] led 3 on", "[0.250000] led 0 off",
                       "[0.250000] led 3 off", "[0.500000] led 0 on", "[0.500000] led 3 on", NULL),
              "stderr: %s", r.err);
    cr_assert_eq(count_of(r.err, "] led "), 12, "4 LEDs x 3 toggles: %s", r.err);
    ksim_result_free(&r);
    free(elf);
}

/* libtock-rs's button listener sees presses and releases: each toggles the LED. */
Test(libtock_rs, buttons_print_each_edge_and_toggle_its_led)
{
    char *elf = build_example("buttons");
    struct ksim_result r = RUN("run", "--until", "2", "--press", "0@0.5,1@1,3@1.5", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "button count: 4\n"
                            "button 0: Pressed\nbutton 0: Released\n"
                            "button 1: Pressed\nbutton 1: Released\n"
                            "button 3: Pressed\nbutton 3: Released\n");
    cr_assert(in_order(r.err, "[0.500000] led 0 on", "[0.600000] led 0 off", "[1.000000] led 1 on",
                       "[1.100000] led 1 off", "[1.500000] led 3 on", "[1.600000] led 3 off", NULL),
              "stderr: %s", r.err);
    cr_assert_eq(count_of(r.err, "] led "), 6, "one toggle per edge: %s", r.err);
    ksim_result_free(&r);
    free(elf);
}

/* 32 random bytes every 2 s, in hex; --seed makes them repeat. */
static void check_randomness_lines(const char *out, int lines)
{
    const char *at = out;
    for (int i = 0; i < lines; i++) {
        at = strstr(at, "Randomness: ");
        cr_assert(at != NULL, "line %d missing: %s", i, out);
        at += strlen("Randomness: ");
        cr_assert_eq(strspn(at, "0123456789abcdef"), 64, "64 hex digits: %s", out);
        cr_assert_eq(at[64], '\n', "%s", out);
    }
    cr_assert(strstr(at, "Randomness: ") == NULL, "exactly %d lines: %s", lines, out);
}

Test(libtock_rs, rng_prints_32_random_bytes_every_2_s)
{
    char *elf = build_example("rng");
    struct ksim_result r = RUN("run", "--until", "4.5", "--seed", "7", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    check_randomness_lines(r.out, 3);
    struct ksim_result again = RUN("run", "--until", "4.5", "--seed", "7", elf);
    cr_assert_str_eq(again.out, r.out, "the same seed gives the same bytes");
    ksim_result_free(&again);
    ksim_result_free(&r);
    free(elf);
}

/* The same, with the asynchronous API (subscribe and a listener). */
Test(libtock_rs, rng_async_prints_random_bytes_through_its_listener)
{
    char *elf = build_example("rng_async");
    struct ksim_result r = RUN("run", "--until", "2.5", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    check_randomness_lines(r.out, 2);
    ksim_result_free(&r);
    free(elf);
}

Test(libtock_rs, low_level_debug_prints_its_numbers)
{
    char *elf = build_example("low_level_debug");
    struct ksim_result r = RUN("run", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    char *all = NULL;
    cr_assert(asprintf(&all, "%s%s", r.out, r.err) >= 0);
    cr_assert(in_order(all, "LowLevelDebug: App 0x0 prints 0x1\n",
                       "LowLevelDebug: App 0x0 prints 0x2 0x3\n", NULL),
              "%s", all);
    free(all);
    ksim_result_free(&r);
    free(elf);
}

/* Rising edges only, as the example asks. */
Test(libtock_rs, gpio_reports_rising_edges_of_pin_0)
{
    char *elf = build_example("gpio");
    struct ksim_result r = RUN("run", "--until", "2", "--gpio", "0=1@0.5,0=0@1,0=1@1.5", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "GPIO[0]: High\nGPIO[0]: High\n");
    ksim_result_free(&r);
    free(elf);
}

/* The default board's temperature sensor, read every 2 s; examples for drivers
 * ksim lacks say so and end, as on a board without them. */
Test(libtock_rs, temperature_reads_the_board_sensor_and_adc_reports_a_missing_driver)
{
    char *elf = build_example("temperature");
    struct ksim_result r = RUN("run", "--until", "5", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "temperature driver available\n"
                            "Temperature: 23.50*C\n\nTemperature: 23.50*C\n\n"
                            "Temperature: 23.50*C\n\n");
    ksim_result_free(&r);
    free(elf);

    elf = build_example("adc");
    r = RUN("run", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "adc driver unavailable\n");
    ksim_result_free(&r);
    free(elf);
}

/* The default board's ambient light, proximity and sound pressure sensors (issue 14). */
Test(libtock_rs, light_proximity_and_sound_examples_read_the_board_sensors)
{
    char *elf = build_example("ambient_light");
    struct ksim_result r = RUN("run", "--until", "4.5", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "Light intensity: 320 lux\n\nLight intensity: 320 lux\n\n"
                            "Light intensity: 320 lux\n\n");
    ksim_result_free(&r);
    free(elf);

    elf = build_example("proximity");
    r = RUN("run", "--until", "4.5", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "proximity driver available\n"
                            "Proximity: 0\n\nProximity: 0\n\nProximity: 0\n\n");
    ksim_result_free(&r);
    free(elf);

    elf = build_example("sound_pressure");
    r = RUN("run", "--until", "2.5", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "Sound pressure driver found\nSound pressure driver enabled\n"
                            "Sound Pressure: 40\n\nSound Pressure: 40\n\nSound Pressure: 40\n\n");
    ksim_result_free(&r);
    free(elf);
}

/*
 * Panics end the process through Exit with FAIL (1), as libtock-rs's handlers
 * do: the debug build's handler prints the message first; both raise the
 * low-level debug alert code 1 (panic).
 */
Test(libtock_rs, a_debug_build_prints_the_panic_and_exits)
{
    char *elf = build_test_app("panic", "panic_debug", 1);
    struct ksim_result r = RUN("run", elf);
    cr_assert_eq(r.status, 1, "a non-zero completion code: %s", r.err);
    cr_assert(in_order(r.out, "about to panic\n", "panicked at ",
                       "rust/tests/panic.rs:", "ksim test panic 42\n", NULL),
              "stdout: %s", r.out);
    cr_assert(strstr(r.err, "LowLevelDebug: App 0x0 alert code 1") != NULL, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "fault") == NULL, "an exit, not a fault: %s", r.err);
    ksim_result_free(&r);
    free(elf);
}

Test(libtock_rs, a_release_build_raises_the_alert_code_and_exits)
{
    char *elf = build_test_app("panic", "panic_release", 0);
    struct ksim_result r = RUN("run", elf);
    cr_assert_eq(r.status, 1, "a non-zero completion code: %s", r.err);
    cr_assert_str_eq(r.out, "about to panic\n", "the small handler prints nothing");
    cr_assert(strstr(r.err, "LowLevelDebug: App 0x0 alert code 1") != NULL, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "fault") == NULL, "an exit, not a fault: %s", r.err);
    ksim_result_free(&r);
    free(elf);
}

Test(libtock_rs, ksim_cargo_refuses_what_it_cannot_build)
{
    struct ksim_result r = CMD(KSIM_CARGO, "--libtock-rs", KSIM_SOURCE_DIR, "--example", "console");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "not a libtock-rs checkout") != NULL, "%s", r.err);
    ksim_result_free(&r);

    r = CMD(KSIM_CARGO, "--libtock-rs", KSIM_LIBTOCK_RS, "--example", "no_such_example");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--list-examples") != NULL, "%s", r.err);
    ksim_result_free(&r);

    r = CMD(KSIM_CARGO, "--libtock-rs", KSIM_LIBTOCK_RS, "--list-examples");
    cr_assert_eq(r.status, 0);
    cr_assert(in_order(r.out, "blink\n", "console\n", "leds\n", NULL), "%s", r.out);
    ksim_result_free(&r);
}

/*
 * ksim's own app for the runtime's system calls (rust/tests/syscalls.rs), in
 * both profiles: the return variants libtock_platform decodes, both yields
 * with an upcall, brk and sbrk, and main's Err(SIZE) as completion code 7.
 */
static void check_syscalls_app(int debug)
{
    char *elf = build_test_app("syscalls", debug ? "syscalls_debug" : "syscalls_release", debug);
    char *trace = NULL;
    cr_assert(asprintf(&trace, "%s/trace.json", dir) >= 0);
    struct ksim_result r = RUN("run", "--trace", trace, elf);
    cr_assert_eq(r.status, 1, "a non-zero completion code: %s", r.err);
    cr_assert_str_eq(r.out, "ksim libtock-rs syscalls ok\n");
    size_t len = 0;
    char *json = (char *)read_all(trace, &len);
    cr_assert(json != NULL);
    cr_assert(memmem(json, len, "completion code 7", strlen("completion code 7")) != NULL,
              "the trace names main's error as the completion code");
    free(json);
    ksim_result_free(&r);
    free(trace);
    free(elf);
}

Test(libtock_rs, system_calls_decode_as_libtock_platform_expects_in_release)
{
    check_syscalls_app(0);
}

Test(libtock_rs, system_calls_decode_as_libtock_platform_expects_in_debug)
{
    check_syscalls_app(1);
}

/* gdb in Rust source, as docs/debugging.md shows it for C (skipped without gdb). */
Test(libtock_rs, gdb_stops_at_a_line_of_the_example)
{
    struct ksim_result which = CMD("sh", "-c", "command -v gdb");
    int have_gdb = which.status == 0;
    ksim_result_free(&which);
    if (!have_gdb)
        cr_skip_test("gdb is not installed (scripts/setup.sh installs it)");
    char *elf = elf_path("console_debug");
    struct ksim_result b = CMD(KSIM_CARGO, "--libtock-rs", KSIM_LIBTOCK_RS, "--example", "console",
                               "--debug", "-o", elf);
    cr_assert_eq(b.status, 0, "ksim-cargo: %s", b.err);
    ksim_result_free(&b);
    struct ksim_result r = CMD("gdb", "-q", "-batch", "-x", KSIM_SOURCE_DIR "/tools/ksim.gdb",
                               "-ex", "break console.rs:14", "-ex", "run", "-ex", "next", "-ex",
                               "continue", "--args", KSIM_BIN, "run", elf);
    cr_assert(in_order(r.out, "Breakpoint 1, console::main () at ", "examples/console.rs:14",
                       "Hello world!", NULL),
              "gdb: %s %s", r.out, r.err);
    ksim_result_free(&r);
    free(elf);
}
