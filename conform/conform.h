/* parley-conform: a black-box conformance suite for Parley nodes (SPEC §14),
 * in the manner of h2spec and Autobahn. It knows a node only by its
 * endpoint and public key, acts as one or more protocol peers over the
 * wire protocol (ZeroMQ + CURVE), opens cases the node joins by invitation
 * (SPEC §14.3), sends it good and bad input, and checks each answer against
 * the spec. Every case names the section it checks, the requirement and
 * its level; a broken MUST is a failure, a missed SHOULD is "non-strict".
 *
 * The pieces: conform.h (this), inbox.c (a peer: inbox, expectations,
 * answering the node's WANTs), neg.c (negotiations: keys, charters,
 * messages good and malformed), cases_*.c (the cases), main.c (options,
 * running, text/JSON/JUnit reports). Everything protocol is libparley's. */
#ifndef PARLEY_CONFORM_H
#define PARLEY_CONFORM_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/parley.h"
#include "peer.h"

/* ---- cases and results ------------------------------------------------------ */

typedef enum { CF_MUST, CF_SHOULD } cf_level;
typedef enum { CF_PASS, CF_NONSTRICT, CF_FAIL } cf_result;

typedef struct cf_t cf_t;

typedef struct {
    const char *id; /* "14.6-1": the section it checks, then a number */
    cf_level level;
    int bad_input; /* it sends something the spec says to refuse or flag */
    void (*run)(cf_t *t);
    const char *requirement; /* the requirement, quoted or paraphrased */
} cf_case;

extern const cf_case cf_cases_core[], cf_cases_rules[], cf_cases_wire[];
extern const size_t cf_ncases_core, cf_ncases_rules, cf_ncases_wire;

/* The whole run: what the operator gave, and what every case shares. */
typedef struct {
    char endpoint[256];
    uint8_t node_pk[PL_PK_BYTES];
    pl_key *wire_key; /* the tool's identity on the wire (the node --allows it) */
    int timeout_ms;   /* how long an expected answer may take */
    int quiet_ms;     /* how long to listen for an answer that must not come */
    int verbose;
    /* Over the whole run, for the cases that judge everything the node sent. */
    uint64_t frames_in, undecodable, errors_in, errors_without_text;
    char undecodable_hex[80]; /* the first one, abbreviated */
} cf_run;

extern cf_run cf_g;

/* One case being run. A failed check records why and jumps back to the
 * runner, which closes every peer and frees every negotiation the case
 * opened. */
#define CF_MAX_RES 16
struct cf_t {
    const cf_case *c;
    cf_result result;
    char detail[600];
    jmp_buf jb;
    struct cf_peer *peers[CF_MAX_RES];
    size_t npeers;
    struct cf_neg *negs[CF_MAX_RES];
    size_t nnegs;
};

/* A MUST broken: the case fails (also from a SHOULD case whose setup
 * needed a MUST). Does not return. */
__attribute__((noreturn, format(printf, 2, 3))) void cf_fail(cf_t *t, const char *fmt, ...);
/* A SHOULD not met: the case is non-strict. Does not return. */
__attribute__((noreturn, format(printf, 2, 3))) void cf_miss(cf_t *t, const char *fmt, ...);
/* A note kept with a passing result (shown with -v and in reports). */
__attribute__((format(printf, 2, 3))) void cf_note(cf_t *t, const char *fmt, ...);

void cf_sleep_ms(int ms);
void cf_hex(const uint8_t *b, size_t n, char *out); /* out: 2n+1 */
/* The first 8 hex digits of an id, for messages. */
const char *cf_short(const uint8_t *id);

/* ---- peers (inbox.c) ----------------------------------------------------------- */

typedef struct {
    pl_wire w;
    int has_msg; /* MSG: the embedded message decoded */
    uint8_t msg_id[PL_ID_BYTES];
    uint8_t msg_case[PL_CASE_ID_BYTES];
    uint8_t msg_author[PL_PK_BYTES];
    uint64_t msg_seq;
} cf_in;

typedef struct cf_peer {
    cf_t *t;
    char name[32];
    h_peer hp;
    cf_in *inbox;
    size_t n, cap;
    int hello_seen; /* the node's HELLO arrived */
    uint8_t hello_node[PL_PK_BYTES];
    int first_was_hello; /* the node's first frame was its HELLO */
    uint64_t frames;     /* frames received on this connection */
} cf_peer;

/* Dials the node as key (NULL: the tool's wire key); the peer borrows key,
 * which must outlive it. Registered with t: closed when the case ends. */
cf_peer *cf_peer_open(cf_t *t, const char *name, const pl_key *key);
/* HELLO naming the cases (may be 0), then waits for the node's HELLO. */
void cf_hello(cf_peer *p, const uint8_t (*cases)[PL_CASE_ID_BYTES], size_t ncases);
void cf_send_raw(cf_peer *p, const uint8_t *b, size_t len);
void cf_send(cf_peer *p, const pl_wire *w);
void cf_send_msg(cf_peer *p, const pl_msg *m);
void cf_send_msg_bytes(cf_peer *p, const uint8_t *m, size_t len);

