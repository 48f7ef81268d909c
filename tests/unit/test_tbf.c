/*
 * The TBF parser (kernel/tbf.c), the builder behind `ksim pack`
 * (sim/image/tbf_pack.c), loading a TBF (kernel/appload.c) and the portable
 * SHA-256 (kernel/sha256.c).
 *
 * Each refusal test mutates one field of a real packed hello.elf, keeps
 * the rest valid (checksum and credential recomputed where the mutation
 * does not target them) and checks the reason, the offset of the field and
 * the message a user is shown. Inputs live in exact-size heap buffers, so
 * AddressSanitizer catches any read past them.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appload.h"
#include "err.h"
#include "fake_hal.h"
#include "image/appfile.h"
#include "image/tbf_pack.h"
#include "sha256.h"
#include "tbf.h"

#ifndef KSIM_APPS_DIR
#define KSIM_APPS_DIR "build/apps"
#endif

/* --- SHA-256 ---------------------------------------------------------------- */

static void hex(const uint8_t d[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void assert_sha256(const void *data, size_t len, const char *want)
{
    uint8_t d[32];
    char got[65];
    sha256(data, len, d);
    hex(d, got);
    cr_assert_str_eq(got, want, "SHA-256 of %zu bytes", len);
}

/* FIPS 180-4 examples and the usual long vectors (NIST CAVP, RFC 6234). */
Test(sha256, known_vectors)
{
    assert_sha256("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_sha256("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_sha256(two, strlen(two),
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *four =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklm"
        "nopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    assert_sha256(four, strlen(four),
                  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

Test(sha256, one_million_a)
{
    size_t n = 1000000;
    uint8_t *a = malloc(n);
    memset(a, 'a', n);
    assert_sha256(a, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Lengths around the 55/56/64-byte padding edges, hashed in odd pieces. */
Test(sha256, streaming_equals_one_shot)
{
    uint8_t buf[300];
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    for (size_t len = 0; len <= sizeof(buf); len++) {
        uint8_t one[32], many[32];
        struct sha256_ctx c;
        sha256(buf, len, one);
        sha256_init(&c);
        for (size_t at = 0, step = 1; at < len; at += step, step = step % 13 + 1)
            sha256_update(&c, buf + at, step < len - at ? step : len - at);
        sha256_final(&c, many);
        cr_assert_arr_eq(one, many, 32, "length %zu", len);
    }
}

/* The digest of whole files equals what coreutils' sha256sum prints. */
Test(sha256, matches_sha256sum_on_files)
{
    const char *apps[] = {"hello", "sleep", "malloc", "counter"};
    for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++) {
        char path[512], cmd[600], want[65] = "", got[65];
        size_t len;
        snprintf(path, sizeof(path), "%s/%s.elf", KSIM_APPS_DIR, apps[i]);
        uint8_t *bytes = fake_read_file(path, &len);
        snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
        FILE *p = popen(cmd, "r");
        cr_assert_not_null(p);
        cr_assert_eq(fscanf(p, "%64s", want), 1, "sha256sum printed nothing");
        pclose(p);
        uint8_t d[32];
        sha256(bytes, len, d);
        hex(d, got);
        cr_assert_str_eq(got, want, "%s", path);
        free(bytes);
    }
}

/* --- a packed hello.elf ------------------------------------------------------- */

static uint8_t *elf; /* hello.elf as built */
static size_t elf_len;
static uint8_t *tbf; /* a fresh packed copy for each test to mutate */
static size_t tbf_len;
static struct tbf_header hdr; /* of the unmutated pack */
static struct tbf_error terr;
static struct appload_error aerr;

static uint32_t rd32(const uint8_t *b, uint32_t off)
{
    return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 | (uint32_t)b[off + 2] << 16 |
           (uint32_t)b[off + 3] << 24;
}

static void wr16(uint32_t off, uint32_t v)
{
    cr_assert_leq(off + 2, tbf_len);
    tbf[off] = (uint8_t)v;
    tbf[off + 1] = (uint8_t)(v >> 8);
}

static void wr32(uint32_t off, uint32_t v)
{
    wr16(off, v & 0xffff);
    wr16(off + 2, v >> 16);
}

static void pack_with(const struct tbf_pack_options *o)
{
    char err[256] = "";
    free(tbf);
    cr_assert_eq(tbf_pack(elf, elf_len, fake_host_machine(), o, &tbf, &tbf_len, err, sizeof(err)),
                 0, "tbf_pack: %s", err);
    cr_assert_eq(tbf_parse(tbf, tbf_len, &hdr, &terr), 0, "the pack does not parse: %s at 0x%x",
                 tbf_why_field(terr.why), terr.offset);
}

static void setup(void)
{
    elf = fake_read_file(KSIM_APPS_DIR "/hello.elf", &elf_len);
    const struct tbf_pack_options o = {.package_name = "hello"};
    pack_with(&o);
}

static void teardown(void)
{
    free(elf);
    free(tbf);
    elf = tbf = NULL;
}

TestSuite(tbf, .init = setup, .fini = teardown);

/* Makes the header checksum right again after a mutation elsewhere. */
static void fix_checksum(void)
{
    uint16_t size = (uint16_t)(tbf[2] | tbf[3] << 8);
    wr32(12, tbf_checksum(tbf, size));
}

/* Makes the SHA-256 credential right again (hdr's layout still holds). */
static void fix_credential(void)
{
    tbf_integrity_digest(tbf, &hdr, tbf + hdr.sha256_offset);
}

/* The offset of the first header element of type t (0: none). */
static uint32_t find_tlv(uint32_t type)
{
    for (uint32_t at = TBF_BASE_SIZE; at + 4 <= hdr.header_size;) {
        uint32_t ty = tbf[at] | tbf[at + 1] << 8, len = tbf[at + 2] | tbf[at + 3] << 8;
        if (ty == type)
            return at;
        at += 4 + ((len + 3) & ~3u);
    }
    return 0;
}

/* tbf_parse refuses with why at offset; a copy of exactly len bytes is parsed. */
static void assert_refused_len(size_t len, enum tbf_why why, uint32_t offset)
{
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, tbf, len);
    struct tbf_header h;
    int rc = tbf_parse(copy, len, &h, &terr);
    free(copy);
    cr_assert_eq(rc, -KS_EINVAL, "accepted; expected '%s'", tbf_why_text(why));
    cr_assert_eq(terr.why, why, "refused for '%s' (field %s at 0x%x), expected '%s'",
                 tbf_why_text(terr.why), tbf_why_field(terr.why), terr.offset, tbf_why_text(why));
    cr_assert_eq(terr.offset, offset, "%s: offset 0x%x, expected 0x%x", tbf_why_text(why),
                 terr.offset, offset);
}

/* The refusal as a user sees it: file, field and offset in the message. */
static void assert_message(enum tbf_why why, uint32_t offset)
{
    struct fake_board fb;
    char msg[768], want[128];
    fake_board_init(&fb);
    cr_assert_lt(appload_file(&fb.k, "file", tbf, tbf_len, &aerr), 0);
    cr_assert_eq(aerr.stage, APPLOAD_TBF);
    cr_assert_eq(aerr.tbf.why, why, "appload refused for '%s'", tbf_why_text(aerr.tbf.why));
    cr_assert_eq(fb.k.procs[0].state, PROC_FREE, "a refused TBF took a slot");
    sim_appload_message("app.tbf", &aerr, "fake", msg, sizeof(msg));
    snprintf(want, sizeof(want), "app.tbf: TBF field '%s' at offset 0x%x: ", tbf_why_field(why),
             offset);
    cr_assert(strncmp(msg, want, strlen(want)) == 0, "message: %s\nexpected it to start: %s", msg,
              want);
    cr_assert(strstr(msg, tbf_why_text(why)) != NULL, "message: %s", msg);
    fake_board_fini(&fb);
}

static void assert_refused(enum tbf_why why, uint32_t offset)
{
    assert_refused_len(tbf_len, why, offset);
    assert_message(why, offset);
}

/* --- round trip ----------------------------------------------------------------- */

Test(tbf, pack_round_trip)
{
    cr_assert_eq(hdr.version, 2);
    cr_assert_eq(hdr.total_size, tbf_len);
    cr_assert_eq(hdr.header_size % 4, 0);
    cr_assert_eq(hdr.flags, TBF_FLAG_ENABLED);
    cr_assert(hdr.has_program);
    cr_assert_not(hdr.has_main);
    cr_assert_eq(hdr.protected_trailer_size, 0);
    cr_assert_eq(hdr.binary_offset, hdr.header_size);
    cr_assert_eq(hdr.name_len, 5);
    cr_assert(memcmp(tbf + hdr.name_offset, "hello", 5) == 0);
    cr_assert_eq(hdr.nwfr, 0);
    /* The binary is the ELF, byte for byte, padded to 4. */
    cr_assert_eq(hdr.binary_end_offset, hdr.binary_offset + ((elf_len + 3) & ~(size_t)3));
    cr_assert(memcmp(tbf + hdr.binary_offset, elf, elf_len) == 0);
    /* One SHA-256 credential: the digest of [0, binary_end_offset). */
    cr_assert(hdr.has_sha256);
    uint8_t d[32];
    sha256(tbf, hdr.binary_end_offset, d);
    cr_assert_arr_eq(tbf + hdr.sha256_offset, d, 32);
    cr_assert_eq(hdr.sha256_offset + 32, hdr.total_size);

    /* init_fn_offset is the ELF entry point's file offset; min RAM its span. */
    struct appload_info info, elf_info;
    cr_assert_eq(appload_inspect(fake_host_machine(), "x", tbf, tbf_len, &info, &aerr), 0);
    cr_assert_eq(appload_inspect(fake_host_machine(), "x", elf, elf_len, &elf_info, &aerr), 0);
    cr_assert(info.is_tbf);
    cr_assert_str_eq(info.name, "hello");
    cr_assert_eq(info.elf_len, hdr.binary_end_offset - hdr.binary_offset);
    cr_assert_eq(info.img.entry_off, elf_info.img.entry_off);
    cr_assert_eq(info.img.image_size, elf_info.img.image_size);
    cr_assert_eq(info.img.rela_count, elf_info.img.rela_count);
    cr_assert_eq(hdr.minimum_ram_size,
                 (elf_info.img.data_offset + elf_info.img.data_size + 3) & ~(uint64_t)3);
}

/* Loaded from the TBF, the process is the ELF's: same image, same start. */
Test(tbf, loads_like_the_elf)
{
    struct fake_board a, b;
    struct loader_error le;
    fake_board_init(&a);
    fake_board_init(&b);
    int slot = appload_file(&a.k, "file", tbf, tbf_len, &aerr);
    cr_assert_geq(slot, 0, "stage %d", aerr.stage);
    cr_assert_geq(kernel_load(&b.k, "hello", elf, elf_len, &le), 0);
    const struct proc *p = &a.k.procs[slot], *q = &b.k.procs[0];
    cr_assert_str_eq(p->name, "hello", "the package name names the process");
    cr_assert_eq(memcmp(&p->block, &q->block, sizeof(p->block)), 0);
    cr_assert_eq(a.last_start.entry, b.last_start.entry);
    cr_assert(memcmp(a.ram, b.ram, FAKE_RAM_SIZE) == 0, "RAM differs after loading");
    fake_board_fini(&a);
    fake_board_fini(&b);
}

Test(tbf, options_reach_the_header)
{
    const struct tbf_pack_options o = {
        .package_name = "org.example.counter",
        .minimum_ram_size = 0x40000,
        .binary_version = 7,
        .sticky = true,
        .nregions = 2,
        .region_size = {100, 4096},
    };
    pack_with(&o);
    cr_assert_eq(hdr.flags, TBF_FLAG_ENABLED | TBF_FLAG_STICKY);
    cr_assert_eq(hdr.minimum_ram_size, 0x40000);
    cr_assert_eq(hdr.binary_version, 7);
    cr_assert_eq(hdr.nwfr, 2);
    cr_assert_eq(hdr.wfr[0].size, 100);
    cr_assert_eq(hdr.wfr[1].size, 4096);
    cr_assert_geq(hdr.wfr[0].offset, hdr.binary_offset + elf_len, "regions follow the ELF");
    cr_assert_geq(hdr.wfr[1].offset, hdr.wfr[0].offset + 100);
    cr_assert_leq(hdr.wfr[1].offset + 4096, hdr.binary_end_offset);
    for (uint32_t i = 0; i < 100; i++)
        cr_assert_eq(tbf[hdr.wfr[0].offset + i], 0);
}

/* Data an app stores in its writeable flash region keeps the credential valid. */
Test(tbf, stored_data_keeps_the_credential)
{
    const struct tbf_pack_options o = {.package_name = "hello", .nregions = 1, .region_size = {64}};
    pack_with(&o);
    memset(tbf + hdr.wfr[0].offset, 0x5a, 64);
    struct tbf_header h;
    cr_assert_eq(tbf_parse(tbf, tbf_len, &h, &terr), 0, "%s", tbf_why_text(terr.why));
    /* A byte just before the region is covered. */
    tbf[hdr.wfr[0].offset - 1] ^= 1;
    assert_refused(TBF_BAD_CREDENTIAL, hdr.sha256_offset);
}

/* A bigger minimum_ram_size grows the process block; the heap takes it. */
Test(tbf, minimum_ram_size_grows_the_block)
{
    struct fake_board fb;
    fake_board_init(&fb);
    int small = appload_file(&fb.k, "a", tbf, tbf_len, &aerr);
    cr_assert_geq(small, 0);
    size_t small_size = fb.k.procs[small].block.end - fb.k.procs[small].block.start;
    const struct tbf_pack_options o = {.package_name = "big",
                                       .minimum_ram_size = (uint32_t)small_size + 0x8000};
    pack_with(&o);
    int big = appload_file(&fb.k, "b", tbf, tbf_len, &aerr);
    cr_assert_geq(big, 0, "stage %d", aerr.stage);
    const struct hal_block *b = &fb.k.procs[big].block;
    cr_assert_geq(b->end - b->start, small_size + 0x8000);
    cr_assert_geq(b->grant_start - b->brk, 0x8000, "the extra RAM is heap room");
    fake_board_fini(&fb);
}

/* --- refusals: one per field ---------------------------------------------------- */

Test(tbf, refuses_truncated_base_header)
{
    assert_refused_len(15, TBF_TRUNCATED, 15);
    tbf_len = 15;
    assert_message(TBF_TRUNCATED, 15);
}

Test(tbf, refuses_other_versions)
{
    wr16(0, 1);
    assert_refused(TBF_BAD_VERSION, 0);
}

/* Neither: the ELF loader names what the file is not. */
Test(tbf, a_file_neither_elf_nor_tbf_gets_the_elf_reason)
{
    memcpy(tbf, "#!/bin/sh\n", 10);
    struct appload_info info;
    cr_assert_eq(appload_inspect(fake_host_machine(), "x", tbf, tbf_len, &info, &aerr), -KS_EINVAL);
    cr_assert_eq(aerr.stage, APPLOAD_ELF);
    cr_assert_eq(aerr.elf.why, LOADER_BAD_MAGIC);
}

Test(tbf, refuses_header_size_below_16)
{
    wr16(2, 12);
    assert_refused(TBF_BAD_HEADER_SIZE, 2);
}

Test(tbf, refuses_header_size_not_a_multiple_of_4)
{
    wr16(2, hdr.header_size + 2);
    assert_refused(TBF_BAD_HEADER_SIZE, 2);
}

Test(tbf, refuses_header_size_past_total_size)
{
    wr32(4, 40);
    wr16(2, 44);
    assert_refused(TBF_BAD_HEADER_SIZE, 2);
}

Test(tbf, refuses_total_size_past_the_file)
{
    wr32(4, (uint32_t)tbf_len + 4);
    fix_checksum();
    assert_refused(TBF_BAD_TOTAL_SIZE, 4);
}

Test(tbf, refuses_reserved_flags)
{
    wr32(8, TBF_FLAG_ENABLED | 0x100);
    fix_checksum();
    assert_refused(TBF_BAD_FLAGS, 8);
}

Test(tbf, refuses_a_wrong_checksum)
{
    wr32(12, rd32(tbf, 12) ^ 0x10);
    assert_refused(TBF_BAD_CHECKSUM, 12);
}

Test(tbf, checksum_covers_every_header_word)
{
    /* A flipped bit in an element (the package name) shows as a checksum error. */
    tbf[hdr.name_offset] ^= 0x01;
    assert_refused(TBF_BAD_CHECKSUM, 12);
}

Test(tbf, refuses_an_element_past_the_header)
{
    uint32_t at = find_tlv(TBF_TLV_PACKAGE_NAME);
    cr_assert_neq(at, 0);
    wr16(at + 2, 200);
    fix_checksum();
    assert_refused(TBF_TLV_TRUNCATED, at + 2);
}

Test(tbf, refuses_a_main_element_of_the_wrong_length)
{
    uint32_t at = find_tlv(TBF_TLV_PROGRAM);
    wr16(at, TBF_TLV_MAIN); /* a Main of 20 bytes */
    fix_checksum();
    assert_refused(TBF_BAD_MAIN_LENGTH, at + 2);
}

Test(tbf, refuses_a_program_element_of_the_wrong_length)
{
    uint32_t at = find_tlv(TBF_TLV_PROGRAM);
    wr16(at + 2, 16);
    fix_checksum();
    assert_refused(TBF_BAD_PROGRAM_LENGTH, at + 2);
}

Test(tbf, refuses_no_main_or_program)
{
    uint32_t at = find_tlv(TBF_TLV_PROGRAM);
    wr16(at, 0x8001); /* an out-of-tree element ksim skips */
    fix_checksum();
    assert_refused(TBF_NO_PROGRAM, 2);
}

Test(tbf, refuses_a_bad_package_name)
{
    tbf[hdr.name_offset + 1] = 0xff; /* never valid in UTF-8 */
    fix_checksum();
    fix_credential();
    assert_refused(TBF_BAD_PACKAGE_NAME, hdr.name_offset);
}

Test(tbf, refuses_a_package_name_with_a_nul)
{
    tbf[hdr.name_offset + 4] = 0;
    fix_checksum();
    fix_credential();
    assert_refused(TBF_BAD_PACKAGE_NAME, hdr.name_offset);
}

Test(tbf, accepts_a_utf8_package_name)
{
    const struct tbf_pack_options o = {.package_name = "h\xc3\xa9llo-\xe2\x82\xac"};
    pack_with(&o); /* pack_with asserts it parses */
    cr_assert_eq(hdr.name_len, strlen(o.package_name));
}

/* The package name element, retyped: fixed-size elements of the wrong length. */
static void assert_retyped_name_refused(uint32_t type, enum tbf_why why)
{
    uint32_t at = find_tlv(TBF_TLV_PACKAGE_NAME); /* "hello": 5 bytes */
    wr16(at, type);
    fix_checksum();
    assert_refused(why, at + 2);
}

Test(tbf, refuses_fixed_addresses_of_the_wrong_length)
{
    assert_retyped_name_refused(TBF_TLV_FIXED_ADDRESSES, TBF_BAD_FIXED_LENGTH);
}

Test(tbf, refuses_a_kernel_version_of_the_wrong_length)
{
    assert_retyped_name_refused(TBF_TLV_KERNEL_VERSION, TBF_BAD_KERNEL_VERSION_LENGTH);
}

Test(tbf, refuses_a_short_id_of_the_wrong_length)
{
    assert_retyped_name_refused(TBF_TLV_SHORT_ID, TBF_BAD_SHORT_ID_LENGTH);
}

/* A 4-byte package name rewritten as a Kernel Version element major.minor. */
static uint32_t kernel_version_element(uint16_t major, uint16_t minor)
{
    const struct tbf_pack_options o = {.package_name = "abcd"};
    pack_with(&o);
    uint32_t at = find_tlv(TBF_TLV_PACKAGE_NAME);
    wr16(at, TBF_TLV_KERNEL_VERSION);
    wr16(at + 4, major);
    wr16(at + 6, minor);
    fix_checksum();
    fix_credential();
    return at;
}

Test(tbf, refuses_another_kernel_major)
{
    uint32_t at = kernel_version_element(3, 1);
    assert_refused(TBF_BAD_KERNEL_VERSION, at + 4);
}

Test(tbf, accepts_kernel_major_2)
{
    kernel_version_element(2, 7);
    struct tbf_header h;
    cr_assert_eq(tbf_parse(tbf, tbf_len, &h, &terr), 0, "%s", tbf_why_text(terr.why));
}

Test(tbf, refuses_more_than_4_writeable_regions)
{
    const struct tbf_pack_options o = {
        .package_name = "abcdefgh", .nregions = 4, .region_size = {8, 8, 8, 8}};
    pack_with(&o);
    /* The 8-byte name becomes one more region, before the four. */
    wr16(find_tlv(TBF_TLV_PACKAGE_NAME), TBF_TLV_WRITEABLE_FLASH_REGIONS);
    uint32_t wfr = find_tlv(TBF_TLV_WRITEABLE_FLASH_REGIONS);
    wfr += 4 + 8; /* the real one comes after the retyped name */
    fix_checksum();
    assert_refused(TBF_TOO_MANY_WFR, wfr + 2);
}

Test(tbf, refuses_a_binary_end_past_total_size)
{
    wr32(hdr.program_at + 12, hdr.total_size + 4);
    fix_checksum();
    assert_refused(TBF_BAD_BINARY_END, hdr.program_at + 12);
}

Test(tbf, refuses_a_binary_end_inside_the_header)
{
    wr32(hdr.program_at + 12, 8);
    fix_checksum();
    assert_refused(TBF_BAD_BINARY_END, hdr.program_at + 12);
}

Test(tbf, refuses_a_protected_trailer_past_the_binary)
{
    wr32(hdr.program_at + 4, hdr.total_size);
    fix_checksum();
    assert_refused(TBF_BAD_PROTECTED_SIZE, hdr.program_at + 4);
}

Test(tbf, refuses_an_init_offset_outside_the_binary)
{
    wr32(hdr.program_at, hdr.binary_end_offset);
    fix_checksum();
    fix_credential();
    assert_refused(TBF_BAD_INIT_OFFSET, hdr.program_at);
}

/* Valid for the container, but not where the ELF says its entry is. */
Test(tbf, refuses_an_init_offset_that_is_not_the_entry)
{
    wr32(hdr.program_at, hdr.init_fn_offset + 4);
    fix_checksum();
    fix_credential();
    struct tbf_header h;
    cr_assert_eq(tbf_parse(tbf, tbf_len, &h, &terr), 0, "the container itself is fine");
    assert_message(TBF_INIT_NOT_ENTRY, hdr.program_at);
}

Test(tbf, refuses_a_writeable_region_length_not_a_multiple_of_8)
{
    const struct tbf_pack_options o = {.package_name = "hello", .nregions = 1, .region_size = {64}};
    pack_with(&o);
    uint32_t at = find_tlv(TBF_TLV_WRITEABLE_FLASH_REGIONS);
    wr16(at + 2, 4);
    fix_checksum();
    assert_refused(TBF_BAD_WFR_LENGTH, at + 2);
}

Test(tbf, refuses_a_writeable_region_outside_the_binary)
{
    const struct tbf_pack_options o = {.package_name = "hello", .nregions = 1, .region_size = {64}};
    pack_with(&o);
    wr32(hdr.wfr[0].at + 4, hdr.binary_end_offset); /* size: runs past the binary */
    fix_checksum();
    assert_refused(TBF_BAD_WFR, hdr.wfr[0].at);
}

Test(tbf, refuses_a_footer_past_total_size)
{
    uint32_t footer = hdr.binary_end_offset;
    wr16(footer + 2, 40);
    assert_refused(TBF_FOOTER_TRUNCATED, footer + 2);
}

Test(tbf, refuses_a_footer_that_is_not_a_credential)
{
    uint32_t footer = hdr.binary_end_offset;
    wr16(footer, TBF_TLV_PACKAGE_NAME);
    assert_refused(TBF_BAD_FOOTER_TYPE, footer);
}

Test(tbf, refuses_a_sha256_credential_of_the_wrong_length)
{
    uint32_t footer = hdr.binary_end_offset;
    wr16(footer + 2, 12);
    assert_refused(TBF_BAD_CREDENTIAL_LENGTH, footer + 2);
}

Test(tbf, refuses_a_wrong_credential)
{
    tbf[hdr.binary_offset + 0x200] ^= 0x40; /* a bit of the ELF's code */
    assert_refused(TBF_BAD_CREDENTIAL, hdr.sha256_offset);
}

Test(tbf, accepts_a_reserved_credential_without_checking_it)
{
    wr32(hdr.binary_end_offset + 4, TBF_CRED_RESERVED);
    tbf[hdr.binary_offset + 0x200] ^= 0x40;
    struct tbf_header h;
    cr_assert_eq(tbf_parse(tbf, tbf_len, &h, &terr), 0);
    cr_assert_not(h.has_sha256);
}

Test(tbf, refuses_a_disabled_app)
{
    wr32(8, 0);
    fix_checksum();
    fix_credential();
    struct tbf_header h;
    cr_assert_eq(tbf_parse(tbf, tbf_len, &h, &terr), 0, "disabled is valid, just not started");
    assert_message(TBF_DISABLED, 8);
}

/* A broken ELF inside a good container: the ELF's reason, at its offset in the file. */
Test(tbf, names_elf_errors_at_their_offset_in_the_file)
{
    tbf[hdr.binary_offset + 18] = 0x34; /* e_machine */
    fix_credential();
    struct fake_board fb;
    char msg[768], want[160];
    fake_board_init(&fb);
    cr_assert_lt(appload_file(&fb.k, "file", tbf, tbf_len, &aerr), 0);
    cr_assert_eq(aerr.stage, APPLOAD_ELF);
    cr_assert_eq(aerr.elf.why, LOADER_WRONG_MACHINE);
    sim_appload_message("app.tbf", &aerr, "fake", msg, sizeof(msg));
    snprintf(want, sizeof(want), "app.tbf: offset 0x%x (ELF binary at 0x%x): %s",
             hdr.binary_offset + 18, hdr.binary_offset, loader_why_text(LOADER_WRONG_MACHINE));
    cr_assert(strncmp(msg, want, strlen(want)) == 0, "message: %s", msg);
    fake_board_fini(&fb);
}

/* Every prefix of the header region, and around the footer, is refused cleanly. */
Test(tbf, every_truncation_is_refused)
{
    struct tbf_header h;
    for (size_t n = 0; n < tbf_len; n = n < hdr.binary_offset + 64 ? n + 1 : n + 997) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, tbf, n);
        cr_assert_eq(tbf_parse(copy, n, &h, &terr), -KS_EINVAL, "prefix of %zu bytes accepted", n);
        free(copy);
    }
    for (size_t n = hdr.binary_end_offset - 8; n < tbf_len; n++) {
        uint8_t *copy = malloc(n);
        memcpy(copy, tbf, n);
        cr_assert_eq(tbf_parse(copy, n, &h, &terr), -KS_EINVAL, "prefix of %zu bytes accepted", n);
        cr_assert_eq(terr.why, TBF_BAD_TOTAL_SIZE);
        free(copy);
    }
}
