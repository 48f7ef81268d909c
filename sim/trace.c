/* Chrome Trace Event writer: compact records in memory, cJSON in chunks. */
#define _GNU_SOURCE
#include "trace.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_CHUNK  4096 /* records converted and written together */
#define FILTER_MAX   16
#define TRACE_PID    1
#define KERNEL_TID   0
#define NAME_MAX_LEN PROC_NAME_MAX

enum rec_kind { REC_SYSCALL, REC_UPCALL, REC_SWITCH, REC_LIFE, REC_INSTANT };

struct rec {
    uint64_t ts_ns;
    uint8_t kind;
    uint8_t life; /* enum kernel_event_kind for REC_LIFE */
    uint8_t has_out;
    uint16_t slot;
    uint32_t proc_id;
    uint32_t cls;
    uintptr_t in[4], out[4];
    char name[NAME_MAX_LEN]; /* process name, or the instant's name */
    char detail[48];         /* instant detail, fault text */
};

struct trace {
    FILE *f;
    bool enabled, first, failed;
    struct rec *buf;
    size_t n;
    char procs[FILTER_MAX][NAME_MAX_LEN];
    unsigned nprocs;
    uint32_t drivers[FILTER_MAX];
    unsigned ndrivers;
    char (*named)[NAME_MAX_LEN]; /* thread_name already written per slot+1 */
    unsigned nnamed;
};

static int parse_filter(struct trace *t, const char *spec, char *err, size_t errlen)
{
    char *copy = strdup(spec), *save = NULL;
    int rc = 0;
    for (char *item = strtok_r(copy, ",", &save); item && rc == 0;
         item = strtok_r(NULL, ",", &save)) {
        char *end;
        if (strncmp(item, "proc=", 5) == 0 && item[5] && t->nprocs < FILTER_MAX &&
            strlen(item + 5) < NAME_MAX_LEN) {
            strcpy(t->procs[t->nprocs++], item + 5);
        } else if (strncmp(item, "driver=", 7) == 0 && t->ndrivers < FILTER_MAX) {
            unsigned long v = strtoul(item + 7, &end, 0);
            if (end == item + 7 || *end || v > UINT32_MAX)
                rc = -1;
            else
                t->drivers[t->ndrivers++] = (uint32_t)v;
        } else {
            rc = -1;
        }
        if (rc)
            snprintf(err, errlen,
                     "--trace-filter: '%s': expected proc=NAME or driver=NUMBER (at most %d "
                     "each)",
                     item, FILTER_MAX);
    }
    free(copy);
    return rc;
}

static void write_json(struct trace *t, cJSON *ev)
{
    char *text = cJSON_PrintUnformatted(ev);
    if (!text || fprintf(t->f, "%s%s", t->first ? "\n" : ",\n", text) < 0)
        t->failed = true;
    t->first = false;
    free(text);
    cJSON_Delete(ev);
}

static cJSON *base_event(const char *name, const char *ph, uint64_t ts_ns, int tid)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "name", name);
    cJSON_AddStringToObject(e, "ph", ph);
    cJSON_AddNumberToObject(e, "ts", (double)ts_ns / 1000.0); /* microseconds */
    cJSON_AddNumberToObject(e, "pid", TRACE_PID);
    cJSON_AddNumberToObject(e, "tid", tid);
    return e;
}

static void metadata(struct trace *t, const char *what, int tid, const char *name)
{
    cJSON *e = base_event(what, "M", 0, tid);
    cJSON *args = cJSON_AddObjectToObject(e, "args");
    cJSON_AddStringToObject(args, "name", name);
    write_json(t, e);
}

struct trace *trace_open(const char *path, const char *filter, const char *board_name, char *err,
                         size_t errlen)
{
    struct trace *t = calloc(1, sizeof(*t));
    char label[160];
    if (!t)
        return NULL;
    if (filter && parse_filter(t, filter, err, errlen) != 0) {
        free(t);
        return NULL;
    }
    t->buf = calloc(TRACE_CHUNK, sizeof(*t->buf));
    t->f = fopen(path, "w");
    if (!t->buf || !t->f) {
        snprintf(err, errlen, "--trace: %s: cannot write: %s", path, strerror(errno));
        if (t->f)
            fclose(t->f);
        free(t->buf);
        free(t);
        return NULL;
    }
    t->enabled = t->first = true;
    fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"clock\":\"ksim board time\"},"
          "\"traceEvents\":[",
          t->f);
    snprintf(label, sizeof(label), "ksim board %s", board_name);
    metadata(t, "process_name", KERNEL_TID, label);
    metadata(t, "thread_name", KERNEL_TID, "kernel");
    return t;
}

