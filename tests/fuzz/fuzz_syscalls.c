/*
 * fuzz_syscalls: two real loaded processes (apps/hello, embedded in this
 * binary, loaded as "fuzz" and "peer" so that IPC has someone to talk to)
 * make a fuzzer-chosen sequence of system calls against the real kernel
 * (syscall_handle), with the real drivers of the default board, the host
 * HAL's virtual clock and console, and its page MPU model over the real
 * board memory map. The events the calls cause (console completions, the
 * alarm) are serviced by kernel_step, as the run loop does, and the upcalls
 * are delivered: handed to the HAL with their function and arguments.
 *
 * No app code runs: the harness is the process. The HAL's process side is
 * replaced (proc->run preempts at once, set_return and push_upcall are
 * recorded, then passed on), and low-level debug output is dropped.
 *
 * After every call, abort when an invariant breaks:
 * - the syscall_next and the return variant are ones the class may give,
 *   registers the variant does not name are 0, and the values follow
 *   ABI.md (errors in Tock's order, previous upcall/buffer handed back,
 *   brk/sbrk limits, memop bounds, the yield no-wait flag, the upcall
 *   delivered is the subscribed one with its userdata);
 * - memory outside the process's accessible regions is unchanged: the
 *   kernel view of RAM (an mmap of its own, not the board's) carries the
 *   process's protections, mirrored from the MPU model on every brk, so a
 *   kernel read or write of any other byte of RAM (other blocks, the
 *   kernel's part, the free heap, padding, the image: read-only) faults at
 *   once under the sanitizer; the parts of pages that cannot be protected
 *   (the grant region outside the kernel's allocations, the page ends
 *   around data and the break) hold guard patterns checked here;
 * - kernel structures are consistent (upcall queue within its cap, break
 *   within [data_end, grant_start), grants within [grant_top, end), the
 *   block as loaded, the MPU model's break equal to the kernel's).
 *
 * Input format (consumed from the front; a short input reads as zeros):
 *   op < 0xe0      system call, then four register selectors; the class by
 *                  op & 31 from a weighted table (op & 7 is the class for
 *                  op & 31 < 8; Exit only there)
 *   0xe0..0xe7     system call of an unknown class (8, 9, 15, ...), four selectors
 *   0xe8..0xef     advance the virtual clock (one time selector), service events
 *   0xf0..0xf3     console input: n = (next & 0x3f) + 1 bytes follow
 *   0xf4..0xf5     the other process runs now (there are two: "fuzz" and "peer")
 *   0xf6..0xf7     the process stores bytes in its own memory: an address
 *                  selector, then n = (next & 0x3f) + 1 bytes
 *   0xf8..0xfb     service pending events (kernel_step)
 *   0xfc..0xff     an input, then service: next byte bit 7 pin (else button),
 *                  bit 6 level (pressed / high), bits 0-5 the index
 * A register selector s picks:
 *   0x00..0x7f     an interesting value for that register (driver numbers,
 *                  subscribe numbers, upcall pointers in and around the image,
 *                  buffer addresses at region boundaries, lengths reaching
 *                  them, memop operations...), table entry s & 15, then by
 *                  (s >> 4) & 7: as is (0-3), +1 (4), -1 (5), + a signed
 *                  byte (6), the next page (7)
 *   0x80..0xbf     a boundary of the process block (s & 15): as is, +1, -1,
 *                  + a signed byte, by (s >> 4) & 3
 *   0xc0..0xdf     a generic constant (0, UINT32_MAX, UINTPTR_MAX...)
 *   0xe0..0xe3     raw 1, 2, 4, 8 bytes, little-endian
 *   0xe4           boundary (next byte & 15) + a signed 16-bit offset
 *   0xe5, 0xe6     r1, r2 of the last return
 *   0xe7..0xff     the small number s - 0xe7
 * A process that exits or faults is started afresh and the sequence goes on;
 * a call made while the process waits first lets virtual time pass to the
 * next alarm; if it can never wake, the other process makes the call if it
 * can, else the waiting one is started afresh.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "board/board.h"
#include "board/board_config.h"
#include "err.h"
#include "fuzz_common.h"
#include "grant.h"
/* hal__clock_init and hal__rng_init (a fresh clock and random source per input) and
 * the MPU model's own state: no public API for them yet. */
#include "hal_internal.h"
#include "kernel.h"
#include "run/memmap.h"
#include "syscall.h"

/* The app, embedded at build time (fuzz_app.c, generated from hello.elf). */
extern const unsigned char fz_app_elf[];
extern const size_t fz_app_elf_len;

#define FILL       0xa5u /* free memory next to the data and the break */
#define GRANT_FILL 0x5au /* the grant region outside the kernel's allocations */
#define MAX_NUM    64    /* subscribe and allow numbers the model tracks per driver (IPC: 64) */
#define MAX_WAKE   64    /* clock jumps tried to wake a waiting process */

enum { ALLOW_RO, ALLOW_RW, ALLOW_UR, ALLOW_KINDS };

/* Model entries carry the generation they were set in: a reset is one increment, not a
 * memset of the whole model at every (re)start. */
struct sub {
    uintptr_t fn, ud;
    uint32_t gen;
};
struct buf {
    uintptr_t addr, len;
    uint32_t gen;
};

/* One of the processes the harness plays, and what it knows about it. */
struct fzp {
    struct proc *p;
    struct hal_block b0; /* the block as loaded: it never moves */
    uint8_t *shadow;     /* expected bytes of the block, indexed from its start */
    uint8_t *image0;     /* [image_start, data_start) as first placed */
    bool loading;        /* between KEV_RESTART (or a reset) and KEV_START */
    bool touched;        /* it ran during this input: the next one restarts it */
    /* The model: what the process has subscribed and allowed since it started. */
    uint32_t model_id, gen;
    struct sub sub[KS_MAX_DRIVERS][MAX_NUM];
    struct buf allow[ALLOW_KINDS][KS_MAX_DRIVERS][MAX_NUM];
    uintptr_t hwm;
};

static struct {
    bool ready;
    struct board board;
    struct sim_memmap mem; /* the app view: what the MPU model mprotects */
    struct hal_stub *hs;
    const struct hal *real; /* hal-stub's own ops */
    struct hal hal;         /* what the kernel sees */
    struct kernel k;
    struct proc *procs;
    struct fzp *cur; /* the process making calls now */
    bool tracking;   /* both loaded: events and brk moves are followed */
    uintptr_t page;
    uint8_t *kv; /* kernel view of RAM, guard page on each side */

    /* What the HAL was asked to do during the last call or kernel_step. */
    unsigned set_returns, push_upcalls, runs;
    uintptr_t ret[4], up_fn, up_args[4];
    uintptr_t last[4]; /* the last return, for selectors 0xe5/0xe6 */

    unsigned long calls;
    bool trace; /* KSIM_FUZZ_TRACE=1: print every call, to read a reproducer */
    unsigned long long total_calls, total_inputs;
    double started_at, started_cpu;
} fz;

/* Two processes, "fuzz" and "peer", so that IPC has someone to talk to. */
#define NPROC 2
static struct fzp fzp[NPROC];

static struct fzp *fzp_of(const struct proc *p)
{
    for (int i = 0; i < NPROC; i++)
        if (fzp[i].p == p)
            return &fzp[i];
    return NULL;
}

static struct fzp *other(const struct fzp *f)
{
    return f == &fzp[0] ? &fzp[1] : &fzp[0];
}

/*
 * KSIM_FUZZ_STATS: how many calls this process made, and how fast (the aim:
 * 50,000 a second on one core). "1" prints to stderr; a path appends there,
 * one line per process, which is how campaign.sh adds up its fork-mode jobs.
 */
static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void print_stats(void)
{
    double wall = seconds(CLOCK_MONOTONIC) - fz.started_at;
    double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - fz.started_cpu;
    const char *to = getenv("KSIM_FUZZ_STATS");
    FILE *f = to && strcmp(to, "1") != 0 ? fopen(to, "a") : NULL;
    /* Per CPU second too: on a busy machine the wall clock counts other programs' time. */
    fprintf(f ? f : stderr,
            "fuzz_syscalls: %llu inputs, %llu system calls in %.2f s: %.0f calls/s "
            "(%.2f s of CPU: %.0f calls per CPU second)\n",
            fz.total_inputs, fz.total_calls, wall, wall > 0 ? (double)fz.total_calls / wall : 0.0,
            cpu, cpu > 0 ? (double)fz.total_calls / cpu : 0.0);
    if (f)
        fclose(f);
}

/* ---- small helpers ---------------------------------------------------------- */

static uintptr_t up(uintptr_t v)
{
    return (v + fz.page - 1) & ~(fz.page - 1);
}

static uintptr_t min_u(uintptr_t a, uintptr_t b)
{
    return a < b ? a : b;
}

static uint8_t *kview(uintptr_t addr)
{
    return fz.kv + (addr - fz.k.ram.base);
}

static uint8_t *shadow(const struct fzp *f, uintptr_t addr)
{
    return f->shadow + (addr - f->b0.start);
}

/* Page protection of the kernel view of [lo, hi) (page-aligned board addresses). */
static void protect(uintptr_t lo, uintptr_t hi, int prot)
{
    if (hi > lo && mprotect(kview(lo), hi - lo, prot) != 0) {
        perror("ksim fuzz: mprotect of the kernel view");
        abort();
    }
}

static bool within(uintptr_t addr, uintptr_t len, uintptr_t lo, uintptr_t hi)
{
    return addr >= lo && addr <= hi && len <= hi - addr;
}

