/* Equivocation proofs: build and verify (SPEC §7.2, §7.3).
 *
 * A proof is [1, header_a, sig_a, header_b, sig_b] with id(a) < id(b), the
 * headers embedded byte for byte as they were signed. Verification needs
 * nothing but the proof: headers carry case, author and seq, and signatures
 * are checked over the embedded bytes. */
#include <string.h>

#include "internal.h"

#define PROOF_VERSION 1

int pl_equiv_proof_build_raw(const uint8_t *hdr_a, size_t hdr_a_len,
                             const uint8_t sig_a[PL_SIG_BYTES], const uint8_t *hdr_b,
                             size_t hdr_b_len, const uint8_t sig_b[PL_SIG_BYTES], uint8_t *out,
                             size_t cap, size_t *out_len)
{
    pl_header ha, hb;
    uint8_t ida[PL_ID_BYTES], idb[PL_ID_BYTES];

    if (out == NULL || out_len == NULL)
        return PL_E_ARG;
    *out_len = 0;
    if (pl_header_decode(hdr_a, hdr_a_len, &ha) != PL_OK ||
        pl_header_decode(hdr_b, hdr_b_len, &hb) != PL_OK)
        return PL_E_PROOF;
    if (memcmp(ha.case_id, hb.case_id, PL_CASE_ID_BYTES) != 0 ||
        memcmp(ha.author, hb.author, PL_PK_BYTES) != 0 || ha.seq != hb.seq)
        return PL_E_PROOF;
    pl_header_id(ha.case_id, hdr_a, hdr_a_len, ida);
    pl_header_id(hb.case_id, hdr_b, hdr_b_len, idb);
    int c = memcmp(ida, idb, PL_ID_BYTES);
    if (c == 0)
        return PL_E_PROOF;
    if (c > 0) { /* SPEC §7.2: smallest id first, one encoding per proof */
        const uint8_t *t = hdr_a;
        size_t tl = hdr_a_len;
        const uint8_t *ts = sig_a;
        hdr_a = hdr_b, hdr_a_len = hdr_b_len, sig_a = sig_b;
        hdr_b = t, hdr_b_len = tl, sig_b = ts;
    }
    size_t need = 1 + 1 + hdr_a_len + 2 + PL_SIG_BYTES + hdr_b_len + 2 + PL_SIG_BYTES;
    if (need > PL_EQUIV_PROOF_MAX_BYTES)
        return PL_E_PROOF;
    if (need > cap)
        return PL_E_BUFSIZE;
    uint8_t *p = out;
    *p++ = 0x95;
    *p++ = PROOF_VERSION;
    memcpy(p, hdr_a, hdr_a_len), p += hdr_a_len;
    *p++ = 0xc4, *p++ = PL_SIG_BYTES;
    memcpy(p, sig_a, PL_SIG_BYTES), p += PL_SIG_BYTES;
    memcpy(p, hdr_b, hdr_b_len), p += hdr_b_len;
    *p++ = 0xc4, *p++ = PL_SIG_BYTES;
    memcpy(p, sig_b, PL_SIG_BYTES), p += PL_SIG_BYTES;
    /* Never hand out a proof others would refuse: check it as they will
     * (header rules and both signatures, SPEC §7.3). */
    pl_equiv_info info;
    if (pl_equiv_proof_verify(out, need, &info) != PL_OK) {
        memset(out, 0, need);
        return PL_E_PROOF;
    }
    *out_len = need;
    return PL_OK;
}

int pl_equiv_proof_build(const pl_msg *a, const pl_msg *b, uint8_t *out, size_t cap,
                         size_t *out_len)
{
    size_t la, lb;
    const uint8_t *ha = pl_msg_header_bytes(a, &la), *hb = pl_msg_header_bytes(b, &lb);
    return pl_equiv_proof_build_raw(ha, la, pl_msg_sig(a), hb, lb, pl_msg_sig(b), out, cap,
                                    out_len);
}

/* One embedded signed header at in[*pos]: walk, decode, check, verify. */
static int signed_header(const uint8_t *in, size_t len, size_t *pos, pl_header *h,
                         uint8_t id[PL_ID_BYTES])
{
    size_t hlen;
    if (pl_mp_walk(in + *pos, len - *pos, NULL, &hlen) != PL_OK ||
        pl_header_decode(in + *pos, hlen, h) != PL_OK || pl_header_check(h) != PL_OK)
        return PL_E_PROOF;
    const uint8_t *hdr = in + *pos;
    *pos += hlen;
    if (len - *pos < 2 + PL_SIG_BYTES || in[*pos] != 0xc4 || in[*pos + 1] != PL_SIG_BYTES)
        return PL_E_PROOF;
    if (pl_header_sig_verify(h->case_id, h->author, hdr, hlen, in + *pos + 2) != PL_OK)
        return PL_E_PROOF;
    *pos += 2 + PL_SIG_BYTES;
    pl_header_id(h->case_id, hdr, hlen, id);
    return PL_OK;
}

int pl_equiv_proof_verify(const uint8_t *in, size_t len, pl_equiv_info *info)
{
    pl_header ha, hb;
    size_t used, pos = 2;
    pl_equiv_info r;

    if (info == NULL)
        return PL_E_ARG;
    memset(info, 0, sizeof *info);
    /* SPEC §7.3: bounded, canonical, [1, header, sig, header, sig]. */
    if (in == NULL || len > PL_EQUIV_PROOF_MAX_BYTES || len < 2)
        return PL_E_PROOF;
    if (pl_mp_walk(in, len, NULL, &used) != PL_OK || used != len)
        return PL_E_PROOF;
    if (in[0] != 0x95 || in[1] != PROOF_VERSION)
        return PL_E_PROOF;
    if (signed_header(in, len, &pos, &ha, r.id_a) != PL_OK ||
        signed_header(in, len, &pos, &hb, r.id_b) != PL_OK || pos != len)
        return PL_E_PROOF;
    /* Same case, author and seq; different headers, smallest id first. */
    if (memcmp(ha.case_id, hb.case_id, PL_CASE_ID_BYTES) != 0 ||
        memcmp(ha.author, hb.author, PL_PK_BYTES) != 0 || ha.seq != hb.seq ||
        memcmp(r.id_a, r.id_b, PL_ID_BYTES) >= 0)
        return PL_E_PROOF;
    memcpy(r.case_id, ha.case_id, PL_CASE_ID_BYTES);
    memcpy(r.author, ha.author, PL_PK_BYTES);
    r.seq = ha.seq;
    *info = r;
    return PL_OK;
}
