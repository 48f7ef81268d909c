/*
 * `--isolation process`: each app runs in a host process of its own
 * (ksim-app-host, hal-stub/app_host/), which maps only that app's memory at
 * its board addresses and is confined by seccomp to waiting on and waking
 * ksim. A system call is a round trip over the control page
 * (hal_child_ctl.h): the child writes it and hands over the turn; this file
 * reads it as untrusted input, once per field, and answers.
 *
 * A process that computes past its timeslice is stopped with SIGSTOP (which
 * app code cannot catch or block) and continued on its next turn. A child
 * that dies, hangs in setup or breaks the protocol is a faulted process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hal_child_ctl.h"
#include "hal_internal.h"

#define SETUP_TIMEOUT_NS 5000000000ull /* a child that is not ready by then is broken */

struct hal__child {
    pid_t pid;
    int ctl_fd;
    struct child_ctl *ctl;
    bool ready;          /* set up and confined: the next order starts the app */
    bool in_gate;        /* it waits in the gate for an answer (else it was preempted) */
    bool started;        /* the start order was given */
    clockid_t cpu_clock; /* its CPU time: a timeslice is CPU, as in the other modes */
    bool stopped;        /* stopped by SIGSTOP at the end of its last turn */
};

/* --- waiting on the turn word ----------------------------------------------- */

static uint64_t now_ns(void)
{
    return hal__clock_read_ns(CLOCK_MONOTONIC);
}

