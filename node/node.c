/* A Parley node's logic (see node.h): hosted cases, the wire protocol's
 * duties (SPEC §14.3–§14.11), own messages and attestations.
 *
 * Each hosted case is a pl_verifier (chains, references, forks) feeding a
 * pl_case (the rules), both fed from the store at start. A message from a
 * peer goes: frame decode → message decode and signature → verifier; each
 * message the verifier accepts (it may release waiting ones) is stored,
 * judged, acknowledged and relayed to the other peers following the case.
 * Output waits in a queue until the batch is committed (node.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>
#include <sodium.h>

#include "node.h"

struct claim {
    uint8_t author[PL_PK_BYTES];
    uint64_t seq;
    uint8_t by[PL_PK_BYTES];
    uint64_t since_ms;
};

/* What a peer is known to hold of an author: it told us (HEADS, ACK) or
 * sent it. Relaying skips what a peer holds. */
struct known {
    uint32_t peer;
    uint8_t author[PL_PK_BYTES];
    uint64_t seq;
};

/* Issue 17: a key the case may name, as its summary says (flags K_*). */
struct ckey {
    uint8_t pk[PL_PK_BYTES];
    uint8_t flags;
};
#define K_NAMED 1   /* pl_case_names */
#define K_RETIRED 2 /* pl_case_retired */
#define K_POOL 4    /* a pool citizen not drawn: the draw view only (SPEC §14.10) */
#define K_ADMIT 8   /* from the charter or a valid change: admitted (SPEC §14.1) */

struct head {
    uint64_t seq;
    uint8_t id[PL_ID_BYTES];
};

/* A hosted case. What every case always has (the skeleton) is small: its
 * id, authors and heads, the keys it may name, its agreement's state and
 * what the node knows of peers. The verifier and the rules engine (ver
 * and pc, the resident part) are built from the store on first use and
 * dropped again when the case is idle and the cache is over its budget
 * (issue 17); whatever they hold can be rebuilt from the store. */
struct ncase {
    uint8_t id[PL_CASE_ID_BYTES];
    pl_verifier *ver; /* NULL when not resident */
    pl_case *pc;      /* NULL when not resident */
    uint64_t used;    /* the node's use clock at the last use (LRU) */
    uint64_t used_ms; /* and the time then: only an idle case leaves memory */
    size_t res_cost;  /* what it counts against the cache while resident */
    int dirty;        /* changed since its summary was last stored */
    int stale;        /* to be judged from its messages: at start, no summary holds;
                       * after a lost batch, it was resident */
    struct ckey *keys; /* every key its charter and changes name, first-seen */
    size_t nkeys;
    struct head *heads; /* of authors[i] */
    uint64_t count, bytes; /* messages it holds, and their bytes */
    /* its agreement as of the last summary (pl_case_status) */
    uint8_t state;
    uint64_t round, open_inputs, violations;
    int invite;         /* offered by a peer; waiting for a charter naming us */
    int synced;         /* SPEC §14.11: own heads learned from a peer, or created here */
    int heads_seen;     /* a peer's HEADS of this case arrived since start */
    uint64_t own_claim[PL_NODE_MAX_KEYS]; /* highest seq of each own key a peer claimed */
    uint64_t invited_ms; /* when the invitation came (it expires) */
    uint8_t (*authors)[PL_PK_BYTES]; /* authors with accepted messages, first-seen order */
    size_t nauthors;
    struct proven {
        uint8_t author[PL_PK_BYTES];
        uint64_t seq;
    } *proven; /* forks proven, so a proof is applied once (kept when not
                * resident: a replayed proof or HEADS costs no load) */
    size_t nproofs;
    uint64_t changed;   /* messages accepted since start, but the node's own attestations */
    uint64_t attested;  /* value of changed at the last attestation */
    uint64_t attest_ms;
    struct claim *claims;
    size_t nclaims;
    struct known *known;
    size_t nknown, known_cap;
};

struct peer {
    int used;
    int hello;
    uint8_t pk[PL_PK_BYTES];
    uint8_t (*follows)[PL_CASE_ID_BYTES]; /* ascending */
    size_t nfollows;
    double tokens;
    uint64_t tokens_ms;
    uint64_t rate_told_ms;
    uint32_t refused;
    uint64_t logged_ms;  /* refusals are logged once a second per peer */
    uint32_t unlogged;
    uint64_t hello_again_ms;
    size_t queued;       /* bytes queued for it in this batch */
    int close;           /* close the connection after the next flush */
};

struct outframe {
    uint32_t peer;
    uint8_t *bytes;
    size_t len;
};

/* The keys ZAP admits, with their CURVE form. */
struct admitted {
    uint8_t ed[PL_PK_BYTES];
    uint8_t curve[32];
};

struct pl_node {
    pl_node_config cfg;
    pl_store *store;
    struct ncase **cases; /* ascending by id */
    size_t ncases, cases_cap;
    /* Issue 17: the resident cases, what they cost, the budget and the use
     * clock; the cases changed since their summaries were stored. */
    struct ncase **res;
    size_t nres, res_cap, res_bytes, cache_bytes;
    uint64_t idle_ms; /* unused this long, a case may leave memory */
    int no_trim;      /* reloading after a lost batch: nothing leaves memory */
    uint64_t clock;
    struct ncase **dirty;
    size_t ndirty, dirty_cap;
    struct ncase *invites[PL_NODE_MAX_INVITES];
    struct asked {
        struct ncase *c; /* with its charter judged; not hosted */
        pl_msg *charter;
        uint8_t by[PL_PK_BYTES]; /* the peer that offered it */
    } asked[PL_NODE_MAX_INVITES]; /* SPEC §14.3: waiting for the operator */
    struct peer peers[PL_NODE_MAX_PEERS];
    struct outframe *out;
    size_t nout, out_cap;
    struct admitted *admit; /* ascending by Ed25519 key */
    size_t nadmit, admit_cap;
    uint8_t (*extra)[PL_PK_BYTES]; /* peers added at run time (pl_node_allow) */
    size_t nextra;
    int admit_dirty;
    int in_batch;
    uint64_t skew_logged_ms; /* SPEC §6.5: the last warning of a future timestamp */
    /* Issue 18 §4: the disk is full or failing. The node stores nothing,
     * refuses messages (PL_E_DISK), serves reads, and tries a write again
     * at disk_retry_ms, backing off up to 30 s. */
    int disk_full;
    uint64_t disk_retry_ms, disk_backoff_ms;
    int fatal;
    uint64_t heads_ms;
    /* The case a call is feeding (struct feed): kept in memory meanwhile. */
    struct ncase *cur;
    uint64_t now_ms; /* of the frame being handled */
    pl_node_stats st;
};

static void logf_(pl_node *n, pl_log_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void logf_(pl_node *n, pl_log_level lv, const char *fmt, ...)
{
    if (n->cfg.log == NULL || lv > n->cfg.log_level)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    n->cfg.log(n->cfg.ctx, lv, line);
}

static void hex8(const uint8_t *b, char out[17])
{
    sodium_bin2hex(out, 17, b, 8);
}

/* ---- output queue ---------------------------------------------------- */

/* Queues an encoded frame; takes bytes (freed on failure). */
static void queue_bytes(pl_node *n, uint32_t peer, uint8_t *bytes, size_t len)
{
    struct peer *p = &n->peers[peer];
    /* SPEC §14.10: bounded output per peer and batch; what is dropped the
     * peer gets from the next HEADS. */
    if (!p->used || p->queued > PL_NODE_QUEUE_BYTES) {
        free(bytes);
        return;
    }
    if (n->nout == n->out_cap) {
        size_t cap = n->out_cap ? 2 * n->out_cap : 64;
        struct outframe *g = realloc(n->out, cap * sizeof *g);
        if (g == NULL) {
            free(bytes);
            return; /* dropped: the peer catches up from HEADS (SPEC §14.5) */
        }
        n->out = g, n->out_cap = cap;
    }
    p->queued += len;
    n->out[n->nout++] = (struct outframe){peer, bytes, len};
}

static void queue(pl_node *n, uint32_t peer, const pl_wire *w)
{
    uint8_t *bytes;
    size_t len;
    if (n->peers[peer].used && pl_wire_encode(w, &bytes, &len) == PL_OK)
        queue_bytes(n, peer, bytes, len);
}

/* An ERROR frame. A refusal counts toward the peer's refused frames
 * (SPEC §14.8); a notice (a stored message flagged by a rule) does not. */
static void queue_error_frame(pl_node *n, uint32_t peer, int code, const uint8_t *id,
                              const char *text, int refusal)
{
    pl_wire w = {.kind = PL_W_ERROR};
    w.u.error.code = code;
    if (id != NULL) {
        w.u.error.has_id = 1;
        memcpy(w.u.error.id, id, PL_ID_BYTES);
    }
    snprintf(w.u.error.text, sizeof w.u.error.text, "%s", text ? text : pl_strerror(code));
    queue(n, peer, &w);
    if (!refusal)
        return;
    n->st.refused++;
    /* SPEC §14.6: refused input is logged, at most a line a second per
     * peer so that a flood cannot fill the disk. */
    struct peer *p = &n->peers[peer];
    if (n->now_ms - p->logged_ms < 1000) {
        p->unlogged++;
        return;
    }
    char a[17];
    hex8(p->pk, a);
    logf_(n, PL_LOG_WARN, "peer %u (%s…): refused: %s (%s)%s", peer, a, pl_errname(code),
          w.u.error.text, p->unlogged ? " (and more, not logged)" : "");
    p->logged_ms = n->now_ms;
    p->unlogged = 0;
}

static void queue_error(pl_node *n, uint32_t peer, int code, const uint8_t *id, const char *text)
{
    queue_error_frame(n, peer, code, id, text, 1);
}

/* A MSG frame around a message already verified: [1, 4, message] is
 * these three bytes and the message as it is (SPEC §14.2), so a relay
 * costs a copy, not an encoding. */
static void queue_msg(pl_node *n, uint32_t peer, const uint8_t *msg, size_t len)
{
    uint8_t *b = malloc(3 + len);
    if (b == NULL)
        return;
    b[0] = 0x93, b[1] = PL_WIRE_VERSION, b[2] = PL_W_MSG;
    memcpy(b + 3, msg, len);
    queue_bytes(n, peer, b, 3 + len);
}

/* ---- cases ------------------------------------------------------------- */

static long case_index(const pl_node *n, const uint8_t id[PL_CASE_ID_BYTES])
{
    size_t lo = 0, hi = n->ncases;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(n->cases[mid]->id, id, PL_CASE_ID_BYTES);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

static struct ncase *case_get(const pl_node *n, const uint8_t id[PL_CASE_ID_BYTES])
{
    long i = case_index(n, id);
    return i >= 0 ? n->cases[i] : NULL;
}

static void on_accept(void *ctx, const pl_msg *m);
static void head_get(const struct ncase *c, const uint8_t pk[PL_PK_BYTES], uint64_t *seq,
                     uint8_t id[PL_ID_BYTES]);

/* SPEC §6.7: what a case's verifier holds waiting for predecessors. Less
 * than the library's 16 MiB: a participant can send messages whose
 * predecessor the node refused (its quota, §13.22), which would wait for
 * it forever; past this they are refused for now (PL_E_PENDING_FULL, no
 * verdict) and may be offered again, as a peer's catch-up does in seq
 * order (issue 17, flood_rss). */
static const pl_verify_limits node_verify_limits = {
    .max_pending_bytes = PL_NODE_PENDING_BYTES,
    /* and no key more than an eighth of it, in bytes and in messages: a
     * participant's own gapped messages cannot fill the set and hold back
     * everyone else's, even with the three keys its seat may rotate to
     * (SPEC §13.22: four keys, half the set at most) */
    .max_pending_author = PL_VERIFY_DEFAULT_MAX_PENDING / 8,
    .max_pending_author_bytes = PL_NODE_PENDING_BYTES / 8};

static struct ncase *ncase_new(const uint8_t id[PL_CASE_ID_BYTES])
{
    struct ncase *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    memcpy(c->id, id, PL_CASE_ID_BYTES);
    c->ver = pl_verifier_new(id, &node_verify_limits);
    c->pc = pl_case_new_flags(id, PL_CASE_LEAN);
    if (c->ver == NULL || c->pc == NULL) {
        pl_verifier_destroy(&c->ver);
        pl_case_destroy(&c->pc);
        free(c);
        return NULL;
    }
    return c;
}

static void ncase_free(struct ncase *c)
{
    if (c == NULL)
        return;
    pl_verifier_destroy(&c->ver);
    pl_case_destroy(&c->pc);
    free(c->proven);
    free(c->claims);
    free(c->known);
    free(c->authors);
    free(c->heads);
    free(c->keys);
    free(c);
}

/* ---- the cache of resident cases (issue 17) ------------------------------------ */

/* What a resident case is counted as: its lean rules engine keeps of each
 * message what the rules read (PL_CASE_LEAN: no message, the body without
 * texts), the verifier an id: about 620 B a message whatever its size
 * (measured in process on parley-bench's case_memory store: 30,700 B for
 * 50 messages of 28,000 B, SQLite's page cache aside); a quarter of the
 * bytes for what texts remain (names, venues, titles), and the case's
 * fixed part. An estimate for the budget, not a bound: the quota (SPEC
 * §13.22) bounds what a seat can make a case hold. */
static size_t res_cost_of(const struct ncase *c)
{
    /* and what its verifier holds waiting for predecessors (SPEC §6.7) */
    size_t pending = c->ver ? pl_verifier_report(c->ver)->pending_bytes : 0;
    return (size_t)(640 * c->count + c->bytes / 4) + pending + 4096;
}

static long res_find(const pl_node *n, const struct ncase *c)
{
    for (size_t i = 0; i < n->nres; i++)
        if (n->res[i] == c)
            return (long)i;
    return -1;
}

/* Counts c (resident) against the cache; 0, or -1 out of memory. */
static int res_add(pl_node *n, struct ncase *c)
{
    if (n->nres == n->res_cap) {
        size_t cap = n->res_cap ? 2 * n->res_cap : 64;
        struct ncase **g = realloc(n->res, cap * sizeof *g);
        if (g == NULL)
            return -1;
        n->res = g, n->res_cap = cap;
    }
    n->res[n->nres++] = c;
    c->res_cost = res_cost_of(c);
    n->res_bytes += c->res_cost;
    c->used = ++n->clock;
    c->used_ms = n->now_ms; /* a new case is in use, not idle */
    return 0;
}

/* After c (resident) took a message. */
static void res_account(pl_node *n, struct ncase *c)
{
    if (c->res_cost == 0)
        return; /* not counted yet (not hosted) */
    n->res_bytes -= c->res_cost;
    c->res_cost = res_cost_of(c);
    n->res_bytes += c->res_cost;
}

static void res_remove(pl_node *n, struct ncase *c)
{
    long i = res_find(n, c);
    if (i >= 0) {
        n->res[i] = n->res[--n->nres];
        n->res_bytes -= c->res_cost;
    }
    c->res_cost = 0;
    for (size_t k = 0; k < n->ndirty; k++)
        if (n->dirty[k] == c) {
            n->dirty[k] = n->dirty[--n->ndirty];
            break;
        }
}

static void mark_dirty(pl_node *n, struct ncase *c)
{
    if (c->dirty)
        return;
    if (n->ndirty == n->dirty_cap) {
        size_t cap = n->dirty_cap ? 2 * n->dirty_cap : 64;
        struct ncase **g = realloc(n->dirty, cap * sizeof *g);
        if (g == NULL) {
            n->fatal = PL_E_NOMEM; /* the summary would go stale unseen */
            return;
        }
        n->dirty = g, n->dirty_cap = cap;
    }
    n->dirty[n->ndirty++] = c;
    c->dirty = 1;
}

static int case_insert(pl_node *n, struct ncase *c)
{
    long i = case_index(n, c->id);
    if (i >= 0)
        return PL_E_ARG;
    if (n->ncases == PL_NODE_MAX_CASES)
        return PL_E_NOMEM;
    size_t at = (size_t)(-i - 1);
    if (n->ncases == n->cases_cap) {
        size_t cap = n->cases_cap ? 2 * n->cases_cap : 64;
        struct ncase **g = realloc(n->cases, cap * sizeof *g);
        if (g == NULL)
            return PL_E_NOMEM;
        n->cases = g, n->cases_cap = cap;
    }
    if (c->pc != NULL && res_find(n, c) < 0 && res_add(n, c) != 0)
        return PL_E_NOMEM;
    memmove(&n->cases[at + 1], &n->cases[at], (n->ncases - at) * sizeof *n->cases);
    n->cases[at] = c;
    n->ncases++;
    n->admit_dirty = 1;
    return PL_OK;
}

/* The keys the node speaks for: unlocked ones first, then held ones
 * (SPEC §14.12 *Held keys*); both count as the node's own for hosting,
 * admission and §14.11. */
static size_t n_own(const pl_node *n) { return n->cfg.nkeys + n->cfg.nheld; }

static const uint8_t *own_pk(const pl_node *n, size_t i)
{
    return i < n->cfg.nkeys ? pl_key_pk(n->cfg.keys[i]) : n->cfg.held[i - n->cfg.nkeys];
}

static int is_own_key(const pl_node *n, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < n_own(n); i++)
        if (memcmp(own_pk(n, i), pk, PL_PK_BYTES) == 0)
            return 1;
    return 0;
}

static struct ckey *ckey_find(const struct ncase *c, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < c->nkeys; i++)
        if (memcmp(c->keys[i].pk, pk, PL_PK_BYTES) == 0)
            return &c->keys[i];
    return NULL;
}

