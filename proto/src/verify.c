/* The streaming log verifier (SPEC §6, §7.1).
 *
 * Messages come in any order. Each is decoded and its signature checked
 * (SPEC §4.8), then placed: accepted when its chain predecessor and every
 * message it references are already accepted, parked in the bounded pending
 * set when they are not, rejected when they contradict what is accepted.
 * Every acceptance re-examines the pending set, so a log verifies the same
 * whatever order its messages arrive in. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

struct author {
    uint8_t pk[PL_PK_BYTES];
    uint64_t head_seq; /* 0: nothing accepted yet */
    uint64_t head_ts;
    uint8_t *head_hdr; /* signed header of the head, for equivocation proofs */
    size_t head_hdr_len;
    uint8_t head_sig[PL_SIG_BYTES];
    uint8_t (*ids)[PL_ID_BYTES]; /* ids by seq - 1, grown by doubling */
    size_t ids_cap;
};

struct pending {
    pl_msg *m;
    size_t index;
};

struct pl_verifier {
    uint8_t case_id[PL_CASE_ID_BYTES];
    pl_verify_limits lim;
    /* Everything below grows on demand up to its limit: a node holds one
     * verifier per open case, most of them small. */
    struct author *authors;
    size_t nauthors, authors_cap;
    struct pending *pending; /* in arrival order */
    size_t npending, pending_cap, pending_bytes;
    pl_verify_accept_fn on_accept;
    void *on_accept_ctx;
    pl_problem *problems; /* PL_VERIFY_MAX_PROBLEMS */
    uint8_t **proofs;      /* PL_VERIFY_MAX_PROBLEMS */
    size_t *proof_lens;    /* PL_VERIFY_MAX_PROBLEMS */
    pl_verify_report rep;
};

enum placement { ACCEPT, WAIT, DUPLICATE };

pl_verifier *pl_verifier_new(const uint8_t case_id[PL_CASE_ID_BYTES], const pl_verify_limits *lim)
{
    pl_verifier *v = calloc(1, sizeof *v);
    if (v == NULL)
        return NULL;
    memcpy(v->case_id, case_id, PL_CASE_ID_BYTES);
    v->lim.max_pending = lim && lim->max_pending ? lim->max_pending : PL_VERIFY_DEFAULT_MAX_PENDING;
    v->lim.max_authors = lim && lim->max_authors ? lim->max_authors : PL_VERIFY_DEFAULT_MAX_AUTHORS;
    v->lim.max_pending_bytes = lim && lim->max_pending_bytes ? lim->max_pending_bytes
                                                             : PL_VERIFY_DEFAULT_MAX_PENDING_BYTES;
    v->lim.max_pending_author = lim ? lim->max_pending_author : 0;
    v->lim.max_pending_author_bytes = lim ? lim->max_pending_author_bytes : 0;
    return v;
}

void pl_verifier_destroy(pl_verifier **vp)
{
    if (vp == NULL || *vp == NULL)
        return;
    pl_verifier *v = *vp;
    for (size_t i = 0; v->authors && i < v->nauthors; i++) {
        free(v->authors[i].ids);
        free(v->authors[i].head_hdr);
    }
    for (size_t i = 0; v->pending && i < v->npending; i++)
        pl_msg_destroy(&v->pending[i].m);
    for (size_t i = 0; i < v->rep.nproofs; i++)
        free(v->proofs[i]);
    free(v->authors);
    free(v->pending);
    free(v->problems);
    free(v->proofs);
    free(v->proof_lens);
    free(v);
    *vp = NULL;
}

void pl_verifier_on_accept(pl_verifier *v, pl_verify_accept_fn fn, void *ctx)
{
    v->on_accept = fn;
    v->on_accept_ctx = ctx;
}

const pl_verify_report *pl_verifier_report(const pl_verifier *v)
{
    return &v->rep;
}

static struct author *author_find(const pl_verifier *v, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < v->nauthors; i++)
        if (memcmp(v->authors[i].pk, pk, PL_PK_BYTES) == 0)
            return &v->authors[i];
    return NULL;
}

int pl_verifier_head(const pl_verifier *v, const uint8_t author[PL_PK_BYTES], uint64_t *seq,
                     uint8_t id[PL_ID_BYTES])
{
    const struct author *a = author_find(v, author);
    *seq = a ? a->head_seq : 0;
    if (a && a->head_seq > 0)
        memcpy(id, a->ids[a->head_seq - 1], PL_ID_BYTES);
    else
        memset(id, 0, PL_ID_BYTES);
    return PL_OK;
}

