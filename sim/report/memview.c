/* Text pictures of a process memory block and its MPU regions (fault report, console). */
#include "report/memview.h"

#include <inttypes.h>
#include <unistd.h>

#include "hal_mpu_model.h"

void memview_mpu(FILE *o, struct hal_stub *hal, const struct hal_block *b)
{
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    unsigned n = hal_stub_mpu_regions(hal, b, r, HAL_MPU_MAX_REGIONS);
    memview_mpu_regions(o, hal_stub_mpu_model(hal), r, n);
}

void memview_mpu_regions(FILE *o, const char *model, const struct hal_mpu_region *r, unsigned n)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    fprintf(o, "  MPU (%s model), %u regions:\n", model, n);
    for (unsigned i = 0; i < n; i++) {
        fprintf(o, "    %u: 0x%08" PRIxPTR "-0x%08" PRIxPTR " %c%c%c %-5s %s", i, r[i].start,
                (uintptr_t)(r[i].start + r[i].size), r[i].access & HAL_ACCESS_READ ? 'r' : '-',
                r[i].access & HAL_ACCESS_WRITE ? 'w' : '-',
                r[i].access & HAL_ACCESS_EXEC ? 'x' : '-', r[i].mode, r[i].what);
        if (r[i].subregions_off)
            fprintf(o, " (subregions off: 0x%02x)", r[i].subregions_off);
        if (r[i].start % page || (r[i].start + r[i].size) % page)
            fprintf(o, " [the board's MPU allows this exact boundary; the host enforces pages]");
        fprintf(o, "\n");
    }
}

static void diagram_line(FILE *o, uintptr_t addr, const char *label)
{
    fprintf(o, "    0x%08" PRIxPTR " +------------------------+ %s\n", addr, label);
}

static void diagram_box(FILE *o, const char *what, uintptr_t size, const char *note)
{
    char text[32];
    if (size >= 1024)
        snprintf(text, sizeof(text), "%s %" PRIuPTR " KiB", what, size / 1024);
    else
        snprintf(text, sizeof(text), "%s %" PRIuPTR " B", what, size);
    fprintf(o, "               | %-22s | %s\n", text, note);
}

void memview_block(FILE *o, const struct hal_block *b)
{
    fprintf(o, "  memory block:\n");
    diagram_line(o, b->end, "end");
    diagram_box(o, "grant", b->end - b->grant_start, "kernel only");
    diagram_line(o, b->grant_start, "grant start");
    diagram_box(o, "free", b->grant_start - b->brk, "heap grows up with brk/sbrk");
    diagram_line(o, b->brk, "break");
    diagram_box(o, "heap", b->brk - b->data_end, "");
    diagram_line(o, b->data_end, "end of bss");
    diagram_box(o, "data+bss", b->data_end - b->data_start, "");
    diagram_line(o, b->data_start, "data");
    if (b->data_start > b->image_end) {
        diagram_box(o, "padding", b->data_start - b->image_end, "");
        diagram_line(o, b->image_end, "image end");
    }
    diagram_box(o, "image", b->image_end - b->image_start, "code, read-only");
    diagram_line(o, b->image_start, "image");
    if (b->image_start > b->stack_end) {
        diagram_box(o, "padding", b->image_start - b->stack_end, "");
        diagram_line(o, b->stack_end, "stack top");
    }
    diagram_box(o, "stack", b->stack_end - b->stack_start, "grows down; overflow faults");
    diagram_line(o, b->start, "start");
}
