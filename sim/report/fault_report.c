/*
 * The fault report, in board terms: who faulted and how, which region the
 * address lies in, the pc as an app symbol, the registers, the MPU regions
 * and a diagram of the process memory block.
 */
#include "report/fault_report.h"

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "hal_mpu_model.h"
#include "image/elf_symbols.h"
#include "report/memview.h"

static const char *kind_text(enum hal_fault_kind k)
{
    switch (k) {
    case HAL_FAULT_MEMORY:
        return "memory access violation";
    case HAL_FAULT_ILLEGAL:
        return "illegal instruction";
    case HAL_FAULT_ARITH:
        return "arithmetic fault (integer divide by zero or overflow)";
    case HAL_FAULT_TRAP:
        return "breakpoint trap";
    case HAL_FAULT_BAD_GATE:
        return "system call with its registers outside the process's RAM";
    case HAL_FAULT_SYSCALL:
        return "invalid system call";
    case HAL_FAULT_HOST_SYSCALL:
        return "host system call made directly, bypassing the gate";
    case HAL_FAULT_FORCED:
        return "fault forced from the process console";
    case HAL_FAULT_HOST_PROCESS:
        return "its host process ended without a system call, or broke the protocol";
    }
    return "fault";
}

static const char *access_text(unsigned access)
{
    return access == HAL_ACCESS_WRITE  ? "write"
           : access == HAL_ACCESS_EXEC ? "execute"
           : access == HAL_ACCESS_READ ? "read"
                                       : "access";
}

/* Which part of a block an address lies in, as seen by the block's own process. */
static const char *part_of(const struct hal_block *b, uintptr_t a)
{
    if (a >= b->stack_start && a < b->stack_end)
        return "stack";
    if (a >= b->image_start && a < b->image_end)
        return "image (code and read-only data)";
    if (a >= b->data_start && a < b->data_end)
        return "data/bss";
    if (a >= b->data_end && a < b->brk)
        return "heap";
    if (a >= b->brk && a < b->grant_start)
        return "RAM above the break (not allocated with brk/sbrk)";
    if (a >= b->grant_start && a < b->end)
        return "grant region (kernel only)";
    return "padding";
}

static void where(const struct kernel *k, const struct proc *p, uintptr_t a, char *out, size_t cap)
{
    if (a >= p->block.start && a < p->block.end) {
        snprintf(out, cap, "its own %s", part_of(&p->block, a));
        return;
    }
    for (unsigned i = 0; i < k->nprocs; i++) {
        const struct proc *q = &k->procs[i];
        if (q != p && q->state != PROC_FREE && a >= q->block.start && a < q->block.end) {
            snprintf(out, cap, "another process ('%s', id %" PRIu32 "): its %s", q->name, q->id,
                     part_of(&q->block, a));
            return;
        }
    }
    if (a >= k->ram.base && a < k->ram.base + k->cfg.kernel_reserved)
        snprintf(out, cap, "the kernel's RAM");
    else if (a >= k->ram.base && a < k->ram.base + k->ram.size)
        snprintf(out, cap, "RAM no process owns");
    else if (a >= k->flash.base && a < k->flash.base + k->flash.size)
        snprintf(out, cap, "flash");
    else if (a < 0x10000)
        snprintf(out, cap, "unmapped (a null pointer)");
    else
        snprintf(out, cap, "unmapped (no board memory there)");
}

static void print_pc(FILE *o, const struct proc *p, uintptr_t pc)
{
    char sym[96];
    uint64_t off;
    const struct hal_block *b = &p->block;
    fprintf(o, "  pc:         0x%08" PRIxPTR, pc);
    if (pc >= b->image_start && pc < b->image_end) {
        uint64_t vaddr = pc - b->image_start + p->image.base_vaddr;
        if (elf_symbolize(p->file, p->file_len, vaddr, sym, sizeof(sym), &off))
            fprintf(o, " %s+0x%" PRIx64, sym, off);
        fprintf(o, " (image +0x%" PRIxPTR ")\n", pc - b->image_start);
    } else {
        fprintf(o, " (not in the app's code)\n");
    }
}

static void print_registers(FILE *o, const struct hal_fault *f)
{
#if defined(__x86_64__)
    static const char *const names[16] = {"rax", "rbx", "rcx", "rdx",   "rsi", "rdi",
                                          "rbp", "r8",  "r9",  "r10",   "r11", "r12",
                                          "r13", "r14", "r15", "rflags"};
#else
    static const char *const names[16] = {"x0", "x1", "x2",  "x3",  "x4",  "x5",  "x6",  "x7",
                                          "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15"};
#endif
    if (f->kind == HAL_FAULT_SYSCALL || f->kind == HAL_FAULT_BAD_GATE) {
        fprintf(o,
                "  syscall:    class %" PRIu32 ", r0..r3 = 0x%" PRIxPTR " 0x%" PRIxPTR
                " 0x%" PRIxPTR " 0x%" PRIxPTR "\n",
                f->syscall_class, f->regs[0], f->regs[1], f->regs[2], f->regs[3]);
    }
    if (f->ngpr == 0)
        return;
    fprintf(o, "  registers:  sp=0x%" PRIxPTR, f->sp);
    for (unsigned i = 0; i < f->ngpr && i < 16; i++)
        fprintf(o, "%s%s=0x%" PRIxPTR, (i + 1) % 6 == 0 ? "\n              " : " ", names[i],
                f->gpr[i]);
    fprintf(o, "\n");
}

/* The host enforces whole pages; say so when the board's own MPU would have allowed this. */
static void note_finer_mpu(FILE *o, struct hal_stub *hal, const struct proc *p,
                           const struct hal_fault *f)
{
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    unsigned n = hal_stub_mpu_regions(hal, &p->block, r, HAL_MPU_MAX_REGIONS);
    if (f->access && hal_mpu_regions_allow(r, n, f->addr, 1, f->access))
        fprintf(o,
                "  note:       the board's %s MPU would allow this access; the host "
                "enforces whole pages\n",
                hal_stub_mpu_model(hal));
}

void fault_report_print(FILE *o, const struct kernel *k, struct hal_stub *hal, const struct proc *p)
{
    const struct hal_fault *f = &p->last_fault;
    char place[160];
    fprintf(o, "ksim: process '%s' (id %" PRIu32 ") faulted: %s\n", p->name, p->id,
            kind_text(f->kind));
    if (f->kind == HAL_FAULT_MEMORY && f->addr < p->block.stack_start &&
        f->sp < p->block.stack_start + 1024 && p->block.stack_start - f->addr <= 65536)
        fprintf(o,
                "  cause:      stack overflow: the stack pointer ran below the stack "
                "(0x%08" PRIxPTR ")\n",
                p->block.stack_start);
    if (f->kind == HAL_FAULT_MEMORY) {
        where(k, p, f->addr, place, sizeof(place));
        fprintf(o, "  access:     %s at 0x%08" PRIxPTR ", in %s\n", access_text(f->access), f->addr,
                place);
        note_finer_mpu(o, hal, p, f);
    }
    if (f->pc)
        print_pc(o, p, f->pc);
    print_registers(o, f);
    memview_mpu(o, hal, &p->block);
    memview_block(o, &p->block);
    fprintf(
        o, "  history:    %" PRIu32 " fault(s), %" PRIu32 " restart(s), %" PRIu64 " system calls\n",
        p->faults, p->restarts, p->syscalls);
}
