/* parley-demo-log: plays Case 1 of shared/CASES.md (dangerous driving,
 * speedy trial) with the real negotiation messages, signed with the key
 * files `parley keygen` made, and writes what a node would export:
 *   OUTDIR/case.log         the whole log (SPEC §8)
 *   OUTDIR/agreement.cert   the agreement certificate (SPEC §16)
 *   OUTDIR/fork.proof       an equivocation proof from an accidental fork
 * and logs with faults for test_cli.sh: forked-*.log, bad-body.log (a
 * message whose body has a key its type does not have)
 * Each step prints the agreement status; the prosecution's premature
 * attempt to sign is refused locally with the rule it would break. Offline,
 * without nodes: test_cli.sh uses it for a fork proof (`make demo` plays the
 * same case through four real nodes, scripts/demo.sh).
 * Usage: parley-demo-log OUTDIR PASSPHRASE_FILE P.key S.key C.key V.key O.key */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"
#include "world.h"

static world w;

static void die(const char *s, int rc)
{
    fprintf(stderr, "parley-demo-log: %s%s%s\n", s, rc ? ": " : "", rc ? pl_strerror(rc) : "");
    exit(1);
}

static const char *who_name[] = {"prosecution", "suspect", "counsel", "victim", "observer"};

/* Says b as `who`, printing one timeline line; dies if a rule refuses it. */
static pl_msg *say(int who, pl_body b, const char *what)
{
    pl_msg *m;
    int rc = w_say(&w, who, &b, &m);
    pl_case_status st;
    pl_case_status_get(w.c, &st);
    printf("  %-11s %-16s %-58s [%s]\n", who_name[who], pl_msg_type_name(b.type), what,
           pl_agreement_state_name(st.state));
    if (rc != PL_OK)
        die("a demo message broke a rule", rc);
    return m;
}

