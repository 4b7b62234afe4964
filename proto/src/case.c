/* The negotiation rules engine (SPEC §13).
 *
 * Every message is judged against its causal past: the messages its author
 * had seen, which the per-message version vector of SPEC §13.4 describes
 * (vv[a] = the highest seq of author a in the past, the message's own seq
 * for its author). Verdicts depend on that past alone, so they do not
 * depend on arrival order, and the state derived from valid messages is the
 * same on every node. Messages are kept whole: negotiation logs are small,
 * and an equivocation proof arriving late means judging everything again.
 *
 * Lists of message indices by kind (inputs, responses, signatures, …) keep
 * each judgement to a scan of the few messages of the kinds it needs. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

struct entry {
    pl_msg *m; /* the message; NULL in a lean case (PL_CASE_LEAN, issue 17) */
    /* what the rules read of its header (SPEC §4.2), in every case */
    uint8_t id[PL_ID_BYTES];
    uint8_t body_hash[PL_HASH_BYTES];
    uint64_t seq, timestamp_ms;
    uint32_t type;
    uint32_t len;  /* of its bytes (SPEC §13.22) */
    uint32_t prev; /* the entry of its predecessor, when seq > 1 */
    int body_rc;
    pl_body body;
    int author;      /* index into pl_case.authors */
    pl_role role;    /* the author's role as the message saw it */
    int verdict;
    int excess;      /* SPEC §13.22: an opinion or defense offer that is not an input */
    uint64_t round;  /* the round the message belongs to (SPEC §13.16) */
    uint64_t after;  /* the round after it: round + 1 for a valid opener */
    size_t *resp, nresp, capresp; /* for an input: the valid responses to it */
    uint64_t *vv;  /* the version vector, one entry per author known when added */
    /* its header's references, as the entries they name, in order: what
     * the rules read of them (a lean case keeps no pl_ref, issue 17) */
    uint32_t *ref;
    uint32_t nvv;  /* authors added later are 0: the message cannot have seen them */
    uint32_t nref;
    uint32_t used;       /* SPEC §13.22: counted messages of its author up to it */
    uint32_t rotations;  /* SPEC §13.22 (v2): valid rotations of its author's seat up to it */
    uint64_t used_bytes; /* and their bytes */
    uint64_t act_bytes;  /* the bytes of its author's acts up to it */
    int seated;          /* its counts include the seat's keys before a rotation */
    /* SPEC §13.13 *Standing joins* (v2), for a pool key's join: whether it
     * stands, and the pair it stands on, stp[st] (its round, its reveals
     * and the commitments they open, indices here): decided each time the
     * join is judged, from stp and the proofs held (stands_now). */
    int stands;
    uint32_t st;
    /* the counting pairs of its past judged alone, best first: a fact of
     * the join's past, computed once when it is added (standing_of) */
    uint32_t nstp;
    struct stpair *stp;
};

/* The pair a standing join stands on. */
#define ST(j) (&(j)->stp[(j)->st])

/* A counting pair of a join's past judged alone (SPEC §13.13 *Standing
 * joins*): its round, its reveals and the commitments they open (indices
 * in the case), and whether it draws the join's author. */
struct stpair {
    uint64_t round;
    size_t p, d, pc, dc;
    int draws;
};

struct author {
    uint8_t pk[PL_PK_BYTES];
    uint64_t head;      /* seq of its latest message here */
    uint64_t void_from; /* SPEC §13.14: 0, or the first seq that counts for nothing */
    uint64_t cut;       /* SPEC §13.18: 0, or the last seq before a retirement */
    int has_cut;
    uint64_t cut_rm;    /* the part of it that removals (participants) made */
    int has_cut_rm;
    size_t join1;       /* 1 + index of its first valid join (or charter), 0 if none */
    size_t natt;        /* its valid attestations (an observer's) */
    size_t first_rj;    /* 1 + index of its first join with two reveals in its past, 0 if none
                           (SPEC §13.13 *Standing joins*: only that one can stand) */
    size_t *chain, nchain, capchain; /* entry index of its message seq k at k - 1 */
};

struct list {
    size_t *v, n, cap;
};

/* SPEC §13.18 (v2): a key that two different changes would seat, and the
 * one replacement that prevails (the only one carrying the key's own
 * acceptance), if any. */
struct contest {
    uint8_t pk[PL_PK_BYTES];
    int has_win;
    uint8_t win[PL_HASH_BYTES]; /* the prevailing replacement's body hash */
};

struct pl_case {
    uint8_t case_id[PL_CASE_ID_BYTES];
    struct entry *e;
    size_t n, cap;
    /* grown on demand: one slot past nauthors is always there (an author
     * not yet added is judged in it); all of them once a change may retire
     * keys that never spoke (compute_cuts) */
    struct author *authors;
    size_t nauthors, capauthors;
    size_t *tab; /* open addressing: id -> entry index + 1 */
    size_t tabcap;
    long charter;
    /* valid messages by kind */
    struct list inputs, responses, signs, offers, withdraws, closes, proposals, answers, disclosures,
        commits, reveals, changes, attestations;
    struct list replaces; /* every decodable key-replace, whatever its verdict (objections) */
    struct list judgments; /* valid judgments (SPEC §13.23) */
    struct list notice_acks; /* valid notice acknowledgments (SPEC §13.24) */
    struct list settlements; /* valid settlements (SPEC §13.25) */
    struct list consents;    /* valid guardian consents (SPEC §13.26) */
    struct list settle_withdraws; /* valid settlement-withdraws (SPEC §13.25) */
    struct list interpretations;  /* valid interpretations (SPEC §13.27) */
    struct list rotates;  /* valid key-rotates (a seat's keys, SPEC §13.22) */
    size_t nproofs;
    /* SPEC §13.18 (v2): keys two different effective changes seat: a fact
     * of the whole log, computed between the passes of a judging again */
    struct contest *contested;
    size_t ncontested;
    struct list standing; /* SPEC §13.13 (v2): valid standing joins */
    struct list any_reveals; /* every draw-reveal whose body decodes, whatever its verdict */
    int sub; /* a join's own past, judged for its standing: no standing inside;
              * its messages and bodies are the parent's, borrowed */
    unsigned flags; /* PL_CASE_LEAN */
};

static int list_push(struct list *l, size_t v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4; /* most lists of a case are short */
        size_t *g = realloc(l->v, cap * sizeof *g);
        if (g == NULL)
            return PL_E_NOMEM;
        l->v = g, l->cap = cap;
    }
    l->v[l->n++] = v;
    return PL_OK;
}

#define NLISTS 22

static void all_lists(pl_case *c, struct list *out[NLISTS])
{
    struct list *l[NLISTS] = {&c->inputs,    &c->responses, &c->signs,       &c->offers,
                              &c->withdraws, &c->closes,    &c->proposals,   &c->answers,
                              &c->disclosures, &c->commits, &c->reveals,     &c->changes,
                              &c->attestations, &c->replaces, &c->rotates, &c->judgments,
                              &c->notice_acks, &c->standing, &c->settlements, &c->consents,
                              &c->settle_withdraws, &c->interpretations};
    memcpy(out, l, sizeof l);
}

/* ---- lookup -------------------------------------------------------------------- */

static size_t slot(const uint8_t id[PL_ID_BYTES], size_t cap)
{
    uint64_t h;
    memcpy(&h, id, sizeof h);
    return (size_t)(h & (cap - 1));
}

long pl_case_find(const pl_case *c, const uint8_t id[PL_ID_BYTES])
{
    if (c->tabcap == 0)
        return -1;
    for (size_t s = slot(id, c->tabcap);; s = (s + 1) & (c->tabcap - 1)) {
        size_t v = c->tab[s];
        if (v == 0)
            return -1;
        if (memcmp(c->e[v - 1].id, id, PL_ID_BYTES) == 0)
            return (long)(v - 1);
    }
}

static int tab_insert(pl_case *c, size_t idx)
{
    if (2 * (c->n + 1) > c->tabcap) {
        size_t cap = c->tabcap ? 2 * c->tabcap : 64;
        size_t *t = calloc(cap, sizeof *t);
        if (t == NULL)
            return PL_E_NOMEM;
        for (size_t i = 0; i < c->tabcap; i++)
            if (c->tab[i]) {
                size_t s = slot(c->e[c->tab[i] - 1].id, cap);
                while (t[s])
                    s = (s + 1) & (cap - 1);
                t[s] = c->tab[i];
            }
        free(c->tab);
        c->tab = t, c->tabcap = cap;
    }
    size_t s = slot(c->e[idx].id, c->tabcap);
    while (c->tab[s])
        s = (s + 1) & (c->tabcap - 1);
    c->tab[s] = idx + 1;
    return PL_OK;
}

static int author_index(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t a = 0; a < c->nauthors; a++)
        if (memcmp(c->authors[a].pk, pk, PL_PK_BYTES) == 0)
            return (int)a;
    return -1;
}

/* Room for authors[0..want) (at most PL_CASE_MAX_AUTHORS), zeroed. */
static int author_room(pl_case *c, size_t want)
{
    if (want > PL_CASE_MAX_AUTHORS)
        want = PL_CASE_MAX_AUTHORS;
    if (want <= c->capauthors)
        return PL_OK;
    size_t cap = c->capauthors ? 2 * c->capauthors : 8;
    cap = cap < want ? want : cap > PL_CASE_MAX_AUTHORS ? PL_CASE_MAX_AUTHORS : cap;
    struct author *g = realloc(c->authors, cap * sizeof *g);
    if (g == NULL)
        return PL_E_NOMEM;
    memset(g + c->capauthors, 0, (cap - c->capauthors) * sizeof *g);
    c->authors = g, c->capauthors = cap;
    return PL_OK;
}

/* What the rules read of a message's header: its author (the key), seq,
 * type and body hash. */
struct hv {
    const uint8_t *author, *body_hash;
    uint64_t seq, type, timestamp_ms;
};

static struct hv HE(const pl_case *c, const struct entry *e)
{
    struct hv h = {c->authors[e->author].pk, e->body_hash, e->seq, e->type, e->timestamp_ms};
    return h;
}

#define H(c, j) HE((c), &(c)->e[(j)])

static uint64_t vv_at(const struct entry *e, int a)
{
    return (size_t)a < e->nvv ? e->vv[a] : 0;
}

/* SPEC §13.4: x is in the causal past of e (and is not e itself). */
static int saw(const pl_case *c, const struct entry *e, size_t x)
{
    const struct entry *ex = &c->e[x];
    return ex != e && vv_at(e, ex->author) >= H(c, x).seq;
}

int pl_case_saw(const pl_case *c, size_t i, size_t x)
{
    return i < c->n && x < c->n && saw(c, &c->e[i], x);
}

/* The entry with this id if e had seen it, else -1. */
static long seen(const pl_case *c, const struct entry *e, const uint8_t id[PL_ID_BYTES])
{
    long j = pl_case_find(c, id);
    return j >= 0 && saw(c, e, (size_t)j) ? j : -1;
}

static const pl_body *B(const pl_case *c, size_t j)
{
    return &c->e[j].body;
}

/* A message of the given type in e's past that broke no rule, by id: its
 * index, or -1. What most references must name (PL_E_TARGET otherwise). */
static long seen_valid(const pl_case *c, const struct entry *e, const uint8_t id[PL_ID_BYTES],
                       uint64_t type)
{
    long j = seen(c, e, id);
    return j >= 0 && H(c, (size_t)j).type == type && c->e[j].verdict == PL_OK ? j : -1;
}

/* ---- roles (SPEC §13.1, §13.3, §13.13, §13.18) ----------------------------------- */

static pl_role charter_role(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    const pl_body *ch = B(c, (size_t)c->charter);
    for (size_t i = 0; i < ch->u.charter.nparticipants; i++)
        if (memcmp(ch->u.charter.participants[i].key, pk, PL_PK_BYTES) == 0)
            return ch->u.charter.participants[i].role;
    return PL_ROLE_NONE;
}

static int in_pool(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    const pl_body *ch = B(c, (size_t)c->charter);
    for (size_t i = 0; i < ch->u.charter.npool; i++)
        if (memcmp(ch->u.charter.pool[i], pk, PL_PK_BYTES) == 0)
            return 1;
    return 0;
}

/* SPEC §13.13: the commitment a valid reveal k opens (its own key's, in its
 * past) and the other side's commitment it had seen (exactly one, or the
 * reveal would not be valid). */
static void reveal_binds(const pl_case *c, size_t k, long *own, long *other)
{
    *own = *other = -1;
    for (size_t a = 0; a < c->commits.n; a++) {
        size_t q = c->commits.v[a];
        if (!saw(c, &c->e[k], q) || B(c, q)->u.draw.round != B(c, k)->u.draw.round)
            continue;
        if (c->e[q].author == c->e[k].author)
            *own = (long)q;
        else if (pl_role_side(c->e[q].role) != pl_role_side(c->e[k].role))
            *other = (long)q;
    }
}

/* SPEC §13.13: whether the pair (round r, prosecution reveal p, defense
 * reveal d) ranks above (r2, p2, d2): a higher round, then the smaller
 * prosecution reveal id, then the smaller defense reveal id. */
static int outranks(const pl_case *c, uint64_t r, size_t p, size_t d, uint64_t r2, size_t p2,
                    size_t d2)
{
    if (r != r2)
        return r > r2;
    int k = memcmp(c->e[p].id, c->e[p2].id, PL_ID_BYTES);
    if (k != 0)
        return k < 0;
    return memcmp(c->e[d].id, c->e[d2].id, PL_ID_BYTES) < 0;
}

/* SPEC §13.13: a counting pair — a prosecution reveal p and a defense
 * reveal d of one round, each opening the commitment the other had seen
 * (pc, dc: the commitments they open). */
struct pair {
    uint64_t round;
    size_t p, d, pc, dc;
};

/* Calls f for every counting pair of the valid reveals e had seen (the
 * whole log when e is NULL); stops at f's first non-zero return and
 * returns it. The one enumeration of pairs: the draw and L(J) both use
 * it. */
