/*
 * The trace: Chrome Trace Event JSON (cJSON) that opens in Perfetto and
 * chrome://tracing. One track per process and one for the kernel; system
 * calls as complete events, upcalls, switches, faults, loads and restarts as
 * instant events; timestamps in (virtual) time. Events are buffered as
 * small records and written in chunks, so long runs stay cheap.
 */
#ifndef KSIM_SIM_RUN_TRACE_H
#define KSIM_SIM_RUN_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

struct trace;

/*
 * Opens path for writing. filter is NULL or a comma list of `proc=NAME` and
 * `driver=NUMBER` items (a process or driver matches if any item names it).
 * NULL with a message in err on a bad filter or an unwritable file.
 */
struct trace *trace_open(const char *path, const char *filter, const char *board_name, char *err,
                         size_t errlen);

/* Records a kernel event at time now_ns. */
void trace_kernel_event(struct trace *t, const struct kernel_event *ev, uint64_t now_ns);

/* Records an instant event on the kernel track (LEDs, GPIO, loads...). */
void trace_instant(struct trace *t, const char *name, const char *detail, uint64_t now_ns);

/* Tracing on or off without closing (the process console's `trace on|off`). */
void trace_enable(struct trace *t, bool on);

/* Writes what is buffered and closes the JSON. 0, or -1 if the file could not be written. */
int trace_close(struct trace *t);

#endif /* KSIM_SIM_RUN_TRACE_H */
