/*
 * DWARF expressions (DWARF 5 section 2.5 and the GNU operations gcc emits):
 * each operation is decoded so that every DW_OP_addr operand is found and
 * moved. An operation this file does not know is refused, since its
 * operands' size is unknown and the rest could not be read.
 */
#include "debug/elf_rebase_internal.h"

#define MAX_EXPR_DEPTH 8 /* DW_OP_entry_value nests expressions */

/* Bytes of fixed operands an operation has, or -1 when it needs decoding. */
static int fixed_operands(uint8_t op, const struct rb_unit *u)
{
    if ((op >= 0x30 && op <= 0x6f) || (op >= 0x12 && op <= 0x14) || (op >= 0x16 && op <= 0x22) ||
        (op >= 0x24 && op <= 0x27) || (op >= 0x29 && op <= 0x2e))
        return 0; /* literals, registers, stack and arithmetic operations */
    switch (op) {
    case 0x06: /* deref */
    case 0x96: /* nop */
    case 0x97: /* push_object_address */
    case 0x9b: /* form_tls_address */
    case 0x9c: /* call_frame_cfa */
    case 0x9f: /* stack_value */
    case 0xe0: /* GNU_push_tls_address */
    case 0xf0: /* GNU_uninit */
        return 0;
    case 0x08: /* const1u */
    case 0x09: /* const1s */
    case 0x15: /* pick */
    case 0x94: /* deref_size */
    case 0x95: /* xderef_size */
        return 1;
    case 0x0a: /* const2u */
    case 0x0b: /* const2s */
    case 0x28: /* bra */
    case 0x2f: /* skip */
    case 0x98: /* call2 */
        return 2;
    case 0x0c: /* const4u */
    case 0x0d: /* const4s */
    case 0x99: /* call4 */
    case 0xfa: /* GNU_parameter_ref */
        return 4;
    case 0x0e: /* const8u */
    case 0x0f: /* const8s */
        return 8;
    case 0x9a: /* call_ref */
    case 0xfd: /* GNU_variable_value */
        return u->version == 2 ? (int)u->addr_size : (int)u->offset_size;
    default:
        return -1;
    }
}

/* Skips the operands of an operation that fixed_operands does not size. */
static int decoded_operands(struct rebase *rb, struct rb_section *s, const struct rb_unit *u,
                            struct dw_cursor *c, uint8_t op, unsigned depth)
{
    uint64_t op_at = c->pos - 1;
    if (op >= 0x70 && op <= 0x8f) { /* breg0..31 */
        dw_sleb(c);
        return 0;
    }
    switch (op) {
    case 0x10: /* constu */
    case 0x11: /* consts */
    case 0x23: /* plus_uconst */
    case 0x90: /* regx */
    case 0x91: /* fbreg */
    case 0x93: /* piece */
    case 0xa1: /* addrx */
    case 0xa2: /* constx */
    case 0xa8: /* convert */
    case 0xa9: /* reinterpret */
    case 0xf7: /* GNU_convert */
    case 0xf9: /* GNU_reinterpret */
    case 0xfb: /* GNU_addr_index */
    case 0xfc: /* GNU_const_index */
        dw_uleb(c);
        return 0;
    case 0x92: /* bregx */
    case 0x9d: /* bit_piece */
    case 0xa5: /* regval_type */
    case 0xf5: /* GNU_regval_type */
        dw_uleb(c);
        dw_uleb(c);
        return 0;
    case 0x9e: /* implicit_value */
        dw_skip(c, dw_uleb(c));
        return 0;
    case 0xa0: /* implicit_pointer */
    case 0xf2: /* GNU_implicit_pointer */
        dw_skip(c, u->version == 2 ? u->addr_size : u->offset_size);
        dw_sleb(c);
        return 0;
    case 0xa3: /* entry_value */
    case 0xf3: /* GNU_entry_value */
        return rb_expression(rb, s, u, dw_sub(c, dw_uleb(c)), depth + 1);
    case 0xa4: /* const_type */
    case 0xf4: /* GNU_const_type */
        dw_uleb(c);
        dw_skip(c, dw_u8(c));
        return 0;
    case 0xa6: /* deref_type */
    case 0xa7: /* xderef_type */
    case 0xf6: /* GNU_deref_type */
        dw_u8(c);
        dw_uleb(c);
        return 0;
    default:
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, op_at,
                       "DWARF expression operation 0x%02x not handled", op);
    }
}

int rb_expression(struct rebase *rb, struct rb_section *s, const struct rb_unit *u,
                  struct dw_cursor c, unsigned depth)
{
    if (depth > MAX_EXPR_DEPTH)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, c.pos, "expressions nested too deep");
    while (!c.bad && c.pos < c.end) {
        uint8_t op = dw_u8(&c);
        int n = fixed_operands(op, u);
        if (op == 0x03) { /* addr */
            if (dw_has(&c, u->addr_size) && rb_fix(rb, s, c.pos, u->addr_size) != 0)
                return -1;
            dw_skip(&c, u->addr_size);
        } else if (n >= 0) {
            dw_skip(&c, (uint64_t)n);
        } else if (decoded_operands(rb, s, u, &c, op, depth) != 0) {
            return -1;
        }
    }
    if (c.bad)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, c.pos, "expression runs past its length");
    return 0;
}
