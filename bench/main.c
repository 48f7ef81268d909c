/*
 * ksim-bench: runs each case many times in one process, prints median, p90,
 * the baseline measured in the same run and the ratio; never passes or fails
 * on a time (DESIGN.md). See docs/performance.md.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#ifndef KSIM_BENCH_FUZZ_REPLAY
#define KSIM_BENCH_FUZZ_REPLAY NULL
#endif

#ifndef KSIM_BENCH_BUILD_TYPE
#define KSIM_BENCH_BUILD_TYPE "unknown"
#endif

enum case_id {
    C_SYSCALL,
    C_UPCALL,
    C_YIELD,
    C_YIELD_OFF,
    C_BOOT,
    C_LOAD,
    C_VTIME,
    C_SCALE,
    C_FUZZ,
    C_TRACE,
    C_SYSCALL_PROCESS,
    C_COUNT,
};

/* The cases, in its order; `na` says what a case waits for. */
static struct bench_result results[C_COUNT] = {
    [C_SYSCALL] = {.name = "syscall", .unit = "ns", .goal = "<= 2x baseline"},
    [C_UPCALL] = {.name = "upcall", .unit = "ns", .goal = "<= 5x syscall"},
    [C_YIELD] = {.name = "yield switch", .unit = "ns", .goal = "<= 1.3x baseline"},
    [C_YIELD_OFF] = {.name = "yield switch off", .unit = "ns", .goal = "<= 3x syscall"},
    [C_BOOT] = {.name = "boot", .unit = "ms", .goal = "<= 3x baseline"},
    [C_LOAD] = {.name = "load", .unit = "us", .goal = "none set"},
    [C_VTIME] = {.name = "virtual time",
                 .unit = "vs/s",
                 .goal = ">= 3600 (1 h in < 1 s)",
                 .higher_is_better = true},
    [C_SCALE] = {.name = "scale", .unit = "ns", .goal = "<= 1.5 at 256"},
    [C_FUZZ] = {.name = "fuzz", .unit = "calls/s", .goal = ">= 100000", .higher_is_better = true},
    [C_TRACE] = {.name = "trace", .unit = "ns", .goal = "<= 3x syscall"},
    [C_SYSCALL_PROCESS] = {.name = "syscall process", .unit = "ns", .goal = "<= 1.5x baseline"},
};

static const char usage_text[] =
    "usage: ksim-bench [--quick] [--json FILE] [--compare OLD.json] [CASE...]\n"
    "  --quick          fewer samples: the whole run in under a minute\n"
    "  --json FILE      write {\"cases\": {NAME: {median, p90, unit, baseline, ratio}}}\n"
    "  --compare FILE   print each case's change against a saved --json run\n"
    "  CASE             run only these: syscall upcall yield_switch yield_switch_off boot\n"
    "                   load virtual_time scale fuzz trace syscall_process\n"
    "Figures only: the exit status says whether the cases ran, never how fast.\n";

/* "virtual_time" and "virtual time" name the same case. */
static int find_case(const char *arg)
{
    for (int i = 0; i < C_COUNT; i++) {
        const char *a = arg, *n = results[i].name;
        while (*a && *n && (*a == *n || (*a == '_' && *n == ' '))) {
            a++;
            n++;
        }
        if (!*a && !*n)
            return i;
    }
    return -1;
}

static const char *fmt_num(double v, char *buf, size_t cap)
{
    double a = fabs(v);
    if (isnan(v))
        snprintf(buf, cap, "-");
    else if (a >= 1000)
        snprintf(buf, cap, "%.0f", v);
    else if (a >= 100)
        snprintf(buf, cap, "%.1f", v);
    else if (a >= 10)
        snprintf(buf, cap, "%.2f", v);
    else
        snprintf(buf, cap, "%.3f", v);
    return buf;
}

static bool sanitized(void)
{
#ifdef KSIM_SANITIZE
    return true;
#else
    return false;
#endif
}

/* Load averages (1 min) when the run started and ended: other work on the machine shows. */
static double load_start = -1, load_end = -1;

static double load_now(void)
{
    double l[1];
    return getloadavg(l, 1) == 1 ? l[0] : -1;
}

