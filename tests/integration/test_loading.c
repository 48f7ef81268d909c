/*
 * Integration tests of issue 6 (flexible loading) through build/ksim:
 * `ksim pack` and running TBF objects.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_ksim.h"

#define RUN(...) run_ksim((const char *const[]){__VA_ARGS__, NULL}, NULL)

/* A fresh directory for one test's files (left for inspection under /tmp). */
static const char *test_dir(void)
{
    static char dir[64];
    snprintf(dir, sizeof(dir), "/tmp/ksim-loading-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

/* dir/name in a static buffer (four in turn). */
static const char *in_dir(const char *dir, const char *name)
{
    static char paths[4][256];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void pack(const char *app, const char *out)
{
    struct ksim_result r = RUN("pack", app_path(app), "-o", out);
    cr_assert_eq(r.status, 0, "pack %s: %s", app, r.err);
    ksim_result_free(&r);
}

static void flip_byte(const char *path, size_t offset, uint8_t mask)
{
    size_t len;
    unsigned char *b = read_all(path, &len);
    cr_assert_not_null(b);
    cr_assert_lt(offset, len);
    b[offset] ^= mask;
    FILE *f = fopen(path, "wb");
    cr_assert_eq(fwrite(b, 1, len, f), len);
    fclose(f);
    free(b);
}

Test(pack, tbf_runs_exactly_like_the_elf)
{
    const char *dir = test_dir();
    const char *apps[] = {"hello", "sleep", "malloc", "counter"};
    for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s.tbf", apps[i]);
        const char *tbf = in_dir(dir, name);
        pack(apps[i], tbf);
        struct ksim_result e = RUN("run", app_path(apps[i]));
        struct ksim_result t = RUN("run", tbf);
        cr_assert_eq(t.status, e.status, "%s: exit %d, the ELF's %d; stderr: %s", apps[i], t.status,
                     e.status, t.err);
        cr_assert_eq(t.out_len, e.out_len, "%s: output differs:\n%s\nvs the ELF's\n%s", apps[i],
                     t.out, e.out);
        cr_assert(memcmp(t.out, e.out, e.out_len) == 0, "%s: output differs", apps[i]);
        cr_assert_gt(e.out_len, 0, "%s printed nothing", apps[i]);
        ksim_result_free(&e);
        ksim_result_free(&t);
    }
}

Test(pack, a_corrupt_tbf_is_refused_and_the_others_run)
{
    const char *dir = test_dir();
    const char *bad = in_dir(dir, "bad.tbf");
    pack("hello", bad);
    flip_byte(bad, 12, 0x01); /* the header checksum */
    struct ksim_result r = RUN("run", bad, app_path("hello"));
    cr_assert_eq(r.status, 2, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello from ksim!") != NULL, "hello did not run: %s", r.out);
    cr_assert(strstr(r.err, bad) != NULL, "the file is not named: %s", r.err);
    cr_assert(strstr(r.err, "'checksum' at offset 0xc") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(pack, a_tampered_binary_fails_its_credential)
{
    const char *dir = test_dir();
    const char *bad = in_dir(dir, "tampered.tbf");
    pack("hello", bad);
    flip_byte(bad, 0x400, 0x80); /* inside the ELF: the header is still fine */
    struct ksim_result r = RUN("run", app_path("hello"), bad);
    cr_assert_eq(r.status, 2, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello from ksim!") != NULL, "hello did not run: %s", r.out);
    cr_assert(strstr(r.err, "'credential' at offset 0x") != NULL, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "SHA-256") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(pack, the_package_name_names_the_process)
{
    const char *dir = test_dir();
    const char *tbf = in_dir(dir, "x.tbf");
    struct ksim_result p =
        RUN("pack", "--name", "org.example.crash", app_path("fault_null"), "-o", tbf);
    cr_assert_eq(p.status, 0, "%s", p.err);
    ksim_result_free(&p);
    struct ksim_result r = RUN("run", tbf);
    cr_assert_eq(r.status, 3, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "org.example.crash") != NULL, "the fault report: %s", r.err);
    ksim_result_free(&r);
}

Test(pack, refuses_what_is_not_an_app)
{
    const char *dir = test_dir();
    const char *out = in_dir(dir, "out.tbf");
    char text[128];
    memset(text, 'x', sizeof(text)); /* longer than an ELF header, but not one */
    char *junk = temp_file(text, sizeof(text), ".elf");
    struct ksim_result r = RUN("pack", junk, "-o", out);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, junk) && strstr(r.err, "not an ELF file"), "stderr: %s", r.err);
    cr_assert_eq(access(out, F_OK), -1, "a refused pack wrote its output");
    ksim_result_free(&r);
    r = RUN("pack", app_path("hello"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "-o") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
    unlink(junk);
    free(junk);
}

/* --- ksim layout ------------------------------------------------------------------ */

#define NRF KSIM_SOURCE_DIR "/boards/nrf52840dk.json"

/* The text from `  memory block:` to the `start` line that ends it, after `from`. */
static char *block_diagram(const char *text, const char *from)
{
    const char *a = strstr(from ? from : text, "  memory block:");
    cr_assert_not_null(a, "no memory block in: %s", text);
    const char *b = strstr(a, " start\n");
    cr_assert_not_null(b);
    return strndup(a, (size_t)(b - a) + 7);
}

/* What layout prints is the block the running kernel uses (the console's memmap). */
Test(layout, shows_the_block_the_kernel_builds)
{
    const char *boards[] = {NULL, NRF};
    for (int i = 0; i < 2; i++) {
        struct ksim_result l =
            boards[i] ? RUN("layout", "--board", boards[i], app_path("hello"), app_path("sleep"))
                      : RUN("layout", app_path("hello"), app_path("sleep"));
        cr_assert_eq(l.status, 0, "stderr: %s", l.err);
        const char *args_nrf[] = {
            "run", "--console", "--board", NRF, app_path("hello"), app_path("sleep"), NULL};
        const char *args_def[] = {"run", "--console", app_path("hello"), app_path("sleep"), NULL};
        struct ksim_result r = run_ksim(boards[i] ? args_nrf : args_def, "memmap sleep\nquit\n");
        cr_assert_eq(r.status, 0, "stderr: %s", r.err);
        char *want = block_diagram(r.out, NULL);
        char *got = block_diagram(l.out, strstr(l.out, "\nsleep ("));
        cr_assert_str_eq(got, want, "board %s: layout says\n%s\nthe kernel has\n%s",
                         boards[i] ? boards[i] : "default", got, want);
        free(want);
        free(got);
        ksim_result_free(&l);
        ksim_result_free(&r);
    }
}

Test(layout, counts_regions_against_the_hardware)
{
    struct ksim_result r = RUN("layout", "--board", NRF, app_path("hello"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "MPU model cortex-m-pmsav7: 8 regions in all"), "%s", r.out);
    cr_assert(strstr(r.out, "MPU regions: 3 used of 8 available"), "%s", r.out);
    cr_assert(strstr(r.out, "padding lost to alignment: "), "%s", r.out);
    ksim_result_free(&r);
    r = RUN("layout", app_path("hello"));
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "MPU regions: 3 used (page model: no hardware limit)"), "%s", r.out);
    ksim_result_free(&r);
}

/* Parses "  0xAAAAAAAA..0xBBBBBBBB" lines of the RAM map: they tile RAM exactly. */
static void assert_ram_map_tiles(const char *out, unsigned long lo, unsigned long hi)
{
    const char *map = strstr(out, "\nRAM 0x");
    cr_assert_not_null(map, "no RAM map: %s", out);
    unsigned long at = lo, a, b;
    int n = 0;
    for (const char *line = strchr(map + 1, '\n');
         line && sscanf(line, "\n  0x%lx..0x%lx", &a, &b) == 2;
         line = strchr(line + 1, '\n'), n++) {
        cr_assert_eq(a, at, "RAM map line %d starts at 0x%lx, expected 0x%lx:\n%s", n, a, at, map);
        cr_assert_gt(b, a);
        at = b;
    }
    cr_assert_eq(at, hi, "the RAM map ends at 0x%lx:\n%s", at, map);
    cr_assert_gt(n, 2);
}

/* Four apps on a 256 KiB board: three fit, the fourth is shown not to, and why. */
Test(layout, shows_why_an_app_does_not_fit)
{
    struct ksim_result r = RUN("layout", "--board", NRF, app_path("hello"), app_path("sleep"),
                               app_path("malloc"), app_path("counter"));
    cr_assert_eq(r.status, 1, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "counter (") && strstr(r.out, "DOES NOT FIT"), "%s", r.out);
    cr_assert(strstr(r.out, "free RAM: ") && strstr(r.out, "lays it out in a block of 52 KiB"),
              "%s", r.out);
    cr_assert(strstr(r.out, "unused (alignment)"), "pmsav7 leaves gaps: %s", r.out);
    assert_ram_map_tiles(r.out, 0x20000000ul, 0x20040000ul);
    ksim_result_free(&r);
}

/* A TBF asking for more RAM gets a bigger block; layout shows both. */
Test(layout, reads_tbf_and_its_minimum_ram)
{
    const char *dir = test_dir();
    const char *tbf = in_dir(dir, "big.tbf");
    struct ksim_result p = RUN("pack", "--min-ram", "200K", app_path("hello"), "-o", tbf);
    cr_assert_eq(p.status, 0, "%s", p.err);
    ksim_result_free(&p);
    struct ksim_result r = RUN("layout", app_path("hello"), tbf);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    unsigned long a0, a1, b0, b1;
    const char *first = strstr(r.out, "\nhello ("), *second = strstr(first + 1, "\nhello (");
    cr_assert_not_null(second, "%s", r.out);
    cr_assert_eq(sscanf(strstr(first, "block "), "block 0x%lx..0x%lx", &a0, &a1), 2);
    cr_assert_eq(sscanf(strstr(second, "block "), "block 0x%lx..0x%lx", &b0, &b1), 2);
    cr_assert_lt(a1 - a0, 200 * 1024ul);
    cr_assert_geq(b1 - b0, 200 * 1024ul, "%s", r.out);
    ksim_result_free(&r);
}

Test(layout, refuses_bad_input)
{
    struct ksim_result r = RUN("layout", "/nonexistent.elf", app_path("hello"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "/nonexistent.elf"), "%s", r.err);
    cr_assert(strstr(r.out, "hello ("), "the other app is still shown: %s", r.out);
    ksim_result_free(&r);
    r = RUN("layout");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "usage"), "%s", r.err);
    ksim_result_free(&r);
}

