/* The fault report a user reads when an app crashes (docs/faults.md explains it). */
#ifndef KSIM_SIM_REPORT_FAULT_REPORT_H
#define KSIM_SIM_REPORT_FAULT_REPORT_H

#include <stdio.h>

#include "hal_stub.h"
#include "kernel.h"

/* Prints p's last fault in board terms. */
void fault_report_print(FILE *out, const struct kernel *k, struct hal_stub *hal,
                        const struct proc *p);

#endif /* KSIM_SIM_REPORT_FAULT_REPORT_H */
