/* parley-demo-log: writes the demo's log of Case 1 (shared/CASES.md:
 * dangerous driving, speedy trial) signed with the key files `parley keygen`
 * made, plus an equivocation proof from an accidental fork.
 *
 * This stands in for the node and the negotiation verbs until they land:
 * bodies are plain text ({"text": …}); the negotiation layer (SPEC §13) will
 * give each type its structured body. Usage:
 *   parley-demo-log OUTDIR PASSPHRASE_FILE P.key S.key C.key V.key O.key */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

enum { P, S, C, V, O, NPARTIES };

static pl_key *key[NPARTIES];
static pl_msg *head[NPARTIES];
static pl_msg *all[64];
static size_t nall;
static uint8_t CASE[PL_CASE_ID_BYTES];
static uint64_t clock_ms = 1796112000000ull; /* 2026-12-01T08:00:00Z */

static void die(const char *s)
{
    fprintf(stderr, "parley-demo-log: %s\n", s);
    exit(1);
}

/* The next message of party a, referencing the latest of everyone else. */
static pl_msg *say(int a, uint64_t type, const char *text)
{
    const pl_msg *refs[NPARTIES];
    size_t n = 0;
    for (int b = 0; b < NPARTIES; b++)
        if (b != a && head[b] != NULL)
            refs[n++] = head[b];
    clock_ms += 7 * 60 * 1000;
    pl_msg *m = tu_msg(key[a], CASE, head[a], refs, n, clock_ms, type, text);
    head[a] = m;
    all[nall++] = m;
    return m;
}

static void write_file(const char *dir, const char *name, const uint8_t *b, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(b, 1, n, f) != n || fclose(f) != 0)
        die("cannot write output");
}

int main(int argc, char **argv)
{
    if (argc != 3 + NPARTIES) {
        fprintf(stderr, "usage: parley-demo-log OUTDIR PASSPHRASE_FILE P.key S.key C.key V.key O.key\n");
        return 2;
    }
    if (pl_init() != PL_OK)
        die("libsodium");
    size_t plen;
    char *pass = (char *)tu_read_file(argv[2], &plen);
    if (pass == NULL)
        die("cannot read the passphrase file");
    while (plen > 0 && (pass[plen - 1] == '\n' || pass[plen - 1] == '\r'))
        plen--;
    for (int i = 0; i < NPARTIES; i++) {
        size_t n;
        uint8_t *f = tu_read_file(argv[3 + i], &n);
        if (f == NULL || pl_keyfile_open(f, n, pass, plen, &key[i]) != PL_OK)
            die("cannot open a key file with that passphrase");
        free(f);
    }
    free(pass);
    /* The case id: a hash of the charter's key and a label (the charter of
     * SPEC §13 will fix how case ids are drawn). */
    pl_hash3(CASE, "parley demo case 1", 18, pl_key_pk(key[P]), 32, NULL, 0);

    say(P, PL_T_CHARTER, "Case 1: dangerous driving (Criminal Law art. 133-1); BAC 150 mg/100 ml, "
                         "no accident, immediate confession. Parties: prosecution, suspect, "
                         "counsel, victim, observer.");
    say(S, PL_T_JOIN, "I join the negotiation.");
    say(C, PL_T_JOIN, "Counsel joins for the suspect.");
    say(V, PL_T_JOIN, "The victim's agent joins.");
    say(O, PL_T_JOIN, "Observer, drawn from the public pool, joins.");
    say(P, PL_T_DISCLOSE, "Disclosed: breath test report, blood test report, dash-cam video "
                          "(content-addressed).");
    say(C, PL_T_DISCLOSE_ACK, "Received all three items.");
    say(C, PL_T_SESSION_PROPOSE, "Session at the procuratorate's office (not a detention "
                                 "facility), 2026-12-03 10:00; public observation: yes.");
    say(P, PL_T_SESSION_ACCEPT, "Accepted; public observation: yes.");
    say(P, PL_T_OFFER, "Offer: criminal detention 3 months; fine 5,000 yuan; no probation; "
                       "speedy trial.");
    say(C, PL_T_OFFER, "Counter-offer: detention 2 months; probation 4 months; fine 3,000 yuan. "
                       "Grounds: immediate confession, clean record.");
    say(V, PL_T_OPINION, "No injury occurred; the victim does not oppose leniency.");
    say(P, PL_T_RESPONSE, "Counter-offer partly adopted: probation accepted; fine 4,000 yuan "
                          "because of the high blood alcohol level.");
    say(P, PL_T_RESPONSE, "Victim's opinion adopted.");
    pl_msg *final = say(P, PL_T_OFFER, "Offer: detention 2 months; probation 3 months; fine "
                                       "4,000 yuan; speedy trial.");
    say(P, PL_T_SIGN, "Prosecution signs the terms of the last offer.");
    say(S, PL_T_SIGN, "Suspect signs the same terms.");
    say(C, PL_T_SIGN, "Counsel signs the same terms.");
    say(O, PL_T_ATTESTATION, "Observer attests the heads it has verified.");

    const pl_msg *order[64];
    memcpy(order, all, nall * sizeof *order);
    if (pl_log_order(order, nall) != PL_OK)
        die("order");
    static uint8_t file[1 << 20];
    size_t n = PL_LOGFILE_HEADER_BYTES;
    pl_logfile_header(CASE, file);
    for (size_t i = 0; i < nall; i++) {
        size_t len;
        const uint8_t *b = pl_msg_bytes(order[i], &len);
        memcpy(file + n, b, len);
        n += len;
    }
    write_file(argv[1], "case.log", file, n);

    /* An accidental fork: the prosecution's node restored from a backup taken
     * before its final offer and signed another message in its place. */
    const pl_header *fh = pl_msg_header(final);
    pl_msg *prev = NULL;
    for (size_t i = 0; i < nall; i++)
        if (pl_msg_header(all[i])->seq + 1 == fh->seq &&
            memcmp(pl_msg_header(all[i])->author, fh->author, 32) == 0)
            prev = all[i];
    pl_msg *fork = tu_msg(key[P], CASE, prev, NULL, 0, fh->timestamp_ms, PL_T_OFFER,
                          "Offer: detention 3 months; fine 5,000 yuan (restored from backup).");
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t plen2;
    if (pl_equiv_proof_build(final, fork, proof, sizeof proof, &plen2) != PL_OK)
        die("proof");
    write_file(argv[1], "fork.proof", proof, plen2);
    printf("wrote %s/case.log (%zu messages, %zu bytes) and %s/fork.proof\n", argv[1], nall, n,
           argv[1]);
    pl_msg_destroy(&fork);
    for (size_t i = 0; i < nall; i++)
        pl_msg_destroy(&all[i]);
    for (int i = 0; i < NPARTIES; i++)
        pl_key_destroy(&key[i]);
    return 0;
}
