/* `ksim run --trace`: Chrome Trace Event JSON a viewer can open, and its filter. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_ksim.h"

static cJSON *run_traced(const char *filter)
{
    char *path = temp_file("", 0, ".json");
    const char *args[] = {"run",
                          "--trace",
                          path,
                          app_path("hello"),
                          app_path("yield_modes"),
                          filter ? "--trace-filter" : NULL,
                          filter,
                          NULL};
    if (filter) { /* options go before the apps */
        args[3] = "--trace-filter";
        args[4] = filter;
        args[5] = app_path("hello");
        args[6] = app_path("yield_modes");
    }
    struct ksim_result r = run_ksim(args, NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    ksim_result_free(&r);
    size_t len;
    char *text = (char *)read_all(path, &len);
    unlink(path);
    free(path);
    cr_assert_not_null(text);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    cr_assert_not_null(doc, "the trace is not valid JSON");
    return doc;
}

/* Counts events with name (and, if driver is given, args.driver). */
static int count(const cJSON *doc, const char *name, const char *driver)
{
    int n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "traceEvents"))
    {
        const cJSON *nm = cJSON_GetObjectItem(e, "name");
        const cJSON *d = cJSON_GetObjectItem(cJSON_GetObjectItem(e, "args"), "driver");
        if (cJSON_IsString(nm) && strcmp(nm->valuestring, name) == 0 &&
            (!driver || (cJSON_IsString(d) && strcmp(d->valuestring, driver) == 0)))
            n++;
    }
    return n;
}

Test(trace, has_syscalls_upcalls_and_a_track_per_process)
{
    cJSON *doc = run_traced(NULL);
    cr_assert_gt(count(doc, "command", "0x1"), 0, "no console commands");
    cr_assert_gt(count(doc, "command", "0x0"), 0, "no alarm commands");
    cr_assert_gt(count(doc, "upcall", NULL), 0, "no upcalls");
    cr_assert_eq(count(doc, "process start", NULL), 2);
    cr_assert_eq(count(doc, "process exit", NULL), 2);
    cr_assert_eq(count(doc, "thread_name", NULL), 3, "kernel + one track per process");
    cJSON_Delete(doc);
}

Test(trace, filter_keeps_only_the_named_driver)
{
    cJSON *doc = run_traced("driver=0x0");
    cr_assert_gt(count(doc, "command", "0x0"), 0);
    cr_assert_eq(count(doc, "command", "0x1"), 0, "console commands passed the filter");
    cJSON_Delete(doc);
}

Test(trace, bad_filter_is_bad_input)
{
    struct ksim_result r =
        run_ksim((const char *const[]){"run", "--trace", "/tmp/ksim-unused.json", "--trace-filter",
                                       "colour=blue", app_path("hello"), NULL},
                 NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "colour=blue") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(trace, unload_from_the_console_is_a_process_life_event)
{
    char *path = temp_file("", 0, ".json");
    const char *args[] = {"run", "--console", "--trace", path, app_path("sleep"), NULL};
    struct ksim_result r = run_ksim(args, "unload 0\nquit\n");
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    ksim_result_free(&r);
    size_t len;
    char *text = (char *)read_all(path, &len);
    unlink(path);
    free(path);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    cr_assert_not_null(doc, "the trace is not valid JSON");
    cr_assert_eq(count(doc, "process exit", NULL), 1, "unload ends the process first");
    cr_assert_eq(count(doc, "process unload", NULL), 1);
    cJSON_Delete(doc);
}

/* An input the board cannot take ends the run before it starts, with the
 * trace already open: it is closed once (it was closed twice, a
 * use-after-free under ASan), and the user reads why. */
Test(trace, refused_press_with_a_trace_is_bad_input)
{
    char *path = temp_file("", 0, ".json");
    struct ksim_result r = run_ksim(
        (const char *const[]){"run", "--trace", path, "--press", "9@1", app_path("buttons"), NULL},
        NULL);
    cr_assert_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
    cr_assert(strstr(r.err, "--press: button 9: board 'ksim-default' has 4 buttons") != NULL,
              "stderr: %s", r.err);
    cr_assert(strstr(r.err, "Sanitizer") == NULL, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "button") == NULL, "the app ran: %s", r.out);
    ksim_result_free(&r);
    unlink(path);
    free(path);
}
