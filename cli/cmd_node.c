/* The verbs that talk to the local node over its control channel
 * (node/control.h, SPEC §14.12): parley status | cases | connect | export |
 * log | ui | wait | invitations | accept | decline | stop. The node's home comes from --home, else $PARLEY_HOME, else
 * ~/.parley. Exit 0 ok, 1 the node refused or is not running, 2 usage. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <msgpack.h>
#include <sodium.h>

#include "cli.h"
#include "ctl.h"

#define CONTROL_TIMEOUT_MS 10000
#define EXPORT_MAX_BYTES (1024u * 1024u * 1024u)

struct opts {
    const char *home;
    const char *out;
    int json, force, help, cert;
    const char *case_arg; /* status --case */
    long peers_n, timeout_s; /* wait --peers, --timeout */
    uint8_t case_id[PL_CASE_ID_BYTES]; /* … resolved */
    const char *args[4];
    int nargs;
};

const char *cli_home(const char *flag)
{
    static char buf[4096];
    if (flag != NULL)
        return flag;
    const char *h = getenv("PARLEY_HOME");
    if (h && *h)
        return h;
    const char *u = getenv("HOME");
    snprintf(buf, sizeof buf, "%s/.parley", u && *u ? u : ".");
    return buf;
}

/* Returns 0, or EXIT_USAGE with a message printed. */
static int parse(int argc, char **argv, struct opts *o, int max_args)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            o->help = 1;
        else if (strcmp(argv[i], "--json") == 0)
            o->json = 1;
        else if (strcmp(argv[i], "--force") == 0)
            o->force = 1;
        else if (strcmp(argv[i], "--cert") == 0 && strcmp(argv[0], "export") == 0)
            o->cert = 1;
        else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc && strcmp(argv[0], "status") == 0)
            o->case_arg = argv[++i];
        else if ((strcmp(argv[i], "--peers") == 0 || strcmp(argv[i], "--timeout") == 0) &&
                 i + 1 < argc && strcmp(argv[0], "wait") == 0) {
            char *end;
            long v = strtol(argv[i + 1], &end, 10);
            if (end == argv[i + 1] || *end || v < 1 || v > 86400) {
                fprintf(stderr, _("parley wait: %s takes a whole number from 1 to 86400\n"),
                        argv[i]);
                return EXIT_USAGE;
            }
            *(strcmp(argv[i], "--peers") == 0 ? &o->peers_n : &o->timeout_s) = v;
            i++;
        }
        else if (strcmp(argv[i], "--home") == 0 && i + 1 < argc)
            o->home = argv[++i];
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            o->out = argv[++i];
        else if (argv[i][0] == '-' || o->nargs == max_args) {
            fprintf(stderr, _("parley %s: unexpected argument '%s' (see --help)\n"), argv[0], argv[i]);
            return EXIT_USAGE;
        } else
            o->args[o->nargs++] = argv[i];
    }
    o->home = cli_home(o->home);
    return 0;
}

static int no_node; /* the last call() found no node answering */

/* One control request; on success *up holds [0, result] (destroy it and
 * free *raw). Prints what went wrong and returns EXIT_CHECK otherwise. */
static int call_ex(const char *verb, const struct opts *o, msgpack_sbuffer *req,
                   msgpack_unpacked *up, uint8_t **raw, int *refused);

static int call(const char *verb, const struct opts *o, msgpack_sbuffer *req, msgpack_unpacked *up,
                uint8_t **raw)
{
    return call_ex(verb, o, req, up, raw, NULL);
}

/* The same; when refused is not NULL, a refusal is not printed: its code
 * is left there (0 otherwise), for a caller with its own words for it. */
static int call_ex(const char *verb, const struct opts *o, msgpack_sbuffer *req,
                   msgpack_unpacked *up, uint8_t **raw, int *refused)
{
    if (refused)
        *refused = 0;
    /* the request's verb, for the refusal's words: [version, verb, …] */
    char request[32] = "";
    {
        msgpack_unpacked q;
        size_t qoff = 0;
        msgpack_unpacked_init(&q);
        if (msgpack_unpack_next(&q, req->data, req->size, &qoff) == MSGPACK_UNPACK_SUCCESS &&
            q.data.type == MSGPACK_OBJECT_ARRAY && q.data.via.array.size >= 2 &&
            q.data.via.array.ptr[1].type == MSGPACK_OBJECT_STR &&
            q.data.via.array.ptr[1].via.str.size < sizeof request)
            memcpy(request, q.data.via.array.ptr[1].via.str.ptr, q.data.via.array.ptr[1].via.str.size);
        msgpack_unpacked_destroy(&q);
    }
    size_t rlen, off = 0;
    msgpack_unpacked_init(up);
    *raw = NULL;
    int rc = pl_control_call(o->home, (const uint8_t *)req->data, req->size, CONTROL_TIMEOUT_MS,
                             raw, &rlen);
    msgpack_sbuffer_destroy(req);
    if (rc != PL_OK) {
        cli_control_failed(verb, o->home, rc);
        no_node = 1;
        return EXIT_CHECK;
    }
    if (msgpack_unpack_next(up, (const char *)*raw, rlen, &off) != MSGPACK_UNPACK_SUCCESS ||
        up->data.type != MSGPACK_OBJECT_ARRAY || up->data.via.array.size != 2) {
        cli_bad_answer(verb);
        return EXIT_CHECK;
    }
    const msgpack_object *code = &up->data.via.array.ptr[0], *res = &up->data.via.array.ptr[1];
    if (code->type == MSGPACK_OBJECT_NEGATIVE_INTEGER && refused) {
        *refused = (int)code->via.i64;
        return EXIT_CHECK;
    }
    if (code->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        int str = res->type == MSGPACK_OBJECT_STR;
        cli_node_refused(verb, request, N_("refused"), (int)code->via.i64,
                         str ? res->via.str.ptr : NULL, str ? res->via.str.size : 0);
        return EXIT_CHECK;
    }
    return 0;
}

static const msgpack_object *get(const msgpack_object *m, const char *key)
{
    for (uint32_t i = 0; m->type == MSGPACK_OBJECT_MAP && i < m->via.map.size; i++) {
        const msgpack_object *k = &m->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == strlen(key) &&
            memcmp(k->via.str.ptr, key, k->via.str.size) == 0)
            return &m->via.map.ptr[i].val;
    }
    return NULL;
}

static void hex_of(const msgpack_object *o, char *out, size_t max_bytes)
{
    size_t n = o && o->type == MSGPACK_OBJECT_BIN ? o->via.bin.size : 0;
    if (n > max_bytes)
        n = max_bytes;
    cli_hex(n ? (const uint8_t *)o->via.bin.ptr : (const uint8_t *)"", n, out);
}

