/*
 * `ksim layout`: loads the apps into a board exactly as `ksim run` would
 * (the real loader, the kernel's placement, the board's MPU model), runs
 * nothing, and prints what was built.
 */
#define _GNU_SOURCE
#include "cli/cmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appload.h"
#include "hal_mpu_model.h"
#include "image/appfile.h"
#include "report/memview.h"
#include "run/machine.h"
#include "run/runner.h"

static const char layout_usage[] = "usage: ksim layout [--board FILE] APP.elf|APP.tbf...\n";

/* One app as the layout saw it. */
struct layout_app {
    const char *path;
    uint8_t *bytes;
    size_t len;
    int slot; /* -1: not loaded */
};

/* "12 KiB" for whole KiB, "1234 B" below 1 KiB, "156.6 KiB" otherwise. */
static const char *size_text(uint64_t bytes, char *buf, size_t cap)
{
    if (bytes < 1024)
        snprintf(buf, cap, "%" PRIu64 " B", bytes);
    else if (bytes % 1024 == 0)
        snprintf(buf, cap, "%" PRIu64 " KiB", bytes / 1024);
    else
        snprintf(buf, cap, "%.1f KiB", (double)bytes / 1024);
    return buf;
}

static uint64_t requested_bytes(const struct hal_block_req *q)
{
    return (uint64_t)q->stack_size + q->data_offset + q->data_size + q->heap_size + q->grant_size;
}

/* What the app asked for, part by part (the kernel's own request). */
static void print_request(FILE *o, const struct hal_block_req *q)
{
    char a[32], b[32], c[32], d[32], e[32], f[32], g[32];
    fprintf(o,
            "  requested %s: stack %s, image %s, gap to data %s (the ELF's), data+bss %s, "
            "heap %s, grant %s\n",
            size_text(requested_bytes(q), a, sizeof(a)), size_text(q->stack_size, b, sizeof(b)),
            size_text(q->image_size, c, sizeof(c)),
            size_text(q->data_offset - q->image_size, d, sizeof(d)),
            size_text(q->data_size, e, sizeof(e)), size_text(q->heap_size, f, sizeof(f)),
            size_text(q->grant_size, g, sizeof(g)));
}

static void print_regions(FILE *o, struct sim_machine *m, const struct hal_block *b)
{
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    unsigned used = hal_stub_mpu_regions(m->hal, b, r, HAL_MPU_MAX_REGIONS);
    unsigned limit = hal_stub_mpu_region_limit(m->hal);
    if (limit)
        fprintf(o, "  MPU regions: %u used of %u available\n", used, limit);
    else
        fprintf(o, "  MPU regions: %u used (page model: no hardware limit)\n", used);
    memview_mpu(o, m->hal, b);
    memview_block(o, b);
}

static void print_loaded(FILE *o, struct sim_machine *m, const struct layout_app *a)
{
    const struct proc *p = &m->procs[a->slot];
    const struct hal_block *b = &p->block;
    struct hal_block_req q;
    char s1[32], s2[32];
    kernel_block_request(&m->kernel, &p->image, p->min_ram, &q);
    uint64_t size = b->end - b->start, pad = size - requested_bytes(&q);
    fprintf(o, "\n%s (%s)\n", p->name, a->path);
    fprintf(o, "  block 0x%08" PRIxPTR "..0x%08" PRIxPTR " (%s)\n", b->start, b->end,
            size_text(size, s1, sizeof(s1)));
    print_request(o, &q);
    fprintf(o, "  padding lost to alignment: %s (%" PRIu64 "%% of the block)\n",
            size_text(pad, s2, sizeof(s2)), size ? pad * 100 / size : 0);
    print_regions(o, m, b);
}

/* Why an app that parsed did not fit: the block it needs against the RAM left. */
static void print_no_room(FILE *o, struct sim_machine *m, const struct layout_app *a,
                          const struct appload_info *info, const struct placement_room *room)
{
    size_t min_ram = info->is_tbf ? info->tbf.minimum_ram_size : 0;
    struct hal_block_req q;
    char s1[32], s2[32], s3[32];
    fprintf(o, "\n%s (%s): DOES NOT FIT\n", info->name, a->path);
    kernel_block_request(&m->kernel, &info->img, min_ram, &q);
    print_request(o, &q);
    fprintf(o, "  free RAM: %s, the largest gap %s\n", size_text(room->free_total, s1, sizeof(s1)),
            size_text(room->largest_gap, s2, sizeof(s2)));
    if (room->need)
        fprintf(o, "  the %s model lays it out in a block of %s (in empty RAM)\n",
                hal_stub_mpu_model(m->hal), size_text(room->need, s3, sizeof(s3)));
    else
        fprintf(o, "  the %s model cannot lay it out in this RAM even when it is empty\n",
                hal_stub_mpu_model(m->hal));
}