static const uint8_t *id_at(const struct author *a, uint64_t seq)
{
    return a->ids[seq - 1];
}

/* Grows *arr (of *cap elements of size sz) to hold at least need, doubling
 * up to max. */
static int grow(void *arr, size_t *cap, size_t need, size_t max, size_t sz)
{
    if (need <= *cap)
        return PL_OK;
    size_t n = *cap ? *cap : 4;
    while (n < need)
        n *= 2;
    if (n > max)
        n = max;
    if (n < need)
        return PL_E_NOMEM;
    void *g = realloc(*(void **)arr, n * sz);
    if (g == NULL)
        return PL_E_NOMEM;
    *(void **)arr = g;
    *cap = n;
    return PL_OK;
}

static int problem(pl_verifier *v, int code, const pl_msg *m, size_t index)
{
    v->rep.rejected++;
    if (v->problems == NULL) {
        v->problems = calloc(PL_VERIFY_MAX_PROBLEMS, sizeof *v->problems);
        v->rep.problems = v->problems;
    }
    if (v->problems != NULL && v->rep.nproblems < PL_VERIFY_MAX_PROBLEMS) {
        pl_problem *p = &v->problems[v->rep.nproblems++];
        memset(p, 0, sizeof *p);
        p->code = code;
        p->section = pl_errsection(code);
        p->index = index;
        if (m != NULL) {
            memcpy(p->id, pl_msg_id(m), PL_ID_BYTES);
            memcpy(p->author, pl_msg_header(m)->author, PL_PK_BYTES);
            p->seq = pl_msg_header(m)->seq;
        }
    }
    return code;
}

/* SPEC §7.1: keep the first, reject the other, record both ids and, when
 * both signed headers are at hand, the proof (SPEC §7.2). */
static int equivocation(pl_verifier *v, const pl_msg *m, size_t index, const uint8_t *other_id,
                        const uint8_t *other_hdr, size_t other_hdr_len, const uint8_t *other_sig)
{
    size_t before = v->rep.nproblems;
    problem(v, PL_E_EQUIVOCATION, m, index);
    if (v->rep.nproblems == before)
        return PL_E_EQUIVOCATION;
    pl_problem *p = &v->problems[v->rep.nproblems - 1];
    memcpy(p->other_id, other_id, PL_ID_BYTES);
    if (v->proofs == NULL) {
        v->proofs = calloc(PL_VERIFY_MAX_PROBLEMS, sizeof *v->proofs);
        v->proof_lens = calloc(PL_VERIFY_MAX_PROBLEMS, sizeof *v->proof_lens);
        v->rep.proofs = (const uint8_t *const *)v->proofs;
        v->rep.proof_lens = v->proof_lens;
    }
    if (other_hdr != NULL && v->proofs != NULL && v->proof_lens != NULL &&
        v->rep.nproofs < PL_VERIFY_MAX_PROBLEMS) {
        uint8_t buf[PL_EQUIV_PROOF_MAX_BYTES];
        size_t n, hlen;
        const uint8_t *hdr = pl_msg_header_bytes(m, &hlen);
        if (pl_equiv_proof_build_raw(hdr, hlen, pl_msg_sig(m), other_hdr, other_hdr_len,
                                     other_sig, buf, sizeof buf, &n) == PL_OK) {
            uint8_t *copy = malloc(n);
            if (copy != NULL) {
                memcpy(copy, buf, n);
                v->proofs[v->rep.nproofs] = copy;
                v->proof_lens[v->rep.nproofs++] = n;
                p->has_proof = 1;
            }
        }
    }
    return PL_E_EQUIVOCATION;
}

/* Decides where m goes given what is accepted; returns a placement or a
 * negative code for a message that can never be accepted. */
