/*
 * Faults: SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGTRAP are caught on an
 * alternate stack. While a process runs they become a process fault record
 * in board terms and control goes back to the kernel; anywhere else they are
 * a kernel panic with a dump (exit 4).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "hal_internal.h"

#define ALTSTACK_SIZE   (256 * 1024) /* sanitizer runtimes need room too */
#define KSIM_EXIT_PANIC 4

static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};

enum hal_fault_kind hal__fault_kind_of(int signo)
{
    switch (signo) {
    case SIGILL:
        return HAL_FAULT_ILLEGAL;
    case SIGFPE:
        return HAL_FAULT_ARITH;
    case SIGTRAP:
        return HAL_FAULT_TRAP;
    default:
        return HAL_FAULT_MEMORY;
    }
}

static void fill_machine_state(struct hal_fault *f, int signo, const ucontext_t *uc)
{
#if defined(__x86_64__)
    const greg_t *g = uc->uc_mcontext.gregs;
    f->pc = (uintptr_t)g[REG_RIP];
    if (signo == SIGSEGV || signo == SIGBUS) {
        /* Page-fault error code: bit 1 write, bit 4 instruction fetch. */
        unsigned long e = (unsigned long)g[REG_ERR];
        f->access = (e & 0x10) ? HAL_ACCESS_EXEC : (e & 0x2) ? HAL_ACCESS_WRITE : HAL_ACCESS_READ;
    }
    static const int order[16] = {REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI,
                                  REG_RBP, REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12,
                                  REG_R13, REG_R14, REG_R15, REG_EFL};
    for (int i = 0; i < 16; i++)
        f->gpr[i] = (uintptr_t)g[order[i]];
    f->ngpr = 16;
    f->sp = (uintptr_t)g[REG_RSP];
#elif defined(__aarch64__)
    f->pc = (uintptr_t)uc->uc_mcontext.pc;
    for (int i = 0; i < 16; i++)
        f->gpr[i] = (uintptr_t)uc->uc_mcontext.regs[i];
    f->ngpr = 16;
    f->sp = (uintptr_t)uc->uc_mcontext.sp;
    (void)signo;
#else
    (void)signo, (void)uc;
#endif
}

/* Async-signal-safe output for the panic dump. */
static void say(const char *text)
{
    ssize_t r = write(2, text, strlen(text));
    (void)r;
}

static void say_hex(const char *label, uintptr_t v)
{
    char buf[40];
    int n = 0;
    buf[n++] = ' ';
    for (const char *l = label; *l && n < 12; l++)
        buf[n++] = *l;
    buf[n++] = '=';
    buf[n++] = '0';
    buf[n++] = 'x';
    for (int shift = (int)(sizeof(v) * 8) - 4; shift >= 0; shift -= 4)
        buf[n++] = "0123456789abcdef"[(v >> shift) & 0xf];
    buf[n] = '\0';
    say(buf);
}

static void kernel_panic(int signo, const siginfo_t *si, const struct hal_fault *f)
{
    say("ksim: kernel panic: ");
    say(strsignal(signo));
    say(" in kernel code (not in an app)\n ");
    say_hex("addr", (uintptr_t)si->si_addr);
    say_hex("pc", f->pc);
    say_hex("sp", f->sp);
    for (unsigned i = 0; i < f->ngpr && i < 6; i++)
        say_hex("r", f->gpr[i]);
    say("\n");
    _exit(KSIM_EXIT_PANIC);
}

/*
 * The fault signals' handler (through hal__sigtramp_fault on x86-64, which
 * has already cleared AC and DF and put back the host's FS base). Returns
 * nonzero when the interrupted context now resumes the kernel.
 */
int hal__on_fault(int signo, siginfo_t *si, void *ucv, uintptr_t fsbase);
int hal__on_fault(int signo, siginfo_t *si, void *ucv, uintptr_t fsbase)
{
    struct hal_stub *s = hal__running;
    struct hal_fault f;
    hal__sud_allow(); /* from here on, host system calls are ours */
    memset(&f, 0, sizeof(f));
    f.kind = hal__fault_kind_of(signo);
    f.signo = signo;
    f.addr = (uintptr_t)si->si_addr;
    fill_machine_state(&f, signo, ucv);
    if (!s || !s->current || !hal__arch_app_running(s))
        kernel_panic(signo, si, &f);
    f.pc = hal__arch_report_pc(s, f.pc);
    s->stop->kind = HAL_STOP_FAULT;
    s->stop->fault = f;
    return hal__arch_stop_from_signal(s, ucv, fsbase);
}

#if defined(__x86_64__) && !defined(KSIM_SWITCH_UCONTEXT)
void hal__sigtramp_fault(int signo, siginfo_t *si, void *uc);
#define FAULT_HANDLER hal__sigtramp_fault
#else
static void on_fault_plain(int signo, siginfo_t *si, void *uc)
{
    (void)hal__on_fault(signo, si, uc, 0);
}
#define FAULT_HANDLER on_fault_plain
#endif

int hal__fault_init(struct hal_stub *s, char *err, size_t errlen)
{
    stack_t ss = {0};
    struct sigaction sa;

    s->altstack = malloc(ALTSTACK_SIZE);
    ss.ss_sp = s->altstack;
    ss.ss_size = ALTSTACK_SIZE;
    if (!s->altstack || sigaltstack(&ss, NULL) != 0) {
        snprintf(err, errlen, "cannot set up the signal stack for fault handling");
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = FAULT_HANDLER;
    /* NODEFER: a fault in the handler itself is a kernel panic, not a silent death.
     * No tick may land while the handler rewrites the interrupted context. */
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGVTALRM);
    for (size_t i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]); i++) {
        if (sigaction(fault_signals[i], &sa, NULL) != 0) {
            snprintf(err, errlen, "cannot install the %s handler", strsignal(fault_signals[i]));
            return -1;
        }
    }
    return 0;
}

void hal__fault_fini(struct hal_stub *s)
{
    stack_t ss = {0};
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    for (size_t i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]); i++)
        signal(fault_signals[i], SIG_DFL);
    free(s->altstack);
    s->altstack = NULL;
}
