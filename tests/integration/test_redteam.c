/*
 * Issue 21's red-team suite: apps that try the known escapes from the
 * in-process modes, each beside the victim, in every isolation mode. The
 * table in docs/faults.md ("Escapes, mode by mode") is this test's: each
 * row says what `mpu`, `off` and `process` do, and this test asserts it.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "run_ksim.h"

enum outcome {
    FAULTS,  /* a process fault, exit 3, no "ESCAPED" */
    ESCAPES, /* documented: the app prints "ESCAPED" and ends normally */
    NOTHING, /* the attack does not apply: the app ends normally, no "ESCAPED" */
    EITHER,  /* depends on the host (vsyscall=none makes it a memory fault) */
};

struct attempt {
    char app[40];
    char mode[8];
    enum outcome outcome;
    char fault[64]; /* in the report, for FAULTS */
};

static struct attempt attempts[] = {
    {"hostile_escape_file", "mpu", FAULTS, "host system call made directly"},
    {"hostile_escape_file", "off", FAULTS, "host system call made directly"},
    {"hostile_escape_file", "process", FAULTS, "host system call made directly"},
    {"hostile_escape_fork", "mpu", FAULTS, "host system call made directly"},
    {"hostile_escape_fork", "off", FAULTS, "host system call made directly"},
    {"hostile_escape_fork", "process", FAULTS, "host system call made directly"},
    {"hostile_escape_vsyscall", "mpu", EITHER, ""},
    {"hostile_escape_vsyscall", "off", EITHER, ""},
    {"hostile_escape_vsyscall", "process", FAULTS, "faulted"},
    {"hostile_escape_selector", "mpu", ESCAPES, ""},
    {"hostile_escape_selector", "off", ESCAPES, ""},
    {"hostile_escape_selector", "process", FAULTS, "host system call made directly"},
    {"hostile_escape_ctl", "mpu", NOTHING, ""},
    {"hostile_escape_ctl", "off", NOTHING, ""},
    {"hostile_escape_ctl", "process", FAULTS, "broke the protocol"},
};

ParameterizedTestParameters(redteam, escape_attempt)
{
    return cr_make_param_array(struct attempt, attempts, sizeof(attempts) / sizeof(attempts[0]));
}

ParameterizedTest(struct attempt *a, redteam, escape_attempt)
{
    unlink("/tmp/ksim-escaped-file");
    struct ksim_result r =
        run_ksim((const char *const[]){"run", "--isolation", a->mode, app_path("victim"),
                                       app_path(a->app), NULL},
                 NULL);
    const char *what = a->app + strlen("hostile_");
    cr_assert(strstr(r.out, "victim ok") != NULL, "%s, %s: the victim was harmed: %s %s", what,
              a->mode, r.out, r.err);
    cr_assert(strstr(r.err, "panic") == NULL, "%s, %s: %s", what, a->mode, r.err);
    cr_assert(access("/tmp/ksim-escaped-file", F_OK) != 0, "%s, %s: a host file was created", what,
              a->mode);
    bool escaped = strstr(r.out, "ESCAPED") != NULL;
    switch (a->outcome) {
    case FAULTS:
        cr_assert_eq(r.status, 3, "%s, %s: exit %d: %s %s", what, a->mode, r.status, r.out, r.err);
        cr_assert(!escaped, "%s, %s: %s", what, a->mode, r.out);
        cr_assert(strstr(r.err, a->fault) != NULL, "%s, %s: no '%s' in %s", what, a->mode, a->fault,
                  r.err);
        break;
    case ESCAPES:
        cr_assert(escaped && r.status == 0, "%s, %s: exit %d: %s %s", what, a->mode, r.status,
                  r.out, r.err);
        break;
    case NOTHING:
        cr_assert(!escaped && r.status == 0, "%s, %s: exit %d: %s", what, a->mode, r.status, r.out);
        break;
    case EITHER:
        cr_assert((escaped && r.status == 0) || (!escaped && r.status == 3), "%s, %s: exit %d: %s",
                  what, a->mode, r.status, r.out);
        break;
    }
    ksim_result_free(&r);
}
