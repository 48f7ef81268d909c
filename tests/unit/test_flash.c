/*
 * Apps in flash: the kernel's flash walk and boot (kernel/flashwalk.c),
 * writeable flash regions (memop 7-9, the app flash driver, umem), against
 * the fake HAL; and flash image files (sim/image/flash_image.c), above all that
 * an install interrupted at any point leaves an image that still boots.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appload.h"
#include "err.h"
#include "fake_hal.h"
#include "flashwalk.h"
#include "image/flash_image.h"
#include "image/tbf_pack.h"
#include "syscall.h"

#ifndef KSIM_APPS_DIR
#define KSIM_APPS_DIR "build/apps"
#endif

#define FLASH_BASE 0x00040000u
#define FLASH_SIZE 0x80000u /* 512 KiB */

static uint8_t *pack_app(const char *app, const char *name, unsigned region, size_t *len)
{
    char path[512], err[256];
    size_t elf_len;
    uint8_t *out;
    snprintf(path, sizeof(path), "%s/%s.elf", KSIM_APPS_DIR, app);
    uint8_t *elf = fake_read_file(path, &elf_len);
    struct tbf_pack_options o = {.package_name = name};
    if (region) {
        o.nregions = 1;
        o.region_size[0] = region;
    }
    cr_assert_eq(tbf_pack(elf, elf_len, fake_host_machine(), &o, &out, len, err, sizeof(err)), 0,
                 "%s", err);
    free(elf);
    return out;
}

/* --- the walk ------------------------------------------------------------------- */

static uint8_t *flash; /* FLASH_SIZE bytes, erased (zeros) */
static size_t a_len, b_len;

static void put(size_t at, const uint8_t *obj, size_t len)
{
    cr_assert_leq(at + len, FLASH_SIZE);
    memcpy(flash + at, obj, len);
}

/* flash = hello (no region), then counter (a 64-byte region). */
static void walk_setup(void)
{
    flash = calloc(1, FLASH_SIZE);
    uint8_t *a = pack_app("hello", "hello", 0, &a_len);
    uint8_t *b = pack_app("hello", "counter", 64, &b_len);
    put(0, a, a_len);
    put(a_len, b, b_len);
    free(a);
    free(b);
}

static void walk_teardown(void)
{
    free(flash);
}

TestSuite(flashwalk, .init = walk_setup, .fini = walk_teardown);

Test(flashwalk, finds_objects_in_order_until_erased_flash)
{
    struct flashwalk_entry e;
    size_t next = flashwalk_at(flash, FLASH_SIZE, 0, &e);
    cr_assert_eq(e.kind, FLASHWALK_APP);
    cr_assert_eq(next, a_len);
    next = flashwalk_at(flash, FLASH_SIZE, next, &e);
    cr_assert_eq(e.kind, FLASHWALK_APP);
    cr_assert_eq(e.offset, a_len);
    cr_assert_eq(e.tbf.nwfr, 1);
    cr_assert_eq(next, a_len + b_len);
    cr_assert_eq(flashwalk_at(flash, FLASH_SIZE, next, &e), FLASH_SIZE);
    cr_assert_eq(e.kind, FLASHWALK_END, "zeros end the walk");
    memset(flash + next, 0xff, 64);
    flashwalk_at(flash, FLASH_SIZE, next, &e);
    cr_assert_eq(e.kind, FLASHWALK_END, "so does 0xff");
}

/* A broken object is skipped by its total_size: the next one still boots. */
Test(flashwalk, skips_a_broken_object)
{
    struct flashwalk_entry e;
    flash[12] ^= 1; /* hello's checksum */
    size_t next = flashwalk_at(flash, FLASH_SIZE, 0, &e);
    cr_assert_eq(e.kind, FLASHWALK_BROKEN);
    cr_assert_eq(e.err.why, TBF_BAD_CHECKSUM);
    cr_assert_eq(next, a_len);
    flashwalk_at(flash, FLASH_SIZE, next, &e);
    cr_assert_eq(e.kind, FLASHWALK_APP);
}

Test(flashwalk, stops_at_an_object_past_the_end)
{
    struct flashwalk_entry e;
    cr_assert_eq(flashwalk_at(flash, a_len + b_len - 1, a_len, &e), a_len + b_len - 1);
    cr_assert_eq(e.kind, FLASHWALK_INCOMPLETE);
    cr_assert_eq(e.total_size, b_len);
}