static void write_file(const char *dir, const char *name, const uint8_t *b, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(b, 1, n, f) != n || fclose(f) != 0)
        die("cannot write output", 0);
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: parley-demo-log OUTDIR PASSPHRASE_FILE P.key S.key C.key V.key O.key\n");
        return 2;
    }
    if (pl_init() != PL_OK)
        die("libsodium", 0);
    size_t plen;
    char *pass = (char *)tu_read_file(argv[2], &plen);
    if (pass == NULL)
        die("cannot read the passphrase file", 0);
    while (plen > 0 && (pass[plen - 1] == '\n' || pass[plen - 1] == '\r'))
        plen--;
    pl_key *keys[5];
    for (int i = 0; i < 5; i++) {
        size_t n;
        uint8_t *f = tu_read_file(argv[3 + i], &n);
        int rc = f ? pl_keyfile_open(f, n, pass, plen, &keys[i]) : PL_E_KEYFILE;
        free(f);
        if (rc != PL_OK)
            die("cannot open a key file with that passphrase", rc);
    }
    free(pass);

    printf("  %-11s %-16s %-58s [%s]\n", "prosecution", "charter",
           "Case 1, parties named; suspect, counsel, victim, observer join", "none");
    w_init_keys(&w, 0, keys);

    pl_msg *d = say(W_P, wb_disclose(), "discloses blood test report and dash-cam video");
    say(W_C, wb_ref(PL_T_DISCLOSE_ACK, d), "acknowledges receipt of both items");
    pl_msg *prop = say(W_C, wb_propose(1, 0), "proposes a session at the procuratorate, public");
    say(W_P, wb_ref(PL_T_SESSION_ACCEPT, prop), "accepts; both consent to public observation");
    pl_msg *o1 = say(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 3, 0, 5000, NULL),
                     "offers detention 3 months, fine 5,000 yuan, speedy trial");
    pl_msg *co = say(W_C, wb_offer(&w, PL_PENALTY_DETENTION, 2, 4, 3000, o1),
                     "counter-offers detention 2 m., probation 4 m., fine 3,000");
    pl_msg *r1 = say(W_P, wb_response(co, PL_DECISION_PARTLY,
                                      "Probation accepted; fine 4,000 yuan given the BAC."),
                     "answers: partly adopted, with reasons");
    (void)r1;
    pl_msg *fin = say(W_P, wb_offer(&w, PL_PENALTY_DETENTION, 2, 3, 4000, co),
                      "offers detention 2 m., probation 3 m., fine 4,000 yuan");
    pl_msg *vo = say(W_V, wb_opinion(PL_TOPIC_FORGIVENESS, "No injury; I do not oppose leniency."),
                     "victim's opinion: no objection to leniency");

    /* The prosecution tries to sign while the victim's opinion is open. */
    {
        pl_body sg = wb_sign(fin);
        uint8_t body[256];
        size_t blen;
        pl_header h;
        memset(&h, 0, sizeof h);
        h.version = PL_PROTOCOL_VERSION;
        memcpy(h.case_id, w.case_id, 32);
        h.seq = pl_msg_header(w.head[W_P])->seq + 1;
        h.has_prev = 1;
        memcpy(h.prev, pl_msg_id(w.head[W_P]), 32);
        for (int p = W_S; p <= W_O; p++) {
            pl_ref *r = &h.refs[h.nrefs++];
            memcpy(r->author, pl_msg_header(w.head[p])->author, 32);
            r->seq = pl_msg_header(w.head[p])->seq;
            memcpy(r->id, pl_msg_id(w.head[p]), 32);
        }
        for (size_t x = 1; x < h.nrefs; x++) /* ascending by author */
            for (size_t y = x; y > 0 && memcmp(h.refs[y - 1].author, h.refs[y].author, 32) > 0; y--) {
                pl_ref t = h.refs[y];
                h.refs[y] = h.refs[y - 1], h.refs[y - 1] = t;
            }
        h.timestamp_ms = w.clock + 1;
        h.type = PL_T_SIGN;
        pl_msg *attempt;
        if (pl_body_encode(&sg, body, sizeof body, &blen) != PL_OK ||
            pl_msg_sign(&h, body, blen, w.k[W_P], &attempt) != PL_OK)
            die("building the attempt", 0);
        int rc = pl_case_check(w.c, attempt);
        printf("  %-11s %-16s %-58s\n", "prosecution", "sign (refused)",
               "tries to sign with the victim's opinion unanswered:");
        printf("              refused locally, nothing sent: %s [%s, SPEC §%s]\n", pl_strerror(rc),
               pl_errname(rc), pl_errsection(rc));
        pl_msg_destroy(&attempt);
        if (rc != PL_E_UNANSWERED)
            die("the premature signature was not refused", rc);
    }
    say(W_P, wb_response(vo, PL_DECISION_ADOPTED, "The victim's view is taken into account."),
        "answers the victim: adopted");
    pl_msg *psig = say(W_P, wb_sign(fin), "signs the terms of its last offer (binding)");
    say(W_S, wb_sign(fin), "suspect signs the same terms");
    say(W_C, wb_sign(fin), "counsel signs the same terms: FINAL");
    say(W_O, wb_simple(PL_T_ATTESTATION, "All heads verified; no violation seen."),
        "observer attests the heads it verified");

    /* the exports */
    const pl_msg *order[1024];
    memcpy(order, w.log, w.n * sizeof *order);
    if (pl_log_order(order, w.n) != PL_OK)
        die("order", 0);
    size_t cap = PL_LOGFILE_HEADER_BYTES, n = 0;
    for (size_t i = 0; i < w.n; i++) {
        size_t len;
        pl_msg_bytes(order[i], &len);
        cap += len;
    }
    uint8_t *file = malloc(cap);
    pl_logfile_header(w.case_id, file);
    n = PL_LOGFILE_HEADER_BYTES;
    for (size_t i = 0; i < w.n; i++) {
        size_t len;
        const uint8_t *b = pl_msg_bytes(order[i], &len);
        memcpy(file + n, b, len);
        n += len;
    }
    write_file(argv[1], "case.log", file, n);
    free(file);
    uint8_t *cert;
    size_t cn;
    int rc = pl_cert_build(w.c, &cert, &cn);
    if (rc != PL_OK)
        die("certificate", rc);
    write_file(argv[1], "agreement.cert", cert, cn);
    free(cert);

    /* An accidental fork: the prosecution's node, restored from a backup
     * taken before it signed, signs a different message in that place. */
    pl_header h2;
    pl_msg_header_copy(psig, &h2);
    static const uint8_t body[] = {0x81, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0xaf, 'r', 'e',
                                   's', 't', 'o', 'r', 'e', 'd', ' ', 'b', 'a', 'c', 'k', 'u', 'p'};
    h2.type = PL_T_CLOSE;
    pl_msg *fork;
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t pn = 0;
    if (pl_msg_sign(&h2, body, sizeof body, w.k[W_P], &fork) != PL_OK ||
        pl_equiv_proof_build(psig, fork, proof, sizeof proof, &pn) != PL_OK)
        die("proof", 0);
    write_file(argv[1], "fork.proof", proof, pn);
    /* The same log holding both messages of the fork (SPEC §8.3, §13.14):
     * the fork after the original (forked-after.log) and just before it
     * (forked-before.log). A reader applies the proof it can build either
     * way, so neither shows the agreement final. */
    size_t flen;
    const uint8_t *fb = pl_msg_bytes(fork, &flen);
    for (int before = 0; before < 2; before++) {
        uint8_t *ff = malloc(cap + flen);
        size_t fn = PL_LOGFILE_HEADER_BYTES;
        pl_logfile_header(w.case_id, ff);
        for (size_t i = 0; i < w.n; i++) {
            size_t len;
            const uint8_t *b = pl_msg_bytes(order[i], &len);
            if (before && order[i] == psig)
                memcpy(ff + fn, fb, flen), fn += flen;
            memcpy(ff + fn, b, len), fn += len;
        }
        if (!before)
            memcpy(ff + fn, fb, flen), fn += flen;
        write_file(argv[1], before ? "forked-before.log" : "forked-after.log", ff, fn);
        free(ff);
    }
    /* ... and with the forked slot no longer the author's head when the
     * second message comes (a later prosecution message in between) */
    {
        pl_header h3;
        pl_msg_header_copy(psig, &h3);
        h3.seq = h3.seq + 1;
        h3.has_prev = 1;
        memcpy(h3.prev, pl_msg_id(psig), PL_ID_BYTES);
        h3.timestamp_ms += 1000;
        h3.type = PL_T_CLOSE;
        pl_msg *next;
        if (pl_msg_sign(&h3, body, sizeof body, w.k[W_P], &next) != PL_OK)
            die("the message after the signature", 0);
        size_t nl;
        const uint8_t *nb = pl_msg_bytes(next, &nl);
        uint8_t *ff = malloc(cap + flen + nl);
        size_t fn = PL_LOGFILE_HEADER_BYTES;
        pl_logfile_header(w.case_id, ff);
        for (size_t i = 0; i < w.n; i++) {
            size_t len;
            const uint8_t *b = pl_msg_bytes(order[i], &len);
            memcpy(ff + fn, b, len), fn += len;
        }
        memcpy(ff + fn, nb, nl), fn += nl;
        memcpy(ff + fn, fb, flen), fn += flen;
        write_file(argv[1], "forked-not-head.log", ff, fn);
        /* issue 13 §3: the same next message with a key no close has
         * (bad-body.log): flagged PL_E_BODY, the field named */
        static const uint8_t odd[] = {0x82, 0xa7, 'r', 'e', 'a', 's', 'o', 'n', 's', 0xa4,
                                      'd', 'o', 'n', 'e', 0xa3, 'z', 'z', 'z', 0x01};
        pl_msg *oddm;
        if (pl_msg_sign(&h3, odd, sizeof odd, w.k[W_P], &oddm) != PL_OK)
            die("the message with an unknown key", 0);
        const uint8_t *ob = pl_msg_bytes(oddm, &nl);
        fn = PL_LOGFILE_HEADER_BYTES;
        for (size_t i = 0; i < w.n; i++) {
            size_t len;
            const uint8_t *b = pl_msg_bytes(order[i], &len);
            memcpy(ff + fn, b, len), fn += len;
        }
        memcpy(ff + fn, ob, nl), fn += nl;
        write_file(argv[1], "bad-body.log", ff, fn);
        pl_msg_destroy(&oddm);
        free(ff);
        pl_msg_destroy(&next);
    }
    pl_msg_destroy(&fork);
    printf("\nwrote %s/case.log (%zu messages), %s/agreement.cert (%zu bytes), %s/fork.proof\n",
           argv[1], w.n, argv[1], cn, argv[1]);
    w_free(&w);
    return 0;
}
