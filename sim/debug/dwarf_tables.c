/*
 * Rebasing the address tables outside .debug_info: line programs
 * (DW_LNE_set_address), .debug_aranges, .debug_addr, .debug_frame FDEs,
 * absolute FDE pointers in .eh_frame (gcc's pc-relative ones stay valid:
 * the whole image moves by one offset) and the address area of a
 * .gdb_index. Each table is walked by its own headers and lengths.
 */
#include "debug/elf_rebase_internal.h"

#define LNE_SET_ADDRESS      2
#define LNS_FIXED_ADVANCE_PC 9
#define EH_PE_OMIT           0xff
#define EH_PE_PCREL          0x10
#define EH_PE_APPLICATION    0x70
#define EH_PE_FORMAT         0x0f
#define EH_PE_ULEB128        0x01
#define EH_PE_SLEB128        0x09

/* Reads a unit's initial length; *end is where the unit stops. */
static int unit_bounds(struct rebase *rb, struct rb_section *s, struct dw_cursor *c,
                       unsigned *offset_size, uint64_t *end)
{
    uint64_t start = c->pos, len = dw_initial_length(c, offset_size);
    *end = start;
    if (c->bad || len > c->end - c->pos)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, start,
                       "unit length runs past the section's end");
    *end = c->pos + len;
    return 0;
}

/* --- line programs ------------------------------------------------------------- */

struct line_header {
    unsigned version, addr_size;
    uint64_t program, end; /* where the opcodes start and stop */
    uint8_t opcode_base;
    uint64_t lengths; /* offset of standard_opcode_lengths */
};

static int line_header(struct rebase *rb, struct dw_cursor *c, struct line_header *h)
{
    uint64_t start = c->pos;
    unsigned offset_size;
    *h = (struct line_header){0};
    if (unit_bounds(rb, &rb->line, c, &offset_size, &h->end) != 0)
        return -1;
    c->end = h->end;
    h->version = dw_u16(c);
    h->addr_size = 8;
    if (h->version < 2 || h->version > 5)
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, &rb->line, start, "line table version %u",
                       h->version);
    if (h->version >= 5) {
        h->addr_size = dw_u8(c);
        dw_u8(c); /* segment selector size */
    }
    uint64_t header_length = dw_un(c, offset_size);
    h->program = c->pos + header_length;
    dw_skip(c,
            h->version >= 4 ? 5 : 4); /* instruction length (max ops), is_stmt, line base, range */
    h->opcode_base = dw_u8(c);
    h->lengths = c->pos;
    if (c->bad || h->opcode_base == 0 || !dw_has(c, h->opcode_base - 1u) || h->program < c->pos ||
        h->program > h->end)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->line, start, "line table header malformed");
    c->pos = h->program;
    return 0;
}

/* An extended opcode: only DW_LNE_set_address carries an address. */
static int line_extended(struct rebase *rb, struct dw_cursor *c)
{
    uint64_t at = c->pos - 1;
    struct dw_cursor e = dw_sub(c, dw_uleb(c));
    if (c->bad || e.pos == e.end)
        return 0;
    if (dw_u8(&e) != LNE_SET_ADDRESS)
        return 0;
    uint64_t width = e.end - e.pos;
    if (width != 8 && width != 4)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->line, at,
                       "DW_LNE_set_address with a %llu-byte address", (unsigned long long)width);
    return rb_fix(rb, &rb->line, e.pos, (unsigned)width);
}

static int line_program(struct rebase *rb, struct dw_cursor c)
{
    struct line_header h;
    if (line_header(rb, &c, &h) != 0)
        return -1;
    while (!c.bad && c.pos < c.end) {
        uint8_t op = dw_u8(&c);
        if (op >= h.opcode_base)
            continue; /* special opcodes have no operands */
        if (op == 0) {
            if (line_extended(rb, &c) != 0)
                return -1;
        } else if (op == LNS_FIXED_ADVANCE_PC) {
            dw_u16(&c); /* the one standard opcode whose operand is not a LEB128 */
        } else {
            for (uint8_t n = rb->line.data[h.lengths + op - 1]; n > 0; n--)
                dw_uleb(&c);
        }
    }
    if (c.bad)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, &rb->line, c.pos,
                       "line program runs past its unit");
    return 0;
}

