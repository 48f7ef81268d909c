/*
 * The ksim command line: `run`, `config --dump`, `--version`, `--help`.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "runner.h"

static const char usage_text[] =
    "usage: ksim run [options] APP.elf...     run apps on a board\n"
    "       ksim config --dump [--board FILE] print the effective board configuration\n"
    "       ksim --version | --help\n"
    "\n"
    "run options:\n"
    "  --board FILE           board file (default: the built-in board)\n"
    "  --clock virtual|real   virtual time jumps to the next deadline (default)\n"
    "  --until SECONDS        end the run after this much (virtual) time\n"
    "  --isolation mpu|off    page protections follow the running process (default mpu)\n"
    "  --fault-policy P       panic, stop or restart:N\n"
    "  --trace FILE           write a Chrome Trace Event JSON trace (Perfetto, chrome://tracing)\n"
    "  --trace-filter SPEC    only these: proc=NAME,driver=NUMBER,...\n"
    "\n"
    "exit status: 0 all apps ended with code 0 (or --until came), 1 an app ended with a\n"
    "non-zero code or waits forever, 2 bad input, 3 an app faulted, 4 kernel panic\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ksim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage_text);
    return SIM_EXIT_BAD_INPUT;
}

static int load_board(struct board *b, const char *path)
{
    char err[BOARD_ERR_MAX];
    if (!path) {
        board_default(b);
        return 0;
    }
    if (board_load(b, path, err) != 0) {
        fprintf(stderr, "ksim: %s\n", err);
        return -1;
    }
    return 0;
}

struct run_args {
    const char *board_file;
    const char *trace, *trace_filter;
    const char *clock, *isolation, *fault_policy;
    bool until_set;
    double until;
};

static int parse_until(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= 0) || v > 1e9)
        return -1;
    *out = v;
    return 0;
}

static int apply_overrides(struct board *b, const struct run_args *a)
{
    if (a->clock) {
        if (strcmp(a->clock, "virtual") == 0)
            b->clock.mode = BOARD_CLOCK_VIRTUAL;
        else if (strcmp(a->clock, "real") == 0)
            b->clock.mode = BOARD_CLOCK_REAL;
        else
            return usage_error("--clock: expected virtual or real, got '%s'", a->clock);
    }
    if (a->isolation) {
        if (strcmp(a->isolation, "mpu") == 0)
            b->isolation = BOARD_ISOLATION_MPU;
        else if (strcmp(a->isolation, "off") == 0)
            b->isolation = BOARD_ISOLATION_OFF;
        else
            return usage_error("--isolation: expected mpu or off, got '%s'", a->isolation);
    }
    if (a->fault_policy) {
        unsigned n;
        char extra;
        if (strcmp(a->fault_policy, "panic") == 0)
            b->fault_policy = BOARD_FAULT_PANIC;
        else if (strcmp(a->fault_policy, "stop") == 0)
            b->fault_policy = BOARD_FAULT_STOP;
        else if (sscanf(a->fault_policy, "restart:%u%c", &n, &extra) == 1 && n >= 1 && n <= 1000) {
            b->fault_policy = BOARD_FAULT_RESTART;
            b->fault_restarts = n;
        } else
            return usage_error("--fault-policy: expected panic, stop or restart:N (N 1..1000), "
                               "got '%s'",
                               a->fault_policy);
    }
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"board", required_argument, NULL, 'b'},
        {"clock", required_argument, NULL, 'c'},
        {"until", required_argument, NULL, 'u'},
        {"isolation", required_argument, NULL, 'i'},
        {"fault-policy", required_argument, NULL, 'f'},
        {"trace", required_argument, NULL, 't'},
        {"trace-filter", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct run_args a = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            a.board_file = optarg;
            break;
        case 'c':
            a.clock = optarg;
            break;
        case 'u':
            if (parse_until(optarg, &a.until) != 0)
                return usage_error("--until: expected seconds (a number >= 0), got '%s'", optarg);
            a.until_set = true;
            break;
        case 'i':
            a.isolation = optarg;
            break;
        case 'f':
            a.fault_policy = optarg;
            break;
        case 't':
            a.trace = optarg;
            break;
        case 'T':
            a.trace_filter = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return usage_error("%s", "run: unknown option");
        }
    }
    struct board *b = malloc(sizeof(*b));
    if (!b)
        return SIM_EXIT_PANIC;
    int rc = load_board(b, a.board_file) != 0 ? SIM_EXIT_BAD_INPUT : apply_overrides(b, &a);
    if (rc == 0 && optind >= argc && b->app_count == 0)
        rc = usage_error("%s", "run: no app given");
    if (rc == 0) {
        struct sim_run_options o = {
            .board = b,
            .board_file = a.board_file ? a.board_file : "<default board>",
            .apps = (const char *const *)&argv[optind],
            .napps = (size_t)(argc - optind),
            .until_set = a.until_set,
            .until_s = a.until,
            .trace_path = a.trace,
            .trace_filter = a.trace_filter,
        };
        rc = sim_run(&o);
    }
    free(b);
    return rc;
}

static int cmd_config(int argc, char **argv)
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
            return usage_error("%s", "config: unknown option");
    }
    if (!dump || optind != argc)
        return usage_error("%s", "config: expected --dump [--board FILE]");
    struct board *b = malloc(sizeof(*b));
    if (!b || load_board(b, board_file) != 0) {
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

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "no command given");
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("ksim %s\n", KSIM_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(argv[1], "config") == 0)
        return cmd_config(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", argv[1]);
}
