/*
 * fuzz_loader: bytes into the ELF loader (kernel/loader.c), then, when it
 * accepts them, into a process block through kernel_load.
 *
 * The kernel runs over fake RAM: a malloc'd buffer is the kernel view of
 * board RAM (the kernel touches process memory only through it), so ASan
 * sees any access past RAM, and the host HAL plans the block with its real
 * page MPU model (isolation off: there is no app view to protect). The
 * board is the default one. Checked on every input:
 *
 * - a refusal is -KS_EINVAL with a reason;
 * - what loader_parse accepts is self-consistent (segments inside the file,
 *   in order, code before data, the entry in code, tables inside the file,
 *   the span at most LOADER_MAX_SPAN);
 * - kernel_load places an accepted file, or refuses it for room only;
 * - the placed image is exactly the segments, zeroed bss and applied
 *   R_*_RELATIVE relocations (computed here independently), and not one byte
 *   of RAM outside [image, image + span) and the zeroed stack changed.
 *
 * The ELF machine is the file's own when it is one ksim knows (x86-64,
 * AArch64, RISC-V), so every relocation flavour is reachable; else the host's.
 * TBF containers come with a later issue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/board.h"
#include "board/board_config.h"
#include "err.h"
#include "fuzz_common.h"
#include "kernel.h"

#define FILL  0xa5u   /* what free RAM holds, so any stray write shows */
#define GUARD 0x4000u /* bytes checked on each side of the block */
#define RELA  24u

static struct {
    bool ready;
    struct board board;
    struct hal_stub *hs;
    struct kernel k;
    struct proc procs[1];
    uint8_t *ram;    /* kernel view of board RAM */
    uint8_t *expect; /* the image as it must be placed */
} fz;

static void setup(void)
{
    board_default(&fz.board);
    const struct board *b = &fz.board;
    const struct hal_stub_config hc = {
        .ram_base = (uintptr_t)b->ram.base,
        .ram_size = (size_t)b->ram.size,
        .page_size = (size_t)sysconf(_SC_PAGESIZE),
        .mpu_model = b->mpu_model,
        .isolation = false,
        .frequency_hz = b->clock.frequency_hz,
        .width_bits = b->clock.width_bits,
        .max_procs = 1,
        .out_fd = fz_devnull(),
    };
    fz.hs = fz_hal_stub_create(&hc);
    const struct kernel_config kc = {
        .stack_size = b->process.stack_size,
        .heap_size = b->process.heap_size,
        .grant_size = b->process.grant_size,
        .upcall_queue_len = b->process.upcall_queue_len,
        .fault_policy = KERNEL_FAULT_STOP,
        .elf_machine = sim_host_machine(),
        .kernel_reserved = (size_t)b->ram.kernel_reserved,
        .drv_alarm = true,
        .drv_console = true,
        .drv_low_level_debug = true,
    };
    fz.ram = malloc((size_t)b->ram.size);
    fz.expect = malloc(LOADER_MAX_SPAN);
    if (!fz.ram || !fz.expect)
        abort();
    memset(fz.ram, FILL, (size_t)b->ram.size);
    const struct ks_region ram = {(uintptr_t)b->ram.base, (size_t)b->ram.size, fz.ram};
    const struct ks_region flash = {(uintptr_t)b->flash.base, (size_t)b->flash.size, NULL};
    if (kernel_init(&fz.k, hal_stub_hal(fz.hs), &kc, ram, flash, fz.procs, 1) != 0)
        abort();
    fz.ready = true;
}

static uint64_t rd(const uint8_t *f, uint64_t off, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++)
        v |= (uint64_t)f[off + i] << (8 * i);
    return v;
}

