/*
 * TBF parser. Fields are read with bounds-checked little-endian helpers;
 * every length is compared with what is left before it is used, so no
 * read leaves [0, total_size) and no sum overflows (all values are 32-bit,
 * sums are done in 64 bits).
 */
#include "tbf.h"

#include "err.h"
#include "klib.h"
#include "sha256.h"

const char *tbf_why_field(enum tbf_why why)
{
    switch (why) {
#define TBF_WHY_FIELD(name, field, text)                                                           \
    case TBF_##name:                                                                               \
        return field;
        TBF_WHY_MAP(TBF_WHY_FIELD)
#undef TBF_WHY_FIELD
    }
    return "?";
}

const char *tbf_why_text(enum tbf_why why)
{
    switch (why) {
#define TBF_WHY_TEXT(name, field, text)                                                            \
    case TBF_##name:                                                                               \
        return text;
        TBF_WHY_MAP(TBF_WHY_TEXT)
#undef TBF_WHY_TEXT
    }
    return "unknown TBF error";
}

static int fail(struct tbf_error *err, enum tbf_why why, uint64_t offset, uint64_t value)
{
    err->why = why;
    err->offset = (uint32_t)offset;
    err->value = (uint32_t)value;
    return -KS_EINVAL;
}

/* Little-endian reads; callers have checked that the bytes are there. */
static uint32_t rd16(const uint8_t *b, uint64_t off)
{
    return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8;
}

static uint32_t rd32(const uint8_t *b, uint64_t off)
{
    return rd16(b, off) | rd16(b, off + 2) << 16;
}

uint32_t tbf_checksum(const uint8_t *header, uint16_t header_size)
{
    uint32_t x = 0;
    for (uint32_t at = 0; at + 4 <= header_size; at += 4)
        if (at != 12) /* the checksum word itself */
            x ^= rd32(header, at);
    return x;
}

/* The base header: lengths, flags and checksum. */
static int parse_base(const uint8_t *f, size_t len, struct tbf_header *h, struct tbf_error *err)
{
    if (len < TBF_BASE_SIZE)
        return fail(err, TBF_TRUNCATED, len, len);
    h->version = (uint16_t)rd16(f, 0);
    h->header_size = (uint16_t)rd16(f, 2);
    h->total_size = rd32(f, 4);
    h->flags = rd32(f, 8);
    h->checksum = rd32(f, 12);
    if (h->version != TBF_VERSION)
        return fail(err, TBF_BAD_VERSION, 0, h->version);
    if (h->header_size < TBF_BASE_SIZE || h->header_size % 4 != 0 || h->header_size > h->total_size)
        return fail(err, TBF_BAD_HEADER_SIZE, 2, h->header_size);
    if (h->total_size > len)
        return fail(err, TBF_BAD_TOTAL_SIZE, 4, h->total_size);
    if (h->flags & ~TBF_FLAGS_KNOWN)
        return fail(err, TBF_BAD_FLAGS, 8, h->flags);
    if (tbf_checksum(f, h->header_size) != h->checksum)
        return fail(err, TBF_BAD_CHECKSUM, 12, h->checksum);
    return 0;
}

/* Continuation bytes a UTF-8 lead byte announces; 4 for a byte that cannot lead. */
static unsigned utf8_more(uint8_t c)
{
    if (c < 0x80)
        return 0;
    if (c >= 0xc2 && c < 0xe0) /* 0xc0 and 0xc1 would be overlong */
        return 1;
    if ((c & 0xf0) == 0xe0)
        return 2;
    if (c >= 0xf0 && c < 0xf5)
        return 3;
    return 4;
}

/* A package name is UTF-8 without NUL bytes (it becomes a process name). */
static bool valid_name(const uint8_t *s, uint32_t len)
{
    uint32_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        unsigned more = utf8_more(c);
        if (c == 0 || more == 4 || more > len - i - 1)
            return false;
        for (unsigned k = 1; k <= more; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
        i += more + 1;
    }
    return true;
}

/* The fixed-layout part of Main (12 bytes) and Program (20 bytes). */
static void read_program(const uint8_t *f, uint32_t at, bool program, struct tbf_header *h)
{
    h->init_fn_offset = rd32(f, at);
    h->protected_trailer_size = rd32(f, at + 4);
    h->minimum_ram_size = rd32(f, at + 8);
    if (program) {
        h->binary_end_offset = rd32(f, at + 12);
        h->binary_version = rd32(f, at + 16);
    }
}

/* One element of the header; at is its data, tlv_at its type field. */
static int parse_element(const uint8_t *f, uint32_t type, uint32_t at, uint32_t length,
                         uint32_t tlv_at, struct tbf_header *h, struct tbf_error *err)
{
    switch (type) {
    case TBF_TLV_MAIN:
        if (length != TBF_MAIN_LEN)
            return fail(err, TBF_BAD_MAIN_LENGTH, tlv_at + 2, length);
        if (!h->has_main && !h->has_program) {
            read_program(f, at, false, h);
            h->program_at = at;
        }
        h->has_main = true;
        return 0;
    case TBF_TLV_PROGRAM:
        if (length != TBF_PROGRAM_LEN)
            return fail(err, TBF_BAD_PROGRAM_LENGTH, tlv_at + 2, length);
        if (!h->has_program) { /* the first Program wins, also over a Main */
            read_program(f, at, true, h);
            h->program_at = at;
        }
        h->has_program = true;
        return 0;
    case TBF_TLV_WRITEABLE_FLASH_REGIONS:
        if (length % TBF_WFR_ENTRY_LEN != 0)
            return fail(err, TBF_BAD_WFR_LENGTH, tlv_at + 2, length);
        for (uint32_t i = 0; i < length; i += TBF_WFR_ENTRY_LEN) {
            if (h->nwfr == TBF_MAX_WFR)
                return fail(err, TBF_TOO_MANY_WFR, tlv_at + 2, length);
            h->wfr[h->nwfr].offset = rd32(f, at + i);
            h->wfr[h->nwfr].size = rd32(f, at + i + 4);
            h->wfr[h->nwfr].at = at + i;
            h->nwfr++;
        }
        return 0;
    case TBF_TLV_PACKAGE_NAME:
        if (!valid_name(f + at, length))
            return fail(err, TBF_BAD_PACKAGE_NAME, at, length);
        h->name_offset = at;
        h->name_len = length;
        return 0;
    case TBF_TLV_FIXED_ADDRESSES:
        return length == TBF_FIXED_LEN ? 0 : fail(err, TBF_BAD_FIXED_LENGTH, tlv_at + 2, length);
    case TBF_TLV_KERNEL_VERSION:
        if (length != TBF_KERNEL_VERSION_LEN)
            return fail(err, TBF_BAD_KERNEL_VERSION_LENGTH, tlv_at + 2, length);
        /* Compatible with kernel ^major.minor: the same major. */
        if (rd16(f, at) != TBF_KERNEL_MAJOR)
            return fail(err, TBF_BAD_KERNEL_VERSION, at, rd16(f, at));
        return 0;
    case TBF_TLV_SHORT_ID:
        return length == TBF_SHORT_ID_LEN ? 0
                                          : fail(err, TBF_BAD_SHORT_ID_LENGTH, tlv_at + 2, length);
    default:
        return 0; /* permissions and unknown elements: not ksim's business, skipped */
    }
}

/* The TLV elements between the base header and header_size. */
static int parse_elements(const uint8_t *f, struct tbf_header *h, struct tbf_error *err)
{
    uint32_t at = TBF_BASE_SIZE, end = h->header_size;
    while (at < end) {
        if (end - at < TBF_TLV_HEADER)
            return fail(err, TBF_TLV_TRUNCATED, at, end - at);
        uint32_t type = rd16(f, at), length = rd16(f, at + 2);
        /* Elements are padded to 4 bytes; the padding must fit as well. */
        uint32_t padded = (length + 3u) & ~3u;
        if (padded > end - at - TBF_TLV_HEADER)
            return fail(err, TBF_TLV_TRUNCATED, at + 2, length);
        int rc = parse_element(f, type, at + TBF_TLV_HEADER, length, at, h, err);
        if (rc)
            return rc;
        at += TBF_TLV_HEADER + padded;
    }
    return 0;
}

