/*
 * sim/image/: app files on the host. It owns reading and crash-safe
 * writing of files (appfile.c), TBF packing (tbf_pack.c), flash image files
 * (flash_image.c), ksim-cc's build notes (build_note.c) and ELF symbols for
 * reports (elf_symbols.c, over the bounded readers of elf_bytes.h).
 * May include: kernel/ and hal-stub/ headers only, no other sim/ folder
 * (docs/architecture.md).
 *
 * Reading app files from the host: the only file I/O of loading.
 */
#ifndef KSIM_SIM_IMAGE_APPFILE_H
#define KSIM_SIM_IMAGE_APPFILE_H

#include <stddef.h>
#include <stdint.h>

/* Reads a whole file into a malloc'd buffer. 0, or -1 with "PATH: reason" in err. */
int sim_read_file(const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen);

/*
 * Replaces path with buf[0..len) so that a crash leaves the old file or the
 * new one, never a mix: write a temporary file beside it, fsync, rename,
 * fsync the directory. 0, or -1 with "PATH: reason" in err.
 */
int sim_write_file_atomic(const char *path, const uint8_t *buf, size_t len, char *err,
                          size_t errlen);

/* The app's name: the file name without directory and a final .elf or .tbf. */
void sim_app_name(const char *path, char *name, size_t cap);

struct appload_error;

/*
 * Why an app file was refused, for a user: "PATH: TBF field 'F' at offset
 * 0xN: reason (value 0xV)", "PATH: offset 0xN: reason (value 0xV)" for the
 * ELF (offsets in the file, also inside a TBF), or the room it lacked.
 */
void sim_appload_message(const char *path, const struct appload_error *e, const char *board_name,
                         char *msg, size_t cap);

#endif /* KSIM_SIM_IMAGE_APPFILE_H */
