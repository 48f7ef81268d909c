/*
 * `ksim memmap`: the board memory map with every process block, its MPU
 * regions, padding and grant region, as an SVG picture or as text.
 */
#ifndef KSIM_SIM_CMD_MEMMAP_H
#define KSIM_SIM_CMD_MEMMAP_H

/* argv[0] is "memmap". Returns an enum sim_exit. */
int cmd_memmap(int argc, char **argv);

#endif /* KSIM_SIM_CMD_MEMMAP_H */
