/* Parley messages: the signed unit of the protocol (SPEC §4).
 *
 * On the wire a message is the msgpack array [header, body, signature]. The
 * header (SPEC §4.2) names the case, the author, the author's sequence number,
 * the id of the author's previous message, references to other authors'
 * messages, a timestamp, the message type and the BLAKE2b-256 of the body. The
 * signature covers the domain-separated header bytes (SPEC §4.6), so a header
 * with its signature stands alone: that is what an equivocation proof holds.
 *
 * Ownership: pl_msg_decode and pl_msg_sign return a pl_msg the caller owns
 * and frees with pl_msg_destroy. A pl_msg owns a copy of its bytes; the
 * pointers it hands out (pl_msg_bytes, pl_msg_body) live as long as it does. */
#ifndef PARLEY_MSG_H
#define PARLEY_MSG_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_PROTOCOL_VERSION 2
#define PL_CASE_ID_BYTES 32
#define PL_ID_BYTES 32
#define PL_HASH_BYTES 32

/* Limits (SPEC §5). */
#define PL_MSG_MAX_BYTES (256u * 1024u) /* one encoded message */
#define PL_MAX_REFS 32                   /* references in one header */
#define PL_STR_MAX_BYTES 65535u         /* one str or bin value */
#define PL_MAX_DEPTH 8                   /* nesting of containers */
#define PL_MAX_COUNT 4096u               /* elements of one array or map */
#define PL_MAX_ITEMS 16384u              /* values in one message */

/* Message types registered in protocol version 1 (SPEC §4.5). Their bodies
 * are specified by the negotiation layer (SPEC §13). */
typedef enum {
    PL_T_CHARTER = 1,
    PL_T_JOIN = 2,
    PL_T_PARTICIPANTS = 3,
    PL_T_KEY_ROTATE = 4,
    PL_T_KEY_REPLACE = 5,
    PL_T_DRAW_COMMIT = 6,
    PL_T_DRAW_REVEAL = 7,
    PL_T_OFFER = 16,
    PL_T_OPINION = 17,
    PL_T_RESPONSE = 18,
    PL_T_SIGN = 19,
    PL_T_DISCLOSE = 20,
    PL_T_DISCLOSE_ACK = 21,
    PL_T_SESSION_PROPOSE = 22,
    PL_T_SESSION_ACCEPT = 23,
    PL_T_SESSION_DECLINE = 24,
    PL_T_RECORDING = 25,
    PL_T_OBSERVATION = 26,
    PL_T_ATTESTATION = 27,
    PL_T_WITHDRAW = 28,
    PL_T_CLOSE = 29,
    PL_T_RETRACT = 30,
    PL_T_COURT_ADJUST = 31,
    PL_T_JUDGMENT = 32, /* version 2 (SPEC §13.23) */
    PL_T_REOPEN = 33,   /* version 2 (SPEC §13.16) */
    PL_T_NOTICE = 34,   /* version 2 (SPEC §13.24) */
    PL_T_NOTICE_ACK = 35,
    PL_T_SETTLEMENT = 36, /* version 2 (SPEC §13.25) */
    PL_T_CONSENT = 37,    /* version 2 (SPEC §13.26) */
    PL_T_SETTLEMENT_WITHDRAW = 38, /* version 2 (SPEC §13.25) */
    PL_T_INTERPRETATION = 39,      /* version 2 (SPEC §13.27) */
    PL_T_PUBLICITY = 40,           /* version 2 (SPEC §13.11) */
} pl_msg_type;

/* The registered name of a type ("offer"), or NULL if not registered. */
PL_API const char *pl_msg_type_name(uint64_t type);

/* A causal reference: "I had seen author's message seq, whose id is id". */
typedef struct {
    uint8_t author[PL_PK_BYTES];
    uint64_t seq;
    uint8_t id[PL_ID_BYTES];
} pl_ref;

/* The signed header (SPEC §4.2), decoded. */
typedef struct {
    uint64_t version;
    uint8_t case_id[PL_CASE_ID_BYTES];
    uint8_t author[PL_PK_BYTES];
    uint64_t seq;     /* 1 for the author's first message in the case */
    int has_prev;     /* 0 exactly when seq == 1 */
    uint8_t prev[PL_ID_BYTES];
    uint64_t timestamp_ms;    /* advisory, ms since 1970-01-01T00:00:00Z */
    uint64_t type;
    uint8_t body_hash[PL_HASH_BYTES];
    /* Last, so that a stored message keeps only the references it has
     * (pl_msg_header points at such a header: read refs[0..nrefs) only,
     * and copy it with pl_msg_header_copy, never by assignment). */
    size_t nrefs;
    pl_ref refs[PL_MAX_REFS]; /* strictly ascending by author */
} pl_header;

typedef struct pl_msg pl_msg;

/* Decodes and verifies one message received from anyone (SPEC §4.8): size,
 * structure, canonical form, header rules, body hash, then the signature over
 * the bytes as received. If case_id is not NULL the message must belong to
 * that case (SPEC §6.3). On failure *out is NULL. */
PL_API PL_NODISCARD int pl_msg_decode(const uint8_t *in, size_t len,
                                      const uint8_t *case_id, pl_msg **out);

/* Decodes a message this process verified by pl_msg_decode before and kept
 * in storage it alone writes (a node's own store): every check of SPEC §4.8
 * except the signature, which is what makes loading a large store fast. A
 * damaged record still fails on structure, body hash or case (SPEC §9.2).
 * Never use it on bytes from anyone else. */
PL_API PL_NODISCARD int pl_msg_load(const uint8_t *in, size_t len,
                                    const uint8_t *case_id, pl_msg **out);

/* Builds and signs a message. h supplies every header field except author
 * (taken from key) and body_hash (computed); body must be one canonical
 * msgpack value (SPEC §4.4). The header is checked like a received one. */
PL_API PL_NODISCARD int pl_msg_sign(const pl_header *h, const uint8_t *body,
                                    size_t body_len, const pl_key *key,
                                    pl_msg **out);

/* Frees *m and sets it to NULL; safe on NULL and twice. */
PL_API void pl_msg_destroy(pl_msg **m);

/* Accessors; all pointers are owned by m. */
PL_API const pl_header *pl_msg_header(const pl_msg *m);
PL_API const uint8_t *pl_msg_id(const pl_msg *m);  /* PL_ID_BYTES */
PL_API const uint8_t *pl_msg_sig(const pl_msg *m); /* PL_SIG_BYTES */
PL_API const uint8_t *pl_msg_bytes(const pl_msg *m, size_t *len);
PL_API const uint8_t *pl_msg_header_bytes(const pl_msg *m, size_t *len);
PL_API const uint8_t *pl_msg_body(const pl_msg *m, size_t *len);

/* Copies m's header into a full pl_header (to build a related one). */
PL_API void pl_msg_header_copy(const pl_msg *m, pl_header *out);

/* A copy of m, or NULL when out of memory. */
PL_API pl_msg *pl_msg_dup(const pl_msg *m);

#ifdef __cplusplus
}
#endif
#endif