static void print_table(const bool *run, bool quick)
{
    char m[32], p[32], b[32], r[32];
    printf("ksim-bench: %s build%s%s, %ld CPUs, load average %.2f -> %.2f\n", KSIM_BENCH_BUILD_TYPE,
           sanitized() ? " with ASan+UBSan (not representative)" : "", quick ? ", --quick" : "",
           sysconf(_SC_NPROCESSORS_ONLN), load_start, load_end);
    printf("%-17s %10s %10s %-8s %10s %8s  %s\n", "case", "median", "p90", "unit", "baseline",
           "ratio", "goal");
    for (int i = 0; i < C_COUNT; i++) {
        const struct bench_result *x = &results[i];
        if (!run[i])
            continue;
        if (x->na) {
            printf("%-17s %10s %10s %-8s %10s %8s  %s; n/a: %s\n", x->name, "n/a", "", x->unit, "",
                   "", x->goal, x->na);
            continue;
        }
        printf("%-17s %10s %10s %-8s %10s %8s  %s\n", x->name, fmt_num(x->median, m, sizeof(m)),
               fmt_num(x->p90, p, sizeof(p)), x->unit, fmt_num(x->baseline, b, sizeof(b)),
               fmt_num(x->ratio, r, sizeof(r)), x->goal);
    }
    for (int i = 0; i < C_COUNT; i++)
        if (run[i] && !results[i].na && results[i].note[0])
            printf("  %s: %s\n", results[i].name, results[i].note);
}

static void add_meta(cJSON *root, bool quick)
{
    cJSON *meta = cJSON_AddObjectToObject(root, "meta");
    struct utsname u;
    char date[32] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(meta, "date", date);
    cJSON_AddStringToObject(meta, "build", KSIM_BENCH_BUILD_TYPE);
    cJSON_AddBoolToObject(meta, "sanitizers", sanitized());
    cJSON_AddBoolToObject(meta, "quick", quick);
    cJSON_AddNumberToObject(meta, "cpus", (double)sysconf(_SC_NPROCESSORS_ONLN));
    cJSON_AddNumberToObject(meta, "loadavg_start", load_start);
    cJSON_AddNumberToObject(meta, "loadavg_end", load_end);
    if (uname(&u) == 0) {
        cJSON_AddStringToObject(meta, "machine", u.machine);
        cJSON_AddStringToObject(meta, "kernel", u.release);
    }
}

static int write_json(const char *path, const bool *run, bool quick)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *cases = cJSON_AddObjectToObject(root, "cases");
    cJSON *skipped = cJSON_AddObjectToObject(root, "skipped");
    for (int i = 0; i < C_COUNT; i++) {
        const struct bench_result *x = &results[i];
        if (!run[i])
            continue;
        if (x->na) {
            cJSON_AddStringToObject(skipped, x->name, x->na);
            continue;
        }
        cJSON *o = cJSON_AddObjectToObject(cases, x->name);
        cJSON_AddNumberToObject(o, "median", x->median);
        cJSON_AddNumberToObject(o, "p90", x->p90);
        cJSON_AddStringToObject(o, "unit", x->unit);
        cJSON_AddNumberToObject(o, "baseline", x->baseline);
        cJSON_AddNumberToObject(o, "ratio", x->ratio);
        cJSON_AddNumberToObject(o, "samples", x->samples);
        cJSON_AddNumberToObject(o, "seconds", x->seconds);
        cJSON_AddBoolToObject(o, "higher_is_better", x->higher_is_better);
        if (x->note[0])
            cJSON_AddStringToObject(o, "note", x->note);
    }
    add_meta(root, quick);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    FILE *f = text ? fopen(path, "w") : NULL;
    int rc = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(text);
    if (rc)
        fprintf(stderr, "ksim-bench: cannot write %s\n", path);
    return rc;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* Prints each case's change against a saved run; a rate's rise is an improvement. */