/* ABI.md's rules for a buffer, written here independently of kernel/umem.c. */
static bool buffer_ok(uintptr_t addr, uintptr_t len, bool ro)
{
    const struct hal_block *b = &fz.cur->p->block;
    return len == 0 || within(addr, len, b->stack_start, b->stack_end) ||
           within(addr, len, b->data_start, b->brk) ||
           (ro && within(addr, len, b->image_start, b->image_end));
}

static int driver_index(uintptr_t num)
{
    if (num > UINT32_MAX)
        return -1;
    for (unsigned i = 0; i < fz.k.ndrivers; i++)
        if (fz.k.drivers[i]->num == num)
            return (int)i;
    return -1;
}

/* How many of r1..r3 a variant names; -1 for a value that is no variant. */
static int named(uintptr_t variant)
{
    switch (variant) {
    case KSIM_SUCCESS:
        return 0;
    case KSIM_FAILURE:
    case KSIM_SUCCESS_U32:
        return 1;
    case KSIM_FAILURE_U32:
    case KSIM_SUCCESS_2_U32:
    case KSIM_SUCCESS_U64:
        return 2;
    case KSIM_FAILURE_2_U32:
    case KSIM_FAILURE_U64:
    case KSIM_SUCCESS_3_U32:
    case KSIM_SUCCESS_U32_U64:
        return 3;
    default:
        return -1;
    }
}

/* ---- guard patterns and the mirrored protections ------------------------------ */

/* [lo, hi) still holds what the shadow says. */
static void check_shadow(const struct fzp *f, uintptr_t lo, uintptr_t hi, const char *what)
{
    if (hi <= lo || memcmp(kview(lo), shadow(f, lo), hi - lo) == 0)
        return;
    for (uintptr_t a = lo; a < hi; a++)
        FZ_CHECK(*kview(a) == *shadow(f, a),
                 "call %lu: %s of slot %u: byte at 0x%lx changed from 0x%02x to 0x%02x (not the "
                 "process's)",
                 fz.calls, what, f->p->slot, (unsigned long)a, *shadow(f, a), *kview(a));
}

static void snapshot(const struct fzp *f, uintptr_t lo, uintptr_t hi)
{
    if (hi > lo)
        memcpy(shadow(f, lo), kview(lo), hi - lo);
}

/* Free memory gets a pattern so a stray write shows, then becomes expected. */
static void fill(const struct fzp *f, uintptr_t lo, uintptr_t hi, uint8_t byte)
{
    if (hi > lo) {
        memset(kview(lo), byte, hi - lo);
        snapshot(f, lo, hi);
    }
}

/*
 * The kernel view of the block as the process's regions are: everything else
 * faults. Host mprotect is slow (a TLB flush, dearer still in a VM), so only
 * the break moves protections (fz_set_brk), as it does on the app view; the
 * image, which the loader writes on every (re)start, stays writable and is
 * compared with its shadow instead, as the grant region and page ends are.
 */
static void protect_block(const struct hal_block *b)
{
    protect(b->start, b->stack_end, PROT_READ | PROT_WRITE);
    protect(b->stack_end, b->image_start, PROT_NONE);
    protect(b->image_start, up(b->brk), PROT_READ | PROT_WRITE);
    protect(up(b->brk), b->grant_start, PROT_NONE);
    protect(b->grant_start, b->end, PROT_READ | PROT_WRITE);
}

static void reset_model(struct fzp *f)
{
    f->model_id = f->p->id;
    f->gen++;
    f->hwm = 0;
}

/* The model's subscription and buffer for (driver index, number), current generation. */
static struct sub *sub_at(struct fzp *f, int idx, uintptr_t num)
{
    struct sub *s = &f->sub[idx][num];
    if (s->gen != f->gen)
        *s = (struct sub){0, 0, f->gen};
    return s;
}

static struct buf *allow_at(struct fzp *f, int kind, int idx, uintptr_t num)
{
    struct buf *b = &f->allow[kind][idx][num];
    if (b->gen != f->gen)
        *b = (struct buf){0, 0, f->gen};
    return b;
}

/* KEV_START: the process runs from its entry again, in the same block, the same image. */
static void started(struct fzp *f)
{
    const struct hal_block *b = &f->p->block;
    size_t image_len = b->data_start - b->image_start;
    f->loading = false;
    if (!f->image0) {
        f->image0 = malloc(image_len);
        if (!f->image0)
            abort();
        memcpy(f->image0, kview(b->image_start), image_len);
    }
    FZ_CHECK(memcmp(kview(b->image_start), f->image0, image_len) == 0,
             "call %lu: a restart placed another image", fz.calls);
    snapshot(f, b->image_start, b->data_start);
    fill(f, b->data_end, up(b->data_end), FILL);
    fill(f, b->grant_start, b->end, GRANT_FILL);
    reset_model(f);
}

static void on_event(void *ctx, const struct kernel_event *ev)
{
    (void)ctx;
    struct fzp *f = fz.tracking ? fzp_of(ev->p) : NULL;
    if (!f)
        return; /* the first loads: setup() takes over once the shadows exist */
    if (ev->kind == KEV_RESTART)
        f->loading = true;
    else if (ev->kind == KEV_START)
        started(f);
}

/* Memory next to the accessible regions that page protection cannot cover. */
static void check_memory(const struct fzp *f)
{
    const struct proc *p = f->p;
    const struct hal_block *b = &p->block;
    if (f->loading || !proc_is_alive(p))
        return;
    check_shadow(f, b->image_start, b->data_start, "image and padding (not writable)");
    check_shadow(f, b->brk, up(b->brk), "page after the break");
    static uint8_t ref[1 << 16];
    if (ref[0] != GRANT_FILL)
        memset(ref, GRANT_FILL, sizeof(ref));
    uintptr_t n = p->grant_top - b->grant_start;
    if (n <= sizeof(ref) && memcmp(kview(b->grant_start), ref, n) == 0)
        return;
    for (uintptr_t a = b->grant_start; a < p->grant_top; a++)
        FZ_CHECK(*kview(a) == GRANT_FILL,
                 "call %lu: grant region of slot %u outside allocations: byte at 0x%lx is 0x%02x",
                 fz.calls, p->slot, (unsigned long)a, *kview(a));
}

/* ---- the HAL the kernel gets ------------------------------------------------- */

static int fz_plan_block(void *hal, uintptr_t lo, uintptr_t hi, const struct hal_block_req *req,
                         struct hal_block *b)
{
    return fz.real->mpu->plan_block(hal, lo, hi, req, b);
}

/* The real model moves the break; the kernel view follows it (brk is the only change). */
static int fz_set_brk(void *hal, unsigned slot, struct hal_block *b, uintptr_t new_brk)
{
    uintptr_t old = b->brk;
    int rc = fz.real->mpu->set_brk(hal, slot, b, new_brk);
    struct fzp *f = fz.tracking ? fzp_of(&fz.procs[slot]) : NULL;
    if (rc != 0 || !f || new_brk == old)
        return rc;
    if (new_brk > old) {
        protect(up(old), up(new_brk), PROT_READ | PROT_WRITE);
        fill(f, new_brk, up(new_brk), FILL); /* the kernel zeroes [old, new) only */
    } else {
        snapshot(f, new_brk, min_u(old, up(new_brk))); /* the app's bytes stay as they are */
        protect(up(new_brk), up(old), PROT_NONE);
    }
    return rc;
}

static void fz_activate(void *hal, unsigned slot, const struct hal_block *b)
{
    fz.real->mpu->activate(hal, slot, b);
}

static void fz_release(void *hal, unsigned slot, const struct hal_block *b)
{
    fz.real->mpu->release(hal, slot, b);
}

/* Shares (IPC) change the app view only: the kernel view never includes them. */
static int fz_share(void *hal, unsigned slot, struct hal_block *b, uintptr_t start, uintptr_t len)
{
    return fz.real->mpu->share(hal, slot, b, start, len);
}

static void fz_unshare(void *hal, unsigned slot, struct hal_block *b, uintptr_t lo, uintptr_t hi)
{
    fz.real->mpu->unshare(hal, slot, b, lo, hi);
}

static const struct hal_mpu_ops fz_mpu = {
    .plan_block = fz_plan_block,
    .set_brk = fz_set_brk,
    .activate = fz_activate,
    .release = fz_release,
    .share = fz_share,
    .unshare = fz_unshare,
};

static int fz_start(void *hal, unsigned slot, uintptr_t entry, uintptr_t lo, uintptr_t top,
                    const uintptr_t args[4])
{
    return fz.real->proc->start(hal, slot, entry, lo, top, args);
}

static void fz_set_return(void *hal, unsigned slot, const uintptr_t regs[4])
{
    fz.set_returns++;
    memcpy(fz.ret, regs, sizeof(fz.ret));
    fz.real->proc->set_return(hal, slot, regs);
}

static void fz_push_upcall(void *hal, unsigned slot, uintptr_t fn, const uintptr_t args[4])
{
    fz.push_upcalls++;
    fz.up_fn = fn;
    memcpy(fz.up_args, args, sizeof(fz.up_args));
    fz.real->proc->push_upcall(hal, slot, fn, args);
}

/* The process never runs app code here: each turn ends at once. */
static void fz_run(void *hal, unsigned slot, struct hal_stop *stop)
{
    (void)hal, (void)slot;
    fz.runs++;
    memset(stop, 0, sizeof(*stop));
    stop->kind = HAL_STOP_PREEMPTED;
}

static void fz_discard(void *hal, unsigned slot)
{
    fz.real->proc->discard(hal, slot);
}

static const struct hal_proc_ops fz_proc = {
    .start = fz_start,
    .set_return = fz_set_return,
    .push_upcall = fz_push_upcall,
    .run = fz_run,
    .discard = fz_discard,
};