static bool in_file(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

static bool table_in_file(uint64_t off, uint64_t count, size_t size)
{
    return count == 0 || (count <= size / RELA && in_file(off, count * RELA, size));
}

/* What loader_parse promises about an image it accepts. */
static void check_image(const struct loader_image *img, size_t size)
{
    FZ_CHECK(img->nsegments >= 1 && img->nsegments <= LOADER_MAX_SEGMENTS, "%u segments",
             img->nsegments);
    FZ_CHECK(img->align >= 0x1000 && img->align <= 0x10000 && (img->align & (img->align - 1)) == 0,
             "alignment 0x%llx", (unsigned long long)img->align);
    FZ_CHECK(img->image_size <= img->data_offset, "image 0x%llx overlaps data at 0x%llx",
             (unsigned long long)img->image_size, (unsigned long long)img->data_offset);
    FZ_CHECK(img->data_offset <= LOADER_MAX_SPAN &&
                 img->data_size <= LOADER_MAX_SPAN - img->data_offset,
             "span 0x%llx + 0x%llx is over the limit", (unsigned long long)img->data_offset,
             (unsigned long long)img->data_size);
    if (img->data_size > 0)
        FZ_CHECK((img->data_offset & ~0xfffull) >= ((img->image_size + 0xfff) & ~0xfffull),
                 "data at 0x%llx shares a page with code ending at 0x%llx",
                 (unsigned long long)img->data_offset, (unsigned long long)img->image_size);
    bool entry_ok = false, seen_data = false;
    uint64_t prev_end = 0;
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct loader_segment *s = &img->seg[i];
        bool w = (s->flags & 2) != 0, x = (s->flags & 1) != 0;
        FZ_CHECK(in_file(s->file_offset, s->filesz, size), "segment %u outside the file", i);
        FZ_CHECK(s->filesz <= s->memsz, "segment %u: filesz > memsz", i);
        FZ_CHECK(!(w && x), "segment %u is writable and executable", i);
        FZ_CHECK(i == 0 || s->vaddr_off >= prev_end, "segment %u overlaps the one before", i);
        FZ_CHECK(!(seen_data && !w), "code segment %u after data", i);
        FZ_CHECK(i > 0 || !w, "first segment is writable");
        seen_data |= w;
        prev_end = s->vaddr_off + s->memsz;
        if (w)
            FZ_CHECK(s->vaddr_off >= img->data_offset &&
                         prev_end <= img->data_offset + img->data_size,
                     "data segment %u outside the data span", i);
        else
            FZ_CHECK(prev_end <= img->image_size, "code segment %u outside the image", i);
        if (x && img->entry_off >= s->vaddr_off && img->entry_off < prev_end)
            entry_ok = true;
    }
    FZ_CHECK(entry_ok, "entry 0x%llx is not in an executable segment",
             (unsigned long long)img->entry_off);
    FZ_CHECK(table_in_file(img->rela_file_offset, img->rela_count, size),
             "RELA table outside the file");
    FZ_CHECK(table_in_file(img->jmprel_file_offset, img->jmprel_count, size),
             "JMPREL table outside the file");
}

/* R_*_RELATIVE, applied as ABI.md says: image base + addend at image base + offset. */
static void expect_relocs(const uint8_t *f, const struct loader_image *img, uint64_t at,
                          uint64_t count, uintptr_t base, uint64_t span)
{
    for (uint64_t i = 0; i < count; i++, at += RELA) {
        if ((uint32_t)rd(f, at + 8, 4) == 0)
            continue; /* R_NONE */
        uint64_t target = rd(f, at, 8) - img->base_vaddr;
        uint64_t value = (uint64_t)base - img->base_vaddr + rd(f, at + 16, 8);
        FZ_CHECK(target <= span && span - target >= 8, "relocation %llu targets 0x%llx",
                 (unsigned long long)i, (unsigned long long)target);
        for (unsigned b = 0; b < 8; b++)
            fz.expect[target + b] = (uint8_t)(value >> (8 * b));
    }
}

static uint8_t *view(uintptr_t addr)
{
    return fz.ram + (addr - fz.k.ram.base);
}

/* [lo, hi) of board RAM (clipped to it) still holds byte; memcmp first, it is fast. */
static void check_fill(uintptr_t lo, uintptr_t hi, uint8_t byte, const char *what)
{
    static uint8_t ref[4096];
    uintptr_t rlo = fz.k.ram.base, rhi = rlo + fz.k.ram.size;
    lo = lo < rlo ? rlo : lo;
    hi = hi > rhi ? rhi : hi;
    memset(ref, byte, sizeof(ref));
    for (uintptr_t a = lo; a < hi; a += sizeof(ref)) {
        size_t n = hi - a < sizeof(ref) ? hi - a : sizeof(ref);
        if (memcmp(view(a), ref, n) == 0)
            continue;
        for (size_t i = 0; i < n; i++)
            FZ_CHECK(view(a)[i] == byte, "%s: byte at 0x%lx is 0x%02x, not 0x%02x", what,
                     (unsigned long)(a + i), view(a)[i], byte);
    }
}

