/* Agreement certificates (SPEC §16): build from a judged case, verify alone.
 *
 * Layout: magic line, case id, the claim as one canonical msgpack value
 * [sig_p, sig_s, sig_c, attestation or nil] (ids), then the messages in
 * display order, each in its canonical encoding, as in a log file (SPEC §8).
 * Verification runs the same core verifier and the same rules engine as a
 * node: nothing here decides anything the rest of the protocol does not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal.h"

/* SPEC §16.1: the claim, canonical. */
static int claim_encode(const uint8_t *ids[4], pl_packbuf *b)
{
    msgpack_pack_array(&b->pk, 4);
    for (int i = 0; i < 4; i++) {
        if (ids[i])
            msgpack_pack_bin_with_body(&b->pk, ids[i], PL_ID_BYTES);
        else
            msgpack_pack_nil(&b->pk);
    }
    return b->failed ? PL_E_NOMEM : PL_OK;
}

/* Marks the causal past of message i (and i) in keep[], iteratively. */
static int mark_past(const pl_case *c, size_t i, char *keep)
{
    size_t n = pl_case_count(c);
    size_t *stack = malloc(n * sizeof *stack), sp = 0;
    if (stack == NULL)
        return PL_E_NOMEM;
    if (!keep[i])
        keep[i] = 1, stack[sp++] = i;
    while (sp > 0) {
        const pl_header *h = pl_msg_header(pl_case_msg(c, stack[--sp]));
        long p;
        if (h->has_prev && (p = pl_case_find(c, h->prev)) >= 0 && !keep[p])
            keep[p] = 1, stack[sp++] = (size_t)p;
        for (size_t r = 0; r < h->nrefs; r++)
            if ((p = pl_case_find(c, h->refs[r].id)) >= 0 && !keep[p])
                keep[p] = 1, stack[sp++] = (size_t)p;
    }
    free(stack);
    return PL_OK;
}

