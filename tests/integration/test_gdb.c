/*
 * gdb on app source, as docs/debugging.md shows it: gdb in batch mode runs
 * build/ksim with the shipped tools/ksim.gdb, and what it prints is checked
 * against the app's source (line numbers are looked up, not written in).
 * Skipped where gdb is not installed (scripts/setup.sh installs it).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_ksim.h"

static bool have_gdb(void)
{
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : "/usr/bin:/bin"), *save = NULL;
    bool found = false;
    for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char exe[1024];
        snprintf(exe, sizeof(exe), "%s/gdb", dir);
        found = access(exe, X_OK) == 0;
    }
    free(copy);
    return found;
}

/* The 1-based line of the first line of KSIM_SOURCE_DIR/file holding text. */
static int source_line(const char *file, const char *text)
{
    char path[1024], line[512];
    snprintf(path, sizeof(path), "%s/%s", KSIM_SOURCE_DIR, file);
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    for (int n = 1; fgets(line, sizeof(line), f); n++) {
        if (strstr(line, text)) {
            fclose(f);
            return n;
        }
    }
    cr_assert_fail("%s has no line with %s", path, text);
    return 0;
}

/*
 * gdb -batch with tools/ksim.gdb, then each command of cmds (NULL-ended),
 * on `ksim run` with the ksim arguments in run (NULL-ended). Its standard
 * output and error, together.
 */
static char *gdb_session_in(const char *const *cmds, const char *const *run, const char *input)
{
    const char *argv[80];
    size_t n = 0;
    if (!have_gdb())
        cr_skip_test("gdb is not installed (scripts/setup.sh installs it)");
    argv[n++] = "gdb";
    argv[n++] = "-nx"; /* no ~/.gdbinit: the session is the test's own */
    argv[n++] = "-batch";
    argv[n++] = "-iex";
    argv[n++] = "set debuginfod enabled off";
    argv[n++] = "-x";
    argv[n++] = KSIM_SOURCE_DIR "/tools/ksim.gdb";
    for (; *cmds && n < 60; cmds++) {
        argv[n++] = "-ex";
        argv[n++] = *cmds;
    }
    argv[n++] = "--args";
    argv[n++] = KSIM_BIN;
    argv[n++] = "run";
    for (; *run && n < 79; run++)
        argv[n++] = *run;
    argv[n] = NULL;
    struct ksim_result r = run_command(argv, input);
    char *all = NULL;
    cr_assert(asprintf(&all, "%s\n%s", r.out, r.err) > 0);
    ksim_result_free(&r);
    return all;
}

#define GDB(cmds, ...) gdb_session_in(cmds, (const char *const[]){__VA_ARGS__, NULL}, NULL)

static void assert_has(const char *out, const char *what)
{
    cr_assert(strstr(out, what), "gdb's output lacks \"%s\":\n%s", what, out);
}

static int count(const char *out, const char *what)
{
    int n = 0;
    for (const char *p = out; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

Test(gdb, break_main_waits_for_the_app_and_stops_in_its_source)
{
    static const char *const cmds[] = {"break main", "run", "bt", "info line", NULL};
    char *out = GDB(cmds, app_path("hello"));
    char where[256];
    int line = source_line("apps/hello/main.c", "printf(\"Hello");
    /* ksim's own main is hidden: the breakpoint waits for the app's. */
    assert_has(out, "Breakpoint 1 (main) pending.");
    snprintf(where, sizeof(where), "Breakpoint 1, main () at %s/apps/hello/main.c:%d",
             KSIM_SOURCE_DIR, line);
    assert_has(out, where);
    assert_has(out, "#0  main () at ");
    snprintf(where, sizeof(where), "Line %d of \"%s/apps/hello/main.c\"", line, KSIM_SOURCE_DIR);
    assert_has(out, where);
    free(out);
}

Test(gdb, line_breakpoint_locals_finish_through_a_system_call_and_next)
{
    char brk[128];
    int line = source_line("apps/counter/main.c", "delay_ms(1);");
    snprintf(brk, sizeof(brk), "break counter/main.c:%d", line);
    const char *const cmds[] = {brk,    "run",      "print step", "step", "finish",
                                "next", "continue", "print step", "bt",   NULL};
    char *out = GDB(cmds, app_path("counter"));
    char where[256];
    snprintf(where, sizeof(where), "main () at %s/apps/counter/main.c:%d", KSIM_SOURCE_DIR, line);
    assert_has(out, where);
    assert_has(out, "$1 = 1");
    /* step enters the runtime's delay_ms; finish runs its system calls (a yield)
     * and comes back to main with the value. */
    assert_has(out, "delay_ms (ms=ms@entry=1) at ");
    snprintf(where, sizeof(where), "main () at %s/apps/counter/main.c:", KSIM_SOURCE_DIR);
    assert_has(strstr(out, "delay_ms (ms="), where);
    assert_has(out, "Value returned is $2 = RETURNCODE_SUCCESS");
    assert_has(out, "$3 = 2");
    free(out);
}

Test(gdb, globals_and_breakpoints_survive_a_restart)
{
    char brk[128];
    int line = source_line("apps/tests/restart_loop/main.c", "printf(\"run");
    snprintf(brk, sizeof(brk), "break restart_loop/main.c:%d", line);
    const char *const cmds[] = {brk, "run", "print runs", "continue", "print runs", NULL};
    char *out = GDB(cmds, "--until", "0.15", app_path("restart_loop"));
    /* The data is fresh on each run, and the breakpoint is hit in the new run. */
    assert_has(out, "restarts (restart 1)");
    cr_assert_eq(count(out, "Breakpoint 1, main () at "), 2, "%s", out);
    assert_has(out, "$1 = 1");
    assert_has(out, "$2 = 1");
    free(out);
}

Test(gdb, a_fault_stops_at_the_faulting_line_then_ksim_reports_it)
{
    static const char *const cmds[] = {"run", "bt", "continue", NULL};
    char *out = GDB(cmds, app_path("fault_null"));
    char where[256];
    int line = source_line("apps/fault/null/main.c", "return *null;");
    assert_has(out, "Program received signal SIGSEGV");
    snprintf(where, sizeof(where), "in main () at %s/apps/fault/null/main.c:%d", KSIM_SOURCE_DIR,
             line);
    assert_has(out, where);
    assert_has(out, "process 'fault_null' (id 0) faulted: memory access violation");
    free(out);
}

/* Rows (entry, object address, size) of the first `maint info jit` table in out. */
static int jit_rows(const char *out)
{
    const char *p = strstr(out, "jit_code_entry address");
    unsigned long long entry, object, size;
    int rows = 0;
    cr_assert(p, "no `maint info jit` table:\n%s", out);
    for (p = strchr(p, '\n'); p && sscanf(p + 1, "0x%llx 0x%llx %llu", &entry, &object, &size) == 3;
         p = strchr(p + 1, '\n'))
        rows++;
    return rows;
}

Test(gdb, an_app_unloaded_from_the_console_leaves_gdb)
{
    static const char *const cmds[] = {"break kernel_ctl_unload", "run", "maint info jit", "finish",
                                       "maint info jit",          NULL};
    const char *const run[] = {"--console", app_path("sleep"), app_path("hello"), NULL};
    char *out = gdb_session_in(cmds, run, "unload 0\nquit\n");
    const char *after = strstr(out, "Value returned is");
    cr_assert(after, "finish did not return:\n%s", out);
    cr_assert_eq(jit_rows(out), 2, "both apps registered:\n%s", out);
    cr_assert_eq(jit_rows(after), 1, "the unloaded app is gone:\n%s", out);
    free(out);
}