static int compare(const char *path, const bool *run)
{
    char *text = read_text(path);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    if (!cJSON_IsObject(cases)) {
        fprintf(stderr, "ksim-bench: %s: not a ksim-bench --json file\n", path);
        cJSON_Delete(root);
        return -1;
    }
    char o[32], n[32];
    printf("\nchange against %s:\n", path);
    for (int i = 0; i < C_COUNT; i++) {
        const struct bench_result *x = &results[i];
        if (!run[i] || x->na)
            continue;
        cJSON *old = cJSON_GetObjectItemCaseSensitive(cases, x->name);
        cJSON *om = cJSON_GetObjectItemCaseSensitive(old, "median");
        if (!cJSON_IsNumber(om) || om->valuedouble == 0) {
            printf("%-17s %10s -> %10s %-8s (not in the old run)\n", x->name, "-",
                   fmt_num(x->median, n, sizeof(n)), x->unit);
            continue;
        }
        double change = (x->median - om->valuedouble) / om->valuedouble * 100.0;
        bool better = x->higher_is_better ? change > 0 : change < 0;
        printf("%-17s %10s -> %10s %-8s %+7.1f%% (%s)\n", x->name,
               fmt_num(om->valuedouble, o, sizeof(o)), fmt_num(x->median, n, sizeof(n)), x->unit,
               change,
               change == 0 ? "same"
               : better    ? "better"
                           : "worse");
    }
    cJSON_Delete(root);
    return 0;
}

static int run_case(struct bench_ctx *c, int i)
{
    struct bench_result *r = &results[i];
    c->case_name = r->name;
    uint64_t t0 = bench_now_ns();
    int rc;
    switch (i) {
    case C_SYSCALL:
        rc = case_syscall(c, r);
        break;
    case C_UPCALL:
        rc = case_upcall(c, r);
        break;
    case C_BOOT:
        rc = case_boot(c, r);
        break;
    case C_LOAD:
        rc = case_load(c, r);
        break;
    case C_VTIME:
        rc = case_virtual_time(c, r);
        break;
    case C_TRACE:
        rc = case_trace(c, r);
        break;
    case C_SYSCALL_PROCESS:
        rc = case_syscall_process(c, r);
        break;
    case C_YIELD:
        rc = case_yield_switch(c, r, true);
        break;
    case C_YIELD_OFF:
        rc = case_yield_switch(c, r, false);
        break;
    case C_SCALE:
        rc = case_scale(c, r);
        break;
    case C_FUZZ:
        rc = case_fuzz(c, r);
        break;
    default:
        return 0;
    }
    r->seconds = (double)(bench_now_ns() - t0) / 1e9;
    bench_progress_done(c);
    if (rc != 0) {
        fprintf(stderr, "ksim-bench: case '%s' failed to run\n", r->name);
        r->na = "failed to run (see the messages above)";
    }
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quick", no_argument, NULL, 'q'},
        {"json", required_argument, NULL, 'j'},
        {"compare", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *json = NULL, *old = NULL;
    bool quick = false, run[C_COUNT], any = false;
    int opt;

    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'q':
            quick = true;
            break;
        case 'j':
            json = optarg;
            break;
        case 'c':
            old = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            fputs(usage_text, stderr);
            return 2;
        }
    }
    memset(run, 0, sizeof(run));
    for (int i = optind; i < argc; i++) {
        int c = find_case(argv[i]);
        if (c < 0) {
            fprintf(stderr, "ksim-bench: no case '%s'\n%s", argv[i], usage_text);
            return 2;
        }
        run[c] = any = true;
    }
    for (int i = 0; i < C_COUNT && !any; i++)
        run[i] = true;

    struct bench_ctx ctx = {
        /* Quick: the whole run, even under ASan, well inside a minute. */
        .budget = quick ? (struct bench_budget){3, 50, 1.5} : (struct bench_budget){15, 1000, 8},
        .paths = {KSIM_BENCH_KSIM, KSIM_BENCH_APPS, KSIM_BENCH_NOLIBC, KSIM_BENCH_FUZZ_REPLAY},
        .quick = quick,
    };
    int failed = 0;
    load_start = load_now();
    for (int i = 0; i < C_COUNT; i++)
        if (run[i] && !results[i].na && run_case(&ctx, i) != 0)
            failed++;
    load_end = load_now();
    print_table(run, quick);
    if (json && write_json(json, run, quick) != 0)
        failed++;
    if (old && compare(old, run) != 0)
        failed++;
    return failed ? 1 : 0;
}