int pl_cert_build(const pl_case *c, uint8_t **out, size_t *out_len)
{
    pl_case_status st;
    int rc;
    if (c == NULL || out == NULL || out_len == NULL || (pl_case_flags(c) & PL_CASE_LEAN))
        return PL_E_ARG; /* a lean case has not the messages' bytes */
    *out = NULL;
    *out_len = 0;
    pl_case_status_get(c, &st);
    if (st.state != PL_AGREEMENT_FINAL)
        return PL_E_NOT_FINAL;

    size_t n = pl_case_count(c);
    long sigs[3] = {st.sign_prosecution, st.sign_suspect, st.sign_counsel};
    /* SPEC §16.1 (v2): the claim does not depend on the order in which this
     * node received the messages, so that every export of one agreement,
     * from any node, is the same file: of the valid signatures of the
     * agreement's round naming its offer, the smallest id per role. */
    static const pl_role roles[3] = {PL_ROLE_PROSECUTION, PL_ROLE_SUSPECT, PL_ROLE_COUNSEL};
    const uint8_t *offer = pl_case_body(c, (size_t)sigs[0])->u.sign.offer;
    uint64_t round = pl_case_round(c, (size_t)sigs[0]);
    for (size_t i = 0; i < n; i++) {
        const pl_msg *mi = pl_case_msg(c, i);
        if (pl_msg_header(mi)->type != PL_T_SIGN || pl_case_verdict(c, i) != PL_OK ||
            pl_case_round(c, i) != round ||
            memcmp(pl_case_body(c, i)->u.sign.offer, offer, PL_ID_BYTES) != 0)
            continue;
        for (int k = 0; k < 3; k++)
            if (pl_case_msg_role(c, i) == roles[k] &&
                memcmp(pl_msg_id(mi), pl_msg_id(pl_case_msg(c, (size_t)sigs[k])), PL_ID_BYTES) < 0)
                sigs[k] = (long)i;
    }
    /* The attestation: of the valid attestations whose past holds all
     * three signatures, each observer's first; of those, the smallest id. */
    long att = -1;
    for (size_t i = 0; i < n; i++) {
        const pl_msg *mi = pl_case_msg(c, i);
        if (pl_msg_header(mi)->type != PL_T_ATTESTATION || pl_case_verdict(c, i) != PL_OK ||
            !pl_case_saw(c, i, (size_t)sigs[0]) || !pl_case_saw(c, i, (size_t)sigs[1]) ||
            !pl_case_saw(c, i, (size_t)sigs[2]))
            continue;
        int first = 1; /* no earlier covering attestation of the same observer */
        for (size_t k = 0; k < n && first; k++) {
            const pl_msg *mk = pl_case_msg(c, k);
            first = !(k != i && pl_msg_header(mk)->type == PL_T_ATTESTATION &&
                      pl_case_verdict(c, k) == PL_OK &&
                      memcmp(pl_msg_header(mk)->author, pl_msg_header(mi)->author, PL_PK_BYTES) == 0 &&
                      pl_msg_header(mk)->seq < pl_msg_header(mi)->seq &&
                      pl_case_saw(c, k, (size_t)sigs[0]) && pl_case_saw(c, k, (size_t)sigs[1]) &&
                      pl_case_saw(c, k, (size_t)sigs[2]));
        }
        if (first && (att < 0 || memcmp(pl_msg_id(mi), pl_msg_id(pl_case_msg(c, (size_t)att)),
                                        PL_ID_BYTES) < 0))
            att = (long)i;
    }
    char *keep = calloc(n, 1);
    const pl_msg **msgs = calloc(n, sizeof *msgs);
    pl_packbuf b;
    pl_packbuf_init(&b);
    rc = keep && msgs ? PL_OK : PL_E_NOMEM;
    for (int k = 0; k < 3 && rc == PL_OK; k++)
        rc = mark_past(c, (size_t)sigs[k], keep);
    if (rc == PL_OK && att >= 0)
        rc = mark_past(c, (size_t)att, keep);
    size_t m = 0;
    for (size_t i = 0; rc == PL_OK && i < n; i++)
        if (keep[i])
            msgs[m++] = pl_case_msg(c, i);
    if (rc == PL_OK)
        rc = pl_log_order(msgs, m);
    if (rc == PL_OK) {
        uint8_t head[PL_CERT_MAGIC_BYTES + PL_CASE_ID_BYTES];
        memcpy(head, PL_CERT_MAGIC, PL_CERT_MAGIC_BYTES);
        memcpy(head + PL_CERT_MAGIC_BYTES, pl_msg_header(pl_case_msg(c, 0))->case_id,
               PL_CASE_ID_BYTES);
        if (msgpack_sbuffer_write(&b.sb, (const char *)head, sizeof head) != 0)
            rc = PL_E_NOMEM;
        const uint8_t *ids[4] = {pl_msg_id(pl_case_msg(c, (size_t)sigs[0])),
                                 pl_msg_id(pl_case_msg(c, (size_t)sigs[1])),
                                 pl_msg_id(pl_case_msg(c, (size_t)sigs[2])),
                                 att >= 0 ? pl_msg_id(pl_case_msg(c, (size_t)att)) : NULL};
        if (rc == PL_OK)
            rc = claim_encode(ids, &b);
        for (size_t i = 0; rc == PL_OK && i < m; i++) {
            size_t len;
            const uint8_t *bytes = pl_msg_bytes(msgs[i], &len);
            if (msgpack_sbuffer_write(&b.sb, (const char *)bytes, len) != 0)
                rc = PL_E_NOMEM;
        }
    }
    if (rc == PL_OK && b.sb.size > PL_CERT_MAX_BYTES)
        rc = PL_E_TOO_BIG;
    if (rc == PL_OK)
        *out = pl_packbuf_take(&b, out_len);
    pl_packbuf_free(&b);
    free(keep);
    free(msgs);
    return rc;
}

/* Feeds what the verifier accepts to the rules engine, in causal order. */
struct judge_ctx {
    pl_case *c;
    int rc; /* the first local failure (out of memory), never a verdict */
};

