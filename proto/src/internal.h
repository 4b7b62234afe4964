/* Private declarations shared by libparley's source files, the unit tests and
 * the fuzz targets. Not installed; nothing here is API. */
#ifndef PARLEY_INTERNAL_H
#define PARLEY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "parley/parley.h"

/* Bounds for one walk over untrusted msgpack bytes (SPEC §3.6). */
typedef struct {
    unsigned max_depth;  /* containers nested inside each other */
    size_t max_count;    /* elements of one array, entries of one map */
    size_t max_items;    /* values in total, containers included */
    size_t max_str;      /* bytes of one str or bin */
} pl_mp_limits;

/* The limits every message, proof and key file is walked with. */
extern const pl_mp_limits pl_mp_default_limits;

/* Walks exactly one msgpack value at in[0..len) without allocating and
 * without recursion, checking it lies in Parley's canonical subset (SPEC §3):
 * every claimed length against the bytes that remain, depth, counts, shortest
 * encodings, UTF-8, map key order. On success *used is the value's length.
 * This runs before msgpack-c sees any peer input: msgpack-c 4.0 allocates
 * what a container header claims before checking the input holds it. */
int pl_mp_walk(const uint8_t *in, size_t len, const pl_mp_limits *lim, size_t *used);

/* Unpacks an already-walked value with msgpack-c into *obj, allocated in
 * zone. Returns PL_E_NOMEM or PL_E_TRUNCATED on failure. */
int pl_mp_unpack(const uint8_t *in, size_t len, msgpack_zone *zone, msgpack_object *obj);

/* The gate for a whole peer input: the walk over exactly in[0..len) (one
 * value, nothing after it), then msgpack-c into a zone this initialises.
 * On PL_OK the caller destroys the zone; on failure nothing is left to free. */
int pl_mp_decode(const uint8_t *in, size_t len, msgpack_zone *zone, msgpack_object *obj);

/* Whether s[0..n) is well-formed UTF-8 (SPEC §3.4): shortest forms, no
 * surrogates, nothing above U+10FFFF. */
int pl_utf8_valid(const uint8_t *s, size_t n);

/* Field accessors over a msgpack_object; each returns 0 or PL_E_SCHEMA. */
int pl_mp_get_uint(const msgpack_object *o, uint64_t *v);
int pl_mp_get_bin(const msgpack_object *o, size_t n, uint8_t *out); /* exactly n bytes */
int pl_mp_get_array(const msgpack_object *o, uint32_t n, const msgpack_object **items);

/* msgpack-c sbuffer helpers that never abort: they return PL_E_NOMEM. */
typedef struct {
    msgpack_sbuffer sb;
    msgpack_packer pk;
    int failed; /* set by a failed write; checked once at the end */
} pl_packbuf;

void pl_packbuf_init(pl_packbuf *b);
void pl_packbuf_free(pl_packbuf *b);
/* Takes the bytes out of b (caller frees with free()). */
uint8_t *pl_packbuf_take(pl_packbuf *b, size_t *len);

/* BLAKE2b-256 of the concatenation of up to three parts (libsodium). */
void pl_hash3(uint8_t out[PL_HASH_BYTES], const void *a, size_t alen, const void *b,
              size_t blen, const void *c, size_t clen);

/* Header encoding and decoding, shared by msg.c and equiv.c. */
int pl_header_encode(const pl_header *h, pl_packbuf *b);
int pl_header_decode(const uint8_t *in, size_t len, pl_header *h);
int pl_header_check(const pl_header *h);

/* The id of a header, and a signature check, over the exact header bytes. */
void pl_header_id(const uint8_t case_id[PL_CASE_ID_BYTES], const uint8_t *hdr, size_t hdr_len,
                  uint8_t id[PL_ID_BYTES]);
int pl_header_sig_verify(const uint8_t case_id[PL_CASE_ID_BYTES],
                         const uint8_t author[PL_PK_BYTES], const uint8_t *hdr, size_t hdr_len,
                         const uint8_t sig[PL_SIG_BYTES]);

/* Issue 17, a lean case (PL_CASE_LEAN): a body without the texts and
 * terms no rule reads again once it is decoded (body.c). */
void pl_body_strip(pl_body *b);

/* A leap year of the proleptic Gregorian calendar (SPEC §13.2, §13.28). */
static inline int pl_leap_year(uint64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

#endif
