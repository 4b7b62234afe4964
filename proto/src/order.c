/* Display order (SPEC §6.6): Kahn's topological sort of the log's DAG
 * (edges: prev and refs), always taking the ready message with the smallest
 * id, so every node shows one log in one order. O(E log n). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct key {
    const uint8_t *author;
    uint64_t seq;
    size_t idx;
};

static int key_cmp(const void *pa, const void *pb)
{
    const struct key *a = pa, *b = pb;
    int c = memcmp(a->author, b->author, PL_PK_BYTES);
    if (c != 0)
        return c;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static long find(const struct key *keys, size_t n, const uint8_t *author, uint64_t seq)
{
    struct key k = {author, seq, 0};
    const struct key *f = bsearch(&k, keys, n, sizeof k, key_cmp);
    return f ? (long)f->idx : -1;
}

/* A binary min-heap of indices, ordered by message id. */
struct heap {
    size_t *a, n;
    const pl_msg **msgs;
};

static int less(const struct heap *h, size_t i, size_t j)
{
    return memcmp(pl_msg_id(h->msgs[h->a[i]]), pl_msg_id(h->msgs[h->a[j]]), PL_ID_BYTES) < 0;
}

static void swap(size_t *a, size_t i, size_t j)
{
    size_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void heap_push(struct heap *h, size_t v)
{
    size_t i = h->n++;
    h->a[i] = v;
    while (i > 0 && less(h, i, (i - 1) / 2)) {
        swap(h->a, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static size_t heap_pop(struct heap *h)
{
    size_t top = h->a[0], i = 0;
    h->a[0] = h->a[--h->n];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && less(h, l, m))
            m = l;
        if (r < h->n && less(h, r, m))
            m = r;
        if (m == i)
            break;
        swap(h->a, i, m);
        i = m;
    }
    return top;
}

/* The predecessors of message i that are in the array, each once. */
static size_t preds(const pl_msg *m, const struct key *keys, size_t n, long out[PL_MAX_REFS + 1])
{
    const pl_header *h = pl_msg_header(m);
    size_t k = 0;
    long j;
    if (h->seq > 1 && (j = find(keys, n, h->author, h->seq - 1)) >= 0)
        out[k++] = j;
    for (size_t r = 0; r < h->nrefs; r++)
        if ((j = find(keys, n, h->refs[r].author, h->refs[r].seq)) >= 0)
            out[k++] = j;
    return k;
}

int pl_log_order(const pl_msg **msgs, size_t n)
{
    if (n == 0) /* msgs may be NULL then; nothing to order */
        return PL_OK;
    struct key *keys = calloc(n ? n : 1, sizeof *keys);
    size_t *indeg = calloc(n + 1, sizeof *indeg), *start = calloc(n + 1, sizeof *start);
    size_t *edges = NULL, *fill = NULL, *heap = calloc(n ? n : 1, sizeof *heap);
    const pl_msg **out = calloc(n ? n : 1, sizeof *out);
    long p[PL_MAX_REFS + 1];
    size_t nedges = 0;
    int rc = PL_E_NOMEM;

    if (!keys || !indeg || !start || !heap || !out)
        goto done;
    for (size_t i = 0; i < n; i++)
        keys[i] = (struct key){pl_msg_header(msgs[i])->author, pl_msg_header(msgs[i])->seq, i};
    qsort(keys, n, sizeof *keys, key_cmp);

    /* Edges pred -> succ in compressed rows: count, then fill. */
    for (size_t i = 0; i < n; i++) {
        size_t k = preds(msgs[i], keys, n, p);
        indeg[i] = k;
        for (size_t e = 0; e < k; e++)
            start[p[e] + 1]++;
        nedges += k;
    }
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    edges = calloc(nedges ? nedges : 1, sizeof *edges);
    fill = calloc(n ? n : 1, sizeof *fill);
    if (!edges || !fill)
        goto done;
    for (size_t i = 0; i < n; i++) {
        size_t k = preds(msgs[i], keys, n, p);
        for (size_t e = 0; e < k; e++)
            edges[start[p[e]] + fill[p[e]]++] = i;
    }

    struct heap h = {heap, 0, msgs};
    for (size_t i = 0; i < n; i++)
        if (indeg[i] == 0)
            heap_push(&h, i);
    size_t k = 0;
    while (h.n > 0) {
        size_t i = heap_pop(&h);
        out[k++] = msgs[i];
        for (size_t e = start[i]; e < start[i + 1]; e++)
            if (--indeg[edges[e]] == 0)
                heap_push(&h, edges[e]);
    }
    /* A verified log is acyclic (ids are hashes of what they point to); if
     * the caller passed something else, keep the rest in input order. */
    for (size_t i = 0; i < n && k < n; i++)
        if (indeg[i] > 0)
            out[k++] = msgs[i];
    memcpy(msgs, out, n * sizeof *out);
    rc = PL_OK;
done:
    free(keys), free(indeg), free(start), free(edges), free(fill), free(heap), free(out);
    return rc;
}