static void judge_accepted(void *ctx, const pl_msg *m)
{
    struct judge_ctx *j = ctx;
    int rc = pl_case_add(j->c, m);
    if ((rc == PL_E_NOMEM || rc == PL_E_UNRESOLVED || rc == PL_E_AUTHOR_LIMIT) && j->rc == PL_OK)
        j->rc = rc == PL_E_UNRESOLVED ? PL_E_ARG : rc;
}

static int fail(pl_cert_report *r, int code, const char *detail)
{
    r->valid = 0;
    r->code = code;
    snprintf(r->detail, sizeof r->detail, "%s", detail);
    return code;
}

void pl_cert_report_free(pl_cert_report *r)
{
    if (r == NULL)
        return;
    pl_case_destroy(&r->c);
}

/* SPEC §16.6 */
int pl_cert_hash(const uint8_t *in, size_t len, uint8_t out[PL_CERT_HASH_BYTES])
{
    static const char domain[] = "parley/v2/certificate"; /* and its NUL */
    crypto_generichash_state st;
    if ((in == NULL && len > 0) || out == NULL)
        return PL_E_ARG;
    if (crypto_generichash_init(&st, NULL, 0, PL_CERT_HASH_BYTES) != 0 ||
        crypto_generichash_update(&st, (const uint8_t *)domain, sizeof domain) != 0 ||
        (len > 0 && crypto_generichash_update(&st, in, len) != 0) ||
        crypto_generichash_final(&st, out, PL_CERT_HASH_BYTES) != 0)
        return PL_E_ARG;
    return PL_OK;
}

