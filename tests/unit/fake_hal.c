/* The fake HAL of fake_hal.h: recording ops over a malloc'd board RAM. */
#include "fake_hal.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

static struct fake_board *fb_of(void *hal)
{
    return hal;
}

/* --- MPU: the page model of hal-stub/hal_mpu_page.c, without mprotect --- */

static uintptr_t up(uintptr_t v, uintptr_t page)
{
    return (v + page - 1) & ~(page - 1);
}

static int fake_plan_block(void *hal, uintptr_t free_start, uintptr_t free_end,
                           const struct hal_block_req *req, struct hal_block *b)
{
    (void)hal;
    uintptr_t page = FAKE_PAGE;
    uintptr_t align = req->image_align > page ? req->image_align : page;
    uintptr_t limit = free_end - free_start;
    if (req->stack_size > limit || req->image_size > limit || req->data_offset > limit ||
        req->data_size > limit || req->heap_size > limit || req->grant_size > limit)
        return -KS_ENOMEM;
    b->start = up(free_start, page);
    b->stack_start = b->start;
    b->stack_end = b->stack_start + up(req->stack_size, page);
    b->image_start = up(b->stack_end, align);
    b->image_end = b->image_start + req->image_size;
    b->data_start = b->image_start + req->data_offset;
    b->data_end = b->data_start + req->data_size;
    b->brk = b->data_end;
    b->grant_start = up(b->data_end + req->heap_size, page);
    if (b->grant_start == up(b->data_end, page))
        b->grant_start += page; /* keeps brk < grant_start, as the page model does */
    b->end = b->grant_start + up(req->grant_size, page);
    b->nshares = 0;
    if (b->end > free_end || b->end < free_start)
        return -KS_ENOMEM;
    return 0;
}

static int fake_set_brk(void *hal, unsigned slot, struct hal_block *b, uintptr_t new_brk)
{
    struct fake_board *fb = fb_of(hal);
    (void)slot;
    fb->set_brk_calls++;
    if (fb->set_brk_rc != 0)
        return fb->set_brk_rc; /* a failing op changes nothing */
    fb->last_brk = new_brk;
    b->brk = new_brk;
    return 0;
}

static void fake_activate(void *hal, unsigned slot, const struct hal_block *b)
{
    (void)slot;
    (void)b;
    fb_of(hal)->activate_calls++;
}

static void fake_release(void *hal, unsigned slot, const struct hal_block *b)
{
    struct fake_board *fb = fb_of(hal);
    (void)b;
    fb->release_calls++;
    fb->last_release_slot = slot;
}

static int fake_share(void *hal, unsigned slot, struct hal_block *b, uintptr_t start, uintptr_t len)
{
    struct fake_board *fb = fb_of(hal);
    (void)slot;
    fb->share_calls++;
    if (fb->share_rc != 0)
        return fb->share_rc;
    if (len == 0 || start + len < start)
        return -KS_EINVAL;
    for (unsigned i = 0; i < b->nshares; i++)
        if (b->shares[i].start == start && b->shares[i].len == len)
            return 0;
    if (b->nshares >= HAL_SHARES_MAX)
        return -KS_ENOMEM;
    b->shares[b->nshares++] = (struct hal_share){start, len};
    return 0;
}

static void fake_unshare(void *hal, unsigned slot, struct hal_block *b, uintptr_t lo, uintptr_t hi)
{
    unsigned kept = 0;
    (void)hal;
    (void)slot;
    for (unsigned i = 0; i < b->nshares; i++)
        if (!(b->shares[i].start < hi && b->shares[i].start + b->shares[i].len > lo))
            b->shares[kept++] = b->shares[i];
    b->nshares = kept;
}

static const struct hal_mpu_ops fake_mpu = {
    .plan_block = fake_plan_block,
    .set_brk = fake_set_brk,
    .activate = fake_activate,
    .release = fake_release,
    .share = fake_share,
    .unshare = fake_unshare,
};

/* --- Processes: recorded, never run --- */

static int fake_start(void *hal, unsigned slot, uintptr_t entry, uintptr_t stack_lo,
                      uintptr_t stack_top, const uintptr_t args[4])
{
    struct fake_board *fb = fb_of(hal);
    fb->start_calls++;
    if (fb->start_rc != 0)
        return fb->start_rc;
    fb->last_start = (struct fake_start_call){
        slot, entry, stack_lo, stack_top, {args[0], args[1], args[2], args[3]}};
    return 0;
}

static void fake_set_return(void *hal, unsigned slot, const uintptr_t regs[4])
{
    struct fake_board *fb = fb_of(hal);
    (void)slot;
    fb->set_return_calls++;
    memcpy(fb->last_return, regs, sizeof(fb->last_return));
}

