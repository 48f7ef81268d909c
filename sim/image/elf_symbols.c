/* Symbol lookup in an app's .symtab, every offset checked against the file. */
#include "image/elf_symbols.h"

#include "image/elf_bytes.h"

#include <string.h>

#define SHT_SYMTAB 2
#define STT_OBJECT 1
#define STT_FUNC   2

struct table {
    uint64_t off, size; /* symbols */
    uint64_t str_off, str_size;
};

static bool find_symtab(const uint8_t *f, size_t len, struct table *t)
{
    if (len < 64 || memcmp(f, "\177ELF", 4) != 0 || f[4] != 2 || f[5] != 1)
        return false;
    uint64_t shoff = elf_rd(f, 0x28, 8), shentsize = elf_rd(f, 0x3a, 2), shnum = elf_rd(f, 0x3c, 2);
    if (shentsize != 64 || !elf_in_file(shoff, shnum * 64, len))
        return false;
    for (uint64_t i = 0; i < shnum; i++) {
        uint64_t sh = shoff + i * 64, link = elf_rd(f, sh + 0x28, 4);
        if (elf_rd(f, sh + 4, 4) != SHT_SYMTAB || link >= shnum)
            continue;
        uint64_t lsh = shoff + link * 64;
        t->off = elf_rd(f, sh + 0x18, 8);
        t->size = elf_rd(f, sh + 0x20, 8);
        t->str_off = elf_rd(f, lsh + 0x18, 8);
        t->str_size = elf_rd(f, lsh + 0x20, 8);
        return elf_in_file(t->off, t->size, len) && elf_in_file(t->str_off, t->str_size, len);
    }
    return false;
}

bool elf_symbolize(const uint8_t *file, size_t len, uint64_t vaddr, char *name, size_t cap,
                   uint64_t *offset)
{
    struct table t;
    uint64_t best = 0, best_value = 0;
    bool found = false;
    if (cap == 0 || !find_symtab(file, len, &t))
        return false;
    for (uint64_t at = t.off; at + 24 <= t.off + t.size; at += 24) {
        unsigned type = file[at + 4] & 0xf;
        uint64_t value = elf_rd(file, at + 8, 8), size = elf_rd(file, at + 16, 8);
        if ((type != STT_FUNC && type != STT_OBJECT) || vaddr < value)
            continue;
        if (vaddr - value >= (size ? size : 1))
            continue;
        if (!found || value > best_value) {
            best = at;
            best_value = value;
            found = true;
        }
    }
    if (!found)
        return false;
    uint64_t str = elf_rd(file, best, 4);
    if (str >= t.str_size)
        return false;
    size_t n = 0;
    const char *s = (const char *)file + t.str_off + str;
    while (n + 1 < cap && str + n < t.str_size && s[n] != '\0') {
        name[n] = s[n];
        n++;
    }
    name[n] = '\0';
    *offset = vaddr - best_value;
    return n > 0;
}