static void fz_debug(void *hal, uint32_t id, enum hal_debug_kind kind, uint32_t a, uint32_t b)
{
    (void)hal, (void)id, (void)kind, (void)a, (void)b; /* thousands of lines a second otherwise */
}

static const struct hal_debug_ops fz_debug_ops = {.low_level_debug = fz_debug};

/*
 * LEDs, buttons and pins: hal-stub's hal_gpio.c prints a line for every LED
 * or output change (thousands a second here) and keeps its state from one
 * input to the next, so the harness has its own model of the same rules,
 * silent and reset per input. Inputs (button presses, pin levels) come from
 * the fuzz input and are serviced as interrupts by the chip ops below.
 */
#define FZ_PINS 64

struct fz_pin {
    enum hal_pin_mode mode;
    enum hal_pin_pull pull;
    enum hal_pin_irq irq;
    bool out, driven, ext;
};

struct fz_irq {
    bool pin;
    unsigned index;
    bool level;
};

static struct {
    unsigned nleds, nbuttons, npins;
    bool leds[FZ_PINS], buttons[FZ_PINS];
    struct fz_pin pins[FZ_PINS];
    struct fz_irq ring[FZ_PINS];
    unsigned count; /* pending interrupts */
} fzg;

static void gpio_reset(void)
{
    memset(fzg.leds, 0, sizeof(fzg.leds));
    memset(fzg.buttons, 0, sizeof(fzg.buttons));
    memset(fzg.pins, 0, sizeof(fzg.pins));
    fzg.count = 0;
}

static bool pin_level(const struct fz_pin *p)
{
    return p->mode == HAL_PIN_OUTPUT  ? p->out
           : p->mode == HAL_PIN_INPUT ? (p->driven ? p->ext : p->pull == HAL_PULL_UP)
                                      : false;
}

static void raise_irq(bool pin, unsigned index, bool level)
{
    if (fzg.count < FZ_PINS)
        fzg.ring[fzg.count++] = (struct fz_irq){pin, index, level};
}

static unsigned g_led_count(void *hal)
{
    (void)hal;
    return fzg.nleds;
}

static void g_led_set(void *hal, unsigned led, bool on)
{
    (void)hal;
    if (led < fzg.nleds)
        fzg.leds[led] = on;
}

static bool g_led_get(void *hal, unsigned led)
{
    (void)hal;
    return led < fzg.nleds && fzg.leds[led];
}

static unsigned g_button_count(void *hal)
{
    (void)hal;
    return fzg.nbuttons;
}

static bool g_button_read(void *hal, unsigned button)
{
    (void)hal;
    return button < fzg.nbuttons && fzg.buttons[button];
}

static unsigned g_pin_count(void *hal)
{
    (void)hal;
    return fzg.npins;
}

static void g_pin_configure(void *hal, unsigned n, enum hal_pin_mode mode, enum hal_pin_pull pull)
{
    (void)hal;
    if (n < fzg.npins) {
        fzg.pins[n].mode = mode;
        fzg.pins[n].pull = mode == HAL_PIN_INPUT ? pull : HAL_PULL_NONE;
    }
}

static void g_pin_write(void *hal, unsigned n, bool high)
{
    (void)hal;
    if (n < fzg.npins)
        fzg.pins[n].out = high;
}

static bool g_pin_read(void *hal, unsigned n)
{
    (void)hal;
    return n < fzg.npins && pin_level(&fzg.pins[n]);
}

static void g_pin_set_irq(void *hal, unsigned n, enum hal_pin_irq irq)
{
    (void)hal;
    if (n < fzg.npins)
        fzg.pins[n].irq = irq;
}

static const struct hal_gpio_ops fz_gpio = {
    .led_count = g_led_count,
    .led_set = g_led_set,
    .led_get = g_led_get,
    .button_count = g_button_count,
    .button_read = g_button_read,
    .pin_count = g_pin_count,
    .pin_configure = g_pin_configure,
    .pin_write = g_pin_write,
    .pin_read = g_pin_read,
    .pin_set_irq = g_pin_set_irq,
};

/* A button pressed or released, or a pin driven from outside (as hal_stub_button/pin). */
static void gpio_input(bool pin, unsigned index, bool level)
{
    if (!pin) {
        if (index < fzg.nbuttons && fzg.buttons[index] != level) {
            fzg.buttons[index] = level;
            raise_irq(false, index, level);
        }
        return;
    }
    if (index >= fzg.npins)
        return;
    struct fz_pin *p = &fzg.pins[index];
    bool before = pin_level(p);
    p->driven = true;
    p->ext = level;
    if (p->mode == HAL_PIN_INPUT && before != level &&
        (p->irq == HAL_IRQ_EITHER || (p->irq == HAL_IRQ_RISING && level) ||
         (p->irq == HAL_IRQ_FALLING && !level)))
        raise_irq(true, index, level);
}

static bool fz_has_pending(void *hal)
{
    return fz.real->chip->has_pending(hal) || fzg.count > 0;
}

static void fz_service_pending(void *hal, struct kernel *k)
{
    if (fz.real->chip->has_pending(hal))
        fz.real->chip->service_pending(hal, k);
    for (unsigned i = 0; i < fzg.count; i++) {
        if (fzg.ring[i].pin)
            kernel_gpio_changed(k, fzg.ring[i].index, fzg.ring[i].level);
        else
            kernel_button_changed(k, fzg.ring[i].index, fzg.ring[i].level);
    }
    fzg.count = 0;
}

static const struct hal_chip_ops fz_chip = {
    .service_pending = fz_service_pending,
    .has_pending = fz_has_pending,
};

/* ---- set-up, once per fuzz process ------------------------------------------- */

/*
 * Known bugs outside the harness that it steps around, so that a campaign
 * finds the next one instead of this one again; each has its reproducer
 * under crashes/fuzz_syscalls/, which ctest replays with KSIM_FUZZ_STRICT=1
 * (no workaround). Delete a workaround once its bug is fixed.
 */
static void avoid_known_bugs(void)
{
    /* None now. The last one, hal_console.c's memcpy from a still-NULL input buffer
     * when a read starts before any input (crashes/fuzz_syscalls/
     * hal-console-read-before-input), is fixed. */
}

static void setup(void)
{
    char err[BOARD_ERR_MAX];
    board_default(&fz.board);
    /* The default board has every sensor (issue 14); the harness reaches their drivers. */
    const struct board *b = &fz.board;
    fz.page = (uintptr_t)sysconf(_SC_PAGESIZE);
    fz.trace = getenv("KSIM_FUZZ_TRACE") != NULL;
    if (getenv("KSIM_FUZZ_STATS")) {
        fz.started_at = seconds(CLOCK_MONOTONIC);
        fz.started_cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
        atexit(print_stats);
    }
    if (sim_memmap_create(&fz.mem, b, "<default>", err, sizeof(err)) != 0) {
        fprintf(stderr, "ksim fuzz: %s\n", err);
        abort();
    }
    /* KSIM_FUZZ_MPU=cortex-m-pmsav7 (or riscv-pmp) fuzzes over another MPU model. */
    const char *model = getenv("KSIM_FUZZ_MPU");
    /* The board's own configuration, then what the harness runs differently. */
    struct hal_stub_config hc;
    struct kernel_config kc;
    sim_board_configs(b, &hc, &kc);
    hc.page_size = fz.page;
    if (model && *model)
        hc.mpu_model = model;
    hc.clock_real = false;
    hc.out_fd = fz_devnull();
    hc.led_count = hc.button_count = hc.pin_count = 0; /* the harness models GPIO itself */
    fz.hs = fz_hal_stub_create(&hc);
    fz.real = hal_stub_hal(fz.hs);
    fz.hal = *fz.real;
    fz.hal.mpu = &fz_mpu;
    fz.hal.proc = &fz_proc;
    fz.hal.debug = &fz_debug_ops;
    fz.hal.gpio = &fz_gpio;
    fz.hal.chip = &fz_chip;
    fzg.nleds = b->drivers.led_count < FZ_PINS ? b->drivers.led_count : FZ_PINS;
    fzg.nbuttons = b->drivers.button_count < FZ_PINS ? b->drivers.button_count : FZ_PINS;
    fzg.npins = b->drivers.gpio_count < FZ_PINS ? b->drivers.gpio_count : FZ_PINS;

    /* The kernel view: RAM between two guard pages, all of it faulting but the block. */
    size_t ram_size = (size_t)b->ram.size;
    uint8_t *map = mmap(NULL, ram_size + 2 * fz.page, PROT_NONE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED) {
        perror("ksim fuzz: kernel view");
        abort();
    }
    fz.kv = map + fz.page;
    if (mprotect(fz.kv, ram_size, PROT_READ | PROT_WRITE) != 0)
        abort();

    const struct ks_region ram = {(uintptr_t)b->ram.base, ram_size, fz.kv};
    const struct ks_region flash = {(uintptr_t)b->flash.base, (size_t)b->flash.size,
                                    fz.mem.flash.kernel_view};
    fz.procs = calloc(b->process.max_processes, sizeof(*fz.procs));
    if (!fz.procs ||
        kernel_init(&fz.k, &fz.hal, &kc, ram, flash, fz.procs, b->process.max_processes) != 0)
        abort();
    fz.k.on_event = on_event;
    if (!getenv("KSIM_FUZZ_STRICT"))
        avoid_known_bugs();

    /* Two processes of the same app; their names are what IPC discovery looks for. */
    static const char *const names[NPROC] = {"fuzz", "peer"};
    for (int i = 0; i < NPROC; i++) {
        struct loader_error le;
        int slot = kernel_load(&fz.k, names[i], fz_app_elf, fz_app_elf_len, &le);
        if (slot < 0) {
            fprintf(stderr, "ksim fuzz: the embedded app does not load: %s\n",
                    loader_why_text(le.why));
            abort();
        }
        fzp[i].p = &fz.procs[slot];
        fzp[i].b0 = fzp[i].p->block;
        fzp[i].shadow = calloc(1, fzp[i].b0.end - fzp[i].b0.start);
        if (!fzp[i].shadow)
            abort();
    }
    /* Everything of RAM outside the blocks faults from now on. */
    protect(fz.k.ram.base, fz.k.ram.base + ram_size, PROT_NONE);
    for (int i = 0; i < NPROC; i++) {
        protect_block(&fzp[i].b0);
        started(&fzp[i]); /* their KEV_START came before the shadows existed */
    }
    fz.tracking = true;
    fz.cur = &fzp[0];
    fz.ready = true;
}

