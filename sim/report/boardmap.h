/*
 * The board memory map as a list of labelled address ranges: app flash,
 * unmapped gaps, kernel RAM, each process block cut into its parts, and the
 * MPU regions of each process. Built from a loaded kernel (the loader's real
 * placement and the board's MPU model), drawn by boardmap_text and
 * boardmap_svg (`ksim memmap`).
 */
#ifndef KSIM_SIM_REPORT_BOARDMAP_H
#define KSIM_SIM_REPORT_BOARDMAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hal_mpu_model.h"

enum boardmap_kind {
    BOARDMAP_FLASH = 0, /* app flash nothing occupies yet */
    BOARDMAP_UNMAPPED,  /* between board regions: no memory there */
    BOARDMAP_KERNEL,    /* RAM only the kernel owns */
    BOARDMAP_ALIGN,     /* RAM skipped so the next block meets its MPU's alignment */
    BOARDMAP_RAM_FREE,  /* RAM no process block uses */
    BOARDMAP_STACK,
    BOARDMAP_PADDING,  /* inside a block: what the MPU rules force */
    BOARDMAP_IMAGE,    /* code and read-only data */
    BOARDMAP_LINK_GAP, /* between image and data: their distance as the app was linked */
    BOARDMAP_DATA,     /* data and bss */
    BOARDMAP_HEAP,     /* below the break */
    BOARDMAP_UNUSED,   /* between the break and the grant region: room to grow */
    BOARDMAP_GRANT,    /* kernel-owned, at the top of the block */
    BOARDMAP_KIND_COUNT,
};

/* One address range [start, end); proc is an index into procs, or -1. */
struct boardmap_seg {
    uintptr_t start, end;
    enum boardmap_kind kind;
    int proc;
};

struct boardmap_proc {
    char name[32];
    unsigned id;
    struct hal_block block;
    struct hal_mpu_region regions[HAL_MPU_MAX_REGIONS];
    unsigned nregions;
};

struct boardmap {
    char board_name[64];
    const char *mpu_model;
    struct boardmap_seg *segs; /* lowest address first, contiguous, malloc'd */
    size_t nsegs;
    struct boardmap_proc *procs; /* in slot order, malloc'd */
    size_t nprocs;
};

struct board;
struct hal_stub;
struct kernel;

/*
 * Builds the map of board with its apps loaded into kernel (hal for the
 * MPU model's region lists). 0, or -1 when out of memory.
 */
int boardmap_build(struct boardmap *m, const struct board *board, const struct kernel *kernel,
                   struct hal_stub *hal);
void boardmap_free(struct boardmap *m);

/* A short name for a kind ("stack", "grant"...), and what it is for a legend. */
const char *boardmap_kind_name(enum boardmap_kind kind);
const char *boardmap_kind_meaning(enum boardmap_kind kind);

/* "8 KiB", "24 B", "1.5 MiB": size as a person reads it, in buf. */
const char *boardmap_size_text(uint64_t size, char *buf, size_t cap);

/*
 * The map as text: every range, highest address first, then for each
 * process the block diagram and MPU regions the process console draws.
 */
void boardmap_text(FILE *out, const struct boardmap *m);

/* The map as an SVG picture. 0, or -1 when writing failed. */
int boardmap_svg(FILE *out, const struct boardmap *m);

#endif /* KSIM_SIM_REPORT_BOARDMAP_H */
