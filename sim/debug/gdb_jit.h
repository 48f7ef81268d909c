/*
 * gdb's JIT interface (the gdb manual, "JIT Compilation Interface"): a list
 * of in-memory object files that gdb reads when it starts or attaches, and
 * a function it keeps a breakpoint on, called after every change to the
 * list. With no debugger, a change costs a few pointer writes and a call to
 * an empty function.
 */
#ifndef KSIM_SIM_DEBUG_GDB_JIT_H
#define KSIM_SIM_DEBUG_GDB_JIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One object file in the list; caller-allocated, linked while registered. */
struct gdb_jit_entry {
    struct gdb_jit_entry *next, *prev; /* gdb reads these two and the two below */
    const uint8_t *object;
    uint64_t size;
    bool registered;
};

/*
 * Adds the ELF object[0..size) to the list and tells the debugger. The
 * object must stay unchanged in memory until gdb_jit_unregister(e).
 * Does nothing if e is already registered.
 */
void gdb_jit_register(struct gdb_jit_entry *e, const uint8_t *object, size_t size);

/* Removes e from the list and tells the debugger; nothing if not registered. */
void gdb_jit_unregister(struct gdb_jit_entry *e);

/* True when a debugger (any ptrace tracer) is attached to ksim (checked at
 * most every half second). */
bool gdb_jit_debugger_attached(void);

#endif /* KSIM_SIM_DEBUG_GDB_JIT_H */
