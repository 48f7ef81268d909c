/*
 * Integration tests of issue 6 (flexible loading) through build/ksim:
 * `ksim pack` and running TBF objects.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_ksim.h"

#define RUN(...) run_ksim((const char *const[]){__VA_ARGS__, NULL}, NULL)

/* A fresh directory for one test's files (left for inspection under /tmp). */
static const char *test_dir(void)
{
    static char dir[64];
    snprintf(dir, sizeof(dir), "/tmp/ksim-loading-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

/* dir/name in a static buffer (four in turn). */
static const char *in_dir(const char *dir, const char *name)
{
    static char paths[4][256];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void pack(const char *app, const char *out)
{
    struct ksim_result r = RUN("pack", app_path(app), "-o", out);
    cr_assert_eq(r.status, 0, "pack %s: %s", app, r.err);
    ksim_result_free(&r);
}

static void flip_byte(const char *path, size_t offset, uint8_t mask)
{
    size_t len;
    unsigned char *b = read_all(path, &len);
    cr_assert_not_null(b);
    cr_assert_lt(offset, len);
    b[offset] ^= mask;
    FILE *f = fopen(path, "wb");
    cr_assert_eq(fwrite(b, 1, len, f), len);
    fclose(f);
    free(b);
}

Test(pack, tbf_runs_exactly_like_the_elf)
{
    const char *dir = test_dir();
    const char *apps[] = {"hello", "sleep", "malloc", "counter"};
    for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s.tbf", apps[i]);
        const char *tbf = in_dir(dir, name);
        pack(apps[i], tbf);
        struct ksim_result e = RUN("run", app_path(apps[i]));
        struct ksim_result t = RUN("run", tbf);
        cr_assert_eq(t.status, e.status, "%s: exit %d, the ELF's %d; stderr: %s", apps[i], t.status,
                     e.status, t.err);
        cr_assert_eq(t.out_len, e.out_len, "%s: output differs:\n%s\nvs the ELF's\n%s", apps[i],
                     t.out, e.out);
        cr_assert(memcmp(t.out, e.out, e.out_len) == 0, "%s: output differs", apps[i]);
        cr_assert_gt(e.out_len, 0, "%s printed nothing", apps[i]);
        ksim_result_free(&e);
        ksim_result_free(&t);
    }
}

Test(pack, a_corrupt_tbf_is_refused_and_the_others_run)
{
    const char *dir = test_dir();
    const char *bad = in_dir(dir, "bad.tbf");
    pack("hello", bad);
    flip_byte(bad, 12, 0x01); /* the header checksum */
    struct ksim_result r = RUN("run", bad, app_path("hello"));
    cr_assert_eq(r.status, 2, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello from ksim!") != NULL, "hello did not run: %s", r.out);
    cr_assert(strstr(r.err, bad) != NULL, "the file is not named: %s", r.err);
    cr_assert(strstr(r.err, "'checksum' at offset 0xc") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(pack, a_tampered_binary_fails_its_credential)
{
    const char *dir = test_dir();
    const char *bad = in_dir(dir, "tampered.tbf");
    pack("hello", bad);
    flip_byte(bad, 0x400, 0x80); /* inside the ELF: the header is still fine */
    struct ksim_result r = RUN("run", app_path("hello"), bad);
    cr_assert_eq(r.status, 2, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "Hello from ksim!") != NULL, "hello did not run: %s", r.out);
    cr_assert(strstr(r.err, "'credential' at offset 0x") != NULL, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "SHA-256") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
}

Test(pack, the_package_name_names_the_process)
{
    const char *dir = test_dir();
    const char *tbf = in_dir(dir, "x.tbf");
    struct ksim_result p =
        RUN("pack", "--name", "org.example.crash", app_path("fault_null"), "-o", tbf);
    cr_assert_eq(p.status, 0, "%s", p.err);
    ksim_result_free(&p);
    struct ksim_result r = RUN("run", tbf);
    cr_assert_eq(r.status, 3, "stderr: %s", r.err);
    cr_assert(strstr(r.err, "org.example.crash") != NULL, "the fault report: %s", r.err);
    ksim_result_free(&r);
}

Test(pack, refuses_what_is_not_an_app)
{
    const char *dir = test_dir();
    const char *out = in_dir(dir, "out.tbf");
    char text[128];
    memset(text, 'x', sizeof(text)); /* longer than an ELF header, but not one */
    char *junk = temp_file(text, sizeof(text), ".elf");
    struct ksim_result r = RUN("pack", junk, "-o", out);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, junk) && strstr(r.err, "not an ELF file"), "stderr: %s", r.err);
    cr_assert_eq(access(out, F_OK), -1, "a refused pack wrote its output");
    ksim_result_free(&r);
    r = RUN("pack", app_path("hello"));
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "-o") != NULL, "stderr: %s", r.err);
    ksim_result_free(&r);
    unlink(junk);
    free(junk);
}