static int each_pair(const pl_case *c, const struct entry *e,
                     int (*f)(void *ctx, const pl_case *c, const struct pair *q), void *ctx)
{
    for (size_t a = 0; a < c->reveals.n; a++) {
        size_t i = c->reveals.v[a];
        long own_i, other_i, own_j, other_j;
        if ((e && !saw(c, e, i)) || pl_role_side(c->e[i].role) != PL_SIDE_PROSECUTION)
            continue;
        reveal_binds(c, i, &own_i, &other_i);
        for (size_t b = 0; b < c->reveals.n; b++) {
            size_t j = c->reveals.v[b];
            if ((e && !saw(c, e, j)) || pl_role_side(c->e[j].role) != PL_SIDE_DEFENSE ||
                B(c, j)->u.draw.round != B(c, i)->u.draw.round)
                continue;
            /* The pair counts only if each reveal opens the commitment the
             * other side's reveal had seen: a side with two commitments (two
             * keys) cannot choose which to open once the other has revealed,
             * and a late extra commitment cannot undo a completed round. */
            reveal_binds(c, j, &own_j, &other_j);
            if (own_i != other_j || own_j != other_i || own_i < 0 || own_j < 0)
                continue;
            struct pair q = {B(c, i)->u.draw.round, i, j, (size_t)own_i, (size_t)own_j};
            int rc = f(ctx, c, &q);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

struct best {
    const struct entry *const *inside; /* standing joins whose past is theirs */
    size_t ninside;
    long p, d;
    uint64_t round;
};

static int keep_best(void *ctx, const pl_case *c, const struct pair *q)
{
    struct best *bb = ctx;
    /* SPEC §13.13 *Standing joins*: a pair inside a standing join's past
     * counts only as that past judged it (the join's pair) */
    for (size_t in = 0; in < bb->ninside; in++)
        if (saw(c, bb->inside[in], q->p) && saw(c, bb->inside[in], q->d))
            return 0;
    if (bb->p < 0 || outranks(c, q->round, q->p, q->d, bb->round, (size_t)bb->p, (size_t)bb->d))
        bb->p = (long)q->p, bb->d = (long)q->d, bb->round = q->round;
    return 0;
}

/* SPEC §13.13: the counting pair of the highest rank among the valid
 * reveals e had seen (the whole log when e is NULL), leaving out those
 * inside the given standing joins' pasts; -1 when there is none. */
static void best_pair(const pl_case *c, const struct entry *e, const struct entry *const *inside,
                      size_t ninside, long *best_p, long *best_d, uint64_t *best_round)
{
    struct best bb = {inside, ninside, -1, -1, 0};
    (void)each_pair(c, e, keep_best, &bb);
    *best_p = bb.p, *best_d = bb.d, *best_round = bb.round;
}

/* SPEC §13.13: the observer a pair of reveals draws. */
static void draw_result(const pl_case *c, uint64_t round, size_t p, size_t d,
                        uint8_t out[PL_PK_BYTES])
{
    /* index = first 8 bytes (big-endian) of BLAKE2b-256(ctx || case id ||
     * round (8 bytes BE) || reveal_P || reveal_D) mod pool size */
    static const char ctx[] = "parley/v2/draw-result";
    uint8_t buf[sizeof ctx + 32 + 8 + 64], h[32];
    size_t o = 0;
    memcpy(buf, ctx, sizeof ctx), o += sizeof ctx;
    memcpy(buf + o, c->case_id, 32), o += 32;
    for (int k = 7; k >= 0; k--)
        buf[o++] = (uint8_t)(round >> (8 * k));
    memcpy(buf + o, B(c, p)->u.draw.value, 32), o += 32;
    memcpy(buf + o, B(c, d)->u.draw.value, 32), o += 32;
    crypto_generichash(h, sizeof h, buf, o, NULL, 0);
    uint64_t x = 0;
    for (int k = 0; k < 8; k++)
        x = (x << 8) | h[k];
    const pl_body *ch = B(c, (size_t)c->charter);
    memcpy(out, ch->u.charter.pool[x % ch->u.charter.npool], PL_PK_BYTES);
}

/* SPEC §13.13: the observer chosen by the highest draw round with a
 * counting pair that e had seen (in the whole log when e is NULL); a
 * standing join that e is or had seen brings the pair it stands on
 * (version 2, *Standing joins*). */
static int drawn_observer(const pl_case *c, const struct entry *e, uint8_t out[PL_PK_BYTES],
                          uint64_t *round)
{
    /* the standing joins e is or had seen (the whole log's when e is NULL) */
    const struct entry *in[PL_MAX_POOL + 1] = {0};
    size_t nin = 0;
    for (size_t a = 0; a < c->standing.n && nin < PL_MAX_POOL; a++)
        if (!e || saw(c, e, c->standing.v[a]))
            in[nin++] = &c->e[c->standing.v[a]];
    if (e && e->stands)
        in[nin++] = e; /* the join being judged stands on its own past */
    long best_p, best_d;
    uint64_t best_round;
    best_pair(c, e, in, nin, &best_p, &best_d, &best_round);
    for (size_t a = 0; a < nin; a++) {
        const struct entry *j = in[a];
        if (best_p < 0 ||
            outranks(c, ST(j)->round, ST(j)->p, ST(j)->d, best_round, (size_t)best_p,
                     (size_t)best_d))
            best_p = (long)ST(j)->p, best_d = (long)ST(j)->d, best_round = ST(j)->round;
    }
    if (best_p < 0)
        return 0;
    draw_result(c, best_round, (size_t)best_p, (size_t)best_d, out);
    if (round)
        *round = best_round;
    return 1;
}

int pl_case_drawn_observer(const pl_case *c, uint8_t pk[PL_PK_BYTES], uint64_t *round)
{
    return c && pk && c->charter >= 0 && drawn_observer(c, NULL, pk, round);
}

pl_side pl_case_draw_side(const pl_case *c, size_t i)
{
    if (c == NULL || i >= c->n)
        return PL_SIDE_NONE;
    uint64_t t = H(c, i).type;
    if (t != PL_T_DRAW_COMMIT && t != PL_T_DRAW_REVEAL)
        return PL_SIDE_NONE;
    if (c->e[i].verdict == PL_OK)
        return pl_role_side(c->e[i].role);
    /* SPEC §13.13 *Standing joins*: a flagged draw message a standing
     * join stands on still counts */
    for (size_t a = 0; a < c->standing.n; a++) {
        const struct entry *j = &c->e[c->standing.v[a]];
        if (i == ST(j)->p || i == ST(j)->pc)
            return PL_SIDE_PROSECUTION;
        if (i == ST(j)->d || i == ST(j)->dc)
            return PL_SIDE_DEFENSE;
    }
    return PL_SIDE_NONE;
}

static pl_role role_at(const pl_case *c, const struct entry *e, const uint8_t pk[PL_PK_BYTES]);
static int same_change(const pl_case *c, size_t j, size_t k);
static pl_capacity capacity_at(const pl_case *c, const struct entry *e,
                               const uint8_t pk[PL_PK_BYTES]);

/* SPEC §13.18 (v2): whether two different changes seat pk in the whole log
 * (then neither does). */
static const struct contest *contest_of(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < c->ncontested; i++)
        if (memcmp(c->contested[i].pk, pk, PL_PK_BYTES) == 0)
            return &c->contested[i];
    return NULL;
}

static int contested(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    return contest_of(c, pk) != NULL;
}

/* SPEC §13.18 (v2) *Prevailing change*: whether the key-replace j is void
 * because its new key is contested and j is not the replacement that
 * carries that key's acceptance alone. */
static int replace_void(const pl_case *c, size_t j);
/* SPEC §13.18 (v2): whether change j's seating of pk (an addition, or a
 * replacement's new key) is void by a contest it does not win. */
static int add_void(const pl_case *c, size_t j, const uint8_t pk[PL_PK_BYTES]);

/* The roles who stand beside the suspect at the signing, seated only with
 * the suspect's consent (SPEC §13.26, §13.27). */
static int beside_suspect(pl_role r)
{
    return r == PL_ROLE_GUARDIAN || r == PL_ROLE_INTERPRETER;
}

/* SPEC §13.18: the seats change j (PARTICIPANTS or KEY_REPLACE) touches,
 * roles as j saw them, each affected key's looked up once: the defense
 * seat it moves — suspect or counsel (replaces a suspect's or counsel's
 * key, adds a counsel, or removes one), else none —, and (v2, §13.26,
 * §13.27) *beside when it adds, removes or replaces a guardian or an
 * interpreter. Such changes need the consent of the person they affect,
 * not just of the other side. */
static pl_role seats_touched(const pl_case *c, size_t j, int *beside)
{
    const pl_body *b = &c->e[j].body;
    pl_role seat = PL_ROLE_NONE;
    *beside = 0;
    if (H(c, j).type == PL_T_KEY_REPLACE) {
        pl_role r = role_at(c, &c->e[j], b->u.key_replace.old_key);
        *beside = beside_suspect(r);
        return r == PL_ROLE_SUSPECT || r == PL_ROLE_COUNSEL ? r : PL_ROLE_NONE;
    }
    if (H(c, j).type != PL_T_PARTICIPANTS)
        return PL_ROLE_NONE;
    for (size_t a = 0; a < b->u.participants.nadd; a++) {
        pl_role r = b->u.participants.add[a].role;
        seat = r == PL_ROLE_COUNSEL ? PL_ROLE_COUNSEL : seat;
        *beside |= beside_suspect(r);
    }
    for (size_t a = 0; a < b->u.participants.nremove; a++) {
        pl_role r = role_at(c, &c->e[j], b->u.participants.remove[a]);
        seat = r == PL_ROLE_COUNSEL ? PL_ROLE_COUNSEL : seat;
        *beside |= beside_suspect(r);
    }
    return seat;
}

static pl_role seat_of(const pl_case *c, size_t j)
{
    int beside;
    return seats_touched(c, j, &beside);
}

/* Whether the valid messages carrying change j's body (its type and body
 * hash) that are in the view hold every consent the change needs (SPEC
 * §13.18). The view is past(e), plus e itself when self; the whole log
 * when e is NULL. j itself is assumed in the view. */
static int change_complete(const pl_case *c, const struct entry *e, int self, size_t j)
{
    int beside;
    pl_role seat = seats_touched(c, j, &beside);
    int prosecution = 0, defense = 0, suspect = 0, counsel = 0;
    for (size_t b = 0; b < c->changes.n; b++) {
        size_t k = c->changes.v[b];
        if (k != j && e && !saw(c, e, k) && !(self && &c->e[k] == e))
            continue;
        if (H(c, k).type != H(c, j).type ||
            memcmp(H(c, k).body_hash, H(c, j).body_hash, PL_HASH_BYTES) != 0)
            continue;
        pl_role r = c->e[k].role;
        prosecution |= r == PL_ROLE_PROSECUTION;
        defense |= pl_role_side(r) == PL_SIDE_DEFENSE;
        suspect |= r == PL_ROLE_SUSPECT;
        counsel |= r == PL_ROLE_COUNSEL;
    }
    if (seat == PL_ROLE_SUSPECT) /* a new suspect key: prosecution and counsel */
        return prosecution && counsel;
    /* a counsel seat, or (v2) a guardian's: prosecution and the suspect, so
     * that prosecution and counsel cannot seat a guardian of their own */
    if (seat == PL_ROLE_COUNSEL || beside)
        return prosecution && suspect;
    return prosecution && defense; /* both sides, as in version 1 */
}

/* Whether x had seen a message (valid or flagged) carrying replacement j:
 * a key-replace with j's body. */
static int saw_carrier(const pl_case *c, const struct entry *x, size_t j)
{
    for (size_t b = 0; b < c->replaces.n; b++) {
        size_t q = c->replaces.v[b];
        if (memcmp(H(c, q).body_hash, H(c, j).body_hash, PL_HASH_BYTES) == 0 && saw(c, x, q))
            return 1;
    }
    return 0;
}

/* SPEC §13.18: a replacement is void once its old key signs any message
 * that had seen a message carrying it, or rotates: a key that still signs
 * was not lost, and its holder never consented. A fact of the whole log,
 * like a retirement cut. */
static int replace_objected(const pl_case *c, size_t j)
{
    if (H(c, j).type != PL_T_KEY_REPLACE)
        return 0;
    int a = author_index(c, c->e[j].body.u.key_replace.old_key);
    if (a < 0 || c->authors[a].nchain == 0)
        return 0;
    const struct author *au = &c->authors[a];
    /* its latest message had seen what any earlier one had */
    if (saw_carrier(c, &c->e[au->chain[au->nchain - 1]], j))
        return 1;
    /* a key that rotated handed its role on itself: it was not lost, and
     * nobody may replace it instead (nor cut its rotation away) */
    for (size_t k = 0; k < au->nchain; k++)
        if (H(c, au->chain[k]).type == PL_T_KEY_ROTATE && c->e[au->chain[k]].body_rc == PL_OK)
            return 1;
    return 0;
}

/* Whether e, not yet in the log, would object to replacement j: its
 * author is j's old key and a carrier of j is in its past. */
static int objects_to(const pl_case *c, const struct entry *e, size_t j)
{
    return e != NULL && H(c, j).type == PL_T_KEY_REPLACE &&
           memcmp(c->authors[e->author].pk, c->e[j].body.u.key_replace.old_key,
                  PL_PK_BYTES) == 0 &&
           saw_carrier(c, e, j);
}

/* Whether change j is effective for e (for the whole log when e is NULL):
 * every consent it needs is in e's past, and no objection voids it — also
 * not e's own, so that the old key's node can send it (SPEC §13.21). */
static int change_effective(const pl_case *c, const struct entry *e, size_t j)
{
    return change_complete(c, e, 0, j) && !replace_objected(c, j) && !objects_to(c, e, j);
}

/* The role of pk as e saw it (as the whole log has it when e is NULL). A
 * removal, rotation or replacement retires a key for good; *was_retired
 * (may be NULL) says whether one did. */
static pl_role role_at_ex(const pl_case *c, const struct entry *e, const uint8_t pk[PL_PK_BYTES],
                          int *was_retired, pl_capacity *cap);

static pl_role role_at(const pl_case *c, const struct entry *e, const uint8_t pk[PL_PK_BYTES])
{
    return role_at_ex(c, e, pk, NULL, NULL);
}

pl_capacity pl_case_capacity(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    return c && pk && c->charter >= 0 ? capacity_at(c, NULL, pk) : PL_CAPACITY_DEFENDER;
}

int pl_case_retired(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    int retired = 0;
    if (c != NULL && pk != NULL)
        (void)role_at_ex(c, NULL, pk, &retired, NULL);
    return retired;
}

/* SPEC §13.9 F0b (v2): the capacity a participant map gives (absent: a
 * defender). */
static pl_capacity map_capacity(pl_capacity c)
{
    return c == PL_CAPACITY_DUTY_LAWYER ? PL_CAPACITY_DUTY_LAWYER : PL_CAPACITY_DEFENDER;
}

static pl_capacity capacity_at(const pl_case *c, const struct entry *e,
                               const uint8_t pk[PL_PK_BYTES])
{
    pl_capacity cap = PL_CAPACITY_DEFENDER;
    (void)role_at_ex(c, e, pk, NULL, &cap);
    return cap;
}

static pl_role role_at_ex(const pl_case *c, const struct entry *e, const uint8_t pk[PL_PK_BYTES],
                          int *was_retired, pl_capacity *cap)
{
    if (was_retired)
        *was_retired = 0;
    if (cap)
        *cap = PL_CAPACITY_DEFENDER;
    if (c->charter < 0 || (e && !saw(c, e, (size_t)c->charter) && e != &c->e[c->charter] &&
                           !(memcmp(e->id, c->e[c->charter].id,
                                            PL_ID_BYTES) == 0)))
        return PL_ROLE_NONE;
    pl_role role = charter_role(c, pk);
    /* SPEC §13.9 F0b (v2): the capacity comes with the seat, from the
     * change that gives the key its role in this view */
    pl_capacity capv = PL_CAPACITY_DEFENDER;
    if (cap != NULL) { /* only when asked: role_at is on every judgement's path */
        const pl_body *ch = B(c, (size_t)c->charter);
        for (size_t i = 0; i < ch->u.charter.nparticipants; i++)
            if (memcmp(ch->u.charter.participants[i].key, pk, PL_PK_BYTES) == 0)
                capv = map_capacity(ch->u.charter.participants[i].capacity);
    }
    uint8_t obs[PL_PK_BYTES];
    if (role == PL_ROLE_NONE && in_pool(c, pk) && drawn_observer(c, e, obs, NULL) &&
        memcmp(obs, pk, PL_PK_BYTES) == 0)
        role = PL_ROLE_OBSERVER;
    int retired = 0;
    /* SPEC §13.18: two different changes of the view that would seat pk
     * give it no role there, whatever order they were added in (the
     * whole log's contest, computed between passes, decides which void) */
    long by = -1;
    int twice = 0;
#define SEATED_BY(j) (twice |= by >= 0 && !same_change(c, (size_t)by, (j)), by = (long)(j))
    for (size_t b = 0; b < c->changes.n; b++) {
        size_t j = c->changes.v[b];
        if (e && !saw(c, e, j))
            continue;
        const pl_body *bj = B(c, j);
        switch (H(c, j).type) {
        case PL_T_KEY_ROTATE:
            /* a rotation to a contested key is void: nobody takes the
             * seat, and its author keeps it */
            if (contested(c, bj->u.key_rotate.new_key))
                break;
            if (memcmp(H(c, j).author, pk, PL_PK_BYTES) == 0)
                retired = 1;
            else if (memcmp(bj->u.key_rotate.new_key, pk, PL_PK_BYTES) == 0)
                role = c->e[j].role, SEATED_BY(j),
                capv = cap ? capacity_at(c, &c->e[j], H(c, j).author) : capv;
            break;
        case PL_T_KEY_REPLACE:
            if (!change_effective(c, e, j) || replace_void(c, j))
                break;
            if (memcmp(bj->u.key_replace.old_key, pk, PL_PK_BYTES) == 0)
                retired = 1;
            else if (memcmp(bj->u.key_replace.new_key, pk, PL_PK_BYTES) == 0)
                role = role_at(c, &c->e[j], bj->u.key_replace.old_key), SEATED_BY(j),
                capv = cap ? capacity_at(c, &c->e[j], bj->u.key_replace.old_key) : capv;
            break;
        case PL_T_PARTICIPANTS:
            if (!change_effective(c, e, j))
                break;
            for (size_t r = 0; r < bj->u.participants.nremove; r++)
                if (memcmp(bj->u.participants.remove[r], pk, PL_PK_BYTES) == 0)
                    retired = 1;
            for (size_t a = 0; a < bj->u.participants.nadd; a++)
                if (memcmp(bj->u.participants.add[a].key, pk, PL_PK_BYTES) == 0 &&
                    !add_void(c, j, pk))
                    role = bj->u.participants.add[a].role, SEATED_BY(j),
                    capv = cap ? map_capacity(bj->u.participants.add[a].capacity) : capv;
            break;
        default:
            break;
        }
    }
#undef SEATED_BY
    if (was_retired)
        *was_retired = retired;
    if (cap)
        *cap = capv;
    return retired || twice ? PL_ROLE_NONE : role;
}

/* Whether change j (valid) would seat pk: a rotation's or replacement's
 * new key, a key a participants change adds. */
static int change_seats(const pl_case *c, size_t j, const uint8_t pk[PL_PK_BYTES])
{
    const pl_body *b = B(c, j);
    switch (H(c, j).type) {
    case PL_T_KEY_ROTATE: return memcmp(b->u.key_rotate.new_key, pk, PL_PK_BYTES) == 0;
    case PL_T_KEY_REPLACE: return memcmp(b->u.key_replace.new_key, pk, PL_PK_BYTES) == 0;
    case PL_T_PARTICIPANTS:
        for (size_t a = 0; a < b->u.participants.nadd; a++)
            if (memcmp(b->u.participants.add[a].key, pk, PL_PK_BYTES) == 0)
                return 1;
        return 0;
    default: return 0;
    }
}

/* Whether change j takes effect in the whole log, contest aside: a
 * rotation always; a replacement or participants change once complete and
 * not objected to. Carriers of one change (same type and body) are one. */
static int change_counts(const pl_case *c, size_t j)
{
    return H(c, j).type == PL_T_KEY_ROTATE || change_effective(c, NULL, j);
}

static int same_change(const pl_case *c, size_t j, size_t k)
{
    return j == k || (H(c, j).type == H(c, k).type && H(c, j).type != PL_T_KEY_ROTATE &&
                      memcmp(H(c, j).body_hash, H(c, k).body_hash, PL_HASH_BYTES) == 0);
}

/* The key change j would seat at its r-th place (a participants change's
 * r-th addition; r is 0 for the others). */
static const uint8_t *seated_key(const pl_case *c, size_t j, size_t r)
{
    const pl_body *b = B(c, j);
    switch (H(c, j).type) {
    case PL_T_KEY_ROTATE: return b->u.key_rotate.new_key;
    case PL_T_KEY_REPLACE: return b->u.key_replace.new_key;
    default: return b->u.participants.add[r].key;
    }
}

/* SPEC §13.18 *Prevailing change* (v2): whether change j (seating pk)
 * carries pk's own acceptance: a replacement's accept, or the accept of a
 * participants change's add entry for pk. */
static int carries_accept(const pl_case *c, size_t j, const uint8_t pk[PL_PK_BYTES])
{
    const pl_body *b = B(c, j);
    if (H(c, j).type == PL_T_KEY_REPLACE)
        return b->u.key_replace.has_accept;
    if (H(c, j).type != PL_T_PARTICIPANTS)
        return 0;
    for (size_t a = 0; a < b->u.participants.nadd; a++)
        if (memcmp(b->u.participants.add[a].key, pk, PL_PK_BYTES) == 0)
            return b->u.participants.add[a].has_accept;
    return 0;
}

/* SPEC §13.18 (v2): the keys that two different changes taking effect in
 * the whole log would seat. None of them seats such a key but the one
 * replacement carrying the key's own acceptance, if it is the only one:
 * which change a node received first must not decide who holds a seat (a
 * victim could otherwise take the key the suspect rotated to), and a
 * change the key's holder did not sign must not void one it did (a
 * rotation to a replacement's public new key would freeze the seat).
 * Returns 1 if the set changed, or PL_E_NOMEM. */
static int compute_contested(pl_case *c)
{
    /* built aside: the judgements it makes (change_effective) use the set
     * in force, never a half-built one */
    struct contest *set = NULL;
    size_t n = 0, cap = 0;
    for (size_t x = 0; x < c->changes.n; x++) {
        size_t j = c->changes.v[x];
        if (!change_counts(c, j))
            continue;
        size_t nk = H(c, j).type == PL_T_PARTICIPANTS ? B(c, j)->u.participants.nadd : 1;
        for (size_t r = 0; r < nk; r++) {
            const uint8_t *pk = seated_key(c, j, r);
            size_t have = 0;
            while (have < n && memcmp(set[have].pk, pk, PL_PK_BYTES) != 0)
                have++;
            if (have < n)
                continue;
            int two = 0, accepted = 0; /* distinct changes carrying pk's acceptance */
            long win = -1;
            for (size_t y = x; y < c->changes.n; y++) {
                size_t k = c->changes.v[y];
                if (!change_seats(c, k, pk) || !change_counts(c, k))
                    continue;
                two |= !same_change(c, j, k);
                if (carries_accept(c, k, pk) && (win < 0 || !same_change(c, (size_t)win, k)))
                    accepted++, win = (long)k;
            }
            if (!two)
                continue;
            if (n == cap) {
                size_t nc = cap ? 2 * cap : 4;
                struct contest *g = realloc(set, nc * sizeof *g);
                if (g == NULL) {
                    free(set);
                    return PL_E_NOMEM;
                }
                set = g, cap = nc;
            }
            memcpy(set[n].pk, pk, PL_PK_BYTES);
            set[n].has_win = accepted == 1;
            if (accepted == 1)
                memcpy(set[n].win, H(c, (size_t)win).body_hash, PL_HASH_BYTES);
            n++;
        }
    }
    int changed = n != c->ncontested;
    for (size_t i = 0; i < n && !changed; i++) {
        const struct contest *o = contest_of(c, set[i].pk);
        changed = o == NULL || o->has_win != set[i].has_win ||
                  (o->has_win && memcmp(o->win, set[i].win, PL_HASH_BYTES) != 0);
    }
    free(c->contested);
    c->contested = set, c->ncontested = n;
    return changed;
}

static int add_void(const pl_case *c, size_t j, const uint8_t pk[PL_PK_BYTES])
{
    const struct contest *k = contest_of(c, pk);
    return k != NULL &&
           !(k->has_win && memcmp(k->win, H(c, j).body_hash, PL_HASH_BYTES) == 0);
}

static int replace_void(const pl_case *c, size_t j)
{
    return add_void(c, j, B(c, j)->u.key_replace.new_key); /* one contest rule for both */
}

const pl_body *pl_case_charter(const pl_case *c)
{
    return c->charter >= 0 ? B(c, (size_t)c->charter) : NULL;
}

pl_role pl_case_role(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    return role_at(c, NULL, pk);
}

pl_role pl_case_role_seen(const pl_case *c, size_t i, const uint8_t pk[PL_PK_BYTES])
{
    return c && i < c->n && pk ? role_at(c, &c->e[i], pk) : PL_ROLE_NONE;
}

int pl_case_change_state(const pl_case *c, size_t i)
{
    if (c == NULL || i >= c->n || c->e[i].verdict != PL_OK)
        return PL_CHANGE_NONE;
    uint64_t t = H(c, i).type;
    if (t == PL_T_KEY_ROTATE)
        return contested(c, B(c, i)->u.key_rotate.new_key) ? PL_CHANGE_OBJECTED
                                                           : PL_CHANGE_EFFECTIVE;
    if (t == PL_T_KEY_REPLACE && change_complete(c, NULL, 0, i) && replace_void(c, i))
        return PL_CHANGE_OBJECTED;
    if (t != PL_T_KEY_REPLACE && t != PL_T_PARTICIPANTS)
        return PL_CHANGE_NONE;
    if (!change_complete(c, NULL, 0, i))
        return PL_CHANGE_PROPOSED;
    return replace_objected(c, i) ? PL_CHANGE_OBJECTED : PL_CHANGE_EFFECTIVE;
}

int pl_case_change_seats(const pl_case *c, size_t i, const uint8_t pk[PL_PK_BYTES])
{
    if (pl_case_change_state(c, i) != PL_CHANGE_EFFECTIVE || pk == NULL || !change_seats(c, i, pk))
        return 0;
    /* a rotation's contest is its state; an addition or replacement may
     * lose one and still be effective for the keys it does not contest */
    return H(c, i).type == PL_T_KEY_ROTATE || !add_void(c, i, pk);
}

int pl_case_names(const pl_case *c, const uint8_t pk[PL_PK_BYTES])
{
    if (c == NULL || pk == NULL || c->charter < 0)
        return 0;
    if (charter_role(c, pk) != PL_ROLE_NONE || in_pool(c, pk) || role_at(c, NULL, pk) != PL_ROLE_NONE)
        return 1;
    /* SPEC §14 (names), §13.18: the old key of a valid replacement, so
     * that its holder can object even after the replacement took its role
     * (a flagged one names nobody: anyone could write one) */
    for (size_t b = 0; b < c->changes.n; b++) {
        size_t j = c->changes.v[b];
        if (H(c, j).type == PL_T_KEY_REPLACE &&
            memcmp(B(c, j)->u.key_replace.old_key, pk, PL_PK_BYTES) == 0)
            return 1;
    }
    return 0;
}

/* ---- agreement (SPEC §13.9, §13.10) ------------------------------------------------ */

static int all_answered(const pl_case *c, const struct entry *e);
static int answered(const pl_case *c, const struct entry *e, size_t input);

/* x is in view e (in the whole log when e is NULL). */
static int in_view(const pl_case *c, const struct entry *e, size_t x)
{
    return e == NULL || saw(c, e, x);
}

/* The first message of author a in view e whose past holds x, or -1:
 * pasts grow along a chain, so a binary search over it. */
static long first_seeing(const pl_case *c, const struct entry *e, int a, size_t x)
{
    const struct author *au = &c->authors[a];
    size_t hi = e ? vv_at(e, a) : au->nchain, lo = 0;
    if (hi > au->nchain)
        hi = au->nchain;
    if (hi == 0 || !saw(c, &c->e[au->chain[hi - 1]], x))
        return -1;
    while (lo + 1 < hi) { /* the answer is in [lo, hi - 1] */
        size_t mid = (lo + hi) / 2;
        if (saw(c, &c->e[au->chain[mid - 1]], x))
            hi = mid;
        else
            lo = mid;
    }
    return (long)au->chain[hi - 1];
}

static int covers(const pl_case *c, size_t q, const size_t t[3])
{
    return saw(c, &c->e[q], t[0]) && saw(c, &c->e[q], t[1]) && saw(c, &c->e[q], t[2]);
}

/* How much of author a's chain is in view e (all of it when e is NULL). */
static size_t chain_in_view(const pl_case *c, const struct entry *e, int a)
{
    const struct author *au = &c->authors[a];
    size_t hi = e ? vv_at(e, a) : au->nchain;
    return hi < au->nchain ? hi : au->nchain;
}

/* SPEC §13.9 (v2), F1: every input the observer had seen before it had
 * seen all three signatures of the triple is answered in the view. Pasts
 * grow along a chain, so per observer only its latest attestation before
 * its first message that covers the triple matters (a binary search). */
static int triple_heard(const pl_case *c, const struct entry *e, const size_t t[3])
{
    for (size_t a = 0; a < c->nauthors; a++) {
        const struct author *au = &c->authors[a];
        size_t hi = au->natt ? chain_in_view(c, e, (int)a) : 0, lo = 0;
        if (hi == 0)
            continue;
        /* the first position covering the triple, or hi if none does */
        size_t end = hi;
        if (covers(c, au->chain[hi - 1], t)) {
            end = hi - 1;
            while (lo < end) {
                size_t mid = (lo + end) / 2;
                if (covers(c, au->chain[mid], t))
                    end = mid;
                else
                    lo = mid + 1;
            }
        }
        for (size_t x = end; x-- > 0;) {
            size_t q = au->chain[x];
            if (H(c, q).type != PL_T_ATTESTATION || c->e[q].verdict != PL_OK)
                continue;
            for (size_t k = 0; k < c->inputs.n; k++) {
                size_t in = c->inputs.v[k];
                if (saw(c, &c->e[q], in) && !answered(c, e, in))
                    return 0;
            }
            break; /* the earlier ones saw less */
        }
    }
    return 1;
}

/* SPEC §13.10 (v2), F2: a defense signature of the triple is late when a
 * withdrawal of its offer, or a withdrawal from the negotiation in its
 * round, was witnessed before it: by a valid observer attestation, or by a
 * message of the defense itself, whose past holds the withdrawal but not
 * the signature. Saying nothing after a withdrawal does not keep an offer
 * open once the observer, or the defense's own other key, has seen it. */
static int triple_timely(const pl_case *c, const struct entry *e, const size_t t[3], uint64_t r)
{
    for (size_t a = 0; a < c->withdraws.n; a++) {
        size_t w = c->withdraws.v[a];
        const pl_body *wb = B(c, w);
        if (!in_view(c, e, w))
            continue;
        if (wb->u.withdraw.has_offer
                ? memcmp(wb->u.withdraw.offer, B(c, t[0])->u.sign.offer, PL_ID_BYTES) != 0
                : c->e[w].round != r)
            continue;
        /* per observer, its first attestation in view that had seen w: the
         * later ones saw more, so if it had seen both signatures they did */
        for (size_t au = 0; au < c->nauthors; au++) {
            long f = c->authors[au].natt ? first_seeing(c, e, (int)au, w) : -1;
            size_t hi = f < 0 ? 0 : chain_in_view(c, e, (int)au);
            for (size_t x = f < 0 ? 0 : (size_t)(H(c, (size_t)f).seq - 1); x < hi; x++) {
                size_t q = c->authors[au].chain[x];
                if (H(c, q).type != PL_T_ATTESTATION || c->e[q].verdict != PL_OK)
                    continue;
                if (!saw(c, &c->e[q], t[1]) || !saw(c, &c->e[q], t[2]))
                    return 0;
                break;
            }
        }
        for (size_t au = 0; au < c->nauthors; au++) {
            /* a signer of the triple who learns of the withdrawal after
             * signing says nothing about the other's signature: only the
             * side's other keys witness (else a signer could un-final an
             * agreement at any later time) */
            if ((int)au == c->e[t[1]].author || (int)au == c->e[t[2]].author)
                continue;
            long q = first_seeing(c, e, (int)au, w);
            if (q < 0 || pl_role_side(c->e[q].role) != PL_SIDE_DEFENSE)
                continue;
            for (int d = 1; d <= 2; d++)
                if ((size_t)q != t[d] && !saw(c, &c->e[q], t[d]))
                    return 0;
        }
    }
    return 1;
}

/* Finds a final agreement of round r among the valid signatures e had seen
 * (all, when e is NULL): a prosecution signature and a suspect's and a
 * counsel's naming one offer (so the same terms), heard (F1) and timely
 * (F2). Returns 1 and the three indices. */
static int defender_present(const pl_case *c, const struct entry *e);

/* SPEC §13.24 F0c (v2): whether e's past holds a valid acknowledgment of
 * the rights notice by the suspect's role. */
static int notice_acked(const pl_case *c, const struct entry *e)
{
    for (size_t a = 0; a < c->notice_acks.n; a++) {
        size_t i = c->notice_acks.v[a];
        if (c->e[i].role == PL_ROLE_SUSPECT && saw(c, e, i))
            return 1;
    }
    return 0;
}

/* SPEC §13.9 F0b (v2): the offer signature e signs says the offender is
 * a minor or impaired (§15.2), so a defender witnesses (CPL arts. 35,
 * 278); the offer is in e's past (step 3). */
static int offer_needs_defender(const pl_case *c, const struct entry *e)
{
    long o = seen(c, e, e->body.u.sign.offer);
    return o >= 0 && H(c, (size_t)o).type == PL_T_OFFER &&
           B(c, (size_t)o)->u.offer.needs_defender;
}

/* SPEC §13.9 F0d (v2): the offer signature e signs carries minor. */
static int offer_minor(const pl_case *c, const struct entry *e)
{
    long o = seen(c, e, e->body.u.sign.offer);
    return o >= 0 && H(c, (size_t)o).type == PL_T_OFFER && B(c, (size_t)o)->u.offer.minor;
}

/* SPEC §13.26 (v2): whether consent g is a guardian's word that counts for
 * the suspect's signature e: in past(e), naming e's offer and session, and
 * its key's latest such word there (a change of mind replaces it). */
static int word_counts(const pl_case *c, const struct entry *e, size_t g)
{
    const pl_body *bg = B(c, g), *bs = &e->body;
    if (!bs->u.sign.has_session || !saw(c, e, g) ||
        role_at(c, e, c->authors[c->e[g].author].pk) != PL_ROLE_GUARDIAN ||
        memcmp(bg->u.consent.offer, bs->u.sign.offer, PL_ID_BYTES) != 0 ||
        memcmp(bg->u.consent.session, bs->u.sign.session, PL_ID_BYTES) != 0)
        return 0;
    for (size_t a = 0; a < c->consents.n; a++) {
        size_t q = c->consents.v[a];
        const pl_body *bq = B(c, q);
        if (q != g && c->e[q].author == c->e[g].author && c->e[q].seq > c->e[g].seq && saw(c, e, q) &&
            memcmp(bq->u.consent.offer, bg->u.consent.offer, PL_ID_BYTES) == 0 &&
            memcmp(bq->u.consent.session, bg->u.consent.session, PL_ID_BYTES) == 0)
            return 0;
    }
    return 1;
}

/* SPEC §13.26 (v2): the guardian's word that counts for the suspect's
 * signature e: 1 when some guardian key has one, with *objects set when
 * one of them objects; 0 when none has. */
static int guardian_said(const pl_case *c, const struct entry *e, int *objects)
{
    int any = 0;
    *objects = 0;
    for (size_t a = 0; a < c->consents.n; a++) {
        size_t g = c->consents.v[a];
        if (!word_counts(c, e, g))
            continue;
        any = 1;
        *objects |= !B(c, g)->u.consent.agrees;
    }
    return any;
}

/* SPEC §13.2 *Particulars*: the charter's suspect map; NULL if none. */
static const pl_participant *charter_suspect(const pl_case *c)
{
    const pl_body *ch;
    if (c->charter < 0)
        return NULL;
    ch = B(c, (size_t)c->charter);
    for (size_t i = 0; i < ch->u.charter.nparticipants; i++)
        if (ch->u.charter.participants[i].role == PL_ROLE_SUSPECT)
            return &ch->u.charter.participants[i];
    return NULL;
}

const pl_participant *pl_case_suspect(const pl_case *c)
{
    return c ? charter_suspect(c) : NULL;
}

const char *pl_case_language(const pl_case *c)
{
    const pl_body *ch = c && c->charter >= 0 ? B(c, (size_t)c->charter) : NULL;
    return ch && ch->u.charter.language ? ch->u.charter.language : "zh";
}

/* SPEC §13.2: the suspect's language is not the proceedings' */
int pl_case_needs_interpreter(const pl_case *c)
{
    const pl_participant *s = c ? charter_suspect(c) : NULL;
    return s && s->language && !pl_language_same(s->language, pl_case_language(c));
}

/* SPEC §13.27 (v2): whether interpretation i counts for the suspect's
 * signature e: in past(e), by a key that is interpreter there, naming e's
 * offer and session, into the suspect's language. */
static int interpretation_counts(const pl_case *c, const struct entry *e, size_t i)
{
    const pl_body *bi = B(c, i), *bs = &e->body;
    const pl_participant *s = charter_suspect(c);
    return s && s->language && bs->u.sign.has_session && saw(c, e, i) &&
           role_at(c, e, c->authors[c->e[i].author].pk) == PL_ROLE_INTERPRETER &&
           memcmp(bi->u.interpretation.offer, bs->u.sign.offer, PL_ID_BYTES) == 0 &&
           memcmp(bi->u.interpretation.session, bs->u.sign.session, PL_ID_BYTES) == 0 &&
           pl_language_same(bi->u.interpretation.language, s->language);
}

/* SPEC §13.9 F0e: the suspect's signature e has the interpreter it needs */
static int interpreted(const pl_case *c, const struct entry *e)
{
    if (!pl_case_needs_interpreter(c))
        return 1;
    for (size_t a = 0; a < c->interpretations.n; a++)
        if (interpretation_counts(c, e, c->interpretations.v[a]))
            return 1;
    return 0;
}

int pl_case_interpretation_counts(const pl_case *c, long sign_suspect, size_t i)
{
    if (c == NULL || sign_suspect < 0 || (size_t)sign_suspect >= c->n || i >= c->n ||
        H(c, (size_t)sign_suspect).type != PL_T_SIGN || H(c, i).type != PL_T_INTERPRETATION ||
        c->e[i].verdict != PL_OK || c->e[sign_suspect].body_rc != PL_OK)
        return 0;
    return interpretation_counts(c, &c->e[sign_suspect], i);
}

int pl_case_consent_counts(const pl_case *c, long sign_suspect, size_t i)
{
    if (c == NULL || sign_suspect < 0 || (size_t)sign_suspect >= c->n || i >= c->n ||
        H(c, (size_t)sign_suspect).type != PL_T_SIGN || H(c, i).type != PL_T_CONSENT ||
        c->e[i].verdict != PL_OK || c->e[sign_suspect].body_rc != PL_OK)
        return 0;
    return word_counts(c, &c->e[sign_suspect], i);
}

static int find_final(const pl_case *c, const struct entry *e, uint64_t r, long *p, long *s,
                      long *k)
{
    for (size_t a = 0; a < c->signs.n; a++) {
        size_t i = c->signs.v[a];
        if (c->e[i].role != PL_ROLE_PROSECUTION || c->e[i].round != r || !in_view(c, e, i))
            continue;
        for (size_t b = 0; b < c->signs.n; b++) {
            size_t j = c->signs.v[b];
            /* SPEC §13.9: all three name the same offer (hence the same
             * terms); equal terms in another offer are another agreement. */
            if (c->e[j].role != PL_ROLE_SUSPECT || c->e[j].round != r || !in_view(c, e, j) ||
                memcmp(B(c, j)->u.sign.offer, B(c, i)->u.sign.offer, PL_ID_BYTES) != 0)
                continue;
            for (size_t d = 0; d < c->signs.n; d++) {
                size_t q = c->signs.v[d];
                if (c->e[q].role != PL_ROLE_COUNSEL || c->e[q].round != r || !in_view(c, e, q) ||
                    memcmp(B(c, q)->u.sign.offer, B(c, i)->u.sign.offer, PL_ID_BYTES) != 0)
                    continue;
                size_t t[3] = {i, j, q};
                /* SPEC §13.9 F0 (v2): signed in one fixed session, counsel
                 * witnessing */
                const pl_body *bs = B(c, j), *bk = B(c, q);
                if (!bs->u.sign.has_session || !bk->u.sign.has_session || !bk->u.sign.witness ||
                    memcmp(bs->u.sign.session, bk->u.sign.session, PL_ID_BYTES) != 0)
                    continue;
                /* F0c: the suspect had acknowledged the rights notice */
                if (!notice_acked(c, &c->e[j]))
                    continue;
                /* F0d: a minor signs with the guardian present */
                int objects;
                if (offer_minor(c, &c->e[i]) && !guardian_said(c, &c->e[j], &objects))
                    continue;
                /* F0e: the interpreter the suspect needs (SPEC §13.27) */
                if (!interpreted(c, &c->e[j]))
                    continue;
                /* F0b: a duty lawyer does not stand in for a defender,
                 * nor witnesses a minor's or an impaired offender's
                 * agreement (CPL arts. 35, 278) */
                if (capacity_at(c, &c->e[q], H(c, q).author) == PL_CAPACITY_DUTY_LAWYER &&
                    (defender_present(c, e) || offer_needs_defender(c, &c->e[i])))
                    continue;
                if (triple_heard(c, e, t) && triple_timely(c, e, t, r)) {
                    *p = (long)i, *s = (long)j, *k = (long)q;
                    return 1;
                }
            }
        }
    }
    return 0;
}

/* Why round r is over for e (a code), or PL_OK: a withdrawal from the
 * negotiation, a mutual close, or a final agreement, that e had seen. */
static int round_ended(const pl_case *c, const struct entry *e, uint64_t r, long *by)
{
    long p, s, k;
    int closed_p = 0, closed_d = 0;
    *by = -1;
    /* of several withdrawals, the one with the smallest id speaks for the
     * status, so that every node names the same one (SPEC §13.20) */
    for (size_t a = 0; a < c->withdraws.n; a++) {
        size_t i = c->withdraws.v[a];
        if (!B(c, i)->u.withdraw.has_offer && (!e || saw(c, e, i)) &&
            (*by < 0 || memcmp(c->e[i].id, c->e[*by].id, PL_ID_BYTES) < 0))
            *by = (long)i;
    }
    if (*by >= 0)
        return PL_E_ENDED;
    /* SPEC §13.10: closed when a close of one side had seen a close of the
     * other, and every input that completing close had seen was answered
     * in its past (deliberation complete means nobody is left unheard). */
    (void)closed_p, (void)closed_d;
    for (size_t a = 0; a < c->closes.n; a++) {
        size_t i = c->closes.v[a];
        if (c->e[i].round != r || (e && !saw(c, e, i)) || !all_answered(c, &c->e[i]))
            continue;
        for (size_t q = 0; q < c->closes.n; q++) {
            size_t o = c->closes.v[q];
            if (c->e[o].round == r && saw(c, &c->e[i], o) &&
                pl_role_side(c->e[o].role) != pl_role_side(c->e[i].role)) {
                *by = (long)i;
                return PL_E_ENDED;
            }
        }
    }
    if (find_final(c, e, r, &p, &s, &k)) {
        *by = s > k ? s : k;
        return PL_E_ENDED;
    }
    return PL_OK;
}

/* SPEC §13.8: an input is a valid opinion, or a valid offer by the defense. */
static int is_input(const pl_case *c, size_t j)
{
    if (c->e[j].verdict != PL_OK || c->e[j].excess)
        return 0;
    uint64_t t = H(c, j).type;
    return t == PL_T_OPINION || (t == PL_T_OFFER && pl_role_side(c->e[j].role) == PL_SIDE_DEFENSE);
}

/* Each input keeps the list of valid responses to it (index_entry), so that
 * the duty to answer costs one pass over the inputs, not inputs x responses:
 * a party sending many opinions cannot make every judgement quadratic. */
static int answered(const pl_case *c, const struct entry *e, size_t input)
{
    const struct entry *in = &c->e[input];
    for (size_t a = 0; a < in->nresp; a++)
        if (!e || saw(c, e, in->resp[a]))
            return 1;
    return 0;
}

/* SPEC §13.8 R3: every input e had seen has a response e had also seen. */
static int all_answered(const pl_case *c, const struct entry *e)
{
    for (size_t a = 0; a < c->inputs.n; a++) {
        size_t i = c->inputs.v[a];
        if (saw(c, e, i) && !answered(c, e, i))
            return 0;
    }
    return 1;
}

/* ---- the judgement ------------------------------------------------------------------ */

void pl_case_id_derive(const uint8_t creator[PL_PK_BYTES], const uint8_t nonce[32],
                       uint8_t case_id[PL_CASE_ID_BYTES])
{
    static const char ctx[] = "parley/v2/case";
    pl_hash3(case_id, ctx, sizeof ctx, creator, PL_PK_BYTES, nonce, 32);
}

void pl_draw_commitment(const uint8_t reveal[32], uint8_t commit[32])
{
    static const char ctx[] = "parley/v2/draw";
    pl_hash3(commit, ctx, sizeof ctx, reveal, 32, NULL, 0);
}

/* Whether every author a references names is named by b's references too,
 * at the same seq or a later one (two attestations, SPEC §13.13). */
static int refs_cover(const pl_case *c, const struct entry *b, const struct entry *a)
{
    for (uint32_t r = 0; r < a->nref; r++) {
        const struct entry *t = &c->e[a->ref[r]];
        uint32_t q;
        for (q = 0; q < b->nref; q++)
            if (c->e[b->ref[q]].author == t->author)
                break;
        if (q == b->nref || H(c, b->ref[q]).seq < H(c, a->ref[r]).seq)
            return 0;
    }
    return 1;
}

/* SPEC §13.2 */
static int check_charter(const pl_case *c, const struct entry *e)
{
    const struct hv hh = HE(c, e), *h = &hh;
    const pl_body *b = &e->body;
    uint8_t id[PL_CASE_ID_BYTES];
    size_t count[PL_ROLE_INTERPRETER + 1] = {0};
    pl_role creator = PL_ROLE_NONE;

    if (c->charter >= 0 || h->seq != 1 || e->nref != 0)
        return PL_E_CHARTER;
    pl_case_id_derive(h->author, b->u.charter.case_nonce, id);
    if (memcmp(id, c->case_id, PL_CASE_ID_BYTES) != 0)
        return PL_E_CHARTER;
    for (size_t i = 0; i < b->u.charter.nparticipants; i++) {
        const pl_participant *p = &b->u.charter.participants[i];
        count[p->role]++;
        if (memcmp(p->key, h->author, PL_PK_BYTES) == 0)
            creator = p->role;
        for (size_t k = 0; k < b->u.charter.npool; k++)
            if (memcmp(b->u.charter.pool[k], p->key, PL_PK_BYTES) == 0)
                return PL_E_CHARTER; /* the pool is outside the parties */
    }
    if (creator != PL_ROLE_PROSECUTION && creator != PL_ROLE_COUNSEL)
        return PL_E_CHARTER;
    /* SPEC §13.2 *Deadline* (v2): the procuratorate's clock is stated by
     * the procuratorate, not by a counsel who creates the case */
    if (b->u.charter.has_deadline && creator != PL_ROLE_PROSECUTION)
        return PL_E_CHARTER;
    if (count[PL_ROLE_PROSECUTION] < 1 || count[PL_ROLE_SUSPECT] != 1 ||
        count[PL_ROLE_COUNSEL] < 1 || count[PL_ROLE_OBSERVER] > 1 ||
        (b->u.charter.npool > 0 && count[PL_ROLE_OBSERVER] > 0))
        return PL_E_CHARTER;
    return PL_OK;
}

static pl_role charter_role_of(const pl_body *b, const uint8_t pk[PL_PK_BYTES])
{
    for (size_t i = 0; i < b->u.charter.nparticipants; i++)
        if (memcmp(b->u.charter.participants[i].key, pk, PL_PK_BYTES) == 0)
            return b->u.charter.participants[i].role;
    return PL_ROLE_NONE;
}

/* Whether the author has a valid join earlier in its own chain (all of
 * which is in e's past). */
static int joined(const pl_case *c, const struct entry *e)
{
    size_t j1 = c->authors[e->author].join1;
    return j1 != 0 && saw(c, e, j1 - 1);
}

/* Whether e signs the same change as one the other side already proposed
 * and e had seen: the consent that completes it (SPEC §13.18). */
static int change_seconds(const pl_case *c, const struct entry *e)
{
    for (size_t a = 0; a < c->changes.n; a++) {
        size_t k = c->changes.v[a];
        if (saw(c, e, k) && H(c, k).type == e->type &&
            pl_role_side(c->e[k].role) != pl_role_side(e->role) &&
            memcmp(H(c, k).body_hash, e->body_hash, PL_HASH_BYTES) == 0)
            return 1;
    }
    return 0;
}

/* SPEC §13.11: the session proposal p is fixed in e's view: a valid
 * acceptance of it is in e's past. */
static int session_fixed(const pl_case *c, const struct entry *e, size_t p)
{
    for (size_t a = 0; a < c->answers.n; a++) {
        size_t k = c->answers.v[a];
        if (saw(c, e, k) && H(c, k).type == PL_T_SESSION_ACCEPT &&
            memcmp(B(c, k)->u.session_answer.proposal, c->e[p].id, PL_ID_BYTES) == 0)
            return 1;
    }
    return 0;
}

/* SPEC §13.26, §13.27 (v2): the steps of a word given at the suspect's
 * signing — a guardian's consent, an interpreter's statement — by a key of
 * role who: its role; the offer, valid, of e's round, in e's past
 * (PL_E_TARGET); the round not ended; the session fixed in e's past
 * (PL_E_PRESENCE, also for another id). */
static int at_signing(const pl_case *c, const struct entry *e, pl_role who,
                      const uint8_t offer[PL_ID_BYTES], const uint8_t session[PL_ID_BYTES])
{
    long j, by;
    if (e->role != who)
        return PL_E_ROLE;
    if ((j = seen(c, e, offer)) < 0 || H(c, (size_t)j).type != PL_T_OFFER ||
        c->e[j].verdict != PL_OK || c->e[j].round != e->round)
        return PL_E_TARGET;
    if (round_ended(c, e, e->round, &by) != PL_OK)
        return PL_E_ENDED;
    if ((j = seen(c, e, session)) < 0 || H(c, (size_t)j).type != PL_T_SESSION_PROPOSE ||
        c->e[j].verdict != PL_OK || !session_fixed(c, e, (size_t)j))
        return PL_E_PRESENCE;
    return PL_OK;
}

/* SPEC §13.18: the new key's acceptance of a seat, signed over
 * "parley/v2/seat-accept" || 0x00 || case id || old || new || session. */
static void seat_accept_input(const uint8_t case_id[PL_CASE_ID_BYTES],
                              const uint8_t old[PL_PK_BYTES], const uint8_t new_[PL_PK_BYTES],
                              const uint8_t session[PL_ID_BYTES], uint8_t out[PL_SEAT_ACCEPT_INPUT_BYTES])
{
    static const char ctx[] = "parley/v2/seat-accept";
    size_t o = 0;
    memcpy(out, ctx, sizeof ctx), o += sizeof ctx;
    memcpy(out + o, case_id, PL_CASE_ID_BYTES), o += PL_CASE_ID_BYTES;
    memcpy(out + o, old, PL_PK_BYTES), o += PL_PK_BYTES;
    memcpy(out + o, new_, PL_PK_BYTES), o += PL_PK_BYTES;
    memcpy(out + o, session, PL_ID_BYTES);
}

void pl_seat_accept_sign(const pl_key *new_key, const uint8_t case_id[PL_CASE_ID_BYTES],
                         const uint8_t old[PL_PK_BYTES], const uint8_t session[PL_ID_BYTES],
                         uint8_t sig[PL_SIG_BYTES])
{
    uint8_t in[PL_SEAT_ACCEPT_INPUT_BYTES];
    seat_accept_input(case_id, old, pl_key_pk(new_key), session, in);
    pl_key_sign(new_key, in, sizeof in, sig);
}

/* SPEC §13.18 *Acceptance* (v2): "parley/v2/seat-add" || 0x00 ||
 * case_id || K || the role's wire name. */
static size_t seat_add_input(const uint8_t case_id[PL_CASE_ID_BYTES], const uint8_t key[PL_PK_BYTES],
                             pl_role role, uint8_t out[PL_SEAT_ADD_INPUT_MAX])
{
    static const char ctx[] = "parley/v2/seat-add";
    const char *name = pl_role_name(role);
    size_t o = 0, nl = strlen(name);
    memcpy(out, ctx, sizeof ctx), o += sizeof ctx;
    memcpy(out + o, case_id, PL_CASE_ID_BYTES), o += PL_CASE_ID_BYTES;
    memcpy(out + o, key, PL_PK_BYTES), o += PL_PK_BYTES;
    memcpy(out + o, name, nl);
    return o + nl;
}

void pl_seat_add_sign(const pl_key *key, const uint8_t case_id[PL_CASE_ID_BYTES], pl_role role,
                      uint8_t sig[PL_SIG_BYTES])
{
    uint8_t in[PL_SEAT_ADD_INPUT_MAX];
    size_t n = seat_add_input(case_id, pl_key_pk(key), role, in);
    pl_key_sign(key, in, n, sig);
}

int pl_seat_add_verify(const uint8_t case_id[PL_CASE_ID_BYTES], const uint8_t key[PL_PK_BYTES],
                       pl_role role, const uint8_t sig[PL_SIG_BYTES])
{
    uint8_t in[PL_SEAT_ADD_INPUT_MAX];
    size_t n = seat_add_input(case_id, key, role, in);
    return crypto_sign_verify_detached(sig, in, n, key) == 0 ? PL_OK : PL_E_SEAT;
}

int pl_seat_accept_verify(const uint8_t case_id[PL_CASE_ID_BYTES], const uint8_t old[PL_PK_BYTES],
                          const uint8_t new_[PL_PK_BYTES], const uint8_t session[PL_ID_BYTES],
                          const uint8_t sig[PL_SIG_BYTES])
{
    uint8_t in[PL_SEAT_ACCEPT_INPUT_BYTES];
    seat_accept_input(case_id, old, new_, session, in);
    return crypto_sign_verify_detached(sig, in, sizeof in, new_) == 0 ? PL_OK : PL_E_SEAT;
}

/* SPEC §13.25 (v2): the parties of a settlement are the victim and the
 * defense; whether roles a and b are of one party. */
static int same_party(pl_role a, pl_role b)
{
    return (a == PL_ROLE_VICTIM) == (b == PL_ROLE_VICTIM);
}

/* SPEC §13.18: who may propose a change to a key of role r. */
static int may_change(pl_side side, pl_role r)
{
    /* SPEC §13.18: either side proposes changes to victims and (v2)
     * guardians and interpreters; the other side seconds */
    return r == PL_ROLE_VICTIM || beside_suspect(r) || pl_role_side(r) == side;
}

/* SPEC §13.22: e's author has fewer than PL_QUOTA_OPEN_INPUTS inputs in
 * e's past that are unanswered there. */
static int open_inputs_ok(const pl_case *c, const struct entry *e)
{
    size_t open = 0;
    for (size_t a = 0; a < c->inputs.n; a++) {
        size_t i = c->inputs.v[a];
        if (c->e[i].author == e->author && saw(c, e, i) && !answered(c, e, i))
            if (++open >= PL_QUOTA_OPEN_INPUTS)
                return 0;
    }
    return 1;
}

/* SPEC §13.18: e is a message of a replaced key that had seen its own
 * replacement: its objection is judged as if the replacement were void
 * (the cut a void replacement made goes with it when e is added). */
static int objects_to_own_replacement(const pl_case *c, const struct entry *e)
{
    /* only a valid replacement can have cut the key: a flagged one, which
     * anyone (the retired key included) can write, lifts nothing */
    for (size_t b = 0; b < c->changes.n; b++)
        if (H(c, c->changes.v[b]).type == PL_T_KEY_REPLACE && objects_to(c, e, c->changes.v[b]))
            return 1;
    return 0;
}

/* SPEC §13.3 (v2): whether e's author may speak in the suspect's seat: the
 * charter binds no identity, or the author's valid join confirmed it. */
static int confirmed_join(const pl_case *c, const struct entry *e)
{
    const pl_body *ch = B(c, (size_t)c->charter);
    int bound = 0;
    for (size_t i = 0; i < ch->u.charter.nparticipants; i++)
        bound |= ch->u.charter.participants[i].role == PL_ROLE_SUSPECT &&
                 ch->u.charter.participants[i].has_id_hash;
    size_t j1 = c->authors[e->author].join1;
    return !bound || (j1 != 0 && H(c, j1 - 1).type == PL_T_JOIN &&
                      B(c, j1 - 1)->u.join.has_identity);
}

/* SPEC §13.3 (v2) *Confirmation*: a join of a key in the suspect's seat
 * confirms the identity the charter binds (§13.2), in a fixed session in
 * its past; no other join carries a confirmation. */
static int identity_ok(const pl_case *c, const struct entry *e)
{
    const pl_body *b = &e->body, *ch = B(c, (size_t)c->charter);
    const pl_participant *s = NULL;
    for (size_t i = 0; i < ch->u.charter.nparticipants; i++)
        if (ch->u.charter.participants[i].role == PL_ROLE_SUSPECT)
            s = &ch->u.charter.participants[i];
    if (e->role != PL_ROLE_SUSPECT || s == NULL || !s->has_id_hash)
        return b->u.join.has_identity ? PL_E_IDENTITY : PL_OK;
    if (!b->u.join.has_identity || strcmp(b->u.join.name, s->name) != 0 ||
        memcmp(b->u.join.id_hash, s->id_hash, PL_HASH_BYTES) != 0)
        return PL_E_IDENTITY;
    long j = seen_valid(c, e, b->u.join.session, PL_T_SESSION_PROPOSE);
    if (j < 0 ||
        !session_fixed(c, e, (size_t)j))
        return PL_E_IDENTITY;
    return PL_OK;
}

/* SPEC §13.23 (v2): the valid judgment j is confirmed in e's past (in
 * the whole log when e is NULL, j included): judgments with j's body by
 * the prosecution side and by the defense side. One side's record alone
 * closes nothing. */
static int judgment_confirmed(const pl_case *c, const struct entry *e, size_t j)
{
    int p = 0, d = 0;
    for (size_t a = 0; a < c->judgments.n; a++) {
        size_t k = c->judgments.v[a];
        if ((e && !saw(c, e, k)) ||
            memcmp(H(c, k).body_hash, H(c, j).body_hash, PL_HASH_BYTES) != 0)
            continue;
        pl_side s = pl_role_side(c->e[k].role);
        p |= s == PL_SIDE_PROSECUTION, d |= s == PL_SIDE_DEFENSE;
    }
    return p && d;
}

/* Whether e's past holds a confirmed judgment, or a judgment e's own role
 * recorded (SPEC §13.23): who says the case is judged does not go on
 * negotiating; anyone else's one-sided record bars nothing (counsel's
 * record does not bar the suspect's retraction). */
static int judged(const pl_case *c, const struct entry *e)
{
    for (size_t a = 0; a < c->judgments.n; a++) {
        size_t j = c->judgments.v[a];
        /* SPEC §13.26 (v2): a guardian withdraws the plea as the suspect */
        pl_role mine = e->role == PL_ROLE_GUARDIAN ? PL_ROLE_SUSPECT : e->role;
        if (saw(c, e, j) && (c->e[j].role == mine || judgment_confirmed(c, e, j)))
            return 1;
    }
    return 0;
}

/* SPEC §13.9 F0b (v2): whether a key of capacity defender has the role
 * counsel in e's view (the whole log when e is NULL): the keys the charter
 * lists and the keys changes seat are the only ones that can. */
static int defender_present(const pl_case *c, const struct entry *e)
{
    /* one walk gives the role and the capacity together */
#define DEFENDER(pk) (role_at_ex(c, e, (pk), NULL, &cap) == PL_ROLE_COUNSEL && \
                      cap == PL_CAPACITY_DEFENDER)
    pl_capacity cap;
    const pl_body *ch = B(c, (size_t)c->charter);
    for (size_t i = 0; i < ch->u.charter.nparticipants; i++)
        if (DEFENDER(ch->u.charter.participants[i].key))
            return 1;
    for (size_t x = 0; x < c->changes.n; x++) {
        size_t j = c->changes.v[x];
        size_t nk = H(c, j).type == PL_T_PARTICIPANTS ? B(c, j)->u.participants.nadd : 1;
        for (size_t r = 0; r < nk; r++)
            if (DEFENDER(seated_key(c, j, r)))
                return 1;
    }
#undef DEFENDER
    return 0;
}

/* SPEC §13.9 steps 10–11 (v2): a signature's session is fixed in its
 * past; only counsel witnesses, and dissents with its own opinion. */
static int presence(const pl_case *c, const struct entry *e)
{
    const pl_body *b = &e->body;
    if (b->u.sign.has_session) {
        long j = seen_valid(c, e, b->u.sign.session, PL_T_SESSION_PROPOSE);
        if (j < 0 ||
            !session_fixed(c, e, (size_t)j))
            return PL_E_PRESENCE;
    }
    if ((b->u.sign.witness || b->u.sign.has_dissent) && e->role != PL_ROLE_COUNSEL)
        return PL_E_PRESENCE;
    /* F0b as a signing rule: a duty lawyer does not sign for a suspect
     * whose defender holds the counsel role in its past (its signature
     * would take the role's one signature of the round, step 7), nor for
     * a minor or impaired offender, who must have a defender (CPL arts.
     * 35, 278) */
    if (e->role == PL_ROLE_COUNSEL &&
        capacity_at(c, e, c->authors[e->author].pk) == PL_CAPACITY_DUTY_LAWYER &&
        (defender_present(c, e) || offer_needs_defender(c, e)))
        return PL_E_PRESENCE;
    /* F0d as a signing rule (SPEC §13.26): a minor signs after the
     * guardian's word in that session, so a signature that would take the
     * suspect's one signature of the round without it is refused */
    int objects;
    if (e->role == PL_ROLE_SUSPECT && offer_minor(c, e) && !guardian_said(c, e, &objects))
        return PL_E_PRESENCE;
    /* F0e as a signing rule (SPEC §13.27): a suspect who does not
     * understand the language of the proceedings signs interpreted */
    if (e->role == PL_ROLE_SUSPECT && !interpreted(c, e))
        return PL_E_PRESENCE;
    if (b->u.sign.has_dissent) {
        long j = seen_valid(c, e, b->u.sign.dissent, PL_T_OPINION);
        if (j < 0 ||
            c->e[j].author != e->author)
            return PL_E_TARGET;
    }
    return PL_OK;
}

/* SPEC §13.13 steps 3–5 of a draw message of the given type and side. */
static int draw_steps(const pl_case *c, const struct entry *e, uint64_t type, const pl_body *b,
                      pl_side side)
{
    long own = -1, other = -1;
    int same_side = 0, other_side = 0;
    for (size_t a = 0; a < c->commits.n; a++) {
        size_t k = c->commits.v[a];
        if (!saw(c, e, k) || B(c, k)->u.draw.round != b->u.draw.round)
            continue;
        if (pl_role_side(c->e[k].role) == side) {
            same_side++;
            if (c->e[k].author == e->author)
                own = (long)k; /* a reveal opens its own key's commitment */
        } else {
            other_side++;
            other = (long)k;
        }
    }
    if (type == PL_T_DRAW_COMMIT)
        return same_side == 0 ? PL_OK : PL_E_DRAW; /* one per side and round */
    /* Two commitments of one side (made concurrently by two keys) void
     * the round: otherwise that side could choose which to open. */
    if (own < 0 || other < 0 || same_side != 1 || other_side != 1)
        return PL_E_DRAW;
    uint8_t hv[32];
    pl_draw_commitment(b->u.draw.value, hv);
    if (memcmp(hv, B(c, (size_t)own)->u.draw.value, 32) != 0)
        return PL_E_DRAW;
    for (size_t a = 0; a < c->reveals.n; a++) {
        size_t k = c->reveals.v[a];
        if (saw(c, e, k) && B(c, k)->u.draw.round == b->u.draw.round &&
            pl_role_side(c->e[k].role) == side)
            return PL_E_DRAW; /* revealed already */
    }
    return PL_OK;
}

static void stands_now(const pl_case *c, struct entry *e);

/* Each type's own rules, after judge()'s common ones (who may speak at all,
 * SPEC §13.2, §13.3, §13.14, §13.18): one function per type, named after it
 * and citing its section; a new type is a row here and its function. */
typedef int (*rule_fn)(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);

static int rule_join(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_offer(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_opinion(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_response(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_sign(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_withdraw(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_close(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_reopen(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_retract(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_notice(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_notice_ack(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_consent(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_publicity(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_interpretation(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_settlement(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_settlement_withdraw(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_judgment(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_disclose(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_disclose_ack(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_session_propose(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_session_answer(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_recording(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_observation(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_attestation(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_draw(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_participants(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_key_rotate(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);
static int rule_key_replace(const pl_case *c, struct entry *e, const struct hv *h, pl_side side);

static const rule_fn rules[] = {
    [PL_T_JOIN] = rule_join,
    [PL_T_OFFER] = rule_offer,
    [PL_T_OPINION] = rule_opinion,
    [PL_T_RESPONSE] = rule_response,
    [PL_T_SIGN] = rule_sign,
    [PL_T_WITHDRAW] = rule_withdraw,
    [PL_T_CLOSE] = rule_close,
    [PL_T_REOPEN] = rule_reopen,
    [PL_T_RETRACT] = rule_retract,
    [PL_T_COURT_ADJUST] = rule_retract,
    [PL_T_NOTICE] = rule_notice,
    [PL_T_NOTICE_ACK] = rule_notice_ack,
    [PL_T_CONSENT] = rule_consent,
    [PL_T_PUBLICITY] = rule_publicity,
    [PL_T_INTERPRETATION] = rule_interpretation,
    [PL_T_SETTLEMENT] = rule_settlement,
    [PL_T_SETTLEMENT_WITHDRAW] = rule_settlement_withdraw,
    [PL_T_JUDGMENT] = rule_judgment,
    [PL_T_DISCLOSE] = rule_disclose,
    [PL_T_DISCLOSE_ACK] = rule_disclose_ack,
    [PL_T_SESSION_PROPOSE] = rule_session_propose,
    [PL_T_SESSION_ACCEPT] = rule_session_answer,
    [PL_T_SESSION_DECLINE] = rule_session_answer,
    [PL_T_RECORDING] = rule_recording,
    [PL_T_OBSERVATION] = rule_observation,
    [PL_T_ATTESTATION] = rule_attestation,
    [PL_T_DRAW_COMMIT] = rule_draw,
    [PL_T_DRAW_REVEAL] = rule_draw,
    [PL_T_PARTICIPANTS] = rule_participants,
    [PL_T_KEY_ROTATE] = rule_key_rotate,
    [PL_T_KEY_REPLACE] = rule_key_replace,
};

static int judge(const pl_case *c, struct entry *e)
{
    const struct hv hh = HE(c, e), *h = &hh;
    const pl_body *b = &e->body;
    const struct author *au = &c->authors[e->author];

    e->excess = 0;

    if (e->body_rc != PL_OK)
        return e->body_rc;
    /* SPEC §13.14: nothing counts from a proven fork on. */
    if (au->void_from && h->seq >= au->void_from)
        return PL_E_EQUIVOCATED;
    /* SPEC §13.18: a key removed or replaced by both sides counts only for
     * what both signers of the change had seen of it; leaving the change
     * out of one's references does not keep a retired key alive. */
    if (au->has_cut && h->seq > au->cut &&
        (!objects_to_own_replacement(c, e) || (au->has_cut_rm && h->seq > au->cut_rm)))
        return PL_E_NOT_PARTICIPANT;
    if (h->type == PL_T_CHARTER) {
        int rc = check_charter(c, e);
        if (rc == PL_OK)
            e->role = charter_role_of(b, h->author);
        return rc;
    }
    /* SPEC §13.2: every other message comes after the charter. */
    if (c->charter < 0 || !saw(c, e, (size_t)c->charter))
        return PL_E_NO_CHARTER;
    /* SPEC §13.13 *Standing joins* (v2): a pool key's join, by its past */
    if (h->type == PL_T_JOIN)
        stands_now(c, e);
    /* SPEC §13.3: only participants, and only after joining. */
    if ((e->role = role_at(c, e, h->author)) == PL_ROLE_NONE)
        return PL_E_NOT_PARTICIPANT;
    if (memcmp(h->author, H(c, (size_t)c->charter).author, PL_PK_BYTES) == 0) {
        if (h->type == PL_T_JOIN)
            return PL_E_NOT_JOINED; /* the charter is its author's join */
    } else if (!joined(c, e)) {
        /* until a valid join, a participant's only message is its join
         * (so a join refused because it came too early can be sent again) */
        if (h->type != PL_T_JOIN ||
            memcmp(b->u.join.charter, c->e[c->charter].id, PL_ID_BYTES) != 0)
            return PL_E_NOT_JOINED;
        return identity_ok(c, e);
    } else if (h->type == PL_T_JOIN) {
        return PL_E_NOT_JOINED;
    }
    /* SPEC §13.3 (v2): in the suspect's seat of a case that binds it, only
     * a key whose own join confirmed the identity speaks (a key that
     * joined in another role and came to the seat later never did). */
    if (e->role == PL_ROLE_SUSPECT && !confirmed_join(c, e))
        return PL_E_IDENTITY;

    pl_side side = pl_role_side(e->role);
    /* the rules of the message's own type (rules[], below judge) */
    if (h->type >= sizeof rules / sizeof rules[0] || rules[h->type] == NULL)
        return PL_E_MSG_TYPE;
    return rules[h->type](c, e, h, side);
}

/* PL_T_JOIN: its own rules. */
static int rule_join(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    (void)c, (void)e, (void)h, (void)side;
    return PL_E_NOT_JOINED;
}

/* PL_T_OFFER: its own rules. */
static int rule_offer(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    long j = -1, by;
    (void)h;
    /* SPEC §13.6: either side proposes (R2); the terms obey the law. */
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    if (judged(c, e))
        return PL_E_AFTER_JUDGMENT; /* SPEC §13.23 */
    if (b->u.offer.has_answers &&
        ((j = seen(c, e, b->u.offer.answers)) < 0 || H(c, (size_t)j).type != PL_T_OFFER))
        return PL_E_TARGET;
    if (round_ended(c, e, e->round, &by) != PL_OK)
        return PL_E_ENDED;
    /* (Unlawful terms never get here: their code is the body's.) */
    /* SPEC §13.8 R3: no new prosecution offer over an unanswered input. */
    if (side == PL_SIDE_PROSECUTION && !all_answered(c, e))
        return PL_E_UNANSWERED;
    /* SPEC §13.22: a defense offer is an input, within the bound */
    e->excess = side == PL_SIDE_DEFENSE && !open_inputs_ok(c, e);
    return PL_OK;
}

/* PL_T_OPINION: its own rules. */
static int rule_opinion(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h;
    /* SPEC §13.7: the defense and the victim give opinions (R4); so
     * does a minor's guardian (v2, §13.26) */
    if (side != PL_SIDE_DEFENSE && e->role != PL_ROLE_VICTIM && e->role != PL_ROLE_GUARDIAN)
        return PL_E_ROLE;
    if (b->u.opinion.has_regarding && seen(c, e, b->u.opinion.regarding) < 0)
        return PL_E_TARGET;
    /* SPEC §13.22: heard and recorded, but beyond its author's open
     * inputs it obliges no answer (it is not an input) */
    e->excess = !open_inputs_ok(c, e);
    return PL_OK;
}

/* PL_T_RESPONSE: its own rules. */
static int rule_response(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    long j = -1;
    (void)h, (void)side;
    /* SPEC §13.8: the prosecution answers an input it had seen. */
    if (e->role != PL_ROLE_PROSECUTION)
        return PL_E_ROLE;
    /* SPEC §13.16 (v2): or declines the court's request */
    if ((j = seen(c, e, b->u.response.answers)) < 0 ||
        !(is_input(c, (size_t)j) ||
          (H(c, (size_t)j).type == PL_T_COURT_ADJUST && c->e[j].verdict == PL_OK &&
           b->u.response.decision == PL_DECISION_NOT_ADOPTED)))
        return PL_E_TARGET;
    return PL_OK;
}

/* PL_T_SIGN: its own rules. */
static int rule_sign(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    long j = -1, by;
    (void)h;
    /* SPEC §13.9 */
    if (e->role != PL_ROLE_PROSECUTION && e->role != PL_ROLE_SUSPECT &&
        e->role != PL_ROLE_COUNSEL)
        return PL_E_ROLE;
    if (judged(c, e))
        return PL_E_AFTER_JUDGMENT; /* SPEC §13.23 */
    if ((j = seen(c, e, b->u.sign.offer)) < 0 || H(c, (size_t)j).type != PL_T_OFFER ||
        c->e[j].verdict != PL_OK || c->e[j].round != e->round)
        return PL_E_TARGET;
    if (memcmp(B(c, (size_t)j)->u.offer.terms_hash, b->u.sign.terms_hash, PL_HASH_BYTES) != 0)
        return PL_E_TERMS_MISMATCH;
    if (round_ended(c, e, e->round, &by) != PL_OK)
        return PL_E_ENDED;
    /* SPEC §13.10: nobody signs an offer after seeing it withdrawn. */
    for (size_t a = 0; a < c->withdraws.n; a++) {
        size_t w = c->withdraws.v[a];
        if (saw(c, e, w) && B(c, w)->u.withdraw.has_offer &&
            memcmp(B(c, w)->u.withdraw.offer, b->u.sign.offer, PL_ID_BYTES) == 0)
            return PL_E_WITHDRAWN;
    }
    if (side == PL_SIDE_PROSECUTION)
        return all_answered(c, e) ? presence(c, e) : PL_E_UNANSWERED;
    /* SPEC §13.9: the prosecution signs first; the defense holds the
     * last signer's option by design. */
    /* SPEC §13.9: one signature per defense role and round, whatever
     * key (a rotated or replaced key included), so that the one suspect
     * completes at most one agreement per round. */
    for (size_t a = 0; a < c->signs.n; a++) {
        size_t p = c->signs.v[a];
        if (c->e[p].role == e->role && saw(c, e, p) && c->e[p].round == e->round)
            return PL_E_SIGNED;
    }
    int ordered = 0;
    for (size_t a = 0; a < c->signs.n && !ordered; a++) {
        size_t p = c->signs.v[a];
        ordered = c->e[p].role == PL_ROLE_PROSECUTION && saw(c, e, p) &&
                  c->e[p].round == e->round &&
                  memcmp(B(c, p)->u.sign.offer, b->u.sign.offer, PL_ID_BYTES) == 0;
    }
    if (!ordered)
        return PL_E_SIGN_ORDER;
    /* SPEC §13.9 step 9 (v2): the defense does not sign over an input
     * it had seen that has no answer in its past either; R3 binds the
     * agreement, not only the prosecution's own signature. */
    if (!all_answered(c, e))
        return PL_E_UNANSWERED;
    return presence(c, e);
}

/* PL_T_WITHDRAW: its own rules. */
static int rule_withdraw(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    long j = -1, by;
    (void)h;
    /* SPEC §13.10 */
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    if (judged(c, e))
        return PL_E_AFTER_JUDGMENT; /* SPEC §13.23 */
    if (b->u.withdraw.has_offer &&
        ((j = seen(c, e, b->u.withdraw.offer)) < 0 || H(c, (size_t)j).type != PL_T_OFFER))
        return PL_E_TARGET;
    /* a side withdraws its own offers (or its consent to the other
     * side's by signing nothing): never the other side's */
    if (b->u.withdraw.has_offer && pl_role_side(c->e[j].role) != side)
        return PL_E_ROLE;
    return round_ended(c, e, e->round, &by);
}

/* PL_T_CLOSE: its own rules. */
static int rule_close(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    long by;
    (void)h;
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    if (round_ended(c, e, e->round, &by) != PL_OK)
        return PL_E_ENDED;
    /* R3 and R5: the prosecution declares deliberation complete only
     * with every input it had seen answered. */
    if (side == PL_SIDE_PROSECUTION && !all_answered(c, e))
        return PL_E_UNANSWERED;
    return PL_OK;
}

/* PL_T_REOPEN: its own rules. */
static int rule_reopen(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    long j = -1;
    (void)h, (void)side;
    /* SPEC §13.16 (v2): the prosecution reopens a final agreement only
     * on a ground the law allows, and on the court's request only by
     * naming it */
    long p, s, k;
    if (e->role != PL_ROLE_PROSECUTION)
        return PL_E_ROLE;
    if (judged(c, e))
        return PL_E_AFTER_JUDGMENT;
    if (!find_final(c, e, e->round, &p, &s, &k))
        return PL_E_NOT_FINAL;
    if ((b->u.reopen.ground == PL_REOPEN_COURT_REQUEST) != b->u.reopen.has_request)
        return PL_E_REOPEN;
    if (b->u.reopen.has_request &&
        ((j = seen_valid(c, e, b->u.reopen.request, PL_T_COURT_ADJUST)) < 0 ||
         c->e[j].round != e->round))
        return PL_E_TARGET;
    return PL_OK;
}

/* PL_T_RETRACT and PL_T_COURT_ADJUST: their own rules. */
static int rule_retract(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    (void)side;
    /* SPEC §13.15, §13.16 */
    long p, s, k;
    /* SPEC §13.15 (v2): the plea is the suspect's, and so is its
     * withdrawal (a minor's guardian may withdraw it too, §13.26);
     * counsel gives an opinion instead */
    if (h->type == PL_T_RETRACT ? e->role != PL_ROLE_SUSPECT && e->role != PL_ROLE_GUARDIAN
                                : e->role != PL_ROLE_PROSECUTION)
        return PL_E_ROLE;
    if (judged(c, e))
        return PL_E_AFTER_JUDGMENT; /* SPEC §13.23: an appeal, not a retraction */
    if (!find_final(c, e, e->round, &p, &s, &k))
        return PL_E_NOT_FINAL;
    /* SPEC §13.26 (v2): a guardian withdraws only a minor's plea */
    if (e->role == PL_ROLE_GUARDIAN && !offer_minor(c, &c->e[p]))
        return PL_E_ROLE;
    return PL_OK;
}

/* PL_T_NOTICE: its own rules. */
static int rule_notice(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    (void)c, (void)h, (void)side;
    /* SPEC §13.24 (v2): the procuratorate gives the rights notice */
    return e->role == PL_ROLE_PROSECUTION ? PL_OK : PL_E_ROLE;
}

/* PL_T_NOTICE_ACK: its own rules. */
static int rule_notice_ack(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h, (void)side;
    /* SPEC §13.24 (v2): the suspect acknowledges it, and only the
     * suspect */
    if (e->role != PL_ROLE_SUSPECT)
        return PL_E_ROLE;
    return seen_valid(c, e, b->u.notice_ack.notice, PL_T_NOTICE) >= 0 ? PL_OK : PL_E_TARGET;
}

/* PL_T_CONSENT: its own rules. */
static int rule_consent(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h, (void)side;
    /* SPEC §13.26 (v2): the guardian's word at a minor's signing */
    return at_signing(c, e, PL_ROLE_GUARDIAN, b->u.consent.offer, b->u.consent.session);
}

/* PL_T_PUBLICITY: its own rules. */
static int rule_publicity(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h, (void)side;
    /* SPEC §13.11 (v2): a victim's word on public observation */
    if (e->role != PL_ROLE_VICTIM)
        return PL_E_ROLE;
    return seen_valid(c, e, b->u.publicity.proposal, PL_T_SESSION_PROPOSE) >= 0 ? PL_OK : PL_E_TARGET;
}

/* PL_T_INTERPRETATION: its own rules. */
static int rule_interpretation(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h, (void)side;
    /* SPEC §13.27 (v2): the interpreter's statement at the signing */
    return at_signing(c, e, PL_ROLE_INTERPRETER, b->u.interpretation.offer,
                      b->u.interpretation.session);
}

/* PL_T_SETTLEMENT: its own rules. */
static int rule_settlement(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    long j = -1;
    (void)h;
    /* SPEC §13.25 (v2): the victim and the defense, each party's key
     * vouching for the same settlement */
    const pl_body *pb;
    if (e->role != PL_ROLE_VICTIM && side != PL_SIDE_DEFENSE)
        return PL_E_ROLE;
    if (!b->u.settlement.has_accepts)
        return PL_OK;
    if ((j = seen(c, e, b->u.settlement.accepts)) < 0 || H(c, (size_t)j).type != PL_T_SETTLEMENT ||
        c->e[j].verdict != PL_OK)
        return PL_E_TARGET;
    pb = B(c, (size_t)j);
    if (pb->u.settlement.has_accepts ||
        same_party(c->e[j].role, e->role) ||
        memcmp(pb->u.settlement.document, b->u.settlement.document, PL_HASH_BYTES) != 0 ||
        pb->u.settlement.kind != b->u.settlement.kind ||
        pb->u.settlement.agreed != b->u.settlement.agreed ||
        pb->u.settlement.paid != b->u.settlement.paid ||
        pb->u.settlement.forgiveness != b->u.settlement.forgiveness)
        return PL_E_SETTLEMENT;
    /* step 4: a withdrawn proposal cannot be accepted */
    for (size_t a = 0; a < c->settle_withdraws.n; a++) {
        size_t q = c->settle_withdraws.v[a];
        if (saw(c, e, q) &&
            memcmp(B(c, q)->u.settlement_withdraw.settlement, c->e[j].id, PL_ID_BYTES) == 0)
            return PL_E_WITHDRAWN;
    }
    return PL_OK;
}

/* PL_T_SETTLEMENT_WITHDRAW: its own rules. */
static int rule_settlement_withdraw(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    long j = -1;
    (void)h;
    /* SPEC §13.25 (v2): a party withdraws its own party's proposal */
    if (e->role != PL_ROLE_VICTIM && side != PL_SIDE_DEFENSE)
        return PL_E_ROLE;
    if ((j = seen_valid(c, e, b->u.settlement_withdraw.settlement, PL_T_SETTLEMENT)) < 0 ||
        B(c, (size_t)j)->u.settlement.has_accepts)
        return PL_E_TARGET;
    if (!same_party(c->e[j].role, e->role))
        return PL_E_SETTLEMENT;
    /* a made settlement is not withdrawn: its past holds an acceptance */
    for (size_t a = 0; a < c->settlements.n; a++) {
        size_t q = c->settlements.v[a];
        if (saw(c, e, q) && B(c, q)->u.settlement.has_accepts &&
            memcmp(B(c, q)->u.settlement.accepts, c->e[j].id, PL_ID_BYTES) == 0)
            return PL_E_SETTLEMENT;
    }
    return PL_OK;
}

/* PL_T_JUDGMENT: its own rules. */
static int rule_judgment(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    /* SPEC §13.23 (v2): either side records the court's judgment; one
     * judgment per case, and "adopted" only of a final agreement */
    long p, s, k;
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    for (size_t a = 0; a < c->judgments.n; a++) {
        size_t q = c->judgments.v[a];
        if (saw(c, e, q) && memcmp(H(c, q).body_hash, h->body_hash, PL_HASH_BYTES) != 0 &&
            (c->e[q].role == e->role || judgment_confirmed(c, e, q)))
            return PL_E_AFTER_JUDGMENT;
    }
    if (b->u.judgment.adopted && !find_final(c, e, e->round, &p, &s, &k))
        return PL_E_NOT_FINAL;
    return PL_OK;
}

/* PL_T_DISCLOSE: its own rules. */
static int rule_disclose(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    (void)c, (void)h, (void)side;
    /* SPEC §13.12 R7 */
    return e->role == PL_ROLE_PROSECUTION ? PL_OK : PL_E_ROLE;
}

/* PL_T_DISCLOSE_ACK: its own rules. */
static int rule_disclose_ack(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h;
    if (side != PL_SIDE_DEFENSE)
        return PL_E_ROLE;
    return seen_valid(c, e, b->u.disclose_ack.disclosure, PL_T_DISCLOSE) >= 0 ? PL_OK : PL_E_TARGET;
}

/* PL_T_SESSION_PROPOSE: its own rules. */
static int rule_session_propose(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    long by;
    (void)h;
    /* SPEC §13.11 R6: either side proposes. */
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    return round_ended(c, e, e->round, &by) == PL_OK ? PL_OK : PL_E_ENDED;
}

/* PL_T_SESSION_ACCEPT and PL_T_SESSION_DECLINE: their own rules. */
static int rule_session_answer(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    long j = -1, by;
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    if ((j = seen_valid(c, e, b->u.session_answer.proposal, PL_T_SESSION_PROPOSE)) < 0)
        return PL_E_TARGET;
    /* R6: only the other side fixes (or refuses) a session. */
    if (pl_role_side(c->e[j].role) == side)
        return PL_E_SAME_SIDE;
    if (h->type == PL_T_SESSION_ACCEPT && round_ended(c, e, e->round, &by) != PL_OK)
        return PL_E_ENDED;
    for (size_t a = 0; a < c->answers.n; a++) {
        size_t k = c->answers.v[a];
        if (saw(c, e, k) && memcmp(B(c, k)->u.session_answer.proposal,
                                   b->u.session_answer.proposal, PL_ID_BYTES) == 0)
            return PL_E_SESSION_STATE;
    }
    return PL_OK;
}

/* PL_T_RECORDING: its own rules. */
static int rule_recording(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h;
    /* SPEC §13.17 R12: a side anchors a recording of a fixed session. */
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    for (size_t a = 0; a < c->answers.n; a++) {
        size_t k = c->answers.v[a];
        if (saw(c, e, k) && H(c, k).type == PL_T_SESSION_ACCEPT &&
            memcmp(B(c, k)->u.session_answer.proposal, b->u.recording.session, PL_ID_BYTES) == 0)
            return PL_OK;
    }
    return PL_E_RECORDING;
}

/* PL_T_OBSERVATION: its own rules. */
static int rule_observation(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h, (void)side;
    if (e->role != PL_ROLE_OBSERVER)
        return PL_E_ROLE;
    if (b->u.observation.has_regarding && seen(c, e, b->u.observation.regarding) < 0)
        return PL_E_TARGET;
    return PL_OK;
}

/* PL_T_ATTESTATION: its own rules. */
static int rule_attestation(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    (void)side;
    /* SPEC §13.13: an attestation names, in its references, the heads
     * the observer verified; never older ones than its last attestation. */
    if (e->role != PL_ROLE_OBSERVER)
        return PL_E_ROLE;
    for (size_t a = c->attestations.n; a-- > 0;) {
        size_t k = c->attestations.v[a];
        if (!saw(c, e, k) || memcmp(H(c, k).author, h->author, PL_PK_BYTES) != 0)
            continue;
        if (!refs_cover(c, e, &c->e[k]))
            return PL_E_ATTESTATION;
        break; /* the latest earlier attestation is enough */
    }
    return PL_OK;
}

/* PL_T_DRAW_COMMIT and PL_T_DRAW_REVEAL: their own rules. */
static int rule_draw(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    /* SPEC §13.13 R8: commit, see the other side's commitment, reveal. */
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    if (B(c, (size_t)c->charter)->u.charter.npool == 0)
        return PL_E_DRAW;
    return draw_steps(c, e, h->type, b, side);
}

/* PL_T_PARTICIPANTS: its own rules. */
static int rule_participants(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h;
    /* SPEC §13.18: a side changes its own people; the victim's may be
     * changed by either; the other side consents by signing the same. */
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    for (size_t a = 0; a < b->u.participants.nadd; a++) {
        const pl_participant *p = &b->u.participants.add[a];
        int retired = 0;
        /* v2: nor a key retired in m's past — seating it again would
         * contest, and so void, the change that first seated it */
        if (role_at_ex(c, e, p->key, &retired, NULL) != PL_ROLE_NONE || retired ||
            p->role == PL_ROLE_OBSERVER || in_pool(c, p->key))
            return PL_E_KEY;
        /* exactly one suspect (SPEC §13.2): a new suspect key comes by
         * rotation or replacement, never as a second suspect */
        if (p->role == PL_ROLE_SUSPECT)
            return PL_E_PARTICIPANTS;
        if (!may_change(side, p->role) && !change_seconds(c, e))
            return PL_E_PARTICIPANTS;
        /* SPEC §13.18 *Acceptance* (v2): the added key's own word */
        if (p->has_accept && pl_seat_add_verify(c->case_id, p->key, p->role, p->accept) != PL_OK)
            return PL_E_SEAT;
    }
    for (size_t a = 0; a < b->u.participants.nremove; a++) {
        pl_role r = role_at(c, e, b->u.participants.remove[a]);
        if (r == PL_ROLE_NONE)
            return PL_E_KEY;
        /* the one suspect key changes hands only by its holder's
         * rotation or a replacement it accepts (SPEC §13.18, v2) */
        if (r == PL_ROLE_SUSPECT)
            return PL_E_PARTICIPANTS;
        if (!may_change(side, r) && !change_seconds(c, e))
            return PL_E_PARTICIPANTS;
    }
    return PL_OK;
}

/* PL_T_KEY_ROTATE: its own rules. */
static int rule_key_rotate(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    (void)h, (void)side;
    /* the new key is fresh as far as the rotation had seen: no role,
     * no message of its own in the rotation's past */
    int na = author_index(c, b->u.key_rotate.new_key);
    if (role_at(c, e, b->u.key_rotate.new_key) != PL_ROLE_NONE || (na >= 0 && vv_at(e, na) > 0) ||
        in_pool(c, b->u.key_rotate.new_key))
        return PL_E_KEY; /* v2: a pool key is the draw's, never seated */
    return PL_OK;
}

/* PL_T_KEY_REPLACE: its own rules. */
static int rule_key_replace(const pl_case *c, struct entry *e, const struct hv *h, pl_side side)
{
    const pl_body *b = &e->body;
    long j = -1;
    (void)h;
    if (side == PL_SIDE_NONE)
        return PL_E_ROLE;
    pl_role old = role_at(c, e, b->u.key_replace.old_key);
    if (old == PL_ROLE_NONE || role_at(c, e, b->u.key_replace.new_key) != PL_ROLE_NONE ||
        in_pool(c, b->u.key_replace.new_key))
        return PL_E_KEY;
    /* SPEC §13.18 (v2): a suspect's or counsel's key is replaced by the
     * prosecution and the other defense role, with the new key's
     * acceptance given in a fixed session; never by the old key, nor
     * by a second counsel standing in for the suspect. */
    if (old == PL_ROLE_SUSPECT || old == PL_ROLE_COUNSEL) {
        pl_role other = old == PL_ROLE_SUSPECT ? PL_ROLE_COUNSEL : PL_ROLE_SUSPECT;
        if (e->role != PL_ROLE_PROSECUTION && e->role != other)
            return PL_E_SEAT;
        if (!b->u.key_replace.has_session || !b->u.key_replace.has_accept)
            return PL_E_SEAT;
    }
    if (b->u.key_replace.has_session) {
        if ((j = seen_valid(c, e, b->u.key_replace.session, PL_T_SESSION_PROPOSE)) < 0)
            return PL_E_TARGET;
        if (!session_fixed(c, e, (size_t)j))
            return PL_E_SEAT;
    }
    if (b->u.key_replace.has_accept && b->u.key_replace.has_session &&
        pl_seat_accept_verify(c->case_id, b->u.key_replace.old_key,
                              b->u.key_replace.new_key, b->u.key_replace.session,
                              b->u.key_replace.accept) != PL_OK)
        return PL_E_SEAT;
    if (b->u.key_replace.has_accept != b->u.key_replace.has_session)
        return PL_E_SEAT; /* an acceptance names its session */
    return PL_OK;
}


/* ---- quotas (SPEC §13.22, R14) ------------------------------------------------------------- */

/* The author's message before e in its chain, or NULL. */
static const struct entry *chain_prev(const pl_case *c, const struct entry *e)
{
    uint64_t seq = e->seq;
    const struct author *au = &c->authors[e->author];
    if (seq < 2 || au->nchain < seq - 1)
        return NULL;
    return &c->e[au->chain[seq - 2]];
}

/* Whether a valid message e is one of the acts that decide or end a case,
 * the first of its kind for its author (SPEC §13.22): those are never
 * counted, so no volume, its author's own included, can block them. Only
 * the author's own earlier messages decide it: for a response, the
 * responses to its input; otherwise its chain, walked back (an observer's
 * previous attestation is nearly always its previous message). */
static int first_act(const pl_case *c, const struct entry *e)
{
    const struct hv hh = HE(c, e), *h = &hh;
    const pl_body *b = &e->body;
    switch (h->type) {
    case PL_T_RESPONSE: {
        long in = pl_case_find(c, b->u.response.answers);
        for (size_t a = 0; in >= 0 && a < c->e[in].nresp; a++) {
            const struct entry *x = &c->e[c->e[in].resp[a]];
            if (x != e && x->author == e->author && x->seq < h->seq)
                return 0;
        }
        return 1;
    }
    case PL_T_KEY_ROTATE:
        return 1; /* bounded by the seat's rotations (quota below) */
    case PL_T_SIGN:
    case PL_T_WITHDRAW:
    case PL_T_CLOSE:
    case PL_T_RETRACT:
    case PL_T_COURT_ADJUST:
    case PL_T_REOPEN:
    case PL_T_ATTESTATION:
    case PL_T_JUDGMENT:
        break;
    default:
        return 0;
    }
    const struct author *au = &c->authors[e->author];
    for (size_t k = h->seq - 1 < au->nchain ? h->seq - 1 : au->nchain; k-- > 0;) {
        const struct entry *x = &c->e[au->chain[k]];
        const pl_body *xb = &x->body;
        if (x->verdict != PL_OK || x->type != h->type)
            continue;
        switch (h->type) {
        case PL_T_SIGN:
            if (memcmp(xb->u.sign.offer, b->u.sign.offer, PL_ID_BYTES) == 0)
                return 0;
            break;
        case PL_T_WITHDRAW:
            if (xb->u.withdraw.has_offer == b->u.withdraw.has_offer &&
                (b->u.withdraw.has_offer
                     ? memcmp(xb->u.withdraw.offer, b->u.withdraw.offer, PL_ID_BYTES) == 0
                     : x->round == e->round))
                return 0;
            break;
        case PL_T_ATTESTATION: {
            /* its latest earlier attestation: e must name a newer head */
            return !refs_cover(c, x, e);
        }
        default: /* close, retract, court adjustment: one per round */
            if (x->round == e->round)
                return 0;
            break;
        }
    }
    return 1;
}

/* SPEC §13.22 (v2): the valid rotation in e's past that handed e's
 * author its seat, or NULL. A rotation is its holder's own act, so the key
 * it seats continues the seat's counts instead of opening fresh ones. */
static const struct entry *seat_rotation(const pl_case *c, const struct entry *e)
{
    const uint8_t *pk = c->authors[e->author].pk;
    for (size_t b = 0; b < c->rotates.n; b++) {
        size_t j = c->rotates.v[b];
        if (memcmp(B(c, j)->u.key_rotate.new_key, pk, PL_PK_BYTES) == 0 && saw(c, e, j) &&
            !contested(c, pk))
            return &c->e[j];
    }
    return NULL;
}

/* SPEC §13.22: e's verdict v, or PL_E_QUOTA when e is counted and its
 * seat's counted messages before it, or their bytes with it, exceed the
 * quota, or e is a rotation beyond the seat's PL_QUOTA_ROTATIONS. Sets
 * e's counts. */
static int quota(const pl_case *c, struct entry *e, int v)
{
    const struct entry *p = chain_prev(c, e);
    uint32_t used = p ? p->used : 0, rot = p ? p->rotations : 0;
    uint64_t bytes = p ? p->used_bytes : 0;
    uint64_t acts = p ? p->act_bytes : 0;
    int seated = p && p->seated;
    if (!seated) {
        const struct entry *r = seat_rotation(c, e);
        if (r != NULL) {
            /* r is an act of the seat's previous key: its counts are the
             * seat's up to the rotation, its own bytes included */
            used += r->used, bytes += r->used_bytes, acts += r->act_bytes;
            rot = r->rotations, seated = 1;
        }
    }
    size_t len;
    len = e->len;
    int is_rot = e->type == PL_T_KEY_ROTATE;
    /* a rotation to a contested key is void (SPEC §13.18): no act, and no
     * rotation of the seat */
    int void_rot = is_rot && e->body_rc == PL_OK && contested(c, e->body.u.key_rotate.new_key);
    /* one participant adds at most PL_QUOTA_ROTATIONS keys to the case's
     * authors on its own (SPEC §6.7's table is shared by everyone) */
    if (is_rot && v == PL_OK && rot >= PL_QUOTA_ROTATIONS)
        v = PL_E_QUOTA;
    int act = v == PL_OK && !void_rot && first_act(c, e);
    /* acts have a byte budget of their own, so that no act's text, nor
     * another's volume, uses up the other */
    if (act && acts + len > PL_QUOTA_BYTES)
        act = 0, v = PL_E_QUOTA;
    int counted = !act;
    if (counted && v != PL_E_EQUIVOCATED &&
        (used >= PL_QUOTA_MESSAGES || bytes + len > PL_QUOTA_BYTES))
        v = PL_E_QUOTA;
    e->used = used + (counted != 0);
    e->used_bytes = bytes + (counted ? len : 0);
    e->act_bytes = acts + (act ? len : 0);
    e->rotations = rot + (is_rot && v == PL_OK && !void_rot);
    e->seated = seated;
    return v;
}

static int judge_quota(pl_case *c, struct entry *e)
{
    return quota(c, e, judge(c, e));
}

int pl_case_usage(const pl_case *c, const uint8_t author[PL_PK_BYTES], uint32_t *messages,
                  uint64_t *bytes)
{
    int a = c ? author_index(c, author) : -1;
    *messages = 0, *bytes = 0;
    if (a < 0 || c->authors[a].nchain == 0)
        return PL_OK;
    const struct entry *last = &c->e[c->authors[a].chain[c->authors[a].nchain - 1]];
    *messages = last->used, *bytes = last->used_bytes;
    return PL_OK;
}

/* ---- adding ----------------------------------------------------------------------------- */

static int rejudge(pl_case *c);

pl_case *pl_case_new_flags(const uint8_t case_id[PL_CASE_ID_BYTES], unsigned flags)
{
    if (flags & ~(unsigned)PL_CASE_LEAN)
        return NULL;
    pl_case *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    memcpy(c->case_id, case_id, PL_CASE_ID_BYTES);
    c->charter = -1;
    c->flags = flags;
    return c;
}

unsigned pl_case_flags(const pl_case *c)
{
    return c ? c->flags : 0;
}

pl_case *pl_case_new(const uint8_t case_id[PL_CASE_ID_BYTES])
{
    return pl_case_new_flags(case_id, 0);
}

void pl_case_destroy(pl_case **cp)
{
    if (cp == NULL || *cp == NULL)
        return;
    pl_case *c = *cp;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->sub) {
            pl_msg_destroy(&c->e[i].m);
            pl_body_free(&c->e[i].body);
        }
        free(c->e[i].resp);
        free(c->e[i].vv);
        free(c->e[i].ref);
        free(c->e[i].stp);
    }
    struct list *l[NLISTS];
    all_lists(c, l);
    for (size_t i = 0; i < NLISTS; i++)
        free(l[i]->v);
    for (size_t a = 0; a < c->capauthors; a++)
        free(c->authors[a].chain);
    free(c->authors);
    free(c->e);
    free(c->tab);
    free(c->contested);
    free(c->any_reveals.v);
    free(c);
    *cp = NULL;
}

/* Fills e for m: its header's facts, author, body, version vector and
 * round from its predecessors (which must all be present). Does not
 * judge. With from (a sub-case's entry of pc, m NULL), all of it comes
 * from from, whose body is borrowed, not decoded again: a lean case has
 * no message to decode. */
static int prepare_from(pl_case *c, const pl_msg *m, struct entry *e, const pl_case *pc,
                        const struct entry *from)
{
    const pl_header *h = from ? NULL : pl_msg_header(m);
    size_t blen = 0;
    const uint8_t *body = from ? NULL : pl_msg_body(m, &blen);
    const uint8_t *author = from ? pc->authors[from->author].pk : h->author;
    uint64_t seq = from ? from->seq : h->seq;

    memset(e, 0, sizeof *e);
    if (from == NULL && memcmp(h->case_id, c->case_id, PL_CASE_ID_BYTES) != 0)
        return PL_E_CASE;
    int a = author_index(c, author);
    if (a < 0) {
        if (c->nauthors == PL_CASE_MAX_AUTHORS)
            return PL_E_AUTHOR_LIMIT;
        a = (int)c->nauthors; /* reserved; committed only on add */
        memcpy(c->authors[a].pk, author, PL_PK_BYTES); /* HE reads it */
    }
    /* SPEC §13.4: the past is the union of the predecessors' pasts. */
    long preds[PL_MAX_REFS + 1];
    size_t np = 0;
    if (seq > 1) {
        if ((size_t)a == c->nauthors || c->authors[a].head != seq - 1)
            return PL_E_UNRESOLVED;
        if ((preds[np++] = pl_case_find(c, from ? pc->e[from->prev].id : h->prev)) < 0)
            return PL_E_UNRESOLVED;
        e->prev = (uint32_t)preds[0];
    } else if ((size_t)a < c->nauthors && c->authors[a].head >= 1) {
        return PL_E_UNRESOLVED; /* a second seq 1: the verifier's business */
    }
    size_t nref = from ? from->nref : h->nrefs;
    for (size_t r = 0; r < nref; r++)
        if ((preds[np++] = pl_case_find(c, from ? pc->e[from->ref[r]].id : h->refs[r].id)) < 0)
            return PL_E_UNRESOLVED;
    e->nvv = (uint32_t)((size_t)a + 1 > c->nauthors ? (size_t)a + 1 : c->nauthors);
    if ((e->vv = calloc(e->nvv, sizeof *e->vv)) == NULL)
        return PL_E_NOMEM;
    if (nref > 0 && (e->ref = malloc(nref * sizeof *e->ref)) == NULL) {
        free(e->vv);
        e->vv = NULL;
        return PL_E_NOMEM;
    }
    e->nref = (uint32_t)nref;
    for (size_t r = 0; r < nref; r++)
        e->ref[r] = (uint32_t)preds[np - nref + r];
    for (size_t p = 0; p < np; p++) {
        const struct entry *pe = &c->e[preds[p]];
        for (size_t k = 0; k < pe->nvv; k++)
            if (pe->vv[k] > e->vv[k])
                e->vv[k] = pe->vv[k];
        if (pe->after > e->round)
            e->round = pe->after;
    }
    e->vv[a] = seq;
    e->author = a;
    e->seq = seq;
    if (from != NULL) {
        memcpy(e->id, from->id, PL_ID_BYTES);
        memcpy(e->body_hash, from->body_hash, PL_HASH_BYTES);
        e->type = from->type, e->len = from->len, e->timestamp_ms = from->timestamp_ms;
        e->m = from->m; /* borrowed: NULL when the parent is lean */
        e->body = from->body, e->body_rc = from->body_rc;
    } else {
        size_t len;
        (void)pl_msg_bytes(m, &len);
        memcpy(e->id, pl_msg_id(m), PL_ID_BYTES);
        memcpy(e->body_hash, h->body_hash, PL_HASH_BYTES);
        e->type = (uint32_t)h->type, e->len = (uint32_t)len, e->timestamp_ms = h->timestamp_ms;
        e->m = (pl_msg *)m; /* borrowed until committed */
        e->body_rc = pl_body_decode(h->type, body, blen, &e->body);
    }
    return PL_OK;
}

static int prepare(pl_case *c, const pl_msg *m, struct entry *e)
{
    return prepare_from(c, m, e, NULL, NULL);
}

static int index_entry(pl_case *c, size_t i)
{
    struct entry *e = &c->e[i];
    uint64_t t = H(c, i).type;
    if (t == PL_T_KEY_REPLACE && e->body_rc == PL_OK && list_push(&c->replaces, i) != PL_OK)
        return PL_E_NOMEM;
    if (e->verdict != PL_OK)
        return PL_OK;
    if (t == PL_T_CHARTER)
        c->charter = (long)i;
    if ((t == PL_T_JOIN || t == PL_T_CHARTER) && c->authors[e->author].join1 == 0)
        c->authors[e->author].join1 = i + 1;
    if (t == PL_T_JOIN && e->stands && list_push(&c->standing, i) != PL_OK)
        return PL_E_NOMEM;
    if (is_input(c, i) && list_push(&c->inputs, i))
        return PL_E_NOMEM;
    if (t == PL_T_RESPONSE) {
        long in = pl_case_find(c, e->body.u.response.answers);
        if (in >= 0) {
            struct list l = {c->e[in].resp, c->e[in].nresp, c->e[in].capresp};
            if (list_push(&l, i) != PL_OK)
                return PL_E_NOMEM;
            c->e[in].resp = l.v, c->e[in].nresp = l.n, c->e[in].capresp = l.cap;
        }
    }
    struct list *l = NULL;
    switch (t) {
    case PL_T_RESPONSE: l = &c->responses; break;
    case PL_T_SIGN: l = &c->signs; break;
    case PL_T_OFFER: l = &c->offers; break;
    case PL_T_WITHDRAW: l = &c->withdraws; break;
    case PL_T_CLOSE: l = &c->closes; break;
    case PL_T_SESSION_PROPOSE: l = &c->proposals; break;
    case PL_T_SESSION_ACCEPT:
    case PL_T_SESSION_DECLINE: l = &c->answers; break;
    case PL_T_DISCLOSE: l = &c->disclosures; break;
    case PL_T_DRAW_COMMIT: l = &c->commits; break;
    case PL_T_DRAW_REVEAL: l = &c->reveals; break;
    case PL_T_PARTICIPANTS:
    case PL_T_KEY_ROTATE:
    case PL_T_KEY_REPLACE: l = &c->changes; break;
    case PL_T_ATTESTATION: l = &c->attestations, c->authors[e->author].natt++; break;
    case PL_T_JUDGMENT: l = &c->judgments; break;
    case PL_T_NOTICE_ACK: l = &c->notice_acks; break;
    case PL_T_SETTLEMENT: l = &c->settlements; break;
    case PL_T_CONSENT: l = &c->consents; break;
    case PL_T_SETTLEMENT_WITHDRAW: l = &c->settle_withdraws; break;
    case PL_T_INTERPRETATION: l = &c->interpretations; break;
    default: break;
    }
    /* SPEC §13.16 (v2): the openers; a court adjustment opens nothing */
    e->after = e->round + (t == PL_T_RETRACT || t == PL_T_REOPEN);
    if (l && list_push(l, i) != PL_OK)
        return PL_E_NOMEM;
    if (t == PL_T_KEY_ROTATE && list_push(&c->rotates, i) != PL_OK)
        return PL_E_NOMEM;
    /* SPEC §13.18 (v2): the message that completes a change of a defense
     * seat opens a new round, unless the round had ended in its view: no
     * agreement completes in the round in which a seat changed hands. */
    long by;
    if ((t == PL_T_KEY_REPLACE || t == PL_T_PARTICIPANTS) && seat_of(c, i) != PL_ROLE_NONE &&
        change_complete(c, e, 1, i) && round_ended(c, e, e->round, &by) == PL_OK)
        e->after = e->round + 1;
    return PL_OK;
}

/* Whether draw-reveals (of any verdict) in e's past number at least two:
 * a join before that cannot stand (SPEC §13.13 *Standing joins*). */
static int reveals_seen(const pl_case *c, const struct entry *e)
{
    size_t n = 0;
    for (size_t a = 0; a < c->any_reveals.n && n < 2; a++)
        n += saw(c, e, c->any_reveals.v[a]);
    return n >= 2;
}

/* The pairs of L(J) kept on J's entry, best first, with the case's
 * indices of their messages and whether each draws J's author. */
struct stlist {
    pl_case *c;       /* the case J is added to */
    struct entry *e;  /* J */
    const uint8_t *author;
    size_t cap;
};

static int keep_stpair(void *ctx, const pl_case *s, const struct pair *q)
{
    struct stlist *sl = ctx;
    struct entry *e = sl->e;
    const size_t ids[4] = {q->p, q->d, q->pc, q->dc};
    long at[4];
    for (int k = 0; k < 4; k++)
        if ((at[k] = pl_case_find(sl->c, s->e[ids[k]].id)) < 0)
            return 0; /* unreachable: the past is the case's */
    if (e->nstp == sl->cap) {
        size_t nc = sl->cap ? 2 * sl->cap : 4;
        struct stpair *g = realloc(e->stp, nc * sizeof *g);
        if (g == NULL)
            return PL_E_NOMEM;
        e->stp = g, sl->cap = nc;
    }
    uint8_t obs[PL_PK_BYTES];
    draw_result(s, q->round, q->p, q->d, obs);
    struct stpair *n = &e->stp[e->nstp];
    n->round = q->round;
    n->p = (size_t)at[0], n->d = (size_t)at[1], n->pc = (size_t)at[2], n->dc = (size_t)at[3];
    n->draws = memcmp(obs, sl->author, PL_PK_BYTES) == 0;
    /* best first: as §13.13 ranks pairs */
    for (size_t k = e->nstp++; k > 0; k--) {
        if (outranks(sl->c, e->stp[k - 1].round, e->stp[k - 1].p, e->stp[k - 1].d,
                     e->stp[k].round, e->stp[k].p, e->stp[k].d))
            break;
        struct stpair t = e->stp[k - 1];
        e->stp[k - 1] = e->stp[k], e->stp[k] = t;
    }
    return 0;
}

/* SPEC §13.13 *Standing joins* (v2): for e, a join by a key of the pool
 * that is its author's first join with two reveals in its past, judges
 * the log made of exactly e's past, with no proof (L(J)), and keeps its
 * counting pairs, best first, with whether each draws e's author. All of
 * it is a fact of e's past, the same on every node that holds e; whether
 * e stands then depends only on which pairs the receiver's proofs void
 * (stands_now). PL_E_NOMEM, or PL_OK. */
static int add_from(pl_case *c, const pl_msg *m, const pl_case *from_case,
                    const struct entry *from);

static int standing_of(pl_case *c, struct entry *e)
{
    const struct hv hh = HE(c, e), *h = &hh;
    e->stands = 0, e->stp = NULL, e->nstp = 0;
    if (c->sub || c->charter < 0 || h->type != PL_T_JOIN || e->body_rc != PL_OK ||
        !in_pool(c, h->author) || !reveals_seen(c, e))
        return PL_OK;
    if ((size_t)e->author < c->nauthors && c->authors[e->author].first_rj)
        return PL_OK; /* not its author's first such join */
    pl_case *s = pl_case_new(c->case_id);
    if (s == NULL)
        return PL_E_NOMEM;
    s->sub = 1;
    for (size_t i = 0; i < c->n; i++) {
        if (!saw(c, e, i))
            continue;
        size_t before = s->n;
        int rc = add_from(s, NULL, c, &c->e[i]);
        if (rc == PL_E_NOMEM) {
            pl_case_destroy(&s);
            return PL_E_NOMEM;
        }
        if (s->n != before + 1) {
            /* L(J) cannot hold the past within §13.4's limits (a change
             * the proofs void here can retire keys that never spoke,
             * which count as authors there): J does not stand */
            pl_case_destroy(&s);
            return PL_OK;
        }
    }
    /* every counting pair of L(J), ranked as §13.13 ranks them */
    struct stlist sl = {c, e, h->author, 0};
    int rc = each_pair(s, NULL, keep_stpair, &sl);
    pl_case_destroy(&s);
    if (rc != 0) {
        free(e->stp), e->stp = NULL, e->nstp = 0;
        return PL_E_NOMEM;
    }
    return PL_OK;
}

/* SPEC §13.13 *Standing joins*: whether a message of the case is void by
 * a proof the receiver holds (§13.14). */
static int proof_voided(const pl_case *c, size_t x)
{
    const struct author *au = &c->authors[c->e[x].author];
    return au->void_from != 0 && H(c, x).seq >= au->void_from;
}

/* SPEC §13.13 *Standing joins*: e stands when a pair of its past judged
 * alone draws its author and every pair ranked above it has a message a
 * proof voids; its standing pair is the best such. */
static void stands_now(const pl_case *c, struct entry *e)
{
    e->stands = 0;
    for (size_t k = 0; k < e->nstp; k++) {
        const struct stpair *q = &e->stp[k];
        if (q->draws) {
            e->stands = 1, e->st = (uint32_t)k;
            return;
        }
        if (!proof_voided(c, q->p) && !proof_voided(c, q->d) && !proof_voided(c, q->pc) &&
            !proof_voided(c, q->dc))
            return; /* a pair above that still counts draws someone else */
    }
}

static int grow(pl_case *c)
{
    /* SPEC §13.4: the limit holds whatever the capacity. */
    if (c->n >= PL_CASE_MAX_MESSAGES)
        return PL_E_TOO_BIG;
    if (c->n < c->cap)
        return PL_OK;
    /* by half again, from 16: a node holds many small cases (issue 17) */
    size_t cap = c->cap ? c->cap + c->cap / 2 : 16;
    struct entry *g = realloc(c->e, cap * sizeof *g);
    if (g == NULL)
        return PL_E_NOMEM;
    c->e = g, c->cap = cap;
    return PL_OK;
}

/* Undoes prepare (and the copy of the message) for an entry not added. */
static void entry_drop(const pl_case *c, struct entry *e, int copied)
{
    if (!c->sub) {
        pl_body_free(&e->body);
        if (copied)
            pl_msg_destroy(&e->m);
    }
    free(e->vv);
    free(e->ref);
    free(e->stp);
}

/* pl_case_add; from, in a sub-case (standing_of), is the parent's entry
 * of m, whose message and body the sub-case borrows. */
static int add_from(pl_case *c, const pl_msg *m, const pl_case *from_case,
                    const struct entry *from)
{
    int rc;
    long have = pl_case_find(c, from ? from->id : pl_msg_id(m));
    if (have >= 0)
        return c->e[have].verdict; /* a duplicate: the verdict it already has */
    if ((rc = grow(c)) != PL_OK || (rc = author_room(c, c->nauthors + 1)) != PL_OK)
        return rc;
    struct entry *e = &c->e[c->n];
    if ((rc = prepare_from(c, m, e, from_case, from)) != PL_OK)
        return rc;
    /* a sub-case borrows the parent's message; a lean case keeps none */
    int lean = (c->flags & PL_CASE_LEAN) && !c->sub;
    if (lean)
        e->m = NULL;
    if (e->body_rc == PL_E_NOMEM || standing_of(c, e) != PL_OK ||
        (!c->sub && !lean && (e->m = pl_msg_dup(m)) == NULL)) {
        entry_drop(c, e, 0);
        return PL_E_NOMEM; /* a local failure, never a verdict (SPEC §9.2) */
    }
    e->after = e->round;
    e->verdict = judge_quota(c, e);
    size_t i = c->n;
    struct author *au = &c->authors[e->author];
    /* room in its chain first: a failure here leaves no author half added */
    if (au->nchain == au->capchain) {
        size_t cap = au->capchain ? 2 * au->capchain : 16;
        size_t *g = realloc(au->chain, cap * sizeof *g);
        if (g == NULL) {
            entry_drop(c, e, 1);
            return PL_E_NOMEM;
        }
        au->chain = g, au->capchain = cap;
    }
    /* issue 17: judged, the body keeps what the rules read again */
    if (lean)
        pl_body_strip(&e->body);
    if ((size_t)e->author == c->nauthors)
        c->nauthors++; /* its key is in the slot since prepare */
    /* SPEC §13.18: does this message object to a replacement of its own
     * key that its author's previous message had not seen? */
    int objects = 0;
    const struct entry *before = au->nchain ? &c->e[au->chain[au->nchain - 1]] : NULL;
    for (size_t b = 0; b < c->replaces.n && !objects; b++) {
        size_t q = c->replaces.v[b];
        if (memcmp(B(c, q)->u.key_replace.old_key, au->pk, PL_PK_BYTES) != 0)
            continue;
        /* it saw the replacement first now, or it is a rotation by the old
         * key, which voids every replacement of it wherever it stands */
        objects = (saw(c, e, q) && (before == NULL || !saw(c, before, q))) ||
                  (e->type == PL_T_KEY_ROTATE && e->body_rc == PL_OK);
    }
    au->chain[au->nchain++] = i;
    au->head = e->seq;
    c->n++;
    /* SPEC §13.13 *Standing joins*: facts of the messages themselves,
     * kept through judging again */
    uint64_t tm = e->type;
    if (tm == PL_T_DRAW_REVEAL && e->body_rc == PL_OK && list_push(&c->any_reveals, i) != PL_OK)
        return PL_E_NOMEM;
    if (tm == PL_T_JOIN && e->body_rc == PL_OK && au->first_rj == 0 && reveals_seen(c, e))
        au->first_rj = i + 1;
    if (tab_insert(c, i) != PL_OK || index_entry(c, i) != PL_OK)
        return PL_E_NOMEM; /* the case is now incomplete; the caller rebuilds it */
    /* A removal or replacement that just became effective can retire a key
     * whose later messages were already judged, and an objection voids a
     * replacement others relied on: judge again. */
    uint64_t t = e->type;
    int seating = c->e[i].verdict == PL_OK &&
                  (t == PL_T_KEY_ROTATE || t == PL_T_KEY_REPLACE || t == PL_T_PARTICIPANTS);
    if (objects || (seating && t != PL_T_KEY_ROTATE && change_effective(c, NULL, i))) {
        if (rejudge(c) != PL_OK)
            return PL_E_NOMEM;
    } else if (seating) {
        /* SPEC §13.18 (v2): a second change seating one key voids both,
         * whichever arrived first: judge everything again */
        int contest = compute_contested(c);
        if (contest < 0 || (contest && rejudge(c) != PL_OK))
            return PL_E_NOMEM;
    }
    return c->e[i].verdict;
}

int pl_case_add(pl_case *c, const pl_msg *m)
{
    if (c == NULL || m == NULL)
        return PL_E_ARG;
    return add_from(c, m, NULL, NULL);
}

int pl_case_check(pl_case *c, const pl_msg *m)
{
    int rc;
    struct entry e;
    if (c == NULL || m == NULL)
        return PL_E_ARG;
    long have = pl_case_find(c, pl_msg_id(m));
    if (have >= 0)
        return c->e[have].verdict;
    if ((rc = author_room(c, c->nauthors + 1)) != PL_OK || (rc = prepare(c, m, &e)) != PL_OK)
        return rc;
    /* SPEC §13.13 *Standing joins* (v2) */
    if (standing_of(c, &e) != PL_OK) {
        entry_drop(c, &e, 0);
        return PL_E_NOMEM;
    }
    rc = judge_quota(c, &e);
    entry_drop(c, &e, 0);
    return rc;
}

/* SPEC §13.18: the cut of each key that an effective removal or
 * replacement retired: the highest seq of it that both signers of the
 * change had seen. Computed over the whole log. */
static int compute_cuts(pl_case *c)
{
    /* what the cuts were, to say whether they changed */
    struct {
        int has, has_rm;
        uint64_t cut, cut_rm;
    } was[PL_CASE_MAX_AUTHORS];
    size_t nwas = c->nauthors;
    for (size_t a = 0; a < c->nauthors; a++) {
        was[a].has = c->authors[a].has_cut, was[a].cut = c->authors[a].cut;
        was[a].has_rm = c->authors[a].has_cut_rm, was[a].cut_rm = c->authors[a].cut_rm;
        c->authors[a].has_cut = 0, c->authors[a].cut = 0, c->authors[a].has_cut_rm = 0,
        c->authors[a].cut_rm = 0;
    }
    for (size_t x = 0; x < c->changes.n; x++) {
        size_t j = c->changes.v[x];
        uint64_t t = H(c, j).type;
        if (t == PL_T_KEY_ROTATE)
            continue; /* the old key signed it: its own chain ends there */
        /* every valid carrier of an effective change bounds the cut: the
         * least of what each had seen of the retired key */
        if (!change_effective(c, NULL, j) ||
            (t == PL_T_KEY_REPLACE && replace_void(c, j)))
            continue;
        const pl_body *b = B(c, j);
        size_t nk = t == PL_T_KEY_REPLACE ? 1 : b->u.participants.nremove;
        for (size_t r = 0; r < nk; r++) {
            const uint8_t *pk = t == PL_T_KEY_REPLACE ? b->u.key_replace.old_key
                                                      : b->u.participants.remove[r];
            int a = author_index(c, pk);
            if (a < 0) {
                /* no message of the key here yet: all of them will be past
                 * the cut (neither signer had seen any), so record it now */
                if (c->nauthors == PL_CASE_MAX_AUTHORS)
                    continue;
                a = (int)c->nauthors++;
                memcpy(c->authors[a].pk, pk, PL_PK_BYTES);
            }
            uint64_t cut = vv_at(&c->e[j], a);
            struct author *au = &c->authors[a];
            if (!au->has_cut || cut < au->cut)
                au->cut = cut, au->has_cut = 1;
            if (t == PL_T_PARTICIPANTS && (!au->has_cut_rm || cut < au->cut_rm))
                au->cut_rm = cut, au->has_cut_rm = 1;
        }
    }
    int changed = c->nauthors != nwas;
    for (size_t a = 0; a < nwas && !changed; a++)
        changed = was[a].has != c->authors[a].has_cut ||
                  (was[a].has && was[a].cut != c->authors[a].cut) ||
                  was[a].has_rm != c->authors[a].has_cut_rm ||
                  (was[a].has_rm && was[a].cut_rm != c->authors[a].cut_rm);
    return changed;
}

static int rejudge_pass(pl_case *c);

/* SPEC §13.18: the passes of a judging again after the first, at most. */
#define PL_CASE_MAX_PASSES 8

/* Judges every message again, in the order added: what a late proof or a
 * late retirement changes (SPEC §13.14, §13.18) ripples through everything
 * after it. Without cuts first, then with the cuts that pass found. */
static int rejudge(pl_case *c)
{
    /* compute_cuts may add every key a change retires as an author (the
     * lists are rebuilt by the pass below: a proof can make a change valid) */
    if (author_room(c, PL_CASE_MAX_AUTHORS) != PL_OK)
        return PL_E_NOMEM;
    for (size_t a = 0; a < c->nauthors; a++)
        c->authors[a].has_cut = 0, c->authors[a].has_cut_rm = 0;
    c->ncontested = 0;
    int rc = rejudge_pass(c);
    if (rc != PL_OK)
        return rc;
    /* the whole log's facts, from the pass before: contested keys first
     * (a contested replacement cuts nothing), then the cuts; again until
     * they no longer change, since a contest decided can make another
     * change effective, which can contest another key (SPEC §13.18) */
    for (int pass = 0; pass < PL_CASE_MAX_PASSES; pass++) {
        int contest = compute_contested(c);
        if (contest < 0)
            return contest;
        if (!compute_cuts(c) && !contest)
            return PL_OK;
        if ((rc = rejudge_pass(c)) != PL_OK)
            return rc;
    }
    return PL_OK;
}

static int rejudge_pass(pl_case *c)
{
    struct list *l[NLISTS];
    all_lists(c, l);
    for (size_t i = 0; i < NLISTS; i++)
        l[i]->n = 0;
    c->charter = -1;
    for (size_t a = 0; a < c->nauthors; a++)
        c->authors[a].join1 = 0, c->authors[a].natt = 0;
    for (size_t i = 0; i < c->n; i++)
        c->e[i].nresp = 0;
    for (size_t i = 0; i < c->n; i++) {
        struct entry *e = &c->e[i];
        /* rounds are recomputed from the predecessors as on first add */
        e->round = 0;
        if (e->seq > 1 && c->e[e->prev].after > e->round)
            e->round = c->e[e->prev].after;
        for (uint32_t r = 0; r < e->nref; r++)
            if (c->e[e->ref[r]].after > e->round)
                e->round = c->e[e->ref[r]].after;
        e->after = e->round;
        e->role = PL_ROLE_NONE; /* judge sets it again, or leaves a voided message none */
        e->verdict = judge_quota(c, e);
        if (index_entry(c, i) != PL_OK)
            return PL_E_NOMEM;
    }
    return PL_OK;
}

int pl_case_add_proof(pl_case *c, const uint8_t *proof, size_t len)
{
    pl_equiv_info info;
    int rc = pl_equiv_proof_verify(proof, len, &info);
    if (rc != PL_OK)
        return rc;
    if (memcmp(info.case_id, c->case_id, PL_CASE_ID_BYTES) != 0)
        return PL_E_CASE;
    int a = author_index(c, info.author);
    if (a < 0) {
        if (c->nauthors == PL_CASE_MAX_AUTHORS)
            return PL_E_AUTHOR_LIMIT;
        if (author_room(c, c->nauthors + 2) != PL_OK)
            return PL_E_NOMEM;
        a = (int)c->nauthors++;
        memcpy(c->authors[a].pk, info.author, PL_PK_BYTES);
    }
    struct author *au = &c->authors[a];
    if (au->void_from != 0 && au->void_from <= info.seq)
        return PL_OK; /* already known from this seq or earlier */
    au->void_from = info.seq;
    c->nproofs++;
    return rejudge(c);
}

/* ---- queries ------------------------------------------------------------------------------- */

int pl_case_equivocator(const pl_case *c, size_t k, uint8_t pk[PL_PK_BYTES], uint64_t *void_from)
{
    if (c == NULL || pk == NULL || void_from == NULL)
        return 0;
    for (size_t a = 0; a < c->nauthors; a++)
        if (c->authors[a].void_from != 0 && k-- == 0) {
            memcpy(pk, c->authors[a].pk, PL_PK_BYTES);
            *void_from = c->authors[a].void_from;
            return 1;
        }
    return 0;
}

size_t pl_case_count(const pl_case *c)
{
    return c->n;
}

static int ref_order(const void *a, const void *b)
{
    return memcmp(((const pl_ref *)a)->author, ((const pl_ref *)b)->author, PL_PK_BYTES);
}

int pl_case_next_header(const pl_case *c, const uint8_t author[PL_PK_BYTES], uint64_t type,
                        uint64_t now_ms, pl_header *out)
{
    if (c == NULL || author == NULL || out == NULL)
        return PL_E_ARG;
    memset(out, 0, sizeof *out);
    out->version = PL_PROTOCOL_VERSION;
    memcpy(out->case_id, c->case_id, PL_CASE_ID_BYTES);
    memcpy(out->author, author, PL_PK_BYTES);
    out->type = type;
    out->seq = 1;
    uint64_t latest = 0;
    for (size_t a = 0; a < c->nauthors; a++) {
        const struct author *au = &c->authors[a];
        if (au->nchain == 0)
            continue; /* named by a proof only: nothing to refer to */
        const struct entry *head = &c->e[au->chain[au->nchain - 1]];
        if (memcmp(au->pk, author, PL_PK_BYTES) == 0) {
            /* SPEC §6.1: the next link of the author's own chain */
            out->seq = au->head + 1;
            out->has_prev = 1;
            memcpy(out->prev, head->id, PL_ID_BYTES);
            for (size_t k = 0; k < au->nchain; k++)
                if (H(c, au->chain[k]).timestamp_ms > latest)
                    latest = H(c, au->chain[k]).timestamp_ms;
            continue;
        }
        /* SPEC §6.2, §13.4: every other author's head */
        if (out->nrefs == PL_MAX_REFS)
            return PL_E_REFS;
        pl_ref *r = &out->refs[out->nrefs++];
        memcpy(r->author, au->pk, PL_PK_BYTES);
        r->seq = au->head;
        memcpy(r->id, head->id, PL_ID_BYTES);
    }
    qsort(out->refs, out->nrefs, sizeof out->refs[0], ref_order);
    /* SPEC §6.5: never before the author's previous message */
    out->timestamp_ms = now_ms > latest ? now_ms : latest;
    return PL_OK;
}

int pl_case_msg_info_get(const pl_case *c, size_t i, pl_case_msg_info *out)
{
    if (c == NULL || out == NULL || i >= c->n)
        return PL_E_ARG;
    const struct entry *e = &c->e[i];
    memcpy(out->id, e->id, PL_ID_BYTES);
    memcpy(out->author, c->authors[e->author].pk, PL_PK_BYTES);
    memcpy(out->body_hash, e->body_hash, PL_HASH_BYTES);
    out->seq = e->seq, out->type = e->type, out->len = e->len;
    out->timestamp_ms = e->timestamp_ms;
    return PL_OK;
}

const pl_msg *pl_case_msg(const pl_case *c, size_t i)
{
    return i < c->n ? c->e[i].m : NULL;
}

const pl_body *pl_case_body(const pl_case *c, size_t i)
{
    return i < c->n && c->e[i].body_rc == PL_OK ? &c->e[i].body : NULL;
}

int pl_case_verdict(const pl_case *c, size_t i)
{
    return i < c->n ? c->e[i].verdict : PL_E_ARG;
}

uint64_t pl_case_round(const pl_case *c, size_t i)
{
    return i < c->n ? c->e[i].round : 0;
}

pl_role pl_case_msg_role(const pl_case *c, size_t i)
{
    return i < c->n ? c->e[i].role : PL_ROLE_NONE;
}

int pl_case_is_input(const pl_case *c, size_t i)
{
    return i < c->n && is_input(c, i);
}

int pl_case_input_answered(const pl_case *c, size_t i)
{
    if (!pl_case_is_input(c, i))
        return -1;
    return answered(c, NULL, i);
}

/* ---- settlements (SPEC §13.25) --------------------------------------------------- */

int pl_case_settlement_made(const pl_case *c, size_t i, long *by)
{
    long dummy;
    if (by == NULL)
        by = &dummy;
    *by = -1;
    if (c == NULL || i >= c->n || H(c, i).type != PL_T_SETTLEMENT || c->e[i].verdict != PL_OK)
        return -1;
    if (B(c, i)->u.settlement.has_accepts) {
        *by = (long)i;
        return 1;
    }
    /* of several acceptances, the smallest id, so that every node names
     * the same one (SPEC §17.2) */
    for (size_t a = 0; a < c->settlements.n; a++) {
        size_t q = c->settlements.v[a];
        if (B(c, q)->u.settlement.has_accepts &&
            memcmp(B(c, q)->u.settlement.accepts, c->e[i].id, PL_ID_BYTES) == 0 &&
            (*by < 0 || memcmp(c->e[q].id, c->e[*by].id, PL_ID_BYTES) < 0))
            *by = (long)q;
    }
    return *by >= 0;
}

int pl_case_settlement_withdrawn(const pl_case *c, size_t i)
{
    if (c == NULL || i >= c->n)
        return 0;
    for (size_t a = 0; a < c->settle_withdraws.n; a++)
        if (memcmp(B(c, c->settle_withdraws.v[a])->u.settlement_withdraw.settlement, c->e[i].id,
                   PL_ID_BYTES) == 0)
            return 1;
    return 0;
}

unsigned pl_case_settled(const pl_case *c)
{
    unsigned facts = 0;
    if (c == NULL)
        return 0;
    /* an acceptance carries what both parties signed: it alone is read */
    for (size_t a = 0; a < c->settlements.n; a++) {
        const pl_body *b = B(c, c->settlements.v[a]);
        if (!b->u.settlement.has_accepts)
            continue;
        if (b->u.settlement.paid > 0)
            facts |= PL_GROUND_COMPENSATION;
        if (b->u.settlement.forgiveness)
            facts |= PL_GROUND_FORGIVENESS;
    }
    return facts;
}

int pl_case_settlement_warnings(const pl_case *c, size_t offer, unsigned *warn)
{
    unsigned all;
    int rc = pl_case_warnings(c, offer, &all); /* SPEC §13.25's part of §13.28's */
    if (warn != NULL)
        *warn = rc != PL_OK ? 0
                            : ((all & PL_WARN_COMPENSATION) ? PL_GROUND_COMPENSATION : 0) |
                                  ((all & PL_WARN_FORGIVENESS) ? PL_GROUND_FORGIVENESS : 0);
    return rc;
}

/* SPEC §13.28: the date (YYYYMMDD) in China Standard Time (UTC+8) of ms
 * since the epoch, by the proleptic Gregorian calendar (days to civil
 * date, era by era of 400 years). */
static uint64_t cst_date(uint64_t ms)
{
    int64_t z = (int64_t)((ms / 1000u + 8u * 3600u) / 86400u) + 719468;
    int64_t era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return (uint64_t)(y * 10000 + m * 100 + d); /* 64 bits: no wrap in any year */
}

/* SPEC §13.28: whether a person born on birth (YYYYMMDD) has turned n on
 * date (YYYYMMDD): from the day after the n-th birthday (the SPC's 2006
 * interpretation on minors, art. 2); a birthday of 29 February is 28
 * February in a year that is not a leap year. */
int pl_has_turned(uint32_t birth, unsigned n, uint64_t date)
{
    uint64_t y = birth / 10000 + n, md = birth % 10000;
    if (md == 229 && !pl_leap_year(y))
        md = 228;
    return date > y * 10000 + md;
}

int pl_case_warnings(const pl_case *c, size_t offer, unsigned *warn)
{
    pl_terms *t;
    const pl_body *b;
    const pl_participant *s;
    uint64_t day;
    int rc;
    if (warn == NULL)
        return PL_E_ARG;
    *warn = 0;
    if (c == NULL || offer >= c->n || H(c, offer).type != PL_T_OFFER || c->e[offer].body_rc != PL_OK)
        return PL_E_ARG;
    b = B(c, offer);
    if (b->u.offer.terms == NULL)
        return PL_E_ARG; /* a lean case keeps no terms bytes */
    if ((t = malloc(sizeof *t)) == NULL)
        return PL_E_NOMEM;
    rc = pl_terms_decode(b->u.offer.terms, b->u.offer.terms_len, t, NULL);
    if (rc != PL_OK) {
        free(t);
        return PL_E_ARG;
    }
    /* SPEC §13.25 */
    unsigned missing = t->grounds & ~pl_case_settled(c);
    if (missing & PL_GROUND_COMPENSATION)
        *warn |= PL_WARN_COMPENSATION;
    if (missing & PL_GROUND_FORGIVENESS)
        *warn |= PL_WARN_FORGIVENESS;
    /* SPEC §13.28: the age the charter's birth date gives at the offer */
    s = charter_suspect(c);
    day = cst_date(H(c, offer).timestamp_ms);
    int aged = s && s->birth && pl_has_turned(s->birth, 75, day);
    if (s && s->birth && !pl_has_turned(s->birth, 18, day) && !t->minor)
        *warn |= PL_WARN_MINOR;
    /* CL art. 72 ¶1: detention, or at most three years, shall be suspended
     * for a minor or a person of 75 when the conditions are met; never for
     * a recidivist or a ringleader (art. 74) */
    if ((t->penalty.kind == PL_PENALTY_DETENTION ||
         (t->penalty.kind == PL_PENALTY_IMPRISONMENT && t->penalty.max <= 36)) &&
        !t->has_probation && !t->recidivist && !t->ringleader && (t->minor || aged))
        *warn |= PL_WARN_PROBATION;
    free(t);
    return PL_OK;
}

const char *pl_warning_name(unsigned w)
{
    switch (w) {
    case PL_WARN_COMPENSATION: return "compensation";
    case PL_WARN_FORGIVENESS: return "forgiveness";
    case PL_WARN_PROBATION: return "probation";
    case PL_WARN_MINOR: return "minor";
    default: return "?";
    }
}

const char *pl_agreement_state_name(pl_agreement_state s)
{
    static const char *const names[] = {"none",   "pending", "final",   "retracted",
                                        "withdrawn", "closed", "reopened"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

void pl_case_status_get(const pl_case *c, pl_case_status *st)
{
    memset(st, 0, sizeof *st);
    st->offer = st->sign_prosecution = st->sign_suspect = st->sign_counsel = st->ended_by = -1;
    st->judgment = -1;
    st->court_request = -1;
    /* SPEC §13.20 step 7, §13.23: the confirmed judgment (of several, the
     * smallest body hash, so that every node names the same), else one
     * side's record */
    for (size_t a = 0; a < c->judgments.n; a++) {
        size_t j = c->judgments.v[a];
        int conf = judgment_confirmed(c, NULL, j);
        if (st->judgment >= 0 &&
            memcmp(H(c, j).body_hash, H(c, (size_t)st->judgment).body_hash, PL_HASH_BYTES) != 0)
            st->judgments_differ = 1;
        if (st->judgment < 0 || (conf && !st->judgment_confirmed) ||
            (conf == st->judgment_confirmed &&
             memcmp(H(c, j).body_hash, H(c, (size_t)st->judgment).body_hash, PL_HASH_BYTES) < 0))
            st->judgment = (long)j, st->judgment_confirmed = conf;
    }
    uint64_t r = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->e[i].after > r)
            r = c->e[i].after;
        if (c->e[i].verdict != PL_OK)
            st->violations++;
    }
    st->round = r;
    for (size_t a = 0; a < c->nauthors; a++)
        st->equivocations += c->authors[a].void_from != 0;
    for (size_t a = 0; a < c->inputs.n; a++)
        st->open_inputs += !answered(c, NULL, c->inputs.v[a]);

    long by;
    long p, s, k;
    if (find_final(c, NULL, r, &p, &s, &k)) {
        st->state = PL_AGREEMENT_FINAL;
        st->sign_prosecution = p, st->sign_suspect = s, st->sign_counsel = k;
        st->ended_by = s > k ? s : k;
        /* SPEC §13.20 item 8, §13.26 (v2): a minor's plea without a plea
         * statement, by the guardian's objection or the defender's */
        if (offer_minor(c, &c->e[p])) {
            int objects = 0;
            (void)guardian_said(c, &c->e[s], &objects);
            /* counsel's dissent: any counsel signature of the round that
             * names the offer, so that no arrival order decides */
            for (size_t a = 0; a < c->signs.n && !objects; a++) {
                size_t q = c->signs.v[a];
                objects = c->e[q].role == PL_ROLE_COUNSEL && c->e[q].round == r &&
                          B(c, q)->u.sign.has_dissent &&
                          memcmp(B(c, q)->u.sign.offer, B(c, (size_t)s)->u.sign.offer, PL_ID_BYTES) == 0;
            }
            st->no_statement = objects;
        }
    } else if (round_ended(c, NULL, r, &by) != PL_OK) {
        st->ended_by = by;
        if (H(c, (size_t)by).type == PL_T_WITHDRAW) {
            st->state = PL_AGREEMENT_WITHDRAWN;
            st->withdrawn_by = pl_role_side(c->e[by].role);
        } else {
            st->state = PL_AGREEMENT_CLOSED;
        }
    } else if (r > 0 && find_final(c, NULL, r - 1, &p, &s, &k)) {
        /* the previous round's agreement was retracted or sent back, and
         * nothing is signed yet in this one */
        /* SPEC §13.20 step 3.5: the suspect's retraction, else the
         * prosecution's reopen (the state reopened) */
        for (size_t i = 0; i < c->n; i++)
            if (c->e[i].after == r && c->e[i].round == r - 1 && c->e[i].verdict == PL_OK &&
                (H(c, i).type == PL_T_RETRACT ||
                 (H(c, i).type == PL_T_REOPEN &&
                  (st->ended_by < 0 || H(c, (size_t)st->ended_by).type != PL_T_RETRACT))))
                st->ended_by = (long)i;
        st->state = st->ended_by >= 0 && H(c, (size_t)st->ended_by).type == PL_T_REOPEN
                        ? PL_AGREEMENT_REOPENED
                        : PL_AGREEMENT_RETRACTED;
    }
    if (st->state == PL_AGREEMENT_NONE || st->state == PL_AGREEMENT_RETRACTED ||
        st->state == PL_AGREEMENT_REOPENED) {
        /* the most recent prosecution signature of the round, and who has
         * signed its terms since */
        for (size_t a = c->signs.n; a-- > 0;) {
            size_t i = c->signs.v[a];
            if (c->e[i].round != r || c->e[i].role != PL_ROLE_PROSECUTION)
                continue;
            st->sign_prosecution = (long)i;
            for (size_t b2 = 0; b2 < c->signs.n; b2++) {
                size_t j = c->signs.v[b2];
                if (c->e[j].round != r ||
                    memcmp(B(c, j)->u.sign.offer, B(c, i)->u.sign.offer, PL_ID_BYTES) != 0)
                    continue;
                if (c->e[j].role == PL_ROLE_SUSPECT)
                    st->sign_suspect = (long)j;
                if (c->e[j].role == PL_ROLE_COUNSEL)
                    st->sign_counsel = (long)j;
            }
            /* a signature in the new round: the retracted agreement is
             * history, a new one is pending */
            st->state = PL_AGREEMENT_PENDING;
            break;
        }
    }
    /* SPEC §13.20 step 6 (v2): the court's request waits for an answer */
    for (size_t i = 0; i < c->n && st->state == PL_AGREEMENT_FINAL; i++) {
        if (H(c, i).type != PL_T_COURT_ADJUST || c->e[i].verdict != PL_OK || c->e[i].round != r)
            continue;
        int answered = 0;
        for (size_t a = 0; a < c->e[i].nresp && !answered; a++)
            answered = c->e[c->e[i].resp[a]].verdict == PL_OK;
        for (size_t q = 0; q < c->n && !answered; q++)
            answered = H(c, q).type == PL_T_REOPEN && c->e[q].verdict == PL_OK &&
                       c->e[q].body.u.reopen.has_request &&
                       memcmp(c->e[q].body.u.reopen.request, c->e[i].id, PL_ID_BYTES) == 0;
        if (!answered)
            st->court_request = (long)i;
    }
    if (st->sign_prosecution >= 0) {
        st->has_terms = 1;
        memcpy(st->terms_hash, B(c, (size_t)st->sign_prosecution)->u.sign.terms_hash, 32);
        st->offer = pl_case_find(c, B(c, (size_t)st->sign_prosecution)->u.sign.offer);
    }
}