/* What a frame must be to match; zero fields match anything. */
typedef struct {
    int kind;
    int code;               /* ERROR */
    const uint8_t *id;      /* ACK, ERROR (with an id), MSG (the message's id) */
    const uint8_t *case_id; /* HEADS, WANT, ACK, MSG */
    const uint8_t *author;  /* WANT */
} cf_match;

/* Takes the first frame in the inbox that matches, or waits up to
 * timeout_ms for one (answering the node's WANTs meanwhile). 1 and the
 * frame in *out (pl_wire_free it; out may be NULL), or 0. */
int cf_wait(cf_peer *p, const cf_match *m, int timeout_ms, cf_in *out);
/* Waits like cf_wait, but leaves the frame in the inbox. 1 or 0. */
int cf_await(cf_peer *p, const cf_match *m, int timeout_ms);
/* Whether a matching frame is in the inbox now (not taken). */
int cf_have(cf_peer *p, const cf_match *m);
/* Reads what arrives for ms (answering WANTs), without taking anything;
 * with 0, what has already arrived. */
void cf_listen(cf_peer *p, int ms);
/* Forgets every frame received so far. */
void cf_clear(cf_peer *p);
void cf_in_free(cf_in *in);
/* A short description of the inbox's ERROR frames, for failure messages. */
const char *cf_errors_seen(cf_peer *p, char *buf, size_t cap);

/* ---- negotiations (neg.c) ------------------------------------------------------ */

/* The tool's parties in a negotiation; the node's key is a second victim. */
enum {
    CF_P,
    CF_S,
    CF_C,
    CF_V,
    CF_O,
    CF_X /* named by nothing */,
    CF_R /* a fresh key */,
    CF_NPARTY
};
#define CF_BIT(p) (1u << (p))
#define CF_ALL 0xffffu
#define CF_JOINERS (CF_BIT(CF_S) | CF_BIT(CF_C) | CF_BIT(CF_V) | CF_BIT(CF_O))

enum {
    CF_NEG_NOT_NODE = 1, /* the charter does not name the node */
    CF_NEG_BOUND = 2,    /* the charter binds the suspect's seat to CF_ID_NUMBER (SPEC §13.2) */
    CF_NEG_INTERPRETED = 4 /* v2: the suspect understands ug, and CF_R is the charter's
                            * interpreter (SPEC §13.2, §13.27) */
};
/* The specimen resident identity number of GB 11643. */
#define CF_ID_NUMBER "11010519491231002X"

typedef struct cf_neg {
    cf_t *t;
    uint8_t id[PL_CASE_ID_BYTES], nonce[32];
    pl_key *k[CF_NPARTY];
    pl_msg *head[CF_NPARTY];
    pl_msg *charter;
    unsigned joined; /* CF_BIT of each party whose join the node acknowledged */
    pl_msg **pub;    /* published: what the tool serves when the node asks (WANT) */
    size_t npub, pub_cap;
    pl_msg **all; /* everything made, for freeing */
    size_t nall, all_cap;
    uint64_t clock;
    uint8_t id_hash[PL_HASH_BYTES]; /* with CF_NEG_BOUND: the charter's */
} cf_neg;

/* A new negotiation: fresh keys, a fresh case id, the prosecution's
 * charter naming P, S, C, V, O and the node (as a victim). Nothing is sent. */
cf_neg *cf_neg_new(cf_t *t, unsigned flags);
/* Offers the case to the node (SPEC §14.3): HEADS showing the charter, the
 * node's WANT answered, then the node's HEADS for the case expected. */
void cf_invite(cf_neg *n, cf_peer *p);
/* The parties in mask send their joins; each must be acknowledged unflagged. */
void cf_join(cf_neg *n, cf_peer *p, unsigned mask);
/* The usual start of a case: a peer as the tool's wire key, HELLO, a new
 * negotiation, the invitation, and the joins of S, C, V and O. */
cf_neg *cf_open(cf_t *t, cf_peer **main);
/* The same with the joins of the parties in mask only. */
cf_neg *cf_open_joins(cf_t *t, cf_peer **main, unsigned mask);
/* The same with cf_neg_new's flags. */
cf_neg *cf_open_flags(cf_t *t, cf_peer **main, unsigned mask, unsigned flags);
/* A second peer, as the suspect's key, following the case: its HELLO names
 * the case, and the node's HEADS for it must come (SPEC §14.4). */
cf_peer *cf_follower(cf_t *t, cf_neg *n);

/* The next header of who, seeing the heads of the parties in see (refs,
 * ascending by author), with the next timestamp; type as given. */
void cf_next_header(cf_neg *n, int who, uint64_t type, unsigned see, pl_header *h);
/* The next message of who with this body, signed, not sent; with advance,
 * it becomes who's head and is published (served on WANT). */
