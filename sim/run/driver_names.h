/* Tock's driver numbers by name, for messages about drivers a board lacks. */
#ifndef KSIM_SIM_RUN_DRIVER_NAMES_H
#define KSIM_SIM_RUN_DRIVER_NAMES_H

#include <stdint.h>

/* "date-time" for 0x90007; NULL for a number Tock does not give out. */
const char *sim_driver_name(uint32_t driver);

#endif /* KSIM_SIM_RUN_DRIVER_NAMES_H */