/* --- flash images ------------------------------------------------------------------ */

static void flash_ok(const char *image, const char *cmd, const char *arg)
{
    struct ksim_result r =
        arg ? RUN("flash", "--image", image, cmd, arg) : RUN("flash", "--image", image, cmd);
    cr_assert_eq(r.status, 0, "flash %s: %s", cmd, r.err);
    ksim_result_free(&r);
}

/* boot_counter packed with a writeable flash region, installed after hello. */
static const char *counter_image(const char *dir)
{
    const char *tbf = in_dir(dir, "boot_counter.tbf");
    struct ksim_result p = RUN("pack", "--flash-region", "64", app_path("boot_counter"), "-o", tbf);
    cr_assert_eq(p.status, 0, "%s", p.err);
    ksim_result_free(&p);
    const char *image = in_dir(dir, "flash.img");
    flash_ok(image, "install", app_path("hello")); /* an ELF is packed on the way */
    flash_ok(image, "install", tbf);
    return image;
}

Test(flash, stored_data_survives_a_restart)
{
    const char *dir = test_dir();
    const char *image = counter_image(dir);
    for (int boot = 1; boot <= 3; boot++) {
        char want[64];
        struct ksim_result r = RUN("run", "--flash", image);
        cr_assert_eq(r.status, 0, "boot %d: %s", boot, r.err);
        snprintf(want, sizeof(want), "boot_counter: boot %d\n", boot);
        cr_assert(strstr(r.out, want), "boot %d printed: %s", boot, r.out);
        cr_assert(strstr(r.out, "Hello from ksim!"), "%s", r.out);
        /* In flash order, as Tock's loader walks it. */
        cr_assert_lt(strstr(r.out, "Hello"), strstr(r.out, "boot_counter"), "%s", r.out);
        ksim_result_free(&r);
    }
}