/* A flag of key as the summary says (a case not resident). */
static int ckey_flag(const struct ncase *c, const uint8_t pk[PL_PK_BYTES], int flag)
{
    struct ckey *k = ckey_find(c, pk);
    return k != NULL && (k->flags & flag);
}

/* Whether the case names key (SPEC §14): the rules engine says, from the
 * charter, the pool, the roles now and the old keys of replacements (the
 * summary, when the case is not resident). */
static int case_names(const struct ncase *c, const uint8_t pk[PL_PK_BYTES])
{
    return c->pc ? pl_case_names(c->pc, pk) : ckey_flag(c, pk, K_NAMED);
}

static int case_retired(const struct ncase *c, const uint8_t pk[PL_PK_BYTES])
{
    return c->pc ? pl_case_retired(c->pc, pk) : ckey_flag(c, pk, K_RETIRED);
}

/* SPEC §14.10 (v2, R14): a citizen of the observer pool who was not drawn
 * takes part in the draw only; it gets the charter, the draw messages and
 * their causal past, and nothing of the negotiation itself. */
static int pool_only(const struct ncase *c, const uint8_t pk[PL_PK_BYTES])
{
    if (c->pc == NULL)
        return ckey_flag(c, pk, K_POOL);
    const pl_body *ch = pl_case_charter(c->pc);
    if (ch == NULL || pl_case_role(c->pc, pk) != PL_ROLE_NONE)
        return 0;
    for (size_t i = 0; i < ch->u.charter.npool; i++)
        if (memcmp(ch->u.charter.pool[i], pk, PL_PK_BYTES) == 0)
            return 1;
    return 0;
}

/* The draw view, marked once per use (a relay, a WANT, a HEADS): draw
 * messages, the charter, and everything in a draw message's past. NULL
 * when out of memory (the caller then shows the citizen nothing). */
static char *draw_view(const struct ncase *c)
{
    size_t n = pl_case_count(c->pc), nd = 0;
    char *v = calloc(n ? n : 1, 1);
    size_t *d = malloc((n ? n : 1) * sizeof *d);
    for (size_t i = 0; v != NULL && d != NULL && i < n; i++) {
        pl_case_msg_info mi;
        (void)pl_case_msg_info_get(c->pc, i, &mi);
        uint64_t t = mi.type;
        if (t == PL_T_DRAW_COMMIT || t == PL_T_DRAW_REVEAL)
            d[nd++] = i, v[i] = 1;
        else if (t == PL_T_CHARTER)
            v[i] = 1;
    }
    for (size_t i = 0; v != NULL && d != NULL && i < n; i++)
        for (size_t k = 0; k < nd && !v[i]; k++)
            v[i] = (char)pl_case_saw(c->pc, d[k], i);
    if (d == NULL) {
        free(v);
        v = NULL;
    }
    free(d);
    return v;
}

static int names_us(const pl_node *n, const struct ncase *c)
{
    for (size_t i = 0; i < n_own(n); i++)
        if (case_names(c, own_pk(n, i)))
            return 1;
    return 0;
}

static int allowed(const pl_node *n, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < n->cfg.nallow; i++)
        if (memcmp(n->cfg.allow[i], pk, PL_PK_BYTES) == 0)
            return 1;
    for (size_t i = 0; i < n->nextra; i++)
        if (memcmp(n->extra[i], pk, PL_PK_BYTES) == 0)
            return 1;
    return 0;
}

int pl_node_allow(pl_node *n, const uint8_t pk[PL_PK_BYTES])
{
    if (allowed(n, pk))
        return PL_OK;
    uint8_t(*g)[PL_PK_BYTES] = realloc(n->extra, (n->nextra + 1) * sizeof *g);
    if (g == NULL)
        return PL_E_NOMEM;
    n->extra = g;
    memcpy(n->extra[n->nextra++], pk, PL_PK_BYTES);
    n->admit_dirty = 1;
    return PL_OK;
}

static void admit_rebuild(pl_node *n);

void pl_node_disallow(pl_node *n, const uint8_t pk[PL_PK_BYTES])
{
    size_t w = 0;
    for (size_t r = 0; r < n->nextra; r++)
        if (memcmp(n->extra[r], pk, PL_PK_BYTES) != 0)
            memcpy(n->extra[w++], n->extra[r], PL_PK_BYTES);
    n->nextra = w;
    n->admit_dirty = 1;
}

static int admitted_cmp(const void *a, const void *b)
{
    return memcmp(((const struct admitted *)a)->ed, ((const struct admitted *)b)->ed, PL_PK_BYTES);
}

int pl_node_admit_key(pl_node *n, const uint8_t pk[PL_PK_BYTES])
{
    if (n->admit_dirty)
        admit_rebuild(n);
    struct admitted key;
    memcpy(key.ed, pk, PL_PK_BYTES);
    return n->nadmit > 0 &&
           bsearch(&key, n->admit, n->nadmit, sizeof *n->admit, admitted_cmp) != NULL;
}

/* ---- known heads of peers ---------------------------------------------- */

static struct known *known_find(struct ncase *c, uint32_t peer, const uint8_t author[PL_PK_BYTES])
{
    for (size_t i = 0; i < c->nknown; i++)
        if (c->known[i].peer == peer && memcmp(c->known[i].author, author, PL_PK_BYTES) == 0)
            return &c->known[i];
    return NULL;
}

static void known_set(struct ncase *c, uint32_t peer, const uint8_t author[PL_PK_BYTES],
                      uint64_t seq)
{
    struct known *k = known_find(c, peer, author);
    if (k == NULL) {
        if (c->nknown == c->known_cap) {
            size_t cap = c->known_cap ? 2 * c->known_cap : 8;
            struct known *g = realloc(c->known, cap * sizeof *g);
            if (g == NULL)
                return; /* only an optimisation: the peer gets a duplicate */
            c->known = g, c->known_cap = cap;
        }
        k = &c->known[c->nknown++];
        k->peer = peer;
        memcpy(k->author, author, PL_PK_BYTES);
        k->seq = 0;
    }
    if (seq > k->seq)
        k->seq = seq;
}

static uint64_t known_seq(struct ncase *c, uint32_t peer, const uint8_t author[PL_PK_BYTES])
{
    struct known *k = known_find(c, peer, author);
    return k ? k->seq : 0;
}

static void known_forget_peer(pl_node *n, uint32_t peer)
{
    for (size_t i = 0; i < n->ncases; i++) {
        struct ncase *c = n->cases[i];
        size_t w = 0;
        for (size_t r = 0; r < c->nknown; r++)
            if (c->known[r].peer != peer)
                c->known[w++] = c->known[r];
        c->nknown = w;
    }
}

/* ---- peers -------------------------------------------------------------- */

static int peer_follows(const struct peer *p, const uint8_t id[PL_CASE_ID_BYTES])
{
    size_t lo = 0, hi = p->nfollows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(p->follows[mid], id, PL_CASE_ID_BYTES);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static void peer_follow(struct peer *p, const uint8_t id[PL_CASE_ID_BYTES])
{
    if (peer_follows(p, id) || p->nfollows >= PL_WIRE_MAX_CASES)
        return;
    uint8_t(*g)[PL_CASE_ID_BYTES] = realloc(p->follows, (p->nfollows + 1) * sizeof *g);
    if (g == NULL)
        return;
    p->follows = g;
    size_t at = 0;
    while (at < p->nfollows && memcmp(p->follows[at], id, PL_CASE_ID_BYTES) < 0)
        at++;
    memmove(&p->follows[at + 1], &p->follows[at], (p->nfollows - at) * sizeof *p->follows);
    memcpy(p->follows[at], id, PL_CASE_ID_BYTES);
    p->nfollows++;
}

/* SPEC §14.3: a case's frames go only to a peer that follows the case and
 * that the case names (or the operator configured). */
/* A key an effective change retired loses read access to the case at the
 * retirement (issue 18 §6), unless the operator admits it by name. */
static int key_served(const pl_node *n, const struct ncase *c, const uint8_t pk[PL_PK_BYTES])
{
    return (case_names(c, pk) && !case_retired(c, pk)) || allowed(n, pk);
}

static int peer_serves(const pl_node *n, const struct peer *p, const struct ncase *c)
{
    return p->used && p->hello && !c->invite && peer_follows(p, c->id) && key_served(n, c, p->pk);
}

/* ---- proofs ------------------------------------------------------------ */

static int proven(const struct ncase *c, const pl_equiv_info *info)
{
    for (size_t i = 0; i < c->nproofs; i++)
        if (c->proven[i].seq == info->seq &&
            memcmp(c->proven[i].author, info->author, PL_PK_BYTES) == 0)
            return 1;
    return 0;
}

/* Applies a verified proof to the case's state; PL_OK, or why not. */
static int proof_apply(pl_node *n, struct ncase *c, int loading, const pl_equiv_info *info,
                       const uint8_t *proof,
                       size_t len)
{
    if (c->nproofs == PL_NODE_MAX_PROOFS)
        return PL_E_AUTHOR_LIMIT;
    struct proven *g = realloc(c->proven, (c->nproofs + 1) * sizeof *g);
    if (g == NULL)
        return PL_E_NOMEM;
    c->proven = g;
    int rc = pl_case_add_proof(c->pc, proof, len);
    if (rc != PL_OK)
        return rc;
    memcpy(c->proven[c->nproofs].author, info->author, PL_PK_BYTES);
    c->proven[c->nproofs++].seq = info->seq;
    if (!loading)
        mark_dirty(n, c); /* verdicts changed */
    return PL_OK;
}

/* ---- loading and accepting ---------------------------------------------- */

/* SPEC §14.11: synced once a peer's HEADS has shown us this case and we
 * hold, of each own key, at least the highest seq any peer claimed of it.
 * Claims of own keys are kept apart from the (capped) claims table, so no
 * flood of other claims can push them out. */
static int own_caught_up(const pl_node *n, const struct ncase *c)
{
    if (!c->heads_seen)
        return 0;
    for (size_t k = 0; k < n_own(n); k++) {
        uint64_t have;
        uint8_t id[PL_ID_BYTES];
        head_get(c, own_pk(n, k), &have, id);
        if (have < c->own_claim[k])
            return 0;
    }
    return 1;
}

static void own_claim_note(const pl_node *n, struct ncase *c, const pl_ref *r)
{
    for (size_t k = 0; k < n_own(n); k++)
        if (memcmp(own_pk(n, k), r->author, PL_PK_BYTES) == 0 &&
            r->seq > c->own_claim[k])
            c->own_claim[k] = r->seq;
}

static long author_index(const struct ncase *c, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < c->nauthors; i++)
        if (memcmp(c->authors[i], pk, PL_PK_BYTES) == 0)
            return (long)i;
    return -1;
}

static int author_known(const struct ncase *c, const uint8_t pk[PL_PK_BYTES])
{
    return author_index(c, pk) >= 0;
}

/* The head of an author (SPEC §6.7): the verifier's, or the summary's when
 * the case is not resident; seq 0 when it has none. */
static void head_get(const struct ncase *c, const uint8_t pk[PL_PK_BYTES], uint64_t *seq,
                     uint8_t id[PL_ID_BYTES])
{
    if (c->ver != NULL) {
        pl_verifier_head(c->ver, pk, seq, id);
        return;
    }
    long i = author_index(c, pk);
    *seq = i >= 0 ? c->heads[i].seq : 0;
    if (i >= 0)
        memcpy(id, c->heads[i].id, PL_ID_BYTES);
    else
        memset(id, 0, PL_ID_BYTES);
}

/* An accepted message: its author is known, and it is the author's head
 * (a chain is accepted in order). 0, or -1 out of memory. */
static int author_note(struct ncase *c, const pl_header *h, const uint8_t id[PL_ID_BYTES])
{
    long i = author_index(c, h->author);
    if (i < 0) {
        uint8_t(*g)[PL_PK_BYTES] = realloc(c->authors, (c->nauthors + 1) * sizeof *g);
        if (g == NULL)
            return -1;
        c->authors = g;
        struct head *hg = realloc(c->heads, (c->nauthors + 1) * sizeof *hg);
        if (hg == NULL)
            return -1;
        c->heads = hg;
        i = (long)c->nauthors++;
        memcpy(c->authors[i], h->author, PL_PK_BYTES);
        c->heads[i].seq = 0;
    }
    if (h->seq > c->heads[i].seq) {
        c->heads[i].seq = h->seq;
        memcpy(c->heads[i].id, id, PL_ID_BYTES);
    }
    return 0;
}

/* A key the charter or a change names, kept in the summary. 0, or -1. */
static int ckey_note(struct ncase *c, const uint8_t pk[PL_PK_BYTES])
{
    if (ckey_find(c, pk) != NULL)
        return 0;
    struct ckey *g = realloc(c->keys, (c->nkeys + 1) * sizeof *g);
    if (g == NULL)
        return -1;
    c->keys = g;
    memcpy(c->keys[c->nkeys].pk, pk, PL_PK_BYTES);
    c->keys[c->nkeys++].flags = 0;
    return 0;
}

/* The keys a message of the charter or a change names (the body the rules
 * engine decoded). 0, or -1 out of memory. */
