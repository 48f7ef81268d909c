/*
 * Rebasing .debug_info: every DIE of every unit is decoded through its
 * abbreviation, so each attribute's form says where the addresses are:
 * DW_FORM_addr values, DW_OP_addr inside location expressions
 * (dwarf_expr.c), and the range and location lists the DIEs point at
 * (dwarf_lists.c).
 * Addresses reached through indexes (DW_FORM_addrx...) live in .debug_addr,
 * which dwarf_tables.c rebases as a whole. A form, operation or list entry
 * this file does not know is refused: skipping it would lose track of
 * where the next one starts.
 */
#include <stdlib.h>

#include "debug/elf_rebase_internal.h"

/* Forms (DWARF 5, section 7.5.6, and the GNU extensions gcc emits). */
enum {
    FORM_ADDR = 0x01,
    FORM_BLOCK2 = 0x03,
    FORM_BLOCK4 = 0x04,
    FORM_DATA2 = 0x05,
    FORM_DATA4 = 0x06,
    FORM_DATA8 = 0x07,
    FORM_STRING = 0x08,
    FORM_BLOCK = 0x09,
    FORM_BLOCK1 = 0x0a,
    FORM_DATA1 = 0x0b,
    FORM_FLAG = 0x0c,
    FORM_SDATA = 0x0d,
    FORM_STRP = 0x0e,
    FORM_UDATA = 0x0f,
    FORM_REF_ADDR = 0x10,
    FORM_REF1 = 0x11,
    FORM_REF2 = 0x12,
    FORM_REF4 = 0x13,
    FORM_REF8 = 0x14,
    FORM_REF_UDATA = 0x15,
    FORM_INDIRECT = 0x16,
    FORM_SEC_OFFSET = 0x17,
    FORM_EXPRLOC = 0x18,
    FORM_FLAG_PRESENT = 0x19,
    FORM_STRX = 0x1a,
    FORM_ADDRX = 0x1b,
    FORM_REF_SUP4 = 0x1c,
    FORM_STRP_SUP = 0x1d,
    FORM_DATA16 = 0x1e,
    FORM_LINE_STRP = 0x1f,
    FORM_REF_SIG8 = 0x20,
    FORM_IMPLICIT_CONST = 0x21,
    FORM_LOCLISTX = 0x22,
    FORM_RNGLISTX = 0x23,
    FORM_REF_SUP8 = 0x24,
    FORM_STRX1 = 0x25,
    FORM_STRX2 = 0x26,
    FORM_STRX3 = 0x27,
    FORM_STRX4 = 0x28,
    FORM_ADDRX1 = 0x29,
    FORM_ADDRX2 = 0x2a,
    FORM_ADDRX3 = 0x2b,
    FORM_ADDRX4 = 0x2c,
    FORM_GNU_ADDR_INDEX = 0x1f01,
    FORM_GNU_STR_INDEX = 0x1f02,
    FORM_GNU_REF_ALT = 0x1f20,
    FORM_GNU_STRP_ALT = 0x1f21,
};

/* Attributes whose value can be a location expression or a location list. */
enum {
    AT_LOCATION = 0x02,
    AT_BYTE_SIZE = 0x0b,
    AT_STRING_LENGTH = 0x19,
    AT_LOWER_BOUND = 0x22,
    AT_RETURN_ADDR = 0x2a,
    AT_START_SCOPE = 0x2c,
    AT_BIT_STRIDE = 0x2e,
    AT_UPPER_BOUND = 0x2f,
    AT_COUNT = 0x37,
    AT_DATA_MEMBER_LOCATION = 0x38,
    AT_FRAME_BASE = 0x40,
    AT_SEGMENT = 0x46,
    AT_STATIC_LINK = 0x48,
    AT_USE_LOCATION = 0x4a,
    AT_VTABLE_ELEM_LOCATION = 0x4d,
    AT_ALLOCATED = 0x4e,
    AT_ASSOCIATED = 0x4f,
    AT_DATA_LOCATION = 0x50,
    AT_BYTE_STRIDE = 0x51,
    AT_LOW_PC = 0x11,
    AT_RANGES = 0x55,
    AT_RNGLISTS_BASE = 0x74,
    AT_LOCLISTS_BASE = 0x8c,
    AT_CALL_VALUE = 0x7e,
    AT_CALL_TARGET = 0x83,
    AT_CALL_TARGET_CLOBBERED = 0x84,
    AT_CALL_DATA_LOCATION = 0x85,
    AT_CALL_DATA_VALUE = 0x86,
    AT_GNU_CALL_SITE_VALUE = 0x2111,
    AT_GNU_CALL_SITE_TARGET_CLOBBERED = 0x2114,
};

struct abbrev {
    uint64_t code;
    uint64_t specs; /* offset in .debug_abbrev of its (attribute, form) pairs */
};

struct unit {
    struct rb_unit h; /* what its expressions and lists need */
    uint64_t start, end;
    struct abbrev *abbrevs;
    size_t nabbrevs;
    bool in_unit_die;
    struct rb_list_ref *refs; /* rebased once the unit DIE's bases are known */
    size_t nrefs, refs_cap;
};

static bool is_location_attr(uint64_t at)
{
    switch (at) {
    case AT_LOCATION:
    case AT_STRING_LENGTH:
    case AT_RETURN_ADDR:
    case AT_DATA_MEMBER_LOCATION:
    case AT_FRAME_BASE:
    case AT_SEGMENT:
    case AT_STATIC_LINK:
    case AT_USE_LOCATION:
    case AT_VTABLE_ELEM_LOCATION:
        return true;
    default:
        return false;
    }
}

/* A block form of these holds a DWARF expression (DWARF 2 and 3 had no exprloc). */
static bool block_is_expression(uint64_t at)
{
    switch (at) {
    case AT_BYTE_SIZE:
    case AT_LOWER_BOUND:
    case AT_BIT_STRIDE:
    case AT_UPPER_BOUND:
    case AT_COUNT:
    case AT_ALLOCATED:
    case AT_ASSOCIATED:
    case AT_DATA_LOCATION:
    case AT_BYTE_STRIDE:
    case AT_CALL_VALUE:
    case AT_CALL_TARGET:
    case AT_CALL_TARGET_CLOBBERED:
    case AT_CALL_DATA_LOCATION:
    case AT_CALL_DATA_VALUE:
        return true;
    default:
        return is_location_attr(at) ||
               (at >= AT_GNU_CALL_SITE_VALUE && at <= AT_GNU_CALL_SITE_TARGET_CLOBBERED);
    }
}
static int add_list_ref(struct rebase *rb, struct unit *u, struct rb_list_ref r)
{
    if (u->nrefs == u->refs_cap) {
        size_t cap = u->refs_cap ? u->refs_cap * 2 : 64;
        struct rb_list_ref *grown = realloc(u->refs, cap * sizeof(*grown));
        if (!grown)
            return rb_fail(rb, ELF_REBASE_NO_MEMORY, NULL, 0, "out of memory");
        u->refs = grown;
        u->refs_cap = cap;
    }
    u->refs[u->nrefs++] = r;
    return 0;
}

/* --- abbreviations ------------------------------------------------------------- */

static int read_abbrevs(struct rebase *rb, struct unit *u, uint64_t offset)
{
    struct dw_cursor c = dw_cursor_make(rb->abbrev.data, offset, rb->abbrev.size);
    size_t cap = 0;
    u->nabbrevs = 0;
    if (!rb->abbrev.data || offset >= rb->abbrev.size)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->info, u->start,
                       "abbreviation offset 0x%llx outside .debug_abbrev",
                       (unsigned long long)offset);
    for (;;) {
        uint64_t code = dw_uleb(&c);
        if (c.bad || code == 0)
            break;
        dw_uleb(&c); /* tag */
        dw_u8(&c);   /* has children: the walk is flat, null entries end sibling lists */
        if (u->nabbrevs == cap) {
            cap = cap ? cap * 2 : 64;
            struct abbrev *grown = realloc(u->abbrevs, cap * sizeof(*grown));
            if (!grown)
                return rb_fail(rb, ELF_REBASE_NO_MEMORY, NULL, 0, "out of memory");
            u->abbrevs = grown;
        }
        u->abbrevs[u->nabbrevs++] = (struct abbrev){code, c.pos};
        for (uint64_t at = 1, form = 1; !c.bad && (at || form);) {
            at = dw_uleb(&c);
            form = dw_uleb(&c);
            if (form == FORM_IMPLICIT_CONST)
                dw_sleb(&c);
        }
    }
    if (c.bad)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->abbrev, c.pos,
                       "abbreviation table runs past the section's end");
    return 0;
}

static const struct abbrev *find_abbrev(const struct unit *u, uint64_t code)
{
    if (code - 1 < u->nabbrevs && u->abbrevs[code - 1].code == code)
        return &u->abbrevs[code - 1]; /* codes are usually numbered from 1 */
    for (size_t i = 0; i < u->nabbrevs; i++)
        if (u->abbrevs[i].code == code)
            return &u->abbrevs[i];
    return NULL;
}

