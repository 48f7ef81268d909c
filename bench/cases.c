/*
 * The cases. Each takes samples until its budget is spent, interleaving
 * ksim's measurement with its baseline's so both see the same machine state.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "bench_sizes.h"
#include "board/board.h"
#include "board/board_config.h"
#include "hal_internal.h"
#include "hal_stub.h"
#include "image/appfile.h"
#include "kernel.h"
#include "run/memmap.h"
#include "run/runner.h"

/* Virtual seconds apps/sleep sleeps (SLEEP_SECONDS there); checked from its output. */
#define SLEEP_APP_SECONDS 3600.0

#define RUN_MAX_APPS 256 /* the largest `scale` point */

/* --- boards and app paths -------------------------------------------------------- */

enum board_kind {
    BOARD_MPU,     /* the built-in default board */
    BOARD_OFF,     /* the same with --isolation off */
    BOARD_SCALE,   /* room for RUN_MAX_APPS small processes, isolation off */
    BOARD_PROCESS, /* the default board with --isolation process */
    BOARD_KINDS,
};

static const struct board *get_board(enum board_kind kind)
{
    static struct board boards[BOARD_KINDS]; /* large (the app list): not on the stack */
    static bool made[BOARD_KINDS];
    struct board *b = &boards[kind];
    if (!made[kind]) {
        board_default(b);
        if (kind != BOARD_MPU)
            b->isolation = kind == BOARD_PROCESS ? BOARD_ISOLATION_PROCESS : BOARD_ISOLATION_OFF;
        if (kind == BOARD_SCALE) {
            b->process.max_processes = RUN_MAX_APPS;
            b->process.heap_size = 16384;
            b->ram.size = 64u << 20;
        }
        made[kind] = true;
    }
    return b;
}

/* build/apps/NAME.elf; the strings live as long as the program. */
static const char *app(const struct bench_ctx *c, const char *name)
{
    static struct {
        const char *name;
        char path[BOARD_PATH_MAX];
    } cache[16];
    for (size_t i = 0; i < sizeof(cache) / sizeof(cache[0]); i++) {
        if (!cache[i].name) {
            cache[i].name = name;
            snprintf(cache[i].path, sizeof(cache[i].path), "%s/%s.elf", c->paths.apps, name);
        }
        if (strcmp(cache[i].name, name) == 0)
            return cache[i].path;
    }
    abort(); /* more app names than the cache: a bench bug */
}

/* --- in-process runs ------------------------------------------------------------- */

/* One `ksim run`: which board, which apps in load order, and --trace. */
struct run {
    const struct board *board;
    const char *apps[RUN_MAX_APPS];
    size_t napps;
    const char *trace;
    bool wall; /* time it by the clock: the work is in other processes too */
};

static void run_add(struct run *r, const char *path, size_t times)
{
    for (size_t i = 0; i < times && r->napps < RUN_MAX_APPS; i++)
        r->apps[r->napps++] = path;
}

/* Copies what a failed run said on stderr (captured in fd) to stderr. */
static void replay(int fd)
{
    char buf[4096];
    ssize_t n;
    off_t at = 0;
    while ((n = pread(fd, buf, sizeof(buf), at)) > 0) {
        fwrite(buf, 1, (size_t)n, stderr);
        at += n;
    }
}

/*
 * One whole in-process `ksim run`: seconds, or < 0 if it did not exit 0.
 * The apps' console output goes to /dev/null (it is not the job); ksim's own
 * messages are kept aside and shown only if the run fails.
 */
static double timed_run(const struct run *r)
{
    struct sim_run_options o = {
        .board = r->board,
        .board_file = "<default>",
        .apps = r->apps,
        .napps = r->napps,
        .trace_path = r->trace,
    };
    int out = bench_stdout_mute();
    int err = memfd_create("ksim-bench-stderr", MFD_CLOEXEC);
    int saved_err = err >= 0 ? dup(STDERR_FILENO) : -1;
    if (saved_err >= 0)
        dup2(err, STDERR_FILENO);
    uint64_t t0 = r->wall ? bench_now_ns() : bench_cpu_ns();
    int status = sim_run(&o);
    uint64_t t1 = r->wall ? bench_now_ns() : bench_cpu_ns();
    if (saved_err >= 0) {
        dup2(saved_err, STDERR_FILENO);
        close(saved_err);
    }
    bench_stdout_restore(out);
    if (status != SIM_EXIT_OK) {
        if (err >= 0)
            replay(err);
        fprintf(stderr, "ksim-bench: ksim run %s%s ended with status %d\n", r->apps[0],
                r->napps > 1 ? " ..." : "", status);
    }
    if (err >= 0)
        close(err);
    return status == SIM_EXIT_OK ? (double)(t1 - t0) / 1e9 : -1;
}

