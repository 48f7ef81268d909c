/* Board regions from memfds, each mapped twice: app view and kernel view. */
#define _GNU_SOURCE
#include "run/memmap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int map_region(struct sim_region_map *r, const char *key, uint64_t base, uint64_t size,
                      int app_prot, int fd, const char *file, char *err, size_t errlen)
{
    r->key = key;
    r->base = (uintptr_t)base;
    r->size = (size_t)size;
    r->app_view = NULL;
    r->kernel_view = NULL;
    r->fd = fd >= 0 ? fd : memfd_create(key, MFD_CLOEXEC);
    if (r->fd < 0 || (fd < 0 && ftruncate(r->fd, (off_t)size) != 0)) {
        snprintf(err, errlen, "%s: %s: cannot create %llu bytes of backing memory: %s", file, key,
                 (unsigned long long)size, strerror(errno));
        return -1;
    }
    /* NOREPLACE: never clobber something of the host that lives there. */
    void *app =
        mmap((void *)r->base, r->size, app_prot, MAP_SHARED | MAP_FIXED_NOREPLACE, r->fd, 0);
    if (app == MAP_FAILED || app != (void *)r->base) {
        int e = errno;
        if (app != MAP_FAILED)
            munmap(app, r->size);
        snprintf(err, errlen, "%s: %s: cannot map 0x%llx..0x%llx at its board address: %s%s", file,
                 key, (unsigned long long)base, (unsigned long long)(base + size), strerror(e),
                 e == EEXIST ? " (the host already uses part of that range)" : "");
        return -1;
    }
    r->app_view = app;
    void *kv = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
    if (kv == MAP_FAILED) {
        snprintf(err, errlen, "%s: %s: cannot map the kernel view: %s", file, key, strerror(errno));
        return -1;
    }
    r->kernel_view = kv;
    return 0;
}

int sim_memmap_create_with_flash(struct sim_memmap *m, const struct board *b,
                                 const char *board_file, int flash_fd, char *err, size_t errlen)
{
    /* Isolation off: the app view is open once and never changes again
     * (flash only readable: apps store through the app flash driver). */
    bool off = b->isolation == BOARD_ISOLATION_OFF;
    int ram_prot = off ? PROT_READ | PROT_WRITE | PROT_EXEC : PROT_NONE;
    int flash_prot = off ? PROT_READ : PROT_NONE;
    memset(m, 0, sizeof(*m));
    m->ram.fd = m->flash.fd = -1;
    if (map_region(&m->ram, "memory.ram", b->ram.base, b->ram.size, ram_prot, -1, board_file, err,
                   errlen) != 0) {
        if (flash_fd >= 0)
            close(flash_fd);
        sim_memmap_destroy(m);
        return -1;
    }
    if (map_region(&m->flash, "memory.flash", b->flash.base, b->flash.size, flash_prot, flash_fd,
                   board_file, err, errlen) != 0) {
        sim_memmap_destroy(m);
        return -1;
    }
    return 0;
}

int sim_memmap_create(struct sim_memmap *m, const struct board *b, const char *board_file,
                      char *err, size_t errlen)
{
    return sim_memmap_create_with_flash(m, b, board_file, -1, err, errlen);
}

static void unmap_region(struct sim_region_map *r)
{
    /* A flash image file gets what apps stored, durably, before it is closed. */
    if (r->kernel_view)
        msync(r->kernel_view, r->size, MS_SYNC);
    if (r->app_view)
        munmap(r->app_view, r->size);
    if (r->kernel_view)
        munmap(r->kernel_view, r->size);
    if (r->fd >= 0)
        close(r->fd);
    r->app_view = NULL;
    r->kernel_view = NULL;
    r->fd = -1;
}

void sim_memmap_destroy(struct sim_memmap *m)
{
    unmap_region(&m->ram);
    unmap_region(&m->flash);
}

/* Maps [addr, addr+len) of the app view again, page-rounded, with flags. */
static int remap_pages(struct sim_memmap *m, uintptr_t addr, size_t len, int prot, int flags)
{
    const struct sim_region_map *r = &m->ram;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = addr & ~(page - 1);
    /* Both ends inside the region, computed without overflow. */
    if (!r->app_view || lo < r->base || addr - r->base > r->size ||
        len > r->size - (addr - r->base))
        return -1;
    uintptr_t hi = (addr + len + page - 1) & ~(page - 1);
    if (hi - r->base > r->size)
        hi = r->base + r->size;
    if (hi <= lo)
        return 0;
    void *p = mmap((void *)lo, hi - lo, prot, flags | MAP_FIXED, r->fd, (off_t)(lo - r->base));
    return p == (void *)lo ? 0 : -1;
}

int sim_memmap_private_pages(struct sim_memmap *m, uintptr_t addr, size_t len, int prot)
{
    return remap_pages(m, addr, len, prot, MAP_PRIVATE);
}

int sim_memmap_shared_pages(struct sim_memmap *m, uintptr_t addr, size_t len, int prot)
{
    return remap_pages(m, addr, len, prot, MAP_SHARED);
}
