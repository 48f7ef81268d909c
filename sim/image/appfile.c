/* App files: read whole, named after their file. */
#define _GNU_SOURCE
#include "image/appfile.h"

#include "appload.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define APP_FILE_MAX (64u * 1024u * 1024u)

int sim_read_file(const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    *buf = NULL;
    *len = 0;
    if (!f || fstat(fileno(f), &st) != 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > APP_FILE_MAX) {
        snprintf(err, errlen, "%s: not a regular file of at most 64 MiB", path);
        fclose(f);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    *buf = malloc(size ? size : 1);
    if (!*buf || fread(*buf, 1, size, f) != size) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        free(*buf);
        *buf = NULL;
        fclose(f);
        return -1;
    }
    fclose(f);
    *len = size;
    return 0;
}

/* Writes all of buf to fd, through short writes and signals. */
static int write_all(int fd, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Makes a rename in path's directory durable. */
static int sync_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int sim_write_file_atomic(const char *path, const uint8_t *buf, size_t len, char *err,
                          size_t errlen)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
        return -1;
    }
    if (write_all(fd, buf, len) != 0 || fsync(fd) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: cannot replace: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (sync_dir_of(path) != 0) {
        snprintf(err, errlen, "%s: written, but its directory could not be synced: %s", path,
                 strerror(errno));
        return -1;
    }
    return 0;
}

void sim_app_name(const char *path, char *name, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* Only the extension goes: libtock-c package names have dots (org.tockos.x). */
    size_t n = strlen(base);
    const char *ext = strrchr(base, '.');
    if (ext && ext != base && (strcmp(ext, ".elf") == 0 || strcmp(ext, ".tbf") == 0))
        n = (size_t)(ext - base);
    if (n >= cap)
        n = cap - 1;
    memcpy(name, base, n);
    name[n] = '\0';
}

void sim_appload_message(const char *path, const struct appload_error *e, const char *board_name,
                         char *msg, size_t cap)
{
    switch (e->stage) {
    case APPLOAD_TBF:
        snprintf(msg, cap, "%s: TBF field '%s' at offset 0x%x: %s (value 0x%x)", path,
                 tbf_why_field(e->tbf.why), (unsigned)e->tbf.offset, tbf_why_text(e->tbf.why),
                 (unsigned)e->tbf.value);
        break;
    case APPLOAD_NO_SLOT:
        snprintf(msg, cap,
                 "%s: not loaded: every process slot of board '%s' is taken "
                 "(process.max_processes)",
                 path, board_name);
        break;
    case APPLOAD_NO_ROOM:
        if (e->room.need == 0)
            snprintf(msg, cap,
                     "%s: not loaded: its process block does not fit in the RAM of "
                     "board '%s' even with no other process",
                     path, board_name);
        else
            snprintf(msg, cap,
                     "%s: not loaded: no room in RAM on board '%s': its process block needs %zu "
                     "bytes; %zu bytes are free, the largest gap is %zu bytes "
                     "(process.memory_pressure \"refuse\"; \"evict\" would make room)",
                     path, board_name, e->room.need, e->room.free_total, e->room.largest_gap);
        break;
    default:
        if (e->elf_offset != 0)
            snprintf(msg, cap, "%s: offset 0x%llx (ELF binary at 0x%x): %s (value 0x%llx)", path,
                     (unsigned long long)(e->elf.offset + e->elf_offset), (unsigned)e->elf_offset,
                     loader_why_text(e->elf.why), (unsigned long long)e->elf.value);
        else
            snprintf(msg, cap, "%s: offset 0x%llx: %s (value 0x%llx)", path,
                     (unsigned long long)e->elf.offset, loader_why_text(e->elf.why),
                     (unsigned long long)e->elf.value);
        break;
    }
}