static struct run one_app(const struct board *b, const char *path, const char *trace)
{
    struct run r = {.board = b, .trace = trace};
    run_add(&r, path, 1);
    return r;
}

/*
 * Per-operation cost: a run doing count operations minus a run of the same
 * apps with empty loops, divided by count. Start-up, loading and exit cancel
 * out; what is left is the loop as the apps see it.
 */
static int per_op_ns(const struct run *full, const struct run *empty, unsigned count,
                     double *out_ns)
{
    double te = timed_run(empty);
    double tf = timed_run(full);
    if (te < 0 || tf < 0)
        return -1;
    *out_ns = (tf - te) * 1e9 / count;
    return 0;
}

static void finish(struct bench_result *r, struct bench_samples *ksim, double baseline)
{
    r->samples = ksim->n;
    r->median = bench_quantile(ksim, 0.5);
    r->p90 = bench_quantile(ksim, r->higher_is_better ? 0.1 : 0.9);
    r->baseline = baseline;
    r->ratio = r->median / baseline;
}

/* The null system call, as the `syscall` case measures it. */
static int null_syscall_ns(const struct bench_ctx *c, double *ns)
{
    const struct run full = one_app(get_board(BOARD_MPU), app(c, "bench_null_syscall"), NULL);
    const struct run empty =
        one_app(get_board(BOARD_MPU), app(c, "bench_null_syscall_empty"), NULL);
    return per_op_ns(&full, &empty, KSIM_BENCH_SYSCALL_CALLS, ns);
}

/* --- syscall, upcall, trace ------------------------------------------------------ */

int case_syscall(struct bench_ctx *c, struct bench_result *r)
{
    struct bench_samples ksim = {0}, base = {0};
    double ns;
    int rc = -1;

    /* Warm-up: page cache, lazy binding, the first mappings at board addresses. */
    const struct run warm = one_app(get_board(BOARD_MPU), app(c, "bench_null_syscall_empty"), NULL);
    if (timed_run(&warm) < 0)
        return -1;
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(c, n, start); n++) {
        bench_progress(c, n);
        if (null_syscall_ns(c, &ns) != 0)
            goto out;
        bench_samples_add(&ksim, ns);
        double s = baseline_switch_round_trips(KSIM_BENCH_SYSCALL_CALLS);
        if (s < 0) {
            perror("ksim-bench: syscall: baseline");
            goto out;
        }
        bench_samples_add(&base, s * 1e9 / KSIM_BENCH_SYSCALL_CALLS);
    }
    finish(r, &ksim, bench_quantile(&base, 0.5));
    rc = 0;
out:
    bench_samples_free(&ksim);
    bench_samples_free(&base);
    return rc;
}

/*
 * The null system call under --isolation process: a round trip between the
 * app's host process and ksim, in wall time; the baseline is a bare futex
 * round trip between two processes, measured in the same run.
 */
int case_syscall_process(struct bench_ctx *c, struct bench_result *r)
{
    struct bench_samples ksim = {0}, base = {0};
    struct run full = one_app(get_board(BOARD_PROCESS), app(c, "bench_null_syscall_short"), NULL);
    struct run empty = one_app(get_board(BOARD_PROCESS), app(c, "bench_null_syscall_empty"), NULL);
    double ns;
    int rc = -1;
    full.wall = empty.wall = true;
    if (timed_run(&empty) < 0)
        return -1;
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(c, n, start); n++) {
        bench_progress(c, n);
        if (per_op_ns(&full, &empty, KSIM_BENCH_TRACE_CALLS, &ns) != 0)
            goto out;
        bench_samples_add(&ksim, ns);
        double s = baseline_futex_round_trips(KSIM_BENCH_TRACE_CALLS);
        if (s < 0) {
            perror("ksim-bench: syscall process: baseline");
            goto out;
        }
        bench_samples_add(&base, s * 1e9 / KSIM_BENCH_TRACE_CALLS);
    }
    finish(r, &ksim, bench_quantile(&base, 0.5));
    snprintf(r->note, sizeof(r->note), "baseline: a futex round trip between two processes");
    rc = 0;