static void fake_push_upcall(void *hal, unsigned slot, uintptr_t fn, const uintptr_t args[4])
{
    struct fake_board *fb = fb_of(hal);
    (void)slot;
    fb->push_upcall_calls++;
    fb->last_upcall_fn = fn;
    memcpy(fb->last_upcall_args, args, sizeof(fb->last_upcall_args));
}

/* kernel_step may call it: the process is preempted at once, having done nothing. */
static void fake_run(void *hal, unsigned slot, struct hal_stop *stop)
{
    (void)slot;
    fb_of(hal)->run_calls++;
    memset(stop, 0, sizeof(*stop));
    stop->kind = HAL_STOP_PREEMPTED;
}

static void fake_discard(void *hal, unsigned slot)
{
    (void)slot;
    fb_of(hal)->discard_calls++;
}

static const struct hal_proc_ops fake_procs = {
    .start = fake_start,
    .set_return = fake_set_return,
    .push_upcall = fake_push_upcall,
    .run = fake_run,
    .discard = fake_discard,
};

/* --- Alarm: a counter the test sets --- */

static uint32_t fake_frequency(void *hal)
{
    return fb_of(hal)->frequency;
}

static unsigned fake_width(void *hal)
{
    return fb_of(hal)->width;
}

static uint32_t fake_now(void *hal)
{
    return fb_of(hal)->now;
}

static void fake_set_alarm(void *hal, uint32_t reference, uint32_t dt)
{
    struct fake_board *fb = fb_of(hal);
    fb->set_alarm_calls++;
    fb->alarm_reference = reference;
    fb->alarm_dt = dt;
}

static void fake_disarm(void *hal)
{
    fb_of(hal)->disarm_calls++;
}

static const struct hal_alarm_ops fake_alarm = {
    .frequency = fake_frequency,
    .width_bits = fake_width,
    .now = fake_now,
    .set_alarm = fake_set_alarm,
    .disarm = fake_disarm,
};

/* --- Console: bytes written are kept; a read only records the request --- */

static int fake_write(void *hal, const uint8_t *buf, size_t len)
{
    struct fake_board *fb = fb_of(hal);
    fb->write_calls++;
    if (fb->write_rc != 0)
        return fb->write_rc;
    cr_assert_leq(len, sizeof(fb->written) - fb->nwritten, "fake console overflow");
    memcpy(fb->written + fb->nwritten, buf, len);
    fb->nwritten += len;
    return 0;
}

static int fake_read(void *hal, uint8_t *buf, size_t len)
{
    struct fake_board *fb = fb_of(hal);
    fb->read_calls++;
    if (fb->read_rc != 0)
        return fb->read_rc;
    fb->read_buf = buf;
    fb->read_len = len;
    return 0;
}

static void fake_abort_read(void *hal)
{
    fb_of(hal)->abort_calls++;
}

static const struct hal_console_ops fake_console = {
    .write = fake_write,
    .read = fake_read,
    .abort_read = fake_abort_read,
};

/* --- Debug and chip --- */

static void fake_debug_out(void *hal, uint32_t proc_id, enum hal_debug_kind kind, uint32_t a,
                           uint32_t b)
{
    struct fake_board *fb = fb_of(hal);
    cr_assert_lt(fb->ndebug, FAKE_MAX_RECORDS, "too many debug calls");
    fb->debug[fb->ndebug++] = (struct fake_debug_call){proc_id, kind, a, b};
}

static const struct hal_debug_ops fake_debug = {.low_level_debug = fake_debug_out};

static void fake_service(void *hal, struct kernel *k)
{
    (void)hal;
    (void)k;
}

static bool fake_has_pending(void *hal)
{
    (void)hal;
    return false;
}

static const struct hal_chip_ops fake_chip = {
    .service_pending = fake_service,
    .has_pending = fake_has_pending,
};

/* --- A driver with every kind of slot, so Userspace-Readable Allow can succeed --- */

static struct fake_board *current_board; /* for fake_driver's command */

static struct syscall_ret fake_command(const struct driver_command *c)
{
    struct fake_board *fb = current_board;
    cr_assert_lt(fb->ncommands, FAKE_MAX_RECORDS, "too many commands");
    fb->commands[fb->ncommands++] =
        (struct fake_command_call){c->p->id, c->number, c->arg0, c->arg1};
    return ret_success_2(c->arg0, c->arg1);
}

const struct driver fake_driver = {
    .num = FAKE_DRIVER_NUM,
    .name = "fake",
    .command_count = 32,
    .upcalls = 2,
    .allow_ro = 1,
    .allow_rw = 1,
    .allow_ur = 1,
    .data_size = 8,
    .grant_cmds = ~DRIVER_CMD(0),
    .command = fake_command,
};

/* --- Set-up --- */

static void on_event(void *ctx, const struct kernel_event *ev)
{
    struct fake_board *fb = ctx;
    if (fb->nevents < FAKE_MAX_RECORDS)
        fb->events[fb->nevents++] = ev->kind;
}