/* ---- a fresh process for every input (and after an exit or fault) ------------- */

/* Events still pending for a process that is gone are serviced to the end. */
static void drain_events(void)
{
    const struct hal *h = &fz.hal;
    if (fz.k.console.rx_busy)
        h->console->abort_read(h->ctx);
    for (int i = 0; h->chip->has_pending(h->ctx); i++) {
        FZ_CHECK(i < 100000, "events never stop coming");
        h->chip->service_pending(h->ctx, &fz.k);
    }
    FZ_CHECK(!fz.k.console.tx_busy && !fz.k.console.rx_busy,
             "console still busy with no live process (tx %d, rx %d)", fz.k.console.tx_busy,
             fz.k.console.rx_busy);
}

/*
 * The kernel has no "reset this process" call; this local helper does what
 * Exit-restart does (proc_restart: same block, no new loading or mapping) for
 * a live process, and proc_start for one that exited or faulted.
 */
static void restart(struct fzp *f)
{
    struct proc *p = f->p;
    struct loader_error le;
    if (proc_is_alive(p)) {
        proc_restart(&fz.k, p);
    } else {
        f->loading = true;
        int rc = proc_start(&fz.k, p, &le);
        FZ_CHECK(rc == 0, "the app does not start again: %d (%s)", rc, loader_why_text(le.why));
    }
    FZ_CHECK(p->state == PROC_RUNNING && !f->loading, "the app did not start again");
    p->restarts = p->faults = 0;
    p->syscalls = 0;
}

/* f runs now: the MPU model makes its regions the accessible ones, as a switch does. */
static void switch_to(struct fzp *f)
{
    const struct hal *h = &fz.hal;
    if (!proc_is_alive(f->p))
        restart(f);
    h->mpu->activate(h->ctx, f->p->slot, &f->p->block);
    fz.cur = f;
    f->touched = true;
}

/* As a restart leaves it: nothing asked, nothing pending, nothing granted. */
static bool pristine(const struct fzp *f)
{
    const struct proc *p = f->p;
    return p->state == PROC_RUNNING && p->upcalls.count == 0 && p->grant_top == p->block.end &&
           p->block.brk == p->block.data_end && p->id == f->model_id;
}

/*
 * Every input starts alike: both processes fresh, the events still pending
 * for their old selves serviced (they find them gone), the virtual clock at
 * 0, the random source reseeded, the pins at rest, the first process running.
 */
static void reset_all(void)
{
    /* A peer that never ran and got nothing is as fresh as a restart makes it (cheaper). */
    for (int i = 0; i < NPROC; i++) {
        if (i == 0 || fzp[i].touched || !pristine(&fzp[i]))
            restart(&fzp[i]);
        fzp[i].touched = false;
    }
    drain_events();
    hal__clock_init(fz.hs);
    hal__rng_init(fz.hs);
    gpio_reset();
    /* What is left of the last input's order: the console's round robin and the
     * ready queue start over as kernel_init and kernel_load left them. */
    unsigned slot;
    fz.k.console.tx_slot = fz.k.console.rx_slot = -1;
    while (sched_pop(&fz.k.sched, &slot))
        fz.procs[slot].ready_queued = false;
    for (int i = 0; i < NPROC; i++)
        proc_make_ready(&fz.k, fzp[i].p);
    switch_to(&fzp[0]);
}

/* ---- invariants ------------------------------------------------------------- */

static void check_kernel(const struct fzp *f)
{
    const struct proc *p = f->p;
    const struct hal_block *b = &p->block, *b0 = &f->b0;
    const struct upcall_queue *q = &p->upcalls;

    FZ_CHECK(q->cap >= 1 && q->cap <= UPCALL_QUEUE_MAX && q->count <= q->cap &&
                 q->head < UPCALL_QUEUE_MAX,
             "call %lu: upcall queue count %u cap %u head %u", fz.calls, q->count, q->cap, q->head);
    FZ_CHECK(b->start == b0->start && b->end == b0->end && b->stack_start == b0->stack_start &&
                 b->stack_end == b0->stack_end && b->image_start == b0->image_start &&
                 b->image_end == b0->image_end && b->data_start == b0->data_start &&
                 b->data_end == b0->data_end && b->grant_start == b0->grant_start,
             "call %lu: the process block moved", fz.calls);
    FZ_CHECK(fz.k.current == -1, "call %lu: kernel still marks slot %d as running", fz.calls,
             fz.k.current);
    FZ_CHECK(fz.k.sched.count <= fz.k.nprocs, "call %lu: %u ready slots", fz.calls,
             fz.k.sched.count);
    if (!proc_is_alive(p))
        return;
    FZ_CHECK(b->brk >= b->data_end && b->brk < b->grant_start,
             "call %lu: break 0x%lx outside [0x%lx, 0x%lx)", fz.calls, (unsigned long)b->brk,
             (unsigned long)b->data_end, (unsigned long)b->grant_start);
    FZ_CHECK(p->grant_top >= b->grant_start && p->grant_top <= b->end,
             "call %lu: grant_top 0x%lx outside [0x%lx, 0x%lx]", fz.calls,
             (unsigned long)p->grant_top, (unsigned long)b->grant_start, (unsigned long)b->end);
    for (unsigned i = 0; i < KS_MAX_DRIVERS; i++)
        FZ_CHECK(p->grant[i] == 0 ||
                     (i < fz.k.ndrivers && p->grant[i] >= p->grant_top && p->grant[i] < b->end),
                 "call %lu: grant %u at 0x%lx outside [grant_top, end)", fz.calls, i,
                 (unsigned long)p->grant[i]);
    FZ_CHECK(p->allow_hwm == f->hwm, "call %lu: allow high-water mark 0x%lx, expected 0x%lx",
             fz.calls, (unsigned long)p->allow_hwm, (unsigned long)f->hwm);
    FZ_CHECK(p->allow_hwm <= b->brk, "call %lu: allowed buffer above the break", fz.calls);
    /* The MPU model and the kernel agree on the process's break. */
    if (fz.hs->active_slot == (int)p->slot)
        FZ_CHECK(fz.hs->active.brk == b->brk, "call %lu: MPU break 0x%lx, kernel break 0x%lx",
                 fz.calls, (unsigned long)fz.hs->active.brk, (unsigned long)b->brk);
}

static void check_registers(uint32_t cls, const uintptr_t r[4])
{
    int n = named(r[0]);
    FZ_CHECK(n >= 0, "call %lu: class %u returned r0 = 0x%lx, no variant", fz.calls, cls,
             (unsigned long)r[0]);
    for (int i = n + 1; i < 4; i++)
        FZ_CHECK(r[i] == 0, "call %lu: class %u variant %lu leaves r%d = 0x%lx (must be 0)",
                 fz.calls, cls, (unsigned long)r[0], i, (unsigned long)r[i]);
    if (r[0] < KSIM_SUCCESS)
        FZ_CHECK(r[1] >= KSIM_ERR_FAIL && r[1] <= KSIM_ERR_NOACK,
                 "call %lu: class %u fails with error %lu", fz.calls, cls, (unsigned long)r[1]);
}

static void expect_ret(const uintptr_t r[4], uintptr_t r0, uintptr_t r1, uintptr_t r2, uintptr_t r3,
                       const char *what)
{
    FZ_CHECK(r[0] == r0 && r[1] == r1 && r[2] == r2 && r[3] == r3,
             "call %lu: %s: returned {0x%lx, 0x%lx, 0x%lx, 0x%lx}, expected {0x%lx, 0x%lx, "
             "0x%lx, 0x%lx}",
             fz.calls, what, (unsigned long)r[0], (unsigned long)r[1], (unsigned long)r[2],
             (unsigned long)r[3], (unsigned long)r0, (unsigned long)r1, (unsigned long)r2,
             (unsigned long)r3);
}

static bool in_image(uintptr_t fn)
{
    return fn >= fz.cur->p->block.image_start && fn < fz.cur->p->block.image_end;
}

/* The upcall a Yield-Wait or NoWait would deliver now, by the model. */
struct delivery {
    bool any;
    uintptr_t fn, args[4];
};

static struct delivery expected_delivery(void)
{
    const struct upcall_queue *q = &fz.cur->p->upcalls;
    struct delivery d = {0};
    for (unsigned i = 0; i < q->count; i++) {
        const struct upcall_event *ev = upcall_queue_at(q, i);
        int idx = driver_index(ev->driver);
        if (idx < 0 || ev->number >= MAX_NUM || ev->number >= fz.k.drivers[idx]->upcalls)
            continue;
        const struct sub *s = sub_at(fz.cur, idx, ev->number);
        if (s->fn == 0)
            continue;
        d.any = true;
        d.fn = s->fn;
        d.args[0] = ev->args[0];
        d.args[1] = ev->args[1];
        d.args[2] = ev->args[2];
        d.args[3] = s->ud;
        return d;
    }
    return d;
}