static int ckeys_of(struct ncase *c, const pl_body *b)
{
    int rc = 0;
    if (b == NULL)
        return 0;
    switch (b->type) {
    case PL_T_CHARTER:
        for (size_t k = 0; k < b->u.charter.nparticipants; k++)
            rc |= ckey_note(c, b->u.charter.participants[k].key);
        for (size_t k = 0; k < b->u.charter.npool; k++)
            rc |= ckey_note(c, b->u.charter.pool[k]);
        break;
    case PL_T_PARTICIPANTS:
        for (size_t k = 0; k < b->u.participants.nadd; k++)
            rc |= ckey_note(c, b->u.participants.add[k].key);
        break;
    case PL_T_KEY_ROTATE:
        rc |= ckey_note(c, b->u.key_rotate.new_key);
        break;
    case PL_T_KEY_REPLACE:
        rc |= ckey_note(c, b->u.key_replace.new_key);
        rc |= ckey_note(c, b->u.key_replace.old_key);
        break;
    default:
        break;
    }
    return rc;
}

/* The flags of every key, from the rules engine (c resident). Admission
 * (SPEC §14.1): the charter's keys, and those of changes that are valid. */
static void ckeys_judge(struct ncase *c)
{
    const pl_body *ch = pl_case_charter(c->pc);
    for (size_t i = 0; i < c->nkeys; i++) {
        const uint8_t *pk = c->keys[i].pk;
        uint8_t f = 0;
        if (pl_case_names(c->pc, pk))
            f |= K_NAMED;
        if (pl_case_retired(c->pc, pk))
            f |= K_RETIRED;
        if (pool_only(c, pk))
            f |= K_POOL;
        for (size_t k = 0; ch != NULL && k < ch->u.charter.nparticipants && !(f & K_ADMIT); k++)
            if (memcmp(ch->u.charter.participants[k].key, pk, PL_PK_BYTES) == 0)
                f |= K_ADMIT;
        for (size_t k = 0; ch != NULL && k < ch->u.charter.npool && !(f & K_ADMIT); k++)
            if (memcmp(ch->u.charter.pool[k], pk, PL_PK_BYTES) == 0)
                f |= K_ADMIT;
        c->keys[i].flags = f;
    }
    for (size_t j = 0; j < pl_case_count(c->pc); j++) {
        pl_case_msg_info mi;
        (void)pl_case_msg_info_get(c->pc, j, &mi);
        uint64_t t = mi.type;
        if (t != PL_T_PARTICIPANTS && t != PL_T_KEY_ROTATE && t != PL_T_KEY_REPLACE)
            continue;
        const pl_body *b = pl_case_body(c->pc, j);
        if (b == NULL || pl_case_verdict(c->pc, j) != PL_OK)
            continue;
        struct ckey *k;
        if (b->type == PL_T_PARTICIPANTS) {
            for (size_t a = 0; a < b->u.participants.nadd; a++)
                if ((k = ckey_find(c, b->u.participants.add[a].key)) != NULL)
                    k->flags |= K_ADMIT;
        } else if ((k = ckey_find(c, b->type == PL_T_KEY_ROTATE
                                                          ? b->u.key_rotate.new_key
                                                          : b->u.key_replace.new_key)) != NULL) {
            k->flags |= K_ADMIT;
        }
    }
}

/* ACK of a stored message, after its flag notice when it breaks a rule
 * (SPEC §14.7, §13.21); sent once the batch commits. */
static void queue_ack(pl_node *n, uint32_t peer, const struct ncase *c, const uint8_t id[PL_ID_BYTES],
                      int verdict)
{
    if (verdict != PL_OK)
        queue_error_frame(n, peer, verdict, id,
                          "stored as evidence, flagged: it breaks a rule (SPEC §13)", 0);
    pl_wire a = {.kind = PL_W_ACK};
    memcpy(a.u.ack.case_id, c->id, PL_CASE_ID_BYTES);
    memcpy(a.u.ack.id, id, PL_ID_BYTES);
    queue(n, peer, &a);
}

/* One call that feeds a case's verifier, as on_accept sees it (issue 13
 * §5: a context per call, not fields of the node that each caller sets and
 * resets): where the message came from and what became of it. */
struct feed {
    pl_node *n;
    struct ncase *c;
    int peer;          /* who sent it; -1: the node's own, or loading */
    const uint8_t *id; /* the message the call adds; NULL when loading */
    int accepted;      /* it was accepted in this call (not left waiting) */
    int verdict;       /* and its verdict then */
    int loading;       /* replaying the store: nothing stored, sent or counted */
};

static void on_accept(void *ctx, const pl_msg *m);

/* Adds m to c's verifier with f as on_accept's context for this call
 * (every message the add releases comes through it); the verifier's
 * code. */
static int feed_add(struct feed *f, const pl_msg *m)
{
    struct ncase *was = f->n->cur;
    f->n->cur = f->c;
    pl_verifier_on_accept(f->c->ver, on_accept, f);
    int rc = pl_verifier_add_msg(f->c->ver, m);
    pl_verifier_on_accept(f->c->ver, NULL, NULL);
    f->n->cur = was;
    return rc;
}

static void on_accept(void *ctx, const pl_msg *m)
{
    struct feed *f = ctx;
    pl_node *n = f->n;
    struct ncase *c = f->c;
    const pl_header *h = pl_msg_header(m);

    /* A fatal error earlier in this add (a message it released) or batch:
     * nothing more is stored, so no chain gets a gap (the batch is rolled
     * back whole at the flush, and the node stops). */
    if (n->fatal)
        return;
    if (!f->loading) {
        /* SPEC §14.6: stored before anything about it leaves the node. */
        int rc = pl_store_put(n->store, m);
        if (rc < 0) {
            logf_(n, PL_LOG_ERROR, "store: %s: %s", pl_strerror(rc), pl_store_error());
            n->fatal = rc;
            return;
        }
        n->st.stored++;
    }
    int verdict = pl_case_add(c->pc, m);
    if (verdict == PL_E_NOMEM || verdict == PL_E_AUTHOR_LIMIT || verdict == PL_E_TOO_BIG ||
        verdict == PL_E_UNRESOLVED) {
        /* Not a verdict: the rules engine could not keep the message, so
         * it no longer matches the verifier (SPEC §13.21). Stop; a restart
         * rebuilds both from the store. */
        logf_(n, PL_LOG_ERROR, "rules engine: %s; stopping", pl_strerror(verdict));
        n->fatal = verdict;
        return;
    }
    /* the skeleton (issue 17): authors, heads, named keys, size */
    if (author_note(c, h, pl_msg_id(m)) != 0 ||
        (verdict == PL_OK && /* a flagged change names nobody, ever */
         (h->type == PL_T_CHARTER || h->type == PL_T_PARTICIPANTS ||
          h->type == PL_T_KEY_ROTATE || h->type == PL_T_KEY_REPLACE) &&
         ckeys_of(c, pl_case_body(c->pc, (size_t)pl_case_find(c->pc, pl_msg_id(m)))) != 0)) {
        logf_(n, PL_LOG_ERROR, "out of memory keeping a case's summary; stopping");
        n->fatal = PL_E_NOMEM;
        return;
    }
    size_t mlen;
    (void)pl_msg_bytes(m, &mlen);
    c->count++; /* a reload counts from 0 again */
    c->bytes += mlen;
    res_account(n, c);
    if (!f->loading)
        mark_dirty(n, c);
    /* SPEC §6.5: a timestamp is its author's claim; one far ahead of our
     * clock is kept (the rules do not judge clocks) but said, since every
     * later message of that author must carry it or later. */
    if (!f->loading && n->now_ms && h->timestamp_ms > n->now_ms + PL_NODE_SKEW_MS) {
        n->st.future++;
        if (n->now_ms - n->skew_logged_ms >= 1000) {
            char a[17];
            hex8(h->author, a);
            logf_(n, PL_LOG_WARN,
                  "case %02x%02x%02x%02x: %s's message %llu is stamped %llu s ahead of this "
                  "node's clock (SPEC §6.5): check both clocks",
                  c->id[0], c->id[1], c->id[2], c->id[3], a, (unsigned long long)h->seq,
                  (unsigned long long)((h->timestamp_ms - n->now_ms) / 1000));
            n->skew_logged_ms = n->now_ms;
        }
    }
    /* What an observer attests is what was said, its own observations
     * included: only its own attestation is no news. */
    if (!is_own_key(n, h->author) || h->type != PL_T_ATTESTATION)
        c->changed++;
    n->st.accepted++;
    if (h->type == PL_T_CHARTER || h->type == PL_T_PARTICIPANTS || h->type == PL_T_KEY_ROTATE ||
        h->type == PL_T_KEY_REPLACE)
        n->admit_dirty = 1;
    int released = 0;
    if (f->id != NULL && memcmp(pl_msg_id(m), f->id, PL_ID_BYTES) == 0) {
        f->accepted = 1;
        f->verdict = verdict;
    } else {
        released = f->id != NULL;
    }
    if (f->loading)
        return;
    /* SPEC §14.7: a message that waited for the one just received (§6.7)
     * most often came from the same peer, out of order; it is stored with
     * this batch, so that peer hears it is held (it is not relayed back to
     * it below either). */
    if (released && f->peer >= 0) {
        known_set(c, (uint32_t)f->peer, h->author, h->seq);
        queue_ack(n, (uint32_t)f->peer, c, pl_msg_id(m), verdict);
    }
    if (verdict != PL_OK) {
        char a[17];
        hex8(h->author, a);
        logf_(n, PL_LOG_WARN, "case %02x%02x%02x%02x: %s's message %llu breaks a rule: %s (kept as evidence, SPEC §13)",
              c->id[0], c->id[1], c->id[2], c->id[3], a, (unsigned long long)h->seq,
              pl_strerror(verdict));
    }
    /* SPEC §14.10: relay to every other peer following the case that lacks it. */
    size_t len;
    const uint8_t *bytes = pl_msg_bytes(m, &len);
    int viewed = -1; /* whether m is in the draw view, worked out once if needed */
    for (uint32_t i = 0; i < PL_NODE_MAX_PEERS; i++) {
        struct peer *p = &n->peers[i];
        if ((int)i == f->peer || !peer_serves(n, p, c) || known_seq(c, i, h->author) >= h->seq)
            continue;
        if (pool_only(c, p->pk)) {
            if (viewed < 0) {
                char *v = draw_view(c);
                viewed = v != NULL && v[pl_case_find(c->pc, pl_msg_id(m))];
                free(v);
            }
            if (!viewed)
                continue; /* SPEC §14.10: not for a citizen who was not drawn */
        }
        queue_msg(n, i, bytes, len);
    }
    /* SPEC §14.11: a peer brought back our own messages (a restore from an
     * old backup); once we hold all it claimed of ours, we may sign again. */
    if (!c->synced && is_own_key(n, h->author) && own_caught_up(n, c))
        c->synced = 1;
}

/* ---- summaries and residency (issue 17) ------------------------------------------ */

/* A case's summary, as the store keeps it (pl_store_summary_put): what a
 * node needs of a case it has not loaded. msgpack
 *   [1, release, count, bytes, [state, round, open_inputs, violations],
 *    [[key, flags]...], [[author, seq, id]...]]
 * the authors in first-seen order; release is pl_version() of the rules
 * that judged it. It is the node's own record, rebuilt from the messages
 * whenever it is missing, stale, unreadable or of another release. */
#define SUMMARY_VERSION 1

static int summary_encode(const struct ncase *c, msgpack_sbuffer *sb)
{
    msgpack_packer pk;
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    int e = msgpack_pack_array(&pk, 7);
    e |= msgpack_pack_uint64(&pk, SUMMARY_VERSION);
    size_t vl = strlen(pl_version());
    e |= msgpack_pack_str(&pk, vl);
    e |= msgpack_pack_str_body(&pk, pl_version(), vl);
    e |= msgpack_pack_uint64(&pk, c->count);
    e |= msgpack_pack_uint64(&pk, c->bytes);
    e |= msgpack_pack_array(&pk, 4);
    e |= msgpack_pack_uint64(&pk, c->state);
    e |= msgpack_pack_uint64(&pk, c->round);
    e |= msgpack_pack_uint64(&pk, c->open_inputs);
    e |= msgpack_pack_uint64(&pk, c->violations);
    e |= msgpack_pack_array(&pk, (uint32_t)c->nkeys);
    for (size_t i = 0; i < c->nkeys; i++) {
        e |= msgpack_pack_array(&pk, 2);
        e |= msgpack_pack_bin(&pk, PL_PK_BYTES);
        e |= msgpack_pack_bin_body(&pk, c->keys[i].pk, PL_PK_BYTES);
        e |= msgpack_pack_uint64(&pk, c->keys[i].flags);
    }
    e |= msgpack_pack_array(&pk, (uint32_t)c->nauthors);
    for (size_t i = 0; i < c->nauthors; i++) {
        e |= msgpack_pack_array(&pk, 3);
        e |= msgpack_pack_bin(&pk, PL_PK_BYTES);
        e |= msgpack_pack_bin_body(&pk, c->authors[i], PL_PK_BYTES);
        e |= msgpack_pack_uint64(&pk, c->heads[i].seq);
        e |= msgpack_pack_bin(&pk, PL_ID_BYTES);
        e |= msgpack_pack_bin_body(&pk, c->heads[i].id, PL_ID_BYTES);
    }
    return e ? -1 : 0;
}

static int mp_u64(const msgpack_object *o, uint64_t *v)
{
    if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return -1;
    *v = o->via.u64;
    return 0;
}

static int mp_bin(const msgpack_object *o, size_t n, uint8_t *out)
{
    if (o->type != MSGPACK_OBJECT_BIN || o->via.bin.size != n)
        return -1;
    memcpy(out, o->via.bin.ptr, n);
    return 0;
}

/* Fills c's skeleton from a summary; 0, or -1 if it is not one (the case
 * is then judged from its messages instead). */
static int summary_decode(struct ncase *c, const uint8_t *b, size_t len)
{
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    int rc = -1;
    if (msgpack_unpack_next(&u, (const char *)b, len, &off) != MSGPACK_UNPACK_SUCCESS || off != len)
        goto out;
    const msgpack_object *a = &u.data;
    uint64_t v, st[4];
    if (a->type != MSGPACK_OBJECT_ARRAY || a->via.array.size != 7 ||
        mp_u64(&a->via.array.ptr[0], &v) != 0 || v != SUMMARY_VERSION)
        goto out;
    /* judged by the rules of another release: judged again (its keys,
     * roles and agreement may differ under these rules) */
    const msgpack_object *ver = &a->via.array.ptr[1];
    if (ver->type != MSGPACK_OBJECT_STR || ver->via.str.size != strlen(pl_version()) ||
        memcmp(ver->via.str.ptr, pl_version(), ver->via.str.size) != 0 ||
        mp_u64(&a->via.array.ptr[2], &c->count) != 0 ||
        mp_u64(&a->via.array.ptr[3], &c->bytes) != 0)
        goto out;
    const msgpack_object *s = &a->via.array.ptr[4], *k = &a->via.array.ptr[5],
                         *h = &a->via.array.ptr[6];
    if (s->type != MSGPACK_OBJECT_ARRAY || s->via.array.size != 4 ||
        k->type != MSGPACK_OBJECT_ARRAY || h->type != MSGPACK_OBJECT_ARRAY ||
        h->via.array.size > PL_CASE_MAX_AUTHORS || k->via.array.size > 65536)
        goto out;
    for (int i = 0; i < 4; i++)
        if (mp_u64(&s->via.array.ptr[i], &st[i]) != 0)
            goto out;
    if (st[0] > PL_AGREEMENT_REOPENED)
        goto out;
    c->state = (uint8_t)st[0], c->round = st[1], c->open_inputs = st[2], c->violations = st[3];
    size_t nk = k->via.array.size, na = h->via.array.size;
    c->keys = nk ? calloc(nk, sizeof *c->keys) : NULL;
    c->authors = na ? calloc(na, sizeof *c->authors) : NULL;
    c->heads = na ? calloc(na, sizeof *c->heads) : NULL;
    if ((nk && c->keys == NULL) || (na && (c->authors == NULL || c->heads == NULL)))
        goto out;
    for (size_t i = 0; i < nk; i++) {
        const msgpack_object *e = &k->via.array.ptr[i];
        if (e->type != MSGPACK_OBJECT_ARRAY || e->via.array.size != 2 ||
            mp_bin(&e->via.array.ptr[0], PL_PK_BYTES, c->keys[i].pk) != 0 ||
            mp_u64(&e->via.array.ptr[1], &v) != 0 || v > 0xff)
            goto out;
        c->keys[i].flags = (uint8_t)v;
    }
    for (size_t i = 0; i < na; i++) {
        const msgpack_object *e = &h->via.array.ptr[i];
        if (e->type != MSGPACK_OBJECT_ARRAY || e->via.array.size != 3 ||
            mp_bin(&e->via.array.ptr[0], PL_PK_BYTES, c->authors[i]) != 0 ||
            mp_u64(&e->via.array.ptr[1], &c->heads[i].seq) != 0 ||
            mp_bin(&e->via.array.ptr[2], PL_ID_BYTES, c->heads[i].id) != 0)
            goto out;
    }
    c->nkeys = nk, c->nauthors = na;
    rc = 0;
out:
    msgpack_unpacked_destroy(&u);
    return rc;
}

