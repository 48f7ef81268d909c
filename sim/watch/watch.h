/*
 * sim/watch/: `ksim watch`. It owns the build plan read from each app's
 * build note (watch_plan.c) and the rebuild-and-rerun loop (watch.c).
 * May include: run/, image/, kernel/ and hal-stub/ headers. Of sim/, only cli/
 * includes it (docs/architecture.md).
 *
 * `ksim watch`: rebuild and rerun apps whenever a source file is saved, and
 * say how long it took from the save to the first output.
 */
#ifndef KSIM_SIM_WATCH_WATCH_H
#define KSIM_SIM_WATCH_WATCH_H

/* argv[0] is "watch". Returns an enum sim_exit: 0 when stopped by SIGINT or SIGTERM. */
int sim_cmd_watch(int argc, char **argv);

#endif /* KSIM_SIM_WATCH_WATCH_H */
