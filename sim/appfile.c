/* App files: read whole, named after their file. */
#define _GNU_SOURCE
#include "appfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
