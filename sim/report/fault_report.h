/*
 * sim/report/: what a user reads about memory and faults. It owns the
 * fault report (fault_report.c), the text pictures of a process block and
 * its MPU regions (memview.c) and the board memory map, as text and SVG
 * (boardmap.c, boardmap_svg.c).
 * May include: board/, image/, kernel/ and hal-stub/ headers; never run/,
 * which calls it (docs/architecture.md).
 *
 * The fault report a user reads when an app crashes (docs/faults.md explains it).
 */
#ifndef KSIM_SIM_REPORT_FAULT_REPORT_H
#define KSIM_SIM_REPORT_FAULT_REPORT_H

#include <stdio.h>

#include "hal_stub.h"
#include "kernel.h"

/* Prints p's last fault in board terms. */
void fault_report_print(FILE *out, const struct kernel *k, struct hal_stub *hal,
                        const struct proc *p);

#endif /* KSIM_SIM_REPORT_FAULT_REPORT_H */