/* --- DIEs ------------------------------------------------------------------------ */

/* Bytes a form's value takes when it has a fixed size, or -1. */
static int fixed_form_size(uint64_t form, const struct unit *u)
{
    switch (form) {
    case FORM_FLAG_PRESENT:
    case FORM_IMPLICIT_CONST:
        return 0;
    case FORM_DATA1:
    case FORM_REF1:
    case FORM_FLAG:
    case FORM_STRX1:
    case FORM_ADDRX1:
        return 1;
    case FORM_DATA2:
    case FORM_REF2:
    case FORM_STRX2:
    case FORM_ADDRX2:
        return 2;
    case FORM_STRX3:
    case FORM_ADDRX3:
        return 3;
    case FORM_DATA4:
    case FORM_REF4:
    case FORM_REF_SUP4:
    case FORM_STRX4:
    case FORM_ADDRX4:
        return 4;
    case FORM_DATA8:
    case FORM_REF8:
    case FORM_REF_SIG8:
    case FORM_REF_SUP8:
        return 8;
    case FORM_DATA16:
        return 16;
    case FORM_STRP:
    case FORM_LINE_STRP:
    case FORM_STRP_SUP:
    case FORM_GNU_REF_ALT:
    case FORM_GNU_STRP_ALT:
        return (int)u->h.offset_size;
    case FORM_REF_ADDR:
        return u->h.version == 2 ? (int)u->h.addr_size : (int)u->h.offset_size;
    default:
        return -1;
    }
}

/* Records a reference to a list, for the forms that make one. */
static int note_list(struct rebase *rb, struct unit *u, uint64_t at, uint64_t form, uint64_t value,
                     uint64_t attr_at)
{
    bool range = at == AT_RANGES || (at == AT_START_SCOPE && u->h.version >= 4);
    bool offset_form = form == FORM_SEC_OFFSET ||
                       (u->h.version <= 3 && (form == FORM_DATA4 || form == FORM_DATA8));
    bool indexed = form == FORM_RNGLISTX || form == FORM_LOCLISTX;
    if (!(range || is_location_attr(at)) || !(offset_form || indexed))
        return 0;
    return add_list_ref(rb, u, (struct rb_list_ref){range, indexed, value, attr_at});
}

/* The value of a unit DIE attribute that later decoding depends on. */
static void note_unit_attr(struct unit *u, uint64_t at, uint64_t value)
{
    if (!u->in_unit_die)
        return;
    if (at == AT_LOW_PC)
        u->h.low_pc = value;
    if (at == AT_RNGLISTS_BASE) {
        u->h.rnglists_base = value;
        u->h.has_rnglists_base = true;
    }
    if (at == AT_LOCLISTS_BASE) {
        u->h.loclists_base = value;
        u->h.has_loclists_base = true;
    }
}

static int attribute(struct rebase *rb, struct unit *u, struct dw_cursor *c, uint64_t at,
                     uint64_t form, bool indirect)
{
    uint64_t attr_at = c->pos, value = 0;
    int size = fixed_form_size(form, u);
    switch (form) {
    case FORM_ADDR:
        note_unit_attr(u, at, dw_un(c, u->h.addr_size));
        return c->bad ? 0 : rb_fix(rb, &rb->info, attr_at, u->h.addr_size);
    case FORM_EXPRLOC:
        return rb_expression(rb, &rb->info, &u->h, dw_sub(c, dw_uleb(c)), 0);
    case FORM_BLOCK1:
    case FORM_BLOCK2:
    case FORM_BLOCK4:
    case FORM_BLOCK: {
        uint64_t len = form == FORM_BLOCK1   ? dw_u8(c)
                       : form == FORM_BLOCK2 ? dw_u16(c)
                       : form == FORM_BLOCK4 ? dw_un(c, 4)
                                             : dw_uleb(c);
        struct dw_cursor b = dw_sub(c, len);
        return block_is_expression(at) && !c->bad ? rb_expression(rb, &rb->info, &u->h, b, 0) : 0;
    }
    case FORM_STRING:
        while (!c->bad && dw_u8(c) != 0)
            ;
        return 0;
    case FORM_SDATA:
        dw_sleb(c);
        return 0;
    case FORM_UDATA:
    case FORM_REF_UDATA:
    case FORM_STRX:
    case FORM_ADDRX:
    case FORM_GNU_ADDR_INDEX:
    case FORM_GNU_STR_INDEX:
        dw_uleb(c);
        return 0;
    case FORM_LOCLISTX:
    case FORM_RNGLISTX:
        value = dw_uleb(c);
        break;
    case FORM_SEC_OFFSET:
        value = dw_un(c, u->h.offset_size);
        break;
    case FORM_INDIRECT:
        if (indirect)
            return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->info, attr_at,
                           "DW_FORM_indirect names DW_FORM_indirect");
        return attribute(rb, u, c, at, dw_uleb(c), true);
    default:
        if (size < 0)
            return rb_fail(rb, ELF_REBASE_UNSUPPORTED, &rb->info, attr_at,
                           "attribute form 0x%llx not handled", (unsigned long long)form);
        value = dw_un(c, size <= 8 ? (unsigned)size : 0);
        if (size > 8)
            dw_skip(c, (uint64_t)size);
        break;
    }
    if (c->bad)
        return 0; /* the caller reports it */
    note_unit_attr(u, at, value);
    return note_list(rb, u, at, form, value, attr_at);
}