static void check_placement(const uint8_t *f, size_t size, const struct loader_image *img,
                            const struct proc *p)
{
    const struct hal_block *b = &p->block;
    uintptr_t ram_end = fz.k.ram.base + fz.k.ram.size;
    FZ_CHECK(fz.k.ram.base + fz.k.cfg.kernel_reserved <= b->start && b->start <= b->stack_start &&
                 b->stack_start <= b->stack_end && b->stack_end <= b->image_start &&
                 b->image_start <= b->image_end && b->image_end <= b->data_start &&
                 b->data_start <= b->data_end && b->data_end == b->brk && b->brk < b->grant_start &&
                 b->grant_start <= b->end && b->end <= ram_end,
             "block layout out of order");
    FZ_CHECK(b->image_start % img->align == 0, "image at 0x%lx is not aligned to 0x%llx",
             (unsigned long)b->image_start, (unsigned long long)img->align);
    FZ_CHECK(b->image_end - b->image_start == img->image_size &&
                 b->data_start - b->image_start == img->data_offset &&
                 b->data_end - b->data_start == img->data_size,
             "block does not match the image");
    uint64_t span = img->data_offset + img->data_size;

    /* The image, built here from the file alone. */
    memset(fz.expect, 0, (size_t)span);
    for (unsigned i = 0; i < img->nsegments; i++)
        memcpy(fz.expect + img->seg[i].vaddr_off, f + img->seg[i].file_offset,
               (size_t)img->seg[i].filesz);
    expect_relocs(f, img, img->rela_file_offset, img->rela_count, b->image_start, span);
    expect_relocs(f, img, img->jmprel_file_offset, img->jmprel_count, b->image_start, span);
    if (memcmp(view(b->image_start), fz.expect, (size_t)span) != 0) {
        for (uint64_t i = 0; i < span; i++)
            FZ_CHECK(view(b->image_start)[i] == fz.expect[i],
                     "placed image differs at +0x%llx: 0x%02x, expected 0x%02x",
                     (unsigned long long)i, view(b->image_start)[i], fz.expect[i]);
    }
    (void)size;
    /* Nothing else moved: the stack is zeroed, the rest is as it was. */
    check_fill(b->start - GUARD, b->stack_start, FILL, "below the stack");
    check_fill(b->stack_start, b->stack_end, 0, "stack");
    check_fill(b->stack_end, b->image_start, FILL, "between stack and image");
    check_fill(b->image_start + (uintptr_t)span, b->end + GUARD, FILL, "after the image");
}

/* Frees the slot for the next input: the kernel has no unload yet (local helper). */
static void unload(struct proc *p)
{
    unsigned slot;
    if (proc_is_alive(p))
        proc_terminate(&fz.k, p, 0);
    uintptr_t lo = p->block.start - GUARD, hi = p->block.end + GUARD;
    uintptr_t rlo = fz.k.ram.base, rhi = rlo + fz.k.ram.size;
    lo = lo < rlo ? rlo : lo;
    hi = hi > rhi ? rhi : hi;
    memset(view(lo), FILL, hi - lo);
    p->state = PROC_FREE;
    p->ready_queued = false;
    while (sched_pop(&fz.k.sched, &slot))
        ;
    fz.k.ram_next = fz.k.ram.base + fz.k.cfg.kernel_reserved;
}

static uint16_t machine_of(const uint8_t *f, size_t size)
{
    if (size >= 20) {
        uint16_t m = (uint16_t)rd(f, 18, 2);
        if (m == LOADER_EM_X86_64 || m == LOADER_EM_AARCH64 || m == LOADER_EM_RISCV)
            return m;
    }
    return sim_host_machine();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct loader_image img;
    struct loader_error err;

    if (!fz.ready)
        setup();
    uint16_t machine = machine_of(data, size);
    int rc = loader_parse(data, size, machine, &img, &err);
    if (getenv("KSIM_FUZZ_TRACE")) /* what became of the input, to read a reproducer */
        fprintf(stderr, "loader: machine %u: %s, offset 0x%llx, value 0x%llx\n", machine,
                rc ? loader_why_text(err.why) : "accepted", rc ? (unsigned long long)err.offset : 0,
                rc ? (unsigned long long)err.value : 0);
    if (rc != 0) {
        FZ_CHECK(rc == -KS_EINVAL && err.why != LOADER_NONE && loader_why_text(err.why) != NULL,
                 "refusal %d with reason %d", rc, (int)err.why);
        return 0;
    }
    FZ_CHECK(err.why == LOADER_NONE, "accepted with reason %d", (int)err.why);
    check_image(&img, size);

    fz.k.cfg.elf_machine = machine;
    uintptr_t next = fz.k.ram_next;
    rc = kernel_load(&fz.k, "fuzz", data, size, &err);
    if (rc < 0) {
        /* Only room may refuse what the parser accepted; nothing was written. */
        FZ_CHECK(rc == -KS_ENOMEM && err.why == LOADER_NO_ROOM,
                 "kernel_load refused a parsed file: %d, %s", rc, loader_why_text(err.why));
        check_fill(next - GUARD, next + GUARD, FILL, "around a refused block");
        FZ_CHECK(fz.procs[0].state == PROC_FREE, "refused load left the slot in use");
        return 0;
    }
    struct proc *p = &fz.procs[rc];
    FZ_CHECK(p->state == PROC_RUNNING, "loaded process is in state %d", (int)p->state);
    check_placement(data, size, &img, p);
    unload(p);
    return 0;
}
