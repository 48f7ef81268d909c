/* The process console: commands on stdin and on a loopback TCP port. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run_ksim.h"

extern char **environ;

static struct ksim_result console(const char *script, const char *app)
{
    return run_ksim((const char *const[]){"run", "--console", app_path(app), NULL}, script);
}

Test(console, list_stop_start_and_quit)
{
    struct ksim_result r = console("list\nstop blink\nlist\nstart blink\nquit\n", "blink");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "NAME") && strstr(r.out, "blink"), "list: %s", r.out);
    cr_assert(strstr(r.out, "stopped 'blink'") && strstr(r.out, "started 'blink'"), "%s", r.out);
    cr_assert(strstr(r.out, " stopped ") != NULL, "list does not show the stopped state: %s",
              r.out);
    ksim_result_free(&r);
}

Test(console, bad_input_gets_one_line_errors)
{
    struct ksim_result r = console(
        "frobnicate\nstop\nstop nosuch\npress x\ntrace maybe\n\x01\x02\xff\nquit\n", "blink");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "unknown command 'frobnicate'"), "%s", r.out);
    cr_assert(strstr(r.out, "usage: stop"), "%s", r.out);
    cr_assert(strstr(r.out, "no process 'nosuch'"), "%s", r.out);
    cr_assert(strstr(r.out, "expected a button number"), "%s", r.out);
    cr_assert(strstr(r.out, "expected on or off"), "%s", r.out);
    ksim_result_free(&r);
}

Test(console, forced_fault_goes_through_the_fault_policy)
{
    struct ksim_result r = console("fault blink\nquit\n", "blink");
    cr_assert_eq(r.status, 3, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "fault forced from the process console"), "%s", r.err);
    ksim_result_free(&r);
}

Test(console, load_runs_a_new_app)
{
    char script[600];
    snprintf(script, sizeof(script), "load %s\nload /nonexistent.elf\nlist\nquit\n",
             app_path("hello"));
    struct ksim_result r = console(script, "blink");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello") != NULL, "the loaded app did not run: %s", r.out);
    cr_assert(strstr(r.out, "/nonexistent.elf: cannot open"), "%s", r.out);
    ksim_result_free(&r);
}

Test(console, memmap_and_mpu_draw_the_block)
{
    struct ksim_result r = console("memmap blink\nmpu blink\nquit\n", "blink");
    cr_assert(strstr(r.out, "grant start") && strstr(r.out, "stack"), "%s", r.out);
    cr_assert(strstr(r.out, "MPU (page model)"), "%s", r.out);
    ksim_result_free(&r);
}

/* --- over TCP ---------------------------------------------------------------- */

static int connect_to(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

/*
 * The port `--console-port 0` bound, from ksim's "process console on
 * 127.0.0.1:N" line on its stderr (fd): ksim prints it once it listens.
 */
static int read_bound_port(int fd)
{
    char text[512];
    size_t n = 0;
    const char *at = NULL;
    while (n + 1 < sizeof(text) && !(at && strchr(at, '\n'))) {
        ssize_t got = read(fd, text + n, sizeof(text) - 1 - n);
        if (got <= 0)
            break;
        n += (size_t)got;
        text[n] = '\0';
        at = strstr(text, "process console on 127.0.0.1:");
    }
    int port = -1;
    cr_assert(at && sscanf(at, "process console on 127.0.0.1:%d", &port) == 1,
              "no port in ksim's stderr: %.*s", (int)n, text);
    return port;
}

/* Sends a line and reads until the next prompt. */
static void ask(int fd, const char *line, char *reply, size_t cap)
{
    size_t n = 0;
    if (write(fd, line, strlen(line)) < 0)
        return;
    reply[0] = '\0';
    while (n + 1 < cap && !strstr(reply, "ksim> ")) {
        ssize_t got = read(fd, reply + n, cap - 1 - n);
        if (got <= 0)
            break;
        n += (size_t)got;
        reply[n] = '\0';
    }
}

Test(console, serves_several_tcp_clients)
{
    char reply[8192];
    int err_pipe[2];
    cr_assert_eq(pipe(err_pipe), 0);
    const char *argv[] = {KSIM_BIN, "run", "--console-port", "0", app_path("blink"), NULL};
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    posix_spawn_file_actions_addclose(&fa, err_pipe[0]);
    cr_assert_eq(posix_spawn(&pid, KSIM_BIN, &fa, NULL, (char *const *)argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(err_pipe[1]);
    int port = read_bound_port(err_pipe[0]);
    cr_assert(port > 0 && port <= 65535, "port %d", port);
    int a = connect_to(port), b = connect_to(port);
    cr_assert(a >= 0 && b >= 0, "cannot connect to port %d", port);
    ask(a, "", reply, sizeof(reply)); /* greeting */
    ask(b, "", reply, sizeof(reply));
    ask(a, "list\n", reply, sizeof(reply));
    cr_assert(strstr(reply, "blink") != NULL, "%s", reply);
    char junk[2000];
    memset(junk, 'x', sizeof(junk) - 1);
    junk[sizeof(junk) - 2] = '\n';
    junk[sizeof(junk) - 1] = '\0';
    ask(b, junk, reply, sizeof(reply));
    cr_assert(strstr(reply, "line too long") != NULL, "%s", reply);
    ask(b, "time\n", reply, sizeof(reply));
    cr_assert(strstr(reply, " s") != NULL, "%s", reply);
    close(b); /* one client leaving does not stop the other */
    ask(a, "quit\n", reply, sizeof(reply));
    close(a);
    int ws;
    waitpid(pid, &ws, 0);
    close(err_pipe[0]); /* open until ksim ends: a later message must not meet a closed pipe */
    cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "ksim ended with %d", ws);
}