static bool proc_passes(const struct trace *t, const char *name)
{
    if (t->nprocs == 0)
        return true;
    for (unsigned i = 0; i < t->nprocs; i++)
        if (strcmp(t->procs[i], name) == 0)
            return true;
    return false;
}

static bool driver_passes(const struct trace *t, uint32_t driver)
{
    if (t->ndrivers == 0)
        return true;
    for (unsigned i = 0; i < t->ndrivers; i++)
        if (t->drivers[i] == driver)
            return true;
    return false;
}

/* The driver a system call is about, if its class names one. */
static bool syscall_driver(uint32_t cls, const uintptr_t *in, uint32_t *driver)
{
    if (cls == 1 || cls == 2 || cls == 3 || cls == 4 || cls == 7) {
        *driver = (uint32_t)in[0];
        return true;
    }
    return false;
}

static const char *class_name(uint32_t cls)
{
    static const char *const names[] = {"yield",    "subscribe", "command", "allow-rw",
                                        "allow-ro", "memop",     "exit",    "allow-ur"};
    return cls < 8 ? names[cls] : "invalid";
}

static const char *variant_name(uintptr_t v)
{
    switch (v) {
    case 0:
        return "Failure";
    case 1:
        return "Failure with u32";
    case 2:
        return "Failure with 2 u32";
    case 3:
        return "Failure with u64";
    case 128:
        return "Success";
    case 129:
        return "Success with u32";
    case 130:
        return "Success with 2 u32";
    case 131:
        return "Success with u64";
    case 132:
        return "Success with 3 u32";
    case 133:
        return "Success with u32 and u64";
    default:
        return "none";
    }
}

static void add_hex(cJSON *o, const char *key, uintptr_t v)
{
    char text[24];
    snprintf(text, sizeof(text), "0x%lx", (unsigned long)v);
    cJSON_AddStringToObject(o, key, text);
}

static void thread_name(struct trace *t, const struct rec *r)
{
    unsigned tid = r->slot + 1u;
    if (tid >= t->nnamed) {
        unsigned n = tid + 16;
        char(*grown)[NAME_MAX_LEN] = realloc(t->named, n * sizeof(*grown));
        if (!grown)
            return;
        memset(grown + t->nnamed, 0, (n - t->nnamed) * sizeof(*grown));
        t->named = grown;
        t->nnamed = n;
    }
    if (strcmp(t->named[tid], r->name) != 0) {
        strcpy(t->named[tid], r->name);
        metadata(t, "thread_name", (int)tid, r->name);
    }
}

static void emit_syscall(struct trace *t, const struct rec *r)
{
    cJSON *e = base_event(class_name(r->cls), "X", r->ts_ns, r->slot + 1);
    cJSON_AddNumberToObject(e, "dur", 0);
    cJSON_AddStringToObject(e, "cat", "syscall");
    cJSON *a = cJSON_AddObjectToObject(e, "args");
    uint32_t driver;
    cJSON_AddNumberToObject(a, "class", r->cls);
    if (syscall_driver(r->cls, r->in, &driver))
        add_hex(a, "driver", driver);
    for (int i = 0; i < 4; i++) {
        char key[4] = {'r', (char)('0' + i), 0, 0};
        add_hex(a, key, r->in[i]);
    }
    if (r->has_out) {
        cJSON_AddStringToObject(a, "return", r->cls == 0 ? "-" : variant_name(r->out[0]));
        for (int i = 0; i < 4; i++) {
            char key[8] = {'r', (char)('0' + i), '_', 'o', 'u', 't', 0, 0};
            add_hex(a, key, r->out[i]);
        }
    }
    write_json(t, e);
}

static void emit_instant(struct trace *t, const char *name, int tid, uint64_t ts,
                         const char *detail)
{
    cJSON *e = base_event(name, "i", ts, tid);
    cJSON_AddStringToObject(e, "s", "t");
    if (detail && detail[0]) {
        cJSON *a = cJSON_AddObjectToObject(e, "args");
        cJSON_AddStringToObject(a, "detail", detail);
    }
    write_json(t, e);
}

static const char *life_name(uint8_t kind)
{
    switch (kind) {
    case KEV_START:
        return "process start";
    case KEV_EXIT:
        return "process exit";
    case KEV_RESTART:
        return "process restart";
    case KEV_FAULT:
        return "process fault";
    case KEV_PANIC:
        return "kernel panic";
    case KEV_UNLOAD:
        return "process unload";
    default:
        return "event";
    }
}

