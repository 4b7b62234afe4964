/* File and passphrase I/O shared by the programs (see io.c). */
#ifndef PARLEY_COMMON_IO_H
#define PARLEY_COMMON_IO_H

#include <stddef.h>
#include <stdint.h>

/* Reads a whole file (at most max bytes). Returns NULL and prints why. */
uint8_t *io_read_file(const char *path, size_t max, size_t *len);

/* Writes a file atomically (temp + rename), with the given mode; refuses to
 * replace an existing file unless force. Prints why on failure. */
int io_write_file(const char *path, const uint8_t *b, size_t n, unsigned mode, int force);

/* A passphrase from --passphrase-file (first line) or the terminal without
 * echo (twice when confirm). Returns sodium_malloc'd NUL-terminated memory
 * the caller frees with sodium_free, or NULL. */
char *io_passphrase(const char *file, int confirm);
/* The same with the terminal's prompts given (translated by the caller). */
char *io_passphrase_as(const char *file, int confirm, const char *prompt, const char *again);
/* Fewer bytes than this are refused by keygen unless --short-passphrase. */
#define IO_PASSPHRASE_MIN 10

#endif
