/*
 * The `fuzz` case: how many system calls a second the fuzz_syscalls harness
 * pushes through the real kernel, in its replay build (tests/fuzz/), on one
 * core. Each sample spawns the replay program on a fixed set of random
 * inputs and reads the figure the harness itself prints (KSIM_FUZZ_STATS):
 * calls per CPU second of that process, so other work on the machine
 * counts less. There is no baseline: the goal is a rate.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define FUZZ_INPUTS    200  /* per sample: a fraction of a second in a Release build */
#define FUZZ_INPUT_MIN 256  /* bytes */
#define FUZZ_INPUT_MAX 4096 /* the harness's inputs are of this order in a campaign */
#define FUZZ_SEED      0x6b73696d

extern char **environ;

/* A small fixed-seed generator: the same inputs on every run and machine. */
static uint32_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (uint32_t)(*state >> 11);
}

static int write_inputs(const char *dir)
{
    uint64_t state = FUZZ_SEED;
    static uint8_t buf[FUZZ_INPUT_MAX];
    for (unsigned i = 0; i < FUZZ_INPUTS; i++) {
        char path[4096];
        size_t len = FUZZ_INPUT_MIN + next_random(&state) % (FUZZ_INPUT_MAX - FUZZ_INPUT_MIN);
        for (size_t j = 0; j < len; j++)
            buf[j] = (uint8_t)next_random(&state);
        snprintf(path, sizeof(path), "%s/input-%04u", dir, i);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(buf, 1, len, f) != len) {
            if (f)
                fclose(f);
            return -1;
        }
        if (fclose(f) != 0)
            return -1;
    }
    return 0;
}

static void remove_dir(const char *dir)
{
    for (unsigned i = 0; i < FUZZ_INPUTS; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/input-%04u", dir, i);
        unlink(path);
    }
    rmdir(dir);
}

/* Runs the replay program on dir with its statistics going to stats; 0 on exit status 0. */
static int spawn_replay(const char *replay, const char *dir, const char *stats)
{
    posix_spawn_file_actions_t fa;
    char *argv[] = {(char *)replay, (char *)dir, NULL};
    pid_t pid;
    int status, rc;

    if (setenv("KSIM_FUZZ_STATS", stats, 1) != 0 || posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    /* The replay program names every input on stderr: not for the table. */
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    rc = posix_spawn(&pid, replay, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    unsetenv("KSIM_FUZZ_STATS");
    if (rc != 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The harness's line: "... N system calls in W s: R calls/s (C s of CPU: P calls per CPU second)".
 */
static int read_rate(const char *stats, double *per_cpu_second)
{
    char line[512];
    FILE *f = fopen(stats, "r");
    const char *at;
    int rc = -1;
    if (!f)
        return -1;
    if (fgets(line, sizeof(line), f) && (at = strstr(line, "s of CPU: ")) &&
        sscanf(at, "s of CPU: %lf calls per CPU second", per_cpu_second) == 1 &&
        *per_cpu_second > 0)
        rc = 0;
    fclose(f);
    return rc;
}

int case_fuzz(struct bench_ctx *c, struct bench_result *r)
{
    struct bench_samples rate = {0};
    char dir[] = "/tmp/ksim-bench-fuzz-XXXXXX", stats[4096 + 16];
    int rc = -1;

    if (!c->paths.fuzz_replay || access(c->paths.fuzz_replay, X_OK) != 0) {
        r->na = "the fuzz_syscalls replay program was not built";
        return 0;
    }
    if (!mkdtemp(dir)) {
        perror("ksim-bench: fuzz: mkdtemp");
        return -1;
    }
    snprintf(stats, sizeof(stats), "%s/stats", dir);
    if (write_inputs(dir) != 0) {
        fprintf(stderr, "ksim-bench: fuzz: cannot write inputs in %s\n", dir);
        goto out;
    }
    uint64_t start = bench_now_ns();
    for (unsigned n = 0; bench_more(c, n, start); n++) {
        double v;
        bench_progress(c, n);
        unlink(stats);
        if (spawn_replay(c->paths.fuzz_replay, dir, stats) != 0 || read_rate(stats, &v) != 0) {
            fprintf(stderr, "ksim-bench: fuzz: %s %s failed or printed no figure\n",
                    c->paths.fuzz_replay, dir);
            goto out;
        }
        bench_samples_add(&rate, v);
    }
    r->samples = rate.n;
    r->median = bench_quantile(&rate, 0.5);
    r->p90 = bench_quantile(&rate, 0.1); /* a rate: the slow tail is the low end */
    r->baseline = 1;
    r->ratio = r->median;
    snprintf(r->note, sizeof(r->note),
             "calls per CPU second of fuzz_syscalls_replay on %u random inputs of %u-%u bytes",
             FUZZ_INPUTS, FUZZ_INPUT_MIN, FUZZ_INPUT_MAX);
    rc = 0;
out:
    unlink(stats);
    remove_dir(dir);
    bench_samples_free(&rate);
    return rc;
}
