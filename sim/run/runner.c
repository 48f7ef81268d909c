/*
 * The run loop. libuv owns the event loop in both clock modes: an idle
 * handle steps the kernel while a process is ready; when none is, virtual
 * time jumps to the next alarm deadline, or (real clock) a libuv timer waits
 * for it; console input arrives through a libuv stream or file read.
 */
#define _GNU_SOURCE
#include "run/runner.h"

#include "run/driver_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "appload.h"
#include "ctl.h"
#include "debug/app_debug.h"
#include "flashwalk.h"
#include "hal_stub.h"
#include "image/appfile.h"
#include "image/flash_image.h"
#include "kernel.h"
#include "report/fault_report.h"
#include "run/console.h"
#include "run/input.h"
#include "run/machine.h"
#include "run/memmap.h"
#include "run/trace.h"

#define STEPS_PER_IDLE 256 /* kernel turns between two looks at host I/O */

struct app {
    char path[BOARD_PATH_MAX];
    char name[PROC_NAME_MAX];
    uint8_t *bytes;
    size_t len;
};

struct runner {
    const struct sim_run_options *o;
    struct sim_memmap mem;
    struct hal_stub *hal;
    struct kernel kernel;
    struct proc *procs;
    struct app *apps;
    size_t napps;
    bool bad_input;
    bool until_reached;
    bool stdin_started, stdin_eof;
    uint64_t until_ns;
    unsigned lone_spin_turns; /* a lone process preempted this many turns in a row */
    struct trace *trace;
    struct app_debug *debug; /* apps in gdb (NULL: out of memory, no debugging) */

    uv_loop_t loop;
    uv_idle_t idle;
    uv_timer_t timer;
    struct sim_input app_in; /* stdin for the console driver */
    struct console *console; /* the process console, with --console or --console-port */
    uint64_t paced_deadline; /* virtual deadline a paced timer waits for (0: none) */
};

/* A restart storm would bury everything else: the first ten, then 100, 1000 ... */
static bool restart_worth_telling(unsigned n)
{
    if (n <= 10)
        return true;
    while (n % 10 == 0)
        n /= 10;
    return n == 1;
}

static void on_kernel_event(void *ctx, const struct kernel_event *ev)
{
    struct runner *r = ctx;
    if (r->trace)
        trace_kernel_event(r->trace, ev, hal_stub_now_ns(r->hal));
    app_debug_on_event(r->debug, ev);
    switch (ev->kind) {
    case KEV_FAULT:
        fault_report_print(stderr, &r->kernel, r->hal, ev->p);
        break;
    case KEV_RESTART:
        if (restart_worth_telling(ev->p->restarts + 1))
            fprintf(stderr, "ksim: process '%s' (id %u) restarts (restart %u%s)\n", ev->p->name,
                    ev->p->id, ev->p->restarts + 1,
                    ev->p->restarts + 1 == 10 ? "; from now on only every power of ten is told"
                                              : "");
        break;
    case KEV_NO_DRIVER: {
        const char *name = sim_driver_name(ev->driver);
        fprintf(stderr, "ksim: app '%s' used driver 0x%x (%s), which this board does not have\n",
                ev->p->name, (unsigned)ev->driver, name ? name : "not one of Tock's");
        break;
    }
    case KEV_PANIC:
        fprintf(stderr, "ksim: kernel panic: fault policy 'panic' after process '%s' faulted\n",
                ev->p->name);
        break;
    case KEV_EVICT:
        fprintf(stderr,
                "ksim: process '%s' (id %u) evicted to make room for '%s' (memory pressure): "
                "it restarts when RAM is free\n",
                ev->p->name, ev->p->id, ev->cause ? ev->cause->name : "?");
        break;
    case KEV_READMIT:
        fprintf(stderr, "ksim: process '%s' has RAM again: it restarts from the beginning\n",
                ev->p->name);
        break;
    default:
        break;
    }
}

