/*
 * `ksim layout [--board FILE] APP...`: the process memory block the board's
 * MPU model builds for each app, and with several apps the whole RAM, as
 * text, so a user sees where padding goes and why an app does not fit.
 */
#ifndef KSIM_SIM_CMD_LAYOUT_H
#define KSIM_SIM_CMD_LAYOUT_H

/* argv[0] is "layout". Returns 0 (all fit), 1 (some app does not fit) or 2 (bad input). */
int sim_cmd_layout(int argc, char **argv);

#endif /* KSIM_SIM_CMD_LAYOUT_H */
