/* Timing, sample statistics and the progress line. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t bench_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void bench_samples_add(struct bench_samples *s, double v)
{
    if (s->n == s->cap) {
        unsigned cap = s->cap ? s->cap * 2 : 64;
        double *nv = realloc(s->v, cap * sizeof(*nv));
        if (!nv)
            return; /* a lost sample only shrinks the set */
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = v;
}

void bench_samples_free(struct bench_samples *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_quantile(const struct bench_samples *s, double q)
{
    if (s->n == 0)
        return NAN;
    double *sorted = malloc(s->n * sizeof(*sorted));
    if (!sorted)
        return NAN;
    memcpy(sorted, s->v, s->n * sizeof(*sorted));
    qsort(sorted, s->n, sizeof(*sorted), cmp_double);
    /* Nearest rank: a value that was actually measured. */
    double rank = ceil(q * s->n);
    unsigned i = rank < 1 ? 0 : (unsigned)rank - 1;
    if (i >= s->n)
        i = s->n - 1;
    double v = sorted[i];
    free(sorted);
    return v;
}

bool bench_more(const struct bench_ctx *c, unsigned n, uint64_t start_ns)
{
    if (n < c->budget.min_samples)
        return true;
    if (n >= c->budget.max_samples)
        return false;
    return (double)(bench_now_ns() - start_ns) / 1e9 < c->budget.seconds;
}

void bench_progress(const struct bench_ctx *c, unsigned sample)
{
    if (c->quiet_progress)
        return;
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "\rksim-bench: running %s, sample %u\033[K", c->case_name, sample + 1);
    else if (sample == 0)
        fprintf(stderr, "ksim-bench: running %s\n", c->case_name);
}

void bench_progress_done(const struct bench_ctx *c)
{
    if (!c->quiet_progress && isatty(STDERR_FILENO))
        fprintf(stderr, "\r\033[K");
}

int bench_stdout_mute(void)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0) {
        if (saved >= 0)
            close(saved);
        if (null >= 0)
            close(null);
        return -1;
    }
    close(null);
    return saved;
}

void bench_stdout_restore(int saved)
{
    if (saved < 0)
        return;
    dup2(saved, STDOUT_FILENO);
    close(saved);
}
