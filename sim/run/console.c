/* Process console: the command table, and its stdin and TCP transports. */
#define _GNU_SOURCE
#include "run/console.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "err.h"
#include "report/memview.h"
#include "run/input.h"

#define LINE_MAX_LEN 512
#define MAX_ARGS     4
#define PROMPT       "ksim> "

/* --- commands --------------------------------------------------------------- */

static const char *state_text(const struct proc *p)
{
    if (p->stopped)
        return "stopped";
    switch (p->state) {
    case PROC_RUNNING:
        return "running";
    case PROC_YIELDED:
        return "yielded";
    case PROC_YIELDED_FOR:
        return "waiting";
    case PROC_TERMINATED:
        return "terminated";
    case PROC_FAULTED:
        return "faulted";
    case PROC_EVICTED:
        return "evicted";
    default:
        return "free";
    }
}

/* A process named by its id or its name. */
static struct proc *find(const struct console_host *h, const char *arg, FILE *out)
{
    char *end;
    unsigned long id = strtoul(arg, &end, 10);
    struct proc *p = NULL;
    if (*arg && *end == '\0' && id <= UINT32_MAX) {
        p = kernel_ctl_find(h->kernel, (uint32_t)id);
    } else {
        for (unsigned i = 0; i < h->kernel->nprocs && !p; i++)
            if (h->kernel->procs[i].state != PROC_FREE &&
                strcmp(h->kernel->procs[i].name, arg) == 0)
                p = &h->kernel->procs[i];
    }
    if (!p)
        fprintf(out, "error: no process '%s' (give an id or a name from `list`)\n", arg);
    return p;
}

static void cmd_help(const struct console_host *h, char **argv, FILE *out);

static void cmd_list(const struct console_host *h, char **argv, FILE *out)
{
    (void)argv;
    fprintf(out, " %-4s %-16s %-10s %9s %6s %8s %9s\n", "ID", "NAME", "STATE", "SYSCALLS", "FAULTS",
            "RESTARTS", "MEMORY");
    for (unsigned i = 0; i < h->kernel->nprocs; i++) {
        const struct proc *p = &h->kernel->procs[i];
        if (p->state == PROC_FREE)
            continue;
        fprintf(out, " %-4" PRIu32 " %-16s %-10s %9" PRIu64 " %6" PRIu32 " %8" PRIu32 " %6zu KiB\n",
                p->id, p->name, state_text(p), p->syscalls, p->faults, p->restarts,
                (size_t)(p->block.end - p->block.start) / 1024);
    }
}

static void cmd_status(const struct console_host *h, char **argv, FILE *out)
{
    unsigned alive = 0, total = 0;
    (void)argv;
    for (unsigned i = 0; i < h->kernel->nprocs; i++) {
        total += h->kernel->procs[i].state != PROC_FREE;
        alive += proc_is_alive(&h->kernel->procs[i]);
    }
    fprintf(out, "board %s, time %.6f s, %u processes (%u alive), MPU model %s\n", h->board_name,
            (double)hal_stub_now_ns(h->hal) / 1e9, total, alive, hal_stub_mpu_model(h->hal));
}

static void cmd_time(const struct console_host *h, char **argv, FILE *out)
{
    (void)argv;
    fprintf(out, "%.6f s\n", (double)hal_stub_now_ns(h->hal) / 1e9);
}

static void report(FILE *out, int rc, const char *verb, const struct proc *p)
{
    if (rc == 0)
        fprintf(out, "%s '%s'\n", verb, p->name);
    else if (rc == -KS_EALREADY)
        fprintf(out, "error: '%s' is already %s\n", p->name, state_text(p));
    else
        fprintf(out, "error: '%s' is %s\n", p->name, state_text(p));
}

/* Commands taking one process argument. */
static void on_proc(const struct console_host *h, char **argv, FILE *out,
                    int (*op)(struct kernel *, struct proc *), const char *verb)
{
    struct proc *p = find(h, argv[1], out);
    if (!p)
        return;
    report(out, op(h->kernel, p), verb, p);
    h->kick(h->ctx);
}

static void cmd_stop(const struct console_host *h, char **argv, FILE *out)
{
    on_proc(h, argv, out, kernel_ctl_stop, "stopped");
}

static void cmd_start(const struct console_host *h, char **argv, FILE *out)
{
    on_proc(h, argv, out, kernel_ctl_start, "started");
}

static void cmd_restart(const struct console_host *h, char **argv, FILE *out)
{
    on_proc(h, argv, out, kernel_ctl_restart, "restarted");
}

static void cmd_kill(const struct console_host *h, char **argv, FILE *out)
{
    on_proc(h, argv, out, kernel_ctl_kill, "killed");
}

static void cmd_fault(const struct console_host *h, char **argv, FILE *out)
{
    on_proc(h, argv, out, kernel_ctl_fault, "faulted");
}

static void cmd_unload(const struct console_host *h, char **argv, FILE *out)
{
    on_proc(h, argv, out, kernel_ctl_unload, "unloaded");
}

static void cmd_memmap(const struct console_host *h, char **argv, FILE *out)
{
    struct proc *p = find(h, argv[1], out);
    if (p)
        memview_block(out, &p->block);
}

static void cmd_mpu(const struct console_host *h, char **argv, FILE *out)
{
    struct proc *p = find(h, argv[1], out);
    if (p)
        memview_mpu(out, h->hal, &p->block);
}

static void cmd_load(const struct console_host *h, char **argv, FILE *out)
{
    char msg[512];
    if (h->load(h->ctx, argv[1], msg, sizeof(msg)) == 0)
        fprintf(out, "loaded %s\n", argv[1]);
    else
        fprintf(out, "error: %s\n", msg);
    h->kick(h->ctx);
}

static void cmd_press(const struct console_host *h, char **argv, FILE *out)
{
    char msg[256], *end;
    unsigned long b = strtoul(argv[1], &end, 10);
    if (!h->press) {
        fprintf(out, "error: this board has no buttons\n");
    } else if (*end || end == argv[1] || b > 255) {
        fprintf(out, "error: press: expected a button number, got '%s'\n", argv[1]);
    } else if (h->press(h->ctx, (unsigned)b, msg, sizeof(msg)) != 0) {
        fprintf(out, "error: %s\n", msg);
    } else {
        fprintf(out, "pressed button %lu\n", b);
        h->kick(h->ctx);
    }
}

static void cmd_trace(const struct console_host *h, char **argv, FILE *out)
{
    bool on = strcmp(argv[1], "on") == 0;
    if (!on && strcmp(argv[1], "off") != 0)
        fprintf(out, "error: trace: expected on or off, got '%s'\n", argv[1]);
    else if (!h->trace)
        fprintf(out, "error: no trace file: start ksim with --trace FILE\n");
    else {
        trace_enable(h->trace, on);
        fprintf(out, "trace %s\n", on ? "on" : "off");
    }
}

static void cmd_quit(const struct console_host *h, char **argv, FILE *out)
{
    (void)argv;
    fprintf(out, "bye\n");
    h->quit(h->ctx);
}

struct command {
    const char *name;
    int args; /* arguments after the name */
    const char *usage;
    void (*run)(const struct console_host *h, char **argv, FILE *out);
};

