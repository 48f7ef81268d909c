/*
 * Flash image files. The walk over the objects is the kernel's own
 * (kernel/flashwalk.c), so `list` shows exactly what a boot will find.
 */
#define _GNU_SOURCE
#include "image/flash_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flashwalk.h"
#include "image/appfile.h"

#define COMMIT_WORD 4 /* version and header_size: written last, it makes an object exist */

/* The whole file, read into memory (empty when it does not exist and may_miss). */
struct image {
    uint8_t *bytes;
    size_t len;
};

static int read_image(const char *path, struct image *im, bool may_miss, char *err, size_t errlen)
{
    im->bytes = NULL;
    im->len = 0;
    if (may_miss && access(path, F_OK) != 0 && errno == ENOENT)
        return 0;
    uint8_t *b;
    size_t n;
    if (sim_read_file(path, &b, &n, err, errlen) != 0)
        return -1;
    im->bytes = b;
    im->len = n;
    return 0;
}

/* The package name of a parsed object, or "" when it has none. */
static void entry_name(const struct image *im, const struct flashwalk_entry *e, char *out,
                       size_t cap)
{
    size_t n = e->tbf.name_len < cap - 1 ? e->tbf.name_len : cap - 1;
    bool parsed = e->kind == FLASHWALK_APP || e->kind == FLASHWALK_DISABLED;
    if (!parsed)
        n = 0;
    memcpy(out, im->bytes + e->offset + e->tbf.name_offset, n);
    out[n] = '\0';
}

/* Where the apps end: the first offset the walk does not read an object from. */
static size_t apps_end(const struct image *im)
{
    struct flashwalk_entry e;
    size_t at = 0;
    while (at < im->len) {
        size_t next = flashwalk_at(im->bytes, im->len, at, &e);
        if (e.kind == FLASHWALK_END || e.kind == FLASHWALK_INCOMPLETE)
            return at;
        at = next;
    }
    return at;
}

static bool all_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

static void list_entry(FILE *out, const struct image *im, const struct flashwalk_entry *e)
{
    char name[256];
    entry_name(im, e, name, sizeof(name));
    fprintf(out, "  0x%08x %8u B  ", e->offset, e->total_size);
    switch (e->kind) {
    case FLASHWALK_APP:
    case FLASHWALK_DISABLED:
        fprintf(out, "%-24s %s, %u writeable flash region%s%s\n", name[0] ? name : "(no name)",
                e->kind == FLASHWALK_APP ? "enabled" : "disabled (not started)", e->tbf.nwfr,
                e->tbf.nwfr == 1 ? "" : "s", e->tbf.has_sha256 ? ", SHA-256 credential ok" : "");
        break;
    case FLASHWALK_PADDING:
        fprintf(out, "%-24s padding\n", "-");
        break;
    case FLASHWALK_BROKEN:
        fprintf(out, "%-24s BROKEN, skipped at boot: TBF field '%s' at offset 0x%x: %s\n", "?",
                tbf_why_field(e->err.why), e->offset + e->err.offset, tbf_why_text(e->err.why));
        break;
    default:
        break;
    }
}

int flash_image_list(const char *path, uint64_t capacity, FILE *out, char *err, size_t errlen)
{
    struct image im;
    struct flashwalk_entry e = {0}; /* FLASHWALK_END for an empty image */
    unsigned apps = 0;
    size_t at = 0;
    if (read_image(path, &im, false, err, errlen) != 0)
        return -1;
    fprintf(out, "%s:\n", path);
    while (at < im.len) {
        size_t next = flashwalk_at(im.bytes, im.len, at, &e);
        if (e.kind == FLASHWALK_END)
            break;
        if (e.kind == FLASHWALK_INCOMPLETE) {
            fprintf(out,
                    "  0x%08zx INCOMPLETE: an object of %u bytes, but the image ends %zu "
                    "bytes on (an interrupted write): not booted\n",
                    at, e.total_size, im.len - at);
            break;
        }
        apps += e.kind == FLASHWALK_APP || e.kind == FLASHWALK_DISABLED;
        list_entry(out, &im, &e);
        at = next;
    }
    /* Bytes after the apps that are not erased: an install that never committed. */
    size_t end = apps_end(&im);
    if (end < im.len && !all_zero(im.bytes + end, im.len - end) && e.kind != FLASHWALK_INCOMPLETE)
        fprintf(out,
                "  0x%08zx an interrupted install (never committed): ignored, and "
                "overwritten by the next install\n",
                end);
    fprintf(out, "%u app%s, %zu of %llu bytes used\n", apps, apps == 1 ? "" : "s", end,
            (unsigned long long)capacity);
    free(im.bytes);
    return 0;
}