/* --- booting from flash on the fake board ---------------------------------------- */

static struct fake_board fb;
static struct flashwalk_entry seen[8];
static int seen_slot[8];
static unsigned nseen;

static void record(void *ctx, const struct flashwalk_entry *e, int slot,
                   const struct appload_error *err)
{
    (void)ctx, (void)err;
    cr_assert_lt(nseen, 8);
    seen[nseen] = *e;
    seen_slot[nseen++] = slot;
}

static void boot_setup(void)
{
    walk_setup();
    struct kernel_config cfg = fake_config();
    cfg.drv_app_flash = true;
    fake_board_init_with(&fb, &cfg, FAKE_RAM_SIZE);
    fb.k.flash = (struct ks_region){FLASH_BASE, FLASH_SIZE, flash};
    nseen = 0;
}

static void boot_teardown(void)
{
    fake_board_fini(&fb);
    walk_teardown();
}

TestSuite(flashboot, .init = boot_setup, .fini = boot_teardown);

static uintptr_t r[4];

static void sys(struct proc *p, uint32_t cls, uintptr_t a, uintptr_t b, uintptr_t c, uintptr_t d)
{
    r[0] = a, r[1] = b, r[2] = c, r[3] = d;
    cr_assert_eq(syscall_handle(&fb.k, p, cls, r), SYSCALL_RETURN);
}

/* Boots both apps; the second (with a region) is returned. */
static struct proc *boot_both(void)
{
    cr_assert_eq(flashwalk_boot(&fb.k, record, NULL), 2);
    cr_assert_eq(nseen, 2);
    cr_assert_geq(seen_slot[1], 0);
    return &fb.k.procs[seen_slot[1]];
}

Test(flashboot, loads_every_app_with_its_flash)
{
    struct proc *hello = &fb.k.procs[(boot_both(), seen_slot[0])];
    struct proc *counter = &fb.k.procs[seen_slot[1]];
    cr_assert_str_eq(hello->name, "hello");
    cr_assert_str_eq(counter->name, "counter");
    /* Its TBF in flash is readable (the MPU's flash region); its region is its own. */
    cr_assert_eq(counter->block.flash_start, FLASH_BASE + a_len);
    cr_assert_eq(counter->block.flash_end, FLASH_BASE + a_len + b_len);
    cr_assert_eq(counter->nflash_regions, 1);
    cr_assert_eq(counter->flash_regions[0].start, FLASH_BASE + a_len + seen[1].tbf.wfr[0].offset);
    cr_assert_eq(counter->flash_regions[0].size, 64);
    /* The ELF runs from flash: the process's file is the binary inside the object. */
    cr_assert_eq(counter->file, flash + a_len + seen[1].tbf.binary_offset);
}

Test(flashboot, memop_reports_the_writeable_regions)
{
    struct proc *p = boot_both();
    uintptr_t start = p->flash_regions[0].start;
    sys(p, KSIM_CLASS_MEMOP, KSIM_MEMOP_FLASH_REGIONS, 0, 0, 0);
    cr_assert(r[0] == KSIM_SUCCESS_U32 && r[1] == 1);
    sys(p, KSIM_CLASS_MEMOP, KSIM_MEMOP_FLASH_REGION_START, 0, 0, 0);
    cr_assert(r[0] == KSIM_SUCCESS_U32 && r[1] == start);
    sys(p, KSIM_CLASS_MEMOP, KSIM_MEMOP_FLASH_REGION_END, 0, 0, 0);
    cr_assert(r[0] == KSIM_SUCCESS_U32 && r[1] == start + 64);
    sys(p, KSIM_CLASS_MEMOP, KSIM_MEMOP_FLASH_REGION_START, 1, 0, 0);
    cr_assert(r[0] == KSIM_FAILURE && r[1] == KS_EFAIL, "region 1 does not exist");
    /* An app that was not booted from flash has none. */
    struct proc *hello = &fb.k.procs[seen_slot[0]];
    sys(hello, KSIM_CLASS_MEMOP, KSIM_MEMOP_FLASH_REGIONS, 0, 0, 0);
    cr_assert(r[0] == KSIM_SUCCESS_U32 && r[1] == 0);
}

