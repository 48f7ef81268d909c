/*
 * Walking the apps in board flash, as Tock's process loader does: TBF
 * objects one after another from the start of app flash, each found at the
 * end of the one before (its total_size), until a word that is not a TBF
 * version 2 header (erased flash). An object whose header does not check
 * out is skipped by its total_size, so one broken app never hides the ones
 * after it; one that claims more bytes than flash holds ends the walk.
 */
#ifndef KSIM_KERNEL_FLASHWALK_H
#define KSIM_KERNEL_FLASHWALK_H

#include <stddef.h>
#include <stdint.h>

#include "appload.h"
#include "tbf.h"

struct kernel;

enum flashwalk_kind {
    FLASHWALK_END = 0,    /* no TBF here: the apps end */
    FLASHWALK_APP,        /* an enabled app */
    FLASHWALK_DISABLED,   /* a valid app whose enabled flag is clear: not started */
    FLASHWALK_PADDING,    /* an object with neither Main nor Program: a gap filler */
    FLASHWALK_BROKEN,     /* refused (err says why), skipped by its total_size */
    FLASHWALK_INCOMPLETE, /* its total_size runs past the end of flash: the walk ends */
};

struct flashwalk_entry {
    enum flashwalk_kind kind;
    uint32_t offset;     /* from the start of app flash */
    uint32_t total_size; /* as its header says (0 at END) */
    struct tbf_header tbf;
    struct tbf_error err; /* FLASHWALK_BROKEN */
};

/*
 * The object at flash[at..len). Fills *e and returns the offset of the next
 * object, or len when the walk ends (FLASHWALK_END, FLASHWALK_INCOMPLETE).
 * Reads nothing outside flash[0..len).
 */
size_t flashwalk_at(const uint8_t *flash, size_t len, size_t at, struct flashwalk_entry *e);

/* What booting did with one object: slot >= 0 loaded, else err (APPs only). */
typedef void (*flashwalk_report_fn)(void *ctx, const struct flashwalk_entry *e, int slot,
                                    const struct appload_error *err);

/*
 * Loads every enabled app in k's flash, in flash order, and reports each
 * object (report may be NULL). Returns how many processes were loaded.
 */
unsigned flashwalk_boot(struct kernel *k, flashwalk_report_fn report, void *ctx);

#endif /* KSIM_KERNEL_FLASHWALK_H */
