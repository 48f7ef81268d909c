/* `ksim config --dump [--board FILE]`: the effective board, every default explicit. */
#define _GNU_SOURCE
#include "cli/cmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "board/board.h"
#include "run/runner.h"

int sim_cmd_config(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dump", no_argument, NULL, 'd'},
        {"board", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    const char *board_file = NULL;
    bool dump = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "db:", opts, NULL)) != -1) {
        if (c == 'd')
            dump = true;
        else if (c == 'b')
            board_file = optarg;
        else
            return sim_cli_usage_error("%s", "config: unknown option");
    }
    if (!dump || optind != argc)
        return sim_cli_usage_error("%s", "config: expected --dump [--board FILE]");
    struct board *b = malloc(sizeof(*b));
    if (!b || sim_cli_load_board(b, board_file) != 0) {
        free(b);
        return SIM_EXIT_BAD_INPUT;
    }
    char *text = board_dump(b);
    free(b);
    if (!text)
        return SIM_EXIT_PANIC;
    printf("%s\n", text);
    free(text);
    return 0;
}
