/* The memory map, HAL and kernel of one board, set up together. */
#include "run/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_config.h"

int sim_machine_setup(const struct board *b, const char *board_file, int flash_fd,
                      struct sim_memmap *mem, struct hal_stub **hal, struct kernel *k,
                      struct proc **procs, char *err, size_t errlen)
{
    struct hal_stub_config hc;
    struct kernel_config kc;
    *hal = NULL;
    *procs = NULL;
    if (sim_memmap_create_with_flash(mem, b, board_file, flash_fd, err, errlen) != 0)
        return -1;
    sim_board_configs(b, &hc, &kc);
    hc.ram_fd = mem->ram.fd; /* --isolation process maps them in each app's host process */
    hc.flash_fd = mem->flash.fd;
    *hal = hal_stub_create(&hc, err, errlen);
    if (!*hal)
        return -1;
    const struct ks_region ram = {(uintptr_t)b->ram.base, (size_t)b->ram.size,
                                  mem->ram.kernel_view};
    const struct ks_region flash = {(uintptr_t)b->flash.base, (size_t)b->flash.size,
                                    mem->flash.kernel_view};
    *procs = calloc(b->process.max_processes, sizeof(**procs));
    if (!*procs || kernel_init(k, hal_stub_hal(*hal), &kc, ram, flash, *procs,
                               b->process.max_processes) != 0) {
        snprintf(err, errlen, "%s: cannot set up the kernel for this board", board_file);
        return -1;
    }
    return 0;
}

void sim_machine_teardown(struct sim_memmap *mem, struct hal_stub *hal, struct proc *procs)
{
    hal_stub_destroy(hal);
    sim_memmap_destroy(mem);
    free(procs);
}

int sim_machine_create(struct sim_machine *m, const struct board *b, const char *board_file,
                       char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    return sim_machine_setup(b, board_file, -1, &m->mem, &m->hal, &m->kernel, &m->procs, err,
                             errlen);
}

void sim_machine_destroy(struct sim_machine *m)
{
    sim_machine_teardown(&m->mem, m->hal, m->procs);
    m->hal = NULL;
    m->procs = NULL;
}