static uint64_t u64_of(const msgpack_object *o)
{
    return o && o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? o->via.u64 : 0;
}

static int bool_of(const msgpack_object *o)
{
    return o && o->type == MSGPACK_OBJECT_BOOLEAN && o->via.boolean;
}

static int resolve_case(const char *verb, const struct opts *o, const char *arg,
                        uint8_t id[PL_CASE_ID_BYTES]);

/* ---- status --------------------------------------------------------------- */

/* A node's list (`what`: "cases" or "invitations"); on success *up holds
 * [0, array]. */
static int list_of(const char *verb, const struct opts *o, const char *what, msgpack_unpacked *up,
                   uint8_t **raw)
{
    msgpack_sbuffer sb;
    msgpack_packer pk;
    pl_control_request_init(&sb, &pk, 1, what);
    int rc = call(verb, o, &sb, up, raw);
    if (rc == 0 && up->data.via.array.ptr[1].type != MSGPACK_OBJECT_ARRAY) {
        cli_bad_answer(verb);
        rc = EXIT_CHECK;
    }
    return rc;
}

/* Per case, what the rules expect of this node's keys now (todo.c). */
static void print_waiting(const struct opts *o, const msgpack_object *keys, int json)
{
    uint8_t k[PL_CONTROL_MAX_KEYS][PL_PK_BYTES];
    size_t nk = 0;
    for (uint32_t i = 0; keys && keys->type == MSGPACK_OBJECT_ARRAY && i < keys->via.array.size &&
                         nk < PL_CONTROL_MAX_KEYS;
         i++)
        if (keys->via.array.ptr[i].type == MSGPACK_OBJECT_BIN &&
            keys->via.array.ptr[i].via.bin.size == PL_PK_BYTES)
            memcpy(k[nk++], keys->via.array.ptr[i].via.bin.ptr, PL_PK_BYTES);
    msgpack_unpacked up;
    uint8_t *raw;
    if (list_of("status", o, "cases", &up, &raw) != 0)
        return;
    const msgpack_object *all = &up.data.via.array.ptr[1], *list = all;
    /* --case: that case alone is exported and judged, not every hosted one */
    msgpack_object single;
    if (o->case_arg != NULL) {
        single = (msgpack_object){.type = MSGPACK_OBJECT_ARRAY};
        for (uint32_t i = 0; i < all->via.array.size; i++) {
            const msgpack_object *e = &all->via.array.ptr[i];
            if (e->type == MSGPACK_OBJECT_ARRAY && e->via.array.size > 0 &&
                e->via.array.ptr[0].type == MSGPACK_OBJECT_BIN &&
                e->via.array.ptr[0].via.bin.size == PL_CASE_ID_BYTES &&
                memcmp(e->via.array.ptr[0].via.bin.ptr, o->case_id, PL_CASE_ID_BYTES) == 0) {
                single.via.array.ptr = (msgpack_object *)e;
                single.via.array.size = 1;
            }
        }
        list = &single;
    }
    int first = 1;
    for (uint32_t i = 0; i < list->via.array.size; i++) {
        if (list->via.array.ptr[i].type != MSGPACK_OBJECT_ARRAY ||
            list->via.array.ptr[i].via.array.size == 0)
            continue;
        const msgpack_object *e = &list->via.array.ptr[i].via.array.ptr[0];
        uint8_t *log;
        size_t len;
        cli_log l;
        char cid[2 * PL_CASE_ID_BYTES + 1];
        uint8_t id[PL_CASE_ID_BYTES];
        if (e->type != MSGPACK_OBJECT_BIN || e->via.bin.size != PL_CASE_ID_BYTES)
            continue;
        cli_hex((const uint8_t *)e->via.bin.ptr, PL_CASE_ID_BYTES, cid);
        if (cli_node_read("status", o->home, cid, id, &log, &len, NULL, 0, NULL) != 0)
            continue;
        int rc = cli_log_read_own(log, len, &l); /* what waits: the owner's own node's word */
        free(log);
        if (rc != PL_OK)
            continue;
        pl_case *c = cli_log_judge(&l);
        char hex[65];
        cli_hex(l.case_id, 32, hex);
        if (json)
            printf("%s{\"case\":\"%s\",\"items\":[", first ? "" : ",", hex);
        else
            printf(_("case %.16s:\n"), hex);
        first = 0;
        if (c != NULL && cli_todo(c, (const uint8_t(*)[PL_PK_BYTES])k, nk, json) == 0 && !json)
            printf("%s", _("    nothing waits for this node\n"));
        if (json)
            printf("]}");
        pl_case_destroy(&c);
        cli_log_free(&l);
    }
    msgpack_unpacked_destroy(&up);
    free(raw);
}

/* Peers connected that said HELLO. */
static uint32_t hello_peers(const msgpack_object *peers)
{
    uint32_t n = 0;
    for (uint32_t i = 0; peers && peers->type == MSGPACK_OBJECT_ARRAY && i < peers->via.array.size;
         i++)
        n += peers->via.array.ptr[i].type == MSGPACK_OBJECT_ARRAY &&
             peers->via.array.ptr[i].via.array.size == 2 &&
             bool_of(&peers->via.array.ptr[i].via.array.ptr[1]);
    return n;
}

