/*
 * sim/cli/: the ksim command line. It owns argument parsing and the usage
 * text, and nothing else: each command turns its options into a call of the
 * folder that does the work, and every board value it takes on the command
 * line (--clock, --isolation, --fault-policy) goes through the board
 * parser (board/board.h), so no value is parsed twice.
 *
 * May include: every other sim/ folder (board, run, image, debug, report,
 * watch), kernel/ and hal-stub/ headers. Nothing outside cli/ includes it.
 *
 * One entry point per command, all `sim_cmd_<command>`; argv[0] is the
 * command's name, and each returns an exit status (enum sim_exit, run/runner.h).
 */
#ifndef KSIM_SIM_CLI_CMD_H
#define KSIM_SIM_CLI_CMD_H

/* `ksim run [options] APP...` (cmd_run.c). */
int sim_cmd_run(int argc, char **argv);

/* `ksim config --dump [--board FILE]` (cmd_config.c). */
int sim_cmd_config(int argc, char **argv);

/* `ksim pack APP.elf -o APP.tbf`: wraps an app in a Tock Binary Format object. */
int sim_cmd_pack(int argc, char **argv);

/*
 * `ksim layout [--board FILE] APP...`: the process memory block the board's
 * MPU model builds for each app, and with several apps the whole RAM, as
 * text, so a user sees where padding goes and why an app does not fit.
 * Returns 0 (all fit), 1 (some app does not fit) or 2 (bad input).
 */
int sim_cmd_layout(int argc, char **argv);

/* `ksim flash --image IMG install|list|remove|erase`: edits a flash image. */
int sim_cmd_flash(int argc, char **argv);

/*
 * `ksim memmap`: the board memory map with every process block, its MPU
 * regions, padding and grant region, as an SVG picture or as text.
 */
int sim_cmd_memmap(int argc, char **argv);

/* (`ksim watch` is watch/watch.h's sim_cmd_watch.) */

/* --- shared by the commands (main.c) --- */

struct board;

/* ksim's usage text (--help). */
extern const char sim_cli_usage_text[];

/* Prints "ksim: " fmt (with arg) and the usage text to stderr; returns SIM_EXIT_BAD_INPUT. */
int sim_cli_usage_error(const char *fmt, const char *arg);

/*
 * --board FILE: loads path, or the built-in board when path is NULL
 * (board_open). 0, or -1 with the board parser's message printed.
 */
int sim_cli_load_board(struct board *b, const char *path);

/* How messages name the board: path, or "<default board>". */
const char *sim_cli_board_name(const char *path);

#endif /* KSIM_SIM_CLI_CMD_H */
