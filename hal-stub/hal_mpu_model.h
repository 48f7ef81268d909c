/*
 * An MPU model: the rules of one kind of memory-protection hardware. A model
 * lays out a process block (padding what its hardware cannot express),
 * decides which breaks it can express, answers access checks exactly to its
 * rules and lists its region configuration for reports. The host enforces
 * the result on the app view at page granularity (hal_mpu.c), whatever the model.
 */
#ifndef KSIM_HAL_MPU_MODEL_H
#define KSIM_HAL_MPU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal.h"

#define HAL_MPU_MAX_REGIONS 16 /* enough for a block's regions and HAL_SHARES_MAX shares */

/* One configured hardware region, for reports and for `ksim layout`. */
struct hal_mpu_region {
    uintptr_t start;
    uint64_t size;          /* bytes the hardware region spans */
    unsigned access;        /* enum hal_access bits */
    uint8_t subregions_off; /* PMSAv7: bit i disables subregion i */
    const char *mode;       /* "page", "pmsav7", "TOR", "NAPOT" */
    const char *what;       /* "stack", "image", "data+heap", "share" */
};

struct hal_mpu_model_params {
    size_t page_size;     /* host page: every boundary the host enforces */
    unsigned pmp_entries; /* riscv-pmp: 8 or 16 */
};

struct hal_mpu_model {
    const char *name;
    /* Lays out a block in [free_start, free_end). 0 or -KS_ENOMEM; *b unchanged on failure. */
    int (*plan_block)(const struct hal_mpu_model_params *mp, uintptr_t free_start,
                      uintptr_t free_end, const struct hal_block_req *req, struct hal_block *b);
    /* Can the hardware express a break at new_brk for block b? 0 or -KS_ENOMEM. */
    int (*check_brk)(const struct hal_mpu_model_params *mp, const struct hal_block *b,
                     uintptr_t new_brk);
    /* Can the hardware express b's shares next to its own regions? 0 or -KS_ENOMEM. */
    int (*check_shares)(const struct hal_mpu_model_params *mp, const struct hal_block *b);
    /* The regions the hardware would be configured with for b, shares last; returns how many. */
    unsigned (*regions)(const struct hal_mpu_model_params *mp, const struct hal_block *b,
                        struct hal_mpu_region *out, unsigned max);
    /* Regions (or entries) the hardware has in all; 0: no hardware limit. */
    unsigned (*region_limit)(const struct hal_mpu_model_params *mp);
};

/* Exact answer from a region list: is every byte of [addr, addr+len) allowed `access`? */
bool hal_mpu_regions_allow(const struct hal_mpu_region *r, unsigned n, uintptr_t addr, size_t len,
                           unsigned access);

/* The model called name, or NULL. */
const struct hal_mpu_model *hal_mpu_model_find(const char *name);

extern const struct hal_mpu_model hal_mpu_model_page;
extern const struct hal_mpu_model hal_mpu_model_pmsav7; /* "cortex-m-pmsav7" */
extern const struct hal_mpu_model hal_mpu_model_pmp;    /* "riscv-pmp" */

#endif /* KSIM_HAL_MPU_MODEL_H */