int cmd_status_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 0) != 0)
        return EXIT_USAGE;
    if (o.help) {
        printf("%s", _("usage: parley status [--case CASE] [--home DIR] [--json]\n\n"
               "The local node's keys, listening endpoint, cases, connected peers, the peers\n"
               "it dials and its counters; then, per case, what the rules expect of this\n"
               "node's keys now (an input to answer, terms to sign, a disclosure to\n"
               "acknowledge, a session to answer) and what they are waiting for. With\n"
               "--case, for that case only (its id or a unique prefix): one case judged, not\n"
               "every case the node hosts.\n"
               "exit status: 0 ok, 1 no node answers or no such case, 2 usage\n"));
        return EXIT_OK;
    }
    if (o.case_arg != NULL) {
        int crc = resolve_case("status", &o, o.case_arg, o.case_id);
        if (crc != 0)
            return crc;
    }
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_unpacked up;
    uint8_t *raw;
    pl_control_request_init(&sb, &pk, 1, "status");
    int rc = call("status", &o, &sb, &up, &raw);
    if (rc != 0 && no_node && o.json) {
        /* issue 15 §4: --json answers in JSON whatever happens */
        printf("{\"running\":false,\"home\":");
        cli_json_str(o.home);
        printf("}\n");
    }
    if (rc == 0) {
        const msgpack_object *r = &up.data.via.array.ptr[1];
        char hex[65], fp[PL_FINGERPRINT_STR_BYTES];
        const msgpack_object *key = get(r, "key"), *ep = get(r, "endpoint"),
                             *peers = get(r, "peers"), *dialled = get(r, "dialled"),
                             *stats = get(r, "stats");
        hex_of(key, hex, 32);
        if (key && key->type == MSGPACK_OBJECT_BIN && key->via.bin.size == PL_PK_BYTES)
            pl_fingerprint((const uint8_t *)key->via.bin.ptr, fp);
        else
            strcpy(fp, "?");
        if (o.json) {
            printf("{\"running\":true,\"key\":\"%s\",\"fingerprint\":\"%s\",\"endpoint\":", hex, fp);
            char e[300] = "";
            if (ep && ep->type == MSGPACK_OBJECT_STR && ep->via.str.size < sizeof e)
                memcpy(e, ep->via.str.ptr, ep->via.str.size), e[ep->via.str.size] = '\0';
            cli_json_str(e);
            /* every key the node speaks for; held: unlocked by their
             * holders for each act (SPEC §14.12 *Held keys*) */
            const char *lists[2] = {"keys", "held"};
            for (int l = 0; l < 2; l++) {
                const msgpack_object *ks = get(r, lists[l]);
                printf(",\"%s\":[", lists[l]);
                for (uint32_t i = 0; ks && ks->type == MSGPACK_OBJECT_ARRAY && i < ks->via.array.size;
                     i++) {
                    hex_of(&ks->via.array.ptr[i], hex, 32);
                    printf("%s\"%s\"", i ? "," : "", hex);
                }
                printf("]");
            }
            printf(",\"cases\":%llu,\"cut_off\":%s,\"peers\":[",
                   (unsigned long long)u64_of(get(r, "cases")),
                   u64_of(get(r, "cases")) > 0 && hello_peers(peers) == 0 ? "true" : "false");
            for (uint32_t i = 0; peers && i < peers->via.array.size; i++) {
                const msgpack_object *p = peers->via.array.ptr[i].via.array.ptr;
                hex_of(&p[0], hex, 32);
                printf("%s{\"key\":\"%s\",\"hello\":%s}", i ? "," : "", hex,
                       bool_of(&p[1]) ? "true" : "false");
            }
            printf("],\"dialled\":[");
            for (uint32_t i = 0; dialled && i < dialled->via.array.size; i++) {
                const msgpack_object *d = dialled->via.array.ptr[i].via.array.ptr;
                hex_of(&d[0], hex, 32);
                char de[300] = "";
                if (d[1].type == MSGPACK_OBJECT_STR && d[1].via.str.size < sizeof de)
                    memcpy(de, d[1].via.str.ptr, d[1].via.str.size), de[d[1].via.str.size] = '\0';
                printf("%s{\"key\":\"%s\",\"endpoint\":", i ? "," : "", hex);
                cli_json_str(de);
                printf(",\"connected\":%s}", bool_of(&d[2]) ? "true" : "false");
            }
            printf("],\"stats\":{");
            for (uint32_t i = 0; stats && i < stats->via.map.size; i++)
                printf("%s\"%.*s\":%llu", i ? "," : "", (int)stats->via.map.ptr[i].key.via.str.size,
                       stats->via.map.ptr[i].key.via.str.ptr,
                       (unsigned long long)u64_of(&stats->via.map.ptr[i].val));
            printf("},\"waiting\":[");
            print_waiting(&o, get(r, "keys"), 1);
            printf("]}\n");
        } else {
            printf(_("node:       %s (%s)\n"), fp, hex);
            if (ep && ep->via.str.size)
                printf(_("listening:  %.*s\n"), (int)ep->via.str.size, ep->via.str.ptr);
            else
                printf("%s", _("listening:  (dials only)\n"));
            const msgpack_object *ks = get(r, "keys"), *hs = get(r, "held");
            for (uint32_t i = 0; ks && ks->type == MSGPACK_OBJECT_ARRAY && i < ks->via.array.size;
                 i++) {
                const msgpack_object *k = &ks->via.array.ptr[i];
                char kfp[PL_FINGERPRINT_STR_BYTES] = "?";
                int held = 0;
                if (k->type != MSGPACK_OBJECT_BIN || k->via.bin.size != PL_PK_BYTES)
                    continue;
                pl_fingerprint((const uint8_t *)k->via.bin.ptr, kfp);
                for (uint32_t j = 0; hs && hs->type == MSGPACK_OBJECT_ARRAY && j < hs->via.array.size;
                     j++)
                    held |= hs->via.array.ptr[j].type == MSGPACK_OBJECT_BIN &&
                            hs->via.array.ptr[j].via.bin.size == PL_PK_BYTES &&
                            memcmp(hs->via.array.ptr[j].via.bin.ptr, k->via.bin.ptr, 32) == 0;
                printf("%s%s%s\n", i ? "            " : _("keys:       "), kfp,
                       held ? _(" (held by its owner: unlocked with their passphrase for each act)")
                            : "");
            }
            printf(_("cases:      %llu\n"), (unsigned long long)u64_of(get(r, "cases")));
            /* issue 18 §4: a node waiting for disk space says so first */
            for (uint32_t i = 0; stats && i < stats->via.map.size; i++)
                if (stats->via.map.ptr[i].key.via.str.size == 9 &&
                    memcmp(stats->via.map.ptr[i].key.via.str.ptr, "disk_full", 9) == 0 &&
                    u64_of(&stats->via.map.ptr[i].val) > 0)
                    printf("%s", _("store:      DISK FULL: the node stores nothing and refuses "
                                   "new messages; free space on its disk and it resumes by "
                                   "itself (no restart)\n"));
            /* SPEC §6.5: a peer's clock far ahead is worth a look */
            for (uint32_t i = 0; stats && i < stats->via.map.size; i++)
                if (stats->via.map.ptr[i].key.via.str.size == 14 &&
                    memcmp(stats->via.map.ptr[i].key.via.str.ptr, "future_stamped", 14) == 0 &&
                    u64_of(&stats->via.map.ptr[i].val) > 0)
                    printf(_("clocks:     %llu message(s) stamped over 10 minutes ahead of this "
                             "node's clock (see the node's log; SPEC §6.5)\n"),
                           (unsigned long long)u64_of(&stats->via.map.ptr[i].val));
            printf(_("peers:      %u connected\n"), peers ? peers->via.array.size : 0);
            for (uint32_t i = 0; peers && i < peers->via.array.size; i++) {
                const msgpack_object *p = peers->via.array.ptr[i].via.array.ptr;
                char pfp[PL_FINGERPRINT_STR_BYTES] = "?";
                if (p[0].via.bin.size == PL_PK_BYTES)
                    pl_fingerprint((const uint8_t *)p[0].via.bin.ptr, pfp);
                printf("            %s%s\n", pfp, bool_of(&p[1]) ? "" : _(" (no HELLO yet)"));
            }
            for (uint32_t i = 0; dialled && i < dialled->via.array.size; i++) {
                const msgpack_object *d = dialled->via.array.ptr[i].via.array.ptr;
                printf(_("dials:      %.*s %s\n"), (int)d[1].via.str.size, d[1].via.str.ptr,
                       bool_of(&d[2]) ? _("(connected)") : _("(not connected; it keeps trying)"));
            }
            /* issue 15 §4: a node with cases and no peer reaches nobody */
            if (u64_of(get(r, "cases")) > 0 && hello_peers(peers) == 0)
                printf("%s", _("warning:    no peer is connected: what this node signs reaches "
                               "nobody until one is (check the peers it dials above, the "
                               "network, or add one with parley connect KEY@tcp://HOST:PORT)\n"));
            print_waiting(&o, get(r, "keys"), 0);
        }
    }
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