/* LEDs, GPIO and buttons as trace events (hal-stub already printed the line). */
static void on_io_change(void *ctx, const char *kind, const char *detail, uint64_t now_ns)
{
    struct runner *r = ctx;
    if (r->trace)
        trace_instant(r->trace, kind, detail, now_ns);
}

static int setup(struct runner *r, char *err, size_t errlen)
{
    const struct board *b = r->o->board;
    int flash_fd = -1;
    if (r->o->flash_image) {
        flash_fd = flash_image_open_for_run(r->o->flash_image, b->flash.size, err, errlen);
        if (flash_fd < 0)
            return -1;
    }
    if (sim_machine_setup(b, r->o->board_file, flash_fd, &r->mem, &r->hal, &r->kernel, &r->procs,
                          err, errlen) != 0)
        return -1;
    r->debug = app_debug_create(&r->mem, r->hal, b->process.max_processes);
    r->kernel.on_event = on_kernel_event;
    r->kernel.event_ctx = r;
    if (r->o->trace_path) {
        r->trace = trace_open(r->o->trace_path, r->o->trace_filter, b->name, err, errlen);
        if (!r->trace)
            return -1;
        r->kernel.trace_syscalls = true;
        hal_stub_set_io_observer(r->hal, on_io_change, r);
    }
    return 0;
}

static void resolve_path(const struct board *b, const char *path, char *out, size_t cap)
{
    int n = (path[0] == '/' || b->dir[0] == '\0') ? snprintf(out, cap, "%s", path)
                                                  : snprintf(out, cap, "%s/%s", b->dir, path);
    if (n < 0 || (size_t)n >= cap)
        snprintf(out, cap, "%s", path); /* too long to join: the app file error will say so */
}

/* Puts --press and --gpio inputs on the HAL's schedule; -1 for one the board cannot take. */
static int schedule_inputs(struct runner *r)
{
    const struct board *b = r->o->board;
    for (size_t i = 0; i < r->o->ninputs; i++) {
        const struct sim_stimulus *in = &r->o->inputs[i];
        bool button = in->kind == SIM_STIM_BUTTON;
        enum hal_stub_input_kind kind = button ? HAL_STUB_INPUT_BUTTON : HAL_STUB_INPUT_PIN;
        if (hal_stub_schedule_input(r->hal, kind, in->index, in->level,
                                    (uint64_t)(in->t_s * 1e9)) == 0)
            continue;
        fprintf(stderr, "ksim: %s: %s %u: board '%s' has %u %s\n", button ? "--press" : "--gpio",
                button ? "button" : "pin", in->index, b->name,
                button ? b->drivers.button_count : b->drivers.gpio_count,
                button ? "buttons (drivers.button.count)" : "GPIO pins (drivers.gpio.count)");
        return -1;
    }
    return 0;
}

/* Loads one app (ELF or TBF) as a new process. 0, or -1 with the file, field, offset and reason in
 * msg. */
static int load_app(struct runner *r, struct app *a, char *msg, size_t cap)
{
    struct appload_error e;
    if (sim_read_file(a->path, &a->bytes, &a->len, msg, cap) != 0)
        return -1;
    sim_app_name(a->path, a->name, sizeof(a->name));
    if (kernel_ctl_load(&r->kernel, a->name, a->bytes, a->len, &e) >= 0)
        return 0;
    sim_appload_message(a->path, &e, r->o->board->name, msg, cap);
    return -1;
}

/* A refused app is reported and the others still run; the exit status says so. */
static void load_app_or_report(struct runner *r, struct app *a)
{
    char msg[768];
    if (load_app(r, a, msg, sizeof(msg)) != 0) {
        fprintf(stderr, "ksim: %s\n", msg);
        r->bad_input = true;
    }
}