/* A delivered upcall to f: the subscribed function, in its image, with its userdata. */
static void check_delivered(const struct fzp *f, const struct delivery *want)
{
    const struct hal_block *b = &f->p->block;
    FZ_CHECK(fz.push_upcalls == 1, "call %lu: %u upcalls pushed", fz.calls, fz.push_upcalls);
    FZ_CHECK(fz.up_fn >= b->image_start && fz.up_fn < b->image_end,
             "call %lu: upcall 0x%lx is not in the image of slot %u", fz.calls,
             (unsigned long)fz.up_fn, f->p->slot);
    if (want) {
        FZ_CHECK(fz.up_fn == want->fn && memcmp(fz.up_args, want->args, sizeof(want->args)) == 0,
                 "call %lu: delivered 0x%lx(0x%lx, 0x%lx, 0x%lx, ud 0x%lx), expected "
                 "0x%lx(0x%lx, 0x%lx, 0x%lx, ud 0x%lx)",
                 fz.calls, (unsigned long)fz.up_fn, (unsigned long)fz.up_args[0],
                 (unsigned long)fz.up_args[1], (unsigned long)fz.up_args[2],
                 (unsigned long)fz.up_args[3], (unsigned long)want->fn,
                 (unsigned long)want->args[0], (unsigned long)want->args[1],
                 (unsigned long)want->args[2], (unsigned long)want->args[3]);
        return;
    }
    /* Delivered on a wake-up: some subscription of the model must match. */
    for (unsigned d = 0; d < KS_MAX_DRIVERS; d++)
        for (unsigned n = 0; n < MAX_NUM; n++)
            if (f->sub[d][n].gen == f->gen && f->sub[d][n].fn == fz.up_fn &&
                f->sub[d][n].ud == fz.up_args[3])
                return;
    fz_fail("call %lu: woke with upcall 0x%lx ud 0x%lx that nothing subscribed", fz.calls,
            (unsigned long)fz.up_fn, (unsigned long)fz.up_args[3]);
}

static void check_zero(const uintptr_t r[4], const char *what)
{
    expect_ret(r, 0, 0, 0, 0, what);
}

static void check_yield(const uintptr_t in[4], const uintptr_t r[4], enum syscall_next next,
                        const struct delivery *want, int wf_index, const struct upcall_event *wf_ev,
                        unsigned qcount)
{
    struct proc *p = fz.cur->p;
    switch (in[0]) {
    case KSIM_YIELD_NO_WAIT: {
        FZ_CHECK(next == (want->any ? SYSCALL_UPCALL : SYSCALL_RETURN),
                 "call %lu: yield-no-wait gave next %d", fz.calls, (int)next);
        check_zero(r, "yield-no-wait");
        if (want->any)
            check_delivered(fz.cur, want);
        if (in[1] != 0 && buffer_ok(in[1], 1, false))
            FZ_CHECK(*kview(in[1]) == (want->any ? 1 : 0),
                     "call %lu: yield-no-wait flag at 0x%lx is %u", fz.calls, (unsigned long)in[1],
                     *kview(in[1]));
        return;
    }
    case KSIM_YIELD_WAIT:
        check_zero(r, "yield-wait");
        if (want->any) {
            FZ_CHECK(next == SYSCALL_UPCALL, "call %lu: yield-wait gave next %d", fz.calls,
                     (int)next);
            check_delivered(fz.cur, want);
        } else {
            FZ_CHECK(next == SYSCALL_BLOCK && p->state == PROC_YIELDED && p->upcalls.count == 0,
                     "call %lu: yield-wait with nothing to deliver: next %d state %d queue %u",
                     fz.calls, (int)next, (int)p->state, p->upcalls.count);
        }
        return;
    case KSIM_YIELD_WAIT_FOR:
        if (wf_index >= 0) {
            FZ_CHECK(next == SYSCALL_RETURN && p->upcalls.count + 1 == qcount,
                     "call %lu: yield-wait-for with the event queued: next %d", fz.calls,
                     (int)next);
            expect_ret(r, wf_ev->args[0], wf_ev->args[1], wf_ev->args[2], 0,
                       "yield-wait-for, event queued");
        } else {
            FZ_CHECK(next == SYSCALL_BLOCK && p->state == PROC_YIELDED_FOR &&
                         p->upcalls.count == qcount,
                     "call %lu: yield-wait-for with nothing queued: next %d state %d", fz.calls,
                     (int)next, (int)p->state);
        }
        FZ_CHECK(fz.push_upcalls == 0, "call %lu: yield-wait-for ran an upcall", fz.calls);
        return;
    default:
        FZ_CHECK(next == SYSCALL_FAULT, "call %lu: yield type 0x%lx gave next %d", fz.calls,
                 (unsigned long)in[0], (int)next);
        return;
    }
}

/* The first failing check of Subscribe or an Allow, in Tock's order; 0 if none. */
static int subscribe_error(const uintptr_t in[4])
{
    if (in[2] != 0 && !in_image(in[2]))
        return KSIM_ERR_INVAL;
    int idx = driver_index(in[0]);
    if (idx < 0)
        return KSIM_ERR_NODEVICE;
    if (in[1] >= fz.k.drivers[idx]->upcalls)
        return KSIM_ERR_NOSUPPORT;
    return 0;
}

static unsigned allow_count(const struct driver *d, int kind)
{
    return kind == ALLOW_RO ? d->allow_ro : kind == ALLOW_RW ? d->allow_rw : d->allow_ur;
}

static int allow_error(const uintptr_t in[4], int kind)
{
    int idx = driver_index(in[0]);
    if (idx < 0)
        return KSIM_ERR_NODEVICE;
    if (!buffer_ok(in[2], in[3], kind == ALLOW_RO))
        return KSIM_ERR_INVAL;
    if (in[1] >= allow_count(fz.k.drivers[idx], kind))
        return KSIM_ERR_NOSUPPORT;
    return 0;
}

/* Subscribe and Allow: Failure with 2 u32 handing back the arguments, or Success
 * with 2 u32 giving the previous pair; NOMEM only when the grant could not be made. */
static void check_swap(const char *what, const uintptr_t in[4], const uintptr_t r[4], int error,
                       uintptr_t *prev_a, uintptr_t *prev_b)
{
    if (error == 0 && r[0] == KSIM_FAILURE_2_U32 && r[1] == KSIM_ERR_NOMEM) {
        int idx = driver_index(in[0]);
        FZ_CHECK(fz.cur->p->grant[idx] == 0, "call %lu: %s: NOMEM with the grant allocated",
                 fz.calls, what);
        error = KSIM_ERR_NOMEM;
    }
    if (error) {
        expect_ret(r, KSIM_FAILURE_2_U32, (uintptr_t)error, in[2], in[3], what);
        return;
    }
    expect_ret(r, KSIM_SUCCESS_2_U32, *prev_a, *prev_b, 0, what);
    *prev_a = in[2];
    *prev_b = in[3];
}

static void check_memop(const uintptr_t in[4], const uintptr_t r[4], const struct hal_block *pre)
{
    const struct proc *p = fz.cur->p;
    const struct hal_block *b = &p->block;
    uintptr_t op = in[0], arg = in[1], target = 0;
    bool is_brk = op == KSIM_MEMOP_BRK || op == KSIM_MEMOP_SBRK;

    if (!is_brk)
        FZ_CHECK(b->brk == pre->brk, "call %lu: memop %lu moved the break", fz.calls,
                 (unsigned long)op);
    switch (op) {
    case KSIM_MEMOP_BRK:
    case KSIM_MEMOP_SBRK: {
        /* sbrk: the whole register is the signed increment (kernel/memop.c: a
         * truncated 4 GiB + 16 must not pass for 16); brk: the address. */
        bool in_range = true;
        if (op == KSIM_MEMOP_BRK) {
            target = arg;
        } else if ((intptr_t)arg >= 0) {
            target = pre->brk + arg;
            in_range = target >= pre->brk;
        } else {
            uintptr_t dec = (uintptr_t)0 - arg;
            in_range = dec <= pre->brk;
            target = pre->brk - dec;
        }
        bool ok = in_range && target >= pre->data_end && target < pre->grant_start &&
                  target >= fz.cur->hwm &&
                  fz.hs->model->check_brk(&fz.hs->model_params, pre, target) == 0;
        if (!ok) {
            expect_ret(r, KSIM_FAILURE, KSIM_ERR_NOMEM, 0, 0, "refused brk/sbrk");
            FZ_CHECK(b->brk == pre->brk, "call %lu: refused brk moved the break", fz.calls);
        } else if (op == KSIM_MEMOP_BRK) {
            expect_ret(r, KSIM_SUCCESS, 0, 0, 0, "brk");
        } else {
            expect_ret(r, KSIM_SUCCESS_U32, (uint32_t)pre->brk, 0, 0, "sbrk");
        }
        if (ok)
            FZ_CHECK(b->brk == target, "call %lu: break 0x%lx, expected 0x%lx", fz.calls,
                     (unsigned long)b->brk, (unsigned long)target);
        return;
    }
    case KSIM_MEMOP_RAM_START:
        expect_ret(r, KSIM_SUCCESS_U32, (uint32_t)b->start, 0, 0, "memop 2");
        return;
    case KSIM_MEMOP_RAM_END:
        expect_ret(r, KSIM_SUCCESS_U32, (uint32_t)b->end, 0, 0, "memop 3");
        return;
    case KSIM_MEMOP_IMAGE_START:
        expect_ret(r, KSIM_SUCCESS_U32, (uint32_t)b->image_start, 0, 0, "memop 4");
        return;
    case KSIM_MEMOP_IMAGE_END:
        expect_ret(r, KSIM_SUCCESS_U32, (uint32_t)b->image_end, 0, 0, "memop 5");
        return;
    case KSIM_MEMOP_GRANT_START:
        expect_ret(r, KSIM_SUCCESS_U32, (uint32_t)b->grant_start, 0, 0, "memop 6");
        return;
    case KSIM_MEMOP_FLASH_REGIONS:
        FZ_CHECK(r[0] == KSIM_SUCCESS_U32, "call %lu: memop 7 variant %lu", fz.calls,
                 (unsigned long)r[0]);
        return;
    case KSIM_MEMOP_FLASH_REGION_START:
    case KSIM_MEMOP_FLASH_REGION_END:
        FZ_CHECK(r[0] == KSIM_SUCCESS_U32 || (r[0] == KSIM_FAILURE && r[1] == KSIM_ERR_FAIL),
                 "call %lu: memop %lu variant %lu", fz.calls, (unsigned long)op,
                 (unsigned long)r[0]);
        return;
    case KSIM_MEMOP_SET_STACK_TOP:
    case KSIM_MEMOP_SET_HEAP_START:
        expect_ret(r, KSIM_SUCCESS, 0, 0, 0, "memop 10/11");
        return;
    default:
        expect_ret(r, KSIM_FAILURE, KSIM_ERR_NOSUPPORT, 0, 0, "unknown memop");
        return;
    }
}