/* ---- cases ------------------------------------------------------------------ */

/* The node's cases: [[id, messages, state, round, synced, violations, open]]. */
int cmd_cases_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 0) != 0)
        return EXIT_USAGE;
    if (o.help) {
        printf("%s", _("usage: parley cases [--home DIR] [--json]\n\n"
               "The cases the local node hosts: id, messages, agreement state, round, whether\n"
               "it may sign (synced, SPEC §14.11), rule violations, inputs awaiting an answer.\n"
               "exit status: 0 ok, 1 no node answers, 2 usage\n"));
        return EXIT_OK;
    }
    msgpack_unpacked up;
    uint8_t *raw;
    int rc = list_of("cases", &o, "cases", &up, &raw);
    if (rc == 0) {
        const msgpack_object *list = &up.data.via.array.ptr[1];
        if (o.json)
            printf("[");
        else if (list->via.array.size == 0)
            printf(_("no cases yet\n"));
        else
        {
            /* headings in the reader's language, padded by columns */
            char h[7][64];
            printf("%s  %8s  %s  %5s  %s  %10s  %9s\n", cli_pad(h[0], 64, _("case"), 16),
                   _("messages"), cli_pad(h[2], 64, _("state"), 9), _("round"),
                   cli_pad(h[4], 64, _("synced"), 6), _("violations"), _("to answer"));
        }
        for (uint32_t i = 0; i < list->via.array.size; i++) {
            const msgpack_object *e = list->via.array.ptr[i].via.array.ptr;
            char id[65];
            hex_of(&e[0], id, 32);
            const char *state = e[2].type == MSGPACK_OBJECT_STR ? e[2].via.str.ptr : "?";
            int slen = e[2].type == MSGPACK_OBJECT_STR ? (int)e[2].via.str.size : 1;
            if (o.json)
                printf("%s{\"case\":\"%s\",\"messages\":%llu,\"state\":\"%.*s\",\"round\":%llu,"
                       "\"synced\":%s,\"violations\":%llu,\"open_inputs\":%llu}",
                       i ? "," : "", id, (unsigned long long)u64_of(&e[1]), slen, state,
                       (unsigned long long)u64_of(&e[3]), bool_of(&e[4]) ? "true" : "false",
                       (unsigned long long)u64_of(&e[5]), (unsigned long long)u64_of(&e[6]));
            else
            {
                char st[32], sp[64], sy[64];
                snprintf(st, sizeof st, "%.*s", slen < 31 ? slen : 31, state);
                printf("%.16s  %8llu  %s  %5llu  %s  %10llu  %9llu\n", id,
                       (unsigned long long)u64_of(&e[1]), cli_pad(sp, sizeof sp, _(st), 9),
                       (unsigned long long)u64_of(&e[3]),
                       cli_pad(sy, sizeof sy, bool_of(&e[4]) ? _("yes") : _("no"), 6),
                       (unsigned long long)u64_of(&e[5]), (unsigned long long)u64_of(&e[6]));
            }
        }
        if (o.json)
            printf("]\n");
    }
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

/* A case is named by its full id or a unique prefix of at least 8 hex
 * digits, matched against a node's answer `list` (arrays whose first element
 * is a case id); `where` names the verb that lists them (cases, invitations)
 * so the error says where to look. Both return 0 or an exit code with the
 * reason printed. */
static int case_arg_ok(const char *verb, const char *arg, const char *where)
{
    size_t n = strlen(arg);
    if (n < 8 || n > 64 || strspn(arg, "0123456789abcdefABCDEF") != n) {
        fprintf(stderr, _("parley %s: '%s' is not a case id (64 hex digits, or a unique prefix of "
                          "at least 8; see parley %s)\n"), verb, arg, where);
        return EXIT_USAGE;
    }
    return 0;
}

static int match_case(const char *verb, const msgpack_object *list, const char *arg,
                      const char *where, uint8_t id[PL_CASE_ID_BYTES])
{
    size_t n = strlen(arg);
    int found = 0;
    for (uint32_t i = 0; i < list->via.array.size; i++) {
        const msgpack_object *e = &list->via.array.ptr[i];
        if (e->type != MSGPACK_OBJECT_ARRAY || e->via.array.size == 0 ||
            e->via.array.ptr[0].type != MSGPACK_OBJECT_BIN ||
            e->via.array.ptr[0].via.bin.size != PL_CASE_ID_BYTES)
            continue;
        if (pl_control_id_has_prefix((const uint8_t *)e->via.array.ptr[0].via.bin.ptr, arg, n)) {
            memcpy(id, e->via.array.ptr[0].via.bin.ptr, PL_CASE_ID_BYTES);
            found++;
        }
    }
    if (found == 1)
        return 0;
    int cases = strcmp(where, "cases") == 0;
    if (found)
        fprintf(stderr, cases ? _("parley %s: more than one case matches '%s' on this node; give "
                                  "more digits (see parley %s)\n")
                              : _("parley %s: more than one invitation matches '%s' on this node; "
                                  "give more digits (see parley %s)\n"),
                verb, arg, where);
    else
        fprintf(stderr, cases ? _("parley %s: no case matches '%s' on this node; this node does "
                                  "not host it (see parley %s)\n")
                              : _("parley %s: no invitation matches '%s' on this node (see "
                                  "parley %s)\n"),
                verb, arg, where);
    return EXIT_CHECK;
}