out:
    bench_samples_free(&ksim);
    bench_samples_free(&base);
    return rc;
}

int case_upcall(struct bench_ctx *c, struct bench_result *r)
{
    struct bench_samples ksim = {0}, base = {0};
    double ns, sys_ns;
    int rc = -1;
    const struct run full = one_app(get_board(BOARD_MPU), app(c, "bench_alarm_upcall"), NULL);
    const struct run empty =
        one_app(get_board(BOARD_MPU), app(c, "bench_alarm_upcall_empty"), NULL);

    if (timed_run(&empty) < 0)
        return -1;
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(c, n, start); n++) {
        bench_progress(c, n);
        if (per_op_ns(&full, &empty, KSIM_BENCH_UPCALL_ROUNDS, &ns) != 0 ||
            null_syscall_ns(c, &sys_ns) != 0)
            goto out;
        bench_samples_add(&ksim, ns);
        /* The baseline, the null system call, interleaved so both see the same machine. */
        bench_samples_add(&base, sys_ns);
    }
    finish(r, &ksim, bench_quantile(&base, 0.5));
    rc = 0;
out:
    bench_samples_free(&ksim);
    bench_samples_free(&base);
    return rc;
}

/*
 * The null system call with `--trace FILE` on: every call becomes a trace
 * event written to a real file (in $TMPDIR, removed at the end). The
 * baseline, the untraced null system call, is sampled in the same loop.
 */
int case_trace(struct bench_ctx *c, struct bench_result *r)
{
    struct bench_samples ksim = {0}, base = {0};
    char trace[BOARD_PATH_MAX];
    const char *tmp = getenv("TMPDIR");
    double ns, sys_ns;
    int rc = -1;

    snprintf(trace, sizeof(trace), "%s/ksim-bench-%ld.trace.json", tmp && *tmp ? tmp : "/tmp",
             (long)getpid());
    const struct run full =
        one_app(get_board(BOARD_MPU), app(c, "bench_null_syscall_short"), trace);
    const struct run empty =
        one_app(get_board(BOARD_MPU), app(c, "bench_null_syscall_empty"), trace);
    if (timed_run(&empty) < 0)
        goto out;
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(c, n, start); n++) {
        bench_progress(c, n);
        if (per_op_ns(&full, &empty, KSIM_BENCH_TRACE_CALLS, &ns) != 0 ||
            null_syscall_ns(c, &sys_ns) != 0)
            goto out;
        bench_samples_add(&ksim, ns);
        bench_samples_add(&base, sys_ns);
    }
    finish(r, &ksim, bench_quantile(&base, 0.5));
    rc = 0;
out:
    unlink(trace);
    bench_samples_free(&ksim);
    bench_samples_free(&base);
    return rc;
}

/* --- a board without a run (load, block sizes) ------------------------------------- */

/* A board with no process, as `ksim run` has before it loads (setup() in sim/run/runner.c). */
struct load_board {
    bool mem_up;
    struct sim_memmap mem;
    struct hal_stub *hal;
    struct kernel kernel;
    struct proc *procs;
};

