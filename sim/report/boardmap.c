/*
 * The board memory map of a loaded kernel, cut into labelled ranges, and its
 * text rendering. Nothing here places anything: the blocks are the loader's,
 * the region lists the board's MPU model's (through hal-stub).
 */
#include "report/boardmap.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "board/board.h"
#include "hal_stub.h"
#include "kernel.h"
#include "report/memview.h"

static const struct {
    const char *name, *meaning;
} kinds[BOARDMAP_KIND_COUNT] = {
    [BOARDMAP_FLASH] = {"app flash", "flash for installed apps, empty"},
    [BOARDMAP_UNMAPPED] = {"not mapped", "no board memory here"},
    [BOARDMAP_KERNEL] = {"kernel RAM", "reserved for the kernel"},
    [BOARDMAP_ALIGN] = {"skipped", "RAM skipped to align the next block"},
    [BOARDMAP_RAM_FREE] = {"free RAM", "RAM no process uses"},
    [BOARDMAP_STACK] = {"stack", "grows down; an overflow faults"},
    [BOARDMAP_PADDING] = {"padding", "forced by the MPU's rules"},
    [BOARDMAP_IMAGE] = {"image", "code and read-only data (text)"},
    [BOARDMAP_LINK_GAP] = {"link gap", "between code and data, as linked"},
    [BOARDMAP_DATA] = {"data+bss", "initialised and zeroed data"},
    [BOARDMAP_HEAP] = {"heap", "below the break (memop brk/sbrk)"},
    [BOARDMAP_UNUSED] = {"room", "the heap can grow into it"},
    [BOARDMAP_GRANT] = {"grant", "kernel-owned state per driver"},
};

const char *boardmap_kind_name(enum boardmap_kind kind)
{
    return kind < BOARDMAP_KIND_COUNT ? kinds[kind].name : "?";
}

const char *boardmap_kind_meaning(enum boardmap_kind kind)
{
    return kind < BOARDMAP_KIND_COUNT ? kinds[kind].meaning : "?";
}

const char *boardmap_size_text(uint64_t size, char *buf, size_t cap)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB"};
    unsigned u = 0;
    uint64_t whole = size;
    while (whole >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
        whole /= 1024;
        u++;
    }
    uint64_t unit = (uint64_t)1 << (10 * u);
    double exact = (double)size / (double)unit;
    if (size % unit == 0)
        snprintf(buf, cap, "%" PRIu64 " %s", whole, units[u]);
    else /* three significant digits: 8168 B is 7.98 KiB, not 8.0 */
        snprintf(buf, cap,
                 exact < 10    ? "%.2f %s"
                 : exact < 100 ? "%.1f %s"
                               : "%.0f %s",
                 exact, units[u]);
    return buf;
}

/* --- building ---------------------------------------------------------------- */

struct builder {
    struct boardmap *m;
    size_t cap;
    uintptr_t at; /* end of the last range added */
    int failed;
};

/* Appends [b->at, end) when it is not empty. */
static void add(struct builder *b, uintptr_t end, enum boardmap_kind kind, int proc)
{
    if (end <= b->at || b->failed)
        return;
    if (b->m->nsegs == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        struct boardmap_seg *grown = realloc(b->m->segs, cap * sizeof(*grown));
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->m->segs = grown;
        b->cap = cap;
    }
    b->m->segs[b->m->nsegs++] = (struct boardmap_seg){b->at, end, kind, proc};
    b->at = end;
}

static void add_block(struct builder *b, const struct hal_block *k, int proc)
{
    add(b, k->stack_start, BOARDMAP_PADDING, proc);
    add(b, k->stack_end, BOARDMAP_STACK, proc);
    add(b, k->image_start, BOARDMAP_PADDING, proc);
    add(b, k->image_end, BOARDMAP_IMAGE, proc);
    add(b, k->data_start, BOARDMAP_LINK_GAP, proc);
    add(b, k->data_end, BOARDMAP_DATA, proc);
    add(b, k->brk, BOARDMAP_HEAP, proc);
    add(b, k->grant_start, BOARDMAP_UNUSED, proc);
    add(b, k->end, BOARDMAP_GRANT, proc);
}

static int by_block_start(const void *a, const void *b)
{
    const struct boardmap_proc *x = a, *y = b;
    return (x->block.start > y->block.start) - (x->block.start < y->block.start);
}