static void check_command(const uintptr_t in[4], const uintptr_t r[4])
{
    int idx = driver_index(in[0]);
    if (idx < 0) {
        expect_ret(r, KSIM_FAILURE, KSIM_ERR_NODEVICE, 0, 0, "command to a missing driver");
        return;
    }
    if (in[1] > UINT32_MAX) {
        expect_ret(r, KSIM_FAILURE, KSIM_ERR_NOSUPPORT, 0, 0, "command number over 32 bits");
        return;
    }
    if (in[1] == 0) /* the existence check */
        FZ_CHECK(r[0] == KSIM_SUCCESS || r[0] == KSIM_SUCCESS_U32,
                 "call %lu: command 0 of driver 0x%lx gave variant %lu", fz.calls,
                 (unsigned long)in[0], (unsigned long)r[0]);
}

/* ---- making calls ------------------------------------------------------------ */

enum hint {
    H_ANY,
    H_DRIVER,
    H_NUM,
    H_FN,
    H_ADDR,
    H_LEN,
    H_YIELD,
    H_MEMOP,
    H_SBRK,
    H_EXIT,
};

/* Generic constants: small numbers, page and 32-bit edges, high bits a truncation would drop. */
/* clang-format off */
static const uintptr_t generic[32] = {
    0, 1, 2, 3, 4, 8, 16, 0xff,
    0x100, 0xfff, 0x1000, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000u,
    0xfffffff0u, 0xffffffffu, (uintptr_t)0x100000000ull, (uintptr_t)0x100000001ull,
    (uintptr_t)0x100000008ull, (uintptr_t)0x7fffffffffffffffull,
    (uintptr_t)0x8000000000000000ull, UINTPTR_MAX,
    UINTPTR_MAX - 1, UINTPTR_MAX - 0xfff, (uintptr_t)0xffffffff80000000ull,
    (uintptr_t)0xffffffff7fffffffull, KSIM_DRIVER_RNG, KSIM_DRIVER_IPC, 0xdeadbeef, 0x20000000,
};
/* clang-format on */

/* Boundaries of the process, as they are now. */
static uintptr_t boundary(unsigned i)
{
    const struct proc *p = fz.cur->p;
    const struct hal_block *b = &p->block;
    switch (i & 15) {
    case 0:
        return b->start;
    case 1:
        return b->stack_end;
    case 2:
        return b->image_start;
    case 3:
        return b->image_end;
    case 4:
        return b->data_start;
    case 5:
        return b->data_end;
    case 6:
        return b->brk;
    case 7:
        return b->grant_start;
    case 8:
        return p->grant_top;
    case 9:
        return b->end;
    case 10:
        return fz.k.ram.base;
    case 11:
        return fz.k.ram.base + fz.k.ram.size;
    case 12:
        return fz.k.flash.base;
    case 13:
        return (uintptr_t)fz.kv; /* a host address: the kernel view itself */
    case 14:                     /* the other process's data: never this one's to hand over */
        return other(fz.cur)->p->block.data_start;
    default:
        return b->image_start + (uintptr_t)p->image.entry_off;
    }
}

/* Interesting values per register kind, 16 each; the tables read as tables. */
/* clang-format off */
static uintptr_t hinted(enum hint h, unsigned i, const uintptr_t *prev)
{
    const struct proc *p = fz.cur->p;
    const struct hal_block *b = &p->block;
    uintptr_t entry = b->image_start + (uintptr_t)p->image.entry_off;
    uintptr_t a = prev ? prev[2] : 0; /* H_LEN: the address just decoded */
    uintptr_t brk = b->brk;
    unsigned wide = i & 31; /* drivers and numbers: bit 4 too (it also picks value()'s modifier) */
    i &= 15;
    switch (h) {
    case H_DRIVER: { /* the board's drivers, missing ones, high bits over a real number */
        static const uintptr_t t[32] = {
            0, 1, 8, KSIM_DRIVER_TEMPERATURE, KSIM_DRIVER_HUMIDITY, 2, 3, 4, KSIM_DRIVER_RNG,
            KSIM_DRIVER_IPC, 9,
            (uintptr_t)0x100000000ull, (uintptr_t)0x100000001ull, (uintptr_t)0x100000008ull,
            UINTPTR_MAX, 0xffffffffu,
            KSIM_DRIVER_AMBIENT_LIGHT, KSIM_DRIVER_NINEDOF, KSIM_DRIVER_PROXIMITY,
            KSIM_DRIVER_SOUND_PRESSURE, KSIM_DRIVER_MOISTURE, KSIM_DRIVER_RAINFALL,
            KSIM_DRIVER_APP_FLASH, 0x60003, KSIM_DRIVER_AIR_QUALITY, KSIM_DRIVER_NINEDOF, KSIM_DRIVER_PROXIMITY,
            KSIM_DRIVER_AMBIENT_LIGHT, KSIM_DRIVER_SOUND_PRESSURE, KSIM_DRIVER_TEMPERATURE,
            (uintptr_t)0x100060004ull, KSIM_DRIVER_RAINFALL};
        return t[wide];
    }
    case H_NUM: { /* subscribe, allow and command numbers (GPIO's go to 10; IPC has 64;
                   * ninedof's commands are 1, 100 and 200) */
        static const uintptr_t t[32] = {
            0, 1, 2, 3, 63, 64, 8, 9, 4, 5, 6, 7, 10, 0xffffffffu,
            (uintptr_t)0x100000000ull, (uintptr_t)0x100000001ull,
            100, 200, 99, 101, 199, 201, 1, 2, 3, 0, 1, 255, 256, 175, (uintptr_t)0x100000064ull, 1};
        return t[wide];
    }
    case H_FN: { /* upcall pointers in, at the edges of and outside the image */
        const uintptr_t t[16] = {
            0, b->image_start, entry, b->image_start + 0x10, b->image_start + 0x100,
            b->image_end - 1, b->image_end, b->image_start - 1, b->data_start, b->stack_end - 8,
            0, entry, b->image_start + ((b->image_end - b->image_start) / 2 & ~0xfu),
            b->image_end - 16, entry + (uintptr_t)0x100000000ull, UINTPTR_MAX};
        return t[i];
    }
    case H_ADDR: { /* buffers at the boundaries of each region */
        const uintptr_t t[16] = {
            b->stack_start, b->stack_end - 1, b->stack_end - 16, b->stack_end,
            b->data_start, b->data_start + 1, b->data_end - 1, b->data_end,
            brk - 1, brk, brk - 16, b->grant_start - 1,
            b->grant_start, b->image_start, b->image_end - 1, 0};
        return t[i];
    }
    case H_LEN: { /* lengths, and lengths that end exactly at a boundary */
        const uintptr_t t[16] = {
            0, 1, 4, 16, 256, 257, 0x1000, brk - a,
            b->stack_end - a, b->image_end - a, b->grant_start - a, b->end - a,
            0 - a, b->data_end - a, UINTPTR_MAX, (uintptr_t)0x100000001ull};
        return t[i];
    }
    case H_YIELD: { /* few faulting types: a fault costs a restart */
        static const uintptr_t t[16] = {
            0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, (uintptr_t)0x100000001ull, UINTPTR_MAX, 0};
        return t[i];
    }
    case H_MEMOP: {
        static const uintptr_t t[16] = {
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            (uintptr_t)0x100000000ull, (uintptr_t)0x100000001ull, UINTPTR_MAX};
        return t[i];
    }
    case H_SBRK: { /* increments to the limits: end of bss, grant region, allowed buffers */
        const uintptr_t t[16] = {
            0, 16, 0x1000, (uintptr_t)-16, (uintptr_t)-0x1000, b->grant_start - brk,
            b->grant_start - brk - 1, b->data_end - brk, fz.cur->hwm - brk, 0x7fffffff, 0x80000000u,
            (uintptr_t)0x100000010ull, UINTPTR_MAX, 0xffffffffu, 1, b->data_end - brk - 1};
        return t[i];
    }
    case H_EXIT: { /* other types return NOSUPPORT: truncated to 0 or 1, they would exit */
        static const uintptr_t t[16] = {
            0, 1, 2, 3, 2, 0xff, (uintptr_t)0x100000000ull, (uintptr_t)0x100000001ull,
            UINTPTR_MAX, 2, 3, 4, 0x80000000u, 0, 1, 2};
        return t[i];
    }
    case H_ANY:
    default:
        return generic[i];
    }
}
/* clang-format on */

