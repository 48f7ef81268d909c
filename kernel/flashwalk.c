/* The flash walk: TBF object after TBF object, as Tock's process loader finds apps. */
#include "flashwalk.h"

#include "err.h"
#include "kernel.h"
#include "klib.h"

#define LENGTHS_SIZE 8 /* version, header_size, total_size: enough to find the next object */

static uint32_t rd16(const uint8_t *b, size_t off)
{
    return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8;
}

static uint32_t rd32(const uint8_t *b, size_t off)
{
    return rd16(b, off) | rd16(b, off + 2) << 16;
}

size_t flashwalk_at(const uint8_t *flash, size_t len, size_t at, struct flashwalk_entry *e)
{
    klib_fill(e, 0, sizeof(*e));
    e->offset = (uint32_t)at;
    /* Tock trusts version and total_size to find the next object; anything
     * but version 2 is the end of the apps (erased flash reads 0 or 0xff). */
    if (at > len || len - at < LENGTHS_SIZE || rd16(flash, at) != TBF_VERSION)
        return len;
    e->total_size = rd32(flash, at + 4);
    if (e->total_size < TBF_BASE_SIZE || e->total_size > len - at) {
        e->kind = FLASHWALK_INCOMPLETE; /* cannot be skipped safely: stop here */
        return len;
    }
    if (tbf_parse(flash + at, e->total_size, &e->tbf, &e->err) == 0)
        e->kind = e->tbf.flags & TBF_FLAG_ENABLED ? FLASHWALK_APP : FLASHWALK_DISABLED;
    else
        e->kind = e->err.why == TBF_NO_PROGRAM ? FLASHWALK_PADDING : FLASHWALK_BROKEN;
    return at + e->total_size;
}

/* "app@0x1234" for an app without a package name. */
static void default_name(char *out, size_t cap, uint32_t offset)
{
    static const char hex[] = "0123456789abcdef";
    const char prefix[] = "app@0x";
    size_t n = 0;
    for (; prefix[n] && n + 1 < cap; n++)
        out[n] = prefix[n];
    for (int shift = 28; shift >= 0 && n + 1 < cap; shift -= 4)
        out[n++] = hex[(offset >> shift) & 0xf];
    out[n] = '\0';
}

unsigned flashwalk_boot(struct kernel *k, flashwalk_report_fn report, void *ctx)
{
    struct flashwalk_entry e;
    unsigned loaded = 0;
    for (size_t at = 0; at < k->flash.size;) {
        size_t next = flashwalk_at(k->flash.kview, k->flash.size, at, &e);
        if (e.kind == FLASHWALK_END)
            break;
        struct appload_error err;
        int slot = -1;
        klib_fill(&err, 0, sizeof(err));
        if (e.kind == FLASHWALK_APP) {
            char name[PROC_NAME_MAX];
            default_name(name, sizeof(name), e.offset);
            slot = appload_flash_object(k, name, k->flash.kview + at, e.total_size,
                                        k->flash.base + at, &err);
            loaded += slot >= 0;
        }
        if (report)
            report(ctx, &e, slot, &err);
        at = next;
    }
    return loaded;
}