/* What the flash walk found: refusals are bad input, an interrupted write only a note. */
static void on_flash_object(void *ctx, const struct flashwalk_entry *e, int slot,
                            const struct appload_error *err)
{
    struct runner *r = ctx;
    char where[600], msg[900];
    snprintf(where, sizeof(where), "%s: app at flash offset 0x%x", r->o->flash_image, e->offset);
    switch (e->kind) {
    case FLASHWALK_APP:
        if (slot >= 0)
            return;
        sim_appload_message(where, err, r->o->board->name, msg, sizeof(msg));
        fprintf(stderr, "ksim: %s\n", msg);
        r->bad_input = true;
        break;
    case FLASHWALK_BROKEN:
        fprintf(stderr, "ksim: %s: TBF field '%s' at offset 0x%x: %s (value 0x%x); skipped\n",
                where, tbf_why_field(e->err.why), e->offset + e->err.offset,
                tbf_why_text(e->err.why), (unsigned)e->err.value);
        r->bad_input = true;
        break;
    case FLASHWALK_INCOMPLETE:
        fprintf(stderr,
                "ksim: %s: claims %u bytes, past the end of flash (an interrupted "
                "write?); the walk ends here\n",
                where, e->total_size);
        break;
    default: /* disabled apps and padding are not started, as on Tock */
        break;
    }
}

static void load_apps(struct runner *r)
{
    const struct board *b = r->o->board;
    if (r->o->flash_image) /* flash first, as Tock's kernel finds its apps there */
        flashwalk_boot(&r->kernel, on_flash_object, r);
    r->napps = b->app_count + r->o->napps;
    r->apps = calloc(r->napps ? r->napps : 1, sizeof(*r->apps));
    if (!r->apps) {
        r->napps = 0;
        return;
    }
    for (size_t i = 0; i < b->app_count; i++)
        resolve_path(b, b->apps[i], r->apps[i].path, sizeof(r->apps[i].path));
    for (size_t i = 0; i < r->o->napps; i++)
        snprintf(r->apps[b->app_count + i].path, BOARD_PATH_MAX, "%s", r->o->apps[i]);
    for (size_t i = 0; i < r->napps; i++)
        load_app_or_report(r, &r->apps[i]);
}

/* --- console input for apps -------------------------------------------------- */

static void kick(struct runner *r);

static void on_app_input(void *ctx, const char *buf, size_t len)
{
    struct runner *r = ctx;
    hal_stub_console_input(r->hal, (const uint8_t *)buf, len);
    kick(r);
}

static void on_app_input_eof(void *ctx)
{
    struct runner *r = ctx;
    r->stdin_eof = true;
    hal_stub_console_eof(r->hal);
    kick(r);
}

/* Starts reading stdin the first time a process asks for console input. */
static void start_stdin(struct runner *r)
{
    r->stdin_started = true;
    sim_input_start(&r->app_in, &r->loop, STDIN_FILENO, on_app_input, on_app_input_eof, r);
}

/* --- stepping the kernel ------------------------------------------------------ */

static void on_idle(uv_idle_t *h);

static void kick(struct runner *r)
{
    if (!uv_is_active((uv_handle_t *)&r->idle))
        uv_idle_start(&r->idle, on_idle);
}

static void finish(struct runner *r)
{
    uv_idle_stop(&r->idle);
    uv_timer_stop(&r->timer);
    uv_stop(&r->loop);
}

static bool until_passed(struct runner *r, uint64_t t)
{
    if (r->o->until_set && t >= r->until_ns) {
        r->until_reached = true;
        return true;
    }
    return false;
}

static void on_timer(uv_timer_t *t)
{
    struct runner *r = t->data;
    if (r->paced_deadline) {
        uint64_t target = r->paced_deadline;
        r->paced_deadline = 0;
        if (until_passed(r, target)) {
            finish(r);
            return;
        }
        hal_stub_advance_to(r->hal, target);
    }
    hal_stub_poll_clock(r->hal);
    kick(r);
}

