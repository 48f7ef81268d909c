/* Finding ksim-cc's build record among an ELF's notes, every offset checked. */
#define _GNU_SOURCE
#include "image/build_note.h"

#include "image/elf_bytes.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PT_NOTE               4u
#define NT_FDO_PACKAGING_META 0xcafe1a7eu

static uint64_t align4(uint64_t v)
{
    return (v + 3) & ~(uint64_t)3;
}

/* The JSON text of the first FDO packaging note in [off, off+size), or NULL. */
static const char *fdo_note(const uint8_t *f, uint64_t off, uint64_t size, uint64_t *json_len)
{
    uint64_t at = off, end = off + size;
    while (end - at >= 12) {
        uint64_t namesz = elf_rd(f, at, 4), descsz = elf_rd(f, at + 4, 4),
                 type = elf_rd(f, at + 8, 4);
        uint64_t name = at + 12, desc = name + align4(namesz);
        /* Sizes come from the file: each step must stay inside the segment. */
        if (namesz > end - name || align4(namesz) > end - name || descsz > end - desc)
            return NULL;
        if (type == NT_FDO_PACKAGING_META && namesz == 4 && memcmp(f + name, "FDO", 4) == 0) {
            *json_len = descsz;
            return (const char *)f + desc;
        }
        if (align4(descsz) > end - desc)
            return NULL;
        at = desc + align4(descsz);
    }
    return NULL;
}

static enum build_note_status from_json(const char *text, uint64_t len, struct build_note *n)
{
    cJSON *root = cJSON_ParseWithLength(text, (size_t)len);
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(root, "ksim-cc");
    const cJSON *cc = cJSON_GetObjectItemCaseSensitive(rec, "cc");
    const cJSON *cwd = cJSON_GetObjectItemCaseSensitive(rec, "cwd");
    const cJSON *argv = cJSON_GetObjectItemCaseSensitive(rec, "argv"), *arg;
    bool strings = cJSON_IsString(cc) && cJSON_IsString(cwd) && cJSON_IsArray(argv);
    cJSON_ArrayForEach(arg, argv) strings = strings && cJSON_IsString(arg);
    memset(n, 0, sizeof(*n));
    if (!strings) {
        cJSON_Delete(root);
        return BUILD_NOTE_NONE; /* another tool's packaging note */
    }
    bool ok = (n->cc = strdup(cc->valuestring)) && (n->cwd = strdup(cwd->valuestring)) &&
              (n->argv = calloc((size_t)cJSON_GetArraySize(argv) + 1, sizeof(char *)));
    cJSON_ArrayForEach(arg, argv)
    {
        if (!ok || !(n->argv[n->argc] = strdup(arg->valuestring)))
            ok = false;
        else
            n->argc++;
    }
    cJSON_Delete(root);
    if (!ok)
        build_note_free(n);
    return ok ? BUILD_NOTE_FOUND : BUILD_NOTE_NOMEM;
}

enum build_note_status build_note_find(const uint8_t *f, size_t len, struct build_note *out)
{
    memset(out, 0, sizeof(*out));
    if (len < 64 || memcmp(f, "\177ELF", 4) != 0 || f[4] != 2 || f[5] != 1)
        return BUILD_NOTE_NONE;
    uint64_t phoff = elf_rd(f, 0x20, 8), phentsize = elf_rd(f, 0x36, 2), phnum = elf_rd(f, 0x38, 2);
    if (phentsize != 56 || !elf_in_file(phoff, phnum * 56, len))
        return BUILD_NOTE_NONE;
    for (uint64_t i = 0; i < phnum; i++) {
        uint64_t ph = phoff + i * 56, off = elf_rd(f, ph + 8, 8), size = elf_rd(f, ph + 0x20, 8);
        uint64_t json_len;
        if (elf_rd(f, ph, 4) != PT_NOTE || !elf_in_file(off, size, len))
            continue;
        const char *json = fdo_note(f, off, size, &json_len);
        if (json)
            return from_json(json, json_len, out);
    }
    return BUILD_NOTE_NONE;
}

void build_note_free(struct build_note *n)
{
    for (size_t i = 0; n->argv && n->argv[i]; i++)
        free(n->argv[i]);
    free(n->argv);
    free(n->cc);
    free(n->cwd);
    memset(n, 0, sizeof(*n));
}
