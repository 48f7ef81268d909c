/*
 * `ksim memmap`: the picture and the text must show the blocks `ksim run`
 * really places (compared with the process console's `memmap` and `mpu` in
 * a real run), the SVG must be well-formed XML, and bad input exits 2.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_ksim.h"

#define NRF_BOARD KSIM_SOURCE_DIR "/boards/nrf52840dk.json"

/* What the console showed for one process. */
struct console_view {
    char block[4096]; /* `memmap ID` output, "  memory block:" up to the next prompt */
    char mpu[2048];   /* `mpu ID` output */
    uintptr_t start, end;
    unsigned nregions; /* regions of non-zero size */
};

/* The command's output: from `from` up to the next prompt (or the end). */
static void chunk_after(const char *text, const char *from, char *out, size_t cap)
{
    const char *s = strstr(text, from);
    cr_assert(s, "no '%s' in the console output: %s", from, text);
    const char *e = strstr(s, "ksim> ");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    cr_assert(n < cap, "console output too long");
    memcpy(out, s, n);
    out[n] = '\0';
}

static uintptr_t address_of(const char *block, const char *label)
{
    char key[64];
    snprintf(key, sizeof(key), "+ %s\n", label);
    const char *at = strstr(block, key);
    cr_assert(at, "no '%s' line in %s", label, block);
    while (at > block && at[-1] != '\n')
        at--;
    uintptr_t a = 0;
    cr_assert_eq(sscanf(at, " 0x%" SCNxPTR, &a), 1, "%s", at);
    return a;
}

static unsigned count_regions(const char *mpu)
{
    unsigned n = 0;
    for (const char *l = strchr(mpu, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
        uintptr_t lo, hi;
        if (sscanf(l + 1, " %*u: 0x%" SCNxPTR "-0x%" SCNxPTR, &lo, &hi) == 2 && hi > lo)
            n++;
    }
    return n;
}

/*
 * Runs the apps under `ksim run --console` and asks `memmap ID` and `mpu ID`
 * for each: what a user sees of the real placement.
 */
static void console_views(const char *board, const char *const *apps, size_t napps,
                          struct console_view *v)
{
    const char *args[16] = {"run", "--console"};
    size_t n = 2;
    if (board) {
        args[n++] = "--board";
        args[n++] = board;
    }
    char script[512] = "";
    for (size_t i = 0; i < napps; i++) {
        args[n++] = app_path(apps[i]);
        args[n - 1] = strdup(args[n - 1]); /* app_path's buffer is reused */
        char line[64];
        snprintf(line, sizeof(line), "memmap %zu\nmpu %zu\n", i, i);
        strcat(script, line);
    }
    strcat(script, "quit\n");
    args[n] = NULL;
    struct ksim_result r = run_ksim(args, script);
    cr_assert_eq(r.status, 0, "ksim run --console: %s", r.err);
    const char *at = r.out;
    for (size_t i = 0; i < napps; i++) {
        chunk_after(at, "  memory block:", v[i].block, sizeof(v[i].block));
        at = strstr(at, "  memory block:") + 1;
        chunk_after(at, "  MPU (", v[i].mpu, sizeof(v[i].mpu));
        at = strstr(at, "  MPU (") + 1;
        v[i].start = address_of(v[i].block, "start");
        v[i].end = address_of(v[i].block, "end");
        v[i].nregions = count_regions(v[i].mpu);
    }
    for (size_t i = 0; i < napps; i++)
        free((char *)args[n - napps + i]);
    ksim_result_free(&r);
}

static struct ksim_result memmap(const char *mode, const char *svg, const char *board,
                                 const char *const *apps, size_t napps)
{
    const char *args[16] = {"memmap", mode};
    size_t n = 2;
    if (svg)
        args[n++] = svg;
    if (board) {
        args[n++] = "--board";
        args[n++] = board;
    }
    for (size_t i = 0; i < napps; i++)
        args[n++] = strdup(app_path(apps[i]));
    args[n] = NULL;
    struct ksim_result r = run_ksim(args, NULL);
    for (size_t i = 0; i < napps; i++)
        free((char *)args[n - napps + i]);
    return r;
}

static void text_matches_console(const char *board, const char *const *apps, size_t napps)
{
    struct console_view v[4];
    console_views(board, apps, napps, v);
    struct ksim_result r = memmap("--text", NULL, board, apps, napps);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    for (size_t i = 0; i < napps; i++) {
        char head[160];
        snprintf(head, sizeof(head), "process %zu '%s': block 0x%08" PRIxPTR "-0x%08" PRIxPTR, i,
                 apps[i], v[i].start, v[i].end);
        cr_assert(strstr(r.out, head), "no '%s' in:\n%s", head, r.out);
        cr_assert(strstr(r.out, v[i].block), "the console's block diagram:\n%s\nis not in:\n%s",
                  v[i].block, r.out);
        cr_assert(strstr(r.out, v[i].mpu), "the console's MPU regions:\n%s\nare not in:\n%s",
                  v[i].mpu, r.out);
    }
    ksim_result_free(&r);
}

Test(memmap, text_shows_the_blocks_a_run_places_on_the_default_board)
{
    const char *apps[] = {"hello", "sleep"};
    text_matches_console(NULL, apps, 2);
}

Test(memmap, text_shows_the_blocks_a_run_places_on_a_pmsav7_board)
{
    const char *apps[] = {"hello", "sleep", "counter"};
    text_matches_console(NRF_BOARD, apps, 3);
    /* PMSAv7 regions are aligned to their size: RAM is skipped between blocks. */
    struct ksim_result r = memmap("--text", NULL, NRF_BOARD, apps, 3);
    cr_assert(strstr(r.out, " skipped "), "no alignment gap shown:\n%s", r.out);
    cr_assert(strstr(r.out, "subregions off"), "%s", r.out);
    ksim_result_free(&r);
}

static void assert_well_formed(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
    int st = system(cmd);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) != 127,
              "xmllint is missing: scripts/setup.sh installs libxml2-utils");
    cr_assert_eq(WEXITSTATUS(st), 0, "%s is not well-formed XML", path);
}