/* Nothing is ready: let time pass until something can be. */
static void wait_for_events(struct runner *r)
{
    bool real = r->o->board->clock.mode == BOARD_CLOCK_REAL;
    uint64_t deadline, now = hal_stub_now_ns(r->hal);
    bool has_deadline = hal_stub_deadline_ns(r->hal, &deadline);

    /* stdin belongs to the process console when it reads there. */
    if (hal_stub_console_reading(r->hal) && !r->stdin_started && !r->o->console)
        start_stdin(r);
    if (has_deadline && !real && r->console) {
        /* A person is at the console: virtual time goes no faster than real time. */
        uv_idle_stop(&r->idle);
        r->paced_deadline = deadline;
        uint64_t wait_ms = deadline > now ? (deadline - now) / 1000000 : 0;
        uv_timer_start(&r->timer, on_timer, wait_ms, 0);
        return;
    }
    if (has_deadline && !real) {
        if (until_passed(r, deadline)) {
            finish(r);
            return;
        }
        hal_stub_advance_to(r->hal, deadline); /* virtual time jumps */
        return;                                /* the idle handle goes on */
    }
    uv_idle_stop(&r->idle);
    if (has_deadline || (real && r->o->until_set)) {
        uint64_t target = has_deadline ? deadline : r->until_ns;
        if (r->o->until_set && target > r->until_ns)
            target = r->until_ns;
        uint64_t wait_ms = target > now ? (target - now + 999999) / 1000000 : 0;
        uv_timer_start(&r->timer, on_timer, wait_ms, 0);
        return;
    }
    if (hal_stub_console_reading(r->hal) || r->console)
        return; /* input can still come */
    /* Virtual time with --until runs out to it, as real time would: alive is not stuck. */
    if (r->o->until_set)
        until_passed(r, r->until_ns);
    finish(r); /* nothing can ever wake anyone: deadlock, reported after */
}

/*
 * A lone process computing for this many turns in a row (about a second of
 * host CPU) is taken to spin for ever, and --until comes at once; a shorter
 * spin, as tests and busy-waits make, is charged turn by turn.
 */
#define LONE_SPIN_TURNS_TO_UNTIL 100

/*
 * Virtual time while a process computes: a preempted process was charged
 * its timeslice; if it is the only one ready, nothing but time can change
 * what it sees, so time jumps to the next deadline (or to --until).
 */
static void skip_spinning(struct runner *r)
{
    uint64_t deadline;
    if (r->o->board->clock.mode != BOARD_CLOCK_VIRTUAL)
        return;
    if (r->kernel.turn_used_up) {
        /* It polls (1000 calls without waiting): charge a timeslice, no jump,
         * since what it reads of the clock may be what it waits for. */
        hal_stub_charge_timeslice(r->hal);
        return;
    }
    if (!hal_stub_last_preempted(r->hal) || r->kernel.sched.count != 1) {
        r->lone_spin_turns = 0;
        return;
    }
    r->lone_spin_turns++;
    if (hal_stub_deadline_ns(r->hal, &deadline))
        hal_stub_advance_to(r->hal, deadline);
    else if (r->o->until_set && r->lone_spin_turns >= LONE_SPIN_TURNS_TO_UNTIL)
        hal_stub_advance_to(r->hal, r->until_ns); /* a pure spinner cannot even read the clock */
}

static void on_idle(uv_idle_t *h)
{
    struct runner *r = h->data;
    enum kernel_status st = KERNEL_RUNNABLE;
    for (int i = 0; i < STEPS_PER_IDLE && st == KERNEL_RUNNABLE; i++) {
        st = kernel_step(&r->kernel);
        skip_spinning(r);
        if (until_passed(r, hal_stub_now_ns(r->hal)))
            break; /* checked every turn: a turn can be a whole timeslice */
    }
    if (r->until_reached || st == KERNEL_PANIC || (st == KERNEL_DONE && !r->console)) {
        finish(r);
        return;
    }
    if (st == KERNEL_DONE) { /* the console stays until quit */
        uv_idle_stop(&r->idle);
        return;
    }
    const struct hal *hal = hal_stub_hal(r->hal);
    if (st == KERNEL_IDLE && !hal->chip->has_pending(hal->ctx))
        wait_for_events(r);
}

