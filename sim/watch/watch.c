/*
 * `ksim watch`: build, run, and on every saved change stop the run, build
 * again and run again, printing how long it took from the save to the
 * first output. One libuv loop: fs_event handles on the watched directories,
 * a debounce timer (an editor's save is often several events), the build
 * steps and `ksim run` as child processes, SIGINT/SIGTERM to stop.
 */
#define _GNU_SOURCE
#include "watch/watch.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "run/runner.h"
#include "watch/watch_plan.h"

#define DEFAULT_DEBOUNCE_MS 50
#define KILL_GRACE_MS       2000 /* then SIGKILL */
#define MAX_WATCH_PATHS     64

static const char watch_usage[] =
    "usage: ksim watch [--build CMD] [--watch PATH]... [--debounce MS] APP.elf|DIR... "
    "[-- RUN-OPTIONS]\n"
    "  builds, runs `ksim run RUN-OPTIONS APPS`, and on every saved change stops the run,\n"
    "  rebuilds and runs again, printing the time from the save to the first output.\n"
    "  --build CMD     build with `sh -c CMD` instead of the command found for each target\n"
    "  --watch PATH    watch PATH (a file, or a directory and those below it) instead\n"
    "  --debounce MS   wait this long after the last change of a burst (default 50)\n"
    "  how the build command and the watched files are found: docs/cli.md\n";

enum watch_state {
    WATCH_IDLE,     /* nothing runs: waiting for a change */
    WATCH_BUILDING, /* a build step runs */
    WATCH_RUNNING,  /* ksim runs */
    WATCH_STOPPING, /* ksim or a build was told to stop */
};

struct watcher;

/* A child process and, for ksim, the pipes of its stdout and stderr. */
struct child {
    struct watcher *w;
    uv_process_t proc;
    uv_pipe_t out, err;
    bool is_ksim;
    bool exited;
    int64_t status;
    int term_signal;
    unsigned open_handles; /* freed when the last one is closed */
};

struct watcher {
    uv_loop_t *loop;
    struct watch_plan plan;
    char self[PATH_MAX]; /* the ksim binary */
    char *const *run_opts;
    size_t nrun_opts;
    unsigned debounce_ms;

    uv_fs_event_t *events; /* one per plan.dirs entry */
    uv_timer_t debounce, kill_timer;
    uv_signal_t sigint, sigterm;

    enum watch_state state;
    struct child *child; /* the running build step or ksim, or NULL */
    size_t build_step;
    bool stop_requested; /* the child was told to stop (not its own exit) */
    bool rebuild_pending;
    bool quitting;
    int exit_code;

    uint64_t burst_start; /* first change of the burst being debounced */
    uint64_t cycle_start; /* the save (or ksim watch's start) this cycle answers */
    uint64_t build_start, run_start;
    bool initial_cycle, first_output_seen;
    char changed[NAME_MAX + 1];
};

static void start_cycle(struct watcher *w);
static void start_build_step(struct watcher *w);

static double ms_since(uint64_t t0)
{
    return (double)(uv_hrtime() - t0) / 1e6;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("ksim watch: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* --- child processes ---------------------------------------------------------------- */

static void on_child_handle_closed(uv_handle_t *h)
{
    struct child *c = h->data;
    if (--c->open_handles == 0)
        free(c);
}

static void close_child_handle(uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, on_child_handle_closed);
}

static void child_finished(struct watcher *w, struct child *c);

/* The child is done once it exited and (ksim) both pipes reached their end. */
static void maybe_finished(struct child *c)
{
    if (c->exited && (!c->is_ksim || (uv_is_closing((uv_handle_t *)&c->out) &&
                                      uv_is_closing((uv_handle_t *)&c->err))))
        child_finished(c->w, c);
}

static void on_child_exit(uv_process_t *p, int64_t status, int term_signal)
{
    struct child *c = p->data;
    c->exited = true;
    c->status = status;
    c->term_signal = term_signal;
    close_child_handle((uv_handle_t *)p);
    maybe_finished(c);
}

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* our own output is gone: nothing better to do with it */
        buf += n;
        len -= (size_t)n;
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    buf->base = malloc(suggested);
    buf->len = buf->base ? suggested : 0;
}

