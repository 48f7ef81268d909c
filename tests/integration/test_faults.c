#define _GNU_SOURCE /* memmem */
/*
 * Issue 4's misbehaving apps, each beside the innocent victim: the victim
 * still prints "victim ok", the report names the culprit and the fault, and
 * ksim exits 3 (0 for the spinning app, ended by --until).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "run_ksim.h"

/* Arrays, not pointers: Criterion hands parameters to a re-executed worker. */
struct misbehaviour {
    char app[32];
    char says[64]; /* a phrase the fault report must contain */
};

static struct misbehaviour cases[] = {
    {"fault_null", "read at 0x00000000, in unmapped (a null pointer)"},
    {"fault_kernel", "in the kernel's RAM"},
    {"fault_neighbor", "in another process ('victim'"},
    {"fault_grant", "in its own grant region"},
    {"fault_flash_write", "write at 0x10000100, in flash"},
    {"fault_exec_data", "execute at"},
    {"fault_stack", "stack overflow"},
    {"fault_illegal", "illegal instruction"},
    {"fault_div0", "arithmetic fault"},
    {"fault_syscall", "host system call made directly"},
};

ParameterizedTestParameters(faults, victim_survives)
{
    return cr_make_param_array(struct misbehaviour, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct misbehaviour *m, faults, victim_survives)
{
    char name[64];
    snprintf(name, sizeof(name), "'%s'", m->app);
    struct ksim_result r =
        run_ksim((const char *const[]){"run", app_path("victim"), app_path(m->app), NULL}, NULL);
    cr_assert_eq(r.status, 3, "%s: exit %d, stderr: %s", m->app, r.status, r.err);
    cr_assert(strstr(r.out, "victim ok") != NULL, "%s: victim: %s", m->app, r.out);
    cr_assert(strstr(r.err, name) != NULL, "%s not named: %s", m->app, r.err);
    cr_assert(strstr(r.err, m->says) != NULL, "%s: report lacks '%s': %s", m->app, m->says, r.err);
    cr_assert(strstr(r.err, "memory block:") && strstr(r.err, "MPU ("),
              "%s: report lacks the block diagram or MPU regions: %s", m->app, r.err);
    ksim_result_free(&r);
}

Test(faults, spinning_app_does_not_starve_the_victim)
{
    struct ksim_result r =
        run_ksim((const char *const[]){"run", "--until", "20", app_path("victim"),
                                       app_path("fault_spin"), NULL},
                 NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "victim ok") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

Test(faults, report_names_the_faulting_function)
{
    struct ksim_result r =
        run_ksim((const char *const[]){"run", app_path("fault_null"), NULL}, NULL);
    cr_assert(strstr(r.err, " main+0x") != NULL, "no symbol for the pc: %s", r.err);
    ksim_result_free(&r);
}

/* The same misbehaviour on each MPU model's board: page, PMSAv7 and RISC-V PMP. */
struct on_board {
    char board[64];
    char app[32];
};

static struct on_board board_cases[64];

ParameterizedTestParameters(faults, victim_survives_on_every_mpu_model)
{
    static const char *const boards[] = {"nrf52840dk.json", "qemu-rv32-virt-lowmem.json"};
    size_t n = 0;
    for (size_t b = 0; b < sizeof(boards) / sizeof(boards[0]); b++)
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++, n++) {
            snprintf(board_cases[n].board, sizeof(board_cases[n].board), "%s", boards[b]);
            memcpy(board_cases[n].app, cases[i].app, sizeof(board_cases[n].app)); /* same size */
        }
    return cr_make_param_array(struct on_board, board_cases, n);
}

ParameterizedTest(struct on_board *c, faults, victim_survives_on_every_mpu_model)
{
    char board[512], name[64];
    snprintf(board, sizeof(board), "%s/boards/%s", KSIM_SOURCE_DIR, c->board);
    snprintf(name, sizeof(name), "'%s'", c->app);
    struct ksim_result r = run_ksim(
        (const char *const[]){"run", "--board", board, app_path("victim"), app_path(c->app), NULL},
        NULL);
    cr_assert_eq(r.status, 3, "%s on %s: exit %d, stderr: %s", c->app, c->board, r.status, r.err);
    cr_assert(strstr(r.out, "victim ok") != NULL, "%s on %s: %s", c->app, c->board, r.out);
    cr_assert(strstr(r.err, name) && strstr(r.err, "memory block:"), "%s on %s: %s", c->app,
              c->board, r.err);
    ksim_result_free(&r);
}

Test(faults, syscall_storm_harms_no_one)
{
    struct ksim_result r =
        run_ksim((const char *const[]){"run", "--seed", "5", "--until", "10", app_path("victim"),
                                       app_path("syscall_storm"), NULL},
                 NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    /* The storm writes random bytes to the console, NULs included. */
    cr_assert(memmem(r.out, r.out_len, "victim ok", 9) != NULL, "the victim was harmed");
    cr_assert(memmem(r.out, r.out_len, "survived", 8) != NULL, "the storm did not finish");
    cr_assert(strstr(r.err, "faulted") == NULL && strstr(r.err, "panic") == NULL,
              "the kernel reported a violation: %s", r.err);
    ksim_result_free(&r);
}

/*
 * Issue 18: CPU state an app controls never reaches the kernel or another
 * process. Each hostile app runs beside the victim on every MPU model.
 */
struct hostile {
    char board[64];
    char app[32];
    bool isolation_off;
    int status;
    char says[64]; /* on stdout (0) or in the fault report (3) */
};

static struct hostile hostile_cases[20];

ParameterizedTestParameters(faults, hostile_cpu_state_harms_no_one)
{
    static const char *const boards[] = {"", "nrf52840dk.json", "qemu-rv32-virt-lowmem.json"};
    static const struct hostile apps[] = {
        {"", "hostile_df", false, 0, "hostile_df done"},
        {"", "hostile_ac", false, 0, "hostile_ac done, AC kept"},
        {"", "hostile_deep_spin", false, 3, "host system call made directly"},
        {"", "hostile_cpu_chaos", false, 0, "3000 calls, state kept"},
    };
    size_t n = 0;
    /* The three MPU models, then the default board with --isolation off. */
    for (size_t b = 0; b < 4; b++)
        for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++, n++) {
            hostile_cases[n] = apps[i];
            snprintf(hostile_cases[n].board, sizeof(hostile_cases[n].board), "%s",
                     b < 3 ? boards[b] : "");
            hostile_cases[n].isolation_off = b == 3;
        }
    return cr_make_param_array(struct hostile, hostile_cases, n);
}

/*
 * In the trace, the victim's turns between the hostile process's memop (its
 * last call before the deep spin) and its fault: in the spin it only reads
 * the alarm counter, a command that never ends a turn, so each turn of the
 * victim's there is a preemption deep in the spinner's stack.
 */
static int victim_turns_during_spin(const char *trace_path)
{
    FILE *f = fopen(trace_path, "rb");
    cr_assert(f, "no trace at %s", trace_path);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof(text), f);
    fclose(f);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    cr_assert(doc, "the trace is not JSON");
    const cJSON *events = cJSON_GetObjectItem(doc, "traceEvents");
    int turns = 0, hostile_tid = -1;
    for (int i = cJSON_GetArraySize(events) - 1; i >= 0; i--) {
        const cJSON *e = cJSON_GetArrayItem(events, i);
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(e, "name"));
        const char *cat = cJSON_GetStringValue(cJSON_GetObjectItem(e, "cat"));
        const char *detail =
            cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "args"), "detail"));
        int tid = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "tid"));
        if (name && strcmp(name, "process fault") == 0 && hostile_tid < 0) {
            hostile_tid = tid;
            turns = 0;
        } else if (hostile_tid >= 0 && cat && strcmp(cat, "syscall") == 0 && tid == hostile_tid &&
                   name && strcmp(name, "memop") == 0) {
            break; /* its memop before the spin (in the spin it only reads the alarm) */
        } else if (hostile_tid >= 0 && name && strcmp(name, "switch") == 0 && detail &&
                   strcmp(detail, "victim") == 0) {
            turns++;
        }
    }
    cJSON_Delete(doc);
    return turns;
}

