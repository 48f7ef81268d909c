/* Text pictures of a process memory block and its MPU regions. */
#ifndef KSIM_SIM_REPORT_MEMVIEW_H
#define KSIM_SIM_REPORT_MEMVIEW_H

#include <stdio.h>

#include "hal_stub.h"

struct hal_mpu_region;

/* The MPU model's regions for block b. */
void memview_mpu(FILE *out, struct hal_stub *hal, const struct hal_block *b);
/* A region list of the model called `model`, as memview_mpu prints it. */
void memview_mpu_regions(FILE *out, const char *model, const struct hal_mpu_region *r, unsigned n);
/* The block, highest address first, each part labelled with its board address. */
void memview_block(FILE *out, const struct hal_block *b);

#endif /* KSIM_SIM_REPORT_MEMVIEW_H */
