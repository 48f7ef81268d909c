/*
 * A bounded little-endian reader over one section of an untrusted file.
 * Every read checks the remaining length; a read past the end returns 0 and
 * sets `bad`, which stays set, so a parser can read a whole record and test
 * once. Nothing here reads or writes outside [buf, buf + end).
 */
#ifndef KSIM_SIM_DEBUG_DWARF_CURSOR_H
#define KSIM_SIM_DEBUG_DWARF_CURSOR_H

#include <stdbool.h>
#include <stdint.h>

struct dw_cursor {
    uint8_t *buf; /* the section (the cursor may write addresses back into it) */
    uint64_t pos; /* next byte to read, relative to buf */
    uint64_t end; /* one past the last byte this cursor may read */
    bool bad;     /* a read went past end */
};

static inline struct dw_cursor dw_cursor_make(uint8_t *buf, uint64_t pos, uint64_t end)
{
    struct dw_cursor c = {buf, pos, end, pos > end};
    return c;
}

static inline bool dw_has(const struct dw_cursor *c, uint64_t n)
{
    return !c->bad && c->pos <= c->end && n <= c->end - c->pos;
}

static inline bool dw_skip(struct dw_cursor *c, uint64_t n)
{
    if (!dw_has(c, n)) {
        c->bad = true;
        return false;
    }
    c->pos += n;
    return true;
}

/* An n-byte unsigned value (n <= 8). */
static inline uint64_t dw_un(struct dw_cursor *c, unsigned n)
{
    uint64_t v = 0;
    if (!dw_has(c, n)) {
        c->bad = true;
        return 0;
    }
    for (unsigned i = n; i-- > 0;)
        v = (v << 8) | c->buf[c->pos + i];
    c->pos += n;
    return v;
}

static inline uint8_t dw_u8(struct dw_cursor *c)
{
    return (uint8_t)dw_un(c, 1);
}

static inline uint16_t dw_u16(struct dw_cursor *c)
{
    return (uint16_t)dw_un(c, 2);
}

/* Unsigned LEB128; more than 64 bits of value is malformed. */
static inline uint64_t dw_uleb(struct dw_cursor *c)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        uint8_t b = dw_u8(c);
        if (c->bad || shift > 63) {
            c->bad = true;
            return 0;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

/* Signed LEB128, only skipped or compared: returned as its two's complement bits. */
static inline int64_t dw_sleb(struct dw_cursor *c)
{
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = dw_u8(c);
        if (c->bad || shift > 63) {
            c->bad = true;
            return 0;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40))
        v |= ~(uint64_t)0 << shift;
    return (int64_t)v;
}

/*
 * A DWARF initial length: 4 bytes, or 0xffffffff and 8 bytes (64-bit
 * DWARF, whose section offsets are then 8 bytes: *offset_size).
 */
static inline uint64_t dw_initial_length(struct dw_cursor *c, unsigned *offset_size)
{
    uint64_t len = dw_un(c, 4);
    *offset_size = 4;
    if (len == 0xffffffffu) {
        *offset_size = 8;
        len = dw_un(c, 8);
    } else if (len >= 0xfffffff0u) {
        c->bad = true; /* reserved values */
    }
    return len;
}

/* A cursor over the next len bytes; c moves past them. */
static inline struct dw_cursor dw_sub(struct dw_cursor *c, uint64_t len)
{
    struct dw_cursor s = dw_cursor_make(c->buf, c->pos, c->pos);
    if (dw_skip(c, len))
        s.end = c->pos;
    else
        s.bad = true;
    return s;
}

#endif /* KSIM_SIM_DEBUG_DWARF_CURSOR_H */