/* The loaded processes, with the regions their MPU model gives them. */
static int collect_procs(struct boardmap *m, const struct kernel *k, struct hal_stub *hal)
{
    m->procs = calloc(k->nprocs ? k->nprocs : 1, sizeof(*m->procs));
    if (!m->procs)
        return -1;
    for (unsigned i = 0; i < k->nprocs; i++) {
        const struct proc *p = &k->procs[i];
        if (p->state == PROC_FREE)
            continue;
        struct boardmap_proc *bp = &m->procs[m->nprocs++];
        snprintf(bp->name, sizeof(bp->name), "%s", p->name);
        bp->id = p->id;
        bp->block = p->block;
        bp->nregions = hal_stub_mpu_regions(hal, &p->block, bp->regions, HAL_MPU_MAX_REGIONS);
    }
    /* Blocks in address order: the map is walked upward. */
    qsort(m->procs, m->nprocs, sizeof(*m->procs), by_block_start);
    return 0;
}

static void add_ram(struct builder *b, const struct board *board, const struct boardmap *m)
{
    add(b, (uintptr_t)(board->ram.base + board->ram.kernel_reserved), BOARDMAP_KERNEL, -1);
    for (size_t i = 0; i < m->nprocs; i++) {
        add(b, m->procs[i].block.start, BOARDMAP_ALIGN, -1);
        add_block(b, &m->procs[i].block, (int)i);
    }
    add(b, (uintptr_t)(board->ram.base + board->ram.size), BOARDMAP_RAM_FREE, -1);
}

int boardmap_build(struct boardmap *m, const struct board *board, const struct kernel *kernel,
                   struct hal_stub *hal)
{
    memset(m, 0, sizeof(*m));
    snprintf(m->board_name, sizeof(m->board_name), "%s", board->name);
    m->mpu_model = hal_stub_mpu_model(hal);
    if (collect_procs(m, kernel, hal) != 0)
        return -1;
    struct builder b = {.m = m};
    bool flash_first = board->flash.base < board->ram.base;
    b.at = (uintptr_t)(flash_first ? board->flash.base : board->ram.base);
    /* board_validate keeps flash and RAM apart; what lies between is unmapped. */
    if (flash_first) {
        add(&b, (uintptr_t)(board->flash.base + board->flash.size), BOARDMAP_FLASH, -1);
        add(&b, (uintptr_t)board->ram.base, BOARDMAP_UNMAPPED, -1);
        add_ram(&b, board, m);
    } else {
        add_ram(&b, board, m);
        add(&b, (uintptr_t)board->flash.base, BOARDMAP_UNMAPPED, -1);
        add(&b, (uintptr_t)(board->flash.base + board->flash.size), BOARDMAP_FLASH, -1);
    }
    if (b.failed) {
        boardmap_free(m);
        return -1;
    }
    return 0;
}

void boardmap_free(struct boardmap *m)
{
    free(m->segs);
    free(m->procs);
    m->segs = NULL;
    m->procs = NULL;
    m->nsegs = m->nprocs = 0;
}

/* --- text ---------------------------------------------------------------------- */

void boardmap_text(FILE *o, const struct boardmap *m)
{
    char size[32];
    fprintf(o, "board '%s', MPU model %s, %zu process%s (board addresses, highest first):\n",
            m->board_name, m->mpu_model, m->nprocs, m->nprocs == 1 ? "" : "es");
    for (size_t i = m->nsegs; i-- > 0;) {
        const struct boardmap_seg *s = &m->segs[i];
        fprintf(o, "  0x%08" PRIxPTR "-0x%08" PRIxPTR " %10s  %-16s %-11s %s\n", s->start, s->end,
                boardmap_size_text(s->end - s->start, size, sizeof(size)),
                s->proc >= 0 ? m->procs[s->proc].name : "-", boardmap_kind_name(s->kind),
                boardmap_kind_meaning(s->kind));
    }
    for (size_t i = 0; i < m->nprocs; i++) {
        const struct boardmap_proc *p = &m->procs[i];
        fprintf(o, "\nprocess %u '%s': block 0x%08" PRIxPTR "-0x%08" PRIxPTR " (%s)\n", p->id,
                p->name, p->block.start, p->block.end,
                boardmap_size_text(p->block.end - p->block.start, size, sizeof(size)));
        /* The process console's `memmap` and `mpu` pictures, unchanged. */
        memview_block(o, &p->block);
        memview_mpu_regions(o, m->mpu_model, p->regions, p->nregions);
    }
}