static uintptr_t value(struct fz_in *in, enum hint h, const uintptr_t *prev)
{
    uint8_t s = fz_u8(in);
    uintptr_t v;
    unsigned mod;

    if (s < 0x80) {
        v = hinted(h, s, prev);
        mod = (s >> 4) & 7;
        switch (mod) {
        case 4:
            return v + 1;
        case 5:
            return v - 1;
        case 6:
            return v + (uintptr_t)(intptr_t)(int8_t)fz_u8(in);
        case 7:
            return v + fz.page;
        default:
            return v;
        }
    }
    if (s < 0xc0) {
        v = boundary(s);
        switch ((s >> 4) & 3) {
        case 1:
            return v + 1;
        case 2:
            return v - 1;
        case 3:
            return v + (uintptr_t)(intptr_t)(int8_t)fz_u8(in);
        default:
            return v;
        }
    }
    if (s < 0xe0)
        return generic[s & 31];
    switch (s) {
    case 0xe0:
        return (uintptr_t)fz_le(in, 1);
    case 0xe1:
        return (uintptr_t)fz_le(in, 2);
    case 0xe2:
        return (uintptr_t)fz_le(in, 4);
    case 0xe3:
        return (uintptr_t)fz_le(in, 8);
    case 0xe4: {
        v = boundary(fz_u8(in));
        return v + (uintptr_t)(intptr_t)(int16_t)fz_le(in, 2);
    }
    case 0xe5:
        return fz.last[1];
    case 0xe6:
        return fz.last[2];
    default:
        return (uintptr_t)(s - 0xe7);
    }
}

/* Register hints for each class; r1 of Yield and Memop depend on r0. */
static void decode(struct fz_in *in, uint32_t cls, uintptr_t r[4])
{
    static const enum hint hints[KSIM_CLASS_COUNT][4] = {
        [KSIM_CLASS_YIELD] = {H_YIELD, H_ADDR, H_NUM, H_ANY},
        [KSIM_CLASS_SUBSCRIBE] = {H_DRIVER, H_NUM, H_FN, H_ANY},
        [KSIM_CLASS_COMMAND] = {H_DRIVER, H_NUM, H_ANY, H_ANY},
        [KSIM_CLASS_ALLOW_RW] = {H_DRIVER, H_NUM, H_ADDR, H_LEN},
        [KSIM_CLASS_ALLOW_RO] = {H_DRIVER, H_NUM, H_ADDR, H_LEN},
        [KSIM_CLASS_MEMOP] = {H_MEMOP, H_ANY, H_ANY, H_ANY},
        [KSIM_CLASS_EXIT] = {H_EXIT, H_ANY, H_ANY, H_ANY},
        [KSIM_CLASS_ALLOW_UR] = {H_DRIVER, H_NUM, H_ADDR, H_LEN},
    };
    for (int i = 0; i < 4; i++) {
        enum hint h = cls < KSIM_CLASS_COUNT ? hints[cls][i] : H_ANY;
        if (cls == KSIM_CLASS_YIELD && i == 1 && r[0] == KSIM_YIELD_WAIT_FOR)
            h = H_DRIVER;
        if (cls == KSIM_CLASS_MEMOP && i == 1)
            h = r[0] == KSIM_MEMOP_BRK ? H_ADDR : r[0] == KSIM_MEMOP_SBRK ? H_SBRK : H_ANY;
        r[i] = value(in, h, r);
    }
}

static void check_all(void)
{
    for (int i = 0; i < NPROC; i++) {
        check_kernel(&fzp[i]);
        check_memory(&fzp[i]);
    }
}

/* kernel_step (one process at most resumes), then what a wake-up must look like. */
static void step(void)
{
    enum proc_state before[NPROC];
    uint32_t id[NPROC];
    for (int i = 0; i < NPROC; i++) {
        before[i] = fzp[i].p->state;
        id[i] = fzp[i].p->id;
    }
    fz.set_returns = fz.push_upcalls = fz.runs = 0;
    fz.calls++;
    kernel_step(&fz.k);
    unsigned woken = 0;
    for (int i = 0; i < NPROC; i++) {
        const struct proc *p = fzp[i].p;
        bool waited = before[i] == PROC_YIELDED || before[i] == PROC_YIELDED_FOR;
        if (fz.trace && (p->state != before[i] || fz.set_returns))
            fprintf(stderr, "step %lu: t=%llu ns, slot %u state %d -> %d, %u returns, %u upcalls\n",
                    fz.calls, (unsigned long long)hal_stub_now_ns(fz.hs), p->slot, (int)before[i],
                    (int)p->state, fz.set_returns, fz.push_upcalls);
        if (p->id != id[i] || !waited || p->state != PROC_RUNNING)
            continue;
        woken++;
        FZ_CHECK(fz.set_returns == 1, "step %lu: woke with %u returns set", fz.calls,
                 fz.set_returns);
        FZ_CHECK(fz.ret[3] == 0, "step %lu: woke with r3 = 0x%lx", fz.calls,
                 (unsigned long)fz.ret[3]);
        if (before[i] == PROC_YIELDED) {
            check_zero(fz.ret, "woken from yield-wait");
            check_delivered(&fzp[i], NULL);
        } else {
            FZ_CHECK(fz.push_upcalls == 0, "step %lu: yield-wait-for woke with an upcall",
                     fz.calls);
        }
    }
    FZ_CHECK(woken <= 1, "step %lu: %u processes resumed in one step", fz.calls, woken);
    if (woken == 0)
        FZ_CHECK(fz.set_returns == 0 && fz.push_upcalls == 0,
                 "step %lu: a return or upcall for no process that woke", fz.calls);
    check_all();
}

/* Lets virtual time pass until f can run; false if it never will. */
static bool wake(struct fzp *f)
{
    struct proc *p = f->p;
    uint64_t deadline;
    for (int i = 0; i < MAX_WAKE && proc_is_alive(p) && p->state != PROC_RUNNING; i++) {
        step();
        if (p->state == PROC_RUNNING || !proc_is_alive(p))
            break;
        if (!hal_stub_deadline_ns(fz.hs, &deadline))
            return false;
        hal_stub_advance_to(fz.hs, deadline);
    }
    return p->state == PROC_RUNNING;
}

/*
 * A process that can make the next call: the current one, once awake; else
 * the other one if it runs; else the current one started afresh (it waits
 * for something that never comes, or is gone).
 */
static void runnable(void)
{
    struct fzp *f = fz.cur;
    if (proc_is_alive(f->p) && (f->p->state == PROC_RUNNING || wake(f)))
        return;
    if (other(f)->p->state == PROC_RUNNING) {
        switch_to(other(f));
        return;
    }
    restart(f);
    switch_to(f);
}

