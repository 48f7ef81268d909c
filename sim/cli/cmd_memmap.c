/*
 * `ksim memmap (--svg FILE | --text) [--board FILE] [APP...]`: loads the apps
 * exactly as `ksim run` does (sim_run with an inspect hook: the real loader,
 * the board's MPU model), runs nothing, and draws where everything went.
 */
#define _GNU_SOURCE
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board.h"
#include "report/boardmap.h"
#include "run/runner.h"

static const char memmap_usage[] =
    "usage: ksim memmap (--svg FILE | --text) [--board FILE] [APP.elf...]\n"
    "  --svg FILE    write the memory map as an SVG picture (- for stdout)\n"
    "  --text        print it as text (the ranges, then each process's block and MPU regions)\n"
    "  --board FILE  board file (default: the built-in board); its \"apps\" are loaded too\n";

struct memmap_args {
    const char *svg_path;
    bool text;
};

static int bad_usage(const char *what)
{
    fprintf(stderr, "ksim: memmap: %s\n%s", what, memmap_usage);
    return SIM_EXIT_BAD_INPUT;
}

static int write_svg(const struct boardmap *m, const char *path)
{
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "w");
    if (!f) {
        fprintf(stderr, "ksim: memmap: --svg %s: cannot create: %s\n", path, strerror(errno));
        return SIM_EXIT_BAD_INPUT;
    }
    int rc = boardmap_svg(f, m);
    if (to_stdout)
        rc |= fflush(f);
    else
        rc |= fclose(f);
    if (rc != 0) {
        fprintf(stderr, "ksim: memmap: --svg %s: could not write the picture\n", path);
        if (!to_stdout)
            remove(path);
        return SIM_EXIT_BAD_INPUT;
    }
    return SIM_EXIT_OK;
}

/* Called by sim_run once every app is loaded, before anything runs. */
static int draw(void *ctx, const struct sim_loaded *loaded)
{
    const struct memmap_args *a = ctx;
    struct boardmap m;
    if (boardmap_build(&m, loaded->board, loaded->kernel, loaded->hal) != 0) {
        fprintf(stderr, "ksim: memmap: out of memory\n");
        return SIM_EXIT_PANIC;
    }
    int rc = SIM_EXIT_OK;
    if (a->text)
        boardmap_text(stdout, &m);
    if (a->svg_path)
        rc = write_svg(&m, a->svg_path);
    boardmap_free(&m);
    return rc;
}

int sim_cmd_memmap(int argc, char **argv)
{
    static const struct option opts[] = {
        {"svg", required_argument, NULL, 's'},
        {"text", no_argument, NULL, 't'},
        {"board", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct memmap_args a = {0};
    const char *board_file = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
        if (c == 's')
            a.svg_path = optarg;
        else if (c == 't')
            a.text = true;
        else if (c == 'b')
            board_file = optarg;
        else if (c == 'h') {
            fputs(memmap_usage, stdout);
            return SIM_EXIT_OK;
        } else
            return bad_usage("unknown option");
    }
    if (!a.svg_path && !a.text)
        return bad_usage("give --svg FILE, --text or both");
    struct board *b = malloc(sizeof(*b));
    if (!b)
        return SIM_EXIT_PANIC;
    if (sim_cli_load_board(b, board_file) != 0) {
        free(b);
        return SIM_EXIT_BAD_INPUT;
    }
    const struct sim_run_options o = {
        .board = b,
        .board_file = sim_cli_board_name(board_file),
        .apps = (const char *const *)&argv[optind],
        .napps = (size_t)(argc - optind),
        .inspect = draw,
        .inspect_ctx = &a,
    };
    int rc = sim_run(&o);
    free(b);
    return rc;
}
