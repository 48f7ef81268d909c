/*
 * User memory: the only code in the kernel that reads or writes process
 * memory. Every (address, length) an app hands over is checked against the
 * process's regions, without overflow, before it is translated to the
 * kernel's view of board RAM.
 */
#ifndef KSIM_KERNEL_UMEM_H
#define KSIM_KERNEL_UMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kernel;
struct proc;

enum umem_access {
    UMEM_RW = 0, /* stack, or [data_start, brk): Read-Write and Userspace-Readable Allow */
    UMEM_RO = 1, /* also the image: Read-Only Allow */
};

/* True when [lo, hi) contains [addr, addr + len), computed without overflow. */
static inline bool umem_range_within(uintptr_t addr, size_t len, uintptr_t lo, uintptr_t hi)
{
    return addr >= lo && addr <= hi && len <= hi - addr;
}

/* May the process hand the kernel this buffer? Zero length: always. */
bool umem_allowed(const struct proc *p, uintptr_t addr, size_t len, enum umem_access access);

/* Copies from / to process memory after umem_allowed. 0 or -KS_EINVAL. */
int umem_read(const struct kernel *k, const struct proc *p, uintptr_t addr, void *dst, size_t len,
              enum umem_access access);
int umem_write(const struct kernel *k, const struct proc *p, uintptr_t addr, const void *src,
               size_t len);

/* Kernel-privileged writes anywhere in the process block (loader, brk). */
int umem_block_write(const struct kernel *k, const struct proc *p, uintptr_t addr, const void *src,
                     size_t len);
int umem_block_fill(const struct kernel *k, const struct proc *p, uintptr_t addr, uint8_t byte,
                    size_t len);

/* Is [addr, addr + len) wholly inside one of the process's writeable flash regions? */
bool umem_flash_writable(const struct kernel *k, const struct proc *p, uintptr_t addr, size_t len);

/*
 * Writes into one of the process's writeable flash regions (the app flash
 * driver), through the kernel view of board flash. 0, or -KS_EINVAL when
 * [addr, addr + len) is not wholly inside one region.
 */
int umem_flash_write(const struct kernel *k, const struct proc *p, uintptr_t addr, const void *src,
                     size_t len);

/* Kernel-view pointer to [addr, addr + len) of the process's grant region, or NULL. */
void *umem_grant_ptr(const struct kernel *k, const struct proc *p, uintptr_t addr, size_t len);

#endif /* KSIM_KERNEL_UMEM_H */
