/*
 * The drivers a kernel has: installed once, in ascending number order, so
 * that every system call finds its driver by binary search.
 */
#include "driver.h"

#include "err.h"
#include "kernel.h"

int kernel_add_driver(struct kernel *k, const struct driver *d)
{
    /* The command masks have one bit per command. */
    if (k->ndrivers >= KS_MAX_DRIVERS || d->command_count > 32)
        return -KS_EINVAL;
    /* A sparse command list starts with the existence check and ascends. */
    if (d->command_numbers) {
        if (d->command_count == 0 || d->command_numbers[0] != 0)
            return -KS_EINVAL;
        for (unsigned i = 1; i < d->command_count; i++)
            if (d->command_numbers[i] <= d->command_numbers[i - 1])
                return -KS_EINVAL;
    }
    /* Ascending numbers are what makes the lookup a binary search. */
    if (k->ndrivers > 0 && k->drivers[k->ndrivers - 1]->num >= d->num)
        return -KS_EINVAL;
    k->drivers[k->ndrivers] = d;
    return (int)k->ndrivers++;
}

int kernel_driver_index(const struct kernel *k, uint32_t num)
{
    unsigned lo = 0, hi = k->ndrivers; /* the answer, if any, is in [lo, hi) */
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        uint32_t at = k->drivers[mid]->num;
        if (at == num)
            return (int)mid;
        if (at < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