/* Allows `len` bytes of p's data (filled with `byte`) to the app flash driver. */
static uintptr_t allow_buffer(struct proc *p, size_t len, uint8_t byte)
{
    uintptr_t buf = p->block.data_start;
    cr_assert_leq(buf + len, p->block.brk);
    memset(fake_view(&fb, buf), byte, len);
    sys(p, KSIM_CLASS_ALLOW_RO, KSIM_DRIVER_APP_FLASH, 0, buf, len);
    cr_assert_eq(r[0], KSIM_SUCCESS_2_U32);
    return buf;
}

Test(flashboot, app_flash_writes_the_region_and_calls_back)
{
    struct proc *p = boot_both();
    uintptr_t start = p->flash_regions[0].start;
    uint8_t *region = flash + (start - FLASH_BASE);
    allow_buffer(p, 16, 0x5a);
    sys(p, KSIM_CLASS_COMMAND, KSIM_DRIVER_APP_FLASH, 1, start + 8, 0);
    cr_assert_eq(r[0], KSIM_SUCCESS);
    for (int i = 0; i < 64; i++)
        cr_assert_eq(region[i], i >= 8 && i < 24 ? 0x5a : 0, "region byte %d", i);
    cr_assert_eq(p->upcalls.count, 1);
    const struct upcall_event *ev = upcall_queue_at(&p->upcalls, 0);
    cr_assert(ev->driver == KSIM_DRIVER_APP_FLASH && ev->number == 0 && ev->args[0] == 0);
    /* What was stored leaves the object's credential intact: it still boots. */
    struct tbf_header h;
    struct tbf_error te;
    cr_assert_eq(tbf_parse(flash + a_len, b_len, &h, &te), 0, "%s", tbf_why_text(te.why));
}

Test(flashboot, app_flash_refuses_writes_outside_the_region)
{
    struct proc *p = boot_both();
    uintptr_t start = p->flash_regions[0].start;
    uint8_t before[FLASH_SIZE / 8];
    memcpy(before, flash, sizeof(before));
    allow_buffer(p, 16, 0xee);
    const uintptr_t bad[] = {
        start + 64 - 8,             /* runs 8 bytes past the region */
        start - 1,                  /* starts before it */
        FLASH_BASE + a_len + 0x100, /* the ELF of the same app */
        FLASH_BASE + 0x100,         /* another app */
        p->block.data_start,        /* RAM */
        (uintptr_t)UINT32_MAX - 4,  /* wraps */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sys(p, KSIM_CLASS_COMMAND, KSIM_DRIVER_APP_FLASH, 1, (uint32_t)bad[i], 0);
        cr_assert(r[0] == KSIM_FAILURE && r[1] == KS_EINVAL, "write at 0x%jx: %ju %ju",
                  (uintmax_t)bad[i], (uintmax_t)r[0], (uintmax_t)r[1]);
    }
    cr_assert(memcmp(before, flash, sizeof(before)) == 0, "flash changed");
    cr_assert_eq(p->upcalls.count, 0);
    /* With no buffer allowed, there is nothing to write. */
    sys(p, KSIM_CLASS_ALLOW_RO, KSIM_DRIVER_APP_FLASH, 0, 0, 0);
    sys(p, KSIM_CLASS_COMMAND, KSIM_DRIVER_APP_FLASH, 1, start, 0);
    cr_assert(r[0] == KSIM_FAILURE && r[1] == KS_EINVAL);
    /* An app without regions cannot write at all. */
    struct proc *hello = &fb.k.procs[seen_slot[0]];
    allow_buffer(hello, 4, 1);
    sys(hello, KSIM_CLASS_COMMAND, KSIM_DRIVER_APP_FLASH, 1, start, 0);
    cr_assert(r[0] == KSIM_FAILURE && r[1] == KS_EINVAL);
}

Test(flashboot, reports_broken_disabled_and_padding_objects)
{
    flash[12] ^= 1; /* hello: checksum */
    cr_assert_eq(flashwalk_boot(&fb.k, record, NULL), 1);
    cr_assert_eq(nseen, 2);
    cr_assert_eq(seen[0].kind, FLASHWALK_BROKEN);
    cr_assert_eq(seen_slot[0], -1);
    cr_assert_eq(seen[1].kind, FLASHWALK_APP);
    cr_assert_geq(seen_slot[1], 0);
}

/* --- flash image files ---------------------------------------------------------- */

