/*
 * Memop operations (ABI.md). brk and sbrk are the only system calls that
 * change the caller's page protections, through the MPU model.
 */
#include "memop.h"

#include "err.h"
#include "kernel.h"
#include "umem.h"

/*
 * Moves the break to new_brk if ABI.md allows it: not below the end of bss,
 * below the grant region, not below the allow high-water mark.
 */
static int set_break(struct kernel *k, struct proc *p, uintptr_t new_brk)
{
    const struct hal *hal = k->hal;
    uintptr_t old = p->block.brk;

    if (new_brk < p->block.data_end || new_brk >= p->block.grant_start || new_brk < p->allow_hwm)
        return -KS_ENOMEM;
    if (hal->mpu->set_brk(hal->ctx, p->slot, &p->block, new_brk) != 0)
        return -KS_ENOMEM;
    /* Memory the break uncovers is zeroed: no data leaks from an earlier run. */
    if (new_brk > old)
        umem_block_fill(k, p, old, 0, new_brk - old);
    return 0;
}

static struct syscall_ret op_sbrk(struct kernel *k, struct proc *p, uintptr_t arg)
{
    /* Registers are host words: the increment is the whole register, signed.
     * Truncating it would turn 4 GiB + 16 into a valid 16. */
    intptr_t inc = (intptr_t)arg;
    uintptr_t old = p->block.brk, new_brk;

    if (inc >= 0) {
        new_brk = old + (uintptr_t)inc;
        if (new_brk < old)
            return ret_failure(KS_ENOMEM);
    } else {
        uintptr_t dec = (uintptr_t)0 - (uintptr_t)inc; /* no overflow for INTPTR_MIN */
        if (dec > old)
            return ret_failure(KS_ENOMEM);
        new_brk = old - dec;
    }
    if (set_break(k, p, new_brk) != 0)
        return ret_failure(KS_ENOMEM);
    return ret_success_u32((uint32_t)old);
}

/* Memop 8 and 9: a writeable flash region's start or end; FAIL for one that does not exist. */
static struct syscall_ret op_flash_region(const struct proc *p, uintptr_t region, bool end)
{
    if (region >= p->nflash_regions)
        return ret_failure(KS_EFAIL);
    const struct proc_flash_region *r = &p->flash_regions[region];
    return ret_success_u32((uint32_t)(r->start + (end ? r->size : 0)));
}

struct syscall_ret memop_handle(struct kernel *k, struct proc *p, uintptr_t op, uintptr_t arg)
{
    const struct hal_block *b = &p->block;
    switch (op) {
    case KSIM_MEMOP_BRK:
        return set_break(k, p, arg) == 0 ? ret_success() : ret_failure(KS_ENOMEM);
    case KSIM_MEMOP_SBRK:
        return op_sbrk(k, p, arg);
    case KSIM_MEMOP_RAM_START:
        return ret_success_u32((uint32_t)b->start);
    case KSIM_MEMOP_RAM_END:
        return ret_success_u32((uint32_t)b->end);
    case KSIM_MEMOP_IMAGE_START:
        return ret_success_u32((uint32_t)b->image_start);
    case KSIM_MEMOP_IMAGE_END:
        return ret_success_u32((uint32_t)b->image_end);
    case KSIM_MEMOP_GRANT_START:
        return ret_success_u32((uint32_t)b->grant_start);
    case KSIM_MEMOP_FLASH_REGIONS:
        return ret_success_u32(p->nflash_regions);
    case KSIM_MEMOP_FLASH_REGION_START:
        return op_flash_region(p, arg, false);
    case KSIM_MEMOP_FLASH_REGION_END:
        return op_flash_region(p, arg, true);
    case KSIM_MEMOP_SET_STACK_TOP:
        p->debug_stack_top = arg;
        return ret_success();
    case KSIM_MEMOP_SET_HEAP_START:
        p->debug_heap_start = arg;
        return ret_success();
    default:
        return ret_failure(KS_ENOSUPPORT);
    }
}