static int resolve_case(const char *verb, const struct opts *o, const char *arg,
                        uint8_t id[PL_CASE_ID_BYTES])
{
    int rc = case_arg_ok(verb, arg, "cases");
    if (rc != 0)
        return rc;
    msgpack_unpacked up;
    uint8_t *raw;
    rc = list_of(verb, o, "cases", &up, &raw);
    if (rc == 0)
        rc = match_case(verb, &up.data.via.array.ptr[1], arg, "cases", id);
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

int cli_node_read(const char *verb, const char *home, const char *arg,
                  uint8_t id[PL_CASE_ID_BYTES], uint8_t **log, size_t *len,
                  uint8_t keys[][PL_PK_BYTES], size_t max, size_t *nkeys)
{
    struct opts o = {.home = home};
    *log = NULL;
    *len = 0;
    if (nkeys != NULL)
        *nkeys = 0;
    int rc = case_arg_ok(verb, arg, "cases");
    if (rc != 0)
        return rc;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_unpacked up;
    uint8_t *raw;
    pl_control_request_init(&sb, &pk, 2, "read");
    size_t n = strlen(arg); /* the node matches the digits, all 64 or a prefix */
    msgpack_pack_str(&pk, n);
    msgpack_pack_str_body(&pk, arg, n);
    int refused;
    rc = call_ex(verb, &o, &sb, &up, &raw, &refused);
    if (refused == PL_E_UNKNOWN_CASE || refused == PL_E_ARG) {
        /* the node's words, as parley's own (translated) */
        fprintf(stderr, refused == PL_E_ARG
                            ? _("parley %s: more than one case matches '%s' on this node; give "
                                "more digits (see parley %s)\n")
                            : _("parley %s: no case matches '%s' on this node; this node does "
                                "not host it (see parley %s)\n"),
                verb, arg, "cases");
    } else if (refused != 0) {
        const msgpack_object *t = &up.data.via.array.ptr[1];
        int str = t->type == MSGPACK_OBJECT_STR;
        cli_node_refused(verb, "read", N_("refused"), refused, str ? t->via.str.ptr : NULL,
                         str ? t->via.str.size : 0);
    }
    if (rc == 0) {
        const msgpack_object *res = &up.data.via.array.ptr[1], *c = get(res, "case"),
                             *k = get(res, "keys"), *b = get(res, "log");
        if (c == NULL || c->type != MSGPACK_OBJECT_BIN || c->via.bin.size != PL_CASE_ID_BYTES ||
            k == NULL || k->type != MSGPACK_OBJECT_ARRAY || b == NULL ||
            b->type != MSGPACK_OBJECT_BIN || b->via.bin.size > EXPORT_MAX_BYTES ||
            (*log = malloc(b->via.bin.size ? b->via.bin.size : 1)) == NULL) {
            cli_bad_answer(verb);
            rc = EXIT_CHECK;
        } else {
            memcpy(id, c->via.bin.ptr, PL_CASE_ID_BYTES);
            memcpy(*log, b->via.bin.ptr, b->via.bin.size);
            *len = b->via.bin.size;
            for (uint32_t i = 0; keys != NULL && i < k->via.array.size && *nkeys < max; i++)
                if (k->via.array.ptr[i].type == MSGPACK_OBJECT_BIN &&
                    k->via.array.ptr[i].via.bin.size == PL_PK_BYTES)
                    memcpy(keys[(*nkeys)++], k->via.array.ptr[i].via.bin.ptr, PL_PK_BYTES);
        }
    }
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

int cli_node_export(const char *verb, const char *home, const uint8_t id[PL_CASE_ID_BYTES],
                    uint8_t **log, size_t *len)
{
    struct opts o = {.home = home};
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_unpacked up;
    uint8_t *raw;
    *log = NULL;
    *len = 0;
    pl_control_request_init(&sb, &pk, 2, "export");
    msgpack_pack_bin(&pk, PL_CASE_ID_BYTES);
    msgpack_pack_bin_body(&pk, id, PL_CASE_ID_BYTES);
    int rc = call(verb, &o, &sb, &up, &raw);
    if (rc == 0) {
        const msgpack_object *b = &up.data.via.array.ptr[1];
        if (b->type != MSGPACK_OBJECT_BIN || b->via.bin.size > EXPORT_MAX_BYTES ||
            (*log = malloc(b->via.bin.size ? b->via.bin.size : 1)) == NULL) {
            fprintf(stderr, _("parley %s: the node's export is unusable\n"), verb);
            rc = EXIT_CHECK;
        } else {
            memcpy(*log, b->via.bin.ptr, b->via.bin.size);
            *len = b->via.bin.size;
        }
    }
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

/* ---- export ----------------------------------------------------------------- */

/* SPEC §16: the certificate of the case's final agreement, judged here from
 * the node's log as a court would judge it, never taken on the node's word.
 * *cert is malloc'd. Prints why there is none and returns an exit code. */
static int build_cert(const uint8_t *log, size_t len, uint8_t **cert, size_t *cert_len)
{
    cli_log l;
    pl_case *c = NULL;
    pl_case_status st;
    int rc = EXIT_CHECK, err = cli_log_read(log, len, &l);
    *cert = NULL;
    if (err != PL_OK)
        fprintf(stderr, _("parley export: the node's log cannot be read: %s\n"), cli_strerror(err));
    else if (!l.verified && !cli_log_only_equivocations(&l, &(size_t){0}))
        fprintf(stderr, _("parley export: the node's log of the case does not verify; "
                          "'parley log CASE' says why\n"));
    else if ((c = cli_log_judge(&l)) == NULL)
        fprintf(stderr, _("parley export: out of memory\n"));
    else {
        pl_case_status_get(c, &st);
        if (st.state != PL_AGREEMENT_FINAL) /* SPEC §16.1 */
            fprintf(stderr, _("parley export: the case has no final agreement yet (state: %s); a "
                              "certificate needs the signatures of prosecution, suspect and "
                              "counsel on one offer\n"), pl_agreement_state_name(st.state));
        else if ((err = pl_cert_build(c, cert, cert_len)) != PL_OK)
            fprintf(stderr, _("parley export: no certificate: %s (%s)\n"), cli_strerror(err),
                    pl_errname(err));
        else
            rc = EXIT_OK;
    }
    pl_case_destroy(&c);
    cli_log_free(&l);
    return rc;
}

int cmd_export_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 1) != 0)
        return EXIT_USAGE;
    if (o.help || o.nargs != 1 || o.out == NULL) {
        fprintf(o.help ? stdout : stderr, "%s",
                _("usage: parley export CASE [--cert] -o FILE [--force] [--home DIR] [--json]\n\n"
                "Writes the case's full log, as the local node holds it, to FILE (a log file\n"
                "`parley verify` checks offline, SPEC §8). CASE is the id or a unique prefix.\n"
                "--cert writes instead the agreement certificate (SPEC §16): the final\n"
                "agreement's three signatures and everything they depend on, one file a\n"
                "court verifies alone with `parley verify`. FILE is replaced only with --force.\n"
                "exit status: 0 written, 1 the node refused or is not running, or (--cert)\n"
                "the case has no final agreement yet, 2 usage\n"));
        return o.help ? EXIT_OK : EXIT_USAGE;
    }
    uint8_t id[PL_CASE_ID_BYTES], *log, *cert = NULL;
    size_t len, cert_len = 0;
    int rc = resolve_case("export", &o, o.args[0], id);
    if (rc == 0)
        rc = cli_node_export("export", o.home, id, &log, &len);
    if (rc != 0)
        return rc;
    if (o.cert && (rc = build_cert(log, len, &cert, &cert_len)) != 0) {
        free(log);
        return rc;
    }
    const uint8_t *out = o.cert ? cert : log;
    size_t out_len = o.cert ? cert_len : len;
    if (io_write_file(o.out, out, out_len, 0600, o.force) != 0)
        rc = EXIT_CHECK;
    else if (o.json) {
        char hex[65];
        cli_hex(id, PL_CASE_ID_BYTES, hex);
        printf("{\"case\":\"%s\",\"kind\":\"%s\",\"file\":", hex, o.cert ? "certificate" : "log");
        cli_json_str(o.out);
        printf(",\"bytes\":%zu}\n", out_len);
    } else
        printf(_("wrote %s (%s, %zu bytes); check it with: parley verify %s\n"), o.out,
               o.cert ? _("agreement certificate") : _("log"), out_len, o.out);
    free(cert);
    free(log);
    return rc;
}

