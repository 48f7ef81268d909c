/*
 * The ksim command line: `run`, `config --dump`, `pack`, `layout`, `--version`,
 * `--help`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board.h"
#include "cli/cmd.h"
#include "run/runner.h"
#include "watch/watch.h"

static const char usage_text[] =
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
    "  --isolation mpu|off    page protections follow the running process (default mpu)\n"
    "  --fault-policy P       panic, stop or restart:N\n"
    "  --trace FILE           write a Chrome Trace Event JSON trace (Perfetto, chrome://tracing)\n"
    "  --trace-filter SPEC    only these: proc=NAME,driver=NUMBER,...\n"
    "  --console              the process console on stdin (help for its commands)\n"
    "  --console-port N       also serve it on 127.0.0.1:N\n"
    "  --press B@S[,B@S...]   press button B at S virtual seconds (released 0.1 s later)\n"
    "  --gpio P=0|1@S[,...]   drive input pin P low or high at S seconds\n"
    "  --seed N               seed of the random-number driver (0..4294967295)\n"
    "  --flash IMG            boot the apps in this flash image (ksim flash) first\n"
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
    const char *flash_image;
    bool console;
    int console_port;
    bool until_set;
    double until;
    bool seed_set;
    uint32_t seed;
    struct sim_stimulus inputs[SIM_STIMULI_MAX];
    size_t ninputs;
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

static int add_input(struct run_args *a, enum sim_stimulus_kind kind, unsigned index, bool level,
                     double t_s)
{
    if (a->ninputs == SIM_STIMULI_MAX)
        return -1;
    a->inputs[a->ninputs++] = (struct sim_stimulus){kind, index, level, t_s};
    return 0;
}

/*
 * "B@S,B@S..." (--press) or "P=L@S,..." (--gpio), appended to a->inputs in
 * the order given. A press is two inputs: pressed at S, released
 * SIM_PRESS_HOLD_S later. Indexes are checked against the board later.
 */
static int parse_inputs(struct run_args *a, const char *spec, bool pin)
{
    char *copy = strdup(spec), *save = NULL;
    int rc = copy ? 0 : -1, n = 0;
    for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && rc == 0;
         tok = strtok_r(NULL, ",", &save), n++) {
        unsigned index, level = 1;
        char extra, *end, *at = strchr(tok, '@');
        if (!at || at == tok) {
            rc = -1;
            break;
        }
        *at = '\0';
        double t = strtod(at + 1, &end);
        if (end == at + 1 || *end != '\0' || !(t >= 0) || t > 1e9)
            rc = -1;
        else if (pin)
            rc = sscanf(tok, "%u=%u%c", &index, &level, &extra) == 2 && level <= 1 ? 0 : -1;
        else
            rc = sscanf(tok, "%u%c", &index, &extra) == 1 ? 0 : -1;
        if (rc == 0 && pin)
            rc = add_input(a, SIM_STIM_PIN, index, level == 1, t);
        else if (rc == 0 && add_input(a, SIM_STIM_BUTTON, index, true, t) != 0)
            rc = -1;
        else if (rc == 0)
            rc = add_input(a, SIM_STIM_BUTTON, index, false, t + SIM_PRESS_HOLD_S);
    }
    free(copy);
    return rc == 0 && n > 0 ? 0 : -1;
}

static int parse_seed(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || *end != '\0' || errno != 0 || v > UINT32_MAX || s[0] == '-')
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int apply_overrides(struct board *b, const struct run_args *a)
{
    if (a->seed_set)
        b->drivers.rng_seed = a->seed;
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
        {"console", no_argument, NULL, 'C'},
        {"console-port", required_argument, NULL, 'P'},
        {"trace-filter", required_argument, NULL, 'T'},
        {"press", required_argument, NULL, 'p'},
        {"gpio", required_argument, NULL, 'g'},
        {"seed", required_argument, NULL, 's'},
        {"flash", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static struct run_args a; /* large (the input list); cmd_run runs once */
    int c;
    memset(&a, 0, sizeof(a));
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
        case 'C':
            a.console = true;
            break;
        case 'P': {
            char *end;
            long port = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || port < 1 || port > 65535)
                return usage_error("--console-port: expected a TCP port 1..65535, got '%s'",
                                   optarg);
            a.console_port = (int)port;
            break;
        }
        case 'T':
            a.trace_filter = optarg;
            break;
        case 'p':
            if (parse_inputs(&a, optarg, false) != 0)
                return usage_error("--press: expected BUTTON@SECONDS[,...] (at most 128 "
                                   "presses), got '%s'",
                                   optarg);
            break;
        case 'g':
            if (parse_inputs(&a, optarg, true) != 0)
                return usage_error("--gpio: expected PIN=0|1@SECONDS[,...] (at most 256), "
                                   "got '%s'",
                                   optarg);
            break;
        case 's':
            if (parse_seed(optarg, &a.seed) != 0)
                return usage_error("--seed: expected an integer 0..4294967295, got '%s'", optarg);
            a.seed_set = true;
            break;
        case 'F':
            a.flash_image = optarg;
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
    if (rc == 0 && optind >= argc && b->app_count == 0 && !a.console && !a.console_port &&
        !a.flash_image)
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
            .console = a.console,
            .console_port = a.console_port,
            .inputs = a.inputs,
            .ninputs = a.ninputs,
            .flash_image = a.flash_image,
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

/* Called by main (entry.c), which stays out of gdb's way. */
int ksim_main(int argc, char **argv);

int ksim_main(int argc, char **argv)
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
    if (strcmp(argv[1], "watch") == 0)
        return sim_cmd_watch(argc - 1, argv + 1);
    if (strcmp(argv[1], "memmap") == 0)
        return sim_cmd_memmap(argc - 1, argv + 1);
    if (strcmp(argv[1], "config") == 0)
        return cmd_config(argc - 1, argv + 1);
    if (strcmp(argv[1], "pack") == 0)
        return sim_cmd_pack(argc - 1, argv + 1);
    if (strcmp(argv[1], "layout") == 0)
        return sim_cmd_layout(argc - 1, argv + 1);
    if (strcmp(argv[1], "flash") == 0)
        return sim_cmd_flash(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", argv[1]);
}