static int load_board_up(struct load_board *lb, const struct board *b)
{
    char err[BOARD_ERR_MAX];
    struct hal_stub_config hc;
    struct kernel_config kc;
    memset(lb, 0, sizeof(*lb));
    sim_board_configs(b, &hc, &kc);
    if (sim_memmap_create(&lb->mem, b, "<default>", err, sizeof(err)) != 0)
        goto fail;
    lb->mem_up = true;
    lb->hal = hal_stub_create(&hc, err, sizeof(err));
    if (!lb->hal)
        goto fail;
    const struct ks_region ram = {(uintptr_t)b->ram.base, (size_t)b->ram.size,
                                  lb->mem.ram.kernel_view};
    const struct ks_region flash = {(uintptr_t)b->flash.base, (size_t)b->flash.size,
                                    lb->mem.flash.kernel_view};
    lb->procs = calloc(b->process.max_processes, sizeof(*lb->procs));
    if (!lb->procs || kernel_init(&lb->kernel, hal_stub_hal(lb->hal), &kc, ram, flash, lb->procs,
                                  b->process.max_processes) != 0) {
        snprintf(err, sizeof(err), "cannot set up the kernel");
        goto fail;
    }
    return 0;
fail:
    fprintf(stderr, "ksim-bench: board: %s\n", err);
    return -1;
}

static void load_board_down(struct load_board *lb)
{
    if (lb->hal)
        hal_stub_destroy(lb->hal);
    if (lb->mem_up)
        sim_memmap_destroy(&lb->mem);
    free(lb->procs);
}

/*
 * What `ksim run` spends to load one app file: read it (sim_read_file) and
 * kernel_load it (check every field, plan the block, clear the stack, copy
 * image and data, zero bss, relocate, set up the process). The board is
 * reused, its kernel reset between loads outside the timed part, so the
 * figure is ksim's work on warm memory, as the baseline's read is; first
 * touches of fresh board memory are host page faults, counted in `boot`.
 * *block (may be NULL) gets the size of the process block.
 */
static double timed_load(struct load_board *lb, const char *path, size_t *block)
{
    const struct board *b = get_board(BOARD_MPU);
    struct loader_error le;
    char err[512];
    uint8_t *bytes = NULL;
    size_t len = 0;
    double s = -1;

    /* Copies: kernel_init clears the kernel before it reads its arguments. */
    const struct kernel_config cfg = lb->kernel.cfg;
    const struct ks_region ram = lb->kernel.ram, flash = lb->kernel.flash;
    if (kernel_init(&lb->kernel, lb->kernel.hal, &cfg, ram, flash, lb->procs,
                    b->process.max_processes) != 0)
        return -1;
    uint64_t t0 = bench_cpu_ns();
    int rc = sim_read_file(path, &bytes, &len, err, sizeof(err));
    if (rc == 0)
        rc = kernel_load(&lb->kernel, "bench", bytes, len, &le);
    uint64_t t1 = bench_cpu_ns();
    if (rc >= 0) {
        s = (double)(t1 - t0) / 1e9;
        if (block)
            *block = lb->procs[rc].block.end - lb->procs[rc].block.start;
        proc_terminate(&lb->kernel, &lb->procs[rc], 0); /* gives its block back to the HAL */
    } else {
        fprintf(stderr, "ksim-bench: load: %s refused (%s)\n", path,
                bytes ? loader_why_text(le.why) : err);
    }
    free(bytes);
    return s;
}

int case_load(struct bench_ctx *c, struct bench_result *r)
{
    struct bench_samples ksim = {0}, base = {0};
    struct load_board lb;
    const char *path = app(c, "hello");
    int rc = -1;

    if (load_board_up(&lb, get_board(BOARD_MPU)) != 0)
        goto out;
    if (timed_load(&lb, path, NULL) < 0 || baseline_read_file(path) < 0)
        goto out;
    /* Each sample is short: take many, the budget is by time. */
    struct bench_ctx many = *c;
    many.budget.min_samples *= 20;
    many.budget.max_samples *= 20;
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(&many, n, start); n++) {
        bench_progress(c, n);
        double k = timed_load(&lb, path, NULL), b = baseline_read_file(path);
        if (k < 0 || b < 0) {
            fprintf(stderr, "ksim-bench: load: %s failed\n", k < 0 ? "loading" : "the baseline");
            goto out;
        }
        bench_samples_add(&ksim, k * 1e6);
        bench_samples_add(&base, b * 1e6);
    }
    finish(r, &ksim, bench_quantile(&base, 0.5));
    rc = 0;
out:
    load_board_down(&lb);
    bench_samples_free(&ksim);
    bench_samples_free(&base);
    return rc;
}