pl_msg *cf_make(cf_neg *n, int who, const pl_body *b, unsigned see, int advance);
pl_msg *cf_make_raw(cf_neg *n, int who, uint64_t type, const uint8_t *body, size_t blen,
                    unsigned see, int advance);
/* cf_make with advance, then sent on p. */
pl_msg *cf_post(cf_neg *n, cf_peer *p, int who, const pl_body *b, unsigned see);
pl_msg *cf_post_raw(cf_neg *n, cf_peer *p, int who, uint64_t type, const uint8_t *body, size_t blen,
                    unsigned see);
/* Keeps a message made elsewhere (freed with the negotiation). */
pl_msg *cf_keep(cf_neg *n, pl_msg *m);
void cf_publish(cf_neg *n, pl_msg *m);
const uint8_t *cf_pk(cf_neg *n, int who);

/* Expectations about one message sent. */
void cf_expect_valid(cf_peer *p, cf_neg *n, const pl_msg *m); /* ACK, no ERROR about it */
void cf_expect_flag(cf_peer *p, const pl_msg *m, int code);   /* ACK and ERROR notice */
/* ERROR code (refused); the id must be the message's when given, and is
 * required with need_id; no ACK may come for it. m may be NULL (frames). */
void cf_expect_refused(cf_peer *p, cf_neg *n, const pl_msg *m, const uint8_t *id, int code,
                       int need_id);
/* The node holds exactly these of author's messages from seq on: asks it
 * (WANT) and compares the ids, in order; count 0: none. */
void cf_expect_held(cf_peer *p, cf_neg *n, int who_or_minus1, const uint8_t *author, uint64_t seq,
                    const uint8_t (*ids)[PL_ID_BYTES], size_t count);
/* Round trip: WANT for the charter, wait for it. Everything the node sent
 * for frames before it has arrived once this returns (it answers in order). */
void cf_barrier(cf_peer *p, cf_neg *n);
/* The node still serves: a valid message on p is acknowledged. */
void cf_alive(cf_neg *n, cf_peer *p);
/* The same on a new connection (for when p may have been closed). */
void cf_alive_new(cf_neg *n);

/* ---- bytes (neg.c) --------------------------------------------------------------- */

/* A growing byte buffer and the msgpack pieces malformed input is made of. */
typedef struct {
    uint8_t *b;
    size_t n, cap;
} cf_buf;
void cf_buf_put(cf_buf *b, const void *p, size_t n);
void cf_buf_byte(cf_buf *b, uint8_t c);
void cf_mp_uint(cf_buf *b, uint64_t v); /* shortest form */
void cf_mp_array(cf_buf *b, uint32_t n);
void cf_mp_map(cf_buf *b, uint32_t n);
void cf_mp_str(cf_buf *b, const char *s, size_t n);
void cf_mp_bin(cf_buf *b, const uint8_t *p, size_t n);
void cf_mp_nil(cf_buf *b);
void cf_buf_free(cf_buf *b);

/* Changes to a header written by cf_raw_msg; zero is "as it should be". */
typedef struct {
    uint64_t version;    /* 0: PL_PROTOCOL_VERSION */
    int drop_body_hash;  /* 8 fields */
    uint8_t seq_prefix;  /* e.g. 0xcc: seq in a longer form than needed */
    uint8_t type_prefix; /* e.g. 0xd0: type as a signed int */
    int wrong_body_hash;
    const pl_key *signer;     /* NULL: the author's key */
    const uint8_t *sign_case; /* the case id in the signing input, NULL: the header's */
    int flip_sig;
    int short_sig;    /* a 63-byte signature */
    int two_elements; /* [header, body]: no signature */
} cf_tweak;

/* A message written byte by byte from h (refs in the order given, prev as
 * h says whatever seq is), body as given, signed over what was written.
 * The author is author's key. Returns the bytes (free()). */
uint8_t *cf_raw_msg(const pl_header *h, const pl_key *author, const uint8_t *body, size_t blen,
                    const cf_tweak *tw, size_t *len);

/* Bodies the suite sends. The pl_body points at static memory or at
 * what the caller passes. */
pl_body cf_opinion(const char *text);
pl_body cf_observation(const char *text);
/* A lawful first offer (criminal detention, months), or with answers. */
size_t cf_offer_body(uint64_t months, const uint8_t *answers, uint8_t *out, size_t cap,
                     uint8_t terms_hash[PL_HASH_BYTES]);
pl_body cf_sign_body(const uint8_t offer[PL_ID_BYTES], const uint8_t terms_hash[PL_HASH_BYTES]);
pl_body cf_propose(void);
pl_body cf_ref_body(uint64_t type, const uint8_t id[PL_ID_BYTES]); /* join, ack, accept */
pl_body cf_text_body(uint64_t type, const char *text); /* close, retract, withdraw, court-adjust */
/* A reopen on the court's request (SPEC §13.16), naming request when not NULL. */
pl_body cf_reopen_body(const uint8_t *request, const char *reasons);

#endif
