/*
 * Integration tests: build/ksim on the example apps and on broken inputs,
 * checking what a user sees (output, messages, exit status).
 */
#define _GNU_SOURCE /* mkdtemp */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_ksim.h"

#define RUN(...) run_ksim((const char *const[]){__VA_ARGS__, NULL}, NULL)

Test(run, version_prints_the_version)
{
    struct ksim_result r = RUN("--version");
    cr_assert_eq(r.status, 0);
    cr_assert(strncmp(r.out, "ksim ", 5) == 0, "got: %s", r.out);
    ksim_result_free(&r);
}

Test(run, hello_prints_hello_and_exits_0)
{
    struct ksim_result r = RUN("run", app_path("hello"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, sleep_sleeps_one_virtual_hour)
{
    struct ksim_result r = RUN("run", app_path("sleep"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "slept 3600 s") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, malloc_grows_the_heap_with_memop)
{
    struct ksim_result r = RUN("run", app_path("malloc"));
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "malloc ok") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, apps_run_one_after_another_on_one_board)
{
    struct ksim_result r = RUN("run", app_path("hello"), app_path("sleep"), app_path("malloc"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello") && strstr(r.out, "slept 3600 s") && strstr(r.out, "malloc ok"),
              "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, missing_app_file_is_bad_input)
{
    struct ksim_result r = RUN("run", "/nonexistent/app.elf");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "/nonexistent/app.elf") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(run, no_app_is_a_usage_error)
{
    struct ksim_result r = RUN("run");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "usage") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(run, unknown_command_is_a_usage_error)
{
    struct ksim_result r = RUN("frobnicate");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "frobnicate") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

/* A broken copy of hello.elf: the file, the offset and the reason are named,
 * and a good app on the same command line still runs. */
static void expect_refused(const unsigned char *bytes, size_t len, const char *offset,
                           const char *reason)
{
    char *bad = temp_file(bytes, len, ".elf");
    struct ksim_result r = RUN("run", bad, app_path("hello"));
    cr_assert_eq(r.status, 2, "stderr: %s", r.err);
    cr_assert(strstr(r.err, bad) != NULL, "file not named: %s", r.err);
    cr_assert(strstr(r.err, offset) != NULL, "offset %s not named: %s", offset, r.err);
    cr_assert(strstr(r.err, reason) != NULL, "reason '%s' not given: %s", reason, r.err);
    cr_assert(strstr(r.out, "Hello") != NULL, "the good app did not run: %s", r.out);
    ksim_result_free(&r);
    unlink(bad);
    free(bad);
}

static unsigned char *hello_bytes(size_t *len)
{
    unsigned char *b = read_all(app_path("hello"), len);
    cr_assert_not_null(b);
    return b;
}

Test(run, truncated_elf_is_refused)
{
    size_t len;
    unsigned char *b = hello_bytes(&len);
    expect_refused(b, 40, "offset 0x28", "file ends before");
    free(b);
}

Test(run, non_pie_elf_is_refused)
{
    size_t len;
    unsigned char *b = hello_bytes(&len);
    b[16] = 2; /* ET_EXEC */
    expect_refused(b, len, "offset 0x10", "not position-independent");
    free(b);
}

Test(run, wrong_machine_is_refused)
{
    size_t len;
    unsigned char *b = hello_bytes(&len);
    b[18] = 40; /* EM_ARM */
    b[19] = 0;
    expect_refused(b, len, "offset 0x12", "another machine");
    free(b);
}

Test(run, not_an_elf_is_refused)
{
    const char text[] =
        "#!/bin/sh\necho this is not an ELF file, but long enough to have a header\n";
    expect_refused((const unsigned char *)text, sizeof(text), "offset 0x0", "not an ELF file");
}

static uint64_t le(const unsigned char *b, size_t off, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = width; i-- > 0;)
        v = (v << 8) | b[off + i];
    return v;
}

/* File offset of the section named `name` (via the section headers), or 0. */
static size_t section_offset(const unsigned char *b, size_t len, const char *name)
{
    size_t shoff = le(b, 0x28, 8), shnum = le(b, 0x3c, 2), shstrndx = le(b, 0x3e, 2);
    cr_assert(shoff + shnum * 64 <= len);
    size_t strtab = le(b, shoff + shstrndx * 64 + 0x18, 8);
    for (size_t i = 0; i < shnum; i++) {
        size_t sh = shoff + i * 64;
        if (strcmp((const char *)b + strtab + le(b, sh, 4), name) == 0)
            return le(b, sh + 0x18, 8);
    }
    return 0;
}

Test(run, unsupported_relocation_type_is_refused)
{
    size_t len;
    unsigned char *b = hello_bytes(&len);
    size_t rela = section_offset(b, len, ".rela.dyn");
    cr_assert(rela != 0, "hello.elf has no .rela.dyn");
    cr_assert_eq(b[rela + 8], 8, "first relocation is not R_X86_64_RELATIVE");
    b[rela + 8] = 1; /* R_X86_64_64: needs a symbol, which ksim does not resolve */
    char offset[32];
    snprintf(offset, sizeof(offset), "offset 0x%zx", rela + 8);
    expect_refused(b, len, offset, "relocation type other than R_*_RELATIVE");
    free(b);
}

Test(config, dump_is_json_and_round_trips)
{
    struct ksim_result r = RUN("config", "--dump");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(r.out[0] == '{', "not JSON: %s", r.out);
    char *path = temp_file(r.out, strlen(r.out), ".json");
    struct ksim_result again = RUN("config", "--dump", "--board", path);
    cr_assert_eq(again.status, 0, "stderr: %s", again.err);
    cr_assert_str_eq(again.out, r.out);
    unlink(path);
    free(path);
    ksim_result_free(&r);
    ksim_result_free(&again);
}

Test(config, every_default_is_explicit)
{
    struct ksim_result r = RUN("config", "--dump");
    const char *keys[] = {"\"memory\"",  "\"ram\"",          "\"flash\"",     "\"mpu\"",
                          "\"clock\"",   "\"frequency_hz\"", "\"scheduler\"", "\"fault_policy\"",
                          "\"process\"", "\"stack_size\"",   "\"drivers\"",   "\"isolation\""};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        cr_assert(strstr(r.out, keys[i]) != NULL, "%s missing from: %s", keys[i], r.out);
    ksim_result_free(&r);
}

Test(config, bad_board_names_file_and_key)
{
    const char text[] = "{\"process\": {\"stak_size\": 4096}}";
    char *path = temp_file(text, sizeof(text) - 1, ".json");
    struct ksim_result r = RUN("run", "--board", path, app_path("hello"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, path) != NULL, "file not named: %s", r.err);
    cr_assert(strstr(r.err, "process.stak_size") != NULL, "key not named: %s", r.err);
    cr_assert(strstr(r.out, "Hello") == NULL, "ran despite a bad board");
    unlink(path);
    free(path);
    ksim_result_free(&r);
}

Test(config, board_files_in_boards_run_hello)
{
    struct ksim_result r =
        RUN("run", "--board", KSIM_SOURCE_DIR "/boards/nrf52840dk.json", app_path("hello"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, yield_modes_behave_as_trd104_says)
{
    struct ksim_result r = RUN("run", app_path("yield_modes"));
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "yield_modes ok") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, nonzero_completion_code_exits_1)
{
    struct ksim_result r = RUN("run", app_path("exit_code"), app_path("hello"));
    cr_assert_eq(r.status, 1, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, process_waiting_forever_is_named)
{
    struct ksim_result r = RUN("run", app_path("wait_forever"));
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "'wait_forever'") && strstr(r.err, "waits forever in yield-wait"),
              "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(run, faulting_app_is_stopped_and_others_run)
{
    struct ksim_result r = RUN("run", app_path("fault_null"), app_path("hello"));
    cr_assert_eq(r.status, 3, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "'fault_null'") && strstr(r.err, "read at 0x00000000"), "stderr: %s",
              r.err);
    cr_assert(strstr(r.out, "Hello") != NULL, "the other app did not run: %s", r.out);
    ksim_result_free(&r);
}

Test(run, fault_policy_restart_restarts_then_stops)
{
    struct ksim_result r = RUN("run", "--fault-policy", "restart:2", app_path("fault_null"));
    cr_assert_eq(r.status, 3, "stderr: %s", r.err);
    const char *p = r.out;
    int runs = 0;
    while ((p = strstr(p, "about to read")) != NULL) {
        runs++;
        p++;
    }
    cr_assert_eq(runs, 3, "expected the first run and two restarts, stdout: %s", r.out);
    cr_assert(strstr(r.err, "restart 2") && !strstr(r.err, "restart 3"), "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(run, fault_policy_panic_exits_4)
{
    struct ksim_result r = RUN("run", "--fault-policy", "panic", app_path("fault_null"));
    cr_assert_eq(r.status, 4, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "kernel panic") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(run, exit_restart_starts_fresh_until_the_end)
{
    struct ksim_result r = RUN("run", "--until", "1", app_path("restart_loop"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "run 1") && !strstr(r.out, "run 2"),
              "data must be reset on every restart: %s", r.out);
    cr_assert(strstr(r.err, "restart 5") != NULL, "expected about ten restarts: %s", r.err);
    ksim_result_free(&r);
}

Test(run, real_clock_runs_the_same_apps)
{
    struct ksim_result r =
        RUN("run", "--clock", "real", app_path("hello"), app_path("yield_modes"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "yield_modes ok") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, isolation_off_says_so)
{
    struct ksim_result r = RUN("run", "--isolation", "off", app_path("hello"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "isolation off") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

/* Board values given as options are parsed by the board parser: the same
 * values as a board file, refused with the option named. (Arrays, not
 * pointers: Criterion copies parameters into a fresh worker process.) */
struct bad_override {
    char option[16], value[16], says[80];
};

ParameterizedTestParameters(run, bad_board_override_is_refused)
{
    static struct bad_override cases[] = {
        {"--clock", "sundial", "expected \"virtual\" or \"real\", got \"sundial\""},
        {"--isolation", "some", "expected \"mpu\", \"off\" or \"process\", got \"some\""},
        {"--fault-policy", "restart:0", "restart count in \"restart:0\" is out of range 1..1000"},
        {"--fault-policy", "restart: 5", "got \"restart: 5\""},
        {"--fault-policy", "ignore", "got \"ignore\""},
    };
    return cr_make_param_array(struct bad_override, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_override *c, run, bad_board_override_is_refused)
{
    struct ksim_result r = RUN("run", c->option, c->value, app_path("hello"));
    cr_assert_eq(r.status, 2, "%s %s: stderr: %s", c->option, c->value, r.err);
    cr_assert(strstr(r.err, c->option) != NULL, "option not named: %s", r.err);
    cr_assert(strstr(r.err, c->says) != NULL, "no '%s' in: %s", c->says, r.err);
    cr_assert(strstr(r.out, "Hello") == NULL, "ran anyway: %s", r.out);
    ksim_result_free(&r);
}

Test(run, console_reads_stdin)
{
    struct ksim_result r =
        run_ksim((const char *const[]){"run", app_path("echo"), NULL}, "one\ntwo\nquit\n");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "echo: one\necho: two\necho done"), "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, read_after_input_ends_is_reported)
{
    struct ksim_result r =
        run_ksim((const char *const[]){"run", app_path("echo"), NULL}, "no newline");
    cr_assert_eq(r.status, 1, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "console input has ended"), "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(run, polling_with_yield_no_wait_lets_virtual_time_pass)
{
    struct ksim_result r = RUN("run", "--until", "5", app_path("busy_poll"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "alarm fired while polling") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(run, dotted_package_names_are_kept)
{
    size_t len;
    unsigned char *b = hello_bytes(&len);
    char dir[] = "/tmp/ksim-XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/org.tockos.hello.elf", dir);
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(b, 1, len, f) == len);
    fclose(f);
    struct ksim_result r =
        run_ksim((const char *const[]){"run", "--console", path, NULL}, "list\nquit\n");
    cr_assert(strstr(r.out, " org.tockos.hello ") != NULL, "name cut short: %s", r.out);
    ksim_result_free(&r);
    unlink(path);
    rmdir(dir);
    free(b);
}

/* Issue 14: a driver the board lacks answers NODEVICE, and ksim says so once per app and driver. */
Test(run, a_missing_driver_is_told_once_per_driver)
{
    struct ksim_result r =
        run_ksim((const char *const[]){"run", app_path("missing_driver"), NULL}, NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "missing_driver: 11 11 11 11") != NULL, "NODEVICE each time: %s",
              r.out);
    const char *line = "ksim: app 'missing_driver' used driver 0x90007 (date-time), which this "
                       "board does not have\n";
    const char *first = strstr(r.err, line);
    cr_assert(first != NULL, "stderr: %s", r.err);
    cr_assert(strstr(first + 1, line) == NULL, "told twice: %s", r.err);
    cr_assert(strstr(r.err, "used driver 0x5 (ADC)") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}
