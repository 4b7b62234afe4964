/* The wire protocol's frames (SPEC §14): what nodes say to each other over
 * ZeroMQ, as canonical msgpack, decoded with the same bounded walk as every
 * other peer input. This is only the codec: sockets, CURVE, timers and
 * storage are the node's (node/); what a frame means is in SPEC §14.
 *
 * Every frame is the array [version, kind, fields…]:
 *   HELLO  [1, 1, node key, [case ids]]         who I am, which cases I follow
 *   HEADS  [1, 2, case id, [[author, seq, id]]] the heads I hold of a case
 *   WANT   [1, 3, case id, author, from seq, max] send me these messages
 *   MSG    [1, 4, message]                      one signed message, embedded
 *   ACK    [1, 5, case id, message id]          stored durably
 *   ERROR  [1, 6, code, message id or nil, text] what was wrong with a frame
 *   PROOF  [1, 7, proof]                         an equivocation proof, embedded
 *
 * Ownership: pl_wire_decode fills a pl_wire that owns copies of everything
 * (free with pl_wire_free, safe twice); pl_wire_encode allocates *out
 * (pl_free()). */
#ifndef PARLEY_WIRE_H
#define PARLEY_WIRE_H

#include "parley/export.h"

#include <stddef.h>
#include <stdint.h>

#include "parley/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_WIRE_VERSION 1
#define PL_WIRE_MAX_FRAME (PL_MSG_MAX_BYTES + 64) /* a MSG frame around the largest message */
#define PL_WIRE_MAX_CASES 1024                     /* case ids in one HELLO */
#define PL_WIRE_MAX_HEADS 64                       /* heads in one HEADS */
#define PL_WIRE_MAX_WANT 1024                      /* messages one WANT may ask for */
#define PL_WIRE_TEXT_MAX 256                       /* bytes of an ERROR's text */

typedef enum {
    PL_W_HELLO = 1,
    PL_W_HEADS = 2,
    PL_W_WANT = 3,
    PL_W_MSG = 4,
    PL_W_ACK = 5,
    PL_W_ERROR = 6,
    PL_W_PROOF = 7,
} pl_wire_kind;

PL_API const char *pl_wire_kind_name(uint64_t kind); /* "hello", …; NULL if unknown */

typedef struct {
    pl_wire_kind kind;
    union {
        struct {
            uint8_t node[PL_PK_BYTES];
            size_t ncases;
            uint8_t (*cases)[PL_CASE_ID_BYTES]; /* ascending, unique */
        } hello;
        struct {
            uint8_t case_id[PL_CASE_ID_BYTES];
            size_t n;
            pl_ref heads[PL_WIRE_MAX_HEADS]; /* ascending by author, unique */
        } heads;
        struct {
            uint8_t case_id[PL_CASE_ID_BYTES];
            uint8_t author[PL_PK_BYTES];
            uint64_t from_seq; /* >= 1 */
            uint64_t max;      /* 1 .. PL_WIRE_MAX_WANT */
        } want;
        struct {
            uint8_t *bytes; /* the message's exact bytes, not yet verified */
            size_t len;
        } msg, proof;
        struct {
            uint8_t case_id[PL_CASE_ID_BYTES];
            uint8_t id[PL_ID_BYTES];
        } ack;
        struct {
            int code; /* a PL_E_* code */
            int has_id;
            uint8_t id[PL_ID_BYTES];
            char text[PL_WIRE_TEXT_MAX + 1];
        } error;
    } u;
} pl_wire;

/* Decodes one frame (SPEC §14.2): size, the canonical walk, the version,
 * the kind, then the kind's fields. An embedded message or proof is only
 * bounded here; the receiver verifies it (SPEC §4.8, §7.3). On failure the
 * frame is zeroed. */
PL_API PL_NODISCARD int pl_wire_decode(const uint8_t *in, size_t len, pl_wire *out);
PL_API void pl_wire_free(pl_wire *w);

/* Whether in[0..len) is exactly one value in the canonical subset, within
 * the default limits (SPEC §3.7): the bounded walk every peer input passes
 * before msgpack-c, which allocates what a container header claims, sees
 * it. PL_OK or the walk's code. For the node's other msgpack inputs (its
 * control requests). */
PL_API PL_NODISCARD int pl_mp_check(const uint8_t *in, size_t len);

/* Encodes a frame canonically; what it writes decodes to the same frame. */
PL_API PL_NODISCARD int pl_wire_encode(const pl_wire *w, uint8_t **out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