int rb_debug_line(struct rebase *rb)
{
    for (uint64_t pos = 0; rb->line.data && pos < rb->line.size;) {
        struct dw_cursor c = dw_cursor_make(rb->line.data, pos, rb->line.size);
        unsigned offset_size;
        uint64_t end;
        if (unit_bounds(rb, &rb->line, &c, &offset_size, &end) != 0)
            return -1;
        if (line_program(rb, dw_cursor_make(rb->line.data, pos, end)) != 0)
            return -1;
        pos = end;
    }
    return 0;
}

/* --- .debug_aranges and .debug_addr -------------------------------------------- */

int rb_debug_aranges(struct rebase *rb)
{
    struct rb_section *s = &rb->aranges;
    for (uint64_t pos = 0; s->data && pos < s->size;) {
        struct dw_cursor c = dw_cursor_make(s->data, pos, s->size);
        unsigned offset_size;
        uint64_t end;
        if (unit_bounds(rb, s, &c, &offset_size, &end) != 0)
            return -1;
        c.end = end;
        dw_u16(&c); /* version */
        dw_un(&c, offset_size);
        unsigned a = dw_u8(&c), seg = dw_u8(&c);
        if (c.bad || (a != 4 && a != 8) || seg != 0)
            return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, pos,
                           "address ranges with address size %u and segment size %u", a, seg);
        /* The first tuple is aligned to the tuple size, from the unit's start. */
        uint64_t tuple = 2u * a, first = pos + ((c.pos - pos + tuple - 1) / tuple) * tuple;
        for (uint64_t at = first; at + tuple <= end; at += tuple)
            if (rb_fix(rb, s, at, a) != 0)
                return -1;
        pos = end;
    }
    return 0;
}

int rb_debug_addr(struct rebase *rb)
{
    struct rb_section *s = &rb->addr;
    for (uint64_t pos = 0; s->data && pos < s->size;) {
        struct dw_cursor c = dw_cursor_make(s->data, pos, s->size);
        unsigned offset_size;
        uint64_t end;
        if (unit_bounds(rb, s, &c, &offset_size, &end) != 0)
            return -1;
        c.end = end;
        unsigned version = dw_u16(&c), a = dw_u8(&c), seg = dw_u8(&c);
        if (c.bad || version != 5 || (a != 4 && a != 8) || seg != 0)
            return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, pos,
                           "address table version %u, address size %u, segment size %u", version, a,
                           seg);
        for (uint64_t at = c.pos; at + a <= end; at += a)
            if (rb_fix(rb, s, at, a) != 0)
                return -1;
        pos = end;
    }
    return 0;
}

/* --- call frame information ---------------------------------------------------- */

/* .debug_frame: each FDE's initial location is an absolute address. */
int rb_debug_frame(struct rebase *rb)
{
    struct rb_section *s = &rb->frame;
    for (uint64_t pos = 0; s->data && pos < s->size;) {
        struct dw_cursor c = dw_cursor_make(s->data, pos, s->size);
        unsigned offset_size;
        uint64_t end;
        if (unit_bounds(rb, s, &c, &offset_size, &end) != 0)
            return -1;
        c.end = end;
        uint64_t id = dw_un(&c, offset_size);
        uint64_t cie_id = offset_size == 4 ? 0xffffffffu : ~(uint64_t)0;
        if (c.bad)
            return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, pos, "frame entry truncated");
        if (id != cie_id && dw_has(&c, 8) && rb_fix(rb, s, c.pos, 8) != 0)
            return -1;
        pos = end;
    }
    return 0;
}

/* Bytes of a pointer in an .eh_frame encoding's format, or -1 (LEB128 or unknown). */
static int eh_pointer_size(uint8_t enc)
{
    switch (enc & EH_PE_FORMAT) {
    case 0x00: /* absptr */
    case 0x04: /* udata8 */
    case 0x0c: /* sdata8 */
        return 8;
    case 0x02: /* udata2 */
    case 0x0a: /* sdata2 */
        return 2;
    case 0x03: /* udata4 */
    case 0x0b: /* sdata4 */
        return 4;
    default:
        return -1;
    }
}

