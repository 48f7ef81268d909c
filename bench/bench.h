/*
 * ksim-bench: shared types. A case measures what ksim does and, in the same
 * run and interleaved with it, a baseline measured by code that stands apart
 * from ksim (baseline.c), so the ratio holds on whatever machine runs it.
 */
#ifndef KSIM_BENCH_H
#define KSIM_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How long a case may sample: at least min samples, then until the time is up. */
struct bench_budget {
    unsigned min_samples;
    unsigned max_samples;
    double seconds;
};

/* Samples of one measured quantity, in the case's unit. */
struct bench_samples {
    double *v;
    unsigned n, cap;
};

struct bench_result {
    const char *name;
    const char *unit;
    const char *goal; /* the goal, for the reader; never judged */
    const char *na;   /* non-NULL: the case cannot run yet, and why */
    bool higher_is_better;
    double median, p90; /* p90: the slow tail (the 10th percentile of a rate) */
    double baseline;    /* median of the baseline, in the same unit */
    double ratio;       /* median / baseline */
    unsigned samples;
    double seconds; /* wall time the case took, baselines included */
    char note[160]; /* printed under the table, and in the JSON */
};

/* Paths of what the cases run, fixed at build time (CMake). */
struct bench_paths {
    const char *ksim;        /* build/ksim */
    const char *apps;        /* build/apps */
    const char *nolibc;      /* bench's static no-libc program */
    const char *fuzz_replay; /* tests/fuzz/fuzz_syscalls_replay, or NULL */
};

struct bench_ctx {
    struct bench_budget budget;
    struct bench_paths paths;
    bool quick;
    bool quiet_progress;
    const char *case_name; /* for the progress line */
};

/* --- timing and statistics (stats.c) -------------------------------------- */
uint64_t bench_now_ns(void); /* wall clock: budgets, and `boot` */
/*
 * CPU time of the calling thread, user and system: what the in-process cases
 * and their baselines are timed with, so that other work on a shared machine
 * inflates them less. On an idle machine it equals the wall clock here.
 */
uint64_t bench_cpu_ns(void);
void bench_samples_add(struct bench_samples *s, double v);
void bench_samples_free(struct bench_samples *s);
double bench_quantile(const struct bench_samples *s, double q); /* nearest rank */
/* True while a case should take another sample (budget from start_ns). */
bool bench_more(const struct bench_ctx *c, unsigned n, uint64_t start_ns);
/* The progress line on stderr: which case runs, which sample. */
void bench_progress(const struct bench_ctx *c, unsigned sample);
void bench_progress_done(const struct bench_ctx *c);

/* --- baselines, apart from ksim (baseline.c) ------------------------------- */
/* Seconds for `rounds` bare round trips between two stacks (hal__switch). */
double baseline_switch_round_trips(unsigned long rounds);
/* Seconds for posix_spawn + wait of argv[0] (exit 0 expected), stdout to /dev/null; < 0 on error.
 * Used for ksim and for the no-libc program alike. */
double bench_spawn_wait(char *const argv[]);
/*
 * Seconds for `switches` switches between two blocks of `size` bytes as a
 * protection change needs at least: the old block made inaccessible and the
 * new one accessible (two mprotect calls, memory-file mappings as ksim's),
 * a page of it touched, and a bare round trip between two stacks.
 */
double baseline_protect_switches(size_t size, unsigned switches);
/* Wall seconds for `rounds` futex round trips between two host processes. */
double baseline_futex_round_trips(unsigned rounds);
/* Seconds to open, read whole and close path; < 0 on error. */
double baseline_read_file(const char *path);

/* --- fd 1 to /dev/null while ksim runs in-process ---------------------------- */
int bench_stdout_mute(void); /* returns the saved fd, or -1 */
void bench_stdout_restore(int saved);

/* --- the cases (cases.c) ---------------------------------------------------- */
int case_syscall(struct bench_ctx *c, struct bench_result *r);
int case_syscall_process(struct bench_ctx *c, struct bench_result *r);
int case_upcall(struct bench_ctx *c, struct bench_result *r);
int case_boot(struct bench_ctx *c, struct bench_result *r);
int case_load(struct bench_ctx *c, struct bench_result *r);
int case_virtual_time(struct bench_ctx *c, struct bench_result *r);
int case_trace(struct bench_ctx *c, struct bench_result *r);
int case_yield_switch(struct bench_ctx *c, struct bench_result *r, bool isolation);
int case_scale(struct bench_ctx *c, struct bench_result *r);
int case_fuzz(struct bench_ctx *c, struct bench_result *r); /* case_fuzz.c */

#endif /* KSIM_BENCH_H */
