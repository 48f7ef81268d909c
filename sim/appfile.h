/* Reading app files from the host: the only file I/O of loading. */
#ifndef KSIM_SIM_APPFILE_H
#define KSIM_SIM_APPFILE_H

#include <stddef.h>
#include <stdint.h>

/* Reads a whole file into a malloc'd buffer. 0, or -1 with "PATH: reason" in err. */
int sim_read_file(const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen);

/* The app's name: the file name without directory and a final .elf or .tbf. */
void sim_app_name(const char *path, char *name, size_t cap);

#endif /* KSIM_SIM_APPFILE_H */
