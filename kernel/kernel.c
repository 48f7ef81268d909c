/*
 * The kernel's main loop, process loading and upcall scheduling. Tock's
 * shape: service interrupts, pick a ready process, run it until it stops,
 * handle why it stopped.
 */
#include "kernel.h"

#include "err.h"
#include "grant.h"
#include "klib.h"
#include "placement.h"
#include "syscall.h"

/* System calls a process may make in one turn before others get a go. */
#define KERNEL_TURN_SYSCALLS 1000

int kernel_init(struct kernel *k, const struct hal *hal, const struct kernel_config *cfg,
                struct ks_region ram, struct ks_region flash, struct proc *procs, unsigned nprocs)
{
    if (nprocs == 0 || nprocs > SCHED_MAX_PROCS || cfg->kernel_reserved >= ram.size)
        return -KS_EINVAL;
    klib_fill(k, 0, sizeof(*k));
    k->hal = hal;
    k->cfg = *cfg;
    k->ram = ram;
    k->flash = flash;
    k->ram_next = ram.base + cfg->kernel_reserved;
    k->procs = procs;
    k->nprocs = nprocs;
    k->next_id = 0;
    k->current = -1;
    k->last_run = -1;
    k->console.tx_slot = -1;
    k->console.rx_slot = -1;
    sched_init(&k->sched, cfg->sched_kind);
    klib_fill(procs, 0, sizeof(*procs) * nprocs);
    for (unsigned i = 0; i < nprocs; i++)
        procs[i].slot = i;
    /* Every driver ksim has, in ascending number order (kernel_add_driver's rule). */
    const struct {
        bool enabled;
        const struct driver *driver;
    } drivers[] = {
        {cfg->drv_alarm, &drv_alarm},
        {cfg->drv_console, &drv_console},
        {cfg->drv_led, &drv_led},
        {cfg->drv_button, &drv_button},
        {cfg->drv_gpio, &drv_gpio},
        {cfg->drv_low_level_debug, &drv_low_level_debug},
        {cfg->drv_ipc, &drv_ipc},
        {cfg->drv_rng, &drv_rng},
        {cfg->drv_app_flash, &drv_app_flash},
        {cfg->drv_temperature, &drv_temperature},
        {cfg->drv_humidity, &drv_humidity},
        {cfg->drv_ambient_light, &drv_ambient_light},
        {cfg->drv_ninedof, &drv_ninedof},
        {cfg->drv_proximity, &drv_proximity},
        {cfg->drv_sound_pressure, &drv_sound_pressure},
        {cfg->drv_air_quality, &drv_air_quality},
        {cfg->drv_moisture, &drv_moisture},
        {cfg->drv_rainfall, &drv_rainfall},
    };
    for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
        if (drivers[i].enabled && kernel_add_driver(k, drivers[i].driver) < 0)
            return -KS_EINVAL;
    return 0;
}

void kernel_emit_event(struct kernel *k, const struct kernel_event *ev)
{
    if (k->on_event)
        k->on_event(k->event_ctx, ev);
}

void kernel_emit(struct kernel *k, enum kernel_event_kind kind, const struct proc *p)
{
    struct kernel_event ev = {kind, p, 0, NULL, NULL, NULL, NULL, 0};
    kernel_emit_event(k, &ev);
}

void kernel_note_missing_driver(struct kernel *k, struct proc *p, uint32_t driver)
{
    for (unsigned i = 0; i < p->nmissing_drivers; i++)
        if (p->missing_drivers[i] == driver)
            return; /* told already */
    if (p->nmissing_drivers >= PROC_MISSING_DRIVERS_MAX)
        return; /* enough said */
    p->missing_drivers[p->nmissing_drivers++] = driver;
    struct kernel_event ev = {KEV_NO_DRIVER, p, 0, NULL, NULL, NULL, NULL, driver};
    kernel_emit_event(k, &ev);
}

void kernel_trace_upcall(struct kernel *k, const struct proc *p, const struct upcall_event *u)
{
    if (k->trace_syscalls) {
        struct kernel_event ev = {KEV_UPCALL, p, 0, NULL, NULL, u, NULL, 0};
        kernel_emit_event(k, &ev);
    }
}

struct proc *kernel_proc_by_id(struct kernel *k, int slot, uint32_t id)
{
    if (slot < 0 || (unsigned)slot >= k->nprocs)
        return NULL;
    struct proc *p = &k->procs[slot];
    return proc_is_alive(p) && p->id == id ? p : NULL;
}

static struct proc *free_slot(struct kernel *k)
{
    for (unsigned i = 0; i < k->nprocs; i++)
        if (k->procs[i].state == PROC_FREE)
            return &k->procs[i];
    return NULL;
}

/*
 * The heap request: the board's, or more when the app asks for a bigger
 * block (a TBF's minimum_ram_size) than stack, image, data and grant fill.
 */