/* The whole RAM, lowest address first: kernel, each block, gaps, free. */
static void print_ram(FILE *o, struct sim_machine *m)
{
    const struct kernel *k = &m->kernel;
    uintptr_t at = k->ram.base, end = k->ram.base + k->ram.size;
    char s[32];
    fprintf(o, "\nRAM 0x%08" PRIxPTR "..0x%08" PRIxPTR " (%s):\n", at, end,
            size_text(k->ram.size, s, sizeof(s)));
    if (k->cfg.kernel_reserved) {
        fprintf(o, "  0x%08" PRIxPTR "..0x%08" PRIxPTR " %10s  kernel\n", at,
                at + k->cfg.kernel_reserved, size_text(k->cfg.kernel_reserved, s, sizeof(s)));
        at += k->cfg.kernel_reserved;
    }
    for (;;) {
        const struct proc *next = NULL;
        for (unsigned i = 0; i < k->nprocs; i++) {
            const struct proc *p = &k->procs[i];
            if (placement_holds_ram(p) && p->block.start >= at &&
                (!next || p->block.start < next->block.start))
                next = p;
        }
        if (!next)
            break;
        if (next->block.start > at)
            fprintf(o, "  0x%08" PRIxPTR "..0x%08" PRIxPTR " %10s  unused (alignment)\n", at,
                    next->block.start, size_text(next->block.start - at, s, sizeof(s)));
        fprintf(o, "  0x%08" PRIxPTR "..0x%08" PRIxPTR " %10s  %s\n", next->block.start,
                next->block.end, size_text(next->block.end - next->block.start, s, sizeof(s)),
                next->name);
        at = next->block.end;
    }
    if (end > at)
        fprintf(o, "  0x%08" PRIxPTR "..0x%08" PRIxPTR " %10s  free\n", at, end,
                size_text(end - at, s, sizeof(s)));
    for (unsigned i = 0; i < k->nprocs; i++)
        if (k->procs[i].state == PROC_EVICTED)
            fprintf(o,
                    "  %s: evicted for a later app (process.memory_pressure \"evict\"): it "
                    "restarts when RAM frees\n",
                    k->procs[i].name);
}

/* Loads one app; prints its block, or why it was refused. 0 fit, 1 no room, 2 refused. */
static int lay_out(FILE *o, struct sim_machine *m, struct layout_app *a, const char *board_name)
{
    char msg[768], name[PROC_NAME_MAX];
    struct appload_error e;
    struct appload_info info;
    a->slot = -1;
    if (sim_read_file(a->path, &a->bytes, &a->len, msg, sizeof(msg)) != 0) {
        fprintf(stderr, "ksim: %s\n", msg);
        return 2;
    }
    sim_app_name(a->path, name, sizeof(name));
    a->slot = appload_file(&m->kernel, name, a->bytes, a->len, &e);
    if (a->slot >= 0) {
        print_loaded(o, m, a);
        return 0;
    }
    struct placement_room room = e.room;
    if (e.stage == APPLOAD_NO_ROOM &&
        appload_inspect(m->kernel.cfg.elf_machine, name, a->bytes, a->len, &info, &e) == 0) {
        print_no_room(o, m, a, &info, &room);
        return 1;
    }
    sim_appload_message(a->path, &e, board_name, msg, sizeof(msg));
    fprintf(stderr, "ksim: %s\n", msg);
    return e.stage == APPLOAD_NO_SLOT ? 1 : 2;
}

static void print_board(FILE *o, const struct board *b, struct sim_machine *m)
{
    char s1[32], s2[32];
    unsigned limit = hal_stub_mpu_region_limit(m->hal);
    fprintf(o,
            "board '%s': RAM 0x%08" PRIx64 "..0x%08" PRIx64 " (%s), %s reserved for the kernel\n",
            b->name, b->ram.base, b->ram.base + b->ram.size, size_text(b->ram.size, s1, sizeof(s1)),
            size_text(b->ram.kernel_reserved, s2, sizeof(s2)));
    fprintf(o, "MPU model %s: ", hal_stub_mpu_model(m->hal));
    if (limit)
        fprintf(o, "%u regions in all\n", limit);
    else
        fprintf(o, "host pages, no region limit\n");
}

static int parse_layout_args(int argc, char **argv, const char **board_file)
{
    static const struct option opts[] = {
        {"board", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
        if (c == 'b') {
            *board_file = optarg;
        } else if (c == 'h') {
            fputs(layout_usage, stdout);
            return -1;
        } else {
            fprintf(stderr, "ksim: layout: unknown option\n%s", layout_usage);
            return SIM_EXIT_BAD_INPUT;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "ksim: layout: no app given\n%s", layout_usage);
        return SIM_EXIT_BAD_INPUT;
    }
    return 0;
}

int sim_cmd_layout(int argc, char **argv)
{
    const char *board_file = NULL;
    char err[BOARD_ERR_MAX];
    int rc = parse_layout_args(argc, argv, &board_file);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    struct board *b = malloc(sizeof(*b));
    struct sim_machine *m = calloc(1, sizeof(*m));
    size_t napps = (size_t)(argc - optind);
    struct layout_app *apps = calloc(napps, sizeof(*apps));
    if (!b || !m || !apps) {
        free(b), free(m), free(apps);
        return SIM_EXIT_PANIC;
    }
    bool board_ok = sim_cli_load_board(b, board_file) == 0, machine_ok = false;
    if (board_ok)
        machine_ok =
            sim_machine_create(m, b, sim_cli_board_name(board_file), err, sizeof(err)) == 0;
    if (!machine_ok) {
        if (board_ok)
            fprintf(stderr, "ksim: %s\n", err);
        rc = SIM_EXIT_BAD_INPUT;
    } else {
        print_board(stdout, b, m);
        for (size_t i = 0; i < napps; i++) {
            apps[i].path = argv[optind + (int)i];
            int r = lay_out(stdout, m, &apps[i], b->name);
            rc = r > rc ? r : rc;
        }
        if (napps > 1)
            print_ram(stdout, m);
    }
    if (board_ok)
        sim_machine_destroy(m); /* also a half-made one */
    for (size_t i = 0; i < napps; i++)
        free(apps[i].bytes);
    free(apps), free(m), free(b);
    return rc;
}