static const char *wait_text(const struct proc *p)
{
    return p->state == PROC_YIELDED_FOR ? "yield-wait-for" : "yield-wait";
}

/* Processes that can never run again get named, with what they wait on. */
static bool report_blocked(struct runner *r)
{
    bool any = false;
    for (unsigned i = 0; i < r->kernel.nprocs; i++) {
        const struct proc *p = &r->procs[i];
        if (p->state == PROC_EVICTED) {
            any = true;
            fprintf(stderr, "ksim: process '%s' was evicted and never got RAM back\n", p->name);
        }
        if (!proc_is_alive(p))
            continue;
        any = true;
        fprintf(stderr, "ksim: process '%s' (id %u) waits forever in %s", p->name, p->id,
                wait_text(p));
        if (p->state == PROC_YIELDED_FOR)
            fprintf(stderr, " for driver 0x%x upcall %u", p->waitfor_driver, p->waitfor_number);
        fprintf(stderr, ": no alarm is set and %s\n",
                r->stdin_eof ? "console input has ended" : "no input is awaited");
    }
    return any;
}

static int exit_status(struct runner *r, bool blocked)
{
    bool faulted = false, nonzero = false;
    if (r->kernel.panicked)
        return SIM_EXIT_PANIC;
    for (unsigned i = 0; i < r->kernel.nprocs; i++) {
        const struct proc *p = &r->procs[i];
        faulted |= p->faults > 0;
        nonzero |= p->state == PROC_TERMINATED && p->completion_code != 0;
    }
    if (faulted)
        return SIM_EXIT_FAULT;
    if (r->bad_input)
        return SIM_EXIT_BAD_INPUT;
    if (nonzero || blocked)
        return SIM_EXIT_APP_ERROR;
    return SIM_EXIT_OK;
}