/* The same on the PMSAv7 board: the app reads its flash through the MPU model's region. */
Test(flash, stored_data_survives_on_the_pmsav7_board)
{
    const char *dir = test_dir();
    const char *tbf = in_dir(dir, "bc.tbf"), *image = in_dir(dir, "nrf.img");
    struct ksim_result r = RUN("pack", "--flash-region", "64", app_path("boot_counter"), "-o", tbf);
    cr_assert_eq(r.status, 0, "%s", r.err);
    ksim_result_free(&r);
    r = RUN("flash", "--image", image, "--board", NRF, "install", tbf);
    cr_assert_eq(r.status, 0, "%s", r.err);
    ksim_result_free(&r);
    for (int boot = 1; boot <= 2; boot++) {
        char want[64];
        r = RUN("run", "--board", NRF, "--flash", image);
        snprintf(want, sizeof(want), "boot_counter: boot %d\n", boot);
        cr_assert(r.status == 0 && strstr(r.out, want), "boot %d: %s %s", boot, r.out, r.err);
        ksim_result_free(&r);
    }
    /* An image made for a bigger flash does not boot on a smaller one: sizes named. */
    const char *big = in_dir(dir, "big.img");
    flash_ok(big, "install", app_path("hello"));
    r = RUN("run", "--flash", big); /* the default board grows it to its 4 MiB */
    ksim_result_free(&r);
    r = RUN("run", "--board", NRF, "--flash", big);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "4194304 bytes") && strstr(r.err, "786432"), "%s", r.err);
    ksim_result_free(&r);
}