/* ---- connect, stop -------------------------------------------------------------- */

int cmd_connect_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 1) != 0)
        return EXIT_USAGE;
    const char *at = o.nargs == 1 ? strchr(o.args[0], '@') : NULL;
    uint8_t pk[PL_PK_BYTES];
    size_t got;
    if (o.help || at == NULL || at - o.args[0] != 2 * PL_PK_BYTES ||
        sodium_hex2bin(pk, sizeof pk, o.args[0], (size_t)(at - o.args[0]), NULL, &got, NULL) != 0 ||
        got != PL_PK_BYTES) {
        fprintf(o.help ? stdout : stderr, "%s",
                _("usage: parley connect KEY@ENDPOINT [--home DIR] [--json]\n\n"
                "Makes the local node dial a peer now and after every restart: KEY is the\n"
                "peer's public key (64 hex digits, `parley key` shows it), ENDPOINT where its\n"
                "node listens, e.g. tcp://procuratorate.example:7400.\n"
                "exit status: 0 dialling, 1 the node refused or is not running, 2 usage\n"));
        return o.help ? EXIT_OK : EXIT_USAGE;
    }
    msgpack_sbuffer sb;
    msgpack_packer pk2;
    msgpack_unpacked up;
    uint8_t *raw;
    pl_control_request_init(&sb, &pk2, 3, "connect");
    msgpack_pack_bin(&pk2, PL_PK_BYTES);
    msgpack_pack_bin_body(&pk2, pk, PL_PK_BYTES);
    msgpack_pack_str(&pk2, strlen(at + 1));
    msgpack_pack_str_body(&pk2, at + 1, strlen(at + 1));
    int rc = call("connect", &o, &sb, &up, &raw);
    if (rc == 0)
        printf(o.json ? "{\"dialling\":true}\n"
                      : "dialling; `parley status` shows when the peer is connected\n");
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

/* connect's opposite: stop dialling a peer, and forget it. */
int cmd_disconnect_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 1) != 0)
        return EXIT_USAGE;
    uint8_t pk[PL_PK_BYTES];
    size_t got;
    const char *arg = o.nargs == 1 ? o.args[0] : "";
    const char *at = strchr(arg, '@');
    size_t klen = at ? (size_t)(at - arg) : strlen(arg); /* KEY, or KEY@ENDPOINT as connect took */
    if (o.help || o.nargs != 1 || klen != 2 * PL_PK_BYTES ||
        sodium_hex2bin(pk, sizeof pk, arg, klen, NULL, &got, NULL) != 0 || got != PL_PK_BYTES) {
        fprintf(o.help ? stdout : stderr, "%s",
                _("usage: parley disconnect KEY [--home DIR] [--json]\n\n"
                  "Makes the local node stop dialling the peer with this public key (64 hex\n"
                  "digits; KEY@ENDPOINT as given to parley connect is taken too) and forget it,\n"
                  "so that it is not dialled after a restart either. A peer named with --peer\n"
                  "or in parleyd.conf comes back at the next start: remove it there.\n"
                  "exit status: 0 done, 1 the node does not dial it or is not running, 2 usage\n"));
        return o.help ? EXIT_OK : EXIT_USAGE;
    }
    msgpack_sbuffer sb;
    msgpack_packer pk2;
    msgpack_unpacked up;
    uint8_t *raw;
    pl_control_request_init(&sb, &pk2, 2, "disconnect");
    msgpack_pack_bin(&pk2, PL_PK_BYTES);
    msgpack_pack_bin_body(&pk2, pk, PL_PK_BYTES);
    int rc = call("disconnect", &o, &sb, &up, &raw);
    if (rc == 0)
        printf("%s", o.json ? "{\"dialling\":false}\n"
                            : _("no longer dialling that peer; parley status shows the rest\n"));
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

int cmd_stop_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 0) != 0)
        return EXIT_USAGE;
    if (o.help) {
        printf("%s", _("usage: parley stop [--home DIR] [--json]\n\n"
               "Stops the local node cleanly (as SIGTERM does) and returns once it has\n"
               "closed its store, so that another parleyd can start on the home at once\n"
               "(it waits at most 60 seconds).\n"
               "exit status: 0 stopped, 1 no node answers, or it has not stopped after 60\n"
               "seconds, 2 usage\n"));
        return EXIT_OK;
    }
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_unpacked up;
    uint8_t *raw;
    pl_control_request_init(&sb, &pk, 1, "stop");
    int rc = call("stop", &o, &sb, &up, &raw);
    msgpack_unpacked_destroy(&up);
    free(raw);
    if (rc != 0)
        return rc;
    /* SPEC §14.12: the node answers before it stops; it has stopped when
     * its store's lock is free (the last thing it lets go of). */
    char store[4200];
    snprintf(store, sizeof store, "%s/store.db", o.home);
    int held = 1;
    for (int i = 0; i < 1200 && (held = pl_store_in_use(store)) == 1; i++)
        nanosleep(&(struct timespec){.tv_nsec = 50000000}, NULL);
    if (held < 0) {
        fprintf(stderr, _("parley stop: the node accepted the stop, but whether it has let its "
                          "store go cannot be read (%s.lock); see its log\n"), store);
        return EXIT_CHECK;
    }
    if (held != 0) {
        fprintf(stderr,
                _("parley stop: the node accepted the stop but still holds its store after 60 "
                  "seconds; see its log, and stop it with SIGTERM (or SIGKILL) if it is stuck\n"));
        return EXIT_CHECK;
    }
    if (o.json)
        printf("{\"stopped\":true}\n");
    return EXIT_OK;
}

