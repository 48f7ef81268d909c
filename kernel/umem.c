/* User-memory checks and the translation from board RAM to the kernel view. */
#include "umem.h"

#include "err.h"
#include "kernel.h"
#include "klib.h"
#include "proc.h"

bool umem_allowed(const struct proc *p, uintptr_t addr, size_t len, enum umem_access access)
{
    const struct hal_block *b = &p->block;
    if (len == 0)
        return true; /* ABI.md: a zero-length buffer is accepted at any address */
    if (umem_range_within(addr, len, b->stack_start, b->stack_end))
        return true;
    if (umem_range_within(addr, len, b->data_start, b->brk))
        return true;
    return access == UMEM_RO && umem_range_within(addr, len, b->image_start, b->image_end);
}

/* Kernel-view address of board RAM [addr, addr + len), or NULL outside RAM. */
static uint8_t *kview(const struct kernel *k, uintptr_t addr, size_t len)
{
    if (!umem_range_within(addr, len, k->ram.base, k->ram.base + k->ram.size))
        return NULL;
    return k->ram.kview + (addr - k->ram.base);
}

int umem_read(const struct kernel *k, const struct proc *p, uintptr_t addr, void *dst, size_t len,
              enum umem_access access)
{
    if (len == 0)
        return 0;
    uint8_t *src = umem_allowed(p, addr, len, access) ? kview(k, addr, len) : NULL;
    if (!src)
        return -KS_EINVAL;
    klib_copy(dst, src, len);
    return 0;
}

int umem_write(const struct kernel *k, const struct proc *p, uintptr_t addr, const void *src,
               size_t len)
{
    if (len == 0)
        return 0;
    uint8_t *dst = umem_allowed(p, addr, len, UMEM_RW) ? kview(k, addr, len) : NULL;
    if (!dst)
        return -KS_EINVAL;
    klib_copy(dst, src, len);
    return 0;
}

static uint8_t *block_view(const struct kernel *k, const struct proc *p, uintptr_t addr, size_t len)
{
    if (!umem_range_within(addr, len, p->block.start, p->block.end))
        return NULL;
    return kview(k, addr, len);
}

int umem_block_write(const struct kernel *k, const struct proc *p, uintptr_t addr, const void *src,
                     size_t len)
{
    uint8_t *dst = block_view(k, p, addr, len);
    if (!dst)
        return -KS_EINVAL;
    klib_copy(dst, src, len);
    return 0;
}

int umem_block_fill(const struct kernel *k, const struct proc *p, uintptr_t addr, uint8_t byte,
                    size_t len)
{
    uint8_t *dst = block_view(k, p, addr, len);
    if (!dst)
        return -KS_EINVAL;
    klib_fill(dst, byte, len);
    return 0;
}

void *umem_grant_ptr(const struct kernel *k, const struct proc *p, uintptr_t addr, size_t len)
{
    if (!umem_range_within(addr, len, p->block.grant_start, p->block.end))
        return NULL;
    return kview(k, addr, len);
}

bool umem_flash_writable(const struct kernel *k, const struct proc *p, uintptr_t addr, size_t len)
{
    for (unsigned i = 0; i < p->nflash_regions; i++) {
        const struct proc_flash_region *r = &p->flash_regions[i];
        /* Inside the region, and (the region's own bounds unchecked here) inside board flash. */
        if (umem_range_within(addr, len, r->start, r->start + r->size) &&
            umem_range_within(addr, len, k->flash.base, k->flash.base + k->flash.size))
            return true;
    }
    return false;
}

int umem_flash_write(const struct kernel *k, const struct proc *p, uintptr_t addr, const void *src,
                     size_t len)
{
    if (!umem_flash_writable(k, p, addr, len))
        return -KS_EINVAL;
    klib_copy(k->flash.kview + (addr - k->flash.base), src, len);
    return 0;
}
