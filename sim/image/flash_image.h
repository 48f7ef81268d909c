/*
 * Flash images: a host file holding a board's app flash as Tock lays it
 * out, TBF objects back to back from offset 0, then erased flash (zeros, or
 * the end of the file). `ksim flash` edits one; `ksim run --flash` maps it
 * as the board's flash, so what apps store there survives a restart.
 *
 * Every edit survives a crash at any point (docs/flash.md): an install
 * appends the object with its first word still erased, syncs, then writes
 * that word (the commit) and syncs again; remove and erase write a new file
 * beside the old one and rename it over.
 */
#ifndef KSIM_SIM_IMAGE_FLASH_IMAGE_H
#define KSIM_SIM_IMAGE_FLASH_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Prints what the image holds, object by object, as the boot walk sees it. 0 or -1. */
int flash_image_list(const char *path, uint64_t capacity, FILE *out, char *err, size_t errlen);

/*
 * Installs the TBF object tbf[0..len) (already checked) at the end of the
 * apps, replacing an installed app of the same package name. Creates the
 * image if needed. 0, or -1 with a message (no room: the sizes).
 */
int flash_image_install(const char *path, uint64_t capacity, const uint8_t *tbf, size_t len,
                        char *err, size_t errlen);

/* Removes every app called name; the others move down. 0, -1 (message), or 1: none found. */
int flash_image_remove(const char *path, const char *name, char *err, size_t errlen);

/* Empties the image. 0 or -1. */
int flash_image_erase(const char *path, char *err, size_t errlen);

/*
 * Opens the image for `ksim run --flash`: read-write, grown (with erased
 * bytes) to the board's flash size. The fd, or -1 with a message (an image
 * larger than the board's flash names both sizes).
 */
int flash_image_open_for_run(const char *path, uint64_t flash_size, char *err, size_t errlen);

#endif /* KSIM_SIM_IMAGE_FLASH_IMAGE_H */