static char dir[64], image[128];
static uint8_t *tbf_a, *tbf_b; /* hello, and boot_counter with a region */

static void image_setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/ksim-flash-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(image, sizeof(image), "%s/img", dir);
    tbf_a = pack_app("hello", "hello", 0, &a_len);
    tbf_b = pack_app("boot_counter", "boot_counter", 64, &b_len);
}

static void image_teardown(void)
{
    free(tbf_a);
    free(tbf_b);
    char cmd[200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(image, .init = image_setup, .fini = image_teardown);

static void install(const uint8_t *tbf, size_t len)
{
    char err[512];
    cr_assert_eq(flash_image_install(image, FLASH_SIZE, tbf, len, err, sizeof(err)), 0, "%s", err);
}

static uint8_t *read_image(size_t *len)
{
    return fake_read_file(image, len);
}

static void write_image(const uint8_t *b, size_t len)
{
    FILE *f = fopen(image, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(b, 1, len, f), len);
    fclose(f);
}

/* What `ksim flash list` prints. */
static char *list(void)
{
    char *text = NULL, err[512];
    size_t n = 0;
    FILE *out = open_memstream(&text, &n);
    cr_assert_eq(flash_image_list(image, FLASH_SIZE, out, err, sizeof(err)), 0, "%s", err);
    fclose(out);
    return text;
}

/* The names the boot walk would start, in order, joined by spaces. */
static void booted(const uint8_t *img, size_t len, char *out, size_t cap)
{
    struct flashwalk_entry e;
    out[0] = '\0';
    for (size_t at = 0; at < len;) {
        size_t next = flashwalk_at(img, len, at, &e);
        if (e.kind == FLASHWALK_APP) {
            size_t n = strlen(out);
            snprintf(out + n, cap - n, "%s%.*s", n ? " " : "", (int)e.tbf.name_len,
                     (const char *)img + at + e.tbf.name_offset);
        }
        if (e.kind == FLASHWALK_END || e.kind == FLASHWALK_INCOMPLETE)
            break;
        at = next;
    }
}

Test(image, install_list_remove_erase)
{
    char names[256];
    size_t len;
    install(tbf_a, a_len);
    install(tbf_b, b_len);
    uint8_t *img = read_image(&len);
    cr_assert_eq(len, a_len + b_len);
    cr_assert(memcmp(img, tbf_a, a_len) == 0 && memcmp(img + a_len, tbf_b, b_len) == 0);
    booted(img, len, names, sizeof(names));
    cr_assert_str_eq(names, "hello boot_counter");
    free(img);
    char *text = list();
    cr_assert(strstr(text, "hello") && strstr(text, "boot_counter"), "%s", text);
    cr_assert(strstr(text, "2 apps"), "%s", text);
    free(text);

    /* Installing hello again replaces it: it moves after boot_counter. */
    install(tbf_a, a_len);
    img = read_image(&len);
    booted(img, len, names, sizeof(names));
    cr_assert_str_eq(names, "boot_counter hello");
    free(img);

    char err[256];
    cr_assert_eq(flash_image_remove(image, "boot_counter", err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(flash_image_remove(image, "boot_counter", err, sizeof(err)), 1, "gone already");
    img = read_image(&len);
    cr_assert_eq(len, a_len);
    free(img);
    cr_assert_eq(flash_image_erase(image, err, sizeof(err)), 0);
    struct stat st;
    cr_assert_eq(stat(image, &st), 0);
    cr_assert_eq(st.st_size, 0, "erase leaves an empty image");
}

/* Stored data moves with its app when an app before it is removed. */
Test(image, remove_keeps_what_apps_stored)
{
    char err[256];
    size_t len;
    install(tbf_a, a_len);
    install(tbf_b, b_len);
    uint8_t *img = read_image(&len);
    struct flashwalk_entry e;
    flashwalk_at(img, len, a_len, &e);
    img[a_len + e.tbf.wfr[0].offset] = 42; /* what the app stored */
    write_image(img, len);
    free(img);
    cr_assert_eq(flash_image_remove(image, "hello", err, sizeof(err)), 0, "%s", err);
    img = read_image(&len);
    cr_assert_eq(len, b_len);
    cr_assert_eq(flashwalk_at(img, len, 0, &e), b_len);
    cr_assert_eq(e.kind, FLASHWALK_APP, "the credential still holds");
    cr_assert_eq(img[e.tbf.wfr[0].offset], 42);
    free(img);
}

Test(image, refuses_an_app_that_does_not_fit)
{
    char err[512];
    install(tbf_a, a_len);
    cr_assert_eq(flash_image_install(image, a_len + b_len - 1, tbf_b, b_len, err, sizeof(err)), -1);
    char want[128];
    snprintf(want, sizeof(want), "use %zu of the board's %zu bytes", a_len, a_len + b_len - 1);
    cr_assert(strstr(err, want) && strstr(err, "needs"), "%s", err);
}

/* Interesting offsets into an object of len bytes: every header byte, page edges, the end. */
static bool interesting(size_t x, size_t len)
{
    return x < 128 || x % 4096 < 2 || x % 4096 > 4093 || x + 64 > len;
}

/*
 * An install of B interrupted after X bytes, in the order the installer
 * writes: the body from byte 4 on, while the first word (the commit) stays
 * erased. Every such image boots A and only A, and `list` says an install
 * was interrupted.
 */
Test(image, an_interrupted_install_never_breaks_the_boot)
{
    char names[256];
    size_t len;
    install(tbf_a, a_len);
    install(tbf_b, b_len);
    uint8_t *full = read_image(&len);
    uint8_t *img = malloc(len);
    unsigned states = 0;
    for (size_t x = 0; x <= b_len; x++) {
        if (!interesting(x, b_len))
            continue;
        memcpy(img, full, a_len + x);
        memset(img + a_len, 0, x < 4 ? x : 4); /* the commit word is written last */
        booted(img, a_len + x, names, sizeof(names));
        cr_assert_str_eq(names, "hello", "interrupted at byte %zu of %zu: boots '%s'", x, b_len,
                         names);
        write_image(img, a_len + x);
        char *text = list();
        cr_assert(strstr(text, "hello") && strstr(text, "1 app,"), "at %zu: %s", x, text);
        if (x > 4)
            cr_assert(strstr(text, "interrupted install"), "at %zu: %s", x, text);
        free(text);
        states++;
    }
    cr_assert_gt(states, 200);
    /* The next install over the debris works. */
    install(tbf_b, b_len);
    free(img);
    img = read_image(&len);
    booted(img, len, names, sizeof(names));
    cr_assert_str_eq(names, "hello boot_counter");
    free(img);
    free(full);
}

/*
 * A committed image cut short (a copy that stopped, a disk that filled):
 * the apps before the cut still boot; the cut one is reported, never half
 * run.
 */
Test(image, a_truncated_image_still_boots_what_is_whole)
{
    char names[256];
    size_t len;
    install(tbf_a, a_len);
    install(tbf_b, b_len);
    uint8_t *full = read_image(&len);
    for (size_t x = 1; x < len; x++) {
        bool in_a = x < a_len;
        if (!interesting(in_a ? x : x - a_len, in_a ? a_len : b_len))
            continue;
        booted(full, x, names, sizeof(names));
        cr_assert_str_eq(names, in_a ? "" : "hello", "cut at %zu: boots '%s'", x, names);
        if (x >= 8 && (in_a || x >= a_len + 8)) {
            write_image(full, x);
            char *text = list();
            cr_assert(strstr(text, "INCOMPLETE"), "cut at %zu: %s", x, text);
            free(text);
        }
    }
    free(full);
}

/* Stale bytes after the apps never read as another object after an install. */
Test(image, an_install_ends_the_apps_with_erased_flash)
{
    char names[256];
    size_t len, small_len;
    install(tbf_a, a_len);
    uint8_t *small = pack_app("hello", "hi", 0, &small_len);
    /* Debris: a whole committed object right where the new one will end. */
    uint8_t *debris = calloc(1, a_len + small_len + b_len);
    memcpy(debris, tbf_a, a_len);
    memcpy(debris + a_len + small_len, tbf_b, b_len);
    write_image(debris, a_len + small_len + b_len);
    booted(debris, a_len + small_len + b_len, names, sizeof(names));
    cr_assert_str_eq(names, "hello", "the zeros end the apps before the debris");
    install(small, small_len);
    uint8_t *img = read_image(&len);
    booted(img, len, names, sizeof(names));
    cr_assert_str_eq(names, "hello hi", "the debris must not come back as an app");
    free(img);
    free(small);
    free(debris);
}
