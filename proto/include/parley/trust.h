/* Trust anchors (SPEC §16.5): whom a verifier believes a key belongs to.
 *
 * A certificate proves that certain keys signed; it cannot prove whose keys
 * they are. A verifier that knows the keys of the institutions that vouch
 * for people — a procuratorate for its prosecutors, a bar association for
 * its lawyers — checks a signer's key against them: the key is an anchor of
 * its role itself, or an anchor of that role endorsed it (a signed
 * statement naming the key, the person, the unit, the licence, and a
 * validity period) for the time it signed. Two levels, checkable offline.
 *
 * The trust file is text, one entry per line, so a clerk can read it; each
 * endorsement inside it is canonical msgpack, signed, in hex.
 *
 * Ownership: pl_trust_parse and pl_trust_new return a set the caller frees
 * with pl_trust_free; pl_trust_write and pl_endorsement_make fill buffers
 * the caller owns (pl_trust_write allocates; pl_free() it). */
#ifndef PARLEY_TRUST_H
#define PARLEY_TRUST_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/body.h"
#include "parley/key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_TRUST_MAX_BYTES (1u << 20) /* a trust file */
#define PL_TRUST_MAX_ENTRIES 4096     /* anchors and endorsements in one */
#define PL_TRUST_NAME_MAX 128         /* bytes of a name, unit or bar */
#define PL_TRUST_LICENCE_MAX 64
#define PL_ENDORSEMENT_MAX_BYTES 1024

/* What an endorsement says (SPEC §16.5). Strings are NUL-terminated UTF-8;
 * licence and bar are "" unless role is counsel, where both are required. */
typedef struct {
    uint8_t issuer[PL_PK_BYTES];
    uint8_t subject[PL_PK_BYTES];
    pl_role role; /* prosecution or counsel */
    char name[PL_TRUST_NAME_MAX + 1];
    char unit[PL_TRUST_NAME_MAX + 1];
    char licence[PL_TRUST_LICENCE_MAX + 1];
    char bar[PL_TRUST_NAME_MAX + 1];
    uint64_t not_before, not_after; /* ms since 1970, inclusive */
} pl_endorsement;

/* Signs e (e->issuer is set from the key) into out[0..cap): the canonical
 * [issuer, statement, signature]. PL_E_TRUST if e is not a valid
 * statement (role, lengths, period), PL_E_BUFSIZE if cap is too small. */
PL_API PL_NODISCARD int pl_endorsement_make(const pl_key *issuer,
                                            pl_endorsement *e, uint8_t *out,
                                            size_t cap, size_t *len);
/* Verifies an endorsement alone: encoding, fields and the issuer's
 * signature. PL_OK and *e filled, or PL_E_TRUST. */
PL_API PL_NODISCARD int pl_endorsement_verify(const uint8_t *in, size_t len, pl_endorsement *e);

typedef struct pl_trust pl_trust;

PL_API pl_trust *pl_trust_new(void);
PL_API void pl_trust_free(pl_trust **t);
/* Parses a trust file (SPEC §16.5). On PL_E_TRUST, *bad_line (may be NULL)
 * is the 1-based line that failed (0: the file as a whole). */
PL_API PL_NODISCARD int pl_trust_parse(const char *text, size_t len,
                                       pl_trust **out, size_t *bad_line);
/* Adds an anchor: PL_E_TRUST for a bad role or name, or a key that is an
 * anchor already. */
PL_API int pl_trust_add_anchor(pl_trust *t, pl_role role, const uint8_t pk[PL_PK_BYTES],
                               const char *name);
/* Adds an endorsement after verifying it alone. */
PL_API int pl_trust_add_endorsement(pl_trust *t, const uint8_t *in, size_t len);
/* The file's text; *out is allocated (pl_free() it). */
PL_API int pl_trust_write(const pl_trust *t, char **out);

PL_API size_t pl_trust_anchors(const pl_trust *t);
PL_API size_t pl_trust_endorsements(const pl_trust *t);
/* The i-th anchor (role, key, name) or endorsement; PL_E_ARG past the end. */
PL_API int pl_trust_anchor(const pl_trust *t, size_t i, pl_role *role, uint8_t pk[PL_PK_BYTES],
                           const char **name);
PL_API int pl_trust_endorsement(const pl_trust *t, size_t i, pl_endorsement *e);

/* Why a key is trusted for a role at a time, or why not. */
typedef struct {
    int anchor;          /* 1: the key is an anchor of the role itself */
    pl_endorsement by;   /* otherwise the endorsement that vouches for it */
    const char *anchor_name; /* the anchor's name (the key's, or the issuer's) */
    char why[160];       /* when not trusted: one sentence */
} pl_trust_result;

/* SPEC §16.5: PL_OK when pk is trusted for role at at_ms, else
 * PL_E_UNTRUSTED with r->why saying what is missing. */
PL_API int pl_trust_check(const pl_trust *t, pl_role role, const uint8_t pk[PL_PK_BYTES],
                          uint64_t at_ms, pl_trust_result *r);

#ifdef __cplusplus
}
#endif
#endif
