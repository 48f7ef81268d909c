/*
 * Range and location lists a DIE points at: .debug_rnglists and
 * .debug_loclists (DWARF 5), .debug_ranges and .debug_loc (before). Their
 * absolute addresses move; entries relative to a base stay, as the base
 * itself moves where it is an address in the image. An entry this file does
 * not know is refused.
 */
#include "debug/elf_rebase_internal.h"

/* A counted expression in a DWARF 5 location list: ULEB length, then the expression. */
static int counted_expression(struct rebase *rb, struct rb_section *s, const struct rb_unit *u,
                              struct dw_cursor *c)
{
    struct dw_cursor e = dw_sub(c, dw_uleb(c));
    return c->bad ? 0 : rb_expression(rb, s, u, e, 0);
}

/*
 * Entry kinds of DWARF 5 lists. The two kinds of list share the first five
 * and number the rest differently (location lists have default_location).
 */
enum list_kind {
    LK_END,
    LK_BASEX,     /* base_addressx: index */
    LK_INDEXED,   /* startx_endx, startx_length: indexes or lengths only */
    LK_OFFSETS,   /* offset_pair: relative to the base, they stay */
    LK_DEFAULT,   /* default_location: only the expression */
    LK_BASE,      /* base_address: address */
    LK_START_END, /* start_end: two addresses */
    LK_START_LEN, /* start_length: address, length */
    LK_VIEW_PAIR, /* GNU view pair (location lists): two numbers, no expression */
    LK_UNKNOWN,
};

static enum list_kind list_kind(uint8_t k, bool range)
{
    static const enum list_kind ranges[] = {LK_END,     LK_BASEX, LK_INDEXED,   LK_INDEXED,
                                            LK_OFFSETS, LK_BASE,  LK_START_END, LK_START_LEN};
    static const enum list_kind locs[] = {LK_END,       LK_BASEX,    LK_INDEXED, LK_INDEXED,
                                          LK_OFFSETS,   LK_DEFAULT,  LK_BASE,    LK_START_END,
                                          LK_START_LEN, LK_VIEW_PAIR};
    if (range)
        return k < sizeof(ranges) / sizeof(ranges[0]) ? ranges[k] : LK_UNKNOWN;
    return k < sizeof(locs) / sizeof(locs[0]) ? locs[k] : LK_UNKNOWN;
}

/* One DWARF 5 list at c. Offset pairs are relative to a base and stay. */
static int list_v5(struct rebase *rb, struct rb_section *s, const struct rb_unit *u,
                   struct dw_cursor c, bool range)
{
    unsigned a = u->addr_size;
    for (;;) {
        uint64_t at = c.pos;
        uint8_t k = dw_u8(&c);
        enum list_kind kind = list_kind(k, range);
        bool has_expr = !range;
        if (c.bad || kind == LK_END)
            break;
        switch (kind) {
        case LK_BASEX:
            dw_uleb(&c);
            has_expr = false;
            break;
        case LK_INDEXED:
        case LK_OFFSETS:
            dw_uleb(&c);
            dw_uleb(&c);
            break;
        case LK_VIEW_PAIR:
            dw_uleb(&c);
            dw_uleb(&c);
            has_expr = false;
            break;
        case LK_BASE:
            if (dw_has(&c, a) && rb_fix(rb, s, c.pos, a) != 0)
                return -1;
            dw_skip(&c, a);
            has_expr = false;
            break;
        case LK_START_END:
            if (dw_has(&c, 2u * a) &&
                (rb_fix(rb, s, c.pos, a) != 0 || rb_fix(rb, s, c.pos + a, a) != 0))
                return -1;
            dw_skip(&c, 2u * a);
            break;
        case LK_START_LEN:
            if (dw_has(&c, a) && rb_fix(rb, s, c.pos, a) != 0)
                return -1;
            dw_skip(&c, a);
            dw_uleb(&c);
            break;
        case LK_DEFAULT:
            break;
        default:
            return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, at, "%s list entry kind 0x%02x",
                           range ? "range" : "location", k);
        }
        if (has_expr && !c.bad && counted_expression(rb, s, u, &c) != 0)
            return -1;
    }
    if (c.bad)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, c.pos, "list runs past the section's end");
    return 0;
}

/*
 * One list before DWARF 5: address pairs relative to the unit's base, ended
 * by (0, 0); a pair whose start is all ones selects a new base. A base that
 * lies in the image moves itself, so the pairs after it stay; after a base
 * outside the image (0, as gcc writes for units spread over sections) the
 * pairs are absolute and move themselves.
 */
static int list_v4(struct rebase *rb, struct rb_section *s, const struct rb_unit *u,
                   struct dw_cursor c, bool range)
{
    unsigned a = u->addr_size;
    uint64_t all_ones = a == 8 ? ~(uint64_t)0 : (((uint64_t)1 << (8 * a)) - 1);
    bool base_moves = rb_in_image(rb, u->low_pc);
    while (!c.bad) {
        uint64_t at = c.pos;
        uint64_t start = dw_un(&c, a), end = dw_un(&c, a);
        if (c.bad || (start == 0 && end == 0))
            break;
        if (start == all_ones) {
            base_moves = rb_in_image(rb, end);
            if (rb_fix(rb, s, at + a, a) != 0)
                return -1;
            continue;
        }
        if (!base_moves && (rb_fix(rb, s, at, a) != 0 || rb_fix(rb, s, at + a, a) != 0))
            return -1;
        if (!range && rb_expression(rb, s, u, dw_sub(&c, dw_u16(&c)), 0) != 0)
            return -1;
    }
    if (c.bad)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, c.pos, "list runs past the section's end");
    return 0;
}

/* The section offset of list `index` through the unit's offset table (DWARF 5). */
static int list_offset_from_index(struct rebase *rb, struct rb_section *s, const struct rb_unit *u,
                                  const struct rb_list_ref *r, uint64_t base, bool has_base,
                                  uint64_t *offset)
{
    if (!has_base)
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, &rb->info, r->at,
                       "list index without DW_AT_rnglists_base or DW_AT_loclists_base");
    struct dw_cursor c = dw_cursor_make(s->data, base, s->size);
    dw_skip(&c, r->value * u->offset_size);
    uint64_t rel = dw_un(&c, u->offset_size);
    if (c.bad || r->value > s->size)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->info, r->at, "list index %llu out of range",
                       (unsigned long long)r->value);
    *offset = base + rel;
    return 0;
}

int rb_list(struct rebase *rb, const struct rb_unit *u, const struct rb_list_ref *r)
{
    bool v5 = u->version >= 5;
    struct rb_section *s =
        r->range ? (v5 ? &rb->rnglists : &rb->ranges) : (v5 ? &rb->loclists : &rb->loc);
    uint64_t offset = r->value;
    if (!s->data)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->info, r->at,
                       "points into a list section the file does not have");
    if (r->indexed && list_offset_from_index(
                          rb, s, u, r, r->range ? u->rnglists_base : u->loclists_base,
                          r->range ? u->has_rnglists_base : u->has_loclists_base, &offset) != 0)
        return -1;
    if (offset >= s->size)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->info, r->at,
                       "list offset 0x%llx past the end of %s", (unsigned long long)offset,
                       s->name);
    struct dw_cursor c = dw_cursor_make(s->data, offset, s->size);
    return v5 ? list_v5(rb, s, u, c, r->range) : list_v4(rb, s, u, c, r->range);
}