/* The size of the process block ksim gives path on the default board, or 0. */
static size_t block_size(const char *path)
{
    struct load_board lb;
    size_t size = 0;
    if (load_board_up(&lb, get_board(BOARD_MPU)) == 0 && timed_load(&lb, path, &size) < 0)
        size = 0;
    load_board_down(&lb);
    return size;
}

/* --- process switches --------------------------------------------------------------- */

/* The ping-pong pair (apps/bench/ipc_pair.h), service first, then bystanders. */
static struct run pair(const struct bench_ctx *c, enum board_kind kind, const char *pong,
                       const char *ping, size_t idle)
{
    struct run r = {.board = get_board(kind)};
    run_add(&r, app(c, pong), 1);
    run_add(&r, app(c, ping), 1);
    run_add(&r, app(c, "bench_idle"), idle);
    return r;
}

/*
 * Two processes waking each other with IPC and blocking in Yield-Wait, ns
 * per switch. With isolation, the baseline is what such a switch needs at
 * least: two mprotect calls on blocks of the processes' size and the bare
 * stack switch; without, the null system call.
 */
int case_yield_switch(struct bench_ctx *c, struct bench_result *r, bool isolation)
{
    struct bench_samples ksim = {0}, base = {0};
    const struct run empty =
        pair(c, isolation ? BOARD_MPU : BOARD_OFF, "bench_pong_empty", "bench_ping_empty", 0);
    /* A switch with isolation costs a hundred times more: fewer rounds. */
    const struct run full = isolation
                                ? pair(c, BOARD_MPU, "bench_pong_short", "bench_ping_short", 0)
                                : pair(c, BOARD_OFF, "bench_pong", "bench_ping", 0);
    unsigned switches = 2 * (isolation ? KSIM_BENCH_SWITCH_ROUNDS_MPU : KSIM_BENCH_SWITCH_ROUNDS);
    size_t block = isolation ? block_size(app(c, "bench_ping_short")) : 0;
    double ns, b;
    int rc = -1;

    if (isolation && block == 0) {
        fprintf(stderr, "ksim-bench: yield switch: cannot plan a process block for ping\n");
        goto out;
    }
    if (timed_run(&empty) < 0)
        goto out;
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(c, n, start); n++) {
        bench_progress(c, n);
        if (per_op_ns(&full, &empty, switches, &ns) != 0)
            goto out;
        bench_samples_add(&ksim, ns);
        if (isolation) {
            double s = baseline_protect_switches(block, switches);
            if (s < 0) {
                perror("ksim-bench: yield switch: baseline");
                goto out;
            }
            b = s * 1e9 / switches;
        } else if (null_syscall_ns(c, &b) != 0) {
            goto out;
        }
        bench_samples_add(&base, b);
    }
    finish(r, &ksim, bench_quantile(&base, 0.5));
    if (isolation)
        snprintf(r->note, sizeof(r->note),
                 "process block %zu KiB; baseline: 2 mprotect + bare switch", block / 1024);
    rc = 0;
out:
    bench_samples_free(&ksim);
    bench_samples_free(&base);
    return rc;
}

/*
 * The ping-pong pair beside 0, 14, 62 and 254 bystanders blocked in a long
 * sleep: ns per switch with 2, 16, 64 and 256 processes, isolation off so
 * that the scheduler's share shows rather than mprotect's. The figure is
 * the 256 point, the baseline the 2 point; the note gives all four.
 */
