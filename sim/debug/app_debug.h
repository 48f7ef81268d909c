/*
 * sim/debug/: apps in the debugger. It owns gdb's JIT interface
 * (gdb_jit.c), registering each loaded app (app_debug.c) and the ELF/DWARF
 * rebaser (elf_rebase.c, dwarf_*.c, sharing elf_rebase_internal.h).
 * May include: run/memmap.h (to make an app's pages private before gdb
 * writes breakpoints into them), kernel/ and hal-stub/ headers; nothing
 * else of sim/ (docs/architecture.md).
 *
 * Apps in the debugger: each loaded app's symbols and DWARF, rebased to its
 * load address, registered through gdb's JIT interface while it is loaded,
 * so breakpoints, backtraces and variables work in app source. Only when a
 * debugger is attached: otherwise an app start costs one look at
 * /proc/self/status.
 */
#ifndef KSIM_SIM_DEBUG_APP_DEBUG_H
#define KSIM_SIM_DEBUG_APP_DEBUG_H

#include "hal_stub.h"
#include "kernel.h"
#include "run/memmap.h"

struct app_debug;

/* For nslots process slots; NULL when out of memory (then there is no debugging). */
struct app_debug *app_debug_create(struct sim_memmap *mem, struct hal_stub *hal, unsigned nslots);

/* Unregisters every app and frees everything (NULL: nothing). */
void app_debug_destroy(struct app_debug *d);

/*
 * Follows the kernel's events: an app is registered when it starts (its
 * image placed), unregistered when it is about to restart (the image is
 * placed again) or is unloaded. Other events are ignored.
 */
void app_debug_on_event(struct app_debug *d, const struct kernel_event *ev);

#endif /* KSIM_SIM_DEBUG_APP_DEBUG_H */