int pl_cert_verify(const uint8_t *in, size_t len, pl_cert_report *r)
{
    size_t off, used;
    uint8_t ids[4][PL_ID_BYTES];
    int has[4] = {0};
    char buf[160];

    if (r == NULL)
        return PL_E_ARG;
    memset(r, 0, sizeof *r);
    r->sign_prosecution = r->sign_suspect = r->sign_counsel = r->attestation = r->offer = -1;
    /* SPEC §16.3 step 1: size, magic, case id, claim. */
    if (in == NULL || len > PL_CERT_MAX_BYTES)
        return fail(r, PL_E_TOO_BIG, "the file is larger than any certificate may be");
    if (len < PL_CERT_MAGIC_BYTES + PL_CASE_ID_BYTES ||
        memcmp(in, PL_CERT_MAGIC, PL_CERT_MAGIC_BYTES) != 0)
        return fail(r, PL_E_CERT, "not a Parley agreement certificate (bad magic)");
    memcpy(r->case_id, in + PL_CERT_MAGIC_BYTES, PL_CASE_ID_BYTES);
    off = PL_CERT_MAGIC_BYTES + PL_CASE_ID_BYTES;
    if (pl_mp_walk(in + off, len - off, NULL, &used) != PL_OK)
        return fail(r, PL_E_CERT, "the claim is not a canonical msgpack value");
    {
        msgpack_zone zone;
        msgpack_object obj;
        const msgpack_object *f;
        int ok = msgpack_zone_init(&zone, 1024) && pl_mp_unpack(in + off, used, &zone, &obj) == PL_OK &&
                 pl_mp_get_array(&obj, 4, &f) == PL_OK;
        for (int i = 0; ok && i < 4; i++) {
            if (f[i].type == MSGPACK_OBJECT_NIL && i == 3)
                continue;
            ok = pl_mp_get_bin(&f[i], PL_ID_BYTES, ids[i]) == PL_OK;
            has[i] = ok;
        }
        msgpack_zone_destroy(&zone);
        if (!ok)
            return fail(r, PL_E_CERT, "the claim must be [sig, sig, sig, attestation or nil]");
    }
    off += used;

    /* Steps 2 and 3: every message verifies as a log of this case (SPEC
     * §6, §8), and each is judged (SPEC §13) the moment the verifier
     * accepts it, which is after its predecessors: one pass, whatever
     * order the file holds them in. */
    pl_verifier *v = pl_verifier_new(r->case_id, NULL);
    if (v == NULL || (r->c = pl_case_new(r->case_id)) == NULL) {
        pl_verifier_destroy(&v);
        return fail(r, PL_E_NOMEM, "out of memory");
    }
    struct judge_ctx jc = {r->c, PL_OK};
    pl_verifier_on_accept(v, judge_accepted, &jc);
    const uint8_t *m;
    size_t mlen, nmsgs = 0;
    int split;
    while ((split = pl_logfile_next(in, len, &off, &m, &mlen)) == PL_OK) {
        int rc = pl_verifier_add(v, m, mlen);
        if (rc != PL_OK) {
            snprintf(buf, sizeof buf, "message %zu: %s", nmsgs, pl_strerror(rc));
            pl_verifier_destroy(&v);
            return fail(r, rc, buf);
        }
        /* SPEC §16.1 (v2): each message after its predecessors, so that
         * nothing waits and the 16 MiB pending bound of §6.7 never binds */
        if (pl_verifier_report(v)->pending != 0) {
            snprintf(buf, sizeof buf,
                     "message %zu comes before one of its predecessors (a certificate is in "
                     "display order)", nmsgs);
            pl_verifier_destroy(&v);
            return fail(r, PL_E_CERT, buf);
        }
        nmsgs++;
    }
    int fin = pl_verifier_finish(v);
    pl_verifier_destroy(&v);
    if (split < 0 || fin != PL_OK)
        return fail(r, split < 0 ? split : fin,
                    split < 0 ? "bytes after the last message cannot be read"
                              : "a message's predecessor is missing from the certificate");
    if (jc.rc != PL_OK) {
        snprintf(buf, sizeof buf, "the messages could not all be judged: %s", pl_strerror(jc.rc));
        return fail(r, jc.rc, buf);
    }

    /* Step 4: the claim. */
    /* SPEC §16.3 step 4: sig_p, sig_s, sig_c, attestation, each checked
     * fully before the next */
    long idx[4] = {-1, -1, -1, -1};
    static const pl_role want[3] = {PL_ROLE_PROSECUTION, PL_ROLE_SUSPECT, PL_ROLE_COUNSEL};
    const pl_body *sb[3];
    for (int i = 0; i < 3; i++) {
        if ((idx[i] = pl_case_find(r->c, ids[i])) < 0)
            return fail(r, PL_E_CERT, "a claimed signature is not in the file");
        const pl_msg *sm = pl_case_msg(r->c, (size_t)idx[i]);
        int verdict = pl_case_verdict(r->c, (size_t)idx[i]);
        if (pl_msg_header(sm)->type != PL_T_SIGN)
            return fail(r, PL_E_CERT, "a claimed signature is not a signature message");
        if (verdict != PL_OK) {
            snprintf(buf, sizeof buf, "the %s's signature breaks a rule: %s",
                     pl_role_name(want[i]), pl_strerror(verdict));
            return fail(r, verdict, buf);
        }
        if (pl_case_msg_role(r->c, (size_t)idx[i]) != want[i])
            return fail(r, PL_E_CERT, "a claimed signature is not by the role it stands for");
        sb[i] = pl_case_body(r->c, (size_t)idx[i]);
    }
    r->sign_prosecution = idx[0], r->sign_suspect = idx[1], r->sign_counsel = idx[2];
    /* SPEC §13.9 R1: one offer (hence the same terms), one round. */
    for (int i = 1; i < 3; i++)
        if (memcmp(sb[i]->u.sign.offer, sb[0]->u.sign.offer, PL_ID_BYTES) != 0 ||
            pl_case_round(r->c, (size_t)idx[i]) != pl_case_round(r->c, (size_t)idx[0]))
            return fail(r, PL_E_CERT, "the three signatures do not name the same offer");
    r->offer = pl_case_find(r->c, sb[0]->u.sign.offer);
    if (has[3] && (idx[3] = pl_case_find(r->c, ids[3])) < 0)
        return fail(r, PL_E_CERT, "the claimed attestation is not in the file");
    if (has[3]) {
        long a = idx[3];
        if (pl_msg_header(pl_case_msg(r->c, (size_t)a))->type != PL_T_ATTESTATION ||
            pl_case_verdict(r->c, (size_t)a) != PL_OK)
            return fail(r, PL_E_CERT, "the claimed attestation is not a valid observer attestation");
        for (int i = 0; i < 3; i++)
            if (!pl_case_saw(r->c, (size_t)a, (size_t)idx[i]))
                return fail(r, PL_E_CERT, "the attestation does not cover the three signatures");
        r->attestation = a;
    }
    /* Step 5 (v2): nothing but the claim and its causal past. */
    size_t n = pl_case_count(r->c);
    char *keep = calloc(n ? n : 1, 1);
    int rc = keep ? PL_OK : PL_E_NOMEM;
    for (int i = 0; i < 4 && rc == PL_OK; i++)
        if (has[i])
            rc = mark_past(r->c, (size_t)idx[i], keep);
    for (size_t i = 0; rc == PL_OK && i < n; i++)
        if (!keep[i]) {
            free(keep);
            snprintf(buf, sizeof buf,
                     "the certificate holds a %s that is not in the past of its claim",
                     pl_msg_type_name(pl_msg_header(pl_case_msg(r->c, i))->type));
            return fail(r, PL_E_CERT, buf);
        }
    free(keep);
    if (rc != PL_OK)
        return fail(r, rc, "out of memory");
    /* Step 6 (v2): the certificate's own record, judged whole, shows this
     * agreement final: no retraction, court adjustment, objection or cut
     * among its messages undoes it. */
    pl_case_status st;
    pl_case_status_get(r->c, &st);
    if (st.state != PL_AGREEMENT_FINAL || st.round != pl_case_round(r->c, (size_t)idx[0])) {
        snprintf(buf, sizeof buf, "the certificate's own messages show the agreement %s, not final",
                 pl_agreement_state_name(st.state));
        return fail(r, PL_E_CERT, buf);
    }
    /* SPEC §16.3: what R3 and R7 looked like when it was signed; the
     * defense's view is the union of its two signatures' pasts. */
    for (size_t i = 0; i < n; i++) {
        if (pl_case_is_input(r->c, i)) {
            r->inputs_total++;
            r->inputs_unanswered += pl_case_input_answered(r->c, i) != 1;
            if (pl_case_saw(r->c, (size_t)idx[0], i)) {
                r->inputs_seen++;
                r->inputs_answered += pl_case_input_answered(r->c, i) == 1;
            }
        }
        const pl_msg *dm = pl_case_msg(r->c, i);
        if (pl_case_verdict(r->c, i) != PL_OK)
            continue;
        if (pl_msg_header(dm)->type == PL_T_DISCLOSE &&
            (pl_case_saw(r->c, (size_t)idx[1], i) || pl_case_saw(r->c, (size_t)idx[2], i))) {
            r->disclosures++;
            for (size_t k = 0; k < n; k++) {
                const pl_body *kb = pl_case_body(r->c, k);
                if (pl_msg_header(pl_case_msg(r->c, k))->type == PL_T_DISCLOSE_ACK &&
                    pl_case_verdict(r->c, k) == PL_OK &&
                    (pl_case_saw(r->c, (size_t)idx[1], k) || pl_case_saw(r->c, (size_t)idx[2], k)) &&
                    memcmp(kb->u.disclose_ack.disclosure, pl_msg_id(dm), PL_ID_BYTES) == 0) {
                    r->disclosures_acknowledged++;
                    break;
                }
            }
        }
    }
    /* SPEC §13.25, §16.3 (v2): settlements the certificate holds, and
     * the grounds its terms cite that none of them shows: a warning */
    for (size_t i = 0; i < n; i++) /* by proposal: two acceptances of one are one */
        r->settlements_made += pl_case_settlement_made(r->c, i, NULL) == 1 &&
                               !pl_case_body(r->c, i)->u.settlement.has_accepts;
    if ((rc = pl_case_warnings(r->c, (size_t)r->offer, &r->warnings)) != PL_OK)
        return fail(r, rc, "the agreed terms could not be read again");
    r->valid = 1;
    r->code = PL_OK;
    return PL_OK;
}