static void wake(struct child_ctl *ctl)
{
    syscall(SYS_futex, &ctl->turn, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static bool child_alive(pid_t pid)
{
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0)
        return si.si_pid == 0;
    return kill(pid, 0) == 0; /* cannot wait for it (EINTR...): ask whether it exists */
}

/* Until the child hands the turn back (true), or budget_ns passes or it dies (false). */
static bool wait_for_turn(struct hal__child *c, uint64_t budget_ns)
{
    uint64_t end = now_ns() + budget_ns;
    for (;;) {
        if (__atomic_load_n(&c->ctl->turn, __ATOMIC_ACQUIRE) == CHILD_TURN_KERNEL)
            return true;
        uint64_t now = now_ns();
        if (now >= end)
            return false;
        /* Short waits: a child that dies never wakes us. */
        uint64_t left = end - now < 20000000ull ? end - now : 20000000ull;
        struct timespec ts = {(time_t)(left / 1000000000ull), (long)(left % 1000000000ull)};
        syscall(SYS_futex, &c->ctl->turn, FUTEX_WAIT, CHILD_TURN_APP, &ts, NULL, 0);
        if (__atomic_load_n(&c->ctl->turn, __ATOMIC_ACQUIRE) != CHILD_TURN_KERNEL &&
            !child_alive(c->pid))
            return false;
    }
}

static uint64_t cpu_ns(const struct hal__child *c)
{
    return hal__clock_read_ns(c->cpu_clock); /* UINT64_MAX when it is gone: its time is up */
}

/*
 * Until the child hands the turn back (true), or it has computed for a
 * timeslice of CPU time (false): on a loaded host it may get less CPU than
 * wall time, and its virtual time must not depend on that. A child that
 * computes nothing for many timeslices (it waits on a futex of its own) is
 * stopped all the same.
 */
#define BLOCKED_SLICES 100
static bool wait_for_turn_or_slice(struct hal__child *c, uint64_t slice)
{
    uint64_t cpu0 = cpu_ns(c), start = now_ns(), budget = slice;
    for (;;) {
        if (wait_for_turn(c, budget))
            return true;
        uint64_t used = cpu_ns(c) - cpu0;
        if (used >= slice || now_ns() - start >= BLOCKED_SLICES * slice || !child_alive(c->pid))
            return false;
        budget = slice - used;
    }
}

/* --- starting and ending a child --------------------------------------------- */

static const char *app_host_path(void)
{
    static char path[PATH_MAX];
    const char *env = getenv("KSIM_APP_HOST");
    if (env && *env)
        return env;
    ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
    if (n <= 0)
        return "ksim-app-host";
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    strcpy(slash ? slash + 1 : path, "ksim-app-host");
    return path;
}

static void add_map(struct child_ctl *ctl, uintptr_t lo, uintptr_t hi, uint64_t offset, uint32_t fd,
                    uint32_t prot)
{
    if (hi <= lo || ctl->nmaps >= CHILD_MAPS_MAX)
        return;
    ctl->maps[ctl->nmaps++] = (struct child_map){lo, hi - lo, offset, fd, prot};
}

/* The app's block as its MPU regions say: stack and data RW, image RX, the
 * heap's room above the break nothing (brk opens it), its TBF in flash R. */
static void plan_maps(const struct hal_stub *s, const struct hal__proc *p, struct child_ctl *ctl)
{
    const struct hal_block *b = &p->block;
    uintptr_t lo[4], hi[4], page = s->cfg.page_size;
    hal__mpu_ranges(s, b, lo, hi);
    ctl->nmaps = 0;
    for (int i = 0; i < 3; i++)
        add_map(ctl, lo[i], hi[i], lo[i] - s->cfg.ram_base, CHILD_FD_RAM,
                i == 1 ? PROT_READ | PROT_EXEC : PROT_READ | PROT_WRITE);
    uintptr_t room_lo = hi[2], room_hi = b->grant_start & ~(page - 1);
    add_map(ctl, room_lo, room_hi, room_lo - s->cfg.ram_base, CHILD_FD_RAM, PROT_NONE);
    if (s->cfg.flash_fd >= 0 && hi[3] > lo[3])
        add_map(ctl, lo[3], hi[3], lo[3] - s->cfg.flash_base, CHILD_FD_FLASH, PROT_READ);
    ctl->mem_lo = p->mem_lo;
    ctl->mem_hi = p->mem_hi;
    ctl->heap_lo = b->data_end;
    ctl->brk = b->brk;
}

static void end_child(struct hal__child *c)
{
    if (c->pid > 0) {
        kill(c->pid, SIGKILL);
        waitpid(c->pid, NULL, 0);
    }
    if (c->ctl)
        munmap(c->ctl, CHILD_CTL_BYTES);
    if (c->ctl_fd >= 0)
        close(c->ctl_fd);
    free(c);
}

static struct hal__child *spawn_child(const struct hal_stub *s, const struct hal__proc *p)
{
    struct hal__child *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->ctl_fd = memfd_create("ksim-child-ctl", MFD_CLOEXEC);
    if (c->ctl_fd < 0 || ftruncate(c->ctl_fd, CHILD_CTL_BYTES) != 0)
        goto fail;
    c->ctl = mmap(NULL, CHILD_CTL_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, c->ctl_fd, 0);
    if (c->ctl == MAP_FAILED) {
        c->ctl = NULL;
        goto fail;
    }
    c->ctl->magic = CHILD_CTL_MAGIC;
    c->ctl->turn = CHILD_TURN_APP; /* the child's, until it is ready */
    plan_maps(s, p, c->ctl);

    /* Copies far above 3..5 first: a source that is itself 3, 4 or 5 would
     * be overwritten by an earlier dup2 into the child's fixed numbers. */
    int ram = fcntl(s->cfg.ram_fd, F_DUPFD_CLOEXEC, 64);
    int ctlfd = fcntl(c->ctl_fd, F_DUPFD_CLOEXEC, 64);
    int flash = s->cfg.flash_fd >= 0 ? fcntl(s->cfg.flash_fd, F_DUPFD_CLOEXEC, 64) : -1;
    int rc = ram < 0 || ctlfd < 0 || (s->cfg.flash_fd >= 0 && flash < 0) ? errno : 0;
    const char *path = app_host_path();
    if (rc == 0) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, ram, CHILD_FD_RAM);
        posix_spawn_file_actions_adddup2(&fa, ctlfd, CHILD_FD_CTL);
        if (flash >= 0)
            posix_spawn_file_actions_adddup2(&fa, flash, CHILD_FD_FLASH);
        posix_spawn_file_actions_addclosefrom_np(&fa, CHILD_FD_FLASH + 1);
        char *const argv[] = {(char *)"ksim-app-host", NULL};
        char *const envp[] = {NULL}; /* nothing of the host's environment */
        rc = posix_spawn(&c->pid, path, &fa, NULL, argv, envp);
        posix_spawn_file_actions_destroy(&fa);
        if (rc == 0 && clock_getcpuclockid(c->pid, &c->cpu_clock) != 0)
            c->cpu_clock = CLOCK_MONOTONIC; /* no CPU clock for it: wall time */
    }
    for (int fd = 0, fds[3] = {ram, ctlfd, flash}; fd < 3; fd++)
        if (fds[fd] >= 0)
            close(fds[fd]);
    if (rc != 0) {
        fprintf(stderr, "ksim: cannot start %s (%s): --isolation process needs it beside ksim\n",
                path, strerror(rc));
        c->pid = 0;
        goto fail;
    }
    return c;
