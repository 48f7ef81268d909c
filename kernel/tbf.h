/*
 * Tock Binary Format (TBF) version 2: the container Tock's kernel finds apps
 * in. A base header (version, header_size, total_size, flags, checksum),
 * TLV elements (Main or Program, Package Name, Writeable Flash Regions...),
 * the userspace binary, then footers (credentials) up to total_size.
 *
 * The parser checks every field before it trusts it, reads nothing outside
 * its input, and names the refused field and its file offset.
 */
#ifndef KSIM_KERNEL_TBF_H
#define KSIM_KERNEL_TBF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TBF_VERSION      2
#define TBF_BASE_SIZE    16 /* version, header_size, total_size, flags, checksum */
#define TBF_TLV_HEADER   4  /* type (u16), length (u16) */
#define TBF_FLAG_ENABLED 0x1u
#define TBF_FLAG_STICKY  0x2u
#define TBF_FLAGS_KNOWN  (TBF_FLAG_ENABLED | TBF_FLAG_STICKY)
#define TBF_MAX_WFR      4 /* writeable flash regions ksim keeps per app */

/* Element types (Tock's numbers). */
enum tbf_tlv_type {
    TBF_TLV_MAIN = 1,
    TBF_TLV_WRITEABLE_FLASH_REGIONS = 2,
    TBF_TLV_PACKAGE_NAME = 3,
    TBF_TLV_FIXED_ADDRESSES = 5,
    TBF_TLV_PERMISSIONS = 6,
    TBF_TLV_STORAGE_PERMISSIONS = 7,
    TBF_TLV_KERNEL_VERSION = 8,
    TBF_TLV_PROGRAM = 9,
    TBF_TLV_SHORT_ID = 10,
    TBF_TLV_CREDENTIALS = 128, /* footers only */
};

/* Lengths of the fixed-size elements' data. */
#define TBF_MAIN_LEN           12 /* init_fn_offset, protected_trailer_size, minimum_ram_size */
#define TBF_PROGRAM_LEN        20 /* ... and binary_end_offset, version */
#define TBF_WFR_ENTRY_LEN      8  /* offset, size */
#define TBF_FIXED_LEN          8
#define TBF_KERNEL_VERSION_LEN 4
#define TBF_SHORT_ID_LEN       4

/* Credential formats (the first word of a Credentials footer). */
enum tbf_credential_format {
    TBF_CRED_RESERVED = 0, /* padding: any length, nothing to check */
    TBF_CRED_RSA3072 = 1,
    TBF_CRED_RSA4096 = 2,
    TBF_CRED_SHA256 = 3,
    TBF_CRED_SHA384 = 4,
    TBF_CRED_SHA512 = 5,
};

/* The kernel ABI major version ksim speaks (Tock 2.x). */
#define TBF_KERNEL_MAJOR 2