Test(flash, list_remove_erase)
{
    const char *dir = test_dir();
    const char *image = counter_image(dir);
    struct ksim_result r = RUN("flash", "--image", image, "list");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "hello") && strstr(r.out, "boot_counter"), "%s", r.out);
    cr_assert(strstr(r.out, "1 writeable flash region"), "%s", r.out);
    cr_assert(strstr(r.out, "2 apps"), "%s", r.out);
    ksim_result_free(&r);
    flash_ok(image, "remove", "hello");
    r = RUN("run", "--flash", image);
    cr_assert(r.status == 0 && !strstr(r.out, "Hello") && strstr(r.out, "boot 1"), "%s", r.out);
    ksim_result_free(&r);
    r = RUN("flash", "--image", image, "remove", "hello");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "no app 'hello'"), "%s", r.err);
    ksim_result_free(&r);
    flash_ok(image, "erase", NULL);
    r = RUN("flash", "--image", image, "list");
    cr_assert(r.status == 0 && strstr(r.out, "0 apps"), "%s", r.out);
    ksim_result_free(&r);
    r = RUN("flash", "--image", image, "install", "/nonexistent.tbf");
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "/nonexistent.tbf"), "%s", r.err);
    ksim_result_free(&r);
}

/* Cuts the image file to len bytes. */
static void cut(const char *path, size_t len)
{
    cr_assert_eq(truncate(path, (off_t)len), 0);
}

static size_t file_size(const char *path)
{
    size_t len;
    unsigned char *b = read_all(path, &len);
    free(b);
    return len;
}

/*
 * An install killed before its commit: the image holds hello and the
 * uncommitted body of boot_counter. It boots hello, fine (exit 0); list says
 * an install was interrupted; installing again works.
 */
Test(flash, an_interrupted_install_boots_the_others)
{
    const char *dir = test_dir();
    const char *image = in_dir(dir, "i.img");
    flash_ok(image, "install", app_path("hello"));
    size_t a = file_size(image);
    const char *tbf = in_dir(dir, "bc.tbf");
    struct ksim_result r = RUN("pack", "--flash-region", "64", app_path("boot_counter"), "-o", tbf);
    ksim_result_free(&r);
    flash_ok(image, "install", tbf);
    size_t full = file_size(image);
    const size_t cuts[] = {a + 2, a + 6, a + 40, a + 4096, (a + full) / 2, full - 1};
    unsigned char *bytes = read_all(image, &(size_t){0});
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        /* The state the installer leaves: body up to the cut, commit word erased. */
        FILE *f = fopen(image, "wb");
        fwrite(bytes, 1, cuts[i], f);
        fclose(f);
        flip_byte(image, a, bytes[a]); /* the version's low byte to 0 */
        r = RUN("run", "--flash", image);
        cr_assert_eq(r.status, 0, "cut at %zu: %s", cuts[i], r.err);
        cr_assert(strstr(r.out, "Hello from ksim!") && !strstr(r.out, "boot_counter"), "%s", r.out);
        ksim_result_free(&r);
        r = RUN("flash", "--image", image, "list");
        cr_assert(strstr(r.out, "1 app,"), "cut at %zu: %s", cuts[i], r.out);
        if (cuts[i] > a + 4)
            cr_assert(strstr(r.out, "interrupted install"), "cut at %zu: %s", cuts[i], r.out);
        ksim_result_free(&r);
    }
    flash_ok(image, "install", tbf);
    r = RUN("run", "--flash", image);
    cr_assert(r.status == 0 && strstr(r.out, "Hello") && strstr(r.out, "boot_counter: boot 1"),
              "%s %s", r.out, r.err);
    ksim_result_free(&r);
    free(bytes);
}

