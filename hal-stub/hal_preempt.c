/*
 * Preemption and the host-syscall barrier.
 *
 * A periodic host timer (SIGVTALRM: it counts only while ksim computes)
 * ticks every half timeslice. A tick that lands in app code after the
 * process has run for a whole tick period makes the process stop: the
 * handler keeps every register of the interrupted code in host memory
 * (hal_cpu_x86_64.c) and rewrites the context to resume the kernel;
 * resuming the process later loads all of it at once, exactly where the
 * tick landed. A tick that lands in kernel or switch code is only counted.
 *
 * Linux syscall user dispatch makes a host system call made by app code a
 * SIGSYS: the selector byte is BLOCK exactly while app code runs.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <ucontext.h>

#include "hal_internal.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF          0
#define PR_SYS_DISPATCH_ON           1
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif

volatile char hal__sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
/* What the switch code stores into the selector on its way into app code. */
char hal__sud_block_value = SYSCALL_DISPATCH_FILTER_ALLOW;
static bool sud_on;

#if defined(__x86_64__) && !defined(KSIM_SWITCH_UCONTEXT)
#define HAL_CAN_PREEMPT 1
void hal__sigtramp_tick(int signo, siginfo_t *si, void *uc);
void hal__sigtramp_sys(int signo, siginfo_t *si, void *uc);
#define TICK_HANDLER   hal__sigtramp_tick
#define SIGSYS_HANDLER hal__sigtramp_sys
#endif

void hal__sud_allow(void)
{
    hal__sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
}

void hal__sud_block(void)
{
    if (sud_on)
        hal__sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
}

/*
 * The timer tick (through hal__sigtramp_tick on x86-64, which keeps the
 * interrupted code's FS base and syscall selector for it). A tick in app
 * code after a whole tick period of the turn stops the process: its state is
 * kept in host memory, nothing is written to its stack, wherever its stack
 * pointer is. Returns nonzero when the interrupted context now resumes the
 * kernel.
 */
int hal__on_tick(int signo, siginfo_t *si, void *ucv, uintptr_t fsbase);
int hal__on_tick(int signo, siginfo_t *si, void *ucv, uintptr_t fsbase)
{
    struct hal_stub *s = hal__running;
    (void)signo, (void)si;
    if (!s)
        return 0;
    s->tick_count++;
    if (!s->current || !hal__arch_preemptable(s, ucv) || s->tick_count - s->run_start_tick < 2)
        return 0;
    s->stop->kind = HAL_STOP_PREEMPTED;
    return hal__arch_stop_from_signal(s, ucv, fsbase);
}

/* A host system call that syscall user dispatch stopped: app code's is a fault. */
int hal__on_sigsys(int signo, siginfo_t *si, void *ucv, uintptr_t fsbase);
int hal__on_sigsys(int signo, siginfo_t *si, void *ucv, uintptr_t fsbase)
{
    struct hal_stub *s = hal__running;
    struct hal_fault f;
    (void)signo;
    hal__sud_allow();
    if (!s || !s->current || !hal__arch_app_running(s))
        return 0; /* not app code: the selector was left blocked; it is allowed now */
    memset(&f, 0, sizeof(f));
    f.kind = HAL_FAULT_HOST_SYSCALL;
    f.signo = SIGSYS;
    f.pc = (uintptr_t)si->si_call_addr;
    f.syscall_class = (uint32_t)si->si_syscall;
    s->stop->kind = HAL_STOP_FAULT;
    s->stop->fault = f;
    return hal__arch_stop_from_signal(s, ucv, fsbase);
}

#ifndef HAL_CAN_PREEMPT
static void on_tick_plain(int signo, siginfo_t *si, void *uc)
{
    (void)hal__on_tick(signo, si, uc, 0);
}

static void on_sigsys_plain(int signo, siginfo_t *si, void *uc)
{
    (void)hal__on_sigsys(signo, si, uc, 0);
}
#define TICK_HANDLER   on_tick_plain
#define SIGSYS_HANDLER on_sigsys_plain
#endif

static int install(int signo, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | flags;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGVTALRM); /* one handler at a time rewrites a context */
    return sigaction(signo, &sa, NULL);
}

/* The address libc's signal return trampoline has, as the host kernel sees it. */
static uintptr_t signal_restorer(int signo)
{
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        uint64_t mask;
    } ksa;
    if (syscall(SYS_rt_sigaction, signo, NULL, &ksa, sizeof(ksa.mask)) != 0)
        return 0;
    return (uintptr_t)ksa.restorer;
}

int hal__preempt_init(struct hal_stub *s, char *err, size_t errlen)
{
    if (s->cfg.isolation_process) {
        /* Each app's host process is stopped at its timeslice's end; ksim
         * waits for its children, so SIGCHLD must not be ignored (a parent
         * that ignored it hands that on through exec). */
        signal(SIGCHLD, SIG_DFL);
        s->preemption = true;
        return 0;
    }
    if (install(SIGSYS, SIGSYS_HANDLER, SA_NODEFER) != 0 ||
        install(SIGVTALRM, TICK_HANDLER, SA_RESTART) != 0) {
        snprintf(err, errlen, "cannot install the SIGSYS or SIGVTALRM handler");
        return -1;
    }
    /* Syscall user dispatch (Linux 5.11+): without it, say nothing and go on.
     * The signal return trampoline is the one place always allowed, so a
     * handler can return into app code with host calls blocked. */
    uintptr_t restorer = signal_restorer(SIGVTALRM);
    sud_on = restorer && prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, restorer, 32,
                               &hal__sud_selector) == 0;
    hal__sud_block_value = sud_on ? SYSCALL_DISPATCH_FILTER_BLOCK : SYSCALL_DISPATCH_FILTER_ALLOW;
#ifdef HAL_CAN_PREEMPT
    uint64_t period_us = s->cfg.timeslice_us / 2 < 1000 ? 1000 : s->cfg.timeslice_us / 2;
    struct itimerval it = {{(time_t)(period_us / 1000000), (suseconds_t)(period_us % 1000000)},
                           {(time_t)(period_us / 1000000), (suseconds_t)(period_us % 1000000)}};
    if (setitimer(ITIMER_VIRTUAL, &it, NULL) != 0) {
        snprintf(err, errlen, "cannot start the preemption timer");
        return -1;
    }
    s->preemption = true;
#else
    s->preemption = false; /* no trampoline for this switch: turns end at system calls */
#endif
    return 0;
}

void hal__preempt_fini(struct hal_stub *s)
{
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_VIRTUAL, &off, NULL);
    hal__sud_allow();
    if (sud_on)
        prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
    sud_on = false;
    hal__sud_block_value = SYSCALL_DISPATCH_FILTER_ALLOW;
    signal(SIGVTALRM, SIG_IGN);
    signal(SIGSYS, SIG_DFL);
    s->preemption = false;
}
