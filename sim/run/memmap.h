/*
 * The emulated address space: each board region mapped at its own board
 * address (the app view) and a second time at a host-chosen address (the
 * kernel view), both from one memory file.
 */
#ifndef KSIM_SIM_RUN_MEMMAP_H
#define KSIM_SIM_RUN_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board/board.h"

struct sim_region_map {
    const char *key; /* board key, for messages */
    uintptr_t base;
    size_t size;
    int fd;
    void *app_view; /* == base, or NULL when not mapped */
    uint8_t *kernel_view;
};

struct sim_memmap {
    struct sim_region_map ram, flash;
};

/* Maps RAM and flash. 0, or -1 with a message naming the region in err. */
int sim_memmap_create(struct sim_memmap *m, const struct board *b, const char *board_file,
                      char *err, size_t errlen);
/*
 * The same with flash backed by flash_fd (a flash image file of at least
 * the board's flash size, or -1 for fresh memory). The map owns flash_fd
 * from then on, also on failure; its contents reach the file at destroy.
 */
int sim_memmap_create_with_flash(struct sim_memmap *m, const struct board *b,
                                 const char *board_file, int flash_fd, char *err, size_t errlen);
void sim_memmap_destroy(struct sim_memmap *m);

/*
 * Remaps the app view of RAM pages [addr, addr + len) (rounded out to host
 * pages) as a private copy-on-write mapping of the same memory, with
 * protection prot. A debugger can then write breakpoints into code the app
 * sees read-only (ptrace refuses to write a shared mapping that is not
 * writable). Until a page is written, it shows what the kernel view holds;
 * remapping again drops what was written. 0, or -1 (outside RAM, or the
 * host refused).
 */
int sim_memmap_private_pages(struct sim_memmap *m, uintptr_t addr, size_t len, int prot);

/* Undoes sim_memmap_private_pages: the pages show the memory file again. 0 or -1. */
int sim_memmap_shared_pages(struct sim_memmap *m, uintptr_t addr, size_t len, int prot);

#endif /* KSIM_SIM_RUN_MEMMAP_H */
