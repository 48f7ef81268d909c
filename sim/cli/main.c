/*
 * The ksim command line: `--version`, `--help`, and the dispatch to each
 * command's sim_cmd_* (cli/cmd.h), with the helpers they share.
 */
#define _GNU_SOURCE
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>

#include "board/board.h"
#include "run/runner.h"
#include "watch/watch.h"

const char sim_cli_usage_text[] =
    "usage: ksim run [options] APP...         run apps (.elf or .tbf) on a board\n"
    "       ksim config --dump [--board FILE] print the effective board configuration\n"
    "       ksim memmap (--svg FILE | --text) [--board FILE] [APP.elf...]  draw the memory map\n"
    "       ksim watch [--build CMD] [--watch PATH] APP.elf|DIR... [-- RUN-OPTIONS]  rebuild and\n"
    "                  rerun on every saved change\n"
    "       ksim pack APP.elf -o APP.tbf      wrap an app in a Tock Binary Format object\n"
    "       ksim layout [--board FILE] APP... the process memory blocks the board would build\n"
    "       ksim flash --image IMG CMD ...    install, list, remove or erase apps in a flash "
    "image\n"
    "       ksim --version | --help\n"
    "\n"
    "run options:\n"
    "  --board FILE           board file (default: the built-in board)\n"
    "  --clock virtual|real   virtual time jumps to the next deadline (default)\n"
    "  --until SECONDS        end the run after this much (virtual) time\n"
    "  --isolation mpu|off|process\n"
    "                         page protections follow the running process (mpu, default),\n"
    "                         none (off), or each app in a host process of its own\n"
    "  --fault-policy P       panic, stop or restart:N\n"
    "  --trace FILE           write a Chrome Trace Event JSON trace (Perfetto, chrome://tracing)\n"
    "  --trace-filter SPEC    only these: proc=NAME,driver=NUMBER,...\n"
    "  --console              the process console on stdin (help for its commands)\n"
    "  --console-port N       also serve it on 127.0.0.1:N (0: a free port, printed on stderr)\n"
    "  --press B@S[,B@S...]   press button B at S virtual seconds (released 0.1 s later)\n"
    "  --gpio P=0|1@S[,...]   drive input pin P low or high at S seconds\n"
    "  --seed N               seed of the random-number driver (0..4294967295)\n"
    "  --flash IMG            boot the apps in this flash image (ksim flash) first\n"
    "\n"
    "exit status: 0 all apps ended with code 0 (or --until came), 1 an app ended with a\n"
    "non-zero code or waits forever, 2 bad input, 3 an app faulted, 4 kernel panic\n";

int sim_cli_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ksim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", sim_cli_usage_text);
    return SIM_EXIT_BAD_INPUT;
}

int sim_cli_load_board(struct board *b, const char *path)
{
    char err[BOARD_ERR_MAX];
    if (board_open(b, path, err) != 0) {
        fprintf(stderr, "ksim: %s\n", err);
        return -1;
    }
    return 0;
}

const char *sim_cli_board_name(const char *path)
{
    return path ? path : "<default board>";
}

/* Called by main (entry.c), which stays out of gdb's way. */
int ksim_main(int argc, char **argv);

int ksim_main(int argc, char **argv)
{
    if (argc < 2)
        return sim_cli_usage_error("%s", "no command given");
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("ksim %s\n", KSIM_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(sim_cli_usage_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "run") == 0)
        return sim_cmd_run(argc - 1, argv + 1);
    if (strcmp(argv[1], "watch") == 0)
        return sim_cmd_watch(argc - 1, argv + 1);
    if (strcmp(argv[1], "memmap") == 0)
        return sim_cmd_memmap(argc - 1, argv + 1);
    if (strcmp(argv[1], "config") == 0)
        return sim_cmd_config(argc - 1, argv + 1);
    if (strcmp(argv[1], "pack") == 0)
        return sim_cmd_pack(argc - 1, argv + 1);
    if (strcmp(argv[1], "layout") == 0)
        return sim_cmd_layout(argc - 1, argv + 1);
    if (strcmp(argv[1], "flash") == 0)
        return sim_cmd_flash(argc - 1, argv + 1);
    return sim_cli_usage_error("unknown command '%s'", argv[1]);
}
