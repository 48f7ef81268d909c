/* `ksim pack`: an ELF app into a TBF object (sim/image/tbf_pack.c builds it). */
#define _GNU_SOURCE
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_config.h"
#include "image/appfile.h"
#include "image/tbf_pack.h"
#include "run/runner.h"

static const char pack_usage[] =
    "usage: ksim pack APP.elf -o APP.tbf [options]\n"
    "  -o, --output FILE      the TBF to write (replaced atomically)\n"
    "  --name NAME            package name (default: the ELF's file name without .elf)\n"
    "  --min-ram BYTES        minimum_ram_size (default: the ELF's image, data and bss)\n"
    "  --app-version N        the Program element's binary version (default 0)\n"
    "  --flash-region BYTES   add a writeable flash region of this size (up to 4)\n"
    "  --disabled             clear the enabled flag (Tock does not start it)\n"
    "  --sticky               set the sticky flag\n";

static int pack_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ksim: pack: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", pack_usage);
    return SIM_EXIT_BAD_INPUT;
}

/* A byte count: decimal or 0x hex, with an optional K or M suffix (KiB, MiB). */
static int parse_u32(const char *s, uint32_t *out, bool suffixes)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || errno != 0 || s[0] == '-')
        return -1;
    if (suffixes && (*end == 'K' || *end == 'k')) {
        v *= 1024;
        end++;
    } else if (suffixes && (*end == 'M' || *end == 'm')) {
        v *= 1024 * 1024;
        end++;
    }
    if (*end != '\0' || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_pack_args(int argc, char **argv, struct tbf_pack_options *o, const char **in,
                           const char **out)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"name", required_argument, NULL, 'n'},
        {"min-ram", required_argument, NULL, 'm'},
        {"app-version", required_argument, NULL, 'v'},
        {"flash-region", required_argument, NULL, 'r'},
        {"disabled", no_argument, NULL, 'd'},
        {"sticky", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            *out = optarg;
            break;
        case 'n':
            o->package_name = optarg;
            break;
        case 'm':
            if (parse_u32(optarg, &o->minimum_ram_size, true) != 0)
                return pack_error("--min-ram: expected a byte count below 4 GiB, got '%s'", optarg);
            break;
        case 'v':
            if (parse_u32(optarg, &o->binary_version, false) != 0)
                return pack_error("--app-version: expected 0..4294967295, got '%s'", optarg);
            break;
        case 'r':
            if (o->nregions == TBF_MAX_WFR)
                return pack_error("--flash-region: at most 4 regions (%s is one too many)", optarg);
            if (parse_u32(optarg, &o->region_size[o->nregions], true) != 0 ||
                o->region_size[o->nregions] == 0 || o->region_size[o->nregions] > (16u << 20))
                return pack_error("--flash-region: expected 1 byte to 16M, got '%s'", optarg);
            o->nregions++;
            break;
        case 'd':
            o->disabled = true;
            break;
        case 's':
            o->sticky = true;
            break;
        case 'h':
            fputs(pack_usage, stdout);
            return -1;
        default:
            return pack_error("%s", "unknown option");
        }
    }
    if (optind != argc - 1)
        return pack_error("%s", "expected exactly one ELF file");
    if (!*out)
        return pack_error("%s", "expected -o OUTPUT.tbf");
    *in = argv[optind];
    return 0;
}

int sim_cmd_pack(int argc, char **argv)
{
    struct tbf_pack_options o = {0};
    const char *in = NULL, *out = NULL;
    char name[64], err[1024] = "";
    uint8_t *elf = NULL, *tbf = NULL;
    size_t elf_len = 0, tbf_len = 0;

    int rc = parse_pack_args(argc, argv, &o, &in, &out);
    if (rc != 0)
        return rc < 0 ? 0 : rc; /* --help, or a usage error */
    if (!o.package_name) {
        sim_app_name(in, name, sizeof(name));
        o.package_name = name;
    }
    if (sim_read_file(in, &elf, &elf_len, err, sizeof(err)) != 0 ||
        tbf_pack(elf, elf_len, sim_host_machine(), &o, &tbf, &tbf_len, err, sizeof(err)) != 0) {
        /* A read error already names the file; a packing error does not. */
        if (strncmp(err, in, strlen(in)) == 0)
            fprintf(stderr, "ksim: pack: %s\n", err);
        else
            fprintf(stderr, "ksim: pack: %s: %s\n", in, err);
        free(elf);
        return SIM_EXIT_BAD_INPUT;
    }
    rc = sim_write_file_atomic(out, tbf, tbf_len, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "ksim: pack: %s\n", err);
    free(elf);
    free(tbf);
    return rc == 0 ? SIM_EXIT_OK : SIM_EXIT_BAD_INPUT;
}