static void do_call(struct fz_in *in, uint32_t cls)
{
    uintptr_t in_regs[4], r[4];

    runnable();
    struct fzp *f = fz.cur;
    struct proc *p = f->p;
    decode(in, cls, in_regs);
    FZ_CHECK(p->state == PROC_RUNNING, "process not running before a call");

    /* What the model says before the call. */
    struct hal_block pre = p->block;
    uint32_t id = p->id;
    struct delivery want = expected_delivery();
    unsigned qcount = p->upcalls.count;
    int wf_index = -1;
    struct upcall_event wf_ev = {0};
    if (cls == KSIM_CLASS_YIELD && in_regs[0] == KSIM_YIELD_WAIT_FOR && in_regs[1] <= UINT32_MAX &&
        in_regs[2] <= UINT32_MAX) {
        wf_index = upcall_queue_find(&p->upcalls, (uint32_t)in_regs[1], (uint32_t)in_regs[2]);
        if (wf_index >= 0)
            wf_ev = *upcall_queue_at(&p->upcalls, (unsigned)wf_index);
    }

    /* The call, handled as the kernel's run loop handles a system call stop. */
    memcpy(r, in_regs, sizeof(r));
    fz.set_returns = fz.push_upcalls = 0;
    fz.calls++;
    fz.total_calls++;
    fz.k.current = (int)p->slot;
    p->syscalls++;
    enum syscall_next next = syscall_handle(&fz.k, p, cls, r);
    const struct hal *h = &fz.hal;
    switch (next) {
    case SYSCALL_RETURN:
        h->proc->set_return(h->ctx, p->slot, r);
        break;
    case SYSCALL_UPCALL:
        h->proc->set_return(h->ctx, p->slot, r);
        h->proc->push_upcall(h->ctx, p->slot, p->deliver_fn, p->deliver_args);
        break;
    case SYSCALL_FAULT: {
        struct hal_fault f = p->last_fault;
        proc_fault(&fz.k, p, &f);
        break;
    }
    case SYSCALL_BLOCK:
    case SYSCALL_EXITED:
        break;
    default:
        fz_fail("call %lu: syscall_handle returned %d", fz.calls, (int)next);
    }
    fz.k.current = -1;
    if (fz.trace)
        fprintf(stderr,
                "call %lu: class %u (0x%lx, 0x%lx, 0x%lx, 0x%lx) -> next %d (0x%lx, 0x%lx, 0x%lx, "
                "0x%lx) state %d\n",
                fz.calls, cls, (unsigned long)in_regs[0], (unsigned long)in_regs[1],
                (unsigned long)in_regs[2], (unsigned long)in_regs[3], (int)next,
                (unsigned long)r[0], (unsigned long)r[1], (unsigned long)r[2], (unsigned long)r[3],
                (int)p->state);

    /* What the class may answer. */
    if (next == SYSCALL_RETURN || next == SYSCALL_UPCALL) {
        if (cls != KSIM_CLASS_YIELD) /* Yield returns no variant: zeros, or WaitFor's arguments */
            check_registers(cls, r);
        memcpy(fz.last, r, sizeof(fz.last));
    }
    if (next == SYSCALL_FAULT) {
        const struct hal_fault *f = &p->last_fault;
        FZ_CHECK(f->kind == HAL_FAULT_SYSCALL && f->syscall_class == cls &&
                     memcmp(f->regs, in_regs, sizeof(in_regs)) == 0,
                 "call %lu: fault record does not name the call", fz.calls);
        FZ_CHECK(!proc_is_alive(p) || p->id != id, "call %lu: faulted process still runs",
                 fz.calls);
    }
    if (cls >= KSIM_CLASS_COUNT) {
        FZ_CHECK(next == SYSCALL_FAULT, "call %lu: unknown class %u gave next %d", fz.calls, cls,
                 (int)next);
    } else if (cls == KSIM_CLASS_YIELD) {
        check_yield(in_regs, r, next, &want, wf_index, &wf_ev, qcount);
    } else if (cls == KSIM_CLASS_EXIT) {
        if (in_regs[0] == KSIM_EXIT_TERMINATE) {
            FZ_CHECK(next == SYSCALL_EXITED && p->state == PROC_TERMINATED && p->exited &&
                         p->completion_code == (int32_t)(uint32_t)in_regs[1],
                     "call %lu: exit-terminate: next %d state %d code %d", fz.calls, (int)next,
                     (int)p->state, (int)p->completion_code);
        } else if (in_regs[0] == KSIM_EXIT_RESTART) {
            FZ_CHECK(next == SYSCALL_EXITED &&
                         ((p->state == PROC_RUNNING && p->id != id) || p->state == PROC_FAULTED),
                     "call %lu: exit-restart: next %d state %d", fz.calls, (int)next,
                     (int)p->state);
            /* ABI.md: the completion code of the last exit is kept for the process console. */
            FZ_CHECK(p->completion_code == (int32_t)(uint32_t)in_regs[1],
                     "call %lu: exit-restart lost its completion code (%d, not %d)", fz.calls,
                     (int)p->completion_code, (int)(int32_t)(uint32_t)in_regs[1]);
        } else {
            FZ_CHECK(next == SYSCALL_RETURN, "call %lu: exit 0x%lx gave next %d", fz.calls,
                     (unsigned long)in_regs[0], (int)next);
            expect_ret(r, KSIM_FAILURE, KSIM_ERR_NOSUPPORT, 0, 0, "unknown exit type");
        }
    } else {
        FZ_CHECK(next == SYSCALL_RETURN, "call %lu: class %u gave next %d", fz.calls, cls,
                 (int)next);
        FZ_CHECK(fz.push_upcalls == 0, "call %lu: class %u ran an upcall", fz.calls, cls);
        if (cls == KSIM_CLASS_SUBSCRIBE) {
            int e = subscribe_error(in_regs), idx = driver_index(in_regs[0]);
            struct sub scratch = {0},
                       *s = e || in_regs[1] >= MAX_NUM ? &scratch : sub_at(f, idx, in_regs[1]);
            check_swap("subscribe", in_regs, r, e, &s->fn, &s->ud);
            if (r[0] == KSIM_SUCCESS_2_U32)
                FZ_CHECK(
                    upcall_queue_find(&p->upcalls, (uint32_t)in_regs[0], (uint32_t)in_regs[1]) < 0,
                    "call %lu: subscribe kept pending upcalls of its number", fz.calls);
        } else if (cls == KSIM_CLASS_COMMAND) {
            check_command(in_regs, r);
        } else if (cls == KSIM_CLASS_MEMOP) {
            check_memop(in_regs, r, &pre);
        } else {
            int kind = cls == KSIM_CLASS_ALLOW_RO   ? ALLOW_RO
                       : cls == KSIM_CLASS_ALLOW_RW ? ALLOW_RW
                                                    : ALLOW_UR;
            int e = allow_error(in_regs, kind), idx = driver_index(in_regs[0]);
            struct buf scratch = {0}, *bf = e || in_regs[1] >= MAX_NUM
                                                ? &scratch
                                                : allow_at(f, kind, idx, in_regs[1]);
            check_swap("allow", in_regs, r, e, &bf->addr, &bf->len);
            /* The high-water mark: highest end of a buffer allowed in [data, break). */
            if (r[0] == KSIM_SUCCESS_2_U32 && in_regs[3] > 0 &&
                within(in_regs[2], in_regs[3], pre.data_start, pre.brk) &&
                in_regs[2] + in_regs[3] > f->hwm)
                f->hwm = in_regs[2] + in_regs[3];
        }
    }
    FZ_CHECK(p->id == f->model_id, "call %lu: restarted without KEV_START", fz.calls);
    check_all();
}

/* ---- the other ops ----------------------------------------------------------- */

#define NS_PER_TICK_WRAP 4294967296000ull /* 2^32 ticks at 1 MHz, in ns */

static void advance(struct fz_in *in)
{
    uint64_t now = hal_stub_now_ns(fz.hs), deadline = 0, to;
    bool armed = hal_stub_deadline_ns(fz.hs, &deadline);
    uint8_t s = fz_u8(in);
    switch (s & 7) {
    case 0:
        to = armed ? deadline : now + 1000;
        break;
    case 1:
        to = armed && deadline > 1000 ? deadline - 1000 : now;
        break;
    case 2:
        to = now + 1000;
        break;
    case 3:
        to = now + 1000000;
        break;
    case 4:
        to = now + 1000000000ull;
        break;
    case 5:
        to = now + fz_le(in, 4) * 1000ull;
        break;
    case 6: /* just before the 32-bit tick counter wraps */
        to = now + NS_PER_TICK_WRAP - (now % NS_PER_TICK_WRAP) - 1000ull * (s >> 3);
        break;
    default:
        to = now + (fz_le(in, 8) & 0xffffffffffffull);
        break;
    }
    hal_stub_advance_to(fz.hs, to);
    step();
}

static void console_input(struct fz_in *in)
{
    unsigned n = (fz_u8(in) & 0x3f) + 1u;
    for (unsigned i = 0; i < n; i++) {
        uint8_t byte = fz_u8(in);
        /* One byte at a time, only into a pending read: nothing lingers for the next input. */
        if (hal_stub_console_reading(fz.hs))
            hal_stub_console_input(fz.hs, &byte, 1);
    }
    step();
}

/* The process writes its own memory (an IPC name, a message): only where it may. */
static void app_store(struct fz_in *in)
{
    runnable();
    uintptr_t addr = value(in, H_ADDR, NULL);
    unsigned n = (fz_u8(in) & 0x3f) + 1u;
    /* The app's own writable RAM: accessible, so never in a shadow. The bytes are
     * taken from the input either way, so what follows decodes the same. */
    uint8_t *to = buffer_ok(addr, n, false) ? kview(addr) : NULL;
    for (unsigned i = 0; i < n; i++) {
        uint8_t byte = fz_u8(in);
        if (to)
            to[i] = byte;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Classes by op & 31, weighted: Exit restarts the process, which costs the most. */
    static const uint32_t classes[32] = {
        KSIM_CLASS_YIELD,    KSIM_CLASS_SUBSCRIBE, KSIM_CLASS_COMMAND, KSIM_CLASS_ALLOW_RW,
        KSIM_CLASS_ALLOW_RO, KSIM_CLASS_MEMOP,     KSIM_CLASS_EXIT,    KSIM_CLASS_ALLOW_UR,
        KSIM_CLASS_YIELD,    KSIM_CLASS_SUBSCRIBE, KSIM_CLASS_COMMAND, KSIM_CLASS_ALLOW_RW,
        KSIM_CLASS_ALLOW_RO, KSIM_CLASS_MEMOP,     KSIM_CLASS_COMMAND, KSIM_CLASS_ALLOW_UR,
        KSIM_CLASS_YIELD,    KSIM_CLASS_SUBSCRIBE, KSIM_CLASS_COMMAND, KSIM_CLASS_ALLOW_RW,
        KSIM_CLASS_ALLOW_RO, KSIM_CLASS_MEMOP,     KSIM_CLASS_YIELD,   KSIM_CLASS_SUBSCRIBE,
        KSIM_CLASS_YIELD,    KSIM_CLASS_SUBSCRIBE, KSIM_CLASS_COMMAND, KSIM_CLASS_ALLOW_RW,
        KSIM_CLASS_ALLOW_RO, KSIM_CLASS_MEMOP,     KSIM_CLASS_COMMAND, KSIM_CLASS_MEMOP,
    };
    static const uint32_t bad_classes[8] = {8, 9, 15, 0xff, 0x100, 0x80000000u, 0xffffffffu, 0};
    struct fz_in in = {data, size};

    if (!fz.ready)
        setup();
    fz.calls = 0;
    fz.total_inputs++;
    memset(fz.last, 0, sizeof(fz.last));
    reset_all();
    while (fz_more(&in)) {
        uint8_t op = fz_u8(&in);
        if (op < 0xe0) {
            do_call(&in, classes[op & 31]);
        } else if (op < 0xe8) {
            uint32_t cls = bad_classes[op & 7];
            do_call(&in, cls ? cls : 8u + fz_u8(&in));
        } else if (op < 0xf0) {
            advance(&in);
        } else if (op < 0xf4) {
            console_input(&in);
        } else if (op < 0xf6) {
            switch_to(other(fz.cur)); /* the other process runs now */
        } else if (op < 0xf8) {
            app_store(&in);
        } else if (op < 0xfc) {
            step();
        } else {
            /* A button (bit 7 clear) or pin (set) goes to level bit 6, index in bits 0-5. */
            uint8_t b = fz_u8(&in);
            gpio_input((b & 0x80) != 0, b & 0x3f, (b & 0x40) != 0);
            step();
        }
    }
    return 0;
}
