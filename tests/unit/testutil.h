/* Helpers shared by the unit tests and the vector generator: fixed keys,
 * fixed case ids, a small builder for signed messages, vector files, and
 * msgpack written from JSON. No cmocka here: the generator links this too. */
#ifndef PARLEY_TESTUTIL_H
#define PARLEY_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "parley/parley.h"

/* Key number n (0..255) from the seed of 32 bytes all equal to n+1. */
pl_key *tu_key(unsigned n);

/* Case id number n: 32 bytes all equal to 0xc0+n. */
void tu_case(unsigned n, uint8_t out[PL_CASE_ID_BYTES]);

/* A canonical body: the map {"text": text}. Writes at most cap bytes. */
size_t tu_body(const char *text, uint8_t *out, size_t cap);

/* Signs the next message of a chain: seq and prev come from *prev (NULL for
 * the first), refs from refs[0..nrefs). Aborts on failure (test helper). */
pl_msg *tu_msg(const pl_key *k, const uint8_t case_id[PL_CASE_ID_BYTES], const pl_msg *prev,
               const pl_msg *const *refs, size_t nrefs, uint64_t ts, uint64_t type,
               const char *text);

/* Reads a whole file; NULL if it cannot. Caller frees. */
uint8_t *tu_read_file(const char *path, size_t *len);

/* A fuzz seed written by the vector generator: root/target/name, with one
 * prefix byte first when prefix is not negative. Nothing when root is NULL;
 * 0, or -1 if the file cannot be written. */
int tu_seed(const char *root, const char *target, const char *name, int prefix, const uint8_t *b,
            size_t n);

/* Writes "key: <hex>" and a newline, the vector files' byte fields. */
#include <stdio.h>
void tu_hexline(FILE *f, const char *key, const uint8_t *b, size_t n);

/* Hex encoding/decoding into caller buffers; tu_unhex returns bytes or -1. */
void tu_hex(const uint8_t *in, size_t len, char *out);
long tu_unhex(const char *hex, uint8_t *out, size_t cap);

/* One record of a vector file in spec/vectors (SPEC §11.2): "key: value"
 * lines. The strings point into the file's buffer, valid during the call. */
#define TU_VEC_MAX_FIELDS 16
typedef struct {
    char *key[TU_VEC_MAX_FIELDS];
    char *val[TU_VEC_MAX_FIELDS];
    int n;
} tu_rec;

const char *tu_rec_get(const tu_rec *r, const char *key); /* NULL if absent */

/* Calls fn(r, ctx) for each record of the vector file at path; returns the
 * number of records, or -1 if the file cannot be read or a line is not
 * "key: value". */
int tu_vec_each(const char *path, void (*fn)(const tu_rec *r, void *ctx), void *ctx);

/* Hex to bytes in a new buffer (caller frees); NULL if not hex. */
uint8_t *tu_unhex_alloc(const char *hex, size_t *n);

/* Packs one line of JSON (integers, no floats) into msgpack as written, keys
 * in the order given: inputs the library's encoder refuses to write
 * (unsorted keys, wrong types, values out of range), and bytes made without
 * it to check it against. Spaces between tokens are allowed. Beyond JSON:
 * \xNN in a string is the raw byte NN, and @N*c is a string of N copies of
 * the character c. Returns the bytes in a new buffer (caller frees) and
 * their number in *len; NULL if the text is not such JSON, with *why saying
 * what is wrong. */
uint8_t *tu_json_msgpack(const char *json, size_t *len, const char **why);

/* Verifies a whole log file (SPEC §8) and writes the verdict: "ok", or the
 * names of the problems found, comma-separated, in the order found. */
void tu_log_verdict(const uint8_t *file, size_t file_len, char *out, size_t cap);

#endif
