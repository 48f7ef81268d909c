/* Chrome Trace Event writer: compact records in memory, cJSON templates in chunks. */
#define _GNU_SOURCE
#include "run/trace.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

#define TRACE_CHUNK       4096       /* records converted and written together */
#define TRACE_FILE_BUFFER (1u << 20) /* bytes of the trace file buffered before a write */
#define FILTER_MAX        16
#define TRACE_PID         1
#define TRACE_PID_TEXT    "1" /* the same, as JSON text */
#define KERNEL_TID        0
#define NAME_MAX_LEN      PROC_NAME_MAX

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

/*
 * Writing an event is the hot path of a traced run, so each kind of event is
 * a cJSON tree built once: its leaves are references to text the event
 * fills in (cJSON neither copies nor frees them), numbers as raw JSON text,
 * and cJSON prints the tree into a fixed buffer. No allocation per event.
 */
#define TPL_LEAVES 16

struct event_tpl {
    cJSON *root;
    cJSON *leaf[TPL_LEAVES]; /* in the order the template was built */
    unsigned nleaves;
};

/* A leaf whose text the event sets: a string, or (raw) a JSON number written as text. */
static void tpl_leaf(struct event_tpl *t, cJSON *parent, const char *key, bool raw)
{
    cJSON *n = raw ? cJSON_CreateRaw("0") : cJSON_CreateString("");
    if (!n)
        return;
    cJSON_free(n->valuestring);
    n->valuestring = (char *)"";
    n->type |= cJSON_IsReference; /* the text is ours: cJSON_Delete leaves it */
    cJSON_AddItemToObject(parent, key, n);
    if (t->nleaves < TPL_LEAVES)
        t->leaf[t->nleaves++] = n;
}

static void tpl_set(struct event_tpl *t, unsigned i, const char *text)
{
    if (i < t->nleaves)
        t->leaf[i]->valuestring = (char *)text;
}

/* Leaves 0..3: name, ts, tid (raw), then what the kind adds. */
static cJSON *tpl_base(struct event_tpl *t, const char *ph)
{
    t->root = cJSON_CreateObject();
    tpl_leaf(t, t->root, "name", false);
    cJSON_AddStringToObject(t->root, "ph", ph);
    tpl_leaf(t, t->root, "ts", true);
    cJSON_AddRawToObject(t->root, "pid", TRACE_PID_TEXT); /* raw: cJSON prints numbers slowly */
    tpl_leaf(t, t->root, "tid", true);
    return t->root;
}

/* name ts tid class [driver] r0..r3 [return r0_out..r3_out] */
static void tpl_build_syscall(struct event_tpl *t, bool driver, bool out)
{
    cJSON *root = tpl_base(t, "X");
    cJSON_AddRawToObject(root, "dur", "0");
    cJSON_AddStringToObject(root, "cat", "syscall");
    cJSON *a = cJSON_AddObjectToObject(root, "args");
    tpl_leaf(t, a, "class", true);
    if (driver)
        tpl_leaf(t, a, "driver", false);
    static const char *const in[4] = {"r0", "r1", "r2", "r3"};
    static const char *const outs[4] = {"r0_out", "r1_out", "r2_out", "r3_out"};
    for (int i = 0; i < 4; i++)
        tpl_leaf(t, a, in[i], false);
    if (out) {
        tpl_leaf(t, a, "return", false);
        for (int i = 0; i < 4; i++)
            tpl_leaf(t, a, outs[i], false);
    }
}

/* name ts tid [detail] */
static void tpl_build_instant(struct event_tpl *t, bool detail)
{
    cJSON *root = tpl_base(t, "i");
    cJSON_AddStringToObject(root, "s", "t");
    if (detail)
        tpl_leaf(t, cJSON_AddObjectToObject(root, "args"), "detail", false);
}

static void tpl_free(struct event_tpl *t)
{
    cJSON_Delete(t->root);
    t->root = NULL;
}

/* "0x..." as printf's %#lx would, but 0 is "0x0"; buf holds 2 + 16 + 1. */
static const char *hex_text(char *buf, uint64_t v)
{
    char tmp[16];
    unsigned n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (v);
    buf[0] = '0';
    buf[1] = 'x';
    for (unsigned i = 0; i < n; i++)
        buf[2 + i] = tmp[n - 1 - i];
    buf[2 + n] = '\0';
    return buf;
}

