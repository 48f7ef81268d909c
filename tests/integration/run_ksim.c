/* Child-process runner for the integration tests. */
#define _GNU_SOURCE
#include "run_ksim.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct sink {
    int fd;
    char *buf;
    size_t len, cap;
    int open;
};

static void drain(struct sink *s)
{
    char tmp[4096];
    ssize_t n = read(s->fd, tmp, sizeof(tmp));
    if (n <= 0) {
        s->open = 0;
        return;
    }
    if (s->len + (size_t)n + 1 > s->cap) {
        s->cap = (s->len + (size_t)n + 1) * 2;
        s->buf = realloc(s->buf, s->cap);
    }
    memcpy(s->buf + s->len, tmp, (size_t)n);
    s->len += (size_t)n;
    s->buf[s->len] = '\0';
}

struct ksim_result run_ksim(const char *const *args, const char *stdin_text)
{
    const char *argv[66];
    size_t n = 0, i = 0;
    argv[n++] = KSIM_BIN;
    /* KSIM_TEST_ISOLATION=process runs a suite in that mode: given first, so
     * a test that names its own --isolation still gets it. */
    const char *isolation = getenv("KSIM_TEST_ISOLATION");
    if (args[0] && strcmp(args[0], "run") == 0 && isolation && *isolation) {
        argv[n++] = args[i++];
        argv[n++] = "--isolation";
        argv[n++] = isolation;
    }
    for (; args[i] && n < 65; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return run_command(argv, stdin_text);
}

struct ksim_result run_command(const char *const *argv, const char *stdin_text)
{
    struct ksim_result r = {0};
    int out[2], err[2], in[2];

    /* CLOEXEC: the child must not hold the write end of its own stdin open. */
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(in, O_CLOEXEC))
        abort();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    pid_t pid;
    if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) != 0)
        abort();
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    close(in[0]);
    if (stdin_text) {
        ssize_t w = write(in[1], stdin_text, strlen(stdin_text));
        (void)w;
    }
    close(in[1]);

    struct sink so = {out[0], calloc(1, 1), 0, 1, 1}, se = {err[0], calloc(1, 1), 0, 1, 1};
    while (so.open || se.open) {
        struct pollfd p[2] = {{so.fd, so.open ? POLLIN : 0, 0}, {se.fd, se.open ? POLLIN : 0, 0}};
        if (poll(p, 2, -1) < 0)
            break;
        if (p[0].revents)
            drain(&so);
        if (p[1].revents)
            drain(&se);
    }
    close(out[0]);
    close(err[0]);
    int ws;
    waitpid(pid, &ws, 0);
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    r.out = so.buf;
    r.out_len = so.len;
    r.err = se.buf;
    return r;
}

void ksim_result_free(struct ksim_result *r)
{
    free(r->out);
    free(r->err);
}

const char *app_path(const char *name)
{
    static char paths[4][512];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 512, "%s/%s.elf", KSIM_APPS_DIR, name);
    return p;
}

char *temp_file(const void *bytes, size_t len, const char *suffix)
{
    char *path = NULL;
    if (asprintf(&path, "/tmp/ksim-test-XXXXXX%s", suffix) < 0)
        abort();
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0 || write(fd, bytes, len) != (ssize_t)len)
        abort();
    close(fd);
    return path;
}

unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    fclose(f);
    return b;
}
