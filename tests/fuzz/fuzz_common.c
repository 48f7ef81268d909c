/* Helpers shared by the fuzz targets (fuzz_common.h). */
#define _GNU_SOURCE
#include "fuzz_common.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <unistd.h>

#include "loader.h"

void fz_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("ksim fuzz: invariant broken: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF          0
#endif

/* The signals hal-stub takes over: faults (hal_fault.c), preemption and host-syscall
 * dispatch (hal_preempt.c). */
static const int hal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGVTALRM};
#define NSIGNALS (sizeof(hal_signals) / sizeof(hal_signals[0]))

struct hal_stub *fz_hal_stub_create(const struct hal_stub_config *cfg)
{
    struct sigaction old[NSIGNALS];
    struct itimerval old_timer;
    stack_t old_stack;
    char err[256];

    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(hal_signals[i], NULL, &old[i]);
    sigaltstack(NULL, &old_stack);
    getitimer(ITIMER_VIRTUAL, &old_timer);
    struct hal_stub *s = hal_stub_create(cfg, err, sizeof(err));
    if (!s) {
        fprintf(stderr, "ksim fuzz: cannot create the host HAL: %s\n", err);
        abort();
    }
    /* No app code runs: no preemption ticks, no host-syscall barrier. */
    setitimer(ITIMER_VIRTUAL, &old_timer, NULL);
    prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(hal_signals[i], &old[i], NULL);
    /* SS_DISABLE when there was none; the HAL's buffer simply stays unused. */
    if (old_stack.ss_flags & SS_DISABLE) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
    } else {
        sigaltstack(&old_stack, NULL);
    }
    return s;
}

int fz_devnull(void)
{
    static int fd = -1;
    if (fd < 0) {
        fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            perror("ksim fuzz: /dev/null");
            abort();
        }
    }
    return fd;
}