int case_scale(struct bench_ctx *c, struct bench_result *r)
{
    static const unsigned points[] = {2, 16, 64, 256};
    enum { NPOINTS = sizeof(points) / sizeof(points[0]) };
    struct bench_samples s[NPOINTS];
    char err[BOARD_ERR_MAX];
    int rc = -1;

    memset(s, 0, sizeof(s));
    if (board_validate(get_board(BOARD_SCALE), "<scale board>", err) != 0) {
        fprintf(stderr, "ksim-bench: scale: %s\n", err);
        return -1;
    }
    /* A sample is eight runs, up to 256 processes each: --quick takes one. */
    struct bench_ctx few = *c;
    if (few.quick)
        few.budget.min_samples = 1;
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(&few, n, start); n++) {
        bench_progress(c, n);
        for (unsigned i = 0; i < NPOINTS; i++) {
            struct run full = pair(c, BOARD_SCALE, "bench_pong", "bench_ping", points[i] - 2);
            struct run empty =
                pair(c, BOARD_SCALE, "bench_pong_empty", "bench_ping_empty", points[i] - 2);
            double ns;
            if (per_op_ns(&full, &empty, 2 * KSIM_BENCH_SWITCH_ROUNDS, &ns) != 0)
                goto out;
            bench_samples_add(&s[i], ns);
        }
    }
    finish(r, &s[NPOINTS - 1], bench_quantile(&s[0], 0.5));
    snprintf(r->note, sizeof(r->note),
             "ns per switch, isolation off: 2: %.0f, 16: %.0f, 64: %.0f, 256: %.0f processes",
             bench_quantile(&s[0], 0.5), bench_quantile(&s[1], 0.5), bench_quantile(&s[2], 0.5),
             bench_quantile(&s[3], 0.5));
    rc = 0;
out:
    for (unsigned i = 0; i < NPOINTS; i++)
        bench_samples_free(&s[i]);
    return rc;
}

/* --- boot and virtual time ----------------------------------------------------------- */

int case_boot(struct bench_ctx *c, struct bench_result *r)
{
    struct bench_samples ksim = {0}, base = {0};
    char *hello = (char *)app(c, "hello");
    char *ksim_argv[] = {(char *)c->paths.ksim, "run", hello, hello, hello, hello, NULL};
    char *base_argv[] = {(char *)c->paths.nolibc, NULL};
    int rc = -1;

    if (bench_spawn_wait(ksim_argv) < 0 || bench_spawn_wait(base_argv) < 0) {
        fprintf(stderr, "ksim-bench: boot: cannot run %s or %s\n", c->paths.ksim, c->paths.nolibc);
        return -1;
    }
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(c, n, start); n++) {
        bench_progress(c, n);
        double k = bench_spawn_wait(ksim_argv), b = bench_spawn_wait(base_argv);
        if (k < 0 || b < 0) {
            fprintf(stderr, "ksim-bench: boot: %s failed\n",
                    k < 0 ? c->paths.ksim : c->paths.nolibc);
            goto out;
        }
        bench_samples_add(&ksim, k * 1e3);
        bench_samples_add(&base, b * 1e3);
    }
    finish(r, &ksim, bench_quantile(&base, 0.5));
    rc = 0;
out:
    bench_samples_free(&ksim);
    bench_samples_free(&base);
    return rc;
}

/* The sleep app must really have slept its hour: read what it printed. */
static int check_sleep_output(const char *path)
{
    static const char want[] = "slept 3600 s";
    char buf[256] = {0};
    const char *apps[1] = {path};
    struct sim_run_options o = {
        .board = get_board(BOARD_MPU), .board_file = "<default>", .apps = apps, .napps = 1};
    int fd = memfd_create("ksim-bench-sleep", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    dup2(fd, STDOUT_FILENO);
    int status = sim_run(&o);
    bench_stdout_restore(saved);
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    close(fd);
    if (status != SIM_EXIT_OK || n <= 0 || !strstr(buf, want)) {
        fprintf(stderr, "ksim-bench: virtual time: %s did not print \"%s\" (status %d)\n", path,
                want, status);
        return -1;
    }
    return 0;
}

int case_virtual_time(struct bench_ctx *c, struct bench_result *r)
{
    struct bench_samples ksim = {0};
    const struct run run = one_app(get_board(BOARD_MPU), app(c, "sleep"), NULL);

    if (check_sleep_output(run.apps[0]) != 0)
        return -1;
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(c, n, start); n++) {
        bench_progress(c, n);
        double s = timed_run(&run);
        if (s <= 0) {
            bench_samples_free(&ksim);
            return -1;
        }
        bench_samples_add(&ksim, SLEEP_APP_SECONDS / s);
    }
    finish(r, &ksim, 1.0); /* real time runs at one second per second */
    bench_samples_free(&ksim);
    return 0;
}