static void close_handle(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

/* --- the process console's view of the run ----------------------------------- */

static int console_load(void *ctx, const char *path, char *msg, size_t cap)
{
    struct runner *r = ctx;
    struct app *grown = realloc(r->apps, (r->napps + 1) * sizeof(*r->apps));
    if (!grown) {
        snprintf(msg, cap, "out of memory");
        return -1;
    }
    r->apps = grown;
    struct app *a = &r->apps[r->napps++];
    memset(a, 0, sizeof(*a));
    snprintf(a->path, sizeof(a->path), "%s", path);
    return load_app(r, a, msg, cap);
}

static int console_press(void *ctx, unsigned button, char *msg, size_t cap)
{
    struct runner *r = ctx;
    if (button >= r->o->board->drivers.button_count) {
        snprintf(msg, cap, "board '%s' has %u buttons", r->o->board->name,
                 r->o->board->drivers.button_count);
        return -1;
    }
    /* Pressed now, released a tenth of a second later, as --press does. */
    hal_stub_button(r->hal, button, true);
    return hal_stub_schedule_input(r->hal, HAL_STUB_INPUT_BUTTON, button, false,
                                   hal_stub_now_ns(r->hal) + 100000000u);
}

static void console_quit(void *ctx)
{
    struct runner *r = ctx;
    r->until_reached = true; /* an orderly end, as --until is */
    finish(r);
}

static void console_kick(void *ctx)
{
    kick(ctx);
}

static int start_console(struct runner *r, char *err, size_t errlen)
{
    const struct console_host host = {
        .kernel = &r->kernel,
        .hal = r->hal,
        .trace = r->trace,
        .board_name = r->o->board->name,
        .load = console_load,
        .press = r->o->board->drivers.button_count ? console_press : NULL,
        .quit = console_quit,
        .kick = console_kick,
        .ctx = r,
    };
    r->console = console_start(&r->loop, &host, r->o->console, r->o->console_port, err, errlen);
    return r->console ? 0 : -1;
}

_Static_assert(SIM_CONSOLE_PORT_ANY == CONSOLE_PORT_ANY, "runner.h and console.h: one meaning");

static void teardown(struct runner *r)
{
    console_stop(r->console);
    r->console = NULL;
    trace_close(r->trace); /* still open only when run() ended early */
    r->trace = NULL;
    uv_walk(&r->loop, close_handle, NULL);
    uv_run(&r->loop, UV_RUN_DEFAULT);
    uv_loop_close(&r->loop);
    app_debug_destroy(r->debug); /* before the memory the apps' code lived in goes */
    r->debug = NULL;
    sim_machine_teardown(&r->mem, r->hal, r->procs);
    for (size_t i = 0; i < r->napps; i++)
        free(r->apps[i].bytes);
    free(r->apps);
}

/*
 * Everything of a run between setup and teardown, in order; returns an enum
 * sim_exit. Every early return leaves the cleanup to sim_run's one exit:
 * teardown closes what is still open (the trace and console included), so
 * nothing here closes anything that teardown might close again.
 */
static int run(struct runner *r)
{
    const struct sim_run_options *o = r->o;
    char err[BOARD_ERR_MAX];

    if (setup(r, err, sizeof(err)) != 0) {
        fprintf(stderr, "ksim: %s\n", err);
        return SIM_EXIT_BAD_INPUT;
    }
    if (schedule_inputs(r) != 0)
        return SIM_EXIT_BAD_INPUT;
    if (o->board->isolation == BOARD_ISOLATION_OFF)
        fprintf(stderr, "ksim: isolation off: stray loads and stores between processes are "
                        "not caught (system-call checks still apply)\n");
    load_apps(r);
    if (o->inspect) {
        const struct sim_loaded loaded = {o->board, &r->kernel, r->hal};
        return r->bad_input ? SIM_EXIT_BAD_INPUT : o->inspect(o->inspect_ctx, &loaded);
    }
    if ((o->console || o->console_port != 0) && start_console(r, err, sizeof(err)) != 0) {
        fprintf(stderr, "ksim: %s\n", err);
        return SIM_EXIT_BAD_INPUT;
    }
    if (r->napps == 0 && !r->console && !o->flash_image)
        fprintf(stderr, "ksim: no apps to run (give app files, or list them under \"apps\" "
                        "in the board file)\n");
    uv_idle_start(&r->idle, on_idle);
    uv_run(&r->loop, UV_RUN_DEFAULT);
    bool blocked = false;
    enum kernel_status end = kernel_status(&r->kernel);
    if (!r->until_reached && (end == KERNEL_IDLE || end == KERNEL_DONE))
        blocked = report_blocked(r);
    int status = exit_status(r, blocked);
    /* Closed here, not in teardown, so that a trace cut short changes the status. */
    struct trace *t = r->trace;
    r->trace = NULL;
    if (t && trace_close(t) != 0) {
        fprintf(stderr, "ksim: --trace: %s: could not write the whole trace\n", o->trace_path);
        if (status == SIM_EXIT_OK)
            status = SIM_EXIT_BAD_INPUT;
    }
    return status;
}

int sim_run(const struct sim_run_options *o)
{
    struct runner *r = calloc(1, sizeof(*r));
    if (!r)
        return SIM_EXIT_PANIC;
    r->o = o;
    r->until_ns = o->until_set ? (uint64_t)(o->until_s * 1e9) : 0;
    uv_loop_init(&r->loop);
    uv_idle_init(&r->loop, &r->idle);
    uv_timer_init(&r->loop, &r->timer);
    r->idle.data = r->timer.data = r;
    int status = run(r);
    teardown(r); /* the one cleanup, whichever way run() ended */
    free(r);
    return status;
}