static const struct command commands[] = {
    {"help", 0, "help                 this list", cmd_help},
    {"list", 0, "list                 processes: id, name, state, calls, faults, memory", cmd_list},
    {"status", 0, "status               board, time, process counts", cmd_status},
    {"stop", 1, "stop ID|NAME         stop scheduling a process", cmd_stop},
    {"start", 1, "start ID|NAME        schedule a stopped process again", cmd_start},
    {"restart", 1, "restart ID|NAME      restart a process (fresh memory, new id)", cmd_restart},
    {"kill", 1, "kill ID|NAME         end a process", cmd_kill},
    {"fault", 1, "fault ID|NAME        force a fault (the fault policy applies)", cmd_fault},
    {"memmap", 1, "memmap ID|NAME       draw the process memory block", cmd_memmap},
    {"mpu", 1, "mpu ID|NAME          the process's MPU regions", cmd_mpu},
    {"load", 1, "load FILE            load an app as a new process", cmd_load},
    {"unload", 1, "unload ID|NAME       remove a process", cmd_unload},
    {"press", 1, "press BUTTON         press and release a button", cmd_press},
    {"trace", 1, "trace on|off         pause or resume the --trace file", cmd_trace},
    {"time", 0, "time                 the simulated time", cmd_time},
    {"quit", 0, "quit                 end the run", cmd_quit},
};

static void cmd_help(const struct console_host *h, char **argv, FILE *out)
{
    (void)h, (void)argv;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %s\n", commands[i].usage);
}

void console_execute(const struct console_host *h, const char *line, FILE *out)
{
    char copy[LINE_MAX_LEN], *argv[MAX_ARGS + 1] = {0}, *save = NULL;
    int argc = 0;
    if (strlen(line) >= sizeof(copy)) {
        fprintf(out, "error: line too long (at most %d bytes)\n", LINE_MAX_LEN - 1);
        return;
    }
    strcpy(copy, line);
    for (char *w = strtok_r(copy, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
        if (argc == MAX_ARGS) {
            fprintf(out, "error: too many arguments\n");
            return;
        }
        argv[argc++] = w;
    }
    if (argc == 0)
        return;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        const struct command *c = &commands[i];
        if (strcmp(argv[0], c->name) != 0)
            continue;
        if (argc - 1 != c->args)
            fprintf(out, "error: usage: %s\n", c->usage);
        else
            c->run(h, argv, out);
        return;
    }
    fprintf(out, "error: unknown command '%s' (try help)\n", argv[0]);
}

/* --- transports --------------------------------------------------------------- */

struct client {
    struct console *con;
    uv_tcp_t tcp;
    char line[LINE_MAX_LEN];
    size_t len;
    bool overflow;
    struct client *next;
};

struct console {
    uv_loop_t *loop;
    struct console_host host;
    struct sim_input in;
    bool on_stdin, stdin_eof;
    char line[LINE_MAX_LEN];
    size_t len;
    bool overflow;
    /* Typed-ahead stdin lines wait here and run one per loop turn, so the
     * kernel runs between commands as it would between keystrokes. */
    char *queue;
    size_t queued, queue_cap;
    uv_idle_t pump;
    int open_handles; /* freed when the last of pump and server has closed */
    uv_tcp_t server;
    bool serving;
    struct client *clients;
};

/* Runs a line and returns the reply (malloc'd), with a prompt. */
static char *reply_to(struct console *c, const char *line, size_t *len)
{
    char *text = NULL;
    FILE *out = open_memstream(&text, len);
    if (!out)
        return NULL;
    console_execute(&c->host, line, out);
    fputs(PROMPT, out);
    fclose(out);
    return text;
}

/* Splits input into lines; a line too long is answered with one error. */
static void feed(struct console *c, char *line, size_t *len, bool *overflow, const char *buf,
                 size_t n, void (*answer)(struct console *, void *, const char *), void *who)
{
    for (size_t i = 0; i < n; i++) {
        if (buf[i] != '\n') {
            if (*len + 1 < LINE_MAX_LEN)
                line[(*len)++] = buf[i];
            else
                *overflow = true;
            continue;
        }
        line[*len] = '\0';
        answer(c, who, *overflow ? "\x01" : line);
        *len = 0;
        *overflow = false;
    }
}

