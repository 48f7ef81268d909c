/*
 * gdb's JIT interface. gdb finds the two symbols below by name in ksim,
 * reads the descriptor's list when it starts or attaches, and stops at the
 * function (a breakpoint it owns) to read the entry named by the descriptor.
 */
#define _GNU_SOURCE
#include "debug/gdb_jit.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define GDB_JIT_TRACER_RECHECK_S 0.5

/* Actions, in the numbering gdb expects. */
enum { JIT_NOACTION = 0, JIT_REGISTER = 1, JIT_UNREGISTER = 2 };

/* The descriptor's layout is gdb's (version 1); entries are struct gdb_jit_entry,
 * whose first four fields have gdb's layout of an entry. */
struct jit_descriptor {
    uint32_t version;
    uint32_t action_flag;
    struct gdb_jit_entry *relevant_entry;
    struct gdb_jit_entry *first_entry;
};

/* Both names are part of the interface: gdb looks them up. */
void __jit_debug_register_code(void);
extern struct jit_descriptor __jit_debug_descriptor;
struct jit_descriptor __jit_debug_descriptor = {1, JIT_NOACTION, NULL, NULL};

/* Empty, but never inlined or dropped: the debugger's breakpoint sits here. */
__attribute__((noinline, used)) void __jit_debug_register_code(void)
{
    __asm__ volatile("" ::: "memory");
}

/*
 * Signals are held off while the debugger looks: a signal handled at the
 * breakpoint (ksim's preemption tick, passed on silently) returns to it,
 * the debugger sees a second hit, and gdb registers the entry twice.
 */
static void notify(struct gdb_jit_entry *e, uint32_t action)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    __jit_debug_descriptor.relevant_entry = e;
    __jit_debug_descriptor.action_flag = action;
    __jit_debug_register_code();
    __jit_debug_descriptor.action_flag = JIT_NOACTION;
    __jit_debug_descriptor.relevant_entry = NULL;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void gdb_jit_register(struct gdb_jit_entry *e, const uint8_t *object, size_t size)
{
    if (e->registered)
        return;
    e->object = object;
    e->size = size;
    e->prev = NULL;
    e->next = __jit_debug_descriptor.first_entry;
    if (e->next)
        e->next->prev = e;
    __jit_debug_descriptor.first_entry = e;
    e->registered = true;
    notify(e, JIT_REGISTER);
}

void gdb_jit_unregister(struct gdb_jit_entry *e)
{
    if (!e->registered)
        return;
    if (e->prev)
        e->prev->next = e->next;
    else
        __jit_debug_descriptor.first_entry = e->next;
    if (e->next)
        e->next->prev = e->prev;
    notify(e, JIT_UNREGISTER);
    e->registered = false;
    e->next = e->prev = NULL;
}

static bool read_tracer_pid(void)
{
    char line[128];
    long tracer = 0;
    FILE *f = fopen("/proc/self/status", "re");
    if (!f)
        return false;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "TracerPid: %ld", &tracer) == 1)
            break;
    fclose(f);
    return tracer != 0;
}

/*
 * Asking the host costs about 20 us, a tenth of a process restart; a person
 * attaches a debugger, so an answer half a second old is as good.
 */
bool gdb_jit_debugger_attached(void)
{
    static bool asked, attached;
    static struct timespec when;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    double age = (double)(now.tv_sec - when.tv_sec) + (now.tv_nsec - when.tv_nsec) / 1e9;
    if (!asked || age > GDB_JIT_TRACER_RECHECK_S || age < 0) {
        attached = read_tracer_pid();
        asked = true;
        when = now;
    }
    return attached;
}