static void on_ksim_output(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct child *c = s->data;
    struct watcher *w = c->w;
    if (nread > 0) {
        if (!w->first_output_seen && !w->quitting) {
            w->first_output_seen = true;
            double total = ms_since(w->cycle_start), run = ms_since(w->run_start);
            double build = (double)(w->run_start - w->build_start) / 1e6;
            say("%s to first output: %.0f ms (build %.0f ms, ksim %.0f ms)",
                w->initial_cycle ? "start" : "save", total, build, run);
        }
        write_all(s == (uv_stream_t *)&c->out ? STDOUT_FILENO : STDERR_FILENO, buf->base,
                  (size_t)nread);
    } else if (nread < 0) {
        close_child_handle((uv_handle_t *)s);
        maybe_finished(c);
    }
    free(buf->base);
}

static struct child *spawn(struct watcher *w, char **argv, const char *cwd, bool is_ksim)
{
    struct child *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->w = w;
    c->is_ksim = is_ksim;
    c->proc.data = c->out.data = c->err.data = c;
    uv_stdio_container_t stdio[3] = {
        {.flags = is_ksim ? UV_INHERIT_FD : UV_IGNORE, .data.fd = STDIN_FILENO},
        {.flags = UV_INHERIT_FD, .data.fd = STDOUT_FILENO},
        {.flags = UV_INHERIT_FD, .data.fd = STDERR_FILENO},
    };
    if (is_ksim) {
        uv_pipe_init(w->loop, &c->out, 0);
        uv_pipe_init(w->loop, &c->err, 0);
        c->open_handles = 2;
        stdio[1] = (uv_stdio_container_t){.flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE,
                                          .data.stream = (uv_stream_t *)&c->out};
        stdio[2] = (uv_stdio_container_t){.flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE,
                                          .data.stream = (uv_stream_t *)&c->err};
    }
    const uv_process_options_t opts = {
        .exit_cb = on_child_exit,
        .file = argv[0],
        .args = argv,
        .cwd = cwd,
        /* A build runs in its own process group, so stopping it stops make's children. */
        .flags = is_ksim ? 0 : UV_PROCESS_DETACHED,
        .stdio_count = 3,
        .stdio = stdio,
    };
    int rc = uv_spawn(w->loop, &c->proc, &opts);
    c->open_handles++; /* the process handle must be closed even when spawn failed */
    if (rc != 0) {
        say("cannot start %s: %s", argv[0], uv_strerror(rc));
        c->exited = true;
        close_child_handle((uv_handle_t *)&c->proc);
        if (is_ksim) {
            close_child_handle((uv_handle_t *)&c->out);
            close_child_handle((uv_handle_t *)&c->err);
        }
        return NULL;
    }
    if (is_ksim) {
        uv_read_start((uv_stream_t *)&c->out, on_alloc, on_ksim_output);
        uv_read_start((uv_stream_t *)&c->err, on_alloc, on_ksim_output);
    }
    return c;
}

static void on_kill_timer(uv_timer_t *t)
{
    struct watcher *w = t->data;
    if (w->child && !w->child->exited) {
        say("the child ignored SIGTERM: killing it");
        uv_kill(w->child->is_ksim ? w->child->proc.pid : -w->child->proc.pid, SIGKILL);
    }
}

/* Tells the running child to stop; child_finished goes on when it has. */
static void stop_child(struct watcher *w)
{
    struct child *c = w->child;
    if (!c || c->exited || w->stop_requested)
        return;
    w->stop_requested = true;
    w->state = WATCH_STOPPING;
    uv_kill(c->is_ksim ? c->proc.pid : -c->proc.pid, SIGTERM);
    uv_timer_start(&w->kill_timer, on_kill_timer, KILL_GRACE_MS, 0);
}

/* --- the cycle: build steps, then ksim ---------------------------------------------- */

static void quit_now(struct watcher *w);

static void start_ksim(struct watcher *w)
{
    char err[512], **elfs;
    if (watch_plan_elfs(&w->plan, &elfs, err, sizeof(err)) != 0) {
        say("%s; waiting for changes", err);
        w->state = WATCH_IDLE;
        return;
    }
    size_t nelfs = 0;
    while (elfs[nelfs])
        nelfs++;
    char **argv = calloc(2 + w->nrun_opts + nelfs + 1, sizeof(char *));
    if (!argv) {
        watch_plan_free_list(elfs);
        w->state = WATCH_IDLE;
        return;
    }
    argv[0] = w->self;
    argv[1] = "run";
    if (w->nrun_opts)
        memcpy(argv + 2, w->run_opts, w->nrun_opts * sizeof(char *));
    memcpy(argv + 2 + w->nrun_opts, elfs, nelfs * sizeof(char *));
    w->run_start = uv_hrtime();
    w->first_output_seen = false;
    w->child = spawn(w, argv, NULL, true);
    w->state = w->child ? WATCH_RUNNING : WATCH_IDLE;
    free(argv);
    watch_plan_free_list(elfs);
}

