/* Parley error codes.
 *
 * Every function in libparley returns 0 (PL_OK) or one negative code from this
 * list. The names (pl_errname) are part of the protocol: the spec's error
 * table (SPEC §9), the invalid test vectors and the conformance suite print
 * them, so a name never changes meaning once published. */
#ifndef PARLEY_ERROR_H
#define PARLEY_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, spec section, message). The message says what is wrong in
 * words a user can act on; callers add the offending value. */
#define PL_ERRORS(X)                                                                              \
    X(PL_OK, 0, "9", "success")                                                                   \
    X(PL_E_NOMEM, -1, "9", "out of memory")                                                       \
    X(PL_E_ARG, -2, "9", "invalid argument (API misuse)")                                         \
    X(PL_E_BUFSIZE, -3, "9", "output buffer too small")                                           \
    X(PL_E_CRYPTO, -4, "9", "cryptographic library failure")                                      \
    X(PL_E_TOO_BIG, -10, "5", "input exceeds the size limit")                                     \
    X(PL_E_TRUNCATED, -11, "3.1", "input ends inside a value")                                    \
    X(PL_E_TRAILING, -12, "3.1", "bytes follow the end of the value")                             \
    X(PL_E_DEPTH, -13, "3.6", "values nested too deeply")                                         \
    X(PL_E_COUNT, -14, "3.6", "too many elements in an array or map, or in total")               \
    X(PL_E_FORBIDDEN_TYPE, -15, "3.2", "forbidden msgpack type (float or ext)")                   \
    X(PL_E_NONCANONICAL, -16, "3.3", "not in canonical form (a longer encoding than needed)")      \
    X(PL_E_UTF8, -17, "3.4", "string is not valid UTF-8")                                         \
    X(PL_E_MAP_KEY, -18, "3.5", "map key is not a string")                                        \
    X(PL_E_MAP_ORDER, -19, "3.5", "map keys are not in ascending order or are duplicated")        \
    X(PL_E_STR_LEN, -20, "3.6", "string or binary value longer than allowed")                     \
    X(PL_E_SCHEMA, -21, "4.1", "a field has the wrong type, length or count")                    \
    X(PL_E_VERSION, -22, "4.2", "unsupported protocol version")                                  \
    X(PL_E_SEQ, -23, "4.2", "sequence number is 0, or prev does not match it")                    \
    X(PL_E_REFS, -24, "4.3", "references are unsorted, duplicated or point to the author")      \
    X(PL_E_MSG_TYPE, -25, "4.5", "unknown message type")                                          \
    X(PL_E_BODY_HASH, -26, "4.4", "body does not match the body hash in the header")             \
    X(PL_E_SIG, -27, "4.6", "signature does not verify")                                          \
    X(PL_E_CASE, -28, "6.3", "message belongs to another case")                                   \
    X(PL_E_PREV, -29, "6.1", "prev is not the id of the author's previous message")               \
    X(PL_E_REF_MISMATCH, -30, "6.2", "a reference gives an id other than that of the message it names")        \
    X(PL_E_TIMESTAMP, -31, "6.5", "timestamp is earlier than the author's previous message")      \
    X(PL_E_EQUIVOCATION, -32, "7.1", "author signed two different messages with one sequence number") \
    X(PL_E_PENDING_FULL, -33, "6.7", "too many messages waiting for their predecessors")          \
    X(PL_E_AUTHOR_LIMIT, -34, "6.7", "too many authors in one log")                               \
    X(PL_E_UNRESOLVED, -35, "6.7", "a predecessor or referenced message never arrived")          \
    X(PL_E_PROOF, -36, "7.3", "not a valid equivocation proof")                                   \
    X(PL_E_KEYFILE, -37, "2.3", "not a valid Parley key file")                                    \
    X(PL_E_PASSPHRASE, -38, "2.3", "wrong passphrase, or the key file was altered")              \
    X(PL_E_LOGFILE, -39, "8", "not a Parley log file (bad magic or case id)")

typedef enum {
#define PL_ERR_ENUM_(name, value, section, msg) name = value,
    PL_ERRORS(PL_ERR_ENUM_)
#undef PL_ERR_ENUM_
} pl_err;

/* A sentence describing the error; never NULL (unknown codes say so). */
const char *pl_strerror(int err);

/* The code's name, e.g. "PL_E_SIG"; "PL_E_UNKNOWN" for codes not listed. */
const char *pl_errname(int err);

/* The spec section that defines the condition, e.g. "4.6". */
const char *pl_errsection(int err);

/* The code for a name printed by pl_errname, or 1 (not a code) if unknown. */
int pl_err_from_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif
