/* `ksim flash`: install, list, remove and erase apps in a flash image (sim/image/flash_image.c). */
#define _GNU_SOURCE
#include "cli/cmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appload.h"
#include "board/board.h"
#include "board/board_config.h"
#include "image/appfile.h"
#include "image/flash_image.h"
#include "image/tbf_pack.h"
#include "run/runner.h"

static const char flash_usage[] =
    "usage: ksim flash --image IMG [--board FILE] install APP.tbf|APP.elf\n"
    "       ksim flash --image IMG [--board FILE] list\n"
    "       ksim flash --image IMG remove NAME\n"
    "       ksim flash --image IMG erase\n"
    "The board (default: the built-in one) gives the flash size. Boot the image with\n"
    "ksim run --flash IMG [--board FILE].\n";

static int flash_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ksim: flash: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", flash_usage);
    return SIM_EXIT_BAD_INPUT;
}

/*
 * The app as a checked TBF object: a TBF file as it is, an ELF packed with
 * the defaults of `ksim pack`. Either way it must load as `ksim run` would
 * load it. 0, or -1 with the reason printed.
 */
static int app_object(const char *path, const char *board_name, uint8_t **tbf, size_t *len)
{
    char msg[1024], name[64];
    uint8_t *bytes;
    size_t n;
    struct appload_info info;
    struct appload_error e;
    if (sim_read_file(path, &bytes, &n, msg, sizeof(msg)) != 0) {
        fprintf(stderr, "ksim: flash: %s\n", msg);
        return -1;
    }
    sim_app_name(path, name, sizeof(name));
    if (appload_inspect(sim_host_machine(), name, bytes, n, &info, &e) != 0) {
        sim_appload_message(path, &e, board_name, msg, sizeof(msg));
        fprintf(stderr, "ksim: flash: %s\n", msg);
        free(bytes);
        return -1;
    }
    if (info.is_tbf) {
        *tbf = bytes;
        *len = info.tbf.total_size; /* anything after the object is not its own */
        return 0;
    }
    const struct tbf_pack_options o = {.package_name = name};
    int rc = tbf_pack(bytes, n, sim_host_machine(), &o, tbf, len, msg, sizeof(msg));
    free(bytes);
    if (rc != 0)
        fprintf(stderr, "ksim: flash: %s: %s\n", path, msg);
    return rc;
}

static int do_install(const char *image, const struct board *b, const char *app)
{
    char err[1024];
    uint8_t *tbf;
    size_t len;
    if (app_object(app, b->name, &tbf, &len) != 0)
        return SIM_EXIT_BAD_INPUT;
    int rc = flash_image_install(image, b->flash.size, tbf, len, err, sizeof(err));
    free(tbf);
    if (rc != 0) {
        fprintf(stderr, "ksim: flash: %s\n", err);
        return SIM_EXIT_BAD_INPUT;
    }
    return SIM_EXIT_OK;
}

static int do_command(const char *image, const struct board *b, char **args, int nargs)
{
    char err[1024];
    const char *cmd = args[0];
    int want = strcmp(cmd, "install") == 0 || strcmp(cmd, "remove") == 0 ? 2 : 1;
    if (strcmp(cmd, "install") && strcmp(cmd, "list") && strcmp(cmd, "remove") &&
        strcmp(cmd, "erase"))
        return flash_error("unknown command '%s' (install, list, remove or erase)", cmd);
    if (nargs != want)
        return flash_error("%s: wrong number of arguments", cmd);
    if (strcmp(cmd, "install") == 0)
        return do_install(image, b, args[1]);
    int rc;
    if (strcmp(cmd, "list") == 0)
        rc = flash_image_list(image, b->flash.size, stdout, err, sizeof(err));
    else if (strcmp(cmd, "erase") == 0)
        rc = flash_image_erase(image, err, sizeof(err));
    else if ((rc = flash_image_remove(image, args[1], err, sizeof(err))) == 1)
        snprintf(err, sizeof(err), "%s: no app '%s' is installed (see ksim flash list)", image,
                 args[1]);
    if (rc != 0) {
        fprintf(stderr, "ksim: flash: %s\n", err);
        return SIM_EXIT_BAD_INPUT;
    }
    return SIM_EXIT_OK;
}

int sim_cmd_flash(int argc, char **argv)
{
    static const struct option opts[] = {
        {"image", required_argument, NULL, 'i'},
        {"board", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *image = NULL, *board_file = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+i:b:h", opts, NULL)) != -1) {
        if (c == 'i') {
            image = optarg;
        } else if (c == 'b') {
            board_file = optarg;
        } else if (c == 'h') {
            fputs(flash_usage, stdout);
            return SIM_EXIT_OK;
        } else {
            return flash_error("%s", "unknown option");
        }
    }
    if (!image)
        return flash_error("%s", "expected --image IMG");
    if (optind >= argc)
        return flash_error("%s", "expected a command: install, list, remove or erase");
    struct board *b = malloc(sizeof(*b));
    if (!b)
        return SIM_EXIT_PANIC;
    int rc = SIM_EXIT_BAD_INPUT;
    if (sim_cli_load_board(b, board_file) == 0)
        rc = do_command(image, b, &argv[optind], argc - optind);
    free(b);
    return rc;
}