static int place(pl_verifier *v, const pl_msg *m, size_t index)
{
    const pl_header *h = pl_msg_header(m);
    struct author *a = author_find(v, h->author);

    if (a != NULL && h->seq <= a->head_seq) {
        /* SPEC §6.4: the same id again is a harmless duplicate. */
        if (memcmp(id_at(a, h->seq), pl_msg_id(m), PL_ID_BYTES) == 0)
            return DUPLICATE;
        /* SPEC §7.1 */
        int is_head = h->seq == a->head_seq;
        return equivocation(v, m, index, id_at(a, h->seq), is_head ? a->head_hdr : NULL,
                            a->head_hdr_len, a->head_sig);
    }
    /* SPEC §6.1: wait for the author's previous message. */
    if ((a == NULL && h->seq > 1) || (a != NULL && h->seq > a->head_seq + 1))
        return WAIT;
    if (a != NULL && h->seq > 1) {
        /* SPEC §6.1: prev MUST be the id of the author's message seq-1. */
        if (memcmp(h->prev, id_at(a, a->head_seq), PL_ID_BYTES) != 0)
            return problem(v, PL_E_PREV, m, index);
        /* SPEC §6.5: timestamps never go back along a chain. */
        if (h->timestamp_ms < a->head_ts)
            return problem(v, PL_E_TIMESTAMP, m, index);
    }
    /* SPEC §6.2: every reference names an accepted message, exactly. */
    for (size_t i = 0; i < h->nrefs; i++) {
        const struct author *b = author_find(v, h->refs[i].author);
        if (b == NULL || b->head_seq < h->refs[i].seq)
            return WAIT;
    }
    for (size_t i = 0; i < h->nrefs; i++) {
        const struct author *b = author_find(v, h->refs[i].author);
        if (memcmp(id_at(b, h->refs[i].seq), h->refs[i].id, PL_ID_BYTES) != 0)
            return problem(v, PL_E_REF_MISMATCH, m, index);
    }
    return ACCEPT;
}

static int log_accept(pl_verifier *v, const pl_msg *m, size_t index)
{
    const pl_header *h = pl_msg_header(m);
    struct author *a = author_find(v, h->author);

    if (a == NULL) {
        /* SPEC §6.7: a bounded number of authors per log. */
        if (v->nauthors == v->lim.max_authors)
            return problem(v, PL_E_AUTHOR_LIMIT, m, index);
        if (grow(&v->authors, &v->authors_cap, v->nauthors + 1, v->lim.max_authors,
                 sizeof *v->authors) != PL_OK)
            return problem(v, PL_E_NOMEM, m, index);
        a = &v->authors[v->nauthors++];
        memset(a, 0, sizeof *a);
        memcpy(a->pk, h->author, PL_PK_BYTES);
    }
    if (h->seq > SIZE_MAX / PL_ID_BYTES ||
        grow(&a->ids, &a->ids_cap, (size_t)h->seq, SIZE_MAX / PL_ID_BYTES, PL_ID_BYTES) != PL_OK)
        return problem(v, PL_E_NOMEM, m, index);
    size_t hlen;
    const uint8_t *hdr = pl_msg_header_bytes(m, &hlen);
    uint8_t *copy = realloc(a->head_hdr, hlen);
    if (copy == NULL)
        return problem(v, PL_E_NOMEM, m, index);
    memcpy(copy, hdr, hlen);
    a->head_hdr = copy;
    a->head_hdr_len = hlen;
    memcpy(a->head_sig, pl_msg_sig(m), PL_SIG_BYTES);
    memcpy(a->ids[h->seq - 1], pl_msg_id(m), PL_ID_BYTES);
    a->head_seq = h->seq;
    a->head_ts = h->timestamp_ms;
    v->rep.accepted++;
    v->rep.authors = v->nauthors;
    if (v->on_accept)
        v->on_accept(v->on_accept_ctx, m);
    return PL_OK;
}

/* Removes pending[i], keeping the rest in arrival order (SPEC §6.7). */
static void pending_remove(pl_verifier *v, size_t i)
{
    size_t len;
    pl_msg_bytes(v->pending[i].m, &len);
    v->pending_bytes -= len;
    pl_msg_destroy(&v->pending[i].m);
    memmove(&v->pending[i], &v->pending[i + 1], (v->npending - i - 1) * sizeof v->pending[0]);
    v->npending--;
}

/* After an acceptance, whatever waited on it may now be placed, in arrival
 * order; repeat until a pass changes nothing. */
static void release(pl_verifier *v)
{
    int progress = 1;
    while (progress && v->npending > 0) {
        progress = 0;
        for (size_t i = 0; i < v->npending;) {
            struct pending *p = &v->pending[i];
            int r = place(v, p->m, p->index);
            if (r == WAIT) {
                i++;
                continue;
            }
            if (r == ACCEPT && log_accept(v, p->m, p->index) == PL_OK)
                progress = 1;
            else if (r == DUPLICATE)
                v->rep.duplicates++;
            pending_remove(v, i);
        }
    }
    v->rep.pending = v->npending;
    v->rep.pending_bytes = v->pending_bytes;
}