static void start_build_step(struct watcher *w)
{
    const struct watch_cmd *cmd = &w->plan.builds[w->build_step];
    say("building: %s%s%s%s", cmd->text, cmd->cwd ? " (in " : "", cmd->cwd ? cmd->cwd : "",
        cmd->cwd ? ")" : "");
    w->child = spawn(w, cmd->argv, cmd->cwd, false);
    w->state = w->child ? WATCH_BUILDING : WATCH_IDLE;
}

static void start_cycle(struct watcher *w)
{
    w->rebuild_pending = false;
    w->build_step = 0;
    w->build_start = uv_hrtime();
    if (w->plan.nbuilds == 0)
        start_ksim(w);
    else
        start_build_step(w);
}

static void report_ksim_end(const struct child *c)
{
    if (c->term_signal)
        say("ksim ended by signal %d; waiting for changes (Ctrl-C to stop)", c->term_signal);
    else
        say("ksim exited with status %lld; waiting for changes (Ctrl-C to stop)",
            (long long)c->status);
}

static void child_finished(struct watcher *w, struct child *c)
{
    bool stopped = w->stop_requested;
    if (w->child != c)
        return;
    w->child = NULL;
    w->stop_requested = false;
    uv_timer_stop(&w->kill_timer);
    w->state = WATCH_IDLE;
    if (w->quitting) {
        quit_now(w);
        return;
    }
    if (c->is_ksim) {
        if (!stopped)
            report_ksim_end(c);
    } else if (!stopped && (c->status != 0 || c->term_signal)) {
        say("build failed (%s %lld); waiting for changes", c->term_signal ? "signal" : "status",
            (long long)(c->term_signal ? c->term_signal : c->status));
        stopped = true; /* no run after a failed build */
        w->build_step = w->plan.nbuilds;
    } else if (!stopped && ++w->build_step < w->plan.nbuilds) {
        start_build_step(w);
        return;
    } else if (!stopped && !w->rebuild_pending) {
        start_ksim(w);
        return;
    }
    if (w->rebuild_pending)
        start_cycle(w);
}

/* --- changes ----------------------------------------------------------------------- */

static void on_debounced(uv_timer_t *t)
{
    struct watcher *w = t->data;
    w->cycle_start = w->burst_start;
    w->initial_cycle = false;
    say("%s changed: rebuilding", w->changed);
    w->rebuild_pending = true;
    if (w->state == WATCH_RUNNING)
        stop_child(w); /* child_finished starts the cycle */
    else if (w->state == WATCH_IDLE)
        start_cycle(w);
    /* building or stopping: the cycle starts again when it ends */
}

static void on_fs_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
    struct watcher *w = h->loop->data;
    const struct watch_dir *d = h->data;
    (void)events;
    if (w->quitting || status < 0)
        return;
    if (filename && (d->only ? strcmp(filename, d->only) != 0 : !watch_is_source(filename)))
        return;
    if (!uv_is_active((uv_handle_t *)&w->debounce)) {
        w->burst_start = uv_hrtime();
        snprintf(w->changed, sizeof(w->changed), "%s", filename ? filename : d->path);
    }
    uv_timer_start(&w->debounce, on_debounced, w->debounce_ms, 0);
}

static int start_watching(struct watcher *w)
{
    w->events = calloc(w->plan.ndirs, sizeof(*w->events));
    if (!w->events)
        return -1;
    for (size_t i = 0; i < w->plan.ndirs; i++) {
        uv_fs_event_init(w->loop, &w->events[i]);
        w->events[i].data = &w->plan.dirs[i];
        int rc = uv_fs_event_start(&w->events[i], on_fs_event, w->plan.dirs[i].path, 0);
        if (rc != 0) {
            say("cannot watch %s: %s", w->plan.dirs[i].path, uv_strerror(rc));
            return -1;
        }
    }
    if (w->plan.dirs_capped)
        say("watching only the first %zu directories", w->plan.ndirs);
    return 0;
}

/* --- stopping ------------------------------------------------------------------------ */

static void quit_now(struct watcher *w)
{
    if (w->child)
        return; /* child_finished comes back here */
    uv_stop(w->loop);
}

