/*
 * What a board file means for the HAL and the kernel: the one place that
 * turns a struct board into a hal_stub_config and a kernel_config, for the
 * run loop, the benchmarks and the fuzz targets alike.
 */
#ifndef KSIM_SIM_BOARD_BOARD_CONFIG_H
#define KSIM_SIM_BOARD_BOARD_CONFIG_H

#include "board/board.h"
#include "hal_stub.h"
#include "kernel.h"

/* Fills both from b (a validated board). Console output goes to stdout. */
void sim_board_configs(const struct board *b, struct hal_stub_config *hc, struct kernel_config *kc);

/* The ELF machine (LOADER_EM_*) of the host apps are built for. */
uint16_t sim_host_machine(void);

#endif /* KSIM_SIM_BOARD_BOARD_CONFIG_H */