static const char *dec_text(char *buf, uint64_t v)
{
    char tmp[20];
    unsigned n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (unsigned i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

/* Microseconds with the nanoseconds as a fraction: "12.345", or "12" when whole. */
static const char *ts_text(char *buf, uint64_t ns)
{
    dec_text(buf, ns / 1000);
    unsigned frac = (unsigned)(ns % 1000);
    if (frac) {
        size_t n = strlen(buf);
        buf[n] = '.';
        buf[n + 1] = (char)('0' + frac / 100);
        buf[n + 2] = (char)('0' + frac / 10 % 10);
        buf[n + 3] = (char)('0' + frac % 10);
        buf[n + 4] = '\0';
    }
    return buf;
}

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
    struct event_tpl syscall_tpl[4]; /* [has driver + 2 * has return] */
    struct event_tpl instant_tpl[2]; /* [has detail] */
    char text[4096];                 /* one event's JSON */
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

/* Prints a template's tree as one event; a tree too large for the buffer goes the slow way. */
static void write_tpl(struct trace *t, struct event_tpl *tpl)
{
    const char *text = t->text;
    char *big = NULL;
    if (!tpl->root) {
        t->failed = true;
        return;
    }
    if (!cJSON_PrintPreallocated(tpl->root, t->text, (int)sizeof(t->text), false))
        text = big = cJSON_PrintUnformatted(tpl->root);
    if (!text || fputs(t->first ? "\n" : ",\n", t->f) < 0 || fputs(text, t->f) < 0)
        t->failed = true;
    t->first = false;
    free(big);
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
    /* Large writes: a system call per few events would cost more than formatting them. */
    setvbuf(t->f, NULL, _IOFBF, TRACE_FILE_BUFFER);
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
    uint32_t driver = 0; /* set when has_driver */
    bool has_driver = syscall_driver(r->cls, r->in, &driver);
    struct event_tpl *tpl = &t->syscall_tpl[has_driver + 2 * (r->has_out != 0)];
    char ts[32], tid[8], cls[12], drv[24], in[4][24], out[4][24];
    unsigned i = 0;
    if (!tpl->root)
        tpl_build_syscall(tpl, has_driver, r->has_out);
    tpl_set(tpl, i++, class_name(r->cls));
    tpl_set(tpl, i++, ts_text(ts, r->ts_ns));
    tpl_set(tpl, i++, dec_text(tid, r->slot + 1u));
    tpl_set(tpl, i++, dec_text(cls, r->cls));
    if (has_driver)
        tpl_set(tpl, i++, hex_text(drv, driver));
    for (int k = 0; k < 4; k++)
        tpl_set(tpl, i++, hex_text(in[k], r->in[k]));
    char ret[48];
    if (r->has_out) {
        const char *variant = r->cls == 0 ? "-" : variant_name(r->out[0]);
        if (r->cls != 0 && r->out[0] < 128) { /* a failure: r1 is the error (ABI.md) */
            snprintf(ret, sizeof(ret), "%s (%s)", variant, ks_err_name((int)r->out[1]));
            variant = ret;
        }
        tpl_set(tpl, i++, variant);
        for (int k = 0; k < 4; k++)
            tpl_set(tpl, i++, hex_text(out[k], r->out[k]));
    }
    write_tpl(t, tpl);
}

static void emit_instant(struct trace *t, const char *name, int tid, uint64_t ts,
                         const char *detail)
{
    bool has_detail = detail && detail[0];
    struct event_tpl *tpl = &t->instant_tpl[has_detail];
    char ts_buf[32], tid_buf[8];
    if (!tpl->root)
        tpl_build_instant(tpl, has_detail);
    tpl_set(tpl, 0, name);
    tpl_set(tpl, 1, ts_text(ts_buf, ts));
    tpl_set(tpl, 2, dec_text(tid_buf, (uint64_t)tid));
    if (has_detail)
        tpl_set(tpl, 3, detail);
    write_tpl(t, tpl);
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
    case KEV_EVICT:
        return "process evicted";
    case KEV_READMIT:
        return "process back in RAM";
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
    memcpy(r->name, ev->p->name, sizeof(r->name)); /* both PROC_NAME_MAX, NUL-terminated */
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
    for (int i = 0; i < 4; i++)
        tpl_free(&t->syscall_tpl[i]);
    for (int i = 0; i < 2; i++)
        tpl_free(&t->instant_tpl[i]);
    free(t->buf);
    free(t->named);
    free(t);
    return rc;
}