/* Forgets what the summary or a load derived (before a load from scratch). */
static void skeleton_clear(struct ncase *c)
{
    free(c->keys), free(c->authors), free(c->heads);
    c->keys = NULL, c->authors = NULL, c->heads = NULL;
    c->nkeys = c->nauthors = 0;
    c->count = c->bytes = 0;
    c->state = 0, c->round = c->open_inputs = c->violations = 0;
}

/* The agreement's state in the skeleton, from the rules engine. */
static void status_note(struct ncase *c)
{
    pl_case_status st;
    pl_case_status_get(c->pc, &st);
    c->state = (uint8_t)st.state;
    c->round = st.round;
    c->open_inputs = st.open_inputs;
    c->violations = st.violations;
}

/* The skeleton's judged facts, from the rules engine (c resident). */
static void summarize(struct ncase *c)
{
    status_note(c);
    ckeys_judge(c);
}

/* Issue 17: the summaries of the changed cases will not be written (a full
 * disk at start): they stay stale in the store, made again at the next
 * start. */
static void dirty_forget(pl_node *n)
{
    for (size_t i = 0; i < n->ndirty; i++)
        n->dirty[i]->dirty = 0;
    n->ndirty = 0;
}

/* Every changed case's summary into the store, in the open batch (or each
 * on its own). PL_OK, or the store's code (the batch is then lost). */
static int summaries_write(pl_node *n)
{
    int rc = PL_OK;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    for (size_t i = 0; i < n->ndirty && rc == PL_OK; i++) {
        struct ncase *c = n->dirty[i];
        summarize(c);
        msgpack_sbuffer_clear(&sb);
        if (summary_encode(c, &sb) != 0)
            rc = PL_E_NOMEM;
        else
            rc = pl_store_summary_put(n->store, c->id, (const uint8_t *)sb.data, sb.size);
    }
    msgpack_sbuffer_destroy(&sb);
    if (rc == PL_OK)
        dirty_forget(n);
    return rc;
}

struct load_ctx {
    pl_node *n;
    struct ncase *c;
};

static int load_one(void *ctx, const uint8_t *b, size_t len)
{
    struct load_ctx *l = ctx;
    pl_msg *m;
    /* Verified before it was stored; a damaged record still fails. */
    int rc = pl_msg_load(b, len, l->c->id, &m);
    if (rc == PL_OK) {
        struct feed f = {.n = l->n, .c = l->c, .peer = -1, .loading = 1};
        rc = feed_add(&f, m);
        pl_msg_destroy(&m);
    }
    if (rc == PL_OK)
        return PL_OK;
    char why[256];
    snprintf(why, sizeof why,
             "a stored message of case %02x%02x%02x%02x fails to load (%s): the store is damaged; "
             "restore store.db (with store.db-wal) from a backup, or start with "
             "--recover-from-peers", l->c->id[0], l->c->id[1], l->c->id[2], l->c->id[3],
             pl_errname(rc));
    pl_store_set_error(why);
    return PL_E_STORE;
}

static int load_proof(void *ctx, const uint8_t *b, size_t len)
{
    struct load_ctx *l = ctx;
    pl_equiv_info info;
    /* A stored proof that no longer applies (a limit) is skipped, not a
     * reason to refuse to start. */
    if (pl_equiv_proof_verify(b, len, &info) != PL_OK || proven(l->c, &info) ||
        proof_apply(l->n, l->c, 1, &info, b, len) != PL_OK)
        logf_(l->n, PL_LOG_WARN, "a stored equivocation proof was not applied");
    return PL_OK;
}

static void res_drop(struct ncase *c)
{
    pl_verifier_destroy(&c->ver);
    pl_case_destroy(&c->pc);
}

static void cache_trim(pl_node *n, const struct ncase *keep, uint64_t min_idle_ms);

/* Issue 17: makes c resident, judging its messages and then its proofs
 * from the store through the verifier and the rules engine, exactly as
 * when they arrived. What the node knows of peers and of c's skeleton
 * stays (a load refreshes the heads and keys it replays). PL_OK, or why
 * not (c stays as it was, not resident). */
static int resident(pl_node *n, struct ncase *c)
{
    if (c->pc != NULL) {
        c->used = ++n->clock;
        c->used_ms = n->now_ms;
        return PL_OK;
    }
    c->ver = pl_verifier_new(c->id, &node_verify_limits);
    c->pc = pl_case_new_flags(c->id, PL_CASE_LEAN);
    if (c->ver == NULL || c->pc == NULL) {
        res_drop(c);
        return PL_E_NOMEM;
    }
    /* a load may happen while the node is handling another case's frame:
     * its feed is its own (load_one); only the fatal flag is saved */
    int fatal = n->fatal;
    uint64_t changed = c->changed, accepted = n->st.accepted;
    /* the skeleton is made again from the messages (the summary's stays
     * if the load fails) */
    struct ncase old = *c;
    c->keys = NULL, c->authors = NULL, c->heads = NULL;
    c->nkeys = c->nauthors = 0;
    c->count = c->bytes = 0;
    c->nproofs = 0; /* every stored proof is applied again */
    c->proven = NULL;
    n->fatal = 0;
    struct load_ctx l = {n, c};
    int rc = pl_store_each(n->store, c->id, load_one, &l);
    if (rc == PL_OK)
        rc = pl_store_each_proof(n->store, c->id, load_proof, &l);
    if (rc == PL_OK && n->fatal)
        rc = n->fatal; /* the load's own failure (out of memory: the node goes on) */
    n->fatal = fatal;
    /* a load is no news: nothing to attest, nothing counted */
    c->changed = changed, n->st.accepted = accepted;
    if (rc == PL_OK && pl_verifier_report(c->ver)->pending > 0) {
        /* a stored message lacks a stored predecessor */
        char why[256];
        snprintf(why, sizeof why,
                 "case %02x%02x%02x%02x: %zu stored message(s) lack a stored predecessor: the "
                 "store is damaged; restore it from a backup, or start with --recover-from-peers",
                 c->id[0], c->id[1], c->id[2], c->id[3], pl_verifier_report(c->ver)->pending);
        pl_store_set_error(why);
        rc = PL_E_STORE;
    }
    if (rc == PL_OK)
        summarize(c); /* the flags a summary carries, as judged now */
    if (rc == PL_OK && res_add(n, c) != 0)
        rc = PL_E_NOMEM;
    if (rc != PL_OK) {
        res_drop(c);
        free(c->keys), free(c->authors), free(c->heads), free(c->proven);
        c->keys = old.keys, c->nkeys = old.nkeys, c->authors = old.authors;
        c->nauthors = old.nauthors, c->heads = old.heads, c->count = old.count;
        c->bytes = old.bytes, c->proven = old.proven, c->nproofs = old.nproofs;
        if (rc != PL_E_NOMEM)
            logf_(n, PL_LOG_ERROR, "store: %s", pl_store_error());
        return rc;
    }
    free(old.keys), free(old.authors), free(old.heads), free(old.proven);
    c->used_ms = n->now_ms;
    if (n->res_bytes > n->cache_bytes && !n->no_trim)
        cache_trim(n, c, n->idle_ms); /* a burst of loads stays within the budget */
    return PL_OK;
}

/* Issue 17: the least recently used idle cases leave memory until the
 * resident ones fit the budget. Idle: unused for min_idle_ms, with no
 * change its summary lacks, and not the case being handled (nor keep).
 * Cases in use all stay, whatever the budget: the cache follows the cases
 * that are active, and never makes a case judged again at every use. */
static void cache_trim(pl_node *n, const struct ncase *keep, uint64_t min_idle_ms)
{
    while (n->res_bytes > n->cache_bytes && n->nres > 0) {
        /* past sixteen times the budget, cases in use leave too (least
         * recently used first): a scan of every case cannot take all
         * memory. (At four times, 1,000 active cases of 1,000 messages
         * were judged again and again: ingest_sustained fell from 70 s to
         * over 6 minutes.) */
        int hard = n->res_bytes / 16 > n->cache_bytes;
        struct ncase *lru = NULL;
        for (size_t i = 0; i < n->nres; i++) {
            struct ncase *c = n->res[i];
            if (!c->dirty && c != n->cur && c != keep &&
                (hard || n->now_ms < c->used_ms || n->now_ms - c->used_ms >= min_idle_ms) &&
                (lru == NULL || c->used < lru->used))
                lru = c;
        }
        if (lru == NULL)
            return;
        res_remove(n, lru);
        res_drop(lru);
    }
}

/* c made resident for a use: PL_OK, or why not; a stored message that no
 * longer loads stops the node, as it would have stopped its start (out of
 * memory, the node goes on without the case). */
static int use(pl_node *n, struct ncase *c)
{
    int rc = resident(n, c);
    if (rc != PL_OK && rc != PL_E_NOMEM)
        n->fatal = rc;
    return rc;
}

/* The resident part of the case with this id, loaded if need be; NULL if
 * the node does not host it or cannot load it now. */
static struct ncase *case_use(pl_node *n, const uint8_t id[PL_CASE_ID_BYTES])
{
    struct ncase *c = case_get(n, id);
    return c != NULL && use(n, c) == PL_OK ? c : NULL;
}

/* At start: one case of the store, from its summary, or judged from its
 * messages when it has none that holds. */
static int open_case(void *ctx, const uint8_t id[PL_CASE_ID_BYTES], const uint8_t *sum, size_t len)
{
    pl_node *n = ctx;
    struct ncase *c = calloc(1, sizeof *c);
    if (c == NULL)
        return PL_E_NOMEM;
    memcpy(c->id, id, PL_CASE_ID_BYTES);
    if (sum == NULL || summary_decode(c, sum, len) != 0) {
        skeleton_clear(c);
        c->stale = 1; /* judged once the listing is read (the store is busy) */
    }
    int rc = case_insert(n, c);
    if (rc != PL_OK) {
        ncase_free(c);
        return rc;
    }
    return PL_OK;
}

/* The summaries written so far at start, in one transaction. */
static int summaries_commit(pl_node *n)
{
    if (n->ndirty == 0)
        return PL_OK;
    int rc = pl_store_begin(n->store);
    if (rc == PL_OK && (rc = summaries_write(n)) == PL_OK)
        rc = pl_store_commit(n->store);
    else
        pl_store_rollback(n->store);
    return rc;
}

/* At start, after the listing: every case without a summary that holds
 * (a store of format 1, or a crash between a put and its summary) is
 * judged from its messages and summarized, a few at a time, within the
 * cache's budget, so that even a large old store is upgraded in bounded
 * memory. */
static int open_stale(pl_node *n)
{
    size_t done = 0;
    int rc = PL_OK;
    for (size_t i = 0; i < n->ncases && rc == PL_OK; i++) {
        struct ncase *c = n->cases[i];
        if (!c->stale)
            continue;
        if ((rc = resident(n, c)) != PL_OK)
            break;
        c->stale = 0;
        mark_dirty(n, c);
        done++;
        if (n->ndirty >= 256 || n->res_bytes > n->cache_bytes) {
            rc = summaries_commit(n);
            if (rc == PL_E_DISK) { /* as below: stale until the next start */
                dirty_forget(n);
                rc = PL_OK;
            }
            cache_trim(n, NULL, 0); /* judged only to be summarized */
        }
    }
    if (rc == PL_OK)
        rc = summaries_commit(n);
    if (rc == PL_E_DISK) {
        /* the disk is full: start and serve anyway; the summaries stay
         * stale and are made again at the next start */
        logf_(n, PL_LOG_WARN, "store: case summaries not written: %s", pl_store_error());
        dirty_forget(n);
        rc = PL_OK;
    }
    if (rc != PL_OK)
        logf_(n, PL_LOG_ERROR, "store: %s", pl_store_error());
    else if (done > 0)
        logf_(n, PL_LOG_INFO, "%zu case(s) judged from their messages and summarized", done);
    return rc;
}

/* Issue 18 §4: after a batch was rolled back, every case it could have
 * touched (the resident ones) goes back to what the store holds: judged
 * again from its stored messages; one whose every message was in the lost
 * batch is dropped (a peer offers it again). What the node knows of peers
 * and of its own chains stays. */
static int reload_cases(pl_node *n)
{
    n->ndirty = 0;
    /* every case the batch could have touched leaves memory first, so that
     * no reload can evict one still waiting for its own */
    for (size_t i = 0; i < n->ncases; i++) {
        struct ncase *c = n->cases[i];
        c->dirty = 0;
        c->stale = c->pc != NULL;
        if (c->stale) {
            res_remove(n, c);
            res_drop(c);
        }
    }
    size_t kept = 0;
    int rc = PL_OK;
    n->no_trim = 1;
    for (size_t i = 0; i < n->ncases; i++) {
        struct ncase *c = n->cases[i];
        if (c->stale && rc == PL_OK) {
            rc = resident(n, c);
            if (rc == PL_OK && c->count == 0) { /* all of it was in the lost batch */
                res_remove(n, c);
                ncase_free(c);
                continue;
            }
            if (rc == PL_OK) {
                c->stale = 0;
                mark_dirty(n, c); /* its summary may have gone with the batch */
                /* SPEC §14.11: own messages of the lost batch (a peer
                 * brought them back) are gone again: never sign past a
                 * claim we no longer hold */
                c->synced = own_caught_up(n, c);
            }
        }
        n->cases[kept++] = c;
    }
    n->no_trim = 0;
    n->ncases = kept;
    n->admit_dirty = 1;
    return rc;
}