/* ---- ui (issue 16) ------------------------------------------------------------------ */

int cmd_ui_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 0) != 0)
        return EXIT_USAGE;
    if (o.help) {
        printf("%s", _("usage: parley ui [--home DIR] [--json]\n\n"
                       "Prints a one-time login link to the local node's web app (parleyd --ui\n"
                       "PORT): open it in a browser on this machine within 5 minutes. The link\n"
                       "works once; run parley ui again for another browser.\n"
                       "exit status: 0 ok, 1 no node answers or it serves no web app, 2 usage\n"));
        return EXIT_OK;
    }
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_unpacked up;
    uint8_t *raw;
    pl_control_request_init(&sb, &pk, 1, "ui");
    int rc = call("ui", &o, &sb, &up, &raw);
    if (rc == 0) {
        const msgpack_object *u = &up.data.via.array.ptr[1];
        char url[300] = "";
        if (u->type == MSGPACK_OBJECT_STR && u->via.str.size < sizeof url)
            memcpy(url, u->via.str.ptr, u->via.str.size), url[u->via.str.size] = '\0';
        if (o.json) {
            printf("{\"url\":");
            cli_json_str(url);
            printf("}\n");
        } else
            printf(_("open this link in a browser on this machine (it works once, for 5 "
                     "minutes):\n%s\n"), url);
    }
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

/* ---- wait --------------------------------------------------------------------------- */

/* SPEC §14.7: until enough peers hold a message (their ACK means it is
 * durable with them), so that a script or a person knows it reached them. */
int cmd_wait_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 2) != 0)
        return EXIT_USAGE;
    if (o.help || o.nargs != 2) {
        fprintf(o.help ? stdout : stderr, "%s", _("usage: parley wait CASE MESSAGE [--peers N] [--timeout SECONDS] [--home DIR] "
                       "[--json]\n\n"
                       "Waits until N connected peers (1 unless --peers) hold MESSAGE of CASE: they\n"
                       "acknowledged it, which they do once it is stored durably, or showed it among\n"
                       "their heads (SPEC §14.7). MESSAGE is its id or a unique prefix of at least 8\n"
                       "hex digits, as parley log shows them. --timeout: at most this many seconds\n"
                       "(30 unless given).\n"
                       "exit status: 0 held, 1 timed out, no node, or no such case or message, 2 "
                       "usage\n"));
        return o.help ? EXIT_OK : EXIT_USAGE;
    }
    uint8_t cid[PL_CASE_ID_BYTES], mid[PL_ID_BYTES];
    /* the message: its id in the node's log, by prefix (as the act verbs) */
    uint8_t *log;
    size_t len;
    int rc = cli_node_read("wait", o.home, o.args[0], cid, &log, &len, NULL, 0, NULL);
    if (rc != 0)
        return rc;
    cli_log l;
    int err = cli_log_read_own(log, len, &l);
    free(log);
    long at = err == PL_OK ? cli_log_find(&l, "wait", o.args[1]) : -1;
    if (at >= 0)
        memcpy(mid, pl_msg_id(l.msgs[at]), PL_ID_BYTES);
    cli_log_free(&l);
    if (at < 0)
        return at == -2 ? EXIT_USAGE : EXIT_CHECK;
    long want = o.peers_n ? o.peers_n : 1, limit = o.timeout_s ? o.timeout_s : 30;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        msgpack_sbuffer sb;
        msgpack_packer pk;
        msgpack_unpacked up;
        uint8_t *raw;
        pl_control_request_init(&sb, &pk, 3, "held");
        msgpack_pack_bin(&pk, PL_CASE_ID_BYTES);
        msgpack_pack_bin_body(&pk, cid, PL_CASE_ID_BYTES);
        msgpack_pack_bin(&pk, PL_ID_BYTES);
        msgpack_pack_bin_body(&pk, mid, PL_ID_BYTES);
        if ((rc = call("wait", &o, &sb, &up, &raw)) != 0)
            return rc;
        const msgpack_object *hold = &up.data.via.array.ptr[1];
        uint32_t got = hold->type == MSGPACK_OBJECT_ARRAY ? hold->via.array.size : 0;
        clock_gettime(CLOCK_MONOTONIC, &t);
        long ms = (long)(t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
        int done = got >= (uint32_t)want, late = ms >= limit * 1000;
        if (done || late) {
            char hex[65], fp[PL_FINGERPRINT_STR_BYTES];
            if (o.json) {
                printf("{\"held\":%s,\"peers\":[", done ? "true" : "false");
                for (uint32_t i = 0; i < got; i++) {
                    hex_of(&hold->via.array.ptr[i], hex, 32);
                    printf("%s\"%s\"", i ? "," : "", hex);
                }
                printf("],\"ms\":%ld}\n", ms);
            } else if (done) {
                printf(_("held by %u peer(s) after %ld ms:\n"), got, ms);
                for (uint32_t i = 0; i < got; i++) {
                    const msgpack_object *k = &hold->via.array.ptr[i];
                    if (k->type == MSGPACK_OBJECT_BIN && k->via.bin.size == PL_PK_BYTES)
                        pl_fingerprint((const uint8_t *)k->via.bin.ptr, fp), printf("  %s\n", fp);
                }
            } else
                fprintf(stderr, _("parley wait: after %ld s, %u peer(s) hold the message, of the %ld "
                                  "asked for; parley status shows which peers are connected\n"),
                        limit, got, want);
            msgpack_unpacked_destroy(&up);
            free(raw);
            return done ? EXIT_OK : EXIT_CHECK;
        }
        msgpack_unpacked_destroy(&up);
        free(raw);
        struct timespec nap = {.tv_sec = 0, .tv_nsec = 100 * 1000000L};
        nanosleep(&nap, NULL);
    }
}

/* ---- log --------------------------------------------------------------------------- */

int cmd_log_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 1) != 0)
        return EXIT_USAGE;
    if (o.help || o.nargs != 1) {
        fprintf(o.help ? stdout : stderr, "%s",
                _("usage: parley log CASE [--home DIR] [--json]\n\n"
                "The case as the local node holds it, verified as `parley verify` does, and\n"
                "its timeline: who said what and when, with roles, which input each response\n"
                "answers, what each counter-offer changes, any rule broken, and the agreement\n"
                "after each message. --json prints one object: the verification, a\n"
                "\"timeline\" array (author key, role and name, type, id, time, verdict,\n"
                "what it answers or signs, its content, an offer's terms and changes, the\n"
                "agreement after it) and the final \"agreement\".\n"
                "exit status: 0 the log verifies, 1 it does not or no node answers, 2 usage\n"));
        return o.help ? EXIT_OK : EXIT_USAGE;
    }
    uint8_t id[PL_CASE_ID_BYTES], *log;
    size_t len;
    /* one round trip; every signature is checked here, as verify does */
    int rc = cli_node_read("log", o.home, o.args[0], id, &log, &len, NULL, 0, NULL);
    if (rc != 0)
        return rc;
    rc = cli_verify_log(NULL, log, len, o.json, 1);
    free(log);
    return rc;
}