ParameterizedTest(struct hostile *h, faults, hostile_cpu_state_harms_no_one)
{
    char board[512], trace[] = "/tmp/ksim-hostile-XXXXXX";
    int fd = mkstemp(trace);
    cr_assert(fd >= 0);
    close(fd);
    snprintf(board, sizeof(board), "%s/boards/%s", KSIM_SOURCE_DIR,
             h->board[0] ? h->board : "nrf52840dk.json");
    /* The spinner runs without --until: alone once the victim has ended, a
     * preempted spinner lets virtual time jump straight to it. */
    bool spinner = strcmp(h->app, "hostile_deep_spin") == 0;
    const char *argv[14];
    int n = 0;
    argv[n++] = "run";
    if (h->isolation_off) {
        argv[n++] = "--isolation";
        argv[n++] = "off";
    }
    if (h->board[0]) {
        argv[n++] = "--board";
        argv[n++] = board;
    }
    if (!spinner) {
        argv[n++] = "--until";
        argv[n++] = "30";
    }
    argv[n++] = "--trace";
    argv[n++] = trace;
    argv[n++] = app_path("victim");
    argv[n++] = app_path(h->app);
    argv[n] = NULL;
    struct ksim_result r = run_ksim(argv, NULL);
    cr_assert_eq(r.status, h->status, "%s on '%s': exit %d, stdout: %s, stderr: %s", h->app,
                 h->board, r.status, r.out, r.err);
    cr_assert(strstr(r.out, "victim ok") != NULL, "%s on '%s': victim: %s", h->app, h->board,
              r.out);
    const char *where = h->status == 0 ? r.out : r.err;
    cr_assert(strstr(where, h->says) != NULL, "%s on '%s': no '%s' in: %s", h->app, h->board,
              h->says, where);
    cr_assert(strstr(r.err, "panic") == NULL, "%s: %s", h->app, r.err);
    if (spinner)
        cr_assert_gt(victim_turns_during_spin(trace), 0,
                     "on '%s' the victim never ran while the deep spinner spun", h->board);
    unlink(trace);
    ksim_result_free(&r);
}