int pl_node_open(pl_node_config *cfg, uint64_t now_ms, pl_node **out)
{
    *out = NULL;
    if (cfg == NULL || cfg->nkeys == 0 || cfg->nkeys > PL_NODE_MAX_KEYS ||
        cfg->nheld > PL_NODE_MAX_KEYS - cfg->nkeys)
        return PL_E_ARG;
    pl_node *n = calloc(1, sizeof *n);
    if (n == NULL)
        return PL_E_NOMEM;
    n->cfg = *cfg;
    memset(cfg->keys, 0, sizeof cfg->keys); /* the node owns them now */
    if (n->cfg.rate == 0)
        n->cfg.rate = PL_NODE_DEFAULT_RATE;
    n->heads_ms = now_ms;
    int rc = pl_store_open(n->cfg.store_path, &n->store);
    n->cache_bytes = n->cfg.cache_bytes ? n->cfg.cache_bytes : PL_NODE_DEFAULT_CACHE_BYTES;
    n->idle_ms = n->cfg.cache_idle_ms ? n->cfg.cache_idle_ms : PL_NODE_DEFAULT_IDLE_MS;
    n->now_ms = now_ms;
    if (rc == PL_OK)
        rc = pl_store_cases(n->store, open_case, n);
    if (rc == PL_OK)
        rc = open_stale(n);
    if (rc == PL_OK)
        cache_trim(n, NULL, 0);
    if (rc != PL_OK) {
        pl_node_close(&n);
        return rc;
    }
    n->admit_dirty = 1;
    *out = n;
    return PL_OK;
}

void pl_node_close(pl_node **np)
{
    if (np == NULL || *np == NULL)
        return;
    pl_node *n = *np;
    for (size_t i = 0; i < n->ncases; i++)
        ncase_free(n->cases[i]);
    for (size_t i = 0; i < PL_NODE_MAX_INVITES; i++) {
        ncase_free(n->invites[i]);
        ncase_free(n->asked[i].c);
        pl_msg_destroy(&n->asked[i].charter);
    }
    for (size_t i = 0; i < PL_NODE_MAX_PEERS; i++)
        free(n->peers[i].follows);
    for (size_t i = 0; i < n->nout; i++)
        free(n->out[i].bytes);
    free(n->out);
    free(n->cases);
    free(n->res);
    free(n->dirty);
    free(n->admit);
    free(n->extra);
    for (size_t i = 0; i < n->cfg.nkeys; i++)
        pl_key_destroy(&n->cfg.keys[i]);
    pl_store_close(&n->store);
    free(n);
    *np = NULL;
}

/* ---- admission (ZAP) ---------------------------------------------------- */

static void admit_add(pl_node *n, const uint8_t pk[PL_PK_BYTES])
{
    if (n->nadmit == n->admit_cap) {
        size_t c = n->admit_cap ? 2 * n->admit_cap : 32;
        struct admitted *g = realloc(n->admit, c * sizeof *g);
        if (g == NULL)
            return; /* not admitted until the next rebuild */
        n->admit = g, n->admit_cap = c;
    }
    memcpy(n->admit[n->nadmit++].ed, pk, PL_PK_BYTES);
}

/* SPEC §14.1: the keys of every hosted case (from its summary when it is
 * not resident: issue 17), the configured ones and those added at run
 * time; sorted and once each, with their CURVE form. */
static void admit_rebuild(pl_node *n)
{
    n->nadmit = 0;
    for (size_t i = 0; i < n->cfg.nallow; i++)
        admit_add(n, n->cfg.allow[i]);
    for (size_t i = 0; i < n->nextra; i++)
        admit_add(n, n->extra[i]);
    for (size_t i = 0; i < n->ncases; i++) {
        struct ncase *c = n->cases[i];
        if (c->pc != NULL)
            ckeys_judge(c);
        for (size_t k = 0; k < c->nkeys; k++)
            if (c->keys[k].flags & K_ADMIT)
                admit_add(n, c->keys[k].pk);
    }
    if (n->nadmit > 1)
        qsort(n->admit, n->nadmit, sizeof *n->admit, admitted_cmp);
    size_t w = 0;
    for (size_t r = 0; r < n->nadmit; r++) {
        if (w > 0 && memcmp(n->admit[w - 1].ed, n->admit[r].ed, PL_PK_BYTES) == 0)
            continue;
        if (crypto_sign_ed25519_pk_to_curve25519(n->admit[r].curve, n->admit[r].ed) != 0)
            continue; /* not a point: can never authenticate */
        n->admit[w++] = n->admit[r];
    }
    n->nadmit = w;
    n->admit_dirty = 0;
}

int pl_node_admit(pl_node *n, const uint8_t curve_pk[32], uint8_t ed_pk[PL_PK_BYTES])
{
    if (n->admit_dirty)
        admit_rebuild(n);
    for (size_t i = 0; i < n->nadmit; i++)
        if (sodium_memcmp(n->admit[i].curve, curve_pk, 32) == 0) {
            memcpy(ed_pk, n->admit[i].ed, PL_PK_BYTES);
            return 1;
        }
    return 0;
}

/* ---- HELLO and HEADS ----------------------------------------------------- */

static void send_heads(pl_node *n, uint32_t peer, struct ncase *c)
{
    int limited = pool_only(c, n->peers[peer].pk);
    if (limited && resident(n, c) != PL_OK)
        return; /* the draw view is judged (issue 17); loaded before any pointer into c */
    pl_wire w = {.kind = PL_W_HEADS};
    memcpy(w.u.heads.case_id, c->id, PL_CASE_ID_BYTES);
    /* SPEC §14.4: the latest accepted message of every author. */
    const uint8_t *authors[PL_WIRE_MAX_HEADS];
    size_t na = 0;
    for (size_t i = 0; i < c->nauthors && na < PL_WIRE_MAX_HEADS; i++)
        authors[na++] = c->authors[i];
    /* Ascending by author (SPEC §14.2). */
    for (size_t i = 1; i < na; i++)
        for (size_t j = i; j > 0 && memcmp(authors[j - 1], authors[j], PL_PK_BYTES) > 0; j--) {
            const uint8_t *t = authors[j];
            authors[j] = authors[j - 1];
            authors[j - 1] = t;
        }
    char *view = limited ? draw_view(c) : NULL;
    for (size_t i = 0; i < na; i++) {
        pl_ref *r = &w.u.heads.heads[w.u.heads.n];
        memcpy(r->author, authors[i], PL_PK_BYTES);
        head_get(c, authors[i], &r->seq, r->id);
        if (limited) {
            /* SPEC §14.10: the highest seq of it the citizen may see */
            r->seq = 0;
            for (size_t k = 0; k < pl_case_count(c->pc); k++) {
                pl_case_msg_info hi;
                (void)pl_case_msg_info_get(c->pc, k, &hi);
                const pl_case_msg_info *h = &hi;
                if (memcmp(h->author, authors[i], PL_PK_BYTES) == 0 && h->seq > r->seq &&
                    view != NULL && view[k])
                    r->seq = h->seq, memcpy(r->id, h->id, PL_ID_BYTES);
            }
            if (r->seq == 0)
                continue;
        }
        w.u.heads.n++;
    }
    free(view);
    queue(n, peer, &w);
}

static void send_hello(pl_node *n, uint32_t peer)
{
    pl_wire w = {.kind = PL_W_HELLO};
    memcpy(w.u.hello.node, pl_key_pk(n->cfg.keys[0]), PL_PK_BYTES);
    size_t cnt = n->ncases < PL_WIRE_MAX_CASES ? n->ncases : PL_WIRE_MAX_CASES;
    uint8_t(*ids)[PL_CASE_ID_BYTES] = cnt ? malloc(cnt * PL_CASE_ID_BYTES) : NULL;
    size_t k = 0;
    /* Cases this peer could follow, ascending (n->cases is sorted). */
    for (size_t i = 0; ids != NULL && i < n->ncases && k < cnt; i++)
        if (case_names(n->cases[i], n->peers[peer].pk) || allowed(n, n->peers[peer].pk))
            memcpy(ids[k++], n->cases[i]->id, PL_CASE_ID_BYTES);
    w.u.hello.cases = ids;
    w.u.hello.ncases = k;
    queue(n, peer, &w);
    free(ids);
}

int pl_node_peer_open(pl_node *n, const uint8_t pk[PL_PK_BYTES], uint64_t now_ms)
{
    for (uint32_t i = 0; i < PL_NODE_MAX_PEERS; i++) {
        struct peer *p = &n->peers[i];
        if (p->used)
            continue;
        memset(p, 0, sizeof *p);
        p->used = 1;
        memcpy(p->pk, pk, PL_PK_BYTES);
        p->tokens = n->cfg.rate;
        p->tokens_ms = now_ms;
        /* SPEC §14.3: HELLO first. */
        send_hello(n, i);
        char a[17];
        hex8(pk, a);
        logf_(n, PL_LOG_INFO, "peer %u (%s…) connected", i, a);
        return (int)i;
    }
    return -1;
}

void pl_node_peer_close(pl_node *n, uint32_t peer)
{
    if (peer >= PL_NODE_MAX_PEERS || !n->peers[peer].used)
        return;
    free(n->peers[peer].follows);
    memset(&n->peers[peer], 0, sizeof n->peers[peer]);
    known_forget_peer(n, peer);
    /* Frames still queued for it go nowhere. */
    for (size_t i = 0; i < n->nout; i++)
        if (n->out[i].peer == peer)
            n->out[i].len = 0;
}

static void on_hello(pl_node *n, uint32_t peer, const pl_wire *w)
{
    struct peer *p = &n->peers[peer];
    if (p->hello) {
        queue_error(n, peer, PL_E_HELLO, NULL, "HELLO once per connection (SPEC §14.3)");
        return;
    }
    /* SPEC §14.3: the HELLO names the key the peer authenticated with. */
    if (sodium_memcmp(w->u.hello.node, p->pk, PL_PK_BYTES) != 0) {
        queue_error(n, peer, PL_E_HELLO, NULL, "HELLO names a key other than the one this connection authenticated with");
        p->close = 1; /* after the ERROR has gone out */
        return;
    }
    p->hello = 1;
    for (size_t i = 0; i < w->u.hello.ncases; i++)
        peer_follow(p, w->u.hello.cases[i]);
    /* SPEC §14.4: HEADS of every case both follow; and of the cases that
     * name the peer but it does not follow yet: an invitation (§14.3). */
    for (size_t i = 0; i < n->ncases; i++) {
        struct ncase *c = n->cases[i];
        if (key_served(n, c, p->pk)) { /* a retired key is served no more */
            peer_follow(p, c->id);
            send_heads(n, peer, c);
        }
    }
}

static struct ncase *invite_get(pl_node *n, const uint8_t id[PL_CASE_ID_BYTES])
{
    for (size_t i = 0; i < PL_NODE_MAX_INVITES; i++)
        if (n->invites[i] && memcmp(n->invites[i]->id, id, PL_CASE_ID_BYTES) == 0)
            return n->invites[i];
    return NULL;
}

static void claim_note(struct ncase *c, const pl_ref *r, const uint8_t by[PL_PK_BYTES],
                       uint64_t now_ms)
{
    for (size_t i = 0; i < c->nclaims; i++)
        if (memcmp(c->claims[i].author, r->author, PL_PK_BYTES) == 0) {
            if (r->seq > c->claims[i].seq) {
                c->claims[i].seq = r->seq;
                memcpy(c->claims[i].by, by, PL_PK_BYTES);
                c->claims[i].since_ms = now_ms;
            }
            return;
        }
    if (c->nclaims >= PL_WIRE_MAX_HEADS * 2)
        return;
    struct claim *g = realloc(c->claims, (c->nclaims + 1) * sizeof *g);
    if (g == NULL)
        return;
    c->claims = g;
    struct claim *cl = &c->claims[c->nclaims++];
    memcpy(cl->author, r->author, PL_PK_BYTES);
    cl->seq = r->seq;
    memcpy(cl->by, by, PL_PK_BYTES);
    cl->since_ms = now_ms;
}

static void want(pl_node *n, uint32_t peer, const uint8_t case_id[PL_CASE_ID_BYTES],
                 const uint8_t author[PL_PK_BYTES], uint64_t from, uint64_t max)
{
    pl_wire w = {.kind = PL_W_WANT};
    memcpy(w.u.want.case_id, case_id, PL_CASE_ID_BYTES);
    memcpy(w.u.want.author, author, PL_PK_BYTES);
    w.u.want.from_seq = from;
    w.u.want.max = max < PL_WIRE_MAX_WANT ? max : PL_WIRE_MAX_WANT;
    queue(n, peer, &w);
}

static long asked_find(const pl_node *n, const uint8_t id[PL_CASE_ID_BYTES]);

/* The id of the stored message of author at seq; 0, or -1 if none. */
static int stored_id(pl_node *n, const struct ncase *c, const uint8_t author[PL_PK_BYTES],
                     uint64_t seq, uint8_t id[PL_ID_BYTES]);

/* Whether the case already holds a proof of author's fork. */
static int author_proven(const struct ncase *c, const uint8_t author[PL_PK_BYTES])
{
    for (size_t i = 0; i < c->nproofs; i++)
        if (memcmp(c->proven[i].author, author, PL_PK_BYTES) == 0)
            return 1;
    return 0;
}

/* SPEC §7.1, §14.4 (issue 18 §6): a peer that names, for a seq we hold,
 * another id than ours holds the other branch of a fork: ask it for that
 * message, whose arrival proves the fork (on_msg builds and shares the
 * proof). Heads and references are compared by id, not by seq alone. */
static void want_other_branch(pl_node *n, uint32_t peer, struct ncase *c,
                              const uint8_t author[PL_PK_BYTES], uint64_t seq,
                              const uint8_t theirs[PL_ID_BYTES])
{
    uint8_t mine[PL_ID_BYTES];
    uint64_t head;
    if (seq == 0)
        return;
    /* the head is at hand; any other seq is read from the store */
    head_get(c, author, &head, mine);
    if (seq == head ? memcmp(mine, theirs, PL_ID_BYTES) == 0
                    : stored_id(n, c, author, seq, mine) != 0 ||
                          memcmp(mine, theirs, PL_ID_BYTES) == 0)
        return;
    if (author_proven(c, author))
        return;
    logf_(n, PL_LOG_WARN, "case %02x%02x%02x%02x: a peer holds another message at a seq this "
                          "node holds: a split view; fetching it to prove the fork",
          c->id[0], c->id[1], c->id[2], c->id[3]);
    want(n, peer, c->id, author, seq, 1);
}