static void emit(struct trace *t, const struct rec *r)
{
    if (r->kind != REC_INSTANT)
        thread_name(t, r);
    switch (r->kind) {
    case REC_SYSCALL:
        emit_syscall(t, r);
        break;
    case REC_UPCALL:
        emit_instant(t, "upcall", r->slot + 1, r->ts_ns, r->detail);
        break;
    case REC_SWITCH:
        emit_instant(t, "switch", KERNEL_TID, r->ts_ns, r->name);
        break;
    case REC_LIFE:
        emit_instant(t, life_name(r->life), r->slot + 1, r->ts_ns, r->detail);
        break;
    default:
        emit_instant(t, r->name, KERNEL_TID, r->ts_ns, r->detail);
        break;
    }
}

static void flush(struct trace *t)
{
    for (size_t i = 0; i < t->n; i++)
        emit(t, &t->buf[i]);
    t->n = 0;
}

static struct rec *next_rec(struct trace *t)
{
    if (t->n == TRACE_CHUNK)
        flush(t);
    struct rec *r = &t->buf[t->n++];
    memset(r, 0, offsetof(struct rec, name));
    r->name[0] = r->detail[0] = '\0';
    return r;
}

static void fill_upcall(struct rec *r, const struct upcall_event *u)
{
    snprintf(r->detail, sizeof(r->detail), "driver 0x%x upcall %u (0x%lx, 0x%lx, 0x%lx)", u->driver,
             u->number, (unsigned long)u->args[0], (unsigned long)u->args[1],
             (unsigned long)u->args[2]);
}

void trace_kernel_event(struct trace *t, const struct kernel_event *ev, uint64_t now_ns)
{
    uint32_t driver;
    if (!t || !t->enabled || !proc_passes(t, ev->p->name))
        return;
    if (ev->kind == KEV_SYSCALL && syscall_driver(ev->syscall_class, ev->in, &driver) &&
        !driver_passes(t, driver))
        return;
    if (ev->kind == KEV_UPCALL && !driver_passes(t, ev->upcall->driver))
        return;
    struct rec *r = next_rec(t);
    r->ts_ns = now_ns;
    r->slot = (uint16_t)ev->p->slot;
    r->proc_id = ev->p->id;
    snprintf(r->name, sizeof(r->name), "%s", ev->p->name);
    switch (ev->kind) {
    case KEV_SYSCALL:
        r->kind = REC_SYSCALL;
        r->cls = ev->syscall_class;
        memcpy(r->in, ev->in, sizeof(r->in));
        if (ev->out) {
            r->has_out = 1;
            memcpy(r->out, ev->out, sizeof(r->out));
        }
        break;
    case KEV_UPCALL:
        r->kind = REC_UPCALL;
        fill_upcall(r, ev->upcall);
        break;
    case KEV_SWITCH:
        r->kind = REC_SWITCH;
        break;
    default:
        r->kind = REC_LIFE;
        r->life = (uint8_t)ev->kind;
        if (ev->kind == KEV_EXIT)
            snprintf(r->detail, sizeof(r->detail), "completion code %d",
                     (int)ev->p->completion_code);
        else if (ev->kind == KEV_FAULT)
            snprintf(r->detail, sizeof(r->detail), "fault at 0x%lx, pc 0x%lx",
                     (unsigned long)ev->p->last_fault.addr, (unsigned long)ev->p->last_fault.pc);
        else if (ev->kind == KEV_START)
            snprintf(r->detail, sizeof(r->detail), "id %u", ev->p->id);
        break;
    }
}

void trace_instant(struct trace *t, const char *name, const char *detail, uint64_t now_ns)
{
    if (!t || !t->enabled)
        return;
    struct rec *r = next_rec(t);
    r->kind = REC_INSTANT;
    r->ts_ns = now_ns;
    snprintf(r->name, sizeof(r->name), "%s", name);
    snprintf(r->detail, sizeof(r->detail), "%s", detail ? detail : "");
}

void trace_enable(struct trace *t, bool on)
{
    if (t)
        t->enabled = on;
}

int trace_close(struct trace *t)
{
    int rc;
    if (!t)
        return 0;
    flush(t);
    fputs("\n]}\n", t->f);
    rc = (fclose(t->f) != 0 || t->failed) ? -1 : 0;
    free(t->buf);
    free(t->named);
    free(t);
    return rc;
}
