/*
 * `ksim watch` as a user runs it: on a temporary copy of an app built with
 * build/ksim-cc, a saved change is rebuilt and rerun (the new output shows,
 * with the "save to first output" line), a run that never ends is replaced,
 * and SIGINT/SIGTERM stop it with status 0 and no process left behind.
 * Deadlines below only keep a broken build from hanging the suite; nothing
 * is asserted about time.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run_ksim.h"

#define KSIM_CC      KSIM_BUILD_DIR "/ksim-cc"
#define HANG_GUARD_S 120 /* generous: sanitizer builds on a busy 2-core machine */

extern char **environ;

struct watched {
    pid_t pid;
    int out_fd, err_fd;
    char out[16384], err[16384];
    size_t out_len, err_len;
    bool out_eof, err_eof;
};

static void start_watch(struct watched *w, const char *const *args)
{
    int out[2], err[2];
    cr_assert(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    const char *argv[32] = {KSIM_BIN, "watch"};
    size_t n = 2;
    for (; args[n - 2]; n++)
        argv[n] = args[n - 2];
    argv[n] = NULL;
    memset(w, 0, sizeof(*w));
    cr_assert_eq(posix_spawn(&w->pid, KSIM_BIN, &fa, NULL, (char *const *)argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    w->out_fd = out[0];
    w->err_fd = err[0];
}

static void drain(int fd, char *buf, size_t *len, size_t cap, bool *eof)
{
    ssize_t n = read(fd, buf + *len, cap - 1 - *len);
    if (n > 0)
        *len += (size_t)n;
    else if (n == 0 || errno != EINTR)
        *eof = true;
    buf[*len] = '\0';
}

/* Reads until `text` appears in stdout (or stderr), or both reach their end. */
static bool wait_for(struct watched *w, const char *text, bool in_stderr)
{
    time_t give_up = time(NULL) + HANG_GUARD_S;
    for (;;) {
        if (strstr(in_stderr ? w->err : w->out, text))
            return true;
        if ((w->out_eof && w->err_eof) || time(NULL) > give_up)
            return false;
        struct pollfd p[2] = {{w->out_eof ? -1 : w->out_fd, POLLIN, 0},
                              {w->err_eof ? -1 : w->err_fd, POLLIN, 0}};
        if (poll(p, 2, 200) <= 0)
            continue;
        if (p[0].revents)
            drain(w->out_fd, w->out, &w->out_len, sizeof(w->out), &w->out_eof);
        if (p[1].revents)
            drain(w->err_fd, w->err, &w->err_len, sizeof(w->err), &w->err_eof);
    }
}

/* Stops ksim watch with signo: status 0, and the pipes reach their end, so no
 * build or ksim child of it still holds them. */
static void stop_watch(struct watched *w, int signo)
{
    int status;
    cr_assert_eq(kill(w->pid, signo), 0);
    cr_assert_eq(waitpid(w->pid, &status, 0), w->pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "ksim watch did not exit 0 on signal %d (status 0x%x); stderr:\n%s", signo, status,
              w->err);
    wait_for(w, "\x01never\x01", false);
    cr_assert(w->out_eof && w->err_eof, "a child of ksim watch still holds its output");
    close(w->out_fd);
    close(w->err_fd);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

static void build(const char *dir, const char *src, const char *elf)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' -o '%s' '%s'", dir, KSIM_CC, elf, src);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* A temporary directory with a copy of the hello app's source. */
static void copy_hello(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/ksim-watch-XXXXXX");
    cr_assert(mkdtemp(dir));
    size_t len;
    unsigned char *src = read_all(KSIM_SOURCE_DIR "/apps/hello/main.c", &len);
    char path[256];
    snprintf(path, sizeof(path), "%s/main.c", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f && fwrite(src, 1, len, f) == len && fclose(f) == 0);
    free(src);
}

static void remove_tree(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* hello's source with its greeting replaced. */
static void save_new_greeting(const char *dir, const char *greeting)
{
    size_t len;
    char path[256];
    snprintf(path, sizeof(path), "%s/main.c", dir);
    unsigned char *bytes = read_all(path, &len);
    char *src = strndup((const char *)bytes, len), *at = strstr(src, "Hello from ksim!");
    free(bytes);
    cr_assert(at, "apps/hello/main.c no longer prints 'Hello from ksim!'");
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fwrite(src, 1, (size_t)(at - src), f);
    fputs(greeting, f);
    fputs(at + strlen("Hello from ksim!"), f);
    cr_assert_eq(fclose(f), 0);
    free(src);
}

Test(watch, rebuilds_an_elf_built_by_ksim_cc_when_its_source_changes)
{
    char dir[64], elf[128];
    copy_hello(dir, sizeof(dir));
    build(dir, "main.c", "app.elf");
    snprintf(elf, sizeof(elf), "%s/app.elf", dir);

    struct watched w;
    start_watch(&w, (const char *const[]){elf, NULL});
    cr_assert(wait_for(&w, "Hello from ksim!", false), "no first run; stderr:\n%s", w.err);
    cr_assert(wait_for(&w, "waiting for changes", true), "stderr:\n%s", w.err);

    save_new_greeting(dir, "Hello after a save!");
    cr_assert(wait_for(&w, "Hello after a save!", false),
              "the change was not rebuilt and run; stdout:\n%s\nstderr:\n%s", w.out, w.err);
    cr_assert(wait_for(&w, "save to first output: ", true), "stderr:\n%s", w.err);
    cr_assert(strstr(w.err, "main.c changed"), "stderr:\n%s", w.err);
    stop_watch(&w, SIGTERM);
    remove_tree(dir);
}

Test(watch, builds_a_directory_of_sources_with_ksim_cc)
{
    char dir[64];
    copy_hello(dir, sizeof(dir));
    struct watched w;
    start_watch(&w, (const char *const[]){dir, NULL});
    cr_assert(wait_for(&w, "Hello from ksim!", false), "stderr:\n%s", w.err);
    cr_assert(wait_for(&w, "waiting for changes", true), "stderr:\n%s", w.err);
    save_new_greeting(dir, "Hello from a directory!");
    cr_assert(wait_for(&w, "Hello from a directory!", false), "stderr:\n%s", w.err);
    cr_assert(wait_for(&w, "save to first output: ", true), "stderr:\n%s", w.err);
    stop_watch(&w, SIGINT);
    remove_tree(dir);
}

/* Prints its version, then waits on the alarm for ever (real clock: it never ends). */
static const char forever_app[] =
    "#include <alarm.h>\n#include <stdio.h>\n#include <tock.h>\n#include <ksim/abi.h>\n"
    "int main(void)\n{\n    printf(\"version %d\\n\", VERSION);\n"
    "    subscribe_return_t s = subscribe(KSIM_DRIVER_ALARM, 0, TOCK_NULL_UPCALL, NULL);\n"
    "    (void)s;\n"
    "    for (;;) {\n        ksim_alarm_set_relative(KSIM_ALARM_MAX_WAIT_TICKS, NULL);\n"
    "        ksim_alarm_wait(NULL);\n    }\n}\n";

Test(watch, replaces_a_run_that_has_not_ended_and_passes_run_options)
{
    char dir[] = "/tmp/ksim-watch-XXXXXX", path[128], elf[128], text[1024];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/forever.c", dir);
    snprintf(elf, sizeof(elf), "%s/forever.elf", dir);
    snprintf(text, sizeof(text), "#define VERSION 1\n%s", forever_app);
    write_text(path, text);
    build(dir, "forever.c", "forever.elf");

    struct watched w;
    start_watch(&w, (const char *const[]){elf, "--", "--clock", "real", NULL});
    cr_assert(wait_for(&w, "version 1", false), "stderr:\n%s", w.err);
    snprintf(text, sizeof(text), "#define VERSION 2\n%s", forever_app);
    write_text(path, text);
    cr_assert(wait_for(&w, "version 2", false), "stdout:\n%s\nstderr:\n%s", w.out, w.err);
    cr_assert(wait_for(&w, "save to first output: ", true), "stderr:\n%s", w.err);
    cr_assert_null(strstr(w.err, "ksim exited"), "the first run should have been stopped:\n%s",
                   w.err);
    stop_watch(&w, SIGTERM);
    remove_tree(dir);
}

Test(watch, a_failed_build_waits_for_the_next_change)
{
    char dir[64];
    copy_hello(dir, sizeof(dir));
    struct watched w;
    start_watch(&w, (const char *const[]){dir, NULL});
    cr_assert(wait_for(&w, "Hello from ksim!", false), "stderr:\n%s", w.err);
    cr_assert(wait_for(&w, "waiting for changes", true), "stderr:\n%s", w.err);
    char path[128];
    snprintf(path, sizeof(path), "%s/main.c", dir);
    write_text(path, "int main(void) { this does not compile }\n");
    cr_assert(wait_for(&w, "build failed", true), "stderr:\n%s", w.err);
    write_text(path, "#include <stdio.h>\nint main(void)\n{\n    printf(\"fixed\\n\");\n"
                     "    return 0;\n}\n");
    cr_assert(wait_for(&w, "fixed\n", false), "stdout:\n%s\nstderr:\n%s", w.out, w.err);
    stop_watch(&w, SIGTERM);
    remove_tree(dir);
}

Test(watch, bad_targets_exit_2)
{
    struct ksim_result r =
        run_ksim((const char *const[]){"watch", "/nonexistent/app.elf", NULL}, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "/nonexistent/app.elf: no such app file"), "%s", r.err);
    ksim_result_free(&r);

    r = run_ksim((const char *const[]){"watch", NULL}, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "give an app"), "%s", r.err);
    ksim_result_free(&r);

    /* An ELF with no ksim-cc record, outside any CMake build tree. */
    size_t len;
    unsigned char *bytes = read_all(app_path("hello"), &len);
    char *copy = temp_file(bytes, len, ".elf");
    r = run_ksim((const char *const[]){"watch", copy, NULL}, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "cannot tell how to rebuild it") && strstr(r.err, "--build"), "%s",
              r.err);
    ksim_result_free(&r);
    unlink(copy);
    free(copy);
    free(bytes);

    char dir[] = "/tmp/ksim-watch-XXXXXX";
    cr_assert(mkdtemp(dir));
    r = run_ksim((const char *const[]){"watch", dir, NULL}, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "no Makefile and no .c files"), "%s", r.err);
    ksim_result_free(&r);
    rmdir(dir);
}
