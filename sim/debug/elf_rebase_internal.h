/*
 * What the parts of the rebaser share: the sections of the copy, the
 * address rule, and how a part reports a refusal. elf_rebase.c owns the ELF
 * level; dwarf_info.c the DIEs; dwarf_expr.c the expressions; dwarf_lists.c
 * the range and location lists; dwarf_tables.c the line programs and the
 * other address tables.
 */
#ifndef KSIM_SIM_DEBUG_ELF_REBASE_INTERNAL_H
#define KSIM_SIM_DEBUG_ELF_REBASE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "debug/dwarf_cursor.h"
#include "debug/elf_rebase.h"

/* One section of the copy (data NULL: the file has none). */
struct rb_section {
    const char *name;
    uint8_t *data;
    uint64_t size;
    uint64_t addr;  /* link-time sh_addr (for pc-relative pointers) */
    uint8_t *fixed; /* lists only: a bit per byte, set where an address was moved */
};

/* An allocated section's link-time range, both ends included (an end address is valid). */
struct rb_span {
    uint64_t lo, hi;
};

#define RB_MAX_SPANS 64

struct rebase {
    uint64_t delta;
    struct rb_span spans[RB_MAX_SPANS];
    unsigned nspans;
    struct rb_section info, abbrev, line, aranges, addr, rnglists, loclists, ranges, loc, frame,
        eh_frame, gdb_index;
    enum elf_rebase_err err;
    char *msg;
    size_t cap;
};

/*
 * True when addr lies in one of the file's allocated sections. Only such an
 * address moves: 0 and the other values a linker writes for code it
 * discarded (0, 1, -1) stay what they are, so gdb still ignores them.
 */
bool rb_in_image(const struct rebase *rb, uint64_t addr);

/*
 * Moves the width-byte address at s->data[off] if it lies in the image.
 * With s->fixed, an address moves at most once however often it is
 * reached. -1 (refusal recorded) if a moved 4-byte address no longer fits.
 */
int rb_fix(struct rebase *rb, struct rb_section *s, uint64_t off, unsigned width);

/* Records a refusal: "SECTION offset 0xOFF: WHAT". Returns -1. */
int rb_fail(struct rebase *rb, enum elf_rebase_err err, const struct rb_section *s, uint64_t off,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* What decoding a unit's expressions and lists needs from its header and unit DIE. */
struct rb_unit {
    unsigned version, addr_size, offset_size;
    uint64_t low_pc; /* the unit DIE's DW_AT_low_pc as linked (the base of its lists) */
    uint64_t rnglists_base, loclists_base;
    bool has_rnglists_base, has_loclists_base;
};

/* A list a DIE points at. */
struct rb_list_ref {
    bool range;   /* a range list, else a location list */
    bool indexed; /* DW_FORM_rnglistx / loclistx: an index, else an offset */
    uint64_t value;
    uint64_t at; /* .debug_info offset of the attribute, for messages */
};

/*
 * Walks the expression in c (of unit u, inside section s), moving each
 * DW_OP_addr operand; depth counts nested expressions. 0 or -1.
 */
int rb_expression(struct rebase *rb, struct rb_section *s, const struct rb_unit *u,
                  struct dw_cursor c, unsigned depth);

/* Rebases the list r points at, once the unit's bases are known. 0 or -1. */
int rb_list(struct rebase *rb, const struct rb_unit *u, const struct rb_list_ref *r);

/* The parts; each returns 0 or -1 with the refusal recorded. */
int rb_debug_info(struct rebase *rb);
int rb_debug_line(struct rebase *rb);
int rb_debug_aranges(struct rebase *rb);
int rb_debug_addr(struct rebase *rb);
int rb_debug_frame(struct rebase *rb);
int rb_eh_frame(struct rebase *rb);
int rb_gdb_index(struct rebase *rb);

#endif /* KSIM_SIM_DEBUG_ELF_REBASE_INTERNAL_H */