static int pwrite_all(int fd, const uint8_t *b, size_t n, size_t at)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, b, n, (off_t)at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
        at += (size_t)w;
    }
    return 0;
}

/*
 * The three synced steps of an install at `at`: erase the commit word (a
 * committed object there was cut short: it must not come back half
 * written), write the body and an erased word after it (stale bytes there
 * must not read as a next object), then write the commit word.
 */
static int append_object(int fd, size_t file_len, size_t at, const uint8_t *tbf, size_t len)
{
    static const uint8_t erased[COMMIT_WORD];
    if (at < file_len && (pwrite_all(fd, erased, COMMIT_WORD, at) != 0 || fsync(fd) != 0))
        return -1;
    if (pwrite_all(fd, tbf + COMMIT_WORD, len - COMMIT_WORD, at + COMMIT_WORD) != 0)
        return -1;
    if (at + len < file_len && pwrite_all(fd, erased, COMMIT_WORD, at + len) != 0)
        return -1;
    if (fsync(fd) != 0)
        return -1;
    return pwrite_all(fd, tbf, COMMIT_WORD, at) != 0 || fsync(fd) != 0 ? -1 : 0;
}

/* The package name of the object tbf[0..len) (checked by the caller). */
static void object_name(const uint8_t *tbf, size_t len, char *out, size_t cap)
{
    struct image im = {(uint8_t *)tbf, len};
    struct flashwalk_entry e;
    flashwalk_at(tbf, len, 0, &e);
    entry_name(&im, &e, out, cap);
}

int flash_image_install(const char *path, uint64_t capacity, const uint8_t *tbf, size_t len,
                        char *err, size_t errlen)
{
    struct image im;
    char name[256];
    object_name(tbf, len, name, sizeof(name));
    /* The same app again replaces the old one (tockloader does too). */
    if (name[0] && flash_image_remove(path, name, err, errlen) < 0)
        return -1;
    if (read_image(path, &im, true, err, errlen) != 0)
        return -1;
    size_t at = apps_end(&im), file_len = im.len;
    free(im.bytes);
    if (file_len > capacity || at + len > capacity) {
        snprintf(err, errlen,
                 "%s: no room: the apps use %zu of the board's %llu bytes of flash, and this one "
                 "needs %zu",
                 path, at, (unsigned long long)capacity, len);
        return -1;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || append_object(fd, file_len, at, tbf, len) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

int flash_image_remove(const char *path, const char *name, char *err, size_t errlen)
{
    struct image im;
    struct flashwalk_entry e;
    char this_name[256];
    size_t at = 0, kept = 0;
    int found = 0;
    if (read_image(path, &im, true, err, errlen) != 0)
        return -1;
    uint8_t *out = malloc(im.len ? im.len : 1);
    if (!out) {
        free(im.bytes);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* Every object but name's, moved down in order; nothing after the apps. */
    while (at < im.len) {
        size_t next = flashwalk_at(im.bytes, im.len, at, &e);
        if (e.kind == FLASHWALK_END || e.kind == FLASHWALK_INCOMPLETE)
            break;
        entry_name(&im, &e, this_name, sizeof(this_name));
        if (strcmp(this_name, name) == 0) {
            found = 1;
        } else {
            memcpy(out + kept, im.bytes + at, e.total_size);
            kept += e.total_size;
        }
        at = next;
    }
    int rc = found ? sim_write_file_atomic(path, out, kept, err, errlen) : 1;
    free(out);
    free(im.bytes);
    return rc;
}

int flash_image_erase(const char *path, char *err, size_t errlen)
{
    static const uint8_t nothing[1];
    return sim_write_file_atomic(path, nothing, 0, err, errlen);
}

int flash_image_open_for_run(const char *path, uint64_t flash_size, char *err, size_t errlen)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: cannot open the flash image: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > flash_size) {
        snprintf(err, errlen,
                 "%s: the flash image is %lld bytes, more than the board's %llu bytes of flash "
                 "(memory.flash.size): use the board it was made for",
                 path, (long long)st.st_size, (unsigned long long)flash_size);
        close(fd);
        return -1;
    }
    /* The rest of flash is erased: zeros, which end the walk like 0xff would. */
    if ((uint64_t)st.st_size < flash_size && ftruncate(fd, (off_t)flash_size) != 0) {
        snprintf(err, errlen, "%s: cannot grow the flash image to %llu bytes: %s", path,
                 (unsigned long long)flash_size, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}
