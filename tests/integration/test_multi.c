/*
 * Integration tests of many processes and the everyday drivers: build/ksim
 * on counter, blink, rng, yield_modes, buttons, ipc_service and ipc_client,
 * checking what a user sees (stdout, stderr lines, exit status).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_ksim.h"

#define RUN(...) run_ksim((const char *const[]){__VA_ARGS__, NULL}, NULL)

static unsigned count_of(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *s = strstr(text, needle); s; s = strstr(s + 1, needle))
        n++;
    return n;
}

/* A board file: the default board plus extra JSON members, and n copies of app in "apps". */
static char *board_with(const char *extra, const char *app, unsigned n)
{
    size_t cap = 256 + strlen(extra) + n * (strlen(app) + 4);
    char *json = malloc(cap);
    cr_assert_not_null(json);
    size_t len = (size_t)snprintf(json, cap, "{%s%s\"apps\": [", extra, extra[0] ? ", " : "");
    for (unsigned i = 0; i < n; i++)
        len += (size_t)snprintf(json + len, cap - len, "%s\"%s\"", i ? ", " : "", app);
    len += (size_t)snprintf(json + len, cap - len, "]}");
    char *path = temp_file(json, len, ".json");
    free(json);
    return path;
}

Test(multi, two_counters_interleave_and_finish)
{
    struct ksim_result r = RUN("run", app_path("counter"), app_path("counter"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_eq(count_of(r.out, "counter done"), 2, "stdout: %s", r.out);
    /* Low-level debug stamps each count with the process id. */
    const char *second_starts = strstr(r.err, "App 0x1 prints 0x1 0x5");
    const char *first_ends = strstr(r.err, "App 0x0 prints 0x5 0x5");
    cr_assert(second_starts && first_ends, "stderr: %s", r.err);
    cr_assert_lt(second_starts, first_ends, "the counters did not interleave: %s", r.err);
    ksim_result_free(&r);
}

Test(multi, sixty_four_counters_all_finish)
{
    /* The default board holds 64 processes; a board file lists them (argv would be long). */
    char *board = board_with("", app_path("counter"), 64);
    struct ksim_result r = RUN("run", "--board", board);
    cr_assert_eq(r.status, 0, "stderr: %.2000s", r.err);
    cr_assert_eq(count_of(r.out, "counter done"), 64, "stdout: %s", r.out);
    for (unsigned id = 0; id < 64; id++) {
        char line[64];
        snprintf(line, sizeof(line), "App 0x%x prints 0x5 0x5\n", id);
        cr_assert(strstr(r.err, line), "process %u did not finish", id);
    }
    ksim_result_free(&r);
    unlink(board);
    free(board);
}

Test(multi, sixty_five_is_one_too_many)
{
    char *board = board_with("", app_path("counter"), 64);
    struct ksim_result r = RUN("run", "--board", board, app_path("counter"));
    cr_assert_eq(r.status, 2, "stderr: %.2000s", r.err);
    cr_assert(strstr(r.err, "not loaded"), "stderr: %.2000s", r.err);
    cr_assert_eq(count_of(r.out, "counter done"), 64, "the 64 that fit still run");
    ksim_result_free(&r);
    unlink(board);
    free(board);
}

Test(multi, counters_finish_under_the_priority_scheduler)
{
    char *board = board_with("\"scheduler\": {\"kind\": \"priority\"}", app_path("counter"), 3);
    struct ksim_result r = RUN("run", "--board", board);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_eq(count_of(r.out, "counter done"), 3, "stdout: %s", r.out);
    ksim_result_free(&r);
    unlink(board);
    free(board);
}

Test(multi, blink_rng_and_yield_modes_run_together)
{
    struct ksim_result r =
        RUN("run", "--until", "5", app_path("blink"), app_path("rng"), app_path("yield_modes"));
    cr_assert_eq(r.status, 0, "stdout: %s\nstderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "blink: 4 LEDs"), "stdout: %s", r.out);
    cr_assert_eq(count_of(r.out, "rng:"), 4, "stdout: %s", r.out);
    cr_assert(strstr(r.out, "yield_modes ok"), "stdout: %s", r.out);
    /* blink toggles one LED every 250 ms: 20 changes in 5 s, each one line. */
    cr_assert(strstr(r.err, "ksim: [0.000000] led 0 on"), "stderr: %s", r.err);
    cr_assert(strstr(r.err, "ksim: [0.250000] led 1 on"), "stderr: %s", r.err);
    cr_assert(strstr(r.err, "ksim: [1.000000] led 0 off"), "stderr: %s", r.err);
    cr_assert_eq(count_of(r.err, "] led "), 20, "stderr: %s", r.err);
    ksim_result_free(&r);
}

static char *rng_bytes(const char *seed)
{
    struct ksim_result r =
        seed ? RUN("run", "--seed", seed, app_path("rng")) : RUN("run", app_path("rng"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_eq(count_of(r.out, "rng:"), 4, "stdout: %s", r.out);
    char *out = r.out;
    r.out = NULL;
    ksim_result_free(&r);
    return out;
}

Test(rng, same_seed_same_bytes_other_seed_other_bytes)
{
    char *a = rng_bytes("7"), *b = rng_bytes("7"), *c = rng_bytes("8");
    cr_assert_str_eq(a, b, "--seed 7 twice differs");
    cr_assert_str_neq(a, c, "--seed 8 gives --seed 7's bytes");
    free(a);
    free(b);
    free(c);
}

Test(rng, default_seed_is_zero)
{
    char *a = rng_bytes(NULL), *b = rng_bytes("0");
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
}

Test(rng, bad_seed_is_a_usage_error)
{
    struct ksim_result r = RUN("run", "--seed", "4294967296", app_path("rng"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--seed"), "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(ipc, client_gets_the_reply)
{
    struct ksim_result r =
        RUN("run", "--until", "5", app_path("ipc_service"), app_path("ipc_client"));
    cr_assert_eq(r.status, 0, "stdout: %s\nstderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "ipc_client: found ipc_service as id 0"), "stdout: %s", r.out);
    cr_assert(strstr(r.out, "ipc_client: reply: HELLO FROM IPC_CLIENT"), "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(ipc, client_loaded_first_still_gets_the_reply)
{
    struct ksim_result r =
        RUN("run", "--until", "5", app_path("ipc_client"), app_path("ipc_service"));
    cr_assert_eq(r.status, 0, "stdout: %s\nstderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "ipc_client: found ipc_service as id 1"), "stdout: %s", r.out);
    cr_assert(strstr(r.out, "ipc_client: reply: HELLO FROM IPC_CLIENT"), "stdout: %s", r.out);
    ksim_result_free(&r);
}

/* The service works on the client's buffer through an MPU region of the board's model. */
static void ipc_on_board(const char *board)
{
    struct ksim_result r = RUN("run", "--board", board, "--until", "5", app_path("ipc_service"),
                               app_path("ipc_client"));
    cr_assert_eq(r.status, 0, "%s\nstdout: %s\nstderr: %s", board, r.out, r.err);
    cr_assert(strstr(r.out, "ipc_service: 64 bytes from client 1"), "stdout: %s", r.out);
    cr_assert(strstr(r.out, "ipc_client: reply: HELLO FROM IPC_CLIENT"), "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(ipc, shared_buffer_on_cortex_m_pmsav7)
{
    ipc_on_board(KSIM_SOURCE_DIR "/boards/nrf52840dk.json");
}

Test(ipc, shared_buffer_on_riscv_pmp)
{
    ipc_on_board(KSIM_SOURCE_DIR "/boards/qemu-rv32-virt-lowmem.json");
}

Test(ipc, client_without_service_fails)
{
    struct ksim_result r = RUN("run", app_path("ipc_client"));
    cr_assert_eq(r.status, 1, "stdout: %s", r.out);
    cr_assert(strstr(r.out, "discovering ipc_service failed"), "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(inputs, press_reaches_the_buttons_app)
{
    struct ksim_result r = RUN("run", "--until", "3", "--press", "0@1,2@1.5", app_path("buttons"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "buttons: button 0 pressed\nbuttons: button 0 released\n"
                            "buttons: button 2 pressed\nbuttons: button 2 released\n"),
              "stdout: %s", r.out);
    cr_assert(strstr(r.err, "ksim: [1.000000] button 0 pressed"), "stderr: %s", r.err);
    cr_assert(strstr(r.err, "ksim: [1.000000] led 0 on"), "the app lit LED 0: %s", r.err);
    cr_assert(strstr(r.err, "ksim: [1.100000] button 0 released"), "stderr: %s", r.err);
    cr_assert(strstr(r.err, "ksim: [1.600000] led 2 off"), "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(inputs, repeated_options_add_up)
{
    struct ksim_result r =
        RUN("run", "--until", "3", "--press", "1@2", "--press", "1@0.5", app_path("buttons"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_eq(count_of(r.out, "button 1 pressed"), 2, "stdout: %s", r.out);
    cr_assert(strstr(r.err, "ksim: [0.500000] button 1 pressed"), "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(inputs, gpio_input_is_shown)
{
    struct ksim_result r =
        RUN("run", "--until", "2", "--gpio", "3=1@0.5,3=0@1", app_path("buttons"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "ksim: [0.500000] gpio 3 input high"), "stderr: %s", r.err);
    cr_assert(strstr(r.err, "ksim: [1.000000] gpio 3 input low"), "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(inputs, a_button_the_board_lacks_is_bad_input)
{
    struct ksim_result r = RUN("run", "--press", "4@1", app_path("buttons"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "button 4"), "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(inputs, malformed_specs_are_usage_errors)
{
    static const char *const bad[][2] = {
        {"--press", "1"},    {"--press", "@1"},      {"--press", "1@"},      {"--press", "1@-2"},
        {"--press", "x@1"},  {"--press", ","},       {"--gpio", "3@1"},      {"--gpio", "3=2@1"},
        {"--gpio", "3=1@x"}, {"--press", "1@1,2@x"}, {"--gpio", "3=1@1.5s"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct ksim_result r = RUN("run", bad[i][0], bad[i][1], app_path("buttons"));
        cr_assert_eq(r.status, 2, "%s %s was accepted", bad[i][0], bad[i][1]);
        cr_assert(strstr(r.err, bad[i][0]), "stderr: %s", r.err);
        ksim_result_free(&r);
    }
}

Test(board, driver_keys_round_trip)
{
    static const char json[] = "{\"drivers\": {\"led\": {\"count\": 2}, \"rng\": {\"seed\": 9}},"
                               " \"scheduler\": {\"kind\": \"priority\"}}";
    char *board = temp_file(json, strlen(json), ".json");
    struct ksim_result r = RUN("config", "--dump", "--board", board);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "\"kind\":\t\"priority\""), "stdout: %s", r.out);
    cr_assert(strstr(r.out, "\"seed\":\t9"), "stdout: %s", r.out);
    ksim_result_free(&r);
    unlink(board);
    free(board);
}

Test(board, no_leds_means_no_led_driver)
{
    static const char json[] = "{\"drivers\": {\"led\": {\"count\": 0}}}";
    char *board = temp_file(json, strlen(json), ".json");
    struct ksim_result r = RUN("run", "--board", board, "--until", "1", app_path("blink"));
    cr_assert_eq(r.status, 1, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "blink: no LEDs"), "stdout: %s", r.out);
    ksim_result_free(&r);
    unlink(board);
    free(board);
}

Test(inputs, led_and_button_changes_are_trace_events)
{
    char *trace = temp_file("", 0, ".json");
    struct ksim_result r = RUN("run", "--until", "1", "--trace", trace, "--press", "1@0.5",
                               app_path("blink"), app_path("buttons"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    size_t len;
    char *json = (char *)read_all(trace, &len);
    cr_assert_not_null(json);
    json[len] = '\0'; /* read_all leaves room for it */
    cr_assert(strstr(json, "\"name\":\"led\""), "no LED event in %s", json);
    cr_assert(strstr(json, "\"detail\":\"1 pressed\""), "no button event in %s", json);
    free(json);
    ksim_result_free(&r);
    unlink(trace);
    free(trace);
}

Test(multi, priority_lets_the_first_app_starve_the_rest)
{
    /* Tock's priority scheduler: a process that never yields keeps lower ones out. */
    char *board = board_with("\"scheduler\": {\"kind\": \"priority\"}", app_path("fault_spin"), 1);
    struct ksim_result r = RUN("run", "--board", board, "--until", "0.1", app_path("counter"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_null(strstr(r.out, "counter done"), "the counter ran: %s", r.out);
    cr_assert_null(strstr(r.err, "App 0x1 prints"), "the counter ran: %s", r.err);
    ksim_result_free(&r);
    unlink(board);
    free(board);
}
