/* Parley error codes.
 *
 * Every function in libparley returns 0 (PL_OK) or one negative code from this
 * list. The names (pl_errname) are part of the protocol: the spec's error
 * table (SPEC §9), the invalid test vectors and the conformance suite print
 * them, so a name never changes meaning once published. */
#ifndef PARLEY_ERROR_H
#define PARLEY_ERROR_H

#include "parley/export.h"

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
    X(PL_E_LOGFILE, -39, "8", "not a Parley log file (bad magic or case id)")                \
    X(PL_E_WIRE, -40, "14.2", "malformed wire frame")                                            \
    X(PL_E_WIRE_KIND, -41, "14.2", "unknown wire frame kind")                                    \
    X(PL_E_WIRE_VERSION, -42, "14.2", "unsupported wire protocol version")                        \
    X(PL_E_HELLO, -43, "14.3", "HELLO must come first and name the key the peer authenticated with") \
    X(PL_E_NOT_FOLLOWED, -44, "14.3", "the peer does not follow this case or is not one of its participants") \
    X(PL_E_UNKNOWN_CASE, -45, "14.3", "this node does not host the case")                           \
    X(PL_E_RATE, -46, "14.10", "too many frames from this peer; frames were dropped, slow down")    \
    PL_ERRORS_TERMS(X)                                                                            \
    PL_ERRORS_RULES(X)                                                                            \
    PL_ERRORS_NODE(X)

/* Sentencing terms (SPEC §15), codes -100 to -149. */
#define PL_ERRORS_TERMS(X) /* terms: begin */                                                     \
    X(PL_E_TERMS_SCHEMA, -100, "15.2", "terms: a key is missing or unknown, or a value has the wrong type, length or characters") \
    X(PL_E_TERMS_CHARGES, -101, "15.2", "terms name no charge, or more than 16")                   \
    X(PL_E_TERMS_PENALTY_KIND, -102, "15.2", "unknown main penalty")                               \
    X(PL_E_TERMS_PENALTY_RANGE, -103, "15.4", "the penalty's minimum exceeds its maximum")         \
    X(PL_E_TERMS_CHARGE_TERM, -104, "15.4", "a charge's individual term is misplaced or outside the limits for one crime") \
    X(PL_E_TERMS_SURVEILLANCE, -105, "15.4", "public surveillance outside 3 to 24 months (36 for several crimes)") \
    X(PL_E_TERMS_DETENTION, -106, "15.4", "criminal detention outside 1 to 6 months (12 for several crimes)") \
    X(PL_E_TERMS_IMPRISONMENT, -107, "15.4", "fixed-term imprisonment outside 6 to 180 months (240 or 300 for several crimes)") \
    X(PL_E_TERMS_COMBINED_SPAN, -108, "15.4", "combined sentence below the longest individual term or above their total") \
    X(PL_E_TERMS_EXEMPTION, -109, "15.4", "exemption from punishment together with a penalty")     \
    X(PL_E_TERMS_PROBATION_KIND, -110, "15.4", "probation with a penalty that does not allow it")  \
    X(PL_E_TERMS_PROBATION_EXCLUDED, -111, "15.4", "probation for a recidivist or a ringleader")   \
    X(PL_E_TERMS_PROBATION_PERIOD, -112, "15.4", "probation period outside its statutory limits")  \
    X(PL_E_TERMS_FINE, -113, "15.4", "a fine that is not a positive amount")                       \
    X(PL_E_TERMS_POLITICAL_RIGHTS, -114, "15.4", "deprivation of political rights outside its statutory term") \
    X(PL_E_TERMS_CONFISCATION, -115, "15.2", "confiscation other than part or all of the property") \
    X(PL_E_TERMS_PROCEDURE, -116, "15.2", "unknown trial procedure")                               \
    X(PL_E_TERMS_SPEEDY_TRIAL, -117, "15.4", "speedy trial for a sentence above 36 months of imprisonment") \
    X(PL_E_TERMS_SUMMARY, -118, "15.4", "summary procedure for life imprisonment")                 \
    X(PL_E_TERMS_GROUNDS, -119, "15.2", "leniency grounds unknown, repeated, out of order or too many") \
    X(PL_E_TERMS_ADDITIONAL, -120, "15.4", "additional penalties alone, but none is given") \
    X(PL_E_TERMS_CUSTODY, -121, "15.4", "days of custody or designated residence that are 0 or negative") \
    X(PL_E_TERMS_PROHIBITION, -122, "15.4", "a prohibition order without surveillance or probation, or outside its period") \
    X(PL_E_TERMS_OCCUPATION_BAN, -123, "15.4", "an occupation ban outside 36 to 60 months, or without a punishment") \
    X(PL_E_TERMS_ARTICLE, -124, "15.4", "a sentence outside the range the charge's article sets") \
    X(PL_E_TERMS_MINOR, -125, "15.4", "a minor offender named a recidivist") \
    X(PL_E_TERMS_SPEEDY_EXCLUDED, -126, "15.4", "speedy trial for a minor or impaired offender") \
    X(PL_E_TERMS_SUMMARY_EXCLUDED, -127, "15.4", "summary procedure for an impaired offender")     \
    X(PL_E_TERMS_FINE_FLOOR, -128, "15.4", "a fine below 1,000 yuan (500 for a minor) for a catalogued crime whose article sets no fine standard") \
    X(PL_E_TERMS_FINE_STANDARD, -129, "15.4", "a fine above the amount the charges' article sets (art. 196: 200,000 yuan for bracket 1; 500,000 otherwise)") /* terms: end */