/* Why a TBF was refused: (name, field, reason). */
#define TBF_WHY_MAP(XX)                                                                            \
    XX(NONE, "-", "no error")                                                                      \
    XX(TRUNCATED, "base header", "the file ends inside the 16-byte base header")                   \
    XX(BAD_VERSION, "version", "not TBF version 2 (nor an ELF file)")                              \
    XX(BAD_HEADER_SIZE, "header_size",                                                             \
       "smaller than the 16-byte base header, not a multiple of 4, or larger than total_size")     \
    XX(BAD_TOTAL_SIZE, "total_size", "larger than the file")                                       \
    XX(BAD_FLAGS, "flags", "reserved bits (2-31) are set")                                         \
    XX(DISABLED, "flags", "the app is disabled (bit 0 clear), so it is not started")               \
    XX(BAD_CHECKSUM, "checksum", "not the XOR of the header's other 32-bit words")                 \
    XX(TLV_TRUNCATED, "TLV length", "the element runs past the end of the header")                 \
    XX(BAD_MAIN_LENGTH, "Main TLV length", "not 12")                                               \
    XX(BAD_PROGRAM_LENGTH, "Program TLV length", "not 20")                                         \
    XX(BAD_WFR_LENGTH, "Writeable Flash Regions TLV length", "not a multiple of 8")                \
    XX(TOO_MANY_WFR, "Writeable Flash Regions TLV length", "more than 4 regions")                  \
    XX(BAD_WFR, "writeable flash region", "lies outside the binary or is empty")                   \
    XX(BAD_PACKAGE_NAME, "package_name", "not UTF-8, or holds a NUL byte")                         \
    XX(BAD_FIXED_LENGTH, "Fixed Addresses TLV length", "not 8")                                    \
    XX(BAD_KERNEL_VERSION_LENGTH, "Kernel Version TLV length", "not 4")                            \
    XX(BAD_KERNEL_VERSION, "kernel major version", "the app needs another kernel major than 2")    \
    XX(BAD_SHORT_ID_LENGTH, "Short ID TLV length", "not 4")                                        \
    XX(NO_PROGRAM, "Main/Program TLV",                                                             \
       "neither a Main nor a Program element: a padding object, not an app")                       \
    XX(BAD_BINARY_END, "binary_end_offset", "before the end of the header, or past total_size")    \
    XX(BAD_PROTECTED_SIZE, "protected_trailer_size", "runs past the end of the binary")            \
    XX(BAD_INIT_OFFSET, "init_fn_offset", "points outside the binary")                             \
    XX(INIT_NOT_ENTRY, "init_fn_offset", "is not the entry point of the ELF inside")               \
    XX(FOOTER_TRUNCATED, "footer TLV", "the footer runs past total_size")                          \
    XX(BAD_FOOTER_TYPE, "footer type", "footers must be Credentials (type 128)")                   \
    XX(BAD_CREDENTIAL_LENGTH, "credential length", "a SHA-256 credential is 4 + 32 bytes")         \
    XX(BAD_CREDENTIAL, "credential",                                                               \
       "the SHA-256 of the header and binary does not match the footer")

enum tbf_why {
#define TBF_WHY_ENUM(name, field, text) TBF_##name,
    TBF_WHY_MAP(TBF_WHY_ENUM)
#undef TBF_WHY_ENUM
};

struct tbf_error {
    enum tbf_why why;
    uint32_t offset; /* file offset of the refused field */
    uint32_t value;  /* the refused value, where one helps */
};

/* A writeable flash region, as offsets from the start of the TBF object. */
struct tbf_wfr {
    uint32_t offset, size;
    uint32_t at; /* file offset of this entry, for messages */
};

/* What parsing learnt. Offsets are from the start of the TBF object. */
struct tbf_header {
    uint16_t version, header_size;
    uint32_t total_size, flags, checksum;
    bool has_main, has_program; /* Program wins when both are there */
    uint32_t program_at;        /* file offset of the Main or Program data used */
    uint32_t init_fn_offset;    /* from the end of the header (Tock's rule) */
    uint32_t protected_trailer_size;
    uint32_t minimum_ram_size;
    uint32_t binary_end_offset; /* total_size without a Program element */
    uint32_t binary_version;
    uint32_t binary_offset;         /* header_size + protected_trailer_size */
    uint32_t name_offset, name_len; /* the package name's bytes; name_len 0: none */
    unsigned nwfr;
    struct tbf_wfr wfr[TBF_MAX_WFR];
    bool has_sha256;        /* a SHA-256 credential was found and matched */
    uint32_t sha256_offset; /* file offset of its digest */
};

/* Field name and reason of a refusal. */
const char *tbf_why_field(enum tbf_why why);
const char *tbf_why_text(enum tbf_why why);

/*
 * Checks file[0..len) as one TBF object (bytes after total_size are not
 * its own and are ignored). Every SHA-256 credential is checked over
 * [0, binary_end_offset), with writeable flash regions counted as zeros so
 * data an app stores there does not break it. 0, or -KS_EINVAL with *err.
 */
int tbf_parse(const uint8_t *file, size_t len, struct tbf_header *h, struct tbf_error *err);

/*
 * The SHA-256 a credential of h must hold (the same rule as tbf_parse).
 * file holds at least h->binary_end_offset bytes.
 */
void tbf_integrity_digest(const uint8_t *file, const struct tbf_header *h, uint8_t digest[32]);

/* The XOR of the header's 32-bit words but the checksum's own (base[0..header_size)). */
uint32_t tbf_checksum(const uint8_t *header, uint16_t header_size);

#endif /* KSIM_KERNEL_TBF_H */
