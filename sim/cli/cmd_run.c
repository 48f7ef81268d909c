/*
 * `ksim run [options] APP...`: the options into a struct sim_run_options
 * for sim_run (run/runner.h). Board values given as options (--clock,
 * --isolation, --fault-policy) are set through board_set, so they accept
 * exactly what a board file accepts.
 */
#define _GNU_SOURCE
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board.h"
#include "run/runner.h"

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

/* --clock, --isolation and --fault-policy mean what the same keys mean in a board file. */
static int apply_overrides(struct board *b, const struct run_args *a)
{
    static const struct {
        const char *option, *key;
        size_t offset;
    } overrides[] = {
        {"--clock", "clock.mode", offsetof(struct run_args, clock)},
        {"--isolation", "isolation", offsetof(struct run_args, isolation)},
        {"--fault-policy", "fault_policy", offsetof(struct run_args, fault_policy)},
    };
    char err[BOARD_ERR_MAX];
    if (a->seed_set)
        b->drivers.rng_seed = a->seed;
    for (size_t i = 0; i < sizeof(overrides) / sizeof(overrides[0]); i++) {
        const char *value = *(const char *const *)((const char *)a + overrides[i].offset);
        if (value && board_set(b, overrides[i].option, overrides[i].key, value, err) != 0)
            return sim_cli_usage_error("%s", err);
    }
    return 0;
}

int sim_cmd_run(int argc, char **argv)
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
    static struct run_args a; /* large (the input list); sim_cmd_run runs once */
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
                return sim_cli_usage_error("--until: expected seconds (a number >= 0), got '%s'",
                                           optarg);
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
            if (*optarg == '\0' || *end || port < 0 || port > 65535)
                return sim_cli_usage_error("--console-port: expected a TCP port 0..65535 (0: any "
                                           "free one, printed), got '%s'",
                                           optarg);
            a.console_port = port == 0 ? SIM_CONSOLE_PORT_ANY : (int)port;
            break;
        }
        case 'T':
            a.trace_filter = optarg;
            break;
        case 'p':
            if (parse_inputs(&a, optarg, false) != 0)
                return sim_cli_usage_error("--press: expected BUTTON@SECONDS[,...] (at most 128 "
                                           "presses), got '%s'",
                                           optarg);
            break;
        case 'g':
            if (parse_inputs(&a, optarg, true) != 0)
                return sim_cli_usage_error("--gpio: expected PIN=0|1@SECONDS[,...] (at most 256), "
                                           "got '%s'",
                                           optarg);
            break;
        case 's':
            if (parse_seed(optarg, &a.seed) != 0)
                return sim_cli_usage_error("--seed: expected an integer 0..4294967295, got '%s'",
                                           optarg);
            a.seed_set = true;
            break;
        case 'F':
            a.flash_image = optarg;
            break;
        case 'h':
            fputs(sim_cli_usage_text, stdout);
            return 0;
        default:
            return sim_cli_usage_error("%s", "run: unknown option");
        }
    }
    struct board *b = malloc(sizeof(*b));
    if (!b)
        return SIM_EXIT_PANIC;
    int rc = sim_cli_load_board(b, a.board_file) != 0 ? SIM_EXIT_BAD_INPUT : apply_overrides(b, &a);
    if (rc == 0 && optind >= argc && b->app_count == 0 && !a.console && !a.console_port &&
        !a.flash_image)
        rc = sim_cli_usage_error("%s", "run: no app given");
    if (rc == 0) {
        struct sim_run_options o = {
            .board = b,
            .board_file = sim_cli_board_name(a.board_file),
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