static void answer_stdout(struct console *c, void *who, const char *line)
{
    size_t len;
    (void)who;
    char *text =
        line[0] == '\x01' ? strdup("error: line too long\n" PROMPT) : reply_to(c, line, &len);
    if (text) {
        fputs(text, stdout);
        fflush(stdout);
    }
    free(text);
}

/* Runs the oldest queued stdin line. */
static void on_pump(uv_idle_t *h)
{
    struct console *c = h->data;
    char *nl = c->queued ? memchr(c->queue, '\n', c->queued) : NULL;
    if (!nl) {
        uv_idle_stop(&c->pump);
        if (c->stdin_eof && !c->serving)
            c->host.quit(c->host.ctx); /* nobody else can type: the run ends */
        return;
    }
    *nl = '\0';
    answer_stdout(c, NULL, c->queue);
    size_t used = (size_t)(nl - c->queue) + 1;
    memmove(c->queue, c->queue + used, c->queued - used);
    c->queued -= used;
}

static void enqueue(struct console *c, void *who, const char *line)
{
    size_t len = strlen(line) + 1;
    (void)who;
    if (c->queued + len > c->queue_cap) {
        size_t cap = (c->queued + len) * 2;
        char *q = realloc(c->queue, cap);
        if (!q)
            return; /* drop the line rather than crash */
        c->queue = q;
        c->queue_cap = cap;
    }
    memcpy(c->queue + c->queued, line, len - 1);
    c->queue[c->queued + len - 1] = '\n';
    c->queued += len;
    uv_idle_start(&c->pump, on_pump);
}

static void on_stdin_data(void *ctx, const char *buf, size_t n)
{
    struct console *c = ctx;
    feed(c, c->line, &c->len, &c->overflow, buf, n, enqueue, NULL);
}

static void on_stdin_eof(void *ctx)
{
    struct console *c = ctx;
    c->stdin_eof = true;
    uv_idle_start(&c->pump, on_pump);
}

struct write_req {
    uv_write_t req;
    char *text;
};

static void on_written(uv_write_t *req, int status)
{
    struct write_req *w = (struct write_req *)req;
    (void)status;
    free(w->text);
    free(w);
}

static void send_text(struct client *cl, char *text, size_t len)
{
    struct write_req *w = malloc(sizeof(*w));
    if (!w) {
        free(text);
        return;
    }
    w->text = text;
    uv_buf_t b = uv_buf_init(text, (unsigned)len);
    if (uv_write(&w->req, (uv_stream_t *)&cl->tcp, &b, 1, on_written) != 0)
        on_written(&w->req, -1);
}

static void answer_client(struct console *c, void *who, const char *line)
{
    size_t len = 0;
    char *text =
        line[0] == '\x01' ? strdup("error: line too long\n" PROMPT) : reply_to(c, line, &len);
    if (text)
        send_text(who, text, strlen(text));
}

static void on_client_closed(uv_handle_t *h)
{
    struct client *cl = h->data;
    if (!cl->con) { /* the console is gone already */
        free(cl);
        return;
    }
    struct client **pp = &cl->con->clients;
    while (*pp && *pp != cl)
        pp = &(*pp)->next;
    if (*pp)
        *pp = cl->next;
    free(cl);
}

static void on_client_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    buf->base = malloc(suggested);
    buf->len = buf->base ? suggested : 0;
}

static void on_client_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct client *cl = s->data;
    if (n > 0)
        feed(cl->con, cl->line, &cl->len, &cl->overflow, buf->base, (size_t)n, answer_client, cl);
    else if (n < 0 && !uv_is_closing((uv_handle_t *)s))
        uv_close((uv_handle_t *)s, on_client_closed);
    free(buf->base);
}