/* The FDE pointer encoding of the CIE at cie (DW_EH_PE_absptr without a 'z' 'R'). */
static int eh_cie_encoding(struct rebase *rb, uint64_t cie, uint8_t *enc)
{
    struct rb_section *s = &rb->eh_frame;
    struct dw_cursor c = dw_cursor_make(s->data, cie, s->size);
    uint64_t len = dw_un(&c, 4);
    c.end = len <= c.end - c.pos ? c.pos + len : c.end;
    uint64_t id = dw_un(&c, 4);
    uint8_t version = dw_u8(&c);
    uint64_t aug = c.pos;
    if (!c.bad && id != 0)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, cie, "FDE's CIE pointer leads to an FDE");
    while (!c.bad && dw_u8(&c) != 0)
        ;
    dw_uleb(&c); /* code alignment */
    dw_sleb(&c); /* data alignment */
    if (version == 1)
        dw_u8(&c); /* return address register */
    else
        dw_uleb(&c);
    *enc = 0;
    if (!c.bad && s->data[aug] == 'z') {
        dw_uleb(&c); /* augmentation data length */
        for (uint64_t i = aug + 1; !c.bad && s->data[i] != '\0'; i++) {
            uint8_t ch = s->data[i], penc;
            if (ch == 'R') {
                *enc = dw_u8(&c);
            } else if (ch == 'L') {
                dw_u8(&c);
            } else if (ch == 'P') {
                penc = dw_u8(&c);
                int n = eh_pointer_size(penc);
                if ((penc & EH_PE_APPLICATION) != EH_PE_PCREL || n < 0)
                    return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, cie,
                                   "personality pointer encoding 0x%02x", penc);
                dw_skip(&c, (uint64_t)n);
            } else if (ch != 'S' && ch != 'B') {
                return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, cie, "CIE augmentation '%c'", ch);
            }
        }
    } else if (!c.bad && s->data[aug] != '\0') {
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, cie, "CIE augmentation without 'z'");
    }
    if (c.bad)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, cie, "CIE truncated");
    return 0;
}

/* An FDE whose CIE pointer field is at id_at: moves its initial location if absolute. */
static int eh_fde(struct rebase *rb, uint64_t id_at, uint64_t id, uint64_t end)
{
    struct rb_section *s = &rb->eh_frame;
    uint8_t enc = 0;
    if (id > id_at)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, id_at, "CIE pointer before the section");
    if (eh_cie_encoding(rb, id_at - id, &enc) != 0)
        return -1;
    if (enc == EH_PE_OMIT || (enc & EH_PE_APPLICATION) == EH_PE_PCREL)
        return 0; /* relative to itself: right wherever the image is */
    int n = eh_pointer_size(enc);
    if ((enc & EH_PE_APPLICATION) != 0 || (n != 4 && n != 8))
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, id_at, "FDE pointer encoding 0x%02x", enc);
    if (id_at + 4 + (uint64_t)n > end)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, id_at, "FDE truncated");
    return rb_fix(rb, s, id_at + 4, (unsigned)n);
}

int rb_eh_frame(struct rebase *rb)
{
    struct rb_section *s = &rb->eh_frame;
    for (uint64_t pos = 0; s->data && pos + 4 <= s->size;) {
        struct dw_cursor c = dw_cursor_make(s->data, pos, s->size);
        uint64_t len = dw_un(&c, 4);
        if (len == 0)
            break; /* the terminator */
        if (len == 0xffffffffu || len > c.end - c.pos || len < 4)
            return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, pos, "frame entry length 0x%llx",
                           (unsigned long long)len);
        uint64_t id_at = c.pos, end = c.pos + len, id = dw_un(&c, 4);
        if (id != 0 && eh_fde(rb, id_at, id, end) != 0)
            return -1;
        pos = end;
    }
    return 0;
}

/* --- .gdb_index ------------------------------------------------------------------ */

/* Its address area: (low, high, CU index) entries between two header offsets. */
int rb_gdb_index(struct rebase *rb)
{
    struct rb_section *s = &rb->gdb_index;
    if (!s->data)
        return 0;
    struct dw_cursor c = dw_cursor_make(s->data, 0, s->size);
    unsigned version = (unsigned)dw_un(&c, 4);
    dw_skip(&c, 8); /* CU list and type CU list offsets */
    uint64_t lo = dw_un(&c, 4), hi = dw_un(&c, 4);
    if (c.bad || version < 7 || version > 9 || lo > hi || hi > s->size)
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, 0, "index version %u or header", version);
    for (uint64_t at = lo; at + 20 <= hi; at += 20)
        if (rb_fix(rb, s, at, 8) != 0 || rb_fix(rb, s, at + 8, 8) != 0)
            return -1;
    return 0;
}