/* The node's own failures (storage, files), codes -300 to -349. They are
 * never verdicts on a message: a peer's message is never blamed for them. */
#define PL_ERRORS_NODE(X)                                                                        \
    X(PL_E_IO, -300, "9.2", "a file could not be read or written")                                \
    X(PL_E_LOCKED, -301, "9.2", "another process holds this node's store")                         \
    X(PL_E_STORE, -302, "9.2", "the store's database failed or is damaged")                        \
    X(PL_E_STORE_VERSION, -303, "9.2", "the store was written by an unknown version")            \
    X(PL_E_NOT_SYNCED, -304, "14.11", "no peer has yet shown this node its own latest messages in the case") \
    X(PL_E_CONFIG, -305, "9.2", "the node's configuration is invalid")                            \
    X(PL_E_CONTROL, -306, "9.2", "malformed or unknown control request")                         \
    X(PL_E_DISK, -307, "14.7", "this node's disk is full or failing: it stores nothing until it can write again")

/* Negotiation rules (SPEC §13), codes -150 to -249. */
#define PL_ERRORS_RULES(X) /* rules: begin */                                                   \
    X(PL_E_BODY, -150, "13.5", "the body does not match the schema of its message type")         \
    X(PL_E_NO_CHARTER, -151, "13.2", "the author had not seen the case's charter")               \
    X(PL_E_CHARTER, -152, "13.2", "not a valid charter for this case")                            \
    X(PL_E_NOT_PARTICIPANT, -153, "13.3", "the author is not a participant of the case")           \
    X(PL_E_NOT_JOINED, -154, "13.3", "a participant's first message must be its join naming the charter, and only its first") \
    X(PL_E_ROLE, -155, "13.1", "the author's role may not send this message")                      \
    X(PL_E_UNANSWERED, -156, "13.8", "R3: the prosecution acted while an input it had seen was unanswered") \
    X(PL_E_TARGET, -157, "13.4", "the message refers to a message its author had not seen, or of the wrong kind") \
    X(PL_E_SIGN_ORDER, -158, "13.9", "the defense signed terms the prosecution had not signed first") \
    X(PL_E_TERMS_MISMATCH, -159, "13.9", "the signed terms hash differs from the offer's terms")  \
    X(PL_E_WITHDRAWN, -160, "13.10", "the offer (or, version 2, the settlement proposal) was withdrawn before this signature or acceptance")              \
    X(PL_E_ENDED, -161, "13.10", "the round has ended (final, withdrawn or closed)")               \
    X(PL_E_SAME_SIDE, -162, "13.11", "R6: a session is accepted or declined only by the other side") \
    X(PL_E_SESSION_STATE, -163, "13.11", "the session proposal was already answered")             \
    X(PL_E_NOT_FINAL, -164, "13.15", "there is no final agreement to retract or adjust")          \
    X(PL_E_DRAW, -165, "13.13", "R8: invalid observer draw commitment or reveal")                  \
    X(PL_E_ATTESTATION, -166, "13.13", "R8: an attestation names older heads than the observer's previous one") \
    X(PL_E_RECORDING, -167, "13.17", "R12: a recording must belong to a fixed session")            \
    X(PL_E_EQUIVOCATED, -168, "13.14", "R9: the author forked its chain at or before this message") \
    X(PL_E_PARTICIPANTS, -169, "13.18", "a side may change only its own people; both sides must sign the change") \
    X(PL_E_KEY, -170, "13.18", "the new key is already a participant, or the old key is not")     \
    X(PL_E_CERT, -171, "16.3", "not a valid agreement certificate")                                \
    X(PL_E_SIGNED, -172, "13.9", "this defense role already signed in this round")                  \
    X(PL_E_SEAT, -173, "13.18", "a change of the suspect's or a counsel's key lacks the consent of the person affected, or a seat's acceptance does not verify") \
    X(PL_E_QUOTA, -174, "13.22", "R14: the author's quota of messages, bytes or open inputs in this case is used up") \
    X(PL_E_TRUST, -175, "16.5", "not a valid trust file or endorsement") \
    X(PL_E_UNTRUSTED, -176, "16.5", "no trust anchor vouches for this signer's key") \
    X(PL_E_IDENTITY, -177, "13.3", "the suspect's identity is not confirmed as the charter binds it, in a fixed session") \
    X(PL_E_REOPEN, -178, "13.16", "a reopening names the court's request exactly when its ground is the court's request") \
    X(PL_E_PRESENCE, -182, "13.9", "a signature names a session that is not fixed, a witness or dissent not by counsel, a duty lawyer signs while a defender holds the counsel role or for a minor or impaired offender, or a minor signs before the guardian's word, or a suspect who needs an interpreter signs without one's statement") \
    X(PL_E_AFTER_JUDGMENT, -179, "13.23", "the case is judged: no retraction or negotiation act after a judgment both sides recorded (or the author's own role recorded), and one judgment per role") \
    X(PL_E_SETTLEMENT, -180, "13.25", "a settlement accepts only the other party's settlement, one that accepts none, with the same document, kind, amounts and forgiveness") \
    /* rules: end */

typedef enum {
#define PL_ERR_ENUM_(name, value, section, msg) name = value,
    PL_ERRORS(PL_ERR_ENUM_)
#undef PL_ERR_ENUM_
} pl_err;

/* Not an error: an iteration has ended (pl_logfile_next at the end of the
 * file). The one positive return of the library, named so that a loop
 * says what it waits for (issue 13 §3). */
#define PL_END 1

/* A sentence describing the error; never NULL (unknown codes say so). */
PL_API const char *pl_strerror(int err);

/* The code's name, e.g. "PL_E_SIG"; "PL_E_UNKNOWN" for codes not listed. */
PL_API const char *pl_errname(int err);

/* The spec section that defines the condition, e.g. "4.6". */
PL_API const char *pl_errsection(int err);

/* The code for a name printed by pl_errname, or 1 (not a code) if unknown. */
PL_API int pl_err_from_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif
