/*
 * libtock-c on ksim (docs/libtock-c.md).
 *
 * Suite libtock_port (always, label integration): ksim's own apps written
 * as libtock-c apps (#include <libtock/tock.h>) run on ksim's runtime, which
 * is what ksim-cc --libtock-c links too, and build/ksim-cc's --libtock-c
 * mode builds an app from a miniature libtock-c tree made here from the
 * runtime's libtock/tock.h and tock.c: CI has no libtock-c checkout.
 *
 * Suite libtock_c (label libtock-c, only with -DKSIM_LIBTOCK_C=PATH): the
 * real checkout's examples built with ksim-cc and run in ksim, checked for
 * the output and LED/button behaviour they have on a board.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_ksim.h"

extern char **environ;

#define RUN(...)   run_ksim((const char *const[]){__VA_ARGS__, NULL}, NULL)
#define KSIM_CC    KSIM_BUILD_DIR "/ksim-cc"
#define PORT_TESTS KSIM_SOURCE_DIR "/apps/libtock-port/tests"

struct cmd_result {
    int status;
    char *out; /* stdout and stderr together, NUL-terminated */
};

/* Runs argv (NULL-terminated) with stdin from /dev/null; collects its output. */
static struct cmd_result run_cmd(const char *const *argv)
{
    struct cmd_result r = {0};
    char path[] = "/tmp/ksim-test-cmd-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fd, 1);
    posix_spawn_file_actions_adddup2(&fa, fd, 2);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "cannot run %s", argv[0]);
    int ws;
    waitpid(pid, &ws, 0);
    close(fd);
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    size_t len = 0;
    unsigned char *bytes = read_all(path, &len);
    unlink(path);
    r.out = malloc(len + 1);
    if (bytes != NULL)
        memcpy(r.out, bytes, len);
    r.out[len] = '\0';
    free(bytes);
    return r;
}

#define CMD(...) run_cmd((const char *const[]){__VA_ARGS__, NULL})

/* True if every needle occurs in haystack, each after the previous one. */
__attribute__((unused)) /* used only with a libtock-c checkout */
static int
in_order(const char *haystack, ...)
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

static char *make_temp_dir(void)
{
    char *dir = strdup("/tmp/ksim-test-ltc-XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
    return dir;
}

static char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) >= 0);
    return p;
}

static void remove_tree(const char *dir)
{
    struct cmd_result r = CMD("/bin/rm", "-rf", dir);
    free(r.out);
}

/* ---------------------------------------------------------------------------
 * The port, without libtock-c.
 */

Test(libtock_port, syscalls_decode_swap_and_yield_as_libtock_c_expects)
{
    struct ksim_result r = RUN("run", app_path("libtock_port_syscalls"));
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "libtock-port syscalls ok") != NULL, "stdout: %s", r.out);
    cr_assert(strstr(r.out, "upcall prints from inside a yield") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(libtock_port, returning_from_main_exits_with_its_result_after_flushing)
{
    struct ksim_result r = RUN("run", app_path("libtock_port_main_return"));
    cr_assert_eq(r.status, 1, "a non-zero completion code: stderr: %s", r.err);
    cr_assert_str_eq(r.out, "libtock-port main returns 7");
    ksim_result_free(&r);
}

Test(libtock_port, tock_exit_inside_an_upcall_ends_the_process)
{
    struct ksim_result r = RUN("run", app_path("libtock_port_exit_in_upcall"));
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert_str_eq(r.out, "libtock-port exits from an upcall\n");
    ksim_result_free(&r);
}

Test(libtock_port, tock_restart_gives_a_fresh_process)
{
    struct ksim_result r = RUN("run", "--until", "0.35", app_path("libtock_port_restart"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_geq(count_of(r.out, "libtock-port restart: data 1 bss 0\n"), 3, "stdout: %s", r.out);
    cr_assert(strstr(r.out, "data 2") == NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(libtock_port, ksim_cc_example_needs_libtock_c)
{
    struct cmd_result r = CMD(KSIM_CC, "--example", "/tmp", "-o", "/dev/null");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.out, "--example needs --libtock-c") != NULL, "output: %s", r.out);
    free(r.out);
}

Test(libtock_port, ksim_cc_refuses_a_directory_that_is_not_libtock_c)
{
    struct cmd_result r =
        CMD(KSIM_CC, "--libtock-c", "/nonexistent/libtock-c", "-o", "/dev/null", "main.c");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.out, "not a libtock-c checkout") != NULL, "output: %s", r.out);
    free(r.out);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char *path = path_in(dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    free(path);
}

static void copy_file(const char *from, const char *dir, const char *name)
{
    size_t len = 0;
    unsigned char *bytes = read_all(from, &len);
    cr_assert(bytes != NULL, "cannot read %s", from);
    char *text = malloc(len + 1);
    memcpy(text, bytes, len);
    text[len] = '\0';
    write_text(dir, name, text);
    free(text);
    free(bytes);
}

static void make_dir(const char *dir, const char *name)
{
    char *path = path_in(dir, name);
    cr_assert(mkdir(path, 0777) == 0, "cannot create %s", path);
    free(path);
}

/*
 * A miniature libtock-c tree from ksim's own files: libtock/tock.h and
 * tock.c are the runtime's (the same API, and the portable part of it), one
 * library file works, one does not compile, and an example folder has a
 * libtock-c style Makefile.
 */
static char *make_mini_libtock_c(void)
{
    char *root = make_temp_dir();
    make_dir(root, "libtock");
    make_dir(root, "libtock/interface");
    make_dir(root, "libtock-sync");
    make_dir(root, "examples");
    make_dir(root, "examples/hello");
    copy_file(KSIM_SOURCE_DIR "/apps/runtime/include/libtock/tock.h", root, "libtock/tock.h");
    copy_file(KSIM_SOURCE_DIR "/apps/runtime/tock.c", root, "libtock/tock.c");
    write_text(root, "libtock/interface/greet.h",
               "#pragma once\n"
               "#include \"../tock.h\"\n"
               "int libtock_greet(const char *who);\n");
    write_text(root, "libtock/interface/greet.c",
               "#include <stdio.h>\n"
               "#include \"greet.h\"\n"
               "int libtock_greet(const char *who) {\n"
               "  return printf(\"hello %s from libtock (driver 0 %s)\\n\", who,\n"
               "                driver_exists(0) ? \"exists\" : \"missing\");\n"
               "}\n");
    write_text(root, "libtock/interface/broken.c", "#include <no_such_header.h>\n");
    write_text(root, "examples/hello/Makefile",
               "TOCK_USERLAND_BASE_DIR = ../..\n"
               "C_SRCS := $(wildcard *.c)\n"
               "override CFLAGS += -DGREETING='\"mini\"'\n"
               "include $(TOCK_USERLAND_BASE_DIR)/AppMakefile.mk\n");
    /* main falls off its end: hosted C returns 0 there, as on a board. */
    write_text(root, "examples/hello/main.c",
               "#include <libtock/interface/greet.h>\n"
               "int main(void) {\n"
               "  libtock_greet(GREETING);\n"
               "}\n");
    return root;
}

/* ksim-cc keeps one cache per checkout under the build directory: drop the test's. */
static void remove_cache_of(const char *root)
{
    const char *base = strrchr(root, '/') + 1;
    char *pattern = NULL;
    cr_assert(asprintf(&pattern, "rm -rf '%s/libtock-c/%s-'*", KSIM_BUILD_DIR, base) >= 0);
    struct cmd_result r = CMD("/bin/sh", "-c", pattern);
    free(r.out);
    free(pattern);
}

Test(libtock_port, ksim_cc_builds_an_example_of_a_libtock_c_tree, .timeout = 240)
{
    char *root = make_mini_libtock_c();
    char *example = path_in(root, "examples/hello");
    char *elf = path_in(root, "hello.elf");
    struct cmd_result b = CMD(KSIM_CC, "--libtock-c", root, "--example", example, "-o", elf);
    cr_assert_eq(b.status, 0, "ksim-cc: %s", b.out);
    free(b.out);

    struct ksim_result r = RUN("run", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "hello mini from libtock (driver 0 exists)\n");
    ksim_result_free(&r);

    /* Without -o, the app is named after the example; a second build reuses the cache. */
    b = CMD("/bin/sh", "-c", "cd \"$0\" && \"$1\" --libtock-c \"$2\" --example \"$3\"", root,
            KSIM_CC, root, example);
    cr_assert_eq(b.status, 0, "ksim-cc: %s", b.out);
    cr_assert(strstr(b.out, "building libtock-c") == NULL, "rebuilt: %s", b.out);
    free(b.out);
    char *named = path_in(root, "hello.elf");
    cr_assert(access(named, R_OK) == 0);

    /* Using what did not compile names the file. */
    char *bad = path_in(root, "bad.c");
    write_text(root, "bad.c",
               "int libtock_broken(void);\nint main(void) { return libtock_broken(); }\n");
    b = CMD(KSIM_CC, "--libtock-c", root, "-o", elf, bad);
    cr_assert_neq(b.status, 0);
    cr_assert(strstr(b.out, "libtock/interface/broken.c") != NULL, "ksim-cc: %s", b.out);

    remove_cache_of(root);
    remove_tree(root);
    free(b.out);
    free(bad);
    free(named);
    free(elf);
    free(example);
    free(root);
}

/* ---------------------------------------------------------------------------
 * The real libtock-c, when the build was configured with -DKSIM_LIBTOCK_C=PATH.
 */
#ifdef KSIM_LIBTOCK_C

/* Builds with ksim-cc into dir/NAME.elf: an example folder (--example) or one source file. */
static char *build(const char *dir, const char *name, const char *example, const char *source)
{
    char *elf = NULL;
    cr_assert(asprintf(&elf, "%s/%s.elf", dir, name) >= 0);
    struct cmd_result b =
        example != NULL
            ? CMD(KSIM_CC, "--libtock-c", KSIM_LIBTOCK_C, "--example", example, "-o", elf)
            : CMD(KSIM_CC, "--libtock-c", KSIM_LIBTOCK_C, "-o", elf, source);
    cr_assert_eq(b.status, 0, "ksim-cc for %s failed: %s", name, b.out);
    free(b.out);
    return elf;
}

static char *build_example(const char *dir, const char *name, const char *rel)
{
    char *example = NULL;
    cr_assert(asprintf(&example, "%s/examples/%s", KSIM_LIBTOCK_C, rel) >= 0);
    char *elf = build(dir, name, example, NULL);
    free(example);
    return elf;
}

static char *dir;

static void make_out_dir(void)
{
    dir = make_temp_dir();
}

static void remove_out_dir(void)
{
    remove_tree(dir);
    free(dir);
}

TestSuite(libtock_c, .init = make_out_dir, .fini = remove_out_dir, .timeout = 900);

Test(libtock_c, c_hello_prints_hello_world)
{
    char *elf = build_example(dir, "c_hello", "c_hello");
    struct ksim_result r = RUN("run", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "Hello World!\r\n");
    ksim_result_free(&r);
    free(elf);
}

/* As the issue shows it: one source file, no --example. */
Test(libtock_c, blink_counts_in_binary_on_the_leds_every_250_ms)
{
    char *elf = build(dir, "blink", NULL, KSIM_LIBTOCK_C "/examples/blink/main.c");
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

Test(libtock_c, buttons_toggle_their_led_on_each_press)
{
    char *elf = build_example(dir, "buttons", "buttons");
    struct ksim_result r = RUN("run", "--until", "2", "--press", "0@0.5,1@1,0@1.5,3@1.7", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(in_order(r.err, "button 0 pressed", "led 0 on", "button 1 pressed", "led 1 on",
                       "button 0 pressed", "led 0 off", "button 3 pressed", "led 3 on", NULL),
              "stderr: %s", r.err);
    cr_assert_eq(count_of(r.err, "] led "), 4, "one toggle per press: %s", r.err);
    ksim_result_free(&r);
    free(elf);
}

/* IPC as on Tock: the service rewrites the client's buffer in place, through a shared region. */
Test(libtock_c, rot13_service_answers_the_client_in_its_own_buffer)
{
    /* The client discovers the service by package name: the file's name. */
    char *svc = build_example(dir, "org.tockos.examples.rot13", "rot13_service");
    char *cli = build_example(dir, "rot13_client", "rot13_client");
    struct ksim_result r = RUN("run", "--until", "2", svc, cli);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(in_order(r.out, "12: Uryyb Jbeyq!", "12: Hello World!", "12: Uryyb Jbeyq!", NULL),
              "stdout: %s", r.out);
    ksim_result_free(&r);
    free(svc);
    free(cli);
}

/* The port's own tests, against the real tock.h and tock.c. */
Test(libtock_c, port_tests_pass_against_the_real_tock_c)
{
    char *elf = build(dir, "syscalls", NULL, PORT_TESTS "/syscalls/main.c");
    struct ksim_result r = RUN("run", elf);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "libtock-port syscalls ok") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
    free(elf);

    elf = build(dir, "main_return", NULL, PORT_TESTS "/main_return/main.c");
    r = RUN("run", elf);
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.out, "libtock-port main returns 7");
    ksim_result_free(&r);
    free(elf);

    elf = build(dir, "exit_in_upcall", NULL, PORT_TESTS "/exit_in_upcall/main.c");
    r = RUN("run", elf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "libtock-port exits from an upcall\n");
    ksim_result_free(&r);
    free(elf);
}

/* Sensors read what the board file sets, and a board that leaves them out has none. */
Test(libtock_c, sensor_examples_read_what_the_board_file_sets)
{
    write_text(dir, "sensors.json",
               "{\"drivers\": {\"temperature\": {\"enabled\": true, \"value\": 2350},"
               " \"humidity\": {\"enabled\": true, \"value\": 4321}}}");
    char *board = path_in(dir, "sensors.json");
    char *elf = build_example(dir, "tests_temperature", "tests/temperature");
    struct ksim_result r = RUN("run", "--board", board, elf);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(strstr(r.out, "[Temperature] 23.50 deg C") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
    r = RUN("run", elf); /* the default board's own sensor */
    cr_assert(strstr(r.out, "[Temperature] 23.50 deg C") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
    write_text(dir, "nosensors.json", "{\"drivers\": {\"temperature\": {\"enabled\": false}}}");
    char *bare = path_in(dir, "nosensors.json");
    r = RUN("run", "--board", bare, elf); /* a board without the sensor */
    free(bare);
    cr_assert(strstr(r.out, "[Temperature] No temperature sensor found.") != NULL, "stdout: %s",
              r.out);
    ksim_result_free(&r);
    free(elf);

    elf = build_example(dir, "sensors", "sensors");
    r = RUN("run", "--board", board, "--until", "1.5", elf);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(in_order(r.out, "Sampling Temperature sensor.", "Sampling Humidity sensor.",
                       "Temperature:                 23 deg C", "Humidity:                    43%",
                       NULL),
              "stdout: %s", r.out);
    ksim_result_free(&r);
    free(elf);
    free(board);
}

/* libtock-c's sensors example samples every sensor of issue 14 the default board has,
 * and reads what a board file sets instead; a sensor left out is not sampled. */
Test(libtock_c, sensors_example_samples_every_sensor_of_the_board)
{
    char *elf = build_example(dir, "sensors_all", "sensors");
    struct ksim_result r = RUN("run", "--until", "1.5", elf);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(
        in_order(r.out, "Sampling Ambient Light sensor.", "Sampling Temperature sensor.",
                 "Sampling Humidity sensor.", "Sampling Accelerometer.", "Sampling Magnetometer.",
                 "Sampling Gyroscope.", "Sampling Proximity sensor.",
                 "Sampling Sound Pressure sensor.", "Sampling Moisture sensor.",
                 "Sampling Rainfall sensor.", "Amb. Light: Light Intensity: 320\n",
                 "Temperature:                 23 deg C\n", "Humidity:                    45%\n",
                 "Acceleration: X: 0 Y: 0 Z: 1000\n", "Magnetometer: X: 20 Y: 0 Z: -43\n",
                 "Gyro:         X: 0 Y: 0 Z: 0\n", "Proximity:                   0\n",
                 "Sound Pressure:              40\n", "Moisture:                    25%\n",
                 "Rainfall:                    2mm\n", NULL),
        "stdout: %s", r.out);
    ksim_result_free(&r);

    write_text(dir, "sensors_set.json",
               "{\"drivers\": {\"ambient_light\": {\"value\": 15000},"
               " \"ninedof\": {\"accelerometer\": {\"x\": -12, \"y\": 707, \"z\": 707},"
               " \"magnetometer\": {\"x\": 1, \"y\": 2, \"z\": 3},"
               " \"gyroscope\": {\"x\": -90, \"y\": 0, \"z\": 45}},"
               " \"proximity\": {\"value\": 255}, \"sound_pressure\": {\"value\": 85},"
               " \"moisture\": {\"value\": 6789}, \"rainfall\": {\"value\": 12500}}}");
    char *board = path_in(dir, "sensors_set.json");
    r = RUN("run", "--board", board, "--until", "1.5", elf);
    free(board);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(in_order(r.out, "Amb. Light: Light Intensity: 15000\n",
                       "Acceleration: X: -12 Y: 707 Z: 707\n", "Magnetometer: X: 1 Y: 2 Z: 3\n",
                       "Gyro:         X: -90 Y: 0 Z: 45\n", "Proximity:                   255\n",
                       "Sound Pressure:              85\n", "Moisture:                    67%\n",
                       "Rainfall:                    12mm\n", NULL),
              "stdout: %s", r.out);
    ksim_result_free(&r);

    write_text(dir, "sensors_out.json",
               "{\"drivers\": {\"ninedof\": {\"enabled\": false},"
               " \"sound_pressure\": {\"enabled\": false}, \"rainfall\": {\"enabled\": false}}}");
    board = path_in(dir, "sensors_out.json");
    r = RUN("run", "--board", board, "--until", "1.5", elf);
    free(board);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert(in_order(r.out, "Sampling Ambient Light sensor.", "Sampling Proximity sensor.",
                       "Sampling Moisture sensor.", "Amb. Light", "Moisture:", NULL),
              "stdout: %s", r.out);
    const char *gone[] = {"Accelerometer", "Magnetometer", "Gyro", "Sound Pressure", "Rainfall"};
    for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
        cr_assert(strstr(r.out, gone[i]) == NULL, "%s sampled: %s", gone[i], r.out);
    ksim_result_free(&r);
    free(elf);
}

/* tests/ambient_light reads the lux every second, or says the board has no sensor. */
Test(libtock_c, ambient_light_test_reads_the_board_lux)
{
    char *elf = build_example(dir, "tests_ambient_light", "tests/ambient_light");
    struct ksim_result r = RUN("run", "--until", "2.5", elf);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert_str_eq(r.out, "[Ambient Light] Test\n"
                            "\tValue(320 lux) [0x140]\n\n\tValue(320 lux) [0x140]\n\n"
                            "\tValue(320 lux) [0x140]\n\n");
    ksim_result_free(&r);
    write_text(dir, "nolight.json", "{\"drivers\": {\"ambient_light\": {\"enabled\": false}}}");
    char *board = path_in(dir, "nolight.json");
    r = RUN("run", "--board", board, "--until", "0.5", elf);
    free(board);
    cr_assert(strstr(r.out, "ERROR: No ambient light sensor on this board.\n") != NULL,
              "stdout: %s", r.out);
    ksim_result_free(&r);
    free(elf);
}

/* tests/proximity waits for something nearer than 175, then blinks the LEDs
 * faster the nearer it is: 1000 ms / (200 + 1) per LED, 4 ms. */
Test(libtock_c, proximity_test_waits_for_a_near_object_then_blinks)
{
    char *elf = build_example(dir, "tests_proximity", "tests/proximity");
    write_text(dir, "near.json", "{\"drivers\": {\"proximity\": {\"value\": 200}}}");
    char *board = path_in(dir, "near.json");
    struct ksim_result r = RUN("run", "--board", board, "--until", "0.1", elf);
    free(board);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert_str_eq(r.out, "[TEST] Proximity Sensor\nNumber of LEDs on the board: 4\n");
    cr_assert(in_order(r.err, "[0.000000] led 0 on", "[0.004000] led 0 off", "[0.004000] led 1 on",
                       "[0.016000] led 3 off", "[0.016000] led 0 on", NULL),
              "stderr: %s", r.err);
    ksim_result_free(&r);
    /* Nothing near on the default board: the threshold wait goes on, as on a board. */
    r = RUN("run", "--until", "0.5", elf);
    cr_assert_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
    cr_assert_str_eq(r.out, "[TEST] Proximity Sensor\nNumber of LEDs on the board: 4\n");
    cr_assert(strstr(r.err, "led 0 on") == NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
    write_text(dir, "noprox.json", "{\"drivers\": {\"proximity\": {\"enabled\": false}}}");
    board = path_in(dir, "noprox.json");
    r = RUN("run", "--board", board, elf);
    free(board);
    cr_assert_eq(r.status, 1, "main returns -1: stdout: %s stderr: %s", r.out, r.err);
    cr_assert_str_eq(r.out, "[TEST] Proximity Sensor\nProximity sensor does not exist\n");
    ksim_result_free(&r);
    free(elf);
}

/* find_north and accel-leds poll the 9-DOF sensor without ever sleeping, so
 * they run on the real clock (a polling loop holds virtual time still). */
Test(libtock_c, ninedof_examples_follow_the_board_axes)
{
    char *elf = build_example(dir, "find_north", "find_north");
    write_text(dir, "north.json",
               "{\"drivers\": {\"ninedof\": {\"magnetometer\": {\"x\": 0, \"y\": 20, \"z\": 0}}}}");
    char *board = path_in(dir, "north.json");
    struct ksim_result r = RUN("run", "--board", board, "--clock", "real", "--until", "0.05", elf);
    free(board);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strncmp(r.out, "x: 0, y: 20, z: 0\nx: 0, y: 20, z: 0\n", 36) == 0, "stdout: %.200s",
              r.out);
    cr_assert(strstr(r.err, "led 1 on") != NULL, "pointing north lights LED 1: %s", r.err);
    ksim_result_free(&r);
    free(elf);

    elf = build_example(dir, "accel_leds", "accel-leds");
    write_text(dir, "tilted.json",
               "{\"drivers\": {\"ninedof\": {\"accelerometer\": {\"x\": -900, \"y\": 100, \"z\": "
               "300}}}}");
    board = path_in(dir, "tilted.json");
    r = RUN("run", "--board", board, "--clock", "real", "--until", "0.05", elf);
    free(board);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_str_eq(r.out, "[App] Accelerometer -> LEDs\n");
    cr_assert(strstr(r.err, "led 0 on") != NULL, "x is largest: %s", r.err);
    cr_assert(strstr(r.err, "led 2 on") == NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
    free(elf);
}

/* Arrays, not pointers: Criterion copies parameters into a re-executed worker. */
struct example_case {
    char dir[48];     /* under examples/ */
    char until[8];    /* --until, or "" to run to the end */
    int status;       /* ksim's exit status */
    char needle[128]; /* in stdout or stderr */
    char needle2[64]; /* also there, or "" */
};

/* Examples whose result on ksim is what a board shows. */
static struct example_case examples[] = {
    {"tests/printf_long", "", 0, "greater than 64 byte message can be printed.\n",
     "And a short message.\n"},
    {"tests/hello_loop", "2.5", 0, "Hello\nHello\n", ""},
    {"tests/malloc_test01", "", 0, "malloc01: success", ""},
    {"tests/exit", "", 0, "Testing exit.", "Exiting."},
    {"tests/restart", "1.5", 0,
     "Testing restart. x=1 (should be 1), z=0 (should be 0)\nRestarting.\n"
     "Testing restart. x=1 (should be 1), z=0 (should be 0)",
     ""},
    {"tests/callback_remove_test01", "5", 0, "[SUCCESS]", ""},
    {"tests/alarms/alarm_in_overflow", "10", 0, "Success!", ""},
    {"tests/alarms/multi_alarm_simple_test", "1.1", 0, "1 500000 500000\n2 1000000 1000000\n", ""},
    {"tests/alarms/multi_alarm_test", "2.5", 0, "[1.000000] led 0 on", "[2.300000] led 1 off"},
    {"tests/led/led-odd", "0.5", 0, "led 1 on", "led 3 on"},
    {"tests/rng", "1", 0, "Randomness: ", ""},
    {"tests/gpio/gpio_original", "2.5", 0, "gpio 0 high", "gpio 0 low"},
    {"tests/fault", "", 3, "Testing fault behavior by faulting.", "faulted"},
    {"tests/mpu/unit/mpu_stack_growth", "", 3, "[TEST] MPU Stack Growth", "faulted"},
};

ParameterizedTestParameters(libtock_c, examples_behave_as_on_a_board)
{
    return cr_make_param_array(struct example_case, examples, sizeof examples / sizeof examples[0]);
}

ParameterizedTest(struct example_case *c, libtock_c, examples_behave_as_on_a_board)
{
    char *name = strdup(c->dir);
    for (char *p = name; *p != '\0'; p++)
        if (*p == '/')
            *p = '_';
    char *elf = build_example(dir, name, c->dir);
    struct ksim_result r =
        c->until[0] != '\0' ? RUN("run", "--until", c->until, elf) : RUN("run", elf);
    char *all = NULL;
    cr_assert(asprintf(&all, "%s\n%s", r.out, r.err) >= 0);
    cr_assert_eq(r.status, c->status, "%s: %s", c->dir, all);
    cr_assert(strstr(all, c->needle) != NULL, "%s: %s", c->dir, all);
    cr_assert(strstr(all, c->needle2) != NULL, "%s: %s", c->dir, all);
    free(all);
    ksim_result_free(&r);
    free(elf);
    free(name);
}

#endif /* KSIM_LIBTOCK_C */
