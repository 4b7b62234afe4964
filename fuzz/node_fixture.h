/* The fixture of the node-level fuzz targets (node_fixture.c). */
#ifndef PARLEY_FUZZ_NODE_FIXTURE_H
#define PARLEY_FUZZ_NODE_FIXTURE_H

#include "node.h"

#define FX_T0 1800000000000ull /* the fixed clock the case starts at */

enum { FX_PROSECUTION, FX_SUSPECT, FX_COUNSEL, FX_VICTIM, FX_NKEYS };

extern pl_key *fx_keys[FX_NKEYS];            /* the parties' keys (fixed seeds) */
extern uint8_t fx_case_id[PL_CASE_ID_BYTES]; /* the case */
extern int fx_trace;                         /* PARLEY_FUZZ_NODE_TRACE is set */

pl_key *fx_key(int who); /* a new copy of a party's key (the node takes its own) */
void fx_setup(void);     /* once per process; removes its files at exit */
/* A node on a fresh store holding the case; the charter's id in charter_id. */
pl_node *fx_node_new(uint8_t charter_id[PL_ID_BYTES]);

/* Inputs are sequences of records [length: 3 bytes big-endian][bytes]
 * (3 bytes: frames reach PL_WIRE_MAX_FRAME, past 64 KiB). fx_next copies
 * the next record at *off into a malloc'd buffer of exactly its length (so
 * ASan sees any read past it; a short last record is cut to what is left),
 * advances *off, and returns it (free()), or NULL at the end. */
uint8_t *fx_next(const uint8_t *data, size_t size, size_t *off, size_t *len);
/* Appends the record b[0..n) at out + off; the new offset. */
size_t fx_put(uint8_t *out, size_t off, const uint8_t *b, size_t n);
/* Writes a seed file DIR/NAME (aborts on failure). */
void fx_write_seed(const char *dir, const char *name, const uint8_t *b, size_t n);

#endif