static void on_signal(uv_signal_t *s, int signo)
{
    struct watcher *w = s->data;
    (void)signo;
    if (w->quitting)
        return;
    w->quitting = true;
    uv_timer_stop(&w->debounce);
    for (size_t i = 0; i < w->plan.ndirs; i++)
        uv_fs_event_stop(&w->events[i]);
    if (w->child)
        stop_child(w);
    quit_now(w);
}

/* --- the command ---------------------------------------------------------------------- */

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "ksim: watch: ");
    fprintf(stderr, what, arg);
    fprintf(stderr, "\n%s", watch_usage);
    return SIM_EXIT_BAD_INPUT;
}

static int find_self(struct watcher *w, char *ksim_cc, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", w->self, sizeof(w->self) - 1);
    if (n <= 0)
        return -1;
    w->self[n] = '\0';
    const char *env = getenv("KSIM_CC");
    if (env && *env)
        snprintf(ksim_cc, cap, "%s", env);
    else
        snprintf(ksim_cc, cap, "%.*s/ksim-cc", (int)(strrchr(w->self, '/') - w->self), w->self);
    return 0;
}

static void close_all(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static int run_watcher(struct watcher *w)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    loop.data = w;
    w->loop = &loop;
    uv_timer_init(&loop, &w->debounce);
    uv_timer_init(&loop, &w->kill_timer);
    uv_signal_init(&loop, &w->sigint);
    uv_signal_init(&loop, &w->sigterm);
    w->debounce.data = w->kill_timer.data = w->sigint.data = w->sigterm.data = w;
    uv_signal_start(&w->sigint, on_signal, SIGINT);
    uv_signal_start(&w->sigterm, on_signal, SIGTERM);
    int rc = start_watching(w);
    if (rc == 0) {
        w->cycle_start = uv_hrtime();
        w->initial_cycle = true;
        start_cycle(w);
        uv_run(&loop, UV_RUN_DEFAULT);
    }
    /* Children are gone (quit waits for them); close what is left, then the loop. */
    uv_walk(&loop, close_all, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    free(w->events);
    return rc == 0 ? SIM_EXIT_OK : SIM_EXIT_BAD_INPUT;
}

int sim_cmd_watch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"build", required_argument, NULL, 'b'},
        {"watch", required_argument, NULL, 'w'},
        {"debounce", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static struct watcher w; /* large; sim_cmd_watch runs once */
    const char *watch_paths[MAX_WATCH_PATHS];
    struct watch_options o = {.watch_paths = watch_paths};
    char ksim_cc[PATH_MAX + 16], err[1024], *end;
    int c;
    memset(&w, 0, sizeof(w));
    w.debounce_ms = DEFAULT_DEBOUNCE_MS;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        if (c == 'b') {
            o.build = optarg;
        } else if (c == 'w') {
            if (o.nwatch == MAX_WATCH_PATHS)
                return bad_usage("--watch: at most %s paths", "64");
            watch_paths[o.nwatch++] = optarg;
        } else if (c == 'd') {
            unsigned long ms = strtoul(optarg, &end, 10);
            if (!*optarg || *end || optarg[0] == '-' || ms > 60000)
                return bad_usage("--debounce: expected milliseconds 0..60000, got '%s'", optarg);
            w.debounce_ms = (unsigned)ms;
        } else if (c == 'h') {
            fputs(watch_usage, stdout);
            return SIM_EXIT_OK;
        } else {
            return bad_usage("%s", "unknown option");
        }
    }
    int ntargets = 0;
    while (optind + ntargets < argc && strcmp(argv[optind + ntargets], "--") != 0)
        ntargets++;
    if (ntargets == 0)
        return bad_usage("%s", "give an app (.elf) or a directory to watch");
    if (optind + ntargets < argc) { /* after "--": options of `ksim run` */
        w.run_opts = &argv[optind + ntargets + 1];
        w.nrun_opts = (size_t)(argc - optind - ntargets - 1);
    }
    if (find_self(&w, ksim_cc, sizeof(ksim_cc)) != 0) {
        fprintf(stderr, "ksim: watch: cannot find the ksim binary (/proc/self/exe)\n");
        return SIM_EXIT_BAD_INPUT;
    }
    o.ksim_cc = ksim_cc;
    if (watch_plan_make(&w.plan, &o, &argv[optind], (size_t)ntargets, err, sizeof(err)) != 0) {
        fprintf(stderr, "ksim: watch: %s\n", err);
        return SIM_EXIT_BAD_INPUT;
    }
    signal(SIGPIPE, SIG_IGN); /* a closed terminal must not kill us mid-write */
    int rc = run_watcher(&w);
    watch_plan_free(&w.plan);
    return rc;
}