static unsigned count(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *s = strstr(hay, needle); s; s = strstr(s + 1, needle))
        n++;
    return n;
}

static void svg_matches_console(const char *board, const char *const *apps, size_t napps)
{
    struct console_view v[4];
    console_views(board, apps, napps, v);
    char *path = temp_file("", 0, ".svg");
    struct ksim_result r = memmap("--svg", path, board, apps, napps);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    assert_well_formed(path);
    size_t len;
    char *svg = (char *)read_all(path, &len);
    unsigned regions = 0;
    for (size_t i = 0; i < napps; i++) {
        char g[256];
        snprintf(g, sizeof(g),
                 "<g class=\"process\" data-name=\"%s\" data-id=\"%zu\" data-start=\"0x%08" PRIxPTR
                 "\" data-end=\"0x%08" PRIxPTR "\">",
                 apps[i], i, v[i].start, v[i].end);
        cr_assert(strstr(svg, g), "no '%s' in the picture", g);
        regions += v[i].nregions;
    }
    cr_assert_eq(count(svg, "<g class=\"mpu-region\""), regions,
                 "the picture should outline every MPU region the console lists");
    cr_assert(strstr(svg, "data-kind=\"grant\"") && strstr(svg, "data-kind=\"stack\""));
    free(svg);
    unlink(path);
    free(path);
    ksim_result_free(&r);
}

Test(memmap, svg_is_well_formed_and_shows_the_real_blocks)
{
    const char *apps[] = {"hello", "sleep"};
    svg_matches_console(NULL, apps, 2);
}

Test(memmap, svg_on_a_pmsav7_board_outlines_every_region)
{
    const char *apps[] = {"hello", "sleep", "counter"};
    svg_matches_console(NRF_BOARD, apps, 3);
}

Test(memmap, svg_escapes_app_names)
{
    size_t len;
    unsigned char *elf = read_all(app_path("hello"), &len);
    char dir[] = "/tmp/ksim-memmap-XXXXXX", app[128], svg[128];
    cr_assert(mkdtemp(dir));
    snprintf(app, sizeof(app), "%s/a&b<c>.elf", dir);
    snprintf(svg, sizeof(svg), "%s/out.svg", dir);
    FILE *f = fopen(app, "w");
    cr_assert(f && fwrite(elf, 1, len, f) == len && fclose(f) == 0);
    struct ksim_result r = run_ksim((const char *const[]){"memmap", "--svg", svg, app, NULL}, NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    assert_well_formed(svg);
    char *text = (char *)read_all(svg, &len);
    cr_assert(strstr(text, "data-name=\"a&amp;b&lt;c&gt;\""), "the name is not escaped");
    free(text);
    free(elf);
    unlink(app);
    unlink(svg);
    rmdir(dir);
    ksim_result_free(&r);
}

Test(memmap, missing_app_is_an_error_and_writes_nothing)
{
    char dir[] = "/tmp/ksim-memmap-XXXXXX", svg[128];
    cr_assert(mkdtemp(dir));
    snprintf(svg, sizeof(svg), "%s/out.svg", dir);
    struct ksim_result r =
        run_ksim((const char *const[]){"memmap", "--svg", svg, "/nonexistent/app.elf", NULL}, NULL);
    cr_assert_eq(r.status, 2, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "/nonexistent/app.elf"), "the error should name the app: %s", r.err);
    struct stat st;
    cr_assert_neq(stat(svg, &st), 0, "a picture was written for a failed load");
    rmdir(dir);
    ksim_result_free(&r);
}

Test(memmap, bad_board_is_an_error)
{
    const char *json = "{\"memory\": {\"ram\": 7}}";
    char *board = temp_file(json, strlen(json), ".json");
    struct ksim_result r = run_ksim(
        (const char *const[]){"memmap", "--text", "--board", board, app_path("hello"), NULL}, NULL);
    cr_assert_eq(r.status, 2, "stderr: %s", r.err);
    cr_assert(strstr(r.err, board) && strstr(r.err, "memory.ram"),
              "the error should name the file and key: %s", r.err);
    cr_assert_eq(r.out_len, 0, "nothing should be drawn: %s", r.out);
    unlink(board);
    free(board);
    ksim_result_free(&r);

    r = run_ksim((const char *const[]){"memmap", "--text", "--board", "/nonexistent.json", NULL},
                 NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "/nonexistent.json"), "%s", r.err);
    ksim_result_free(&r);
}

Test(memmap, usage_errors_exit_2)
{
    struct ksim_result r = run_ksim((const char *const[]){"memmap", app_path("hello"), NULL}, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--svg FILE, --text"), "%s", r.err);
    ksim_result_free(&r);

    r = run_ksim((const char *const[]){"memmap", "--svg", "/nonexistent/dir/out.svg",
                                       app_path("hello"), NULL},
                 NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "/nonexistent/dir/out.svg: cannot create"), "%s", r.err);
    ksim_result_free(&r);
}