Test(faults, app_never_sees_the_host_fs_base)
{
    struct ksim_result r = run_ksim(
        (const char *const[]){"run", app_path("victim"), app_path("hostile_fsbase"), NULL}, NULL);
    if (strstr(r.err, "illegal instruction")) { /* this CPU or OS keeps FS/GS base from apps */
        ksim_result_free(&r);
        cr_skip_test("rdfsbase is not allowed in user mode here");
    }
    cr_assert_eq(r.status, 0, "exit %d, stdout: %s, stderr: %s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, "at start fs=0x0 gs=0x0") != NULL, "stdout: %s", r.out);
    cr_assert(strstr(r.out, "after fs=0x12340000 gs=0x56780000") != NULL,
              "the app lost its own FS/GS base across preemption: %s", r.out);
    cr_assert(strstr(r.out, "victim ok") != NULL, "stdout: %s", r.out);
    ksim_result_free(&r);
}

/*
 * Issue 18 item 5: an app that exits with restart as its first act. Each
 * restart costs a timeslice of virtual time, so the victim's 2 s of sleeps
 * end, --until comes (exit 0), and the storm is visible in the restart
 * count, not frozen time.
 */
struct storm {
    char board[64];
    char isolation[8];
};

static struct storm storm_cases[] = {
    {"", "mpu"},
    {"nrf52840dk.json", "mpu"},
    {"qemu-rv32-virt-lowmem.json", "mpu"},
    {"", "off"},
};

ParameterizedTestParameters(faults, restart_storm_costs_virtual_time)
{
    return cr_make_param_array(struct storm, storm_cases,
                               sizeof(storm_cases) / sizeof(storm_cases[0]));
}

ParameterizedTest(struct storm *s, faults, restart_storm_costs_virtual_time)
{
    char board[512];
    snprintf(board, sizeof(board), "%s/boards/%s", KSIM_SOURCE_DIR,
             s->board[0] ? s->board : "nrf52840dk.json");
    const char *const with_board[] = {
        "run",         "--board",          board,
        "--isolation", s->isolation,       "--until",
        "5",           app_path("victim"), app_path("hostile_restart_storm"),
        NULL};
    const char *const plain[] = {"run",
                                 "--isolation",
                                 s->isolation,
                                 "--until",
                                 "5",
                                 app_path("victim"),
                                 app_path("hostile_restart_storm"),
                                 NULL};
    struct ksim_result r = run_ksim(s->board[0] ? with_board : plain, NULL);
    cr_assert_eq(r.status, 0, "on '%s': exit %d, stderr: %.2000s", s->board, r.status, r.err);
    cr_assert(strstr(r.out, "victim ok") != NULL, "on '%s': the victim never woke: %s", s->board,
              r.out);
    /* 5 s at one timeslice (10 ms on these boards) per restart: a few hundred. */
    cr_assert(strstr(r.err, "(restart 100)") != NULL && strstr(r.err, "(restart 10000)") == NULL,
              "on '%s': %.2000s", s->board, r.err);
    cr_assert(strstr(r.err, "(restart 11)") == NULL, "restarts after the tenth are not all told");
    ksim_result_free(&r);
}

/*
 * Issue 18 item 6: with --isolation off, stray stores between processes are
 * not caught, but the grant region still is: it holds the upcall pointers
 * and allow records the kernel acts on.
 */
Test(faults, isolation_off_still_keeps_grants_from_the_app)
{
    struct ksim_result r =
        run_ksim((const char *const[]){"run", "--isolation", "off", app_path("victim"),
                                       app_path("fault_grant"), NULL},
                 NULL);
    cr_assert_eq(r.status, 3, "exit %d, stderr: %s", r.status, r.err);
    cr_assert(strstr(r.out, "victim ok") != NULL, "stdout: %s", r.out);
    cr_assert(strstr(r.err, "in its own grant region") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}