/* Where the binary lies, and that init and the writeable regions are inside it. */
static int check_binary(struct tbf_header *h, struct tbf_error *err)
{
    uint32_t at = h->program_at; /* init, protected, min RAM, binary end, version */
    if (!h->has_main && !h->has_program)
        return fail(err, TBF_NO_PROGRAM, 2, h->header_size);
    if (!h->has_program)
        h->binary_end_offset = h->total_size;
    if (h->binary_end_offset < h->header_size || h->binary_end_offset > h->total_size)
        return fail(err, TBF_BAD_BINARY_END, at + 12, h->binary_end_offset);
    uint64_t binary_start = (uint64_t)h->header_size + h->protected_trailer_size;
    if (binary_start > h->binary_end_offset)
        return fail(err, TBF_BAD_PROTECTED_SIZE, at + 4, h->protected_trailer_size);
    h->binary_offset = (uint32_t)binary_start;
    /* init_fn_offset counts from the end of the header, protected trailer included. */
    if ((uint64_t)h->header_size + h->init_fn_offset < binary_start ||
        (uint64_t)h->header_size + h->init_fn_offset >= h->binary_end_offset)
        return fail(err, TBF_BAD_INIT_OFFSET, at, h->init_fn_offset);
    for (unsigned i = 0; i < h->nwfr; i++) {
        const struct tbf_wfr *w = &h->wfr[i];
        if (w->size == 0 || w->offset < binary_start ||
            (uint64_t)w->offset + w->size > h->binary_end_offset)
            return fail(err, TBF_BAD_WFR, w->at, w->offset);
    }
    return 0;
}

void tbf_integrity_digest(const uint8_t *file, const struct tbf_header *h, uint8_t digest[32])
{
    static const uint8_t zeros[64];
    struct sha256_ctx c;
    uint32_t at = 0;

    sha256_init(&c);
    while (at < h->binary_end_offset) {
        /* The next writeable region at or after `at`, if any, hashes as zeros. */
        uint32_t next = h->binary_end_offset, wend = 0;
        for (unsigned i = 0; i < h->nwfr; i++) {
            uint32_t s = h->wfr[i].offset, e = s + h->wfr[i].size;
            if (e > at && s < next) {
                next = s > at ? s : at;
                wend = e;
            }
        }
        sha256_update(&c, file + at, next - at);
        for (at = next; at < wend && at < h->binary_end_offset;) {
            uint32_t n = wend - at > sizeof(zeros) ? sizeof(zeros) : wend - at;
            sha256_update(&c, zeros, n);
            at += n;
        }
    }
    sha256_final(&c, digest);
}

/* A SHA-256 credential's digest against the integrity region. */
static bool digest_matches(const uint8_t *f, const struct tbf_header *h, uint32_t at)
{
    uint8_t want[SHA256_DIGEST_LEN];
    uint8_t diff = 0;
    tbf_integrity_digest(f, h, want);
    for (unsigned i = 0; i < SHA256_DIGEST_LEN; i++)
        diff |= want[i] ^ f[at + i];
    return diff == 0;
}

/* Footers from binary_end_offset to total_size: Credentials only. */
static int parse_footers(const uint8_t *f, struct tbf_header *h, struct tbf_error *err)
{
    uint32_t at = h->binary_end_offset, end = h->total_size;
    while (at < end) {
        if (end - at < TBF_TLV_HEADER + 4)
            return fail(err, TBF_FOOTER_TRUNCATED, at, end - at);
        uint32_t type = rd16(f, at), length = rd16(f, at + 2);
        if (type != TBF_TLV_CREDENTIALS)
            return fail(err, TBF_BAD_FOOTER_TYPE, at, type);
        if (length < 4 || length > end - at - TBF_TLV_HEADER)
            return fail(err, TBF_FOOTER_TRUNCATED, at + 2, length);
        uint32_t format = rd32(f, at + 4), data = at + 8;
        if (format == TBF_CRED_SHA256) {
            if (length != 4 + SHA256_DIGEST_LEN)
                return fail(err, TBF_BAD_CREDENTIAL_LENGTH, at + 2, length);
            if (!digest_matches(f, h, data))
                return fail(err, TBF_BAD_CREDENTIAL, data, format);
            h->has_sha256 = true;
            h->sha256_offset = data;
        }
        /* Reserved (padding) and formats ksim cannot check are passed over. */
        uint32_t padded = (length + 3u) & ~3u;
        if (padded > end - at - TBF_TLV_HEADER)
            break; /* unpadded last footer ends exactly at total_size */
        at += TBF_TLV_HEADER + padded;
    }
    return 0;
}

int tbf_parse(const uint8_t *file, size_t len, struct tbf_header *h, struct tbf_error *err)
{
    int rc;
    klib_fill(h, 0, sizeof(*h));
    err->why = TBF_NONE;
    err->offset = err->value = 0;
    rc = parse_base(file, len, h, err);
    if (rc)
        return rc;
    rc = parse_elements(file, h, err);
    if (rc)
        return rc;
    rc = check_binary(h, err);
    if (rc)
        return rc;
    return parse_footers(file, h, err);
}