static void on_connection(uv_stream_t *server, int status)
{
    struct console *c = server->data;
    struct client *cl;
    if (status < 0 || !(cl = calloc(1, sizeof(*cl))))
        return;
    cl->con = c;
    uv_tcp_init(c->loop, &cl->tcp);
    cl->tcp.data = cl;
    cl->next = c->clients;
    c->clients = cl;
    if (uv_accept(server, (uv_stream_t *)&cl->tcp) != 0 ||
        uv_read_start((uv_stream_t *)&cl->tcp, on_client_alloc, on_client_read) != 0) {
        uv_close((uv_handle_t *)&cl->tcp, on_client_closed);
        return;
    }
    send_text(cl, strdup("ksim process console (help for commands)\n" PROMPT),
              strlen("ksim process console (help for commands)\n" PROMPT));
}

/* The console's own handles point at it: free it once the last one closed. */
static void on_handle_closed(uv_handle_t *h)
{
    struct console *c = h->data;
    if (--c->open_handles == 0)
        free(c);
}

/* The port the server is bound to, or -1. */
static int bound_port(uv_tcp_t *server)
{
    struct sockaddr_in addr;
    int len = sizeof(addr);
    if (uv_tcp_getsockname(server, (struct sockaddr *)&addr, &len) != 0 ||
        addr.sin_family != AF_INET)
        return -1;
    return ntohs(addr.sin_port);
}

static int serve(struct console *c, int port, char *err, size_t errlen)
{
    bool any = port == CONSOLE_PORT_ANY;
    struct sockaddr_in addr;
    int rc = uv_ip4_addr("127.0.0.1", any ? 0 : port, &addr);
    if (rc == 0)
        rc = uv_tcp_init(c->loop, &c->server);
    if (rc == 0) {
        c->server.data = c;
        c->serving = true;
        c->open_handles++;
        rc = uv_tcp_bind(&c->server, (const struct sockaddr *)&addr, 0);
    }
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&c->server, 8, on_connection);
    if (rc != 0 && any)
        snprintf(err, errlen, "--console-port 0: cannot listen on 127.0.0.1: %s", uv_strerror(rc));
    else if (rc != 0)
        snprintf(err, errlen, "--console-port %d: cannot listen on 127.0.0.1:%d: %s", port, port,
                 uv_strerror(rc));
    /* Printed once listening, so a client that reads it can connect at once. */
    if (rc == 0 && any)
        fprintf(stderr, "ksim: process console on 127.0.0.1:%d\n", bound_port(&c->server));
    return rc;
}

struct console *console_start(uv_loop_t *loop, const struct console_host *h, bool on_stdin,
                              int port, char *err, size_t errlen)
{
    struct console *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->loop = loop;
    c->host = *h;
    if ((port > 0 || port == CONSOLE_PORT_ANY) && serve(c, port, err, errlen) != 0) {
        if (c->serving)
            uv_close((uv_handle_t *)&c->server, on_handle_closed);
        else
            free(c);
        return NULL;
    }
    uv_idle_init(loop, &c->pump);
    c->pump.data = c;
    c->open_handles++;
    if (on_stdin) {
        c->on_stdin = true;
        fputs(PROMPT, stdout);
        fflush(stdout);
        sim_input_start(&c->in, loop, STDIN_FILENO, on_stdin_data, on_stdin_eof, c);
    }
    return c;
}

void console_stop(struct console *c)
{
    if (!c)
        return;
    if (c->on_stdin)
        sim_input_stop(&c->in);
    free(c->queue);
    c->queue = NULL;
    c->queued = 0;

    for (struct client *cl = c->clients, *next; cl; cl = next) {
        next = cl->next;
        cl->con = NULL;
        if (!uv_is_closing((uv_handle_t *)&cl->tcp))
            uv_close((uv_handle_t *)&cl->tcp, on_client_closed);
    }
    /* Clients free themselves when their close completes; the console with its last handle. */
    c->clients = NULL;
    if (c->serving)
        uv_close((uv_handle_t *)&c->server, on_handle_closed);
    uv_close((uv_handle_t *)&c->pump, on_handle_closed);
}