static size_t heap_request(const struct kernel *k, const struct loader_image *img, size_t min_ram)
{
    uint64_t fixed =
        (uint64_t)k->cfg.stack_size + img->data_offset + img->data_size + k->cfg.grant_size;
    if (min_ram > fixed + k->cfg.heap_size)
        return (size_t)(min_ram - fixed);
    return k->cfg.heap_size;
}

void kernel_block_request(const struct kernel *k, const struct loader_image *img, size_t min_ram,
                          struct hal_block_req *req)
{
    *req = (struct hal_block_req){
        .stack_size = k->cfg.stack_size,
        .image_size = (size_t)img->image_size,
        .data_offset = (size_t)img->data_offset,
        .data_size = (size_t)img->data_size,
        .heap_size = heap_request(k, img, min_ram),
        .grant_size = k->cfg.grant_size,
        .image_align = (size_t)img->align,
    };
}

int kernel_plan_block(const struct kernel *k, const struct loader_image *img, size_t min_ram,
                      uintptr_t free_start, uintptr_t free_end, struct hal_block *b)
{
    struct hal_block_req req;
    kernel_block_request(k, img, min_ram, &req);
    return k->hal->mpu->plan_block(k->hal->ctx, free_start, free_end, &req, b);
}

int kernel_load_app(struct kernel *k, const struct kernel_app *app, const struct loader_image *img,
                    struct loader_error *err)
{
    struct hal_block block = {0};
    struct proc *p;
    int rc;

    err->why = LOADER_NONE;
    p = free_slot(k);
    if (!p)
        return -KS_ENOMEM;
    /* The record first (the slot stays free until the start): placement reads it. */
    p->file = app->elf;
    p->file_len = app->elf_len;
    p->image = *img;
    p->min_ram = app->min_ram;
    p->flash_start = app->flash_len ? app->flash_start : 0;
    p->flash_end = app->flash_len ? app->flash_start + app->flash_len : 0;
    p->nflash_regions = app->nflash_regions;
    klib_copy(p->flash_regions, app->flash_regions, sizeof(p->flash_regions));
    p->restarts = p->faults = p->evictions = 0;
    p->nmissing_drivers = 0; /* a new app in this slot */
    p->syscalls = 0;
    klib_strlcpy(p->name, app->name, sizeof(p->name));
    if (placement_for_new(k, p, &block) != 0) {
        err->why = LOADER_NO_ROOM;
        err->value = img->data_offset + img->data_size;
        return -KS_ENOMEM;
    }
    proc_set_block(p, &block);
    rc = proc_start(k, p, err);
    if (rc) {
        proc_to_free(p);
        return rc;
    }
    k->ram_next = block.end;
    return (int)p->slot;
}

int kernel_load(struct kernel *k, const char *name, const uint8_t *file, size_t len,
                struct loader_error *err)
{
    struct loader_image img;
    const struct kernel_app app = {.name = name, .elf = file, .elf_len = len};
    int rc = loader_parse(file, len, k->cfg.elf_machine, &img, err);
    if (rc)
        return rc;
    return kernel_load_app(k, &app, &img, err);
}

/* Would this upcall wake p from its yield? */
static bool wakes(struct kernel *k, struct proc *p, unsigned idx, uint32_t number)
{
    const struct driver *d = k->drivers[idx];
    struct grant_view g;
    if (p->state == PROC_YIELDED_FOR)
        return p->waitfor_driver == d->num && p->waitfor_number == number;
    if (p->state != PROC_YIELDED)
        return false;
    return number < d->upcalls && grant_peek(k, p, idx, &g) && g.upcalls[number].fn != 0;
}

void kernel_schedule_upcall(struct kernel *k, struct proc *p, unsigned idx, uint32_t number,
                            uintptr_t a0, uintptr_t a1, uintptr_t a2)
{
    struct upcall_event ev = {k->drivers[idx]->num, number, {a0, a1, a2}};
    if (!proc_is_alive(p) || !upcall_queue_push(&p->upcalls, &ev))
        return; /* a full queue drops the event, as Tock's does */
    if (wakes(k, p, idx, number))
        proc_make_ready(k, p);
}

/* Prepares how a woken process resumes; false if it has nothing to resume for. */
static bool prepare_resume(struct kernel *k, struct proc *p)
{
    const struct hal *hal = k->hal;
    static const uintptr_t zeros[4] = {0, 0, 0, 0};

    if (p->state == PROC_YIELDED) {
        if (!proc_take_deliverable(k, p))
            return false;
        hal->proc->set_return(hal->ctx, p->slot, zeros);
        hal->proc->push_upcall(hal->ctx, p->slot, p->deliver_fn, p->deliver_args);
    } else if (p->state == PROC_YIELDED_FOR) {
        uintptr_t regs[4];
        if (!proc_take_waited_for(k, p, regs))
            return false;
        hal->proc->set_return(hal->ctx, p->slot, regs);
    }
    return proc_to_running(p);
}