fail:
    end_child(c);
    return NULL;
}

/* --- turning reports into stops -------------------------------------------------- */

/* The child died, lied or never got ready: a fault of this process; why, if known, on stderr. */
static void stop_host_process(struct hal_stop *stop, const char *why)
{
    memset(&stop->fault, 0, sizeof(stop->fault));
    stop->kind = HAL_STOP_FAULT;
    stop->fault.kind = HAL_FAULT_HOST_PROCESS;
    if (why)
        fprintf(stderr, "ksim: %s\n", why);
}

static void read_fault(const struct child_ctl *ctl, struct hal_stop *stop)
{
    struct child_fault f;
    memcpy(&f, &ctl->fault, sizeof(f)); /* once */
    memset(&stop->fault, 0, sizeof(stop->fault));
    stop->kind = HAL_STOP_FAULT;
    stop->fault.kind = f.signo == SIGSYS ? HAL_FAULT_HOST_SYSCALL : hal__fault_kind_of(f.signo);
    stop->fault.signo = f.signo;
    stop->fault.pc = (uintptr_t)f.pc;
    stop->fault.sp = (uintptr_t)f.sp;
    for (int i = 0; i < 16; i++)
        stop->fault.gpr[i] = (uintptr_t)f.gpr[i];
    stop->fault.ngpr = 16;
    if (f.signo == SIGSYS) {
        stop->fault.pc = (uintptr_t)f.addr; /* si_call_addr */
        stop->fault.syscall_class = (uint32_t)f.syscall_nr;
    } else if (f.signo == SIGSEGV || f.signo == SIGBUS) {
        stop->fault.addr = (uintptr_t)f.addr;
        /* Page-fault error code: bit 1 write, bit 4 instruction fetch. */
        stop->fault.access = (f.err & 0x10)  ? HAL_ACCESS_EXEC
                             : (f.err & 0x2) ? HAL_ACCESS_WRITE
                                             : HAL_ACCESS_READ;
    }
}

static void read_report(struct hal__child *c, struct hal_stop *stop)
{
    const struct child_ctl *ctl = c->ctl;
    uint32_t report = ctl->report;
    switch (report) {
    case CHILD_REPORT_SYSCALL:
        stop->kind = HAL_STOP_SYSCALL;
        stop->syscall_class = ctl->cls;
        for (int i = 0; i < 4; i++)
            stop->regs[i] = (uintptr_t)ctl->regs[i];
        break;
    case CHILD_REPORT_FAULT:
        read_fault(ctl, stop);
        break;
    case CHILD_REPORT_RETURNED:
        stop->kind = HAL_STOP_RETURNED;
        break;
    case CHILD_REPORT_BAD_GATE:
        memset(&stop->fault, 0, sizeof(stop->fault));
        stop->kind = HAL_STOP_FAULT;
        stop->fault.kind = HAL_FAULT_BAD_GATE;
        stop->fault.addr = (uintptr_t)ctl->regs_addr;
        stop->fault.pc = (uintptr_t)ctl->caller;
        stop->fault.sp = (uintptr_t)ctl->sp;
        stop->fault.syscall_class = ctl->cls;
        break;
    case CHILD_REPORT_SETUP: {
        char why[CHILD_ERROR_BYTES + 32];
        char error[CHILD_ERROR_BYTES];
        memcpy(error, ctl->error, sizeof(error));
        error[sizeof(error) - 1] = '\0';
        snprintf(why, sizeof(why), "app host process: %s", error);
        stop_host_process(stop, why);
        break;
    }
    default: /* a report that does not exist: the child lies */
        stop_host_process(stop, NULL);
        break;
    }
}