static int die(struct rebase *rb, struct unit *u, struct dw_cursor *c)
{
    uint64_t at_die = c->pos, code = dw_uleb(c);
    if (c->bad || code == 0)
        return 0; /* a null entry ends a list of siblings */
    const struct abbrev *a = find_abbrev(u, code);
    if (!a)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->info, at_die,
                       "abbreviation code %llu not in the unit's table", (unsigned long long)code);
    struct dw_cursor spec = dw_cursor_make(rb->abbrev.data, a->specs, rb->abbrev.size);
    for (;;) {
        uint64_t at = dw_uleb(&spec), form = dw_uleb(&spec);
        if (spec.bad || (at == 0 && form == 0))
            break;
        if (form == FORM_IMPLICIT_CONST)
            dw_sleb(&spec);
        if (attribute(rb, u, c, at, form, false) != 0)
            return -1;
        if (c->bad)
            return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->info, at_die,
                           "DIE runs past the end of its unit");
    }
    return 0;
}

/* Reads a unit header; c moves to its first DIE. */
static int unit_header(struct rebase *rb, struct unit *u, struct dw_cursor *c)
{
    uint64_t len = dw_initial_length(c, &u->h.offset_size);
    u->end = c->pos + len;
    if (c->bad || len > c->end - c->pos)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->info, u->start,
                       "unit length runs past the section's end");
    c->end = u->end;
    u->h.version = dw_u16(c);
    uint64_t abbrev_off;
    uint8_t type = 1; /* DW_UT_compile */
    if (u->h.version >= 5) {
        type = dw_u8(c);
        u->h.addr_size = dw_u8(c);
        abbrev_off = dw_un(c, u->h.offset_size);
    } else {
        abbrev_off = dw_un(c, u->h.offset_size);
        u->h.addr_size = dw_u8(c);
    }
    if (u->h.version < 2 || u->h.version > 5)
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, &rb->info, u->start, "DWARF version %u",
                       u->h.version);
    if (u->h.addr_size != 8 && u->h.addr_size != 4)
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, &rb->info, u->start, "address size %u",
                       u->h.addr_size);
    if (type == 2 || type == 6) /* type units: signature and type offset */
        dw_skip(c, 8u + u->h.offset_size);
    else if (type == 4 || type == 5) /* skeleton and split units: their id */
        dw_skip(c, 8);
    else if (type != 1 && type != 3)
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, &rb->info, u->start, "unit type %u", type);
    if (c->bad)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->info, u->start, "unit header truncated");
    return read_abbrevs(rb, u, abbrev_off);
}

static int one_unit(struct rebase *rb, struct unit *u, struct dw_cursor c)
{
    if (unit_header(rb, u, &c) != 0)
        return -1;
    u->in_unit_die = true;
    while (!c.bad && c.pos < c.end) {
        if (die(rb, u, &c) != 0)
            return -1;
        u->in_unit_die = false;
    }
    for (size_t i = 0; i < u->nrefs; i++)
        if (rb_list(rb, &u->h, &u->refs[i]) != 0)
            return -1;
    return 0;
}

int rb_debug_info(struct rebase *rb)
{
    struct unit u = {0};
    int rc = 0;
    if (!rb->info.data)
        return 0;
    for (uint64_t pos = 0; rc == 0 && pos < rb->info.size; pos = u.end) {
        struct abbrev *abbrevs = u.abbrevs;
        struct rb_list_ref *refs = u.refs;
        size_t refs_cap = u.refs_cap;
        u = (struct unit){.start = pos, .abbrevs = abbrevs, .refs = refs, .refs_cap = refs_cap};
        rc = one_unit(rb, &u, dw_cursor_make(rb->info.data, pos, rb->info.size));
    }
    free(u.abbrevs);
    free(u.refs);
    return rc;
}