/* ---- invitations (SPEC §14.3) ------------------------------------------------------ */

int cmd_invitations_main(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o, 0) != 0)
        return EXIT_USAGE;
    if (o.help) {
        printf("%s", _("usage: parley invitations [--home DIR] [--json]\n\n"
               "The cases peers offered this node whose charter names one of its keys, but\n"
               "whose creator is not a key you configured (peer, allow, parley connect): the\n"
               "node hosts none of them until you accept it (SPEC §14.3). For each: the case\n"
               "id, its title, its creator's role, name and fingerprint, and the participants\n"
               "it names. Then `parley accept CASE` or `parley decline CASE`.\n"));
        return EXIT_OK;
    }
    msgpack_unpacked up;
    uint8_t *raw;
    int rc = list_of("invitations", &o, "invitations", &up, &raw);
    if (rc != 0) {
        msgpack_unpacked_destroy(&up);
        free(raw);
        return rc;
    }
    const msgpack_object *list = &up.data.via.array.ptr[1];
    if (o.json)
        printf("[");
    else if (list->via.array.size == 0)
        printf(_("no invitation waits\n"));
    for (uint32_t i = 0; i < list->via.array.size; i++) {
        const msgpack_object *e = &list->via.array.ptr[i];
        pl_msg *ch = NULL;
        pl_body b;
        memset(&b, 0, sizeof b);
        if (e->type != MSGPACK_OBJECT_ARRAY || e->via.array.size != 2 ||
            e->via.array.ptr[1].type != MSGPACK_OBJECT_BIN ||
            pl_msg_decode((const uint8_t *)e->via.array.ptr[1].via.bin.ptr,
                          e->via.array.ptr[1].via.bin.size, NULL, &ch) != PL_OK) {
            cli_bad_answer("invitations");
            rc = EXIT_CHECK;
            break;
        }
        char id[65], fp[PL_FINGERPRINT_STR_BYTES];
        hex_of(&e->via.array.ptr[0], id, 32);
        const pl_header *h = pl_msg_header(ch);
        size_t blen;
        const uint8_t *body = pl_msg_body(ch, &blen);
        int ok = pl_body_decode(PL_T_CHARTER, body, blen, &b) == PL_OK;
        pl_fingerprint(h->author, fp);
        const char *cname = "?", *crole = "?";
        for (size_t k = 0; ok && k < b.u.charter.nparticipants; k++)
            if (memcmp(b.u.charter.participants[k].key, h->author, PL_PK_BYTES) == 0)
                cname = b.u.charter.participants[k].name,
                crole = pl_role_name(b.u.charter.participants[k].role);
        if (o.json) {
            printf("%s{\"case\":\"%s\",\"title\":", i ? "," : "", id);
            cli_json_str(ok ? b.u.charter.title : "");
            printf(",\"creator\":{\"role\":\"%s\",\"name\":", crole);
            cli_json_str(cname);
            printf(",\"fingerprint\":\"%s\"},\"participants\":%zu}", fp,
                   ok ? b.u.charter.nparticipants : (size_t)0);
        } else {
            char title[PL_TITLE_MAX_BYTES + 1], nm[PL_NAME_MAX_BYTES + 1];
            snprintf(title, sizeof title, "%s", ok ? b.u.charter.title : "?");
            snprintf(nm, sizeof nm, "%s", cname);
            pl_text_oneline(title), pl_text_oneline(nm);
            printf(_("%s  %s\n  created by %s %s %s; %zu participants named\n"), id, title, _(crole), nm,
                   fp, ok ? b.u.charter.nparticipants : (size_t)0);
        }
        pl_body_free(&b);
        pl_msg_destroy(&ch);
    }
    if (o.json && rc == 0)
        printf("]\n");
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

static int answer_invitation(int argc, char **argv, const char *verb)
{
    struct opts o;
    if (parse(argc, argv, &o, 1) != 0)
        return EXIT_USAGE;
    if (o.help || o.nargs != 1) {
        fprintf(o.help ? stdout : stderr, "%s",
                strcmp(verb, "accept") == 0
                    ? _("usage: parley accept CASE [--home DIR] [--json]\n\n"
                        "Hosts the case of an invitation waiting for you (see parley invitations;\n"
                        "SPEC §14.3). CASE is its id or a unique prefix of at least 8 hex digits.\n")
                    : _("usage: parley decline CASE [--home DIR] [--json]\n\n"
                        "Forgets an invitation waiting for you (see parley invitations; SPEC\n"
                        "§14.3). CASE is its id or a unique prefix of at least 8 hex digits.\n"));
        return o.help ? EXIT_OK : EXIT_USAGE;
    }
    int rc = case_arg_ok(verb, o.args[0], "invitations");
    if (rc != 0)
        return rc;
    msgpack_unpacked up;
    uint8_t *raw, id[PL_CASE_ID_BYTES];
    rc = list_of(verb, &o, "invitations", &up, &raw);
    if (rc == 0)
        rc = match_case(verb, &up.data.via.array.ptr[1], o.args[0], "invitations", id);
    msgpack_unpacked_destroy(&up);
    free(raw);
    if (rc != 0)
        return rc;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    pl_control_request_init(&sb, &pk, 2, verb);
    msgpack_pack_bin(&pk, PL_CASE_ID_BYTES);
    msgpack_pack_bin_body(&pk, id, PL_CASE_ID_BYTES);
    rc = call(verb, &o, &sb, &up, &raw);
    if (rc == 0) {
        char hex[65];
        cli_hex(id, PL_CASE_ID_BYTES, hex);
        if (o.json)
            printf("{\"case\":\"%s\",\"%s\":true}\n", hex,
                   strcmp(verb, "accept") == 0 ? "accepted" : "declined");
        else
            printf("%s: %s\n", hex,
                   strcmp(verb, "accept") == 0 ? "accepted; the node now hosts the case and "
                                                 "catches up from its peers"
                                               : "declined; the node forgot the invitation");
    }
    msgpack_unpacked_destroy(&up);
    free(raw);
    return rc;
}

int cmd_accept_main(int argc, char **argv)
{
    return answer_invitation(argc, argv, "accept");
}

int cmd_decline_main(int argc, char **argv)
{
    return answer_invitation(argc, argv, "decline");
}