/* --- the architecture of this mode (hal_ctx.c calls these) --------------------------- */

int hal__child_start(struct hal_stub *s, struct hal__proc *p)
{
    (void)s;
    hal__child_forget(p); /* a restart: the old host process ends */
    return 0;             /* the new one starts at the first run, when the block is known */
}

static bool hand_over(struct hal_stub *s, struct hal__child *c, struct hal_stop *stop)
{
    if (c->stopped) {
        kill(c->pid, SIGCONT);
        c->stopped = false;
    }
    __atomic_store_n(&c->ctl->turn, CHILD_TURN_APP, __ATOMIC_RELEASE);
    wake(c->ctl);
    uint64_t slice = (uint64_t)s->cfg.timeslice_us * 1000ull;
    if (wait_for_turn_or_slice(c, slice))
        return true;
    if (!child_alive(c->pid)) {
        if (__atomic_load_n(&c->ctl->turn, __ATOMIC_ACQUIRE) == CHILD_TURN_KERNEL)
            return true; /* it reported, then ended (a fault) */
        stop_host_process(stop, NULL);
        return false;
    }
    kill(c->pid, SIGSTOP);
    siginfo_t si;
    waitid(P_PID, (id_t)c->pid, &si, WSTOPPED | WEXITED | WNOWAIT);
    c->stopped = true;
    if (__atomic_load_n(&c->ctl->turn, __ATOMIC_ACQUIRE) == CHILD_TURN_KERNEL)
        return true; /* it reported just as its time ran out */
    stop->kind = HAL_STOP_PREEMPTED;
    return false;
}

void hal__child_run(struct hal_stub *s, struct hal__proc *p, struct hal_stop *stop)
{
    if (!p->child) {
        p->child = spawn_child(s, p);
        if (!p->child) {
            stop_host_process(stop, "cannot start the app's host process");
            return;
        }
    }
    struct hal__child *c = p->child;
    struct child_ctl *ctl = c->ctl;
    if (!c->ready) {
        if (!wait_for_turn(c, SETUP_TIMEOUT_NS)) {
            stop_host_process(stop, "the app's host process did not get ready");
            return;
        }
        if (ctl->report != CHILD_REPORT_READY) {
            read_report(c, stop);
            return;
        }
        c->ready = true;
        ctl->order = CHILD_ORDER_START;
        ctl->entry = p->entry;
        for (int i = 0; i < 4; i++)
            ctl->args[i] = p->args[i];
        ctl->stack_top = p->stack_hi;
    } else if (c->in_gate) {
        ctl->order = p->upcall ? CHILD_ORDER_UPCALL : CHILD_ORDER_RETURN;
        for (int i = 0; i < 4; i++)
            ctl->ret[i] = p->ret[i];
        if (p->upcall) {
            p->upcall = false;
            ctl->upcall_fn = p->upcall_fn;
            for (int i = 0; i < 4; i++)
                ctl->upcall_args[i] = p->upcall_args[i];
        }
    }
    if (c->in_gate || !c->started) {
        /* Answers only for a child waiting on one: a preempted child goes on
         * where it was, and may be writing its next report right now. */
        ctl->heap_lo = p->block.data_end;
        ctl->brk = p->block.brk;
        ctl->report = CHILD_REPORT_NONE;
    }
    c->started = true;
    c->in_gate = false;
    if (hand_over(s, c, stop))
        read_report(c, stop);
    c->in_gate = stop->kind == HAL_STOP_SYSCALL;
}

void hal__child_forget(struct hal__proc *p)
{
    if (p->child)
        end_child(p->child);
    p->child = NULL;
}