static void on_heads(pl_node *n, uint32_t peer, const pl_wire *w, uint64_t now_ms)
{
    struct peer *p = &n->peers[peer];
    const uint8_t *id = w->u.heads.case_id;
    struct ncase *c = case_get(n, id);
    if (c == NULL) {
        /* An invitation (SPEC §14.3): fetch the first message of each
         * author, keep the case if one is a charter that names us. */
        if (invite_get(n, id) != NULL || asked_find(n, id) >= 0)
            return; /* fetching it, or it waits for the operator */
        size_t slot = 0;
        while (slot < PL_NODE_MAX_INVITES && n->invites[slot] != NULL)
            slot++;
        if (slot == PL_NODE_MAX_INVITES) {
            queue_error(n, peer, PL_E_UNKNOWN_CASE, NULL, "this node does not host the case and has too many invitations pending");
            return;
        }
        if ((c = ncase_new(id)) == NULL)
            return;
        c->invite = 1;
        c->invited_ms = now_ms;
        c->heads_seen = 1;
        n->invites[slot] = c;
        for (size_t i = 0; i < w->u.heads.n; i++) {
            claim_note(c, &w->u.heads.heads[i], p->pk, now_ms);
            own_claim_note(n, c, &w->u.heads.heads[i]);
            want(n, peer, id, w->u.heads.heads[i].author, 1, 1);
        }
        return;
    }
    if (c->invite)
        return;
    if (!key_served(n, c, p->pk)) {
        queue_error(n, peer, PL_E_NOT_FOLLOWED, NULL,
                    case_names(c, p->pk) ? "your key was retired from this case (SPEC §13.18)"
                                         : "this case does not name your key");
        return;
    }
    /* Sending HEADS of a case is following it. */
    if (!peer_follows(p, id)) {
        peer_follow(p, id);
        send_heads(n, peer, c);
    }
    c->heads_seen = 1;
    for (size_t i = 0; i < w->u.heads.n; i++) {
        const pl_ref *r = &w->u.heads.heads[i];
        /* Only authors the case names: a made-up author costs nothing. */
        if (!case_names(c, r->author))
            continue;
        uint64_t have;
        uint8_t hid[PL_ID_BYTES];
        head_get(c, r->author, &have, hid);
        own_claim_note(n, c, r);
        if (r->seq <= have)
            want_other_branch(n, peer, c, r->author, r->seq, r->id);
        if (have > 0)
            known_set(c, peer, r->author, r->seq < have ? r->seq : have);
        /* SPEC §14.4: claims, not facts; ask for what we lack. */
        if (r->seq > have) {
            claim_note(c, r, p->pk, now_ms);
            want(n, peer, id, r->author, have + 1, r->seq - have);
        }
    }
    /* SPEC §14.11: synced when caught up with every claim of our own
     * chains; a later claim of more than we hold (our key used elsewhere,
     * or a store that lost data) stops signing again until we have it. */
    int ok = own_caught_up(n, c);
    if (ok != c->synced)
        logf_(n, ok ? PL_LOG_INFO : PL_LOG_WARN,
              ok ? "case %02x%02x%02x%02x: own heads confirmed by a peer"
                 : "case %02x%02x%02x%02x: a peer shows more of this node's own messages than it "
                   "holds; not signing until it has them",
              id[0], id[1], id[2], id[3]);
    c->synced = ok;
}

struct want_ctx {
    pl_node *n;
    uint32_t peer;
    size_t bytes;
    const struct ncase *limited; /* a citizen not drawn: only what it may see */
    const char *view;            /* its draw view (NULL: nothing) */
};

static int want_one(void *ctx, const uint8_t *b, size_t len)
{
    struct want_ctx *wc = ctx;
    if (wc->limited != NULL) {
        /* SPEC §14.10: a chain's visible part is a prefix; stop at its end */
        pl_msg *m = NULL;
        long at = pl_msg_decode(b, len, wc->limited->id, &m) == PL_OK
                      ? pl_case_find(wc->limited->pc, pl_msg_id(m))
                      : -1;
        pl_msg_destroy(&m);
        if (at < 0 || wc->view == NULL || !wc->view[at])
            return 1;
    }
    queue_msg(wc->n, wc->peer, b, len);
    wc->bytes += len;
    /* Bound one answer's memory: the rest on the next WANT. */
    return wc->bytes > 16u * 1024u * 1024u ? 1 : 0;
}

static void on_want(pl_node *n, uint32_t peer, const pl_wire *w)
{
    struct ncase *c = case_get(n, w->u.want.case_id);
    if (c == NULL || c->invite) {
        queue_error(n, peer, PL_E_UNKNOWN_CASE, NULL, NULL);
        return;
    }
    if (!peer_serves(n, &n->peers[peer], c)) {
        queue_error(n, peer, PL_E_NOT_FOLLOWED, NULL, NULL);
        return;
    }
    /* the draw view is judged (issue 17: a pool citizen's WANT loads it) */
    if (pool_only(c, n->peers[peer].pk) && resident(n, c) != PL_OK)
        return;
    /* SPEC §14.5: in seq order, at most max. */
    struct want_ctx wc = {n, peer, 0, pool_only(c, n->peers[peer].pk) ? c : NULL, NULL};
    char *view = wc.limited ? draw_view(c) : NULL;
    wc.view = view;
    if (pl_store_range(n->store, c->id, w->u.want.author, w->u.want.from_seq, w->u.want.max,
                       want_one, &wc) < 0)
        logf_(n, PL_LOG_ERROR, "store: cannot read messages for a WANT");
    free(view);
}

/* ---- MSG ------------------------------------------------------------------ */

/* SPEC §14.9: a verified proof of this case is applied, stored once and
 * passed on once. Only forks by authors who wrote in the case count: a
 * proof about a made-up key would otherwise cost every node a slot. */
static void share_proof(pl_node *n, struct ncase *c, const uint8_t *proof, size_t len, int from)
{
    pl_equiv_info info;
    if (pl_equiv_proof_verify(proof, len, &info) != PL_OK || proven(c, &info))
        return;
    if (!author_known(c, info.author)) {
        if (from >= 0)
            queue_error(n, (uint32_t)from, PL_E_NOT_PARTICIPANT, NULL,
                        "a proof about an author with no message in the case");
        return;
    }
    int rc = proof_apply(n, c, 0, &info, proof, len);
    if (rc == PL_OK && (rc = pl_store_put_proof(n->store, proof, len)) < 0)
        n->fatal = rc;
    if (rc < 0) {
        if (from >= 0)
            queue_error(n, (uint32_t)from, rc, NULL, "equivocation proof not kept");
        else
            logf_(n, PL_LOG_WARN, "equivocation proof not kept: %s", pl_strerror(rc));
        return;
    }
    n->st.proofs++;
    logf_(n, PL_LOG_WARN, "case %02x%02x%02x%02x: equivocation proven; proof stored and shared (SPEC §14.9)",
          c->id[0], c->id[1], c->id[2], c->id[3]);
    /* SPEC §14.9: to every peer following the case. */
    pl_wire w = {.kind = PL_W_PROOF};
    w.u.proof.bytes = (uint8_t *)proof;
    w.u.proof.len = len;
    for (uint32_t i = 0; i < PL_NODE_MAX_PEERS; i++)
        if ((int)i != from && peer_serves(n, &n->peers[i], c))
            queue(n, i, &w);
}

struct slot_ctx {
    const uint8_t *case_id;
    pl_msg *m;
};

static int slot_one(void *ctx, const uint8_t *b, size_t len)
{
    struct slot_ctx *s = ctx;
    return pl_msg_load(b, len, s->case_id, &s->m) == PL_OK ? 1 : PL_E_STORE;
}

/* The stored message of author at seq (free it), or NULL. */
static pl_msg *stored_at(pl_node *n, const struct ncase *c, const uint8_t author[PL_PK_BYTES],
                         uint64_t seq)
{
    struct slot_ctx s = {c->id, NULL};
    if (pl_store_range(n->store, c->id, author, seq, 1, slot_one, &s) != 1)
        pl_msg_destroy(&s.m);
    return s.m;
}

static int stored_id(pl_node *n, const struct ncase *c, const uint8_t author[PL_PK_BYTES],
                     uint64_t seq, uint8_t id[PL_ID_BYTES])
{
    pl_msg *m = stored_at(n, c, author, seq);
    if (m == NULL)
        return -1;
    memcpy(id, pl_msg_id(m), PL_ID_BYTES);
    pl_msg_destroy(&m);
    return 0;
}

/* A fork of a stored message: build the proof from the stored one. */
static void equivocation(pl_node *n, struct ncase *c, const pl_msg *m, int from)
{
    const pl_header *h = pl_msg_header(m);
    pl_msg *mine = stored_at(n, c, h->author, h->seq);
    if (mine == NULL)
        return;
    uint8_t proof[PL_EQUIV_PROOF_MAX_BYTES];
    size_t len;
    if (pl_equiv_proof_build(mine, m, proof, sizeof proof, &len) == PL_OK)
        share_proof(n, c, proof, len, from);
    pl_msg_destroy(&mine);
}

static int is_charter_naming_us(pl_node *n, struct ncase *c, const pl_msg *m)
{
    const pl_header *h = pl_msg_header(m);
    if (h->type != PL_T_CHARTER || h->seq != 1)
        return 0;
    if (pl_case_check(c->pc, m) != PL_OK)
        return 0;
    pl_case *probe = pl_case_new(c->id);
    if (probe == NULL || pl_case_add(probe, m) != PL_OK) {
        pl_case_destroy(&probe);
        return 0;
    }
    struct ncase tmp = *c;
    tmp.pc = probe;
    int yes = names_us(n, &tmp);
    pl_case_destroy(&probe);
    return yes;
}

static void host_invited(pl_node *n, int peer, struct ncase *c, const pl_msg *m);

/* SPEC §14.3 (v2): the operator's consent to host a case offered to it: a
 * standing one (every invitation; a creator the operator configured or
 * dialled), or one given for this case (pl_node_accept). */
static int invitation_consented(const pl_node *n, const pl_msg *charter)
{
    const uint8_t *creator = pl_msg_header(charter)->author;
    return n->cfg.accept_invitations || allowed(n, creator) || is_own_key(n, creator);
}

static void asked_remove(pl_node *n, size_t k);

static void on_invite_msg(pl_node *n, uint32_t peer, struct ncase *c, const pl_msg *m)
{
    if (!is_charter_naming_us(n, c, m))
        return; /* not the charter, or not ours: wait for the other answers */
    size_t slot = 0;
    while (slot < PL_NODE_MAX_INVITES && n->invites[slot] != c)
        slot++;
    n->invites[slot] = NULL;
    c->invite = 0;
    if (!invitation_consented(n, m)) {
        /* kept, not hosted: nothing of it is stored, relayed or answered
         * until the operator says yes; the oldest waiting one makes room */
        size_t k = pl_node_ninvitations(n);
        if (k == PL_NODE_MAX_INVITES) {
            ncase_free(n->asked[0].c);
            pl_msg_destroy(&n->asked[0].charter);
            asked_remove(n, 0);
            k--;
        }
        if ((n->asked[k].charter = pl_msg_dup(m)) == NULL) {
            ncase_free(c);
            return;
        }
        n->asked[k].c = c;
        memcpy(n->asked[k].by, n->peers[peer].pk, PL_PK_BYTES);
        logf_(n, PL_LOG_INFO,
              "case %02x%02x%02x%02x: an invitation waits for the operator (its creator is not a "
              "configured key): see `parley invitations`, then `parley accept`",
              c->id[0], c->id[1], c->id[2], c->id[3]);
        return;
    }
    host_invited(n, (int)peer, c, m);
}

size_t pl_node_ninvitations(const pl_node *n)
{
    size_t k = 0;
    while (k < PL_NODE_MAX_INVITES && n->asked[k].c != NULL)
        k++;
    return k;
}

int pl_node_invitation(const pl_node *n, size_t i, uint8_t case_id[PL_CASE_ID_BYTES],
                       const pl_msg **charter)
{
    if (i >= pl_node_ninvitations(n))
        return 0;
    memcpy(case_id, n->asked[i].c->id, PL_CASE_ID_BYTES);
    *charter = n->asked[i].charter;
    return 1;
}

static long asked_find(const pl_node *n, const uint8_t id[PL_CASE_ID_BYTES])
{
    for (size_t k = 0; k < pl_node_ninvitations(n); k++)
        if (memcmp(n->asked[k].c->id, id, PL_CASE_ID_BYTES) == 0)
            return (long)k;
    return -1;
}

static void asked_remove(pl_node *n, size_t k)
{
    memmove(&n->asked[k], &n->asked[k + 1], (PL_NODE_MAX_INVITES - 1 - k) * sizeof n->asked[0]);
    n->asked[PL_NODE_MAX_INVITES - 1].c = NULL;
    n->asked[PL_NODE_MAX_INVITES - 1].charter = NULL;
}

int pl_node_accept(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t now_ms)
{
    long k = asked_find(n, case_id);
    if (k < 0)
        return PL_E_UNKNOWN_CASE;
    if (n->disk_full)
        return PL_E_DISK; /* issue 18 §4: hosted once it can be stored */
    struct ncase *c = n->asked[k].c;
    pl_msg *m = n->asked[k].charter;
    uint8_t by[PL_PK_BYTES];
    memcpy(by, n->asked[k].by, PL_PK_BYTES);
    asked_remove(n, (size_t)k);
    n->now_ms = now_ms;
    /* the peer that offered it, if still connected, is asked for the rest */
    int peer = -1;
    for (uint32_t i = 0; i < PL_NODE_MAX_PEERS && peer < 0; i++)
        if (n->peers[i].used && n->peers[i].hello && memcmp(n->peers[i].pk, by, PL_PK_BYTES) == 0)
            peer = (int)i;
    host_invited(n, peer, c, m);
    pl_msg_destroy(&m);
    return PL_OK;
}

int pl_node_decline(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES])
{
    long k = asked_find(n, case_id);
    if (k < 0)
        return PL_E_UNKNOWN_CASE;
    ncase_free(n->asked[k].c);
    pl_msg_destroy(&n->asked[k].charter);
    asked_remove(n, (size_t)k);
    return PL_OK;
}

static void host_invited(pl_node *n, int peer, struct ncase *c, const pl_msg *m)
{
    if (case_insert(n, c) != PL_OK) {
        ncase_free(c);
        return;
    }
    logf_(n, PL_LOG_INFO, "case %02x%02x%02x%02x: joined the case a peer offered; its charter names this node",
          c->id[0], c->id[1], c->id[2], c->id[3]);
    struct feed f = {.n = n, .c = c, .peer = peer};
    if (feed_add(&f, m) != PL_OK)
        logf_(n, PL_LOG_WARN, "invited case: the charter did not verify");
    /* SPEC §14.11: after a restore the case may hold messages of ours the
     * inviter showed us; synced only once we hold them again. */
    c->synced = own_caught_up(n, c);
    if (peer >= 0)
        peer_follow(&n->peers[peer], c->id);
    /* Now following: tell every peer the case names (SPEC §14.4), and ask
     * the inviting peer for the rest of what it showed us (§14.5). */
    for (uint32_t i = 0; i < PL_NODE_MAX_PEERS; i++) {
        struct peer *p = &n->peers[i];
        if (p->used && p->hello && (case_names(c, p->pk) || allowed(n, p->pk))) {
            peer_follow(p, c->id);
            send_heads(n, i, c);
        }
    }
    for (size_t i = 0; peer >= 0 && i < c->nclaims; i++) {
        uint64_t have;
        uint8_t hid[PL_ID_BYTES];
        head_get(c, c->claims[i].author, &have, hid);
        if (c->claims[i].seq > have)
            want(n, (uint32_t)peer, c->id, c->claims[i].author, have + 1, c->claims[i].seq - have);
    }
}

