/*
 * Apps in the debugger. Per process slot: the rebased copy of the app's ELF
 * (built once per load, kept across restarts: the image goes back to the
 * same address) and its JIT list entry. An app whose file cannot be
 * rebased still runs; ksim says once why the debugger will not see it.
 */
#define _GNU_SOURCE
#include "debug/app_debug.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/elf_rebase.h"
#include "debug/gdb_jit.h"

struct app_debug_slot {
    struct gdb_jit_entry jit;
    const uint8_t *file;   /* the app file the copy was made from */
    uintptr_t image_start; /* and where it was loaded */
    uint8_t *copy;         /* rebased copy, NULL until a debugger wanted one */
    size_t copy_len;
    uintptr_t private_start, private_len; /* code pages made private, or len 0 */
    bool refused;                         /* could not be rebased: said so, not tried again */
};

struct app_debug {
    struct sim_memmap *mem;
    struct hal_stub *hal;
    unsigned nslots;
    struct app_debug_slot slots[];
};

struct app_debug *app_debug_create(struct sim_memmap *mem, struct hal_stub *hal, unsigned nslots)
{
    struct app_debug *d = calloc(1, sizeof(*d) + nslots * sizeof(d->slots[0]));
    if (!d)
        return NULL;
    d->mem = mem;
    d->hal = hal;
    d->nslots = nslots;
    return d;
}

/*
 * Drops a load: its JIT entry, its copy, and its private code pages, which
 * show the memory file again (whatever is loaded there next must be seen).
 */
static void forget(struct app_debug *d, struct app_debug_slot *s)
{
    unsigned slot = (unsigned)(s - d->slots);
    gdb_jit_unregister(&s->jit);
    if (s->private_len && sim_memmap_shared_pages(d->mem, s->private_start, s->private_len,
                                                  hal_stub_image_prot(d->hal, slot)) != 0)
        fprintf(stderr, "ksim: gdb: cannot map the memory at 0x%lx back\n",
                (unsigned long)s->private_start);
    free(s->copy);
    memset(s, 0, sizeof(*s));
}

void app_debug_destroy(struct app_debug *d)
{
    if (!d)
        return;
    for (unsigned i = 0; i < d->nslots; i++)
        forget(d, &d->slots[i]);
    free(d);
}

/* Builds the rebased copy; false (said once on stderr) when the file cannot be rebased. */
static bool make_copy(struct app_debug_slot *s, const struct proc *p)
{
    char why[256];
    uint64_t delta = (uint64_t)p->block.image_start - p->image.base_vaddr;
    enum elf_rebase_err err = elf_rebase(p->file, p->file_len, delta, &s->copy, why, sizeof(why));
    if (err == ELF_REBASE_OK) {
        s->copy_len = p->file_len;
        return true;
    }
    fprintf(stderr, "ksim: gdb: app '%s' runs without debug information in gdb: %s: %s\n", p->name,
            elf_rebase_err_text(err), why);
    s->refused = true;
    return false;
}

/*
 * Remaps the image's pages private so the debugger can write breakpoints
 * (sim_memmap_private_pages). Only once per load: a restart places the
 * same bytes at the same address, and gdb keeps its breakpoints inserted
 * across the restart's unregister and register (it thinks of them as
 * already in memory), so they must stay where they are.
 */
static void make_code_writable(struct app_debug *d, struct app_debug_slot *s, const struct proc *p)
{
    size_t len = p->block.image_end - p->block.image_start;
    if (sim_memmap_private_pages(d->mem, p->block.image_start, len,
                                 hal_stub_image_prot(d->hal, p->slot)) != 0) {
        fprintf(stderr, "ksim: gdb: app '%s': cannot make its code writable for breakpoints\n",
                p->name);
        return;
    }
    s->private_start = p->block.image_start;
    s->private_len = len;
}

/*
 * p starts in RAM that an earlier load's private code pages may cover (it
 * exited, was unloaded or evicted, and the RAM was given to p): show the
 * memory file there again, or p would run the old app's code. Those
 * earlier loads are forgotten.
 */
static void reclaim_private_pages(struct app_debug *d, const struct proc *p)
{
    for (unsigned i = 0; i < d->nslots; i++) {
        struct app_debug_slot *s = &d->slots[i];
        uintptr_t lo = s->private_start, hi = lo + s->private_len;
        if (s->private_len == 0 || hi <= p->block.start || lo >= p->block.end)
            continue;
        if (i == p->slot && s->file == p->file && s->image_start == p->block.image_start)
            continue; /* a restart in place: the same bytes, breakpoints kept */
        forget(d, s);
    }
}

static void on_start(struct app_debug *d, const struct proc *p)
{
    struct app_debug_slot *s = &d->slots[p->slot];
    reclaim_private_pages(d, p);
    if (s->file != p->file || s->image_start != p->block.image_start) {
        forget(d, s); /* another app, or the same one elsewhere */
        s->file = p->file;
        s->image_start = p->block.image_start;
    }
    if (s->refused)
        return;
    if (!s->copy) {
        if (!gdb_jit_debugger_attached() || !make_copy(s, p))
            return;
        make_code_writable(d, s, p);
    }
    gdb_jit_register(&s->jit, s->copy, s->copy_len);
}

void app_debug_on_event(struct app_debug *d, const struct kernel_event *ev)
{
    if (!d || ev->p->slot >= d->nslots)
        return;
    switch (ev->kind) {
    case KEV_START:
        on_start(d, ev->p);
        break;
    case KEV_RESTART:
    case KEV_EVICT: /* back later, maybe elsewhere: on_start sees which */
        gdb_jit_unregister(&d->slots[ev->p->slot].jit);
        break;
    case KEV_UNLOAD:
        forget(d, &d->slots[ev->p->slot]);
        break;
    default:
        break;
    }
}