/* A committed image cut inside its last app: the others boot; the cut one is named. */
Test(flash, a_damaged_app_is_refused_and_the_others_run)
{
    const char *dir = test_dir();
    const char *image = counter_image(dir);
    cut(image, file_size(image) - 100);
    struct ksim_result r = RUN("flash", "--image", image, "list");
    cr_assert(strstr(r.out, "INCOMPLETE"), "%s", r.out);
    ksim_result_free(&r);
    r = RUN("run", "--flash", image);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.out, "Hello from ksim!") && !strstr(r.out, "boot_counter"), "%s", r.out);
    /* The cut footer reads as erased flash: its type is named. */
    cr_assert(strstr(r.err, "TBF field 'footer type'") && strstr(r.err, image), "%s", r.err);
    ksim_result_free(&r);
}

/* --- memory pressure and loading while others run ------------------------------------ */

/* RAM for two of the default board's process blocks, not three. */
static const char *small_board(const char *dir, const char *policy)
{
    char text[512];
    const char *path = in_dir(dir, policy[0] == 'e' ? "evict.json" : "refuse.json");
    snprintf(text, sizeof(text),
             "{\"name\": \"small\", \"memory\": {\"ram\": {\"base\": \"0x20000000\", "
             "\"size\": \"0x70000\", \"kernel_reserved\": \"0x10000\"}}, "
             "\"process\": {\"memory_pressure\": \"%s\"}}",
             policy);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* sleep.elf three times, as sleep_a, sleep_b and sleep_c (the package names). */
static void three_sleepers(const char *dir, char paths[3][256])
{
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof(name), "sleep_%c", 'a' + i);
        snprintf(paths[i], 256, "%s/%s.tbf", dir, name);
        struct ksim_result r = RUN("pack", "--name", name, app_path("sleep"), "-o", paths[i]);
        cr_assert_eq(r.status, 0, "%s", r.err);
        ksim_result_free(&r);
    }
}

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *at = strstr(text, what); at; at = strstr(at + 1, what))
        n++;
    return n;
}

/*
 * Three apps that each sleep an hour, on a board with RAM for two: sleep_c
 * evicts sleep_b (the lowest priority holding RAM), which comes back when
 * the others end. All three complete.
 */
Test(pressure, evict_lets_three_apps_complete_on_a_board_for_two)
{
    const char *dir = test_dir();
    char apps[3][256];
    three_sleepers(dir, apps);
    const char *board = small_board(dir, "evict");
    /* First: the board really has room for two only. */
    struct ksim_result l =
        RUN("layout", "--board", small_board(dir, "refuse"), apps[0], apps[1], apps[2]);
    cr_assert_eq(l.status, 1, "%s", l.out);
    cr_assert(strstr(l.out, "sleep_c (") && strstr(l.out, "DOES NOT FIT"), "%s", l.out);
    ksim_result_free(&l);

    struct ksim_result r = RUN("run", "--board", board, apps[0], apps[1], apps[2]);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert_eq(count(r.out, "slept 3600 s"), 3, "stdout: %s", r.out);
    cr_assert(strstr(r.err, "'sleep_b' (id 1) evicted to make room for 'sleep_c'"), "%s", r.err);
    cr_assert(strstr(r.err, "'sleep_b' has RAM again"), "%s", r.err);
    cr_assert_eq(count(r.err, "evicted"), 1, "%s", r.err);
    ksim_result_free(&r);
}

Test(pressure, refuse_names_the_sizes_and_the_others_run)
{
    const char *dir = test_dir();
    char apps[3][256];
    three_sleepers(dir, apps);
    struct ksim_result r =
        RUN("run", "--board", small_board(dir, "refuse"), apps[0], apps[1], apps[2]);
    cr_assert_eq(r.status, 2, "stderr: %s", r.err);
    cr_assert_eq(count(r.out, "slept 3600 s"), 2, "stdout: %s", r.out);
    cr_assert(strstr(r.err, apps[2]) && strstr(r.err, "its process block needs ") &&
                  strstr(r.err, "bytes are free, the largest gap is "),
              "%s", r.err);
    cr_assert(!strstr(r.err, "evicted"), "%s", r.err);
    ksim_result_free(&r);
}

/* The process console loads and unloads while another app runs (kernel_ctl_load/unload). */
Test(pressure, console_loads_and_unloads_while_others_run)
{
    char script[600];
    snprintf(script, sizeof(script), "load %s\nunload sleep\nlist\nquit\n", app_path("hello"));
    const char *args[] = {"run", "--console", app_path("sleep"), NULL};
    struct ksim_result r = run_ksim(args, script);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello from ksim!"), "the loaded app ran: %s", r.out);
    cr_assert(strstr(r.out, "unloaded 'sleep'"), "%s", r.out);
    cr_assert(!strstr(r.out, "slept"), "sleep was unloaded before it woke: %s", r.out);
    ksim_result_free(&r);
}