static int park(pl_verifier *v, pl_msg *m, size_t index)
{
    const pl_header *h = pl_msg_header(m);
    size_t mine = 0, mine_bytes = 0; /* its author's messages waiting */
    for (size_t i = 0; i < v->npending; i++) {
        const pl_msg *o = v->pending[i].m;
        const pl_header *oh = pl_msg_header(o);
        if (memcmp(oh->author, h->author, PL_PK_BYTES) != 0)
            continue;
        if (oh->seq != h->seq) {
            size_t ol;
            pl_msg_bytes(o, &ol);
            mine++, mine_bytes += ol;
            continue;
        }
        if (memcmp(pl_msg_id(o), pl_msg_id(m), PL_ID_BYTES) == 0) {
            v->rep.duplicates++;
            pl_msg_destroy(&m);
            return PL_OK;
        }
        size_t olen;
        const uint8_t *ohdr = pl_msg_header_bytes(o, &olen);
        int rc = equivocation(v, m, index, pl_msg_id(o), ohdr, olen, pl_msg_sig(o));
        pl_msg_destroy(&m);
        return rc;
    }
    /* SPEC §6.7: the pending set is bounded, in messages and in bytes, and
     * may bound each author's share of it; the sender may offer the message
     * again later. */
    size_t len;
    pl_msg_bytes(m, &len);
    if (v->npending == v->lim.max_pending || v->pending_bytes + len > v->lim.max_pending_bytes ||
        (v->lim.max_pending_author && mine + 1 > v->lim.max_pending_author) ||
        (v->lim.max_pending_author_bytes && mine_bytes + len > v->lim.max_pending_author_bytes) ||
        grow(&v->pending, &v->pending_cap, v->npending + 1, v->lim.max_pending,
             sizeof *v->pending) != PL_OK) {
        int rc = problem(v, PL_E_PENDING_FULL, m, index);
        pl_msg_destroy(&m);
        return rc;
    }
    v->pending[v->npending++] = (struct pending){m, index};
    v->pending_bytes += len;
    v->rep.pending = v->npending;
    v->rep.pending_bytes = v->pending_bytes;
    return PL_OK;
}

/* Places a decoded message; takes ownership of m. */
static int add_decoded(pl_verifier *v, pl_msg *m, size_t index)
{
    int rc;
    int r = place(v, m, index);
    if (r == WAIT)
        return park(v, m, index);
    if (r == DUPLICATE) {
        v->rep.duplicates++;
        rc = PL_OK;
    } else if (r == ACCEPT) {
        if ((rc = log_accept(v, m, index)) == PL_OK)
            release(v);
    } else {
        rc = r;
    }
    pl_msg_destroy(&m);
    return rc;
}

int pl_verifier_add(pl_verifier *v, const uint8_t *in, size_t len)
{
    pl_msg *m;
    size_t index = (size_t)v->rep.received++;
    /* SPEC §4.8 and §6.3: decoded, signature-checked, bound to this case. */
    int rc = pl_msg_decode(in, len, v->case_id, &m);
    if (rc != PL_OK)
        return problem(v, rc, NULL, index);
    return add_decoded(v, m, index);
}

int pl_verifier_add_msg(pl_verifier *v, const pl_msg *m)
{
    size_t index = (size_t)v->rep.received++;
    /* SPEC §6.3 */
    if (memcmp(pl_msg_header(m)->case_id, v->case_id, PL_CASE_ID_BYTES) != 0)
        return problem(v, PL_E_CASE, m, index);
    pl_msg *copy = pl_msg_dup(m);
    if (copy == NULL)
        return problem(v, PL_E_NOMEM, m, index);
    return add_decoded(v, copy, index);
}

int pl_verifier_finish(pl_verifier *v)
{
    /* SPEC §6.7: what never found its predecessors is unresolved. */
    for (size_t i = 0; i < v->npending; i++) {
        problem(v, PL_E_UNRESOLVED, v->pending[i].m, v->pending[i].index);
        pl_msg_destroy(&v->pending[i].m);
    }
    v->npending = 0;
    v->pending_bytes = 0;
    v->rep.pending = 0;
    v->rep.pending_bytes = 0;
    if (v->rep.rejected == 0)
        return PL_OK;
    return v->rep.nproblems > 0 ? v->problems[0].code : PL_E_NOMEM;
}