uint16_t fake_host_machine(void)
{
#if defined(__x86_64__)
    return LOADER_EM_X86_64;
#elif defined(__aarch64__)
    return LOADER_EM_AARCH64;
#else
    return LOADER_EM_RISCV;
#endif
}

struct kernel_config fake_config(void)
{
    return (struct kernel_config){
        .stack_size = 0x2000,
        .heap_size = 0x1000,
        .grant_size = 0x1000,
        .upcall_queue_len = FAKE_QUEUE,
        .fault_policy = KERNEL_FAULT_STOP,
        .elf_machine = fake_host_machine(),
        .kernel_reserved = 0,
        .drv_alarm = true,
        .drv_console = true,
        .drv_low_level_debug = true,
    };
}

void fake_board_init_with(struct fake_board *fb, const struct kernel_config *cfg, size_t ram_size)
{
    memset(fb, 0, sizeof(*fb));
    fb->ram = malloc(ram_size);
    cr_assert_not_null(fb->ram);
    memset(fb->ram, FAKE_RAM_FILL, ram_size);
    fb->ram_size = ram_size;
    fb->frequency = 32768;
    fb->width = 24; /* a 24-bit counter, like an nRF52's RTC */
    /* Designated: ops tables the fake does not have (LEDs, RNG...) stay NULL. */
    fb->hal = (struct hal){
        .ctx = fb,
        .mpu = &fake_mpu,
        .proc = &fake_procs,
        .alarm = &fake_alarm,
        .console = &fake_console,
        .debug = &fake_debug,
        .chip = &fake_chip,
    };
    struct ks_region ram = {FAKE_RAM_BASE, ram_size, fb->ram};
    struct ks_region flash = {0, 0, NULL};
    cr_assert_eq(kernel_init(&fb->k, &fb->hal, cfg, ram, flash, fb->procs, FAKE_NPROCS), 0);
    fb->k.on_event = on_event;
    fb->k.event_ctx = fb;
    current_board = fb;
}

void fake_board_init(struct fake_board *fb)
{
    struct kernel_config cfg = fake_config();
    fake_board_init_with(fb, &cfg, FAKE_RAM_SIZE);
}

void fake_board_fini(struct fake_board *fb)
{
    free(fb->ram);
    fb->ram = NULL;
    if (current_board == fb)
        current_board = NULL;
}

unsigned fake_add_driver(struct fake_board *fb)
{
    int idx = kernel_add_driver(&fb->k, &fake_driver);
    cr_assert_geq(idx, 0, "fake_driver must come last, above every real driver's number");
    return (unsigned)idx;
}

struct proc *fake_proc_block(struct fake_board *fb, const struct hal_block *b)
{
    struct kernel *k = &fb->k;
    for (unsigned i = 0; i < k->nprocs; i++) {
        struct proc *p = &k->procs[i];
        if (p->state != PROC_FREE)
            continue;
        p->block = *b;
        p->grant_top = b->end;
        upcall_queue_init(&p->upcalls, k->cfg.upcall_queue_len);
        p->id = k->next_id++;
        snprintf(p->name, sizeof(p->name), "fake%u", i);
        p->state = PROC_RUNNING;
        if (b->end > k->ram_next)
            k->ram_next = b->end;
        return p;
    }
    cr_assert_fail("no free process slot");
    return NULL;
}

struct proc *fake_proc(struct fake_board *fb)
{
    const struct hal_block b = {
        .start = FAKE_START,
        .end = FAKE_END,
        .stack_start = FAKE_START,
        .stack_end = FAKE_STACK_END,
        .image_start = FAKE_IMAGE_START,
        .image_end = FAKE_IMAGE_END,
        .data_start = FAKE_DATA_START,
        .data_end = FAKE_DATA_END,
        .brk = FAKE_BRK,
        .grant_start = FAKE_GRANT_START,
    };
    return fake_proc_block(fb, &b);
}

uint8_t *fake_view(struct fake_board *fb, uintptr_t addr)
{
    cr_assert(addr >= FAKE_RAM_BASE && addr - FAKE_RAM_BASE < fb->ram_size,
              "0x%jx is not in fake RAM", (uintmax_t)addr);
    return fb->ram + (addr - FAKE_RAM_BASE);
}

uint8_t *fake_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s (build the apps first)", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    cr_assert_gt(n, 0, "%s is empty", path);
    cr_assert_eq(fseek(f, 0, SEEK_SET), 0);
    uint8_t *buf = malloc((size_t)n);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "short read of %s", path);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

struct proc *fake_load(struct fake_board *fb, const uint8_t *file, size_t len, int *rc,
                       struct loader_error *err)
{
    memset(err, 0, sizeof(*err));
    *rc = kernel_load(&fb->k, "app", file, len, err);
    return *rc >= 0 ? &fb->k.procs[*rc] : NULL;
}