static void on_msg(pl_node *n, uint32_t peer, pl_msg *m, int rc)
{
    struct peer *p = &n->peers[peer];
    /* SPEC §14.6, §4.8: decoded and signature-checked first (pl_node_predecode). */
    if (rc != PL_OK) {
        queue_error(n, peer, rc, NULL, NULL);
        return;
    }
    const pl_header *h = pl_msg_header(m);
    struct ncase *c = case_get(n, h->case_id);
    if (c == NULL && (c = invite_get(n, h->case_id)) != NULL) {
        on_invite_msg(n, peer, c, m);
        return;
    }
    if (c == NULL) {
        queue_error(n, peer, PL_E_UNKNOWN_CASE, pl_msg_id(m), NULL);
        return;
    }
    if (!peer_serves(n, p, c)) {
        queue_error(n, peer, PL_E_NOT_FOLLOWED, pl_msg_id(m), NULL);
        return;
    }
    /* SPEC §14.6: an author the case does not name has nothing to say in
     * it; refused, not stored, so made-up keys cannot fill a case. */
    if (!case_names(c, h->author)) {
        queue_error(n, peer, PL_E_NOT_PARTICIPANT, pl_msg_id(m),
                    "the case does not name this author (yet): not stored");
        return;
    }
    /* Issue 17: a message the node holds already is acknowledged from the
     * store (SPEC §14.7) without judging an idle case again. */
    if (c->pc == NULL) {
        uint64_t head;
        uint8_t hid[PL_ID_BYTES], sid[PL_ID_BYTES];
        head_get(c, h->author, &head, hid);
        if (h->seq <= head && stored_id(n, c, h->author, h->seq, sid) == 0 &&
            memcmp(sid, pl_msg_id(m), PL_ID_BYTES) == 0) {
            known_set(c, peer, h->author, h->seq);
            queue_ack(n, peer, c, pl_msg_id(m), PL_OK);
            return;
        }
    }
    if ((rc = use(n, c)) != PL_OK) {
        queue_error_frame(n, peer, rc, pl_msg_id(m),
                          "this node cannot load the case now: send it again later", 0);
        return;
    }
    /* SPEC §13.21: the rules engine keeps at most PL_CASE_MAX_MESSAGES;
     * past that a new message is refused before the verifier sees it,
     * counting those waiting for predecessors (each may be released), so
     * the verifier and the rules never disagree. A duplicate is still
     * acknowledged (§14.7). */
    if (pl_case_find(c->pc, pl_msg_id(m)) < 0 &&
        pl_case_count(c->pc) + pl_verifier_report(c->ver)->pending >= PL_CASE_MAX_MESSAGES) {
        queue_error(n, peer, PL_E_TOO_BIG, pl_msg_id(m), "the case holds the most messages a node keeps");
        return;
    }
    /* SPEC §13.22 (R14): a message over its author's quota is refused
     * before it is stored or verified, so no author's volume can fill the
     * case or the store; the check costs a judgement only near the quota,
     * and for a key rotation (a seat's fourth is over it). */
    if (pl_case_find(c->pc, pl_msg_id(m)) < 0) {
        uint32_t used;
        uint64_t used_bytes;
        size_t mlen;
        (void)pl_msg_bytes(m, &mlen);
        (void)pl_case_usage(c->pc, h->author, &used, &used_bytes);
        if ((used + 1 >= PL_QUOTA_MESSAGES || used_bytes + mlen > PL_QUOTA_BYTES ||
             h->type == PL_T_KEY_ROTATE) &&
            pl_case_check(c->pc, m) == PL_E_QUOTA) {
            queue_error(n, peer, PL_E_QUOTA, pl_msg_id(m),
                        "over the author's quota in this case (SPEC 13.22): not stored");
            return;
        }
    }
    uint64_t head;
    uint8_t hid[PL_ID_BYTES];
    struct feed f = {.n = n, .c = c, .peer = (int)peer, .id = pl_msg_id(m), .verdict = PL_OK};
    rc = feed_add(&f, m);
    res_account(n, c); /* what waits for predecessors counts too */
    if (rc == PL_E_PENDING_FULL) {
        /* SPEC §6.7: no verdict, and no refusal of the peer's (§14.8): a
         * catch-up that crosses authors can meet a full set, and may
         * offer the message again */
        queue_error_frame(n, peer, rc, pl_msg_id(m),
                          "too many of this author's messages wait for predecessors here: "
                          "send the missing ones first, then this again", 0);
    } else if (rc == PL_E_EQUIVOCATION) {
        equivocation(n, c, m, (int)peer);
        queue_error(n, peer, rc, pl_msg_id(m), NULL);
    } else if (rc != PL_OK) {
        /* SPEC §14.6: never stored, never relayed; the sender is told. */
        queue_error(n, peer, rc, pl_msg_id(m), NULL);
        /* a reference to a message we hold under another id: the sender
         * saw the other branch of a fork; fetch it (issue 18 §6) */
        if (rc == PL_E_REF_MISMATCH)
            for (size_t r = 0; r < h->nrefs; r++)
                want_other_branch(n, peer, c, h->refs[r].author, h->refs[r].seq, h->refs[r].id);
        else if (rc == PL_E_PREV && h->has_prev)
            want_other_branch(n, peer, c, h->author, h->seq - 1, h->prev);
    } else {
        head_get(c, h->author, &head, hid);
        if (f.accepted || head >= h->seq)
            known_set(c, peer, h->author, h->seq);
        if (f.accepted || head >= h->seq)
            /* SPEC §14.7: durable (once the batch commits), or held already. */
            queue_ack(n, peer, c, pl_msg_id(m), f.accepted ? f.verdict : PL_OK);
        /* Otherwise it waits for a predecessor (SPEC §6.7): no ACK yet. */
    }
}

static void on_ack(pl_node *n, uint32_t peer, const pl_wire *w)
{
    struct ncase *c = case_get(n, w->u.ack.case_id);
    if (c == NULL)
        return;
    if (c->pc == NULL) {
        /* an idle case (issue 17): an ACK of a head is enough to know */
        for (size_t k = 0; k < c->nauthors; k++)
            if (memcmp(c->heads[k].id, w->u.ack.id, PL_ID_BYTES) == 0)
                known_set(c, peer, c->authors[k], c->heads[k].seq);
        return;
    }
    long i = pl_case_find(c->pc, w->u.ack.id);
    if (i >= 0) {
        pl_case_msg_info hi;
        (void)pl_case_msg_info_get(c->pc, (size_t)i, &hi);
        const pl_case_msg_info *h = &hi;
        known_set(c, peer, h->author, h->seq);
    }
}

static void on_proof(pl_node *n, uint32_t peer, const pl_wire *w)
{
    pl_equiv_info info;
    /* SPEC §14.9, §7.3: verified alone. */
    int rc = pl_equiv_proof_verify(w->u.proof.bytes, w->u.proof.len, &info);
    if (rc != PL_OK) {
        queue_error(n, peer, rc, NULL, NULL);
        return;
    }
    struct ncase *c = case_get(n, info.case_id);
    if (c == NULL || !peer_serves(n, &n->peers[peer], c)) {
        queue_error(n, peer, c == NULL ? PL_E_UNKNOWN_CASE : PL_E_NOT_FOLLOWED, NULL, NULL);
        return;
    }
    if (proven(c, &info))
        return; /* applied already (and known without loading the case) */
    if (use(n, c) != PL_OK)
        return;
    share_proof(n, c, w->u.proof.bytes, w->u.proof.len, (int)peer);
}

/* SPEC §14.10: a token bucket per peer. */
static int rate_ok(pl_node *n, struct peer *p, uint64_t now_ms)
{
    if (now_ms < p->tokens_ms)
        p->tokens_ms = now_ms; /* the clock stepped back: start again from now */
    if (now_ms > p->tokens_ms) {
        p->tokens += (double)(now_ms - p->tokens_ms) * n->cfg.rate / 1000.0;
        if (p->tokens > n->cfg.rate)
            p->tokens = n->cfg.rate;
        p->tokens_ms = now_ms;
    }
    if (p->tokens < 1.0)
        return 0;
    p->tokens -= 1.0;
    return 1;
}

void pl_node_predecode(const uint8_t *in, size_t len, pl_node_pre *pre)
{
    memset(pre, 0, sizeof *pre);
    pre->len = len;
    pre->rc = pl_wire_decode(in, len, &pre->w);
    /* The signature check, the costly part, done here so that it can run
     * on any thread: it reads nothing but its input. */
    if (pre->rc == PL_OK && pre->w.kind == PL_W_MSG)
        pre->msg_rc = pl_msg_decode(pre->w.u.msg.bytes, pre->w.u.msg.len, NULL, &pre->m);
}

void pl_node_pre_free(pl_node_pre *pre)
{
    pl_wire_free(&pre->w);
    pl_msg_destroy(&pre->m);
}

int pl_node_rate(pl_node *n, uint32_t peer, uint64_t now_ms)
{
    if (peer >= PL_NODE_MAX_PEERS || !n->peers[peer].used)
        return 0;
    struct peer *p = &n->peers[peer];
    if (rate_ok(n, p, now_ms))
        return 1;
    /* SPEC §14.10: dropped before any work; told once a second, so the
     * answer is bounded too. */
    n->st.frames_in++;
    n->now_ms = now_ms;
    if (now_ms - p->rate_told_ms >= 1000) {
        p->rate_told_ms = now_ms;
        queue_error(n, peer, PL_E_RATE, NULL, NULL);
    }
    return 0;
}

void pl_node_frame(pl_node *n, uint32_t peer, const uint8_t *in, size_t len, uint64_t now_ms)
{
    if (!pl_node_rate(n, peer, now_ms))
        return;
    pl_node_pre pre;
    pl_node_predecode(in, len, &pre);
    pl_node_frame_pre(n, peer, &pre, now_ms);
}

void pl_node_frame_pre(pl_node *n, uint32_t peer, pl_node_pre *pre, uint64_t now_ms)
{
    if (peer >= PL_NODE_MAX_PEERS || !n->peers[peer].used) {
        pl_node_pre_free(pre);
        return;
    }
    struct peer *p = &n->peers[peer];
    n->st.frames_in++;
    n->now_ms = now_ms;
    /* After a fatal error the batch is lost whole; the rest of it is not
     * handled (each frame would store on its own, past a gap). */
    if (n->fatal) {
        pl_node_pre_free(pre);
        return;
    }
    /* SPEC §14.8: a connection being closed gets no more answers. */
    if (p->close) {
        pl_node_pre_free(pre);
        return;
    }
    /* Issue 18 §4: with the disk full a message is refused before anything
     * else (it is not a peer's fault: not counted against it); reads are
     * served as usual. */
    if (n->disk_full && pre->rc == PL_OK && (pre->w.kind == PL_W_MSG || pre->w.kind == PL_W_PROOF) &&
        p->hello) {
        queue_error_frame(n, peer, PL_E_DISK, pre->m ? pl_msg_id(pre->m) : NULL,
                          "this node's disk is full: not stored; it asks again once it can write",
                          0);
        pl_node_pre_free(pre);
        return;
    }
    if (!n->in_batch) {
        int brc = pl_store_begin(n->store);
        if (brc != PL_OK) {
            n->fatal = brc;
            pl_node_pre_free(pre);
            return;
        }
        n->in_batch = 1;
    }
    pl_wire w = pre->w;
    int rc = pre->rc;
    logf_(n, PL_LOG_DEBUG, "peer %u: %zu-byte frame: %s", peer, pre->len,
          rc == PL_OK ? pl_wire_kind_name(w.kind) : pl_errname(rc));
    if (rc != PL_OK) {
        queue_error(n, peer, rc, NULL, NULL);
        p->refused++;
    } else if (!p->hello && w.kind == PL_W_ERROR) {
        /* SPEC §14.8: an ERROR is never answered, not even this one (two
         * nodes that each lost the other's HELLO would ping-pong). A
         * PL_E_HELLO still makes us say HELLO again. */
        if (w.u.error.code == PL_E_HELLO && now_ms - p->hello_again_ms >= 1000) {
            p->hello_again_ms = now_ms;
            send_hello(n, peer);
        }
    } else if (!p->hello && w.kind != PL_W_HELLO) {
        queue_error(n, peer, PL_E_HELLO, NULL, "send HELLO first (SPEC §14.3)");
        p->refused++;
    } else {
        uint64_t refused = n->st.refused;
        switch (w.kind) {
        case PL_W_HELLO: on_hello(n, peer, &w); break;
        case PL_W_HEADS: on_heads(n, peer, &w, now_ms); break;
        case PL_W_WANT: on_want(n, peer, &w); break;
        case PL_W_MSG: on_msg(n, peer, pre->m, pre->msg_rc); break;
        case PL_W_ACK: on_ack(n, peer, &w); break;
        case PL_W_PROOF: on_proof(n, peer, &w); break;
        case PL_W_ERROR: {
            /* A peer lost our HELLO (it restarted, or we were evicted):
             * say it again, at most once a second. */
            if (w.u.error.code == PL_E_HELLO && now_ms - p->hello_again_ms >= 1000) {
                p->hello_again_ms = now_ms;
                send_hello(n, peer);
            }
            if (now_ms - p->logged_ms >= 1000) {
                char a[17];
                hex8(p->pk, a);
                logf_(n, PL_LOG_INFO, "peer %u (%s…) reports %s: %s", peer, a,
                      pl_errname(w.u.error.code), w.u.error.text);
                p->logged_ms = now_ms;
            }
            break;
        }
        }
        if (n->st.refused > refused)
            p->refused++;
    }
    pl_node_pre_free(pre);
    /* SPEC §14.8: a peer that keeps sending frames we refuse may be closed. */
    if (p->refused >= PL_NODE_MAX_REFUSED && !p->close) {
        char a[17];
        hex8(p->pk, a);
        logf_(n, PL_LOG_WARN, "peer %u (%s…) closed: too many refused frames", peer, a);
        p->close = 1;
    }
}

/* Issue 18 §4: the batch is lost (rolled back) because the disk is full:
 * what the node holds in memory goes back to what its store holds, and it
 * waits for the disk instead of stopping. */
static int disk_full(pl_node *n)
{
    for (size_t i = 0; i < n->nout; i++)
        free(n->out[i].bytes);
    n->nout = 0;
    n->fatal = 0; /* the loads must not take the lost batch's failure for theirs */
    int rc = reload_cases(n);
    if (rc != PL_OK) {
        n->fatal = rc;
        return rc;
    }
    if (!n->disk_full) {
        logf_(n, PL_LOG_ERROR, "store: the disk is full or failing (%s); storing nothing, "
                               "serving reads, trying again",
              pl_store_error());
        n->disk_backoff_ms = 1000;
    }
    n->disk_full = 1;
    n->disk_retry_ms = n->now_ms + n->disk_backoff_ms;
    return PL_E_DISK;
}

int pl_node_flush(pl_node *n)
{
    if (n->fatal) {
        /* Nothing of a failed batch is stored or answered: the peers send
         * it again to the restarted node, which has no gap to refuse. */
        if (n->in_batch)
            pl_store_rollback(n->store), n->in_batch = 0;
        if (n->fatal == PL_E_DISK)
            return disk_full(n);
        for (size_t i = 0; i < n->nout; i++)
            free(n->out[i].bytes);
        n->nout = 0;
        return n->fatal;
    }
    /* Issue 17: the summaries of the cases the batch changed go with it */
    if (n->ndirty > 0 && !n->in_batch && !n->disk_full) {
        int brc = pl_store_begin(n->store);
        if (brc != PL_OK) {
            n->fatal = brc;
            return brc == PL_E_DISK ? disk_full(n) : brc;
        }
        n->in_batch = 1;
    }
    if (n->ndirty > 0 && !n->disk_full) {
        int src = summaries_write(n);
        if (src != PL_OK) {
            pl_store_rollback(n->store), n->in_batch = 0;
            if (src == PL_E_DISK)
                return disk_full(n);
            n->fatal = src;
            for (size_t i = 0; i < n->nout; i++)
                free(n->out[i].bytes);
            n->nout = 0;
            return src;
        }
    }
    if (n->in_batch) {
        n->in_batch = 0;
        int rc = pl_store_commit(n->store);
        if (rc == PL_E_DISK)
            return disk_full(n);
        if (rc != PL_OK) {
            n->fatal = rc;
            return rc;
        }
    }
    /* Durable: now the world may hear of it. */
    for (size_t i = 0; i < n->nout; i++) {
        if (n->out[i].len > 0 && n->peers[n->out[i].peer].used && n->cfg.send != NULL) {
            n->cfg.send(n->cfg.ctx, n->out[i].peer, n->out[i].bytes, n->out[i].len);
            n->st.frames_out++;
        }
        free(n->out[i].bytes);
    }
    n->nout = 0;
    for (uint32_t i = 0; i < PL_NODE_MAX_PEERS; i++) {
        n->peers[i].queued = 0;
        if (n->peers[i].used && n->peers[i].close) {
            n->peers[i].close = 0;
            n->peers[i].refused = 0;
            if (n->cfg.drop != NULL)
                n->cfg.drop(n->cfg.ctx, i);
        }
    }
    return PL_OK;
}