/* Handles a system call stop; true if the process goes on running this turn. */
static bool on_syscall(struct kernel *k, struct proc *p, struct hal_stop *stop)
{
    const struct hal *hal = k->hal;
    uintptr_t in[4];
    p->syscalls++;
    if (k->trace_syscalls)
        klib_copy(in, stop->regs, sizeof(in));
    enum syscall_next next = syscall_handle(k, p, stop->syscall_class, stop->regs);
    if (k->trace_syscalls) {
        bool returned = next == SYSCALL_RETURN || next == SYSCALL_UPCALL;
        struct kernel_event ev = {KEV_SYSCALL, p, stop->syscall_class, in, NULL, NULL, NULL, 0};
        ev.out = returned ? stop->regs : NULL;
        kernel_emit_event(k, &ev);
    }
    switch (next) {
    case SYSCALL_RETURN:
        hal->proc->set_return(hal->ctx, p->slot, stop->regs);
        return true;
    case SYSCALL_UPCALL:
        hal->proc->set_return(hal->ctx, p->slot, stop->regs);
        hal->proc->push_upcall(hal->ctx, p->slot, p->deliver_fn, p->deliver_args);
        return true;
    case SYSCALL_FAULT: {
        struct hal_fault f = p->last_fault;
        proc_fault(k, p, &f);
        return false;
    }
    case SYSCALL_BLOCK:
    case SYSCALL_EXITED:
    default:
        return false;
    }
}

/*
 * Priority scheduling, as Tock's PrioritySched: after a system call the turn
 * ends when a higher-priority process became ready (IPC, say) or an
 * interrupt waits to be serviced; p goes back to the queue and, if it is
 * still the highest, runs again at once.
 */
static bool gives_way(struct kernel *k, const struct proc *p)
{
    if (k->sched.kind != SCHED_PRIORITY)
        return false;
    return sched_outranked(&k->sched, p->slot) || k->hal->chip->has_pending(k->hal->ctx);
}

/* Runs p for one turn: until it blocks, exits, faults or uses up its turn. */
static void run_turn(struct kernel *k, struct proc *p)
{
    const struct hal *hal = k->hal;
    struct hal_stop stop;

    hal->mpu->activate(hal->ctx, p->slot, &p->block);
    k->current = (int)p->slot;
    if (k->last_run != (int)p->slot) {
        k->last_run = (int)p->slot;
        kernel_emit(k, KEV_SWITCH, p);
    }
    for (unsigned n = 0; n < KERNEL_TURN_SYSCALLS; n++) {
        hal->proc->run(hal->ctx, p->slot, &stop);
        bool goes_on = false;
        switch (stop.kind) {
        case HAL_STOP_SYSCALL:
            goes_on = on_syscall(k, p, &stop);
            break;
        case HAL_STOP_FAULT:
            proc_fault(k, p, &stop.fault);
            break;
        case HAL_STOP_RETURNED: /* ABI.md: returning from _start is exit 0 */
            proc_terminate(k, p, 0);
            break;
        case HAL_STOP_PREEMPTED:
        default:
            proc_make_ready(k, p);
            break;
        }
        if (!goes_on) {
            k->current = -1;
            return;
        }
        if (gives_way(k, p))
            break;
    }
    k->current = -1;
    k->turn_used_up = true;
    proc_make_ready(k, p); /* turn used up: to the back of the queue */
}

enum kernel_status kernel_status(const struct kernel *k)
{
    bool evicted = false;
    if (k->panicked)
        return KERNEL_PANIC;
    if (!sched_empty(&k->sched))
        return KERNEL_RUNNABLE;
    for (unsigned i = 0; i < k->nprocs; i++)
        evicted |= k->procs[i].state == PROC_EVICTED;
    if (evicted && k->ram_freed)
        return KERNEL_RUNNABLE; /* the next step brings evicted processes back */
    for (unsigned i = 0; i < k->nprocs; i++)
        if (proc_is_alive(&k->procs[i]))
            return KERNEL_IDLE;
    return KERNEL_DONE;
}

enum kernel_status kernel_step(struct kernel *k)
{
    const struct hal *hal = k->hal;
    unsigned slot;

    if (hal->chip->has_pending(hal->ctx))
        hal->chip->service_pending(hal->ctx, k);
    if (k->ram_freed)
        placement_readmit(k);
    k->turn_used_up = false;
    if (!k->panicked && sched_pop(&k->sched, &slot)) {
        struct proc *p = &k->procs[slot];
        p->ready_queued = false;
        if (!p->stopped && prepare_resume(k, p))
            run_turn(k, p);
    }
    if (k->panicked)
        return KERNEL_PANIC;
    return sched_empty(&k->sched) ? kernel_status(k) : KERNEL_RUNNABLE;
}
