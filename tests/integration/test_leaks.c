#define _GNU_SOURCE
/*
 * Issue 18 item 7, checked from outside: hostile_leak_probe prints every
 * word host code could have left where app code reads it (registers after
 * the gate and at an upcall's entry, the XSAVE image, the stack below its
 * stack pointer). While ksim still runs, the test reads ksim's mappings
 * from /proc/PID/maps: no word may point into any of them, except into the
 * app's own memory and the switch code's page (the gate and the return
 * addresses docs/faults.md names).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_ksim.h"

extern char **environ;

struct range {
    uint64_t lo, hi;
    char name[160];
};

struct probe_run {
    pid_t pid;
    int in, out;
    char *text;
    size_t len;
};

static void start_probe(const char *board, struct probe_run *r)
{
    int in[2], out[2];
    cr_assert(pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    char board_path[512];
    snprintf(board_path, sizeof(board_path), "%s/boards/%s", KSIM_SOURCE_DIR, board);
    const char *with_board[] = {
        KSIM_BIN, "run", "--board", board_path, app_path("hostile_leak_probe"), NULL};
    const char *plain[] = {KSIM_BIN, "run", app_path("hostile_leak_probe"), NULL};
    cr_assert(posix_spawn(&r->pid, KSIM_BIN, &fa, NULL,
                          (char *const *)(board[0] ? with_board : plain), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    r->in = in[1];
    r->out = out[0];
    r->len = 0;
    r->text = calloc(1, 1 << 20);
    /* Until END: ksim then waits for console input, its mappings in place. */
    while (!strstr(r->text, "END\n") && r->len < (1 << 20) - 1) {
        ssize_t n = read(r->out, r->text + r->len, (1 << 20) - 1 - r->len);
        if (n <= 0)
            break;
        r->len += (size_t)n;
    }
    cr_assert(strstr(r->text, "END\n"), "the probe did not finish: %s", r->text);
}

static void end_probe(struct probe_run *r)
{
    ssize_t w = write(r->in, "\n", 1); /* the probe's getchar returns, and it exits */
    (void)w;
    close(r->in);
    int ws;
    waitpid(r->pid, &ws, 0);
    close(r->out);
    free(r->text);
    cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "ksim ended with status 0x%x", ws);
}

static size_t read_maps(pid_t pid, struct range *out, size_t max)
{
    char path[64], line[512];
    snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot read %s", path);
    size_t n = 0;
    while (n < max && fgets(line, sizeof(line), f)) {
        unsigned long long lo, hi;
        char perms[8], name[128] = "";
        if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %127[^\n]", &lo, &hi, perms, name) < 3)
            continue;
        if (strncmp(perms, "---", 3) == 0)
            continue; /* reservations and guards hold nothing (ASan's shadow gap is one) */
        out[n].lo = lo;
        out[n].hi = hi;
        snprintf(out[n].name, sizeof(out[n].name), "%s %s", perms, name);
        n++;
    }
    fclose(f);
    return n;
}

struct board_case {
    char board[64];
};

static struct board_case leak_boards[] = {
    {""}, {"nrf52840dk.json"}, {"qemu-rv32-virt-lowmem.json"}};

ParameterizedTestParameters(leaks, no_host_address_reaches_app_code)
{
    return cr_make_param_array(struct board_case, leak_boards,
                               sizeof(leak_boards) / sizeof(leak_boards[0]));
}

ParameterizedTest(struct board_case *b, leaks, no_host_address_reaches_app_code)
{
    struct probe_run r;
    start_probe(b->board, &r);
    static struct range maps[4096];
    size_t nmaps = read_maps(r.pid, maps, 4096);

    unsigned long long mem_lo, mem_hi, img_lo, img_hi, gate;
    const char *layout = strstr(r.text, "layout ");
    cr_assert(layout && sscanf(layout, "layout %llx %llx %llx %llx %llx", &mem_lo, &mem_hi, &img_lo,
                               &img_hi, &gate) == 5,
              "no layout line: %s", r.text);
    /* The switch code spans at most two pages around the gate. */
    uint64_t switch_lo = (gate & ~0xfffULL) - 0x1000, switch_hi = (gate & ~0xfffULL) + 0x2000;

    unsigned words = 0, leaks = 0;
    char report[4096] = "";
    for (const char *p = strstr(r.text, "\nv "); p; p = strstr(p + 1, "\nv ")) {
        char what[16];
        unsigned long long v;
        if (sscanf(p, "\nv %15s %llx", what, &v) != 2)
            continue;
        words++;
        if ((v >= mem_lo && v < mem_hi) || (v >= img_lo && v < img_hi) ||
            (v >= switch_lo && v < switch_hi))
            continue;
        for (size_t i = 0; i < nmaps; i++)
            if (v >= maps[i].lo && v < maps[i].hi) {
                leaks++;
                size_t used = strlen(report);
                snprintf(report + used, sizeof(report) - used, "  %s word 0x%llx in %s\n", what, v,
                         maps[i].name);
                break;
            }
    }
    end_probe(&r);
    cr_assert_gt(words, 300, "the probe printed only %u words", words);
    cr_assert_eq(leaks, 0,
                 "on '%s', %u of %u app-visible words point into ksim's host mappings:\n%s",
                 b->board, leaks, words, report);
}