/* ---- own messages ---------------------------------------------------------- */

static const pl_key *own_key(const pl_node *n, const uint8_t *author)
{
    if (author == NULL)
        return n->cfg.keys[0];
    for (size_t i = 0; i < n->cfg.nkeys; i++)
        if (memcmp(pl_key_pk(n->cfg.keys[i]), author, PL_PK_BYTES) == 0)
            return n->cfg.keys[i];
    return NULL;
}

static int post_key(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t type,
                    const uint8_t *body, size_t body_len, const pl_key *k, int force,
                    uint64_t now_ms, uint8_t id[PL_ID_BYTES]);

int pl_node_post(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t type,
                 const uint8_t *body, size_t body_len, const uint8_t *author, int force,
                 uint64_t now_ms, uint8_t id[PL_ID_BYTES])
{
    const pl_key *k = own_key(n, author);
    if (k == NULL)
        return PL_E_ARG;
    return post_key(n, case_id, type, body, body_len, k, force, now_ms, id);
}

int pl_node_post_with(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t type,
                      const uint8_t *body, size_t body_len, const pl_key *signer, int force,
                      uint64_t now_ms, uint8_t id[PL_ID_BYTES])
{
    size_t i = 0;
    while (signer != NULL && i < n->cfg.nheld &&
           memcmp(n->cfg.held[i], pl_key_pk(signer), PL_PK_BYTES) != 0)
        i++;
    if (signer == NULL || i == n->cfg.nheld)
        return PL_E_ARG;
    return post_key(n, case_id, type, body, body_len, signer, force, now_ms, id);
}

static int post_key(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES], uint64_t type,
                    const uint8_t *body, size_t body_len, const pl_key *k, int force,
                    uint64_t now_ms, uint8_t id[PL_ID_BYTES])
{
    if (n->fatal)
        return n->fatal;
    if (n->disk_full)
        return PL_E_DISK; /* issue 18 §4: nothing is signed that cannot be stored */
    struct ncase *c = case_get(n, case_id);
    int created = 0;
    if (c == NULL) {
        if (type != PL_T_CHARTER)
            return PL_E_UNKNOWN_CASE;
        if ((c = ncase_new(case_id)) == NULL)
            return PL_E_NOMEM;
        c->synced = 1; /* a new case id: nothing of ours can exist in it */
        created = 1;
    }
    /* SPEC §14.11: never sign past a head we may have forgotten. */
    if (!c->synced && !force)
        return PL_E_NOT_SYNCED;
    if (!created) {
        int rrc = resident(n, c);
        if (rrc != PL_OK)
            return rrc;
    }
    /* SPEC §13.21 */
    if (pl_case_count(c->pc) + pl_verifier_report(c->ver)->pending >= PL_CASE_MAX_MESSAGES) {
        if (created)
            ncase_free(c);
        return PL_E_TOO_BIG;
    }

    const uint8_t *pk = pl_key_pk(k);
    /* SPEC §6.1, §6.2, §6.5: seq, prev, every other author's head and the
     * timestamp, from the library; the verifier must agree on our head */
    pl_header h;
    uint64_t head;
    uint8_t hid[PL_ID_BYTES];
    int hrc = pl_case_next_header(c->pc, pk, type, now_ms, &h);
    head_get(c, pk, &head, hid);
    if (hrc == PL_OK && head + 1 != h.seq)
        hrc = PL_E_NOT_SYNCED;
    if (hrc != PL_OK) {
        if (created)
            ncase_free(c);
        return hrc;
    }

    pl_msg *m;
    int rc = pl_msg_sign(&h, body, body_len, k, &m);
    /* SPEC §13: refuse to build what the rules would flag. */
    if (rc == PL_OK)
        rc = pl_case_check(c->pc, m);
    if (rc != PL_OK) {
        pl_msg_destroy(&m);
        if (created)
            ncase_free(c);
        return rc;
    }
    if (created && (rc = case_insert(n, c)) != PL_OK) {
        pl_msg_destroy(&m);
        ncase_free(c);
        return rc;
    }
    /* SPEC §14.6: persisted before it is sent (the flush below). */
    if (!n->in_batch) {
        int brc = pl_store_begin(n->store);
        if (brc != PL_OK) {
            pl_msg_destroy(&m);
            if (brc == PL_E_DISK)
                return disk_full(n);
            n->fatal = brc;
            return brc;
        }
        n->in_batch = 1;
    }
    struct feed f = {.n = n, .c = c, .peer = -1, .id = pl_msg_id(m)};
    rc = feed_add(&f, m);
    if (rc == PL_OK && !f.accepted)
        rc = PL_E_UNRESOLVED;
    memcpy(id, pl_msg_id(m), PL_ID_BYTES);
    pl_msg_destroy(&m);
    if (rc == PL_OK && created) {
        /* Offer the new case to every connected peer it names, and to the
         * peers the operator configured (SPEC §14.3, as for HEADS). */
        for (uint32_t i = 0; i < PL_NODE_MAX_PEERS; i++) {
            struct peer *p = &n->peers[i];
            if (p->used && p->hello && (case_names(c, p->pk) || allowed(n, p->pk))) {
                peer_follow(p, c->id);
                send_heads(n, i, c);
            }
        }
    }
    int frc = pl_node_flush(n);
    return rc != PL_OK ? rc : frc;
}

/* ---- timers ------------------------------------------------------------------ */

static void attest(pl_node *n, struct ncase *c, uint64_t now_ms)
{
    if (use(n, c) != PL_OK)
        return;
    for (size_t k = 0; k < n->cfg.nkeys; k++) {
        const uint8_t *pk = pl_key_pk(n->cfg.keys[k]);
        if (pl_case_role(c->pc, pk) != PL_ROLE_OBSERVER)
            continue;
        /* An attestation of the heads as verified now (SPEC §13.13): the
         * refs are the heads. Its body is {} (no note). */
        static const uint8_t empty_map[] = {0x80};
        uint8_t id[PL_ID_BYTES], case_id[PL_CASE_ID_BYTES];
        memcpy(case_id, c->id, PL_CASE_ID_BYTES);
        int rc = pl_node_post(n, case_id, PL_T_ATTESTATION, empty_map, sizeof empty_map, pk, 0,
                              now_ms, id);
        /* a full disk reloads the cases (and drops one the lost batch
         * created): c may be gone */
        if ((c = case_get(n, case_id)) == NULL)
            return;
        if (rc == PL_OK) {
            n->st.attestations++;
            logf_(n, PL_LOG_INFO, "case %02x%02x%02x%02x: attested the heads", c->id[0], c->id[1],
                  c->id[2], c->id[3]);
            c->attested = c->changed;
        } else if (rc != PL_E_NOT_SYNCED) {
            logf_(n, PL_LOG_DEBUG, "case %02x%02x%02x%02x: no attestation: %s", c->id[0], c->id[1],
                  c->id[2], c->id[3], pl_strerror(rc));
        }
        /* Not attested (not synced yet, or not joined): tried again next
         * interval. */
        c->attest_ms = now_ms;
        return;
    }
}

/* Whether the peer has not acknowledged or shown us some head we hold. */
static int peer_lacks(struct ncase *c, uint32_t peer)
{
    for (size_t i = 0; i < c->nauthors; i++) {
        uint64_t seq;
        uint8_t id[PL_ID_BYTES];
        head_get(c, c->authors[i], &seq, id);
        if (known_seq(c, peer, c->authors[i]) < seq)
            return 1;
    }
    return 0;
}

/* The time since *then. The node's clock is the wall clock (its messages
 * carry it, SPEC §6.5), which can step back: a timer then restarts from
 * the new time, so nothing fires at the step (every invitation expiring at
 * once) and nothing waits for the old time to come back. */
static uint64_t since(uint64_t now_ms, uint64_t *then)
{
    if (now_ms < *then)
        *then = now_ms;
    return now_ms - *then;
}

void pl_node_tick(pl_node *n, uint64_t now_ms)
{
    n->now_ms = now_ms;
    /* a retry further off than the longest backoff: the clock stepped back */
    if (n->disk_full && n->disk_retry_ms > now_ms + 30000)
        n->disk_retry_ms = now_ms;
    /* Issue 18 §4: can the disk be written again? */
    if (n->disk_full && now_ms >= n->disk_retry_ms && !n->in_batch) {
        int prc = pl_store_probe(n->store);
        if (prc != PL_OK && prc != PL_E_DISK) {
            n->fatal = prc; /* not the disk: the store failed; stop */
            logf_(n, PL_LOG_ERROR, "store: %s", pl_store_error());
        } else if (prc == PL_OK) {
            n->disk_full = 0;
            logf_(n, PL_LOG_WARN, "store: the disk can be written again; resuming");
            /* what was refused meanwhile comes back by catch-up */
            for (uint32_t i = 0; i < PL_NODE_MAX_PEERS; i++)
                if (n->peers[i].used && n->peers[i].hello)
                    for (size_t k = 0; k < n->ncases; k++)
                        if (peer_serves(n, &n->peers[i], n->cases[k]))
                            send_heads(n, i, n->cases[k]);
        } else {
            n->disk_backoff_ms = n->disk_backoff_ms >= 15000 ? 30000 : 2 * n->disk_backoff_ms;
            n->disk_retry_ms = now_ms + n->disk_backoff_ms;
        }
    }
    /* SPEC §14.3: an invitation whose charter never came is dropped. */
    for (size_t i = 0; i < PL_NODE_MAX_INVITES; i++)
        if (n->invites[i] != NULL && since(now_ms, &n->invites[i]->invited_ms) > PL_NODE_INVITE_MS) {
            ncase_free(n->invites[i]);
            n->invites[i] = NULL;
        }
    if (n->cfg.observer) {
        for (size_t i = 0; i < n->ncases; i++) {
            struct ncase *c = n->cases[i];
            if (c->changed != c->attested && since(now_ms, &c->attest_ms) >= n->cfg.attest_interval_ms)
                attest(n, c, now_ms);
        }
    }
    /* SPEC §14.4 (SHOULD): HEADS again for changed cases, which also heals
     * any frame lost on the way. */
    if (since(now_ms, &n->heads_ms) >= PL_NODE_HEADS_MS) {
        n->heads_ms = now_ms;
        for (size_t i = 0; i < n->ncases; i++) {
            struct ncase *c = n->cases[i];
            for (uint32_t p = 0; p < PL_NODE_MAX_PEERS; p++)
                if (peer_serves(n, &n->peers[p], c) && peer_lacks(c, p))
                    send_heads(n, p, c);
        }
        if (pl_node_flush(n) != PL_OK)
            logf_(n, PL_LOG_ERROR, "store: commit failed: %s", pl_store_error());
    }
    /* Issue 17: idle cases leave memory past the budget (between frames) */
    if (n->res_bytes > n->cache_bytes)
        cache_trim(n, NULL, n->idle_ms);
}

/* ---- read access ------------------------------------------------------------ */

pl_store *pl_node_store(pl_node *n) { return n->store; }

const pl_key *pl_node_key(const pl_node *n, size_t i)
{
    return i < n->cfg.nkeys ? n->cfg.keys[i] : NULL;
}

const char *pl_node_held_file(const pl_node *n, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < n->cfg.nheld; i++)
        if (memcmp(n->cfg.held[i], pk, PL_PK_BYTES) == 0)
            return n->cfg.held_files[i];
    return NULL;
}

const uint8_t *pl_node_own_pk(const pl_node *n, size_t i, int *held)
{
    if (held)
        *held = i >= n->cfg.nkeys;
    return i < n_own(n) ? own_pk(n, i) : NULL;
}

size_t pl_node_ncases(const pl_node *n) { return n->ncases; }

const uint8_t *pl_node_case_id(const pl_node *n, size_t i)
{
    return i < n->ncases ? n->cases[i]->id : NULL;
}

pl_case *pl_node_case(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES])
{
    struct ncase *c = case_use(n, case_id);
    return c ? c->pc : NULL;
}

pl_verifier *pl_node_verifier(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES])
{
    struct ncase *c = case_use(n, case_id);
    return c ? c->ver : NULL;
}

int pl_node_hosts(const pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES])
{
    return case_get(n, case_id) != NULL;
}

int pl_node_case_summary(pl_node *n, size_t i, pl_node_case_info *info)
{
    if (i >= n->ncases)
        return PL_E_ARG;
    struct ncase *c = n->cases[i];
    if (c->pc != NULL)
        status_note(c); /* as of now, not of the last stored summary */
    memset(info, 0, sizeof *info);
    memcpy(info->case_id, c->id, PL_CASE_ID_BYTES);
    info->messages = c->count;
    info->bytes = c->bytes;
    info->state = (pl_agreement_state)c->state;
    info->round = c->round;
    info->open_inputs = c->open_inputs;
    info->violations = c->violations;
    info->synced = c->synced;
    info->resident = c->pc != NULL;
    return PL_OK;
}

void pl_node_cache_get(const pl_node *n, size_t *resident, size_t *bytes, size_t *budget)
{
    *resident = n->nres;
    *bytes = n->res_bytes;
    *budget = n->cache_bytes;
}

int pl_node_case_synced(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES])
{
    struct ncase *c = case_get(n, case_id);
    return c ? c->synced : 0;
}

int pl_node_holders(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES],
                    const uint8_t id[PL_ID_BYTES], uint8_t (*pks)[PL_PK_BYTES], size_t max)
{
    struct ncase *c = case_use(n, case_id);
    long at = c ? pl_case_find(c->pc, id) : -1;
    if (at < 0)
        return -1;
    pl_case_msg_info hi;
    (void)pl_case_msg_info_get(c->pc, (size_t)at, &hi);
    const pl_case_msg_info *h = &hi;
    int count = 0;
    for (uint32_t p = 0; p < PL_NODE_MAX_PEERS; p++)
        if (n->peers[p].used && n->peers[p].hello && known_seq(c, p, h->author) >= h->seq) {
            if ((size_t)count < max)
                memcpy(pks[count], n->peers[p].pk, PL_PK_BYTES);
            count++;
        }
    return count;
}

int pl_node_claim(pl_node *n, const uint8_t case_id[PL_CASE_ID_BYTES],
                  const uint8_t author[PL_PK_BYTES], uint64_t *seq, uint8_t by[PL_PK_BYTES],
                  uint64_t *since_ms)
{
    struct ncase *c = case_get(n, case_id);
    for (size_t i = 0; c != NULL && i < c->nclaims; i++)
        if (memcmp(c->claims[i].author, author, PL_PK_BYTES) == 0) {
            *seq = c->claims[i].seq;
            memcpy(by, c->claims[i].by, PL_PK_BYTES);
            *since_ms = c->claims[i].since_ms;
            return 1;
        }
    return 0;
}

int pl_node_peer_info(const pl_node *n, uint32_t i, uint8_t pk[PL_PK_BYTES], int *hello)
{
    if (i >= PL_NODE_MAX_PEERS || !n->peers[i].used)
        return 0;
    memcpy(pk, n->peers[i].pk, PL_PK_BYTES);
    *hello = n->peers[i].hello;
    return 1;
}

void pl_node_stats_get(const pl_node *n, pl_node_stats *st)
{
    *st = n->st;
    st->disk_full = (uint64_t)n->disk_full;
}
