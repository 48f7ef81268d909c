/*
 * Preemption and the host-syscall barrier.
 *
 * A periodic host timer (SIGVTALRM: it counts only while ksim computes)
 * ticks every half timeslice. A tick that lands in app code after the
 * process has run for a whole tick period makes the process stop: the
 * handler rewrites the interrupted context so that it enters
 * hal__preempt_entry (assembly) on the process stack, which saves every
 * register and switches to the kernel; resuming returns exactly where the
 * tick landed. A tick that lands in kernel or gate code is only counted.
 *
 * Linux syscall user dispatch makes a host system call made by app code a
 * SIGSYS: the selector byte is BLOCK exactly while app code runs.
 */
#define _GNU_SOURCE
#include <cpuid.h>
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

#define PREEMPT_STACK_ROOM 4096 /* XSAVE area (AVX-512: 2.7 KiB) and registers */
#define RED_ZONE           128

volatile char hal__sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
uint64_t hal__xsave_size;
static bool sud_on;

#if defined(__x86_64__) && !defined(KSIM_SWITCH_UCONTEXT)
#define HAL_CAN_PREEMPT 1
void hal__preempt_entry(void);
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

#ifdef HAL_CAN_PREEMPT
/* True when pc is app code of the running process (not the gate or libffi). */
static bool in_app_code(const struct hal__proc *p, uintptr_t pc)
{
    return pc >= p->code_lo && pc < p->mem_hi;
}

/* Redirects the interrupted app code into hal__preempt_entry. */
static void divert(struct hal__proc *p, ucontext_t *uc)
{
    greg_t *g = uc->uc_mcontext.gregs;
    uintptr_t sp = (uintptr_t)g[REG_RSP] - RED_ZONE - sizeof(uintptr_t);
    /* The app owns its stack pointer: only write where its own RAM is. */
    if (sp < p->mem_lo + PREEMPT_STACK_ROOM || sp >= p->mem_hi)
        return;
    *(uintptr_t *)sp = (uintptr_t)g[REG_RIP];
    g[REG_RSP] = (greg_t)sp;
    g[REG_RIP] = (greg_t)(uintptr_t)hal__preempt_entry;
}
#endif

static void on_tick(int signo, siginfo_t *si, void *ucv)
{
    struct hal_stub *s = hal__running;
    char selector = hal__sud_selector;
    (void)signo, (void)si;
    hal__sud_allow(); /* the handler's own return is a host system call */
    if (!s)
        return;
    s->tick_count++;
#ifdef HAL_CAN_PREEMPT
    ucontext_t *uc = ucv;
    struct hal__proc *p = s->current;
    if (p && in_app_code(p, (uintptr_t)uc->uc_mcontext.gregs[REG_RIP])) {
        s->preempt_requested = s->tick_count - s->run_start_tick >= 2;
        divert(p, uc); /* always: the trampoline re-blocks host syscalls */
        return;
    }
#else
    (void)ucv;
#endif
    hal__sud_selector = selector; /* sigreturn itself is always allowed: see restorer */
}

static void on_sigsys(int signo, siginfo_t *si, void *ucv)
{
    struct hal_stub *s = hal__running;
    struct hal_fault f;
    (void)signo, (void)ucv;
    hal__sud_allow();
    memset(&f, 0, sizeof(f));
    f.kind = HAL_FAULT_HOST_SYSCALL;
    f.signo = SIGSYS;
    f.pc = (uintptr_t)si->si_call_addr;
    f.syscall_class = (uint32_t)si->si_syscall;
    if (!s || !s->current)
        return; /* not app code: let the host call proceed as if allowed */
    hal__fault_to_kernel(s, &f);
}

static int install(int signo, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | flags;
    sigemptyset(&sa.sa_mask);
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

static void find_xsave_size(void)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    hal__xsave_size = 4096;
    if (__get_cpuid_count(0xd, 0, &a, &b, &c, &d) && b >= 576)
        hal__xsave_size = b; /* bytes for the features the OS enabled */
}

int hal__preempt_init(struct hal_stub *s, char *err, size_t errlen)
{
    find_xsave_size();
    if (install(SIGSYS, on_sigsys, SA_NODEFER) != 0 || install(SIGVTALRM, on_tick, SA_RESTART)) {
        snprintf(err, errlen, "cannot install the SIGSYS or SIGVTALRM handler");
        return -1;
    }
    /* Syscall user dispatch (Linux 5.11+): without it, say nothing and go on.
     * The signal return trampoline is the one place always allowed, so a
     * handler can return into app code with host calls blocked. */
    uintptr_t restorer = signal_restorer(SIGVTALRM);
    sud_on = restorer && prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, restorer, 32,
                               &hal__sud_selector) == 0;
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
    signal(SIGVTALRM, SIG_IGN);
    signal(SIGSYS, SIG_DFL);
    s->preemption = false;
}
